#!/usr/bin/env node
// Language server benchmark: starts `node dist/server.js --stdio`, speaks LSP to it as VS Code would (pull
// diagnostics), and prints latencies and memory beside the targets of the performance issue. Optionally runs the
// same measurements against the Red Hat YAML language server (`yaml-language-server`, a devDependency) with our
// Tekton schemas. It prints numbers; it asserts nothing. See test/bench/README.md.
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { buildBigFile, catalogMainFiles, collectKeys, completionPositions, descriptionEditPositions, hoverPositions, spread } from './lib/catalog.mjs';
import { addModelines, findPeer, peerConfiguration, schemaUris } from './lib/peer.mjs';
import { Session } from './lib/session.mjs';
import { fmtMs, round, summarize, table } from './lib/stats.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const HELP = `Usage: node test/bench/lspBench.mjs [options]   (npm run bench -- [options])

  --files N        per-file phase over the first N catalog main files only (default: all, about 308)
  --docs N         documents in the big multi-document file (default 500)
  --edits N        single-character edits on the big file (default 20)
  --requests N     completion and hover requests each over catalog files (default 50)
  --timeout MS     per-request timeout; a request without answer is counted as a timeout (default 30000)
  --json           print a machine-readable summary (JSON) on stdout instead of the table
  --no-peer        do not run yaml-language-server even when it is installed
  --peer-only      run only yaml-language-server
  --push           measure our server with push diagnostics (no textDocument.diagnostic capability)
  --workspace DIR  open DIR as the workspace folder (our server then crawls it in the background)
  --server PATH    server script to run with node (default dist/server.js)
  --node-arg ARG   pass ARG to node when starting our server (repeatable), e.g. --node-arg --cpu-prof
  --catalog DIR    catalog folder (default ../shared/data/catalog from the repository root)
  -h, --help       this text`;

/** Issue targets and the Red Hat YAML language server figures the issue gives for scale. */
const TARGETS = { openMedian: 50, editMedian: 150, completionP95: 30, hoverP95: 10, peakRssMb: 300 };
const REDHAT = { openMedian: 215, editMedian: 2500, completionP95: 180, hoverP95: 6, peakRssMb: 880 };

function parseArgs(argv) {
  const o = {
    files: Infinity,
    docs: 500,
    edits: 20,
    requests: 50,
    timeout: 30000,
    json: false,
    peer: true,
    ours: true,
    push: false,
    workspace: undefined,
    server: join(REPO_ROOT, 'dist', 'server.js'),
    nodeArgs: [],
    catalog: resolve(REPO_ROOT, '..', 'shared', 'data', 'catalog'),
  };
  const num = (i) => {
    const v = Number(argv[i]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${argv[i - 1]} needs a number, got ${argv[i]}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--files') o.files = num(++i);
    else if (a === '--docs') o.docs = num(++i);
    else if (a === '--edits') o.edits = num(++i);
    else if (a === '--requests') o.requests = num(++i);
    else if (a === '--timeout') o.timeout = num(++i);
    else if (a === '--json') o.json = true;
    else if (a === '--no-peer') o.peer = false;
    else if (a === '--peer-only') o.ours = false;
    else if (a === '--push') o.push = true;
    else if (a === '--workspace') o.workspace = resolve(argv[++i]);
    else if (a === '--server') o.server = resolve(argv[++i]);
    else if (a === '--node-arg') o.nodeArgs.push(argv[++i]);
    else if (a === '--catalog') o.catalog = resolve(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n\n${HELP}`);
  }
  return o;
}

const log = (...a) => console.error(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Everything the measurements need, computed once and shared by both servers. */
function prepareInputs(opts) {
  const all = catalogMainFiles(opts.catalog);
  if (!all || !all.length) return undefined;
  const files = all.slice(0, Math.min(all.length, opts.files));
  const big = buildBigFile(all, opts.docs);
  big.uri = `file://${join(REPO_ROOT, '.bench-big-multidoc.yaml')}`; // never written to disk
  const bigKeys = collectKeys(big.text);
  const edits = descriptionEditPositions(bigKeys, big.docs.length, opts.edits);
  // big file requests: 10 completions on step keys and 10 hovers on `image`, spread over the documents
  const stepKeys = bigKeys.filter((k) => /^spec\.(steps|tasks)\[\]\.[^.[\]]+$/.test(k.path));
  const bigCompletions = spread(stepKeys, 10);
  const bigHovers = spread(bigKeys.filter((k) => k.key === 'image'), 10).map((k) => ({ ...k, col: k.col + 2 }));
  // edit→completion: a description edit and a completion in the same document
  const editCompletions = [];
  for (const e of spread(descriptionEditPositions(bigKeys, big.docs.length, Math.max(opts.edits, 10)), 10)) {
    const k = stepKeys.find((s) => s.doc === e.doc) ?? bigKeys.find((s) => s.doc === e.doc && /^spec\.[^.]+$/.test(s.path));
    if (k) editCompletions.push({ edit: e, at: { line: k.line, character: k.col }, what: k.path });
  }
  const completions = completionPositions(spread(files, Math.ceil(opts.requests / 2)), opts.requests);
  const hovers = hoverPositions(spread(files, opts.requests), opts.requests);
  return { all, files, big, edits, bigCompletions, bigHovers, editCompletions, completions, hovers };
}

/** Three schema problems: an unknown field (typo), a wrong type, an unknown field in a step. */
const PROBE = `apiVersion: tekton.dev/v1beta1
kind: Task
metadata:
  name: probe
spec:
  stepz: []
  steps:
    - name: a
      image: 3
      bogus: true
`;

/** Runs every phase against one server; returns the results (with `error` when it died or failed). */
async function measure(session, inputs, opts) {
  const res = { name: session.name, mode: session.pull ? 'pull' : 'push', rssAfterMb: {}, serverRequests: {} };
  const phase = (name) => {
    if (!session.alive) throw new Error(`${session.name} is not running (${JSON.stringify(session.client?.exitInfo)})`);
    const m = session.memory();
    if (m) res.rssAfterMb[name] = round(m.rssMb, 0);
    log(`[${session.name}] ${name} done`);
  };
  try {
    res.startupMs = round(await session.start(), 1);
    // count what the server asks the client for (diagnostic refreshes after each edit, say)
    session.client.onRequest('*', (_params, method) => {
      res.serverRequests[method] = (res.serverRequests[method] ?? 0) + 1;
      return null;
    });
    phase('startup');

    // 1. open→diagnostics per catalog file
    const per = [];
    const counts = [];
    for (const f of inputs.files) {
      const r = await session.open(f.uri, f.text);
      per.push({ ...r, file: f.rel });
      counts.push(r.count ?? 0);
      session.close(f.uri);
      if (!session.alive) break;
    }
    res.perFile = {
      ...summarize(per),
      first: per[0] && { ms: round(per[0].ms), timeout: per[0].timeout, error: per[0].error },
      diagnosticsTotal: counts.reduce((a, b) => a + b, 0),
      filesWithDiagnostics: counts.filter((c) => c > 0).length,
      slowest: per
        .filter((p) => !p.timeout && !p.error)
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((p) => ({ file: p.file, ms: round(p.ms) })),
      mostDiagnostics: per
        .slice()
        .sort((a, b) => (b.count ?? 0) - (a.count ?? 0))
        .slice(0, 3)
        .map((p) => ({ file: p.file, count: p.count })),
    };
    phase('per-file');

    // 2. the big multi-document file
    const big = inputs.big;
    const open = await session.open(big.uri, big.text);
    res.bigFile = { lines: big.lineCount, docs: big.docs.length, bytes: Buffer.byteLength(big.text), open: { ms: round(open.ms), count: open.count, timeout: open.timeout, error: open.error } };
    if (session.pull) {
      const again = await session.client.timed('textDocument/diagnostic', { textDocument: { uri: big.uri } }, opts.timeout);
      res.bigFile.repullUnchanged = { ms: round(again.ms), timeout: again.timeout, error: again.error };
    }
    const sym = await session.documentRequest('textDocument/documentSymbol', big.uri);
    res.bigFile.documentSymbol = { ms: round(sym.ms), timeout: sym.timeout, error: sym.error, count: Array.isArray(sym.result) ? sym.result.length : undefined };
    const fold = await session.documentRequest('textDocument/foldingRange', big.uri);
    res.bigFile.foldingRange = { ms: round(fold.ms), timeout: fold.timeout, error: fold.error, count: Array.isArray(fold.result) ? fold.result.length : undefined };
    phase('big-open');

    // 3. single-character edits in description values of different documents
    const edits = [];
    const refreshBefore = res.serverRequests['workspace/diagnostic/refresh'] ?? 0;
    for (const e of inputs.edits) {
      await sleep(250); // a pause between keystrokes of different edits; lets debounced work run
      const r = await session.edit(big.uri, e, 'x');
      edits.push({ ...r, doc: e.doc, line: e.line });
      if (!session.alive) break;
    }
    await sleep(400);
    res.edits = {
      ...summarize(edits),
      diagnosticsAfterLast: edits.at(-1)?.count,
      refreshRequests: (res.serverRequests['workspace/diagnostic/refresh'] ?? 0) - refreshBefore,
      samples: edits.map((e) => ({ doc: e.doc, line: e.line, ms: round(e.ms), timeout: e.timeout })),
    };
    phase('big-edits');

    // 4. requests on the big file: completion, hover, and completion right after an edit
    const bc = [];
    for (const k of inputs.bigCompletions) bc.push(await session.completion(big.uri, { line: k.line, character: k.col }));
    res.bigCompletion = { ...summarize(bc), emptyResults: bc.filter((r) => !r.items && !r.timeout && !r.error).length };
    const bh = [];
    for (const k of inputs.bigHovers) bh.push(await session.hover(big.uri, { line: k.line, character: k.col }));
    res.bigHover = { ...summarize(bh), emptyResults: bh.filter((r) => r.empty && !r.timeout && !r.error).length };
    const ec = [];
    for (const x of inputs.editCompletions) {
      await sleep(250);
      ec.push(await session.editThen(big.uri, x.edit, 'y', () => session.completion(big.uri, x.at)));
    }
    res.bigEditCompletion = { ...summarize(ec), emptyResults: ec.filter((r) => !r.items && !r.timeout && !r.error).length };
    session.close(big.uri);
    phase('big-requests');

    // 5. completion and hover over catalog files (opened and diagnosed first, untimed)
    const needed = new Map();
    for (const p of [...inputs.completions, ...inputs.hovers]) needed.set(p.file.uri, p.file);
    for (const f of needed.values()) await session.open(f.uri, f.text);
    const comp = [];
    for (const p of inputs.completions) comp.push({ ...(await session.completion(p.file.uri, p)), at: `${p.file.rel}:${p.line + 1}:${p.character + 1} ${p.what}` });
    res.completion = {
      ...summarize(comp),
      emptyResults: comp.filter((r) => !r.items && !r.timeout && !r.error).length,
      slowest: comp.filter((c) => !c.timeout && !c.error).sort((a, b) => b.ms - a.ms).slice(0, 3).map((c) => ({ at: c.at, ms: round(c.ms), items: c.items })),
    };
    const hov = [];
    for (const p of inputs.hovers) hov.push({ ...(await session.hover(p.file.uri, p)), at: `${p.file.rel}:${p.line + 1}:${p.character + 1} ${p.what}` });
    res.hover = {
      ...summarize(hov),
      emptyResults: hov.filter((r) => r.empty && !r.timeout && !r.error).length,
      emptyAt: hov.filter((r) => r.empty && !r.timeout && !r.error).slice(0, 3).map((r) => r.at),
      slowest: hov.filter((c) => !c.timeout && !c.error).sort((a, b) => b.ms - a.ms).slice(0, 3).map((c) => ({ at: c.at, ms: round(c.ms) })),
    };
    for (const f of needed.values()) session.close(f.uri);
    phase('requests');

    // 6. a broken Task, to show that schema validation is really running (3 problems expected)
    const probe = await session.open(`file://${join(REPO_ROOT, '.bench-probe.yaml')}`, PROBE);
    res.probe = { expected: 3, found: probe.count, timeout: probe.timeout, error: probe.error };
    session.close(`file://${join(REPO_ROOT, '.bench-probe.yaml')}`);
  } catch (err) {
    res.error = String(err?.message ?? err);
    log(`[${session.name}] failed: ${res.error}`);
  } finally {
    const m = session.memory();
    if (m) res.memory = { peakRssMb: round(m.peakRssMb, 0), rssMb: round(m.rssMb, 0) };
    if (session.client && session.client.exited) res.exit = session.client.exitInfo;
    const stderr = session.client?.stderr.trim();
    if (stderr) res.stderrTail = stderr.slice(-1500);
    if (session.logMessages.length) res.logMessages = session.logMessages.slice(0, 20);
    await session.stop();
  }
  return res;
}

// ---- output -----------------------------------------------------------------------------------------------------

/** A single timed result as a number, or TIMEOUT / ERROR. */
const one = (r) => (!r ? undefined : r.timeout ? 'TIMEOUT' : r.error ? 'ERROR' : r.ms);

function verdict(value, target) {
  if (typeof value !== 'number') return '';
  return value <= target ? ' ok' : ' MISSED';
}

function rows(ours, peer, inputs) {
  const r = [];
  const cell = (res, get, fmt = fmtMs) => {
    if (!res) return undefined;
    try {
      const v = get(res);
      return v === undefined ? '–' : typeof v === 'string' ? v : fmt(v);
    } catch {
      return '–';
    }
  };
  const to = (s) => (s && (s.timeouts || s.errors) ? ` (${s.timeouts} timeouts, ${s.errors} errors)` : '');
  const add = (label, get, target, redhat, fmt = fmtMs, extra = () => '') => {
    const v = ours ? (() => { try { return get(ours); } catch { return undefined; } })() : undefined;
    const oursCell = ours ? `${cell(ours, get, fmt)}${target !== undefined ? verdict(v, target) : ''}${extra(ours)}` : undefined;
    const row = [label, oursCell ?? 'not run', target !== undefined ? `≤ ${fmt(target)}` : '–'];
    if (peer) row.push(`${cell(peer, get, fmt)}${extra(peer)}`);
    row.push(redhat !== undefined ? fmt(redhat) : '–');
    r.push(row);
  };
  const mb = (x) => `${Math.round(x)} MB`;
  const nf = inputs.files.length;
  add('startup: spawn → initialize result', (s) => s.startupMs);
  add(`open→diagnostics per file, median (${nf} files)`, (s) => s.perFile.median, TARGETS.openMedian, REDHAT.openMedian, fmtMs, (s) => to(s.perFile));
  add('open→diagnostics per file, p95', (s) => s.perFile.p95);
  add('open→diagnostics per file, max', (s) => s.perFile.max);
  add('first file open→diagnostics (cold)', (s) => one(s.perFile.first));
  add(`big file open→diagnostics (${inputs.big.docs.length} docs, ${inputs.big.lineCount} lines)`, (s) => one(s.bigFile.open));
  add('big file diagnostics again, unchanged', (s) => one(s.bigFile.repullUnchanged));
  add(`big file edit→diagnostics, median (${inputs.edits.length} edits)`, (s) => s.edits.median, TARGETS.editMedian, REDHAT.editMedian, fmtMs, (s) => to(s.edits));
  add('big file edit→diagnostics, p95', (s) => s.edits.p95);
  add(`completion, median (${inputs.completions.length} requests)`, (s) => s.completion.median, undefined, undefined, fmtMs, (s) => to(s.completion));
  add('completion, p95', (s) => s.completion.p95, TARGETS.completionP95, REDHAT.completionP95);
  add(`hover, median (${inputs.hovers.length} requests)`, (s) => s.hover.median, undefined, undefined, fmtMs, (s) => to(s.hover));
  add('hover, p95', (s) => s.hover.p95, TARGETS.hoverP95, REDHAT.hoverP95);
  add('big file completion, median / p95 (10)', (s) => s.bigCompletion.median, undefined, undefined, fmtMs, (s) => ` / ${fmtMs(s.bigCompletion?.p95)}${to(s.bigCompletion)}`);
  add('big file hover, median / p95 (10)', (s) => s.bigHover.median, undefined, undefined, fmtMs, (s) => ` / ${fmtMs(s.bigHover?.p95)}${to(s.bigHover)}`);
  add('big file edit→completion, median / p95 (10)', (s) => s.bigEditCompletion.median, undefined, undefined, fmtMs, (s) => ` / ${fmtMs(s.bigEditCompletion?.p95)}${to(s.bigEditCompletion)}`);
  add('big file documentSymbol', (s) => one(s.bigFile.documentSymbol));
  add('big file foldingRange', (s) => one(s.bigFile.foldingRange));
  add('peak RSS (VmHWM at the end)', (s) => s.memory.peakRssMb, TARGETS.peakRssMb, REDHAT.peakRssMb, mb);
  add('diagnostics on catalog files (total / files)', (s) => s.perFile.diagnosticsTotal, undefined, undefined, String, (s) => (s.perFile ? ` / ${s.perFile.filesWithDiagnostics}` : ''));
  return r;
}

function printTable(results, inputs, opts, meta) {
  const ours = results.find((r) => r.kind === 'ours')?.res;
  const peer = results.find((r) => r.kind === 'peer')?.res;
  const head = ['measurement', `tekton-ls (${ours?.mode ?? (opts.push ? 'push' : 'pull')})`, 'target'];
  if (peer) head.push(`${meta.peer ? `yaml-ls ${meta.peer.version}` : 'yaml-ls'} here (push)`);
  head.push('Red Hat (issue)');
  const server = opts.ours ? `; server ${meta.server} (built ${meta.serverBuilt})` : '';
  console.log(`LSP benchmark — node ${process.version}, ${meta.cpu}, ${meta.cores} cores${server}; ${meta.date}, ${meta.wallSeconds} s`);
  console.log(`catalog: ${inputs.all.length} main files (${inputs.files.length} measured); big file: ${inputs.big.docs.length} docs, ${inputs.big.lineCount} lines, ${(inputs.big.text.length / 1024).toFixed(0)} KiB`);
  console.log('');
  console.log(table(head, rows(ours, peer, inputs)));
  console.log('');
  const notes = [];
  if (peer) notes.push('yaml-ls publishes diagnostics (no pull) after a fixed 200 ms debounce on open and on change: its open/edit→diagnostics include those 200 ms.');
  if (ours && ours.mode === 'push') notes.push('tekton-ls in push mode validates an edit after a quiet moment at once (bursts within 100 ms are coalesced).');
  for (const { kind, res } of results) {
    const tag = kind === 'ours' ? 'tekton-ls' : 'yaml-ls';
    if (res.error) notes.push(`${tag}: FAILED: ${res.error}`);
    if (res.probe && res.probe.found !== res.probe.expected)
      notes.push(`${tag}: schema probe (a Task with 3 mistakes): ${res.probe.timeout ? 'timed out' : res.probe.error ? res.probe.error : `${res.probe.found} problems reported; validation may not be running`}`);
    if (res.exit) notes.push(`${tag}: process exited ${JSON.stringify(res.exit)}`);
    if (res.perFile?.slowest?.length) notes.push(`${tag}: slowest opens: ${res.perFile.slowest.map((s) => `${s.file} ${fmtMs(s.ms)}`).join(', ')}`);
    if (res.completion?.slowest?.length) notes.push(`${tag}: slowest completions: ${res.completion.slowest.map((s) => `${s.at} ${fmtMs(s.ms)}`).join(', ')}`);
    if (res.completion?.emptyResults) notes.push(`${tag}: ${res.completion.emptyResults} completion requests returned no items`);
    if (res.hover?.emptyResults) notes.push(`${tag}: ${res.hover.emptyResults} hovers returned nothing (e.g. ${res.hover.emptyAt.join('; ')})`);
    if (res.edits?.refreshRequests) notes.push(`${tag}: ${res.edits.refreshRequests} workspace/diagnostic/refresh requests during the ${res.edits.n} edits (VS Code re-pulls every open document on each)`);
    if (res.rssAfterMb && Object.keys(res.rssAfterMb).length) notes.push(`${tag}: RSS after phases: ${Object.entries(res.rssAfterMb).map(([k, v]) => `${k} ${v} MB`).join(', ')}`);
  }
  if (notes.length) console.log(notes.map((n) => `- ${n}`).join('\n'));
}

// ---- main -------------------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const inputs = prepareInputs(opts);
  if (!inputs) {
    const msg = `No catalog at ${opts.catalog}: the benchmark needs the Tekton catalog copy (shared/data/catalog beside the repository). Skipped.`;
    if (opts.json) console.log(JSON.stringify({ skipped: msg }));
    else console.log(msg);
    return;
  }
  const peerInfo = opts.peer ? findPeer(REPO_ROOT) : undefined;
  if (opts.peer && !peerInfo) log('yaml-language-server is not installed (npm install --save-dev yaml-language-server): peer not measured');
  if (opts.ours && !existsSync(opts.server)) throw new Error(`${opts.server} not found: run npm run compile first`);
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown cpu',
    cores: cpus().length,
    server: opts.server.startsWith(REPO_ROOT) ? opts.server.slice(REPO_ROOT.length + 1) : opts.server,
    serverBuilt: opts.ours ? statSync(opts.server).mtime.toISOString() : undefined,
    peer: peerInfo ? { version: peerInfo.version } : undefined,
    catalog: opts.catalog,
    files: inputs.files.length,
    bigFile: { docs: inputs.big.docs.length, lines: inputs.big.lineCount, bytes: Buffer.byteLength(inputs.big.text) },
  };

  const sessions = [];
  if (opts.ours) {
    sessions.push({
      kind: 'ours',
      session: new Session({
        name: 'tekton-ls',
        command: process.execPath,
        args: [...opts.nodeArgs, opts.server, '--stdio'],
        cwd: REPO_ROOT,
        pull: !opts.push,
        timeoutMs: opts.timeout,
        workspaceFolder: opts.workspace,
      }),
    });
  }
  if (peerInfo) {
    const uris = schemaUris(REPO_ROOT);
    sessions.push({
      kind: 'peer',
      session: new Session({
        name: 'yaml-ls',
        command: process.execPath,
        args: [peerInfo.entry, '--stdio'],
        cwd: REPO_ROOT,
        pull: false, // yaml-language-server 1.x only pushes diagnostics
        timeoutMs: opts.timeout,
        workspaceFolder: opts.workspace,
        transform: (text) => addModelines(text, uris),
        configuration: peerConfiguration,
        waitForConfiguration: true,
      }),
    });
  }
  const kill = () => sessions.forEach((s) => s.session.client?.kill());
  process.on('exit', kill);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (kill(), process.exit(130)));

  const results = [];
  const t0 = performance.now();
  for (const s of sessions) results.push({ kind: s.kind, res: await measure(s.session, inputs, opts) });
  meta.wallSeconds = round((performance.now() - t0) / 1000, 1);
  // a server that died or failed makes the run fail (numbers are still printed); slow numbers never do
  if (results.some((r) => r.res.error)) process.exitCode = 1;

  if (opts.json) {
    console.log(
      JSON.stringify(
        {
          meta,
          targets: TARGETS,
          redHatFromIssue: REDHAT,
          tektonLs: results.find((r) => r.kind === 'ours')?.res,
          yamlLanguageServer: results.find((r) => r.kind === 'peer')?.res,
        },
        null,
        2,
      ),
    );
  } else {
    printTable(results, inputs, opts, meta);
  }
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exitCode = 1;
});
