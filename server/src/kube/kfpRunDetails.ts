/**
 * What a Kubeflow Pipelines run did, for the Runs view, the artifacts view, lineage and the compare view: its tasks
 * with their states, input and output parameters and artifacts (name, type such as `system.Model`, URI, metadata,
 * metrics), read from the KFP API server. Two generations of the API are read (REFERENCE §7.4/§7.5):
 * - released servers: `run_details.task_details[]` whose `inputs`/`outputs` map a key to `{artifact_ids}` (ML
 *   Metadata ids, int64 as JSON strings), resolved with `GET /apis/v2beta1/artifacts/{id}`
 *   (`backend/api/v2beta1/artifacts.proto`: `artifact_type`, `uri`, `artifact_size`; no metadata there);
 * - servers after the MLMD removal (`proposals/12147-mlmd-removal`): `tasks[]` on `GET /runs/{id}?view=FULL`, with
 *   `inputs`/`outputs` `{parameters: [{parameter_key, value, type, producer}], artifacts: [{artifact_key, type,
 *   producer, artifacts: [Artifact]}]}` (artifacts inline, with `metadata` and, for a metric, `number_value`), and
 *   `GET /apis/v2beta1/artifact_tasks?artifact_ids=` for who produced and who consumed an artifact.
 * ML Metadata's own gRPC-web service is not read: upstream is removing it.
 */
import { KubeError } from './errors';
import type { KfpApi, KfpRun, KfpTaskDetail } from './kfpApi';

/** An artifact as a task saw it. */
export interface KfpArtifactView {
  /** The input or output key of the task (`model`, `metrics`, …). */
  key: string;
  id?: string;
  name?: string;
  /** `system.Model`, `system.Dataset`, `system.Metrics`, … (or the newer API's type name). */
  type?: string;
  uri?: string;
  size?: number;
  metadata?: Record<string, unknown>;
  /** A metric artifact's value (newer API: one artifact per metric, named by its key). */
  numberValue?: number;
  /** Why the artifact's details could not be read. */
  error?: string;
}

export interface KfpParameterView {
  key: string;
  value: unknown;
}

export interface KfpIoView {
  parameters: KfpParameterView[];
  artifacts: KfpArtifactView[];
}

/** One task of a run (an IR task, or a node the server reports, such as a nested DAG). */
export interface KfpTaskView {
  id: string;
  name: string;
  state?: string;
  startTime?: string;
  endTime?: string;
  /** The pod that ran it, for its logs through the kube context. */
  podName?: string;
  parentId?: string;
  error?: string;
  inputs: KfpIoView;
  outputs: KfpIoView;
}

/** A run with its tasks. `tasksKnown` is false when the server reports no tasks at all (the run state alone). */
export interface KfpRunView {
  run: KfpRun;
  tasks: KfpTaskView[];
  tasksKnown: boolean;
  /** The tasks came from `view=FULL` (a newer server): ask for it at once next time. */
  full: boolean;
  /** Why a run of a pipeline version has no `pipeline_spec` (its version could not be read). */
  specError?: string;
}

/** A task of the newer API (`V2beta1PipelineTask`). */
interface PipelineTask {
  task_id?: string;
  name?: string;
  display_name?: string;
  state?: string;
  create_time?: string;
  end_time?: string;
  parent_task_id?: string;
  pods?: { name?: string; type?: string }[];
  inputs?: PipelineTaskIo;
  outputs?: PipelineTaskIo;
  status_metadata?: { message?: string };
}

interface PipelineTaskIo {
  parameters?: { parameter_key?: string; value?: unknown }[];
  artifacts?: { artifact_key?: string; artifacts?: ArtifactBody[] }[];
}

/** An artifact body of either API generation. */
interface ArtifactBody {
  artifact_id?: string;
  name?: string;
  uri?: string;
  artifact_type?: string;
  type?: string | { schema_title?: string };
  artifact_size?: string | number;
  metadata?: Record<string, unknown>;
  number_value?: number;
  error?: { message?: string };
}

/** The tasks of a run as the server reported them, artifacts not yet resolved (ids only on released servers). */
export function taskViews(run: KfpRun): KfpTaskView[] {
  const irTasks = irTaskNames(run.pipeline_spec);
  const tasks = Array.isArray(run.tasks)
    ? (run.tasks as PipelineTask[]).map(fromPipelineTask)
    : (run.run_details?.task_details ?? []).map(fromTaskDetail);
  // released servers report every workflow node (root, drivers); keep the IR's tasks when the spec names them
  const named = tasks.filter((t) => irTasks.has(t.name));
  return named.length ? named : tasks;
}

/**
 * Reads a run with its tasks: `GET /runs/{id}`, then `?view=FULL` when the first answer has no tasks (newer servers
 * serve tasks only there; an older server refusing the view is not an error). `full` asks for the full view at once
 * (a caller that polls remembers it from the first read's `full`). Artifact bodies are looked up in `artifacts` first:
 * they do not change once written, so a poll reads each id once.
 */
export async function readRunView(
  api: KfpApi,
  runId: string,
  options: { artifacts?: Map<string, ArtifactBody>; full?: boolean; versions?: Map<string, KfpSpec> } = {},
): Promise<KfpRunView> {
  let full = !!options.full;
  let run = await api.getRun(runId, full ? { view: 'FULL' } : {});
  if (!full && !hasTasks(run)) {
    try {
      const withTasks = await api.getRun(runId, { view: 'FULL' });
      if (hasTasks(withTasks)) (run = withTasks), (full = true);
    } catch (e) {
      if (!(e instanceof KubeError) || (e.kind !== 'invalid' && e.kind !== 'not-found')) throw e;
    }
  }
  const specError = await withVersionSpec(api, run, options.versions);
  const tasks = taskViews(run);
  await resolveArtifacts(api, tasks, options.artifacts);
  return { run, tasks, tasksKnown: hasTasks(run), full, ...(specError ? { specError } : {}) };
}

/** A pipeline spec as the API carries it: the IR, or `{pipeline_spec, platform_spec}`. */
type KfpSpec = Record<string, unknown>;

/**
 * A run created from an uploaded pipeline version carries only the reference (the `pipeline_source` oneof): the IR
 * that names its tasks and draws its graph is the version's, put on the run as `pipeline_spec`. Read once per version
 * (`cache` keeps it across polls: a version does not change); returns why it could not be read.
 */
async function withVersionSpec(api: KfpApi, run: KfpRun, cache = new Map<string, KfpSpec>()): Promise<string | undefined> {
  const ref = run.pipeline_version_reference;
  if (run.pipeline_spec || !ref?.pipeline_id || !ref.pipeline_version_id) return undefined;
  const key = `${ref.pipeline_id}/${ref.pipeline_version_id}`;
  if (!cache.has(key)) {
    try {
      const spec = (await api.getPipelineVersion(ref.pipeline_id, ref.pipeline_version_id)).pipeline_spec;
      if (!spec) return `pipeline version ${ref.pipeline_version_id} has no pipeline spec`;
      cache.set(key, spec);
    } catch (e) {
      if (!(e instanceof KubeError)) throw e;
      return `its pipeline version could not be read: ${e.message}`;
    }
  }
  run.pipeline_spec = cache.get(key);
  return undefined;
}

/**
 * Fills in the artifacts known only by id (`GET /artifacts/{id}`), each id once (`cache` carries the bodies across
 * reads; an error is not kept, so the next read asks again). A server without the artifacts route (404/501) leaves
 * the ids, with a note on each.
 */
export async function resolveArtifacts(
  api: KfpApi,
  tasks: readonly KfpTaskView[],
  cache: Map<string, ArtifactBody> = new Map(),
): Promise<void> {
  const wanted = tasks.flatMap((t) => [...t.inputs.artifacts, ...t.outputs.artifacts]).filter((a) => a.id && !a.uri && !a.type);
  const errors = new Map<string, string>();
  let unsupported: string | undefined;
  for (const a of wanted) {
    const id = a.id!;
    if (!cache.has(id) && !errors.has(id) && !unsupported) {
      try {
        cache.set(id, await api.request<ArtifactBody>('GET', `/apis/v2beta1/artifacts/${encodeURIComponent(id)}`));
      } catch (e) {
        if (!(e instanceof KubeError)) throw e;
        if ((e.status === 404 && !/artifact/i.test(e.message)) || e.status === 501) unsupported = 'this KFP server does not serve artifact details';
        else errors.set(id, e.message);
      }
    }
    const body = cache.get(id);
    if (body) Object.assign(a, artifactView(a.key, body), { key: a.key });
    else a.error = errors.get(id) ?? unsupported;
  }
}

/** The metrics of a run's tasks: `task/metric → number` (from metrics artifacts' metadata or metric artifacts). */
export function runMetrics(tasks: readonly KfpTaskView[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tasks)
    for (const a of t.outputs.artifacts) {
      if (!isMetricsType(a.type)) continue;
      if (a.numberValue !== undefined) out.set(`${t.name}/${a.name ?? a.key}`, a.numberValue);
      for (const [k, v] of Object.entries(a.metadata ?? {}))
        if (typeof v === 'number' && k !== 'display_name') out.set(`${t.name}/${k}`, v);
    }
  return out;
}

export function isMetricsType(type: string | undefined): boolean {
  return !!type && /(^|\.)(Metrics|Metric|ClassificationMetrics|SlicedClassificationMetrics)$/i.test(type);
}

/** One place an artifact was produced or consumed. */
export interface KfpArtifactUse {
  runId: string;
  runName?: string;
  task: string;
  key?: string;
}

/** Who produced an artifact and who consumed it, and how far that was looked for. */
export interface KfpArtifactLineage {
  artifactId: string;
  producer?: KfpArtifactUse;
  consumers: KfpArtifactUse[];
  /** `artifact-tasks`: the server's artifact-task links (every run); `experiment`: the runs of the run's experiment. */
  scope: 'artifact-tasks' | 'experiment';
  /** Runs of the experiment not read (the scan is bounded). */
  truncated?: boolean;
}

/** How many runs of an experiment a lineage scan reads at most. */
const LINEAGE_RUN_LIMIT = 50;

/**
 * The producer and consumers of an artifact: from `GET /artifact_tasks?artifact_ids=` where the server has it, else
 * by reading the runs of the run's experiment (newest first, at most 50) and their tasks' inputs and outputs.
 */
export async function artifactLineage(api: KfpApi, run: KfpRun, artifactId: string): Promise<KfpArtifactLineage> {
  const views = new Map<string, Promise<KfpRunView>>();
  const viewOf = (id: string) => {
    if (!views.has(id)) views.set(id, readRunView(api, id));
    return views.get(id)!;
  };
  try {
    const links = await api.request<{ artifact_tasks?: { run_id?: string; task_id?: string; type?: string; key?: string }[] }>(
      'GET',
      '/apis/v2beta1/artifact_tasks',
      { artifact_ids: artifactId, page_size: '200' },
    );
    const out: KfpArtifactLineage = { artifactId, consumers: [], scope: 'artifact-tasks' };
    for (const l of links.artifact_tasks ?? []) {
      if (!l.run_id) continue;
      const v = await viewOf(l.run_id).catch(() => undefined);
      const task = v?.tasks.find((t) => t.id === l.task_id)?.name ?? l.task_id ?? '?';
      const use: KfpArtifactUse = { runId: l.run_id, runName: v?.run.display_name, task, key: l.key };
      if (isOutputType(l.type)) out.producer ??= use;
      else out.consumers.push(use);
    }
    return out;
  } catch (e) {
    if (!(e instanceof KubeError) || (e.status !== 404 && e.status !== 501 && e.kind !== 'invalid')) throw e;
  }
  const out: KfpArtifactLineage = { artifactId, consumers: [], scope: 'experiment' };
  const list = await api.listRuns({
    experimentId: run.experiment_id,
    pageSize: LINEAGE_RUN_LIMIT,
    sortBy: 'created_at desc',
  });
  const runs = list.runs.some((r) => r.run_id === run.run_id) ? list.runs : [run, ...list.runs];
  out.truncated = !!list.next_page_token;
  for (const r of runs.slice(0, LINEAGE_RUN_LIMIT)) {
    const v = await viewOf(r.run_id).catch(() => undefined);
    for (const t of v?.tasks ?? []) {
      const use = (key: string): KfpArtifactUse => ({ runId: r.run_id, runName: r.display_name, task: t.name, key });
      for (const a of t.outputs.artifacts) if (a.id === artifactId) out.producer ??= use(a.key);
      for (const a of t.inputs.artifacts) if (a.id === artifactId) out.consumers.push(use(a.key));
    }
  }
  return out;
}

/** A row of the compare view: a parameter or metric, with each run's value (undefined where it has none). */
export interface KfpCompareRow {
  section: 'parameter' | 'metric' | 'run';
  name: string;
  values: unknown[];
  /** The values differ. */
  differs: boolean;
}

/** Two or more runs side by side: state and duration, parameters (`runtime_config.parameters`), metrics. */
export function compareRuns(views: readonly KfpRunView[]): KfpCompareRow[] {
  const rows: KfpCompareRow[] = [];
  const add = (section: KfpCompareRow['section'], name: string, values: unknown[]) =>
    rows.push({ section, name, values, differs: new Set(values.map((v) => JSON.stringify(v))).size > 1 });
  add('run', 'state', views.map((v) => v.run.state));
  add('run', 'duration', views.map((v) => durationText(v.run)));
  const params = new Set(views.flatMap((v) => Object.keys(v.run.runtime_config?.parameters ?? {})));
  for (const p of [...params].sort()) add('parameter', p, views.map((v) => v.run.runtime_config?.parameters?.[p]));
  const metrics = views.map((v) => runMetrics(v.tasks));
  const names = new Set(metrics.flatMap((m) => [...m.keys()]));
  for (const n of [...names].sort()) add('metric', n, metrics.map((m) => m.get(n)));
  return rows;
}

function durationText(run: KfpRun): string | undefined {
  const start = Date.parse(run.created_at ?? '');
  const end = Date.parse(run.finished_at ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  return `${Math.round((end - start) / 1000)}s`;
}

function isOutputType(type: string | undefined): boolean {
  return type === 'OUTPUT' || type === 'ITERATOR_OUTPUT' || type === 'ONE_OF_OUTPUT';
}

function hasTasks(run: KfpRun): boolean {
  return (Array.isArray(run.tasks) && run.tasks.length > 0) || (run.run_details?.task_details?.length ?? 0) > 0;
}

function fromTaskDetail(t: KfpTaskDetail): KfpTaskView {
  const ids = (io: unknown): KfpArtifactView[] =>
    Object.entries(isObject(io) ? io : {}).flatMap(([key, list]) => {
      const got = isObject(list) && Array.isArray(list.artifact_ids) ? list.artifact_ids : [];
      return got.map((id) => ({ key, id: String(id) }));
    });
  return {
    id: t.task_id ?? t.display_name ?? '?',
    name: t.display_name ?? t.task_id ?? '?',
    state: t.state,
    startTime: t.start_time ?? t.create_time,
    endTime: t.end_time,
    podName: t.pod_name,
    parentId: typeof t.parent_task_id === 'string' && t.parent_task_id ? t.parent_task_id : undefined,
    error: t.error?.message,
    inputs: { parameters: [], artifacts: ids(t.inputs) },
    outputs: { parameters: [], artifacts: ids(t.outputs) },
  };
}

function fromPipelineTask(t: PipelineTask): KfpTaskView {
  const io = (x: PipelineTaskIo | undefined): KfpIoView => ({
    parameters: (x?.parameters ?? []).map((p) => ({ key: p.parameter_key ?? '?', value: p.value })),
    artifacts: (x?.artifacts ?? []).flatMap((group) =>
      (group.artifacts ?? []).map((a) => artifactView(group.artifact_key ?? a.name ?? '?', a)),
    ),
  });
  const name = t.display_name ?? t.name ?? t.task_id ?? '?';
  return {
    id: t.task_id ?? name,
    name,
    state: t.state,
    startTime: t.create_time,
    endTime: t.end_time,
    podName: t.pods?.find((p) => p.type === 'EXECUTOR')?.name ?? t.pods?.[0]?.name,
    parentId: t.parent_task_id || undefined,
    error: t.status_metadata?.message,
    inputs: io(t.inputs),
    outputs: io(t.outputs),
  };
}

function artifactView(key: string, a: ArtifactBody): KfpArtifactView {
  const type = typeof a.type === 'string' ? a.type : (a.type?.schema_title ?? a.artifact_type);
  const size = a.artifact_size === undefined ? undefined : Number(a.artifact_size);
  return {
    key,
    ...(a.artifact_id !== undefined ? { id: String(a.artifact_id) } : {}),
    ...(a.name ? { name: a.name } : {}),
    ...(type ? { type } : {}),
    ...(a.uri ? { uri: a.uri } : {}),
    ...(size !== undefined && Number.isFinite(size) ? { size } : {}),
    ...(isObject(a.metadata) ? { metadata: a.metadata } : {}),
    ...(typeof a.number_value === 'number' ? { numberValue: a.number_value } : {}),
    ...(a.error?.message ? { error: a.error.message } : {}),
  };
}

/** Every task name of the IR's DAGs (root and nested), for telling IR tasks from workflow nodes. */
function irTaskNames(spec: unknown): Set<string> {
  const names = new Set<string>();
  const s = isObject(spec) && isObject(spec.pipeline_spec) ? spec.pipeline_spec : spec;
  if (!isObject(s)) return names;
  const dags = [s.root, ...(isObject(s.components) ? Object.values(s.components) : [])];
  for (const c of dags) {
    const tasks = isObject(c) && isObject(c.dag) && isObject(c.dag.tasks) ? c.dag.tasks : {};
    for (const [name, t] of Object.entries(tasks)) {
      names.add(name);
      const info = isObject(t) && isObject(t.taskInfo) ? t.taskInfo.name : undefined;
      if (typeof info === 'string') names.add(info);
    }
  }
  return names;
}

function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
