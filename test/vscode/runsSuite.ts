/**
 * Extension-host tests of the run submission UI that need no cluster: the commands and the Runs view are registered,
 * and the "▶ Submit Run" code lens sits over runnable documents only. (Submitting against a cluster is tested
 * end to end in test/e2e/kube.test.mjs, with the Kubernetes API test double.)
 */
import * as vscode from 'vscode';
import { parseParamInput, type ParamQuestion } from '../../server/src/kube/runBuilder';
import { formatDuration, paramDefaultText, runStatusText, sameParamValue } from '../../client/src/runs/format';
import { assert, assertEqual, test, waitFor } from './harness';

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function submitLenses(name: string): Promise<vscode.CodeLens[]> {
  const doc = await vscode.workspace.openTextDocument(fixture(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  return (lenses ?? []).filter((l) => l.command?.command === 'tekton.submitRun');
}

test('the run commands and the Runs view are registered', async () => {
  const commands = await vscode.commands.getCommands(true);
  for (const id of [
    'tekton.submitRun',
    'tekton.submitSimulation',
    'tekton.selectContext',
    'tekton.selectNamespace',
    'tekton.refreshRuns',
    'tekton.cancelRun',
    'tekton.rerun',
    'tekton.openStepLog',
    'tekton.openLiveYaml',
  ])
    assert(commands.includes(id), `command ${id} is not registered`);
  await vscode.commands.executeCommand('tekton.runs.focus');
});

test('"▶ Submit Run" code lenses sit over the Pipeline and the Task, not over Triggers resources', async () => {
  const pipeline = await waitFor('the Submit Run lens on pipeline.yaml', async () => {
    const l = await submitLenses('pipeline.yaml');
    return l.length > 0 && l;
  });
  assertEqual(pipeline.length, 1, 'lenses on pipeline.yaml');
  assertEqual(pipeline[0].command?.title, '▶ Submit Run', 'lens title');
  assertEqual(pipeline[0].command?.arguments?.[1], 0, 'document index passed to tekton.submitRun');
  assertEqual((await submitLenses('task.yaml')).length, 1, 'lenses on task.yaml');
  assertEqual((await submitLenses('eventlistener.yaml')).length, 0, 'lenses on eventlistener.yaml');
});

test('param defaults are offered in a form that reads back to the same value', () => {
  const questions: ParamQuestion[] = [
    { name: 's', type: 'string', default: 'main', required: false },
    { name: 'a', type: 'array', default: ['linux', 'arm64'], required: false },
    { name: 'a2', type: 'array', default: ['x,y', 'z'], required: false },
    { name: 'o', type: 'object', default: { url: 'https://x', revision: 'main' }, properties: ['url', 'revision'], required: false },
    { name: 'o2', type: 'object', default: { k: 'a,b' }, required: false },
  ];
  for (const q of questions) {
    const text = paramDefaultText(q);
    const back = parseParamInput(q, text);
    assert(!back.error, `${q.name}: "${text}" does not parse: ${back.error}`);
    assert(sameParamValue(back.value, q.default), `${q.name}: "${text}" reads back as ${JSON.stringify(back.value)}`);
  }
  assertEqual(paramDefaultText(questions[1]), 'linux, arm64', 'an array default');
  assertEqual(paramDefaultText(questions[2]), '["x,y","z"]', 'an array default with a comma in a value');
});

test('run states and durations read as the Runs view shows them', () => {
  assertEqual(formatDuration(90_000), '1m 30s', '90 s');
  assertEqual(formatDuration(12_400), '12s', '12.4 s');
  assertEqual(formatDuration(3_720_000), '1h 02m', '62 min');
  assertEqual(runStatusText({ state: 'succeeded', reason: 'Succeeded' }), 'Succeeded', 'succeeded');
  assertEqual(runStatusText({ state: 'timed-out', reason: 'PipelineRunTimeout' }), 'Timed out (PipelineRunTimeout)', 'timeout');
  assertEqual(runStatusText({ state: 'running', reason: 'Running' }), 'Running', 'running');
});
