/**
 * Diagnostics for the mistakes Tekton users make in CEL (tektoncd/triggers docs/cel_expressions.md and
 * REFERENCE.md §3.2–3.3), and for features Tekton's environments do not load.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpression, evaluate, overlayKeyProblem, type CelDiagnostic } from '../../../server/src/cel/celService';

function codes(text: string, env: Parameters<typeof checkExpression>[1] = 'triggers', filter = false): string[] {
  return checkExpression(text, env, { filter }).diagnostics.map((d) => d.code);
}

function only(text: string, env: Parameters<typeof checkExpression>[1] = 'triggers'): CelDiagnostic {
  const ds = checkExpression(text, env).diagnostics;
  assert.equal(ds.length, 1, `expected one diagnostic for ${text}, got ${JSON.stringify(ds)}`);
  return ds[0];
}

describe('decodeb64() (documented in docs/cel_expressions.md, not registered in triggers.go)', () => {
  it('is reported on the function name with a fix', () => {
    const text = 'body.message.data.decodeb64()';
    const d = only(text);
    assert.equal(d.code, 'cel-decodeb64');
    assert.equal(text.slice(d.start, d.end), 'decodeb64');
    assert.match(d.message, /base64\.decode/);
  });
  it('fails to compile, so evaluation reports it', () => {
    const r = evaluate("'aGk='.decodeb64()", 'triggers', {});
    assert.ok('error' in r && r.code === 'cel-decodeb64');
  });
});

describe('JSON numbers are doubles (docs/cel_expressions.md "Notes on numbers")', () => {
  const act = { body: { count: 1 }, header: {}, extensions: { n: 2 }, requestURL: '' };
  it('body.count + 1 is flagged, and fails at run time with no such overload as in cel-go', () => {
    const d = only('body.count + 1');
    assert.equal(d.code, 'cel-json-number-int-arithmetic');
    assert.equal(d.severity, 'error');
    const r = evaluate('body.count + 1', 'triggers', act);
    assert.ok('error' in r && /no such overload/.test(r.error));
  });
  it('flags every arithmetic operator, extensions, list elements and comprehension variables', () => {
    for (const t of ['body.count * 2', '2 - body.count', 'extensions.n % 2', 'body.items[0] / 2', 'body.items.map(i, i + 1)', 'body.a.b + size(body.c)']) {
      assert.deepEqual(codes(t), ['cel-json-number-int-arithmetic'], t);
    }
  });
  it('does not flag comparisons (heterogeneous in cel-go), doubles, or converted values', () => {
    for (const t of ['body.count > 1', 'body.count == 1', 'body.count + 1.0', 'int(body.count) + 1', '[1, 2].map(i, i + 1)', 'size(body.items) + 1']) {
      assert.deepEqual(codes(t), [], t);
    }
    assert.deepEqual(evaluate('body.count > 0', 'triggers', act), { value: true });
  });
  it('applies to KFP parameter values (google.protobuf.Value numbers are doubles)', () => {
    assert.deepEqual(codes("inputs.parameter_values['n'] + 1", 'kfp-condition'), ['cel-json-number-int-arithmetic']);
  });
});

describe('header values are lists (Go http.Header)', () => {
  it("header['X'].startsWith(...) and header.X.contains(...) are flagged", () => {
    const d = only("header['X-Github-Event'].startsWith('pu')");
    assert.equal(d.code, 'cel-header-list-method');
    assert.match(d.message, /header\['X-Github-Event'\]\[0\]\.startsWith/);
    // GitHub's own spelling is not the canonical key: both problems are reported.
    assert.deepEqual(codes("header['X-GitHub-Event'].startsWith('pu')"), ['cel-header-key-not-canonical', 'cel-header-list-method']);
    assert.deepEqual(codes("header.Authorization.contains('Bearer')"), ['cel-header-list-method']);
  });
  it('the expression still evaluates, and fails like Tekton', () => {
    const r = evaluate("header['X-Github-Event'].startsWith('pu')", 'triggers', { header: { 'X-Github-Event': ['push'] }, body: {}, extensions: {}, requestURL: '' });
    assert.ok('error' in r && /no matching overload/.test(r.error));
  });
  it("comparing header['X'] with a string is always false", () => {
    const d = only("header['X-Github-Event'] == 'push'");
    assert.equal(d.code, 'cel-header-list-compare');
    assert.equal(d.severity, 'warning');
  });
  it('a non-canonical header key is never present', () => {
    const d = only("header['x-github-event'][0] == 'push'");
    assert.equal(d.code, 'cel-header-key-not-canonical');
    assert.match(d.message, /X-Github-Event/);
    assert.deepEqual(codes("header['X-Github-Event'][0] == 'push' && header.match('x-github-event', 'push')"), []);
  });
});

describe('filters must be bool (interceptor: anything but true skips the trigger)', () => {
  it('reports a non-bool filter only when asked', () => {
    assert.deepEqual(codes('body.action', 'triggers', true), []); // dyn: may be a bool at run time
    assert.deepEqual(codes("body.action + 'x'", 'triggers', true), ['cel-filter-not-bool']);
    assert.deepEqual(codes("body.action + 'x'", 'triggers', false), []);
  });
});

describe('cel-go features Tekton does not load', () => {
  it('cel.bind (ext.Bindings), regex.* (ext.Regex), two-variable comprehensions, optionals', () => {
    assert.deepEqual(codes('cel.bind(x, 1, x + 1)'), ['cel-extension-not-loaded']);
    assert.deepEqual(codes("regex.replace('a', 'a', 'b')"), ['cel-extension-not-loaded']);
    assert.deepEqual(codes('[1, 2].all(i, v, v > 0)'), ['cel-extension-not-loaded']);
    assert.deepEqual(codes("{'a': 1}.transformList(k, v, k)"), ['cel-extension-not-loaded']);
    assert.deepEqual(codes('optional.of(1)'), ['cel-extension-not-loaded']);
    assert.deepEqual(codes('[1].first().orValue(2)'), ['cel-extension-not-loaded']);
    assert.ok(codes('body.?a').includes('cel-syntax'));
  });
  it('unknown functions and wrong argument counts', () => {
    const d = only('trunca(body.sha, 7)');
    assert.equal(d.code, 'cel-unknown-function');
    assert.deepEqual(codes("'x'.truncate()"), ['cel-wrong-argument-count']);
    assert.deepEqual(codes('base64.nope(b"x")'), ['cel-unknown-function']);
    assert.deepEqual(codes('base64'), ['cel-undeclared-reference']);
    assert.deepEqual(codes('undeclaredVar == 1'), ['cel-undeclared-reference']);
  });
  it('Pipelines when.cel has no extension libraries and no Tekton functions', () => {
    const d = only("'$(params.branch)'.lowerAscii() == 'main'", 'pipelines-when');
    assert.equal(d.code, 'cel-unknown-function');
    assert.match(d.message, /ext\.Strings.*when\.cel/);
    assert.deepEqual(codes("header.match('a', 'b')", 'pipelines-when'), ['cel-undeclared-reference']);
    assert.deepEqual(codes("'release/v1'.matches('release/.*')", 'pipelines-when'), []);
    assert.deepEqual(codes("'a'.truncate(1)", 'pipelines-when'), ['cel-unknown-function']);
  });
  it('KFP conditions see inputs/outputs and parseJson()', () => {
    assert.deepEqual(codes("inputs.parameter_values['pipelinechannel--flip-coin-op-Output'] == 'heads'", 'kfp-condition'), []);
    assert.deepEqual(codes("parseJson(inputs.parameter_values['cfg']).enabled == true", 'kfp-condition'), []);
    assert.deepEqual(codes('body.x', 'kfp-condition'), ['cel-undeclared-reference']);
    // ExecutorInput.Inputs is a message: a misspelt field is a compile error in the KFP driver.
    const text = "inputs.parameter_value['x'] == 'y'";
    const d = checkExpression(text, 'kfp-condition').diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['cel-undefined-field']);
    assert.equal(text.slice(d[0].start, d[0].end), 'parameter_value');
    const r = evaluate("inputs.parameter_values['p'] == 'heads'", 'kfp-condition', { inputs: { parameter_values: { p: 'heads' } }, outputs: {} });
    assert.deepEqual(r, { value: true });
  });
});

describe('overlayKeyProblem (overlay keys are sjson paths under extensions)', () => {
  it("flags keys starting with 'extensions.' and suggests the key without it", () => {
    const p = overlayKeyProblem('extensions.truncated_sha');
    assert.equal(p?.code, 'cel-overlay-key-extensions');
    assert.match(p!.message, /\$\(extensions\.extensions\.truncated_sha\)/);
    assert.match(p!.message, /key 'truncated_sha'/);
  });
  it('accepts ordinary and nested keys; rejects empty keys', () => {
    assert.equal(overlayKeyProblem('truncated_sha'), undefined);
    assert.equal(overlayKeyProblem('a.b'), undefined);
    assert.equal(overlayKeyProblem('')?.code, 'cel-overlay-key-empty');
  });
});
