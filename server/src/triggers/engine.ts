/**
 * Tekton Triggers (triggers.tekton.dev): admission-equivalent rules, resource templates checked as the resources they
 * create, what a simulation would show across files, and `$(...)` of bindings and templates (rules/); the offline
 * simulator of events through interceptors, bindings and templates (simulation/).
 */
import type { Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getString, getValue, isMap, isScalar, isSeq, walkPairs, type Node } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine, type FeatureContext, type Lens } from '../engine';
import type { SchemaStore } from '../schema/schemaStore';
import {
  checkResourceTemplates,
  checkTriggersResource,
  checkTriggersWorkspace,
  doTriggersComplete,
  doTriggersHover,
  indexResolver,
  summarizeTriggersResource,
} from './rules';
import { isSimulationTarget } from './simulation/run';

/**
 * The CEL interceptor's `filter` and `overlays[].expression` in every interceptor chain of the document (Triggers,
 * EventListener triggers and trigger groups), in the `ref: {name: cel}` form and the legacy `cel:` form.
 */
function interceptorRegions(resource: YamlResource): CelRegion[] {
  const out: CelRegion[] = [];
  walkPairs(resource.root, (key, value) => {
    if (key === 'interceptors' && isSeq(value)) chainRegions(value, resource.text, out);
  });
  return out;
}

function chainRegions(interceptors: Node, text: string, out: CelRegion[]): void {
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
          out.push({ ...celRegion('filter', 'triggers', value, text), chain });
        if (name === 'overlays') overlayRegions(value, text, chain, out);
      }
      return;
    }
    // v1alpha1 inline form: `- cel: {filter, overlays}`
    const legacy = getValue(interceptor, 'cel');
    if (!isMap(legacy)) return;
    const filter = getValue(legacy, 'filter');
    if (isScalar(filter) && typeof filter.value === 'string') out.push({ ...celRegion('filter', 'triggers', filter, text), chain });
    overlayRegions(getValue(legacy, 'overlays'), text, chain, out);
  });
}

function overlayRegions(overlays: Node | undefined, text: string, chain: CelRegion['chain'], out: CelRegion[]): void {
  if (!isSeq(overlays)) return;
  for (const overlay of overlays.items) {
    const expression = getValue(overlay, 'expression');
    const key = getValue(overlay, 'key');
    if (isScalar(expression) && typeof expression.value === 'string')
      out.push({ ...celRegion('overlay', 'triggers', expression, text), chain, overlayKey: isScalar(key) ? key : undefined });
  }
}


/** "▶ Simulate event" over each EventListener and Trigger; its arguments are what `tekton.simulateEvent` takes. */
function simulateLenses(doc: TektonDocument, ctx: FeatureContext): Lens[] {
  const out: Lens[] = [];
  for (const { resource, base } of doc.resources()) {
    if (!isSimulationTarget(resource)) continue;
    const at = base + (resource.root?.range?.[0] ?? 0);
    const title = `▶ Simulate event${ctx.sampleLabel !== undefined ? ` (${ctx.sampleLabel})` : '…'}`;
    out.push({ start: at, end: at, title, command: 'tekton.simulateEvent', arguments: [doc.uri, doc.positionAt(at)] });
  }
  return out;
}

const resolver = (ctx: FeatureContext) => ({ resolver: ctx.index && indexResolver(ctx.index) });

export const triggersEngine: Engine = {
  id: 'triggers',
  owns: (resource) => resource.isTriggers,
  schemaChecked: true,
  rules: (resource: YamlResource, schemas: SchemaStore): Problem[] => [
    ...checkTriggersResource(resource),
    ...checkResourceTemplates(resource, schemas),
  ],
  celRegions: interceptorRegions,
  summarize: summarizeTriggersResource,
  crossFile: (resource, index) => checkTriggersWorkspace(resource, indexResolver(index)),
  complete: (doc, offset, ctx) => doTriggersComplete(doc, offset, resolver(ctx)),
  hover: (doc, offset, ctx) => doTriggersHover(doc, offset, resolver(ctx)),
  codeLenses: simulateLenses,
};
