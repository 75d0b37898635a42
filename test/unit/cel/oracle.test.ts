/**
 * A second, independent CEL implementation (@bufbuild/cel, with its strings extension) as an oracle for
 * standard CEL and ext.Strings behaviour where cel-js and cel-go could differ. Where @bufbuild/cel itself
 * departs from cel-go, the cel-go result is asserted instead and the case is listed below.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run, isCelError, isCelList, isCelMap, isCelUint } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { evaluate } from '../../../server/src/cel/celService';
import { Duration, UnsignedInt, formatDuration, formatTimestamp } from '../../../server/src/cel/values';

type Norm = null | boolean | string | { t: string; v: unknown } | Norm[];

/** A representation both implementations' values map to, keeping CEL types apart (1 vs 1u vs 1.0). */
function normOurs(v: unknown): Norm {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { t: 'int', v: v.toString() };
  if (typeof v === 'number') return { t: 'double', v: Number.isNaN(v) ? 'NaN' : v };
  if (v instanceof UnsignedInt) return { t: 'uint', v: v.toString() };
  if (v instanceof Uint8Array) return { t: 'bytes', v: Buffer.from(v).toString('hex') };
  if (v instanceof Date) return { t: 'timestamp', v: formatTimestamp(v) };
  if (v instanceof Duration) return { t: 'duration', v: formatDuration(v) };
  if (Array.isArray(v)) return v.map(normOurs);
  if (v && typeof v === 'object') {
    const entries = (v instanceof Map ? [...v.entries()] : Object.entries(v)).map(([k, x]) => [String(k), normOurs(x)] as const);
    return { t: 'map', v: entries.sort(([a], [b]) => (a < b ? -1 : 1)) };
  }
  return { t: 'other', v: String(v) };
}

function normEs(v: unknown): Norm {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { t: 'int', v: v.toString() };
  if (typeof v === 'number') return { t: 'double', v: Number.isNaN(v) ? 'NaN' : v };
  if (isCelUint(v)) return { t: 'uint', v: (v as { value: bigint }).value.toString() };
  if (v instanceof Uint8Array) return { t: 'bytes', v: Buffer.from(v).toString('hex') };
  if (isCelList(v)) return [...(v as Iterable<unknown>)].map(normEs);
  if (isCelMap(v)) {
    const entries = [...(v as unknown as Map<unknown, unknown>).entries()].map(([k, x]) => [String(isCelUint(k) ? (k as { value: bigint }).value : k), normEs(x)] as const);
    return { t: 'map', v: entries.sort(([a], [b]) => (a < b ? -1 : 1)) };
  }
  // Timestamps and durations come back as reflected protobuf messages.
  const msg = (v as { message?: { $typeName?: string; seconds?: bigint; nanos?: number } } | undefined)?.message;
  if (msg && typeof msg.$typeName === 'string') {
    if (msg.$typeName === 'google.protobuf.Timestamp') {
      return { t: 'timestamp', v: formatTimestamp(new Date(Number(msg.seconds) * 1000 + Math.floor((msg.nanos ?? 0) / 1e6))) };
    }
    if (msg.$typeName === 'google.protobuf.Duration') {
      return { t: 'duration', v: formatDuration(new Duration(msg.seconds ?? 0n, msg.nanos ?? 0)) };
    }
  }
  return { t: 'other', v: String(v) };
}

function ours(text: string): Norm | { error: string } {
  const r = evaluate(text, 'triggers', {});
  return 'error' in r ? { error: 'error' } : normOurs(r.value);
}

function theirs(text: string): Norm | { error: string } {
  try {
    const v = run(text, {}, { funcs: strings });
    if (isCelError(v)) return { error: 'error' };
    return normEs(v);
  } catch {
    return { error: 'error' };
  }
}

// Expressions in standard CEL and ext.Strings on which cel-go, @bufbuild/cel and this project agree.
const AGREE = [
  '1 + 2 * 3', '7 / 2', '-7 % 3', '7.0 / 2.0', '2u + 3u', '1u < 2', '3.0 >= 3', "'a' < 'b'", "b'a' < b'b'",
  "'abc' + 'def'", "size('héllo')", "size(b'h\\xc3\\xa9')", 'size([1, 2, 3])', "size({'a': 1})",
  "'tacocat'.contains('coca')", "'tacocat'.startsWith('taco')", "'tacocat'.endsWith('cat')", "'refs/heads/main'.matches('^refs/heads/')",
  "int('-42')", "uint('42')", "double('1.5')", 'string(123)', "string(b'abc')", "bytes('abc')", 'int(3.9)', 'double(3)', 'bool("true")',
  '[1, 2] + [3]', '2 in [1, 2, 3]', "'a' in {'a': 1}", "{'a': 1}['a']", '[1, 2, 3][1]',
  '[1, 2, 3].all(x, x > 0)', '[1, 2, 3].exists(x, x == 2)', '[1, 2, 3].exists_one(x, x > 2)', '[1, 2, 3].map(x, x * 2)',
  '[1, 2, 3].filter(x, x % 2 == 1)', '[1, 2, 3].map(x, x > 1, x * 10)', "{'a': 1, 'b': 2}.all(k, k.size() == 1)",
  "true ? 'y' : 'n'", 'false || true', 'true && false', '!true', 'type(1) == int', "type('a') == string", 'dyn(1) == 1',
  "timestamp('2009-02-13T23:31:30Z').getFullYear()", "timestamp('2009-02-13T23:31:30Z').getDayOfYear()", "timestamp('2009-02-13T23:31:30Z').getMonth()",
  "timestamp('2009-02-13T23:31:30Z').getHours('America/New_York')", "duration('1h30m').getMinutes()",
  "timestamp('2009-02-13T23:31:30Z') + duration('1h')", "timestamp('2009-02-13T23:31:30Z') - timestamp('2009-02-13T23:00:00Z')",
  "'hello'.charAt(1)", "'hello mellow'.indexOf('ello', 2)", "'hello mellow'.lastIndexOf('ello')", "'TacoCÆt'.lowerAscii()",
  "'tacoCαt'.upperAscii()", "'hello hello'.replace('he', 'we', 1)", "'a,b,c'.split(',')",
  "'tacocat'.substring(2, 5)", "'  \\ttrim\\n'.trim()", "['a', 'b'].join('-')", "'ta©o©αT'.indexOf('©', 3)",
  "strings.quote('a\"b\\n')", "'%s and %d'.format(['x', 5])", "'%.2f'.format([3.14159])",
  "1 / 0", "'abc'.substring(5)", "[1, 2][5]", "{'a': 1}['b']", "int('nope')", '9223372036854775807 + 1',
];

// Where @bufbuild/cel 0.6.1 departs from cel-go, with cel-go's result (which this project follows).
const CEL_GO_WINS: [string, Norm][] = [
  // cel-go prints doubles with Go's %g; @bufbuild/cel prints JavaScript's "1000000".
  ['string(1000000.0)', '1e+06'],
  ['string(123456789.0)', '1.23456789e+08'],
  // Go's strings.SplitN keeps the rest in the last part (cel-go README: 'hello hello hello'.split(' ', 2)).
  ["'a,b,c'.split(',', 2)", ['a', 'b,c']],
];

// @bufbuild/cel evaluates without type-checking; cel-go (as Tekton runs it) rejects these at compile time.
const CHECKER_REJECTS = ['1 == 1.0', "[1] == ['a']", "true ? 1 : 'a'"];

describe('@bufbuild/cel as a second oracle', () => {
  for (const text of AGREE) {
    it(`agrees on ${text}`, () => {
      assert.deepEqual(ours(text), theirs(text));
    });
  }
  for (const [text, goResult] of CEL_GO_WINS) {
    it(`follows cel-go where @bufbuild/cel differs: ${text}`, () => {
      assert.deepEqual(ours(text), goResult);
      assert.notDeepEqual(theirs(text), goResult, '@bufbuild/cel now agrees with cel-go: move this case to AGREE');
    });
  }
  for (const text of CHECKER_REJECTS) {
    it(`rejects what cel-go's type-checker rejects: ${text}`, () => {
      assert.deepEqual(ours(text), { error: 'error' });
    });
  }
});
