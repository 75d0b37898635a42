#!/usr/bin/env node
// Summarizes a V8 `.cpuprofile` (from `npm run bench -- --node-arg --cpu-prof --node-arg --cpu-prof-dir=DIR`):
// the functions with the most self time and the most inclusive time, with their source location (the bundle's
// line; use dist/server.js.map to map it back to server/src).
//   node test/bench/lib/cpuProfile.mjs DIR/CPU.*.cpuprofile [--top N]
import { readFileSync } from 'node:fs';

export function summarizeProfile(profile, top = 25) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // sample counts → time per node (µs), using timeDeltas
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
  }
  const label = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const incl = new Map();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    const l = label(n);
    self.set(l, (self.get(l) ?? 0) + us);
    // inclusive: count once per distinct label on the stack
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cl = label(nodes.get(cur));
      if (seen.has(cl)) continue;
      seen.add(cl);
      incl.set(cl, (incl.get(cl) ?? 0) + us);
    }
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const sort = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([l, us]) => ({ fn: l, ms: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10 }));
  return { totalMs: Math.round(total / 1000), self: sort(self), inclusive: sort(incl) };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const file = process.argv[2];
  const topIdx = process.argv.indexOf('--top');
  const top = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 25;
  if (!file) {
    console.error('usage: node test/bench/lib/cpuProfile.mjs FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), top);
  console.log(`total sampled: ${s.totalMs} ms`);
  console.log('\nself time:');
  for (const r of s.self) console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
  console.log('\ninclusive time:');
  for (const r of s.inclusive) console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
}
