/**
 * The substitutions of resource templates: every `$(tt.params.NAME)` in the scalars (keys included) of a
 * TriggerTemplate's `resourcetemplates`, with its source range. Upstream matches its regex over each template's raw
 * JSON; a match can never span two JSON tokens, so matching scalar by scalar finds the same names.
 */
import { Node, Scalar } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from '../../document/yamlAst';
import { scalarMap } from '../../document/scalarMap';
import { templateParamRefs } from './expressions';
import { TemplateModel } from './model';

/** Deeper nesting than this is not searched (a 5000-deep document must not overflow the stack). */
const MAX_DEPTH = 200;

/** A `$(tt.params.NAME)` in a resource template, with its source range (relative to the resource text). */
export interface TemplateSubstitution {
  name: string;
  start: number;
  end: number;
  scalar: Scalar;
}

/** Calls `visit` for every scalar (map keys included) under `node`, depth first, in document order. */
export function forEachScalar(node: Node | null | undefined, visit: (s: Scalar) => void, depth = 0): void {
  if (!node || depth > MAX_DEPTH || isAlias(node)) return;
  if (isScalar(node)) visit(node);
  else if (isMap(node))
    for (const pair of node.items) {
      forEachScalar(pair.key as Node | null, visit, depth + 1);
      forEachScalar(pair.value as Node | null, visit, depth + 1);
    }
  else if (isSeq(node)) for (const item of node.items) forEachScalar(item as Node | null, visit, depth + 1);
}

const cache = new WeakMap<TemplateModel, TemplateSubstitution[]>();

/** Every `$(tt.params.NAME)` of a template's resourcetemplates, in document order. Computed once per model. */
export function templateSubstitutions(template: TemplateModel, text: string): TemplateSubstitution[] {
  let out = cache.get(template);
  if (out) return out;
  out = [];
  for (const rt of template.resourceTemplates)
    forEachScalar(rt, (s) => {
      if (typeof s.value !== 'string' || !s.value.includes('$(tt')) return;
      const refs = templateParamRefs(s.value);
      if (!refs.length) return;
      // Only scalars holding a substitution pay for a map (most template scalars have none).
      const map = scalarMap(s, text);
      for (const r of refs) out!.push({ name: r.name, ...map.toSource(r.start, r.end), scalar: s });
    });
  cache.set(template, out);
  return out;
}
