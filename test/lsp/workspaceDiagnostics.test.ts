import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, InitializeResult } from 'vscode-languageserver-protocol';
import { TestClient, withClient } from '../helpers/lspClient';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build-image
spec:
  steps:
    - image: alpine
      scrip: echo hello
`;
const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: release
spec:
  tasks:
    - name: build
      taskRef:
        name: build-image
`;
const NOT_TEKTON = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {}
`;

interface Item {
  uri: string;
  version: number | null;
  kind: 'full' | 'unchanged';
  resultId?: string;
  items?: Diagnostic[];
}

describe('workspace diagnostics (workspace/diagnostic)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-wsdiag-'));
  mkdirSync(join(dir, 'tasks'));
  writeFileSync(join(dir, 'tasks', 'build.yaml'), TASK);
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  writeFileSync(join(dir, 'configmap.yaml'), NOT_TEKTON);
  const uri = (p: string) => pathToFileURL(join(dir, p)).toString();
  let client: TestClient;
  let init: InitializeResult;
  let workspaceSetting: boolean | undefined;

  before(async () => {
    client = new TestClient();
    // replaces the helper's "no settings" answer: the last test turns the setting off
    client.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'tekton' && workspaceSetting !== undefined ? { diagnostics: { workspace: workspaceSetting } } : null)),
    );
    init = await client.initialize(true, {}, pathToFileURL(dir).toString());
  });
  after(() => client.shutdown());

  const pull = (previousResultIds: { uri: string; value: string }[] = []) =>
    client.request<{ items: Item[] }>('workspace/diagnostic', { previousResultIds });

  it('advertises workspace diagnostics to pull clients', () => {
    assert.deepEqual(init.capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: true });
  });

  it('reports the problem of a file that was never opened, with its code and range', async () => {
    const { items } = await pull();
    const byUri = new Map(items.map((i) => [i.uri, i]));
    assert.deepEqual([...byUri.keys()].sort(), [uri('configmap.yaml'), uri('pipeline.yaml'), uri('tasks/build.yaml')]);
    const task = byUri.get(uri('tasks/build.yaml'))!;
    assert.equal(task.kind, 'full');
    assert.equal(task.version, null);
    assert.deepEqual(
      task.items!.map((d) => [d.code, d.severity, d.range, d.message]),
      [
        [
          'schema-unknown-property',
          1,
          { start: { line: 7, character: 6 }, end: { line: 7, character: 11 } },
          'Property "scrip" is not allowed here; did you mean "script"?',
        ],
      ],
    );
    // the Pipeline's taskRef resolves through the index: the closed files see each other
    assert.deepEqual(byUri.get(uri('pipeline.yaml'))!.items, []);
  });

  it('answers unchanged for every file the client already has', async () => {
    const first = await pull();
    const again = await pull(first.items.map((i) => ({ uri: i.uri, value: i.resultId! })));
    assert.deepEqual(
      again.items.map((i) => [i.uri, i.kind, i.resultId]).sort(),
      first.items.map((i) => [i.uri, 'unchanged', i.resultId]).sort(),
    );
  });

  it('leaves an open file to the document pull, and takes it back when it closes', async () => {
    const first = await pull();
    client.open(uri('tasks/build.yaml'), TASK);
    const document = await client.diagnostics(uri('tasks/build.yaml'));
    assert.deepEqual(document.map((d) => d.code), ['schema-unknown-property']);
    const whileOpen = await pull(first.items.map((i) => ({ uri: i.uri, value: i.resultId! })));
    assert.deepEqual(whileOpen.items.map((i) => i.uri).sort(), [uri('configmap.yaml'), uri('pipeline.yaml')]);

    void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri('tasks/build.yaml') } });
    // the index has the file (as the editor had it, then as the disk has it): the workspace report is its home again
    const back = (await pull()).items.find((x) => x.uri === uri('tasks/build.yaml'));
    assert.deepEqual(back?.items?.map((d) => d.code), ['schema-unknown-property']);
  });

  it('answers nothing once tekton.diagnostics.workspace is false, clearing what it had reported', async () => {
    await pull();
    workspaceSetting = false;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const off = await pull();
    // the file that had a problem is reported empty once, so that the client drops it
    assert.deepEqual(off.items, [{ uri: uri('tasks/build.yaml'), version: null, kind: 'full', items: [] }]);
    assert.deepEqual((await pull()).items, []);
  });
});

describe('workspace diagnostics after another file changes what it declares', () => {
  it('computes again only the files that can depend on it, and sends only the reports that changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tekton-wsdiag-deps-'));
    const task = TASK.replace('scrip:', 'script:');
    writeFileSync(join(dir, 'task.yaml'), task);
    writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
    writeFileSync(join(dir, 'other.yaml'), PIPELINE.replace('name: release', 'name: other').replace('build-image', 'lint'));
    writeFileSync(join(dir, 'configmap.yaml'), NOT_TEKTON);
    const uri = (p: string) => pathToFileURL(join(dir, p)).toString();
    await withClient(async (client) => {
      await client.initialize(true, {}, pathToFileURL(dir).toString());
      const pull = (previousResultIds: { uri: string; value: string }[] = []) =>
        client.request<{ items: Item[] }>('workspace/diagnostic', { previousResultIds });
      const first = await pull();
      const before = new Map(first.items.map((i) => [i.uri, i.resultId!]));
      assert.deepEqual(first.items.find((i) => i.uri === uri('pipeline.yaml'))?.items, []);

      // the Task the Pipeline runs is renamed in the editor
      client.open(uri('task.yaml'), task);
      await client.diagnostics(uri('task.yaml'));
      client.change(uri('task.yaml'), { start: { line: 3, character: 8 }, end: { line: 3, character: 19 } }, 'build-img');
      await client.diagnostics(uri('task.yaml'));
      const after = await pull([...before].map(([u, value]) => ({ uri: u, value })));
      const byUri = new Map(after.items.map((i) => [i.uri, i]));
      assert.deepEqual([...byUri.keys()].sort(), [uri('configmap.yaml'), uri('other.yaml'), uri('pipeline.yaml')]);
      // its reference no longer resolves: a new report
      const pipeline = byUri.get(uri('pipeline.yaml'))!;
      assert.equal(pipeline.kind, 'full');
      assert.deepEqual(pipeline.items!.map((d) => d.code), ['reference-not-checked']);
      // computed again (it references a Task by name) but equal: unchanged, under a new id
      const other = byUri.get(uri('other.yaml'))!;
      assert.equal(other.kind, 'unchanged');
      assert.notEqual(other.resultId, before.get(uri('other.yaml')));
      // references nothing: its problems cannot change with another file, the id stays
      assert.deepEqual(byUri.get(uri('configmap.yaml')), { uri: uri('configmap.yaml'), version: null, kind: 'unchanged', resultId: before.get(uri('configmap.yaml')) });
    });
  });
});

describe('workspace diagnostics for push clients', () => {
  it('are not advertised (every closed file would have to be pushed after each change)', async () => {
    await withClient(async (client) => {
      const init = await client.initialize(false, {}, pathToFileURL(mkdtempSync(join(tmpdir(), 'tekton-wsdiag-'))).toString());
      assert.equal(init.capabilities.diagnosticProvider, undefined);
    });
  });
});

describe('workspace diagnostics over the size limit', () => {
  it('reports nothing and says why in the output channel', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tekton-wsdiag-big-'));
    // one file over WORKSPACE_DIAGNOSTICS_MAX_FILES (5,000), one of them with a problem that must not be reported
    for (let i = 0; i <= 5000; i++) writeFileSync(join(dir, `f${i}.yaml`), i ? NOT_TEKTON : TASK);
    await withClient(async (client) => {
      await client.initialize(true, {}, pathToFileURL(dir).toString());
      const report = await client.request<{ items: Item[] }>('workspace/diagnostic', { previousResultIds: [] });
      assert.deepEqual(report.items, []);
      const explained = client.logs.filter((l) => l.message.startsWith('Workspace diagnostics are off'));
      assert.equal(explained.length, 1, client.logs.map((l) => l.message).join('\n'));
      assert.match(explained[0].message, /5001 YAML file\(s\)/);
    });
  });
});

describe('workspace diagnostics of a deleted file', () => {
  it('are cleared by one empty report, then the file is no longer mentioned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tekton-wsdiag-del-'));
    writeFileSync(join(dir, 'task.yaml'), TASK);
    writeFileSync(join(dir, 'configmap.yaml'), NOT_TEKTON);
    const task = pathToFileURL(join(dir, 'task.yaml')).toString();
    await withClient(async (client) => {
      await client.initialize(true, {}, pathToFileURL(dir).toString());
      const pull = () => client.request<{ items: Item[] }>('workspace/diagnostic', { previousResultIds: [] });
      assert.deepEqual((await pull()).items.find((i) => i.uri === task)?.items?.map((d) => d.code), ['schema-unknown-property']);
      unlinkSync(join(dir, 'task.yaml'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: task, type: 3 }] });
      // without this empty report the client would go on showing the deleted file's problem
      assert.deepEqual((await pull()).items.filter((i) => i.uri === task), [{ uri: task, version: null, kind: 'full', items: [] }]);
      assert.deepEqual((await pull()).items.filter((i) => i.uri === task), []);
    });
  });
});
