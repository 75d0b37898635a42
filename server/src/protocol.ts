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
