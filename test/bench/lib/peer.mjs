// Running the Red Hat YAML language server (`yaml-language-server`, npm) as the peer under the same measurements.
// It has no notion of Tekton kinds, so every document gets a modeline
// `# yaml-language-server: $schema=file:///…/schemas/tekton.dev/<version>/<Kind>.json` as its first line, which
// the peer reads per document (also in multi-document files). Positions are shifted by the inserted lines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The peer version the performance issue measures against. */
export const PEER_VERSION = '2.0.0';

/** Path of the peer's CLI entry and its version, as installed under `fromDir`, or undefined. */
export function findPeer(fromDir) {
  const require = createRequire(join(fromDir, 'package.json'));
  try {
    const pkgPath = require.resolve('yaml-language-server/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['yaml-language-server'];
    const entry = join(pkgPath, '..', bin ?? 'bin/yaml-language-server');
    return existsSync(entry) ? { entry, version: pkg.version } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The peer under `fromDir` when given; else yaml-language-server PEER_VERSION, installed from npm on first use into
 * the user cache (it is a benchmark's peer, not a dependency of the project: its 2.x declares node >= 22 and would
 * warn on every install here, while it runs on node 20). Undefined, with the reason logged, when it cannot be had.
 */
export async function ensurePeer(fromDir, log) {
  if (fromDir) {
    const found = findPeer(fromDir);
    if (!found) log(`no yaml-language-server under ${fromDir}: peer not measured`);
    return found;
  }
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tekton-authoring', 'bench-peer', `yaml-language-server-${PEER_VERSION}`);
  const found = findPeer(dir);
  if (found) return found;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  log(`installing the peer yaml-language-server@${PEER_VERSION} into ${dir} (once)…`);
  const t0 = Date.now();
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false', `yaml-language-server@${PEER_VERSION}`], { cwd: dir, encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) {
    log(`could not install yaml-language-server@${PEER_VERSION} (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}): peer not measured`);
    return undefined;
  }
  log(`peer installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return findPeer(dir);
}

/** `apiVersion/kind` → file URI of our schema for it, from schemas/index.json. */
export function schemaUris(repoRoot) {
  const index = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'index.json'), 'utf8'));
  const map = new Map();
  for (const e of index) map.set(`${e.apiVersion}/${e.kind}`, pathToFileURL(join(repoRoot, 'schemas', e.file)).href);
  return map;
}

/**
 * Inserts a schema modeline at the top of every document of `text` (after its `---`), chosen by the document's
 * top-level `apiVersion` and `kind`.
 * @returns {{ text: string, mapLine: (line: number) => number, inserted: number }}
 */
export function addModelines(text, uris) {
  const lines = text.split('\n');
  // document boundaries: line indexes where a document's content starts
  const starts = [0];
  lines.forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) starts.push(i + 1);
  });
  const insertAt = []; // original line index before which a modeline goes
  const out = [];
  let next = 0;
  for (let s = 0; s < starts.length; s++) {
    const from = starts[s];
    const to = s + 1 < starts.length ? starts[s + 1] - 1 : lines.length;
    // copy the lines before this document's start (the previous document and the `---`)
    while (next < from) out.push(lines[next++]);
    let apiVersion, kind;
    for (let i = from; i < to; i++) {
      apiVersion ??= /^apiVersion:\s*["']?([^\s"'#]+)/.exec(lines[i])?.[1];
      kind ??= /^kind:\s*["']?([^\s"'#]+)/.exec(lines[i])?.[1];
    }
    const uri = uris.get(`${apiVersion}/${kind}`);
    if (uri) {
      out.push(`# yaml-language-server: $schema=${uri}`);
      insertAt.push(from);
    }
  }
  while (next < lines.length) out.push(lines[next++]);
  const mapLine = (line) => {
    // number of modelines inserted at or before `line`
    let lo = 0;
    let hi = insertAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (insertAt[mid] <= line) lo = mid + 1;
      else hi = mid;
    }
    return line + lo;
  };
  return { text: out.join('\n'), mapLine, inserted: insertAt.length };
}

/** The peer's settings: validation, hover and completion on; schema store and CRD store off (no network here). */
export const PEER_YAML_SETTINGS = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemas: {},
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
  maxItemsComputed: 5000,
  yamlVersion: '1.2',
};

/** Answers `workspace/configuration` as VS Code with the Red Hat YAML extension would for our settings. */
export function peerConfiguration(params) {
  return (params?.items ?? []).map((item) => {
    switch (item.section) {
      case 'yaml':
        return PEER_YAML_SETTINGS;
      case 'http':
        return { proxy: '', proxyStrictSSL: false };
      case '[yaml]':
        return {};
      case 'editor':
        return { tabSize: 2, detectIndentation: true };
      default:
        return null;
    }
  });
}
