/**
 * The task graph for other tools and for people: the JSON shape of `tekton-ls graph --format json`, Graphviz DOT, and
 * an SVG laid out by dagre (the layout library the editor's view uses too). Pure functions of a TaskGraph.
 */
import * as dagre from '@dagrejs/dagre';
import type { TaskGraph, GraphEdgeKind, GraphNodeKind } from './model';

/** `tekton-ls graph --format json`: exactly these keys, `parent` only where there is one. */
export interface GraphJson {
  nodes: { id: string; kind: GraphNodeKind; parent?: string }[];
  edges: { from: string; to: string; kinds: GraphEdgeKind[] }[];
}

export function toJson(graph: TaskGraph): GraphJson {
  return {
    nodes: graph.nodes.map((n) => (n.parent === undefined ? { id: n.id, kind: n.kind } : { id: n.id, kind: n.kind, parent: n.parent })),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to, kinds: [...e.kinds] })),
  };
}

const dotId = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * Graphviz DOT: nested DAGs as clusters, finally tasks in a cluster of their own placed after the DAG, problems and
 * cycles in red, each edge labelled with why it exists.
 */
export function toDot(graph: TaskGraph): string {
  const lines = [`digraph ${dotId(graph.name ?? graph.kind)} {`, '  rankdir=TB;', '  node [shape=box, style="rounded"];'];
  const children = new Map<string | undefined, typeof graph.nodes>();
  for (const n of graph.nodes) {
    if (!children.has(n.parent)) children.set(n.parent, []);
    children.get(n.parent)!.push(n);
  }
  const nodeLine = (n: (typeof graph.nodes)[number], indent: string) => {
    const attrs = [`label=${dotId(n.label)}`];
    if (n.kind === 'finally') attrs.push('style="rounded,dashed"');
    if (n.inCycle || n.problems.some((p) => p.severity === 'error')) attrs.push('color="red"');
    else if (n.problems.length) attrs.push('color="orange"');
    lines.push(`${indent}${dotId(n.id)} [${attrs.join(', ')}];`);
  };
  const emit = (parent: string | undefined, indent: string, depth: number) => {
    for (const n of children.get(parent) ?? []) {
      if (n.kind === 'dag' && children.has(n.id) && depth < 64) {
        lines.push(`${indent}subgraph ${dotId(`cluster_${n.id}`)} {`, `${indent}  label=${dotId(n.label)};`);
        nodeLine(n, `${indent}  `);
        emit(n.id, `${indent}  `, depth + 1);
        lines.push(`${indent}}`);
      } else if (n.kind !== 'finally') nodeLine(n, indent);
    }
  };
  emit(undefined, '  ', 0);
  const fin = graph.nodes.filter((n) => n.kind === 'finally');
  if (fin.length) {
    lines.push('  subgraph "cluster_finally" {', '    label="finally";', '    style="dashed";');
    for (const n of fin) nodeLine(n, '    ');
    lines.push('  }');
  }
  for (const e of graph.edges)
    lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [label=${dotId(e.kinds.join(', '))}${e.inCycle ? ', color="red"' : ''}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Past this many nodes a layout takes seconds and the picture says nothing: callers refuse, with JSON and DOT left. */
export const MAX_LAYOUT_NODES = 2000;

/**
 * dagre's time grows with the nodes plus the ranks each edge spans (it routes long edges through a dummy node per
 * rank): about a millisecond per unit of this estimate on this project's machines (test/bench/graphBench.mjs). A
 * 50-task pipeline costs ~150, a 2,000-task chain ~4,000, a deep pipeline with long result edges far more.
 */
export function layoutCost(graph: Pick<TaskGraph, 'nodes' | 'edges'>): number {
  const rank = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  const indegree = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.from === e.to || !rank.has(e.from) || !rank.has(e.to)) continue;
    indegree.set(e.to, indegree.get(e.to)! + 1);
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from)!.push(e.to);
  }
  // Longest-path ranks (Kahn); nodes on a cycle keep the rank reached so far, which is enough for an estimate.
  const queue = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < queue.length; i++)
    for (const w of out.get(queue[i]) ?? []) {
      rank.set(w, Math.max(rank.get(w)!, rank.get(queue[i])! + 1));
      const d = indegree.get(w)! - 1;
      indegree.set(w, d);
      if (d === 0) queue.push(w);
    }
  let cost = graph.nodes.length;
  for (const e of graph.edges) cost += Math.max(1, Math.abs((rank.get(e.to) ?? 0) - (rank.get(e.from) ?? 0)));
  return cost;
}

/** The CLI's budget: a person asked for this picture and waits (~20 s at most). */
export const CLI_LAYOUT_COST = 20000;

export interface LaidOutNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** A group (a KFP task running a nested DAG, with its tasks inside). */
  group: boolean;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
}

const NODE_HEIGHT = 36;
const CHAR_WIDTH = 7;
const MAX_LABEL = 40;

/** The label as drawn: long names are cut, the full one is in the tooltip. */
export function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

/**
 * Lays the graph out top to bottom. Finally tasks go on a row after the whole DAG (layout-only edges from its sinks).
 * dagre cannot route edges to a cluster, so an edge to or from a group ends at an invisible anchor inside it.
 */
export function layoutGraph(graph: TaskGraph, maxCost = CLI_LAYOUT_COST): GraphLayout {
  if (graph.nodes.length > MAX_LAYOUT_NODES) throw new Error(`too many nodes to lay out (${graph.nodes.length}, at most ${MAX_LAYOUT_NODES})`);
  const cost = layoutCost(graph);
  if (cost > maxCost) throw new Error(`too large to lay out here (${graph.nodes.length} nodes, ${graph.edges.length} edges, estimated cost ${cost} > ${maxCost})`);
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 44, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const groups = new Set(graph.nodes.filter((n) => graph.nodes.some((c) => c.parent === n.id)).map((n) => n.id));
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const n of graph.nodes) {
    if (groups.has(n.id)) g.setNode(n.id, { label: n.label, paddingTop: 28 });
    else g.setNode(n.id, { width: Math.max(90, shortLabel(n.label).length * CHAR_WIDTH + 28), height: NODE_HEIGHT });
  }
  for (const n of graph.nodes) if (n.parent !== undefined && ids.has(n.parent)) g.setParent(n.id, n.parent);
  const anchor = (id: string, side: 'in' | 'out') => {
    const a = `\u0000${side}\u0000${id}`;
    if (!g.hasNode(a)) {
      g.setNode(a, { width: 1, height: 1 });
      g.setParent(a, id);
    }
    return a;
  };
  for (const group of groups) {
    const inner = graph.nodes.filter((c) => c.parent === group).map((c) => c.id);
    const hasIn = new Set(graph.edges.filter((e) => inner.includes(e.to) && inner.includes(e.from)).map((e) => e.to));
    const hasOut = new Set(graph.edges.filter((e) => inner.includes(e.to) && inner.includes(e.from)).map((e) => e.from));
    for (const c of inner) {
      if (!hasIn.has(c)) g.setEdge(anchor(group, 'in'), groups.has(c) ? anchor(c, 'in') : c);
      if (!hasOut.has(c)) g.setEdge(groups.has(c) ? anchor(c, 'out') : c, anchor(group, 'out'));
    }
  }
  const end = (id: string, side: 'in' | 'out') => (groups.has(id) ? anchor(id, side) : id);
  const drawn: { from: string; to: string; v: string; w: string }[] = [];
  for (const e of graph.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    const v = end(e.from, 'out');
    const w = end(e.to, 'in');
    if (v === w) continue;
    g.setEdge(v, w);
    drawn.push({ from: e.from, to: e.to, v, w });
  }
  const dagNodes = graph.nodes.filter((n) => n.kind !== 'finally' && n.parent === undefined);
  const sinks = dagNodes.filter((n) => !graph.edges.some((e) => e.from === n.id && e.to !== n.id));
  for (const f of graph.nodes.filter((n) => n.kind === 'finally')) for (const s of sinks) g.setEdge(end(s.id, 'out'), f.id, { minlen: 1 });
  dagre.layout(g);
  const nodes: LaidOutNode[] = graph.nodes.map((n) => {
    const l = g.node(n.id);
    return { id: n.id, x: l.x, y: l.y, width: l.width, height: l.height, group: groups.has(n.id) };
  });
  const edges = drawn.map((d) => ({ from: d.from, to: d.to, points: (g.edge(d.v, d.w)?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) }));
  const label = g.graph();
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), nodes, edges };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0);

/** A standalone SVG document of the graph (light colours; the editor's view themes its own). */
export function toSvg(graph: TaskGraph): string {
  const layout = layoutGraph(graph, CLI_LAYOUT_COST);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="sans-serif" font-size="12">`,
    `<title>${xml(`${graph.kind} ${graph.name ?? ''}`.trim())}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
    '<marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d32f2f"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
  ];
  // Groups first, so their tasks are drawn over them.
  for (const l of layout.nodes.filter((n) => n.group)) {
    const n = byId.get(l.id)!;
    const x = num(l.x - l.width / 2);
    const y = num(l.y - l.height / 2);
    out.push(
      `<g class="group" data-id="${xml(n.id)}"><rect x="${x}" y="${y}" width="${num(l.width)}" height="${num(l.height)}" rx="6" fill="#f3f6fa" stroke="${n.inCycle ? '#d32f2f' : '#90a4ae'}"/>`,
      `<text x="${num(x + 8)}" y="${num(y + 16)}" fill="#37474f" font-weight="bold">${xml(shortLabel(n.label))}${n.loop ? ' ⟳' : ''}${n.when.length ? ' ?' : ''}</text><title>${xml(tooltip(n))}</title></g>`,
    );
  }
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const edge = graph.edges.find((x) => x.from === e.from && x.to === e.to);
    const red = edge?.inCycle;
    const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${num(p.x)},${num(p.y)}`).join(' ');
    out.push(
      `<path class="edge" d="${d}" fill="none" stroke="${red ? '#d32f2f' : '#555'}" stroke-width="1.3" marker-end="url(#${red ? 'arrow-red' : 'arrow'})"><title>${xml(`${e.from} → ${e.to}: ${edge?.kinds.join(', ') ?? ''}`)}</title></path>`,
    );
  }
  for (const l of layout.nodes.filter((n) => !n.group)) {
    const n = byId.get(l.id)!;
    const error = n.inCycle || n.problems.some((p) => p.severity === 'error');
    const stroke = error ? '#d32f2f' : n.problems.length ? '#ef6c00' : n.kind === 'finally' ? '#7e57c2' : '#1e88e5';
    const x = num(l.x - l.width / 2);
    const y = num(l.y - l.height / 2);
    const marks = `${n.when.length ? '? ' : ''}${n.matrix.length ? '▦ ' : ''}${n.loop ? '⟳ ' : ''}`;
    out.push(
      `<g class="node ${n.kind}" data-id="${xml(n.id)}"><rect x="${x}" y="${y}" width="${num(l.width)}" height="${num(l.height)}" rx="6" fill="#ffffff" stroke="${stroke}" stroke-width="${error ? 2 : 1.3}"${n.kind === 'finally' ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${num(l.x)}" y="${num(l.y + 4)}" text-anchor="middle" fill="#212121">${xml(marks + shortLabel(n.label))}</text><title>${xml(tooltip(n))}</title></g>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** What a node's tooltip says: what it runs, params, results, when expressions, matrix, loop and problems. */
export function tooltip(n: TaskGraph['nodes'][number]): string {
  const lines = [n.label === n.id ? n.id : `${n.label} (${n.id})`];
  if (n.runs) lines.push(`runs: ${n.runs}`);
  if (n.kind === 'finally') lines.push('finally: runs after all tasks');
  if (n.params.length) lines.push(`params: ${n.params.map((p) => (p.value === undefined ? p.name : `${p.name}=${p.value}`)).join('; ')}`);
  if (n.results.length) lines.push(`results: ${n.results.join(', ')}`);
  if (n.when.length) lines.push(`when: ${n.when.join(' && ')}`);
  if (n.matrix.length) lines.push(`matrix: ${n.matrix.join(', ')}`);
  if (n.loop) lines.push(`loop: ${n.loop}`);
  if (n.inCycle) lines.push('on a dependency cycle');
  for (const p of n.problems) lines.push(`${p.severity}: ${p.message}`);
  return lines.join('\n');
}
