import { isScalar, Scalar } from 'yaml';
import { YamlResource } from '../../document/tektonDocument';
import { locate } from '../../document/yamlAst';
import type { TaskDeclarations } from '../rules/declarations';
import { analyzeVariables, FieldContext, Occurrence, VariableAnalysis } from './analysis';
import { descendants, pipelineDeps } from './deps';
import { partOf } from './expression';
import { TextEdit } from './fixes';
import { contextVariables, lookupParam, lookupWorkspace, ParamTarget, visibleParams, visibleWorkspaces } from './resolve';
import { scalarMap } from '../../document/scalarMap';
import { PipelineTaskModel, ResultSpecModel } from '../specModel';
import { declarationOf, occurrenceAt, symbolAt, symbolLocations, symbolOfPart } from './symbols';

/**
 * Editor services over Tekton variables: completion inside `$(`, hover, go to definition, references and rename.
 * Plain functions: offsets in and out are relative to the resource text (the caller adds the chunk's offset).
 */

/** Looks up the declarations of a Task referenced by a pipeline task (the workspace index provides it). */
export type ResolveTask = (name: string, kind?: string) => TaskDeclarations | undefined;

/** A completion item for a variable; offsets are relative to the resource text. */
export interface VariableCompletion {
  /** The whole expression, e.g. `params.revision` or `tasks.build.results.digest`. */
  label: string;
  kind: 'param' | 'result' | 'workspace' | 'task' | 'context' | 'step' | 'status' | 'other';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text replacing `replaceStart..replaceEnd`: the label, plus `)` when the expression is not closed yet. */
  insertText: string;
  replaceStart: number;
  replaceEnd: number;
}

interface Candidate {
  label: string;
  kind: VariableCompletion['kind'];
  detail?: string;
  documentation?: string;
}

const SIMPLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;

function paramLabel(name: string): string {
  return SIMPLE_NAME.test(name) ? `params.${name}` : `params['${name}']`;
}

/** The region context of a scalar: the innermost scanned subtree containing it. */
function contextAt(a: VariableAnalysis, node: Scalar): FieldContext | undefined {
  let best: { start: number; end: number; ctx: FieldContext } | undefined;
  const s = node.range![0];
  const e = node.range![1];
  for (const r of a.regions) if (r.start <= s && e <= r.end && (!best || r.end - r.start <= best.end - best.start)) best = r;
  return best?.ctx;
}

/**
 * The variables in scope at `offset` when it is inside `$(` … in a string Tekton substitutes: exactly the params,
 * results, workspaces, tasks and context keys available there, filtered by what is typed up to the last `.`.
 */
export function variableCompletions(resource: YamlResource, offset: number, resolveTask?: ResolveTask): VariableCompletion[] {
  try {
    const a = analyzeVariables(resource);
    if (!a) return [];
    const at = locate(resource.root, offset);
    const node = at.node;
    if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) return [];
    if (offset < node.range[0] || offset > node.range[1]) return [];
    const ctx = contextAt(a, node);
    if (!ctx) return [];
    const map = scalarMap(node, resource.text);
    const v = map.toValue(offset);
    if (v === undefined) return [];
    const value = node.value;
    const open = value.lastIndexOf('$(', v - 2);
    if (open < 0 || open + 2 > v) return [];
    const typed = value.slice(open + 2, v);
    if (/[)\s$]/.test(typed)) return [];
    let end = v;
    while (end < value.length && !/[)\s$]/.test(value[end])) end++;
    const closed = value[end] === ')';
    const range = map.toSource(open + 2, end);
    const cut = Math.max(typed.lastIndexOf('.'), typed.lastIndexOf('['));
    const head = typed.slice(0, cut + 1);
    const seen = new Set<string>();
    const out: VariableCompletion[] = [];
    for (const c of candidates(a, ctx, resolveTask)) {
      if (!c.label.startsWith(head) || seen.has(c.label)) continue;
      seen.add(c.label);
      out.push({ ...c, insertText: closed ? c.label : `${c.label})`, replaceStart: range.start, replaceEnd: range.end });
    }
    return out;
  } catch {
    return [];
  }
}

/** Fields where a whole array or object can be passed (it must be the whole value there). */
const WHOLE_ARRAY_FIELDS = new Set([
  'pt-param',
  'matrix-param',
  'when-value',
  'pt-param-item',
  'matrix-param-item',
  'command',
  'args',
  'step-ref-param',
]);
const WHOLE_OBJECT_FIELDS = new Set(['pt-param', 'step-ref-param']);

function paramCandidates(ctx: FieldContext): Candidate[] {
  if (ctx.owner === 'stepaction' && ctx.field === 'script') return []; // params are not allowed in a StepAction script
  if (ctx.field === 'pipeline-result') return []; // Pipeline results are made of task results
  const out: Candidate[] = [];
  for (const t of visibleParams(ctx)) {
    const doc = paramDoc(t);
    const base = paramLabel(t.name);
    if (t.type === 'array') {
      if (WHOLE_ARRAY_FIELDS.has(ctx.field)) out.push({ label: `${base}[*]`, kind: 'param', detail: 'array param', documentation: doc });
    } else if (t.type === 'object') {
      for (const k of t.decl?.properties ?? [])
        out.push({ label: `${base}.${k}`, kind: 'param', detail: `key of object param ${t.name}`, documentation: doc });
      if (WHOLE_OBJECT_FIELDS.has(ctx.field)) out.push({ label: `${base}[*]`, kind: 'param', detail: 'object param', documentation: doc });
    } else out.push({ label: base, kind: 'param', detail: 'string param', documentation: doc });
  }
  return out;
}

/**
 * The workspaces completion offers: the spec's own and those bound by name. A Pipeline's workspaces reach an inline
 * taskSpec unbound only when the Pipeline itself is inline in a PipelineRun (propagation, TEP-0111).
 */
function offeredWorkspaces(ctx: FieldContext) {
  return visibleWorkspaces(ctx).filter((w) => ctx.owner === 'pipeline' || w.scope.kind !== 'pipeline' || !!w.scope.pipeline.run);
}

function resultsOf(t: PipelineTaskModel, resolveTask?: ResolveTask): { name: string; type: string; description?: string; properties?: string[] }[] {
  if (t.taskSpec) return t.taskSpec.results.filter((r) => r.name);
  const name = t.taskRef?.name?.name;
  if (name && resolveTask && !t.taskRef?.resolver && !t.taskRef?.bundle) {
    try {
      return resolveTask(name, t.taskRef?.kind)?.results ?? [];
    } catch {
      return [];
    }
  }
  return [];
}

function taskResultCandidates(prefix: 'tasks' | 'finally', t: PipelineTaskModel, resolveTask?: ResolveTask): Candidate[] {
  const out: Candidate[] = [];
  for (const r of resultsOf(t, resolveTask)) {
    const label = `${prefix}.${t.name}.results.${r.name}${t.isMatrixed && prefix === 'tasks' ? '[*]' : ''}`;
    const documentation = resultDoc(r, t);
    if (r.type === 'object' && r.properties?.length)
      for (const k of r.properties)
        out.push({ label: `${prefix}.${t.name}.results.${r.name}.${k}`, kind: 'result', detail: `key of result of ${t.name}`, documentation });
    out.push({ label, kind: 'result', detail: `${r.type} result of ${t.name}`, documentation });
  }
  return out;
}

function candidates(a: VariableAnalysis, ctx: FieldContext, resolveTask?: ResolveTask): Candidate[] {
  const out: Candidate[] = paramCandidates(ctx);
  const p = ctx.pipeline;
  const current = ctx.pipelineTask;
  if (p) {
    if (ctx.field === 'pipeline-result') {
      for (const t of p.tasks) out.push(...taskResultCandidates('tasks', t, resolveTask));
      for (const t of p.finally) out.push(...taskResultCandidates('finally', t, resolveTask));
    } else if (current) {
      // Results of tasks that can run before this one: not itself, not its descendants (a cycle), not finally tasks.
      const after = current.finally ? new Set<string>() : descendants(pipelineDeps(a, p), p, current);
      for (const t of p.tasks) {
        if (t === current || after.has(t.name ?? '') || !t.name) continue;
        out.push(...taskResultCandidates('tasks', t, resolveTask));
        if (t.isMatrixed)
          out.push({
            label: `tasks.${t.name}.matrix.length`,
            kind: 'task',
            detail: 'number of combinations',
            documentation: `The number of TaskRuns matrixed task \`${t.name}\` fans out to.`,
          });
      }
      if (current.finally && ctx.owner === 'pipeline') {
        for (const t of p.tasks) {
          if (!t.name) continue;
          out.push({
            label: `tasks.${t.name}.status`,
            kind: 'status',
            detail: 'execution status',
            documentation: `The execution status of pipeline task \`${t.name}\`: Succeeded, Failed or None.`,
          });
          out.push({
            label: `tasks.${t.name}.reason`,
            kind: 'status',
            detail: 'execution reason',
            documentation: `The reason of the execution status of pipeline task \`${t.name}\`.`,
          });
        }
        out.push({
          label: 'tasks.status',
          kind: 'status',
          detail: 'aggregate status',
          documentation: 'The aggregate status of all tasks (not finally): Succeeded, Failed, Completed or None.',
        });
      }
    }
  }
  if (ctx.field === 'pipeline-result') return out;
  if (ctx.owner === 'pipeline') {
    for (const w of offeredWorkspaces(ctx))
      out.push({
        label: `workspaces.${w.name}.bound`,
        kind: 'workspace',
        detail: 'workspace bound',
        documentation: `"true" when workspace \`${w.name}\` is bound by the run.${w.decl?.description ? `\n\n${w.decl.description}` : ''}`,
      });
  } else if (ctx.owner === 'task') {
    for (const w of offeredWorkspaces(ctx))
      for (const attr of ['path', 'bound', 'claim', 'volume'])
        out.push({
          label: `workspaces.${w.name}.${attr}`,
          kind: 'workspace',
          detail: `workspace ${attr}`,
          documentation: workspaceDoc(w.name, attr, w.decl?.description),
        });
    const t = ctx.task;
    if (t) {
      for (const r of t.results)
        if (r.name)
          out.push({
            label: `results.${r.name}.path`,
            kind: 'result',
            detail: 'result file',
            documentation: `The file where the Task writes result \`${r.name}\`.${r.description ? `\n\n${r.description}` : ''}`,
          });
      for (const s of t.steps) {
        const stepName = s.name ? `step-${s.name}` : `step-unnamed-${s.index}`;
        out.push({
          label: `steps.${stepName}.exitCode.path`,
          kind: 'step',
          detail: 'exit code file',
          documentation: `The file holding the exit code of step \`${s.name ?? s.index}\`.`,
        });
      }
      if (['env-value', 'command', 'args', 'task-result-value', 'step-ref-param'].includes(ctx.field)) {
        for (const s of t.steps) {
          if (!s.name || (ctx.step && ctx.step.container === 'step' && s.index >= ctx.step.index)) continue;
          for (const r of s.results)
            out.push({
              label: `steps.${s.name}.results.${r.name}`,
              kind: 'result',
              detail: `result of step ${s.name}`,
              documentation: r.description,
            });
        }
      }
    }
  }
  if (ctx.owner !== 'pipeline') {
    // `step.results`: the results of the step itself in a Task, the StepAction's own results in a StepAction.
    const own = ctx.owner === 'task' ? ctx.step?.results : ctx.task?.results;
    for (const r of own ?? [])
      out.push({ label: `step.results.${r.name}.path`, kind: 'result', detail: 'step result file', documentation: r.description });
    out.push({
      label: 'credentials.path',
      kind: 'other',
      detail: 'credentials directory',
      documentation: 'The path to credentials injected from Secrets with matching annotations.',
    });
  }
  for (const [scope, keys] of Object.entries(contextVariables(ctx)))
    for (const [key, doc] of Object.entries(keys))
      out.push({ label: `context.${scope}.${key}`, kind: 'context', detail: 'context', documentation: doc });
  return out;
}

function paramDoc(t: ParamTarget): string {
  const lines = [`**param** \`${t.name}\` (${t.type})`];
  const d = t.decl;
  if (d) {
    if (d.defaultValue !== undefined) lines.push(`default: \`${JSON.stringify(d.defaultValue)}\``);
    if (d.enum?.length) lines.push(`allowed: ${d.enum.map((x) => `\`${x}\``).join(', ')}`);
    if (d.properties?.length) lines.push(`keys: ${d.properties.map((x) => `\`${x}\``).join(', ')}`);
    if (d.description) lines.push(d.description.trim());
    const where = t.scope.kind === 'task' ? 'Task' : 'Pipeline';
    lines[0] += ` — declared by the ${where}`;
  } else if (t.binding) lines.push('passed by the run (propagated into the inline spec)');
  return lines.join('\n\n');
}

function resultDoc(r: { name: string; type: string; description?: string; properties?: string[] }, t?: PipelineTaskModel): string {
  const lines = [`**result** \`${r.name}\` (${r.type})${t ? ` of pipeline task \`${t.name}\`` : ''}`];
  if (t?.taskRef?.name) lines.push(`Task: \`${t.taskRef.name.name}\``);
  if (r.properties?.length) lines.push(`keys: ${r.properties.map((x) => `\`${x}\``).join(', ')}`);
  if (r.description) lines.push(r.description.trim());
  return lines.join('\n\n');
}

function workspaceDoc(name: string, attr: string, description?: string): string {
  const what: Record<string, string> = {
    path: 'The path where the workspace is mounted (empty when an optional workspace is not bound).',
    bound: '"true" when the workspace is bound, "false" when an optional workspace is not.',
    claim: 'The name of the PersistentVolumeClaim backing the workspace (empty for other volume types).',
    volume: 'The name of the volume populating the workspace.',
  };
  return `**workspace** \`${name}\`.${attr}\n\n${what[attr] ?? ''}${description ? `\n\n${description.trim()}` : ''}`;
}

/** Hover contents and the range they describe (relative offsets). */
export interface VariableHover {
  /** Markdown. */
  contents: string;
  start: number;
  end: number;
}

/** Markdown about the variable under the cursor: its declaration (name, type, default, description). */
export function variableHover(resource: YamlResource, offset: number, resolveTask?: ResolveTask): VariableHover | undefined {
  try {
    const a = analyzeVariables(resource);
    if (!a) return undefined;
    const hit = occurrenceAt(a, offset);
    if (!hit) return undefined;
    const { o } = hit;
    const contents = hoverText(a, o, hit.part, resolveTask);
    if (!contents) return undefined;
    const range = hit.part >= 0 ? o.parts[hit.part] : o;
    return { contents, start: range.start, end: range.end };
  } catch {
    return undefined;
  }
}

function hoverText(a: VariableAnalysis, o: Occurrence, partIndex: number, resolveTask?: ResolveTask): string | undefined {
  const ref = o.ref;
  const ctx = o.ctx;
  const role = partIndex >= 0 ? ref.parts[partIndex].role : undefined;
  switch (ref.kind) {
    case 'param':
    case 'legacyParam': {
      const name = partOf(ref, 'param')?.text ?? '';
      const t = lookupParam(ctx, name);
      if (!t) return `**param** \`${name}\` — not declared`;
      let text = paramDoc(t);
      const key = partOf(ref, 'key');
      if (key) text = `key \`${key.text}\` of ${text}`;
      return text;
    }
    case 'taskResult':
    case 'finallyResult':
    case 'matrixResultLength':
    case 'taskStatus':
    case 'taskReason':
    case 'matrixLength': {
      const tname = partOf(ref, 'task')?.text ?? '';
      const task = ctx.pipeline?.taskMap.get(tname);
      if (!task) return `**pipeline task** \`${tname}\` — not defined`;
      if (role === 'task' || ref.kind === 'taskStatus' || ref.kind === 'taskReason' || ref.kind === 'matrixLength') {
        const lines = [`**pipeline task** \`${tname}\`${task.finally ? ' (finally)' : ''}`];
        if (task.taskRef?.name) lines.push(`taskRef: \`${task.taskRef.name.name}\``);
        else if (task.taskSpec) lines.push('inline taskSpec');
        if (ref.kind === 'taskStatus') lines.push('Execution status: Succeeded, Failed or None.');
        if (ref.kind === 'taskReason') lines.push('The reason of the execution status.');
        if (ref.kind === 'matrixLength') lines.push('The number of TaskRuns the matrix fans out to.');
        return lines.join('\n\n');
      }
      const rname = partOf(ref, 'result')?.text ?? '';
      const r = resultsOf(task, resolveTask).find((x) => x.name === rname);
      return r ? resultDoc(r, task) : `**result** \`${rname}\` of pipeline task \`${tname}\`${task.taskSpec ? ' — not declared' : ''}`;
    }
    case 'tasksStatus':
      return 'The aggregate execution status of all tasks (not finally): Succeeded, Failed, Completed or None.';
    case 'workspace': {
      const name = partOf(ref, 'workspace')?.text ?? '';
      const attr = partOf(ref, 'attr')?.text ?? '';
      const w = ctx.owner === 'stepaction' ? undefined : lookupWorkspace(ctx, name);
      return workspaceDoc(name, attr, w?.decl?.description) + (w?.decl?.optional ? '\n\noptional' : '');
    }
    case 'context': {
      const scope = partOf(ref, 'scope')?.text ?? '';
      const key = partOf(ref, 'contextKey')?.text ?? '';
      const doc = contextVariables(ctx)[scope]?.[key];
      return doc ? `**context.${scope}.${key}**\n\n${doc}` : undefined;
    }
    case 'result': {
      const name = partOf(ref, 'result')?.text ?? '';
      const r = ctx.task?.resultMap.get(name);
      return `**result** \`${name}\` — the file where the Task writes it${r ? `\n\n${resultDoc(r)}` : ' (not declared)'}`;
    }
    case 'stepResultPath':
    case 'stepResult': {
      const sym = partIndex >= 0 ? symbolOfPart(a, o, partIndex) : undefined;
      const decl: ResultSpecModel | undefined = sym && (sym.kind === 'stepResult' || sym.kind === 'result') ? sym.decl : undefined;
      const name = partOf(ref, 'result')?.text ?? '';
      return `**step result** \`${name}\`${decl?.description ? `\n\n${decl.description.trim()}` : ''}`;
    }
    case 'stepExitCode':
      return `The file holding the exit code of \`${partOf(ref, 'step')?.text ?? ''}\`.`;
    case 'credentials':
      return 'The path to credentials injected from Secrets with matching annotations.';
    case 'invalid':
      return ref.problem;
    default:
      return undefined;
  }
}

/** The declaration of the param, result, workspace, pipeline task or step at `offset` (a name range). */
export function findVariableDefinition(resource: YamlResource, offset: number): { start: number; end: number } | undefined {
  try {
    const sym = symbolAt(resource, offset);
    const d = sym && declarationOf(sym);
    return d && { start: d.start, end: d.end };
  } catch {
    return undefined;
  }
}

/** Every place naming the symbol at `offset`: variables, runAfter entries, bindings; the declaration if asked. */
export function findVariableReferences(resource: YamlResource, offset: number, includeDeclaration: boolean): { start: number; end: number }[] {
  try {
    const sym = symbolAt(resource, offset);
    if (!sym) return [];
    return symbolLocations(resource, sym)
      .filter((l) => includeDeclaration || !l.isDeclaration)
      .map((l) => ({ start: l.start, end: l.end }))
      .sort((x, y) => x.start - y.start);
  } catch {
    return [];
  }
}

/**
 * The edits renaming the param, result, workspace, pipeline task or step at `offset` across the document (its
 * declaration, every variable naming it, runAfter entries and bindings by name). Undefined when there is no symbol
 * there. Names written with escapes inside quoted scalars are left alone.
 */
export function renameVariable(resource: YamlResource, offset: number, newName: string): TextEdit[] | undefined {
  try {
    const sym = symbolAt(resource, offset);
    if (!sym) return undefined;
    return symbolLocations(resource, sym)
      .filter((l) => l.verbatim)
      .map((l) => ({ start: l.start, end: l.end, newText: newName }))
      .sort((x, y) => x.start - y.start);
  } catch {
    return undefined;
  }
}

/** The range of the name at `offset` if a rename can start there (prepareRename). */
export function prepareRenameVariable(resource: YamlResource, offset: number): { start: number; end: number } | undefined {
  try {
    const sym = symbolAt(resource, offset);
    if (!sym) return undefined;
    const locs = symbolLocations(resource, sym);
    const here = locs.find((l) => offset >= l.start && offset <= l.end);
    return here && { start: here.start, end: here.end };
  } catch {
    return undefined;
  }
}
