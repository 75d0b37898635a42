/**
 * Read-only documents of the Runs view: a step's log (`tekton-log:`), streamed while the step runs and stopped when
 * the document is closed, and a run's live YAML (`tekton-live:`), read from the cluster and refreshed when the watch
 * sees the run change.
 */
import * as vscode from 'vscode';
import { KubeError } from '../../../server/src/kube/errors';
import { followStepLog } from '../../../server/src/kube/logs';
import type { ObjectRef, TektonApi } from '../../../server/src/kube/tektonApi';
import type { RunNode } from '../../../server/src/kube/watcher';
import type { KubeSession } from './session';

export const LOG_SCHEME = 'tekton-log';
export const LIVE_SCHEME = 'tekton-live';
/** Beyond this, the oldest part of a log is dropped from the document. */
const MAX_LOG_CHARS = 8 * 1024 * 1024;

/** Which container of which pod a log document shows. */
export interface StepLogTarget {
  namespace: string;
  taskRun: string;
  step: string;
  pod: string;
  container: string;
}

interface LogStream {
  text: string;
  controller: AbortController;
  done: boolean;
  timer?: NodeJS.Timeout;
}

export class StepLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly streams = new Map<string, LogStream>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly session: KubeSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== LOG_SCHEME) return;
        const key = doc.uri.toString();
        const s = this.streams.get(key);
        if (!s) return;
        s.controller.abort();
        clearTimeout(s.timer);
        this.streams.delete(key);
      }),
    );
  }

  static uri(t: StepLogTarget): vscode.Uri {
    const query = new URLSearchParams({ namespace: t.namespace, pod: t.pod, container: t.container }).toString();
    return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${t.taskRun}/${t.step}.log`, query });
  }

  static target(uri: vscode.Uri): StepLogTarget | undefined {
    const q = new URLSearchParams(uri.query);
    const m = /^\/([^/]+)\/(.+)\.log$/.exec(uri.path);
    const namespace = q.get('namespace');
    const pod = q.get('pod');
    const container = q.get('container');
    if (!m || !namespace || !pod || !container) return undefined;
    return { namespace, taskRun: m[1], step: m[2], pod, container };
  }

  /** Opens (and starts following) the log of a step. */
  async open(target: StepLogTarget): Promise<vscode.TextEditor> {
    const uri = StepLogDocuments.uri(target);
    const existing = this.streams.get(uri.toString());
    if (existing?.done) {
      // a finished log is read again, so that reopening shows the whole of it
      this.streams.delete(uri.toString());
    }
    this.ensure(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  /** The text streamed so far (for tests). */
  textOf(uri: vscode.Uri): string | undefined {
    return this.streams.get(uri.toString())?.text;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.ensure(uri)?.text ?? '';
  }

  private ensure(uri: vscode.Uri): LogStream | undefined {
    const key = uri.toString();
    const existing = this.streams.get(key);
    if (existing) return existing;
    const target = StepLogDocuments.target(uri);
    if (!target) return undefined;
    const stream: LogStream = { text: '', controller: new AbortController(), done: false };
    this.streams.set(key, stream);
    let api: TektonApi;
    try {
      api = this.session.api();
    } catch (e) {
      stream.text = `[tekton] ${(e as Error).message}\n`;
      stream.done = true;
      return stream;
    }
    const append = (text: string) => {
      stream.text += text;
      if (stream.text.length > MAX_LOG_CHARS)
        stream.text = `[tekton] … earlier lines dropped …\n${stream.text.slice(stream.text.length - MAX_LOG_CHARS)}`;
      if (!stream.timer)
        stream.timer = setTimeout(() => {
          stream.timer = undefined;
          this.changed.fire(uri);
        }, 100);
    };
    void followStepLog(api, target.namespace, target.pod, target.container, append, {
      signal: stream.controller.signal,
    })
      .then((r) => {
        if (r.end === 'aborted') return;
        append(
          r.end === 'completed'
            ? `[tekton] step ${target.step} ended${r.exitCode !== undefined ? ` with exit code ${r.exitCode}` : ''}\n`
            : `[tekton] the pod ${target.pod} is gone: no more log\n`,
        );
      })
      .catch((e: unknown) => {
        const message = e instanceof KubeError ? e.message : this.session.redact(String((e as Error)?.message ?? e));
        this.log.warn(`Log of ${target.taskRun}/${target.step}: ${message}`);
        append(`[tekton] the log stream failed: ${message}\n`);
      })
      .finally(() => {
        stream.done = true;
      });
    return stream;
  }

  dispose(): void {
    for (const s of this.streams.values()) {
      s.controller.abort();
      clearTimeout(s.timer);
    }
    this.streams.clear();
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

/** The live YAML of runs, refreshed when the watch reports a new resourceVersion of the run. */
export class LiveYamlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly shown = new Map<string, string | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly session: KubeSession) {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, this),
      session.onDidChangeRuns((tree) => this.refresh(tree)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === LIVE_SCHEME) this.shown.delete(doc.uri.toString());
      }),
    );
  }

  static uri(ref: ObjectRef): vscode.Uri {
    return vscode.Uri.from({
      scheme: LIVE_SCHEME,
      path: `/${ref.namespace ?? 'default'}/${ref.kind}/${ref.name}.yaml`,
      query: new URLSearchParams({ apiVersion: ref.apiVersion }).toString(),
    });
  }

  static ref(uri: vscode.Uri): ObjectRef | undefined {
    const m = /^\/([^/]+)\/([^/]+)\/(.+)\.yaml$/.exec(uri.path);
    const apiVersion = new URLSearchParams(uri.query).get('apiVersion');
    return m && apiVersion ? { namespace: m[1], kind: m[2], name: m[3], apiVersion } : undefined;
  }

  async open(ref: ObjectRef): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(LiveYamlDocuments.uri(ref));
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = LiveYamlDocuments.ref(uri);
    if (!ref) return '# not a run\n';
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    try {
      const yaml = await this.session.api().liveYaml(ref, controller.signal);
      this.shown.set(uri.toString(), /resourceVersion: "?(\d+)"?/.exec(yaml)?.[1]);
      return yaml;
    } catch (e) {
      const message = e instanceof KubeError ? e.message : this.session.redact(String((e as Error)?.message ?? e));
      return `# ${ref.kind} ${ref.name} could not be read: ${message.replace(/\n/g, ' ')}\n`;
    }
  }

  private refresh(tree: RunNode[]): void {
    if (this.shown.size === 0) return;
    const versions = new Map<string, string | undefined>();
    const walk = (nodes: RunNode[]) => {
      for (const n of nodes) {
        versions.set(`/${n.namespace}/${n.kind}/${n.name}.yaml`, n.object.metadata?.resourceVersion);
        walk(n.children);
      }
    };
    walk(tree);
    for (const [key, shownVersion] of this.shown) {
      const uri = vscode.Uri.parse(key);
      const v = versions.get(uri.path);
      if (v !== undefined && v !== shownVersion) {
        this.shown.set(key, v);
        this.changed.fire(uri);
      }
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
