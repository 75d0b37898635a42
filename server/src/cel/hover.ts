/**
 * Hover inside a CEL expression. Positions are CEL-text offsets; service/celFeatures.ts maps them to the document.
 *
 * The hover describes the innermost sub-expression under the cursor: its checked type (`body.ref` → `dyn`,
 * `header.match(…)` → `bool`), and what the editor knows about the data it reads (the GitHub schema's description of
 * a body field and its JSON type at run time, the interceptor that writes an extension, the sender of a header). On a
 * function or macro name it shows the signatures and documentation; on a variable, the variable's documentation.
 */
import { checkExpression, findNodeAt, type CelAstNode, type EnvRef } from './celService';
import {
  bindingsAt, bodyShapeFor, displayType, extensionAt, functionMarkdown, githubEventsOf, staticTypeOf, valuePathOf,
  type CelEditorContext, type ValuePath,
} from './celContext';
import { celTypeOfJson, type BodyField } from './bodySchemas';
import { getEnvironment, type CelEnvironment } from './environments';
import { canonicalMimeHeaderKey } from './goCompat';
import { tokenize } from './tokens';
import { findWebhookHeader } from './webhooks';

/** Hover contents: markdown, and the CEL range it describes. */
export interface CelHover {
  markdown: string;
  start: number;
  end: number;
}

function resolveEnv(env: EnvRef): CelEnvironment {
  return typeof env === 'string' ? getEnvironment(env) : env;
}

/**
 * Describes the sub-expression at `offset`, or undefined when there is nothing to say (white space, text that does
 * not parse and is not a known name). Never throws.
 */
export function doHover(text: string, offset: number, envRef: EnvRef, context: CelEditorContext = {}): CelHover | undefined {
  try {
    if (offset < 0 || offset > text.length) return undefined;
    return hover(text, offset, resolveEnv(envRef), context);
  } catch {
    return undefined;
  }
}

function hover(text: string, offset: number, env: CelEnvironment, context: CelEditorContext): CelHover | undefined {
  const checked = checkExpression(text, env);
  if (!checked.ast) return hoverOnName(text, offset, env);
  const ast = checked.ast;
  const node = findNodeAt(ast, offset);
  if (!node) return undefined;
  const bindings = bindingsAt(ast, offset);
  const type = (n: CelAstNode) => displayType(staticTypeOf(n, bindings, text, env));
  const src = (n: CelAstNode) => text.slice(n.start, n.end);

  if (node.kind === 'call' && node.nameStart !== undefined && node.nameEnd !== undefined && offset >= node.nameStart && offset <= node.nameEnd) {
    const ns = node.target?.kind === 'ident' && env.namespaces.has(node.target.name!) && !bindings.has(node.target.name!) ? node.target.name : undefined;
    const fn = env.functions.get(ns ? `${ns}.${node.name}` : node.name!);
    if (fn) {
      const markdown = `${functionMarkdown(fn)}\n\n---\n\`${short(src(node))}\`: \`${type(node)}\``;
      return { markdown, start: node.nameStart, end: node.nameEnd };
    }
  }

  const lines = [`\`${short(src(node))}\`: \`${type(node)}\``];
  switch (node.kind) {
    case 'ident': {
      const bound = bindings.get(node.name!);
      if (bound) {
        lines.push('', `Comprehension variable: each element of \`${short(src(bound))}\` (each key, for a map).`);
        lines.push(...dataLines(valuePathOf(node, bindings), context, ast));
      } else if (env.variables.has(node.name!)) {
        const v = env.variables.get(node.name!)!;
        lines[0] = `\`${v.name}\`: \`${v.type}\``;
        lines.push('', v.doc);
      } else if (env.namespaces.has(node.name!)) {
        const members = [...env.functions.keys()].filter((n) => n.startsWith(`${node.name}.`));
        lines[0] = `\`${node.name}\`: namespace`;
        lines.push('', members.map((m) => `\`${m}()\``).join(', '));
      }
      break;
    }
    case 'select':
    case 'index': {
      const path = valuePathOf(node, bindings);
      lines.push(...dataLines(path, context, ast));
      break;
    }
    case 'literal': {
      // The header name in `header['X-Github-Event']`, `header.match('X-GitHub-Event', …)`.
      const header = typeof node.value === 'string' ? headerNameContext(ast, node) : undefined;
      if (header) lines.push(...headerLines(String(node.value), header === 'index'));
      break;
    }
    case 'binary':
      lines[0] = `\`${node.name}\` → \`${type(node)}\``;
      break;
  }
  return { markdown: lines.join('\n'), start: node.start, end: node.end };
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}

/** What the schema, the sample payload or the chain says about the data a path reads. */
function dataLines(path: ValuePath | undefined, context: CelEditorContext, ast: CelAstNode): string[] {
  if (!path) return [];
  const shape = bodyShapeFor(context, githubEventsOf(ast));
  if (path.root === 'body') {
    const field = shape?.fieldAt(path.path);
    return field ? fieldLines(field) : [];
  }
  if (path.root === 'extensions') {
    const found = extensionAt(context, path.path, shape);
    if (!found) return [];
    const out: string[] = [];
    if (found.field) out.push(...fieldLines(found.field));
    if (found.ext) {
      out.push('', `Written by the ${found.ext.source}` + (found.ext.expression ? `: \`${short(found.ext.expression)}\`` : '.'));
      if (found.ext.type && !found.field) out.push('', `Value type: \`${found.ext.type}\``);
    }
    return out;
  }
  if (path.root === 'header' && path.path.length === 1) return headerLines(path.path[0], true);
  return [];
}


function fieldLines(field: BodyField): string[] {
  const out: string[] = [''];
  const runtime = celTypeOfJson(field.jsonTypes);
  const events = field.sources.filter((s) => s !== 'sample payload');
  const where = events.length ? ` in GitHub ${events.map((e) => `\`${e}\``).join(', ')} events` : '';
  if (runtime) out.push(`At run time: \`${runtime}\` (JSON ${field.jsonTypes.join(' | ')})${where}.`);
  if (field.description) out.push('', field.description);
  if (field.example !== undefined) out.push('', `Sample payload: \`${field.example}\``);
  return out;
}

function headerLines(name: string, index: boolean): string[] {
  const out: string[] = [];
  const h = findWebhookHeader(name);
  if (h) out.push('', `${h.provider} header: ${h.doc}`);
  const canonical = canonicalMimeHeaderKey(name);
  if (index) {
    out.push('', 'A list of strings (Go `http.Header`): use `[0]`, or `header.canonical()` for the first value.');
    if (canonical !== name) out.push('', `Never present: header keys are canonical, use \`${canonical}\`.`);
  }
  return out;
}

/** Whether a string literal is a header name: `index` in `header['…']`, `argument` in `header.match('…', …)`. */
function headerNameContext(root: CelAstNode, lit: CelAstNode): 'index' | 'argument' | undefined {
  let found: 'index' | 'argument' | undefined;
  const isHeader = (n: CelAstNode | undefined) => n?.kind === 'ident' && n.name === 'header';
  const visit = (n: CelAstNode): void => {
    if (found || lit.start < n.start || lit.end > n.end) return;
    if (n.kind === 'index' && isHeader(n.target) && n.args?.[0] === lit) found = 'index';
    if (n.kind === 'call' && isHeader(n.target) && (n.name === 'match' || n.name === 'canonical') && n.args?.[0] === lit) found = 'argument';
    if (n.target) visit(n.target);
    for (const a of n.args ?? []) visit(a);
    for (const e of n.entries ?? []) {
      visit(e.key);
      visit(e.value);
    }
  };
  visit(root);
  return found;
}

/** Text that does not parse: still document a function or variable name under the cursor. */
function hoverOnName(text: string, offset: number, env: CelEnvironment): CelHover | undefined {
  const tokens = tokenize(text);
  const i = tokens.findIndex((t) => t.kind === 'ident' && t.start <= offset && offset <= t.end);
  if (i < 0) return undefined;
  const tok = tokens[i];
  const prev = tokens[i - 1];
  const prev2 = tokens[i - 2];
  const ns = prev?.text === '.' && prev2?.kind === 'ident' && env.namespaces.has(prev2.text) ? prev2.text : undefined;
  const fn = env.functions.get(ns ? `${ns}.${tok.text}` : tok.text);
  if (fn && tokens[i + 1]?.text === '(') return { markdown: functionMarkdown(fn), start: tok.start, end: tok.end };
  const v = prev?.text !== '.' ? env.variables.get(tok.text) : undefined;
  if (v) return { markdown: `\`${v.name}\`: \`${v.type}\`\n\n${v.doc}`, start: tok.start, end: tok.end };
  return undefined;
}
