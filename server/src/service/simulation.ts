/**
 * Simulation of the sample event from the editor: the EventListener or Trigger at the cursor receives the event,
 * offline, with the workspace's Triggers resources and Secrets; every source of the result also gets line/character
 * ranges so editors can jump to it.
 */
import type { CelEvaluator as CelWorkerPool } from '../cel/celEvaluator';
import { TektonDocument } from '../document/tektonDocument';
import type { SimulateRequest, WithRanges } from '../protocol';
import { workerCelEvaluator } from '../triggers/simulation/celAdapter';
import { sourceResourcesFromDocument } from '../triggers/simulation/fileResources';
import { readSecretsFileSafely, renderedYaml, runSimulation, simulationTargets, targetAt } from '../triggers/simulation/run';

export async function simulateInDocument(
  doc: TektonDocument,
  offset: number,
  params: Omit<SimulateRequest.Params, 'uri' | 'position'>,
  files: Map<string, TektonDocument>,
  pool: CelWorkerPool,
): Promise<SimulateRequest.Result> {
  const target = targetAt(simulationTargets(sourceResourcesFromDocument(doc)), offset);
  if (!target) return { error: 'no EventListener or Trigger in this document' };
  const read = params.secretsFile ? readSecretsFileSafely(params.secretsFile) : undefined;
  if (read && 'error' in read) return { error: `the secrets file ${params.secretsFile} cannot be read: ${read.error}` };
  const result = await runSimulation({
    target,
    request: params.sample,
    resources: [...files.values()].flatMap(sourceResourcesFromDocument),
    secrets: read?.secrets,
    cel: workerCelEvaluator(pool),
    options: { assumeUnavailableInterceptorsPass: !!params.assumeUnavailablePass, signSample: !!params.signSample },
  });
  return {
    target: { kind: target.resource.kind!, name: target.resource.name ?? '' },
    result: withRanges(result, files),
    yaml: renderedYaml(result),
  };
}

/** Adds line/character `range`s beside every `source: {uri, start, end}` of a result, for editors to jump to. */
function withRanges<T>(value: T, files: Map<string, TektonDocument>): WithRanges<T> {
  return addRanges(value, files) as WithRanges<T>;
}

function addRanges(value: unknown, files: Map<string, TektonDocument>): unknown {
  if (Array.isArray(value)) return value.map((v) => addRanges(v, files));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = addRanges(v, files);
  const src = (value as { source?: { uri?: string; start?: number; end?: number } }).source;
  const doc = src?.uri ? files.get(src.uri) : undefined;
  if (doc && typeof src?.start === 'number' && typeof src.end === 'number')
    out.source = { ...src, range: { start: doc.positionAt(src.start), end: doc.positionAt(src.end) } };
  return out;
}
