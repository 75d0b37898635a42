/**
 * Pipelines-as-Code replaces `{{ name }}` in the raw text of the `.tekton/` files before it decodes them
 * (pkg/pipelineascode/match.go: makeTemplate, then resolve.ReadTektonTypes), so `value: {{repo_url}}` is a string
 * there, as openshift/pipelines-tutorial writes it, while a YAML parser reads a flow mapping. For such files, a
 * plain value that starts with a placeholder is read quoted; node offsets are mapped back to the text as written.
 */
import { Document, isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Insertion } from './insertions';

/** What PaC substitutes (keys.ParamsRe), at the start of a value. */
const PLACEHOLDER_START = /^\{\{[^}]{2,}\}\}/;

/** Whether the text may hold such a value; a cheap test before rewriting. */
export function mayHavePlaceholderValues(text: string): boolean {
  return /[:-][ \t]+\{\{/.test(text);
}

/**
 * Single-quotes each block value (after `key: ` or `- `) that starts with a `{{ }}` placeholder, to the end of its
 * line or comment; lines of block scalars are left alone. `inserted` lists the quotes, in original offsets.
 */
export function quotePlaceholderValues(text: string): { text: string; inserted: Insertion[] } {
  const inserted: Insertion[] = [];
  let out = '';
  let copied = 0;
  /** Indentation of the line that opened a block scalar (`key: |`), while inside it. */
  let blockIndent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const eol = text.indexOf('\n', lineStart);
    const lineEnd = eol < 0 ? text.length : eol;
    const line = text.slice(lineStart, lineEnd);
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockIndent = blockScalarIndent(line);
    const at = line.indexOf('{{');
    const before = at < 0 ? '' : line.slice(0, at);
    if (at > 0 && /[:-]\s+$/.test(before) && !/[#{}[\]'"]/.test(before) && /^\s*(-\s+)*([^\s-][^:]*:\s+)?$/.test(before)) {
      const rest = line.slice(at);
      const comment = rest.search(/\s#/);
      const value = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
      if (PLACEHOLDER_START.test(value)) {
        const start = lineStart + at;
        const end = start + value.length;
        out += text.slice(copied, start);
        out += "'";
        inserted.push({ at: start, length: 1 });
        for (let i = start; i < end; i++) {
          if (text[i] === "'") {
            out += "'";
            inserted.push({ at: i, length: 1 });
          }
          out += text[i];
        }
        out += "'";
        inserted.push({ at: end, length: 1 });
        copied = end;
      }
    }
    lineStart = lineEnd + 1;
  }
  return { text: out + text.slice(copied), inserted };
}

/**
 * The column a block scalar opened on this line (`key: |`, `- >-`) must be indented past, or -1: the key's column,
 * or the dash's for a sequence item.
 */
function blockScalarIndent(line: string): number {
  const m = /^(\s*(?:-\s+)*)(?:([^#\s][^#]*?):\s+)?[|>][-+0-9]*\s*(?:#.*)?$/.exec(line);
  if (!m || (!m[2] && !m[1].includes('-'))) return -1;
  return m[2] ? m[1].length : m[1].trimEnd().length - 1;
}

/**
 * After the ranges are mapped back, a value quoted here is written plain in the user's text: it is marked so, for the
 * code that maps value positions to the source by its quoting style (scalarMap).
 */
export function markQuotedPlaceholders(doc: Document.Parsed, text: string): void {
  const visit = (node: unknown, depth: number): void => {
    if (!node || depth > 200) return;
    if (isPair(node)) {
      visit(node.key, depth + 1);
      visit(node.value, depth + 1);
    } else if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item, depth + 1);
    else if (isScalar(node) && node.type === Scalar.QUOTE_SINGLE && node.range && text[node.range[0]] === '{')
      node.type = Scalar.PLAIN;
  };
  visit(doc.contents, 0);
}
