import { TRIGGERS_KINDS } from '../document/resourceKind';
import { TektonDocument } from '../document/tektonDocument';
import { isReadByPac } from '../document/uri';
import { IndexedFile, WorkspaceIndex } from '../workspace/workspaceIndex';
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


/** Kinds whose engine checks them against the workspace beyond their by-name references (see mayHaveCrossFileProblems). */
const WORKSPACE_CHECKED_KINDS: ReadonlySet<string> = new Set([...TRIGGERS_KINDS, 'PipelineRun', 'Repository']);

/**
 * Whether another file can change this file's problems. Without by-name references (checkReferences and the Pipelines
 * engine follow only those), outside a `.tekton/` folder (PaC rules across the folder) and without a kind whose engine
 * reads the workspace itself (Triggers resources; a PipelineRun may carry PaC annotations, checked against the
 * Repository custom params), crossFileProblems is empty whatever the other files hold.
 */
export function mayHaveCrossFileProblems(file: IndexedFile): boolean {
  return file.references > 0 || isReadByPac(file.uri) || file.kinds.some((k) => WORKSPACE_CHECKED_KINDS.has(k));
}
