import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { GraphRequest } from '../../server/src/protocol';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
spec:
  params:
    - name: image
      default: ''
  results:
    - name: digest
  steps:
    - image: alpine
`;

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: release
spec:
  tasks:
    - name: compile
      taskRef:
        name: build
    - name: publish
      params:
        - name: image
          value: $(tasks.compile.results.digest)
      taskRef:
        name: build
    - name: notify
      runAfter: [publish, nowhere]
      taskRef:
        name: build
  finally:
    - name: cleanup
      taskRef:
        name: build
`;

const RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: release-run
spec:
  pipelineRef:
    name: release
`;

const graph = (client: TestClient, params: GraphRequest.Params) => client.request<GraphRequest.Result>(GraphRequest.method, params);

describe('tekton/graph over LSP', () => {
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'tekton-graph-'));
  writeFileSync(join(dir, 'task.yaml'), TASK);
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  writeFileSync(join(dir, 'run.yaml'), RUN);
  const pipelineUri = pathToFileURL(join(dir, 'pipeline.yaml')).toString();
  const runUri = pathToFileURL(join(dir, 'run.yaml')).toString();

  before(async () => {
    client = new TestClient();
    await client.initialize(true, {}, pathToFileURL(dir).toString());
    client.open(pipelineUri, PIPELINE);
  });
  after(() => client.shutdown());

  it('answers the graph of an open Pipeline with ranges, node details and node problems', async () => {
    const r = await graph(client, { uri: pipelineUri });
    assert.equal(r.error, undefined);
    const g = r.graph!;
    assert.equal(g.kind, 'Pipeline');
    assert.equal(g.name, 'release');
    assert.deepEqual(
      g.nodes.map((n) => [n.id, n.kind]),
      [
        ['compile', 'task'],
        ['publish', 'task'],
        ['notify', 'task'],
        ['cleanup', 'finally'],
      ],
    );
    assert.deepEqual(g.edges, [
      { from: 'publish', to: 'notify', kinds: ['runAfter'] },
      { from: 'compile', to: 'publish', kinds: ['params'] },
    ]);
    const publish = g.nodes.find((n) => n.id === 'publish')!;
    assert.deepEqual(publish.nameRange, { start: { line: 9, character: 12 }, end: { line: 9, character: 19 } });
    assert.equal(publish.runs, 'Task build');
    // The workspace index knows what Task build declares.
    assert.deepEqual(publish.results, ['digest']);
    const notify = g.nodes.find((n) => n.id === 'notify')!;
    assert.ok(notify.problems.some((p) => p.code === 'unknown-task' && p.severity === 'error'), JSON.stringify(notify.problems));
    assert.deepEqual(publish.problems, []);
  });

  it('lays the graph out when asked: every node placed inside the picture, finally tasks below the DAG', async () => {
    const r = await graph(client, { uri: pipelineUri, layout: true });
    const layout = r.layout!;
    assert.equal(r.layoutError, undefined);
    assert.deepEqual(layout.nodes.map((n) => n.id).sort(), ['cleanup', 'compile', 'notify', 'publish']);
    for (const n of layout.nodes) {
      assert.ok(n.x - n.width / 2 >= 0 && n.x + n.width / 2 <= layout.width, `${n.id} inside horizontally`);
      assert.ok(n.y - n.height / 2 >= 0 && n.y + n.height / 2 <= layout.height, `${n.id} inside vertically`);
    }
    const y = new Map(layout.nodes.map((n) => [n.id, n.y]));
    assert.ok(y.get('compile')! < y.get('publish')! && y.get('publish')! < y.get('notify')! && y.get('notify')! < y.get('cleanup')!);
    assert.deepEqual(layout.edges.map((e) => `${e.from}->${e.to}`).sort(), ['compile->publish', 'publish->notify']);
    assert.ok(layout.edges.every((e) => e.points.length >= 2));
    assert.equal((await graph(client, { uri: pipelineUri })).layout, undefined, 'no layout unless asked');
  });

  it('follows an edit: the next request sees the new version', async () => {
    const line = PIPELINE.split('\n').findIndex((l) => l.includes('runAfter: [publish, nowhere]'));
    client.change(pipelineUri, { start: { line, character: 17 }, end: { line, character: 24 } }, 'compile');
    const g = (await graph(client, { uri: pipelineUri })).graph!;
    assert.deepEqual(
      g.edges.map((e) => `${e.from}->${e.to}`),
      ['compile->notify', 'compile->publish'],
    );
  });

  it("follows a PipelineRun's pipelineRef to the Pipeline file of the workspace", async () => {
    client.open(runUri, RUN);
    const g = (await graph(client, { uri: runUri, position: { line: 1, character: 0 } })).graph!;
    assert.equal(g.kind, 'PipelineRun');
    assert.equal(g.name, 'release-run');
    assert.equal(g.uri, pipelineUri);
    assert.deepEqual(g.range, { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } });
    assert.deepEqual(
      g.nodes.map((n) => n.id),
      ['compile', 'publish', 'notify', 'cleanup'],
    );
  });

  it('offers a "Show Graph" code lens over the documents that have a graph, and none over a Task', async () => {
    type Lens = { range: { start: { line: number } }; command?: { title: string; command: string; arguments?: unknown[] } };
    const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: pipelineUri } });
    const graphLenses = lenses.filter((l) => l.command?.command === 'tekton.showGraph');
    assert.deepEqual(
      graphLenses.map((l) => [l.range.start.line, l.command!.title, l.command!.arguments]),
      [[0, 'Show Graph (4 tasks)', [pipelineUri, 'release']]],
    );
    const kfpUri = pathToFileURL(join(dir, 'ir.yaml')).toString();
    client.open(kfpUri, 'pipelineInfo: {name: ir}\nroot:\n  dag:\n    tasks:\n      a: {componentRef: {name: comp-a}}\ncomponents:\n  comp-a: {executorLabel: exec-a}\nschemaVersion: 2.1.0\n');
    const kfp = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: kfpUri } });
    assert.deepEqual(
      kfp.filter((l) => l.command?.command === 'tekton.showGraph').map((l) => l.command!.arguments),
      [[kfpUri, 'ir']],
    );
    const taskUri = pathToFileURL(join(dir, 'task.yaml')).toString();
    client.open(taskUri, TASK);
    const none = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: taskUri } });
    assert.deepEqual(none.filter((l) => l.command?.command === 'tekton.showGraph'), []);
  });

  it('draws a document it is given as text: a PipelineRun read from the cluster, as JSON', async () => {
    const live = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'release-run-x7k2p', namespace: 'ci' },
      spec: {
        pipelineSpec: {
          tasks: [
            { name: 'compile', taskRef: { name: 'build' } },
            { name: 'publish', runAfter: ['compile'], taskRef: { name: 'build' } },
          ],
          finally: [{ name: 'cleanup', taskRef: { name: 'build' } }],
        },
      },
    };
    const r = await graph(client, { uri: 'tekton-run:/ci/release-run-x7k2p', text: JSON.stringify(live), layout: true });
    assert.equal(r.error, undefined);
    assert.equal(r.graph!.name, 'release-run-x7k2p');
    assert.deepEqual(
      r.graph!.nodes.map((n) => `${n.id}:${n.kind}`),
      ['compile:task', 'publish:task', 'cleanup:finally'],
    );
    assert.deepEqual(r.graph!.edges, [{ from: 'compile', to: 'publish', kinds: ['runAfter'] }]);
    assert.equal(r.layout!.nodes.length, 3);
  });

  it('says why there is no graph, for a closed document and for a Task', async () => {
    assert.equal((await graph(client, { uri: 'file:///nowhere.yaml' })).error, 'the document is not open');
    const taskUri = pathToFileURL(join(dir, 'task.yaml')).toString();
    client.open(taskUri, TASK);
    assert.match((await graph(client, { uri: taskUri })).error ?? '', /no Tekton Pipeline/);
    assert.match((await graph(client, { uri: taskUri, name: 'build' })).error ?? '', /"build" has no task graph/);
  });
});
