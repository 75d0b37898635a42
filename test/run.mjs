// Runs the unit and LSP suites with Node's own test runner. Files are passed explicitly: Node 20 treats
// `--test` arguments as paths, Node 21+ as globs, so a directory argument is not portable.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const layers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'lsp', 'grammar', 'e2e'];
const root = new URL('..', import.meta.url).pathname;

function collect(dir) {
  let files = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files = files.concat(collect(path));
    else if (name.endsWith('.test.js') || name.endsWith('.test.mjs')) files.push(path);
  }
  return files;
}

// Unit and LSP tests are TypeScript compiled into out/; grammar, workbench (e2e) and fuzz tests are plain ESM run as they are.
const files = layers.flatMap((layer) =>
  layer === 'e2e' || layer === 'grammar' || layer === 'fuzz'
    ? collect(join(root, 'test', layer)).filter((f) => f.endsWith('.test.mjs'))
    : collect(join(root, 'out', 'test', layer)),
);
if (files.length === 0) {
  console.error(`no compiled tests found for ${layers.join(', ')}: run the build first`);
  process.exit(1);
}
// The workbench tests share one code-server install (1-5 minutes from a cold cache, longer on a busy machine): it is
// done here, once, before any test starts, so that no test's timeout pays for it.
if (layers.includes('e2e')) {
  const started = Date.now();
  const install = spawnSync(process.execPath, [join(root, 'scripts', 'installCodeServer.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (install.status !== 0) {
    console.error('installing code-server for the workbench tests failed (see above)');
    process.exit(1);
  }
  console.error(`[code-server] ready for the workbench tests after ${Math.round((Date.now() - started) / 1000)} s`);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
