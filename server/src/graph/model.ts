/**
 * The task graph of a pipeline, as the engines derive it from the parsed documents every other feature reads
 * (pipelines/graph.ts for Tekton, kfp/graph.ts for Kubeflow Pipelines). Engine-neutral and free of LSP: spans are
 * file offsets of the file named by `uri`; the service attaches diagnostics and the adapters add ranges.
 */

/** `task` and `finally` for Tekton pipeline tasks; `task` and `dag` (a task running a nested DAG) for KFP. */
export type GraphNodeKind = 'task' | 'finally' | 'dag';

/**
 * Why `to` waits for `from`. Tekton: a `runAfter` entry, or a `$(tasks.from.results...)` reference in `to`'s params,
 * matrix, when expressions, or inline taskSpec steps and sidecars (what `PipelineTask.Deps()` reads). KFP: a
 * `dependentTasks` entry.
 */
export type GraphEdgeKind = 'runAfter' | 'params' | 'matrix' | 'when' | 'steps' | 'sidecars' | 'dependentTasks';

/** The order edge kinds are listed in, so output is stable whatever order the document gives them in. */
export const EDGE_KIND_ORDER: readonly GraphEdgeKind[] = ['runAfter', 'params', 'matrix', 'when', 'steps', 'sidecars', 'dependentTasks'];

export interface GraphSpan {
  start: number;
  end: number;
}

/** A diagnostic that concerns a node, from the document's validation. */
export interface GraphProblem {
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface GraphNode {
  /** Unique in the graph: the pipeline task name (Tekton), the DAG path of the task joined by `/` (KFP). */
  id: string;
  kind: GraphNodeKind;
  /** KFP: the id of the task running the DAG this task belongs to; absent for tasks of the root DAG. */
  parent?: string;
  /** What to show: the task name, or its display name where one is given. */
  label: string;
  /** The whole definition of the task (file offsets). */
  span: GraphSpan;
  /** The task's name as written, where a click should land. */
  nameSpan: GraphSpan;
  /** What the node runs: `Task build`, `taskSpec`, `Pipeline x`, a KFP component. */
  runs?: string;
  params: { name: string; value?: string }[];
  results: string[];
  /** When expressions (Tekton) or the trigger condition (KFP), as written. */
  when: string[];
  /** Matrix params (Tekton). */
  matrix: string[];
  /** KFP loops: what the iterator iterates over. */
  loop?: string;
  /** True when the node is on a dependency cycle. */
  inCycle?: boolean;
  problems: GraphProblem[];
}

export interface GraphEdge {
  from: string;
  to: string;
  kinds: GraphEdgeKind[];
  /** True when the edge is part of a dependency cycle. */
  inCycle?: boolean;
}

/** The graph of one document: a Pipeline, a PipelineRun (inline or referenced Pipeline), or a KFP IR. */
export interface TaskGraph {
  /** `Pipeline`, `PipelineRun` or `PipelineSpec` (KFP IR). */
  kind: string;
  /** metadata.name, or the KFP pipelineInfo.name. */
  name?: string;
  /** The file where the nodes are defined (a PipelineRun's Pipeline may live in another file). */
  uri: string;
  /** The document the graph is of (file offsets of the document asked about). */
  span: GraphSpan;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Adds a reason to an edge, or the edge itself, keeping one edge per (from, to). */
export function addEdge(edges: Map<string, GraphEdge>, from: string, to: string, kind: GraphEdgeKind): void {
  const key = JSON.stringify([from, to]);
  const edge = edges.get(key);
  if (!edge) edges.set(key, { from, to, kinds: [kind] });
  else if (!edge.kinds.includes(kind)) {
    edge.kinds.push(kind);
    edge.kinds.sort((a, b) => EDGE_KIND_ORDER.indexOf(a) - EDGE_KIND_ORDER.indexOf(b));
  }
}

/**
 * Marks the nodes and edges on a cycle (strongly connected components of more than one node, and self-edges), so
 * that views can draw them in red. Iterative Tarjan: a pasted 5,000-task Pipeline must not overflow the stack.
 */
export function markCycles(graph: Pick<TaskGraph, 'nodes' | 'edges'>): void {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  for (const root of graph.nodes) {
    if (index.has(root.id)) continue;
    const work: { v: string; i: number }[] = [{ v: root.id, i: 0 }];
    index.set(root.id, counter);
    low.set(root.id, counter++);
    stack.push(root.id);
    onStack.add(root.id);
    while (work.length) {
      const top = work[work.length - 1];
      const out = next.get(top.v) ?? [];
      if (top.i < out.length) {
        const w = out[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === index.get(top.v)) {
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.set(w, components);
        } while (w !== top.v);
        components++;
      }
    }
  }
  const size = new Map<number, number>();
  for (const c of component.values()) size.set(c, (size.get(c) ?? 0) + 1);
  for (const e of graph.edges)
    if (e.from === e.to || (component.get(e.from) === component.get(e.to) && (size.get(component.get(e.from)!) ?? 0) > 1)) e.inCycle = true;
  const cyclic = new Set(graph.edges.filter((e) => e.inCycle).flatMap((e) => [e.from, e.to]));
  for (const n of graph.nodes) if (cyclic.has(n.id)) n.inCycle = true;
}
