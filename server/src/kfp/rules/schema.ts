/**
 * The IR and platform documents against the JSON Schemas generated from the protos (scripts/kfpSchemas.mjs), plus
 * what the schema subset cannot say: at most one member of a proto `oneof` (protojson rejects a second one, "oneof
 * ... is already set"), recorded in the schemas as `x-kfp-oneof`.
 *
 * Unknown keys are warnings: the IR's `deploymentSpec` and the platform executors are google.protobuf.Struct fields
 * that the backend and driver decode later, and whether each decoding discards unknown fields could not be verified
 * against upstream, so an unknown key is reported without claiming the run fails.
 */
import type { Problem } from '../../document/problem';
import type { YamlResource } from '../../document/tektonDocument';
import { getPair, isAlias, isMap, isSeq, keyName, type Node } from '../../document/yamlAst';
import type { JsonSchema, SchemaDocument } from '../../schema/jsonSchema';
import { validateAgainstSchema } from '../../schema/schemaValidator';
import { kfpSchema, type KfpSchemaName } from '../schemas';
import { at } from './problems';

export function schemaProblems(resource: YamlResource, name: KfpSchemaName): Problem[] {
  const schema = kfpSchema(name);
  const root = resource.root;
  if (!schema || !root) return [];
  const out = validateAgainstSchema(root, schema, resource.doc, resource.text);
  const ctx: Walk = { doc: schema, resource, out: [], protoNames: new Set() };
  protoRules(root, schema.root, ctx, 0);
  // A proto field name (`pipeline_info`) is accepted by protojson: not an unknown key; its value is checked above.
  return out
    .filter((p) => !(p.code === 'schema-unknown-property' && ctx.protoNames.has(p.start)))
    .concat(ctx.out)
    .map((p) => ({ ...p, source: 'kfp' as const, ...(p.code === 'schema-unknown-property' ? { severity: 'warning' as const } : {}) }));
}

type OneofSchema = JsonSchema & { 'x-kfp-oneof'?: Record<string, string[]> };

interface Walk {
  doc: SchemaDocument;
  resource: YamlResource;
  out: Problem[];
  /** Start offsets of keys written as proto field names. */
  protoNames: Set<number>;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** What the schema subset cannot say: oneofs, and proto field names (snake_case) that protojson accepts too. */
function protoRules(node: Node, raw: JsonSchema | undefined, ctx: Walk, depth: number): void {
  const schema = ctx.doc.resolve(raw) as OneofSchema | undefined;
  if (!schema || depth > 100 || isAlias(node)) return;
  if (isSeq(node)) {
    if (schema.items) for (const item of node.items) if (item) protoRules(item as Node, schema.items, ctx, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  const out = ctx.out;
  const props = schema.properties ?? {};
  const jsonName = (key: string) => (props[key] || !props[camel(key)] ? key : camel(key));
  for (const [group, members] of Object.entries(schema['x-kfp-oneof'] ?? {})) {
    const set = node.items.map((p) => keyName(p)).filter((k): k is string => k !== undefined && members.includes(jsonName(k)));
    for (const extra of set.slice(1))
      out.push(at(getPair(node, extra)!.key as Node, `"${extra}" and "${set[0]}" are both set, but only one member of the oneof "${group}" (${members.join(', ')}) may be`, 'kfp-oneof-conflict'));
  }
  for (const pair of node.items) {
    const key = keyName(pair);
    const value = pair.value as Node | null;
    if (key === undefined) continue;
    let prop: JsonSchema | undefined = props[key];
    if (!prop && props[camel(key)] && schema.additionalProperties === false) {
      prop = props[camel(key)];
      const k = pair.key as Node;
      ctx.protoNames.add(k.range?.[0] ?? -1);
      out.push(at(k, `"${key}" is the proto field name, which protojson accepts; the SDK writes "${camel(key)}"`, 'kfp-proto-field-name', 'hint'));
      if (value) out.push(...validateAgainstSchema(value, ctx.doc, ctx.resource.doc, ctx.resource.text, prop));
    }
    prop ??= typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    if (prop && value) protoRules(value, prop, ctx, depth + 1);
  }
}
