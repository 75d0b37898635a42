import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { paramItems, withValueStops } from '../../../../server/src/pipelines/variables/fixes';

describe('withValueStops: a snippet whose tab stops sit in the empty values a fix inserts', () => {
  it('puts one stop per empty value, in order, inside the quotes or brackets', () => {
    const newText = '- name: a\n  value: ""\n- name: b\n  value: []\n- name: c\n  value: {}\n- name: w\n  workspace: ""\n';
    const edit = withValueStops({ start: 3, end: 3, newText })!;
    assert.equal(edit.newText, newText);
    assert.equal(edit.snippet, '- name: a\n  value: "${1}"\n- name: b\n  value: [${2}]\n- name: c\n  value: {${3}\\}\n- name: w\n  workspace: "${4}"\n');
  });

  it('escapes what a snippet would read as syntax: $, } and backslashes of the inserted text', () => {
    const edit = withValueStops({ start: 0, end: 0, newText: '- name: x\n  value: ""\n  # $(params.y) {a} \\n\n' })!;
    assert.equal(edit.snippet, '- name: x\n  value: "${1}"\n  # \\$(params.y) {a\\} \\\\n\n');
  });

  it('leaves an edit with no empty value as it is, and undefined as undefined', () => {
    const edit = { start: 0, end: 0, newText: '- name: x\n  value: "1"\n' };
    assert.equal(withValueStops(edit), edit);
    assert.equal(withValueStops(undefined), undefined);
  });

  it('paramItems: an empty value of each param type', () => {
    assert.deepEqual(paramItems([{ name: 's' }, { name: 'a', type: 'array' }, { name: 'o', type: 'object' }]), [
      ['name: s', 'value: ""'],
      ['name: a', 'value: []'],
      ['name: o', 'value: {}'],
    ]);
  });
});
