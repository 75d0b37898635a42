/**
 * Ports of the Go standard-library behaviour that Tekton Triggers' event handling inherits: header key
 * canonicalisation (net/textproto), `encoding/json` marshalling and its syntax-error messages, and
 * `url.ParseQuery`. The simulator uses them wherever an observable result (a param value, an error message,
 * a signed body) depends on what Go would do.
 *
 * Header keys and query parsing are the CEL module's (server/src/cel/goCompat.ts); the JSON encoder here differs
 * where Triggers needs more (Go 1.22+ `\b`/`\f` escapes, struct field order, syntax errors with Go's wording).
 */

import { canonicalMimeHeaderKey, goParseQuery } from '../../cel/goCompat';

// ---------------------------------------------------------------------------------------------------------
// net/textproto.CanonicalMIMEHeaderKey

/**
 * Go's `textproto.CanonicalMIMEHeaderKey` (`x-github-event` → `X-Github-Event`): one implementation, shared with
 * the CEL functions that canonicalise header keys.
 */
export const canonicalHeaderKey = canonicalMimeHeaderKey;

/** Copies a header map with canonical keys; values of keys that canonicalise alike are concatenated. */
export function canonicalHeaders(headers: Record<string, readonly string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    const ck = canonicalHeaderKey(k);
    (out[ck] ??= []).push(...v);
  }
  return out;
}

/** `http.Header.Get`: the first value of a (canonicalised) key, or ''. */
export function headerGet(headers: Record<string, readonly string[]>, key: string): string {
  return headers[canonicalHeaderKey(key)]?.[0] ?? '';
}

// ---------------------------------------------------------------------------------------------------------
// encoding/json

/**
 * A Go struct value: JSON-encodes its fields in declaration order (not sorted like a map), and JSONPath finds a
 * field by its json tag or by its Go name (k8s jsonpath `findFieldInValue`).
 */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: readonly { json: string; go: string; value: unknown }[],
  ) {}

  /** The field whose json tag, or else Go name, is `name`. */
  field(name: string): { found: boolean; value?: unknown } {
    const f = this.fields.find((x) => x.json === name) ?? this.fields.find((x) => x.go === name);
    return f ? { found: true, value: f.value } : { found: false };
  }
}

/** A Go `int` produced by a JSONPath number literal: it compares differently from JSON's float64 numbers. */
export class GoInt {
  constructor(readonly value: number) {}
}

function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
      // Go 1.22 and later write \b and \f in short form.
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
    }
    // encoding/json escapes HTML-significant characters and the JavaScript line separators by default.
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 for Go, which writes U+FFFD instead.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += '\ufffd';
    } else out += s[i];
  }
  return out + '"';
}

function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN'}`);
  // Go's float encoder matches ES6 number formatting, except that it keeps the sign of -0.
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

/** Byte-order comparison of strings as Go sorts map keys (UTF-16 order differs only for astral characters). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Go's `json.Marshal` for JSON-like data: compact, map keys sorted by bytes, `<>&` escaped as `\u003c` etc., struct
 * fields in declaration order, `undefined` treated as null. Throws on NaN and infinities, as Go does.
 */
export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return goJsonNumber(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return goJsonString(v);
  }
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoStruct)
    return '{' + v.fields.map((f) => goJsonString(f.json) + ':' + goJsonMarshal(f.value)).join(',') + '}';
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort(compareGoStrings);
  return '{' + keys.map((k) => goJsonString(k) + ':' + goJsonMarshal(obj[k])).join(',') + '}';
}

/** Go's `strconv.QuoteRune`-style quoting used in json syntax errors: `'x'`, `'\n'`, `'\''`. */
export function goQuoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  const q = JSON.stringify(ch);
  return "'" + q.slice(1, -1) + "'";
}

/** Go's `%#U` formatting of a rune: `U+0023 '#'`. */
export function goFormatRuneU(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}

/** A JSON syntax error with Go's message. */
class GoJsonSyntaxError extends Error {}

/**
 * Validates JSON text the way Go's `encoding/json` scanner does and reports the first problem with Go's message
 * (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`, …); then parses it.
 * Numbers are float64 as with Go's `interface{}` target.
 */
export function goJsonParse(text: string): { value: unknown } | { error: string } {
  try {
    validateJson(text);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return { error: e.message };
    throw e;
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    // The validator accepts only what JSON.parse accepts; this is a safety net.
    return { error: (e as Error).message };
  }
}

/**
 * `json.Unmarshal(data, &map[string]interface{}{})`: like goJsonParse, but a top-level value other than an object or
 * null is a type error with Go's wording. `null` yields a nil map, represented as null.
 */
export function goJsonParseObject(text: string): { value: Record<string, unknown> | null } | { error: string } {
  const r = goJsonParse(text);
  if ('error' in r) return r;
  const v = r.value;
  if (v === null || (typeof v === 'object' && !Array.isArray(v))) return { value: v as Record<string, unknown> | null };
  const kind = Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v;
  return { error: `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}` };
}

function validateJson(s: string): void {
  let i = 0;
  const n = s.length;
  const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const skip = (): void => {
    while (i < n && isSpace(s[i])) i++;
  };
  const fail = (context: string): never => {
    if (i >= n) throw new GoJsonSyntaxError('unexpected end of JSON input');
    throw new GoJsonSyntaxError(`invalid character ${goQuoteChar(String.fromCodePoint(s.codePointAt(i)!))} ${context}`);
  };
  const literal = (word: string): void => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= n) fail('');
      if (s[i] !== word[k]) fail(`in literal ${word} (expecting ${goQuoteChar(word[k])})`);
    }
    i++;
  };
  const digits = (): number => {
    const start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    return i - start;
  };
  const number = (): void => {
    if (s[i] === '-') {
      i++;
      if (i >= n || s[i] < '0' || s[i] > '9') fail('in numeric literal');
    }
    if (s[i] === '0') i++;
    else digits();
    if (s[i] === '.') {
      i++;
      if (digits() === 0) fail('after decimal point in numeric literal');
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      if (digits() === 0) fail('in exponent of numeric literal');
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= n) fail('');
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        i++;
        if (i >= n) fail('');
        const e = s[i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) fail('');
            if (!/[0-9a-fA-F]/.test(s[i])) fail('in \\u hexadecimal character escape');
          }
          i++;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) fail('in string escape code');
        i++;
        continue;
      }
      if (c < 0x20) fail('in string literal');
      i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 10000) throw new GoJsonSyntaxError('exceeded max depth');
    skip();
    if (i >= n) fail('');
    const c = s[i];
    if (c === '{') {
      i++;
      skip();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        if (s[i] !== '"') fail('looking for beginning of object key string');
        string();
        skip();
        if (s[i] !== ':') fail('after object key');
        i++;
        value(depth + 1);
        skip();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      skip();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        skip();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        fail('after array element');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail('looking for beginning of value');
  };
  value(0);
  skip();
  if (i < n) fail('after top-level value');
}

// ---------------------------------------------------------------------------------------------------------
// net/url.ParseQuery

export { goParseQuery };

/** The media type of a Content-Type value, lower-cased and without parameters. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}
