/**
 * EventListener processing, checked against tektoncd/triggers pkg/sink/sink.go (HandleEvent, merge,
 * selectTriggers, processTriggerGroups, processTrigger), pkg/sink/validate_payload.go and docs/eventlisteners.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/triggers/simulation/simulate';
import { formatSimulationTrace } from '../../../server/src/triggers/simulation/trace';
import { jsonRequest, simulateYaml, yamlResources } from './helpers';

const COMMON = `---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tt
spec:
  params:
    - name: who
      default: nobody
  resourcetemplates:
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cm-$(uid)
      data:
        who: $(tt.params.who)
        event: $(tt.params.event)
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: tb
spec:
  params:
    - name: event
      value: $(context.eventID)
`;

function trigger(name: string, labels: Record<string, string> = {}, namespace?: string, interceptors = ''): string {
  return `---
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}  labels:
${
  Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('') || '    none: none\n'
}spec:
${interceptors}  bindings:
    - ref: tb
  template:
    ref: tt
`;
}

const EL = (spec: string, annotations = ''): string => `apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: el
${annotations ? `  annotations:\n${annotations}` : ''}spec:
${spec}`;

describe('simulate: payload validation (pkg/sink/validate_payload.go)', () => {
  const yaml = EL('  triggers:\n    - name: t\n      bindings: [{ref: tb}]\n      template: {ref: tt}\n') + COMMON;
  it('a body that is not a JSON object is answered 400 and no trigger runs', async () => {
    for (const [body, message] of [
      ['hello', "Invalid event body format : invalid character 'h' looking for beginning of value"],
      ['', 'Invalid event body format : unexpected end of JSON input'],
      ['[1]', 'Invalid event body format : json: cannot unmarshal array into Go value of type map[string]interface {}'],
      ['{"a":1} x', "Invalid event body format : invalid character 'x' after top-level value"],
    ]) {
      const r = await simulateYaml(yaml, 'el', jsonRequest(body));
      assert.equal(r.response.status, 400, body);
      assert.equal(r.response.body.errorMessage, message);
      assert.equal(r.triggers.length, 0);
      assert.equal(r.problems[0].code, 'payload-validation');
    }
  });
  it('tekton.dev/payload-validation: "false" lets any body through; bindings still need JSON (event.go newEvent)', async () => {
    const off =
      EL('  triggers:\n    - name: t\n      template: {ref: tt}\n', '    tekton.dev/payload-validation: "false"\n') +
      COMMON;
    const array = await simulateYaml(off, 'el', jsonRequest('[1, 2]'));
    assert.equal(array.response.status, 202);
    assert.equal(array.triggers[0].status, 'fired');
    const text = await simulateYaml(off, 'el', jsonRequest('hello'));
    assert.equal(text.response.status, 202);
    assert.equal(text.triggers[0].status, 'failed');
    assert.equal(
      text.triggers[0].reason,
      "failed to ApplyEventValuesToParams: failed to marshal event: failed to unmarshal request body: invalid character 'h' looking for beginning of value",
    );
  });
});

describe('simulate: which triggers run (sink.go merge, selectTriggers)', () => {
  it('inline triggers and triggerRef; a dangling triggerRef is skipped as upstream logs and continues', async () => {
    const yaml =
      EL(
        '  triggers:\n    - name: inline\n      bindings: [{ref: tb}]\n      template: {ref: tt}\n    - triggerRef: referenced\n    - triggerRef: gone\n',
      ) +
      COMMON +
      trigger('referenced');
    const r = await simulateYaml(yaml, 'el', jsonRequest({}));
    assert.deepEqual(
      r.triggers.map((t) => [t.name, t.origin, t.status]),
      [
        ['inline', 'inline', 'fired'],
        ['referenced', 'triggerRef', 'fired'],
        ['gone', 'triggerRef', 'skipped'],
      ],
    );
    assert.match(r.triggers[2].reason!, /Error getting Trigger gone in Namespace default/);
    assert.equal(r.fired, 2);
  });
  it('labelSelector matchLabels and matchExpressions select Triggers of the EventListener namespace', async () => {
    const sel = EL(`  labelSelector:
    matchLabels: {team: a}
    matchExpressions:
      - {key: env, operator: In, values: [prod, stage]}
      - {key: skip, operator: DoesNotExist}
`);
    const yaml =
      sel +
      COMMON +
      trigger('yes', { team: 'a', env: 'prod' }) +
      trigger('wrong-env', { team: 'a', env: 'dev' }) +
      trigger('skipped', { team: 'a', env: 'prod', skip: 'y' }) +
      trigger('other-ns', { team: 'a', env: 'prod' }, 'ns2');
    const r = await simulateYaml(yaml, 'el', jsonRequest({}));
    assert.deepEqual(
      r.triggers.map((t) => [t.name, t.origin]),
      [['yes', 'selector']],
    );
  });
  it('namespaceSelector matchNames (and "*" for all namespaces); bindings and templates come from the trigger namespace', async () => {
    const nsCommon = COMMON.replace(/name: (tt|tb)\n/g, 'name: $1\n  namespace: ns2\n');
    const base = COMMON + nsCommon + trigger('here', {}) + trigger('there', {}, 'ns2') + trigger('third', {}, 'ns3');
    const some = await simulateYaml(EL('  namespaceSelector:\n    matchNames: [ns2]\n') + base, 'el', jsonRequest({}));
    assert.deepEqual(
      some.triggers.map((t) => [t.name, t.namespace, t.status]),
      [['there', 'ns2', 'fired']],
    );
    assert.equal(some.triggers[0].resources[0].namespace, 'ns2');
    const all = await simulateYaml(EL('  namespaceSelector:\n    matchNames: ["*"]\n') + base, 'el', jsonRequest({}));
    assert.deepEqual(
      all.triggers.map((t) => [t.name, t.status]),
      [
        ['here', 'fired'],
        ['there', 'fired'],
        ['third', 'failed'],
      ],
    );
    assert.match(all.triggers[2].reason!, /error getting TriggerBinding tb/);
  });
  it('an invalid label selector operator fails the request with 500', async () => {
    const r = await simulateYaml(
      EL('  labelSelector:\n    matchExpressions:\n      - {key: a, operator: Near, values: [b]}\n') + COMMON,
      'el',
      jsonRequest({}),
    );
    assert.equal(r.response.status, 500);
    assert.match(r.problems[0].message, /"Near" is not a valid label selector operator/);
  });
  it('a trigger with neither template nor triggerRef fails the request ("EventListenerTrigger not defined")', async () => {
    const r = await simulateYaml(EL('  triggers:\n    - name: empty\n') + COMMON, 'el', jsonRequest({}));
    assert.equal(r.response.status, 500);
    assert.equal(r.problems[0].code, 'trigger-not-defined');
  });
  it('an unknown EventListener is reported', async () => {
    const r = await simulateYaml(COMMON, 'nope', jsonRequest({}));
    assert.equal(r.problems[0].code, 'eventlistener-not-found');
    assert.equal(r.triggers.length, 0);
  });
});

describe('simulate: triggerGroups (sink.go processTriggerGroups)', () => {
  const group = (filter: string): string =>
    EL(`  triggerGroups:
    - name: grp
      interceptors:
        - ref: {name: cel}
          params:
            - name: filter
              value: "${filter}"
            - name: overlays
              value:
                - key: from_group
                  expression: "'g'"
      triggerSelector:
        labelSelector:
          matchLabels: {group: one}
`) +
    COMMON +
    trigger('member', { group: 'one' }) +
    trigger('outsider', { group: 'two' });
  it('group interceptors run first; selected triggers see the group extensions', async () => {
    const r = await simulateYaml(group('true'), 'el', jsonRequest({}));
    assert.deepEqual(
      r.groups.map((g) => [g.name, g.status, g.triggers]),
      [['grp', 'continue', ['member']]],
    );
    assert.deepEqual(
      r.triggers.map((t) => [t.name, t.origin, t.group, t.status]),
      [['member', 'triggerGroup', 'grp', 'fired']],
    );
    assert.deepEqual(r.triggers[0].extensions, { from_group: 'g' });
  });
  it('a group interceptor that stops runs none of its triggers, and the trace says the group stopped', async () => {
    const r = await simulateYaml(group('false'), 'el', jsonRequest({}));
    assert.equal(r.groups[0].status, 'stopped');
    assert.equal(r.triggers.length, 0);
    assert.match(formatSimulationTrace(r), /\n0 of 0 trigger\(s\) fired; 1 trigger group\(s\) stopped\n$/);
    assert.match(formatSimulationTrace(await simulateYaml(group('true'), 'el', jsonRequest({}))), /\n1 of 1 trigger\(s\) fired\n$/);
  });
});

describe('simulate: each trigger runs independently (sink.go processTrigger)', () => {
  it('one failing trigger does not affect another; eventID and uid are shared/per run as upstream', async () => {
    const yaml =
      EL(
        '  triggers:\n    - name: ok\n      bindings: [{ref: tb}]\n      template: {ref: tt}\n    - name: bad\n      bindings: [{name: who, value: $(body.missing)}, {ref: tb}]\n      template: {ref: tt}\n',
      ) + COMMON;
    const r = await simulate({ request: jsonRequest({}), eventListener: 'el', resources: yamlResources(yaml) });
    assert.match(r.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [ok, bad] = r.triggers;
    assert.equal(ok.status, 'fired');
    // A failing expression with a template default falls back to it.
    assert.equal(bad.status, 'fired');
    assert.equal(bad.params.find((p) => p.name === 'who')?.origin, 'binding-default');
    const data = (t: typeof ok) => (t.resources[0].object as { data: Record<string, string> }).data;
    assert.equal(data(ok).event, r.eventID);
    assert.equal(data(ok).who, 'nobody');
    assert.notEqual(ok.uid, bad.uid);
    assert.equal(ok.resources[0].name, `cm-${ok.uid}`);
  });
  it('a missing JSONPath without a default fails the trigger with upstream message', async () => {
    const yaml =
      EL(
        '  triggers:\n    - name: t\n      bindings: [{name: event, value: $(body.nope)}]\n      template: {ref: tt}\n',
      ) + COMMON;
    const r = await simulateYaml(yaml, 'el', jsonRequest({}));
    assert.equal(r.triggers[0].status, 'failed');
    assert.equal(
      r.triggers[0].reason,
      'failed to ApplyEventValuesToParams: failed to replace JSONPath value for param event: $(body.nope): nope is not found',
    );
    const src = r.triggers[0].problems[0].source!;
    assert.equal(yaml.slice(src.start, src.end), '$(body.nope)');
  });
  it('duplicate binding params and a missing template fail the trigger', async () => {
    const dup = await simulateYaml(
      EL(
        '  triggers:\n    - name: t\n      bindings: [{ref: tb}, {name: event, value: x}]\n      template: {ref: tt}\n',
      ) + COMMON,
      'el',
      jsonRequest({}),
    );
    assert.equal(dup.triggers[0].reason, 'failed to resolve bindings: duplicate param name: event');
    const tt = await simulateYaml(
      EL('  triggers:\n    - name: t\n      template: {ref: missing}\n') + COMMON,
      'el',
      jsonRequest({}),
    );
    assert.equal(tt.triggers[0].status, 'failed');
    assert.match(tt.triggers[0].reason!, /^error getting TriggerTemplate missing/);
  });
  it('Triggers can be simulated on their own, as triggerrun does', async () => {
    const res = yamlResources(COMMON + trigger('solo'));
    const r = await simulate({
      request: jsonRequest({}),
      triggers: res.filter((s) => s.resource.kind === 'Trigger'),
      resources: res,
      options: { eventID: 'e', uid: 'u' },
    });
    assert.equal(r.triggers[0].status, 'fired');
    assert.equal(r.triggers[0].origin, 'trigger');
    assert.equal((r.triggers[0].resources[0].object!.metadata as { name: string }).name, 'cm-u');
  });
  it('results are plain JSON data and the trace names every step', async () => {
    const r = await simulateYaml(
      EL('  triggers:\n    - name: t\n      bindings: [{ref: tb}]\n      template: {ref: tt}\n') + COMMON,
      'el',
      jsonRequest({}),
    );
    const json = JSON.stringify(r);
    assert.equal(JSON.stringify(JSON.parse(json)), json);
    const trace = formatSimulationTrace(r);
    assert.match(trace, /EventListener default\/el: POST \/ .* → 202; eventID event-1/);
    assert.match(trace, /trigger default\/t \[inline\]: FIRED/);
    assert.match(
      trace,
      /event = event-1 {2}\(TriggerBinding tb: \$\(context.eventID\); not declared by the template\)/,
    );
    assert.match(trace, /who = nobody {2}\(template default\)/);
    assert.match(trace, /1 of 1 trigger\(s\) fired/);
  });
});
