/**
 * Extension-host tests of the Triggers side: a sample event, CEL code lenses, CEL evaluation and Simulate Event in
 * the real workbench, on test/fixtures/workspace/eventlistener.yaml. Every wait polls with a timeout.
 */
import * as vscode from 'vscode';
import type { SampleRequest, SimulateRequest } from '../../server/src/protocol';
import { assert, assertEqual, test, waitFor } from './harness';

/** What `activate` returns, read loosely (client/src/client.ts TektonClient). */
interface TektonApi {
  samples?: { set(sample: SampleRequest | undefined): Promise<void> };
}

const PUSH: SampleRequest = {
  label: 'push (e2e)',
  method: 'POST',
  url: '/',
  headers: { 'Content-Type': ['application/json'], 'X-GitHub-Event': ['push'] },
  body: JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: 'abc123' } }),
};

function listenerUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'eventlistener.yaml');
}

async function useSample(): Promise<void> {
  const ext = vscode.extensions.getExtension<TektonApi>('tekton-authoring.tekton-authoring');
  assert(ext?.isActive && ext.exports.samples, 'the extension does not expose its sample store');
  await ext.exports.samples.set(PUSH);
}

test('with a sample event, code lenses show the CEL filter result and offer Simulate Event', async () => {
  await useSample();
  const doc = await vscode.workspace.openTextDocument(listenerUri());
  await vscode.window.showTextDocument(doc);
  const titles = await waitFor(
    'the CEL filter lens',
    async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const t = lenses.map((l) => l.command?.title ?? '');
      return t.some((x) => x.startsWith('filter ⇒ true')) && t;
    },
    30_000,
  );
  assert(titles.some((t) => t.startsWith('▶ Simulate event')), `no Simulate lens in ${titles.join(' | ')}`);
  assert(titles.some((t) => t.startsWith('▶ Submit Run')) === false, 'Submit Run offered on a Triggers document');
});

test('Tekton: Evaluate CEL evaluates the filter under the cursor against the sample', async () => {
  await useSample();
  const doc = await vscode.workspace.openTextDocument(listenerUri());
  const editor = await vscode.window.showTextDocument(doc);
  const at = doc.positionAt(doc.getText().indexOf("header.match") + 3);
  editor.selection = new vscode.Selection(at, at);
  const result = await vscode.commands.executeCommand<{ ok: boolean; display?: string }>('tekton.evaluateCel');
  assertEqual(result?.ok, true, 'evaluation succeeded');
  assertEqual(result?.display, 'true', 'the filter result');
});

test('Simulate Event renders the PipelineRun into a read-only document the language server checks', async () => {
  await useSample();
  const result = await vscode.commands.executeCommand<SimulateRequest.Result | undefined>('tekton.simulateEvent', listenerUri().toString());
  assertEqual(result?.result?.triggers.map((t) => t.status).join(), 'fired', 'the trigger fired');
  assert(result?.yaml?.includes('value: abc123'), `the binding's value is not rendered:\n${result?.yaml}`);
  const rendered = await waitFor(
    'the rendered document',
    () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'tekton-simulation'),
    30_000,
  );
  assertEqual(rendered.languageId, 'yaml', 'the rendered document is YAML');
  const symbols = await waitFor(
    'symbols of the rendered document from the language server',
    async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', rendered.uri);
      return s?.length ? s : undefined;
    },
    30_000,
  );
  assert(symbols[0].name.startsWith('PipelineRun build-and-test-'), `unexpected symbol ${symbols[0].name}`);
});
