/**
 * The `{{ }}` variables Pipelines-as-Code substitutes in a PipelineRun before creating it (tektoncd/pipelines-as-code
 * `pkg/templates/templating.go` ReplacePlaceHoldersVariables over `keys.ParamsRe` = `{{([^}]{2,})}}`): the standard
 * params (`pkg/customparams/standard.go`, plus `pull_request_number` and `git_auth_secret`), the Repository's custom
 * params, `body.…`/`headers.…`/`files.…` and `{{ cel: … }}` evaluated as CEL in the template environment of
 * `pkg/cel/cel.go` Value (which, unlike on-cel-expression's, loads ext.Strings and ext.Lists). An unknown name is left
 * as written in the created PipelineRun.
 */
import { checkExpression } from '../cel/celService';
import { createEnvironment, type CelEnvironment } from '../cel/environments';
import { didYouMean, type Problem } from '../document/problem';
import { scalarMap } from '../document/scalarMap';
import type { YamlResource } from '../document/tektonDocument';
import { isMap, isScalar, isSeq, type Node } from '../document/yamlAst';

/** The standard variables, with what each holds. */
export const STANDARD_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['revision', 'The commit SHA the run is for.'],
  ['repo_url', 'The repository URL (clone URL on Bitbucket Data Center).'],
  ['repo_owner', 'The repository owner (organisation or user), lower-cased.'],
  ['repo_name', 'The repository name, lower-cased.'],
  ['target_branch', 'The branch the pull request targets, or the pushed branch (without `refs/heads/`).'],
  ['source_branch', 'The pull request head branch, or the pushed branch (without `refs/heads/`).'],
  ['git_tag', 'The tag of a tag push (`refs/tags/` removed), empty otherwise.'],
  ['source_url', 'The URL of the repository the change comes from (a fork for fork pull requests).'],
  ['sender', 'The login of the user who triggered the event, lower-cased.'],
  ['target_namespace', 'The namespace of the matched Repository, where the PipelineRun runs.'],
  [
    'event_type',
    'The event type: `pull_request`, `push`, `incoming`, or the GitOps comment type (`retest-comment`, `on-comment`, …).',
  ],
  ['trigger_comment', 'The comment that triggered the run (GitOps command or on-comment), new lines written as `\\n`.'],
  ['pull_request_labels', 'The pull request labels, separated by `\\n`.'],
  ['pull_request_number', 'The pull request number (on a push: of the pull request the commit belongs to, if any).'],
  ['git_auth_secret', 'The name of the Secret PaC creates with the git token (basic-auth for git-clone).'],
]);

/** A `{{ … }}` of a string scalar: the key trimmed, and offsets of the whole match and of the key in the decoded value. */
export interface TemplateUse {
  key: string;
  start: number;
  end: number;
  keyStart: number;
  keyEnd: number;
  node: Node;
}

const PARAMS_RE = /\{\{([^}]{2,})\}\}/g;

/** Every `{{ }}` of the document's string scalars (keys of maps are not substituted: they are, as JSON, too). */
export function templateUses(resource: YamlResource): TemplateUse[] {
  return resource.memo('pac.templates', () => {
    const out: TemplateUse[] = [];
    const visit = (node: Node | null | undefined, depth: number) => {
      if (!node || depth > 64) return;
      if (isMap(node)) for (const p of node.items) visit(p.value as Node, depth + 1);
      else if (isSeq(node)) for (const item of node.items) visit(item as Node, depth + 1);
      else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('{{'))
        for (const m of node.value.matchAll(PARAMS_RE)) {
          const lead = m[1].length - m[1].trimStart().length;
          const key = m[1].trim();
          const keyStart = m.index! + 2 + lead;
          out.push({
            key,
            start: m.index!,
            end: m.index! + m[0].length,
            keyStart,
            keyEnd: keyStart + key.length,
            node,
          });
        }
    };
    // Annotations are substituted too (the whole PipelineRun is templated as JSON), but PaC's own are matching rules.
    visit(resource.root, 0);
    return out;
  });
}

let templateEnv: CelEnvironment | undefined;

/** The environment of `{{ cel: … }}`, `{{ body.… }}`, `{{ headers.… }}` and `{{ files.… }}` (pkg/cel/cel.go Value). */
export function templateCelEnvironment(): CelEnvironment {
  const s = (name: string, doc: string) => ({ name, type: 'string', doc });
  templateEnv ??= createEnvironment({
    id: 'pac-template',
    title: 'Pipelines-as-Code {{ cel: }} templates',
    libraries: ['strings', 'lists'],
    variables: [
      { name: 'body', type: 'map(string, dyn)', doc: 'The webhook payload.' },
      { name: 'headers', type: 'map(string, dyn)', doc: 'The request headers (first value of each).' },
      { name: 'pac', type: 'map(string, dyn)', doc: 'The standard and custom params by name.' },
      { name: 'files', type: 'map(string, dyn)', doc: 'The changed files: all, added, deleted, modified, renamed.' },
      ...['event', 'event_type', 'target_branch', 'source_branch', 'target_url', 'source_url', 'event_title'].map((n) =>
        s(n, `The event's ${n}.`),
      ),
      ...[...STANDARD_VARIABLES]
        .filter(([n]) => !['event_type', 'target_branch', 'source_branch', 'source_url'].includes(n))
        .map(([n, d]) => s(n, d)),
    ],
  });
  return templateEnv;
}

/** True for a key evaluated as CEL (templating.go: prefix `body`, `headers`, `files` or `cel:`). */
export function isCelTemplate(key: string): boolean {
  return key.startsWith('cel:') || key.startsWith('body') || key.startsWith('headers') || key.startsWith('files');
}

/**
 * The problems of the `{{ }}` variables of a PaC PipelineRun: an unknown name (left literal in the created run: a
 * warning with did-you-mean among the standard and the workspace's custom params), and CEL that does not compile.
 * Keys that are not a plain name (`{{ .Values.x }}` of another template language) are not ours and stay quiet.
 */
export function checkTemplateVariables(resource: YamlResource, customParams?: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  for (const use of templateUses(resource)) {
    if (!isScalar(use.node)) continue;
    const map = scalarMap(use.node, resource.text);
    if (isCelTemplate(use.key)) {
      const cel = use.key.startsWith('cel:') ? use.key.slice(4) : use.key;
      const offset = use.keyStart + (use.key.length - cel.length);
      const result = checkExpression(cel, templateCelEnvironment());
      for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
        const r = map.toSource(offset + d.start, offset + Math.max(d.end, d.start + 1));
        // templating.go: a `{{ cel: }}` that fails becomes "", a body/headers/files one stays as written.
        out.push({
          ...r,
          severity: 'warning',
          code: 'pac-template-cel',
          source: 'cel',
          message: `${d.message} (Pipelines-as-Code writes ${use.key.startsWith('cel:') ? 'an empty string' : 'the {{ }} unchanged'})`,
        });
      }
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(use.key) || customParams === undefined) continue;
    if (STANDARD_VARIABLES.has(use.key) || customParams.has(use.key)) continue;
    const r = map.toSource(use.keyStart, use.keyEnd);
    const { hint, fixes } = didYouMean(use.key, [...STANDARD_VARIABLES.keys(), ...customParams], r.start, r.end);
    out.push({
      ...r,
      severity: 'warning',
      code: 'pac-unknown-variable',
      source: 'tekton',
      message: `Unknown Pipelines-as-Code variable "${use.key}": it stays "{{ ${use.key} }}" in the PipelineRun${hint}`,
      ...(map.isVerbatim(use.keyStart, use.keyEnd) && fixes && { fixes }),
    });
  }
  return out;
}
