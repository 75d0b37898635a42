/**
 * The Pipelines-as-Code `Repository` resource (pipelinesascode.tekton.dev/v1alpha1) as the workspace index keeps it:
 * its URL and custom params, which are `{{ }}` variables and on-cel-expression variables (pkg/customparams,
 * pkg/matcher/cel.go); and PaC's CEL environment with those params declared.
 */
import { createEnvironment, getEnvironmentSpec, type CelEnvironment } from '../cel/environments';
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, isSeq } from '../document/yamlAst';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

const envCache = new Map<string, CelEnvironment>();

/** PaC's CEL environment with the Repository custom params as string variables (cel.go: `k` declared as string). */
export function pacCelEnvironment(params: readonly string[]): CelEnvironment | 'pac' {
  const standard = new Set(getEnvironmentSpec('pac').variables.map((v) => v.name));
  const extra = params.filter((p) => !standard.has(p) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)).sort();
  if (!extra.length) return 'pac';
  const key = extra.join(',');
  let env = envCache.get(key);
  if (!env) {
    if (envCache.size > 32) envCache.clear();
    const spec = getEnvironmentSpec('pac');
    env = createEnvironment({
      ...spec,
      variables: [
        ...spec.variables,
        ...extra.map((name) => ({ name, type: 'string', doc: 'A custom param of the Repository (spec.params).' })),
      ],
    });
    envCache.set(key, env);
  }
  return env;
}

/** True for a Pipelines-as-Code Repository (pipelinesascode.tekton.dev/v1alpha1). */
export function isPacRepository(resource: YamlResource): boolean {
  return resource.kind === 'Repository' && (resource.apiVersion ?? '').startsWith('pipelinesascode.tekton.dev/');
}

/**
 * What the index keeps of a Repository: its URL, its custom param names, and the values written as plain `value`s
 * without a `filter` (a `secret_ref` value is never read: it is a secret's, and a filter needs the event).
 */
export interface RepositorySummary {
  url?: string;
  params: string[];
  values: Record<string, string>;
}

export function summarizeRepository(resource: YamlResource): RepositorySummary {
  const spec = getValue(resource.root, 'spec');
  const params = getValue(spec, 'params');
  const url = getValue(spec, 'url');
  const names: string[] = [];
  const values: Record<string, string> = {};
  if (isSeq(params))
    for (const p of params.items) {
      const n = getValue(p, 'name');
      if (!isScalar(n) || typeof n.value !== 'string') continue;
      names.push(n.value);
      const v = getValue(p, 'value');
      if (isScalar(v) && typeof v.value === 'string' && !getValue(p, 'filter') && !getValue(p, 'secret_ref'))
        values[n.value] = v.value;
    }
  return { url: isScalar(url) && typeof url.value === 'string' ? url.value : undefined, params: names, values };
}

/** The custom params of the workspace's Repository for a repository URL (customparams: the Repository matched by URL). */
export function customParamValues(index: WorkspaceIndex | undefined, url: string): Record<string, string> {
  const norm = (u: string) =>
    u
      .toLowerCase()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  for (const r of index?.all('Repository') ?? []) {
    const summary = r.summary as RepositorySummary | undefined;
    if (summary?.url && url && norm(summary.url) === norm(url)) return { ...summary.values };
  }
  return {};
}

/** The custom params of every Repository of the workspace. */
export function customParamsOf(index: WorkspaceIndex | undefined): string[] {
  const out = new Set<string>();
  for (const r of index?.all('Repository') ?? [])
    for (const p of (r.summary as RepositorySummary | undefined)?.params ?? []) out.add(p);
  return [...out];
}

/** True when the workspace holds a PaC Repository (whose custom params may declare names). */
export const hasRepository = (index: WorkspaceIndex) =>
  index.all('Repository').some((r) => r.apiVersion.startsWith('pipelinesascode.tekton.dev/'));
