/**
 * The JSONPath dialect of TriggerBinding values, as tektoncd/triggers evaluates it (pkg/template/jsonpath.go over
 * k8s.io/client-go/util/jsonpath with `AllowMissingKeys(false)`):
 *
 * - every `$(...)` in a value is found by balanced-paren scanning after each `$(` (so `$($(body.b))` evaluates only
 *   the innermost expression), and `header.<key>` keys are canonicalised (`$(header.content-type)`);
 * - the inner text is "relaxed" into `{.path}` and evaluated by a port of the Kubernetes JSONPath parser and
 *   evaluator: fields (`\.` and `\/` escapes), `[n]`, `[-1]`, slices `[a:b:c]`, `[*]`, unions `[0,1]`, `['key']`,
 *   recursive descent `..` and filters `[?(@.a == 'x')]` with Go template comparison rules;
 * - results print like upstream `getResults`: one string unquoted (JSON-escaped), any other single value as JSON,
 *   several (or none) as a JSON array.
 *
 * Map iteration (`[*]` on an object, `..`) is in sorted key order here; Go's is random.
 */
import { canonicalHeaderKey, goFormatRuneU, GoInt, goJsonMarshal, GoStruct } from './goEncoding';

// ---------------------------------------------------------------------------------------------------------
// Finding $(...) expressions

/** The `$(...)` expressions of a binding value: what is evaluated and the original text it replaces. */
export interface FoundExpression {
  /** The expression with a canonicalised header key, as evaluated. */
  expression: string;
  /** The text as written, replaced by the result. */
  original: string;
}

/**
 * Upstream `findTektonExpressions`: splits on `$(` and, in each piece, takes the text up to the first unbalanced `)`.
 * `$(this)-$(not-this` yields only `$(this)`; `$($($(x)))` yields `$(x)`.
 */
export function findTektonExpressions(input: string): FoundExpression[] {
  const out: FoundExpression[] = [];
  if (!input.includes('$(')) return out;
  const pieces = input.split('$(');
  for (const piece of pieces.slice(1)) {
    let open = 0;
    for (let i = 0; i < piece.length; i++) {
      const ch = piece[i];
      if (ch === '(') open++;
      else if (ch === ')') {
        open--;
        if (open < 0) {
          let raw = piece.slice(0, i);
          const original = `$(${raw})`;
          if (raw.startsWith('header.')) raw = 'header.' + canonicalHeaderKey(raw.slice('header.'.length));
          out.push({ expression: `$(${raw})`, original });
          break;
        }
      }
    }
  }
  return out;
}

const TEKTON_VAR = /\$\(?([^)]+)\)/;
const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * Upstream `tektonJSONPathExpression`: unwraps `$(...)` and relaxes `a.b`, `.a.b`, `{a.b}` and `{.a.b}` into
 * `{.a.b}`. `$()` gives the empty path.
 */
export function tektonJsonPathExpression(expr: string): { path: string } | { error: string } {
  if (!TEKTON_VAR.test(expr)) return { error: 'expression not wrapped in $()' };
  let unwrapped = expr.startsWith('$(') ? expr.slice(2) : expr;
  if (unwrapped.endsWith(')')) unwrapped = unwrapped.slice(0, -1);
  if (unwrapped.length === 0) return { path: '' };
  const m = RELAXED.exec(unwrapped);
  if (!m)
    return {
      error:
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    };
  return { path: `{.${m[1] || m[2]}}` };
}

// ---------------------------------------------------------------------------------------------------------
// Parser (k8s.io/client-go/util/jsonpath/parser.go)

type ParamsEntry = { value: number; known: boolean; derived: boolean };
type ListNode = { t: 'list'; nodes: PathNode[] };
type PathNode =
  | ListNode
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'wildcard' }
  | { t: 'array'; params: [ParamsEntry, ParamsEntry, ParamsEntry] }
  | { t: 'filter'; left: ListNode; right: ListNode; op: string }
  | { t: 'recursive' }
  | { t: 'union'; lists: ListNode[] }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'identifier'; name: string };

const EOF = '';

class JsonPathError extends Error {}

class Parser {
  private pos = 0;
  private start = 0;
  readonly root: ListNode = { t: 'list', nodes: [] };

  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText(this.root);
    return this.root;
  }

  private next(): string {
    if (this.pos >= this.input.length) return EOF;
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }

  private peek(): string {
    if (this.pos >= this.input.length) return EOF;
    return String.fromCodePoint(this.input.codePointAt(this.pos)!);
  }

  private backup(ch: string): void {
    this.pos -= ch.length;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consumeText() });
        this.pos += 1;
        this.consumeText();
        const list: ListNode = { t: 'list', nodes: [] };
        cur.nodes.push(list);
        this.parseInsideAction(list);
        continue;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consumeText() });
  }

  /** Parses one action up to and including its `}`; iterative where upstream recurses. */
  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        this.consumeText();
      } else if (r === '[') {
        this.parseArray(cur);
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r);
      } else if (r === '.') {
        this.parseField(cur);
      } else if (r === '+' || r === '-' || /\p{Nd}/u.test(r)) {
        this.backup(r);
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup(r);
        this.parseIdentifier(cur);
      } else {
        throw new JsonPathError(`unrecognized character in action: ${goFormatRuneU(r)}`);
      }
    }
  }

  private parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last && last.t === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ t: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseFieldName(cur);
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    this.parseFieldName(cur);
  }

  private parseFieldName(cur: ListNode): void {
    // `advance`: a backslash escapes the next character, even a terminator.
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        this.next();
        continue;
      }
      if (isTerminator(r)) {
        this.backup(r);
        break;
      }
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ t: 'wildcard' });
    else cur.nodes.push({ t: 'field', name: value.replace(/\\/g, '') });
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';

    const strs = text.split(',');
    if (strs.length > 1) {
      const lists: ListNode[] = [];
      for (const s of strs) lists.push(parseAction(`[${s.trim()}]`));
      cur.nodes.push({ t: 'union', lists });
      return;
    }

    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      // Like upstream, the key is re-parsed as `.key`, so dots inside it still separate fields.
      for (const node of parseAction(`.${dict[1]}`).nodes) cur.nodes.push(node);
      return;
    }

    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const values = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: [ParamsEntry, ParamsEntry, ParamsEntry] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = values[i];
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params[i].known = false;
        else {
          const num = Number(v);
          if (!/^[-+]?\d+$/.test(v) || !Number.isSafeInteger(num))
            throw new JsonPathError(`array index ${v} is not a number`);
          params[i] = { value: num, known: true, derived: false };
        }
      } else if (i === 1) {
        params[i] = { value: params[0].value + 1, known: true, derived: true };
      }
    }
    cur.nodes.push({ t: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')') {
        if (begin === end) break;
      }
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) {
      cur.nodes.push({ t: 'filter', left: parseAction(text), right: { t: 'list', nodes: [] }, op: 'exists' });
    } else {
      cur.nodes.push({ t: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), op: m[2] });
    }
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    cur.nodes.push({ t: 'text', text: unquoteExtend(value) });
  }

  private parseNumber(cur: ListNode): void {
    const r0 = this.peek();
    if (r0 === '+' || r0 === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r !== '.' && !/^\d$/.test(r)) {
        if (r !== EOF) this.backup(r);
        break;
      }
    }
    const value = this.consumeText();
    if (/^[-+]?\d+$/.test(value) && Number.isSafeInteger(Number(value))) {
      cur.nodes.push({ t: 'int', value: Number(value) });
      return;
    }
    const f = Number(value);
    if (value !== '' && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value) && !Number.isNaN(f)) {
      cur.nodes.push({ t: 'float', value: f });
      return;
    }
    throw new JsonPathError(`cannot parse number ${value}`);
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r) || r === ')') {
        if (r !== EOF) this.backup(r);
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ t: 'bool', value: value === 'true' });
    else cur.nodes.push({ t: 'identifier', name: value });
  }
}

function isAlphaNumeric(r: string): boolean {
  return r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
}

function isTerminator(r: string): boolean {
  return r === EOF || ' \t\r\n.,[]$@{}'.includes(r);
}

/** Go `strconv.Unquote` extended to single-quoted strings (k8s `UnquoteExtend`). */
function unquoteExtend(s: string): string {
  if (s.length < 2) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
  const q = s[0];
  if (q !== s[s.length - 1]) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
  const body = s.slice(1, -1);
  if (q === "'") return body.replace(/\\'/g, "'");
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    throw new JsonPathError(`unquote string ${s} error invalid syntax`);
  }
}

/** Upstream `parseAction`: parses `{text}` and returns its action list. */
function parseAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  const first = root.nodes[0];
  if (!first || first.t !== 'list') return { t: 'list', nodes: [] };
  return first;
}

// ---------------------------------------------------------------------------------------------------------
// Evaluator (k8s.io/client-go/util/jsonpath/jsonpath.go)

/** Go type names of values that are not `interface{}` JSON data, for error messages (`map[string]string`). */
const goTypeNames = new WeakMap<object, string>();

/** Records the Go type of a map or struct so that errors name it as upstream does. */
export function setGoTypeName<T extends object>(value: T, name: string): T {
  goTypeNames.set(value, name);
  return value;
}

function goTypeName(v: unknown): string {
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'object' && v !== null && goTypeNames.has(v)) return goTypeNames.get(v)!;
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object' && v !== null) return 'map[string]interface {}';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

const isNil = (v: unknown): boolean => v === null || v === undefined;
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoStruct) && !(v instanceof GoInt);
const sortedKeys = (m: Record<string, unknown>): string[] => Object.keys(m).sort();

function children(v: unknown): unknown[] {
  if (v instanceof GoStruct) return v.fields.map((f) => f.value);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')];
  if (isMap(v)) return sortedKeys(v).map((k) => v[k]);
  return [];
}

class Evaluator {
  walk(values: unknown[], node: PathNode): unknown[] {
    switch (node.t) {
      case 'list':
        return this.evalList(values, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(values, node.name);
      case 'array':
        return this.evalArray(values, node.params);
      case 'union': {
        const out: unknown[] = [];
        for (const l of node.lists) out.push(...this.evalList(values, l));
        return out;
      }
      case 'identifier':
        if (node.name === 'range' || node.name === 'end')
          throw new JsonPathError(`${node.name} is not supported in a binding`);
        throw new JsonPathError(`unrecognized identifier ${node.name}`);
      case 'filter':
        return this.evalFilter(values, node);
      case 'int':
        return [new GoInt(node.value)];
      case 'float':
        return [node.value];
      case 'wildcard': {
        const out: unknown[] = [];
        for (const v of values) if (!isNil(v)) out.push(...children(v));
        return out;
      }
      case 'recursive':
        return this.evalRecursive(values);
      case 'bool':
        return [node.value];
    }
  }

  evalList(values: unknown[], list: ListNode): unknown[] {
    let cur = values;
    for (const node of list.nodes) cur = this.walk(cur, node);
    return cur;
  }

  private evalField(values: unknown[], name: string): unknown[] {
    const out: unknown[] = [];
    if (values.length === 0) return out;
    for (const v of values) {
      if (isNil(v)) continue;
      if (v instanceof GoStruct) {
        const f = v.field(name);
        if (f.found) out.push(f.value);
      } else if (isMap(v)) {
        if (Object.prototype.hasOwnProperty.call(v, name)) out.push(v[name]);
      }
    }
    if (out.length === 0) throw new JsonPathError(`${name} is not found`);
    return out;
  }

  private evalArray(values: unknown[], params: [ParamsEntry, ParamsEntry, ParamsEntry]): unknown[] {
    const out: unknown[] = [];
    for (const v of values) {
      if (isNil(v)) continue;
      if (!Array.isArray(v)) throw new JsonPathError(`${goTypeName(v)} is not array or slice`);
      const p = params.map((x) => ({ ...x }));
      const len = v.length;
      if (!p[0].known) p[0].value = 0;
      if (p[0].value < 0) p[0].value += len;
      if (!p[1].known) p[1].value = len;
      if (p[1].value < 0 || (p[1].value === 0 && p[1].derived)) p[1].value += len;
      if (p[1].value === p[0].value) continue;
      if (p[0].value >= len || p[0].value < 0)
        throw new JsonPathError(`array index out of bounds: index ${p[0].value}, length ${len}`);
      if (p[1].value > len || p[1].value < 0)
        throw new JsonPathError(`array index out of bounds: index ${p[1].value - 1}, length ${len}`);
      if (p[0].value > p[1].value)
        throw new JsonPathError(`starting index ${p[0].value} is greater than ending index ${p[1].value}`);
      const slice = v.slice(p[0].value, p[1].value);
      let step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) throw new JsonPathError('step must be > 0');
        step = p[2].value;
      }
      for (let i = 0; i < slice.length; i += step) out.push(slice[i]);
    }
    return out;
  }

  private evalRecursive(values: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const v of values) {
      if (isNil(v)) continue;
      const kids = children(v);
      if (kids.length === 0) continue;
      out.push(v);
      out.push(...this.evalRecursive(kids));
    }
    return out;
  }

  private evalFilter(values: unknown[], node: { left: ListNode; right: ListNode; op: string }): unknown[] {
    const out: unknown[] = [];
    for (const v of values) {
      if (!Array.isArray(v)) throw new JsonPathError(`${goDisplay(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        let lefts: unknown[];
        try {
          lefts = this.evalList([item], node.left);
        } catch (e) {
          if (node.op === 'exists') continue;
          throw e;
        }
        if (node.op === 'exists') {
          if (lefts.length > 0) out.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.evalList([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.op)) out.push(item);
      }
    }
    return out;
  }
}

function goDisplay(v: unknown): string {
  if (isNil(v)) return '<nil>';
  if (typeof v === 'object') return goTypeName(v);
  return String(v);
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: unknown): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  throw new JsonPathError('invalid type for comparison');
}

function scalar(v: unknown): number | string | boolean {
  return v instanceof GoInt ? v.value : (v as number | string | boolean);
}

/** Go template `eq`/`lt` semantics (k8s third_party/forked/golang/template): kinds must match exactly. */
function compare(a: unknown, b: unknown, op: string): boolean {
  const equal = (): boolean => {
    if (basicKind(a) !== basicKind(b)) throw new JsonPathError('incompatible types for comparison');
    return scalar(a) === scalar(b);
  };
  const less = (): boolean => {
    const ka = basicKind(a);
    const kb = basicKind(b);
    if (ka === 'bool' || kb === 'bool') throw new JsonPathError('invalid type for comparison');
    if (ka !== kb) throw new JsonPathError('incompatible types for comparison');
    return scalar(a) < scalar(b);
  };
  switch (op) {
    case '==':
      return equal();
    case '!=':
      return !equal();
    case '<':
      return less();
    case '>':
      return !(less() || equal());
    case '<=':
      return less() || equal();
    case '>=':
      return !less();
  }
  throw new JsonPathError(`unrecognized filter operator ${op}`);
}

/** Upstream `getResults`: one string unquoted (still JSON-escaped), one other value as JSON, else a JSON array. */
function formatResults(values: unknown[]): string {
  if (values.length === 1) {
    const v = values[0];
    if (isNil(v)) return 'null';
    if (typeof v === 'string') return goJsonMarshal(v).slice(1, -1);
    return goJsonMarshal(v);
  }
  return goJsonMarshal(values.map((v) => (isNil(v) ? null : v)));
}

/**
 * Evaluates one `$(...)` expression against the event (`{header, body, extensions, context}`) and formats the result
 * as upstream `parseJSONPath` does. Errors carry upstream's message (`missing is not found`, `unterminated array`).
 */
export function evaluateTektonExpression(
  input: unknown,
  expression: string,
): { value: string; jsonPath: string } | { error: string; jsonPath?: string } {
  const relaxed = tektonJsonPathExpression(expression);
  if ('error' in relaxed) return { error: relaxed.error };
  const jsonPath = relaxed.path;
  try {
    const root = new Parser(jsonPath).parse();
    const evaluator = new Evaluator();
    let text = '';
    for (const node of root.nodes) {
      const results = node.t === 'list' ? evaluator.evalList([input], node) : evaluator.walk([input], node);
      text += formatResults(results);
    }
    return { value: text, jsonPath };
  } catch (e) {
    if (e instanceof JsonPathError) return { error: e.message, jsonPath };
    if (e instanceof RangeError) return { error: 'the JSONPath expression is nested too deeply', jsonPath };
    return { error: (e as Error).message ?? String(e), jsonPath };
  }
}
