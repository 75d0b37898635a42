/**
 * "Submit Run" on a Pipeline or Task: asks for its params and workspaces, builds the PipelineRun or TaskRun (as
 * `tkn pipeline start` would, with `generateName`), and asks whether to submit it, save it as a file first, or only
 * save it.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { buildRun, describeRunInputs, type BuiltRun } from '../../../server/src/kube/runBuilder';
import type { KubeObject } from '../../../server/src/kube/tektonApi';
import { askParams, askWorkspaces } from './questions';
import type { KubeSession } from './session';

/** A run built and meant to be submitted; undefined when the user stopped, or only saved it. */
export type RunToSubmit = Required<Pick<BuiltRun, 'run' | 'fieldToSource'>>;

export async function buildRunToSubmit(
  session: KubeSession,
  doc: vscode.TextDocument,
  resource: { kind?: string; object: KubeObject },
  options: { offline?: boolean } = {},
): Promise<RunToSubmit | undefined> {
  const inputs = describeRunInputs(resource.object)!;
  const title = `Submit Run of ${resource.kind} ${inputs.name || '(unnamed)'}`;
  const params = await askParams(inputs, title);
  if (!params) return undefined;
  const workspaces = await askWorkspaces(inputs, title);
  if (!workspaces) return undefined;
  const config = vscode.workspace.getConfiguration('tekton', doc.uri);
  const built = buildRun(resource.object, {
    params,
    workspaces,
    reference: config.get<'embed' | 'cluster'>('submit.pipelineReference', 'embed'),
    serviceAccountName: config.get<string>('submit.serviceAccountName', '') || undefined,
  });
  if (!built.run) {
    void vscode.window.showErrorMessage(`Tekton: ${built.problems.map((p) => p.message).join('; ')}`);
    return undefined;
  }
  const info = session.info;
  const choices = options.offline
    ? [
        { label: '$(save-as) Save as a file', description: 'no Kubernetes context: submit it once there is one', id: 'save' },
        { label: '$(file-symlink-file) Use a Kubeconfig File…', id: 'kubeconfig' },
      ]
    : [
        {
          label: '$(cloud-upload) Submit',
          description: `dry run, then confirm, in ${info?.contextName} / ${info?.namespace}`,
          id: 'submit',
        },
        { label: '$(save) Save as a file, then submit', id: 'save-submit' },
        { label: '$(save-as) Save as a file only', id: 'save' },
      ];
  const action = await vscode.window.showQuickPick(
    choices,
    { title: `${title}: ${built.run.kind} ${String(built.run.metadata?.generateName)}…`, ignoreFocusOut: true },
  );
  if (!action) return undefined;
  if (action.id === 'kubeconfig') {
    void vscode.commands.executeCommand('tekton.pickKubeconfig');
    return undefined;
  }
  if (action.id !== 'submit' && !(await saveRun(doc, built.run))) return undefined;
  if (action.id === 'save') return undefined;
  return { run: built.run, fieldToSource: built.fieldToSource };
}

/** Writes the built run next to the source (the user picks where); true when saved. */
async function saveRun(source: vscode.TextDocument, run: KubeObject): Promise<boolean> {
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
