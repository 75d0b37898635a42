import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/** A step of a path into a YAML value: a map key or a sequence index. */
export type PathSegment = string | number;
export type YamlPath = PathSegment[];

/** A `[start, end)` offset range. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** The value range of a node (without trailing comments and blank lines). */
export function nodeRange(node: Node | null | undefined): OffsetRange | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/** The string form of a map key, or undefined for complex keys. */
export function keyName(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null || k.value === undefined ? '' : String(k.value);
  return undefined;
}

/** Looks up a key in a map node. */
export function getPair(map: YAMLMap, key: string): Pair | undefined {
  for (const item of map.items) if (keyName(item) === key) return item;
  return undefined;
}

/** Looks up the value node of a key in a map node. */
export function getValue(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = getPair(map, key);
  return (pair?.value ?? undefined) as Node | undefined;
}

/** The scalar string value of a key in a map, if it is a scalar. */
export function getString(map: unknown, key: string): string | undefined {
  const v = getValue(map, key);
  if (isScalar(v) && v.value !== null && v.value !== undefined) return String(v.value);
  return undefined;
}

/** Walks a path from a node; undefined when any step is missing. */
export function nodeAtPath(root: unknown, path: YamlPath): Node | undefined {
  let node = root as Node | undefined;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!isSeq(node)) return undefined;
      node = (node.items[seg] ?? undefined) as Node | undefined;
    } else {
      node = getValue(node, seg);
    }
    if (!node) return undefined;
  }
  return node;
}

/** Where an offset sits in a YAML tree: the innermost node, the path to it, and whether the offset is on a key. */
export interface NodeLocation {
  /** Path from the document root to the innermost value containing the offset. */
  path: YamlPath;
  /** The innermost node (a scalar, map or sequence), if any. */
  node?: Node;
  /** The enclosing pair when the offset is on a key or on a pair's value. */
  pair?: Pair;
  /** True when the offset is on a map key (not its value). */
  onKey: boolean;
  /** The parent collections from the root, outermost first. */
  ancestors: Node[];
}

/**
 * Finds the innermost node at `offset` and its path from `root`. Works on broken YAML too: the composer keeps partial
 * maps and null values for half-typed keys, and the range checks below are inclusive of a node's end so that a
 * cursor right after `key: val` still lands in `val`.
 */
export function locate(root: Node | null | undefined, offset: number): NodeLocation {
  const loc: NodeLocation = { path: [], onKey: false, ancestors: [] };
  let node = root ?? undefined;
  while (node) {
    loc.node = node;
    if (isMap(node)) {
      const pair = findPair(node, offset);
      if (!pair) return loc;
      loc.ancestors.push(node);
      const name = keyName(pair) ?? '';
      const key = pair.key as Node | null;
      if (key && isScalar(key) && key.range && offset >= key.range[0] && offset <= key.range[1]) {
        loc.pair = pair;
        loc.onKey = true;
        loc.path.push(name);
        loc.node = key;
        return loc;
      }
      loc.pair = pair;
      loc.path.push(name);
      const value = pair.value as Node | null;
      if (!value || !value.range || offset < value.range[0]) {
        loc.node = undefined;
        return loc;
      }
      node = value;
    } else if (isSeq(node)) {
      const idx = findItem(node, offset);
      if (idx < 0) return loc;
      loc.ancestors.push(node);
      loc.path.push(idx);
      loc.pair = undefined;
      const item = node.items[idx] as Node | null;
      if (!item) {
        loc.node = undefined;
        return loc;
      }
      node = item;
    } else {
      return loc;
    }
  }
  return loc;
}

function findPair(map: YAMLMap, offset: number): Pair | undefined {
  let best: Pair | undefined;
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    const start = key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
    if (start === undefined || start > offset) continue;
    const value = pair.value as Node | null;
    const end = value?.range?.[2] ?? key?.range?.[2] ?? start;
    if (offset <= end) best = pair;
  }
  return best;
}

function findItem(seq: YAMLSeq, offset: number): number {
  let best = -1;
  seq.items.forEach((item, i) => {
    const r = (item as Node | null)?.range;
    if (r && r[0] <= offset && offset <= r[2]) best = i;
  });
  return best;
}

/** Resolves an alias to the node it stands for (one level); other nodes are returned as they are. */
export function resolveAlias(node: Node | undefined, doc: Document): Node | undefined {
  if (node && isAlias(node)) return (node as Alias).resolve(doc) as Node | undefined;
  return node;
}

export { isAlias, isMap, isPair, isScalar, isSeq };
export type { Node, Pair, Scalar, YAMLMap, YAMLSeq };

/** Visits every map pair below `node` (depth-first, keys as strings), up to a depth that bounds hostile nesting. */
export function walkPairs(node: Node | undefined, visit: (key: string, value: Node) => void, depth = 0): void {
  if (!node || depth > 64) return;
  if (isSeq(node)) for (const item of node.items) walkPairs(item as Node, visit, depth + 1);
  else if (isMap(node))
    for (const pair of node.items) {
      const key = keyName(pair);
      const value = (pair.value ?? undefined) as Node | undefined;
      if (key === undefined || !value) continue;
      visit(key, value);
      walkPairs(value, visit, depth + 1);
    }
}
