/**
 * Tekton Pipelines (tekton.dev): Pipeline, Task, PipelineRun, TaskRun, StepAction, CustomRun. Webhook-equivalent rules
 * per kind (rules/), `$(...)` variables as a language (variables/), both over one spec model (specModel.ts).
 */
import type { Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, isSeq, walkPairs } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine, type Span } from '../engine';
import { relativeUri } from '../document/uri';
import { extractReferences } from '../workspace/references';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { checkKindRules } from './rules';
import { checkPipelineTasksAgainst, checkRunAgainst, extractDeclarations, type TaskDeclarations } from './rules/declarations';
import { pipelineGraph } from './graph';
import { submitRunLenses } from './submitLenses';
import * as variables from './variables';

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
 * Hover on the name of a `taskRef`, `pipelineRef` or step `ref`: what the referenced Task, Pipeline or StepAction of
 * the workspace declares (description, params with type and default, results, workspaces) and where it is defined.
 */
function referenceHover(uri: string, resource: YamlResource, at: number, index: WorkspaceIndex): (Span & { markdown: string }) | undefined {
  const ref = resource
    .memo('references', () => extractReferences(resource))
    .find((r) => !r.remote && r.start <= at && at <= r.end && (r.kind === 'Task' || r.kind === 'Pipeline' || r.kind === 'StepAction'));
  if (!ref) return undefined;
  const found = index.find(ref.kind, ref.name);
  const d = found[0]?.summary as TaskDeclarations | undefined;
  if (!d) return undefined;
  const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
  const lines = [`**${ref.kind} ${ref.name}**`];
  if (d.description) lines.push('', d.description.trim());
  if (d.params.length)
    lines.push('', '**Params**', ...d.params.map((p) => `- ${code(p.name)} ${p.type}${p.hasDefault ? `, default ${code(p.default ?? '')}` : ', required'}${p.description ? ` — ${p.description.trim()}` : ''}`));
  if (d.results.length) lines.push('', '**Results**', ...d.results.map((r) => `- ${code(r.name)} ${r.type}${r.description ? ` — ${r.description.trim()}` : ''}`));
  if (d.workspaces.length)
    lines.push('', '**Workspaces**', ...d.workspaces.map((w) => `- ${code(w.name)}${w.optional ? ' (optional)' : ''}${w.description ? ` — ${w.description.trim()}` : ''}`));
  const where = found.map((f) => `${relativeUri(uri, f.nameLocation.uri)} line ${f.nameLocation.startPosition.line + 1}`);
  lines.push('', `Defined in ${where.join(', ')}${found.length > 1 ? ' (several definitions: which one the cluster has is not known)' : ''}`);
  return { start: ref.start, end: ref.end, markdown: lines.join('\n') };
}

/**
 * Runs a `$(...)` variable feature at a file offset: the variables layer works on one document with offsets relative
 * to its chunk, so `fn` gets the chunk-relative offset and `toFile` adds the chunk's offset back to spans.
 */
function atVariable<R>(
  doc: TektonDocument,
  offset: number,
  fn: (resource: YamlResource, offset: number, toFile: <S extends Span>(s: S) => S) => R | undefined,
): R | undefined {
  const loc = doc.locate(offset);
  if (!loc || !loc.resource.isPipelines) return undefined;
  return fn(loc.resource, loc.offset, (s) => ({ ...s, start: loc.base + s.start, end: loc.base + s.end }));
}

export const pipelinesEngine: Engine = {
  id: 'pipelines',
  owns: (resource) => resource.isPipelines,
  schemaChecked: true,
  rules: checkKindRules,
  celRegions: whenRegions,
  summarize: extractDeclarations,
  crossFile,
  codeLenses: submitRunLenses,
  graph: (doc, resource, base, ctx) => pipelineGraph(doc, resource, base, { resolveTask: declarationsResolver(ctx.index), findPipeline: ctx.findPipeline }),
  complete: (doc, offset, ctx) =>
    atVariable(doc, offset, (resource, at, toFile) => {
      const items = variables.variableCompletions(resource, at, declarationsResolver(ctx.index));
      if (!items.length) return undefined;
      return items.map((c, i) => {
        const replace = toFile({ start: c.replaceStart, end: c.replaceEnd });
        const { label, detail, documentation, insertText } = c;
        const sortText = String(i).padStart(4, '0');
        return { label, kind: 'value' as const, detail, documentation, insertText, snippet: false, replaceStart: replace.start, replaceEnd: replace.end, sortText };
      });
    }),
  hover: (doc, offset, ctx) =>
    atVariable(doc, offset, (resource, at, toFile) => {
      const h = variables.variableHover(resource, at, declarationsResolver(ctx.index));
      if (h) return { markdown: h.contents, ...toFile({ start: h.start, end: h.end }) };
      const r = ctx.index && referenceHover(doc.uri, resource, at, ctx.index);
      return r && { markdown: r.markdown, ...toFile({ start: r.start, end: r.end }) };
    }),
  definition: (doc, offset) =>
    atVariable(doc, offset, (resource, at, toFile) => {
      const d = variables.findVariableDefinition(resource, at);
      return d && toFile({ start: d.start, end: d.end });
    }),
  references: (doc, offset, includeDeclaration) =>
    atVariable(doc, offset, (resource, at, toFile) => {
      const refs = variables.findVariableReferences(resource, at, includeDeclaration);
      return refs.length ? refs.map((r) => toFile({ start: r.start, end: r.end })) : undefined;
    }),
  prepareRename: (doc, offset) =>
    atVariable(doc, offset, (resource, at, toFile) => {
      const r = variables.prepareRenameVariable(resource, at);
      return r && toFile({ start: r.start, end: r.end });
    }),
  rename: (doc, offset, newName) =>
    atVariable(doc, offset, (resource, at, toFile) => variables.renameVariable(resource, at, newName)?.map(toFile)),
};
