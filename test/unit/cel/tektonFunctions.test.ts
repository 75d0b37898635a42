/**
 * The Tekton Triggers CEL functions (pkg/interceptors/cel/triggers.go) and variables, with expected values
 * taken from upstream: tektoncd/triggers pkg/interceptors/cel/cel_test.go (TestExpressionEvaluation,
 * TestExpressionEvaluation_Error, TestInterceptor_Process, TestURLToMap) and docs/cel_expressions.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, formatCelValue } from '../../../server/src/cel/celService';
import { error, value } from './helpers';

// The evaluation context of cel_test.go TestExpressionEvaluation (JSON numbers as doubles, as they are
// when the body comes from JSON).
const testSHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const body = {
  value: 'testing',
  sha: testSHA,
  ref: 'refs/heads/master',
  pull_request: { commits: 2 },
  upperMsg: 'THIS IS LOWER CASE',
  b64value: 'ZXhhbXBsZQ==',
  json_body: '{"testing": "value", "number": 2}',
  yaml_body: 'key1: value1\nkey2: value2\nkey3: value3\n',
  testURL: 'https://user:password@site.example.com/path/to?query=search#first',
  multiURL: 'https://user:password@site.example.com/path/to?query=search&query=results',
  jsonObject: { string: 'value', integer: 2 },
  jsonArray: ['one', 'two'],
  jsonObjects: [{ testing1: { testing: ['test1', 'test2'] } }],
};
const ctx = {
  body,
  header: { 'X-Test-Header': ['value'] },
  requestURL: 'https://example.com/testing?param=value',
  extensions: {},
};
const secrets = { 'test-secret': { token: 'secrettoken' } };

describe('Tekton CEL: header.match / header.canonical (cel_test.go)', () => {
  const h = { body: {}, header: { 'Content-Type': ['application/json'], 'X-Test': ['test-value'] }, extensions: {}, requestURL: '' };
  it("header.match('x-test', 'test-value') matches case-insensitively (TestInterceptor_Process)", () => {
    assert.equal(value("header.match('x-test', 'test-value')", h), true);
    assert.equal(value("header.match('X-TEST', 'test-value')", h), true);
    assert.equal(value("header.match('x-test', 'no-match')", h), false);
  });
  it('match compares only the first value, like http.Header.Get', () => {
    assert.equal(value("header.match('X-Multi', 'b')", { ...h, header: { 'X-Multi': ['a', 'b'] } }), false);
  });
  it("header.canonical('x-test-header') == 'value' and '' when absent (TestExpressionEvaluation)", () => {
    assert.equal(value("header.canonical('X-Test-Header')", ctx), 'value');
    assert.equal(value("header.canonical('x-test-header')", ctx), 'value');
    assert.equal(value("header.canonical('X-Missing')", ctx), '');
  });
  it("header['X-Test'][0] == 'test-value' (TestInterceptor_Process)", () => {
    assert.equal(value("header['X-Test'][0] == 'test-value'", h), true);
  });
  it("body.match(...) fails with 'failed to convert to http.Header' (TestExpressionEvaluation_Error)", () => {
    assert.match(error("body.match('testing', 'test')", ctx), /failed to convert to http.Header/);
    assert.match(error("body.canonical('testing')", ctx), /failed to convert to http.Header/);
  });
});

describe('Tekton CEL: truncate (cel_test.go)', () => {
  it('truncates a long string: body.sha.truncate(7) == "ec26c3e"', () => {
    assert.equal(value('body.sha.truncate(7)', ctx), 'ec26c3e');
  });
  it('keeps a string of exactly that length, and one shorter than the limit', () => {
    assert.equal(value('body.value.truncate(7)', ctx), 'testing');
    assert.equal(value('body.sha.truncate(45)', ctx), testSHA);
  });
  it('combines with split: body.value.split("/")[0].truncate(2) == "te"', () => {
    assert.equal(value("body.value.split('/')[0].truncate(2)", ctx), 'te');
  });
  it('cuts UTF-8 bytes as Go slices strings, not UTF-16 units', () => {
    // "é" is two bytes: truncate(1) cuts inside it (Go then prints U+FFFD); truncate(3) keeps "hé".
    assert.equal(value("'héllo'.truncate(3)"), 'hé');
    assert.equal(value("'héllo'.truncate(2)"), 'h\uFFFD');
    assert.equal(value("'日本'.truncate(3)"), '日');
  });
  it("body.pull_request.truncate(7) has no overload (TestExpressionEvaluation_Error)", () => {
    assert.match(error('body.pull_request.truncate(7)', ctx), /no matching overload|no such overload/);
  });
});

describe('Tekton CEL: compareSecret (cel_test.go)', () => {
  it("'secrettoken'.compareSecret('token', 'test-secret', 'testing-ns') is true, 'nomatch' is false", () => {
    assert.equal(value("'secrettoken'.compareSecret('token', 'test-secret', 'testing-ns')", ctx, 'triggers', { secrets }), true);
    assert.equal(value("'nomatch'.compareSecret('token', 'test-secret', 'testing-ns')", ctx, 'triggers', { secrets }), false);
  });
  it('the two-argument form reads the secret from the default namespace', () => {
    assert.equal(value("'secrettoken'.compareSecret('token', 'test-secret')", ctx, 'triggers', { secrets }), true);
  });
  it('ignores the namespace argument (triggers.go reads the trigger namespace)', () => {
    assert.equal(value("'secrettoken'.compareSecret('token', 'test-secret', 'some-other-ns')", ctx, 'triggers', { secrets }), true);
  });
  it('a prefix or an extension of the secret does not match', () => {
    assert.equal(value("'secrettoke'.compareSecret('token', 'test-secret')", ctx, 'triggers', { secrets }), false);
    assert.equal(value("'secrettokenX'.compareSecret('token', 'test-secret')", ctx, 'triggers', { secrets }), false);
  });
  it("a missing secret fails with 'failed to find secret' (TestExpressionEvaluation_Error)", () => {
    assert.match(error("'testing'.compareSecret('testing', 'testSecret', 'mytoken')", ctx, 'triggers', { secrets }), /failed to find secret.*testSecret/);
  });
  it('accepts a lookup function and bytes', () => {
    const lookup = (name: string, key: string) => (name === 's' && key === 'k' ? new TextEncoder().encode('v') : undefined);
    assert.equal(value("'v'.compareSecret('k', 's')", ctx, 'triggers', { secrets: lookup }), true);
  });
});

describe('Tekton CEL: parseJSON / parseYAML (cel_test.go)', () => {
  it("body.json_body.parseJSON().testing == 'value'", () => {
    assert.equal(value("body.json_body.parseJSON().testing == 'value'", ctx), true);
  });
  it('JSON numbers compare with doubles, ints and uints (heterogeneous comparison)', () => {
    assert.equal(value('body.json_body.parseJSON().number == body.jsonObject.integer', ctx), true);
    assert.equal(value('body.json_body.parseJSON().number > 1', ctx), true);
    assert.equal(value('body.json_body.parseJSON().number < 3u', ctx), true);
    assert.equal(value('body.json_body.parseJSON().number == 2.0', ctx), true);
    assert.equal(value('body.json_body.parseJSON().number == null', ctx), false);
  });
  it("body.yaml_body.parseYAML().key1 == 'value1'", () => {
    assert.equal(value("body.yaml_body.parseYAML().key1 == 'value1'", ctx), true);
  });
  it('parseYAML follows YAML 1.1 like sigs.k8s.io/yaml (yes is a bool, numbers are doubles)', () => {
    assert.equal(value("'a: yes\\nb: 2'.parseYAML().a"), true);
    assert.equal(value("'a: yes\\nb: 2'.parseYAML().b"), 2);
  });
  it('errors: invalid JSON, non-string receiver, unknown key, invalid YAML (TestExpressionEvaluation_Error)', () => {
    const ectx = { ...ctx, body: { value: 'testing', valid_yaml: 'key1: value1\nkey2: value2\n', invalid_yaml: 'key1: value1key2: value2\n', pull_request: { commits: [] } } };
    assert.match(error("body.value.parseJSON().test == 'test'", ectx), /failed to decode 'testing' in parseJSON/);
    assert.match(error("body.pull_request.parseJSON().test == 'test'", ectx), /no matching overload|no such overload/);
    assert.match(error("body.pull_request.parseYAML().key1 == 'value1'", ectx), /no matching overload|no such overload/);
    assert.match(error("body.valid_yaml.parseYAML().key3 == 'value3'", ectx), /no such key: key3/);
    assert.match(error("body.invalid_yaml.parseYAML().key1 == 'value1'", ectx), /failed to decode 'key1: value1key2: value2\n' in parseYAML/);
  });
});

describe('Tekton CEL: parseURL (cel_test.go TestURLToMap and docs/cel_expressions.md)', () => {
  it('returns exactly scheme, host, path, rawQuery, fragment, query, queryStrings and auth', () => {
    const v = value("'https://user:testing@example.com/search?q=dotnet#first'.parseURL()");
    assert.equal(formatCelValue(v), JSON.stringify({
      scheme: 'https', host: 'example.com', path: '/search', rawQuery: 'q=dotnet', fragment: 'first',
      queryStrings: { q: ['dotnet'] }, query: { q: 'dotnet' }, auth: { username: 'user', password: 'testing' },
    }));
  });
  it("body.testURL.parseURL().path == '/path/to' and query['query'] == 'search'", () => {
    assert.equal(value("body.testURL.parseURL().path == '/path/to'", ctx), true);
    assert.equal(value("body.testURL.parseURL().query['query'] == 'search'", ctx), true);
  });
  it('query joins repeated parameters with commas, queryStrings keeps the list', () => {
    assert.deepEqual(value("body.multiURL.parseURL().queryStrings['query']", ctx), ['search', 'results']);
    assert.equal(value("body.multiURL.parseURL().query['query']", ctx), 'search,results');
  });
  it("requestURL.parseURL().path == '/testing'", () => {
    assert.equal(value('requestURL.parseURL().path', ctx), '/testing');
  });
  it('has no auth key without userinfo, and decodes escapes like Go (+ is a space only in the query)', () => {
    assert.equal(value("has('https://example.com/a'.parseURL().auth)"), false);
    assert.equal(value("'https://h/a%20b+c?x=1+2%21'.parseURL().path"), '/a b+c');
    assert.equal(value("'https://h/a%20b+c?x=1+2%21'.parseURL().query.x"), '1 2!');
  });
  it('reports malformed URLs', () => {
    assert.match(error("'://missing'.parseURL()"), /missing protocol scheme/);
    assert.match(error("'https://h/%zz'.parseURL()"), /invalid URL escape "%zz"/);
  });
});

describe('Tekton CEL: marshalJSON (cel_test.go)', () => {
  it('encodes an object compactly with sorted keys: {"integer":2,"string":"value"}', () => {
    assert.equal(value('body.jsonObject.marshalJSON()', ctx), '{"integer":2,"string":"value"}');
  });
  it('encodes arrays: ["one","two"] and nested objects', () => {
    assert.equal(value('body.jsonArray.marshalJSON()', ctx), '["one","two"]');
    assert.equal(value('body.jsonObjects.marshalJSON()', ctx), '[{"testing1":{"testing":["test1","test2"]}}]');
  });
  it('escapes <, > and & as Go\'s encoding/json does', () => {
    assert.equal(value("{'a': '<b>&'}.marshalJSON()"), '{"a":"\\u003cb\\u003e\\u0026"}');
  });
  it("a string has no marshalJSON overload (TestExpressionEvaluation_Error: 'no such overload: marshalJSON(string)')", () => {
    assert.match(error('body.value.marshalJSON()', ctx), /no matching overload|no such overload/);
  });
});

describe('Tekton CEL: first, last, translate (docs/cel_expressions.md)', () => {
  it('[1, 2, 3, 4, 5].first() == 1 and .last() == 5', () => {
    assert.equal(value('[1, 2, 3, 4, 5].first() == 1'), true);
    assert.equal(value('[1, 2, 3, 4, 5].last() == 5'), true);
  });
  it('first()/last() of an empty list is an error', () => {
    assert.match(error('[].first()'), /empty list/);
    assert.match(error('[].last()'), /empty list/);
  });
  it('"This is $an Invalid5String ".translate("[^a-z0-9]+", "") == "hisisannvalid5tring"', () => {
    assert.equal(value('"This is $an Invalid5String ".translate("[^a-z0-9]+", "")'), 'hisisannvalid5tring');
  });
  it('"This is $an Invalid5String ".translate("[^a-z0-9]+", "ABC") replaces the trailing space too', () => {
    // docs/cel_expressions.md prints "ABChisABCisABCanABCnvalid5ABCtring", dropping the replacement of the
    // trailing space; Go's ReplaceAllString replaces every match, including that one.
    assert.equal(value('"This is $an Invalid5String ".translate("[^a-z0-9]+", "ABC")'), 'ABChisABCisABCanABCnvalid5ABCtringABC');
    assert.equal(value('"This is $an Invalid5String".translate("[^a-z0-9]+", "ABC")'), 'ABChisABCisABCanABCnvalid5ABCtring');
  });
  it('expands $1 and ${name} like Go ReplaceAllString, where $1x names group "1x"', () => {
    assert.equal(value("'refs/heads/main'.translate('^refs/heads/(.*)$', 'branch-$1')"), 'branch-main');
    assert.equal(value("'a-b'.translate('(?P<first>\\\\w)-(?P<second>\\\\w)', '${second}-${first}')"), 'b-a');
    assert.equal(value("'ab'.translate('(a)', '$1x')"), 'b');
    assert.equal(value("'ab'.translate('(a)', '${1}x')"), 'axb');
    assert.equal(value("'ab'.translate('(a)', '$$1')"), '$1b');
  });
});

describe('Tekton CEL: body, extensions and JSON numbers (docs/cel_expressions.md "Notes on numbers")', () => {
  const numbers = { body: { count: 2, measure: 1.7 }, header: {}, extensions: {}, requestURL: '' };
  it('count_plus_1: body.count + 1.0 == 3, count_plus_2: int(body.count) + 2 == 4, measure_times_3: 5.1', () => {
    assert.equal(value('body.count + 1.0', numbers), 3);
    assert.equal(value('int(body.count) + 2', numbers), 4n);
    assert.equal(value('body.measure * 3.0', numbers), 5.1);
  });
  it("bad_measure_times_3: body.measure * 3 fails with 'no such overload'", () => {
    assert.match(error('body.measure * 3', numbers), /no such overload/);
  });
  it("body.val on a missing key fails with 'no such key: val' (TestExpressionEvaluation_Error)", () => {
    assert.match(error('body.val', ctx), /no such key: val/);
  });
  it("has(body.pull_request.repository.owner) fails with 'no such key: repository'", () => {
    assert.match(error("has(body.pull_request.repository.owner) ? body.pull_request.repository.owner : 'me'", ctx), /no such key: repository/);
  });
  it('defaulting with has() (TestInterceptor_Process "demonstrate defaulting logic")', () => {
    const c = { ...ctx, body: { value: 'test', test: { other: 'thing' } } };
    assert.equal(value("has(body.value) ? body.value : 'default'", c), 'test');
    assert.equal(value("has(body.test.second) ? body.test.second : 'default'", c), 'default');
  });
  it('extensions from earlier interceptors are readable (TestInterceptor_Process)', () => {
    assert.equal(value('extensions.foo == "bar"', { ...ctx, extensions: { foo: 'bar' } }), true);
  });
  it("body.ref.split('/')[2] and replace with a limit of 0 (TestInterceptor_Process)", () => {
    const c = { ...ctx, body: { ref: 'refs/head/master', name: 'testing' } };
    assert.equal(value("body.ref.split('/')[2]", c), 'master');
    assert.equal(value("body.name.replace('ing','ed',0)", c), 'testing');
  });
  it("base64.decode(body.b64value) == b'hello' and string(base64.decode(...)) (docs: cel-go Bytes)", () => {
    const c = { ...ctx, body: { b64value: 'aGVsbG8=' } };
    assert.equal(value("base64.decode(body.b64value) == b'hello'", c), true);
    assert.equal(value("base64.decode(body.b64value) == bytes('hello')", c), true);
    assert.equal(value('string(base64.decode(body.b64value))', c), 'hello');
    // An overlay of bytes is written as base64 text (TestInterceptor_Process "decoded").
    assert.equal(formatCelValue(value('base64.decode(body.b64value)', c)), '"aGVsbG8="');
  });
  it('base64 and join from TestExpressionEvaluation', () => {
    assert.deepEqual(value('base64.decode(body.b64value)', ctx), new Uint8Array(Buffer.from('example')));
    assert.equal(value("base64.encode(b'example')", ctx), 'ZXhhbXBsZQ==');
    assert.equal(value("body.jsonArray.join(', ')", ctx), 'one, two');
    assert.equal(value('body.upperMsg.lowerAscii()', ctx), 'this is lower case');
  });
  it('undeclared functions are rejected at compile time: trunca(body.sha, 7)', () => {
    const r = evaluate('trunca(body.sha, 7)', 'triggers', ctx);
    assert.ok('error' in r && /undeclared reference to 'trunca'/.test(r.error));
  });
});
