/**
 * Finding the YAML files under folders: `tekton-ls check`, the simulation's file reader (`tekton-ls simulate
 * --workspace`, tests, benchmarks) and the workspace index's crawler. One rule for what a YAML file is, one rule for
 * what is skipped, and the two walks that use them:
 *
 * - {@link yamlFilesUnder}, synchronous, for the command line: follows symbolic links, has no depth limit, fails on an
 *   unreadable folder, orders by name folder by folder;
 * - {@link crawlYamlFiles}, asynchronous and cancellable, for the language server's background index: must not block
 *   the server, so it reads folders with `withFileTypes` (symbolic links are not followed, which also keeps link loops
 *   out), stops 20 folders deep, passes over unreadable folders, and leaves the order to its caller.
 *
 * Their differences are today's behaviour, kept as it was: the crawler also skips build output (`out`, `dist`) and
 * lists hidden *files* (the skip rule applies only to the folders it enters), while the command line's walk skips
 * hidden files too.
 */
import { promises as fs, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** A YAML file name: `*.yaml` or `*.yml`, in any case. */
export function isYamlFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** The skip rule of every walk: names starting with '.' (VCS data, editor state: .git, .vscode-test) and node_modules. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** Folders the index crawler skips besides {@link isSkippedName}: build output holds no user resources. */
const CRAWL_SKIPPED_FOLDERS = new Set(['out', 'dist']);

/** How many folders deep the crawler goes. */
const MAX_CRAWL_DEPTH = 20;

/**
 * The YAML files at a path: a file is itself (whatever its name); a folder is walked recursively, each folder's entries
 * in name order, skipping {@link isSkippedName}; anything else gives nothing. Symbolic links are followed. Throws when
 * a path cannot be read.
 */
export function yamlFilesUnder(path: string): string[] {
  const out: string[] = [];
  collect(path, out);
  return out;
}

function collect(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isFile()) {
    out.push(path);
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path).sort()) {
    if (isSkippedName(name)) continue;
    const child = join(path, name);
    if (statSync(child).isDirectory()) collect(child, out);
    else if (isYamlFileName(name)) out.push(child);
  }
}

/**
 * The YAML files under a folder, for the workspace index: regular files only, in the order found (the caller sorts),
 * without following symbolic links, at most 20 folders deep; unreadable folders are passed over. `isCancelled` is
 * asked before each folder.
 */
export async function crawlYamlFiles(folder: string, isCancelled?: () => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_CRAWL_DEPTH || isCancelled?.()) return;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!isSkippedName(e.name) && !CRAWL_SKIPPED_FOLDERS.has(e.name)) await walk(join(dir, e.name), depth + 1);
      } else if (e.isFile() && isYamlFileName(e.name)) out.push(join(dir, e.name));
    }
  };
  await walk(folder, 0);
  return out;
}
