/**
 * Pure helpers of the Kubeflow Pipelines UI (no `vscode` import): how KFP states read in the Runs view, and the
 * Markdown of a run's artifacts, of an artifact's lineage and of a comparison of runs.
 */
import type { KfpRun } from '../../../server/src/kube/kfpApi';
import {
  compareRuns,
  isMetricsType,
  runMetrics,
  type KfpArtifactLineage,
  type KfpArtifactView,
  type KfpRunView,
} from '../../../server/src/kube/kfpRunDetails';
import type { RunState, StepState } from '../../../server/src/kube/watcher';
import { formatDuration } from '../runs/format';

/** A KFP run or task state as the Runs view's states (icons, activity). */
export function kfpState(state: string | undefined): RunState | StepState {
  switch (state) {
    case 'SUCCEEDED':
    case 'CACHED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'RUNNING':
    case 'CANCELING':
      return 'running';
    case 'CANCELED':
      return 'cancelled';
    case 'SKIPPED':
      return 'skipped';
    default:
      return 'pending';
  }
}

/** `Succeeded`, `Running`, … (KFP's word, capitalised). */
export function kfpStateText(state: string | undefined): string {
  if (!state || state === 'RUNTIME_STATE_UNSPECIFIED') return 'Pending';
  return state.charAt(0) + state.slice(1).toLowerCase();
}

/** Milliseconds between two times; while the state is active, until now; undefined when an ended thing has no end. */
export function kfpDurationMs(
  start: string | undefined,
  end: string | undefined,
  state: string | undefined,
  now = Date.now(),
): number | undefined {
  const s = Date.parse(start ?? '');
  if (!Number.isFinite(s)) return undefined;
  const e = Date.parse(end ?? '');
  // the API writes 1970-01-01 for "not finished"
  const active = kfpState(state) === 'running' || kfpState(state) === 'pending';
  const until = Number.isFinite(e) && e > 0 ? e : active ? now : undefined;
  return until !== undefined && until >= s ? until - s : undefined;
}

/** The description next to a KFP run: `KFP · state · duration`. */
export function kfpRunDescription(run: KfpRun, now = Date.now()): string {
  const d = formatDuration(kfpDurationMs(run.created_at, run.finished_at, run.state, now));
  return ['KFP', kfpStateText(run.state), d].filter(Boolean).join(' · ');
}

/** The description of an artifact in the tree: its type and URI (a metric artifact: its values). */
export function artifactDescription(a: KfpArtifactView): string {
  const values = metricValues(a);
  const parts = [a.type ?? (a.id ? `artifact ${a.id}` : undefined), values.length ? values.map(([k, v]) => `${k}=${v}`).join(', ') : a.uri];
  if (a.error && !a.type) parts.push(a.error);
  return parts.filter(Boolean).join(' · ');
}

function metricValues(a: KfpArtifactView): [string, unknown][] {
  if (!isMetricsType(a.type)) return [];
  if (a.numberValue !== undefined) return [[a.name ?? a.key, a.numberValue]];
  return Object.entries(a.metadata ?? {}).filter(([k, v]) => k !== 'display_name' && typeof v === 'number');
}

/** The artifacts document of a run: per task, its parameters and artifacts; the run's metrics as a table. */
export function artifactsMarkdown(view: KfpRunView, target: string): string {
  const run = view.run;
  const out: string[] = [`# Kubeflow Pipelines run "${run.display_name ?? run.run_id}"`, ''];
  out.push(`Run \`${run.run_id}\` · ${kfpStateText(run.state)} · ${target}`, '');
  const params = Object.entries(run.runtime_config?.parameters ?? {});
  if (params.length) {
    out.push('## Parameters', '', '| Name | Value |', '| --- | --- |');
    for (const [k, v] of params) out.push(`| ${cell(k)} | ${cell(JSON.stringify(v))} |`);
    out.push('');
  }
  const metrics = runMetrics(view.tasks);
  if (metrics.size) {
    out.push('## Metrics', '', '| Task / metric | Value |', '| --- | --- |');
    for (const [k, v] of metrics) out.push(`| ${cell(k)} | ${v} |`);
    out.push('');
  }
  if (!view.tasksKnown) out.push('_The server reports no tasks for this run (only its state)._', '');
  for (const t of view.tasks) {
    out.push(`## Task \`${t.name}\` — ${kfpStateText(t.state)}`, '');
    if (t.error) out.push(`> ${t.error}`, '');
    for (const [dir, io] of [['Inputs', t.inputs], ['Outputs', t.outputs]] as const) {
      if (!io.parameters.length && !io.artifacts.length) continue;
      out.push(`**${dir}**`, '', '| Name | Type | Value or URI | Artifact |', '| --- | --- | --- | --- |');
      for (const p of io.parameters) out.push(`| ${cell(p.key)} | parameter | ${cell(JSON.stringify(p.value))} | |`);
      for (const a of io.artifacts) {
        const values = metricValues(a);
        const value = values.length ? values.map(([k, v]) => `${k}=${v}`).join(', ') : (a.uri ?? a.error ?? '');
        out.push(`| ${cell(a.key)} | ${cell(a.type ?? '')} | ${cell(value)} | ${a.id ?? ''} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

/** The lineage document of an artifact. */
export function lineageMarkdown(artifact: KfpArtifactView, lineage: KfpArtifactLineage): string {
  const use = (u: { runId: string; runName?: string; task: string; key?: string }) =>
    `task \`${u.task}\`${u.key ? ` (\`${u.key}\`)` : ''} of run "${u.runName ?? u.runId}" (\`${u.runId}\`)`;
  const out = [`# Lineage of artifact \`${artifact.key}\`${artifact.id ? ` (${artifact.id})` : ''}`, ''];
  if (artifact.type || artifact.uri) out.push(`${artifact.type ?? ''}${artifact.uri ? ` · ${artifact.uri}` : ''}`, '');
  out.push('## Produced by', '', lineage.producer ? `- ${use(lineage.producer)}` : '- (no producing task found)', '');
  out.push('## Consumed by', '');
  if (lineage.consumers.length) for (const c of lineage.consumers) out.push(`- ${use(c)}`);
  else out.push('- (no consuming task found)');
  out.push(
    '',
    lineage.scope === 'artifact-tasks'
      ? '_From the server\'s artifact-task links (every run)._'
      : `_From the runs of the same experiment${lineage.truncated ? ' (the 50 newest)' : ''}: this server has no artifact-task links._`,
  );
  return out.join('\n');
}

/** The compare document of runs: one column per run, changed rows marked. */
export function compareMarkdown(views: readonly KfpRunView[]): string {
  const rows = compareRuns(views);
  const head = views.map((v) => cell(v.run.display_name ?? v.run.run_id));
  const out = [`# Compare ${views.length} Kubeflow Pipelines runs`, ''];
  for (const [section, title] of [['run', 'Runs'], ['parameter', 'Parameters'], ['metric', 'Metrics']] as const) {
    const these = rows.filter((r) => r.section === section);
    out.push(`## ${title}`, '');
    if (!these.length) {
      out.push(section === 'metric' ? '_No metrics reported by these runs._' : '_None._', '');
      continue;
    }
    out.push(`| | ${head.join(' | ')} |`, `| --- |${head.map(() => ' --- |').join('')}`);
    for (const r of these) {
      const values = r.values.map((v) => cell(v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v)));
      out.push(`| ${r.differs ? `**${cell(r.name)}** ≠` : cell(r.name)} | ${values.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
