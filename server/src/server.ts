import {
  Connection,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbol,
  toFoldingRange,
  toHover,
} from './handlers/convert';
import {
  DiagnosticsSupport,
  registerDiagnosticsPullSupport,
  registerDiagnosticsPushSupport,
} from './handlers/diagnostics';
import { DEFAULT_SETTINGS, InitializationOptions, Settings, StatusNotification } from './protocol';
import { TektonDocument } from './document/tektonDocument';
import { DocumentCache, getLanguageService } from './services/languageService';
import { runSafe } from './util/runner';

/**
 * Wires the language service to an LSP connection. Free of Node-only APIs beyond the connection itself, so a browser
 * entry can reuse it.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new DocumentCache(DEFAULT_SETTINGS.maxFileSize);
  const service = getLanguageService();
  let init: InitializationOptions = {};
  let hasConfiguration = false;
  let diagnostics: DiagnosticsSupport | undefined;
  const settingsCache = new Map<string, Promise<Settings>>();

  const model = (doc: TextDocument): TektonDocument => cache.get(doc.uri, doc.version, () => doc.getText());

  const getSettings = (uri: string): Promise<Settings> => {
    if (!hasConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'tekton' })
        .then((c: Partial<Settings> | null) => ({ ...DEFAULT_SETTINGS, ...(c ?? {}) }))
        .catch(() => DEFAULT_SETTINGS);
      settingsCache.set(uri, s);
    }
    return s;
  };
  // Settings arrive asynchronously; validation reads the last known value so it stays synchronous and cancellable.
  const knownSettings = new Map<string, Settings>();
  const settingsFor = (uri: string): Settings => {
    void getSettings(uri).then((s) => {
      const before = knownSettings.get(uri);
      knownSettings.set(uri, s);
      if (before && JSON.stringify(before) !== JSON.stringify(s)) diagnostics?.requestRefresh();
    });
    return knownSettings.get(uri) ?? DEFAULT_SETTINGS;
  };

  const validate = (textDoc: TextDocument) => {
    const settings = settingsFor(textDoc.uri);
    if (!settings.validate.enable) return [];
    cache.setMaxFileSize(settings.maxFileSize);
    const started = Date.now();
    const doc = model(textDoc);
    const problems = service.doValidation(doc, {
      syntax: !init.yamlExtensionPresent,
      maxProblems: settings.maxItemsComputed,
    });
    const kinds = new Set<string>();
    for (const { resource } of doc.resources())
      if (resource.isTekton) kinds.add(`${resource.apiVersion}/${resource.kind}`);
    if (kinds.size) {
      const params: StatusNotification.Params = {
        uri: textDoc.uri,
        state: problems.some((p) => p.severity === 'error') ? 'error' : 'ok',
        kinds: [...kinds],
        validationTime: Date.now() - started,
        message: doc.skippedReason,
      };
      void connection.sendNotification(StatusNotification.method, params);
    }
    return problems.map((p) => toDiagnostic(doc, p));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    init = (params.initializationOptions ?? {}) as InitializationOptions;
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    const pull = !!params.capabilities.textDocument?.diagnostic;
    diagnostics = pull
      ? registerDiagnosticsPullSupport(documents, connection, validate)
      : registerDiagnosticsPushSupport(documents, connection, validate);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        diagnosticProvider: pull ? { interFileDependencies: false, workspaceDiagnostics: false } : undefined,
      },
      serverInfo: { name: 'tekton-ls', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    diagnostics?.requestRefresh();
  });

  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    knownSettings.delete(e.document.uri);
  });

  connection.onCompletion((params, token) =>
    runSafe(
      connection.console,
      () => {
        const textDoc = documents.get(params.textDocument.uri);
        if (!textDoc) return null;
        const doc = model(textDoc);
        const items = service.doComplete(doc, doc.offsetAt(params.position)).map((c) => toCompletionItem(doc, c));
        return { isIncomplete: false, items };
      },
      null,
      `Error computing completion for ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onHover((params, token) =>
    runSafe(
      connection.console,
      () => {
        const textDoc = documents.get(params.textDocument.uri);
        if (!textDoc) return null;
        const doc = model(textDoc);
        const hover = service.doHover(doc, doc.offsetAt(params.position));
        return hover ? toHover(doc, hover) : null;
      },
      null,
      `Error computing hover for ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(
      connection.console,
      () => {
        const textDoc = documents.get(params.textDocument.uri);
        if (!textDoc) return [];
        const doc = model(textDoc);
        const max = knownSettings.get(textDoc.uri)?.maxItemsComputed ?? DEFAULT_SETTINGS.maxItemsComputed;
        return service.findDocumentSymbols(doc, max).map((s) => toDocumentSymbol(doc, s));
      },
      [],
      `Error computing symbols for ${params.textDocument.uri}`,
      token,
    ),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(
      connection.console,
      () => {
        const textDoc = documents.get(params.textDocument.uri);
        if (!textDoc) return [];
        const max = knownSettings.get(textDoc.uri)?.maxItemsComputed ?? DEFAULT_SETTINGS.maxItemsComputed;
        return service.getFoldingRanges(model(textDoc), max).map(toFoldingRange);
      },
      [],
      `Error computing folding ranges for ${params.textDocument.uri}`,
      token,
    ),
  );

  documents.listen(connection);
  connection.listen();
}
