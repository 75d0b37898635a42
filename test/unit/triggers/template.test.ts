/**
 * TriggerTemplate rendering, checked against tektoncd/triggers pkg/template/resource_test.go
 * (Test_applyParamToResourceTemplate, Test_ApplyParamsToResourceTemplate), pkg/template/event_test.go
 * (TestResolveResources), pkg/resources/create.go (labels, namespace) and tektoncd/triggers#1896 ($( → $$().
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  renderResources,
  resolveTemplate,
  templateParams,
  type RenderContext,
  type ResolvedTemplate,
} from '../../../server/src/triggers/simulation/template';
import type { ResolvedParam } from '../../../server/src/triggers/simulation/types';
import { WorkspaceResources } from '../../../server/src/triggers/simulation/workspaceResources';
import { yamlResources } from './helpers';

const ctx: RenderContext = {
  uid: 'uid-1',
  eventID: 'ev-1',
  triggerName: 'trig',
  eventListener: 'el',
  namespace: 'ns1',
  escapeDollar: true,
};

function tt(resourcetemplates: unknown[], annotations: Record<string, string> = {}): ResolvedTemplate {
  return { spec: { resourcetemplates }, annotations };
}

const bound = (name: string, value: string): ResolvedParam => ({ name, value, origin: 'binding', declared: true });

function render(
  templates: unknown[],
  params: ResolvedParam[],
  annotations: Record<string, string> = {},
  c: Partial<RenderContext> = {},
) {
  return renderResources(tt(templates, annotations), params, { ...ctx, ...c });
}

describe('template: params are substituted byte for byte (resource_test.go Test_applyParamToResourceTemplate)', () => {
  it('replace one and many param vars; a key can be a param too', () => {
    const r = render(
      [{ kind: 'X', foo: 'bar-$(tt.params.oneid)-bar', '$(tt.params.oneid)': '$(tt.params.oneid)$(tt.params.oneid)' }],
      [bound('oneid', 'onevalue')],
    );
    const o = r.resources[0].object!;
    assert.equal(o.foo, 'bar-onevalue-bar');
    assert.equal(o.onevalue, 'onevalueonevalue');
  });
  it('no matching param leaves the text (and $(params.x), $(tt.params1.x)) alone', () => {
    const r = render(
      [{ kind: 'X', a: '$(tt.params1.invalidid)', b: '$(params.twoid)' }],
      [bound('invalidid', 'v'), bound('twoid', 'v')],
    );
    assert.equal(r.resources[0].object!.a, '$(tt.params1.invalidid)');
    assert.equal(r.resources[0].object!.b, '$(params.twoid)');
  });
  it('a JSON-escaped string value joins a string ("join string with quoted message")', () => {
    const r = render([{ kind: 'X', foo: 'bar-$(tt.params.p1)-bar' }], [bound('p1', 'this is a \\"quoted\\" string')]);
    assert.equal(r.resources[0].object!.foo, 'bar-this is a "quoted" string-bar');
  });
  it('no JSON escaping: a value with raw quotes breaks the JSON and the resource fails as upstream', () => {
    const r = render([{ kind: 'X', foo: '$(tt.params.p1)' }], [bound('p1', '{"a":"b"}')]);
    assert.equal(r.resources[0].json, '{"foo":"{"a":"b"}","kind":"X"}');
    assert.match(
      r.resources[0].error ?? '',
      /^couldn't unmarshal json from the TriggerTemplate: invalid character 'a' after object key:value pair/,
    );
  });
  it('triggers.tekton.dev/old-escape-quotes escapes " ("escape quotes in param val - old escaping")', () => {
    const r = render([{ kind: 'X', foo: '$(tt.params.p1)' }], [bound('p1', '{"a":"b"}')], {
      'triggers.tekton.dev/old-escape-quotes': 'true',
    });
    assert.equal(r.resources[0].error, undefined);
    assert.equal(r.resources[0].object!.foo, '{"a":"b"}');
    assert.ok(r.resources[0].json.includes('"foo":"{\\"a\\":\\"b\\"}"'));
  });
  it('event_test.go TestResolveResources: single values in two templates', () => {
    const r = render(
      [
        { kind: 'X', rt1: '$(tt.params.p1)-$(tt.params.p2)' },
        { kind: 'X', rt2: '$(tt.params.p1)-$(tt.params.p2)' },
      ],
      [bound('p1', 'val1'), bound('p2', '42')],
    );
    assert.equal(r.resources[0].object!.rt1, 'val1-42');
    assert.equal(r.resources[1].object!.rt2, 'val1-42');
  });
});

describe('template: $(uid), unbound params, $( rewriting', () => {
  it('$(uid) is one value per trigger run, shared by all templates ("uid replacement is consistent")', () => {
    const r = render(
      [
        { kind: 'X', metadata: { name: 'a-$(uid)' } },
        { kind: 'Y', rt2: '$(uid)' },
      ],
      [],
    );
    assert.equal(r.resources[0].name, 'a-uid-1');
    assert.equal(r.resources[1].object!.rt2, 'uid-1');
  });
  it('a param with no binding and no default stays literal and is reported', () => {
    const r = render(
      [{ kind: 'X', msg: 'hi $(tt.params.missing)' }],
      [{ name: 'missing', origin: 'unbound', declared: true }],
    );
    assert.equal(r.resources[0].object!.msg, 'hi $(tt.params.missing)');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, 'unbound-template-param');
    assert.match(r.problems[0].message, /'missing' has no binding and no default/);
  });
  it('values have $( written as $$( so payload text is not read as a Tekton variable (tektoncd/triggers#1896)', () => {
    const p = bound('msg', 'run $(tasks.a.results.b)');
    const r = render([{ kind: 'X', msg: '$(tt.params.msg)' }], [p]);
    assert.equal(r.resources[0].object!.msg, 'run $$(tasks.a.results.b)');
    assert.equal(p.dollarEscaped, true);
    const off = render(
      [{ kind: 'X', msg: '$(tt.params.msg)' }],
      [bound('msg', 'run $(tasks.a.results.b)')],
      {},
      { escapeDollar: false },
    );
    assert.equal(off.resources[0].object!.msg, 'run $(tasks.a.results.b)');
  });
});

describe('template: what resource creation adds (pkg/resources/create.go)', () => {
  it('labels eventlistener, trigger and triggers-eventid are added; existing labels kept; generateName kept', () => {
    const r = render(
      [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'run-', labels: { app: 'x' } } }],
      [],
    );
    const res = r.resources[0];
    assert.equal(res.generateName, 'run-');
    assert.equal(res.name, undefined);
    assert.deepEqual((res.object!.metadata as Record<string, unknown>).labels, {
      app: 'x',
      'triggers.tekton.dev/eventlistener': 'el',
      'triggers.tekton.dev/trigger': 'trig',
      'triggers.tekton.dev/triggers-eventid': 'ev-1',
    });
    assert.match(res.yaml!, /^apiVersion: tekton\.dev\/v1\nkind: PipelineRun\nmetadata:\n {2}generateName: run-\n/);
  });
  it('the namespace defaults to the trigger namespace; an explicit one is kept', () => {
    const r = render([{ kind: 'A' }, { kind: 'B', metadata: { namespace: 'other' } }], []);
    assert.equal(r.resources[0].namespace, 'ns1');
    assert.equal((r.resources[0].object!.metadata as Record<string, unknown>).namespace, 'ns1');
    assert.equal(r.resources[1].namespace, 'other');
  });
  it('a template without kind, or with non-string labels, cannot be created', () => {
    assert.match(render([{ apiVersion: 'v1' }], []).resources[0].error ?? '', /Object 'Kind' is missing/);
    assert.match(
      render([{ kind: 'A', metadata: { labels: { n: 1 } } }], []).resources[0].error ?? '',
      /non-string value/,
    );
  });
});

describe('template: finding the template (resource.go ResolveTrigger)', () => {
  const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tt
  annotations:
    triggers.tekton.dev/old-escape-quotes: "true"
spec:
  params:
    - name: a
      default: x
    - name: b
  resourcetemplates:
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        generateName: cm-
      data:
        a: $(tt.params.a)
`;
  const ws = new WorkspaceResources(yamlResources(text));
  it('template.ref in the trigger namespace, with annotations and param defaults (with sources)', () => {
    const r = resolveTemplate({ ref: 'tt' }, ws, 'default', undefined);
    assert.ok('template' in r);
    assert.equal(r.template.name, 'tt');
    assert.equal(r.template.annotations['triggers.tekton.dev/old-escape-quotes'], 'true');
    const params = templateParams(r.template)!;
    assert.deepEqual(
      params.map((p) => [p.name, p.default]),
      [
        ['a', 'x'],
        ['b', undefined],
      ],
    );
    assert.equal(text.slice(params[0].defaultSource!.start, params[0].defaultSource!.end), 'x');
  });
  it('an embedded template.spec; a missing ref fails ("triggertemplate not found")', () => {
    const e = resolveTemplate({ spec: { resourcetemplates: [] } }, ws, 'default', undefined);
    assert.ok('template' in e && e.template.name === undefined);
    const m = resolveTemplate({ ref: 'tt' }, ws, 'elsewhere', undefined);
    assert.ok('error' in m && m.error.startsWith('error getting TriggerTemplate tt'));
  });
});
