import { Document, isMap, isSeq, Node } from 'yaml';
import { getValue, PathSegment } from '../document/yamlAst';
import { JsonSchema, SchemaDocument } from './jsonSchema';
import { validateAgainstSchema } from './schemaValidator';

/** A path step for schema navigation: a key, or `'*'`/an index for a sequence item. */
export type SchemaPathSegment = PathSegment;

/**
 * The schemas that apply at a path, following `$ref`, `allOf`, `anyOf`/`oneOf` (all alternatives, since the user may
 * be writing any of them) and `if`/`then`/`else` (decided on the YAML node at that place when there is one: the `cel`
 * interceptor's params differ from the `github` one's).
 */
export function schemasAtPath(
  schemaDoc: SchemaDocument,
  root: Node | undefined,
  path: readonly SchemaPathSegment[],
  doc?: Document.Parsed,
  text = '',
  offset?: number,
): JsonSchema[] {
  let current = expand(schemaDoc, [schemaDoc.root], root, doc, text);
  let node = root;
  for (const seg of path) {
    const next: JsonSchema[] = [];
    for (const s of current) {
      if (typeof seg === 'number' || seg === '*') {
        if (s.items) next.push(s.items);
      } else if (s.properties?.[seg]) next.push(s.properties[seg]);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') next.push(s.additionalProperties);
    }
    node = childNode(node, seg, offset);
    current = expand(schemaDoc, next, node, doc, text);
    if (current.length === 0) break;
  }
  return current;
}

/** The child at a path step; a `'*'` step is the sequence item at (or last before) `offset`. */
function childNode(node: Node | undefined, seg: SchemaPathSegment, offset: number | undefined): Node | undefined {
  if (!node) return undefined;
  if (typeof seg === 'number') return isSeq(node) ? ((node.items[seg] ?? undefined) as Node | undefined) : undefined;
  if (seg === '*') {
    if (!isSeq(node) || offset === undefined) return undefined;
    let found: Node | undefined;
    for (const item of node.items) {
      const r = (item as Node | null)?.range;
      if (r && r[0] <= offset) found = item as Node;
    }
    return found;
  }
  return isMap(node) ? getValue(node, seg) : undefined;
}

function expand(
  schemaDoc: SchemaDocument,
  schemas: JsonSchema[],
  node: Node | undefined,
  doc: Document.Parsed | undefined,
  text: string,
): JsonSchema[] {
  const out: JsonSchema[] = [];
  const visit = (raw: JsonSchema | undefined, depth: number): void => {
    const s = schemaDoc.resolve(raw);
    if (!s || depth > 16 || out.includes(s)) return;
    out.push(s);
    for (const sub of s.allOf ?? []) visit(sub, depth + 1);
    for (const sub of s.anyOf ?? []) visit(sub, depth + 1);
    for (const sub of s.oneOf ?? []) visit(sub, depth + 1);
    if (s.if) {
      if (node && doc) {
        const passes = validateAgainstSchema(node, schemaDoc, doc, text, s.if).length === 0;
        visit(passes ? s.then : s.else, depth + 1);
      } else {
        visit(s.then, depth + 1);
        visit(s.else, depth + 1);
      }
    }
  };
  for (const s of schemas) visit(s, 0);
  return out;
}

/** The first description found among schemas. */
export function describe(schemas: JsonSchema[]): string | undefined {
  for (const s of schemas) if (s.description) return s.description;
  return undefined;
}

/** Properties offered at a place, merged from all applicable schemas. */
export function propertiesOf(schemas: JsonSchema[]): Map<string, JsonSchema> {
  const props = new Map<string, JsonSchema>();
  for (const s of schemas) for (const [k, v] of Object.entries(s.properties ?? {})) if (!props.has(k)) props.set(k, v);
  return props;
}
