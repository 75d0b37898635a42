import {
  Connection,
  Diagnostic,
  DiagnosticServerCancellationData,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  ResponseError,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatError, invalidParams, runSafe } from './runner';

/** Computes the diagnostics of a document at its current version. */
export type Validator = (doc: TextDocument) => Diagnostic[];

/** Lets the rest of the server ask for diagnostics to be recomputed (settings changed, say). */
export interface DiagnosticsSupport {
  requestRefresh(): void;
  dispose(): void;
}

/**
 * Pull diagnostics: the client asks when it needs them, so nothing is computed for hidden editors and there is no
 * debounce to wait for.
 */
export function registerDiagnosticsPullSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  validate: Validator,
): DiagnosticsSupport {
  connection.languages.diagnostics.on((params, token) =>
    (invalidParams(params) as ResponseError<DiagnosticServerCancellationData> | undefined) ??
    runSafe<DocumentDiagnosticReport, DiagnosticServerCancellationData>(
      connection.console,
      () => {
        const doc = documents.get(params.textDocument.uri);
        return { kind: DocumentDiagnosticReportKind.Full, items: doc ? validate(doc) : [] };
      },
      { kind: DocumentDiagnosticReportKind.Full, items: [] },
      `Error computing diagnostics for ${params.textDocument.uri}`,
      token,
    ),
  );
  return {
    requestRefresh: () => void connection.languages.diagnostics.refresh(),
    dispose: () => undefined,
  };
}

/**
 * Push diagnostics for clients without pull support: immediately on open, debounced on change, and dropped when a
 * newer version arrived meanwhile (vscode json-language-features `validation.ts`).
 */
export function registerDiagnosticsPushSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  validate: Validator,
  debounceMs = 150,
): DiagnosticsSupport {
  const pending = new Map<string, NodeJS.Timeout>();
  const send = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    try {
      const diagnostics = validate(doc);
      const latest = documents.get(uri);
      if (latest && latest.version === version) void connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      connection.console.error(formatError(`Error validating ${uri}`, err));
    }
  };
  const schedule = (uri: string, delay: number) => {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => { pending.delete(uri); send(uri); }, delay));
  };
  // TextDocuments fires onDidChangeContent right after onDidOpen: the first one must not be debounced.
  const justOpened = new Set<string>();
  const disposables = [
    documents.onDidOpen((e) => {
      justOpened.add(e.document.uri);
      schedule(e.document.uri, 0);
    }),
    documents.onDidChangeContent((e) => schedule(e.document.uri, justOpened.delete(e.document.uri) ? 0 : debounceMs)),
    documents.onDidClose((e) => {
      clearTimeout(pending.get(e.document.uri));
      pending.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    }),
  ];
  return {
    requestRefresh: () => documents.all().forEach((d) => schedule(d.uri, 0)),
    dispose: () => {
      disposables.forEach((d) => d.dispose());
      pending.forEach((t) => clearTimeout(t));
    },
  };
}
