/**
 * Raw HTTP request files as tektoncd/triggers cmd/cel-eval reads them (testdata/http*.txt), and the CEL
 * interceptor's variables built from them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildActivation, canonicalHeaderKey, interceptorBody, parseHttpRequest } from '../../../server/src/triggers/simulation/httpRequest';
import { evaluate } from '../../../server/src/cel/celService';
import { CEL_FIXTURES, SHARED_DATA } from './paths';

const celEvalData = join(SHARED_DATA, 'triggers-examples', 'cmd', 'cel-eval', 'testdata');
const skipShared = existsSync(celEvalData) ? false : `${celEvalData} not found`;

describe('parseHttpRequest (cmd/cel-eval testdata)', { skip: skipShared }, () => {
  const expression = () => readFileSync(join(celEvalData, 'expression.txt'), 'utf8');
  for (const file of ['http.txt', 'http_no_content_length.txt', 'http_wrong_content_length.txt']) {
    it(`${file}: body.test.nested == "value" is true (Content-Length recomputed)`, () => {
      const req = parseHttpRequest(readFileSync(join(celEvalData, file)));
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/foo');
      assert.deepEqual(req.headers['X-Header'], ['tacocat']);
      assert.equal(req.headers['Content-Length'][0], String(req.body.length));
      const r = evaluate(expression(), 'triggers', buildActivation(req));
      assert.deepEqual(r, { value: true });
    });
  }
});

describe('parseHttpRequest', () => {
  it('reads CRLF files, canonicalises header names and moves Host out of the headers', () => {
    const req = parseHttpRequest(readFileSync(join(CEL_FIXTURES, 'github-push.http')));
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/hooks/github?source=ci&source=manual');
    assert.equal(req.host, 'el-github.example.com');
    assert.equal(req.headers.Host, undefined);
    assert.deepEqual(req.headers['X-Github-Event'], ['push']);
    assert.deepEqual(req.headers['Content-Length'], [String(req.body.length)]);
    assert.equal(JSON.parse(req.body.toString()).ref, 'refs/heads/main');
  });
  it('keeps repeated headers, joins folded lines and trims values', () => {
    const req = parseHttpRequest('GET / HTTP/1.1\nAccept: a\naccept:   b  \nX-Long: one\n  two\n\n');
    assert.deepEqual(req.headers.Accept, ['a', 'b']);
    assert.deepEqual(req.headers['X-Long'], ['one two']);
    assert.equal(req.body.length, 0);
  });
  it('decodes a chunked body', () => {
    const req = parseHttpRequest('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n');
    assert.equal(req.body.toString(), '{"a":1}');
  });
  it('rejects malformed request lines and header lines', () => {
    assert.throws(() => parseHttpRequest('hello\n\n'), /malformed HTTP request/);
    assert.throws(() => parseHttpRequest('POST / HTTP/1.1\nno colon here\n\n'), /malformed MIME header line/);
    assert.throws(() => parseHttpRequest(''), /empty/);
  });
  it('exports Go\'s canonical header key', () => {
    assert.equal(canonicalHeaderKey('x-hub-signature-256'), 'X-Hub-Signature-256');
  });
});

describe('buildActivation (cel.go makeEvalContext, sink.go)', () => {
  it('parses the JSON body with numbers as doubles and exposes header, requestURL, extensions', () => {
    const req = parseHttpRequest(readFileSync(join(CEL_FIXTURES, 'github-push.http')));
    const act = buildActivation(req, { changed_files: 'a.md' });
    assert.equal(act.requestURL, '/hooks/github?source=ci&source=manual');
    assert.deepEqual(act.extensions, { changed_files: 'a.md' });
    assert.deepEqual(evaluate("header.match('X-GitHub-Event', 'push') && body.count == 2.0 && extensions.changed_files == 'a.md'", 'triggers', act), { value: true });
    const r = evaluate('body.count + 1', 'triggers', act);
    assert.ok('error' in r && /no such overload/.test(r.error));
  });
  it('an empty body is {}', () => {
    const act = buildActivation(parseHttpRequest(readFileSync(join(CEL_FIXTURES, 'empty-body.http'))));
    assert.deepEqual(act.body, {});
  });
  it("a non-JSON body fails with 'failed to parse the body as JSON'", () => {
    assert.throws(() => buildActivation(parseHttpRequest(readFileSync(join(CEL_FIXTURES, 'not-json.http')))), /failed to parse the body as JSON/);
    assert.throws(() => buildActivation(parseHttpRequest('POST / HTTP/1.1\n\n[1,2]')), /cannot unmarshal array/);
  });
  it('converts a multi-field form body to a map of string lists, as the sink does', () => {
    const req = parseHttpRequest(readFileSync(join(CEL_FIXTURES, 'slack-command.http')));
    assert.deepEqual(JSON.parse(interceptorBody(req).toString()), { token: ['abc'], team_id: ['T1'], command: ['/deploy'], text: ['prod now'] });
    assert.deepEqual(evaluate("body.command[0] == '/deploy'", 'triggers', buildActivation(req)), { value: true });
  });
  it('leaves a single-field form body as it is (then it is not JSON)', () => {
    const req = parseHttpRequest('POST / HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\npayload=%7B%7D');
    assert.equal(interceptorBody(req).toString(), 'payload=%7B%7D');
    assert.throws(() => buildActivation(req), /failed to parse the body as JSON/);
  });
});
