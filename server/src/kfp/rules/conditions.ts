/**
 * `triggerPolicy.condition` (dsl.If/Elif/Else) reads the task's own inputs: `inputs.parameter_values['x']` must name an
 * input parameter the task sets. The driver evaluates the condition with the task's resolved inputs
 * (backend/src/v2/driver), and a missing map key is a CEL evaluation error ("no such key"), which fails the task.
 * The CEL itself (syntax, types) is checked by the CEL layer through the engine's `celRegions`.
 */
import type { Problem } from '../../document/problem';
import { scalarMap } from '../../document/scalarMap';
import { allTasks, type KfpModel } from '../model';
import { unknownName } from './problems';

const PARAMETER_VALUE = /inputs\s*\.\s*parameter_values\s*\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\]/g;

export function conditionProblems(model: KfpModel, text: string): Problem[] {
  const out: Problem[] = [];
  for (const task of allTasks(model)) {
    const node = task.condition;
    if (!node || typeof node.value !== 'string') continue;
    const value = node.value;
    let map: ReturnType<typeof scalarMap> | undefined;
    for (const m of value.matchAll(PARAMETER_VALUE)) {
      const name = m[1] ?? m[2];
      if (task.parameters.has(name)) continue;
      map ??= scalarMap(node, text);
      const message = `The condition reads input parameter "${name}", which task "${task.name}" does not set`;
      out.push(unknownName({ map, start: m.index + m[0].lastIndexOf(name) }, name, task.parameters.keys(), message, 'kfp-unknown-condition-input'));
    }
  }
  return out;
}
