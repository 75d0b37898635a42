/**
 * The Kubeflow Pipelines REST API (v2beta1) for the client and the CLI: runs (create, get, list, terminate, retry,
 * archive), experiments (find by display name, create) and health.
 *
 * Two ways to reach it (kubeflow/pipelines `sdk/python/kfp/client/client.py _load_config`):
 * - the current kube context, through the API server's service proxy
 *   `<server>/api/v1/namespaces/<ns>/services/ml-pipeline:http/proxy` (TLS, tokens, client certificates, exec plugins
 *   and OIDC as for the Tekton side, from the kubeconfig's user);
 * - an explicit endpoint URL (the base under which `/apis/v2beta1/...` lives), with an optional bearer token.
 *
 * Answers use snake_case names and omit empty fields (`backend/api/v2beta1/swagger/run.swagger.json`); errors are
 * grpc-gateway bodies `{code, message, details}`, whose `message` becomes the KubeError's message. Tokens never appear
 * in messages.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { fromAuthError, fromNetworkError, KubeError, redact, type ErrorContext, type KubeErrorKind } from './errors';
import { errorContext, type ResolvedContext } from './kubeconfig';

/** The KFP API server's Service and port name in a Kubeflow install (`ml-pipeline-apiserver-service.yaml`). */
export const KFP_SERVICE = 'ml-pipeline:http';
/** Where Kubeflow installs KFP. */
export const KFP_DEFAULT_NAMESPACE = 'kubeflow';

/** Where the KFP API is. */
export type KfpTarget =
  | { kind: 'proxy'; context: ResolvedContext; /** Namespace of the ml-pipeline Service (default kubeflow). */ namespace?: string }
  | { kind: 'endpoint'; url: string; token?: string };

/** A run's state (`V2beta1RuntimeState`). Terminal: SUCCEEDED, SKIPPED, FAILED, CANCELED. */
export type KfpRunState =
  | 'RUNTIME_STATE_UNSPECIFIED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'SKIPPED'
  | 'FAILED'
  | 'CANCELING'
  | 'CANCELED'
  | 'PAUSED';

export const KFP_TERMINAL_STATES: readonly string[] = ['SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELED'];

/** True for a state a run does not leave (PAUSED is not one). */
export function isTerminalRunState(state: string | undefined): boolean {
  return !!state && KFP_TERMINAL_STATES.includes(state);
}

/** One entry of `run_details.task_details` (older servers; dropped with the MLMD removal). */
export interface KfpTaskDetail {
  run_id?: string;
  task_id?: string;
  display_name?: string;
  create_time?: string;
  start_time?: string;
  end_time?: string;
  state?: KfpRunState;
  execution_id?: string;
  pod_name?: string;
  parent_task_id?: string;
  error?: { code?: number; message?: string };
  /** Artifact ids (ML Metadata's) by input/output key. */
  inputs?: Record<string, { artifact_ids?: string[] }>;
  outputs?: Record<string, { artifact_ids?: string[] }>;
  [key: string]: unknown;
}

/** A run as the API answers it (fields the extension reads; others are kept). */
export interface KfpRun {
  run_id: string;
  display_name?: string;
  experiment_id?: string;
  storage_state?: 'AVAILABLE' | 'ARCHIVED';
  description?: string;
  /** The IR, or `{pipeline_spec, platform_spec}`; absent for a run of an uploaded pipeline version. */
  pipeline_spec?: Record<string, unknown>;
  /** The pipeline version a run was created from (the other branch of the `pipeline_source` oneof). */
  pipeline_version_reference?: { pipeline_id?: string; pipeline_version_id?: string };
  runtime_config?: { parameters?: Record<string, unknown>; pipeline_root?: string };
  service_account?: string;
  created_at?: string;
  scheduled_at?: string;
  finished_at?: string;
  state?: KfpRunState;
  error?: { code?: number; message?: string };
  run_details?: { task_details?: KfpTaskDetail[]; [key: string]: unknown };
  /** Newer servers (after the MLMD removal), with `view=FULL`: the run's tasks (kfpRunDetails.ts reads them). */
  tasks?: unknown[];
  state_history?: { update_time?: string; state?: KfpRunState }[];
  [key: string]: unknown;
}

/** The body of `POST /apis/v2beta1/runs`. */
export interface KfpRunRequest {
  display_name: string;
  description?: string;
  experiment_id?: string;
  /** The IR, or `{pipeline_spec, platform_spec}` when there is a platform spec. */
  pipeline_spec?: Record<string, unknown>;
  /** Instead of `pipeline_spec` (a oneof): an uploaded pipeline version. */
  pipeline_version_reference?: { pipeline_id: string; pipeline_version_id: string };
  runtime_config?: { parameters?: Record<string, unknown>; pipeline_root?: string };
  service_account?: string;
}

/** A pipeline version as the API answers it (fields the extension reads). */
export interface KfpPipelineVersion {
  pipeline_id?: string;
  pipeline_version_id?: string;
  display_name?: string;
  /** The IR, or `{pipeline_spec, platform_spec}`. */
  pipeline_spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface KfpExperiment {
  experiment_id: string;
  display_name: string;
  description?: string;
  created_at?: string;
  namespace?: string;
  storage_state?: string;
  [key: string]: unknown;
}

/** Options of a list request. */
export interface KfpListOptions {
  /** A KFP filter object (`{predicates: [...]}`), sent JSON-encoded. */
  filter?: unknown;
  experimentId?: string;
  /** Kubeflow profile namespace (multi-user installs). */
  namespace?: string;
  pageSize?: number;
  pageToken?: string;
  sortBy?: string;
}

/** Options of the API. */
export interface KfpApiOptions {
  /** Deadline of a request in milliseconds (default 15 s). */
  timeoutMs?: number;
  /**
   * How a user picks an explicit endpoint and a token, for the advice after a 401/403 through the service proxy; "a
   * ServiceAccount token (`kubectl create token …`)" follows it. Default "use the KFP endpoint directly with".
   */
  endpointAdvice?: string;
}

/** A grpc-gateway error body. */
interface GatewayError {
  code?: number;
  message?: string;
  error?: string;
}

/** The Kubeflow Pipelines API at one target. Every failure is a KubeError whose message is safe to show. */
export class KfpApi {
  /** The URL under which `/apis/v2beta1/...` lives. */
  readonly baseUrl: string;
  private readonly errors: ErrorContext;
  private readonly timeoutMs: number;

  constructor(
    readonly target: KfpTarget,
    private readonly options: KfpApiOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15000;
    if (target.kind === 'proxy') {
      const server = target.context.info.server.replace(/\/+$/, '');
      const ns = encodeURIComponent(target.namespace || KFP_DEFAULT_NAMESPACE);
      this.baseUrl = `${server}/api/v1/namespaces/${ns}/services/${KFP_SERVICE}/proxy`;
      this.errors = errorContext(target.context);
    } else {
      this.baseUrl = target.url.replace(/\/+$/, '');
      this.errors = {
        server: this.baseUrl,
        userName: target.token ? 'token' : 'anonymous',
        contextName: 'endpoint',
        secrets: target.token ? [target.token] : [],
      };
    }
  }

  /** One line naming where requests go (never a secret). */
  describe(): string {
    const t = this.target;
    if (t.kind === 'endpoint') return `endpoint ${this.baseUrl}${t.token ? ' (bearer token)' : ''}`;
    const i = t.context.info;
    return `context "${i.contextName}" (cluster "${i.clusterName}", server ${i.server}, user "${i.userName}"), service ${KFP_SERVICE} in namespace "${t.namespace || KFP_DEFAULT_NAMESPACE}"`;
  }

  /** `GET /apis/v2beta1/healthz`. */
  healthz(): Promise<Record<string, unknown>> {
    return this.request('GET', '/apis/v2beta1/healthz');
  }

  /**
   * Where the server says so (`GET /healthz` answers `multi_user`), refuses a multi-user install reached through the
   * service proxy before anything is created there: the proxy does not carry the caller's Kubeflow identity, so KFP
   * would refuse every request (REFERENCE §7.3). A server without healthz, or failing it, is left to answer the real
   * request, whose error says what is wrong.
   */
  async checkMode(): Promise<void> {
    if (this.target.kind !== 'proxy') return;
    let health: Record<string, unknown>;
    try {
      health = await this.healthz();
    } catch {
      return;
    }
    if (health.multi_user !== true) return;
    throw new KubeError(
      'forbidden',
      `Kubeflow Pipelines in namespace "${this.target.namespace || KFP_DEFAULT_NAMESPACE}" runs in multi-user mode, where requests through the API server's service proxy carry no Kubeflow identity and are refused. ${this.authAdvice(401, false).replace(/^.*?identity\. /, '')}`,
      { server: this.errors.server },
    );
  }

  createRun(body: KfpRunRequest): Promise<KfpRun> {
    return this.request('POST', '/apis/v2beta1/runs', undefined, body);
  }

  /** `GET /pipelines/{pipeline_id}/versions/{pipeline_version_id}`: an uploaded version, with its `pipeline_spec`. */
  getPipelineVersion(pipelineId: string, versionId: string): Promise<KfpPipelineVersion> {
    const path = `/apis/v2beta1/pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`;
    return this.request('GET', path);
  }

  /** `GET /runs/{id}`; `view: 'FULL'` asks newer servers for the run's tasks (`tasks`). */
  getRun(runId: string, options: { view?: 'DEFAULT' | 'FULL' } = {}): Promise<KfpRun> {
    return this.request('GET', `/apis/v2beta1/runs/${encodeURIComponent(runId)}`, { view: options.view });
  }

  async listRuns(options: KfpListOptions = {}): Promise<{ runs: KfpRun[]; total_size?: number; next_page_token?: string }> {
    const out = await this.request<{ runs?: KfpRun[]; total_size?: number; next_page_token?: string }>(
      'GET',
      '/apis/v2beta1/runs',
      listQuery(options),
    );
    return { ...out, runs: out.runs ?? [] };
  }

  /** `POST /runs/{id}:terminate`. */
  async terminateRun(runId: string): Promise<void> {
    await this.request('POST', `/apis/v2beta1/runs/${encodeURIComponent(runId)}:terminate`);
  }

  /** `POST /runs/{id}:retry`. */
  async retryRun(runId: string): Promise<void> {
    await this.request('POST', `/apis/v2beta1/runs/${encodeURIComponent(runId)}:retry`);
  }

  /** `POST /runs/{id}:archive`. */
  async archiveRun(runId: string): Promise<void> {
    await this.request('POST', `/apis/v2beta1/runs/${encodeURIComponent(runId)}:archive`);
  }

  async listExperiments(
    options: KfpListOptions & { displayName?: string } = {},
  ): Promise<{ experiments: KfpExperiment[]; total_size?: number; next_page_token?: string }> {
    const filter = options.displayName === undefined ? options.filter : displayNameFilter(options.displayName);
    const out = await this.request<{ experiments?: KfpExperiment[]; total_size?: number; next_page_token?: string }>(
      'GET',
      '/apis/v2beta1/experiments',
      listQuery({ ...options, filter }),
    );
    return { ...out, experiments: out.experiments ?? [] };
  }

  /** The experiment with this display name, if any (an exact match; the server's filter is an equality). */
  async findExperiment(displayName: string, namespace?: string): Promise<KfpExperiment | undefined> {
    const { experiments } = await this.listExperiments({ displayName, namespace });
    return experiments.find((e) => e.display_name === displayName);
  }

  createExperiment(displayName: string, options: { description?: string; namespace?: string } = {}): Promise<KfpExperiment> {
    return this.request('POST', '/apis/v2beta1/experiments', undefined, {
      display_name: displayName,
      ...(options.description ? { description: options.description } : {}),
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
  }

  /** Finds the experiment by display name, creating it when missing (and re-reading it after a racing 409). */
  async ensureExperiment(
    displayName: string,
    namespace?: string,
  ): Promise<{ experiment: KfpExperiment; created: boolean }> {
    const found = await this.findExperiment(displayName, namespace);
    if (found) return { experiment: found, created: false };
    try {
      return { experiment: await this.createExperiment(displayName, { namespace }), created: true };
    } catch (e) {
      if (!(e instanceof KubeError && e.kind === 'conflict')) throw e;
      const again = await this.findExperiment(displayName, namespace);
      if (!again) throw e;
      return { experiment: again, created: false };
    }
  }

  /** Sends one request and parses the JSON answer; non-2xx answers become KubeError with the body's `message`. */
  async request<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query?: Record<string, string | undefined>,
    body?: unknown,
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const options: https.RequestOptions = { method, headers: {} };
    if (this.target.kind === 'proxy') {
      try {
        await this.target.context.kubeConfig.applyToHTTPSOptions(options);
      } catch (e) {
        throw fromAuthError(e, this.errors);
      }
    } else if (this.target.token) {
      (options.headers as Record<string, string>)['Authorization'] = `Bearer ${this.target.token}`;
    }
    const headers = options.headers as Record<string, string>;
    headers['Accept'] = 'application/json';
    headers['User-Agent'] = 'tekton-authoring';
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    let answer: { status: number; text: string };
    try {
      answer = await exchange(url, options, payload, this.timeoutMs);
    } catch (e) {
      throw fromNetworkError(e, this.errors, this.timeoutMs);
    }
    if (answer.status < 200 || answer.status >= 300) throw this.errorOf(answer.status, answer.text);
    try {
      return (answer.text ? JSON.parse(answer.text) : {}) as T;
    } catch {
      throw new KubeError('server', `The KFP API at ${this.baseUrl} answered with something that is not JSON.`, {
        status: answer.status,
        server: this.baseUrl,
      });
    }
  }

  /** Turns an error answer into a KubeError: the body's `message` (KFP's or the API server's Status), with advice. */
  private errorOf(status: number, text: string): KubeError {
    let parsed: GatewayError & { kind?: string } = {};
    try {
      const p = JSON.parse(text) as unknown;
      if (p && typeof p === 'object') parsed = p as GatewayError;
    } catch {
      // plain text (a proxy's or an old server's)
    }
    const said = (parsed.message ?? parsed.error ?? text.trim().slice(0, 300)) || `HTTP ${status}`;
    const kind: KubeErrorKind =
      status === 401
        ? 'unauthorized'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not-found'
            : status === 409
              ? 'conflict'
              : status === 400
                ? 'invalid'
                : 'server';
    let message = said;
    if (status === 401 || status === 403) message = `${said}. ${this.authAdvice(status, parsed.kind === 'Status')}`;
    else if (status === 503 && this.target.kind === 'proxy' && parsed.kind === 'Status')
      message = `${said}. Is Kubeflow Pipelines installed in namespace "${this.target.namespace || KFP_DEFAULT_NAMESPACE}"?`;
    return new KubeError(kind, redact(message.replace(/\.\.\s/, '. '), this.errors.secrets), {
      status,
      server: this.errors.server,
    });
  }

  private authAdvice(status: number, fromKube: boolean): string {
    const t = this.target;
    const token = '`kubectl create token default-editor -n <profile-namespace> --audience pipelines.kubeflow.org`';
    if (t.kind === 'endpoint')
      return status === 401
        ? `The KFP endpoint ${this.baseUrl} rejected ${t.token ? 'the token (expired, or for another audience?)' : 'the request without a token'}: give a ServiceAccount token, e.g. from ${token}.`
        : `The KFP endpoint ${this.baseUrl} denied this to the token's identity: check its access to the Kubeflow profile.`;
    const who = `user "${t.context.info.userName}" of context "${t.context.info.contextName}"`;
    const ns = t.namespace || KFP_DEFAULT_NAMESPACE;
    const endpoint = this.options.endpointAdvice ?? 'use the KFP endpoint directly with';
    if (fromKube && status === 401)
      return `The cluster at ${t.context.info.server} rejected the credentials of ${who}: log in again or refresh the kubeconfig.`;
    if (fromKube)
      return `The cluster denied ${who} the service proxy to ${KFP_SERVICE} in namespace "${ns}" (RBAC on services/proxy): ask for that access, or ${endpoint} a ServiceAccount token (${token}).`;
    return `Kubeflow Pipelines refused the request that came through the API server's service proxy: on a multi-user Kubeflow install the proxy does not carry your Kubeflow identity. ${capitalize(endpoint)} a ServiceAccount token (${token}).`;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The filter that selects experiments (or runs) by display name (`{"predicates":[{"operation":1,...}]}`, EQUALS). */
export function displayNameFilter(name: string): { predicates: { operation: number; key: string; stringValue: string }[] } {
  return { predicates: [{ operation: 1, key: 'display_name', stringValue: name }] };
}

function listQuery(o: KfpListOptions): Record<string, string | undefined> {
  return {
    filter: o.filter === undefined ? undefined : JSON.stringify(o.filter),
    experiment_id: o.experimentId,
    namespace: o.namespace,
    page_size: o.pageSize === undefined ? undefined : String(o.pageSize),
    page_token: o.pageToken,
    sort_by: o.sortBy,
  };
}

/** One HTTP(S) exchange with a deadline on the whole answer. Rejects with the socket's error (or KUBE_TIMEOUT). */
function exchange(
  url: URL,
  options: https.RequestOptions,
  payload: Buffer | undefined,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolvePromise, reject) => {
    const request = send(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolvePromise({ status: res.statusCode ?? 0, text });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(
      () => request.destroy(Object.assign(new Error('timeout'), { code: 'KUBE_TIMEOUT' })),
      timeoutMs,
    );
    request.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    request.end(payload);
  });
}
