import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../../server/src/document/tektonDocument';
import { checkKindRules } from '../../../../server/src/pipelines/rules';
import { checkPipelineTasksAgainst, checkRunAgainst, extractDeclarations } from '../../../../server/src/pipelines/rules/declarations';
import { findVariableReferences, renameVariable, variableCompletions, variableHover } from '../../../../server/src/pipelines/variables';
import { fixture, FIXTURES } from '../../../helpers/fixtures';

// Speed is measured by test/bench/rulesBench.mjs (printed numbers), not asserted here: timings swing with load.

describe('never throws on user input', () => {
  const texts = [
    ...readdirSync(join(FIXTURES, 'pipelines', 'broken'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => fixture('pipelines', 'broken', f)),
    fixture('pipelines', 'services', 'scopes.yaml').replace(/‸/g, ''),
    fixture('pipelines', 'services', 'navigation.yaml').replace(/‸/g, ''),
  ];
  it('every prefix of every fixture, at every feature', () => {
    let runs = 0;
    for (const full of texts) {
      for (let cut = 0; cut <= full.length; cut += Math.max(1, Math.floor(full.length / 40))) {
        const text = full.slice(0, cut) + (cut % 3 === 0 ? '$(params.' : cut % 3 === 1 ? '"$(tasks.x.results' : '');
        const doc = new TektonDocument('file:///cut.yaml', 1, text);
        for (const { resource } of doc.resources()) {
          checkKindRules(resource);
          extractDeclarations(resource);
          checkPipelineTasksAgainst(resource, () => ({ kind: 'Task', params: [], results: [], workspaces: [] }));
          checkRunAgainst(resource, () => ({ kind: 'Task', params: [], results: [], workspaces: [] }));
          for (let o = 0; o <= resource.text.length; o += 7) {
            variableCompletions(resource, o);
            variableHover(resource, o);
            findVariableReferences(resource, o, true);
            renameVariable(resource, o, 'x');
          }
          runs++;
        }
      }
    }
    assert.ok(runs > 1000, `${runs} documents`);
  });

  it('odd shapes: scalars where maps are expected, aliases, nulls, deep nesting', () => {
    const odd = [
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: x}\nspec: 3\n',
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: x}\nspec:\n  tasks: {a: 1}\n  finally: x\n  params: [1, [2], {name: {x: 1}}]\n',
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: x}\nspec:\n  steps:\n    - &s {name: a, image: b, script: "$(params.x)"}\n    - *s\n',
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: x}\nspec:\n  tasks:\n    - name:\n      runAfter: [null, 3, {a: b}]\n      params: [{name: null, value: null}]\n      when: [{}, 3, {cel: 5}]\n      matrix: {params: 3, include: [3]}\n',
      `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: x}\nspec:\n  steps:\n    - image: a\n      args: [${'['.repeat(300)}${']'.repeat(300)}]\n`,
    ];
    for (const text of odd)
      for (const { resource } of new TektonDocument('file:///odd.yaml', 1, text).resources()) {
        checkKindRules(resource);
        for (let o = 0; o <= resource.text.length; o++) variableCompletions(resource, o);
      }
  });
});
