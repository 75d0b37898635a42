import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import {
  checkResourceTemplates,
  checkTriggersResource,
  checkTriggersWorkspace,
  resolverFromResources,
  resourceTemplateTargets,
  summarizeTriggersResource,
  triggersVariableCompletions,
  triggersVariableHover,
  TRIGGERS_KINDS,
} from '../../../../server/src/triggers/rules';
import { fileProblems, store } from './helpers';

function resources(text: string): YamlResource[] {
  return [...new TektonDocument('file:///a.yaml', 1, text).resources()].map((r) => r.resource);
}

describe('admission checks: valid documents report nothing', () => {
  it('an EventListener with inline, referenced and grouped triggers (event_listener_validation.go)', () => {
    const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: listener
  annotations:
    tekton.dev/payload-validation: "false"
spec:
  triggers:
    - name: by-ref
      triggerRef: github-push
    - name: inline_trigger.v1
      bindings:
        - ref: pipeline-binding
        - ref: cluster-binding
          kind: ClusterTriggerBinding
        - name: message
          value: "Hello $(body.sender.login), event $(context.eventID)"
      interceptors:
        - ref:
            name: cel
          params:
            - name: filter
              value: header.match('X-GitHub-Event', 'push')
      template:
        ref: pipeline-template
  triggerGroups:
    - name: group
      interceptors:
        - ref:
            name: github
      triggerSelector:
        namespaceSelector:
          matchNames: [ci]
  resources:
    kubernetesResource:
      replicas: 0
`;
    assert.deepEqual(fileProblems(text), []);
  });

  it('legacy v1alpha1 interceptors, one each (v1alpha1/trigger_validation.go)', () => {
    const text = `apiVersion: triggers.tekton.dev/v1alpha1
kind: Trigger
metadata:
  name: legacy
spec:
  interceptors:
    - github:
        eventTypes: [push]
    - cel:
        overlays:
          - key: short
            expression: body.after.truncate(7)
    - webhook:
        objectRef:
          kind: Service
          apiVersion: v1
          name: svc
        header:
          - name: X-Tenant
            value: [a, b]
  bindings:
    - name: short
      value: $(extensions.short)
  template:
    ref: t
`;
    assert.deepEqual(fileProblems(text), []);
  });
});

describe('admission checks: $( termination follows validateParamValue exactly', () => {
  const binding = (value: string, kind = 'TriggerBinding') => `apiVersion: triggers.tekton.dev/v1beta1
kind: ${kind}
metadata:
  name: b
spec:
  params:
    - name: p
      value: '${value}'
`;
  const codes = (text: string) =>
    resources(text)
      .flatMap((r) => checkTriggersResource(r))
      .map((p) => `${p.code} ${p.severity}`);

  it('closed expressions pass; an unterminated piece before another $( is rejected', () => {
    assert.deepEqual(codes(binding('$(body.a) and $(header.B) $(body.list[0])')), []);
    assert.deepEqual(codes(binding('$(body.a $(body.b)')), ['unterminated-expression error']);
  });

  it('the last piece is never checked by admission (only a warning here)', () => {
    assert.deepEqual(codes(binding('$(body.a) $(body.b')), ['unclosed-expression warning']);
  });

  it('nested $($(x)) is rejected too: its first piece is empty and unterminated', () => {
    assert.deepEqual(codes(binding('$($(body.b))')), ['unterminated-expression error']);
  });
});

describe('the Triggers checks are total', () => {
  const shapes = [
    'spec: 5',
    'spec: [a]',
    'spec:\n  triggers: x\n  params: {a: 1}\n  bindings: [1, null, {ref: 3}]\n  interceptors: {a: 1}\n  template: [x]\n  resourcetemplates: 7',
    'spec:\n  triggers:\n    - bindings: 5\n      template: {spec: 5}\n      interceptors: [{ref: 5}, {webhook: 5}, {cel: 5}]\n  clientConfig: {service: 5}',
    'spec: &a\n  x: *a',
  ];
  for (const kind of TRIGGERS_KINDS)
    for (const [i, shape] of shapes.entries())
      it(`${kind}, odd shape ${i}`, () => {
        const text = `apiVersion: triggers.tekton.dev/v1${kind.includes('Interceptor') ? 'alpha1' : 'beta1'}\nkind: ${kind}\nmetadata:\n  name: x\n${shape}\n`;
        const rs = resources(text);
        const resolver = resolverFromResources(rs);
        for (const r of rs) {
          assert.ok(Array.isArray(checkTriggersResource(r)));
          assert.ok(Array.isArray(checkResourceTemplates(r, store)));
          assert.ok(Array.isArray(checkTriggersWorkspace(r, resolver)));
          assert.ok(Array.isArray(resourceTemplateTargets(r)));
          summarizeTriggersResource(r);
          for (let o = 0; o < text.length; o += 7) {
            assert.ok(Array.isArray(triggersVariableCompletions(r, o, { resolver })));
            triggersVariableHover(r, o, { resolver });
          }
        }
      });
});

describe('resource templates', () => {
  it('resourceTemplateTargets lists the templates of TriggerTemplates and inline template specs', () => {
    const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: t
spec:
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: PipelineRun
    - apiVersion: v1
      kind: ConfigMap
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: el
spec:
  triggers:
    - template:
        spec:
          resourcetemplates:
            - apiVersion: tekton.dev/v1
              kind: TaskRun
`;
    const doc = new TektonDocument('file:///a.yaml', 1, text);
    const targets = [...doc.resources()].flatMap(({ resource, base }) =>
      resourceTemplateTargets(resource).map((t) => [t.apiVersion, t.kind, base + t.node.range![0]]),
    );
    assert.deepEqual(targets, [
      ['tekton.dev/v1', 'PipelineRun', text.indexOf('apiVersion: tekton.dev/v1')],
      ['v1', 'ConfigMap', text.indexOf('apiVersion: v1')],
      ['tekton.dev/v1', 'TaskRun', text.lastIndexOf('apiVersion: tekton.dev/v1')],
    ]);
  });
});

describe('big documents', () => {
  it('a TriggerTemplate with 3000 substitutions and a binding with 3000 params: every undeclared one found', () => {
    const n = 3000;
    const params = Array.from({ length: n }, (_, i) => `    - name: p${i}`).join('\n');
    const data = Array.from(
      { length: n },
      (_, i) => `        k${i}: "x $(tt.params.p${i}) $(tt.params.q${i % 10})"`,
    ).join('\n');
    const tt = `apiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerTemplate\nmetadata:\n  name: t\nspec:\n  params:\n${params}\n  resourcetemplates:\n    - apiVersion: v1\n      kind: ConfigMap\n      data:\n${data}\n`;
    const tb = `apiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerBinding\nmetadata:\n  name: b\nspec:\n  params:\n${Array.from({ length: n }, (_, i) => `    - name: p${i}\n      value: $(body.a${i}.b) $(header.X)`).join('\n')}\n`;
    const [t] = resources(tt);
    const [b] = resources(tb);
    assert.equal(checkTriggersResource(t).length, n); // every $(tt.params.qN) is undeclared
    assert.equal(checkTriggersResource(b).length, 0);
    const resolver = resolverFromResources([t, b]);
    checkTriggersWorkspace(t, resolver);
    checkTriggersWorkspace(b, resolver);
  });
});
