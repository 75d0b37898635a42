/**
 * The JSONPath dialect of TriggerBindings, checked against tektoncd/triggers pkg/template/jsonpath_test.go
 * (TestParseJSONPath, TestParseJSONPath_Error, TestTektonJSONPathExpression, TestFindTektonExpressions) and the
 * Kubernetes JSONPath forms the docs describe (docs/triggerbindings.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GoStruct } from '../../../server/src/triggers/simulation/goEncoding';
import {
  evaluateTektonExpression,
  findTektonExpressions,
  tektonJsonPathExpression,
} from '../../../server/src/triggers/simulation/jsonpath';

/** Upstream tests evaluate against `{"body": <json>}`. */
function ev(bodyJson: string, expr: string): string {
  const r = evaluateTektonExpression({ body: JSON.parse(bodyJson) }, expr);
  if ('error' in r) throw new Error(r.error);
  return r.value;
}

function evError(bodyJson: string, expr: string): string {
  const r = evaluateTektonExpression({ body: JSON.parse(bodyJson) }, expr);
  assert.ok('error' in r, `expected an error for ${expr}, got ${'value' in r ? r.value : ''}`);
  return r.error;
}

const objects = `{"a":"v\\r\\n烈","c":{"d":"e"},"empty": "","null": null, "number": 42}`;
const arrays = `[{"a": "b"}, {"c": "d"}, {"e": "f"}]`;

describe('jsonpath: result formatting (jsonpath_test.go TestParseJSONPath)', () => {
  it('objects → JSON with sorted keys and no spaces', () => {
    assert.equal(ev(objects, '$(body)'), '{"a":"v\\r\\n烈","c":{"d":"e"},"empty":"","null":null,"number":42}');
  });
  it('array of objects / array of values → JSON', () => {
    assert.equal(ev(arrays, '$(body)'), '[{"a":"b"},{"c":"d"},{"e":"f"}]');
    assert.equal(ev(`["a", "b", "c"]`, '$(body)'), '["a","b","c"]');
  });
  it('a single string is unquoted but stays JSON-escaped ("string values": v\\\\r\\\\n烈)', () => {
    assert.equal(ev(objects, '$(body.a)'), 'v\\r\\n烈');
  });
  it('empty string, number, boolean, null', () => {
    assert.equal(ev(objects, '$(body.empty)'), '');
    assert.equal(ev(objects, '$(body.number)'), '42');
    assert.equal(ev(`{"bool": true}`, '$(body.bool)'), 'true');
    assert.equal(ev(objects, '$(body.null)'), 'null');
  });
  it('multiple results → a JSON array ("multiple results", "with empty string", "with null")', () => {
    assert.equal(ev(arrays, '$(body[:2])'), '[{"a":"b"},{"c":"d"}]');
    assert.equal(ev(`["", "some", "thing"]`, '$(body[:2])'), '["","some"]');
    assert.equal(ev(`["", "v\\r\\n烈", "thing"]`, '$(body[:2])'), '["","v\\r\\n烈"]');
    assert.equal(ev(`["", null, "thing"]`, '$(body[:2])'), '["",null]');
  });
  it("array filters: $(body.child[?(@.a == 'd')].w) → 3", () => {
    const child = `{"child":[{"a": "b", "w": "1"}, {"a": "c", "w": "2"}, {"a": "d", "w": "3"}]}`;
    assert.equal(ev(child, "$(body.child[?(@.a == 'd')].w)"), '3');
    assert.equal(ev(child, '$(body.child[?(@.a=="c")].w)'), '2');
  });
  it('HTML characters are escaped as Go encoding/json does', () => {
    assert.equal(ev(`{"s": "a<b>&c"}`, '$(body.s)'), 'a\\u003cb\\u003e\\u0026c');
    assert.equal(ev(`{"o": {"s": "<"}}`, '$(body.o)'), '{"s":"\\u003c"}');
  });
});

describe('jsonpath: Kubernetes JSONPath forms', () => {
  it('indexes, negative indexes and slices (event_test.go "array key", "array last key")', () => {
    assert.equal(ev(`{"a": [{"k": 1}, {"k": 2}, {"k": 3}]}`, '$(body.a[1])'), '{"k":2}');
    assert.equal(ev(`{"a": [{"k": 1}, {"k": 2}, {"k": 3}]}`, '$(body.a[-1:])'), '{"k":3}');
    assert.equal(ev(`{"a": [1, 2, 3]}`, '$(body.a[-1])'), '3');
    assert.equal(ev(`{"a": [1, 2, 3, 4, 5]}`, '$(body.a[0:5:2])'), '[1,3,5]');
    assert.equal(ev(`{"a": [1, 2]}`, '$(body.a[*])'), '[1,2]');
    assert.equal(ev(`{"a": []}`, '$(body.a[*])'), '[]');
  });
  it('escaped dots and slashes in keys (docs/triggerbindings.md: $(body.dev\\.tekton\\.dev\\/foo))', () => {
    assert.equal(ev(`{"dev.tekton.dev/foo": "bar"}`, '$(body.dev\\.tekton\\.dev\\/foo)'), 'bar');
  });
  it("unions, ['key'] and recursive descent", () => {
    assert.equal(ev(`{"a": [1, 2, 3]}`, '$(body.a[0,2])'), '[1,3]');
    assert.equal(ev(`{"a": {"b": "q"}}`, "$(body['a'].b)"), 'q');
    assert.equal(ev(`{"a": {"c": 1}, "x": {"y": {"c": 2}}}`, '$(body..c)'), '[1,2]');
  });
  it('relaxed forms a.b, .a.b, {a.b}, {.a.b} (TestTektonJSONPathExpression)', () => {
    for (const e of ['$(metadata.name)', '$(.metadata.name)', '$({.metadata.name})', '$({metadata.name})']) {
      assert.deepEqual(tektonJsonPathExpression(e), { path: '{.metadata.name}' });
    }
    assert.deepEqual(tektonJsonPathExpression('$()'), { path: '' });
    for (const e of ['{.metadata.name}', '', '$({asd)', '$(foo.bar})', '$({foo.bar}})', '$({{foo.bar)']) {
      assert.ok('error' in tektonJsonPathExpression(e), e);
    }
  });
  it('struct fields of the event by json tag (context.eventID) and Go name', () => {
    const event = new GoStruct('template.event', [
      { json: 'body', go: 'Body', value: {} },
      {
        json: 'context',
        go: 'Context',
        value: new GoStruct('template.TriggerContext', [{ json: 'eventID', go: 'EventID', value: 'id-1' }]),
      },
    ]);
    assert.deepEqual(evaluateTektonExpression(event, '$(context.eventID)'), {
      value: 'id-1',
      jsonPath: '{.context.eventID}',
    });
    assert.deepEqual(evaluateTektonExpression(event, '$(context)'), {
      value: '{"eventID":"id-1"}',
      jsonPath: '{.context}',
    });
    assert.deepEqual(evaluateTektonExpression(event, '$(Context.EventID)'), {
      value: 'id-1',
      jsonPath: '{.Context.EventID}',
    });
  });
});

describe('jsonpath: errors (TestParseJSONPath_Error)', () => {
  it('missing key: "missing is not found" (AllowMissingKeys(false))', () => {
    assert.equal(evError(`{"key": "val"}`, '$(body.missing)'), 'missing is not found');
  });
  it('indexing a string, unterminated arrays, bad characters', () => {
    assert.equal(evError(`{"key": "val"}`, '$(body.key[0])'), 'string is not array or slice');
    assert.equal(evError(`{}`, '$(header.[)'), 'unterminated array');
    assert.match(evError(`{"key": "val"}`, '$({.hello)'), /unexpected path string/);
    assert.equal(evError(`{"a": [1]}`, '$(body.a[3])'), 'array index out of bounds: index 3, length 1');
    assert.equal(evError(`{"a": 1}`, '$(body.a %)'), "unrecognized character in action: U+0025 '%'");
    assert.equal(evError(`{"a": 1}`, '$(body.a#)'), 'a# is not found');
  });
  it('a field of an array fails (event_test.go "invalid expression(s)": $(body.[0]) on an array)', () => {
    assert.equal(evError(`["a", "b"]`, '$(body.[0])'), ' is not found');
  });
  it('filters compare like Go templates: a JSON number is float64, a literal 3 an int', () => {
    assert.equal(evError(`{"l": [{"w": 3}]}`, '$(body.l[?(@.w == 3)])'), 'incompatible types for comparison');
    assert.equal(ev(`{"l": [{"w": 3}]}`, '$(body.l[?(@.w == 3.0)].w)'), '3');
  });
});

describe('jsonpath: findTektonExpressions (TestFindTektonExpressions)', () => {
  const cases: [string, string[], string[]][] = [
    ['$(body.blah)', ['$(body.blah)'], ['$(body.blah)']],
    ['$(body.blah)-$(header.*)', ['$(body.blah)', '$(header.*)'], ['$(body.blah)', '$(header.*)']],
    [
      'start:$(body.blah)//middle//$(header.one)-end',
      ['$(body.blah)', '$(header.One)'],
      ['$(body.blah)', '$(header.one)'],
    ],
    [
      'start:$(body.blah)//middle//$(header.ONE-TWO)-end',
      ['$(body.blah)', '$(header.One-Two)'],
      ['$(body.blah)', '$(header.ONE-TWO)'],
    ],
    [
      "start:$(body.[?(@.a == 'd')])-$(body.another-one)",
      ["$(body.[?(@.a == 'd')])", '$(body.another-one)'],
      ["$(body.[?(@.a == 'd')])", '$(body.another-one)'],
    ],
    ['$(this)-$(not-this', ['$(this)'], ['$(this)']],
    ['$body.)', [], []],
    ['($(body.blah))-and-$(body.foo)', ['$(body.blah)', '$(body.foo)'], ['$(body.blah)', '$(body.foo)']],
    ['asd)$(asd', [], []],
    ['onlystatic', [], []],
    ['$())))', ['$()'], ['$()']],
    ['$($())', ['$()'], ['$()']],
    ['$($($(blahblah)))', ['$(blahblah)'], ['$(blahblah)']],
  ];
  for (const [input, want, originals] of cases) {
    it(JSON.stringify(input), () => {
      const found = findTektonExpressions(input);
      assert.deepEqual(
        found.map((f) => f.expression),
        want,
      );
      assert.deepEqual(
        found.map((f) => f.original),
        originals,
      );
    });
  }
});
