// Runs the extension-host suite (test/vscode, compiled to out/test/vscode/) inside a real VS Code: the VS Code server
// bundled in code-server, its workbench in headless chromium. The extension is loaded from the repository as an
// extension under development; the suite's exit code comes back through `window.codeAutomationExit` and its output
// through `window.codeAutomationLog`, both exposed to the page by playwright (VS Code calls them when started with
// `--enable-smoke-test-driver` and `extensionTestsPath`). Then the desktop half (test/vscode/runDesktop.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeServerPackage, ensureCodeServer } from '../../scripts/installCodeServer.mjs';
import {
  assertCompiled,
  ensureChromium,
  FIXTURE_WORKSPACE,
  freePort,
  launchChromium,
  log,
  REPO,
  RESULTS_DIR,
  scratch,
  startVsCodeServer,
  waitFor,
} from './workbench.mjs';

const SUITE_TIMEOUT_MS = 5 * 60_000;

describe('extension-host suite (test/vscode)', () => {
  it('passes in code-server\'s VS Code server + chromium', { timeout: 30 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('exthost');
    const port = await freePort();
    const server = await startVsCodeServer(pkg, dir, port, { smokeTestDriver: true });
    log(`VS Code server on port ${port} after ${Date.now() - started} ms`);
    const lines = []; // everything codeAutomationLog received
    const PREFIX = '[tekton-vscode-test] ';
    let browser;
    try {
      browser = await launchChromium(chromium.path, dir);
      const page = await browser.newPage();
      let exit;
      await page.exposeFunction('codeAutomationLog', (level, message) => {
        lines.push(`[${level}] ${message}`);
      });
      await page.exposeFunction('codeAutomationExit', (code) => {
        exit = { code };
      });
      page.on('pageerror', (err) => lines.push(`[pageerror] ${err.message}`));
      // The web workbench reads a JSON array of [key, value] pairs from `payload`; paths are URIs of the remote
      // (the server names its authority `remote`), as the extension host runs on the server side.
      const remote = (p) => `vscode-remote://remote${p}`;
      const payload = [
        ['extensionDevelopmentPath', remote(REPO.replace(/\/$/, ''))],
        ['extensionTestsPath', remote(join(REPO, 'out', 'test', 'vscode', 'index.js'))],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ];
      const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(FIXTURE_WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      await page.goto(url);
      await waitFor('window.codeAutomationExit (the suite finishing)', () => exit, SUITE_TIMEOUT_MS, 250);
      const output = lines
        .filter((l) => l.includes(PREFIX))
        .map((l) => l.slice(l.indexOf(PREFIX) + PREFIX.length))
        .join('\n');
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(join(RESULTS_DIR, 'extension-host-web.log'), `${lines.join('\n')}\n--- VS Code server ---\n${server.output}`);
      for (const line of output.trim().split('\n')) t.diagnostic(line);
      log(`suite exited with ${exit.code} after ${Date.now() - started} ms`);
      assert.equal(exit.code, 0, `extension-host suite failed (exit ${exit.code}); log: test-results/extension-host-web.log\n${output || lines.slice(-60).join('\n')}`);
      assert.match(output, /^ok \d+ /m, 'the suite ran no tests');
      assert.doesNotMatch(output, /^not ok/m);
    } finally {
      await browser?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes on desktop VS Code (VSCODE_EXECUTABLE_PATH)', { timeout: 10 * 60_000 }, (t) => {
    assertCompiled();
    if (!process.env.VSCODE_EXECUTABLE_PATH) {
      return t.skip('desktop VS Code half skipped: VSCODE_EXECUTABLE_PATH not set');
    }
    assert.ok(existsSync(process.env.VSCODE_EXECUTABLE_PATH), `VSCODE_EXECUTABLE_PATH ${process.env.VSCODE_EXECUTABLE_PATH} does not exist`);
    const r = spawnSync(process.execPath, [join(REPO, 'test', 'vscode', 'runDesktop.mjs')], { encoding: 'utf8', cwd: REPO });
    for (const line of `${r.stdout}${r.stderr}`.trim().split('\n')) t.diagnostic(line);
    assert.equal(r.status, 0, 'runDesktop.mjs failed');
  });
});
