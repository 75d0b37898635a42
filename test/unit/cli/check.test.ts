/**
 * `tekton-ls check` and the dispatcher, run in-process through runCli: the flags in every form, bad usage in
 * command-line order, the files a folder gives, and the cross-file problems of `--workspace`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isCliCommand, runCli } from '../../../server/src/cli';
import { capture, type Captured } from './capture';

const dir = mkdtempSync(join(tmpdir(), 'tekton-check-unit-'));
const BAD_TASK = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: bad\nspec:\n  steps: []\n  stepz: []\n';
mkdirSync(join(dir, 'nested'));
mkdirSync(join(dir, 'lib'));
mkdirSync(join(dir, '.hidden'));
mkdirSync(join(dir, 'node_modules'));
writeFileSync(join(dir, 'nested', 'bad.YML'), BAD_TASK);
writeFileSync(join(dir, '.hidden', 'bad.yaml'), BAD_TASK);
writeFileSync(join(dir, 'node_modules', 'bad.yaml'), BAD_TASK);
writeFileSync(join(dir, '.bad.yaml'), BAD_TASK);
writeFileSync(join(dir, 'bad.txt'), BAD_TASK);
writeFileSync(
  join(dir, 'pipeline.yaml'),
  'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskRef:\n        name: missing-task\n    - name: b\n      taskRef:\n        name: there\n',
);
writeFileSync(join(dir, 'lib', 'task.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: there\nspec:\n  steps:\n    - image: alpine\n');

/** Writes `files` (paths inside a new folder `folder` of the test tree) and checks that folder. */
function checkFiles(folder: string, files: Record<string, string>): Promise<Captured> {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, folder, path)), { recursive: true });
    writeFileSync(join(dir, folder, path), text);
  }
  return cli('check', folder);
}

function cli(...argv: string[]): Promise<Captured> {
  return capture((io) => runCli(argv, io), dir);
}

describe('tekton-ls check (in-process)', () => {
  it('walks folders in name order, dot-folders included, skipping node_modules, non-YAML files and --exclude', async () => {
    const r = await cli('check', '.');
    assert.equal(r.code, 1);
    const unknown = 'error schema-unknown-property: Property "stepz" is not allowed here; did you mean "steps"? [tekton]\n';
    const notChecked = 'pipeline.yaml:9:15: information reference-not-checked: Not checked against their definitions: Task "missing-task" (not in the workspace) [tekton]\n';
    assert.equal(r.stdout, `.bad.yaml:7:3: ${unknown}.hidden/bad.yaml:7:3: ${unknown}nested/bad.YML:7:3: ${unknown}${notChecked}5 file(s) checked, 3 error(s), 1 other diagnostic(s)\n`);
    const some = await cli('check', '--exclude', '.hidden', '--exclude=*.YML', '.');
    assert.equal(some.stdout, `.bad.yaml:7:3: ${unknown}${notChecked}3 file(s) checked, 1 error(s), 1 other diagnostic(s)\n`);
  });

  it('indexes every file before checking any: the files given are the workspace, whatever their order', async () => {
    const together = await cli('check', 'pipeline.yaml', 'lib/task.yaml');
    const reversed = await cli('check', 'lib/task.yaml', 'pipeline.yaml');
    assert.deepEqual(together.stdout.split('\n').sort(), reversed.stdout.split('\n').sort());
    assert.match(together.stdout, /Task "missing-task"/);
    assert.doesNotMatch(together.stdout, /"there"/);
    // A run and the Pipeline it references in one file are checked against each other.
    writeFileSync(
      join(dir, 'run-and-pipeline.yml'),
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: build\nspec:\n  params:\n    - name: revision\n  tasks:\n    - name: a\n      taskSpec:\n        steps:\n          - image: alpine\n' +
        '---\napiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: build-run\nspec:\n  pipelineRef:\n    name: build\n',
    );
    const run = await cli('check', 'run-and-pipeline.yml');
    assert.match(run.stdout, /^run-and-pipeline\.yml:20:11: warning missing-param: Pipeline "build" requires param "revision"/m);
  });

  it('says which Tekton documents it did not analyse; an unparsed document of another kind adds nothing', async () => {
    // a fuzz case: a Role whose line of unclosed `[1, ` cost the parser ~0.7 s; a Task nested as deep; a plain ConfigMap
    const r = await checkFiles('unanalysed', {
      'role.yaml': `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules: ${'[1, '.repeat(20000)}\n`,
      'task.yaml': `apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps: ${'['.repeat(600)}${']'.repeat(600)}\n`,
      'config.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: {a: [1]}\n',
    });
    const deep = 'warning yaml-flow-too-deep: YAML flow collections ([ ] and { }) nest more than 500 levels deep here: this document is not analysed [tekton]';
    assert.equal(r.stdout, `unanalysed/task.yaml:4:${10 + 500}: ${deep}\n3 file(s) checked, 0 error(s), 1 other diagnostic(s)\n`);
    assert.equal(r.code, 0);
  });

  it('warns, not errs, on an unknown field of a .tekton/ file: Pipelines-as-Code drops it where admission rejects it', async () => {
    // as pipelines-as-code's own .tekton/pr-ci.yaml writes it, and runs
    const run =
      'apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nmetadata:\n  name: pr-ci\n  annotations:\n' +
      '    pipelinesascode.tekton.dev/on-event: "pull_request"\n    pipelinesascode.tekton.dev/on-target-branch: "[main]"\n' +
      'spec:\n  description: Runs PR linting\n  pipelineSpec:\n    tasks:\n      - name: lint\n        taskSpec:\n' +
      '          steps:\n            - image: alpine\n';
    const r = await checkFiles('pac', { '.tekton/pr-ci.yaml': run, 'applied.yaml': run });
    assert.equal(
      r.stdout,
      'pac/.tekton/pr-ci.yaml:9:3: warning schema-unknown-property: Property "description" is not allowed here (Pipelines-as-Code drops unknown fields of .tekton/ files; kubectl apply would reject it) [tekton]\n' +
        'pac/applied.yaml:9:3: error schema-unknown-property: Property "description" is not allowed here [tekton]\n' +
        '2 file(s) checked, 1 error(s), 1 other diagnostic(s)\n',
    );
  });

  it('names a Task that is not in the workspace once, however many pipeline tasks run it', async () => {
    const r = await checkFiles('twice', {
      'pipeline.yaml':
        'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: twice\nspec:\n  tasks:\n' +
        '    - name: a\n      taskRef:\n        name: lint\n    - name: b\n      taskRef:\n        name: lint\n',
    });
    assert.equal(
      r.stdout,
      'twice/pipeline.yaml:9:15: information reference-not-checked: Not checked against their definitions: Task "lint" (not in the workspace) [tekton]\n' +
        '1 file(s) checked, 0 error(s), 1 other diagnostic(s)\n',
    );
  });

  it('knows the ClusterTriggerBindings OpenShift Pipelines installs, and suggests one for a near miss', async () => {
    const listener = (binding: string) =>
      'apiVersion: triggers.tekton.dev/v1beta1\nkind: EventListener\nmetadata:\n  name: el\nspec:\n  triggers:\n' +
      `    - name: pr\n      bindings:\n        - ref: ${binding}\n          kind: ClusterTriggerBinding\n      template:\n        ref: tt\n` +
      '---\napiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerTemplate\nmetadata:\n  name: tt\nspec:\n  resourcetemplates:\n' +
      '    - apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        generateName: cm-\n';
    const r = await checkFiles('openshift', { 'el.yaml': listener('github-pullreq'), 'typo.yaml': listener('github-pulreq') });
    assert.equal(
      r.stdout,
      'openshift/el.yaml:9:16: information openshift-binding: ClusterTriggerBinding "github-pullreq" is installed by OpenShift Pipelines (its triggers addon); its params are not checked here, and on another cluster it must exist [tekton]\n' +
        'openshift/typo.yaml:9:16: warning unknown-reference: ClusterTriggerBinding "github-pulreq" is not in the workspace; it must exist in the cluster; did you mean "github-pullreq"? [tekton]\n' +
        '2 file(s) checked, 0 error(s), 2 other diagnostic(s)\n',
    );
  });

  it('checks a file given by name whatever its extension', async () => {
    const r = await cli('check', 'bad.txt', '.bad.yaml');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^bad\.txt:7:3: error /m);
    assert.match(r.stdout, /^\.bad\.yaml:7:3: error /m);
  });

  it('reads --format and --workspace as --x v and --x=v; the last --format wins', async () => {
    const a = await cli('check', '--format', 'json', 'nested');
    const b = await cli('check', '--format=text', '--format=json', 'nested');
    assert.equal(a.code, 1);
    assert.deepEqual(a, b);
    assert.equal(JSON.parse(a.stdout)[0].code, 'schema-unknown-property');
    const ws = await cli('check', '--workspace=lib', 'pipeline.yaml');
    assert.deepEqual(ws, await cli('check', '--workspace', 'lib', 'pipeline.yaml'));
    assert.equal(ws.code, 0);
    assert.match(ws.stdout, /^pipeline\.yaml:9:15: information reference-not-checked: .*Task "missing-task"/m);
    assert.doesNotMatch(ws.stdout, /"there"/);
    // Alone, the file is its own workspace: both Tasks are unknown to it.
    assert.match((await cli('check', 'pipeline.yaml')).stdout, /Task "missing-task" \(not in the workspace\), Task "there" \(not in the workspace\)/);
  });

  it('reports bad usage in command-line order with exit 2', async () => {
    const cases: [string[], string][] = [
      [['check'], 'tekton-ls check: no PATH given\nUsage:'],
      [['check', '--format'], 'tekton-ls check: --format must be text or json, not ""\n'],
      [['check', '--format', 'xml', '--bogus', '.'], 'tekton-ls check: --format must be text or json, not "xml"\n'],
      [['check', '--bogus', '--format', 'xml', '.'], 'tekton-ls check: unknown option --bogus\nUsage:'],
      [['check', '--workspace', 'nope', '.'], 'tekton-ls check: --workspace needs an existing folder\n'],
      [['check', '--workspace='], 'tekton-ls check: --workspace needs an existing folder\n'],
      [['check', '-h'], 'tekton-ls check: unknown option -h\nUsage:'],
      [['check', '--', '.'], 'tekton-ls check: unknown option --\nUsage:'],
      [['check', '.', 'missing.yaml'], 'tekton-ls check: missing.yaml: no such file or directory\n'],
    ];
    for (const [argv, start] of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(start), `${argv.join(' ')}: ${r.stderr}`);
      if (!start.endsWith('Usage:')) assert.equal(r.stderr, start, argv.join(' '));
    }
  });
});

describe('tekton-ls dispatcher', () => {
  it('prints the usage for help, --help and -h', async () => {
    for (const argv of [['help'], ['--help'], ['-h']]) {
      const r = await cli(...argv);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage:\n {2}tekton-ls --stdio/);
    }
  });

  it('exits 2 on an unknown command, also one named like an Object method', async () => {
    for (const name of ['frob', 'toString', 'constructor']) {
      const r = await cli(name);
      assert.equal(r.code, 2);
      assert.ok(r.stderr.startsWith(`tekton-ls: unknown command "${name}"\nUsage:`), r.stderr);
    }
  });

  it('is the command line unless a transport is named: no arguments or an unknown option give usage and exit 2', async () => {
    const none = await cli();
    assert.equal(none.code, 2);
    assert.ok(none.stderr.startsWith('tekton-ls: no command given (or a transport: --stdio, --node-ipc, --socket=PORT)\nUsage:'), none.stderr);
    const option = await cli('--bogus');
    assert.equal(option.code, 2);
    assert.ok(option.stderr.startsWith('tekton-ls: unknown command "--bogus"'), option.stderr);
    for (const argv of [['--stdio'], ['--node-ipc'], ['--socket=5007'], ['--clientProcessId=1', '--stdio']]) assert.equal(isCliCommand(argv), false, argv.join(' '));
    for (const argv of [[], ['--bogus'], ['check', '.']]) assert.equal(isCliCommand(argv), true, argv.join(' '));
  });
});
