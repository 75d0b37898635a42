import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';

function tektonLs(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tekton-ls'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tekton-ls check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-check-'));
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'good.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: ok\nspec:\n  steps:\n    - image: alpine\n');
  writeFileSync(join(dir, 'nested', 'bad.yml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: bad\nspec:\n  steps: []\n  stepz: []\n');
  writeFileSync(join(dir, 'nested', 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nfoo: [\n');
  writeFileSync(join(dir, 'notes.txt'), 'apiVersion: tekton.dev/v1\nkind: Nope\n');

  it('prints JSON diagnostics for folders recursively and exits 1 on errors', () => {
    const r = tektonLs(['check', '--format', 'json', '.'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        file: join('nested', 'bad.yml'),
        range: { start: { line: 6, character: 2 }, end: { line: 6, character: 7 } },
        severity: 'error',
        code: 'schema-unknown-property',
        message: 'Property "stepz" is not allowed here; did you mean "steps"?',
        source: 'tekton',
      },
    ]);
  });

  it('exits 0 on clean files and prints text by default', () => {
    const r = tektonLs(['check', 'good.yaml', 'nested/other.yaml'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /2 file\(s\) checked, 0 error\(s\)/);
  });

  it('prints file:line:col in text format', () => {
    const r = tektonLs(['check', 'nested'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^nested\/bad\.yml:7:3: error schema-unknown-property: /m);
  });

  it('exits 2 on bad usage', () => {
    assert.equal(tektonLs(['check'], dir).code, 2);
    assert.equal(tektonLs(['check', '--format', 'xml', '.'], dir).code, 2);
    assert.equal(tektonLs(['check', 'missing.yaml'], dir).code, 2);
    assert.equal(tektonLs(['frobnicate'], dir).code, 2);
  });
});
