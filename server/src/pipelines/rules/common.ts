import { isMap, isScalar, isSeq, Node, Pair, YAMLMap } from 'yaml';
import { getPair } from '../../document/yamlAst';
import { closest, Severity } from '../../document/problem';
import { Fix, FixableProblem } from '../variables/fixes';
import { NameRef, ParamSpecModel, ResultSpecModel, scalarString } from '../specModel';

/** Something with a document range: a node, a name, or explicit offsets. */
export type Where = Node | NameRef | { start: number; end: number } | null | undefined;

/** The `[start, end)` of a node, name or range. */
export function rangeOf(at: Where): { start: number; end: number } | undefined {
  if (!at) return undefined;
  if ('range' in at && at.range) return { start: at.range[0], end: at.range[1] };
  if ('start' in at && typeof at.start === 'number') return { start: at.start, end: (at as { end: number }).end };
  return undefined;
}

/** Collects problems for one document; problems without a range fall back to `fallback`. */
export class Reporter {
  readonly out: FixableProblem[] = [];
  constructor(
    private readonly fallback: { start: number; end: number },
    /** The resource text, to trim the trailing line breaks block collections include in their range. */
    private readonly text?: string,
  ) {}

  add(at: Where, severity: Severity, code: string, message: string, fixes?: Fix[]): void {
    const r = rangeOf(at) ?? this.fallback;
    let end = Math.max(r.end, r.start);
    if (this.text) while (end > r.start && /\s/.test(this.text[end - 1])) end--;
    const p: FixableProblem = { start: r.start, end, message, code, severity, source: 'tekton' };
    if (fixes?.length) p.fixes = fixes;
    this.out.push(p);
  }
  error(at: Where, code: string, message: string, fixes?: Fix[]): void {
    this.add(at, 'error', code, message, fixes);
  }
  warning(at: Where, code: string, message: string, fixes?: Fix[]): void {
    this.add(at, 'warning', code, message, fixes);
  }
}

/** The key node of `key` in a map (for problems about a field being present). */
export function keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
  const pair = map ? getPair(map, key) : undefined;
  return (pair?.key ?? undefined) as Node | undefined;
}

/** True when the map has the key with a value that is not null. */
export function has(map: YAMLMap | undefined, key: string): boolean {
  const pair = map ? getPair(map, key) : undefined;
  if (!pair) return false;
  const v = pair.value as Node | null;
  return !!v && !(isScalar(v) && v.value === null);
}

/**
 * True when the map has a key that looks like a misspelling of one of `keys` (`imag`, `taskref`, `workspcae`). The
 * schema reports the unknown key; a "missing field" problem on top of it would report the same mistake twice.
 */
export function hasNearKey(map: YAMLMap | undefined, ...keys: string[]): boolean {
  for (const pair of map?.items ?? []) {
    const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (k === undefined || keys.includes(k)) continue;
    if (closest(k, keys)) return true;
  }
  return false;
}

/** True when the value is a non-empty sequence, a non-empty string, or a non-empty map (Go's len(x) > 0 / x != ""). */
export function nonEmpty(n: unknown): boolean {
  if (isSeq(n)) return n.items.length > 0;
  if (isMap(n)) return n.items.length > 0;
  if (isScalar(n)) return n.value !== null && n.value !== undefined && String(n.value) !== '';
  return false;
}

/** k8s.io/apimachinery validation.IsDNS1123Label. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
}

const STRING_ARRAY_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;
/** result_types.go ResultNameFormat. */
export const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True when a string holds a `$(` variable: Tekton substitutes it before its own value checks. */
export function hasVariable(s: string | undefined): boolean {
  return !!s && s.includes('$(');
}

/**
 * Param declaration rules shared by Pipelines, Tasks and StepActions (param_types.go ValidateNoDuplicateNames,
 * validateParamEnums, task_validation.go ValidateType/ValidateObjectType/validateNameFormat/
 * validateObjectParamsHaveProperties). The type enum itself is the schema's check.
 */
export function checkParamSpecs(r: Reporter, params: ParamSpecModel[], owner: 'pipeline' | 'task' | 'stepaction'): void {
  const seen = new Set<string>();
  for (const p of params) {
    const at = p.ref ?? p.node;
    if (p.ref) {
      if (seen.has(p.name)) r.error(p.ref, 'duplicate-param', `param "${p.name}" is declared more than once`);
      seen.add(p.name);
    }
    if (owner !== 'pipeline' && p.ref) {
      const re = p.type === 'object' ? OBJECT_NAME : STRING_ARRAY_NAME;
      if (!re.test(p.name))
        r.error(
          p.ref,
          'param-name-invalid',
          p.type === 'object'
            ? `object param name "${p.name}" must start with a letter or "_" and contain only letters, digits, "-" and "_"`
            : `param name "${p.name}" must start with a letter or "_" and contain only letters, digits, "-", "_" and "."`,
        );
    }
    const valid = p.declaredType === undefined || ['string', 'array', 'object'].includes(p.declaredType);
    if (valid && p.defaultNode && p.defaultType && p.defaultType !== p.type)
      r.error(p.defaultNode, 'param-default-type', `param "${p.name}" is of type ${p.type} but its default is ${article(p.defaultType)}`);
    if (p.type === 'object') {
      if (!p.properties)
        r.add(
          at,
          owner === 'pipeline' ? 'warning' : 'error',
          'object-param-properties',
          `object param "${p.name}" needs "properties" declaring its keys`,
        );
      else {
        for (const pair of (isMap(p.propertiesNode) ? p.propertiesNode.items : []) as Pair[]) {
          const t = scalarString(isMap(pair.value) ? (pair.value as YAMLMap).get('type') : undefined);
          if (t !== undefined && t !== 'string')
            r.error(pair.value as Node, 'object-param-property-type', `the keys of object param "${p.name}" must be strings, not ${t}`);
          if (owner !== 'pipeline' && isScalar(pair.key) && !OBJECT_NAME.test(String(pair.key.value)))
            r.error(
              pair.key as Node,
              'param-name-invalid',
              `object key "${String(pair.key.value)}" must start with a letter or "_" and contain only letters, digits, "-" and "_"`,
            );
        }
        if (p.defaultType === 'object' && p.defaultValue && typeof p.defaultValue === 'object' && !Array.isArray(p.defaultValue)) {
          const missing = p.properties.filter((k) => !(k in (p.defaultValue as Record<string, string>)));
          // The reconciler needs each key from the run's value or the default (validate_taskrun.go
          // MissingKeysObjectParamNames): a run that passes the rest is fine, as upstream's
          // examples/v1/taskruns/object-param-result.yaml does; a run that does not is its own warning (runs.ts).
          if (missing.length)
            r.add(
              p.defaultNode,
              'information',
              'object-param-missing-keys',
              `the default of object param "${p.name}" lacks key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: each run must pass ${missing.length > 1 ? 'them' : 'it'}`,
            );
        }
      }
    }
    if (p.enum) {
      if (p.type !== 'string') r.error(p.enumNode, 'param-enum-type', `enum can only be set on a string param; "${p.name}" is ${article(p.type)}`);
      const values = new Set<string>();
      for (const v of p.enum) {
        if (values.has(v)) r.error(p.enumNode, 'param-enum-duplicate', `enum value "${v}" of param "${p.name}" appears more than once`);
        values.add(v);
      }
      if (typeof p.defaultValue === 'string' && p.defaultValue !== '' && !hasVariable(p.defaultValue) && !values.has(p.defaultValue))
        r.error(
          p.defaultNode,
          'param-enum-default',
          `the default "${p.defaultValue}" of param "${p.name}" is not in its enum (${p.enum.join(', ')})`,
        );
    }
  }
}

/** "a string", "an array", "an object". */
export function article(t: string): string {
  return t === 'array' || t === 'object' ? `an ${t}` : `a ${t}`;
}

/** Result declaration rules (result_validation.go TaskResult.Validate). */
export function checkResultSpecs(r: Reporter, results: ResultSpecModel[], what: string): void {
  const seen = new Set<string>();
  for (const res of results) {
    if (!res.ref) continue;
    if (!RESULT_NAME.test(res.name))
      r.error(
        res.ref,
        'result-name-invalid',
        `${what} name "${res.name}" must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
      );
    // Admission does not check it (no duplicate rule for results; the CRD lists are atomic) and both write one file.
    if (seen.has(res.name))
      r.add(res.ref, 'information', 'duplicate-result', `${what} "${res.name}" is declared more than once: Tekton accepts it, this one is redundant`);
    seen.add(res.name);
    if (res.type === 'object') {
      if (!res.properties) r.error(res.ref, 'object-result-properties', `object ${what} "${res.name}" needs "properties" declaring its keys`);
      for (const pair of (isMap(res.propertiesNode) ? res.propertiesNode.items : []) as Pair[]) {
        const t = scalarString(isMap(pair.value) ? (pair.value as YAMLMap).get('type') : undefined);
        if (t !== undefined && t !== 'string')
          r.error(pair.value as Node, 'object-param-property-type', `the keys of object ${what} "${res.name}" must be strings, not ${t}`);
      }
    }
  }
}

/** The value of a string scalar (not of a number or boolean written bare), else undefined. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** A param value given as a string with a `$(...)` in it: substituted before any check of its shape. */
export function isSubstitution(node: unknown): boolean {
  return !!stringValue(node)?.includes('$(');
}
