import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import { mapRangesBack } from '../../../server/src/document/insertions';
import { markQuotedPlaceholders, quotePlaceholderValues } from '../../../server/src/document/pacPlaceholders';
import { TektonDocument } from '../../../server/src/document/tektonDocument';

describe('PaC placeholders read before decoding (pacPlaceholders.ts)', () => {
  it('quotes block values that start with {{ }} (two characters or more, as PaC matches), to the end of the line or its comment', () => {
    // each line as written, then as read: `same` where it is left alone
    const same = Symbol('same');
    const lines: [string, string | typeof same][] = [
      ['a: {{repo_url}}', "a: '{{repo_url}}'"],
      ['- {{ revision }}-{{ sender }}  # a comment', "- '{{ revision }}-{{ sender }}'  # a comment"],
      ["b: {{xy}}'s", "b: '{{xy}}''s'"],
      ['x: {{x}}', same],
      ['c: "{{already}}"', same],
      ['d: pre-{{mid}}', same],
      ['e: {{ not closed', same],
      ['f: {a: {{x}}}', same],
      ['s: |', same],
      ['  key: {{repo_url}}', same],
      ['  - {{revision}}', same],
      ['g: {{after_block}}', "g: '{{after_block}}'"],
      ['- k: >-', same],
      ['    h: {{inside}}', same],
      ['  i: {{sibling}}', "  i: '{{sibling}}'"],
    ];
    const { text: quoted } = quotePlaceholderValues(lines.map(([written]) => written).join('\n'));
    assert.deepEqual(
      quoted.split('\n'),
      lines.map(([written, read]) => (read === same ? written : read)),
    );
  });

  it('maps node ranges back to the text as written and marks the values plain', () => {
    const text = "x:\n  a: {{repo_url}}\n  b: {{xy}}'s\n  c: end\n";
    const { text: quoted, inserted } = quotePlaceholderValues(text);
    const [doc] = parseAllDocuments(quoted);
    mapRangesBack(doc, inserted);
    markQuotedPlaceholders(doc, text);
    assert.equal(doc.errors.length, 0);
    const x = (doc.contents as unknown as { items: { value: unknown }[] }).items[0].value;
    assert.ok(isMap(x));
    const values = x.items.map((p) => p.value as Scalar);
    assert.deepEqual(
      values.map((v) => [v.value, text.slice(v.range![0], v.range![1]), v.type]),
      [
        ['{{repo_url}}', '{{repo_url}}', 'PLAIN'],
        ["{{xy}}'s", "{{xy}}'s", 'PLAIN'],
        ['end', 'end', 'PLAIN'],
      ],
    );
    assert.ok(!isSeq(x) && values.every((v) => isScalar(v)));
  });

  it('puts a syntax error after a quoted value where it is in the text as written', () => {
    const text = 'a: {{repo_url}}\nb: {{ revision }}\nc: [unclosed\nd: 1\n';
    const syntax = (uri: string) =>
      [...new TektonDocument(uri, 1, text).resources()].flatMap((r) => r.resource.syntaxProblems).filter((p) => p.code === 'yaml-syntax');
    const inPac = syntax('file:///repo/.tekton/x.yaml');
    assert.ok(inPac.length > 0);
    // the same error as a file nothing substitutes: the quotes added before it shift nothing
    const elsewhere = syntax('file:///repo/x.yaml').filter((p) => p.start > text.indexOf('c:'));
    assert.deepEqual(inPac.map((p) => [p.start, p.end]), elsewhere.map((p) => [p.start, p.end]));
  });

  it('applies to .tekton/ files only', () => {
    const text = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  params:\n    - name: u\n      value: {{repo_url}}\n';
    const valueOf = (uri: string) => {
      const [{ resource }] = [...new TektonDocument(uri, 1, text).resources()];
      const params = (resource.root as unknown as { get(k: string): { get(k: string): { items: { get(k: string): unknown }[] } } })
        .get('spec')
        .get('params');
      return params.items[0].get('value');
    };
    assert.equal(valueOf('file:///repo/.tekton/run.yaml'), '{{repo_url}}');
    assert.ok(isMap(valueOf('file:///repo/run.yaml')), 'elsewhere a flow mapping, as Kubernetes would read it');
  });
});
