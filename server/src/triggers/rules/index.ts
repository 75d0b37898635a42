/**
 * Tekton Triggers knowledge beyond the schemas, as a plug-in of the kinds layer:
 *
 * - `checkTriggersResource`: what the admission webhook rejects (errors) and `$(` mistakes it lets through
 *   (warnings), per document, cached per document text;
 * - `checkResourceTemplates`: the resources a template creates, validated as standalone documents (warnings);
 * - `checkTriggersWorkspace`: what a static simulation shows across documents (warnings), through a resolver over
 *   the workspace index whose summaries `summarizeTriggersResource` computes;
 * - `triggersVariableCompletions` / `triggersVariableHover`: inside `$(...)` of bindings and templates.
 */
export { checkTriggersResource } from './admission';
export { checkResourceTemplates, resourceTemplateTargets, type ResourceTemplateTarget } from './resourceTemplates';
export {
  indexResolver,
  resolverFromResources,
  summarizeTriggersResource,
  type TriggersResolver,
  type TriggersSummary,
  type TriggerUseSummary,
  type TemplateParamSummary,
} from './summary';
export { checkTriggersWorkspace } from './workspaceChecks';
export {
  triggersVariableCompletions,
  triggersVariableHover,
  type TriggersCompletionItem,
  type TriggersFeatureContext,
  type TriggersHover,
} from './variables';
export { doTriggersComplete, doTriggersHover } from './documentFeatures';
export { TRIGGERS_KINDS } from './model';
