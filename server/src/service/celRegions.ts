import { YamlResource } from '../document/tektonDocument';
import { getString, getValue, isMap, isScalar, isSeq, keyName, Node, Scalar } from '../document/yamlAst';
import { ScalarMap, scalarMap } from '../document/scalarMap';
import { CelEnvId } from '../cel/environments';

/** What a CEL field is for; decides its environment and how its result is used. */
export type CelRegionKind = 'filter' | 'overlay' | 'when' | 'condition';

/**
 * A CEL expression inside a YAML document: its decoded text, its environment, and the map from CEL offsets to the
 * document (offsets relative to the resource's chunk, as every node offset is).
 */
export interface CelRegion {
  kind: CelRegionKind;
  env: CelEnvId;
  /** The CEL text (the scalar's decoded value). */
  text: string;
  node: Scalar;
  map: ScalarMap;
  /** For overlays: the `key` scalar, whose value names the extension written. */
  overlayKey?: Scalar;
  /**
   * Position in the interceptor chain (filter and overlays of one interceptor share it): later interceptors see the
   * extensions of earlier ones (REFERENCE.md §3.3).
   */
  chain?: { interceptors: Node; index: number };
}

/**
 * Finds every CEL-bearing field of a Tekton document: the CEL interceptor's `filter` and `overlays[].expression` (the
 * `ref: {name: cel}` form and the legacy `cel:` form) in Triggers, EventListener triggers and trigger groups;
 * Pipelines `when[].cel`; KFP `triggerPolicy.condition`. Computed once per document text.
 */
export function findCelRegions(resource: YamlResource): CelRegion[] {
  return resource.memo('celRegions', () => {
    const out: CelRegion[] = [];
    const group = resource.kindInfo?.group;
    // KFP IR: `dag.tasks.<t>.triggerPolicy.condition`, compiled from dsl.If/Elif/Else (REFERENCE.md §7.1)
    if (resource.isKfp) walk(resource.root, 0, (key, value) => {
      const condition = key === 'triggerPolicy' ? getValue(value, 'condition') : undefined;
      if (isScalar(condition) && typeof condition.value === 'string') out.push(region('condition', 'kfp-condition', condition, resource.text));
    });
    if (group === 'triggers.tekton.dev') walk(resource.root, 0, (key, value) => {
      if (key === 'interceptors' && isSeq(value)) interceptorRegions(value, resource.text, out);
    });
    else if (group === 'tekton.dev') walk(resource.root, 0, (key, value) => {
      if (key === 'when' && isSeq(value))
        for (const w of value.items) {
          const cel = getValue(w, 'cel');
          if (isScalar(cel) && typeof cel.value === 'string') out.push(region('when', 'pipelines-when', cel, resource.text));
        }
    });
    return out;
  });
}

function walk(node: Node | undefined, depth: number, visit: (key: string, value: Node) => void): void {
  if (!node || depth > 64) return;
  if (isSeq(node)) for (const item of node.items) walk(item as Node, depth + 1, visit);
  else if (isMap(node))
    for (const pair of node.items) {
      const key = keyName(pair);
      const value = (pair.value ?? undefined) as Node | undefined;
      if (key === undefined || !value) continue;
      visit(key, value);
      walk(value, depth + 1, visit);
    }
}

function region(kind: CelRegionKind, env: CelEnvId, node: Scalar, text: string): CelRegion {
  return { kind, env, text: String(node.value), node, map: scalarMap(node, text) };
}

function interceptorRegions(interceptors: Node, text: string, out: CelRegion[]): void {
  if (!isSeq(interceptors)) return;
  interceptors.items.forEach((interceptor, index) => {
    const chain = { interceptors, index };
    const ref = getValue(interceptor, 'ref');
    const refKind = getString(ref, 'kind');
    const isCelRef = getString(ref, 'name') === 'cel' && (!refKind || refKind === 'ClusterInterceptor');
    if (isCelRef) {
      const params = getValue(interceptor, 'params');
      if (!isSeq(params)) return;
      for (const param of params.items) {
        const name = getString(param, 'name');
        const value = getValue(param, 'value');
        if (name === 'filter' && isScalar(value) && typeof value.value === 'string')
          out.push({ ...region('filter', 'triggers', value, text), chain });
        if (name === 'overlays') overlayRegions(value, text, chain, out);
      }
      return;
    }
    // v1alpha1 inline form: `- cel: {filter, overlays}`
    const legacy = getValue(interceptor, 'cel');
    if (!isMap(legacy)) return;
    const filter = getValue(legacy, 'filter');
    if (isScalar(filter) && typeof filter.value === 'string') out.push({ ...region('filter', 'triggers', filter, text), chain });
    overlayRegions(getValue(legacy, 'overlays'), text, chain, out);
  });
}

function overlayRegions(overlays: Node | undefined, text: string, chain: CelRegion['chain'], out: CelRegion[]): void {
  if (!isSeq(overlays)) return;
  for (const overlay of overlays.items) {
    const expression = getValue(overlay, 'expression');
    const key = getValue(overlay, 'key');
    if (isScalar(expression) && typeof expression.value === 'string')
      out.push({ ...region('overlay', 'triggers', expression, text), chain, overlayKey: isScalar(key) ? key : undefined });
  }
}
