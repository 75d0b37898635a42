/**
 * Which PipelineRuns of a `.tekton/` folder Pipelines-as-Code starts for an event, with the reason for each, as
 * tektoncd/pipelines-as-code `pkg/matcher/annotation_matcher.go` MatchPipelinerunByAnnotation decides it (CEL in
 * `pkg/matcher/cel.go` celEvaluate), after `pkg/resolve/resolve.go` has read the folder (same names fail it) and the
 * provider parser has made the event (event.ts). Offline: changed files are supplied, not fetched; Repository
 * resources (target-namespace, custom params) are not looked up in a cluster.
 */
import { evaluate, parse } from '../../cel/celService';
import type { CelAstNode } from '../../cel/ast';
import { re2Matches, re2SyntaxError } from '../../cel/re2';
import { branchMatch, globMatch as globMatches, parseAnnotationValues, PAC_PREFIX } from '../annotations';
import { pacCelEnvironment } from '../repository';
import type { PacEvent } from './event';

/** The changed files of the event (`--changed-files`), as PaC's changedfiles.ChangedFiles. */
export interface ChangedFiles {
  all: string[];
  added: string[];
  deleted: string[];
  modified: string[];
  renamed: string[];
}

/** A PipelineRun of the folder as PaC read it. */
export interface PacRunInput {
  /** generateName or name (matcher.go getName). */
  name: string;
  /** metadata.annotations as strings; undefined when the document could not be decoded (see `dropped`). */
  annotations?: Record<string, string>;
  /** Why PaC's decoder dropped the document (it never reaches the matcher). */
  dropped?: string;
}

export interface MatchOutcome {
  matched: { name: string; reason: string }[];
  skipped: { name: string; reason: string }[];
  /** The matcher's error: the whole folder fails for this event (every run is in `skipped` with it). */
  folderError?: string;
}

const ann = (run: PacRunInput, key: string): string | undefined => {
  const a = run.annotations ?? {};
  return Object.hasOwn(a, PAC_PREFIX + key) ? a[PAC_PREFIX + key] : undefined;
};

/** matchOnAnnotation: any value equal to (or, for branches and paths, glob-matching) any target. Throws the format error. */
function matchOnAnnotation(value: string, targets: readonly string[], branchMatching: boolean): string | undefined {
  const parsed = parseAnnotationValues(value);
  if ('error' in parsed) throw new MatchError(parsed.error);
  let got: string | undefined;
  for (const v of parsed.items)
    for (const e of targets) if (v.value === e || (branchMatching && branchMatch(v.value, e))) got = v.value;
  return got;
}

class MatchError extends Error {}

function walk(node: CelAstNode | undefined, visit: (n: CelAstNode) => boolean): boolean {
  if (!node) return false;
  if (visit(node)) return true;
  if (walk(node.target, visit)) return true;
  for (const a of node.args ?? []) if (walk(a, visit)) return true;
  for (const e of node.entries ?? []) if (walk(e.key, visit) || walk(e.value, visit)) return true;
  return false;
}

const hasIdent = (ast: CelAstNode | undefined, name: string) => walk(ast, (n) => n.kind === 'ident' && n.name === name);

const STANDARD_CEL = new Set([
  'event',
  'event_type',
  'headers',
  'body',
  'event_title',
  'target_branch',
  'source_branch',
  'target_url',
  'source_url',
  'files',
]);

/** celEvaluate: the expression's value on the event, or its error. May strip `refs/heads/` from the event's branches. */
function celEvaluate(
  expr: string,
  event: PacEvent,
  files: ChangedFiles,
  customParams: Record<string, string>,
): { value: unknown } | { error: string } {
  const env = pacCelEnvironment(Object.keys(customParams));
  const { ast, diagnostics } = parse(expr, env);
  if (!ast) return { error: `failed to parse expression: ${diagnostics[0]?.message ?? 'syntax error'}` };
  if (event.triggerTarget === 'push') {
    // cel.go: on push, refs/heads/ is stripped from a branch the expression reads, unless it writes a string literal
    // holding "refs/heads/" (the event is changed for the PipelineRuns matched after this one too).
    const literal = walk(
      ast,
      (n) => n.kind === 'literal' && typeof n.value === 'string' && n.value.includes('refs/heads/'),
    );
    if (hasIdent(ast, 'target_branch') && !literal) event.baseBranch = event.baseBranch.replace(/^refs\/heads\//, '');
    if (hasIdent(ast, 'source_branch') && !literal) event.headBranch = event.headBranch.replace(/^refs\/heads\//, '');
  }
  if (event.triggerTarget === 'pull_request' && event.eventType === 'pull_request_labeled') {
    // cel.go: a label event matches only expressions that read event_type or the labels.
    const readsLabels = walk(
      ast,
      (n) =>
        (n.kind === 'ident' && n.name === 'event_type') ||
        ((n.kind === 'select' || n.kind === 'literal') &&
          (n.name === 'labels' ||
            n.name === 'pull_request_labels' ||
            n.value === 'labels' ||
            n.value === 'pull_request_labels')),
    );
    if (!readsLabels) return { value: false };
  }
  const usesFiles = hasIdent(ast, 'files');
  const activation: Record<string, unknown> = {
    event: event.triggerTarget,
    event_type: event.eventType,
    event_title: event.triggerTarget === 'push' ? event.shaTitle : event.pullRequestTitle,
    target_branch: event.baseBranch,
    source_branch: event.headBranch,
    target_url: event.baseURL,
    source_url: event.headURL,
    body: event.body,
    headers: event.headers,
    files: usesFiles ? { ...files } : { all: [], added: [], deleted: [], modified: [], renamed: [] },
  };
  for (const [k, v] of Object.entries(customParams)) if (!STANDARD_CEL.has(k)) activation[k] = v;
  const result = evaluate(expr, env, activation, { changedFiles: files.all, globMatch: (p, s) => globMatches(p, s) });
  return 'error' in result ? { error: result.error } : result;
}

/**
 * What a CEL result that is not `true` is, for the skip reason: `false`, or the kind of value (never the value: it may
 * be a header holding a token).
 */
function show(v: unknown): string {
  if (typeof v === 'boolean') return String(v);
  const kind =
    v === null
      ? 'null'
      : Array.isArray(v)
        ? 'a list'
        : typeof v === 'bigint'
          ? 'an int'
          : typeof v === 'object'
            ? 'a map'
            : `a ${typeof v}`;
  return `${kind}, not a bool`;
}

/**
 * Matches every run against the event, as MatchPipelinerunByAnnotation does, in folder order. The event may be changed
 * on the way, as upstream changes it (on-comment sets the event type, CEL strips `refs/heads/` on push).
 */
function matchRuns(
  runs: readonly PacRunInput[],
  original: PacEvent,
  files: ChangedFiles,
  customParams: Record<string, string> = {},
): MatchOutcome {
  const event: PacEvent = { ...original, labels: [...original.labels] };
  const out: MatchOutcome = { matched: [], skipped: [] };
  const skip = (name: string, reason: string) => out.skipped.push({ name, reason });
  const failAll = (reason: string): MatchOutcome => ({
    matched: [],
    skipped: runs.map((r) => ({ name: r.name, reason })),
    folderError: reason,
  });

  // resolve.go pipelineRunsWithSameName: the whole event fails.
  const seen = new Set<string>();
  for (const r of runs.filter((x) => !x.dropped)) {
    if (seen.has(r.name))
      return failAll(`found multiple pipelinerun in .tekton with the same name: ${r.name}, please update`);
    seen.add(r.name);
  }
  if (event.dropped) return { matched: [], skipped: runs.map((r) => ({ name: r.name, reason: event.dropped! })) };
  if (event.targetTestPipelineRun) {
    // match.go: `/test NAME` (`/retest NAME`) starts the named PipelineRun explicitly, whatever its annotations.
    const target = event.targetTestPipelineRun;
    const found = runs.find((r) => !r.dropped && r.name === target);
    for (const r of runs)
      if (r === found)
        out.matched.push({
          name: r.name,
          reason: `explicit ${event.eventType === 'retest-comment' ? '/retest' : '/test'} of ${target}`,
        });
      else
        skip(
          r.name,
          found ? `the comment names ${target}` : `cannot find the targeted pipelinerun ${target} in this repository`,
        );
    return out;
  }

  for (const run of runs) {
    if (run.dropped) {
      skip(run.name, run.dropped);
      continue;
    }
    const name = run.name;
    if (!run.annotations || !Object.keys(run.annotations).some((k) => k.startsWith(PAC_PREFIX))) {
      skip(name, 'no Pipelines-as-Code annotations: nothing selects this PipelineRun');
      continue;
    }
    try {
      const onComment = ann(run, 'on-comment');
      if (onComment !== undefined) {
        if (re2SyntaxError(onComment)) {
          skip(name, `could not compile regexp ${onComment} from on-comment annotation`);
          continue;
        }
        const stripped = event.triggerComment.replace(/\r\n$/, '').replace(/^\r\n/, '').trim();
        if (event.triggerComment && re2Matches(stripped, onComment)) {
          event.eventType = 'on-comment';
          out.matched.push({ name, reason: `on-comment ${JSON.stringify(onComment)} matches the comment` });
          continue;
        }
      }
      if (event.eventType === 'no-ops-comment' || event.eventType === 'on-comment') {
        skip(
          name,
          onComment !== undefined
            ? `on-comment ${JSON.stringify(onComment)} does not match the comment`
            : 'a comment event starts only PipelineRuns whose on-comment matches it',
        );
        continue;
      }
      if (event.offlineGap) {
        skip(name, `${event.eventType}: not matched offline, ${event.offlineGap}`);
        continue;
      }
      const cel = ann(run, 'on-cel-expression');
      if (cel !== undefined) {
        const r = celEvaluate(cel, event, files, customParams);
        if ('error' in r) skip(name, `on-cel-expression: ${r.error}`);
        else if (r.value !== true) skip(name, `on-cel-expression is ${show(r.value)}`);
        else out.matched.push({ name, reason: 'on-cel-expression is true' });
        continue;
      }
      if (
        event.triggerTarget === 'pull_request' &&
        event.eventType === 'pull_request_labeled' &&
        ann(run, 'on-label') === undefined
      ) {
        skip(name, `label event: the PipelineRun has no on-label (labels: ${event.labels.join(', ') || 'none'})`);
        continue;
      }
      const onEvent = ann(run, 'on-event');
      const onBranch = ann(run, 'on-target-branch');
      if (onEvent === '[]') throw new MatchError(`annotation ${PAC_PREFIX}on-event is empty`);
      if (onEvent !== undefined && !matchOnAnnotation(onEvent, [event.triggerTarget], false)) {
        skip(name, `on-event ${onEvent} does not match the event ${event.triggerTarget}`);
        continue;
      }
      if (onBranch === '[]') throw new MatchError(`annotation ${PAC_PREFIX}on-target-branch is empty`);
      if (onBranch !== undefined && !matchOnAnnotation(onBranch, [event.baseBranch], true)) {
        skip(name, `on-target-branch ${onBranch} does not match the target branch ${event.baseBranch}`);
        continue;
      }
      if (onEvent === undefined || onBranch === undefined) {
        skip(
          name,
          `no ${onEvent === undefined ? 'on-event' : 'on-target-branch'} annotation: Pipelines-as-Code needs both on-event and on-target-branch (or on-cel-expression)`,
        );
        continue;
      }
      const reasons = [
        `on-event ${onEvent} and on-target-branch ${onBranch} match (${event.triggerTarget} to ${event.baseBranch})`,
      ];
      const pathChange = ann(run, 'on-path-change');
      if (pathChange !== undefined) {
        const hit = matchOnAnnotation(pathChange, files.all, true);
        if (!hit) {
          skip(name, `on-path-change ${pathChange} matches none of the ${files.all.length} changed file(s)`);
          continue;
        }
        reasons.push(`on-path-change ${hit} matches a changed file`);
      }
      const label = ann(run, 'on-label');
      if (label !== undefined) {
        const hit = matchOnAnnotation(label, event.labels, false);
        if (!hit) {
          skip(
            name,
            `on-label ${label} matches none of the pull request's labels (${event.labels.join(', ') || 'none'})`,
          );
          continue;
        }
        reasons.push(`on-label ${hit} is on the pull request`);
      }
      const ignore = ann(run, 'on-path-change-ignore');
      if (ignore !== undefined) {
        const hit = matchOnAnnotation(ignore, files.all, true);
        if (hit) {
          skip(name, `on-path-change-ignore ${hit} matches a changed file`);
          continue;
        }
      }
      out.matched.push({ name, reason: reasons.join('; ') });
    } catch (e) {
      if (e instanceof MatchError) return failAll(`the match fails for the whole folder: ${e.message}`);
      throw e;
    }
  }
  return out;
}

/**
 * Matches every run against the event (see matchRuns); a matched run with `target-namespace` runs only where that
 * namespace holds the event's Repository, which is not looked up offline: its reason says so.
 */
export function matchPipelineRuns(
  runs: readonly PacRunInput[],
  original: PacEvent,
  files: ChangedFiles,
  customParams: Record<string, string> = {},
): MatchOutcome {
  const out = matchRuns(runs, original, files, customParams);
  for (const m of out.matched) {
    const run = runs.find((r) => r.name === m.name);
    const ns = run && ann(run, 'target-namespace');
    if (ns) m.reason += `; target-namespace ${ns} is assumed to hold the event's Repository (not looked up offline)`;
  }
  return out;
}
