import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import {
  doTriggersComplete,
  doTriggersHover,
  resolverFromResources,
  triggersVariableCompletions,
  triggersVariableHover,
} from '../../../../server/src/triggers/rules';

/**
 * Completion and hover inside `$(...)`: binding values read the event (tektoncd/triggers pkg/template/event.go:
 * body, header, extensions, context.eventID), resource templates read `$(tt.params.x)` and `$(uid)`
 * (pkg/template/resource.go). Offsets are relative to the resource text; the fixtures are single documents, so file
 * and resource offsets coincide.
 */
const TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: github-pr
spec:
  interceptors:
    - ref:
        name: github
      params:
        - name: eventTypes
          value: ["pull_request"]
        - name: addChangedFiles
          value:
            enabled: true
    - ref:
        name: cel
      params:
        - name: overlays
          value:
            - key: short_sha
              expression: body.pull_request.head.sha.truncate(7)
  bindings:
    - name: sha
      value: $(body.pull_request.he)
    - name: hdr
      value: "$(header.)"
    - name: ext
      value: 'v-$(extensions.)'
    - name: root
      value: $()
    - name: ctx
      value: $(context.)
  template:
    spec:
      params:
        - name: sha
          description: The head commit
          default: main
        - name: hdr
      resourcetemplates:
        - apiVersion: v1
          kind: ConfigMap
          metadata:
            generateName: x-$(uid)
          data:
            sha: $(tt.params.)
            all: "$(tt.params.sha) $(tt.params.nope)"
            free: $(t
`;

function resourceOf(text: string): YamlResource {
  return [...new TektonDocument('file:///t.yaml', 1, text).resources()][0].resource;
}

/** The offset just after `needle` (its `n`-th occurrence), moved by `delta`. */
function after(text: string, needle: string, delta = 0, n = 0): number {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in text`);
  return at + needle.length + delta;
}

function labels(text: string, offset: number, resource = resourceOf(text), ctx = {}): string[] {
  return triggersVariableCompletions(resource, offset, ctx).map((i) => i.label);
}

describe('completion inside $(...) of bindings', () => {
  const r = resourceOf(TRIGGER);

  it('offers body fields of the GitHub events the github interceptor accepts, replacing the word typed', () => {
    const offset = after(TRIGGER, '$(body.pull_request.he');
    const items = triggersVariableCompletions(r, offset);
    const head = items.find((i) => i.label === 'head');
    assert.ok(head, 'head offered');
    assert.equal(TRIGGER.slice(head.replaceStart, head.replaceEnd), 'he');
    assert.match(head.detail ?? '', /object.*pull_request/);
    assert.ok(items.some((i) => i.label === 'merged'));
    assert.ok(!items.some((i) => i.label === 'head_commit'), 'push-only fields are not offered');
  });

  it('offers canonical header names, extension keys of the chain and context.eventID', () => {
    const headers = labels(TRIGGER, after(TRIGGER, '"$(header.'));
    assert.ok(headers.includes('X-Github-Event') && headers.includes('Content-Type'), headers.join());
    assert.ok(!headers.includes('X-GitHub-Event'), 'names are canonical');
    assert.deepEqual(labels(TRIGGER, after(TRIGGER, "'v-$(extensions.")).sort(), ['changed_files', 'short_sha']);
    assert.deepEqual(labels(TRIGGER, after(TRIGGER, '$(context.')), ['eventID']);
  });

  it('offers the roots right after $(', () => {
    assert.deepEqual(labels(TRIGGER, after(TRIGGER, 'name: root\n      value: $(')), [
      'body',
      'header',
      'extensions',
      'context.eventID',
    ]);
  });

  it('offers nothing outside $(...) or without known events', () => {
    assert.deepEqual(labels(TRIGGER, after(TRIGGER, 'value: $(body.pull_request.he)')), []);
    assert.deepEqual(labels(TRIGGER, after(TRIGGER, '- name: s')), []);
    const noEvents = TRIGGER.replace(/- ref:\n {8}name: github[\s\S]*?enabled: true\n/, '');
    assert.deepEqual(labels(noEvents, after(noEvents, '$(body.pull_request.he')), []);
  });

  it('for a TriggerBinding, uses the events and extensions of the triggers using it (resolver)', () => {
    const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata:
  name: push-binding
spec:
  params:
    - name: revision
      value: $(body.head_)
    - name: ext
      value: $(extensions.)
`;
    const binding = resourceOf(text);
    const trigger = resourceOf(`apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: push
spec:
  interceptors:
    - ref:
        name: cel
      params:
        - name: filter
          value: header.match('X-GitHub-Event', 'push')
        - name: overlays
          value:
            - key: branch
              expression: body.ref.split('/')[2]
  bindings:
    - ref: push-binding
  template:
    ref: push-template
`);
    const resolver = resolverFromResources([binding, trigger]);
    assert.ok(labels(text, after(text, '$(body.head_'), binding, { resolver }).includes('head_commit'));
    assert.deepEqual(labels(text, after(text, '$(extensions.'), binding, { resolver }), ['branch']);
    assert.deepEqual(labels(text, after(text, '$(body.head_'), binding), [], 'no users: no events known');
  });
});

describe('completion inside $(...) of resource templates', () => {
  const r = resourceOf(TRIGGER);

  it('offers the declared params after $(tt.params. with their defaults and descriptions', () => {
    const items = triggersVariableCompletions(r, after(TRIGGER, 'sha: $(tt.params.'));
    assert.deepEqual(
      items.map((i) => i.label),
      ['sha', 'hdr'],
    );
    assert.match(items[0].detail ?? '', /default "main"/);
    assert.match(items[0].documentation ?? '', /The head commit/);
    assert.match(items[1].detail ?? '', /no default/);
    assert.equal(items[0].replaceStart, items[0].replaceEnd);
  });

  it('offers whole tt.params.<name> references and uid after $( or a partial prefix', () => {
    const items = triggersVariableCompletions(r, after(TRIGGER, 'free: $(t'));
    assert.deepEqual(
      items.map((i) => i.label),
      ['tt.params.sha', 'tt.params.hdr'],
    );
    assert.equal(TRIGGER.slice(items[0].replaceStart, items[0].replaceEnd), 't');
    assert.deepEqual(labels(TRIGGER, after(TRIGGER, 'generateName: x-$(')), ['tt.params.sha', 'tt.params.hdr', 'uid']);
  });

  it('works in a TriggerTemplate, in block scalars too', () => {
    const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: t
spec:
  params:
    - name: message
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: TaskRun
      spec:
        taskSpec:
          steps:
            - image: alpine
              script: |
                echo start
                echo "$(tt.params.me"
`;
    const items = triggersVariableCompletions(resourceOf(text), after(text, '"$(tt.params.me'));
    assert.deepEqual(
      items.map((i) => i.label),
      ['message'],
    );
    assert.equal(text.slice(items[0].replaceStart, items[0].replaceEnd), 'me');
  });
});

describe('hover on $(...)', () => {
  const r = resourceOf(TRIGGER);

  it('shows a template param with its description and default, over the whole expression', () => {
    const offset = after(TRIGGER, 'all: "$(tt.params.s');
    const h = triggersVariableHover(r, offset);
    assert.ok(h);
    assert.equal(TRIGGER.slice(h.start, h.end), '$(tt.params.sha)');
    assert.match(h.markdown, /The head commit/);
    assert.match(h.markdown, /Default: `main`/);
    assert.match(triggersVariableHover(r, after(TRIGGER, '$(tt.params.no'))?.markdown ?? '', /Not declared/);
    assert.match(triggersVariableHover(r, after(TRIGGER, 'x-$(u'))?.markdown ?? '', /random UUID/);
  });

  it('shows the body field under the cursor from the GitHub schema', () => {
    const h = triggersVariableHover(r, after(TRIGGER, '$(body.pull_re'));
    assert.ok(h);
    assert.match(h.markdown, /\*\*\$\(body\.pull_request\)\*\*/);
    assert.match(h.markdown, /JSON object in GitHub pull_request payloads/);
  });

  it('shows headers, extension writers and context.eventID', () => {
    const text = TRIGGER.replace('"$(header.)"', '"$(header.x-github-event)"')
      .replace("'v-$(extensions.)'", '$(extensions.short_sha)')
      .replace('$(context.)', '$(context.eventID)');
    const rr = resourceOf(text);
    assert.match(
      triggersVariableHover(rr, after(text, '$(header.x-'))?.markdown ?? '',
      /X-Github-Event[\s\S]*GitHub: The event/,
    );
    const ext = triggersVariableHover(rr, after(text, '$(extensions.sh'))?.markdown ?? '';
    assert.match(ext, /cel interceptor overlay/);
    assert.match(ext, /truncate\(7\)/);
    assert.match(
      triggersVariableHover(rr, after(text, '$(context.ev'))?.markdown ?? '',
      /UUID the EventListener gave this event/,
    );
  });

  it('says nothing outside $(...)', () => {
    assert.equal(triggersVariableHover(r, after(TRIGGER, 'name: gith')), undefined);
  });
});

describe('file-level entry points (doTriggersComplete, doTriggersHover)', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  a: $(tt.params.
---
${TRIGGER}`;
  const doc = new TektonDocument('file:///multi.yaml', 1, text);

  it('work at file offsets in the second document and return CompletionProposal / HoverResult', () => {
    const offset = after(text, 'sha: $(tt.params.');
    const items = doTriggersComplete(doc, offset);
    assert.deepEqual(
      items?.map((i) => [i.label, i.kind, i.snippet, i.replaceStart, i.replaceEnd]),
      [
        ['sha', 'value', false, offset, offset],
        ['hdr', 'value', false, offset, offset],
      ],
    );
    const h = doTriggersHover(doc, after(text, 'all: "$(tt.params.s'));
    assert.ok(h);
    assert.equal(text.slice(h.start, h.end), '$(tt.params.sha)');
  });

  it('return undefined outside $(...) and in other documents, so other providers run', () => {
    assert.equal(doTriggersComplete(doc, after(text, 'a: $(tt.params.')), undefined);
    assert.equal(doTriggersComplete(doc, after(text, 'name: gith')), undefined);
    assert.equal(doTriggersHover(doc, after(text, 'name: gith')), undefined);
    assert.equal(doTriggersComplete(doc, after(text, 'all: "$(tt.params.sha)')), undefined);
  });
});
