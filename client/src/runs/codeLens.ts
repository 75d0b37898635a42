/**
 * "▶ Submit Run" over every runnable document (a Pipeline, Task, PipelineRun or TaskRun of `tekton.dev/*`) of a YAML
 * file, in trusted workspaces; off with `tekton.submit.codeLens: false`.
 */
import * as vscode from 'vscode';
import { readResources, type FileResource } from '../../../server/src/kube/fieldMapping';

const RUNNABLE = new Set(['Pipeline', 'Task', 'PipelineRun', 'TaskRun']);

/** True for the documents "Submit Run" works on. */
export function isRunnable(r: Pick<FileResource, 'apiVersion' | 'kind'>): boolean {
  return !!r.apiVersion?.startsWith('tekton.dev/') && !!r.kind && RUNNABLE.has(r.kind);
}

export class SubmitCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider({ language: 'yaml' }, this),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tekton.submit.codeLens')) this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    if (!vscode.workspace.getConfiguration('tekton', doc.uri).get<boolean>('submit.codeLens', true)) return [];
    if (doc.uri.scheme === 'tekton-live' || doc.uri.scheme === 'tekton-log') return [];
    const text = doc.getText();
    if (doc.uri.scheme === 'tekton-simulation')
      return /tekton\.dev\//.test(text)
        ? [
            new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
              title: '▶ Submit Rendered Resources',
              tooltip: 'Submit what the last simulation rendered, with Tekton Triggers\' labels (dry run and confirmation first)',
              command: 'tekton.submitSimulation',
            }),
          ]
        : [];
    // cheap test first: most YAML files of a workspace are not Tekton
    if (!/tekton\.dev\//.test(text)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const r of readResources(text)) {
      if (!isRunnable(r) || r.hasErrors) continue;
      const at = doc.positionAt(r.start);
      const what = r.kind === 'Pipeline' ? 'PipelineRun' : r.kind === 'Task' ? 'TaskRun' : r.kind;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(at, at), {
          title: '▶ Submit Run',
          tooltip: `Submit ${r.kind === 'Pipeline' || r.kind === 'Task' ? `a ${what} of this ${r.kind}` : `this ${what}`} to the current Kubernetes context (dry run and confirmation first)`,
          command: 'tekton.submitRun',
          arguments: [doc.uri.toString(), r.index],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
