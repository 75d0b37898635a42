import { TektonDocument, YamlResource } from '../document/tektonDocument';
import {
  checkPipelineTasksAgainst,
  checkRunAgainst,
  extractDeclarations,
  TaskDeclarations,
} from '../pipelines/rules/declarations';
import { checkTriggersWorkspace, indexResolver, summarizeTriggersResource } from '../triggers/rules';
import { WorkspaceIndex } from '../workspace/workspaceIndex';
import { Problem, shiftProblem } from '../document/problem';
import { checkReferences } from './resourceNavigation';

/**
 * What the workspace index keeps of each resource: Pipelines declarations (params, results, workspaces, tasks) or the
 * Triggers facts (bindings' params, templates' params, interceptor chains).
 */
export const summarizeDeclarations = (resource: YamlResource): unknown =>
  resource.kindInfo?.group === 'triggers.tekton.dev' ? summarizeTriggersResource(resource) : extractDeclarations(resource);

/**
 * Looks up the declarations of a Task, Pipeline or StepAction by name in the index. When several resources of that
 * name disagree (a catalog holding every version of a Task, say), which one the cluster has is unknown: nothing is
 * checked against them rather than guessing.
 */
export function declarationsResolver(index: WorkspaceIndex) {
  return (name: string, kind = 'Task'): TaskDeclarations | undefined => {
    const summaries = index.find(kind, name).map((r) => r.summary).filter(Boolean) as TaskDeclarations[];
    if (summaries.length === 0) return undefined;
    const key = (d: TaskDeclarations) =>
      JSON.stringify([d.params?.map((p) => [p.name, p.type, p.default !== undefined]), d.results?.map((r) => r.name), d.workspaces?.map((w) => [w.name, w.optional])]);
    const first = key(summaries[0]);
    return summaries.every((d) => key(d) === first) ? summaries[0] : undefined;
  };
}

/**
 * The checks that need other files: by-name references (warnings for Triggers, one information note for what
 * Pipelines references could not be followed), a Pipeline's tasks against the Tasks they reference, and runs against
 * their Pipeline or Task (reconcile-time checks, REFERENCE.md §5.3).
 */
export function crossFileProblems(doc: TektonDocument, index: WorkspaceIndex): Problem[] {
  const out = checkReferences(doc, index);
  const resolve = declarationsResolver(index);
  const triggers = indexResolver(index);
  for (const { resource, base } of doc.resources()) {
    if (resource.kindInfo?.group === 'triggers.tekton.dev')
      for (const p of checkTriggersWorkspace(resource, triggers)) out.push(shiftProblem(p, base));
    if (resource.kindInfo?.group !== 'tekton.dev') continue;
    const found: Problem[] = [];
    if (resource.kind === 'Pipeline' || resource.kind === 'PipelineRun') found.push(...checkPipelineTasksAgainst(resource, resolve));
    if (resource.kind === 'PipelineRun' || resource.kind === 'TaskRun')
      found.push(...checkRunAgainst(resource, (kind, name) => resolve(name, kind)));
    // Remote references are summed up once per document by checkReferences.
    for (const p of found) if (p.code !== 'not-checked-remote') out.push(shiftProblem(p, base));
  }
  return out;
}
