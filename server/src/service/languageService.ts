import { TektonDocument } from '../document/tektonDocument';
import { SchemaStore } from '../schema/schemaStore';
import { CompletionProposal, doComplete } from './completion';
import { FoldingRangeInfo, getFoldingRanges } from './folding';
import { doHover, HoverResult } from './hover';
import { Problem } from '../document/problem';
import { findDocumentSymbols, SymbolInfo } from './symbols';
import { doValidation, ValidationOptions } from './validation';

/**
 * The language knowledge behind the server and the CLI, free of LSP: every method takes a parsed `TektonDocument` and
 * file offsets, and never throws on user input.
 */
export interface LanguageService {
  doValidation(doc: TektonDocument, options?: ValidationOptions): Problem[];
  doComplete(doc: TektonDocument, offset: number): CompletionProposal[];
  doHover(doc: TektonDocument, offset: number): HoverResult | undefined;
  findDocumentSymbols(doc: TektonDocument, maxItems?: number): SymbolInfo[];
  getFoldingRanges(doc: TektonDocument, maxItems?: number): FoldingRangeInfo[];
}

/** Creates the service over a schema store (shared: schemas are loaded lazily, once). */
export function getLanguageService(store: SchemaStore = new SchemaStore()): LanguageService {
  return {
    doValidation: (doc, options) => doValidation(doc, store, options),
    doComplete: (doc, offset) => doComplete(doc, offset, store),
    doHover: (doc, offset) => doHover(doc, offset, store),
    findDocumentSymbols: (doc, maxItems) => findDocumentSymbols(doc, maxItems),
    getFoldingRanges: (doc, maxItems) => getFoldingRanges(doc, maxItems),
  };
}

/**
 * Keeps one `TektonDocument` per open file and version. A new version is built from the previous one, so unchanged
 * `---` documents keep their parse and cached results.
 */
export class DocumentCache {
  private readonly docs = new Map<string, TektonDocument>();

  constructor(private maxFileSize?: number) {}

  /** The model currently held for a uri, whatever its version. */
  peek(uri: string): TektonDocument | undefined {
    return this.docs.get(uri);
  }

  /** The model for this exact version, parsed on first use. */
  get(uri: string, version: number, getText: () => string): TektonDocument {
    const current = this.docs.get(uri);
    if (current && current.version === version) return current;
    const doc = new TektonDocument(uri, version, getText(), current, this.maxFileSize);
    this.docs.set(uri, doc);
    return doc;
  }

  delete(uri: string): void {
    this.docs.delete(uri);
  }

  setMaxFileSize(bytes: number): void {
    if (bytes !== this.maxFileSize) {
      this.maxFileSize = bytes;
      this.docs.clear();
    }
  }
}
