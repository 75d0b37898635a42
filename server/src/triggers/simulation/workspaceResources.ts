/**
 * The Triggers resources of a workspace, as the EventListener's listers would see them in a cluster: Triggers,
 * (Cluster)TriggerBindings, TriggerTemplates, (Cluster)Interceptors, EventListeners and v1 Secrets, looked up by
 * kind, namespace and name, plus the label and namespace selection the EventListener does.
 *
 * Resources without `metadata.namespace` are in the default namespace (`default`, as `kubectl apply` would put
 * them). Each resource keeps its YAML source so that results can point at the text responsible.
 */
import { nodeAtPath, type YamlPath } from '../../document/yamlAst';
import { toPlainData } from '../../document/plain';
import { TRIGGERS_GROUP, TRIGGERS_KINDS } from '../../document/resourceKind';
import type { LocalSecrets, SourceRange, SourceResource } from './types';

/** Cluster-scoped kinds: looked up without a namespace. */
const CLUSTER_SCOPED = new Set(['ClusterTriggerBinding', 'ClusterInterceptor']);

const TRIGGERS_KIND_SET = new Set<string>(TRIGGERS_KINDS);

/** A place in a resource's YAML: the resource and the path from its root. */
export interface Loc {
  src: SourceResource;
  path: YamlPath;
}

/** One workspace resource with its content as plain data. */
export interface Entry {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The whole document as plain data (`yaml` toJS). */
  obj: Record<string, unknown>;
  loc: Loc;
}

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, unknown>;
  matchExpressions?: { key?: unknown; operator?: unknown; values?: unknown }[];
}

/** The file range of the node at `path` below `loc`, if the node exists. */
export function rangeAt(loc: Loc | undefined, ...path: YamlPath): SourceRange | undefined {
  if (!loc) return undefined;
  const node = nodeAtPath(loc.src.resource.root, [...loc.path, ...path]);
  const r = node?.range;
  if (!r) return undefined;
  // A block collection's value runs to the next line's start: ending the range on its last character puts the
  // editor's cursor on the node when it is selected, not on the line after.
  const text = loc.src.resource.text;
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1] ?? '')) end--;
  return { uri: loc.src.uri, start: loc.src.base + r[0], end: loc.src.base + end };
}

/** A Loc one step further down. */
export function child(loc: Loc, ...path: YamlPath): Loc {
  return { src: loc.src, path: [...loc.path, ...path] };
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = String(x);
  }
  return out;
}

/**
 * Plain data of a YAML document, computed once per document text (aliases resolved), or why the document was refused
 * (too deep, too many nodes, a collection as a key: see document/plain.ts).
 */
function toPlain(src: SourceResource): { obj?: Record<string, unknown>; refused?: string } {
  return src.resource.memo('triggers.plain', () => {
    const plain = toPlainData(src.resource.doc);
    if ('error' in plain) return { refused: plain.error };
    const v = plain.value;
    return v && typeof v === 'object' && !Array.isArray(v) ? { obj: v as Record<string, unknown> } : {};
  });
}

/** Index of a workspace's Triggers resources and Secrets. */
export class WorkspaceResources {
  private readonly byKind = new Map<string, Entry[]>();
  /** Triggers resources and Secrets left out because their YAML could not be converted, with the reason. */
  readonly refused: { src: SourceResource; reason: string }[] = [];

  constructor(
    sources: readonly SourceResource[],
    readonly defaultNamespace = 'default',
  ) {
    for (const src of sources) this.add(src);
  }

  /** Adds one document; documents that are not Triggers resources or v1 Secrets are ignored. */
  add(src: SourceResource): Entry | undefined {
    const r = src.resource;
    const kind = r.kind;
    if (!kind || !r.apiVersion) return undefined;
    const isTriggers = TRIGGERS_KIND_SET.has(kind) && r.apiVersion.startsWith(`${TRIGGERS_GROUP}/`);
    const isSecret = kind === 'Secret' && r.apiVersion === 'v1';
    if (!isTriggers && !isSecret) return undefined;
    const { obj, refused } = toPlain(src);
    if (refused && !this.refused.some((r) => r.src === src)) this.refused.push({ src, reason: refused });
    if (!obj) return undefined;
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    const name = typeof meta.name === 'string' ? meta.name : '';
    const namespace = CLUSTER_SCOPED.has(kind)
      ? ''
      : typeof meta.namespace === 'string' && meta.namespace
        ? meta.namespace
        : this.defaultNamespace;
    const entry: Entry = {
      kind,
      apiVersion: r.apiVersion,
      name,
      namespace,
      labels: stringMap(meta.labels),
      annotations: stringMap(meta.annotations),
      obj,
      loc: { src, path: [] },
    };
    const list = this.byKind.get(kind);
    if (list) list.push(entry);
    else this.byKind.set(kind, [entry]);
    return entry;
  }

  /** All entries of a kind, in workspace order. */
  list(kind: string): readonly Entry[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The resource of `kind` named `name` (in `namespace` for namespaced kinds). The first one wins. */
  find(kind: string, name: string, namespace: string): Entry | undefined {
    const cluster = CLUSTER_SCOPED.has(kind);
    return this.list(kind).find((e) => e.name === name && (cluster || e.namespace === namespace));
  }

  /**
   * Triggers chosen by an EventListener's (or trigger group's) `namespaceSelector` and `labelSelector`, as upstream
   * `selectTriggers`: `matchNames: ['*']` means every namespace; no selector at all selects nothing.
   */
  selectTriggers(
    namespaceSelector: { matchNames?: unknown } | undefined,
    labelSelector: LabelSelector | undefined,
    elNamespace: string,
  ): { triggers: Entry[] } | { error: string } {
    const names = Array.isArray(namespaceSelector?.matchNames) ? namespaceSelector!.matchNames.map(String) : [];
    let matches: (labels: Record<string, string>) => boolean = () => true;
    if (labelSelector) {
      const m = compileSelector(labelSelector);
      if ('error' in m) return { error: `failed to create label selector: ${m.error}` };
      matches = m.matches;
    }
    const triggers = this.list('Trigger');
    let inScope: (e: Entry) => boolean;
    if (names.length === 1 && names[0] === '*') inScope = () => true;
    else if (names.length > 0) inScope = (e) => names.includes(e.namespace);
    else if (labelSelector) inScope = (e) => e.namespace === elNamespace;
    else return { triggers: [] };
    return { triggers: triggers.filter((e) => inScope(e) && matches(e.labels)) };
  }

  /**
   * A Secret key, as an interceptor's SecretGetter reads it in the trigger's namespace: local values first (by
   * `namespace/name`, then `name`), then workspace Secrets (`stringData` over base64 `data`). Errors use the
   * Kubernetes wording and never include a value.
   */
  secret(
    namespace: string,
    name: string,
    key: string,
    local: LocalSecrets | undefined,
  ): { value: Buffer } | { error: string } {
    const localSecret = local?.[`${namespace}/${name}`] ?? local?.[name];
    if (localSecret && Object.prototype.hasOwnProperty.call(localSecret, key))
      return { value: Buffer.from(String(localSecret[key]), 'utf8') };
    const entry = this.find('Secret', name, namespace);
    if (!entry) {
      if (localSecret) return { error: `cannot find ${key} key in secret ${namespace}/${name}` };
      return { error: `secrets "${name}" not found` };
    }
    const stringData = entry.obj.stringData as Record<string, unknown> | undefined;
    if (stringData && typeof stringData === 'object' && Object.prototype.hasOwnProperty.call(stringData, key)) {
      return { value: Buffer.from(String(stringData[key] ?? ''), 'utf8') };
    }
    const data = entry.obj.data as Record<string, unknown> | undefined;
    if (data && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, key)) {
      return { value: Buffer.from(String(data[key] ?? ''), 'base64') };
    }
    return { error: `cannot find ${key} key in secret ${namespace}/${name}` };
  }
}

/** Compiles a LabelSelector (metav1.LabelSelectorAsSelector semantics). */
export function compileSelector(
  sel: LabelSelector,
): { matches: (labels: Record<string, string>) => boolean } | { error: string } {
  const reqs: ((l: Record<string, string>) => boolean)[] = [];
  if (sel.matchLabels && typeof sel.matchLabels === 'object') {
    for (const [k, v] of Object.entries(sel.matchLabels)) {
      const want = String(v);
      reqs.push((l) => l[k] === want);
    }
  }
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    const key = String(e?.key ?? '');
    const op = String(e?.operator ?? '');
    const values = Array.isArray(e?.values) ? e.values.map(String) : [];
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return { error: `for '${op.toLowerCase()}' operator, values set can't be empty` };
        reqs.push(
          op === 'In' ? (l) => key in l && values.includes(l[key]) : (l) => !(key in l) || !values.includes(l[key]),
        );
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return { error: `values set must be empty for exists and does not exist` };
        reqs.push(op === 'Exists' ? (l) => key in l : (l) => !(key in l));
        break;
      default:
        return { error: `"${op}" is not a valid label selector operator` };
    }
  }
  return { matches: (labels) => reqs.every((r) => r(labels)) };
}
