import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The files a cross-file feature may look at: YAML files on disk under the workspace folders, with the editor's open
 * documents taking precedence over their saved content (markdown-languageservice `IWorkspace`).
 */
export interface Workspace {
  /** URIs of every YAML file under the workspace folders; cancellable between directories. */
  findYamlFiles(isCancelled?: () => boolean): Promise<string[]>;
  /** The current text of a file: the open document's if open, else the file on disk; undefined if unreadable. */
  readFile(uri: string): Promise<string | undefined>;
}

/** Folders never crawled: dependencies, VCS data and build output hold no user resources. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test']);

/** Files larger than this are not indexed (as the editor skips them, see tekton.maxFileSize). */
const MAX_INDEXED_FILE = 5 * 1024 * 1024;

/** A workspace over the local file system, with an optional view of open documents. */
export class FileSystemWorkspace implements Workspace {
  constructor(
    private readonly folders: string[],
    private readonly openText: (uri: string) => string | undefined = () => undefined,
  ) {}

  async findYamlFiles(isCancelled?: () => boolean): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > 20 || isCancelled?.()) return;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
        } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(pathToFileURL(join(dir, e.name)).toString());
      }
    };
    for (const folder of this.folders) await walk(folder.startsWith('file:') ? fileURLToPath(folder) : folder, 0);
    return out.sort();
  }

  async readFile(uri: string): Promise<string | undefined> {
    const open = this.openText(uri);
    if (open !== undefined) return open;
    try {
      const path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
      const stat = await fs.stat(path);
      if (stat.size > MAX_INDEXED_FILE) return undefined;
      return await fs.readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  }
}
