/**
 * Go standard-library behaviour the simulator reproduces: encoding/json Marshal and its syntax errors,
 * net/textproto.CanonicalMIMEHeaderKey and net/url.ParseQuery.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalHeaderKey,
  goJsonMarshal,
  goJsonParse,
  goJsonParseObject,
  goParseQuery,
  GoStruct,
} from '../../../server/src/triggers/simulation/goEncoding';

describe('goCompat: encoding/json Marshal', () => {
  it('sorts map keys, keeps struct field order, escapes HTML and line separators', () => {
    assert.equal(
      goJsonMarshal({ b: 1, a: [true, null], c: 'x<y>&z\u2028' }),
      '{"a":[true,null],"b":1,"c":"x\\u003cy\\u003e\\u0026z\\u2028"}',
    );
    assert.equal(
      goJsonMarshal(
        new GoStruct('s', [
          { json: 'z', go: 'Z', value: 1 },
          { json: 'a', go: 'A', value: 2 },
        ]),
      ),
      '{"z":1,"a":2}',
    );
  });
  it('short escapes for \\b \\f \\n \\r \\t (Go 1.22+), \\u00XX for other control characters, U+FFFD for lone surrogates', () => {
    assert.equal(goJsonMarshal('\b\f\n\r\t\u0001'), '"\\b\\f\\n\\r\\t\\u0001"');
    assert.equal(goJsonMarshal('a\ud800b'), '"a\ufffdb"');
    assert.equal(goJsonMarshal('😀'), '"😀"');
  });
  it('numbers as Go float64 encoding (ES6 form, -0 kept)', () => {
    assert.equal(goJsonMarshal([1, 1.5, 1e21, 1e-7, -0, 1234567]), '[1,1.5,1e+21,1e-7,-0,1234567]');
    assert.throws(() => goJsonMarshal(NaN), /unsupported value: NaN/);
  });
});

describe('goCompat: encoding/json syntax errors', () => {
  const err = (s: string): string => {
    const r = goJsonParse(s);
    assert.ok('error' in r, s);
    return r.error;
  };
  it('uses the scanner messages', () => {
    assert.equal(err(''), 'unexpected end of JSON input');
    assert.equal(err('{'), 'unexpected end of JSON input');
    assert.equal(err('hello'), "invalid character 'h' looking for beginning of value");
    assert.equal(err('token=x'), "invalid character 'o' in literal true (expecting 'r')");
    assert.equal(err('{blahblah}'), "invalid character 'b' looking for beginning of object key string");
    assert.equal(err('{"a" 1}'), "invalid character '1' after object key");
    assert.equal(err('{"a":1 "b"}'), "invalid character '\"' after object key:value pair");
    assert.equal(err('[1 2]'), "invalid character '2' after array element");
    assert.equal(err('{} {}'), "invalid character '{' after top-level value");
    assert.equal(err('"a\nb"'), "invalid character '\\n' in string literal");
    assert.equal(err('1.'), 'unexpected end of JSON input');
    assert.equal(err('1.x'), "invalid character 'x' after decimal point in numeric literal");
    assert.equal(err('-'), 'unexpected end of JSON input');
  });
  it('accepts valid JSON, and the map target rejects other top-level types', () => {
    assert.deepEqual(goJsonParse(' {"a": [1, "x", null]} '), { value: { a: [1, 'x', null] } });
    assert.deepEqual(goJsonParseObject('null'), { value: null });
    assert.deepEqual(goJsonParseObject('"s"'), {
      error: 'json: cannot unmarshal string into Go value of type map[string]interface {}',
    });
  });
});

describe('goCompat: headers and forms', () => {
  it('CanonicalMIMEHeaderKey', () => {
    assert.equal(canonicalHeaderKey('x-github-event'), 'X-Github-Event');
    assert.equal(canonicalHeaderKey('X-GitHub-Event'), 'X-Github-Event');
    assert.equal(canonicalHeaderKey('content-TYPE'), 'Content-Type');
    assert.equal(canonicalHeaderKey('bad key'), 'bad key');
  });
  it('ParseQuery: + is a space, %XX decoded, empty pairs skipped, semicolons and bad escapes reported', () => {
    const ok = goParseQuery('text=main+2222&&url=https%3A%2F%2Fx&k');
    assert.deepEqual(
      [...ok.values],
      [
        ['text', ['main 2222']],
        ['url', ['https://x']],
        ['k', ['']],
      ],
    );
    assert.equal(ok.error, undefined);
    assert.equal(goParseQuery('a=1;b=2').error, 'invalid semicolon separator in query');
    assert.equal(goParseQuery('a=%zz').error, 'invalid URL escape "%zz"');
  });
});
