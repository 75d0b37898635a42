import { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, Settings } from '../protocol';

/**
 * The `tekton.*` settings of each document, asked of the client once per document and cached until the configuration
 * changes. Validation must stay synchronous and cancellable, so it reads the last known value; when the answer
 * differs, `onChange` asks the client to pull diagnostics again.
 */
export class DocumentSettings {
  private readonly pending = new Map<string, Promise<Settings>>();
  private readonly known = new Map<string, Settings>();
  enabled = false;

  constructor(
    private readonly connection: Connection,
    private readonly onChange: () => void,
  ) {}

  /** The last known settings of a document (the defaults until the client answered), refreshed in the background. */
  of(uri: string): Settings {
    void this.fetch(uri).then((s) => {
      const before = this.known.get(uri) ?? DEFAULT_SETTINGS;
      this.known.set(uri, s);
      if (JSON.stringify(before) !== JSON.stringify(s)) this.onChange();
    });
    return this.known.get(uri) ?? DEFAULT_SETTINGS;
  }

  /** The settings of a document as the client answers now (a request handler that may wait for them). */
  async current(uri: string): Promise<Settings> {
    const s = await this.fetch(uri);
    this.known.set(uri, s);
    return s;
  }

  /** The last known settings, without asking the client. */
  peek(uri: string): Settings {
    return this.known.get(uri) ?? DEFAULT_SETTINGS;
  }

  /** `tekton.exclude`: globs the workspace index leaves out (read once, before the first crawl). */
  async exclude(): Promise<string[]> {
    if (!this.enabled) return [];
    try {
      // A client that never answers must not hold the crawl back.
      const value: unknown = await Promise.race([
        this.connection.workspace.getConfiguration('tekton.exclude'),
        new Promise((resolve) => setTimeout(resolve, 2000, [])),
      ]);
      return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
    } catch {
      return [];
    }
  }

  /** The configuration changed: ask again on next use. */
  clear(): void {
    this.pending.clear();
  }

  delete(uri: string): void {
    this.pending.delete(uri);
    this.known.delete(uri);
  }

  private fetch(uri: string): Promise<Settings> {
    if (!this.enabled) return Promise.resolve(DEFAULT_SETTINGS);
    let s = this.pending.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'tekton' })
        .then((c: Partial<Settings> | null) => ({ ...DEFAULT_SETTINGS, ...(c ?? {}) }))
        .catch(() => DEFAULT_SETTINGS);
      this.pending.set(uri, s);
    }
    return s;
  }
}
