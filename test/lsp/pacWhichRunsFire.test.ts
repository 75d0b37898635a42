/**
 * "Which PipelineRuns Fire?" over LSP: the code lens on each Pipelines-as-Code PipelineRun and the `tekton/pacMatch`
 * request the client's command sends, on a `.tekton/` folder with two PipelineRuns (one file open, one on disk) and
 * a bundled GitHub pull_request example as the sample event (../shared/data; skipped without it).
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { PAC_RUN_SCHEME, PacMatchRequest, type SampleRequest } from '../../server/src/protocol';
import { SHARED_DATA } from '../helpers/fixtures';
import { TestClient } from '../helpers/lspClient';

const PAYLOAD = join(SHARED_DATA, 'payloads', 'github', 'pull_request', 'opened.payload.json');
const missing = existsSync(PAYLOAD) ? false : `GitHub payloads not found at ${PAYLOAD} (../shared/data): skipped`;

const run = (name: string, event: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
  annotations:
    pipelinesascode.tekton.dev/on-event: "[${event}]"
    pipelinesascode.tekton.dev/on-target-branch: "[master]"
spec:
  params:
    - name: revision
      value: "{{ revision }}"
    - name: branch
      value: "{{ source_branch }}"
  pipelineRef:
    name: build
`;

describe('Which PipelineRuns Fire? over LSP', { skip: missing }, () => {
  let client: TestClient;
  const root = mkdtempSync(join(tmpdir(), 'pac-lsp-'));
  mkdirSync(join(root, '.tekton'));
  writeFileSync(join(root, '.tekton', 'pull-request.yaml'), run('on-pull-request', 'pull_request'));
  writeFileSync(join(root, '.tekton', 'push.yaml'), run('on-push', 'push'));
  // The Repository of the event's URL declares a custom param: on-cel-expression reads it, {{ }} writes it.
  writeFileSync(
    join(root, 'repository.yaml'),
    `apiVersion: pipelinesascode.tekton.dev/v1alpha1
kind: Repository
metadata:
  name: hello-world
spec:
  url: https://github.com/Codertocat/Hello-World
  params:
    - name: registry
      value: quay.io/codertocat
`,
  );
  writeFileSync(
    join(root, '.tekton', 'registry.yaml'),
    run('on-registry', 'pull_request')
      .replace(
        /    pipelinesascode.tekton.dev\/on-event.*\n.*\n/,
        '    pipelinesascode.tekton.dev/on-cel-expression: "registry.startsWith(\'quay.io\')"\n',
      )
      .replace('{{ source_branch }}', '{{ registry }}'),
  );
  const uri = pathToFileURL(join(root, '.tekton', 'pull-request.yaml')).toString();
  const pushUri = pathToFileURL(join(root, '.tekton', 'push.yaml')).toString();

  before(async () => {
    client = new TestClient();
    await client.initialize(true, {}, pathToFileURL(root).toString());
    client.open(uri, readFileSync(join(root, '.tekton', 'pull-request.yaml'), 'utf8'));
  });
  after(() => client.shutdown());

  it('puts a "Which PipelineRuns fire?" lens on the PaC PipelineRun', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const lens = lenses.find((l) => l.command?.command === 'tekton.pacWhichRunsFire');
    assert.ok(lens, JSON.stringify(lenses));
    assert.match(lens.command!.title, /Which PipelineRuns fire\?/);
    assert.deepEqual(lens.command!.arguments, [uri]);
  });

  it('puts no "Which PipelineRuns fire?" lens on a substituted run, only Submit Run', async () => {
    const substituted = `${PAC_RUN_SCHEME}:/on-pull-request.substituted.yaml`;
    client.open(substituted, readFileSync(join(root, '.tekton', 'pull-request.yaml'), 'utf8'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: substituted } });
    const commands = lenses.map((l) => l.command?.command);
    assert.ok(!commands.includes('tekton.pacWhichRunsFire'), JSON.stringify(lenses));
    assert.ok(commands.includes('tekton.submitRun'), JSON.stringify(lenses));
  });

  it('matches the folder against a bundled pull_request example: one matched on annotations, one on a Repository custom param, one skipped with its reason; matched ones substituted', async () => {
    const body = readFileSync(PAYLOAD, 'utf8');
    const sample: SampleRequest = {
      label: 'pull_request opened',
      method: 'POST',
      url: '/',
      headers: { 'X-GitHub-Event': ['pull_request'] },
      body,
    };
    const result = await client.request<PacMatchRequest.Result>(PacMatchRequest.method, {
      uri,
      sample,
      changedFiles: { modified: ['README.md'] },
    });
    assert.equal(result.error, undefined);
    assert.deepEqual(result.matched.map((m) => m.name).sort(), ['on-pull-request', 'on-registry']);
    assert.deepEqual(
      result.skipped.map((s) => [s.name, s.reason, s.uri]),
      [['on-push', 'on-event [push] does not match the event pull_request', pushUri]],
    );
    const m = result.matched.find((x) => x.name === 'on-pull-request')!;
    assert.equal(m.uri, uri);
    assert.deepEqual(m.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 23 } });
    const sha = (JSON.parse(body) as { pull_request: { head: { sha: string } } }).pull_request.head.sha;
    assert.match(m.yaml, new RegExp(`value: ${sha}`));
    assert.match(m.yaml, /value: changes/);
    assert.equal(typeof PAC_RUN_SCHEME, 'string');
    const registry = result.matched.find((x) => x.name === 'on-registry')!;
    assert.equal(registry.reason, 'on-cel-expression is true');
    assert.match(registry.yaml, /value: quay.io\/codertocat/);
  });

  it('answers with one error for a request that is not a GitHub or GitLab webhook', async () => {
    const sample: SampleRequest = { label: 'x', method: 'POST', url: '/', headers: {}, body: '{}' };
    const result = await client.request<PacMatchRequest.Result>(PacMatchRequest.method, { uri, sample });
    assert.match(
      result.error ?? '',
      /not a GitHub or GitLab webhook: the request has no X-GitHub-Event or X-Gitlab-Event header/,
    );
    assert.deepEqual(result.matched, []);
  });
});
