/**
 * The Submit lenses as the server computes them (no LSP): over runnable documents only, at the start of their content,
 * with the `[uri, documentIndex]` that `tekton.submitRun` resolves to the same document (read back with the kube
 * core's readResources, as the command does), and the one lens over a simulation's rendered resources.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { readResources } from '../../../server/src/kube/fieldMapping';
import { submitRunLenses } from '../../../server/src/pipelines/submitLenses';

const URI = 'file:///ws/runs.yaml';

const FILE = `# a file of several documents
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
# the pipeline
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  tasks: []
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: listener
---
apiVersion: tekton.dev/v1beta1
kind: Task
metadata:
  name: test
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: build-
spec:
  pipelineRef:
    name: build
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: test-
---
apiVersion: tekton.dev/v1
kind: StepAction
metadata:
  name: step
---
apiVersion: example.com/v1
kind: Pipeline
metadata:
  name: not-tekton
`;

const lensesOf = (text: string, uri = URI) => submitRunLenses(new TektonDocument(uri, 1, text));

describe('submitRunLenses', () => {
  it('puts "▶ Submit Run" over Pipelines, Tasks, PipelineRuns and TaskRuns of tekton.dev only', () => {
    const lenses = lensesOf(FILE);
    assert.deepEqual(
      lenses.map((l) => [l.title, l.command, l.arguments]),
      [
        ['▶ Submit Run', 'tekton.submitRun', [URI, 1]],
        ['▶ Submit Run', 'tekton.submitRun', [URI, 3]],
        ['▶ Submit Run', 'tekton.submitRun', [URI, 4]],
        ['▶ Submit Run', 'tekton.submitRun', [URI, 5]],
      ],
    );
    assert.deepEqual(
      lenses.map((l) => l.tooltip.replace(/ to the current.*/, '')),
      ['Submit a PipelineRun of this Pipeline', 'Submit a TaskRun of this Task', 'Submit this PipelineRun', 'Submit this TaskRun'],
    );
  });

  it('sits at the start of the document content, past `---` and comments, as an empty range', () => {
    for (const l of lensesOf(FILE)) {
      assert.equal(l.end, l.start);
      assert.match(FILE.slice(l.start), /^apiVersion: tekton\.dev\//);
    }
  });

  it('passes the document index tekton.submitRun reads back: the same document, at the same place', () => {
    const resources = readResources(FILE);
    for (const l of lensesOf(FILE)) {
      const [uri, index] = l.arguments as [string, number];
      assert.equal(uri, URI);
      const r = resources[index];
      assert.ok(r, `no document ${index}`);
      assert.equal(r.start, l.start);
      assert.ok(['Pipeline', 'Task', 'PipelineRun', 'TaskRun'].includes(r.kind!), `document ${index} is a ${r.kind}`);
      assert.equal(r.hasErrors, false);
    }
  });

  it('offers nothing over a document with YAML errors, and counts it all the same', () => {
    const text = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: broken
spec: [unclosed
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: fine
`;
    assert.deepEqual(
      lensesOf(text).map((l) => l.arguments),
      [[URI, 1]],
    );
    assert.equal(readResources(text)[1].name, 'fine');
  });

  it('offers nothing in a file without runnable documents', () => {
    assert.deepEqual(lensesOf('apiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerTemplate\nmetadata:\n  name: t\n'), []);
    assert.deepEqual(lensesOf(''), []);
    assert.deepEqual(lensesOf('just: yaml\n'), []);
  });

  it('puts one "▶ Submit Rendered Resources" over a simulation\'s rendered resources, and no Submit Run', () => {
    const rendered = `---\napiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  generateName: build-\n`;
    assert.deepEqual(lensesOf(rendered, 'tekton-simulation:/listener.rendered.yaml'), [
      {
        start: 0,
        end: 0,
        title: '▶ Submit Rendered Resources',
        tooltip: "Submit what the last simulation rendered, with Tekton Triggers' labels (dry run and confirmation first)",
        command: 'tekton.submitSimulation',
        arguments: [],
      },
    ]);
    assert.deepEqual(lensesOf('# no trigger fired: see the Tekton Simulation view for why\n', 'tekton-simulation:/x.rendered.yaml'), []);
  });
});
