/**
 * `tekton-ls cel` (runCelCommand), the counterpart of tektoncd/triggers cmd/cel-eval.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseSecretManifests, runCelCommand } from '../../../server/src/cli/cel';
import { CEL_FIXTURES } from '../cel/paths';
import { capture, type Captured } from './capture';

function run(args: string[]): Promise<Captured> {
  return capture((io) => runCelCommand(args, io));
}

const request = path.join(CEL_FIXTURES, 'github-push.http');
const tmp = mkdtempSync(path.join(tmpdir(), 'tekton-cel-cli-'));

function tempFile(name: string, content: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, content);
  return f;
}

describe('tekton-ls cel', () => {
  it('evaluates an expression file against a request file and prints JSON (cel-eval README: "true")', async () => {
    const r = await run(['-e', path.join(CEL_FIXTURES, 'filter.cel'), '-r', request]);
    assert.deepEqual(r, { code: 0, stdout: 'true\n', stderr: '' });
  });

  it('prints strings quoted, lists and maps as JSON', async () => {
    assert.equal((await run(['--expr', 'body.head_commit.id.truncate(7)', '-r', request])).stdout, '"ec26c3e"\n');
    assert.equal((await run(['--expr', "body.commits.map(c, c.modified[0])", '-r', request])).stdout, '["docs/cel.md","cmd/main.go"]\n');
    assert.equal((await run(['--expr=requestURL.parseURL().queryStrings', '-r', request])).stdout, '{"source":["ci","manual"]}\n');
  });

  it('reads --extensions as the extensions variable', async () => {
    const r = await run(['--expr', "extensions.changed_files.split(',').exists(f, f.startsWith('docs/'))", '-r', request, '--extensions', path.join(CEL_FIXTURES, 'extensions.json')]);
    assert.deepEqual(r, { code: 0, stdout: 'true\n', stderr: '' });
  });

  it('reads --secrets (data in base64 and stringData) for compareSecret()', async () => {
    const secrets = path.join(CEL_FIXTURES, 'secrets.yaml');
    const ok = await run(['--expr', "header.canonical('X-Secret-Token').compareSecret('secretToken', 'github-secret')", '-r', request, '--secrets', secrets]);
    assert.deepEqual(ok, { code: 0, stdout: 'true\n', stderr: '' });
    const wrong = await run(['--expr', "'nope'.compareSecret('token', 'gitlab-secret')", '-r', request, '--secrets', secrets]);
    assert.equal(wrong.stdout, 'false\n');
    const missing = await run(['--expr', "'x'.compareSecret('token', 'absent')", '-r', request, '--secrets', secrets]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /failed to find secret 'absent'/);
  });

  it('prints evaluation errors with the position on stderr and exits 1', async () => {
    const r = await run(['--expr', 'body.count + 1', '-r', request]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^ERROR: <expression>:1:1: no such overload: double \+ int\n \| body\.count \+ 1\n \| \^+\n$/);
  });

  it('reports compile errors with the line and column in the expression file', async () => {
    const f = tempFile('bad.cel', "body.ref == 'x' &&\n  body.data.decodeb64() == 'y'\n");
    const r = await run(['-e', f, '-r', request]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^ERROR: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:13: decodeb64\\(\\) is listed`));
  });

  it('fails on a body that is not JSON, as the interceptor does', async () => {
    const r = await run(['--expr', 'true', '-r', path.join(CEL_FIXTURES, 'not-json.http')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /failed to parse the body as JSON/);
  });

  it('stops a runaway expression after --timeout', async () => {
    const r = await run(['--expr', 'lists.range(1000).all(a, lists.range(1000).all(b, lists.range(1000).all(c, a + b + c >= 0)))', '-r', request, '--timeout', '200']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /evaluation stopped after 200 ms/);
  });

  it('exits 2 with usage on bad arguments', async () => {
    for (const args of [[], ['-r', request], ['--expr', 'true'], ['--expr', 'x', '-e', 'f', '-r', request], ['--expr', 'x', '-r', request, '--bogus'], ['--expr', 'x', '-r', request, '--timeout', 'soon']]) {
      const r = await run(args);
      assert.equal(r.code, 2, JSON.stringify(args));
      assert.match(r.stderr, /usage: tekton-ls cel/);
    }
  });

  it('exits 2 with one line naming the path when a file cannot be read (as check does)', async () => {
    const r = await run(['--expr', 'true', '-r', path.join(tmp, 'missing.http')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `tekton-ls cel: ${path.join(tmp, 'missing.http')}: no such file or directory\n`);
  });
});

describe('parseSecretManifests', () => {
  it('reads Secrets and Lists of Secrets, stringData winning over data', () => {
    const store = parseSecretManifests([
      'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: {k: dg==}\nstringData: {k: w}',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}, data: {t: eHk=}}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: y}',
    ].join('\n---\n'));
    assert.deepEqual(Object.keys(store).sort(), ['a', 'b']);
    assert.equal(store.a.k, 'w');
    assert.equal(Buffer.from(store.b.t as Uint8Array).toString(), 'xy');
  });
});
