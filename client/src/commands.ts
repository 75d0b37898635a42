import * as vscode from 'vscode';
import { EvaluateCelRequest } from '../../server/src/protocol';
import type { TektonClient } from './client';
import { openDemo } from './demo';

/** Registers the extension's commands; ids are `tekton.<verb><Noun>`. */
export function registerCommands(context: vscode.ExtensionContext, tekton: TektonClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tekton.restartServer', async () => {
      await tekton.restart();
      void vscode.window.setStatusBarMessage('Tekton language server restarted', 3000);
    }),
    vscode.commands.registerCommand('tekton.showOutput', () => tekton.outputChannel.show(true)),
    vscode.commands.registerCommand('tekton.selectSamplePayload', () => tekton.samples.pick()),
    vscode.commands.registerCommand('tekton.evaluateCel', () => evaluateCel(tekton)),
    vscode.commands.registerCommand('tekton.openDemo', (file?: unknown) => openDemo(context, file)),
  );
}

/** Evaluates the selected CEL, or the CEL field under the cursor, against the sample event. */
async function evaluateCel(tekton: TektonClient): Promise<EvaluateCelRequest.Result | undefined> {
  const editor = vscode.window.activeTextEditor;
  const client = tekton.languageClient;
  if (!editor || !client) return undefined;
  if (!tekton.samples.current && !(await tekton.samples.pick())) return undefined;
  const selection = editor.selection.isEmpty ? undefined : editor.document.getText(editor.selection);
  const params: EvaluateCelRequest.Params = {
    uri: editor.document.uri.toString(),
    position: editor.selection.active,
    expression: selection,
  };
  const result = await client.sendRequest<EvaluateCelRequest.Result>(EvaluateCelRequest.method, params);
  const sample = tekton.samples.current?.label ?? 'the sample';
  if (result.ok) {
    tekton.outputChannel.info(`CEL on ${sample}: ${result.display} (${result.type}, ${result.elapsedMs.toFixed(1)} ms)`);
    void vscode.window.showInformationMessage(`CEL ⇒ ${result.display.slice(0, 200)}  (${result.type}, on ${sample})`);
  } else {
    tekton.outputChannel.warn(`CEL on ${sample}: ${result.error}`);
    if (result.range) {
      const r = new vscode.Range(result.range.start.line, result.range.start.character, result.range.end.line, result.range.end.character);
      editor.selection = new vscode.Selection(r.start, r.end);
      editor.revealRange(r);
    }
    void vscode.window.showErrorMessage(`CEL error on ${sample}: ${result.error}`);
  }
  return result;
}
