import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { LanguageService } from '../../../server/src/service/languageService';
import { SHARED_DATA, sharedDataMissing } from '../../helpers/fixtures';

/** Editing features of compiled KFP pipelines, through the language service facade. */
const service = new LanguageService();
const VALID = join(SHARED_DATA, 'kfp', 'test_data', 'sdk_compiled_pipelines', 'valid');
const skip = sharedDataMissing();
const upstream = (name: string) => readFileSync(join(VALID, name), 'utf8');

/** A small IR written the way the SDK writes it (hello world with a nested DAG and an artifact). */
const IR = `components:
  comp-producer:
    executorLabel: exec-producer
    inputDefinitions:
      parameters:
        text:
          parameterType: STRING
    outputDefinitions:
      artifacts:
        data:
          artifactType:
            schemaTitle: system.Dataset
            schemaVersion: 0.0.1
      parameters:
        Output:
          parameterType: STRING
  comp-consumer:
    executorLabel: exec-consumer
    inputDefinitions:
      artifacts:
        data:
          artifactType:
            schemaTitle: system.Dataset
            schemaVersion: 0.0.1
          isOptional: true
      parameters:
        msg:
          parameterType: STRING
  comp-inner:
    dag:
      tasks:
        consumer:
          componentRef:
            name: comp-consumer
          inputs:
            parameters:
              msg:
                componentInputParameter: word
    inputDefinitions:
      parameters:
        word:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-producer:
      container:
        image: python:3.11
        command: [sh, -c, "echo {{$.inputs.parameters['text']}}"]
    exec-consumer:
      container:
        image: alpine:3.20
        args: ["{{$.inputs.parameters['msg']}}"]
pipelineInfo:
  name: demo
root:
  dag:
    tasks:
      producer:
        componentRef:
          name: comp-producer
        inputs:
          parameters:
            text:
              componentInputParameter: greeting
        taskInfo:
          name: producer
      consumer:
        componentRef:
          name: comp-consumer
        dependentTasks:
        - producer
        inputs:
          artifacts:
            data:
              taskOutputArtifact:
                outputArtifactKey: data
                producerTask: producer
          parameters:
            msg:
              taskOutputParameter:
                outputParameterKey: Output
                producerTask: producer
        taskInfo:
          name: consumer
      inner:
        componentRef:
          name: comp-inner
        inputs:
          parameters:
            word:
              componentInputParameter: greeting
  inputDefinitions:
    parameters:
      greeting:
        parameterType: STRING
schemaVersion: 2.1.0
sdkVersion: kfp-2.7.0
`;

const doc = (text: string, uri = 'file:///pipeline.yaml') => new TektonDocument(uri, 1, text);

/** The offset of the n-th occurrence of `needle` in `text`, plus `delta`. */
function at(text: string, needle: string, delta = 0, nth = 1): number {
  let i = -1;
  for (let k = 0; k < nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} #${k + 1} not found`);
  }
  return i + delta;
}

/** Replaces `needle` with `replacement` and returns the text and the offset right after the replacement. */
function typed(text: string, needle: string, replacement: string, nth = 1): { text: string; offset: number } {
  const i = at(text, needle, 0, nth);
  const out = text.slice(0, i) + replacement + text.slice(i + needle.length);
  return { text: out, offset: i + replacement.length };
}

function labels(text: string, offset: number): string[] {
  return service.doComplete(doc(text), offset).map((p) => p.label);
}

describe('kfp: completion', () => {
  it('componentRef.name offers the components', () => {
    const t = typed(IR, 'name: comp-producer', 'name: ');
    assert.deepEqual(labels(t.text, t.offset).sort(), ['comp-consumer', 'comp-inner', 'comp-producer']);
  });
  it('componentRef.name replaces the word being typed', () => {
    const t = typed(IR, 'name: comp-producer', 'name: comp-c');
    const items = service.doComplete(doc(t.text), t.offset);
    const consumer = items.find((p) => p.label === 'comp-consumer')!;
    assert.equal(t.text.slice(consumer.replaceStart, consumer.replaceEnd), 'comp-c');
    assert.match(consumer.documentation ?? '', /Inputs:/);
  });
  it('executorLabel offers the executors with their images', () => {
    const t = typed(IR, 'executorLabel: exec-consumer', 'executorLabel: ');
    const items = service.doComplete(doc(t.text), t.offset);
    assert.deepEqual(items.map((p) => p.label).sort(), ['exec-consumer', 'exec-producer']);
    assert.equal(items.find((p) => p.label === 'exec-consumer')?.detail, 'alpine:3.20');
  });
  it('producerTask offers the other tasks of the same DAG', () => {
    const t = typed(IR, 'producerTask: producer', 'producerTask: ');
    assert.deepEqual(labels(t.text, t.offset).sort(), ['inner', 'producer']);
  });
  it('outputParameterKey offers the producer component outputs', () => {
    const t = typed(IR, 'outputParameterKey: Output', 'outputParameterKey: ');
    assert.deepEqual(labels(t.text, t.offset), ['Output']);
  });
  it('outputArtifactKey offers the producer component artifacts', () => {
    const t = typed(IR, 'outputArtifactKey: data', 'outputArtifactKey: ');
    assert.deepEqual(labels(t.text, t.offset), ['data']);
  });
  it('componentInputParameter in root offers the pipeline inputs', () => {
    const t = typed(IR, 'componentInputParameter: greeting', 'componentInputParameter: ');
    assert.deepEqual(labels(t.text, t.offset), ['greeting']);
  });
  it('componentInputParameter in a nested DAG offers that component inputs', () => {
    const t = typed(IR, 'componentInputParameter: word', 'componentInputParameter: ');
    assert.deepEqual(labels(t.text, t.offset), ['word']);
  });
  it('dependentTasks items offer the sibling tasks', () => {
    const t = typed(IR, '        - producer', '        - ');
    assert.deepEqual(labels(t.text, t.offset).sort(), ['inner', 'producer']);
  });
  it('schema keys of a task, with descriptions, minus the ones present', () => {
    const t = typed(IR, '        taskInfo:\n          name: consumer', '        taskInfo:\n          name: consumer\n        ');
    const items = service.doComplete(doc(t.text), t.offset);
    const names = items.map((p) => p.label);
    for (const k of ['cachingOptions', 'triggerPolicy', 'retryPolicy']) assert.ok(names.includes(k), `${k} in ${names}`);
    for (const k of ['componentRef', 'inputs', 'taskInfo']) assert.ok(!names.includes(k), `${k} already there`);
    assert.equal(items.find((p) => p.label === 'triggerPolicy')?.documentation, 'Trigger policy of the task.');
  });
  it('top-level keys come from the IR schema, never Tekton apiVersion/kind', () => {
    const t = typed(IR, 'schemaVersion: 2.1.0\n', 'schemaVersion: 2.1.0\n');
    const names = labels(t.text, t.offset);
    assert.ok(names.includes('defaultPipelineRoot'), names.join());
    assert.ok(!names.includes('apiVersion') && !names.includes('kind'), names.join());
    assert.ok(!names.includes('root'), 'present keys are not offered');
  });
  it('schema enum values: parameterType', () => {
    const t = typed(IR, 'parameterType: STRING', 'parameterType: ');
    const names = labels(t.text, t.offset);
    assert.ok(names.includes('NUMBER_INTEGER') && names.includes('STRUCT'), names.join());
  });
  it('keys of a component', () => {
    const t = typed(IR, '  comp-inner:\n', '  comp-inner:\n    ');
    const names = labels(t.text, t.offset);
    assert.ok(names.includes('outputDefinitions') && names.includes('executorLabel'), names.join());
  });
  it('the platform document completes from the platform schema', () => {
    const text = `${IR}---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n        exec-producer:\n          `;
    const names = labels(text, text.length);
    assert.ok(names.includes('secretAsVolume') || names.includes('nodeSelector'), names.join());
    assert.ok(!names.includes('apiVersion'));
  });
  it('platform executor keys offer the IR labels not configured yet', () => {
    const text = `${IR}---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n        exec-consumer: {}\n        `;
    assert.deepEqual(labels(text, text.length), ['exec-producer']);
  });
  it('upstream pipeline_producer_consumer: producerSubtask and its output keys', { skip }, () => {
    const text = upstream('pipeline_producer_consumer.yaml');
    const sub = typed(text, 'producerSubtask: add', 'producerSubtask: ');
    assert.deepEqual(labels(sub.text, sub.offset).sort(), ['add', 'for-loop-2']);
    const key = typed(text, 'outputParameterKey: Output\n              producerSubtask: add', 'outputParameterKey: \n              producerSubtask: add');
    assert.deepEqual(labels(key.text, key.offset - '\n              producerSubtask: add'.length), ['Output']);
  });
  it('upstream pipeline_producer_consumer: componentRef.name offers every component', { skip }, () => {
    const text = upstream('pipeline_producer_consumer.yaml');
    const t = typed(text, 'name: comp-add\n', 'name: \n');
    const names = labels(t.text, t.offset - 1);
    assert.ok(names.includes('comp-add-pipeline') && names.includes('comp-double'), names.join());
  });
});

describe('kfp: hover', () => {
  it('a task name shows its component inputs, outputs and executor image', () => {
    const h = service.doHover(doc(IR), at(IR, 'producer:\n        componentRef', 2));
    assert.ok(h);
    assert.match(h.markdown, /task producer/);
    assert.match(h.markdown, /`text`: STRING/);
    assert.match(h.markdown, /`data`: artifact system\.Dataset/);
    assert.match(h.markdown, /image `python:3\.11`/);
  });
  it('a componentRef shows the component', () => {
    const h = service.doHover(doc(IR), at(IR, 'name: comp-inner', 8));
    assert.match(h?.markdown ?? '', /component comp-inner/);
    assert.match(h?.markdown ?? '', /DAG of 1 task/);
  });
  it('an output key and a component input show their type and component', () => {
    const out = service.doHover(doc(IR), at(IR, 'outputArtifactKey: data', 20));
    assert.match(out?.markdown ?? '', /\*\*output data\*\*: artifact system\.Dataset/);
    assert.match(out?.markdown ?? '', /component `comp-producer`/);
    const input = service.doHover(doc(IR), at(IR, 'componentInputParameter: greeting', 26));
    assert.match(input?.markdown ?? '', /\*\*input greeting\*\*: STRING\nof the pipeline/);
  });
  it('a schema key shows the proto comment', () => {
    const h = service.doHover(doc(IR), at(IR, 'dependentTasks', 2));
    assert.match(h?.markdown ?? '', /\*\*dependentTasks\*\*/);
    assert.match(h?.markdown ?? '', /A list of names of upstream tasks/);
    const ref = service.doHover(doc(IR), at(IR, 'taskInfo', 2));
    assert.match(ref?.markdown ?? '', /Basic info of a pipeline task\./, 'the field comment beside its $ref');
  });
  it('the IR is clean to begin with', () => {
    assert.deepEqual(service.doValidation(doc(IR)).filter((p) => p.severity === 'error'), []);
  });
});

describe('kfp: definition, references, rename', () => {
  it('componentRef.name goes to the component', async () => {
    const d = doc(IR);
    const [loc] = await service.findDefinition(d, at(IR, 'name: comp-consumer', 8));
    assert.equal(IR.slice(loc.start, loc.end), 'comp-consumer');
    assert.equal(loc.start, at(IR, 'comp-consumer:'));
  });
  it('producerTask and dependentTasks go to the task of the same DAG', async () => {
    const d = doc(IR);
    const [a] = await service.findDefinition(d, at(IR, 'producerTask: producer', 16));
    const [b] = await service.findDefinition(d, at(IR, '- producer', 3));
    assert.equal(a.start, at(IR, 'producer:\n        componentRef'));
    assert.equal(b.start, a.start);
  });
  it('an output key goes to the producer component output', async () => {
    const [loc] = await service.findDefinition(doc(IR), at(IR, 'outputParameterKey: Output', 22));
    assert.equal(loc.start, at(IR, 'Output:\n          parameterType'));
  });
  it('references of an executor label and of a task', async () => {
    const d = doc(IR);
    const exec = await service.findReferences(d, at(IR, 'exec-consumer:'), true);
    assert.equal(exec.length, 2);
    const task = await service.findReferences(d, at(IR, 'producer:\n        componentRef'), false);
    assert.equal(task.length, 3, 'dependentTasks and two producerTask');
    assert.ok(task.every((r) => IR.slice(r.start, r.end) === 'producer'));
  });
  it('references of a component input name: its declaration, callers and componentInputParameter', async () => {
    const refs = await service.findReferences(doc(IR), at(IR, 'word:\n          parameterType'), true);
    assert.equal(refs.length, 3);
  });
  it('renames a component everywhere', async () => {
    const d = doc(IR);
    const offset = at(IR, 'name: comp-consumer', 8);
    assert.deepEqual(service.prepareRename(d, offset)?.placeholder, 'comp-consumer');
    const edits = (await service.doRename(d, offset, 'comp-sink'))!;
    assert.equal(edits.length, 3);
    let out = IR;
    for (const e of [...edits].sort((x, y) => y.location.start - x.location.start))
      out = out.slice(0, e.location.start) + e.newText + out.slice(e.location.end);
    assert.ok(!out.includes('comp-consumer'));
    assert.deepEqual(service.doValidation(doc(out)).filter((p) => p.severity === 'error'), []);
  });
  it('renames a task with its producerTask and dependentTasks references', async () => {
    const edits = (await service.doRename(doc(IR), at(IR, 'producerTask: producer', 16), 'make'))!;
    assert.equal(edits.length, 4);
  });
  it('renames a nested DAG input; refuses executor inputs, taken and invalid names', async () => {
    const d = doc(IR);
    const word = at(IR, 'componentInputParameter: word', 26);
    assert.equal((await service.doRename(d, word, 'term'))?.length, 3);
    assert.equal(service.prepareRename(d, at(IR, 'msg:\n          parameterType')), undefined, 'the container reads msg');
    assert.equal(await service.doRename(d, at(IR, 'exec-consumer:'), 'exec-producer'), undefined, 'name taken');
    assert.equal(await service.doRename(d, at(IR, 'exec-consumer:'), 'bad name'), undefined, 'invalid name');
    assert.equal(service.prepareRename(d, at(IR, 'pipelineInfo')), undefined, 'schema key');
  });
});

describe('kfp: executor labels across the platform document of the file', () => {
  const text = `${IR}---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n        exec-consumer:\n          nodeSelector:\n            labels: {disk: ssd}\n`;
  const platformKey = at(text, 'exec-consumer:', 0, 2);
  it('the platform key goes to the IR executor; references include it', async () => {
    const d = doc(text);
    const [def] = await service.findDefinition(d, platformKey + 2);
    assert.equal(def.start, at(text, 'exec-consumer:'));
    const refs = await service.findReferences(d, at(text, 'executorLabel: exec-consumer', 16), false);
    assert.deepEqual(refs.map((r) => r.start).sort((a, b) => a - b), [at(text, 'executorLabel: exec-consumer', 15), platformKey]);
  });
  it('renaming from either side edits the IR and the platform document', async () => {
    const d = doc(text);
    assert.equal(service.prepareRename(d, platformKey)?.placeholder, 'exec-consumer');
    for (const offset of [platformKey, at(text, 'exec-consumer:')]) {
      const edits = (await service.doRename(d, offset, 'exec-sink'))!;
      assert.equal(edits.length, 3);
      let out = text;
      for (const e of [...edits].sort((x, y) => y.location.start - x.location.start)) out = out.slice(0, e.location.start) + e.newText + out.slice(e.location.end);
      assert.ok(!out.includes('exec-consumer'));
      assert.deepEqual(service.doValidation(doc(out)).map((p) => p.code), service.doValidation(doc(text)).map((p) => p.code));
    }
    assert.equal(await service.doRename(d, platformKey, 'exec-producer'), undefined, 'name taken');
  });
});

describe('kfp: document symbols', () => {
  it('the pipeline with its tasks, components with their DAG tasks, executors', () => {
    const symbols = service.findDocumentSymbols(doc(IR));
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['pipeline demo', 'components', 'executors'],
    );
    assert.deepEqual(symbols[0].children.map((c) => c.name), ['producer', 'consumer', 'inner']);
    const components = symbols[1].children;
    assert.deepEqual(components.map((c) => c.name), ['comp-producer', 'comp-consumer', 'comp-inner']);
    assert.deepEqual(components[2].children.map((c) => c.name), ['consumer']);
    assert.deepEqual(symbols[2].children.map((c) => `${c.name} ${c.detail}`), ['exec-producer python:3.11', 'exec-consumer alpine:3.20']);
    const first = symbols[0].children[0];
    assert.equal(IR.slice(first.selectionStart, first.selectionEnd), 'producer');
  });
  it('upstream files: symbols are within the document and every task is listed', { skip }, () => {
    for (const name of ['pipeline_producer_consumer.yaml', 'nested_with_parameters.yaml', 'hello_world.yaml']) {
      const text = upstream(name);
      const symbols = service.findDocumentSymbols(doc(text));
      assert.ok(symbols.length >= 2, name);
      const walk = (s: { start: number; end: number; children: { start: number; end: number; children: never[] }[] }): void => {
        assert.ok(s.start >= 0 && s.end <= text.length && s.start <= s.end, name);
        s.children.forEach((c) => walk(c as never));
      };
      symbols.forEach((s) => walk(s as never));
    }
  });
});
