// End-to-end test of Kubeflow Pipelines runs from the editor through the real workbench: code-server's VS Code server
// with the extension loaded from the repository, headless chromium driven by playwright-core, and the KFP API test
// double (test/kube/fakeKfpServer.ts, compiled to out/; it follows the v2beta1 REST protocol and says so in its header)
// in this process, reached as the configured endpoint with a bearer token. A user: stores the token with "Kubeflow
// Pipelines: Set API Token", opens a compiled pipeline, clicks its "▶ Submit Run" lens, answers a typed integer
// parameter (a wrong value is refused in the input box) and a number whose default is prefilled, names the run,
// creates a new experiment, confirms the modal that names the endpoint (nothing is created before that), and sees
// the run in the Runs view reach Succeeded with its tasks and their artifacts (type, URI); then opens "Show Run Graph"
// on a run listed from the server and sees its tasks change colour as they run. No token in any log.
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
  graphFrame,
  graphStatuses,
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
const TOKEN = 'kfp-e2e-token-5f1d9c';

/** A compiled pipeline: train (outputs a model and metrics) → evaluate (reads the model). */
const PIPELINE = `# PIPELINE DEFINITION
# Name: train-eval
components:
  comp-evaluate:
    executorLabel: exec-evaluate
    inputDefinitions:
      artifacts:
        model:
          artifactType:
            schemaTitle: system.Model
            schemaVersion: 0.0.1
  comp-train:
    executorLabel: exec-train
    inputDefinitions:
      parameters:
        epochs:
          parameterType: NUMBER_INTEGER
        lr:
          parameterType: NUMBER_DOUBLE
    outputDefinitions:
      artifacts:
        metrics:
          artifactType:
            schemaTitle: system.Metrics
            schemaVersion: 0.0.1
        model:
          artifactType:
            schemaTitle: system.Model
            schemaVersion: 0.0.1
deploymentSpec:
  executors:
    exec-evaluate:
      container:
        args:
        - '{{$.inputs.artifacts[''model''].path}}'
        command:
        - evaluate
        image: python:3.11
    exec-train:
      container:
        args:
        - '{{$.inputs.parameters[''epochs'']}}'
        - '{{$.inputs.parameters[''lr'']}}'
        - '{{$.outputs.artifacts[''model''].path}}'
        - '{{$.outputs.artifacts[''metrics''].path}}'
        command:
        - train
        image: python:3.11
pipelineInfo:
  name: train-eval
root:
  dag:
    tasks:
      evaluate:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-evaluate
        dependentTasks:
        - train
        inputs:
          artifacts:
            model:
              taskOutputArtifact:
                outputArtifactKey: model
                producerTask: train
        taskInfo:
          name: evaluate
      train:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-train
        inputs:
          parameters:
            epochs:
              componentInputParameter: epochs
            lr:
              componentInputParameter: lr
        taskInfo:
          name: train
  inputDefinitions:
    parameters:
      epochs:
        parameterType: NUMBER_INTEGER
      lr:
        defaultValue: 0.1
        isOptional: true
        parameterType: NUMBER_DOUBLE
schemaVersion: 2.1.0
sdkVersion: kfp-2.13.0
`;


describe('Kubeflow Pipelines runs (code-server + KFP API test double)', () => {
  it('submits a run with typed parameters into a new experiment and follows it to Succeeded with its artifacts', { timeout: 5 * 60_000 }, async (t) => {
    assertCompiled();
    const chromium = ensureChromium();
    if (chromium.skip) return t.skip(chromium.skip);
    const started = Date.now();
    const { FakeKfpServer } = require(join(REPO, 'out', 'test', 'kube', 'fakeKfpServer.js'));
    const pkg = codeServerPackage(await ensureCodeServer({ log }));
    const dir = scratch('kfp');
    const kfp = new FakeKfpServer({ token: TOKEN });
    await kfp.start();
    const workspace = join(dir, 'workspace');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, 'train-eval.yaml'), PIPELINE);
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'tekton.kfp.endpoint': kfp.url }));

    const port = await freePort();
    // no kubeconfig at all: the endpoint is enough
    const server = await startVsCodeServer(pkg, dir, port, { env: serverEnv(dir, { KUBECONFIG: join(dir, 'no-kubeconfig') }) });
    mkdirSync(RESULTS_DIR, { recursive: true });
    let browser;
    let page;
    try {
      browser = await launchChromium(chromium.path, dir);
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const wait = uiWaiter(page, UI_TIMEOUT_MS);
      await openWorkbench(page, port, workspace, wait);
      await wait('.explorer-folders-view .monaco-list-row[aria-label^="train-eval.yaml"]', 'train-eval.yaml in the Explorer');

      // Open the pipeline; the extension activates on YAML and puts the KFP lenses over it.
      await quickOpen(page, wait, 'train-eval.yaml');
      await wait('.monaco-editor .view-lines:has-text("PIPELINE DEFINITION")', 'the pipeline text');
      await wait('.monaco-editor .codelens-decoration:has-text("Submit Run")', 'the "▶ Submit Run" code lens');
      await wait('.monaco-editor .codelens-decoration:has-text("Sweep")', 'the "Sweep…" code lens');

      // Without a kubeconfig the Runs view explains and offers ways out, instead of an empty tree.
      await page.locator('.pane-header:has-text("Tekton Runs")').first().click();
      await wait('.welcome-view-content:has-text("No Kubernetes context")', 'the Runs view welcome without a kubeconfig');
      await wait('.welcome-view-content .monaco-button:has-text("Use a Kubeconfig File")', 'the "Use a Kubeconfig File…" button');
      await page.screenshot({ path: join(RESULTS_DIR, 'runs-no-kubeconfig.png') });

      // The endpoint's token, kept in secret storage.
      await page.locator('.monaco-editor .view-lines').first().click();
      await runCommand(page, wait, 'Kubeflow Pipelines: Set API Token');
      await wait('.quick-input-widget .quick-input-title:has-text("API token")', 'the token question');
      await page.keyboard.type(TOKEN);
      await page.keyboard.press('Enter');
      await wait('.notifications-toasts .notification-toast:has-text("token stored")', 'the token stored');
      log(`pipeline open, token stored after ${Date.now() - started} ms`);

      await page.locator('.monaco-editor .codelens-decoration a:has-text("Submit Run")').first().click();
      const title = (text) => wait(`.quick-input-widget .quick-input-title:has-text("${text}")`, `the "${text}" question`);
      const input = () => page.locator('.quick-input-widget .quick-input-box input').first();
      // epochs: a required integer; a wrong value is refused in place
      await title('(NUMBER_INTEGER)');
      assert.equal(await input().inputValue(), '', 'no default for "epochs"');
      await page.keyboard.type('five');
      await wait('.quick-input-widget .quick-input-message:has-text("needs an integer")', 'the type check of "epochs"');
      await page.keyboard.press('Enter');
      await title('(NUMBER_INTEGER)');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('5');
      await page.keyboard.press('Enter');
      // lr: a number with its default prefilled
      await title('(NUMBER_DOUBLE)');
      assert.equal(await input().inputValue(), '0.1', 'the default of "lr" is prefilled');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('0.05');
      await page.keyboard.press('Enter');
      // the run name, then a new experiment
      await title('run name');
      assert.match(await input().inputValue(), /^train-eval \d{4}-\d\d-\d\d \d\d-\d\d-\d\d$/, 'the SDK\'s default run name');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('e2e run');
      await page.keyboard.press('Enter');
      await title('experiment');
      await wait('.quick-input-list .monaco-list-row[aria-label*="New experiment"]', 'the experiment choices');
      await page.keyboard.type('New experiment');
      await wait('.quick-input-list .monaco-list-row.focused[aria-label*="New experiment"]', '"New experiment…" focused');
      await page.keyboard.press('Enter');
      await title('new experiment');
      await page.keyboard.type('e2e-experiment');
      await page.keyboard.press('Enter');

      // The modal names the endpoint; nothing is created before the confirmation.
      await wait('.monaco-dialog-box', 'the confirmation dialog');
      const dialog = await page.locator('.monaco-dialog-box').first().innerText();
      t.diagnostic(`confirmation: ${dialog.replace(/\s+/g, ' ').slice(0, 400)}`);
      assert.match(dialog, /Create a Kubeflow Pipelines run "e2e run"\?/);
      assert.ok(dialog.includes(`endpoint ${kfp.url} (bearer token)`), 'the target is named');
      assert.match(dialog, /Experiment: e2e-experiment \(new\)/);
      assert.match(dialog, /"epochs":5/);
      assert.equal(kfp.sent('POST').length, 0, 'nothing is created before the confirmation');
      await page.screenshot({ path: join(RESULTS_DIR, 'kfp-confirm.png') });
      await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button:has-text("Create")').first().click();

      // The run as the server received it: typed values, the new experiment, the IR inline.
      const create = await waitFor('the run to be created', () => kfp.sent('POST', '/apis/v2beta1/runs')[0], UI_TIMEOUT_MS, 50);
      assert.equal(create.status, 200);
      assert.equal(create.authorization, `Bearer ${TOKEN}`);
      assert.equal(create.body.display_name, 'e2e run');
      assert.deepEqual(create.body.runtime_config, { parameters: { epochs: 5, lr: 0.05 } });
      assert.equal(create.body.pipeline_spec.pipelineInfo.name, 'train-eval');
      const experiment = kfp.experiments.find((e) => e.display_name === 'e2e-experiment');
      assert.ok(experiment, 'the experiment was created');
      assert.equal(create.body.experiment_id, experiment.experiment_id);
      log(`created the run after ${Date.now() - started} ms`);

      // Followed in the Runs view to Succeeded, with its tasks and their artifacts.
      await wait('.pane-header:has-text("Tekton Runs")', 'the Runs view');
      await wait('.monaco-list-row[aria-label^="Kubeflow Pipelines run e2e run Succeeded"]', 'the run Succeeded in the Runs view');
      await wait('.monaco-list-row[aria-label^="task train Succeeded"]', 'task train Succeeded');
      await wait('.monaco-list-row[aria-label^="task evaluate Succeeded"]', 'task evaluate Succeeded');
      await wait('.monaco-list-row[aria-label^="output artifact model system.Model"]', 'the model artifact of train');
      await wait('.monaco-list-row[aria-label^="input artifact model system.Model"]', 'the model artifact evaluate read');
      const uri = await page.locator('.monaco-list-row[aria-label^="output artifact model"] .label-description').first().innerText();
      assert.match(uri, /system\.Model · minio:\/\/mlpipeline\/v2\/artifacts\/train-eval\/.+\/train\/model/);
      await wait('.notifications-toasts .notification-toast:has-text("run \\"e2e run\\" succeeded")', 'the notification that the run succeeded');
      await page.screenshot({ path: join(RESULTS_DIR, 'kfp-succeeded.png') });

      // The artifact's lineage, from a click on it.
      await page.locator('.monaco-list-row[aria-label^="output artifact model"]').first().click();
      await wait('.monaco-editor .view-lines:has-text("Lineage of artifact")', 'the lineage document');
      await wait('.monaco-editor .view-lines:has-text("Consumed by")', 'the lineage: consumers');
      await wait('.monaco-editor .view-lines:has-text("task `evaluate`")', 'evaluate consumed the model');

      // A sweep from its lens: two values of lr, one confirmation, two runs followed, a summary; then compared.
      await quickOpen(page, wait, 'train-eval.yaml');
      await page.locator('.monaco-editor .codelens-decoration a:has-text("Sweep")').first().click();
      await title('which parameters vary');
      const check = async (text) => {
        const row = `.quick-input-list .monaco-list-row:has-text("${text}")`;
        await wait(row, `"${text}" in the list`);
        await page.locator(`${row} .quick-input-list-label`).first().click();
      };
      await check('NUMBER_DOUBLE');
      await page.keyboard.press('Enter');
      await title('values of "lr"'.replace(/"/g, '\\"'));
      await page.keyboard.type('0.1,0.2');
      await page.keyboard.press('Enter');
      await title('(NUMBER_INTEGER)');
      await page.keyboard.type('3');
      await page.keyboard.press('Enter');
      await title('run name');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('sweep');
      await page.keyboard.press('Enter');
      await title('experiment');
      await page.keyboard.type('e2e-experiment');
      await wait('.quick-input-list .monaco-list-row.focused[aria-label*="e2e-experiment"]', 'the experiment created before, listed');
      await page.keyboard.press('Enter');
      await wait('.monaco-dialog-box:has-text("Create 2 Kubeflow Pipelines runs?")', 'the one confirmation of the sweep');
      assert.equal(kfp.sent('POST', '/apis/v2beta1/runs').length, 1, 'nothing more created before the confirmation');
      await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button:has-text("Create")').first().click();
      await wait('.notifications-toasts .notification-toast:has-text("all 2 runs succeeded")', 'the sweep summary');
      const swept = kfp.sent('POST', '/apis/v2beta1/runs').slice(1).map((r) => [r.body.display_name, r.body.runtime_config.parameters]);
      assert.deepEqual(swept, [['sweep (lr=0.1)', { epochs: 3, lr: 0.1 }], ['sweep (lr=0.2)', { epochs: 3, lr: 0.2 }]]);
      await wait('.monaco-list-row[aria-label^="Kubeflow Pipelines run sweep (lr=0.2) Succeeded"]', 'the swept runs in the Runs view');

      await runCommand(page, wait, 'Kubeflow Pipelines: Compare Runs');
      await title('compare which runs');
      await check('sweep (lr=0.1)');
      await check('sweep (lr=0.2)');
      await page.keyboard.press('Enter');
      await wait('.monaco-editor .view-lines:has-text("Compare 2 Kubeflow Pipelines runs")', 'the compare document');
      await wait('.monaco-editor .view-lines:has-text("**lr** ≠")', 'the differing parameter marked');
      await page.screenshot({ path: join(RESULTS_DIR, 'kfp-compare.png') });

      // A run someone else started, listed by "Show Recent Runs", drawn by "Show Run Graph" from the IR the API returns
      // and coloured by its tasks as the polling reads them. Its script is held where the test chooses (each GET moves
      // a run one step; the steps are this array, extended as the test goes).
      const steps = [{ state: 'PENDING' }, { state: 'RUNNING', tasks: { train: 'RUNNING' } }];
      kfp.script = () => steps;
      const other = await fetch(`${kfp.url}/apis/v2beta1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ display_name: 'nightly', pipeline_spec: create.body.pipeline_spec, runtime_config: { parameters: { epochs: 1 } } }),
      });
      assert.equal(other.status, 200, await other.clone().text());
      const listed = kfp.sent('GET', '/apis/v2beta1/runs').length;
      await runCommand(page, wait, 'Kubeflow Pipelines: Show Recent Runs');
      await waitFor('the runs listed again', () => kfp.sent('GET', '/apis/v2beta1/runs').length > listed, UI_TIMEOUT_MS);
      // listed after the three runs submitted here, below the fold: End in the tree brings it into view (again, until
      // the view has redrawn with it)
      await page.locator('.monaco-list-row[aria-label^="Kubeflow Pipelines run sweep (lr=0.2)"]').first().click();
      const nightly = '.monaco-list-row[aria-label^="Kubeflow Pipelines run nightly "]';
      await waitFor('the listed run in the Runs view', async () => {
        await page.keyboard.press('End');
        return page.locator(nightly).first().isVisible();
      }, UI_TIMEOUT_MS, 500);
      await page.locator(nightly).first().hover();
      const graphAction = `${nightly} .actions .action-label[aria-label^="Show Run Graph"]`;
      await wait(graphAction, 'the Show Run Graph action on the KFP run');
      await page.locator(graphAction).first().click();
      await wait('.tab:has-text("Run: nightly")', 'the run graph editor tab');
      const runFrame = await graphFrame(page, /^PipelineSpec train-eval Running/, 'the graph of the KFP run');
      const first = await graphStatuses(runFrame, (st) => st.train === 'running' && st.evaluate === 'pending', 'train running, evaluate pending');
      assert.deepEqual(Object.keys(first.statuses).sort(), ['evaluate', 'train']);
      steps.push({ state: 'RUNNING', tasks: { train: 'SUCCEEDED', evaluate: 'RUNNING' } });
      const second = await graphStatuses(runFrame, (st) => st.train === 'succeeded' && st.evaluate === 'running', 'train succeeded, evaluate running');
      const stroke = (r, id) => r.nodes.find((n) => n.id === id).stroke;
      assert.notEqual(stroke(second, 'train'), stroke(first, 'train'), 'succeeded is painted unlike running');
      await page.screenshot({ path: join(RESULTS_DIR, 'kfp-run-graph.png') });
      steps.push({ state: 'SUCCEEDED', tasks: { train: 'SUCCEEDED', evaluate: 'SUCCEEDED' } });
      await graphStatuses(runFrame, (st) => st.train === 'succeeded' && st.evaluate === 'succeeded', 'both tasks succeeded');
      await graphFrame(page, /^PipelineSpec train-eval Succeeded/, 'the run Succeeded in the graph summary');

      // The token never reaches a log.
      const leaks = filesUnder(dir).filter((f) => !f.startsWith(workspace) && readFileSync(f).includes(TOKEN));
      assert.deepEqual(leaks.map((f) => f.slice(dir.length)), [], 'files holding the token');
      assert.ok(!server.output.includes(TOKEN), 'the token is in the server output');
      t.diagnostic(`duration ${Date.now() - started} ms`);
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS_DIR, 'kfp-failure.png') }).catch(() => {});
      writeFileSync(join(RESULTS_DIR, 'kfp-code-server.log'), server.output);
      throw err;
    } finally {
      await browser?.close();
      await server.stop();
      await kfp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
