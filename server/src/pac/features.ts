/**
 * Completion and hover in a Pipelines-as-Code PipelineRun: annotation keys (after `pipelinesascode.tekton.dev/` or
 * as whole keys in `metadata.annotations`), annotation values (event names, `true`/`false`), and `{{ }}` variables.
 * File offsets in and out; undefined when the cursor is not on PaC's ground.
 */
import type { CompletionProposal, HoverResult } from '../document/proposals';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { isMap, isScalar, locate } from '../document/yamlAst';
import { scalarMap } from '../document/scalarMap';
import {
  ANNOTATIONS,
  annotationInfo,
  KNOWN_EVENTS,
  PAC_PREFIX,
  parseAnnotationValues,
  USER_ANNOTATION_KEYS,
} from './annotations';
import { annotationsMap, isPacPipelineRun, pacAnnotations } from './model';
import { STANDARD_VARIABLES, templateUses } from './variables';

/** The PaC PipelineRun at a file offset, with the chunk-relative offset and the chunk's base. */
function pacAt(doc: TektonDocument, offset: number): { resource: YamlResource; rel: number; base: number } | undefined {
  const chunk = doc.chunkAt(offset);
  if (!chunk || doc.skippedReason) return undefined;
  const rel = offset - chunk.start;
  let resource = chunk.resources[0];
  for (const r of chunk.resources) if (r.doc.range[0] <= rel) resource = r;
  if (!resource || resource.kind !== 'PipelineRun') return undefined;
  return { resource, rel, base: chunk.start };
}

function annotationDoc(key: string): string {
  const info = annotationInfo(key);
  if (!info) return '';
  const example = info.example ? `\n\nExample:\n\n\`\`\`yaml\n${PAC_PREFIX}${key}: ${info.example}\n\`\`\`` : '';
  return `**${PAC_PREFIX}${key}** (Pipelines-as-Code)\n\n${info.doc}${example}`;
}

/** Completion: annotation keys in `metadata.annotations`, values of known annotations, `{{ }}` variable names. */
export function pacComplete(
  doc: TektonDocument,
  offset: number,
  customParams: readonly string[],
): CompletionProposal[] | undefined {
  const at = pacAt(doc, offset);
  if (!at) return undefined;
  const { resource, rel, base } = at;
  // Inside `{{ … }}` of a string (or after an unclosed `{{` while typing): variable names.
  const variables = (start: number, end: number): CompletionProposal[] => {
    const names: [string, string][] = [
      ...STANDARD_VARIABLES,
      ...customParams.map((p): [string, string] => [p, 'A custom param of the Repository.']),
      ['body.', 'A field of the webhook payload (evaluated as CEL), e.g. `body.pull_request.head.sha`.'],
      ['headers.', 'A request header (evaluated as CEL), e.g. `headers["X-GitHub-Event"]`.'],
      ['files.all', 'The changed files (also `files.added`, `deleted`, `modified`, `renamed`), as a JSON list.'],
      [
        'cel: ',
        'A CEL expression with ext.Strings and ext.Lists; `pac.<param>` holds every param; an error writes "".',
      ],
    ];
    return names.map(([label, documentation]) => ({
      label,
      kind: 'value',
      detail: 'Pipelines-as-Code variable',
      documentation,
      insertText: label,
      snippet: false,
      replaceStart: base + start,
      replaceEnd: base + end,
    }));
  };
  for (const use of templateUses(resource)) {
    if (!isScalar(use.node) || !use.node.range) continue;
    const map = scalarMap(use.node, resource.text);
    const r = map.toSource(use.keyStart, use.keyEnd);
    if (rel >= r.start && rel <= r.end && !use.key.startsWith('cel:')) return variables(r.start, r.end);
  }
  if (isPacPipelineRun(resource)) {
    const here = locate(resource.root, rel).node;
    if (isScalar(here) && typeof here.value === 'string' && here.range) {
      const map = scalarMap(here, resource.text);
      const v = map.toValue(rel);
      const before = v === undefined ? undefined : here.value.slice(0, v);
      const open = before?.lastIndexOf('{{') ?? -1;
      if (before !== undefined && open >= 0 && !before.slice(open).includes('}}') && map.exact) {
        const word = /[A-Za-z0-9_.-]*$/.exec(before)![0];
        if (before.slice(open + 2, before.length - word.length).trim() === '')
          return variables(map.toSource(v! - word.length, v!).start, rel);
      }
    }
    // `value: {{ rev` typed unquoted: PaC substitutes before decoding (pacPlaceholders.ts), but an unclosed one is
    // still a broken flow mapping to the parser, so the line's text says where the cursor is
    const lineStart = resource.text.lastIndexOf('\n', rel - 1) + 1;
    const typed = /(?:^\s*(?:-\s+)*|:\s+|-\s+)\{\{\s*([A-Za-z0-9_.-]*)$/.exec(resource.text.slice(lineStart, rel));
    if (typed) return variables(rel - typed[1].length, rel);
  }
  const loc = locate(resource.root, rel);
  const annotations = annotationsMap(resource);
  if (loc.path[0] !== 'metadata' || loc.path[1] !== 'annotations') return undefined;
  if (loc.path.length === 3 && loc.onKey && isScalar(loc.node) && loc.node.range) {
    const written = String(loc.node.value ?? '');
    if (!written.startsWith('pipelinesascode') && written !== '') return undefined;
    const existing = new Set(pacAnnotations(resource).map((a) => a.key));
    return USER_ANNOTATION_KEYS.filter((k) => !existing.has(k) || `${PAC_PREFIX}${k}` === written).map((k) => ({
      label: `${PAC_PREFIX}${k}`,
      kind: 'property',
      detail: 'Pipelines-as-Code',
      documentation: annotationDoc(k),
      insertText: `${PAC_PREFIX}${k}`,
      snippet: false,
      replaceStart: base + loc.node!.range![0],
      replaceEnd: base + loc.node!.range![1],
    }));
  }
  if (loc.path.length === 3 && !loc.onKey && isMap(annotations)) {
    const key = String(loc.path[2]);
    if (!key.startsWith(PAC_PREFIX)) return undefined;
    const info = annotationInfo(key.slice(PAC_PREFIX.length));
    const node = loc.node;
    const start = base + (node?.range?.[0] ?? rel);
    const end = base + (node?.range?.[1] ?? rel);
    const values =
      info?.kind === 'events'
        ? KNOWN_EVENTS.map((e) => `"[${e}]"`).concat('"[pull_request, push]"')
        : info?.kind === 'boolean'
          ? ['"true"', '"false"']
          : info?.example
            ? [info.example]
            : [];
    return values.map((v) => ({
      label: v,
      kind: 'value',
      insertText: v,
      snippet: false,
      replaceStart: start,
      replaceEnd: end,
      documentation: info?.doc,
    }));
  }
  return undefined;
}

/** Hover: an annotation key's documentation, a `{{ }}` variable's meaning. */
export function pacHover(
  doc: TektonDocument,
  offset: number,
  customParams: readonly string[],
): HoverResult | undefined {
  const at = pacAt(doc, offset);
  if (!at || !isPacPipelineRun(at.resource)) return undefined;
  const { resource, rel, base } = at;
  for (const a of pacAnnotations(resource)) {
    const r = a.keyNode.range;
    if (r && rel >= r[0] && rel <= r[1]) {
      const md =
        ANNOTATIONS.has(a.key) || annotationInfo(a.key)
          ? annotationDoc(a.key)
          : `Unknown Pipelines-as-Code annotation \`${a.key}\`: ignored.`;
      return { markdown: md, start: base + r[0], end: base + r[1] };
    }
    // On a list value: how PaC reads it (getAnnotationValues), item by item.
    const v = a.valueNode?.range;
    const info = annotationInfo(a.key);
    const listKinds = ['events', 'branches', 'paths', 'labels', 'remote'];
    if (
      v &&
      rel >= v[0] &&
      rel <= v[1] &&
      info &&
      listKinds.includes(info.kind) &&
      a.isString &&
      a.value !== undefined
    ) {
      const parsed = parseAnnotationValues(a.value);
      const read =
        'error' in parsed
          ? `Pipelines-as-Code cannot read this value: ${parsed.error}`
          : `Pipelines-as-Code reads ${parsed.items.length} value(s): ${parsed.items.map((i) => `\`${i.value}\``).join(', ')}` +
            (info.kind === 'branches'
              ? ' (a name without `refs/` also matches `refs/heads/<name>`; `*` crosses `/`)'
              : info.kind === 'paths'
                ? ' (globs over the changed files; `*` crosses `/`)'
                : '');
      return { markdown: `${annotationDoc(a.key)}\n\n${read}`, start: base + v[0], end: base + v[1] };
    }
  }
  for (const use of templateUses(resource)) {
    if (!isScalar(use.node)) continue;
    const r = scalarMap(use.node, resource.text).toSource(use.start, use.end);
    if (rel < r.start || rel > r.end) continue;
    const std = STANDARD_VARIABLES.get(use.key);
    const markdown = std
      ? `**{{ ${use.key} }}** (Pipelines-as-Code)\n\n${std}`
      : customParams.includes(use.key)
        ? `**{{ ${use.key} }}**: a custom param of the workspace's Repository (spec.params).`
        : use.key.startsWith('cel:')
          ? '**{{ cel: … }}**: a CEL expression evaluated when the PipelineRun is created (ext.Strings and ext.Lists loaded; `pac.<param>` holds every param); an error writes an empty string.'
          : /^(body|headers|files)/.test(use.key)
            ? `**{{ ${use.key} }}**: a field of the webhook event, evaluated as CEL when the PipelineRun is created; left as written when it fails.`
            : `**{{ ${use.key} }}**: not a Pipelines-as-Code variable; left as written.`;
    return { markdown, start: base + r.start, end: base + r.end };
  }
  return undefined;
}
