#!/usr/bin/env node
// Packages the already compiled extension (dist/) into a .vsix with @vscode/vsce, without recompiling:
//
//   npm run compile && node scripts/package.mjs [out.vsix]      (default: tekton.vsix)
//
// `vsce package` always runs the `vscode:prepublish` script (`npm run compile`), which rewrites out/ and dist/. The
// e2e UI test packages while other test files may be loading out/, so this copies the packaging inputs to a scratch
// folder, drops `vscode:prepublish` from that copy's package.json, and runs vsce there. The .vscodeignore of the
// repository still decides what goes in.
// `--no-rewrite-relative-links` and `--allow-missing-repository`: the README links docs/screenshot.png relatively and
// package.json names no repository (there is no public one yet), so vsce would otherwise stop with "Couldn't detect the
// repository where this extension is published" or ask whether to go on without one.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
/**
 * Never packaged (see .vscodeignore) and large or volatile: not copied. demo/ is copied: the walkthrough's
 * tekton.openDemo writes the packaged demo into a folder of the user's.
 */
const SKIP = new Set(['node_modules', 'out', '.git', 'test', 'test-results', '.vscode-test']);

/** Writes the .vsix to `outFile` and returns its absolute path. */
export function packageVsix(outFile = join(REPO, 'tekton.vsix'), { log = (m) => console.error(`[package] ${m}`) } = {}) {
  for (const f of ['dist/client.js', 'dist/server.js']) {
    if (!existsSync(join(REPO, f))) throw new Error(`${f} is missing: run \`npm run compile\` first`);
  }
  const out = resolve(outFile);
  const stage = mkdtempSync(join(tmpdir(), 'tekton-vsix-'));
  try {
    for (const name of readdirSync(REPO)) {
      if (SKIP.has(name) || name.endsWith('.vsix')) continue;
      cpSync(join(REPO, name), join(stage, name), { recursive: true });
    }
    const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
    delete manifest.scripts?.['vscode:prepublish'];
    writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
    const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    const args = ['package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', out];
    log(`vsce ${args.join(' ')}`);
    const r = spawnSync(process.execPath, [vsce, ...args], { cwd: stage, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    log((r.stdout.trim().split('\n').pop() ?? '').replace(/\x1b\[[0-9;]*m/g, ''));
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(packageVsix(process.argv[2]));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
