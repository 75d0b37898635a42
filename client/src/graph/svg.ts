/**
 * The task graph as SVG markup for the webview, from the graph and the layout the server computed (dagre, the same
 * layout the CLI's svg uses). No colours here: classes only, which the webview's stylesheet maps to the theme's CSS
 * variables, so light, dark and high-contrast themes all apply. A pure function, also used by the tests.
 */
import type { GraphInfo, GraphLayoutInfo, GraphNodeInfo } from '../../../server/src/protocol';
import { formatDuration } from '../runs/format';

/** The state of a pipeline task in a live run (its TaskRuns together, or skipped by Tekton). */
export type TaskRunState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed-out' | 'skipped';

export interface NodeRunStatus {
  state: TaskRunState;
  /** The TaskRun's reason, or why Tekton skipped the task. */
  reason?: string;
  durationMs?: number;
  /** How many TaskRuns (a matrix fans out). */
  taskRuns?: number;
}

/** Node id → its status in the run shown, for a run's graph. */
export type RunStatus = Record<string, NodeRunStatus>;

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const num = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0);
const MAX_LABEL = 40;

/** The label as drawn: long names are cut (the tooltip has the whole). */
export function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

/** The state classes of a node: its kind, a cycle, its worst problem, its status in a run. */
export function nodeClasses(n: GraphNodeInfo, status?: NodeRunStatus): string {
  const classes: string[] = [n.kind];
  if (status) classes.push(`status-${status.state}`);
  if (n.inCycle) classes.push('cycle');
  if (n.problems.some((p) => p.severity === 'error')) classes.push('error');
  else if (n.problems.length) classes.push('warning');
  if (n.when.length) classes.push('conditional');
  if (n.matrix.length) classes.push('matrix');
  if (n.loop) classes.push('loop');
  return classes.join(' ');
}

/** What hovering a node tells: what it runs, its params, results, when expressions, matrix, loop and problems. */
export function nodeDetails(n: GraphNodeInfo, status?: NodeRunStatus): string[] {
  const lines = [n.label === n.id ? n.id : `${n.label} (${n.id})`];
  if (status) {
    const runs = status.taskRuns && status.taskRuns > 1 ? `, ${status.taskRuns} TaskRuns` : '';
    const took = status.durationMs !== undefined ? ` after ${formatDuration(status.durationMs)}` : '';
    lines.push(`status: ${status.state}${took}${runs}${status.reason ? ` (${status.reason})` : ''}`);
  }
  if (n.runs) lines.push(`runs: ${n.runs}`);
  if (n.kind === 'finally') lines.push('finally: runs after all tasks');
  if (n.params.length) lines.push(`params: ${n.params.map((p) => (p.value === undefined ? p.name : `${p.name} = ${p.value}`)).join('; ')}`);
  if (n.results.length) lines.push(`results: ${n.results.join(', ')}`);
  if (n.when.length) lines.push(`when: ${n.when.join(' and ')}`);
  if (n.matrix.length) lines.push(`matrix: ${n.matrix.join(', ')}`);
  if (n.loop) lines.push(`loop: ${n.loop}`);
  if (n.inCycle) lines.push('on a dependency cycle');
  for (const p of n.problems) lines.push(`${p.severity}: ${p.message}`);
  return lines;
}

/** Small marks before a label: ? when-guarded or conditional, ▦ matrix, ⟳ loop. */
function marks(n: GraphNodeInfo): string {
  return `${n.when.length ? '? ' : ''}${n.matrix.length ? '▦ ' : ''}${n.loop ? '⟳ ' : ''}`;
}

export function graphSvg(graph: GraphInfo, layout: GraphLayoutInfo, status?: RunStatus): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edgeInfo = new Map(graph.edges.map((e) => [JSON.stringify([e.from, e.to]), e]));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="${xml(`${graph.kind} ${graph.name ?? ''}`.trim())}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker>',
    '<marker id="arrow-cycle" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="arrow cycle" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
  ];
  for (const l of layout.nodes.filter((x) => x.group)) {
    const n = byId.get(l.id);
    if (!n) continue;
    const x = num(l.x - l.width / 2);
    const y = num(l.y - l.height / 2);
    out.push(
      `<g class="group ${nodeClasses(n)}" data-id="${xml(n.id)}" tabindex="0"><rect x="${x}" y="${y}" width="${num(l.width)}" height="${num(l.height)}" rx="6"/>`,
      `<text x="${num(x + 8)}" y="${num(y + 17)}">${xml(marks(n) + shortLabel(n.label))}</text></g>`,
    );
  }
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const info = edgeInfo.get(JSON.stringify([e.from, e.to]));
    const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${num(p.x)},${num(p.y)}`).join(' ');
    const cycle = info?.inCycle ? ' cycle' : '';
    out.push(
      `<path class="edge${cycle}" data-from="${xml(e.from)}" data-to="${xml(e.to)}" d="${d}" marker-end="url(#${cycle ? 'arrow-cycle' : 'arrow'})"><title>${xml(`${e.from} → ${e.to}: ${info?.kinds.join(', ') ?? ''}`)}</title></path>`,
    );
  }
  for (const l of layout.nodes.filter((x) => !x.group)) {
    const n = byId.get(l.id);
    if (!n) continue;
    const s = status?.[n.id];
    out.push(
      `<g class="node ${nodeClasses(n, s)}" data-id="${xml(n.id)}" tabindex="0" role="button" aria-label="${xml(nodeDetails(n, s).join('. '))}"><rect x="${num(l.x - l.width / 2)}" y="${num(l.y - l.height / 2)}" width="${num(l.width)}" height="${num(l.height)}" rx="6"/>`,
      `<text x="${num(l.x)}" y="${num(l.y + 4)}" text-anchor="middle">${xml(marks(n) + shortLabel(n.label))}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
