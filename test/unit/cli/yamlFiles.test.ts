/**
 * The one YAML file walker (server/src/workspace/yamlFiles.ts) behind `tekton-ls check`, the simulation's
 * `yamlFilesUnder` and the workspace index's crawler, with the differences between its two walks that are kept.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crawlYamlFiles, excludeMatcher, isSkippedName, isYamlFileName, yamlFilesUnder } from '../../../server/src/workspace/yamlFiles';
import { yamlFilesUnder as simulationYamlFiles } from '../../../server/src/triggers/simulation/fileResources';
import { FileSystemWorkspace } from '../../../server/src/workspace/workspace';

const root = mkdtempSync(join(tmpdir(), 'tekton-yaml-files-'));
const tree = join(root, 'tree');
for (const d of ['a', 'a/deep', '.git', 'node_modules', 'out', 'dist', 'b', '.tekton/tasks']) mkdirSync(join(tree, d), { recursive: true });
for (const f of ['a/x.yaml', 'a/deep/y.YML', 'a-b.yaml', '.hidden.yaml', '.git/c.yaml', 'node_modules/d.yaml', 'out/e.yaml', 'dist/f.yml', 'b/notes.txt', 'z.Yaml', '.tekton/push.yaml', '.tekton/tasks/t.yaml'])
  writeFileSync(join(tree, f), 'kind: X\n');
const outside = join(root, 'outside');
mkdirSync(outside);
writeFileSync(join(outside, 'linked.yaml'), 'kind: X\n');
symlinkSync(outside, join(tree, 'b', 'link-dir'));
symlinkSync(join(outside, 'linked.yaml'), join(tree, 'b', 'link-file.yaml'));

const rel = (files: string[]): string[] => files.map((f) => relative(tree, f));

describe('the YAML file rules', () => {
  it('knows a YAML file by *.yaml or *.yml in any case', () => {
    for (const n of ['a.yaml', 'a.yml', 'A.YAML', 'b.Yml']) assert.ok(isYamlFileName(n), n);
    for (const n of ['a.json', 'yaml', 'a.yaml.bak', 'a.ya']) assert.ok(!isYamlFileName(n), n);
  });

  it('skips only .git and node_modules: dot-folders such as .tekton/ hold the user\'s runs', () => {
    for (const n of ['.git', 'node_modules']) assert.ok(isSkippedName(n), n);
    for (const n of ['.tekton', '.lighthouse', '.github', '.hidden.yaml', 'out', 'dist', 'node_modules2', 'a.yaml']) assert.ok(!isSkippedName(n), n);
  });

  it('matches exclude globs against relative paths, a name glob at any depth, a folder with everything below', () => {
    const m = excludeMatcher(['vendor', '**/*.tmpl.yaml', 'build/out/*', 'a?c.yaml', './docs/']);
    for (const p of ['vendor', 'x/vendor/y.yaml', 'z/foo.tmpl.yaml', 'foo.tmpl.yaml', 'build/out/x.yaml', 'abc.yaml', 'docs/a/b.yaml'])
      assert.ok(m(p), p);
    for (const p of ['q/build/out/x.yaml', 'abbc.yaml', 'vendors/a.yaml', 'x/docs/a.yaml', 'tmpl.yaml']) assert.ok(!m(p), p);
    assert.ok(!excludeMatcher([])('a.yaml'));
  });
});

describe('yamlFilesUnder (check, simulate --workspace)', () => {
  it('walks folders depth first in name order, following symbolic links, skipping .git and node_modules', () => {
    assert.deepEqual(rel(yamlFilesUnder(tree)), [
      '.hidden.yaml',
      '.tekton/push.yaml',
      '.tekton/tasks/t.yaml',
      'a/deep/y.YML',
      'a/x.yaml',
      'a-b.yaml',
      'b/link-dir/linked.yaml',
      'b/link-file.yaml',
      'dist/f.yml',
      'out/e.yaml',
      'z.Yaml',
    ]);
  });

  it('gives a file named directly whatever its name, and nothing for what is neither file nor folder', () => {
    assert.deepEqual(yamlFilesUnder(join(tree, 'b', 'notes.txt')), [join(tree, 'b', 'notes.txt')]);
    assert.deepEqual(yamlFilesUnder(join(tree, '.hidden.yaml')), [join(tree, '.hidden.yaml')]);
    assert.deepEqual(yamlFilesUnder('/dev/null'), []);
    assert.throws(() => yamlFilesUnder(join(tree, 'missing')), /ENOENT/);
  });

  it('leaves out what the exclude globs match, relative to the walked folder', () => {
    assert.deepEqual(rel(yamlFilesUnder(tree, { exclude: ['.tekton/tasks', '*.Yaml', 'b/**'] })), [
      '.hidden.yaml',
      '.tekton/push.yaml',
      'a/deep/y.YML',
      'a/x.yaml',
      'a-b.yaml',
      'dist/f.yml',
      'out/e.yaml',
    ]);
  });

  it('ends on a symbolic link loop, walking each real folder once', () => {
    const loop = join(root, 'loop');
    mkdirSync(join(loop, 'x'), { recursive: true });
    writeFileSync(join(loop, 'x', 'a.yaml'), 'kind: X\n');
    symlinkSync(loop, join(loop, 'x', 'back'));
    assert.deepEqual(yamlFilesUnder(loop).map((f) => relative(loop, f)), ['x/a.yaml']);
  });

  it('lists regular files only: a FIFO named *.yaml would block the reader forever', () => {
    const dir = join(root, 'fifo');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.yaml'), 'kind: X\n');
    spawnSync('mkfifo', [join(dir, 'pipe.yaml')]);
    assert.deepEqual(yamlFilesUnder(dir).map((f) => relative(dir, f)), ['a.yaml']);
  });

  it('is the walk the simulation reads its workspace with', () => {
    assert.equal(simulationYamlFiles, yamlFilesUnder);
  });
});

describe('crawlYamlFiles (the workspace index)', () => {
  it('lists regular YAML files, dot-folders included, without following links, leaving out excludes', async () => {
    const all = ['.hidden.yaml', '.tekton/push.yaml', '.tekton/tasks/t.yaml', 'a-b.yaml', 'a/deep/y.YML', 'a/x.yaml', 'dist/f.yml', 'out/e.yaml', 'z.Yaml'];
    assert.deepEqual(rel(await crawlYamlFiles(tree)).sort(), all);
    const some = rel(await crawlYamlFiles(tree, undefined, { exclude: ['out', 'dist', '.tekton/tasks/**'] })).sort();
    assert.deepEqual(some, all.filter((f) => !/^(out|dist|\.tekton\/tasks)\//.test(f)));
  });

  it('stops 20 folders deep, passes over unreadable folders and asks isCancelled before each folder', async () => {
    let deep = join(root, 'deep');
    for (let i = 0; i <= 21; i++) {
      deep = join(deep, `d${i}`);
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'f.yaml'), 'kind: X\n');
    }
    const found = await crawlYamlFiles(join(root, 'deep'));
    assert.equal(found.length, 20);
    assert.deepEqual(await crawlYamlFiles(join(root, 'missing')), []);
    let asked = 0;
    assert.deepEqual(rel(await crawlYamlFiles(tree, () => ++asked > 1)).sort(), ['.hidden.yaml', 'a-b.yaml', 'z.Yaml']);
    const ws = new FileSystemWorkspace([tree]);
    ws.exclude = ['a', '**/*.yml'];
    assert.deepEqual((await ws.findYamlFiles()).map((u) => relative(tree, new URL(u).pathname)).sort(), ['.hidden.yaml', '.tekton/push.yaml', '.tekton/tasks/t.yaml', 'a-b.yaml', 'out/e.yaml', 'z.Yaml']);
    assert.deepEqual(await crawlYamlFiles(tree, () => true), []);
  });

  it('gives FileSystemWorkspace its sorted file URIs across folders', async () => {
    const ws = new FileSystemWorkspace([tree, pathToFileURL(outside).toString()]);
    const uris = await ws.findYamlFiles();
    assert.deepEqual(uris, [...uris].sort());
    assert.equal(uris.length, 10);
    assert.ok(uris.includes(pathToFileURL(join(outside, 'linked.yaml')).toString()));
  });
});
