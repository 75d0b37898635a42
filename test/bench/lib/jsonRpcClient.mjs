// A minimal JSON-RPC 2.0 client over a child process's stdio with LSP framing (`Content-Length` headers), written
// for the benchmark so that timings are not blurred by a library's queueing: a request's clock starts right before
// its bytes are written and stops when its response has been parsed.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';

/** Thrown (or returned in `{ timeout: true }`) when a request has no answer in time. */
export class TimeoutError extends Error {}

export class LspProcess {
  /**
   * @param {string} command
   * @param {string[]} args
   * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, name?: string }} [opts]
   */
  constructor(command, args, opts = {}) {
    this.name = opts.name ?? command;
    this.spawnedAt = performance.now();
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd, env: opts.env ?? process.env });
    this.pid = this.child.pid;
    this.exited = false;
    this.exitInfo = undefined;
    this.stderr = '';
    this.nextId = 1;
    /** @type {Map<number, { resolve: Function, reject: Function, method: string }>} */
    this.pending = new Map();
    /** @type {Map<string, Function>} handlers for server→client requests */
    this.requestHandlers = new Map();
    /** @type {((method: string, params: any) => void)[]} */
    this.notificationListeners = [];
    this.buffer = Buffer.alloc(0);
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
    this.child.stderr.on('data', (d) => {
      // keep the tail only: a chatty server must not grow the benchmark's memory
      this.stderr = (this.stderr + String(d)).slice(-20000);
    });
    this.child.stdin.on('error', () => undefined); // EPIPE after the child died is reported through `exited`
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitInfo = { code, signal };
      for (const [, p] of this.pending) p.reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) while waiting for ${p.method}`));
      this.pending.clear();
    });
  }

  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length:\s*(\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from ${this.name}: ${header}`);
      const length = Number(m[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(JSON.parse(body));
    }
  }

  dispatch(msg) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return; // answer to a request we gave up on
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`${p.method}: ${msg.error.message}`), { code: msg.error.code }));
      else p.resolve(msg.result);
    } else if (msg.id !== undefined) {
      const handler = this.requestHandlers.get(msg.method) ?? this.requestHandlers.get('*');
      Promise.resolve()
        .then(() => (handler ? handler(msg.params, msg.method) : null))
        .then(
          (result) => this.write({ jsonrpc: '2.0', id: msg.id, result: result ?? null }),
          (err) => this.write({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: String(err) } }),
        );
    } else {
      for (const l of this.notificationListeners) l(msg.method, msg.params);
    }
  }

  write(msg) {
    if (this.exited) return;
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  notify(method, params) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  onRequest(method, handler) {
    this.requestHandlers.set(method, handler);
  }

  onNotification(listener) {
    this.notificationListeners.push(listener);
    return () => {
      const i = this.notificationListeners.indexOf(listener);
      if (i >= 0) this.notificationListeners.splice(i, 1);
    };
  }

  /**
   * Sends a request and resolves with its result; rejects with TimeoutError after `timeoutMs` (and sends
   * `$/cancelRequest` so the server may drop it).
   */
  request(method, params, timeoutMs = 30000) {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited (${JSON.stringify(this.exitInfo)})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        this.notify('$/cancelRequest', { id });
        reject(new TimeoutError(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Times one request: `{ ms, result }`, `{ ms, timeout: true }` or `{ ms, error }`. */
  async timed(method, params, timeoutMs) {
    const t0 = performance.now();
    try {
      const result = await this.request(method, params, timeoutMs);
      return { ms: performance.now() - t0, result };
    } catch (err) {
      if (err instanceof TimeoutError) return { ms: performance.now() - t0, timeout: true };
      return { ms: performance.now() - t0, error: String(err.message ?? err) };
    }
  }

  /**
   * Resolves with the params of the next notification `method` that satisfies `filter`, or rejects after
   * `timeoutMs`. Call it before sending what triggers the notification.
   */
  waitForNotification(method, filter = () => true, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const off = this.onNotification((m, p) => {
        if (m === method && filter(p)) {
          off();
          clearTimeout(timer);
          resolve(p);
        }
      });
      const timer = setTimeout(() => {
        off();
        reject(new TimeoutError(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /** Peak and current resident set size in MB from /proc (Linux); undefined elsewhere. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key) => {
        const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
        return m ? Number(m[1]) / 1024 : undefined;
      };
      return { peakRssMb: kb('VmHWM'), rssMb: kb('VmRSS') };
    } catch {
      return undefined;
    }
  }

  /** shutdown + exit, then SIGKILL if the process is still there after `graceMs`. */
  async stop(graceMs = 3000) {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, graceMs);
      this.notify('exit', null);
    } catch {
      // already gone or hung: killed below
    }
    const deadline = Date.now() + graceMs;
    while (!this.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.exited) {
      this.child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Immediate kill, for process exit handlers. */
  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
