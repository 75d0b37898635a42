import type { CliIo } from '../../../server/src/cli/command';

/** What a command wrote and returned. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command against an io that collects its output; `cwd` is where relative paths start. */
export async function capture(run: (io: CliIo) => Promise<number>, cwd: string = process.cwd()): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run({ stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}
