/**
 * PyYAML, which the Kubeflow Pipelines SDK compiles with, continues a quoted scalar of a block sequence at the column
 * of the sequence's dash:
 *
 *     - "python3 -m kfp.dsl.executor_main
 *     --executor_input"
 *
 * PyYAML and Go's YAML read that (so do the SDK and the KFP backend); the `yaml` library, strict to YAML 1.2, does
 * not. A file the producing tool and the consuming server both read is not a syntax error: such a document is read
 * a second time with those continuation lines indented, which changes no value (a quoted scalar's line breaks fold and
 * the leading space of a continuation line is not part of it), and the node offsets are mapped back to the text as
 * written.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

/** Whether a text may hold such a scalar; a cheap test before any second parse. */
export function mayHaveDashQuotedContinuations(text: string): boolean {
  return /^[ \t]*- ["']/m.test(text);
}

/**
 * Indents by two spaces the continuation lines of a quoted scalar that starts after `- ` and does not end on its
 * line; `inserted` lists the offsets, in the original text, where two spaces went in (line starts, ascending).
 */
export function indentQuotedContinuations(text: string): { text: string; inserted: number[] } {
  const lines = text.split('\n');
  const inserted: number[] = [];
  let quote: '"' | "'" | undefined;
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const original = lines[i];
    let from: number;
    if (quote) {
      lines[i] = `  ${original}`;
      inserted.push(offset);
      from = 2;
    } else {
      const m = /^\s*- (["'])/.exec(original);
      from = m ? m[0].length : original.length;
      quote = m ? (m[1] as '"' | "'") : undefined;
    }
    const line = lines[i];
    for (let j = from; quote && j < line.length; j++) {
      const c = line[j];
      if (quote === '"' && c === '\\') j++;
      else if (quote === "'" && c === "'" && line[j + 1] === "'") j++;
      else if (c === quote) quote = undefined;
    }
    offset += original.length + 1;
  }
  return { text: lines.join('\n'), inserted };
}

/** Moves every node range of a document parsed from the indented text back to offsets of the original text. */
export function mapRangesBack(doc: Document.Parsed, inserted: readonly number[]): void {
  // In the indented text, the k-th insertion occupies [inserted[k] + 2k, inserted[k] + 2k + 2).
  const toOriginal = (at: number): number => {
    let lo = 0;
    let hi = inserted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inserted[mid] + 2 * mid < at) lo = mid + 1;
      else hi = mid;
    }
    // `lo` insertions start before `at`; an offset inside an insertion belongs to the line start it indents.
    const k = lo;
    const inside = k > 0 && at < inserted[k - 1] + 2 * (k - 1) + 2;
    return inside ? inserted[k - 1] : at - 2 * k;
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
}
