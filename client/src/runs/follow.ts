/**
 * Following the runs created from here: they are marked as submitted in the Runs view, revealed there, and each gets
 * a progress notification (cancellable: it cancels the run) until it ends, then a message with how it ended.
 */
import * as vscode from 'vscode';
import type { KubeObject } from '../../../server/src/kube/tektonApi';
import type { RunNode } from '../../../server/src/kube/watcher';
import type { RunActions } from './actions';
import { formatDuration, isActive, runStatusText } from './format';
import type { RunsView } from './runsView';
import type { KubeSession } from './session';

export class RunFollower {
  private readonly following = new Set<string>();

  constructor(
    private readonly session: KubeSession,
    private readonly view: RunsView,
    private readonly actions: RunActions,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Marks created runs as submitted from here, shows them in the Runs view and follows each with a notification. */
  startFollowing(created: KubeObject[]): void {
    const runs = created.filter((o) => (o.kind === 'PipelineRun' || o.kind === 'TaskRun') && o.metadata?.name);
    if (!runs.length) return;
    void this.session.watch().then(() => {
      for (const o of runs) this.session.markSubmitted(o.kind!, o.metadata!.name!);
      void this.waitForRun(runs[0].kind!, runs[0].metadata!.name!).then((found) => {
        if (found) void this.view.reveal(found.kind, found.name);
      });
      for (const o of runs) this.followWithProgress(o.kind as 'PipelineRun' | 'TaskRun', o.metadata!.name!);
    });
  }

  /** Resolves when the watch has the run (or after 15 s). */
  private waitForRun(kind: string, name: string): Promise<RunNode | undefined> {
    return new Promise((resolve) => {
      const check = () => findRun(this.session.runs, kind, name);
      const now = check();
      if (now) return resolve(now);
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(undefined);
      }, 15_000);
      const sub = this.session.onDidChangeRuns(() => {
        const n = check();
        if (!n) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(n);
      });
    });
  }

  private followWithProgress(kind: 'PipelineRun' | 'TaskRun', name: string): void {
    const key = `${kind}/${name}`;
    if (this.following.has(key)) return;
    this.following.add(key);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${kind} ${name}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let last = '';
          let finished = false;
          const subs: vscode.Disposable[] = [];
          const done = (node?: RunNode) => {
            if (finished) return;
            finished = true;
            subs.forEach((s) => s.dispose());
            this.following.delete(key);
            resolve();
            if (node) this.announce(node);
          };
          const update = () => {
            const node = findRun(this.session.runs, kind, name);
            if (!node) return;
            const message = progressMessage(node);
            if (message !== last) progress.report({ message: (last = message) });
            if (!isActive(node.state)) done(node);
          };
          subs.push(
            this.session.onDidChangeRuns(update),
            this.session.onDidChangeContext(() => done()),
            token.onCancellationRequested(() => {
              done();
              const node = findRun(this.session.runs, kind, name);
              if (node && isActive(node.state)) void this.actions.cancel({ type: 'run', id: key, node });
            }),
          );
          update();
        }),
    );
  }

  private announce(node: RunNode): void {
    const d = formatDuration(node.durationMs);
    const text = `Tekton: ${node.kind} ${node.name} ${runStatusText(node)}${d ? ` after ${d}` : ''}${node.state === 'succeeded' || !node.message ? '' : `: ${node.message}`}`;
    this.log.info(text.replace(/^Tekton: /, ''));
    const element = this.view.find(node.kind, node.name);
    const show = (a: string | undefined) => {
      if (a === 'Open Live YAML' && element) void this.actions.openLiveYaml(element);
    };
    if (node.state === 'succeeded') void vscode.window.showInformationMessage(text).then(show);
    else void vscode.window.showErrorMessage(text, 'Open Live YAML').then(show);
  }
}

function findRun(nodes: readonly RunNode[], kind: string, name: string): RunNode | undefined {
  for (const n of nodes) {
    if (n.kind === kind && n.name === name) return n;
    const c = findRun(n.children, kind, name);
    if (c) return c;
  }
  return undefined;
}

/** `Running · 1/3 tasks done · 12s`. */
function progressMessage(n: RunNode): string {
  const parts = [runStatusText(n)];
  if (n.kind === 'PipelineRun' && n.children.length)
    parts.push(`${n.children.filter((c) => !isActive(c.state)).length}/${n.children.length} tasks done`);
  if (n.kind === 'TaskRun' && n.steps.length)
    parts.push(`${n.steps.filter((s) => ['succeeded', 'failed', 'skipped'].includes(s.state)).length}/${n.steps.length} steps done`);
  const running = n.children.find((c) => c.state === 'running');
  if (running) parts.push(`running ${running.pipelineTaskName ?? running.name}`);
  return parts.join(' · ');
}
