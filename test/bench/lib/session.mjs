// One language server under measurement: spawns it, initializes it as VS Code would, and offers timed operations
// (open→diagnostics, edit→diagnostics, requests) that work the same for pull and push diagnostics and for a peer
// whose documents carry inserted modelines (positions are mapped through `transform`).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspProcess, TimeoutError } from './jsonRpcClient.mjs';

/** Client capabilities modelled on VS Code 1.9x's; `pull` adds `textDocument.diagnostic`. */
export function vscodeLikeCapabilities(pull) {
  return {
    workspace: {
      applyEdit: true,
      workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], failureHandling: 'textOnlyTransactional', normalizesLineEndings: true },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
      symbol: { dynamicRegistration: true },
      executeCommand: { dynamicRegistration: true },
      configuration: true,
      workspaceFolders: true,
      semanticTokens: { refreshSupport: true },
      codeLens: { refreshSupport: true },
      inlayHint: { refreshSupport: true },
      diagnostics: { refreshSupport: true },
      fileOperations: { dynamicRegistration: true, didCreate: true, didRename: true, didDelete: true, willCreate: true, willRename: true, willDelete: true },
    },
    textDocument: {
      synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
      completion: {
        dynamicRegistration: true,
        contextSupport: true,
        completionItem: {
          snippetSupport: true,
          commitCharactersSupport: true,
          documentationFormat: ['markdown', 'plaintext'],
          deprecatedSupport: true,
          preselectSupport: true,
          tagSupport: { valueSet: [1] },
          insertReplaceSupport: true,
          resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
          insertTextModeSupport: { valueSet: [1, 2] },
          labelDetailsSupport: true,
        },
        insertTextMode: 2,
        completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
        completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      signatureHelp: { dynamicRegistration: true },
      definition: { dynamicRegistration: true, linkSupport: true },
      references: { dynamicRegistration: true },
      documentHighlight: { dynamicRegistration: true },
      documentSymbol: {
        dynamicRegistration: true,
        symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) },
        hierarchicalDocumentSymbolSupport: true,
        tagSupport: { valueSet: [1] },
        labelSupport: true,
      },
      codeAction: { dynamicRegistration: true, isPreferredSupport: true, disabledSupport: true, dataSupport: true },
      formatting: { dynamicRegistration: true },
      rangeFormatting: { dynamicRegistration: true },
      onTypeFormatting: { dynamicRegistration: true },
      rename: { dynamicRegistration: true, prepareSupport: true, prepareSupportDefaultBehavior: 1, honorsChangeAnnotations: true },
      documentLink: { dynamicRegistration: true, tooltipSupport: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: false, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
      foldingRange: { dynamicRegistration: true, rangeLimit: 5000, lineFoldingOnly: true, foldingRangeKind: { valueSet: ['comment', 'imports', 'region'] } },
      selectionRange: { dynamicRegistration: true },
      ...(pull ? { diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false } } : {}),
    },
    window: { showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true }, workDoneProgress: true },
    general: {
      staleRequestSupport: { cancel: true, retryOnContentModified: ['textDocument/semanticTokens/full', 'textDocument/semanticTokens/range', 'textDocument/semanticTokens/full/delta'] },
      regularExpressions: { engine: 'ECMAScript', version: 'ES2020' },
      markdown: { parser: 'marked', version: '1.1.0' },
      positionEncodings: ['utf-16'],
    },
  };
}

const identity = (text) => ({ text, mapLine: (l) => l });

export class Session {
  /**
   * @param {{ name: string, command: string, args: string[], cwd?: string, pull: boolean, timeoutMs: number,
   *   transform?: (text: string) => { text: string, mapLine: (l: number) => number },
   *   configuration?: (params: any) => any, initializationOptions?: any, workspaceFolder?: string,
   *   waitForConfiguration?: boolean }} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.name = opts.name;
    this.pull = opts.pull;
    this.timeoutMs = opts.timeoutMs;
    this.transform = opts.transform ?? identity;
    /** @type {Map<string, { version: number, mapLine: (l: number) => number }>} */
    this.docs = new Map();
    this.logMessages = [];
  }

  /** Spawns and initializes; returns spawn→initialize-result time in ms. */
  async start() {
    const o = this.opts;
    this.client = new LspProcess(o.command, o.args, { cwd: o.cwd, name: o.name });
    const c = this.client;
    let configured;
    const configuredPromise = new Promise((r) => (configured = r));
    c.onRequest('workspace/configuration', (params) => {
      configured();
      return o.configuration ? o.configuration(params) : (params?.items ?? []).map(() => null);
    });
    c.onRequest('*', () => null); // client/registerCapability, window/workDoneProgress/create, refresh requests
    c.onNotification((method, params) => {
      if (method === 'window/logMessage' || method === 'window/showMessage') {
        if (this.logMessages.length < 200) this.logMessages.push(`${params?.type}: ${String(params?.message).slice(0, 300)}`);
      }
    });
    const folder = o.workspaceFolder ? pathToFileURL(o.workspaceFolder).href : null;
    const t0 = c.spawnedAt;
    this.initResult = await c.request(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'Visual Studio Code', version: '1.100.3' },
        locale: 'en',
        rootPath: o.workspaceFolder ?? null,
        rootUri: folder,
        workspaceFolders: folder ? [{ uri: folder, name: 'ws' }] : null,
        capabilities: vscodeLikeCapabilities(this.pull),
        initializationOptions: o.initializationOptions ?? {},
        trace: 'off',
      },
      Math.max(this.timeoutMs, 20000), // loading the server takes its time, whatever the per-request timeout
    );
    const startupMs = performance.now() - t0;
    c.notify('initialized', {});
    if (o.waitForConfiguration) {
      // the peer pulls its settings after `initialized`; documents opened before would be validated without them
      await Promise.race([configuredPromise, new Promise((r) => setTimeout(r, 5000))]);
      await new Promise((r) => setTimeout(r, 300));
    }
    return startupMs;
  }

  get alive() {
    return this.client && !this.client.exited;
  }

  /** Waits for diagnostics of `uri` after `send()` ran: pulls them, or waits for the push. */
  async diagnoseAfter(uri, version, send) {
    const c = this.client;
    if (this.pull) {
      const t0 = performance.now();
      send();
      const r = await c.timed('textDocument/diagnostic', { textDocument: { uri } }, this.timeoutMs);
      return { ms: performance.now() - t0, timeout: r.timeout, error: r.error, count: r.result?.items?.length };
    }
    const waiting = c.waitForNotification(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && (p.version === undefined || p.version === null || p.version === version),
      this.timeoutMs,
    );
    const t0 = performance.now();
    send();
    try {
      const p = await waiting;
      return { ms: performance.now() - t0, count: p.diagnostics.length };
    } catch (err) {
      if (err instanceof TimeoutError) return { ms: performance.now() - t0, timeout: true };
      return { ms: performance.now() - t0, error: String(err) };
    }
  }

  /** didOpen, then time until its diagnostics. */
  open(uri, text) {
    const t = this.transform(text);
    this.docs.set(uri, { version: 1, mapLine: t.mapLine });
    return this.diagnoseAfter(uri, 1, () =>
      this.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: t.text } }),
    );
  }

  /** Incremental didChange inserting `text` at `position` (original coordinates), then time until diagnostics. */
  edit(uri, position, text) {
    const d = this.docs.get(uri);
    d.version += 1;
    const p = this.map(uri, position);
    return this.diagnoseAfter(uri, d.version, () => this.sendInsert(uri, d.version, p, text));
  }

  /** Incremental didChange without waiting for anything. */
  insert(uri, position, text) {
    const d = this.docs.get(uri);
    d.version += 1;
    this.sendInsert(uri, d.version, this.map(uri, position), text);
  }

  /**
   * Inserts `text` at `position` and runs `fn` (a request) right away, timing only `fn`; then waits, untimed, until
   * the server has produced the diagnostics of the new version, so the next step starts from an idle server.
   */
  async editThen(uri, position, text, fn) {
    const d = this.docs.get(uri);
    d.version += 1;
    const version = d.version;
    const p = this.map(uri, position);
    const pushed = this.pull
      ? undefined
      : this.client
          .waitForNotification('textDocument/publishDiagnostics', (n) => n.uri === uri && (n.version == null || n.version === version), this.timeoutMs)
          .catch(() => undefined);
    this.sendInsert(uri, version, p, text);
    const r = await fn();
    if (this.pull) await this.client.timed('textDocument/diagnostic', { textDocument: { uri } }, this.timeoutMs);
    else await pushed;
    return r;
  }

  sendInsert(uri, version, p, text) {
    this.client.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: p, end: p }, rangeLength: 0, text }],
    });
  }

  close(uri) {
    this.docs.delete(uri);
    this.client.notify('textDocument/didClose', { textDocument: { uri } });
  }

  map(uri, position) {
    const d = this.docs.get(uri);
    return { line: d ? d.mapLine(position.line) : position.line, character: position.character };
  }

  /** Times a position request (completion, hover) with the position mapped. */
  async positionRequest(method, uri, position, extra = {}) {
    const r = await this.client.timed(method, { textDocument: { uri }, position: this.map(uri, position), ...extra }, this.timeoutMs);
    return r;
  }

  completion(uri, position) {
    return this.positionRequest('textDocument/completion', uri, position, { context: { triggerKind: 1 } }).then((r) => ({
      ...r,
      items: Array.isArray(r.result) ? r.result.length : (r.result?.items?.length ?? 0),
    }));
  }

  hover(uri, position) {
    return this.positionRequest('textDocument/hover', uri, position).then((r) => ({ ...r, empty: !r.result }));
  }

  documentRequest(method, uri) {
    return this.client.timed(method, { textDocument: { uri } }, this.timeoutMs);
  }

  memory() {
    return this.client?.memory();
  }

  stop() {
    return this.client?.stop();
  }
}
