/**
 * What the request body of a Triggers event looks like, for completion and hover of `body.` paths: the GitHub webhook
 * JSON Schemas (`@octokit/webhooks-schemas`, one schema per event) for the event types a trigger declares, and the
 * shape of a sample payload the user picked.
 *
 * A path into the body is a list of steps: a field name, or `[]` for "any element of a list" (`body.commits[0]`,
 * `body.commits.first()` and the variable of `body.commits.exists(c, …)` all step into the elements).
 */

/** Step into the elements of a list. */
export const ELEMENT = '[]';

/** A path into a JSON value: field names and `[]` steps. */
export type BodyPath = readonly string[];

/** A field of the JSON object at some path. */
export interface BodyField {
  name: string;
  /** JSON types the field holds (`string`, `integer`, `number`, `boolean`, `object`, `array`, `null`), when known. */
  jsonTypes: string[];
  description?: string;
  /** Where the field is known from: event names (`push`), or `sample payload`. */
  sources: string[];
  /** An example value (from a sample payload), already printed as JSON and shortened. */
  example?: string;
}

/** The known structure of a JSON value: the fields of the object found at a path. */
export interface BodyShape {
  /** Fields of the object(s) at `path`; [] when nothing is known there. */
  fieldsAt(path: BodyPath): BodyField[];
  /** What is known about the value at `path` itself (its last step); undefined for the root or unknown paths. */
  fieldAt(path: BodyPath): BodyField | undefined;
}

/** JSON-types → the CEL type the value has at run time (JSON numbers are doubles in Tekton's CEL). */
export function celTypeOfJson(jsonTypes: readonly string[]): string | undefined {
  const names = [...new Set(jsonTypes.map((t) => JSON_TO_CEL[t] ?? 'dyn'))];
  return names.length ? names.join(' | ') : undefined;
}

const JSON_TO_CEL: Record<string, string> = {
  string: 'string',
  integer: 'double',
  number: 'double',
  boolean: 'bool',
  object: 'map(string, dyn)',
  array: 'list(dyn)',
  null: 'null_type',
};

// ---------------------------------------------------------------------------------------------------------
// GitHub webhook schemas

interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  title?: string;
}

export interface SchemaBundle {
  definitions: Record<string, Schema>;
}

let bundle: SchemaBundle | null | undefined;

/**
 * The octokit bundle, loaded on first use (0.6 MB of JSON: ~10 ms to parse) and kept. The bundler inlines the
 * package, so this works the same from `out/` and from the packaged `dist/server.js`.
 */
export function githubBundle(): SchemaBundle | undefined {
  if (bundle === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      bundle = require('@octokit/webhooks-schemas') as SchemaBundle;
    } catch {
      bundle = null;
    }
  }
  return bundle ?? undefined;
}

let eventNames: string[] | undefined;

/** Every GitHub webhook event name the schemas describe (`push`, `pull_request`, …), sorted. */
export function githubEventNames(): string[] {
  if (!eventNames) {
    const defs = githubBundle()?.definitions ?? {};
    eventNames = Object.keys(defs)
      .map((k) => /^(.*?)(?:_event|\$event)$/.exec(k)?.[1])
      .filter((n): n is string => !!n)
      .sort();
  }
  return eventNames;
}

function eventSchema(event: string): Schema | undefined {
  const defs = githubBundle()?.definitions;
  if (!defs) return undefined;
  return defs[`${event}_event`] ?? defs[`${event}$event`];
}

/** Follows `$ref`s and combinators to the object/array schemas a value may match. */
function flatten(schema: Schema | undefined, out: Schema[], seen: Set<Schema>, depth = 0): void {
  if (!schema || seen.has(schema) || depth > 32) return;
  seen.add(schema);
  if (schema.$ref) {
    const m = /^#\/definitions\/(.+)$/.exec(schema.$ref);
    const target = m ? githubBundle()?.definitions[m[1]] : undefined;
    flatten(target, out, seen, depth + 1);
    // A `$ref` with a sibling description (rare in these schemas) still describes the value.
  }
  for (const alt of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])]) flatten(alt, out, seen, depth + 1);
  if (schema.properties || schema.items || schema.type) out.push(schema);
}

function flattenAll(schemas: Schema[]): Schema[] {
  const out: Schema[] = [];
  const seen = new Set<Schema>();
  for (const s of schemas) flatten(s, out, seen);
  return out;
}

function typesOf(schemas: Schema[]): string[] {
  const types = new Set<string>();
  for (const s of schemas) {
    if (Array.isArray(s.type)) s.type.forEach((t) => types.add(t));
    else if (s.type) types.add(s.type);
    else if (s.properties) types.add('object');
  }
  return [...types];
}

function descriptionOf(schemas: Schema[]): string | undefined {
  for (const s of schemas) if (s.description) return s.description;
  return undefined;
}

/** The schemas of the value one step below `schemas`. */
function step(schemas: Schema[], name: string): Schema[] {
  const next: Schema[] = [];
  for (const s of schemas) {
    if (name === ELEMENT) {
      if (Array.isArray(s.items)) next.push(...s.items);
      else if (s.items) next.push(s.items);
    } else {
      const p = s.properties?.[name];
      if (p) next.push(p);
      else if (typeof s.additionalProperties === 'object') next.push(s.additionalProperties);
    }
  }
  return flattenAll(next);
}

/** The schema-backed shape of the body of the given GitHub events (unknown events are ignored). */
class GitHubShape implements BodyShape {
  private readonly fieldCache = new Map<string, BodyField[]>();
  private readonly roots: { event: string; schemas: Schema[] }[];

  constructor(events: readonly string[]) {
    this.roots = [...new Set(events)].sort().flatMap((event) => {
      const s = eventSchema(event);
      return s ? [{ event, schemas: flattenAll([s]) }] : [];
    });
  }

  get empty(): boolean {
    return this.roots.length === 0;
  }

  /** Per event, the schemas at `path`. */
  private resolve(path: BodyPath): { event: string; schemas: Schema[] }[] {
    return this.roots.map(({ event, schemas }) => {
      let cur = schemas;
      for (const seg of path) {
        if (cur.length === 0) break;
        cur = step(cur, seg);
      }
      return { event, schemas: cur };
    });
  }

  fieldsAt(path: BodyPath): BodyField[] {
    const key = path.join('\u0000');
    const hit = this.fieldCache.get(key);
    if (hit) return hit;
    const byName = new Map<string, { types: Set<string>; description?: string; sources: string[] }>();
    for (const { event, schemas } of this.resolve(path)) {
      const seenHere = new Set<string>();
      for (const s of schemas) {
        for (const [name, raw] of Object.entries(s.properties ?? {})) {
          const prop = flattenAll([raw]);
          let f = byName.get(name);
          if (!f) byName.set(name, (f = { types: new Set(), sources: [] }));
          typesOf(prop).forEach((t) => f!.types.add(t));
          f.description ??= raw.description ?? descriptionOf(prop);
          if (!seenHere.has(name)) {
            seenHere.add(name);
            f.sources.push(event);
          }
        }
      }
    }
    const fields = [...byName.entries()].map(([name, f]) => ({ name, jsonTypes: [...f.types], description: f.description, sources: f.sources }));
    this.fieldCache.set(key, fields);
    return fields;
  }

  fieldAt(path: BodyPath): BodyField | undefined {
    if (path.length === 0) return undefined;
    const last = path[path.length - 1];
    if (last === ELEMENT) {
      const schemasPerEvent = this.resolve(path).filter((r) => r.schemas.length);
      if (!schemasPerEvent.length) return undefined;
      const all = schemasPerEvent.flatMap((r) => r.schemas);
      return { name: ELEMENT, jsonTypes: typesOf(all), description: descriptionOf(all), sources: schemasPerEvent.map((r) => r.event) };
    }
    return this.fieldsAt(path.slice(0, -1)).find((f) => f.name === last);
  }
}

const shapeCache = new Map<string, GitHubShape>();

/**
 * The body shape of GitHub webhook deliveries of the given event types (`push`, `pull_request`, …), from the octokit
 * schemas. Shapes are cached per set of events, so repeated completions only walk the schemas once per path.
 */
export function githubBodyShape(events: readonly string[]): BodyShape | undefined {
  const key = [...new Set(events)].sort().join(',');
  let shape = shapeCache.get(key);
  if (!shape) {
    shape = new GitHubShape(events);
    if (shapeCache.size > 64) shapeCache.clear();
    shapeCache.set(key, shape);
  }
  return shape.empty ? undefined : shape;
}

// ---------------------------------------------------------------------------------------------------------
// Sample payloads

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function example(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') {
    const s = JSON.stringify(v);
    return s === undefined ? undefined : s.length > 80 ? `${s.slice(0, 77)}…` : s;
  }
  return undefined;
}

/** The shape of a concrete JSON value (a sample webhook payload). Lists are looked into through their first elements. */
class SampleShape implements BodyShape {
  constructor(private readonly root: unknown) {}

  private valuesAt(path: BodyPath): unknown[] {
    let cur: unknown[] = [this.root];
    for (const seg of path) {
      const next: unknown[] = [];
      for (const v of cur) {
        if (seg === ELEMENT) {
          if (Array.isArray(v)) next.push(...v.slice(0, 20));
        } else if (v && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, seg)) {
          next.push((v as Record<string, unknown>)[seg]);
        }
      }
      cur = next;
      if (!cur.length) break;
    }
    return cur;
  }

  fieldsAt(path: BodyPath): BodyField[] {
    const byName = new Map<string, BodyField>();
    for (const v of this.valuesAt(path)) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
      for (const [name, value] of Object.entries(v)) {
        const f = byName.get(name);
        const t = jsonType(value);
        if (!f) byName.set(name, { name, jsonTypes: [t], sources: ['sample payload'], example: example(value) });
        else if (!f.jsonTypes.includes(t)) f.jsonTypes.push(t);
      }
    }
    return [...byName.values()];
  }

  fieldAt(path: BodyPath): BodyField | undefined {
    if (path.length === 0) return undefined;
    const values = this.valuesAt(path);
    if (!values.length) return undefined;
    return {
      name: path[path.length - 1],
      jsonTypes: [...new Set(values.map(jsonType))],
      sources: ['sample payload'],
      example: example(values[0]),
    };
  }
}

/** The shape of a sample payload (any JSON value; objects are what completion looks into). */
export function sampleBodyShape(sample: unknown): BodyShape | undefined {
  return sample !== undefined ? new SampleShape(sample) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Combining

/** Combines shapes: a field known to several is listed once, with the first description and every source. */
export function mergeShapes(shapes: readonly (BodyShape | undefined)[]): BodyShape | undefined {
  const list = shapes.filter((s): s is BodyShape => !!s);
  if (list.length <= 1) return list[0];
  return {
    fieldsAt(path) {
      const byName = new Map<string, BodyField>();
      for (const s of list)
        for (const f of s.fieldsAt(path)) {
          const prev = byName.get(f.name);
          byName.set(f.name, prev ? mergeField(prev, f) : { ...f, jsonTypes: [...f.jsonTypes], sources: [...f.sources] });
        }
      return [...byName.values()];
    },
    fieldAt(path) {
      let out: BodyField | undefined;
      for (const s of list) {
        const f = s.fieldAt(path);
        if (f) out = out ? mergeField(out, f) : { ...f, jsonTypes: [...f.jsonTypes], sources: [...f.sources] };
      }
      return out;
    },
  };
}

function mergeField(a: BodyField, b: BodyField): BodyField {
  return {
    name: a.name,
    jsonTypes: [...new Set([...a.jsonTypes, ...b.jsonTypes])],
    description: a.description ?? b.description,
    sources: [...new Set([...a.sources, ...b.sources])],
    example: a.example ?? b.example,
  };
}
