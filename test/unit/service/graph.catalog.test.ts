import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import type { TaskGraph } from '../../../server/src/graph/model';
import { LanguageService } from '../../../server/src/service/languageService';
import { SHARED_DATA, sharedDataMissing } from '../../helpers/fixtures';

/**
 * The graph of real catalog, example and upstream KFP files. Every expectation was written by reading the file (its
 * tasks, runAfter lists, `$(tasks.X.results...)` references, finally, when, matrix; for KFP the DAGs, componentRefs,
 * dependentTasks, triggerPolicy and iterators), not taken from this code's output.
 */
async function graphOf(path: string, name?: string): Promise<TaskGraph> {
  const service = new LanguageService();
  try {
    const doc = new TektonDocument(pathToFileURL(path).toString(), 1, readFileSync(path, 'utf8'));
    const outcome = await service.getGraph(doc, { name });
    if (!('graph' in outcome)) throw new Error(outcome.error);
    return outcome.graph;
  } finally {
    service.dispose();
  }
}

const nodeSet = (g: TaskGraph) => g.nodes.map((n) => `${n.id}:${n.kind}${n.parent ? `<${n.parent}` : ''}`).sort();
const edgeSet = (g: TaskGraph) => g.edges.map((e) => `${e.from}->${e.to} ${e.kinds.join(',')}`).sort();

interface Case {
  file: string;
  name?: string;
  kind: string;
  nodes: string[];
  edges: string[];
  check?: (g: TaskGraph) => void;
}

const node = (g: TaskGraph, id: string) => g.nodes.find((n) => n.id === id)!;

const TEKTON: Case[] = [
  {
    file: 'catalog/pipeline/buildpacks/0.2/buildpacks.yaml',
    kind: 'Pipeline',
    nodes: ['build-trusted:task', 'build-untrusted:task', 'fetch-from-git:task'],
    edges: ['fetch-from-git->build-trusted runAfter', 'fetch-from-git->build-untrusted runAfter'],
    check: (g) => {
      // Skipped by `when` unless TRUST_BUILDER says otherwise: the two builds are guarded by opposite expressions.
      assert.deepEqual(node(g, 'build-trusted').when, ['$(params.TRUST_BUILDER) in ["true", "yes", "TRUE", "True"]']);
      assert.deepEqual(node(g, 'build-untrusted').when, ['$(params.TRUST_BUILDER) notin ["true", "yes", "TRUE", "True"]']);
      assert.deepEqual(node(g, 'fetch-from-git').when, []);
    },
  },
  {
    file: 'catalog/pipeline/build-push-gke-deploy/0.1/build-push-gke-deploy.yaml',
    kind: 'Pipeline',
    nodes: ['gke-deploy:task', 'kaniko:task'],
    edges: ['kaniko->gke-deploy runAfter'],
    check: (g) => assert.equal(node(g, 'gke-deploy').runs, 'Task gke-deploy'),
  },
  {
    file: 'catalog/task/buildah-manifest-create/0.1/samples/multiarch-matrix-build.yaml',
    kind: 'PipelineRun',
    nodes: ['build-multiarch:task', 'create-manifest-list:task', 'fetch-repository:task', 'push-manifest-list:task'],
    edges: [
      'build-multiarch->create-manifest-list runAfter,params',
      'create-manifest-list->push-manifest-list runAfter,params',
      'fetch-repository->build-multiarch runAfter',
    ],
    check: (g) => {
      assert.deepEqual(node(g, 'build-multiarch').matrix, ['ARCH', 'IMAGE']);
      assert.deepEqual(node(g, 'create-manifest-list').matrix, []);
    },
  },
  {
    file: 'catalog/task/yq/0.5/tests/run.yaml',
    kind: 'Pipeline',
    nodes: ['display-results:finally', 'fetch-repository:task', 'yq-replace:task'],
    edges: ['fetch-repository->yq-replace runAfter'],
    check: (g) => assert.equal(node(g, 'display-results').runs, 'taskSpec'),
  },
  {
    // The PipelineRun of the same file, through its pipelineRef.
    file: 'catalog/task/yq/0.5/tests/run.yaml',
    name: 'yq-pipeline-run',
    kind: 'PipelineRun',
    nodes: ['display-results:finally', 'fetch-repository:task', 'yq-replace:task'],
    edges: ['fetch-repository->yq-replace runAfter'],
  },
  {
    file: 'catalog/task/orka-deploy/0.2/samples/parallel-deploy.yaml',
    kind: 'Pipeline',
    nodes: ['cleanup:finally', 'diskinfo:task', 'ruby:task', 'setup:task'],
    edges: ['setup->diskinfo runAfter', 'setup->ruby runAfter'],
  },
  {
    // Three Tasks come first in the file: the default is the first document that has a graph.
    file: 'triggers-examples/examples/example-pipeline.yaml',
    kind: 'Pipeline',
    nodes: ['git-clone:task', 'say-bye:task', 'say-hello:task', 'say-message:task'],
    edges: ['git-clone->say-hello runAfter', 'say-hello->say-message runAfter', 'say-message->say-bye runAfter'],
  },
  {
    file: 'catalog/task/gitleaks/0.1/tests/run.yaml',
    name: 'gitleaks-pipelinerun-3',
    kind: 'PipelineRun',
    nodes: ['clone-git-repo:task', 'secret-detection:task'],
    edges: ['clone-git-repo->secret-detection runAfter'],
  },
  {
    file: 'catalog/task/pull-request/0.2/samples/add-comment.yaml',
    kind: 'PipelineRun',
    nodes: [
      'add-comment:task',
      'check-count:task',
      'clear-workspace-after:task',
      'clear-workspace-before:task',
      'count-comments-after:task',
      'count-comments-before:task',
      'pull-request-fetch-after:task',
      'pull-request-fetch:task',
      'pull-request-update:task',
    ],
    edges: [
      'add-comment->pull-request-update runAfter',
      'clear-workspace-after->pull-request-fetch-after runAfter',
      'clear-workspace-before->pull-request-fetch runAfter',
      'count-comments-after->check-count runAfter,params',
      'count-comments-before->add-comment runAfter',
      'count-comments-before->check-count params',
      'pull-request-fetch->count-comments-before runAfter',
      'pull-request-fetch-after->count-comments-after runAfter',
      'pull-request-update->clear-workspace-after runAfter',
    ],
  },
  {
    file: 'catalog/task/rhacs-generic/0.1/samples/pipeline.yaml',
    kind: 'Pipeline',
    nodes: [
      'build-image:task',
      'create-access-scope:task',
      'fetch-central-ca:task',
      'fetch-repository:task',
      'police-deployment:task',
      'police-image:task',
      'scan-image:task',
    ],
    edges: [
      'build-image->police-deployment runAfter',
      'build-image->police-image params',
      'build-image->scan-image runAfter,params',
      'fetch-central-ca->fetch-repository runAfter',
      'fetch-repository->build-image runAfter',
      'fetch-repository->create-access-scope runAfter',
      'fetch-repository->police-deployment runAfter',
      'scan-image->police-image runAfter',
    ],
    check: (g) => assert.equal(node(g, 'build-image').runs, 'ClusterTask buildah'),
  },
  {
    file: 'catalog/task/kaniko/0.7/tests/run.yaml',
    kind: 'Pipeline',
    nodes: ['fetch-repository:task', 'kaniko:task', 'verify-digest:task', 'verify-url:task'],
    edges: ['fetch-repository->kaniko runAfter', 'kaniko->verify-digest runAfter,params', 'kaniko->verify-url runAfter,params'],
  },
];

const KFP_DIR = 'kfp/test_data/sdk_compiled_pipelines/valid';

const KFP: Case[] = [
  {
    file: `${KFP_DIR}/two_step_pipeline.yaml`,
    kind: 'PipelineSpec',
    nodes: ['read-from-gcs:task', 'write-to-gcs:task'],
    edges: ['write-to-gcs->read-from-gcs dependentTasks'],
  },
  {
    file: `${KFP_DIR}/pipeline_with_task_final_status.yaml`,
    kind: 'PipelineSpec',
    nodes: ['exit-handler-1/fail-op:task<exit-handler-1', 'exit-handler-1/print-op:task<exit-handler-1', 'exit-handler-1:dag', 'exit-op:task'],
    edges: ['exit-handler-1->exit-op dependentTasks'],
    // ALL_UPSTREAM_TASKS_COMPLETED is a strategy, not a condition: nothing to show as `when`.
    check: (g) => assert.deepEqual(node(g, 'exit-op').when, []),
  },
  {
    file: `${KFP_DIR}/pipeline_with_nested_loops.yaml`,
    kind: 'PipelineSpec',
    nodes: [
      'for-loop-1/for-loop-2/print-op:task<for-loop-1/for-loop-2',
      'for-loop-1/for-loop-2:dag<for-loop-1',
      'for-loop-1:dag',
      'for-loop-4/for-loop-6/print-op-3:task<for-loop-4/for-loop-6',
      'for-loop-4/for-loop-6:dag<for-loop-4',
      'for-loop-4/print-op-2:task<for-loop-4',
      'for-loop-4:dag',
    ],
    edges: [],
    check: (g) => {
      assert.equal(node(g, 'for-loop-1').loop, 'for pipelinechannel--loop_parameter-loop-item in input pipelinechannel--loop_parameter');
      assert.equal(node(g, 'for-loop-4/for-loop-6').loop, 'for pipelinechannel--loop-item-param-5 in ["100", "200", "300"]');
      assert.equal(node(g, 'for-loop-4/print-op-2').loop, undefined);
    },
  },
  {
    file: `${KFP_DIR}/conditional_producer_and_consumers.yaml`,
    kind: 'PipelineSpec',
    nodes: [
      'condition-4/add:task<condition-4',
      'condition-4:dag',
      'for-loop-2/condition-3/double:task<for-loop-2/condition-3',
      'for-loop-2/condition-3:dag<for-loop-2',
      'for-loop-2:dag',
    ],
    edges: ['for-loop-2->condition-4 dependentTasks'],
    check: (g) => {
      assert.deepEqual(node(g, 'condition-4').when, ["int(inputs.parameter_values['pipelinechannel--threshold']) == 2"]);
      assert.deepEqual(node(g, 'for-loop-2/condition-3').when, [
        "int(inputs.parameter_values['pipelinechannel--loop-item-param-1']) >= int(inputs.parameter_values['pipelinechannel--threshold'])",
      ]);
      assert.equal(node(g, 'for-loop-2').loop, 'for pipelinechannel--loop-item-param-1 in [1, 2, 3]');
    },
  },
  {
    file: `${KFP_DIR}/cross_loop_after_topology.yaml`,
    kind: 'PipelineSpec',
    nodes: [
      'for-loop-10/print-op-5:task<for-loop-10',
      'for-loop-10:dag',
      'for-loop-12/for-loop-14/print-op-7:task<for-loop-12/for-loop-14',
      'for-loop-12/for-loop-14:dag<for-loop-12',
      'for-loop-12/print-op-8:task<for-loop-12',
      'for-loop-12:dag',
      'for-loop-2/print-op:task<for-loop-2',
      'for-loop-2:dag',
      'for-loop-4/print-op-2:task<for-loop-4',
      'for-loop-4:dag',
      'for-loop-6/for-loop-8/print-op-4:task<for-loop-6/for-loop-8',
      'for-loop-6/for-loop-8:dag<for-loop-6',
      'for-loop-6/print-op-3:task<for-loop-6',
      'for-loop-6:dag',
      'print-op-6:task',
    ],
    edges: [
      'for-loop-10->print-op-6 dependentTasks',
      'for-loop-12/for-loop-14->for-loop-12/print-op-8 dependentTasks',
      'for-loop-2->for-loop-4 dependentTasks',
      'for-loop-6/print-op-3->for-loop-6/for-loop-8 dependentTasks',
    ],
  },
];

describe('graph of catalog and example Pipelines', { skip: sharedDataMissing() }, () => {
  for (const c of TEKTON)
    it(`${c.file}${c.name ? ` (${c.name})` : ''}`, async (t) => {
      const path = join(SHARED_DATA, c.file);
      if (!existsSync(path)) return t.skip(`${c.file} is not in ../shared/data`);
      const g = await graphOf(path, c.name);
      assert.equal(g.kind, c.kind);
      assert.deepEqual(nodeSet(g), c.nodes);
      assert.deepEqual(edgeSet(g), c.edges);
      assert.ok(g.edges.every((e) => node(g, e.from).kind !== 'finally' && node(g, e.to).kind !== 'finally'), 'finally tasks get no edges');
      assert.ok(g.nodes.every((n) => !n.inCycle));
      c.check?.(g);
    });
});

describe('graph of upstream compiled Kubeflow pipelines', { skip: sharedDataMissing() }, () => {
  for (const c of KFP)
    it(c.file.split('/').pop()!, async (t) => {
      const path = join(SHARED_DATA, c.file);
      if (!existsSync(path)) return t.skip(`${c.file} is not in ../shared/data`);
      const g = await graphOf(path);
      assert.equal(g.kind, c.kind);
      assert.deepEqual(nodeSet(g), c.nodes);
      assert.deepEqual(edgeSet(g), c.edges);
      c.check?.(g);
    });
});
