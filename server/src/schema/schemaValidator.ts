import { Document, isAlias, isMap, isScalar, isSeq, Node, Pair, Scalar } from 'yaml';
import { keyName } from '../document/yamlAst';
import { didYouMean, Problem } from '../document/problem';
import { JsonSchema, JsonType, SchemaDocument, schemaTypes, typeLabel } from './jsonSchema';

/** Beyond this depth a document is not validated further (5000-deep nesting must not overflow the stack). */
const MAX_DEPTH = 200;
/** Aliases resolved per document before validation stops following them (a YAML alias bomb expands exponentially). */
const MAX_ALIASES = 1000;

/**
 * The fields of the Tekton Pipelines CRDs that are `x-kubernetes-preserve-unknown-fields` islands (the schemas close
 * them, scripts/generateSchemas.mjs `island`): the API server does not check what is inside, the webhook decodes it
 * with Go's encoding/json into the Go types. So keys match case-insensitively (`workingdir` is `workingDir`) and a
 * resource quantity may be a bare JSON number (resource.Quantity.UnmarshalJSON parses `0.1`); unknown fields are
 * still rejected (the webhook decodes strictly) and wrong types still fail to decode.
 */
const DECODED_ISLANDS = new Set(['taskSpec', 'pipelineSpec', 'volumes', 'volumeClaimTemplate']);

interface Context {
  /** Tekton Triggers decodes its (schema-less) CRDs with Go's encoding/json, which matches keys case-insensitively. */
  caseInsensitiveKeys: boolean;
  /** The schema is a Tekton Pipelines one: DECODED_ISLANDS apply. */
  pipelinesIslands: boolean;
  /** Inside a decoded island (see DECODED_ISLANDS). */
  decoded: boolean;
  /**
   * The schema is a Kubeflow Pipelines one, read by protojson (Go's protojson, Python's json_format): an integer field
   * takes an integral number written `50.0`, as kfp-kubernetes writes a node affinity `weight` from a Struct. Go's
   * encoding/json, which decodes Kubernetes objects, does not.
   */
  protojson: boolean;
  schemaDoc: SchemaDocument;
  doc: Document.Parsed;
  text: string;
  aliases: number;
  aliasLimitReported: boolean;
  depthLimitReported: boolean;
}

/**
 * Validates a YAML document against a JSON schema, walking the AST so every problem carries the exact offsets of the
 * offending key or value (relative to the document's text). Never throws on user input.
 */
export function validateAgainstSchema(
  root: Node | undefined,
  schemaDoc: SchemaDocument,
  doc: Document.Parsed,
  text: string,
  schema: JsonSchema = schemaDoc.root,
  caseInsensitiveKeys = false,
): Problem[] {
  const pipelinesIslands = !caseInsensitiveKeys && !!schemaDoc.root.title?.includes('github.com/tektoncd/pipeline');
  const ctx: Context = {
    caseInsensitiveKeys,
    pipelinesIslands,
    decoded: false,
    protojson: !!schemaDoc.root.title?.startsWith('Kubeflow Pipelines'),
    schemaDoc,
    doc,
    text,
    aliases: 0,
    aliasLimitReported: false,
    depthLimitReported: false,
  };
  const out: Problem[] = [];
  if (root) validateNode(root, schema, undefined, ctx, 0, out);
  // A block collection's range runs to the start of the next line; the squiggle should end with its last character.
  for (const p of out) while (p.end > p.start + 1 && /\s/.test(text[p.end - 1])) p.end--;
  return out;
}

/** The JSON type of a YAML node as Kubernetes decodes it. */
export function yamlType(node: Node, text: string): JsonType {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return 'boolean';
    if (typeof v === 'number' || typeof v === 'bigint') {
      const src = node.range ? text.slice(node.range[0], node.range[1]) : String(v);
      return Number.isInteger(Number(v)) && !/[.eE]/.test(src) ? 'integer' : 'number';
    }
    return 'string';
  }
  return 'null';
}

function problem(node: Node | Pair['key'] | undefined, message: string, code: string): Problem {
  const r = (node as Node | undefined)?.range;
  return { start: r?.[0] ?? 0, end: r?.[1] ?? 0, message, code, severity: 'error', source: 'tekton' };
}

function validateNode(
  node: Node,
  rawSchema: JsonSchema | undefined,
  ownerKey: Node | undefined,
  ctx: Context,
  depth: number,
  out: Problem[],
  /** For an item of a list: the list's key, to name it in messages. */
  itemOf?: string,
): void {
  const schema = ctx.schemaDoc.resolve(rawSchema);
  if (!schema) return;
  if (depth > MAX_DEPTH) {
    if (!ctx.depthLimitReported) {
      ctx.depthLimitReported = true;
      out.push({ ...problem(node, `Nesting deeper than ${MAX_DEPTH} levels is not validated`, 'yaml-too-deep'), severity: 'warning' });
    }
    return;
  }
  if (isAlias(node)) {
    if (++ctx.aliases > MAX_ALIASES) {
      if (!ctx.aliasLimitReported) {
        ctx.aliasLimitReported = true;
        out.push({
          ...problem(node, `More than ${MAX_ALIASES} alias expansions: possible alias bomb, not validated further`, 'yaml-alias-limit'),
          severity: 'warning',
        });
      }
      return;
    }
    const target = node.resolve(ctx.doc) as Node | undefined;
    if (target) validateNode(target, schema, ownerKey, ctx, depth + 1, out, itemOf);
    return;
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties && !schema.items && !schema.type) return;

  const written = yamlType(node, ctx.text);
  const actual = written === 'number' && ctx.protojson && Number.isInteger(Number((node as Scalar).value)) ? 'integer' : written;
  // Kubernetes drops null fields before validation: `key:` with nothing is "unset", not a type error.
  if (actual === 'null') return;

  if (schema.allOf) for (const s of schema.allOf) validateNode(node, s, ownerKey, ctx, depth + 1, out, itemOf);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) validateAlternatives(node, alternatives, ownerKey, ctx, depth, out);
  if (schema.if) {
    const trial: Problem[] = [];
    validateNode(node, schema.if, ownerKey, ctx, depth + 1, trial);
    const branch = trial.length === 0 ? schema.then : schema.else;
    if (branch) validateNode(node, branch, ownerKey, ctx, depth + 1, out, itemOf);
  }

  const types = schemaTypes(schema);
  // resource.Quantity.UnmarshalJSON accepts a JSON number where the webhook decodes (the CRD schema would not).
  const decodedQuantity = ctx.decoded && actual === 'number' && !!schema['x-kubernetes-int-or-string'] && !!schema.pattern;
  if (types && !typeMatches(actual, types) && !decodedQuantity) {
    out.push(problem(node, `${subjectOf(ownerKey, itemOf)} must be ${typePhrase(schema)}, found ${actual}`, 'schema-type'));
    return;
  }
  // A `$(...)` variable stands for a value Tekton substitutes before its own checks (e.g. `onError: $(params.x)`).
  if (schema.enum && isScalar(node) && !isVariable(node.value) && !schema.enum.some((e) => e === (node as Scalar).value)) {
    const allowed = schema.enum.map((e) => JSON.stringify(e)).join(', ');
    out.push(problem(node, `Value ${JSON.stringify(node.value)} is not allowed; expected one of ${allowed}`, 'schema-enum'));
  }
  if (schema.const !== undefined && isScalar(node) && node.value !== schema.const)
    out.push(problem(node, `Value must be ${JSON.stringify(schema.const)}`, 'schema-enum'));

  if (isScalar(node)) validateScalar(node, schema, out);
  else if (isMap(node)) validateMap(node, schema, ownerKey, ctx, depth, out, definitionName(rawSchema));
  else if (isSeq(node)) {
    const n = node.items.length;
    if (schema.minItems !== undefined && n < schema.minItems)
      out.push(problem(ownerKey ?? node, `At least ${schema.minItems} item(s) required, found ${n}`, 'schema-items-count'));
    if (schema.maxItems !== undefined && n > schema.maxItems)
      out.push(problem(ownerKey ?? node, `At most ${schema.maxItems} item(s) allowed, found ${n}`, 'schema-items-count'));
    if (schema.items)
      for (const item of node.items)
        if (item) validateNode(item as Node, schema.items, undefined, ctx, depth + 1, out, keyText(ownerKey) ?? itemOf);
  }
}

/** `X` of a `{ $ref: '#/definitions/X' }` schema. */
function definitionName(schema: JsonSchema | undefined): string | undefined {
  return schema?.$ref?.startsWith('#/definitions/') ? schema.$ref.slice('#/definitions/'.length) : undefined;
}

/**
 * The params of a core Triggers interceptor (`CELInterceptorParam`, `GitHubInterceptorParam`...): admission accepts
 * any name, and the interceptor decodes the params it knows into its Go struct (pkg/interceptors/interceptors.go
 * UnmarshalParams), dropping the rest. A name outside the schema's enum is silently ignored: a warning.
 */
function interceptorOfParam(definition: string | undefined): string | undefined {
  const m = definition && /^(\w+)InterceptorParam$/.exec(definition);
  return m ? m[1].toLowerCase() : undefined;
}

function isVariable(value: unknown): boolean {
  return typeof value === 'string' && value.includes('$(');
}

function typeMatches(actual: JsonType, types: JsonType[]): boolean {
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

function validateScalar(node: Scalar, schema: JsonSchema, out: Problem[]): void {
  const v = node.value;
  if (typeof v === 'string') {
    const len = [...v].length;
    if (schema.minLength !== undefined && len < schema.minLength)
      out.push(problem(node, `String is shorter than the minimum length of ${schema.minLength}`, 'schema-length'));
    if (schema.maxLength !== undefined && len > schema.maxLength)
      out.push(problem(node, `String is longer than the maximum length of ${schema.maxLength}`, 'schema-length'));
    if (schema.pattern && !safeRegExp(schema.pattern)?.test(v))
      out.push(problem(node, `String does not match the pattern ${schema.pattern}`, 'schema-pattern'));
  } else if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum)
      out.push(problem(node, `Value is below the minimum of ${schema.minimum}`, 'schema-range'));
    if (schema.maximum !== undefined && v > schema.maximum)
      out.push(problem(node, `Value is above the maximum of ${schema.maximum}`, 'schema-range'));
  }
}

const regexCache = new Map<string, RegExp | undefined>();
function safeRegExp(pattern: string): RegExp | undefined {
  if (!regexCache.has(pattern)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = undefined;
    }
    regexCache.set(pattern, re);
  }
  return regexCache.get(pattern);
}

function validateMap(
  node: import('yaml').YAMLMap,
  schema: JsonSchema,
  ownerKey: Node | undefined,
  ctx: Context,
  depth: number,
  out: Problem[],
  definition?: string,
): void {
  const props = schema.properties ?? {};
  const interceptor = interceptorOfParam(definition);
  const seen = new Set<string>();
  for (const pair of node.items) {
    const name = keyName(pair);
    if (name === undefined) {
      // sigs.k8s.io/yaml converts YAML to JSON, whose object keys are strings: `{{X}}: v` or `[a]: v` cannot be applied.
      out.push(problem(pair.key as Node, 'Map keys must be strings: Kubernetes converts YAML to JSON (an unquoted {{...}} placeholder?)', 'schema-complex-key'));
      continue;
    }
    seen.add(name);
    const value = pair.value as Node | null;
    let propSchema = props[name];
    if (!propSchema && ctx.caseInsensitiveKeys) {
      const match = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
      if (match) {
        propSchema = props[match];
        seen.add(match);
        out.push({
          ...problem(pair.key as Node, `"${name}" is accepted only because Go decodes JSON keys case-insensitively; write "${match}"`, 'schema-key-case'),
          severity: 'hint',
        });
      }
    }
    if (propSchema) {
      if (!value) continue;
      const island = ctx.pipelinesIslands && !ctx.decoded && DECODED_ISLANDS.has(name);
      if (island) ctx.decoded = ctx.caseInsensitiveKeys = true;
      const found: Problem[] = [];
      validateNode(value, propSchema, pair.key as Node, ctx, depth + 1, found);
      if (island) ctx.decoded = ctx.caseInsensitiveKeys = false;
      if (interceptor && name === 'name') for (const p of found) ignoredInterceptorParam(p, value, propSchema, interceptor, ctx);
      out.push(...found);
      continue;
    }
    const extra = schema.additionalProperties;
    if (extra === false) {
      const key = pair.key as Node;
      const { hint, fixes } = didYouMean(name, Object.keys(props), key.range?.[0] ?? 0, key.range?.[1] ?? 0);
      out.push({ ...problem(key, `Property "${name}" is not allowed here${hint}`, 'schema-unknown-property'), ...(fixes && { fixes }) });
    } else if (extra && typeof extra === 'object' && value) {
      validateNode(value, extra, pair.key as Node, ctx, depth + 1, out);
    }
  }
  for (const req of schema.required ?? []) {
    if (seen.has(req)) continue;
    // Inside an island the API server checks nothing and Go's decoder leaves a missing `value` of a Param at its
    // zero value (Param.Value has no omitempty but decoding never requires a field): the run gets "" (e.g.
    // pipelines-as-code's own .tekton/generate-release.yaml passes finally-task params by name only)
    if (ctx.decoded && req === 'value' && isParamSchema(schema)) continue;
    const anchor = ownerKey ?? (node.items[0]?.key as Node | undefined) ?? node;
    out.push(problem(anchor, `Missing required property "${req}"`, 'schema-required'));
  }
}

/** Rewrites the enum error of an interceptor param's name into the warning of what happens: the param is dropped. */
function ignoredInterceptorParam(p: Problem, value: Node, propSchema: JsonSchema, interceptor: string, ctx: Context): void {
  if (p.code !== 'schema-enum' || !isScalar(value) || p.start !== value.range?.[0]) return;
  const known = (ctx.schemaDoc.resolve(propSchema)?.enum ?? []).map(String);
  const { hint, fixes } = didYouMean(String(value.value), known, value.range?.[0] ?? p.start, value.range?.[1] ?? p.end);
  p.severity = 'warning';
  p.code = 'unknown-interceptor-param';
  p.message = `The ${interceptor} interceptor reads only ${known.map((k) => `"${k}"`).join(', ')}: admission accepts "${value.value}" and the interceptor ignores it${hint}`;
  if (fixes) p.fixes = fixes;
}

/**
 * `anyOf`/`oneOf`: passes when one alternative passes. Alternatives of Tekton schemas never overlap in a way that
 * matters to an editor, so `oneOf` is checked like `anyOf`. When none passes, the errors of the closest alternative
 * (the one whose type matches, with the fewest errors) are reported: they say what to fix, a bare "no match" does not.
 */
function validateAlternatives(
  node: Node,
  alternatives: JsonSchema[],
  ownerKey: Node | undefined,
  ctx: Context,
  depth: number,
  out: Problem[],
): void {
  let best: Problem[] | undefined;
  let bestScore = Infinity;
  for (const alt of alternatives) {
    const trial: Problem[] = [];
    validateNode(node, alt, ownerKey, ctx, depth + 1, trial);
    if (trial.length === 0) return;
    const typeMismatch = trial.some((p) => p.code === 'schema-type' && p.start === node.range?.[0]);
    const score = trial.length + (typeMismatch ? 1000 : 0);
    if (score < bestScore) {
      bestScore = score;
      best = trial;
    }
  }
  if (best) out.push(...best);
}

/** What a type message is about: `retries`, an item of `args`, or (at the top) the value. */
function subjectOf(ownerKey: Node | undefined, itemOf: string | undefined): string {
  const key = keyText(ownerKey);
  if (key !== undefined) return `\`${key}\``;
  return itemOf !== undefined ? `Each item of \`${itemOf}\`` : 'The value';
}

function keyText(key: Node | undefined): string | undefined {
  return key && isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined;
}

/** A schema's type as a person says it: "an integer", "a string or an integer", "a list of strings". */
function typePhrase(schema: JsonSchema): string {
  const types = schemaTypes(schema) ?? [];
  const one = (t: string): string => {
    switch (t) {
      case 'string':
        return 'a string';
      case 'integer':
        return 'an integer';
      case 'number':
        return 'a number';
      case 'boolean':
        return 'true or false';
      case 'object':
        return 'a map';
      case 'array': {
        const inner = schema.items?.type;
        return typeof inner === 'string' && inner !== 'object' && inner !== 'array' ? `a list of ${inner}s` : 'a list';
      }
      default:
        return t;
    }
  };
  return types.length ? types.map(one).join(' or ') : typeLabel(schema);
}

/** A Param (`{name, value}` of a ParamList), as the generated schemas describe it. */
function isParamSchema(schema: JsonSchema): boolean {
  const props = schema.properties;
  return !!props && Object.keys(props).length === 2 && !!props.name && !!props.value && /^Param\b/.test(schema.description ?? '');
}
