import { TektonDocument, YamlResource } from '../document/tektonDocument';
import { isScalar, nodeAtPath } from '../document/yamlAst';
import { extractReferences, ReferencedKind, ResourceReference } from './references';
import { Workspace } from './workspace';

/** A zero-based line/character position, for results in files that are not open. */
export interface Position {
  line: number;
  character: number;
}

/** A place in a file: offsets and the matching positions (the file's text is not kept). */
export interface Location {
  uri: string;
  start: number;
  end: number;
  startPosition: Position;
  endPosition: Position;
}

/** A Tekton resource found in the workspace, kept without its syntax tree (the index must stay small). */
export interface IndexedResource {
  uri: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Where the `metadata.name` value is. */
  nameLocation: Location;
  /** Kind-specific facts (params, results, workspaces...) from the summarizer. */
  summary?: unknown;
}

/** A reference to a resource by name, with the location of the name. */
export interface IndexedReference extends ResourceReference {
  location: Location;
}

interface FileEntry {
  resources: IndexedResource[];
  references: IndexedReference[];
  /**
   * What other files can see of this one (names, summaries, references), one string per document, to skip no-op
   * refreshes. Kept as the documents' own memoized strings rather than joined: a big file would otherwise make a
   * string of hundreds of kilobytes on every keystroke, and unchanged documents compare by identity.
   */
  keys: string[];
  /** Every kind in the file, Tekton or not (a simulation also needs the workspace's v1 Secrets). */
  kinds: Set<string>;
  /** The parsed file, kept when it holds a kind of `retainKinds`: features that read whole files reuse this parse. */
  doc?: TektonDocument;
  /** Unique per indexing of the file: equal revisions, same text (workspace diagnostics reuse results by it). */
  revision: number;
  /** Length of the text in UTF-16 units (a close enough measure of bytes for the workspace size limit). */
  length: number;
}

/** One indexed file: its uri, its revision (changes whenever it is re-indexed) and its text length. */
export interface IndexedFile {
  uri: string;
  revision: number;
  length: number;
  /** By-name references its documents make (taskRef, bindings...): what ties its problems to other files. */
  references: number;
  /** Every kind in the file. */
  kinds: readonly string[];
}

/** What one document contributes to the index, offsets relative to its chunk. */
interface DocumentFacts {
  references: ResourceReference[];
  resource?: Omit<IndexedResource, 'uri' | 'nameLocation'> & { nameStart: number; nameEnd: number };
  key: string;
}

/** Computes the kind-specific facts kept for a resource (the kinds layer plugs in here). */
export type Summarizer = (resource: YamlResource) => unknown;

/** How many files are read at once during the crawl. */
const CRAWL_CONCURRENCY = 16;

/**
 * Every Tekton resource in the workspace folders and every by-name reference between them. The first crawl starts
 * lazily (never during initialize), reads files with bounded concurrency and can be cancelled; open documents update
 * their entry on each version, files on disk on watcher events.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, FileEntry>();
  /** Resources by `kind/name`; dropped whenever a file's entry changes. */
  private byName: Map<string, IndexedResource[]> | undefined;
  private crawl: Promise<void> | undefined;
  private readonly listeners: (() => void)[] = [];
  private cancelled = false;
  private revisions = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly summarize: Summarizer = () => undefined,
    /**
     * Files holding one of these kinds keep their parse (see `document`); others keep only their facts. `'all'`: every
     * file does (a one-shot command that checks every file it indexed).
     */
    private readonly retainKinds: ReadonlySet<string> | 'all' = new Set(),
  ) {}

  /** Starts (once) and awaits the crawl of the workspace folders. */
  ready(): Promise<void> {
    this.crawl ??= this.crawlAll();
    return this.crawl;
  }

  /** True once the first crawl finished. */
  isReady = false;

  /** Stops a running crawl (server shutdown). */
  cancel(): void {
    this.cancelled = true;
  }

  /** Counts the changes that may alter cross-file results: equal generations, equal cross-file answers. */
  generation = 0;

  /** Called after the crawl and after each change that may alter cross-file results. */
  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private async crawlAll(): Promise<void> {
    const uris = await this.workspace.findYamlFiles(() => this.cancelled);
    let next = 0;
    const worker = async () => {
      while (next < uris.length && !this.cancelled) {
        const uri = uris[next++];
        if (this.files.has(uri)) continue; // an open document indexed meanwhile is newer
        const text = await this.workspace.readFile(uri);
        if (text !== undefined && !this.files.has(uri)) this.setEntry(uri, new TektonDocument(uri, 0, text));
      }
    };
    await Promise.all(Array.from({ length: CRAWL_CONCURRENCY }, worker));
    this.isReady = true;
    this.fire();
  }

  /** Re-indexes a document from its parsed model (open editors: every version). */
  update(doc: TektonDocument, open = true): void {
    const before = this.files.get(doc.uri);
    this.setEntry(doc.uri, doc, open);
    if (!sameEntry(before, this.files.get(doc.uri))) this.fire();
  }

  /** Re-reads a file from disk (watcher events, or a document closed without saving). */
  async refresh(uri: string): Promise<void> {
    const text = await this.workspace.readFile(uri);
    if (text === undefined) this.remove(uri);
    else this.update(new TektonDocument(uri, 0, text), false);
  }

  remove(uri: string): void {
    if (this.files.delete(uri)) {
      this.byName = undefined;
      this.fire();
    }
  }

  /** Resources of a kind with a name (same-namespace matching is the caller's choice). */
  find(kind: string, name: string): IndexedResource[] {
    // Cross-file checks look up every reference of a document on each keystroke: a map, rebuilt after changes,
    // keeps that independent of the workspace's size.
    if (!this.byName) {
      this.byName = new Map();
      for (const entry of this.files.values())
        for (const r of entry.resources) {
          const key = `${r.kind}/${r.name}`;
          const list = this.byName.get(key);
          if (list) list.push(r);
          else this.byName.set(key, [r]);
        }
    }
    return this.byName.get(`${kind}/${name}`) ?? [];
  }

  /** All resources, optionally of one kind. */
  all(kind?: string): IndexedResource[] {
    const out: IndexedResource[] = [];
    for (const entry of this.files.values()) for (const r of entry.resources) if (!kind || r.kind === kind) out.push(r);
    return out;
  }

  /** All references to a kind and name across the workspace. */
  references(kind: ReferencedKind, name: string): IndexedReference[] {
    const out: IndexedReference[] = [];
    for (const entry of this.files.values())
      for (const r of entry.references) if (r.kind === kind && r.name === name) out.push(r);
    return out;
  }

  /** Files holding a document of one of these kinds. */
  filesWithKinds(kinds: readonly string[]): string[] {
    const out: string[] = [];
    for (const [uri, entry] of this.files) if (kinds.some((k) => entry.kinds.has(k))) out.push(uri);
    return out;
  }

  /** The parsed file as last indexed, for files `retainKinds` selects. */
  document(uri: string): TektonDocument | undefined {
    return this.files.get(uri)?.doc;
  }

  /** Distinct resource names of the given kinds, for completion. */
  names(kinds: readonly string[]): Map<string, IndexedResource> {
    const out = new Map<string, IndexedResource>();
    for (const entry of this.files.values())
      for (const r of entry.resources) if (kinds.includes(r.kind) && !out.has(r.name)) out.set(r.name, r);
    return out;
  }

  /** Every indexed file, with what tells whether it changed since it was last seen. */
  indexedFiles(): IndexedFile[] {
    const out: IndexedFile[] = [];
    for (const [uri, e] of this.files)
      out.push({ uri, revision: e.revision, length: e.length, references: e.references.length, kinds: [...e.kinds] });
    return out;
  }

  /** Number of indexed files and resources, and the total length of their texts. */
  get size(): { files: number; resources: number; length: number } {
    let resources = 0;
    let length = 0;
    for (const e of this.files.values()) {
      resources += e.resources.length;
      length += e.length;
    }
    return { files: this.files.size, resources, length };
  }

  /** `lazy`: open documents stay in memory anyway, so their positions are computed on demand from them. */
  private setEntry(uri: string, doc: TektonDocument, lazy = false): void {
    const locate = lazy ? lazyLocation : eagerLocation;
    const entry: FileEntry = {
      resources: [],
      references: [],
      keys: [],
      kinds: new Set(),
      revision: ++this.revisions,
      length: doc.text.length,
    };
    const keys = entry.keys;
    for (const { resource, base } of doc.resources()) {
      if (resource.kind) entry.kinds.add(resource.kind);
      if (!resource.isTekton || !resource.kind) continue;
      // What a document contributes is computed once per document text; per version only offsets move.
      const facts = resource.memo('indexFacts', () => this.factsOf(resource));
      keys.push(facts.key);
      for (const ref of facts.references) entry.references.push({ ...ref, location: locate(doc, ref.start + base, ref.end + base) });
      if (facts.resource)
        entry.resources.push({
          ...facts.resource,
          uri,
          nameLocation: locate(doc, base + facts.resource.nameStart, base + facts.resource.nameEnd),
        });
    }
    const retain = this.retainKinds;
    if (retain === 'all' || [...entry.kinds].some((kind) => retain.has(kind))) entry.doc = doc;
    this.files.set(uri, entry);
    this.byName = undefined;
  }

  private factsOf(resource: YamlResource): DocumentFacts {
    const references = extractReferences(resource);
    const nameNode = nodeAtPath(resource.root, ['metadata', 'name']);
    const namespace = nodeAtPath(resource.root, ['metadata', 'namespace']);
    const named = isScalar(nameNode) && nameNode.value !== null && nameNode.range;
    const facts: DocumentFacts = {
      references,
      resource: named
        ? {
            apiVersion: resource.apiVersion ?? '',
            kind: resource.kind!,
            name: String(nameNode.value),
            namespace: isScalar(namespace) && namespace.value !== null ? String(namespace.value) : undefined,
            nameStart: nameNode.range![0],
            nameEnd: nameNode.range![1],
            summary: this.summarize(resource),
          }
        : undefined,
      key: '',
    };
    const r = facts.resource;
    facts.key = JSON.stringify([r?.kind, r?.name, r?.namespace, r?.summary, references.map((x) => [x.kind, x.name])], significant);
    return facts;
  }

  private fire(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }
}

/**
 * Leaves out of the change key what no cross-file check depends on: offsets (they move with every edit above) and
 * descriptions (hover text). Typing in a description then does not make the editor re-pull every open document.
 */
function significant(key: string, value: unknown): unknown {
  return INSIGNIFICANT.has(key) ? undefined : value;
}
const INSIGNIFICANT = new Set(['description', 'start', 'end', 'range', 'loc', 'source', 'offset', 'nameStart', 'nameEnd']);

/** Whether two entries declare the same resources and references (offsets aside): no need to refresh others. */
function sameEntry(a: FileEntry | undefined, b: FileEntry | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) if (a.keys[i] !== b.keys[i]) return false;
  return true;
}

/** A location with its positions computed now, so the document can be dropped. */
function eagerLocation(doc: TektonDocument, start: number, end: number): Location {
  return { uri: doc.uri, start, end, startPosition: doc.positionAt(start), endPosition: doc.positionAt(end) };
}

/**
 * A location whose line/character positions are computed when first read: on each keystroke in a big file the index
 * is rebuilt, and most locations are never asked for.
 */
function lazyLocation(doc: TektonDocument, start: number, end: number): Location {
  let positions: { start: Position; end: Position } | undefined;
  const get = () => (positions ??= { start: doc.positionAt(start), end: doc.positionAt(end) });
  return {
    uri: doc.uri,
    start,
    end,
    get startPosition() {
      return get().start;
    },
    get endPosition() {
      return get().end;
    },
  };
}
