#!/usr/bin/env node
// Language server benchmark: starts `node dist/server.js --stdio` twice, once with pull diagnostics as VS Code uses
// them and once with pushed ones as Neovim, Helix or Emacs take them, and the Red Hat YAML language server
// (`yaml-language-server`, with our Tekton schemas) as the peer; speaks LSP to each as VS Code would, phase by phase
// interleaved (one phase on every server before the next phase), so that a busy machine weighs on all of them alike;
// prints latencies, memory and the peer ratios the performance issue sets. It asserts nothing. See test/bench/README.md.
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { buildBigFile, buildMixedFile, catalogMainFiles, collectKeys, completionPositions, descriptionEditPositions, hoverPositions, spread, triggersExampleDocs } from './lib/catalog.mjs';
import { addModelines, ensurePeer, peerConfiguration, PEER_VERSION, schemaUris } from './lib/peer.mjs';
import { Session } from './lib/session.mjs';
import { fmtMs, round, summarize, table } from './lib/stats.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const HELP = `Usage: node test/bench/lspBench.mjs [options]   (npm run bench -- [options])
  --files N        per-file phase over the first N catalog main files only (default: all, about 308)
  --docs N         documents in each big multi-document file (default 500)
  --edits N        single-character edits on each big file (default 20)
  --requests N     completion and hover requests each over catalog files (default 50)
  --timeout MS     per-request timeout; a request without answer is counted as a timeout (default 30000)
  --json           print a machine-readable summary (JSON) on stdout instead of the table
  --no-peer        do not run yaml-language-server
  --peer-only      run only yaml-language-server
  --peer DIR       the yaml-language-server installed under DIR instead of ${PEER_VERSION} (installed from npm once,
                   into ~/.cache/tekton-authoring/bench-peer)
  --push           measure our server with pushed diagnostics only (default: pull and push)
  --pull           measure our server with pulled diagnostics only
  --workspace DIR  open DIR as the workspace folder (our server then crawls it in the background)
  --server PATH    server script to run with node (default dist/server.js)
  --node-arg ARG   pass ARG to node when starting our server (repeatable), e.g. --node-arg --cpu-prof
  --catalog DIR    catalog folder (default ../shared/data/catalog from the repository root)
  --triggers DIR   upstream Triggers examples for the mixed big file (default ../shared/data/triggers-examples)
  -h, --help       this text`;

/**
 * The performance issue's acceptance, as ratios to the peer measured in the same run (push mode), and the one
 * absolute bound it sets for pull mode.
 */
const ACCEPT = { openMedianX: 40, completionP95X: 40, bigOpenX: 8, bigEditX: 20, pullEditMs: 50, rssFraction: 1 / 3 };

function parseArgs(argv) {
  const o = {
    files: Infinity,
    docs: 500,
    edits: 20,
    requests: 50,
    timeout: 30000,
    json: false,
    peer: true,
    peerFrom: undefined,
    ours: true,
    modes: ['pull', 'push'],
    workspace: undefined,
    server: join(REPO_ROOT, 'dist', 'server.js'),
    nodeArgs: [],
    catalog: resolve(REPO_ROOT, '..', 'shared', 'data', 'catalog'),
    triggers: resolve(REPO_ROOT, '..', 'shared', 'data', 'triggers-examples'),
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
    else if (a === '--peer') o.peerFrom = resolve(argv[++i]);
    else if (a === '--push') o.modes = ['push'];
    else if (a === '--pull') o.modes = ['pull'];
    else if (a === '--workspace') o.workspace = resolve(argv[++i]);
    else if (a === '--server') o.server = resolve(argv[++i]);
    else if (a === '--node-arg') o.nodeArgs.push(argv[++i]);
    else if (a === '--catalog') o.catalog = resolve(argv[++i]);
    else if (a === '--triggers') o.triggers = resolve(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n\n${HELP}`);
  }
  return o;
}

const log = (...a) => console.error(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Everything the measurements need, computed once and shared by every server. */
function prepareInputs(opts) {
  const all = catalogMainFiles(opts.catalog);
  if (!all || !all.length) return undefined;
  const files = all.slice(0, Math.min(all.length, opts.files));
  const bigs = [{ label: 'catalog', file: buildBigFile(all, opts.docs) }];
  const triggerDocs = triggersExampleDocs(opts.triggers);
  if (triggerDocs.length) bigs.push({ label: 'mixed', file: buildMixedFile(all, triggerDocs, opts.docs) });
  else log(`No Triggers examples at ${opts.triggers}: the mixed big file is not measured`);
  const completions = completionPositions(spread(files, Math.ceil(opts.requests / 2)), opts.requests);
  const hovers = hoverPositions(spread(files, opts.requests), opts.requests);
  return { all, files, bigs: bigs.map((b) => bigFileInputs(b.label, b.file, opts)), completions, hovers };
}

/** A big file with the positions of its edits and requests. */
function bigFileInputs(label, big, opts) {
  big.label = label;
  big.uri = `file://${join(REPO_ROOT, `.bench-big-${label}.yaml`)}`; // never written to disk
  const keys = collectKeys(big.text);
  big.edits = descriptionEditPositions(keys, big.docs.length, opts.edits);
  // 10 completions on step keys and 10 hovers on `image`, spread over the documents
  const stepKeys = keys.filter((k) => /^spec\.(steps|tasks)\[\]\.[^.[\]]+$/.test(k.path));
  big.completions = spread(stepKeys, 10);
  big.hovers = spread(keys.filter((k) => k.key === 'image'), 10).map((k) => ({ ...k, col: k.col + 2 }));
  // edit→completion: a description edit and a completion in the same document
  big.editCompletions = [];
  for (const e of spread(descriptionEditPositions(keys, big.docs.length, Math.max(opts.edits, 10)), 10)) {
    const k = stepKeys.find((x) => x.doc === e.doc) ?? keys.find((x) => x.doc === e.doc && /^spec\.[^.]+$/.test(x.path));
    if (k) big.editCompletions.push({ edit: e, at: { line: k.line, character: k.col }, what: k.path });
  }
  return big;
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

/**
 * The phases, each run on every server before the next one starts. A phase records into `res` and throws when its
 * server died.
 * @returns {[string, (session: Session, res: object) => Promise<void>][]}
 */
function phases(inputs, opts) {
  return [
    ['startup', async (session, res) => {
      res.startupMs = round(await session.start(), 1);
      // count what the server asks the client for (diagnostic refreshes after each edit, say)
      session.client.onRequest('*', (_params, method) => {
        res.serverRequests[method] = (res.serverRequests[method] ?? 0) + 1;
        return null;
      });
    }],
    // 1. open→diagnostics per catalog file
    ['per-file', async (session, res) => {
      const per = [];
      for (const f of inputs.files) {
        const r = await session.open(f.uri, f.text);
        per.push({ ...r, file: f.rel });
        session.close(f.uri);
        if (!session.alive) break;
      }
      const counts = per.map((r) => r.count ?? 0);
      res.perFile = {
        ...summarize(per),
        first: per[0] && { ms: round(per[0].ms), timeout: per[0].timeout, error: per[0].error },
        diagnosticsTotal: counts.reduce((a, b) => a + b, 0),
        filesWithDiagnostics: counts.filter((c) => c > 0).length,
        slowest: per.filter((p) => !p.timeout && !p.error).sort((a, b) => b.ms - a.ms).slice(0, 3).map((p) => ({ file: p.file, ms: round(p.ms) })),
      };
    }],
    // 2. each big multi-document file: open, edits, requests
    ...inputs.bigs.map((big) => [`big ${big.label}`, (session, res) => measureBigFile(session, res, big, opts)]),
    // 3. completion and hover over catalog files (opened and diagnosed first, untimed)
    ['requests', async (session, res) => {
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
      };
      for (const f of needed.values()) session.close(f.uri);
    }],
    // 4. a broken Task, to show that schema validation is really running (3 problems expected)
    ['probe', async (session, res) => {
      const uri = `file://${join(REPO_ROOT, '.bench-probe.yaml')}`;
      const probe = await session.open(uri, PROBE);
      res.probe = { expected: 3, found: probe.count, timeout: probe.timeout, error: probe.error };
      session.close(uri);
    }],
  ];
}

async function measureBigFile(session, res, big, opts) {
  const out = (res.big[big.label] = { lines: big.lineCount, docs: big.docs.length });
  const open = await session.open(big.uri, big.text);
  out.open = { ms: round(open.ms), count: open.count, timeout: open.timeout, error: open.error };
  if (session.pull) {
    const again = await session.client.timed('textDocument/diagnostic', { textDocument: { uri: big.uri } }, opts.timeout);
    out.repullUnchanged = { ms: round(again.ms), timeout: again.timeout, error: again.error };
  }
  const sym = await session.documentRequest('textDocument/documentSymbol', big.uri);
  out.documentSymbol = { ms: round(sym.ms), timeout: sym.timeout, error: sym.error };
  const fold = await session.documentRequest('textDocument/foldingRange', big.uri);
  out.foldingRange = { ms: round(fold.ms), timeout: fold.timeout, error: fold.error };

  // single-character edits in description values of different documents
  const edits = [];
  const refreshBefore = res.serverRequests['workspace/diagnostic/refresh'] ?? 0;
  for (const e of big.edits) {
    await sleep(250); // a pause between keystrokes of different edits; lets debounced work run
    const r = await session.edit(big.uri, e, 'x');
    edits.push({ ...r, doc: e.doc, line: e.line });
    if (!session.alive) break;
  }
  await sleep(400);
  out.edits = { ...summarize(edits), refreshRequests: (res.serverRequests['workspace/diagnostic/refresh'] ?? 0) - refreshBefore };

  // completion, hover, and completion right after an edit (the request pays for the re-parse)
  const bc = [];
  for (const k of big.completions) bc.push(await session.completion(big.uri, { line: k.line, character: k.col }));
  out.completion = { ...summarize(bc), emptyResults: bc.filter((r) => !r.items && !r.timeout && !r.error).length };
  const bh = [];
  for (const k of big.hovers) bh.push(await session.hover(big.uri, { line: k.line, character: k.col }));
  out.hover = { ...summarize(bh), emptyResults: bh.filter((r) => r.empty && !r.timeout && !r.error).length };
  const ec = [];
  for (const x of big.editCompletions) {
    await sleep(250);
    ec.push(await session.editThen(big.uri, x.edit, 'y', () => session.completion(big.uri, x.at)));
  }
  out.editCompletion = { ...summarize(ec), emptyResults: ec.filter((r) => !r.items && !r.timeout && !r.error).length };
  session.close(big.uri);
}

/** Runs the phases interleaved over the servers; a server that fails drops out, the others go on. */
async function measureAll(entries, inputs, opts) {
  for (const e of entries) e.res = { name: e.session.name, mode: e.session.pull ? 'pull' : 'push', rssAfterMb: {}, serverRequests: {}, big: {} };
  for (const [name, run] of phases(inputs, opts)) {
    for (const { session, res } of entries) {
      if (res.error) continue;
      try {
        await run(session, res);
        if (!session.alive) throw new Error(`${session.name} is not running (${JSON.stringify(session.client?.exitInfo)})`);
        const m = session.memory();
        if (m) res.rssAfterMb[name] = round(m.rssMb, 0);
        log(`[${session.name}] ${name} done`);
      } catch (err) {
        res.error = `${name}: ${String(err?.message ?? err)}`;
        log(`[${session.name}] failed: ${res.error}`);
      }
    }
  }
  for (const { session, res } of entries) {
    const m = session.memory();
    if (m) res.memory = { peakRssMb: round(m.peakRssMb, 0), rssMb: round(m.rssMb, 0) };
    if (session.client && session.client.exited) res.exit = session.client.exitInfo;
    const stderr = session.client?.stderr.trim();
    if (stderr) res.stderrTail = stderr.slice(-1500);
    if (session.logMessages.length) res.logMessages = session.logMessages.slice(0, 20);
    await session.stop();
  }
}

// ---- output -----------------------------------------------------------------------------------------------------

/** A single timed result as a number, or TIMEOUT / ERROR. */
const one = (r) => (!r ? undefined : r.timeout ? 'TIMEOUT' : r.error ? 'ERROR' : r.ms);

/** `12.3×`, from the peer's value over ours; undefined when either is missing. */
function ratio(peer, ours) {
  if (typeof peer !== 'number' || typeof ours !== 'number' || !Number.isFinite(peer) || !Number.isFinite(ours) || ours <= 0) return undefined;
  return peer / ours;
}

/**
 * Table rows: one column per server, then the peer-to-push ratio and the issue's acceptance for that row with
 * `ok` / `MISSED`.
 */
function rows(results, inputs) {
  const pull = results.find((r) => r.kind === 'ours' && r.res.mode === 'pull')?.res;
  const push = results.find((r) => r.kind === 'ours' && r.res.mode === 'push')?.res;
  const peer = results.find((r) => r.kind === 'peer')?.res;
  const servers = results.map((r) => r.res);
  const out = [];
  const value = (res, get) => {
    try {
      return get(res);
    } catch {
      return undefined;
    }
  };
  const fmtX = (x) => (x === undefined ? '–' : `${x >= 10 ? Math.round(x) : x.toFixed(1)}×`);
  /**
   * @param accept `{ x }` (peer ÷ push at least x), `{ pullMs }` (pull at most), `{ fraction }` (push at most this
   *   fraction of the peer)
   */
  const add = (label, get, accept, fmt = fmtMs, extra = () => '') => {
    const row = [label, ...servers.map((res) => {
      const v = value(res, get);
      return `${v === undefined ? '–' : typeof v === 'string' ? v : fmt(v)}${extra(res)}`;
    })];
    const x = ratio(value(peer, get), value(push ?? pull, get));
    if (peer) row.push(fmtX(x));
    let verdict = '–';
    if (accept?.x !== undefined) verdict = `≥ ${accept.x}×${x === undefined ? '' : x >= accept.x ? ' ok' : ' MISSED'}`;
    if (accept?.pullMs !== undefined && pull) {
      const v = value(pull, get);
      verdict = `${verdict === '–' ? '' : `${verdict}; `}pull ≤ ${fmtMs(accept.pullMs)}${typeof v === 'number' ? (v <= accept.pullMs ? ' ok' : ' MISSED') : ''}`;
    }
    if (accept?.fraction !== undefined) verdict = `≤ 1/${Math.round(1 / accept.fraction)} of the peer${x === undefined ? '' : 1 / x <= accept.fraction ? ' ok' : ' MISSED'}`;
    row.push(verdict);
    out.push(row);
  };
  const to = (s) => (s && (s.timeouts || s.errors) ? ` (${s.timeouts} timeouts, ${s.errors} errors)` : '');
  const mb = (x) => `${Math.round(x)} MB`;
  add('startup: spawn → initialize result', (s) => s.startupMs);
  add(`open→diagnostics per file, median (${inputs.files.length} files)`, (s) => s.perFile.median, { x: ACCEPT.openMedianX }, fmtMs, (s) => to(s.perFile));
  add('open→diagnostics per file, p95', (s) => s.perFile.p95);
  add('first file open→diagnostics (cold)', (s) => one(s.perFile.first));
  for (const big of inputs.bigs) {
    const b = (s) => s.big[big.label];
    const name = `${big.label} big file`;
    add(`${name} (${big.docs.length} docs, ${big.lineCount} lines) open→diagnostics`, (s) => one(b(s).open), { x: ACCEPT.bigOpenX });
    add(`${name} diagnostics again, unchanged`, (s) => one(b(s).repullUnchanged));
    add(`${name} edit→diagnostics, median (${big.edits.length} edits)`, (s) => b(s).edits.median, { x: ACCEPT.bigEditX, pullMs: ACCEPT.pullEditMs }, fmtMs, (s) => to(b(s)?.edits));
    add(`${name} edit→diagnostics, p95`, (s) => b(s).edits.p95);
    add(`${name} completion, median / p95 (10)`, (s) => b(s).completion.median, undefined, fmtMs, (s) => ` / ${fmtMs(b(s)?.completion?.p95)}${to(b(s)?.completion)}`);
    add(`${name} hover, median / p95 (10)`, (s) => b(s).hover.median, undefined, fmtMs, (s) => ` / ${fmtMs(b(s)?.hover?.p95)}`);
    add(`${name} edit→completion, median / p95 (10)`, (s) => b(s).editCompletion.median, undefined, fmtMs, (s) => ` / ${fmtMs(b(s)?.editCompletion?.p95)}`);
    add(`${name} documentSymbol`, (s) => one(b(s).documentSymbol));
  }
  add(`completion, median (${inputs.completions.length} requests)`, (s) => s.completion.median, undefined, fmtMs, (s) => to(s.completion));
  add('completion, p95', (s) => s.completion.p95, { x: ACCEPT.completionP95X });
  add(`hover, median / p95 (${inputs.hovers.length} requests)`, (s) => s.hover.median, undefined, fmtMs, (s) => ` / ${fmtMs(s.hover?.p95)}${to(s.hover)}`);
  add('peak RSS (VmHWM at the end)', (s) => s.memory.peakRssMb, { fraction: ACCEPT.rssFraction }, mb);
  add('diagnostics on catalog files (total / files)', (s) => s.perFile.diagnosticsTotal, undefined, String, (s) => (s.perFile ? ` / ${s.perFile.filesWithDiagnostics}` : ''));
  return out;
}

function printTable(results, inputs, opts, meta) {
  const head = ['measurement', ...results.map((r) => (r.kind === 'ours' ? `tekton-ls (${r.res.mode})` : `yaml-ls ${meta.peer?.version ?? ''} (push)`))];
  if (results.some((r) => r.kind === 'peer')) head.push('peer ÷ ours (push)');
  head.push('issue acceptance');
  const server = opts.ours ? `; server ${meta.server} (built ${meta.serverBuilt})` : '';
  console.log(`LSP benchmark — node ${process.version}, ${meta.cpu}, ${meta.cores} cores${server}; ${meta.date}, ${meta.wallSeconds} s, phases interleaved`);
  console.log(`catalog: ${inputs.all.length} main files (${inputs.files.length} measured); big files: ${inputs.bigs.map((b) => `${b.label} ${b.docs.length} docs, ${b.lineCount} lines, ${(b.text.length / 1024).toFixed(0)} KiB`).join('; ')}`);
  console.log('');
  console.log(table(head, rows(results, inputs)));
  console.log('');
  const notes = [];
  if (results.some((r) => r.kind === 'peer')) notes.push('yaml-ls publishes diagnostics (no pull) after a fixed 200 ms debounce on open and on change: its open/edit→diagnostics include those 200 ms.');
  notes.push('tekton-ls in push mode validates an edit after a quiet moment at once (bursts within 100 ms are coalesced).');
  for (const { res } of results) {
    const tag = `${res.name} (${res.mode})`;
    if (res.error) notes.push(`${tag}: FAILED: ${res.error}`);
    if (res.probe && res.probe.found !== res.probe.expected)
      notes.push(`${tag}: schema probe (a Task with 3 mistakes): ${res.probe.timeout ? 'timed out' : res.probe.error ? res.probe.error : `${res.probe.found} problems reported; validation may not be running`}`);
    if (res.exit) notes.push(`${tag}: process exited ${JSON.stringify(res.exit)}`);
    if (res.perFile?.slowest?.length) notes.push(`${tag}: slowest opens: ${res.perFile.slowest.map((s) => `${s.file} ${fmtMs(s.ms)}`).join(', ')}`);
    if (res.completion?.emptyResults) notes.push(`${tag}: ${res.completion.emptyResults} completion requests returned no items`);
    if (res.hover?.emptyResults) notes.push(`${tag}: ${res.hover.emptyResults} hovers returned nothing (e.g. ${res.hover.emptyAt.join('; ')})`);
    for (const [label, b] of Object.entries(res.big ?? {}))
      if (b.edits?.refreshRequests) notes.push(`${tag}: ${b.edits.refreshRequests} workspace/diagnostic/refresh requests during the ${b.edits.n} edits of the ${label} big file`);
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
  const peerInfo = opts.peer ? await ensurePeer(opts.peerFrom, log) : undefined;
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
    bigFiles: inputs.bigs.map((b) => ({ label: b.label, docs: b.docs.length, lines: b.lineCount, bytes: Buffer.byteLength(b.text) })),
  };

  const entries = [];
  if (opts.ours) {
    for (const mode of opts.modes) {
      entries.push({
        kind: 'ours',
        session: new Session({
          name: 'tekton-ls',
          command: process.execPath,
          args: [...opts.nodeArgs, opts.server, '--stdio'],
          cwd: REPO_ROOT,
          pull: mode === 'pull',
          timeoutMs: opts.timeout,
          workspaceFolder: opts.workspace,
        }),
      });
    }
  }
  if (peerInfo) {
    const uris = schemaUris(REPO_ROOT);
    entries.push({
      kind: 'peer',
      session: new Session({
        name: 'yaml-ls',
        command: process.execPath,
        args: [peerInfo.entry, '--stdio'],
        cwd: REPO_ROOT,
        pull: false, // measured as the issue does: diagnostics pushed
        timeoutMs: opts.timeout,
        workspaceFolder: opts.workspace,
        transform: (text) => addModelines(text, uris),
        configuration: peerConfiguration,
        waitForConfiguration: true,
      }),
    });
  }
  const kill = () => entries.forEach((e) => e.session.client?.kill());
  process.on('exit', kill);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (kill(), process.exit(130)));

  const t0 = performance.now();
  await measureAll(entries, inputs, opts);
  meta.wallSeconds = round((performance.now() - t0) / 1000, 1);
  const results = entries.map((e) => ({ kind: e.kind, res: e.res }));
  // a server that died or failed makes the run fail (numbers are still printed); slow numbers never do
  if (results.some((r) => r.res.error)) process.exitCode = 1;

  if (opts.json) {
    const byMode = (m) => results.find((r) => r.kind === 'ours' && r.res.mode === m)?.res;
    console.log(JSON.stringify({ meta, acceptance: ACCEPT, tektonLsPull: byMode('pull'), tektonLsPush: byMode('push'), yamlLanguageServer: results.find((r) => r.kind === 'peer')?.res }, null, 2));
  } else {
    printTable(results, inputs, opts, meta);
  }
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exitCode = 1;
});
