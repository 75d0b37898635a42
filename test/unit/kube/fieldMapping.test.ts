/** API field paths placed in YAML files: exact fields, list items by index or name, defaulted fields, several docs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  locateField,
  mapCauses,
  parseFieldPath,
  readResources,
  resourceAt,
} from '../../../server/src/kube/fieldMapping';

const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: other
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: build-
  labels:
    app.kubernetes.io/name: build
spec:
  pipelineRef:
    name: build
  params:
    - name: url
      value: https://example.invalid
    - name: count
      value: 3
`;

const at = (loc: { start: number; end: number } | undefined) => (loc ? text.slice(loc.start, loc.end) : undefined);

describe('fieldMapping', () => {
  it('parses API field paths', () => {
    assert.deepEqual(parseFieldPath('spec.params[0].value'), [
      { key: 'spec' },
      { key: 'params' },
      { index: 0 },
      { key: 'value' },
    ]);
    assert.deepEqual(parseFieldPath('metadata.labels[app.kubernetes.io/name]'), [
      { key: 'metadata' },
      { key: 'labels' },
      { bracket: 'app.kubernetes.io/name' },
    ]);
    assert.deepEqual(parseFieldPath('.spec.tasks[build].params'), [
      { key: 'spec' },
      { key: 'tasks' },
      { bracket: 'build' },
      { key: 'params' },
    ]);
  });

  it('reads every document of a file and finds the one at an offset', () => {
    const docs = readResources(text);
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ConfigMap', 'PipelineRun'],
    );
    assert.equal((docs[1].object as { spec: { params: unknown[] } }).spec.params.length, 2);
    assert.equal(resourceAt(text, text.indexOf('pipelineRef'))?.index, 1);
    assert.equal(resourceAt(text, 3)?.index, 0);
  });

  it('locates scalars exactly, and list items by index or by name', () => {
    const loc = locateField(text, 1, 'spec.params[1].value');
    assert.equal(at(loc), '3');
    assert.equal(loc?.exact, true);
    assert.equal(at(locateField(text, 1, 'spec.params[url].value')), 'https://example.invalid');
    assert.equal(at(locateField(text, 1, 'metadata.labels[app.kubernetes.io/name]')), 'build');
    assert.equal(at(locateField(text, 1, 'spec.pipelineRef')), 'pipelineRef', 'collections are marked by their key');
  });

  it('falls back to the nearest ancestor for fields the document does not have', () => {
    const loc = locateField(text, 1, 'spec.timeouts.pipeline');
    assert.equal(at(loc), 'spec');
    assert.equal(loc?.exact, false);
  });

  it('maps causes, rewriting fields and placing unplaceable ones on the first line', () => {
    const mapped = mapCauses(
      text,
      1,
      [
        { field: 'spec.pipelineSpec.params[1].value', message: 'bad' },
        { field: 'spec.workspaces[0]', message: 'no place' },
        { message: 'no field' },
      ],
      (f) => (f.startsWith('spec.pipelineSpec.') ? `spec.${f.slice('spec.pipelineSpec.'.length)}` : undefined),
    );
    assert.equal(at(mapped[0].location), '3');
    assert.equal(at(mapped[1].location), 'apiVersion: tekton.dev/v1');
    assert.equal(mapped[1].location?.exact, false);
    assert.equal(at(mapped[2].location), 'apiVersion: tekton.dev/v1');
  });
});
