/**
 * CEL completion and hover inside YAML: finds the CEL field under the cursor (the engines' celRegions), maps the document
 * offset into the expression through the scalar's map, asks the CEL-only services, and maps their CEL ranges back to
 * file offsets. Insert texts are escaped for the scalar's style (`'` doubles in single quotes, `"` and `\` take a
 * backslash in double quotes).
 *
 * It also gathers what the expression's position in the interceptor chain tells about the data (REFERENCE.md §3.3,
 * §3.7): the GitHub event types earlier interceptors let through (a github interceptor's `eventTypes`, event tests
 * in earlier CEL filters, and for an overlay its own interceptor's filter), and the extensions earlier interceptors
 * wrote (CEL overlays, the github interceptor's `changed_files`, the slack interceptor's requested fields). Overlays
 * of one interceptor do not see each other's results, so an overlay is not offered its siblings' keys.
 */
import { checkExpression } from '../cel/celService';
import { displayType, githubEventsInText, type CelEditorContext, type ExtensionKeyInfo } from '../cel/celContext';
import { doComplete as completeCel, type CelCompletionKind } from '../cel/completion';
import { doHover as hoverCel } from '../cel/hover';
import type { CelRegion } from '../engine';
import { findCelRegions, isChecked } from './engines';
import { TektonDocument, type YamlResource } from '../document/tektonDocument';
import { getString, getValue, isMap, isScalar, isSeq, keyName, type Node, type Scalar } from '../document/yamlAst';
import type { CompletionProposal, HoverResult } from '../document/proposals';

/** Options of the CEL features. */
export interface CelFeatureOptions {
  /** A sample request body (parsed JSON) picked by the user: its fields complete after `body.`. */
  samplePayload?: unknown;
}

/** A completion proposal for CEL, with the finer kind the handler should map to an LSP CompletionItemKind. */
export interface CelCompletionProposal extends CompletionProposal {
  celKind: CelCompletionKind;
  /** Text to filter on when it differs from the label (the proposal replaces the `.` too). */
  filterText?: string;
}

/** The CEL region under a file offset, with the offset inside the expression. */
export interface CelRegionLocation {
  resource: YamlResource;
  /** Offset of the resource's chunk in the file. */
  base: number;
  region: CelRegion;
  /** The cursor as a CEL-text offset. */
  celOffset: number;
}

/**
 * The CEL field under a file offset, or undefined when the offset is not inside one (or the scalar's offsets cannot
 * be mapped exactly, e.g. an escape the decoder does not model).
 */
export function findCelRegionAt(doc: TektonDocument, offset: number): CelRegionLocation | undefined {
  if (doc.skippedReason) return undefined;
  const chunk = doc.chunkAt(offset);
  if (!chunk) return undefined;
  const rel = offset - chunk.start;
  for (const resource of chunk.resources) {
    if (!isChecked(resource)) continue;
    for (const region of findCelRegions(resource)) {
      const r = region.node.range;
      if (!r || rel < r[0] || rel > r[1]) continue;
      const celOffset = region.map.toValue(rel);
      if (celOffset === undefined) continue;
      return { resource, base: chunk.start, region, celOffset };
    }
  }
  return undefined;
}

/**
 * Completes inside a CEL field. Returns undefined when `offset` is not in a CEL field (so the caller falls back to
 * YAML completion), [] when it is but nothing fits.
 */
export function doCelComplete(doc: TektonDocument, offset: number, options: CelFeatureOptions = {}): CelCompletionProposal[] | undefined {
  const at = findCelRegionAt(doc, offset);
  if (!at) return undefined;
  const { region, base, celOffset } = at;
  const items = completeCel(region.text, celOffset, region.env, celContextOf(at.resource, region, options));
  const out: CelCompletionProposal[] = [];
  for (const item of items) {
    // The replaced text ends at the cursor in nearly every case: keep the cursor as is then. Mapping it back could
    // land elsewhere, e.g. past the line break that ends a block scalar whose final newline is stripped.
    const rel = offset - base;
    const start = item.replaceStart === celOffset ? rel : region.map.toSource(item.replaceStart, item.replaceEnd).start;
    const end = item.replaceEnd === celOffset ? rel : region.map.toSource(item.replaceStart, item.replaceEnd).end;
    out.push({
      label: item.label,
      kind: proposalKind(item.kind),
      celKind: item.kind,
      detail: item.detail,
      documentation: item.documentation,
      insertText: escapeForScalar(item.insertText, region.node),
      snippet: item.snippet,
      replaceStart: base + start,
      replaceEnd: base + end,
      sortText: item.sortText,
      filterText: item.filterText,
    });
  }
  return out;
}

/** Hover inside a CEL field, with the range mapped to file offsets; undefined outside CEL fields. */
export function doCelHover(doc: TektonDocument, offset: number, options: CelFeatureOptions = {}): HoverResult | undefined {
  const at = findCelRegionAt(doc, offset);
  if (!at) return undefined;
  const { region, base, celOffset } = at;
  const h = hoverCel(region.text, celOffset, region.env, celContextOf(at.resource, region, options));
  if (!h) return undefined;
  const r = region.map.toSource(h.start, Math.max(h.end, h.start));
  return { markdown: h.markdown, start: base + r.start, end: base + Math.max(r.end, r.start) };
}

function proposalKind(kind: CelCompletionKind): CompletionProposal['kind'] {
  switch (kind) {
    case 'field':
      return 'property';
    case 'function':
    case 'method':
    case 'macro':
      return 'snippet';
    case 'keyword':
      return 'enum';
    default:
      return 'value';
  }
}

/**
 * Escapes CEL text for the YAML scalar it goes into. Completion inserts single-line text made of names, quotes and
 * brackets: plain and block scalars take it as is.
 */
function escapeForScalar(text: string, node: Scalar): string {
  if (node.type === 'QUOTE_SINGLE') return text.replace(/'/g, "''");
  if (node.type === 'QUOTE_DOUBLE') return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// What the interceptor chain tells about the data

/** An interceptor of a chain, reduced to its type and parameters (both the `ref:` and the legacy inline forms). */
interface InterceptorInfo {
  type: string;
  params: Map<string, Node>;
}

function interceptorInfo(item: unknown): InterceptorInfo | undefined {
  const ref = getValue(item, 'ref');
  if (ref) {
    const name = getString(ref, 'name');
    const kind = getString(ref, 'kind');
    if (!name || (kind && kind !== 'ClusterInterceptor')) return { type: 'other', params: new Map() };
    const params = new Map<string, Node>();
    const list = getValue(item, 'params');
    if (isSeq(list))
      for (const p of list.items) {
        const n = getString(p, 'name');
        const v = getValue(p, 'value');
        if (n && v) params.set(n, v);
      }
    return { type: name, params };
  }
  for (const type of ['cel', 'github', 'gitlab', 'bitbucket', 'webhook']) {
    const body = getValue(item, type);
    if (isMap(body)) {
      const params = new Map<string, Node>();
      for (const pair of body.items) {
        const k = keyName(pair);
        if (k && pair.value) params.set(k, pair.value as Node);
      }
      return { type, params };
    }
  }
  return undefined;
}

/** A YAML node as plain data (enough for interceptor params: scalars, lists, maps). */
function toData(node: unknown, depth = 0): unknown {
  if (depth > 32) return undefined;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((i) => toData(i, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const k = keyName(pair);
      if (k !== undefined) out[k] = toData(pair.value, depth + 1);
    }
    return out;
  }
  return undefined;
}

function stringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** An overlay key as sjson reads it: `.` separates levels, `\.` is a literal dot. */
function overlayKeyPath(key: string): string[] {
  return key.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.'));
}

function celText(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The overlays of a CEL interceptor as extension keys. */
function overlayExtensions(info: InterceptorInfo, index: number): ExtensionKeyInfo[] {
  const out: ExtensionKeyInfo[] = [];
  const overlays = info.params.get('overlays');
  if (!isSeq(overlays)) return out;
  for (const o of overlays.items) {
    const key = getString(o, 'key');
    const expression = celText(getValue(o, 'expression'));
    if (!key) continue;
    const checked = expression ? checkExpression(expression, 'triggers') : undefined;
    out.push({
      path: overlayKeyPath(key),
      source: `overlay of interceptor ${index + 1} (cel)`,
      type: checked?.type ? displayType(checked.type) : undefined,
      expression,
    });
  }
  return out;
}

/**
 * What the editor knows about the data a CEL field runs against, from its place in the interceptor chain and the
 * user's sample payload.
 */
export function celContextOf(resource: YamlResource, region: CelRegion, options: CelFeatureOptions = {}): CelEditorContext {
  const context: CelEditorContext = { samplePayload: options.samplePayload, ...(region.githubEvents && { githubEvents: region.githubEvents }) };
  if (region.env !== 'triggers' || !region.chain || !isSeq(region.chain.interceptors)) return context;
  const { interceptors, index } = region.chain;
  const chain = resource.memo(`celChain:${interceptors.range?.[0]}`, () =>
    (isSeq(interceptors) ? interceptors.items : []).map((item) => interceptorInfo(item)));
  const events = new Set<string>();
  const extensions: ExtensionKeyInfo[] = [];
  chain.forEach((info, k) => {
    if (!info || k > index) return;
    if (k === index) {
      // An overlay runs only when its own interceptor's filter passed.
      const filter = celText(info.params.get('filter'));
      if (region.kind === 'overlay' && info.type === 'cel' && filter) githubEventsInText(filter).forEach((e) => events.add(e));
      return;
    }
    switch (info.type) {
      case 'github': {
        stringList(toData(info.params.get('eventTypes'))).forEach((e) => events.add(e));
        const changed = toData(info.params.get('addChangedFiles')) as { enabled?: unknown } | undefined;
        if (changed && (changed.enabled === true || changed.enabled === 'true'))
          extensions.push({ path: ['changed_files'], source: 'github interceptor (addChangedFiles)', type: 'string' });
        break;
      }
      case 'slack':
        for (const f of stringList(toData(info.params.get('requestedFields'))))
          extensions.push({ path: [f], source: 'slack interceptor (requestedFields)', type: 'list(string)' });
        break;
      case 'cel': {
        const filter = celText(info.params.get('filter'));
        if (filter) githubEventsInText(filter).forEach((e) => events.add(e));
        extensions.push(...overlayExtensions(info, k));
        break;
      }
    }
  });
  if (events.size) context.githubEvents = [...events];
  if (extensions.length) context.extensions = extensions;
  return context;
}
