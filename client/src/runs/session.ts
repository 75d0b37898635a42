/**
 * The extension's connection to a cluster: the kubeconfig as kubectl reads it, with the extension's own choice of
 * context and namespace (kept in `globalState`, never written to the kubeconfig unless the user asks), the TektonApi and
 * RunWatcher built for it (rebuilt whenever the context, namespace or the kubeconfig's content changes), and the status
 * bar item that names the context and namespace.
 */
import * as vscode from 'vscode';
import { KubeError, redact } from '../../../server/src/kube/errors';
import {
  listContexts,
  loadKubeconfig,
  resolveContext,
  type ContextOverride,
  type ContextSummary,
  type KubeContextInfo,
  type LoadedKubeconfig,
  type ResolvedContext,
} from '../../../server/src/kube/kubeconfig';
import { TektonApi } from '../../../server/src/kube/tektonApi';
import { RunWatcher, type RunNode, type WatchConnection } from '../../../server/src/kube/watcher';

const OVERRIDE_KEY = 'tekton.kube.override';
/** Delay before trying again to start the watches after the first list failed. */
const RETRY_MS = 10_000;

/** What the Runs view shows about the connection. */
export interface WatchStatus {
  connection: WatchConnection | 'idle';
  /** The last failure (of resolving the context, the first list, or a watch being retried). */
  error?: KubeError;
}

export class KubeSession implements vscode.Disposable {
  private current: { ctx: ResolvedContext; api: TektonApi; fingerprint: string } | undefined;
  private resolveError: KubeError | undefined;
  private loaded: LoadedKubeconfig | undefined;
  private watcher: RunWatcher | undefined;
  private watcherSubscriptions: { dispose(): void }[] = [];
  private watchError: KubeError | undefined;
  private wanted = false;
  private retry: NodeJS.Timeout | undefined;
  private lastTree: RunNode[] = [];
  private readonly submitted = new Map<string, Set<string>>();
  private readonly item: vscode.StatusBarItem;
  private readonly contextChanged = new vscode.EventEmitter<void>();
  private readonly runsChanged = new vscode.EventEmitter<RunNode[]>();
  private readonly statusChanged = new vscode.EventEmitter<WatchStatus>();
  /** Fires after the context, namespace or credentials changed (the API and watcher were rebuilt). */
  readonly onDidChangeContext = this.contextChanged.event;
  /** Fires with the run tree after every change the watches see. */
  readonly onDidChangeRuns = this.runsChanged.event;
  /** Fires when the watch connection state or its error changes. */
  readonly onDidChangeStatus = this.statusChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item = vscode.window.createStatusBarItem('tekton.kubeContext', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Tekton: Kubernetes context';
    this.item.command = 'tekton.selectContext';
    this.reload();
  }

  /** The override chosen in the extension (empty: the kubeconfig's current context and its namespace). */
  get override(): ContextOverride {
    return this.context.globalState.get<ContextOverride>(OVERRIDE_KEY) ?? {};
  }

  async setOverride(override: ContextOverride): Promise<void> {
    const clean: ContextOverride = {};
    if (override.context) clean.context = override.context;
    if (override.namespace) clean.namespace = override.namespace;
    await this.context.globalState.update(OVERRIDE_KEY, Object.keys(clean).length ? clean : undefined);
    this.reload(true);
  }

  /** The active context, or undefined when there is none (see `error`). */
  get info(): KubeContextInfo | undefined {
    return this.current?.ctx.info;
  }

  /** Why there is no usable context. */
  get error(): KubeError | undefined {
    return this.resolveError;
  }

  /** The kubeconfig as last read (files, contexts). */
  get kubeconfig(): LoadedKubeconfig | undefined {
    return this.loaded;
  }

  /** The contexts of the kubeconfig, read now. */
  contexts(): ContextSummary[] {
    this.reload();
    return this.loaded ? listContexts(this.loaded) : [];
  }

  /** Removes the user's secrets (and anything like a bearer token) from a text meant for a message or a log. */
  redact(text: string): string {
    return redact(text, this.current?.ctx.secrets ?? []);
  }

  /**
   * The API of the active context, after reading the kubeconfig again (a changed file or token rebuilds it).
   * Throws KubeError `no-kubeconfig` / `no-context`.
   */
  api(): TektonApi {
    this.reload();
    if (!this.current) throw this.resolveError ?? new KubeError('no-context', 'No Kubernetes context is selected.');
    return this.current.api;
  }

  /** The active context with its credentials (for the KFP service proxy), after reading the kubeconfig again. */
  resolved(): ResolvedContext {
    this.reload();
    if (!this.current) throw this.resolveError ?? new KubeError('no-context', 'No Kubernetes context is selected.');
    return this.current.ctx;
  }

  /**
   * Reads the kubeconfig and resolves the context; when anything changed (or `force`), rebuilds the API and the
   * watcher and fires onDidChangeContext.
   */
  reload(force = false): void {
    let next: { ctx: ResolvedContext; fingerprint: string } | undefined;
    let error: KubeError | undefined;
    try {
      this.loaded = loadKubeconfig({ env: kubeconfigEnv() });
      const ctx = resolveContext(this.loaded, this.override);
      // in memory only: the exported config holds credentials, so that a refreshed token also rebuilds the API
      next = { ctx, fingerprint: JSON.stringify([ctx.info, ctx.kubeConfig.exportConfig()]) };
    } catch (e) {
      error = e instanceof KubeError ? e : new KubeError('no-context', String((e as Error)?.message ?? e));
    }
    if (!force && next?.fingerprint === this.current?.fingerprint && error?.message === this.resolveError?.message)
      return;
    this.stopWatcher();
    this.current = next && { ...next, api: new TektonApi(next.ctx) };
    this.resolveError = error;
    this.watchError = undefined;
    this.lastTree = [];
    if (this.current) {
      const i = this.current.ctx.info;
      this.log.info(`Kubernetes context "${i.contextName}" (cluster "${i.clusterName}", ${i.server}), namespace "${i.namespace}"`);
    } else if (error) this.log.warn(`No usable Kubernetes context: ${error.message}`);
    this.render();
    this.contextChanged.fire();
    this.runsChanged.fire([]);
    if (this.wanted) void this.startWatcher();
  }

  // ---- runs ------------------------------------------------------------------------------------------------------

  /** The current run tree. */
  get runs(): RunNode[] {
    return this.lastTree;
  }

  get status(): WatchStatus {
    return {
      connection: this.watcher ? this.watcher.connectionState : 'idle',
      error: this.resolveError ?? this.watchError,
    };
  }

  /** The running watcher (for markSubmitted and find). */
  get runWatcher(): RunWatcher | undefined {
    return this.watcher;
  }

  /** Whether the runs are on screen (set by the Runs view); failed first lists are retried only then. */
  isShown: () => boolean = () => true;

  /** Marks a run as submitted from this window (kept first in the view, also across watcher rebuilds). */
  markSubmitted(kind: string, name: string): void {
    const key = this.scope();
    (this.submitted.get(key) ?? this.submitted.set(key, new Set()).get(key)!).add(`${kind}/${name}`);
    this.watcher?.markSubmitted(kind, name);
  }

  private scope(): string {
    const i = this.current?.ctx.info;
    return i ? `${i.contextName}\n${i.server}\n${i.namespace}` : '';
  }

  /** Starts following the runs of the namespace (once the Runs view is shown or something was submitted). */
  watch(): Promise<void> {
    this.wanted = true;
    return this.startWatcher();
  }

  /** Stops and starts the watches again (the Refresh button). */
  async refresh(): Promise<void> {
    this.reload();
    this.stopWatcher();
    this.wanted = true;
    await this.startWatcher();
  }

  private starting: Promise<void> | undefined;

  private startWatcher(): Promise<void> {
    if (this.watcher) return this.starting ?? Promise.resolve();
    clearTimeout(this.retry);
    const current = this.current;
    if (!current) {
      this.statusChanged.fire(this.status);
      return Promise.resolve();
    }
    const watcher = new RunWatcher(current.api);
    this.watcher = watcher;
    for (const run of this.submitted.get(this.scope()) ?? []) {
      const [kind, name] = run.split('/');
      watcher.markSubmitted(kind, name);
    }
    this.watcherSubscriptions = [
      watcher.onDidChange((tree) => {
        if (this.watcher !== watcher) return;
        this.lastTree = tree;
        this.runsChanged.fire(tree);
      }),
      watcher.onDidChangeConnection(() => {
        if (this.watcher !== watcher) return;
        if (watcher.connectionState === 'live') this.watchError = undefined;
        this.statusChanged.fire(this.status);
      }),
      watcher.onDidError((e) => {
        if (this.watcher !== watcher) return;
        if (this.watchError?.message !== e.message) this.log.warn(`Watching runs: ${e.message} (retrying)`);
        this.watchError = e;
        this.statusChanged.fire(this.status);
      }),
    ];
    this.starting = watcher.start().then(
      () => {
        if (this.watcher !== watcher) return;
        this.watchError = undefined;
        this.log.info(`Watching PipelineRuns and TaskRuns in namespace "${watcher.namespace}"`);
        this.statusChanged.fire(this.status);
      },
      (e: unknown) => {
        if (this.watcher !== watcher) return;
        const err = e instanceof KubeError ? e : new KubeError('server', this.redact(String((e as Error)?.message ?? e)));
        if (this.watchError?.message !== err.message) this.log.warn(`Cannot list runs: ${err.message}`);
        this.stopWatcher();
        this.watchError = err;
        this.statusChanged.fire(this.status);
        // try again while someone looks (the Runs view shown); showing it again also retries at once
        if (this.wanted)
          this.retry = setTimeout(() => {
            if (this.isShown()) void this.startWatcher();
          }, RETRY_MS);
      },
    );
    this.statusChanged.fire(this.status);
    return this.starting;
  }

  private stopWatcher(): void {
    clearTimeout(this.retry);
    for (const s of this.watcherSubscriptions) s.dispose();
    this.watcherSubscriptions = [];
    this.watcher?.stop();
    this.watcher = undefined;
    this.starting = undefined;
  }

  private render(): void {
    const info = this.current?.ctx.info;
    // no kubeconfig at all: someone who only edits YAML, no need for a "no context" item on every window
    if (this.resolveError?.kind === 'no-kubeconfig') this.item.hide();
    else this.item.show();
    if (!info) {
      this.item.text = '$(cloud) no context';
      this.item.tooltip = `Tekton: ${this.resolveError?.message ?? 'no Kubernetes context'}\n\nClick to choose a context.`;
      this.item.backgroundColor = undefined;
      return;
    }
    this.item.text = `$(cloud) ${info.contextName} / ${info.namespace}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**Tekton: where runs are submitted and followed**\n\n');
    const row = (k: string, v: string) => md.appendMarkdown(`${k}: \`${v.replace(/`/g, "'")}\`  \n`);
    row('Context', info.contextName);
    row('Cluster', `${info.clusterName} (${info.server})`);
    row('User', `${info.userName} (${info.auth})`);
    row('Namespace', `${info.namespace}${info.namespaceOverridden ? ' (chosen in the extension)' : ''}`);
    md.appendMarkdown('\nClick to change the context or namespace (the kubeconfig is not changed).');
    this.item.tooltip = md;
  }

  dispose(): void {
    this.wanted = false;
    this.stopWatcher();
    this.item.dispose();
    this.contextChanged.dispose();
    this.runsChanged.dispose();
    this.statusChanged.dispose();
  }
}

/** The environment the kubeconfig is read from: `tekton.kube.kubeconfig`, when set, stands for KUBECONFIG. */
function kubeconfigEnv(): NodeJS.ProcessEnv {
  const file = vscode.workspace.getConfiguration('tekton.kube').get<string>('kubeconfig')?.trim();
  return file ? { ...process.env, KUBECONFIG: file.replace(/^~(?=$|\/)/, process.env.HOME ?? '~') } : process.env;
}
