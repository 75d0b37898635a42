/**
 * The JSON Schema subset the schemas in `schemas/` use (see schemas/README.md); the validator, completion and hover
 * understand exactly these keywords.
 */
export interface JsonSchema {
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  title?: string;
  description?: string;
  default?: unknown;
  format?: string;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** A schema file: the root schema and the definitions its `$ref`s point into. */
export class SchemaDocument {
  constructor(readonly root: JsonSchema) {}

  /** Follows `$ref` chains (local `#/definitions/X` only). */
  resolve(schema: JsonSchema | undefined): JsonSchema | undefined {
    let s = schema;
    for (let i = 0; s?.$ref && i < 32; i++) {
      const name = s.$ref.startsWith('#/definitions/') ? s.$ref.slice('#/definitions/'.length) : undefined;
      const target = name !== undefined ? this.root.definitions?.[decodeURIComponent(name)] : undefined;
      if (!target) return undefined;
      // A `$ref` with siblings (a description, say) keeps them over the target's.
      const { $ref: _ref, ...siblings } = s;
      s = Object.keys(siblings).length ? { ...target, ...siblings, $ref: target.$ref } : target;
    }
    return s;
  }
}

/** The types a schema admits, `x-kubernetes-int-or-string` folded in. */
export function schemaTypes(schema: JsonSchema): JsonType[] | undefined {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** A short human label for a schema's type, for hover and messages. */
export function typeLabel(schema: JsonSchema): string {
  const types = schemaTypes(schema);
  if (!types) return schema.enum ? 'enum' : 'any';
  return types
    .map((t) => {
      if (t === 'array' && schema.items) {
        const inner = schema.items.type ?? (schema.items.$ref ? schema.items.$ref.split('/').pop() : undefined);
        return inner && !Array.isArray(inner) ? `${inner}[]` : 'array';
      }
      return t;
    })
    .join(' | ');
}
