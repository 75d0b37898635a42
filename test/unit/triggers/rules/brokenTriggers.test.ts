import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../../server/src/document/tektonDocument';
import {
  checkTriggersResource,
  checkTriggersWorkspace,
  checkResourceTemplates,
  resolverFromResources,
} from '../../../../server/src/triggers/rules';
import { getLanguageService } from '../../../../server/src/service/languageService';
import { fixture, FIXTURES } from '../../../helpers/fixtures';
import { expectations, fileProblems, store } from './helpers';

/**
 * Each file under test/fixtures/triggers-rules/broken holds one mistake (one rule of tektoncd/triggers, named with its
 * upstream source in the first comment line and in the test name) and declares every problem the editor must show
 * for it once the Triggers checks run beside the schema: `# expect: CODE SEVERITY LINE:COL-LINE:COL` (1-based, end
 * exclusive). Asserting the schema's problems too proves that no mistake is reported twice.
 */
const dir = join(FIXTURES, 'triggers-rules', 'broken');

describe('Triggers rules: broken documents report the exact code, severity and range', () => {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  it('has a fixture for each rule', () => assert.ok(files.length >= 40, `${files.length} fixtures`));
  for (const file of files) {
    const text = fixture('triggers-rules', 'broken', file);
    const source = /^# (.*)$/m.exec(text)?.[1] ?? '';
    it(`${file}: ${source}`, () => {
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'fixture declares its expected problems');
      assert.deepEqual(fileProblems(text).sort(), expected.sort());
    });
  }
});

/**
 * The existing broken fixtures of the schema (test/fixtures/broken, `# expect: CODE L:C-L:C`) must keep exactly their
 * problems when the Triggers checks are added: the schema already reports them, so the Triggers checks say nothing.
 */
describe('Triggers rules add nothing to the schema-level broken fixtures', () => {
  const service = getLanguageService({ schemas: store });
  const brokenDir = join(FIXTURES, 'broken');
  for (const file of readdirSync(brokenDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const text = fixture('broken', file);
    if (!/triggers\.tekton\.dev/.test(text)) continue;
    it(file, () => {
      const doc = new TektonDocument(`file:///${file}`, 1, text);
      const resources = [...doc.resources()];
      const resolver = resolverFromResources(resources.map((r) => r.resource));
      const seen = new Set<string>();
      const actual: string[] = [];
      const add = (code: string, start: number, end: number) => {
        const s = doc.positionAt(start);
        const e = doc.positionAt(end);
        const key = `${code} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
        // Once the lead wires the checks into doValidation, they would come twice here: count each once.
        if (!seen.has(key)) actual.push(key);
        seen.add(key);
      };
      for (const p of service.doValidation(doc)) add(p.code, p.start, p.end);
      for (const { resource, base } of resources)
        for (const p of [
          ...checkTriggersResource(resource),
          ...checkResourceTemplates(resource, store),
          ...checkTriggersWorkspace(resource, resolver),
        ])
          add(p.code, p.start + base, p.end + base);
      // `# expect: CODE [SEVERITY] L:C-L:C` (the severity is asserted by validation.broken.test.ts).
      const expected = [...text.matchAll(/^# expect: (\S+) (?:(?:error|warning|information|hint) )?(\d+):(\d+)-(\d+):(\d+)\s*$/gm)].map(
        (m) => `${m[1]} ${m[2]}:${m[3]}-${m[4]}:${m[5]}`,
      );
      assert.deepEqual(actual.sort(), expected.sort());
    });
  }
});
