import { TektonDocument } from '../document/tektonDocument';
import { isMap, isSeq, Node } from '../document/yamlAst';

/** A foldable range of lines (zero-based, inclusive). */
export interface FoldingRangeInfo {
  startLine: number;
  endLine: number;
}

/** Every block map and sequence spanning several lines in a file with Tekton documents, capped at `maxItems`. */
export function getFoldingRanges(doc: TektonDocument, maxItems = 5000): FoldingRangeInfo[] {
  if (doc.skippedReason || !doc.hasTekton) return [];
  const out: FoldingRangeInfo[] = [];
  for (const { resource, base } of doc.resources()) {
    const stack: { node: Node; depth: number }[] = [];
    if (resource.root) stack.push({ node: resource.root, depth: 0 });
    while (stack.length && out.length < maxItems) {
      const { node, depth } = stack.pop()!;
      if (depth > 100) continue;
      const children: Node[] = [];
      if (isMap(node)) {
        for (const pair of node.items) {
          const value = pair.value as Node | null;
          const key = pair.key as Node | null;
          if (value && key?.range && value.range && (isMap(value) || isSeq(value))) {
            addRange(doc, base + key.range[0], base + value.range[1], out);
            children.push(value);
          }
        }
      } else if (isSeq(node)) {
        for (const item of node.items) {
          const it = item as Node | null;
          if (it?.range && (isMap(it) || isSeq(it))) {
            addRange(doc, base + it.range[0], base + it.range[1], out);
            children.push(it);
          }
        }
      }
      for (const c of children) stack.push({ node: c, depth: depth + 1 });
    }
  }
  return out.sort((a, b) => a.startLine - b.startLine).slice(0, maxItems);
}

function addRange(doc: TektonDocument, start: number, end: number, out: FoldingRangeInfo[]): void {
  const startLine = doc.positionAt(start).line;
  // a range ending at the start of the next line ends on the line before
  let endLine = doc.positionAt(end).line;
  if (endLine > startLine && doc.positionAt(end).character === 0) endLine--;
  if (endLine > startLine) out.push({ startLine, endLine });
}
