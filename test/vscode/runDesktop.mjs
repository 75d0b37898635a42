#!/usr/bin/env node
// Runs the extension-host suite (out/test/vscode/index.js) in desktop VS Code with @vscode/test-electron:
//
//   npm run compile && VSCODE_EXECUTABLE_PATH=/path/to/code node test/vscode/runDesktop.mjs
//
// Desktop VS Code cannot be downloaded on our machines, so this never downloads: without VSCODE_EXECUTABLE_PATH it
// says so and exits 0. (Here the same suite runs in code-server's workbench: test/e2e/extensionHost.test.mjs.)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const executable = process.env.VSCODE_EXECUTABLE_PATH;

if (!executable) {
  console.log('desktop VS Code half skipped: VSCODE_EXECUTABLE_PATH not set');
  process.exit(0);
}
if (!existsSync(executable)) {
  console.error(`VSCODE_EXECUTABLE_PATH=${executable} does not exist`);
  process.exit(1);
}
const tests = join(REPO, 'out', 'test', 'vscode', 'index.js');
if (!existsSync(tests) || !existsSync(join(REPO, 'dist', 'client.js'))) {
  console.error('the extension or the suite is not compiled: run `npm run compile` first');
  process.exit(1);
}

const { runTests } = await import('@vscode/test-electron');
const profile = mkdtempSync(join(tmpdir(), 'tekton-desktop-'));
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: tests,
    launchArgs: [
      join(REPO, 'test', 'fixtures', 'workspace'),
      '--user-data-dir', join(profile, 'user-data'),
      '--extensions-dir', join(profile, 'extensions'),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-telemetry',
    ],
    extensionTestsEnv: { EXTENSIONS_GALLERY: '{}' },
  });
  console.log('desktop VS Code: extension-host suite passed');
} catch (err) {
  console.error(`desktop VS Code: extension-host suite failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
} finally {
  rmSync(profile, { recursive: true, force: true });
}
