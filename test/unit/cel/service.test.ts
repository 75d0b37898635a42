/**
 * The celService API: diagnostics with CEL-text ranges and stable codes, the AST for completion and hover,
 * result types, caching, evaluation errors with ranges, and output formatting.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkExpression, evaluate, findNodeAt, formatCelValue, parse, prepare,
} from '../../../server/src/cel/celService';
import { getEnvironment, CEL_ENV_IDS } from '../../../server/src/cel/environments';
import { Duration, UnsignedInt } from '../../../server/src/cel/values';

describe('checkExpression', () => {
  it('says a wrong overload in a user\'s words, cel-go\'s text after it (issue 18)', () => {
    const message = (t: string) => checkExpression(t, 'triggers').diagnostics.map((d) => [d.code, d.message]);
    assert.deepEqual(message("header.match('X-Event', 1)"), [
      ['cel-no-matching-overload', "`match` on a map takes (string, string): the second argument is an int (cel: found no matching overload for 'map.match(string, int)')"],
    ]);
    assert.deepEqual(message("'refs/heads/main'.split(1)"), [
      ['cel-no-matching-overload', "`split` on a string takes (string): the first argument is an int (cel: found no matching overload for 'string.split(int)')"],
    ]);
    assert.ok(!message("header.match('X-Event', 'push')").length);
  });

  it('returns the result type for valid expressions', () => {
    assert.equal(checkExpression("body.ref == 'refs/heads/main'", 'triggers').type, 'bool');
    assert.equal(checkExpression("body.ref.split('/')", 'triggers').type, 'list<string>');
    assert.equal(checkExpression('body', 'triggers').type, 'map<string, dyn>');
    assert.equal(checkExpression('requestURL.parseURL()', 'triggers').type, 'map<string, dyn>');
  });
  it('reports syntax errors with a range and code cel-syntax', () => {
    const text = "header['X-Test";
    const d = checkExpression(text, 'triggers').diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'cel-syntax');
    assert.ok(d[0].start >= 0 && d[0].end <= text.length && d[0].start <= d[0].end);
  });
  it('reports an empty expression', () => {
    assert.equal(checkExpression('  ', 'triggers').diagnostics[0].code, 'cel-syntax');
  });
  it('points type errors at the offending sub-expression', () => {
    const text = "body.ref == 'x' && 'a'.startsWith(1)";
    const d = checkExpression(text, 'triggers').diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'cel-no-matching-overload');
    assert.equal(text.slice(d[0].start, d[0].end), "'a'.startsWith(1)");
  });
  it('points an undeclared variable at its name', () => {
    const text = "size(bdy.items) > 0";
    const d = checkExpression(text, 'triggers').diagnostics;
    assert.equal(d[0].code, 'cel-undeclared-reference');
    assert.equal(text.slice(d[0].start, d[0].end), 'bdy');
  });
  it('never throws on odd input', () => {
    for (const t of ['', ')', '"unterminated', '[[[[', '1 +', '{', 'a.b.c.d.e.f(', '\u0000', '`x`']) {
      assert.doesNotThrow(() => checkExpression(t, 'triggers'));
      assert.doesNotThrow(() => evaluate(t, 'triggers', {}));
    }
  });
  it('gives the same (cached) result for the same text', () => {
    const a = checkExpression('body.a == 1', 'triggers');
    const b = checkExpression('body.a == 1', 'triggers');
    assert.deepEqual(a, b);
  });
});

describe('parse and the AST', () => {
  it('exposes nodes with ranges, member-call name ranges and macro flags', () => {
    const text = "body.commits.exists(c, c.message.startsWith('fix'))";
    const { ast, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    assert.equal(ast?.kind, 'call');
    assert.equal(ast?.name, 'exists');
    assert.equal(ast?.macro, true);
    assert.equal(text.slice(ast!.nameStart!, ast!.nameEnd!), 'exists');
    const inner = findNodeAt(ast!, text.indexOf('startsWith') + 2);
    assert.equal(inner?.kind, 'call');
    assert.equal(inner?.name, 'startsWith');
    const sel = findNodeAt(ast!, text.indexOf('message') + 1);
    assert.equal(sel?.kind, 'select');
    assert.equal(text.slice(sel!.nameStart!, sel!.nameEnd!), 'message');
  });
  it('shows public function names (not the internal replacements) and types after checking', () => {
    const r = checkExpression("'A'.lowerAscii().matches('a')", 'triggers');
    assert.equal(r.ast?.name, 'matches');
    assert.equal(r.ast?.target?.name, 'lowerAscii');
    assert.equal(r.ast?.type, 'bool');
    assert.equal(r.ast?.target?.type, 'string');
    const text = "'A'.lowerAscii().matches('a')";
    assert.equal(text.slice(r.ast!.nameStart!, r.ast!.nameEnd!), 'matches');
    assert.equal(text.slice(r.ast!.target!.nameStart!, r.ast!.target!.nameEnd!), 'lowerAscii');
  });
  it('returns the syntax error instead of an AST', () => {
    const r = parse('1 +');
    assert.equal(r.ast, undefined);
    assert.equal(r.diagnostics[0].code, 'cel-syntax');
  });
});

describe('evaluate', () => {
  it('returns run-time errors with the failing sub-expression range', () => {
    const text = "body.a == 'x' || body.missing.field == 1";
    const r = evaluate(text, 'triggers', { body: { a: 'y' }, header: {}, extensions: {}, requestURL: '' });
    assert.ok('error' in r);
    assert.match(r.error, /no such key: missing/);
    assert.ok(r.start !== undefined && text.slice(r.start, r.end).includes('missing'));
  });
  it('prepare() compiles once and evaluates many activations', () => {
    const p = prepare("body.action == 'opened'", 'triggers');
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.evaluate({ body: { action: 'opened' }, header: {}, extensions: {}, requestURL: '' }), { value: true });
    assert.deepEqual(p.evaluate({ body: { action: 'closed' }, header: {}, extensions: {}, requestURL: '' }), { value: false });
  });
  it('builds each environment once and keeps them distinct', () => {
    for (const id of CEL_ENV_IDS) assert.equal(getEnvironment(id), getEnvironment(id));
    assert.ok(getEnvironment('triggers').variables.has('body'));
    assert.equal(getEnvironment('pipelines-when').variables.size, 0);
    assert.ok(getEnvironment('kfp-condition').functions.has('parseJson'));
    assert.ok(!getEnvironment('pipelines-when').functions.has('charAt'));
    assert.ok(getEnvironment('triggers').functions.get('base64.decode')?.overloads.length);
  });
});

describe('formatCelValue', () => {
  it('prints JSON: strings quoted, bytes base64, ints exact, timestamps RFC 3339', () => {
    assert.equal(formatCelValue('push'), '"push"');
    assert.equal(formatCelValue(true), 'true');
    assert.equal(formatCelValue(3n), '3');
    assert.equal(formatCelValue(9223372036854775807n), '9223372036854775807');
    assert.equal(formatCelValue(new UnsignedInt(7n)), '7');
    assert.equal(formatCelValue(2.5), '2.5');
    assert.equal(formatCelValue(1e21), '1e+21');
    assert.equal(formatCelValue(new Uint8Array(Buffer.from('hello'))), '"aGVsbG8="');
    assert.equal(formatCelValue(new Date('2024-01-02T03:04:05Z')), '"2024-01-02T03:04:05Z"');
    assert.equal(formatCelValue(new Duration(90n, 500000000)), '"90.5s"');
    assert.equal(formatCelValue([1n, 'a', null, { k: [2.5] }]), '[1,"a",null,{"k":[2.5]}]');
    assert.equal(formatCelValue(Number.NaN), '"NaN"');
  });
  it('formats evaluation results', () => {
    const r = evaluate("{'sha': 'ec26c3e57ca3'.truncate(7), 'n': 1 + 1}", 'triggers', {});
    assert.ok('value' in r);
    assert.equal(formatCelValue(r.value), '{"sha":"ec26c3e","n":2}');
  });
});
