/**
 * The questions of "Submit Run" on a Pipeline or Task: one input per declared param (type-aware, the default offered,
 * an enum as a pick list) and one pick per declared workspace (emptyDir, an existing PVC, a volumeClaimTemplate of a
 * given size, a ConfigMap, a Secret, or nothing for an optional one). Escape anywhere cancels the whole submission.
 */
import * as vscode from 'vscode';
import {
  checkWorkspace,
  parseParamInput,
  type ParamQuestion,
  type ParamValue,
  type RunInputs,
  type WorkspaceAnswer,
  type WorkspaceQuestion,
} from '../../../server/src/kube/runBuilder';
import { paramDefaultText, paramInputHint, sameParamValue } from './format';

/** Asks every param; undefined when the user cancelled. Values equal to the default are left out (the default applies). */
export async function askParams(inputs: RunInputs, title: string): Promise<Record<string, ParamValue> | undefined> {
  const out: Record<string, ParamValue> = {};
  const total = inputs.params.length;
  for (const [i, q] of inputs.params.entries()) {
    const stepTitle = `${title}: param ${q.name} (${i + 1}/${total})`;
    const value = q.enum?.length ? await askEnum(q, stepTitle) : await askText(q, stepTitle);
    if (value === null) return undefined;
    if (value !== undefined && !sameParamValue(value, q.default)) out[q.name] = value;
  }
  return out;
}

/** `null` = cancelled, `undefined` = use the default. */
async function askEnum(q: ParamQuestion, title: string): Promise<ParamValue | undefined | null> {
  const values = [...q.enum!];
  if (typeof q.default === 'string' && values.includes(q.default))
    values.splice(0, 0, ...values.splice(values.indexOf(q.default), 1));
  const picked = await vscode.window.showQuickPick(
    values.map((v) => ({ label: v, description: v === q.default ? '(default)' : undefined })),
    { title, placeHolder: q.description ?? `Value of "${q.name}"`, ignoreFocusOut: true },
  );
  if (!picked) return null;
  return picked.label === q.default ? undefined : picked.label;
}

async function askText(q: ParamQuestion, title: string): Promise<ParamValue | undefined | null> {
  const required = q.default === undefined;
  const text = await vscode.window.showInputBox({
    title,
    value: paramDefaultText(q),
    prompt: [q.description, `${q.type === 'string' ? 'A string' : paramInputHint(q)}${required ? ' (required)' : ''}`]
      .filter(Boolean)
      .join(' — '),
    placeHolder: required ? `value of "${q.name}"` : `empty: the default ${paramDefaultText(q)}`,
    ignoreFocusOut: true,
    validateInput: (t) => parseParamInput(q, t).error,
  });
  if (text === undefined) return null;
  const parsed = parseParamInput(q, text);
  return parsed.error ? null : parsed.value;
}

type WorkspaceKind = WorkspaceAnswer['type'];

/** Asks how to provide every workspace; undefined when the user cancelled. */
export async function askWorkspaces(
  inputs: RunInputs,
  title: string,
): Promise<Record<string, WorkspaceAnswer> | undefined> {
  const out: Record<string, WorkspaceAnswer> = {};
  const total = inputs.workspaces.length;
  for (const [i, q] of inputs.workspaces.entries()) {
    const answer = await askWorkspace(q, `${title}: workspace ${q.name} (${i + 1}/${total})`);
    if (!answer) return undefined;
    if (answer.type !== 'none') out[q.name] = answer;
  }
  return out;
}

async function askWorkspace(q: WorkspaceQuestion, title: string): Promise<WorkspaceAnswer | undefined> {
  const items: (vscode.QuickPickItem & { kind2: WorkspaceKind })[] = [
    { label: '$(folder) emptyDir', description: 'a new empty directory that lives as long as the run', kind2: 'emptyDir' },
    { label: '$(database) Existing PersistentVolumeClaim…', description: 'by claim name', kind2: 'pvc' },
    {
      label: '$(add) New volume (volumeClaimTemplate)…',
      description: 'a PVC created for the run, of a size you give',
      kind2: 'volumeClaimTemplate',
    },
    { label: '$(symbol-file) ConfigMap…', description: 'mounted read-only', kind2: 'configMap' },
    { label: '$(lock) Secret…', description: 'mounted read-only', kind2: 'secret' },
  ];
  if (q.optional) items.push({ label: '$(circle-slash) Leave unbound', description: 'the workspace is optional', kind2: 'none' });
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: `${q.description ? `${q.description} — ` : ''}How to provide workspace "${q.name}"${q.readOnly ? ' (read-only)' : ''}`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const ask = async (prompt: string, value: string, make: (v: string) => WorkspaceAnswer) => {
    const text = await vscode.window.showInputBox({
      title,
      prompt,
      value,
      ignoreFocusOut: true,
      validateInput: (t) => checkWorkspace(q, make(t.trim())),
    });
    return text === undefined ? undefined : make(text.trim());
  };
  switch (picked.kind2) {
    case 'emptyDir':
      return { type: 'emptyDir' };
    case 'none':
      return { type: 'none' };
    case 'pvc':
      return ask('Name of the PersistentVolumeClaim (in the run\'s namespace)', '', (claimName) => ({ type: 'pvc', claimName }));
    case 'volumeClaimTemplate':
      return ask('Storage size of the new volume (e.g. 1Gi, 500Mi)', '1Gi', (size) => ({ type: 'volumeClaimTemplate', size }));
    case 'configMap':
      return ask('Name of the ConfigMap', '', (name) => ({ type: 'configMap', name }));
    case 'secret':
      return ask('Name of the Secret', '', (secretName) => ({ type: 'secret', secretName }));
  }
}
