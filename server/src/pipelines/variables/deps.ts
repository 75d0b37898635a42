import { VariableAnalysis } from './analysis';
import { partOf } from './expression';
import { PipelineSpecModel, PipelineTaskModel } from '../specModel';

/** Why a pipeline task depends on another: a `runAfter` entry or a result reference, with its document range. */
export interface DependencyEdge {
  from: PipelineTaskModel;
  to: string;
  start: number;
  end: number;
  via: 'runAfter' | 'result';
}

/**
 * The dependencies of the pipeline tasks of one Pipeline spec, as `PipelineTask.Deps()` computes them: `runAfter`
 * entries plus the tasks whose results a task's params, matrix and when expressions use (and, for an inline
 * taskSpec, its steps: results are propagated into inline specs). Memoized on the analysis.
 */
export function pipelineDeps(a: VariableAnalysis, p: PipelineSpecModel): Map<PipelineTaskModel, DependencyEdge[]> {
  let cache = depsCache.get(a);
  if (!cache) depsCache.set(a, (cache = new Map()));
  let deps = cache.get(p);
  if (deps) return deps;
  deps = new Map();
  for (const t of [...p.tasks, ...p.finally]) {
    const edges: DependencyEdge[] = [];
    for (const r of t.runAfter) edges.push({ from: t, to: r.name, start: r.start, end: r.end, via: 'runAfter' });
    deps.set(t, edges);
  }
  for (const o of a.occurrences) {
    if (o.ref.kind !== 'taskResult' || !o.ctx.orders) continue;
    const t = o.ctx.pipelineTask;
    if (!t || t.pipeline !== p) continue;
    const task = partOf(o.ref, 'task');
    if (!task) continue;
    const i = o.ref.parts.indexOf(task);
    deps.get(t)?.push({ from: t, to: task.text, start: o.parts[i].start, end: o.parts[i].end, via: 'result' });
  }
  cache.set(p, deps);
  return deps;
}

const depsCache = new WeakMap<VariableAnalysis, Map<PipelineSpecModel, Map<PipelineTaskModel, DependencyEdge[]>>>();

/** The names of the tasks a pipeline task runs after, directly or transitively. */
export function ancestors(deps: Map<PipelineTaskModel, DependencyEdge[]>, p: PipelineSpecModel, t: PipelineTaskModel): Set<string> {
  const seen = new Set<string>();
  const stack = (deps.get(t) ?? []).map((e) => e.to);
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const next = p.taskMap.get(n);
    if (next) for (const e of deps.get(next) ?? []) stack.push(e.to);
  }
  return seen;
}

/** The tasks that run after a pipeline task (directly or transitively), by name. */
export function descendants(deps: Map<PipelineTaskModel, DependencyEdge[]>, p: PipelineSpecModel, t: PipelineTaskModel): Set<string> {
  const children = new Map<string, string[]>();
  for (const [task, edges] of deps) {
    if (task.finally) continue;
    for (const e of edges) {
      if (!children.has(e.to)) children.set(e.to, []);
      children.get(e.to)!.push(task.name ?? '');
    }
  }
  const seen = new Set<string>();
  const stack = [...(children.get(t.name ?? '') ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(children.get(n) ?? []));
  }
  void p;
  return seen;
}
