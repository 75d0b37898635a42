import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { TestClient, withCursor } from '../helpers/lspClient';

const IR = `components:
  comp-hello:
    executorLabel: |
    inputDefinitions:
      parameters:
        name:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-hello:
      container:
        image: python:3.11
        command: [echo]
pipelineInfo:
  name: hello
root:
  dag:
    tasks:
      hello:
        componentRef:
          name: comp-hello
        inputs:
          parameters:
            name:
              componentInputParameter: who
  inputDefinitions:
    parameters:
      who:
        parameterType: STRING
schemaVersion: 2.1.0
`;

const items = (r: CompletionList | CompletionItem[] | null): CompletionItem[] => (Array.isArray(r) ? r : (r?.items ?? []));

describe('Kubeflow Pipelines editing over LSP', () => {
  let client: TestClient;
  const uri = 'file:///kfp/hello.yaml';
  const { text, position } = withCursor(IR);

  before(async () => {
    client = new TestClient();
    await client.initialize();
    client.open(uri, text);
  });
  after(() => client.shutdown());

  it('puts "▶ Submit Run" and "Sweep…" lenses over the pipeline, running the KFP commands with the file', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const kfp = lenses.filter((l) => l.command?.command.startsWith('tekton.kfp.'));
    assert.deepEqual(
      kfp.map((l) => [l.command?.title, l.command?.command, l.command?.arguments, l.range.start.line]),
      [
        ['▶ Submit Run', 'tekton.kfp.submitRun', [uri], 0],
        ['Sweep…', 'tekton.kfp.sweep', [uri], 0],
      ],
    );
    const broken = 'file:///kfp/broken.yaml';
    client.open(broken, `${text}
root: [
`);
    const none = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: broken } });
    assert.deepEqual(none.filter((l) => l.command?.command.startsWith('tekton.kfp.')), [], 'no submission of a file with YAML errors');
  });

  it('completes executor labels at executorLabel', async () => {
    const labels = items(await client.completion(uri, position)).map((i) => i.label);
    assert.deepEqual(labels, ['exec-hello']);
  });

  it('offers IR keys at the top level and no Tekton apiVersion/kind', async () => {
    const top = { line: text.split('\n').length - 1, character: 0 };
    const labels = items(await client.completion(uri, top)).map((i) => i.label);
    assert.ok(labels.includes('defaultPipelineRoot'), labels.join());
    assert.ok(!labels.includes('apiVersion') && !labels.includes('kind'), labels.join());
  });

  it('hovers a task with its component inputs and the outline lists the DAG', async () => {
    const lines = text.split('\n');
    const line = lines.indexOf('      hello:');
    const hover = await client.hover(uri, { line, character: 7 });
    assert.match(JSON.stringify(hover?.contents), /task hello/);
    const symbols = await client.symbols(uri);
    assert.deepEqual(symbols.map((s) => s.name), ['pipeline hello', 'components', 'executors']);
    assert.deepEqual(symbols[0].children?.map((s) => s.name), ['hello']);
  });
});
