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
import type { Insertion } from './insertions';

/** Whether a text may hold such a scalar; a cheap test before any second parse. */
export function mayHaveDashQuotedContinuations(text: string): boolean {
  return /^[ \t]*- ["']/m.test(text);
}

/**
 * Indents by two spaces the continuation lines of a quoted scalar that starts after `- ` and does not end on its
 * line; `inserted` lists where, in the original text, the two spaces went in (line starts, ascending).
 */
export function indentQuotedContinuations(text: string): { text: string; inserted: Insertion[] } {
  const lines = text.split('\n');
  const inserted: Insertion[] = [];
  let quote: '"' | "'" | undefined;
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const original = lines[i];
    let from: number;
    if (quote) {
      lines[i] = `  ${original}`;
      inserted.push({ at: offset, length: 2 });
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
