import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';

const service = getLanguageService();

const TEMPLATE = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tt
spec:
  params:
    - name: revision
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: PipelineRun
      metadata:
        generateName: run-
      spec:
        params:
          - name: revision
            value: $(tt.params.revision)
        pipelineSpec:
          tasks:
            - name: build
              taskSpec:
                steps:
                  - image: alpine
                    script: echo $(params.revison)
            - name: build
              taskRef:
                name: other
`;

describe('resources inside resourcetemplates are checked like standalone documents (REFERENCE.md §3.5)', () => {
  it('reports Pipelines rules on a rendered PipelineRun as warnings: they fail when the trigger fires', () => {
    const doc = new TektonDocument('file:///tt.yaml', 1, TEMPLATE);
    const found = service
      .doValidation(doc)
      .map((p) => `${p.severity} ${p.code} ${TEMPLATE.slice(p.start, p.end)}`)
      .sort();
    // `revision` is passed but, with the typo, used by nothing: the propagated param goes nowhere
    assert.deepEqual(found, ['information unknown-param revision', 'warning duplicate-task-name build', 'warning unknown-param revison']);
  });

  it('accepts $(tt.params.x) standing for a value of any type', () => {
    const text = TEMPLATE.replace('script: echo $(params.revison)', 'script: echo $(params.revision)').replace(
      '            - name: build\n              taskRef:\n                name: other\n',
      '',
    ).replace('generateName: run-', 'generateName: run-\n        labels: $(tt.params.revision)');
    const doc = new TektonDocument('file:///tt.yaml', 1, text);
    assert.deepEqual(service.doValidation(doc), []);
  });
});
