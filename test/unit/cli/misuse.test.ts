/**
 * Ordinary file-system shapes on the command line: devices, FIFOs and symbolic link loops get one line naming the
 * path and an exit code, never a hang or a stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../server/src/cli';
import { FIXTURES } from '../../helpers/fixtures';
import { capture } from './capture';

const dir = mkdtempSync(join(tmpdir(), 'tekton-misuse-'));
const request = join(FIXTURES, 'triggers', 'cli', 'http.txt');
mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
writeFileSync(join(dir, 'tree', 'task.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: alpine\n');
spawnSync('mkfifo', [join(dir, 'tree', 'pipe.yaml')]);
spawnSync('mkfifo', [join(dir, 'alone.yaml')]);
symlinkSync(join(dir, 'tree'), join(dir, 'tree', 'sub', 'loop'));

const cli = (...argv: string[]) => capture((io) => runCli(argv, io), dir);
const oneLine = (s: string) => s.trimEnd().split('\n').length === 1;

describe('command-line misuse', () => {
  it('a file symlink loop named directly, a missing file and a folder where a file is wanted: one line each, exit 2', async () => {
    symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
    symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
    const rows: [string[], string][] = [
      [['check', 'loop-a.yaml'], 'tekton-ls check: loop-a.yaml: symbolic link loop\n'],
      [['cel', '--expr', '1', '-r', 'loop-a.yaml'], 'tekton-ls cel: loop-a.yaml: symbolic link loop\n'],
      [['bindings', '-b', 'loop-a.yaml', '-r', request], 'tekton-ls bindings: loop-a.yaml: symbolic link loop\n'],
      [['simulate', '-t', 'missing.yaml', '-r', request], 'tekton-ls simulate: missing.yaml: no such file or directory\n'],
      [['simulate', '-t', 'tree', '-r', request], 'tekton-ls simulate: tree: a folder, not a file\n'],
      [['simulate', '--eventlistener', 'x', '-w', 'nowhere', '-r', request], 'tekton-ls simulate: nowhere: no such file or directory\n'],
      [['cel', '--expr', '1', '-r', request, '--secrets', 'missing.yaml'], 'tekton-ls cel: missing.yaml: no such file or directory\n'],
    ];
    for (const [argv, stderr] of rows) {
      const r = await cli(...argv);
      assert.deepEqual([r.code, r.stderr], [2, stderr], argv.join(' '));
    }
  });

  it('check reports an unreadable folder inside the tree in one line and checks the rest', async (t) => {
    if (process.getuid?.() === 0) return t.skip('running as root: every folder is readable, nothing to refuse');
    const locked = join(dir, 'tree-locked');
    mkdirSync(join(locked, 'closed'), { recursive: true });
    writeFileSync(join(locked, 'task.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: alpine\n');
    chmodSync(join(locked, 'closed'), 0);
    try {
      const r = await cli('check', 'tree-locked');
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `tekton-ls check: ${join('tree-locked', 'closed')}: permission denied\n`);
      assert.match(r.stdout, /^1 file\(s\) checked, 0 error\(s\)/m);
    } finally {
      chmodSync(join(locked, 'closed'), 0o755);
    }
  });

  it('check walks past FIFOs and link loops in a folder, and refuses a FIFO named directly', async () => {
    const folder = await cli('check', 'tree');
    assert.equal(folder.code, 0);
    assert.equal(folder.stdout, '1 file(s) checked, 0 error(s), 0 other diagnostic(s)\n');
    const fifo = await cli('check', 'alone.yaml');
    assert.equal(fifo.code, 2);
    assert.equal(fifo.stderr, 'tekton-ls check: alone.yaml: not a regular file or folder\n');
  });

  it('cel, bindings and simulate refuse devices and FIFOs in one line (exit 2, as check) instead of reading forever', async () => {
    const cases: [string[], RegExp][] = [
      [['cel', '--expr', '1', '-r', '/dev/zero'], /\/dev\/zero: not a regular file/],
      [['cel', '-e', join(dir, 'alone.yaml'), '-r', request], /alone\.yaml: not a regular file/],
      [['bindings', '-b', '/dev/zero', '-r', request], /\/dev\/zero: not a regular file/],
      [['simulate', '-t', join(dir, 'alone.yaml'), '-r', request], /alone\.yaml: not a regular file/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
      assert.ok(oneLine(r.stderr), r.stderr);
    }
    const ws = await cli('simulate', '--eventlistener', 'x', '-w', 'tree', '-r', request);
    assert.equal(ws.code, 1);
    assert.match(ws.stderr, /EventListener 'x' was not found/);
  });
});
