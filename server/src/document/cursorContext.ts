import type { PathSegment as SchemaPathSegment } from './yamlAst';

/** Where a cursor sits in a block-style YAML document, read from indentation so half-typed lines work. */
export interface CursorContext {
  /** Keys and `'*'` (sequence items) from the document root to the mapping the cursor is in. */
  path: SchemaPathSegment[];
  /** True when the cursor is after `key:` on the same line (a value is being typed). */
  inValue: boolean;
  /** The key whose value is being typed (with `inValue`). */
  valueKey?: string;
  /** Keys already present in the mapping the cursor is in. */
  siblings: Set<string>;
  /** Start offset of the word being typed (relative to the text) and the word itself. */
  wordStart: number;
  word: string;
}

interface LineShape {
  /** Columns of leading `- ` sequence markers. */
  dashes: number[];
  /** Column of the first character after indentation and dashes. */
  keyColumn: number;
  /** A map key starting at keyColumn, if the line reads `key:`. */
  key?: string;
  /** Blank or comment-only line. */
  blank: boolean;
  /** Column where the line's structure starts (first dash, else the key). */
  start: number;
}

const KEY_RE = /^(?:"([^"]*)"|'([^']*)'|([^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s|$)/;

function shapeOf(line: string): LineShape {
  let i = 0;
  const dashes: number[] = [];
  for (;;) {
    while (i < line.length && line[i] === ' ') i++;
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
      dashes.push(i);
      i++;
      continue;
    }
    break;
  }
  const rest = line.slice(i);
  const m = KEY_RE.exec(rest);
  const blank = dashes.length === 0 && (rest.trim() === '' || rest.startsWith('#'));
  return { dashes, keyColumn: i, key: m ? (m[1] ?? m[2] ?? m[3]).trim() : undefined, blank, start: dashes.length ? dashes[0] : i };
}

const DOC_MARKER = /^(---|\.\.\.)(\s|$)/;

/**
 * Reads the block structure around the cursor: the path of the mapping it is in and the keys that mapping already
 * has. The parser's tree cannot answer this for a line being typed (`  na|` is a syntax error), indentation can.
 * `text` is one document's text; `offset` is relative to it. Flow collections are not followed.
 */
export function cursorContext(text: string, offset: number): CursorContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndIdx = text.indexOf('\n', offset);
  const lineEnd = lineEndIdx < 0 ? text.length : lineEndIdx;
  const before = text.slice(lineStart, offset);
  const cur = shapeOf(before);
  const valueMatch = /^\s*(?:-\s+)*(?:"([^"]*)"|'([^']*)'|([^"':#]+?))\s*:\s+(\S*)$/.exec(before);

  // The mapping the cursor is in has its keys at `column`; `col` is the column of the innermost structure found so
  // far that contains the cursor, and `colIsDash` says whether that structure is a sequence item.
  const column = cur.keyColumn;
  const path: SchemaPathSegment[] = cur.dashes.map(() => '*');
  let col = cur.start;
  let colIsDash = cur.dashes.length > 0;
  let firstLevel = true;
  const siblings = new Set<string>();

  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  for (let i = lines.length - 1; i >= 0; i--) {
    if (DOC_MARKER.test(lines[i])) break;
    const s = shapeOf(lines[i]);
    if (s.blank) continue;
    if (s.start > col || (s.start === col && (s.dashes[0] === col || !colIsDash))) {
      // same level or deeper: a sibling key of the cursor's mapping, or content of an earlier sibling
      if (firstLevel && !s.dashes.length && s.keyColumn === column && s.key !== undefined) siblings.add(s.key);
      continue;
    }
    if (s.keyColumn >= col && s.dashes.length) {
      // `- key: v` opening the sequence item the cursor is in
      if (firstLevel && s.keyColumn === column && s.key !== undefined) siblings.add(s.key);
      for (const d of s.dashes) if (d < col) path.unshift('*');
      col = s.dashes[0];
      colIsDash = true;
    } else if (s.key !== undefined) {
      path.unshift(s.key);
      for (let d = 0; d < s.dashes.length; d++) path.unshift('*');
      col = s.start;
      colIsDash = s.dashes.length > 0;
    } else {
      continue;
    }
    firstLevel = false;
  }

  if (valueMatch) {
    const word = valueMatch[4];
    return {
      path,
      inValue: true,
      valueKey: (valueMatch[1] ?? valueMatch[2] ?? valueMatch[3]).trim(),
      siblings: new Set(),
      wordStart: offset - word.length,
      word,
    };
  }

  // Keys of the same mapping below the cursor.
  const below = text.slice(lineEnd + 1).split('\n');
  for (const line of below) {
    if (DOC_MARKER.test(line)) break;
    const s = shapeOf(line);
    if (s.blank) continue;
    if (s.start < column || (s.dashes.length && s.dashes[0] <= column)) break;
    if (!s.dashes.length && s.keyColumn === column && s.key !== undefined) siblings.add(s.key);
  }

  let wordLen = 0;
  while (wordLen < before.length && /[\w.\-/$"']/.test(before[before.length - 1 - wordLen])) wordLen++;
  return { path, inValue: false, siblings, wordStart: offset - wordLen, word: before.slice(before.length - wordLen) };
}
