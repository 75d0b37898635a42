import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import {
  checkTriggersWorkspace,
  indexResolver,
  resolverFromResources,
  summarizeTriggersResource,
} from '../../../../server/src/triggers/rules';
import { Workspace } from '../../../../server/src/workspace/workspace';
import { WorkspaceIndex } from '../../../../server/src/workspace/workspaceIndex';

/**
 * The cross-document warnings stay silent whenever what they depend on is not known: a binding or template missing
 * from the workspace, interceptors that may write any extension (custom ones, webhooks, trigger groups), a filter
 * that does not pin the GitHub event (tektoncd/triggers pkg/template/event.go, pkg/sink/sink.go).
 */
function resources(text: string): YamlResource[] {
  return [...new TektonDocument('file:///w.yaml', 1, text).resources()].map((r) => r.resource);
}

/** `code line:col` of every warning of every document, the text being its own workspace. */
function warnings(text: string): string[] {
  const doc = new TektonDocument('file:///w.yaml', 1, text);
  const all = [...doc.resources()];
  const resolver = resolverFromResources(all.map((r) => r.resource));
  return all.flatMap(({ resource, base }) =>
    checkTriggersWorkspace(resource, resolver).map((p) => {
      const s = doc.positionAt(p.start + base);
      return `${p.code} ${s.line + 1}:${s.character + 1} ${doc.text.slice(p.start + base, p.end + base)}`;
    }),
  );
}

const TEMPLATE = `---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tt
spec:
  params:
    - name: a
    - name: b
  resourcetemplates:
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        generateName: cm-
      data:
        v: $(tt.params.a) $(tt.params.b)
`;

function trigger(interceptors: string, bindings: string, name = 't'): string {
  return `---
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: ${name}
spec:
  interceptors:
${interceptors}
  bindings:
${bindings}
  template:
    ref: tt
`;
}

const GITHUB_PUSH = `    - ref:
        name: github
      params:
        - name: eventTypes
          value: [push]`;

describe('workspace checks: silent when the facts are not known', () => {
  it('a binding not in the workspace may provide any param', () => {
    assert.deepEqual(warnings(TEMPLATE + trigger('    []', '    - ref: elsewhere\n    - name: a\n      value: x')), []);
  });

  it('every param provided (inline or by a known binding) gives no warning; a missing one does', () => {
    const tb = `---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: tb
spec:
  params:
    - name: b
      value: $(body.after)
`;
    assert.deepEqual(warnings(TEMPLATE + tb + trigger('    []', '    - ref: tb\n    - name: a\n      value: x')), []);
    assert.deepEqual(warnings(TEMPLATE + tb + trigger('    []', '    - ref: tb')), ['unbound-template-param 8:13 a']);
  });

  it('a template used by no trigger, or a trigger whose template is not known, gives nothing', () => {
    assert.deepEqual(warnings(TEMPLATE), []);
    assert.deepEqual(warnings(trigger('    []', '    - name: zzz\n      value: x')), []);
  });

  it('an ambiguous template name (declared twice) is not checked against', () => {
    // zzz is declared by one of the two "tt" only: no undeclared-binding-param; the other's b is still unbound.
    assert.deepEqual(
      warnings(
        TEMPLATE +
          TEMPLATE.replace('- name: b', '- name: zzz') +
          trigger('    []', '    - name: zzz\n      value: x\n    - name: a\n      value: y'),
      ),
      ['unbound-template-param 9:13 b'],
    );
  });

  it('custom interceptors, webhooks and trigger groups may write any extension', () => {
    const reads = '    - name: a\n      value: $(extensions.anything)\n    - name: b\n      value: x';
    assert.deepEqual(warnings(TEMPLATE + trigger('    - ref:\n        name: my-interceptor', reads)), []);
    assert.deepEqual(
      warnings(TEMPLATE + trigger('    - ref:\n        name: cel\n        kind: NamespacedInterceptor', reads)),
      [],
    );
    assert.deepEqual(
      warnings(
        TEMPLATE +
          trigger(
            '    - ref:\n        name: cel\n      params:\n        - name: overlays\n          value: $(params.x)',
            reads,
          ),
      ),
      [],
    );
    assert.deepEqual(warnings(TEMPLATE + trigger(GITHUB_PUSH, reads)), ['unknown-extension 31:27 anything']);
    const groups = `---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: el
spec:
  triggerGroups:
    - name: g
      interceptors:
        - ref:
            name: cel
      triggerSelector:
        labelSelector:
          matchLabels:
            a: b
`;
    assert.deepEqual(warnings(TEMPLATE + trigger(GITHUB_PUSH, reads) + groups), []);
  });

  it('a filter that does not pin the event declares nothing; a pinning one does', () => {
    const reads = '    - name: a\n      value: $(body.pull_request.number)\n    - name: b\n      value: x';
    const cel = (filter: string) =>
      `    - ref:\n        name: cel\n      params:\n        - name: filter\n          value: "${filter}"`;
    assert.deepEqual(
      warnings(TEMPLATE + trigger(cel("header.match('X-GitHub-Event', 'push') || body.x == 1"), reads)),
      [],
    );
    assert.deepEqual(warnings(TEMPLATE + trigger(cel("!header.match('X-GitHub-Event', 'push')"), reads)), []);
    assert.deepEqual(
      warnings(
        TEMPLATE +
          trigger(
            cel("header.match('X-GitHub-Event', 'push') || header.match('X-GitHub-Event', 'pull_request')"),
            reads,
          ),
      ),
      [],
    );
    assert.deepEqual(
      warnings(TEMPLATE + trigger(cel("header['X-Github-Event'][0] in ['push', 'create'] && body.ref != ''"), reads)),
      ['unknown-body-field 31:21 pull_request'],
    );
  });

  it('a legacy webhook interceptor may replace the body; open schemas allow any field', () => {
    const reads =
      '    - name: a\n      value: $(body.nothing.here)\n    - name: b\n      value: $(body.client_payload.anything)';
    const webhook =
      '    - webhook:\n        objectRef:\n          kind: Service\n          apiVersion: v1\n          name: svc';
    assert.deepEqual(warnings(TEMPLATE + trigger(webhook + '\n' + GITHUB_PUSH, reads)), []);
    const dispatch = GITHUB_PUSH.replace('[push]', '[repository_dispatch]');
    assert.deepEqual(warnings(TEMPLATE + trigger(dispatch, reads)), ['unknown-body-field 31:21 nothing']);
  });

  it('a shared binding is checked only when every trigger using it declares its events', () => {
    const tb = `---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: tb
spec:
  params:
    - name: a
      value: $(body.head_commit.id)
    - name: b
      value: $(body.pull_request.number)
`;
    const pr = GITHUB_PUSH.replace('[push]', '[pull_request]');
    // push has head_commit, pull_request has pull_request: each path exists for one of the users.
    assert.deepEqual(
      warnings(TEMPLATE + tb + trigger(GITHUB_PUSH, '    - ref: tb', 'p') + trigger(pr, '    - ref: tb', 'q')),
      [],
    );
    assert.deepEqual(
      warnings(TEMPLATE + tb + trigger(GITHUB_PUSH, '    - ref: tb', 'p') + trigger('    []', '    - ref: tb', 'q')),
      [],
    );
    assert.deepEqual(warnings(TEMPLATE + tb + trigger(GITHUB_PUSH, '    - ref: tb', 'p')), [
      'unknown-body-field 27:21 pull_request',
    ]);
  });
});

describe('summaries and the workspace index', () => {
  const files: Record<string, string> = {
    'file:///ws/template.yaml': TEMPLATE,
    'file:///ws/trigger.yaml': trigger('    []', '    - name: b\n      value: x'),
  };
  const workspace: Workspace = {
    findYamlFiles: async () => Object.keys(files),
    readFile: async (uri) => files[uri],
  };

  it('summaries are small JSON values', () => {
    const [t] = resources(trigger(GITHUB_PUSH, '    - ref: tb\n    - name: a\n      value: x'));
    assert.deepEqual(JSON.parse(JSON.stringify(summarizeTriggersResource(t))), {
      type: 'triggers',
      triggers: [
        {
          owner: 'Trigger',
          name: 't',
          templateRef: 'tt',
          bindings: [{ ref: 'tb', kind: 'TriggerBinding' }, { name: 'a' }],
          githubEvents: ['push'],
          extensions: [],
          writers: [],
        },
      ],
    });
  });

  for (const layout of ['direct', 'nested'] as const) {
    it(`indexResolver reads the index summaries (${layout})`, async () => {
      const index = new WorkspaceIndex(workspace, (r) =>
        layout === 'direct'
          ? summarizeTriggersResource(r)
          : { pipelines: undefined, triggers: summarizeTriggersResource(r) },
      );
      await index.ready();
      const [tt] = resources(TEMPLATE);
      const problems = checkTriggersWorkspace(tt, indexResolver(index));
      assert.deepEqual(
        problems.map((p) => [p.code, p.severity, TEMPLATE.slice(p.start, p.end)]),
        [['unbound-template-param', 'warning', 'a']],
      );
      assert.match(problems[0].message, /stays literal \$\(tt\.params\.a\) text/);
    });
  }
});
