/**
 * The model of a compiled Kubeflow Pipelines spec (the IR, REFERENCE.md §7.1): components, executors, DAGs with their
 * tasks and task inputs, input/output definitions. Every element keeps its YAML nodes so rules, hover, completion,
 * navigation and a graph can point at exact ranges. Built once per document text (`kfpModel`), never throws on
 * malformed input: missing or mistyped parts are simply absent.
 */
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isMap, isScalar, isSeq, keyName, type Node, type Pair, type Scalar, type YAMLMap } from '../document/yamlAst';

/** A name written in the document: its value and the scalar holding it. */
export interface NameRef {
  value: string;
  node: Scalar;
}

/** An entry of a map keyed by name (a component, a task, an input...): its name, key node and value node. */
export interface Named {
  name: string;
  key: Scalar;
  /** The value; a map for every well-formed entry. */
  node: Node | undefined;
}

export type ParameterType =
  | 'STRING'
  | 'NUMBER_INTEGER'
  | 'NUMBER_DOUBLE'
  | 'BOOLEAN'
  | 'LIST'
  | 'STRUCT'
  | 'TASK_FINAL_STATUS'
  | 'TASK_CONFIG'
  | 'PARAMETER_TYPE_ENUM_UNSPECIFIED';

/** `inputDefinitions.parameters.<p>` / `outputDefinitions.parameters.<p>`. */
export interface ParameterDef extends Named {
  /** `parameterType` (or the deprecated `type`, a PrimitiveType name). */
  type?: NameRef;
  defaultValue?: Node;
  /** True when `defaultValue` is present (even null). */
  hasDefault: boolean;
  isOptional: boolean;
  description?: string;
}

/** `inputDefinitions.artifacts.<a>` / `outputDefinitions.artifacts.<a>`. */
export interface ArtifactDef extends Named {
  schemaTitle?: NameRef;
  schemaVersion?: string;
  isArtifactList: boolean;
  isOptional: boolean;
  description?: string;
}

export interface IoDefinitions {
  /** The `inputDefinitions`/`outputDefinitions` node. */
  node?: Node;
  parameters: Map<string, ParameterDef>;
  artifacts: Map<string, ArtifactDef>;
}

export type TaskInputKind =
  | 'componentInputParameter'
  | 'taskOutputParameter'
  | 'runtimeValue'
  | 'taskFinalStatus'
  | 'componentInputArtifact'
  | 'taskOutputArtifact';

/** `inputs.parameters.<p>` or `inputs.artifacts.<a>` of a task. */
export interface TaskInput extends Named {
  artifact: boolean;
  /** The oneof member set (the first one when several are, which the rules report). */
  kind?: TaskInputKind;
  /** componentInputParameter / componentInputArtifact: the enclosing component's input. */
  componentInput?: NameRef;
  /** taskOutputParameter / taskOutputArtifact / taskFinalStatus: `producerTask`. */
  producerTask?: NameRef;
  /** `outputParameterKey` / `outputArtifactKey`. */
  outputKey?: NameRef;
  /** `runtimeValue.constant`. */
  constant?: Node;
  hasConstant: boolean;
  parameterExpressionSelector?: NameRef;
}

export interface Iterator {
  /** `parameterIterator` or `artifactIterator`. */
  kind: 'parameterIterator' | 'artifactIterator';
  key: Node;
  node: Node;
  itemInput?: NameRef;
  /** `items.inputParameter` / `items.inputArtifact`. */
  itemsInput?: NameRef;
  /** `items.raw` (parameter iterators: a JSON array, as a string). */
  raw?: Scalar;
}

/** `dag.tasks.<t>`. */
export interface Task extends Named {
  /** The DAG holding the task. */
  dag: Dag;
  componentRef?: NameRef;
  dependentTasks: NameRef[];
  dependentTasksNode?: Node;
  inputsNode?: Node;
  parameters: Map<string, TaskInput>;
  artifacts: Map<string, TaskInput>;
  triggerPolicy?: Node;
  condition?: Scalar;
  iteratorPolicy?: Node;
  iteratorPolicyKey?: Node;
  parallelismLimit?: Node;
  iterator?: Iterator;
  displayName?: string;
}

/**
 * One selector of `dag.outputs`: `parameters.<p>.valueFromParameter`, each of `valueFromOneof.parameterSelectors`, or
 * each of `artifacts.<a>.artifactSelectors`: a subtask of the DAG and one of its outputs.
 */
export interface DagOutputSelector {
  /** The DAG output (a key of `dag.outputs.parameters`/`artifacts`). */
  output: Named;
  artifact: boolean;
  producerSubtask?: NameRef;
  outputKey?: NameRef;
}

export interface Dag {
  /** The component whose implementation this DAG is. */
  owner: Component;
  node: Node;
  tasksNode?: Node;
  tasks: Map<string, Task>;
  outputs?: Node;
  outputSelectors: DagOutputSelector[];
}

/** `root` or `components.<c>`. */
export interface Component {
  /** `root` for the pipeline's root component. */
  name: string;
  /** The key in `components` (absent for root, whose key is the `root` key). */
  key: Scalar | undefined;
  node: Node | undefined;
  isRoot: boolean;
  inputs: IoDefinitions;
  outputs: IoDefinitions;
  executorLabel?: NameRef;
  dag?: Dag;
}

/** `deploymentSpec.executors.<label>`. */
export interface Executor extends Named {
  container?: Node;
  image?: NameRef;
  /** Every string scalar of `container.command` and `container.args` (placeholders live there). */
  commandLine: Scalar[];
  importer?: Node;
  /** `importer.artifactUri.runtimeParameter`: the input parameter holding the URI. */
  importerUriParameter?: NameRef;
  /** Every string scalar of `importer.metadata` (placeholders may live there too). */
  importerStrings: Scalar[];
  resolver?: Node;
}

export interface KfpModel {
  pipelineName?: NameRef;
  pipelineInfo?: Node;
  schemaVersion?: NameRef;
  root?: Component;
  components: Map<string, Component>;
  componentsNode?: Node;
  executors: Map<string, Executor>;
  executorsNode?: Node;
  /** Every DAG (root first, then components in document order). */
  dags: Dag[];
}

/** The model of an IR document, computed once per document text. */
export function kfpModel(resource: YamlResource): KfpModel {
  return resource.memo('kfpModel', () => buildModel(resource.root));
}

export function buildModel(root: Node | undefined): KfpModel {
  const model: KfpModel = { components: new Map(), executors: new Map(), dags: [] };
  if (!isMap(root)) return model;
  model.pipelineInfo = getValue(root, 'pipelineInfo');
  model.pipelineName = nameRef(getValue(model.pipelineInfo, 'name'));
  model.schemaVersion = nameRef(getValue(root, 'schemaVersion'));
  const rootNode = getValue(root, 'root');
  const rootPair = pairOf(root, 'root');
  if (rootPair) model.root = component('root', isScalar(rootPair.key) ? rootPair.key : undefined, rootNode, true, model);
  model.componentsNode = getValue(root, 'components');
  for (const entry of entries(model.componentsNode))
    if (!model.components.has(entry.name)) model.components.set(entry.name, component(entry.name, entry.key, entry.node, false, model));
  const deployment = getValue(root, 'deploymentSpec');
  model.executorsNode = getValue(deployment, 'executors');
  for (const entry of entries(model.executorsNode)) if (!model.executors.has(entry.name)) model.executors.set(entry.name, executor(entry));
  return model;
}

/** The entries of a map node keyed by string scalars, in document order. */
export function entries(node: Node | undefined): Named[] {
  if (!isMap(node)) return [];
  const out: Named[] = [];
  for (const pair of node.items) {
    const name = keyName(pair);
    if (name === undefined || !isScalar(pair.key)) continue;
    out.push({ name, key: pair.key, node: (pair.value ?? undefined) as Node | undefined });
  }
  return out;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyName(p) === key);
}

/** A string-valued scalar as a name reference (numbers and booleans are names too: YAML may type `1` as a number). */
export function nameRef(node: Node | undefined): NameRef | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined || typeof node.value === 'object') return undefined;
  return { value: String(node.value), node };
}

function bool(node: Node | undefined): boolean {
  return isScalar(node) && node.value === true;
}

function str(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function component(name: string, key: Scalar | undefined, node: Node | undefined, isRoot: boolean, model: KfpModel): Component {
  const c: Component = {
    name,
    key,
    node,
    isRoot,
    inputs: definitions(getValue(node, 'inputDefinitions')),
    outputs: definitions(getValue(node, 'outputDefinitions')),
    executorLabel: nameRef(getValue(node, 'executorLabel')),
  };
  const dagNode = getValue(node, 'dag');
  if (dagNode) {
    const outputs = getValue(dagNode, 'outputs');
    const dag: Dag = { owner: c, node: dagNode, tasks: new Map(), tasksNode: getValue(dagNode, 'tasks'), outputs, outputSelectors: outputSelectors(outputs) };
    for (const entry of entries(dag.tasksNode)) if (!dag.tasks.has(entry.name)) dag.tasks.set(entry.name, task(entry, dag));
    c.dag = dag;
    if (isRoot) model.dags.unshift(dag);
    else model.dags.push(dag);
  }
  return c;
}

function definitions(node: Node | undefined): IoDefinitions {
  const defs: IoDefinitions = { node, parameters: new Map(), artifacts: new Map() };
  for (const e of entries(getValue(node, 'parameters'))) {
    const defaultPair = isMap(e.node) ? pairOf(e.node, 'defaultValue') : undefined;
    defs.parameters.set(e.name, {
      ...e,
      type: nameRef(getValue(e.node, 'parameterType')) ?? nameRef(getValue(e.node, 'type')),
      defaultValue: (defaultPair?.value ?? undefined) as Node | undefined,
      hasDefault: !!defaultPair,
      isOptional: bool(getValue(e.node, 'isOptional')),
      description: str(getValue(e.node, 'description')),
    });
  }
  for (const e of entries(getValue(node, 'artifacts'))) {
    const type = getValue(e.node, 'artifactType');
    defs.artifacts.set(e.name, {
      ...e,
      schemaTitle: nameRef(getValue(type, 'schemaTitle')),
      schemaVersion: str(getValue(type, 'schemaVersion')),
      isArtifactList: bool(getValue(e.node, 'isArtifactList')),
      isOptional: bool(getValue(e.node, 'isOptional')),
      description: str(getValue(e.node, 'description')),
    });
  }
  return defs;
}

function selector(output: Named, artifact: boolean, node: Node | undefined): DagOutputSelector {
  return {
    output,
    artifact,
    producerSubtask: nameRef(getValue(node, 'producerSubtask')),
    outputKey: nameRef(getValue(node, artifact ? 'outputArtifactKey' : 'outputParameterKey')),
  };
}

function outputSelectors(outputs: Node | undefined): DagOutputSelector[] {
  const out: DagOutputSelector[] = [];
  for (const p of entries(getValue(outputs, 'parameters'))) {
    const single = getValue(p.node, 'valueFromParameter');
    if (single) out.push(selector(p, false, single));
    const oneof = getValue(getValue(p.node, 'valueFromOneof'), 'parameterSelectors');
    if (isSeq(oneof)) for (const item of oneof.items) out.push(selector(p, false, item as Node));
  }
  for (const a of entries(getValue(outputs, 'artifacts'))) {
    const list = getValue(a.node, 'artifactSelectors');
    if (isSeq(list)) for (const item of list.items) out.push(selector(a, true, item as Node));
  }
  return out;
}

const PARAMETER_KINDS: TaskInputKind[] = ['componentInputParameter', 'taskOutputParameter', 'runtimeValue', 'taskFinalStatus'];
const ARTIFACT_KINDS: TaskInputKind[] = ['componentInputArtifact', 'taskOutputArtifact'];

function taskInput(e: Named, artifact: boolean): TaskInput {
  const input: TaskInput = { ...e, artifact, hasConstant: false };
  const kinds = artifact ? ARTIFACT_KINDS : PARAMETER_KINDS;
  input.kind = kinds.find((k) => isMap(e.node) && pairOf(e.node, k));
  switch (input.kind) {
    case 'componentInputParameter':
    case 'componentInputArtifact':
      input.componentInput = nameRef(getValue(e.node, input.kind));
      break;
    case 'taskOutputParameter':
    case 'taskOutputArtifact': {
      const v = getValue(e.node, input.kind);
      input.producerTask = nameRef(getValue(v, 'producerTask'));
      input.outputKey = nameRef(getValue(v, input.kind === 'taskOutputParameter' ? 'outputParameterKey' : 'outputArtifactKey'));
      break;
    }
    case 'taskFinalStatus':
      input.producerTask = nameRef(getValue(getValue(e.node, 'taskFinalStatus'), 'producerTask'));
      break;
    case 'runtimeValue': {
      const rv = getValue(e.node, 'runtimeValue');
      const pair = isMap(rv) ? pairOf(rv, 'constant') : undefined;
      input.hasConstant = !!pair;
      input.constant = (pair?.value ?? undefined) as Node | undefined;
      break;
    }
  }
  input.parameterExpressionSelector = nameRef(getValue(e.node, 'parameterExpressionSelector'));
  return input;
}

function task(e: Named, dag: Dag): Task {
  const node = e.node;
  const inputsNode = getValue(node, 'inputs');
  const t: Task = {
    ...e,
    dag,
    componentRef: nameRef(getValue(getValue(node, 'componentRef'), 'name')),
    dependentTasks: [],
    dependentTasksNode: getValue(node, 'dependentTasks'),
    inputsNode,
    parameters: new Map(),
    artifacts: new Map(),
    triggerPolicy: getValue(node, 'triggerPolicy'),
    iteratorPolicy: getValue(node, 'iteratorPolicy'),
    iteratorPolicyKey: isMap(node) ? (pairOf(node, 'iteratorPolicy')?.key as Node | undefined) : undefined,
    displayName: str(getValue(getValue(node, 'taskInfo'), 'name')),
  };
  const condition = getValue(t.triggerPolicy, 'condition');
  if (isScalar(condition)) t.condition = condition;
  t.parallelismLimit = getValue(t.iteratorPolicy, 'parallelismLimit');
  if (isSeq(t.dependentTasksNode))
    for (const item of t.dependentTasksNode.items) {
      const ref = nameRef(item as Node);
      if (ref) t.dependentTasks.push(ref);
    }
  for (const p of entries(getValue(inputsNode, 'parameters'))) if (!t.parameters.has(p.name)) t.parameters.set(p.name, taskInput(p, false));
  for (const a of entries(getValue(inputsNode, 'artifacts'))) if (!t.artifacts.has(a.name)) t.artifacts.set(a.name, taskInput(a, true));
  for (const kind of ['parameterIterator', 'artifactIterator'] as const) {
    const pair = isMap(node) ? pairOf(node, kind) : undefined;
    const it = (pair?.value ?? undefined) as Node | undefined;
    if (!pair || !it) continue;
    const items = getValue(it, 'items');
    const raw = getValue(items, 'raw');
    t.iterator = {
      kind,
      key: pair.key as Node,
      node: it,
      itemInput: nameRef(getValue(it, 'itemInput')),
      itemsInput: nameRef(getValue(items, kind === 'parameterIterator' ? 'inputParameter' : 'inputArtifact')),
      raw: isScalar(raw) ? raw : undefined,
    };
    break;
  }
  return t;
}

function executor(e: Named): Executor {
  const container = getValue(e.node, 'container');
  const commandLine: Scalar[] = [];
  for (const key of ['command', 'args']) {
    const list = getValue(container, key);
    if (isSeq(list)) for (const item of list.items) if (isScalar(item) && typeof item.value === 'string') commandLine.push(item);
  }
  const importer = getValue(e.node, 'importer');
  const importerStrings: Scalar[] = [];
  collectStrings(getValue(importer, 'metadata'), importerStrings, 0);
  return {
    ...e,
    container,
    image: nameRef(getValue(container, 'image')),
    commandLine,
    importer,
    importerUriParameter: nameRef(getValue(getValue(importer, 'artifactUri'), 'runtimeParameter')),
    importerStrings,
    resolver: getValue(e.node, 'resolver'),
  };
}

function collectStrings(node: Node | undefined, out: Scalar[], depth: number): void {
  if (!node || depth > 64) return;
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push(node);
  } else if (isSeq(node)) for (const item of node.items) collectStrings(item as Node, out, depth + 1);
  else if (isMap(node)) for (const pair of node.items) collectStrings((pair.value ?? undefined) as Node | undefined, out, depth + 1);
}

/** The component a task runs, if its `componentRef.name` resolves. */
export function componentOf(model: KfpModel, task: Task): Component | undefined {
  return task.componentRef ? model.components.get(task.componentRef.value) : undefined;
}

/** The components whose `executorLabel` names an executor. */
export function componentsUsing(model: KfpModel, label: string): Component[] {
  return [...model.components.values()].filter((c) => c.executorLabel?.value === label);
}

/** Every task of every DAG. */
export function allTasks(model: KfpModel): Task[] {
  return model.dags.flatMap((d) => [...d.tasks.values()]);
}
