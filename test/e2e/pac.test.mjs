// End-to-end test of Pipelines-as-Code's "Which PipelineRuns Fire?" (issue 16) through the real workbench: code-server's
// VS Code server with the extension loaded from the repository and headless chromium driven by playwright-core. The
// workspace is a repository's `.tekton/` folder with two PaC PipelineRuns: one for pull requests to `master` (the
// target branch of GitHub's bundled `pull_request` example), one for pull requests to `release-*`. A user: opens the
// first, clicks its "▶ Which PipelineRuns fire?" lens, picks the bundled GitHub `pull_request` (opened) example in the
// sample picker, sees one run matched and the other skipped with its reason in full, opens the matched one and finds
// it read-only with `{{ revision }}` replaced by the pull request's head sha and Submit Run offered; the output
// channel and the Tekton Simulation view keep the same reasons, and the view opens the matched run again. Then a push
// event, chosen with "Tekton: Select Sample Event" and asked again from the view's Re-run, fires neither, and the
// substituted run left open says it no longer fires.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeServerPackage, ensureCodeServer } from '../../scripts/installCodeServer.mjs';
import {
  assertCompiled,
  ensureChromium,
  freePort,
  launchChromium,
  log,
  RESULTS_DIR,
  scratch,
  serverEnv,
  startVsCodeServer,
  quickOpen,
  uiWaiter,
  waitFor,
  openWorkbench,
  SIMULATION_ACTIONS,
  SIMULATION_PANEL,
  showSimulationPanel,
  traceRow,
  runCommand,
} from './workbench.mjs';

const UI_TIMEOUT_MS = 45_000;
/** `pull_request.head.sha` of the bundled GitHub `pull_request` examples (dist/githubExamples.json). */
const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const SKIP_REASON = 'on-target-branch [release-*] does not match the target branch master';

const PULL_REQUEST_RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: hello-pull-request
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[master]"
spec:
  params:
    - name: revision
      value: "{{ revision }}"
    - name: repo-url
      value: "{{ repo_url }}"
  pipelineSpec:
    params:
      - name: revision
      - name: repo-url
    tasks:
      - name: checkout
        params:
          - name: revision
            value: $(params.revision)
        taskSpec:
          params:
            - name: revision
          steps:
            - name: show
              image: alpine
              script: echo "checking out $(params.revision)"
`;

/** Same event, another target branch: PaC skips it for a pull request to master. */
const RELEASE_RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: hello-release
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[release-*]"
spec:
  pipelineSpec:
    tasks:
      - name: build
        taskSpec:
          steps:
            - name: build
              image: alpine
              script: echo "release build of {{ revision }}"
`;

/**
 * Clicks the quick pick row whose label and description, joined by a space, match `text`: typing filters by substring
 * (`pull_request` also lists `pull_request_review`), and a row's innerText runs label and description together.
 */
async function pickRow(page, text, what) {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  let seen = [];
  const index = await waitFor(
    what,
    async () => {
      seen = await rows.evaluateAll((els) =>
        els.map((el) =>
          ['.label-name', '.label-description']
            .map((c) => el.querySelector(c)?.textContent?.trim() ?? '')
            .join(' ')
            .trim(),
        ),
      );
      const i = seen.findIndex((r) => text.test(r));
      return i >= 0 ? i : undefined;
    },
    UI_TIMEOUT_MS,
  ).catch((err) => {
    throw new Error(`${err.message}; rows: ${JSON.stringify(seen)}`);
  });
  await rows.nth(index).click();
}

describe('Pipelines-as-Code: Which PipelineRuns Fire? (code-server)', () => {
  it('matches a bundled pull_request event against a .tekton/ folder: one matched, one skipped with its reason, the matched one substituted', { timeout: 5 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('pac');
    const workspace = join(dir, 'workspace');
    mkdirSync(join(workspace, '.tekton'), { recursive: true });
    writeFileSync(join(workspace, '.tekton', 'pull-request.yaml'), PULL_REQUEST_RUN);
    writeFileSync(join(workspace, '.tekton', 'release.yaml'), RELEASE_RUN);

    const port = await freePort();
    const server = await startVsCodeServer(pkg, dir, port, { env: serverEnv(dir, { KUBECONFIG: join(dir, 'no-kubeconfig') }) });
    log(`VS Code server on port ${port} after ${Date.now() - started} ms`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    let browser;
    let page;
    try {
      browser = await launchChromium(chromium.path, dir);
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const wait = uiWaiter(page, UI_TIMEOUT_MS);
      await openWorkbench(page, port, workspace, wait);
      await wait('.explorer-folders-view .monaco-list-row[aria-label^=".tekton"]', '.tekton in the Explorer');

      // The extension activates on YAML and puts the PaC lens over the PipelineRun.
      await quickOpen(page, wait, 'pull-request.yaml');
      await wait('.monaco-editor .view-lines:has-text("on-target-branch")', 'the PipelineRun text');
      const lens = '.monaco-editor .codelens-decoration a:has-text("Which PipelineRuns fire?")';
      await wait(lens, 'the "▶ Which PipelineRuns fire?" code lens');
      log(`PipelineRun open with its lens after ${Date.now() - started} ms`);

      // No sample event yet: the lens asks for one through the sample picker.
      await page.locator(lens).first().click();
      await wait('.quick-input-widget .quick-input-title:has-text("sample event")', 'the sample picker');
      await page.locator('.quick-input-list .monaco-list-row:has-text("GitHub example")').first().click();
      await wait('.quick-input-widget .quick-input-title:has-text("GitHub event")', 'the GitHub event picker');
      await page.keyboard.type('pull_request');
      // the row "pull_request opened", not "pull_request_review …" nor another action
      await pickRow(page, /^pull_request opened$/, 'the bundled pull_request (opened) example');

      // The result: one matched, one skipped, each with its reason.
      await wait('.quick-input-widget .quick-input-title:has-text("Which PipelineRuns fire?")', 'the result list');
      const title = await page.locator('.quick-input-widget .quick-input-title').first().innerText();
      assert.match(title, /pull_request \(opened\).*target branch master/, 'the title names the event as PaC sees it');
      const row = (name) => `.quick-input-list .monaco-list-row:has(.label-name:has-text("${name}"))`;
      await wait(row('hello-pull-request'), 'the matched run');
      await wait(row('hello-release'), 'the skipped run');
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      t.diagnostic(`result rows: ${JSON.stringify(rows)}`);
      const text = rows.join('\n');
      assert.match(text, /Matched \(1\)/);
      assert.match(text, /Skipped \(1\)/);
      const matchedRow = rows.find((r) => r.includes('hello-pull-request'));
      assert.match(matchedRow, /on-event \[pull_request\] and on-target-branch \[master\] match/, 'why it matched');
      const skippedRow = rows.find((r) => r.includes('hello-release'));
      assert.ok(skippedRow.includes(SKIP_REASON), `why it is skipped, in: ${skippedRow}`);
      // The reason must be readable, not cut by an ellipsis: its label is no wider than the space it is given.
      const clipped = await page
        .locator(`${row('hello-release')} .quick-input-list-label-meta`)
        .first()
        .evaluate((el) => [el, ...el.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1));
      assert.equal(clipped, false, 'the skip reason is shown in full');
      // The same answer stays in the Tekton Simulation view (its own panel), where Triggers simulations explain what
      // fired.
      await wait(traceRow('skipped hello-release'), 'the skipped run in the Tekton Simulation view');
      await wait(traceRow('matched hello-pull-request'), 'the matched run in the Tekton Simulation view');
      await wait(traceRow('target branch master'), 'the event in the Tekton Simulation view');
      const traced = await page.locator(`${SIMULATION_PANEL} .monaco-list-row`).allInnerTexts();
      t.diagnostic(`simulation view: ${JSON.stringify(traced)}`);
      assert.ok(traced.find((r) => r.includes('skipped hello-release'))?.includes(SKIP_REASON), 'the skip reason in the view');
      await page.screenshot({ path: join(RESULTS_DIR, 'pac-which-runs-fire.png') });

      // The matched run, opened substituted.
      await page.locator(row('hello-pull-request')).first().click();
      const substituted = '.editor-group-container.active .monaco-editor .view-lines';
      await wait('.tab.active:has-text("hello-pull-request.substituted.yaml")', 'the substituted run in a tab');
      await wait(`${substituted}:has-text("${HEAD_SHA}")`, '{{ revision }} replaced by the head sha');
      await wait(`${substituted}:has-text("https://github.com/Codertocat/Hello-World")`, '{{ repo_url }} replaced');
      const shown = await page.locator(substituted).first().innerText();
      assert.ok(!shown.includes('{{'), `no {{ }} left in the substituted run:\n${shown}`);
      await wait('.notifications-toasts .notification-toast:has-text("as Pipelines-as-Code would create it")', 'the notification');
      await wait('.notifications-toasts .notification-toast .monaco-button:has-text("Submit Run")', 'the Submit Run button');
      // once the notification is gone, the editor's own lens still hands the run to Submit Run
      await wait('.editor-group-container.active .codelens-decoration a:has-text("Submit Run")', 'the Submit Run lens on the substituted run');
      const substitutedLenses = await page.locator('.editor-group-container.active .codelens-decoration').allInnerTexts();
      assert.ok(!substitutedLenses.join(' ').includes('Which PipelineRuns fire?'), `a substituted run is not matched again: ${substitutedLenses}`);
      await page.screenshot({ path: join(RESULTS_DIR, 'pac-substituted.png') });

      // Read-only: typing into it is refused and the text stays as the server rendered it. The click goes to the middle
      // of the editor, not of its lines: with the Tekton Simulation panel below, the editor shows fewer lines than the
      // run has, the middle of all of them is out of sight, and clicking there would scroll.
      await page.locator('.editor-group-container.active .monaco-editor').first().click();
      await page.keyboard.type('x');
      await wait('.monaco-editor-overlaymessage:has-text("read-only")', 'the read-only message');
      // the lines in sight are the ones shown before; the last, partly in sight, may come and go
      const after = (await page.locator(substituted).first().innerText()).split('\n');
      const before = shown.split('\n');
      const inSight = Math.min(after.length, before.length);
      assert.ok(inSight > 10, `the editor shows the run: ${after.join('\n')}`);
      assert.deepEqual(after.slice(0, inSight), before.slice(0, inSight), 'the substituted run is unchanged');

      // The source lens now names the sample it runs with.
      await page.locator('.tab:has-text("pull-request.yaml"):not(:has-text("substituted"))').first().click();
      await wait('.monaco-editor .codelens-decoration:has-text("GitHub pull_request (opened)")', 'the lens naming the sample');

      // The view's matched item opens the substituted run again, after the quick pick is gone.
      await page.locator(traceRow('matched hello-pull-request')).first().click();
      await wait('.tab.active:has-text("hello-pull-request.substituted.yaml")', 'the substituted run from the Tekton Simulation view');
      // Its Submit button would submit a Triggers simulation's resources: not offered over this answer.
      const viewActions = await page.locator(SIMULATION_ACTIONS).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      assert.ok(viewActions.some((a) => /Re-run/.test(a ?? '')), `the view's actions: ${viewActions}`);
      assert.ok(!viewActions.some((a) => /Submit/.test(a ?? '')), `the view's actions: ${viewActions}`);

      // The output channel keeps every reason.
      // the palette opens from the editor; a click in a tree view would leave F1 to it
      await page.locator(substituted).first().click();
      await runCommand(page, wait, 'Tekton: Show Output');
      await wait(`.part.panel .monaco-editor .view-lines:has-text("skipped hello-release: ${SKIP_REASON}")`, 'the skip reason in the output');
      await waitFor('the matched run in the output', () =>
        page.locator('.part.panel .monaco-editor .view-lines:has-text("matched hello-pull-request")').first().isVisible(),
      UI_TIMEOUT_MS);

      // Another event, chosen with "Tekton: Select Sample Event", asked again from the view's Re-run: a push fires
      // neither run, and the substituted run still open says so instead of showing the pull request's values.
      await page.locator(substituted).first().click();
      await runCommand(page, wait, 'Tekton: Select Sample Event');
      await wait('.quick-input-widget .quick-input-title:has-text("sample event")', 'the sample picker');
      await page.locator('.quick-input-list .monaco-list-row:has-text("GitHub example")').first().click();
      await wait('.quick-input-widget .quick-input-title:has-text("GitHub event")', 'the GitHub event picker');
      await page.keyboard.type('push');
      await pickRow(page, /^push$/, 'the bundled push example');
      await wait('.monaco-editor .codelens-decoration:has-text("GitHub push")', 'the lens naming the new sample');
      // the Output shown above took the panel: the view's focus command brings it and its Re-run back
      await showSimulationPanel(page, wait);
      await page.locator(`${SIMULATION_ACTIONS}[aria-label^="Re-run"]`).first().click();
      await wait('.quick-input-widget .quick-input-title:has-text("Which PipelineRuns fire? push")', 'the answer for the push');
      await wait(traceRow('skipped hello-pull-request'), 'the pull request run skipped in the view');
      const pushTrace = await page.locator(`${SIMULATION_PANEL} .monaco-list-row`).allInnerTexts();
      assert.ok(!pushTrace.some((r) => r.startsWith('matched')), `nothing fires for a push: ${JSON.stringify(pushTrace)}`);
      assert.ok(
        pushTrace.find((r) => r.includes('skipped hello-pull-request'))?.includes('on-event [pull_request] does not match the event push'),
        `why the pull request run is skipped for a push: ${JSON.stringify(pushTrace)}`,
      );
      await page.keyboard.press('Escape');
      await page.locator('.tab:has-text("hello-pull-request.substituted.yaml")').first().click();
      // the editor keeps its scroll position from the longer text; only rendered lines can be read
      await page.locator(substituted).first().click();
      await page.keyboard.press('Control+Home');
      await wait(`${substituted}:has-text("does not fire for GitHub push")`, 'the open substituted run saying it no longer fires');
      assert.ok(!(await page.locator(substituted).first().innerText()).includes(HEAD_SHA), 'the pull request\'s values are gone');

      const duration = Date.now() - started;
      t.diagnostic(`duration ${duration} ms`);
      log(`duration ${duration} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'pac-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'pac-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
