import {
  CancellationToken,
  Connection,
  FileChangeType,
  InitializeParams,
  InitializeResult,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  contentId,
  toCodeAction,
  toCodeLens,
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbol,
  toFoldingRange,
  toHover,
  toLocation,
  toRange,
  toWorkspaceEdit,
} from './lsp/convert';
import { serverCapabilities } from './lsp/capabilities';
import { DiagnosticsSupport, registerDiagnosticsPullSupport, registerDiagnosticsPushSupport, type Validation } from './lsp/diagnostics';
import { invalidParams, runSafeAsync } from './lsp/runner';
import { DocumentSettings } from './lsp/settings';
import { registerWorkspaceDiagnostics, type WorkspaceDiagnosticsHost } from './lsp/workspaceDiagnostics';
import {
  EvaluateCelRequest,
  GraphRequest,
  InitializationOptions,
  SetSampleNotification,
  SimulateRequest,
  PacMatchRequest,
  StatusNotification,
} from './protocol';
import { TektonDocument } from './document/tektonDocument';
import { DEFAULT_MAX_FILE_SIZE } from './document/limits';
import { DocumentCache, LanguageService } from './service/languageService';
import { mayHaveCrossFileProblems } from './service/crossFile';
import { FileSystemWorkspace } from './workspace/workspace';

/**
 * Registers the LSP adapters of the language service on a connection: each handler finds the document's model and
 * turns the service's offsets into LSP types. Free of Node-only APIs beyond the connection, so a browser entry can
 * reuse it.
 */

/**
 * Past this, a validation answers with the documents it reached (validation.ts budgetMs): every request queues behind
 * a validation, so one pathological file must not hold the server for longer. Checked documents are memoized, so the
 * next edit goes on from there.
 */
const VALIDATION_BUDGET_MS = 1500;

/** The version in serverInfo and the start line (package.json's; the bundle carries no package.json). */
const SERVER_VERSION = '0.1.0';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new DocumentCache(DEFAULT_MAX_FILE_SIZE);
  const openDocument = (uri: string) => {
    const open = documents.get(uri);
    return open && model(open);
  };
  let service = new LanguageService({ openDocument });
  let workspace = new FileSystemWorkspace([]);
  let init: InitializationOptions = {};
  let diagnostics: DiagnosticsSupport | undefined;
  let folders: string[] = [];
  /** The client applies snippet edits (fixes then leave the cursor in the value they insert). */
  let snippetEdits = false;
  /** Bumped when settings change: diagnostics computed before are stale. */
  let settingsGeneration = 0;
  const settings = new DocumentSettings(connection, () => {
    settingsGeneration++;
    diagnostics?.requestRefresh();
  });

  /** The model of an open document's current version; a new version also updates the workspace index. */
  const model = (doc: TextDocument): TektonDocument => {
    const before = cache.peek(doc.uri);
    const current = cache.get(doc.uri, doc.version, () => doc.getText());
    if (current !== before) service.index.update(current);
    return current;
  };

  /**
   * The last diagnostics of each open document, reused while nothing they depend on changed (`key`: version, index
   * and settings generations).
   */
  const validated = new Map<string, { key: string; result: Validation }>();

  const validate = (textDoc: TextDocument): Validation => {
    const s = settings.of(textDoc.uri);
    if (!s.validate.enable) return { diagnostics: [], resultId: contentId([]) };
    cache.setMaxFileSize(s.maxFileSize);
    const started = Date.now();
    const doc = model(textDoc);
    // after model(): indexing this version may itself have moved the index on
    const key = `${textDoc.version}:${service.index.generation}:${settingsGeneration}`;
    const known = validated.get(textDoc.uri);
    if (known?.key === key) return known.result;
    const problems = service.doValidation(doc, { syntax: !init.yamlExtensionPresent, maxProblems: s.maxItemsComputed, budgetMs: VALIDATION_BUDGET_MS });
    const kinds = new Set<string>();
    for (const { resource } of doc.resources()) if (resource.isTekton) kinds.add(`${resource.apiVersion}/${resource.kind}`);
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
    const diagnostics = problems.map((p) => toDiagnostic(doc, p));
    const result = { diagnostics, resultId: contentId(diagnostics) };
    validated.set(textDoc.uri, { key, result });
    return result;
  };

  /** Closed files are validated as the document pull validates open ones, with the settings of their folder. */
  const workspaceDiagnosticsHost = (): WorkspaceDiagnosticsHost => ({
    get index() {
      return service.index;
    },
    isOpen: (uri) => !!documents.get(uri),
    enabled: async () => {
      if (!folders.length) return false;
      const s = await settings.current(folders[0]);
      return s.validate.enable && s.diagnostics?.workspace !== false;
    },
    settingsGeneration: () => settingsGeneration,
    dependsOnOtherFiles: mayHaveCrossFileProblems,
    parse: async (uri) => {
      const kept = service.index.document(uri);
      if (kept) return kept;
      const text = await workspace.readFile(uri);
      return text === undefined ? undefined : new TektonDocument(uri, 0, text, undefined, settings.peek(folders[0] ?? uri).maxFileSize);
    },
    validate: (doc) => {
      const s = settings.peek(folders[0] ?? doc.uri);
      return service.doValidation(doc, { syntax: !init.yamlExtensionPresent, maxProblems: s.maxItemsComputed });
    },
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    init = (params.initializationOptions ?? {}) as InitializationOptions;
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    service.dispose();
    workspace = new FileSystemWorkspace(folders, (uri) => documents.get(uri)?.getText());
    service = new LanguageService({ workspace, openDocument });
    let refreshTimer: NodeJS.Timeout | undefined;
    service.index.onDidChange(() => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => diagnostics?.requestRefresh(), 200);
    });
    settings.enabled = !!params.capabilities.workspace?.configuration;
    const pull = !!params.capabilities.textDocument?.diagnostic;
    snippetEdits = !!params.capabilities.workspace?.workspaceEdit?.snippetEditSupport;
    diagnostics = pull
      ? registerDiagnosticsPullSupport(documents, connection, validate)
      : registerDiagnosticsPushSupport(documents, connection, validate);
    // push clients get no workspace diagnostics (see registerWorkspaceDiagnostics)
    if (pull) registerWorkspaceDiagnostics(connection, workspaceDiagnosticsHost());
    connection.console.info(
      `tekton-ls ${SERVER_VERSION} started (Node ${process.version}, pid ${process.pid}, ${pull ? 'pull' : 'push'} diagnostics, ${folders.length} workspace folder(s))`,
    );
    return { capabilities: serverCapabilities(pull), serverInfo: { name: 'tekton-ls', version: SERVER_VERSION } };
  });

  // The workspace crawl starts after initialize has been answered, in the background.
  connection.onInitialized(async () => {
    workspace.exclude = await settings.exclude();
    const started = Date.now();
    void service.index
      .ready()
      .then(() => {
        const { files, resources } = service.index.size;
        connection.console.info(`Workspace indexed in ${Date.now() - started} ms: ${files} YAML file(s), ${resources} resource(s)`);
      })
      .catch((err) => connection.console.error(`Workspace indexing failed: ${String(err)}`));
  });
  connection.onShutdown(() => service.dispose());

  connection.onNotification(SetSampleNotification.method, (params: SetSampleNotification.Params) => {
    service.setSample(params.sample ?? undefined);
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri)) continue; // the open document is newer than the disk
      if (change.type === FileChangeType.Deleted) service.index.remove(change.uri);
      else void service.index.refresh(change.uri);
    }
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    settingsGeneration++;
    diagnostics?.requestRefresh();
  });

  // Index a document as it opens: a simulation or a cross-file feature asked before its first validation would
  // otherwise see the file as on disk (or not at all). Edits are indexed lazily, by whatever reads the version first.
  documents.onDidOpen((e) => model(e.document));

  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    validated.delete(e.document.uri);
    // back to the saved content; files outside the workspace folders leave the index with their editor
    if (folders.some((f) => e.document.uri.startsWith(f.endsWith('/') ? f : `${f}/`))) void service.index.refresh(e.document.uri);
    else service.index.remove(e.document.uri);
    settings.delete(e.document.uri);
  });

  /**
   * A request about a document: run safely (errors logged, cancellation honoured) on the model of the open
   * document's current version; `fallback` when the document is not open.
   */
  const onDocument =
    <P extends { textDocument: { uri: string } }, R>(what: string, fallback: R, fn: (doc: TektonDocument, params: P) => R | Promise<R>, required: string[] = []) =>
    (params: P, token: CancellationToken) =>
      invalidParams(params, required) ??
      runSafeAsync(
        connection.console,
        async () => {
          const textDoc = documents.get(params.textDocument.uri);
          return textDoc ? fn(model(textDoc), params) : fallback;
        },
        fallback,
        `Error ${what} for ${params.textDocument.uri}`,
        token,
      );
  /** The same for the custom requests, which name their document by `uri`. */
  const onUri =
    <P extends { uri: string; position?: { line: number; character: number } }, R>(what: string, fallback: R, fn: (doc: TektonDocument, offset: number | undefined, params: P) => Promise<R>) =>
    (params: P, token: CancellationToken) =>
      invalidParams(params) ??
      runSafeAsync<R>(
        connection.console,
        async () => {
          const textDoc = documents.get(params.uri);
          if (!textDoc) return { ...fallback, error: 'the document is not open' };
          const doc = model(textDoc);
          return fn(doc, params.position ? doc.offsetAt(params.position) : undefined, params);
        },
        fallback,
        `Error ${what} in ${params.uri}`,
        token,
      );
  const maxItems = (uri: string) => settings.peek(uri).maxItemsComputed;

  connection.onRequest(
    SimulateRequest.method,
    onUri<SimulateRequest.Params, SimulateRequest.Result>('simulating', { error: 'simulation failed (see the Tekton output channel)' }, async (doc, offset, params) => {
      const started = Date.now();
      const r = await service.simulate(doc, offset ?? 0, params);
      // what ran and how it ended; never the event's content or a secret
      const what = r.target ? `${r.target.kind} ${r.target.name}` : relativeName(doc.uri);
      const outcome = r.error
        ? `not run (${r.error.split('\n')[0]})`
        : `${r.result?.fired ?? 0} of ${r.result?.triggers.length ?? 0} trigger(s) fired`;
      connection.console.info(`Simulated "${params.sample?.label ?? 'sample'}" on ${what}: ${outcome} in ${Date.now() - started} ms`);
      return r;
    }),
  );
  connection.onRequest(
    PacMatchRequest.method,
    onUri<PacMatchRequest.Params, PacMatchRequest.Result>('matching Pipelines-as-Code runs', { error: 'matching failed (see the Tekton output channel)', matched: [], skipped: [] }, (doc, _offset, params) =>
      service.pacMatch(doc, params),
    ),
  );
  connection.onRequest(
    EvaluateCelRequest.method,
    onUri<EvaluateCelRequest.Params, EvaluateCelRequest.Result>('evaluating CEL', { ok: false, error: 'evaluation failed (see the Tekton output channel)' }, async (doc, offset, params) => {
      const r = await service.evaluateCel(doc, offset, params.expression);
      const at = params.position ? `${relativeName(doc.uri)}:${params.position.line + 1}` : relativeName(doc.uri);
      connection.console.info(`Evaluated CEL at ${at}: ${r.ok ? `${r.type} in ${r.elapsedMs} ms` : 'error'}`);
      return r;
    }),
  );
  connection.onRequest(GraphRequest.method, (params: GraphRequest.Params, token: CancellationToken) =>
    invalidParams(params) ??
    runSafeAsync<GraphRequest.Result>(
      connection.console,
      async () => {
        // A live run from the cluster comes as text; anything else must be open, at its current version.
        const open = documents.get(params.uri);
        const doc = typeof params.text === 'string' ? new TektonDocument(params.uri, 0, params.text) : open && model(open);
        if (!doc) return { error: 'the document is not open' };
        const offset = params.position ? doc.offsetAt(params.position) : undefined;
        return service.graphRequest(doc, offset, typeof params.name === 'string' ? params.name : undefined, params.layout === true);
      },
      { error: 'the graph could not be computed (see the Tekton output channel)' },
      `Error computing the graph of ${params.uri}`,
      token,
    ),
  );

  connection.onCodeLens(
    onDocument('computing code lenses', [], async (doc) => (await service.getCodeLenses(doc)).map((l) => toCodeLens(doc, l))),
  );
  connection.onCodeAction(
    onDocument('computing code actions', [], (doc, params) =>
      service
        .getCodeActions(doc, doc.offsetAt(params.range.start), doc.offsetAt(params.range.end))
        .map((a) => toCodeAction(doc, a, snippetEdits)),
    ['range']),
  );
  connection.onCompletion(
    onDocument('computing completion', null, (doc, params) => ({
      isIncomplete: false,
      items: service.doComplete(doc, doc.offsetAt(params.position)).map((c) => toCompletionItem(doc, c)),
    }), ['position']),
  );
  connection.onHover(
    onDocument('computing hover', null, (doc, params) => {
      const hover = service.doHover(doc, doc.offsetAt(params.position));
      return hover ? toHover(doc, hover) : null;
    }, ['position']),
  );
  connection.onDocumentSymbol(
    onDocument('computing symbols', [], (doc, params) =>
      service.findDocumentSymbols(doc, maxItems(params.textDocument.uri)).map((sym) => toDocumentSymbol(doc, sym)),
    ),
  );
  connection.onFoldingRanges(
    onDocument('computing folding ranges', [], (doc, params) =>
      service.getFoldingRanges(doc, maxItems(params.textDocument.uri)).map(toFoldingRange),
    ),
  );
  connection.onDefinition(
    onDocument('finding the definition', [], async (doc, params) =>
      (await service.findDefinition(doc, doc.offsetAt(params.position))).map(toLocation),
    ['position']),
  );
  connection.onReferences(
    onDocument('finding references', [], async (doc, params) =>
      (await service.findReferences(doc, doc.offsetAt(params.position), params.context.includeDeclaration)).map(toLocation),
    ['position', 'context']),
  );
  connection.onPrepareRename(
    onDocument('preparing rename', null, (doc, params) => {
      const target = service.prepareRename(doc, doc.offsetAt(params.position));
      return target ? { range: toRange(doc, target.start, target.end), placeholder: target.placeholder } : null;
    }, ['position']),
  );
  connection.onRenameRequest(
    onDocument('renaming', null, async (doc, params) => {
      const edits = await service.doRename(doc, doc.offsetAt(params.position), params.newName);
      return edits ? toWorkspaceEdit(edits) : null;
    }, ['position', 'newName']),
  );

  documents.listen(connection);
  connection.listen();
}

/** The last path segment of a URI, for log lines that should not spell out a user's folders. */
function relativeName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
