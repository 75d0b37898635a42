import { CodeActionKind, ServerCapabilities, TextDocumentSyncKind } from 'vscode-languageserver';

/** What the server offers; `pull`: the client pulls diagnostics (else they are pushed). */
export function serverCapabilities(pull: boolean): ServerCapabilities {
  return {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    completionProvider: { triggerCharacters: [' ', ':', '.', '[', "'", '"', '('], resolveProvider: false },
    hoverProvider: true,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    codeLensProvider: { resolveProvider: false },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    diagnosticProvider: pull ? { interFileDependencies: true, workspaceDiagnostics: true } : undefined,
  };
}
