// Small statistics helpers for the benchmark's tables.

/** Nearest-rank percentile (`p` in 0..100) of the numbers; undefined for none. */
export function percentile(values, p) {
  const v = values.filter(isNumber).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const rank = Math.ceil((p / 100) * v.length);
  return v[Math.min(v.length - 1, Math.max(0, rank - 1))];
}

/** Median (mean of the two middle values for an even count); undefined for none. */
export function median(values) {
  const v = values.filter(isNumber).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const isNumber = (x) => typeof x === 'number' && !Number.isNaN(x);

/**
 * Summary of timed samples `{ ms, timeout?, error? }`: median, p95 and max, where a timed-out request counts as
 * infinitely slow (so a p95 with timeouts in its top 5 % is Infinity, printed TIMEOUT, null in JSON); failed
 * requests are left out and counted.
 */
export function summarize(samples) {
  const ok = samples.filter((s) => !s.error).map((s) => (s.timeout ? Infinity : s.ms));
  return {
    n: samples.length,
    answered: samples.filter((s) => !s.timeout && !s.error).length,
    timeouts: samples.filter((s) => s.timeout).length,
    errors: samples.filter((s) => s.error).length,
    median: round(median(ok)),
    p95: round(percentile(ok, 95)),
    max: round(ok.length ? Math.max(...ok) : undefined),
  };
}

export function round(x, digits = 1) {
  if (!isNumber(x)) return undefined;
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `12.3 ms`, `2.51 s`, or a dash. */
export function fmtMs(x) {
  if (x === undefined || x === null) return '–';
  if (x === Infinity) return 'TIMEOUT';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${Math.round(x)} ms`;
  return `${x.toFixed(1)} ms`;
}

/** Renders rows (arrays of strings) as a Markdown-style table with aligned columns. */
export function table(head, rows) {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => String(c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
