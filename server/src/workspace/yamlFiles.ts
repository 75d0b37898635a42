/**
 * Finding the YAML files under folders: `tekton-ls check`, the simulation's file reader (`tekton-ls simulate
 * --workspace`, tests, benchmarks) and the workspace index's crawler. One rule for what a YAML file is, one rule for
 * what is skipped (`.git`, `node_modules` and the user's exclude globs: dot-folders such as `.tekton/`, where
 * Pipelines-as-Code and Konflux keep their runs, are the user's files), and the two walks that use them:
 *
 * - {@link yamlFilesUnder}, synchronous, for the command line: follows symbolic links (each real folder once, so a
 *   link loop ends), orders by name folder by folder, fails on an unreadable folder;
 * - {@link crawlYamlFiles}, asynchronous and cancellable, for the language server's background index: must not block
 *   the server, so it reads folders with `withFileTypes` (symbolic links are not followed), stops 20 folders deep,
 *   passes over unreadable folders, and leaves the order to its caller.
 */
import { promises as fs, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A YAML file name: `*.yaml` or `*.yml`, in any case. */
export function isYamlFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** Folders no walk enters: version control data and installed packages. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** The skip rule of every walk, besides the user's excludes. */
export function isSkippedName(name: string): boolean {
  return SKIPPED_FOLDERS.has(name);
}

/**
 * A matcher of the user's exclude globs (`--exclude`, `tekton.exclude`) against paths relative to the walked folder,
 * with `/` separators: `*` and `?` stay within a segment, `**` crosses them; a glob without `/` (but a trailing one)
 * matches a name at any depth, one with a `/` is anchored at the folder (as in .gitignore); a matched folder excludes
 * everything below it.
 */
export function excludeMatcher(globs: readonly string[] = []): (relativePath: string) => boolean {
  const patterns = globs
    .map((g) => g.trim().replace(/\\/g, '/').replace(/\/+$/, ''))
    .filter((g) => g !== '')
    .map((glob) => {
      // A slash before the end anchors the glob at the walked folder (`./docs`, `build/out`), as in .gitignore.
      const anchored = glob.includes('/');
      const g = glob.replace(/^\.?\//, '');
      let re = '';
      for (let i = 0; i < g.length; i++) {
        const c = g[i];
        if (c === '*' && g[i + 1] === '*') {
          const slash = g[i + 2] === '/';
          re += slash ? '(?:.*/)?' : '.*';
          i += slash ? 2 : 1;
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}(?:/.*)?$`);
    });
  return (path) => patterns.some((p) => p.test(path));
}

/** What a walk leaves out besides .git and node_modules. */
export interface WalkOptions {
  /** Globs relative to the walked folder. */
  exclude?: readonly string[];
  /** A folder inside the walk that cannot be listed (no permission): told here and passed over; without it, thrown. */
  onUnreadable?: (path: string, error: unknown) => void;
}

const toSlashes = (path: string) => (sep === '/' ? path : path.split(sep).join('/'));

/** How many folders deep the crawler goes. */
const MAX_CRAWL_DEPTH = 20;

/**
 * The YAML files at a path: a file is itself (whatever its name); a folder is walked recursively, each folder's entries
 * in name order, skipping {@link isSkippedName} and the excluded paths; anything else gives nothing. Symbolic links
 * are followed, each real folder once. Throws when a path cannot be read.
 */
export function yamlFilesUnder(path: string, options: WalkOptions = {}): string[] {
  const out: string[] = [];
  const excluded = excludeMatcher(options.exclude);
  const seen = new Set<string>();
  const collect = (current: string): void => {
    const st = statSync(current);
    if (st.isFile()) {
      out.push(current);
      return;
    }
    if (!st.isDirectory()) return;
    const real = realpathSync(current);
    if (seen.has(real)) return;
    seen.add(real);
    let names: string[];
    try {
      names = readdirSync(current).sort();
    } catch (e) {
      if (!options.onUnreadable || current === path) throw e;
      options.onUnreadable(current, e);
      return;
    }
    for (const name of names) {
      const child = join(current, name);
      if (isSkippedName(name) || excluded(toSlashes(relative(path, child)))) continue;
      let st;
      try {
        st = statSync(child);
      } catch {
        continue; // a dangling link
      }
      if (st.isDirectory()) collect(child);
      // Regular files only: reading a FIFO or a device named *.yaml would block or never end.
      else if (st.isFile() && isYamlFileName(name)) out.push(child);
    }
  };
  collect(path);
  return out;
}

/**
 * The YAML files under a folder, for the workspace index: regular files only, in the order found (the caller sorts),
 * without following symbolic links, at most 20 folders deep; unreadable folders are passed over. `isCancelled` is
 * asked before each folder.
 */
export async function crawlYamlFiles(folder: string, isCancelled?: () => boolean, options: WalkOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const excluded = excludeMatcher(options.exclude);
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_CRAWL_DEPTH || isCancelled?.()) return;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (excluded(toSlashes(relative(folder, path)))) continue;
      if (e.isDirectory()) {
        if (!isSkippedName(e.name)) await walk(path, depth + 1);
      } else if (e.isFile() && isYamlFileName(e.name)) out.push(path);
    }
  };
  await walk(folder, 0);
  return out;
}
