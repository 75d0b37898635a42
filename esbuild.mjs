// Bundles the client and the server into one file each (dist/client.js, dist/server.js) and the CEL evaluation
// worker (dist/celWorker.js). `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  outdir: 'dist',
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  // The graph webview's script runs in the browser sandbox of the webview, not in Node.
  { ...common, platform: 'browser', format: 'iife', entryPoints: { graphView: 'client/src/graph/webview.ts' } },
  {
    ...common,
    entryPoints: {
      server: 'server/src/main.ts',
      ...(existsSync('server/src/cel/evalWorker.ts') ? { celWorker: 'server/src/cel/evalWorker.ts' } : {}),
    },
  },
];

/**
 * The GitHub example payloads offered as samples (one per event and action), taken from @octokit/webhooks-examples
 * at build time so the extension needs no network and does not ship the whole 9 MB package.
 */
function writeGithubExamples() {
  const require = createRequire(import.meta.url);
  const index = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'));
  const out = [];
  for (const event of index) {
    const seen = new Set();
    for (const payload of event.examples ?? []) {
      const action = typeof payload.action === 'string' ? payload.action : '';
      if (seen.has(action)) continue;
      seen.add(action);
      out.push({ event: event.name, action, payload });
    }
  }
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/githubExamples.json', JSON.stringify(out));
}
writeGithubExamples();

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
