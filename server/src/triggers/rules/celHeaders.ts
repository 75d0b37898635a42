/**
 * Header names in the CEL interceptor's `header.match(name, value)` and `header.canonical(name)` that the event will
 * not carry. Both canonicalise the name with Go's `textproto.CanonicalMIMEHeaderKey` (pkg/interceptors/cel/triggers.go),
 * which keeps underscores: `header.match('ce_type', 'push')` looks for `Ce_type`. CloudEvents' HTTP binding sends
 * `ce-type` (canonical `Ce-Type`), GitHub, GitLab and Bitbucket send hyphenated names, and proxies such as nginx drop
 * headers with underscores by default: the test is probably never true (a warning naming the canonical form).
 */
import type { Problem } from '../../document/problem';
import type { YamlResource } from '../../document/tektonDocument';
import { scalarMap } from '../../document/scalarMap';
import { getString, getValue, isMap, isScalar, isSeq, walkPairs, type Node } from '../../document/yamlAst';
import type { CelAstNode } from '../../cel/ast';
import { parse } from '../../cel/celService';
import { canonicalMimeHeaderKey } from '../../cel/goCompat';

/** The problems of every `filter` and overlay `expression` of the cel interceptors of a document. */
export function checkCelHeaderNames(resource: YamlResource): Problem[] {
  const out: Problem[] = [];
  walkPairs(resource.root, (key, value) => {
    if (key !== 'interceptors' || !isSeq(value)) return;
    for (const interceptor of value.items) for (const e of celExpressions(interceptor as Node)) check(e, resource.text, out);
  });
  return out;
}

/** The filter and overlay expressions of one interceptor (`ref: {name: cel}` with params, or the v1alpha1 `cel:` form). */
function celExpressions(interceptor: Node): Node[] {
  const out: Node[] = [];
  const overlays = (list: unknown) => {
    if (isSeq(list)) for (const o of list.items) out.push(getValue(o, 'expression') as Node);
  };
  const ref = getValue(interceptor, 'ref');
  if (getString(ref, 'name') === 'cel') {
    const params = getValue(interceptor, 'params');
    if (isSeq(params))
      for (const p of params.items) {
        const name = getString(p, 'name');
        if (name === 'filter') out.push(getValue(p, 'value') as Node);
        else if (name === 'overlays') overlays(getValue(p, 'value'));
      }
  }
  const legacy = getValue(interceptor, 'cel');
  if (isMap(legacy)) {
    out.push(getValue(legacy, 'filter') as Node);
    overlays(getValue(legacy, 'overlays'));
  }
  return out.filter((n) => isScalar(n) && typeof n.value === 'string');
}

function check(node: Node, text: string, out: Problem[]): void {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('_')) return;
  let ast: CelAstNode | undefined;
  try {
    ast = parse(node.value, 'triggers').ast;
  } catch {
    return;
  }
  if (!ast) return;
  const map = scalarMap(node, text);
  visit(ast, 0, (arg, name) => {
    const suggestion = canonicalMimeHeaderKey(name.replace(/_/g, '-'));
    const at = map.toSource(arg.start, arg.end);
    // The literal as written (its quotes and the scalar's escaping kept), with the suggested name in it.
    const written = text.slice(at.start, at.end);
    const fixes = written.includes(name) ? [{ title: `Change to '${suggestion}'`, edits: [{ ...at, newText: written.replace(name, suggestion) }] }] : undefined;
    out.push({
      ...at,
      ...(fixes && { fixes }),
      severity: 'warning',
      code: 'cel-header-underscore',
      source: 'tekton',
      message:
        `'${name}' is looked up as '${canonicalMimeHeaderKey(name)}' (Go canonicalises header names and keeps underscores), ` +
        `which senders do not use and proxies drop: did you mean '${suggestion}'?`,
    });
  });
}

function visit(n: CelAstNode, depth: number, found: (arg: CelAstNode, name: string) => void): void {
  if (depth > 200) return;
  if (n.kind === 'call' && (n.name === 'match' || n.name === 'canonical') && n.target?.kind === 'ident' && n.target.name === 'header') {
    const arg = n.args?.[0];
    if (arg?.kind === 'literal' && typeof arg.value === 'string' && arg.value.includes('_')) found(arg, arg.value);
  }
  if (n.target) visit(n.target, depth + 1, found);
  for (const a of n.args ?? []) visit(a, depth + 1, found);
  for (const e of n.entries ?? []) {
    visit(e.key, depth + 1, found);
    visit(e.value, depth + 1, found);
  }
}
