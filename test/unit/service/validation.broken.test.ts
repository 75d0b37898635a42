import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';
import { fixture, FIXTURES } from '../../helpers/fixtures';

/**
 * Each file under test/fixtures/broken holds one deliberate mistake and declares the diagnostics it must produce in
 * header comments: `# expect: CODE LINE:COL-LINE:COL` or `# expect: CODE SEVERITY LINE:COL-LINE:COL` (1-based, end
 * exclusive). The test asserts exactly those diagnostics, no more, no fewer; so a fixture that also holds the accepted
 * form of its pattern proves that form reports nothing.
 */
const service = getLanguageService();
const dir = join(FIXTURES, 'broken');

const SEVERITY = '(?:(error|warning|information|hint) )?';
function expectations(text: string): string[] {
  return [...text.matchAll(new RegExp(`^# expect: (\\S+) ${SEVERITY}(\\d+):(\\d+)-(\\d+):(\\d+)\\s*$`, 'gm'))].map(
    (m) => `${m[1]} ${m[2] ? `${m[2]} ` : ''}${m[3]}:${m[4]}-${m[5]}:${m[6]}`,
  );
}

/** True when the fixture's expectations name severities (`# expect: CODE SEVERITY L:C-L:C`): then all must. */
function withSeverity(text: string): boolean {
  return /^# expect: \S+ (error|warning|information|hint) /m.test(text);
}

describe('broken documents report the exact code and range', () => {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  it('has at least 30 broken fixtures', () => assert.ok(files.length >= 30, `${files.length} fixtures`));
  for (const file of files) {
    it(file, () => {
      const text = fixture('broken', file);
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'fixture declares its expected diagnostics');
      const doc = new TektonDocument(`file:///${file}`, 1, text);
      const severity = withSeverity(text);
      const actual = service.doValidation(doc).map((p) => {
        const s = doc.positionAt(p.start);
        const e = doc.positionAt(p.end);
        return `${p.code} ${severity ? `${p.severity} ` : ''}${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
      });
      assert.deepEqual(actual.sort(), expected.sort());
    });
  }
});
