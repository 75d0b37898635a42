/**
 * The task graph of a Tekton Pipeline spec, read from the spec model and the `$(...)` analysis every other feature
 * uses. Edges are where Tekton's DAG builder puts them (pkg/reconciler/pipeline/dag, fed by `PipelineTask.Deps()`):
 * `runAfter`, and the tasks named by result references in params, matrix params and includes, when expressions
 * (input, values, cel), and the steps and sidecars of an inline taskSpec. Finally tasks are not in the DAG: they run
 * after it and get no edges.
 */
import { isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getValue } from '../document/yamlAst';
import { addEdge, markCycles, type GraphEdge, type GraphEdgeKind, type GraphNode, type TaskGraph } from '../graph/model';
import type { TaskDeclarations } from './rules/declarations';
import { mapItems, scalarString, specModel, type PipelineSpecModel, type PipelineTaskModel, type TaskSpecModel } from './specModel';
import { analyzeVariables, type FieldKind, type Occurrence, type VariableAnalysis } from './variables/analysis';

/** Looks up what a referenced Task declares (from the workspace index), for the node's results. */
export type ResolveTask = (name: string, kind?: string) => TaskDeclarations | undefined;

/** A Pipeline document found for a PipelineRun's `pipelineRef`: in the same file or elsewhere in the workspace. */
export interface FoundPipeline {
  doc: TektonDocument;
  resource: YamlResource;
  /** Offset of the resource's chunk in `doc`. */
  base: number;
}

export interface PipelineGraphContext {
  resolveTask?: ResolveTask;
  /** A Pipeline of the workspace by name, when not in the same file. */
  findPipeline?: (name: string) => FoundPipeline | undefined;
}

/** Pipeline-side fields whose result references order a task, by the edge kind they give. */
const PIPELINE_FIELDS = new Map<FieldKind, GraphEdgeKind>([
  ['pt-param', 'params'],
  ['pt-param-item', 'params'],
  ['pt-param-object', 'params'],
  ['matrix-param', 'matrix'],
  ['matrix-param-item', 'matrix'],
  ['matrix-include', 'matrix'],
  ['when-input', 'when'],
  ['when-value', 'when'],
  ['when-cel', 'when'],
]);

/**
 * Step and sidecar fields `Step.GetVarSubstitutionExpressions()` reads. Env `valueFrom` counts only for the key and
 * name of a secretKeyRef or configMapKeyRef, checked node by node below; volumeMounts, onError, a StepAction ref's
 * params, stepTemplate and the Task's results and volumes do not order anything upstream, so they do not here.
 */
const CONTAINER_FIELDS = new Set<FieldKind>(['step-name', 'image', 'imagePullPolicy', 'script', 'workingDir', 'command', 'args', 'env-value']);

/** Upstream's variable pattern (resultref.go), applied to the text between `$(` and `)`. */
const SUBSTITUTION = /^[_a-zA-Z0-9.-]+(\.[_a-zA-Z0-9.-]+)*(\[([0-9]+|\*)\])?$/;

/**
 * The pipeline task a result reference names, as upstream's `NewResultRefs` parses it: `tasks.T.results.R` (an
 * optional `[N]`/`[*]`) or `tasks.T.results.R.KEY`; anything else (bracket-quoted names included) is no dependency.
 */
export function resultRefTask(expression: string): string | undefined {
  if (!SUBSTITUTION.test(expression)) return undefined;
  const parts = expression.split('.');
  if ((parts.length === 4 || parts.length === 5) && parts[0] === 'tasks' && parts[2] === 'results') return parts[1];
  return undefined;
}

/** The graphs of a Pipelines document: a Pipeline, or a PipelineRun with an inline or a referenced Pipeline. */
export function pipelineGraph(
  doc: TektonDocument,
  resource: YamlResource,
  base: number,
  ctx: PipelineGraphContext,
): TaskGraph | { unavailable: string } | undefined {
  const model = specModel(resource);
  if (!model) return undefined;
  const span = { start: base, end: base + resource.text.length };
  if (model.kind === 'Pipeline' && model.pipeline) return build(doc.uri, resource, base, model.pipeline, ctx, { kind: 'Pipeline', name: resource.name, span });
  if (model.kind !== 'PipelineRun' || !model.run) return undefined;
  if (model.run.pipelineSpec) return build(doc.uri, resource, base, model.run.pipelineSpec, ctx, { kind: 'PipelineRun', name: resource.name, span });
  const ref = model.run.ref;
  const name = ref?.name?.name;
  const run = `PipelineRun "${resource.name ?? ''}"`;
  if (ref?.resolver) return { unavailable: `${run} gets its Pipeline from the ${ref.resolver} resolver, which is not read here` };
  if (ref?.bundle) return { unavailable: `${run} gets its Pipeline from the bundle ${ref.bundle}, which is not read here` };
  if (!name) return { unavailable: `${run} has neither a pipelineSpec nor a pipelineRef name` };
  const found = findInFile(doc, name) ?? ctx.findPipeline?.(name);
  const target = found && specModel(found.resource)?.pipeline;
  if (!found || !target) return { unavailable: `${run} runs Pipeline "${name}", which is neither in the same file nor in the workspace` };
  return build(found.doc.uri, found.resource, found.base, target, ctx, { kind: 'PipelineRun', name: resource.name, span });
}

/** The first Pipeline of the file with that name. */
function findInFile(doc: TektonDocument, name: string): FoundPipeline | undefined {
  for (const { resource, base } of doc.resources())
    if (resource.isPipelines && resource.kind === 'Pipeline' && resource.name === name) return { doc, resource, base };
  return undefined;
}

function build(
  uri: string,
  resource: YamlResource,
  base: number,
  p: PipelineSpecModel,
  ctx: PipelineGraphContext,
  head: Pick<TaskGraph, 'kind' | 'name' | 'span'>,
): TaskGraph {
  const nodes: GraphNode[] = [];
  const byName = new Map<string, PipelineTaskModel>();
  for (const t of [...p.tasks, ...p.finally]) {
    // A nameless or repeated task is the rules' business (they report it); the graph keeps the first of a name.
    if (!t.name || byName.has(t.name)) continue;
    byName.set(t.name, t);
    nodes.push(node(resource, base, t, ctx));
  }
  const edges = new Map<string, GraphEdge>();
  const inDag = (name: string) => byName.get(name)?.finally === false;
  for (const t of p.tasks) {
    if (!t.name || byName.get(t.name) !== t) continue;
    for (const r of t.runAfter) if (inDag(r.name)) addEdge(edges, r.name, t.name, 'runAfter');
  }
  const analysis = analyzeVariables(resource);
  if (analysis)
    for (const o of analysis.occurrences) {
      const t = o.ctx.pipelineTask;
      if (!t || t.pipeline !== p || t.finally || !t.name || byName.get(t.name) !== t) continue;
      const kind = edgeKind(o, analysis);
      const from = kind && resultRefTask(o.ref.text);
      if (kind && from && inDag(from)) addEdge(edges, from, t.name, kind);
    }
  const graph: TaskGraph = { ...head, uri, nodes, edges: [...edges.values()] };
  markCycles(graph);
  return graph;
}

/** The kind of dependency an occurrence gives, or undefined when its field orders nothing upstream. */
function edgeKind(o: Occurrence, a: VariableAnalysis): GraphEdgeKind | undefined {
  const { ctx } = o;
  if (ctx.owner === 'pipeline') return PIPELINE_FIELDS.get(ctx.field);
  if (ctx.owner !== 'task' || !ctx.step || !ctx.task?.pipelineTask) return undefined;
  const inContainer = CONTAINER_FIELDS.has(ctx.field) || (ctx.field === 'env-other' && envRefKeys(ctx.step.node, a).has(o.node));
  if (!inContainer) return undefined;
  return ctx.step.container === 'sidecar' ? 'sidecars' : 'steps';
}

/** The `key` and `name` scalars of each env `valueFrom.secretKeyRef`/`configMapKeyRef` of a container. */
function envRefKeys(container: Node, a: VariableAnalysis): Set<Scalar> {
  let cache = envCache.get(a);
  if (!cache) envCache.set(a, (cache = new Map()));
  let keys = cache.get(container);
  if (keys) return keys;
  keys = new Set();
  for (const env of mapItems(getValue(container, 'env'))) {
    const from = getValue(env, 'valueFrom');
    for (const source of ['secretKeyRef', 'configMapKeyRef'])
      for (const field of ['key', 'name']) {
        const n = getValue(getValue(from, source), field);
        if (isScalar(n)) keys.add(n);
      }
  }
  cache.set(container, keys);
  return keys;
}

const envCache = new WeakMap<VariableAnalysis, Map<Node, Set<Scalar>>>();

function node(resource: YamlResource, base: number, t: PipelineTaskModel, ctx: PipelineGraphContext): GraphNode {
  const text = resource.text;
  const range = t.node.range;
  const span = { start: base + (range?.[0] ?? 0), end: base + (range?.[1] ?? 0) };
  const nameSpan = t.ref ? { start: base + t.ref.start, end: base + t.ref.end } : span;
  return {
    id: t.name!,
    kind: t.finally ? 'finally' : 'task',
    label: scalarString(getValue(t.node, 'displayName')) ?? t.name!,
    span,
    nameSpan,
    runs: runs(t),
    params: t.params.filter((b) => b.name).map((b) => ({ name: b.name, value: b.valueNode && source(text, b.valueNode) })),
    results: results(t, ctx.resolveTask),
    when: mapItems(t.whenNode).map((w) => whenText(text, w)),
    matrix: [...t.matrixParams, ...t.matrixInclude.flat()].map((b) => b.name).filter((n, i, all) => n && all.indexOf(n) === i),
    problems: [],
  };
}

function runs(t: PipelineTaskModel): string | undefined {
  const ref = t.taskRef ?? t.pipelineRef;
  if (ref) {
    const kind = ref.kind ?? (t.pipelineRef ? 'Pipeline' : 'Task');
    if (ref.name) return `${kind} ${ref.name.name}`;
    if (ref.resolver) return `${kind} (${ref.resolver} resolver)`;
    return kind;
  }
  if (t.taskSpecNode) return t.taskSpec ? 'taskSpec' : `custom task ${scalarString(getValue(t.taskSpecNode, 'kind')) ?? ''}`.trim();
  if (t.pipelineSpec) return 'pipelineSpec';
  return undefined;
}

function results(t: PipelineTaskModel, resolve: ResolveTask | undefined): string[] {
  const names = (spec: TaskSpecModel) => spec.results.map((r) => r.name).filter(Boolean);
  if (t.taskSpec) return names(t.taskSpec);
  const ref = t.taskRef;
  if (!ref?.name || ref.resolver || ref.bundle || ref.apiVersion || !resolve) return [];
  return resolve(ref.name.name, ref.kind === 'ClusterTask' ? 'ClusterTask' : 'Task')?.results?.map((r) => r.name) ?? [];
}

/** A value as written, on one line and short enough for a tooltip. */
function source(text: string, n: Node): string {
  const raw = isScalar(n) && typeof n.value === 'string' ? n.value : text.slice(n.range?.[0] ?? 0, n.range?.[1] ?? 0);
  const line = raw.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function whenText(text: string, w: Node): string {
  const cel = getValue(w, 'cel');
  if (cel) return source(text, cel);
  const input = getValue(w, 'input');
  const values = getValue(w, 'values');
  const list = isSeq(values) ? `[${values.items.map((v) => JSON.stringify(source(text, v as Node))).join(', ')}]` : values ? source(text, values) : '[]';
  return `${input ? source(text, input) : ''} ${scalarString(getValue(w, 'operator')) ?? ''} ${list}`.replace(/\s+/g, ' ').trim();
}
