/**
 * The language service facade and its registry of engines: who owns which document, one parse per file for
 * simulation (the index's), and code actions from the version's diagnostics instead of a second validation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';
import { augmentersOf, ENGINES, findCelRegions, ownerOf } from '../../../server/src/service/engines';
import { LanguageService } from '../../../server/src/service/languageService';
import { FileSystemWorkspace } from '../../../server/src/workspace/workspace';

const resource = (text: string) => [...new TektonDocument('file:///x.yaml', 1, text).resources()][0].resource;

const TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-push
spec:
  interceptors:
    - ref: {name: cel}
      params:
        - name: filter
          value: "header.match('X-GitHub-Event', 'push')"
  bindings:
    - ref: push-binding
  template:
    ref: push-template
`;
const BINDING = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: push-binding
spec:
  params:
    - name: revision
      value: $(body.after)
`;
const TEMPLATE = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: push-template
spec:
  params:
    - name: revision
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: TaskRun
      metadata:
        generateName: build-
      spec:
        taskRef: {name: build}
        params:
          - name: revision
            value: $(tt.params.revision)
`;
const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
spec:
  steps:
    - name: build
      image: alpine
      script: echo
`;

describe('engine registry', () => {
  it('gives every document at most one owner, by API group or shape', () => {
    assert.equal(ownerOf(resource(TASK))?.id, 'pipelines');
    assert.equal(ownerOf(resource(TRIGGER))?.id, 'triggers');
    assert.equal(ownerOf(resource('pipelineInfo: {name: p}\nroot: {dag: {tasks: {}}}\nschemaVersion: 2.1.0\n'))?.id, 'kfp');
    assert.equal(ownerOf(resource('apiVersion: apps/v1\nkind: Deployment\n')), undefined);
    assert.deepEqual(ENGINES.map((e) => e.id), ['pac', 'pipelines', 'triggers', 'kfp']);
  });

  it('keeps a Pipelines-as-Code PipelineRun with the Pipelines engine and lets the PaC engine augment it', () => {
    const run = resource('apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\n  annotations:\n    pipelinesascode.tekton.dev/on-event: "[push]"\n');
    assert.equal(ownerOf(run)?.id, 'pipelines');
    assert.deepEqual(augmentersOf(run).map((e) => e.id), ['pac']);
    assert.deepEqual(augmentersOf(resource(TASK)), []);
    assert.equal(ownerOf(resource('apiVersion: pipelinesascode.tekton.dev/v1alpha1\nkind: Repository\nmetadata: {name: r}\n'))?.id, 'pac');
  });

  it('asks the owning engine for the CEL fields, each in its environment', () => {
    assert.deepEqual(findCelRegions(resource(TRIGGER)).map((r) => [r.kind, r.env, r.text]), [
      ['filter', 'triggers', "header.match('X-GitHub-Event', 'push')"],
    ]);
    const kfp = resource(`pipelineInfo: {name: p}
root:
  dag:
    tasks:
      t:
        triggerPolicy:
          condition: inputs.parameter_values['x'] == 'a'
`);
    assert.deepEqual(findCelRegions(kfp).map((r) => [r.kind, r.env]), [['condition', 'kfp-condition']]);
    const when = resource(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p}
spec:
  tasks:
    - name: a
      taskRef: {name: build}
      when:
        - cel: "'a' == 'a'"
`);
    assert.deepEqual(findCelRegions(when).map((r) => [r.kind, r.env]), [['when', 'pipelines-when']]);
  });
});

describe('file rules', () => {
  it('checks the KFP platform document against the IR document of the same file', () => {
    const text = 'pipelineInfo:\n  name: p\nroot:\n  dag:\n    tasks: {}\ndeploymentSpec:\n  executors:\n    exec-train:\n      container:\n        image: python:3.11\nschemaVersion: 2.1.0\n' +
      '---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n        exec-trian:\n          secretAsEnv: []\n';
    const service = new LanguageService();
    try {
      const doc = new TektonDocument('file:///kfp.yaml', 1, text);
      const problems = service.doValidation(doc);
      assert.deepEqual(problems.map((p) => [p.code, p.severity, p.source, doc.positionAt(p.start).line]), [['kfp-unknown-platform-executor', 'warning', 'kfp', 16]]);
      assert.deepEqual(service.getCodeActions(doc, problems[0].start, problems[0].end).map((a) => a.edits[0].newText), ['exec-train']);
    } finally {
      service.dispose();
    }
  });
});

describe('language service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-ls-service-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'binding.yaml'), BINDING);
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  writeFileSync(join(dir, 'task.yaml'), TASK);
  const uri = (name: string) => pathToFileURL(join(dir, name)).toString();

  it('keeps the parse of closed Triggers files for simulation, and only theirs', async () => {
    const service = new LanguageService({ workspace: new FileSystemWorkspace([dir]) });
    try {
      await service.index.ready();
      assert.ok(service.index.document(uri('binding.yaml')) instanceof TektonDocument);
      assert.ok(service.index.document(uri('template.yaml')) instanceof TektonDocument);
      assert.equal(service.index.document(uri('task.yaml')), undefined);

      const trigger = new TektonDocument('file:///open/trigger.yaml', 1, TRIGGER);
      const r = await service.simulate(trigger, 0, {
        sample: {
          label: 'push',
          method: 'POST',
          url: 'http://el',
          headers: { 'X-GitHub-Event': ['push'], 'Content-Type': ['application/json'] },
          body: '{"after": "abc123"}',
        },
      });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.target, { kind: 'Trigger', name: 'on-push' });
      assert.equal(r.result?.fired, 1);
      assert.match(r.yaml ?? '', /value: abc123/);
      // The binding's param comes from the closed file the index parsed, with a range in it.
      const param = r.result?.triggers[0].params.find((p) => p.name === 'revision');
      assert.equal(param?.binding?.source?.uri, uri('binding.yaml'));
      assert.ok(param?.binding?.source?.range, 'the source has a line/character range');
    } finally {
      service.dispose();
    }
  });

  it('code actions asked after the crawl ended offer the cross-file fixes a validation before it could not see', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'tekton-actions-'));
    const task = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: release\nspec:\n  params:\n    - name: version\n';
    writeFileSync(join(ws, 'release.yaml'), `${task}  steps:\n    - image: alpine\n      script: echo $(params.version)\n`);
    const service = new LanguageService({ workspace: new FileSystemWorkspace([ws]) });
    try {
      const runText = 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: r\nspec:\n  taskRef:\n    name: release\n';
      const run = new TektonDocument('file:///open/run.yaml', 1, runText);
      // the editor pulls diagnostics as the file opens, before the workspace crawl has ended
      assert.ok(!service.doValidation(run).some((p) => p.code === 'missing-param'));
      await service.index.ready();
      const titles = service.getCodeActions(run, 0, run.text.length).map((a) => a.title);
      assert.ok(titles.includes('Pass the param Task "release" requires'), JSON.stringify(titles));
    } finally {
      service.dispose();
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('answers code actions from the diagnostics of the same version', () => {
    const service = new LanguageService();
    try {
      const text = TASK.replace('spec:\n', 'spec:\n  params:\n    - name: revision\n').replace('script: echo', 'script: echo $(params.revison)');
      const doc = new TektonDocument('file:///p.yaml', 1, text);
      const problems = service.doValidation(doc);
      const fixable = problems.find((p) => p.fixes?.length);
      assert.ok(fixable, `a problem with a quick fix: ${JSON.stringify(problems.map((p) => p.code))}`);
      const actions = service.getCodeActions(doc, 0, doc.text.length);
      assert.equal(actions[0].problem, fixable, 'the very problem object of the validation');
      // A new version is validated anew.
      const next = new TektonDocument('file:///p.yaml', 2, text.replace('revison', 'revisio'), doc);
      assert.ok(service.getCodeActions(next, 0, next.text.length).every((a) => !problems.includes(a.problem)));
    } finally {
      service.dispose();
    }
  });
});

describe('validation time budget', () => {
  it('answers with the documents it reached and says where it stopped, then goes on from there', () => {
    const service = getLanguageService();
    const one = (i: number) => `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t${i}\nspec:\n  steps:\n    - image: 3\n`;
    const text = Array.from({ length: 50 }, (_, i) => one(i)).join('---\n');
    const stopped = service.doValidation(new TektonDocument('file:///b.yaml', 1, text), { budgetMs: 0, crossFile: false });
    assert.equal(stopped[0].code, 'validation-budget');
    assert.match(stopped[0].message, /^Checking stopped after 0 ms: 50 document\(s\) from here on are not checked this time$/);
    const whole = service.doValidation(new TektonDocument('file:///b.yaml', 2, text), { crossFile: false });
    assert.equal(whole.filter((p) => p.code === 'schema-type').length, 50);
  });
});
