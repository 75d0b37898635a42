import { Pair } from 'yaml';
import { YamlResource } from '../../document/tektonDocument';
import { keyName } from '../../document/yamlAst';
import { toPlainNode } from '../../document/plain';
import { closest, didYouMean } from '../../document/problem';
import { analyzeVariables } from '../variables/analysis';
import { partOf } from '../variables/expression';
import { addListItems, FixableProblem, paramItems, withValueStops } from '../variables/fixes';
import {
  NamedEntry,
  NameRef,
  ParamSpecModel,
  ParamType,
  PipelineSpecModel,
  PipelineTaskModel,
  ResultSpecModel,
  RunModel,
  specModel,
  TaskRefModel,
  TaskSpecModel,
  WorkspaceSpecModel,
} from '../specModel';
import { isSubstitution, Reporter, stringValue } from './common';
import { checkRunBindings, passedShape, warnUndeclared } from './runs';

/** A declared param of a Task, StepAction or Pipeline, with the offsets of its name (relative to the resource text). */
export interface ParamDeclaration {
  name: string;
  type: ParamType;
  hasDefault: boolean;
  default?: string | string[] | Record<string, string>;
  description?: string;
  enum?: string[];
  properties?: string[];
  start: number;
  end: number;
}

/** A declared result, with the offsets of its name. */
export interface ResultDeclaration {
  name: string;
  type: ParamType;
  properties?: string[];
  description?: string;
  start: number;
  end: number;
}

/** A declared workspace, with the offsets of its name. */
export interface WorkspaceDeclaration {
  name: string;
  optional: boolean;
  readOnly?: boolean;
  mountPath?: string;
  description?: string;
  start: number;
  end: number;
}

/** What another file needs to know about a Task or StepAction: its interface. */
export interface TaskDeclarations {
  kind: 'Task' | 'StepAction' | 'Pipeline';
  name?: string;
  /** Offsets of `metadata.name`'s value. */
  nameStart?: number;
  nameEnd?: number;
  description?: string;
  params: ParamDeclaration[];
  results: ResultDeclaration[];
  workspaces: WorkspaceDeclaration[];
}

/** A reference to a Task or Pipeline by name (or through a resolver). */
export interface RefDeclaration {
  name?: string;
  kind?: string;
  apiVersion?: string;
  resolver?: string;
  bundle?: string;
  start: number;
  end: number;
}

/** A pipeline task as other files see it: what it references, passes and binds. */
export interface PipelineTaskDeclaration {
  name: string;
  start: number;
  end: number;
  finally: boolean;
  taskRef?: RefDeclaration;
  pipelineRef?: RefDeclaration;
  /** True when the task is defined inline (taskSpec / pipelineSpec). */
  inline: boolean;
  params: { name: string; type?: ParamType; value?: string | string[] | Record<string, string>; start: number; end: number }[];
  matrixParams: string[];
  workspaces: { name: string; workspace?: string; start: number; end: number }[];
  runAfter: string[];
}

/** A Pipeline's interface plus its tasks. */
export interface PipelineDeclarations extends TaskDeclarations {
  kind: 'Pipeline';
  tasks: PipelineTaskDeclaration[];
}

/** What `extractDeclarations` returns. */
export type ResourceDeclarations = TaskDeclarations | PipelineDeclarations;

/** The entries whose name is written, as plain declarations at the offsets of their name. */
function declared<T extends NamedEntry, D>(entries: T[], fields: (entry: T) => D): ({ name: string } & D & { start: number; end: number })[] {
  return entries.filter((e) => e.ref).map((e) => ({ name: e.name, ...fields(e), start: e.ref!.start, end: e.ref!.end }));
}

/** Converts the spec model of params into plain declarations. */
export function paramDeclarations(params: ParamSpecModel[]): ParamDeclaration[] {
  return declared(params, (p) => ({
    type: p.type,
    hasDefault: !!p.defaultNode,
    default: p.defaultValue,
    description: p.description,
    enum: p.enum,
    properties: p.properties,
  }));
}

function resultDeclarations(results: ResultSpecModel[]): ResultDeclaration[] {
  return declared(results, (r) => ({ type: r.type, properties: r.properties, description: r.description }));
}

/** Converts the spec model of workspaces into plain declarations. */
export function workspaceDeclarations(ws: WorkspaceSpecModel[]): WorkspaceDeclaration[] {
  return declared(ws, (w) => ({ optional: w.optional, readOnly: w.readOnly, mountPath: w.mountPath, description: w.description }));
}

function refDeclaration(r: TaskRefModel | undefined): RefDeclaration | undefined {
  if (!r) return undefined;
  const at = r.name ?? { start: r.node.range?.[0] ?? 0, end: r.node.range?.[1] ?? 0 };
  return { name: r.name?.name, kind: r.kind, apiVersion: r.apiVersion, resolver: r.resolver, bundle: r.bundle, start: at.start, end: at.end };
}

/** The declarations of an inline Task spec (used by the checks of pipeline tasks and runs). */
export function taskSpecDeclarations(t: TaskSpecModel, name?: string): TaskDeclarations {
  return {
    kind: t.kind === 'stepaction' ? 'StepAction' : 'Task',
    name,
    params: paramDeclarations(t.params),
    results: resultDeclarations(t.results),
    workspaces: workspaceDeclarations(t.workspaces),
  };
}

function pipelineDeclarations(p: PipelineSpecModel): PipelineDeclarations {
  return {
    kind: 'Pipeline',
    params: paramDeclarations(p.params),
    results: declared(p.results, () => ({ type: 'string' as const })),
    workspaces: workspaceDeclarations(p.workspaces),
    tasks: [...p.tasks, ...p.finally].filter((t) => t.ref).map(pipelineTaskDeclaration),
  };
}

function pipelineTaskDeclaration(t: PipelineTaskModel): PipelineTaskDeclaration {
  return {
    name: t.name!,
    start: t.ref!.start,
    end: t.ref!.end,
    finally: t.finally,
    taskRef: refDeclaration(t.taskRef),
    pipelineRef: refDeclaration(t.pipelineRef),
    inline: !!(t.taskSpecNode || t.pipelineSpec),
    params: declared(t.params, (b) => ({ type: b.valueType, value: plain(b.valueNode) })),
    matrixParams: [...t.matrixParams, ...t.matrixInclude.flat()].map((b) => b.name),
    workspaces: declared(t.workspaces, (w) => ({ workspace: w.workspace?.name })),
    runAfter: t.runAfter.map((r) => r.name),
  };
}

function plain(n: unknown): string | string[] | Record<string, string> | undefined {
  const converted = toPlainNode(n);
  const v = 'value' in converted ? converted.value : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(String);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
  return undefined;
}

/**
 * The interface of a Task, StepAction or Pipeline document: name, params, results, workspaces and, for a Pipeline,
 * its tasks with what they reference, pass and bind. Offsets are relative to the resource text. Undefined for other
 * kinds. The workspace index builds cross-file knowledge from this.
 */
export function extractDeclarations(resource: YamlResource): ResourceDeclarations | undefined {
  const m = specModel(resource);
  if (!m) return undefined;
  const meta =
    resource.root && 'items' in resource.root
      ? (resource.root as unknown as { get(k: string, keep: boolean): unknown }).get('metadata', true)
      : undefined;
  const nameNode =
    meta && typeof meta === 'object' && 'get' in (meta as object)
      ? (meta as { get(k: string, keep: boolean): unknown }).get('name', true)
      : undefined;
  const range = (nameNode as { range?: number[] } | undefined)?.range;
  const named = { name: resource.name, nameStart: range?.[0], nameEnd: range?.[1] };
  const description = m.spec ? plainString(m.spec.get('description')) : undefined;
  if (m.kind === 'Pipeline' && m.pipeline) return { ...pipelineDeclarations(m.pipeline), ...named, description };
  if ((m.kind === 'Task' || m.kind === 'StepAction') && m.task) return { ...taskSpecDeclarations(m.task), ...named, kind: m.kind, description };
  return undefined;
}

function plainString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Looks up the declarations of a Task referenced by name (`kind` is the taskRef's kind when written, e.g. Task);
 * undefined when unknown. The same shape as the completion's `ResolveTask`.
 */
export type TaskResolver = (name: string, kind?: string) => TaskDeclarations | undefined;
/** Looks up the declarations of the Pipeline or Task a run references; undefined when unknown. */
export type RunTargetResolver = (kind: 'Pipeline' | 'Task', name: string) => TaskDeclarations | undefined;

function remote(r: Reporter, ref: TaskRefModel, what: string): boolean {
  if (!ref.resolver && !ref.bundle) return false;
  const at = ref.name ?? ((ref.node.items[0]?.key ?? ref.node) as never);
  r.add(
    at,
    'information',
    'not-checked-remote',
    `not checked: ${what} resolved remotely (${ref.resolver ? `resolver ${ref.resolver}` : `bundle ${ref.bundle}`})`,
  );
  return true;
}

/** The fields of a TaskRef/PipelineRef (v1 and v1beta1 `*_types.go`), lowercased. */
const REF_FIELDS = new Set(['name', 'kind', 'apiversion', 'resolver', 'params', 'bundle']);

/**
 * A reference with fields Tekton does not know (Konflux's `taskRef.version`) is rejected by the webhook (the schema
 * reports the field): it is not what Tekton would resolve, so it is not compared with a same-named Task or Pipeline of
 * the workspace. When such a one exists, an information problem says so; without one, the service's
 * `reference-not-checked` already does.
 */
function unresolvable(r: Reporter, ref: TaskRefModel, what: string, inWorkspace: () => boolean): boolean {
  const unknown = ref.node.items.map((p) => keyName(p as Pair)).filter((k): k is string => k !== undefined && !REF_FIELDS.has(k.toLowerCase()));
  if (!unknown.length) return false;
  if (ref.name && inWorkspace())
    r.add(
      ref.name,
      'information',
      'reference-not-checked',
      `not checked against ${what} "${ref.name.name}" of the workspace: the reference has field${unknown.length > 1 ? 's' : ''} Tekton does not know (${unknown.join(', ')}), so it is not resolved as written`,
    );
  return true;
}

/**
 * Cross-file checks of the pipeline tasks of a Pipeline (or a PipelineRun's inline pipelineSpec) against the Tasks
 * they reference: params passed that the Task does not declare, required params not passed, type and enum
 * mismatches of literal values, workspaces the Task needs but the pipeline task does not bind (or binds but the Task
 * does not declare), and results used that the Task does not produce. References through a resolver or a bundle get
 * one information problem each. All problems are warnings: they only fail at run time.
 */
export function checkPipelineTasksAgainst(resource: YamlResource, resolveTask: TaskResolver): FixableProblem[] {
  const a = analyzeVariables(resource);
  if (!a) return [];
  const r = new Reporter({ start: 0, end: 0 }, resource.text);
  try {
    for (const p of a.model.pipelines) {
      const decls = new Map<PipelineTaskModel, TaskDeclarations>();
      for (const t of [...p.tasks, ...p.finally]) {
        const ref = t.taskRef;
        if (!ref) continue;
        if (remote(r, ref, 'Task') || unresolvable(r, ref, 'Task', () => !!ref.name && safe(() => resolveTask(ref.name!.name, ref.kind)) !== undefined)) continue;
        const custom = !!ref.apiVersion || (ref.kind !== undefined && ref.kind !== 'Task' && ref.kind !== 'ClusterTask');
        if (custom || !ref.name || ref.name.name.includes('$(')) continue;
        const d = safe(() => resolveTask(ref.name!.name, ref.kind));
        if (!d) continue;
        decls.set(t, d);
        checkTaskBindings(r, resource.text, t, d, ref.name, p.workspaces.map((w) => w.name));
      }
      for (const t of [...p.tasks, ...p.finally]) if (t.pipelineRef) remote(r, t.pipelineRef, 'Pipeline');
      // Results used that the referenced Task does not declare.
      for (const o of a.occurrences) {
        if ((o.ref.kind !== 'taskResult' && o.ref.kind !== 'matrixResultLength') || o.ctx.pipeline !== p) continue;
        const tp = partOf(o.ref, 'task');
        const rp = partOf(o.ref, 'result');
        const task = tp && p.taskMap.get(tp.text);
        const d = task && decls.get(task);
        if (!d || !rp) continue;
        if (!d.results.some((x) => x.name === rp.text)) {
          const suggestion = closest(
            rp.text,
            d.results.map((x) => x.name),
          );
          const loc = o.parts[o.ref.parts.indexOf(rp)];
          r.warning(
            loc,
            'unknown-result',
            `"${rp.text}" is not a result of Task "${d.name ?? task.taskRef?.name?.name}" (pipeline task "${task.name}")${suggestion ? `; did you mean "${suggestion}"?` : d.results.length ? `; its results: ${d.results.map((x) => x.name).join(', ')}` : ''}`,
            suggestion && loc.verbatim
              ? [{ title: `Change to "${suggestion}"`, edits: [{ start: loc.start, end: loc.end, newText: suggestion }] }]
              : undefined,
          );
        }
      }
    }
  } catch {
    // Never throw on user input.
  }
  return r.out;
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function checkTaskBindings(
  r: Reporter,
  text: string,
  t: PipelineTaskModel,
  d: TaskDeclarations,
  refName: NameRef,
  pipelineWorkspaces: readonly string[],
): void {
  const what = `Task "${d.name ?? refName.name}"`;
  const declared = new Map(d.params.map((p) => [p.name, p]));
  const passed = new Set<string>();
  for (const b of [...t.params, ...t.matrixParams, ...t.matrixInclude.flat()]) {
    if (!b.ref) continue;
    passed.add(b.name);
    const p = declared.get(b.name);
    if (!p) {
      const notPassed = d.params.map((x) => x.name).filter((n) => !t.params.some((x) => x.name === n));
      warnUndeclared(r, b.ref, 'unknown-task-param', `${what} declares no param "${b.name}"`, notPassed);
      continue;
    }
    const inMatrix = t.matrixParams.includes(b);
    const valueType = inMatrix ? (b.valueType === 'array' ? 'string' : undefined) : b.valueType;
    // A whole-array or object reference changes the type at run time: compare only literal shapes.
    const literal = stringValue(b.valueNode);
    const isRef = isSubstitution(b.valueNode);
    if (valueType && !isRef && valueType !== p.type)
      r.warning(
        b.valueNode ?? b.ref,
        'param-type-mismatch',
        `${what} declares param "${b.name}" as ${p.type}, but ${inMatrix ? (valueType === 'array' ? 'an array' : valueType === 'object' ? 'an object' : 'a string') : passedShape(b)} is passed`,
      );
    if (p.enum?.length && typeof literal === 'string' && !isRef && !p.enum.includes(literal))
      r.warning(b.valueNode ?? b.ref, 'param-enum', `"${literal}" is not an allowed value of param "${b.name}" (${p.enum.join(', ')})`);
  }
  const missing = d.params.filter((p) => !p.hasDefault && !passed.has(p.name));
  if (missing.length) {
    // The obvious fix: pass each required param, with a value of its type to fill in.
    const edit = withValueStops(addListItems(text, t.node, 'params', paramItems(missing)));
    r.warning(
      refName,
      'missing-param',
      `${what} requires param${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m.name}"`).join(', ')}, not passed by pipeline task "${t.name ?? ''}"`,
      edit ? [{ title: `Add the param${missing.length > 1 ? 's' : ''} ${what} requires`, edits: [edit] }] : undefined,
    );
  }
  const bound = new Set(t.workspaces.map((w) => w.name));
  const wsDecl = new Set(d.workspaces.map((w) => w.name));
  for (const w of t.workspaces)
    if (w.ref && !wsDecl.has(w.name)) {
      const { hint, fixes } = didYouMean(w.name, d.workspaces.map((x) => x.name), w.ref.start, w.ref.end);
      r.warning(w.ref, 'unknown-workspace', `${what} declares no workspace "${w.name}"${hint}`, fixes);
    }
  const unbound = d.workspaces.filter((w) => !w.optional && !bound.has(w.name)).map((w) => w.name);
  if (unbound.length) {
    // Like a missing param: bind each to the Pipeline's workspace of that name, else to its only one, else to a name
    // to fill in.
    const target = (name: string) =>
      pipelineWorkspaces.includes(name) ? name : pipelineWorkspaces.length === 1 ? pipelineWorkspaces[0] : '""';
    const items = unbound.map((name) => [`name: ${name}`, `workspace: ${target(name)}`]);
    const edit = withValueStops(addListItems(text, t.node, 'workspaces', items));
    r.warning(
      refName,
      'missing-workspace',
      `${what} needs workspace${unbound.length > 1 ? 's' : ''} ${unbound.map((m) => `"${m}"`).join(', ')}, not bound by pipeline task "${t.name ?? ''}"`,
      edit ? [{ title: `Bind the workspace${unbound.length > 1 ? 's' : ''} ${what} needs`, edits: [edit] }] : undefined,
    );
  }
}

/**
 * Cross-file checks of a PipelineRun or TaskRun against the Pipeline or Task it references: missing required params,
 * unknown params, type mismatches, missing object keys, enum violations, and unbound or unknown workspaces.
 * A reference through a resolver or a bundle gets one information problem.
 */
export function checkRunAgainst(resource: YamlResource, resolve: RunTargetResolver): FixableProblem[] {
  const m = specModel(resource);
  const run: RunModel | undefined = m?.run;
  if (!run?.ref) return [];
  const r = new Reporter({ start: 0, end: 0 }, resource.text);
  try {
    const target = run.kind === 'PipelineRun' ? 'Pipeline' : 'Task';
    if (remote(r, run.ref, target)) return r.out;
    if (unresolvable(r, run.ref, target, () => !!run.ref?.name && safe(() => resolve(target, run.ref!.name!.name)) !== undefined)) return r.out;
    const name = run.ref.name;
    if (!name || name.name.includes('$(')) return r.out;
    const d = safe(() => resolve(target, name.name));
    if (d) checkRunBindings(r, run, d, { at: name, what: `${target} "${name.name}"`, used: new Set(), usedWorkspaces: new Set(), text: resource.text });
  } catch {
    // Never throw on user input.
  }
  return r.out;
}
