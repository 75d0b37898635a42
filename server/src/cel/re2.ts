/**
 * Regular expressions with Go's RE2 semantics, for CEL's `matches()` and Tekton's `translate()`.
 *
 * Tekton evaluates these with Go's `regexp` package (RE2 syntax, linear time). JavaScript's RegExp accepts
 * patterns RE2 rejects (backreferences, lookahead), rejects some RE2 syntax (`(?i)` inline flags on older
 * engines, `\z`, `\pN`), and can backtrack forever; so every CEL regex goes through re2js, a port of Go's
 * regexp package.
 */
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS | Error>();
const CACHE_LIMIT = 500;

/**
 * Compiles `pattern` with RE2 syntax (cached). Throws an Error whose message follows Go's
 * `error parsing regexp: …` wording when the pattern is not valid RE2.
 */
export function compileRe2(pattern: string): RE2JS {
  let entry = cache.get(pattern);
  if (entry === undefined) {
    try {
      entry = RE2JS.compile(pattern);
    } catch (e) {
      const msg = (e as Error).message || String(e);
      entry = new Error(msg.startsWith('error parsing regexp') ? msg : `error parsing regexp: ${msg}`);
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

/** Returns the RE2 syntax error for `pattern`, or undefined when it compiles. Used by the linter. */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    compileRe2(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Go's `regexp.MatchString(pattern, s)`: true when the pattern matches anywhere in `s` (unanchored). */
export function re2Matches(s: string, pattern: string): boolean {
  return compileRe2(pattern).test(s);
}

/** Go's `regexp.extract` for `$name` / `${name}` in a replacement template. */
function extractName(tpl: string, pos: number): { name: string; num: number; next: number } | undefined {
  let i = pos;
  let brace = false;
  if (tpl[i] === '{') {
    brace = true;
    i++;
  }
  const start = i;
  while (i < tpl.length) {
    const cp = tpl.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!(/\p{L}|\p{Nd}/u.test(ch) || ch === '_')) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = tpl.slice(start, i);
  if (brace) {
    if (tpl[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (ch.charCodeAt(0) - 48);
  }
  if (name[0] === '0' && name.length > 1) num = -1;
  return { name, num, next: i };
}

/**
 * Go's `Regexp.ReplaceAllString(src, repl)`: non-overlapping matches replaced by `repl` expanded with Go's
 * rules: `$1`/`${1}`/`$name`/`${name}` insert groups, `$$` is a literal `$`, an unknown or unmatched group
 * expands to nothing, and `$1x` means the group named `1x` (so it expands to nothing; write `${1}x`).
 * An empty match right after a previous match is not replaced, as in Go.
 */
export function re2ReplaceAll(src: string, pattern: string, repl: string): string {
  const re = compileRe2(pattern);
  const names = re.namedGroups();
  const m = re.matcher(src);
  let out = '';
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length && m.find(searchPos)) {
    const a0 = m.start();
    const a1 = m.end();
    out += src.slice(lastEnd, a0);
    if (a1 > lastEnd || a0 === 0) {
      out += expand(repl, m, names);
    }
    lastEnd = a1;
    // Advance past this match; always advance at least one character (one code point, as Go's rune width).
    const cp = src.codePointAt(searchPos);
    const width = cp !== undefined && cp > 0xffff ? 2 : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastEnd);
}

function expand(tpl: string, m: ReturnType<RE2JS['matcher']>, names: Record<string, number>): string {
  let out = '';
  let i = 0;
  const groupCount = m.groupCount();
  while (i < tpl.length) {
    const dollar = tpl.indexOf('$', i);
    if (dollar < 0) {
      out += tpl.slice(i);
      break;
    }
    out += tpl.slice(i, dollar);
    i = dollar + 1;
    if (tpl[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ext = extractName(tpl, i);
    if (!ext) {
      out += '$';
      continue;
    }
    i = ext.next;
    let group = -1;
    if (ext.num >= 0) group = ext.num;
    else if (Object.prototype.hasOwnProperty.call(names, ext.name)) group = names[ext.name];
    if (group >= 0 && group <= groupCount) {
      const g = m.group(group);
      if (g !== null) out += g;
    }
  }
  return out;
}
