/**
 * The GitHub event types a cel interceptor's `filter` lets through, for diagnostics. Unlike completion (which may
 * guess from any `header.match('X-GitHub-Event', …)` in the text), a warning may only rely on a test that every
 * passing event satisfies: a top-level conjunct of the filter that is an event test, or a disjunction of event tests.
 */
import type { CelAstNode } from '../../cel/ast';
import { parse } from '../../cel/celService';
import { canonicalMimeHeaderKey } from '../../cel/goCompat';

const GITHUB_EVENT = 'X-Github-Event';

/** The events `filter` restricts the trigger to, or undefined when it does not restrict them (or does not parse). */
export function githubEventsOfFilter(filter: string): string[] | undefined {
  if (!/x-github-event/i.test(filter)) return undefined;
  let ast: CelAstNode | undefined;
  try {
    ast = parse(filter, 'triggers').ast;
  } catch {
    return undefined;
  }
  if (!ast) return undefined;
  let result: Set<string> | undefined;
  for (const conjunct of conjuncts(ast, [], 0)) {
    const events = eventTest(conjunct, 0);
    if (!events) continue;
    result = result ? new Set([...result].filter((e) => events.has(e))) : events;
  }
  return result && [...result].sort();
}

function conjuncts(n: CelAstNode, out: CelAstNode[], depth: number): CelAstNode[] {
  if (n.kind === 'binary' && n.name === '&&' && n.args?.length === 2 && depth < 100) {
    conjuncts(n.args[0], out, depth + 1);
    conjuncts(n.args[1], out, depth + 1);
  } else out.push(n);
  return out;
}

function literal(n: CelAstNode | undefined): string | undefined {
  return n?.kind === 'literal' && typeof n.value === 'string' ? n.value : undefined;
}

function isHeader(n: CelAstNode | undefined): boolean {
  return n?.kind === 'ident' && n.name === 'header';
}

function isEventKey(n: CelAstNode | undefined): boolean {
  const key = literal(n);
  return key !== undefined && canonicalMimeHeaderKey(key) === GITHUB_EVENT;
}

/** `header['X-Github-Event']`: the list of the header's values. */
function isEventList(n: CelAstNode | undefined): boolean {
  return n?.kind === 'index' && isHeader(n.target) && isEventKey(n.args?.[0]);
}

/** `header['X-Github-Event'][0]` or `header.canonical('X-GitHub-Event')`: the event name. */
function isEventValue(n: CelAstNode | undefined): boolean {
  if (n?.kind === 'index' && isEventList(n.target) && n.args?.[0]?.kind === 'literal') return true;
  return n?.kind === 'call' && n.name === 'canonical' && isHeader(n.target) && isEventKey(n.args?.[0]);
}

/** The events a sub-expression is true for, when it is an event test (or a disjunction of them). */
function eventTest(n: CelAstNode, depth: number): Set<string> | undefined {
  if (depth > 100) return undefined;
  if (n.kind === 'binary' && n.name === '||' && n.args?.length === 2) {
    const a = eventTest(n.args[0], depth + 1);
    const b = eventTest(n.args[1], depth + 1);
    return a && b ? new Set([...a, ...b]) : undefined;
  }
  if (n.kind === 'call' && n.name === 'match' && isHeader(n.target) && isEventKey(n.args?.[0])) {
    const v = literal(n.args?.[1]);
    return v !== undefined ? new Set([v]) : undefined;
  }
  if (n.kind === 'binary' && n.name === '==' && n.args?.length === 2) {
    const [l, r] = n.args;
    if (isEventValue(l) && literal(r) !== undefined) return new Set([literal(r)!]);
    if (isEventValue(r) && literal(l) !== undefined) return new Set([literal(l)!]);
  }
  if (n.kind === 'binary' && n.name === 'in' && n.args?.length === 2) {
    const [l, r] = n.args;
    if (isEventValue(l) && r.kind === 'list') {
      const values = (r.args ?? []).map(literal);
      if (values.every((v) => v !== undefined)) return new Set(values as string[]);
    }
    if (isEventList(r) && literal(l) !== undefined) return new Set([literal(l)!]);
  }
  return undefined;
}
