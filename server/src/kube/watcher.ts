/**
 * Live state of the runs in a namespace: PipelineRuns, TaskRuns and their pods, each kept by a list-then-watch loop
 * as client-go's reflector does it: list (remember the list's resourceVersion) → watch from it with bookmarks → on a
 * clean end or a dropped connection, watch again from the last resourceVersion seen → on 410 Gone (an ERROR event or
 * an HTTP 410), list again. The three caches are folded into a run tree: PipelineRun → TaskRuns → steps.
 */
import { KubeError } from './errors';
import type { KubeObject, TektonApi } from './tektonApi';
import { readLines } from './transport';

/** A listener registration. */
export interface Disposable {
  dispose(): void;
}

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>): Disposable => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // a listener's failure must not stop the watch loop
      }
    }
  }
}

/** Retry timing of a watch loop. */
export interface BackoffOptions {
  /** First delay after a failure (default 500 ms); doubles up to `maxMs` (default 30 s). */
  initialMs?: number;
  maxMs?: number;
}

/** Counters of one watch loop (for diagnostics and tests). */
export interface ReflectorStats {
  lists: number;
  watches: number;
  /** Watches reopened after a dropped or ended stream. */
  reconnects: number;
  /** Lists caused by 410 Gone. */
  relists: number;
  events: number;
}

/** Keeps one kind's objects in a namespace in sync with the server. */
export class Reflector {
  readonly items = new Map<string, KubeObject>();
  readonly stats: ReflectorStats = { lists: 0, watches: 0, reconnects: 0, relists: 0, events: 0 };
  /** The resourceVersion the next watch starts from; undefined means "list first". */
  resourceVersion: string | undefined;
  private stopped = false;
  /** Aborted by stop(): closes the open watch and refuses any request the loop was about to send. */
  private readonly abort = new AbortController();
  private readonly changed = new Emitter<void>();
  private readonly failed = new Emitter<KubeError>();
  /** Fires after every change to `items`. */
  readonly onDidChange = this.changed.event;
  /** Fires for every failure the loop retries after (it keeps running). */
  readonly onDidFail = this.failed.event;

  constructor(
    private readonly api: TektonApi,
    readonly apiVersion: string,
    readonly kind: string,
    readonly namespace: string,
    private readonly options: { labelSelector?: string; timeoutSeconds?: number; backoff?: BackoffOptions } = {},
  ) {}

  /** Starts the loop; resolves after the first list (or rejects with its error; the loop keeps retrying). */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let first = true;
      void this.run(
        () => first && ((first = false), resolve()),
        (e) => first && ((first = false), reject(e)),
      );
    });
  }

  /** Stops the loop and closes the open watch. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async run(listed: () => void, listFailed: (e: KubeError) => void): Promise<void> {
    const initial = this.options.backoff?.initialMs ?? 500;
    const max = this.options.backoff?.maxMs ?? 30000;
    let delay = initial;
    let relist = false;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) {
          await this.list();
          if (relist) this.stats.relists++;
          relist = false;
          listed();
        }
        const res = await this.api.watch(this.apiVersion, this.kind, {
          namespace: this.namespace,
          resourceVersion: this.resourceVersion,
          labelSelector: this.options.labelSelector,
          allowWatchBookmarks: true,
          timeoutSeconds: this.options.timeoutSeconds ?? 300,
          signal: this.abort.signal,
        });
        this.stats.watches++;
        delay = initial;
        let gone = false;
        await readLines(res, (line) => {
          if (gone || !line.trim()) return;
          if (this.onEvent(line) === 'gone') {
            gone = true;
            res.destroy();
          }
        });
        if (this.stopped) break;
        if (gone) {
          this.resourceVersion = undefined;
          relist = true;
        } else this.stats.reconnects++;
      } catch (e) {
        if (this.stopped) break;
        const err = e instanceof KubeError ? e : new KubeError('server', String((e as Error)?.message ?? e));
        if (err.kind === 'gone') {
          this.resourceVersion = undefined;
          relist = true;
          continue;
        }
        listFailed(err);
        this.failed.fire(err);
        await sleep(delay);
        delay = Math.min(delay * 2, max);
        if (this.resourceVersion !== undefined) this.stats.reconnects++;
      }
    }
  }

  private async list(): Promise<void> {
    const list = await this.api.list(this.apiVersion, this.kind, {
      namespace: this.namespace,
      labelSelector: this.options.labelSelector,
      signal: this.abort.signal,
    });
    this.stats.lists++;
    this.items.clear();
    for (const item of list.items) if (item.metadata?.name) this.items.set(item.metadata.name, item);
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    this.changed.fire();
  }

  /** Applies one watch event; returns 'gone' for a 410 ERROR event. */
  private onEvent(line: string): 'gone' | void {
    let event: { type?: string; object?: KubeObject & { code?: number; message?: string; reason?: string } };
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    const obj = event.object;
    if (!obj) return;
    this.stats.events++;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        if (obj.metadata?.name) {
          obj.apiVersion ??= this.apiVersion;
          obj.kind ??= this.kind;
          this.items.set(obj.metadata.name, obj);
        }
        break;
      case 'DELETED':
        if (obj.metadata?.name) this.items.delete(obj.metadata.name);
        break;
      case 'BOOKMARK':
        // a bookmark only moves the resourceVersion forward, so a reconnect does not replay or miss anything
        if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
        return;
      case 'ERROR':
        if (obj.code === 410) return 'gone';
        this.failed.fire(
          new KubeError('server', `The watch of ${this.kind}s failed: ${obj.message ?? obj.reason ?? 'unknown error'}`),
        );
        return;
      default:
        return;
    }
    if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    this.changed.fire();
  }
}

/** The outcome of a run or step, from its Succeeded condition / container state. */
export type RunState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed-out';
export type StepState = 'pending' | 'waiting' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** A step of a TaskRun. */
export interface StepNode {
  name: string;
  /** The container that runs it (`step-<name>`), for logs. */
  container: string;
  state: StepState;
  reason?: string;
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
}

/** A PipelineRun (with its TaskRuns) or a TaskRun (with its steps). */
export interface RunNode {
  kind: 'PipelineRun' | 'TaskRun';
  apiVersion: string;
  name: string;
  namespace: string;
  state: RunState;
  /** The Succeeded condition's reason (`Running`, `Failed`, `Cancelled`, `PipelineRunTimeout`, …). */
  reason?: string;
  message?: string;
  createdAt?: string;
  startTime?: string;
  completionTime?: string;
  /** From start to completion, or to now while running. */
  durationMs?: number;
  /** True for runs submitted from this extension. */
  submittedHere: boolean;
  /** For a TaskRun of a PipelineRun: the pipeline task it runs. */
  pipelineTaskName?: string;
  /** For a TaskRun: the pod running its steps. */
  podName?: string;
  children: RunNode[];
  steps: StepNode[];
  object: KubeObject;
}

const CANCELLED = new Set([
  'Cancelled',
  'PipelineRunCancelled',
  'TaskRunCancelled',
  'CancelledRunFinally',
  'StoppedRunFinally',
]);
const TIMED_OUT = new Set(['PipelineRunTimeout', 'TaskRunTimeout']);
const PENDING = new Set([
  'Pending',
  'PipelineRunPending',
  'TaskRunPending',
  'ResolvingPipelineRef',
  'ResolvingTaskRef',
]);

/** The state of a run from its `Succeeded` condition. */
export function runState(obj: KubeObject): { state: RunState; reason?: string; message?: string } {
  const conditions = (obj.status?.conditions ?? []) as {
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
  }[];
  const c = conditions.find((x) => x.type === 'Succeeded');
  if (!c) return { state: 'pending' };
  const base = { reason: c.reason, message: c.message };
  if (c.status === 'True') return { state: 'succeeded', ...base };
  if (c.status === 'False') {
    if (c.reason && CANCELLED.has(c.reason)) return { state: 'cancelled', ...base };
    if (c.reason && TIMED_OUT.has(c.reason)) return { state: 'timed-out', ...base };
    return { state: 'failed', ...base };
  }
  return { state: c.reason && PENDING.has(c.reason) ? 'pending' : 'running', ...base };
}

/** Options of the tree fold. */
export interface TreeOptions {
  /** Current time in ms (for durations of running things). */
  now?: number;
  /** `Kind/name` of runs submitted from the extension; they are always shown, and first. */
  submitted?: ReadonlySet<string>;
  /** How many other recent top-level runs to show (newest first). Default 20. */
  recent?: number;
}

/** Folds PipelineRuns, TaskRuns and pods into the tree the view shows. Pure. */
export function buildRunTree(
  pipelineRuns: Iterable<KubeObject>,
  taskRuns: Iterable<KubeObject>,
  pods: Iterable<KubeObject>,
  options: TreeOptions = {},
): RunNode[] {
  const now = options.now ?? Date.now();
  const submitted = options.submitted ?? new Set<string>();
  const podByName = new Map<string, KubeObject>();
  for (const p of pods) if (p.metadata?.name) podByName.set(p.metadata.name, p);
  const children = new Map<string, RunNode[]>();
  const topLevel: RunNode[] = [];
  for (const tr of taskRuns) {
    const node = runNode(tr, 'TaskRun', now, submitted);
    node.steps = stepsOf(tr, node.podName ? podByName.get(node.podName) : undefined, now);
    const parent =
      tr.metadata?.labels?.['tekton.dev/pipelineRun'] ??
      tr.metadata?.ownerReferences?.find((o) => o.kind === 'PipelineRun')?.name;
    if (parent) {
      node.pipelineTaskName = tr.metadata?.labels?.['tekton.dev/pipelineTask'];
      (children.get(parent) ?? children.set(parent, []).get(parent)!).push(node);
    } else topLevel.push(node);
  }
  for (const pr of pipelineRuns) {
    const node = runNode(pr, 'PipelineRun', now, submitted);
    node.children = (children.get(node.name) ?? []).sort((a, b) =>
      cmp(a.startTime ?? a.createdAt, b.startTime ?? b.createdAt),
    );
    topLevel.push(node);
  }
  topLevel.sort((a, b) => cmp(b.createdAt, a.createdAt) || cmp(a.name, b.name));
  const mine = topLevel.filter((n) => n.submittedHere);
  const others = topLevel.filter((n) => !n.submittedHere).slice(0, options.recent ?? 20);
  return [...mine, ...others];
}

function runNode(
  obj: KubeObject,
  kind: 'PipelineRun' | 'TaskRun',
  now: number,
  submitted: ReadonlySet<string>,
): RunNode {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const { state, reason, message } = runState(obj);
  const startTime = typeof status.startTime === 'string' ? status.startTime : undefined;
  const completionTime = typeof status.completionTime === 'string' ? status.completionTime : undefined;
  const name = obj.metadata?.name ?? '';
  return {
    kind,
    apiVersion: obj.apiVersion ?? 'tekton.dev/v1',
    name,
    namespace: obj.metadata?.namespace ?? '',
    state,
    reason,
    message,
    createdAt: obj.metadata?.creationTimestamp,
    startTime,
    completionTime,
    durationMs: duration(startTime, completionTime, now),
    submittedHere: submitted.has(`${kind}/${name}`),
    podName: typeof status.podName === 'string' && status.podName ? status.podName : undefined,
    children: [],
    steps: [],
    object: obj,
  };
}

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string };
}

/** Steps from the TaskRun's status, completed by the pod's container statuses (which are fresher while running). */
function stepsOf(tr: KubeObject, pod: KubeObject | undefined, now: number): StepNode[] {
  const status = (tr.status ?? {}) as Record<string, unknown>;
  const declared = ((status.taskSpec as { steps?: { name?: string }[] } | undefined)?.steps ??
    (tr.spec?.taskSpec as { steps?: { name?: string }[] } | undefined)?.steps ??
    []) as { name?: string }[];
  const reported = (status.steps ?? []) as ({
    name?: string;
    container?: string;
    terminationReason?: string;
  } & ContainerState)[];
  const podStates = new Map<string, ContainerState>();
  for (const cs of (pod?.status as { containerStatuses?: { name: string; state?: ContainerState }[] } | undefined)
    ?.containerStatuses ?? [])
    podStates.set(cs.name, cs.state ?? {});
  const names: string[] = [];
  for (const s of [...declared, ...reported]) if (s.name && !names.includes(s.name)) names.push(s.name);
  return names.map((name, i) => {
    const r = reported.find((s) => s.name === name);
    const container = r?.container ?? `step-${name || `unnamed-${i}`}`;
    const fromPod = podStates.get(container);
    // prefer the pod's state unless the TaskRun already has a final one
    const state: ContainerState = r?.terminated ? r : (fromPod ?? r ?? {});
    return stepNode(name, container, state, r?.terminationReason, now);
  });
}

function stepNode(
  name: string,
  container: string,
  s: ContainerState,
  terminationReason: string | undefined,
  now: number,
): StepNode {
  if (s.terminated) {
    const t = s.terminated;
    const skipped = terminationReason === 'Skipped' || t.reason === 'Skipped';
    return {
      name,
      container,
      state: skipped ? 'skipped' : t.exitCode === 0 ? 'succeeded' : 'failed',
      reason: terminationReason ?? t.reason,
      exitCode: t.exitCode,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      durationMs: duration(t.startedAt, t.finishedAt, now),
    };
  }
  if (s.running)
    return {
      name,
      container,
      state: 'running',
      startedAt: s.running.startedAt,
      durationMs: duration(s.running.startedAt, undefined, now),
    };
  if (s.waiting) return { name, container, state: 'waiting', reason: s.waiting.reason };
  return { name, container, state: 'pending' };
}

function duration(start: string | undefined, end: string | undefined, now: number): number | undefined {
  if (!start) return undefined;
  const s = Date.parse(start);
  const e = end ? Date.parse(end) : now;
  return Number.isFinite(s) && Number.isFinite(e) ? Math.max(0, e - s) : undefined;
}

function cmp(a: string | undefined, b: string | undefined): number {
  return (a ?? '').localeCompare(b ?? '');
}

/** Connection state of a RunWatcher. */
export type WatchConnection = 'connecting' | 'live' | 'retrying' | 'stopped';

/** Options of a RunWatcher. */
export interface RunWatcherOptions {
  namespace?: string;
  /** Tekton API version to watch (default the cluster's preferred one). */
  apiVersion?: string;
  recent?: number;
  backoff?: BackoffOptions;
  /** Server-side timeout of each watch request (default 300 s). */
  timeoutSeconds?: number;
  now?: () => number;
}

/**
 * Watches the runs of a namespace and emits the run tree on every change. Runs submitted from the extension are
 * marked with `markSubmitted` so that they stay on top.
 */
export class RunWatcher {
  private readonly submitted = new Set<string>();
  private reflectors: Reflector[] = [];
  private readonly changed = new Emitter<RunNode[]>();
  private readonly errored = new Emitter<KubeError>();
  private readonly connection = new Emitter<WatchConnection>();
  private state: WatchConnection = 'stopped';
  /** Fires with the new tree after every change. */
  readonly onDidChange = this.changed.event;
  /** Fires with each failure the watch retries after. */
  readonly onDidError = this.errored.event;
  /** Fires when the connection state changes. */
  readonly onDidChangeConnection = this.connection.event;

  constructor(
    private readonly api: TektonApi,
    private readonly options: RunWatcherOptions = {},
  ) {}

  get namespace(): string {
    return this.options.namespace || this.api.namespace;
  }

  get connectionState(): WatchConnection {
    return this.state;
  }

  /** The reflectors (PipelineRuns, TaskRuns, Pods), for diagnostics. */
  get sources(): readonly Reflector[] {
    return this.reflectors;
  }

  /** Lists and starts watching. Rejects when the first list fails (not installed, forbidden, unreachable). */
  async start(): Promise<void> {
    this.stop();
    this.setState('connecting');
    const tekton = await this.api.checkTekton();
    const apiVersion =
      this.options.apiVersion ?? `tekton.dev/${tekton.versions.includes('v1') ? 'v1' : tekton.preferredVersion}`;
    const common = { timeoutSeconds: this.options.timeoutSeconds, backoff: this.options.backoff };
    this.reflectors = [
      new Reflector(this.api, apiVersion, 'PipelineRun', this.namespace, common),
      new Reflector(this.api, apiVersion, 'TaskRun', this.namespace, common),
      // Tekton labels the pods it creates with their TaskRun
      new Reflector(this.api, 'v1', 'Pod', this.namespace, { ...common, labelSelector: 'tekton.dev/taskRun' }),
    ];
    for (const r of this.reflectors) {
      r.onDidChange(() => {
        this.setState('live');
        this.changed.fire(this.tree());
      });
      r.onDidFail((e) => {
        this.setState('retrying');
        this.errored.fire(e);
      });
    }
    try {
      await Promise.all(this.reflectors.map((r) => r.start()));
    } catch (e) {
      this.stop();
      throw e;
    }
    this.setState('live');
    this.changed.fire(this.tree());
  }

  /** Stops every watch. */
  stop(): void {
    for (const r of this.reflectors) r.stop();
    this.reflectors = [];
    this.setState('stopped');
  }

  /** Marks a run as submitted from here (shown first, whatever its age). */
  markSubmitted(kind: string, name: string): void {
    this.submitted.add(`${kind}/${name}`);
    this.changed.fire(this.tree());
  }

  /** The current tree. */
  tree(): RunNode[] {
    const [prs, trs, pods] = this.reflectors;
    return buildRunTree(prs?.items.values() ?? [], trs?.items.values() ?? [], pods?.items.values() ?? [], {
      now: this.options.now?.() ?? Date.now(),
      submitted: this.submitted,
      recent: this.options.recent,
    });
  }

  /** Finds a run by kind and name in the current tree. */
  find(kind: 'PipelineRun' | 'TaskRun', name: string): RunNode | undefined {
    const walk = (nodes: RunNode[]): RunNode | undefined => {
      for (const n of nodes) {
        if (n.kind === kind && n.name === name) return n;
        const c = walk(n.children);
        if (c) return c;
      }
      return undefined;
    };
    return walk(this.tree());
  }

  private setState(s: WatchConnection): void {
    if (s === this.state) return;
    this.state = s;
    this.connection.fire(s);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
