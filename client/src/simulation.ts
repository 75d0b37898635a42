import * as vscode from 'vscode';
import {
  type PacMatchRequest,
  RENDERED_SCHEME,
  SimulateRequest,
  type TextRange,
  type TraceInterceptor,
  type TraceParam,
} from '../../server/src/protocol';
import type { TektonClient } from './client';

/** Where a trace item leads: the source of a step, when the server could give its range. */
type Source = { uri: string; range?: TextRange };

/** One node of the trace tree. */
class TraceItem extends vscode.TreeItem {
  constructor(
    label: string,
    readonly children: TraceItem[] = [],
    description?: string,
    source?: Source,
    icon?: string,
  ) {
    super(label, children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    this.description = description;
    this.tooltip = description ? `${label}: ${description}` : label;
    if (icon) this.iconPath = new vscode.ThemeIcon(icon);
    if (source?.range) {
      const r = source.range;
      this.command = {
        title: 'Go to source',
        command: 'vscode.open',
        arguments: [
          vscode.Uri.parse(source.uri),
          { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) },
        ],
      };
    }
  }
}

/**
 * "Simulate Event": runs the sample event through an EventListener or Trigger offline (the server's tekton/simulate),
 * shows the rendered resources in a read-only YAML editor and the trace in a tree whose items jump to the source.
 */
export class SimulationView implements vscode.TreeDataProvider<TraceItem>, vscode.TextDocumentContentProvider {
  private readonly treeChanged = new vscode.EventEmitter<TraceItem | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly contentChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.contentChanged.event;
  private roots: TraceItem[] = [];
  private rendered = '';
  private last: { uri: string; position?: vscode.Position } | undefined;
  /** What the view's "Re-run" runs again: the last Triggers simulation or the last "Which PipelineRuns Fire?". */
  private rerun: (() => Promise<unknown>) | undefined;
  /** The last result, for tests and the submission command. */
  lastResult: SimulateRequest.Result | undefined;

  constructor(private readonly tekton: TektonClient) {}

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.window.registerTreeDataProvider('tekton.simulationTrace', this),
      vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, this),
      vscode.commands.registerCommand('tekton.simulateEvent', (uri?: string | vscode.Uri, position?: vscode.Position) =>
        this.simulate(uri, position),
      ),
      vscode.commands.registerCommand('tekton.rerunSimulation', () => (this.rerun ? this.rerun() : this.simulate())),
      vscode.commands.registerCommand('tekton.simulateWithPayload', async (file?: vscode.Uri) => {
        if (file) await this.tekton.samples.useFile(file);
        return this.simulate();
      }),
    );
  }

  getTreeItem(item: TraceItem): TraceItem {
    return item;
  }

  getChildren(item?: TraceItem): TraceItem[] {
    return item ? item.children : this.roots;
  }

  provideTextDocumentContent(): string {
    return this.rendered;
  }

  /** Once the user agreed: the sample is signed with the interceptors' secrets where it carries no signature. */
  private signSample = false;

  /**
   * A trigger stopped because the sample carries no signature or token (bundled examples never do): offer to sign it
   * with the secret the interceptor names and run again, or say which setting supplies the secret.
   */
  private async offerSigning(target: vscode.Uri, pos: vscode.Position | undefined): Promise<void> {
    const pick = await vscode.window.showInformationMessage(
      'Tekton: a trigger stopped because the sample event carries no signature or token. Sign the sample with the secret its interceptor names (from tekton.simulation.secretsFile or a Secret in the workspace) and simulate again?',
      'Sign and Simulate Again',
      'Set Secrets File',
    );
    if (pick === 'Set Secrets File') void vscode.commands.executeCommand('workbench.action.openSettings', 'tekton.simulation.secretsFile');
    if (pick !== 'Sign and Simulate Again') return;
    this.signSample = true;
    await this.simulate(target, pos);
  }

  /**
   * Shows the answer of "Which PipelineRuns Fire?" in place of the last simulation: the same question (which of these
   * fire for this event, and why not), where it stays after the quick pick closes and long reasons are not cut.
   * `openCommand` opens a matched run substituted (with its name); `rerun` is what the view's Re-run then does.
   */
  async showPacMatch(result: PacMatchRequest.Result, openCommand: string, rerun: () => Promise<unknown>): Promise<void> {
    this.roots = pacMatchTree(result, openCommand);
    this.rerun = rerun;
    // the view's Submit button submits a Triggers simulation's resources, which this answer replaced
    this.lastResult = undefined;
    this.treeChanged.fire(undefined);
    await vscode.commands.executeCommand('setContext', 'tekton.simulation.kind', 'pac');
    await vscode.commands.executeCommand('tekton.simulationTrace.focus');
  }

  /** Runs a simulation; `uri`/`position` name the EventListener or Trigger (the active editor's when absent). */
  async simulate(uri?: string | vscode.Uri, position?: vscode.Position, reveal = true): Promise<SimulateRequest.Result | undefined> {
    const client = this.tekton.languageClient;
    const target = uri ? vscode.Uri.parse(uri.toString()) : vscode.window.activeTextEditor?.document.uri;
    if (!client || !target) {
      void vscode.window.showWarningMessage('Tekton: open a file with an EventListener or Trigger to simulate an event');
      return undefined;
    }
    const sample = this.tekton.samples.current ?? (await this.tekton.samples.pick());
    if (!sample) return undefined;
    await vscode.workspace.openTextDocument(target); // the server answers for open documents
    const pos = position ?? (vscode.window.activeTextEditor?.document.uri.toString() === target.toString() ? vscode.window.activeTextEditor.selection.active : undefined);
    this.last = { uri: target.toString(), position: pos };
    const last = this.last;
    this.rerun = () => this.simulate(last.uri, last.position, false);
    const params: SimulateRequest.Params = {
      uri: target.toString(),
      position: pos ? { line: pos.line, character: pos.character } : undefined,
      sample,
      assumeUnavailablePass: vscode.workspace.getConfiguration('tekton', target).get<boolean>('simulation.assumeUnavailableInterceptorsPass', false),
      secretsFile: secretsFileFor(target),
      signSample: this.signSample,
    };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Tekton: simulating event…' },
      () => client.sendRequest<SimulateRequest.Result>(SimulateRequest.method, params),
    );
    this.lastResult = result;
    if (result.error) {
      void vscode.window.showErrorMessage(`Tekton: ${result.error}`);
      return result;
    }
    this.roots = buildTree(result);
    this.treeChanged.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'tekton.simulation.kind', 'triggers');
    this.rendered = result.yaml || '# no trigger fired: see the Tekton Simulation view for why\n';
    const renderedUri = vscode.Uri.from({ scheme: RENDERED_SCHEME, path: `/${result.target?.name ?? 'simulation'}.rendered.yaml` });
    this.contentChanged.fire(renderedUri);
    if (!this.signSample && stoppedForSignature(result)) void this.offerSigning(target, pos);
    if (reveal) {
      const doc = await vscode.workspace.openTextDocument(renderedUri);
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      void vscode.commands.executeCommand('tekton.simulationTrace.focus');
    }
    return result;
  }
}

/**
 * The trace of "Which PipelineRuns Fire?" (Pipelines-as-Code): the event as PaC reads it, then each run of the folder
 * matched or skipped with the reason, as Triggers' triggers fire or not. A matched run opens substituted; a skipped
 * one goes to its source.
 */
function pacMatchTree(result: PacMatchRequest.Result, openCommand: string): TraceItem[] {
  const items: TraceItem[] = [];
  if (result.event) items.push(new TraceItem('event', [], result.event, undefined, 'symbol-event'));
  if (result.folderError) items.push(new TraceItem('the folder fails', [], result.folderError, undefined, 'error'));
  for (const m of result.matched) {
    const item = new TraceItem(`matched ${m.name}`, [], m.reason, m, 'pass');
    item.command = { title: 'Open substituted', command: openCommand, arguments: [m.name] };
    items.push(item);
  }
  for (const s of result.skipped) items.push(new TraceItem(`skipped ${s.name}`, [], s.reason, s, 'circle-slash'));
  return items;
}

function buildTree(result: SimulateRequest.Result): TraceItem[] {
  const r = result.result;
  if (!r) return [];
  const items: TraceItem[] = [];
  for (const p of r.problems) items.push(new TraceItem(p.message, [], p.severity, p.source, 'warning'));
  for (const g of r.groups) items.push(new TraceItem(`group ${g.name}`, steps(g.interceptors), g.status, g.source, 'filter'));
  for (const t of r.triggers) {
    const children = [
      ...steps(t.interceptors),
      ...t.params.map(
        (p) =>
          new TraceItem(
            `${p.name} = ${p.value === undefined ? '(unbound: stays literal $(tt.params...))' : p.value}`,
            [],
            describeOrigin(p),
            // where the value came from; an unbound param leads to its declaration, where a default would go
            p.binding?.source ?? p.defaultSource ?? p.declaredSource,
            p.origin === 'unbound' ? 'warning' : 'symbol-parameter',
          ),
      ),
      ...t.resources.map(
        (res) => new TraceItem(`${res.kind} ${res.name ?? res.generateName ?? ''}`, [], res.error ? res.error : res.namespace, res.source, 'file-code'),
      ),
      ...t.problems.map((p) => new TraceItem(p.message, [], p.severity, p.source, 'warning')),
    ];
    items.push(new TraceItem(`trigger ${t.name}`, children, `${t.status}${t.reason ? `: ${t.reason}` : ''}`, t.source, t.status === 'fired' ? 'pass' : 'circle-slash'));
  }
  return items;
}

function steps(interceptors: TraceInterceptor[]): TraceItem[] {
  return interceptors.map((s) => {
    const expressions = (s.expressions ?? []).map(
      (e) => new TraceItem(e.role === 'filter' ? 'filter' : `overlay ${e.key}`, [], e.error ? `✗ ${e.error}` : `⇒ ${e.result}`, e.source, 'symbol-event'),
    );
    // each check leads to the param it read (secretRef, eventTypes…); a server that sends none, to the interceptor
    const checks = (s.checks ?? []).map(
      (c) => new TraceItem(c.name, [], c.detail, c.source ?? s.source, c.ok ? 'check' : 'error'),
    );
    const ref = s.ref?.name ?? s.type;
    // counted from 1, as a person counts them (the trace's index is the chain position from 0)
    return new TraceItem(`interceptor ${s.index + 1} ${ref}`, [...checks, ...expressions], `${s.result}: ${s.reason}`, s.source, 'debug-step-over');
  });
}

function describeOrigin(p: TraceParam): string {
  const binding = p.binding;
  const expressions = (p.expressions ?? []).map((e) => e.expression).join(' ');
  const from = binding ? `${binding.kind}${binding.name ? ` ${binding.name}` : ''}` : '';
  return [p.origin, from, expressions].filter(Boolean).join(' · ');
}

/** The `tekton.simulation.secretsFile` setting, resolved against the workspace folder of the target. */
function secretsFileFor(target: vscode.Uri): string | undefined {
  const file = vscode.workspace.getConfiguration('tekton', target).get<string>('simulation.secretsFile', '');
  if (!file) return undefined;
  if (file.startsWith('/')) return file;
  const folder = vscode.workspace.getWorkspaceFolder(target);
  return folder ? vscode.Uri.joinPath(folder.uri, file).fsPath : file;
}

/** True when a trigger stopped at an interceptor that found no signature or token on the sample. */
function stoppedForSignature(result: SimulateRequest.Result): boolean {
  const stopped = [...(result.result?.triggers ?? []).flatMap((t) => t.interceptors), ...(result.result?.groups ?? []).flatMap((g) => g.interceptors)];
  return stopped.some((i) => /Must set X-Hub-Signature|no X-GitLab-Token header|no X-Hub-Signature header/.test(i.reason ?? ''));
}
