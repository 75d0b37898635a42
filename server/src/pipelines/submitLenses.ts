/**
 * The "▶ Submit Run" code lens over every runnable document of a file (a Pipeline, Task, PipelineRun or TaskRun of
 * `tekton.dev/*`, without YAML errors), and "▶ Submit Rendered Resources" over a simulation's rendered resources.
 * Both run client commands (client/src/runs): the lenses only say where and with which arguments. Whether they are
 * shown at all (workspace trust, `tekton.submit.codeLens`) is the client's call, made on the lenses it receives.
 */
import type { TektonDocument } from '../document/tektonDocument';
import { isRunnable } from '../kube/runBuilder';
import { RENDERED_SCHEME } from '../protocol';

/** A code lens in file offsets, for the LSP adapter to convert. */
export interface SubmitLens {
  start: number;
  end: number;
  title: string;
  tooltip: string;
  command: string;
  arguments: unknown[];
}

/** The command a Submit Run lens runs, with `[uri, documentIndex]`: the file and the position of the document in it. */
export const SUBMIT_RUN_COMMAND = 'tekton.submitRun';
/** The command the lens over rendered resources runs, without arguments: it submits the last simulation's output. */
export const SUBMIT_SIMULATION_COMMAND = 'tekton.submitSimulation';

/**
 * The submission lenses of a file. Submit Run lenses sit at the start of each runnable document's content and pass
 * `[doc.uri, documentIndex]`, where `documentIndex` counts every YAML document of the file from 0 (as
 * `doc.resources()` lists them), which is what `tekton.submitRun` reads back from the file.
 */
export function submitRunLenses(doc: TektonDocument): SubmitLens[] {
  if (doc.uri.startsWith(`${RENDERED_SCHEME}:`))
    return /tekton\.dev\//.test(doc.text)
      ? [
          {
            start: 0,
            end: 0,
            title: '▶ Submit Rendered Resources',
            tooltip: "Submit what the last simulation rendered, with Tekton Triggers' labels (dry run and confirmation first)",
            command: SUBMIT_SIMULATION_COMMAND,
            arguments: [],
          },
        ]
      : [];
  const lenses: SubmitLens[] = [];
  let index = 0;
  for (const { resource, base } of doc.resources()) {
    const documentIndex = index++;
    if (!isRunnable(resource) || resource.syntaxProblems.some((p) => !p.warning)) continue;
    // the document's content, after any `---` marker and leading comments
    const at = base + (resource.root?.range?.[0] ?? resource.doc.range[0]);
    const kind = resource.kind;
    const built = kind === 'Pipeline' ? 'PipelineRun' : kind === 'Task' ? 'TaskRun' : undefined;
    lenses.push({
      start: at,
      end: at,
      title: '▶ Submit Run',
      tooltip: `Submit ${built ? `a ${built} of this ${kind}` : `this ${kind}`} to the current Kubernetes context (dry run and confirmation first)`,
      command: SUBMIT_RUN_COMMAND,
      arguments: [doc.uri, documentIndex],
    });
  }
  return lenses;
}
