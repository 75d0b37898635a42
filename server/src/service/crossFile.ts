import { TektonDocument } from '../document/tektonDocument';
import { WorkspaceIndex } from '../workspace/workspaceIndex';
import { Problem, shiftProblem } from '../document/problem';
import { augmentersOf, ownerOf } from './engines';
import { checkReferences } from './resourceNavigation';

/**
 * The checks that need other files: by-name references (warnings for Triggers, one information note for what
 * Pipelines references could not be followed), then each document's engine's cross-file rules.
 */
export function crossFileProblems(doc: TektonDocument, index: WorkspaceIndex): Problem[] {
  const out = checkReferences(doc, index);
  for (const { resource, base } of doc.resources())
    for (const engine of [ownerOf(resource), ...augmentersOf(resource)])
      for (const p of engine?.crossFile?.(resource, index, doc.uri) ?? []) out.push(shiftProblem(p, base));
  return out;
}

