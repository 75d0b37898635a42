// End-to-end test of the Get Started walkthrough (issue 18) through the real workbench: code-server's VS Code server
// with the extension loaded from the repository, on a copy of demo/, and headless chromium driven by playwright-core.
// A user opens the walkthrough from "Welcome: Open Walkthrough…", reads its title and five steps, clicks "Open the
// Demo" (this window already is the demo, so mistakes.yaml opens beside the walkthrough), then runs Select Sample Event: the demo's signed
// sample is marked with its event header and the GitHub examples are found by "pull_request opened"; with the signed
// sample chosen, the simulate step opens github-listener.yaml and Simulate Event fires its trigger. The steps those commands
// complete are checked and the others are not.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  uiWaiter,
  waitFor,
  openWorkbench,
  traceRow,
  runCommand,
} from './workbench.mjs';

const UI_TIMEOUT_MS = 45_000;
const WALKTHROUGH = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).contributes.walkthroughs[0];

/** The label and description of every visible quick pick row, joined by " | ". */
function quickPickRows(page) {
  return page
    .locator('.quick-input-list .monaco-list-row')
    .evaluateAll((els) =>
      els.map((el) =>
        ['.label-name', '.label-description'].map((c) => el.querySelector(c)?.textContent?.trim() ?? '').join(' | '),
      ),
    );
}

/**
 * Starts code-server with the extension from the repository on `folder` (made by `setup(dir)`), opens it in chromium,
 * runs `fn({ page, wait, dir, started })` and saves `<name>.png`; on failure `<name>-failure.png` and the server log.
 */
async function inWorkbench(t, name, setup, fn) {
  assertCompiled();
  const chromium = ensureChromium();
  if (chromium.skip) return t.skip(chromium.skip);
  const started = Date.now();
  const pkg = codeServerPackage(await ensureCodeServer({ log }));
  const dir = scratch(name);
  const folder = setup(dir);
  const port = await freePort();
  const server = await startVsCodeServer(pkg, dir, port, {
    env: serverEnv(dir, { KUBECONFIG: join(dir, 'no-kubeconfig') }),
  });
  log(`VS Code server on port ${port} after ${Date.now() - started} ms`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  let browser;
  let page;
  try {
    browser = await launchChromium(chromium.path, dir);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const wait = uiWaiter(page, UI_TIMEOUT_MS);
    await openWorkbench(page, port, folder, wait);
    await fn({ page, wait, dir, started });
    await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`) });
    const duration = Date.now() - started;
    t.diagnostic(`duration ${duration} ms`);
    log(`${name}: duration ${duration} ms`);
  } catch (err) {
    await page?.screenshot({ path: join(RESULTS_DIR, `${name}-failure.png`) }).catch(() => {});
    writeFileSync(join(RESULTS_DIR, `${name}-code-server.log`), server.output);
    throw err;
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Opens the walkthrough from the palette; resolves to its title selector. Its row is clicked, not chosen with Enter:
 * a filter typed before the walkthrough list replaces the palette is lost, and Enter then opens whichever walkthrough
 * comes first (a CI run opened VS Code's own so).
 */
async function openWalkthrough(page, wait) {
  await runCommand(page, wait, 'Welcome: Open Walkthrough...');
  const row = `.quick-input-list .monaco-list-row:has-text("${WALKTHROUGH.title}")`;
  await wait('.quick-input-list .monaco-list-row:has-text("Get Started")', 'the walkthrough list');
  await page.keyboard.type('Tekton');
  await wait(row, 'the walkthrough in the list');
  await page.locator(row).first().click();
  const title = `h2.category-title:has-text("${WALKTHROUGH.title}")`;
  await wait(title, 'the walkthrough title');
  return title;
}

describe('Get Started walkthrough (code-server)', () => {
  it(
    'opens with its five steps; Open the Demo and Select Sample Event check their steps',
    { timeout: 5 * 60_000 },
    (t) =>
      inWorkbench(
        t,
        'walkthrough',
        (dir) => {
          const workspace = join(dir, 'tekton-demo');
          cpSync(join(REPO, 'demo'), workspace, { recursive: true });
          return workspace;
        },
        async (w) => {
          const { page, wait } = w;
          await wait(
            '.explorer-folders-view .monaco-list-row[aria-label^="mistakes.yaml"]',
            'the demo in the Explorer',
          );

          const title = await openWalkthrough(page, wait);
          const steps = page.locator('button.getting-started-step');
          const stepTitles = await waitFor(
            'five steps',
            async () => {
              const titles = await steps.locator('h3.step-title').allInnerTexts();
              return titles.length === WALKTHROUGH.steps.length ? titles : undefined;
            },
            UI_TIMEOUT_MS,
          );
          assert.deepEqual(
            stepTitles.map((s) => s.trim()),
            [
              'Open the demo',
              'See a problem and fix it',
              'Pick a sample event',
              'Simulate the event',
              'Submit or save a run',
            ],
          );
          const step = (id) => page.locator(`button.getting-started-step[data-step-id$="${id}"]`);
          assert.equal(await step('openDemo').getAttribute('aria-checked'), 'false');
          log(`walkthrough open after ${Date.now() - w.started} ms`);

          // The first step is expanded; its button runs tekton.openDemo, which opens mistakes.yaml in a window on the demo.
          await step('openDemo').locator('.monaco-button:has-text("Open the Demo")').first().click();
          await wait('.tab.active:has-text("mistakes.yaml")', 'mistakes.yaml opened by Open the Demo');
          await wait('.monaco-editor .view-lines:has-text("build-with-mistakes")', 'the text of mistakes.yaml');

          await page.locator('.monaco-editor .view-lines').first().click();
          await runCommand(page, wait, 'Tekton: Select Sample Event');
          await wait('.quick-input-widget .quick-input-title:has-text("sample event")', 'the sample picker');
          const sampleRow = 'triggers/samples/pull-request-opened.json | with headers (X-GitHub-Event: pull_request)';
          await waitFor(
            'the demo sample marked with its headers',
            async () => (await quickPickRows(page)).includes(sampleRow),
            UI_TIMEOUT_MS,
          ).catch(async (err) => {
            throw new Error(`${err.message}; rows: ${JSON.stringify(await quickPickRows(page))}`);
          });
          await page.locator('.quick-input-list .monaco-list-row:has-text("GitHub example")').first().click();
          await wait('.quick-input-widget .quick-input-title:has-text("GitHub event")', 'the GitHub event picker');
          await page.keyboard.type('pull_request opened');
          // the filter settles on one row; anything else (nothing, or pull_request_review rows) is a failure to match
          const found = await waitFor(
            'the rows for "pull_request opened"',
            async () => {
              const rows = await quickPickRows(page);
              return rows.length === 1 ? rows : undefined;
            },
            UI_TIMEOUT_MS,
          ).catch(async (err) => {
            throw new Error(`${err.message}; rows: ${JSON.stringify(await quickPickRows(page))}`);
          });
          assert.deepEqual(found, ['pull_request opened | ']);
          // the bundled example carries no signature: the demo's signed file is the one to simulate with
          await page.keyboard.press('Escape');
          await page.locator('.monaco-editor .view-lines').first().click();
          await runCommand(page, wait, 'Tekton: Select Sample Event');
          await page.locator(`.quick-input-list .monaco-list-row:has-text("pull-request-opened.json")`).first().click();
          await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });

          // mistakes.yaml opened beside the walkthrough, which stayed in view
          await wait('.tab:has-text("Walkthrough: Tekton Authoring")', 'the walkthrough tab kept open');
          await wait(title, 'the walkthrough again');
          await waitFor(
            'the two steps checked',
            async () => (await step('selectSample').getAttribute('aria-checked')) === 'true',
            UI_TIMEOUT_MS,
          );
          assert.equal(await step('openDemo').getAttribute('aria-checked'), 'true');
          assert.equal(await step('simulate').getAttribute('aria-checked'), 'false');

          // The simulate step opens the listener; simulating it with the signed sample fires its trigger.
          await step('simulate').locator('h3.step-title').click();
          await step('simulate').locator('.monaco-button:has-text("Open github-listener.yaml")').first().click();
          await wait('.tab:has-text("github-listener.yaml")', 'github-listener.yaml opened by the step');
          // from the listener's editor, as the step says; the walkthrough keeps the focus after opening it
          await page.locator('.monaco-editor .view-lines:has-text("github-listener")').first().click();
          await runCommand(page, wait, 'Tekton: Simulate Event');
          await wait(traceRow('trigger github-listener'), 'the trigger in the Tekton Simulation view');
          await wait(traceRow('fired'), 'the trigger fired with the signed sample');
          await waitFor(
            'the simulate step checked',
            async () => (await step('simulate').getAttribute('aria-checked')) === 'true',
            UI_TIMEOUT_MS,
          );
          for (const id of ['fixProblem', 'submitRun'])
            assert.equal(await step(id).getAttribute('aria-checked'), 'false', id);
        },
      ),
  );

  it(
    'copies the demo into a folder the user picks and opens it, from a workspace that is not the demo',
    { timeout: 5 * 60_000 },
    (t) =>
      inWorkbench(
        t,
        'walkthrough-copy',
        (dir) => {
          mkdirSync(join(dir, 'project', 'pick-here'), { recursive: true });
          writeFileSync(join(dir, 'project', 'task.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\n');
          return join(dir, 'project');
        },
        async ({ page, wait, dir }) => {
          await wait('.explorer-folders-view .monaco-list-row[aria-label^="task.yaml"]', 'the project in the Explorer');
          await openWalkthrough(page, wait);
          const step = page.locator('button.getting-started-step[data-step-id$="openDemo"]');
          await step.locator('.monaco-button:has-text("Open the Demo")').first().click();
          // code-server's own folder picker: a path box in a quick input, accepted with its OK button
          await wait('.quick-input-widget .quick-input-title:has-text("where to copy the demo")', 'the folder picker');
          const target = join(dir, 'project', 'pick-here');
          // the dialog sets its own starting path once it has listed the folder: type after that, and see it kept
          await wait('.quick-input-list .monaco-list-row:has-text("pick-here")', 'the folder listing');
          const input = page.locator('.quick-input-widget input').first();
          await input.fill(`${target}/`);
          await waitFor('the typed path kept', async () => (await input.inputValue()) === `${target}/`, UI_TIMEOUT_MS);
          await page.locator('.quick-input-widget .monaco-button:has-text("Copy the Demo Here")').first().click();
          const copied = join(target, 'tekton-demo');
          await waitFor(
            'the demo copied',
            () => existsSync(join(copied, 'triggers', 'samples', 'pull-request-opened.headers.json')),
            UI_TIMEOUT_MS,
          );
          await wait(
            '.explorer-folders-view .monaco-list-row[aria-label^="mistakes.yaml"]',
            'the copied demo opened in the window',
          );
          assert.equal(
            readFileSync(join(copied, 'mistakes.yaml'), 'utf8'),
            readFileSync(join(REPO, 'demo', 'mistakes.yaml'), 'utf8'),
          );
        },
      ),
  );
});
