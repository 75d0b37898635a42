/**
 * "Submit and follow runs in the current kube context", the VS Code side of client/src/kube: the context/namespace
 * status item and pickers, Submit Run (command palette and code lens) on run documents, on Pipelines/Tasks (asking for
 * params and workspaces) and on a simulation's rendered resources, always as server-side dry run → modal
 * confirmation → create; API errors as diagnostics; the Runs view with cancel, re-run, step logs and live YAML.
 * Submission is refused in untrusted workspaces (the commands are also disabled there through `enablement`).
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import type { SimulateRequest } from '../../../server/src/protocol';
import { KubeError } from '../../../server/src/kube/errors';
import { readResources, resourceAt, type FileResource } from '../../../server/src/kube/fieldMapping';
import { buildRun, describeRunInputs, rerunOf } from '../../../server/src/kube/runBuilder';
import {
  describeSummary,
  itemsFromSimulation,
  submit,
  type SimulatedResource,
  type SubmitItem,
  type SubmitResult,
  type SubmitSummary,
} from '../../../server/src/kube/submit';
import type { KubeObject } from '../../../server/src/kube/tektonApi';
import type { RunNode } from '../../../server/src/kube/watcher';
import { isRunnable, SubmitCodeLens } from './codeLens';
import { LiveYamlDocuments, StepLogDocuments } from './documents';
import { formatDuration, isActive, runStatusText } from './format';
import { writeCurrentContext } from './kubeconfigWrite';
import { askParams, askWorkspaces } from './questions';
import { RunsView, type RunsElement, type RunElement, type StepElement } from './runsView';
import { KubeSession } from './session';

/** What the extension's client offers this feature (a subset of TektonClient). */
export interface RunsHost {
  outputChannel: vscode.LogOutputChannel;
  simulation: { lastResult: SimulateRequest.Result | undefined };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class RunsFeature implements vscode.Disposable {
  readonly session: KubeSession;
  readonly view: RunsView;
  readonly logs: StepLogDocuments;
  readonly live: LiveYamlDocuments;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('tekton-submit');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly following = new Set<string>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly host: RunsHost,
  ) {
    const log = host.outputChannel;
    this.session = new KubeSession(context, log);
    this.view = new RunsView(this.session);
    this.logs = new StepLogDocuments(this.session, log);
    this.live = new LiveYamlDocuments(this.session);
    this.disposables.push(
      this.session,
      this.view,
      this.logs,
      this.live,
      this.diagnostics,
      new SubmitCodeLens(),
      // the placed API errors describe the text that was submitted: an edit makes them stale
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
      }),
      vscode.commands.registerCommand('tekton.selectContext', (name?: string) => this.selectContext(name)),
      vscode.commands.registerCommand('tekton.selectNamespace', (ns?: string) => this.selectNamespace(ns)),
      vscode.commands.registerCommand('tekton.submitRun', (uri?: string | vscode.Uri, index?: number) =>
        this.submitRun(uri, index),
      ),
      vscode.commands.registerCommand('tekton.submitSimulation', () => this.submitSimulation()),
      vscode.commands.registerCommand('tekton.refreshRuns', () => this.session.refresh()),
      vscode.commands.registerCommand('tekton.cancelRun', (e?: RunsElement) => this.cancel(e)),
      vscode.commands.registerCommand('tekton.rerun', (e?: RunsElement) => this.rerun(e)),
      vscode.commands.registerCommand('tekton.openStepLog', (e?: RunsElement) => this.openStepLog(e)),
      vscode.commands.registerCommand('tekton.openLiveYaml', (e?: RunsElement) => this.openLiveYaml(e)),
    );
  }

  // ---- context and namespace -------------------------------------------------------------------------------------

  async selectContext(name?: string): Promise<string | undefined> {
    const contexts = this.session.contexts();
    if (name !== undefined) {
      await this.session.setOverride({ context: name });
      return this.session.info?.contextName;
    }
    const info = this.session.info;
    type Item = vscode.QuickPickItem & { action: 'namespace' | 'context' | 'reset' | 'none'; name?: string };
    const items: Item[] = [];
    if (info)
      items.push({
        label: `$(symbol-namespace) Namespace: ${info.namespace}`,
        description: 'change…',
        action: 'namespace',
      });
    if (this.session.override.context)
      items.push({ label: "$(discard) Use the kubeconfig's current context", action: 'reset' });
    items.push({ label: 'Contexts', kind: vscode.QuickPickItemKind.Separator, action: 'none' });
    for (const c of contexts)
      items.push({
        label: `${c.name === info?.contextName ? '$(check) ' : ''}${c.name}`,
        description: `${c.cluster} · ${c.user} · ${c.namespace}${c.current ? ' · current-context' : ''}`,
        detail: c.server,
        action: 'context',
        name: c.name,
      });
    if (contexts.length === 0)
      items.push({
        label: '$(warning) No contexts',
        description: this.session.error?.message ?? 'the kubeconfig defines no context',
        action: 'none',
      });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Tekton: Kubernetes context for runs',
      placeHolder: `Used by this extension only (KUBECONFIG: ${this.session.kubeconfig?.files.join(', ') || 'none found'})`,
      matchOnDescription: true,
    });
    if (!picked || picked.action === 'none') return undefined;
    if (picked.action === 'namespace') {
      await this.selectNamespace();
      return this.session.info?.contextName;
    }
    if (picked.action === 'reset') {
      await this.session.setOverride({});
      return this.session.info?.contextName;
    }
    await this.session.setOverride({ context: picked.name });
    const chosen = picked.name!;
    const current = this.session.kubeconfig?.currentContext;
    if (chosen !== current)
      void vscode.window
        .showInformationMessage(
          `Tekton uses the context "${chosen}" (your kubeconfig still says "${current ?? 'none'}").`,
          'Also Set as current-context in the kubeconfig',
        )
        .then((answer) => {
          if (!answer) return;
          try {
            const file = writeCurrentContext(this.session.kubeconfig?.files ?? [], chosen);
            this.host.outputChannel.info(`Wrote current-context: ${chosen} to ${file}`);
            this.session.reload();
          } catch (e) {
            void vscode.window.showErrorMessage(`Tekton: could not write the kubeconfig: ${(e as Error).message}`);
          }
        });
    return this.session.info?.contextName;
  }

  async selectNamespace(ns?: string): Promise<string | undefined> {
    if (ns === undefined) {
      const info = this.session.info;
      const contextDefault =
        this.session.contexts().find((c) => c.name === (info?.contextName ?? this.session.override.context))?.namespace ??
        'default';
      const text = await vscode.window.showInputBox({
        title: 'Tekton: namespace for runs',
        value: info?.namespace ?? contextDefault,
        prompt: `Where runs are submitted and followed (empty: the context's own, "${contextDefault}"). The kubeconfig is not changed.`,
        validateInput: (t) =>
          t.trim() === '' || DNS_LABEL.test(t.trim()) ? undefined : 'a namespace is a DNS label: a-z, 0-9 and -',
      });
      if (text === undefined) return undefined;
      ns = text.trim() === contextDefault ? '' : text.trim();
    }
    await this.session.setOverride({ ...this.session.override, namespace: ns || undefined });
    return this.session.info?.namespace;
  }

  // ---- submission ------------------------------------------------------------------------------------------------

  /**
   * Submits the run document under the cursor (or `index` of `uri`), or builds a run of the Pipeline/Task there.
   * Resolves with the outcome, undefined when nothing was attempted.
   */
  async submitRun(uriArg?: string | vscode.Uri, index?: number): Promise<SubmitResult | undefined> {
    if (!this.checkTrust()) return undefined;
    const editor = vscode.window.activeTextEditor;
    const doc = uriArg
      ? await vscode.workspace.openTextDocument(typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg)
      : editor?.document;
    if (!doc) {
      void vscode.window.showWarningMessage('Tekton: open a Pipeline, Task, PipelineRun or TaskRun to submit a run.');
      return undefined;
    }
    // the rendered resources of a simulation go with Tekton Triggers' labels
    if (doc.uri.scheme === 'tekton-simulation') return this.submitSimulation();
    const text = doc.getText();
    const version = doc.version;
    const all = readResources(text);
    const runnable = all.filter(isRunnable);
    let res: FileResource | undefined;
    if (typeof index === 'number') res = all[index];
    else {
      const at =
        editor && editor.document === doc ? resourceAt(text, doc.offsetAt(editor.selection.active)) : undefined;
      if (at && isRunnable(at)) res = at;
      else if (runnable.length === 1) res = runnable[0];
      else if (runnable.length > 1) {
        const picked = await vscode.window.showQuickPick(
          runnable.map((r) => ({ label: `${r.kind} ${r.name ?? '(unnamed)'}`, description: r.apiVersion, r })),
          { title: 'Tekton: which document to submit?' },
        );
        if (!picked) return undefined;
        res = picked.r;
      }
    }
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
    // resolve the context before asking anything: a missing kubeconfig should not come after ten questions
    if (!this.apiOrError()) return undefined;
    const object = res.object as KubeObject;
    if (res.kind === 'PipelineRun' || res.kind === 'TaskRun')
      return this.submitItems([{ object, source: { text, documentIndex: res.index } }], doc, version);

    const inputs = describeRunInputs(object)!;
    const title = `Submit Run of ${res.kind} ${inputs.name || '(unnamed)'}`;
    const params = await askParams(inputs, title);
    if (!params) return undefined;
    const workspaces = await askWorkspaces(inputs, title);
    if (!workspaces) return undefined;
    const config = vscode.workspace.getConfiguration('tekton', doc.uri);
    const built = buildRun(object, {
      params,
      workspaces,
      reference: config.get<'embed' | 'cluster'>('submit.pipelineReference', 'embed'),
      serviceAccountName: config.get<string>('submit.serviceAccountName', '') || undefined,
    });
    if (!built.run) {
      void vscode.window.showErrorMessage(`Tekton: ${built.problems.map((p) => p.message).join('; ')}`);
      return undefined;
    }
    const info = this.session.info;
    const action = await vscode.window.showQuickPick(
      [
        {
          label: '$(cloud-upload) Submit',
          description: `dry run, then confirm, in ${info?.contextName} / ${info?.namespace}`,
          id: 'submit',
        },
        { label: '$(save) Save as a file, then submit', id: 'save-submit' },
        { label: '$(save-as) Save as a file only', id: 'save' },
      ],
      { title: `${title}: ${built.run.kind} ${String(built.run.metadata?.generateName)}…`, ignoreFocusOut: true },
    );
    if (!action) return undefined;
    if (action.id !== 'submit' && !(await this.saveRun(doc, built.run))) return undefined;
    if (action.id === 'save') return undefined;
    return this.submitItems(
      [{ object: built.run, source: { text, documentIndex: res.index, fieldToSource: built.fieldToSource } }],
      doc,
      version,
    );
  }

  /** Submits the resources the last simulation rendered, with Tekton Triggers' labels, to the current namespace. */
  async submitSimulation(): Promise<SubmitResult | undefined> {
    if (!this.checkTrust()) return undefined;
    const last = this.host.simulation.lastResult;
    const result = last?.result as
      | {
          eventID?: string;
          eventListener?: { name: string };
          triggers?: { name: string; status: string; resources?: SimulatedResource[] }[];
        }
      | undefined;
    const fired = (result?.triggers ?? []).filter((t) => t.status === 'fired' && t.resources?.length);
    if (!fired.length) {
      void vscode.window.showWarningMessage(
        'Tekton: the last simulation rendered nothing to submit. Run "Tekton: Simulate Event" on an EventListener or Trigger first.',
      );
      return undefined;
    }
    const api = this.apiOrError();
    if (!api) return undefined;
    const items: SubmitItem[] = [];
    const problems: string[] = [];
    for (const t of fired) {
      const r = itemsFromSimulation(
        t.resources!,
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

  /** The common flow: dry run → confirmation → create, then follow. */
  private async submitItems(items: SubmitItem[], doc?: vscode.TextDocument, version?: number): Promise<SubmitResult | undefined> {
    const api = this.apiOrError();
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
          confirm: (summary) => this.confirm(summary),
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
        this.startFollowing(result.created);
        const stage =
          result.stage === 'dry-run' ? 'the server-side dry run rejected it' : result.stage === 'create' ? 'creating it failed' : 'it was not sent';
        void this.showKubeError(`Tekton: ${stage}: ${err.message}`, err, placed ? ['Show Problems'] : []);
        return result;
      }
      case 'created':
        for (const o of result.created)
          log.info(`Created ${o.kind} "${o.metadata?.name}" in namespace "${o.metadata?.namespace}" (context "${api.info.contextName}")`);
        this.startFollowing(result.created);
        return result;
    }
  }

  private async confirm(summary: SubmitSummary): Promise<boolean> {
    const n = summary.resources.length;
    const answer = await vscode.window.showWarningMessage(
      `Create ${n === 1 ? `this ${summary.resources[0].kind}` : `these ${n} resources`} in the cluster?`,
      { modal: true, detail: describeSummary(summary) },
      'Create',
    );
    return answer === 'Create';
  }

  /** Marks created runs as submitted from here, shows them in the Runs view and follows each with a notification. */
  private startFollowing(created: KubeObject[]): void {
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
              if (node && isActive(node.state)) void this.cancel({ type: 'run', id: key, node });
            }),
          );
          update();
        }),
    );
  }

  private announce(node: RunNode): void {
    const d = formatDuration(node.durationMs);
    const text = `Tekton: ${node.kind} ${node.name} ${runStatusText(node)}${d ? ` after ${d}` : ''}${node.state === 'succeeded' || !node.message ? '' : `: ${node.message}`}`;
    this.host.outputChannel.info(text.replace(/^Tekton: /, ''));
    const element = this.view.find(node.kind, node.name);
    const show = (a: string | undefined) => {
      if (a === 'Open Live YAML' && element) void this.openLiveYaml(element);
    };
    if (node.state === 'succeeded') void vscode.window.showInformationMessage(text).then(show);
    else void vscode.window.showErrorMessage(text, 'Open Live YAML').then(show);
  }

  // ---- run items -------------------------------------------------------------------------------------------------

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
    const api = this.apiOrError();
    if (!api) return false;
    try {
      await api.cancel({ apiVersion: n.apiVersion, kind: n.kind, name: n.name, namespace: n.namespace });
      this.host.outputChannel.info(`Requested cancellation of ${n.kind} "${n.name}"`);
      vscode.window.setStatusBarMessage(`Tekton: cancelling ${n.kind} ${n.name}`, 5000);
      return true;
    } catch (err) {
      const k = err instanceof KubeError ? err : new KubeError('server', this.session.redact(String(err)));
      void this.showKubeError(`Tekton: could not cancel ${n.kind} ${n.name}: ${k.message}`, k);
      return false;
    }
  }

  async rerun(e?: RunsElement): Promise<SubmitResult | undefined> {
    if (!this.checkTrust()) return undefined;
    const run = runOf(e);
    if (!run) return undefined;
    return this.submitItems([{ object: rerunOf(run.node.object) }]);
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

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage('Tekton: submitting runs is disabled in an untrusted workspace.', 'Manage Workspace Trust')
      .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  private apiOrError() {
    try {
      return this.session.api();
    } catch (e) {
      const err = e instanceof KubeError ? e : new KubeError('no-context', this.session.redact(String(e)));
      void this.showKubeError(`Tekton: ${err.message}`, err);
      return undefined;
    }
  }

  private async showKubeError(message: string, err: KubeError, extra: string[] = []): Promise<void> {
    const actions = [...extra];
    if (['no-context', 'unauthorized', 'exec-plugin', 'tls', 'unreachable', 'auth'].includes(err.kind))
      actions.push('Select Context');
    if (err.kind === 'forbidden' || err.kind === 'not-found') actions.push('Select Namespace');
    if (err.kind === 'untrusted') actions.push('Manage Workspace Trust');
    const answer = await vscode.window.showErrorMessage(this.session.redact(message), ...actions);
    if (answer === 'Select Context') await this.selectContext();
    else if (answer === 'Select Namespace') await this.selectNamespace();
    else if (answer === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (answer === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
  }

  /** Writes the built run next to the source (the user picks where); true when saved. */
  private async saveRun(source: vscode.TextDocument, run: KubeObject): Promise<boolean> {
    const name = `${String(run.metadata?.generateName ?? 'run-').replace(/-$/, '')}.yaml`;
    const base =
      source.uri.scheme === 'untitled'
        ? vscode.workspace.workspaceFolders?.[0]?.uri
        : source.uri.with({ path: posix.dirname(source.uri.path) });
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? base.with({ path: posix.join(base.path, name) }) : undefined,
      filters: { YAML: ['yaml', 'yml'] },
      title: `Save the ${run.kind}`,
    });
    if (!target) return false;
    await vscode.workspace.fs.writeFile(target, Buffer.from(stringify(run, { lineWidth: 0 }), 'utf8'));
    await vscode.window.showTextDocument(target, { preview: false, preserveFocus: true });
    return true;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function runOf(e: RunsElement | undefined): RunElement | undefined {
  if (!e) return undefined;
  return e.type === 'run' ? e : (e as StepElement).parent;
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
