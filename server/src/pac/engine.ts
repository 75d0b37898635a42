/**
 * Pipelines-as-Code (tektoncd/pipelines-as-code): the `.tekton/` folder as a language. A PaC PipelineRun is a Tekton
 * PipelineRun the Pipelines engine owns and checks; this engine augments it (engine.ts `augments`) with the rules of
 * its `pipelinesascode.tekton.dev/` annotations (rules.ts), `on-cel-expression` as CEL in PaC's environment, `{{ }}`
 * variables (variables.ts), completion and hover (features.ts). It owns the `Repository` resource of
 * `pipelinesascode.tekton.dev`, whose custom params are `{{ }}` variables. Matching events to runs is match/.
 */
import type { Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, isSeq } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine, type FeatureContext, type Lens } from '../engine';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { pacComplete, pacHover } from './features';
import { annotation, isPacPipelineRun, pacAnnotations, pacRunName } from './model';
import { parseAnnotationValues } from './annotations';
import { scalarMap } from '../document/scalarMap';
import { checkPacPipelineRun, duplicateNameProblems, nameRange } from './rules';
import { checkTemplateVariables } from './variables';
import { checkExpression } from '../cel/celService';
import { createEnvironment, getEnvironmentSpec, type CelEnvironment } from '../cel/environments';

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

function summarizeRepository(resource: YamlResource): RepositorySummary {
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

/**
 * The GitHub events an on-cel-expression runs on, for `body.` completion and hover: those it tests (`event == "push"`,
 * `headers['x-github-event'] == "…"`), else the two PaC matches GitHub webhooks to.
 */
function githubEventsOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(
    /\b(?:event|event_type|headers\s*\[\s*['"]x-github-event['"]\s*\])\s*==\s*['"]([a-z_]+)['"]/g,
  ))
    if (m[1] === 'pull_request' || m[1] === 'push' || m[1] === 'issue_comment') out.add(m[1]);
  return out.size ? [...out] : ['pull_request', 'push'];
}

function celRegions(resource: YamlResource): CelRegion[] {
  const cel = annotation(resource, 'on-cel-expression');
  if (!cel || !isScalar(cel.valueNode) || !cel.isString) return [];
  const region = celRegion('pac-match', 'pac', cel.valueNode, resource.text);
  return [{ ...region, deferUndeclared: true, githubEvents: githubEventsOf(region.text) }];
}

/**
 * `task`/`pipeline` values that are paths of the repository (annotation_tasks_install.go: a value with "/" and no
 * "://"): resolved from the repository root (the folder holding `.tekton/`) against the workspace index. A path whose
 * file holds no Task (Pipeline) in the workspace is a warning: PaC fails the run when it cannot fetch it.
 */
function repositoryPathProblems(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[] {
  if (!uri.includes('/.tekton/')) return [];
  const root = uri.slice(0, uri.indexOf('/.tekton/') + 1);
  const out: Problem[] = [];
  for (const a of pacAnnotations(resource)) {
    const kind = a.key === 'pipeline' ? 'Pipeline' : /^task(-\d+)?$/.test(a.key) ? 'Task' : undefined;
    if (!kind || !a.isString || a.value === undefined || !isScalar(a.valueNode)) continue;
    const parsed = parseAnnotationValues(a.value);
    if ('error' in parsed) continue;
    for (const item of parsed.items) {
      if (!item.value.includes('/') || item.value.includes('://')) continue;
      const target = root + item.value.replace(/^\.?\//, '');
      if (index.all(kind).some((r) => r.uri === target)) continue;
      const r = scalarMap(a.valueNode, resource.text).toSource(item.start, item.end);
      out.push({
        ...r,
        severity: 'warning',
        code: 'pac-remote-not-found',
        source: 'tekton',
        message: `No ${kind} in the workspace at ${item.value} (from the repository root): Pipelines-as-Code fails the run when it cannot fetch it`,
      });
    }
  }
  return out;
}

/** resolve.go pipelineRunsWithSameName across the files of one `.tekton/` folder (within a file: rules.ts). */
function sameNameInFolder(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[] {
  const at = uri.indexOf('/.tekton/');
  const name = pacRunName(resource);
  const range = nameRange(resource);
  if (at < 0 || !name || !range) return [];
  const folder = uri.slice(0, at + '/.tekton/'.length);
  const others = index.all('PipelineRun').filter((r) => r.name === name && r.uri !== uri && r.uri.startsWith(folder));
  if (!others.length) return [];
  const where = others.map((r) => r.uri.slice(folder.length)).join(', ');
  return [
    {
      ...range,
      severity: 'error',
      code: 'pac-duplicate-name',
      source: 'tekton',
      message: `${where} holds another PipelineRun named "${name}": Pipelines-as-Code fails the event ("found multiple pipelinerun in .tekton with the same name") and runs none`,
    },
  ];
}

const hasRepository = (index: WorkspaceIndex) =>
  index.all('Repository').some((r) => r.apiVersion.startsWith('pipelinesascode.tekton.dev/'));

/** Same-name PaC PipelineRuns in other files of the same folder (resolve.go reads `.tekton/` recursively as one set). */
function crossFile(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[] {
  if (!isPacPipelineRun(resource)) return [];
  const celProblems: Problem[] = [];
  const params = customParamsOf(index);
  celProblems.push(...repositoryPathProblems(resource, index, uri), ...sameNameInFolder(resource, index, uri));
  const out = checkTemplateVariables(resource, new Set(params)).filter((p) => p.code === 'pac-unknown-variable');
  for (const region of celRegions(resource))
    for (const d of checkExpression(region.text, pacCelEnvironment(params)).diagnostics) {
      if (d.code !== 'cel-undeclared-reference') continue;
      const r = region.map.toSource(d.start, Math.max(d.end, d.start));
      // Without a Repository in the workspace, the name may be one of its custom params: probably, not certainly, wrong.
      const known = hasRepository(index);
      const message = `${d.message}${known ? '' : '; unless a custom param of the Repository declares it (no Repository resource in the workspace)'}`;
      celProblems.push({
        start: r.start,
        end: Math.max(r.end, r.start + 1),
        message,
        code: d.code,
        severity: known ? d.severity : 'warning',
        source: 'cel',
      });
    }
  // Without a Repository in the workspace its custom params are unknown: the name may well be one of them.
  if (!hasRepository(index))
    return [
      ...celProblems,
      ...out.map((p) => ({
        ...p,
        severity: 'information' as const,
        message: `${p.message} (unless the Repository declares it in spec.params; no Repository resource in the workspace)`,
      })),
    ];
  return [...celProblems, ...out];
}

export const pacEngine: Engine = {
  id: 'pac',
  owns: isPacRepository,
  augments: isPacPipelineRun,
  schemaChecked: false,
  rules: (resource) => (isPacPipelineRun(resource) ? checkPacPipelineRun(resource) : []),
  celRegions,
  fileRules: duplicateNameProblems,
  summarize: (resource) => (isPacRepository(resource) ? summarizeRepository(resource) : undefined),
  crossFile,
  complete: (doc, offset, ctx) => pacComplete(doc, offset, customParamsOf(ctx.index)),
  hover: (doc, offset, ctx) => pacHover(doc, offset, customParamsOf(ctx.index)),
  codeLenses: whichRunsFireLenses,
};

/** "▶ Which PipelineRuns fire?" over each PaC PipelineRun; the client's `tekton.pacWhichRunsFire` takes the file. */
function whichRunsFireLenses(doc: TektonDocument, ctx: FeatureContext): Lens[] {
  const out: Lens[] = [];
  for (const { resource, base } of doc.resources()) {
    if (!isPacPipelineRun(resource)) continue;
    const at = base + (resource.root?.range?.[0] ?? 0);
    const title = `▶ Which PipelineRuns fire?${ctx.sampleLabel !== undefined ? ` (${ctx.sampleLabel})` : ''}`;
    out.push({ start: at, end: at, title, command: 'tekton.pacWhichRunsFire', arguments: [doc.uri] });
  }
  return out;
}
