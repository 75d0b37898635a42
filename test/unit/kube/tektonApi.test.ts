/**
 * The kube API module against the HTTPS test double, through real kubeconfig files: token, client-certificate and
 * exec-plugin users; discovery; create (generateName, dryRun=All), get, list, merge patch (cancel), delete; and every
 * error a user can act on, with no credential in any message.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeError } from '../../../server/src/kube/errors';
import { loadKubeconfig, resolveContext, type ContextOverride } from '../../../server/src/kube/kubeconfig';
import { TektonApi, type KubeObject } from '../../../server/src/kube/tektonApi';
import type { FakeApiServer } from '../../kube/fakeApiServer';
import {
  blackhole,
  BOB_TOKEN,
  closedPort,
  startFakeServer,
  tempDir,
  testPki,
  writeKubeconfig,
} from '../../kube/fixtures';

let server: FakeApiServer;
const tmp = tempDir();
let kubeconfig: string;

function api(override: ContextOverride = {}, path = kubeconfig, timeoutMs?: number): TektonApi {
  return new TektonApi(resolveContext(loadKubeconfig({ env: { KUBECONFIG: path } }), override), { timeoutMs });
}

const pipelineRun = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { generateName: 'build-run-' },
  spec: { pipelineRef: { name: 'build' }, params: [{ name: 'url', value: 'https://example.invalid/repo.git' }] },
  ...extra,
});

async function rejects(p: Promise<unknown>, kind: KubeError['kind'], pattern?: RegExp): Promise<KubeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KubeError, `expected a KubeError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (pattern) assert.match(e.message, pattern);
    assert.ok(!e.message.includes(BOB_TOKEN), 'no token in the message');
    assert.ok(!e.message.includes('expired-token-value-42'), 'no token in the message');
    assert.ok(!e.message.includes('PRIVATE KEY'), 'no key in the message');
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

before(async () => {
  server = await startFakeServer();
  kubeconfig = writeKubeconfig(tmp.path, server.url);
});
after(async () => {
  await server.close();
  tmp.dispose();
});

describe('authentication', () => {
  it('sends the bearer token of a token user', async () => {
    await api().checkTekton();
    assert.equal(server.requests.at(-1)?.user, 'bob');
    assert.equal(server.requests.at(-1)?.auth, 'token');
  });

  it('presents the client certificate of a certificate user', async () => {
    await api({ context: 'alice-cert' }).list('tekton.dev/v1', 'PipelineRun');
    assert.equal(server.requests.at(-1)?.user, 'alice');
    assert.equal(server.requests.at(-1)?.auth, 'certificate');
  });

  it('runs an exec credential plugin and uses the token it prints', async () => {
    await api({ context: 'exec-ok' }).list('tekton.dev/v1', 'TaskRun');
    assert.equal(server.requests.at(-1)?.user, 'bob');
  });
});

describe('Tekton resources', () => {
  it('discovers Tekton and its versions', async () => {
    const d = await api().checkTekton();
    assert.deepEqual(d.versions, ['v1', 'v1beta1']);
    assert.equal(d.preferredVersion, 'v1');
  });

  it('creates with generateName, dry run first storing nothing', async () => {
    const a = api({ namespace: 'default' });
    const dry = await a.create(pipelineRun(), { dryRun: true });
    assert.match(dry.metadata!.name!, /^build-run-[a-z0-9]{5}$/);
    assert.equal(server.all('PipelineRun').length, 0, 'the dry run stored nothing');
    const dryReq = server.requests.filter((r) => r.verb === 'create').at(-1)!;
    assert.equal(dryReq.query.dryRun, 'All');
    const created = await a.create(pipelineRun());
    assert.match(created.metadata!.name!, /^build-run-/);
    assert.notEqual(created.metadata!.name, dry.metadata!.name);
    assert.equal(created.metadata!.namespace, 'default');
    assert.ok(created.metadata!.resourceVersion);
    assert.equal(server.all('PipelineRun').length, 1);
  });

  it('gets, lists with a label selector, cancels by merge patch and deletes', async () => {
    const a = api();
    const pr = await a.create(pipelineRun({ metadata: { name: 'crud-pr', labels: { app: 'x' } } }));
    const got = await a.get({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'crud-pr' });
    assert.equal(got.metadata?.uid, pr.metadata?.uid);
    const list = await a.list('tekton.dev/v1', 'PipelineRun', { labelSelector: 'app=x' });
    assert.deepEqual(
      list.items.map((i) => i.metadata?.name),
      ['crud-pr'],
    );
    assert.equal(list.items[0].kind, 'PipelineRun');
    assert.equal(list.metadata.resourceVersion, server.resourceVersion);

    const cancelled = await a.cancel({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'crud-pr' });
    assert.equal((cancelled.spec as { status?: string }).status, 'Cancelled');
    const patchReq = server.requests.filter((r) => r.verb === 'patch').at(-1)!;
    assert.deepEqual(patchReq.body, { spec: { status: 'Cancelled' } });

    server.put({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'lone-tr' },
      spec: { taskRef: { name: 't' } },
    });
    const tr = await a.cancel({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'lone-tr' });
    assert.equal((tr.spec as { status?: string }).status, 'TaskRunCancelled');

    await a.delete({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'crud-pr' });
    assert.equal(server.get('PipelineRun', 'crud-pr'), undefined);
  });
});

describe('errors a user can act on', () => {
  it('cluster unreachable: names the host (connection refused)', async () => {
    const port = await closedPort();
    const dir = tempDir();
    try {
      const path = writeKubeconfig(dir.path, `https://127.0.0.1:${port}`);
      const e = await rejects(
        api({}, path).checkTekton(),
        'unreachable',
        new RegExp(`127\\.0\\.0\\.1:${port}.*connection refused`),
      );
      assert.equal(e.details.server, `https://127.0.0.1:${port}`);
    } finally {
      dir.dispose();
    }
  });

  it('cluster unreachable: names the host and the timeout when nothing answers', async () => {
    const hole = await blackhole();
    const dir = tempDir();
    try {
      const path = writeKubeconfig(dir.path, hole.url);
      await rejects(api({}, path, 300).checkTekton(), 'unreachable', /no answer within 300 ms/);
    } finally {
      await hole.close();
      dir.dispose();
    }
  });

  it('TLS: a cluster certificate the kubeconfig CA does not sign', async () => {
    const dir = tempDir();
    try {
      const path = writeKubeconfig(dir.path, server.url, { caFile: testPki().files.otherCa });
      await rejects(api({}, path).checkTekton(), 'tls', /certificate-authority/);
    } finally {
      dir.dispose();
    }
  });

  it('401: credentials expired, naming the user and not the token', async () => {
    const e = await rejects(api({ context: 'bob-expired' }).checkTekton(), 'unauthorized', /user "bob-expired"/);
    assert.equal(e.status, 401);
  });

  it('403: names the RBAC verb and resource denied', async () => {
    const undo = server.deny('create', 'pipelineruns', 'bob');
    try {
      const e = await rejects(
        api().create(pipelineRun()),
        'forbidden',
        /may not create pipelineruns\.tekton\.dev in namespace "default"/,
      );
      assert.match(e.message, /cannot create resource "pipelineruns" in API group "tekton.dev"/);
    } finally {
      // alice (certificate) is not denied
      await api({ context: 'alice-cert' }).create(pipelineRun(), { dryRun: true });
      undo();
    }
  });

  it('404 on the group: Tekton Pipelines is not installed', async () => {
    const bare = await startFakeServer({ tektonVersions: [] });
    const dir = tempDir();
    try {
      const path = writeKubeconfig(dir.path, bare.url);
      await rejects(api({}, path).checkTekton(), 'not-installed', /Tekton Pipelines is not installed in this cluster/);
      await rejects(
        api({}, path).create(pipelineRun()),
        'not-installed',
        /Tekton Pipelines is not installed in this cluster/,
      );
    } finally {
      await bare.close();
      dir.dispose();
    }
  });

  it('a tekton.dev version the cluster does not serve', async () => {
    const old = await startFakeServer({ tektonVersions: ['v1beta1'] });
    const dir = tempDir();
    try {
      const path = writeKubeconfig(dir.path, old.url);
      await rejects(
        api({}, path).create(pipelineRun()),
        'not-installed',
        /serves tekton\.dev\/v1beta1, not tekton\.dev\/v1/,
      );
    } finally {
      await old.close();
      dir.dispose();
    }
  });

  it('404 on an object', async () => {
    await rejects(
      api().get({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'nope' }),
      'not-found',
      /PipelineRun "nope" was not found/,
    );
  });

  it('409: already exists, suggesting generateName', async () => {
    await api().create(pipelineRun({ metadata: { name: 'dup' } }));
    const e = await rejects(
      api().create(pipelineRun({ metadata: { name: 'dup' } })),
      'conflict',
      /already exists.*generateName/,
    );
    assert.equal(e.details.reason, 'AlreadyExists');
  });

  it('409: changed since read (resourceVersion precondition)', async () => {
    const a = api();
    await a.create(pipelineRun({ metadata: { name: 'stale' } }));
    await rejects(
      a.patch(
        { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'stale' },
        { metadata: { resourceVersion: '1' }, spec: { status: 'Cancelled' } },
      ),
      'conflict',
      /changed by someone else/,
    );
  });

  it('422: field causes from the API server', async () => {
    server.validate('TaskRun', (o) =>
      (o.spec?.params ?? []).flatMap((p: { value?: unknown }, i: number) =>
        typeof p.value === 'number'
          ? [
              {
                field: `spec.params[${i}].value`,
                message: 'Invalid value: "integer": spec.params[].value in body must be of type string',
              },
            ]
          : [],
      ),
    );
    const e = await rejects(
      api().create({
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        metadata: { generateName: 't-' },
        spec: {
          params: [
            { name: 'a', value: 'ok' },
            { name: 'n', value: 3 },
          ],
        },
      }),
      'invalid',
    );
    assert.deepEqual(
      e.causes?.map((c) => c.field),
      ['spec.params[1].value'],
    );
  });

  it('400 from the Tekton admission webhook: causes parsed from its message', async () => {
    server.webhook('PipelineRun', (o) =>
      o.spec?.pipelineRef || o.spec?.pipelineSpec
        ? undefined
        : 'expected exactly one, got neither: spec.pipelineRef, spec.pipelineSpec',
    );
    const e = await rejects(
      api().create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'x-' }, spec: {} }),
      'invalid',
      /denied the request/,
    );
    assert.deepEqual(
      e.causes?.map((c) => c.field),
      ['spec.pipelineRef', 'spec.pipelineSpec'],
    );
  });

  it('exec plugin missing: names the command and the user', async () => {
    const e = await rejects(
      api({ context: 'exec-missing' }).checkTekton(),
      'exec-plugin',
      /"tekton-test-no-such-credential-plugin" of user "exec-missing".*was not found/,
    );
    assert.equal(e.status, undefined, 'nothing was sent');
  });
});
