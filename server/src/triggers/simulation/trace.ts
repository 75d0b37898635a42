/**
 * Human-readable rendering of a SimulationResult: what `tekton-ls simulate` prints on stderr next to the rendered
 * resources. One line per step, indented by level.
 */
import type { InterceptorStep, ResolvedParam, SimulationResult, TriggerResult } from './types';

const MAX_VALUE = 120;

function short(s: string): string {
  const one = s.replace(/\n/g, '\\n');
  return one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE - 1)}…` : one;
}

function stepLine(s: InterceptorStep): string {
  const what = s.ref ? `${s.ref.name}${s.ref.kind !== 'ClusterInterceptor' ? ` (${s.ref.kind})` : ''}` : s.type;
  const label = `${what}${s.name ? ` "${s.name}"` : ''}${s.legacy ? ' [v1alpha1 inline]' : ''}`;
  const code = s.statusCode ? `${s.statusCode}: ` : '';
  // counted from 1, as a person counts them and as the editor's trace and CEL hovers do (`index` is the position)
  return `interceptor ${s.index + 1} ${label}: ${s.result} — ${code}${s.reason}`;
}

function paramLine(p: ResolvedParam): string {
  if (p.value === undefined) return `${p.name}: unbound (left as $(tt.params.${p.name}))`;
  let from: string;
  switch (p.origin) {
    case 'default':
      from = 'template default';
      break;
    case 'binding-default':
      from = `template default (${p.expressions?.find((e) => e.usedDefault)?.error ?? 'expression failed'})`;
      break;
    default: {
      const b = p.binding;
      const where = b ? (b.kind === 'inline' ? 'inline binding' : `${b.kind} ${b.name ?? ''}`) : 'binding';
      const exprs = p.expressions?.map((e) => e.expression).join(' ') ?? '';
      from = exprs ? `${where}: ${exprs}` : where;
    }
  }
  return `${p.name} = ${short(p.value)}  (${from}${p.declared ? '' : '; not declared by the template'}${p.dollarEscaped ? '; $( written as $$(' : ''})`;
}

function triggerLines(t: TriggerResult): string[] {
  const lines: string[] = [];
  const origin = t.group ? `${t.origin} ${t.group}` : t.origin;
  lines.push(
    `trigger ${t.namespace}/${t.name || '(unnamed)'} [${origin}]: ${t.status.toUpperCase()}${t.reason ? ` — ${t.reason}` : ''}`,
  );
  for (const s of t.interceptors) {
    lines.push(`  ${stepLine(s)}`);
    for (const e of s.expressions ?? []) {
      const head = e.role === 'filter' ? 'filter' : `overlay ${e.key}`;
      lines.push(`    ${head}: ${short(e.expression)} → ${e.error ? `error: ${e.error}` : (e.result ?? '')}`);
    }
    if (s.addedExtensions && Object.keys(s.addedExtensions).length)
      lines.push(`    adds extensions: ${short(JSON.stringify(s.addedExtensions))}`);
  }
  if (t.params.length) {
    lines.push('  params:');
    for (const p of t.params) lines.push(`    ${paramLine(p)}`);
  }
  for (const r of t.resources) {
    const name = r.name ?? (r.generateName ? `${r.generateName}*` : '(no name)');
    lines.push(
      `  resource ${r.index}: ${r.kind ?? '?'} ${name} in ${r.namespace}${r.error ? ` — ERROR ${r.error}` : ''}`,
    );
  }
  for (const p of t.problems) lines.push(`  ${p.severity}: ${p.message}`);
  return lines;
}

/** The trace of a simulation as text lines ending in a newline. */
export function formatSimulationTrace(result: SimulationResult): string {
  const lines: string[] = [];
  const el = result.eventListener;
  lines.push(
    `${el ? `EventListener ${el.namespace}/${el.name}` : 'Triggers'}: ${result.request.method} ${result.request.url} (${result.request.bodyBytes} bytes) → ${result.response.status}; eventID ${result.eventID}`,
  );
  for (const p of result.problems) lines.push(`${p.severity}: ${p.message}`);
  for (const g of result.groups) {
    lines.push(
      `trigger group ${g.name}: ${g.status}${g.reason ? ` — ${g.reason}` : ''}${g.triggers.length ? `; selects ${g.triggers.join(', ')}` : ''}`,
    );
    for (const s of g.interceptors) lines.push(`  ${stepLine(s)}`);
  }
  for (const t of result.triggers) lines.push(...triggerLines(t));
  // a group stopped by its interceptors selects no trigger: "0 of 0" alone would hide that anything ran
  const stopped = result.groups.filter((g) => g.status !== 'continue').length;
  lines.push(`${result.fired} of ${result.triggers.length} trigger(s) fired${stopped ? `; ${stopped} trigger group(s) stopped` : ''}`);
  return lines.join('\n') + '\n';
}
