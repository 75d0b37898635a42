/**
 * cel-go's `<string>.format(<list>)` (ext.Strings, formatting clauses %s %d %f %e %x %X %o %b %%), and the
 * exact decimal rounding it needs: Go formats floats from their exact binary value with round-half-even,
 * while JavaScript's toFixed() rounds ties away from zero.
 */
import { EvaluationError } from '@marcbachmann/cel-js';
import { formatDoubleG, utf8Bytes, utf8Lossy } from './goCompat';
import {
  celCompare, celToText, celTypeName, Duration, formatDuration, formatTimestamp, isList, isMap, listItems,
  mapEntries, UnsignedInt,
} from './values';

/** Exact decimal expansion of a finite, non-negative double: digits and the position of the decimal point. */
function exactDecimal(x: number): { digits: string; point: number } {
  // x = mantissa * 2^exp exactly; for exp < 0, x = mantissa * 5^-exp / 10^-exp.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  if (mantissa === 0n) return { digits: '0', point: 1 };
  if (exp >= 0) {
    const digits = (mantissa << BigInt(exp)).toString();
    return { digits, point: digits.length };
  }
  const scaled = (mantissa * 5n ** BigInt(-exp)).toString();
  // scaled has -exp decimal places.
  const places = -exp;
  const padded = scaled.padStart(places + 1, '0');
  return { digits: padded, point: padded.length - places };
}

/** Rounds a digit string to `keep` digits with round-half-even; returns the digits and a carry flag. */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (keep >= digits.length) return { digits: digits.padEnd(keep, '0'), carry: false };
  if (keep < 0) return { digits: '', carry: false };
  const head = digits.slice(0, keep);
  const rest = digits.slice(keep);
  const first = rest.charCodeAt(0) - 48;
  let roundUp: boolean;
  if (first > 5) roundUp = true;
  else if (first < 5) roundUp = false;
  else if (/[1-9]/.test(rest.slice(1))) roundUp = true;
  else roundUp = keep > 0 ? (head.charCodeAt(keep - 1) - 48) % 2 === 1 : false;
  if (!roundUp) return { digits: head, carry: false };
  const arr = head.split('').map(Number);
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i] === 9) {
      arr[i] = 0;
      i--;
    } else {
      arr[i]++;
      break;
    }
  }
  if (i < 0) return { digits: '1' + arr.join(''), carry: true };
  return { digits: arr.join(''), carry: false };
}

/** Go's `strconv.FormatFloat(x, 'f', prec, 64)` for finite x. */
export function goFormatFixed(x: number, prec: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const { digits, point } = exactDecimal(Math.abs(x));
  // Align so that we keep `point + prec` digits.
  let intDigits = digits;
  let p = point;
  if (p <= 0) {
    intDigits = '0'.repeat(1 - p) + digits;
    p = 1;
  }
  const r = roundDigits(intDigits, p + prec);
  let all = r.digits;
  if (r.carry) p += 1;
  all = all.padEnd(p + prec, '0');
  const intPart = all.slice(0, p).replace(/^0+(?=\d)/, '');
  const fracPart = all.slice(p, p + prec);
  return `${neg ? '-' : ''}${intPart}${prec > 0 ? '.' + fracPart : ''}`;
}

/** Go's `strconv.FormatFloat(x, 'e', prec, 64)` for finite x. */
export function goFormatExp(x: number, prec: number): string {
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return `${neg ? '-' : ''}0${prec > 0 ? '.' + '0'.repeat(prec) : ''}e+00`;
  const { digits, point } = exactDecimal(Math.abs(x));
  const lead = digits.search(/[1-9]/);
  const sig = digits.slice(lead);
  let exp = point - lead - 1;
  const r = roundDigits(sig, prec + 1);
  let d = r.digits;
  if (r.carry) {
    exp += 1;
    d = d.slice(0, prec + 1);
  }
  const e = Math.abs(exp);
  return `${neg ? '-' : ''}${d[0]}${prec > 0 ? '.' + d.slice(1) : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return undefined;
}

function formatError(message: string): EvaluationError {
  return new EvaluationError(`error during formatting: ${message}`);
}

/** The `%s` rendering of a value (lists and maps recursively, map keys sorted). */
function formatString(v: unknown): string {
  if (typeof v === 'number') return nonFinite(v) ?? formatDoubleG(v);
  if (v instanceof Uint8Array) return utf8Lossy(v);
  if (isList(v)) return '[' + listItems(v).map(formatString).join(', ') + ']';
  if (isMap(v)) {
    const entries = mapEntries(v).map(([k, val]) => [formatString(k), formatString(val)] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return '{' + entries.map(([k, val]) => `${k}: ${val}`).join(', ') + '}';
  }
  if (v === null || typeof v === 'string' || typeof v === 'bigint' || typeof v === 'boolean' ||
      v instanceof UnsignedInt || v instanceof Date || v instanceof Duration || celTypeName(v) === 'type') {
    if (v instanceof Date) return formatTimestamp(v);
    if (v instanceof Duration) return formatDuration(v);
    return celToText(v);
  }
  throw formatError(
    'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, ' +
      `and timestamps, was given ${celTypeName(v)}`,
  );
}

function toBigIntOrUndefined(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

function formatClause(verb: string, precision: number | undefined, v: unknown): string {
  switch (verb) {
    case 's':
      return formatString(v);
    case 'd': {
      const i = toBigIntOrUndefined(v);
      if (i !== undefined) return i.toString();
      if (typeof v === 'number' && nonFinite(v)) return nonFinite(v)!;
      throw formatError(`decimal clause can only be used on integers, was given ${celTypeName(v)}`);
    }
    case 'f': {
      let x: number;
      if (typeof v === 'number') x = v;
      else if (toBigIntOrUndefined(v) !== undefined) x = Number(toBigIntOrUndefined(v));
      else throw formatError(`fixed-point clause can only be used on doubles, was given ${celTypeName(v)}`);
      return nonFinite(x) ?? goFormatFixed(x, precision ?? 6);
    }
    case 'e': {
      let x: number;
      if (typeof v === 'number') x = v;
      else if (toBigIntOrUndefined(v) !== undefined) x = Number(toBigIntOrUndefined(v));
      else throw formatError(`scientific clause can only be used on doubles, was given ${celTypeName(v)}`);
      return nonFinite(x) ?? goFormatExp(x, precision ?? 6);
    }
    case 'x':
    case 'X': {
      let out: string;
      const i = toBigIntOrUndefined(v);
      if (i !== undefined) out = i < 0n ? '-' + (-i).toString(16) : i.toString(16);
      else if (typeof v === 'string') out = Buffer.from(utf8Bytes(v)).toString('hex');
      else if (v instanceof Uint8Array) out = Buffer.from(v).toString('hex');
      else throw formatError(`only integers, byte buffers, and strings can be formatted as hex, was given ${celTypeName(v)}`);
      return verb === 'X' ? out.toUpperCase() : out;
    }
    case 'o': {
      const i = toBigIntOrUndefined(v);
      if (i === undefined) throw formatError(`octal clause can only be used on integers, was given ${celTypeName(v)}`);
      return i < 0n ? '-' + (-i).toString(8) : i.toString(8);
    }
    case 'b': {
      if (typeof v === 'boolean') return v ? '1' : '0';
      const i = toBigIntOrUndefined(v);
      if (i === undefined) throw formatError(`only integers and bools can be formatted as binary, was given ${celTypeName(v)}`);
      return i < 0n ? '-' + (-i).toString(2) : i.toString(2);
    }
  }
  throw new EvaluationError(`could not parse formatting clause: unrecognized formatting clause ${JSON.stringify(verb)}`);
}

/** `<string>.format(<list>)` with cel-go's clause syntax and error messages. */
export function celFormat(template: string, args: unknown[]): string {
  let out = '';
  let argIndex = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    i++;
    if (template[i] === '%') {
      out += '%';
      continue;
    }
    let precision: number | undefined;
    if (template[i] === '.') {
      let j = i + 1;
      while (j < template.length && template[j] >= '0' && template[j] <= '9') j++;
      precision = Number(template.slice(i + 1, j) || '0');
      i = j;
    }
    const verb = template[i] ?? '';
    if (!'sdfexXob'.includes(verb) || verb === '') {
      throw new EvaluationError(`could not parse formatting clause: unrecognized formatting clause ${JSON.stringify(verb)}`);
    }
    if (argIndex >= args.length) throw new EvaluationError(`index ${argIndex} out of range`);
    out += formatClause(verb, precision, args[argIndex++]);
  }
  return out;
}

/** Used by sort(): the comparison, raising cel-go's error when elements are not mutually orderable. */
export function compareForSort(a: unknown, b: unknown): number {
  if (celTypeName(a) !== celTypeName(b)) throw new EvaluationError('list elements must have the same type');
  const c = celCompare(a, b);
  if (c === undefined) throw new EvaluationError(`list elements of type ${celTypeName(a)} are not comparable`);
  return c;
}
