// UI test of the packaged extension: the .vsix is installed into code-server with `--install-extension`, code-server
// serves a workspace with a Pipeline (one misspelled key) and an EventListener, and headless chromium drives the
// workbench like a user: open the Pipeline, see the squiggle and the problem in the Problems panel (and the problem of
// a Task that is never opened: workspace diagnostics), type on a new
// line inside `spec:`, press Ctrl+Space, see the suggest widget. Screenshots go to test-results/; with
// TEKTON_UPDATE_SCREENSHOT=1 (or when it is missing) the completion one is copied to docs/screenshot.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeServerPackage, ensureCodeServer } from '../../scripts/installCodeServer.mjs';
import { packageVsix } from '../../scripts/package.mjs';
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
  serverEnv,
  startServer,
  quickOpen,
  uiWaiter,
  waitFor,
} from './workbench.mjs';

const UI_TIMEOUT_MS = 90_000;

/** User settings for a quiet, reproducible workbench (code-server keeps them server-side in the user-data-dir). */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
  'window.zoomLevel': 0,
};

describe('packaged extension in the code-server UI', () => {
  it('shows completion inside spec: and a schema problem', { timeout: 30 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const entry = join(pkg, 'out', 'node', 'entry.js');
    const dir = scratch('ui');
    const env = serverEnv(dir);
    const common = [
      '--config', join(dir, 'config.yaml'),
      '--user-data-dir', join(dir, 'user-data'),
      '--extensions-dir', join(dir, 'extensions'),
    ];
    writeFileSync(join(dir, 'config.yaml'), 'auth: none\n');
    mkdirSync(join(dir, 'user-data', 'User'), { recursive: true });
    writeFileSync(join(dir, 'user-data', 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));

    // Package and install the .vsix the way a user would.
    const vsix = packageVsix(join(dir, 'tekton.vsix'), { log });
    const install = spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
    t.diagnostic(`install-extension: ${(install.stdout + install.stderr).trim().split('\n').pop()}`);
    assert.equal(install.status, 0, `--install-extension failed:\n${install.stdout}\n${install.stderr}`);
    const installed = readdirSync(join(dir, 'extensions')).filter((n) => n.startsWith('tekton-authoring.tekton-authoring-'));
    assert.equal(installed.length, 1, `extension not in the extensions dir: ${readdirSync(join(dir, 'extensions'))}`);

    // A workspace of its own: typing happens in it.
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    for (const f of ['pipeline.yaml', 'eventlistener.yaml', 'task.yaml']) copyFileSync(join(FIXTURE_WORKSPACE, f), join(workspace, f));
    // never opened: its problem can only reach the Problems panel through workspace diagnostics
    writeFileSync(
      join(workspace, 'broken-step.yaml'),
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: broken-step\nspec:\n  steps:\n    - image: alpine\n      scrip: echo hello\n',
    );
    const pipelineText = readFileSync(join(workspace, 'pipeline.yaml'), 'utf8');
    const specLine = pipelineText.split('\n').indexOf('spec:') + 1; // 1-based, for "Go to Line"
    assert.ok(specLine > 0, 'pipeline.yaml has no top-level spec:');

    const port = await freePort();
    const server = await startServer(
      entry,
      [
        ...common,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        workspace,
      ],
      { env, readyUrl: `http://127.0.0.1:${port}/healthz`, name: 'code-server' },
    );
    log(`code-server on port ${port} after ${Date.now() - started} ms`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    let browser;
    let page;
    try {
      browser = await launchChromium(chromium.path, dir);
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const wait = uiWaiter(page, UI_TIMEOUT_MS);

      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
      await wait('.monaco-workbench .part.editor', 'the workbench');
      await wait('.explorer-folders-view .monaco-list-row[aria-label^="pipeline.yaml"]', 'pipeline.yaml in the Explorer');

      // Open the Pipeline with Quick Open.
      await quickOpen(page, wait, 'pipeline.yaml');
      await wait('.tab.active[aria-label*="pipeline.yaml"]', 'the pipeline.yaml editor tab');
      await wait('.monaco-editor .view-lines:has-text("build-and-test")', 'the Pipeline text');

      // The schema diagnostic: a squiggle in the editor and a row in the Problems panel.
      await wait('.monaco-editor .squiggly-error', 'an error squiggle');
      await page.keyboard.press('Control+Shift+M');
      await wait('.markers-panel .monaco-list-row:has-text("runAftr")', 'the runAftr problem in the Problems panel');
      const problem = await page.locator('.markers-panel .monaco-list-row:has-text("runAftr")').first().innerText();
      assert.match(problem, /runAftr/);
      assert.match(problem, /tekton/, `the problem does not name its source: ${problem}`);
      await page.screenshot({ path: join(RESULTS_DIR, 'ui-problems.png') });
      await wait('.markers-panel .monaco-list-row[aria-label*="broken-step.yaml"]', 'the closed broken-step.yaml in the Problems panel');
      await wait('.markers-panel .monaco-list-row:has-text("did you mean \\"script\\"")', 'the problem of the closed file');
      assert.equal(await page.locator('.tab[aria-label*="broken-step.yaml"]').count(), 0, 'broken-step.yaml was opened');
      await page.screenshot({ path: join(RESULTS_DIR, 'ui-workspace-problems.png') });

      // Completion: a new line inside `spec:`, then Ctrl+Space.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await wait('.quick-input-widget input', 'Go to Line');
      await page.keyboard.type(String(specLine));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      // Whether the new line is auto-indented depends on the YAML indentation rules: read the cursor from the status
      // bar once it is on the new line, and pad to the column of the spec's keys.
      const cursor = await waitFor('the cursor on the new line', async () => {
        const status = await page.locator('.statusbar-item[id="status.editor.selection"]').first().innerText();
        const m = /Ln (\d+), Col (\d+)/.exec(status);
        return m && Number(m[1]) === specLine + 1 && { col: Number(m[2]) };
      }, UI_TIMEOUT_MS);
      if (cursor.col < 3) await page.keyboard.type(' '.repeat(3 - cursor.col));
      for (let c = cursor.col; c > 3; c--) await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+Space');
      await wait('.suggest-widget.visible .monaco-list-row', 'the suggest widget');
      await wait('.suggest-widget.visible .monaco-list-row[aria-label*="finally"]', '"finally" among the suggestions');
      const labels = await page.locator('.suggest-widget.visible .monaco-list-row .label-name').allInnerTexts();
      t.diagnostic(`suggestions inside spec: ${labels.join(', ')}`);
      assert.ok(labels.includes('finally'), `no "finally" in ${labels}`);
      // Ctrl+Space again toggles the details of the focused item (the schema's description of the key). The widget
      // may already show them, and a toggle can land before the widget is ready: toggle until they are visible.
      let lastToggle = 0;
      await waitFor('the details of the focused suggestion', async () => {
        if (await page.locator('.suggest-details-container .suggest-details .docs').first().isVisible()) return true;
        if (Date.now() - lastToggle > 2000) {
          lastToggle = Date.now();
          await page.keyboard.press('Control+Space');
        }
        return false;
      }, UI_TIMEOUT_MS);
      const docs = await page.locator('.suggest-details-container .suggest-details .docs').first().innerText();
      t.diagnostic(`details of "${labels[0]}": ${docs.replace(/\s+/g, ' ').slice(0, 100)}`);
      assert.ok(docs.trim().length > 0, 'the completion item has no description');
      const shot = join(RESULTS_DIR, 'ui-completion.png');
      await page.screenshot({ path: shot });

      const docShot = join(REPO, 'docs', 'screenshot.png');
      if (process.env.TEKTON_UPDATE_SCREENSHOT === '1' || !existsSync(docShot)) {
        mkdirSync(join(REPO, 'docs'), { recursive: true });
        copyFileSync(shot, docShot);
        t.diagnostic(`updated ${docShot}`);
      }
      log(`UI test done after ${Date.now() - started} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'ui-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'ui-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
