/**
 * "Which PipelineRuns fire?" from the editor: the `.tekton/` folder of a document (open documents at their current
 * version, the others read through the workspace), matched against the sample event by the PaC engine
 * (pac/match/), with positions for the editor.
 */
import { TektonDocument } from '../document/tektonDocument';
import { pacFolder } from '../document/uri';
import { parsePacEvent } from '../pac/match/event';
import type { ChangedFiles } from '../pac/match/matcher';
import { matchFolder, type FolderDocument } from '../pac/match/run';
import { customParamValues } from '../pac/engine';
import { pacRunName } from '../pac/model';
import { nameRange } from '../pac/rules';
import type { PacMatchRequest, TextRange } from '../protocol';
import type { HttpRequest } from '../triggers/simulation/httpRequest';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

/** The folder PaC reads for a document: up to its `.tekton/` (subfolders included), else the document's folder. */
export function pacFolderOf(uri: string): string {
  return pacFolder(uri) ?? uri.slice(0, uri.lastIndexOf('/') + 1);
}

/** Runs the match for the folder of `doc`; never throws on user input. */
export async function pacMatchInFolder(
  doc: TektonDocument,
  params: Omit<PacMatchRequest.Params, 'uri'>,
  index: WorkspaceIndex,
  open: (uri: string) => TektonDocument | undefined,
  read: (uri: string) => Promise<string | undefined>,
): Promise<PacMatchRequest.Result> {
  const folder = pacFolderOf(doc.uri);
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(params.sample.headers ?? {}))
    headers[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  const request: HttpRequest = {
    method: params.sample.method || 'POST',
    url: params.sample.url || '/',
    proto: 'HTTP/1.1',
    headers,
    body: Buffer.from(params.sample.body ?? '', 'utf8'),
  };
  const parsed = parsePacEvent(request);
  if ('error' in parsed) return { error: parsed.error, folder, matched: [], skipped: [] };

  await index.ready();
  const uris = new Set(
    index
      .all('PipelineRun')
      .map((r) => r.uri)
      .filter((u) => u.startsWith(folder)),
  );
  uris.add(doc.uri);
  const files = new Map<string, TektonDocument>();
  const docs: FolderDocument[] = [];
  for (const uri of [...uris].sort()) {
    let file = uri === doc.uri ? doc : open(uri);
    if (!file) {
      const text = await read(uri);
      if (text === undefined) continue;
      file = new TektonDocument(uri, 0, text);
    }
    files.set(uri, file);
    for (const { resource } of file.resources()) docs.push({ file: uri, resource });
  }
  const changed: ChangedFiles = { all: [], added: [], deleted: [], modified: [], renamed: [] };
  for (const k of ['all', 'added', 'deleted', 'modified', 'renamed'] as const)
    changed[k] = [...(params.changedFiles?.[k] ?? [])];
  for (const k of ['added', 'deleted', 'modified', 'renamed'] as const)
    for (const f of changed[k]) if (!changed.all.includes(f)) changed.all.push(f);

  // The Repository of the workspace whose URL is the event's gives its custom params (as PaC matches the Repository).
  const result = matchFolder(docs, parsed.event, changed, customParamValues(index, parsed.event.url));
  // Where each run's name is written, for the editor to jump to.
  const located = new Map<string, { uri: string; range?: TextRange }>();
  for (const { file, resource } of docs) {
    const f = files.get(file);
    const name = pacRunName(resource);
    if (!f || !name || located.has(name)) continue;
    let base = 0;
    for (const r of f.resources()) if (r.resource === resource) base = r.base;
    const at = nameRange(resource);
    located.set(name, {
      uri: file,
      range: at && { start: f.positionAt(base + at.start), end: f.positionAt(base + at.end) },
    });
  }
  const where = (name: string) => located.get(name) ?? { uri: folder };
  const e = parsed.event;
  return {
    folder,
    event: `${e.githubEvent}${e.body.action ? ` (${String(e.body.action)})` : ''} → ${e.triggerTarget || '-'} / ${e.eventType}, target branch ${e.baseBranch || '-'}`,
    folderError: result.folderError,
    matched: result.matched.map((m) => ({
      ...m,
      ...where(m.name),
      yaml: result.runs.find((r) => r.name === m.name)?.yaml ?? '',
    })),
    skipped: result.skipped.map((s) => ({ ...s, ...where(s.name) })),
  };
}
