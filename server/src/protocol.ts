/**
 * Custom messages between the client and the server. Declared once here and imported by both sides; types only, so
 * the client bundle pulls in no server code.
 */

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
  maxFileSize: number;
  maxItemsComputed: number;
}

export const DEFAULT_SETTINGS: Settings = {
  validate: { enable: true },
  maxFileSize: 5 * 1024 * 1024,
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
    position?: { line: number; character: number };
    /** ...or this expression (a selection), in the environment of the field around `position` if any. */
    expression?: string;
  }
  export type Result =
    | { ok: true; display: string; type: string; elapsedMs: number }
    | { ok: false; error: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } };
}

/** Client → server: runs the sample event through an EventListener or a Trigger of a document, offline. */
export namespace SimulateRequest {
  export const method = 'tekton/simulate';
  export interface Params {
    uri: string;
    /** The EventListener or Trigger document at this position (the first one of the file when absent). */
    position?: { line: number; character: number };
    sample: SampleRequest;
    /** Treat interceptors that cannot run offline (webhook, custom, GitHub API) as passing. */
    assumeUnavailablePass?: boolean;
    /**
     * A local file of secret values (JSON `{secret: {key: value}}` or v1 Secret manifests) for signature checks and
     * compareSecret(); read by the server, never echoed back.
     */
    secretsFile?: string;
  }
  /** The simulator's result (server/src/triggers/types.ts SimulationResult), plus positions for its source ranges. */
  export interface Result {
    target?: { kind: string; name: string };
    error?: string;
    /** JSON of SimulationResult, with every `source: {uri, start, end}` also given `range` (line/character). */
    result?: unknown;
    /** The rendered resources of every fired trigger, as YAML documents. */
    yaml?: string;
  }
}
