import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findRun, runDocument, runStatus, unreached } from '../../../client/src/graph/runGraph';
import { graphSvg, nodeDetails } from '../../../client/src/graph/svg';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import type { RunNode } from '../../../server/src/kube/watcher';
import { LanguageService } from '../../../server/src/service/languageService';

const PIPELINE_SPEC = {
  tasks: [
    { name: 'clone', taskRef: { name: 'git-clone' } },
    { name: 'build', runAfter: ['clone'], matrix: { params: [{ name: 'arch', value: ['amd64', 'arm64'] }] }, taskRef: { name: 'b' } },
    { name: 'deploy', runAfter: ['build'], when: [{ input: 'x', operator: 'in', values: ['y'] }], taskRef: { name: 'd' } },
    { name: 'notify', runAfter: ['build'], taskRef: { name: 'n' } },
  ],
  finally: [{ name: 'report', taskRef: { name: 'r' } }],
};

function taskRun(task: string, name: string, state: RunNode['state'], durationMs?: number, reason?: string): RunNode {
  return {
    kind: 'TaskRun',
    apiVersion: 'tekton.dev/v1',
    name,
    namespace: 'ci',
    state,
    reason,
    durationMs,
    submittedHere: false,
    pipelineTaskName: task,
    children: [],
    steps: [],
    object: {} as RunNode['object'],
  };
}

/** A PipelineRun as the watches hold it: referenced Pipeline resolved into status.pipelineSpec, some TaskRuns done. */
function run(state: RunNode['state'], children: RunNode[]): RunNode {
  return {
    kind: 'PipelineRun',
    apiVersion: 'tekton.dev/v1',
    name: 'release-42',
    namespace: 'ci',
    state,
    submittedHere: false,
    children,
    steps: [],
    object: {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'release-42', namespace: 'ci', managedFields: [{ manager: 'controller' }], uid: 'u' },
      spec: { pipelineRef: { name: 'release' }, params: [{ name: 'rev', value: 'main' }] },
      status: {
        pipelineSpec: PIPELINE_SPEC,
        skippedTasks: [{ name: 'deploy', reason: 'When Expressions evaluated to false' }],
        conditions: [{ type: 'Succeeded', status: 'Unknown' }],
      },
    } as unknown as RunNode['object'],
  };
}

const children = [
  taskRun('clone', 'release-42-clone', 'succeeded', 12_000),
  taskRun('build', 'release-42-build-0', 'succeeded', 30_000),
  taskRun('build', 'release-42-build-1', 'failed', 45_000, 'Failed'),
];

describe('the graph of a live run', () => {
  it('sends the run with the Pipeline Tekton resolved, without status and managed fields', () => {
    const doc = JSON.parse(runDocument(run('running', children))!);
    assert.deepEqual(doc, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'release-42', namespace: 'ci' },
      spec: { params: [{ name: 'rev', value: 'main' }], pipelineSpec: PIPELINE_SPEC },
    });
    const unresolved = run('pending', []);
    delete (unresolved.object as unknown as { status: Record<string, unknown> }).status.pipelineSpec;
    assert.equal(runDocument(unresolved), undefined, 'nothing to draw before the Pipeline is resolved');
  });

  it('colours each task by its TaskRuns (the worst of a matrix), skipped tasks by Tekton, the rest by the run', () => {
    const r = run('running', children);
    const status = runStatus(r);
    assert.deepEqual(status, {
      clone: { state: 'succeeded', reason: undefined, durationMs: 12_000, taskRuns: 1 },
      build: { state: 'failed', reason: 'Failed', durationMs: 45_000, taskRuns: 2 },
      deploy: { state: 'skipped', reason: 'When Expressions evaluated to false' },
    });
    assert.deepEqual(unreached(r), { state: 'pending' });
    assert.deepEqual(unreached(run('failed', children)), { state: 'skipped', reason: 'did not run' });
    assert.equal(findRun([r], 'ci', 'release-42'), r);
    assert.equal(findRun([r], 'other', 'release-42'), undefined);
  });

  it('draws the run through the server with status classes and details', async () => {
    const r = run('running', children);
    const service = new LanguageService();
    const result = await service.graphRequest(new TektonDocument('tekton-run:/ci/release-42', 0, runDocument(r)!), undefined, undefined, true);
    service.dispose();
    assert.ok(result.graph && result.layout, JSON.stringify(result));
    const known = runStatus(r);
    const status = Object.fromEntries(result.graph.nodes.map((n) => [n.id, known[n.id] ?? unreached(r)]));
    const svg = graphSvg(result.graph, result.layout, status);
    const classes = Object.fromEntries([...svg.matchAll(/<g class="node ([^"]+)" data-id="([^"]+)"/g)].map((m) => [m[2], m[1]]));
    assert.deepEqual(classes, {
      clone: 'task status-succeeded',
      build: 'task status-failed matrix',
      deploy: 'task status-skipped conditional',
      notify: 'task status-pending',
      report: 'finally status-pending',
    });
    const build = result.graph.nodes.find((n) => n.id === 'build')!;
    assert.equal(nodeDetails(build, status.build)[1], 'status: failed after 45s, 2 TaskRuns (Failed)');
  });
});
