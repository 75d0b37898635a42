/**
 * "Which PipelineRuns fire?": a `.tekton/` folder's PipelineRuns read as PaC reads them (resolve.go: every
 * PipelineRun of the folder, a document that fails to decode dropped), matched against the event (matcher.ts), and
 * each matched one with its `{{ }}` variables substituted (templating.go ReplacePlaceHoldersVariables with the
 * standard params of customparams/standard.go). Shared by the command line and the language server.
 */
import { stringify } from 'yaml';
import { evaluate } from '../../cel/celService';
import { toPlainData } from '../../document/plain';
import type { YamlResource } from '../../document/tektonDocument';
import { isMap, isScalar, type Node } from '../../document/yamlAst';
import { pacRunName } from '../model';
import { isCelTemplate, STANDARD_VARIABLES, templateCelEnvironment } from '../variables';
import type { PacEvent } from './event';
import { matchPipelineRuns, type ChangedFiles, type MatchOutcome, type PacRunInput } from './matcher';

/** A document of the folder, with where it comes from. */
export interface FolderDocument {
  file: string;
  resource: YamlResource;
}

/** A matched PipelineRun, substituted. */
export interface MatchedRun {
  name: string;
  reason: string;
  file: string;
  /** The PipelineRun as PaC would create it, as YAML. */
  yaml: string;
}

export interface FolderMatch extends MatchOutcome {
  runs: MatchedRun[];
}

const PIPELINERUN_API = new Set(['tekton.dev/v1', 'tekton.dev/v1beta1']);

/** Why Kubernetes' decoder would refuse the metadata (annotations and labels are map[string]string). */
function decodeProblem(resource: YamlResource): string | undefined {
  if (resource.syntaxProblems.some((p) => !p.warning))
    return 'the YAML does not parse: Pipelines-as-Code drops the document';
  const metadata = isMap(resource.root) ? (resource.root.get('metadata', true) as Node | undefined) : undefined;
  for (const field of ['annotations', 'labels']) {
    const map = isMap(metadata) ? (metadata.get(field, true) as Node | undefined) : undefined;
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const v = pair.value as Node | null;
      if (v && !(isScalar(v) && (typeof v.value === 'string' || v.value === null)))
        return `metadata.${field}.${String((pair.key as { value?: unknown })?.value)} is not a string: the document fails to decode and Pipelines-as-Code drops it`;
    }
  }
  return undefined;
}

/** The PipelineRuns of the folder as the matcher takes them. */
export function runInputs(docs: readonly FolderDocument[]): { input: PacRunInput; doc: FolderDocument }[] {
  const out: { input: PacRunInput; doc: FolderDocument }[] = [];
  for (const doc of docs) {
    const r = doc.resource;
    if (r.kind !== 'PipelineRun' || !PIPELINERUN_API.has(r.apiVersion ?? '')) continue;
    const name = pacRunName(r) ?? 'unknown';
    const dropped = decodeProblem(r);
    if (dropped) {
      out.push({ input: { name, dropped }, doc });
      continue;
    }
    const annotations: Record<string, string> = {};
    const metadata = isMap(r.root) ? (r.root.get('metadata', true) as Node | undefined) : undefined;
    const map = isMap(metadata) ? (metadata.get('annotations', true) as Node | undefined) : undefined;
    if (isMap(map))
      for (const pair of map.items) {
        const k = (pair.key as { value?: unknown })?.value;
        const v = pair.value as Node | null;
        if (typeof k === 'string') annotations[k] = isScalar(v) && typeof v.value === 'string' ? v.value : '';
      }
    out.push({ input: { name, annotations }, doc });
  }
  return out;
}

/** customparams/standard.go makeStandardParamsFromEvent, plus pull_request_number and git_auth_secret. */
export function standardParams(event: PacEvent): Record<string, string> {
  const sanitize = (b: string) => b.replace(/^refs\/heads\//, '');
  return {
    revision: event.sha,
    repo_url: event.url,
    repo_owner: event.organization.toLowerCase(),
    repo_name: event.repository.toLowerCase(),
    target_branch: sanitize(event.baseBranch),
    source_branch: sanitize(event.headBranch),
    git_tag: event.baseBranch.startsWith('refs/tags/') ? event.baseBranch.slice('refs/tags/'.length) : '',
    source_url: event.headURL,
    sender: event.sender.toLowerCase(),
    target_namespace: '',
    event_type: event.eventType,
    trigger_comment: event.triggerComment.replaceAll('\r\n', '\\n').replaceAll('\n', '\\n'),
    pull_request_labels: event.labels.join('\\n'),
    ...(event.pullRequestNumber !== undefined && { pull_request_number: String(event.pullRequestNumber) }),
    git_auth_secret: 'pac-gitauth-xxxxx',
  };
}

/** templating.go: each `{{ key }}` replaced; CEL keys evaluated; unknown keys left as written. */
export function substituteTemplate(
  text: string,
  params: Record<string, string>,
  event: PacEvent,
  files: ChangedFiles,
): string {
  return text.replace(/\{\{([^}]{2,})\}\}/g, (whole, inner: string) => {
    const key = inner.trim();
    if (isCelTemplate(key)) {
      const isCel = key.startsWith('cel:');
      const expr = isCel ? key.slice(4).trim() : key;
      const activation: Record<string, unknown> = {
        ...Object.fromEntries([...STANDARD_VARIABLES.keys()].map((k) => [k, params[k] ?? ''])),
        event: event.triggerTarget,
        target_url: event.baseURL,
        event_title: event.triggerTarget === 'push' ? event.shaTitle : event.pullRequestTitle,
        body: event.body,
        headers: event.headers,
        pac: params,
        files: { ...files },
      };
      const r = evaluate(expr, templateCelEnvironment(), activation);
      if ('error' in r) return isCel ? '' : whole;
      const v = r.value;
      return typeof v === 'string'
        ? v
        : typeof v === 'bigint'
          ? v.toString()
          : (JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)) ?? '');
    }
    return Object.hasOwn(params, key) ? params[key] : whole;
  });
}

function substituteData(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => substituteData(x, f));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteData(x, f)]));
  return v;
}

/** Matches the folder's PipelineRuns and substitutes the matched ones. */
export function matchFolder(
  docs: readonly FolderDocument[],
  event: PacEvent,
  files: ChangedFiles,
  customParams: Record<string, string> = {},
): FolderMatch {
  const inputs = runInputs(docs);
  const outcome = matchPipelineRuns(
    inputs.map((i) => i.input),
    event,
    files,
    customParams,
  );
  const params = { ...standardParams(event), ...customParams };
  const runs: MatchedRun[] = [];
  for (const m of outcome.matched) {
    const found = inputs.find((i) => i.input.name === m.name);
    if (!found) continue;
    const plain = toPlainData(found.doc.resource.doc);
    const data =
      'error' in plain ? {} : substituteData(plain.value, (s) => substituteTemplate(s, params, event, files));
    runs.push({ name: m.name, reason: m.reason, file: found.doc.file, yaml: stringify(data) });
  }
  return { ...outcome, runs };
}
