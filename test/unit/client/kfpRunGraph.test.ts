import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { kfpRunDocument, kfpRunStatus } from '../../../client/src/graph/kfpRunGraph';
import { graphSvg } from '../../../client/src/graph/svg';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import type { KfpRun } from '../../../server/src/kube/kfpApi';
import type { KfpTaskView } from '../../../server/src/kube/kfpRunDetails';
import { LanguageService } from '../../../server/src/service/languageService';

/**
 * A compiled pipeline as the KFP API returns it in a run's `pipeline_spec`: train → evaluate → a condition whose
 * sub-DAG has its own `train` (the same task name in two DAGs) and a deploy, and a loop over print-text.
 */
const IR = {
  pipelineInfo: { name: 'train-eval' },
  schemaVersion: '2.1.0',
  sdkVersion: 'kfp-2.13.0',
  components: {
    'comp-train': { executorLabel: 'exec-train' },
    'comp-evaluate': { executorLabel: 'exec-evaluate' },
    'comp-deploy': { executorLabel: 'exec-deploy' },
    'comp-print-text': { executorLabel: 'exec-print-text' },
    'comp-condition-1': {
      dag: {
        tasks: {
          train: { componentRef: { name: 'comp-train' }, taskInfo: { name: 'train' } },
          deploy: { componentRef: { name: 'comp-deploy' }, dependentTasks: ['train'], taskInfo: { name: 'deploy' } },
        },
      },
    },
    'comp-for-loop-2': {
      dag: { tasks: { 'print-text': { componentRef: { name: 'comp-print-text' }, taskInfo: { name: 'print-text' } } } },
      inputDefinitions: { parameters: { 'pipelinechannel--loop-item-param-1': { parameterType: 'STRING' } } },
    },
  },
  deploymentSpec: {
    executors: Object.fromEntries(
      ['train', 'evaluate', 'deploy', 'print-text'].map((n) => [`exec-${n}`, { container: { image: 'python:3.11', command: [n] } }]),
    ),
  },
  root: {
    dag: {
      tasks: {
        train: { componentRef: { name: 'comp-train' }, taskInfo: { name: 'train' } },
        evaluate: { componentRef: { name: 'comp-evaluate' }, dependentTasks: ['train'], taskInfo: { name: 'evaluate' } },
        'condition-1': {
          componentRef: { name: 'comp-condition-1' },
          dependentTasks: ['evaluate'],
          taskInfo: { name: 'condition-1' },
          triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--flag'] == 'go'" },
        },
        'for-loop-2': {
          componentRef: { name: 'comp-for-loop-2' },
          taskInfo: { name: 'for-loop-2' },
          parameterIterator: { itemInput: 'pipelinechannel--loop-item-param-1', items: { raw: '["a", "b"]' } },
        },
      },
    },
  },
};

function kfpRun(state: KfpRun['state'], extra: Partial<KfpRun> = {}): KfpRun {
  return { run_id: 'r-1', display_name: 'nightly', state, pipeline_spec: IR, ...extra };
}

const T0 = '2025-01-01T10:00:00Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
function task(id: string, name: string, state: string, parentId?: string, seconds?: number): KfpTaskView {
  return {
    id,
    name,
    state,
    parentId,
    startTime: T0,
    endTime: seconds === undefined ? undefined : at(seconds),
    inputs: { parameters: [], artifacts: [] },
    outputs: { parameters: [], artifacts: [] },
  };
}

/** The graph the server draws for the run, from the text the panel sends. */
async function graphOf(run: KfpRun) {
  const doc = kfpRunDocument(run);
  assert.ok('text' in doc, `a document: ${JSON.stringify(doc)}`);
  const service = new LanguageService();
  try {
    const outcome = await service.getGraph(new TektonDocument('kfp-run:/r-1', 1, doc.text), {});
    if (!('graph' in outcome)) throw new Error(outcome.error);
    return outcome.graph;
  } finally {
    service.dispose();
  }
}

describe('KFP run graph', () => {
  it('sends the IR of the run as text the server draws, nested DAGs as groups', async () => {
    const g = await graphOf(kfpRun('RUNNING'));
    assert.equal(g.kind, 'PipelineSpec');
    assert.deepEqual(g.nodes.map((n) => `${n.id}:${n.kind}`).sort(), [
      'condition-1/deploy:task',
      'condition-1/train:task',
      'condition-1:dag',
      'evaluate:task',
      'for-loop-2/print-text:task',
      'for-loop-2:dag',
      'train:task',
    ]);
    assert.deepEqual(g.edges.map((e) => `${e.from}->${e.to}`).sort(), ['condition-1/train->condition-1/deploy', 'evaluate->condition-1', 'train->evaluate']);
  });

  it('unwraps {pipeline_spec, platform_spec} as the API sends it for a pipeline with a platform spec', () => {
    const doc = kfpRunDocument(kfpRun('RUNNING', { pipeline_spec: { pipeline_spec: IR, platform_spec: { platforms: {} } } }));
    assert.deepEqual(doc, { text: JSON.stringify(IR) });
  });

  it('says why there is no graph: a run from a pipeline version not (yet) read, or no spec at all', () => {
    const fromVersion = kfpRun('RUNNING', { pipeline_spec: undefined, pipeline_version_reference: { pipeline_id: 'p' } });
    assert.deepEqual(kfpRunDocument(fromVersion), {
      error: 'Kubeflow Pipelines run "nightly" was created from a pipeline version; its spec has not been read yet, so there is no graph to draw.',
    });
    assert.deepEqual(kfpRunDocument(fromVersion, 'its pipeline version could not be read: not found'), {
      error: 'Kubeflow Pipelines run "nightly" was created from a pipeline version; its pipeline version could not be read: not found, so there is no graph to draw.',
    });
    assert.deepEqual(kfpRunDocument(kfpRun('RUNNING', { pipeline_spec: { pipelineInfo: { name: 'x' } } })), {
      error: 'Kubeflow Pipelines run "nightly": the server sent no pipeline spec (pipeline_spec with a root DAG), so there is no graph to draw.',
    });
  });

  it('colours each node by its tasks: same names told apart by parent, loop iterations merged worst-first', async () => {
    const run = kfpRun('RUNNING');
    const g = await graphOf(run);
    const tasks = [
      task('t0', 'root', 'RUNNING'),
      task('t1', 'train', 'SUCCEEDED', 't0', 60),
      task('t2', 'evaluate', 'CACHED', 't0', 0),
      task('t3', 'condition-1', 'RUNNING', 't0'),
      task('t4', 'train', 'RUNNING', 't3'),
      task('t5', 'for-loop-2', 'RUNNING', 't0'),
      task('t6', 'print-text', 'SUCCEEDED', 't5', 10),
      task('t7', 'print-text', 'FAILED', 't5', 30),
    ];
    const status = kfpRunStatus(g, run, tasks, Date.parse(at(90)));
    assert.deepEqual(status, {
      train: { state: 'succeeded', reason: undefined, durationMs: 60_000, taskRuns: 1 },
      evaluate: { state: 'succeeded', reason: 'cached', durationMs: 0, taskRuns: 1 },
      'condition-1': { state: 'running', reason: undefined, durationMs: 90_000, taskRuns: 1 },
      'condition-1/train': { state: 'running', reason: undefined, durationMs: 90_000, taskRuns: 1 },
      'condition-1/deploy': { state: 'pending' },
      'for-loop-2': { state: 'running', reason: undefined, durationMs: 90_000, taskRuns: 1 },
      'for-loop-2/print-text': { state: 'failed', reason: undefined, durationMs: 30_000, taskRuns: 2 },
    });
    // the drawing carries the states as classes the webview's stylesheet paints
    const svg = graphSvg(
      { ...g, nodes: g.nodes.map((n) => ({ ...n, range: undefined, nameRange: undefined })) } as never,
      { width: 100, height: 100, nodes: g.nodes.map((n) => ({ id: n.id, x: 0, y: 0, width: 10, height: 10, group: n.kind === 'dag' })), edges: [] },
      status,
    );
    assert.match(svg, /class="node task status-failed[^"]*" data-id="for-loop-2\/print-text"/);
    assert.match(svg, /class="node task status-pending[^"]*" data-id="condition-1\/deploy"/);
  });

  it('a task whose parent the server did not report is matched by name alone', async () => {
    const run = kfpRun('RUNNING');
    const g = await graphOf(run);
    const status = kfpRunStatus(g, run, [task('t4', 'deploy', 'RUNNING', 'gone')], Date.parse(at(3)));
    assert.deepEqual(status['condition-1/deploy'], { state: 'running', reason: undefined, durationMs: 3000, taskRuns: 1 });
  });

  it('once the run is over, a node with no task did not run', async () => {
    const run = kfpRun('FAILED');
    const g = await graphOf(run);
    const status = kfpRunStatus(g, run, [task('t0', 'root', 'FAILED'), task('t1', 'train', 'FAILED', 't0', 5)]);
    assert.deepEqual(status.train, { state: 'failed', reason: undefined, durationMs: 5000, taskRuns: 1 });
    assert.deepEqual(status['condition-1/deploy'], { state: 'skipped', reason: 'did not run' });
    // the root train is not the condition's: its task, placed under the server's root, does not colour condition-1/train
    assert.deepEqual(status['condition-1/train'], { state: 'skipped', reason: 'did not run' });
  });
});
