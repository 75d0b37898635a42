/**
 * Evaluation in a worker thread with a time limit and a memory cap (celEvaluator.ts / evalWorker.ts).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CelEvaluator, resolveWorkerFile } from '../../../server/src/cel/celEvaluator';
import { checkExpression } from '../../../server/src/cel/celService';

/** `[1,2,3].map(x0, [1,2,3].map(x1, …))` nested `depth` times: 3^depth steps (~1e9 for depth 19). */
function nestedMap(depth: number): string {
  let e = 'x0';
  for (let i = 0; i < depth; i++) e = `[1,2,3].map(x${i}, ${i === 0 ? 'x0 + 1' : e})`;
  return e;
}

describe('CelEvaluator (worker, time limit, memory cap)', () => {
  const evaluator = new CelEvaluator({ timeoutMs: 1000, maxMemoryMb: 128 });
  after(() => evaluator.dispose());

  it('evaluates in a worker and reports value, JSON text and type', async () => {
    const r = await evaluator.evaluate({ text: "body.ref.split('/')[2]", envId: 'triggers', activation: { body: { ref: 'refs/heads/main' }, header: {}, extensions: {}, requestURL: '' } });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value, 'main');
    assert.equal(r.display, '"main"');
    assert.equal(r.type, 'string');
  });

  it('stops nested maps of ~1e9 steps within the time limit with a clear message, then works again', async () => {
    const start = Date.now();
    const r = await evaluator.evaluate({ text: nestedMap(19), envId: 'triggers', activation: {} });
    const elapsed = Date.now() - start;
    assert.equal(r.ok, false);
    assert.ok(!r.ok && (r.kind === 'timeout' || r.kind === 'memory'), JSON.stringify(r));
    assert.match(!r.ok ? r.error : '', /evaluation stopped after 1000 ms|evaluation ran out of memory/);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    const next = await evaluator.evaluate({ text: '1 + 1', envId: 'triggers', activation: {} });
    assert.ok(next.ok && next.value === 2);
  });

  it('stops a 1e9-step loop that allocates nothing with "evaluation stopped after 1000 ms"', async () => {
    const text = 'lists.range(1000).all(a, lists.range(1000).all(b, lists.range(1000).all(c, a + b + c >= 0)))';
    const start = Date.now();
    const r = await evaluator.evaluate({ text, envId: 'triggers', activation: {} });
    assert.ok(!r.ok && r.kind === 'timeout', JSON.stringify(r));
    assert.match(!r.ok ? r.error : '', /^evaluation stopped after 1000 ms/);
    assert.ok(Date.now() - start < 3000);
  });

  it('runs a catastrophic-backtracking regex within the limit (RE2 is linear), then stops the same regex in a huge loop', async () => {
    const input = 'a'.repeat(30) + '!';
    const fast = await evaluator.evaluate({ text: `'${input}'.matches('^(a+)+$')`, envId: 'triggers', activation: {} });
    assert.ok(fast.ok && fast.value === false, JSON.stringify(fast));
    assert.ok(fast.elapsedMs < 1000);
    const slow = await evaluator.evaluate({
      text: `lists.range(100000).all(i, lists.range(100000).all(j, !'${input}'.matches('^(a+)+$')))`,
      envId: 'triggers', activation: {},
    });
    assert.ok(!slow.ok && slow.kind === 'timeout', JSON.stringify(slow));
    const after = await evaluator.evaluate({ text: "'ok'", envId: 'triggers', activation: {} });
    assert.ok(after.ok && after.value === 'ok');
  });

  it('reports compile and run-time errors with ranges', async () => {
    const c = await evaluator.evaluate({ text: "'x'.decodeb64()", envId: 'triggers', activation: {} });
    assert.ok(!c.ok && c.kind === 'error' && c.code === 'cel-decodeb64' && c.start === 4);
    const r = await evaluator.evaluate({ text: 'body.missing', envId: 'triggers', activation: { body: {}, header: {}, extensions: {}, requestURL: '' } });
    assert.ok(!r.ok && r.kind === 'error' && /no such key: missing/.test(r.error));
  });

  it('gives every over-deep expression the depth limit\'s message, in the worker and in the checker (issue 14 item 5)', async () => {
    for (const text of ['!'.repeat(10000) + 'true', '-'.repeat(10000) + '1', '('.repeat(5000) + 'true' + ')'.repeat(5000)]) {
      const r = await evaluator.evaluate({ text, envId: 'triggers', activation: {} });
      assert.ok(!r.ok && r.kind === 'error' && r.error === 'syntax error: Exceeded maxDepth (250)', `${text.slice(0, 3)}…: ${JSON.stringify(r).slice(0, 200)}`);
      const checked = checkExpression(text, 'triggers').diagnostics.map((d) => d.message);
      assert.deepEqual(checked, ['syntax error: Exceeded maxDepth (250)'], text.slice(0, 3));
    }
    const sum = Array(100000).fill('1').join('+');
    const long = await evaluator.evaluate({ text: sum, envId: 'triggers', activation: {} });
    assert.ok(!long.ok && /Exceeded maxAstNodes \(100000\)/.test(long.kind === 'error' ? long.error : ''), JSON.stringify(long).slice(0, 200));
  });

  it('passes secrets to compareSecret()', async () => {
    const r = await evaluator.evaluate({
      text: "header.canonical('X-Secret-Token').compareSecret('token', 'my-secret')",
      envId: 'triggers',
      activation: { body: {}, header: { 'X-Secret-Token': ['abc'] }, extensions: {}, requestURL: '' },
      secrets: { 'my-secret': { token: 'abc' } },
    });
    assert.ok(r.ok && r.value === true, JSON.stringify(r));
  });

  it('serves concurrent requests in order', async () => {
    const rs = await Promise.all([1, 2, 3, 4].map((n) => evaluator.evaluate({ text: `${n} * 10`, envId: 'triggers', activation: {} })));
    assert.deepEqual(rs.map((r) => (r.ok ? r.value : r.error)), [10, 20, 30, 40]);
  });
});

describe('CelEvaluator memory cap', () => {
  it('reports "evaluation ran out of memory" and recovers', async () => {
    const ev = new CelEvaluator({ timeoutMs: 10000, maxMemoryMb: 64 });
    try {
      const r = await ev.evaluate({ text: "lists.range(5000).map(a, lists.range(5000).map(b, 'xxxxxxxxxx' + string(b)))", envId: 'triggers', activation: {} });
      assert.ok(!r.ok && r.kind === 'memory', JSON.stringify(r));
      assert.match(!r.ok ? r.error : '', /^evaluation ran out of memory \(limit 64 MB\)/);
      const next = await ev.evaluate({ text: 'true', envId: 'triggers', activation: {} });
      assert.ok(next.ok && next.value === true);
    } finally {
      await ev.dispose();
    }
  });
});

describe('resolveWorkerFile', () => {
  it('prefers celWorker.js (the esbuild bundle) and falls back to evalWorker.js (tsc output)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'celworker-'));
    assert.equal(resolveWorkerFile(dir), path.join(dir, 'evalWorker.js'));
    writeFileSync(path.join(dir, 'celWorker.js'), '');
    assert.equal(resolveWorkerFile(dir), path.join(dir, 'celWorker.js'));
    assert.ok(existsSync(resolveWorkerFile()), 'the compiled worker exists next to celEvaluator.js');
  });
});
