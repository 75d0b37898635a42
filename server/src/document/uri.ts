/**
 * `to` as a path relative to the folder of `from` (`../tasks/build.yaml`), or `to` itself when they share no folder
 * (another scheme or authority). URI arithmetic rather than node:path: the service stays free of Node's file APIs.
 */
export function relativeUri(from: string, to: string): string {
  const split = (uri: string) => {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(\/.*)$/i.exec(uri);
    return m ? { root: m[1], parts: m[2].split('/').slice(1) } : undefined;
  };
  const a = split(from);
  const b = split(to);
  if (!a || !b || a.root !== b.root) return to;
  const dir = a.parts.slice(0, -1);
  let common = 0;
  while (common < dir.length && common < b.parts.length - 1 && dir[common] === b.parts[common]) common++;
  if (common === 0) return to;
  const up = dir.length - common;
  const rel = [...Array<string>(up).fill('..'), ...b.parts.slice(common)].join('/');
  return decodeURIComponent(up === 0 ? `./${rel}` : rel);
}

const PAC_FOLDER = '/.tekton/';

/** The `.tekton/` folder (with its slash) Pipelines-as-Code reads the file from, subfolders included; else undefined. */
export function pacFolder(uri: string): string | undefined {
  const at = uri.indexOf(PAC_FOLDER);
  return at < 0 ? undefined : uri.slice(0, at + PAC_FOLDER.length);
}

/** Whether Pipelines-as-Code reads the file: it lives under a repository's `.tekton/` folder. */
export function isReadByPac(uri: string): boolean {
  return uri.includes(PAC_FOLDER);
}
