// Benchmark (not a test): how long the language server takes to index a workspace folder and how much memory the
// index adds, measured through LSP like an editor sees it. Run after `npm run compile`:
//   node test/bench/indexBench.mjs [DIR]        (default: ../shared/data/catalog, about 1,100 YAML files)
// Targets (Pipelines intelligence issue): index ≤ 3 s, ≤ 200 MB extra.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspProcess } from './lib/jsonRpcClient.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = resolve(process.argv[2] ?? join(repo, '..', 'shared', 'data', 'catalog'));
if (!existsSync(dir)) {
  console.log(`skipped: ${dir} not found`);
  process.exit(0);
}

const server = new LspProcess(process.execPath, [join(repo, 'dist', 'server.js'), '--stdio'], { name: 'tekton-ls' });
server.onRequest('workspace/configuration', (p) => p.items.map(() => null));
const folder = pathToFileURL(dir).toString();
await server.request('initialize', {
  processId: process.pid,
  rootUri: folder,
  workspaceFolders: [{ uri: folder, name: 'bench' }],
  capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { diagnostic: {} } },
});
// Memory of the idle server before the crawl starts (initialized triggers it).
const before = server.memory();
const started = performance.now();
server.notify('initialized', {});
// A definition request waits for the crawl: its answer marks the end of indexing.
const uri = pathToFileURL(join(dir, 'bench-probe.yaml')).toString();
server.notify('textDocument/didOpen', {
  textDocument: { uri, languageId: 'yaml', version: 1, text: 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: probe\nspec:\n  tasks:\n    - name: a\n      taskRef:\n        name: git-clone\n' },
});
const defs = await server.request('textDocument/definition', { textDocument: { uri }, position: { line: 8, character: 16 } }, 60000);
const elapsed = performance.now() - started;
const after = server.memory();
const refs = await server.request('textDocument/references', { textDocument: { uri }, position: { line: 8, character: 16 }, context: { includeDeclaration: true } });
console.log(`workspace: ${dir}`);
console.log(`index ready after ${(elapsed / 1000).toFixed(2)} s (performance issue: no slower than before it, ≤ 1.2 s)`);
console.log(`RSS ${before.rssMb.toFixed(0)} MB before, ${after.rssMb.toFixed(0)} MB after: +${(after.rssMb - before.rssMb).toFixed(0)} MB (≤ 60 MB); peak ${after.peakRssMb.toFixed(0)} MB`);
console.log(`git-clone: ${defs.length} definition(s), ${refs.length} reference(s) with declarations`);
await server.request('shutdown', null).catch(() => undefined);
server.notify('exit', null);
setTimeout(() => process.exit(0), 200);
