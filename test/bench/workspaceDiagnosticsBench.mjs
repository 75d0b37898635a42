#!/usr/bin/env node
// Workspace diagnostics (`workspace/diagnostic`) over the upstream catalog: the bundled server is started with the
// catalog as its workspace folder, pulled once, then one Task (git-clone 0.9) is opened and renamed N times; after each
// rename the workspace is pulled again with the result ids of the first pull, as VS Code re-pulls after the server's
// refresh. Prints the time of each pull and how many files came back as full reports. Prints numbers; asserts nothing.
//   node test/bench/workspaceDiagnosticsBench.mjs [--renames N] [--node-arg ARG ...]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspProcess } from './lib/jsonRpcClient.mjs';

const REPO = join(import.meta.dirname, '..', '..');
const CATALOG = join(REPO, '..', 'shared', 'data', 'catalog');
const args = process.argv.slice(2);
const renames = Number(args[args.indexOf('--renames') + 1] || 5) || 5;
const nodeArgs = args.flatMap((a, i) => (args[i - 1] === '--node-arg' ? [a] : []));
const TASK = join(CATALOG, 'task', 'git-clone', '0.9', 'git-clone.yaml');
if (!existsSync(TASK)) {
  console.log(`workspace diagnostics bench: ${TASK} is missing (the upstream catalog copy beside the repository); skipped`);
  process.exit(0);
}

const server = new LspProcess(process.execPath, [...nodeArgs, join(REPO, 'dist', 'server.js'), '--stdio']);
server.onRequest('*', () => null);
const root = pathToFileURL(CATALOG).href;
await server.request('initialize', {
  processId: process.pid,
  rootUri: root,
  workspaceFolders: [{ uri: root, name: 'catalog' }],
  capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: {} } },
});
server.notify('initialized', {});
const pull = async (previousResultIds) => {
  const t = performance.now();
  const r = await server.request('workspace/diagnostic', { previousResultIds }, 300_000);
  return { ms: performance.now() - t, items: r.items };
};

const first = await pull([]);
console.log(`first pull: ${first.ms.toFixed(0)} ms, ${first.items.length} files`);
const known = first.items.filter((i) => i.resultId).map((i) => ({ uri: i.uri, value: i.resultId }));
const uri = pathToFileURL(TASK).href;
const text = readFileSync(TASK, 'utf8');
const line = text.slice(0, text.indexOf('name: git-clone')).split('\n').length - 1;
server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
await server.request('textDocument/diagnostic', { textDocument: { uri } });
const times = [];
let name = 'git-clone';
for (let i = 0; i < renames; i++) {
  const next = `git-clone-renamed-${i}`;
  server.notify('textDocument/didChange', {
    textDocument: { uri, version: i + 2 },
    contentChanges: [{ range: { start: { line, character: 6 }, end: { line, character: 6 + name.length } }, text: next }],
  });
  name = next;
  await server.request('textDocument/diagnostic', { textDocument: { uri } });
  const again = await pull(known);
  times.push(again.ms);
  const full = again.items.filter((x) => x.kind === 'full').length;
  console.log(`after rename ${i + 1}: ${again.ms.toFixed(0)} ms, ${full} full reports of ${again.items.length}`);
}
times.sort((a, b) => a - b);
console.log(`median pull after a rename: ${times[Math.floor(times.length / 2)].toFixed(0)} ms`);
await server.stop();
