// Benchmark (not a test): latency of the task graph of the largest Pipeline of the catalog (most pipeline tasks), in
// process (the language service alone) and over LSP (`tekton/graph` to the bundled server, open and after edits), plus
// the svg layout the CLI prints. Prints milliseconds, asserts nothing. Run after `npm run compile`:
//   node test/bench/graphBench.mjs [file]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TektonDocument } from '../../out/server/src/document/tektonDocument.js';
import { getLanguageService } from '../../out/server/src/service/languageService.js';
import { toSvg } from '../../out/server/src/graph/render.js';
import { Session } from './lib/session.mjs';
import { fmtMs, median, percentile } from './lib/stats.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');
const data = join(repo, '..', 'shared', 'data');

/** Every catalog file holding a Pipeline (or a PipelineRun with a pipelineSpec), by graph size. */
async function largestPipeline() {
  const { readdirSync, statSync } = await import('node:fs');
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) files.push(path);
    }
  };
  walk(join(data, 'catalog'));
  const service = getLanguageService();
  let best;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    if (!/^kind: Pipeline(Run)?\s*$/m.test(text)) continue;
    const doc = new TektonDocument(pathToFileURL(path).href, 1, text);
    for (const { resource } of doc.resources()) {
      if (resource.kind !== 'Pipeline' && resource.kind !== 'PipelineRun') continue;
      const outcome = await service.getGraph(doc, { name: resource.name });
      const nodes = outcome.graph?.nodes.length ?? 0;
      if (!best || nodes > best.nodes || (nodes === best.nodes && text.length > best.size)) best = { path, name: resource.name, nodes, size: text.length };
    }
  }
  service.dispose();
  return best;
}

const time = async (fn) => {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
};

async function main() {
  let target;
  if (process.argv[2]) target = { path: process.argv[2] };
  else if (existsSync(join(data, 'catalog'))) target = await largestPipeline();
  if (!target) {
    console.log(`../shared/data/catalog not found beside the repository (${data}): nothing to measure`);
    return;
  }
  const text = readFileSync(target.path, 'utf8');
  const uri = pathToFileURL(target.path).href;

  // In process: the first graph of a fresh parse (spec model, variable analysis, validation for node problems), then
  // the graph of an unchanged version (everything cached on the document), then after one-character edits.
  const service = getLanguageService();
  let doc = new TektonDocument(uri, 1, text);
  const cold = await time(() => service.getGraph(doc, { name: target.name }));
  const graph = cold.result.graph;
  if (!graph) {
    console.log(`${target.path}: no graph (${cold.result.error})`);
    return;
  }
  const warm = [];
  for (let i = 0; i < 50; i++) warm.push((await time(() => service.getGraph(doc, { name: target.name }))).ms);
  // A space typed and removed at the end of the `metadata:` line: a new version whose YAML stays valid.
  const anchor = text.indexOf('\n', text.indexOf('metadata:'));
  const edits = [];
  let current = text;
  for (let i = 0; i < 30; i++) {
    current = current.slice(0, anchor) + (i % 2 ? '' : ' ') + current.slice(anchor + (i % 2 ? 1 : 0));
    const next = await time(() => {
      doc = new TektonDocument(uri, i + 2, current, doc);
      return service.getGraph(doc, { name: target.name });
    });
    edits.push(next.ms);
  }
  const svg = await time(() => toSvg(graph));
  service.dispose();

  // Over LSP: the bundled server as an editor runs it.
  const session = new Session({ name: 'tekton-ls', command: process.execPath, args: [join(repo, 'dist', 'server.js'), '--stdio'], pull: true, timeoutMs: 30000 });
  await session.start();
  await session.open(uri, text);
  const params = { uri, name: target.name };
  const first = await session.client.timed('tekton/graph', params, 30000);
  const lspWarm = [];
  for (let i = 0; i < 50; i++) lspWarm.push((await session.client.timed('tekton/graph', params, 30000)).ms);
  const lspEdits = [];
  const line = text.slice(0, anchor).split('\n').length - 1;
  for (let i = 0; i < 20; i++) {
    const character = text.slice(0, anchor).length - text.lastIndexOf('\n', anchor - 1) - 1;
    if (i % 2) session.client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' }] });
    else session.client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }] });
    lspEdits.push((await session.client.timed('tekton/graph', params, 30000)).ms);
  }
  await session.client.request('shutdown', null, 5000).catch(() => undefined);
  session.client.notify('exit', {});

  const row = (label, samples) => {
    return `${label.padEnd(44)} median ${fmtMs(median(samples))}  p90 ${fmtMs(percentile(samples, 90))}  max ${fmtMs(Math.max(...samples))}  (${samples.length} runs)`;
  };
  console.log(`graph of ${target.path}${target.name ? ` (${target.name})` : ''}: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${text.split('\n').length} lines`);
  console.log(`${'in process, first (parse + analysis + validation)'.padEnd(44)} ${fmtMs(cold.ms)}`);
  console.log(row('in process, same version', warm));
  console.log(row('in process, after an edit (parse + graph)', edits));
  console.log(`${'svg layout (dagre) + serialisation'.padEnd(44)} ${fmtMs(svg.ms)}`);
  console.log(`${'tekton/graph over LSP, first'.padEnd(44)} ${fmtMs(first.ms)}${first.error ? ` (error ${first.error})` : ''}`);
  console.log(row('tekton/graph over LSP, same version', lspWarm));
  console.log(row('tekton/graph over LSP, right after an edit', lspEdits));
  console.log('target (issue 17): graph request on the largest catalog Pipeline <= 20 ms');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
