import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { TestClient, withClient } from '../helpers/lspClient';

const TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-push
spec:
  interceptors:
    - ref:
        name: cel
      params:
        - name: filter
          value: header.match('X-GitHub-Event', 'push')
        - name: overlays
          value:
            - key: short_sha
              expression: body.after.truncate(7)
    - ref:
        name: cel
      params:
        - name: filter
          value: "extensions.short_sha == 'abc1234'"
  bindings:
    - name: sha
      value: $(extensions.short_sha)
  template:
    spec:
      resourcetemplates: []
`;

const SAMPLE = {
  label: 'push.json',
  method: 'POST',
  url: '/',
  headers: { 'Content-Type': ['application/json'], 'x-github-event': ['push'] },
  body: JSON.stringify({ after: 'abc1234def', ref: 'refs/heads/main' }),
};

describe('inline CEL evaluation against a sample event (REFERENCE.md §3.3: later interceptors see earlier extensions)', () => {
  let client: TestClient;
  const uri = 'file:///ws/trigger.yaml';
  before(async () => {
    client = new TestClient();
    await client.initialize(true);
    client.open(uri, TRIGGER);
  });
  after(() => client.shutdown());

  it('invites to pick a sample before one is set', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.command]),
      [
        [0, 'tekton.simulateEvent'],
        [10, 'tekton.selectSamplePayload'],
      ],
    );
  });

  it('shows the filter result and each overlay value as code lenses, through the interceptor chain', async () => {
    await client.connection.sendNotification('tekton/setSample', { sample: SAMPLE });
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`);
    assert.deepEqual(titles, [
      '0: ▶ Simulate event (push.json)',
      '10: filter ⇒ true  (push.json)',
      '14: overlay short_sha ⇒ "abc1234"  (push.json)',
      '19: filter ⇒ true  (push.json)',
    ]);
  });

  it('evaluates the CEL field under the cursor with the extensions of earlier interceptors', async () => {
    const r = await client.request<{ ok: boolean; display: string }>('tekton/evaluateCel', {
      uri,
      position: { line: 19, character: 20 },
    });
    assert.deepEqual([r.ok, r.display], [true, 'true']);
    const ext = await client.request<{ ok: boolean; display: string }>('tekton/evaluateCel', {
      uri,
      position: { line: 19, character: 20 },
      expression: 'extensions',
    });
    assert.equal(ext.display, '{"short_sha":"abc1234"}');
  });

  it('stops a runaway expression at the time limit and keeps answering', async () => {
    const big = '[1,2,3,4,5,6,7,8,9,10]';
    let expr = 'x0';
    for (let i = 0; i < 9; i++) expr = `${big}.map(x${i}, ${i === 0 ? `${big}.map(y, y)` : expr})`;
    const started = Date.now();
    const r = await client.request<{ ok: boolean; error: string }>('tekton/evaluateCel', {
      uri,
      position: { line: 10, character: 20 },
      expression: `size(${expr}) > 0`,
    });
    assert.equal(r.ok, false);
    assert.match(r.error, /stopped after|time limit|timeout|memory/i);
    assert.ok(Date.now() - started < 10000);
    const again = await client.request<{ ok: boolean; display: string }>('tekton/evaluateCel', {
      uri,
      position: { line: 10, character: 20 },
    });
    assert.deepEqual([again.ok, again.display], [true, 'true']);
  });
});

describe('inline CEL after a github interceptor with a secretRef, on an unsigned sample', () => {
  const SIGNED_TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-push
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
          value: ["push"]
    - ref:
        name: cel
      params:
        - name: filter
          value: body.ref == 'refs/heads/main'
  template:
    ref: build
`;
  const SECRET = `---
apiVersion: v1
kind: Secret
metadata:
  name: hook-secret
stringData:
  token: s3cr3t-value
`;

  function lensTitles(text: string): Promise<string[]> {
    return withClient(async (client) => {
      await client.initialize(true);
      const uri = 'file:///ws/signed.yaml';
      client.open(uri, text);
      await client.connection.sendNotification('tekton/setSample', { sample: SAMPLE });
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      return lenses.filter((l) => l.range.start.line === 19).map((l) => l.command?.title ?? '');
    });
  }

  it('evaluates the filter on the sample as the provider signs it when the secret is known', async () => {
    const titles = await lensTitles(SIGNED_TRIGGER + SECRET);
    assert.deepEqual(titles, ['filter ⇒ true  (push.json)']);
    assert.ok(!titles.join('').includes('s3cr3t'), 'no secret in a lens');
  });

  it('says which interceptor stopped the chain, and why, when the secret is not known', async () => {
    const [title] = await lensTitles(SIGNED_TRIGGER);
    assert.match(title, /^filter: not evaluated on push\.json: interceptor 1 \(github\) stopped: /);
    assert.match(title, /hook-secret/);
  });
});

describe('tekton/simulate: a sample event through a Trigger, with source ranges for the trace', () => {
  it('renders the resources and resolves the params with where each came from', async () => {
    await withClient(async (client) => {
      await client.initialize(true);
      const uri = 'file:///ws/sim.yaml';
      client.open(
        uri,
        TRIGGER.replace(
          'resourcetemplates: []',
          'params:\n        - name: sha\n      resourcetemplates:\n        - apiVersion: tekton.dev/v1\n          kind: PipelineRun\n          metadata:\n            generateName: build-\n          spec:\n            pipelineRef:\n              name: build\n            params:\n              - name: revision\n                value: $(tt.params.sha)\n',
        ),
      );
      const r = await client.request<{ target: { kind: string }; yaml: string; result: { triggers: { status: string; params: { name: string; value: string }[]; interceptors: { source: { range: { start: { line: number } } } }[] }[] } }>(
        'tekton/simulate',
        { uri, sample: SAMPLE },
      );
      assert.equal(r.target.kind, 'Trigger');
      const [trigger] = r.result.triggers;
      assert.equal(trigger.status, 'fired');
      assert.deepEqual(trigger.params.map((p) => [p.name, p.value]), [['sha', 'abc1234']]);
      assert.equal(trigger.interceptors[1].source.range.start.line, 15);
      assert.match(r.yaml, /generateName: build-/);
      assert.match(r.yaml, /value: abc1234/);
      assert.match(r.yaml, /triggers.tekton.dev\/trigger: on-push/);
      // the output channel says what ran and how it ended, and nothing of the event
      await client.request('tekton/evaluateCel', { uri, position: { line: 19, character: 20 } });
      const said = client.logs.map((l) => l.message);
      assert.ok(said.some((m) => /^Simulated "push\.json" on Trigger on-push: 1 of 1 trigger\(s\) fired in \d+ ms$/.test(m)), said.join('\n'));
      assert.ok(said.some((m) => /^Evaluated CEL at sim\.yaml:20: (bool in \d+ ms|error)$/.test(m)), said.join('\n'));
      assert.ok(!said.some((m) => m.includes('abc1234')), 'no event content in the log');
    });
  });
});
