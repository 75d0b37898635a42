/** Reading the files a user names: one bounded reader for the command line and the simulation's file inputs. */
import { readFileSync, statSync } from 'node:fs';

/** More than any request, expression, binding or secrets file: a larger input is refused, not read. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file the user named on the command line: regular files only (a FIFO or a device such as /dev/zero would
 * block or never end), at most MAX_INPUT_BYTES. Throws an error whose message is one line naming the path.
 */
export function readInputFile(path: string): Buffer {
  const st = statSync(path);
  if (!st.isFile()) throw new InputFileError(path, 'not a regular file');
  if (st.size > MAX_INPUT_BYTES) throw new InputFileError(path, `larger than ${MAX_INPUT_BYTES / 1048576} MB`);
  return readFileSync(path);
}

/** Why an input file was refused; `reason` without the path, for callers that name it themselves. */
export class InputFileError extends Error {
  constructor(
    path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
