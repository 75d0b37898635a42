/**
 * Checking and evaluating CEL expressions in the environments Tekton and Kubeflow Pipelines use.
 *
 * - `checkExpression` parses and type-checks an expression and lints the pitfalls Tekton users meet
 *   (`decodeb64()`, integer arithmetic on JSON numbers, string methods on header lists, …). It never
 *   throws on user input: every problem becomes a diagnostic with CEL-text offsets.
 * - `evaluate` runs an expression against an activation, in-process and synchronously (see
 *   celEvaluator.ts for the time- and memory-limited variant).
 *
 * Compile results are cached per (environment, text). The language knowledge here imports nothing from
 * vscode or vscode-languageserver.
 */
import { EvaluationError, ParseError } from '@marcbachmann/cel-js';
import { findNodeAt, memberNameRange, publicType, rawChildren, toCelAst, type CelAstNode, type RawNode } from './ast';
import { getEnvironment, type CelEnvId, type CelEnvironment } from './environments';
import { canonicalMimeHeaderKey } from './goCompat';
import { OWNED_NAMES, OWNED_SUFFIX, withEvalState, type CelFunctionDoc, type CelOverloadDoc } from './library';
import { re2SyntaxError } from './re2';
import { celTypeName, formatCelValue } from './values';

export { formatCelValue, findNodeAt, type CelAstNode };

/** Severity of a CEL diagnostic. */
export type CelSeverity = 'error' | 'warning' | 'information';

/**
 * A problem in a CEL expression. Offsets are 0-based UTF-16 positions in the CEL text, `end` exclusive.
 * `code` is stable (kebab-case) so that callers can filter or offer fixes.
 */
export interface CelDiagnostic {
  start: number;
  end: number;
  message: string;
  code: string;
  severity: CelSeverity;
}

/** Options for checkExpression. */
export interface CheckOptions {
  /** The expression is a Triggers `filter`: its result must be a bool. */
  filter?: boolean;
}

/** Result of checkExpression. */
export interface CheckResult {
  /** The result type in CEL notation (`bool`, `string`, `map<string, dyn>`), when type-checking succeeded. */
  type?: string;
  diagnostics: CelDiagnostic[];
  /** The parsed expression with ranges (and types when checking succeeded). */
  ast?: CelAstNode;
}

/** Looks up a Kubernetes Secret's key: returns its bytes (or text), undefined when absent. */
export type SecretLookup = (secretName: string, key: string) => Uint8Array | string | undefined;

/** Secrets as data: secret name → key → value (decoded text or bytes). Serializable to a worker. */
export type SecretStore = Record<string, Record<string, string | Uint8Array>>;

/** Options for evaluate. */
export interface EvaluateOptions {
  /** Secrets read by compareSecret(); without them compareSecret() reports that no secret is available. */
  secrets?: SecretStore | SecretLookup;
  /** Pipelines-as-Code: the changed files `pathChanged()` reads and the glob matcher it uses. */
  changedFiles?: readonly string[];
  globMatch?: (pattern: string, path: string) => boolean;
}

/** Result of evaluate: the CEL value, or an error with the CEL-text range of the failing sub-expression. */
export type EvaluateResult = { value: unknown } | { error: string; start?: number; end?: number; code?: string };

/** The environment argument of the service functions: a built-in id or an environment object. */
export type EnvRef = CelEnvId | CelEnvironment;

function resolveEnv(env: EnvRef): CelEnvironment {
  return typeof env === 'string' ? getEnvironment(env) : env;
}

// ---------------------------------------------------------------------------------------------------------
// Compilation

interface Compiled {
  diagnostics: CelDiagnostic[];
  type?: string;
  raw?: RawNode;
  /** The cel-js program, present only when there is no error diagnostic. */
  program?: (ctx?: Record<string, unknown>) => unknown;
  hasErrors: boolean;
}

const compileCache = new WeakMap<CelEnvironment, Map<string, Compiled>>();

/**
 * Diagnostics that predict a run-time failure (the expression compiles in cel-go, so Tekton accepts it and
 * fails on the event). They are errors for the editor but must not stop evaluation, which then shows the
 * real run-time error.
 */
const runtimeOnly = new WeakSet<CelDiagnostic>();

function blocks(d: CelDiagnostic): boolean {
  return d.severity === 'error' && !runtimeOnly.has(d);
}
const CACHE_LIMIT = 2000;

/** cel-go-style wording for messages coming from cel-js. */
function cleanMessage(msg: string): string {
  return msg
    .split(OWNED_SUFFIX).join('')
    .replace(/dyn<([^<>]*)>/g, '$1')
    .replace(/^Unknown variable: (.*)$/, "undeclared reference to '$1' (in container '')")
    .replace(/^No such key: /, 'no such key: ');
}

function publicName(n: string): string {
  return n.endsWith(OWNED_SUFFIX) ? n.slice(0, -OWNED_SUFFIX.length) : n;
}

function rangeOf(e: { range?: { start: number; end: number } }, text: string): { start: number; end: number } {
  if (e.range && typeof e.range.start === 'number') {
    const start = Math.max(0, Math.min(e.range.start, text.length));
    const end = Math.max(start, Math.min(e.range.end ?? start, text.length));
    return { start, end: end === start && start < text.length ? start + 1 : end };
  }
  return { start: 0, end: text.length };
}

function compile(text: string, env: CelEnvironment): Compiled {
  let perEnv = compileCache.get(env);
  if (!perEnv) compileCache.set(env, (perEnv = new Map()));
  const hit = perEnv.get(text);
  if (hit) {
    // Refresh recency for the LRU.
    perEnv.delete(text);
    perEnv.set(text, hit);
    return hit;
  }
  let compiled: Compiled;
  try {
    compiled = compileUncached(text, env);
  } catch (e) {
    // A defect here must not take the editor down: report it on the expression instead.
    compiled = {
      diagnostics: [{ start: 0, end: text.length, code: 'cel-internal', severity: 'error', message: `internal error while checking this expression: ${(e as Error).message}` }],
      hasErrors: true,
    };
  }
  if (perEnv.size >= CACHE_LIMIT) perEnv.delete(perEnv.keys().next().value as string);
  perEnv.set(text, compiled);
  return compiled;
}

function compileUncached(text: string, env: CelEnvironment): Compiled {
  const diagnostics: CelDiagnostic[] = [];
  if (text.trim() === '') {
    return {
      diagnostics: [{ start: 0, end: text.length, message: 'the expression is empty', code: 'cel-syntax', severity: 'error' }],
      hasErrors: true,
    };
  }
  let parsed: ReturnType<CelEnvironment['cel']['parse']>;
  try {
    parsed = env.cel.parse(text);
  } catch (e) {
    diagnostics.push(parseFailure(e, text));
    return { diagnostics, hasErrors: true };
  }
  const raw = parsed.ast as unknown as RawNode;
  const linter = new Linter(text, env, diagnostics);
  let check: ReturnType<typeof parsed.check>;
  try {
    linter.preCheck(raw);
    check = parsed.check();
    if (check.error instanceof RangeError && /call stack/i.test(check.error.message)) throw check.error;
  } catch (e) {
    // a parser with more stack (the evaluation worker's) lets deeper unary runs through to the checker
    if (!(e instanceof RangeError)) throw e;
    diagnostics.push(parseFailure(e, text));
    return { diagnostics, hasErrors: true };
  }
  let type: string | undefined;
  if (check.valid) {
    type = publicType(check.type ?? 'dyn');
    linter.postCheck(raw);
  } else if (check.error) {
    const e = check.error as Error & { code?: string; summary?: string; range?: { start: number; end: number } };
    const r = rangeOf(e, text);
    // A call already reported by the linter (unknown function, extension not loaded) fails type-checking
    // too; report it once.
    const covered = linter.suppressed.some((s) => s.start <= r.start && r.end <= s.end) ||
      diagnostics.some((d) => blocks(d) && d.start < r.end && r.start < d.end);
    if (!covered) {
      const code = checkErrorCode(e.code);
      const message = cleanMessage(e.summary ?? e.message);
      diagnostics.push({ ...r, message: code === 'cel-no-matching-overload' ? overloadInWords(message, env) : message, code, severity: 'error' });
    }
  }
  const hasErrors = diagnostics.some(blocks);
  return {
    diagnostics: diagnostics.sort((a, b) => a.start - b.start || a.end - b.end),
    type,
    raw,
    program: hasErrors ? undefined : (parsed as unknown as (ctx?: Record<string, unknown>) => unknown),
    hasErrors,
  };
}

function checkErrorCode(code: string | undefined): string {
  switch (code) {
    case 'unknown_variable':
      return 'cel-undeclared-reference';
    case 'no_matching_overload':
    case 'no_such_overload':
      return 'cel-no-matching-overload';
    case 'invalid_macro_argument':
      return 'cel-syntax';
    default:
      return 'cel-type-error';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Linting

/** cel-go libraries that exist upstream but that these environments do not load. */
const NOT_LOADED_NAMESPACES: Record<string, string> = {
  cel: 'cel-go ext.Bindings (cel.bind)',
  regex: 'cel-go ext.Regex',
  optional: 'cel-go optional types',
  proto: 'cel-go ext.Protos',
};

const LIBRARY_OF_NAMESPACE: Record<string, string> = {
  base64: 'cel-go ext.Encoders',
  math: 'cel-go ext.Math',
  sets: 'cel-go ext.Sets',
  lists: 'cel-go ext.Lists',
  strings: 'cel-go ext.Strings',
};

const TWO_VAR_MACROS = new Set(['transformList', 'transformMap', 'transformMapEntry', 'existsOne']);
const OPTIONAL_MEMBERS = new Set(['hasValue', 'value', 'or', 'orValue', 'optMap', 'optFlatMap']);
/** CEL types compared exactly by checkDynReceiverCall. */
const PRIMITIVE_TYPES = new Set(['string', 'int', 'uint', 'double', 'bool', 'bytes', 'null', 'null_type']);

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'sortBy']);
/** Members that exist only for strings: on a header value (a list of strings) they always fail. */
const STRING_METHODS = new Set([
  'startsWith', 'endsWith', 'contains', 'matches', 'lowerAscii', 'upperAscii', 'trim', 'split', 'replace', 'indexOf',
  'lastIndexOf', 'substring', 'charAt', 'truncate', 'compareSecret', 'parseJSON', 'parseYAML', 'parseURL', 'translate', 'format',
]);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

let libraryHints: Record<string, string> | undefined;

/** The library that provides `name` in some other environment, for "not loaded here" hints. */
function functionLibraryHint(name: string): string | undefined {
  if (!libraryHints) {
    libraryHints = {};
    for (const id of ['triggers', 'kfp-condition'] as CelEnvId[]) {
      for (const [fn, doc] of getEnvironment(id).functions) libraryHints[fn] ??= doc.library;
    }
  }
  return libraryHints[name];
}

function libraryLabel(lib: string): string {
  if (lib.startsWith('ext.')) return `cel-go ${lib}`;
  if (lib === 'tekton') return 'the Tekton Triggers CEL library';
  if (lib === 'kfp') return 'the Kubeflow Pipelines condition environment';
  if (lib === 'pac') return 'the Pipelines-as-Code on-cel-expression environment';
  return lib;
}

/** The overloads of `doc` callable as `f(x)` (member = false) or as `x.f()` (member = true). */
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/**
 * cel-go's "found no matching overload for 'map.match(string, int)'" in a user's words, first: "`match` on a map
 * takes (string, string): the second argument is an int". cel-go's text stays at the end, for searching; a call the
 * library does not declare keeps cel-go's text alone.
 */
function overloadInWords(message: string, env: CelEnvironment): string {
  const m = /^found no matching overload for '(?:([^'.(]+(?:\([^)]*\))?)\.)?([A-Za-z_][\w]*)\(([^)]*)\)'$/.exec(message);
  if (!m) return message;
  const [, receiver, name, argText] = m;
  const args = argText ? argText.split(/,\s*/) : [];
  const overloads = overloadsOf(env.functions.get(name), !!receiver).filter((o) => o.params.length === args.length && !o.params.includes('...'));
  if (!overloads.length) return message;
  const takes = [...new Set(overloads.map((o) => `(${o.params.join(', ')})`))].join(' or ');
  const wrong = args.findIndex((a, i) => a !== 'dyn' && overloads.every((o) => o.params[i] !== a && o.params[i] !== 'dyn'));
  const on = receiver ? ` on ${/^[aeiou]/.test(receiver) ? 'an' : 'a'} ${receiver.replace(/\(.*$/, '')}` : '';
  const what = wrong >= 0 ? `: the ${ORDINALS[wrong] ?? `#${wrong + 1}`} argument is ${/^[aeiou]/.test(args[wrong]) ? 'an' : 'a'} ${args[wrong]}` : '';
  return `\`${name}\`${on} takes ${takes}${what} (cel: ${message})`;
}

function overloadsOf(doc: CelFunctionDoc | undefined, member: boolean): CelOverloadDoc[] {
  return doc ? doc.overloads.filter((o) => !!o.receiver === member) : [];
}

function argCounts(overloads: CelOverloadDoc[]): { min: number; max: number } {
  let min = Infinity;
  let max = 0;
  for (const o of overloads) {
    if (o.params.includes('...')) return { min: 1, max: Infinity };
    min = Math.min(min, o.params.length);
    max = Math.max(max, o.params.length);
  }
  return { min, max };
}

interface Scope {
  /** Comprehension variables in scope → whether their values come from JSON (body/extensions). */
  vars: Map<string, boolean>;
}

class Linter {
  /** Ranges of calls already reported (unknown or not-loaded functions): type errors inside them are noise. */
  readonly suppressed: { start: number; end: number }[] = [];

  constructor(
    private readonly text: string,
    private readonly env: CelEnvironment,
    private readonly diags: CelDiagnostic[],
  ) {}

  private add(start: number, end: number, code: string, message: string, severity: CelSeverity = 'error', runtime = false): void {
    const d: CelDiagnostic = { start, end, code, message, severity };
    if (runtime) runtimeOnly.add(d);
    this.diags.push(d);
  }

  private isVariable(name: string, scope: Scope): boolean {
    return scope.vars.has(name) || this.env.variables.has(name);
  }

  /** Syntax-level checks and renaming of replaced built-ins; runs before type-checking. */
  preCheck(root: RawNode): void {
    this.visitPre(root, { vars: new Map() });
  }

  private visitPre(node: RawNode, scope: Scope): void {
    switch (node.op) {
      case 'id': {
        const name = node.args as string;
        if (scope.vars.has(name) || this.env.variables.has(name)) return;
        if (this.env.namespaces.has(name)) {
          this.add(node.start, node.end, 'cel-undeclared-reference',
            `undeclared reference to '${name}': ${name} is a function namespace, call one of its functions such as ${this.exampleOf(name)}`);
        } else if (NOT_LOADED_NAMESPACES[name]) {
          this.add(node.start, node.end, 'cel-undeclared-reference', `undeclared reference to '${name}' (in container '')`);
        }
        return;
      }
      case 'call':
        this.visitCall(node, scope);
        return;
      case 'rcall':
        this.visitMemberCall(node, scope);
        return;
      case '==':
      case '!=':
        this.checkHeaderCompare(node);
        break;
      case '[]':
      case '.':
        this.checkHeaderKey(node);
        if (node.op === '.') this.checkMessageField(node, scope);
        break;
    }
    for (const c of rawChildren(node)) this.visitPre(c, scope);
  }

  private exampleOf(ns: string): string {
    for (const name of this.env.functions.keys()) if (name.startsWith(ns + '.')) return `${name}()`;
    return `${ns}.…()`;
  }

  private visitCall(node: RawNode, scope: Scope): void {
    const name = node.args[0] as string;
    const args = node.args[1] as RawNode[];
    const nameEnd = node.start + name.length;
    const overloads = overloadsOf(this.env.functions.get(name), false);
    if (name === 'decodeb64') {
      this.reportDecodeb64(node.start, nameEnd);
    } else if (overloads.length === 0) {
      const hint = functionLibraryHint(name);
      this.add(node.start, nameEnd, 'cel-unknown-function',
        `undeclared reference to '${name}' (in container '')` +
          (hint ? `: ${name}() comes from ${libraryLabel(hint)}, which ${this.env.title} does not load` : ''));
    } else {
      const { min, max } = argCounts(overloads);
      if (args.length < min || args.length > max) this.reportArgCount(node.start, nameEnd, name, min, max, args.length);
      if (name === 'matches' && args.length === 2) this.checkRegexLiteral(args[1], false);
    }
    if (OWNED_NAMES.global.has(name)) node.args[0] = name + OWNED_SUFFIX;
    if (name === 'has' && args.length === 1) generalizeHas(node);
    for (const a of args) this.visitPre(a, scope);
  }

  private visitMemberCall(node: RawNode, scope: Scope): void {
    const name = node.args[0] as string;
    const receiver = node.args[1] as RawNode;
    const args = node.args[2] as RawNode[];
    const nameRange = memberNameRange(this.text, node);

    // Qualified functions: base64.decode(...), math.greatest(...), cel.bind(...).
    if (receiver.op === 'id' && !this.isVariable(receiver.args, scope)) {
      const ns = receiver.args as string;
      const qualified = `${ns}.${name}`;
      if (this.env.namespaces.has(ns)) {
        const overloads = overloadsOf(this.env.functions.get(qualified), false);
        if (overloads.length === 0) {
          this.add(receiver.start, nameRange.end, 'cel-unknown-function', `undeclared reference to '${qualified}' (in container '')`);
        } else {
          const { min, max } = argCounts(overloads);
          if (args.length < min || args.length > max) this.reportArgCount(receiver.start, nameRange.end, qualified, min, max, args.length);
        }
        for (const a of args) this.visitPre(a, scope);
        return;
      }
      const notLoaded = NOT_LOADED_NAMESPACES[ns] ?? LIBRARY_OF_NAMESPACE[ns];
      if (notLoaded) {
        this.add(receiver.start, nameRange.end, 'cel-extension-not-loaded',
          `undeclared reference to '${qualified}': ${qualified}() comes from ${notLoaded}, which ${this.env.title} does not load`);
        this.suppressed.push({ start: node.start, end: node.end });
        // cel.bind's first argument is a variable name, not a reference: don't report it.
        for (const a of ns === 'cel' ? args.slice(1) : args) this.visitPre(a, scope);
        return;
      }
    }

    this.checkHeaderMethod(node, receiver, name, nameRange);
    if (name === 'decodeb64') {
      this.reportDecodeb64(nameRange.start, nameRange.end);
    } else if (TWO_VAR_MACROS.has(name) || (['all', 'exists', 'exists_one'].includes(name) && args.length === 3)) {
      this.add(nameRange.start, nameRange.end, 'cel-extension-not-loaded',
        `${name}() with two variables comes from cel-go ext.TwoVarComprehensions, which ${this.env.title} does not load`);
      this.suppressed.push({ start: node.start, end: node.end });
      this.visitPre(receiver, scope);
      return;
    } else if (OPTIONAL_MEMBERS.has(name) && !this.env.functions.has(name)) {
      this.add(nameRange.start, nameRange.end, 'cel-extension-not-loaded',
        `${name}() works on optional values, and cel-go optional types are not enabled in ${this.env.title}`);
    } else if (receiver.op === 'id' && !this.isVariable(receiver.args, scope) && !this.env.namespaces.has(receiver.args)) {
      // `foo.bar()` with an undeclared `foo`: the type-checker reports the undeclared reference, which is
      // the real problem.
    } else {
      const overloads = overloadsOf(this.env.functions.get(name), true);
      if (overloads.length === 0) {
        const hint = functionLibraryHint(name);
        this.add(nameRange.start, nameRange.end, 'cel-unknown-function',
          `undeclared reference to '${name}' (in container '')` +
            (hint ? `: ${name}() comes from ${libraryLabel(hint)}, which ${this.env.title} does not load` : ''));
      } else {
        const { min, max } = argCounts(overloads);
        if (args.length < min || args.length > max) this.reportArgCount(nameRange.start, nameRange.end, name, min, max, args.length);
        // cel-go compiles constant matches() patterns when the program is built (an error before any event);
        // translate() compiles its pattern when it runs.
        if (name === 'matches' && args.length === 1) this.checkRegexLiteral(args[0], false);
        if (name === 'translate' && args.length === 2) this.checkRegexLiteral(args[0], true);
      }
    }
    if (OWNED_NAMES.member.has(name)) node.args[0] = name + OWNED_SUFFIX;

    this.visitPre(receiver, scope);
    if (COMPREHENSIONS.has(name) && args.length >= 2 && args[0].op === 'id') {
      const inner: Scope = { vars: new Map(scope.vars) };
      inner.vars.set(args[0].args, this.isJsonDerived(receiver, scope));
      for (const a of args.slice(1)) this.visitPre(a, inner);
    } else {
      for (const a of args) this.visitPre(a, scope);
    }
  }

  private reportDecodeb64(start: number, end: number): void {
    this.add(start, end, 'cel-decodeb64',
      "decodeb64() is listed in Tekton's CEL documentation but is not registered in the CEL interceptor, so the expression fails to compile. " +
        'Use base64.decode(...), which returns bytes: string(base64.decode(body.data)).');
  }

  private reportArgCount(start: number, end: number, name: string, min: number, max: number, got: number): void {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    this.add(start, end, 'cel-wrong-argument-count',
      `${name}() takes ${want} argument${want === '1' ? '' : 's'}, not ${got}`);
  }

  private checkRegexLiteral(node: RawNode, runtime: boolean): void {
    if (node.op !== 'value' || typeof node.args !== 'string') return;
    const problem = re2SyntaxError(node.args);
    if (problem) {
      this.add(node.start, node.end, 'cel-invalid-regex', `invalid RE2 regular expression: ${problem}` +
        (/\\[1-9]/.test(node.args) ? ' (RE2 has no backreferences)' : /\(\?[=!<]/.test(node.args) ? ' (RE2 has no lookaround)' : ''),
      'error', runtime);
    }
  }

  /** `header['X']` / `header.X` in the Triggers environment: a list of strings (Go http.Header). */
  private headerAccessKey(node: RawNode): string | undefined {
    if (!this.env.variables.has('header') || this.env.id !== 'triggers') return undefined;
    if (node.op === '.' && node.args[0].op === 'id' && node.args[0].args === 'header') return node.args[1];
    if (node.op === '[]' && node.args[0].op === 'id' && node.args[0].args === 'header' && node.args[1].op === 'value' &&
        typeof node.args[1].args === 'string') return node.args[1].args;
    return undefined;
  }

  private checkHeaderMethod(node: RawNode, receiver: RawNode, name: string, nameRange: { start: number; end: number }): void {
    const key = this.headerAccessKey(receiver);
    if (key === undefined || !STRING_METHODS.has(name)) return;
    const src = this.text.slice(receiver.start, receiver.end);
    this.add(nameRange.start, nameRange.end, 'cel-header-list-method',
      `${src} is a list of strings (Go http.Header), so .${name}() fails at run time with 'no such overload'. ` +
        `Use ${src}[0].${name}(...) or header.canonical('${key}').${name}(...).`, 'error', true);
    void node;
  }

  private checkHeaderCompare(node: RawNode): void {
    const [l, r] = node.args as RawNode[];
    for (const [side, other] of [[l, r], [r, l]] as const) {
      const key = this.headerAccessKey(side);
      if (key !== undefined && other.op === 'value' && typeof other.args === 'string') {
        this.add(node.start, node.end, 'cel-header-list-compare',
          `${this.text.slice(side.start, side.end)} is a list of strings, so comparing it with a string is always ${node.op === '==' ? 'false' : 'true'}. ` +
            `Use header.match('${key}', ${this.text.slice(other.start, other.end)}) or ${this.text.slice(side.start, side.end)}[0].`,
          'warning', true);
        return;
      }
    }
  }

  private checkHeaderKey(node: RawNode): void {
    const key = this.headerAccessKey(node);
    if (key === undefined) return;
    const canonical = canonicalMimeHeaderKey(key);
    if (canonical !== key) {
      const keyNode = node.op === '.' ? { start: node.pos, end: node.end } : node.args[1];
      this.add(keyNode.start, keyNode.end, 'cel-header-key-not-canonical',
        `header keys are canonical MIME names, so '${key}' is never present: use '${canonical}' or header.canonical('${key}')`, 'warning', true);
    }
  }

  /**
   * Variables backed by a protobuf message (KFP's ExecutorInput.inputs/outputs) have a fixed set of
   * fields; cel-go's checker rejects any other.
   */
  private checkMessageField(node: RawNode, scope: Scope): void {
    const target = node.args[0] as RawNode;
    if (target.op !== 'id' || scope.vars.has(target.args)) return;
    const fields = this.env.variables.get(target.args)?.fields;
    const field = node.args[1] as string;
    if (fields && !(field in fields)) {
      this.add(node.pos, node.end, 'cel-undefined-field',
        `undefined field '${field}': ${target.args} has the fields ${Object.keys(fields).join(', ')}`);
    }
  }

  /** True when a value comes from JSON (Triggers body/extensions, KFP inputs/outputs), where numbers are doubles. */
  private isJsonDerived(node: RawNode, scope: Scope): boolean {
    switch (node.op) {
      case 'id': {
        const name = node.args as string;
        if (scope.vars.has(name)) return scope.vars.get(name)!;
        if (this.env.id === 'triggers') return name === 'body' || name === 'extensions';
        if (this.env.id === 'kfp-condition') return name === 'inputs' || name === 'outputs';
        if (this.env.id === 'pac') return name === 'body';
        return false;
      }
      case '.':
      case '[]':
        return this.isJsonDerived(node.args[0], scope);
      case 'rcall': {
        const name = publicName(node.args[0]);
        if (name === 'parseJSON' || name === 'parseYAML') return true;
        if (name === 'first' || name === 'last') return this.isJsonDerived(node.args[1], scope);
        return false;
      }
      case 'call': {
        const name = publicName(node.args[0]);
        if (name === 'parseJson') return true;
        if (name === 'dyn') return node.args[1].length === 1 && this.isJsonDerived(node.args[1][0], scope);
        return false;
      }
      case '?:':
        return this.isJsonDerived(node.args[1], scope) || this.isJsonDerived(node.args[2], scope);
    }
    return false;
  }

  /**
   * cel-go validates `'<literal>'.format([<list literal>])` when it compiles the expression: unknown clauses,
   * missing arguments and argument types a clause cannot format are compile errors there.
   */
  private checkFormatCall(template: string, list: RawNode): void {
    const elems = list.args as RawNode[];
    const allowed: Record<string, [RegExp, string]> = {
      s: [/^(string|bool|bytes|int|uint|double|map.*|list.*|type|null|google\.protobuf\.(Duration|Timestamp))$/, ''],
      d: [/^(int|uint|double)$/, 'decimal clause can only be used on ints, uints, and doubles'],
      f: [/^(int|uint|double)$/, 'fixed-point clause can only be used on ints, uints, and doubles'],
      e: [/^(int|uint|double)$/, 'scientific clause can only be used on ints, uints, and doubles'],
      x: [/^(int|uint|bytes|string)$/, 'only ints, uints, bytes, and strings can be formatted as hex'],
      X: [/^(int|uint|bytes|string)$/, 'only ints, uints, bytes, and strings can be formatted as hex'],
      o: [/^(int|uint)$/, 'octal clause can only be used on ints and uints'],
      b: [/^(int|uint|bool)$/, 'only ints, uints, and bools can be formatted as binary'],
    };
    let argIndex = 0;
    for (let i = 0; i < template.length; i++) {
      if (template[i] !== '%') continue;
      i++;
      if (template[i] === '%') continue;
      if (template[i] === '.') {
        i++;
        while (i < template.length && template[i] >= '0' && template[i] <= '9') i++;
      }
      const verb = template[i] ?? '';
      if (!allowed[verb]) {
        this.add(list.start, list.end, 'cel-invalid-format', `could not parse formatting clause: unrecognized formatting clause ${JSON.stringify(verb)}`);
        return;
      }
      const arg = elems[argIndex++];
      if (!arg) {
        this.add(list.start, list.end, 'cel-invalid-format', `index ${argIndex - 1} out of range`);
        return;
      }
      const t = publicType(arg.checkedType?.name ?? 'dyn');
      if (t === 'dyn' || allowed[verb][0].test(t)) continue;
      const given = t === 'null' ? 'null_type' : t;
      const what = verb === 's'
        ? 'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps'
        : allowed[verb][1];
      this.add(arg.start, arg.end, 'cel-invalid-format', `error during formatting: ${what}, was given ${given}`);
      return;
    }
  }

  /**
   * `body.action.truncate('5')`: the receiver is dyn, which cel-js accepts with any arguments, but cel-go's checker
   * still matches the argument types against the overloads (a dyn receiver fits any receiver type, a string does not
   * fit an int parameter) and rejects the expression: "found no matching overload". Only arguments and parameters of
   * primitive types are compared; anything else is left to the run.
   */
  private checkDynReceiverCall(node: RawNode): void {
    const name = publicName(node.args[0] as string);
    const receiver = node.args[1] as RawNode;
    const args = node.args[2] as RawNode[];
    if (publicType(receiver.checkedType?.name ?? 'dyn') !== 'dyn' || !Array.isArray(args)) return;
    const overloads = overloadsOf(this.env.functions.get(name), true).filter((o) => o.params.length === args.length);
    if (!overloads.length) return;
    const argTypes = args.map((a) => publicType(a.checkedType?.name ?? 'dyn'));
    if (argTypes.some((t) => !PRIMITIVE_TYPES.has(t))) return;
    const fits = (o: CelOverloadDoc) => o.params.every((p, i) => !PRIMITIVE_TYPES.has(p) || p === argTypes[i]);
    if (overloads.some(fits)) return;
    const expected = [...new Set(overloads.map((o) => `${o.receiver}.${name}(${o.params.join(', ')})`))].join(' or ');
    const at = args.find((_a, i) => overloads.every((o) => PRIMITIVE_TYPES.has(o.params[i]) && o.params[i] !== argTypes[i])) ?? node;
    this.add(at.start, at.end, 'cel-no-matching-overload',
      `found no matching overload for '${name}' applied to 'dyn.(${argTypes.join(', ')})': it takes ${expected}`);
  }

  /** Type-aware checks; runs after a successful type-check (nodes carry checkedType). */
  postCheck(root: RawNode): void {
    this.visitPost(root, { vars: new Map() });
  }

  private visitPost(node: RawNode, scope: Scope): void {
    if (ARITHMETIC.has(node.op) && Array.isArray(node.args)) {
      const [l, r] = node.args as RawNode[];
      for (const [json, other] of [[l, r], [r, l]] as const) {
        const t = other.checkedType?.name;
        if (this.isJsonDerived(json, scope) && (t === 'int' || t === 'uint')) {
          const src = this.text.slice(json.start, json.end);
          this.add(node.start, node.end, 'cel-json-number-int-arithmetic',
            `JSON numbers are doubles, so ${src} ${node.op} ${t} fails at run time with 'no such overload'. ` +
              `Use a double literal (e.g. 1.0) or convert: int(${src}).`, 'error', true);
          break;
        }
      }
    }
    if (node.op === 'rcall' && node.args[1].op === 'id' && node.args[1].args === 'math' && this.env.namespaces.has('math') &&
        ['greatest', 'least'].includes(node.args[0])) {
      for (const a of node.args[2] as RawNode[]) {
        const t = a.checkedType?.name ?? 'dyn';
        if (!/^(int|uint|double|dyn|list<(int|uint|double|dyn)>)$/.test(publicType(t)) && !t.startsWith('dyn')) {
          this.add(a.start, a.end, 'cel-no-matching-overload', `math.${node.args[0]}() takes numbers or a list of numbers, not ${publicType(t)}`);
        }
      }
    }
    if (node.op === 'rcall' && typeof node.args[0] === 'string' && !COMPREHENSIONS.has(publicName(node.args[0]))) this.checkDynReceiverCall(node);
    if (node.op === 'rcall' && node.args[0] === 'format' && node.args[1].op === 'value' && typeof node.args[1].args === 'string' &&
        node.args[2].length === 1 && node.args[2][0].op === 'list') {
      this.checkFormatCall(node.args[1].args, node.args[2][0]);
    }
    if (node.op === 'rcall' && COMPREHENSIONS.has(publicName(node.args[0])) && node.args[2].length >= 2 && node.args[2][0].op === 'id') {
      this.visitPost(node.args[1], scope);
      const inner: Scope = { vars: new Map(scope.vars) };
      inner.vars.set(node.args[2][0].args, this.isJsonDerived(node.args[1], scope));
      for (const a of (node.args[2] as RawNode[]).slice(1)) this.visitPost(a, inner);
      return;
    }
    for (const c of rawChildren(node)) this.visitPost(c, scope);
  }
}

/**
 * cel-js's has() accepts only `ident.field…` chains, while CEL allows any operand: has(x.parseJSON().f),
 * has(requestURL.parseURL().auth). The parser has already attached its macro to the node; swap in a
 * type-check and evaluation that accept any operand and test the map key like cel-go.
 */
function generalizeHas(node: RawNode): void {
  const macro = node.meta?.macro as { args?: RawNode[]; typeCheck?: unknown; evaluate?: unknown } | undefined;
  const sel = node.args[1][0] as RawNode;
  if (!macro || sel.op !== '.' || sel.args[0].op === 'id' || sel.args[0].op === '.') return;
  macro.typeCheck = (checker: any, _m: unknown, ctx: unknown) => {
    checker.check(sel.args[0], ctx);
    return checker.getType('bool');
  };
  macro.evaluate = (ev: any, _m: unknown, ctx: unknown) => {
    const obj = ev.run(sel.args[0], ctx);
    const key = sel.args[1] as string;
    if (obj instanceof Map) return obj.has(key);
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && !(obj instanceof Uint8Array)) {
      return Object.prototype.hasOwnProperty.call(obj, key) && (obj as Record<string, unknown>)[key] !== undefined;
    }
    throw new EvaluationError(`no such overload: has() on ${celTypeName(obj)}`);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Public API

/**
 * Parses, type-checks and lints `text` in an environment. Never throws on user input.
 * With `options.filter`, a result type other than bool is reported (`cel-filter-not-bool`).
 */
export function checkExpression(text: string, envRef: EnvRef, options: CheckOptions = {}): CheckResult {
  const env = resolveEnv(envRef);
  const compiled = compile(text, env);
  const diagnostics = [...compiled.diagnostics];
  if (options.filter && compiled.type && compiled.type !== 'bool' && compiled.type !== 'dyn') {
    diagnostics.push({
      start: 0, end: text.length, code: 'cel-filter-not-bool', severity: 'error',
      message: `a filter must evaluate to a bool, but this expression is a ${compiled.type}; anything other than true skips the trigger`,
    });
  }
  return {
    type: compiled.type,
    diagnostics,
    ast: compiled.raw ? toCelAst(compiled.raw, text, publicName) : undefined,
  };
}

/**
 * Parses `text` (without type-checking) and returns the AST with ranges, or the syntax error. Macros are
 * expanded as in the given environment (default: Triggers).
 */
export function parse(text: string, envRef: EnvRef = 'triggers'): { ast?: CelAstNode; diagnostics: CelDiagnostic[] } {
  const env = resolveEnv(envRef);
  try {
    const parsed = env.cel.parse(text);
    return { ast: toCelAst(parsed.ast as unknown as RawNode, text, publicName), diagnostics: [] };
  } catch (e) {
    return { diagnostics: [parseFailure(e, text)] };
  }
}

/** The depth limit of every environment (environments.ts `maxDepth`). */
const MAX_DEPTH = 250;

/**
 * A parse failure as one diagnostic. Shapes the parser does not count toward its depth limit (a long run of unary
 * `!` or `-`) overflow the stack instead: they get the depth limit's message too, over the whole expression.
 */
function parseFailure(e: unknown, text: string): CelDiagnostic {
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return { start: 0, end: text.length, message: `syntax error: Exceeded maxDepth (${MAX_DEPTH})`, code: 'cel-syntax', severity: 'error' };
  const err = e as ParseError;
  const message = err instanceof ParseError ? cleanMessage(err.summary) : cleanMessage(String((e as Error)?.message ?? e));
  return { ...rangeOf(err, text), message: `syntax error: ${message}`, code: 'cel-syntax', severity: 'error' };
}

function toLookup(secrets: EvaluateOptions['secrets']): SecretLookup | undefined {
  if (!secrets) return undefined;
  if (typeof secrets === 'function') return secrets;
  return (name, key) => secrets[name]?.[key];
}

/**
 * Evaluates `text` against `activation` (variable name → value; JSON data as parsed by JSON.parse, headers
 * as string lists). Compile errors are returned as the first error diagnostic; run-time errors carry the
 * range of the failing sub-expression. Synchronous and unbounded: use celEvaluator for untrusted input.
 */
export function evaluate(text: string, envRef: EnvRef, activation: Record<string, unknown>, options: EvaluateOptions = {}): EvaluateResult {
  return runCompiled(compile(text, resolveEnv(envRef)), text, activation, options);
}

function runCompiled(compiled: Compiled, text: string, activation: Record<string, unknown>, options: EvaluateOptions): EvaluateResult {
  if (!compiled.program) {
    const first = compiled.diagnostics.find(blocks)!;
    return { error: first.message, start: first.start, end: first.end, code: first.code };
  }
  try {
    const state = options.secrets || options.changedFiles
      ? { secretLookup: toLookup(options.secrets), changedFiles: options.changedFiles, globMatch: options.globMatch }
      : NO_SECRETS;
    const value = withEvalState(state, () => compiled.program!(activation));
    return { value };
  } catch (e) {
    const err = e as Error & { summary?: string; range?: { start: number; end: number } };
    const r = err.range ? rangeOf(err, text) : {};
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      return { error: 'evaluation exceeded the maximum nesting depth', code: 'cel-eval' };
    }
    return { error: cleanMessage(err.summary ?? err.message ?? String(e)), ...r, code: 'cel-eval' };
  }
}

const NO_SECRETS = {};

/** An expression compiled once for repeated evaluation (see prepare). */
export interface PreparedExpression {
  readonly text: string;
  /** Result type when type-checking succeeded. */
  readonly type?: string;
  readonly diagnostics: readonly CelDiagnostic[];
  /** Evaluates against an activation; compile errors are returned as errors. */
  evaluate(activation: Record<string, unknown>, options?: EvaluateOptions): EvaluateResult;
}

/** Compiles `text` once (sharing the compile cache) for repeated evaluation, e.g. one filter over many events. */
export function prepare(text: string, envRef: EnvRef): PreparedExpression {
  const env = resolveEnv(envRef);
  const compiled = compile(text, env);
  return {
    text,
    type: compiled.type,
    diagnostics: compiled.diagnostics,
    evaluate: (activation, options = {}) => runCompiled(compiled, text, activation, options),
  };
}

/**
 * The problem with a Triggers overlay `key`, if any. Tekton writes overlay results under `extensions`
 * with the key as an sjson path, so `extensions.x` ends up as `$(extensions.extensions.x)`.
 */
export function overlayKeyProblem(key: string): { message: string; code: string; severity: CelSeverity } | undefined {
  if (key.trim() === '') {
    return { message: 'an overlay key must not be empty', code: 'cel-overlay-key-empty', severity: 'error' };
  }
  if (key.startsWith('extensions.')) {
    const rest = key.slice('extensions.'.length);
    return {
      message: `overlay keys are already written under extensions: '${key}' is read as $(extensions.${key}). Use key '${rest}' and read it as $(extensions.${rest}).`,
      code: 'cel-overlay-key-extensions',
      // Only a note: the value is written, just one level deeper. A binding that reads $(extensions.<rest>) is the
      // actual mistake, and the Triggers checks warn about that read (an extension no interceptor writes).
      severity: 'information',
    };
  }
  return undefined;
}
