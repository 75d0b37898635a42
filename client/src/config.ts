import * as vscode from 'vscode';

/** The extension's settings, all under `tekton.`; per resource unless noted in package.json. */
export const SECTION = 'tekton';

/** Settings whose change needs a server restart (the rest reach the server through workspace/configuration). */
const RESTART_KEYS = ['tekton.server.extraArgs'];

export function requiresRestart(e: vscode.ConfigurationChangeEvent): boolean {
  return RESTART_KEYS.some((k) => e.affectsConfiguration(k));
}
