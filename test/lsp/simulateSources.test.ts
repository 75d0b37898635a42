/**
 * tekton/simulate over JSON-RPC: every item of the trace carries the range of its own YAML node, so that an editor
 * jumps to the line to fix. A GitHub interceptor's signature check leads to its `secretRef`, the event-type check to
 * `eventTypes`, CEL expressions to themselves, params to their binding value, default or declaration, resources to
 * their `resourcetemplates` entry; none of them to the trigger's name.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SimulateRequest, TextRange, TraceSource } from '../../server/src/protocol';
import { TestClient, withClient } from '../helpers/lspClient';

const TRIGGER_URI = 'file:///ws/trigger.yaml';
const RESOURCES_URI = 'file:///ws/resources.yaml';

const TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-pr
spec:
  interceptors:
    - ref:
        name: github
      params:
        - name: secretRef
          value:
            secretName: hook-secret
            secretKey: token
        - name: eventTypes
          value: ["pull_request"]
    - ref:
        name: cel
      params:
        - name: filter
          value: body.action == 'opened'
        - name: overlays
          value:
            - key: short_sha
              expression: body.pull_request.head.sha.truncate(7)
  bindings:
    - ref: pr-binding
    - name: sha
      value: $(extensions.short_sha)
  template:
    ref: pr-template
`;

const RESOURCES = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: pr-binding
spec:
  params:
    - name: url
      value: $(body.repository.clone_url)
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: pr-template
spec:
  params:
    - name: url
    - name: sha
    - name: branch
      default: main
    - name: missing
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: PipelineRun
      metadata:
        generateName: pr-
      spec:
        pipelineRef:
          name: build
        params:
          - name: url
            value: $(tt.params.url)
---
apiVersion: v1
kind: Secret
metadata:
  name: hook-secret
stringData:
  token: not-a-real-secret
`;

const PULL_REQUEST = {
  label: 'pull_request.json',
  method: 'POST',
  url: '/',
  headers: { 'Content-Type': ['application/json'], 'X-GitHub-Event': ['pull_request'] },
  body: JSON.stringify({
    action: 'opened',
    pull_request: { head: { sha: 'abc1234def' } },
    repository: { clone_url: 'https://github.com/o/r.git' },
  }),
};

/** The text a range covers in `text`. */
function textAt(text: string, range: TextRange): string {
  const lines = text.split('\n');
  const offset = (p: TextRange['start']) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/** What a source leads to: `file:text`, read from the document it names. */
function shown(source: TraceSource | undefined): string | undefined {
  if (!source?.range) return undefined;
  const text = source.uri === TRIGGER_URI ? TRIGGER : source.uri === RESOURCES_URI ? RESOURCES : undefined;
  if (text === undefined) return `${source.uri}: (not a test document)`;
  return `${source.uri.slice('file:///ws/'.length)}:${textAt(text, source.range)}`;
}

/** Opens both files, and pulls their diagnostics as an editor does on open. */
async function openBoth(client: TestClient): Promise<void> {
  client.open(RESOURCES_URI, RESOURCES);
  client.open(TRIGGER_URI, TRIGGER);
  await client.diagnostics(RESOURCES_URI);
  await client.diagnostics(TRIGGER_URI);
}

async function simulate(client: TestClient, signSample: boolean): Promise<NonNullable<SimulateRequest.Result['result']>> {
  const r = await client.request<SimulateRequest.Result>('tekton/simulate', { uri: TRIGGER_URI, sample: PULL_REQUEST, signSample });
  assert.equal(r.error, undefined);
  assert.ok(r.result);
  return r.result;
}

describe('tekton/simulate: each trace item carries the range of its own source', () => {
  it('a simulation right after opening, before any diagnostics pull, sees the other open file (its template)', async () => {
    await withClient(async (client) => {
      await client.initialize(true);
      client.open(RESOURCES_URI, RESOURCES);
      client.open(TRIGGER_URI, TRIGGER);
      const [trigger] = (await simulate(client, true)).triggers;
      assert.equal(trigger.status, 'fired', JSON.stringify(trigger.problems));
      assert.ok(trigger.resources.length > 0);
    });
  });

  it('the github interceptor: event type check → eventTypes, signature check → secretRef (unsigned sample)', async () => {
    await withClient(async (client) => {
      await client.initialize(true);
      await openBoth(client);
      const [trigger] = (await simulate(client, false)).triggers;
      assert.equal(trigger.status, 'stopped');
      const github = trigger.interceptors[0];
      assert.deepEqual(
        (github.checks ?? []).map((c) => [c.name, c.ok, shown(c.source)]),
        [
          ['eventTypes', true, 'trigger.yaml:["pull_request"]'],
          ['signature', false, 'trigger.yaml:secretName: hook-secret\n            secretKey: token'],
        ],
      );
      // the check's range is its own, inside the interceptor's, and not the trigger's
      const signature = github.checks![1].source!.range!;
      assert.equal(signature.start.line, 11);
      assert.equal(github.source?.range?.start.line, 6);
      assert.notEqual(shown(github.checks![1].source), shown(trigger.source));
    });
  });

  it('a signed sample: the signing and the signature checks → secretRef; expressions, params and resources → theirs', async () => {
    await withClient(async (client) => {
      await client.initialize(true);
      await openBoth(client);
      const [trigger] = (await simulate(client, true)).triggers;
      assert.equal(trigger.status, 'fired', trigger.reason);
      const [github, cel] = trigger.interceptors;
      const secretRef = 'trigger.yaml:secretName: hook-secret\n            secretKey: token';
      assert.deepEqual(
        (github.checks ?? []).map((c) => [c.name, c.ok, shown(c.source)]),
        [
          ['eventTypes', true, 'trigger.yaml:["pull_request"]'],
          ['signed', true, secretRef],
          ['signature', true, secretRef],
        ],
      );
      assert.deepEqual(
        (cel.expressions ?? []).map((e) => [e.role, shown(e.source)]),
        [
          ['filter', "trigger.yaml:body.action == 'opened'"],
          ['overlay', 'trigger.yaml:body.pull_request.head.sha.truncate(7)'],
        ],
      );
      // each param leads to where its value came from: a TriggerBinding's value, the inline binding, the template
      // default; an unbound one to its declaration in the template
      assert.deepEqual(
        trigger.params.map((p) => [p.name, p.origin, shown(p.binding?.source ?? p.defaultSource ?? p.declaredSource)]),
        [
          ['branch', 'default', 'resources.yaml:main'],
          ['missing', 'unbound', 'resources.yaml:name: missing'],
          ['sha', 'binding', 'trigger.yaml:$(extensions.short_sha)'],
          ['url', 'binding', 'resources.yaml:$(body.repository.clone_url)'],
        ],
      );
      assert.equal(trigger.resources.length, 1);
      assert.match(shown(trigger.resources[0].source) ?? '', /^resources\.yaml:apiVersion: tekton\.dev\/v1\n\s+kind: PipelineRun\n/);
    });
  });
});
