#!/usr/bin/env node
// Checks the schemas in schemas/ and validates real Tekton YAML files against them.
//
// Usage:
//   node scripts/checkSchemas.mjs                 # self-check of schemas/ + the default corpus
//   node scripts/checkSchemas.mjs <file|dir>...   # self-check + the given YAML files / folders
//   options: --quiet (summary only), --max <n> (errors printed per file, default 20)
//
// Default corpus (needs the read-only data folder next to the repository):
//   ../shared/data/catalog/{task,pipeline,stepaction}/<name>/<version>/<name>.yaml
//   ../shared/data/triggers-examples/**/*.y?ml
// Only documents whose apiVersion group ends in "tekton.dev" are validated.
//
// The validator below implements exactly the JSON Schema subset the language server supports
// (see schemas/README.md) and is strict: an unknown keyword in a schema is an error.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaRoot = join(repoRoot, 'schemas');
const dataRoot = resolve(repoRoot, '../shared/data');

const SUPPORTED = new Set([
  '$ref', 'definitions', 'type', 'properties', 'additionalProperties', 'required', 'enum', 'const', 'items',
  'oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', 'description', 'default', 'format', 'pattern', 'minItems',
  'maxItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields', 'title',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'null']);

// ---------------------------------------------------------------------------------------------
// Schema self-check

function checkSchemaFile(file, schema) {
  const problems = [];
  const defs = schema.definitions ?? {};
  const visit = (node, at, isRoot, partial = false) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push(`${at}: schema must be an object`);
      return;
    }
    for (const k of Object.keys(node)) if (!SUPPORTED.has(k)) problems.push(`${at}: unsupported keyword "${k}"`);
    if (node.definitions && !isRoot) problems.push(`${at}: definitions only allowed at top level`);
    if (node.$ref !== undefined) {
      const m = /^#\/definitions\/([^/]+)$/.exec(node.$ref);
      if (!m || !defs[m[1]]) problems.push(`${at}: unresolved $ref ${node.$ref}`);
      const extra = Object.keys(node).filter((k) => !['$ref', 'description', 'title', 'default'].includes(k));
      if (extra.length) problems.push(`${at}: $ref with sibling keywords ${extra.join(',')}`);
    }
    if (node.type !== undefined) {
      const ts = Array.isArray(node.type) ? node.type : [node.type];
      for (const t of ts) if (!TYPES.has(t)) problems.push(`${at}: bad type ${t}`);
    }
    if (!partial && node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
      problems.push(`${at}: properties without additionalProperties`);
    }
    if (node.required && !Array.isArray(node.required)) problems.push(`${at}: required must be an array`);
    if (node.items !== undefined && (typeof node.items !== 'object' || Array.isArray(node.items))) problems.push(`${at}: items must be one schema`);
    if (node.pattern !== undefined) {
      try {
        new RegExp(node.pattern, 'u');
      } catch (e) {
        problems.push(`${at}: bad pattern ${node.pattern}: ${e.message}`);
      }
    }
    // Sub-schemas of if/then/else and allOf/anyOf/oneOf are partial constraints (no additionalProperties needed).
    for (const [k, v] of Object.entries(node.properties ?? {})) visit(v, `${at}/properties/${k}`, false, partial);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${at}/additionalProperties`, false, partial);
    if (node.items && typeof node.items === 'object') visit(node.items, `${at}/items`, false, partial);
    for (const c of ['oneOf', 'anyOf', 'allOf']) (node[c] ?? []).forEach((s, i) => visit(s, `${at}/${c}/${i}`, false, true));
    for (const c of ['if', 'then', 'else']) if (node[c]) visit(node[c], `${at}/${c}`, false, true);
    if (isRoot) for (const [k, v] of Object.entries(defs)) visit(v, `#/definitions/${k}`);
  };
  visit(schema, '#', true);
  // Unused definitions are not an error but worth knowing.
  const text = JSON.stringify(schema);
  for (const k of Object.keys(defs)) if (!text.includes(`"#/definitions/${k}"`)) problems.push(`#/definitions/${k}: unused definition`);
  return problems.map((p) => `${file}: ${p}`);
}

// ---------------------------------------------------------------------------------------------
// Validator for the subset

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}
function typeMatches(t, v) {
  const actual = typeOf(v);
  return t === actual || (t === 'number' && actual === 'integer');
}
function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validate(value, schema, root, path, errors) {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/definitions/', '');
    return validate(value, root.definitions[name], root, path, errors);
  }
  const before = errors.length;
  const err = (msg) => errors.push({ path: path || '/', msg });

  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || Number.isInteger(value))) err(`expected integer or string, got ${typeOf(value)}`);
  }
  if (schema.type !== undefined) {
    const ts = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!ts.some((t) => typeMatches(t, value))) {
      err(`expected ${ts.join('|')}, got ${typeOf(value)}${typeof value === 'object' ? '' : ` (${JSON.stringify(value)})`}`);
      return false;
    }
  }
  if (schema.const !== undefined && !deepEqual(schema.const, value)) err(`expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) err(`value ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) err(`"${value}" does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && [...value].length < schema.minLength) err(`shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) err(`longer than ${schema.maxLength}`);
    if (schema.format === 'date-time' && !DATE_TIME.test(value)) err(`"${value}" is not a date-time`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) err(`${value} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) err(`${value} > maximum ${schema.maximum}`);
  }
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) err(`fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) err(`more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => validate(v, schema.items, root, `${path}/${i}`, errors));
  } else if (value && typeof value === 'object') {
    for (const r of schema.required ?? []) if (!(r in value)) err(`missing required property "${r}"`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties && k in schema.properties) validate(v, schema.properties[k], root, `${path}/${k}`, errors);
      else if (schema.additionalProperties === false && !preserve) errors.push({ path: `${path}/${k}`, msg: `unknown property "${k}"` });
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') validate(v, schema.additionalProperties, root, `${path}/${k}`, errors);
    }
  }
  if (schema.allOf) for (const s of schema.allOf) validate(value, s, root, path, errors);
  const tryAll = (list) =>
    list.map((s) => {
      const e = [];
      validate(value, s, root, path, e);
      return e;
    });
  if (schema.anyOf) {
    const results = tryAll(schema.anyOf);
    if (!results.some((e) => e.length === 0)) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      err(`does not match any of ${schema.anyOf.length} alternatives (closest: ${best.map((e) => `${e.path}: ${e.msg}`).join('; ')})`);
    }
  }
  if (schema.oneOf) {
    const results = tryAll(schema.oneOf);
    const ok = results.filter((e) => e.length === 0).length;
    if (ok !== 1) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      err(ok === 0 ? `does not match any of ${schema.oneOf.length} alternatives (closest: ${best.map((e) => `${e.path}: ${e.msg}`).join('; ')})` : `matches ${ok} alternatives of oneOf`);
    }
  }
  if (schema.if) {
    const e = [];
    validate(value, schema.if, root, path, e);
    if (e.length === 0) {
      if (schema.then) validate(value, schema.then, root, path, errors);
    } else if (schema.else) validate(value, schema.else, root, path, errors);
  }
  return errors.length === before;
}

// ---------------------------------------------------------------------------------------------
// Corpus

function walkYaml(p, out = []) {
  const st = statSync(p);
  if (st.isDirectory()) for (const e of readdirSync(p).sort()) walkYaml(join(p, e), out);
  else if (/\.ya?ml$/.test(p)) out.push(p);
  return out;
}

function defaultCorpus() {
  const files = [];
  const catalog = join(dataRoot, 'catalog');
  for (const section of ['task', 'pipeline', 'stepaction']) {
    const dir = join(catalog, section);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!statSync(join(dir, name)).isDirectory()) continue;
      for (const ver of readdirSync(join(dir, name)).sort()) {
        const f = join(dir, name, ver, `${name}.yaml`);
        if (existsSync(f)) files.push(f);
      }
    }
  }
  const trig = join(dataRoot, 'triggers-examples');
  if (existsSync(trig)) files.push(...walkYaml(trig));
  return files;
}

function main() {
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const maxIdx = args.indexOf('--max');
  const maxPerFile = maxIdx >= 0 ? Number(args[maxIdx + 1]) : 20;
  const paths = args.filter((a, i) => !a.startsWith('--') && !(maxIdx >= 0 && i === maxIdx + 1));

  const index = JSON.parse(readFileSync(join(schemaRoot, 'index.json'), 'utf8'));
  const schemas = new Map();
  const selfProblems = [];
  for (const e of index) {
    const schema = JSON.parse(readFileSync(join(schemaRoot, e.file), 'utf8'));
    schemas.set(`${e.apiVersion}/${e.kind}`, schema);
    selfProblems.push(...checkSchemaFile(e.file, schema));
    if (schema.properties?.apiVersion?.const !== e.apiVersion || schema.properties?.kind?.const !== e.kind)
      selfProblems.push(`${e.file}: apiVersion/kind const does not match index.json`);
  }
  for (const p of selfProblems) console.log(`SCHEMA ${p}`);

  const files = paths.length ? paths.flatMap((p) => walkYaml(resolve(p))) : defaultCorpus();
  let docs = 0, badDocs = 0, errorsTotal = 0, unknownKinds = new Map(), parseErrors = 0;
  const byMessage = new Map();
  for (const file of files) {
    const rel = relative(process.cwd(), file);
    let parsed;
    try {
      parsed = YAML.parseAllDocuments(readFileSync(file, 'utf8'));
    } catch (e) {
      parseErrors++;
      if (!quiet) console.log(`${rel}: YAML error ${e.message}`);
      continue;
    }
    parsed.forEach((doc, i) => {
      if (doc.errors?.length) {
        parseErrors++;
        if (!quiet) console.log(`${rel}#${i}: YAML error ${doc.errors[0].message.split('\n')[0]}`);
        return;
      }
      const obj = doc.toJS({ maxAliasCount: -1 });
      if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string') return;
      const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
      if (!group.endsWith('tekton.dev')) return;
      const key = `${obj.apiVersion}/${obj.kind}`;
      const schema = schemas.get(key);
      if (!schema) {
        unknownKinds.set(key, (unknownKinds.get(key) ?? 0) + 1);
        return;
      }
      docs++;
      const errors = [];
      validate(obj, schema, schema, '', errors);
      if (errors.length) {
        badDocs++;
        errorsTotal += errors.length;
        if (!quiet) {
          console.log(`${rel}#${i} (${key}${obj.metadata?.name ? ' ' + obj.metadata.name : ''}): ${errors.length} error(s)`);
          for (const e of errors.slice(0, maxPerFile)) console.log(`    ${e.path}: ${e.msg}`);
        }
        for (const e of errors) {
          const m = `${key} ${e.path.replace(/\/\d+(?=\/|$)/g, '/*')}: ${e.msg.replace(/"[^"]*"(?= does not match)/, '"…"').slice(0, 160)}`;
          byMessage.set(m, (byMessage.get(m) ?? 0) + 1);
        }
      }
    });
  }
  console.log('\n== summary ==');
  console.log(`schema self-check problems: ${selfProblems.length}`);
  console.log(`files: ${files.length}, Tekton documents validated: ${docs}, with errors: ${badDocs}, errors: ${errorsTotal}, YAML parse errors: ${parseErrors}`);
  if (unknownKinds.size) console.log(`no schema for: ${[...unknownKinds].map(([k, n]) => `${k} (${n})`).join(', ')}`);
  if (byMessage.size) {
    console.log('errors by kind/path:');
    for (const [m, n] of [...byMessage].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${m}`);
  }
  process.exitCode = selfProblems.length || errorsTotal ? 1 : 0;
}

main();
