import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import {
  checkPipelineTasksAgainst,
  checkRunAgainst,
  extractDeclarations,
  PipelineDeclarations,
  TaskDeclarations,
} from '../../../../server/src/pipelines/rules/declarations';

function resource(text: string): YamlResource {
  return [...new TektonDocument('file:///t.yaml', 1, text).resources()][0].resource;
}

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: kaniko
spec:
  description: Builds an image.
  params:
    - name: IMAGE
      description: Where to push.
    - name: FLAGS
      type: array
      default: []
    - name: MODE
      enum: [fast, safe]
      default: fast
    - name: GIT
      properties:
        url: {}
  workspaces:
    - name: source
    - name: cache
      optional: true
  results:
    - name: IMAGE_DIGEST
      description: Digest.
  steps:
    - image: gcr.io/kaniko
`;

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ci
spec:
  workspaces:
    - name: shared
  tasks:
    - name: build
      taskRef:
        name: kaniko
      params:
        - name: IMAGES
          value: x
        - name: MODE
          value: quick
        - name: FLAGS
          value: "--v"
      workspaces:
        - name: sources
          workspace: shared
    - name: remote
      taskRef:
        resolver: git
        params:
          - name: url
            value: https://example.com/repo.git
    - name: report
      runAfter: [build]
      taskSpec:
        steps:
          - image: alpine
      params:
        - name: digest
          value: $(tasks.build.results.IMAGE_DIGST)
`;

describe('declarations of Tasks and Pipelines', () => {
  it('a Task: name, params with types, defaults, enums and keys, workspaces, results, with offsets', () => {
    const r = resource(TASK);
    const d = extractDeclarations(r) as TaskDeclarations;
    assert.equal(d.kind, 'Task');
    assert.equal(d.name, 'kaniko');
    assert.equal(r.text.slice(d.nameStart!, d.nameEnd!), 'kaniko');
    assert.equal(d.description, 'Builds an image.');
    assert.deepEqual(
      d.params.map((p) => [p.name, p.type, p.hasDefault, p.enum ?? null, p.properties ?? null]),
      [
        ['IMAGE', 'string', false, null, null],
        ['FLAGS', 'array', true, null, null],
        ['MODE', 'string', true, ['fast', 'safe'], null],
        ['GIT', 'object', false, null, ['url']],
      ],
    );
    assert.equal(d.params[0].description, 'Where to push.');
    assert.equal(r.text.slice(d.params[3].start, d.params[3].end), 'GIT');
    assert.deepEqual(
      d.workspaces.map((w) => [w.name, w.optional]),
      [
        ['source', false],
        ['cache', true],
      ],
    );
    assert.deepEqual(
      d.results.map((x) => [x.name, x.type, x.description]),
      [['IMAGE_DIGEST', 'string', 'Digest.']],
    );
  });

  it('a Pipeline: its tasks with what they reference, pass and bind', () => {
    const r = resource(PIPELINE);
    const d = extractDeclarations(r) as PipelineDeclarations;
    assert.equal(d.kind, 'Pipeline');
    assert.deepEqual(
      d.tasks.map((t) => [
        t.name,
        t.taskRef?.name ?? null,
        t.taskRef?.resolver ?? null,
        t.inline,
        t.params.map((p) => p.name),
        t.workspaces.map((w) => `${w.name}=${w.workspace}`),
        t.runAfter,
      ]),
      [
        ['build', 'kaniko', null, false, ['IMAGES', 'MODE', 'FLAGS'], ['sources=shared'], []],
        ['remote', null, 'git', false, [], [], []],
        ['report', null, null, true, ['digest'], [], ['build']],
      ],
    );
    assert.equal(r.text.slice(d.tasks[0].start, d.tasks[0].end), 'build');
  });

  it('other kinds have no declarations', () => {
    assert.equal(extractDeclarations(resource('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')), undefined);
    assert.equal(extractDeclarations(resource('apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: x\nspec: {}\n')), undefined);
  });
});

describe('cross-file checks against the referenced Task or Pipeline', () => {
  const kaniko = extractDeclarations(resource(TASK)) as TaskDeclarations;
  const lines = (r: YamlResource, problems: { start: number; end: number; code: string; severity: string; message: string }[]) =>
    problems.map((p) => `${p.severity} ${p.code} ${r.text.slice(p.start, p.end)}: ${p.message}`);

  it('pipeline tasks: unknown and missing params, type and enum mismatches, workspaces, results; remote refs not checked', () => {
    const r = resource(PIPELINE);
    const got = lines(
      r,
      checkPipelineTasksAgainst(r, (name) => (name === 'kaniko' ? kaniko : undefined)),
    );
    assert.deepEqual(got, [
      'warning unknown-task-param IMAGES: Task "kaniko" declares no param "IMAGES"; did you mean "IMAGE"?',
      'warning param-enum quick: "quick" is not an allowed value of param "MODE" (fast, safe)',
      'warning param-type-mismatch "--v": Task "kaniko" declares param "FLAGS" as array, but a string is passed',
      'warning missing-param kaniko: Task "kaniko" requires params "IMAGE", "GIT", not passed by pipeline task "build"',
      'warning unknown-workspace sources: Task "kaniko" declares no workspace "sources"; did you mean "source"?',
      'warning missing-workspace kaniko: Task "kaniko" needs workspace "source", not bound by pipeline task "build"',
      'information not-checked-remote resolver: not checked: Task resolved remotely (resolver git)',
      'warning unknown-result IMAGE_DIGST: "IMAGE_DIGST" is not a result of Task "kaniko" (pipeline task "build"); did you mean "IMAGE_DIGEST"?',
    ]);
  });

  it('a Task the resolver does not know is not checked (the index reports unknown references)', () => {
    const r = resource(PIPELINE);
    const got = checkPipelineTasksAgainst(r, () => undefined).map((p) => p.code);
    assert.deepEqual(got, ['not-checked-remote']);
  });

  it('runs: params and workspaces against the referenced Task', () => {
    const r = resource(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: run
spec:
  taskRef:
    name: kaniko
  params:
    - name: IMAGE
      value: [a]
    - name: MODE
      value: slow
    - name: GIT
      value:
        branch: main
    - name: EXTRA
      value: x
  workspaces:
    - name: sourc
      emptyDir: {}
`);
    const got = lines(
      r,
      checkRunAgainst(r, (kind, name) => (kind === 'Task' && name === 'kaniko' ? kaniko : undefined)),
    );
    assert.deepEqual(got, [
      'warning param-type-mismatch [a]: param "IMAGE" is declared as string by Task "kaniko", but an array is passed',
      'warning param-enum slow: "slow" is not an allowed value of param "MODE" (fast, safe)',
      'warning object-param-missing-keys branch: main: object param "GIT" misses key url',
      'information unknown-param EXTRA: Task "kaniko" declares no param "EXTRA": Tekton ignores it',
      'warning unknown-workspace sourc: Task "kaniko" declares no workspace "sourc"; did you mean "source"?',
      'warning missing-workspace kaniko: Task "kaniko" needs workspace "source": the run does not bind it',
    ]);
  });

  it('a reference with fields Tekton does not know (Konflux taskRef.version) is not compared with the workspace Task', () => {
    // The schema reports `version` (the webhook decodes strictly); what Tekton would resolve is not this Task, so the
    // params are not compared: one information problem says so. A same-named Task with a plain taskRef is compared.
    const r = resource(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: konflux
spec:
  tasks:
    - name: build
      taskRef:
        name: kaniko
        version: "0.1"
      params:
        - name: IMAGES
          value: x
    - name: build-plain
      taskRef:
        name: kaniko
      params:
        - name: IMAGE
          value: x
        - name: GIT
          value: {url: u}
      workspaces:
        - name: source
          workspace: ws
`);
    const got = lines(r, checkPipelineTasksAgainst(r, (name) => (name === 'kaniko' ? kaniko : undefined)));
    assert.deepEqual(got, [
      'information reference-not-checked kaniko: not checked against Task "kaniko" of the workspace: the reference has field Tekton does not know (version), so it is not resolved as written',
    ]);
    // Without a same-named Task, nothing here (the service's reference-not-checked names it "not in the workspace").
    assert.deepEqual(checkPipelineTasksAgainst(r, () => undefined), []);
    const run = resource('apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: run\nspec:\n  taskRef:\n    name: kaniko\n    version: "0.1"\n');
    assert.deepEqual(
      lines(run, checkRunAgainst(run, (kind, name) => (kind === 'Task' && name === 'kaniko' ? kaniko : undefined))).map((l) => l.split(':')[0]),
      ['information reference-not-checked kaniko'],
    );
  });

  it('a PipelineRun through a resolver gets one information problem', () => {
    const r = resource(
      'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: run\nspec:\n  pipelineRef:\n    resolver: bundles\n    params:\n      - name: bundle\n        value: x\n',
    );
    assert.deepEqual(
      checkRunAgainst(r, () => undefined).map((p) => `${p.severity} ${p.code}`),
      ['information not-checked-remote'],
    );
  });

  it('never throws, even when the resolver does', () => {
    const r = resource(PIPELINE);
    assert.doesNotThrow(() =>
      checkPipelineTasksAgainst(r, () => {
        throw new Error('boom');
      }),
    );
  });
});
