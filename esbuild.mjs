// Bundles the client and the server into one file each (dist/client.js, dist/server.js) and the CEL evaluation
// worker (dist/celWorker.js). `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

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
  {
    ...common,
    entryPoints: {
      server: 'server/src/main.ts',
      ...(existsSync('server/src/cel/evalWorker.ts') ? { celWorker: 'server/src/cel/evalWorker.ts' } : {}),
    },
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
