/**
 * Interceptor chains and the core interceptors run offline, checked against tektoncd/triggers
 * pkg/interceptors/{github,gitlab,bitbucket,slack,cel}/*.go and their tests, pkg/sink/sink.go ExecuteInterceptors
 * and docs/interceptors.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sjsonSet } from '../../../server/src/triggers/simulation/coreInterceptors';
import type { CelEvaluator, SimulationRequest, TriggerResult } from '../../../server/src/triggers/simulation/types';
import { jsonRequest, simulateYaml } from './helpers';

const SECRET = 's3cr3t-value-1234567';

function sign(body: string, algorithm: 'sha1' | 'sha256' = 'sha256', secret = SECRET): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}`;
}

/** An EventListener with one inline trigger whose interceptors are `interceptors` (YAML, indented 8). */
function el(interceptors: string, extra = ''): string {
  return `apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: el
spec:
  triggers:
    - name: t
      interceptors:
${interceptors}
      bindings:
        - name: p
          value: $(body.x)
      template:
        spec:
          params:
            - name: p
          resourcetemplates:
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                generateName: cm-
              data:
                p: $(tt.params.p)
---
apiVersion: v1
kind: Secret
metadata:
  name: hook
type: Opaque
stringData:
  token: ${SECRET}
${extra}`;
}

/** Adds `tekton.dev/payload-validation: "false"` to the EventListener. */
function noValidation(yaml: string): string {
  return yaml.replace('  name: el\n', '  name: el\n  annotations:\n    tekton.dev/payload-validation: "false"\n');
}

async function run(yaml: string, request: SimulationRequest, options = {}, extra = {}): Promise<TriggerResult> {
  const r = await simulateYaml(yaml, 'el', request, options, extra);
  assert.equal(r.triggers.length, 1, JSON.stringify(r.problems));
  return r.triggers[0];
}

const GITHUB = `        - ref:
            name: github
          params:
            - name: secretRef
              value:
                secretName: hook
                secretKey: token
            - name: eventTypes
              value: [pull_request]`;

const BODY = JSON.stringify({ x: 'value', action: 'opened' });

describe('interceptors: github (pkg/interceptors/github/github.go)', () => {
  it('X-Hub-Signature-256 HMAC-SHA256 over the raw body verifies with the Secret', async () => {
    const t = await run(
      el(GITHUB),
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(BODY) }),
    );
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(
      t.interceptors[0].checks?.map((c) => [c.name, c.ok]),
      [
        ['eventTypes', true],
        ['signature', true],
      ],
    );
  });
  it('a wrong signature stops the trigger: FailedPrecondition "payload signature check failed"', async () => {
    const t = await run(
      el(GITHUB),
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(BODY + ' ') }),
    );
    assert.equal(t.status, 'stopped');
    assert.equal(t.interceptors[0].statusCode, 'FailedPrecondition');
    assert.equal(t.interceptors[0].reason, 'payload signature check failed');
    assert.equal(t.resources.length, 0);
  });
  it('a missing signature header stops the trigger', async () => {
    const t = await run(el(GITHUB), jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request' }));
    assert.equal(t.interceptors[0].reason, 'Must set X-Hub-Signature-256 or X-Hub-Signature header');
  });
  it('falls back to X-Hub-Signature (sha1=) as go-github ValidateSignature accepts it', async () => {
    const t = await run(
      el(GITHUB),
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature': sign(BODY, 'sha1') }),
    );
    assert.equal(t.status, 'fired', t.reason);
  });
  it("a malformed signature gets go-github's message", async () => {
    const t = await run(
      el(GITHUB),
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': 'md5=00' }),
    );
    assert.equal(t.interceptors[0].reason, 'unknown hash type prefix: "md5"');
  });
  it('a wrong event type stops the trigger: "event type push is not allowed"', async () => {
    const t = await run(el(GITHUB), jsonRequest(BODY, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(BODY) }));
    assert.equal(t.status, 'stopped');
    assert.equal(t.interceptors[0].reason, 'event type push is not allowed');
  });
  it('form-encoded bodies are rejected (ErrInvalidContentType)', async () => {
    const req: SimulationRequest = {
      method: 'POST',
      url: '/',
      headers: { 'Content-Type': ['application/x-www-form-urlencoded'], 'X-Github-Event': ['pull_request'] },
      body: Buffer.from('payload=%7B%7D'),
    };
    const t = await run(noValidation(el(GITHUB)), req);
    assert.equal(t.interceptors[0].statusCode, 'InvalidArgument');
    assert.equal(
      t.interceptors[0].reason,
      'form parameter encoding not supported, please change the hook to send JSON payloads',
    );
  });
  it('secrets: local values first, then workspace data (base64); missing secrets and keys are reported', async () => {
    const req = jsonRequest(BODY, {
      'X-GitHub-Event': 'pull_request',
      'X-Hub-Signature-256': sign(BODY, 'sha256', 'local'),
    });
    assert.equal((await run(el(GITHUB), req, {}, { secrets: { hook: { token: 'local' } } })).status, 'fired');
    const dataSecret = el(GITHUB).replace(
      'stringData:\n  token: ' + SECRET,
      `data:\n  token: ${Buffer.from('local').toString('base64')}`,
    );
    assert.equal((await run(dataSecret, req)).status, 'fired');
    const missing = await run(el(GITHUB.replace('secretName: hook', 'secretName: nope')), req);
    assert.equal(missing.interceptors[0].reason, 'error getting secret: secrets "nope" not found');
    const noKey = await run(el(GITHUB.replace('secretKey: token', 'secretKey: other')), req);
    assert.equal(noKey.interceptors[0].reason, 'error getting secret: cannot find other key in secret default/hook');
  });
  it('secret values and HMACs never appear in results', async () => {
    const r = await simulateYaml(
      el(GITHUB),
      'el',
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(BODY + 'x') }),
      {},
      { secrets: { other: { k: 'local-only-secret' } } },
    );
    const text = JSON.stringify(r);
    assert.ok(!text.includes(SECRET));
    assert.ok(!text.includes('local-only-secret'));
    assert.ok(!text.includes(sign(BODY).slice(7)));
  });
  it('params are matched case-insensitively, as encoding/json does (examples/v1beta1/github-owners "CheckType")', async () => {
    const t = await run(
      el(GITHUB.replace('name: eventTypes', 'name: EVENTTYPES')),
      jsonRequest(BODY, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(BODY) }),
    );
    assert.equal(t.interceptors[0].reason, 'event type push is not allowed');
  });
  it('a param of the wrong type is InvalidArgument "failed to parse interceptor params"', async () => {
    const t = await run(
      el(GITHUB.replace('value: [pull_request]', 'value: pull_request')),
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request' }),
    );
    assert.equal(t.interceptors[0].statusCode, 'InvalidArgument');
    assert.match(
      t.interceptors[0].reason,
      /^failed to parse interceptor params: json: cannot unmarshal string into Go struct field GitHubInterceptor.eventTypes of type \[\]string/,
    );
  });
  const CHANGED = `        - ref:
            name: github
          params:
            - name: addChangedFiles
              value:
                enabled: true`;
  it('addChangedFiles on a push collects commits[].added/modified/removed into extensions.changed_files', async () => {
    const body = JSON.stringify({
      x: 1,
      repository: { full_name: 'o/r' },
      commits: [
        { added: ['a'], modified: ['m'], removed: ['r'] },
        { added: [], modified: ['n'], removed: [] },
      ],
    });
    const t = await run(el(CHANGED), jsonRequest(body, { 'X-GitHub-Event': 'push' }));
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(t.interceptors[0].addedExtensions, { changed_files: 'a,m,r,n' });
    assert.deepEqual(t.extensions, { changed_files: 'a,m,r,n' });
  });
  it('addChangedFiles on a pull_request needs the GitHub API: unavailable, unless the files are supplied', async () => {
    const body = JSON.stringify({ x: 1, number: 7, repository: { full_name: 'o/r' } });
    const req = jsonRequest(body, { 'X-GitHub-Event': 'pull_request' });
    const off = await run(el(CHANGED), req);
    assert.equal(off.status, 'unavailable');
    assert.equal(off.interceptors[0].result, 'unavailable');
    assert.match(off.reason ?? '', /o\/r#7 with the GitHub API/);
    const on = await run(el(CHANGED), req, { changedFiles: ['x.go', 'y.go'] });
    assert.deepEqual(on.extensions, { changed_files: 'x.go,y.go' });
    const noNumber = await run(
      el(CHANGED),
      jsonRequest(JSON.stringify({ x: 1, repository: { full_name: 'o/r' } }), { 'X-GitHub-Event': 'pull_request' }),
    );
    assert.equal(noNumber.interceptors[0].reason, "error parsing body: pull_request body missing 'number' field");
  });
});

describe('interceptors: gitlab and bitbucket (pkg/interceptors/gitlab, pkg/interceptors/bitbucket)', () => {
  const GITLAB = `        - ref:
            name: gitlab
          params:
            - name: secretRef
              value: {secretName: hook, secretKey: token}
            - name: eventTypes
              value: ["Push Hook"]`;
  it('X-Gitlab-Event in eventTypes and X-GitLab-Token equal to the secret (constant time)', async () => {
    assert.equal(
      (await run(el(GITLAB), jsonRequest(BODY, { 'X-Gitlab-Event': 'Push Hook', 'X-GitLab-Token': SECRET }))).status,
      'fired',
    );
  });
  it('the token (the secret itself) is not echoed in the result', async () => {
    const r = await simulateYaml(
      el(GITLAB),
      'el',
      jsonRequest(BODY, { 'X-Gitlab-Event': 'Push Hook', 'X-GitLab-Token': SECRET }),
    );
    assert.equal(r.triggers[0].status, 'fired');
    assert.deepEqual(r.request.headers['X-Gitlab-Token'], ['<redacted>']);
    assert.ok(!JSON.stringify(r).includes(SECRET));
  });
  it('wrong token, missing token, wrong event type', async () => {
    const wrong = await run(el(GITLAB), jsonRequest(BODY, { 'X-Gitlab-Event': 'Push Hook', 'X-GitLab-Token': 'nope' }));
    assert.deepEqual(
      [wrong.status, wrong.interceptors[0].statusCode, wrong.interceptors[0].reason],
      ['stopped', 'InvalidArgument', 'Invalid X-GitLab-Token'],
    );
    const missing = await run(el(GITLAB), jsonRequest(BODY, { 'X-Gitlab-Event': 'Push Hook' }));
    assert.equal(missing.interceptors[0].reason, 'no X-GitLab-Token header set');
    const event = await run(
      el(GITLAB),
      jsonRequest(BODY, { 'X-Gitlab-Event': 'Tag Push Hook', 'X-GitLab-Token': SECRET }),
    );
    assert.equal(event.interceptors[0].reason, 'event type Tag Push Hook is not allowed');
  });
  const BITBUCKET = `        - ref:
            name: bitbucket
          params:
            - name: secretRef
              value: {secretName: hook, secretKey: token}
            - name: eventTypes
              value: ["repo:refs_changed"]`;
  it('Bitbucket Server X-Hub-Signature with sha1= or sha256= verifies', async () => {
    for (const alg of ['sha1', 'sha256'] as const) {
      const t = await run(
        el(BITBUCKET),
        jsonRequest(BODY, { 'X-Event-Key': 'repo:refs_changed', 'X-Hub-Signature': sign(BODY, alg) }),
      );
      assert.equal(t.status, 'fired', `${alg}: ${t.reason}`);
    }
  });
  it('missing signature, wrong signature, wrong X-Event-Key', async () => {
    const missing = await run(el(BITBUCKET), jsonRequest(BODY, { 'X-Event-Key': 'repo:refs_changed' }));
    assert.equal(missing.interceptors[0].reason, 'no X-Hub-Signature header set');
    const wrong = await run(
      el(BITBUCKET),
      jsonRequest(BODY, { 'X-Event-Key': 'repo:refs_changed', 'X-Hub-Signature': sign('other') }),
    );
    assert.equal(wrong.interceptors[0].reason, 'payload signature check failed');
    const key = await run(
      el(BITBUCKET),
      jsonRequest(BODY, { 'X-Event-Key': 'repo:push', 'X-Hub-Signature': sign(BODY) }),
    );
    assert.equal(key.interceptors[0].reason, 'event type repo:push is not allowed');
  });
});

describe('interceptors: slack (pkg/interceptors/slack/slack.go) and form bodies (pkg/sink/sink.go)', () => {
  const SLACK = `        - ref:
            name: slack
          params:
            - name: requestedFields
              value: [text, user_name]`;
  const slackEl = (i: string): string => noValidation(el(i)).replace('$(body.x)', '$(extensions.text[0])');
  const form = (body: string, signature = 'v0=abc'): SimulationRequest => ({
    method: 'POST',
    url: '/',
    headers: { 'Content-Type': ['application/x-www-form-urlencoded'], 'X-Slack-Signature': [signature] },
    body: Buffer.from(body),
  });
  it('requested form fields become extensions (lists of strings); the form reaches bindings as JSON', async () => {
    const t = await run(slackEl(SLACK), form('text=main+2222&user_name=bob&x=1'));
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(t.interceptors[0].addedExtensions, { text: ['main 2222'], user_name: ['bob'] });
    assert.equal(t.params.find((p) => p.name === 'p')?.value, 'main 2222');
    assert.equal(t.problems.find((p) => p.code === 'form-body-converted')?.severity, 'information');
  });
  it('a requested field missing from the form: NotFound', async () => {
    const t = await run(slackEl(SLACK), form('text=a&x=1'));
    assert.equal(t.interceptors[0].statusCode, 'NotFound');
    assert.equal(t.interceptors[0].reason, 'requested field does not exists in payload map[text:[a] x:[1]]');
  });
  it('without X-Slack-Signature: InvalidArgument (the signature itself is not verified upstream)', async () => {
    const t = await run(slackEl(SLACK), {
      ...form('text=a&user_name=b'),
      headers: { 'Content-Type': ['application/x-www-form-urlencoded'] },
    });
    assert.equal(t.interceptors[0].statusCode, 'InvalidArgument');
  });
});

describe('interceptors: cel (pkg/interceptors/cel/cel.go, docs/interceptors.md)', () => {
  const cel = (filter?: string, overlays: [string, string][] = []): string =>
    `        - name: the-cel
          ref:
            name: cel
          params:
${filter !== undefined ? `            - name: filter\n              value: ${JSON.stringify(filter)}\n` : ''}${overlays.length ? `            - name: overlays\n              value:\n${overlays.map(([k, e]) => `                - key: ${JSON.stringify(k)}\n                  expression: ${JSON.stringify(e)}\n`).join('')}` : ''}`;
  it('a filter that returns true continues; false stops with FailedPrecondition "expression … did not return true"', async () => {
    assert.equal((await run(el(cel("body.action == 'opened'")), jsonRequest(BODY))).status, 'fired');
    const t = await run(el(cel("body.action == 'closed'")), jsonRequest(BODY));
    assert.equal(t.status, 'stopped');
    assert.equal(t.interceptors[0].statusCode, 'FailedPrecondition');
    assert.equal(t.interceptors[0].reason, "expression body.action == 'closed' did not return true");
    assert.equal(t.interceptors[0].expressions?.[0].result, 'false');
  });
  it('CEL errors stop the trigger with InvalidArgument (syntax and run-time)', async () => {
    const syntax = await run(el(cel('body.action ==')), jsonRequest(BODY));
    assert.equal(syntax.interceptors[0].statusCode, 'InvalidArgument');
    assert.match(
      syntax.interceptors[0].reason,
      /^error evaluating cel expression: failed to parse expression "body.action =="/,
    );
    const runtime = await run(el(cel('body.missing == 1')), jsonRequest(BODY));
    assert.match(
      runtime.interceptors[0].reason,
      /^error evaluating cel expression: expression "body.missing == 1" failed to evaluate: /,
    );
  });
  it('the expression source points at the filter text in the YAML', async () => {
    const yaml = el(cel("body.action == 'opened'"));
    const t = await run(yaml, jsonRequest(BODY));
    const src = t.interceptors[0].expressions![0].source!;
    assert.equal(yaml.slice(src.start, src.end), JSON.stringify("body.action == 'opened'"));
  });
  it('overlays: keys are sjson paths (a.b nests), values JSON-encoded (ints as numbers, bytes as base64)', async () => {
    const t = await run(
      el(
        cel(undefined, [
          ['a.b', "body.action + '!'"],
          ['n', '1 + 2'],
          ['bytes', "b'hi'"],
          ['l', '[1, 2.5]'],
          ['m', "{'k': true}"],
        ]),
      ),
      jsonRequest(BODY),
    );
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(t.extensions, { a: { b: 'opened!' }, n: 3, bytes: 'aGk=', l: [1, 2.5], m: { k: true } });
  });
  it('overlays of one interceptor all see the same input; the next interceptor sees them', async () => {
    const same = await run(
      el(
        cel(undefined, [
          ['first', "'1'"],
          ['second', 'extensions.first'],
        ]),
      ),
      jsonRequest(BODY),
    );
    assert.equal(same.status, 'stopped');
    assert.match(same.interceptors[0].reason, /extensions\.first/);
    const chained = await run(
      el(
        cel(undefined, [['first', "'1'"]]) +
          '\n' +
          cel('extensions.first == "1"', [['second', "extensions.first + '2'"]]),
      ),
      jsonRequest(BODY),
    );
    assert.equal(chained.status, 'fired', chained.reason);
    assert.deepEqual(chained.interceptors[1].inputExtensions, { first: '1' });
    assert.deepEqual(chained.extensions, { first: '1', second: '12' });
  });
  it('a key starting with extensions. is read as $(extensions.extensions.x) (tektoncd/website#282)', async () => {
    const yaml = el(cel(undefined, [['extensions.x', "'v'"]])).replace('$(body.x)', '$(extensions.extensions.x)');
    const t = await run(yaml, jsonRequest(BODY));
    assert.equal(t.params[0].value, 'v');
  });
  it('header, header.match() and requestURL are available', async () => {
    const t = await run(
      el(cel("header['X-Test'][0] == 'yes' && header.match('x-test', 'yes') && requestURL == '/hook?a=1'")),
      jsonRequest(BODY, { 'x-test': 'yes' }, '/hook?a=1'),
    );
    assert.equal(t.status, 'fired', t.reason);
  });
  it('a body that is not JSON fails the CEL interceptor (payload validation off)', async () => {
    const yaml = noValidation(el(cel('true')));
    const t = await run(yaml, { method: 'POST', url: '/', headers: {}, body: Buffer.from('plain text') });
    assert.equal(
      t.interceptors[0].reason,
      "error making the evaluation context: failed to parse the body as JSON: invalid character 'p' looking for beginning of value",
    );
  });
  it('uses the injected CelEvaluator', async () => {
    const calls: string[] = [];
    const fake: CelEvaluator = async (expression, activation) => {
      calls.push(`${expression}|${(activation.body as { action: string }).action}`);
      return expression === 'f' ? { value: true } : { value: 42n };
    };
    const t = await run(el(cel('f', [['k', 'o']])), jsonRequest(BODY), {}, { cel: fake });
    assert.deepEqual(calls, ['f|opened', 'o|opened']);
    assert.deepEqual(t.extensions, { k: 42 });
  });
});

describe('interceptors: v1alpha1 inline forms, webhook and custom interceptors', () => {
  it('legacy cel: and github: forms run as the core interceptors', async () => {
    const legacy = `        - github:
            secretRef: {secretName: hook, secretKey: token}
            eventTypes: [pull_request]
        - cel:
            filter: "body.action == 'opened'"`;
    const t = await run(
      el(legacy),
      jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(BODY) }),
    );
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(
      t.interceptors.map((s) => [s.type, s.legacy]),
      [
        ['github', true],
        ['cel', true],
      ],
    );
  });
  const WEBHOOK = `        - webhook:
            objectRef: {kind: Service, name: my-svc, apiVersion: v1, namespace: ci}`;
  it('webhook interceptors are not callable offline: unavailable, or assumed to pass', async () => {
    const off = await run(el(WEBHOOK), jsonRequest(BODY));
    assert.equal(off.status, 'unavailable');
    assert.match(off.interceptors[0].reason, /http:\/\/my-svc\.ci\.svc\//);
    const on = await run(el(WEBHOOK), jsonRequest(BODY), { assumeUnavailableInterceptorsPass: true });
    assert.equal(on.status, 'fired');
    assert.equal(on.interceptors[0].result, 'assumed');
  });
  it('custom ClusterInterceptors and namespaced Interceptors are looked up but not called', async () => {
    const extra = `---
apiVersion: triggers.tekton.dev/v1alpha1
kind: Interceptor
metadata:
  name: mine
spec:
  clientConfig:
    service: {name: mine-svc, namespace: default, path: check, port: 8082}
`;
    const ns = await run(el(`        - ref: {name: mine, kind: NamespacedInterceptor}`, extra), jsonRequest(BODY));
    assert.equal(ns.interceptors[0].type, 'custom');
    assert.match(
      ns.interceptors[0].reason,
      /Interceptor 'mine' \(https:\/\/mine-svc\.default\.svc:8082\/check\) cannot be called offline/,
    );
    const cluster = await run(el(`        - ref: {name: acme}`), jsonRequest(BODY));
    assert.match(cluster.interceptors[0].reason, /custom ClusterInterceptor 'acme' \(not defined in the workspace\)/);
    const bad = await run(el(`        - ref: {name: acme, kind: Weird}`), jsonRequest(BODY));
    assert.equal(bad.status, 'failed');
  });
});

describe('interceptors: sjson paths (tidwall/sjson SetRawBytes)', () => {
  it('nests, indexes, appends, escapes and refuses wildcards', () => {
    assert.deepEqual(sjsonSet({}, 'a.b.c', 1), { value: { a: { b: { c: 1 } } } });
    assert.deepEqual(sjsonSet({}, 'a.1', 'x'), { value: { a: [null, 'x'] } });
    assert.deepEqual(sjsonSet({ a: [1] }, 'a.-1', 2), { value: { a: [1, 2] } });
    assert.deepEqual(sjsonSet({}, 'a\\.b', 1), { value: { 'a.b': 1 } });
    assert.deepEqual(sjsonSet({}, 'a.:1', 1), { value: { a: { '1': 1 } } });
    assert.deepEqual(sjsonSet({ a: 'scalar' }, 'a.b', 1), { value: { a: { b: 1 } } });
    assert.ok('error' in sjsonSet({}, 'a.*', 1));
    assert.ok('error' in sjsonSet({}, '', 1));
  });
});

describe('interceptors: each check leads to the param it reads, not to the trigger', () => {
  /** What each check's source covers in the YAML, by check name. */
  const sources = (yaml: string, t: TriggerResult) =>
    t.interceptors[0].checks?.map((c) => [c.name, c.source ? yaml.slice(c.source.start, c.source.end) : undefined]);

  it('gitlab: eventTypes, then the signing and the token check on secretRef', async () => {
    const yaml = el(`        - ref:
            name: gitlab
          params:
            - name: secretRef
              value: {secretName: hook, secretKey: token}
            - name: eventTypes
              value: ["Push Hook"]`);
    const t = await run(yaml, jsonRequest(BODY, { 'X-Gitlab-Event': 'Push Hook' }), { signSample: true });
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(sources(yaml, t), [
      ['eventTypes', '["Push Hook"]'],
      ['signed', '{secretName: hook, secretKey: token}'],
      ['token', '{secretName: hook, secretKey: token}'],
    ]);
  });
  it('bitbucket: a missing signature is reported on secretRef', async () => {
    const yaml = el(`        - ref:
            name: bitbucket
          params:
            - name: eventTypes
              value: ["repo:refs_changed"]
            - name: secretRef
              value: {secretName: hook, secretKey: token}`);
    const t = await run(yaml, jsonRequest(BODY, { 'X-Event-Key': 'repo:refs_changed' }));
    assert.deepEqual(sources(yaml, t), [
      ['eventTypes', '["repo:refs_changed"]'],
      ['signature', '{secretName: hook, secretKey: token}'],
    ]);
  });
  it('github: a param named in another case is the one read (as encoding/json matches it); addChangedFiles on its param', async () => {
    const yaml = el(`        - ref:
            name: github
          params:
            - name: EventTypes
              value: [push]
            - name: addChangedFiles
              value:
                enabled: true`);
    const body = JSON.stringify({ x: 1, repository: { full_name: 'o/r' }, commits: [] });
    const t = await run(yaml, jsonRequest(body, { 'X-GitHub-Event': 'push' }));
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(sources(yaml, t), [
      ['eventTypes', '[push]'],
      ['addChangedFiles', 'enabled: true'],
    ]);
  });
  it('the v1alpha1 inline github: form: each check on its key', async () => {
    const yaml = el(`        - github:
            secretRef: {secretName: hook, secretKey: token}
            eventTypes: [pull_request]`);
    const t = await run(yaml, jsonRequest(BODY, { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': sign(BODY) }));
    assert.equal(t.status, 'fired', t.reason);
    assert.deepEqual(sources(yaml, t), [
      ['eventTypes', '[pull_request]'],
      ['signature', '{secretName: hook, secretKey: token}'],
    ]);
  });
});
