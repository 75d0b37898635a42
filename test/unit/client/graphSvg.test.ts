import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { graphSvg, nodeDetails } from '../../../client/src/graph/svg';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import type { GraphRequest } from '../../../server/src/protocol';
import { LanguageService } from '../../../server/src/service/languageService';

/** What the webview receives: the server's answer to `tekton/graph` with `layout: true`. */
async function request(text: string): Promise<GraphRequest.Result> {
  const service = new LanguageService();
  try {
    return await service.graphRequest(new TektonDocument('file:///v.yaml', 1, text), undefined, undefined, true);
  } finally {
    service.dispose();
  }
}

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: view
spec:
  tasks:
    - name: a
      displayName: "<img src=x onerror=alert(1)> & more"
      taskRef: {name: t}
    - name: b
      runAfter: [a, c]
      when:
        - input: $(params.go)
          operator: in
          values: ["yes"]
      taskRef: {name: t}
    - name: c
      runAfter: [b]
      taskRef: {name: t}
    - name: d
      runAfter: [nowhere]
      taskRef: {name: t}
  finally:
    - name: f
      taskRef: {name: t}
`;

describe('graph webview drawing', () => {
  it('draws every node of the laid-out graph with its state as classes, and the cycle in red classes', async () => {
    const r = await request(PIPELINE);
    assert.ok(r.graph && r.layout, JSON.stringify(r));
    const svg = graphSvg(r.graph, r.layout);
    const nodes = [...svg.matchAll(/<g class="node ([^"]+)" data-id="([^"]+)"/g)].map((m) => `${m[2]}:${m[1]}`).sort();
    assert.deepEqual(nodes, ['a:task', 'b:task cycle error conditional', 'c:task cycle', 'd:task error', 'f:finally']);
    const edges = [...svg.matchAll(/<path class="(edge[^"]*)" data-from="([^"]+)" data-to="([^"]+)"/g)].map((m) => `${m[2]}->${m[3]}:${m[1]}`).sort();
    assert.deepEqual(edges, ['a->b:edge', 'b->c:edge cycle', 'c->b:edge cycle']);
  });

  it('escapes names from the document and leaves colours to the theme', async () => {
    const r = await request(PIPELINE);
    const svg = graphSvg(r.graph!, r.layout!);
    assert.ok(!svg.includes('<img'), 'no markup from the document');
    assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt; &amp; more'));
    assert.doesNotMatch(svg, /(fill|stroke)="#|style=/, 'colours come from the webview stylesheet (theme variables)');
  });

  it('tells on hover what a node runs, its when expressions and its problems', async () => {
    const r = await request(PIPELINE);
    const d = r.graph!.nodes.find((n) => n.id === 'd')!;
    const details = nodeDetails(d);
    assert.equal(details[0], 'd');
    assert.equal(details[1], 'runs: Task t');
    assert.ok(details.some((l) => /^error: .*"nowhere"/.test(l)), details.join('\n'));
    assert.deepEqual(nodeDetails(r.graph!.nodes.find((n) => n.id === 'b')!).filter((l) => l.startsWith('when')), ['when: $(params.go) in ["yes"]']);
  });

  it('gets no layout, with the reason, when dagre would hold up the server: long edges across many ranks', async () => {
    // A chain of 120 tasks that all also read a result of the first: the edges from it span up to 119 ranks each.
    const tasks = Array.from(
      { length: 120 },
      (_, i) =>
        `    - name: t${i}\n      taskRef: {name: x}\n${i ? `      runAfter: [t${i - 1}]\n      params:\n        - {name: p, value: $(tasks.t0.results.r)}\n` : ''}`,
    ).join('');
    const started = Date.now();
    const r = await request(`apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: deep\nspec:\n  tasks:\n${tasks}`);
    assert.equal(r.graph?.edges.length, 119 + 118);
    assert.equal(r.layout, undefined);
    assert.match(r.layoutError ?? '', /too large to lay out here \(120 nodes, 237 edges, estimated cost \d+ > 1500\); `tekton-ls graph --format svg` lays out larger graphs/);
    assert.ok(Date.now() - started < 1500, 'refused before laying out');
  });

  it('gets no layout, with the reason, for a graph too large to lay out', async () => {
    const tasks = Array.from({ length: 2001 }, (_, i) => `    - name: t${i}\n      taskRef: {name: x}\n`).join('');
    const r = await request(`apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: big\nspec:\n  tasks:\n${tasks}`);
    assert.equal(r.graph?.nodes.length, 2001);
    assert.equal(r.layout, undefined);
    assert.match(r.layoutError ?? '', /too many nodes to lay out \(2001, at most 2000\)/);
  });
});
