import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CompletionList, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lspClient';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build-image
spec:
  steps:
    - image: alpine
`;
const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: release
spec:
  tasks:
    - name: build
      taskRef:
        name: build-image
    - name: other
      taskRef:
        name: build-imag
    - name: remote
      taskRef:
        resolver: git
        params: []
`;
const TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-push
spec:
  bindings:
    - ref: push-binding
    - ref: missing-binding
  template:
    ref: tmpl
`;
const BINDING = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: push-binding
spec:
  params: []
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tmpl
spec:
  resourcetemplates: []
`;

describe('workspace index: cross-file navigation over LSP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-ws-'));
  mkdirSync(join(dir, 'tasks'));
  writeFileSync(join(dir, 'tasks', 'build.yaml'), TASK);
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  writeFileSync(join(dir, 'trigger.yaml'), TRIGGER);
  writeFileSync(join(dir, 'bindings.yaml'), BINDING);
  const uri = (p: string) => pathToFileURL(join(dir, p)).toString();
  let client: TestClient;

  before(async () => {
    client = new TestClient();
    await client.initialize(true, {}, pathToFileURL(dir).toString());
    client.open(uri('pipeline.yaml'), PIPELINE);
    client.open(uri('trigger.yaml'), TRIGGER);
  });
  after(() => client.shutdown());

  /** Cross-file diagnostics appear once the background crawl is done: poll for them. */
  async function diagnosticsWhen(u: string, ok: (codes: string[]) => boolean) {
    for (let i = 0; i < 100; i++) {
      const d = await client.diagnostics(u);
      if (ok(d.map((x) => String(x.code)))) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('cross-file diagnostics did not arrive');
  }

  it('goes to the definition of a taskRef in another file', async () => {
    const locs = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: uri('pipeline.yaml') },
      position: { line: 8, character: 15 },
    });
    assert.deepEqual(locs, [
      { uri: uri('tasks/build.yaml'), range: { start: { line: 3, character: 8 }, end: { line: 3, character: 19 } } },
    ]);
  });

  it('finds references to a Task from its declaration, across files', async () => {
    client.open(uri('tasks/build.yaml'), TASK);
    const locs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('tasks/build.yaml') },
      position: { line: 3, character: 10 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      locs.map((l) => [l.uri, l.range.start.line]),
      [
        [uri('tasks/build.yaml'), 3],
        [uri('pipeline.yaml'), 8],
      ],
    );
  });

  it('renames a Task and every reference to it (a WorkspaceEdit over both files)', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri('pipeline.yaml') },
      position: { line: 8, character: 16 },
      newName: 'build-container',
    });
    assert.deepEqual(edit.changes, {
      [uri('tasks/build.yaml')]: [
        { range: { start: { line: 3, character: 8 }, end: { line: 3, character: 19 } }, newText: 'build-container' },
      ],
      [uri('pipeline.yaml')]: [
        { range: { start: { line: 8, character: 14 }, end: { line: 8, character: 25 } }, newText: 'build-container' },
      ],
    });
  });

  it('completes Task names in taskRef.name', async () => {
    const list = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: uri('pipeline.yaml') },
      position: { line: 11, character: 24 },
    });
    const item = list.items.find((i) => i.label === 'build-image');
    assert.ok(item, JSON.stringify(list.items.map((i) => i.label)));
    // where it is defined, relative to the file being edited
    assert.match(JSON.stringify(item.documentation), /Defined in \.\/tasks\/[^ ]+\.yaml line \d+/);
  });

  it('hovers a taskRef name with what the referenced Task declares and where, not the schema text', async () => {
    const hover = await client.request<{ contents: { value: string }; range: unknown }>('textDocument/hover', {
      textDocument: { uri: uri('pipeline.yaml') },
      position: { line: 8, character: 16 },
    });
    assert.match(hover.contents.value, /^\*\*Task build-image\*\*/);
    assert.match(hover.contents.value, /Defined in \.\/tasks\/build\.yaml line 4/);
    assert.deepEqual(hover.range, { start: { line: 8, character: 14 }, end: { line: 8, character: 25 } });
  });

  it('completes binding names and core interceptors in Triggers references', async () => {
    const list = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: uri('trigger.yaml') },
      position: { line: 6, character: 11 },
    });
    assert.deepEqual(list.items.map((i) => i.label), ['push-binding']);
  });

  it('warns on a Triggers reference not in the workspace, and says once what Pipelines references were not checked', async () => {
    const trig = await diagnosticsWhen(uri('trigger.yaml'), (c) => c.includes('unknown-reference'));
    assert.deepEqual(
      trig.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]),
      [['unknown-reference', 2, 7, 11]],
    );
    const pipe = await diagnosticsWhen(uri('pipeline.yaml'), (c) => c.includes('reference-not-checked'));
    const info = pipe.filter((d) => d.code === 'reference-not-checked');
    assert.equal(info.length, 1);
    assert.equal(info[0].severity, 3);
    assert.match(String(info[0].message), /Task "build-imag" \(not in the workspace\).*resolved by git/);
  });
});
