/**
 * Rules over the IR model (kfp/model.ts): names that must resolve (components, executors, producer tasks, outputs,
 * component inputs, dependent tasks), required inputs, parameter types, iterators and dependency cycles.
 *
 * Severity: an error where the KFP backend (IR -> Argo compiler, backend/src/v2/compiler/argocompiler) or the driver
 * (backend/src/v2/driver) certainly fails the run; a warning where the run may still work.
 */
import type { Problem } from '../../document/problem';
import { isMap, isScalar, type Node } from '../../document/yamlAst';
import { yamlType } from '../../schema/schemaValidator';
import { componentOf, type Component, type Dag, type KfpModel, type Task, type TaskInput } from '../model';
import { at, unknownName } from './problems';

export function referenceProblems(model: KfpModel, text: string): Problem[] {
  const out: Problem[] = [];
  pipelineInfo(model, out);
  const components = [...(model.root ? [model.root] : []), ...model.components.values()];
  for (const c of components) {
    executorLabel(model, c, out);
    parameterDefaults(c, text, out);
  }
  for (const dag of model.dags) {
    for (const task of dag.tasks.values()) {
      const target = componentRef(model, task, out);
      dependentTasks(task, out);
      for (const input of [...task.parameters.values(), ...task.artifacts.values()]) taskInput(model, task, input, target, text, out);
      if (target) requiredInputs(task, target, out);
      iterator(task, target, out);
    }
    cycles(dag.tasks, out);
    dagOutputs(model, dag, out);
  }
  return out;
}

/** backend/src/apiserver/template: a pipeline spec without `pipelineInfo.name` is rejected on upload. */
function pipelineInfo(model: KfpModel, out: Problem[]): void {
  if (!model.pipelineInfo) return;
  if (!model.pipelineName || model.pipelineName.value.trim() === '')
    out.push(at(model.pipelineName?.node ?? model.pipelineInfo, 'pipelineInfo.name is empty: the KFP API server rejects a pipeline spec without a name', 'kfp-missing-pipeline-name'));
}

/** A component's `executorLabel` names an entry of `deploymentSpec.executors` (the compiler looks it up). */
function executorLabel(model: KfpModel, c: Component, out: Problem[]): void {
  const label = c.executorLabel;
  if (!label || model.executors.has(label.value)) return;
  out.push(unknownName(label.node, label.value, model.executors.keys(), `Executor "${label.value}" is not defined in deploymentSpec.executors`, 'kfp-unknown-executor'));
}

/** `componentRef.name` names an entry of `components`. */
function componentRef(model: KfpModel, task: Task, out: Problem[]): Component | undefined {
  const ref = task.componentRef;
  if (!ref) return undefined;
  const target = componentOf(model, task);
  if (!target) out.push(unknownName(ref.node, ref.value, model.components.keys(), `Component "${ref.value}" is not defined in components`, 'kfp-unknown-component'));
  return target;
}

/** `dependentTasks` names tasks of the same DAG (the compiler builds the Argo DAG's `depends` from them). */
function dependentTasks(task: Task, out: Problem[]): void {
  const siblings = [...task.dag.tasks.keys()].filter((n) => n !== task.name);
  for (const dep of task.dependentTasks) {
    if (dep.value === task.name) out.push(at(dep.node, `Task "${task.name}" depends on itself`, 'kfp-dependency-cycle'));
    else if (!task.dag.tasks.has(dep.value))
      out.push(unknownName(dep.node, dep.value, siblings, `Task "${dep.value}" is not a task of this DAG`, 'kfp-unknown-dependent-task'));
  }
}

/** Cycles through `dependentTasks` within one DAG: the Argo DAG would never start them. */
function cycles(tasks: Map<string, Task>, out: Problem[]): void {
  const state = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 2) return;
    if (s === 1) {
      const cycle = path.slice(path.indexOf(name));
      const key = [...cycle].sort().join('|');
      if (reported.has(key)) return;
      reported.add(key);
      // Reported on the dependentTasks entry of the first task of the cycle (in document order) that closes it.
      const first = cycle.reduce((a, b) => ((tasks.get(a)!.key.range?.[0] ?? 0) <= (tasks.get(b)!.key.range?.[0] ?? 0) ? a : b));
      const next = cycle[(cycle.indexOf(first) + 1) % cycle.length];
      const ref = tasks.get(first)!.dependentTasks.find((d) => d.value === next);
      out.push(at(ref?.node ?? tasks.get(first)!.key, `Dependency cycle: ${[...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first].join(' -> ')}`, 'kfp-dependency-cycle'));
      return;
    }
    state.set(name, 1);
    for (const dep of tasks.get(name)?.dependentTasks ?? [])
      if (dep.value !== name && tasks.has(dep.value)) visit(dep.value, [...path, name]);
    state.set(name, 2);
  };
  for (const name of tasks.keys()) visit(name, []);
}

function taskInput(model: KfpModel, task: Task, input: TaskInput, target: Component | undefined, text: string, out: Problem[]): void {
  const owner = task.dag.owner;
  const kindLabel = input.artifact ? 'artifact' : 'parameter';
  // An input the component does not declare is not reported: the SDK passes such inputs on purpose (the
  // `pipelinechannel--*` values a runtimeValue constant's placeholders read, the resource fields of pipeline_with_string_machine_fields_*).
  switch (input.kind) {
    case 'componentInputParameter':
    case 'componentInputArtifact': {
      const ref = input.componentInput;
      if (!ref) return;
      const ownInputs = input.kind === 'componentInputParameter' ? owner.inputs.parameters : owner.inputs.artifacts;
      if (!ownInputs.has(ref.value))
        out.push(unknownName(ref.node, ref.value, ownInputs.keys(), `"${ref.value}" is not an input ${kindLabel} of the enclosing component "${owner.name}"`, 'kfp-unknown-component-input'));
      return;
    }
    case 'taskOutputParameter':
    case 'taskOutputArtifact': {
      const producer = input.producerTask;
      if (!producer) return;
      const producerTask = task.dag.tasks.get(producer.value);
      if (!producerTask) {
        const siblings = [...task.dag.tasks.keys()].filter((n) => n !== task.name);
        out.push(unknownName(producer.node, producer.value, siblings, `Task "${producer.value}" is not a task of this DAG`, 'kfp-unknown-producer-task'));
        return;
      }
      const producerComponent = componentOf(model, producerTask);
      const key = input.outputKey;
      if (!producerComponent || !key) return;
      const outputs = input.kind === 'taskOutputParameter' ? producerComponent.outputs.parameters : producerComponent.outputs.artifacts;
      if (!outputs.has(key.value))
        out.push(unknownName(key.node, key.value, outputs.keys(), `Component "${producerComponent.name}" (task "${producer.value}") has no output ${kindLabel} "${key.value}"`, 'kfp-unknown-task-output'));
      return;
    }
    case 'taskFinalStatus': {
      const producer = input.producerTask;
      if (producer && !task.dag.tasks.has(producer.value)) {
        const siblings = [...task.dag.tasks.keys()].filter((n) => n !== task.name);
        out.push(unknownName(producer.node, producer.value, siblings, `Task "${producer.value}" is not a task of this DAG`, 'kfp-unknown-producer-task'));
      }
      return;
    }
    case 'runtimeValue': {
      const def = target?.inputs.parameters.get(input.name);
      const type = def?.type?.value;
      if (!input.hasConstant || !input.constant || !type) return;
      const problem = typeMismatch(input.constant, type, text);
      if (problem)
        out.push(at(input.constant, `runtimeValue.constant is ${problem}, but input "${input.name}" of "${target!.name}" is ${type}`, 'kfp-parameter-type', 'warning'));
      return;
    }
  }
}

/** Inputs without `defaultValue` and not `isOptional` must be given by the task (or be the iterator's item). */
function requiredInputs(task: Task, target: Component, out: Problem[]): void {
  const itemInput = task.iterator?.itemInput?.value;
  // An iterator whose itemInput is missing or unknown is reported by the iterator rule; the item it should feed is not
  // reported again as missing.
  if (task.iterator && (itemInput === undefined || !(task.iterator.kind === 'parameterIterator' ? target.inputs.parameters : target.inputs.artifacts).has(itemInput))) return;
  const missing: string[] = [];
  for (const [name, def] of target.inputs.parameters)
    if (!def.hasDefault && !def.isOptional && !task.parameters.has(name) && name !== itemInput && def.type?.value !== 'TASK_CONFIG') missing.push(`parameter "${name}"`);
  for (const [name, def] of target.inputs.artifacts) if (!def.isOptional && !task.artifacts.has(name) && name !== itemInput) missing.push(`artifact "${name}"`);
  if (missing.length)
    out.push(at(task.key, `Task "${task.name}" does not provide the required input ${missing.join(', ')} of component "${target.name}"`, 'kfp-missing-input'));
}

/**
 * `dag.outputs`: each output is declared by the DAG's component, and each selector names a subtask of the DAG and an
 * output its component declares (the driver resolves DAG outputs from them).
 */
function dagOutputs(model: KfpModel, dag: Dag, out: Problem[]): void {
  const reported = new Set<string>();
  for (const s of dag.outputSelectors) {
    const kindLabel = s.artifact ? 'artifact' : 'parameter';
    const declared = s.artifact ? dag.owner.outputs.artifacts : dag.owner.outputs.parameters;
    if (!declared.has(s.output.name) && !reported.has(`${kindLabel}:${s.output.name}`)) {
      reported.add(`${kindLabel}:${s.output.name}`);
      out.push(unknownName(s.output.key, s.output.name, declared.keys(), `"${s.output.name}" is not an output ${kindLabel} of component "${dag.owner.name}" (outputDefinitions)`, 'kfp-unknown-dag-output'));
    }
    const producer = s.producerSubtask;
    if (!producer) continue;
    const task = dag.tasks.get(producer.value);
    if (!task) {
      out.push(unknownName(producer.node, producer.value, dag.tasks.keys(), `Task "${producer.value}" is not a task of this DAG`, 'kfp-unknown-producer-task'));
      continue;
    }
    const component = componentOf(model, task);
    const key = s.outputKey;
    if (!component || !key) continue;
    const outputs = s.artifact ? component.outputs.artifacts : component.outputs.parameters;
    if (!outputs.has(key.value))
      out.push(unknownName(key.node, key.value, outputs.keys(), `Component "${component.name}" (task "${producer.value}") has no output ${kindLabel} "${key.value}"`, 'kfp-unknown-task-output'));
  }
}

/** `defaultValue` of the declared `parameterType` (the SDK writes integers as 1.0: any whole number is an integer). */
function parameterDefaults(c: Component, text: string, out: Problem[]): void {
  for (const def of c.inputs.parameters.values()) {
    const type = def.type?.value;
    if (!def.defaultValue || !type) continue;
    const problem = typeMismatch(def.defaultValue, type, text);
    if (problem) out.push(at(def.defaultValue, `defaultValue is ${problem}, but parameter "${def.name}" is ${type}`, 'kfp-parameter-type', 'warning'));
  }
}

/** What is wrong with a value for a parameter type (a short description of the value), or undefined. */
export function typeMismatch(node: Node, type: string, text: string): string | undefined {
  const actual = yamlType(node, text);
  if (actual === 'null') return undefined;
  const ok = (() => {
    switch (type) {
      case 'STRING':
        return actual === 'string';
      case 'NUMBER_INTEGER':
      case 'INT':
        return (actual === 'integer' || actual === 'number') && isScalar(node) && Number.isInteger(Number(node.value));
      case 'NUMBER_DOUBLE':
      case 'DOUBLE':
        return actual === 'integer' || actual === 'number';
      case 'BOOLEAN':
        return actual === 'boolean';
      case 'LIST':
        return actual === 'array';
      case 'STRUCT':
        return actual === 'object';
      default:
        return true;
    }
  })();
  if (ok) return undefined;
  return actual === 'number' && (type === 'NUMBER_INTEGER' || type === 'INT') ? 'a number with a fraction' : `a${/^[aeiou]/.test(actual) ? 'n' : ''} ${actual}`;
}

/** `parameterIterator`/`artifactIterator` and `iteratorPolicy` (ParallelFor). */
function iterator(task: Task, target: Component | undefined, out: Problem[]): void {
  const it = task.iterator;
  if (task.iteratorPolicy && !it)
    out.push(at(task.iteratorPolicyKey ?? task.iteratorPolicy, 'iteratorPolicy has no effect without parameterIterator or artifactIterator', 'kfp-iterator-policy-unused', 'warning'));
  const limit = task.parallelismLimit;
  if (isScalar(limit) && typeof limit.value === 'number' && (limit.value < 0 || !Number.isInteger(limit.value)))
    out.push(at(limit, 'parallelismLimit must be a non-negative integer (0: no limit)', 'kfp-iterator-invalid'));
  if (!it) return;
  if (!it.itemInput) out.push(at(it.key, `${it.kind}.itemInput is required: it names the input each iteration receives`, 'kfp-iterator-invalid'));
  else if (target) {
    const inputs = it.kind === 'parameterIterator' ? target.inputs.parameters : target.inputs.artifacts;
    if (!inputs.has(it.itemInput.value))
      out.push(unknownName(it.itemInput.node, it.itemInput.value, inputs.keys(), `"${it.itemInput.value}" is not an input of component "${target.name}"`, 'kfp-iterator-invalid'));
  }
  if (it.itemsInput) {
    const given = it.kind === 'parameterIterator' ? task.parameters : task.artifacts;
    if (!given.has(it.itemsInput.value))
      out.push(unknownName(it.itemsInput.node, it.itemsInput.value, given.keys(), `"${it.itemsInput.value}" is not an input of task "${task.name}"`, 'kfp-iterator-invalid'));
  } else if (it.raw) {
    if (typeof it.raw.value !== 'string' || !isJsonArray(it.raw.value))
      out.push(at(it.raw, 'items.raw must be a JSON array written as a string, e.g. \'[1, 2, 3]\'', 'kfp-iterator-invalid'));
  } else {
    const items = isMap(it.node) ? it.node.get('items', true) : undefined;
    out.push(at((items as Node | undefined) ?? it.node, `${it.kind}.items needs ${it.kind === 'parameterIterator' ? '"raw" or "inputParameter"' : '"inputArtifact"'}`, 'kfp-iterator-invalid'));
  }
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

