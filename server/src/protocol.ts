/**
 * Custom messages between the client and the server. Declared once here and imported by both sides; types and
 * constants only (the one import is a leaf file of constants), so the client bundle pulls in no server code.
 */
import { DEFAULT_MAX_FILE_SIZE } from './document/limits';

/** Server → client: the server's state and what it found in the active file. */
export namespace StatusNotification {
  export const method = 'tekton/status';
  export interface Params {
    uri: string;
    state: 'ok' | 'warning' | 'error';
    /** Kinds detected in the file, `apiVersion/Kind`. */
    kinds: string[];
    /** Time the last validation of the file took, in ms. */
    validationTime: number;
    message?: string;
  }
}

/** Options the client passes at initialize. */
export interface InitializationOptions {
  /** The Red Hat YAML extension reports YAML syntax errors itself; we then skip ours so they do not show twice. */
  yamlExtensionPresent?: boolean;
}

/** Settings under `tekton.*`, per resource. */
export interface Settings {
  validate: { enable: boolean };
  /** `workspace`: report the problems of every indexed file, not only of the open ones (pull clients only). */
  diagnostics: { workspace: boolean };
  maxFileSize: number;
  maxItemsComputed: number;
}

export const DEFAULT_SETTINGS: Settings = {
  validate: { enable: true },
  diagnostics: { workspace: true },
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  maxItemsComputed: 5000,
};

/** An HTTP request used as a sample event: for inline CEL evaluation and event simulation. */
export interface SampleRequest {
  /** What the user picked, e.g. `push.json` or `GitHub push (created)`. */
  label: string;
  method: string;
  url: string;
  /** Header values by name (any case; canonicalised by the server as Go does). */
  headers: Record<string, string[]>;
  /** The raw body, exactly as it would be sent (signatures are computed over these bytes). */
  body: string;
}

/** Client → server: the sample event the code lenses evaluate CEL against (null: none). */
export namespace SetSampleNotification {
  export const method = 'tekton/setSample';
  export interface Params {
    sample: SampleRequest | null;
  }
}

/** Client → server: evaluates a CEL expression, or the CEL field at a position, against the sample event. */
export namespace EvaluateCelRequest {
  export const method = 'tekton/evaluateCel';
  export interface Params {
    uri: string;
    /** The CEL field at this position, with the extensions earlier interceptors of its chain write... */
    position?: TextPosition;
    /** ...or this expression (a selection), in the environment of the field around `position` if any. */
    expression?: string;
  }
  export type Result =
    | { ok: true; display: string; type: string; elapsedMs: number }
    | { ok: false; error: string; range?: TextRange };
}

/** Client → server: runs the sample event through an EventListener or a Trigger of a document, offline. */
export namespace SimulateRequest {
  export const method = 'tekton/simulate';
  export interface Params {
    uri: string;
    /** The EventListener or Trigger document at this position (the first one of the file when absent). */
    position?: TextPosition;
    sample: SampleRequest;
    /** Treat interceptors that cannot run offline (webhook, custom, GitHub API) as passing. */
    assumeUnavailablePass?: boolean;
    /** Sign the sample where an interceptor with a secretRef finds no signature or token (SimulationOptions.signSample). */
    signSample?: boolean;
    /**
     * A local file of secret values (JSON `{secret: {key: value}}` or v1 Secret manifests) for signature checks and
     * compareSecret(); read by the server, never echoed back.
     */
    secretsFile?: string;
  }
  export interface Result {
    target?: { kind: string; name: string };
    error?: string;
    /** The simulator's result, every `source` with its `range` added (see SimulationTrace). */
    result?: SimulationTrace;
    /** The rendered resources of every fired trigger, as YAML documents. */
    yaml?: string;
  }
}

/**
 * Client → server: which PipelineRuns of the `.tekton/` folder of a document Pipelines-as-Code starts for the sample
 * event (a GitHub webhook), offline, with the reason for each, and each matched one with its `{{ }}` substituted.
 */
export namespace PacMatchRequest {
  export const method = 'tekton/pacMatch';
  export interface Params {
    uri: string;
    sample: SampleRequest;
    /** The event's changed files (files.* and on-path-change); none when absent. */
    changedFiles?: { all?: string[]; added?: string[]; deleted?: string[]; modified?: string[]; renamed?: string[] };
  }
  export interface Run {
    name: string;
    reason: string;
    uri: string;
    /** The range of the run's name (metadata.generateName or name). */
    range?: TextRange;
  }
  export interface Result {
    error?: string;
    /** The folder whose PipelineRuns were matched (a uri ending in `/`). */
    folder?: string;
    /** The event as PaC sees it, one line. */
    event?: string;
    /** Why the whole folder fails for this event, if it does. */
    folderError?: string;
    matched: (Run & { yaml: string })[];
    skipped: Run[];
  }
}

/** The scheme of the read-only documents of substituted PipelineRuns ("Which PipelineRuns Fire?"). */
export const PAC_RUN_SCHEME = 'tekton-pac-run';

/** A zero-based line/character position (UTF-16 code units, as LSP counts by default). */
export interface TextPosition {
  line: number;
  character: number;
}

/** A range of line/character positions, `end` exclusive. */
export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/**
 * The URI scheme of the read-only documents that hold a simulation's rendered resources. The client provides their
 * text; the server validates them like any Tekton file and offers "Submit Rendered Resources" over them.
 */
export const RENDERED_SCHEME = 'tekton-simulation';

// ---- the result of tekton/simulate ---------------------------------------------------------------------------------
//
// The server sends the simulator's SimulationResult (server/src/triggers/simulation/types.ts) as it is, with `range`
// added inside every `source` and `…Source` (`defaultSource`) of file offsets: WithRanges<SimulationResult>. The
// interfaces below declare the part of it that clients read, so that they need nothing from the simulator; the
// server's value is checked against them where it is sent.

/**
 * A simulator value as it goes over the wire: every `source` or `…Source` (file offsets) also given as line/character
 * positions.
 */
export type WithRanges<T> = T extends readonly (infer U)[]
  ? WithRanges<U>[]
  : T extends object
    ? { [K in keyof T]: K extends SourceKey ? WithSourceRange<T[K]> : WithRanges<T[K]> }
    : T;
/** The keys of a simulator value that hold file offsets an editor jumps to. */
export type SourceKey = 'source' | `${string}Source`;
type WithSourceRange<S> = S extends { uri: string; start: number; end: number } ? S & { range?: TextRange } : WithRanges<S>;

/** Where a step of the trace comes from: file offsets into `uri`, and (for files the server has) the same as a range. */
export interface TraceSource {
  uri: string;
  start: number;
  end: number;
  range?: TextRange;
}

/** The outcome of simulating one request (SimulationResult). */
export interface SimulationTrace {
  eventID: string;
  eventListener?: { name: string; namespace: string; source?: TraceSource };
  /** Problems of the request or the EventListener. */
  problems: TraceProblem[];
  groups: TraceGroup[];
  triggers: TraceTrigger[];
  /** How many triggers fired. */
  fired: number;
}

export interface TraceProblem {
  message: string;
  severity: 'error' | 'warning' | 'information';
  source?: TraceSource;
}

/** The interceptors of a trigger group, run before its triggers are selected. */
export interface TraceGroup {
  name: string;
  status: 'continue' | 'stopped' | 'unavailable' | 'failed';
  reason?: string;
  interceptors: TraceInterceptor[];
  source?: TraceSource;
}

/** One interceptor of a chain as it ran. */
export interface TraceInterceptor {
  /** Position in the chain. */
  index: number;
  type: string;
  ref?: { name: string; kind: string };
  result: 'continue' | 'stop' | 'error' | 'unavailable' | 'assumed';
  reason: string;
  /** The CEL expressions a cel interceptor evaluated. */
  expressions?: {
    role: 'filter' | 'overlay';
    /** The overlay key. */
    key?: string;
    expression: string;
    /** The result as JSON text, or undefined on error. */
    result?: string;
    error?: string;
    source?: TraceSource;
  }[];
  /**
   * Checks done (event type, signature, token) and their outcome; secret values never appear. `source` is the param
   * each reads (`secretRef`, `eventTypes`, `addChangedFiles`), else the interceptor; older servers send none.
   */
  checks?: { name: string; ok: boolean; detail: string; source?: TraceSource }[];
  source?: TraceSource;
}

/** One trigger and what became of the event in it. */
export interface TraceTrigger {
  name: string;
  status: 'fired' | 'stopped' | 'unavailable' | 'failed' | 'skipped';
  reason?: string;
  interceptors: TraceInterceptor[];
  /** The TriggerTemplate params, sorted by name, with where each value came from. */
  params: TraceParam[];
  resources: TraceResource[];
  problems: TraceProblem[];
  source?: TraceSource;
}

export interface TraceParam {
  name: string;
  /** Undefined when the param is unbound (`$(tt.params...)` stays literal). */
  value?: string;
  origin: 'binding' | 'default' | 'binding-default' | 'unbound';
  binding?: { kind: 'inline' | 'TriggerBinding' | 'ClusterTriggerBinding'; name?: string; source?: TraceSource };
  /** The `$(...)` expressions of the binding value. */
  expressions?: { expression: string }[];
  /** The template param's `default`, when it was used. */
  defaultSource?: TraceSource;
  /** The template's declaration of the param (`params[i]`), where an unbound param is fixed. */
  declaredSource?: TraceSource;
}

/** A resource rendered from the TriggerTemplate. */
export interface TraceResource {
  kind?: string;
  name?: string;
  generateName?: string;
  namespace: string;
  /** The resource as it would be created; absent when the rendered JSON is invalid. */
  object?: Record<string, unknown>;
  /** Why the resource could not be created. */
  error?: string;
  source?: TraceSource;
}

// ---- the task graph -------------------------------------------------------------------------------------------------

/**
 * Client → server: the task graph of a Tekton Pipeline, a PipelineRun (inline `pipelineSpec`, or a `pipelineRef` to a
 * Pipeline of the same file or of the workspace) or a Kubeflow Pipelines IR document of an open file.
 */
export namespace GraphRequest {
  export const method = 'tekton/graph';
  export interface Params {
    uri: string;
    /** The document at this position; without it (or when it has no graph), `name` or the first one with a graph. */
    position?: TextPosition;
    /** The document whose metadata.name (KFP: pipelineInfo.name) is this. */
    name?: string;
    /** Also lay the graph out (the server holds the layout library; a view then only draws). */
    layout?: boolean;
    /**
     * The document's content, for one the editor has not opened (a PipelineRun read from the cluster, as JSON or
     * YAML); `uri` then only names it.
     */
    text?: string;
  }
  export interface Result {
    graph?: GraphInfo;
    /** Where each node and edge goes, when asked for. */
    layout?: GraphLayoutInfo;
    /** Why there is no layout (a graph too large to lay out). */
    layoutError?: string;
    /** Why there is no graph. */
    error?: string;
  }
}

/** Node centres and sizes, and edge polylines, top to bottom, in pixels. */
export interface GraphLayoutInfo {
  width: number;
  height: number;
  nodes: { id: string; x: number; y: number; width: number; height: number; group: boolean }[];
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
}

/** `task`/`finally` (Tekton), `task`/`dag` (KFP: a task running a nested DAG, drawn as a group). */
export type GraphNodeKind = 'task' | 'finally' | 'dag';
/** Why an edge's target waits for its source. */
export type GraphEdgeKind = 'runAfter' | 'params' | 'matrix' | 'when' | 'steps' | 'sidecars' | 'dependentTasks';

export interface GraphInfo {
  /** `Pipeline`, `PipelineRun` or `PipelineSpec` (KFP IR). */
  kind: string;
  name?: string;
  /** The file the nodes are defined in (a PipelineRun's Pipeline may be in another file). */
  uri: string;
  /** The document the graph is of, in the file asked about. */
  range: TextRange;
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
}

export interface GraphNodeInfo {
  id: string;
  kind: GraphNodeKind;
  /** KFP: the id of the enclosing DAG task. */
  parent?: string;
  label: string;
  /** The task's definition and its name, in `GraphInfo.uri`. */
  range: TextRange;
  nameRange: TextRange;
  /** What the node runs (`Task build`, `taskSpec`, a KFP component). */
  runs?: string;
  params: { name: string; value?: string }[];
  results: string[];
  when: string[];
  matrix: string[];
  loop?: string;
  inCycle?: boolean;
  problems: { severity: 'error' | 'warning' | 'information' | 'hint'; code: string; message: string }[];
}

export interface GraphEdgeInfo {
  from: string;
  to: string;
  kinds: GraphEdgeKind[];
  inCycle?: boolean;
}
