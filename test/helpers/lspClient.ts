import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

import { REPO_ROOT } from './paths';

/**
 * A language client for tests: spawns the real bundled server (`node dist/server.js --stdio`, the command other
 * editors use) and speaks JSON-RPC to it.
 */
export class TestClient {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly published = new Map<string, PublishDiagnosticsParams>();
  /** The server's log lines (`window/logMessage`), in order. */
  readonly logs: { type: number; message: string }[] = [];
  /** Every publication, in order (push mode). */
  readonly publications: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  stderr = '';
  exited = false;

  constructor() {
    this.child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.child.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.child.on('exit', () => (this.exited = true));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      this.publications.push(p);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => void this.logs.push(p));
    this.connection.onNotification(() => undefined);
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.connection.onRequest(() => null);
    this.connection.listen();
  }

  /** Starts the session; `pull` advertises pull diagnostics as VS Code does. */
  /** `workspaceEdit`: workspace edit capabilities the client claims (e.g. `snippetEditSupport`, as VS Code does). */
  async initialize(
    pull = true,
    initializationOptions: unknown = {},
    workspaceFolder?: string,
    workspaceEdit?: object,
  ): Promise<InitializeResult> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: workspaceFolder ?? null,
      workspaceFolders: workspaceFolder ? [{ uri: workspaceFolder, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, ...(workspaceEdit ? { workspaceEdit } : {}) },
        textDocument: {
          ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
      initializationOptions,
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
  }

  /** Replaces a range (incremental sync). */
  change(uri: string, range: { start: Position; end: Position }, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = (await this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
      items: Diagnostic[];
    };
    return report.items;
  }

  /** Waits for pushed diagnostics of a uri matching `until`. */
  async pushed(uri: string, until: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.published.get(uri);
      if (p && until(p.diagnostics)) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async completion(uri: string, position: Position): Promise<CompletionList | null> {
    return (await this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as CompletionList | null;
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    return (await this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position })) as Hover | null;
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    return (await this.connection.sendRequest(method, params)) as T;
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return (await this.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
  }

  async folding(uri: string): Promise<FoldingRange[]> {
    return (await this.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } })) as FoldingRange[];
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // the server may already be gone
    }
    this.connection.dispose();
    if (!this.exited) this.child.kill();
  }
}

/** Runs `fn` with a new server process and shuts it down afterwards, whether `fn` passed or threw. */
export async function withClient<T>(fn: (client: TestClient) => Promise<T>): Promise<T> {
  const client = new TestClient();
  try {
    return await fn(client);
  } finally {
    await client.shutdown();
  }
}

/** Splits a text with a `|` cursor marker into the text and the cursor position. */
export function withCursor(marked: string): { text: string; position: Position; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, position: { line: before.length - 1, character: before[before.length - 1].length } };
}
