import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { doComplete, receiverAccepts, type CelCompletionContext, type CelCompletionItem } from '../../../server/src/cel/completion';
import type { CelEnvId } from '../../../server/src/cel/environments';

/** `‸` marks the cursor (CEL uses `|` itself). */
function complete(marked: string, context: CelCompletionContext = {}, env: CelEnvId = 'triggers'): CelCompletionItem[] {
  const offset = marked.indexOf('‸');
  assert.ok(offset >= 0, 'no cursor marker');
  return doComplete(marked.slice(0, offset) + marked.slice(offset + 1), offset, env, context);
}
const labels = (items: CelCompletionItem[]) => items.map((i) => i.label).sort();
const ofKind = (items: CelCompletionItem[], kind: CelCompletionItem['kind']) => labels(items.filter((i) => i.kind === kind));

const PUSH_FIELDS = [
  'after', 'base_ref', 'before', 'commits', 'compare', 'created', 'deleted', 'forced', 'head_commit', 'installation',
  'organization', 'pusher', 'ref', 'repository', 'sender',
];
const MAP_METHODS = ['all', 'exists', 'exists_one', 'filter', 'map', 'marshalJSON', 'size'];

describe('CEL completion: body paths from the GitHub webhook schemas', () => {
  it('offers exactly the push payload fields at body. under a push filter, and nothing from pull_request', () => {
    const items = complete("header.match('X-GitHub-Event', 'push') && body.‸");
    assert.deepEqual(ofKind(items, 'field'), PUSH_FIELDS);
    assert.ok(!labels(items).includes('pull_request') && !labels(items).includes('number'));
    // body is a map(string, dyn): the map methods follow the fields, header-only methods do not.
    assert.deepEqual(labels(items.filter((i) => i.kind !== 'field')), MAP_METHODS);
    const ref = items.find((i) => i.label === 'ref')!;
    assert.equal(ref.detail, 'string');
    assert.match(ref.documentation!, /full git ref/);
    assert.ok(items.every((i) => i.replaceStart === i.replaceEnd));
  });

  it('reads the event from every usual test form', () => {
    for (const filter of [
      "header['X-Github-Event'][0] == 'push' && body.‸",
      "body.‸ && header['X-Github-Event'][0] == 'push'",
      "'push' == header.canonical('X-GitHub-Event') && body.‸",
      "header['X-Github-Event'][0] in ['push'] && body.‸",
      "'push' in header['X-Github-Event'] && body.‸",
    ]) {
      assert.deepEqual(ofKind(complete(filter), 'field'), PUSH_FIELDS, filter);
    }
  });

  it('does not take a negated test as a declaration', () => {
    assert.deepEqual(ofKind(complete("header['X-Github-Event'][0] != 'push' && body.‸"), 'field'), []);
    assert.deepEqual(ofKind(complete("!header.match('X-GitHub-Event', 'push') && body.‸"), 'field'), []);
  });

  it('follows nested paths: body.repository. offers full_name', () => {
    const got = ofKind(complete('body.repository.‸', { githubEvents: ['push'] }), 'field');
    for (const f of ['full_name', 'name', 'owner', 'default_branch', 'clone_url', 'html_url']) assert.ok(got.includes(f), f);
    assert.ok(complete('body.repository.full_na‸', { githubEvents: ['push'] }).some((i) => i.label === 'full_name' && i.replaceStart === 16));
  });

  it('unions the fields of several events', () => {
    const got = ofKind(complete('body.‸', { githubEvents: ['push', 'pull_request'] }), 'field');
    for (const f of ['ref', 'head_commit', 'pull_request', 'number', 'action']) assert.ok(got.includes(f), f);
    const pr = complete('body.pull_request.head.‸', { githubEvents: ['push', 'pull_request'] });
    assert.ok(ofKind(pr, 'field').includes('sha') && ofKind(pr, 'field').includes('ref'));
  });

  it('steps into list elements: index, first(), comprehension variables', () => {
    const ctx = { githubEvents: ['push'] };
    for (const e of ['body.commits[0].‸', 'body.commits.first().‸', 'body.commits.exists(c, c.‸', 'body.commits.map(c, c.author.‸)']) {
      const got = ofKind(complete(e, ctx), 'field');
      assert.ok(got.length > 0, e);
    }
    assert.ok(ofKind(complete('body.commits.exists(c, c.‸', ctx), 'field').includes('message'));
    assert.ok(ofKind(complete('body.commits.map(c, c.author.‸)', ctx), 'field').includes('email'));
  });

  it('offers the methods of the JSON type the schema gives a dyn field', () => {
    const items = complete('body.ref.‸', { githubEvents: ['push'] });
    assert.ok(items.every((i) => i.kind === 'method'));
    for (const m of ['startsWith', 'endsWith', 'contains', 'matches', 'truncate', 'split', 'size']) assert.ok(labels(items).includes(m), m);
    assert.ok(!labels(items).includes('first') && !labels(items).includes('marshalJSON'));
  });

  it('uses a sample payload, alone or with the schema', () => {
    const sample = { ref: 'refs/heads/main', custom: { nested: 1 } };
    assert.deepEqual(ofKind(complete('body.‸', { samplePayload: sample }), 'field'), ['custom', 'ref']);
    assert.deepEqual(ofKind(complete('body.custom.‸', { samplePayload: sample }), 'field'), ['nested']);
    const both = complete('body.‸', { samplePayload: sample, githubEvents: ['push'] });
    assert.deepEqual(ofKind(both, 'field'), [...PUSH_FIELDS, 'custom'].sort());
    assert.match(both.find((i) => i.label === 'ref')!.documentation!, /Sample payload: `"refs\/heads\/main"`/);
  });

  it('writes keys that are not identifiers as an index, replacing the dot', () => {
    const items = complete('body.‸', { samplePayload: { 'odd-key': 1, in: 2 } });
    const odd = items.find((i) => i.label === 'odd-key')!;
    assert.equal(odd.insertText, "['odd-key']");
    assert.equal(odd.replaceStart, 4);
    assert.equal(odd.filterText, '.odd-key');
    assert.equal(items.find((i) => i.label === 'in')!.insertText, "['in']");
  });

  it('offers nothing from a schema when no event is declared', () => {
    assert.deepEqual(ofKind(complete('body.‸'), 'field'), []);
  });
});

describe('CEL completion: extensions from the chain', () => {
  const context: CelCompletionContext = {
    githubEvents: ['push'],
    extensions: [
      { path: ['changed_files'], source: 'github interceptor (addChangedFiles)', type: 'string' },
      { path: ['short_sha'], source: 'overlay of interceptor 2 (cel)', type: 'string', expression: 'body.after.truncate(7)' },
      { path: ['repo'], source: 'overlay of interceptor 2 (cel)', type: 'dyn', expression: 'body.repository' },
      { path: ['git', 'branch'], source: 'overlay of interceptor 2 (cel)', type: 'string', expression: "body.ref.split('/')[2]" },
    ],
  };

  it('offers exactly the keys written earlier', () => {
    assert.deepEqual(ofKind(complete('extensions.‸', context), 'field'), ['changed_files', 'git', 'repo', 'short_sha']);
    assert.deepEqual(ofKind(complete('extensions.git.‸', context), 'field'), ['branch']);
  });

  it('follows an overlay that copies a body path', () => {
    assert.ok(ofKind(complete('extensions.repo.‸', context), 'field').includes('full_name'));
  });
});

describe('CEL completion: headers and event names', () => {
  it('offers canonical header keys inside header[...]', () => {
    const items = complete("header['‸");
    assert.ok(labels(items).includes('X-Github-Event'));
    assert.ok(!labels(items).includes('X-GitHub-Event'), 'the vendor spelling is never a key of http.Header');
    const ev = items.find((i) => i.label === 'X-Github-Event')!;
    assert.equal(ev.insertText, "X-Github-Event'", 'closes the unterminated string');
    assert.equal(ev.replaceStart, 8);
    assert.equal(complete("header['X-Gi‸']").find((i) => i.label === 'X-Github-Event')!.insertText, 'X-Github-Event');
    assert.equal(complete('header[‸').find((i) => i.label === 'X-Gitlab-Event')!.insertText, "'X-Gitlab-Event'");
  });

  it('offers documented header names in header.match() and header.canonical()', () => {
    for (const e of ["header.match('‸", 'header.canonical("‸")']) {
      const got = labels(complete(e));
      for (const h of ['X-GitHub-Event', 'X-Gitlab-Event', 'X-Event-Key', 'X-Slack-Signature', 'X-Hub-Signature-256']) assert.ok(got.includes(h), `${e}: ${h}`);
    }
  });

  it('offers event names where an event header is compared', () => {
    for (const e of [
      "header.match('X-GitHub-Event', '‸')",
      "header['X-Github-Event'][0] == '‸'",
      "header.canonical('X-GitHub-Event') == \"‸\"",
      "header['X-Github-Event'][0] in ['push', '‸']",
    ]) {
      const got = labels(complete(e));
      assert.ok(got.includes('push') && got.includes('pull_request') && got.includes('issue_comment'), e);
    }
    assert.ok(labels(complete("header.match('X-Gitlab-Event', '‸')")).includes('Merge Request Hook'));
    assert.ok(labels(complete("header.match('X-Event-Key', '‸')")).includes('repo:push'));
  });

  it('offers match() and canonical() only on header', () => {
    const onHeader = complete('header.‸');
    assert.deepEqual(labels(onHeader), ['all', 'canonical', 'exists', 'exists_one', 'filter', 'map', 'marshalJSON', 'match', 'size']);
    assert.deepEqual(labels(complete('header.ma‸')), labels(onHeader), 'the client filters on the prefix');
    assert.equal(complete('header.ma‸').find((i) => i.label === 'match')!.replaceStart, 7);
    assert.ok(!labels(complete('requestURL.parseURL().‸')).includes('match'));
  });

  it('offers data keys in body[...]', () => {
    assert.ok(labels(complete("body['‸", { githubEvents: ['push'] })).includes('head_commit'));
  });
});

describe('CEL completion: functions, variables and types', () => {
  it('offers the variables, global functions, macros and namespaces of the environment', () => {
    const items = complete('‸');
    assert.deepEqual(ofKind(items, 'variable'), ['body', 'extensions', 'header', 'requestURL']);
    assert.deepEqual(ofKind(items, 'namespace'), ['base64', 'json', 'lists', 'math', 'sets', 'strings']);
    assert.deepEqual(ofKind(items, 'macro'), ['has']);
    for (const f of ['size', 'int', 'string', 'double', 'timestamp', 'duration', 'dyn', 'type']) assert.ok(ofKind(items, 'function').includes(f), f);
    assert.ok(!labels(items).includes('truncate'), 'member functions are not offered globally');
    const body = items.find((i) => i.label === 'body')!;
    assert.equal(body.detail, 'map(string, dyn)');
    assert.match(body.documentation!, /parsed as JSON/);
  });

  it('offers a namespace’s functions after its dot', () => {
    assert.deepEqual(labels(complete('base64.‸')), ['decode', 'encode']);
    assert.ok(labels(complete('math.‸')).includes('greatest'));
    const decode = complete('base64.‸').find((i) => i.label === 'decode')!;
    assert.equal(decode.detail, 'base64.decode(string) -> bytes');
    assert.equal(decode.insertText, 'decode($1)');
    assert.ok(decode.snippet);
  });

  it('offers members by the checked receiver type', () => {
    const str = labels(complete("'abc'.‸"));
    assert.ok(str.includes('truncate') && str.includes('parseJSON') && str.includes('lowerAscii'));
    assert.ok(!str.includes('first') && !str.includes('join'));
    const list = labels(complete("['a'].‸"));
    for (const m of ['join', 'first', 'last', 'distinct', 'sort', 'exists', 'map', 'sortBy', 'size']) assert.ok(list.includes(m), m);
    assert.ok(!list.includes('truncate'));
    assert.ok(!labels(complete('[1, 2].‸')).includes('join'), 'join takes a list(string)');
    const url = labels(complete('requestURL.parseURL().‸'));
    assert.ok(url.includes('marshalJSON') && !url.includes('truncate'));
    assert.deepEqual(labels(complete('[1, 2].exists(x, x.‸')), [], 'an int has no members');
  });

  it('types the receiver even when the rest of the expression does not check', () => {
    const items = labels(complete("unknownVar && 'abc'.‸"));
    assert.ok(items.includes('startsWith') && !items.includes('first'));
    assert.ok(labels(complete("x ? 'a'.‸")).includes('truncate'));
  });

  it('snippets: macros name their variable', () => {
    const exists = complete('[1].‸').find((i) => i.label === 'exists')!;
    assert.equal(exists.insertText, 'exists(${1:x}, $0)');
    assert.equal(exists.kind, 'macro');
    assert.equal(complete("'a'.‸").find((i) => i.label === 'lowerAscii')!.insertText, 'lowerAscii()');
  });

  it('offers comprehension variables in scope', () => {
    const items = complete('body.commits.exists(c, ‸');
    const c = items.find((i) => i.label === 'c')!;
    assert.equal(c.kind, 'variable');
    assert.equal(c.detail, 'element of body.commits');
    assert.ok(!labels(complete('body.commits.exists(c, true) && ‸')).includes('c'));
  });

  it('offers KFP message fields and the plain when.cel environment', () => {
    assert.deepEqual(ofKind(complete('inputs.‸', {}, 'kfp-condition'), 'field'), ['artifacts', 'parameter_values', 'parameters']);
    const when = complete('‸', {}, 'pipelines-when');
    assert.deepEqual(ofKind(when, 'variable'), []);
    assert.ok(!labels(when).includes('truncate') && !labels(when).includes('base64'));
  });

  it('returns nothing in comments, numbers and plain strings, and never throws', () => {
    assert.deepEqual(complete('1 + // body.‸'), []);
    assert.deepEqual(complete('12‸'), []);
    assert.deepEqual(complete("'some text ‸'"), []);
    for (const text of ['', ')))', '.', '[[[', "'", 'body.(', '?:', '{', 'a.b.c.', '"""', "b'"]) {
      for (let i = 0; i <= text.length; i++) assert.doesNotThrow(() => doComplete(text, i, 'triggers'));
    }
    assert.deepEqual(doComplete('body', 99, 'triggers'), []);
  });
});

describe('CEL completion: receiverAccepts', () => {
  it('matches receivers by kind and element types, dyn matching anything', () => {
    assert.ok(receiverAccepts('list(dyn)', 'list(int)'));
    assert.ok(receiverAccepts('list(string)', 'list(dyn)'));
    assert.ok(!receiverAccepts('list(string)', 'list(int)'));
    assert.ok(receiverAccepts('string', undefined));
    assert.ok(!receiverAccepts('string', 'map(string, dyn)'));
    assert.ok(receiverAccepts('map(dyn, dyn)', 'map(string, dyn)'));
  });
});
