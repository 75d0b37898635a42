#!/usr/bin/env node
// `npm start` (after `npm run compile`): installs code-server once (scripts/installCodeServer.mjs), packages the
// extension and installs the .vsix into a profile of its own, then serves the demo workspace `demo/` on 127.0.0.1
// without authentication and prints the URL. Runs until Ctrl+C.
//
//   PORT=8080 (default; a free port is taken when it is busy)
//   TEKTON_START_PROFILE=<dir>   user data and extensions (default ~/.cache/tekton-authoring/start-profile)
//   TEKTON_START_FOLDER=<dir>    the folder to open instead of demo/
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerPackage, ensureCodeServer } from './installCodeServer.mjs';
import { packageVsix } from './package.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const log = (m) => console.log(`[start] ${m}`);

function portIsFree(port) {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

async function choosePort(wanted) {
  if (await portIsFree(wanted)) return wanted;
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  log(`port ${wanted} is busy, using ${port}`);
  return port;
}

function run(args, env) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}:\n${out}`))));
  });
}

const pkg = codeServerPackage(await ensureCodeServer({ log }));
const entry = join(pkg, 'out', 'node', 'entry.js');
const profile = resolve(process.env.TEKTON_START_PROFILE || join(homedir(), '.cache', 'tekton-authoring', 'start-profile'));
const folder = resolve(process.env.TEKTON_START_FOLDER || join(REPO, 'demo'));
mkdirSync(join(profile, 'tmp'), { recursive: true });
writeFileSync(join(profile, 'config.yaml'), 'auth: none\n');
// First start only (the user's own changes stay): open demo/README.md, and no "git repository found in the parent
// folders" prompt (demo/ lives inside this repository).
const settings = join(profile, 'user-data', 'User', 'settings.json');
if (!existsSync(settings)) {
  mkdirSync(dirname(settings), { recursive: true });
  writeFileSync(
    settings,
    JSON.stringify({ 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never', 'telemetry.telemetryLevel': 'off' }, null, 2),
  );
}
const env = {
  ...process.env,
  EXTENSIONS_GALLERY: '{}',
  TMPDIR: join(profile, 'tmp'),
  XDG_CONFIG_HOME: join(profile, 'xdg-config'),
  XDG_DATA_HOME: join(profile, 'xdg-data'),
  XDG_CACHE_HOME: join(profile, 'xdg-cache'),
};
const common = [
  '--config', join(profile, 'config.yaml'),
  '--user-data-dir', join(profile, 'user-data'),
  '--extensions-dir', join(profile, 'extensions'),
];

const vsix = packageVsix(join(profile, 'tekton.vsix'), { log });
const installed = await run([entry, ...common, '--install-extension', vsix, '--force'], env);
log(installed.trim().split('\n').pop());

const port = await choosePort(Number(process.env.PORT) || 8080);
const server = spawn(
  process.execPath,
  [
    entry,
    ...common,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    folder,
  ],
  { env, stdio: 'inherit' },
);

const url = `http://127.0.0.1:${port}/?folder=${encodeURI(folder)}`;
const deadline = Date.now() + 60_000;
let ready = false;
while (!ready && server.exitCode === null && Date.now() < deadline) {
  ready = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
  if (!ready) await new Promise((r) => setTimeout(r, 250));
}
if (ready) {
  console.log(`\n  Tekton Authoring demo is running. Open:\n\n    ${url}\n\n  (profile: ${profile}; Ctrl+C to stop)\n`);
} else if (server.exitCode === null) {
  log('code-server did not answer within 60 s; see its output above');
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (server.exitCode === null) server.kill(signal);
  });
}
server.on('exit', (code, signal) => {
  log(`code-server stopped (${signal ?? code})`);
  process.exit(code ?? 0);
});
