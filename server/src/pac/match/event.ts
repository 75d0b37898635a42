/**
 * A webhook request as Pipelines-as-Code's provider parser turns it into an event (`info.Event`): GitHub only here
 * (tektoncd/pipelines-as-code `pkg/provider/github/detect.go` detectTriggerTypeFromPayload, `parse_payload.go`
 * ParsePayload, `pkg/opscomments/comments.go` for issue comments, `pkg/provider/provider.go` SkipCI). What the parser
 * would read from the GitHub API (the pull request behind a comment, a pull request's head commit message) is not
 * available offline and is said so.
 */
import type { HttpRequest } from '../../triggers/simulation/httpRequest';

/** PaC's event, as far as matching and `{{ }}` need it. */
export interface PacEvent {
  provider: 'github';
  /** The X-GitHub-Event header. */
  githubEvent: string;
  /** event.TriggerTarget: `pull_request`, `push`, `pull_request_closed`. */
  triggerTarget: string;
  /** event.EventType: `pull_request`, `push`, `pull_request_labeled`, a comment type (`no-ops-comment`, `retest-all-comment`, …). */
  eventType: string;
  baseBranch: string;
  headBranch: string;
  sha: string;
  /** The head commit message (push). */
  shaTitle: string;
  pullRequestTitle: string;
  pullRequestNumber?: number;
  labels: string[];
  /** The comment of an issue_comment event. */
  triggerComment: string;
  sender: string;
  organization: string;
  repository: string;
  url: string;
  baseURL: string;
  headURL: string;
  /** The payload. */
  body: Record<string, unknown>;
  /** Headers lower-cased, first value (cel.go headerMap). */
  headers: Record<string, string>;
  /** Why PaC starts nothing for this event before matching (closed pull request, [skip ci], unsupported action). */
  dropped?: string;
  /** What matching cannot know offline (the pull request behind a comment). */
  offlineGap?: string;
}

export type ParsedEvent = { event: PacEvent } | { error: string };

const PR_OPEN_SYNC = ['opened', 'synchronize', 'synchronized', 'reopened', 'ready_for_review'];
const SKIP_CI = /\[(skip ci|ci skip|skip tkn|tkn skip)\]/;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** comments.go CommentEventType with the default GitOps prefix `/`. */
export function commentEventType(comment: string): string {
  if (/^\s*\/retest\s*$/m.test(comment)) return 'retest-all-comment';
  if (/^\s*\/retest[ \t]+\S+/m.test(comment)) return 'retest-comment';
  if (/^\s*\/test\s*$/m.test(comment)) return 'test-all-comment';
  if (/^\s*\/test[ \t]+\S+/m.test(comment)) return 'test-comment';
  if (/(^|\n)\s*\/ok-to-test(?:\s+([a-fA-F0-9]{7,40}))?\s*(\r\n|\r|\n|$)/.test(comment)) return 'ok-to-test-comment';
  if (/^\s*\/cancel\s*$/m.test(comment)) return 'cancel-all-comment';
  if (/^\s*\/cancel[ \t]+\S+/m.test(comment)) return 'cancel-comment';
  return 'no-ops-comment';
}

/** Parses a webhook request into PaC's event; an error for what is not a GitHub webhook with a JSON object body. */
export function parsePacEvent(request: HttpRequest): ParsedEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (v.length) headers[k.toLowerCase()] = v[0];
  const githubEvent = headers['x-github-event'];
  if (!githubEvent) {
    const other = headers['x-gitlab-event'] ? 'GitLab' : headers['x-event-key'] ? 'Bitbucket' : headers['x-gitea-event'] ? 'Gitea' : undefined;
    return { error: other ? `${other} webhooks are not supported offline yet: only GitHub (X-GitHub-Event)` : 'not a GitHub webhook: the request has no X-GitHub-Event header' };
  }
  let body: Json;
  try {
    const parsed = JSON.parse(request.body.toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'the request body is not a JSON object' };
    body = parsed as Json;
  } catch (e) {
    return { error: `the request body is not JSON: ${(e as Error).message}` };
  }
  const repo = obj(body.repository);
  const event: PacEvent = {
    provider: 'github', githubEvent, triggerTarget: '', eventType: githubEvent, baseBranch: '', headBranch: '', sha: '',
    shaTitle: '', pullRequestTitle: '', labels: [], triggerComment: '', sender: str(obj(body.sender).login),
    organization: str(obj(repo.owner).login), repository: str(repo.name), url: str(repo.html_url), baseURL: '', headURL: '',
    body, headers,
  };
  const action = str(body.action);
  switch (githubEvent) {
    case 'push': {
      if (!body.pusher) return { event: { ...event, dropped: 'the push event has no pusher: Pipelines-as-Code does not process it' } };
      if (str(body.after) === '0000000000000000000000000000000000000000')
        return { event: { ...event, triggerTarget: 'push', dropped: `branch ${str(body.ref)} has been deleted: Pipelines-as-Code does not process branch deletions` } };
      const head = obj(body.head_commit);
      const ref = str(body.ref);
      Object.assign(event, {
        triggerTarget: 'push', eventType: 'push', baseBranch: ref, headBranch: ref, sha: str(head.id) || str(body.before),
        shaTitle: str(head.message), baseURL: str(repo.html_url), headURL: str(repo.html_url),
      });
      // sinker.go shouldSkipPushEvent: provider.SkipCI on the head commit message.
      if (SKIP_CI.test(event.shaTitle)) event.dropped = `the commit message contains ${SKIP_CI.exec(event.shaTitle)![0]}: CI is skipped for this push`;
      return { event };
    }
    case 'pull_request': {
      const pr = obj(body.pull_request);
      const base = obj(pr.base);
      const head = obj(pr.head);
      Object.assign(event, {
        triggerTarget: 'pull_request', eventType: 'pull_request', baseBranch: str(base.ref), headBranch: str(head.ref), sha: str(head.sha),
        baseURL: str(obj(base.repo).html_url), headURL: str(obj(head.repo).html_url), sender: str(obj(pr.user).login),
        pullRequestNumber: typeof pr.number === 'number' ? pr.number : undefined, pullRequestTitle: str(pr.title),
        labels: Array.isArray(pr.labels) ? pr.labels.map((l) => str(obj(l).name)) : [],
      });
      if (action === 'closed')
        return { event: { ...event, triggerTarget: 'pull_request_closed', dropped: 'the pull request was closed: Pipelines-as-Code cancels its running PipelineRuns and starts none' } };
      if (action === 'labeled') event.eventType = 'pull_request_labeled';
      else if (!PR_OPEN_SYNC.includes(action)) return { event: { ...event, dropped: `pull_request: unsupported action "${action}"` } };
      return { event };
    }
    case 'issue_comment': {
      if (action !== 'created') return { event: { ...event, dropped: `issue_comment: unsupported action "${action}"` } };
      const issue = obj(body.issue);
      if (!issue.pull_request) return { event: { ...event, dropped: 'issue comment is not coming from a pull_request' } };
      const comment = str(obj(body.comment).body);
      Object.assign(event, {
        triggerTarget: 'pull_request', eventType: commentEventType(comment), triggerComment: comment,
        pullRequestNumber: typeof issue.number === 'number' ? issue.number : undefined, pullRequestTitle: str(issue.title),
        labels: Array.isArray(issue.labels) ? issue.labels.map((l) => str(obj(l).name)) : [],
        offlineGap: 'the pull request behind a comment (its branches and head commit) comes from the GitHub API, not from the webhook',
      });
      return { event };
    }
    default:
      return { event: { ...event, dropped: `${githubEvent}: this event is not supported by Pipelines-as-Code` } };
  }
}
