// End-to-end test of "Submit and follow runs in the current kube context" through the real workbench: code-server's
// VS Code server with the extension loaded from the repository, headless chromium driven by playwright-core, and the
// HTTPS Kubernetes API test double (test/kube/fakeApiServer.ts, compiled to out/) in this process, reached by the
// extension host through a kubeconfig (token auth) given in KUBECONFIG. This test plays the Tekton controller with the
// fixtures' helpers. A user: opens a Pipeline with params, runs "Tekton: Submit Run" from the command palette, answers
// the params (text, enum pick list, array) and the workspace (emptyDir), confirms the modal that names context,
// cluster and namespace (nothing is created before that: checked on the server), sees the run in the Runs view turn
// Running, opens a step's log and sees it follow, then sees the run turn Succeeded. No token in any log.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  waitFor,
  openWorkbench,
  filesUnder,
  runCommand,
} from './workbench.mjs';

const require = createRequire(import.meta.url);
const UI_TIMEOUT_MS = 45_000;

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: greet
spec:
  params:
    - name: greeting
      type: string
      description: What to say
      default: hello
    - name: mode
      type: string
      enum: [fast, thorough]
      default: fast
    - name: targets
      type: array
      default: [linux]
  workspaces:
    - name: source
  tasks:
    - name: build
      params:
        - name: greeting
          value: $(params.greeting)
      workspaces:
        - name: source
          workspace: source
      taskSpec:
        params:
          - name: greeting
        workspaces:
          - name: source
        steps:
          - name: compile
            image: alpine
            script: echo "$(params.greeting)"
          - name: test
            image: alpine
            script: echo ok
`;

/** A PipelineRun document; the test makes the API server reject its param value at the dry run. */
const RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: greet-manual-
spec:
  pipelineRef:
    name: greet
  params:
    - name: greeting
      value: bad
`;


describe('submit and follow runs (code-server + Kubernetes API test double)', () => {
  it('submits a PipelineRun built from a Pipeline with params and follows it to Succeeded', { timeout: 5 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const { startFakeServer, writeKubeconfig, BOB_TOKEN, startRun, finishRun, addTaskRun, setContainer } = require(
      join(REPO, 'out', 'test', 'kube', 'fixtures.js'),
    );
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('kube');
    const api = await startFakeServer();
    const kubeDir = join(dir, 'kube');
    mkdirSync(kubeDir);
    const kubeconfig = writeKubeconfig(kubeDir, api.url, { namespace: 'default' });
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'pipeline.yaml'), PIPELINE);
    writeFileSync(join(workspace, 'run.yaml'), RUN);

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
      await wait('.explorer-folders-view .monaco-list-row[aria-label^="pipeline.yaml"]', 'pipeline.yaml in the Explorer');

      // Open the Pipeline; the extension activates on YAML and puts the code lens over it.
      await quickOpen(page, wait, 'pipeline.yaml');
      await wait('.monaco-editor .view-lines:has-text("greeting")', 'the Pipeline text');
      await wait('.monaco-editor .codelens-decoration:has-text("Submit Run")', 'the "▶ Submit Run" code lens');
      // the status bar names the context and namespace from KUBECONFIG
      await wait('.statusbar-item:has-text("bob-token / default")', 'the context/namespace status bar item');
      log(`Pipeline open with its code lens after ${Date.now() - started} ms`);

      // "Tekton: Submit Run" from the command palette.
      await page.locator('.monaco-editor .view-lines').first().click();
      await runCommand(page, wait, 'Tekton: Submit Run');

      const title = (text) => wait(`.quick-input-widget .quick-input-title:has-text("${text}")`, `the "${text}" question`);
      const inputValue = () => page.locator('.quick-input-widget .quick-input-box input').first().inputValue();
      // greeting: a text input with the default offered
      await title('param greeting (1/3)');
      assert.equal(await inputValue(), 'hello', 'the default of "greeting" is offered');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('hi from e2e');
      await page.keyboard.press('Enter');
      // mode: an enum, as a pick list with the default first
      await title('param mode (2/3)');
      await wait('.quick-input-list .monaco-list-row[aria-label*="thorough"]', 'the enum values');
      const choices = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
      assert.deepEqual(choices.map((c) => c.trim()), ['fast', 'thorough'], 'the enum values, default first');
      await page.keyboard.type('thorough');
      await wait('.quick-input-list .monaco-list-row.focused[aria-label*="thorough"]', '"thorough" focused');
      await page.keyboard.press('Enter');
      // targets: an array param
      await title('param targets (3/3)');
      assert.equal(await inputValue(), 'linux', 'the default of "targets" is offered');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('linux, arm64');
      await page.keyboard.press('Enter');
      // the workspace: emptyDir
      await title('workspace source (1/1)');
      await page.keyboard.type('emptyDir');
      await wait('.quick-input-list .monaco-list-row.focused[aria-label*="emptyDir"]', 'emptyDir focused');
      await page.keyboard.press('Enter');
      // what to do with the run: submit (saving it as a file is offered too)
      await wait('.quick-input-list .monaco-list-row[aria-label*="Save as a file"]', 'the offer to save the run as a file');
      await wait('.quick-input-list .monaco-list-row.focused[aria-label*="Submit"]', '"Submit" focused');
      await page.keyboard.press('Enter');

      // The dry run happened; the modal names context, cluster, namespace and the resource; nothing is created yet.
      await wait('.monaco-dialog-box', 'the confirmation dialog');
      const dialog = await page.locator('.monaco-dialog-box').first().innerText();
      t.diagnostic(`confirmation: ${dialog.replace(/\s+/g, ' ').slice(0, 300)}`);
      assert.match(dialog, /context "bob-token"/);
      assert.match(dialog, /cluster "fake"/);
      assert.match(dialog, /namespace "default"/);
      assert.match(dialog, /PipelineRun "greet-run-…"/);
      const dryRuns = api.requests.filter((r) => r.verb === 'create' && r.dryRun);
      assert.equal(dryRuns.length, 1, 'one server-side dry run before the confirmation');
      assert.equal(api.creates.length, 0, 'nothing is created before the confirmation');
      assert.equal(api.all('PipelineRun').length, 0);
      await page.screenshot({ path: join(RESULTS_DIR, 'kube-confirm.png') });
      await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button:has-text("Create")').first().click();

      // The PipelineRun as the server received it.
      const run = await waitFor('the PipelineRun to be created', () => api.all('PipelineRun')[0], UI_TIMEOUT_MS, 50);
      const name = run.metadata.name;
      log(`created ${name} after ${Date.now() - started} ms`);
      assert.match(name, /^greet-run-/);
      assert.deepEqual(run.spec.params, [
        { name: 'greeting', value: 'hi from e2e' },
        { name: 'mode', value: 'thorough' },
        { name: 'targets', value: ['linux', 'arm64'] },
      ]);
      assert.deepEqual(run.spec.workspaces, [{ name: 'source', emptyDir: {} }]);
      assert.equal(run.spec.pipelineSpec.tasks[0].name, 'build', 'the Pipeline spec is embedded');
      const auth = api.requests.filter((r) => r.verb === 'create' && !r.dryRun).map((r) => `${r.user}/${r.auth}`);
      assert.deepEqual(auth, ['bob/token'], 'created as the kubeconfig user, with its token');

      // The controller starts it: the Runs view shows it Running, with its TaskRun and steps.
      const runRow = (status) => `.monaco-list-row[aria-label^="PipelineRun ${name} ${status}"]`;
      await wait('.pane-header:has-text("Tekton Runs")', 'the Runs view');
      await wait(`.monaco-list-row[aria-label^="PipelineRun ${name} "]`, 'the new run in the Runs view');
      startRun(api, 'PipelineRun', name);
      const { pod, taskRun } = addTaskRun(api, name, 'build', ['compile', 'test']);
      setContainer(api, pod, 'step-compile', 'running');
      api.appendLog(pod, 'step-compile', 'compiling greet');
      await wait(runRow('Running'), 'the run Running in the Runs view');
      await wait(`.monaco-list-row[aria-label^="TaskRun ${taskRun} Running"]`, 'its TaskRun');
      await wait('.monaco-list-row[aria-label^="step compile Running"]', 'the running step');
      await page.screenshot({ path: join(RESULTS_DIR, 'kube-running.png') });

      // The log of the running step, followed.
      await page.locator('.monaco-list-row[aria-label^="step compile"]').first().click();
      await wait('.tab:has-text("compile.log")', 'the step log editor');
      await wait('.monaco-editor .view-lines:has-text("compiling greet")', 'the first log line');
      api.appendLog(pod, 'step-compile', 'compiled 3 files');
      await wait('.monaco-editor .view-lines:has-text("compiled 3 files")', 'a line written while following');

      // The controller finishes it: Succeeded in the view, and the log ends with the step.
      setContainer(api, pod, 'step-compile', { exitCode: 0 });
      setContainer(api, pod, 'step-test', 'running');
      setContainer(api, pod, 'step-test', { exitCode: 0 });
      finishRun(api, 'TaskRun', taskRun, 'True', 'Succeeded');
      finishRun(api, 'PipelineRun', name, 'True', 'Succeeded');
      await wait(runRow('Succeeded'), 'the run Succeeded in the Runs view');
      await wait('.monaco-list-row[aria-label^="step test Succeeded"]', 'the last step Succeeded');
      await wait('.monaco-editor .view-lines:has-text("ended with exit code 0")', 'the end of the followed log');
      await wait(`.notifications-toasts .notification-toast:has-text("${name} Succeeded")`, 'the notification that the run ended');
      await page.screenshot({ path: join(RESULTS_DIR, 'kube-succeeded.png') });

      // A run document the API server rejects at the dry run, submitted from its code lens: the error is placed on the
      // field as a diagnostic, no confirmation is asked and nothing is created.
      api.validate('PipelineRun', (o) =>
        o.spec?.params?.[0]?.value === 'bad' ? [{ field: 'spec.params[0].value', message: 'Invalid value: "bad": not a greeting' }] : [],
      );
      await page.keyboard.press('Control+P');
      await wait('.quick-input-widget input', 'Quick Open');
      await page.keyboard.type('run.yaml');
      await wait('.quick-input-list .monaco-list-row[aria-label*="run.yaml"]', 'run.yaml in Quick Open');
      await page.keyboard.press('Enter');
      await wait('.tab.active:has-text("run.yaml")', 'the run.yaml editor');
      await page.locator('.monaco-editor .codelens-decoration a:has-text("Submit Run")').first().click();
      await wait('.notifications-toasts .notification-toast:has-text("dry run rejected")', 'the dry-run error');
      await page.keyboard.press('Control+Shift+M');
      await wait('.markers-panel .monaco-list-row:has-text("not a greeting")', 'the API error in the Problems panel');
      const problem = await page.locator('.markers-panel .monaco-list-row:has-text("not a greeting")').first().innerText();
      assert.match(problem, /spec\.params\[0\]\.value/, `the problem names the field: ${problem}`);
      assert.match(problem, /\[Ln 10, Col 14\]/, `the problem is on the param's value "bad": ${problem}`);
      await page.screenshot({ path: join(RESULTS_DIR, 'kube-dry-run-error.png') });
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no confirmation after a failed dry run');
      assert.equal(api.creates.length, 1, 'nothing more was created');

      // Credentials never reach a log: not the server's output, not any log file of the workbench or extension host
      // (among them the "Tekton" output channel's, which logged the submission).
      const logs = filesUnder(dir).filter((f) => !f.startsWith(kubeDir) && !f.startsWith(workspace));
      const tektonLog = await waitFor('the "Tekton" output channel log to name the created run', () =>
        logs.find((f) => readFileSync(f, 'utf8').includes(`Created PipelineRun "${name}"`)), 10_000);
      t.diagnostic(`Tekton output channel log: ${tektonLog.slice(dir.length)}`);
      const leaks = logs.filter((f) => readFileSync(f).includes(BOB_TOKEN));
      assert.deepEqual(leaks, [], 'files holding the token');
      assert.ok(!server.output.includes(BOB_TOKEN), 'the token is in the server output');
      log(`kube e2e done after ${Date.now() - started} ms`);
      t.diagnostic(`duration ${Date.now() - started} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'kube-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'kube-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
