// End-to-end test of the task graph through the real workbench: code-server's VS Code server with the extension
// loaded from the repository, headless chromium driven by playwright-core, and the HTTPS Kubernetes API test double
// (test/kube/fakeApiServer.ts, compiled to out/) in this process, reached by the extension host through a kubeconfig
// given in KUBECONFIG; the test plays the Tekton controller with the fixtures' helpers. A user: opens a catalog
// Pipeline (from ../shared/data, skipped when that is absent), runs "Tekton: Show Pipeline Graph", sees its tasks and
// edges drawn in the webview, clicks a task and lands on its definition in the editor; then opens "Show Run Graph" on a
// PipelineRun of the Runs view and sees its tasks change colour as the TaskRuns run, succeed or are skipped.
// Webviews are nested iframes (the host frame, then the content frame); the test finds the content frame by the
// graph's own summary line (workbench.mjs graphFrame), so it does not depend on how VS Code names its frames.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeServerPackage, ensureCodeServer } from '../../scripts/installCodeServer.mjs';
import {
  assertCompiled,
  ensureChromium,
  freePort,
  graphFrame,
  graphStatuses,
  drawnGraph,
  launchChromium,
  log,
  REPO,
  RESULTS_DIR,
  scratch,
  serverEnv,
  startVsCodeServer,
  quickOpen,
  uiWaiter,
  waitFor,
  openWorkbench,
  runCommand,
} from './workbench.mjs';

const require = createRequire(import.meta.url);
const UI_TIMEOUT_MS = 45_000;
/** The catalog Pipeline drawn: three tasks, two runAfter edges, two builds guarded by opposite `when`s. */
const CATALOG_PIPELINE = join(REPO, '..', 'shared', 'data', 'catalog', 'pipeline', 'buildpacks', '0.2', 'buildpacks.yaml');
const RUN_NAME = 'buildpacks-run-1';

describe('task graph (code-server + Kubernetes API test double)', () => {
  it('draws a catalog Pipeline, jumps to a clicked task, and colours a live PipelineRun by TaskRun status', { timeout: 5 * 60_000 }, async (t) => {
    assertCompiled();
    if (!existsSync(CATALOG_PIPELINE)) return t.skip(`the catalog Pipeline ${CATALOG_PIPELINE} is not there (../shared/data absent): skipped`);
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const { startFakeServer, writeKubeconfig, startRun, finishRun, addTaskRun } = require(join(REPO, 'out', 'test', 'kube', 'fixtures.js'));
    const { parse } = require('yaml');
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('graph');
    const api = await startFakeServer();
    const kubeDir = join(dir, 'kube');
    mkdirSync(kubeDir);
    const kubeconfig = writeKubeconfig(kubeDir, api.url, { namespace: 'default' });
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    const text = readFileSync(CATALOG_PIPELINE, 'utf8');
    writeFileSync(join(workspace, 'buildpacks.yaml'), text);
    // 1-based, as the status bar counts: the line of `- name: build-untrusted`, where a click must land
    const untrustedLine = text.split('\n').findIndex((l) => /^\s*- name: build-untrusted\s*$/.test(l)) + 1;
    assert.ok(untrustedLine > 0, 'the catalog Pipeline still has its build-untrusted task');

    const port = await freePort();
    const server = await startVsCodeServer(pkg, dir, port, { env: serverEnv(dir, { KUBECONFIG: kubeconfig }) });
    log(`VS Code server on port ${port} after ${Date.now() - started} ms`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    let browser;
    let page;
    try {
      browser = await launchChromium(chromium.path, dir);
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const wait = uiWaiter(page, UI_TIMEOUT_MS);
      await openWorkbench(page, port, workspace, wait);
      await wait('.explorer-folders-view .monaco-list-row[aria-label^="buildpacks.yaml"]', 'buildpacks.yaml in the Explorer');

      // The Pipeline, then its graph from the command palette.
      await quickOpen(page, wait, 'buildpacks.yaml');
      await wait('.monaco-editor .view-lines:has-text("name: buildpacks")', 'the Pipeline text');
      await wait('.monaco-editor .codelens-decoration:has-text("Submit Run")', 'the code lenses (the extension is active)');
      const selection = page.locator('.statusbar-item[id="status.editor.selection"]').first();
      assert.doesNotMatch(await selection.innerText(), new RegExp(`Ln ${untrustedLine},`), 'the cursor starts elsewhere');
      await page.locator('.monaco-editor .view-lines').first().click();
      await runCommand(page, wait, 'Tekton: Show Pipeline Graph');
      const shownAt = Date.now();
      await wait('.tab:has-text("Graph: buildpacks")', 'the graph editor tab');

      const pipelineFrame = await graphFrame(page, /^Pipeline buildpacks: 3 tasks, 2 edges/, 'the graph of Pipeline buildpacks in the webview');
      await pipelineFrame.locator('#canvas g.node[data-id="build-untrusted"]').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      log(`graph drawn ${Date.now() - shownAt} ms after the command`);
      const graph = await drawnGraph(pipelineFrame);
      assert.deepEqual(graph.nodes.map((n) => n.id).sort(), ['build-trusted', 'build-untrusted', 'fetch-from-git']);
      assert.deepEqual(graph.edges.sort(), ['fetch-from-git->build-trusted', 'fetch-from-git->build-untrusted']);
      const classes = Object.fromEntries(graph.nodes.map((n) => [n.id, n.classes]));
      assert.ok(classes['build-trusted'].includes('conditional'), 'the when-guarded build is marked');
      assert.ok(!classes['fetch-from-git'].includes('conditional'), 'an unguarded task is not');
      assert.ok(graph.nodes.every((n) => !n.classes.some((c) => c.startsWith('status-'))), 'no run status on a Pipeline');
      await page.screenshot({ path: join(RESULTS_DIR, 'graph-pipeline.png') });

      // A click on a task: the editor beside shows its definition, the task's name selected.
      await pipelineFrame.locator('#canvas g.node[data-id="build-untrusted"]').click();
      await waitFor(
        `the cursor on line ${untrustedLine} after the click`,
        async () => new RegExp(`^Ln ${untrustedLine}, Col \\d+ \\(15 selected\\)`).test((await selection.innerText()).trim()),
        UI_TIMEOUT_MS,
      );
      await wait(`.monaco-editor .view-lines .view-line:has-text("- name: build-untrusted")`, 'the task in view');
      await page.screenshot({ path: join(RESULTS_DIR, 'graph-pipeline-jump.png') });
      log(`pipeline graph and jump done after ${Date.now() - started} ms`);

      // A live run of the same Pipeline, as the cluster holds it: not started yet.
      const pipeline = parse(text);
      api.put({
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: RUN_NAME, namespace: 'default', creationTimestamp: '2025-01-01T09:59:59Z' },
        spec: { pipelineSpec: pipeline.spec, params: [{ name: 'TRUST_BUILDER', value: 'yes' }] },
      });
      await wait('.pane-header:has-text("Tekton Runs")', 'the Runs view');
      // collapsed below the Explorer's other views until opened
      const runsHeader = page.locator('.pane-header:has-text("Tekton Runs")').first();
      if ((await runsHeader.getAttribute('aria-expanded')) !== 'true') await runsHeader.click();
      const row = `.monaco-list-row[aria-label^="PipelineRun ${RUN_NAME} "]`;
      await wait(row, 'the run in the Runs view');
      // the row's inline action (the context menu has it too, but menus drop a click that comes as they open)
      await page.locator(row).first().hover();
      const inline = `${row} .actions .action-label[aria-label^="Show Run Graph"]`;
      await wait(inline, 'the Show Run Graph action on the run');
      await page.locator(inline).first().click();
      await wait(`.tab:has-text("Run: ${RUN_NAME}")`, 'the run graph editor tab');
      const runFrame = await graphFrame(page, new RegExp(`^PipelineRun ${RUN_NAME}`), 'the run graph in the webview');
      const pending = await graphStatuses(runFrame, (s) => Object.values(s).every((v) => v === 'pending'), 'every task pending');
      assert.deepEqual(Object.keys(pending.statuses).sort(), ['build-trusted', 'build-untrusted', 'fetch-from-git']);

      // The controller starts the run and the first TaskRun.
      startRun(api, 'PipelineRun', RUN_NAME, { pipelineSpec: pipeline.spec });
      const fetch = addTaskRun(api, RUN_NAME, 'fetch-from-git', ['clone']);
      const running = await graphStatuses(
        runFrame,
        (s) => s['fetch-from-git'] === 'running' && s['build-trusted'] === 'pending',
        'fetch-from-git running',
      );
      // fetch-from-git clones, then the trusted build runs and the untrusted one is skipped by its `when`.
      finishRun(api, 'TaskRun', fetch.taskRun, 'True', 'Succeeded', '2025-01-01T10:00:40Z');
      const build = addTaskRun(api, RUN_NAME, 'build-trusted', ['build']);
      api.update('PipelineRun', RUN_NAME, (o) => {
        o.status.skippedTasks = [{ name: 'build-untrusted', reason: 'When Expressions evaluated to false' }];
      });
      const mid = await graphStatuses(
        runFrame,
        (s) => s['fetch-from-git'] === 'succeeded' && s['build-trusted'] === 'running' && s['build-untrusted'] === 'skipped',
        'fetch-from-git succeeded, build-trusted running, build-untrusted skipped',
      );
      // Colours, not only classes: each state paints its node's border differently.
      const stroke = (r, id) => r.nodes.find((n) => n.id === id).stroke;
      assert.notEqual(stroke(running, 'fetch-from-git'), stroke(pending, 'fetch-from-git'), 'running is painted unlike pending');
      assert.notEqual(stroke(mid, 'fetch-from-git'), stroke(running, 'fetch-from-git'), 'succeeded is painted unlike running');
      assert.notEqual(stroke(mid, 'build-untrusted'), stroke(mid, 'fetch-from-git'), 'skipped is painted unlike succeeded');
      await wait(`.monaco-list-row[aria-label^="PipelineRun ${RUN_NAME} Running"]`, 'the run Running in the Runs view as in the graph');
      await wait(`.tab.active:has-text("Run: ${RUN_NAME}")`, 'the run graph in front');
      await page.screenshot({ path: join(RESULTS_DIR, 'graph-run.png') });

      finishRun(api, 'TaskRun', build.taskRun, 'True', 'Succeeded');
      finishRun(api, 'PipelineRun', RUN_NAME, 'True', 'Succeeded');
      await graphStatuses(runFrame, (s) => s['build-trusted'] === 'succeeded' && s['build-untrusted'] === 'skipped', 'build-trusted succeeded');
      await graphFrame(page, new RegExp(`^PipelineRun ${RUN_NAME} succeeded`, 'i'), 'the run Succeeded in the graph summary');

      // A task of the run opens its TaskRun's log.
      await runFrame.locator('#canvas g.node[data-id="fetch-from-git"]').click();
      await wait('.tab:has-text("clone.log")', 'the log of fetch-from-git\'s step');
      log(`graph e2e done after ${Date.now() - started} ms`);
      t.diagnostic(`duration ${Date.now() - started} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'graph-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'graph-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
