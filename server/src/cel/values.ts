/**
 * Runtime CEL values as the CEL library represents them, and the conversions Tekton applies to them.
 *
 * Representation (from @marcbachmann/cel-js): int = bigint, uint = UnsignedInt, double = number,
 * string, bool, null, bytes = Uint8Array, list = Array, map = plain object or Map, timestamp = Date,
 * duration = Duration, type = Type.
 */
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { formatDoubleG, type GoJsonValue } from './goCompat';

export { Duration, UnsignedInt };

/** True for a value of CEL type `int`. */
export function isInt(v: unknown): v is bigint {
  return typeof v === 'bigint';
}

/** True for a CEL `uint`. */
export function isUint(v: unknown): v is UnsignedInt {
  return v instanceof UnsignedInt;
}

/** True for CEL `bytes`. */
export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** True for a CEL list. */
export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v) || v instanceof Set;
}

/** True for a CEL map (plain object or Map), excluding the other object-represented CEL types. */
export function isMap(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Map) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for a CEL type value (`int`, `string`, …), which the library represents with its Type class. */
function isTypeValue(v: unknown): v is { name: string } {
  return typeof v === 'object' && v !== null && Object.prototype.toString.call(v).startsWith('[object Type<');
}

/** The entries of a CEL map regardless of its representation. */
export function mapEntries(m: Record<string, unknown> | Map<unknown, unknown>): [unknown, unknown][] {
  if (m instanceof Map) return [...m.entries()];
  return Object.keys(m).map((k) => [k, (m as Record<string, unknown>)[k]]);
}

/** Elements of a CEL list. */
export function listItems(l: unknown[] | Set<unknown>): unknown[] {
  return Array.isArray(l) ? l : [...l];
}

/** The CEL type name of a runtime value, as cel-go prints it in error messages (`null_type`, `list`, …). */
export function celTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null_type';
  switch (typeof v) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'double';
    case 'boolean': return 'bool';
  }
  if (v instanceof UnsignedInt) return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  if (v instanceof Duration) return 'google.protobuf.Duration';
  if (isList(v)) return 'list';
  if (isMap(v)) return 'map';
  if (isTypeValue(v)) return 'type';
  return (v as object).constructor?.name ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------------------
// Equality and ordering (CEL heterogeneous numeric equality), used by sets.*, distinct(), sort().

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

function compareNumeric(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && Number.isNaN(a)) return NaN;
  if (typeof b === 'number' && Number.isNaN(b)) return NaN;
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // Mixed bigint/number: compare exactly (JS relational operators compare bigint and number exactly).
  return a < b ? -1 : a > b ? 1 : 0;
}

/** CEL equality with heterogeneous numeric comparison (`1 == 1.0 == 1u`), lists and maps by value. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    return compareNumeric(na, nb) === 0;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Duration && b instanceof Duration) return a.seconds === b.seconds && a.nanos === b.nanos;
  if (isList(a) && isList(b)) {
    const la = listItems(a);
    const lb = listItems(b);
    return la.length === lb.length && la.every((x, i) => celEquals(x, lb[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ea = mapEntries(a);
    const eb = mapEntries(b);
    if (ea.length !== eb.length) return false;
    return ea.every(([k, v]) => {
      const other = eb.find(([k2]) => celEquals(k, k2));
      return other !== undefined && celEquals(v, other[1]);
    });
  }
  if (isTypeValue(a) && isTypeValue(b)) return a.name === b.name;
  return false;
}

/**
 * CEL ordering for the orderable types (numbers across int/uint/double, string, bool, bytes, timestamp,
 * duration). Returns undefined when the two values cannot be ordered against each other.
 */
export function celCompare(a: unknown, b: unknown): number | undefined {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) {
    const c = compareNumeric(na, nb);
    return Number.isNaN(c) ? undefined : c;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    // Compare by code point, as Go compares UTF-8 byte strings.
    const ca = Array.from(a);
    const cb = Array.from(b);
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
      const x = ca[i].codePointAt(0)!;
      const y = cb[i].codePointAt(0)!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return ca.length - cb.length === 0 ? 0 : ca.length < cb.length ? -1 : 1;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Duration && b instanceof Duration) {
    if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
    return Math.sign(a.nanos - b.nanos);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Timestamps and durations as text

/** RFC 3339 text of a timestamp in UTC, as Go's `time.RFC3339Nano` (trailing zero fractions dropped). */
export function formatTimestamp(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ (or ±YYYYYY for years outside 0..9999)
  return iso.replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

/** Nanoseconds of a Duration. */
export function durationNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

/** A Duration from nanoseconds. */
export function durationFromNanos(ns: bigint): Duration {
  const seconds = ns / 1_000_000_000n;
  const nanos = Number(ns % 1_000_000_000n);
  return new Duration(seconds, nanos);
}

/** cel-go's text for a duration: seconds with the shortest fraction and an `s` suffix (`6347s`, `1.5s`). */
export function formatDuration(d: Duration): string {
  const ns = durationNanos(d);
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}s`;
}

// ---------------------------------------------------------------------------------------------------------
// Output conversions

/**
 * Converts a CEL value to JSON-compatible data the way Tekton's overlay writer does (cel.go: strings and
 * bytes via structpb — bytes become base64 text; ints and doubles become JSON numbers; lists and maps via
 * protojson; timestamps RFC 3339; durations `1.5s`). Non-finite doubles become the strings protojson uses.
 */
export function toJsonValue(v: unknown): GoJsonValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
    case 'number':
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      return v;
  }
  if (v instanceof UnsignedInt) return Number(v.valueOf());
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Date) return formatTimestamp(v);
  if (v instanceof Duration) return formatDuration(v);
  if (isList(v)) return listItems(v).map(toJsonValue);
  if (isMap(v)) {
    const out: Record<string, GoJsonValue> = {};
    for (const [k, val] of mapEntries(v)) out[celToText(k)] = toJsonValue(val);
    return out;
  }
  if (isTypeValue(v)) return v.name;
  return String(v);
}

/** Text of a scalar CEL value as `string(x)` would produce it (used for map keys and %s formatting). */
export function celToText(v: unknown): string {
  switch (typeof v) {
    case 'string': return v;
    case 'bigint': return v.toString();
    case 'number': return formatDoubleG(v);
    case 'boolean': return v ? 'true' : 'false';
  }
  if (v === null || v === undefined) return 'null';
  if (v instanceof UnsignedInt) return v.toString();
  if (v instanceof Date) return formatTimestamp(v);
  if (v instanceof Duration) return formatDuration(v);
  if (isTypeValue(v)) return v.name;
  return String(v);
}

/**
 * Prints a CEL result as JSON text for people and tools (the CLI's stdout, the editor's "evaluate"
 * command): strings quoted, maps and lists as JSON, bytes as base64, ints and doubles as numbers (ints
 * beyond 2^53 are printed exactly), timestamps RFC 3339.
 */
export function formatCelValue(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof UnsignedInt) return v.toString();
  if (isList(v)) return '[' + listItems(v).map(formatCelValue).join(',') + ']';
  if (isMap(v)) {
    return '{' + mapEntries(v).map(([k, val]) => JSON.stringify(celToText(k)) + ':' + formatCelValue(val)).join(',') + '}';
  }
  return JSON.stringify(toJsonValue(v));
}
