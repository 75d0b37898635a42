/**
 * The `$(...)` variable language of Tekton Pipelines (docs/variables.md): finding the expressions in a string and
 * parsing each into a kind and named parts. Offsets here are positions in the decoded string value; `analysis.ts`
 * maps them to the document.
 */

/** The first word of a Tekton variable. Other `$(` (shell command substitution in scripts) are not variables. */
export const VARIABLE_ROOTS = [
  'params',
  'context',
  'tasks',
  'finally',
  'workspaces',
  'results',
  'steps',
  'step',
  'credentials',
  'artifacts',
  'inputs',
  'outputs',
  'resources',
] as const;
/** A known first word of a variable. */
export type VariableRoot = (typeof VARIABLE_ROOTS)[number];
const ROOTS = new Set<string>(VARIABLE_ROOTS);

/** One `.name`, `['name']`, `["name"]`, `[*]` or `[N]` step of an expression. */
export type Segment =
  | { kind: 'name'; text: string; start: number; end: number; quoted?: string }
  | { kind: 'index'; star: boolean; index?: number; start: number; end: number };

/** What a variable refers to. */
export type VariableKind =
  | 'param'
  | 'legacyParam'
  | 'taskResult'
  | 'finallyResult'
  | 'taskStatus'
  | 'taskReason'
  | 'tasksStatus'
  | 'matrixLength'
  | 'matrixResultLength'
  | 'taskArtifact'
  | 'workspace'
  | 'context'
  | 'result'
  | 'stepResult'
  | 'stepResultPath'
  | 'stepExitCode'
  | 'credentials'
  | 'artifacts'
  | 'stepArtifacts'
  | 'legacyResource'
  | 'invalid';

/** The role of a named part of a variable: what the name refers to. */
export type PartRole = 'param' | 'key' | 'task' | 'result' | 'workspace' | 'attr' | 'scope' | 'contextKey' | 'step' | 'artifact';

/** A name inside a variable, with its offsets in the string value (quotes and dots excluded). */
export interface NamePart {
  role: PartRole;
  text: string;
  start: number;
  end: number;
}

/** A parsed `$(...)` expression. */
export interface VariableRef {
  kind: VariableKind;
  root: VariableRoot;
  /** Offsets of the whole `$(...)` in the value. */
  start: number;
  end: number;
  /** The text between `$(` and `)`. */
  text: string;
  /** False when the expression has no closing `)` (being typed). */
  closed: boolean;
  parts: NamePart[];
  /** `[*]` or `[N]` after the param or result name. */
  index?: { star: boolean; index?: number; start: number; end: number };
  /** True when the main name used bracket notation (`params['x']`). */
  bracket: boolean;
  /** Why the expression is malformed, for kind `invalid` (and for too many dot components of params). */
  problem?: string;
}

/** The part of a variable with a role, if any. */
export function partOf(ref: VariableRef, role: PartRole): NamePart | undefined {
  for (const p of ref.parts) if (p.role === role) return p;
  return undefined;
}

/**
 * Finds every Tekton variable in a string. An expression runs from `$(` to the first `)`, as Tekton's own regular
 * expressions do; `$(` followed by anything but a known root and `.`/`[` is left alone (shell `$(date)`).
 * `includeOpen` also returns an expression without its `)` at the end of the string (for completion).
 */
export function findVariables(value: string, includeOpen = false): VariableRef[] {
  const out: VariableRef[] = [];
  let i = value.indexOf('$(');
  while (i >= 0) {
    let j = i + 2;
    while (j < value.length && isAlpha(value.charCodeAt(j))) j++;
    const root = value.slice(i + 2, j);
    const next = value[j];
    if (ROOTS.has(root) && (next === '.' || next === '[' || (includeOpen && j === value.length))) {
      const close = value.indexOf(')', j);
      // A nested `$(` before the `)` belongs to a later expression: this one is not closed.
      const nested = value.indexOf('$(', j);
      if (close >= 0 && (nested < 0 || nested > close)) {
        out.push(parseExpression(value, i, close + 1, root as VariableRoot, j, close, true));
        i = value.indexOf('$(', close + 1);
        continue;
      }
      if (includeOpen) {
        let stop = j;
        while (stop < value.length && !/[\s'"`)$]/.test(value[stop])) stop++;
        if (value[stop] === "'" || value[stop] === '"') {
          // A quote inside brackets (`params['x`) still belongs to the expression.
          while (stop < value.length && !/[\s)$]/.test(value[stop])) stop++;
        }
        out.push(parseExpression(value, i, stop, root as VariableRoot, j, stop, false));
      }
    }
    i = value.indexOf('$(', i + 2);
  }
  return out;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Splits the text after the root into segments; `error` is set for a bracket that does not parse. */
export function splitSegments(value: string, from: number, to: number): { segments: Segment[]; error?: string } {
  const segments: Segment[] = [];
  let p = from;
  while (p < to) {
    const c = value[p];
    if (c === '.') {
      let q = p + 1;
      while (q < to && value[q] !== '.' && value[q] !== '[') q++;
      segments.push({ kind: 'name', text: value.slice(p + 1, q), start: p + 1, end: q });
      p = q;
    } else if (c === '[') {
      const quote = value[p + 1];
      if (quote === "'" || quote === '"') {
        const close = value.indexOf(quote + ']', p + 2);
        if (close < 0 || close >= to) {
          segments.push({ kind: 'name', text: value.slice(p + 2, to), start: p + 2, end: to, quoted: quote });
          return { segments, error: `unterminated ${quote}...${quote}] in variable` };
        }
        segments.push({ kind: 'name', text: value.slice(p + 2, close), start: p + 2, end: close, quoted: quote });
        p = close + 2;
      } else {
        const close = value.indexOf(']', p);
        if (close < 0 || close >= to) {
          segments.push({ kind: 'index', star: false, start: p, end: to });
          return { segments, error: 'unterminated [ in variable' };
        }
        const inner = value.slice(p + 1, close);
        if (inner === '*') segments.push({ kind: 'index', star: true, start: p, end: close + 1 });
        else if (/^[0-9]+$/.test(inner)) segments.push({ kind: 'index', star: false, index: Number(inner), start: p, end: close + 1 });
        else {
          segments.push({ kind: 'index', star: false, start: p, end: close + 1 });
          return { segments, error: `[${inner}] is not an index: use [*] or a number` };
        }
        p = close + 1;
      }
    } else {
      return { segments, error: `unexpected "${c}" in variable` };
    }
  }
  return { segments };
}

function parseExpression(
  value: string,
  start: number,
  end: number,
  root: VariableRoot,
  afterRoot: number,
  innerEnd: number,
  closed: boolean,
): VariableRef {
  const ref: VariableRef = {
    kind: 'invalid',
    root,
    start,
    end,
    text: value.slice(start + 2, innerEnd),
    closed,
    parts: [],
    bracket: false,
  };
  const { segments, error } = splitSegments(value, afterRoot, innerEnd);
  if (error) {
    // Keep what parsed (completion and rename still use the names).
    interpret(ref, segments);
    ref.kind = 'invalid';
    ref.problem = error;
    return ref;
  }
  interpret(ref, segments);
  return ref;
}

const name = (s: Segment | undefined): string | undefined => (s?.kind === 'name' ? s.text : undefined);

function addPart(ref: VariableRef, role: PartRole, s: Segment | undefined): boolean {
  if (!s || s.kind !== 'name') return false;
  ref.parts.push({ role, text: s.text, start: s.start, end: s.end });
  return true;
}

/** Reads `[*]`/`[N]` or `.key` after a param or result name; false when more follows. */
function tail(ref: VariableRef, rest: Segment[], allowKey: boolean): boolean {
  if (rest.length === 0) return true;
  const [a, ...more] = rest;
  if (a.kind === 'index') {
    ref.index = { star: a.star, index: a.index, start: a.start, end: a.end };
    return more.length === 0;
  }
  if (allowKey && !a.quoted) {
    addPart(ref, 'key', a);
    return more.length === 0;
  }
  return false;
}

function interpret(ref: VariableRef, seg: Segment[]): void {
  const fail = (problem: string) => {
    ref.kind = 'invalid';
    ref.problem = problem;
  };
  switch (ref.root) {
    case 'params': {
      if (!addPart(ref, 'param', seg[0])) return fail('expected a param name after "params"');
      ref.bracket = seg[0].kind === 'name' && !!seg[0].quoted;
      if (!tail(ref, seg.slice(1), true)) {
        // pkg/substitution ExtractVariablesFromString: "Only two dot-separated components after the prefix".
        return fail(`only two dot-separated components are allowed after "params" (params.<name>.<key>); quote a name with dots: params['a.b']`);
      }
      ref.kind = 'param';
      return;
    }
    case 'inputs':
    case 'outputs':
    case 'resources': {
      if (ref.root === 'inputs' && name(seg[0]) === 'params') {
        if (!addPart(ref, 'param', seg[1])) return fail('expected a param name after "inputs.params"');
        if (!tail(ref, seg.slice(2), true)) return fail('too many components after "inputs.params.<name>"');
        ref.kind = 'legacyParam';
        return;
      }
      ref.kind = 'legacyResource';
      return;
    }
    case 'context': {
      if (seg.length !== 2 || !addPart(ref, 'scope', seg[0]) || !addPart(ref, 'contextKey', seg[1])) {
        ref.parts = [];
        if (seg[0]) addPart(ref, 'scope', seg[0]);
        if (seg[1]) addPart(ref, 'contextKey', seg[1]);
        return fail('context variables have the form context.<scope>.<name>');
      }
      ref.kind = 'context';
      return;
    }
    case 'tasks': {
      if (seg.length === 1 && name(seg[0]) === 'status') {
        ref.kind = 'tasksStatus';
        return;
      }
      if (!addPart(ref, 'task', seg[0])) return fail('expected a pipeline task name after "tasks"');
      const what = name(seg[1]);
      if ((what === 'status' || what === 'reason') && seg.length === 2) {
        ref.kind = what === 'status' ? 'taskStatus' : 'taskReason';
        return;
      }
      if (what === 'results') {
        if (!addPart(ref, 'result', seg[2])) return fail('expected a result name after "results"');
        if (!tail(ref, seg.slice(3), true)) return fail('too many components after tasks.<task>.results.<result>');
        ref.kind = 'taskResult';
        return;
      }
      if (what === 'matrix') {
        if (seg.length === 3 && name(seg[2]) === 'length') {
          ref.kind = 'matrixLength';
          return;
        }
        if (seg.length === 4 && name(seg[3]) === 'length' && addPart(ref, 'result', seg[2])) {
          ref.kind = 'matrixResultLength';
          return;
        }
        return fail('expected tasks.<task>.matrix.length or tasks.<task>.matrix.<result>.length');
      }
      if ((what === 'outputs' || what === 'inputs') && addPart(ref, 'artifact', seg[2]) && seg.length === 3) {
        ref.kind = 'taskArtifact';
        return;
      }
      return fail(
        `"tasks.${name(seg[0]) ?? ''}.${what ?? ''}" is not a pipeline variable: use tasks.<task>.results.<result>, tasks.<task>.status or tasks.<task>.reason`,
      );
    }
    case 'finally': {
      if (!addPart(ref, 'task', seg[0]) || name(seg[1]) !== 'results' || !addPart(ref, 'result', seg[2]))
        return fail('expected finally.<task>.results.<result>');
      if (!tail(ref, seg.slice(3), true)) return fail('too many components after finally.<task>.results.<result>');
      ref.kind = 'finallyResult';
      return;
    }
    case 'workspaces': {
      if (!addPart(ref, 'workspace', seg[0])) return fail('expected a workspace name after "workspaces"');
      if (seg.length !== 2 || !addPart(ref, 'attr', seg[1]))
        return fail('workspace variables have the form workspaces.<name>.path|bound|claim|volume');
      ref.kind = 'workspace';
      return;
    }
    case 'results': {
      if (!addPart(ref, 'result', seg[0])) return fail('expected a result name after "results"');
      ref.bracket = seg[0].kind === 'name' && !!seg[0].quoted;
      if (seg.length !== 2 || name(seg[1]) !== 'path') return fail('task result variables have the form results.<name>.path');
      ref.kind = 'result';
      return;
    }
    case 'steps': {
      if (!addPart(ref, 'step', seg[0])) return fail('expected a step name after "steps"');
      const what = name(seg[1]);
      if (what === 'exitCode' && name(seg[2]) === 'path' && seg.length === 3) {
        ref.kind = 'stepExitCode';
        return;
      }
      if (what === 'results') {
        if (!addPart(ref, 'result', seg[2])) return fail('expected a result name after "results"');
        if (!tail(ref, seg.slice(3), true)) return fail('too many components after steps.<step>.results.<result>');
        ref.kind = 'stepResult';
        return;
      }
      if (what === 'outputs' || what === 'inputs') {
        ref.kind = 'stepArtifacts';
        return;
      }
      return fail('expected steps.<step>.results.<result> or steps.step-<name>.exitCode.path');
    }
    case 'step': {
      const what = name(seg[0]);
      if (what === 'results' && addPart(ref, 'result', seg[1]) && name(seg[2]) === 'path' && seg.length === 3) {
        ref.kind = 'stepResultPath';
        return;
      }
      if (what === 'artifacts' && name(seg[1]) === 'path' && seg.length === 2) {
        ref.kind = 'stepArtifacts';
        return;
      }
      return fail('expected step.results.<result>.path or step.artifacts.path');
    }
    case 'credentials':
      if (seg.length === 1 && name(seg[0]) === 'path') ref.kind = 'credentials';
      else fail('expected credentials.path');
      return;
    case 'artifacts':
      if (seg.length === 1 && name(seg[0]) === 'path') ref.kind = 'artifacts';
      else fail('expected artifacts.path');
      return;
  }
}
