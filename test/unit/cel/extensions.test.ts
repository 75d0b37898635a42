/**
 * The cel-go extension libraries Tekton loads (ext.Strings, ext.Encoders, ext.Sets, ext.Lists, ext.Math at
 * their latest versions in cel-go v0.30), with the examples of google/cel-go ext/README.md, and the
 * standard conversions whose output Tekton users see (string(double) as Go's %g).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpression } from '../../../server/src/cel/celService';
import { UnsignedInt } from '../../../server/src/cel/values';
import { error, value } from './helpers';

describe('cel-go ext.Strings (google/cel-go ext/README.md)', () => {
  it("charAt: 'hello'.charAt(4) == 'o', charAt(5) == '', charAt(-1) is an error", () => {
    assert.equal(value("'hello'.charAt(4)"), 'o');
    assert.equal(value("'hello'.charAt(5)"), '');
    assert.match(error("'hello'.charAt(-1)"), /index out of range: -1/);
  });
  it('indexOf / lastIndexOf count code points and take an optional offset', () => {
    assert.equal(value("'hello mellow'.indexOf('')"), 0n);
    assert.equal(value("'hello mellow'.indexOf('ello')"), 1n);
    assert.equal(value("'hello mellow'.indexOf('jello')"), -1n);
    assert.equal(value("'hello mellow'.indexOf('ello', 2)"), 7n);
    assert.equal(value("'hello mellow'.lastIndexOf('')"), 12n);
    assert.equal(value("'hello mellow'.lastIndexOf('ello')"), 7n);
    assert.equal(value("'hello mellow'.lastIndexOf('ello', 6)"), 1n);
    assert.match(error("'hello mellow'.lastIndexOf('ello', -1)"), /index out of range/);
    // Code points, not UTF-16 units: '😀' is one character.
    assert.equal(value("'😀ab'.indexOf('b')"), 2n);
  });
  it('lowerAscii / upperAscii change ASCII letters only', () => {
    assert.equal(value("'TacoCat'.lowerAscii()"), 'tacocat');
    assert.equal(value("'TacoCÆt Xii'.lowerAscii()"), 'tacocÆt xii');
    assert.equal(value("'TacoCÆt Xii'.upperAscii()"), 'TACOCÆT XII');
  });
  it('replace with an optional limit (0 keeps the string, negative means all)', () => {
    assert.equal(value("'hello hello'.replace('he', 'we')"), 'wello wello');
    assert.equal(value("'hello hello'.replace('he', 'we', -1)"), 'wello wello');
    assert.equal(value("'hello hello'.replace('he', 'we', 1)"), 'wello hello');
    assert.equal(value("'hello hello'.replace('he', 'we', 0)"), 'hello hello');
    // docs/cel_expressions.md says 'place'; Go's strings.Replace keeps the replacement's space.
    assert.equal(value("'my place'.replace('my ',' ')"), ' place');
  });
  it('split with an optional limit', () => {
    assert.deepEqual(value("'hello hello hello'.split(' ')"), ['hello', 'hello', 'hello']);
    assert.deepEqual(value("'hello hello hello'.split(' ', 0)"), []);
    assert.deepEqual(value("'hello hello hello'.split(' ', 1)"), ['hello hello hello']);
    assert.deepEqual(value("'hello hello hello'.split(' ', 2)"), ['hello', 'hello hello']);
    assert.deepEqual(value("'refs/heads/main'.split('/')"), ['refs', 'heads', 'main']);
  });
  it('substring by code-point range', () => {
    assert.equal(value("'tacocat'.substring(4)"), 'cat');
    assert.equal(value("'tacocat'.substring(0, 4)"), 'taco');
    assert.match(error("'tacocat'.substring(-1)"), /index out of range/);
    assert.match(error("'tacocat'.substring(2, 1)"), /invalid substring range/);
  });
  it('trim removes Unicode whitespace like Go (U+0085 yes, zero-width U+FEFF no)', () => {
    assert.equal(value("'  \\ttrim\\n    '.trim()"), 'trim');
    assert.equal(value("'\\u0085x\\ufeff'.trim()"), 'x\uFEFF');
  });
  it('join, reverse, strings.quote', () => {
    assert.equal(value("['hello', 'mellow'].join()"), 'hellomellow');
    assert.equal(value("['hello', 'mellow'].join(' ')"), 'hello mellow');
    assert.equal(value("[].join('/')"), '');
    assert.equal(value("'gums'.reverse()"), 'smug');
    assert.equal(value(`strings.quote('single-quote with "double quote"')`), '"single-quote with \\"double quote\\""');
    assert.equal(value('strings.quote("two escape sequences \\a\\n")'), '"two escape sequences \\a\\n"');
  });
  it('format: %s %d %f %e %x %o %b with Go rounding', () => {
    assert.equal(value('"%s is %d years".format(["Tekton", 7])'), 'Tekton is 7 years');
    assert.equal(value('"%.3f".format([1.2345])'), '1.234');
    assert.equal(value('"%.0f".format([2.5])'), '2'); // round half to even, as Go
    assert.equal(value('"%e".format([2.71828])'), '2.718280e+00');
    assert.equal(value('"%x %X %o %b".format([30, 30, 11, 5])'), '1e 1E 13 101');
    assert.equal(value('"%s".format([{"b": 1, "a": [1.5, null]}])'), '{a: [1.5, null], b: 1}');
  });
  it('a constant format string with a bad clause or argument is a compile error, as in cel-go', () => {
    const r = checkExpression('"%d".format(["text"])', 'triggers');
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['cel-invalid-format']);
    assert.equal(checkExpression('"%a".format([1])', 'triggers').diagnostics[0].code, 'cel-invalid-format');
  });
});

describe('cel-go ext.Encoders', () => {
  it("base64.encode(b'hello') == 'aGVsbG8=' and base64.decode('aGVsbG8=') == b'hello'", () => {
    assert.equal(value("base64.encode(b'hello')"), 'aGVsbG8=');
    assert.equal(value("base64.decode('aGVsbG8=') == b'hello'"), true);
  });
  it('decode accepts unpadded input and rejects invalid characters', () => {
    assert.equal(value("base64.decode('aGVsbG8') == b'hello'"), true);
    assert.match(error("base64.decode('a*b=')"), /illegal base64 data/);
  });
  it("json.encode({'hello': 'world'}) == '{\"hello\":\"world\"}' (Encoders version 1, cel-go ext/encoders.go)", () => {
    assert.equal(value("json.encode({'hello': 'world'})"), '{"hello":"world"}');
    assert.equal(value("json.encode([1, 2.5, 'x', null, true, b'hi'])"), '[1,2.5,"x",null,true,"aGk="]');
    // ints outside ±(2^53-1) are quoted so that JSON readers keep them exact
    assert.equal(value('json.encode(9007199254740993)'), '"9007199254740993"');
    assert.match(error('json.encode(0.0/0.0)'), /NaN and Inf are not supported/);
  });
  it('json.parse (a later cel-go version, returning optionals) is not available', () => {
    assert.ok(checkExpression("json.parse('{}')", 'triggers').diagnostics.some((d) => d.code === 'cel-unknown-function'));
  });
});

describe('cel-go ext.Sets', () => {
  it('sets.contains / equivalent / intersects with CEL equality across numeric types', () => {
    assert.equal(value('sets.contains([], [])'), true);
    assert.equal(value('sets.contains([], [1])'), false);
    assert.equal(value('sets.contains([1, 2, 3, 4], [2, 3])'), true);
    assert.equal(value('sets.contains([1, 2.0, 3u], [1.0, 2u, 3])'), true);
    assert.equal(value('sets.equivalent([1], [1, 1])'), true);
    assert.equal(value('sets.equivalent([1, 2, 3], [3u, 2.0, 1])'), true);
    assert.equal(value('sets.intersects([1], [])'), false);
    assert.equal(value('sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])'), true);
  });
});

describe('cel-go ext.Lists', () => {
  it('distinct, flatten, lists.range, reverse, slice, sort, sortBy', () => {
    assert.deepEqual(value('[1, 2, 2, 3, 3, 3].distinct()'), [1n, 2n, 3n]);
    assert.deepEqual(value('[1,[2,3],[4]].flatten()'), [1n, 2n, 3n, 4n]);
    assert.deepEqual(value('[1,[2,[3,4]]].flatten()'), [1n, 2n, [3n, 4n]]);
    assert.deepEqual(value('[1,[2,[3,[4]]]].flatten(2)'), [1n, 2n, 3n, [4n]]);
    assert.match(error('[1,[2,[3,[4]]]].flatten(-1)'), /non-negative/);
    assert.deepEqual(value('lists.range(5)'), [0n, 1n, 2n, 3n, 4n]);
    assert.deepEqual(value('[5, 3, 1, 2].reverse()'), [2n, 1n, 3n, 5n]);
    assert.deepEqual(value('[1,2,3,4].slice(1, 3)'), [2n, 3n]);
    assert.deepEqual(value('["b", "c", "a"].sort()'), ['a', 'b', 'c']);
    assert.match(error('[1, "b"].sort()'), /same type/);
    assert.deepEqual(value("[{'n': 'foo', 's': 0}, {'n': 'bar', 's': -10}, {'n': 'baz', 's': 1000}].sortBy(e, e.s).map(e, e.n)"), ['bar', 'foo', 'baz']);
  });
});

describe('cel-go ext.Math', () => {
  it('greatest/least over arguments or a list, keeping the winner\'s type', () => {
    assert.equal(value('math.greatest(1)'), 1n);
    assert.equal(value('math.greatest(-42.0, -21.5, -100.0)'), -21.5);
    assert.equal(value('math.greatest([-42.0, -21.5, -100.0])'), -21.5);
    assert.equal((value('math.least(1u, 2u)') as UnsignedInt).valueOf(), 1n);
    assert.equal(value('math.greatest(5.4, 10, 3u, -5.0, 9223372036854775807) == 9223372036854775807'), true);
  });
  it('math.greatest of a string is rejected when checked', () => {
    assert.ok(checkExpression("math.greatest('string')", 'triggers').diagnostics.some((d) => d.code === 'cel-no-matching-overload'));
  });
  it('bit operations and shifts', () => {
    assert.equal((value('math.bitOr(1u, 2u)') as UnsignedInt).valueOf(), 3n);
    assert.equal(value('math.bitOr(-2, -4)'), -2n);
    assert.equal(value('math.bitAnd(-3, -5)'), -7n);
    assert.equal(value('math.bitXor(1, 3)'), 2n);
    assert.equal((value('math.bitNot(0u)') as UnsignedInt).valueOf(), 18446744073709551615n);
    assert.equal(value('math.bitShiftLeft(-1, 2)'), -4n);
    assert.equal((value('math.bitShiftLeft(1u, 200)') as UnsignedInt).valueOf(), 0n);
    assert.equal(value('math.bitShiftRight(-1024, 3)'), 2305843009213693824n);
    assert.match(error('math.bitShiftLeft(1u, -1)'), /negative offset/);
  });
  it('rounding, abs, sign, classification, sqrt', () => {
    assert.equal(value('math.ceil(1.2)'), 2);
    assert.equal(value('math.floor(-1.2)'), -2);
    assert.equal(value('math.round(-1.5)'), -2); // ties away from zero
    assert.equal(value('math.round(1.2)'), 1);
    assert.equal(value('math.trunc(-1.3)'), -1);
    assert.equal(value('math.abs(-1)'), 1n);
    assert.match(error('math.abs(-9223372036854775808)'), /overflow/);
    assert.equal(value('math.sign(-42)'), -1n);
    assert.equal(value('math.isInf(1.0/0.0)'), true);
    assert.equal(value('math.isNaN(0.0/0.0)'), true);
    assert.equal(value('math.isFinite(1.2)'), true);
    assert.equal(value('math.sqrt(81)'), 9);
    assert.ok(Number.isNaN(value('math.sqrt(-15)') as number));
  });
});

describe('standard conversions as cel-go prints them', () => {
  it('string(double) uses Go %g: string(1.0) == "1", string(1e21) == "1e+21", string(1e6) == "1e+06"', () => {
    assert.equal(value('string(1.0)'), '1');
    assert.equal(value('string(1e21)'), '1e+21');
    assert.equal(value('string(1e6)'), '1e+06');
    assert.equal(value('string(123456789.0)'), '1.23456789e+08');
    assert.equal(value('string(0.0001)'), '0.0001');
    assert.equal(value('string(0.00001)'), '1e-05');
    assert.equal(value('string(-4.5e-3)'), '-0.0045');
  });
  it('string() of timestamps and durations', () => {
    assert.equal(value("string(timestamp('2023-02-03T23:31:20+00:00'))"), '2023-02-03T23:31:20Z');
    assert.equal(value("string(duration('1h45m47s'))"), '6347s');
  });
  it('int(double) truncates and rejects values outside int64', () => {
    assert.equal(value('int(2.9)'), 2n);
    assert.equal(value('int(-2.9)'), -2n);
    assert.match(error('int(1e19)'), /overflow/);
  });
  it('timestamp accessors take IANA zones and fixed offsets', () => {
    assert.equal(value("timestamp('2009-02-13T23:31:30Z').getHours()"), 23n);
    assert.equal(value("timestamp('2009-02-13T23:31:30Z').getDate('Australia/Sydney')"), 14n);
    assert.equal(value("timestamp('2009-02-13T23:31:30Z').getHours('02:00')"), 1n);
    assert.equal(value("timestamp('2009-02-13T02:00:00Z').getDayOfMonth('-02:30')"), 11n);
  });
});
