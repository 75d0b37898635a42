import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { splitDocuments } from '../../../server/src/document/splitDocuments';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { cursorContext } from '../../../server/src/document/cursorContext';

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  tasks:
    - name: fetch
      taskRef:
        name: git-clone
`;

describe('splitDocuments', () => {
  it('cuts at --- marker lines only', () => {
    const text = 'a: 1\n---\nb: |\n  --- not a marker\n---  # comment\nc: 3\n';
    const chunks = splitDocuments(text);
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['a: 1\n', '---\nb: |\n  --- not a marker\n', '---  # comment\nc: 3\n'],
    );
    assert.equal(chunks[2].start, text.indexOf('---  #'));
  });

  it('keeps ---word as content', () => {
    assert.equal(splitDocuments('a: 1\n---b\n').length, 1);
  });
});

describe('TektonDocument', () => {
  it('detects every document with its apiVersion and kind', () => {
    const text = `${PIPELINE}---\napiVersion: v1\nkind: ConfigMap\n---\napiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerBinding\n`;
    const doc = new TektonDocument('file:///a.yaml', 1, text);
    const found = [...doc.resources()].map(({ resource }) => [resource.kind, resource.isTekton]);
    assert.deepEqual(found, [
      ['Pipeline', true],
      ['ConfigMap', false],
      ['TriggerBinding', true],
    ]);
  });

  it('reuses the parse of unchanged documents across versions', () => {
    const text = `${PIPELINE}---\n${PIPELINE.replace('build', 'other')}`;
    const v1 = new TektonDocument('file:///a.yaml', 1, text);
    const v2 = new TektonDocument('file:///a.yaml', 2, text.replace('name: other', 'name: other2'), v1);
    const r1 = [...v1.resources()].map((r) => r.resource);
    const r2 = [...v2.resources()].map((r) => r.resource);
    assert.equal(r2[0], r1[0], 'first document reused');
    assert.notEqual(r2[1], r1[1], 'edited document re-parsed');
    assert.equal(r2[1].name, 'other2');
  });

  it('locates the node and path at an offset, with file offsets for later documents', () => {
    const text = `a: 1\n---\n${PIPELINE}`;
    const doc = new TektonDocument('file:///a.yaml', 1, text);
    const offset = text.indexOf('git-clone') + 2;
    const loc = doc.locate(offset)!;
    assert.deepEqual(loc.path, ['spec', 'tasks', 0, 'taskRef', 'name']);
    assert.equal(loc.base + loc.node!.range![0], text.indexOf('git-clone'));
    const onKey = doc.locate(text.indexOf('taskRef') + 1)!;
    assert.equal(onKey.onKey, true);
    assert.deepEqual(onKey.path, ['spec', 'tasks', 0, 'taskRef']);
  });

  it('converts offsets and positions both ways', () => {
    const doc = new TektonDocument('file:///a.yaml', 1, PIPELINE);
    const offset = PIPELINE.indexOf('fetch');
    assert.deepEqual(doc.positionAt(offset), { line: 6, character: 12 });
    assert.equal(doc.offsetAt({ line: 6, character: 12 }), offset);
  });

  it('parses broken, half-typed YAML without throwing', () => {
    const doc = new TektonDocument('file:///a.yaml', 1, 'apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  ste\n  params: [\n');
    const [{ resource }] = [...doc.resources()];
    assert.equal(resource.kind, 'Task');
    assert.ok(resource.syntaxProblems.length > 0);
  });

  it('reports block nesting too deep to analyse once, as yaml-too-deep', () => {
    // one space per level keeps 1,000 levels under the size a document is analysed at (MAX_CHECKED_DOCUMENT_BYTES)
    const block = `apiVersion: tekton.dev/v1\nkind: Task\nspec:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}a:\n`).join('')}`;
    const problems = [...new TektonDocument('file:///deep.yaml', 1, block).resources()].flatMap((r) => r.resource.syntaxProblems);
    assert.deepEqual(problems.map((p) => [p.code, p.message]), [['yaml-too-deep', 'YAML nesting is too deep to analyse (stack limit reached)']]);
  });

  it('leaves a document whose flow collections nest over 500 deep unparsed, with one warning where it happens', () => {
    const head = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: deep\nspec:\n  steps: ';
    const problemsOf = (text: string) =>
      [...new TektonDocument('file:///deep.yaml', 1, text).resources()].flatMap((r) => r.resource.syntaxProblems);
    // a fuzz case: unclosed `[1, ` over 80 KB held the parser ~0.7 s per keystroke
    for (const text of [`${head}${'[1, '.repeat(20000)}\n`, `${head}${'['.repeat(5000)}${']'.repeat(5000)}\n`]) {
      const problems = problemsOf(text);
      assert.deepEqual(problems.map((p) => [p.code, p.warning]), [['yaml-flow-too-deep', true]]);
      assert.match(problems[0].message, /nest more than 500 levels deep here: this document is not analysed/);
      assert.equal(problems[0].start, head.length + text.slice(head.length).split('[', 501).join('[').length);
    }
    // 500 levels, closed, still parse; brackets that close do not add up
    const ok = `${head}${'['.repeat(500)}${']'.repeat(500)}\n  params: [${'[a], '.repeat(3000)}[b]]\n`;
    assert.ok(!problemsOf(ok).some((p) => /too-deep/.test(p.code)));
    assert.equal([...new TektonDocument('file:///ok.yaml', 1, ok).resources()][0].resource.name, 'deep');
  });

  it('leaves a document over 512 KB unparsed with one warning, and a file of more than 5,000 documents unanalysed', () => {
    const steps = Array.from({ length: 12000 }, (_, i) => `    - name: s${i}\n      image: alpine\n      script: echo $(params.p)`).join('\n');
    const big = `apiVersion: v1\nkind: ConfigMap\n---\napiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: big\nspec:\n  steps:\n${steps}\n`;
    const doc = new TektonDocument('file:///big.yaml', 1, big);
    const resources = [...doc.resources()];
    assert.equal(resources.length, 2, 'the small document is still read');
    assert.deepEqual(resources[1].resource.syntaxProblems.map((p) => p.code), ['document-too-large']);
    assert.match(resources[1].resource.syntaxProblems[0].message, /^This YAML document is 0\.\d MB, over the 512 KB checked as you type/);
    assert.equal(resources[1].resource.kind, undefined, 'not parsed');
    const many = new TektonDocument('file:///many.yaml', 1, '---\n'.repeat(5001));
    assert.match(many.skippedReason!, /^file holds 5001 YAML documents, over the 5000 checked as you type/);
  });

  it('skips binary and oversized files with a reason', () => {
    assert.match(new TektonDocument('u', 1, 'a\u0000b').skippedReason!, /binary/);
    assert.match(new TektonDocument('u', 1, 'a: 1\n'.repeat(100), undefined, 100).skippedReason!, /over the/);
  });
});

describe('cursorContext', () => {
  const at = (marked: string) => {
    const offset = marked.indexOf('|');
    return cursorContext(marked.slice(0, offset) + marked.slice(offset + 1), offset);
  };

  it('finds the mapping of an empty line by indentation, with sibling keys above and below', () => {
    const ctx = at('apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  params: []\n  |\n  results: []\n');
    assert.deepEqual(ctx.path, ['spec']);
    assert.deepEqual([...ctx.siblings].sort(), ['params', 'results']);
    assert.equal(ctx.inValue, false);
  });

  it('enters sequence items, compact or indented', () => {
    assert.deepEqual(at('spec:\n  steps:\n    - name: a\n      im|\n').path, ['spec', 'steps', '*']);
    assert.deepEqual(at('spec:\n  steps:\n  - name: a\n    |\n').path, ['spec', 'steps', '*']);
    assert.deepEqual(at('spec:\n  steps:\n    - |\n').path, ['spec', 'steps', '*']);
    assert.deepEqual(at('spec:\n  tasks:\n    - name: a\n      taskRef:\n        |\n').path, ['spec', 'tasks', '*', 'taskRef']);
  });

  it('does not take keys of an earlier sequence item as siblings', () => {
    const ctx = at('spec:\n  steps:\n    - name: a\n      image: x\n    - name: b\n      |\n');
    assert.deepEqual([...ctx.siblings], ['name']);
  });

  it('recognises a value being typed after key:', () => {
    const ctx = at('spec:\n  steps:\n    - onError: con|\n');
    assert.equal(ctx.inValue, true);
    assert.equal(ctx.valueKey, 'onError');
    assert.equal(ctx.word, 'con');
    assert.deepEqual(ctx.path, ['spec', 'steps', '*']);
  });
});

describe('quoted scalars continued at the dash column (PyYAML)', () => {
  const text = 'deploymentSpec:\n  executors:\n    exec-a:\n      container:\n        command:\n        - "python3 -m kfp.dsl.executor_main\n        \\ --executor_input"\n        - sh\n        image: python:3.11\n';
  it('reads them as PyYAML does, with node offsets in the text as written', () => {
    const [{ resource }] = [...new TektonDocument('file:///kfp.yaml', 1, text).resources()];
    assert.deepEqual(resource.syntaxProblems, []);
    const loc = new TektonDocument('file:///kfp.yaml', 1, text).locate(text.indexOf('image') + 2)!;
    assert.deepEqual(loc.path, ['deploymentSpec', 'executors', 'exec-a', 'container', 'image']);
    const command = (resource.doc.toJS() as { deploymentSpec: { executors: { 'exec-a': { container: { command: string[] } } } } }).deploymentSpec.executors['exec-a'].container.command;
    // what PyYAML's safe_load gives for this text, two spaces included (the fold and the escaped space)
    assert.deepEqual(command, ['python3 -m kfp.dsl.executor_main  --executor_input', 'sh']);
    const sh = text.indexOf('- sh') + 2;
    assert.deepEqual(new TektonDocument('file:///kfp.yaml', 1, text).locate(sh)?.path, ['deploymentSpec', 'executors', 'exec-a', 'container', 'command', 1]);
  });

  it('still reports a quoted scalar that is broken for every reader', () => {
    const broken = 'a:\n- "never closed\nb: 1\n';
    const problems = [...new TektonDocument('file:///b.yaml', 1, broken).resources()].flatMap((r) => r.resource.syntaxProblems);
    assert.ok(problems.some((p) => !p.warning));
  });
});
