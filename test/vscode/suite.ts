/**
 * Extension-host tests: the real `vscode` API against the real extension and its language-server child process, in
 * the fixture workspace `test/fixtures/workspace/` (a Pipeline with the misspelled key `runAftr`, a Task, an
 * EventListener). Every wait polls with a timeout; nothing sleeps a fixed time.
 */
import * as vscode from 'vscode';
import { assert, assertEqual, test, waitFor } from './harness';

const EXTENSION_ID = 'tekton-authoring.tekton-authoring';

/** What `activate` returns (client/src/client.ts `TektonClient`), read loosely so a reshaped client fails clearly. */
interface TektonApi {
  languageClient?: { isRunning(): boolean };
  status?: { text: string };
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open: the tests must run in test/fixtures/workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

function tektonDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'tekton' && (code === undefined || codeOf(d) === code));
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

function api(): TektonApi {
  const ext = vscode.extensions.getExtension<TektonApi>(EXTENSION_ID);
  assert(ext?.isActive, 'the extension is not active');
  return ext.exports ?? {};
}

async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Range of the first occurrence of `needle` in the document. */
function rangeOf(doc: vscode.TextDocument, needle: string): vscode.Range {
  const at = doc.getText().indexOf(needle);
  assert(at >= 0, `"${needle}" not found in ${doc.uri.toString()}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

function show(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A new Task being typed, cursor on an empty line inside `spec:`; untitled, so no fixture file gets dirty. */
const DRAFT_TASK = ['apiVersion: tekton.dev/v1', 'kind: Task', 'metadata:', '  name: draft', 'spec:', '  description: Draft.', '  '].join('\n');

async function completeInDraftTask(): Promise<string[]> {
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: DRAFT_TASK });
  const position = new vscode.Position(doc.lineCount - 1, 2);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    position,
  );
  return list.items.map(labelOf);
}

test('the extension activates on a Tekton file of the workspace', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert(ext, `extension ${EXTENSION_ID} is not installed in this window`);
  const editor = await open('pipeline.yaml');
  assertEqual(editor.document.languageId, 'yaml', 'language of pipeline.yaml');
  await waitFor('the extension to activate', () => ext.isActive);
});

test('the language server starts and the status item reports the Pipeline', async () => {
  const tekton = api();
  assert(tekton.languageClient, 'activate() returned no languageClient');
  await waitFor('the language client to be running', () => tekton.languageClient?.isRunning());
  if (tekton.status) {
    const text = await waitFor('the status item to name the Pipeline', () => /Pipeline/.test(tekton.status!.text) && tekton.status!.text);
    assert(text.startsWith('Tekton'), `status text: ${text}`);
  }
});

test('schema diagnostics arrive for the misspelled Pipeline key, with source, code and range', async () => {
  const editor = await open('pipeline.yaml');
  const uri = editor.document.uri;
  const [d] = await waitFor('a schema-unknown-property diagnostic on pipeline.yaml', () => {
    const found = tektonDiagnostics(uri, 'schema-unknown-property');
    return found.length > 0 && found;
  });
  const key = rangeOf(editor.document, 'runAftr:');
  assertEqual(show(d.range), show(key.with({ end: key.end.translate(0, -1) })), 'diagnostic range (the key)');
  assert(d.message.includes('runAftr'), `message names the key: ${d.message}`);
  assertEqual(d.severity, vscode.DiagnosticSeverity.Error, 'severity');
  const errors = tektonDiagnostics(uri).filter((e) => e.severity === vscode.DiagnosticSeverity.Error);
  assertEqual(errors.length, 1, 'number of tekton errors on pipeline.yaml');
});

test('completion inside spec: of a Task offers its keys', async () => {
  const labels = await waitFor('Task spec completions', async () => {
    const l = await completeInDraftTask();
    return l.length > 0 && l;
  });
  for (const key of ['steps', 'params', 'workspaces', 'results']) {
    assert(labels.includes(key), `completion lacks "${key}"; got ${labels.join(', ')}`);
  }
});

test('hover on a Task key shows its schema description', async () => {
  const editor = await open('task.yaml');
  const at = rangeOf(editor.document, 'steps:').start.translate(0, 1);
  const text = await waitFor('a hover on "steps"', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
    const t = hoverText(hovers ?? []);
    return t.trim().length > 0 && t;
  });
  assert(/step/i.test(text), `hover text does not describe steps: ${text}`);
});

test('document symbols list Tekton resources and their children', async () => {
  const symbolsOf = async (name: string) => {
    const editor = await open(name);
    return waitFor(`document symbols of ${name}`, async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        editor.document.uri,
      );
      return s && s.length > 0 && s;
    });
  };
  const [pipeline] = await symbolsOf('pipeline.yaml');
  assertEqual(pipeline.name, 'Pipeline build-and-test', 'Pipeline symbol');
  assertEqual(pipeline.children.map((c) => c.name), ['build', 'test'], 'Pipeline task symbols');
  const triggers = await symbolsOf('eventlistener.yaml');
  assertEqual(
    triggers.map((t) => t.name),
    ['EventListener github-listener', 'TriggerBinding push-binding', 'TriggerTemplate build-template'],
    'symbols of the Triggers file',
  );
  const listener = triggers[0];
  assertEqual(listener.children.map((c) => c.name), ['on-push'], 'EventListener trigger symbols');
});

test('the commands are registered and tekton.showOutput runs', async () => {
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['tekton.restartServer', 'tekton.showOutput']) assert(commands.includes(id), `command ${id} is not registered`);
  await vscode.commands.executeCommand('tekton.showOutput');
});

test('tekton.restartServer restarts the server and diagnostics come back', async () => {
  const tekton = api();
  const before = tekton.languageClient;
  const editor = await open('pipeline.yaml');
  await vscode.commands.executeCommand('tekton.restartServer');
  await waitFor('a new, running language client', () => tekton.languageClient !== before && tekton.languageClient?.isRunning());
  await waitFor('diagnostics after the restart', () => tektonDiagnostics(editor.document.uri, 'schema-unknown-property').length === 1);
  const labels = await completeInDraftTask();
  assert(labels.includes('steps'), `completion after the restart lacks "steps"; got ${labels.join(', ')}`);
});
