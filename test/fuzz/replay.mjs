#!/usr/bin/env node
// Replays the message log of a fuzz failure (the .json written under the printed temp directory) against a fresh
// server, one message at a time, and tells whether the failure reproduces:
//   node test/fuzz/replay.mjs /tmp/tekton-fuzz-failures-XXXX/shared-seed1-doc17-0.json
// Requests are awaited one by one (timeout 5 s; `--timeout ms` to change), so races of concurrent requests are
// not reproduced; the document text at the time of failure is in the matching .current.yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspProcess, TimeoutError } from '../bench/lib/jsonRpcClient.mjs';
import { vscodeLikeCapabilities } from '../bench/lib/session.mjs';
import { REPO_ROOT } from './lib/corpus.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/fuzz/replay.mjs <failure.json> [--timeout ms]');
  process.exit(2);
}
const ti = process.argv.indexOf('--timeout');
const timeoutMs = ti > 0 ? Number(process.argv[ti + 1]) : 5000;
const failure = JSON.parse(readFileSync(file, 'utf8'));
const pull = !/-push$/.test(failure.session);
const c = new LspProcess(process.execPath, [join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { name: 'replay', cwd: REPO_ROOT });
c.onRequest('workspace/configuration', (p) => (p?.items ?? []).map(() => null));
c.onRequest('*', () => null);
const folder = pathToFileURL(join(REPO_ROOT, 'test', 'fixtures', 'workspace')).href;
await c.request('initialize', { processId: process.pid, rootUri: pull ? folder : null, workspaceFolders: pull ? [{ uri: folder, name: 'ws' }] : null, capabilities: vscodeLikeCapabilities(pull) }, 30000);
c.notify('initialized', {});
console.log(`replaying ${failure.ops.length} messages of ${failure.campaign} seed ${failure.seed} doc ${failure.index} (${failure.kind}: ${failure.detail}) in a ${pull ? 'pull' : 'push'} session`);
let reproduced = false;
for (const [i, op] of failure.ops.entries()) {
  if (!op.request) {
    c.notify(op.method, op.params);
    continue;
  }
  const t0 = Date.now();
  try {
    await c.request(op.method, op.params, timeoutMs);
  } catch (err) {
    if (err instanceof TimeoutError) {
      console.log(`#${i} ${op.method}: UNANSWERED after ${timeoutMs} ms`);
      reproduced = true;
      break;
    }
    if (c.exited) break;
  }
  if (Date.now() - t0 > 1000) console.log(`#${i} ${op.method}: ${Date.now() - t0} ms`);
}
await new Promise((r) => setTimeout(r, 300));
if (c.exited) {
  console.log(`server EXITED ${JSON.stringify(c.exitInfo)}\n${c.stderr.slice(-3000)}`);
  reproduced = true;
}
console.log(reproduced ? 'reproduced' : 'not reproduced sequentially (try the .current.yaml text, or the campaign with --only)');
c.kill();
process.exit(reproduced ? 1 : 0);
