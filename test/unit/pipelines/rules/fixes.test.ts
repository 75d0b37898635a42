import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../../server/src/document/tektonDocument';
import { checkKindRules, FixableProblem } from '../../../../server/src/pipelines/rules';
import { fixture, FIXTURES } from '../../../helpers/fixtures';

/** The problems of a text (file offsets) with their fixes, and the syntax problems of the YAML. */
function problems(text: string): { problems: FixableProblem[]; syntax: number } {
  const doc = new TektonDocument('file:///t.yaml', 1, text);
  const out: FixableProblem[] = [];
  let syntax = 0;
  for (const { resource, base } of doc.resources()) {
    syntax += resource.syntaxProblems.length;
    for (const p of checkKindRules(resource) as FixableProblem[])
      out.push({
        ...p,
        start: p.start + base,
        end: p.end + base,
        fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, start: e.start + base, end: e.end + base })) })),
      });
  }
  return { problems: out, syntax };
}

function apply(text: string, edits: { start: number; end: number; newText: string }[]): string {
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

const count = (ps: FixableProblem[], code: string) => ps.filter((p) => p.code === code).length;

describe('code actions computed with the problems', () => {
  const files = readdirSync(join(FIXTURES, 'pipelines', 'broken'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  let fixed = 0;
  for (const file of files) {
    const text = fixture('pipelines', 'broken', file);
    const before = problems(text).problems;
    for (const p of before)
      for (const fix of p.fixes ?? []) {
        fixed++;
        it(`${file}: "${fix.title}" removes ${p.code} and keeps the YAML valid`, () => {
          const after = problems(apply(text, fix.edits));
          assert.equal(after.syntax, 0, 'no YAML syntax problem');
          assert.ok(count(after.problems, p.code) < count(before, p.code), `${p.code} is gone`);
        });
      }
  }
  it('the fixtures exercise at least 20 fixes', () => assert.ok(fixed >= 20, `${fixed} fixes`));

  it('did you mean: replaces exactly the misspelled name', () => {
    const text = fixture('pipelines', 'broken', 'p-unknown-param.yaml');
    const p = problems(text).problems.find((x) => x.code === 'unknown-param')!;
    const fix = p.fixes!.find((f) => f.title === 'Change to "revision"')!;
    assert.match(apply(text, fix.edits), /value: \$\(params\.revision\)\n/);
  });

  it('declare a param: appends it to the spec params, or creates them', () => {
    const text = fixture('pipelines', 'broken', 'p-unknown-param.yaml');
    const fix = problems(text).problems[0].fixes!.find((f) => f.title.startsWith('Declare'))!;
    assert.match(apply(text, fix.edits), /params:\n {4}- name: revision\n {4}- name: revison\n {6}type: string\n {2}tasks:/);
    const none = fixture('pipelines', 'broken', 't-unknown-param-sidecar.yaml');
    const fix2 = problems(none).problems[0].fixes!.find((f) => f.title.startsWith('Declare'))!;
    assert.match(apply(none, fix2.edits), /\n {2}params:\n {4}- name: version\n {6}type: string\n$/);
  });

  it('add a missing runAfter', () => {
    const text = fixture('pipelines', 'broken', 'p-missing-run-after.yaml');
    const fix = problems(text).problems[0].fixes![0];
    assert.equal(fix.title, 'Add "version" to runAfter');
    assert.match(apply(text, fix.edits), /taskRef:\n {8}name: build\n {6}runAfter:\n {8}- version\n$/);
    const flow = text.replace('      displayName:', '      runAfter: []\n      displayName:');
    const fix2 = problems(flow).problems[0].fixes![0];
    assert.match(apply(flow, fix2.edits), /runAfter: \[version\]/);
  });
});
