import type { CelEvaluator as CelWorkerPool } from '../cel/celEvaluator';
import type { CelRegion } from '../engine';
import { findCelRegions } from './engines';
import { findCelRegionAt } from './celFeatures';
import { TektonDocument } from '../document/tektonDocument';
import type { SampleRequest } from '../protocol';
import { workerCelEvaluator } from '../triggers/simulation/celAdapter';
import { canonicalHeaders } from '../triggers/simulation/goEncoding';
import { buildActivation } from '../triggers/simulation/httpRequest';
import { sourceResourcesFromDocument } from '../triggers/simulation/fileResources';
import { runSimulation } from '../triggers/simulation/run';
import type { CelExpressionTrace, InterceptorStep, SimulationResult, SourceResource } from '../triggers/simulation/types';

/** A code lens: a title over a CEL field (file offsets). */
export interface CelLens {
  start: number;
  end: number;
  title: string;
}

/** The outcome of evaluating one expression against the sample event. */
export type CelEvaluation =
  | { ok: true; display: string; type: string; elapsedMs: number }
  | { ok: false; error: string; start?: number; end?: number };

/**
 * Evaluates the CEL of Triggers documents against a sample event, as the EventListener would: each trigger's
 * interceptor chain runs through the offline simulator, so later interceptors see the extensions of earlier ones and
 * the overlays of one interceptor see the same input (REFERENCE.md §3.3). Every evaluation runs in the worker pool,
 * time- and memory-limited: a runaway comprehension in the user's file cannot freeze the server.
 */
export class CelEvaluationService {
  constructor(private readonly pool: CelWorkerPool) {}

  /** The worker pool, shared with event simulation. */
  get workerPool(): CelWorkerPool {
    return this.pool;
  }

  dispose(): void {
    this.pool.dispose();
  }

  /** Without a sample event: one lens per Triggers resource with CEL, inviting the user to pick one. */
  pickSampleLenses(doc: TektonDocument): CelLens[] {
    const out: CelLens[] = [];
    for (const { resource, base } of doc.resources()) {
      const first = findCelRegions(resource).find((r) => r.env === 'triggers');
      if (first) out.push({ start: base + first.node.range![0], end: base + first.node.range![1], title: 'Evaluate CEL: pick a sample event…' });
    }
    return out;
  }

  /** One lens per CEL field of the document's Triggers resources: the filter's result, each overlay's value. */
  async lenses(doc: TektonDocument, sample: SampleRequest, workspace: SourceResource[]): Promise<CelLens[]> {
    const steps = (await this.run(doc, sample, workspace)).flatMap(stepsOf);
    const traces = steps.flatMap((s) => s.expressions ?? []);
    const out: CelLens[] = [];
    for (const { resource, base } of doc.resources()) {
      for (const region of findCelRegions(resource)) {
        if (region.env !== 'triggers') continue;
        const start = base + region.node.range![0];
        const trace = traces.find((t) => t.source && t.source.start <= start && start <= t.source.end);
        const stopped = trace ? undefined : stoppedBefore(steps, doc.uri, start);
        out.push({ start, end: base + region.node.range![1], title: lensTitle(region, trace, sample, stopped) });
      }
    }
    return out;
  }

  /**
   * Evaluates `expression` (or the CEL field at `offset`) against the sample, with the extensions the interceptors
   * before that field's interceptor wrote; Pipelines `when` CEL runs in its empty environment.
   */
  async evaluate(
    doc: TektonDocument,
    offset: number | undefined,
    expression: string | undefined,
    sample: SampleRequest,
    workspace: SourceResource[],
  ): Promise<CelEvaluation> {
    const located = offset === undefined ? undefined : findCelRegionAt(doc, offset);
    const text = expression ?? located?.region.text;
    if (!text) return { ok: false, error: 'no CEL expression here: select one, or put the cursor in a filter, overlay or when.cel field' };
    const env = located?.region.env ?? 'triggers';
    let extensions: Record<string, unknown> = {};
    if (located && env === 'triggers') {
      const steps = (await this.run(doc, sample, workspace)).flatMap(stepsOf);
      const start = located.base + located.region.node.range![0];
      const step = steps.find((s) => s.expressions?.some((e) => e.source && e.source.start <= start && start <= e.source.end));
      extensions = step?.inputExtensions ?? {};
    }
    let activation: Record<string, unknown> = {};
    if (env === 'triggers') {
      try {
        activation = { ...buildActivation(toHttpRequest(sample), extensions) };
      } catch (err) {
        return { ok: false, error: `the sample event cannot be used: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    const out = await this.pool.evaluate({ text, envId: env, activation });
    if (out.ok) return { ok: true, display: out.display, type: out.type, elapsedMs: out.elapsedMs };
    // Error ranges are CEL offsets of the field's text; a selection has no place in the document to point at.
    if (!expression && located && out.start !== undefined) {
      const r = located.region.map.toSource(out.start, out.end ?? out.start);
      return { ok: false, error: out.error, start: located.base + r.start, end: located.base + r.end };
    }
    return { ok: false, error: out.error };
  }

  /** Simulates every Trigger and EventListener of the document against the sample. */
  private async run(doc: TektonDocument, sample: SampleRequest, workspace: SourceResource[]): Promise<SimulationResult[]> {
    const own = sourceResourcesFromDocument(doc);
    const resources = [...own, ...workspace.filter((r) => r.uri !== doc.uri)];
    const cel = workerCelEvaluator(this.pool);
    // The values the expressions get on the event as the provider sends it: signed with the secret the interceptor
    // names when the sample carries no signature (a signature it carries is still checked), so that an unsigned
    // bundled example does not leave every lens after a github interceptor "not evaluated".
    const options = { assumeUnavailableInterceptorsPass: true, signSample: true };
    const results: SimulationResult[] = [];
    for (const target of own)
      if (target.resource.kind === 'EventListener' || target.resource.kind === 'Trigger')
        results.push(await runSimulation({ target, request: sample, resources, cel, options }));
    return results;
  }
}

function stepsOf(result: SimulationResult): InterceptorStep[] {
  const steps: InterceptorStep[] = [];
  for (const t of result.triggers ?? []) steps.push(...(t.interceptors ?? []));
  for (const g of result.groups ?? []) steps.push(...(g.interceptors ?? []));
  return steps;
}

/** The last interceptor before `start` in this file that did not let the event through: why a field was not reached. */
function stoppedBefore(steps: InterceptorStep[], uri: string, start: number): InterceptorStep | undefined {
  let found: InterceptorStep | undefined;
  for (const s of steps) {
    const passed = s.result === 'continue' || s.result === 'assumed';
    if (!passed && s.source?.uri === uri && s.source.end <= start && (!found || s.source.start > found.source!.start)) found = s;
  }
  return found;
}

function lensTitle(
  region: CelRegion,
  trace: CelExpressionTrace | undefined,
  sample: SampleRequest,
  stopped?: InterceptorStep,
): string {
  const what = region.kind === 'filter' ? 'filter' : `overlay ${String(region.overlayKey?.value ?? '')}`.trim();
  if (!trace && stopped) {
    // counted from 1, as the trace view counts them
    const name = stopped.ref?.name ?? stopped.type;
    const why = truncate(stopped.reason, 100);
    return `${what}: not evaluated on ${sample.label}: interceptor ${stopped.index + 1} (${name}) stopped: ${why}`;
  }
  if (!trace) return `${what}: not evaluated on ${sample.label} (an earlier interceptor stopped the chain)`;
  if (trace.error !== undefined) return `${what} ✗ ${trace.error}`;
  return `${what} ⇒ ${truncate(trace.result ?? '', 80)}  (${sample.label})`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function toHttpRequest(sample: SampleRequest) {
  return {
    method: sample.method,
    url: sample.url,
    proto: 'HTTP/1.1',
    headers: canonicalHeaders(sample.headers),
    body: Buffer.from(sample.body, 'utf8'),
  };
}
