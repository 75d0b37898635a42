/**
 * `tekton-ls kfp submit` against the KFP test double, reached directly (endpoint mode, with and without a token) and
 * through the Kubernetes test double's service proxy with a real kubeconfig file: typed parameters, the checks that
 * keep anything from being sent, sweeps, experiments, the platform spec, confirmation, --follow and --format json.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKfpCommand, type KfpIo } from '../../../server/src/cli/kfp';
import { runCli } from '../../../server/src/cli/index';
import type { FakeApiServer } from '../../kube/fakeApiServer';
import { FAIL, FakeKfpServer } from '../../kube/fakeKfpServer';
import { BOB_TOKEN, startFakeServer, tempDir, writeKubeconfig } from '../../kube/fixtures';
import type { Captured } from './capture';

const IR = `# PIPELINE DEFINITION
# Name: train-pipeline
components:
  comp-train:
    executorLabel: exec-train
deploymentSpec:
  executors:
    exec-train:
      container:
        image: python:3.11
        command: [python, -c, print(1)]
pipelineInfo:
  name: train-pipeline
root:
  dag:
    tasks:
      train:
        componentRef:
          name: comp-train
        taskInfo:
          name: train
  inputDefinitions:
    parameters:
      name:
        parameterType: STRING
      epochs:
        parameterType: NUMBER_INTEGER
        defaultValue: 3
      rate:
        parameterType: NUMBER_DOUBLE
        defaultValue: 0.1
      shuffle:
        parameterType: BOOLEAN
        defaultValue: true
      layers:
        parameterType: LIST
        isOptional: true
      config:
        parameterType: STRUCT
        isOptional: true
      mode:
        parameterType: STRING
        defaultValue: fast
        literals: [fast, slow]
schemaVersion: 2.1.0
sdkVersion: kfp-2.13.0
`;

const PLATFORM = `${IR}---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-train:
          secretAsEnv:
            - secretName: creds
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-train:
          nodeSelector:
            labels:
              disk: ssd
`;

const KFP_TOKEN = 'kfp-sa-token-abcdef0123456789';
let kfp: FakeKfpServer;
let secured: FakeKfpServer;
let kube: FakeApiServer;
let kubeconfig: string;
const tmp = tempDir('kfp-cli-');

before(async () => {
  kfp = new FakeKfpServer();
  await kfp.start();
  secured = new FakeKfpServer({ token: KFP_TOKEN });
  await secured.start();
  kube = await startFakeServer();
  kube.proxyService('kubeflow', 'ml-pipeline:http', kfp.url);
  kubeconfig = writeKubeconfig(tmp.path, kube.url, { namespace: 'default' });
  writeFileSync(join(tmp.path, 'pipeline.yaml'), IR);
  writeFileSync(join(tmp.path, 'platform.yaml'), PLATFORM);
});
after(async () => {
  await Promise.all([kfp.close(), secured.close(), kube.close()]);
  tmp.dispose();
});
beforeEach(() => {
  kfp.reset();
  secured.reset();
  kube.requests.length = 0;
});

async function run(args: string[], io: Partial<KfpIo> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runKfpCommand(['submit', ...args], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: tmp.path,
    env: {},
    homeDir: tmp.path,
    stdinIsTTY: false,
    sleep: async () => undefined,
    now: () => new Date(2025, 0, 2, 3, 4, 5),
    ...io,
  });
  return { code, stdout, stderr };
}

const endpoint = () => ['--endpoint', kfp.url];

describe('tekton-ls kfp submit: parameters', () => {
  it('types every parameter kind as the pipeline declares it and sends one run', async () => {
    const r = await run([
      'pipeline.yaml',
      ...endpoint(),
      '--yes',
      '--param',
      'name=resnet',
      '--param',
      'epochs=10',
      '--param',
      'rate=0.5',
      '--param',
      'shuffle=false',
      '--param',
      'layers=[64, 32]',
      '--param',
      'config={"seed": 7}',
      '--param',
      'mode=slow',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [create] = kfp.sent('POST', '/apis/v2beta1/runs');
    assert.deepEqual(create.body?.runtime_config, {
      parameters: { name: 'resnet', epochs: 10, rate: 0.5, shuffle: false, layers: [64, 32], config: { seed: 7 }, mode: 'slow' },
    });
    assert.equal(create.body?.display_name, 'train-pipeline 2025-01-02 03-04-05');
    assert.equal((create.body?.pipeline_spec as { pipelineInfo: { name: string } }).pipelineInfo.name, 'train-pipeline');
    assert.equal(create.status, 200);
    assert.match(r.stdout, /Target: endpoint http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(r.stdout, /Created run [0-9a-f-]+ "train-pipeline 2025-01-02 03-04-05" \(PENDING\)/);
  });

  it('refuses a missing required parameter, naming it, and sends nothing', async () => {
    const r = await run(['pipeline.yaml', ...endpoint(), '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^tekton-ls kfp: parameter "name" \(STRING\) is required: it has no default\n$/);
    assert.equal(kfp.requests.length, 0);
  });

  it('refuses a value outside the literals, a wrong type and an unknown name, naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['mode=medium', /parameter "mode" must be one of "fast", "slow", not "medium"/],
      ['epochs=1.5', /parameter "epochs" \(NUMBER_INTEGER\) needs an integer, not "1\.5"/],
      ['rate=fast', /parameter "rate" \(NUMBER_DOUBLE\) needs a number/],
      ['shuffle=yes', /parameter "shuffle" \(BOOLEAN\) needs true or false/],
      ['layers={"a":1}', /parameter "layers" \(LIST\) needs a JSON array/],
      ['config=[1]', /parameter "config" \(STRUCT\) needs a JSON object/],
      ['epoch=3', /the pipeline has no parameter "epoch" \(its parameters: name, epochs, rate/],
    ];
    for (const [param, message] of cases) {
      const r = await run(['pipeline.yaml', ...endpoint(), '--yes', '--param', 'name=x', '--param', param]);
      assert.equal(r.code, 2, param);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack');
    }
    assert.equal(kfp.requests.length, 0);
  });

  it('sweeps: two sweeps of two values make four runs, one per combination', async () => {
    const r = await run([
      'pipeline.yaml',
      ...endpoint(),
      '--yes',
      '--param',
      'name=n',
      '--sweep',
      'epochs=1,2',
      '--sweep',
      'layers=[1,2],[3]',
      '--run-name',
      'sweep',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const sent = kfp.sent('POST', '/apis/v2beta1/runs').map((q) => q.body as { display_name: string; runtime_config: { parameters: object } });
    assert.deepEqual(
      sent.map((b) => b.runtime_config.parameters),
      [
        { name: 'n', epochs: 1, layers: [1, 2] },
        { name: 'n', epochs: 1, layers: [3] },
        { name: 'n', epochs: 2, layers: [1, 2] },
        { name: 'n', epochs: 2, layers: [3] },
      ],
    );
    assert.equal(sent[0].display_name, 'sweep (epochs=1, layers=[1,2])');
    const out = JSON.parse(r.stdout) as { run_id: string; display_name: string; state: string; parameters: object }[];
    assert.equal(out.length, 4);
    assert.deepEqual(Object.keys(out[0]), ['run_id', 'display_name', 'state', 'parameters']);
    assert.equal(out[3].state, 'PENDING');
    assert.deepEqual(out[3].parameters, { name: 'n', epochs: 2, layers: [3] });
    assert.match(r.stderr, /4 run\(s\) of pipeline "train-pipeline"/, 'the plan goes to stderr in JSON mode');
  });
});

describe('tekton-ls kfp submit: confirmation', () => {
  it('without a terminal and without --yes: exit 2 and no request at all', async () => {
    const r = await run(['pipeline.yaml', ...endpoint(), '--param', 'name=x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /stdin is not a terminal to confirm on: pass --yes/);
    assert.match(r.stdout, /1 run\(s\) of pipeline "train-pipeline"/);
    assert.equal(kfp.requests.length, 0);
  });

  it('on a terminal asks after printing the target and runs; yes submits, no sends nothing', async () => {
    const asked: string[] = [];
    const yes = await run(['pipeline.yaml', ...endpoint(), '--param', 'name=x'], {
      stdinIsTTY: true,
      confirm: async (q) => (asked.push(q), true),
    });
    assert.equal(yes.code, 0, yes.stderr);
    assert.deepEqual(asked, ['Submit 1 run(s)? [y/N] ']);
    assert.equal(kfp.sent('POST').length, 1);
    kfp.reset();
    const no = await run(['pipeline.yaml', ...endpoint(), '--param', 'name=x'], { stdinIsTTY: true, confirm: async () => false });
    assert.equal(no.code, 1);
    assert.match(no.stdout, /Nothing submitted/);
    assert.equal(kfp.requests.length, 0);
  });
});

describe('tekton-ls kfp submit: follow, errors, experiments, platform spec', () => {
  it('--follow reports run and task states and exits 0 when the run SUCCEEDED', async () => {
    const r = await run(['pipeline.yaml', ...endpoint(), '--yes', '--param', 'name=x', '--follow']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /run RUNNING\n {2}task train: RUNNING\n/);
    assert.match(r.stdout, /task evaluate: RUNNING\n/);
    assert.match(r.stdout, /run SUCCEEDED\n/);
    assert.match(r.stdout, /task evaluate: SUCCEEDED\n/);
  });

  it('--follow: an API error while following prints its message and exits 1', async () => {
    kfp.failures.push({ method: 'GET', prefix: '/apis/v2beta1/runs/', status: 503, code: 14, message: 'upstream connect error' });
    const r = await run(['pipeline.yaml', ...endpoint(), '--yes', '--param', 'name=x', '--follow']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Created run/);
    assert.equal(r.stderr, 'tekton-ls kfp: upstream connect error\n');
  });

  it('--follow exits 1 when a run of a sweep FAILED, with the JSON states', async () => {
    kfp.script = (body) => ((body.runtime_config?.parameters?.epochs as number) === 2 ? FAIL : undefined) ?? kfpDefault();
    const r = await run([
      'pipeline.yaml',
      ...endpoint(),
      '--yes',
      '--param',
      'name=x',
      '--sweep',
      'epochs=1,2',
      '--follow',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { state: string }[];
    assert.deepEqual(out.map((o) => o.state), ['SUCCEEDED', 'FAILED']);
    assert.match(r.stderr, /ended FAILED: task "evaluate" failed: exit code 1/);
  });

  it('prints the API error body\'s message, no stack, exit 1', async () => {
    kfp.failures.push({
      method: 'POST',
      prefix: '/apis/v2beta1/runs',
      status: 500,
      code: 13,
      message: 'Failed to create a run: InternalServerError: Failed to store run: database is locked',
    });
    const r = await run(['pipeline.yaml', ...endpoint(), '--yes', '--param', 'name=x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'tekton-ls kfp: Failed to create a run: InternalServerError: Failed to store run: database is locked\n');
  });

  it('uses an existing experiment found by display name', async () => {
    const existing = kfp.addExperiment('nightly');
    kfp.addExperiment('other');
    const r = await run(['pipeline.yaml', ...endpoint(), '--yes', '--param', 'name=x', '--experiment', 'nightly']);
    assert.equal(r.code, 0, r.stderr);
    const [list] = kfp.sent('GET', '/apis/v2beta1/experiments');
    assert.deepEqual(JSON.parse(list.query.filter), {
      predicates: [{ operation: 1, key: 'display_name', stringValue: 'nightly' }],
    });
    assert.equal(kfp.sent('POST', '/apis/v2beta1/experiments').length, 0);
    assert.equal(kfp.sent('POST', '/apis/v2beta1/runs')[0].body?.experiment_id, existing.experiment_id);
    assert.match(r.stdout, new RegExp(`Using experiment "nightly" \\(${existing.experiment_id}\\)`));
  });

  it('creates a missing experiment and puts the run in it', async () => {
    const r = await run(['pipeline.yaml', ...endpoint(), '--yes', '--param', 'name=x', '--experiment', 'new one']);
    assert.equal(r.code, 0, r.stderr);
    const [created] = kfp.sent('POST', '/apis/v2beta1/experiments');
    assert.deepEqual(created.body, { display_name: 'new one' });
    const id = kfp.experiments.find((e) => e.display_name === 'new one')!.experiment_id;
    assert.equal(kfp.sent('POST', '/apis/v2beta1/runs')[0].body?.experiment_id, id);
    assert.match(r.stdout, /Created experiment "new one"/);
  });

  it('merges the later YAML documents into the platform spec and sends {pipeline_spec, platform_spec}', async () => {
    const r = await run(['platform.yaml', ...endpoint(), '--yes', '--param', 'name=x']);
    assert.equal(r.code, 0, r.stderr);
    const spec = kfp.sent('POST', '/apis/v2beta1/runs')[0].body?.pipeline_spec as Record<string, any>;
    assert.deepEqual(Object.keys(spec), ['pipeline_spec', 'platform_spec']);
    assert.equal(spec.pipeline_spec.pipelineInfo.name, 'train-pipeline');
    assert.deepEqual(spec.platform_spec, {
      platforms: {
        kubernetes: {
          deploymentSpec: {
            executors: {
              'exec-train': { secretAsEnv: [{ secretName: 'creds' }], nodeSelector: { labels: { disk: 'ssd' } } },
            },
          },
        },
      },
    });
    assert.match(r.stdout, /with its platform spec/);
  });
});

describe('tekton-ls kfp submit: targets', () => {
  it('endpoint mode sends the bearer token from KFP_TOKEN and never prints it', async () => {
    const r = await run(['pipeline.yaml', '--endpoint', `${secured.url}/`, '--yes', '--param', 'name=x'], {
      env: { KFP_TOKEN },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(secured.sent('POST', '/apis/v2beta1/runs')[0].authorization, `Bearer ${KFP_TOKEN}`);
    assert.match(r.stdout, /Target: endpoint http:\/\/127\.0\.0\.1:\d+ \(bearer token\)/);
    assert.ok(!r.stdout.includes(KFP_TOKEN) && !r.stderr.includes(KFP_TOKEN));
  });

  it('endpoint mode reads the token file KF_PIPELINES_SA_TOKEN_PATH; without a token a 401 says how to get one', async () => {
    writeFileSync(join(tmp.path, 'token'), `${KFP_TOKEN}\n`);
    const ok = await run(['pipeline.yaml', '--endpoint', secured.url, '--yes', '--param', 'name=x'], {
      env: { KF_PIPELINES_SA_TOKEN_PATH: 'token' },
    });
    assert.equal(ok.code, 0, ok.stderr);
    const r = await run(['pipeline.yaml', '--endpoint', secured.url, '--yes', '--param', 'name=x']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unauthenticated: Request header error/);
    assert.match(r.stderr, /kubectl create token default-editor -n <profile-namespace> --audience pipelines\.kubeflow\.org/);
  });

  it('service proxy mode: the kubeconfig\'s current context, service ml-pipeline:http in kubeflow', async () => {
    const r = await run(['pipeline.yaml', '--kubeconfig', kubeconfig, '--yes', '--param', 'name=x', '--follow']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Target: context "bob-token" \(cluster "fake", server https:\/\/127\.0\.0\.1:\d+, user "bob-token"\), service ml-pipeline:http in namespace "kubeflow"/,
    );
    const proxied = kube.requests.filter((q) => q.resource === 'services/proxy');
    assert.ok(proxied.some((q) => q.method === 'POST' && q.path === '/api/v1/namespaces/kubeflow/services/ml-pipeline:http/proxy/apis/v2beta1/runs'));
    assert.ok(proxied.every((q) => q.user === 'bob' && q.auth === 'token'));
    assert.equal(kfp.sent('POST', '/apis/v2beta1/runs').length, 1);
    assert.equal(kfp.requests[0].authorization, undefined, 'the kube credentials are not passed to KFP');
    assert.ok(!r.stdout.includes(BOB_TOKEN));
  });

  it('service proxy mode via KUBECONFIG and --context (client certificate); --namespace without KFP → 503 message', async () => {
    const ok = await run(['pipeline.yaml', '--context', 'alice-cert', '--yes', '--param', 'name=x'], {
      env: { KUBECONFIG: kubeconfig },
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(kube.requests.some((q) => q.resource === 'services/proxy' && q.user === 'alice' && q.auth === 'certificate'));
    kube.requests.length = 0;
    const exec = await run(['pipeline.yaml', '--context', 'exec-ok', '--yes', '--param', 'name=x'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(exec.code, 0, exec.stderr);
    assert.ok(kube.requests.every((q) => q.user === 'bob' && q.auth === 'token'), 'the exec plugin\'s token');
    const r = await run(['pipeline.yaml', '--kubeconfig', kubeconfig, '--namespace', 'ml', '--yes', '--param', 'name=x']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no endpoints available for service "ml-pipeline:http"\. Is Kubeflow Pipelines installed in namespace "ml"\?/);
  });

  it('an RBAC 403 on services/proxy says so and points to --endpoint and kubectl create token', async () => {
    const undo = kube.deny('create', 'services/proxy');
    try {
      const r = await run(['pipeline.yaml', '--kubeconfig', kubeconfig, '--yes', '--param', 'name=x']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot create resource "services\/proxy"/);
      assert.match(r.stderr, /RBAC on services\/proxy/);
      assert.match(r.stderr, /pass --endpoint URL .* and KFP_TOKEN set to a ServiceAccount token/);
      assert.match(r.stderr, /kubectl create token default-editor/);
      assert.equal(kfp.sent('POST').length, 0);
    } finally {
      undo();
    }
  });

  it('a multi-user KFP refusing the proxied request (401 from KFP): says so, points to --endpoint and a token', async () => {
    kube.proxyService('team', 'ml-pipeline:http', secured.url);
    const r = await run(['pipeline.yaml', '--kubeconfig', kubeconfig, '--namespace', 'team', '--yes', '--param', 'name=x']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^tekton-ls kfp: Unauthenticated: Request header error: there is no user identity header/);
    assert.match(r.stderr, /on a multi-user Kubeflow install the proxy does not carry your Kubeflow identity/);
    assert.match(r.stderr, /Pass --endpoint URL .* and KFP_TOKEN set to a ServiceAccount token/);
    assert.match(r.stderr, /kubectl create token default-editor -n <profile-namespace> --audience pipelines\.kubeflow\.org/);
    assert.equal(secured.sent('POST', '/apis/v2beta1/runs')[0].authorization, undefined);
  });

  it('a multi-user KFP whose healthz says so is refused before anything is created, pointing to --endpoint', async () => {
    const multi = new FakeKfpServer({ token: KFP_TOKEN, multiUser: true });
    await multi.start();
    try {
      kube.proxyService('profiles', 'ml-pipeline:http', multi.url);
      const r = await run(['pipeline.yaml', '--kubeconfig', kubeconfig, '--namespace', 'profiles', '--yes', '--param', 'name=x', '--experiment', 'e']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Kubeflow Pipelines in namespace "profiles" runs in multi-user mode, where requests through the API server's service proxy carry no Kubeflow identity/);
      assert.match(r.stderr, /Pass --endpoint URL .* and KFP_TOKEN set to a ServiceAccount token \(`kubectl create token default-editor/);
      assert.deepEqual(multi.requests.map((q) => `${q.method} ${q.path}`), ['GET /apis/v2beta1/healthz'], 'nothing but healthz');
      // the same install through its endpoint with a token works
      const ok = await run(['pipeline.yaml', '--endpoint', multi.url, '--yes', '--param', 'name=x'], { env: { KFP_TOKEN } });
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await multi.close();
    }
  });

  it('no kubeconfig: exit 1 with the kube core\'s message; bad usage: exit 2', async () => {
    const r = await run(['pipeline.yaml', '--yes', '--param', 'name=x']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No kubeconfig found/);
    const both = await run(['pipeline.yaml', '--endpoint', kfp.url, '--context', 'x', '--yes']);
    assert.equal(both.code, 2);
    const missing = await run(['nope.yaml', '--endpoint', kfp.url, '--yes']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml: no such file/);
    const notIr = await run(['token', '--endpoint', kfp.url, '--yes']);
    assert.equal(notIr.code, 2);
    assert.match(notIr.stderr, /not a compiled Kubeflow pipeline/);
  });

  it('is registered in the tekton-ls dispatcher with its usage', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['kfp', 'frobnicate'], { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: tmp.path });
    assert.equal(code, 2);
    assert.match(err, /tekton-ls kfp: unknown subcommand "frobnicate"\nUsage:\n {2}tekton-ls kfp submit IR_FILE/);
    const help = await runCli(['help'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: tmp.path });
    assert.equal(help, 0);
    assert.match(out, /tekton-ls kfp submit IR_FILE/);
  });
});

function kfpDefault() {
  return [
    { state: 'RUNNING', tasks: { train: 'RUNNING' } },
    { state: 'SUCCEEDED', tasks: { train: 'SUCCEEDED' } },
  ];
}
