import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { doCelComplete, doCelHover, findCelRegionAt, type CelCompletionProposal } from '../../../server/src/service/celFeatures';

/** `‸` marks the cursor (YAML block scalars use `|`). */
function parse(marked: string): { doc: TektonDocument; offset: number; text: string } {
  const offset = marked.indexOf('‸');
  assert.ok(offset >= 0, 'no cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { doc: new TektonDocument('file:///t.yaml', 1, text), offset, text };
}
function complete(marked: string, samplePayload?: unknown) {
  const { doc, offset, text } = parse(marked);
  return { items: doCelComplete(doc, offset, { samplePayload }), text };
}
const fields = (items: CelCompletionProposal[] | undefined) => (items ?? []).filter((i) => i.celKind === 'field').map((i) => i.label).sort();
/** The document after accepting a proposal (snippet placeholders dropped). */
function apply(text: string, p: CelCompletionProposal): string {
  const insert = p.snippet ? p.insertText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') : p.insertText;
  return text.slice(0, p.replaceStart) + insert + text.slice(p.replaceEnd);
}

const GITHUB_PUSH_TRIGGER = `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: on-push
spec:
  interceptors:
    - ref:
        name: github
      params:
        - name: eventTypes
          value: ["push"]
        - name: addChangedFiles
          value:
            enabled: true
    - ref:
        name: cel
      params:
        - name: filter
          value: FILTER
        - name: overlays
          value:
            - key: short_sha
              expression: body.after.truncate(7)
            - key: repo
              expression: body.repository
            - key: sibling
              expression: OVERLAY
    - ref:
        name: cel
      params:
        - name: filter
          value: LATER
`;
function trigger(parts: { filter?: string; overlay?: string; later?: string }): string {
  return GITHUB_PUSH_TRIGGER.replace('FILTER', parts.filter ?? 'true').replace('OVERLAY', parts.overlay ?? 'true').replace('LATER', parts.later ?? 'true');
}
const PUSH_FIELDS = [
  'after', 'base_ref', 'before', 'commits', 'compare', 'created', 'deleted', 'forced', 'head_commit', 'installation',
  'organization', 'pusher', 'ref', 'repository', 'sender',
];

function filterTrigger(value: string): string {
  return `apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata:
  name: t
spec:
  interceptors:
    - ref:
        name: cel
      params:
        - name: filter
          value: ${value}
`;
}

describe('CEL features in YAML: completion in every scalar style', () => {
  const header = "header.match('X-GitHub-Event', 'push')";
  const cases: [string, string][] = [
    ['plain', `${header} && body.‸`],
    ['single-quoted', `'${header.replace(/'/g, "''")} && body.‸'`],
    ['double-quoted', `"${header} && body.‸"`],
    ['double-quoted with escapes', `"header.match(\\"X-GitHub-Event\\", \\"push\\") && body.‸"`],
    ['literal block', `|\n            ${header} &&\n              body.‸\n`],
    ['folded block', `>-\n            ${header}\n            && body.‸\n`],
  ];
  for (const [style, value] of cases) {
    it(`offers the push fields at body. (${style})`, () => {
      const { items, text } = complete(filterTrigger(value));
      assert.deepEqual(fields(items), PUSH_FIELDS, style);
      const ref = items!.find((i) => i.label === 'ref')!;
      assert.equal(ref.kind, 'property');
      assert.equal(ref.replaceStart, ref.replaceEnd);
      assert.equal(text.slice(ref.replaceStart - 5, ref.replaceStart), 'body.');
    });
  }

  it('replaces the typed prefix in the document', () => {
    const { items, text } = complete(filterTrigger(`"${header} && body.repo‸"`));
    const repo = items!.find((i) => i.label === 'repository')!;
    assert.equal(text.slice(repo.replaceStart, repo.replaceEnd), 'repo');
    assert.match(apply(text, repo), /&& body\.repository"\n/);
  });

  it('escapes insert texts for the scalar style', () => {
    const single = complete(filterTrigger(`'header[''X-Gi‸'`));
    const ev = single.items!.find((i) => i.label === 'X-Github-Event')!;
    assert.equal(ev.insertText, "X-Github-Event''", 'the closing CEL quote doubles inside single quotes');
    assert.match(apply(single.text, ev), /value: 'header\[''X-Github-Event'''\n/);

    const double = complete(filterTrigger(`"header[‸"`));
    const gl = double.items!.find((i) => i.label === 'X-Gitlab-Event')!;
    assert.equal(gl.insertText, "'X-Gitlab-Event'");
    const dq = complete(filterTrigger(`"header[\\"‸\\"]"`));
    const dqItem = dq.items!.find((i) => i.label === 'X-Github-Event')!;
    assert.equal(dqItem.insertText, 'X-Github-Event');
    assert.match(apply(dq.text, dqItem), /value: "header\[\\"X-Github-Event\\"\]"\n/);

    const odd = complete(filterTrigger(`"body.‸"`), { 'odd-key': 1 });
    const o = odd.items!.find((i) => i.label === 'odd-key')!;
    assert.match(apply(odd.text, o), /value: "body\['odd-key'\]"\n/);
  });

  it('uses a sample payload', () => {
    assert.deepEqual(fields(complete(filterTrigger('body.‸'), { action: 'opened', pull_request: {} }).items), ['action', 'pull_request']);
  });

  it('returns undefined outside CEL fields and [] for a CEL field with nothing to offer', () => {
    const text = filterTrigger('body.x');
    assert.equal(doCelComplete(new TektonDocument('file:///t.yaml', 1, text), text.indexOf('name: cel')), undefined);
    assert.equal(doCelComplete(new TektonDocument('file:///t.yaml', 1, text), text.indexOf('filter')), undefined);
    assert.deepEqual(complete(filterTrigger(`"'some string ‸'"`)).items, []);
    const quoted = filterTrigger('"body"');
    const doc = new TektonDocument('file:///t.yaml', 1, quoted);
    assert.equal(findCelRegionAt(doc, quoted.indexOf('"body"')), undefined, 'before the opening quote');
    assert.equal(findCelRegionAt(doc, quoted.indexOf('"body"') + 6), undefined, 'after the closing quote');
    assert.equal(findCelRegionAt(doc, quoted.indexOf('"body"') + 1)?.celOffset, 0);
  });

  it('completes while a quote is still open', () => {
    assert.deepEqual(fields(complete(filterTrigger(`"${header} && body.‸`)).items), PUSH_FIELDS);
  });
});

describe('CEL features in YAML: the interceptor chain', () => {
  it('takes the event types of an earlier github interceptor', () => {
    assert.deepEqual(fields(complete(trigger({ filter: 'body.‸' })).items), PUSH_FIELDS);
  });

  it('offers the extensions of earlier interceptors, not those of sibling overlays', () => {
    const inOverlay = complete(trigger({ overlay: 'extensions.‸' })).items!;
    assert.deepEqual(fields(inOverlay), ['changed_files']);
    const later = complete(trigger({ later: 'extensions.‸' })).items!;
    assert.deepEqual(fields(later), ['changed_files', 'repo', 'short_sha', 'sibling']);
    assert.equal(later.find((i) => i.label === 'short_sha')!.detail, 'string');
    assert.equal(later.find((i) => i.label === 'changed_files')!.detail, 'string');
    assert.ok(fields(complete(trigger({ later: 'extensions.repo.‸' })).items).includes('full_name'));
  });

  it('applies an overlay’s own filter, and the events of earlier filters', () => {
    const text = `apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: el
spec:
  triggers:
    - name: t
      interceptors:
        - cel:
            filter: "header.match('X-GitHub-Event', 'pull_request')"
            overlays:
              - key: nested.value
                expression: body.‸
`;
    const items = complete(text).items!;
    assert.ok(fields(items).includes('pull_request') && fields(items).includes('number'));
    assert.ok(!fields(items).includes('head_commit'));
  });

  it('reads legacy github interceptors and slack requested fields', () => {
    const text = `apiVersion: triggers.tekton.dev/v1alpha1
kind: Trigger
metadata:
  name: t
spec:
  interceptors:
    - github:
        eventTypes: [issue_comment]
    - ref:
        name: slack
      params:
        - name: requestedFields
          value: [text, user_id]
    - cel:
        filter: extensions.‸ != null && body.comment.body.contains('/test')
`;
    const items = complete(text).items!;
    assert.deepEqual(fields(items), ['text', 'user_id']);
    assert.equal(items.find((i) => i.label === 'text')!.detail, 'list(string)');
    const body = complete(text.replace('extensions.‸', 'body.comment.‸')).items!;
    assert.ok(fields(body).includes('author_association'));
  });
});

describe('CEL features in YAML: hover', () => {
  function hover(marked: string) {
    const { doc, offset, text } = parse(marked);
    const h = doCelHover(doc, offset);
    return h && { ...h, covered: text.slice(h.start, h.end) };
  }

  it('maps the hovered sub-expression to the document in every scalar style', () => {
    for (const value of [
      "body.r‸ef == 'refs/heads/main'",
      "'body.r‸ef == ''refs/heads/main'''",
      '"body.r‸ef == \\"refs/heads/main\\""',
      "|\n            body.r‸ef == 'refs/heads/main'\n",
      ">\n            true &&\n            body.r‸ef == 'refs/heads/main'\n",
    ]) {
      const h = hover(trigger({ filter: value }))!;
      assert.equal(h.covered, 'body.ref', value);
      assert.match(h.markdown, /^`body\.ref`: `dyn`\n\nAt run time: `string` \(JSON string\) in GitHub `push` events\./, value);
    }
  });

  it('maps a range that spans escapes', () => {
    const h = hover(filterTrigger('"header.ma‸tch(\\"X-GitHub-Event\\", \\"push\\")"'))!;
    assert.equal(h.covered, 'match');
    const lit = hover(filterTrigger('"header[\\"X-Git‸Hub-Event\\"]"'))!;
    assert.equal(lit.covered, '\\"X-GitHub-Event\\"');
    assert.match(lit.markdown, /Never present/);
  });

  it('documents functions and when.cel expressions', () => {
    const task = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  tasks:
    - name: a
      when:
        - cel: "'$(params.branch)'.start‸sWith('release-')"
      taskRef:
        name: t
`;
    const h = hover(task)!;
    assert.equal(h.covered, 'startsWith');
    assert.match(h.markdown, /<string>\.startsWith\(string\) -> bool/);
    assert.equal(hover(task.replace('‸', '').replace('name: a', 'name: ‸a')), undefined, 'outside CEL');
  });
});
