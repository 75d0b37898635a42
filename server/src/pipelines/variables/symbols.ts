import { isScalar } from 'yaml';
import { YamlResource } from '../../document/tektonDocument';
import { locate } from '../../document/yamlAst';
import { analyzeVariables, Occurrence, VariableAnalysis } from './analysis';
import { lookupParam, lookupWorkspace } from './resolve';
import {
  NameRef,
  ParamBindingModel,
  ParamSpecModel,
  PipelineSpecModel,
  PipelineTaskModel,
  ResultSpecModel,
  StepModel,
  TaskSpecModel,
  WorkspaceBindingModel,
  WorkspaceSpecModel,
} from '../specModel';

/**
 * The symbols variables refer to (params, results, workspaces, pipeline tasks, steps) and where each is declared
 * and used in one document: the basis of definition, references and rename.
 */
export type VariableSymbol =
  | { kind: 'param'; decl: ParamSpecModel; owner: TaskSpecModel | PipelineSpecModel }
  | { kind: 'runParam'; binding: ParamBindingModel }
  | { kind: 'workspace'; decl: WorkspaceSpecModel; owner: TaskSpecModel | PipelineSpecModel }
  | { kind: 'runWorkspace'; binding: WorkspaceBindingModel }
  | { kind: 'result'; decl: ResultSpecModel; task: TaskSpecModel }
  | { kind: 'stepResult'; decl: ResultSpecModel; step: StepModel; task: TaskSpecModel }
  | { kind: 'task'; task: PipelineTaskModel }
  | { kind: 'step'; step: StepModel; task: TaskSpecModel };

/** A place in the document that names a symbol. `prefix` characters before the name are not part of it. */
export interface SymbolLocation {
  start: number;
  end: number;
  /** False when the name is written with escapes (a rename cannot replace it as is). */
  verbatim: boolean;
  isDeclaration: boolean;
}

function loc(r: NameRef | undefined, isDeclaration: boolean): SymbolLocation | undefined {
  return r && { start: r.start, end: r.end, verbatim: true, isDeclaration };
}

/** The symbol a name part of an occurrence refers to. */
export function symbolOfPart(_a: VariableAnalysis, o: Occurrence, partIndex: number): VariableSymbol | undefined {
  const ref = o.ref;
  const part = ref.parts[partIndex];
  const ctx = o.ctx;
  if (!part) return undefined;
  switch (part.role) {
    case 'param': {
      const t = lookupParam(ctx, part.text);
      if (!t) return undefined;
      if (t.decl && (t.scope.kind === 'task' || t.scope.kind === 'pipeline'))
        return { kind: 'param', decl: t.decl, owner: t.scope.kind === 'task' ? t.scope.task : t.scope.pipeline };
      if (t.binding) return { kind: 'runParam', binding: t.binding };
      return undefined;
    }
    case 'workspace': {
      if (ctx.owner === 'stepaction') return undefined;
      const w = lookupWorkspace(ctx, part.text);
      if (w?.decl && (w.scope.kind === 'task' || w.scope.kind === 'pipeline'))
        return { kind: 'workspace', decl: w.decl, owner: w.scope.kind === 'task' ? w.scope.task : w.scope.pipeline };
      if (w?.binding && w.scope.kind === 'run') return { kind: 'runWorkspace', binding: w.binding };
      // A Task workspace passed through a pipeline task's param value: the inline taskSpec's declaration.
      const inline = ctx.pipelineTask?.taskSpec?.workspaceMap.get(part.text);
      if (inline && ctx.pipelineTask?.taskSpec) return { kind: 'workspace', decl: inline, owner: ctx.pipelineTask.taskSpec };
      return undefined;
    }
    case 'task': {
      const task = ctx.pipeline?.taskMap.get(part.text);
      return task && { kind: 'task', task };
    }
    case 'result': {
      switch (ref.kind) {
        case 'taskResult':
        case 'finallyResult':
        case 'matrixResultLength': {
          const tp = ref.parts.find((p) => p.role === 'task');
          const task = tp && ctx.pipeline?.taskMap.get(tp.text);
          const spec = task?.taskSpec;
          const decl = spec?.resultMap.get(part.text);
          return decl && spec && { kind: 'result', decl, task: spec };
        }
        case 'result': {
          const decl = ctx.owner === 'task' ? ctx.task?.resultMap.get(part.text) : undefined;
          return decl && ctx.task && { kind: 'result', decl, task: ctx.task };
        }
        case 'stepResultPath': {
          if (ctx.owner === 'stepaction') {
            const decl = ctx.task?.resultMap.get(part.text);
            return decl && ctx.task && { kind: 'result', decl, task: ctx.task };
          }
          const decl = ctx.step?.results.find((r) => r.name === part.text);
          return decl && ctx.step && ctx.task && { kind: 'stepResult', decl, step: ctx.step, task: ctx.task };
        }
        case 'stepResult': {
          const sp = ref.parts.find((p) => p.role === 'step');
          const step = sp && ctx.task?.stepMap.get(sp.text);
          const decl = step?.results.find((r) => r.name === part.text);
          return decl && step && ctx.task && { kind: 'stepResult', decl, step, task: ctx.task };
        }
        default:
          return undefined;
      }
    }
    case 'step': {
      if (!ctx.task) return undefined;
      const name = ref.kind === 'stepExitCode' ? (part.text.startsWith('step-') ? part.text.slice(5) : undefined) : part.text;
      const step = name !== undefined ? ctx.task.stepMap.get(name) : undefined;
      return step && { kind: 'step', step, task: ctx.task };
    }
    default:
      return undefined;
  }
}

/** The occurrence and part index under an offset (inclusive of the end, where the cursor sits after typing). */
export function occurrenceAt(a: VariableAnalysis, offset: number): { o: Occurrence; part: number } | undefined {
  for (const o of a.occurrences) {
    if (offset < o.start || offset > o.end) continue;
    const part = o.parts.findIndex((p) => offset >= p.start && offset <= p.end);
    return { o, part };
  }
  return undefined;
}

/** The symbol at an offset: on a name inside `$(...)`, or on a declaration or reference by name in the YAML. */
export function symbolAt(resource: YamlResource, offset: number): VariableSymbol | undefined {
  const a = analyzeVariables(resource);
  if (!a) return undefined;
  const hit = occurrenceAt(a, offset);
  if (hit) return hit.part >= 0 ? symbolOfPart(a, hit.o, hit.part) : undefined;
  const at = locate(resource.root, offset);
  const node = at.node;
  if (!node || !isScalar(node) || !node.range) return undefined;
  const is = (r: NameRef | undefined) => !!r && r.node === node;
  for (const p of a.model.pipelines) {
    for (const d of p.params) if (is(d.ref)) return { kind: 'param', decl: d, owner: p };
    for (const d of p.workspaces) if (is(d.ref)) return { kind: 'workspace', decl: d, owner: p };
    for (const t of [...p.tasks, ...p.finally]) {
      if (is(t.ref)) return { kind: 'task', task: t };
      for (const r of t.runAfter)
        if (is(r)) {
          const task = p.taskMap.get(r.name);
          return task && { kind: 'task', task };
        }
      for (const w of t.workspaces) {
        if (w.workspace && w.workspace !== w.ref && is(w.workspace)) {
          const d = p.workspaceMap.get(w.workspace.name);
          return d && { kind: 'workspace', decl: d, owner: p };
        }
        if (is(w.ref)) {
          const d = t.taskSpec?.workspaceMap.get(w.name);
          if (d && t.taskSpec) return { kind: 'workspace', decl: d, owner: t.taskSpec };
          const pd = !getWorkspaceKey(w) ? p.workspaceMap.get(w.name) : undefined;
          return pd && { kind: 'workspace', decl: pd, owner: p };
        }
      }
      for (const b of [...t.params, ...t.matrixParams, ...t.matrixInclude.flat()])
        if (is(b.ref)) {
          const d = t.taskSpec?.paramMap.get(b.name);
          return d && t.taskSpec && { kind: 'param', decl: d, owner: t.taskSpec };
        }
    }
  }
  for (const t of a.model.tasks) {
    for (const d of t.params) if (is(d.ref)) return { kind: 'param', decl: d, owner: t };
    for (const d of t.workspaces) if (is(d.ref)) return { kind: 'workspace', decl: d, owner: t };
    for (const d of t.results) if (is(d.ref)) return { kind: 'result', decl: d, task: t };
    for (const s of [...t.steps, ...t.sidecars]) {
      if (is(s.ref) && s.container === 'step') return { kind: 'step', step: s, task: t };
      for (const d of s.results) if (is(d.ref)) return { kind: 'stepResult', decl: d, step: s, task: t };
      for (const w of (s.node.get('workspaces', true) as { items?: unknown[] } | undefined)?.items ?? []) {
        const n = (w as { get?(k: string, keep: boolean): unknown }).get?.('name', true);
        if (n === node) {
          const d = t.workspaceMap.get(String(node.value));
          return d && { kind: 'workspace', decl: d, owner: t };
        }
      }
    }
  }
  const run = a.model.run;
  if (run) {
    for (const b of run.params)
      if (is(b.ref)) {
        const spec = run.pipelineSpec ?? run.taskSpec;
        const d = spec?.paramMap.get(b.name);
        return d && spec ? { kind: 'param', decl: d, owner: spec } : { kind: 'runParam', binding: b };
      }
    for (const b of run.workspaces)
      if (is(b.ref)) {
        const spec = run.pipelineSpec ?? run.taskSpec;
        const d = spec?.workspaceMap.get(b.name);
        return d && spec ? { kind: 'workspace', decl: d, owner: spec } : { kind: 'runWorkspace', binding: b };
      }
  }
  return undefined;
}

function getWorkspaceKey(w: WorkspaceBindingModel): boolean {
  return !!w.node.get('workspace', true);
}

function sameSymbol(x: VariableSymbol, y: VariableSymbol): boolean {
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'param':
    case 'workspace':
    case 'result':
    case 'stepResult':
      return x.decl === (y as typeof x).decl;
    case 'runParam':
    case 'runWorkspace':
      return x.binding === (y as typeof x).binding;
    case 'task':
      return x.task === (y as typeof x).task;
    case 'step':
      return x.step === (y as typeof x).step;
  }
}

/** The declaration of a symbol. */
export function declarationOf(sym: VariableSymbol): SymbolLocation | undefined {
  switch (sym.kind) {
    case 'param':
    case 'workspace':
    case 'result':
    case 'stepResult':
      return loc(sym.decl.ref, true);
    case 'runParam':
    case 'runWorkspace':
      return loc(sym.binding.ref, true);
    case 'task':
      return loc(sym.task.ref, true);
    case 'step':
      return loc(sym.step.ref, true);
  }
}

/** Every place in the document that names a symbol: its declaration, the variables, and references by name. */
export function symbolLocations(resource: YamlResource, sym: VariableSymbol): SymbolLocation[] {
  const a = analyzeVariables(resource);
  if (!a) return [];
  const out: SymbolLocation[] = [];
  const decl = declarationOf(sym);
  if (decl) out.push(decl);
  const add = (r: NameRef | undefined) => {
    const l = loc(r, false);
    if (l) out.push(l);
  };
  for (const o of a.occurrences)
    o.ref.parts.forEach((_, i) => {
      const s = symbolOfPart(a, o, i);
      if (!s || !sameSymbol(s, sym)) return;
      const p = o.parts[i];
      // In steps.step-<name>.exitCode.path the step's name follows "step-".
      const shift = sym.kind === 'step' && o.ref.kind === 'stepExitCode' ? 5 : 0;
      out.push({ start: p.start + shift, end: p.end, verbatim: p.verbatim, isDeclaration: false });
    });
  // References by name in the YAML structure.
  switch (sym.kind) {
    case 'task': {
      const p = sym.task.pipeline;
      for (const t of [...p.tasks, ...p.finally]) for (const r of t.runAfter) if (r.name === sym.task.name) add(r);
      break;
    }
    case 'param': {
      const owner = sym.owner;
      if ('steps' in owner) {
        const pt = owner.pipelineTask;
        if (pt) for (const b of [...pt.params, ...pt.matrixParams, ...pt.matrixInclude.flat()]) if (b.name === sym.decl.name) add(b.ref);
        if (owner.run) for (const b of owner.run.params) if (b.name === sym.decl.name) add(b.ref);
      } else if (owner.run) for (const b of owner.run.params) if (b.name === sym.decl.name) add(b.ref);
      break;
    }
    case 'workspace': {
      const owner = sym.owner;
      if ('steps' in owner) {
        const pt = owner.pipelineTask;
        if (pt) for (const w of pt.workspaces) if (w.name === sym.decl.name) add(w.ref);
        if (owner.run) for (const w of owner.run.workspaces) if (w.name === sym.decl.name) add(w.ref);
        for (const s of [...owner.steps, ...owner.sidecars])
          for (const w of (s.node.get('workspaces', true) as { items?: unknown[] } | undefined)?.items ?? []) {
            const n = (w as { get?(k: string, keep: boolean): unknown }).get?.('name', true);
            if (isScalar(n) && n.range && String(n.value) === sym.decl.name)
              out.push({ start: n.range[0], end: n.range[1], verbatim: true, isDeclaration: false });
          }
      } else {
        for (const t of [...owner.tasks, ...owner.finally]) for (const w of t.workspaces) if (w.workspace?.name === sym.decl.name) add(w.workspace);
        if (owner.run) for (const w of owner.run.workspaces) if (w.name === sym.decl.name) add(w.ref);
      }
      break;
    }
    default:
      break;
  }
  // One location per range (a binding without `workspace:` names both sides).
  const seen = new Set<string>();
  return out.filter((l) => {
    const k = `${l.start}:${l.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
