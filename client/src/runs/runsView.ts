/**
 * The "Tekton Runs" view: the runs submitted from here, then the recent runs of the namespace; PipelineRun → TaskRuns
 * → steps with status, reason, start and duration, fed live by the session's RunWatcher. The watches start when the
 * view is first shown (or something is submitted), not at activation.
 */
import * as vscode from 'vscode';
import type { RunNode, StepNode } from '../../../server/src/kube/watcher';
import { isKfpElement, type KfpElement, type KfpRunsTree } from '../kfp/tree';
import { isActive, runDescription, runLabel, runStatusText, stateIcon, stepDescription } from './format';
import type { KubeSession } from './session';

/** A run (PipelineRun or TaskRun) of the tree. */
export interface RunElement {
  type: 'run';
  id: string;
  node: RunNode;
  parent?: RunElement;
}

/** A step of a TaskRun. */
export interface StepElement {
  type: 'step';
  id: string;
  step: StepNode;
  parent: RunElement;
}

export type RunsElement = RunElement | StepElement | KfpElement;

/** The Tekton run of an element: itself, or the TaskRun of a step (undefined for Kubeflow Pipelines elements). */
export function runOf(e: RunsElement | undefined): RunElement | undefined {
  if (!e || isKfpElement(e)) return undefined;
  return e.type === 'run' ? e : e.parent;
}

/** The Kubeflow Pipelines runs the view shows beside the Tekton ones (kfp/tree.ts). */
export interface KfpRunsSource {
  tree: KfpRunsTree;
  onDidChange: vscode.Event<void>;
  /** Why the recent KFP runs could not be listed. */
  listError: string | undefined;
  /** Lists the recent KFP runs, when KFP is in use here. */
  refresh(): Promise<void>;
}

export class RunsView implements vscode.TreeDataProvider<RunsElement>, vscode.Disposable {
  readonly view: vscode.TreeView<RunsElement>;
  private readonly changed = new vscode.EventEmitter<RunsElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: RunElement[] = [];
  private byId = new Map<string, RunsElement>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: KubeSession,
    private readonly kfp?: KfpRunsSource,
  ) {
    this.view = vscode.window.createTreeView('tekton.runs', { treeDataProvider: this, showCollapseAll: true });
    session.isShown = () => this.view.visible;
    this.subscriptions.push(
      this.view,
      session.onDidChangeRuns(() => this.schedule()),
      session.onDidChangeStatus(() => this.renderStatus()),
      session.onDidChangeContext(() => {
        this.renderStatus();
        this.schedule();
      }),
      this.view.onDidChangeVisibility((e) => {
        if (!e.visible) return;
        void session.watch();
        void kfp?.refresh();
      }),
    );
    if (kfp) this.subscriptions.push(kfp.onDidChange(() => this.schedule()));
    if (this.view.visible) void session.watch();
    this.rebuild();
    this.renderStatus();
  }

  getTreeItem(e: RunsElement): vscode.TreeItem {
    if (isKfpElement(e)) return this.kfp!.tree.item(e);
    return e.type === 'run' ? runItem(e) : stepItem(e);
  }

  getChildren(e?: RunsElement): RunsElement[] | Promise<RunsElement[]> {
    if (!e) return [...(this.kfp?.tree.roots() ?? []), ...this.roots];
    if (isKfpElement(e)) return this.kfp!.tree.children(e);
    if (e.type === 'step') return [];
    const children: RunsElement[] = e.node.children.map((c) => this.byId.get(runId(c)) as RunElement);
    const steps = e.node.steps.map((s) => this.byId.get(stepId(e.node, s)) as StepElement);
    return [...children, ...steps].filter(Boolean);
  }

  getParent(e: RunsElement): RunsElement | undefined {
    return e.parent;
  }

  /** The element of a run, by kind and name (top-level or a TaskRun of a PipelineRun). */
  find(kind: string, name: string): RunElement | undefined {
    for (const e of this.byId.values()) if (e.type === 'run' && e.node.kind === kind && e.node.name === name) return e;
    return undefined;
  }

  /** Shows the view and selects an element (a KFP run once the view lists it). */
  async revealElement(e: RunsElement): Promise<void> {
    await vscode.commands.executeCommand('tekton.runs.focus');
    this.schedule();
    await new Promise((r) => setTimeout(r, 100));
    await Promise.resolve(this.view.reveal(e, { select: true, focus: false, expand: true })).catch(() => undefined);
  }

  /** Shows the view and selects a run once the watch has it. */
  async reveal(kind: string, name: string): Promise<void> {
    await vscode.commands.executeCommand('tekton.runs.focus');
    const e = this.find(kind, name);
    // the elements the tree was last given; a refresh racing with this only costs the selection
    if (e) await Promise.resolve(this.view.reveal(e, { select: true, focus: false, expand: true })).catch(() => undefined);
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.rebuild();
      this.renderStatus();
      this.changed.fire(undefined);
    }, 50);
  }

  private rebuild(): void {
    const byId = new Map<string, RunsElement>();
    const add = (node: RunNode, parent?: RunElement): RunElement => {
      const e: RunElement = { type: 'run', id: runId(node), node, parent };
      byId.set(e.id, e);
      for (const c of node.children) add(c, e);
      for (const s of node.steps) byId.set(stepId(node, s), { type: 'step', id: stepId(node, s), step: s, parent: e });
      return e;
    };
    this.roots = this.session.runs.map((n) => add(n));
    this.byId = byId;
    // durations of running things move: redraw every few seconds while something runs and the view is shown
    const active = [...byId.values()].some((e) => e.type === 'run' && isActive(e.node.state));
    if (active && !this.ticker)
      this.ticker = setInterval(() => {
        if (this.view.visible) this.schedule();
      }, 5000);
    else if (!active && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private renderStatus(): void {
    const info = this.session.info;
    // the view's welcome content explains a missing context and offers ways out (package.json viewsWelcome)
    void vscode.commands.executeCommand('setContext', 'tekton.runs.noContext', !info);
    const status = this.session.status;
    this.view.description = info
      ? `${info.contextName} / ${info.namespace}${status.connection === 'retrying' ? ' (reconnecting…)' : ''}`
      : undefined;
    // no context: the welcome content says so while the tree is empty; KFP runs shown need none
    if (!info) this.view.message = undefined;
    else if (status.error && status.connection !== 'live') this.view.message = status.error.message;
    else if (status.connection === 'connecting') this.view.message = 'Listing runs…';
    else if (this.kfp?.listError) this.view.message = this.kfp.listError;
    else if (status.connection === 'live' && this.session.runs.length === 0 && !this.kfp?.tree.roots().length)
      this.view.message = `No PipelineRuns or TaskRuns in namespace "${info.namespace}" yet.`;
    else this.view.message = undefined;
  }

  dispose(): void {
    clearTimeout(this.pending);
    clearInterval(this.ticker);
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

function runId(n: RunNode): string {
  return `${n.kind}/${n.namespace}/${n.name}`;
}

function stepId(taskRun: RunNode, s: StepNode): string {
  return `${runId(taskRun)}/step/${s.name}`;
}

function icon(state: Parameters<typeof stateIcon>[0]): vscode.ThemeIcon {
  const i = stateIcon(state);
  return new vscode.ThemeIcon(i.id, i.color ? new vscode.ThemeColor(i.color) : undefined);
}

function runItem(e: RunElement): vscode.TreeItem {
  const n = e.node;
  const expanded = n.submittedHere || e.parent?.node.submittedHere;
  const item = new vscode.TreeItem(
    runLabel(n),
    expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = e.id;
  item.description = runDescription(n);
  item.iconPath = icon(n.state);
  const status = runStatusText(n);
  item.accessibilityInformation = { label: `${n.kind} ${n.name} ${status}` };
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${n.kind} ${n.name}**  \nnamespace \`${n.namespace}\`  \n${status}`);
  if (n.message) md.appendText(`\n${n.message}`);
  if (n.submittedHere) md.appendMarkdown('\n\n_submitted from this window_');
  item.tooltip = md;
  // tektonRun;<kind>;<active|done>;<top|child>: menus match on it
  item.contextValue = `tektonRun;${n.kind};${isActive(n.state) ? 'active' : 'done'};${e.parent ? 'child' : 'top'}`;
  return item;
}

function stepItem(e: StepElement): vscode.TreeItem {
  const s = e.step;
  const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
  item.id = e.id;
  item.description = stepDescription(s);
  item.iconPath = icon(s.state);
  item.accessibilityInformation = { label: `step ${s.name} ${stepDescription(s)}` };
  item.tooltip = `Step ${s.name} (container ${s.container})${s.reason ? `: ${s.reason}` : ''}\nClick to open its log.`;
  item.contextValue = 'tektonStep';
  item.command = { title: 'Open Step Log', command: 'tekton.openStepLog', arguments: [e] };
  return item;
}
