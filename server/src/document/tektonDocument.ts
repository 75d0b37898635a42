import { Composer, Document, isMap, isScalar, isSeq, Node, Parser } from 'yaml';
import { DEFAULT_MAX_FILE_SIZE, MAX_CHECKED_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_FILE, MAX_FLOW_DEPTH } from './limits';
import { mapRangesBack } from './insertions';
import { markQuotedPlaceholders, mayHavePlaceholderValues, quotePlaceholderValues } from './pacPlaceholders';
import { indentQuotedContinuations, mayHaveDashQuotedContinuations } from './quotedContinuations';
import { classifyKind, KindInfo, PIPELINES_GROUP, TRIGGERS_GROUP } from './resourceKind';
import { DocumentChunk, splitDocuments } from './splitDocuments';
import { isReadByPac } from './uri';
import { getString, locate, NodeLocation, OffsetRange } from './yamlAst';

/** A YAML syntax problem, with offsets relative to its chunk. */
export interface SyntaxProblem extends OffsetRange {
  message: string;
  code: string;
  warning: boolean;
}

/**
 * One YAML document of a stream (between `---` markers), parsed on its own. Node offsets are relative to `chunk.start`:
 * a chunk whose text did not change keeps its parse, and every result cached on it, across edits elsewhere in the file.
 */
export class YamlResource {
  /** Results of features computed once per chunk text (validation, symbols), keyed by feature name. */
  readonly cache = new Map<string, unknown>();
  readonly kindInfo: KindInfo | undefined;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;

  constructor(
    /** The text slice holding this document; offsets of `doc` are relative to it. */
    readonly text: string,
    readonly doc: Document.Parsed,
    readonly syntaxProblems: readonly SyntaxProblem[],
  ) {
    const root = doc.contents;
    this.apiVersion = getString(root, 'apiVersion');
    this.kind = getString(root, 'kind');
    const metadata = isMap(root) ? root.get('metadata', true) : undefined;
    this.name = getString(metadata, 'name') ?? getString(metadata, 'generateName');
    this.kindInfo = classifyKind(this.apiVersion, this.kind);
  }

  /** The root node of the document (usually a map). */
  get root(): Node | undefined {
    return (this.doc.contents ?? undefined) as Node | undefined;
  }

  /** True for documents whose apiVersion is in a Tekton API group; all others are left alone. */
  get isTekton(): boolean {
    return !!this.kindInfo?.isTekton;
  }

  /** True for documents of the Tekton Pipelines API group (tekton.dev). */
  get isPipelines(): boolean {
    return this.kindInfo?.group === PIPELINES_GROUP;
  }

  /** True for documents of the Tekton Triggers API group (triggers.tekton.dev). */
  get isTriggers(): boolean {
    return this.kindInfo?.group === TRIGGERS_GROUP;
  }

  /** A per-chunk memo: computes `fn` once for this document text. */
  memo<T>(key: string, fn: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = fn();
    this.cache.set(key, value);
    return value;
  }
}

/** A parsed chunk: its documents (usually one) and where it starts in the current version of the file. */
export interface ParsedChunk {
  start: number;
  resources: YamlResource[];
}

/** The location of an offset inside one resource of a file. */
export interface ResourceLocation extends NodeLocation {
  resource: YamlResource;
  /** Offset of the resource's chunk in the file: add it to node offsets to get file offsets. */
  base: number;
  /** The offset relative to the chunk. */
  offset: number;
}

export { DEFAULT_MAX_FILE_SIZE };

/**
 * The model of one YAML file at one version: every `---` document parsed with source offsets, its apiVersion/kind, and
 * helpers to find nodes by offset. Built once per version and shared by every feature.
 */
export class TektonDocument {
  readonly chunks: ParsedChunk[];
  private lineStarts: Uint32Array | undefined;
  /** Set when the file was not analysed, with the reason (too large, binary). */
  readonly skippedReason: string | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    previous?: TektonDocument,
    maxFileSize = DEFAULT_MAX_FILE_SIZE,
  ) {
    this.skippedReason = skipReason(text, maxFileSize);
    if (this.skippedReason) {
      this.chunks = [];
      return;
    }
    const split = splitDocuments(text);
    if (split.length > MAX_DOCUMENTS_PER_FILE) {
      this.skippedReason = `file holds ${split.length} YAML documents, over the ${MAX_DOCUMENTS_PER_FILE} checked as you type: Tekton checks skipped`;
      this.chunks = [];
      return;
    }
    const reuse = new Map<string, YamlResource[]>();
    for (const chunk of previous?.chunks ?? []) {
      const first = chunk.resources[0];
      if (first) reuse.set(first.text, chunk.resources);
    }
    const pacTemplates = isReadByPac(uri);
    this.chunks = split.map((chunk) => ({
      start: chunk.start,
      resources: reuse.get(chunk.text) ?? parseChunk(chunk, pacTemplates),
    }));
  }

  /** Every document in the file, in order, with the offset of its chunk. */
  *resources(): Iterable<{ resource: YamlResource; base: number }> {
    for (const chunk of this.chunks) for (const resource of chunk.resources) yield { resource, base: chunk.start };
  }

  /** True when any document of the file is a Tekton document. */
  get hasTekton(): boolean {
    for (const { resource } of this.resources()) if (resource.isTekton) return true;
    return false;
  }

  /** The chunk containing a file offset. */
  chunkAt(offset: number): ParsedChunk | undefined {
    let lo = 0;
    let hi = this.chunks.length - 1;
    let found: ParsedChunk | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.chunks[mid].start <= offset) {
        found = this.chunks[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The document, node and path at a file offset. */
  locate(offset: number): ResourceLocation | undefined {
    const chunk = this.chunkAt(offset);
    if (!chunk) return undefined;
    const rel = offset - chunk.start;
    let resource = chunk.resources[0];
    for (const r of chunk.resources) if (r.doc.range[0] <= rel) resource = r;
    if (!resource) return undefined;
    return { ...locate(resource.root, rel), resource, base: chunk.start, offset: rel };
  }

  /** Converts a file offset to a zero-based line/character position (UTF-16 units, as LSP counts by default). */
  positionAt(offset: number): { line: number; character: number } {
    const starts = this.getLineStarts();
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  }

  /** Converts a zero-based line/character position to a file offset. */
  offsetAt(position: { line: number; character: number }): number {
    const starts = this.getLineStarts();
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineEnd = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return Math.min(starts[position.line] + Math.max(0, position.character), lineEnd);
  }

  /**
   * Offsets where lines start. A typed array sized by a first count: a big file's version then leaves one
   * off-heap buffer behind, which young-generation collections free, instead of a grown array of tens of thousands
   * of elements in old space on every keystroke.
   */
  private getLineStarts(): Uint32Array {
    if (!this.lineStarts) {
      const text = this.text;
      let count = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
      const starts = new Uint32Array(count);
      let n = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

function skipReason(text: string, maxFileSize: number): string | undefined {
  if (text.length > maxFileSize)
    return `file is ${(text.length / 1048576).toFixed(1)} MB, over the ${(maxFileSize / 1048576).toFixed(1)} MB limit (setting tekton.maxFileSize): Tekton checks skipped`;
  // Binary files hold NUL bytes early; looking at the head keeps this off the per-keystroke path of big files.
  if (text.slice(0, 65536).includes('\u0000')) return 'file holds binary data (NUL bytes): Tekton checks skipped';
  return undefined;
}

const TOO_DEEP = 'YAML nesting is too deep to analyse (stack limit reached)';

/** Deeply nested collections overflow the composer's recursion; such input is reported, not crashed on. */
function parseChunk(slice: DocumentChunk, pacTemplates: boolean): YamlResource[] {
  if (slice.text.length > MAX_CHECKED_DOCUMENT_BYTES) return [tooLarge(slice)];
  const deepAt = flowTooDeepAt(slice.text);
  if (deepAt >= 0) {
    return [notParsed(slice.text, { ...lineFrom(slice.text, deepAt), message: TOO_DEEP_FLOW, code: 'yaml-flow-too-deep', warning: true })];
  }
  // A slice of the file text keeps the whole text alive, and so would every scalar parsed from it: an unchanged
  // document reused across many versions would pin one full copy of the file per edit. Parse a flat copy instead.
  const chunk = { start: slice.start, text: Buffer.from(slice.text, 'utf8').toString('utf8') };
  try {
    let docs = pacTemplates ? composePacTemplate(chunk.text) : compose(chunk.text);
    if (docs.some((d) => d.errors.length) && mayHaveDashQuotedContinuations(chunk.text)) {
      // Read as PyYAML and Go read it when that is all that is wrong (see quotedContinuations.ts).
      const indented = indentQuotedContinuations(chunk.text);
      const again = compose(indented.text);
      if (!again.some((d) => d.errors.length)) {
        for (const d of again) mapRangesBack(d, indented.inserted);
        docs = again;
      }
    }
    return docs.map((doc) => new YamlResource(chunk.text, doc, collectProblems(doc)));
  } catch (err) {
    const message = err instanceof RangeError ? TOO_DEEP : `YAML could not be parsed: ${String(err)}`;
    const problem = { ...lineFrom(chunk.text, 0), message, code: 'yaml-too-complex', warning: false };
    return [notParsed(chunk.text, problem, [0, chunk.text.length, chunk.text.length])];
  }
}

const TOO_DEEP_FLOW = `YAML flow collections ([ ] and { }) nest more than ${MAX_FLOW_DEPTH} levels deep here: this document is not analysed`;

/**
 * The offset where `[`/`{` first nest deeper than MAX_FLOW_DEPTH, or -1. Brackets in quotes and block scalars count
 * too: cheaper than lexing, and text that opens 500 more brackets than it closes is not a Tekton resource.
 */
function flowTooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return -1;
}

/** The range from `at` to the end of its line, at most 200 characters and at least one. */
function lineFrom(text: string, at: number): OffsetRange {
  const eol = text.indexOf('\n', at);
  return { start: at, end: Math.max(at + 1, Math.min(eol < 0 ? text.length : eol, at + 200)) };
}

/** A document left unparsed, with the one problem that says why. */
function notParsed(text: string, problem: SyntaxProblem, range = [0, 0, 0]): YamlResource {
  const doc = new Document(null) as unknown as Document.Parsed;
  (doc as unknown as { range: number[] }).range = range;
  return new YamlResource(text, doc, [problem]);
}

/** A document over MAX_CHECKED_DOCUMENT_BYTES, not parsed: one warning at its first line says why. */
function tooLarge(slice: DocumentChunk): YamlResource {
  // the text stays the chunk's: an unchanged large document is then reused across versions like any other
  const mb = (slice.text.length / 1048576).toFixed(1);
  return notParsed(slice.text, {
    ...lineFrom(slice.text, 0),
    message: `This YAML document is ${mb} MB, over the ${MAX_CHECKED_DOCUMENT_BYTES / 1024} KB checked as you type: it is not analysed (the Kubernetes API server refuses objects over 1.5 MB)`,
    code: 'document-too-large',
    warning: true,
  });
}

/** A `.tekton/` document as Pipelines-as-Code decodes it: after its `{{ }}` are substituted (pacPlaceholders.ts). */
function composePacTemplate(text: string): Document.Parsed[] {
  if (!mayHavePlaceholderValues(text)) return compose(text);
  const quoted = quotePlaceholderValues(text);
  if (!quoted.inserted.length) return compose(text);
  const docs = compose(quoted.text);
  for (const d of docs) {
    mapRangesBack(d, quoted.inserted);
    markQuotedPlaceholders(d, text);
  }
  return docs;
}

function compose(text: string): Document.Parsed[] {
  const parser = new Parser();
  // The composer's own unique-key check compares each key with every earlier one: 20,000 keys in one map took 2.2 s.
  // Duplicates are found in one pass instead (duplicateKeys).
  const composer = new Composer({ keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
  return [...composer.compose(parser.parse(text), true, text.length)];
}

function collectProblems(doc: Document.Parsed): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  let tooDeep = false;
  for (const e of doc.errors) {
    // The composer records its own stack overflow as an error of each level it unwinds: one clear problem instead.
    if (e instanceof Error && /Maximum call stack size exceeded/.test(e.message)) {
      if (!tooDeep) out.push({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: TOO_DEEP, code: 'yaml-too-deep', warning: false });
      tooDeep = true;
      continue;
    }
    out.push({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message, code: 'yaml-syntax', warning: false });
  }
  for (const w of doc.warnings)
    out.push({ start: w.pos[0], end: Math.max(w.pos[1], w.pos[0] + 1), message: w.message, code: 'yaml-warning', warning: true });
  if (!tooDeep) out.push(...duplicateKeys(doc));
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Keys written twice in one map (YAML 1.2 requires unique keys; the yaml library's rule: equal scalar values), each
 * repetition marked on its key. One pass with a set per map, iterative: nesting depth costs no stack.
 */
function duplicateKeys(doc: Document.Parsed): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.range) {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) out.push({ start: key.range[0], end: Math.max(key.range[1], key.range[0] + 1), message: 'Map keys must be unique', code: 'yaml-duplicate-key', warning: false });
          seen.add(id);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return out;
}
