import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { PAC_RUN_SCHEME, PacMatchRequest, type SampleRequest } from '../../../server/src/protocol';
import type { TektonClient } from '../client';

type ChangedFiles = NonNullable<PacMatchRequest.Params['changedFiles']>;

const OPEN_SUBSTITUTED = 'tekton.pacOpenSubstituted';

/**
 * "Which PipelineRuns Fire?" (Pipelines-as-Code): the sample event (the existing picker) and the changed files (the
 * working tree's `git diff` against the event's target branch, when git is there) go to the server's
 * `tekton/pacMatch`; the matched and skipped runs are listed with their reasons, and a matched one opens read-only with
 * its `{{ }}` variables substituted (checked by the server, and ready for Submit Run).
 */
export class WhichRunsFire implements vscode.TextDocumentContentProvider {
  private readonly rendered = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The last result, for tests. */
  lastResult: PacMatchRequest.Result | undefined;

  constructor(private readonly tekton: TektonClient) {}

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(PAC_RUN_SCHEME, this),
      vscode.commands.registerCommand('tekton.pacWhichRunsFire', (uri?: string | vscode.Uri) => this.run(uri)),
      // the Tekton Simulation view's matched items (not in the palette: it needs a run of the last answer)
      vscode.commands.registerCommand(OPEN_SUBSTITUTED, (name: string) => this.openRendered(name)),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.rendered.get(uri.path) ?? '';
  }

  async run(uriArg?: string | vscode.Uri): Promise<PacMatchRequest.Result | undefined> {
    const client = this.tekton.languageClient;
    const target = uriArg ? vscode.Uri.parse(uriArg.toString()) : vscode.window.activeTextEditor?.document.uri;
    if (!client || !target) {
      void vscode.window.showWarningMessage(
        'Tekton: open a PipelineRun of a .tekton/ folder to see which PipelineRuns fire',
      );
      return undefined;
    }
    const sample = this.tekton.samples.current ?? (await this.tekton.samples.pick());
    if (!sample) return undefined;
    await vscode.workspace.openTextDocument(target); // the server answers for open documents
    const changedFiles = await gitChangedFiles(target, sample, this.tekton.outputChannel);
    const params: PacMatchRequest.Params = { uri: target.toString(), sample, changedFiles };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Tekton: matching PipelineRuns…' },
      () => client.sendRequest<PacMatchRequest.Result>(PacMatchRequest.method, params),
    );
    this.lastResult = result;
    if (result.error) {
      void vscode.window.showErrorMessage(`Tekton: ${result.error}`);
      return result;
    }
    const log = this.tekton.outputChannel;
    log.info(
      `Which PipelineRuns fire (${sample.label}): ${result.event}${changedFiles ? `, ${changedFiles.all?.length ?? 0} changed file(s)` : ''}`,
    );
    if (result.folderError) log.warn(`the folder fails: ${result.folderError}`);
    for (const m of result.matched) log.info(`  matched ${m.name}: ${m.reason}`);
    for (const s of result.skipped) log.info(`  skipped ${s.name}: ${s.reason}`);
    this.update(result, sample.label);
    await this.tekton.simulation.showPacMatch(result, OPEN_SUBSTITUTED, () => this.run(target));
    await this.show(result);
    return result;
  }

  /**
   * Keeps every substituted run already shown current: an open one is this answer's run, or says why it no longer
   * fires, so that a run substituted for an earlier event is not taken for this one's (nor submitted).
   */
  private update(result: PacMatchRequest.Result, sampleLabel: string): void {
    const previous = new Set(this.rendered.keys());
    for (const m of result.matched) this.rendered.set(renderedPath(m.name), m.yaml);
    for (const s of result.skipped)
      if (previous.has(renderedPath(s.name)))
        this.rendered.set(renderedPath(s.name), `# ${s.name} does not fire for ${sampleLabel}: ${s.reason}\n`);
    for (const path of previous) {
      if (!result.matched.some((m) => renderedPath(m.name) === path) && !result.skipped.some((s) => renderedPath(s.name) === path))
        this.rendered.set(path, `# not in the folder any more for ${sampleLabel}\n`);
      this.changed.fire(vscode.Uri.from({ scheme: PAC_RUN_SCHEME, path }));
    }
  }

  private async show(result: PacMatchRequest.Result): Promise<void> {
    type Item = vscode.QuickPickItem & { open?: () => Thenable<unknown> };
    const items: Item[] = [
      { label: `Matched (${result.matched.length})`, kind: vscode.QuickPickItemKind.Separator },
      ...result.matched.map((m) => ({
        label: `$(pass) ${m.name}`,
        detail: m.reason,
        description: 'open substituted',
        open: () => this.openRendered(m.name),
      })),
      { label: `Skipped (${result.skipped.length})`, kind: vscode.QuickPickItemKind.Separator },
      ...result.skipped.map((s) => ({
        label: `$(circle-slash) ${s.name}`,
        detail: s.reason,
        description: 'go to source',
        open: () =>
          vscode.window.showTextDocument(
            vscode.Uri.parse(s.uri),
            s.range
              ? {
                  selection: new vscode.Range(
                    s.range.start.line,
                    s.range.start.character,
                    s.range.end.line,
                    s.range.end.character,
                  ),
                }
              : {},
          ),
      })),
    ];
    const title = `Which PipelineRuns fire? ${result.event ?? ''}${result.folderError ? ` — the folder fails: ${result.folderError}` : ''}`;
    const choice = await vscode.window.showQuickPick(items, {
      title,
      matchOnDetail: true,
      placeHolder: 'Pick a matched run to open it substituted, a skipped one to go to it',
    });
    await choice?.open?.();
  }

  /** Opens a matched run, substituted, read-only; the editor's Submit Run takes it from there. */
  private async openRendered(name: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: PAC_RUN_SCHEME, path: renderedPath(name) });
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    const submit = await vscode.window.showInformationMessage(
      `Tekton: ${name} as Pipelines-as-Code would create it`,
      'Submit Run',
    );
    if (submit) await vscode.commands.executeCommand('tekton.submitRun', uri);
  }
}

/**
 * The path of a matched run's substituted document. Its tab sits beside the source file, whose name is often the run's
 * own: the suffix tells them apart (as the simulation's `.rendered.yaml` does).
 */
function renderedPath(name: string): string {
  return `/${name}.substituted.yaml`;
}

/** The event's target branch: a pull request's base ref, or a push's ref. */
function targetBranch(sample: SampleRequest): string | undefined {
  try {
    const body = JSON.parse(sample.body) as { pull_request?: { base?: { ref?: string } }; ref?: string };
    return body.pull_request?.base?.ref ?? body.ref?.replace(/^refs\/heads\//, '');
  } catch {
    return undefined;
  }
}

/** `git diff --name-status BRANCH` (then `origin/BRANCH`) in the file's folder; undefined when git cannot tell. */
async function gitChangedFiles(
  file: vscode.Uri,
  sample: SampleRequest,
  log: vscode.LogOutputChannel,
): Promise<ChangedFiles | undefined> {
  const branch = targetBranch(sample);
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (!branch || !folder || file.scheme !== 'file' || /^-/.test(branch)) return undefined;
  for (const ref of [branch, `origin/${branch}`]) {
    const out = await new Promise<string | undefined>((resolve) =>
      execFile(
        'git',
        ['diff', '--name-status', ref, '--'],
        { cwd: folder.uri.fsPath, timeout: 10000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout) => resolve(err ? undefined : stdout),
      ),
    );
    if (out === undefined) continue;
    const files: Required<ChangedFiles> = { all: [], added: [], deleted: [], modified: [], renamed: [] };
    for (const line of out.split('\n')) {
      const [status, ...paths] = line.split('\t');
      const path = paths.at(-1);
      if (!status || !path) continue;
      files.all.push(path);
      if (status.startsWith('A')) files.added.push(path);
      else if (status.startsWith('D')) files.deleted.push(path);
      else if (status.startsWith('R')) files.renamed.push(path);
      else files.modified.push(path);
    }
    log.info(`changed files: git diff --name-status ${ref} (${files.all.length})`);
    return files;
  }
  log.info(`changed files: none (git diff against ${branch} is not available)`);
  return undefined;
}
