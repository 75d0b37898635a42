import { Scalar } from 'yaml';

/**
 * Maps positions in a YAML string scalar's decoded value back to the source text. A YAML scalar does not preserve
 * offsets: quotes, escapes (`''`, `\"`, `\n`), block indentation and line folding all shift them, so the map is built
 * by decoding the source again, character by character, and recording where each decoded character came from.
 *
 * The decoder is checked against the value the `yaml` library computed; when they differ (an edge case of the YAML
 * grammar this decoder does not model) the map degrades to the whole scalar's range instead of guessing.
 */
export interface ScalarMap {
  /** The decoded value (as the yaml library produced it). */
  readonly value: string;
  /** True when each value character maps to its own source characters. */
  readonly exact: boolean;
  /** Source range (relative to the resource text) of the value characters `[start, end)`. */
  toSource(start: number, end: number): { start: number; end: number };
  /** True when the value slice `[start, end)` is written verbatim in the source (so an edit can replace it as is). */
  isVerbatim(start: number, end: number): boolean;
  /** The value position of a source offset (the first value character at or after it), or undefined when unknown. */
  toValue(offset: number): number | undefined;
}

/** Builds the map of a string scalar; `text` is the resource text its range refers to. */
export function scalarMap(node: Scalar, text: string): ScalarMap {
  const value = String(node.value ?? '');
  const range = node.range ?? [0, 0, 0];
  const start = range[0];
  const end = range[1];
  let decoded: Decoded | undefined;
  try {
    decoded = decode(node.type, text, start, end);
  } catch {
    decoded = undefined;
  }
  if (decoded && decoded.out === value) return new ExactMap(value, decoded.map, text);
  return new WholeMap(value, start, end);
}

interface Decoded {
  out: string;
  /** Source offset of each output character; `map[out.length]` is the end of the last one. */
  map: number[];
}

class ExactMap implements ScalarMap {
  readonly exact = true;
  constructor(
    readonly value: string,
    private readonly map: number[],
    private readonly text: string,
  ) {}
  toSource(start: number, end: number): { start: number; end: number } {
    const s = this.map[Math.max(0, Math.min(start, this.value.length))];
    if (end <= start) return { start: s, end: s };
    // The end is just past the source of the last character (an escape like `\"` spans two source characters).
    const last = this.map[Math.min(end, this.value.length) - 1];
    const next = this.map[Math.min(end, this.value.length)];
    return { start: s, end: Math.max(last + 1, Math.min(next, last + sourceLength(this.text, last))) };
  }
  isVerbatim(start: number, end: number): boolean {
    const r = this.toSource(start, end);
    return r.end - r.start === end - start && this.text.slice(r.start, r.end) === this.value.slice(start, end);
  }
  toValue(offset: number): number | undefined {
    const map = this.map;
    if (offset < map[0] || offset > map[map.length - 1]) return undefined;
    let lo = 0;
    let hi = map.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (map[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Length of the source token a decoded character came from (an escape sequence or a single character). */
function sourceLength(text: string, at: number): number {
  if (text[at] !== '\\') return text[at] === "'" && text[at + 1] === "'" ? 2 : 1;
  const c = text[at + 1];
  if (c === 'x') return 4;
  if (c === 'u') return 6;
  if (c === 'U') return 10;
  return 2;
}

class WholeMap implements ScalarMap {
  readonly exact = false;
  constructor(
    readonly value: string,
    private readonly start: number,
    private readonly end: number,
  ) {}
  toSource(): { start: number; end: number } {
    return { start: this.start, end: this.end };
  }
  isVerbatim(): boolean {
    return false;
  }
  toValue(): number | undefined {
    return undefined;
  }
}

function decode(type: Scalar['type'], text: string, start: number, end: number): Decoded | undefined {
  switch (type) {
    case 'PLAIN':
      return decodeFlow(text, start, end, 'plain');
    case 'QUOTE_SINGLE':
      return decodeFlow(text, start + 1, end - 1, 'single');
    case 'QUOTE_DOUBLE':
      return decodeFlow(text, start + 1, end - 1, 'double');
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return decodeBlock(text, start, end, type === 'BLOCK_FOLDED');
    default:
      return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * Plain and quoted (flow) scalars: line folding (a single line break becomes a space, n+1 breaks become n newlines,
 * leading and trailing white space of inner lines is dropped), plus `''` in single quotes and backslash escapes in
 * double quotes.
 */
function decodeFlow(text: string, start: number, end: number, style: 'plain' | 'single' | 'double'): Decoded {
  const out: string[] = [];
  const map: number[] = [];
  // Split into lines, remembering where each starts in the source.
  const lines: { s: number; e: number }[] = [];
  let ls = start;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      lines.push({ s: ls, e: i > ls && text.charCodeAt(i - 1) === 13 ? i - 1 : i });
      ls = i + 1;
    }
  }
  lines.push({ s: ls, e: end });
  let escapedBreak = false;
  for (let li = 0; li < lines.length; li++) {
    let { s, e } = lines[li];
    const first = li === 0;
    const last = li === lines.length - 1;
    if (!first || style === 'plain') while (s < e && isBlank(text[s])) s++;
    if (!last || style === 'plain') {
      // Trailing white space of a line is dropped unless it is escaped (`\ ` or `\t` in double quotes).
      while (e > s && isBlank(text[e - 1]) && !(style === 'double' && isEscapedAt(text, s, e - 1))) e--;
    }
    if (!first) {
      const blank = s >= e && !last;
      if (blank) {
        // An empty line contributes a newline; the break before the first empty line is dropped.
        out.push('\n');
        map.push(lines[li].s);
        continue;
      }
      // The break before this line: a space, unless empty lines already stood for it or it was escaped.
      const prevBlank = li > 1 && lines[li - 1].s >= 0 && isBlankLine(text, lines[li - 1], style);
      if (!escapedBreak && !prevBlank) {
        out.push(' ');
        map.push(lines[li].s - 1);
      }
    }
    escapedBreak = false;
    for (let i = s; i < e; i++) {
      const c = text[i];
      if (style === 'single' && c === "'" && text[i + 1] === "'") {
        out.push("'");
        map.push(i);
        i++;
      } else if (style === 'double' && c === '\\') {
        if (i + 1 >= e) {
          // A backslash at the end of a line escapes the line break: the lines join without a space.
          escapedBreak = true;
          break;
        }
        const n = text[i + 1];
        const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
        if (hex) {
          const code = parseInt(text.slice(i + 2, i + 2 + hex), 16);
          const ch = String.fromCodePoint(code);
          for (let k = 0; k < ch.length; k++) {
            out.push(ch[k]);
            map.push(i);
          }
          i += 1 + hex;
        } else {
          const ch = SIMPLE_ESCAPES[n];
          if (ch === undefined) throw new Error('unknown escape');
          out.push(ch);
          map.push(i);
          i++;
        }
      } else {
        out.push(c);
        map.push(i);
      }
    }
  }
  map.push(end);
  return { out: out.join(''), map };
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function isEscapedAt(text: string, lineStart: number, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= lineStart && text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function isBlankLine(text: string, line: { s: number; e: number }, _style: string): boolean {
  for (let i = line.s; i < line.e; i++) if (!isBlank(text[i])) return false;
  return true;
}

/** Literal (`|`) and folded (`>`) block scalars: indentation stripped per line, chomping, and folding for `>`. */
function decodeBlock(text: string, start: number, end: number, folded: boolean): Decoded | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { out: '', map: [end] };
  const header = text
    .slice(start + 1, headerEnd)
    .replace(/\s+#.*$/, '')
    .trim();
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const lines: { s: number; e: number }[] = [];
  let ls = headerEnd + 1;
  for (let i = ls; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      lines.push({ s: ls, e: i > ls && text.charCodeAt(i - 1) === 13 ? i - 1 : i });
      ls = i + 1;
    }
  }
  if (ls < end) lines.push({ s: ls, e: end });
  // Content indentation: the first non-empty line's. An explicit indentation indicator is relative to the parent's
  // indentation, which is not known here; the check against the library's value catches a wrong guess.
  let indent = -1;
  for (const l of lines) {
    let k = l.s;
    while (k < l.e && text[k] === ' ') k++;
    if (k < l.e) {
      indent = k - l.s;
      break;
    }
  }
  if (indent < 0) return undefined;
  const out: string[] = [];
  const map: number[] = [];
  type Line = { s: number; e: number; empty: boolean; more: boolean };
  const content: Line[] = lines.map((l) => {
    const s = Math.min(l.s + indent, l.e);
    const empty = s >= l.e && !/[^ ]/.test(text.slice(l.s, l.e));
    return { s, e: l.e, empty, more: !empty && (text[s] === ' ' || text[s] === '\t') };
  });
  // Trailing empty lines are handled by chomping.
  let lastContent = content.length - 1;
  while (lastContent >= 0 && content[lastContent].empty) lastContent--;
  let prev: Line | undefined;
  let pendingBreaks: number[] = [];
  for (let i = 0; i <= lastContent; i++) {
    const line = content[i];
    if (line.empty) {
      pendingBreaks.push(lines[i].s);
      continue;
    }
    if (prev) {
      // The break that ended the previous line, then one per empty line.
      const breakAt = lines[i - pendingBreaks.length - 1].e;
      if (folded && !prev.more && !line.more) {
        if (pendingBreaks.length === 0) {
          out.push(' ');
          map.push(breakAt);
        }
      } else {
        out.push('\n');
        map.push(breakAt);
      }
    }
    for (const b of pendingBreaks) {
      out.push('\n');
      map.push(b);
    }
    pendingBreaks = [];
    for (let k = line.s; k < line.e; k++) {
      out.push(text[k]);
      map.push(k);
    }
    prev = line;
  }
  if (lastContent >= 0 && chomp !== 'strip') {
    out.push('\n');
    map.push(content[lastContent].e);
    if (chomp === 'keep')
      for (let i = lastContent + 1; i < content.length; i++) {
        out.push('\n');
        map.push(lines[i].e);
      }
  }
  map.push(end);
  return { out: out.join(''), map };
}
