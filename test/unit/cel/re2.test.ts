/**
 * matches() and translate() follow Go's regexp (RE2) as Tekton runs them, not JavaScript's RegExp.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpression } from '../../../server/src/cel/celService';
import { re2Matches, re2ReplaceAll, re2SyntaxError } from '../../../server/src/cel/re2';
import { error, value } from './helpers';

describe('RE2 semantics for matches()', () => {
  it('rejects a backreference that JavaScript accepts: (a)\\1', () => {
    // JavaScript happily compiles and matches this pattern...
    assert.equal(new RegExp('(a)\\1').test('aa'), true);
    // ...RE2 (Go) refuses it, so Tekton rejects the expression.
    assert.match(re2SyntaxError('(a)\\1') ?? '', /invalid escape/);
    const r = checkExpression("'aa'.matches('(a)\\\\1')", 'triggers');
    assert.equal(r.diagnostics[0]?.code, 'cel-invalid-regex');
    assert.match(r.diagnostics[0].message, /backreferences/);
    assert.match(error("'aa'.matches('(a)\\\\1')"), /invalid RE2 regular expression/);
  });
  it('rejects lookahead (?=…), which JavaScript accepts', () => {
    assert.equal(new RegExp('a(?=b)').test('ab'), true);
    assert.ok(re2SyntaxError('a(?=b)'));
  });
  it('accepts RE2 syntax that JavaScript does not: \\z, (?i) flags, \\pL, [[:alpha:]]', () => {
    assert.throws(() => new RegExp('(?i)abc'));
    assert.equal(value("'ABC'.matches('(?i)^abc\\\\z')"), true);
    assert.equal(value("'Ünïcode'.matches('^\\\\pL+$')"), true);
    assert.equal(value("'abc'.matches('^[[:alpha:]]+$')"), true);
  });
  it('is unanchored like regexp.MatchString', () => {
    assert.equal(value("'refs/heads/release-1.2'.matches('release-[0-9]+')"), true);
    assert.equal(value("'refs/heads/main'.matches('^main$')"), false);
    assert.equal(value("matches('abc', 'b')"), true);
  });
  it('a dynamic pattern that is not RE2 fails when evaluated', () => {
    const c = { body: { re: '(a)\\1' }, header: {}, extensions: {}, requestURL: '' };
    assert.match(error("'aa'.matches(body.re)", c), /error parsing regexp/);
  });
  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const input = 'a'.repeat(5000) + '!';
    const start = Date.now();
    assert.equal(re2Matches(input, '^(a+)+$'), false);
    assert.ok(Date.now() - start < 1000, `took ${Date.now() - start} ms`);
  });
});

describe("Go's ReplaceAllString for translate()", () => {
  it('expands $1, ${1}, ${name}, $$ and treats $1x as the (missing) group "1x"', () => {
    assert.equal(re2ReplaceAll('ab', '(a)', '<$1>'), '<a>b');
    assert.equal(re2ReplaceAll('ab', '(a)', '$1x'), 'b');
    assert.equal(re2ReplaceAll('ab', '(a)', '${1}x'), 'axb');
    assert.equal(re2ReplaceAll('ab', '(?P<n>a)', '[$n]'), '[a]b');
    assert.equal(re2ReplaceAll('ab', '(a)', '$$'), '$b');
    assert.equal(re2ReplaceAll('ab', '(a)', '$9'), 'b');
    assert.equal(re2ReplaceAll('ab', '(a)', '$'), '$b');
  });
  it('does not replace an empty match right after a match (Go, unlike JavaScript)', () => {
    // Go: regexp.MustCompile("a*").ReplaceAllString("baaac", "X") == "XbXcX"
    assert.equal(re2ReplaceAll('baaac', 'a*', 'X'), 'XbXcX');
    assert.equal('baaac'.replace(/a*/g, 'X'), 'XbXXcX');
  });
  it('handles characters outside the BMP', () => {
    assert.equal(re2ReplaceAll('😀x😀', 'x', '-'), '😀-😀');
    assert.equal(re2ReplaceAll('😀', '', '-'), '-😀-');
  });
});
