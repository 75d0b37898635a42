/**
 * Pure helpers of the Runs UI (no `vscode` import): how run and step states, times and durations read, and how a
 * param's default is offered in an input box.
 */
import type { ParamQuestion, ParamValue } from '../../../server/src/kube/runBuilder';
import type { RunNode, RunState, StepNode, StepState } from '../../../server/src/kube/watcher';

/** `1h 02m`, `1m 30s`, `12s`, `0.4s`. */
export function formatDuration(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  if (ms < 1000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** A start time: `10:04:05` today, `2025-01-01 10:04` otherwise (local time). */
export function formatStart(iso: string | undefined, now = Date.now()): string | undefined {
  if (!iso) return undefined;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const today = new Date(now);
  const sameDay =
    t.getFullYear() === today.getFullYear() && t.getMonth() === today.getMonth() && t.getDate() === today.getDate();
  return sameDay ? time : `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${time.slice(0, 5)}`;
}

const RUN_STATE_LABEL: Record<RunState, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  'timed-out': 'Timed out',
};

const STEP_STATE_LABEL: Record<StepState, string> = {
  pending: 'Pending',
  waiting: 'Waiting',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
};

/** True while a run can still change (and be cancelled). */
export function isActive(state: RunState): boolean {
  return state === 'pending' || state === 'running';
}

/** The state word shown for a run: the condition's reason when it says more than the state (`PipelineRunTimeout`). */
export function runStatusText(node: Pick<RunNode, 'state' | 'reason'>): string {
  const label = RUN_STATE_LABEL[node.state];
  if (!node.reason || node.reason === label || node.reason.toLowerCase() === node.state) return label;
  return `${label} (${node.reason})`;
}

/** The description next to a run in the tree: status · start · duration. */
export function runDescription(node: RunNode, now = Date.now()): string {
  const parts = [runStatusText(node)];
  const start = formatStart(node.startTime ?? node.createdAt, now);
  if (start) parts.push(`started ${start}`);
  const d = formatDuration(node.durationMs);
  if (d) parts.push(d);
  return parts.join(' · ');
}

/** The description next to a step: status (exit code when it failed) · duration. */
export function stepDescription(step: StepNode): string {
  let status = STEP_STATE_LABEL[step.state];
  if (step.state === 'failed' && step.exitCode !== undefined) status += ` (exit ${step.exitCode})`;
  else if (step.reason && step.state === 'waiting') status += ` (${step.reason})`;
  const d = formatDuration(step.durationMs);
  return d ? `${status} · ${d}` : status;
}

/** The label of a run node: the pipeline task for a TaskRun of a PipelineRun, else the run's name. */
export function runLabel(node: RunNode): string {
  return node.pipelineTaskName ? `${node.pipelineTaskName}` : node.name;
}

/** The codicon and theme color of a state. */
export function stateIcon(state: RunState | StepState): { id: string; color?: string } {
  switch (state) {
    case 'succeeded':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'failed':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'running':
      return { id: 'sync~spin' };
    case 'cancelled':
      return { id: 'circle-slash', color: 'testing.iconSkipped' };
    case 'timed-out':
      return { id: 'watch', color: 'testing.iconFailed' };
    case 'skipped':
      return { id: 'debug-step-over', color: 'testing.iconSkipped' };
    case 'waiting':
    case 'pending':
      return { id: 'clock' };
  }
}

/** How a param's default is prefilled in its input box (parseParamInput reads it back to the same value). */
export function paramDefaultText(q: ParamQuestion): string {
  const d = q.default;
  if (d === undefined) return '';
  if (typeof d === 'string') return d;
  if (Array.isArray(d)) return d.some((v) => v.includes(',') || v !== v.trim()) ? JSON.stringify(d) : d.join(', ');
  const entries = Object.entries(d);
  return entries.some(([k, v]) => /[,=]/.test(k) || v.includes(',') || v !== v.trim())
    ? JSON.stringify(d)
    : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** What the input box says about the expected syntax. */
export function paramInputHint(q: ParamQuestion): string {
  switch (q.type) {
    case 'array':
      return 'an array: a, b, c or ["a", "b"]';
    case 'object':
      return `an object: ${q.properties?.length ? q.properties.map((p) => `${p}=…`).join(', ') : 'key=value, …'} or JSON`;
    default:
      return 'a string';
  }
}

/** Deep equality of param values (an answer equal to the default is left out of the run). */
export function sameParamValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: ParamValue | undefined): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)));
  return v;
}
