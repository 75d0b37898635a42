import * as vscode from 'vscode';
import {
  CodeLensRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  PAC_RUN_SCHEME,
  RENDERED_SCHEME,
  SetSampleNotification,
  StatusNotification,
  type InitializationOptions,
} from '../../server/src/protocol';
import { filterSubmitLenses, onDidChangeSubmitLensConditions } from './runs/lenses';
import { SampleStore } from './samples';
import { SimulationView } from './simulation';
import { requiresRestart, SECTION } from './config';
import { ServerStatus } from './status';

/** Owns the language client, its output channel and the status item; restarts the server on request. */
export class TektonClient implements vscode.Disposable {
  readonly outputChannel: vscode.LogOutputChannel;
  readonly status = new ServerStatus();
  readonly samples: SampleStore;
  readonly simulation = new SimulationView(this);
  private client: LanguageClient | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.outputChannel = vscode.window.createOutputChannel('Tekton', { log: true });
    this.samples = new SampleStore(context);
    context.subscriptions.push(this.samples.onDidChange((sample) => void this.sendSample(sample)));
    context.subscriptions.push(
      this.outputChannel,
      this.status,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (requiresRestart(e)) void this.restart();
      }),
      onDidChangeSubmitLensConditions(() => this.refreshCodeLenses()),
    );
  }

  /** The running language client (for tests and other commands). */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const initializationOptions: InitializationOptions = {
      yamlExtensionPresent: !!vscode.extensions.getExtension('redhat.vscode-yaml'),
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { language: 'yaml', scheme: 'file' },
        { language: 'yaml', scheme: 'untitled' },
        { language: 'yaml', scheme: 'vscode-remote' },
        // rendered resources of a simulation are validated like any Tekton file
        { language: 'yaml', scheme: RENDERED_SCHEME },
        // so are the PipelineRuns of "Which PipelineRuns Fire?" with their {{ }} substituted (client/src/pac)
        { language: 'yaml', scheme: PAC_RUN_SCHEME },
      ],
      synchronize: {
        configurationSection: SECTION,
        // keeps the server's workspace index current for files changed outside the editor
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
      },
      outputChannel: this.outputChannel,
      // Workspace diagnostics need no option here: vscode-languageclient 11 pulls them (every 2 s, with result ids)
      // as soon as the server advertises `workspaceDiagnostics`; with `tekton.diagnostics.workspace` off it answers empty.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions,
      middleware: {
        // the server offers "▶ Submit Run" everywhere; trust and `tekton.submit.codeLens` are known here
        provideCodeLenses: async (document, token, next) => filterSubmitLenses(document, await next(document, token)),
      },
    };
    this.client = new LanguageClient('tekton', 'Tekton Language Server', serverOptions, clientOptions);
    this.client.onDidChangeState((e) => {
      this.status.setServerState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
    });
    this.context.subscriptions.push(
      this.client.onNotification(StatusNotification.method, (p: StatusNotification.Params) => this.status.update(p)),
    );
    await this.client.start();
    await this.sendSample(this.samples.current);
  }

  /** Asks the editor for the code lenses of the open documents again (as the server's workspace/codeLens/refresh does). */
  private refreshCodeLenses(): void {
    const feature = this.client?.getFeature(CodeLensRequest.method);
    if (!feature) return;
    const providers = new Set(vscode.workspace.textDocuments.map((d) => feature.getProvider(d)));
    for (const p of providers) p?.onDidChangeCodeLensEmitter.fire();
  }

  private async sendSample(sample: SetSampleNotification.Params['sample'] | undefined): Promise<void> {
    if (this.client?.isRunning()) await this.client.sendNotification(SetSampleNotification.method, { sample: sample ?? null });
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c?.isRunning()) await c.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  dispose(): void {
    void this.stop();
  }
}
