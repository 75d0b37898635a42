/**
 * The kube core's KFP client (kfpApi.ts) and submission helpers (kfpSubmit.ts) against the KFP test double: runs,
 * experiments, health, error bodies, following with backoff (with and without task_details, PAUSED not terminal),
 * parameter typing and planning, and the IR/platform spec reading on compiled samples from kubeflow/pipelines.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeError } from '../../../server/src/kube/errors';
import { displayNameFilter, isTerminalRunState, KfpApi } from '../../../server/src/kube/kfpApi';
import {
  followRun,
  KfpInputError,
  loadPipelineIr,
  parseParameterValue,
  pipelineSpecBody,
  planRuns,
  runRequest,
  splitSweepValues,
  type KfpPipelineIr,
} from '../../../server/src/kube/kfpSubmit';
import { FakeKfpServer } from '../../kube/fakeKfpServer';
import { closedPort } from '../../kube/fixtures';
import { SHARED_DATA, sharedDataMissing } from '../../helpers/fixtures';

const SPEC = {
  pipelineInfo: { name: 'p' },
  root: {
    dag: { tasks: {} },
    inputDefinitions: {
      parameters: {
        n: { parameterType: 'NUMBER_INTEGER' },
        s: { parameterType: 'STRING', defaultValue: 'a' },
        o: { parameterType: 'STRUCT', isOptional: true },
      },
    },
  },
};
const IR: KfpPipelineIr = {
  pipelineSpec: SPEC,
  name: 'p',
  parameters: SPEC.root.inputDefinitions.parameters,
};

let kfp: FakeKfpServer;
let bare: FakeKfpServer;
let api: KfpApi;

before(async () => {
  kfp = new FakeKfpServer();
  await kfp.start();
  bare = new FakeKfpServer({ taskDetails: false });
  await bare.start();
  api = new KfpApi({ kind: 'endpoint', url: kfp.url });
});
after(async () => {
  await Promise.all([kfp.close(), bare.close()]);
});
beforeEach(() => {
  kfp.reset();
  bare.reset();
});

const noWait = async () => undefined;

describe('KfpApi', () => {
  it('health, create, get, list, terminate, retry, archive', async () => {
    assert.equal((await api.healthz()).multi_user, false);
    assert.deepEqual(await api.listRuns(), { runs: [] }, 'an empty list is {} on the wire');
    const run = await api.createRun(runRequest(IR, planRuns(IR, [['n', '2']])[0], { displayName: 'r' }));
    assert.equal(run.state, 'PENDING');
    assert.deepEqual(run.runtime_config, { parameters: { n: 2 } });
    assert.equal((await api.getRun(run.run_id)).state, 'PENDING');
    assert.equal((await api.listRuns({ experimentId: run.experiment_id })).runs.length, 1);
    await api.terminateRun(run.run_id);
    assert.equal((await api.getRun(run.run_id)).state, 'CANCELED');
    await api.retryRun(run.run_id);
    assert.equal((await api.getRun(run.run_id)).state, 'RUNNING');
    await api.archiveRun(run.run_id);
    assert.equal((await api.getRun(run.run_id)).storage_state, 'ARCHIVED');
    assert.deepEqual(
      kfp.requests.filter((r) => r.method === 'POST').map((r) => r.path.replace(run.run_id, 'ID')),
      ['/apis/v2beta1/runs', '/apis/v2beta1/runs/ID:terminate', '/apis/v2beta1/runs/ID:retry', '/apis/v2beta1/runs/ID:archive'],
    );
  });

  it('turns grpc-gateway error bodies into KubeErrors with the body\'s message (server-side input checks)', async () => {
    const bad = { display_name: 'x', pipeline_spec: SPEC, runtime_config: { parameters: { n: 1.5 } } };
    await assert.rejects(api.createRun(bad), (e: KubeError) => {
      assert.equal(e.kind, 'invalid');
      assert.equal(e.status, 400);
      assert.equal(e.message, 'Failed to create a run: Invalid input error: input parameter "n" requires type NUMBER_INTEGER, got 1.5');
      return true;
    });
    await assert.rejects(api.createRun({ display_name: 'x', pipeline_spec: SPEC }), /input parameter "n" is required/);
    await assert.rejects(
      api.createRun({ display_name: 'x', pipeline_spec: SPEC, runtime_config: { parameters: { n: 1, extra: 1 } } }),
      /input parameter "extra" that is not defined/,
    );
    await assert.rejects(api.getRun('nope'), (e: KubeError) => e.kind === 'not-found' && /Run nope not found/.test(e.message));
  });

  it('finds experiments with the display_name filter, creates them, and survives a racing 409', async () => {
    assert.deepEqual(displayNameFilter('a'), { predicates: [{ operation: 1, key: 'display_name', stringValue: 'a' }] });
    assert.equal(await api.findExperiment('exp'), undefined);
    const made = await api.ensureExperiment('exp');
    assert.equal(made.created, true);
    assert.deepEqual(await api.ensureExperiment('exp'), { experiment: made.experiment, created: false });
    await assert.rejects(api.createExperiment('exp'), (e: KubeError) => e.kind === 'conflict' && /already exists/.test(e.message));
    // someone else creates it between the lookup and the create
    const racing = new KfpApi({ kind: 'endpoint', url: kfp.url });
    let first = true;
    const find = racing.findExperiment.bind(racing);
    racing.findExperiment = async (name, ns) => (first ? ((first = false), undefined) : find(name, ns));
    kfp.addExperiment('raced');
    const raced = await racing.ensureExperiment('raced');
    assert.equal(raced.created, false);
    assert.equal(raced.experiment.display_name, 'raced');
  });

  it('reports an unreachable endpoint without a stack, and never prints the token', async () => {
    const port = await closedPort();
    const token = 'secret-token-value-123456';
    const gone = new KfpApi({ kind: 'endpoint', url: `http://127.0.0.1:${port}`, token });
    await assert.rejects(gone.healthz(), (e: KubeError) => e.kind === 'unreachable' && /connection refused/.test(e.message));
    const secured = new FakeKfpServer({ token: 'the-right-token-000' });
    await secured.start();
    try {
      const wrong = new KfpApi({ kind: 'endpoint', url: secured.url, token });
      await assert.rejects(wrong.healthz(), (e: KubeError) => {
        assert.equal(e.kind, 'unauthorized');
        assert.ok(!e.message.includes(token));
        assert.match(e.message, /rejected the token \(expired/);
        return true;
      });
      assert.equal(wrong.describe(), `endpoint ${secured.url} (bearer token)`);
    } finally {
      await secured.close();
    }
  });
});

describe('followRun', () => {
  it('reports run and task state changes until a terminal state', async () => {
    const run = await api.createRun(runRequest(IR, planRuns(IR, [['n', '1']])[0], { displayName: 'r' }));
    const events: string[] = [];
    const last = await followRun(api, run.run_id, {
      sleep: noWait,
      onRunState: (_r, s, prev) => events.push(`run ${prev ?? '-'}→${s}`),
      onTaskState: (_r, t, s, prev) => events.push(`${t} ${prev ?? '-'}→${s}`),
    });
    assert.equal(last.state, 'SUCCEEDED');
    assert.deepEqual(events, [
      'run -→PENDING',
      'run PENDING→RUNNING',
      'train -→RUNNING',
      'train RUNNING→SUCCEEDED',
      'evaluate -→RUNNING',
      'run RUNNING→SUCCEEDED',
      'evaluate RUNNING→SUCCEEDED',
    ]);
  });

  it('treats PAUSED as not terminal, backs off while nothing changes, and works without task_details', async () => {
    const bareApi = new KfpApi({ kind: 'endpoint', url: bare.url });
    bare.script = () => [
      { state: 'RUNNING', tasks: { t: 'RUNNING' } },
      { state: 'PAUSED' },
      { state: 'PAUSED' },
      { state: 'PAUSED' },
      { state: 'PAUSED' },
      { state: 'RUNNING' },
      { state: 'FAILED' },
    ];
    const run = await bareApi.createRun({ display_name: 'r', pipeline_spec: SPEC, runtime_config: { parameters: { n: 1 } } });
    const delays: number[] = [];
    const states: string[] = [];
    const tasks: string[] = [];
    const last = await followRun(bareApi, run.run_id, {
      initialDelayMs: 100,
      maxDelayMs: 500,
      sleep: async (ms) => void delays.push(ms),
      onRunState: (_r, s) => states.push(String(s)),
      onTaskState: (_r, t) => tasks.push(t),
    });
    assert.equal(last.state, 'FAILED');
    assert.deepEqual(states, ['RUNNING', 'PAUSED', 'RUNNING', 'FAILED']);
    assert.deepEqual(tasks, [], 'newer servers have no task_details: run state alone');
    assert.deepEqual(delays, [100, 100, 200, 400, 500, 100]);
    assert.ok(isTerminalRunState('SKIPPED') && isTerminalRunState('CANCELED') && !isTerminalRunState('PAUSED'));
  });
});

describe('kfpSubmit: parameters and runs', () => {
  it('types values and checks literals', () => {
    assert.equal(parseParameterValue('a', { parameterType: 'NUMBER_INTEGER' }, '-42'), -42);
    assert.equal(parseParameterValue('a', { parameterType: 'NUMBER_DOUBLE' }, '1e-3'), 0.001);
    assert.equal(parseParameterValue('a', { parameterType: 'BOOLEAN' }, 'True'), true);
    assert.equal(parseParameterValue('a', { parameterType: 'STRING' }, '12'), '12');
    assert.equal(parseParameterValue('a', {}, 'x'), 'x', 'no type: STRING');
    assert.deepEqual(parseParameterValue('a', { parameterType: 'STRUCT' }, '{"k":[1]}'), { k: [1] });
    assert.equal(parseParameterValue('a', { parameterType: 'NUMBER_INTEGER', literals: [1, 2] }, '2'), 2);
    assert.throws(
      () => parseParameterValue('a', { parameterType: 'NUMBER_INTEGER', literals: [1, 2] }, '3'),
      (e: KfpInputError) => e.parameter === 'a' && /must be one of 1, 2, not 3/.test(e.message),
    );
    assert.throws(() => parseParameterValue('st', { parameterType: 'TASK_FINAL_STATUS' }, 'x'), /cannot be given a value/);
  });

  it('plans runs: required by a sweep counts, optional may be left out, a name given twice is refused', () => {
    assert.deepEqual(
      planRuns(IR, [], [['n', ['1', '2']]]).map((p) => p.parameters),
      [{ n: 1 }, { n: 2 }],
    );
    assert.throws(() => planRuns(IR, [['n', '1']], [['n', ['2']]]), /parameter "n" is given more than once/);
    assert.throws(() => planRuns(IR, [['s', 'x']]), (e: KfpInputError) => e.parameter === 'n' && /"n" \(NUMBER_INTEGER\) is required/.test(e.message));
    assert.deepEqual(splitSweepValues('a,"b,c",[1,2],{"k":"v,w"}'), ['a', '"b,c"', '[1,2]', '{"k":"v,w"}']);
  });
});

describe('kfpSubmit: the IR file', () => {
  const dir = join(SHARED_DATA, 'kfp', 'test_data', 'sdk_compiled_pipelines', 'valid');

  it('reads a compiled sample with a platform spec as the SDK sends it', { skip: sharedDataMissing() }, () => {
    const file = join(dir, 'pipeline_with_secret_as_volume.yaml');
    const ir = loadPipelineIr(readFileSync(file, 'utf8'));
    assert.ok(ir.platformSpec && (ir.platformSpec as { platforms?: { kubernetes?: unknown } }).platforms?.kubernetes);
    assert.deepEqual(Object.keys(pipelineSpecBody(ir)), ['pipeline_spec', 'platform_spec']);
    assert.equal(typeof ir.name, 'string');
  });

  it('reads quoted scalars continued at the dash\'s column (PyYAML output) with the same values', () => {
    const text = 'root: {}\ncommand:\n- "a\\\n- b \\"c\\"\n  d"\n- \'x\n- y\'\n- z\n';
    assert.deepEqual(loadPipelineIr(text).pipelineSpec, { root: {}, command: ['a- b "c" d', 'x - y', 'z'] });
  });

  it('sends the spec alone without a platform spec, and refuses what is not a PipelineSpec', () => {
    const ir = loadPipelineIr('pipelineInfo: {name: x}\nroot: {dag: {tasks: {}}}\n');
    assert.equal(ir.platformSpec, undefined);
    assert.deepEqual(pipelineSpecBody(ir), { pipelineInfo: { name: 'x' }, root: { dag: { tasks: {} } } });
    assert.throws(() => loadPipelineIr('apiVersion: tekton.dev/v1\nkind: Pipeline\n'), /not a compiled Kubeflow pipeline/);
    assert.throws(() => loadPipelineIr('root: [\n'), /not valid YAML/);
    assert.throws(() => loadPipelineIr('root: {}\n---\n- a\n'), /not a mapping/);
  });
});
