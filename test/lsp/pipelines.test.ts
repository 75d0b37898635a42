import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Diagnostic, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient, withClient } from '../helpers/lspClient';

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

  it('to an editor taking snippet edits, the same fix leaves the cursor in the value it inserts', async () => {
    await withClient(async (snippets) => {
      const claims = { documentChanges: true, snippetEditSupport: true };
      await snippets.initialize(true, {}, pathToFileURL(dir).toString(), claims);
      snippets.open(uri, PIPELINE);
      let d: Diagnostic[] = [];
      for (let i = 0; i < 100 && !d.some((x) => x.code === 'missing-param'); i++) {
        d = await snippets.diagnostics(uri);
        await new Promise((r) => setTimeout(r, 50));
      }
      const missing = d.filter((x) => x.code === 'missing-param');
      const actions = await snippets.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: missing[0].range,
        context: { diagnostics: missing },
      });
      const fix = actions.find((a) => a.title.startsWith('Add the param'))!;
      const [change] = fix.edit!.documentChanges as { textDocument: { uri: string; version: number }; edits: { range: unknown; snippet?: { kind: string; value: string } }[] }[];
      assert.deepEqual(change.textDocument, { uri, version: 1 });
      assert.deepEqual(change.edits[0].snippet, { kind: 'snippet', value: '      params:\n        - name: revision\n          value: "${1}"\n' });
    });
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

describe('a workspace the referenced Task needs, bound by a quick fix as a missing param is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-ws-fix-'));
  writeFileSync(
    join(dir, 'task.yaml'),
    'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: clone\nspec:\n  workspaces:\n    - name: output\n    - name: cache\n      optional: true\n  steps:\n    - image: alpine\n      script: ls $(workspaces.output.path)\n',
  );
  const pipeline = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: fetch
spec:
  workspaces:
    - name: shared-data
  tasks:
    - name: fetch-source
      taskRef:
        name: clone
`;
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline);
  const uri = pathToFileURL(join(dir, 'pipeline.yaml')).toString();

  it('binds the required (not the optional) workspace to the Pipeline\'s only workspace', async () => {
    await withClient(async (client) => {
      await client.initialize(true, {}, pathToFileURL(dir).toString());
      client.open(uri, pipeline);
      let diagnostics: Diagnostic[] = [];
      for (let i = 0; i < 100 && !diagnostics.some((d) => d.code === 'missing-workspace'); i++) {
        diagnostics = await client.diagnostics(uri);
        await new Promise((r) => setTimeout(r, 50));
      }
      const d = diagnostics.filter((x) => x.code === 'missing-workspace');
      assert.equal(d.length, 1);
      assert.match(String(d[0].message), /Task "clone" needs workspace "output", not bound by pipeline task "fetch-source"/);
      assert.equal(d[0].range.start.line, 10);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d[0].range, context: { diagnostics: d } });
      const fix = actions.find((a) => a.title === 'Bind the workspace Task "clone" needs')!;
      assert.ok(fix, actions.map((a) => a.title).join());
      assert.equal(
        apply(pipeline, fix.edit!, uri),
        pipeline + '      workspaces:\n        - name: output\n          workspace: shared-data\n',
      );
    });
  });
});

describe('a run missing the params and workspaces of its Pipeline gets the fixes that add them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-run-fix-'));
  writeFileSync(
    join(dir, 'pipeline.yaml'),
    'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: deploy\nspec:\n  params:\n    - name: env\n    - name: replicas\n      type: array\n    - name: tag\n      default: latest\n  workspaces:\n    - name: src\n  tasks: []\n',
  );
  const run = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: deploy-
spec:
  pipelineRef:
    name: deploy
`;
  writeFileSync(join(dir, 'run.yaml'), run);
  const uri = pathToFileURL(join(dir, 'run.yaml')).toString();

  it('passes the required params (typed placeholders) and binds the workspace to an emptyDir', async () => {
    await withClient(async (client) => {
      await client.initialize(true, {}, pathToFileURL(dir).toString());
      client.open(uri, run);
      let diagnostics: Diagnostic[] = [];
      for (let i = 0; i < 100 && diagnostics.filter((d) => /^missing-/.test(String(d.code))).length < 2; i++) {
        diagnostics = await client.diagnostics(uri);
        await new Promise((r) => setTimeout(r, 50));
      }
      // both problems sit on the Pipeline's name: each fix comes with its own diagnostic
      const fixOf = async (code: string) => {
        const d = diagnostics.filter((x) => x.code === code);
        assert.equal(d.length, 1, code);
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d[0].range, context: { diagnostics: d } });
        const mine = actions.filter((a) => a.diagnostics?.some((x) => x.code === code));
        assert.equal(mine.length, 1, actions.map((a) => a.title).join());
        return mine[0];
      };
      const params = await fixOf('missing-param');
      assert.equal(params.title, 'Pass the params Pipeline "deploy" requires');
      assert.equal(apply(run, params.edit!, uri), run + '  params:\n    - name: env\n      value: ""\n    - name: replicas\n      value: []\n');
      const ws = await fixOf('missing-workspace');
      assert.equal(ws.title, 'Bind the workspace Pipeline "deploy" needs (emptyDir)');
      assert.equal(apply(run, ws.edit!, uri), run + '  workspaces:\n    - name: src\n      emptyDir: {}\n');
    });
  });
});
