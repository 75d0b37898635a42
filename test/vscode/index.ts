/**
 * Entry point VS Code loads as `extensionTestsPath` (out/test/vscode/index.js): registers the suite and runs it.
 * VS Code awaits `run()` and exits the extension host with 0 when it resolves, 1 when it rejects; in the web workbench
 * that exit code reaches the page as `window.codeAutomationExit(code)`. Lines go to console.log: on desktop to the
 * terminal, in the web workbench to `window.codeAutomationLog`; the `[tekton-vscode-test]` prefix lets a harness pick
 * them out of the workbench's own log lines.
 */
import { runAll } from './harness';
import './suite';
import './runsSuite';
import './triggersSuite';
import './graphSuite';

export async function run(): Promise<void> {
  const { failed } = await runAll((line) => console.log(`[tekton-vscode-test] ${line}`));
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
}
