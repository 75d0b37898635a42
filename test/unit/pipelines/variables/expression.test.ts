import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findVariables, VariableRef } from '../../../../server/src/pipelines/variables/expression';

/** `kind role=name@start-end ...[index]` for one variable, the shape the tests compare. */
function show(ref: VariableRef, value: string): string {
  const parts = ref.parts.map((p) => {
    assert.equal(value.slice(p.start, p.end), p.text, 'part offsets point at the name');
    return `${p.role}=${p.text}`;
  });
  const index = ref.index ? (ref.index.star ? '[*]' : `[${ref.index.index}]`) : '';
  return [ref.kind, ...parts].join(' ') + index;
}

function parse(value: string): string[] {
  return findVariables(value).map((r) => show(r, value));
}

describe('variable expressions (docs/variables.md)', () => {
  const cases: [string, string[]][] = [
    ['$(params.revision)', ['param param=revision']],
    ["$(params['revision'])", ['param param=revision']],
    ['$(params["a.b/c"])', ['param param=a.b/c']],
    ['$(params.files[*])', ['param param=files[*]']],
    ["$(params['files'][*])", ['param param=files[*]']],
    ['$(params.files[2])', ['param param=files[2]']],
    ['$(params.git.url)', ['param param=git key=url']],
    ['$(tasks.build.results.digest)', ['taskResult task=build result=digest']],
    ['$(tasks.build.results.list[*])', ['taskResult task=build result=list[*]']],
    ['$(tasks.build.results.list[0])', ['taskResult task=build result=list[0]']],
    ['$(tasks.build.results.info.url)', ['taskResult task=build result=info key=url']],
    ['$(finally.report.results.summary)', ['finallyResult task=report result=summary']],
    ['$(tasks.build.status) $(tasks.build.reason) $(tasks.status)', ['taskStatus task=build', 'taskReason task=build', 'tasksStatus']],
    ['$(tasks.build.matrix.length) $(tasks.build.matrix.digest.length)', ['matrixLength task=build', 'matrixResultLength task=build result=digest']],
    ['$(workspaces.source.path) $(workspaces.cache.bound)', ['workspace workspace=source attr=path', 'workspace workspace=cache attr=bound']],
    [
      '$(context.pipelineRun.name) $(context.task.retry-count)',
      ['context scope=pipelineRun contextKey=name', 'context scope=task contextKey=retry-count'],
    ],
    ['$(results.digest.path) $(results["digest"].path)', ['result result=digest', 'result result=digest']],
    ['$(steps.step-build.exitCode.path)', ['stepExitCode step=step-build']],
    ['$(steps.get.results.version) $(steps.get.results.list[*])', ['stepResult step=get result=version', 'stepResult step=get result=list[*]']],
    ['$(step.results.commit.path)', ['stepResultPath result=commit']],
    ['$(credentials.path) $(artifacts.path)', ['credentials', 'artifacts']],
    ['$(inputs.params.x)', ['legacyParam param=x']],
    ['$(resources.inputs.source.path)', ['legacyResource']],
  ];
  for (const [value, expected] of cases) it(value, () => assert.deepEqual(parse(value), expected));

  it('leaves shell command substitution alone, but finds variables inside it', () => {
    assert.deepEqual(parse('$(date) $(git rev-parse HEAD) $(echo $(params.x))'), ['param param=x']);
    assert.deepEqual(parse('cost: $(( 1 + 2 )) $params.x ${params.y}'), []);
  });

  it('reports malformed expressions with what is wrong', () => {
    const [three] = findVariables('$(params.a.b.c)');
    assert.equal(three.kind, 'invalid');
    assert.match(three.problem!, /only two dot-separated components/);
    const [noResults] = findVariables('$(tasks.build.digest)');
    assert.equal(noResults.kind, 'invalid');
    assert.deepEqual(
      noResults.parts.map((p) => p.text),
      ['build'],
    );
    assert.equal(findVariables('$(workspaces.w)')[0].kind, 'invalid');
    assert.equal(findVariables("$(params['x)")[0]?.kind ?? 'none', 'invalid');
  });

  it('an expression ends at the first ")", as Tekton matches it', () => {
    const [v] = findVariables('x$(params.a)y)');
    assert.equal(v.end, 12);
    assert.equal(findVariables('$(params.a').length, 0);
    const [open] = findVariables('$(params.a', true);
    assert.equal(open.closed, false);
    assert.equal(open.parts[0].text, 'a');
  });
});
