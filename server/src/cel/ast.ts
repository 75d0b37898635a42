/**
 * A plain, library-independent view of a parsed CEL expression with source ranges, for completion, hover
 * and the linter. Offsets are 0-based UTF-16 positions in the CEL text, `end` exclusive.
 */

/** One node of a CEL expression. */
export interface CelAstNode {
  kind:
    | 'literal' // value
    | 'ident' // name
    | 'select' // target.name (name at nameStart..nameEnd)
    | 'index' // target[args[0]]
    | 'call' // name(args) or target.name(args) when target is set
    | 'list' // [args...]
    | 'map' // {entries}
    | 'conditional' // args[0] ? args[1] : args[2]
    | 'binary' // args[0] <op> args[1]; op in name: && || == != < <= > >= + - * / % in
    | 'unary'; // name is '!' or '-'
  start: number;
  end: number;
  /** Identifier, field, function or operator name. */
  name?: string;
  /** Range of `name` for select and member-call nodes. */
  nameStart?: number;
  nameEnd?: number;
  /** Literal value as the CEL library represents it (bigint for int, number for double, …). */
  value?: unknown;
  /** The receiver of a member call or the operand of select/index. */
  target?: CelAstNode;
  /** Arguments, operands or list elements. */
  args?: CelAstNode[];
  /** Map literal entries. */
  entries?: { key: CelAstNode; value: CelAstNode }[];
  /** True when the call is a macro (has, all, exists, exists_one, map, filter, sortBy, …). */
  macro?: boolean;
  /** The checked type (cel-js notation, e.g. `map<string, dyn>`), when type-checking succeeded. */
  type?: string;
}

/** The cel-js AST node shape this module reads (see @marcbachmann/cel-js lib/index.d.ts). */
export interface RawNode {
  op: string;
  args: any;
  start: number;
  end: number;
  pos: number;
  checkedType?: { name: string; kind: string; valueType?: { name: string } };
  meta?: { alternate?: unknown; macro?: unknown };
}

const BINARY = new Set(['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'in', '&&', '||']);

/** Finds the start of a member-call name after its receiver (`x.name(` — the name itself has no range). */
export function memberNameRange(text: string, node: RawNode): { start: number; end: number } {
  // Internal replacement names (`matches#tk`) are written without their suffix in the source.
  const name = (node.args[0] as string).split('#')[0];
  const receiver = node.args[1] as RawNode;
  const re = new RegExp(`\\.\\s*(${name.replace(/[^\w]/g, '')})\\s*\\(`, 'g');
  re.lastIndex = receiver.end;
  const m = re.exec(text);
  if (m && m.index + m[0].length <= node.end) {
    const s = m.index + m[0].indexOf(m[1]);
    return { start: s, end: s + m[1].length };
  }
  return { start: node.start, end: node.end };
}

/** Converts a cel-js AST to the plain form. `publicName` maps internal function names back to CEL names. */
export function toCelAst(node: RawNode, text: string, publicName: (n: string) => string): CelAstNode {
  const conv = (n: RawNode) => toCelAst(n, text, publicName);
  const base = { start: node.start, end: node.end, type: node.checkedType ? publicType(node.checkedType.name) : undefined };
  const isMacro = !!(node.meta && (node.meta.alternate || node.meta.macro));
  switch (node.op) {
    case 'value':
      return { ...base, kind: 'literal', value: node.args };
    case 'id':
      return { ...base, kind: 'ident', name: node.args };
    case '.':
    case '.?':
      return { ...base, kind: 'select', name: node.args[1], nameStart: node.pos, nameEnd: node.end, target: conv(node.args[0]) };
    case '[]':
    case '[?]':
      return { ...base, kind: 'index', target: conv(node.args[0]), args: [conv(node.args[1])] };
    case 'call':
      return { ...base, kind: 'call', name: publicName(node.args[0]), nameStart: node.start, nameEnd: node.start + publicName(node.args[0]).length,
        args: (node.args[1] as RawNode[]).map(conv), macro: isMacro || undefined };
    case 'rcall': {
      const r = memberNameRange(text, node);
      return { ...base, kind: 'call', name: publicName(node.args[0]), nameStart: r.start, nameEnd: r.end, target: conv(node.args[1]),
        args: (node.args[2] as RawNode[]).map(conv), macro: isMacro || undefined };
    }
    case 'list':
      return { ...base, kind: 'list', args: (node.args as RawNode[]).map(conv) };
    case 'map':
      return { ...base, kind: 'map', entries: (node.args as [RawNode, RawNode][]).map(([k, v]) => ({ key: conv(k), value: conv(v) })) };
    case '?:':
      return { ...base, kind: 'conditional', args: (node.args as RawNode[]).map(conv) };
    case '!_':
    case '-_':
      return { ...base, kind: 'unary', name: node.op[0], args: [conv(node.args)] };
    default:
      if (BINARY.has(node.op)) return { ...base, kind: 'binary', name: node.op, args: (node.args as RawNode[]).map(conv) };
      return { ...base, kind: 'literal' };
  }
}

/** Children of a cel-js node in source order. */
export function rawChildren(node: RawNode): RawNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case 'call':
      return node.args[1];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'map':
      return (node.args as [RawNode, RawNode][]).flat();
    case '!_':
    case '-_':
      return [node.args];
    default:
      return Array.isArray(node.args) ? node.args.filter((a: unknown) => a && typeof a === 'object' && 'op' in (a as object)) : [];
  }
}

/** cel-js type names in the user's notation: drops the `dyn<…>` runtime wrapper. */
export function publicType(t: string): string {
  return t.replace(/dyn<([^<>]*)>/g, '$1');
}

/** The innermost node containing `offset` (inclusive of the end position). */
export function findNodeAt(root: CelAstNode, offset: number): CelAstNode | undefined {
  if (offset < root.start || offset > root.end) return undefined;
  const kids: CelAstNode[] = [];
  if (root.target) kids.push(root.target);
  if (root.args) kids.push(...root.args);
  if (root.entries) for (const e of root.entries) kids.push(e.key, e.value);
  for (const k of kids) {
    const hit = findNodeAt(k, offset);
    if (hit) return hit;
  }
  return root;
}
