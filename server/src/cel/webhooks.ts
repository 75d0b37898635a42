/**
 * Request headers that the Git hosting services and chat tools send with their webhooks, and the values of their
 * event headers, for completion and hover in Triggers CEL (`header['X-Github-Event']`, `header.match(…)`).
 *
 * Tekton receives headers as a Go `http.Header`, whose keys are canonical MIME keys (`X-Github-Event`, not
 * `X-GitHub-Event`): indexing must use the canonical form, while `header.match()` and `header.canonical()`
 * canonicalise their argument themselves.
 */
import { githubEventNames } from './bodySchemas';
import { canonicalMimeHeaderKey } from './goCompat';

/** A documented request header. */
export interface WebhookHeader {
  /** The name as the sender documents it (`X-GitHub-Event`). */
  name: string;
  /** Who sends it. */
  provider: 'GitHub' | 'GitLab' | 'Bitbucket' | 'Slack' | 'Gitea' | 'CloudEvents' | 'HTTP';
  doc: string;
}

/** The headers offered by completion, most used first. */
export const WEBHOOK_HEADERS: readonly WebhookHeader[] = [
  { name: 'X-GitHub-Event', provider: 'GitHub', doc: 'The event that triggered the delivery (`push`, `pull_request`, …).' },
  { name: 'X-GitHub-Delivery', provider: 'GitHub', doc: 'A GUID identifying the delivery.' },
  { name: 'X-Hub-Signature-256', provider: 'GitHub', doc: 'HMAC-SHA256 of the body with the webhook secret (`sha256=<hex>`); checked by the github interceptor’s `secretRef`.' },
  { name: 'X-Hub-Signature', provider: 'GitHub', doc: 'HMAC-SHA1 of the body (`sha1=<hex>`), legacy; Bitbucket Server sends it too.' },
  { name: 'X-GitHub-Hook-ID', provider: 'GitHub', doc: 'The id of the webhook.' },
  { name: 'X-GitHub-Hook-Installation-Target-Type', provider: 'GitHub', doc: 'The type of resource the webhook was created on (`repository`, `organization`, …).' },
  { name: 'X-GitHub-Hook-Installation-Target-ID', provider: 'GitHub', doc: 'The id of the resource the webhook was created on.' },
  { name: 'X-GitHub-Enterprise-Host', provider: 'GitHub', doc: 'The GitHub Enterprise Server host that sent the delivery.' },
  { name: 'X-GitHub-Enterprise-Version', provider: 'GitHub', doc: 'The GitHub Enterprise Server version.' },
  { name: 'X-Gitlab-Event', provider: 'GitLab', doc: 'The event hook (`Push Hook`, `Merge Request Hook`, …); checked by the gitlab interceptor’s `eventTypes`.' },
  { name: 'X-Gitlab-Token', provider: 'GitLab', doc: 'The secret token configured on the webhook, sent as is; checked by the gitlab interceptor’s `secretRef`.' },
  { name: 'X-Gitlab-Event-UUID', provider: 'GitLab', doc: 'A UUID identifying the event.' },
  { name: 'X-Gitlab-Webhook-UUID', provider: 'GitLab', doc: 'A UUID identifying the webhook.' },
  { name: 'X-Gitlab-Instance', provider: 'GitLab', doc: 'The GitLab instance that sent the delivery.' },
  { name: 'X-Event-Key', provider: 'Bitbucket', doc: 'The event (`repo:push`, `pullrequest:created`, `pr:opened`, …); checked by the bitbucket interceptor’s `eventTypes`.' },
  { name: 'X-Request-UUID', provider: 'Bitbucket', doc: 'A UUID identifying the request.' },
  { name: 'X-Hook-UUID', provider: 'Bitbucket', doc: 'A UUID identifying the webhook (Bitbucket Cloud).' },
  { name: 'X-Attempt-Number', provider: 'Bitbucket', doc: 'The delivery attempt (Bitbucket Cloud).' },
  { name: 'X-Slack-Signature', provider: 'Slack', doc: 'HMAC-SHA256 signature (`v0=<hex>`); the slack interceptor only requires it to be present.' },
  { name: 'X-Slack-Request-Timestamp', provider: 'Slack', doc: 'Unix time of the request, part of the signed content.' },
  { name: 'X-Gitea-Event', provider: 'Gitea', doc: 'The Gitea event (`push`, `pull_request`, …).' },
  { name: 'X-Gitea-Delivery', provider: 'Gitea', doc: 'A GUID identifying the delivery.' },
  { name: 'Ce-Type', provider: 'CloudEvents', doc: 'The CloudEvents `type` attribute (binary content mode).' },
  { name: 'Ce-Source', provider: 'CloudEvents', doc: 'The CloudEvents `source` attribute.' },
  { name: 'Ce-Id', provider: 'CloudEvents', doc: 'The CloudEvents `id` attribute.' },
  { name: 'Ce-Specversion', provider: 'CloudEvents', doc: 'The CloudEvents spec version.' },
  { name: 'Content-Type', provider: 'HTTP', doc: 'The media type of the body (`application/json`; Slack sends `application/x-www-form-urlencoded`).' },
  { name: 'User-Agent', provider: 'HTTP', doc: 'The sender’s user agent (`GitHub-Hookshot/…`, `GitLab/…`, `Bitbucket-Webhooks/2.0`).' },
  { name: 'Authorization', provider: 'HTTP', doc: 'Credentials sent by the caller, if any.' },
];

/** The documented header whose canonical key is the canonical form of `name`. */
export function findWebhookHeader(name: string): WebhookHeader | undefined {
  const key = canonicalMimeHeaderKey(name);
  return WEBHOOK_HEADERS.find((h) => canonicalMimeHeaderKey(h.name) === key);
}

const GITLAB_EVENTS = [
  'Push Hook', 'Tag Push Hook', 'Merge Request Hook', 'Note Hook', 'Issue Hook', 'Confidential Issue Hook', 'Pipeline Hook',
  'Job Hook', 'Deployment Hook', 'Release Hook', 'Wiki Page Hook', 'Feature Flag Hook', 'Emoji Hook', 'Resource Access Token Hook',
];

const BITBUCKET_EVENTS = [
  // Bitbucket Cloud
  'repo:push', 'repo:fork', 'repo:updated', 'repo:commit_status_created', 'repo:commit_status_updated',
  'pullrequest:created', 'pullrequest:updated', 'pullrequest:approved', 'pullrequest:unapproved', 'pullrequest:fulfilled',
  'pullrequest:rejected', 'pullrequest:comment_created', 'issue:created', 'issue:updated', 'issue:comment_created',
  // Bitbucket Server / Data Center
  'repo:refs_changed', 'repo:modified', 'pr:opened', 'pr:from_ref_updated', 'pr:modified', 'pr:merged', 'pr:declined',
  'pr:deleted', 'pr:comment:added', 'pr:reviewer:approved', 'pr:reviewer:needs_work',
];

/** The values an event header takes (`push`, `Push Hook`, `repo:push`), or [] for other headers. */
export function eventHeaderValues(name: string): string[] {
  switch (canonicalMimeHeaderKey(name)) {
    case 'X-Github-Event':
    case 'X-Gitea-Event':
      return githubEventNames();
    case 'X-Gitlab-Event':
      return GITLAB_EVENTS;
    case 'X-Event-Key':
      return BITBUCKET_EVENTS;
    default:
      return [];
  }
}
