/**
 * The task graph feature: picks the document of a file whose graph is wanted (by position, by name, or the first
 * with a graph), asks its engine for the graph, and attaches to each node the diagnostics of its definition, reusing
 * the validation every other feature sees instead of recomputing rules.
 */
import type { Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import type { GraphContext, Lens } from '../engine';
import type { TaskGraph } from '../graph/model';
import type { GraphInfo } from '../protocol';
import { ownerOf } from './engines';

export interface GraphQuery {
  /** The document at this file offset, if it has a graph. */
  offset?: number;
  /** The document with this metadata.name (KFP: pipelineInfo.name). */
  name?: string;
}

export type GraphOutcome = { graph: TaskGraph } | { error: string };

/** At most this many problems per node: a node is a box, not the Problems panel. */
const MAX_NODE_PROBLEMS = 20;

function graphOf(doc: TektonDocument, resource: YamlResource, base: number, ctx: GraphContext): TaskGraph | { unavailable: string } | undefined {
  try {
    return ownerOf(resource)?.graph?.(doc, resource, base, ctx);
  } catch {
    // Never throw on user input: a document the graph cannot read simply has none.
    return undefined;
  }
}

const isGraph = (g: TaskGraph | { unavailable: string } | undefined): g is TaskGraph => !!g && !('unavailable' in g);

/** The graph a query asks for, or why there is none. */
export function findGraph(doc: TektonDocument, query: GraphQuery, ctx: GraphContext): GraphOutcome {
  if (doc.skippedReason) return { error: doc.skippedReason };
  if (query.offset !== undefined && query.name === undefined) {
    const at = doc.locate(query.offset);
    const graph = at && graphOf(doc, at.resource, at.base, ctx);
    if (isGraph(graph)) return { graph };
  }
  let named = false;
  let why: string | undefined;
  for (const { resource, base } of doc.resources()) {
    if (query.name !== undefined && resource.name !== undefined && resource.name !== query.name) continue;
    const graph = graphOf(doc, resource, base, ctx);
    const graphName = isGraph(graph) ? graph.name : undefined;
    if (query.name !== undefined && (graphName ?? resource.name) !== query.name) continue;
    if (isGraph(graph)) return { graph };
    named = true;
    why ??= graph?.unavailable;
  }
  if (why) return { error: why };
  if (query.name !== undefined)
    return {
      error: named
        ? `"${query.name}" has no task graph (only Pipelines, PipelineRuns with a pipelineSpec or a pipelineRef to a Pipeline found, and Kubeflow pipelines have one)`
        : `no document named "${query.name}"`,
    };
  return { error: 'no Tekton Pipeline, PipelineRun or Kubeflow pipeline with a task graph here' };
}

/** The command the "Show Graph" lens runs: the client opens the graph view of `[uri, name]`. */
export const SHOW_GRAPH_COMMAND = 'tekton.showGraph';

/**
 * A "Show Graph" lens over each document that has a task graph (at its first line). Pipelines that live in other
 * files count only when already parsed (open, or kept by the index): a lens must not read the disk.
 */
export function graphLenses(doc: TektonDocument, ctx: GraphContext): Lens[] {
  if (doc.skippedReason) return [];
  const lenses: Lens[] = [];
  for (const { resource, base } of doc.resources()) {
    const graph = graphOf(doc, resource, base, ctx);
    if (!isGraph(graph)) continue;
    const lineEnd = resource.text.indexOf('\n');
    lenses.push({
      start: base,
      end: base + (lineEnd < 0 ? resource.text.length : lineEnd),
      title: `Show Graph (${graph.nodes.length} task${graph.nodes.length === 1 ? '' : 's'})`,
      tooltip: 'Show the task graph of this pipeline beside the editor',
      command: SHOW_GRAPH_COMMAND,
      arguments: [doc.uri, graph.name ?? resource.name ?? null],
    });
  }
  return lenses;
}

/** Attaches each problem to the node whose definition holds it (an unknown runAfter, a missing result, a cycle...). */
export function attachProblems(graph: TaskGraph, problems: readonly Problem[]): void {
  const nodes = [...graph.nodes].sort((a, b) => a.span.start - b.span.start);
  for (const p of problems) {
    // Information and hints are summaries and advice (e.g. "not checked against their definitions"), not a node's fault.
    if (p.severity !== 'error' && p.severity !== 'warning') continue;
    // Nodes do not overlap (a task's definition holds no other node), so the last node starting before it is the one.
    let lo = 0;
    let hi = nodes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (nodes[mid].span.start <= p.start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const node = found >= 0 ? nodes[found] : undefined;
    if (!node || p.end > node.span.end || node.problems.length >= MAX_NODE_PROBLEMS) continue;
    node.problems.push({ severity: p.severity, code: p.code, message: p.message });
  }
}

/** The graph as the protocol sends it: spans as ranges of the file each is in. */
export function toGraphInfo(graph: TaskGraph, asked: TektonDocument, nodesDoc: TektonDocument): GraphInfo {
  const range = (d: TektonDocument, s: { start: number; end: number }) => ({ start: d.positionAt(s.start), end: d.positionAt(s.end) });
  return {
    kind: graph.kind,
    name: graph.name,
    uri: graph.uri,
    range: range(asked, graph.span),
    nodes: graph.nodes.map(({ span, nameSpan, ...n }) => ({ ...n, range: range(nodesDoc, span), nameRange: range(nodesDoc, nameSpan) })),
    edges: graph.edges,
  };
}
