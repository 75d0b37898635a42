/**
 * Pipelines-as-Code (tektoncd/pipelines-as-code): the `.tekton/` folder as a language. A PaC PipelineRun is a Tekton
 * PipelineRun the Pipelines engine owns and checks; this engine augments it (engine.ts `augments`) with the rules of
 * its `pipelinesascode.tekton.dev/` annotations (rules.ts; with the workspace: workspaceRules.ts), `on-cel-expression`
 * as CEL in PaC's environment (celRegions.ts), `{{ }}` variables (variables.ts), completion and hover (features.ts).
 * It owns the `Repository` resource of `pipelinesascode.tekton.dev` (repository.ts), whose custom params are `{{ }}`
 * and CEL variables. Matching events to runs is match/.
 */
import type { TektonDocument } from '../document/tektonDocument';
import type { Engine, FeatureContext, Lens } from '../engine';
import { PAC_RUN_SCHEME } from '../protocol';
import { pacCelRegions } from './celRegions';
import { pacComplete, pacHover } from './features';
import { isPacPipelineRun } from './model';
import { customParamsOf, isPacRepository, summarizeRepository } from './repository';
import { checkPacPipelineRun, duplicateNameProblems } from './rules';
import { pacCrossFile } from './workspaceRules';

export { customParamValues, customParamsOf, isPacRepository, pacCelEnvironment } from './repository';

export const pacEngine: Engine = {
  id: 'pac',
  owns: isPacRepository,
  augments: isPacPipelineRun,
  schemaChecked: false,
  rules: (resource) => (isPacPipelineRun(resource) ? checkPacPipelineRun(resource) : []),
  celRegions: pacCelRegions,
  fileRules: duplicateNameProblems,
  summarize: (resource) => (isPacRepository(resource) ? summarizeRepository(resource) : undefined),
  crossFile: pacCrossFile,
  complete: (doc, offset, ctx) => pacComplete(doc, offset, customParamsOf(ctx.index)),
  hover: (doc, offset, ctx) => pacHover(doc, offset, customParamsOf(ctx.index)),
  codeLenses: whichRunsFireLenses,
};

/** "▶ Which PipelineRuns fire?" over each PaC PipelineRun; the client's `tekton.pacWhichRunsFire` takes the file. */
function whichRunsFireLenses(doc: TektonDocument, ctx: FeatureContext): Lens[] {
  // A substituted run is an answer, not a folder: matching it again would match it against itself alone.
  if (doc.uri.startsWith(`${PAC_RUN_SCHEME}:`)) return [];
  const out: Lens[] = [];
  for (const { resource, base } of doc.resources()) {
    if (!isPacPipelineRun(resource)) continue;
    const at = base + (resource.root?.range?.[0] ?? 0);
    const title = `▶ Which PipelineRuns fire?${ctx.sampleLabel !== undefined ? ` (${ctx.sampleLabel})` : ''}`;
    out.push({ start: at, end: at, title, command: 'tekton.pacWhichRunsFire', arguments: [doc.uri] });
  }
  return out;
}
