// Benchmark (not a test): evaluations per second of a typical Triggers filter on a GitHub push payload,
// with the expression compiled once. Run after `npx tsc -p .`:  node test/bench/celBench.mjs
// Target: ≥ 100k evaluations/s.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { prepare } from '../../out/server/src/cel/celService.js';
import { buildActivation, parseHttpRequest } from '../../out/server/src/triggers/simulation/httpRequest.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const payloadFile = path.join(here, '../../../shared/data/payloads/github/push/with-new-branch.payload.json');
const body = readFileSync(payloadFile);
const request = parseHttpRequest(Buffer.concat([
  Buffer.from('POST / HTTP/1.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n\r\n'),
  body,
]));
const activation = buildActivation(request);
// The payload's repository is not under tektoncd/, so the whole filter is evaluated each time; rewrite it
// to make the filter true and exercise every clause.
activation.body.ref = 'refs/heads/main';
activation.body.repository.full_name = 'tektoncd/triggers';

const filter = "body.ref == 'refs/heads/main' && header.match('X-GitHub-Event', 'push') && body.repository.full_name.startsWith('tektoncd/')";
const expr = prepare(filter, 'triggers');
if (expr.diagnostics.length) throw new Error(JSON.stringify(expr.diagnostics));
const check = expr.evaluate(activation);
if (!('value' in check) || check.value !== true) throw new Error(`unexpected result ${JSON.stringify(check)}`);

function run(ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < 1000; i++) expr.evaluate(activation);
    n += 1000;
  }
  return (n * 1e9) / Number(process.hrtime.bigint() - start);
}

run(300); // warm-up
const rate = run(2000);
console.log(`payload: ${path.basename(payloadFile)} (${body.length} bytes)`);
console.log(`filter: ${filter}`);
console.log(`${Math.round(rate).toLocaleString('en-US')} evaluations/s (target ≥ 100,000)`);

// Diagnostics latency of a Trigger file with 50 CEL expressions (target ≤ 30 ms): every expression distinct, so the
// compile cache does not help the first run; each run uses a new document so per-document caching does not either.
const { TektonDocument } = await import('../../out/server/src/document/tektonDocument.js');
const { getLanguageService } = await import('../../out/server/src/service/languageService.js');
const service = getLanguageService();
function triggerWith50(seed) {
  let params = '';
  for (let i = 0; i < 25; i++) {
    params += `    - ref:\n        name: cel\n      params:\n        - name: filter\n          value: "body.ref == 'refs/heads/b${seed}-${i}' && header.match('X-GitHub-Event', 'push') && body.commits.exists(c, c.message.contains('x${i}'))"\n`;
    params += `        - name: overlays\n          value:\n            - key: k${i}\n              expression: "body.head_commit.id.truncate(${(i % 7) + 1}) + '-${seed}'"\n`;
  }
  return `apiVersion: triggers.tekton.dev/v1beta1\nkind: Trigger\nmetadata:\n  name: t${seed}\nspec:\n  interceptors:\n${params}  template:\n    ref: tmpl\n`;
}
const times = [];
for (let run = 0; run < 21; run++) {
  const doc = new TektonDocument(`file:///t${run}.yaml`, 1, triggerWith50(run));
  const started = performance.now();
  const problems = service.doValidation(doc);
  times.push(performance.now() - started);
  if (problems.some((p) => p.severity === 'error')) throw new Error(JSON.stringify(problems.slice(0, 3)));
}
const first = times.shift();
times.sort((a, b) => a - b);
console.log(`Trigger with 50 CEL expressions, diagnostics: first ${first.toFixed(1)} ms (cold), median ${times[10].toFixed(1)} ms, p95 ${times[18].toFixed(1)} ms (target ≤ 30 ms)`);
