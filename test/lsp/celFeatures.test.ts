import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import { TestClient, withCursor } from '../helpers/lspClient';

const PUSH_TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-push
spec:
  interceptors:
    - ref:
        name: github
      params:
        - name: eventTypes
          value: ["push"]
    - ref:
        name: cel
      params:
        - name: filter
          value: "body.|"
  template:
    ref: tmpl
`;

describe('CEL completion and hover over LSP', () => {
  let client: TestClient;
  before(async () => {
    client = new TestClient();
    await client.initialize(true);
  });
  after(() => client.shutdown());

  it('completes body. with the push event fields, nothing from pull_request', async () => {
    const { text, position } = withCursor(PUSH_TRIGGER);
    client.open('file:///ws/push.yaml', text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: 'file:///ws/push.yaml' }, position });
    const labels = list.items.map((i) => i.label);
    for (const f of ['ref', 'head_commit', 'repository', 'commits']) assert.ok(labels.includes(f), f);
    assert.ok(!labels.includes('pull_request') && !labels.includes('number'));
  });

  it('completes body.repository. with full_name', async () => {
    const { text, position } = withCursor(PUSH_TRIGGER.replace('body.|', 'body.repository.|'));
    client.open('file:///ws/push2.yaml', text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: 'file:///ws/push2.yaml' }, position });
    assert.ok(list.items.some((i) => i.label === 'full_name'));
  });

  it('hovers a CEL function with its documentation', async () => {
    const text = PUSH_TRIGGER.replace('body.|', "header.match('X-GitHub-Event', 'push')");
    client.open('file:///ws/push3.yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('header.match'));
    const character = text.split('\n')[line].indexOf('match') + 2;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: 'file:///ws/push3.yaml' }, position: { line, character } });
    assert.match((hover.contents as { value: string }).value, /match/);
  });
});
