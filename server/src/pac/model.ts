/**
 * What Pipelines-as-Code sees of a document: a PipelineRun (tekton.dev v1 or v1beta1) carrying at least one
 * `pipelinesascode.tekton.dev/` annotation, with its annotations as written (key and value nodes, offsets relative to
 * the document's chunk).
 */
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isMap, isScalar, type Node, type Pair, type Scalar } from '../document/yamlAst';
import { PAC_PREFIX } from './annotations';

/** One `pipelinesascode.tekton.dev/…` annotation of a PipelineRun. */
export interface PacAnnotation {
  /** The key without the prefix. */
  key: string;
  keyNode: Scalar;
  /** The value node (a string scalar when PaC can read it; anything else makes the document fail to decode). */
  valueNode: Node | undefined;
  /** The decoded string value, when the value is a scalar (YAML `5` or `true` read as text, as Go's decoder does not). */
  value: string | undefined;
  /** True when the value is a string scalar (quoted, plain text or block). */
  isString: boolean;
}

const PAC_API_VERSIONS = new Set(['tekton.dev/v1', 'tekton.dev/v1beta1']);

/** The annotations map of a document's metadata, if any. */
export function annotationsMap(resource: YamlResource): Node | undefined {
  return getValue(getValue(resource.root, 'metadata'), 'annotations');
}

/** Every `pipelinesascode.tekton.dev/` annotation of a document (any kind), in source order. */
export function pacAnnotations(resource: YamlResource): PacAnnotation[] {
  return resource.memo('pac.annotations', () => {
    const map = annotationsMap(resource);
    if (!isMap(map)) return [];
    const out: PacAnnotation[] = [];
    for (const pair of map.items as Pair[]) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string' || !keyNode.value.startsWith(PAC_PREFIX)) continue;
      const valueNode = (pair.value ?? undefined) as Node | undefined;
      const scalar = isScalar(valueNode) ? valueNode : undefined;
      const isString = !!scalar && typeof scalar.value === 'string';
      const value = scalar && scalar.value !== null ? String(scalar.value) : undefined;
      out.push({ key: keyNode.value.slice(PAC_PREFIX.length), keyNode, valueNode, value, isString });
    }
    return out;
  });
}

/** True for a PipelineRun PaC reads: tekton.dev/v1 or v1beta1 with any `pipelinesascode.tekton.dev/` annotation. */
export function isPacPipelineRun(resource: YamlResource): boolean {
  return (
    resource.kind === 'PipelineRun' &&
    PAC_API_VERSIONS.has(resource.apiVersion ?? '') &&
    pacAnnotations(resource).length > 0
  );
}

/** The annotation of a key (without prefix), if written. */
export function annotation(resource: YamlResource, key: string): PacAnnotation | undefined {
  return pacAnnotations(resource).find((a) => a.key === key);
}

/** The name PaC knows a run by (matcher.go getName): generateName first, then name. */
export function pacRunName(resource: YamlResource): string | undefined {
  const metadata = getValue(resource.root, 'metadata');
  const read = (k: string) => {
    const v = getValue(metadata, k);
    return isScalar(v) && v.value !== null && v.value !== '' ? String(v.value) : undefined;
  };
  return read('generateName') ?? read('name');
}
