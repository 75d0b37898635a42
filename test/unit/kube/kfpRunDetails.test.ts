/**
 * What a KFP run did (kfpRunDetails.ts) against the KFP test double in both API generations: tasks with their
 * artifacts (released servers: ids in task_details resolved through /artifacts/{id}; newer servers: tasks and
 * artifacts inline with view=FULL), metrics, lineage (artifact_tasks, or the experiment's runs), and the compare rows.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KfpApi } from '../../../server/src/kube/kfpApi';
import { artifactLineage, compareRuns, readRunView, runMetrics } from '../../../server/src/kube/kfpRunDetails';
import { FakeKfpServer } from '../../kube/fakeKfpServer';

/** train → model (system.Model), metrics (system.Metrics); evaluate reads train's model. */
const SPEC = {
  pipelineInfo: { name: 'train-eval' },
  schemaVersion: '2.1.0',
  root: {
    inputDefinitions: { parameters: { lr: { parameterType: 'NUMBER_DOUBLE', defaultValue: 0.1 } } },
    dag: {
      tasks: {
        train: { taskInfo: { name: 'train' }, componentRef: { name: 'comp-train' } },
        evaluate: {
          taskInfo: { name: 'evaluate' },
          componentRef: { name: 'comp-evaluate' },
          dependentTasks: ['train'],
          inputs: { artifacts: { model: { taskOutputArtifact: { producerTask: 'train', outputArtifactKey: 'model' } } } },
        },
      },
    },
  },
  components: {
    'comp-train': {
      executorLabel: 'exec-train',
      outputDefinitions: {
        artifacts: {
          model: { artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } },
          metrics: { artifactType: { schemaTitle: 'system.Metrics', schemaVersion: '0.0.1' } },
        },
      },
    },
    'comp-evaluate': {
      executorLabel: 'exec-evaluate',
      inputDefinitions: { artifacts: { model: { artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } } } },
    },
  },
  deploymentSpec: { executors: {} },
};

async function runToEnd(api: KfpApi, lr: number, experimentId?: string): Promise<string> {
  const run = await api.createRun({
    display_name: `lr ${lr}`,
    pipeline_spec: SPEC,
    runtime_config: { parameters: { lr } },
    ...(experimentId ? { experiment_id: experimentId } : {}),
  });
  for (let i = 0; i < 10 && (await api.getRun(run.run_id)).state !== 'SUCCEEDED'; i++);
  return run.run_id;
}

for (const generation of ['mlmd', 'tasks'] as const) {
  describe(`kfpRunDetails (${generation === 'mlmd' ? 'released servers: task_details + /artifacts/{id}' : 'after the MLMD removal: tasks with view=FULL'})`, () => {
    let kfp: FakeKfpServer;
    let api: KfpApi;
    before(async () => {
      kfp = new FakeKfpServer({ generation });
      await kfp.start();
      api = new KfpApi({ kind: 'endpoint', url: kfp.url });
      kfp.metrics = { train: { accuracy: 0.91, loss: 0.2 } };
    });
    after(() => kfp.close());

    it('lists each task with its input and output artifacts: key, type, URI; the consumer sees the producer\'s artifact', async () => {
      const id = await runToEnd(api, 0.1);
      const view = await readRunView(api, id);
      assert.equal(view.tasksKnown, true);
      assert.deepEqual(view.tasks.map((t) => [t.name, t.state]), [['train', 'SUCCEEDED'], ['evaluate', 'SUCCEEDED']]);
      const [train, evaluate] = view.tasks;
      assert.deepEqual(train.outputs.artifacts.map((a) => [a.key, a.type]), [['model', 'system.Model'], ['metrics', 'system.Metrics']]);
      const model = train.outputs.artifacts[0];
      assert.match(model.uri ?? '', new RegExp(`^minio://mlpipeline/v2/artifacts/train-eval/${id}/train/model$`));
      assert.equal(evaluate.inputs.artifacts.length, 1);
      assert.equal(evaluate.inputs.artifacts[0].id, model.id);
      assert.equal(evaluate.inputs.artifacts[0].uri, model.uri);
      assert.match(train.podName ?? '', /-train-executor$/);
      if (generation === 'tasks') {
        assert.ok(kfp.sent('GET', `/apis/v2beta1/runs/${id}`).some((r) => r.query.view === 'FULL'));
        assert.deepEqual(Object.fromEntries(runMetrics(view.tasks)), { 'train/accuracy': 0.91, 'train/loss': 0.2 });
      } else {
        assert.equal(kfp.sent('GET').filter((r) => r.path.startsWith('/apis/v2beta1/artifacts/')).length, 2, 'each artifact id read once');
        assert.deepEqual(Object.fromEntries(runMetrics(view.tasks)), {}, 'released servers keep metric values in ML Metadata');
      }
    });

    it('a poll reads each artifact once and, on a newer server, asks for the full view at once', async () => {
      const id = await runToEnd(api, 0.3);
      const artifacts = new Map();
      const first = await readRunView(api, id, { artifacts });
      assert.equal(first.full, generation === 'tasks');
      kfp.requests.length = 0;
      const again = await readRunView(api, id, { artifacts, full: first.full });
      assert.deepEqual(again.tasks.map((t) => t.outputs.artifacts.map((a) => a.type)), first.tasks.map((t) => t.outputs.artifacts.map((a) => a.type)));
      assert.deepEqual(kfp.requests.map((r) => `${r.method} ${r.path}${r.query.view ? `?view=${r.query.view}` : ''}`), [
        `GET /apis/v2beta1/runs/${id}${generation === 'tasks' ? '?view=FULL' : ''}`,
      ]);
    });

    it('a run of an uploaded pipeline version: its tasks and graph spec come from the version, read once', async () => {
      const ref = kfp.addPipelineVersion(SPEC);
      const created = await api.createRun({ display_name: 'from a version', pipeline_version_reference: ref, runtime_config: { parameters: { lr: 0.2 } } });
      assert.equal(created.pipeline_spec, undefined, 'the server sends the reference, not the spec');
      for (let i = 0; i < 10 && (await api.getRun(created.run_id)).state !== 'SUCCEEDED'; i++);
      const versions = new Map();
      const view = await readRunView(api, created.run_id, { versions });
      assert.equal(view.specError, undefined);
      assert.deepEqual((view.run.pipeline_spec as { pipelineInfo?: { name?: string } }).pipelineInfo?.name, 'train-eval');
      assert.deepEqual(view.tasks.map((t) => [t.name, t.outputs.artifacts.map((a) => a.type)]), [
        ['train', ['system.Model', 'system.Metrics']],
        ['evaluate', []],
      ]);
      kfp.requests.length = 0;
      await readRunView(api, created.run_id, { versions, full: view.full });
      assert.equal(kfp.sent('GET').filter((r) => r.path.includes('/versions/')).length, 0, 'the version is read once');
    });

    it('a run whose pipeline version is gone says why it has no spec, and still lists its tasks', async () => {
      const ref = kfp.addPipelineVersion(SPEC);
      const created = await api.createRun({ display_name: 'version deleted', pipeline_version_reference: ref });
      kfp.pipelineVersions.clear();
      const view = await readRunView(api, created.run_id);
      assert.match(view.specError ?? '', /pipeline version could not be read: .*not found/i);
      assert.equal(view.run.pipeline_spec, undefined);
    });

    it('finds the producer and the consumers of an artifact, run by run', async () => {
      const exp = kfp.addExperiment(`lineage-${generation}`);
      const first = await runToEnd(api, 0.1, exp.experiment_id);
      const second = await runToEnd(api, 0.2, exp.experiment_id);
      const view = await readRunView(api, first);
      const model = view.tasks[0].outputs.artifacts[0];
      const lineage = await artifactLineage(api, view.run, model.id!);
      assert.equal(lineage.scope, generation === 'tasks' ? 'artifact-tasks' : 'experiment');
      assert.deepEqual(lineage.producer && [lineage.producer.runId, lineage.producer.task, lineage.producer.key], [first, 'train', 'model']);
      assert.deepEqual(lineage.consumers.map((c) => [c.runId, c.task, c.key]), [[first, 'evaluate', 'model']]);
      assert.notEqual(second, first);
    });

    it('compares runs: state, parameters and metrics, marking what differs', async () => {
      const a = await readRunView(api, await runToEnd(api, 0.1));
      const b = await readRunView(api, await runToEnd(api, 0.5));
      const rows = compareRuns([a, b]);
      const lr = rows.find((r) => r.section === 'parameter' && r.name === 'lr');
      assert.deepEqual(lr && [lr.values, lr.differs], [[0.1, 0.5], true]);
      const state = rows.find((r) => r.name === 'state');
      assert.deepEqual(state && [state.values, state.differs], [['SUCCEEDED', 'SUCCEEDED'], false]);
      const metric = rows.filter((r) => r.section === 'metric').map((r) => r.name);
      assert.deepEqual(metric, generation === 'tasks' ? ['train/accuracy', 'train/loss'] : []);
    });
  });
}
