// Benchmark (not a test): first paint of the graph webview. The same page the panel builds (client/src/graph/html.ts)
// and the same script (dist/graphView.js) load in headless Debian chromium through playwright-core, with a stand-in
// for the VS Code webview API; the graph of a catalog Pipeline and of an upstream KFP IR is posted as the extension
// posts it, and the time until the browser has painted it is printed. Asserts nothing.
//   node test/bench/graphViewBench.mjs
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TektonDocument } from '../../out/server/src/document/tektonDocument.js';
import { getLanguageService } from '../../out/server/src/service/languageService.js';
import { graphViewHtml } from '../../out/client/src/graph/html.js';
import { fmtMs, median, percentile } from './lib/stats.mjs';

const repo = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const data = join(repo, '..', 'shared', 'data');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RUNS = 10;

const FILES = [
  ['catalog/task/pull-request/0.1/samples/add-comment.yaml', 'the catalog Pipeline with the most tasks'],
  ['kfp/test_data/sdk_compiled_pipelines/valid/pipeline_with_loops_and_conditions.yaml', 'KFP: nested loops and conditions'],
];

async function main() {
  if (!existsSync(chromiumPath)) return console.log(`no chromium at ${chromiumPath} (apt-get install chromium): nothing to measure`);
  if (!existsSync(data)) return console.log(`../shared/data not found beside the repository (${data}): nothing to measure`);
  if (!existsSync(join(repo, 'dist', 'graphView.js'))) return console.log('dist/graphView.js is missing: run `npm run compile` first');
  const dir = mkdtempSync(join(tmpdir(), 'tekton-graph-view-'));
  const { chromium } = await import('playwright-core');
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') };
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'], env });
  const service = getLanguageService();
  try {
    const nonce = 'bench0nonce0bench0nonce0bench000';
    const page = join(dir, 'view.html');
    writeFileSync(page, graphViewHtml({ nonce, scriptUri: pathToFileURL(join(repo, 'dist', 'graphView.js')).href, cspSource: 'file:' }));
    for (const [file, what] of FILES) {
      const path = join(data, file);
      if (!existsSync(path)) continue;
      const doc = new TektonDocument(pathToFileURL(path).href, 1, readFileSync(path, 'utf8'));
      const result = await service.graphRequest(doc, undefined, undefined, true);
      if (!result.layout) {
        console.log(`${file}: no layout (${result.error ?? result.layoutError})`);
        continue;
      }
      const load = [];
      const paint = [];
      for (let i = 0; i < RUNS; i++) {
        const tab = await browser.newPage({ viewport: { width: 1200, height: 800 } });
        await tab.addInitScript(() => {
          window.__posted = [];
          window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });
        });
        const started = Date.now();
        await tab.goto(pathToFileURL(page).href);
        await tab.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
        load.push(Date.now() - started);
        // From the extension's message to the graph on screen: parse, SVG markup, DOM, fit, and the paint itself.
        paint.push(
          await tab.evaluate(
            (message) =>
              new Promise((resolve) => {
                const t0 = performance.now();
                window.postMessage(message, '*');
                const wait = () => (document.querySelector('#canvas svg .node') ? requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))) : setTimeout(wait, 1));
                wait();
              }),
            { type: 'graph', result, title: 'bench' },
          ),
        );
        await tab.close();
      }
      const row = (label, xs) => `  ${label.padEnd(38)} median ${fmtMs(median(xs))}  p90 ${fmtMs(percentile(xs, 90))}  max ${fmtMs(Math.max(...xs))}`;
      console.log(`${file} (${what}): ${result.graph.nodes.length} nodes, ${result.graph.edges.length} edges, ${RUNS} page loads`);
      console.log(row('page and script loaded (ready)', load));
      console.log(row('graph message → painted', paint));
    }
    console.log('target (issue 17): webview first paint <= 500 ms');
  } finally {
    service.dispose();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
