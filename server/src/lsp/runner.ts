import { CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

/** Where handlers log; the connection's console in the server, stderr in tests. */
export interface Logger {
  error(message: string): void;
  log(message: string): void;
}

/** Formats an error with its stack for the Output channel. */
export function formatError(message: string, err: unknown): string {
  if (err instanceof Error) return `${message}: ${err.message}\n${err.stack ?? ''}`;
  return `${message}: ${String(err)}`;
}

/**
 * Runs a request handler safely: deferred so pending cancellations arrive first, cancelled requests answered with
 * `RequestCancelled`, and any exception logged and turned into `defaultValue` (a bug must not take the server down).
 */
export function runSafe<T, E = void>(
  logger: Logger,
  fn: () => T,
  defaultValue: T,
  message: string,
  token: CancellationToken,
): Promise<T | ResponseError<E>> {
  return runSafeAsync<T, E>(logger, async () => fn(), defaultValue, message, token);
}

function cancelled<E>(): ResponseError<E> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/** `runSafe` for handlers that await something first (the workspace crawl, say). */
export function runSafeAsync<T, E = void>(
  logger: Logger,
  fn: () => Promise<T>,
  defaultValue: T,
  message: string,
  token: CancellationToken,
): Promise<T | ResponseError<E>> {
  return new Promise((resolve) => {
    setImmediate(() => {
      if (token.isCancellationRequested) return resolve(cancelled<E>());
      fn().then(
        (result) => resolve(token.isCancellationRequested ? cancelled<E>() : result),
        (err) => {
          logger.error(formatError(message, err));
          resolve(defaultValue);
        },
      );
    });
  });
}

/**
 * Why a request's params cannot be served, or undefined when they can: a document request needs a string `uri` (in
 * `textDocument` or, for the custom requests, at the top) and, where given, positions of non-negative integers.
 * Malformed params are answered with InvalidParams, not with an empty result and a stack trace in the log.
 */
export function invalidParams(params: unknown, required: readonly string[] = []): ResponseError<void> | undefined {
  const p = params as {
    textDocument?: { uri?: unknown };
    uri?: unknown;
    position?: unknown;
    range?: { start?: unknown; end?: unknown };
    expression?: unknown;
    newName?: unknown;
  } | null;
  const uri = p?.textDocument ? p.textDocument.uri : p?.uri;
  const bad = (what: string) => new ResponseError<void>(ErrorCodes.InvalidParams, what);
  if (typeof uri !== 'string') return bad('the document uri is missing');
  for (const key of required) if ((p as Record<string, unknown>)[key] === undefined) return bad(`${key} is missing`);
  if (p?.expression !== undefined && typeof p.expression !== 'string') return bad('expression must be a string');
  if (p?.newName !== undefined && typeof p.newName !== 'string') return bad('newName must be a string');
  const isPosition = (x: unknown) => {
    const q = x as { line?: unknown; character?: unknown } | null;
    return !!q && Number.isInteger(q.line) && Number.isInteger(q.character) && (q.line as number) >= 0 && (q.character as number) >= 0;
  };
  if (p && 'position' in p && p.position !== undefined && !isPosition(p.position)) return bad('position must hold non-negative integer line and character');
  if (p?.range !== undefined && (!isPosition(p.range.start) || !isPosition(p.range.end))) return bad('range must hold two positions');
  return undefined;
}
