/**
 * TriggerBinding resolution, checked against tektoncd/triggers pkg/template/event_test.go
 * (TestApplyEventValuesToParams, TestApplyEventValuesMergeInDefaultParams, TestResolveParams and their _Error
 * variants) and pkg/template/resource_test.go (Test_ResolveTrigger, duplicate params).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectBindingParams,
  resolveParams,
  type BindingParam,
  type TemplateParamSpec,
} from '../../../server/src/triggers/simulation/bindings';
import { WorkspaceResources } from '../../../server/src/triggers/simulation/workspaceResources';
import { yamlResources } from './helpers';

const inline = (name: string, value: string): BindingParam => ({ name, value, binding: { kind: 'inline' } });

function resolve(
  params: BindingParam[],
  body: string | undefined,
  opts: {
    header?: Record<string, string[]>;
    extensions?: Record<string, unknown>;
    template?: TemplateParamSpec[];
  } = {},
) {
  return resolveParams(
    params,
    { body: Buffer.from(body ?? ''), header: opts.header ?? {}, extensions: opts.extensions ?? {}, eventID: '1234567' },
    opts.template,
  );
}

function values(
  params: BindingParam[],
  body: string | undefined,
  opts: Parameters<typeof resolve>[2] = {},
): Record<string, string | undefined> {
  const r = resolve(params, body, opts);
  if ('error' in r) throw new Error(r.error);
  return Object.fromEntries(r.params.map((p) => [p.name, p.value]));
}

const objects = `{"a":"v","c":{"d":"e"},"empty": "","null": null, "number": 42}`;

describe('bindings: event values (event_test.go TestApplyEventValuesToParams)', () => {
  it('header with several values → joined with "," ("header with single values", "headers - multiple values joined by comma")', () => {
    const header = { 'Header-One': ['val1', 'val2'] };
    assert.deepEqual(values([inline('foo', '$(header)')], undefined, { header }), {
      foo: '{"Header-One":"val1,val2"}',
    });
    assert.deepEqual(values([inline('foo', '$(header.header-one)')], undefined, { header }), { foo: 'val1,val2' });
  });
  it('header keys are canonicalised ("header keys miss-match case", $(header.content-type))', () => {
    const header = { 'Header-One': ['val1'], 'Content-Type': ['application/json'] };
    assert.deepEqual(
      values([inline('foo', '$(header.header-one)'), inline('ct', '$(header.content-type)')], undefined, { header }),
      {
        foo: 'val1',
        ct: 'application/json',
      },
    );
  });
  it('no body → null, {} → {}, entire body and array body as JSON', () => {
    assert.deepEqual(values([inline('foo', '$(body)')], ''), { foo: 'null' });
    assert.deepEqual(values([inline('foo', '$(body)')], '{}'), { foo: '{}' });
    assert.deepEqual(values([inline('foo', '$(body)')], objects), {
      foo: '{"a":"v","c":{"d":"e"},"empty":"","null":null,"number":42}',
    });
    assert.deepEqual(values([inline('foo', '$(body)')], `[{"a": "b"}, {"c": "d"}, {"e": "f"}]`), {
      foo: '[{"a":"b"},{"c":"d"},{"e":"f"}]',
    });
  });
  it('body with special chars stays JSON-escaped ("body with special chars")', () => {
    assert.deepEqual(values([inline('foo', '$(body)')], `{"a": "v\\r\\n烈"}`), { foo: '{"a":"v\\r\\n烈"}' });
  });
  it('several expressions and static text in one value', () => {
    assert.deepEqual(values([inline('foo', '$(body.a): $(body.b)')], `{"a": "val1", "b": "val2"}`), {
      foo: 'val1: val2',
    });
    assert.deepEqual(values([inline('foo', 'body.a is: $(body.a)')], `{"a": "val1"}`), { foo: 'body.a is: val1' });
    const child = `{"child":[{"a": "b", "w": "1"}, {"a": "c", "w": "2"}, {"a": "d", "w": "3"}]}`;
    assert.deepEqual(values([inline('a', "$(body.child[?(@.a == 'd')].w) : $(body.child[0].a)")], child), {
      a: '3 : b',
    });
  });
  it('extensions: a value, an element, JSON values', () => {
    assert.deepEqual(values([inline('a', '$(extensions.foo)')], '', { extensions: { foo: 'bar' } }), { a: 'bar' });
    assert.deepEqual(
      values([inline('a', '$(extensions.foo.bar[1])')], '', { extensions: { foo: { bar: ['a', 'b', 'c'] } } }),
      { a: 'b' },
    );
    assert.deepEqual(
      values([inline('a', '$(extensions.foo)')], '', { extensions: { foo: [{ a: '1' }, { b: '2' }] } }),
      { a: '[{"a":"1"},{"b":"2"}]' },
    );
  });
  it('$(context.eventID)', () => {
    assert.deepEqual(values([inline('event1', '$(context.eventID)')], '{}'), { event1: '1234567' });
  });
  it('nested $($(body.b)): only the innermost expression is evaluated (findTektonExpressions)', () => {
    assert.deepEqual(values([inline('n', '$($(body.b))')], `{"b": "body.a", "a": "x"}`), { n: '$(body.a)' });
  });
});

describe('bindings: errors (event_test.go TestApplyEventValuesToParams_Error, TestResolveParams_Error)', () => {
  it('a missing key without a template default fails with upstream message', () => {
    const r = resolve([inline('foo', '$(body.missing)')], '{}');
    assert.deepEqual(r, {
      error:
        'failed to ApplyEventValuesToParams: failed to replace JSONPath value for param foo: $(body.missing): missing is not found',
      source: undefined,
    });
  });
  it('a missing extension fails ("invalid extension")', () => {
    const r = resolve([inline('foo', '$(extensions.missing)')], '{}', { extensions: { foo: 'bar' } });
    assert.ok('error' in r && r.error.endsWith('$(extensions.missing): missing is not found'));
  });
  it('a body that is not JSON fails even for static params ("invalid body")', () => {
    const r = resolve([inline('p1', 'val1')], '{');
    assert.ok('error' in r);
    assert.equal(
      r.error,
      'failed to ApplyEventValuesToParams: failed to marshal event: failed to unmarshal request body: unexpected end of JSON input',
    );
    const r2 = resolve([inline('foo', '$(body)')], '{blahblah}');
    assert.ok('error' in r2 && r2.error.endsWith("invalid character 'b' looking for beginning of object key string"));
  });
  it('an invalid expression fails ($(header.[))', () => {
    const r = resolve([inline('p1', '$(header.[)')], '{}');
    assert.ok('error' in r && r.error.endsWith('$(header.[): unterminated array'));
  });
});

describe('bindings: template defaults (event_test.go TestResolveParams, TestApplyEventValuesMergeInDefaultParams)', () => {
  const spec = (name: string, def?: string): TemplateParamSpec => ({ name, default: def });
  it('defaults fill params without a binding; bindings override defaults', () => {
    assert.deepEqual(values([inline('p1', 'val1')], '{}', { template: [spec('p2', 'defaultVal')] }), {
      p1: 'val1',
      p2: 'defaultVal',
    });
    assert.deepEqual(values([inline('p1', 'val1')], '{}', { template: [spec('p1', 'defaultVal')] }), { p1: 'val1' });
    assert.deepEqual(
      values([], '{}', {
        template: [spec('oneid', 'onedefault'), spec('twoid', 'twodefault'), spec('threeid', 'threedefault')],
      }),
      {
        oneid: 'onedefault',
        threeid: 'threedefault',
        twoid: 'twodefault',
      },
    );
  });
  it('a failing expression falls back to the default ("add default values if param missing from body")', () => {
    const r = resolve([inline('p1', 'val1'), inline('p2', '$(body.p2)')], '{}', {
      template: [spec('p2', 'defaultVal')],
    });
    assert.ok('params' in r);
    const p2 = r.params.find((p) => p.name === 'p2')!;
    assert.equal(p2.value, 'defaultVal');
    assert.equal(p2.origin, 'binding-default');
    assert.equal(p2.expressions?.[0].error, 'p2 is not found');
    assert.equal(p2.expressions?.[0].usedDefault, true);
  });
  it('values with newlines stay escaped ("values with newlines")', () => {
    const r = values(
      [inline('param1', 'qux'), inline('param2', '$(body.foo)'), inline('event1', '$(context.eventID)')],
      `{"foo": "bar\\r\\nbaz"}`,
      {
        template: [spec('param1', ''), spec('param2', '')],
      },
    );
    assert.deepEqual(r, { event1: '1234567', param1: 'qux', param2: 'bar\\r\\nbaz' });
  });
  it('declared params with no binding and no default are reported unbound; undeclared bindings are flagged', () => {
    const r = resolve([inline('extra', 'x')], '{}', { template: [spec('nodefault')] });
    assert.ok('params' in r);
    assert.deepEqual(
      r.params.map((p) => [p.name, p.origin, p.declared, p.value]),
      [
        ['extra', 'binding', false, 'x'],
        ['nodefault', 'unbound', true, undefined],
      ],
    );
  });
});

const WORKSPACE = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: tb
spec:
  params:
    - name: foo
      value: $(body.a)
---
apiVersion: triggers.tekton.dev/v1beta1
kind: ClusterTriggerBinding
metadata:
  name: ctb
spec:
  params:
    - name: foo-ctb
      value: bar-ctb
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: other-ns
  namespace: elsewhere
spec:
  params:
    - name: x
      value: y
`;

describe('bindings: refs and inline bindings (resource_test.go Test_ResolveTrigger)', () => {
  const resources = yamlResources(WORKSPACE);
  const ws = new WorkspaceResources(resources);
  it('"multiple binding params are merged": TriggerBinding (default kind), ClusterTriggerBinding, inline', () => {
    const r = collectBindingParams(
      [{ ref: 'tb' }, { ref: 'ctb', kind: 'ClusterTriggerBinding' }, { name: 'p1', value: 'v1' }],
      ws,
      'default',
      undefined,
    );
    assert.ok('params' in r);
    assert.deepEqual(
      r.params.map((p) => [p.name, p.value, p.binding.kind, p.binding.name]),
      [
        ['foo', '$(body.a)', 'TriggerBinding', 'tb'],
        ['foo-ctb', 'bar-ctb', 'ClusterTriggerBinding', 'ctb'],
        ['p1', 'v1', 'inline', undefined],
      ],
    );
  });
  it('the source of a binding param is its value in the TriggerBinding', () => {
    const r = collectBindingParams([{ ref: 'tb' }], ws, 'default', undefined);
    assert.ok('params' in r);
    const src = r.params[0].binding.source!;
    assert.equal(WORKSPACE.slice(src.start, src.end), '$(body.a)');
    assert.equal(src.uri, 'file:///workspace/test.yaml');
  });
  it('duplicate param names are rejected ("duplicate param name")', () => {
    const r = collectBindingParams([{ ref: 'tb' }, { name: 'foo', value: 'again' }], ws, 'default', undefined);
    assert.ok('error' in r);
    assert.equal(r.error, 'failed to resolve bindings: duplicate param name: foo');
  });
  it('a TriggerBinding is looked up in the trigger namespace; a missing one fails ("triggerbinding not found")', () => {
    assert.ok('params' in collectBindingParams([{ ref: 'other-ns' }], ws, 'elsewhere', undefined));
    const r = collectBindingParams([{ ref: 'other-ns' }], ws, 'default', undefined);
    assert.ok('error' in r && /error getting TriggerBinding other-ns: .*not found/.test(r.error));
    const c = collectBindingParams([{ ref: 'nope', kind: 'ClusterTriggerBinding' }], ws, 'default', undefined);
    assert.ok('error' in c && c.error.includes('error getting ClusterTriggerBinding nope'));
  });
  it('a binding with neither ref nor name/value is invalid', () => {
    const r = collectBindingParams([{ name: 'only-a-name' }], ws, 'default', undefined);
    assert.ok('error' in r && r.error.startsWith('failed to resolve bindings: invalid binding'));
  });
});
