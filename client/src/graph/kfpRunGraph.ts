/**
 * A Kubeflow Pipelines run of the Runs view as a graph: the document sent to the server (the IR the run was created
 * with, `pipeline_spec`, as JSON) and each graph node's status from the run's tasks as `KfpRuns` last read them.
 * Free of the VS Code API, so the tests build runs and read the result directly.
 */
import type { KfpRun } from '../../../server/src/kube/kfpApi';
import type { KfpTaskView } from '../../../server/src/kube/kfpRunDetails';
import { kfpDurationMs, kfpState } from '../kfp/format';
import { RANK } from './runGraph';
import type { NodeRunStatus, RunStatus, TaskRunState } from './svg';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The IR of the run as JSON text (YAML's superset: the server parses it as it parses a compiled file), or why there is
 * none. The API wraps the IR as `{pipeline_spec, platform_spec}` when the pipeline has a platform spec.
 */
export function kfpRunDocument(run: KfpRun, specError?: string): { text: string } | { error: string } {
  const spec = run.pipeline_spec;
  const ir = isObject(spec) && isObject(spec.pipeline_spec) ? spec.pipeline_spec : spec;
  if (isObject(ir) && isObject(ir.root)) return { text: JSON.stringify(ir) };
  const name = run.display_name ?? run.run_id;
  // a run created from an uploaded pipeline version carries only a reference to it; readRunView reads the version
  if (run.pipeline_version_reference) {
    const why = specError ?? 'its spec has not been read yet';
    return { error: `Kubeflow Pipelines run "${name}" was created from a pipeline version; ${why}, so there is no graph to draw.` };
  }
  return { error: `Kubeflow Pipelines run "${name}": the server sent no pipeline spec (pipeline_spec with a root DAG), so there is no graph to draw.` };
}

/** A KFP task state as a graph node's state; CACHED ran before and counts as succeeded (the reason says so). */
function nodeState(state: string | undefined): TaskRunState {
  return kfpState(state) as TaskRunState;
}

/** The parts of a graph (`GraphInfo`, or the server's model in tests) the colouring reads. */
export interface GraphNodes {
  nodes: readonly { id: string; label: string }[];
}

/**
 * Each node's status from the run's tasks. The API names a task by its IR task name (`taskInfo.name`), without the
 * DAGs around it, and links it to its parent by task id; a node `a/b/c` takes the tasks named `c` (or its label) whose
 * parent is named `b` (the same task name in two sub-DAGs), or whose parent the server did not report. A task run
 * once per loop iteration gives several tasks for one node: the worst state wins, with the longest duration and the
 * count. Nodes without tasks are pending while the run is active and skipped once it is over.
 */
export function kfpRunStatus(graph: GraphNodes, run: KfpRun, tasks: readonly KfpTaskView[], now = Date.now()): RunStatus {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out: RunStatus = {};
  const active = ['pending', 'running'].includes(kfpState(run.state));
  const nodeNames = new Set(graph.nodes.map((n) => n.id.split('/').pop()));
  /**
   * The DAG a task sits in: its parent's name when that is a node of the graph, '' for the root (a parent that is no
   * node, such as the server's own root task), undefined when the server links it to no task it reported.
   */
  const placeOf = (t: KfpTaskView): string | undefined => {
    const parent = t.parentId === undefined ? undefined : byId.get(t.parentId);
    if (!parent) return undefined;
    return nodeNames.has(parent.name) ? parent.name : '';
  };
  for (const node of graph.nodes) {
    const segments = node.id.split('/');
    const own = segments[segments.length - 1];
    const place = segments[segments.length - 2] ?? '';
    const found = tasks.filter((t) => (t.name === own || t.name === node.label) && (placeOf(t) ?? place) === place);
    let status: NodeRunStatus | undefined;
    for (const t of found) {
      const state = nodeState(t.state);
      const reason = t.state === 'CACHED' ? 'cached' : t.error;
      const durationMs = kfpDurationMs(t.startTime, t.endTime, t.state, now);
      if (!status) {
        status = { state, reason, durationMs, taskRuns: 1 };
        continue;
      }
      if (RANK[state] > RANK[status.state]) status = { ...status, state, reason };
      status.taskRuns = (status.taskRuns ?? 1) + 1;
      if (durationMs !== undefined) status.durationMs = Math.max(status.durationMs ?? 0, durationMs);
    }
    out[node.id] = status ?? (active ? { state: 'pending' } : { state: 'skipped', reason: 'did not run' });
  }
  return out;
}
