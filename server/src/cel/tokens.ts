/**
 * A forgiving CEL tokenizer for editor features: it never fails, and marks unterminated strings instead of
 * rejecting them, so completion can tell "inside a string" and "after a dot" on text that does not parse yet.
 * Lexis from cel-spec doc/langdef.md (strings with r/R raw and b/B bytes prefixes, triple quotes, `//` comments).
 */

/** Token kinds; operators and brackets are `punct`. */
export type CelTokenKind = 'ident' | 'number' | 'string' | 'punct' | 'comment';

/** One token; offsets are CEL-text positions, `end` exclusive. */
export interface CelToken {
  kind: CelTokenKind;
  start: number;
  end: number;
  text: string;
  /** Strings: where the content starts (after prefix and opening quotes). */
  contentStart?: number;
  /** Strings: the opening quote (`'`, `"`, `'''` or `"""`). */
  quote?: string;
  /** Strings: false when the closing quote is missing. */
  closed?: boolean;
  /** Strings: the decoded content for non-raw strings without unusual escapes (enough for header names). */
  value?: string;
  raw?: boolean;
}

const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||']);

/** Splits CEL text into tokens, skipping white space. */
export function tokenize(text: string): CelToken[] {
  const out: CelToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      out.push({ kind: 'comment', start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    const str = stringAt(text, i);
    if (str) {
      out.push(str);
      i = str.end;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(text[j])) j++;
      out.push({ kind: 'ident', start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:0[xX][0-9a-fA-F]+[uU]?|[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[uU]?)/.exec(text.slice(i, i + 400));
      const len = m ? m[0].length : 1;
      out.push({ kind: 'number', start: i, end: i + len, text: text.slice(i, i + len) });
      i += len;
      continue;
    }
    const two = text.slice(i, i + 2);
    const len = TWO_CHAR.has(two) ? 2 : 1;
    out.push({ kind: 'punct', start: i, end: i + len, text: text.slice(i, i + len) });
    i += len;
  }
  return out;
}

function stringAt(text: string, i: number): CelToken | undefined {
  const m = /^([rR][bB]?|[bB][rR]?)?('''|"""|'|")/.exec(text.slice(i, i + 5));
  if (!m) return undefined;
  const prefix = m[1] ?? '';
  const quote = m[2];
  const raw = /[rR]/.test(prefix);
  const contentStart = i + prefix.length + quote.length;
  const triple = quote.length === 3;
  let j = contentStart;
  let value = '';
  while (j < text.length) {
    if (text.startsWith(quote, j)) {
      return { kind: 'string', start: i, end: j + quote.length, text: text.slice(i, j + quote.length), contentStart, quote, closed: true, value, raw };
    }
    const ch = text[j];
    if (!triple && (ch === '\n' || ch === '\r')) break;
    if (ch === '\\' && !raw && j + 1 < text.length) {
      const e = text[j + 1];
      value += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? e;
      j += 2;
      continue;
    }
    value += ch;
    j++;
  }
  return { kind: 'string', start: i, end: j, text: text.slice(i, j), contentStart, quote, closed: false, value, raw };
}

/**
 * What a completion at the end of `tokens` must close to make the text parse: open brackets and a pending
 * `cond ? a` (which needs `: b`), innermost last.
 */
export function closersFor(tokens: readonly CelToken[]): string {
  const stack: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'punct') continue;
    switch (t.text) {
      case '(':
      case '[':
      case '{':
        stack.push(t.text);
        break;
      case ')':
      case ']':
      case '}':
        while (stack.length && stack[stack.length - 1] === '?') stack.pop();
        stack.pop();
        break;
      case '?':
        stack.push('?');
        break;
      case ':':
        if (stack[stack.length - 1] === '?') stack.pop();
        break;
    }
  }
  const close: Record<string, string> = { '(': ')', '[': ']', '{': '}', '?': ' : null' };
  return stack.reverse().map((s) => close[s]).join('');
}
