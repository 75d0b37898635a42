/**
 * The "▶ Submit Run" and "Sweep…" code lenses over a compiled Kubeflow pipeline (the IR document, without YAML
 * errors). They run client commands (client/src/kfp) with the file's URI: the client reads the IR and its platform
 * spec from the file, as `tekton-ls kfp submit` does. Whether they are shown (workspace trust,
 * `tekton.submit.codeLens`) is the client's call.
 */
import type { Lens } from '../engine';
import type { TektonDocument } from '../document/tektonDocument';
// engine.ts imports this module; isKfpSpec is read when lenses are asked for, after both have loaded
import { isKfpSpec } from './engine';

export const KFP_SUBMIT_COMMAND = 'tekton.kfp.submitRun';
export const KFP_SWEEP_COMMAND = 'tekton.kfp.sweep';

export function kfpSubmitLenses(doc: TektonDocument): Lens[] {
  for (const { resource, base } of doc.resources()) {
    if (!isKfpSpec(resource)) continue;
    if (resource.syntaxProblems.some((p) => !p.warning)) return [];
    const at = base + (resource.root?.range?.[0] ?? resource.doc.range[0]);
    return [
      {
        start: at,
        end: at,
        title: '▶ Submit Run',
        tooltip: 'Submit a run of this pipeline to Kubeflow Pipelines (asks for its parameters; confirmation first)',
        command: KFP_SUBMIT_COMMAND,
        arguments: [doc.uri],
      },
      {
        start: at,
        end: at,
        title: 'Sweep…',
        tooltip: 'Submit one run per value (or combination of values) of chosen parameters, and follow them all',
        command: KFP_SWEEP_COMMAND,
        arguments: [doc.uri],
      },
    ];
  }
  return [];
}
