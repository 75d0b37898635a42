import { FieldContext } from './analysis';
import {
  ParamBindingModel,
  ParamSpecModel,
  ParamType,
  PipelineSpecModel,
  PipelineTaskModel,
  RunModel,
  TaskSpecModel,
  WorkspaceBindingModel,
  WorkspaceSpecModel,
} from '../specModel';

/**
 * Name resolution for variables: which declaration a `$(params.x)` or `$(workspaces.w...)` refers to, following
 * Tekton's propagation of params and workspaces from runs and Pipelines into inline specs (TEP-0107, TEP-0111).
 */

/** A spec that declares params or workspaces, in lookup order. */
export type Scope =
  | { kind: 'task'; task: TaskSpecModel }
  | { kind: 'pipeline'; pipeline: PipelineSpecModel }
  | { kind: 'run'; run: RunModel }
  | { kind: 'binding'; task: PipelineTaskModel };

/** The scopes visible from a context, innermost first: the spec, the Pipelines embedding it, the run. */
export function scopesOf(ctx: FieldContext): Scope[] {
  const out: Scope[] = [];
  const seen = new Set<unknown>();
  const pipelineChain = (p: PipelineSpecModel | undefined) => {
    for (let cur = p; cur && !seen.has(cur); cur = cur.parentTask?.pipeline) {
      seen.add(cur);
      out.push({ kind: 'pipeline', pipeline: cur });
      if (cur.run) out.push({ kind: 'run', run: cur.run });
    }
  };
  if (ctx.task) {
    out.push({ kind: 'task', task: ctx.task });
    if (ctx.task.pipelineTask) out.push({ kind: 'binding', task: ctx.task.pipelineTask });
    pipelineChain(ctx.task.pipeline);
    if (ctx.task.run) out.push({ kind: 'run', run: ctx.task.run });
  } else pipelineChain(ctx.pipeline);
  return out;
}

/** What a param name resolves to: a declaration, or a value a run propagates. */
export interface ParamTarget {
  name: string;
  scope: Scope;
  decl?: ParamSpecModel;
  binding?: ParamBindingModel;
  type: ParamType;
}

function paramIn(scope: Scope, name: string): ParamTarget | undefined {
  switch (scope.kind) {
    case 'task': {
      const d = scope.task.paramMap.get(name);
      return d && { name, scope, decl: d, type: d.type };
    }
    case 'pipeline': {
      const d = scope.pipeline.paramMap.get(name);
      return d && { name, scope, decl: d, type: d.type };
    }
    case 'run': {
      const b = scope.run.paramMap.get(name);
      return b && { name, scope, binding: b, type: b.valueType ?? 'string' };
    }
    default:
      return undefined;
  }
}

/** The param a name refers to from a context. */
export function lookupParam(ctx: FieldContext, name: string): ParamTarget | undefined {
  return lookup(ctx, name, paramIn);
}

/** Every param visible from a context (the innermost declaration of each name). */
export function visibleParams(ctx: FieldContext): ParamTarget[] {
  const paramsOf = (s: Scope) =>
    s.kind === 'task' ? s.task.params : s.kind === 'pipeline' ? s.pipeline.params : s.kind === 'run' ? s.run.params : [];
  return visible(ctx, paramsOf, paramIn);
}

/** What a workspace name resolves to: a declaration, or a binding of a run or pipeline task. */
export interface WorkspaceTarget {
  name: string;
  scope: Scope;
  decl?: WorkspaceSpecModel;
  binding?: WorkspaceBindingModel;
  optional: boolean;
}

function workspaceIn(scope: Scope, name: string): WorkspaceTarget | undefined {
  switch (scope.kind) {
    case 'task': {
      const d = scope.task.workspaceMap.get(name);
      return d && { name, scope, decl: d, optional: d.optional };
    }
    case 'pipeline': {
      const d = scope.pipeline.workspaceMap.get(name);
      return d && { name, scope, decl: d, optional: d.optional };
    }
    case 'run': {
      const b = scope.run.workspaceMap.get(name);
      return b && { name, scope, binding: b, optional: false };
    }
    case 'binding': {
      const b = scope.task.workspaces.find((w) => w.name === name);
      return b && { name, scope, binding: b, optional: false };
    }
  }
}

/** The workspace a name refers to from a context. */
export function lookupWorkspace(ctx: FieldContext, name: string): WorkspaceTarget | undefined {
  return lookup(ctx, name, workspaceIn);
}

/** Every workspace visible from a context. */
export function visibleWorkspaces(ctx: FieldContext): WorkspaceTarget[] {
  // `task` of a 'binding' scope is the pipeline task: the workspaces it binds by name.
  const workspacesOf = (s: Scope) => (s.kind === 'pipeline' ? s.pipeline.workspaces : s.kind === 'run' ? s.run.workspaces : s.task.workspaces);
  return visible(ctx, workspacesOf, workspaceIn);
}

/** What a name resolves to in the innermost scope that has it. */
function lookup<T>(ctx: FieldContext, name: string, inScope: (scope: Scope, name: string) => T | undefined): T | undefined {
  for (const s of scopesOf(ctx)) {
    const t = inScope(s, name);
    if (t) return t;
  }
  return undefined;
}

/** Every name the scopes list, resolved in the innermost scope that lists it. */
function visible<T>(ctx: FieldContext, entries: (scope: Scope) => { name: string }[], inScope: (scope: Scope, name: string) => T | undefined): T[] {
  const out = new Map<string, T>();
  for (const s of scopesOf(ctx)) for (const { name } of entries(s)) if (name && !out.has(name)) out.set(name, inScope(s, name)!);
  return [...out.values()];
}

/** Context variables per scope (docs/variables.md; validated keys in pipeline_validation.go / task_validation.go). */
export const PIPELINE_CONTEXT: Record<string, Record<string, string>> = {
  pipelineRun: {
    name: 'The name of the PipelineRun that this Pipeline is running in.',
    namespace: 'The namespace of the PipelineRun that this Pipeline is running in.',
    uid: 'The uid of the PipelineRun that this Pipeline is running in.',
  },
  pipeline: { name: 'The name of this Pipeline.' },
  pipelineTask: { retries: 'The retries of this PipelineTask.' },
};

/** Context variables of a Task (docs/variables.md; validated keys in task_validation.go). */
export const TASK_CONTEXT: Record<string, Record<string, string>> = {
  taskRun: {
    name: 'The name of the TaskRun that this Task is running in.',
    namespace: 'The namespace of the TaskRun that this Task is running in.',
    uid: 'The uid of the TaskRun that this Task is running in.',
  },
  task: {
    name: 'The name of this Task.',
    'retry-count': 'The current retry number of this Task (substituted for inline taskSpecs only).',
  },
};

/** The context variables available from a context: a Pipeline's, a Task's, or both in an inline taskSpec. */
export function contextVariables(ctx: FieldContext): Record<string, Record<string, string>> {
  if (ctx.owner === 'pipeline') return PIPELINE_CONTEXT;
  if (ctx.task?.pipeline) return { ...PIPELINE_CONTEXT, ...TASK_CONTEXT };
  return TASK_CONTEXT;
}
