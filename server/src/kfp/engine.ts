/**
 * Kubeflow Pipelines: compiled pipeline specs (the IR that `kfp.compiler` writes, REFERENCE.md §7) and their optional
 * platform document (`platforms: kubernetes: ...`). The engine recognises both, checks them against the schemas
 * generated from the protos and the IR model's rules (rules/), and type-checks `triggerPolicy.condition` in the KFP
 * CEL environment. The platform document's executor labels are checked against the IR of the same file as a file rule.
 */
import { shiftProblem, type Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getValue, isMap, isScalar, walkPairs } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine } from '../engine';
import { checkPipelineSpec, checkPlatformSpec } from './rules';
import { platformExecutorProblems } from './rules/platform';

/** True for a compiled Kubeflow Pipelines spec: no apiVersion, `pipelineInfo` with `root` or `deploymentSpec`. */
export function isKfpSpec(resource: YamlResource): boolean {
  const root = resource.root;
  return !resource.apiVersion && isMap(root) && root.has('pipelineInfo') && (root.has('root') || root.has('deploymentSpec'));
}

/**
 * True for the platform document that follows the IR in a file (kfp-kubernetes, `PlatformSpec`): no apiVersion, a
 * `platforms` map as the only top-level key, and a platform with `deploymentSpec` or `pipelineConfig` (so another
 * tool's `platforms:` file is not taken for one).
 */
export function isKfpPlatformSpec(resource: YamlResource): boolean {
  const root = resource.root;
  if (resource.apiVersion || !isMap(root) || root.items.length !== 1) return false;
  const platforms = root.get('platforms', true);
  return isMap(platforms) && platforms.items.some((p) => isMap(p.value) && (p.value.has('deploymentSpec') || p.value.has('pipelineConfig')));
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
  owns: (resource) => isKfpSpec(resource) || isKfpPlatformSpec(resource),
  schemaChecked: false,
  rules: (resource) => (isKfpSpec(resource) ? checkPipelineSpec(resource) : checkPlatformSpec(resource)),
  celRegions: conditionRegions,
  fileRules: platformRules,
};

/** Each platform document against the IR document before it in the file (the SDK writes the IR first). */
function platformRules(doc: TektonDocument): Problem[] {
  const out: Problem[] = [];
  let ir: YamlResource | undefined;
  for (const { resource, base } of doc.resources()) {
    if (isKfpSpec(resource)) ir = resource;
    else if (ir && isKfpPlatformSpec(resource)) for (const p of platformExecutorProblems(ir, resource)) out.push(shiftProblem(p, base));
  }
  return out;
}
