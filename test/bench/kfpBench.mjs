// Benchmark (not a test): diagnostics latency of the largest upstream compiled KFP pipeline after an edit, as the
// server computes them (a new version built from the previous one, then validation). Prints milliseconds, asserts
// nothing. Run after `npm run compile`:  node test/bench/kfpBench.mjs [file]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TektonDocument } from '../../out/server/src/document/tektonDocument.js';
import { getLanguageService } from '../../out/server/src/service/languageService.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..', 'shared', 'data', 'kfp', 'test_data', 'sdk_compiled_pipelines', 'valid');

function largest(dir) {
  let best;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    const candidate = st.isDirectory() ? largest(path) : /\.ya?ml$/.test(name) ? { path, size: st.size } : undefined;
    if (candidate && (!best || candidate.size > best.size)) best = candidate;
  }
  return best;
}

const file = process.argv[2] ?? (existsSync(root) ? largest(root)?.path : undefined);
if (!file) {
  console.log(`../shared/data/kfp not found beside the repository (${root}): nothing to measure`);
  process.exit(0);
}
const text = readFileSync(file, 'utf8');
const service = getLanguageService();
const uri = 'file:///bench.yaml';
const time = (fn) => {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
};

let doc = new TektonDocument(uri, 1, text);
const cold = time(() => service.doValidation(doc));
// Edits: one character typed into a task name inside the root DAG (the IR is one document, so each edit re-checks it).
const anchor = text.indexOf('taskInfo:\n') + 'taskInfo:\n'.length;
const samples = [];
let current = text;
for (let i = 0; i < 30; i++) {
  current = current.slice(0, anchor) + (i % 2 ? '' : ' ') + current.slice(anchor + (i % 2 ? 1 : 0));
  const next = time(() => {
    doc = new TektonDocument(uri, i + 2, current, doc);
    return service.doValidation(doc);
  });
  samples.push(next.ms);
}
samples.sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(1);
console.log(`${file}: ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines, ${cold.result.length} problem(s)`);
console.log(`first validation: ${cold.ms.toFixed(1)} ms; after an edit (parse + validation, ${samples.length} edits): median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
