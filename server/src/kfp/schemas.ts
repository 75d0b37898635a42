/**
 * The JSON Schemas of the IR and of the platform spec, generated from the upstream protos by scripts/kfpSchemas.mjs
 * into schemas/kfp/ (committed). Read lazily, each once per process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaDocument, type JsonSchema } from '../schema/jsonSchema';
import { findSchemaDir } from '../schema/schemaStore';

export type KfpSchemaName = 'PipelineSpec' | 'PlatformSpec';

const loaded = new Map<KfpSchemaName, SchemaDocument | undefined>();

/** The schema of a KFP document kind, or undefined when schemas/kfp is missing (never throws). */
export function kfpSchema(name: KfpSchemaName): SchemaDocument | undefined {
  if (!loaded.has(name)) {
    let doc: SchemaDocument | undefined;
    try {
      doc = new SchemaDocument(JSON.parse(readFileSync(join(findSchemaDir(), 'kfp', `${name}.json`), 'utf8')) as JsonSchema);
    } catch {
      doc = undefined;
    }
    loaded.set(name, doc);
  }
  return loaded.get(name);
}
