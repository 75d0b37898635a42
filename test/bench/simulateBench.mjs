// Benchmark (not a test): the 44 example requests of tektoncd/triggers (../shared/data/triggers-examples)
// simulated in one process against their examples' EventListeners, as the examples test does: workspace YAML
// parsed once per folder, then every request simulated (interceptors, CEL, bindings, templates, YAML output).
// Run after `npx tsc -p .`:  node test/bench/simulateBench.mjs        Target: < 2 s in total.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sourceResourcesUnder } from '../../out/server/src/triggers/simulation/fileResources.js';
import { simulate } from '../../out/server/src/triggers/simulation/simulate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const data = path.resolve(root, '..', 'shared', 'data', 'triggers-examples');
if (!existsSync(data)) {
  console.log(`skipped: ${data} not found`);
  process.exit(0);
}

const started = performance.now();
const index = JSON.parse(readFileSync(path.join(data, 'curl-requests-index.json'), 'utf8'));
const workspaces = new Map();
function workspace(folder) {
  if (!workspaces.has(folder)) {
    const dir =
      folder === 'examples'
        ? path.join(root, 'test', 'fixtures', 'triggers', 'readme-example')
        : path.join(data, folder);
    workspaces.set(folder, sourceResourcesUnder([dir]));
  }
  return workspaces.get(folder);
}

function request(entry) {
  const details = JSON.parse(readFileSync(path.join(data, entry.files.request), 'utf8'));
  const headers = {};
  for (const h of entry.headers) (headers[h.name] ??= []).push(h.value);
  if (details.effectiveContentType && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = [details.effectiveContentType.split(' ')[0]];
  }
  return { method: entry.method, url: '/', headers, body: readFileSync(path.join(data, entry.files.body)) };
}

let fired = 0;
let simulateMs = 0;
const slowest = [];
for (const entry of index) {
  const folder = path.dirname(entry.source.path);
  const resources = workspace(folder);
  const el = resources.find((r) => r.resource.kind === 'EventListener');
  const t0 = performance.now();
  const result = await simulate({
    request: request(entry),
    eventListener: el.resource.name,
    resources,
    // Interceptors that need the cluster or the GitHub API are assumed to pass; PR file lists are supplied.
    options: { assumeUnavailableInterceptorsPass: true, changedFiles: ['a.go', 'b.go'] },
  });
  const ms = performance.now() - t0;
  simulateMs += ms;
  slowest.push([ms, `${entry.source.path}:${entry.source.line}`]);
  fired += result.fired;
}
const total = performance.now() - started;
slowest.sort((a, b) => b[0] - a[0]);
console.log(`simulated ${index.length} requests: ${fired} trigger(s) fired`);
console.log(
  `total ${total.toFixed(0)} ms (simulation ${simulateMs.toFixed(0)} ms, ${(simulateMs / index.length).toFixed(2)} ms/request; the rest is reading and parsing ${workspaces.size} workspaces)`,
);
console.log(
  `slowest: ${slowest
    .slice(0, 3)
    .map(([ms, name]) => `${name} ${ms.toFixed(1)} ms`)
    .join(', ')}`,
);
console.log(`target < 2000 ms: ${total < 2000 ? 'met' : 'NOT met'}`);
