import { promises as fs } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_MAX_FILE_SIZE } from '../document/limits';
import { crawlYamlFiles } from './yamlFiles';

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

/** Files larger than this are not indexed (as the editor skips them, see tekton.maxFileSize). */
const MAX_INDEXED_FILE = DEFAULT_MAX_FILE_SIZE;

/** A workspace over the local file system, with an optional view of open documents. */
export class FileSystemWorkspace implements Workspace {
  /** Globs relative to each folder that the crawl leaves out (`tekton.exclude`), besides .git and node_modules. */
  exclude: readonly string[] = [];

  constructor(
    private readonly folders: string[],
    private readonly openText: (uri: string) => string | undefined = () => undefined,
  ) {}

  async findYamlFiles(isCancelled?: () => boolean): Promise<string[]> {
    const out: string[] = [];
    for (const folder of this.folders) {
      const files = await crawlYamlFiles(folder.startsWith('file:') ? fileURLToPath(folder) : folder, isCancelled, { exclude: this.exclude });
      for (const f of files) out.push(pathToFileURL(f).toString());
    }
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
