/**
 * "Submit and follow runs in the current kube context", the VS Code side of server/src/kube: the context/namespace
 * status item and pickers (context.ts), Submit Run on run documents, on Pipelines/Tasks (asking for params and
 * workspaces) and on a simulation's rendered resources, always as server-side dry run → modal confirmation → create
 * (submit.ts, build.ts), API errors as diagnostics, following the created runs (follow.ts), and the Runs view with
 * cancel, re-run, step logs and live YAML (runsView.ts, actions.ts). The "▶ Submit Run" code lenses come from the
 * language server; lenses.ts decides whether they are shown. Submission is refused in untrusted workspaces (the
 * commands are also disabled there through `enablement`).
 */
import * as vscode from 'vscode';
import { KfpFeature } from '../kfp';
import { RunActions } from './actions';
import { KubeContextUi } from './context';
import { LiveYamlDocuments, StepLogDocuments } from './documents';
import { RunFollower } from './follow';
import { RunsView, type RunsElement } from './runsView';
import { KubeSession } from './session';
import { RunSubmission, type RunsHost } from './submit';

export type { RunsHost } from './submit';

export class RunsFeature implements vscode.Disposable {
  readonly session: KubeSession;
  readonly view: RunsView;
  readonly logs: StepLogDocuments;
  readonly live: LiveYamlDocuments;
  readonly kube: KubeContextUi;
  readonly actions: RunActions;
  readonly submission: RunSubmission;
  /** Kubeflow Pipelines runs, shown in the same view. */
  readonly kfp: KfpFeature;
  private readonly disposables: vscode.Disposable[];

  constructor(context: vscode.ExtensionContext, host: RunsHost) {
    const log = host.outputChannel;
    this.session = new KubeSession(context, log);
    this.logs = new StepLogDocuments(this.session, log);
    this.kube = new KubeContextUi(this.session, log);
    this.kfp = new KfpFeature(context, this.session, this.kube, this.logs, log);
    this.view = new RunsView(this.session, this.kfp);
    this.kfp.revealElement = (e) => this.view.revealElement(e);
    this.live = new LiveYamlDocuments(this.session);
    this.actions = new RunActions(this.session, this.kube, this.logs, this.live, log);
    const follower = new RunFollower(this.session, this.view, this.actions, log);
    this.submission = new RunSubmission(host, this.session, this.kube, follower);
    this.disposables = [
      this.session,
      this.kfp,
      this.view,
      this.logs,
      this.live,
      this.submission,
      vscode.commands.registerCommand('tekton.selectContext', (name?: string) => this.kube.selectContext(name)),
      vscode.commands.registerCommand('tekton.pickKubeconfig', () => this.pickKubeconfig()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tekton.kube.kubeconfig')) this.session.reload(true);
      }),
      vscode.commands.registerCommand('tekton.selectNamespace', (ns?: string) => this.kube.selectNamespace(ns)),
      vscode.commands.registerCommand('tekton.submitRun', (uri?: string | vscode.Uri, index?: number) =>
        this.submission.submitRun(uri, index),
      ),
      vscode.commands.registerCommand('tekton.submitSimulation', () => this.submission.submitSimulation()),
      vscode.commands.registerCommand('tekton.refreshRuns', () =>
        Promise.all([this.session.refresh(), this.kfp.runs.refresh()]),
      ),
      vscode.commands.registerCommand('tekton.cancelRun', (e?: RunsElement) => this.actions.cancel(e)),
      vscode.commands.registerCommand('tekton.rerun', (e?: RunsElement) => this.submission.rerun(e)),
      vscode.commands.registerCommand('tekton.openStepLog', (e?: RunsElement) => this.actions.openStepLog(e)),
      vscode.commands.registerCommand('tekton.openLiveYaml', (e?: RunsElement) => this.actions.openLiveYaml(e)),
    ];
  }

  /** Asks for a kubeconfig file and keeps it in `tekton.kube.kubeconfig` (user settings). */
  private async pickKubeconfig(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Kubeconfig file for Tekton runs',
      canSelectMany: false,
      openLabel: 'Use This Kubeconfig',
    });
    if (!picked?.[0]) return;
    await vscode.workspace.getConfiguration('tekton.kube').update('kubeconfig', picked[0].fsPath, vscode.ConfigurationTarget.Global);
    this.session.reload(true);
    const info = this.session.info;
    void vscode.window.showInformationMessage(
      info ? `Tekton: using context "${info.contextName}" of ${picked[0].fsPath}.` : `Tekton: ${this.session.error?.message ?? 'no context in that file.'}`,
    );
  }

  /** The diagnostics of API errors placed in submitted files. */
  get diagnostics(): vscode.DiagnosticCollection {
    return this.submission.diagnostics;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
