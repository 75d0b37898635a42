import * as vscode from 'vscode';
import { TektonClient } from './client';
import { registerCommands } from './commands';
import { GraphPanels } from './graph/graphPanel';
import { WhichRunsFire } from './pac/whichRunsFire';
import { RunsFeature } from './runs';

let tekton: TektonClient | undefined;

/** Starts the language server and registers the commands; an activation failure is shown, then rethrown. */
export async function activate(context: vscode.ExtensionContext): Promise<TektonClient> {
  try {
    tekton = new TektonClient(context);
    registerCommands(context, tekton);
    tekton.simulation.register(context);
    // Pipelines-as-Code: which PipelineRuns of a .tekton/ folder fire for the sample event (client/src/pac)
    new WhichRunsFire(tekton).register(context);
    // submitting and following runs in the current kube context (client/src/runs, over server/src/kube)
    const runs = new RunsFeature(context, tekton);
    context.subscriptions.push(runs);
    // the task graph of documents and of runs (client/src/graph)
    context.subscriptions.push(new GraphPanels(context, tekton, runs));
    void vscode.commands.executeCommand('setContext', 'tekton.active', true);
    await tekton.start();
    return tekton;
  } catch (err) {
    void vscode.window.showErrorMessage(`Tekton: activation failed: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

export async function deactivate(): Promise<void> {
  await tekton?.stop();
  tekton = undefined;
}
