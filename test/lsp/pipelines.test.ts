import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Diagnostic, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lspClient';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
spec:
  params:
    - name: revision
      type: string
    - name: flags
      type: array
      default: []
  results:
    - name: digest
  steps:
    - image: alpine
      script: echo $(params.revision)
`;

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: release
spec:
  params:
    - name: git-revision
      type: string
  tasks:
    - name: compile
      taskRef:
        name: build
    - name: publish
      taskRef:
        name: build
      params:
        - name: revision
          value: $(params.git-revison)
        - name: flags
          value: ["$(tasks.compile.results.digest)", "$(params.channel)"]
`;

/** The position of the first `needle` (plus `delta` characters) in `text`. */
function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + delta;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Applies the edits of a WorkspaceEdit to one document's text. */
function apply(text: string, edit: WorkspaceEdit, uri: string): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...(edit.changes?.[uri] ?? [])].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of edits) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

describe('Pipelines intelligence over LSP, across two files (pipeline_validation.go, validate_params.go)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-pipes-'));
  writeFileSync(join(dir, 'task.yaml'), TASK);
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  const uri = pathToFileURL(join(dir, 'pipeline.yaml')).toString();
  let client: TestClient;
  let diagnostics: Diagnostic[] = [];

  before(async () => {
    client = new TestClient();
    await client.initialize(true, {}, pathToFileURL(dir).toString());
    client.open(uri, PIPELINE);
    for (let i = 0; i < 100 && !diagnostics.some((d) => d.code === 'missing-param'); i++) {
      diagnostics = await client.diagnostics(uri);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(() => client.shutdown());

  it('reports the misspelled param, the undeclared param and the param the referenced Task requires', () => {
    const codes = diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();
    assert.deepEqual(codes, ['missing-param@11', 'unknown-param@17', 'unknown-param@19'].sort());
  });

  async function actionsAt(line: number): Promise<CodeAction[]> {
    const d = diagnostics.filter((x) => x.range.start.line === line);
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d[0].range,
      context: { diagnostics: d },
    });
  }

  it('offers did-you-mean for a misspelled param', async () => {
    const actions = await actionsAt(17);
    const fix = actions.find((a) => a.title === 'Change to "git-revision"')!;
    assert.match(apply(PIPELINE, fix.edit!, uri), /value: \$\(params\.git-revision\)/);
  });

  it('offers to declare an undeclared param', async () => {
    const actions = await actionsAt(19);
    const fix = actions.find((a) => a.title === 'Declare param "channel"')!;
    assert.match(apply(PIPELINE, fix.edit!, uri), /params:\n    - name: git-revision\n      type: string\n    - name: channel/);
  });

  it('offers to add the params a referenced Task requires (in another file)', async () => {
    const actions = await actionsAt(11);
    const fix = actions.find((a) => a.title.startsWith('Add the param'))!;
    assert.match(apply(PIPELINE, fix.edit!, uri), /name: build\n      params:\n        - name: revision\n          value: ""\n    - name: publish/);
  });

  it('completes the results of a Task defined in another file inside $(tasks.compile.results.', async () => {
    const position = pos(PIPELINE, 'results.digest', 'results.'.length);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    assert.ok(list.items.some((i) => i.label.endsWith('digest')), JSON.stringify(list.items.map((i) => i.label)));
  });

  it('goes to a pipeline task declaration, finds its references and renames it everywhere', async () => {
    // the task name `compile`: declared once, used in $(tasks.compile.results.digest)
    const position = pos(PIPELINE, 'name: compile', 8);
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range.start.line).sort((a, b) => a - b), [9, 19]);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'build-it' });
    const renamed = apply(PIPELINE, edit, uri);
    assert.match(renamed, /- name: build-it\n/);
    assert.match(renamed, /\$\(tasks\.build-it\.results\.digest\)/);
    const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos(PIPELINE, 'tasks.compile', 7) });
    assert.equal(defs[0]?.range.start.line, 9);
  });
});
