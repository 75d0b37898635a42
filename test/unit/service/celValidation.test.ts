import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';

/**
 * A CEL problem must land on the exact characters of the YAML source, whatever the scalar style: each case puts the
 * undeclared identifier `nope` in a CEL field and expects the diagnostic on that word.
 */
const service = getLanguageService();

function celProblems(text: string) {
  const doc = new TektonDocument('file:///t.yaml', 1, text);
  return service.doValidation(doc).filter((p) => p.source === 'cel' && p.severity === 'error');
}

function expectOnNope(text: string, occurrence = 1) {
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf('nope', at + 1);
  const problems = celProblems(text);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].code, 'cel-undeclared-reference');
  assert.deepEqual([problems[0].start, problems[0].end], [at, at + 4], `got ${JSON.stringify(text.slice(problems[0].start, problems[0].end))}`);
}

const trigger = (params: string) => `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: t
spec:
  interceptors:
    - ref:
        name: cel
      params:
${params}
  template:
    ref: tmpl
`;

describe('CEL diagnostics map to the exact source characters, for every scalar style', () => {
  it('plain scalar', () => expectOnNope(trigger(`        - name: filter\n          value: body.a == nope`)));
  it('single-quoted with a doubled quote before the error', () =>
    expectOnNope(trigger(`        - name: filter\n          value: 'body.a == ''x'' && nope'`)));
  it('double-quoted with escapes before the error', () =>
    expectOnNope(trigger(`        - name: filter\n          value: "body.a == \\"x\\" && \\u0062ody.b == 'y' && nope"`)));
  it('literal block', () =>
    expectOnNope(trigger(`        - name: filter\n          value: |\n            body.a == 'x' &&\n              nope`)));
  it('folded block', () =>
    expectOnNope(trigger(`        - name: filter\n          value: >-\n            body.a == 'x' &&\n            body.b == 'y' &&\n            nope`)));
  it('plain scalar folded over lines', () =>
    expectOnNope(trigger(`        - name: filter\n          value: body.a == 'x' &&\n            nope == 1`)));
});

describe('CEL diagnostics for every region kind', () => {
  it('overlay expression (ref: {name: cel} form)', () =>
    expectOnNope(trigger(`        - name: overlays\n          value:\n            - key: k\n              expression: nope + 'x'`)));

  it('legacy v1alpha1 cel: filter and overlays', () => {
    const text = `apiVersion: triggers.tekton.dev/v1alpha1
kind: Trigger
metadata:
  name: t
spec:
  interceptors:
    - cel:
        filter: body.a == 'x'
        overlays:
          - key: k
            expression: nope
  template:
    ref: tmpl
`;
    expectOnNope(text);
  });

  it('EventListener inline trigger and trigger group', () => {
    const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: el
spec:
  triggerGroups:
    - name: g
      interceptors:
        - ref:
            name: cel
          params:
            - name: filter
              value: header.match('X-GitHub-Event', 'push')
      triggerSelector:
        labelSelector:
          matchLabels:
            a: b
  triggers:
    - name: t
      interceptors:
        - ref:
            name: cel
          params:
            - name: filter
              value: nope
      template:
        ref: tmpl
`;
    expectOnNope(text);
    expectOnNope(text.replace("header.match('X-GitHub-Event', 'push')", 'nope').replace('value: nope\n      template', 'value: body.x\n      template'));
  });

  it('Pipelines when.cel, in a Pipeline and in a PipelineRun pipelineSpec (empty environment)', () => {
    const pipeline = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  tasks:
    - name: a
      when:
        - cel: "'$(params.branch)'.matches('release/.*') && nope"
      taskRef:
        name: t
`;
    expectOnNope(pipeline);
    const run = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: r-
spec:
  pipelineSpec:
    tasks:
      - name: a
        when:
          - cel: nope == 'x'
        taskSpec:
          steps:
            - image: alpine
`;
    expectOnNope(run);
  });

  it('KFP triggerPolicy.condition', () => {
    const text = `pipelineInfo:
  name: p
root:
  dag:
    tasks:
      a:
        triggerPolicy:
          condition: inputs.parameter_values['x'] == 'heads' && nope
`;
    expectOnNope(text);
  });
});

describe('Tekton CEL pitfalls reported in YAML (REFERENCE.md §3.2-3.3)', () => {
  it('an overlay key starting with extensions. nests as extensions.extensions.x (tektoncd/website#282)', () => {
    const text = trigger(`        - name: overlays\n          value:\n            - key: extensions.short\n              expression: body.sha`);
    const doc = new TektonDocument('file:///t.yaml', 1, text);
    const p = service.doValidation(doc).find((x) => x.code === 'cel-overlay-key-extensions')!;
    assert.equal(text.slice(p.start, p.end), 'extensions.short');
  });

  it('a non-bool filter is an error: a filter passes only on exactly true', () => {
    const problems = celProblems(trigger(`        - name: filter\n          value: body.a`)).concat(
      celProblems(trigger(`        - name: filter\n          value: "'x'"`)),
    );
    assert.deepEqual(problems.map((p) => p.code), ['cel-filter-not-bool']);
  });
});

describe('argument types on a dyn receiver, as cel-go checks them (issue 13)', () => {
  // pkg/interceptors/cel/triggers.go registers <string>.truncate(int): cel-go rejects a string or double argument
  // at compile time even when the receiver is a dyn body field; cel-js alone would accept it.
  const errors = (expression: string) =>
    celProblems(trigger(`        - name: filter\n          value: "${expression} != ''"`)).map((p) => p.code);
  it("body.action.truncate('5') is no matching overload", () => assert.deepEqual(errors("body.action.truncate('5')"), ['cel-no-matching-overload']));
  it('body.action.truncate(5.0) is no matching overload', () => assert.deepEqual(errors('body.action.truncate(5.0)'), ['cel-no-matching-overload']));
  it('body.action.truncate(5) passes', () => assert.deepEqual(errors('body.action.truncate(5)'), []));
  it('dyn arguments and other members pass', () =>
    assert.deepEqual(errors("body.a.truncate(body.n) + body.b.substring(1, 3) + body.c.split(',')[0] + body.d.replace('a', 'b')"), []));
});
