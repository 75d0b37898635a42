/**
 * `tekton-ls bindings` (like tektoncd/triggers cmd/binding-eval, root_test.go TestEvalBinding) and
 * `tekton-ls simulate` (like cmd/triggerrun `-a show`), with their exit codes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runBindingsCommand, runSimulateCommand } from '../../../server/src/cli/triggers';
import type { SimulationResult } from '../../../server/src/triggers/simulation/types';
import { TRIGGERS_FIXTURES } from '../triggers/helpers';
import { capture, type Captured } from './capture';

const CLI = join(TRIGGERS_FIXTURES, 'cli');

function run(command: typeof runBindingsCommand, args: string[]): Promise<Captured> {
  return capture((io) => command(args, io), CLI);
}

describe('tekton-ls bindings (cmd/binding-eval)', () => {
  it('prints the resolved params sorted by name, as TestEvalBinding expects', async () => {
    const r = await run(runBindingsCommand, ['-b', 'binding.yaml', '-r', 'http.txt']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      '[\n  {\n    "name": "bar",\n    "value": "tacocat"\n  },\n  {\n    "name": "foo",\n    "value": "body"\n  }\n]\n',
    );
  });
  it('accepts the command name first and --extensions; escapes HTML like Go encoding/json', async () => {
    const r = await run(runBindingsCommand, [
      'bindings',
      '--binding',
      'extensions-binding.yaml',
      '--http_request',
      'html.txt',
      '--extensions',
      'extensions.json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      { name: 'html', value: '\\u003cb\\u003e\\u0026\\u003c/b\\u003e' },
      { name: 'sha', value: 'abc1234' },
    ]);
    assert.ok(r.stdout.includes('\\\\u003cb'));
  });
  it('exit 1 on duplicate params and failing expressions; 2 on bad usage and on a named file that cannot be read', async () => {
    const dup = await run(runBindingsCommand, ['-b', 'duplicate-binding.yaml', '-r', 'http.txt']);
    assert.deepEqual([dup.code, dup.stderr.trim()], [1, 'tekton-ls bindings: duplicate param name: foo']);
    const noFile = await run(runBindingsCommand, ['-b', 'binding.yaml', '-r', 'missing.txt']);
    assert.deepEqual([noFile.code, noFile.stderr], [2, 'tekton-ls bindings: missing.txt: no such file or directory\n']);
    const missing = await run(runBindingsCommand, ['-b', 'extensions-binding.yaml', '-r', 'http.txt']);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /failed to replace JSONPath value for param sha: \$\(extensions.short_sha\): short_sha is not found/,
    );
    assert.equal((await run(runBindingsCommand, ['-r', 'http.txt'])).code, 2);
    assert.equal((await run(runBindingsCommand, ['--bogus'])).code, 2);
  });
});

describe('tekton-ls simulate (cmd/triggerrun -a show)', () => {
  const base = [
    '--eventlistener',
    'push-listener',
    '--workspace',
    'workspace',
    '--secrets',
    'secrets.json',
    '--event-id',
    'ev',
    '--uid',
    'u',
  ];
  it('yaml: rendered resources on stdout separated by ---, the trace on stderr; exit 0', async () => {
    const r = await run(runSimulateCommand, [...base, '-r', 'push.http']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^---\napiVersion: tekton\.dev\/v1\nkind: PipelineRun\nmetadata:\n {2}generateName: build-0123456-\n/,
    );
    assert.match(r.stdout, /value: https:\/\/example\.com\/r\.git/);
    assert.match(
      r.stderr,
      /interceptor 1 github: continue — X-GitHub-Event 'push' is in \[push\]; X-Hub-Signature-256 matches/,
    );
    assert.match(r.stderr, /overlay short_sha: body\.after\.truncate\(7\) → "0123456"/);
    assert.ok(!r.stderr.includes('cli-test-secret') && !r.stdout.includes('cli-test-secret'));
  });
  it('json: the whole result on stdout', async () => {
    const r = await run(runSimulateCommand, [...base, '-r', 'push.http', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as SimulationResult;
    assert.equal(result.fired, 1);
    assert.equal(result.eventID, 'ev');
    assert.equal(result.request.url, '/hooks');
    assert.deepEqual(result.triggers[0].extensions, { short_sha: '0123456' });
  });
  it('exit 3 when no trigger fires (filter false; secret missing)', async () => {
    const dev = await run(runSimulateCommand, [...base, '-r', 'push-dev.http']);
    assert.equal(dev.code, 3);
    assert.equal(dev.stdout, '');
    assert.match(
      dev.stderr,
      /STOPPED — interceptor 2 "main only" \(cel\) stopped the trigger: FailedPrecondition: expression body\.ref == 'refs\/heads\/main' did not return true/,
    );
    const noSecret = await run(runSimulateCommand, [
      '--eventlistener',
      'push-listener',
      '--workspace',
      'workspace',
      '-r',
      'push.http',
    ]);
    assert.equal(noSecret.code, 3);
    assert.match(noSecret.stderr, /error getting secret: secrets "webhook-secret" not found/);
  });
  it('--sign signs an unsigned request with the secret the github interceptor names, and checks a signed one as it is', async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const signed = readFileSync(join(CLI, 'push.http'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'tekton-sign-'));
    const unsigned = join(dir, 'unsigned.http');
    writeFileSync(unsigned, signed.replace(/^X-Hub-Signature-256: .*\r?\n/m, ''));
    const without = await run(runSimulateCommand, [...base, '-r', unsigned]);
    assert.equal(without.code, 3);
    assert.match(without.stderr, /Must set X-Hub-Signature-256 or X-Hub-Signature header/);
    const withSign = await run(runSimulateCommand, [...base, '-r', unsigned, '--sign']);
    assert.equal(withSign.code, 0, withSign.stderr);
    assert.match(withSign.stderr, /the sample was signed for this check: X-Hub-Signature-256 made with secret webhook-secret\/token; X-Hub-Signature-256 matches/);
    assert.ok(!withSign.stderr.includes('cli-test-secret') && !withSign.stdout.includes('cli-test-secret'), 'the secret is never printed');
    // a request that carries a signature is checked, not re-signed: a wrong one still fails
    const wrong = join(dir, 'wrong.http');
    writeFileSync(wrong, signed.replace(/sha256=[0-9a-f]+/, `sha256=${'0'.repeat(64)}`));
    const bad = await run(runSimulateCommand, [...base, '-r', wrong, '--sign']);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /payload signature check failed/);
    // without the secret, signing says why
    const noSecret = await run(runSimulateCommand, ['--eventlistener', 'push-listener', '--workspace', 'workspace', '-r', unsigned, '--sign']);
    assert.equal(noSecret.code, 3);
    assert.match(noSecret.stderr, /could not sign the sample: secrets "webhook-secret" not found/);
  });
  it('-t runs the Triggers of a file with the workspace', async () => {
    const r = await run(runSimulateCommand, [
      '-t',
      'trigger.yaml',
      '--workspace',
      'workspace',
      '-r',
      'push.http',
      '--uid',
      'u',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /generateName: build-short-/);
    assert.match(r.stdout, /triggers\.tekton\.dev\/trigger: trigger-run/);
  });
  it('exit 1 on errors, 2 on bad usage and on a named file that cannot be read', async () => {
    assert.equal(
      (await run(runSimulateCommand, ['--eventlistener', 'nope', '--workspace', 'workspace', '-r', 'push.http'])).code,
      1,
    );
    assert.equal(
      (
        await run(runSimulateCommand, [
          '--eventlistener',
          'push-listener',
          '--workspace',
          'workspace',
          '-r',
          'missing.http',
        ])
      ).code,
      2,
    );
    assert.equal((await run(runSimulateCommand, ['-r', 'push.http'])).code, 2);
    assert.equal(
      (await run(runSimulateCommand, ['--eventlistener', 'x', '-t', 'trigger.yaml', '-r', 'push.http'])).code,
      2,
    );
    assert.equal((await run(runSimulateCommand, [...base, '-r', 'push.http', '--format', 'xml'])).code, 2);
    assert.equal((await run(runSimulateCommand, ['--eventlistener', 'x'])).code, 2);
  });
});
