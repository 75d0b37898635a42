// The documents the campaign mutates: the repository's fixtures (always there) and the shared data beside the
// repository (catalog, triggers-examples, kfp test_data), plus sample events for tekton/setSample and simulate.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
export const SHARED_DATA = join(REPO_ROOT, '..', 'shared', 'data');

/** Why the shared-data part is skipped, or false when the data is there (same wording as test/helpers/fixtures.ts). */
export function sharedDataMissing() {
  return existsSync(SHARED_DATA) ? false : `../shared/data not found beside the repository (${SHARED_DATA}): skipped`;
}

function walk(dir, accept, out = []) {
  let entries;
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.git')) continue;
    const path = join(dir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(path, accept, out);
    else if (accept(name, st)) out.push(path);
  }
  return out;
}

const isYaml = (name, st) => /\.ya?ml$/.test(name) && st.size > 0 && st.size < 200_000;

/** @returns {{ path: string, label: string, text: string }[]} sorted, so that a seed picks the same documents. */
export function fixtureDocuments() {
  return walk(FIXTURES, (n, st) => isYaml(n, st) || (/\.cel$/.test(n) && st.size < 200_000)).map((path) => ({
    path,
    label: relative(REPO_ROOT, path),
    text: readFileSync(path, 'utf8'),
  }));
}

/** @returns {{ path: string, label: string, text: string }[]} empty when ../shared/data is absent. */
export function sharedDocuments() {
  if (sharedDataMissing()) return [];
  const dirs = [join(SHARED_DATA, 'catalog'), join(SHARED_DATA, 'triggers-examples'), join(SHARED_DATA, 'kfp', 'test_data')];
  return dirs
    .flatMap((d) => walk(d, isYaml))
    .map((path) => ({ path, label: relative(join(REPO_ROOT, '..'), path), text: readFileSync(path, 'utf8') }));
}

const SYNTHETIC_SAMPLES = [
  {
    label: 'github push (synthetic)',
    method: 'POST',
    url: '/',
    headers: { 'Content-Type': ['application/json'], 'X-GitHub-Event': ['push'] },
    body: JSON.stringify({ after: 'abc1234def', ref: 'refs/heads/main', repository: { full_name: 'o/r', clone_url: 'https://x/o/r.git' }, head_commit: { id: 'abc' } }),
  },
  {
    label: 'gitlab merge request (synthetic)',
    method: 'POST',
    url: '/hook?x=1',
    headers: { 'Content-Type': ['application/json'], 'X-Gitlab-Event': ['Merge Request Hook'], 'X-Gitlab-Token': ['secret'] },
    body: JSON.stringify({ object_kind: 'merge_request', object_attributes: { action: 'open', iid: 3, last_commit: { id: 'f00' } } }),
  },
  { label: 'not json', method: 'POST', url: '/', headers: { 'Content-Type': ['text/plain'] }, body: 'hello: [' },
  { label: 'empty', method: 'GET', url: '', headers: {}, body: '' },
  {
    label: 'deep json',
    method: 'POST',
    url: '/',
    headers: { 'content-type': ['application/json'], 'x-github-event': ['pull_request', 'push'] },
    body: '{"a":'.repeat(200) + '1' + '}'.repeat(200),
  },
];

/** Sample events: the shared payloads (with their headers) when present, and a few synthetic ones. */
export function sampleEvents(max = 80) {
  const out = [...SYNTHETIC_SAMPLES];
  if (sharedDataMissing()) return out;
  const files = walk(join(SHARED_DATA, 'payloads'), (n, st) => n.endsWith('.json') && !n.endsWith('.headers.json') && !n.includes('manifest') && st.size < 300_000);
  const step = Math.max(1, Math.floor(files.length / max));
  for (let i = 0; i < files.length && out.length < max + SYNTHETIC_SAMPLES.length; i += step) {
    const f = files[i];
    let headers = { 'Content-Type': 'application/json' };
    try {
      const h = JSON.parse(readFileSync(f.replace(/\.json$/, '.headers.json'), 'utf8'));
      headers = { ...headers, ...(h.effectiveHeaders ?? h.headers ?? {}) };
    } catch {
      // no headers file: content type only
    }
    out.push({
      label: relative(SHARED_DATA, f),
      method: 'POST',
      url: '/',
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]])),
      body: readFileSync(f, 'utf8'),
    });
  }
  return out;
}
