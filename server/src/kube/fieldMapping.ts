/**
 * From API field paths to places in a YAML file: the API server names fields in 422 causes as
 * `spec.params[0].value`, Tekton's webhook as `spec.params[name].value` or `metadata.labels[app.kubernetes.io/x]`;
 * this finds the node (or, when the field is absent from the file because the server defaulted it, the nearest
 * ancestor that is there) with file offsets. It reads the language server's document model, which is vscode-free.
 */
import { toPlainData } from '../document/plain';
import { TektonDocument } from '../document/tektonDocument';
import {
  getValue,
  isMap,
  isScalar,
  isSeq,
  keyName,
  type Node,
  type YAMLMap,
} from '../document/yamlAst';
import type { FieldCause } from './errors';

/** One step of an API field path. */
export type FieldSegment = { key: string } | { index: number } | { bracket: string };

/** A YAML document of a file, as the submission reads it. */
export interface FileResource {
  /** Position among the file's documents (0-based, counting every `---` document). */
  index: number;
  /** File offsets of the document. */
  start: number;
  end: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** The document as a plain object (what gets submitted). */
  object: Record<string, unknown> | undefined;
  /** True when the document has YAML errors (it should not be submitted). */
  hasErrors: boolean;
}

/** Where a field is in a file. */
export interface FieldLocation {
  start: number;
  end: number;
  /** False when only an ancestor of the field is in the file (the offsets point at that ancestor). */
  exact: boolean;
}

/** A field-level API error placed in the file. */
export interface MappedCause extends FieldCause {
  location?: FieldLocation;
}

/** Parses `spec.tasks[0].params[name].value` into segments. Returns [] for an empty or unparsable path. */
export function parseFieldPath(field: string): FieldSegment[] {
  const out: FieldSegment[] = [];
  let i = field.startsWith('.') ? 1 : 0;
  while (i < field.length) {
    if (field[i] === '[') {
      const close = field.indexOf(']', i);
      if (close < 0) return [];
      const inner = field.slice(i + 1, close);
      out.push(/^\d+$/.test(inner) ? { index: Number(inner) } : { bracket: inner });
      i = close + 1;
      if (field[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < field.length && field[j] !== '.' && field[j] !== '[') j++;
    if (j > i) out.push({ key: field.slice(i, j) });
    i = field[j] === '.' ? j + 1 : j;
  }
  return out;
}

/** Every YAML document of a file, with its plain-object form. */
export function readResources(text: string): FileResource[] {
  const doc = new TektonDocument('untitled:submit', 0, text);
  const out: FileResource[] = [];
  for (const { resource, base } of doc.resources()) {
    const range = resource.doc.range;
    const plain = toPlainData(resource.doc);
    const js = 'value' in plain ? plain.value : undefined;
    const object = js && typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>) : undefined;
    out.push({
      index: out.length,
      // the document's content, after any `---` marker and leading comments
      start: base + (resource.root?.range?.[0] ?? range[0]),
      end: base + range[2],
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name: resource.name,
      object,
      hasErrors: resource.syntaxProblems.some((p) => !p.warning),
    });
  }
  return out;
}

/** The document of a file that contains `offset` (for "submit the run under the cursor"). */
export function resourceAt(text: string, offset: number): FileResource | undefined {
  const all = readResources(text);
  return all.find((r) => r.start <= offset && offset <= r.end) ?? all.filter((r) => r.start <= offset).pop();
}

/** Finds a field of document `documentIndex` in a file, or its nearest ancestor present. */
export function locateField(text: string, documentIndex: number, field: string): FieldLocation | undefined {
  const doc = new TektonDocument('untitled:submit', 0, text);
  let n = 0;
  for (const { resource, base } of doc.resources()) {
    if (n++ !== documentIndex) continue;
    const root = resource.root;
    if (!root) return undefined;
    const found = walk(root, parseFieldPath(field));
    const r = found.range;
    return r ? { start: base + r[0], end: base + r[1], exact: found.exact } : undefined;
  }
  return undefined;
}

/**
 * Places each cause in the file. `rewrite` turns a field of the submitted object into a field of the document when
 * they differ (a PipelineRun built from a Pipeline: `spec.pipelineSpec.tasks[0]` → `spec.tasks[0]`); it returns
 * undefined for fields with no counterpart, which are then placed on the document's first line.
 */
export function mapCauses(
  text: string,
  documentIndex: number,
  causes: readonly FieldCause[],
  rewrite: (field: string) => string | undefined = (f) => f,
): MappedCause[] {
  const resource = readResources(text)[documentIndex];
  return causes.map((cause) => {
    const field = cause.field ? rewrite(cause.field) : undefined;
    const location = field ? locateField(text, documentIndex, field) : undefined;
    if (location) return { ...cause, location };
    if (!resource) return { ...cause };
    const firstLineEnd = text.indexOf('\n', resource.start);
    return {
      ...cause,
      location: {
        start: resource.start,
        end: firstLineEnd < 0 ? resource.end : Math.min(firstLineEnd, resource.end),
        exact: false,
      },
    };
  });
}

/** Walks the path; the range is the value (scalars) or the key (collections) of the deepest node reached. */
function walk(root: Node, path: FieldSegment[]): { range?: [number, number]; exact: boolean } {
  let node: Node | undefined = root;
  let best: [number, number] | undefined = rangeOf(root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    let next: Node | undefined;
    let keyRange: [number, number] | undefined;
    if ('index' in seg) {
      next = isSeq(node) ? ((node.items[seg.index] ?? undefined) as Node | undefined) : undefined;
    } else if ('key' in seg) {
      const pair = isMap(node) ? findPair(node, seg.key) : undefined;
      next = (pair?.value ?? undefined) as Node | undefined;
      keyRange = rangeOf(pair?.key as Node | undefined);
    } else if (isSeq(node)) {
      // `[name]` on a list: Tekton's ViaFieldKey names list items by their `name`
      next = node.items.find((item) => {
        const v = getValue(item, 'name');
        return isScalar(v) && String(v.value) === seg.bracket;
      }) as Node | undefined;
    } else if (isMap(node)) {
      const pair = findPair(node, seg.bracket);
      next = (pair?.value ?? undefined) as Node | undefined;
      keyRange = rangeOf(pair?.key as Node | undefined);
    }
    if (!next) return { range: best, exact: false };
    node = next;
    const last = i === path.length - 1;
    best = last && isScalar(next) ? rangeOf(next) : (keyRange ?? firstLine(next));
  }
  return { range: best, exact: true };
}

function findPair(map: YAMLMap, key: string) {
  return map.items.find((p) => keyName(p) === key);
}

function rangeOf(node: Node | undefined | null): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** For a collection reached without a key (a list item), its first scalar keeps the highlight to one line. */
function firstLine(node: Node): [number, number] | undefined {
  if (isMap(node) && node.items[0]) return rangeOf(node.items[0].key as Node) ?? rangeOf(node);
  return rangeOf(node);
}
