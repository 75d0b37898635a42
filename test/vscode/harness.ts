/**
 * A tiny test runner for the extension host: no mocha, so the same bodies run under @vscode/test-electron (desktop)
 * and in code-server's workbench (web, remote extension host). Results are printed as TAP-like lines and a final
 * summary line; `run` rejects when anything failed, which makes VS Code exit with 1.
 */

export type TestBody = () => Promise<void> | void;

interface TestCase {
  name: string;
  body: TestBody;
}

const cases: TestCase[] = [];

/** Registers a test; tests run in registration order and share state (the workbench is expensive to start). */
export function test(name: string, body: TestBody): void {
  cases.push({ name, body });
}

/** Polls `probe` until it returns a value other than `undefined`/`false`, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function assertEqual<T>(actual: T, expected: T, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

/** Runs every registered test; `log` receives each output line. */
export async function runAll(log: (line: string) => void): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  log(`extension-host suite: ${cases.length} tests`);
  for (const [i, c] of cases.entries()) {
    const started = Date.now();
    try {
      await c.body();
      passed++;
      log(`ok ${i + 1} - ${c.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      log(`not ok ${i + 1} - ${c.name} (${Date.now() - started} ms)`);
      const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
      for (const line of text.split('\n')) log(`    ${line}`);
    }
  }
  log(`extension-host suite: ${passed} of ${cases.length} tests passed`);
  return { passed, failed };
}
