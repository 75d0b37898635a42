#!/usr/bin/env node
// Generates the JSON Schemas of Kubeflow Pipelines' compiled pipeline YAML (the IR) from the upstream protos:
//   schemas/kfp/PipelineSpec.json   the first document (ml_pipelines.PipelineSpec)
//   schemas/kfp/PlatformSpec.json   the optional second document (ml_pipelines.PlatformSpec, `platforms: kubernetes:`),
//                                   its executors typed as kfp_kubernetes.KubernetesExecutorConfig
//
//   node scripts/kfpSchemas.mjs [<reference-dir>]   default: ../shared/data/kfp/reference
//
// Run by hand; the output is committed. A small proto3 reader (messages, nested messages, enums, oneofs, maps,
// repeated/optional fields, comments) is enough for these two files. Mapping (protojson):
//   - keys are the proto JSON names (lowerCamelCase of the field name, or `json_name`);
//   - messages are objects with `additionalProperties: false` (the language server reports unknown keys as warnings);
//   - map<K, V> is an object with `additionalProperties: V`; repeated is an array;
//   - enums are string enums of their value names; 32/64-bit integers accept numbers and strings (protojson does);
//     float/double accept numbers and strings ("NaN", "Infinity"); bytes and string are strings;
//   - google.protobuf.Value/Struct/ListValue are any JSON (Struct: any object); Duration is a string ("3.5s");
//   - a oneof's members are properties like any other, grouped under `x-kfp-oneof` for the rules;
//   - the comment above a field, message or enum becomes its `description`.
// Two fields the IR declares as google.protobuf.Struct are typed by what the backend decodes them into:
// PipelineSpec.deploymentSpec (PipelineDeploymentConfig) and the platform executors (KubernetesExecutorConfig).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const refDir = process.argv[2] ?? join(repo, '..', 'shared', 'data', 'kfp', 'reference');
const outDir = join(repo, 'schemas', 'kfp');

/** Tokens of a proto file; comments kept as tokens so they can become descriptions. */
function tokenize(src) {
  const tokens = [];
  const re = /\s+|\/\/([^\n]*)|\/\*([\s\S]*?)\*\/|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([A-Za-z_][\w.]*|\.[A-Za-z_][\w.]*)|(-?\d[\w.]*)|([{}<>;=,[\]()])/y;
  let m;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    m = re.exec(src);
    if (!m) throw new Error(`cannot tokenize at ${src.slice(pos, pos + 40)}`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'comment', v: m[1].replace(/^ ?/, '') });
    else if (m[2] !== undefined) tokens.push({ t: 'comment', v: m[2].replace(/^\s*\*?\s?/gm, '').trim() });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ t: 'string', v: m[3] ?? m[4] });
    else if (m[5] !== undefined) tokens.push({ t: 'ident', v: m[5] });
    else if (m[6] !== undefined) tokens.push({ t: 'number', v: m[6] });
    else if (m[7] !== undefined) tokens.push({ t: 'punct', v: m[7] });
    else if (/\n\s*\n/.test(m[0])) tokens.push({ t: 'blank' });
  }
  return tokens;
}

/** Parses a proto file into { package, messages: Map<fullName, msg>, enums: Map<fullName, enum> }. */
function parseProto(src) {
  const tokens = tokenize(src);
  let i = 0;
  let pending = [];
  const out = { package: '', messages: new Map(), enums: new Map() };
  const next = () => {
    for (;;) {
      const tok = tokens[i++];
      if (!tok) return undefined;
      if (tok.t === 'comment') pending.push(tok.v);
      else if (tok.t === 'blank') pending = [];
      else return tok;
    }
  };
  const peek = () => {
    const save = i;
    const savePending = pending;
    pending = [...pending];
    const tok = next();
    i = save;
    pending = savePending;
    return tok;
  };
  const take = () => {
    const d = pending.join('\n').trim();
    pending = [];
    return d || undefined;
  };
  const expect = (v) => {
    const tok = next();
    if (!tok || tok.v !== v) throw new Error(`expected ${v}, got ${tok?.v}`);
  };
  const skipStatement = () => {
    let depth = 0;
    for (let tok = next(); tok; tok = next()) {
      if (tok.v === '{') depth++;
      else if (tok.v === '}') depth--;
      if (depth === 0 && (tok.v === ';' || tok.v === '}')) return;
    }
  };
  /** `[deprecated = true, json_name = "x"]` after a field number. */
  const fieldOptions = () => {
    const opts = {};
    if (peek()?.v !== '[') return opts;
    next();
    for (let tok = next(); tok && tok.v !== ']'; tok = next()) {
      if (tok.t === 'ident' && peek()?.v === '=') {
        next();
        const value = next();
        opts[tok.v] = value.v;
      }
    }
    return opts;
  };
  const parseField = (msg, oneof, first) => {
    const description = take();
    let label;
    let tok = first;
    if (tok.v === 'repeated' || tok.v === 'optional') {
      label = tok.v;
      tok = next();
    }
    let type;
    let mapKey;
    if (tok.v === 'map') {
      expect('<');
      mapKey = next().v;
      expect(',');
      type = next().v;
      expect('>');
    } else type = tok.v;
    const name = next().v;
    expect('=');
    next();
    const opts = fieldOptions();
    expect(';');
    msg.fields.push({ name, jsonName: opts.json_name ?? camel(name), type, label, mapKey, oneof, description, deprecated: opts.deprecated === 'true' });
  };
  const parseEnum = (scope) => {
    const description = take();
    const name = next().v;
    expect('{');
    const values = [];
    for (let tok = next(); tok && tok.v !== '}'; tok = next()) {
      if (tok.v === 'option' || tok.v === 'reserved') {
        i--;
        skipStatement();
        take();
        continue;
      }
      values.push(tok.v);
      skipStatement();
      take();
    }
    out.enums.set(`${scope}.${name}`, { name, description, values });
  };
  const parseMessage = (scope) => {
    const description = take();
    const name = next().v;
    const full = `${scope}.${name}`;
    const msg = { name, full, description, fields: [], oneofs: {} };
    out.messages.set(full, msg);
    expect('{');
    const body = (oneof) => {
      for (let tok = next(); tok && tok.v !== '}'; tok = next()) {
        if (tok.v === 'message') parseMessage(full);
        else if (tok.v === 'enum') parseEnum(full);
        else if (tok.v === 'option' || tok.v === 'reserved' || tok.v === 'extensions') {
          i--;
          skipStatement();
          take();
        } else if (tok.v === 'oneof') {
          const oneofName = next().v;
          take();
          msg.oneofs[camel(oneofName)] = [];
          expect('{');
          body(camel(oneofName));
        } else if (tok.v === ';') continue;
        else parseField(msg, oneof, tok);
      }
    };
    body(undefined);
  };
  for (let tok = next(); tok; tok = next()) {
    if (tok.v === 'package') {
      out.package = next().v;
      expect(';');
    } else if (tok.v === 'message') parseMessage(out.package);
    else if (tok.v === 'enum') parseEnum(out.package);
    else if (tok.v === 'syntax' || tok.v === 'import' || tok.v === 'option') skipStatement();
    take();
  }
  for (const msg of out.messages.values())
    for (const f of msg.fields) if (f.oneof) msg.oneofs[f.oneof].push(f.jsonName);
  return out;
}

function camel(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

const WELL_KNOWN = {
  'google.protobuf.Value': () => ({ description: 'Any JSON value (google.protobuf.Value).' }),
  'google.protobuf.Struct': () => ({ type: 'object', description: 'Any JSON object (google.protobuf.Struct).' }),
  'google.protobuf.ListValue': () => ({ type: 'array', description: 'Any JSON array (google.protobuf.ListValue).' }),
  'google.protobuf.Duration': () => ({ type: 'string', description: 'A duration in seconds with an "s" suffix, e.g. "3.5s".' }),
  'google.rpc.Status': () => ({ type: 'object', description: 'A google.rpc.Status.' }),
};
const SCALARS = {
  string: { type: 'string' },
  bytes: { type: 'string' },
  bool: { type: 'boolean' },
  double: { type: ['number', 'string'] },
  float: { type: ['number', 'string'] },
};
for (const t of ['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64'])
  SCALARS[t] = { type: ['integer', 'string'] };

/**
 * Builds one self-contained schema: `root` is the message's full name, `overrides` maps `Message.jsonField` to a
 * replacement value schema (for maps: of the values).
 */
function buildSchema(protos, root, overrides, title) {
  const messages = new Map();
  const enums = new Map();
  for (const p of protos) {
    for (const [k, v] of p.messages) messages.set(k, v);
    for (const [k, v] of p.enums) enums.set(k, v);
  }
  const definitions = {};
  const defName = (full) => full.replace(/^(ml_pipelines|kfp_kubernetes)\./, '');
  /** Resolves a type name as protoc does: from the innermost scope outwards. */
  const resolve = (type, scope) => {
    if (type.startsWith('.')) type = type.slice(1);
    const parts = scope.split('.');
    for (let n = parts.length; n >= 0; n--) {
      const candidate = [...parts.slice(0, n), type].join('.');
      if (messages.has(candidate)) return { kind: 'message', full: candidate };
      if (enums.has(candidate)) return { kind: 'enum', full: candidate };
    }
    for (const p of ['ml_pipelines', 'kfp_kubernetes']) {
      if (messages.has(`${p}.${type}`)) return { kind: 'message', full: `${p}.${type}` };
      if (enums.has(`${p}.${type}`)) return { kind: 'enum', full: `${p}.${type}` };
    }
    return undefined;
  };
  const typeSchema = (type, scope) => {
    if (SCALARS[type]) return { ...SCALARS[type] };
    if (WELL_KNOWN[type]) return WELL_KNOWN[type]();
    const r = resolve(type, scope);
    if (!r) throw new Error(`unknown type ${type} in ${scope}`);
    addDefinition(r);
    return { $ref: `#/definitions/${defName(r.full)}` };
  };
  const addDefinition = (r) => {
    const name = defName(r.full);
    if (definitions[name]) return;
    if (r.kind === 'enum') {
      const e = enums.get(r.full);
      definitions[name] = { type: 'string', enum: e.values, ...(e.description ? { description: e.description } : {}) };
      return;
    }
    const msg = messages.get(r.full);
    const def = { type: 'object', properties: {}, additionalProperties: false };
    if (msg.description) def.description = msg.description;
    definitions[name] = def;
    for (const f of msg.fields) {
      const override = overrides[`${name}.${f.jsonName}`];
      let value = override ?? typeSchema(f.type, msg.full);
      if (override?.$ref) addDefinition(resolve(override.$ref.split('/').pop(), 'ml_pipelines') ?? resolve(override.$ref.split('/').pop(), 'kfp_kubernetes'));
      let prop;
      if (f.mapKey) prop = { type: 'object', additionalProperties: value };
      else if (f.label === 'repeated') prop = { type: 'array', items: value };
      else prop = value;
      let description = f.description ?? '';
      if (f.oneof) description += `${description ? '\n\n' : ''}One of ${msg.oneofs[f.oneof].map((n) => `\`${n}\``).join(', ')}.`;
      if (f.deprecated) description += `${description ? '\n\n' : ''}Deprecated.`;
      if (description) prop = prop.$ref ? { $ref: prop.$ref, description } : { ...prop, description };
      def.properties[f.jsonName] = prop;
    }
    const groups = Object.entries(msg.oneofs).filter(([, members]) => members.length > 1);
    if (groups.length) def['x-kfp-oneof'] = Object.fromEntries(groups);
  };
  const r = resolve(root, '');
  addDefinition(r);
  const rootName = defName(r.full);
  const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  return { title, $ref: `#/definitions/${rootName}`, definitions: sorted };
}

const pipelineProto = parseProto(readFileSync(join(refDir, 'pipeline_spec.proto'), 'utf8').replace(/\r\n/g, '\n'));
const kubernetesProto = parseProto(readFileSync(join(refDir, 'kubernetes_executor_config.proto'), 'utf8').replace(/\r\n/g, '\n'));

const pipelineSpec = buildSchema([pipelineProto], 'ml_pipelines.PipelineSpec', {
  'PipelineSpec.deploymentSpec': { $ref: '#/definitions/PipelineDeploymentConfig' },
}, 'Kubeflow Pipelines compiled pipeline (PipelineSpec)');
const platformSpec = buildSchema([pipelineProto, kubernetesProto], 'ml_pipelines.PlatformSpec', {
  'PlatformDeploymentConfig.executors': { $ref: '#/definitions/KubernetesExecutorConfig' },
}, 'Kubeflow Pipelines platform spec (PlatformSpec, kfp-kubernetes)');

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'PipelineSpec.json'), JSON.stringify(pipelineSpec, null, 2) + '\n');
writeFileSync(join(outDir, 'PlatformSpec.json'), JSON.stringify(platformSpec, null, 2) + '\n');
console.log(`schemas/kfp: PipelineSpec.json (${Object.keys(pipelineSpec.definitions).length} definitions), PlatformSpec.json (${Object.keys(platformSpec.definitions).length} definitions)`);
