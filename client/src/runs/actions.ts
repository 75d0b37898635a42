/** What the Runs view offers on a run or a step: cancel a run, open a step's log, open a run's live YAML. */
import * as vscode from 'vscode';
import { KubeError } from '../../../server/src/kube/errors';
import type { KubeContextUi } from './context';
import type { LiveYamlDocuments, StepLogDocuments } from './documents';
import { runOf, type RunsElement } from './runsView';
import type { KubeSession } from './session';

export class RunActions {
  constructor(
    private readonly session: KubeSession,
    private readonly kube: KubeContextUi,
    private readonly logs: StepLogDocuments,
    private readonly live: LiveYamlDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async cancel(e?: RunsElement): Promise<boolean> {
    const run = runOf(e);
    if (!run) return false;
    const n = run.node;
    const info = this.session.info;
    const answer = await vscode.window.showWarningMessage(
      `Cancel ${n.kind} "${n.name}"?`,
      {
        modal: true,
        detail: `In context "${info?.contextName}", namespace "${n.namespace}". Tekton stops its pods; ${n.kind === 'PipelineRun' ? 'finally tasks do not run.' : 'the TaskRun fails as cancelled.'}`,
      },
      'Cancel Run',
    );
    if (answer !== 'Cancel Run') return false;
    const api = this.kube.apiOrError();
    if (!api) return false;
    try {
      await api.cancel({ apiVersion: n.apiVersion, kind: n.kind, name: n.name, namespace: n.namespace });
      this.log.info(`Requested cancellation of ${n.kind} "${n.name}"`);
      vscode.window.setStatusBarMessage(`Tekton: cancelling ${n.kind} ${n.name}`, 5000);
      return true;
    } catch (err) {
      const k = err instanceof KubeError ? err : new KubeError('server', this.session.redact(String(err)));
      void this.kube.showKubeError(`Tekton: could not cancel ${n.kind} ${n.name}: ${k.message}`, k);
      return false;
    }
  }

  async openStepLog(e?: RunsElement): Promise<vscode.TextEditor | undefined> {
    if (e?.type !== 'step') return undefined;
    const taskRun = e.parent.node;
    if (!taskRun.podName) {
      void vscode.window.showInformationMessage(`Tekton: the TaskRun ${taskRun.name} has no pod yet: no log to show.`);
      return undefined;
    }
    return this.logs.open({
      namespace: taskRun.namespace,
      taskRun: taskRun.name,
      step: e.step.name,
      pod: taskRun.podName,
      container: e.step.container,
    });
  }

  async openLiveYaml(e?: RunsElement): Promise<vscode.TextEditor | undefined> {
    const run = runOf(e);
    if (!run) return undefined;
    const n = run.node;
    return this.live.open({ apiVersion: n.apiVersion, kind: n.kind, name: n.name, namespace: n.namespace });
  }
}
