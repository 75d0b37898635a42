/**
 * A PipelineRun of the Runs view as a graph: the document sent to the server (the run with the Pipeline it ran, which
 * Tekton records in `status.pipelineSpec`) and each pipeline task's status from the TaskRuns the view's watches hold.
 * Free of the VS Code API, so the tests build runs and read the result directly.
 */
import type { RunNode } from '../../../server/src/kube/watcher';
import type { NodeRunStatus, RunStatus, TaskRunState } from './svg';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The run as a document with an inline pipelineSpec: the one Tekton resolved and ran (`status.pipelineSpec`) when it
 * has been recorded, else the run's own spec. Status and managed fields are left out: they are large and no graph
 * reads them. Undefined when there is nothing to draw yet (a pipelineRef not resolved so far).
 */
export function runDocument(run: RunNode): string | undefined {
  const object = run.object as unknown as Json;
  const spec = isObject(object.spec) ? object.spec : {};
  const status = isObject(object.status) ? object.status : {};
  const pipelineSpec = isObject(status.pipelineSpec) ? status.pipelineSpec : isObject(spec.pipelineSpec) ? spec.pipelineSpec : undefined;
  if (!pipelineSpec) return undefined;
  const { pipelineRef: _ref, pipelineSpec: _spec, ...rest } = spec;
  void _ref;
  void _spec;
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return JSON.stringify({
    apiVersion: object.apiVersion,
    kind: 'PipelineRun',
    metadata: { name: metadata.name, namespace: metadata.namespace },
    spec: { ...rest, pipelineSpec },
  });
}

/** How bad a state is, to merge the TaskRuns of one matrixed task: the worst one wins, running before succeeded. */
const RANK: Record<TaskRunState, number> = { failed: 6, 'timed-out': 5, cancelled: 4, running: 3, pending: 2, succeeded: 1, skipped: 0 };

/**
 * Each pipeline task's status: from its TaskRuns (several for a matrix: the worst state, the longest duration), or
 * `skipped` with Tekton's reason (`status.skippedTasks`: a `when` expression, a failed parent, a timeout). Tasks with
 * neither are pending while the run is active; after it they never ran, shown as skipped.
 */
export function runStatus(run: RunNode): RunStatus {
  const out: RunStatus = {};
  for (const child of run.children) {
    const id = child.pipelineTaskName;
    if (!id) continue;
    const state = child.state as TaskRunState;
    const prev = out[id];
    if (!prev) {
      out[id] = { state, reason: child.reason, durationMs: child.durationMs, taskRuns: 1 };
      continue;
    }
    const merged: NodeRunStatus = RANK[state] > RANK[prev.state] ? { ...prev, state, reason: child.reason } : { ...prev };
    merged.taskRuns = (prev.taskRuns ?? 1) + 1;
    if (child.durationMs !== undefined) merged.durationMs = Math.max(prev.durationMs ?? 0, child.durationMs);
    out[id] = merged;
  }
  const status = isObject((run.object as unknown as Json).status) ? ((run.object as unknown as Json).status as Json) : {};
  if (Array.isArray(status.skippedTasks))
    for (const s of status.skippedTasks)
      if (isObject(s) && typeof s.name === 'string' && !out[s.name])
        out[s.name] = { state: 'skipped', reason: typeof s.reason === 'string' ? s.reason : undefined };
  return out;
}

/** The status of a task the run has not reached: pending while it runs, skipped once it is over. */
export function unreached(run: RunNode): NodeRunStatus {
  return run.state === 'pending' || run.state === 'running' ? { state: 'pending' } : { state: 'skipped', reason: 'did not run' };
}

/** The run of the tree with this namespace and name (the watches rebuild the tree on every change). */
export function findRun(tree: readonly RunNode[], namespace: string, name: string): RunNode | undefined {
  for (const r of tree) if (r.kind === 'PipelineRun' && r.namespace === namespace && r.name === name) return r;
  return undefined;
}
