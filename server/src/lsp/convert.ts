import { createHash } from 'node:crypto';
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  DiagnosticSeverity,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InsertTextFormat,
  MarkupKind,
  Range,
  Location,
  SymbolKind,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { Lens } from '../engine';
import type { CodeActionInfo, FileEdit } from '../service/languageService';
import type { Location as ServiceLocation } from '../workspace/workspaceIndex';
import { TektonDocument } from '../document/tektonDocument';
import type { CompletionProposal, HoverResult } from '../document/proposals';
import { FoldingRangeInfo } from '../service/folding';
import { Problem, Severity } from '../document/problem';
import { SymbolInfo } from '../service/symbols';

/** Translations from service results (offsets) to LSP types (ranges): the only place ranges are made. */

export function toRange(doc: TektonDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(doc: TektonDocument, p: Problem): Diagnostic {
  return { range: toRange(doc, p.start, p.end), severity: SEVERITY[p.severity], code: p.code, source: p.source, message: p.message };
}

const COMPLETION_KIND: Record<CompletionProposal['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

const CEL_COMPLETION_KIND: Record<string, CompletionItemKind> = {
  field: CompletionItemKind.Field,
  method: CompletionItemKind.Method,
  function: CompletionItemKind.Function,
  macro: CompletionItemKind.Keyword,
  variable: CompletionItemKind.Variable,
  namespace: CompletionItemKind.Module,
  header: CompletionItemKind.Constant,
  value: CompletionItemKind.Value,
  keyword: CompletionItemKind.Keyword,
};

export function toCompletionItem(doc: TektonDocument, c: CompletionProposal & { celKind?: string; filterText?: string }): CompletionItem {
  return {
    label: c.label,
    kind: (c.celKind && CEL_COMPLETION_KIND[c.celKind]) || COMPLETION_KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    sortText: c.sortText,
    filterText: c.filterText ?? c.label,
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: toRange(doc, c.replaceStart, c.replaceEnd), newText: c.insertText },
  };
}

export function toHover(doc: TektonDocument, h: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(doc, h.start, h.end) };
}

const SYMBOL_KIND: Record<SymbolInfo['kind'], SymbolKind> = {
  resource: SymbolKind.Class,
  task: SymbolKind.Method,
  step: SymbolKind.Function,
  trigger: SymbolKind.Event,
  template: SymbolKind.Object,
  param: SymbolKind.Property,
  group: SymbolKind.Namespace,
};

export function toDocumentSymbol(doc: TektonDocument, s: SymbolInfo): DocumentSymbol {
  return {
    name: s.name || '(unnamed)',
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: toRange(doc, s.start, s.end),
    selectionRange: toRange(doc, s.selectionStart, s.selectionEnd),
    children: s.children.map((c) => toDocumentSymbol(doc, c)),
  };
}

export function toFoldingRange(f: FoldingRangeInfo): FoldingRange {
  return { startLine: f.startLine, endLine: f.endLine };
}

export function toLocation(l: ServiceLocation): Location {
  return { uri: l.uri, range: { start: l.startPosition, end: l.endPosition } };
}

/**
 * `snippetEdits`: the client takes snippet edits (LSP 3.18 `workspaceEdit.snippetEditSupport`, VS Code does): a fix
 * that inserts a value to fill in then leaves the cursor in it. Other editors get the plain text.
 */
export function toCodeAction(doc: TektonDocument, a: CodeActionInfo, snippetEdits = false): CodeAction {
  const action: CodeAction = {
    title: a.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toDiagnostic(doc, a.problem)],
    isPreferred: a.isPreferred,
  };
  if (snippetEdits && a.edits.some((e) => e.snippet !== undefined)) {
    const edits = a.edits.map((e) =>
      e.snippet === undefined
        ? { range: toRange(doc, e.start, e.end), newText: e.newText }
        : { range: toRange(doc, e.start, e.end), snippet: { kind: 'snippet' as const, value: e.snippet } },
    );
    action.edit = { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
  } else {
    const edits = a.edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText }));
    action.edit = { changes: { [doc.uri]: edits } };
  }
  return action;
}

export function toCodeLens(doc: TektonDocument, l: Lens): CodeLens {
  const command = { title: l.title, command: l.command, ...(l.tooltip ? { tooltip: l.tooltip } : {}), ...(l.arguments ? { arguments: l.arguments } : {}) };
  return { range: toRange(doc, l.start, l.end), command };
}

export function toWorkspaceEdit(edits: FileEdit[]): WorkspaceEdit {
  const changes: WorkspaceEdit['changes'] = {};
  for (const e of edits)
    (changes[e.location.uri] ??= []).push({ range: { start: e.location.startPosition, end: e.location.endPosition }, newText: e.newText });
  return { changes };
}

/**
 * The result id of a document's diagnostics: equal exactly for equal diagnostics. An edit or another file's change that
 * leaves them as they were is then answered `unchanged` to the client's re-pull: nothing is sent again and the
 * client's markers are not replaced.
 */
export function contentId(diagnostics: readonly Diagnostic[]): string {
  return createHash('sha1').update(JSON.stringify(diagnostics)).digest('base64url');
}
