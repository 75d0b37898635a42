// Inputs for the benchmark: the main resource files of the upstream Tekton catalog copy in shared/data, a big
// multi-document file made of them, and the positions used for edits, completion and hover (found with the `yaml`
// package so that they sit on real keys and values).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isPair, isScalar, isSeq, LineCounter, parse, parseAllDocuments } from 'yaml';

/**
 * The main files `<section>/<name>/<version>/<name>.yaml` of `catalogDir`, sorted by path, or `undefined` when the
 * folder is absent.
 * @returns {{ path: string, rel: string, uri: string, text: string, apiVersion?: string, kind?: string }[] | undefined}
 */
export function catalogMainFiles(catalogDir) {
  if (!existsSync(catalogDir)) return undefined;
  const files = [];
  for (const section of ['task', 'pipeline', 'stepaction']) {
    const sectionDir = join(catalogDir, section);
    if (!existsSync(sectionDir)) continue;
    for (const name of readdirSync(sectionDir).sort()) {
      const nameDir = join(sectionDir, name);
      if (!statSync(nameDir).isDirectory()) continue;
      for (const version of readdirSync(nameDir).sort()) {
        const path = join(nameDir, version, `${name}.yaml`);
        if (!existsSync(path)) continue;
        const text = readFileSync(path, 'utf8');
        files.push({ path, rel: relative(catalogDir, path), uri: pathToFileURL(path).href, text, ...header(text) });
      }
    }
  }
  return files;
}

/** apiVersion and kind of the first document (top-level lines), for choosing a schema. */
export function header(text) {
  const apiVersion = /^apiVersion:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  const kind = /^kind:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  return { apiVersion, kind };
}

/**
 * Concatenates the files (cycling through them) into one text of `docCount` documents separated by `---`.
 * @returns {{ text: string, lineCount: number, docs: { startLine: number, apiVersion?: string, kind?: string, rel: string }[] }}
 */
export function buildBigFile(files, docCount) {
  const parts = [];
  const docs = [];
  let line = 0;
  for (let i = 0; i < docCount; i++) {
    const f = files[i % files.length];
    const body = stripLeadingMarker(f.text);
    if (i > 0) {
      parts.push('---');
      line += 1;
    }
    docs.push({ startLine: line, apiVersion: f.apiVersion, kind: f.kind, rel: f.rel });
    parts.push(body);
    line += body.split('\n').length;
  }
  const text = parts.join('\n') + '\n';
  return { text, lineCount: text.split('\n').length - 1, docs };
}

/** Drops a `---` that opens the text (after comments), which would make an empty document, and trailing blanks. */
function stripLeadingMarker(text) {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => !/^\s*(#.*)?$/.test(l));
  if (first >= 0 && /^---\s*$/.test(lines[first])) lines.splice(first, 1);
  return lines.join('\n').replace(/\s+$/, '');
}

/**
 * Every mapping key of every document, with its path (`spec.steps[].image`), the key's position and, for scalar
 * values on one line, the value's position and style.
 * @returns {{ doc: number, path: string, key: string, line: number, col: number, value?: { line: number, col: number, type: string, endLine: number } }[]}
 */
export function collectKeys(text) {
  const lc = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lc, keepSourceTokens: false });
  const out = [];
  const docsArray = Array.isArray(documents) ? documents : [documents];
  const pos = (offset) => {
    const p = lc.linePos(offset);
    return { line: p.line - 1, col: p.col - 1 };
  };
  const walk = (node, path, doc) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const p = path ? `${path}.${key}` : key;
        const entry = { doc, path: p, key, ...pos(pair.key.range[0]) };
        if (isScalar(pair.value) && pair.value.range) {
          const start = pos(pair.value.range[0]);
          const end = pos(pair.value.range[1]);
          entry.value = { ...start, endLine: end.line, type: pair.value.type };
        }
        out.push(entry);
        walk(pair.value, p, doc);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, `${path}[]`, doc);
    }
  };
  docsArray.forEach((d, i) => walk(d.contents, '', i));
  return out;
}

/** Picks `count` items spread evenly over `items` (all of them when there are fewer). */
export function spread(items, count) {
  if (items.length <= count) return items.slice();
  const out = [];
  for (let i = 0; i < count; i++) out.push(items[Math.floor((i * items.length) / count)]);
  return out;
}

/**
 * Completion positions: the start of keys directly under `spec:` and directly in a step map (`spec.steps[].x`),
 * alternating, spread over the given files. The cursor at the start of an existing key asks for the keys allowed
 * in that map, as on a fresh line.
 * @returns {{ file: object, line: number, character: number, what: string }[]}
 */
export function completionPositions(files, count) {
  const perFile = files.map((file) => {
    const keys = collectKeys(file.text);
    const spec = keys.filter((k) => /^spec\.[^.[\]]+$/.test(k.path));
    const step = keys.filter((k) => /^spec\.(steps|tasks)\[\]\.[^.[\]]+$/.test(k.path));
    return { file, spec, step };
  });
  const out = [];
  for (let round = 0; out.length < count && round < 50; round++) {
    for (const [i, { file, spec, step }] of perFile.entries()) {
      if (out.length >= count) break;
      const pool = round % 2 === 0 ? step : spec;
      const k = pool[(i + Math.floor(round / 2)) % Math.max(pool.length, 1)];
      if (k) out.push({ file, line: k.line, character: k.col, what: k.path });
    }
  }
  return out;
}

/**
 * Hover positions: the middle of keys named `image`, `params` or `name` (rotating), spread over the given files.
 * @returns {{ file: object, line: number, character: number, what: string }[]}
 */
export function hoverPositions(files, count) {
  const wanted = ['image', 'params', 'name'];
  const out = [];
  let i = 0;
  for (let round = 0; out.length < count && round < 20; round++) {
    for (const file of files) {
      if (out.length >= count) break;
      const keys = collectKeys(file.text).filter((k) => k.key === wanted[i % wanted.length]);
      const k = keys[round % Math.max(keys.length, 1)];
      if (!k) continue;
      i++;
      out.push({ file, line: k.line, character: k.col + Math.floor(k.key.length / 2), what: k.path });
    }
  }
  return out;
}

/**
 * Single-character edit positions in the big file: inside a one-line `description` value (plain or quoted), one
 * per document, in `count` documents spread over the file.
 * @returns {{ line: number, character: number, doc: number, what: string }[]}
 */
export function descriptionEditPositions(keys, docCount, count) {
  const byDoc = new Map();
  for (const k of keys) {
    if (k.key !== 'description' || !k.value || k.value.line !== k.value.endLine) continue;
    if (!['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'].includes(k.value.type)) continue;
    if (!byDoc.has(k.doc)) byDoc.set(k.doc, k);
  }
  const out = [];
  for (let i = 0; i < count; i++) {
    // documents i*step, then the next one that has such a description
    for (let d = Math.floor((i * docCount) / count); d < docCount; d++) {
      const k = byDoc.get(d);
      if (k && !out.some((o) => o.doc === d)) {
        out.push({ line: k.value.line, character: k.value.col + 1, doc: d, what: k.path });
        break;
      }
    }
  }
  return out;
}

/**
 * The documents of the upstream Triggers examples (`examples/**\/*.yaml` of the triggers-examples copy) as texts,
 * split at `---` lines, sorted by path; `[]` when the folder is absent.
 */
export function triggersExampleDocs(triggersDir) {
  const root = join(triggersDir, 'examples');
  if (!existsSync(root)) return [];
  const paths = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) paths.push(p);
    }
  };
  walk(root);
  const docs = [];
  for (const p of paths) {
    for (const part of readFileSync(p, 'utf8').split(/^---[ \t]*$/m)) {
      const body = part.replace(/^\s*\n/, '').replace(/\s+$/, '');
      if (/^kind:/m.test(body)) docs.push({ text: body, rel: relative(triggersDir, p), ...header(body) });
    }
  }
  return docs;
}

/**
 * The mixed big file the performance issue names (about 35k lines in 500 documents): of every 20 documents, 13
 * Pipelines, Tasks and StepActions of the catalog, 4 documents of the upstream Triggers examples (listeners, triggers,
 * bindings, templates and what they install beside them) and 3 generated PipelineRuns and TaskRuns, a third of which
 * reference a Pipeline or Task that is nowhere (unresolved references, with their did-you-mean). Deterministic.
 */
export function buildMixedFile(catalogFiles, triggerDocs, docCount = 500) {
  const tasks = catalogFiles.filter((f) => f.kind === 'Task');
  const pipelines = catalogFiles.filter((f) => f.kind === 'Pipeline');
  const bodies = [];
  let c = 0;
  let t = 0;
  let runs = 0;
  for (let i = 0; i < docCount; i++) {
    const slot = i % 20;
    if (slot < 13 || !triggerDocs.length) {
      const f = catalogFiles[c++ % catalogFiles.length];
      bodies.push({ text: stripLeadingMarker(f.text), apiVersion: f.apiVersion, kind: f.kind, rel: f.rel });
    } else if (slot < 17) {
      const d = triggerDocs[t++ % triggerDocs.length];
      bodies.push({ text: d.text, apiVersion: d.apiVersion, kind: d.kind, rel: d.rel });
    } else {
      const unresolved = runs % 3 === 2;
      const pipelineRun = slot !== 19;
      const target = pipelineRun ? pipelines[runs % pipelines.length] : tasks[(runs * 7) % tasks.length];
      const spec = parse(stripLeadingMarker(target.text))?.spec ?? {};
      const name = parse(stripLeadingMarker(target.text))?.metadata?.name ?? 'unnamed';
      const ref = unresolved ? `${name}-renamed` : name;
      runs++;
      const kind = pipelineRun ? 'PipelineRun' : 'TaskRun';
      // as a user writes a run: every param the target requires, every workspace it declares bound
      const params = (spec.params ?? []).filter((p) => p?.name && p.default === undefined);
      const workspaces = (spec.workspaces ?? []).filter((w) => w?.name && !w.optional);
      const text = [
        'apiVersion: tekton.dev/v1',
        `kind: ${kind}`,
        'metadata:',
        `  generateName: ${ref}-run-`,
        '  labels:',
        `    app.kubernetes.io/part-of: bench-${runs}`,
        'spec:',
        `  ${pipelineRun ? 'pipelineRef' : 'taskRef'}:`,
        `    name: ${ref}`,
        ...(params.length ? ['  params:', ...params.flatMap((p) => [`    - name: ${p.name}`, p.type === 'array' ? '      value: ["a", "b"]' : p.type === 'object' ? '      value: {}' : `      value: "v0.${runs}.0"`])] : []),
        ...(workspaces.length ? ['  workspaces:', ...workspaces.flatMap((w) => [`    - name: ${w.name}`, '      emptyDir: {}'])] : []),
        ...(pipelineRun ? ['  taskRunTemplate:', '    serviceAccountName: pipeline', '  timeouts:', '    pipeline: 1h0m0s'] : ['  serviceAccountName: pipeline', '  timeout: 1h0m0s']),
      ].join('\n');
      bodies.push({ text, apiVersion: 'tekton.dev/v1', kind, rel: `generated ${kind}` });
    }
  }
  const parts = [];
  const docs = [];
  let line = 0;
  bodies.forEach((b, i) => {
    if (i > 0) {
      parts.push('---');
      line += 1;
    }
    docs.push({ startLine: line, apiVersion: b.apiVersion, kind: b.kind, rel: b.rel });
    parts.push(b.text);
    line += b.text.split('\n').length;
  });
  const text = parts.join('\n') + '\n';
  return { text, lineCount: text.split('\n').length - 1, docs };
}
