/** Reading the files a user names: one bounded reader for the command line and the simulation's file inputs. */
import { readFileSync, statSync, type Stats } from 'node:fs';

/** More than any request, expression, binding or secrets file: a larger input is refused, not read. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file the user named on the command line: regular files only (a FIFO or a device such as /dev/zero would
 * block or never end), at most MAX_INPUT_BYTES. Throws an error whose message is one line naming the path.
 */
export function readInputFile(path: string, shown = path): Buffer {
  const st = statInput(path, shown);
  if (st.isDirectory()) throw new InputFileError(shown, 'a folder, not a file');
  if (!st.isFile()) throw new InputFileError(shown, 'not a regular file');
  if (st.size > MAX_INPUT_BYTES) throw new InputFileError(shown, `larger than ${MAX_INPUT_BYTES / 1048576} MB`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputFileError(shown, fileErrorReason(e));
  }
}

/**
 * `stat` of a path the user named; an InputFileError naming it (`shown`: as the user wrote it) and why (missing, link
 * loop, no permission).
 */
export function statInput(path: string, shown = path): Stats {
  try {
    return statSync(path);
  } catch (e) {
    throw new InputFileError(shown, fileErrorReason(e));
  }
}

/** Why a file system call on a user's path failed, in words (Node's own messages carry the syscall and a code). */
export function fileErrorReason(e: unknown): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file or directory';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'ENAMETOOLONG':
      return 'name too long';
    default:
      return (e as Error)?.message?.split('\n')[0] ?? String(e);
  }
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
