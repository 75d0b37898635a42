/**
 * Tekton Pipelines (tekton.dev): Pipeline, Task, PipelineRun, TaskRun, StepAction, CustomRun. Webhook-equivalent rules
 * per kind (rules/), `$(...)` variables as a language (variables/), both over one spec model (specModel.ts).
 */
import type { Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, isSeq, walkPairs } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine, type Span } from '../engine';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { checkKindRules } from './rules';
import { checkPipelineTasksAgainst, checkRunAgainst, extractDeclarations, type TaskDeclarations } from './rules/declarations';
import { submitRunLenses } from './submitLenses';
import {
  findVariableDefinition,
  findVariableReferences,
  prepareRenameVariable,
  renameVariable,
  variableCompletions,
  variableHover,
} from './variables';

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

/**
 * The `$(...)` variable at a file offset: the variables layer works on one document with offsets relative to its
 * chunk, so features add the chunk's offset on the way in and out.
 */
function variableAt(doc: TektonDocument, offset: number) {
  const loc = doc.locate(offset);
  return loc && loc.resource.isPipelines ? loc : undefined;
}

const inFile = (base: number, s: Span): Span => ({ start: base + s.start, end: base + s.end });

export const pipelinesEngine: Engine = {
  id: 'pipelines',
  owns: (resource) => resource.isPipelines,
  schemaChecked: true,
  rules: checkKindRules,
  celRegions: whenRegions,
  summarize: extractDeclarations,
  crossFile,
  codeLenses: submitRunLenses,
  complete(doc, offset, ctx) {
    const loc = variableAt(doc, offset);
    const items = loc ? variableCompletions(loc.resource, loc.offset, declarationsResolver(ctx.index)) : [];
    if (!loc || !items.length) return undefined;
    return items.map((c, i) => ({
      label: c.label,
      kind: 'value' as const,
      detail: c.detail,
      documentation: c.documentation,
      insertText: c.insertText,
      snippet: false,
      replaceStart: loc.base + c.replaceStart,
      replaceEnd: loc.base + c.replaceEnd,
      sortText: String(i).padStart(4, '0'),
    }));
  },
  hover(doc, offset, ctx) {
    const loc = variableAt(doc, offset);
    const h = loc && variableHover(loc.resource, loc.offset, declarationsResolver(ctx.index));
    return h && loc ? { markdown: h.contents, ...inFile(loc.base, h) } : undefined;
  },
  definition(doc, offset) {
    const loc = variableAt(doc, offset);
    const d = loc && findVariableDefinition(loc.resource, loc.offset);
    return d && loc ? inFile(loc.base, d) : undefined;
  },
  references(doc, offset, includeDeclaration) {
    const loc = variableAt(doc, offset);
    const refs = loc ? findVariableReferences(loc.resource, loc.offset, includeDeclaration) : [];
    return refs.length && loc ? refs.map((r) => inFile(loc.base, r)) : undefined;
  },
  prepareRename(doc, offset) {
    const loc = variableAt(doc, offset);
    const r = loc && prepareRenameVariable(loc.resource, loc.offset);
    return r && loc ? inFile(loc.base, r) : undefined;
  },
  rename(doc, offset, newName) {
    const loc = variableAt(doc, offset);
    const edits = loc && renameVariable(loc.resource, loc.offset, newName);
    return edits && loc ? edits.map((e) => ({ ...inFile(loc.base, e), newText: e.newText })) : undefined;
  },
};
