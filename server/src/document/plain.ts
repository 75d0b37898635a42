/**
 * The one conversion of a user's YAML document to plain data (what Go's YAML-to-JSON decoding gives Tekton), bounded
 * so that no file can block the server: the `yaml` library's `toJS` takes time polynomial in the depth of a collection
 * used as a map key (a 1 KB file of `{{{{…` 400 deep: seconds of CPU), and an alias bomb grows without end. Here a
 * collection key is refused outright — Kubernetes objects are JSON, whose keys are strings — and depth and the number
 * of nodes visited (aliases expanded) are capped.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node } from 'yaml';

/** Limits of one conversion; far above any real Kubernetes object. */
export const PLAIN_LIMITS = { maxDepth: 200, maxNodes: 500_000 };

export type PlainResult = { value: unknown } | { error: string };

class Refused extends Error {}

/** The document's contents as plain data (aliases resolved, keys as strings), or why it cannot be converted. */
export function toPlainData(doc: Document.Parsed, limits = PLAIN_LIMITS): PlainResult {
  return toPlainNode(doc.contents, doc, limits);
}

/** One node of a document as plain data; aliases resolve through `doc` (without it they read as null). */
export function toPlainNode(root: unknown, doc?: Document.Parsed, limits = PLAIN_LIMITS): PlainResult {
  let nodes = 0;
  const convert = (node: unknown, depth: number): unknown => {
    if (++nodes > limits.maxNodes) throw new Refused(`the document has more than ${limits.maxNodes} nodes (aliases expanded)`);
    if (depth > limits.maxDepth) throw new Refused(`the document is nested more than ${limits.maxDepth} levels deep`);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return convert((doc && node.resolve(doc)) ?? null, depth + 1);
    if (isScalar(node)) return node.value === undefined ? null : node.value;
    if (isSeq(node)) return node.items.map((item) => convert(item, depth + 1));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        let key = pair.key as Node | null;
        if (isAlias(key)) key = ((doc && key.resolve(doc)) as Node | undefined) ?? null;
        if (key !== null && !isScalar(key)) throw new Refused('a map key is a collection, which Kubernetes objects never have');
        const k = key === null || key.value === null || key.value === undefined ? '' : String(key.value);
        // Object keys as JSON has them: an own property even for `__proto__`.
        Object.defineProperty(out, k, { value: convert(pair.value, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return null;
  };
  try {
    return { value: convert(root, 0) };
  } catch (err) {
    if (err instanceof Refused) return { error: err.message };
    if (err instanceof RangeError) return { error: 'the document is nested too deeply' };
    throw err;
  }
}
