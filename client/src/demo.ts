import * as vscode from 'vscode';

/** Files that tell a workspace is already the demo (the one `npm start` serves): open it rather than copy it again. */
const DEMO_MARKERS = ['mistakes.yaml', 'triggers/github-listener.yaml'];

/**
 * Opens the demo of the walkthrough. An installed extension has no `demo/` on the user's disk, so the copy shipped in
 * the .vsix is written into a folder the user picks and that folder is opened; when the current workspace already is
 * the demo, `file` (relative to it, from a walkthrough step's link) or `mistakes.yaml` is opened instead.
 */
export async function openDemo(context: vscode.ExtensionContext, file?: unknown): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (await allExist(DEMO_MARKERS.map((m) => vscode.Uri.joinPath(folder.uri, m)))) {
      const relative = typeof file === 'string' && !file.split('/').includes('..') ? file : 'mistakes.yaml';
      // from a walkthrough (not a text editor) the file opens beside it, so the steps stay in view
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      const beside = active !== undefined && !(active.input instanceof vscode.TabInputText);
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, relative), {
        viewColumn: beside ? vscode.ViewColumn.Beside : undefined,
      });
      return folder.uri;
    }
  }
  const [parent] =
    (await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Copy the Demo Here',
      title: 'Tekton: where to copy the demo (a "tekton-demo" folder is created in it)',
    })) ?? [];
  if (!parent) return undefined;
  const target = await freeName(vscode.Uri.joinPath(parent, 'tekton-demo'));
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'demo'), target);
  await vscode.commands.executeCommand('vscode.openFolder', target, {
    forceNewWindow: false,
  });
  return target;
}

async function allExist(uris: vscode.Uri[]): Promise<boolean> {
  try {
    await Promise.all(uris.map((u) => vscode.workspace.fs.stat(u)));
    return true;
  } catch {
    return false;
  }
}

/** `tekton-demo`, or `tekton-demo-2`… when a demo copied earlier (and maybe edited) is already there. */
async function freeName(uri: vscode.Uri): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? uri : uri.with({ path: `${uri.path}-${n}` });
    if (!(await allExist([candidate]))) return candidate;
  }
}
