import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';

const service = getLanguageService();

function complete(marked: string) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return service.doComplete(new TektonDocument('file:///t.yaml', 1, text), offset);
}
const labels = (marked: string) => complete(marked).map((c) => c.label).sort();

const TASK_HEAD = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\n';

describe('completion', () => {
  it('offers the spec keys of the kind, minus those present', () => {
    const got = labels(`${TASK_HEAD}spec:\n  steps: []\n  |\n`);
    for (const k of ['params', 'results', 'workspaces', 'sidecars', 'volumes', 'description']) assert.ok(got.includes(k), k);
    assert.ok(!got.includes('steps'));
    assert.ok(!got.includes('tasks'), 'Pipeline keys are not offered in a Task');
  });

  it('offers Pipeline task keys inside a tasks item, after the dash too', () => {
    const head = 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n';
    const inItem = labels(`${head}    - name: a\n      |\n`);
    for (const k of ['taskRef', 'taskSpec', 'runAfter', 'params', 'when', 'matrix', 'retries']) assert.ok(inItem.includes(k), k);
    assert.ok(!inItem.includes('name'));
    const afterDash = labels(`${head}    - |\n`);
    assert.ok(afterDash.includes('name') && afterDash.includes('taskRef'));
  });

  it('checks an inline taskSpec as a Task spec', () => {
    const got = labels(
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskSpec:\n        |\n',
    );
    assert.ok(got.includes('steps') && got.includes('sidecars'), got.join());
  });

  it('offers enum values for a value being typed', () => {
    const got = complete(`${TASK_HEAD}spec:\n  steps:\n    - name: a\n      onError: |\n`);
    assert.deepEqual(got.map((c) => c.label).sort(), ['continue', 'stopAndFail']);
  });

  it('offers apiVersion values matching the kind', () => {
    const got = labels('kind: StepAction\napiVersion: |\n');
    assert.deepEqual(got, ['tekton.dev/v1alpha1', 'tekton.dev/v1beta1']);
  });

  it('replaces the word being typed', () => {
    const text = `${TASK_HEAD}spec:\n  para|\n`;
    const [item] = complete(text).filter((c) => c.label === 'params');
    assert.equal(item.replaceEnd - item.replaceStart, 4);
  });

  it('offers Triggers keys for an EventListener trigger', () => {
    const got = labels(
      'apiVersion: triggers.tekton.dev/v1beta1\nkind: EventListener\nmetadata:\n  name: el\nspec:\n  triggers:\n    - name: t\n      |\n',
    );
    for (const k of ['bindings', 'template', 'interceptors', 'triggerRef']) assert.ok(got.includes(k), k);
  });

  it('offers the cel interceptor params only under a cel interceptor', () => {
    const head =
      'apiVersion: triggers.tekton.dev/v1beta1\nkind: Trigger\nmetadata:\n  name: t\nspec:\n  interceptors:\n    - ref:\n        name: cel\n      params:\n        - name: |\n';
    assert.deepEqual(labels(head), ['filter', 'overlays']);
  });
});

describe('hover', () => {
  it('shows the description and type of the field under the cursor', () => {
    const text = `${TASK_HEAD}spec:\n  steps:\n    - name: a\n      image: alpine\n`;
    const doc = new TektonDocument('file:///t.yaml', 1, text);
    const hover = service.doHover(doc, text.indexOf('image') + 2)!;
    assert.match(hover.markdown, /^\*\*image\*\*: `string`/);
    assert.equal(hover.start, text.indexOf('image'));
    const onValue = service.doHover(doc, text.indexOf('alpine') + 1)!;
    assert.match(onValue.markdown, /\*\*image\*\*/);
  });

  it('is silent on non-Tekton documents', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n';
    assert.equal(service.doHover(new TektonDocument('u', 1, text), text.indexOf('a:')), undefined);
  });
});
