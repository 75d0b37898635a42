/**
 * Small ports of Go standard-library behaviour that Tekton's CEL functions inherit.
 *
 * Tekton runs CEL in Go (cel-go + net/http + net/url + encoding/json). Where the observable result of a
 * Tekton function depends on a Go library routine (header canonicalisation, float formatting, URL parsing,
 * JSON encoding, whitespace trimming), this file reproduces that routine so that the editor, the CLI and
 * the real interceptor agree. Nothing here knows about CEL or LSP.
 */

const textEncoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 encode a string (Go strings are byte strings; several Tekton functions cut or compare bytes). */
export function utf8Bytes(s: string): Uint8Array {
  return textEncoder.encode(s);
}

/** Decode UTF-8, replacing invalid sequences with U+FFFD (what Go's JSON encoder does with invalid UTF-8). */
export function utf8Lossy(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}

/** Decode UTF-8, returning undefined for invalid input (cel-go's string(bytes) rejects invalid UTF-8). */
export function utf8Strict(b: Uint8Array): string | undefined {
  try {
    return strictUtf8Decoder.decode(b);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// net/textproto.CanonicalMIMEHeaderKey

function isTokenByte(c: number): boolean {
  // RFC 7230 tchar, as net/textproto's validHeaderFieldByte.
  if (c >= 0x80) return false;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));
}

/**
 * Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` → `X-Github-Event`. A key containing a byte that
 * is not a token character (for example a space) is returned unchanged, as Go does.
 */
export function canonicalMimeHeaderKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!isTokenByte(c)) return key;
  }
  let out = '';
  let upper = true;
  for (let i = 0; i < key.length; i++) {
    let ch = key[i];
    if (upper && ch >= 'a' && ch <= 'z') ch = ch.toUpperCase();
    else if (!upper && ch >= 'A' && ch <= 'Z') ch = ch.toLowerCase();
    out += ch;
    upper = ch === '-';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// strconv.FormatFloat(f, 'g', -1, 64) — what cel-go's string(double) and fmt's %g print.

/**
 * Formats a double like Go's `strconv.FormatFloat(f, 'g', -1, 64)` (= `fmt.Sprintf("%g", f)`), which is what
 * cel-go's `string(double)` returns: the shortest digits that round-trip, switching to an exponent when the
 * decimal exponent is < -4 or >= 6 (because "shortest" uses precision 6 for that decision). So `1.0` → `1`,
 * `1e6` → `1e+06`, `123456789.0` → `1.23456789e+08`, `1e21` → `1e+21`, `0.0001` → `0.0001`, `1e-5` → `1e-05`.
 */
export function formatDoubleG(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return '+Inf';
  if (d === -Infinity) return '-Inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // toExponential() without an argument yields the shortest round-trip digits, like Go's shortest mode.
  const [mant, expStr] = d.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

// ---------------------------------------------------------------------------------------------------------
// strings.TrimSpace / unicode.IsSpace

/** Go's `unicode.IsSpace`: ASCII whitespace, U+0085, U+00A0 and the Unicode Z categories (not U+FEFF, U+200B). */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20: case 0x85: case 0xa0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** Go's `strings.TrimSpace` (JavaScript's trim() also strips U+FEFF and keeps U+0085). */
export function goTrimSpace(s: string): string {
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  while (start < end && isGoSpace(cps[start].codePointAt(0)!)) start++;
  while (end > start && isGoSpace(cps[end - 1].codePointAt(0)!)) end--;
  return cps.slice(start, end).join('');
}

// ---------------------------------------------------------------------------------------------------------
// encoding/json.Marshal

/** A value Go's encoding/json can encode after Tekton converts a CEL value to protobuf Struct/ListValue. */
export type GoJsonValue = null | boolean | number | string | GoJsonValue[] | { [k: string]: GoJsonValue };

function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
    }
    // encoding/json escapes HTML-significant characters and the JavaScript line separators.
    if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/**
 * Go's `json.Marshal` output for JSON-like data: compact, object keys sorted, `<>&` escaped as `\u003c` etc.,
 * numbers as the ES6 shortest form (Go's float encoder documents that it matches ES6). NaN/Inf throw, as Go does.
 */
export function goJsonMarshal(v: GoJsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${formatDoubleG(v)}`);
      return JSON.stringify(v);
    case 'string':
      return goJsonString(v);
  }
  if (Array.isArray(v)) return '[' + v.map(goJsonMarshal).join(',') + ']';
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + keys.map((k) => goJsonString(k) + ':' + goJsonMarshal((v as Record<string, GoJsonValue>)[k])).join(',') + '}';
}

// ---------------------------------------------------------------------------------------------------------
// net/url

/** The parts of a Go `*url.URL` that Tekton's parseURL() exposes. */
export interface GoUrl {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function unhex(c: string): number {
  return parseInt(c, 16);
}

type EscapeMode = 'path' | 'host' | 'userinfo' | 'fragment' | 'query';

/** Go's `url.unescape`: %XX decoding with Go's validation; `+` becomes a space only in query components. */
function goUnescape(s: string, mode: EscapeMode): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      if (i + 2 >= s.length || !/^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
        throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      i += 2;
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '%') {
      bytes.push(unhex(s.slice(i + 1, i + 3)));
      i += 2;
    } else if (ch === '+' && mode === 'query') {
      bytes.push(0x20);
    } else {
      for (const b of utf8Bytes(ch)) bytes.push(b);
    }
  }
  return utf8Lossy(Uint8Array.from(bytes));
}

/**
 * A port of Go's `url.Parse` for the fields Tekton's `parseURL()` reads (scheme, userinfo, host, path,
 * raw query, fragment). Throws with Go's error wording for the cases users meet (missing scheme, bad
 * escapes, control characters).
 */
export function goParseUrl(rawUrl: string): GoUrl {
  let rest = rawUrl;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = goUnescape(rest.slice(hash + 1), 'fragment');
    rest = rest.slice(0, hash);
  }
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new Error('net/url: invalid control character in URL');
  }
  if (rest === '') {
    return { scheme: '', opaque: '', host: '', path: '', rawQuery: '', fragment };
  }
  let scheme = '';
  // getScheme: a letter followed by letters, digits, '+', '-', '.', terminated by ':'.
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (/[a-zA-Z]/.test(ch)) continue;
    if (/[0-9+\-.]/.test(ch)) {
      if (i === 0) break;
      continue;
    }
    if (ch === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      scheme = rest.slice(0, i).toLowerCase();
      rest = rest.slice(i + 1);
    }
    break;
  }
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') {
      // Opaque URL such as mailto:user@example.com.
      return { scheme, opaque: rest, host: '', path: '', rawQuery, fragment };
    }
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      throw new Error('first path segment in URL cannot contain colon');
    }
  }
  let host = '';
  let user: GoUrl['user'];
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    } else {
      rest = '';
    }
    const at = authority.lastIndexOf('@');
    let hostPart = authority;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      hostPart = authority.slice(at + 1);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new Error('net/url: invalid userinfo');
      const colon = userinfo.indexOf(':');
      if (colon >= 0) {
        user = { username: goUnescape(userinfo.slice(0, colon), 'userinfo'), password: goUnescape(userinfo.slice(colon + 1), 'userinfo') };
      } else {
        user = { username: goUnescape(userinfo, 'userinfo') };
      }
    }
    if (/[\s"<>\\^`{|}]/.test(hostPart.replace(/^\[[^\]]*\]/, ''))) {
      throw new Error(`invalid character ${JSON.stringify(hostPart.match(/[\s"<>\\^`{|}]/)![0])} in host name`);
    }
    host = goUnescape(hostPart, 'host');
  }
  const path = goUnescape(rest, 'path');
  return { scheme, opaque: '', user, host, path, rawQuery, fragment };
}

/**
 * Go's `url.ParseQuery`: `&`-separated `key=value` pairs, `+` as space, keys kept in first-seen order with
 * every value. Pairs with a semicolon or a bad escape are skipped (Go skips them and reports the first error).
 */
export function goParseQuery(query: string): { values: Map<string, string[]>; error?: string } {
  const values = new Map<string, string[]>();
  let error: string | undefined;
  for (const part of query.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) {
      error ??= 'invalid semicolon separator in query';
      continue;
    }
    const eq = part.indexOf('=');
    const rawKey = eq >= 0 ? part.slice(0, eq) : part;
    const rawValue = eq >= 0 ? part.slice(eq + 1) : '';
    let key: string;
    let value: string;
    try {
      key = goUnescape(rawKey, 'query');
      value = goUnescape(rawValue, 'query');
    } catch (e) {
      error ??= (e as Error).message;
      continue;
    }
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return { values, error };
}

// ---------------------------------------------------------------------------------------------------------
// time.ParseDuration / Duration formatting

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's `time.ParseDuration`, returning nanoseconds. Throws `time: invalid duration "…"` like Go. */
export function goParseDuration(s: string): bigint {
  const orig = s;
  const fail = (): never => {
    throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  };
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') fail();
  let total = 0n;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) fail();
    const unit = DURATION_UNITS[m![3]];
    const whole = BigInt(m![1] || '0') * unit;
    let frac = 0n;
    if (m![2]) {
      const digits = m![2].slice(0, 18);
      frac = (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
    }
    total += whole + frac;
    s = s.slice(m![0].length);
  }
  if (total > 9223372036854775807n) throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  return neg ? -total : total;
}
