import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import type { TaskGraph } from '../../../server/src/graph/model';
import { LanguageService } from '../../../server/src/service/languageService';
import { resultRefTask } from '../../../server/src/pipelines/graph';

/** The graph of a file through the language service, as the LSP request and the CLI get it. */
async function graphOf(text: string, query: { name?: string; offset?: number } = {}): Promise<TaskGraph> {
  const service = new LanguageService();
  try {
    const outcome = await service.getGraph(new TektonDocument('file:///g.yaml', 1, text), query);
    if (!('graph' in outcome)) throw new Error(outcome.error);
    return outcome.graph;
  } finally {
    service.dispose();
  }
}

const shape = (g: TaskGraph) => ({
  nodes: g.nodes.map((n) => `${n.id}:${n.kind}${n.parent ? `<${n.parent}` : ''}`).sort(),
  edges: g.edges.map((e) => `${e.from}->${e.to} ${e.kinds.join(',')}`).sort(),
});

const pipeline = (tasks: string, extra = '') => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  tasks:
${tasks}${extra}`;

describe('graph: Tekton edges as the DAG builder decides them', () => {
  it('orders by runAfter and by result references in params, matrix and when; finally tasks get no edges', async () => {
    const g = await graphOf(
      pipeline(
        `    - name: a
      taskRef: {name: t}
    - name: b
      runAfter: [a]
      taskRef: {name: t}
    - name: c
      params:
        - name: x
          value: "prefix-$(tasks.a.results.out)"
        - name: arr
          value: ["$(tasks.b.results.list[*])"]
      taskRef: {name: t}
    - name: d
      matrix:
        params:
          - name: m
            value: $(tasks.c.results.items)
        include:
          - name: extra
            params:
              - name: y
                value: $(tasks.a.results.obj.key)
      taskRef: {name: t}
    - name: e
      when:
        - input: $(tasks.d.results.flag)
          operator: in
          values: ["$(tasks.b.results.expected)"]
        - cel: "'$(tasks.c.results.ok)' == 'true'"
      taskRef: {name: t}
`,
        `  finally:
    - name: cleanup
      params:
        - name: s
          value: $(tasks.e.results.x) $(tasks.status)
      taskRef: {name: t}
`,
      ),
    );
    assert.deepEqual(shape(g), {
      nodes: ['a:task', 'b:task', 'c:task', 'cleanup:finally', 'd:task', 'e:task'],
      edges: ['a->b runAfter', 'a->c params', 'a->d matrix', 'b->c params', 'b->e when', 'c->d matrix', 'c->e when', 'd->e when'],
    });
    assert.ok(g.nodes.every((n) => !n.inCycle));
  });

  it('lists every reason of one edge once, in a fixed order', async () => {
    const g = await graphOf(
      pipeline(`    - name: a
      taskRef: {name: t}
    - name: b
      when:
        - input: $(tasks.a.results.r)
          operator: in
          values: ["x"]
      params:
        - {name: p, value: $(tasks.a.results.r)}
        - {name: q, value: $(tasks.a.results.s)}
      runAfter: [a]
      taskRef: {name: t}
`),
    );
    assert.deepEqual(g.edges, [{ from: 'a', to: 'b', kinds: ['runAfter', 'params', 'when'] }]);
  });

  it('orders by references in inline steps and sidecars, but not in fields upstream does not read', async () => {
    const g = await graphOf(
      pipeline(`    - name: a
      taskRef: {name: t}
    - name: s
      taskRef: {name: t}
    - name: v
      taskRef: {name: t}
    - name: w
      taskRef: {name: t}
    - name: k
      taskRef: {name: t}
    - name: b
      taskSpec:
        stepTemplate:
          image: $(tasks.v.results.img)
        volumes:
          - name: vol
            configMap: {name: $(tasks.v.results.cm)}
        steps:
          - name: one
            image: alpine
            script: echo $(tasks.a.results.r)
            volumeMounts:
              - {name: vol, mountPath: $(tasks.w.results.path)}
            env:
              - name: FROM_SECRET
                valueFrom:
                  secretKeyRef: {name: $(tasks.k.results.secret), key: token}
              - name: FIELD
                valueFrom:
                  fieldRef: {fieldPath: $(tasks.w.results.field)}
        sidecars:
          - name: side
            image: $(tasks.s.results.image)
`),
    );
    assert.deepEqual(shape(g).edges, ['a->b steps', 'k->b steps', 's->b sidecars']);
  });

  it('reads result references as upstream parses them: bracket-quoted names and extra parts give no edge', async () => {
    assert.equal(resultRefTask('tasks.a.results.r'), 'a');
    assert.equal(resultRefTask('tasks.a.results.r[2]'), 'a');
    assert.equal(resultRefTask('tasks.a.results.obj.key'), 'a');
    assert.equal(resultRefTask("tasks.a.results['r']"), undefined);
    assert.equal(resultRefTask('tasks.a.results.r.k.extra'), undefined);
    assert.equal(resultRefTask('tasks.a.status'), undefined);
    assert.equal(resultRefTask('params.x'), undefined);
  });

  it('keeps unknown and finally dependencies out of the edges and attaches their problems to the node', async () => {
    const g = await graphOf(
      pipeline(
        `    - name: a
      taskRef: {name: t}
    - name: b
      runAfter: [nope, fin]
      params:
        - {name: p, value: $(tasks.ghost.results.r)}
      taskRef: {name: t}
`,
        `  finally:
    - name: fin
      taskRef: {name: t}
`,
      ),
    );
    assert.deepEqual(g.edges, []);
    const b = g.nodes.find((n) => n.id === 'b')!;
    assert.ok(
      b.problems.some((p) => p.code === 'unknown-task' && p.message.includes('"nope"')),
      JSON.stringify(b.problems),
    );
    assert.ok(b.problems.some((p) => p.message.includes('ghost')), JSON.stringify(b.problems));
    assert.deepEqual(g.nodes.find((n) => n.id === 'a')!.problems, []);
  });

  it('marks a cycle on its nodes and edges, and the cycle diagnostic on the node it is reported on', async () => {
    const g = await graphOf(
      pipeline(`    - name: a
      runAfter: [c]
      taskRef: {name: t}
    - name: b
      runAfter: [a]
      taskRef: {name: t}
    - name: c
      params:
        - {name: p, value: $(tasks.b.results.r)}
      taskRef: {name: t}
    - name: d
      runAfter: [c]
      taskRef: {name: t}
`),
    );
    assert.deepEqual(shape(g).edges, ['a->b runAfter', 'b->c params', 'c->a runAfter', 'c->d runAfter']);
    assert.deepEqual(g.nodes.filter((n) => n.inCycle).map((n) => n.id).sort(), ['a', 'b', 'c']);
    assert.deepEqual(g.edges.filter((e) => e.inCycle).map((e) => `${e.from}->${e.to}`).sort(), ['a->b', 'b->c', 'c->a']);
    assert.ok(g.nodes.some((n) => n.problems.some((p) => p.code === 'pipeline-cycle')));
  });

  it('describes each node: what it runs, params, results of an inline spec, when expressions and matrix', async () => {
    const g = await graphOf(
      pipeline(`    - name: a
      displayName: Build it
      taskSpec:
        results:
          - name: digest
        steps:
          - image: alpine
    - name: b
      taskRef: {name: deploy}
      params:
        - {name: image, value: $(tasks.a.results.digest)}
      matrix:
        params:
          - {name: platform, value: [linux, darwin]}
      when:
        - input: $(params.go)
          operator: notin
          values: ["no"]
`),
    );
    const [a, b] = g.nodes;
    assert.equal(a.label, 'Build it');
    assert.equal(a.runs, 'taskSpec');
    assert.deepEqual(a.results, ['digest']);
    assert.equal(b.runs, 'Task deploy');
    assert.deepEqual(b.params, [{ name: 'image', value: '$(tasks.a.results.digest)' }]);
    assert.deepEqual(b.matrix, ['platform']);
    assert.deepEqual(b.when, ['$(params.go) notin ["no"]']);
  });
});

describe('graph: which document', () => {
  const run = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: run
spec:
  pipelineRef:
    name: p
---
`;
  const inline = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: inline
spec:
  pipelineSpec:
    tasks:
      - name: only
        taskSpec:
          steps: [{image: alpine}]
`;

  it('follows a PipelineRun pipelineRef to a Pipeline of the same file, and picks by name', async () => {
    const text = `${run}${pipeline(`    - name: x
      taskRef: {name: t}
`)}---
${inline}`;
    const first = await graphOf(text);
    assert.equal(first.kind, 'PipelineRun');
    assert.equal(first.name, 'run');
    assert.deepEqual(shape(first).nodes, ['x:task']);
    const byName = await graphOf(text, { name: 'inline' });
    assert.deepEqual(shape(byName).nodes, ['only:task']);
    assert.equal((await graphOf(text, { name: 'p' })).kind, 'Pipeline');
  });

  it('says why there is no graph', async () => {
    const service = new LanguageService();
    const task = new TektonDocument('file:///t.yaml', 1, 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps: []\n');
    assert.match(((await service.getGraph(task, {})) as { error: string }).error, /no Tekton Pipeline/);
    assert.match(((await service.getGraph(task, { name: 't' })) as { error: string }).error, /"t" has no task graph/);
    assert.match(((await service.getGraph(task, { name: 'zzz' })) as { error: string }).error, /no document named "zzz"/);
    const dangling = new TektonDocument('file:///r.yaml', 1, run);
    assert.equal(
      ((await service.getGraph(dangling, {})) as { error: string }).error,
      'PipelineRun "run" runs Pipeline "p", which is neither in the same file nor in the workspace',
    );
    const resolved = new TektonDocument('file:///g.yaml', 1, run.replace('    name: p\n', '    resolver: git\n'));
    assert.equal(
      ((await service.getGraph(resolved, {})) as { error: string }).error,
      'PipelineRun "run" gets its Pipeline from the git resolver, which is not read here',
    );
    service.dispose();
  });

  it('draws what it can of broken YAML and never throws', async () => {
    const broken = pipeline(`    - name: a
      taskRef: {name: t}
    - name: b
      runAfter: [a
`);
    assert.deepEqual(shape(await graphOf(broken)).nodes, ['a:task', 'b:task']);
    const service = new LanguageService();
    for (const text of ['', ':', '- [', 'kind: Pipeline\napiVersion: tekton.dev/v1\nspec: 3', 'apiVersion: tekton.dev/v1\nkind: Pipeline\nspec:\n  tasks: {a: 1}']) {
      const outcome = await service.getGraph(new TektonDocument('file:///x.yaml', 1, text), {});
      assert.ok('error' in outcome || outcome.graph.nodes.length === 0, text);
    }
    service.dispose();
  });
});

describe('graph: Kubeflow Pipelines IR', () => {
  const ir = `components:
  comp-op:
    executorLabel: exec-op
  comp-inner:
    dag:
      tasks:
        first:
          componentRef: {name: comp-op}
        second:
          componentRef: {name: comp-op}
          dependentTasks: [first]
          triggerPolicy:
            condition: inputs.parameter_values['flag'] == true
  comp-loop:
    dag:
      tasks:
        body:
          componentRef: {name: comp-op}
deploymentSpec:
  executors:
    exec-op:
      container: {image: alpine}
pipelineInfo:
  name: nested
root:
  dag:
    tasks:
      start:
        componentRef: {name: comp-op}
      group:
        componentRef: {name: comp-inner}
        dependentTasks: [start, missing]
      loop:
        componentRef: {name: comp-loop}
        dependentTasks: [group]
        parameterIterator:
          itemInput: item
          items: {raw: '[1, 2, 3]'}
        iteratorPolicy: {parallelismLimit: 2}
schemaVersion: 2.1.0
`;

  it('makes a node per task of every DAG, groups nested DAGs, and marks conditions and loops', async () => {
    const g = await graphOf(ir);
    assert.equal(g.name, 'nested');
    assert.deepEqual(shape(g), {
      nodes: ['group/first:task<group', 'group/second:task<group', 'group:dag', 'loop/body:task<loop', 'loop:dag', 'start:task'],
      edges: ['group->loop dependentTasks', 'group/first->group/second dependentTasks', 'start->group dependentTasks'],
    });
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    assert.deepEqual(byId.get('group/second')!.when, ["inputs.parameter_values['flag'] == true"]);
    assert.equal(byId.get('loop')!.loop, 'for item in [1, 2, 3] (at most 2 at once)');
    assert.equal(byId.get('start')!.runs, 'component comp-op (exec-op)');
    assert.ok(byId.get('group')!.problems.some((p) => p.message.includes('missing')), JSON.stringify(byId.get('group')!.problems));
  });

  it('stops at a DAG that runs itself instead of recursing forever', async () => {
    const selfRef = `components:
  comp-rec:
    dag:
      tasks:
        again:
          componentRef: {name: comp-rec}
pipelineInfo: {name: rec}
root:
  dag:
    tasks:
      top:
        componentRef: {name: comp-rec}
schemaVersion: 2.1.0
`;
    const g = await graphOf(selfRef);
    assert.deepEqual(shape(g).nodes, ['top/again:task<top', 'top:dag']);
  });
});
