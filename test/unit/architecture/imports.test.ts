/**
 * The layout rules of README.md "Development", checked over the real import graph of server/src and client/src so
 * the shape cannot drift: LSP only at the edge, engines behind the service, a client that talks to the server only
 * through protocol.ts and the kube core, and no cycles between the top-level folders of server/src.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../helpers/paths';

const SERVER = join(REPO_ROOT, 'server', 'src');
const CLIENT = join(REPO_ROOT, 'client', 'src');

/** Folders of server/src that hold an engine: only the service and the command line may import them. */
const ENGINES = ['pipelines', 'triggers', 'kfp', 'pac'];
/** Where `vscode-languageserver*` may be imported: the LSP adapters and the process entry. */
const LSP_EDGE = ['lsp/', 'server.ts', 'main.ts'];

interface Import {
  /** Repository-relative file that imports. */
  from: string;
  /** The specifier as written. */
  spec: string;
  /** Repository-relative target for relative specifiers. */
  target?: string;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const from = relative(REPO_ROOT, file);
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    const target = spec.startsWith('.') ? relative(REPO_ROOT, resolve(dirname(file), spec)) : undefined;
    out.push({ from, spec, target });
  }
  return out;
}

const serverImports = sources(SERVER).flatMap(importsOf);
const clientImports = sources(CLIENT).flatMap(importsOf);

/** The top-level folder (or root file) of server/src a repository-relative path lies in. */
function area(path: string): string {
  const rel = relative('server/src', path);
  return rel.split('/')[0].replace(/\.ts$/, '');
}

describe('import rules (README.md "Development")', () => {
  it('finds the sources it checks', () => {
    assert.ok(serverImports.length > 200, `only ${serverImports.length} server imports found`);
    assert.ok(clientImports.length > 20, `only ${clientImports.length} client imports found`);
  });

  it('imports vscode-languageserver only in the LSP adapters', () => {
    const offenders = serverImports.filter(
      (i) => i.spec.startsWith('vscode-languageserver') && !LSP_EDGE.some((e) => relative('server/src', i.from).startsWith(e)),
    );
    assert.deepEqual(offenders.map((i) => `${i.from} → ${i.spec}`), []);
  });

  it('never imports vscode or the client from the server', () => {
    const offenders = serverImports.filter((i) => i.spec === 'vscode' || i.target?.startsWith('client/'));
    assert.deepEqual(offenders.map((i) => `${i.from} → ${i.spec}`), []);
  });

  it('lets the client import only protocol.ts and the kube core of the server', () => {
    const offenders = clientImports.filter(
      (i) => i.target?.startsWith('server/') && i.target !== 'server/src/protocol' && !i.target.startsWith('server/src/kube/'),
    );
    assert.deepEqual(offenders.map((i) => `${i.from} → ${i.spec}`), []);
  });

  it('keeps document/ and cel/ free of every other folder, and the kube core free of editors', () => {
    const offenders = serverImports.filter((i) => {
      const own = area(i.from);
      if (!i.target || !['document', 'cel', 'kube'].includes(own)) return false;
      const to = area(i.target);
      if (own === 'kube') return to !== 'kube' && to !== 'document';
      return to !== own;
    });
    assert.deepEqual(offenders.map((i) => `${i.from} → ${i.spec}`), []);
  });

  it('lets only the service and the command line reach into engines, and engines not into the service', () => {
    const offenders = serverImports.filter((i) => {
      if (!i.target) return false;
      const own = area(i.from);
      const to = area(i.target);
      if (own === to) return false;
      if (ENGINES.includes(to)) return !['service', 'cli', ...ENGINES].includes(own);
      return ENGINES.includes(own) && (to === 'service' || to === 'cli' || to === 'lsp');
    });
    assert.deepEqual(offenders.map((i) => `${i.from} → ${i.spec}`), []);
  });

  it('has no cycle between the top-level folders of server/src', () => {
    const edges = new Map<string, Set<string>>();
    const example = new Map<string, string>();
    for (const i of serverImports) {
      if (!i.target?.startsWith('server/src/')) continue;
      const a = area(i.from);
      const b = area(i.target);
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
      if (!example.has(`${a}>${b}`)) example.set(`${a}>${b}`, `${i.from} → ${i.spec}`);
    }
    // Tarjan's strongly connected components: any component of more than one folder is a cycle.
    const cycles: string[][] = [];
    const indexOf = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    let counter = 0;
    const visit = (v: string): void => {
      indexOf.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      for (const w of edges.get(v) ?? []) {
        if (!indexOf.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
      if (low.get(v) === indexOf.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          component.push(w);
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const v of edges.keys()) if (!indexOf.has(v)) visit(v);
    const explain = cycles.map((c) =>
      c.flatMap((a) => c.filter((b) => edges.get(a)?.has(b)).map((b) => example.get(`${a}>${b}`)!)).join('; '),
    );
    assert.deepEqual(explain, []);
  });
});
