// A second real editor: headless Neovim (Debian's `neovim`, 0.7.2 on bookworm) with its built-in LSP client running
// `node dist/server.js --stdio` for YAML files. test/neovim/init.lua opens a Task with a mistake, waits for the pushed
// diagnostics through vim.diagnostic.get, asks for hover and for completion through vim.lsp.buf_request_sync and writes
// what Neovim got as JSON; this file asserts it. Everything Neovim writes (XDG dirs, state, LSP log) stays in a temp
// dir. Skipped when `nvim` is not installed (.ci/run installs it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = join(REPO, 'dist', 'server.js');
const INIT = join(REPO, 'test', 'neovim', 'init.lua');
const TIMEOUT_MS = 60_000;

// Line 8 holds the mistake (`stepz` for `steps`); line 5 is `params`, hovered.
const BROKEN = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello
spec:
  params:
    - name: who
      type: string
  stepz:
    - name: say
      image: alpine
      script: echo hello
`;
// Completion on line 6 (two spaces, written out so no editor strips them), inside `spec:`, where `description` is
// already present.
const COMPLETE = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  description: Says hello\n  \n';

const nvimVersion = (() => {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
})();
const skip = nvimVersion ? false : '`nvim` is not installed (apt-get install neovim; .ci/run installs it)';

/** Runs Neovim on the two files and resolves with the JSON init.lua wrote, or rejects with what went wrong. */
function runNeovim(dir) {
  const result = join(dir, 'result.json');
  const xdg = (name) => {
    const path = join(dir, 'xdg', name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const env = {
    ...process.env,
    HOME: xdg('home'),
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_STATE_HOME: xdg('state'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_RUNTIME_DIR: xdg('runtime'),
    XDG_CONFIG_DIRS: xdg('config-dirs'),
    XDG_DATA_DIRS: '/usr/local/share:/usr/share',
    NVIM_LOG_FILE: join(dir, 'nvim.log'),
    TEKTON_LS_SERVER: SERVER,
    TEKTON_NVIM_RESULT: result,
    TEKTON_NVIM_BROKEN: join(dir, 'task.yaml'),
    TEKTON_NVIM_HOVER_AT: '5:4',
    TEKTON_NVIM_WAIT_CODE: 'schema-unknown-property',
    TEKTON_NVIM_COMPLETE: join(dir, 'complete.yaml'),
    TEKTON_NVIM_COMPLETE_AT: '6:2',
    TEKTON_NVIM_STEP_TIMEOUT_MS: String(TIMEOUT_MS - 10_000),
  };
  delete env.NVIM; // not the parent's Neovim, when run from a :terminal
  delete env.VIMINIT;
  const started = Date.now();
  // --clean: no user config, plugins or shada; -u: this init file; -n: no swap files. Own process group, so that a
  // timeout kills the server Neovim started as well.
  const nvim = spawn('nvim', ['--headless', '--clean', '-u', INIT, '-i', 'NONE', '-n'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  nvim.stdout.on('data', (d) => (output += d));
  nvim.stderr.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-nvim.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT_MS);
    nvim.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    nvim.on('close', (code, signal) => {
      clearTimeout(timer);
      const elapsed = Date.now() - started;
      const json = existsSync(result) ? JSON.parse(readFileSync(result, 'utf8')) : undefined;
      const lspLog = join(dir, 'xdg', 'cache', 'nvim', 'lsp.log');
      const details = () =>
        [
          `steps reached: ${json ? json.steps.join(' → ') : 'none (init.lua wrote no result)'}`,
          json?.error && `error in init.lua: ${json.error}`,
          output.trim() && `nvim output:\n${output.trim().slice(-4000)}`,
          existsSync(lspLog) && `lsp.log:\n${readFileSync(lspLog, 'utf8').trim().slice(-4000)}`,
        ]
          .filter(Boolean)
          .join('\n');
      if (signal === 'SIGKILL' && elapsed >= TIMEOUT_MS)
        reject(new Error(`Neovim did not finish within ${TIMEOUT_MS / 1000} s\n${details()}`));
      else if (code !== 0 || !json || json.error || json.steps.at(-1) !== 'done')
        reject(new Error(`Neovim failed (exit ${code ?? signal})\n${details()}`));
      else resolve({ ...json, elapsed });
    });
  });
}

describe(`Neovim's built-in LSP client with tekton-ls (${nvimVersion ?? 'nvim missing'})`, { skip }, () => {
  let dir;
  let got;
  before(async () => {
    if (!existsSync(SERVER)) throw new Error(`missing ${SERVER}: run \`npm run compile\` first`);
    dir = mkdtempSync(join(tmpdir(), 'tekton-neovim-'));
    writeFileSync(join(dir, 'task.yaml'), BROKEN);
    writeFileSync(join(dir, 'complete.yaml'), COMPLETE);
    got = await runNeovim(dir);
    console.log(`${nvimVersion}: diagnostics, hover and completion in ${got.elapsed} ms`);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the server for a YAML buffer', () => {
    assert.equal(got.filetype, 'yaml');
    assert.deepEqual(got.steps, ['start', 'initialized', 'diagnostics', 'hover', 'completion', 'done']);
  });

  it('shows the pushed diagnostic with its code, message and range in vim.diagnostic', () => {
    const d = got.diagnostics.find((x) => x.code === 'schema-unknown-property');
    assert.ok(d, `no schema-unknown-property among ${JSON.stringify(got.diagnostics)}`);
    assert.deepEqual(d, {
      code: 'schema-unknown-property',
      message: 'Property "stepz" is not allowed here; did you mean "steps"?',
      source: 'tekton',
      severity: 1, // vim.diagnostic.severity.ERROR
      // Neovim's zero-based lnum/col: `stepz` on line 9, columns 3 to 7.
      lnum: 8,
      col: 2,
      end_lnum: 8,
      end_col: 7,
    });
  });

  it('answers hover with markdown about the field', () => {
    assert.equal(got.hover?.kind, 'markdown', JSON.stringify(got.hover));
    assert.match(got.hover.value, /\*\*params\*\*/);
  });

  it('completes the keys of a Task spec, without those already present', () => {
    const labels = got.completion.labels;
    for (const key of ['steps', 'params', 'workspaces', 'results']) assert.ok(labels.includes(key), `${key} not in ${labels}`);
    assert.ok(!labels.includes('description'), 'description is already present');
  });
});
