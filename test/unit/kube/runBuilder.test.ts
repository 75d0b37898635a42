/**
 * Runs built from a Pipeline/Task and answers: param questions with types, enums and object properties; answer
 * parsing and validation; every workspace binding; generateName; embedded spec vs cluster reference; re-runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRun,
  checkWorkspace,
  describeRunInputs,
  isRunnable,
  parseParamInput,
  rerunOf,
  validateAnswers,
  type RunAnswers,
} from '../../../server/src/kube/runBuilder';
import type { KubeObject } from '../../../server/src/kube/tektonApi';

const pipeline: KubeObject = {
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name: 'build', namespace: 'ci' },
  spec: {
    params: [
      { name: 'url', type: 'string', description: 'repo' },
      { name: 'env', type: 'string', enum: ['dev', 'prod'], default: 'dev' },
      { name: 'flags', type: 'array', default: [] },
      { name: 'git', type: 'object', properties: { url: { type: 'string' }, revision: { type: 'string' } } },
    ],
    workspaces: [
      { name: 'source' },
      { name: 'cache' },
      { name: 'config' },
      { name: 'creds' },
      { name: 'scratch' },
      { name: 'extra', optional: true },
    ],
    tasks: [{ name: 'clone', taskRef: { name: 'git-clone' } }],
  },
};

const answers: RunAnswers = {
  params: { url: 'https://example.invalid/r.git', flags: ['-v', '--fast'], git: { url: 'u', revision: 'main' } },
  workspaces: {
    source: { type: 'volumeClaimTemplate', size: '1Gi' },
    cache: { type: 'pvc', claimName: 'build-cache' },
    config: { type: 'configMap', name: 'build-config' },
    creds: { type: 'secret', secretName: 'git-creds' },
    scratch: { type: 'emptyDir' },
  },
};

describe('run inputs', () => {
  it('describes params (type, enum, default, properties) and workspaces', () => {
    const inputs = describeRunInputs(pipeline)!;
    assert.deepEqual(
      inputs.params.map((p) => [p.name, p.type, p.required]),
      [
        ['url', 'string', true],
        ['env', 'string', false],
        ['flags', 'array', false],
        ['git', 'object', true],
      ],
    );
    assert.deepEqual(inputs.params[1].enum, ['dev', 'prod']);
    assert.deepEqual(inputs.params[3].properties, ['url', 'revision']);
    assert.deepEqual(inputs.workspaces.map((w) => [w.name, w.optional]).at(-1), ['extra', true]);
    assert.equal(describeRunInputs({ kind: 'PipelineRun' }), undefined);
  });

  it('parses typed answers and rejects what the type or enum does not allow', () => {
    const [url, env, flags, git] = describeRunInputs(pipeline)!.params;
    assert.deepEqual(parseParamInput(url, 'x'), { value: 'x' });
    assert.match(parseParamInput(env, 'staging').error!, /must be one of "dev", "prod"/);
    assert.deepEqual(parseParamInput(env, ''), { value: undefined }, 'empty takes the default');
    assert.deepEqual(parseParamInput(flags, 'a, b'), { value: ['a', 'b'] });
    assert.deepEqual(parseParamInput(flags, '["a,b", "c"]'), { value: ['a,b', 'c'] });
    assert.match(parseParamInput(flags, '[1, 2]').error!, /array of strings/);
    assert.deepEqual(parseParamInput(git, 'url=u,revision=main'), { value: { url: 'u', revision: 'main' } });
    assert.match(parseParamInput(git, 'url=u').error!, /needs the keys revision/);
    assert.match(parseParamInput(git, '{"url":"u","revision":"r","x":"y"}').error!, /no properties x/);
  });

  it('validates missing and unknown answers and workspace values', () => {
    const inputs = describeRunInputs(pipeline)!;
    const problems = validateAnswers(inputs, {
      params: { nope: 'x' },
      workspaces: {
        source: { type: 'volumeClaimTemplate', size: 'lots' },
        cache: { type: 'pvc', claimName: 'Bad_Name' },
      },
    });
    const messages = problems.map((p) => p.message).join('\n');
    assert.match(messages, /param "url" has no default/);
    assert.match(messages, /declares no param "nope"/);
    assert.match(messages, /"lots" is not a storage size/);
    assert.match(messages, /"Bad_Name" is not a valid PersistentVolumeClaim name/);
    assert.match(messages, /workspace "config" is required/);
    assert.doesNotMatch(messages, /"extra"/, 'optional workspaces may stay unbound');
  });

  it('names the value and what it should be for each kind of workspace answer', () => {
    const q = { name: 'w', optional: false };
    assert.equal(checkWorkspace(q, { type: 'emptyDir' }), undefined);
    assert.equal(checkWorkspace(q, { type: 'pvc', claimName: 'data' }), undefined);
    assert.equal(checkWorkspace(q, { type: 'configMap', name: 'Bad' }), 'workspace "w": "Bad" is not a valid ConfigMap name');
    assert.equal(checkWorkspace(q, { type: 'secret', secretName: 'a_b' }), 'workspace "w": "a_b" is not a valid Secret name');
    assert.equal(checkWorkspace(q, { type: 'volumeClaimTemplate', size: '1Gi' }), undefined);
    assert.equal(checkWorkspace(q, undefined), 'workspace "w" is required');
  });

  it('knows which documents Submit Run works on', () => {
    assert.equal(isRunnable({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline' }), true);
    assert.equal(isRunnable({ apiVersion: 'tekton.dev/v1beta1', kind: 'TaskRun' }), true);
    assert.equal(isRunnable({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction' }), false);
    assert.equal(isRunnable({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'Trigger' }), false);
    assert.equal(isRunnable({ apiVersion: 'example.com/v1', kind: 'Pipeline' }), false);
    assert.equal(isRunnable({ kind: 'Task' }), false);
  });
});

describe('buildRun', () => {
  it('builds a PipelineRun with generateName, the embedded spec, params and every kind of workspace', () => {
    const { run, problems } = buildRun(pipeline, answers);
    assert.deepEqual(problems, []);
    assert.deepEqual(run, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'build-run-', namespace: 'ci' },
      spec: {
        pipelineSpec: pipeline.spec,
        params: [
          { name: 'url', value: 'https://example.invalid/r.git' },
          { name: 'flags', value: ['-v', '--fast'] },
          { name: 'git', value: { url: 'u', revision: 'main' } },
        ],
        workspaces: [
          {
            name: 'source',
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          },
          { name: 'cache', persistentVolumeClaim: { claimName: 'build-cache' } },
          { name: 'config', configMap: { name: 'build-config' } },
          { name: 'creds', secret: { secretName: 'git-creds' } },
          { name: 'scratch', emptyDir: {} },
        ],
      },
    });
  });

  it('references the cluster Pipeline/Task by name when asked, and builds TaskRuns from Tasks', () => {
    const pr = buildRun(pipeline, { ...answers, reference: 'cluster', serviceAccountName: 'builder' }).run!;
    assert.deepEqual(pr.spec!.pipelineRef, { name: 'build' });
    assert.deepEqual(pr.spec!.taskRunTemplate, { serviceAccountName: 'builder' });
    const task: KubeObject = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'lint' },
      spec: { params: [{ name: 'p', default: 'x' }], steps: [{ name: 's', image: 'alpine' }] },
    };
    const tr = buildRun(task, { params: {}, workspaces: {}, generateName: 'lint-now-' }).run!;
    assert.equal(tr.kind, 'TaskRun');
    assert.deepEqual(tr.metadata, { generateName: 'lint-now-' });
    assert.deepEqual(tr.spec, { taskSpec: task.spec });
  });

  it('returns problems and no run for invalid answers', () => {
    const built = buildRun(pipeline, { params: {}, workspaces: {} });
    assert.equal(built.run, undefined);
    assert.ok(built.problems.length > 0);
  });

  it('maps fields of the run back to the Pipeline document', () => {
    const { fieldToSource } = buildRun(pipeline, answers);
    assert.equal(fieldToSource('spec.pipelineSpec.tasks[0].taskRef.name'), 'spec.tasks[0].taskRef.name');
    assert.equal(
      fieldToSource('spec.params[1].value'),
      'spec.params[2]',
      'the run param "flags" is the Pipeline param #2',
    );
    assert.equal(fieldToSource('spec.workspaces[0]'), undefined);
  });

  it('re-runs a run: same spec, generateName, no status or cancel request', () => {
    const again = rerunOf({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: {
        name: 'build-run-abcde',
        generateName: 'build-run-',
        namespace: 'ci',
        uid: 'u',
        resourceVersion: '9',
        labels: { 'tekton.dev/pipeline': 'build', team: 'a' },
      },
      spec: { pipelineRef: { name: 'build' }, status: 'Cancelled' },
      status: { conditions: [] },
    });
    assert.deepEqual(again, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'build-run-', namespace: 'ci', labels: { team: 'a' } },
      spec: { pipelineRef: { name: 'build' } },
    });
  });
});
