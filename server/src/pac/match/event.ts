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
  provider: 'github' | 'gitlab';
  /** The event header (X-GitHub-Event, X-Gitlab-Event). */
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
  /** The PipelineRun a `/test NAME` or `/retest NAME` comment names. */
  targetTestPipelineRun?: string;
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

function jsonBody(request: HttpRequest): { value: Json } | { error: string } {
  try {
    const parsed = JSON.parse(request.body.toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return { error: 'the request body is not a JSON object' };
    return { value: parsed as Json };
  } catch (e) {
    return { error: `the request body is not JSON: ${(e as Error).message}` };
  }
}

/** The PipelineRun named by `/test NAME` or `/retest NAME` (comments.go getNameFromComment). */
function commentTarget(comment: string): string | undefined {
  return /^\s*\/(?:re)?test[ \t]+(\S+)/m.exec(comment)?.[1];
}

const ZERO_SHA = '0000000000000000000000000000000000000000';

/**
 * A GitLab webhook as PaC's GitLab provider reads it (pkg/provider/gitlab/detect.go and parse_payload.go): merge
 * requests (open, reopen, update with new commits or only labels; close), pushes, tag pushes and merge request notes.
 */
export function parseGitlabEvent(header: string, body: Json, headers: Record<string, string>): ParsedEvent {
  const project = obj(body.project);
  const eventType = header.replace(/ Hook/g, '');
  const event: PacEvent = {
    provider: 'gitlab',
    githubEvent: header,
    triggerTarget: '',
    eventType,
    baseBranch: '',
    headBranch: '',
    sha: '',
    shaTitle: '',
    pullRequestTitle: '',
    labels: [],
    triggerComment: '',
    sender: str(obj(body.user).username) || str(body.user_username),
    organization: '',
    repository: '',
    url: str(project.web_url),
    baseURL: '',
    headURL: '',
    body,
    headers,
  };
  const path = str(project.path_with_namespace);
  event.organization = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : path;
  event.repository = path.slice(path.lastIndexOf('/') + 1);
  const lastCommit = (commits: unknown): Json =>
    Array.isArray(commits) && commits.length ? obj(commits[commits.length - 1]) : {};
  const title = (c: Json) => str(c.title) || str(c.message).split('\n')[0];
  switch (header) {
    case 'Merge Request Hook': {
      const oa = obj(body.object_attributes);
      const action = str(oa.action);
      const commit = obj(oa.last_commit);
      const labelsChanged = obj(obj(body.changes).labels).current !== undefined;
      Object.assign(event, {
        triggerTarget: 'pull_request',
        baseBranch: str(oa.target_branch),
        headBranch: str(oa.source_branch),
        sha: str(commit.id),
        shaTitle: title(commit),
        pullRequestTitle: str(oa.title),
        pullRequestNumber: typeof oa.iid === 'number' ? oa.iid : undefined,
        baseURL: str(obj(oa.target).web_url),
        headURL: str(obj(oa.source).web_url),
        labels: Array.isArray(body.labels) ? body.labels.map((l) => str(obj(l).title)) : [],
      });
      if (labelsChanged) event.eventType = 'pull_request_labeled';
      if (action === 'update' && !str(oa.oldrev) && !labelsChanged)
        return {
          event: { ...event, dropped: "this 'Merge Request' update event changes are not supported; cannot proceed" },
        };
      if (action === 'close')
        return {
          event: {
            ...event,
            triggerTarget: 'pull_request_closed',
            dropped: 'the merge request was closed: Pipelines-as-Code cancels its running PipelineRuns and starts none',
          },
        };
      if (!['open', 'reopen', 'update'].includes(action))
        return { event: { ...event, dropped: `not a merge event we care about: "${action}"` } };
      return { event };
    }
    case 'Push Hook':
    case 'Tag Push Hook': {
      const commit = lastCommit(body.commits);
      const tag = header === 'Tag Push Hook';
      if (tag && str(body.after) === ZERO_SHA && !str(body.checkout_sha))
        return { event: { ...event, dropped: `event Delete ${header} is not supported` } };
      if (!Array.isArray(body.commits) || !body.commits.length)
        return {
          event: {
            ...event,
            dropped: tag
              ? `no commits attached to this ${header} event`
              : 'no commits attached to this push event (a branch creation: the commit comes from the API)',
          },
        };
      const ref = str(body.ref);
      Object.assign(event, {
        triggerTarget: 'push',
        eventType: tag ? eventType : eventType.toLowerCase(),
        baseBranch: ref,
        headBranch: ref,
        sha: str(commit.id),
        shaTitle: title(commit),
        baseURL: event.url,
        headURL: event.url,
      });
      if (!tag && SKIP_CI.test(event.shaTitle))
        event.dropped = `the commit message contains ${SKIP_CI.exec(event.shaTitle)![0]}: CI is skipped for this push`;
      return { event };
    }
    case 'Note Hook': {
      const mr = obj(body.merge_request);
      if (!body.merge_request)
        return { event: { ...event, dropped: 'gitlab: only comments on merge requests are matched offline' } };
      if (str(mr.state) !== 'opened')
        return { event: { ...event, dropped: 'comments on closed merge requests is not supported' } };
      const comment = str(obj(body.object_attributes).note);
      const commit = obj(mr.last_commit);
      Object.assign(event, {
        triggerTarget: 'pull_request',
        eventType: commentEventType(comment),
        triggerComment: comment,
        baseBranch: str(mr.target_branch),
        headBranch: str(mr.source_branch),
        sha: str(commit.id),
        shaTitle: title(commit),
        pullRequestTitle: str(mr.title),
        pullRequestNumber: typeof mr.iid === 'number' ? mr.iid : undefined,
        baseURL: str(obj(mr.target).web_url),
        headURL: str(obj(mr.source).web_url),
        targetTestPipelineRun: commentTarget(comment),
      });
      return { event };
    }
    default:
      return { event: { ...event, dropped: `gitlab: event "${header}" is not supported` } };
  }
}

/** Parses a webhook request into PaC's event; an error for what is not a GitHub webhook with a JSON object body. */
export function parsePacEvent(request: HttpRequest): ParsedEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (v.length) headers[k.toLowerCase()] = v[0];
  const githubEvent = headers['x-github-event'];
  // Gitea sends X-GitHub-Event too; PaC's GitHub provider skips it (detect.go), so does this reader.
  if (!githubEvent || headers['x-gitea-event']) {
    if (headers['x-gitlab-event']) {
      const body = jsonBody(request);
      return 'error' in body ? body : parseGitlabEvent(headers['x-gitlab-event'], body.value, headers);
    }
    const other = headers['x-event-key'] ? 'Bitbucket' : headers['x-gitea-event'] ? 'Gitea' : undefined;
    return {
      error: other
        ? `${other} webhooks are not supported offline yet: only GitHub and GitLab`
        : 'not a GitHub or GitLab webhook: the request has no X-GitHub-Event or X-Gitlab-Event header',
    };
  }
  const parsedBody = jsonBody(request);
  if ('error' in parsedBody) return parsedBody;
  const body = parsedBody.value;
  const repo = obj(body.repository);
  const event: PacEvent = {
    provider: 'github',
    githubEvent,
    triggerTarget: '',
    eventType: githubEvent,
    baseBranch: '',
    headBranch: '',
    sha: '',
    shaTitle: '',
    pullRequestTitle: '',
    labels: [],
    triggerComment: '',
    sender: str(obj(body.sender).login),
    organization: str(obj(repo.owner).login),
    repository: str(repo.name),
    url: str(repo.html_url),
    baseURL: '',
    headURL: '',
    body,
    headers,
  };
  const action = str(body.action);
  switch (githubEvent) {
    case 'push': {
      if (!body.pusher)
        return { event: { ...event, dropped: 'the push event has no pusher: Pipelines-as-Code does not process it' } };
      if (str(body.after) === '0000000000000000000000000000000000000000')
        return {
          event: {
            ...event,
            triggerTarget: 'push',
            dropped: `branch ${str(body.ref)} has been deleted: Pipelines-as-Code does not process branch deletions`,
          },
        };
      const head = obj(body.head_commit);
      const ref = str(body.ref);
      Object.assign(event, {
        triggerTarget: 'push',
        eventType: 'push',
        baseBranch: ref,
        headBranch: ref,
        sha: str(head.id) || str(body.before),
        shaTitle: str(head.message),
        baseURL: str(repo.html_url),
        headURL: str(repo.html_url),
      });
      // sinker.go shouldSkipPushEvent: provider.SkipCI on the head commit message.
      if (SKIP_CI.test(event.shaTitle))
        event.dropped = `the commit message contains ${SKIP_CI.exec(event.shaTitle)![0]}: CI is skipped for this push`;
      return { event };
    }
    case 'pull_request': {
      const pr = obj(body.pull_request);
      const base = obj(pr.base);
      const head = obj(pr.head);
      Object.assign(event, {
        triggerTarget: 'pull_request',
        eventType: 'pull_request',
        baseBranch: str(base.ref),
        headBranch: str(head.ref),
        sha: str(head.sha),
        baseURL: str(obj(base.repo).html_url),
        headURL: str(obj(head.repo).html_url),
        sender: str(obj(pr.user).login),
        pullRequestNumber: typeof pr.number === 'number' ? pr.number : undefined,
        pullRequestTitle: str(pr.title),
        labels: Array.isArray(pr.labels) ? pr.labels.map((l) => str(obj(l).name)) : [],
      });
      if (action === 'closed')
        return {
          event: {
            ...event,
            triggerTarget: 'pull_request_closed',
            dropped: 'the pull request was closed: Pipelines-as-Code cancels its running PipelineRuns and starts none',
          },
        };
      if (action === 'labeled') event.eventType = 'pull_request_labeled';
      else if (!PR_OPEN_SYNC.includes(action))
        return { event: { ...event, dropped: `pull_request: unsupported action "${action}"` } };
      return { event };
    }
    case 'issue_comment': {
      if (action !== 'created')
        return { event: { ...event, dropped: `issue_comment: unsupported action "${action}"` } };
      const issue = obj(body.issue);
      if (!issue.pull_request)
        return { event: { ...event, dropped: 'issue comment is not coming from a pull_request' } };
      const comment = str(obj(body.comment).body);
      Object.assign(event, {
        triggerTarget: 'pull_request',
        eventType: commentEventType(comment),
        triggerComment: comment,
        pullRequestNumber: typeof issue.number === 'number' ? issue.number : undefined,
        pullRequestTitle: str(issue.title),
        labels: Array.isArray(issue.labels) ? issue.labels.map((l) => str(obj(l).name)) : [],
        targetTestPipelineRun: commentTarget(comment),
        offlineGap:
          'the pull request behind a comment (its branches and head commit) comes from the GitHub API, not from the webhook',
      });
      return { event };
    }
    default:
      return { event: { ...event, dropped: `${githubEvent}: this event is not supported by Pipelines-as-Code` } };
  }
}
