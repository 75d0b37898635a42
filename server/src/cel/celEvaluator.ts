/**
 * Time- and memory-limited CEL evaluation in worker threads.
 *
 * A CEL expression cannot loop forever, but nested comprehensions multiply (`l.map(a, l.map(b, …))`), so
 * one expression can take minutes or exhaust memory. Evaluations run in a worker (evalWorker.ts); when one
 * exceeds the time limit the worker is terminated and a fresh one is started for the next request, and
 * `resourceLimits` caps its heap. Requests are queued and served by a small pool.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SecretStore } from './celService';
import type { CelEnvId } from './environments';
import type { WorkerRequest, WorkerResponse } from './evalWorker';

/** Options of a CelEvaluator. */
export interface CelEvaluatorOptions {
  /** Time limit per evaluation in milliseconds (default 1000). */
  timeoutMs?: number;
  /** Heap cap of a worker in MB (default 256). */
  maxMemoryMb?: number;
  /** Number of workers (default 1). */
  poolSize?: number;
  /** The worker script; default: resolveWorkerFile(). */
  workerFile?: string;
}

/** What to evaluate. */
export interface CelEvalRequest {
  text: string;
  envId: CelEnvId;
  /** Variables; structured-cloned into the worker (JSON data, bigint, Uint8Array and Date survive). */
  activation: Record<string, unknown>;
  /** Secrets for compareSecret(): secret name → key → value. */
  secrets?: SecretStore;
}

/** The outcome of an evaluation. */
export type CelEvalOutcome =
  | {
      ok: true;
      /** The result as JSON-compatible data (bytes as base64, timestamps as RFC 3339 text). */
      value: unknown;
      /** The result as JSON text (see formatCelValue). */
      display: string;
      /** The CEL type of the result (`bool`, `string`, `map`, …). */
      type: string;
      elapsedMs: number;
    }
  | {
      ok: false;
      error: string;
      /** Why it failed: a compile or run-time error of the expression, or a resource limit. */
      kind: 'error' | 'timeout' | 'memory' | 'crash';
      start?: number;
      end?: number;
      code?: string;
      elapsedMs: number;
    };

/**
 * The worker script next to this module: `celWorker.js` in the esbuild bundle (dist/), otherwise
 * `evalWorker.js` in the tsc output (out/server/src/cel/).
 */
export function resolveWorkerFile(dir: string = __dirname): string {
  const bundled = path.join(dir, 'celWorker.js');
  return existsSync(bundled) ? bundled : path.join(dir, 'evalWorker.js');
}

interface Job {
  req: CelEvalRequest;
  resolve: (o: CelEvalOutcome) => void;
}

class PooledWorker {
  worker: Worker;
  ready = false;
  job?: { id: number; job: Job; started: number; timer: NodeJS.Timeout };
  dead = false;

  constructor(private readonly owner: CelEvaluator, file: string, maxMemoryMb: number) {
    this.worker = new Worker(file, {
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, maxMemoryMb / 8)), stackSizeMb: 4 },
    });
    this.worker.unref();
    this.worker.on('message', (msg: WorkerResponse | { ready: true }) => {
      if ('ready' in msg) {
        this.ready = true;
        this.owner.pump();
        return;
      }
      this.finish(msg);
    });
    this.worker.on('error', (e: Error & { code?: string }) => {
      const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(e.message);
      this.fail(memory ? 'memory' : 'crash', memory
        ? `evaluation ran out of memory (limit ${maxMemoryMb} MB): the expression builds values that are too large`
        : `evaluation failed: ${e.message}`);
    });
    this.worker.on('exit', () => {
      if (!this.dead) this.fail('crash', 'evaluation failed: the evaluation worker stopped unexpectedly');
    });
  }

  get busy(): boolean {
    return this.job !== undefined;
  }

  start(id: number, job: Job, timeoutMs: number): void {
    const started = Date.now();
    const timer = setTimeout(() => {
      this.fail('timeout', `evaluation stopped after ${timeoutMs} ms: the expression did not finish in time (nested comprehensions over large lists multiply their cost)`);
    }, timeoutMs);
    this.job = { id, job, started, timer };
    // Keep the process alive while an evaluation is pending.
    this.worker.ref();
    const msg: WorkerRequest = { id, text: job.req.text, envId: job.req.envId, activation: job.req.activation, secrets: job.req.secrets };
    this.worker.postMessage(msg);
  }

  private finish(res: WorkerResponse): void {
    const current = this.job;
    if (!current || current.id !== res.id) return;
    clearTimeout(current.timer);
    this.job = undefined;
    this.worker.unref();
    const elapsedMs = Date.now() - current.started;
    current.job.resolve(res.ok
      ? { ok: true, value: res.value, display: res.display, type: res.type, elapsedMs }
      : { ok: false, kind: 'error', error: res.error, start: res.start, end: res.end, code: res.code, elapsedMs });
    this.owner.pump();
  }

  /** Ends this worker (resolving its job with `error`) and lets the owner replace it. */
  fail(kind: 'timeout' | 'memory' | 'crash', error: string): void {
    if (this.dead) return;
    this.dead = true;
    const current = this.job;
    this.job = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.job.resolve({ ok: false, kind, error, elapsedMs: Date.now() - current.started });
    }
    void this.worker.terminate();
    this.owner.replace(this);
  }

  dispose(): Promise<number> {
    this.dead = true;
    const current = this.job;
    this.job = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.job.resolve({ ok: false, kind: 'crash', error: 'the evaluator has been disposed', elapsedMs: Date.now() - current.started });
    }
    return this.worker.terminate();
  }
}

/** A pool of evaluation workers with a per-evaluation time limit and memory cap. */
export class CelEvaluator {
  private readonly timeoutMs: number;
  private readonly maxMemoryMb: number;
  private readonly poolSize: number;
  private readonly workerFile: string;
  private readonly workers: PooledWorker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(options: CelEvaluatorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.maxMemoryMb = options.maxMemoryMb ?? 256;
    this.poolSize = Math.max(1, options.poolSize ?? 1);
    this.workerFile = options.workerFile ?? resolveWorkerFile();
  }

  /** Evaluates in a worker. Never rejects: limits and errors are reported in the outcome. */
  evaluate(req: CelEvalRequest): Promise<CelEvalOutcome> {
    if (this.disposed) return Promise.resolve({ ok: false, kind: 'crash', error: 'the evaluator has been disposed', elapsedMs: 0 });
    return new Promise((resolve) => {
      this.queue.push({ req, resolve });
      this.pump();
    });
  }

  /** @internal Assigns queued jobs to idle, ready workers, starting workers as needed. */
  pump(): void {
    if (this.disposed) return;
    while (this.queue.length > 0) {
      let w = this.workers.find((x) => x.ready && !x.busy && !x.dead);
      if (!w) {
        if (this.workers.length < this.poolSize) this.workers.push(new PooledWorker(this, this.workerFile, this.maxMemoryMb));
        return;
      }
      w.start(this.nextId++, this.queue.shift()!, this.timeoutMs);
    }
  }

  /** @internal Drops a terminated worker; a new one is started when work is waiting. */
  replace(w: PooledWorker): void {
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    this.pump();
  }

  /** Terminates the workers; pending evaluations resolve with a 'crash' outcome. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, kind: 'crash', error: 'the evaluator has been disposed', elapsedMs: 0 });
    await Promise.all(this.workers.splice(0).map((w) => w.dispose()));
  }
}
