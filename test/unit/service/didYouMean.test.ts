/**
 * Every "did you mean" of every engine is also a quick fix that writes the suggestion: checked over every fixture of
 * the project, so a new rule that suggests without fixing fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { LanguageService } from '../../../server/src/service/languageService';
import { FIXTURES } from '../../helpers/fixtures';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('did you mean', () => {
  it('comes with a quick fix writing the suggestion, in every engine', () => {
    const service = new LanguageService();
    const missing: string[] = [];
    let suggestions = 0;
    try {
      for (const file of yamlFiles(FIXTURES)) {
        const doc = new TektonDocument(`file://${file}`, 1, readFileSync(file, 'utf8'));
        for (const p of service.doValidation(doc)) {
          const m = /did you mean ["']([^"']+)["']\?/.exec(p.message);
          if (!m) continue;
          suggestions++;
          const suggested = m[1].replace(/^context\./, '');
          if (!p.fixes?.some((f) => f.edits.some((e) => e.newText.includes(suggested))))
            missing.push(`${relative(FIXTURES, file)}: ${p.code}: ${p.message}`);
        }
      }
    } finally {
      service.dispose();
    }
    assert.ok(suggestions > 50, `only ${suggestions} suggestions found in the fixtures`);
    assert.deepEqual(missing, []);
  });
});
