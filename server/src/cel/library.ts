/**
 * The CEL functions of the environments Tekton and Kubeflow Pipelines run, registered on a
 * @marcbachmann/cel-js Environment, together with a catalogue describing them (for linting, completion
 * and hover).
 *
 * Sources: cel-go v0.30 standard library and `ext` libraries (Strings, Encoders, Sets, Lists, Math at their
 * latest versions, as Tekton loads them), Tekton's `pkg/interceptors/cel/triggers.go`, and Kubeflow Pipelines'
 * `backend/src/v2/expression/expression.go`.
 *
 * How built-ins are replaced: cel-js ships some functions with JavaScript semantics (`matches` on RegExp,
 * Unicode `lowerAscii`, UTF-16 `indexOf`, JavaScript float printing in `string(double)`). It does not allow a
 * second registration of the same signature, so the checker renames calls to these names to an internal
 * name (`name#tk`, not writable in CEL) before type-checking, and this file registers the Go-compatible
 * implementations under that name. See `OWNED_NAMES`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { parse as parseYamlText } from 'yaml';
import {
  canonicalMimeHeaderKey, formatDoubleG, goJsonMarshal, goParseDuration, goParseQuery, goParseUrl, goTrimSpace,
  utf8Bytes, utf8Lossy, utf8Strict, type GoJsonValue,
} from './goCompat';
import { re2Matches, re2ReplaceAll } from './re2';
import { celFormat, compareForSort } from './format';
import {
  celCompare, celEquals, celTypeName, Duration, durationFromNanos, durationNanos, formatDuration,
  formatTimestamp, isList, isMap, listItems, mapEntries, toJsonValue, UnsignedInt,
} from './values';

/** Suffix of the internal names that replace cel-js built-ins with Go-compatible implementations. */
export const OWNED_SUFFIX = '#tk';

/** Which cel-go/Tekton libraries an environment loads. */
export type CelLibraryId = 'strings' | 'encoders' | 'sets' | 'lists' | 'math' | 'tekton' | 'kfp' | 'pac';

/** One overload of a function in the catalogue, in CEL type notation. */
export interface CelOverloadDoc {
  /** Receiver type for member functions (`string`, `list(dyn)`, `map(string, dyn)`), absent for globals. */
  receiver?: string;
  /** Parameter types. A `...` entry means "any number of the previous type". */
  params: string[];
  /** Result type. */
  result: string;
}

/** A function or macro available in an environment. */
export interface CelFunctionDoc {
  /** Name as written in CEL: `size`, `charAt`, `base64.decode`, `math.greatest`. */
  name: string;
  /** True for macros, which expand at parse time (has, all, exists, map, filter, sortBy, math.greatest). */
  macro?: boolean;
  /** Overloads; those with a receiver are called as `x.f()`, the others as `f(x)`. */
  overloads: CelOverloadDoc[];
  /** One-line description. */
  doc: string;
  /** Where it comes from: `cel` (standard), `ext.Strings`, …, `tekton`, `kfp`. */
  library: string;
  /** An example expression. */
  example?: string;
}

/** Per-evaluation state read by functions that need the caller's data (secrets). Evaluation is synchronous. */
export interface EvalState {
  /** Returns the bytes of `secretName[key]`, or undefined when absent. */
  secretLookup?: (secretName: string, key: string) => Uint8Array | string | undefined;
  /** The changed files of the event, for Pipelines-as-Code's `"glob".pathChanged()`. */
  changedFiles?: readonly string[];
  /** Matches a gobwas glob (no separators) against a path, for `pathChanged()`. */
  globMatch?: (pattern: string, path: string) => boolean;
}

let currentState: EvalState = {};

/** Runs `fn` with per-evaluation state visible to the functions (restored afterwards). */
export function withEvalState<T>(state: EvalState, fn: () => T): T {
  const saved = currentState;
  currentState = state;
  try {
    return fn();
  } finally {
    currentState = saved;
  }
}

/** Names whose cel-js built-ins are replaced (calls are renamed to `name#tk` before checking). */
export const OWNED_NAMES = {
  global: new Set(['string', 'int', 'uint', 'double', 'bool', 'timestamp', 'duration', 'matches']),
  member: new Set([
    'matches', 'lowerAscii', 'upperAscii', 'trim', 'indexOf', 'lastIndexOf', 'substring', 'split', 'join',
    // Timestamp accessors: cel-js only understands IANA zone names; cel-go also takes "+02:00" offsets.
    'getFullYear', 'getMonth', 'getDayOfYear', 'getDayOfMonth', 'getDate', 'getDayOfWeek', 'getHours', 'getMinutes',
    'getSeconds', 'getMilliseconds',
  ]),
};

function err(message: string): EvaluationError {
  return new EvaluationError(message);
}

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;
const MAX_UINT = 18446744073709551615n;

// Namespaces: cel-go resolves `base64.decode(...)` as one qualified function name. cel-js has no qualified
// names, so each namespace is a constant of its own type and its functions are members of that type.
class Base64Namespace {}
class MathNamespace {}
class SetsNamespace {}
class ListsNamespace {}
class StringsNamespace {}
class JsonNamespace {}

/** Namespaces each library introduces (identifier → library). */
export const NAMESPACES: Record<string, CelLibraryId> = {
  base64: 'encoders',
  math: 'math',
  sets: 'sets',
  lists: 'lists',
  strings: 'strings',
  json: 'encoders',
};

/** Collects registrations and documentation for one environment. */
class Registrar {
  readonly docs = new Map<string, CelFunctionDoc>();

  constructor(readonly env: Environment) {}

  doc(name: string, kind: 'global' | 'member' | 'macro', library: string, doc: string, overloads: CelOverloadDoc[], example?: string): void {
    const existing = this.docs.get(name);
    if (existing) {
      existing.overloads.push(...overloads);
      if (kind === 'macro') existing.macro = true;
      return;
    }
    this.docs.set(name, { name, macro: kind === 'macro' || undefined, library, doc, overloads: [...overloads], example });
  }

  /** Registers a global function under `name` (renamed to the internal name when owned). */
  global(name: string, sig: string, handler: (...args: any[]) => unknown): void {
    const internal = OWNED_NAMES.global.has(name) ? name + OWNED_SUFFIX : name;
    const m = /^\((.*)\):\s*(.+)$/.exec(sig)!;
    const params = m[1].trim() === '' ? [] : splitTypes(m[1]);
    this.env.registerFunction({
      name: internal,
      returnType: m[2].trim(),
      handler: wrapHandler(handler),
      params: params.map((type, i) => ({ name: `arg${i}`, type })),
      // Without this cel-js assumes a handler may return a Promise and takes its slower async paths.
      async: false,
    } as never);
  }

  /** Registers a member function `receiver.name(params): result`. */
  member(receiver: string, name: string, sig: string, handler: (...args: any[]) => unknown): void {
    const internal = OWNED_NAMES.member.has(name) && !receiver.endsWith('Namespace') ? name + OWNED_SUFFIX : name;
    const m = /^\((.*)\):\s*(.+)$/.exec(sig)!;
    const params = m[1].trim() === '' ? [] : splitTypes(m[1]);
    this.env.registerFunction({
      name: internal,
      receiverType: receiver,
      returnType: m[2].trim(),
      handler: wrapHandler(handler),
      params: params.map((type, i) => ({ name: `arg${i}`, type })),
      // Without this cel-js assumes a handler may return a Promise and takes its slower async paths.
      async: false,
    } as never);
  }
}

function splitTypes(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Turns plain JavaScript errors (from the Go ports, bigint range checks) into CEL evaluation errors. */
function wrapHandler(fn: (...args: any[]) => unknown): (...args: any[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof EvaluationError) throw e;
      throw err((e as Error).message);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function runes(s: string): string[] {
  return Array.from(s);
}

function indexOfRunes(hay: string[], needle: string[], from: number): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function lastIndexOfRunes(hay: string[], needle: string[], from: number): number {
  outer: for (let i = Math.min(from, hay.length - needle.length); i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Go's strings.Replace(s, old, new, n) (n < 0: all). */
function goReplace(s: string, old: string, neu: string, n: number): string {
  if (n === 0 || old === neu) return s;
  if (old === '') {
    const rs = runes(s);
    let out = '';
    let count = 0;
    for (let i = 0; i <= rs.length; i++) {
      if (n < 0 || count < n) {
        out += neu;
        count++;
      }
      if (i < rs.length) out += rs[i];
    }
    return out;
  }
  let out = '';
  let pos = 0;
  let count = 0;
  while (n < 0 || count < n) {
    const idx = s.indexOf(old, pos);
    if (idx < 0) break;
    out += s.slice(pos, idx) + neu;
    pos = idx + old.length;
    count++;
  }
  return out + s.slice(pos);
}

/** Go's strings.SplitN(s, sep, n) (n < 0: all; n == 0: none). */
function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = runes(s);
    if (n < 0 || n >= rs.length) return rs;
    return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
  }
  const parts: string[] = [];
  let pos = 0;
  while (n < 0 || parts.length < n - 1) {
    const idx = s.indexOf(sep, pos);
    if (idx < 0) break;
    parts.push(s.slice(pos, idx));
    pos = idx + sep.length;
  }
  parts.push(s.slice(pos));
  return parts;
}

function toNumberArg(v: unknown): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

/** cel-go's strings.quote: escapes control characters, `\` and `"`; invalid UTF-16 becomes U+FFFD. */
function celQuote(s: string): string {
  let out = '"';
  // Lone surrogates cannot be encoded as UTF-8; Go's sanitize() turns invalid UTF-8 into U+FFFD.
  const wellFormed = s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  for (const ch of wellFormed) {
    switch (ch) {
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\v': out += '\\v'; break;
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      default: out += ch;
    }
  }
  return out + '"';
}

/** Go's base64.StdEncoding.DecodeString, falling back to RawStdEncoding (cel-go accepts unpadded input). */
function goBase64Decode(s: string): Uint8Array {
  const cleaned = s.replace(/[\r\n]/g, '');
  const bad = cleaned.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) throw err(`illegal base64 data at input byte ${bad}`);
  const padded = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(cleaned) && cleaned.length % 4 === 0;
  const raw = /^[A-Za-z0-9+/]*$/.test(cleaned) && cleaned.length % 4 !== 1;
  if (!padded && !raw) {
    const eq = cleaned.indexOf('=');
    throw err(`illegal base64 data at input byte ${eq >= 0 ? eq : cleaned.length}`);
  }
  return new Uint8Array(Buffer.from(cleaned, 'base64'));
}

/** Go's strconv.ParseFloat as used by double(string). */
function goParseFloat(s: string): number {
  const lower = s.toLowerCase();
  switch (lower) {
    case 'inf': case '+inf': case 'infinity': case '+infinity': return Infinity;
    case '-inf': case '-infinity': return -Infinity;
    case 'nan': return NaN;
  }
  if (/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(s) && !s.includes('_')) return Number(s);
  if (/^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s)!;
    const mant = parseInt((m[2] || '0') + (m[3] || ''), 16) / 16 ** (m[3] || '').length;
    return (m[1] === '-' ? -1 : 1) * mant * 2 ** Number(m[4]);
  }
  throw err(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** time.Parse(time.RFC3339, s), as cel-go's timestamp(string). Sub-millisecond digits are dropped. */
function parseTimestamp(s: string): Date {
  const m = RFC3339.exec(s);
  if (!m) throw err(`timestamp conversion error: parsing time ${JSON.stringify(s)} as RFC 3339`);
  const d = new Date(s.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(d.getTime())) throw err(`timestamp conversion error: parsing time ${JSON.stringify(s)}`);
  checkTimestampRange(d);
  return d;
}

function checkTimestampRange(d: Date): Date {
  const t = d.getTime();
  if (!(t >= -62135596800000 && t <= 253402300799999)) throw err('timestamp out of range');
  return d;
}

function toGoJson(v: unknown): GoJsonValue {
  // Tekton's marshalJSON converts through protobuf Struct/ListValue: every number becomes a double and map
  // keys must be strings.
  if (isMap(v)) {
    const out: Record<string, GoJsonValue> = {};
    for (const [k, val] of mapEntries(v)) {
      if (typeof k !== 'string') throw err(`failed to convert to native: unsupported map key type: ${celTypeName(k)}`);
      out[k] = toGoJson(val);
    }
    return out;
  }
  if (isList(v)) return listItems(v).map(toGoJson);
  if (typeof v === 'number' && !Number.isFinite(v)) throw err(`failed to marshal to json: json: unsupported value: ${formatDoubleG(v)}`);
  return toJsonValue(v);
}

/** Converts a CEL header map to Go's http.Header (map of string lists), as Tekton's match/canonical do. */
function toHttpHeader(h: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!isMap(h)) throw err(`failed to convert to http.Header: unsupported type ${celTypeName(h)}`);
  for (const [k, v] of mapEntries(h)) {
    if (typeof k !== 'string' || !isList(v) || !listItems(v).every((x) => typeof x === 'string')) {
      throw err(`failed to convert to http.Header: type conversion error from '${celTypeName(v)}' to '[]string'`);
    }
    out.set(k, listItems(v) as string[]);
  }
  return out;
}

/** JSON parse whose numbers are doubles, as Go's json.Unmarshal into interface{}. */
function parseJsonText(s: string, fn: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw err(`failed to decode '${s}' in ${fn}: ${(e as Error).message}`);
  }
}

/** sigs.k8s.io/yaml semantics: YAML 1.1, converted through JSON (timestamps become strings, numbers doubles). */
function yamlToJsonLike(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(yamlToJsonLike);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v) out[String(k)] = yamlToJsonLike(val);
    return out;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = yamlToJsonLike(val);
    return out;
  }
  return v;
}

function greatestOrLeast(args: unknown[], pickGreater: boolean, fn: string): unknown {
  let items = args;
  if (args.length === 1 && isList(args[0])) {
    items = listItems(args[0]);
    if (items.length === 0) throw err(`${fn}(list) argument must not be empty`);
  }
  let best: unknown = undefined;
  for (const v of items) {
    if (toNumberArg(v) === undefined) throw err('no such overload');
    if (best === undefined) {
      best = v;
      continue;
    }
    const c = celCompare(v, best);
    if (c !== undefined && (pickGreater ? c > 0 : c < 0)) best = v;
  }
  return best;
}

interface ZonedFields {
  year: number;
  month: number; // 0-11
  day: number; // 1-31
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Calendar fields of `t` in a time zone, as cel-go's timestamp accessors: an IANA name (time.LoadLocation)
 * or, when the text contains ':', a fixed offset `[+|-]HH:MM` (no sign means east of UTC).
 */
function zonedFields(t: Date, tz: string): ZonedFields {
  if (tz.includes(':')) {
    const [h, m] = tz.split(':');
    const hours = Number(h);
    const minutes = Number(m);
    if (!/^[+-]?\d+$/.test(h) || !/^\d+$/.test(m)) throw err(`strconv.Atoi: parsing ${JSON.stringify(h)}: invalid syntax`);
    const offset = h.startsWith('-') ? hours * 60 - minutes : hours * 60 + minutes;
    const shifted = new Date(t.getTime() + offset * 60_000);
    return {
      year: shifted.getUTCFullYear(), month: shifted.getUTCMonth(), day: shifted.getUTCDate(), weekday: shifted.getUTCDay(),
      hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(), millisecond: shifted.getUTCMilliseconds(),
    };
  }
  if (tz === 'UTC' || tz === '') {
    return {
      year: t.getUTCFullYear(), month: t.getUTCMonth(), day: t.getUTCDate(), weekday: t.getUTCDay(),
      hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds(), millisecond: t.getUTCMilliseconds(),
    };
  }
  let fmt = zoneFormatters.get(tz);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw err(`unknown time zone ${tz}`);
    }
    zoneFormatters.set(tz, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(t)) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month) - 1, day: Number(parts.day), weekday: WEEKDAYS.indexOf(parts.weekday),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), millisecond: t.getUTCMilliseconds(),
  };
}

function dayOfYear(f: ZonedFields): number {
  return Math.round((Date.UTC(f.year, f.month, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000);
}

const TIMESTAMP_FIELDS: Record<string, (f: ZonedFields) => number> = {
  getFullYear: (f) => f.year,
  getMonth: (f) => f.month,
  getDayOfYear: dayOfYear,
  getDayOfMonth: (f) => f.day - 1,
  getDate: (f) => f.day,
  getDayOfWeek: (f) => f.weekday,
  getHours: (f) => f.hour,
  getMinutes: (f) => f.minute,
  getSeconds: (f) => f.second,
  getMilliseconds: (f) => f.millisecond,
};

function asUint64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

// ---------------------------------------------------------------------------------------------------------
// Standard library replacements (all environments)

function registerStandard(r: Registrar): void {
  const TS = 'google.protobuf.Timestamp';
  const DUR = 'google.protobuf.Duration';

  r.global('string', '(string): string', (v: string) => v);
  r.global('string', '(bool): string', (v: boolean) => (v ? 'true' : 'false'));
  r.global('string', '(int): string', (v: bigint) => v.toString());
  r.global('string', '(uint): string', (v: UnsignedInt) => v.toString());
  r.global('string', '(double): string', (v: number) => formatDoubleG(v));
  r.global('string', '(bytes): string', (v: Uint8Array) => {
    const s = utf8Strict(v);
    if (s === undefined) throw err('invalid UTF-8 in bytes, cannot convert to string');
    return s;
  });
  r.global('string', `(${TS}): string`, (v: Date) => formatTimestamp(v));
  r.global('string', `(${DUR}): string`, (v: Duration) => formatDuration(v));
  r.doc('string', 'global', 'cel', 'Converts a value to a string. Doubles print as Go\'s %g (1.0 → "1", 1e6 → "1e+06").',
    ['string', 'bool', 'int', 'uint', 'double', 'bytes', TS, DUR].map((t) => ({ params: [t], result: 'string' })), 'string(1.5) == "1.5"');

  r.global('int', '(int): int', (v: bigint) => v);
  r.global('int', '(uint): int', (v: UnsignedInt) => {
    if (v.valueOf() > MAX_INT) throw err('integer overflow');
    return v.valueOf();
  });
  r.global('int', '(double): int', (v: number) => {
    // cel-go: the double must lie strictly inside (MinInt64, MaxInt64).
    if (!(v > -9223372036854775808 && v < 9223372036854775808)) throw err('integer overflow');
    return BigInt(Math.trunc(v));
  });
  r.global('int', '(string): int', (v: string) => {
    if (!/^[+-]?\d+$/.test(v)) throw err(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    const b = BigInt(v);
    if (b > MAX_INT || b < MIN_INT) throw err(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
    return b;
  });
  r.global('int', `(${TS}): int`, (v: Date) => BigInt(Math.floor(v.getTime() / 1000)));
  r.doc('int', 'global', 'cel', 'Converts to int (doubles truncate toward zero; out-of-range values are an error).',
    ['int', 'uint', 'double', 'string', TS].map((t) => ({ params: [t], result: 'int' })), 'int(body.count) + 1');

  r.global('uint', '(uint): uint', (v: UnsignedInt) => v);
  r.global('uint', '(int): uint', (v: bigint) => {
    if (v < 0n) throw err('unsigned integer overflow');
    return new UnsignedInt(v);
  });
  r.global('uint', '(double): uint', (v: number) => {
    if (!(v >= 0 && v < 18446744073709551616)) throw err('unsigned integer overflow');
    return new UnsignedInt(BigInt(Math.trunc(v)));
  });
  r.global('uint', '(string): uint', (v: string) => {
    if (!/^\+?\d+$/.test(v)) throw err(`strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
    const b = BigInt(v);
    if (b > MAX_UINT) throw err(`strconv.ParseUint: parsing ${JSON.stringify(v)}: value out of range`);
    return new UnsignedInt(b);
  });
  r.doc('uint', 'global', 'cel', 'Converts to uint.', ['uint', 'int', 'double', 'string'].map((t) => ({ params: [t], result: 'uint' })));

  r.global('double', '(double): double', (v: number) => v);
  r.global('double', '(int): double', (v: bigint) => Number(v));
  r.global('double', '(uint): double', (v: UnsignedInt) => Number(v.valueOf()));
  r.global('double', '(string): double', (v: string) => goParseFloat(v));
  r.doc('double', 'global', 'cel', 'Converts to double.', ['double', 'int', 'uint', 'string'].map((t) => ({ params: [t], result: 'double' })));

  r.global('bool', '(bool): bool', (v: boolean) => v);
  r.global('bool', '(string): bool', (v: string) => {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
    throw err(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  });
  r.doc('bool', 'global', 'cel', 'Converts to bool (strings as Go\'s strconv.ParseBool).', ['bool', 'string'].map((t) => ({ params: [t], result: 'bool' })));

  r.global('timestamp', `(string): ${TS}`, (v: string) => parseTimestamp(v));
  r.global('timestamp', `(int): ${TS}`, (v: bigint) => checkTimestampRange(new Date(Number(v) * 1000)));
  r.global('timestamp', `(${TS}): ${TS}`, (v: Date) => v);
  r.doc('timestamp', 'global', 'cel', 'An RFC 3339 timestamp (or Unix seconds).', [
    { params: ['string'], result: TS }, { params: ['int'], result: TS }, { params: [TS], result: TS }],
  'timestamp("2024-01-01T00:00:00Z")');

  r.global('duration', `(string): ${DUR}`, (v: string) => durationFromNanos(goParseDuration(v)));
  r.global('duration', `(${DUR}): ${DUR}`, (v: Duration) => v);
  r.doc('duration', 'global', 'cel', 'A duration written as Go\'s time.ParseDuration ("1h30m", "1.5s").', [
    { params: ['string'], result: DUR }, { params: [DUR], result: DUR }], 'duration("90m")');

  r.global('matches', '(string, string): bool', (s: string, re: string) => re2Matches(s, re));
  r.member('string', 'matches', '(string): bool', (s: string, re: string) => re2Matches(s, re));
  r.doc('matches', 'member', 'cel', 'True when the RE2 regular expression matches part of the string (use ^…$ to anchor).',
    [{ receiver: 'string', params: ['string'], result: 'bool' }, { params: ['string', 'string'], result: 'bool' }],
    "body.ref.matches('^refs/heads/release-.*$')");

  // Built-ins kept from cel-js (same semantics as cel-go), documented for completion and hover.
  r.doc('size', 'global', 'cel', 'Length of a string (code points), bytes, list or map.',
    ['string', 'bytes', 'list(dyn)', 'map(dyn, dyn)'].map((t) => ({ params: [t], result: 'int' })));
  r.doc('size', 'member', 'cel', 'Length of a string (code points), bytes, list or map.',
    ['string', 'bytes', 'list(dyn)', 'map(dyn, dyn)'].map((t) => ({ receiver: t, params: [], result: 'int' })));
  r.doc('contains', 'member', 'cel', 'True when the string contains the substring.', [{ receiver: 'string', params: ['string'], result: 'bool' }]);
  r.doc('startsWith', 'member', 'cel', 'True when the string starts with the prefix.', [{ receiver: 'string', params: ['string'], result: 'bool' }],
    "body.ref.startsWith('refs/tags/')");
  r.doc('endsWith', 'member', 'cel', 'True when the string ends with the suffix.', [{ receiver: 'string', params: ['string'], result: 'bool' }]);
  r.doc('bytes', 'global', 'cel', 'Converts a string to its UTF-8 bytes.', [{ params: ['string'], result: 'bytes' }, { params: ['bytes'], result: 'bytes' }]);
  r.doc('dyn', 'global', 'cel', 'Marks a value as dynamically typed.', [{ params: ['dyn'], result: 'dyn' }]);
  r.doc('type', 'global', 'cel', 'The type of a value.', [{ params: ['dyn'], result: 'type' }]);
  for (const [g, field] of Object.entries(TIMESTAMP_FIELDS)) {
    r.member(TS, g, '(): int', (t: Date) => BigInt(field(zonedFields(t, 'UTC'))));
    r.member(TS, g, '(string): int', (t: Date, tz: string) => BigInt(field(zonedFields(t, tz))));
    const overloads: CelOverloadDoc[] = [{ receiver: TS, params: [], result: 'int' }, { receiver: TS, params: ['string'], result: 'int' }];
    if (['getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'].includes(g)) overloads.push({ receiver: DUR, params: [], result: 'int' });
    r.doc(g, 'member', 'cel', `Timestamp accessor ${g} in UTC, or in a time zone ("America/New_York", "+02:00").`, overloads);
  }
  // Duration accessors: whole hours/minutes/seconds of the duration; getMilliseconds is the millisecond
  // component (cel-go's documented behaviour).
  r.member(DUR, 'getHours', '(): int', (d: Duration) => durationNanos(d) / 3_600_000_000_000n);
  r.member(DUR, 'getMinutes', '(): int', (d: Duration) => durationNanos(d) / 60_000_000_000n);
  r.member(DUR, 'getSeconds', '(): int', (d: Duration) => durationNanos(d) / 1_000_000_000n);
  r.member(DUR, 'getMilliseconds', '(): int', (d: Duration) => (durationNanos(d) % 1_000_000_000n) / 1_000_000n);

  // cel-go orders bytes lexicographically; cel-js has no bytes ordering.
  const cmpBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  r.env.registerOperator('bytes < bytes', (a: Uint8Array, b: Uint8Array) => cmpBytes(a, b) < 0);
  r.env.registerOperator('bytes <= bytes', (a: Uint8Array, b: Uint8Array) => cmpBytes(a, b) <= 0);
  r.env.registerOperator('bytes > bytes', (a: Uint8Array, b: Uint8Array) => cmpBytes(a, b) > 0);
  r.env.registerOperator('bytes >= bytes', (a: Uint8Array, b: Uint8Array) => cmpBytes(a, b) >= 0);
  r.doc('has', 'macro', 'cel', 'True when the field is present: has(body.pull_request).', [{ params: ['dyn'], result: 'bool' }], 'has(body.pull_request)');
  r.doc('all', 'macro', 'cel', 'True when the predicate holds for every element (or map key).', [{ receiver: 'list(dyn)', params: ['var', 'bool'], result: 'bool' }]);
  r.doc('exists', 'macro', 'cel', 'True when the predicate holds for at least one element.', [{ receiver: 'list(dyn)', params: ['var', 'bool'], result: 'bool' }],
    "body.commits.exists(c, c.modified.exists(f, f.startsWith('docs/')))");
  r.doc('exists_one', 'macro', 'cel', 'True when the predicate holds for exactly one element.', [{ receiver: 'list(dyn)', params: ['var', 'bool'], result: 'bool' }]);
  r.doc('map', 'macro', 'cel', 'Transforms each element (optionally only those matching a filter).', [
    { receiver: 'list(dyn)', params: ['var', 'dyn'], result: 'list(dyn)' }, { receiver: 'list(dyn)', params: ['var', 'bool', 'dyn'], result: 'list(dyn)' }]);
  r.doc('filter', 'macro', 'cel', 'Keeps the elements for which the predicate holds.', [{ receiver: 'list(dyn)', params: ['var', 'bool'], result: 'list(dyn)' }]);
}

// ---------------------------------------------------------------------------------------------------------
// cel-go ext.Strings (latest version)

function registerStrings(r: Registrar): void {
  const L = 'ext.Strings';
  r.member('string', 'charAt', '(int): string', (s: string, i: bigint) => {
    const rs = runes(s);
    if (i < 0n || i > BigInt(rs.length)) throw err(`index out of range: ${i}`);
    return i === BigInt(rs.length) ? '' : rs[Number(i)];
  });
  r.doc('charAt', 'member', L, 'The character at a code-point index ("" at the end).', [{ receiver: 'string', params: ['int'], result: 'string' }], "'hello'.charAt(4)");

  r.member('string', 'indexOf', '(string): int', (s: string, sub: string) => {
    if (sub === '') return 0n;
    return BigInt(indexOfRunes(runes(s), runes(sub), 0));
  });
  r.member('string', 'indexOf', '(string, int): int', (s: string, sub: string, off: bigint) => {
    if (sub === '') return off;
    const rs = runes(s);
    if (off < 0n || off >= BigInt(rs.length)) throw err(`index out of range: ${off}`);
    return BigInt(indexOfRunes(rs, runes(sub), Number(off)));
  });
  r.doc('indexOf', 'member', L, 'Code-point index of the first occurrence, or -1.', [
    { receiver: 'string', params: ['string'], result: 'int' }, { receiver: 'string', params: ['string', 'int'], result: 'int' }]);

  r.member('string', 'lastIndexOf', '(string): int', (s: string, sub: string) => {
    const rs = runes(s);
    if (sub === '') return BigInt(rs.length);
    return BigInt(lastIndexOfRunes(rs, runes(sub), rs.length));
  });
  r.member('string', 'lastIndexOf', '(string, int): int', (s: string, sub: string, off: bigint) => {
    if (sub === '') return off;
    const rs = runes(s);
    if (off < 0n || off >= BigInt(rs.length)) throw err(`index out of range: ${off}`);
    return BigInt(lastIndexOfRunes(rs, runes(sub), Number(off)));
  });
  r.doc('lastIndexOf', 'member', L, 'Code-point index of the last occurrence, or -1.', [
    { receiver: 'string', params: ['string'], result: 'int' }, { receiver: 'string', params: ['string', 'int'], result: 'int' }]);

  r.member('string', 'lowerAscii', '(): string', (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
  r.doc('lowerAscii', 'member', L, 'Lower-cases ASCII letters only.', [{ receiver: 'string', params: [], result: 'string' }]);
  r.member('string', 'upperAscii', '(): string', (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase()));
  r.doc('upperAscii', 'member', L, 'Upper-cases ASCII letters only.', [{ receiver: 'string', params: [], result: 'string' }]);

  r.member('string', 'replace', '(string, string): string', (s: string, o: string, n: string) => goReplace(s, o, n, -1));
  r.member('string', 'replace', '(string, string, int): string', (s: string, o: string, n: string, k: bigint) => goReplace(s, o, n, Number(k)));
  r.doc('replace', 'member', L, 'Replaces occurrences of a substring (optionally at most n; n < 0 means all).', [
    { receiver: 'string', params: ['string', 'string'], result: 'string' }, { receiver: 'string', params: ['string', 'string', 'int'], result: 'string' }],
  "'this that another'.replace('th', '', 2)");

  r.member('string', 'split', '(string): list<string>', (s: string, sep: string) => goSplitN(s, sep, -1));
  r.member('string', 'split', '(string, int): list<string>', (s: string, sep: string, n: bigint) => goSplitN(s, sep, Number(n)));
  r.doc('split', 'member', L, 'Splits on a separator (optionally into at most n parts).', [
    { receiver: 'string', params: ['string'], result: 'list(string)' }, { receiver: 'string', params: ['string', 'int'], result: 'list(string)' }],
  "body.ref.split('/')[2]");

  r.member('string', 'substring', '(int): string', (s: string, start: bigint) => {
    const rs = runes(s);
    if (start < 0n || start > BigInt(rs.length)) throw err(`index out of range: ${start}`);
    return rs.slice(Number(start)).join('');
  });
  r.member('string', 'substring', '(int, int): string', (s: string, start: bigint, end: bigint) => {
    const rs = runes(s);
    if (start > end) throw err(`invalid substring range. start: ${start}, end: ${end}`);
    if (start < 0n || start > BigInt(rs.length)) throw err(`index out of range: ${start}`);
    if (end < 0n || end > BigInt(rs.length)) throw err(`index out of range: ${end}`);
    return rs.slice(Number(start), Number(end)).join('');
  });
  r.doc('substring', 'member', L, 'Substring by code-point positions [start, end).', [
    { receiver: 'string', params: ['int'], result: 'string' }, { receiver: 'string', params: ['int', 'int'], result: 'string' }]);

  r.member('string', 'trim', '(): string', (s: string) => goTrimSpace(s));
  r.doc('trim', 'member', L, 'Removes leading and trailing Unicode whitespace.', [{ receiver: 'string', params: [], result: 'string' }]);

  const joinCheck = (l: unknown[]): string[] => {
    const items = listItems(l);
    for (const x of items) if (typeof x !== 'string') throw err('no such overload');
    return items as string[];
  };
  r.member('list<string>', 'join', '(): string', (l: unknown[]) => joinCheck(l).join(''));
  r.member('list<string>', 'join', '(string): string', (l: unknown[], sep: string) => joinCheck(l).join(sep));
  r.doc('join', 'member', L, 'Concatenates a list of strings (with an optional separator).', [
    { receiver: 'list(string)', params: [], result: 'string' }, { receiver: 'list(string)', params: ['string'], result: 'string' }],
  "['refs', 'heads', 'main'].join('/')");

  r.member('string', 'reverse', '(): string', (s: string) => runes(s).reverse().join(''));
  r.doc('reverse', 'member', L, 'Reverses a string (by code point).', [{ receiver: 'string', params: [], result: 'string' }]);

  r.member('string', 'format', '(list): string', (s: string, args: unknown[]) => celFormat(s, listItems(args)));
  r.doc('format', 'member', L, 'printf-style formatting with %s %d %f %e %x %X %o %b.', [{ receiver: 'string', params: ['list(dyn)'], result: 'string' }],
    '"%s is %d".format(["x", 1])');

  r.member('StringsNamespace', 'quote', '(string): string', (_ns: unknown, s: string) => celQuote(s));
  r.doc('strings.quote', 'global', L, 'Quotes a string with escapes, safe to print.', [{ params: ['string'], result: 'string' }]);
}

// ---------------------------------------------------------------------------------------------------------
// cel-go ext.Encoders

function registerEncoders(r: Registrar): void {
  const L = 'ext.Encoders';
  r.member('Base64Namespace', 'encode', '(bytes): string', (_ns: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'));
  r.doc('base64.encode', 'global', L, 'Base64-encodes bytes to a string.', [{ params: ['bytes'], result: 'string' }], "base64.encode(b'hello')");
  r.member('Base64Namespace', 'decode', '(string): bytes', (_ns: unknown, s: string) => goBase64Decode(s));
  r.doc('base64.decode', 'global', L, 'Decodes base64 text to bytes (wrap in string(...) for text).', [{ params: ['string'], result: 'bytes' }],
    'string(base64.decode(body.message.data))');
  // Encoders version 1 (cel-go ext/encoders.go, listed for v0.30 in REFERENCE.md §3.2.2). Later cel-go
  // versions add json.parse, which returns optional values; that is not part of this environment.
  r.member('JsonNamespace', 'encode', '(dyn): string', (_ns: unknown, v: unknown) => celJsonEncode(v));
  r.doc('json.encode', 'global', L, 'JSON text of any value (ints beyond 2^53 as strings, bytes as base64).', [{ params: ['dyn'], result: 'string' }],
    'json.encode(body.pull_request.labels)');
}

/** cel-go's jsonEncodeValue (ext/encoders.go). Map entries keep their order (Go's order is unspecified). */
function celJsonEncode(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v >= -9007199254740991n && v <= 9007199254740991n ? v.toString() : JSON.stringify(v.toString());
    case 'number':
      if (!Number.isFinite(v)) throw err('json encode error: NaN and Inf are not supported in JSON');
      return goJsonMarshal(v);
    case 'string':
      return goJsonMarshal(v);
  }
  if (v instanceof UnsignedInt) {
    const u = v.valueOf();
    return u <= 9007199254740991n ? u.toString() : JSON.stringify(u.toString());
  }
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (v instanceof Date) return JSON.stringify(formatTimestamp(v));
  if (v instanceof Duration) return JSON.stringify(formatDuration(v));
  if (isList(v)) return '[' + listItems(v).map(celJsonEncode).join(',') + ']';
  if (isMap(v)) {
    return '{' + mapEntries(v).map(([k, val]) => {
      const key = typeof k === 'string' ? k : celJsonEncode(k);
      return goJsonMarshal(key) + ':' + celJsonEncode(val);
    }).join(',') + '}';
  }
  throw err(`json encode error: type conversion error from '${celTypeName(v)}' to 'google.protobuf.Value'`);
}

// ---------------------------------------------------------------------------------------------------------
// cel-go ext.Sets

function registerSets(r: Registrar): void {
  const L = 'ext.Sets';
  const has = (l: unknown[], v: unknown): boolean => listItems(l).some((x) => celEquals(x, v));
  r.member('SetsNamespace', 'contains', '(list, list): bool', (_ns: unknown, a: unknown[], b: unknown[]) => listItems(b).every((v) => has(a, v)));
  r.member('SetsNamespace', 'equivalent', '(list, list): bool', (_ns: unknown, a: unknown[], b: unknown[]) =>
    listItems(b).every((v) => has(a, v)) && listItems(a).every((v) => has(b, v)));
  r.member('SetsNamespace', 'intersects', '(list, list): bool', (_ns: unknown, a: unknown[], b: unknown[]) => listItems(b).some((v) => has(a, v)));
  r.doc('sets.contains', 'global', L, 'True when the first list contains every element of the second.', [{ params: ['list(dyn)', 'list(dyn)'], result: 'bool' }]);
  r.doc('sets.equivalent', 'global', L, 'True when both lists contain the same elements.', [{ params: ['list(dyn)', 'list(dyn)'], result: 'bool' }]);
  r.doc('sets.intersects', 'global', L, 'True when the lists share an element.', [{ params: ['list(dyn)', 'list(dyn)'], result: 'bool' }],
    "sets.intersects(body.pull_request.labels.map(l, l.name), ['ok-to-test'])");
}

// ---------------------------------------------------------------------------------------------------------
// cel-go ext.Lists

function registerLists(r: Registrar): void {
  const L = 'ext.Lists';
  r.member('list', 'distinct', '(): list', (l: unknown[]) => {
    const out: unknown[] = [];
    for (const v of listItems(l)) if (!out.some((x) => celEquals(x, v))) out.push(v);
    return out;
  });
  r.doc('distinct', 'member', L, 'The distinct elements, first occurrence kept.', [{ receiver: 'list(dyn)', params: [], result: 'list(dyn)' }]);

  const flatten = (l: unknown[], depth: number): unknown[] => {
    const out: unknown[] = [];
    for (const v of listItems(l)) {
      if (isList(v) && depth > 0) out.push(...flatten(listItems(v), depth - 1));
      else out.push(v);
    }
    return out;
  };
  r.member('list', 'flatten', '(): list', (l: unknown[]) => flatten(l, 1));
  r.member('list', 'flatten', '(int): list', (l: unknown[], d: bigint) => {
    if (d < 0n) throw err('level must be non-negative');
    return flatten(l, Number(d));
  });
  r.doc('flatten', 'member', L, 'Flattens nested lists (one level, or the given depth).', [
    { receiver: 'list(dyn)', params: [], result: 'list(dyn)' }, { receiver: 'list(dyn)', params: ['int'], result: 'list(dyn)' }]);

  r.member('ListsNamespace', 'range', '(int): list<int>', (_ns: unknown, n: bigint) => {
    const out: bigint[] = [];
    for (let i = 0n; i < n; i++) out.push(i);
    return out;
  });
  r.doc('lists.range', 'global', L, 'The list [0, 1, …, n-1].', [{ params: ['int'], result: 'list(int)' }]);

  r.member('list', 'reverse', '(): list', (l: unknown[]) => [...listItems(l)].reverse());
  r.doc('reverse', 'member', L, 'The elements in reverse order.', [{ receiver: 'list(dyn)', params: [], result: 'list(dyn)' }]);

  r.member('list', 'slice', '(int, int): list', (l: unknown[], start: bigint, end: bigint) => {
    const items = listItems(l);
    if (start < 0n || end < 0n) throw err(`cannot slice(${start}, ${end}), negative indexes not supported`);
    if (start > end) throw err(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
    if (end > BigInt(items.length)) throw err(`cannot slice(${start}, ${end}), list is length ${items.length}`);
    return items.slice(Number(start), Number(end));
  });
  r.doc('slice', 'member', L, 'The sub-list [start, end).', [{ receiver: 'list(dyn)', params: ['int', 'int'], result: 'list(dyn)' }]);

  r.member('list', 'sort', '(): list', (l: unknown[]) => [...listItems(l)].sort(compareForSort));
  r.doc('sort', 'member', L, 'Sorts comparable elements of one type.', [{ receiver: 'list(dyn)', params: [], result: 'list(dyn)' }]);

  // sortBy is a macro in cel-go: `list.sortBy(e, keyExpr)`.
  r.env.registerFunction('list.sortBy(ast, ast): list', (({ args, receiver }: { args: any[]; receiver: any }) => {
    if (args[0]?.op !== 'id') throw err('sortBy(var, expr) invalid iteration variable');
    return {
      receiver,
      varName: args[0].args as string,
      keyExpr: args[1],
      iterCtx: undefined as any,
      typeCheck(checker: any, m: any, ctx: any) {
        const listType = checker.check(m.receiver, ctx);
        if (listType.kind !== 'list' && listType.kind !== 'dyn') {
          throw checker.createError('no_matching_overload', `found no matching overload for '${listType}.sortBy(var, expr)'`, m.receiver);
        }
        const elemType = listType.kind === 'list' ? listType.valueType : checker.dynType;
        m.iterCtx = ctx.forkWithVariable(m.varName, elemType);
        checker.check(m.keyExpr, m.iterCtx);
        return listType.kind === 'list' ? listType : checker.getType('list');
      },
      evaluate(ev: any, m: any, ctx: any) {
        const list = ev.run(m.receiver, ctx);
        if (!isList(list)) throw err('no such overload');
        const items = listItems(list);
        const keyed = items.map((item, i) => ({ item, i, key: ev.run(m.keyExpr, m.iterCtx.reuse(ctx).setIterValue(item, ev)) }));
        keyed.sort((a, b) => compareForSort(a.key, b.key) || a.i - b.i);
        return keyed.map((k) => k.item);
      },
      async: false,
    };
  }) as never, { async: false } as never);
  r.doc('sortBy', 'macro', L, 'Sorts by a key expression: list.sortBy(e, e.priority).', [{ receiver: 'list(dyn)', params: ['var', 'dyn'], result: 'list(dyn)' }]);
}

// ---------------------------------------------------------------------------------------------------------
// cel-go ext.Math

function registerMath(r: Registrar): void {
  const L = 'ext.Math';
  const NS = 'MathNamespace';
  for (let n = 1; n <= 16; n++) {
    const params = Array(n).fill('dyn').join(', ');
    r.member(NS, 'greatest', `(${params}): dyn`, (_ns: unknown, ...a: unknown[]) => greatestOrLeast(a, true, 'math.greatest'));
    r.member(NS, 'least', `(${params}): dyn`, (_ns: unknown, ...a: unknown[]) => greatestOrLeast(a, false, 'math.least'));
  }
  r.doc('math.greatest', 'macro', L, 'The greatest of the numeric arguments (or of one numeric list).', [{ params: ['dyn', '...'], result: 'dyn' }], 'math.greatest(1, 2.5, 3u)');
  r.doc('math.least', 'macro', L, 'The least of the numeric arguments (or of one numeric list).', [{ params: ['dyn', '...'], result: 'dyn' }]);

  const unaryD = (name: string, fn: (x: number) => number | boolean, result = 'double') => {
    r.member(NS, name, `(double): ${result}`, (_ns: unknown, x: number) => fn(x));
  };
  unaryD('ceil', Math.ceil);
  unaryD('floor', Math.floor);
  unaryD('trunc', Math.trunc);
  unaryD('round', (x) => {
    if (!Number.isFinite(x)) return x;
    const t = Math.trunc(x);
    return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
  });
  unaryD('isInf', (x) => x === Infinity || x === -Infinity, 'bool');
  unaryD('isNaN', (x) => Number.isNaN(x), 'bool');
  unaryD('isFinite', (x) => Number.isFinite(x), 'bool');
  for (const n of ['ceil', 'floor', 'trunc', 'round']) {
    r.doc(`math.${n}`, 'global', L, `Rounds a double (${n}).`, [{ params: ['double'], result: 'double' }]);
  }
  for (const n of ['isInf', 'isNaN', 'isFinite']) r.doc(`math.${n}`, 'global', L, `Double classification (${n}).`, [{ params: ['double'], result: 'bool' }]);

  r.member(NS, 'abs', '(int): int', (_ns: unknown, x: bigint) => {
    if (x === MIN_INT) throw err('overflow');
    return x < 0n ? -x : x;
  });
  r.member(NS, 'abs', '(double): double', (_ns: unknown, x: number) => Math.abs(x));
  r.member(NS, 'abs', '(uint): uint', (_ns: unknown, x: UnsignedInt) => x);
  r.doc('math.abs', 'global', L, 'Absolute value.', ['int', 'double', 'uint'].map((t) => ({ params: [t], result: t })));
  r.member(NS, 'sign', '(int): int', (_ns: unknown, x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n));
  r.member(NS, 'sign', '(double): double', (_ns: unknown, x: number) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0));
  r.member(NS, 'sign', '(uint): uint', (_ns: unknown, x: UnsignedInt) => new UnsignedInt(x.valueOf() > 0n ? 1n : 0n));
  r.doc('math.sign', 'global', L, 'Sign as -1, 0 or 1.', ['int', 'double', 'uint'].map((t) => ({ params: [t], result: t })));

  const toInt64 = (v: bigint) => BigInt.asIntN(64, v);
  r.member(NS, 'bitAnd', '(int, int): int', (_ns: unknown, a: bigint, b: bigint) => a & b);
  r.member(NS, 'bitAnd', '(uint, uint): uint', (_ns: unknown, a: UnsignedInt, b: UnsignedInt) => new UnsignedInt(a.valueOf() & b.valueOf()));
  r.member(NS, 'bitOr', '(int, int): int', (_ns: unknown, a: bigint, b: bigint) => a | b);
  r.member(NS, 'bitOr', '(uint, uint): uint', (_ns: unknown, a: UnsignedInt, b: UnsignedInt) => new UnsignedInt(a.valueOf() | b.valueOf()));
  r.member(NS, 'bitXor', '(int, int): int', (_ns: unknown, a: bigint, b: bigint) => a ^ b);
  r.member(NS, 'bitXor', '(uint, uint): uint', (_ns: unknown, a: UnsignedInt, b: UnsignedInt) => new UnsignedInt(a.valueOf() ^ b.valueOf()));
  r.member(NS, 'bitNot', '(int): int', (_ns: unknown, a: bigint) => ~a);
  r.member(NS, 'bitNot', '(uint): uint', (_ns: unknown, a: UnsignedInt) => new UnsignedInt(asUint64(~a.valueOf())));
  const shift = (name: string, v: bigint, n: bigint, left: boolean, unsigned: boolean): bigint => {
    if (n < 0n) throw err(`math.${name}() negative offset: ${n}`);
    if (n >= 64n) return 0n;
    const u = asUint64(v);
    const res = left ? asUint64(u << n) : u >> n;
    return unsigned ? res : toInt64(res);
  };
  r.member(NS, 'bitShiftLeft', '(int, int): int', (_ns: unknown, v: bigint, n: bigint) => shift('bitShiftLeft', v, n, true, false));
  r.member(NS, 'bitShiftLeft', '(uint, int): uint', (_ns: unknown, v: UnsignedInt, n: bigint) => new UnsignedInt(shift('bitShiftLeft', v.valueOf(), n, true, true)));
  r.member(NS, 'bitShiftRight', '(int, int): int', (_ns: unknown, v: bigint, n: bigint) => shift('bitShiftRight', v, n, false, false));
  r.member(NS, 'bitShiftRight', '(uint, int): uint', (_ns: unknown, v: UnsignedInt, n: bigint) => new UnsignedInt(shift('bitShiftRight', v.valueOf(), n, false, true)));
  for (const n of ['bitAnd', 'bitOr', 'bitXor']) {
    r.doc(`math.${n}`, 'global', L, `Bitwise ${n.slice(3).toUpperCase()} of two ints or two uints.`, [
      { params: ['int', 'int'], result: 'int' }, { params: ['uint', 'uint'], result: 'uint' }]);
  }
  r.doc('math.bitNot', 'global', L, 'Bitwise NOT.', [{ params: ['int'], result: 'int' }, { params: ['uint'], result: 'uint' }]);
  for (const n of ['bitShiftLeft', 'bitShiftRight']) {
    r.doc(`math.${n}`, 'global', L, 'Bit shift (shifts of 64 or more give 0; negative shifts are an error).', [
      { params: ['int', 'int'], result: 'int' }, { params: ['uint', 'int'], result: 'uint' }]);
  }
  r.member(NS, 'sqrt', '(double): double', (_ns: unknown, x: number) => Math.sqrt(x));
  r.member(NS, 'sqrt', '(int): double', (_ns: unknown, x: bigint) => Math.sqrt(Number(x)));
  r.member(NS, 'sqrt', '(uint): double', (_ns: unknown, x: UnsignedInt) => Math.sqrt(Number(x.valueOf())));
  r.doc('math.sqrt', 'global', L, 'Square root as a double (NaN for negative input).', ['double', 'int', 'uint'].map((t) => ({ params: [t], result: 'double' })));
}

// ---------------------------------------------------------------------------------------------------------
// Tekton Triggers (pkg/interceptors/cel/triggers.go)

function registerTekton(r: Registrar): void {
  const L = 'tekton';
  const MSD = 'map<string, dyn>';
  r.member(MSD, 'match', '(string, string): bool', (h: unknown, key: string, value: string) => {
    const values = toHttpHeader(h).get(canonicalMimeHeaderKey(key));
    return (values?.[0] ?? '') === value;
  });
  r.doc('match', 'member', L, "True when the header's first value equals the string; the name is matched case-insensitively (Go's canonical MIME key).",
    [{ receiver: 'map(string, dyn)', params: ['string', 'string'], result: 'bool' }], "header.match('X-GitHub-Event', 'push')");

  r.member(MSD, 'canonical', '(string): string', (h: unknown, key: string) => toHttpHeader(h).get(canonicalMimeHeaderKey(key))?.[0] ?? '');
  r.doc('canonical', 'member', L, 'The first value of a header (case-insensitive name), "" when absent.',
    [{ receiver: 'map(string, dyn)', params: ['string'], result: 'string' }], "header.canonical('X-Secret-Token')");

  r.member('string', 'truncate', '(int): string', (s: string, n: bigint) => {
    // Go slices the UTF-8 bytes: str[:min(n, len(str))]; a cut inside a character leaves invalid UTF-8,
    // which Go's JSON encoder then prints as U+FFFD, so decoding lossily gives the same text.
    const bytes = utf8Bytes(s);
    if (n < 0n) throw err(`runtime error: slice bounds out of range [:${n}]`);
    if (n >= BigInt(bytes.length)) return s;
    return utf8Lossy(bytes.subarray(0, Number(n)));
  });
  r.doc('truncate', 'member', L, 'The first n bytes of the string (unchanged when shorter).', [{ receiver: 'string', params: ['int'], result: 'string' }],
    'body.head_commit.id.truncate(7)');

  const compareSecret = (s: string, key: string, name: string): boolean => {
    const lookup = currentState.secretLookup;
    const found = lookup?.(name, key);
    if (found === undefined) {
      throw err(`failed to find secret '${name}' key '${key}' in compareSecret: ${lookup ? 'no such secret or key' : 'no secrets are available here'}`);
    }
    const expected = typeof found === 'string' ? utf8Bytes(found) : found;
    const actual = utf8Bytes(s);
    // subtle.ConstantTimeCompare: lengths are compared first (that leaks only the length), then the bytes
    // in constant time. Hash both to equal length so timingSafeEqual never throws.
    const same = expected.length === actual.length;
    const a = createHash('sha256').update(expected).digest();
    const b = createHash('sha256').update(actual).digest();
    return timingSafeEqual(a, b) && same;
  };
  r.member('string', 'compareSecret', '(string, string): bool', (s: string, key: string, name: string) => compareSecret(s, key, name));
  // The namespace argument is ignored upstream: the secret is always read from the trigger's namespace.
  r.member('string', 'compareSecret', '(string, string, string): bool', (s: string, key: string, name: string) => compareSecret(s, key, name));
  r.doc('compareSecret', 'member', L,
    "Constant-time comparison with a Secret's key: compareSecret(key, secretName[, namespace]). The namespace argument is ignored: the EventListener's namespace is used.",
    [{ receiver: 'string', params: ['string', 'string'], result: 'bool' }, { receiver: 'string', params: ['string', 'string', 'string'], result: 'bool' }],
    "header.canonical('X-Secret-Token').compareSecret('token', 'my-secret')");

  r.member('string', 'parseJSON', `(): ${MSD}`, (s: string) => {
    const v = parseJsonText(s, 'parseJSON');
    if (v === null) return {};
    if (!isMap(v)) throw err(`failed to decode '${s}' in parseJSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`);
    return v;
  });
  r.doc('parseJSON', 'member', L, 'Parses a JSON object held in a string (numbers become doubles).', [{ receiver: 'string', params: [], result: 'map(string, dyn)' }],
    "body.payload.parseJSON().action == 'opened'");

  r.member('string', 'parseYAML', `(): ${MSD}`, (s: string) => {
    let v: unknown;
    try {
      v = parseYamlText(s, { version: '1.1', mapAsMap: false, intAsBigInt: false, uniqueKeys: false });
    } catch (e) {
      throw err(`failed to decode '${s}' in parseYAML: ${(e as Error).message}`);
    }
    if (v === null || v === undefined) return {};
    v = yamlToJsonLike(v);
    if (!isMap(v)) throw err(`failed to decode '${s}' in parseYAML: error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`);
    return v;
  });
  r.doc('parseYAML', 'member', L, 'Parses a YAML mapping held in a string.', [{ receiver: 'string', params: [], result: 'map(string, dyn)' }]);

  r.member('string', 'parseURL', `(): ${MSD}`, (s: string) => {
    let u;
    try {
      u = goParseUrl(s);
    } catch (e) {
      throw err(`failed to decode '${s}' in parseURL: parse ${JSON.stringify(s)}: ${(e as Error).message}`);
    }
    const { values } = goParseQuery(u.rawQuery);
    const queryStrings: Record<string, string[]> = {};
    const query: Record<string, string> = {};
    for (const [k, v] of values) {
      queryStrings[k] = v;
      query[k] = v.join(',');
    }
    const m: Record<string, unknown> = {
      scheme: u.scheme, host: u.host, path: u.path, rawQuery: u.rawQuery, fragment: u.fragment, queryStrings, query,
    };
    if (u.user) m.auth = { username: u.user.username, password: u.user.password ?? '' };
    return m;
  });
  r.doc('parseURL', 'member', L, 'Parses a URL into scheme, host, path, rawQuery, fragment, query (comma-joined), queryStrings (lists) and auth.',
    [{ receiver: 'string', params: [], result: 'map(string, dyn)' }], "requestURL.parseURL().query['ref']");

  r.member(MSD, 'marshalJSON', '(): string', (m: unknown) => goJsonMarshal(toGoJson(m)));
  r.member('list', 'marshalJSON', '(): string', (l: unknown) => goJsonMarshal(toGoJson(l)));
  r.doc('marshalJSON', 'member', L, 'JSON text of a map or list (compact, keys sorted, as Go encodes it).', [
    { receiver: 'map(string, dyn)', params: [], result: 'string' }, { receiver: 'list(dyn)', params: [], result: 'string' }], 'body.commits.marshalJSON()');

  r.member('list', 'first', '(): dyn', (l: unknown[]) => {
    const items = listItems(l);
    if (items.length === 0) throw err('first() called on an empty list');
    return items[0];
  });
  r.doc('first', 'member', L, 'The first element of a list (an error when empty).', [{ receiver: 'list(dyn)', params: [], result: 'dyn' }], 'body.commits.first().id');
  r.member('list', 'last', '(): dyn', (l: unknown[]) => {
    const items = listItems(l);
    if (items.length === 0) throw err('last() called on an empty list');
    return items[items.length - 1];
  });
  r.doc('last', 'member', L, 'The last element of a list (an error when empty).', [{ receiver: 'list(dyn)', params: [], result: 'dyn' }]);

  r.member('string', 'translate', '(string, string): string', (s: string, re: string, repl: string) => re2ReplaceAll(s, re, repl));
  r.doc('translate', 'member', L, 'Replaces every match of an RE2 regular expression; $1 or ${name} insert groups (Go ReplaceAllString).',
    [{ receiver: 'string', params: ['string', 'string'], result: 'string' }], '"This is $an Invalid5String ".translate("[^a-z0-9]+", "")');
}

// ---------------------------------------------------------------------------------------------------------
// Kubeflow Pipelines (backend/src/v2/expression)

function registerKfp(r: Registrar): void {
  r.global('parseJson', '(string): dyn', (s: string) => {
    try {
      return JSON.parse(s);
    } catch (e) {
      throw err(`failed to unmarshal JSON: ${(e as Error).message}`);
    }
  });
  r.doc('parseJson', 'global', 'kfp', 'Parses JSON text (any JSON value; numbers become doubles).', [{ params: ['string'], result: 'dyn' }],
    "parseJson(inputs.parameter_values['config']).enabled");
}

// ---------------------------------------------------------------------------------------------------------
// Pipelines-as-Code (pkg/matcher/cel.go celPac)

function registerPac(r: Registrar): void {
  // celPac.pathChanged: true when any changed file matches the glob (gobwas/glob without separators: `*` crosses `/`).
  r.member('string', 'pathChanged', '(): bool', (glob: string) => {
    const files = currentState.changedFiles ?? [];
    const match = currentState.globMatch;
    return !!match && files.some((f) => match(glob, f));
  });
  r.doc('pathChanged', 'member', 'pac', 'True when a file changed by the event matches this glob (`*` also crosses `/`).',
    [{ receiver: 'string', params: [], result: 'bool' }], '"docs/*.md".pathChanged()');
}

/** The namespace constants a set of libraries needs. */
function registerNamespaces(env: Environment, libs: ReadonlySet<CelLibraryId>): void {
  const ns: [string, string, new () => object, CelLibraryId][] = [
    ['base64', 'Base64Namespace', Base64Namespace, 'encoders'],
    ['math', 'MathNamespace', MathNamespace, 'math'],
    ['sets', 'SetsNamespace', SetsNamespace, 'sets'],
    ['lists', 'ListsNamespace', ListsNamespace, 'lists'],
    ['strings', 'StringsNamespace', StringsNamespace, 'strings'],
    ['json', 'JsonNamespace', JsonNamespace, 'encoders'],
  ];
  for (const [ident, typeName, ctor, lib] of ns) {
    if (!libs.has(lib)) continue;
    env.registerType(typeName, ctor);
    env.registerConstant(ident, typeName, new ctor());
  }
}

/**
 * Registers the standard-library replacements and the given libraries on `env`, returning the catalogue
 * of every function and macro the environment offers.
 */
export function registerLibraries(env: Environment, libs: ReadonlySet<CelLibraryId>): Map<string, CelFunctionDoc> {
  registerNamespaces(env, libs);
  const r = new Registrar(env);
  registerStandard(r);
  if (libs.has('strings')) registerStrings(r);
  if (libs.has('encoders')) registerEncoders(r);
  if (libs.has('sets')) registerSets(r);
  if (libs.has('lists')) registerLists(r);
  if (libs.has('math')) registerMath(r);
  if (libs.has('tekton')) registerTekton(r);
  if (libs.has('kfp')) registerKfp(r);
  if (libs.has('pac')) registerPac(r);
  return r.docs;
}

