/**
 * Kubeconfig loading as kubectl does it: KUBECONFIG with several files (first definition wins, missing files skipped,
 * relative paths against each file), ~/.kube/config otherwise, current context, namespace default, the extension's
 * override that never rewrites the file, and the auth kinds the library handles.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { KubeError } from '../../../server/src/kube/errors';
import { kubeconfigPaths, listContexts, loadKubeconfig, resolveContext } from '../../../server/src/kube/kubeconfig';
import { BOB_TOKEN, tempDir, writeKubeconfig } from '../../kube/fixtures';

const tmp = tempDir();
after(() => tmp.dispose());

function file(name: string, config: Record<string, unknown>): string {
  const path = join(tmp.path, name);
  writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'Config', ...config }));
  return path;
}

const cluster = (name: string, server: string, extra: Record<string, unknown> = {}) => ({
  name,
  cluster: { server, ...extra },
});
const user = (name: string, u: Record<string, unknown>) => ({ name, user: u });
const context = (name: string, c: string, u: string, namespace?: string) => ({
  name,
  context: { cluster: c, user: u, ...(namespace ? { namespace } : {}) },
});

describe('kubeconfig', () => {
  it('reads ~/.kube/config when KUBECONFIG is unset', () => {
    const home = join(tmp.path, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(
      join(home, '.kube', 'config'),
      stringify({
        clusters: [cluster('c', 'https://h:6443')],
        users: [user('u', { token: 'abcd1234' })],
        contexts: [context('home-ctx', 'c', 'u')],
        'current-context': 'home-ctx',
      }),
    );
    const env = { HOME: home };
    assert.deepEqual(kubeconfigPaths({ env }), [join(home, '.kube', 'config')]);
    const ctx = resolveContext(loadKubeconfig({ env }));
    assert.equal(ctx.info.contextName, 'home-ctx');
    assert.equal(ctx.info.namespace, 'default', 'a context without namespace means default');
    assert.equal(ctx.info.server, 'https://h:6443');
    assert.equal(ctx.info.auth, 'token');
  });

  it('merges several KUBECONFIG files: first definition and first current-context win, missing files are skipped', () => {
    const a = file('a.yaml', {
      clusters: [cluster('shared', 'https://from-a:6443')],
      users: [user('ua', { token: 'token-a-1234' })],
      contexts: [context('ctx-a', 'shared', 'ua', 'team-a')],
    });
    const b = file('b.yaml', {
      clusters: [cluster('shared', 'https://from-b:6443'), cluster('only-b', 'https://b:6443')],
      users: [user('ub', { token: 'token-b-1234' })],
      contexts: [context('ctx-b', 'only-b', 'ub'), context('ctx-a', 'only-b', 'ub')],
      'current-context': 'ctx-b',
    });
    const c = file('c.yaml', { clusters: [], users: [], contexts: [], 'current-context': 'ctx-a' });
    const missing = join(tmp.path, 'does-not-exist.yaml');
    const env = { KUBECONFIG: [a, missing, '', b, c].join(delimiter) };
    const loaded = loadKubeconfig({ env });
    assert.deepEqual(loaded.files, [a, b, c]);
    assert.equal(loaded.currentContext, 'ctx-b', 'a.yaml sets none, b.yaml is the first that does');
    assert.equal(loaded.clusters.find((k) => k.name === 'shared')?.server, 'https://from-a:6443');
    assert.equal(loaded.contexts.filter((k) => k.name === 'ctx-a').length, 1);
    const ctxA = resolveContext(loaded, { context: 'ctx-a' });
    assert.equal(ctxA.info.clusterName, 'shared');
    assert.equal(ctxA.info.namespace, 'team-a');
    assert.deepEqual(
      listContexts(loaded).map((x) => [x.name, x.current, x.namespace]),
      [
        ['ctx-a', false, 'team-a'],
        ['ctx-b', true, 'default'],
      ],
    );
  });

  it('resolves relative certificate paths against the file that holds them', () => {
    const sub = join(tmp.path, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'ca.pem'), 'ca');
    const f = join(sub, 'rel.yaml');
    writeFileSync(
      f,
      stringify({
        clusters: [cluster('c', 'https://h', { 'certificate-authority': 'ca.pem' })],
        users: [user('u', { 'client-certificate': 'certs/u.crt', 'client-key': 'certs/u.key', exec: undefined })],
        contexts: [context('x', 'c', 'u')],
        'current-context': 'x',
      }),
    );
    const loaded = loadKubeconfig({ env: { KUBECONFIG: f } });
    assert.equal(loaded.clusters[0].caFile, join(sub, 'ca.pem'));
    assert.equal(loaded.users[0].certFile, join(sub, 'certs', 'u.crt'));
    assert.equal(loaded.users[0].keyFile, join(sub, 'certs', 'u.key'));
    assert.equal(resolveContext(loaded).info.auth, 'client-certificate');
  });

  it('switches context and namespace for the extension without rewriting the kubeconfig', () => {
    const dir = tempDir();
    try {
      const path = writeKubeconfig(dir.path, 'https://127.0.0.1:1', { namespace: 'ci' });
      const before = readFileSync(path, 'utf8');
      const loaded = loadKubeconfig({ env: { KUBECONFIG: path } });
      const base = resolveContext(loaded);
      assert.equal(base.info.contextName, 'bob-token');
      assert.equal(base.info.namespace, 'ci');
      assert.equal(base.info.namespaceOverridden, false);
      const switched = resolveContext(loaded, { context: 'alice-cert', namespace: 'team-x' });
      assert.equal(switched.info.contextName, 'alice-cert');
      assert.equal(switched.info.userName, 'alice-cert');
      assert.equal(switched.info.namespace, 'team-x');
      assert.equal(switched.info.namespaceOverridden, true);
      assert.equal(switched.kubeConfig.getCurrentContext(), 'alice-cert');
      assert.equal(readFileSync(path, 'utf8'), before, 'the kubeconfig file is unchanged');
      assert.equal(loadKubeconfig({ env: { KUBECONFIG: path } }).currentContext, 'bob-token');
    } finally {
      dir.dispose();
    }
  });

  it('reports the auth kind of token, client-certificate, exec and OIDC users, and keeps their secrets for redaction', () => {
    const f = file('auth.yaml', {
      clusters: [cluster('c', 'https://h')],
      users: [
        user('tok', { token: BOB_TOKEN }),
        user('ex', {
          exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin', args: ['get-token'] },
        }),
        user('oidc', {
          'auth-provider': {
            name: 'oidc',
            config: { 'id-token': 'eyJhbGciOi.fake.idtoken', 'idp-issuer-url': 'https://issuer' },
          },
        }),
      ],
      contexts: [context('tok', 'c', 'tok'), context('ex', 'c', 'ex'), context('oidc', 'c', 'oidc')],
      'current-context': 'tok',
    });
    const loaded = loadKubeconfig({ env: { KUBECONFIG: f } });
    const tok = resolveContext(loaded);
    assert.equal(tok.info.auth, 'token');
    assert.ok(tok.secrets.includes(BOB_TOKEN));
    assert.ok(!JSON.stringify(tok.info).includes(BOB_TOKEN), 'the displayable info holds no secret');
    const ex = resolveContext(loaded, { context: 'ex' });
    assert.equal(ex.info.auth, 'exec');
    assert.equal(ex.info.execCommand, 'kubelogin');
    const oidc = resolveContext(loaded, { context: 'oidc' });
    assert.equal(oidc.info.auth, 'oidc');
    assert.ok(oidc.secrets.includes('eyJhbGciOi.fake.idtoken'));
  });

  it('explains a missing kubeconfig, a missing context and a broken file', () => {
    const empty = join(tmp.path, 'empty-home');
    mkdirSync(empty, { recursive: true });
    assert.throws(
      () => resolveContext(loadKubeconfig({ env: { HOME: empty } })),
      (e: unknown) => e instanceof KubeError && e.kind === 'no-kubeconfig',
    );
    const f = file('nocurrent.yaml', {
      clusters: [cluster('c', 'https://h')],
      users: [user('u', {})],
      contexts: [context('x', 'c', 'u')],
    });
    const loaded = loadKubeconfig({ env: { KUBECONFIG: f } });
    assert.throws(
      () => resolveContext(loaded),
      (e: unknown) => e instanceof KubeError && e.kind === 'no-context',
    );
    assert.throws(
      () => resolveContext(loaded, { context: 'nope' }),
      (e: unknown) => e instanceof KubeError && e.kind === 'no-context' && /"nope"/.test(e.message),
    );
    const broken = join(tmp.path, 'broken.yaml');
    writeFileSync(broken, 'clusters: [ {name: c, cluster: {server: https://h}\nusers: token: s3cr3t-in-broken-file\n');
    const b = loadKubeconfig({ env: { KUBECONFIG: [broken, f].join(delimiter) } });
    assert.deepEqual(b.files, [f]);
    assert.equal(b.problems.length, 1);
    assert.ok(!b.problems[0].message.includes('s3cr3t'), 'file content is not quoted');
  });
});
