// End-to-end test of diagnostics that already know their fix, in the real workbench (code-server with the extension
// from the repository, headless chromium): a misspelt key (`runAftr:`) fixed from the light bulb's "Change to
// "runAfter"", the most-copied Tekton Triggers blog example (`tekton.dev/v1alpha1` with `kind: Trigger`) fixed to
// `triggers.tekton.dev/v1beta1` with the problem on apiVersion, and hover on a taskRef naming the Task of the
// workspace (its description and params) instead of the schema's "Name of the referent", and a TaskRun's missing
// param passed by its fix with the cursor left in the inserted value (a snippet edit): what is typed next is the value.
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
  openWorkbench,
} from './workbench.mjs';

const UI_TIMEOUT_MS = 45_000;

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: compile
spec:
  description: Compiles the sources with make.
  params:
    - name: target
      type: string
      default: all
  steps:
    - name: make
      image: gcc
      script: make $(params.target)
`;

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  tasks:
    - name: first
      taskRef:
        name: compile
    - name: second
      runAftr: [first]
      taskRef:
        name: compile
`;

const RELEASE_TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: release
spec:
  params:
    - name: version
  steps:
    - name: tag
      image: alpine/git
      script: git tag $(params.version)
`;

const RUN = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: release-run
spec:
  taskRef:
    name: release
`;

const TRIGGER = `apiVersion: tekton.dev/v1alpha1
kind: Trigger
metadata:
  name: blog-trigger
spec:
  bindings:
    - ref: blog-binding
  template:
    ref: blog-template
`;

describe('diagnostics with their fix (code-server)', () => {
  it('fixes a misspelt key, a Trigger of the wrong API group and a missing param from the light bulb, and hovers a taskRef', { timeout: 5 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('quickfix');
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'task.yaml'), TASK);
    writeFileSync(join(workspace, 'pipeline.yaml'), PIPELINE);
    writeFileSync(join(workspace, 'trigger.yaml'), TRIGGER);
    writeFileSync(join(workspace, 'release-task.yaml'), RELEASE_TASK);
    writeFileSync(join(workspace, 'run.yaml'), RUN);
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
      await wait('.explorer-folders-view .monaco-list-row[aria-label^="pipeline.yaml"]', 'pipeline.yaml in the Explorer');

      /** Puts the cursor at a line and column (Ctrl+G), then opens the quick fixes there and picks `title`. */
      const quickFix = async (line, column, title) => {
        await page.keyboard.press('Control+G');
        await wait('.quick-input-widget input', 'Go to Line');
        await page.keyboard.type(`${line}:${column}`);
        await page.keyboard.press('Enter');
        // on a file just opened the workbench may say "No code actions available" to the first Ctrl+. while the light
        // bulb shows (the server answers the same request with the fix over LSP: the request is probably cancelled by
        // the diagnostics refresh that indexing the opened file causes); a user asks again, so does the test
        const item = `.action-widget .monaco-list-row:has-text(${JSON.stringify(title)})`;
        for (let attempt = 0; ; attempt++) {
          await page.keyboard.press('Control+Period');
          const shown = await page.locator(item).first().waitFor({ timeout: 5000 }).then(() => true, () => false);
          if (shown) break;
          if (attempt === 5) await wait(item, `the quick fix "${title}"`);
          await page.keyboard.press('Escape');
        }
        // the menu takes keys, not clicks, while it opens: move the focus to the fix and apply it
        const focused = `.action-widget .monaco-list-row.focused:has-text(${JSON.stringify(title)})`;
        for (let i = 0; i < 6 && !(await page.locator(focused).count()); i++) await page.keyboard.press('ArrowDown');
        await wait(focused, `the quick fix "${title}" focused`);
        await page.keyboard.press('Enter');
      };
      const editorText = () => page.locator('.monaco-editor .view-lines').first().innerText();

      // runAftr → runAfter
      await quickOpen(page, wait, 'pipeline.yaml');
      await wait('.monaco-editor .view-lines:has-text("runAftr")', 'the Pipeline text');
      await wait('.monaco-editor .squiggly-error', 'the squiggle under runAftr');
      await page.keyboard.press('Control+Shift+M');
      await wait('.markers-panel .monaco-list-row:has-text("did you mean \\"runAfter\\"")', 'the did-you-mean in the Problems panel');
      await page.locator('.monaco-editor .view-lines').first().click();
      await quickFix(11, 8, 'Change to "runAfter"');
      await wait('.monaco-editor .view-lines:has-text("runAfter: [first]")', 'the key fixed');
      assert.ok(!(await editorText()).includes('runAftr'), 'no runAftr left');
      await page.screenshot({ path: join(RESULTS_DIR, 'quickfix-key.png') });

      // hover on the taskRef name: the Task of the workspace
      await page.keyboard.press('Control+G');
      await wait('.quick-input-widget input', 'Go to Line');
      await page.keyboard.type('9:18');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await wait('.monaco-hover:has-text("Compiles the sources with make.")', 'the hover with the Task description');
      const hover = await page.locator('.monaco-hover:has-text("Compiles the sources with make.")').first().innerText();
      assert.match(hover, /target/, `the hover names the Task's param: ${hover}`);
      assert.match(hover, /task\.yaml/, `the hover says where the Task is defined: ${hover}`);
      await page.screenshot({ path: join(RESULTS_DIR, 'hover-taskref.png') });
      await page.keyboard.press('Escape');

      // the blog's Trigger: the problem sits on apiVersion, and the fix writes triggers.tekton.dev/v1beta1
      await quickOpen(page, wait, 'trigger.yaml');
      await wait('.monaco-editor .view-lines:has-text("blog-trigger")', 'the Trigger text');
      await wait('.markers-panel .monaco-list-row:has-text("Trigger belongs to the triggers.tekton.dev API group")', 'the API group problem');
      const problem = await page.locator('.markers-panel .monaco-list-row:has-text("Trigger belongs to")').first().innerText();
      assert.match(problem, /\[Ln 1, Col 13\]/, `the problem is on apiVersion's value: ${problem}`);
      await page.locator('.monaco-editor .view-lines').first().click();
      await quickFix(1, 14, 'Change to triggers.tekton.dev/v1beta1');
      await wait('.monaco-editor .view-lines:has-text("apiVersion: triggers.tekton.dev/v1beta1")', 'the apiVersion fixed');
      await page.screenshot({ path: join(RESULTS_DIR, 'quickfix-api-group.png') });

      // a TaskRun without the param its Task requires: the fix passes it and leaves the cursor in the empty value
      await quickOpen(page, wait, 'run.yaml');
      await wait('.monaco-editor .view-lines:has-text("release-run")', 'the TaskRun text');
      await page.locator('.monaco-editor .view-lines').first().click();
      await quickFix(7, 12, 'Pass the param Task "release" requires');
      await wait('.monaco-editor .view-lines:has-text("name: version")', 'the param passed');
      await page.keyboard.type('1.2.3');
      await wait('.monaco-editor .view-lines:has-text("value: \\"1.2.3\\"")', 'what is typed next landing in the value');
      await page.screenshot({ path: join(RESULTS_DIR, 'quickfix-param-value.png') });
      t.diagnostic(`duration ${Date.now() - started} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'quickfix-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'quickfix-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
