#!/usr/bin/env node
// What survives edits of a big file: starts `node dist/server.js --stdio` with `--heapsnapshot-signal`, opens the
// catalog-built big file (500 documents), takes a heap snapshot (V8 collects garbage first), makes 20 one-character
// edits as lspBench.mjs does, takes another, and prints the live heap of both, the constructors that grew most, and
// the peak RSS. Superseded versions' trees kept alive would show here as growth; a peak RSS far above the live heap
// is garbage V8 has not collected yet. Prints numbers, asserts nothing. Snapshots go to a temporary folder, removed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildBigFile, catalogMainFiles, collectKeys, descriptionEditPositions } from './lib/catalog.mjs';
import { Session } from './lib/session.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = resolve(REPO_ROOT, '..', 'shared', 'data', 'catalog');
const files = catalogMainFiles(catalog);
if (!files) {
  console.log(`No catalog at ${catalog}: the heap benchmark needs it. Skipped.`);
  process.exit(0);
}
const big = buildBigFile(files, 500);
const edits = descriptionEditPositions(collectKeys(big.text), big.docs.length, 20);
const dir = mkdtempSync(join(tmpdir(), 'tekton-heap-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Signals the server and waits for the snapshot file it writes to be complete. */
async function snapshot(pid) {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 120000; waited += 250) {
    await sleep(250);
    const file = readdirSync(dir).find((f) => !before.has(f));
    if (!file) continue;
    // complete when its size is non-zero and stops changing
    let size = -1;
    for (;;) {
      await sleep(250);
      const now = statSync(join(dir, file)).size;
      if (now > 0 && now === size) return join(dir, file);
      size = now;
    }
  }
  throw new Error('no heap snapshot written within 2 minutes');
}

/** Self size per constructor (objects and closures by name, other node types by type) of a .heapsnapshot file. */
function byConstructor(path) {
  const s = JSON.parse(readFileSync(path, 'utf8'));
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const type = types[s.nodes[i + typeAt]];
    const key = type === 'object' || type === 'closure' ? `${type} ${s.strings[s.nodes[i + nameAt]]}` : `(${type})`;
    const e = out.get(key) ?? { count: 0, size: 0 };
    e.count++;
    e.size += s.nodes[i + sizeAt];
    out.set(key, e);
    total += s.nodes[i + sizeAt];
  }
  return { out, total };
}

const session = new Session({
  name: 'tekton-ls',
  command: process.execPath,
  args: ['--heapsnapshot-signal=SIGUSR2', join(REPO_ROOT, 'dist', 'server.js'), '--stdio'],
  cwd: dir,
  pull: false,
  timeoutMs: 60000,
});
try {
  await session.start();
  const uri = `file://${join(REPO_ROOT, '.bench-big-catalog.yaml')}`; // never written to disk
  const open = await session.open(uri, big.text);
  const afterOpen = session.memory();
  const first = byConstructor(await snapshot(session.client.pid));
  for (const e of edits) {
    await sleep(250);
    await session.edit(uri, e, 'x');
  }
  await sleep(500);
  const second = byConstructor(await snapshot(session.client.pid));
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(`Heap of tekton-ls with the catalog big file open (${big.docs.length} docs, ${big.lineCount} lines); open→diagnostics ${open.ms.toFixed(0)} ms`);
  // writing a snapshot takes memory of its own: RSS is read before the first one (lspBench.mjs measures the peak)
  console.log(`live heap after open:      ${mb(first.total).padStart(9)}   (RSS before the snapshot ${afterOpen.rssMb.toFixed(0)} MB)`);
  console.log(`live heap after ${edits.length} edits: ${mb(second.total).padStart(9)}`);
  const grew = [...second.out]
    .map(([k, v]) => ({ k, count: v.count - (first.out.get(k)?.count ?? 0), size: v.size - (first.out.get(k)?.size ?? 0) }))
    .filter((g) => g.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, 8);
  console.log(grew.length ? 'grew most (self size, count):' : 'nothing grew');
  for (const g of grew) console.log(`  ${mb(g.size).padStart(9)}  ${String(g.count).padStart(7)}  ${g.k}`);
} finally {
  await session.stop();
  rmSync(dir, { recursive: true, force: true });
}
