/**
 * The `$(...)` syntax of Tekton Triggers, with positions: binding values (`$(body.a.b)`, evaluated as Kubernetes
 * JSONPath, tektoncd/triggers pkg/template/jsonpath.go) and TriggerTemplate substitutions (`$(tt.params.x)`,
 * `$(uid)`, pkg/template/resource.go). Positions are offsets in a scalar's decoded value; callers map them to the
 * document with a ScalarMap.
 */

/** One `$(...)` found in a value: `start` is the `$`, `end` is just past the closing `)`. */
export interface FoundExpression {
  start: number;
  end: number;
  /** The text between `$(` and the closing `)`. */
  inner: string;
  innerStart: number;
}

/**
 * The value split on `$(` as upstream splits it: each piece runs to the next `$(` (or the end), and `close` is the
 * index of its first unbalanced `)`, or -1 when the piece has none.
 */
function pieces(value: string): { start: number; end: number; close: number }[] {
  const out: { start: number; end: number; close: number }[] = [];
  let at = value.indexOf('$(');
  while (at >= 0) {
    const next = value.indexOf('$(', at + 2);
    const end = next < 0 ? value.length : next;
    let open = 0;
    let close = -1;
    for (let i = at + 2; i < end && close < 0; i++) {
      const ch = value.charCodeAt(i);
      if (ch === 40 /* ( */) open++;
      else if (ch === 41 /* ) */ && --open < 0) close = i;
    }
    out.push({ start: at, end, close });
    at = next;
  }
  return out;
}

/**
 * Upstream `findTektonExpressions` with positions: each piece is cut at its first unbalanced `)`; pieces without one
 * are not expressions (their text stays literal at run time).
 */
export function findExpressions(value: string): FoundExpression[] {
  return pieces(value)
    .filter((p) => p.close >= 0)
    .map((p) => ({ start: p.start, end: p.close + 1, inner: value.slice(p.start + 2, p.close), innerStart: p.start + 2 }));
}

/** A `$(` whose piece has no unbalanced `)`, and whether admission rejects it (every piece but the last). */
export interface UnterminatedExpression {
  start: number;
  end: number;
  rejected: boolean;
}

/**
 * The `$(` pieces that are never closed. Upstream `validateParamValue` (trigger_binding_validation.go) checks a
 * piece's termination only when it meets the next `$(`, so an unterminated last piece passes admission (and stays
 * literal text when the binding is evaluated).
 */
export function unterminatedExpressions(value: string): UnterminatedExpression[] {
  return pieces(value)
    .filter((p) => p.close < 0)
    .map((p) => ({ start: p.start, end: p.end, rejected: p.end < value.length }));
}

/** Upstream `paramsRegexp` (trigger_template_validation.go), dots unescaped as upstream writes them. */
const TT_PARAM_RE = /\$\(tt.params.([_a-zA-Z][_a-zA-Z0-9.-]*)\)/g;

/** A `$(tt.params.NAME)` reference in a value. */
export interface TemplateParamRef {
  name: string;
  start: number;
  end: number;
}

/** Every `$(tt.params.NAME)` in a value, matched exactly as the admission webhook matches them. */
export function templateParamRefs(value: string): TemplateParamRef[] {
  if (!value.includes('$(')) return [];
  const out: TemplateParamRef[] = [];
  for (const m of value.matchAll(TT_PARAM_RE)) out.push({ name: m[1], start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** True when a scalar is exactly one substitution (`$(tt.params.x)` or `$(uid)`): after rendering it can be anything. */
export function isWholeSubstitution(value: string): boolean {
  if (value === '$(uid)') return true;
  const refs = templateParamRefs(value);
  return refs.length === 1 && refs[0].start === 0 && refs[0].end === value.length;
}

// ---------------------------------------------------------------------------------------------------------
// Binding JSONPath

/** A step of a binding path: a field, an element of a list, or something this module does not follow. */
export interface PathStep {
  kind: 'field' | 'element' | 'any';
  /** Field name with escapes removed. */
  name: string;
  /** Offsets of the step in the expression's inner text. */
  start: number;
  end: number;
}

/** A parsed binding expression: its root variable (`body`, `header`, …) and the steps below it. */
export interface BindingPath {
  root: string;
  rootStart: number;
  rootEnd: number;
  steps: PathStep[];
  /** False when the path uses syntax this parser does not model (the steps stop there). */
  complete: boolean;
}

/**
 * Parses the inner text of a binding expression the way upstream relaxes it (`a.b`, `.a.b`, `{a.b}`, `{.a.b}` →
 * `{.a.b}`) and splits it into steps: `.field` (with `\.` and `\/` escapes), `['key']`, `[n]` / `[a:b]` / `[?(…)]`
 * (an element of a list); `[*]`, unions and `..` end the modelled part. Offsets are relative to `inner`.
 */
export function parseBindingPath(inner: string): BindingPath | undefined {
  let i = 0;
  let end = inner.length;
  if (inner.startsWith('{')) {
    if (!inner.endsWith('}')) return undefined;
    i = 1;
    end--;
  }
  if (inner[i] === '.') i++;
  const steps: PathStep[] = [];
  const field = (): { name: string; start: number; end: number } => {
    const start = i;
    let name = '';
    while (i < end && inner[i] !== '.' && inner[i] !== '[') {
      if (inner[i] === '\\' && i + 1 < end) {
        name += inner[i + 1];
        i += 2;
      } else name += inner[i++];
    }
    return { name, start, end: i };
  };
  const root = field();
  if (!root.name) return undefined;
  let complete = true;
  while (i < end && complete) {
    if (inner[i] === '.') {
      if (inner[i + 1] === '.') {
        complete = false;
        break;
      }
      i++;
      const f = field();
      steps.push({ kind: 'field', ...f });
      continue;
    }
    // `[` … `]`
    const close = inner.indexOf(']', i);
    if (close < 0 || close >= end) {
      complete = false;
      break;
    }
    const body = inner.slice(i + 1, close).trim();
    const start = i;
    i = close + 1;
    const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(body);
    if (quoted) steps.push({ kind: 'field', name: quoted[1] ?? quoted[2], start, end: i });
    else if (/^-?\d+$|^-?\d*:-?\d*(:-?\d*)?$|^\?\(/.test(body))
      steps.push({ kind: 'element', name: body, start, end: i });
    else {
      steps.push({ kind: 'any', name: body, start, end: i });
      complete = false;
    }
  }
  return { root: root.name, rootStart: root.start, rootEnd: root.end, steps, complete };
}

/** Splits an sjson key (a cel overlay `key`) into its path: `a.b` writes `{"a": {"b": …}}`; `\.` escapes a dot. */
export function sjsonPath(key: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    if (key[i] === '\\' && i + 1 < key.length) cur += key[++i];
    else if (key[i] === '.') {
      out.push(cur);
      cur = '';
    } else cur += key[i];
  }
  out.push(cur);
  return out;
}
