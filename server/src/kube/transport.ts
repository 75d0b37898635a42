/**
 * HTTP to the API server of one context. @kubernetes/client-node supplies the TLS material, the proxy agent and the
 * Authorization header (running exec plugins and refreshing OIDC tokens as needed) through
 * `KubeConfig.applyToHTTPSOptions`; the request itself goes through node:http(s) so that every answer keeps its
 * `Status` body (the library's `Log` turns every failure into a bodiless 500, and its `Watch` drops error bodies), and
 * so that there is a deadline on reaching the server.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import {
  fromAuthError,
  fromNetworkError,
  fromStatus,
  KubeError,
  type ErrorContext,
  type RequestTarget,
} from './errors';
import { errorContext, type ResolvedContext } from './kubeconfig';

export type QueryValue = string | number | boolean | undefined;

/** One request to the API server. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Absolute API path, e.g. `/apis/tekton.dev/v1/namespaces/default/pipelineruns`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  /** What the request does, to word errors. */
  target?: RequestTarget;
  /** Deadline for the answer's headers (and, for `json`, its body). Defaults to the transport's. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Options of a transport. */
export interface TransportOptions {
  /** Deadline of a request in milliseconds (default 15 s). */
  timeoutMs?: number;
}

/** Sends requests as the context's user. Throws only KubeError. */
export class KubeTransport {
  readonly errors: ErrorContext;
  private readonly timeoutMs: number;

  constructor(
    readonly context: ResolvedContext,
    options: TransportOptions = {},
  ) {
    this.errors = errorContext(context);
    this.timeoutMs = options.timeoutMs ?? 15000;
  }

  /** Sends a request and parses the JSON answer; non-2xx answers become KubeError. */
  async json<T = Record<string, unknown>>(req: KubeRequest): Promise<T> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    try {
      const res = await this.open({ ...req, signal, timeoutMs });
      const onAbort = () => res.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      const text = await readBody(res).finally(() => signal.removeEventListener('abort', onAbort));
      if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300)
        throw fromStatus(res.statusCode ?? 0, text, req.target, this.errors);
      try {
        return (text ? JSON.parse(text) : {}) as T;
      } catch {
        throw new KubeError(
          'server',
          `The API server at ${this.errors.server} answered with something that is not JSON.`,
          {
            status: res.statusCode,
            server: this.errors.server,
          },
        );
      }
    } catch (e) {
      if (deadline.aborted && !req.signal?.aborted)
        throw fromNetworkError({ code: 'KUBE_TIMEOUT' }, this.errors, timeoutMs);
      throw e instanceof KubeError ? e : fromNetworkError(e, this.errors, timeoutMs);
    }
  }

  /**
   * Opens a streaming request (watch, follow logs). Resolves with the 200 response once its headers arrive; any other
   * status is read and thrown as KubeError. The deadline covers the headers only; abort `signal` to close the stream.
   */
  async stream(req: KubeRequest): Promise<IncomingMessage> {
    const res = await this.open(req);
    if (res.statusCode === 200) return res;
    const text = await readBody(res).catch(() => '');
    throw fromStatus(res.statusCode ?? 0, text, req.target, this.errors);
  }

  private async open(req: KubeRequest): Promise<IncomingMessage> {
    const url = new URL(this.errors.server.replace(/\/+$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const options: https.RequestOptions = { method: req.method, headers: {} };
    try {
      await this.context.kubeConfig.applyToHTTPSOptions(options);
    } catch (e) {
      throw fromAuthError(e, this.errors);
    }
    const headers = (options.headers ?? {}) as Record<string, string>;
    headers['Accept'] = 'application/json';
    headers['User-Agent'] = 'tekton-authoring';
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body), 'utf8');
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    options.headers = headers;
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const send = url.protocol === 'http:' ? http.request : https.request;
    return new Promise<IncomingMessage>((resolvePromise, reject) => {
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(fromNetworkError(e, this.errors, timeoutMs));
      };
      const request = send(url, options, (res) => {
        if (settled) return void res.destroy();
        settled = true;
        clearTimeout(timer);
        const signal = req.signal;
        if (signal) {
          // from now on an abort closes the response (a watch or a followed log)
          signal.removeEventListener('abort', onAbort);
          const close = () => res.destroy();
          signal.addEventListener('abort', close, { once: true });
          res.on('close', () => signal.removeEventListener('abort', close));
        }
        resolvePromise(res);
      });
      const timer = setTimeout(() => {
        const err = Object.assign(new Error('timeout'), { code: 'KUBE_TIMEOUT' });
        fail(err);
        request.destroy(err);
      }, timeoutMs);
      const onAbort = () => {
        const err = Object.assign(new Error('aborted'), { code: 'ABORT_ERR' });
        // a deadline (TimeoutError) is reported by json() as unreachable; a caller's abort as aborted
        fail(
          req.signal?.reason?.name === 'TimeoutError'
            ? Object.assign(new Error('timeout'), { code: 'KUBE_TIMEOUT' })
            : err,
        );
        request.destroy(err);
      };
      request.on('error', fail);
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.end(payload);
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) reject(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
    });
  });
}

/** Reads a response as newline-delimited text, calling `onLine` per line; resolves when the stream ends or closes. */
export function readLines(res: IncomingMessage, onLine: (line: string) => void): Promise<'end' | 'closed'> {
  return new Promise((resolvePromise) => {
    let buffer = '';
    let done = false;
    res.setEncoding('utf8');
    const finish = (how: 'end' | 'closed') => {
      if (done) return;
      done = true;
      resolvePromise(how);
    };
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        onLine(line);
        nl = buffer.indexOf('\n');
      }
    });
    res.on('end', () => {
      if (buffer) onLine(buffer);
      finish('end');
    });
    // a connection dropped mid-stream emits 'aborted'/'error' and then 'close' without 'end'
    res.on('error', () => finish('closed'));
    res.on('close', () => finish(res.complete ? 'end' : 'closed'));
  });
}
