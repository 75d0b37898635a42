/**
 * Step logs against the test double: a log followed while the step runs and to its end, a container that has not
 * started yet, a stream dropped mid-step and resumed without repeated or lost lines, a deleted pod, cancellation and
 * an RBAC denial of pods/log.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig, resolveContext } from '../../../server/src/kube/kubeconfig';
import { followStepLog, normalizeTimestamp, stepContainers } from '../../../server/src/kube/logs';
import { TektonApi } from '../../../server/src/kube/tektonApi';
import type { FakeApiServer } from '../../kube/fakeApiServer';
import { addTaskRun, eventually, setContainer, startFakeServer, tempDir, writeKubeconfig } from '../../kube/fixtures';

let server: FakeApiServer;
let api: TektonApi;
const tmp = tempDir();

before(async () => {
  server = await startFakeServer();
  api = new TektonApi(resolveContext(loadKubeconfig({ env: { KUBECONFIG: writeKubeconfig(tmp.path, server.url) } })));
});
after(async () => {
  await server.close();
  tmp.dispose();
});

const logRequests = (pod: string) =>
  server.requests.filter((r) => r.resource === 'pods/log' && r.path.includes(`/pods/${pod}/`));

describe('followStepLog', () => {
  it('follows a running step to its end', async () => {
    const { pod } = addTaskRun(server, 'logs-1', 'build', ['compile']);
    setContainer(server, pod, 'step-compile', 'running');
    server.appendLog(pod, 'step-compile', 'line 1');
    let text = '';
    const done = followStepLog(api, 'default', pod, 'step-compile', (t) => (text += t), { pollMs: 10 });
    await eventually(() => text.includes('line 1'), 'first line');
    server.appendLog(pod, 'step-compile', 'line 2');
    await eventually(() => text.includes('line 2'), 'a line written while following');
    server.appendLog(pod, 'step-compile', 'line 3');
    setContainer(server, pod, 'step-compile', { exitCode: 0 });
    const result = await done;
    assert.deepEqual(result, { end: 'completed', exitCode: 0, reconnects: 0 });
    assert.equal(text, 'line 1\nline 2\nline 3\n');
    assert.equal(logRequests(pod)[0].query.follow, 'true');
  });

  it('waits for a step that has not started, then follows it', async () => {
    const { pod } = addTaskRun(server, 'logs-2', 'build', ['later']);
    let text = '';
    const done = followStepLog(api, 'default', pod, 'step-later', (t) => (text += t), { pollMs: 10 });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(text, '');
    setContainer(server, pod, 'step-later', 'running');
    server.appendLog(pod, 'step-later', 'started');
    await eventually(() => text === 'started\n', 'log after start');
    setContainer(server, pod, 'step-later', { exitCode: 2 });
    assert.deepEqual(await done, { end: 'completed', exitCode: 2, reconnects: 0 });
  });

  it('resumes a stream dropped mid-step without repeating or losing lines', async () => {
    const { pod } = addTaskRun(server, 'logs-3', 'build', ['long']);
    setContainer(server, pod, 'step-long', 'running');
    for (let i = 1; i <= 6; i++) server.appendLog(pod, 'step-long', `before ${i}`);
    let text = '';
    const done = followStepLog(api, 'default', pod, 'step-long', (t) => (text += t), { pollMs: 10 });
    await eventually(() => text.includes('before 6'), 'lines before the drop');
    server.dropLogStreams();
    server.appendLog(pod, 'step-long', 'during the drop');
    await eventually(() => logRequests(pod).length >= 2, 'reconnected');
    server.appendLog(pod, 'step-long', 'after');
    await eventually(() => text.includes('after'), 'line after the reconnect');
    setContainer(server, pod, 'step-long', { exitCode: 0 });
    const result = await done;
    assert.equal(result.end, 'completed');
    assert.ok(result.reconnects >= 1);
    assert.equal(
      text,
      ['before 1', 'before 2', 'before 3', 'before 4', 'before 5', 'before 6', 'during the drop', 'after', ''].join(
        '\n',
      ),
    );
    assert.match(
      logRequests(pod).at(-1)!.query.sinceTime,
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
      'resumed with sinceTime',
    );
  });

  it('ends when the pod is deleted, and when the caller aborts', async () => {
    const { pod } = addTaskRun(server, 'logs-4', 'build', ['s']);
    setContainer(server, pod, 'step-s', 'running');
    const done = followStepLog(api, 'default', pod, 'step-s', () => undefined, { pollMs: 10 });
    await eventually(() => logRequests(pod).length >= 1, 'following');
    server.remove('Pod', pod);
    server.dropLogStreams();
    assert.equal((await done).end, 'pod-deleted');

    const { pod: pod2 } = addTaskRun(server, 'logs-5', 'build', ['s']);
    const controller = new AbortController();
    const waiting = followStepLog(api, 'default', pod2, 'step-s', () => undefined, {
      pollMs: 10,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    assert.equal((await waiting).end, 'aborted');
  });

  it('reports a denied pods/log as forbidden', async () => {
    const { pod } = addTaskRun(server, 'logs-6', 'build', ['s']);
    setContainer(server, pod, 'step-s', 'running');
    const undo = server.deny('get', 'pods/log');
    try {
      await assert.rejects(
        followStepLog(api, 'default', pod, 'step-s', () => undefined),
        (e: Error & { kind?: string }) => e.kind === 'forbidden' && /get pods\/log "logs-6-build-pod"/.test(e.message),
      );
    } finally {
      undo();
    }
  });
});

describe('log helpers', () => {
  it('normalizes RFC 3339 nano timestamps so that they sort', () => {
    assert.equal(normalizeTimestamp('2025-01-01T10:00:05.1Z'), '2025-01-01T10:00:05.100000000Z');
    assert.equal(normalizeTimestamp('2025-01-01T10:00:05Z'), '2025-01-01T10:00:05.000000000Z');
    assert.ok(normalizeTimestamp('2025-01-01T10:00:05.1Z')! > normalizeTimestamp('2025-01-01T10:00:05.0999Z')!);
    assert.equal(normalizeTimestamp('not a time'), undefined);
  });

  it('lists the step containers of a pod', () => {
    assert.deepEqual(
      stepContainers({ spec: { containers: [{ name: 'prepare' }, { name: 'step-a' }, { name: 'step-b' }] } }),
      ['step-a', 'step-b'],
    );
  });
});
