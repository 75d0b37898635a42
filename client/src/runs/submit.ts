/**
 * Submitting to the current kube context: the run document of a file as it is, a run built from a Pipeline or Task
 * (build.ts), the resources a simulation rendered (with Tekton Triggers' labels), or a re-run of a run of the Runs
 * view; always server-side dry run → modal confirmation → create, then the created runs are followed. API errors of
 * a file's document are placed on its fields as diagnostics. Refused in untrusted workspaces.
 */
import * as vscode from 'vscode';
import { RENDERED_SCHEME, type SimulateRequest } from '../../../server/src/protocol';
import { readResources, resourceAt, type FileResource } from '../../../server/src/kube/fieldMapping';
import { isRunnable, rerunOf } from '../../../server/src/kube/runBuilder';
import {
  describeSummary,
  itemsFromSimulation,
  submit,
  type SubmitItem,
  type SubmitResult,
  type SubmitSummary,
} from '../../../server/src/kube/submit';
import type { KubeObject } from '../../../server/src/kube/tektonApi';
import { buildRunToSubmit } from './build';
import type { KubeContextUi } from './context';
import type { RunFollower } from './follow';
import { runOf, type RunsElement } from './runsView';
import type { KubeSession } from './session';

/** What the extension's client offers this feature (a subset of TektonClient). */
export interface RunsHost {
  outputChannel: vscode.LogOutputChannel;
  simulation: { lastResult: SimulateRequest.Result | undefined };
}

export class RunSubmission implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('tekton-submit');
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: RunsHost,
    private readonly session: KubeSession,
    private readonly kube: KubeContextUi,
    private readonly follower: RunFollower,
  ) {
    this.subscriptions = [
      this.diagnostics,
      // the placed API errors describe the text that was submitted: an edit makes them stale
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
      }),
    ];
  }

  /**
   * Submits the run document under the cursor (or `index` of `uri`), or builds a run of the Pipeline/Task there.
   * Resolves with the outcome, undefined when nothing was attempted.
   */
  async submitRun(uriArg?: string | vscode.Uri, index?: number): Promise<SubmitResult | undefined> {
    if (!this.kube.checkTrust()) return undefined;
    const editor = vscode.window.activeTextEditor;
    const doc = uriArg
      ? await vscode.workspace.openTextDocument(typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg)
      : editor?.document;
    if (!doc) {
      void vscode.window.showWarningMessage('Tekton: open a Pipeline, Task, PipelineRun or TaskRun to submit a run.');
      return undefined;
    }
    // the rendered resources of a simulation go with Tekton Triggers' labels
    if (doc.uri.scheme === RENDERED_SCHEME) return this.submitSimulation();
    const text = doc.getText();
    const version = doc.version;
    const res = await pickDocument(doc, editor, index);
    if (res === null) return undefined;
    if (!res || !isRunnable(res)) {
      void vscode.window.showWarningMessage(
        'Tekton: there is no Pipeline, Task, PipelineRun or TaskRun (apiVersion tekton.dev/*) here to submit.',
      );
      return undefined;
    }
    if (res.hasErrors || !res.object) {
      void vscode.window.showErrorMessage(`Tekton: the ${res.kind} has YAML errors: fix them before submitting.`);
      return undefined;
    }
    const object = res.object as KubeObject;
    if (res.kind === 'PipelineRun' || res.kind === 'TaskRun') {
      if (!this.kube.apiOrError()) return undefined;
      return this.submitItems([{ object, source: { text, documentIndex: res.index } }], doc, version);
    }
    // without a cluster a run of a Pipeline or Task can still be built and saved, to submit later
    let offline = false;
    try {
      this.session.api();
    } catch {
      offline = true;
    }
    const built = await buildRunToSubmit(this.session, doc, { kind: res.kind, object }, { offline });
    if (!built) return undefined;
    return this.submitItems(
      [{ object: built.run, source: { text, documentIndex: res.index, fieldToSource: built.fieldToSource } }],
      doc,
      version,
    );
  }

  /** Submits the resources the last simulation rendered, with Tekton Triggers' labels, to the current namespace. */
  async submitSimulation(): Promise<SubmitResult | undefined> {
    if (!this.kube.checkTrust()) return undefined;
    const result = this.host.simulation.lastResult?.result;
    const fired = (result?.triggers ?? []).filter((t) => t.status === 'fired' && t.resources?.length);
    if (!fired.length) {
      void vscode.window.showWarningMessage(
        'Tekton: the last simulation rendered nothing to submit. Run "Tekton: Simulate Event" on an EventListener or Trigger first.',
      );
      return undefined;
    }
    const api = this.kube.apiOrError();
    if (!api) return undefined;
    const items: SubmitItem[] = [];
    const problems: string[] = [];
    for (const t of fired) {
      const r = itemsFromSimulation(
        t.resources,
        { eventListener: result?.eventListener?.name ?? '', trigger: t.name, eventId: result?.eventID ?? '' },
        api.namespace,
      );
      items.push(...r.items);
      problems.push(...r.problems);
    }
    if (problems.length) {
      void vscode.window.showErrorMessage(`Tekton: some resources did not render: ${problems.join('; ')}`);
      if (!items.length) return undefined;
    }
    return this.submitItems(items);
  }

  /** Submits a copy of a run of the Runs view, under a new generated name. */
  async rerun(e?: RunsElement): Promise<SubmitResult | undefined> {
    if (!this.kube.checkTrust()) return undefined;
    const run = runOf(e);
    if (!run) return undefined;
    return this.submitItems([{ object: rerunOf(run.node.object) }]);
  }

  /** The common flow: dry run → confirmation → create, then follow. */
  private async submitItems(items: SubmitItem[], doc?: vscode.TextDocument, version?: number): Promise<SubmitResult | undefined> {
    const api = this.kube.apiOrError();
    if (!api) return undefined;
    if (doc) this.diagnostics.delete(doc.uri);
    const log = this.host.outputChannel;
    const what = items.map((i) => `${i.object.kind} ${i.object.metadata?.name ?? `${i.object.metadata?.generateName ?? ''}…`}`);
    log.info(`Submitting ${what.join(', ')} to context "${api.info.contextName}", namespace "${api.namespace}": dry run`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Tekton: submitting…' },
      () =>
        submit(api, items, {
          isTrusted: () => vscode.workspace.isTrusted,
          confirm: (summary) => confirm(summary),
        }),
    );
    switch (result.outcome) {
      case 'cancelled':
        log.info('Submission cancelled at the confirmation: nothing was created');
        vscode.window.setStatusBarMessage('Tekton: nothing was created', 5000);
        return result;
      case 'failed': {
        const err = result.error;
        log.warn(`Submission failed at ${result.stage}: ${err.message}`);
        const item = result.itemIndex !== undefined ? items[result.itemIndex] : undefined;
        let placed = 0;
        if (doc && item?.source && result.causes?.length && doc.version === version) {
          const diags = result.causes
            .filter((c) => c.location)
            .map((c) => {
              const d = new vscode.Diagnostic(
                new vscode.Range(doc.positionAt(c.location!.start), doc.positionAt(c.location!.end)),
                `${c.message}${c.field ? ` (${c.field})` : ''}`,
                vscode.DiagnosticSeverity.Error,
              );
              d.source = `cluster ${api.info.contextName}`;
              if (c.reason) d.code = c.reason;
              return d;
            });
          placed = diags.length;
          this.diagnostics.set(doc.uri, diags);
        }
        this.follower.startFollowing(result.created);
        const stage =
          result.stage === 'dry-run' ? 'the server-side dry run rejected it' : result.stage === 'create' ? 'creating it failed' : 'it was not sent';
        void this.kube.showKubeError(`Tekton: ${stage}: ${err.message}`, err, placed ? ['Show Problems'] : []);
        return result;
      }
      case 'created':
        for (const o of result.created)
          log.info(`Created ${o.kind} "${o.metadata?.name}" in namespace "${o.metadata?.namespace}" (context "${api.info.contextName}")`);
        this.follower.startFollowing(result.created);
        return result;
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

/**
 * The document to submit: document `index` of the file, else the runnable one under the cursor, else the only
 * runnable one, else the one the user picks (null: the pick was dismissed). Undefined when there is none.
 */
async function pickDocument(
  doc: vscode.TextDocument,
  editor: vscode.TextEditor | undefined,
  index: number | undefined,
): Promise<FileResource | null | undefined> {
  const text = doc.getText();
  const all = readResources(text);
  if (typeof index === 'number') return all[index];
  const at = editor && editor.document === doc ? resourceAt(text, doc.offsetAt(editor.selection.active)) : undefined;
  if (at && isRunnable(at)) return at;
  const runnable = all.filter(isRunnable);
  if (runnable.length <= 1) return runnable[0];
  const picked = await vscode.window.showQuickPick(
    runnable.map((r) => ({ label: `${r.kind} ${r.name ?? '(unnamed)'}`, description: r.apiVersion, r })),
    { title: 'Tekton: which document to submit?' },
  );
  return picked ? picked.r : null;
}

async function confirm(summary: SubmitSummary): Promise<boolean> {
  const n = summary.resources.length;
  const answer = await vscode.window.showWarningMessage(
    `Create ${n === 1 ? `this ${summary.resources[0].kind}` : `these ${n} resources`} in the cluster?`,
    { modal: true, detail: describeSummary(summary) },
    'Create',
  );
  return answer === 'Create';
}
