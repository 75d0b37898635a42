/**
 * Where the extension reaches Kubeflow Pipelines: the endpoint of `tekton.kfp.endpoint` with the bearer token kept in
 * the editor's secret storage (multi-user installs), else the current kube context through the API server's service
 * proxy to `ml-pipeline` in `tekton.kfp.namespace` (standalone installs; kubeconfig handling shared with the Tekton
 * side through the KubeSession). Built again on every use so that a changed setting, token or context applies at once.
 */
import * as vscode from 'vscode';
import { KFP_DEFAULT_NAMESPACE, KfpApi, type KfpTarget } from '../../../server/src/kube/kfpApi';
import type { KubeSession } from '../runs/session';

const TOKEN_KEY = 'tekton.kfp.token';

export class KfpConnection {
  constructor(
    private readonly session: KubeSession,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  /** The namespace of the ml-pipeline Service (and, on standalone installs, of the runs' pods). */
  get namespace(): string {
    return vscode.workspace.getConfiguration('tekton.kfp').get<string>('namespace')?.trim() || KFP_DEFAULT_NAMESPACE;
  }

  /** The API at the configured target. Throws KubeError (`no-kubeconfig`, `no-context`) without an endpoint. */
  async api(): Promise<KfpApi> {
    const endpoint = vscode.workspace.getConfiguration('tekton.kfp').get<string>('endpoint')?.trim();
    let target: KfpTarget;
    if (endpoint) target = { kind: 'endpoint', url: endpoint, token: (await this.secrets.get(TOKEN_KEY)) || undefined };
    else target = { kind: 'proxy', context: this.session.resolved(), namespace: this.namespace };
    return new KfpApi(target, { endpointAdvice: 'set `tekton.kfp.endpoint` and run "Kubeflow Pipelines: Set API Token" with' });
  }

  /** Asks for the bearer token of the endpoint and keeps it in secret storage (empty: forget it). */
  async setToken(): Promise<void> {
    const token = await vscode.window.showInputBox({
      title: 'Kubeflow Pipelines: API token',
      prompt: 'A ServiceAccount token for the KFP endpoint (e.g. from `kubectl create token default-editor -n <profile> --audience pipelines.kubeflow.org`). Leave empty to forget the stored one.',
      password: true,
      ignoreFocusOut: true,
    });
    if (token === undefined) return;
    if (token.trim()) await this.secrets.store(TOKEN_KEY, token.trim());
    else await this.secrets.delete(TOKEN_KEY);
    void vscode.window.showInformationMessage(token.trim() ? 'Kubeflow Pipelines: token stored.' : 'Kubeflow Pipelines: token forgotten.');
  }
}
