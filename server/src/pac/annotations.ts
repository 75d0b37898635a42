/**
 * The annotations Pipelines-as-Code reads on a PipelineRun of `.tekton/` (prefix `pipelinesascode.tekton.dev/`), as
 * upstream declares them (tektoncd/pipelines-as-code `pkg/apis/pipelinesascode/keys/keys.go`) and reads them
 * (`pkg/matcher/annotation_matcher.go`, `pkg/resolve/remote.go`, `pkg/pipelineascode/match.go`), with what the editor
 * shows for each, and PaC's list form of annotation values (`getAnnotationValues`).
 */

/** The annotation prefix of Pipelines-as-Code. */
export const PAC_PREFIX = 'pipelinesascode.tekton.dev/';

/** How PaC reads a value. */
export type AnnotationValueKind =
  | 'events' // list of event names (on-event)
  | 'branches' // list of branch globs (on-target-branch)
  | 'paths' // list of path globs (on-path-change, on-path-change-ignore)
  | 'labels' // list of labels (on-label)
  | 'cel' // a CEL expression (on-cel-expression)
  | 'regexp' // a Go regexp (on-comment)
  | 'integer' // strconv.Atoi (max-keep-runs)
  | 'boolean' // "true" / "false" (cancel-in-progress)
  | 'remote' // list of remote tasks / a pipeline (task, task-N, pipeline)
  | 'string'; // taken as written

/** One annotation key PaC reads. */
export interface AnnotationInfo {
  /** The key without the prefix. */
  key: string;
  kind: AnnotationValueKind;
  doc: string;
  example: string;
  /** True for the keys PaC itself writes on the runs it creates: accepted, never suggested. */
  setByPac?: boolean;
  /** True for the `on-*` keys that select events (ignored when on-cel-expression is set). */
  matching?: boolean;
}

const USER_KEYS: AnnotationInfo[] = [
  {
    key: 'on-event',
    kind: 'events',
    matching: true,
    doc: 'The events that start this PipelineRun: `pull_request`, `push`, `incoming` (and with a `[list]`, several). Needed with `on-target-branch` unless `on-cel-expression` or `on-comment` is used.',
    example: '"[pull_request, push]"',
  },
  {
    key: 'on-target-branch',
    kind: 'branches',
    matching: true,
    doc: 'The target branches (pull requests) or refs (pushes) that start this PipelineRun: names, `refs/heads/…`, `refs/tags/…`, globs (`*` also crosses `/`). `&#44;` writes a literal comma.',
    example: '"[main, release-*]"',
  },
  {
    key: 'on-cel-expression',
    kind: 'cel',
    matching: true,
    doc: 'A CEL expression over the event (`event`, `target_branch`, `source_branch`, `event_title`, `body`, `headers`, `files`, `"glob".pathChanged()`). When set, `on-event`, `on-target-branch`, `on-path-change`, `on-path-change-ignore` and `on-label` are ignored.',
    example: "\"event == 'pull_request' && target_branch == 'main' && 'docs/*.md'.pathChanged()\"",
  },
  {
    key: 'on-path-change',
    kind: 'paths',
    matching: true,
    doc: 'Runs only when a changed file matches one of these globs (with `on-event` and `on-target-branch`).',
    example: '"[docs/**, manual/*.md]"',
  },
  {
    key: 'on-path-change-ignore',
    kind: 'paths',
    matching: true,
    doc: 'Skips the run when any changed file matches one of these globs.',
    example: '"[docs/***]"',
  },
  {
    key: 'on-comment',
    kind: 'regexp',
    matching: true,
    doc: 'A regular expression (Go RE2 syntax) matched against a new pull request comment, trimmed: a match starts this PipelineRun, sets `{{ trigger_comment }}`.',
    example: '"^/merge-pr"',
  },
  {
    key: 'on-label',
    kind: 'labels',
    matching: true,
    doc: 'Pull request labels that start this PipelineRun when added (still needs `on-event` and `on-target-branch`). GitHub, GitLab and Forgejo only.',
    example: '"[bug, defect]"',
  },
  {
    key: 'max-keep-runs',
    kind: 'integer',
    doc: 'How many finished PipelineRuns of this one to keep; older ones are deleted.',
    example: '"5"',
  },
  {
    key: 'cancel-in-progress',
    kind: 'boolean',
    doc: 'When "true", a new run for the same pull request or branch cancels the ones still running.',
    example: '"true"',
  },
  {
    key: 'task',
    kind: 'remote',
    doc: 'Remote Tasks fetched and embedded before the run: an Artifact Hub name (`git-clone`, `git-clone:0.9`), an `https://` URL, a path of the repository or `customcatalog://`.',
    example: '"[git-clone, .tekton/tasks/lint.yaml]"',
  },
  {
    key: 'pipeline',
    kind: 'remote',
    doc: 'A remote Pipeline fetched and embedded before the run (one only): URL, Artifact Hub name or a path of the repository.',
    example: '"https://raw.githubusercontent.com/org/repo/main/pipeline.yaml"',
  },
  {
    key: 'target-namespace',
    kind: 'string',
    doc: 'Run only for the Repository of this namespace (the PipelineRun is skipped when no Repository there matches the event URL).',
    example: '"my-namespace"',
  },
];

/** Keys PaC sets on the runs it creates (keys.go): accepted without a problem, not offered. */
const SET_BY_PAC = [
  'controller-info',
  'url-org',
  'url-repository',
  'sha',
  'sender',
  'event-type',
  'branch',
  'source-branch',
  'repository',
  'git-provider',
  'state',
  'sha-title',
  'sha-url',
  'repo-url',
  'source-repo-url',
  'pull-request',
  'installation-id',
  'ghe-url',
  'source-project-id',
  'target-project-id',
  'original-prname',
  'git-auth-secret',
  'check-run-id',
  'gitlab-pipeline-id',
  'log-url',
  'execution-order',
  'scm-reporting-plr-started',
  'secret-created',
  'clone-url',
];

export const ANNOTATIONS: ReadonlyMap<string, AnnotationInfo> = new Map([
  ...USER_KEYS.map((a) => [a.key, a] as const),
  ...SET_BY_PAC.map(
    (key) =>
      [
        key,
        {
          key,
          kind: 'string',
          doc: 'Set by Pipelines-as-Code on the PipelineRuns it creates.',
          example: '',
          setByPac: true,
        },
      ] as const,
  ),
]);

/** The keys users write (completion, did-you-mean). */
export const USER_ANNOTATION_KEYS: readonly string[] = USER_KEYS.map((a) => a.key);

/** The info of a key (without prefix); `task-3` is `task` (remote.go reads `task`, `task-1`, `task-2`, …). */
export function annotationInfo(key: string): AnnotationInfo | undefined {
  if (/^task-\d+$/.test(key)) return { ...ANNOTATIONS.get('task')!, key };
  return ANNOTATIONS.get(key);
}

/**
 * Event names `on-event` compares with (triggertype.Trigger as the providers set event.TriggerTarget). A closed pull
 * request (`pull_request_closed`) never reaches the matcher: pipelineascode.go only cancels its runs.
 */
export const KNOWN_EVENTS: readonly string[] = ['pull_request', 'push', 'incoming'];

/** A value of a list annotation, with its offsets in the decoded annotation text. */
export interface ListItem {
  value: string;
  start: number;
  end: number;
}

/** The parse of an annotation value as `getAnnotationValues` does it, or the reason it fails. */
export type AnnotationValues = { items: ListItem[] } | { error: string; empty?: boolean };

/** `^\[(.*)\]$|^[^[\]\s]*$` of annotation_matcher.go: a `[list]` or one word without brackets or spaces. */
const VALID_TAG = /^\[(.*)\]$|^[^[\]\s]*$/s;

/**
 * PaC's list form (annotation_matcher.go getAnnotationValues): the value trimmed; a `[a, b]` list split on commas and
 * each item trimmed, or a single word; `&#44;` in an item is a literal comma. `[]` (and `[ , x]`) is an error.
 */
export function parseAnnotationValues(raw: string): AnnotationValues {
  const lead = raw.length - raw.trimStart().length;
  const value = raw.trim();
  const m = VALID_TAG.exec(value);
  if (!m) return { error: `annotations in pipeline are in wrong format: ${value}` };
  if (!value.startsWith('['))
    return { items: [{ value: value.replaceAll('&#44;', ','), start: lead, end: lead + value.length }] };
  const items: ListItem[] = [];
  let pos = lead + 1;
  for (const part of m[1].split(',')) {
    const trimmedStart = part.length - part.trimStart().length;
    const text = part.trim();
    items.push({
      value: text.replaceAll('&#44;', ','),
      start: pos + trimmedStart,
      end: pos + trimmedStart + text.length,
    });
    pos += part.length + 1;
  }
  if (items[0].value === '') return { error: `annotation "${value}" has empty values`, empty: true };
  return { items };
}

/**
 * gobwas/glob compiled without separators (as `glob.MustCompile(pattern)` in annotation_matcher.go and cel.go):
 * `*` and `**` match any run of characters, `/` included; `?` one character; `[abc]`, `[a-z]`, `[!abc]`; `{a,b}`;
 * `\` escapes. Returns undefined for a pattern gobwas cannot compile (MustCompile panics on it).
 */
export function compileGlob(pattern: string): RegExp | undefined {
  let out = '';
  let i = 0;
  let depth = 0;
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      out += esc(pattern[i + 1]);
      i += 2;
    } else if (c === '*') {
      while (pattern[i] === '*') i++;
      out += '[\\s\\S]*';
    } else if (c === '?') {
      out += '[\\s\\S]';
      i++;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return undefined;
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      if (body === '') return undefined;
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close + 1;
    } else if (c === '{') {
      depth++;
      out += '(?:';
      i++;
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
      i++;
    } else if (c === ',' && depth > 0) {
      out += '|';
      i++;
    } else {
      out += esc(c);
      i++;
    }
  }
  if (depth !== 0) return undefined;
  try {
    return new RegExp(`^(?:${out})$`);
  } catch {
    return undefined;
  }
}

/** `glob.MustCompile(pattern).Match(s)`; a pattern that does not compile matches nothing. */
export function globMatch(pattern: string, s: string): boolean {
  return compileGlob(pattern)?.test(s) ?? false;
}

/**
 * annotation_matcher.go branchMatch: an annotation branch without `refs/heads/` or `refs/tags/` gets `refs/heads/`, and
 * so does the event's branch, so `main` matches `main` and `refs/heads/main`; a `refs/tags/…` pattern is matched as
 * written.
 */
export function branchMatch(pattern: string, branch: string): boolean {
  const qualified = (b: string) => (b.startsWith('refs/heads/') || b.startsWith('refs/tags/') ? b : `refs/heads/${b}`);
  if (pattern.startsWith('refs/heads/')) return globMatch(pattern, qualified(branch));
  if (!pattern.startsWith('refs/tags/')) return globMatch(`refs/heads/${pattern}`, qualified(branch));
  return globMatch(pattern, branch);
}
