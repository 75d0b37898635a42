/**
 * What the language service answers for completion and hover, in offsets: adapters turn them into LSP items, and
 * every engine returns them, so the types sit on the ground floor.
 */

/** A completion proposal in service terms; the handler turns it into an LSP CompletionItem. */
export interface CompletionProposal {
  label: string;
  kind: 'property' | 'value' | 'snippet' | 'enum';
  detail?: string;
  documentation?: string;
  /** Text to insert; a snippet (`$1`, `${1:x}`) when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  /** File offsets of the text the proposal replaces. */
  replaceStart: number;
  replaceEnd: number;
  sortText?: string;
}

/** Hover contents in service terms: markdown and the file offsets it is about. */
export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}
