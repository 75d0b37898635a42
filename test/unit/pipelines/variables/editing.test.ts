import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import type { TaskDeclarations } from '../../../../server/src/pipelines/rules/declarations';
import {
  findVariableDefinition,
  findVariableReferences,
  prepareRenameVariable,
  renameVariable,
  variableCompletions,
  variableHover,
} from '../../../../server/src/pipelines/variables';
import { fixture } from '../../../helpers/fixtures';

const MARK = '‸';

/** A document with its cursor marks removed, and the resource and relative offset of each mark. */
function load(marked: string) {
  const marks: number[] = [];
  let text = '';
  for (const ch of marked) {
    if (ch === MARK) marks.push(text.length);
    else text += ch;
  }
  const doc = new TektonDocument('file:///t.yaml', 1, text);
  const at = (i: number): { resource: YamlResource; offset: number; base: number } => {
    const chunk = doc.chunkAt(marks[i])!;
    return { resource: chunk.resources[0], offset: marks[i] - chunk.start, base: chunk.start };
  };
  /** `line:col "text"` of a relative range in the resource of mark i. */
  const show = (i: number, r: { start: number; end: number } | undefined) => {
    if (!r) return undefined;
    const { base } = at(i);
    const p = doc.positionAt(r.start + base);
    return `${p.line + 1}:${p.character + 1} ${text.slice(r.start + base, r.end + base)}`;
  };
  return { doc, text, marks, at, show };
}

const KANIKO: TaskDeclarations = {
  kind: 'Task',
  name: 'kaniko',
  params: [],
  workspaces: [],
  results: [
    { name: 'IMAGE_DIGEST', type: 'string', description: 'Digest of the image just built.', start: 0, end: 0 },
    { name: 'IMAGE_URL', type: 'string', start: 0, end: 0 },
  ],
};
const resolveTask = (name: string) => (name === 'kaniko' ? KANIKO : undefined);

describe('variable completion offers exactly what is in scope', () => {
  const f = load(fixture('pipelines', 'services', 'scopes.yaml'));
  const labels = (i: number) => variableCompletions(f.at(i).resource, f.at(i).offset, resolveTask).map((c) => c.label);
  const CONTEXT_P = [
    'context.pipelineRun.name',
    'context.pipelineRun.namespace',
    'context.pipelineRun.uid',
    'context.pipeline.name',
    'context.pipelineTask.retries',
  ];
  const CONTEXT_T = ['context.taskRun.name', 'context.taskRun.namespace', 'context.taskRun.uid', 'context.task.name', 'context.task.retry-count'];
  const expected: [string, string[]][] = [
    [
      'inline taskSpec script: its params, the Pipeline params (propagated; no whole arrays in a script), its results, steps, both contexts; no unbound workspaces',
      [
        'params.url',
        'params.revision',
        'params.git.url',
        'params.git.branch',
        'results.commit.path',
        'results.files.path',
        'steps.step-clone.exitCode.path',
        'credentials.path',
        ...CONTEXT_P,
        ...CONTEXT_T,
      ],
    ],
    ['object param keys after "params.git."', ['params.git.url', 'params.git.branch']],
    ['results of the task this one runs after', ['tasks.fetch.results.commit', 'tasks.fetch.results.files']],
    [
      'a param value takes whole arrays and objects',
      ['params.revision', 'params.platforms[*]', 'params.git.url', 'params.git.branch', 'params.git[*]'],
    ],
    ['results of a referenced Task, from the resolver', ['tasks.build.results.IMAGE_DIGEST', 'tasks.build.results.IMAGE_URL']],
    ['a Pipeline has only workspaces.<w>.bound', ['workspaces.source.bound', 'workspaces.cache.bound']],
    ['Pipeline context', CONTEXT_P],
    [
      'when input of a task: params (no whole arrays), results of earlier tasks, workspaces, context; not its own results',
      [
        'params.revision',
        'params.git.url',
        'params.git.branch',
        'tasks.fetch.results.commit',
        'tasks.fetch.results.files',
        'tasks.build.results.IMAGE_DIGEST',
        'tasks.build.results.IMAGE_URL',
        'workspaces.source.bound',
        'workspaces.cache.bound',
        ...CONTEXT_P,
      ],
    ],
    [
      'finally: results and execution status of every task',
      [
        'tasks.fetch.results.commit',
        'tasks.fetch.results.files',
        'tasks.build.results.IMAGE_DIGEST',
        'tasks.build.results.IMAGE_URL',
        'tasks.fetch.status',
        'tasks.fetch.reason',
        'tasks.build.status',
        'tasks.build.reason',
        'tasks.test.status',
        'tasks.test.reason',
        'tasks.status',
      ],
    ],
    [
      'Pipeline results: task results only',
      ['tasks.fetch.results.commit', 'tasks.fetch.results.files', 'tasks.build.results.IMAGE_DIGEST', 'tasks.build.results.IMAGE_URL'],
    ],
    ["a step's own results", ['step.results.version.path']],
    ['an image takes string params only', ['params.image']],
    [
      'steps: exit codes, and results of earlier steps in args',
      ['steps.step-prepare.exitCode.path', 'steps.step-run.exitCode.path', 'steps.prepare.results.version'],
    ],
    ['Task workspace attributes', ['workspaces.src.path', 'workspaces.src.bound', 'workspaces.src.claim', 'workspaces.src.volume']],
    ['Task context', CONTEXT_T],
    ['Task result paths', ['results.report.path']],
    ['StepAction params in args', ['params.url']],
    ['no params in a StepAction script', ['step.results.commit.path', 'credentials.path', ...CONTEXT_T]],
    ['only the params of the Pipeline the cursor is in, no task from another Pipeline of the file', ['params.only-here', ...CONTEXT_P]],
    ['outside $( nothing', []],
  ];
  it('the fixture has 20 positions', () => assert.equal(f.marks.length, 20));
  expected.forEach(([name, items], i) => it(`${i + 1}: ${name}`, () => assert.deepEqual(labels(i), items)));

  it('replaces the typed expression and closes it when needed', () => {
    const open = variableCompletions(f.at(2).resource, f.at(2).offset, resolveTask)[0];
    assert.equal(open.insertText, 'tasks.fetch.results.commit');
    assert.equal(f.text.slice(open.replaceStart + f.at(2).base, open.replaceEnd + f.at(2).base), 'tasks.');
    const unclosed = load(
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params:\n    - name: a\n  steps:\n    - image: $(par‸\n',
    );
    const [item] = variableCompletions(unclosed.at(0).resource, unclosed.at(0).offset);
    assert.equal(item.label, 'params.a');
    assert.equal(item.insertText, 'params.a)');
    assert.equal(unclosed.text.slice(item.replaceStart, item.replaceEnd), 'par');
  });

  it('documents each item with its declaration', () => {
    const [revision] = variableCompletions(f.at(3).resource, f.at(3).offset);
    assert.match(revision.documentation!, /\*\*param\*\* `revision` \(string\)/);
    assert.match(revision.documentation!, /default: `"main"`/);
    assert.match(revision.documentation!, /The revision to build/);
  });
});

describe('variable hover, definition, references and rename', () => {
  const f = load(fixture('pipelines', 'services', 'navigation.yaml'));
  const { at, show } = f;
  // Marks: 0 $(params.rev‸ision) · 1 workspace: sha‸red · 2 $(params.r‸ev) in the taskSpec · 3 $(results.com‸mit.path)
  // 4 $(workspaces.o‸ut.path) · 5 runAfter: [fe‸tch] · 6 $(tasks.fetch.results.co‸mmit)

  it('hover shows the declaration: name, type, default, description', () => {
    const h = variableHover(at(0).resource, at(0).offset)!;
    assert.match(h.contents, /\*\*param\*\* `revision` \(string\) — declared by the Pipeline/);
    assert.match(h.contents, /default: `"main"`/);
    assert.match(h.contents, /The git revision/);
    assert.equal(show(0, h), '17:27 revision');
    assert.match(variableHover(at(6).resource, at(6).offset)!.contents, /\*\*result\*\* `commit` \(string\) of pipeline task `fetch`/);
    assert.match(variableHover(at(4).resource, at(4).offset)!.contents, /\*\*workspace\*\* `out`\.path/);
    assert.equal(variableHover(at(5).resource, at(5).offset), undefined, 'no hover outside variables');
  });

  it('hover on a result of a referenced Task uses the resolver', () => {
    const g = load(
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: b\n      taskRef:\n        name: kaniko\n    - name: c\n      taskRef:\n        name: x\n      params:\n        - name: d\n          value: $(tasks.b.results.IMAGE_‸DIGEST)\n',
    );
    assert.match(variableHover(g.at(0).resource, g.at(0).offset, resolveTask)!.contents, /Digest of the image just built/);
  });

  it('definition goes to the declaration, in the right scope', () => {
    assert.equal(show(0, findVariableDefinition(at(0).resource, at(0).offset)), '8:13 revision');
    assert.equal(show(1, findVariableDefinition(at(1).resource, at(1).offset)), '12:13 shared');
    assert.equal(show(2, findVariableDefinition(at(2).resource, at(2).offset)), '23:19 rev', "the taskSpec's own param, not the Pipeline's");
    assert.equal(show(3, findVariableDefinition(at(3).resource, at(3).offset)), '27:19 commit');
    assert.equal(show(4, findVariableDefinition(at(4).resource, at(4).offset)), '25:19 out');
    assert.equal(show(5, findVariableDefinition(at(5).resource, at(5).offset)), '14:13 fetch');
    assert.equal(show(6, findVariableDefinition(at(6).resource, at(6).offset)), '27:19 commit');
  });

  it('references find every use, with and without the declaration', () => {
    const refs = (i: number, decl: boolean) => findVariableReferences(at(i).resource, at(i).offset, decl).map((r) => show(i, r));
    assert.deepEqual(refs(0, true), ['8:13 revision', '17:27 revision', '37:57 revision']);
    assert.deepEqual(refs(0, false), ['17:27 revision', '37:57 revision']);
    assert.deepEqual(refs(1, true), ['12:13 shared', '20:22 shared']);
    assert.deepEqual(refs(2, true), ['16:17 rev', '23:19 rev', '30:35 rev'], 'the pipeline task param passing it too');
    assert.deepEqual(refs(3, true), ['27:19 commit', '30:52 commit', '37:40 commit'], 'results.commit.path and tasks.fetch.results.commit');
    assert.deepEqual(refs(4, true), ['19:17 out', '25:19 out', '30:82 out']);
    assert.deepEqual(refs(5, true), ['14:13 fetch', '32:18 fetch', '37:26 fetch']);
  });

  it('rename edits the declaration and every reference, and nothing else', () => {
    const apply = (i: number, name: string) => {
      const edits = renameVariable(at(i).resource, at(i).offset, name)!;
      let text = at(i).resource.text;
      for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
      return { edits, text };
    };
    const task = apply(5, 'clone');
    assert.equal(task.edits.length, 3);
    assert.match(task.text, /- name: clone\n/);
    assert.match(task.text, /runAfter: \[clone\]/);
    assert.match(task.text, /\$\(tasks\.clone\.results\.commit\)/);
    assert.ok(!task.text.includes('fetch'));
    const param = apply(0, 'ref');
    assert.equal(param.edits.length, 3);
    assert.match(param.text, /value: \$\(params\.ref\)\n/);
    assert.match(param.text, /\$\(params\.rev\) > /, "the taskSpec's param rev is untouched");
    const result = apply(3, 'sha');
    assert.match(result.text, /\$\(results\.sha\.path\)/);
    assert.match(result.text, /\$\(tasks\.fetch\.results\.sha\)/);
    assert.deepEqual(
      prepareRenameVariable(at(5).resource, at(5).offset) && show(5, prepareRenameVariable(at(5).resource, at(5).offset)),
      '32:18 fetch',
    );
    assert.equal(renameVariable(at(0).resource, 0, 'x'), undefined, 'no symbol at the apiVersion');
  });

  it('step names: exit code paths and step results follow a rename', () => {
    const g = load(
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: bu‸ild\n      image: a\n      results:\n        - name: v\n    - image: a\n      script: cat $(steps.step-build.exitCode.path)\n      env:\n        - name: V\n          value: $(steps.build.results.v)\n',
    );
    const edits = renameVariable(g.at(0).resource, g.at(0).offset, 'make')!;
    let text = g.text;
    for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    assert.match(text, /name: make\n/);
    assert.match(text, /\$\(steps\.step-make\.exitCode\.path\)/);
    assert.match(text, /\$\(steps\.make\.results\.v\)/);
  });
});
