/**
 * The Kubeflow Pipelines part of the Runs view: a run → its tasks (state, duration) → each task's input and output
 * artifacts (type, URI, metric values). The Runs view asks this for the elements of KFP runs; their tasks are read
 * when a run is expanded.
 */
import * as vscode from 'vscode';
import type { KfpArtifactView, KfpTaskView } from '../../../server/src/kube/kfpRunDetails';
import { formatDuration, stateIcon } from '../runs/format';
import { artifactDescription, kfpDurationMs, kfpRunDescription, kfpState, kfpStateText } from './format';
import type { KfpRunEntry, KfpRuns } from './runs';

export interface KfpRunElement {
  type: 'kfpRun';
  id: string;
  runId: string;
  parent?: undefined;
}

export interface KfpTaskElement {
  type: 'kfpTask';
  id: string;
  runId: string;
  taskId: string;
  parent: KfpRunElement;
}

export interface KfpArtifactElement {
  type: 'kfpArtifact';
  id: string;
  runId: string;
  taskId: string;
  direction: 'in' | 'out';
  index: number;
  parent: KfpTaskElement;
}

export type KfpElement = KfpRunElement | KfpTaskElement | KfpArtifactElement;

export function isKfpElement(e: { type: string } | undefined): e is KfpElement {
  return !!e && e.type.startsWith('kfp');
}

export class KfpRunsTree {
  constructor(private readonly runs: KfpRuns) {}

  roots(): KfpRunElement[] {
    return this.runs.all.map((e) => runElement(e.run.run_id));
  }

  async children(e: KfpElement): Promise<KfpElement[]> {
    if (e.type === 'kfpRun') {
      const view = this.runs.get(e.runId)?.view ?? (await this.runs.details(e.runId).catch(() => undefined));
      return (view?.tasks ?? []).map((t) => ({ type: 'kfpTask', id: `${e.id}/task/${t.id}`, runId: e.runId, taskId: t.id, parent: e }));
    }
    if (e.type === 'kfpTask') {
      const t = this.task(e);
      if (!t) return [];
      const artifacts = (direction: 'in' | 'out', list: KfpArtifactView[]): KfpArtifactElement[] =>
        list.map((_, index) => ({ type: 'kfpArtifact', id: `${e.id}/${direction}/${index}`, runId: e.runId, taskId: e.taskId, direction, index, parent: e }));
      return [...artifacts('in', t.inputs.artifacts), ...artifacts('out', t.outputs.artifacts)];
    }
    return [];
  }

  item(e: KfpElement): vscode.TreeItem {
    if (e.type === 'kfpRun') return this.runItem(e);
    if (e.type === 'kfpTask') return this.taskItem(e);
    return this.artifactItem(e);
  }

  /** The task of an element, as last read. */
  task(e: KfpTaskElement | KfpArtifactElement): KfpTaskView | undefined {
    return this.runs.get(e.runId)?.view?.tasks.find((t) => t.id === e.taskId);
  }

  /** The artifact of an element, as last read. */
  artifact(e: KfpArtifactElement): KfpArtifactView | undefined {
    const t = this.task(e);
    return (e.direction === 'in' ? t?.inputs.artifacts : t?.outputs.artifacts)?.[e.index];
  }

  entry(e: KfpElement): KfpRunEntry | undefined {
    return this.runs.get(e.runId);
  }

  private runItem(e: KfpRunElement): vscode.TreeItem {
    const entry = this.runs.get(e.runId);
    const run = entry?.run;
    const label = run?.display_name ?? e.runId;
    const item = new vscode.TreeItem(
      label,
      entry?.submittedHere ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = e.id;
    const state = kfpState(run?.state);
    item.description = run ? kfpRunDescription(run) : 'KFP';
    item.iconPath = icon(state);
    item.accessibilityInformation = { label: `Kubeflow Pipelines run ${label} ${kfpStateText(run?.state)}` };
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Kubeflow Pipelines run ${escape(label)}**  \n\`${e.runId}\`  \n${kfpStateText(run?.state)}`);
    if (run?.error?.message) md.appendText(`\n${run.error.message}`);
    if (entry?.error) md.appendText(`\n${entry.error}`);
    const params = Object.entries(run?.runtime_config?.parameters ?? {});
    if (params.length) md.appendMarkdown(`\n\n${params.map(([k, v]) => `\`${escape(k)}\` = \`${escape(JSON.stringify(v))}\``).join('  \n')}`);
    if (entry?.submittedHere) md.appendMarkdown('\n\n_submitted from this window_');
    item.tooltip = md;
    // kfpRun;<active|done>;<state>: menus match on it
    item.contextValue = `kfpRun;${state === 'pending' || state === 'running' ? 'active' : 'done'};${run?.state ?? ''}`;
    return item;
  }

  private taskItem(e: KfpTaskElement): vscode.TreeItem {
    const t = this.task(e);
    const hasArtifacts = !!t && t.inputs.artifacts.length + t.outputs.artifacts.length > 0;
    const item = new vscode.TreeItem(
      t?.name ?? e.taskId,
      hasArtifacts ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = e.id;
    const state = kfpState(t?.state);
    const d = formatDuration(kfpDurationMs(t?.startTime, t?.endTime, t?.state));
    item.description = [kfpStateText(t?.state), d].filter(Boolean).join(' · ');
    item.iconPath = icon(state);
    item.accessibilityInformation = { label: `task ${t?.name ?? e.taskId} ${kfpStateText(t?.state)}` };
    item.tooltip = `Task ${t?.name ?? e.taskId}${t?.podName ? ` (pod ${t.podName})` : ''}${t?.error ? `\n${t.error}` : ''}${t?.podName ? '\nClick to open its log.' : ''}`;
    item.contextValue = t?.podName ? 'kfpTask;log' : 'kfpTask';
    if (t?.podName) item.command = { title: 'Open Task Log', command: 'tekton.kfp.openTaskLog', arguments: [e] };
    return item;
  }

  private artifactItem(e: KfpArtifactElement): vscode.TreeItem {
    const a = this.artifact(e);
    const item = new vscode.TreeItem(`${e.direction === 'in' ? '←' : '→'} ${a?.key ?? '?'}`, vscode.TreeItemCollapsibleState.None);
    item.id = e.id;
    item.description = a ? artifactDescription(a) : undefined;
    item.iconPath = new vscode.ThemeIcon(e.direction === 'in' ? 'arrow-left' : 'package');
    item.accessibilityInformation = { label: `${e.direction === 'in' ? 'input' : 'output'} artifact ${a?.key ?? ''} ${a?.type ?? ''}` };
    item.tooltip = a ? [`${e.direction === 'in' ? 'Input' : 'Output'} artifact ${a.key}`, a.type, a.uri, a.id && `id ${a.id}`, a.error].filter(Boolean).join('\n') : undefined;
    item.contextValue = a?.id ? 'kfpArtifact;lineage' : 'kfpArtifact';
    if (a?.id) item.command = { title: 'Show Lineage', command: 'tekton.kfp.showLineage', arguments: [e] };
    return item;
  }
}

export function runElement(runId: string): KfpRunElement {
  return { type: 'kfpRun', id: `kfp/${runId}`, runId };
}

function icon(state: ReturnType<typeof kfpState>): vscode.ThemeIcon {
  const i = stateIcon(state);
  return new vscode.ThemeIcon(i.id, i.color ? new vscode.ThemeColor(i.color) : undefined);
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
