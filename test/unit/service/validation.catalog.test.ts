import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';
import { catalogMainFiles, SHARED_DATA, sharedDataMissing } from '../../helpers/fixtures';

/**
 * Real, valid Tekton from upstream must produce no errors: the tektoncd/catalog main resource files and every Tekton
 * document of tektoncd/triggers' examples (both copied into ../shared/data).
 */
const service = getLanguageService();

function errorsIn(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const doc = new TektonDocument(file, 1, readFileSync(file, 'utf8'));
    for (const p of service.doValidation(doc))
      if (p.severity === 'error') {
        const pos = doc.positionAt(p.start);
        out.push(`${relative(SHARED_DATA, file)}:${pos.line + 1}:${pos.character + 1} ${p.code} ${p.message}`);
      }
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe('upstream Tekton files validate cleanly', { skip: sharedDataMissing() }, () => {
  it('tektoncd/catalog task, pipeline and stepaction main files: 0 errors', () => {
    const files = catalogMainFiles();
    assert.ok(files.length >= 300, `${files.length} catalog files`);
    assert.deepEqual(errorsIn(files), []);
  });

  it('tektoncd/triggers examples: one error, a real defect', () => {
    const files = yamlFiles(join(SHARED_DATA, 'triggers-examples'));
    const tekton = files.filter((f) => new TektonDocument(f, 1, readFileSync(f, 'utf8')).hasTekton);
    assert.ok(tekton.length >= 50, `${tekton.length} Tekton files`);
    // The TriggerTemplate uses $(tt.params.azurerepo-user-type) without declaring it: TriggerTemplate admission
    // (triggertemplate_validation.go verifyParamDeclarations) rejects this file as it is upstream.
    assert.deepEqual(
      errorsIn(tekton).map((e) => e.split(' ').slice(0, 2).join(' ')),
      ['triggers-examples/examples/v1beta1/azurerepo/pull/azurerepo-pullrequest-listener.yaml:84:32 undeclared-template-param'],
    );
  });
});
