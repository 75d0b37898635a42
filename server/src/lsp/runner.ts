import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

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
