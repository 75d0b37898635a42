/**
 * Following runs: the run tree (PipelineRun → TaskRuns → steps with status, reason, start, duration), live updates
 * through watches, a watch dropped mid-run and resumed from its resourceVersion, a relist on 410 Gone, bookmarks,
 * deletions, and the pure tree fold.
 */
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig, resolveContext } from '../../../server/src/kube/kubeconfig';
import { TektonApi } from '../../../server/src/kube/tektonApi';
import { buildRunTree, RunWatcher, runState, type RunNode } from '../../../server/src/kube/watcher';
import type { FakeApiServer } from '../../kube/fakeApiServer';
import {
  addTaskRun,
  eventually,
  finishRun,
  setContainer,
  startFakeServer,
  startRun,
  tempDir,
  writeKubeconfig,
} from '../../kube/fixtures';

let server: FakeApiServer;
let api: TektonApi;
const tmp = tempDir();
let watcher: RunWatcher | undefined;

before(async () => {
  server = await startFakeServer();
  api = new TektonApi(resolveContext(loadKubeconfig({ env: { KUBECONFIG: writeKubeconfig(tmp.path, server.url) } })));
});
after(async () => {
  await server.close();
  tmp.dispose();
});
afterEach(() => watcher?.stop());

function newWatcher(): RunWatcher {
  watcher = new RunWatcher(api, {
    backoff: { initialMs: 20, maxMs: 100 },
    now: () => Date.parse('2025-01-01T10:00:30Z'),
  });
  return watcher;
}

function pipelineRun(name: string, created = '2025-01-01T09:59:00Z') {
  server.put({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name, creationTimestamp: created },
    spec: { pipelineRef: { name: 'build' } },
  });
}

/** Waits until the watcher's three watches are open on the server (and those of earlier tests are closed). */
const watching = (w: RunWatcher) =>
  eventually(() => w.sources.every((s) => s.stats.watches >= 1) && server.openWatches === 3, 'three watches open');
const find = (tree: RunNode[], name: string) => tree.find((n) => n.name === name);
const watchRequests = (resource: string) =>
  server.requests.filter((r) => r.verb === 'watch' && r.resource === resource);
const listRequests = (resource: string) => server.requests.filter((r) => r.verb === 'list' && r.resource === resource);

describe('RunWatcher', () => {
  it('builds PipelineRun → TaskRuns → steps with status, reason, start and duration, and follows changes live', async () => {
    pipelineRun('live-1');
    startRun(server, 'PipelineRun', 'live-1');
    const { pod } = addTaskRun(server, 'live-1', 'compile', ['fetch', 'build']);
    const w = newWatcher();
    let latest: RunNode[] = [];
    w.onDidChange((t) => (latest = t));
    await w.start();
    assert.equal(w.connectionState, 'live');
    const pr = find(w.tree(), 'live-1')!;
    assert.equal(pr.state, 'running');
    assert.equal(pr.reason, 'Running');
    assert.equal(pr.startTime, '2025-01-01T10:00:00Z');
    assert.equal(pr.durationMs, 30000, 'running: start to now');
    assert.deepEqual(
      pr.children.map((c) => [c.name, c.pipelineTaskName, c.podName]),
      [['live-1-compile', 'compile', pod]],
    );
    assert.deepEqual(
      pr.children[0].steps.map((s) => [s.name, s.container, s.state, s.reason]),
      [
        ['fetch', 'step-fetch', 'waiting', 'PodInitializing'],
        ['build', 'step-build', 'waiting', 'PodInitializing'],
      ],
    );

    setContainer(server, pod, 'step-fetch', 'running');
    await eventually(() => find(latest, 'live-1')?.children[0]?.steps[0].state === 'running', 'step running');
    setContainer(server, pod, 'step-fetch', { exitCode: 0 });
    setContainer(server, pod, 'step-build', { exitCode: 1 });
    finishRun(server, 'TaskRun', 'live-1-compile', 'False', 'Failed');
    finishRun(server, 'PipelineRun', 'live-1', 'False', 'Failed');
    const done = await eventually(() => {
      const n = find(latest, 'live-1');
      return n?.state === 'failed' && n.children[0]?.state === 'failed' && n.children[0].steps[1].state === 'failed'
        ? n
        : undefined;
    }, 'run failed');
    assert.equal(done.durationMs, 90000);
    assert.deepEqual(
      done.children[0].steps.map((s) => [s.state, s.exitCode, s.durationMs]),
      [
        ['succeeded', 0, 15000],
        ['failed', 1, 15000],
      ],
    );
  });

  it('resumes a watch dropped mid-run from the last resourceVersion, without relisting and without missing events', async () => {
    pipelineRun('drop-1');
    startRun(server, 'PipelineRun', 'drop-1');
    const w = newWatcher();
    let latest: RunNode[] = [];
    w.onDidChange((t) => (latest = t));
    await w.start();
    const [prs] = w.sources;
    const listsBefore = listRequests('pipelineruns').length;
    const rvBefore = prs.resourceVersion;
    await watching(w);

    assert.equal(server.dropWatches(), 3);
    // changes made while the client is disconnected are replayed when it resumes
    finishRun(server, 'PipelineRun', 'drop-1', 'True', 'Succeeded');
    await eventually(() => find(latest, 'drop-1')?.state === 'succeeded', 'the change made during the drop');
    const resumed = watchRequests('pipelineruns').at(-1)!;
    assert.equal(resumed.query.resourceVersion, rvBefore, 'resumed from the resourceVersion seen before the drop');
    assert.equal(listRequests('pipelineruns').length, listsBefore, 'no relist');
    assert.ok(prs.stats.reconnects >= 1);
    assert.equal(prs.stats.relists, 0);
  });

  it('relists on 410 Gone when its resourceVersion was compacted away', async () => {
    pipelineRun('gone-1');
    const w = newWatcher();
    let latest: RunNode[] = [];
    w.onDidChange((t) => (latest = t));
    await w.start();
    const [prs] = w.sources;
    await watching(w);
    server.dropWatches();
    startRun(server, 'PipelineRun', 'gone-1');
    pipelineRun('gone-2');
    server.compact();
    await eventually(() => find(latest, 'gone-2') && find(latest, 'gone-1')?.state === 'running', 'state after relist');
    assert.ok(prs.stats.relists >= 1, 'relisted');
    assert.equal(prs.resourceVersion !== undefined, true);
  });

  it('moves its resourceVersion with bookmarks and drops deleted runs', async () => {
    pipelineRun('del-1');
    const w = newWatcher();
    let latest: RunNode[] = [];
    w.onDidChange((t) => (latest = t));
    await w.start();
    await watching(w);
    // unrelated changes (another kind) move the server's resourceVersion; the bookmark tells the PipelineRun watch
    server.put({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'unrelated' }, spec: {} });
    server.bookmark();
    const [prs] = w.sources;
    await eventually(() => prs.resourceVersion === server.resourceVersion, 'bookmark applied');
    assert.ok(find(latest, 'del-1'));
    server.remove('PipelineRun', 'del-1');
    await eventually(() => !find(latest, 'del-1'), 'deleted run removed');
  });

  it('fails to start with a clear error when Tekton is not installed or listing is forbidden', async () => {
    const undo = server.deny('list', 'taskruns');
    try {
      await assert.rejects(
        newWatcher().start(),
        (e: Error & { kind?: string }) => e.kind === 'forbidden' && /list taskruns\.tekton\.dev/.test(e.message),
      );
    } finally {
      undo();
    }
  });
});

describe('run tree', () => {
  it('reads the states of the Succeeded condition', () => {
    const run = (status: string, reason: string) => ({
      status: { conditions: [{ type: 'Succeeded', status, reason }] },
    });
    assert.equal(runState({}).state, 'pending');
    assert.equal(runState(run('Unknown', 'PipelineRunPending')).state, 'pending');
    assert.equal(runState(run('Unknown', 'Running')).state, 'running');
    assert.equal(runState(run('True', 'Succeeded')).state, 'succeeded');
    assert.equal(runState(run('False', 'Failed')).state, 'failed');
    assert.equal(runState(run('False', 'Cancelled')).state, 'cancelled');
    assert.equal(runState(run('False', 'TaskRunCancelled')).state, 'cancelled');
    assert.equal(runState(run('False', 'PipelineRunTimeout')).state, 'timed-out');
  });

  it('puts runs submitted from here first, then the most recent ones, with standalone TaskRuns at the top level', () => {
    const pr = (name: string, created: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name, creationTimestamp: created },
    });
    const tree = buildRunTree(
      [pr('old', '2025-01-01T08:00:00Z'), pr('mine', '2025-01-01T07:00:00Z'), pr('new', '2025-01-01T09:00:00Z')],
      [
        {
          apiVersion: 'tekton.dev/v1',
          kind: 'TaskRun',
          metadata: { name: 'solo', creationTimestamp: '2025-01-01T08:30:00Z' },
        },
      ],
      [],
      { submitted: new Set(['PipelineRun/mine']), recent: 2 },
    );
    assert.deepEqual(
      tree.map((n) => [n.kind, n.name, n.submittedHere]),
      [
        ['PipelineRun', 'mine', true],
        ['PipelineRun', 'new', false],
        ['TaskRun', 'solo', false],
      ],
    );
  });

  it('takes step states from the TaskRun status once final, skipped steps included', () => {
    const tree = buildRunTree(
      [],
      [
        {
          kind: 'TaskRun',
          metadata: { name: 'tr' },
          status: {
            podName: 'tr-pod',
            steps: [
              {
                name: 'a',
                container: 'step-a',
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  startedAt: '2025-01-01T10:00:00Z',
                  finishedAt: '2025-01-01T10:00:02Z',
                },
              },
              {
                name: 'b',
                container: 'step-b',
                terminated: { exitCode: 1, reason: 'Skipped' },
                terminationReason: 'Skipped',
              },
            ],
          },
        },
      ],
      [],
    );
    assert.deepEqual(
      tree[0].steps.map((s) => [s.name, s.state, s.durationMs]),
      [
        ['a', 'failed', 2000],
        ['b', 'skipped', undefined],
      ],
    );
  });
});
