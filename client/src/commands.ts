import * as vscode from 'vscode';
import type { TektonClient } from './client';

/** Registers the extension's commands; ids are `tekton.<verb><Noun>`. */
export function registerCommands(context: vscode.ExtensionContext, tekton: TektonClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tekton.restartServer', async () => {
      await tekton.restart();
      void vscode.window.setStatusBarMessage('Tekton language server restarted', 3000);
    }),
    vscode.commands.registerCommand('tekton.showOutput', () => tekton.outputChannel.show(true)),
  );
}
