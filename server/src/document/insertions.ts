/**
 * A document parsed from a text that had characters inserted (to read it as the tool that consumes it does), with its
 * node offsets moved back to the text as written, so that every range still points into the user's file.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

/** `length` characters went in before offset `at` of the original text. */
export interface Insertion {
  at: number;
  length: number;
}

/**
 * Moves every node range and problem position of `doc`, parsed from the text with `insertions` (ascending `at`), back
 * to the original.
 */
export function mapRangesBack(doc: Document.Parsed, insertions: readonly Insertion[]): void {
  // where each insertion starts in the new text
  const starts: number[] = [];
  let shift = 0;
  for (const ins of insertions) {
    starts.push(ins.at + shift);
    shift += ins.length;
  }
  const toOriginal = (at: number): number => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    // `lo` insertions start before `at`; an offset inside one belongs to the original offset it was inserted at
    if (lo === 0) return at;
    const last = insertions[lo - 1];
    const end = starts[lo - 1] + last.length;
    return at < end ? last.at : last.at + (at - end);
  };
  const move = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { range?: [number, number, number] };
    if (n.range) n.range = [toOriginal(n.range[0]), toOriginal(n.range[1]), toOriginal(n.range[2])];
    if (isPair(node)) {
      move(node.key);
      move(node.value);
    } else if (isMap(node) || isSeq(node)) for (const item of node.items) move(item);
    else if (isScalar(node) || isAlias(node)) return;
  };
  move(doc.contents);
  const d = doc as unknown as { range: [number, number, number] };
  d.range = [toOriginal(d.range[0]), toOriginal(d.range[1]), toOriginal(d.range[2])];
  // a syntax problem of such a document points into the user's text too
  for (const e of [...doc.errors, ...doc.warnings]) e.pos = [toOriginal(e.pos[0]), toOriginal(e.pos[1])];
}
