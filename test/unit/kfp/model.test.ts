import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { isKfpPlatformSpec, isKfpSpec, kfpEngine } from '../../../server/src/kfp/engine';
import { allTasks, componentOf, componentsUsing, kfpModel } from '../../../server/src/kfp/model';
import { platformExecutorProblems } from '../../../server/src/kfp/rules/platform';
import { problems } from './helpers';

const IR = `# PIPELINE DEFINITION
components:
  comp-produce:
    executorLabel: exec-produce
    inputDefinitions:
      parameters:
        n:
          parameterType: NUMBER_INTEGER
        label:
          defaultValue: x
          isOptional: true
          parameterType: STRING
    outputDefinitions:
      artifacts:
        data:
          artifactType:
            schemaTitle: system.Dataset
            schemaVersion: 0.0.1
  comp-consume:
    executorLabel: exec-consume
    inputDefinitions:
      artifacts:
        data:
          artifactType:
            schemaTitle: system.Dataset
            schemaVersion: 0.0.1
deploymentSpec:
  executors:
    exec-produce:
      container:
        args:
        - '{{$.inputs.parameters[''n'']}}'
        - '{{$.outputs.artifacts[''data''].path}}'
        image: python:3.12
    exec-consume:
      container:
        args:
        - '{{$.inputs.artifacts[''data''].path}}'
        image: python:3.12
pipelineInfo:
  name: demo
root:
  dag:
    tasks:
      consume:
        componentRef:
          name: comp-consume
        dependentTasks:
        - produce
        inputs:
          artifacts:
            data:
              taskOutputArtifact:
                outputArtifactKey: data
                producerTask: produce
        taskInfo:
          name: consume
      produce:
        componentRef:
          name: comp-produce
        inputs:
          parameters:
            n:
              runtimeValue:
                constant: 3
        taskInfo:
          name: produce
schemaVersion: 2.1.0
sdkVersion: kfp-2.14.3
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-produce:
          nodeSelector:
            labels:
              disk: ssd
`;

describe('kfp model', () => {
  const doc = new TektonDocument('file:///demo.yaml', 1, IR);
  const [ir, platform] = [...doc.resources()].map((r) => r.resource);

  it('recognises the IR and the platform document, and nothing else', () => {
    assert.ok(isKfpSpec(ir) && !isKfpPlatformSpec(ir));
    assert.ok(isKfpPlatformSpec(platform) && !isKfpSpec(platform));
    assert.ok(kfpEngine.owns(ir) && kfpEngine.owns(platform));
    const other = [...new TektonDocument('file:///x.yaml', 1, 'platforms:\n  a: 1\nkind: Foo\n').resources()][0].resource;
    assert.ok(!kfpEngine.owns(other));
  });

  it('models components, executors, DAG tasks and their inputs with their nodes', () => {
    const model = kfpModel(ir);
    assert.equal(model.pipelineName?.value, 'demo');
    assert.deepEqual([...model.components.keys()], ['comp-produce', 'comp-consume']);
    assert.deepEqual([...model.executors.keys()], ['exec-produce', 'exec-consume']);
    const produce = model.components.get('comp-produce')!;
    assert.equal(produce.executorLabel?.value, 'exec-produce');
    assert.equal(produce.inputs.parameters.get('n')?.type?.value, 'NUMBER_INTEGER');
    assert.equal(produce.inputs.parameters.get('label')?.hasDefault, true);
    assert.equal(produce.inputs.parameters.get('label')?.isOptional, true);
    assert.equal(produce.outputs.artifacts.get('data')?.schemaTitle?.value, 'system.Dataset');
    assert.equal(model.dags.length, 1);
    assert.ok(model.root?.isRoot && model.root.dag === model.dags[0]);
    const tasks = allTasks(model);
    assert.deepEqual(tasks.map((t) => t.name), ['consume', 'produce']);
    const consume = tasks[0];
    assert.equal(componentOf(model, consume)?.name, 'comp-consume');
    assert.deepEqual(consume.dependentTasks.map((d) => d.value), ['produce']);
    const input = consume.artifacts.get('data')!;
    assert.equal(input.kind, 'taskOutputArtifact');
    assert.equal(input.producerTask?.value, 'produce');
    assert.equal(input.outputKey?.value, 'data');
    assert.equal(IR.slice(input.outputKey!.node.range![0], input.outputKey!.node.range![1]), 'data');
    const constant = tasks[1].parameters.get('n')!;
    assert.equal(constant.kind, 'runtimeValue');
    assert.equal((constant.constant as { value?: unknown }).value, 3);
    assert.deepEqual(componentsUsing(model, 'exec-consume').map((c) => c.name), ['comp-consume']);
    assert.equal(model.executors.get('exec-produce')?.commandLine.length, 2);
  });

  it('is memoised per document text', () => assert.equal(kfpModel(ir), kfpModel(ir)));

  it('reports nothing on a consistent spec', () => assert.deepEqual(problems(IR).problems, []));

  it('offers the did-you-mean quick fix, which makes the spec consistent', () => {
    const broken = IR.replace('name: comp-consume\n        dependentTasks', 'name: comp-consum\n        dependentTasks');
    const found = problems(broken).problems;
    assert.equal(found.length, 1);
    assert.equal(found[0].code, 'kfp-unknown-component');
    const edit = found[0].fixes![0].edits[0];
    const fixed = broken.slice(0, edit.start) + edit.newText + broken.slice(edit.end);
    assert.equal(fixed, IR);
  });

  it('fixes a mistyped placeholder name inside a quoted scalar', () => {
    const broken = IR.replace("'{{$.inputs.parameters[''n'']}}'", "'{{$.inputs.parameters[''m'']}}'");
    const found = problems(broken).problems;
    assert.deepEqual(found.map((p) => [p.code, p.severity, broken.slice(p.start, p.end)]), [['kfp-unknown-placeholder', 'warning', 'm']]);
  });

  it('checks the platform document against KubernetesExecutorConfig', () => {
    const broken = IR.replace('nodeSelector:', 'nodeSelectors:');
    assert.deepEqual(problems(broken).problems.map((p) => [p.code, p.severity, broken.slice(p.start, p.end)]), [['schema-unknown-property', 'warning', 'nodeSelectors']]);
  });

  it('checks the platform executors against the IR executors (file-level rule)', () => {
    assert.deepEqual(platformExecutorProblems(ir, platform), []);
    const broken = IR.replace('        exec-produce:\n          nodeSelector', '        exec-produc:\n          nodeSelector');
    const [a, b] = [...new TektonDocument('file:///demo.yaml', 2, broken).resources()];
    const found = platformExecutorProblems(a.resource, b.resource);
    assert.deepEqual(found.map((p) => [p.code, p.severity, b.resource.text.slice(p.start, p.end), p.fixes?.[0].edits[0].newText]), [['kfp-unknown-platform-executor', 'warning', 'exec-produc', 'exec-produce']]);
  });
});
