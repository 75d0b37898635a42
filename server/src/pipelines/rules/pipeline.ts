import { isScalar, isSeq, Node } from 'yaml';
import { getValue } from '../../document/yamlAst';
import { closest, didYouMean } from '../../document/problem';
import { VariableAnalysis } from '../variables/analysis';
import { DependencyEdge, pipelineDeps } from '../variables/deps';
import { findVariables, partOf } from '../variables/expression';
import { PipelineSpecModel, PipelineTaskModel, scalarString } from '../specModel';
import { checkParamSpecs, has, hasNearKey, hasVariable, isDns1123Label, keyNode, Reporter } from './common';
import { checkStepActionSpec, checkTaskSpec } from './task';
import { checkWhen } from './when';

/** config.DefaultMaxMatrixCombinationsCount. */
const MAX_MATRIX_COMBINATIONS = 256;

/** How a Pipeline spec is checked: standalone (Pipeline resource) or inline in a run. */
export interface PipelineCheckOptions {
  /** True for a Pipeline resource: Pipeline.Validate also checks that params and workspaces used are declared. */
  standalone: boolean;
  /** Names a run propagates into an inline spec (workspaces bound by the PipelineRun). */
  runWorkspaces?: Set<string>;
}

/**
 * The webhook rules of a Pipeline spec (pipeline_validation.go PipelineSpec.Validate and Pipeline.Validate,
 * dag.Build, when_validation.go, matrix_types.go), for Pipelines and the inline specs of PipelineRuns.
 */
export function checkPipelineSpec(r: Reporter, text: string, a: VariableAnalysis, p: PipelineSpecModel, options: PipelineCheckOptions): void {
  const all = [...p.tasks, ...p.finally];
  // ValidatePipelineTasks: names are DNS labels and unique across tasks and finally.
  const names = new Set<string>();
  for (const t of all) {
    if (!t.ref) continue;
    if (!isDns1123Label(t.name ?? ''))
      r.error(
        t.ref,
        'pipeline-task-name-invalid',
        `pipeline task name "${t.name}" must be a valid DNS label (lowercase letters, digits and "-", at most 63)`,
      );
    if (names.has(t.name!)) r.error(t.ref, 'duplicate-task-name', `pipeline task name "${t.name}" is used more than once`);
    names.add(t.name!);
  }
  for (const t of all) checkPipelineTask(r, text, a, p, t, options);
  // validateTasksAndFinallySection.
  const finallyNode = getValue(p.node, 'finally');
  if (p.finally.length && !p.tasks.length)
    r.error(
      keyNode(p.node, 'finally'),
      'finally-without-tasks',
      `spec.tasks is empty but spec.finally has ${p.finally.length} task${p.finally.length > 1 ? 's' : ''}`,
    );
  void finallyNode;
  checkGraph(r, a, p);
  // validatePipelineWorkspacesDeclarations.
  const ws = new Set<string>();
  p.workspaces.forEach((w, i) => {
    if (!w.name) r.error(w.ref ?? w.node, 'workspace-name-empty', `workspace ${i} has an empty name`);
    else if (ws.has(w.name)) r.error(w.ref, 'duplicate-workspace', `workspace "${w.name}" is declared more than once`);
    ws.add(w.name);
  });
  checkParamSpecs(r, p.params, 'pipeline');
  checkResults(r, p);
  checkMatrixResultTypes(r, a, p);
}

function checkPipelineTask(
  r: Reporter,
  text: string,
  a: VariableAnalysis,
  p: PipelineSpecModel,
  t: PipelineTaskModel,
  options: PipelineCheckOptions,
): void {
  const node = t.node;
  const label = t.ref ?? ((node.items[0]?.key ?? node) as Node);
  // validateRefOrSpec: exactly one of taskRef, taskSpec, pipelineRef, pipelineSpec.
  const present = ['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'].filter((k) => has(node, k));
  if (present.length > 1)
    for (const k of present.slice(1)) r.error(keyNode(node, k), 'task-ref-or-spec', `expected exactly one of ${present.join(', ')}, got multiple`);
  if (present.length === 0 && !hasNearKey(node, 'taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'))
    r.error(label, 'task-ref-or-spec', `pipeline task "${t.name ?? ''}" needs a taskRef or a taskSpec`);
  const ref = t.taskRef;
  if (ref) {
    const custom = !!ref.apiVersion || (ref.kind !== undefined && ref.kind !== 'Task' && ref.kind !== 'ClusterTask');
    if (custom) {
      // validateCustomTask.
      if (!ref.kind) r.error(keyNode(ref.node, 'apiVersion'), 'custom-task-ref', 'a custom task ref must specify kind');
      if (!ref.apiVersion) r.error(keyNode(ref.node, 'kind'), 'custom-task-ref', 'a custom task ref must specify apiVersion');
      else if (!/^[^/]+\/[^/]+$/.test(ref.apiVersion))
        r.error(
          getValue(ref.node, 'apiVersion'),
          'custom-task-ref',
          `invalid apiVersion "${ref.apiVersion}": a custom task's apiVersion is "group/version"`,
        );
    } else if (!ref.name && !ref.resolver && !ref.params.length && !hasNearKey(ref.node, 'name', 'resolver'))
      r.error(keyNode(node, 'taskRef'), 'task-ref-missing-name', 'taskRef must specify name (or a resolver)');
  }
  if (t.taskSpecNode && has(t.taskSpecNode, 'steps')) {
    // validateEmbeddedOrType.
    for (const k of ['apiVersion', 'kind'])
      if (has(t.taskSpecNode, k))
        r.error(keyNode(t.taskSpecNode, k), 'embedded-task-type', `taskSpec.${k} cannot be specified when using taskSpec.steps`);
  }
  if (t.taskSpec) t.taskSpec.kind === 'task' ? checkTaskSpec(r, t.taskSpec) : checkStepActionSpec(r, t.taskSpec);
  if (t.pipelineSpec) checkPipelineSpec(r, text, a, t.pipelineSpec, { standalone: false });
  // ValidateOnError.
  const onError = scalarString(t.onErrorNode);
  if (onError === 'continue' && (t.retries ?? 0) > 0)
    r.error(t.onErrorNode, 'on-error-retries', 'onError cannot be "continue" when retries is greater than 0');
  // validateFinalTasks: no runAfter in finally.
  if (t.finally && t.runAfterNode && (!isSeq(t.runAfterNode) || t.runAfterNode.items.length))
    r.error(keyNode(node, 'runAfter'), 'finally-run-after', `no runAfter allowed under spec.finally: finally task "${t.name ?? ''}" has runAfter`);
  else
    for (const ra of t.runAfter) {
      const target = p.taskMap.get(ra.name);
      if (!target || target.finally) {
        const suggestion = closest(
          ra.name,
          p.tasks.map((x) => x.name ?? '').filter((n) => n && n !== t.name),
        );
        r.error(
          ra,
          'unknown-task',
          target
            ? `task "${t.name}" runs after "${ra.name}", a finally task: finally tasks run after all tasks`
            : `task "${t.name}" depends on "${ra.name}" but "${ra.name}" is not a task of this Pipeline${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
          suggestion && !target
            ? [{ title: `Change to "${suggestion}"`, edits: [{ start: ra.start, end: ra.end, newText: suggestion }] }]
            : undefined,
        );
      }
    }
  // Duplicate params (validateDuplicateParameters) and matrix rules.
  duplicates(
    r,
    t.params.map((b) => b.ref),
    'param',
  );
  checkMatrix(r, t);
  checkWhen(r, t.whenNode);
  // validateWorkspaces: binding names unique; the pipeline workspace must be declared.
  const bound = new Set<string>();
  for (const w of t.workspaces) {
    if (w.ref) {
      if (bound.has(w.name)) r.error(w.ref, 'duplicate-workspace', `workspace name "${w.name}" must be unique in pipeline task "${t.name ?? ''}"`);
      bound.add(w.name);
    }
    // Without `workspace:` the binding's name is the Pipeline workspace, unless `workspace` is just misspelled.
    const ws = w.workspace === w.ref && hasNearKey(w.node, 'workspace') ? undefined : w.workspace;
    if (ws && !hasVariable(ws.name) && !p.workspaceMap.has(ws.name) && !options.runWorkspaces?.has(ws.name)) {
      const { hint, fixes } = didYouMean(ws.name, p.workspaces.map((x) => x.name), ws.start, ws.end);
      r.add(
        ws,
        options.standalone ? 'error' : 'warning',
        'unknown-workspace',
        `pipeline task "${t.name ?? ''}" expects workspace "${ws.name}" but the Pipeline declares no such workspace${hint}`,
        fixes,
      );
    }
  }
}

function duplicates(r: Reporter, refs: ({ name: string; start: number; end: number } | undefined)[], what: string): void {
  const seen = new Set<string>();
  for (const ref of refs) {
    if (!ref) continue;
    if (seen.has(ref.name)) r.error(ref, `duplicate-${what}`, `${what} "${ref.name}" is given more than once`);
    seen.add(ref.name);
  }
}

function checkMatrix(r: Reporter, t: PipelineTaskModel): void {
  if (!t.matrixNode) return;
  duplicates(
    r,
    t.matrixParams.map((b) => b.ref),
    'param',
  );
  for (const inc of t.matrixInclude)
    duplicates(
      r,
      inc.map((b) => b.ref),
      'param',
    );
  // validateParameterInOneOfMatrixOrParams.
  const inMatrix = new Set([...t.matrixParams, ...t.matrixInclude.flat()].map((b) => b.name));
  for (const b of t.params)
    if (b.ref && inMatrix.has(b.name)) r.error(b.ref, 'matrix-param-conflict', `param "${b.name}" is set both in matrix and in params`);
  let count = t.matrixParams.length ? 1 : 0;
  let literal = true;
  for (const b of t.matrixParams) {
    if (isSeq(b.valueNode)) count *= b.valueNode.items.length;
    else {
      literal = false;
      // A string is only valid when it is a whole array reference ($(params.x[*]) or $(tasks.t.results.r[*])).
      const s = scalarString(b.valueNode);
      const refs = s === undefined ? [] : findVariables(s);
      const whole = refs.length === 1 && refs[0].start === 0 && refs[0].end === s!.length;
      if (b.valueNode && !whole)
        r.warning(
          b.valueNode,
          'matrix-param-not-array',
          `matrix param "${b.name}" must be an array (or a whole array reference such as $(params.list[*]))`,
        );
    }
  }
  for (const inc of t.matrixInclude)
    for (const b of inc)
      if (b.valueNode && b.valueType !== 'string')
        r.warning(b.valueNode, 'matrix-include-not-string', `matrix include param "${b.name}" must be a string`);
  if (literal) {
    // countNewCombinationsFromInclude, simplified: include entries add a combination when no param matches.
    if (!t.matrixParams.length) count = t.matrixInclude.length;
    if (count > MAX_MATRIX_COMBINATIONS)
      r.error(
        keyNode(t.node, 'matrix'),
        'matrix-too-many-combinations',
        `matrix fans out to ${count} combinations, more than the default maximum of ${MAX_MATRIX_COMBINATIONS}`,
      );
  }
}

/** validateMatrixEmittingStringResults: a matrixed task whose results are consumed must emit string results. */
function checkMatrixResultTypes(r: Reporter, a: VariableAnalysis, p: PipelineSpecModel): void {
  for (const o of a.occurrences) {
    if (o.ref.kind !== 'taskResult' || o.ctx.pipeline !== p || o.ctx.owner !== 'pipeline' || !o.ctx.orders) continue;
    const tp = partOf(o.ref, 'task');
    const rp = partOf(o.ref, 'result');
    const task = tp && p.taskMap.get(tp.text);
    if (!task?.isMatrixed || !task.taskSpec || !rp) continue;
    const res = task.taskSpec.resultMap.get(rp.text);
    if (res && res.type !== 'string') {
      const i = o.ref.parts.indexOf(rp);
      r.error(
        o.parts[i],
        'matrix-result-type',
        `matrixed task "${task.name}" emits results that must be strings, but "${res.name}" is ${res.type === 'array' ? 'an array' : 'an object'}`,
      );
    }
  }
}

/** validatePipelineResults: each result value must consist of task result references. */
function checkResults(r: Reporter, p: PipelineSpecModel): void {
  for (const res of p.results) {
    if (!res.valueNode) continue;
    const strings: string[] = [];
    collectStrings(res.valueNode, strings, 0);
    const refs = strings.flatMap((s) => findVariables(s));
    if (!refs.some((x) => x.kind === 'taskResult' || x.kind === 'finallyResult'))
      r.error(
        res.valueNode,
        'pipeline-result-no-reference',
        `the value of Pipeline result "${res.name}" must use task results, e.g. $(tasks.<task>.results.<result>)`,
      );
  }
}

function collectStrings(n: unknown, out: string[], depth: number): void {
  if (depth > 20) return;
  if (isScalar(n)) {
    if (n.value !== null && n.value !== undefined) out.push(String(n.value));
  } else if (n && typeof n === 'object' && 'items' in n) {
    for (const item of (n as { items: unknown[] }).items) {
      const v = item && typeof item === 'object' && 'value' in item && 'key' in item ? (item as { value: unknown }).value : item;
      collectStrings(v, out, depth + 1);
    }
  }
}

/**
 * dag.Build: dependencies must exist and form no cycle. Tekton reports `task "a" depends on "b"`; this reports the
 * whole cycle ("cycle detected: a -> b -> a") on the dependency of its first task (in name order).
 */
function checkGraph(r: Reporter, a: VariableAnalysis, p: PipelineSpecModel): void {
  const deps = pipelineDeps(a, p);
  const dag = new Map<string, DependencyEdge[]>();
  for (const t of p.tasks)
    if (t.name !== undefined && !dag.has(t.name))
      dag.set(
        t.name,
        (deps.get(t) ?? []).filter((e) => dagHas(p, e.to)),
      );
  const color = new Map<string, number>();
  const reported = new Set<string>();
  const stack: string[] = [];
  const edgeStack: DependencyEdge[] = [];
  const visit = (n: string): void => {
    color.set(n, 1);
    stack.push(n);
    for (const e of dag.get(n) ?? []) {
      const c = color.get(e.to) ?? 0;
      if (c === 1) {
        const i = stack.indexOf(e.to);
        const cycle = stack.slice(i);
        const edges = [...edgeStack.slice(i), e];
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          // Start the cycle at its smallest name so the message is stable.
          let k = 0;
          for (let j = 1; j < cycle.length; j++) if (cycle[j] < cycle[k]) k = j;
          const ordered = [...cycle.slice(k), ...cycle.slice(0, k), cycle[k]];
          const edge = edges[k];
          r.error(edge, 'pipeline-cycle', `cycle detected: ${ordered.join(' -> ')}`);
        }
      } else if (c === 0) {
        edgeStack.push(e);
        visit(e.to);
        edgeStack.pop();
      }
    }
    stack.pop();
    color.set(n, 2);
  };
  for (const n of [...dag.keys()].sort()) if (!color.get(n)) visit(n);
}

function dagHas(p: PipelineSpecModel, name: string): boolean {
  const t = p.taskMap.get(name);
  return !!t && !t.finally;
}
