/**
 * Completion inside a CEL expression. Positions are CEL-text offsets; the YAML side (service/celFeatures.ts) maps
 * them to the document.
 *
 * What is offered depends on where the cursor is:
 * - after `x.`: the fields of `x` when it points into the request data (the GitHub webhook schema of the declared
 *   events, a sample payload, the extensions of earlier interceptors), then the member functions whose receiver
 *   type fits `x` (the checker's type, or the JSON type the schema gives a `dyn` field); after `base64.`, `math.`
 *   …, that namespace's functions;
 * - inside a string: header names in `header['…']` / `header.match('…'`, event names where an event header is
 *   compared, field names in `body['…']`;
 * - elsewhere: the environment's variables, comprehension variables in scope, global functions, macros,
 *   namespaces and literals.
 *
 * Incomplete text (`body.`, `header.ma`, `size(body.`) does not parse, so the text up to the cursor is repaired
 * (a placeholder name, closing brackets) and type-checked: the receiver's type comes from the checker whenever the
 * prefix itself type-checks.
 */
import { checkExpression, type CelAstNode, type EnvRef } from './celService';
import { celTypeOfJson, type BodyField } from './bodySchemas';
import {
  bindingsAt, bodyShapeFor, staticTypeOf, displayType, extensionFieldsAt, formatOverload, functionMarkdown, githubEventsInText,
  valuePathOf, type Bindings, type CelEditorContext,
} from './celContext';
import { getEnvironment, type CelEnvironment } from './environments';
import { canonicalMimeHeaderKey } from './goCompat';
import type { CelFunctionDoc, CelOverloadDoc } from './library';
import { closersFor, tokenize, type CelToken } from './tokens';
import { eventHeaderValues, WEBHOOK_HEADERS } from './webhooks';

/** What a completion item stands for (the handler maps it to an LSP CompletionItemKind). */
export type CelCompletionKind = 'variable' | 'function' | 'method' | 'macro' | 'field' | 'keyword' | 'namespace' | 'header' | 'value';

/** A completion item in CEL terms. */
export interface CelCompletionItem {
  label: string;
  kind: CelCompletionKind;
  /** One line shown beside the label: a type or a signature. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a snippet (`$1`, `${1:x}`) when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  /** CEL offsets of the text replaced (usually the identifier typed so far). */
  replaceStart: number;
  replaceEnd: number;
  /** Text the client filters on when it differs from the label (`.['odd-key']`). */
  filterText?: string;
  sortText?: string;
}

/** Options for doComplete: what the expression runs against (see CelEditorContext). */
export type CelCompletionContext = CelEditorContext;

const PLACEHOLDER = '__tekton_complete__';

/** Identifiers that cannot be selected with `.name` (cel-spec RESERVED). */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** Methods that are legal on any map(string, dyn) but only mean something on `header`. */
const HEADER_ONLY = new Set(['match', 'canonical']);

/** Comprehension macros that also iterate the keys of a map. */
const MAP_MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function resolveEnv(env: EnvRef): CelEnvironment {
  return typeof env === 'string' ? getEnvironment(env) : env;
}

/**
 * Completion items at `offset` in `text` for an environment. Never throws: text it cannot make sense of gives [].
 * `context` adds what the editor knows about the data (declared GitHub events, a sample payload, extensions).
 */
export function doComplete(text: string, offset: number, envRef: EnvRef, context: CelCompletionContext = {}): CelCompletionItem[] {
  try {
    if (offset < 0 || offset > text.length) return [];
    return complete(text, offset, resolveEnv(envRef), context);
  } catch {
    return [];
  }
}

function complete(text: string, offset: number, env: CelEnvironment, context: CelCompletionContext): CelCompletionItem[] {
  const tokens = tokenize(text);
  const at = tokens.findIndex((t) => t.start < offset && offset <= t.end);
  const cur = at >= 0 ? tokens[at] : undefined;
  if (cur?.kind === 'comment') return [];
  if (cur?.kind === 'string') {
    const inside = offset >= cur.contentStart! && (!cur.closed || offset <= cur.end - cur.quote!.length);
    return inside ? stringItems(text, tokens, at, offset, env, context) : [];
  }
  if (cur?.kind === 'number') return [];
  const prefixStart = cur?.kind === 'ident' ? cur.start : offset;
  const before = tokens.filter((t) => t.end <= prefixStart && t.kind !== 'comment');
  const prev = before[before.length - 1];
  const range = { replaceStart: prefixStart, replaceEnd: offset };
  const ownEvents = githubEventsInText(text.slice(0, prefixStart) + PLACEHOLDER + text.slice(offset), env);

  if (prev?.kind === 'punct' && prev.text === '.') {
    const repaired = repair(text, before, prefixStart, env);
    const receiver = findPlaceholderSelect(repaired.ast, prefixStart)?.target;
    if (!receiver) return [];
    const bindings = bindingsAt(repaired.ast, prefixStart);
    const type = staticTypeOf(receiver, bindings, repaired.text, env);
    return memberItems(env, receiver, type, bindings, context, ownEvents, range, prev.start);
  }
  if (prev?.kind === 'punct' && prev.text === '[') {
    const receiver = receiverBefore(text, before.slice(0, -1), prev.start, env);
    if (receiver) {
      const keys = keyItems(receiver.node, receiver.bindings, context, ownEvents, (s) => quote(s, "'"), range);
      if (keys.length) return keys;
    }
  }
  const repaired = repair(text, before, prefixStart, env);
  return globalItems(env, bindingsAt(repaired.ast, prefixStart), repaired.text, range);
}

/**
 * Parses and checks the text up to `end` with a placeholder name at `end` and the brackets it needs closed. The
 * checker annotates every node it got to, so the receiver of `x.|` has its type even when the placeholder itself
 * is rejected (`'abc'.placeholder` is not a field of a string).
 */
function repair(text: string, before: readonly CelToken[], end: number, env: CelEnvironment): { ast?: CelAstNode; text: string } {
  const repaired = text.slice(0, end) + PLACEHOLDER + closersFor(before);
  return { ast: checkExpression(repaired, env).ast, text: repaired };
}


function findPlaceholderSelect(root: CelAstNode | undefined, nameStart: number): CelAstNode | undefined {
  let found: CelAstNode | undefined;
  const visit = (n: CelAstNode): void => {
    if (found) return;
    if (n.kind === 'select' && n.name === PLACEHOLDER && n.nameStart === nameStart) {
      found = n;
      return;
    }
    if (n.target) visit(n.target);
    for (const a of n.args ?? []) visit(a);
    for (const e of n.entries ?? []) {
      visit(e.key);
      visit(e.value);
    }
  };
  if (root) visit(root);
  return found;
}

/** The expression ending at `end` (before a `[`), found by repairing `text[0, end)` into `<receiver>.placeholder`. */
function receiverBefore(
  text: string,
  before: readonly CelToken[],
  end: number,
  env: CelEnvironment,
): { node: CelAstNode; bindings: Bindings } | undefined {
  const repaired = text.slice(0, end) + '.' + PLACEHOLDER + closersFor(before);
  const checked = checkExpression(repaired, env);
  const sel = findPlaceholderSelect(checked.ast, end + 1);
  return sel?.target ? { node: sel.target, bindings: bindingsAt(checked.ast, end) } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// After a dot

function memberItems(
  env: CelEnvironment,
  receiver: CelAstNode,
  receiverType: string | undefined,
  bindings: Bindings,
  context: CelCompletionContext,
  ownEvents: string[],
  range: { replaceStart: number; replaceEnd: number },
  dotStart: number,
): CelCompletionItem[] {
  const items: CelCompletionItem[] = [];
  if (receiver.kind === 'ident' && env.namespaces.has(receiver.name!) && !bindings.has(receiver.name!) && !env.variables.has(receiver.name!)) {
    const ns = receiver.name!;
    for (const fn of env.functions.values()) {
      if (!fn.name.startsWith(`${ns}.`)) continue;
      items.push(functionItem(fn, fn.name.slice(ns.length + 1), fn.overloads, fn.macro ? 'macro' : 'function', range, '1'));
    }
    return items;
  }

  const path = valuePathOf(receiver, bindings);
  let runtimeType: string | undefined;
  const seen = new Set<string>();
  const addField = (f: BodyField, sort: string) => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    items.push(fieldItem(f.name, celTypeOfJson(f.jsonTypes), fieldDoc(f), range, dotStart, sort));
  };
  if (path?.root === 'body' || path?.root === 'extensions') {
    const shape = bodyShapeFor(context, ownEvents);
    if (path.root === 'body') {
      for (const f of shape?.fieldsAt(path.path) ?? []) addField(f, '0');
      const here = path.path.length ? shape?.fieldAt(path.path) : undefined;
      if (here) runtimeType = nonNull(here.jsonTypes);
    } else {
      const { keys, fields } = extensionFieldsAt(context, path.path, shape);
      for (const k of keys) {
        if (seen.has(k.name)) continue;
        seen.add(k.name);
        items.push(fieldItem(k.name, k.type ?? 'dyn', k.source ? `Written by the ${k.source}.` : undefined, range, dotStart, '0'));
      }
      for (const f of fields) addField(f, '0');
    }
  }
  // Variables backed by a protobuf message (KFP's ExecutorInput) have a fixed set of fields.
  if (receiver.kind === 'ident' && !bindings.has(receiver.name!)) {
    const fields = env.variables.get(receiver.name!)?.fields;
    for (const [name, type] of Object.entries(fields ?? {})) {
      seen.add(name);
      items.push(fieldItem(name, type, undefined, range, dotStart, '0'));
    }
  }

  const staticType = receiverType && receiverType !== 'dyn' ? displayType(receiverType) : undefined;
  const type = staticType ?? runtimeType;
  const isHeader = path?.root === 'header' && path.path.length === 0;
  for (const fn of env.functions.values()) {
    if (fn.name.includes('.')) continue;
    if (HEADER_ONLY.has(fn.name) && !isHeader) continue;
    const overloads = fn.overloads.filter((o) => o.receiver !== undefined && receiverAccepts(o.receiver, type, fn));
    if (!overloads.length) continue;
    // With an unknown receiver every method may apply: list them after the fields.
    items.push(functionItem(fn, fn.name, overloads, fn.macro ? 'macro' : 'method', range, type ? '1' : '2'));
  }
  return items;
}

/** The CEL type of a JSON value without its `null` alternative (`string | null` → `string`). */
function nonNull(jsonTypes: readonly string[]): string | undefined {
  const types = jsonTypes.filter((t) => t !== 'null');
  const cel = celTypeOfJson(types);
  return cel && !cel.includes('|') ? cel : undefined;
}

/** True when an overload declared on `receiver` (cel-go notation) accepts a value of type `type` (undefined: unknown). */
export function receiverAccepts(receiver: string, type: string | undefined, fn?: CelFunctionDoc): boolean {
  if (!type || type === 'dyn' || receiver === 'dyn') return true;
  const kind = (t: string) => t.split('(')[0].trim();
  if (fn?.macro && MAP_MACROS.has(fn.name) && kind(type) === 'map') return true;
  if (kind(receiver) !== kind(type)) return false;
  const args = (t: string) => (t.includes('(') ? t.slice(t.indexOf('(') + 1, t.lastIndexOf(')')).split(',').map((s) => s.trim()) : []);
  const want = args(receiver);
  const got = args(type);
  return want.every((w, i) => w === 'dyn' || got[i] === undefined || got[i] === 'dyn' || got[i] === w);
}

function fieldDoc(f: BodyField): string | undefined {
  const parts: string[] = [];
  if (f.description) parts.push(f.description);
  const events = f.sources.filter((s) => s !== 'sample payload');
  if (events.length) parts.push(`In GitHub ${events.map((e) => `\`${e}\``).join(', ')} events.`);
  if (f.example !== undefined) parts.push(`Sample payload: \`${f.example}\``);
  return parts.length ? parts.join('\n\n') : undefined;
}

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name);
}

function fieldItem(
  name: string,
  type: string | undefined,
  documentation: string | undefined,
  range: { replaceStart: number; replaceEnd: number },
  dotStart: number,
  sort: string,
): CelCompletionItem {
  const base = { label: name, kind: 'field' as const, detail: type, documentation, snippet: false, sortText: `${sort}${name}` };
  if (isIdentifier(name)) return { ...base, insertText: name, ...range };
  // `body.odd-key` cannot be written: replace the dot with an index.
  return { ...base, insertText: `[${quote(name, "'")}]`, replaceStart: dotStart, replaceEnd: range.replaceEnd, filterText: `.${name}` };
}

function snippetFor(fn: CelFunctionDoc, name: string, overloads: readonly CelOverloadDoc[]): string {
  if (fn.macro && (overloads.some((o) => o.params[0] === 'var'))) return `${name}(\${1:x}, $0)`;
  const takesArgs = overloads.some((o) => o.params.length > 0);
  return takesArgs ? `${name}($1)` : `${name}()`;
}

function functionItem(
  fn: CelFunctionDoc,
  label: string,
  overloads: readonly CelOverloadDoc[],
  kind: CelCompletionKind,
  range: { replaceStart: number; replaceEnd: number },
  sort: string,
): CelCompletionItem {
  const first = formatOverload(fn.name, overloads[0]);
  return {
    label,
    kind,
    detail: overloads.length > 1 ? `${first} (+${overloads.length - 1} overloads)` : first,
    documentation: functionMarkdown(fn),
    insertText: snippetFor(fn, label, overloads),
    snippet: true,
    sortText: `${sort}${label}`,
    ...range,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Global position

function globalItems(env: CelEnvironment, bindings: Bindings, text: string, range: { replaceStart: number; replaceEnd: number }): CelCompletionItem[] {
  const items: CelCompletionItem[] = [];
  for (const [name, bound] of bindings) {
    const over = text.slice(bound.start, bound.end);
    items.push({
      label: name, kind: 'variable', detail: `element of ${over.length > 40 ? over.slice(0, 39) + '…' : over}`,
      documentation: `Comprehension variable: each element of \`${over}\` (each key, for a map).`,
      insertText: name, snippet: false, sortText: `0${name}`, ...range,
    });
  }
  for (const v of env.variables.values()) {
    if (bindings.has(v.name)) continue;
    items.push({ label: v.name, kind: 'variable', detail: v.type, documentation: v.doc, insertText: v.name, snippet: false, sortText: `0${v.name}`, ...range });
  }
  for (const fn of env.functions.values()) {
    if (fn.name.includes('.')) continue;
    const overloads = fn.overloads.filter((o) => o.receiver === undefined);
    if (!overloads.length) continue;
    items.push(functionItem(fn, fn.name, overloads, fn.macro ? 'macro' : 'function', range, '1'));
  }
  for (const ns of env.namespaces) {
    const members = [...env.functions.keys()].filter((n) => n.startsWith(`${ns}.`));
    items.push({ label: ns, kind: 'namespace', detail: members.join(', '), insertText: ns, snippet: false, sortText: `2${ns}`, ...range });
  }
  for (const kw of ['true', 'false', 'null']) items.push({ label: kw, kind: 'keyword', insertText: kw, snippet: false, sortText: `3${kw}`, ...range });
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// Inside a string, or after `[`

function quote(s: string, q: string): string {
  return q + escapeFor(s, q) + q;
}

function escapeFor(s: string, q: string, raw = false): string {
  if (raw) return s;
  return s.replace(/\\/g, '\\\\').split(q[0]).join(`\\${q[0]}`);
}

/** Header names (in index form: canonical keys) or data keys for `receiver[…]`. */
function keyItems(
  receiver: CelAstNode,
  bindings: Bindings,
  context: CelCompletionContext,
  ownEvents: string[],
  wrap: (key: string) => string,
  range: { replaceStart: number; replaceEnd: number },
): CelCompletionItem[] {
  const path = valuePathOf(receiver, bindings);
  if (path?.root === 'header' && path.path.length === 0) {
    // Go's http.Header holds canonical keys only: `header['X-GitHub-Event']` is never present.
    return WEBHOOK_HEADERS.map((h, i) => {
      const key = canonicalMimeHeaderKey(h.name);
      return {
        label: key, kind: 'header' as const, detail: `${h.provider} header (list of strings)`,
        documentation: `${h.doc}${key !== h.name ? `\n\nSent as \`${h.name}\`; Tekton sees the canonical key \`${key}\`.` : ''}`,
        insertText: wrap(key), snippet: false, sortText: String(i).padStart(3, '0'), ...range,
      };
    });
  }
  if (path?.root !== 'body' && path?.root !== 'extensions') return [];
  const shape = bodyShapeFor(context, ownEvents);
  const out: CelCompletionItem[] = [];
  const fields = path.root === 'body'
    ? (shape?.fieldsAt(path.path) ?? []).map((f) => ({ name: f.name, type: celTypeOfJson(f.jsonTypes), doc: fieldDoc(f) }))
    : (() => {
        const r = extensionFieldsAt(context, path.path, shape);
        return [...r.keys.map((k) => ({ name: k.name, type: k.type, doc: k.source && `Written by the ${k.source}.` })),
          ...r.fields.map((f) => ({ name: f.name, type: celTypeOfJson(f.jsonTypes), doc: fieldDoc(f) }))];
      })();
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    out.push({ label: f.name, kind: 'field', detail: f.type, documentation: f.doc || undefined, insertText: wrap(f.name), snippet: false, sortText: `0${f.name}`, ...range });
  }
  return out;
}

function valueItems(values: readonly string[], header: string, q: string, raw: boolean, closeWith: string,
  range: { replaceStart: number; replaceEnd: number }): CelCompletionItem[] {
  return values.map((v, i) => ({
    label: v, kind: 'value' as const, detail: `${header} value`, insertText: escapeFor(v, q, raw) + closeWith, snippet: false,
    sortText: String(i).padStart(4, '0'), ...range,
  }));
}

const EVENT_HEADER_BEFORE =
  /header\s*(?:\[\s*(?:'([^']*)'|"([^"]*)")\s*\]\s*\[\s*0\s*\]|\.\s*canonical\s*\(\s*(?:'([^']*)'|"([^"]*)")\s*\))\s*$/;

function stringItems(text: string, tokens: CelToken[], si: number, offset: number, env: CelEnvironment, context: CelCompletionContext): CelCompletionItem[] {
  const str = tokens[si];
  const q = str.quote!;
  const raw = !!str.raw;
  const closeWith = str.closed ? '' : q;
  const range = { replaceStart: str.contentStart!, replaceEnd: offset };
  const t = (k: number) => tokens[si - k];
  const is = (k: number, kind: CelToken['kind'], txt?: string) => t(k)?.kind === kind && (txt === undefined || t(k).text === txt);
  const ownEvents = githubEventsInText(text.slice(0, str.start) + "''" + text.slice(str.closed ? str.end : text.length), env);

  // header.match('…' / header.canonical('…': any spelling works, these canonicalise the name.
  if (is(1, 'punct', '(') && is(2, 'ident') && ['match', 'canonical'].includes(t(2).text) && is(3, 'punct', '.') && is(4, 'ident', 'header')) {
    return WEBHOOK_HEADERS.map((h, i) => ({
      label: h.name, kind: 'header' as const, detail: `${h.provider} header`, documentation: h.doc,
      insertText: escapeFor(h.name, q, raw) + closeWith, snippet: false, sortText: String(i).padStart(3, '0'), ...range,
    }));
  }
  // header.match('X-GitHub-Event', '…'
  if (is(1, 'punct', ',') && is(2, 'string') && is(3, 'punct', '(') && is(4, 'ident', 'match') && is(5, 'punct', '.') && is(6, 'ident', 'header')) {
    return valueItems(eventHeaderValues(t(2).value ?? ''), t(2).value ?? '', q, raw, closeWith, range);
  }
  // header['X-Github-Event'][0] == '…', header.canonical('X-GitHub-Event') != '…'
  if (is(1, 'punct', '==') || is(1, 'punct', '!=')) {
    const m = EVENT_HEADER_BEFORE.exec(text.slice(0, t(1).start));
    const name = m && (m[1] ?? m[2] ?? m[3] ?? m[4]);
    if (name) return valueItems(eventHeaderValues(name), name, q, raw, closeWith, range);
  }
  // … in ['push', '…'
  let k = 1;
  while (is(k, 'string') || is(k, 'punct', ',')) k++;
  if (is(k, 'punct', '[') && is(k + 1, 'ident', 'in')) {
    const m = EVENT_HEADER_BEFORE.exec(text.slice(0, t(k + 1).start));
    const name = m && (m[1] ?? m[2] ?? m[3] ?? m[4]);
    if (name) return valueItems(eventHeaderValues(name), name, q, raw, closeWith, range);
  }
  // x['…'
  if (is(1, 'punct', '[')) {
    const receiver = receiverBefore(text, tokens.slice(0, si - 1).filter((x) => x.kind !== 'comment'), t(1).start, env);
    if (receiver) return keyItems(receiver.node, receiver.bindings, context, ownEvents, (s) => escapeFor(s, q, raw) + closeWith, range);
  }
  return [];
}
