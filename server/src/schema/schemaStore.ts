import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JsonSchema, SchemaDocument } from './jsonSchema';

interface IndexEntry {
  apiVersion: string;
  kind: string;
  file: string;
}

/**
 * Finds the schema for an apiVersion + kind. Schemas are read lazily, each once: a session that only edits Tasks never
 * loads the EventListener schema.
 */
export class SchemaStore {
  private readonly entries = new Map<string, IndexEntry>();
  private readonly loaded = new Map<string, SchemaDocument | undefined>();

  constructor(private readonly dir: string = findSchemaDir()) {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexEntry[];
    for (const e of index) this.entries.set(key(e.apiVersion, e.kind), e);
  }

  /** The schema of a kind, or undefined when none exists for that exact apiVersion. */
  get(apiVersion: string, kind: string): SchemaDocument | undefined {
    const k = key(apiVersion, kind);
    if (this.loaded.has(k)) return this.loaded.get(k);
    const entry = this.entries.get(k);
    const doc = entry
      ? new SchemaDocument(JSON.parse(readFileSync(join(this.dir, entry.file), 'utf8')) as JsonSchema)
      : undefined;
    this.loaded.set(k, doc);
    return doc;
  }

  /** Every apiVersion/kind that has a schema. */
  list(): { apiVersion: string; kind: string }[] {
    return [...this.entries.values()].map(({ apiVersion, kind }) => ({ apiVersion, kind }));
  }
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

/** The `schemas/` folder beside the bundle (dist/) or the compiled sources (out/server/src/schema). */
export function findSchemaDir(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'index.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`schemas/index.json not found above ${from}`);
}
