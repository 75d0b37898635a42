/**
 * Simulation of the sample event from the editor: the EventListener or Trigger at the cursor receives the event,
 * offline, with the workspace's Triggers resources and Secrets; every source of the result also gets line/character
 * ranges so editors can jump to it.
 */
import type { CelEvaluator as CelWorkerPool } from '../cel/celEvaluator';
import { TektonDocument } from '../document/tektonDocument';
import type { SimulateRequest, SourceKey, WithRanges } from '../protocol';
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

/**
 * Adds line/character `range`s inside every `source` and `…Source` (e.g. a param's `defaultSource`) of file offsets
 * in a result, for editors to jump to: a key that names a place the trace leads to gets one, whatever its depth.
 */
function withRanges<T>(value: T, files: Map<string, TektonDocument>): WithRanges<T> {
  return addRanges(value, files) as WithRanges<T>;
}

function addRanges(value: unknown, files: Map<string, TektonDocument>): unknown {
  if (Array.isArray(value)) return value.map((v) => addRanges(v, files));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSourceKey(k) ? withRange(v, files) : addRanges(v, files);
  return out;
}

function isSourceKey(key: string): key is SourceKey {
  return key === 'source' || key.endsWith('Source');
}

function withRange(src: unknown, files: Map<string, TektonDocument>): unknown {
  const s = src as { uri?: string; start?: number; end?: number } | undefined;
  const doc = s?.uri ? files.get(s.uri) : undefined;
  if (!doc || typeof s?.start !== 'number' || typeof s.end !== 'number') return src;
  return { ...s, range: { start: doc.positionAt(s.start), end: doc.positionAt(s.end) } };
}
