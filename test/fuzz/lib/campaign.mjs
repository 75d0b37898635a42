// The fuzz campaign: mutated documents driven through the real server (`node dist/server.js --stdio`) over LSP, in a
// pull-diagnostics session and a push-diagnostics session. Failures: the server exits, a request is unanswered after
// `timeoutMs`, or an answer (or pushed diagnostics) grossly violates the LSP shapes of ./shapes.mjs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspProcess, TimeoutError } from '../../bench/lib/jsonRpcClient.mjs';
import { vscodeLikeCapabilities } from '../../bench/lib/session.mjs';
import { REPO_ROOT } from './corpus.mjs';
import { CEL_TOKENS, mutateDocument, randomEditText } from './mutate.mjs';
import { Rng } from './prng.mjs';
import { VALIDATORS } from './shapes.mjs';

const SERVER = join(REPO_ROOT, 'dist', 'server.js');
/** Error codes that are a legitimate answer to any request: RequestCancelled, ContentModified, ServerCancelled. */
const BENIGN_ERRORS = new Set([-32800, -32801, -32802]);

const CEL_SEEDS = [
  "header.match('X-GitHub-Event', 'push')",
  'body.after.truncate(7)',
  "body.ref.split('/')[2] == 'main'",
  'size(body) > 0 && has(body.repository)',
  "extensions.short_sha == 'abc1234'",
  "body.commits.map(c, c.id).exists(x, x == 'a')",
  "requestURL.parseURL().path == '/'",
  "header.canonical('Content-Type').startsWith('application/json')",
  'int(body.number) + 1u',
  "body.pull_request.labels.filter(l, l.name in ['a', 'b']).size() > 0",
  "'body' in body ? body.body.parseJSON() : {}",
  "bytes('abc').size() == 3",
];

class Server {
  constructor(name, pull, workspaceFolder) {
    this.name = name;
    this.pull = pull;
    this.workspaceFolder = workspaceFolder;
    this.peakRssMb = 0;
    this.restarts = 0;
    /** uri → { version, at } of the last publishDiagnostics */
    this.published = new Map();
    this.onPublish = undefined;
  }

  async start() {
    const c = new LspProcess(process.execPath, [SERVER, '--stdio'], { name: this.name, cwd: REPO_ROOT });
    this.client = c;
    c.onRequest('workspace/configuration', (p) => (p?.items ?? []).map(() => null));
    c.onRequest('*', () => null);
    c.onNotification((method, params) => {
      if (method === 'textDocument/publishDiagnostics') {
        this.published.set(params?.uri, { version: params?.version, at: performance.now(), params });
        this.onPublish?.(params);
      }
    });
    const folder = this.workspaceFolder ? pathToFileURL(this.workspaceFolder).href : null;
    const init = await c.request(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'tekton-ls fuzz' },
        rootUri: folder,
        workspaceFolders: folder ? [{ uri: folder, name: 'ws' }] : null,
        capabilities: vscodeLikeCapabilities(this.pull),
        initializationOptions: {},
      },
      30000,
    );
    this.capabilities = init?.capabilities ?? {};
    c.notify('initialized', {});
  }

  get alive() {
    return this.client && !this.client.exited;
  }

  sampleMemory() {
    const m = this.client?.memory();
    if (m?.peakRssMb) this.peakRssMb = Math.max(this.peakRssMb, m.peakRssMb);
  }

  async restart() {
    this.sampleMemory();
    this.client?.kill();
    this.restarts++;
    this.published.clear();
    await this.start();
  }

  async stop() {
    this.sampleMemory();
    await this.client?.stop();
  }
}

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * @param {{ seed: number, docs: number, corpus: { label: string, text: string }[], samples: any[], name?: string,
 *   timeoutMs?: number, pushShare?: number, workspaceFolder?: string, only?: number, maxFailures?: number,
 *   log?: (line: string) => void }} opts
 */
export async function runCampaign(opts) {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const pushShare = opts.pushShare ?? 0.3;
  const log = opts.log ?? ((l) => console.log(l));
  const name = opts.name ?? 'fuzz';
  const maxFailures = opts.maxFailures ?? 10;
  const stats = {
    name,
    seed: opts.seed,
    documents: 0,
    requests: 0,
    notifications: 0,
    cancelled: 0,
    malformed: 0,
    /** how malformed requests were answered: error code (or `result`) → count */
    malformedAnswers: {},
    /** malformed requests answered with InternalError (-32603) rather than InvalidParams: request → message */
    malformedInternal: {},
    /** malformed requests answered with a result: request → result (for the report; answering is allowed) */
    malformedResults: {},
    crashes: 0,
    unanswered: 0,
    shapeViolations: 0,
    /** error answers (other than cancellation) to well-formed requests: method → code → count */
    errors: {},
    errorSamples: [],
    latency: {},
    /** kind → the slowest answer: { ms, index, source, mutations } */
    slowest: {},
    failures: [],
    wallMs: 0,
    peakRssMb: {},
  };
  const t0 = performance.now();
  const pull = new Server(`${name}-pull`, true, opts.workspaceFolder);
  const push = new Server(`${name}-push`, false, undefined);
  await pull.start();
  await push.start();
  let failDir;
  const openUris = [];

  function fail(kind, record, detail) {
    if (kind === 'crash') stats.crashes++;
    else if (kind === 'unanswered') stats.unanswered++;
    else stats.shapeViolations++;
    failDir ??= mkdtempSync(join(tmpdir(), 'tekton-fuzz-failures-'));
    const base = join(failDir, `${name}-seed${opts.seed}-doc${record.index}-${stats.failures.length}`);
    mkdirSync(failDir, { recursive: true });
    writeFileSync(`${base}.input.yaml`, record.initialText);
    writeFileSync(`${base}.current.yaml`, record.doc.getText());
    writeFileSync(
      `${base}.json`,
      JSON.stringify(
        {
          kind,
          detail,
          seed: opts.seed,
          campaign: name,
          index: record.index,
          source: record.source,
          mutations: record.mutations,
          session: record.server.name,
          request: record.current,
          stderrTail: record.server.client?.stderr?.slice(-4000),
          ops: record.ops,
        },
        null,
        1,
      ),
    );
    const f = { kind, detail, index: record.index, source: record.source, request: record.current?.method, files: `${base}.{json,input.yaml,current.yaml}` };
    stats.failures.push(f);
    log(`FUZZ FAILURE [${kind}] campaign=${name} seed=${opts.seed} doc=${record.index} (${record.source}; ${record.mutations.join(',') || 'unmutated'}) request=${record.current?.method}: ${detail}\n  input written to ${base}.input.yaml, request log ${base}.json\n  reproduce: node test/fuzz/run.mjs --corpus ${name} --seed ${opts.seed} --only ${record.index}`);
  }

  function note(record, method, params, request = undefined) {
    // the message log written on failure (replayed by test/fuzz/replay.mjs): texts are kept, they reproduce it
    record.ops.push(request ? { method, params, request } : { method, params });
    if (record.ops.length > 400) record.ops.splice(1, 1);
  }

  /** Sends one request and checks its answer; returns the result (undefined on error). */
  async function call(record, method, params, { cancel = false, malformed = false, kind = method } = {}) {
    const s = record.server;
    if (!s.alive) return undefined;
    const c = s.client;
    const id = c.nextId;
    record.current = { method, params, id, cancel, malformed };
    note(record, method, params, { cancel, malformed });
    stats.requests++;
    if (malformed) stats.malformed++;
    const started = performance.now();
    const promise = c.request(method, params, timeoutMs);
    if (cancel) {
      stats.cancelled++;
      c.notify('$/cancelRequest', { id });
    }
    let result;
    try {
      result = await promise;
    } catch (err) {
      if (err instanceof TimeoutError) {
        record.current = { method, params, id, cancel, malformed };
        fail('unanswered', record, `no answer to ${method} (id ${id}) within ${timeoutMs} ms`);
        record.hung = true;
        return undefined;
      }
      if (c.exited || /exited/.test(String(err?.message))) {
        record.current = { method, params, id, cancel, malformed };
        return undefined; // reported as a crash by the caller
      }
      if (malformed) {
        stats.malformedAnswers[err.code] = (stats.malformedAnswers[err.code] ?? 0) + 1;
        if (err.code === -32603) {
          const key = `${method} ${JSON.stringify(params)?.slice(0, 160)}`;
          stats.malformedInternal[key] ??= String(err.message).slice(0, 160);
        }
      }
      if (!malformed && !BENIGN_ERRORS.has(err.code)) {
        const byCode = (stats.errors[method] ??= {});
        byCode[err.code] = (byCode[err.code] ?? 0) + 1;
        if (stats.errorSamples.length < 10) stats.errorSamples.push({ index: record.index, method, code: err.code, message: String(err.message).slice(0, 200) });
      }
      return undefined;
    }
    const ms = performance.now() - started;
    if (malformed) {
      stats.malformedAnswers.result = (stats.malformedAnswers.result ?? 0) + 1;
      stats.malformedResults[`${method} ${JSON.stringify(params)?.slice(0, 300)}`] ??= JSON.stringify(result)?.slice(0, 80);
    }
    if (!cancel && !malformed) {
      (stats.latency[kind] ??= []).push(ms);
      if (ms > (stats.slowest[kind]?.ms ?? 0)) stats.slowest[kind] = { ms: Math.round(ms), index: record.index, source: record.source, mutations: record.mutations.join(',') };
    }
    if (!malformed) {
      const v = VALIDATORS[method];
      const problem = v?.(result, { lineCount: record.doc.lineCount });
      if (problem) {
        record.current = { method, params, id, result };
        fail('shape', record, problem);
      }
    }
    return result;
  }

  function send(record, method, params) {
    stats.notifications++;
    note(record, method, params);
    if (method === 'textDocument/didChange' || method === 'textDocument/didOpen') record.server.published.delete(params?.textDocument?.uri);
    record.server.client.notify(method, params);
  }

  for (let index = opts.only ?? 0; index < (opts.only !== undefined ? opts.only + 1 : opts.docs); index++) {
    if (stats.failures.length >= maxFailures) {
      log(`fuzz ${name}: stopping after ${stats.failures.length} failures`);
      break;
    }
    const rng = new Rng(opts.seed, index);
    const src = rng.pick(opts.corpus);
    const { text, mutations } = mutateDocument(src.text, rng);
    const server = rng.chance(pushShare) ? push : pull;
    const folder = opts.workspaceFolder && server === pull ? pathToFileURL(opts.workspaceFolder).href : 'file:///fuzz';
    const uri = `${folder}/fuzz-${index}-${src.label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-60)}`;
    const record = { index, source: src.label, mutations, initialText: text, server, ops: [], doc: TextDocument.create(uri, 'yaml', 1, text), current: undefined, hung: false, diagnostics: [] };
    stats.documents++;
    const docStart = performance.now();

    const randomPosition = () => {
      const d = record.doc;
      if (rng.chance(0.05)) return { line: d.lineCount + rng.int(0, 5), character: rng.int(0, 200) };
      if (rng.chance(0.05)) return { line: rng.int(0, d.lineCount - 1), character: rng.int(0, 400) };
      return d.positionAt(rng.int(0, d.getText().length));
    };
    const randomRange = () => {
      const a = record.doc.offsetAt(randomPosition());
      const b = Math.min(record.doc.getText().length, a + rng.int(0, 200));
      return { start: record.doc.positionAt(a), end: record.doc.positionAt(b) };
    };
    const td = { uri };
    const celPosition = () => {
      const t = record.doc.getText();
      const re = /(filter|expression|value)\s*:\s*\S/g;
      const hits = [];
      let m;
      while ((m = re.exec(t)) && hits.length < 50) hits.push(m.index + m[0].length - 1);
      return hits.length && rng.chance(0.8) ? record.doc.positionAt(rng.pick(hits) + rng.int(0, 10)) : randomPosition();
    };
    const mutatedCel = () => {
      let e = rng.pick(CEL_SEEDS);
      const toks = e.match(/'[^']*'|[A-Za-z_]\w*|\d+u?|==|!=|&&|\|\||\s+|./g) ?? [];
      const n = rng.int(0, 3);
      for (let i = 0; i < n; i++) {
        const at = rng.int(0, toks.length - 1);
        const op = rng.int(0, 2);
        if (op === 0) toks.splice(at, 1);
        else if (op === 1) toks[at] = rng.pick(CEL_TOKENS);
        else toks.splice(at, 0, rng.pick(CEL_TOKENS));
      }
      e = toks.join('');
      return e;
    };

    const requestKinds = {
      'textDocument/completion': 4,
      'textDocument/hover': 4,
      'textDocument/definition': 2,
      'textDocument/references': 1.5,
      'textDocument/prepareRename': 1.5,
      'textDocument/rename': 1,
      'textDocument/documentSymbol': 1.5,
      'textDocument/foldingRange': 1,
      'textDocument/codeAction': 2,
      'textDocument/codeLens': 1.5,
      ...(server.pull ? { 'textDocument/diagnostic': 2 } : {}),
    };
    const paramsFor = (method) => {
      switch (method) {
        case 'textDocument/completion':
          return { textDocument: td, position: randomPosition(), context: rng.chance(0.7) ? { triggerKind: 1 } : { triggerKind: 2, triggerCharacter: rng.pick([':', '.', '$', '(', ' ', '-']) } };
        case 'textDocument/references':
          return { textDocument: td, position: randomPosition(), context: { includeDeclaration: rng.chance(0.5) } };
        case 'textDocument/rename':
          return { textDocument: td, position: randomPosition(), newName: rng.pick(['renamed', 'x', '', 'a b', '$(x)', 'π', 'n'.repeat(300)]) };
        case 'textDocument/codeAction': {
          const diags = record.diagnostics.length && rng.chance(0.8) ? record.diagnostics.slice(0, rng.int(1, 5)) : [];
          const range = diags.length && rng.chance(0.7) ? diags[0].range : randomRange();
          return { textDocument: td, range, context: { diagnostics: diags, triggerKind: rng.pick([1, 2]), ...(rng.chance(0.2) ? { only: [rng.pick(['quickfix', 'refactor', 'source'])] } : {}) } };
        }
        case 'textDocument/documentSymbol':
        case 'textDocument/foldingRange':
        case 'textDocument/codeLens':
        case 'textDocument/diagnostic':
          return { textDocument: td };
        default:
          return { textDocument: td, position: randomPosition() };
      }
    };

    const diagnose = async () => {
      const r = await call(record, 'textDocument/diagnostic', { textDocument: td });
      if (r?.kind === 'full') record.diagnostics = r.items;
    };

    const crashed = () => !server.alive;

    try {
      send(record, 'textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      if (server.pull) await diagnose();
      const steps = rng.int(3, 8);
      for (let step = 0; step < steps && !crashed() && !record.hung; step++) {
        const what = rng.weighted({ edits: 3, requests: 4, cel: 1.2, malformed: 0.35 });
        if (what === 'edits') {
          const burst = rng.int(1, 8);
          let pendingCompletion;
          for (let i = 0; i < burst; i++) {
            const changes = [];
            const n = rng.chance(0.2) ? rng.int(2, 3) : 1;
            for (let k = 0; k < n; k++) {
              if (rng.chance(0.03)) {
                const full = mutateDocument(record.doc.getText(), rng).text;
                changes.push({ text: full });
                record.doc = TextDocument.update(record.doc, [{ text: full }], record.doc.version + 1);
              } else {
                const range = randomRange();
                if (rng.chance(0.7)) range.end = range.start; // mostly typing
                const change = { range, text: randomEditText(rng) };
                changes.push(change);
                record.doc = TextDocument.update(record.doc, [change], record.doc.version + 1);
              }
            }
            send(record, 'textDocument/didChange', { textDocument: { uri, version: record.doc.version }, contentChanges: changes });
            // as an editor does while typing: completion at the cursor, cancelled by the next keystroke
            if (pendingCompletion) {
              server.client.notify('$/cancelRequest', { id: pendingCompletion.id });
              stats.cancelled++;
              pendingCompletion = undefined;
            }
            if (rng.chance(0.3)) {
              const id = server.client.nextId;
              const p = call(record, 'textDocument/completion', { textDocument: td, position: randomPosition(), context: { triggerKind: 1 } }, { kind: 'completion(typing)' });
              pendingCompletion = { id, p };
            }
          }
          if (pendingCompletion) await pendingCompletion.p;
          if (server.pull && rng.chance(0.6)) await diagnose();
        } else if (what === 'requests') {
          const n = rng.int(1, 4);
          const batch = [];
          for (let i = 0; i < n; i++) {
            const method = rng.weighted(requestKinds);
            const cancel = rng.chance(0.12);
            batch.push(
              call(record, method, paramsFor(method), { cancel }).then(async (r) => {
                if (method === 'textDocument/completion' && !cancel && server.capabilities.completionProvider?.resolveProvider && rng.chance(0.3)) {
                  const items = Array.isArray(r) ? r : r?.items;
                  if (items?.length) await call(record, 'completionItem/resolve', rng.pick(items));
                }
              }),
            );
          }
          await Promise.all(batch);
        } else if (what === 'cel') {
          const sample = rng.chance(0.1) ? null : rng.pick(opts.samples);
          send(record, 'tekton/setSample', { sample });
          const simSample = sample ?? rng.pick(opts.samples);
          const jobs = [];
          if (rng.chance(0.7)) {
            jobs.push(
              call(record, 'tekton/simulate', {
                uri,
                ...(rng.chance(0.6) ? { position: randomPosition() } : {}),
                sample: simSample,
                assumeUnavailablePass: rng.chance(0.5),
                ...(rng.chance(0.1) ? { secretsFile: rng.pick(['/nonexistent/secrets.json', 'test/fixtures/cel/secrets.yaml', '']) } : {}),
              }),
            );
          }
          const evals = rng.int(1, 3);
          for (let i = 0; i < evals; i++) {
            const r = rng.float();
            const params = r < 0.5 ? { uri, position: celPosition() } : r < 0.85 ? { uri, position: celPosition(), expression: mutatedCel() } : { uri, expression: mutatedCel() };
            jobs.push(call(record, 'tekton/evaluateCel', params));
          }
          if (rng.chance(0.5)) jobs.push(call(record, 'textDocument/codeLens', { textDocument: td }));
          await Promise.all(jobs);
        } else {
          const bad = [
            ['textDocument/completion', { textDocument: {}, position: { line: 0, character: 0 } }],
            ['textDocument/hover', { textDocument: td, position: { line: 'x', character: 0 } }],
            ['textDocument/hover', { textDocument: td, position: { line: 1.5, character: -3 } }],
            ['textDocument/definition', { textDocument: td }],
            ['textDocument/references', { textDocument: td, position: { line: 0, character: 0 } }],
            ['textDocument/documentSymbol', null],
            ['textDocument/foldingRange', { textDocument: { uri: 42 } }],
            ['textDocument/codeAction', { textDocument: td, range: { start: { line: 0 } }, context: { diagnostics: [] } }],
            ['textDocument/codeAction', { textDocument: td, range: randomRange(), context: { diagnostics: [{ message: 1, range: null }] } }],
            ['textDocument/rename', { textDocument: td, position: randomPosition(), newName: 42 }],
            ['textDocument/prepareRename', { textDocument: td, position: { line: null, character: null } }],
            ['textDocument/diagnostic', {}],
            ['textDocument/codeLens', []],
            ['textDocument/completion', { textDocument: { uri: 'file:///never/opened.yaml' }, position: { line: 0, character: 0 } }],
            ['textDocument/hover', { textDocument: td, position: { line: Number.MAX_SAFE_INTEGER, character: 1e300 } }],
            ['tekton/simulate', { sample: {} }],
            ['tekton/simulate', { uri, sample: { label: 1, method: null, headers: 'x', body: 42 } }],
            ['tekton/evaluateCel', { uri, position: { line: -1, character: 0.5 } }],
            ['tekton/evaluateCel', { expression: 'true' }],
            ['tekton/evaluateCel', { uri, expression: 42 }],
            ['tekton/noSuchMethod', { uri }],
            ['completionItem/resolve', { label: 42, data: { uri: 7 } }],
          ];
          const n = rng.int(1, 4);
          const jobs = [];
          for (let i = 0; i < n; i++) {
            const [method, params] = rng.pick(bad);
            jobs.push(call(record, method, params, { malformed: true }));
          }
          // malformed notifications: never answered, must not crash the server
          if (rng.chance(0.5)) {
            const [method, params] = rng.pick([
              ['tekton/setSample', { sample: 'garbage' }],
              ['tekton/setSample', { sample: { label: 'x', headers: null, body: null } }],
              ['tekton/setSample', null],
              ['textDocument/didChange', { textDocument: { uri: 'file:///never/opened.yaml', version: 2 }, contentChanges: [{ text: 'x' }] }],
              ['textDocument/didOpen', { textDocument: { uri: `file:///fuzz/broken-open-${index}.yaml`, languageId: 'yaml', version: 1 } }],
              ['textDocument/didClose', { textDocument: { uri: 'file:///never/opened.yaml' } }],
              ['workspace/didChangeConfiguration', { settings: { tekton: { maxFileSize: 'big', validate: null } } }],
            ]);
            send(record, method, params);
            stats.malformed++;
          }
          await Promise.all(jobs);
        }
      }
      if (!crashed() && !record.hung) {
        if (server.pull) await diagnose();
        else {
          // push mode: the diagnostics of the last version must arrive
          const lastChange = performance.now();
          const version = record.doc.version;
          const got = await new Promise((resolve) => {
            const check = () => {
              const p = server.published.get(uri);
              if (p && (p.version === version || p.version == null)) return p;
              return undefined;
            };
            const immediate = check();
            if (immediate) return resolve(immediate);
            const timer = setTimeout(() => ((server.onPublish = undefined), resolve(check())), timeoutMs);
            server.onPublish = (params) => {
              if (params?.uri === uri && (params.version === version || params.version == null)) {
                clearTimeout(timer);
                server.onPublish = undefined;
                resolve(server.published.get(uri));
              }
            };
          });
          if (!got && server.alive) {
            record.current = { method: 'textDocument/publishDiagnostics (awaited)', version };
            fail('unanswered', record, `no publishDiagnostics for version ${version} within ${timeoutMs} ms`);
            record.hung = true;
          } else if (got) {
            (stats.latency['publishDiagnostics(after last change)'] ??= []).push(performance.now() - lastChange);
            const problem = VALIDATORS['textDocument/publishDiagnostics'](got.params, { lineCount: record.doc.lineCount });
            if (problem) {
              record.current = { method: 'textDocument/publishDiagnostics', params: got.params };
              fail('shape', record, problem);
            }
          }
        }
      }
      if (server.alive && !record.hung) {
        if (rng.chance(0.9)) send(record, 'textDocument/didClose', { textDocument: { uri } });
        else {
          openUris.push({ server, uri });
          if (openUris.length > 5) {
            const old = openUris.shift();
            if (old.server.alive) old.server.client.notify('textDocument/didClose', { textDocument: { uri: old.uri } });
          }
        }
      }
    } catch (err) {
      if (server.alive) throw err;
    }
    if (!server.alive) {
      await new Promise((r) => setTimeout(r, 50));
      fail('crash', record, `server exited (${JSON.stringify(server.client.exitInfo)}); stderr tail: ${server.client.stderr.slice(-600)}`);
    }
    if (!server.alive || record.hung) {
      for (let i = openUris.length - 1; i >= 0; i--) if (openUris[i].server === server) openUris.splice(i, 1);
      await server.restart();
    }
    if (index % 10 === 0) {
      pull.sampleMemory();
      push.sampleMemory();
    }
    if (opts.progress && (index + 1) % opts.progress === 0) {
      const rss = (s) => Math.round(s.client?.memory()?.rssMb ?? 0);
      log(`  ${name}: ${index + 1} documents, ${stats.requests} requests, ${((performance.now() - t0) / 1000).toFixed(1)} s, RSS now pull ${rss(pull)} MB / push ${rss(push)} MB`);
    }
    const docMs = performance.now() - docStart;
    if (docMs > (stats.slowestDoc?.ms ?? 0)) stats.slowestDoc = { index, source: src.label, ms: Math.round(docMs) };
  }
  await pull.stop();
  await push.stop();
  stats.peakRssMb = { pull: Math.round(pull.peakRssMb), push: Math.round(push.peakRssMb) };
  stats.restarts = pull.restarts + push.restarts;
  stats.wallMs = performance.now() - t0;
  stats.failDir = failDir;
  return stats;
}

/** The end-of-run report: counts, then p50/p99/max latency per request kind, then peak RSS. */
export function formatStats(s) {
  const out = [];
  out.push(`fuzz ${s.name}: seed ${s.seed}, ${s.documents} documents, ${s.requests} requests (${s.cancelled} cancelled, ${s.malformed} malformed), ${s.notifications} notifications in ${(s.wallMs / 1000).toFixed(1)} s`);
  out.push(`  crashes ${s.crashes}, unanswered ${s.unanswered}, shape violations ${s.shapeViolations}, server restarts ${s.restarts}`);
  if (Object.keys(s.malformedAnswers).length) out.push(`  malformed requests answered with: ${Object.entries(s.malformedAnswers).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  for (const [req, msg] of Object.entries(s.malformedInternal).slice(0, 8)) out.push(`    InternalError for ${req}: ${msg}`);
  const errs = Object.entries(s.errors).map(([m, codes]) => `${m} ${JSON.stringify(codes)}`);
  if (errs.length) out.push(`  error answers to well-formed requests: ${errs.join('; ')}`);
  for (const e of s.errorSamples.slice(0, 5)) out.push(`    e.g. doc ${e.index} ${e.method} ${e.code}: ${e.message}`);
  out.push(`  ${'request kind'.padEnd(40)} ${'n'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const [kind, arr] of Object.entries(s.latency).sort()) {
    const sorted = [...arr].sort((a, b) => a - b);
    out.push(`  ${kind.padEnd(40)} ${String(sorted.length).padStart(6)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 99).toFixed(1).padStart(8)} ${sorted[sorted.length - 1].toFixed(1).padStart(8)}`);
  }
  out.push(`  peak RSS (VmHWM): pull session ${s.peakRssMb.pull} MB, push session ${s.peakRssMb.push} MB`);
  if (s.slowestDoc) out.push(`  slowest document: #${s.slowestDoc.index} ${s.slowestDoc.source} ${s.slowestDoc.ms} ms`);
  const slow = Object.entries(s.slowest).filter(([, v]) => v.ms >= 1000);
  for (const [kind, v] of slow) out.push(`  slow ${kind}: ${v.ms} ms at document #${v.index} (${v.source}; ${v.mutations || 'unmutated'})`);
  if (s.failDir) out.push(`  failure inputs written under ${s.failDir}`);
  return out.join('\n');
}
