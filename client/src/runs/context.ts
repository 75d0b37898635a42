/**
 * Which cluster runs go to, and what to say when it cannot be reached: the context and namespace pickers (the
 * extension's own choice, the kubeconfig is written only when asked), the API of the chosen context, workspace trust,
 * and Kubernetes errors shown with the action that fixes them.
 */
import * as vscode from 'vscode';
import { KubeError } from '../../../server/src/kube/errors';
import { writeCurrentContext } from './kubeconfigWrite';
import type { KubeSession } from './session';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class KubeContextUi {
  constructor(
    private readonly session: KubeSession,
    private readonly log: vscode.LogOutputChannel,
  ) {}

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
            this.log.info(`Wrote current-context: ${chosen} to ${file}`);
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

  /** True in a trusted workspace; otherwise says that submitting is disabled, with a way to trust it. */
  checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage('Tekton: submitting runs is disabled in an untrusted workspace.', 'Manage Workspace Trust')
      .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  /** The API of the current context, or undefined after showing why there is none. */
  apiOrError() {
    try {
      return this.session.api();
    } catch (e) {
      const err = e instanceof KubeError ? e : new KubeError('no-context', this.session.redact(String(e)));
      void this.showKubeError(`Tekton: ${err.message}`, err);
      return undefined;
    }
  }

  /** Shows a (redacted) error with the actions that may fix its kind, and runs the one picked. */
  async showKubeError(message: string, err: KubeError, extra: string[] = []): Promise<void> {
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
}
