/**
 * Whether a path into a GitHub webhook payload can exist, from the @octokit/webhooks-schemas JSON Schemas. Completion
 * (cel/bodySchemas.ts) lists the fields a schema names; a warning needs more: the certainty that nothing else can
 * be there. So this walker also tracks where a schema is open (`additionalProperties` not false, untyped values such
 * as `repository_dispatch.client_payload`) and answers "unknown" there.
 *
 * octokit writes refinements as `allOf: [base, {properties: …}]` whose second branch has no `additionalProperties`;
 * such a combination is closed when one branch is, and has the fields of all branches (octokit's intent, though not
 * strict JSON Schema). Alternatives (`oneOf`/`anyOf`, one per webhook `action`) are unions.
 */

/** `exists`: some payload of the events can have the path; `impossible`: none can; `unknown`: the schemas cannot say. */
import { githubBundle } from '../../cel/bodySchemas';

export type PathVerdict = 'exists' | 'impossible' | 'unknown';

/** A step into a JSON value: a field name, `ELEMENT_STEP` for an element of a list, or `ANY_STEP` (not modelled). */
export type JsonStep = string | typeof ELEMENT_STEP | typeof ANY_STEP;
/** A step into any element of a list (`[0]`, `[-1]`, a slice or a filter). */
export const ELEMENT_STEP: unique symbol = Symbol('element');
/** A step this module does not follow (`[*]` over an object, unions, recursive descent): its result is unknown. */
export const ANY_STEP: unique symbol = Symbol('any');

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

/** What a value may be at some position: the union of its alternatives. */
interface Alt {
  props: Map<string, Schema[]>;
  /** Fields other than `props` may exist. */
  open: boolean;
  /** It may be a list (elements described by `items`, or anything when `items` is absent). */
  list: boolean;
  items: Schema[];
  /** Untyped (`{}`): anything. */
  any: boolean;
}

/** The octokit bundle, loaded once for completion and these checks alike (server/src/cel/bodySchemas.ts). */
function definitions(): Record<string, Schema> | undefined {
  return githubBundle()?.definitions as Record<string, Schema> | undefined;
}

/** The payload schema of a GitHub event (`push`, `pull_request`), or undefined when octokit has none. */
function eventSchema(event: string): Schema | undefined {
  const defs = definitions();
  return defs?.[`${event}_event`] ?? defs?.[`${event}$event`];
}

/** True when octokit describes this event. */
export function isKnownGithubEvent(event: string): boolean {
  return !!eventSchema(event);
}

const altCache = new WeakMap<Schema, Alt[]>();

function alts(s: Schema | undefined, depth = 0): Alt[] {
  if (!s || depth > 40) return [{ props: new Map(), open: true, list: true, items: [], any: true }];
  const hit = altCache.get(s);
  if (hit) return hit;
  let out: Alt[];
  if (s.$ref) {
    const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
    out = alts(m ? definitions()?.[m[1]] : undefined, depth + 1);
  } else if (s.oneOf || s.anyOf) {
    out = [...(s.oneOf ?? []), ...(s.anyOf ?? [])].flatMap((b) => alts(b, depth + 1));
  } else if (s.allOf) {
    out = [merge(s.allOf.map((b) => alts(b, depth + 1)))];
  } else {
    out = [leaf(s)];
  }
  altCache.set(s, out);
  return out;
}

function leaf(s: Schema): Alt {
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const isObject = types.includes('object') || (!types.length && !!s.properties);
  const untyped = !types.length && !s.properties && !s.items;
  const items = Array.isArray(s.items) ? s.items : s.items ? [s.items] : [];
  return {
    props: new Map(Object.entries(s.properties ?? {}).map(([k, v]) => [k, [v]])),
    open: untyped || (isObject && s.additionalProperties !== false),
    list: untyped || types.includes('array') || !!s.items,
    items,
    any: untyped,
  };
}

/** An `allOf`: the fields of every branch; closed when some branch is entirely closed. */
function merge(branches: Alt[][]): Alt {
  const props = new Map<string, Schema[]>();
  for (const b of branches)
    for (const a of b) for (const [k, v] of a.props) props.set(k, [...(props.get(k) ?? []), ...v]);
  const closed = branches.some((b) => b.length > 0 && b.every((a) => !a.open && !a.any));
  return {
    props,
    open: !closed && branches.some((b) => b.some((a) => a.open)),
    list: branches.every((b) => b.some((a) => a.list)),
    items: branches.flatMap((b) => b.flatMap((a) => a.items)),
    any: branches.every((b) => b.every((a) => a.any)),
  };
}

/** One step from the values at a position; undefined when the step's result is unknown. */
function step(current: Alt[], s: JsonStep): { next: Schema[] } | 'impossible' | 'unknown' {
  if (s === ANY_STEP) return 'unknown';
  const next: Schema[] = [];
  for (const a of current) {
    if (a.any) return 'unknown';
    if (s === ELEMENT_STEP) {
      if (a.list) {
        if (!a.items.length) return 'unknown';
        next.push(...a.items);
      }
    } else {
      const p = a.props.get(s);
      if (p) next.push(...p);
      // An open object may hold this field with any value: nothing below it can be ruled out.
      else if (a.open) return 'unknown';
    }
  }
  return next.length ? { next } : 'impossible';
}

const verdictCache = new Map<string, { verdict: PathVerdict; failedAt?: number }>();

/**
 * Whether `path` (steps below the body) can exist in a payload of one of `events`. `failedAt` is the index of the
 * first step no payload has (the smallest over the events) when the verdict is `impossible`.
 */
export function githubPathVerdict(
  events: readonly string[],
  path: readonly JsonStep[],
): { verdict: PathVerdict; failedAt?: number } {
  if (!events.length) return { verdict: 'unknown' };
  const key =
    events.join(',') +
    '\u0000' +
    path.map((s) => (s === ELEMENT_STEP ? '[]' : s === ANY_STEP ? '[*]' : `.${s}`)).join('');
  const hit = verdictCache.get(key);
  if (hit) return hit;
  let result: { verdict: PathVerdict; failedAt?: number } = { verdict: 'impossible', failedAt: Infinity };
  for (const event of events) {
    const root = eventSchema(event);
    if (!root) {
      result = { verdict: 'unknown' };
      break;
    }
    const r = walk(alts(root), path);
    if (r.verdict !== 'impossible') {
      result = r;
      if (r.verdict === 'exists') break;
      continue;
    }
    if (result.verdict === 'impossible') result.failedAt = Math.min(result.failedAt!, r.failedAt!);
  }
  if (verdictCache.size > 5000) verdictCache.clear();
  verdictCache.set(key, result);
  return result;
}

function walk(start: Alt[], path: readonly JsonStep[]): { verdict: PathVerdict; failedAt?: number } {
  let current = start;
  for (let i = 0; i < path.length; i++) {
    const r = step(current, path[i]);
    if (r === 'unknown') return { verdict: 'unknown' };
    if (r === 'impossible') return { verdict: 'impossible', failedAt: i };
    current = r.next.flatMap((s) => alts(s));
  }
  return { verdict: 'exists' };
}
