#!/usr/bin/env node
// Pipelines rules benchmark: checkKindRules on generated Pipelines of 26 (about 500 lines), 200 and 400 tasks, each
// task using params, results, workspaces and context variables. Prints the best of several runs per size, so that
// growth with size shows; it asserts nothing (see test/bench/README.md). Needs `npm run compile` (reads out/).
import { performance } from 'node:perf_hooks';

const { TektonDocument } = await import('../../out/server/src/document/tektonDocument.js');
const { checkKindRules } = await import('../../out/server/src/pipelines/rules/index.js');

function bigPipeline(n) {
  let s = 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: big\nspec:\n  params:\n    - name: revision\n    - name: flags\n      type: array\n  workspaces:\n    - name: shared\n  tasks:\n';
  for (let i = 0; i < n; i++)
    s += `    - name: t${i}\n${i ? `      runAfter: [t${i - 1}]\n` : ''}      taskSpec:\n        results:\n          - name: out\n        steps:\n          - name: s\n            image: alpine\n            script: |\n              echo $(params.revision) > $(results.out.path)\n              echo $(context.taskRun.name)\n      params:\n        - name: prev\n          value: ${i ? `$(tasks.t${i - 1}.results.out)` : 'x'}\n        - name: f\n          value: ["$(params.flags[*])"]\n      workspaces:\n        - name: w\n          workspace: shared\n`;
  return s;
}

for (const tasks of [26, 200, 400]) {
  const text = bigPipeline(tasks);
  let best = Infinity;
  let problems = 0;
  for (let i = 0; i < 10; i++) {
    // parsed outside the timing: this measures the rules, not the YAML parser
    const resource = [...new TektonDocument('file:///big.yaml', 1, text).resources()][0].resource;
    const t0 = performance.now();
    problems = checkKindRules(resource).length;
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`Pipeline of ${tasks} tasks (${text.split('\n').length} lines): checkKindRules best of 10 ${best.toFixed(2)} ms, ${problems} problem(s)`);
}
