/** A slice of a YAML stream that holds whole documents: from a `---` marker line to the next one. */
export interface DocumentChunk {
  /** Offset of the chunk in the whole text. */
  readonly start: number;
  readonly text: string;
}

/**
 * Cuts a YAML stream at its `---` marker lines without parsing it.
 *
 * In YAML a `---` at column 0 followed by a blank or the line end is always a document marker, even inside block
 * scalars and multi-line flow scalars (YAML 1.2 §9.1.1, c-forbidden), so a lexical cut is exact. Parsing each chunk on
 * its own lets an edit re-parse one document instead of the whole stream (a 500-document file takes ~500 ms to parse).
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let chunkStart = 0;
  let lineStart = 0;
  // Directive lines (`%YAML 1.2`) belong to the document their `---` starts.
  let directivesStart = -1;
  while (lineStart <= text.length) {
    if (isDocumentStart(text, lineStart)) {
      const cut = directivesStart >= 0 ? directivesStart : lineStart;
      if (cut > chunkStart) {
        chunks.push({ start: chunkStart, text: text.slice(chunkStart, cut) });
        chunkStart = cut;
      }
      directivesStart = -1;
    } else if (text.charCodeAt(lineStart) === 37 /* % */) {
      if (directivesStart < 0) directivesStart = lineStart;
    } else if (directivesStart >= 0 && !isBlankOrComment(text, lineStart)) {
      directivesStart = -1;
    }
    const nl = text.indexOf('\n', lineStart);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  chunks.push({ start: chunkStart, text: text.slice(chunkStart) });
  return chunks;
}

function isDocumentStart(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45 || !text.startsWith('---', at)) return false;
  const next = text.charCodeAt(at + 3);
  // end of text, space, tab, CR, LF
  return Number.isNaN(next) || next === 32 || next === 9 || next === 13 || next === 10;
}

function isBlankOrComment(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '#') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}
