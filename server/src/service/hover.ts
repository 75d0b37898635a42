import { TektonDocument } from '../document/tektonDocument';
import { isScalar } from '../document/yamlAst';
import { typeLabel } from '../schema/jsonSchema';
import { schemasAtPath } from '../schema/schemaNavigator';
import { SchemaStore } from '../schema/schemaStore';
import type { HoverResult } from '../document/proposals';


/** Describes the field under the cursor: its name, type, allowed values and the schema's description. */
export function doHover(doc: TektonDocument, offset: number, store: SchemaStore): HoverResult | undefined {
  if (doc.skippedReason) return undefined;
  const loc = doc.locate(offset);
  if (!loc || !loc.resource.isTekton || !loc.resource.kindInfo?.isServed || loc.path.length === 0) return undefined;
  const onScalar = loc.node && isScalar(loc.node);
  if (!loc.onKey && !onScalar) return undefined;
  const { resource } = loc;
  const schemaDoc = store.get(resource.apiVersion!, resource.kind!);
  if (!schemaDoc) return undefined;
  const schemas = schemasAtPath(schemaDoc, resource.root, loc.path, resource.doc, resource.text);
  if (schemas.length === 0) return undefined;
  const field = [...loc.path].reverse().find((s) => typeof s === 'string') as string | undefined;
  const main = schemas.find((s) => s.description) ?? schemas[0];
  const lines = [`**${field ?? resource.kind}**: \`${typeLabel(schemas.find((s) => s.type || s.enum) ?? main)}\``];
  const values = schemas.flatMap((s) => s.enum ?? []);
  if (values.length) lines.push(`Allowed: ${values.map((v) => `\`${String(v)}\``).join(', ')}`);
  const def = schemas.find((s) => s.default !== undefined)?.default;
  if (def !== undefined) lines.push(`Default: \`${JSON.stringify(def)}\``);
  if (main.description) lines.push('', main.description);
  const range = loc.node?.range ?? (loc.pair?.key as { range?: number[] } | undefined)?.range;
  if (!range) return undefined;
  return { markdown: lines.join('\n'), start: loc.base + range[0], end: loc.base + range[1] };
}
