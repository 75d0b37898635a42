/**
 * Tekton Pipelines (tekton.dev): Pipeline, Task, PipelineRun, TaskRun, StepAction, CustomRun. Webhook-equivalent rules
 * per kind (rules/), `$(...)` variables as a language (variables/), both over one spec model (specModel.ts).
 */
import type { Problem } from '../document/problem';
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, isSeq, walkPairs } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine } from '../engine';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { checkKindRules } from './rules';
import { checkPipelineTasksAgainst, checkRunAgainst, extractDeclarations, type TaskDeclarations } from './rules/declarations';
import { variableFeatures } from './variables/features';

/**
 * Looks up the declarations of a Task, Pipeline or StepAction by name in the index. When several resources of that
 * name disagree (a catalog holding every version of a Task, say), which one the cluster has is unknown: nothing is
 * checked against them rather than guessing.
 */
export function declarationsResolver(index: WorkspaceIndex | undefined) {
  return (name: string, kind = 'Task'): TaskDeclarations | undefined => {
    const summaries = (index?.find(kind, name) ?? []).map((r) => r.summary).filter(Boolean) as TaskDeclarations[];
    if (summaries.length === 0) return undefined;
    const key = (d: TaskDeclarations) =>
      JSON.stringify([d.params?.map((p) => [p.name, p.type, p.default !== undefined]), d.results?.map((r) => r.name), d.workspaces?.map((w) => [w.name, w.optional])]);
    const first = key(summaries[0]);
    return summaries.every((d) => key(d) === first) ? summaries[0] : undefined;
  };
}

/** `when[].cel` anywhere in the document (TEP-0145), in the Pipelines `when` environment. */
function whenRegions(resource: YamlResource): CelRegion[] {
  const out: CelRegion[] = [];
  walkPairs(resource.root, (key, value) => {
    if (key === 'when' && isSeq(value))
      for (const w of value.items) {
        const cel = getValue(w, 'cel');
        if (isScalar(cel) && typeof cel.value === 'string') out.push(celRegion('when', 'pipelines-when', cel, resource.text));
      }
  });
  return out;
}

/**
 * A Pipeline's tasks against the Tasks they reference, and runs against their Pipeline or Task (reconcile-time checks,
 * REFERENCE.md §5.3). Remote references are summed up once per document by the service's reference check.
 */
function crossFile(resource: YamlResource, index: WorkspaceIndex): Problem[] {
  const resolve = declarationsResolver(index);
  const found: Problem[] = [];
  if (resource.kind === 'Pipeline' || resource.kind === 'PipelineRun') found.push(...checkPipelineTasksAgainst(resource, resolve));
  if (resource.kind === 'PipelineRun' || resource.kind === 'TaskRun')
    found.push(...checkRunAgainst(resource, (kind, name) => resolve(name, kind)));
  return found.filter((p) => p.code !== 'not-checked-remote');
}

const variables = (index: WorkspaceIndex | undefined) => variableFeatures(() => declarationsResolver(index));

export const pipelinesEngine: Engine = {
  id: 'pipelines',
  owns: (resource) => resource.isPipelines,
  schemaChecked: true,
  rules: checkKindRules,
  celRegions: whenRegions,
  summarize: extractDeclarations,
  crossFile,
  complete: (doc, offset, ctx) => variables(ctx.index).complete(doc, offset),
  hover: (doc, offset, ctx) => variables(ctx.index).hover(doc, offset),
  definition: (doc, offset) => variables(undefined).definition(doc, offset),
  references: (doc, offset, includeDeclaration) => variables(undefined).references(doc, offset, includeDeclaration),
  prepareRename: (doc, offset) => variables(undefined).prepareRename(doc, offset),
  rename: (doc, offset, newName) => variables(undefined).rename(doc, offset, newName),
};
