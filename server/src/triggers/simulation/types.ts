/**
 * Data types of the offline Tekton Triggers simulator. Everything a simulation returns is plain JSON-serialisable
 * data: the `tekton/simulate` LSP request and the `tekton-ls simulate` CLI both hand it out as it is.
 *
 * Offsets in `SourceRange` are file offsets (UTF-16 code units, `end` exclusive) into the document named by `uri`.
 */
import type { YamlResource } from '../../document/tektonDocument';

/** A range in a workspace file that an editor can jump to. */
export interface SourceRange {
  uri: string;
  start: number;
  end: number;
}

/** One parsed YAML document of the workspace, with the file it came from and its chunk's offset in that file. */
export interface SourceResource {
  uri: string;
  /** Offset of the resource's chunk in the file (see TektonDocument.resources()). */
  base: number;
  resource: YamlResource;
}

/** An HTTP request as the EventListener receives it. Header keys may be in any case; they are canonicalised. */
export interface SimulationRequest {
  method: string;
  /** The request target (`/`, `/hook?x=1`) or an absolute URL; CEL sees it as `requestURL`. */
  url: string;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

/** Local secret values: secret name (or `namespace/name`) → key → value. Never logged or echoed. */
export type LocalSecrets = Record<string, Record<string, string>>;

/** The CEL variables of the Triggers interceptor environment. */
export interface CelActivation {
  body: unknown;
  header: Record<string, string[]>;
  extensions: Record<string, unknown>;
  requestURL: string;
}

/** Options passed with each CEL evaluation. */
export interface CelEvaluationContext {
  /** Looks up a Secret key in the trigger's namespace, for `compareSecret()`. */
  secretLookup?: (secretName: string, key: string) => string | undefined;
}

/**
 * Evaluates one CEL expression in the Tekton Triggers environment. `value` is the CEL result (ints may be bigint,
 * bytes Uint8Array); `code` tells a syntax (`cel-syntax`) or run-time (`cel-eval`) error from a type-check error.
 * Must not reject.
 */
export type CelEvaluator = (
  expression: string,
  activation: CelActivation,
  context?: CelEvaluationContext,
) => Promise<{ value: unknown } | { error: string; code?: string }>;

/** Knobs of a simulation. */
export interface SimulationOptions {
  /**
   * Treat interceptors that cannot run offline (webhook, custom Interceptors/ClusterInterceptors, GitHub API calls)
   * as if they had let the event through. Default false: the trigger stops there, marked `unavailable`.
   */
  assumeUnavailableInterceptorsPass?: boolean;
  /**
   * Sign the sample where an interceptor with a secretRef finds no signature or token: GitHub's X-Hub-Signature-256
   * (HMAC-SHA256 of the body), Bitbucket's X-Hub-Signature, GitLab's X-Gitlab-Token, from the secret the
   * interceptor names (the secrets file or a Secret of the workspace). Bundled examples carry no signature, so without
   * this a listener that checks one never fires offline. A signature that is there is checked, never replaced.
   */
  signSample?: boolean;
  /** The files a GitHub `addChangedFiles` lookup would return for a pull_request event (it needs the GitHub API). */
  changedFiles?: string[];
  /** Fixed event ID (default: a random UUID). */
  eventID?: string;
  /** Fixed `$(uid)` value for every trigger (default: a random UUID per trigger run). */
  uid?: string;
  /** Namespace of resources without one, and of the EventListener (default `default`). */
  defaultNamespace?: string;
  /**
   * Rewrite `$(` to `$$(` in param values before templating, as Triggers does since tektoncd/triggers#1896
   * (2025-10). Default true; false reproduces older releases.
   */
  escapeParamDollar?: boolean;
}

/** Status of one step of an interceptor chain. */
export type StepResult =
  /** The interceptor let the event through. */
  | 'continue'
  /** The interceptor stopped the trigger (continue=false). */
  | 'stop'
  /** The interceptor could not be run (bad reference, HTTP error upstream): the trigger fails. */
  | 'error'
  /** The interceptor needs a cluster or network; it was not run and the trigger stops here. */
  | 'unavailable'
  /** Not runnable offline, but assumed to pass (SimulationOptions.assumeUnavailableInterceptorsPass). */
  | 'assumed';

/** Details of a CEL expression evaluated by an interceptor. */
export interface CelExpressionTrace {
  /** `filter`, or the overlay key. */
  role: 'filter' | 'overlay';
  key?: string;
  expression: string;
  /** The result as JSON text, or undefined on error. */
  result?: string;
  error?: string;
  durationMs: number;
  source?: SourceRange;
}

/** One check a core interceptor made, with its outcome. */
export interface InterceptorCheck {
  /** `eventTypes`, `signature`, `token`, `signed` (the sample was signed for the check), `addChangedFiles`. */
  name: string;
  ok: boolean;
  detail: string;
  /**
   * The param the check reads (`secretRef` for a signature or token, `eventTypes`, `addChangedFiles`), so that the
   * trace leads to the line to fix; the interceptor's entry when that param cannot be located.
   */
  source?: SourceRange;
}

/** One interceptor of a chain as it ran. */
export interface InterceptorStep {
  /** Position in the chain. */
  index: number;
  /** The interceptor's `name`, if set. */
  name?: string;
  /** What ran: a core interceptor, or a kind that cannot run offline. */
  type: 'cel' | 'github' | 'gitlab' | 'bitbucket' | 'slack' | 'webhook' | 'custom';
  /** `ref.name`/`ref.kind` (ClusterInterceptor by default); absent for legacy `webhook:` interceptors. */
  ref?: { name: string; kind: string };
  /** True for v1alpha1 inline forms (`cel:`, `github:`, …). */
  legacy?: boolean;
  result: StepResult;
  /** Why the step stopped, failed or was not run; for `continue`, a short summary. */
  reason: string;
  /** gRPC-style status code of a stop (`FailedPrecondition`, `InvalidArgument`, …). */
  statusCode?: string;
  /** Extensions as the interceptor received them. */
  inputExtensions: Record<string, unknown>;
  /** Extensions the interceptor returned (merged into the running extensions by top-level key). */
  addedExtensions?: Record<string, unknown>;
  /** CEL expressions evaluated, for cel interceptors. */
  expressions?: CelExpressionTrace[];
  /** Checks done (event type, signature, token), each with its outcome; secret values never appear. */
  checks?: InterceptorCheck[];
  durationMs: number;
  source?: SourceRange;
}

/** Where one `$(...)` expression of a binding value led. */
export interface ExpressionTrace {
  /** The expression as written, e.g. `$(body.head_commit.id)`. */
  expression: string;
  /** The JSONPath evaluated, e.g. `{.body.head_commit.id}`. */
  jsonPath?: string;
  /** The text that replaced the expression. */
  value?: string;
  /** Why the expression failed (then the template default may have been used). */
  error?: string;
  /** True when the expression failed and the template default replaced it. */
  usedDefault?: boolean;
}

/** A resolved TriggerTemplate param and where its value came from. */
export interface ResolvedParam {
  name: string;
  /** The value substituted for `$(tt.params.<name>)`; undefined when the param is unbound. */
  value?: string;
  /**
   * `binding`: from a binding; `default`: the template default (no binding); `binding-default`: a binding whose
   * expression failed, replaced by the template default; `unbound`: neither (left as literal text).
   */
  origin: 'binding' | 'default' | 'binding-default' | 'unbound';
  /** True when the TriggerTemplate declares the param in `spec.params`. */
  declared: boolean;
  binding?: { kind: 'inline' | 'TriggerBinding' | 'ClusterTriggerBinding'; name?: string; source?: SourceRange };
  expressions?: ExpressionTrace[];
  /** The template param's `default`, when it was used. */
  defaultSource?: SourceRange;
  /** The template's declaration of an unbound param (`params[i]`): where a default would be added. */
  declaredSource?: SourceRange;
  /** True when `$(` in the value was rewritten to `$$(` before templating. */
  dollarEscaped?: boolean;
}

/** A resource rendered from a TriggerTemplate. */
export interface RenderedResource {
  index: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  generateName?: string;
  namespace: string;
  /** The resource as it would be created (labels and namespace added); absent when the rendered JSON is invalid. */
  object?: Record<string, unknown>;
  /** The same as YAML. */
  yaml?: string;
  /** The rendered JSON text before it was parsed (what Triggers hands the API server). */
  json: string;
  /** Why the resource could not be created. */
  error?: string;
  source?: SourceRange;
}

/** A problem found while simulating. */
export interface SimulationProblem {
  message: string;
  /** Stable kebab-case code. */
  code: string;
  severity: 'error' | 'warning' | 'information';
  source?: SourceRange;
}

/** Outcome of a trigger. */
export type TriggerStatus =
  /** Interceptors passed and resources were rendered. */
  | 'fired'
  /** An interceptor stopped the trigger. */
  | 'stopped'
  /** An interceptor cannot run offline and was not assumed to pass. */
  | 'unavailable'
  /** An error upstream would log: missing binding/template, failed JSONPath, bad interceptor reference, invalid JSON. */
  | 'failed'
  /** The trigger could not be found (a dangling triggerRef); upstream skips it. */
  | 'skipped';

/** One trigger, simulated independently as upstream processes each in its own goroutine. */
export interface TriggerResult {
  name: string;
  namespace: string;
  /** How the EventListener reached this trigger. */
  origin: 'inline' | 'triggerRef' | 'selector' | 'triggerGroup' | 'trigger';
  /** The trigger group, for triggers selected by a group. */
  group?: string;
  status: TriggerStatus;
  /** Why the trigger stopped, failed or was skipped. */
  reason?: string;
  interceptors: InterceptorStep[];
  /** Extensions after the chain, as the bindings see them. */
  extensions: Record<string, unknown>;
  /** Resolved params, sorted by name. */
  params: ResolvedParam[];
  /** The `$(uid)` value of this run. */
  uid?: string;
  /** The TriggerTemplate used. */
  template?: { name?: string; source?: SourceRange };
  resources: RenderedResource[];
  problems: SimulationProblem[];
  source?: SourceRange;
  durationMs: number;
}

/** The interceptors of a trigger group, run before its triggers are selected. */
export interface TriggerGroupResult {
  name: string;
  status: 'continue' | 'stopped' | 'unavailable' | 'failed';
  reason?: string;
  interceptors: InterceptorStep[];
  extensions: Record<string, unknown>;
  /** Names of the triggers it selected. */
  triggers: string[];
  source?: SourceRange;
}

/** The result of simulating one request. */
export interface SimulationResult {
  eventID: string;
  eventListener?: { name: string; namespace: string; source?: SourceRange };
  /** What the EventListener answers (202 unless payload validation or trigger merging failed). */
  response: { status: number; body: Record<string, unknown> };
  request: { method: string; url: string; headers: Record<string, string[]>; bodyBytes: number };
  /** Problems of the request or the EventListener (payload validation, unknown EventListener, …). */
  problems: SimulationProblem[];
  groups: TriggerGroupResult[];
  triggers: TriggerResult[];
  /** How many triggers fired. */
  fired: number;
  durationMs: number;
}
