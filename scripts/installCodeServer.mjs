#!/usr/bin/env node
// Installs the `code-server` npm package (it bundles the VS Code web workbench and the VS Code server) into a fixed
// folder outside the repository, for the e2e tests and `npm start`. Desktop VS Code and Electron cannot be downloaded
// on our machines; code-server comes from the npm registry and builds its native modules locally.
//
//   node scripts/installCodeServer.mjs          install when missing, print the folder
//   TEKTON_CODE_SERVER_DIR=/some/dir ...        install somewhere else
//
// Facts found by trying (see ARCHITECTURE.md "Tests in layers"):
// - 4.100.3 (VS Code 1.100.3) is the newest code-server that installs on Node 20.
// - kerberos builds from source: apt `libkrb5-dev`. Headers of Node itself come from `nodedir` (Debian: /usr).
// - @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the release tarball:
//   `${os.tmpdir()}/vscode-ripgrep-cache-<pkg version>/ripgrep-<rg version>-<target>.tar.gz`. We point TMPDIR at a
//   scratch folder and seed that file from apt's `ripgrep` binary.
// - code-server's postinstall refuses to run as root unless `npm_config_unsafe_perm=true`; node-pty's build runs
//   `npx` without a TTY, which waits for a confirmation unless `npm_config_yes=true`.
// - npm 11 has an install-script policy (`allowScripts`): its docs say dependency scripts are blocked unless approved;
//   11.19.1 still runs unreviewed ones and ends with "npm warn install-scripts ... npm install-scripts approve".
//   code-server's postinstall runs nested project-scoped `npm install`s (lib/vscode, lib/vscode/extensions) that
//   neither a package.json#allowScripts of ours nor `--allow-scripts` (an error in project installs) reaches, so this
//   one install runs with `npm_config_dangerously_allow_all_scripts=true`, which the nested npm processes inherit.
//   The folder holds only code-server and its shrinkwrapped tree. Success is checked on the built native modules.
// - `npm_config_build_from_source=true` makes prebuild-install / node-pre-gyp build locally instead of trying GitHub.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** @vscode/ripgrep as pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json, and the rg release it fetches. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const MARKER = '.tekton-install-complete';

/** The install folder: `$TEKTON_CODE_SERVER_DIR`, else `~/.cache/tekton-authoring/code-server-<version>`. */
export function codeServerDir() {
  return (
    process.env.TEKTON_CODE_SERVER_DIR ||
    join(homedir(), '.cache', 'tekton-authoring', `code-server-${CODE_SERVER_VERSION}`)
  );
}

/** The installed package root (holds `out/node/entry.js` and `lib/vscode/`). */
export function codeServerPackage(dir = codeServerDir()) {
  return join(dir, 'node_modules', 'code-server');
}

export function isInstalled(dir = codeServerDir()) {
  const marker = join(dir, MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function ripgrepTarget() {
  const arch = process.env.npm_config_arch || process.arch;
  return arch === 'arm64' ? 'aarch64-unknown-linux-musl' : arch === 'x64' ? 'x86_64-unknown-linux-musl' : undefined;
}

/**
 * The Debian packages code-server's install needs, installed with apt when running as root (as on these machines and
 * in CI), so `npm install && npm start` works on a fresh machine; otherwise the check below says what to install.
 */
function installAptPrerequisites(log) {
  const wanted = [];
  if (!which('rg')) wanted.push('ripgrep');
  if (!which('krb5-config') && !existsSync('/usr/include/krb5.h')) wanted.push('libkrb5-dev');
  if (!which('make') || !which('g++')) wanted.push('build-essential');
  if (!wanted.length || process.getuid?.() !== 0 || !which('apt-get')) return;
  log(`installing apt packages ${wanted.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...wanted], { stdio: 'inherit', env });
}

function checkPrerequisites(log = (m) => console.error(`[code-server] ${m}`)) {
  installAptPrerequisites(log);
  const missing = [];
  if (process.platform !== 'linux') missing.push(`a Linux host (this is ${process.platform})`);
  if (Number(process.versions.node.split('.')[0]) !== 20) missing.push(`Node 20 (this is ${process.version})`);
  if (!which('rg')) missing.push('apt package `ripgrep` (rg on PATH)');
  if (!which('krb5-config') && !existsSync('/usr/include/krb5.h')) missing.push('apt package `libkrb5-dev`');
  for (const tool of ['make', 'g++', 'python3', 'tar']) if (!which(tool)) missing.push(`\`${tool}\` (build tools)`);
  if (!ripgrepTarget()) missing.push(`an x64 or arm64 CPU (this is ${process.arch})`);
  if (missing.length) {
    throw new Error(
      `cannot install code-server: missing ${missing.join(', ')}.\n` +
        'On Debian, as root: apt-get update && apt-get install -y libkrb5-dev ripgrep build-essential python3',
    );
  }
}

/** Puts apt's rg where @vscode/ripgrep's postinstall looks for a cached download, so it never goes online. */
function seedRipgrepCache(tmp, log) {
  const cache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const tarball = join(cache, `ripgrep-${RIPGREP_RELEASE}-${ripgrepTarget()}.tar.gz`);
  mkdirSync(cache, { recursive: true });
  const rg = which('rg');
  const stage = join(cache, 'stage');
  mkdirSync(stage, { recursive: true });
  writeFileSync(join(stage, 'rg'), readFileSync(rg), { mode: 0o755 });
  const r = spawnSync('tar', ['czf', tarball, '-C', stage, 'rg'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tar failed while seeding the ripgrep cache');
  rmSync(stage, { recursive: true, force: true });
  log(`seeded ${tarball} from ${rg}`);
}

function runNpm(args, opts, log) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('npm', args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let lastLine = '';
    const ticker = setInterval(() => {
      log(`  ... still installing (${Math.round((Date.now() - started) / 1000)} s) ${lastLine.slice(0, 100)}`);
    }, 20_000);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      // npm warns about the npm_config_* set above for code-server's scripts (unsafe-perm, build-from-source): they
      // are read by those scripts, not by npm, and are not news to the user
      const lines = text.split('\n').filter((l) => l.trim() && !/Unknown env config/.test(l));
      if (lines.length) lastLine = lines[lines.length - 1].trim();
      if (process.env.TEKTON_CODE_SERVER_VERBOSE) process.stderr.write(text);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      resolve({ code, output });
    });
  });
}

/** Native pieces code-server needs at run time; each is produced by an install script, so each proves one ran. */
function verifyInstall(pkg) {
  const vs = join(pkg, 'lib', 'vscode');
  const expected = [
    join(vs, 'out', 'server-main.js'),
    join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    join(vs, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    join(vs, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    join(vs, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'),
    join(vs, 'node_modules.asar'),
    join(vs, 'extensions', 'node_modules'),
    join(pkg, 'out', 'node', 'entry.js'),
  ];
  return expected.filter((f) => !existsSync(f));
}

/**
 * Installs code-server when the folder has no completion marker, and returns the folder. Idempotent; a half-finished
 * install (no marker) is wiped and redone.
 */
export async function ensureCodeServer({ log = (m) => console.error(`[code-server] ${m}`) } = {}) {
  const dir = codeServerDir();
  if (isInstalled(dir)) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${dir}`);
    return dir;
  }
  // Test files run in parallel and may all ask at once: one installs, the others wait for its marker.
  const release = await acquireLock(`${dir}.lock`, log);
  try {
    if (isInstalled(dir)) return dir;
    return await install(dir, log);
  } finally {
    release();
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** A directory lock holding the owner's pid; a lock whose owner died is taken over. */
async function acquireLock(lock, log, timeoutMs = 20 * 60_000) {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // The owner has created the folder but not yet written its pid.
    }
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
      log(`removing stale lock ${lock} (pid ${owner} is gone)`);
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) log(`another process (pid ${owner}) is installing code-server; waiting for it`);
    told = true;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function install(dir, log) {
  checkPrerequisites(log);
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (a clean install takes 1-4 minutes: native modules are built)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, '.tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'tekton-authoring-code-server', private: true, description: 'e2e host, see scripts/installCodeServer.mjs' }, null, 2),
  );
  seedRipgrepCache(tmp, log);

  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_build_from_source: 'true',
    npm_config_foreground_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // Electron/Playwright/VS Code never download anything here.
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  };
  const { code, output } = await runNpm(
    ['install', '--save-exact', '--omit=dev', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: dir, env },
    log,
  );
  writeFileSync(join(dir, 'install.log'), output);
  const policyLines = output.split('\n').filter((l) => /install-scripts|scripts were skipped|not yet covered by allowScripts/i.test(l));
  if (code !== 0) {
    throw new Error(`npm install code-server failed (exit ${code}); last output:\n${output.split('\n').slice(-40).join('\n')}\nfull log: ${join(dir, 'install.log')}`);
  }
  for (const line of policyLines) log(`npm: ${line.trim()}`);
  const missing = verifyInstall(codeServerPackage(dir));
  if (missing.length) {
    throw new Error(`code-server installed but its native parts are missing (did an install script not run?):\n  ${missing.join('\n  ')}\nfull log: ${join(dir, 'install.log')}`);
  }
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(dir, MARKER), `${CODE_SERVER_VERSION}\n`);
  log(`installed code-server ${CODE_SERVER_VERSION} in ${Math.round((Date.now() - started) / 1000)} s`);
  return dir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureCodeServer()
    .then((dir) => console.log(dir))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}

