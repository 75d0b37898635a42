import * as vscode from 'vscode';
import type { StatusNotification } from '../../server/src/protocol';

/**
 * A language status item on YAML files: the server's state and the Tekton kinds found in the active file, fed by the
 * server's `tekton/status` notification.
 */
export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, StatusNotification.Params>();
  private serverState: 'starting' | 'running' | 'stopped' = 'starting';
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('tekton.status', { language: 'yaml' });
    this.item.name = 'Tekton';
    this.item.command = { title: 'Show Output', command: 'tekton.showOutput' };
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
    this.render();
  }

  setServerState(state: 'starting' | 'running' | 'stopped'): void {
    this.serverState = state;
    this.render();
  }

  update(params: StatusNotification.Params): void {
    this.byUri.set(params.uri, params);
    this.render();
  }

  /** The text shown, exposed for tests. */
  get text(): string {
    return this.item.text;
  }

  get detail(): string | undefined {
    return this.item.detail;
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri ? this.byUri.get(uri) : undefined;
    if (this.serverState !== 'running') {
      this.item.text = `Tekton: ${this.serverState}`;
      this.item.severity = this.serverState === 'stopped' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
      this.item.busy = this.serverState === 'starting';
      this.item.detail = undefined;
      return;
    }
    this.item.busy = false;
    const kinds = status?.kinds.map((k) => k.split('/').pop()) ?? [];
    this.item.text = kinds.length ? `Tekton: ${[...new Set(kinds)].join(', ')}` : 'Tekton: no Tekton resources';
    this.item.detail = status
      ? `${status.kinds.join(', ')} · validated in ${status.validationTime} ms${status.message ? ` · ${status.message}` : ''}`
      : 'server running';
    this.item.severity = status?.state === 'error' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  }

  dispose(): void {
    this.item.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
