import {
  CancellationToken,
  Connection,
  DocumentDiagnosticReportKind,
  PreviousResultId,
  WorkspaceDiagnosticReport,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { TektonDocument } from '../document/tektonDocument';
import { Problem } from '../document/problem';
import { IndexedFile, WorkspaceIndex } from '../workspace/workspaceIndex';
import { contentId, toDiagnostic } from './convert';
import { runSafeAsync } from './runner';

/** Above either limit a workspace gets no workspace diagnostics (the output channel says why). */
export const WORKSPACE_DIAGNOSTICS_MAX_FILES = 5000;
export const WORKSPACE_DIAGNOSTICS_MAX_LENGTH = 64 * 1024 * 1024;

/** What the workspace pull needs from the server, so that this adapter owns no state of its own beyond its ids. */
export interface WorkspaceDiagnosticsHost {
  index: WorkspaceIndex;
  /** Whether a uri is open: open files are reported by the document pull, with the editor's text. */
  isOpen(uri: string): boolean;
  /** `tekton.diagnostics.workspace` as the client answers now. */
  enabled(): Promise<boolean>;
  /** Changes whenever settings that alter diagnostics change. */
  settingsGeneration(): number;
  /** Whether the file's problems may change when another file does (else they follow its own revision alone). */
  dependsOnOtherFiles(file: IndexedFile): boolean;
  /** The file's parse as the index keeps it, else read and parsed now (dropped after use: memory stays bounded). */
  parse(uri: string): Promise<TektonDocument | undefined>;
  validate(doc: TektonDocument): Problem[];
}

/**
 * Pull workspace diagnostics (`workspace/diagnostic`): the problems of every indexed file that is not open. A file is
 * answered `unchanged` when its revision in the index, the settings generation and, for a file whose problems can
 * depend on other files, the index generation all equal what the client last got, so VS Code's re-pull every two
 * seconds costs a walk over the index and nothing is parsed; after an edit that changes what other files see, only the
 * files that can depend on it are parsed again (on the catalog, after a Task's rename: 1,104 files re-sent in 1.4-1.8 s
 * before). Only registered for pull clients: a push client (no `textDocument.diagnostic`) would need every
 * closed file pushed after each change, which is the cost this request exists to avoid.
 */
export function registerWorkspaceDiagnostics(connection: Connection, host: WorkspaceDiagnosticsHost): void {
  /** Files last reported with problems: when they leave the report (deleted, setting off) the client must be told. */
  const withProblems = new Set<string>();
  let explainedLimit = '';

  const cleared = (keep: (uri: string) => boolean): WorkspaceDocumentDiagnosticReport[] => {
    const out: WorkspaceDocumentDiagnosticReport[] = [];
    for (const uri of withProblems)
      if (!keep(uri)) {
        withProblems.delete(uri);
        // without an empty report the client would keep showing what it last got for the file
        out.push({ uri, version: null, kind: DocumentDiagnosticReportKind.Full, items: [] });
      }
    return out;
  };

  const report = async (previous: PreviousResultId[], token: CancellationToken): Promise<WorkspaceDiagnosticReport> => {
    if (!(await host.enabled())) return { items: cleared(() => false) };
    await host.index.ready();
    const { files, length } = host.index.size;
    if (files > WORKSPACE_DIAGNOSTICS_MAX_FILES || length > WORKSPACE_DIAGNOSTICS_MAX_LENGTH) {
      const why = `Workspace diagnostics are off for this workspace: ${files} YAML file(s), ${(length / 1048576).toFixed(1)} MB, over the limit of ${WORKSPACE_DIAGNOSTICS_MAX_FILES} files or ${WORKSPACE_DIAGNOSTICS_MAX_LENGTH / 1048576} MB. Problems are shown for open files; set tekton.exclude to leave folders out, or tekton.diagnostics.workspace to false to silence this.`;
      if (why !== explainedLimit) connection.console.info(why);
      explainedLimit = why;
      return { items: cleared(() => false) };
    }
    explainedLimit = '';
    const known = new Map(previous.map((p) => [p.uri, p.value]));
    const settings = `${host.settingsGeneration()}`;
    const generation = `${host.index.generation}:${settings}`;
    const indexed = host.index.indexedFiles().filter((f) => !host.isOpen(f.uri));
    const stillThere = new Set(indexed.map((f) => f.uri));
    // an open file is the document pull's: what the client has from here is hidden behind it until it closes
    const items: WorkspaceDocumentDiagnosticReport[] = cleared((uri) => stillThere.has(uri) || host.isOpen(uri));
    for (let i = 0; i < indexed.length; i++) {
      if (token.isCancellationRequested) break;
      // let a cancellation or an edit in between be read: a first pull over a big workspace parses every file
      if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
      const file = indexed[i];
      const item = await fileReport(file, host.dependsOnOtherFiles(file) ? generation : settings, known.get(file.uri));
      if (item) items.push(item);
    }
    return { items };
  };

  const fileReport = async (
    file: IndexedFile,
    generation: string,
    previousId: string | undefined,
  ): Promise<WorkspaceDocumentDiagnosticReport | undefined> => {
    // `ws:<revision>:<generations>#<content id>`: the first part says whether to compute again, the second whether
    // what was computed differs from what the client has (else it keeps its markers)
    const [previousKey, previousContent] = (previousId ?? '').split('#');
    const key = `ws:${file.revision}:${generation}`;
    const unchanged = (content: string): WorkspaceDocumentDiagnosticReport => ({
      uri: file.uri,
      version: null,
      kind: DocumentDiagnosticReportKind.Unchanged,
      resultId: `${key}#${content}`,
    });
    if (previousKey === key) return unchanged(previousContent);
    const doc = await host.parse(file.uri);
    if (!doc) return undefined;
    const items = host.validate(doc).map((p) => toDiagnostic(doc, p));
    if (items.length) withProblems.add(file.uri);
    else withProblems.delete(file.uri);
    const content = contentId(items);
    if (content === previousContent) return unchanged(content);
    return { uri: file.uri, version: null, kind: DocumentDiagnosticReportKind.Full, resultId: `${key}#${content}`, items };
  };

  connection.languages.diagnostics.onWorkspace((params, token) =>
    runSafeAsync(connection.console, () => report(params.previousResultIds, token), { items: [] }, 'Error computing workspace diagnostics', token),
  );
}
