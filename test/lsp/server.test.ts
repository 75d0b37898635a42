import { pathToFileURL } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { TestClient, withCursor, withClient } from '../helpers/lspClient';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello
spec:
  params:
    - name: who
      type: string
  steps:
    - name: say
      image: alpine
      script: echo hello
`;

describe('language server over stdio (pull diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    client = new TestClient();
    const init = await client.initialize(true);
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics registered');
  });
  after(() => client.shutdown());

  it('reports a schema error with its code, source and exact range', async () => {
    const uri = 'file:///ws/task.yaml';
    client.open(uri, TASK.replace('      image: alpine', '      imag: alpine'));
    const diags = await client.diagnostics(uri);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].code, 'schema-unknown-property');
    assert.equal(diags[0].source, 'tekton');
    assert.deepEqual(diags[0].range, { start: { line: 10, character: 6 }, end: { line: 10, character: 10 } });
  });

  it('offers the top-level keys as soon as a new file starts, beside the skeletons', async () => {
    const uri = 'file:///ws/new.yaml';
    client.open(uri, 'ap');
    const list = await client.completion(uri, { line: 0, character: 2 });
    const labels = (list?.items ?? []).map((i) => i.label);
    assert.ok(labels.includes('apiVersion') && labels.includes('kind'), labels.join(', '));
    assert.ok(labels.includes('Task (tekton.dev/v1)'), labels.join(', '));
    const api = list!.items.find((i) => i.label === 'apiVersion')!;
    assert.deepEqual((api.textEdit as { range: unknown }).range, { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
  });

  it('answers malformed params with InvalidParams, not an empty result', async () => {
    const uri = 'file:///ws/params.yaml';
    client.open(uri, TASK);
    const code = async (method: string, params: unknown) =>
      client.request(method, params).then(
        () => 'answered',
        (err: { code?: number }) => err.code,
      );
    assert.equal(await code('textDocument/completion', { textDocument: {}, position: { line: 0, character: 0 } }), -32602);
    assert.equal(await code('textDocument/hover', { textDocument: { uri }, position: { line: 'x', character: 0 } }), -32602);
    assert.equal(await code('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0 } }, context: { diagnostics: [] } }), -32602);
    assert.equal(await code('tekton/simulate', { sample: {} }), -32602);
    assert.equal(await code('tekton/evaluateCel', { uri, expression: 42 }), -32602);
    assert.equal(await code('textDocument/definition', { textDocument: { uri } }), -32602);
    assert.equal(await code('textDocument/rename', { textDocument: { uri }, position: { line: 0, character: 0 }, newName: 42 }), -32602);
    assert.equal(await code('textDocument/diagnostic', {}), -32602);
    assert.equal(await code('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 4 } }), 'answered');
  });

  it('leaves non-Tekton YAML untouched, even when broken', async () => {
    const uri = 'file:///ws/other.yaml';
    client.open(uri, 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  foo: [\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    assert.equal((await client.completion(uri, { line: 2, character: 0 }))?.items.length ?? 0, 0);
    assert.deepEqual(await client.symbols(uri), []);
  });

  it('updates diagnostics after an incremental edit', async () => {
    const uri = 'file:///ws/edit.yaml';
    client.open(uri, TASK);
    assert.deepEqual(await client.diagnostics(uri), []);
    client.change(uri, { start: { line: 7, character: 12 }, end: { line: 7, character: 18 } }, 'strng');
    const diags = await client.diagnostics(uri);
    assert.deepEqual(diags.map((d) => d.code), ['schema-enum']);
    assert.deepEqual(diags[0].range.start, { line: 7, character: 12 });
  });

  it('completes keys valid at the cursor with their descriptions', async () => {
    const uri = 'file:///ws/complete.yaml';
    const { text, position } = withCursor(TASK.replace('      script: echo hello\n', '      script: echo hello\n      |\n'));
    client.open(uri, text);
    const list = await client.completion(uri, position);
    const labels = list!.items.map((i) => i.label);
    for (const key of ['workingDir', 'env', 'args', 'onError', 'volumeMounts']) assert.ok(labels.includes(key), key);
    for (const present of ['name', 'image', 'script']) assert.ok(!labels.includes(present), `${present} already present`);
    const env = list!.items.find((i) => i.label === 'env')!;
    assert.ok(JSON.stringify(env.documentation).length > 20, 'documentation from the schema');
  });

  it('offers a skeleton per kind in an empty document', async () => {
    const uri = 'file:///ws/empty.yaml';
    client.open(uri, '');
    const labels = (await client.completion(uri, { line: 0, character: 0 }))!.items.map((i) => i.label);
    for (const kind of ['Pipeline', 'Task', 'PipelineRun', 'TaskRun', 'EventListener', 'TriggerTemplate', 'TriggerBinding'])
      assert.ok(labels.some((l) => l.startsWith(`${kind} (`)), kind);
  });

  it('hovers with the field description and type', async () => {
    const uri = 'file:///ws/hover.yaml';
    client.open(uri, TASK);
    const hover = await client.hover(uri, { line: 10, character: 8 });
    const value = (hover!.contents as { value: string }).value;
    assert.match(value, /\*\*image\*\*: `string`/);
    assert.ok(value.length > 40);
  });

  it('returns nested document symbols and folding ranges', async () => {
    const uri = 'file:///ws/symbols.yaml';
    client.open(uri, TASK);
    const symbols = await client.symbols(uri);
    assert.equal(symbols[0].name, 'Task hello');
    assert.deepEqual(symbols[0].children!.map((c) => c.name), ['say']);
    const folds = await client.folding(uri);
    assert.ok(folds.some((f) => f.startLine === 4), 'spec folds');
  });

  it('does not report YAML syntax twice when the Red Hat YAML extension is present', async () => {
    await withClient(async (other) => {
      await other.initialize(true, { yamlExtensionPresent: true });
      const uri = 'file:///ws/syntax.yaml';
      const broken = `${TASK}  bad: [\n`;
      other.open(uri, broken);
      const codes = (await other.diagnostics(uri)).map((d) => d.code);
      assert.ok(!codes.includes('yaml-syntax'), codes.join());
      client.open(uri, broken);
      assert.ok((await client.diagnostics(uri)).some((d) => d.code === 'yaml-syntax'));
    });
  });
});

describe('language server over stdio (push diagnostics)', () => {
  it('pushes diagnostics on open and after a change', async () => {
    await withClient(async (client) => {
      await client.initialize(false);
      const uri = 'file:///ws/push.yaml';
      client.open(uri, TASK);
      await client.pushed(uri, (d) => d.length === 0);
      client.change(uri, { start: { line: 1, character: 6 }, end: { line: 1, character: 10 } }, 'Tsk');
      const diags = await client.pushed(uri, (d) => d.length > 0);
      assert.equal(diags[0].code, 'unknown-kind');
      assert.match(String(diags[0].message), /did you mean "Task"/);
    });
  });
});

describe('the output channel says what the server does', () => {
  it('logs the start (version, diagnostics mode) and the workspace index (time, files, resources)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tekton-log-'));
    writeFileSync(join(dir, 'task.yaml'), TASK);
    writeFileSync(join(dir, 'notes.yaml'), 'just: yaml\n');
    await withClient(async (client) => {
      await client.initialize(false, {}, pathToFileURL(dir).toString());
      const deadline = Date.now() + 10000;
      while (!client.logs.some((l) => l.message.startsWith('Workspace indexed')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const said = client.logs.map((l) => l.message);
      assert.ok(said.some((m) => /^tekton-ls 0\.1\.0 started \(Node v\d+\.\d+\.\d+, pid \d+, push diagnostics, 1 workspace folder\(s\)\)$/.test(m)), said.join('\n'));
      assert.ok(said.some((m) => /^Workspace indexed in \d+ ms: 2 YAML file\(s\), 1 resource\(s\)$/.test(m)), said.join('\n'));
    });
  });
});

describe('diagnostics without a fixed debounce, and without sending what the client already has', () => {
  it('push: an edit after a quiet moment is validated at once; a burst of edits costs one validation for the last version', async () => {
    await withClient(async (client) => {
      await client.initialize(false);
      const uri = 'file:///ws/burst.yaml';
      client.open(uri, TASK);
      await client.pushed(uri, (d) => d.length === 0);
      const before = client.publications.length;
      // 20 edits written at once (faster than anyone types): "Task" → "Tas" → … → "Tasxxxxxxxxxxxxxxxxx"
      client.change(uri, { start: { line: 1, character: 9 }, end: { line: 1, character: 10 } }, '');
      for (let i = 0; i < 19; i++) client.change(uri, { start: { line: 1, character: 9 + i }, end: { line: 1, character: 9 + i } }, 'x');
      const diags = await client.pushed(uri, (d) => d.some((x) => x.code === 'unknown-kind'));
      assert.match(String(diags[0].message), /"Tasxxxxxxxxxxxxxxxxxxx"|Tasx+/);
      await new Promise((r) => setTimeout(r, 400));
      const burst = client.publications.slice(before).filter((p) => p.uri === uri);
      assert.equal(burst.at(-1)?.version, 21, 'the last version is the one published last');
      assert.ok(burst.length <= 2, `one validation for the burst (plus at most the first edit's), got ${burst.length}`);
      // no publication again for a refresh that changes nothing for this document
      const other = 'file:///ws/other.yaml';
      client.open(other, TASK.replace('hello', 'other'));
      await client.pushed(other, () => true);
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(client.publications.slice(before).filter((p) => p.uri === uri).length, burst.length, 'nothing re-sent for an unchanged result');
    });
  });

  it('pull: a re-pull of the same version is answered unchanged with the same result id', async () => {
    await withClient(async (client) => {
      await client.initialize(true);
      const uri = 'file:///ws/pull.yaml';
      client.open(uri, TASK.replace('image: alpine', 'image: 3'));
      type Report = { kind: string; resultId?: string; items?: { code?: unknown }[] };
      await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      // the first crawl's end may change cross-file results once: pull again after it
      await new Promise((r) => setTimeout(r, 300));
      const first = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(first.kind, 'full');
      assert.deepEqual(first.items?.map((d) => d.code), ['schema-type']);
      assert.ok(first.resultId);
      const again = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
      client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
      const changed = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.equal(changed.kind, 'full');
      assert.notEqual(changed.resultId, first.resultId);
    });
  });

  it('pull: diagnostics that stay equal keep their result id, across an edit and another file\'s change', async () => {
    await withClient(async (client) => {
      await client.initialize(true);
      const uri = 'file:///ws/same.yaml';
      client.open(uri, TASK.replace('image: alpine', 'image: 3'));
      type Report = { kind: string; resultId?: string; items?: unknown[] };
      await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      await new Promise((r) => setTimeout(r, 300));
      const first = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(first.kind, 'full');
      // another open file moves the workspace index on (a new Task); this file's problems do not change
      client.open('file:///ws/other.yaml', TASK.replace(/name: \S+/, 'name: unrelated-task'));
      await client.request<Report>('textDocument/diagnostic', { textDocument: { uri: 'file:///ws/other.yaml' } });
      const afterOther = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.deepEqual(afterOther, { kind: 'unchanged', resultId: first.resultId });
      // an edit at the end of the file leaves every range where it was
      const lines = TASK.split('\n').length;
      client.change(uri, { start: { line: lines, character: 0 }, end: { line: lines, character: 0 } }, '# a comment\n');
      const afterEdit = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.deepEqual(afterEdit, { kind: 'unchanged', resultId: first.resultId });
    });
  });
});

describe('bad input never crashes or hangs the server', () => {
  let client: TestClient;
  before(async () => {
    client = new TestClient();
    await client.initialize(true);
  });
  after(() => client.shutdown());

  async function stillAnswers(): Promise<void> {
    const uri = `file:///ws/alive-${Math.random()}.yaml`;
    client.open(uri, TASK.replace('image: alpine', 'image: 3'));
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['schema-type']);
    assert.equal(client.exited, false);
  }

  it('skips a 10 MB file with a clear message', async () => {
    const uri = 'file:///ws/huge.yaml';
    const doc = `---\n${TASK}`;
    client.open(uri, doc.repeat(Math.ceil((10 * 1024 * 1024) / doc.length)));
    const diags = await client.diagnostics(uri);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].code, 'file-skipped');
    assert.match(String(diags[0].message), /MB limit/);
    assert.deepEqual(await client.symbols(uri), []);
    await stillAnswers();
  });

  it('survives a YAML alias bomb', async () => {
    const uri = 'file:///ws/bomb.yaml';
    let bomb = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: bomb\nspec:\n  x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) bomb += `  x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    client.open(uri, bomb);
    const diags = await client.diagnostics(uri);
    assert.ok(diags.some((d) => d.code === 'schema-unknown-property'));
    await client.hover(uri, { line: 14, character: 3 });
    await stillAnswers();
  });

  it('survives 5000-deep flow nesting, closed or not, and says where the document stopped being analysed', async () => {
    const head = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: deep\nspec:\n  steps: ';
    // the second, from the fuzz campaign: 80 KB of unclosed `[1, ` held the server ~1 s per request before
    for (const [i, text] of [`${head}${'['.repeat(5000)}${']'.repeat(5000)}\n`, `${head}${'[1, '.repeat(20000)}\n`].entries()) {
      const uri = `file:///ws/deep-${i}.yaml`;
      client.open(uri, text);
      const diags = await client.diagnostics(uri);
      assert.deepEqual(
        diags.map((d) => [d.code, d.severity, d.range.start]),
        [['yaml-flow-too-deep', 2, { line: 5, character: 9 + text.slice(head.length).split('[', 501).join('[').length }]],
      );
      assert.match(String(diags[0].message), /nest more than 500 levels deep here: this document is not analysed/);
      await client.completion(uri, { line: 5, character: 10 });
      await client.folding(uri);
      await stillAnswers();
    }
  });

  it('survives 5000-deep block nesting', async () => {
    const uri = 'file:///ws/deep-block.yaml';
    let deep = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: deep\nspec:\n';
    for (let i = 0; i < 5000; i++) deep += `${' '.repeat(2 + i)}k${i}:\n`;
    client.open(uri, deep);
    await client.diagnostics(uri);
    await client.symbols(uri);
    await client.folding(uri);
    await stillAnswers();
  });

  it('skips binary garbage with a message', async () => {
    const uri = 'file:///ws/garbage.yaml';
    let garbage = '';
    let seed = 7;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      garbage += String.fromCharCode(seed % 256);
    }
    client.open(uri, `apiVersion: tekton.dev/v1\nkind: Task\n${garbage}`);
    const diags = await client.diagnostics(uri);
    assert.equal(diags[0].code, 'file-skipped');
    await stillAnswers();
  });
});
