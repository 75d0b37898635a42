/** Small helpers shared by the KFP rules: problems on nodes, did-you-mean with a quick fix. */
import { closest, type Fix, type Problem, type Severity } from '../../document/problem';
import type { ScalarMap } from '../../document/scalarMap';
import { isScalar, type Node, type Scalar } from '../../document/yamlAst';

export function at(node: Node | undefined, message: string, code: string, severity: Severity = 'error', fixes?: Fix[]): Problem {
  const r = node?.range ?? [0, 0];
  const p: Problem = { start: r[0], end: r[1], message, code, severity, source: 'kfp' };
  if (fixes?.length) p.fixes = fixes;
  return p;
}

/** The text that writes `value` in place of a scalar, keeping its quoting style. */
function scalarText(node: Scalar, value: string): string {
  if (node.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (node.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return /^[\w.-]+$/.test(value) && !/^(true|false|null|~|[-+.\d][\d.eE+-]*)$/i.test(value) ? value : JSON.stringify(value);
}

/** A fix replacing a scalar by another name. */
export function replaceFix(node: Scalar, value: string): Fix[] {
  const r = node.range;
  if (!r) return [];
  return [{ title: `Change to "${value}"`, edits: [{ start: r[0], end: r[1], newText: scalarText(node, value) }] }];
}

/** A name inside a string scalar (a placeholder, CEL): its offset in the decoded value and the map to the source. */
export interface InScalar {
  map: ScalarMap;
  start: number;
}

/**
 * An unknown name, on its scalar or inside one: `message` + `; did you mean "x"?` with the fix (inside a scalar only
 * when the name is written verbatim), or the candidates when they are few.
 */
export function unknownName(
  where: Scalar | InScalar,
  name: string,
  candidates: Iterable<string>,
  message: string,
  code: string,
  severity: Severity = 'error',
): Problem {
  const list = [...candidates];
  const suggestion = closest(name, list);
  const hint = suggestion
    ? `; did you mean "${suggestion}"?`
    : list.length === 0
      ? ' (none declared)'
      : list.length <= 8
        ? `; expected one of ${list.map((c) => `"${c}"`).join(', ')}`
        : '';
  if (isScalar(where)) return at(where, message + hint, code, severity, suggestion ? replaceFix(where, suggestion) : undefined);
  const range = where.map.toSource(where.start, where.start + name.length);
  const p: Problem = { ...range, message: message + hint, code, severity, source: 'kfp' };
  if (suggestion && where.map.isVerbatim(where.start, where.start + name.length))
    p.fixes = [{ title: `Change to "${suggestion}"`, edits: [{ start: range.start, end: range.end, newText: suggestion }] }];
  return p;
}
