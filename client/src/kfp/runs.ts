/**
 * The Kubeflow Pipelines runs the Runs view shows: those submitted from this window, followed until they end, and —
 * once KFP is in use here (an endpoint is configured, or a run was submitted) — the recent runs of the target. A run's
 * tasks and artifacts are read when it is followed or expanded. Reading is polling (the KFP API has no watch), one
 * loop for every followed run, 1 s apart while something changes and backing off to 10 s while nothing does.
 */
import * as vscode from 'vscode';
import { KubeError } from '../../../server/src/kube/errors';
import { isTerminalRunState, type KfpApi, type KfpRun } from '../../../server/src/kube/kfpApi';
import { readRunView, type KfpRunView } from '../../../server/src/kube/kfpRunDetails';
import type { KfpConnection } from './connection';

/** How many recent runs are listed. */
const RECENT_RUNS = 20;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 10_000;

export interface KfpRunEntry {
  run: KfpRun;
  /** The run with its tasks, once read. */
  view?: KfpRunView;
  submittedHere: boolean;
  /** The last error reading it (shown on the run). */
  error?: string;
}

export class KfpRuns implements vscode.Disposable {
  private readonly entries = new Map<string, KfpRunEntry>();
  /** Runs read until they end: submitted here, or expanded in the view while active. */
  private readonly followed = new Set<string>();
  private readonly waiters = new Map<string, ((run: KfpRun) => void)[]>();
  /** Artifact bodies by id: written once by the server, so polls read each only once. */
  private readonly artifacts = new Map<string, object>();
  /** Pipeline specs of the uploaded versions runs were created from, read once each. */
  private readonly versions = new Map<string, Record<string, unknown>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private delay = FIRST_DELAY_MS;
  private polling = false;
  private used = false;
  /** Why the recent runs could not be listed. */
  listError: string | undefined;

  constructor(
    private readonly connection: KfpConnection,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Submitted runs first (newest first), then the listed ones (newest first). */
  get all(): KfpRunEntry[] {
    const list = [...this.entries.values()];
    const time = (e: KfpRunEntry) => Date.parse(e.run.created_at ?? '') || 0;
    return list.sort((a, b) => Number(b.submittedHere) - Number(a.submittedHere) || time(b) - time(a));
  }

  get(runId: string): KfpRunEntry | undefined {
    return this.entries.get(runId);
  }

  /** Whether KFP is in use in this window (listing it otherwise would only show errors to Tekton-only users). */
  get inUse(): boolean {
    return this.used || !!vscode.workspace.getConfiguration('tekton.kfp').get<string>('endpoint')?.trim();
  }

  /** Adds runs created from here and follows them. */
  track(runs: KfpRun[]): void {
    this.used = true;
    for (const run of runs) {
      this.entries.set(run.run_id, { run, submittedHere: true });
      this.followed.add(run.run_id);
    }
    this.changed.fire();
    this.kick();
  }

  /** Resolves with the run once it is in a terminal state (as the polling reads it). */
  whenDone(runId: string): Promise<KfpRun> {
    const e = this.entries.get(runId);
    if (e && isTerminalRunState(e.run.state)) return Promise.resolve(e.run);
    return new Promise((resolve) => this.waiters.set(runId, [...(this.waiters.get(runId) ?? []), resolve]));
  }

  /** Reads a run's tasks now (when expanded), and follows it while it is active. */
  async details(runId: string): Promise<KfpRunView | undefined> {
    const e = this.entries.get(runId);
    if (!e) return undefined;
    if (!e.view || !isTerminalRunState(e.run.state)) await this.read(await this.connection.api(), runId);
    if (!isTerminalRunState(e.run.state)) {
      this.followed.add(runId);
      this.kick();
    }
    return e.view;
  }

  /** Lists the recent runs of the target (only once KFP is in use, or when `force`: the refresh command). */
  async refresh(force = false): Promise<void> {
    if (!force && !this.inUse) return;
    this.used = true;
    try {
      const api = await this.connection.api();
      const { runs } = await api.listRuns({ pageSize: RECENT_RUNS, sortBy: 'created_at desc' });
      for (const run of runs) {
        const known = this.entries.get(run.run_id);
        if (known) known.run = { ...known.run, ...run, run_details: known.run.run_details };
        else this.entries.set(run.run_id, { run, submittedHere: false });
      }
      this.listError = undefined;
    } catch (e) {
      this.listError = `Kubeflow Pipelines: ${(e as Error).message}`;
      this.log.warn(this.listError);
    }
    this.changed.fire();
  }

  /** Drops a run from the view (after it was archived). */
  forget(runId: string): void {
    this.entries.delete(runId);
    this.followed.delete(runId);
    this.changed.fire();
  }

  /** Follows a run again (after terminate or retry changed it). */
  follow(runId: string): void {
    if (!this.entries.has(runId)) return;
    this.followed.add(runId);
    this.delay = FIRST_DELAY_MS;
    this.kick(true);
  }

  private kick(now = false): void {
    if (this.polling) return;
    if (this.timer && !now) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), now ? 0 : FIRST_DELAY_MS);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (!this.followed.size) return;
    this.polling = true;
    let changed = false;
    try {
      const api = await this.connection.api();
      for (const id of [...this.followed]) changed = (await this.read(api, id)) || changed;
    } catch (e) {
      this.log.warn(`Kubeflow Pipelines: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
    if (!this.followed.size) return;
    this.delay = changed ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, this.delay * 2);
    this.timer = setTimeout(() => void this.poll(), this.delay);
  }

  /** Reads one run with its tasks; true when something shown changed. */
  private async read(api: KfpApi, runId: string): Promise<boolean> {
    const e = this.entries.get(runId);
    if (!e) return false;
    const before = fingerprint(e);
    try {
      e.view = await readRunView(api, runId, { artifacts: this.artifacts, versions: this.versions, full: e.view?.full });
      e.run = e.view.run;
      e.error = undefined;
    } catch (err) {
      e.error = (err as Error).message;
      // a run deleted on the server is not followed forever
      if (err instanceof KubeError && err.kind === 'not-found') this.followed.delete(runId);
    }
    if (isTerminalRunState(e.run.state)) {
      this.followed.delete(runId);
      for (const w of this.waiters.get(runId) ?? []) w(e.run);
      this.waiters.delete(runId);
    }
    const changed = fingerprint(e) !== before;
    if (changed) this.changed.fire();
    return changed;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}

function fingerprint(e: KfpRunEntry): string {
  return JSON.stringify([e.run.state, e.error, e.view?.tasks.map((t) => [t.name, t.state, t.outputs.artifacts.length])]);
}
