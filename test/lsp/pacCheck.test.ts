/**
 * Pipelines-as-Code documents through `tekton-ls check --format json`: one-mistake `.tekton` fixtures
 * (test/fixtures/pac/mistakes, each asserting code, severity and range), and documents written from the upstream docs'
 * examples (test/fixtures/pac/docs) that must give no error and no warning.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES } from '../helpers/fixtures';
import { REPO_ROOT } from '../helpers/paths';

interface Reported {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function check(...paths: string[]): Reported[] {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tekton-ls'), 'check', '--format', 'json', ...paths], {
    cwd: FIXTURES,
    encoding: 'utf8',
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout) as Reported[];
}

/** Line and character of the `nth` occurrence of `needle` in the file (0-based). */
function at(text: string, needle: string, nth = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not in fixture`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** fixture → the one problem it holds: code, severity, and the text its range covers. */
const MISTAKES: Record<
  string,
  { code: string; severity: string; text: string; nth?: number; shift?: number; upstream: string }
> = {
  'unknown-key': {
    code: 'pac-unknown-annotation',
    severity: 'warning',
    text: 'on-target-brnch',
    upstream: 'keys.go: keys PaC reads',
  },
  'unquoted-list': {
    code: 'pac-annotation-not-string',
    severity: 'error',
    text: '[pull_request]',
    upstream: 'resolve.go ReadTektonTypes: decode error drops the document',
  },
  'unknown-event': {
    code: 'pac-unknown-event',
    severity: 'warning',
    text: 'pull_requests',
    upstream: 'triggertype: pull_request, push, incoming',
  },
  'empty-list': {
    code: 'pac-empty-list',
    severity: 'error',
    text: '[]',
    upstream: 'annotation_matcher.go getTargetBranch "annotation %s is empty"',
  },
  'bad-list': {
    code: 'pac-bad-list',
    severity: 'error',
    text: 'pull_request push',
    upstream: 'annotation_matcher.go getAnnotationValues reValidateTag',
  },
  'bad-regexp': {
    code: 'pac-bad-regexp',
    severity: 'error',
    text: '^/merge-(pr',
    upstream: 'annotation_matcher.go on-comment regexp.Compile',
  },
  'not-integer': { code: 'pac-not-integer', severity: 'warning', text: 'five', upstream: 'max-keep-runs strconv.Atoi' },
  'number-value': {
    code: 'pac-annotation-not-string',
    severity: 'error',
    text: '5',
    nth: 0,
    upstream: 'annotations are map[string]string',
  },
  'not-boolean': { code: 'pac-not-boolean', severity: 'warning', text: 'yes', upstream: 'cancel-in-progress "true"' },
  'cel-beside-on-event': {
    code: 'pac-ignored-by-cel',
    severity: 'warning',
    text: 'pipelinesascode.tekton.dev/on-event',
    upstream: 'checkPipelineRunAnnotation RepositoryTakesOnCelExpressionPrecedence',
  },
  'cel-syntax': { code: 'cel-syntax', severity: 'error', text: '&&"', shift: 2, upstream: 'cel.go env.Parse' },
  'cel-extension': {
    code: 'cel-unknown-function',
    severity: 'error',
    text: 'split',
    upstream: 'cel.go cel.NewEnv(cel.Lib(celPac)) without ext',
  },
  'cel-triggers-variable': {
    code: 'cel-undeclared-reference',
    // the Repository that applies is the cluster's: one in the workspace that does not declare it makes it probable
    severity: 'warning',
    text: 'header',
    nth: 1,
    upstream: 'cel.go decls: headers, not header',
  },
  'cel-not-bool': {
    code: 'cel-filter-not-bool',
    severity: 'error',
    text: 'target_branch',
    nth: 0,
    upstream: 'annotation_matcher.go out != types.True',
  },
  'bad-glob': {
    code: 'pac-bad-glob',
    severity: 'error',
    text: 'release-[0-9',
    upstream: 'branchMatch glob.MustCompile',
  },
  'incomplete-match': {
    code: 'pac-incomplete-match',
    severity: 'warning',
    text: 'pipelinesascode.tekton.dev/on-event',
    upstream: 'getTargetBranch needs on-event and on-target-branch',
  },
  'unknown-variable': {
    code: 'pac-unknown-variable',
    severity: 'warning',
    text: 'revison',
    upstream: 'templating.go: unknown keys stay as written',
  },
  'template-cel': {
    code: 'pac-template-cel',
    severity: 'warning',
    text: '+ }}',
    shift: 1,
    upstream: 'templating.go cel: errors write ""',
  },
  'comma-not-list': {
    code: 'pac-comma-not-list',
    severity: 'warning',
    text: 'main,release-*',
    nth: 1,
    upstream: 'getAnnotationValues: a value without brackets is one item',
  },
  'misspelt-group': {
    code: 'pac-unknown-annotation',
    severity: 'warning',
    text: 'pipelineascode.tekton.dev',
    upstream: 'keys.go: pipelinesascode.GroupName',
  },
  'duplicate-name': {
    code: 'pac-duplicate-name',
    severity: 'error',
    text: 'dup',
    upstream: 'resolve.go pipelineRunsWithSameName',
  },
};

describe('Pipelines-as-Code one-mistake fixtures (tekton-ls check)', () => {
  const dir = join('pac', 'mistakes');
  it('has a fixture per case and at least 15 of them', () => {
    const files = readdirSync(join(FIXTURES, dir))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
    assert.deepEqual(files, Object.keys(MISTAKES).sort());
    assert.ok(files.length >= 15);
  });
  for (const [name, expected] of Object.entries(MISTAKES)) {
    it(`${name}: ${expected.code} (${expected.upstream})`, () => {
      const file = join(dir, `${name}.yaml`);
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const found = check(file).filter((p) => p.severity === 'error' || p.severity === 'warning');
      // The schema's generic type error on the same value gives way to PaC's (it would say the same twice).
      const pac = found.filter(
        (p) => !((name === 'unknown-key' || name === 'misspelt-group') && p.code === 'pac-incomplete-match'),
      );
      const mine = pac.filter((p) => p.code === expected.code);
      assert.equal(mine.length, name === 'duplicate-name' ? 2 : 1, JSON.stringify(found, null, 1));
      assert.equal(pac.length, mine.length, JSON.stringify(pac, null, 1));
      const p = mine[0];
      assert.equal(p.severity, expected.severity);
      const fromText = name === 'cel-syntax' || name === 'template-cel' ? undefined : expected.text;
      if (fromText !== undefined) {
        // The range covers exactly the text named.
        const want = at(text, fromText, expected.nth ?? 0);
        assert.deepEqual(p.range.start, want, `${name}: ${JSON.stringify(p)}`);
        assert.deepEqual(
          p.range.end,
          { line: want.line, character: want.character + fromText.length },
          `${name}: ${JSON.stringify(p)}`,
        );
      } else {
        // A syntax error at the end of the input is reported where the expression ends.
        const anchor = at(text, expected.text, expected.nth);
        assert.deepEqual(p.range.start, { line: anchor.line, character: anchor.character + (expected.shift ?? 0) });
      }
    });
  }
});

describe('Pipelines-as-Code documents from the upstream docs (tekton-ls check)', () => {
  it('gives no error and no warning on any of them', () => {
    const dir = join('pac', 'docs');
    const files = readdirSync(join(FIXTURES, dir));
    assert.ok(files.length >= 8, files.join());
    const found = check(dir).filter((p) => p.severity === 'error' || p.severity === 'warning');
    assert.deepEqual(found, []);
  });
});

describe('Pipelines-as-Code folder rules (tekton-ls check on a .tekton/ folder)', () => {
  const root = mkdtempSync(join(tmpdir(), 'pac-folder-'));
  mkdirSync(join(root, '.tekton', 'tasks'), { recursive: true });
  const run = (name: string, event: string, task?: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
  annotations:
    pipelinesascode.tekton.dev/on-event: "[${event}]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
${task ? `    pipelinesascode.tekton.dev/task: "${task}"\n` : ''}spec:
  pipelineRef:
    name: build
`;
  writeFileSync(
    join(root, '.tekton', 'push.yaml'),
    run('same', 'push', '[git-clone, .tekton/tasks/lint.yaml, .tekton/tasks/missing.yaml, https://example.com/t.yaml]'),
  );
  writeFileSync(join(root, '.tekton', 'pr.yaml'), run('same', 'pull_request'));
  writeFileSync(
    join(root, '.tekton', 'tasks', 'lint.yaml'),
    'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: lint\nspec:\n  steps:\n    - image: alpine\n      script: echo\n',
  );

  function checkFolder(): Reported[] {
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'tekton-ls'), 'check', '--format', 'json', '.tekton'],
      { cwd: root, encoding: 'utf8' },
    );
    return JSON.parse(r.stdout) as Reported[];
  }

  it('reports same-named PipelineRuns in two files of the folder on both (resolve.go pipelineRunsWithSameName)', () => {
    const dup = checkFolder().filter((p) => p.code === 'pac-duplicate-name');
    assert.deepEqual(dup.map((p) => [p.file, p.severity, p.range.start.line, p.range.start.character]).sort(), [
      [join('.tekton', 'pr.yaml'), 'error', 3, 8],
      [join('.tekton', 'push.yaml'), 'error', 3, 8],
    ]);
  });

  it('resolves repository paths of the task annotation and tells what is fetched at run time (annotation_tasks_install.go getRemote)', () => {
    const found = checkFolder().filter(
      (p) => p.file === join('.tekton', 'push.yaml') && p.code.startsWith('pac-remote'),
    );
    const text = readFileSync(join(root, '.tekton', 'push.yaml'), 'utf8');
    assert.deepEqual(
      found.map((p) => [p.code, p.severity, p.range.start]).sort(),
      [
        ['pac-remote-not-found', 'warning', at(text, '.tekton/tasks/missing.yaml')],
        ['pac-remote-resolved-at-run-time', 'information', at(text, 'git-clone')],
        ['pac-remote-resolved-at-run-time', 'information', at(text, 'https://example.com/t.yaml')],
      ].sort(),
    );
  });
});
