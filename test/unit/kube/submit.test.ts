/**
 * The submission flow against the test double: dry run → confirmation naming context, cluster, namespace and
 * resources → create; for a run document, a run built from a Pipeline and a simulation's rendered resources. Nothing
 * is created without the confirmation; API errors are placed in the source document; untrusted workspaces are refused.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readResources } from '../../../server/src/kube/fieldMapping';
import { loadKubeconfig, resolveContext } from '../../../server/src/kube/kubeconfig';
import { buildRun, rerunOf } from '../../../server/src/kube/runBuilder';
import {
  describeSummary,
  itemsFromSimulation,
  submit,
  type SubmitHooks,
  type SubmitItem,
  type SubmitSummary,
} from '../../../server/src/kube/submit';
import { TektonApi, type KubeObject } from '../../../server/src/kube/tektonApi';
import type { FakeApiServer } from '../../kube/fakeApiServer';
import { startFakeServer, tempDir, writeKubeconfig } from '../../kube/fixtures';

let server: FakeApiServer;
let api: TektonApi;
const tmp = tempDir();

before(async () => {
  server = await startFakeServer();
  const path = writeKubeconfig(tmp.path, server.url, { namespace: 'default' });
  api = new TektonApi(resolveContext(loadKubeconfig({ env: { KUBECONFIG: path } })));
});
after(async () => {
  await server.close();
  tmp.dispose();
});
beforeEach(() => {
  server.requests.length = 0;
});

const runDoc = `# a run to submit
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: hello-run-
spec:
  pipelineRef:
    name: hello
  params:
    - name: greeting
      value: hi
    - name: count
      value: 3
`;

function hooks(answer: boolean, seen: SubmitSummary[] = [], trusted = true): SubmitHooks {
  return {
    isTrusted: () => trusted,
    confirm: async (s) => {
      seen.push(s);
      return answer;
    },
  };
}

function docItem(text: string, index = 0): SubmitItem {
  const r = readResources(text)[index];
  return { object: r.object as KubeObject, source: { text, documentIndex: r.index } };
}

describe('submit', () => {
  it('submits a PipelineRun document: dry run, confirmation naming context/cluster/namespace/resources, create', async () => {
    const seen: SubmitSummary[] = [];
    const stages: string[] = [];
    const result = await submit(api, [docItem(runDoc)], { ...hooks(true, seen), onStage: (s) => stages.push(s) });
    assert.equal(result.outcome, 'created');
    assert.deepEqual(stages, ['dry-run', 'confirm', 'create']);
    const summary = seen[0];
    assert.equal(summary.context, 'bob-token');
    assert.equal(summary.cluster, 'fake');
    assert.equal(summary.server, server.url);
    assert.equal(summary.namespace, 'default');
    assert.deepEqual(
      summary.resources.map((r) => [r.kind, r.namespace, r.generateName]),
      [['PipelineRun', 'default', 'hello-run-']],
    );
    assert.match(summary.resources[0].dryRunName!, /^hello-run-/);
    assert.match(summary.warnings[0], /Pipeline "hello" does not exist in namespace "default"/);
    const text = describeSummary(summary);
    assert.match(text, /context "bob-token" \(cluster "fake"/);
    assert.match(text, /PipelineRun "hello-run-…" in namespace "default"/);
    const creates = server.requests.filter((r) => r.verb === 'create');
    assert.deepEqual(
      creates.map((r) => r.dryRun),
      [true, false],
      'the dry run comes first',
    );
    if (result.outcome === 'created') assert.ok(server.get('PipelineRun', result.created[0].metadata!.name!));
  });

  it('creates nothing when the confirmation is declined: the server saw only the dry run', async () => {
    const before = server.all('PipelineRun').length;
    const result = await submit(api, [docItem(runDoc)], hooks(false));
    assert.equal(result.outcome, 'cancelled');
    const creates = server.requests.filter((r) => r.verb === 'create');
    assert.equal(creates.length, 1);
    assert.equal(creates[0].query.dryRun, 'All');
    assert.equal(server.all('PipelineRun').length, before, 'nothing stored');
  });

  it('refuses in an untrusted workspace, before any request', async () => {
    const result = await submit(api, [docItem(runDoc)], hooks(true, [], false));
    assert.equal(result.outcome, 'failed');
    if (result.outcome === 'failed') {
      assert.equal(result.error.kind, 'untrusted');
      assert.equal(result.stage, 'check');
    }
    assert.equal(server.requests.length, 0);
  });

  it('places dry-run 422 causes in the document and asks no confirmation', async () => {
    server.validate('PipelineRun', (o) =>
      (o.spec?.params ?? []).flatMap((p: { value?: unknown }, i: number) =>
        typeof p.value === 'number'
          ? [{ field: `spec.params[${i}].value`, message: 'Invalid value: "integer": must be of type string' }]
          : [],
      ),
    );
    try {
      const seen: SubmitSummary[] = [];
      const result = await submit(api, [docItem(runDoc)], hooks(true, seen));
      assert.equal(result.outcome, 'failed');
      assert.equal(seen.length, 0, 'no confirmation after a failed dry run');
      if (result.outcome !== 'failed') return;
      assert.equal(result.stage, 'dry-run');
      assert.equal(result.error.kind, 'invalid');
      const loc = result.causes?.[0].location;
      assert.equal(runDoc.slice(loc!.start, loc!.end), '3');
      assert.equal(loc!.exact, true);
      assert.equal(server.creates.length, 0);
    } finally {
      server.validate('PipelineRun', () => []);
    }
  });

  it('builds a PipelineRun from a Pipeline and answers, and maps errors in the embedded spec to the Pipeline', async () => {
    const pipelineDoc = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  params:
    - name: url
  workspaces:
    - name: source
  tasks:
    - name: Clone
      taskRef:
        name: git-clone
`;
    const pipeline = readResources(pipelineDoc)[0].object as KubeObject;
    const built = buildRun(pipeline, {
      params: { url: 'https://example.invalid/x.git' },
      workspaces: { source: { type: 'volumeClaimTemplate', size: '1Gi' } },
    });
    assert.deepEqual(built.problems, []);
    server.webhook('PipelineRun', (o) =>
      (o.spec?.pipelineSpec?.tasks ?? []).some((t: { name: string }) => /[A-Z]/.test(t.name))
        ? 'invalid value: Clone: spec.pipelineSpec.tasks[0].name'
        : undefined,
    );
    try {
      const result = await submit(
        api,
        [{ object: built.run!, source: { text: pipelineDoc, documentIndex: 0, fieldToSource: built.fieldToSource } }],
        hooks(true),
      );
      assert.equal(result.outcome, 'failed');
      if (result.outcome !== 'failed') return;
      assert.equal(result.error.kind, 'invalid');
      const loc = result.causes![0].location!;
      assert.equal(pipelineDoc.slice(loc.start, loc.end), 'Clone');
    } finally {
      server.webhook('PipelineRun', () => undefined);
    }
    const ok = await submit(api, [{ object: built.run! }], hooks(true));
    assert.equal(ok.outcome, 'created');
    if (ok.outcome !== 'created') return;
    const pr = server.get('PipelineRun', ok.created[0].metadata!.name!)!;
    assert.match(pr.metadata.name, /^build-run-/);
    assert.deepEqual(pr.spec.workspaces[0].volumeClaimTemplate.spec.resources.requests.storage, '1Gi');
  });

  it("submits a simulation's rendered resources with Tekton's trigger labels", async () => {
    const { items, problems } = itemsFromSimulation(
      [
        {
          kind: 'PipelineRun',
          object: {
            apiVersion: 'tekton.dev/v1',
            kind: 'PipelineRun',
            metadata: {
              generateName: 'pr-from-push-',
              namespace: 'default',
              labels: { 'triggers.tekton.dev/eventlistener': 'github-el' },
            },
            spec: { pipelineRef: { name: 'build' } },
          },
        },
        {
          kind: 'TaskRun',
          object: {
            apiVersion: 'tekton.dev/v1',
            kind: 'TaskRun',
            metadata: { generateName: 'notify-' },
            spec: { taskRef: { name: 'notify' } },
          },
        },
        { kind: 'TaskRun', error: "couldn't unmarshal json from the TriggerTemplate" },
      ],
      { eventListener: 'github-el', trigger: 'on-push', eventId: 'ev-123' },
      'default',
    );
    assert.equal(problems.length, 1);
    const seen: SubmitSummary[] = [];
    const result = await submit(api, items, hooks(true, seen));
    assert.equal(result.outcome, 'created');
    assert.deepEqual(
      seen[0].resources.map((r) => r.kind),
      ['PipelineRun', 'TaskRun'],
    );
    if (result.outcome !== 'created') return;
    for (const obj of result.created) {
      const stored = server.get(obj.kind!, obj.metadata!.name!)!;
      assert.deepEqual(
        {
          el: stored.metadata.labels['triggers.tekton.dev/eventlistener'],
          trigger: stored.metadata.labels['triggers.tekton.dev/trigger'],
          id: stored.metadata.labels['triggers.tekton.dev/triggers-eventid'],
        },
        { el: 'github-el', trigger: 'on-push', id: 'ev-123' },
      );
    }
  });

  it('re-runs a created run through the same flow, and shows its live YAML', async () => {
    const first = await submit(api, [docItem(runDoc)], hooks(true));
    assert.equal(first.outcome, 'created');
    if (first.outcome !== 'created') return;
    const name = first.created[0].metadata!.name!;
    const ref = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name };
    await api.cancel(ref);
    server.update('PipelineRun', name, (o) => {
      o.metadata.managedFields = [{ manager: 'controller' }];
      o.status = { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Cancelled' }] };
    });
    const live = await api.liveYaml(ref);
    assert.match(live, /status: Cancelled/);
    assert.match(live, /reason: Cancelled/);
    assert.doesNotMatch(live, /managedFields/);
    const again = await submit(api, [{ object: rerunOf(await api.get(ref)) }], hooks(true));
    assert.equal(again.outcome, 'created');
    if (again.outcome !== 'created') return;
    const rerun = server.get('PipelineRun', again.created[0].metadata!.name!)!;
    assert.notEqual(rerun.metadata.name, name);
    assert.equal(rerun.spec.status, undefined, 'the re-run is not cancelled');
    assert.deepEqual(rerun.spec.params, [
      { name: 'greeting', value: 'hi' },
      { name: 'count', value: 3 },
    ]);
  });

  it('reports what was created when a later create fails', async () => {
    const { items } = itemsFromSimulation([
      {
        object: {
          apiVersion: 'tekton.dev/v1',
          kind: 'PipelineRun',
          metadata: { generateName: 'a-' },
          spec: { pipelineRef: { name: 'p' } },
        },
      },
      {
        object: {
          apiVersion: 'tekton.dev/v1',
          kind: 'TaskRun',
          metadata: { generateName: 'b-' },
          spec: { taskRef: { name: 't' } },
        },
      },
    ]);
    let undo = () => {};
    const result = await submit(api, items, {
      isTrusted: () => true,
      confirm: async () => {
        // permissions change between the confirmation and the create
        undo = server.deny('create', 'taskruns');
        return true;
      },
    });
    undo();
    assert.equal(result.outcome, 'failed');
    if (result.outcome !== 'failed') return;
    assert.equal(result.stage, 'create');
    assert.equal(result.itemIndex, 1);
    assert.equal(result.error.kind, 'forbidden');
    assert.deepEqual(
      result.created.map((o) => o.kind),
      ['PipelineRun'],
    );
  });

  it('refuses a resource with neither name nor generateName, placing the problem at metadata', async () => {
    const text = 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  labels: {}\nspec: {}\n';
    const result = await submit(api, [docItem(text)], hooks(true));
    assert.equal(result.outcome, 'failed');
    if (result.outcome !== 'failed') return;
    assert.equal(result.stage, 'check');
    assert.equal(text.slice(result.causes![0].location!.start, result.causes![0].location!.end), 'metadata');
    assert.equal(server.requests.length, 0);
  });
});
