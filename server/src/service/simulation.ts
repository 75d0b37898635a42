/**
 * Simulation of the sample event from the editor: picks the EventListener or Trigger at the cursor, runs the event
 * through the offline simulator with the workspace's Triggers resources and Secrets, and adds line/character ranges
 * beside every source of the result so editors can jump to it.
 */
import type { CelEvaluator as CelWorkerPool } from '../cel/celEvaluator';
import { TektonDocument } from '../document/tektonDocument';
import type { SimulateRequest, WithRanges } from '../protocol';
import { isSimulationTarget } from '../triggers/engine';
import { workerCelEvaluator } from '../triggers/simulation/celAdapter';
import { readSecretsFile, sourceResourcesFromDocument } from '../triggers/simulation/fileResources';
import { simulate } from '../triggers/simulation/simulate';
import type { LocalSecrets } from '../triggers/simulation/types';

export async function simulateInDocument(
  doc: TektonDocument,
  offset: number,
  params: Omit<SimulateRequest.Params, 'uri' | 'position'>,
  files: Map<string, TektonDocument>,
  pool: CelWorkerPool,
): Promise<SimulateRequest.Result> {
  const own = sourceResourcesFromDocument(doc).filter((r) => isSimulationTarget(r.resource));
  const target = [...own].reverse().find((r) => r.base + (r.resource.root?.range?.[0] ?? 0) <= offset) ?? own[0];
  if (!target) return { error: 'no EventListener or Trigger in this document' };
  const request = { method: params.sample.method, url: params.sample.url, headers: params.sample.headers, body: Buffer.from(params.sample.body, 'utf8') };
  const resources = [...files.values()].flatMap(sourceResourcesFromDocument);
  let secrets: LocalSecrets | undefined;
  if (params.secretsFile) {
    try {
      secrets = readSecretsFile(params.secretsFile);
    } catch (err) {
      // the message names the file and the problem, never a value
      return { error: `the secrets file ${params.secretsFile} cannot be read: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const input = {
    request,
    resources,
    secrets,
    cel: workerCelEvaluator(pool),
    options: { assumeUnavailableInterceptorsPass: !!params.assumeUnavailablePass },
  };
  const result =
    target.resource.kind === 'EventListener'
      ? await simulate({ ...input, eventListener: target })
      : await simulate({ ...input, triggers: [target] });
  const yaml = result.triggers.flatMap((t) => (t.status === 'fired' ? t.resources.map((r) => r.yaml ?? '') : [])).filter(Boolean);
  return {
    target: { kind: target.resource.kind!, name: target.resource.name ?? '' },
    result: withRanges(result, files),
    yaml: yaml.map((y) => `---\n${y}`).join(''),
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
