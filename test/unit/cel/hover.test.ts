import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CelEditorContext } from '../../../server/src/cel/celContext';
import type { CelEnvId } from '../../../server/src/cel/environments';
import { doHover, type CelHover } from '../../../server/src/cel/hover';

/** `‸` marks the cursor. Returns the hover and the text it covers. */
function hover(marked: string, context: CelEditorContext = {}, env: CelEnvId = 'triggers'): (CelHover & { covered: string }) | undefined {
  const offset = marked.indexOf('‸');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const h = doHover(text, offset, env, context);
  return h && { ...h, covered: text.slice(h.start, h.end) };
}

describe('CEL hover: types of sub-expressions', () => {
  it('shows the checked type of the innermost sub-expression with the schema description', () => {
    const h = hover("header.match('X-GitHub-Event', 'push') && body.r‸ef.startsWith('refs/heads/')")!;
    assert.equal(h.covered, 'body.ref');
    assert.equal(h.markdown.split('\n')[0], '`body.ref`: `dyn`');
    assert.match(h.markdown, /At run time: `string` \(JSON string\) in GitHub `push` events\./);
    assert.match(h.markdown, /The full git ref that was pushed/);
  });

  it('shows the result type of a call', () => {
    const h = hover("header.match('X-GitHub-Event', 'push')‸ && true")!;
    assert.equal(h.covered, "header.match('X-GitHub-Event', 'push')");
    assert.equal(h.markdown, "`header.match('X-GitHub-Event', 'push')`: `bool`");
    assert.equal(hover("body.x.truncate(7)‸")!.markdown, '`body.x.truncate(7)`: `string`');
    assert.equal(hover('[1, 2].map(x, x * 2)‸')!.markdown, '`[1, 2].map(x, x * 2)`: `list(int)`');
    assert.equal(hover("1 =‸= 2")!.markdown, '`==` → `bool`');
  });

  it('describes elements through comprehension variables and the declared events', () => {
    const h = hover('body.commits.exists(c, c.mess‸age.contains("fix"))', { githubEvents: ['push'] })!;
    assert.equal(h.covered, 'c.message');
    assert.match(h.markdown, /At run time: `string`/);
    const v = hover('body.commits.exists(c‸, true)');
    assert.equal(v?.covered, 'c');
    const use = hover('body.commits.exists(c, c‸.id == "a")', { githubEvents: ['push'] })!;
    assert.match(use.markdown, /Comprehension variable: each element of `body.commits`/);
    assert.match(use.markdown, /At run time: `map\(string, dyn\)`/);
  });

  it('uses the sample payload', () => {
    const h = hover('body.fo‸o', { samplePayload: { foo: 'bar' } })!;
    assert.match(h.markdown, /Sample payload: `"bar"`/);
  });

  it('names the interceptor that wrote an extension', () => {
    const context: CelEditorContext = {
      githubEvents: ['push'],
      extensions: [
        { path: ['changed_files'], source: 'github interceptor (addChangedFiles)', type: 'string' },
        { path: ['repo'], source: 'overlay of interceptor 2 (cel)', expression: 'body.repository', type: 'dyn' },
      ],
    };
    const h = hover('extensions.changed_fi‸les', context)!;
    assert.match(h.markdown, /Written by the github interceptor \(addChangedFiles\)\./);
    assert.match(h.markdown, /Value type: `string`/);
    const repo = hover('extensions.repo.full_na‸me', context)!;
    assert.match(repo.markdown, /Written by the overlay of interceptor 2 \(cel\): `body.repository`/);
    assert.match(repo.markdown, /At run time: `string`/);
  });

  it('explains header names, and flags a key that is never present', () => {
    const h = hover("header['X-GitHub-Ev‸ent'][0] == 'push'")!;
    assert.equal(h.covered, "'X-GitHub-Event'");
    assert.match(h.markdown, /GitHub header: The event that triggered the delivery/);
    assert.match(h.markdown, /Never present: header keys are canonical, use `X-Github-Event`\./);
    const ok = hover("header['X-Github-Ev‸ent']")!;
    assert.doesNotMatch(ok.markdown, /Never present/);
    assert.match(hover("header.match('X-Gitlab-To‸ken', 'x')")!.markdown, /GitLab header/);
  });
});

describe('CEL hover: functions and variables', () => {
  it('documents a function on its name with every signature and the call type', () => {
    const h = hover("header.ma‸tch('X-GitHub-Event', 'push')")!;
    assert.equal(h.covered, 'match');
    assert.match(h.markdown, /```cel\n<map\(string, dyn\)>\.match\(string, string\) -> bool\n```/);
    assert.match(h.markdown, /Function from Tekton Triggers/);
    assert.match(h.markdown, /`header\.match\('X-GitHub-Event', 'push'\)`: `bool`$/);
    const compare = hover("body.token.compare‸Secret('k', 's')")!;
    assert.match(compare.markdown, /compareSecret\(string, string\) -> bool\n<string>\.compareSecret\(string, string, string\) -> bool/);
  });

  it('documents namespaced functions, macros and the namespace itself', () => {
    assert.match(hover('base64.dec‸ode(body.x)')!.markdown, /^```cel\nbase64\.decode\(string\) -> bytes/);
    assert.match(hover('ha‸s(body.x)')!.markdown, /Macro from the CEL standard library/);
    const ns = hover('ba‸se64.decode(body.x)')!;
    assert.equal(ns.covered, 'base64');
    assert.match(ns.markdown, /`base64\.decode\(\)`/);
  });

  it('documents variables', () => {
    const h = hover('hea‸der')!;
    assert.equal(h.markdown.split('\n')[0], '`header`: `map(string, dyn)`');
    assert.match(h.markdown, /canonical name → list of values/);
    assert.match(hover('inp‸uts', {}, 'kfp-condition')!.markdown, /ExecutorInput/);
  });

  it('still documents names in text that does not parse', () => {
    assert.match(hover('body.x.trunc‸ate(')!.markdown, /<string>\.truncate\(int\) -> string/);
    assert.match(hover('requ‸estURL.')!.markdown, /The URL of the incoming request/);
    assert.equal(hover('body.(‸'), undefined);
  });

  it('never throws', () => {
    for (const text of ['', ')))', "'", 'a.b.', '"""x', '{1:', 'x ? y', '[1,2][']) {
      for (let i = 0; i <= text.length; i++) assert.doesNotThrow(() => doHover(text, i, 'triggers'));
    }
    assert.equal(doHover('body', 10, 'triggers'), undefined);
  });
});
