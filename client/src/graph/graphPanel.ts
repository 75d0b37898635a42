/**
 * "Show Pipeline Graph": a webview beside the editor drawing the task graph of a Pipeline, PipelineRun or KFP IR
 * document, and "Show Run Graph": the same for a PipelineRun of the Runs view, coloured by each task's status. The
 * server derives and lays out the graph (`tekton/graph`); the view draws it, follows edits of the document
 * (debounced) or the run's watches, jumps to a task's definition (or opens its TaskRun's log) on click and exports
 * SVG or PNG. One panel per document or run.
 */
import * as vscode from 'vscode';
import type { RunNode } from '../../../server/src/kube/watcher';
import { GraphRequest, type GraphInfo, type TextPosition } from '../../../server/src/protocol';
import type { TektonClient } from '../client';
import { kfpStateText } from '../kfp/format';
import { isKfpElement, runElement } from '../kfp/tree';
import type { RunsFeature } from '../runs';
import { runOf, type RunsElement } from '../runs/runsView';
import { graphViewHtml } from './html';
import { kfpRunDocument, kfpRunStatus } from './kfpRunGraph';
import { findRun, runDocument, runStatus, unreached } from './runGraph';
import type { RunStatus } from './svg';

/** Edits come in bursts while typing: ask the server again once the document has been quiet this long. */
const REFRESH_DELAY_MS = 300;

/** Messages from the webview. */
type FromView =
  | { type: 'ready' }
  | { type: 'reveal'; id: string }
  | { type: 'export'; format: 'svg' | 'png'; data: string };

/** Messages to the webview. */
export type ToView = { type: 'graph'; result: GraphRequest.Result; title: string; status?: RunStatus; run?: string };

/** What a panel shows: a document of the editor, or a run of the cluster. */
interface GraphSource {
  readonly key: string;
  title(graph?: GraphInfo): string;
  /** The request for the server, or why there is nothing to ask yet. */
  params(): GraphRequest.Params | { wait: string };
  status?(graph: GraphInfo): RunStatus;
  /** The run's state, for the view's summary. */
  runState?(): string | undefined;
  reveal(graph: GraphInfo, id: string): Promise<void>;
}

class DocumentSource implements GraphSource {
  readonly key: string;

  constructor(
    readonly uri: string,
    private readonly name: string | undefined,
    private readonly position: TextPosition | undefined,
  ) {
    this.key = `doc:${uri}#${name ?? ''}`;
  }

  title(graph?: GraphInfo): string {
    return `Graph: ${graph?.name ?? this.name ?? this.uri.split('/').pop() ?? this.uri}`;
  }

  params(): GraphRequest.Params {
    return { uri: this.uri, name: this.name, position: this.position, layout: true };
  }

  async reveal(graph: GraphInfo, id: string): Promise<void> {
    const node = graph.nodes.find((n) => n.id === id);
    if (!node) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(graph.uri));
    const r = node.nameRange;
    const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === graph.uri)?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(doc, { selection, viewColumn: column, preserveFocus: false });
  }
}

class RunSource implements GraphSource {
  readonly key: string;

  constructor(
    private readonly runs: RunsFeature,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.key = `run:${namespace}/${name}`;
  }

  get run(): RunNode | undefined {
    return findRun(this.runs.session.runs, this.namespace, this.name);
  }

  title(): string {
    return `Run: ${this.name}`;
  }

  params(): GraphRequest.Params | { wait: string } {
    const run = this.run;
    if (!run) return { wait: `PipelineRun ${this.name} is no longer in the Runs view (namespace ${this.namespace}).` };
    const text = runDocument(run);
    if (!text) return { wait: `PipelineRun ${this.name}: waiting for Tekton to resolve its Pipeline…` };
    return { uri: `tekton-run:/${this.namespace}/${this.name}`, text, layout: true };
  }

  status(graph: GraphInfo): RunStatus {
    const run = this.run;
    if (!run) return {};
    const known = runStatus(run);
    const out: RunStatus = {};
    for (const n of graph.nodes) out[n.id] = known[n.id] ?? unreached(run);
    return out;
  }

  runState(): string | undefined {
    const run = this.run;
    return run && `${run.state}${run.reason ? ` (${run.reason})` : ''}`;
  }

  /** A task's log: its failed step, else its running one, else its last; the first TaskRun of a matrix. */
  async reveal(_graph: GraphInfo, id: string): Promise<void> {
    const taskRun = this.run?.children.find((c) => c.pipelineTaskName === id);
    if (!taskRun) {
      void vscode.window.showInformationMessage(`Tekton: pipeline task ${id} has no TaskRun in this run: no log to show.`);
      return;
    }
    const step = taskRun.steps.find((s) => s.state === 'failed') ?? taskRun.steps.find((s) => s.state === 'running') ?? taskRun.steps.at(-1);
    if (!step) {
      void vscode.window.showInformationMessage(`Tekton: the TaskRun ${taskRun.name} has no steps yet: no log to show.`);
      return;
    }
    const parent = { type: 'run' as const, id: taskRun.name, node: taskRun };
    await this.runs.actions.openStepLog({ type: 'step', id: `${taskRun.name}/${step.name}`, step, parent });
  }
}

/** A Kubeflow Pipelines run of the Runs view: the IR it was created with, coloured by its tasks as `KfpRuns` polls them. */
class KfpRunSource implements GraphSource {
  readonly key: string;

  constructor(
    private readonly runs: RunsFeature,
    readonly runId: string,
  ) {
    this.key = `kfp:${runId}`;
  }

  private get entry() {
    return this.runs.kfp.runs.get(this.runId);
  }

  title(): string {
    return `Run: ${this.entry?.run.display_name ?? this.runId}`;
  }

  params(): GraphRequest.Params | { wait: string } {
    const entry = this.entry;
    if (!entry) return { wait: `Kubeflow Pipelines run ${this.runId} is no longer in the Runs view.` };
    const doc = kfpRunDocument(entry.run, entry.view?.specError);
    if ('error' in doc) return { wait: doc.error };
    return { uri: `kfp-run:/${encodeURIComponent(this.runId)}`, text: doc.text, layout: true };
  }

  status(graph: GraphInfo): RunStatus {
    const entry = this.entry;
    return entry ? kfpRunStatus(graph, entry.run, entry.view?.tasks ?? []) : {};
  }

  runState(): string | undefined {
    const entry = this.entry;
    return entry && `${kfpStateText(entry.run.state)}${entry.error ? ` (${entry.error})` : ''}`;
  }

  /** A task's log, through the same command as its row in the Runs view (the first task of a loop). */
  async reveal(graph: GraphInfo, id: string): Promise<void> {
    const node = graph.nodes.find((n) => n.id === id);
    const own = id.split('/').pop();
    const task = this.entry?.view?.tasks.find((t) => t.name === own || t.name === node?.label);
    if (!task?.podName) {
      void vscode.window.showInformationMessage(`Kubeflow Pipelines: task ${id} has no pod reported in this run: no log to show.`);
      return;
    }
    const parent = runElement(this.runId);
    await vscode.commands.executeCommand('tekton.kfp.openTaskLog', { type: 'kfpTask', id: `${parent.id}/task/${task.id}`, runId: this.runId, taskId: task.id, parent });
  }
}

export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly tekton: TektonClient,
    private readonly runs: RunsFeature,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('tekton.showGraph', (uri?: unknown, name?: unknown) => this.show(uri, name)),
      vscode.commands.registerCommand('tekton.showRunGraph', (e?: RunsElement) => this.showRun(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const panel of this.panels.values())
          if (panel.source instanceof DocumentSource && panel.source.uri === e.document.uri.toString()) panel.scheduleRefresh();
      }),
      runs.session.onDidChangeRuns(() => {
        for (const panel of this.panels.values()) if (panel.source instanceof RunSource) panel.scheduleRefresh(100);
      }),
      runs.kfp.onDidChange(() => {
        for (const panel of this.panels.values()) if (panel.source instanceof KfpRunSource) panel.scheduleRefresh(100);
      }),
    );
  }

  /** Opens (or reveals) the graph of a document: from a lens (uri and name), else the active editor at its cursor. */
  private async show(uri: unknown, name: unknown): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const target = typeof uri === 'string' ? uri : uri instanceof vscode.Uri ? uri.toString() : editor?.document.uri.toString();
    if (!target) {
      void vscode.window.showInformationMessage('Open a Tekton Pipeline, PipelineRun or Kubeflow pipeline file to see its graph.');
      return;
    }
    const docName = typeof name === 'string' ? name : undefined;
    const position = docName === undefined && editor?.document.uri.toString() === target ? editor.selection.active : undefined;
    await this.open(new DocumentSource(target, docName, position && { line: position.line, character: position.character }));
  }

  /** Opens the graph of a PipelineRun of the Runs view (a TaskRun of it stands for its PipelineRun). */
  private async showRun(e: RunsElement | undefined): Promise<void> {
    if (isKfpElement(e)) {
      const source = new KfpRunSource(this.runs, e.runId);
      await this.open(source);
      // its tasks are read now (a listed run has none yet) and followed while it is active, so the colours change as
      // KfpRuns polls; that read fires no change when nothing differs, hence the explicit refresh
      await this.runs.kfp.runs.details(e.runId).catch(() => undefined);
      this.panels.get(source.key)?.scheduleRefresh(0);
      return;
    }
    let run = runOf(e);
    while (run && run.node.kind !== 'PipelineRun' && run.parent) run = run.parent;
    if (!run || run.node.kind !== 'PipelineRun') {
      void vscode.window.showInformationMessage('Pick a PipelineRun or a Kubeflow Pipelines run in the Tekton Runs view to see its graph.');
      return;
    }
    await this.open(new RunSource(this.runs, run.node.namespace, run.node.name));
  }

  private async open(source: GraphSource): Promise<void> {
    let panel = this.panels.get(source.key);
    if (!panel) {
      const created = new GraphPanel(this.context.extensionUri, this.tekton, source);
      this.panels.set(source.key, created);
      created.onDidDispose(() => this.panels.delete(source.key));
      panel = created;
    }
    panel.reveal();
    await panel.refresh();
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

class GraphPanel {
  private readonly panel: vscode.WebviewPanel;
  private timer: NodeJS.Timeout | undefined;
  private last: GraphRequest.Result | undefined;
  /** The request of `last`: a run whose spec did not change only gets new colours. */
  private lastParams: string | undefined;
  private ready = false;
  private readonly disposeListeners: (() => void)[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly tekton: TektonClient,
    readonly source: GraphSource,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('tekton.graph', source.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    const nonce = Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
    const webview = this.panel.webview;
    webview.html = graphViewHtml({ nonce, scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graphView.js')).toString(), cspSource: webview.cspSource });
    webview.onDidReceiveMessage((m: FromView) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      clearTimeout(this.timer);
      this.disposeListeners.forEach((l) => l());
    });
  }

  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  reveal(): void {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  dispose(): void {
    this.panel.dispose();
  }

  scheduleRefresh(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  async refresh(): Promise<void> {
    const params = this.source.params();
    const key = JSON.stringify(params);
    if (key !== this.lastParams || !this.last?.graph) {
      this.last = await this.request(params);
      this.lastParams = key;
    }
    this.panel.title = this.source.title(this.last.graph);
    if (this.ready) await this.post();
  }

  private async request(params: GraphRequest.Params | { wait: string }): Promise<GraphRequest.Result> {
    if ('wait' in params) return { error: params.wait };
    const client = this.tekton.languageClient;
    if (!client?.isRunning()) return { error: 'the Tekton language server is not running' };
    try {
      return await client.sendRequest<GraphRequest.Result>(GraphRequest.method, params);
    } catch (err) {
      return { error: `the graph request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private async post(): Promise<void> {
    if (!this.last) return;
    const graph = this.last.graph;
    const message: ToView = {
      type: 'graph',
      result: this.last,
      title: this.source.title(graph),
      status: graph && this.source.status?.(graph),
      run: this.source.runState?.(),
    };
    await this.panel.webview.postMessage(message);
  }

  private async onMessage(m: FromView): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.post();
        break;
      case 'reveal':
        if (this.last?.graph) await this.source.reveal(this.last.graph, m.id);
        break;
      case 'export': {
        const base = (this.last?.graph?.name ?? 'graph').replace(/[^\w.-]+/g, '-');
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${m.format}`) : undefined,
          filters: m.format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] },
        });
        if (!target) return;
        const bytes = m.format === 'svg' ? Buffer.from(m.data, 'utf8') : Buffer.from(m.data.replace(/^data:image\/png;base64,/, ''), 'base64');
        await vscode.workspace.fs.writeFile(target, bytes);
        void vscode.window.showInformationMessage(`Graph saved to ${vscode.workspace.asRelativePath(target)}`);
        break;
      }
    }
  }
}
