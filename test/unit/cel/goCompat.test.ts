/**
 * Ports of Go library behaviour that Tekton's CEL results depend on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalMimeHeaderKey, formatDoubleG, goJsonMarshal, goParseDuration, goParseQuery, goParseUrl, goTrimSpace,
} from '../../../server/src/cel/goCompat';
import { goFormatExp, goFormatFixed } from '../../../server/src/cel/format';

describe('textproto.CanonicalMIMEHeaderKey', () => {
  it('capitalises each dash-separated word and lower-cases the rest', () => {
    assert.equal(canonicalMimeHeaderKey('x-github-event'), 'X-Github-Event');
    assert.equal(canonicalMimeHeaderKey('X-GitHub-Event'), 'X-Github-Event');
    assert.equal(canonicalMimeHeaderKey('content-type'), 'Content-Type');
    assert.equal(canonicalMimeHeaderKey('x_test'), 'X_test');
  });
  it('leaves keys with invalid characters unchanged', () => {
    assert.equal(canonicalMimeHeaderKey('bad key'), 'bad key');
    assert.equal(canonicalMimeHeaderKey('é-x'), 'é-x');
  });
});

describe("strconv.FormatFloat(f, 'g', -1, 64)", () => {
  it('matches Go for the usual magnitudes', () => {
    const cases: [number, string][] = [
      [1, '1'], [1.5, '1.5'], [100000, '100000'], [1e6, '1e+06'], [123456789, '1.23456789e+08'], [1e21, '1e+21'],
      [0.0001, '0.0001'], [0.00001, '1e-05'], [-4.5e-3, '-0.0045'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [5e-324, '5e-324'], [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN'], [-0, '-0'], [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [x, want] of cases) assert.equal(formatDoubleG(x), want, String(x));
  });
});

describe("strconv 'f' and 'e' formatting (round half to even on the exact binary value)", () => {
  it('rounds like Go', () => {
    assert.equal(goFormatFixed(2.5, 0), '2');
    assert.equal(goFormatFixed(3.5, 0), '4');
    assert.equal(goFormatFixed(0.125, 2), '0.12');
    assert.equal(goFormatFixed(1.005, 2), '1.00'); // 1.005 is 1.00499999999999989… in binary
    assert.equal(goFormatFixed(9.9996, 3), '10.000');
    assert.equal(goFormatFixed(-1.2, 5), '-1.20000');
    assert.equal(goFormatExp(1052.032911275, 6), '1.052033e+03');
    assert.equal(goFormatExp(0.000123, 2), '1.23e-04');
    assert.equal(goFormatExp(0, 1), '0.0e+00');
  });
});

describe('strings.TrimSpace', () => {
  it('trims unicode.IsSpace characters only', () => {
    assert.equal(goTrimSpace(' \t\n\v\f\r\u0085\u00a0x\u2000\u3000'), 'x');
    assert.equal(goTrimSpace('\u200bx\ufeff'), '\u200bx\ufeff');
  });
});

describe('encoding/json.Marshal', () => {
  it('sorts keys, escapes HTML characters and prints numbers like Go', () => {
    assert.equal(goJsonMarshal({ b: 1, a: [true, null, 'x<y'] }), '{"a":[true,null,"x\\u003cy"],"b":1}');
    assert.equal(goJsonMarshal(1e21), '1e+21');
    assert.equal(goJsonMarshal(0.0000001), '1e-7');
    assert.equal(goJsonMarshal('\u2028'), '"\\u2028"');
    assert.throws(() => goJsonMarshal(NaN), /unsupported value/);
  });
});

describe('net/url', () => {
  it('parses the parts Tekton exposes', () => {
    const u = goParseUrl('https://user:p%40ss@Example.com:8443/a/b%20c?x=1&y=2#frag%21');
    assert.equal(u.scheme, 'https');
    assert.deepEqual(u.user, { username: 'user', password: 'p@ss' });
    assert.equal(u.host, 'Example.com:8443');
    assert.equal(u.path, '/a/b c');
    assert.equal(u.rawQuery, 'x=1&y=2');
    assert.equal(u.fragment, 'frag!');
  });
  it('handles request paths, opaque URLs and errors', () => {
    assert.equal(goParseUrl('/foo?a=1').path, '/foo');
    assert.equal(goParseUrl('mailto:a@b.c').opaque, 'a@b.c');
    assert.throws(() => goParseUrl('://x'), /missing protocol scheme/);
    assert.throws(() => goParseUrl('http://h/\u0001'), /invalid control character/);
  });
  it('ParseQuery keeps every value and skips pairs with semicolons', () => {
    const { values, error } = goParseQuery('a=1&b=x+y&a=2&c');
    assert.deepEqual([...values], [['a', ['1', '2']], ['b', ['x y']], ['c', ['']]]);
    assert.equal(error, undefined);
    assert.match(goParseQuery('a=1;b=2').error ?? '', /semicolon/);
  });
});

describe('time.ParseDuration', () => {
  it('parses Go duration strings to nanoseconds', () => {
    assert.equal(goParseDuration('1h45m47s'), 6347000000000n);
    assert.equal(goParseDuration('1.5s'), 1500000000n);
    assert.equal(goParseDuration('-300ms'), -300000000n);
    assert.equal(goParseDuration('0'), 0n);
    assert.throws(() => goParseDuration('1d'), /invalid duration/);
    assert.throws(() => goParseDuration(''), /invalid duration/);
  });
});
