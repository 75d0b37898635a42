// End-to-end test of the first simulation a newcomer runs, in the real workbench (code-server with the extension from
// the repository, headless chromium driven by playwright-core): the demo's GitHub listener with a bundled GitHub
// pull_request example, which carries no signature. The simulation stops at the github interceptor, the extension
// offers to sign the sample with the secret the interceptor names (the demo's Secret in the workspace), and the
// re-run fires and renders the TaskRun. The trace has its own room, a view container in the panel; its interceptors
// are counted from 1, and its signature check leads to the interceptor's secretRef. The secret's value never reaches a
// log.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeServerPackage, ensureCodeServer } from '../../scripts/installCodeServer.mjs';
import {
  assertCompiled,
  ensureChromium,
  freePort,
  launchChromium,
  log,
  REPO,
  RESULTS_DIR,
  scratch,
  serverEnv,
  startVsCodeServer,
  quickOpen,
  uiWaiter,
  openWorkbench,
  filesUnder,
  SIMULATION_PANEL,
  traceRow,
  runCommand,
} from './workbench.mjs';

const UI_TIMEOUT_MS = 45_000;
const SECRET = 'demo-webhook-secret';


describe('simulating the demo GitHub listener with an unsigned bundled example (code-server)', () => {
  it('offers to sign the sample with the interceptor secret, and the re-run fires', { timeout: 5 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('simulate');
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    for (const f of ['github-listener.yaml', 'github-secret.yaml']) copyFileSync(join(REPO, 'demo', 'triggers', f), join(workspace, f));
    const port = await freePort();
    const server = await startVsCodeServer(pkg, dir, port, { env: serverEnv(dir) });
    mkdirSync(RESULTS_DIR, { recursive: true });
    let browser;
    let page;
    try {
      browser = await launchChromium(chromium.path, dir);
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const wait = uiWaiter(page, UI_TIMEOUT_MS);
      await openWorkbench(page, port, workspace, wait);
      await wait('.explorer-folders-view .monaco-list-row[aria-label^="github-listener.yaml"]', 'the listener in the Explorer');
      await quickOpen(page, wait, 'github-listener.yaml');
      await wait('.monaco-editor .view-lines:has-text("EventListener")', 'the listener text');

      // a bundled GitHub pull_request example: no signature
      await page.locator('.monaco-editor .view-lines').first().click();
      await runCommand(page, wait, 'Tekton: Select Sample Event');
      await wait('.quick-input-list .monaco-list-row[aria-label*="GitHub example"]', 'the GitHub examples entry');
      await page.keyboard.type('GitHub example');
      await wait('.quick-input-list .monaco-list-row.focused[aria-label*="GitHub example"]', 'GitHub example focused');
      await page.keyboard.press('Enter');
      await wait('.quick-input-widget .quick-input-title:has-text("GitHub event")', 'the GitHub event list');
      await page.keyboard.type('pull_request');
      await wait('.quick-input-list .monaco-list-row[aria-label*="opened"]', 'pull_request opened');
      await page.locator('.quick-input-list .monaco-list-row[aria-label*="pull_request"][aria-label*="opened"]').first().click();

      // the simulation stops at the signature, and the extension offers to sign
      await runCommand(page, wait, 'Tekton: Simulate Event');
      const offer = '.notifications-toasts .notification-toast:has-text("carries no signature")';
      await wait(offer, 'the offer to sign the sample');
      await wait(traceRow('Must set X-Hub-Signature-256'), 'the trace saying why the trigger stopped');
      await page.screenshot({ path: join(RESULTS_DIR, 'simulate-unsigned.png') });
      await page.locator(`${offer} .monaco-button:has-text("Sign and Simulate Again")`).first().click();

      // signed with the workspace Secret: the trigger fires and the TaskRun is rendered
      await wait(`${traceRow('trigger github-listener')}:has-text("fired")`, 'the trigger fired in the Simulation view');
      await wait(traceRow('the sample was signed for this check'), 'the trace saying the sample was signed');
      await wait('.monaco-editor .view-lines:has-text("generateName: github-run-")', 'the rendered TaskRun');
      await page.screenshot({ path: join(RESULTS_DIR, 'simulate-signed.png') });

      // The trace is a view container of its own in the panel, no longer a pane squeezed into the Explorer.
      await wait('.part.panel .composite-bar .action-item.checked:has-text("Tekton Simulation")', 'the Tekton Simulation panel tab, active');
      assert.equal(await page.locator('.part.sidebar .pane-header:has-text("Tekton Simulation")').count(), 0, 'a Tekton Simulation pane in the side bar');
      // Interceptors are counted from 1, as a person counts them.
      const rows = await page.locator(`${SIMULATION_PANEL} .monaco-list-row`).allInnerTexts();
      t.diagnostic(`trace: ${JSON.stringify(rows)}`);
      assert.ok(rows.some((r) => r.startsWith('interceptor 1 github')), `the github interceptor is the first: ${JSON.stringify(rows)}`);
      assert.ok(rows.some((r) => r.startsWith('interceptor 2 cel')), `the cel interceptor is the second: ${JSON.stringify(rows)}`);

      // The signature check leads to the interceptor's secretRef (its value), not to the trigger's name.
      const listener = readFileSync(join(workspace, 'github-listener.yaml'), 'utf8').split('\n');
      const first = listener.findIndex((l) => l.includes('secretName: github-secret'));
      const last = listener.findIndex((l) => l.includes('secretKey: secretToken'));
      const indent = listener[first].length - listener[first].trimStart().length;
      // the status bar shows where the cursor (the selection's end) is, and how much is selected (a line break is one)
      const selected = listener[first].length - indent + 1 + listener[last].trimEnd().length;
      const expected = `Ln ${last + 1}, Col ${listener[last].trimEnd().length + 1} (${selected} selected)`;
      // the check's own row: the interceptor's row above repeats its detail in its reason
      await page.locator(`${SIMULATION_PANEL} .monaco-list-row`).filter({ hasText: /^\s*signature\s*X-Hub-Signature-256 matches/ }).first().click();
      await wait('.editor-group-container.active .tab.active:has-text("github-listener.yaml")', 'the listener opened by the signature check');
      await wait(`[id="status.editor.selection"]:has-text("${expected}")`, `the selection on secretRef (${expected})`);
      await page.screenshot({ path: join(RESULTS_DIR, 'simulate-signature-source.png') });

      const leaks = filesUnder(dir).filter((f) => !f.startsWith(workspace) && readFileSync(f).includes(SECRET));
      assert.deepEqual(leaks.map((f) => f.slice(dir.length)), [], 'files holding the secret value');
      assert.ok(!server.output.includes(SECRET), 'the secret is in the server output');
      t.diagnostic(`duration ${Date.now() - started} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'simulate-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'simulate-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
