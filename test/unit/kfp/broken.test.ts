import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, FIXTURES } from '../../helpers/fixtures';
import { diagnostics, expectations } from './helpers';

/**
 * Each file under test/fixtures/kfp/broken is an upstream compiled pipeline (kubeflow/pipelines
 * test_data/sdk_compiled_pipelines/valid, named in its second comment line) with one mistake, and declares every
 * diagnostic the file must produce: `# expect: CODE SEVERITY LINE:COL-LINE:COL` (1-based, end exclusive). The first
 * comment line says what the mistake is; it is in the test name.
 */
const dir = join(FIXTURES, 'kfp', 'broken');

describe('kfp: broken compiled pipelines report the exact code, severity and range', () => {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  it('has at least 30 broken fixtures', () => assert.ok(files.length >= 30, `${files.length} fixtures`));
  for (const file of files) {
    const text = fixture('kfp', 'broken', file);
    it(`${file}: ${/^# (.*)$/m.exec(text)?.[1] ?? ''}`, () => {
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'fixture declares its expected problems');
      assert.deepEqual(diagnostics(text).sort(), expected.sort());
    });
  }
});
