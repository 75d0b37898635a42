/**
 * What completion and hover know about an expression beyond its environment: the data it reads (which GitHub events the
 * body may be, a sample payload, the extensions earlier interceptors wrote) and where in that data a sub-expression
 * points (`body.commits[0].id` → path `commits/[]/id` of the body).
 */
import { checkExpression, parse, type CelAstNode, type EnvRef } from './celService';
import { ELEMENT, githubBodyShape, mergeShapes, sampleBodyShape, type BodyField, type BodyShape } from './bodySchemas';
import { canonicalMimeHeaderKey } from './goCompat';
import type { CelFunctionDoc, CelOverloadDoc } from './library';

/** An extension written by an earlier interceptor of the same chain (REFERENCE.md §3.3, §3.7). */
export interface ExtensionKeyInfo {
  /** The key as a path: overlay keys are sjson paths, so `a.b` writes `{"a": {"b": …}}`. */
  path: string[];
  /** Who writes it: `overlay of interceptor 1`, `github interceptor (addChangedFiles)`, … */
  source: string;
  /** CEL type of the value when known (`string`, `list(string)`). */
  type?: string;
  /** The overlay expression that computes it, when it is one. */
  expression?: string;
}

/** The data an expression runs against, as far as the editor knows it. */
export interface CelEditorContext {
  /** GitHub event types the trigger accepts (from earlier interceptors); the expression's own checks are added. */
  githubEvents?: readonly string[];
  /** A sample request body the user picked: its fields are offered after `body.`. */
  samplePayload?: unknown;
  /** Extensions written before this expression runs. */
  extensions?: readonly ExtensionKeyInfo[];
}

/** Where a sub-expression points into the request data: `body`, `extensions` or `header`, then field steps. */
export interface ValuePath {
  root: 'body' | 'extensions' | 'header';
  path: string[];
}

/** Comprehension variables in scope at an offset: name → the expression iterated. */
export type Bindings = Map<string, CelAstNode>;

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'sortBy']);

/** The comprehension variables visible at `offset` (`c` inside `body.commits.exists(c, |)`). */
export function bindingsAt(root: CelAstNode | undefined, offset: number): Bindings {
  const out: Bindings = new Map();
  const visit = (node: CelAstNode): void => {
    if (offset < node.start || offset > node.end) return;
    const args = node.args ?? [];
    if (node.kind === 'call' && node.target && COMPREHENSIONS.has(node.name ?? '') && args.length >= 2 && args[0].kind === 'ident' &&
        offset > args[0].end) {
      out.set(args[0].name!, node.target);
    }
    if (node.target) visit(node.target);
    for (const a of args) visit(a);
    for (const e of node.entries ?? []) {
      visit(e.key);
      visit(e.value);
    }
  };
  if (root) visit(root);
  return out;
}

/** The data path a sub-expression reads, or undefined when it is computed (`x.parseJSON()`, `a + b`). */
export function valuePathOf(node: CelAstNode | undefined, bindings: Bindings, depth = 0): ValuePath | undefined {
  if (!node || depth > 64) return undefined;
  switch (node.kind) {
    case 'ident': {
      const bound = bindings.get(node.name!);
      if (bound) {
        // The bound expression is outside the comprehension: its own variables are not in scope there.
        const inner = new Map(bindings);
        inner.delete(node.name!);
        const p = valuePathOf(bound, inner, depth + 1);
        return p ? { root: p.root, path: [...p.path, ELEMENT] } : undefined;
      }
      if (node.name === 'body' || node.name === 'extensions' || node.name === 'header') return { root: node.name, path: [] };
      return undefined;
    }
    case 'select': {
      const p = valuePathOf(node.target, bindings, depth + 1);
      return p && { root: p.root, path: [...p.path, node.name!] };
    }
    case 'index': {
      const p = valuePathOf(node.target, bindings, depth + 1);
      if (!p) return undefined;
      const key = node.args?.[0];
      if (key?.kind === 'literal' && typeof key.value === 'string') return { root: p.root, path: [...p.path, key.value] };
      return { root: p.root, path: [...p.path, ELEMENT] };
    }
    case 'call': {
      if (node.target && (node.name === 'first' || node.name === 'last') && !node.args?.length) {
        const p = valuePathOf(node.target, bindings, depth + 1);
        return p && { root: p.root, path: [...p.path, ELEMENT] };
      }
      if (!node.target && node.name === 'dyn' && node.args?.length === 1) return valuePathOf(node.args[0], bindings, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The static type of a sub-expression (cel-js notation), `text` being the text its offsets refer to. The checker stops at the first error, so nodes after it have no type: check the
 * receiver on its own then, and type a comprehension variable as the element of the list it ranges over.
 */
export function staticTypeOf(node: CelAstNode, bindings: Bindings, text: string, env: EnvRef, depth = 0): string | undefined {
  if (node.type || depth > 16) return node.type;
  if (node.kind === 'ident' && bindings.has(node.name!)) {
    const inner = new Map(bindings);
    inner.delete(node.name!);
    const range = staticTypeOf(bindings.get(node.name!)!, inner, text, env, depth + 1);
    const m = range && /^list<(.*)>$/.exec(range);
    return m ? m[1] : range && /^map<([^,]*),/.exec(range)?.[1];
  }
  const alone = checkExpression(text.slice(node.start, node.end), env);
  return alone.diagnostics.some((d) => d.severity === 'error') ? undefined : alone.type;
}

// ---------------------------------------------------------------------------------------------------------
// GitHub event types declared by the expression itself

const GITHUB_EVENT = 'X-Github-Event';

function stringLiteral(n: CelAstNode | undefined): string | undefined {
  return n?.kind === 'literal' && typeof n.value === 'string' ? n.value : undefined;
}

function isHeader(n: CelAstNode | undefined): boolean {
  return n?.kind === 'ident' && n.name === 'header';
}

/** `header['X-Github-Event']` (the list of values). */
function isEventHeaderList(n: CelAstNode | undefined): boolean {
  // A non-canonical key is never present at run time (the linter says so), but it still shows the intent.
  const key = n?.kind === 'index' && isHeader(n.target) ? stringLiteral(n.args?.[0]) : undefined;
  return key !== undefined && canonicalMimeHeaderKey(key) === GITHUB_EVENT;
}

/** `header['X-Github-Event'][0]`, `header.canonical('X-GitHub-Event')` (one value). */
function isEventHeaderValue(n: CelAstNode | undefined): boolean {
  if (n?.kind === 'index' && isEventHeaderList(n.target)) return true;
  if (n?.kind === 'call' && n.name === 'canonical' && isHeader(n.target)) {
    const key = stringLiteral(n.args?.[0]);
    return key !== undefined && canonicalMimeHeaderKey(key) === GITHUB_EVENT;
  }
  return false;
}

/**
 * The GitHub event types an expression tests for: `header.match('X-GitHub-Event', 'push')`,
 * `header['X-Github-Event'][0] == 'push'`, `header.canonical('X-GitHub-Event') in ['push', 'create']`. Negated
 * tests (`!`, `!=`) declare nothing.
 */
export function githubEventsOf(ast: CelAstNode | undefined): string[] {
  const out = new Set<string>();
  const visit = (n: CelAstNode, depth: number): void => {
    if (depth > 200) return;
    if (n.kind === 'unary' && n.name === '!') return;
    if (n.kind === 'binary' && n.name === '!=') return;
    if (n.kind === 'call' && n.name === 'match' && isHeader(n.target)) {
      const key = stringLiteral(n.args?.[0]);
      const value = stringLiteral(n.args?.[1]);
      if (key !== undefined && value !== undefined && canonicalMimeHeaderKey(key) === GITHUB_EVENT) out.add(value);
    }
    if (n.kind === 'binary' && n.name === '==' && n.args?.length === 2) {
      const [l, r] = n.args;
      if (isEventHeaderValue(l) && stringLiteral(r) !== undefined) out.add(stringLiteral(r)!);
      if (isEventHeaderValue(r) && stringLiteral(l) !== undefined) out.add(stringLiteral(l)!);
    }
    if (n.kind === 'binary' && n.name === 'in' && n.args?.length === 2) {
      const [l, r] = n.args;
      if (isEventHeaderValue(l) && r.kind === 'list') for (const e of r.args ?? []) if (stringLiteral(e) !== undefined) out.add(stringLiteral(e)!);
      if (isEventHeaderList(r) && stringLiteral(l) !== undefined) out.add(stringLiteral(l)!);
    }
    if (n.target) visit(n.target, depth + 1);
    for (const a of n.args ?? []) visit(a, depth + 1);
    for (const e of n.entries ?? []) {
      visit(e.key, depth + 1);
      visit(e.value, depth + 1);
    }
  };
  if (ast) visit(ast, 0);
  return [...out];
}

const EVENT_TEST_RE = /['"]X-GitHub-Event['"]\s*\)?\s*(?:\[\s*0\s*\]\s*)?(?:,|==)\s*['"]([A-Za-z_]+)['"]/gi;

/**
 * The GitHub events an expression tests for; text that does not parse (while typing) is searched for the usual
 * forms instead.
 */
export function githubEventsInText(text: string, env: EnvRef = 'triggers'): string[] {
  const parsed = parse(text, env);
  if (parsed.ast) return githubEventsOf(parsed.ast);
  const out = new Set<string>();
  for (const m of text.matchAll(EVENT_TEST_RE)) out.add(m[1]);
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------
// Data shapes

/** The body shape for an expression: the declared GitHub events plus the sample payload. */
export function bodyShapeFor(context: CelEditorContext, ownEvents: readonly string[]): BodyShape | undefined {
  const events = [...new Set([...(context.githubEvents ?? []), ...ownEvents])];
  return mergeShapes([events.length ? githubBodyShape(events) : undefined, sampleBodyShape(context.samplePayload)]);
}

/** One entry below a path of the `extensions` map. */
export interface ExtensionField {
  name: string;
  type?: string;
  source?: string;
  /** True when the entry is a key an interceptor writes (not an intermediate map of a dotted key). */
  leaf: boolean;
}

/**
 * The fields of `extensions` at `path`: keys written by earlier interceptors, and below an overlay whose expression
 * is a body path (`key: repo, expression: body.repository`), the body's fields there.
 */
export function extensionFieldsAt(
  context: CelEditorContext,
  path: readonly string[],
  body: BodyShape | undefined,
): { keys: ExtensionField[]; fields: BodyField[] } {
  const keys = new Map<string, ExtensionField>();
  const fields: BodyField[] = [];
  for (const ext of context.extensions ?? []) {
    if (ext.path.length > path.length && path.every((s, i) => ext.path[i] === s)) {
      const name = ext.path[path.length];
      const leaf = ext.path.length === path.length + 1;
      const prev = keys.get(name);
      if (!prev || leaf) keys.set(name, { name, leaf, type: leaf ? ext.type : 'map(string, dyn)', source: ext.source });
    } else if (ext.path.length <= path.length && ext.path.every((s, i) => path[i] === s) && ext.expression && body) {
      const target = bodyPathOfExpression(ext.expression);
      if (target) fields.push(...body.fieldsAt([...target, ...path.slice(ext.path.length)]));
    }
  }
  return { keys: [...keys.values()], fields };
}

/** What is known about `extensions.<path>`: the interceptor output it names, or the body field an overlay copied. */
export function extensionAt(
  context: CelEditorContext,
  path: readonly string[],
  body: BodyShape | undefined,
): { ext?: ExtensionKeyInfo; field?: BodyField } | undefined {
  for (const ext of context.extensions ?? []) {
    if (ext.path.length === path.length && ext.path.every((s, i) => path[i] === s)) return { ext };
    if (ext.path.length < path.length && ext.path.every((s, i) => path[i] === s) && ext.expression && body) {
      const target = bodyPathOfExpression(ext.expression);
      const field = target && body.fieldAt([...target, ...path.slice(ext.path.length)]);
      if (field) return { ext, field };
    }
  }
  return undefined;
}

function bodyPathOfExpression(expression: string): string[] | undefined {
  const parsed = parse(expression, 'triggers');
  const p = valuePathOf(parsed.ast, new Map());
  return p?.root === 'body' ? p.path : undefined;
}


// ---------------------------------------------------------------------------------------------------------
// Function documentation

/** One overload as CEL documentation writes it: `<string>.truncate(int) -> string`, `size(list) -> int`. */
export function formatOverload(name: string, o: CelOverloadDoc): string {
  const params = o.params.join(', ');
  return o.receiver ? `<${o.receiver}>.${name}(${params}) -> ${o.result}` : `${name}(${params}) -> ${o.result}`;
}

/** Markdown documentation of a function: its signatures, what it does, where it comes from and an example. */
export function functionMarkdown(fn: CelFunctionDoc): string {
  const lines = ['```cel', ...fn.overloads.map((o) => formatOverload(fn.name, o)), '```', fn.doc];
  const from = fn.library === 'cel' ? 'the CEL standard library' : fn.library === 'tekton' ? 'Tekton Triggers (triggers.go)' : fn.library === 'kfp' ? 'Kubeflow Pipelines' : `cel-go ${fn.library}`;
  lines.push('', `*${fn.macro ? 'Macro' : 'Function'} from ${from}.*`);
  if (fn.example) lines.push('', 'Example: `' + fn.example + '`');
  return lines.join('\n');
}

/** Type notation as cel-go and the Tekton docs write it: `map(string, dyn)` rather than cel-js's `map<string, dyn>`. */
export function displayType(t: string | undefined): string {
  return (t ?? 'dyn').replace(/</g, '(').replace(/>/g, ')');
}
