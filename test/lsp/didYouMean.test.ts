/**
 * "Did you mean" comes with its quick fix, from one mechanism (document/problem.ts didYouMean): a misspelled key, a
 * misspelled kind, and an apiVersion of the wrong Tekton group or version, over LSP as an editor asks for them.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lspClient';

const TEXT = `apiVersion: tekton.dev/v1alpha1
kind: Trigger
metadata:
  name: t
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  tasks:
    - name: a
      runAftr: [b]
      taskRef: {name: x}
---
apiVersion: tekton.dev/v1
kind: Pipline
metadata:
  name: q
---
apiVersion: triggers.tekton.dev/v1
kind: Trigger
metadata:
  name: t2
`;

describe('did-you-mean quick fixes over LSP', () => {
  let client: TestClient;
  const uri = 'file:///ws/did-you-mean.yaml';
  let diagnostics: Diagnostic[];
  before(async () => {
    client = new TestClient();
    await client.initialize(true);
    client.open(uri, TEXT);
    diagnostics = await client.diagnostics(uri);
  });
  after(() => client.shutdown());

  const fixesOf = async (code: string, line: number) => {
    const diagnostic = diagnostics.find((d) => d.code === code && d.range.start.line === line);
    assert.ok(diagnostic, `a ${code} diagnostic on line ${line + 1}: ${JSON.stringify(diagnostics.map((d) => [d.code, d.range.start.line]))}`);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    return { diagnostic, actions: actions.filter((a) => a.diagnostics?.[0]?.code === code) };
  };
  const edits = (a: CodeAction) => a.edit?.changes?.[uri]?.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]);

  it('fixes a misspelled key', async () => {
    const { diagnostic, actions } = await fixesOf('schema-unknown-property', 12);
    assert.equal(diagnostic.message, 'Property "runAftr" is not allowed here; did you mean "runAfter"?');
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred, edits(a)]), [['Change to "runAfter"', true, [[12, 6, 13, 'runAfter']]]]);
  });

  it('fixes a misspelled kind', async () => {
    const { actions } = await fixesOf('unknown-kind', 16);
    assert.deepEqual(actions.map((a) => [a.title, edits(a)]), [['Change to "Pipeline"', [[16, 6, 13, 'Pipeline']]]]);
  });

  it('moves a kind of the other Tekton group to its group, storage version first, with the range on apiVersion', async () => {
    const { diagnostic, actions } = await fixesOf('unknown-api-version', 0);
    assert.equal(diagnostic.message, 'Trigger belongs to the triggers.tekton.dev API group, not tekton.dev; use triggers.tekton.dev/v1beta1, triggers.tekton.dev/v1alpha1');
    assert.deepEqual(diagnostic.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 31 } });
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred, edits(a)]), [
      ['Change to triggers.tekton.dev/v1beta1', false, [[0, 12, 31, 'triggers.tekton.dev/v1beta1']]],
      ['Change to triggers.tekton.dev/v1alpha1', false, [[0, 12, 31, 'triggers.tekton.dev/v1alpha1']]],
    ]);
  });

  it('offers the serving versions of a kind written at a version that does not serve it', async () => {
    const { actions } = await fixesOf('unknown-api-version', 20);
    assert.deepEqual(actions.map((a) => a.title), ['Change to triggers.tekton.dev/v1beta1', 'Change to triggers.tekton.dev/v1alpha1']);
  });
});
