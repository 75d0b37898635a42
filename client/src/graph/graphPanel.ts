/**
 * "Show Pipeline Graph": a webview beside the editor drawing the task graph of a Pipeline, PipelineRun or KFP IR
 * document. The server derives and lays out the graph (`tekton/graph`); the view draws it, follows edits of the
 * document (debounced), jumps to a task's definition on click and exports SVG or PNG. One panel per document.
 */
import * as vscode from 'vscode';
import { GraphRequest, type TextPosition } from '../../../server/src/protocol';
import type { TektonClient } from '../client';
import { graphViewHtml } from './html';

/** Edits come in bursts while typing: ask the server again once the document has been quiet this long. */
const REFRESH_DELAY_MS = 300;

/** Messages from the webview. */
type FromView =
  | { type: 'ready' }
  | { type: 'reveal'; id: string }
  | { type: 'export'; format: 'svg' | 'png'; data: string };

/** Messages to the webview. */
export type ToView = { type: 'graph'; result: GraphRequest.Result; title: string };

export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly tekton: TektonClient,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('tekton.showGraph', (uri?: unknown, name?: unknown) => this.show(uri, name)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const panel of this.panels.values()) if (panel.uri === e.document.uri.toString()) panel.scheduleRefresh();
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
    const key = `${target}#${docName ?? ''}`;
    let panel = this.panels.get(key);
    if (!panel) {
      panel = new GraphPanel(this.context, this.tekton, target, docName, position && { line: position.line, character: position.character });
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
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
  private ready = false;
  private readonly disposeListeners: (() => void)[] = [];

  constructor(
    context: vscode.ExtensionContext,
    private readonly tekton: TektonClient,
    readonly uri: string,
    private readonly name: string | undefined,
    private readonly position: TextPosition | undefined,
  ) {
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('tekton.graph', this.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
      retainContextWhenHidden: false,
    });
    this.panel.webview.html = this.html(dist);
    this.panel.webview.onDidReceiveMessage((m: FromView) => void this.onMessage(m));
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

  scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private title(graph?: GraphRequest.Result['graph']): string {
    const file = this.uri.split('/').pop() ?? this.uri;
    return `Graph: ${graph?.name ?? this.name ?? file}`;
  }

  async refresh(): Promise<void> {
    const client = this.tekton.languageClient;
    let result: GraphRequest.Result;
    if (!client?.isRunning()) result = { error: 'the Tekton language server is not running' };
    else {
      const params: GraphRequest.Params = { uri: this.uri, name: this.name, position: this.position, layout: true };
      try {
        result = await client.sendRequest<GraphRequest.Result>(GraphRequest.method, params);
      } catch (err) {
        result = { error: `the graph request failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    this.last = result;
    this.panel.title = this.title(result.graph);
    if (this.ready) await this.post();
  }

  private async post(): Promise<void> {
    if (!this.last) return;
    const message: ToView = { type: 'graph', result: this.last, title: this.title(this.last.graph) };
    await this.panel.webview.postMessage(message);
  }

  private async onMessage(m: FromView): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.post();
        break;
      case 'reveal': {
        const graph = this.last?.graph;
        const node = graph?.nodes.find((n) => n.id === m.id);
        if (!graph || !node) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(graph.uri));
        const r = node.nameRange;
        const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
        const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === graph.uri)?.viewColumn ?? vscode.ViewColumn.One;
        await vscode.window.showTextDocument(doc, { selection, viewColumn: column, preserveFocus: false });
        break;
      }
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

  private html(dist: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
    return graphViewHtml({ nonce, scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graphView.js')).toString(), cspSource: webview.cspSource });
  }
}
