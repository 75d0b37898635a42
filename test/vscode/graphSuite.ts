/**
 * Extension-host tests of the graph commands through the `vscode` API: the "Show Graph" lens sits over a Pipeline and
 * not over a Triggers resource, and the commands open one webview panel per document or run (a second call reveals
 * it). What the webview draws is checked in the workbench by test/e2e/graph.test.mjs; a webview's content is not
 * reachable from the extension host.
 */
import * as vscode from 'vscode';
import { assert, assertEqual, test, waitFor } from './harness';

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function graphLenses(name: string): Promise<vscode.CodeLens[]> {
  const doc = await vscode.workspace.openTextDocument(fixture(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
  return (lenses ?? []).filter((l) => l.command?.command === 'tekton.showGraph');
}

/** The webview tabs titled `label`, in every editor group. */
function webviewTabs(label: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === label);
}

async function closeTabs(tabs: vscode.Tab[]): Promise<void> {
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

test('the graph commands are registered', async () => {
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['tekton.showGraph', 'tekton.showRunGraph']) assert(commands.includes(id), `command ${id} is not registered`);
});

test('"Show Graph" sits over the Pipeline, naming its task count, and not over an EventListener', async () => {
  const lenses = await waitFor('the Show Graph lens on pipeline.yaml', async () => {
    const l = await graphLenses('pipeline.yaml');
    return l.length > 0 && l;
  });
  assertEqual(lenses.length, 1, 'graph lenses on pipeline.yaml');
  assertEqual(lenses[0].command?.title, 'Show Graph (2 tasks)', 'lens title');
  assertEqual(lenses[0].command?.arguments?.[1], 'build-and-test', 'the document name passed to tekton.showGraph');
  assertEqual((await graphLenses('eventlistener.yaml')).length, 0, 'graph lenses on eventlistener.yaml');
});

test('tekton.showGraph opens one graph panel beside the document; a second call reveals it', async () => {
  await closeTabs(webviewTabs('Graph: build-and-test'));
  const [lens] = await graphLenses('pipeline.yaml');
  assert(lens?.command, 'no Show Graph lens on pipeline.yaml');
  await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
  const tabs = await waitFor('the "Graph: build-and-test" panel', () => {
    const t = webviewTabs('Graph: build-and-test');
    return t.length > 0 && t;
  });
  assertEqual(tabs.length, 1, 'graph panels');
  const editorColumn = vscode.window.activeTextEditor?.viewColumn;
  assert(tabs[0].group.viewColumn !== editorColumn, `the graph opened over the editor (column ${editorColumn}) instead of beside it`);
  // from the command palette: the active editor's document, the same panel
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('pipeline.yaml')), { viewColumn: editorColumn });
  await vscode.commands.executeCommand('tekton.showGraph');
  assertEqual(webviewTabs('Graph: build-and-test').length, 1, 'graph panels after a second call');
  await closeTabs(webviewTabs('Graph: build-and-test'));
});

test('tekton.showRunGraph on a Kubeflow Pipelines run opens its run panel, one per run', async () => {
  // A run the view does not hold: the panel opens and says so in the page (its content is the e2e tests' part).
  const element = { type: 'kfpRun', id: 'kfp/run-unknown', runId: 'run-unknown' };
  await vscode.commands.executeCommand('tekton.showRunGraph', element);
  await waitFor('the "Run: run-unknown" panel', () => webviewTabs('Run: run-unknown').length > 0);
  await vscode.commands.executeCommand('tekton.showRunGraph', element);
  assertEqual(webviewTabs('Run: run-unknown').length, 1, 'run panels after a second call');
  await closeTabs(webviewTabs('Run: run-unknown'));
});
