import { isMap, isScalar, isSeq, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { getPair } from '../../document/yamlAst';
import { Problem, TextEdit } from '../../document/problem';

export type { Fix, TextEdit } from '../../document/problem';

/** A problem with the fixes that are obvious for it (offsets relative to the resource text). */
export type FixableProblem = Problem;

/** Column of an offset in its line. */
export function columnOf(text: string, offset: number): number {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - ls;
}

/** Offset just after the line holding `offset` (after its newline), or the text end. */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The end of a node's content (block collections include the line break after their last line in their range). */
function contentEnd(text: string, n: Node): number {
  let end = n.range ? n.range[1] : 0;
  const start = n.range ? n.range[0] : 0;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Renders one list item in block style: `- first` then the other lines indented under it. */
function blockItem(indent: string, lines: string[]): string {
  return lines.map((l, i) => (i === 0 ? `${indent}- ${l}` : `${indent}  ${l}`)).join('\n') + '\n';
}

/** Renders one list item in flow style, `{name: x, type: string}` or a scalar. */
function flowItem(lines: string[]): string {
  if (lines.length === 1 && !lines[0].includes(': ')) return lines[0];
  return `{${lines.join(', ')}}`;
}

/** List items passing these params, each with an empty value of its type to fill in. */
export function paramItems(params: readonly { name: string; type?: string }[]): string[][] {
  const empty = (type?: string) => (type === 'array' ? '[]' : type === 'object' ? '{}' : '""');
  return params.map((p) => [`name: ${p.name}`, `value: ${empty(p.type)}`]);
}

/**
 * The edit with its snippet form: a tab stop inside each empty value it inserts (`value: ""`, `[]`, `{}`,
 * `workspace: ""`), so that an editor taking snippet edits leaves the cursor where the user types next.
 */
export function withValueStops(edit: TextEdit | undefined): TextEdit | undefined {
  if (!edit) return undefined;
  const escape = (t: string) => t.replace(/[$}\\]/g, (c) => `\\${c}`);
  let snippet = '';
  let last = 0;
  let stop = 0;
  for (const m of edit.newText.matchAll(/((?:value|workspace): )(""|\[\]|\{\})/g)) {
    const at = m.index! + m[1].length;
    snippet += `${escape(edit.newText.slice(last, at))}${m[2][0]}\${${++stop}}${m[2][1] === '}' ? '\\}' : m[2][1]}`;
    last = at + 2;
  }
  if (!stop) return edit;
  return { ...edit, snippet: snippet + escape(edit.newText.slice(last)) };
}

/**
 * An edit adding an item to the list under `key` of `map`, creating the key when it is missing. `lines` are the
 * item's `key: value` lines (or one scalar). Returns undefined when the layout is not one this can edit safely.
 */
export function addListItem(text: string, map: YAMLMap, key: string, lines: string[]): TextEdit | undefined {
  return addListItems(text, map, key, [lines]);
}

/** `addListItem` for several items at once (one edit, so the key is created once). */
export function addListItems(text: string, map: YAMLMap, key: string, items: string[][]): TextEdit | undefined {
  const blockItems = (indent: string) => items.map((lines) => blockItem(indent, lines)).join('');
  const pair = getPair(map, key);
  const value = pair?.value as Node | null | undefined;
  if (pair && value && isSeq(value)) {
    const seq = value as YAMLSeq;
    if (seq.flow) {
      const close = (seq.range?.[1] ?? 0) - 1;
      if (text[close] !== ']') return undefined;
      const sep = seq.items.length ? ', ' : '';
      return { start: close, end: close, newText: sep + items.map(flowItem).join(', ') };
    }
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (!last?.range) return undefined;
    const dash = text.lastIndexOf('-', last.range[0]);
    const ls = text.lastIndexOf('\n', dash) + 1;
    if (dash < ls || /\S/.test(text.slice(ls, dash))) return undefined;
    const at = nextLineStart(text, contentEnd(text, last));
    return { start: at, end: at, newText: (at === text.length && !text.endsWith('\n') ? '\n' : '') + blockItems(text.slice(ls, dash)) };
  }
  if (pair && value && !(isScalar(value) && (value.value === null || value.value === ''))) return undefined;
  if (pair) {
    // `key:` with no value: put the list under it.
    const keyNode = pair.key as Node;
    const indent = ' '.repeat(columnOf(text, keyNode.range![0]) + 2);
    const at = nextLineStart(text, keyNode.range![1]);
    return { start: at, end: at, newText: blockItems(indent) };
  }
  return addKey(text, map, `${key}:`, (indent) => blockItems(indent + '  '));
}

/** An edit adding `head` (a `key:` line) and its body at the end of a block map, at the map's key indentation. */
export function addKey(text: string, map: YAMLMap, head: string, body: (indent: string) => string): TextEdit | undefined {
  if (map.flow || !map.items.length) return undefined;
  const first = map.items[0] as Pair;
  const firstKey = first.key as Node | null;
  if (!firstKey?.range) return undefined;
  const indent = ' '.repeat(columnOf(text, firstKey.range[0]));
  const lastPair = map.items[map.items.length - 1] as Pair;
  const lastNode = (lastPair.value as Node | null) ?? (lastPair.key as Node | null);
  if (!lastNode?.range) return undefined;
  const at = nextLineStart(text, contentEnd(text, lastNode));
  const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, newText: `${lead}${indent}${head}\n${body(indent)}` };
}

/** True when the node is a block map the helpers above can extend. */
export function isEditableMap(n: unknown): n is YAMLMap {
  return isMap(n) && !(n as YAMLMap).flow;
}
