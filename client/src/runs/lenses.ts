/**
 * Whether the language server's "▶ Submit Run" and "▶ Submit Rendered Resources" code lenses are shown: only in
 * trusted workspaces, and not where `tekton.submit.codeLens` is false. The server offers them over every runnable
 * document (server/src/pipelines/submitLenses.ts); the language client's code-lens middleware drops them here.
 */
import * as vscode from 'vscode';

/** The commands of the submission lenses. */
const SUBMIT_COMMANDS: ReadonlySet<string> = new Set(['tekton.submitRun', 'tekton.submitSimulation', 'tekton.kfp.submitRun', 'tekton.kfp.sweep']);

/** True when the submission lenses of a document are shown. */
export function submitLensesShown(uri: vscode.Uri): boolean {
  return vscode.workspace.isTrusted && vscode.workspace.getConfiguration('tekton', uri).get<boolean>('submit.codeLens', true);
}

/** The lenses of a document without the submission lenses when they are not to be shown. */
export function filterSubmitLenses(
  document: vscode.TextDocument,
  lenses: vscode.CodeLens[] | null | undefined,
): vscode.CodeLens[] | null | undefined {
  if (!lenses || submitLensesShown(document.uri)) return lenses;
  return lenses.filter((l) => !SUBMIT_COMMANDS.has(l.command?.command ?? ''));
}

/** Calls `refresh` when what submitLensesShown reads changes: workspace trust, or the setting. */
export function onDidChangeSubmitLensConditions(refresh: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tekton.submit.codeLens')) refresh();
    }),
  );
}
