import { TektonDocument } from '../document/tektonDocument';
import { cursorContext } from '../document/cursorContext';
import { allServedKinds } from '../document/resourceKind';
import { JsonSchema, schemaTypes, typeLabel } from '../schema/jsonSchema';
import { describe, propertiesOf, schemasAtPath } from '../schema/schemaNavigator';
import { SchemaStore } from '../schema/schemaStore';
import { kindSkeletons } from './skeletons';
import type { CompletionProposal } from '../document/proposals';
import { ownerOf } from './engines';


/**
 * Completes keys valid at the cursor for the document's kind and place (with their descriptions), enum and boolean
 * values, apiVersion/kind values, and a skeleton per kind at the top of an empty document.
 */
export function doComplete(doc: TektonDocument, offset: number, store: SchemaStore): CompletionProposal[] {
  if (doc.skippedReason) return [];
  const chunk = doc.chunkAt(offset);
  if (!chunk) return [];
  const rel = offset - chunk.start;
  const resource = chunk.resources.find((r) => r.doc.range[0] <= rel && rel <= r.doc.range[2]) ?? chunk.resources[0];
  const text = resource.text;
  // A document of an engine that is not checked against the Tekton schemas (Kubeflow Pipelines) completes from its engine only.
  if (ownerOf(resource)?.schemaChecked === false) return [];
  const ctx = cursorContext(text, rel);
  const base = chunk.start;
  const replace = { replaceStart: base + ctx.wordStart, replaceEnd: base + rel };

  // The top-level keys of a document without its kind yet; in an empty one also a skeleton per kind. Typing `ap`
  // must find `apiVersion`: a skeleton's label ("Task (tekton.dev/v1)") does not match what is typed.
  const topLevelKeys = (): CompletionProposal[] =>
    ['apiVersion', 'kind']
      .filter((k) => !ctx.siblings.has(k))
      .map((k) => ({ label: k, kind: 'property' as const, insertText: `${k}: `, snippet: false, ...replace }));
  if (ctx.path.length === 0 && !ctx.inValue && isEmptyDocument(text, ctx.wordStart)) {
    return [
      ...topLevelKeys(),
      ...kindSkeletons().map((s, i) => ({
        label: s.label,
        kind: 'snippet' as const,
        detail: s.detail,
        documentation: s.documentation,
        insertText: s.body,
        snippet: true,
        sortText: `0${String(i).padStart(3, '0')}`,
        ...replace,
      })),
    ];
  }

  if (ctx.inValue && ctx.path.length === 0 && (ctx.valueKey === 'apiVersion' || ctx.valueKey === 'kind')) {
    return topLevelValues(ctx.valueKey, resource.apiVersion, resource.kind).map((v) => ({
      label: v,
      kind: 'value' as const,
      insertText: v,
      snippet: false,
      ...replace,
    }));
  }

  if (!resource.isTekton || !resource.kindInfo?.isServed) return ctx.path.length === 0 && !ctx.inValue ? topLevelKeys() : [];
  const schemaDoc = store.get(resource.apiVersion!, resource.kind!);
  if (!schemaDoc) return [];

  if (ctx.inValue) {
    const schemas = schemasAtPath(schemaDoc, resource.root, [...ctx.path, ctx.valueKey!], resource.doc, text, rel);
    return valueProposals(schemas).map((v) => ({ ...v, ...replace }));
  }
  const schemas = schemasAtPath(schemaDoc, resource.root, ctx.path, resource.doc, text, rel);
  const props = propertiesOf(schemas);
  const required = new Set(schemas.flatMap((s) => s.required ?? []));
  const out: CompletionProposal[] = [];
  for (const [name, raw] of props) {
    if (ctx.siblings.has(name)) continue;
    const prop = schemaDoc.resolve(raw) ?? raw;
    out.push({
      label: name,
      kind: 'property',
      detail: typeLabel(prop) + (required.has(name) ? ' (required)' : ''),
      documentation: prop.description ?? raw.description,
      insertText: keyInsertText(name, prop),
      snippet: true,
      sortText: `${required.has(name) ? '0' : '1'}${name}`,
      ...replace,
    });
  }
  return out;
}

function isEmptyDocument(text: string, upTo: number): boolean {
  return text
    .slice(0, upTo)
    .split('\n')
    .every((l) => l.trim() === '' || l.trim().startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(l))
    && text.slice(upTo).split('\n').slice(1).every((l) => l.trim() === '' || l.trim().startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(l));
}

function topLevelValues(key: string, apiVersion: string | undefined, kind: string | undefined): string[] {
  const kinds = allServedKinds();
  if (key === 'apiVersion') {
    const matching = kind ? kinds.filter((k) => k.kind === kind) : kinds;
    return [...new Set((matching.length ? matching : kinds).map((k) => k.apiVersion))];
  }
  const matching = apiVersion ? kinds.filter((k) => k.apiVersion === apiVersion) : kinds;
  return [...new Set((matching.length ? matching : kinds).map((k) => k.kind))];
}

function keyInsertText(name: string, schema: JsonSchema): string {
  const types = schemaTypes(schema) ?? [];
  const key = /^[\w.\-/]+$/.test(name) ? name : JSON.stringify(name);
  if (types.length === 1 && types[0] === 'object') return `${key}:\n  $0`;
  if (types.length === 1 && types[0] === 'array') {
    const itemTypes = schema.items ? schemaTypes(schema.items) : undefined;
    return itemTypes?.length === 1 && itemTypes[0] === 'object' ? `${key}:\n  - $0` : `${key}:\n  - $0`;
  }
  if (schema.enum?.length) return `${key}: \${1|${schema.enum.map((e) => String(e).replace(/[,|]/g, '\\$&')).join(',')}|}`;
  return `${key}: $0`;
}

function valueProposals(schemas: JsonSchema[]): Omit<CompletionProposal, 'replaceStart' | 'replaceEnd'>[] {
  const values = new Map<string, string | undefined>();
  for (const s of schemas) {
    for (const e of s.enum ?? []) values.set(String(e), s.description);
    if (s.const !== undefined) values.set(String(s.const), s.description);
    if (schemaTypes(s)?.includes('boolean')) {
      values.set('true', undefined);
      values.set('false', undefined);
    }
  }
  const doc = describe(schemas);
  return [...values.keys()].map((v) => ({ label: v, kind: 'enum' as const, documentation: doc, insertText: v, snippet: false }));
}
