/**
 * The bounded YAML-to-data conversion: the same data as the `yaml` library's `toJS` on real files, and a clear refusal
 * (never minutes of CPU) on the shapes that make `toJS` explode.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, parseDocument } from 'yaml';
import { toPlainData } from '../../../server/src/document/plain';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { LanguageService } from '../../../server/src/service/languageService';
import { runCli } from '../../../server/src/cli';
import { FIXTURES, SHARED_DATA, sharedDataMissing } from '../../helpers/fixtures';
import { yamlFilesUnder } from '../../../server/src/workspace/yamlFiles';
import { capture } from '../cli/capture';

const deepKey = (n: number) => `${'{'.repeat(n)}a${'}'.repeat(n)}: x\n`;

describe('toPlainData', () => {
  it('gives what toJS gives on every document of the Triggers examples and the catalog', { skip: sharedDataMissing() }, () => {
    let documents = 0;
    for (const folder of ['triggers-examples/examples', 'catalog/pipeline', 'catalog/stepaction'])
      for (const file of yamlFilesUnder(join(SHARED_DATA, folder)))
        for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
          if (doc.errors.length) continue;
          const plain = toPlainData(doc);
          assert.ok('value' in plain, `${file}: ${'error' in plain ? plain.error : ''}`);
          assert.deepEqual(plain.value, doc.toJS({ maxAliasCount: -1 }), file);
          documents++;
        }
    assert.ok(documents > 300, `only ${documents} documents compared`);
  });

  it('resolves aliases and turns scalar keys into strings as JSON has them', () => {
    const doc = parseDocument('a: &x {b: 1}\nc: *x\n1: one\ntrue: yes\n__proto__: p\n? \n: empty\n');
    const plain = toPlainData(doc);
    assert.ok('value' in plain);
    assert.deepEqual(JSON.stringify(plain.value), '{"1":"one","a":{"b":1},"c":{"b":1},"true":"yes","__proto__":"p","":"empty"}');
  });

  it('refuses a collection used as a key, deep nesting and alias bombs, at once', () => {
    const started = Date.now();
    assert.deepEqual(toPlainData(parseDocument(`kind: Trigger\n${deepKey(1000)}`)), {
      error: 'a map key is a collection, which Kubernetes objects never have',
    });
    assert.deepEqual(toPlainData(parseDocument('{a: 1}: b\n')), { error: 'a map key is a collection, which Kubernetes objects never have' });
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    assert.match(JSON.stringify(toPlainData(parseDocument(bomb.join('\n')))), /more than 500000 nodes/);
    assert.match(JSON.stringify(toPlainData(parseDocument(`${'- '.repeat(300)}x\n`))), /nested more than 200 levels deep|nested too deeply/);
    assert.ok(Date.now() - started < 10_000);
  });
});

describe('a poisoned param value', () => {
  it('is checked without converting the collection key (a scalar test decides what is a substitution)', () => {
    const text = `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineSpec:\n    params:\n      - name: p\n        type: object\n    tasks:\n      - name: a\n        taskSpec:\n          steps:\n            - image: alpine\n  params:\n    - name: p\n      value:\n        ${deepKey(400)}`;
    const service = new LanguageService();
    try {
      const problems = service.doValidation(new TektonDocument('file:///poison.yaml', 1, text));
      assert.ok(problems.length > 0, 'the collection key is reported');
    } finally {
      service.dispose();
    }
  });
});

describe('a poisoned Trigger file', () => {
  it('is simulated at once with the reason it is left out, not converted for minutes', async () => {
    const trigger = readFileSync(join(FIXTURES, 'triggers', 'cli', 'trigger.yaml'), 'utf8').trimEnd();
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tekton-poison-'));
    writeFileSync(join(dir, 'trigger.yaml'), `${trigger}\n${deepKey(400)}`);
    const r = await capture((io) => runCli(['simulate', '-t', join(dir, 'trigger.yaml'), '-r', join(FIXTURES, 'triggers', 'cli', 'push.http')], io), dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Trigger \S+ is left out: a map key is a collection/);
  });
});
