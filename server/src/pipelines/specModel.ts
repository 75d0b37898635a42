import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { YamlResource } from '../document/tektonDocument';
import { getPair, getValue, keyName } from '../document/yamlAst';

/**
 * A typed view of the Tekton specs in one document (Pipeline, Task, StepAction, and the inline specs of runs and
 * pipeline tasks), keeping the YAML nodes so every name has its offsets (relative to the resource text). Built once
 * per document text and shared by the variable analysis, the kind checks and the declarations.
 */

export type ParamType = 'string' | 'array' | 'object';

/** A name written in the document: a scalar with its value range. */
export interface NameRef {
  name: string;
  start: number;
  end: number;
  node: Scalar;
}

/** An item of a list of named entries (params, results, workspaces, bindings); `name` is '' when not written. */
export interface NamedEntry {
  name: string;
  ref?: NameRef;
  node: YAMLMap;
}

/** What param and result declarations share: a type, object keys and a description. */
interface TypedDeclaration extends NamedEntry {
  /** The effective type (see `paramSpecs` and `resultSpecs` for how each is inferred). */
  type: ParamType;
  /** The `type` value as written, if any. */
  declaredType?: string;
  typeNode?: Node;
  /** Object keys, in order. */
  properties?: string[];
  propertiesNode?: Node;
  description?: string;
}

/** A `params[]` declaration of a Pipeline, Task or StepAction. */
export interface ParamSpecModel extends TypedDeclaration {
  defaultNode?: Node;
  /** The shape of the default value, if there is one. */
  defaultType?: ParamType;
  defaultValue?: string | string[] | Record<string, string>;
  enum?: string[];
  enumNode?: Node;
}

/** A `results[]` declaration of a Task, StepAction, step or Pipeline. */
export interface ResultSpecModel extends TypedDeclaration {
  valueNode?: Node;
}

/** A `workspaces[]` declaration of a Pipeline or Task. */
export interface WorkspaceSpecModel extends NamedEntry {
  optional: boolean;
  readOnly: boolean;
  mountPath?: string;
  mountPathNode?: Node;
  description?: string;
}

/** A `params[]` entry that passes a value (pipeline task, matrix, run, step ref). */
export interface ParamBindingModel extends NamedEntry {
  valueNode?: Node;
  /** The shape of the value: a sequence is an array, a map an object, anything else a string. */
  valueType?: ParamType;
}

/** A `workspaces[]` binding of a pipeline task, step or run. */
export interface WorkspaceBindingModel extends NamedEntry {
  /** The pipeline workspace a pipeline task binds (`workspace:`), defaulting to the name. */
  workspace?: NameRef;
}

/** A step or sidecar. */
export interface StepModel {
  index: number;
  node: YAMLMap;
  name?: string;
  ref?: NameRef;
  results: ResultSpecModel[];
  /** True when the step references a StepAction (`ref:`). */
  hasRef: boolean;
  container: 'step' | 'sidecar';
}

/** A Task spec (Task, TaskRun.spec.taskSpec, pipeline task taskSpec) or a StepAction spec. */
export interface TaskSpecModel {
  kind: 'task' | 'stepaction';
  id: number;
  node: YAMLMap;
  params: ParamSpecModel[];
  paramMap: Map<string, ParamSpecModel>;
  results: ResultSpecModel[];
  resultMap: Map<string, ResultSpecModel>;
  workspaces: WorkspaceSpecModel[];
  workspaceMap: Map<string, WorkspaceSpecModel>;
  steps: StepModel[];
  stepMap: Map<string, StepModel>;
  sidecars: StepModel[];
  /** The Pipeline whose pipeline task embeds this spec. */
  pipeline?: PipelineSpecModel;
  pipelineTask?: PipelineTaskModel;
  /** The TaskRun that embeds this spec. */
  run?: RunModel;
}

/** A taskRef, pipelineRef or run reference. */
export interface TaskRefModel {
  node: YAMLMap;
  name?: NameRef;
  kind?: string;
  apiVersion?: string;
  resolver?: string;
  bundle?: string;
  params: ParamBindingModel[];
}

/** An item of a Pipeline's `tasks` or `finally`. */
export interface PipelineTaskModel {
  index: number;
  finally: boolean;
  node: YAMLMap;
  name?: string;
  ref?: NameRef;
  taskRef?: TaskRefModel;
  taskSpecNode?: YAMLMap;
  /** The inline Task, when `taskSpec` has steps (not a custom task spec). */
  taskSpec?: TaskSpecModel;
  pipelineRef?: TaskRefModel;
  pipelineSpec?: PipelineSpecModel;
  params: ParamBindingModel[];
  matrixNode?: YAMLMap;
  matrixParams: ParamBindingModel[];
  matrixInclude: ParamBindingModel[][];
  isMatrixed: boolean;
  runAfterNode?: Node;
  runAfter: NameRef[];
  workspaces: WorkspaceBindingModel[];
  whenNode?: Node;
  retries?: number;
  onErrorNode?: Node;
  pipeline: PipelineSpecModel;
}

/** A Pipeline's `results[]` entry. */
export interface PipelineResultModel extends NamedEntry {
  valueNode?: Node;
}

/** A Pipeline spec (Pipeline, PipelineRun.spec.pipelineSpec, pipeline task pipelineSpec). */
export interface PipelineSpecModel {
  id: number;
  node: YAMLMap;
  params: ParamSpecModel[];
  paramMap: Map<string, ParamSpecModel>;
  workspaces: WorkspaceSpecModel[];
  workspaceMap: Map<string, WorkspaceSpecModel>;
  results: PipelineResultModel[];
  tasks: PipelineTaskModel[];
  finally: PipelineTaskModel[];
  /** Every pipeline task by name (first one wins), tasks and finally. */
  taskMap: Map<string, PipelineTaskModel>;
  /** The pipeline task embedding this spec (pipelines in pipelines). */
  parentTask?: PipelineTaskModel;
  run?: RunModel;
}

/** A PipelineRun or TaskRun: the values it passes. */
export interface RunModel {
  kind: 'PipelineRun' | 'TaskRun';
  node: YAMLMap;
  params: ParamBindingModel[];
  paramMap: Map<string, ParamBindingModel>;
  workspaces: WorkspaceBindingModel[];
  workspaceMap: Map<string, WorkspaceBindingModel>;
  ref?: TaskRefModel;
  refKey?: 'pipelineRef' | 'taskRef';
  pipelineSpec?: PipelineSpecModel;
  taskSpec?: TaskSpecModel;
}

/** Everything the spec model found in one document. */
export interface SpecModel {
  kind: 'Pipeline' | 'Task' | 'StepAction' | 'PipelineRun' | 'TaskRun';
  root: YAMLMap;
  spec?: YAMLMap;
  pipeline?: PipelineSpecModel;
  task?: TaskSpecModel;
  run?: RunModel;
  /** All specs, outermost first. */
  pipelines: PipelineSpecModel[];
  tasks: TaskSpecModel[];
}

const KINDS = new Set(['Pipeline', 'Task', 'StepAction', 'PipelineRun', 'TaskRun']);

/** The spec model of a Tekton Pipelines document, or undefined for other kinds. Memoized per document text. */
export function specModel(resource: YamlResource): SpecModel | undefined {
  return resource.memo('tekton-spec-model', () => {
    try {
      return buildModel(resource);
    } catch {
      return undefined;
    }
  });
}

function buildModel(resource: YamlResource): SpecModel | undefined {
  const root = resource.root;
  const kind = resource.kind;
  if (!isMap(root) || !kind || !KINDS.has(kind) || !resource.isPipelines) return undefined;
  const spec = asMap(getValue(root, 'spec'));
  const model: SpecModel = { kind: kind as SpecModel['kind'], root, spec, pipelines: [], tasks: [] };
  const b = new Builder(model);
  if (!spec) return model;
  switch (kind) {
    case 'Pipeline':
      model.pipeline = b.pipeline(spec);
      break;
    case 'Task':
      model.task = b.task(spec, 'task');
      break;
    case 'StepAction':
      model.task = b.task(spec, 'stepaction');
      break;
    case 'PipelineRun':
    case 'TaskRun': {
      const run = b.run(spec, kind);
      model.run = run;
      model.pipeline = run.pipelineSpec;
      model.task = run.taskSpec;
      break;
    }
  }
  return model;
}

/** The node as a map, if it is one. */
export function asMap(n: unknown): YAMLMap | undefined {
  return isMap(n) ? (n as YAMLMap) : undefined;
}

/** The items of a sequence value that are maps (anything else is the schema's business). */
export function mapItems(n: unknown): YAMLMap[] {
  if (!isSeq(n)) return [];
  const out: YAMLMap[] = [];
  for (const item of n.items) if (isMap(item)) out.push(item as YAMLMap);
  return out;
}

/** The string value of a scalar node (numbers and booleans as written by YAML). */
export function scalarString(n: unknown): string | undefined {
  if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
  return String(n.value);
}

/** A scalar name with its range. */
export function nameRef(n: unknown): NameRef | undefined {
  if (!isScalar(n) || !n.range || n.value === null || n.value === undefined) return undefined;
  return { name: String(n.value), start: n.range[0], end: n.range[1], node: n };
}

/** The string items of a sequence node. */
export function stringList(n: unknown): string[] | undefined {
  if (!isSeq(n)) return undefined;
  const out: string[] = [];
  for (const item of n.items) {
    const s = scalarString(item);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** The shape of a param value node as Tekton's ParamValue.UnmarshalJSON reads it. */
export function valueShape(n: Node | undefined): ParamType | undefined {
  if (!n) return undefined;
  // ParamValue.UnmarshalJSON (param_types.go): a list that is not a []string, or a map that is not a
  // map[string]string, falls back to the string form (its JSON text), which the reconciler then type-checks.
  if (isSeq(n)) return n.items.every(isJsonString) ? 'array' : 'string';
  if (isMap(n)) return n.items.every((p) => isJsonString((p as Pair).value)) ? 'object' : 'string';
  if (isScalar(n)) return n.value === null ? undefined : 'string';
  return undefined;
}

/** A YAML value Go decodes into a string (a string scalar; null leaves the zero value). */
function isJsonString(n: unknown): boolean {
  return n === null || (isScalar(n) && (n.value === null || typeof n.value === 'string'));
}

function plainValue(n: Node | undefined): string | string[] | Record<string, string> | undefined {
  if (!n) return undefined;
  if (isSeq(n)) return stringList(n);
  if (isMap(n)) {
    const out: Record<string, string> = {};
    for (const p of n.items) {
      const k = keyName(p as Pair);
      const v = scalarString((p as Pair).value);
      if (k !== undefined && v !== undefined) out[k] = v;
    }
    return out;
  }
  return scalarString(n);
}

function propertyKeys(n: unknown): string[] | undefined {
  if (!isMap(n)) return undefined;
  const out: string[] = [];
  for (const p of n.items) {
    const k = keyName(p as Pair);
    if (k !== undefined) out.push(k);
  }
  return out;
}

/**
 * Reads the fields a param and a result declaration share; `typeOf` infers the effective type from the declared type
 * and the object keys, the way each of them does.
 */
function typedDeclaration(
  node: YAMLMap,
  typeOf: (declaredType: string | undefined, properties: string[] | undefined) => ParamType,
): TypedDeclaration {
  const ref = nameRef(getValue(node, 'name'));
  const typeNode = getValue(node, 'type');
  const declaredType = scalarString(typeNode);
  const propertiesNode = getValue(node, 'properties');
  const properties = propertyKeys(propertiesNode);
  return {
    name: ref?.name ?? '',
    ref,
    node,
    type: typeOf(declaredType, properties),
    declaredType,
    typeNode,
    properties,
    propertiesNode,
    description: scalarString(getValue(node, 'description')),
  };
}

/** ParamSpec.SetDefaults: the declared type, else properties → object, else the default's shape, else string. */
function paramType(declared: string | undefined, properties: string[] | undefined, defaultType: ParamType | undefined): ParamType {
  if (declared === 'string' || declared === 'array' || declared === 'object') return declared;
  if (declared) return 'string';
  if (properties) return 'object';
  return defaultType ?? 'string';
}

let nextId = 1;

class Builder {
  constructor(private readonly model: SpecModel) {}

  paramSpecs(n: unknown): ParamSpecModel[] {
    return mapItems(n).map((node) => {
      const defaultNode = getValue(node, 'default');
      const defaultType = valueShape(defaultNode);
      const d = typedDeclaration(node, (declared, properties) => paramType(declared, properties, defaultType));
      const enumNode = getValue(node, 'enum');
      return Object.assign(d, { defaultNode, defaultType, defaultValue: plainValue(defaultNode), enum: stringList(enumNode), enumNode });
    });
  }

  resultSpecs(n: unknown): ResultSpecModel[] {
    return mapItems(n).map((node) => {
      const d = typedDeclaration(node, (declared) => (declared === 'array' || declared === 'object' ? declared : 'string'));
      return Object.assign(d, { valueNode: getValue(node, 'value') });
    });
  }

  workspaceSpecs(n: unknown): WorkspaceSpecModel[] {
    return mapItems(n).map((node) => {
      const ref = nameRef(getValue(node, 'name'));
      const mountPathNode = getValue(node, 'mountPath');
      return {
        name: ref?.name ?? '',
        ref,
        node,
        optional: scalarString(getValue(node, 'optional')) === 'true',
        readOnly: scalarString(getValue(node, 'readOnly')) === 'true',
        mountPath: scalarString(mountPathNode),
        mountPathNode,
        description: scalarString(getValue(node, 'description')),
      };
    });
  }

  bindings(n: unknown): ParamBindingModel[] {
    return mapItems(n).map((node) => {
      const ref = nameRef(getValue(node, 'name'));
      const valueNode = getValue(node, 'value');
      return { name: ref?.name ?? '', ref, node, valueNode, valueType: valueShape(valueNode) };
    });
  }

  workspaceBindings(n: unknown, pipelineTask: boolean): WorkspaceBindingModel[] {
    return mapItems(n).map((node) => {
      const ref = nameRef(getValue(node, 'name'));
      const workspace = pipelineTask ? (nameRef(getValue(node, 'workspace')) ?? ref) : undefined;
      return { name: ref?.name ?? '', ref, node, workspace };
    });
  }

  ref(n: unknown): TaskRefModel | undefined {
    const node = asMap(n);
    if (!node) return undefined;
    return {
      node,
      name: nameRef(getValue(node, 'name')),
      kind: scalarString(getValue(node, 'kind')),
      apiVersion: scalarString(getValue(node, 'apiVersion')),
      resolver: scalarString(getValue(node, 'resolver')),
      bundle: scalarString(getValue(node, 'bundle')),
      params: this.bindings(getValue(node, 'params')),
    };
  }

  steps(n: unknown, container: 'step' | 'sidecar'): StepModel[] {
    return mapItems(n).map((node, index) => {
      const ref = nameRef(getValue(node, 'name'));
      return {
        index,
        node,
        name: ref?.name,
        ref,
        results: this.resultSpecs(getValue(node, 'results')),
        hasRef: !!getPair(node, 'ref'),
        container,
      };
    });
  }

  task(node: YAMLMap, kind: 'task' | 'stepaction', parent?: { pipeline: PipelineSpecModel; task: PipelineTaskModel }, run?: RunModel): TaskSpecModel {
    const params = this.paramSpecs(getValue(node, 'params'));
    const results = this.resultSpecs(getValue(node, 'results'));
    const workspaces = kind === 'task' ? this.workspaceSpecs(getValue(node, 'workspaces')) : [];
    const steps = kind === 'task' ? this.steps(getValue(node, 'steps'), 'step') : [];
    const t: TaskSpecModel = {
      kind,
      id: nextId++,
      node,
      params,
      paramMap: byName(params),
      results,
      resultMap: byName(results),
      workspaces,
      workspaceMap: byName(workspaces),
      steps,
      stepMap: new Map(),
      sidecars: kind === 'task' ? this.steps(getValue(node, 'sidecars'), 'sidecar') : [],
      pipeline: parent?.pipeline,
      pipelineTask: parent?.task,
      run,
    };
    for (const s of steps) if (s.name !== undefined && !t.stepMap.has(s.name)) t.stepMap.set(s.name, s);
    this.model.tasks.push(t);
    return t;
  }

  pipeline(node: YAMLMap, parentTask?: PipelineTaskModel, run?: RunModel): PipelineSpecModel {
    const params = this.paramSpecs(getValue(node, 'params'));
    const workspaces = this.workspaceSpecs(getValue(node, 'workspaces'));
    const p: PipelineSpecModel = {
      id: nextId++,
      node,
      params,
      paramMap: byName(params),
      workspaces,
      workspaceMap: byName(workspaces),
      results: mapItems(getValue(node, 'results')).map((r) => {
        const ref = nameRef(getValue(r, 'name'));
        return { name: ref?.name ?? '', ref, node: r, valueNode: getValue(r, 'value') };
      }),
      tasks: [],
      finally: [],
      taskMap: new Map(),
      parentTask,
      run,
    };
    this.model.pipelines.push(p);
    p.tasks = mapItems(getValue(node, 'tasks')).map((t, i) => this.pipelineTask(t, i, false, p));
    p.finally = mapItems(getValue(node, 'finally')).map((t, i) => this.pipelineTask(t, i, true, p));
    for (const t of [...p.tasks, ...p.finally]) if (t.name !== undefined && !p.taskMap.has(t.name)) p.taskMap.set(t.name, t);
    return p;
  }

  pipelineTask(node: YAMLMap, index: number, isFinally: boolean, pipeline: PipelineSpecModel): PipelineTaskModel {
    const ref = nameRef(getValue(node, 'name'));
    const matrixNode = asMap(getValue(node, 'matrix'));
    const matrixParams = this.bindings(getValue(matrixNode, 'params'));
    const matrixInclude = mapItems(getValue(matrixNode, 'include')).map((inc) => this.bindings(getValue(inc, 'params')));
    const runAfterNode = getValue(node, 'runAfter');
    const runAfter: NameRef[] = [];
    if (isSeq(runAfterNode))
      for (const item of runAfterNode.items) {
        const r = nameRef(item);
        if (r) runAfter.push(r);
      }
    const retries = Number(scalarString(getValue(node, 'retries')));
    const pt: PipelineTaskModel = {
      index,
      finally: isFinally,
      node,
      name: ref?.name,
      ref,
      taskRef: this.ref(getValue(node, 'taskRef')),
      taskSpecNode: asMap(getValue(node, 'taskSpec')),
      pipelineRef: this.ref(getValue(node, 'pipelineRef')),
      params: this.bindings(getValue(node, 'params')),
      matrixNode,
      matrixParams,
      matrixInclude,
      isMatrixed: matrixParams.length > 0 || matrixInclude.length > 0,
      runAfterNode,
      runAfter,
      workspaces: this.workspaceBindings(getValue(node, 'workspaces'), true),
      whenNode: getValue(node, 'when'),
      retries: Number.isFinite(retries) ? retries : undefined,
      onErrorNode: getValue(node, 'onError'),
      pipeline,
    };
    if (pt.taskSpecNode && !isCustomTaskSpec(pt.taskSpecNode)) pt.taskSpec = this.task(pt.taskSpecNode, 'task', { pipeline, task: pt });
    const ps = asMap(getValue(node, 'pipelineSpec'));
    if (ps) pt.pipelineSpec = this.pipeline(ps, pt);
    return pt;
  }

  run(spec: YAMLMap, kind: 'PipelineRun' | 'TaskRun'): RunModel {
    const params = this.bindings(getValue(spec, 'params'));
    const workspaces = this.workspaceBindings(getValue(spec, 'workspaces'), false);
    const refKey = kind === 'PipelineRun' ? 'pipelineRef' : 'taskRef';
    const run: RunModel = {
      kind,
      node: spec,
      params,
      paramMap: byName(params),
      workspaces,
      workspaceMap: byName(workspaces),
      ref: this.ref(getValue(spec, refKey)),
      refKey,
    };
    if (kind === 'PipelineRun') {
      const ps = asMap(getValue(spec, 'pipelineSpec'));
      if (ps) run.pipelineSpec = this.pipeline(ps, undefined, run);
    } else {
      const ts = asMap(getValue(spec, 'taskSpec'));
      if (ts) run.taskSpec = this.task(ts, 'task', undefined, run);
    }
    return run;
  }
}

/** A taskSpec with an apiVersion/kind and no steps is a custom task's spec, not a Task. */
export function isCustomTaskSpec(node: YAMLMap): boolean {
  return !getPair(node, 'steps') && (!!getPair(node, 'apiVersion') || !!getPair(node, 'kind'));
}

function byName<T extends { name: string }>(items: T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const i of items) if (!m.has(i.name)) m.set(i.name, i);
  return m;
}
