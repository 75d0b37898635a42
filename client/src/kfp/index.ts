/**
 * Kubeflow Pipelines runs from the editor: Submit Run and Sweep on a compiled pipeline (submit.ts), the runs in the
 * Runs view beside Tekton's (runs.ts, tree.ts) with terminate, retry and archive, a task's log through the kube
 * context, and read-only Markdown documents of a run's artifacts and metrics, of an artifact's lineage, and of a
 * comparison of runs (`tekton-kfp:` URIs, format.ts). Everything it reads and sends goes through server/src/kube,
 * the core `tekton-ls kfp submit` uses.
 */
import * as vscode from 'vscode';
import type { KfpRun } from '../../../server/src/kube/kfpApi';
import { artifactLineage, readRunView } from '../../../server/src/kube/kfpRunDetails';
import type { KubeContextUi } from '../runs/context';
import type { StepLogDocuments } from '../runs/documents';
import type { KubeSession } from '../runs/session';
import { KfpConnection } from './connection';
import { artifactsMarkdown, compareMarkdown, lineageMarkdown } from './format';
import { KfpRuns } from './runs';
import { KfpSubmission } from './submit';
import { isKfpElement, KfpRunsTree, runElement, type KfpArtifactElement, type KfpElement, type KfpTaskElement } from './tree';

export const KFP_DOC_SCHEME = 'tekton-kfp';

export class KfpFeature implements vscode.Disposable {
  readonly connection: KfpConnection;
  readonly runs: KfpRuns;
  readonly tree: KfpRunsTree;
  readonly submission: KfpSubmission;
  private readonly docs = new Map<string, string>();
  private readonly docChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[];
  get onDidChange(): vscode.Event<void> {
    return this.runs.onDidChange;
  }

  get listError(): string | undefined {
    return this.runs.listError;
  }

  refresh(): Promise<void> {
    return this.runs.refresh();
  }

  /** Set by the Runs view once it exists: shows an element there. */
  revealElement: (e: KfpElement) => Promise<void> = async () => undefined;

  constructor(
    context: vscode.ExtensionContext,
    session: KubeSession,
    kube: KubeContextUi,
    private readonly logs: StepLogDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.connection = new KfpConnection(session, context.secrets);
    this.runs = new KfpRuns(this.connection, log);
    this.tree = new KfpRunsTree(this.runs);
    this.submission = new KfpSubmission(this.connection, this.runs, kube, log, async (created) => {
      if (created[0]) await this.revealElement(runElement(created[0].run_id));
    });
    const provider: vscode.TextDocumentContentProvider = {
      onDidChange: this.docChanged.event,
      provideTextDocumentContent: (uri) => this.docs.get(uri.toString()) ?? '',
    };
    this.disposables = [
      this.runs,
      this.docChanged,
      vscode.workspace.registerTextDocumentContentProvider(KFP_DOC_SCHEME, provider),
      vscode.commands.registerCommand('tekton.kfp.submitRun', (uri?: string | vscode.Uri) => this.submission.submitRun(uri)),
      vscode.commands.registerCommand('tekton.kfp.sweep', (uri?: string | vscode.Uri) => this.submission.sweep(uri)),
      vscode.commands.registerCommand('tekton.kfp.refreshRuns', () => this.runs.refresh(true)),
      vscode.commands.registerCommand('tekton.kfp.setToken', () => this.connection.setToken()),
      vscode.commands.registerCommand('tekton.kfp.terminateRun', (e?: KfpElement) => this.terminate(e)),
      vscode.commands.registerCommand('tekton.kfp.retryRun', (e?: KfpElement) => this.runAction(e, 'retry')),
      vscode.commands.registerCommand('tekton.kfp.archiveRun', (e?: KfpElement) => this.runAction(e, 'archive')),
      vscode.commands.registerCommand('tekton.kfp.showArtifacts', (e?: KfpElement) => this.showArtifacts(e)),
      vscode.commands.registerCommand('tekton.kfp.showLineage', (e?: KfpArtifactElement) => this.showLineage(e)),
      vscode.commands.registerCommand('tekton.kfp.compareRuns', (e?: KfpElement) => this.compare(e)),
      vscode.commands.registerCommand('tekton.kfp.openTaskLog', (e?: KfpTaskElement) => this.openTaskLog(e)),
    ];
  }

  /** The run a command is about: the element's, or one picked from the known runs. */
  private async runOf(e: KfpElement | undefined, title: string): Promise<KfpRun | undefined> {
    if (isKfpElement(e)) return this.runs.get(e.runId)?.run;
    const all = this.runs.all;
    if (!all.length) {
      void vscode.window.showInformationMessage('Kubeflow Pipelines: no runs known yet. Submit one, or run "Kubeflow Pipelines: Show Recent Runs".');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      all.map((x) => ({ label: x.run.display_name ?? x.run.run_id, description: x.run.state, run: x.run })),
      { title },
    );
    return picked?.run;
  }

  private async terminate(e: KfpElement | undefined): Promise<void> {
    const run = await this.runOf(e, 'Kubeflow Pipelines: terminate which run?');
    if (!run) return;
    const api = await this.connection.api();
    const ok = await vscode.window.showWarningMessage(
      `Terminate the Kubeflow Pipelines run "${run.display_name ?? run.run_id}"?`,
      { modal: true, detail: `Target: ${api.describe()}` },
      'Terminate',
    );
    if (ok !== 'Terminate') return;
    await this.runAction({ type: 'kfpRun', id: `kfp/${run.run_id}`, runId: run.run_id }, 'terminate');
  }

  private async runAction(e: KfpElement | undefined, action: 'terminate' | 'retry' | 'archive'): Promise<void> {
    const run = await this.runOf(e, `Kubeflow Pipelines: ${action} which run?`);
    if (!run) return;
    try {
      const api = await this.connection.api();
      if (action === 'terminate') await api.terminateRun(run.run_id);
      else if (action === 'retry') await api.retryRun(run.run_id);
      else await api.archiveRun(run.run_id);
      this.log.info(`Kubeflow Pipelines: ${action} of run ${run.run_id} at ${api.describe()}`);
      if (action === 'archive') this.runs.forget(run.run_id);
      else this.runs.follow(run.run_id);
    } catch (err) {
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: could not ${action} run "${run.display_name ?? run.run_id}": ${(err as Error).message}`);
    }
  }

  private async showArtifacts(e: KfpElement | undefined): Promise<vscode.TextEditor | undefined> {
    const run = await this.runOf(e, 'Kubeflow Pipelines: artifacts of which run?');
    if (!run) return undefined;
    try {
      const api = await this.connection.api();
      const view = await readRunView(api, run.run_id);
      return this.openDoc(`/${safe(run.display_name ?? run.run_id)} — artifacts.md`, artifactsMarkdown(view, api.describe()));
    } catch (err) {
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async showLineage(e: KfpArtifactElement | undefined): Promise<vscode.TextEditor | undefined> {
    const artifact = e && this.tree.artifact(e);
    const run = e && this.runs.get(e.runId)?.run;
    if (!artifact?.id || !run) {
      void vscode.window.showInformationMessage('Kubeflow Pipelines: pick an artifact of a run in the Runs view to see its lineage.');
      return undefined;
    }
    try {
      const lineage = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Lineage of ${artifact.key}` },
        async () => artifactLineage(await this.connection.api(), run, artifact.id!),
      );
      return this.openDoc(`/lineage of ${safe(artifact.key)} (${safe(artifact.id!)}).md`, lineageMarkdown(artifact, lineage));
    } catch (err) {
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async compare(e: KfpElement | undefined): Promise<vscode.TextEditor | undefined> {
    const all = this.runs.all;
    if (all.length < 2) {
      void vscode.window.showInformationMessage('Kubeflow Pipelines: comparing needs two runs in the Runs view.');
      return undefined;
    }
    const first = isKfpElement(e) ? e.runId : undefined;
    const picked = await vscode.window.showQuickPick(
      all.map((x) => ({ label: x.run.display_name ?? x.run.run_id, description: x.run.state, picked: x.run.run_id === first, id: x.run.run_id })),
      { title: 'Kubeflow Pipelines: compare which runs? (two or more)', canPickMany: true },
    );
    if (!picked) return undefined;
    if (picked.length < 2) {
      void vscode.window.showWarningMessage('Kubeflow Pipelines: pick at least two runs to compare.');
      return undefined;
    }
    try {
      const api = await this.connection.api();
      const views = await Promise.all(picked.map((p) => readRunView(api, p.id)));
      return this.openDoc(`/compare ${safe(picked.map((p) => p.label).join(' vs '))}.md`, compareMarkdown(views));
    } catch (err) {
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** A task's log: its executor pod's `main` container, through the kube context. */
  private async openTaskLog(e: KfpTaskElement | undefined): Promise<void> {
    const task = e && this.tree.task(e);
    if (!e || !task?.podName) {
      void vscode.window.showInformationMessage('Kubeflow Pipelines: this task has no pod reported by the server (yet).');
      return;
    }
    const run = this.runs.get(e.runId)?.run;
    const namespace = (typeof run?.namespace === 'string' && run.namespace) || this.connection.namespace;
    await this.logs.open({ namespace, taskRun: e.runId, step: task.name, pod: task.podName, container: 'main' });
  }

  private async openDoc(path: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: KFP_DOC_SCHEME, path });
    this.docs.set(uri.toString(), text);
    this.docChanged.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** A name usable as one path segment of a document URI. */
function safe(name: string): string {
  return name.replace(/[\\/#?%]/g, '_').slice(0, 80);
}
