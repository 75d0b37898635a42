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
import { performance } from 'node:perf_hooks';
import { formatError, invalidParams, runSafe } from './runner';

/** The diagnostics of a document at its current version, and an id that is equal only for equal diagnostics. */
export interface Validation {
  diagnostics: Diagnostic[];
  /** Equal exactly for equal diagnostics (a content hash), whatever version or index state produced them. */
  resultId: string;
}

/** Computes (or reuses) the diagnostics of a document at its current version. */
export type Validator = (doc: TextDocument) => Validation;

/** Lets the rest of the server ask for diagnostics to be recomputed (settings changed, say). */
export interface DiagnosticsSupport {
  requestRefresh(): void;
  dispose(): void;
}

/**
 * Pull diagnostics: the client asks when it needs them, so nothing is computed for hidden editors and there is no
 * debounce to wait for. A re-pull of a result the client already has (same result id: same version, same index and
 * settings) is answered `unchanged`, without sending the diagnostics again.
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
        if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        const { diagnostics, resultId } = validate(doc);
        if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
        return { kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnostics };
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
 * Push diagnostics for clients without pull support (Neovim, Helix, Emacs). No fixed debounce: an edit after a quiet
 * moment is validated at once (on the next turn of the event loop, so that edits already received are applied first);
 * only while edits keep coming (within `burstMs` of the previous one) are they coalesced into one validation after the
 * pause. A result is sent only for the version it was computed for, and not again when nothing changed (a refresh
 * after another file's edit that does not concern this one).
 */
export function registerDiagnosticsPushSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  validate: Validator,
  burstMs = 100,
): DiagnosticsSupport {
  const pending = new Map<string, NodeJS.Timeout>();
  const lastEdit = new Map<string, number>();
  const sent = new Map<string, string>();
  const send = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    try {
      const { diagnostics, resultId } = validate(doc);
      const latest = documents.get(uri);
      if (!latest || latest.version !== version) return;
      const key = `${version}:${resultId}`;
      if (sent.get(uri) === key) return;
      sent.set(uri, key);
      void connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      connection.console.error(formatError(`Error validating ${uri}`, err));
    }
  };
  const schedule = (uri: string, delay: number) => {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => { pending.delete(uri); send(uri); }, delay));
  };
  const edited = (uri: string) => {
    const now = performance.now();
    const previous = lastEdit.get(uri);
    lastEdit.set(uri, now);
    // typing: the validation waits for the pause; otherwise (idle, or the first content) it runs at once
    const inBurst = previous !== undefined && now - previous < burstMs;
    schedule(uri, inBurst ? burstMs : 0);
  };
  const disposables = [
    documents.onDidChangeContent((e) => edited(e.document.uri)),
    documents.onDidClose((e) => {
      clearTimeout(pending.get(e.document.uri));
      pending.delete(e.document.uri);
      lastEdit.delete(e.document.uri);
      sent.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    }),
  ];
  return {
    requestRefresh: () => documents.all().forEach((d) => { if (!pending.has(d.uri)) schedule(d.uri, 0); }),
    dispose: () => {
      disposables.forEach((d) => d.dispose());
      pending.forEach((t) => clearTimeout(t));
    },
  };
}
