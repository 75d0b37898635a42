import { YamlResource } from '../document/tektonDocument';
import { getString, getValue, isMap, isScalar, isSeq, keyName, Node } from '../document/yamlAst';

/** The kinds a reference field can point to. */
export type ReferencedKind =
  | 'Task'
  | 'Pipeline'
  | 'StepAction'
  | 'TriggerBinding'
  | 'ClusterTriggerBinding'
  | 'TriggerTemplate'
  | 'Trigger'
  | 'ClusterInterceptor'
  | 'Interceptor';

/** A by-name reference from one resource to another, with the offsets of the name (relative to the chunk). */
export interface ResourceReference {
  kind: ReferencedKind;
  name: string;
  start: number;
  end: number;
  /** Set when the reference goes through a resolver or a bundle: it cannot be followed in the workspace. */
  remote?: string;
}

const MAX_DEPTH = 64;

/**
 * Finds the reference fields of a document: `taskRef`/`pipelineRef` (Pipelines, runs, and runs inside
 * TriggerTemplates), step `ref` (StepActions), Trigger `bindings[].ref`, `template.ref`, `triggerRef` and interceptor
 * `ref.name`. One walk over the tree; the parent key tells what a `ref` means.
 */
export function extractReferences(resource: YamlResource): ResourceReference[] {
  const out: ResourceReference[] = [];
  const visit = (node: Node | undefined, parentKey: string | undefined, depth: number): void => {
    if (!node || depth > MAX_DEPTH) return;
    if (isSeq(node)) {
      for (const item of node.items) visit(item as Node, parentKey, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = keyName(pair);
      const value = (pair.value ?? undefined) as Node | undefined;
      if (key === undefined || !value) continue;
      const ref = referenceAt(key, value, parentKey, node);
      if (ref) out.push(ref);
      visit(value, key, depth + 1);
    }
  };
  visit(resource.root, undefined, 0);
  return out;
}

function referenceAt(key: string, value: Node, parentKey: string | undefined, owner: Node): ResourceReference | undefined {
  if ((key === 'taskRef' || key === 'pipelineRef') && isMap(value)) {
    const kind = getString(value, 'kind');
    // Custom tasks (apiVersion set) and the removed ClusterTask are not workspace resources.
    if (getString(value, 'apiVersion') || (kind && kind !== 'Task' && kind !== 'Pipeline')) return undefined;
    const remote = getString(value, 'resolver') ?? (getString(value, 'bundle') ? 'bundles' : undefined);
    return named(key === 'taskRef' ? 'Task' : 'Pipeline', getValue(value, 'name') ?? value, remote);
  }
  if (key === 'ref' && parentKey === 'steps' && isMap(value)) {
    return named('StepAction', getValue(value, 'name') ?? value, getString(value, 'resolver'));
  }
  if (key === 'ref' && parentKey === 'bindings' && isScalar(value)) {
    const kind = getString(owner, 'kind') === 'ClusterTriggerBinding' ? 'ClusterTriggerBinding' : 'TriggerBinding';
    return named(kind, value);
  }
  if (key === 'ref' && parentKey === 'template' && isScalar(value)) return named('TriggerTemplate', value);
  if (key === 'triggerRef' && isScalar(value)) return named('Trigger', value);
  if (key === 'ref' && parentKey === 'interceptors' && isMap(value)) {
    const kind = getString(value, 'kind');
    return named(kind === 'NamespacedInterceptor' || kind === 'Interceptor' ? 'Interceptor' : 'ClusterInterceptor', getValue(value, 'name') ?? value);
  }
  return undefined;
}

function named(kind: ReferencedKind, node: Node, remote?: string): ResourceReference | undefined {
  if (!node.range) return undefined;
  const name = isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : '';
  if (!remote && !name) return undefined;
  return { kind, name, start: node.range[0], end: node.range[1], ...(remote ? { remote } : {}) };
}
