import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { YamlResource } from '../../document/tektonDocument';
import { getValue, keyName } from '../../document/yamlAst';
import { findVariables, VariableRef } from './expression';
import { scalarMap, ScalarMap } from '../../document/scalarMap';
import { asMap, isCustomTaskSpec, mapItems, PipelineSpecModel, PipelineTaskModel, specModel, SpecModel, StepModel, TaskSpecModel } from '../specModel';

/**
 * Where a string sits, as far as variable substitution is concerned: which spec it belongs to (Pipeline, Task,
 * StepAction), which pipeline task or step, and which field (the rules for arrays, step results and ordering differ
 * per field).
 */
export type FieldKind =
  // Pipeline side
  | 'pt-param' // tasks[].params[].value, a string
  | 'pt-param-item' // an element of an array value
  | 'pt-param-object' // a value of an object value
  | 'matrix-param' // matrix.params[].value, a string (must be a whole array reference)
  | 'matrix-param-item'
  | 'matrix-include'
  | 'when-input'
  | 'when-value'
  | 'when-cel'
  | 'pt-other' // workspaces[].subPath, taskRef, onError: substituted, but no ordering and no webhook check
  | 'pt-display-name' // displayName, matrix.include[].name: as pt-other, and the TaskRun's own params substitute there too
  | 'pipeline-result'
  // Task side
  | 'step-name'
  | 'image'
  | 'imagePullPolicy'
  | 'command'
  | 'args'
  | 'script'
  | 'env-value'
  | 'env-other'
  | 'workingDir'
  | 'volumeMount'
  | 'onError'
  | 'step-ref-param'
  | 'step-other'
  | 'step-template'
  | 'task-result-value'
  | 'task-other';

/** Which kind of spec a string belongs to. */
export type Owner = 'pipeline' | 'task' | 'stepaction';

/** The context of a scanned subtree: owner, specs, pipeline task, step and field. */
export interface FieldContext {
  owner: Owner;
  field: FieldKind;
  /** The innermost Pipeline spec (for task scopes: the Pipeline embedding the taskSpec). */
  pipeline?: PipelineSpecModel;
  /** The pipeline task whose field this is (for task scopes: the one embedding the taskSpec). */
  pipelineTask?: PipelineTaskModel;
  task?: TaskSpecModel;
  step?: StepModel;
  /** True when Tekton's admission webhook checks the references in this field (problems are errors, not warnings). */
  webhook: boolean;
  /** True when a task result reference in this field orders the pipeline task after the referenced one. */
  orders: boolean;
}

/** The document range of a name inside a variable. */
export interface PartLocation {
  start: number;
  end: number;
  /** True when the name is written as is in the source (no escapes), so a rename can replace it. */
  verbatim: boolean;
}

/** One `$(...)` in the document. */
export interface Occurrence {
  ref: VariableRef;
  /** Document range (relative to the resource text) of the whole `$(...)`. */
  start: number;
  end: number;
  /** Document ranges of `ref.parts`, in the same order. */
  parts: PartLocation[];
  node: Scalar;
  map: ScalarMap;
  /** True when the string is this expression and nothing else (how a whole array is passed). */
  isolated: boolean;
  ctx: FieldContext;
}

/** A subtree scanned with one context; completion looks the cursor up in these. */
export interface Region {
  start: number;
  end: number;
  ctx: FieldContext;
}

/** The spec model of a document with every variable occurrence and the scanned regions. */
export interface VariableAnalysis {
  model: SpecModel;
  occurrences: Occurrence[];
  regions: Region[];
}

/** The variables of a Tekton Pipelines document with their contexts. Memoized per document text. */
export function analyzeVariables(resource: YamlResource): VariableAnalysis | undefined {
  return resource.memo('tekton-variables', () => {
    const model = specModel(resource);
    if (!model) return undefined;
    const a: VariableAnalysis = { model, occurrences: [], regions: [] };
    try {
      new Walker(resource.text, a).walk();
    } catch {
      // Never throw on user input: what was collected so far is still useful.
    }
    return a;
  });
}

/** Keys whose values Tekton never substitutes. */
const NEVER = new Set(['description', 'metadata']);

/** Container fields scanned whole, with their field kind and whether the webhook checks their references. */
const CONTAINER_FIELDS = new Map<string, [FieldKind, boolean]>([
  ['name', ['step-name', true]],
  ['image', ['image', true]],
  ['imagePullPolicy', ['imagePullPolicy', false]],
  ['command', ['command', true]],
  ['args', ['args', true]],
  ['script', ['script', true]],
  ['workingDir', ['workingDir', true]],
  ['onError', ['onError', true]],
  ['volumeMounts', ['volumeMount', true]],
]);

class Walker {
  constructor(
    private readonly text: string,
    private readonly a: VariableAnalysis,
  ) {}

  walk(): void {
    const m = this.a.model;
    if (m.kind === 'Pipeline' && m.pipeline) this.pipeline(m.pipeline, true);
    else if ((m.kind === 'Task' || m.kind === 'StepAction') && m.task) this.task(m.task, true);
    else if (m.run?.pipelineSpec) this.pipeline(m.run.pipelineSpec, false);
    else if (m.run?.taskSpec) this.task(m.run.taskSpec, false);
  }

  /** Visits every string scalar under `node` with one context. */
  scan(node: unknown, ctx: FieldContext): void {
    const n = node as Node | undefined;
    if (!n || !n.range) return;
    this.a.regions.push({ start: n.range[0], end: n.range[1], ctx });
    this.visit(n, ctx, 0);
  }

  private visit(n: Node, ctx: FieldContext, depth: number): void {
    if (depth > 100) return;
    if (isScalar(n)) {
      if (typeof n.value === 'string' && n.value.includes('$(')) this.scalar(n, ctx);
    } else if (isMap(n)) {
      for (const p of n.items) {
        const k = keyName(p as Pair);
        if (k !== undefined && NEVER.has(k)) continue;
        if (p.value) this.visit(p.value as Node, ctx, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) if (item) this.visit(item as Node, ctx, depth + 1);
    }
  }

  private scalar(node: Scalar, ctx: FieldContext): void {
    const value = node.value as string;
    const refs = findVariables(value);
    if (!refs.length) return;
    const map = scalarMap(node, this.text);
    for (const ref of refs) {
      const whole = map.toSource(ref.start, ref.end);
      this.a.occurrences.push({
        ref,
        start: whole.start,
        end: whole.end,
        parts: ref.parts.map((p) => ({ ...map.toSource(p.start, p.end), verbatim: map.isVerbatim(p.start, p.end) })),
        node,
        map,
        isolated: ref.start === 0 && ref.end === value.length,
        ctx,
      });
    }
  }

  // ----- Pipeline side -----

  pipeline(p: PipelineSpecModel, webhook: boolean): void {
    const base: FieldContext = { owner: 'pipeline', field: 'pipeline-result', pipeline: p, webhook, orders: false };
    for (const r of p.results) this.scan(r.valueNode, base);
    for (const t of [...p.tasks, ...p.finally]) this.pipelineTask(t, p, webhook);
  }

  pipelineTask(t: PipelineTaskModel, p: PipelineSpecModel, webhook: boolean): void {
    const ctx = (field: FieldKind, checked: boolean, orders: boolean): FieldContext => ({
      owner: 'pipeline',
      field,
      pipeline: p,
      pipelineTask: t,
      webhook: webhook && checked,
      orders,
    });
    const other = ctx('pt-other', false, false);
    for (const pair of t.node.items) {
      const key = keyName(pair as Pair);
      const value = pair.value as Node | null;
      if (!value || key === undefined) continue;
      switch (key) {
        case 'params':
          this.bindingValues(value, ctx('pt-param', true, true), ctx('pt-param-item', true, true), ctx('pt-param-object', true, true));
          break;
        case 'matrix': {
          const m = asMap(value);
          this.bindingValues(
            getValue(m, 'params'),
            ctx('matrix-param', true, true),
            ctx('matrix-param-item', true, true),
            ctx('matrix-include', true, true),
          );
          const inc = ctx('matrix-include', true, true);
          for (const i of mapItems(getValue(m, 'include'))) {
            this.bindingValues(getValue(i, 'params'), inc, inc, inc);
            this.scan(getValue(i, 'name'), ctx('pt-display-name', false, false));
          }
          break;
        }
        case 'when':
          for (const w of mapItems(value)) {
            this.scan(getValue(w, 'input'), ctx('when-input', true, true));
            this.scan(getValue(w, 'values'), ctx('when-value', true, true));
            this.scan(getValue(w, 'cel'), ctx('when-cel', false, true));
          }
          break;
        case 'taskSpec':
          if (t.taskSpec) this.task(t.taskSpec, webhook);
          else if (isMap(value) && !isCustomTaskSpec(value as YAMLMap)) this.scan(value, other);
          break;
        case 'pipelineSpec':
          if (t.pipelineSpec) this.pipeline(t.pipelineSpec, false);
          break;
        case 'workspaces':
          for (const w of mapItems(value)) this.scan(getValue(w, 'subPath'), other);
          break;
        case 'taskRef':
        case 'pipelineRef': {
          const r = asMap(value);
          for (const rp of r?.items ?? []) {
            const k = keyName(rp as Pair);
            if (k === 'params') this.bindingValues(rp.value, other, other, other);
            else if (rp.value) this.scan(rp.value, other);
          }
          break;
        }
        case 'displayName':
          this.scan(value, ctx('pt-display-name', false, false));
          break;
        case 'onError':
          this.scan(value, other);
          break;
        default:
          // name, runAfter, retries, timeout, description: names or values Tekton does not substitute.
          break;
      }
    }
  }

  /** The values of a `params` list: a string, each element of an array, each value of an object. */
  private bindingValues(list: unknown, str: FieldContext, item: FieldContext, obj: FieldContext): void {
    for (const b of mapItems(list)) {
      const v = getValue(b, 'value');
      if (isSeq(v)) this.scan(v, item);
      else if (isMap(v)) this.scan(v, obj);
      else this.scan(v, str);
    }
  }

  // ----- Task side -----

  task(t: TaskSpecModel, webhook: boolean): void {
    const owner: Owner = t.kind === 'stepaction' ? 'stepaction' : 'task';
    const base = (field: FieldKind, checked: boolean, step?: StepModel): FieldContext => ({
      owner,
      field,
      pipeline: t.pipeline,
      pipelineTask: t.pipelineTask,
      task: t,
      step,
      webhook: webhook && checked,
      orders: true,
    });
    if (owner === 'stepaction') {
      // A StepAction's `params` and `results` are declarations, not the bindings of a step's `params`.
      this.container(t.node, (f, checked) => base(f, checked), false);
      for (const r of t.results) this.scan(r.valueNode, base('task-result-value', false));
      return;
    }
    for (const pair of t.node.items) {
      const key = keyName(pair as Pair);
      const value = pair.value as Node | null;
      if (!value || key === undefined) continue;
      switch (key) {
        case 'steps':
          for (const s of t.steps) this.container(s.node, (f, checked) => base(f, checked, s), true);
          break;
        case 'sidecars':
          for (const s of t.sidecars) this.container(s.node, (f) => base(f, false, s), false);
          break;
        case 'stepTemplate':
          this.scan(value, base('step-template', false));
          break;
        case 'results':
          for (const r of t.results) this.scan(r.valueNode, base('task-result-value', false));
          break;
        case 'workspaces':
          for (const w of t.workspaces) this.scan(w.mountPathNode, base('task-other', false));
          break;
        case 'volumes':
          this.scan(value, base('task-other', false));
          break;
        default:
          // params (declarations), description, displayName, resources (legacy), apiVersion/kind of an inline spec.
          break;
      }
    }
  }

  /** A step, sidecar or StepAction spec: each container field has its own rules. */
  private container(node: YAMLMap, ctx: (f: FieldKind, webhookChecked: boolean) => FieldContext, isStep: boolean): void {
    for (const pair of node.items) {
      const key = keyName(pair as Pair);
      const value = pair.value as Node | null;
      if (!value || key === undefined) continue;
      const whole = CONTAINER_FIELDS.get(key);
      if (whole) {
        this.scan(value, ctx(...whole));
        continue;
      }
      switch (key) {
        case 'env':
          for (const e of mapItems(value)) {
            this.scan(getValue(e, 'value'), ctx('env-value', true));
            this.scan(getValue(e, 'valueFrom'), ctx('env-other', false));
          }
          break;
        case 'params':
          if (isStep) {
            const c = ctx('step-ref-param', false);
            this.bindingValues(value, c, c, c);
          }
          break;
        case 'when':
          for (const w of mapItems(value)) {
            this.scan(getValue(w, 'input'), ctx('step-other', false));
            this.scan(getValue(w, 'values'), ctx('step-other', false));
            this.scan(getValue(w, 'cel'), ctx('step-other', false));
          }
          break;
        case 'results':
        case 'workspaces':
        case 'description':
        case 'displayName':
          // Declarations, bindings by name and documentation: no substitution.
          break;
        default:
          this.scan(value, ctx('step-other', false));
      }
    }
  }
}
