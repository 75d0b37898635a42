import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../../server/src/document/tektonDocument';
import { checkKindRules } from '../../../../server/src/pipelines/rules';
import { fixture, FIXTURES } from '../../../helpers/fixtures';

/**
 * Each file under test/fixtures/pipelines/broken holds one mistake and declares the problems the kind rules (not the
 * schema) must report in header comments: `# expect: CODE SEVERITY LINE:COL-LINE:COL` (1-based, end exclusive). The
 * first comment line names the upstream rule (tektoncd/pipeline source) the fixture reproduces; it is in the test name.
 */
const dir = join(FIXTURES, 'pipelines', 'broken');

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+) (\d+):(\d+)-(\d+):(\d+)\s*$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}:${m[4]}-${m[5]}:${m[6]}`);
}

/** The problems of every document of a file, as `CODE SEVERITY L:C-L:C`. */
export function actualProblems(text: string): string[] {
  const doc = new TektonDocument('file:///fixture.yaml', 1, text);
  const out: string[] = [];
  for (const { resource, base } of doc.resources())
    for (const p of checkKindRules(resource)) {
      const s = doc.positionAt(p.start + base);
      const e = doc.positionAt(p.end + base);
      out.push(`${p.code} ${p.severity} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`);
    }
  return out;
}

describe('kind rules: broken Pipelines, Tasks, StepActions and runs report the exact code, severity and range', () => {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  it('has at least 60 broken fixtures', () => assert.ok(files.length >= 60, `${files.length} fixtures`));
  for (const file of files) {
    const text = fixture('pipelines', 'broken', file);
    const source = /^# (.*)$/m.exec(text)?.[1] ?? '';
    it(`${file}: ${source}`, () => {
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'fixture declares its expected problems');
      assert.deepEqual(actualProblems(text).sort(), expected.sort());
    });
  }
});

describe('kind rules: valid documents using every variable form report nothing', () => {
  const validDir = join(FIXTURES, 'pipelines', 'valid');
  for (const file of readdirSync(validDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const text = fixture('pipelines', 'valid', file);
    it(`${file}: ${/^# (.*)$/m.exec(text)?.[1] ?? ''}`, () => assert.deepEqual(actualProblems(text), []));
  }
});
