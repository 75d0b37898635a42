import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';
import { SHARED_DATA, sharedDataMissing } from '../helpers/fixtures';

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

/**
 * Runs a shell script with `$0` = node, `$1` = dist/server.js, then the arguments, and the environment `env` added;
 * resolves to its stdout, read fully.
 */
function shell(script: string, args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sh', ['-c', script, process.execPath, join(REPO_ROOT, 'dist', 'server.js'), ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', () => resolvePromise(Buffer.concat(out).toString('utf8')));
  });
}

/**
 * Writes `check --format json ARGS` once into a file and, at the same time, once into a pipe whose reader starts only a
 * second after the file run has ended, so the pipe's 64 KiB buffer is full when the piped run has written everything:
 * `process.exit()` after writing used to cut the output there. Checks both hold the same complete JSON and resolves
 * to the exit code of the piped run.
 */
async function checkThroughPipe(args: string[], cwd: string, minBytes = 64 * 1024): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'tekton-pipe-'));
  const env = { OUT: join(scratch, 'out.json'), DONE: join(scratch, 'done'), RC: join(scratch, 'rc') };
  const [, piped] = await Promise.all([
    shell('"$0" "$1" check --format json "$@" > "$OUT"; touch "$DONE"', args, cwd, env),
    shell(
      '{ "$0" "$1" check --format json "$@"; echo $? > "$RC"; } | (while [ ! -e "$DONE" ]; do sleep 0.1; done; sleep 1; cat)',
      args,
      cwd,
      env,
    ),
  ]);
  const written = readFileSync(env.OUT, 'utf8');
  assert.ok(statSync(env.OUT).size > minBytes, `only ${statSync(env.OUT).size} bytes of output: fewer than ${minBytes}`);
  assert.equal(piped.length, written.length, 'the piped output is as long as the output written to a file');
  assert.equal(piped, written);
  assert.ok(Array.isArray(JSON.parse(piped)));
  return Number(readFileSync(env.RC, 'utf8'));
}

describe('tekton-ls output into a pipe', () => {
  it('is never cut at 64 KiB: check --format json over ../shared/data', { skip: sharedDataMissing() }, async () => {
    assert.equal(await checkThroughPipe(['catalog', 'kfp', 'triggers-examples'], SHARED_DATA), 1);
  });

  it('gives whole JSON for --workspace DIR DIR over every folder of ../shared/data', { skip: sharedDataMissing() }, async () => {
    for (const folder of readdirSync(SHARED_DATA).filter((f) => statSync(join(SHARED_DATA, f)).isDirectory()))
      assert.ok([0, 1].includes(await checkThroughPipe(['--workspace', folder, folder], SHARED_DATA, 0)), folder);
  });

  /** `count` Tasks, each with `mistakes` unknown keys (one diagnostic each). */
  const broken = (count = 250, mistakes = 1): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tekton-pipe-files-'));
    const keys = Array.from({ length: mistakes }, (_, k) => `  stepz${k || ''}: []\n`).join('');
    for (let i = 0; i < count; i++)
      writeFileSync(
        join(dir, `task-${String(i).padStart(3, '0')}.yaml`),
        `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t${i}\nspec:\n  steps: []\n${keys}`,
      );
    return dir;
  };

  it('is never cut at 64 KiB: check --format json over 250 broken files', async () => {
    assert.equal(await checkThroughPipe(['.'], broken()), 1);
  });

  it('is never cut above 1 MB either: check --format json over 400 files of 12 mistakes', async () => {
    assert.equal(await checkThroughPipe(['.'], broken(400, 12), 1024 * 1024), 1);
  });

  it('ends quietly with its own exit code when the reader stops early (| head)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'tekton-pipe-'));
    const env = { ERR: join(scratch, 'err'), RC: join(scratch, 'rc') };
    const head = await shell('{ "$0" "$1" check --format json "$@" 2> "$ERR"; echo $? > "$RC"; } | head -c 10', ['.'], broken(), env);
    assert.equal(head, '[\n  {\n    ');
    assert.equal(readFileSync(env.ERR, 'utf8'), '');
    assert.equal(readFileSync(env.RC, 'utf8'), '1\n');
  });
});
