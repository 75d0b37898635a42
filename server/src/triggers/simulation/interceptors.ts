/**
 * Interceptor chains as the EventListener runs them (pkg/sink/sink.go ExecuteInterceptors); the core interceptors
 * themselves are in coreInterceptors.ts.
 *
 * - each interceptor receives the body, the headers, the extensions gathered so far and its params (by name, matched
 *   case-insensitively as Go's encoding/json does); `continue=false` stops the trigger; returned extensions are
 *   merged into the running extensions by top-level key;
 * - a form-encoded body (several fields) is converted to a JSON object of string lists before the chain, unless the
 *   first interceptor is a legacy webhook (tektoncd/triggers#2077);
 * - webhook interceptors, custom (Cluster)Interceptors and GitHub API lookups cannot run offline: they are reported
 *   as `unavailable`, or `assumed` to pass when the caller asks for it.
 */
import { goJsonMarshal, goParseQuery, headerGet, mediaType } from './goEncoding';
import { isCoreInterceptor } from '../../document/resourceKind';
import { ParamError, round, runCore, unavailable, type InterceptorRequest, type StepOutcome } from './coreInterceptors';
import type { CelEvaluator, InterceptorStep, LocalSecrets, SimulationOptions, SimulationProblem } from './types';
import { child, rangeAt, type Loc, type WorkspaceResources } from './workspaceResources';

/** The core interceptors served by tekton-triggers-core-interceptors. */

/** An interceptor of a chain, normalised from the v1beta1 `ref`/`params` form or a v1alpha1 inline form. */
export interface InterceptorSpec {
  index: number;
  name?: string;
  /** v1alpha1 `cel:`, `github:`, `gitlab:`, `bitbucket:`, `webhook:`. */
  legacy?: boolean;
  /** A legacy webhook interceptor's `objectRef`/`header`. */
  webhook?: Record<string, unknown>;
  ref?: { name: string; kind: string };
  params: Record<string, unknown>;
  /** Where each param's value is written. */
  paramLocs: Record<string, Loc>;
  loc?: Loc;
}

/** Normalises `interceptors[i]`. `loc` points at the entry. */
export function normalizeInterceptor(raw: unknown, index: number, loc: Loc | undefined): InterceptorSpec {
  const i = (raw ?? {}) as Record<string, unknown>;
  const name = typeof i.name === 'string' ? i.name : undefined;
  const spec: InterceptorSpec = { index, name, params: {}, paramLocs: {}, loc };
  if (i.webhook && typeof i.webhook === 'object') {
    spec.legacy = true;
    spec.webhook = i.webhook as Record<string, unknown>;
    return spec;
  }
  for (const legacy of ['cel', 'github', 'gitlab', 'bitbucket']) {
    const body = i[legacy];
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      spec.legacy = true;
      spec.ref = { name: legacy, kind: 'ClusterInterceptor' };
      spec.params = { ...(body as Record<string, unknown>) };
      for (const k of Object.keys(body)) if (loc) spec.paramLocs[k] = child(loc, legacy, k);
      return spec;
    }
  }
  const ref = (i.ref ?? {}) as Record<string, unknown>;
  spec.ref = {
    name: String(ref.name ?? ''),
    kind: typeof ref.kind === 'string' && ref.kind ? ref.kind : 'ClusterInterceptor',
  };
  const params = Array.isArray(i.params) ? i.params : [];
  params.forEach((p: Record<string, unknown> | null, k: number) => {
    const pname = String(p?.name ?? '');
    // GetInterceptorParams builds a map: a repeated name keeps the last value.
    spec.params[pname] = p?.value;
    if (loc) spec.paramLocs[pname] = child(loc, 'params', k, 'value');
  });
  return spec;
}

/** Everything the chain needs besides the interceptors. */
export interface ChainEnv {
  ws: WorkspaceResources;
  secrets?: LocalSecrets;
  cel: CelEvaluator;
  options: SimulationOptions;
  eventID: string;
  /** The EventListener's namespace (namespaced Interceptors are looked up there). */
  elNamespace: string;
}

/** One run of a chain. */
export interface ChainInput {
  interceptors: InterceptorSpec[];
  body: Buffer;
  header: Record<string, string[]>;
  url: string;
  extensions: Record<string, unknown>;
  /** `namespaces/<ns>/triggers/<name>` or `…/triggerGroups/<name>`; secrets are read in `<ns>`. */
  triggerID: string;
  namespace: string;
}

/** The result of a chain: `body`, `header` and `extensions` are what the bindings then see. */
export interface ChainOutcome {
  status: 'continue' | 'stop' | 'error' | 'unavailable';
  reason?: string;
  steps: InterceptorStep[];
  body: Buffer;
  header: Record<string, string[]>;
  extensions: Record<string, unknown>;
  notes: SimulationProblem[];
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * Runs a chain in order and stops at the first interceptor that does not continue. Never throws on user input.
 */
export async function runInterceptorChain(input: ChainInput, env: ChainEnv): Promise<ChainOutcome> {
  const out: ChainOutcome = {
    status: 'continue',
    steps: [],
    body: input.body,
    header: input.header,
    extensions: input.extensions,
    notes: [],
  };
  if (input.interceptors.length === 0) return out;

  if (
    !input.interceptors[0].webhook &&
    mediaType(headerGet(input.header, 'Content-Type')) === 'application/x-www-form-urlencoded'
  ) {
    const { values, error } = goParseQuery(input.body.toString('utf8'));
    if (!error && values.size > 1) {
      out.body = Buffer.from(goJsonMarshal(Object.fromEntries(values)), 'utf8');
      out.notes.push({
        message: `the form-encoded body (${values.size} fields) was converted to a JSON object of string lists before the interceptors, as the EventListener does`,
        code: 'form-body-converted',
        severity: 'information',
      });
    }
  }

  for (const spec of input.interceptors) {
    const started = performance.now();
    const req: InterceptorRequest = {
      body: out.body,
      header: out.header,
      extensions: out.extensions,
      url: input.url,
      namespace: input.namespace,
    };
    const inputExtensions = clone(out.extensions);
    let outcome: StepOutcome;
    try {
      outcome = await runOne(spec, req, env);
    } catch (e) {
      outcome =
        e instanceof ParamError
          ? {
              result: 'stop',
              statusCode: 'InvalidArgument',
              reason: `failed to parse interceptor params: ${e.message}`,
            }
          : {
              result: 'error',
              reason: `the simulator failed on this interceptor: ${(e as Error).message ?? String(e)}`,
            };
    }
    const step: InterceptorStep = {
      index: spec.index,
      name: spec.name,
      type: stepType(spec, env),
      ref: spec.ref,
      legacy: spec.legacy,
      result: outcome.result,
      reason: outcome.reason,
      statusCode: outcome.statusCode,
      inputExtensions,
      addedExtensions: outcome.extensions,
      expressions: outcome.expressions,
      checks: outcome.checks,
      durationMs: round(performance.now() - started),
      source: rangeAt(spec.loc),
    };
    out.steps.push(step);
    if (outcome.result === 'continue' || outcome.result === 'assumed') {
      if (outcome.extensions) out.extensions = { ...out.extensions, ...outcome.extensions };
      continue;
    }
    out.status = outcome.result === 'stop' ? 'stop' : outcome.result === 'unavailable' ? 'unavailable' : 'error';
    out.reason = outcome.reason;
    return out;
  }
  return out;
}

function stepType(spec: InterceptorSpec, env: ChainEnv): InterceptorStep['type'] {
  if (spec.webhook) return 'webhook';
  const ref = spec.ref!;
  if (ref.kind === 'ClusterInterceptor' && isCore(ref.name, env)) return ref.name as InterceptorStep['type'];
  return 'custom';
}

/** A core interceptor name, unless the workspace redefines that ClusterInterceptor to point elsewhere. */
function isCore(name: string, env: ChainEnv): boolean {
  if (!isCoreInterceptor(name)) return false;
  const ci = env.ws.find('ClusterInterceptor', name, '');
  if (!ci) return true;
  const svc = (((ci.obj.spec ?? {}) as Record<string, unknown>).clientConfig as Record<string, unknown> | undefined)
    ?.service as Record<string, unknown> | undefined;
  return !svc || svc.name === 'tekton-triggers-core-interceptors';
}

async function runOne(spec: InterceptorSpec, req: InterceptorRequest, env: ChainEnv): Promise<StepOutcome> {
  if (spec.webhook) {
    const ref = (spec.webhook.objectRef ?? {}) as Record<string, unknown>;
    const ns = typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : req.namespace;
    return unavailable(
      env,
      `the legacy webhook interceptor posts the event to http://${String(ref.name ?? '?')}.${ns}.svc/, which cannot be called offline`,
    );
  }
  const ref = spec.ref!;
  if (ref.kind === 'ClusterInterceptor') {
    if (isCore(ref.name, env)) return runCore(ref.name, spec, req, env);
    const ci = env.ws.find('ClusterInterceptor', ref.name, '');
    const where = ci ? ` (${interceptorUrl(ci.obj, 'tekton-pipelines')})` : ' (not defined in the workspace)';
    return unavailable(env, `custom ClusterInterceptor '${ref.name}'${where} cannot be called offline`);
  }
  if (ref.kind === 'NamespacedInterceptor') {
    const ic = env.ws.find('Interceptor', ref.name, env.elNamespace);
    const where = ic
      ? ` (${interceptorUrl(ic.obj, env.elNamespace)})`
      : ` (not defined in the workspace, namespace ${env.elNamespace})`;
    return unavailable(env, `Interceptor '${ref.name}'${where} cannot be called offline`);
  }
  return {
    result: 'error',
    reason: `url resolution failed for interceptor ${ref.name}: unknown interceptor kind '${ref.kind}' (use ClusterInterceptor or NamespacedInterceptor)`,
  };
}

/** Where a (Cluster)Interceptor is served, for messages. */
function interceptorUrl(obj: Record<string, unknown>, defaultNs: string): string {
  const cc = (((obj.spec ?? {}) as Record<string, unknown>).clientConfig ?? {}) as Record<string, unknown>;
  if (typeof cc.url === 'string') return cc.url;
  const svc = (cc.service ?? {}) as Record<string, unknown>;
  const port = typeof svc.port === 'number' ? svc.port : 8443;
  const path = typeof svc.path === 'string' ? (svc.path.startsWith('/') ? svc.path : `/${svc.path}`) : '';
  return `https://${String(svc.name ?? '?')}.${String(svc.namespace ?? defaultNs)}.svc:${port}${path}`;
}
