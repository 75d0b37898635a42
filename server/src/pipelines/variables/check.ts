import { YamlResource } from '../../document/tektonDocument';
import { closest, Severity } from '../../document/problem';
import { analyzeVariables, FieldContext, FieldKind, Occurrence, VariableAnalysis } from './analysis';
import { ancestors, pipelineDeps } from './deps';
import { NamePart, partOf, PartRole } from './expression';
import { addKey, addListItem, Fix, FixableProblem, isEditableMap } from './fixes';
import { contextVariables, lookupParam, lookupWorkspace, ParamTarget, scopesOf, visibleParams, visibleWorkspaces } from './resolve';
import { PipelineTaskModel, scalarString, TaskSpecModel } from '../specModel';

/**
 * Checks every `$(...)` of a Pipeline, Task, StepAction or inline spec against what is in scope (Tekton's webhook
 * rules from pipeline_validation.go / task_validation.go / stepaction_validation.go / param_types.go, and what only
 * fails at run time). Ranges are exactly the offending name inside the expression.
 */
export function checkVariables(resource: YamlResource): FixableProblem[] {
  const a = analyzeVariables(resource);
  if (!a) return [];
  const out: FixableProblem[] = [];
  const c = new Checker(resource.text, a, out);
  for (const o of a.occurrences) {
    try {
      c.check(o);
    } catch {
      // A broken document must not stop the other checks.
    }
  }
  return out;
}

/** Fields where a whole array may stand on its own (the value is exactly the reference). */
const ARRAY_FIELDS: Partial<Record<FieldKind, 'star' | 'any'>> = {
  'pt-param': 'star',
  'matrix-param': 'star',
  'when-value': 'star',
  'pt-param-item': 'any',
  'matrix-param-item': 'any',
  command: 'any',
  args: 'any',
  'step-ref-param': 'any',
};

/** A pipeline task's param values: what the Task receives. */
const PARAM_FIELDS = new Set<FieldKind>(['pt-param', 'pt-param-item', 'pt-param-object', 'matrix-param', 'matrix-param-item', 'matrix-include']);

/** Variables only a Task substitutes. */
const TASK_ONLY = new Set<string>([
  'result',
  'stepResult',
  'stepResultPath',
  'stepExitCode',
  'credentials',
  'artifacts',
  'stepArtifacts',
  'legacyParam',
]);

/** Fields where a whole object may stand on its own. */
const OBJECT_FIELDS: Partial<Record<FieldKind, 'star' | 'any'>> = {
  'pt-param': 'star',
  'step-ref-param': 'any',
};

/** Where `$(steps.<step>.results.<r>)` may be used (container_validation.go validateStepResultReference). */
const STEP_RESULT_FIELDS = new Set<FieldKind>(['env-value', 'command', 'args', 'task-result-value', 'step-ref-param', 'step-other', 'env-other']);

const FIELD_NAMES: Partial<Record<FieldKind, string>> = {
  'pt-param': 'a param value',
  'pt-param-item': 'an array element',
  'pt-param-object': 'an object value',
  'matrix-param': 'a matrix param',
  'matrix-param-item': 'a matrix value',
  'matrix-include': 'a matrix include value',
  'when-input': 'a when input',
  'when-value': 'a when value',
  'when-cel': 'a CEL when expression',
  'pt-other': 'a field',
  'pt-display-name': 'a display name',
  'pipeline-result': 'a Pipeline result',
  'step-name': 'a step name',
  image: 'an image',
  imagePullPolicy: 'imagePullPolicy',
  command: 'a command',
  args: 'args',
  script: 'a script',
  'env-value': 'an env value',
  workingDir: 'workingDir',
  volumeMount: 'a volume mount',
  onError: 'onError',
};

class Checker {
  constructor(
    private readonly text: string,
    private readonly a: VariableAnalysis,
    private readonly out: FixableProblem[],
  ) {}

  private push(at: { start: number; end: number }, severity: Severity, code: string, message: string, fixes?: Fix[]): void {
    const p: FixableProblem = { start: at.start, end: at.end, message, code, severity, source: 'tekton' };
    if (fixes?.length) p.fixes = fixes;
    this.out.push(p);
  }

  private partAt(o: Occurrence, role: PartRole): { part: NamePart; loc: { start: number; end: number; verbatim: boolean } } | undefined {
    const part = partOf(o.ref, role);
    if (!part) return undefined;
    return { part, loc: o.parts[o.ref.parts.indexOf(part)] };
  }

  /** A "did you mean" fix replacing a name part. */
  private rename(o: Occurrence, role: PartRole, to: string | undefined): Fix[] {
    const p = this.partAt(o, role);
    if (!to || !p || !p.loc.verbatim) return [];
    return [{ title: `Change to "${to}"`, edits: [{ start: p.loc.start, end: p.loc.end, newText: to }] }];
  }

  /** Reports a name part that names nothing: "did you mean" the closest candidate (with a fix to it), else `otherwise`. */
  private unknownName(
    o: Occurrence,
    role: PartRole,
    severity: Severity,
    code: string,
    message: string,
    candidates: string[],
    more: { otherwise?: string; fixes?: Fix[] } = {},
  ): void {
    const p = this.partAt(o, role);
    if (!p) return;
    const suggestion = closest(p.part.text, candidates);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : (more.otherwise ?? '');
    this.push(p.loc, severity, code, message + hint, [...this.rename(o, role, suggestion), ...(more.fixes ?? [])]);
  }

  /** Errors for what the webhook rejects, warnings for what only fails (or silently stays literal) at run time. */
  private sev(ctx: FieldContext): Severity {
    return ctx.webhook ? 'error' : 'warning';
  }

  check(o: Occurrence): void {
    const ctx = o.ctx;
    const ref = o.ref;
    const whole = { start: o.start, end: o.end };
    if (ctx.owner === 'pipeline' && PARAM_FIELDS.has(ctx.field) && this.passThrough(o)) return;
    switch (ref.kind) {
      case 'param':
        return this.param(o, false);
      case 'legacyParam':
        if (ctx.owner === 'pipeline') return this.notAvailable(o, 'in a Pipeline');
        this.push(
          whole,
          'hint',
          'deprecated-variable',
          `$(inputs.params.${partOf(ref, 'param')?.text ?? ''}) is the v1alpha1 form; use $(params.${partOf(ref, 'param')?.text ?? ''})`,
        );
        return this.param(o, true);
      case 'taskResult':
      case 'finallyResult':
        return this.taskResult(o);
      case 'taskStatus':
      case 'taskReason':
      case 'tasksStatus':
        return this.status(o);
      case 'matrixLength':
      case 'matrixResultLength':
        return this.matrixLength(o);
      case 'taskArtifact':
        if (!ctx.pipeline) return this.notAvailable(o, 'outside a Pipeline');
        return;
      case 'workspace':
        return this.workspace(o);
      case 'context':
        return this.context(o);
      case 'result':
        return this.result(o);
      case 'stepResultPath':
        return this.stepResultPath(o);
      case 'stepResult':
      case 'stepExitCode':
        return this.stepRef(o);
      case 'credentials':
      case 'artifacts':
      case 'stepArtifacts':
        if (ctx.owner === 'pipeline') return this.notAvailable(o, 'in a Pipeline');
        return;
      case 'legacyResource':
        return;
      case 'invalid': {
        const severity = ref.root === 'params' && ctx.webhook ? 'error' : 'warning';
        this.push(whole, severity, 'malformed-variable', `$(${ref.text}): ${ref.problem ?? 'not a Tekton variable'}`);
        return;
      }
    }
  }

  /**
   * A Task variable in a pipeline task's param value is passed to the Task as text, and the Task substitutes it (its
   * replacements run after the params'): `value: $(workspaces.source.path)/x` works when the Task has workspace
   * "source". True when the occurrence is such a pass-through (and was checked here).
   */
  private passThrough(o: Occurrence): boolean {
    const ref = o.ref;
    const ctx = o.ctx;
    if (ref.kind === 'workspace') {
      const w = this.partAt(o, 'workspace');
      const attr = partOf(ref, 'attr')?.text;
      if (!w || (attr === 'bound' && lookupWorkspace(ctx, w.part.text))) return false;
      const t = ctx.pipelineTask;
      if (t && (t.workspaces.some((b) => b.name === w.part.text) || t.taskSpec?.workspaceMap.has(w.part.text))) return true;
      if (attr === 'bound') return false;
      this.unknownName(
        o,
        'workspace',
        'warning',
        'unknown-workspace',
        `$(${ref.text}) is passed to the Task as text and resolves only against a workspace the pipeline task binds, but "${t?.name ?? ''}" binds no workspace "${w.part.text}"`,
        t?.workspaces.map((b) => b.name) ?? [],
      );
      return true;
    }
    if (ref.kind === 'context') {
      const scope = partOf(ref, 'scope')?.text;
      return scope === 'taskRun' || scope === 'task';
    }
    return TASK_ONLY.has(ref.kind);
  }

  private notAvailable(o: Occurrence, where: string): void {
    this.push(
      { start: o.start, end: o.end },
      'warning',
      'variable-not-available',
      `$(${o.ref.text}) is not available ${where}: Tekton leaves it as it is`,
    );
  }

  // ----- params -----

  private param(o: Occurrence, legacy: boolean): void {
    const ctx = o.ctx;
    const ref = o.ref;
    const p = this.partAt(o, 'param');
    if (!p) return;
    const name = p.part.text;
    if (ctx.owner === 'stepaction' && ctx.field === 'script' && !legacy) {
      // stepaction_validation.go validateNoParamSubstitutionsInScript.
      this.push(
        p.loc,
        'error',
        'param-in-stepaction-script',
        `params cannot be used in a StepAction script: pass $(params.${name}) through env and read the variable`,
      );
      return;
    }
    const target = lookupParam(ctx, name);
    const severity = legacy ? 'warning' : this.sev(ctx);
    if (!target && !ctx.webhook && passedByPipelineTask(ctx, name)) {
      // The TaskRun of a pipeline task gets the params the pipeline task passes, and apply.go substitutes them in the
      // whole embedded taskSpec (volumes, sidecars, stepTemplate, workspaces...). Only the steps of a standalone
      // Pipeline must use declared params (pipeline_validation.go validateUsageOfDeclaredPipelineTaskParameters).
      return;
    }
    // A child's display name is substituted with its TaskRun's params too, a matrixed task's combination included
    // (pipelinerunstate.go getDisplayName; docs/matrix.md "DisplayName").
    const pt = ctx.pipelineTask;
    if (!target && ctx.field === 'pt-display-name' && pt && [...pt.params, ...pt.matrixParams, ...pt.matrixInclude.flat()].some((b) => b.name === name))
      return;
    if (!target) {
      const candidates = visibleParams(ctx).map((t) => t.name);
      const key = partOf(ref, 'key');
      const dotted = key && candidates.includes(`${name}.${key.text}`) ? ` (a param name with dots is written $(params['${name}.${key.text}']))` : '';
      this.unknownName(o, 'param', severity, 'unknown-param', `param "${name}" is not declared${dotted}`, candidates, {
        fixes: this.declareParam(o, name),
      });
      return;
    }
    this.paramType(o, target, severity);
  }

  private paramType(o: Occurrence, target: ParamTarget, severity: Severity): void {
    const ref = o.ref;
    const ctx = o.ctx;
    const p = this.partAt(o, 'param')!;
    const key = this.partAt(o, 'key');
    const index = ref.index;
    const name = target.name;
    const where = FIELD_NAMES[ctx.field] ?? 'this field';
    if (target.type === 'string') {
      if (key) this.push(key.loc, 'warning', 'param-type-mismatch', `param "${name}" is a string: it has no key "${key.part.text}"`);
      else if (index) {
        const at = o.map.toSource(index.start, index.end);
        this.push(
          at,
          'warning',
          'star-not-allowed',
          `param "${name}" is a string: ${index.star ? '[*]' : `[${index.index}]`} applies to array and object params`,
        );
      }
      return;
    }
    if (target.type === 'array') {
      if (key) {
        this.push(key.loc, severity, 'param-type-mismatch', `param "${name}" is an array: it has no key "${key.part.text}"`);
        return;
      }
      if (index && !index.star) return; // an element: a string
      const allowed = ARRAY_FIELDS[ctx.field];
      if (allowed && o.isolated && (allowed === 'any' || index?.star)) return;
      const message =
        allowed && o.isolated
          ? `array param "${name}" must be passed whole as $(params.${name}[*])`
          : allowed
            ? `array param "${name}" must be the whole value of ${where} ("${o.ref.text}" alone), not part of a string`
            : `array param "${name}" cannot be used whole in ${where}; use an element, e.g. $(params.${name}[0])`;
      this.push(p.loc, severity, 'array-param-not-isolated', message);
      return;
    }
    // object
    if (key) {
      const props = target.decl?.properties ?? (target.binding?.valueNode ? undefined : []);
      if (props && !props.includes(key.part.text))
        this.unknownName(o, 'key', severity, 'object-param-key', `object param "${name}" has no key "${key.part.text}"`, props, {
          otherwise: props.length ? `; keys: ${props.join(', ')}` : '',
        });
      return;
    }
    if (index && !index.star) {
      this.push(o.map.toSource(index.start, index.end), severity, 'param-type-mismatch', `param "${name}" is an object: use a key, not an index`);
      return;
    }
    const allowed = OBJECT_FIELDS[ctx.field];
    if (allowed && o.isolated && (allowed === 'any' || index?.star)) return;
    this.push(
      p.loc,
      severity,
      'object-param-not-isolated',
      allowed && o.isolated
        ? `object param "${name}" must be passed whole as $(params.${name}[*])`
        : `object param "${name}" cannot be used whole in ${where}; use a key, e.g. $(params.${name}.${target.decl?.properties?.[0] ?? 'key'})`,
    );
  }

  /** "Declare param" fix: adds the param to the innermost spec's `params`. */
  private declareParam(o: Occurrence, name: string): Fix[] {
    const [scope] = scopesOf(o.ctx);
    const node = scope?.kind === 'task' ? scope.task.node : scope?.kind === 'pipeline' ? scope.pipeline.node : undefined;
    if (!isEditableMap(node) || !/^[_a-zA-Z][_a-zA-Z0-9.-]*$/.test(name)) return [];
    const edit = addListItem(this.text, node, 'params', [`name: ${name}`, 'type: string']);
    return edit ? [{ title: `Declare param "${name}"`, edits: [edit] }] : [];
  }

  // ----- pipeline tasks -----

  private taskResult(o: Occurrence): void {
    const ctx = o.ctx;
    const ref = o.ref;
    const p = ctx.pipeline;
    const tp = this.partAt(o, 'task');
    if (!tp) return;
    if (!p) return this.notAvailable(o, 'outside a Pipeline');
    const isFinallyRef = ref.kind === 'finallyResult';
    if (isFinallyRef && ctx.field !== 'pipeline-result') return this.notAvailable(o, 'outside the results of a Pipeline');
    const name = tp.part.text;
    const task = p.taskMap.get(name);
    const current = ctx.pipelineTask;
    // dag.Build: a dependency on a task that is not in spec.tasks fails ("wasn't present in Pipeline").
    const severity: Severity = ctx.field === 'pipeline-result' || (ctx.owner === 'pipeline' && ctx.orders) ? 'error' : 'warning';
    const pool = isFinallyRef ? p.finally : p.tasks;
    if (!task || (isFinallyRef && !task.finally)) {
      const what = ctx.field === 'pipeline-result' ? 'a Pipeline result references' : 'result reference to';
      this.unknownName(
        o,
        'task',
        severity,
        'unknown-task',
        `${what} pipeline task "${name}", which is not in ${isFinallyRef ? 'finally' : 'tasks'}`,
        pool.map((t) => t.name ?? '').filter((n) => n && n !== current?.name),
      );
      return;
    }
    if (task.finally && !isFinallyRef) {
      const message =
        ctx.field === 'pipeline-result'
          ? `"${name}" is a finally task: a Pipeline result reads it as $(finally.${name}.results.…)`
          : current?.finally
            ? `invalid task result reference: a finally task cannot use the results of finally task "${name}"`
            : `"${name}" is a finally task: tasks cannot use its results`;
      const fixes: Fix[] = [];
      if (ctx.field === 'pipeline-result' && o.map.isVerbatim(ref.start + 2, ref.start + 7)) {
        const s = o.map.toSource(ref.start + 2, ref.start + 7);
        fixes.push({ title: `Change to $(finally.${name}...)`, edits: [{ start: s.start, end: s.end, newText: 'finally' }] });
      }
      this.push(tp.loc, 'error', 'result-of-finally-task', message, fixes);
      return;
    }
    if (task === current && !current.finally) return; // a self-dependency is a cycle, reported by the DAG check
    // pipeline_validation.go validateMatrixedPipelineTaskConsumed.
    if (task.isMatrixed && !ref.index?.star && ctx.owner === 'pipeline' && ctx.field !== 'pipeline-result') {
      this.push(
        tp.loc,
        'error',
        'matrixed-result-not-star',
        `"${name}" is a matrixed task: its results can only be consumed whole, as $(${ref.text}[*])`,
      );
    }
    if (ref.index?.star) {
      const at = o.map.toSource(ref.index.start, ref.index.end);
      const declared = task.taskSpec?.resultMap.get(partOf(ref, 'result')?.text ?? '');
      if (ctx.field === 'script') this.push(at, 'warning', 'star-not-allowed', `a whole array result ([*]) cannot be used in a script`);
      // a matrixed task's string result reaches its consumers as the array of every combination's value (docs/matrix.md)
      else if (declared && declared.type === 'string' && !task.isMatrixed)
        this.push(at, 'warning', 'star-not-allowed', `result "${declared.name}" of "${name}" is a string: [*] applies to array and object results`);
      else if (!o.isolated && PARAM_FIELDS.has(ctx.field))
        this.push(at, 'warning', 'star-not-allowed', `a whole array result ([*]) must be the whole value, not part of a string`);
    }
    this.resultOfTask(o, task);
    if (ctx.owner === 'pipeline' && !ctx.orders && ctx.field !== 'pipeline-result' && current && !current.finally) {
      const deps = pipelineDeps(this.a, p);
      if (!ancestors(deps, p, current).has(name)) {
        this.push(
          tp.loc,
          'warning',
          'missing-run-after',
          `"${current.name}" uses a result of "${name}" in ${FIELD_NAMES[ctx.field] ?? 'a field'} that does not order tasks: add "${name}" to runAfter`,
          this.addRunAfter(current, name),
        );
      }
    }
  }

  /** The result must be declared by the task's inline spec (a referenced Task is checked across files). */
  private resultOfTask(o: Occurrence, task: PipelineTaskModel): void {
    const rp = this.partAt(o, 'result');
    const spec = task.taskSpec;
    if (!rp || !spec) return;
    const r = spec.resultMap.get(rp.part.text);
    if (!r) {
      const names = spec.results.map((x) => x.name);
      this.unknownName(o, 'result', 'warning', 'unknown-result', `"${rp.part.text}" is not a result of pipeline task "${task.name}"`, names, {
        otherwise: names.length ? `; its results: ${names.join(', ')}` : ' (it declares no results)',
      });
      return;
    }
    const key = this.partAt(o, 'key');
    if (key && r.type === 'object' && r.properties && !r.properties.includes(key.part.text))
      this.unknownName(o, 'key', 'warning', 'unknown-result-key', `object result "${r.name}" has no key "${key.part.text}"`, r.properties);
  }

  private addRunAfter(t: PipelineTaskModel, name: string): Fix[] {
    if (!isEditableMap(t.node)) return [];
    const edit = t.runAfterNode
      ? addListItem(this.text, t.node, 'runAfter', [name])
      : addKey(this.text, t.node, 'runAfter:', (indent) => `${indent}  - ${name}\n`);
    return edit ? [{ title: `Add "${name}" to runAfter`, edits: [edit] }] : [];
  }

  private status(o: Occurrence): void {
    const ctx = o.ctx;
    const p = ctx.pipeline;
    if (!p || ctx.field === 'pipeline-result')
      return this.notAvailable(o, ctx.field === 'pipeline-result' ? 'in a Pipeline result' : 'outside a Pipeline');
    const current = ctx.pipelineTask;
    if (!current?.finally) {
      // pipeline_validation.go validateExecutionStatusVariablesDisallowed.
      const at = this.partAt(o, 'task')?.loc ?? { start: o.start, end: o.end };
      this.push(
        at,
        ctx.owner === 'pipeline' && ctx.orders ? 'error' : 'warning',
        'status-outside-finally',
        `$(${o.ref.text}) is only available in finally tasks: pipeline tasks cannot refer to the execution status of other tasks`,
      );
      return;
    }
    const tp = this.partAt(o, 'task');
    if (!tp) return;
    const task = p.taskMap.get(tp.part.text);
    if (!task || task.finally)
      this.unknownName(
        o,
        'task',
        'error',
        'unknown-task',
        `pipeline task "${tp.part.text}" is not defined in the pipeline's tasks`,
        p.tasks.map((t) => t.name ?? ''),
      );
  }

  private matrixLength(o: Occurrence): void {
    const p = o.ctx.pipeline;
    const tp = this.partAt(o, 'task');
    if (!p || !tp) return p ? undefined : this.notAvailable(o, 'outside a Pipeline');
    const task = p.taskMap.get(tp.part.text);
    if (!task) {
      this.unknownName(
        o,
        'task',
        'warning',
        'unknown-task',
        `pipeline task "${tp.part.text}" is not defined`,
        p.tasks.map((t) => t.name ?? ''),
      );
      return;
    }
    if (!task.isMatrixed) {
      this.push(tp.loc, 'warning', 'not-matrixed', `pipeline task "${tp.part.text}" has no matrix: $(${o.ref.text}) is not substituted`);
      return;
    }
    if (o.ref.kind === 'matrixResultLength') this.resultOfTask(o, task);
  }

  // ----- workspaces, context -----

  private workspace(o: Occurrence): void {
    const ctx = o.ctx;
    const wp = this.partAt(o, 'workspace');
    const ap = this.partAt(o, 'attr');
    if (!wp || !ap) return;
    const attrs = ctx.owner === 'pipeline' ? ['bound'] : ['path', 'bound', 'claim', 'volume'];
    if (!attrs.includes(ap.part.text))
      this.unknownName(
        o,
        'attr',
        'warning',
        'unknown-variable',
        `workspaces.<name>.${ap.part.text} is not a variable${ctx.owner === 'pipeline' ? ' in a Pipeline (only .bound is)' : ''}`,
        attrs,
      );
    // A StepAction runs in whatever Task references it: its workspaces are not known here.
    if (ctx.owner === 'stepaction') return;
    if (!lookupWorkspace(ctx, wp.part.text))
      this.unknownName(
        o,
        'workspace',
        'warning',
        'unknown-workspace',
        `workspace "${wp.part.text}" is not declared`,
        visibleWorkspaces(ctx).map((w) => w.name),
      );
  }

  private context(o: Occurrence): void {
    const ctx = o.ctx;
    const sp = this.partAt(o, 'scope');
    const kp = this.partAt(o, 'contextKey');
    if (!sp || !kp) return;
    const vars = contextVariables(ctx);
    const scope = vars[sp.part.text];
    // The webhook checks context.pipelineRun/pipeline/pipelineTask in pipeline task params and context.taskRun/task
    // in steps (validatePipelineContextVariables, validateTaskContextVariables); anything else stays literal.
    const taskScope = sp.part.text === 'taskRun' || sp.part.text === 'task';
    const checked =
      ctx.owner === 'pipeline'
        ? ['pt-param', 'pt-param-item', 'pt-param-object', 'matrix-param', 'matrix-param-item', 'matrix-include'].includes(ctx.field) &&
          !taskScope &&
          ctx.webhook
        : ctx.webhook && taskScope;
    const severity: Severity = checked ? 'error' : 'warning';
    if (!scope) {
      const suggestion = closest(sp.part.text, Object.keys(vars));
      this.push(
        sp.loc,
        severity,
        'unknown-context-variable',
        `context.${sp.part.text} is not available here${suggestion ? `; did you mean "context.${suggestion}"?` : ''} (available: ${Object.entries(
          vars,
        )
          .flatMap(([s, ks]) => Object.keys(ks).map((k) => `context.${s}.${k}`))
          .join(', ')})`,
        this.rename(o, 'scope', suggestion),
      );
      return;
    }
    if (!(kp.part.text in scope)) {
      const keys = Object.keys(scope);
      const message = `context.${sp.part.text}.${kp.part.text} is not a context variable`;
      this.unknownName(o, 'contextKey', severity, 'unknown-context-variable', message, keys, { otherwise: `; use ${keys.join(', ')}` });
    }
  }

  // ----- task results and steps -----

  private result(o: Occurrence): void {
    const ctx = o.ctx;
    if (ctx.owner === 'pipeline') return this.notAvailable(o, 'in a Pipeline (use tasks.<task>.results.<name>)');
    if (ctx.owner === 'stepaction') return this.notAvailable(o, 'in a StepAction (use step.results.<name>.path)');
    const rp = this.partAt(o, 'result');
    const t = ctx.task;
    if (!rp || !t) return;
    if (t.resultMap.has(rp.part.text)) return;
    // task_validation.go validateTaskResultsVariables checks step scripts only.
    const severity: Severity = ctx.webhook && ctx.field === 'script' ? 'error' : 'warning';
    this.unknownName(
      o,
      'result',
      severity,
      'unknown-result',
      `result "${rp.part.text}" is not declared in the Task's results`,
      t.results.map((r) => r.name),
      { fixes: this.declareResult(t, rp.part.text) },
    );
  }

  private declareResult(t: TaskSpecModel, name: string): Fix[] {
    if (!isEditableMap(t.node) || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(name)) return [];
    const edit = addListItem(this.text, t.node, 'results', [`name: ${name}`]);
    return edit ? [{ title: `Declare result "${name}"`, edits: [edit] }] : [];
  }

  private stepResultPath(o: Occurrence): void {
    const ctx = o.ctx;
    const rp = this.partAt(o, 'result');
    if (!rp) return;
    if (ctx.owner === 'pipeline') return this.notAvailable(o, 'in a Pipeline');
    const results = ctx.owner === 'stepaction' ? ctx.task?.results : ctx.step?.results;
    if (!results) return this.notAvailable(o, 'outside a step');
    if (results.some((r) => r.name === rp.part.text)) return;
    const severity: Severity = ctx.webhook && ctx.field === 'script' ? 'error' : 'warning';
    const owner = ctx.owner === 'stepaction' ? "the StepAction's" : "the step's";
    this.unknownName(
      o,
      'result',
      severity,
      'unknown-result',
      `step result "${rp.part.text}" is not declared in ${owner} results`,
      results.map((r) => r.name),
    );
  }

  private stepRef(o: Occurrence): void {
    const ctx = o.ctx;
    const sp = this.partAt(o, 'step');
    if (!sp) return;
    if (ctx.owner !== 'task' || !ctx.task) return this.notAvailable(o, ctx.owner === 'pipeline' ? 'in a Pipeline' : 'in a StepAction');
    const t = ctx.task;
    if (o.ref.kind === 'stepExitCode') {
      const name = sp.part.text;
      const unnamed = /^step-unnamed-(\d+)$/.exec(name);
      const ok = unnamed
        ? Number(unnamed[1]) < t.steps.length && !t.steps[Number(unnamed[1])].name
        : name.startsWith('step-') && t.stepMap.has(name.slice(5));
      if (!ok)
        this.unknownName(
          o,
          'step',
          'warning',
          'unknown-step',
          `"${name}" is not a step of this Task (exit code paths are steps.step-<name>.exitCode.path)`,
          t.steps.map((s) => (s.name ? `step-${s.name}` : `step-unnamed-${s.index}`)),
        );
      return;
    }
    // container_validation.go validateStepResultReference: only env, command and args (and the Task's results).
    if (!STEP_RESULT_FIELDS.has(ctx.field)) {
      this.push(
        { start: o.start, end: o.end },
        ctx.webhook ? 'error' : 'warning',
        'step-result-not-allowed',
        `step results can only be used in env, command and args of a later step, and in the Task's results, not in ${FIELD_NAMES[ctx.field] ?? 'this field'}`,
      );
      return;
    }
    const step = t.stepMap.get(sp.part.text);
    if (!step) {
      const named = t.steps.map((s) => s.name ?? '').filter(Boolean);
      this.unknownName(o, 'step', 'warning', 'unknown-step', `"${sp.part.text}" is not a step of this Task`, named);
      return;
    }
    if (ctx.step && ctx.step.container === 'step' && step.index >= ctx.step.index) {
      this.push(sp.loc, 'warning', 'step-result-order', `step "${step.name}" does not run before this step: its results are not available yet`);
      return;
    }
    if (o.ref.index?.star && !(o.isolated && ['command', 'args', 'step-ref-param', 'task-result-value'].includes(ctx.field)))
      this.push(
        o.map.toSource(o.ref.index.start, o.ref.index.end),
        'warning',
        'star-not-allowed',
        'a whole array step result ([*]) can only be a whole command or args item',
      );
    const rp = this.partAt(o, 'result');
    if (!rp || step.hasRef) return; // a StepAction's results are declared in the StepAction
    // The consuming step's entrypoint reads /tekton/steps/step-<name>/results/<result>, declared or not: a script
    // that writes that file itself works (openshift-pipelines/operator's release-test pipeline does).
    const script = scalarString(step.node.get('script', true));
    if (script?.includes(`/tekton/steps/step-${step.name}/results/${rp.part.text}`)) return;
    if (!step.results.some((r) => r.name === rp.part.text))
      this.unknownName(
        o,
        'result',
        'warning',
        'unknown-result',
        `step "${step.name}" declares no result "${rp.part.text}"`,
        step.results.map((r) => r.name),
      );
  }
}

/** True when the pipeline task embedding the context's taskSpec passes a param of that name (params or matrix). */
function passedByPipelineTask(ctx: FieldContext, name: string): boolean {
  const t = ctx.task?.pipelineTask;
  return !!t && [...t.params, ...t.matrixParams, ...t.matrixInclude.flat()].some((b) => b.name === name);
}
