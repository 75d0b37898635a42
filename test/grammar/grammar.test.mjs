// Grammar tests: runs vscode-tmgrammar-test (assertions written in the fixtures) and vscode-tmgrammar-snap (token
// snapshots beside the fixtures) on the CEL grammar and its YAML injection, with the YAML grammar of the tm-grammars
// devDependency (textmate/yaml.tmbundle). After an intended grammar change, refresh the snapshots with
//   node node_modules/vscode-tmgrammar-test/dist/snapshot.js -u --config test/grammar/grammars.config.json \
//     'test/grammar/snap/*.yaml' 'test/grammar/snap/*.cel'
// and review the diff of the .snap files.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const config = join(here, 'grammars.config.json');
const tool = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist');

function run(script, args) {
  // Relative globs: the tools expand them against the working directory.
  const r = spawnSync(process.execPath, [join(tool, script), '--config', relative(root, config), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('CEL grammars', () => {
  it('are valid grammars with the scope names package.json declares', () => {
    const cel = JSON.parse(readFileSync(join(root, 'syntaxes', 'cel.tmLanguage.json'), 'utf8'));
    const injection = JSON.parse(readFileSync(join(root, 'syntaxes', 'cel.injection.tmLanguage.json'), 'utf8'));
    const conf = JSON.parse(readFileSync(join(root, 'syntaxes', 'cel.language-configuration.json'), 'utf8'));
    assert.equal(cel.scopeName, 'source.cel');
    assert.equal(injection.scopeName, 'cel.injection.tekton');
    assert.equal(injection.injectionSelector, 'L:source.yaml -comment');
    assert.equal(conf.comments.lineComment, '//');
  });

  it('pass the scope assertions in test/grammar/unit', () => {
    const r = run('unit.js', ['-c', 'test/grammar/unit/*.test.*']);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /cel\.test\.cel run successfuly/);
    assert.match(r.output, /injection\.test\.yaml run successfuly/);
  });

  it('match the token snapshots in test/grammar/snap', () => {
    const r = run('snapshot.js', ['test/grammar/snap/*.yaml', 'test/grammar/snap/*.cel']);
    assert.equal(r.status, 0, r.output);
  });

  it('fail on a wrong assertion (the harness is live)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cel-grammar-'));
    try {
      const file = join(dir, 'wrong.test.cel');
      writeFileSync(file, '// SYNTAX TEST "source.cel" "wrong on purpose"\nbody.ref\n// <---- keyword.control.macro.cel\n');
      const r = run('unit.js', ['-c', file]);
      assert.notEqual(r.status, 0, r.output);
      assert.match(r.output, /keyword\.control\.macro\.cel/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
