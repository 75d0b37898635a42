/**
 * Kubeflow Pipelines: compiled pipeline specs (the IR that `kfp.compiler` writes, REFERENCE.md §7). Today the engine
 * recognises them and type-checks `triggerPolicy.condition` in the KFP CEL environment; the IR model, its rules and
 * references grow here.
 */
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isMap, isScalar, walkPairs } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine } from '../engine';

/** True for a compiled Kubeflow Pipelines spec: no apiVersion, `pipelineInfo` with `root` or `deploymentSpec`. */
export function isKfpSpec(resource: YamlResource): boolean {
  const root = resource.root;
  return !resource.apiVersion && isMap(root) && root.has('pipelineInfo') && (root.has('root') || root.has('deploymentSpec'));
}

/** `dag.tasks.<t>.triggerPolicy.condition`, compiled from dsl.If/Elif/Else (REFERENCE.md §7.1). */
function conditionRegions(resource: YamlResource): CelRegion[] {
  const out: CelRegion[] = [];
  walkPairs(resource.root, (key, value) => {
    const condition = key === 'triggerPolicy' ? getValue(value, 'condition') : undefined;
    if (isScalar(condition) && typeof condition.value === 'string')
      out.push(celRegion('condition', 'kfp-condition', condition, resource.text));
  });
  return out;
}

export const kfpEngine: Engine = {
  id: 'kfp',
  owns: isKfpSpec,
  schemaChecked: false,
  celRegions: conditionRegions,
};
