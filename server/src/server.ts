import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Connection,
  DocumentSymbolParams,
  FileChangeType,
  FoldingRangeParams,
  ReferenceParams,
  RenameParams,
  TextDocumentPositionParams,
  InitializeParams,
  InitializeResult,
  Location,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  toRange,
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbol,
  toFoldingRange,
  toHover,
} from './lsp/convert';
import {
  DiagnosticsSupport,
  registerDiagnosticsPullSupport,
  registerDiagnosticsPushSupport,
} from './lsp/diagnostics';
import {
  DEFAULT_SETTINGS,
  EvaluateCelRequest,
  InitializationOptions,
  SampleRequest,
  SetSampleNotification,
  Settings,
  SimulateRequest,
  StatusNotification,
} from './protocol';
import { CelEvaluator } from './cel/celEvaluator';
import { CelEvaluationService } from './service/celEvaluation';
import { doCelComplete, doCelHover } from './service/celFeatures';
import { readSecretsFile, sourceResourcesFromDocument } from './triggers/simulation/fileResources';
import type { LocalSecrets, SourceResource } from './triggers/simulation/types';
import { workerCelEvaluator } from './triggers/simulation/celAdapter';
import { simulate } from './triggers/simulation/simulate';
import { TektonDocument } from './document/tektonDocument';
import { DocumentCache, getLanguageService } from './service/languageService';
import { crossFileProblems, declarationsResolver, summarizeDeclarations } from './service/crossFile';
import { variableFeatures } from './pipelines/variables/features';
import { doTriggersComplete, doTriggersHover, indexResolver } from './triggers/rules';
import {
  findResourceDefinition,
  findResourceReferences,
  prepareResourceRename,
  renameResource,
  resourceNameCompletions,
} from './service/resourceNavigation';
import { runSafe, runSafeAsync } from './lsp/runner';
import { FileSystemWorkspace } from './workspace/workspace';
import { Location as IndexLocation, WorkspaceIndex } from './workspace/workspaceIndex';

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

  let workspaceFiles = new FileSystemWorkspace([]);
  let index = new WorkspaceIndex(workspaceFiles);
  let folders: string[] = [];
  const model = (doc: TextDocument): TektonDocument => {
    const before = cache.peek(doc.uri);
    const current = cache.get(doc.uri, doc.version, () => doc.getText());
    if (current !== before) index.update(current);
    return current;
  };
  const toLocation = (l: IndexLocation): Location => ({ uri: l.uri, range: { start: l.startPosition, end: l.endPosition } });

  // Inline CEL evaluation: the sample event the client picked, and a worker pool started on first use.
  let sample: SampleRequest | undefined;
  let parsedSample: { from: SampleRequest; body: unknown } | undefined;
  /** The sample's body as JSON (its fields complete after `body.`), parsed once per sample. */
  const samplePayload = (): unknown => {
    if (!sample) return undefined;
    if (parsedSample?.from !== sample) {
      let body: unknown;
      try {
        body = JSON.parse(sample.body);
      } catch {
        body = undefined;
      }
      parsedSample = { from: sample, body };
    }
    return parsedSample.body;
  };
  let celService: CelEvaluationService | undefined;
  const celEvaluation = () => (celService ??= new CelEvaluationService(new CelEvaluator({ timeoutMs: 1000, maxMemoryMb: 256 })));
  const TRIGGERS_KINDS = ['EventListener', 'Trigger', 'TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate', 'Interceptor', 'ClusterInterceptor', 'Secret'];
  /** The Triggers resources and Secrets of the workspace, parsed from open documents or disk, by file. */
  const triggersFiles = async (): Promise<Map<string, TektonDocument>> => {
    await index.ready();
    const out = new Map<string, TektonDocument>();
    for (const uri of index.filesWithKinds(TRIGGERS_KINDS)) {
      const open = documents.get(uri);
      const text = open ? open.getText() : await workspaceFiles.readFile(uri);
      if (text !== undefined) out.set(uri, open ? model(open) : new TektonDocument(uri, 0, text));
    }
    return out;
  };
  const triggersWorkspace = async (): Promise<SourceResource[]> =>
    [...(await triggersFiles()).values()].flatMap(sourceResourcesFromDocument);

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
    // Cross-file checks wait for the first crawl: before it, every name would look unknown.
    if (index.isReady && !doc.skippedReason) problems.push(...crossFileProblems(doc, index));
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
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFiles = new FileSystemWorkspace(folders, (uri) => documents.get(uri)?.getText());
    index = new WorkspaceIndex(workspaceFiles, summarizeDeclarations);
    let refreshTimer: NodeJS.Timeout | undefined;
    index.onDidChange(() => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => diagnostics?.requestRefresh(), 200);
    });
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    const pull = !!params.capabilities.textDocument?.diagnostic;
    diagnostics = pull
      ? registerDiagnosticsPullSupport(documents, connection, validate)
      : registerDiagnosticsPushSupport(documents, connection, validate);
    return {
      capabilities: {
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
        diagnosticProvider: pull ? { interFileDependencies: true, workspaceDiagnostics: false } : undefined,
      },
      serverInfo: { name: 'tekton-ls', version: '0.1.0' },
    };
  });

  // The workspace crawl starts after initialize has been answered, in the background.
  connection.onInitialized(() => {
    void index.ready().catch((err) => connection.console.error(`Workspace indexing failed: ${String(err)}`));
  });
  connection.onShutdown(() => {
    index.cancel();
    celService?.dispose();
  });

  connection.onNotification(SetSampleNotification.method, (params: SetSampleNotification.Params) => {
    sample = params.sample ?? undefined;
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  connection.onCodeLens((params, token) =>
    runSafeAsync(
      connection.console,
      async () => {
        const textDoc = documents.get(params.textDocument.uri);
        if (!textDoc) return [];
        const doc = model(textDoc);
        if (!doc.hasTekton) return [];
        if (!sample)
          return [
            ...simulateLenses(doc),
            ...celEvaluation().pickSampleLenses(doc).map((l) => ({
              range: toRange(doc, l.start, l.end),
              command: { title: l.title, command: 'tekton.selectSamplePayload' },
            })),
          ];
        const lenses = await celEvaluation().lenses(doc, sample, await triggersWorkspace());
        return [
          ...simulateLenses(doc),
          ...lenses.map((l) => ({ range: toRange(doc, l.start, l.end), command: { title: l.title, command: '' } })),
        ];
      },
      [],
      `Error computing code lenses for ${params.textDocument.uri}`,
      token,
    ),
  );

  /** "Simulate event" over each EventListener and Trigger. */
  const simulateLenses = (doc: TektonDocument) => {
    const out: { range: ReturnType<typeof toRange>; command: { title: string; command: string; arguments: unknown[] } }[] = [];
    for (const { resource, base } of doc.resources()) {
      if (resource.kindInfo?.group !== 'triggers.tekton.dev' || (resource.kind !== 'EventListener' && resource.kind !== 'Trigger')) continue;
      const at = base + (resource.root?.range?.[0] ?? 0);
      const range = toRange(doc, at, at);
      out.push({ range, command: { title: `▶ Simulate event${sample ? ` (${sample.label})` : '…'}`, command: 'tekton.simulateEvent', arguments: [doc.uri, range.start] } });
    }
    return out;
  };

  connection.onRequest(SimulateRequest.method, (params: SimulateRequest.Params, token) =>
    runSafeAsync<SimulateRequest.Result>(
      connection.console,
      async () => {
        const textDoc = documents.get(params.uri);
        if (!textDoc) return { error: 'the document is not open' };
        const doc = model(textDoc);
        const files = await triggersFiles();
        files.set(doc.uri, doc);
        const own = sourceResourcesFromDocument(doc).filter(
          (r) => r.resource.kindInfo?.group === 'triggers.tekton.dev' && (r.resource.kind === 'EventListener' || r.resource.kind === 'Trigger'),
        );
        const offset = params.position ? doc.offsetAt(params.position) : 0;
        const target = [...own].reverse().find((r) => r.base + (r.resource.root?.range?.[0] ?? 0) <= offset) ?? own[0];
        if (!target) return { error: 'no EventListener or Trigger in this document' };
        const request = { method: params.sample.method, url: params.sample.url, headers: params.sample.headers, body: Buffer.from(params.sample.body, 'utf8') };
        const resources = [...files.values()].flatMap(sourceResourcesFromDocument);
        let secrets: LocalSecrets | undefined;
        if (params.secretsFile) {
          try {
            secrets = readSecretsFile(params.secretsFile);
          } catch (err) {
            // the message names the file and the problem, never a value
            return { error: `the secrets file ${params.secretsFile} cannot be read: ${err instanceof Error ? err.message : String(err)}` };
          }
        }
        const input = {
          request,
          resources,
          secrets,
          cel: workerCelEvaluator(celEvaluation().workerPool),
          options: { assumeUnavailableInterceptorsPass: !!params.assumeUnavailablePass },
        };
        const result =
          target.resource.kind === 'EventListener'
            ? await simulate({ ...input, eventListener: target })
            : await simulate({ ...input, triggers: [target] });
        const yaml = result.triggers.flatMap((t) => (t.status === 'fired' ? t.resources.map((r) => r.yaml ?? '') : [])).filter(Boolean);
        return {
          target: { kind: target.resource.kind!, name: target.resource.name ?? '' },
          result: withRanges(result, files),
          yaml: yaml.map((y) => `---\n${y}`).join(''),
        };
      },
      { error: 'simulation failed (see the Tekton output channel)' },
      `Error simulating for ${params.uri}`,
      token,
    ),
  );

  connection.onRequest(EvaluateCelRequest.method, (params: EvaluateCelRequest.Params, token) =>
    runSafeAsync<EvaluateCelRequest.Result>(
      connection.console,
      async () => {
        const textDoc = documents.get(params.uri);
        if (!textDoc) return { ok: false, error: 'the document is not open' };
        if (!sample) return { ok: false, error: 'no sample event: run "Tekton: Select Sample Event" first' };
        const doc = model(textDoc);
        const offset = params.position ? doc.offsetAt(params.position) : undefined;
        const r = await celEvaluation().evaluate(doc, offset, params.expression, sample, await triggersWorkspace());
        if (r.ok) return r;
        return r.start !== undefined
          ? { ok: false, error: r.error, range: toRange(doc, r.start, r.end ?? r.start) }
          : { ok: false, error: r.error };
      },
      { ok: false, error: 'evaluation failed (see the Tekton output channel)' },
      `Error evaluating CEL in ${params.uri}`,
      token,
    ),
  );

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri)) continue; // the open document is newer than the disk
      if (change.type === FileChangeType.Deleted) index.remove(change.uri);
      else void index.refresh(change.uri);
    }
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    diagnostics?.requestRefresh();
  });

  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    // back to the saved content; files outside the workspace folders leave the index with their editor
    if (folders.some((f) => e.document.uri.startsWith(f.endsWith('/') ? f : `${f}/`))) void index.refresh(e.document.uri);
    else index.remove(e.document.uri);
    settingsCache.delete(e.document.uri);
    knownSettings.delete(e.document.uri);
  });

  /**
   * A request about an open document: run safely (errors logged, cancellation honoured) on the model of its current
   * version; `fallback` when the document is not open.
   */
  const onDocument =
    <P extends { textDocument: { uri: string } }, R>(what: string, fallback: R, fn: (doc: TektonDocument, params: P) => R) =>
    (params: P, token: CancellationToken) =>
      runSafe(
        connection.console,
        () => {
          const textDoc = documents.get(params.textDocument.uri);
          return textDoc ? fn(model(textDoc), params) : fallback;
        },
        fallback,
        `Error ${what} for ${params.textDocument.uri}`,
        token,
      );
  /** The same for cross-file requests: they wait for the workspace crawl, so no name looks unknown at startup. */
  const onIndexedDocument =
    <P extends { textDocument: { uri: string } }, R>(what: string, fallback: R, fn: (doc: TektonDocument, params: P) => R) =>
    (params: P, token: CancellationToken) =>
      runSafeAsync(
        connection.console,
        async () => {
          await index.ready();
          const textDoc = documents.get(params.textDocument.uri);
          return textDoc ? fn(model(textDoc), params) : fallback;
        },
        fallback,
        `Error ${what} for ${params.textDocument.uri}`,
        token,
      );
  const variables_ = variableFeatures(() => declarationsResolver(index));

  connection.onCodeAction(
    onDocument('computing code actions', [], (doc, params: CodeActionParams) => {
      const start = doc.offsetAt(params.range.start);
      const end = doc.offsetAt(params.range.end);
      const problems = [...service.doValidation(doc), ...(index.isReady ? crossFileProblems(doc, index) : [])];
      const actions: CodeAction[] = [];
      for (const p of problems) {
        if (!p.fixes?.length || p.end < start || p.start > end) continue;
        const diagnostic = toDiagnostic(doc, p);
        for (const fix of p.fixes)
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: p.fixes.length === 1,
            edit: { changes: { [doc.uri]: fix.edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText })) } },
          });
      }
      return actions;
    }),
  );

  const maxItems = (uri: string) => knownSettings.get(uri)?.maxItemsComputed ?? DEFAULT_SETTINGS.maxItemsComputed;

  connection.onCompletion(
    onDocument('computing completion', null, (doc, params: TextDocumentPositionParams) => {
      const offset = doc.offsetAt(params.position);
      // Inside a CEL field only CEL applies; then reference names; then the schema's keys and values.
      const cel = doCelComplete(doc, offset, { samplePayload: samplePayload() });
      const variables = cel ? undefined : (variables_.complete(doc, offset) ?? doTriggersComplete(doc, offset, { resolver: indexResolver(index) }));
      const names = cel || variables ? [] : resourceNameCompletions(doc, offset, index);
      const proposals = cel ?? variables ?? (names.length ? names : service.doComplete(doc, offset));
      return { isIncomplete: false, items: proposals.map((c) => toCompletionItem(doc, c)) };
    }),
  );

  connection.onHover(
    onDocument('computing hover', null, (doc, params: TextDocumentPositionParams) => {
      const offset = doc.offsetAt(params.position);
      const hover =
        doCelHover(doc, offset, { samplePayload: samplePayload() }) ??
        variables_.hover(doc, offset) ??
        doTriggersHover(doc, offset, { resolver: indexResolver(index) }) ??
        service.doHover(doc, offset);
      return hover ? toHover(doc, hover) : null;
    }),
  );

  connection.onDocumentSymbol(
    onDocument('computing symbols', [], (doc, params: DocumentSymbolParams) =>
      service.findDocumentSymbols(doc, maxItems(params.textDocument.uri)).map((sym) => toDocumentSymbol(doc, sym)),
    ),
  );

  connection.onFoldingRanges(
    onDocument('computing folding ranges', [], (doc, params: FoldingRangeParams) =>
      service.getFoldingRanges(doc, maxItems(params.textDocument.uri)).map(toFoldingRange),
    ),
  );

  connection.onDefinition(
    onIndexedDocument('finding the definition', [], (doc, params: TextDocumentPositionParams) => {
      const offset = doc.offsetAt(params.position);
      const local = variables_.definition(doc, offset);
      if (local) return [{ uri: doc.uri, range: toRange(doc, local.start, local.end) }];
      return findResourceDefinition(doc, offset, index).map(toLocation);
    }),
  );

  connection.onReferences(
    onIndexedDocument('finding references', [], (doc, params: ReferenceParams) => {
      const offset = doc.offsetAt(params.position);
      const local = variables_.references(doc, offset, params.context.includeDeclaration);
      if (local) return local.map((r) => ({ uri: doc.uri, range: toRange(doc, r.start, r.end) }));
      return findResourceReferences(doc, offset, index, params.context.includeDeclaration).map(toLocation);
    }),
  );

  connection.onPrepareRename(
    onDocument('preparing rename', null, (doc, params: TextDocumentPositionParams) => {
      const offset = doc.offsetAt(params.position);
      const local = variables_.prepareRename(doc, offset);
      if (local) return { range: toRange(doc, local.start, local.end), placeholder: doc.text.slice(local.start, local.end) };
      const target = prepareResourceRename(doc, offset);
      return target ? { range: toRange(doc, target.start, target.end), placeholder: target.name } : null;
    }),
  );

  connection.onRenameRequest(
    onIndexedDocument('renaming', null, (doc, params: RenameParams) => {
      const offset = doc.offsetAt(params.position);
      const local = variables_.rename(doc, offset, params.newName);
      if (local)
        return { changes: { [doc.uri]: local.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText })) } };
      const rename = renameResource(doc, offset, params.newName, index);
      if (!rename) return null;
      const changes: WorkspaceEdit['changes'] = {};
      for (const e of rename.edits) {
        const edit: TextEdit = { range: { start: e.location.startPosition, end: e.location.endPosition }, newText: e.newText };
        (changes[e.location.uri] ??= []).push(edit);
      }
      return { changes };
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/** Adds line/character `range`s beside every `source: {uri, start, end}` of a result, for editors to jump to. */
function withRanges(value: unknown, files: Map<string, TektonDocument>): unknown {
  if (Array.isArray(value)) return value.map((v) => withRanges(v, files));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = withRanges(v, files);
  const src = (value as { source?: { uri?: string; start?: number; end?: number } }).source;
  const doc = src?.uri ? files.get(src.uri) : undefined;
  if (doc && typeof src?.start === 'number' && typeof src.end === 'number')
    out.source = { ...src, range: { start: doc.positionAt(src.start), end: doc.positionAt(src.end) } };
  return out;
}
