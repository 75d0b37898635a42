import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { kfpEngine } from '../../../server/src/kfp/engine';
import { SHARED_DATA, sharedDataMissing } from '../../helpers/fixtures';
import { diagnostics } from './helpers';

const ROOT = join(SHARED_DATA, 'kfp', 'test_data', 'sdk_compiled_pipelines');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
    })
    .sort();
}

// Three of these files continue quoted scalars of a block sequence at the dash's column, as PyYAML writes them: they
// are read as the SDK and the backend read them (document/quotedContinuations.ts), so they too report nothing.
describe('kfp: every upstream valid compiled pipeline is recognised and reports no problem', { skip: sharedDataMissing() }, () => {
  const files = yamlFiles(join(ROOT, 'valid'));
  it('finds the upstream files', () => assert.ok(files.length >= 140, `${files.length} files`));
  for (const file of files) {
    const name = relative(ROOT, file);
    it(name, () => {
      const text = readFileSync(file, 'utf8');
      const doc = new TektonDocument('file:///upstream.yaml', 1, text);
      for (const { resource } of doc.resources()) assert.ok(kfpEngine.owns(resource), 'every document is owned by the kfp engine');
      assert.deepEqual(diagnostics(text), []);
    });
  }
});

describe('kfp: the upstream invalid compiled pipelines report why', { skip: sharedDataMissing() }, () => {
  const check = (name: string) => diagnostics(readFileSync(join(ROOT, 'invalid', name), 'utf8'));
  it('empty_file.yaml: an empty file is no document at all, so nothing is reported', () => assert.deepEqual(check('empty_file.yaml'), []));
  it('invalid_yaml.yaml: components_1 is not a PipelineSpec field, and the component it should declare is missing', () =>
    assert.deepEqual(check('invalid_yaml.yaml').sort(), ['kfp-unknown-component error 24:17-24:26', 'schema-unknown-property warning 3:1-3:13']));
  it('no_name.yaml: pipelineInfo.name is empty', () => assert.deepEqual(check('no_name.yaml'), ['kfp-missing-pipeline-name error 16:3-16:8']));
});
