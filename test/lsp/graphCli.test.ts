import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';

function tektonLs(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tekton-ls'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ci
spec:
  tasks:
    - name: clone
      taskRef: {name: git-clone}
    - name: test
      runAfter: [clone]
      params:
        - name: rev
          value: $(tasks.clone.results.commit)
      taskRef: {name: run}
    - name: deploy
      when:
        - input: $(tasks.test.results.ok)
          operator: in
          values: ["true"]
      taskRef: {name: run}
  finally:
    - name: report
      taskRef: {name: run}
`;

const RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ci-run
spec:
  pipelineRef:
    name: ci
---
${PIPELINE}---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: inline-run
spec:
  pipelineSpec:
    tasks:
      - name: one
        taskSpec:
          steps: [{image: alpine}]
`;

const IR = `components:
  comp-op:
    executorLabel: exec-op
  comp-cond:
    dag:
      tasks:
        inner:
          componentRef: {name: comp-op}
deploymentSpec:
  executors:
    exec-op:
      container: {image: alpine}
pipelineInfo:
  name: kfp-demo
root:
  dag:
    tasks:
      producer:
        componentRef: {name: comp-op}
      condition-1:
        componentRef: {name: comp-cond}
        dependentTasks: [producer]
        triggerPolicy:
          condition: "inputs.parameter_values['x'] == 'y'"
schemaVersion: 2.1.0
`;

const CYCLE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: loop
spec:
  tasks:
    - name: a
      runAfter: [b]
      taskRef: {name: t}
    - name: b
      runAfter: [a]
      taskRef: {name: t}
`;

describe('tekton-ls graph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-graph-cli-'));
  writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
  writeFileSync(join(dir, 'runs.yaml'), RUN);
  writeFileSync(join(dir, 'ir.yaml'), IR);
  writeFileSync(join(dir, 'cycle.yaml'), CYCLE);
  writeFileSync(join(dir, 'task.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps: [{image: alpine}]\n');
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: b\nspec:\n  tasks:\n    - name: a\n      taskRef: {name: t\n    - name: [\n');

  it('prints the JSON graph of a Pipeline: nodes, finally, and edges with their reasons', () => {
    const r = tektonLs(['graph', 'pipeline.yaml'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(JSON.parse(r.stdout), {
      nodes: [
        { id: 'clone', kind: 'task' },
        { id: 'test', kind: 'task' },
        { id: 'deploy', kind: 'task' },
        { id: 'report', kind: 'finally' },
      ],
      edges: [
        { from: 'clone', to: 'test', kinds: ['runAfter', 'params'] },
        { from: 'test', to: 'deploy', kinds: ['when'] },
      ],
    });
  });

  it('defaults to the first document with a graph (a PipelineRun with a pipelineRef in the same file) and picks by --name', () => {
    const first = tektonLs(['graph', 'runs.yaml', '--format', 'json'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      JSON.parse(first.stdout).nodes.map((n: { id: string }) => n.id),
      ['clone', 'test', 'deploy', 'report'],
    );
    const inline = tektonLs(['graph', 'runs.yaml', '--name', 'inline-run'], dir);
    assert.deepEqual(JSON.parse(inline.stdout), { nodes: [{ id: 'one', kind: 'task' }], edges: [] });
  });

  it('prints a KFP IR with nested DAGs as parents', () => {
    const r = tektonLs(['graph', 'ir.yaml'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      nodes: [
        { id: 'producer', kind: 'task' },
        { id: 'condition-1', kind: 'dag' },
        { id: 'condition-1/inner', kind: 'task', parent: 'condition-1' },
      ],
      edges: [{ from: 'producer', to: 'condition-1', kinds: ['dependentTasks'] }],
    });
  });

  it('picks a KFP IR by its pipelineInfo.name', () => {
    assert.equal(tektonLs(['graph', 'ir.yaml', '--name', 'kfp-demo'], dir).code, 0);
    const other = tektonLs(['graph', 'ir.yaml', '--name', 'other'], dir);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /no document named "other"/);
  });

  it('prints DOT with clusters, labelled edges and finally apart', () => {
    const r = tektonLs(['graph', 'pipeline.yaml', '--format', 'dot'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^digraph "ci" \{/);
    assert.match(r.stdout, /"clone" -> "test" \[label="runAfter, params"\];/);
    assert.match(r.stdout, /subgraph "cluster_finally" \{[^}]*"report"/);
    const kfp = tektonLs(['graph', 'ir.yaml', '--format=dot'], dir);
    assert.match(kfp.stdout, /subgraph "cluster_condition-1" \{[^}]*"condition-1\/inner"/);
  });

  it('prints an SVG laid out by dagre, with a node per task and cycles in red', () => {
    const r = tektonLs(['graph', 'pipeline.yaml', '--format', 'svg'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    const ids = [...r.stdout.matchAll(/<g class="node (\w+)" data-id="([^"]+)"/g)].map((m) => `${m[2]}:${m[1]}`);
    assert.deepEqual(ids.sort(), ['clone:task', 'deploy:task', 'report:finally', 'test:task']);
    assert.equal((r.stdout.match(/<path class="edge"/g) ?? []).length, 2);
    // Laid out top to bottom: clone above test above deploy, and the finally task below all of them.
    const y = (id: string) => Number(new RegExp(`data-id="${id}"><rect x="[\\d.-]+" y="([\\d.-]+)"`).exec(r.stdout)?.[1]);
    assert.ok(y('clone') < y('test') && y('test') < y('deploy') && y('deploy') < y('report'), r.stdout);
    const cycle = tektonLs(['graph', 'cycle.yaml', '--format', 'svg'], dir);
    assert.equal(cycle.code, 0, cycle.stderr);
    assert.equal((cycle.stdout.match(/stroke="#d32f2f"/g) ?? []).length, 4, 'two nodes and two edges in red');
  });

  it('exits 1 with a clear message when the file or name has no graph', () => {
    const task = tektonLs(['graph', 'task.yaml'], dir);
    assert.equal(task.code, 1);
    assert.equal(task.stdout, '');
    assert.match(task.stderr, /^tekton-ls graph: task\.yaml: no Tekton Pipeline, PipelineRun or Kubeflow pipeline with a task graph here\n$/);
    writeFileSync(join(dir, 'dangling.yaml'), 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineRef:\n    name: elsewhere\n');
    const dangling = tektonLs(['graph', 'dangling.yaml'], dir);
    assert.equal(dangling.code, 1);
    assert.equal(dangling.stderr, 'tekton-ls graph: dangling.yaml: PipelineRun "r" runs Pipeline "elsewhere", which is neither in the same file nor in the workspace\n');
    const name = tektonLs(['graph', 'runs.yaml', '--name', 'nope'], dir);
    assert.equal(name.code, 1);
    assert.match(name.stderr, /no document named "nope"/);
  });

  it('draws what it can of broken YAML and says so', () => {
    const r = tektonLs(['graph', 'broken.yaml'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { nodes: [{ id: 'a', kind: 'task' }], edges: [] });
    assert.equal(r.stderr, 'tekton-ls graph: broken.yaml: 2 YAML syntax error(s); the graph shows what could be read\n');
  });

  it('exits 2 on bad usage', () => {
    for (const [args, message] of [
      [['graph'], /no FILE given/],
      [['graph', 'missing.yaml'], /missing\.yaml: no such file/],
      [['graph', 'pipeline.yaml', '--format', 'png'], /--format must be json, dot or svg, not "png"/],
      [['graph', 'pipeline.yaml', 'other.yaml'], /unexpected argument other\.yaml/],
      [['graph', 'pipeline.yaml', '--bogus'], /unknown option --bogus/],
      [['graph', '.'], /\.: a folder, not a file/],
    ] as const) {
      const r = tektonLs([...args], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const help = tektonLs(['graph', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: tekton-ls graph FILE/);
  });
});
