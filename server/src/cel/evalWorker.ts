/**
 * Worker-thread entry point that evaluates CEL expressions for celEvaluator.ts.
 *
 * Evaluation runs here rather than in the language server's thread because a CEL expression can be made
 * arbitrarily expensive (nested comprehensions over large lists); the parent enforces a time limit by
 * terminating this worker and a memory cap through `resourceLimits`.
 *
 * Built twice: by tsc as out/server/src/cel/evalWorker.js and by esbuild as dist/celWorker.js.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { evaluate, type SecretStore } from './celService';
import { getEnvironment, type CelEnvId } from './environments';
import { celTypeName, formatCelValue, toJsonValue } from './values';

/** A request from the parent. */
export interface WorkerRequest {
  id: number;
  text: string;
  envId: CelEnvId;
  activation: Record<string, unknown>;
  secrets?: SecretStore;
}

/** The worker's answer. */
export type WorkerResponse =
  | { id: number; ok: true; value: unknown; display: string; type: string }
  | { id: number; ok: false; error: string; start?: number; end?: number; code?: string };

/** Evaluates one request (exported for in-process use and tests). */
export function handleRequest(req: WorkerRequest): WorkerResponse {
  const r = evaluate(req.text, req.envId, req.activation, { secrets: req.secrets });
  if ('error' in r) return { id: req.id, ok: false, error: r.error, start: r.start, end: r.end, code: r.code };
  return { id: req.id, ok: true, value: toJsonValue(r.value), display: formatCelValue(r.value), type: celTypeName(r.value) };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  // Build the environments before the first request so that its time limit measures evaluation only.
  for (const id of ['triggers', 'pipelines-when', 'kfp-condition', 'pac'] as CelEnvId[]) getEnvironment(id);
  port.on('message', (req: WorkerRequest) => {
    let res: WorkerResponse;
    try {
      res = handleRequest(req);
    } catch (e) {
      res = { id: req.id, ok: false, error: `internal error: ${(e as Error).message}` };
    }
    port.postMessage(res);
  });
  port.postMessage({ ready: true });
}
