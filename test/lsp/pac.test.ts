/**
 * Pipelines-as-Code editing over LSP (the bundled server): diagnostics of annotations beside the Pipelines engine's,
 * the quick fix of an unknown key and of an unquoted list, completion and hover of annotation keys, values and
 * `{{ }}` variables, and CEL completion in `on-cel-expression` with PaC's variables (cel.go decls).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, withCursor } from '../helpers/lspClient';

const items = (r: CompletionList | CompletionItem[] | null): CompletionItem[] =>
  Array.isArray(r) ? r : (r?.items ?? []);

const RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: on-pr
  annotations:
    pipelinesascode.tekton.dev/on-event: [pull_request]
    pipelinesascode.tekton.dev/on-target-brnch: "[main]"
spec:
  params:
    - name: revision
      value: "{{ revision }}"
  pipelineSpec:
    params:
      - name: revision
    tasks:
      - name: build
        params:
          - name: revision
            value: $(params.revision)
        taskSpec:
          params:
            - name: revision
          steps:
            - name: build
              image: alpine
              script: echo $(params.revision)
    taskz: []
`;


/** A PaC PipelineRun running Pipeline `build`, with one annotation line (the cursor mark `|` may sit in it). */
function pacRun(name: string, annotation: string): string {
  return `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: ${name}\n  annotations:\n    ${annotation}\nspec:\n  pipelineRef:\n    name: build\n`;
}

describe('Pipelines-as-Code over LSP', () => {
  let client: TestClient;
  before(async () => {
    client = new TestClient();
    await client.initialize();
  });
  after(() => client.shutdown());

  it('reports PaC annotation problems beside the Pipelines engine’s own (the run stays a checked PipelineRun)', async () => {
    const uri = 'file:///repo/.tekton/pr.yaml';
    client.open(uri, RUN);
    const diags: Diagnostic[] = await client.diagnostics(uri);
    const codes = diags.map((d) => d.code).sort();
    assert.ok(codes.includes('pac-unknown-annotation'), codes.join());
    assert.ok(codes.includes('pac-annotation-not-string'), codes.join());
    // The Pipelines schema still checks the PipelineRun: the misspelt pipelineSpec key is reported.
    assert.ok(codes.includes('schema-unknown-property'), codes.join());
    const unknown = diags.find((d) => d.code === 'pac-unknown-annotation')!;
    assert.deepEqual(unknown.range, { start: { line: 6, character: 31 }, end: { line: 6, character: 46 } });

    const actions = (
      await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: unknown.range,
        context: { diagnostics: [unknown] },
      })
    ).filter((a) => a.title.includes('on-target-branch'));
    assert.equal(actions.length, 1);
    assert.deepEqual(actions[0].edit?.changes?.[uri], [{ range: unknown.range, newText: 'on-target-branch' }]);

    const list = diags.find((d) => d.code === 'pac-annotation-not-string')!;
    const quote = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: list.range,
      context: { diagnostics: [list] },
    });
    const edit = quote.flatMap((a) => a.edit?.changes?.[uri] ?? []).find((e) => e.newText === '"[pull_request]"');
    assert.ok(edit, JSON.stringify(quote));
  });

  it('completes annotation keys and hovers them with what they do', async () => {
    const uri = 'file:///repo/.tekton/keys.yaml';
    const { text, position } = withCursor(`apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: keys
  annotations:
    pipelinesascode.tekton.dev/on-event: "[push]"
    pipelinesascode.tekton.dev/on-t|
spec:
  pipelineRef:
    name: build
`);
    client.open(uri, text);
    const labels = items(await client.completion(uri, position)).map((i) => i.label);
    assert.ok(labels.includes('pipelinesascode.tekton.dev/on-target-branch'), labels.join());
    assert.ok(labels.includes('pipelinesascode.tekton.dev/on-cel-expression'), labels.join());
    assert.ok(!labels.includes('pipelinesascode.tekton.dev/on-event'), 'a key already written is not offered again');
    const hover = await client.hover(uri, { line: 5, character: 35 });
    assert.match(JSON.stringify(hover?.contents), /on-event.*pull_request/);
  });

  it('completes event names as on-event values', async () => {
    const uri = 'file:///repo/.tekton/values.yaml';
    const { text, position } = withCursor(pacRun('values', 'pipelinesascode.tekton.dev/on-event: "[pu|]"'));
    client.open(uri, text);
    const labels = items(await client.completion(uri, position)).map((i) => i.label);
    assert.ok(labels.includes('"[pull_request]"') && labels.includes('"[push]"'), labels.join());
  });

  it('completes and hovers {{ }} variables, and flags an unknown one with did-you-mean', async () => {
    const uri = 'file:///repo/.tekton/vars.yaml';
    const { text, position } = withCursor(`apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: vars
  annotations:
    pipelinesascode.tekton.dev/on-event: "[push]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
spec:
  params:
    - name: url
      value: "{{ repo_u| }}"
    - name: branch
      value: "{{ source_branch }} {{ sendr }}"
  pipelineRef:
    name: build
`);
    client.open(uri, text);
    const labels = items(await client.completion(uri, position)).map((i) => i.label);
    assert.ok(labels.includes('repo_url') && labels.includes('pull_request_number'), labels.join());
    const hover = await client.hover(uri, { line: 12, character: 18 });
    assert.match(JSON.stringify(hover?.contents), /head branch/);
    const diags = await client.diagnostics(uri);
    const unknown = diags.filter((d) => d.code === 'pac-unknown-variable');
    assert.ok(
      unknown.some((d) => /"sendr".*did you mean "sender"/.test(String(d.message))),
      JSON.stringify(diags),
    );
  });

  it('reads an unquoted {{ }} value of a .tekton/ file as PaC does, substituted before decoding; elsewhere it is a map', async () => {
    // as openshift/pipelines-tutorial's .tekton/pipelinerun.yaml writes it
    const text = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: tutorial
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
spec:
  params:
    - name: repo_url
      value: {{repo_url}}   # the clone URL
    - name: revision
      value: {{ revison }}
  pipelineSpec:
    params:
      - name: repo_url
      - name: revision
    tasks:
      - name: show
        taskSpec:
          steps:
            - image: alpine
              script: |
                echo $(params.repo_url) $(params.revision)
                key: {{ repo_url }}
`;
    const uri = 'file:///repo/.tekton/tutorial.yaml';
    client.open(uri, text);
    const diags = await client.diagnostics(uri);
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['pac-unknown-variable', 3, 12, 16, 23]],
      JSON.stringify(diags),
    );
    assert.match(String(diags[0].message), /"revison".*did you mean "revision"/);
    const hover = await client.hover(uri, { line: 10, character: 15 });
    assert.match(JSON.stringify(hover?.contents), /repository URL/);
    // typed unquoted and not closed yet: still the variables
    const typing = 'file:///repo/.tekton/typing-unquoted.yaml';
    const { text: typed, position } = withCursor(text.replace('value: {{ revison }}', 'value: {{ rev|'));
    client.open(typing, typed);
    const labels = items(await client.completion(typing, position)).map((i) => i.label);
    assert.ok(labels.includes('revision') && labels.includes('repo_url'), labels.join());
    // outside .tekton/ nothing substitutes it: a YAML flow mapping, which Kubernetes cannot convert to JSON
    const elsewhere = 'file:///repo/deploy/tutorial.yaml';
    client.open(elsewhere, text);
    const codes = (await client.diagnostics(elsewhere)).map((d) => d.code);
    assert.ok(codes.includes('schema-complex-key'), codes.join());
  });

  it('completes PaC’s CEL variables in on-cel-expression, and not Triggers’ ones', async () => {
    const uri = 'file:///repo/.tekton/cel.yaml';
    const { text, position } = withCursor(pacRun('cel', 'pipelinesascode.tekton.dev/on-cel-expression: "event == \'push\' && |"'));
    client.open(uri, text);
    const labels = items(await client.completion(uri, position)).map((i) => i.label);
    for (const v of ['target_branch', 'source_branch', 'event_title', 'files', 'headers', 'body'])
      assert.ok(labels.includes(v), `${v}: ${labels.join()}`);
    assert.ok(!labels.includes('header') && !labels.includes('extensions'), labels.join());
  });

  it('completes body. paths from the GitHub webhook schema of the events the expression tests', async () => {
    const uri = 'file:///repo/.tekton/body.yaml';
    const { text, position } = withCursor(pacRun('body', 'pipelinesascode.tekton.dev/on-cel-expression: "event == \'pull_request\' && body.pull_request.|"'));
    client.open(uri, text);
    const labels = items(await client.completion(uri, position)).map((i) => i.label);
    for (const f of ['base', 'head', 'draft', 'labels', 'title'])
      assert.ok(labels.includes(f), `${f}: ${labels.join()}`);
  });

  it('completes variables after an unclosed {{ while typing, with body./headers./cel: entries', async () => {
    const uri = 'file:///repo/.tekton/typing.yaml';
    const { text, position } = withCursor(`apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: typing
  annotations:
    pipelinesascode.tekton.dev/on-event: "[push]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
spec:
  params:
    - name: sha
      value: "sha-{{ rev|"
  pipelineRef:
    name: build
`);
    client.open(uri, text);
    const result = items(await client.completion(uri, position));
    const revision = result.find((i) => i.label === 'revision');
    assert.ok(revision, result.map((i) => i.label).join());
    assert.deepEqual((revision.textEdit as { range: unknown }).range, {
      start: { line: 10, character: 21 },
      end: position,
    });
    assert.ok(['body.', 'headers.', 'cel: '].every((l) => result.some((i) => i.label === l)));
  });

  it('hovers a list value with the values PaC reads from it (&#44; a literal comma)', async () => {
    const uri = 'file:///repo/.tekton/hover-value.yaml';
    const text = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: hover-value
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[main, release&#44;nightly]"
spec:
  pipelineRef:
    name: build
`;
    client.open(uri, text);
    const hover = await client.hover(uri, { line: 6, character: 55 });
    const md = JSON.stringify(hover?.contents);
    assert.match(md, /reads 2 value\(s\): `main`, `release,nightly`/, md);
  });
});
