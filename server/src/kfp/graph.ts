/**
 * The task graph of a compiled Kubeflow pipeline (the IR), from the IR model: a node per task of every DAG reached
 * from the root, a task whose component is a DAG drawn as a group (`kind: 'dag'`) holding the nodes of that DAG
 * (`parent`), an edge per `dependentTasks` entry between tasks of one DAG. Conditions (`triggerPolicy.condition`) and
 * loops (`parameterIterator`/`artifactIterator`, `iteratorPolicy`) are marked on the node.
 */
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, type Node } from '../document/yamlAst';
import { addEdge, markCycles, type GraphEdge, type GraphNode, type TaskGraph } from '../graph/model';
import { componentOf, kfpModel, type Dag, type KfpModel, type Task } from './model';

/** How deep DAGs may nest: a component whose DAG runs itself must not recurse forever. */
const MAX_DEPTH = 32;
/** A pasted IR that instantiates a sub-DAG thousands of times would otherwise build a graph no one can read. */
const MAX_NODES = 5000;

export function kfpGraph(uri: string, resource: YamlResource, base: number): TaskGraph | undefined {
  const model = kfpModel(resource);
  const root = model.root?.dag;
  if (!root) return undefined;
  const nodes: GraphNode[] = [];
  const edges = new Map<string, GraphEdge>();
  const walk = (dag: Dag, parent: string | undefined, path: Dag[]): void => {
    const prefix = parent === undefined ? '' : `${parent}/`;
    for (const task of dag.tasks.values()) {
      if (nodes.length >= MAX_NODES) return;
      const id = `${prefix}${task.name}`;
      const sub = componentOf(model, task)?.dag;
      const nested = sub && !path.includes(sub) && path.length < MAX_DEPTH ? sub : undefined;
      nodes.push(node(model, resource, base, task, id, parent, nested ? 'dag' : 'task'));
      // An unknown name gets no edge: the reference rules report it, and the service attaches that to this node.
      for (const dep of task.dependentTasks) if (dag.tasks.has(dep.value)) addEdge(edges, `${prefix}${dep.value}`, id, 'dependentTasks');
      if (nested) walk(nested, id, [...path, nested]);
    }
  };
  walk(root, undefined, [root]);
  const graph: TaskGraph = {
    kind: 'PipelineSpec',
    name: model.pipelineName?.value,
    uri,
    span: { start: base, end: base + resource.text.length },
    nodes,
    edges: [...edges.values()],
  };
  markCycles(graph);
  return graph;
}

function node(model: KfpModel, resource: YamlResource, base: number, task: Task, id: string, parent: string | undefined, kind: 'task' | 'dag'): GraphNode {
  const text = resource.text;
  const start = task.key.range?.[0] ?? 0;
  const end = (task.node as Node | undefined)?.range?.[1] ?? task.key.range?.[1] ?? start;
  const component = componentOf(model, task);
  const n: GraphNode = {
    id,
    kind,
    label: task.displayName ?? task.name,
    span: { start: base + start, end: base + end },
    nameSpan: { start: base + (task.key.range?.[0] ?? 0), end: base + (task.key.range?.[1] ?? 0) },
    runs: task.componentRef ? `component ${task.componentRef.value}${component?.executorLabel ? ` (${component.executorLabel.value})` : ''}` : undefined,
    params: [...task.parameters.values(), ...task.artifacts.values()].map((i) => ({ name: i.name, value: inputText(i) })),
    results: component ? [...component.outputs.parameters.keys(), ...component.outputs.artifacts.keys()] : [],
    when: task.condition && typeof task.condition.value === 'string' ? [task.condition.value] : [],
    matrix: [],
    problems: [],
  };
  if (parent !== undefined) n.parent = parent;
  if (task.iterator) {
    const it = task.iterator;
    const over = it.itemsInput ? `input ${it.itemsInput.value}` : it.raw ? String(it.raw.value) : slice(text, it.node);
    const limit = getValue(task.iteratorPolicy, 'parallelismLimit');
    n.loop = `for ${it.itemInput?.value ?? 'each item'} in ${over}${isScalar(limit) && Number(limit.value) > 0 ? ` (at most ${String(limit.value)} at once)` : ''}`;
  }
  return n;
}

function inputText(i: Task['parameters'] extends Map<string, infer T> ? T : never): string | undefined {
  switch (i.kind) {
    case 'componentInputParameter':
    case 'componentInputArtifact':
      return i.componentInput && `pipeline input ${i.componentInput.value}`;
    case 'taskOutputParameter':
    case 'taskOutputArtifact':
      return i.producerTask && `${i.producerTask.value}.${i.outputKey?.value ?? '?'}`;
    case 'taskFinalStatus':
      return i.producerTask && `final status of ${i.producerTask.value}`;
    case 'runtimeValue':
      return i.constant && isScalar(i.constant) ? String(i.constant.value) : undefined;
    default:
      return undefined;
  }
}

function slice(text: string, n: Node): string {
  const s = text.slice(n.range?.[0] ?? 0, n.range?.[1] ?? 0).replace(/\s+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}
