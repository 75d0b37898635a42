// Shared pieces of the e2e tests: code-server's VS Code server or code-server itself as a child process, and headless
// Debian chromium driven by playwright-core. Nothing here downloads: code-server comes from npm
// (scripts/installCodeServer.mjs), chromium from apt; playwright-core is told where the browser is.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_WORKSPACE = join(REPO, 'test', 'fixtures', 'workspace');
export const RESULTS_DIR = join(REPO, 'test-results');

/** Flags from the brief of the project: no network, no first-run UI, no GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const log = (m) => console.log(`[e2e] ${m}`);

/** Polls `probe` until it returns something other than undefined/false; throws after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 60_000, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh scratch folder, with the `tmp/` subfolder the servers get as TMPDIR. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `tekton-e2e-${prefix}-`));
  mkdirSync(join(dir, 'tmp'));
  return dir;
}

/**
 * The chromium to use: `$CHROMIUM_PATH` or apt's /usr/bin/chromium, installing it with apt when root. Returns
 * `{ path }`, or `{ skip }` with the reason when there is none and this is not CI (CI=true makes it an error).
 */
export function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(path)) return { path };
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt && !process.env.CHROMIUM_PATH) {
    log('chromium is missing: apt-get install -y chromium');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], { stdio: 'inherit', env });
    if (existsSync(path)) return { path };
  }
  const reason = `no chromium at ${path} and it could not be installed (as root: apt-get install -y chromium)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${reason}; CI needs it`);
  return { skip: reason };
}

/**
 * Starts `node script args…` in its own process group (so stopping it also stops the extension host and the
 * language server it spawned) and resolves once `readyUrl` answers HTTP.
 */
export async function startServer(script, args, { env, readyUrl, name, timeoutMs = 120_000 }) {
  const child = spawn(process.execPath, [script, ...args], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const server = {
    child,
    get output() {
      return output;
    },
    async stop() {
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      try {
        await waitFor(`${name} to exit`, () => !!exited, 10_000, 100);
      } catch {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
  try {
    await waitFor(`${name} to answer on ${readyUrl}`, async () => {
      if (exited) throw new Error(`${name} exited early (${JSON.stringify(exited)}):\n${output}`);
      const res = await fetch(readyUrl);
      return res.status < 500;
    }, timeoutMs, 250);
  } catch (err) {
    await server.stop();
    throw new Error(`${err.message}\n--- ${name} output ---\n${output}`);
  }
  return server;
}

/**
 * Launches headless apt chromium through playwright-core (no browser download). `dir` is a scratch folder: chromium
 * writes crash-report settings under $XDG_CONFIG_HOME, which would otherwise be the user's ~/.config.
 */
export async function launchChromium(executablePath, dir) {
  const { chromium } = await import('playwright-core');
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'chromium-config'), XDG_CACHE_HOME: join(dir, 'chromium-cache') };
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, env, timeout: 60_000 });
}

/** The environment of the servers: no gallery, scratch TMPDIR and XDG folders, nothing from the user's setup. */
export function serverEnv(dir, extra = {}) {
  return {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    TMPDIR: join(dir, 'tmp'),
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    VSCODE_AGENT_FOLDER: join(dir, 'agent'),
    ...extra,
  };
}

/** Whether the compiled extension and suite exist (the e2e tests run after `npm run compile`). */
export function assertCompiled() {
  const needed = ['dist/client.js', 'dist/server.js', 'out/test/vscode/index.js'];
  const missing = needed.filter((f) => !existsSync(join(REPO, f)));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run \`npm run compile\` first`);
}

/** Waits until `selector` is visible on the page; the error names `what` the UI never showed. */
export function uiWaiter(page, defaultTimeoutMs) {
  return (selector, what, timeout = defaultTimeoutMs) =>
    page
      .locator(selector)
      .first()
      .waitFor({ state: 'visible', timeout })
      .catch((err) => {
        throw new Error(`UI never showed ${what} (${selector}): ${err.message}`);
      });
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a user would. */
export async function quickOpen(page, wait, fileName) {
  await page.locator('.monaco-workbench').first().click({ position: { x: 640, y: 400 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  await wait('.quick-input-widget input', 'Quick Open');
  await page.keyboard.type(fileName);
  await wait(`.quick-input-list .monaco-list-row[aria-label*="${fileName}"]`, `${fileName} in Quick Open`);
  await page.keyboard.press('Enter');
}

/**
 * The Tekton Simulation view container, in the panel (package.json `viewsContainers.panel`): the workbench gives each
 * composite the element id of its container, `workbench.view.extension.<id>`.
 */
export const SIMULATION_PANEL = '.part.panel .composite[id="workbench.view.extension.tekton-simulation"]';

/** A row of the simulation trace that holds `text`. */
export const traceRow = (text) => `${SIMULATION_PANEL} .monaco-list-row:has-text("${text}")`;

/**
 * The actions of the simulation trace (Re-run, Submit) while its panel is the one shown: its single view is merged
 * into the panel, whose title bar carries the actions of the panel shown.
 */
export const SIMULATION_ACTIONS = '.part.panel > .title .title-actions .action-label';

/**
 * Runs a command from the palette (F1) by its title, as a user would. The palette can take the first keys before its
 * input has focus and lose them (a CI run once failed so): when the command does not show, the text is typed again.
 */
export async function runCommand(page, wait, title) {
  const row = `.quick-input-list .monaco-list-row[aria-label*="${title}"]`;
  await page.keyboard.press('F1');
  await wait('.quick-input-widget input', 'the command palette');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.type(title);
    const shown = await page.locator(row).first().waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt === 2) await wait(row, `the "${title}" command`);
    await page.locator('.quick-input-widget input').first().fill('>');
  }
  await page.keyboard.press('Enter');
}

/**
 * Brings the Tekton Simulation panel back after another panel (Output, Terminal) took its place, with the command
 * VS Code gives each view: its tab may be folded into the panel's overflow menu when the other panel's toolbar is wide.
 */
export async function showSimulationPanel(page, wait) {
  await runCommand(page, wait, 'Tekton Simulation: Focus on Trace View');
  await wait(SIMULATION_PANEL, 'the Tekton Simulation panel');
}

/**
 * Starts the VS Code server bundled in code-server (`lib/vscode/out/server-main.js`) on 127.0.0.1:`port`, with its
 * data, user data and extensions under `dir`; `smokeTestDriver` lets a test read results back from the workbench.
 */
export function startVsCodeServer(pkg, dir, port, { env = serverEnv(dir), smokeTestDriver = false } = {}) {
  return startServer(
    join(pkg, 'lib', 'vscode', 'out', 'server-main.js'),
    [
      ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
      '--without-connection-token',
      '--host', '127.0.0.1',
      '--port', String(port),
      '--server-data-dir', join(dir, 'server-data'),
      '--user-data-dir', join(dir, 'user-data'),
      '--extensions-dir', join(dir, 'extensions'),
      '--disable-telemetry',
      '--disable-workspace-trust',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--accept-server-license-terms',
      '--log', 'info',
    ],
    { env, readyUrl: `http://127.0.0.1:${port}/version`, name: 'VS Code server' },
  );
}

/**
 * The content frame of the graph webview whose summary line (`#summary`) matches `summary`. Webviews are nested
 * iframes whose names VS Code chooses; the graph's own summary tells them apart (and a hidden webview's frame, torn
 * down and rebuilt when shown, is found again).
 */
export function graphFrame(page, summary, what, timeoutMs = 45_000) {
  return waitFor(
    what,
    async () => {
      for (const frame of page.frames()) {
        // a frame being replaced throws: it is simply not the one
        const text = await frame.evaluate(() => document.getElementById('summary')?.textContent ?? null).catch(() => null);
        if (text && summary.test(text)) return frame;
      }
      return undefined;
    },
    timeoutMs,
    250,
  );
}

/** The drawn nodes (id, classes, the stroke their status paints) and edges (`from->to`) of a graph frame. */
export function drawnGraph(frame) {
  return frame.evaluate(() => ({
    nodes: [...document.querySelectorAll('#canvas g.node')].map((g) => ({
      id: g.getAttribute('data-id'),
      classes: g.getAttribute('class').split(/\s+/),
      stroke: getComputedStyle(g.querySelector('rect')).stroke,
    })),
    edges: [...document.querySelectorAll('#canvas path.edge')].map((p) => `${p.getAttribute('data-from')}->${p.getAttribute('data-to')}`),
  }));
}

/**
 * Waits until the nodes' `status-*` classes (node id → state) satisfy `expect`; resolves with them and the nodes.
 */
export function graphStatuses(frame, expect, what, timeoutMs = 45_000) {
  return waitFor(
    what,
    async () => {
      const { nodes } = await drawnGraph(frame).catch(() => ({ nodes: [] }));
      const statuses = Object.fromEntries(nodes.map((n) => [n.id, n.classes.find((c) => c.startsWith('status-'))?.slice(7)]));
      return nodes.length && expect(statuses) ? { statuses, nodes } : undefined;
    },
    timeoutMs,
    200,
  );
}

/**
 * Opens `folder` in the workbench at `port` with the extension loaded from the repository, and resolves once the
 * editor part is there.
 */
export async function openWorkbench(page, port, folder, wait) {
  const remote = (p) => `vscode-remote://remote${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO.replace(/\/$/, ''))],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await wait('.monaco-workbench .part.editor', 'the workbench');
}

/** Every file under `dir` below 20 MB, for the checks that no secret reached a log. */
export function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let s;
    try {
      s = statSync(p);
    } catch {
      continue;
    }
    if (s.isDirectory()) out.push(...filesUnder(p));
    else if (s.isFile() && s.size < 20 * 1024 * 1024) out.push(p);
  }
  return out;
}
