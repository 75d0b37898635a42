import { Node } from 'yaml';
import { getValue } from '../../document/yamlAst';
import { mapItems } from '../specModel';
import { has, hasNearKey, keyNode, nonEmpty, Reporter } from './common';

/**
 * The rules of a list of when expressions (when_validation.go): either `cel` alone, or `input` + `operator` (in,
 * notin: the schema's enum) + non-empty `values`.
 */
export function checkWhen(r: Reporter, list: unknown): void {
  for (const w of mapItems(list)) {
    if (has(w, 'cel')) {
      if (has(w, 'input') || has(w, 'operator') || nonEmpty(getValue(w, 'values')))
        r.error(keyNode(w, 'cel'), 'when-cel-combined', 'cel cannot be combined with input, operator and values in one when expression');
      // The CEL itself is parsed and type-checked in Tekton's empty environment by the CEL service
      // (service/celValidation.ts), like every other CEL field.
      continue;
    }
    if (!w.items.length) {
      r.error(w, 'when-empty', 'a when expression needs input, operator and values (or cel)');
      continue;
    }
    if (!has(w, 'operator') && !hasNearKey(w, 'operator'))
      r.error((w.items[0].key ?? w) as Node, 'when-operator', 'a when expression needs an operator: in or notin');
    if (!nonEmpty(getValue(w, 'values')) && !(!has(w, 'values') && hasNearKey(w, 'values')))
      r.error(keyNode(w, 'values') ?? ((w.items[0].key ?? w) as Node), 'when-values-empty', 'a when expression needs a non-empty list of values');
  }
}
