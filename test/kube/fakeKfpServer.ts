/**
 * TEST DOUBLE — NOT KUBEFLOW PIPELINES. No KFP can be installed on the machines this project is tested on, so the
 * kube core's KFP client and `tekton-ls kfp submit` are driven against this local HTTP server, which answers the REST
 * calls they make the way the KFP API server (v2beta1) does.
 *
 * What it follows (kubeflow/pipelines@7b70c7b95f, REFERENCE §7.3/§7.5):
 * - Routes of `backend/api/v2beta1/run.proto` and `experiment.proto` (grpc-gateway, `backend/src/apiserver/main.go`):
 *   `GET /apis/v2beta1/healthz`; `POST /apis/v2beta1/runs`, `GET /apis/v2beta1/runs[?experiment_id=]`,
 *   `GET /apis/v2beta1/runs/{run_id}`, `POST /apis/v2beta1/runs/{run_id}:terminate|:retry|:archive`;
 *   `GET /apis/v2beta1/experiments[?filter=]` and `POST /apis/v2beta1/experiments`.
 * - Shapes of `backend/api/v2beta1/swagger/run.swagger.json`: snake_case names, empty fields omitted (an empty list
 *   is `{}`), run `state`, `state_history`, `run_details.task_details`; an unknown request field is a 400.
 * - Errors as grpc-gateway v2 writes them: `{code, message, details: []}` with gRPC codes (3 InvalidArgument,
 *   5 NotFound, 6 AlreadyExists, 16 Unauthenticated) and their HTTP statuses.
 * - Create checks of `backend/src/apiserver/template/v2_template.go validatePipelineJobInputs`: required parameters,
 *   the JSON type of each value, no extra parameters, `literals`; `pipeline_spec` as the spec or
 *   `{pipeline_spec, platform_spec}` (`api_util.go`); `experiment_id` from the body.
 * - Experiments filter `{"predicates":[{"operation":1,"key":"display_name","stringValue":…}]}` (EQUALS); a duplicate
 *   display name on create is 409.
 * - A scripted lifecycle: a run is created PENDING; every GET of it moves it one step along its script
 *   (PENDING → RUNNING → SUCCEEDED or FAILED by default), with task_details per step; terminate → CANCELED.
 * - Artifacts, as the two API generations report them (REFERENCE §7.4/§7.5): by default, released servers:
 *   `run_details.task_details[].inputs|outputs` = `{key: {artifact_ids: ["<int64>"]}}` and
 *   `GET /apis/v2beta1/artifacts/{id}` (`artifacts.proto`: `artifact_id`, `uri`, `artifact_type`, `artifact_size`);
 *   with `generation: 'tasks'`, servers after the MLMD removal: no task_details, `tasks[]` only with `?view=FULL`
 *   (`V2beta1PipelineTask`: `inputs|outputs.{parameters, artifacts: [{artifact_key, type, producer, artifacts}]}`,
 *   `pods`), artifacts inline with `metadata`, and `GET /apis/v2beta1/artifact_tasks?artifact_ids=`. A task's
 *   artifacts follow the IR the run was created with: its component's `outputDefinitions.artifacts`, and its
 *   `inputs.artifacts` taken from the producer task's output (`taskOutputArtifact`); metrics values come from
 *   `metrics` (task → name → number).
 * - Reached directly (endpoint mode, optional bearer token check → 401) or through FakeApiServer's service proxy.
 * - Runs of an uploaded pipeline version (`pipeline.proto`): `GET /apis/v2beta1/pipelines/{pipeline_id}/versions/
 *   {pipeline_version_id}` answers the version with its `pipeline_spec`; a run created with
 *   `pipeline_version_reference` is answered with that reference and no `pipeline_spec` (the `Run.pipeline_source`
 *   oneof, REFERENCE §7.3). Versions are added by the test (`addPipelineVersion`), not uploaded.
 *
 * What it does not cover: pipeline upload and listing, pipelines by name, recurring runs, ML Metadata itself,
 * artifacts of tasks that the script does not name, namespaces/multi-user authorization (SubjectAccessReview, the user id header), TokenReview audiences
 * (any configured token is accepted), pagination (`page_token`/`page_size` ignored), sorting, filters other than
 * display_name EQUALS, archive/unarchive of experiments, run deletion, the IR's own validation (the spec is stored
 * as it is), Argo workflows and real execution, `+`/`%` double unescaping.
 */
import { closeServer, listenOnLoopback, withBody } from './loopback';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';

type Obj = Record<string, any>;

/** A request as the double saw it. */
export interface KfpRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: Obj;
  status: number;
}

/** One step of a run's scripted life: its state, and the task states to report then. */
export interface KfpScriptStep {
  state: string;
  tasks?: Record<string, string>;
}

/** Options of the double. */
export interface FakeKfpServerOptions {
  /** When set, every request must carry `Authorization: Bearer <token>` (else 401 Unauthenticated). */
  token?: string;
  /** Whether runs have `run_details.task_details` (older servers) — default true. */
  taskDetails?: boolean;
  /** Whether healthz reports `multi_user: true` (and answers without identity, as KFP's API server does). */
  multiUser?: boolean;
  /** Which API generation's task and artifact shapes to serve (see the header); default `mlmd`. */
  generation?: 'mlmd' | 'tasks';
}

const ALLOWED_RUN_FIELDS = new Set([
  'display_name',
  'description',
  'experiment_id',
  'pipeline_spec',
  'pipeline_version_reference',
  'pipeline_version_id',
  'runtime_config',
  'service_account',
  'plugins_input',
]);

const T0 = Date.parse('2025-01-01T10:00:00Z');

/** An in-process HTTP server that speaks enough of the KFP v2beta1 REST API for the CLI and the kube core. */
export class FakeKfpServer {
  readonly requests: KfpRecordedRequest[] = [];
  readonly runs = new Map<string, Obj>();
  readonly experiments: Obj[] = [];
  /** The life of a new run, from its request body (default: succeed, with tasks `train` and `evaluate`). */
  script: (body: Obj) => KfpScriptStep[] = () => SUCCEED;
  /** Make the next requests to a path prefix fail with this status and message (tests of error bodies). */
  readonly failures: { method: string; prefix: string; status: number; code: number; message: string }[] = [];
  /** Metric values that tasks' metrics artifacts report (task name → metric → value); `tasks` generation only. */
  metrics: Record<string, Record<string, number>> = {};
  /** Artifacts created so far, by id. */
  readonly artifacts = new Map<string, Obj>();
  /** Pipeline versions by `pipeline_id/pipeline_version_id`. */
  readonly pipelineVersions = new Map<string, Obj>();
  url = '';
  private readonly server: http.Server;
  private readonly scripts = new Map<string, { steps: KfpScriptStep[]; at: number }>();
  private clock = T0;
  private nextArtifactId = 100;
  /** Per run: its tasks' artifacts (task → 'in'|'out' → key → artifact id), made when a task first appears. */
  private readonly taskArtifacts = new Map<string, Map<string, { in: Record<string, string>; out: Record<string, string> }>>();

  constructor(private readonly options: FakeKfpServerOptions = {}) {
    this.server = http.createServer(withBody((req, res, body) => this.handle(req, res, body)));
  }

  async start(): Promise<string> {
    this.url = await listenOnLoopback(this.server, 'http');
    return this.url;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  /** Forgets requests, runs, experiments and failures. */
  reset(): void {
    this.requests.length = 0;
    this.runs.clear();
    this.scripts.clear();
    this.experiments.length = 0;
    this.failures.length = 0;
    this.script = () => SUCCEED;
    this.metrics = {};
    this.artifacts.clear();
    this.taskArtifacts.clear();
  }

  /** Adds an experiment as if created earlier. */
  addExperiment(displayName: string): Obj {
    const e = { experiment_id: randomUUID(), display_name: displayName, created_at: this.tick(), storage_state: 'AVAILABLE' };
    this.experiments.push(e);
    return e;
  }

  /** Adds a pipeline version as if uploaded earlier; returns the reference a run names it by. */
  addPipelineVersion(spec: Obj, displayName = 'pipeline v1'): { pipeline_id: string; pipeline_version_id: string } {
    const ref = { pipeline_id: randomUUID(), pipeline_version_id: randomUUID() };
    this.pipelineVersions.set(`${ref.pipeline_id}/${ref.pipeline_version_id}`, { ...ref, display_name: displayName, created_at: this.tick(), pipeline_spec: spec });
    return ref;
  }

  /** Requests of the API (method and path), for asserting what was sent. */
  sent(method?: string, path?: string): KfpRecordedRequest[] {
    return this.requests.filter((r) => (!method || r.method === method) && (!path || r.path === path));
  }

  // ---- protocol --------------------------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const rec: KfpRecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(rec);
    const send = (status: number, obj: unknown) => {
      rec.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    const fail = (status: number, code: number, message: string) => send(status, { code, message, details: [] });

    // the API server checks no identity on healthz (only a gateway in front of it would)
    if (this.options.multiUser && url.pathname === '/apis/v2beta1/healthz' && rec.method === 'GET')
      return send(200, { commit_sha: '7b70c7b95f', tag_name: '2.5.0', multi_user: !!this.options.multiUser });
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`)
      return fail(401, 16, 'Unauthenticated: Request header error: there is no user identity header.: Request header error: there is no user identity header.');
    const failure = this.failures.find((f) => f.method === rec.method && rec.path.startsWith(f.prefix));
    if (failure) return fail(failure.status, failure.code, failure.message);
    if (text) {
      try {
        rec.body = JSON.parse(text) as Obj;
      } catch {
        return fail(400, 3, 'proto: syntax error (line 1:1): invalid value');
      }
    }
    const p = url.pathname;
    const version = /^\/apis\/v2beta1\/pipelines\/([^/]+)\/versions\/([^/]+)$/.exec(p);
    if (version && rec.method === 'GET') {
      const v = this.pipelineVersions.get(`${version[1]}/${version[2]}`);
      if (!v) return fail(404, 5, `Failed to get a pipeline version: ResourceNotFoundError: PipelineVersion ${version[2]} not found`);
      return send(200, v);
    }
    const m = /^\/apis\/v2beta1\/(healthz|runs|experiments|artifacts|artifact_tasks)(?:\/([^/:]+)(?::(\w+))?)?$/.exec(p);
    if (!m) return fail(404, 5, 'Not Found');
    const [, collection, id, action] = m;
    const key = `${rec.method} ${collection}${id ? '/{id}' : ''}${action ? `:${action}` : ''}`;
    switch (key) {
      case 'GET healthz':
        return send(200, { commit_sha: '7b70c7b95f', tag_name: '2.5.0', multi_user: false });
      case 'POST runs':
        return this.createRun(rec.body ?? {}, send, fail);
      case 'GET runs': {
        const runs = [...this.runs.values()]
          .filter((r) => !rec.query.experiment_id || r.experiment_id === rec.query.experiment_id)
          .map((r) => this.present(r, false));
        if (rec.query.sort_by === 'created_at desc') runs.reverse();
        return send(200, runs.length ? { runs, total_size: runs.length } : {});
      }
      case 'GET runs/{id}': {
        const run = this.runs.get(id);
        if (!run) return fail(404, 5, `Failed to get a run: Failed to get a run ${id}: ResourceNotFoundError: Run ${id} not found`);
        this.advance(run);
        return send(200, this.present(run, rec.query.view === 'FULL'));
      }
      case 'GET artifacts/{id}': {
        const a = this.options.generation !== 'tasks' && this.artifacts.get(id);
        if (!a) return fail(404, 5, `Failed to get artifact: ResourceNotFoundError: artifact ${id} not found`);
        return send(200, { artifact_id: a.artifact_id, uri: a.uri, artifact_type: a.schema_title, namespace: 'kubeflow', created_at: a.created_at, ...(a.size ? { artifact_size: String(a.size) } : {}) });
      }
      case 'GET artifact_tasks': {
        if (this.options.generation !== 'tasks') return fail(404, 5, 'Not Found');
        const ids = new Set((rec.query.artifact_ids ?? '').split(','));
        const links: Obj[] = [];
        for (const [runId, tasks] of this.taskArtifacts)
          for (const [task, io] of tasks) {
            for (const [key, aid] of Object.entries(io.out)) if (ids.has(aid)) links.push({ id: `${aid}-${task}-out`, artifact_id: aid, run_id: runId, task_id: `${runId}-${task}`, type: 'OUTPUT', key });
            for (const [key, aid] of Object.entries(io.in)) if (ids.has(aid)) links.push({ id: `${aid}-${task}-in`, artifact_id: aid, run_id: runId, task_id: `${runId}-${task}`, type: 'TASK_OUTPUT_INPUT', key });
          }
        return send(200, links.length ? { artifact_tasks: links, total_size: links.length } : {});
      }
      case 'POST runs/{id}:terminate':
      case 'POST runs/{id}:retry':
      case 'POST runs/{id}:archive': {
        const run = this.runs.get(id);
        if (!run) return fail(404, 5, `Failed to ${action} a run: ResourceNotFoundError: Run ${id} not found`);
        if (action === 'terminate') this.setState(run, 'CANCELED'), this.scripts.delete(id);
        if (action === 'archive') run.storage_state = 'ARCHIVED';
        if (action === 'retry') {
          if (run.state !== 'FAILED' && run.state !== 'CANCELED')
            return fail(400, 9, `Failed to retry a run: Failed to retry run ${id} with state ${run.state}`);
          this.scripts.set(id, { steps: [{ state: 'RUNNING' }, { state: 'SUCCEEDED' }], at: 0 });
          this.setState(run, 'PENDING');
        }
        return send(200, {});
      }
      case 'GET experiments': {
        let list = this.experiments;
        if (rec.query.filter !== undefined) {
          let filter: Obj;
          try {
            filter = JSON.parse(rec.query.filter) as Obj;
          } catch {
            return fail(400, 3, 'Failed to list experiments: Invalid input error: failed to parse valid filter');
          }
          for (const pr of filter.predicates ?? []) {
            if (pr.operation !== 1 && pr.operation !== 'EQUALS') return fail(400, 3, 'the double supports only EQUALS');
            list = list.filter((e) => e[pr.key] === (pr.stringValue ?? pr.string_value));
          }
        }
        return send(200, list.length ? { experiments: list, total_size: list.length } : {});
      }
      case 'POST experiments': {
        const name = rec.body?.display_name;
        if (!name) return fail(400, 3, 'Failed to create an experiment: Invalid input error: Experiment name is empty. Please specify a valid experiment name');
        if (this.experiments.some((e) => e.display_name === name))
          return fail(409, 6, `Failed to create an experiment: Already exist error: Failed to create a new experiment. The name ${name} already exists. Please specify a new name`);
        const e = { experiment_id: randomUUID(), display_name: name, created_at: this.tick(), storage_state: 'AVAILABLE' };
        this.experiments.push(e);
        return send(200, e);
      }
      default:
        return fail(404, 5, 'Not Found');
    }
  }

  private createRun(body: Obj, send: (s: number, o: unknown) => void, fail: (s: number, c: number, m: string) => void): void {
    for (const k of Object.keys(body))
      if (!ALLOWED_RUN_FIELDS.has(k)) return fail(400, 3, `proto: (line 1:2): unknown field "${k}"`);
    if (!body.display_name) return fail(400, 3, 'Failed to create a run: Invalid input error: The run name is empty. Please specify a valid name');
    const ref = body.pipeline_version_reference;
    const version = ref && this.pipelineVersions.get(`${ref.pipeline_id}/${ref.pipeline_version_id}`);
    if (ref && !version)
      return fail(404, 5, `Failed to create a run: Failed to fetch a pipeline version: ResourceNotFoundError: PipelineVersion ${ref.pipeline_version_id} not found`);
    const source = version ? version.pipeline_spec : body.pipeline_spec;
    const wrapped = source && typeof source === 'object' && 'pipeline_spec' in source;
    const spec = wrapped ? source.pipeline_spec : source;
    if (!spec || typeof spec !== 'object' || !spec.root)
      return fail(400, 3, 'Failed to create a run: Invalid input error: Failed to fetch a template with an invalid pipeline spec manifest');
    if (body.experiment_id && !this.experiments.some((e) => e.experiment_id === body.experiment_id))
      return fail(404, 5, `Failed to create a run: Failed to fetch experiment: ResourceNotFoundError: Experiment ${body.experiment_id} not found`);
    const problem = checkInputs(spec.root?.inputDefinitions?.parameters ?? {}, body.runtime_config?.parameters ?? {});
    if (problem) return fail(400, 3, `Failed to create a run: Invalid input error: ${problem}`);
    const runId = randomUUID();
    const now = this.tick();
    const run: Obj = {
      experiment_id: body.experiment_id ?? this.defaultExperiment(),
      run_id: runId,
      display_name: body.display_name,
      storage_state: 'AVAILABLE',
      // the Run.pipeline_source oneof: a run of a version carries the reference, not the spec
      ...(version ? { pipeline_version_reference: ref, versionSpec: version.pipeline_spec } : { pipeline_spec: body.pipeline_spec }),
      runtime_config: body.runtime_config?.parameters && Object.keys(body.runtime_config.parameters).length ? { parameters: body.runtime_config.parameters } : undefined,
      service_account: 'pipeline-runner',
      created_at: now,
      scheduled_at: '1970-01-01T00:00:00Z',
      finished_at: '1970-01-01T00:00:00Z',
      state: 'PENDING',
      state_history: [{ update_time: now, state: 'PENDING' }],
    };
    if (!run.runtime_config) delete run.runtime_config;
    if (body.description) run.description = body.description;
    this.runs.set(runId, run);
    this.scripts.set(runId, { steps: this.script(body), at: 0 });
    send(200, this.present(run, false));
  }

  private defaultExperiment(): string {
    return (this.experiments.find((e) => e.display_name === 'Default') ?? this.addExperiment('Default')).experiment_id;
  }

  /** Moves a run one step along its script. */
  private advance(run: Obj): void {
    const s = this.scripts.get(run.run_id);
    if (!s || s.at >= s.steps.length) return;
    const step = s.steps[s.at++];
    this.setState(run, step.state);
    if (step.tasks && this.options.taskDetails !== false) {
      run.taskStates = step.tasks;
      run.taskTimes ??= {};
      for (const [name, state] of Object.entries(step.tasks)) {
        const times = (run.taskTimes[name] ??= { start: this.tick() });
        if (['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELED'].includes(state) && !times.end) times.end = this.tick();
      }
    }
  }

  /** The run as the API answers it: task details (released servers) or, with `view=FULL`, tasks (newer servers). */
  private present(run: Obj, full: boolean): Obj {
    const { taskStates, taskTimes, versionSpec, ...out } = run;
    if (!taskStates) return out;
    const tasks = Object.entries(taskStates as Record<string, string>).map(([name, state]) => ({ name, state, io: this.artifactsOf(run, name) }));
    if (this.options.generation === 'tasks') {
      if (!full) return out;
      const artifactsOf = (io: Record<string, string>, type: string) =>
        Object.entries(io).map(([key, aid]) => {
          const a = this.artifacts.get(aid)!;
          const metrics = this.metrics[a.task];
          return {
            artifact_key: key,
            type,
            ...(type === 'OUTPUT' ? {} : { producer: { task_name: a.task } }),
            artifacts: [{ artifact_id: aid, name: key, type: a.schema_title, uri: a.uri, created_at: a.created_at, ...(metrics && /Metrics$/.test(a.schema_title) ? { metadata: metrics } : {}) }],
          };
        });
      out.tasks = tasks.map((t) => ({
        name: t.name,
        display_name: t.name,
        task_id: `${run.run_id}-${t.name}`,
        run_id: run.run_id,
        state: t.state,
        create_time: taskTimes[t.name].start,
        ...(taskTimes[t.name].end ? { end_time: taskTimes[t.name].end } : {}),
        pods: [{ name: `${run.run_id.slice(0, 8)}-${t.name}-executor`, type: 'EXECUTOR' }],
        inputs: { artifacts: artifactsOf(t.io.in, 'TASK_OUTPUT_INPUT') },
        outputs: { artifacts: artifactsOf(t.io.out, 'OUTPUT') },
      }));
      return out;
    }
    const ids = (io: Record<string, string>) => Object.fromEntries(Object.entries(io).map(([k, id]) => [k, { artifact_ids: [id] }]));
    out.run_details = {
      task_details: tasks.map((t) => ({
        run_id: run.run_id,
        task_id: `${run.run_id}-${t.name}`,
        display_name: t.name,
        create_time: run.created_at,
        start_time: taskTimes[t.name].start,
        ...(taskTimes[t.name].end ? { end_time: taskTimes[t.name].end } : {}),
        state: t.state,
        pod_name: `${run.run_id.slice(0, 8)}-${t.name}-executor`,
        ...(Object.keys(t.io.in).length ? { inputs: ids(t.io.in) } : {}),
        ...(Object.keys(t.io.out).length ? { outputs: ids(t.io.out) } : {}),
      })),
    };
    return out;
  }

  /** The artifacts of a task of a run, made from the run's IR the first time (outputs, then inputs from producers). */
  private artifactsOf(run: Obj, task: string): { in: Record<string, string>; out: Record<string, string> } {
    let tasks = this.taskArtifacts.get(run.run_id);
    if (!tasks) this.taskArtifacts.set(run.run_id, (tasks = new Map()));
    const known = tasks.get(task);
    if (known) return known;
    const source = run.pipeline_spec ?? run.versionSpec;
    const spec = source?.pipeline_spec ?? source ?? {};
    const irTask = findIrTask(spec, task);
    const io = { in: {} as Record<string, string>, out: {} as Record<string, string> };
    tasks.set(task, io);
    const component = irTask ? spec.components?.[irTask.componentRef?.name] : undefined;
    for (const [key, def] of Object.entries((component?.outputDefinitions?.artifacts ?? {}) as Obj)) {
      const id = String(this.nextArtifactId++);
      const schema = def?.artifactType?.schemaTitle ?? 'system.Artifact';
      this.artifacts.set(id, { artifact_id: id, task, schema_title: schema, uri: `minio://mlpipeline/v2/artifacts/${spec.pipelineInfo?.name ?? 'p'}/${run.run_id}/${task}/${key}`, created_at: this.tick(), size: /Metrics$/.test(schema) ? 0 : 1024 });
      io.out[key] = id;
    }
    for (const [key, input] of Object.entries((irTask?.inputs?.artifacts ?? {}) as Obj)) {
      const from = input?.taskOutputArtifact;
      if (!from?.producerTask) continue;
      const id = this.artifactsOf(run, from.producerTask).out[from.outputArtifactKey];
      if (id) io.in[key] = id;
    }
    return io;
  }

  private setState(run: Obj, state: string): void {
    const now = this.tick();
    run.state = state;
    run.state_history.push({ update_time: now, state });
    if (['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELED'].includes(state)) run.finished_at = now;
    if (state === 'FAILED') run.error = { code: 2, message: 'task "evaluate" failed: exit code 1' };
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace('.000Z', 'Z');
  }
}

/** The default life of a run: PENDING → RUNNING (train running) → RUNNING (evaluate running) → SUCCEEDED. */
export const SUCCEED: KfpScriptStep[] = [
  { state: 'PENDING' },
  { state: 'RUNNING', tasks: { train: 'RUNNING' } },
  { state: 'RUNNING', tasks: { train: 'SUCCEEDED', evaluate: 'RUNNING' } },
  { state: 'SUCCEEDED', tasks: { train: 'SUCCEEDED', evaluate: 'SUCCEEDED' } },
];

/** A run whose evaluate task fails. */
export const FAIL: KfpScriptStep[] = [
  { state: 'RUNNING', tasks: { train: 'RUNNING' } },
  { state: 'RUNNING', tasks: { train: 'SUCCEEDED', evaluate: 'RUNNING' } },
  { state: 'FAILED', tasks: { train: 'SUCCEEDED', evaluate: 'FAILED' } },
];

/** The task of that name in any DAG of the IR. */
function findIrTask(spec: Obj, name: string): Obj | undefined {
  for (const c of [spec.root, ...Object.values((spec.components ?? {}) as Obj)]) {
    const t = c?.dag?.tasks?.[name];
    if (t) return t;
  }
  return undefined;
}

/** validatePipelineJobInputs: required, JSON type, extra parameters, literals. Returns the first problem. */
function checkInputs(specs: Obj, values: Obj): string | undefined {
  for (const name of Object.keys(values))
    if (!(name in specs)) return `pipeline job has an input parameter "${name}" that is not defined in the pipeline spec`;
  for (const [name, spec] of Object.entries(specs) as [string, Obj][]) {
    if (!(name in values)) {
      if (spec.defaultValue === undefined && !spec.isOptional) return `input parameter "${name}" is required`;
      continue;
    }
    const v = values[name];
    const ok: Record<string, (x: unknown) => boolean> = {
      STRING: (x) => typeof x === 'string',
      NUMBER_INTEGER: (x) => typeof x === 'number' && Number.isInteger(x),
      NUMBER_DOUBLE: (x) => typeof x === 'number',
      BOOLEAN: (x) => typeof x === 'boolean',
      LIST: (x) => Array.isArray(x),
      STRUCT: (x) => !!x && typeof x === 'object' && !Array.isArray(x),
    };
    const type = spec.parameterType ?? 'STRING';
    if (ok[type] && !ok[type](v)) return `input parameter "${name}" requires type ${type}, got ${JSON.stringify(v)}`;
    if (Array.isArray(spec.literals) && spec.literals.length && !spec.literals.some((l: unknown) => JSON.stringify(l) === JSON.stringify(v)))
      return `input parameter "${name}" value ${JSON.stringify(v)} is not one of the allowed literals`;
  }
  return undefined;
}
