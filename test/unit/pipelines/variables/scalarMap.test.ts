import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isScalar, Scalar, visit } from 'yaml';
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import { analyzeVariables } from '../../../../server/src/pipelines/variables/analysis';
import { findVariables } from '../../../../server/src/pipelines/variables/expression';
import { scalarMap } from '../../../../server/src/document/scalarMap';
import { catalogMainFiles, sharedDataMissing } from '../../../helpers/fixtures';

function resourceOf(text: string): YamlResource {
  return [...new TektonDocument('file:///t.yaml', 1, text).resources()][0].resource;
}

/** The scalar value of `key` at the top level of a one-document YAML text. */
function scalar(text: string, key: string): { node: Scalar; resource: YamlResource } {
  const resource = resourceOf(text);
  let found: Scalar | undefined;
  visit(resource.doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === key && isScalar(pair.value)) found = pair.value as Scalar;
    },
  });
  assert.ok(found, `no scalar for ${key}`);
  return { node: found!, resource };
}

/** The source text each variable of the scalar maps to. */
function mapped(text: string, key: string): { exact: boolean; sources: string[] } {
  const { node, resource } = scalar(text, key);
  const map = scalarMap(node, resource.text);
  return {
    exact: map.exact,
    sources: findVariables(String(node.value)).map((v) => {
      const r = map.toSource(v.start, v.end);
      return resource.text.slice(r.start, r.end);
    }),
  };
}

describe('scalar source maps: value offsets to document offsets per YAML style', () => {
  it('plain, on one line and folded over lines', () => {
    assert.deepEqual(mapped('a: echo $(params.x) done\n', 'a'), { exact: true, sources: ['$(params.x)'] });
    assert.deepEqual(mapped('a: first $(params.x)\n  second   $(params.y)\n\n  third $(params.z)\n', 'a'), {
      exact: true,
      sources: ['$(params.x)', '$(params.y)', '$(params.z)'],
    });
  });

  it("single-quoted, with '' escapes before and inside the expression", () => {
    assert.deepEqual(mapped("a: 'it''s $(params.x)'\n", 'a'), { exact: true, sources: ['$(params.x)'] });
    const inside = mapped("a: 'v=$(params[''a.b''])'\n", 'a');
    assert.deepEqual(inside, { exact: true, sources: ["$(params[''a.b''])"] });
  });

  it('double-quoted, with escapes and an escaped line break', () => {
    assert.deepEqual(mapped('a: "say \\"$(params.x)\\"\\n\\t$(params.y)"\n', 'a'), { exact: true, sources: ['$(params.x)', '$(params.y)'] });
    assert.deepEqual(mapped('a: "one \\\n  $(params.x) two\n  $(params.y)"\n', 'a'), { exact: true, sources: ['$(params.x)', '$(params.y)'] });
    // An escape inside the name: the range covers the escape, and the name is not verbatim (rename leaves it).
    const { node, resource } = scalar('a: "$(params.\\x61b)"\n', 'a');
    const map = scalarMap(node, resource.text);
    assert.equal(node.value, '$(params.ab)');
    const r = map.toSource(9, 11);
    assert.equal(resource.text.slice(r.start, r.end), '\\x61b');
    assert.equal(map.isVerbatim(9, 11), false);
    assert.equal(map.isVerbatim(2, 8), true);
  });

  it('literal blocks with indentation and every chomping indicator', () => {
    for (const header of ['|', '|-', '|+']) {
      const text = `a: ${header}\n  echo $(params.x)\n    indented $(params.y)\n\n  end\n\n`;
      assert.deepEqual(mapped(text, 'a'), { exact: true, sources: ['$(params.x)', '$(params.y)'] }, header);
    }
  });

  it('folded blocks: folded lines, more-indented lines and empty lines', () => {
    const text = 'a: >\n  one $(params.x)\n  two\n    more $(params.y)\n\n  three $(params.z)\n';
    assert.deepEqual(mapped(text, 'a'), { exact: true, sources: ['$(params.x)', '$(params.y)', '$(params.z)'] });
  });

  it('maps a document offset back to the value (completion)', () => {
    const { node, resource } = scalar('a: |\n  echo $(params.x)\n', 'a');
    const map = scalarMap(node, resource.text);
    const at = resource.text.indexOf('params');
    assert.equal(String(node.value).slice(map.toValue(at)!, map.toValue(at)! + 6), 'params');
  });

  it('degrades to the whole scalar when the decoding is ambiguous (explicit indentation indicator)', () => {
    const text = 'k:\n  a: |2\n       deep $(params.x)\n';
    const { node, resource } = scalar(text, 'a');
    const map = scalarMap(node, resource.text);
    assert.equal(map.exact, false);
    const r = map.toSource(7, 18);
    assert.deepEqual(r, { start: node.range![0], end: node.range![1] });
    assert.equal(map.isVerbatim(7, 18), false);
    assert.equal(map.toValue(node.range![0] + 3), undefined);
  });

  it('never throws on odd input', () => {
    for (const text of ['a: "\\q $(params.x)"\n', "a: '$(params.x\n", 'a: |\n', 'a: >-\n\n\n']) {
      const resource = resourceOf(text);
      visit(resource.doc, {
        Scalar(_, n) {
          if (typeof n.value === 'string') scalarMap(n, resource.text).toSource(0, n.value.length);
        },
      });
    }
  });
});

describe('scalar source maps on the catalog', { skip: sharedDataMissing() }, () => {
  it('decodes every string scalar of the catalog main files exactly, and every variable maps to its own text', () => {
    let scalars = 0;
    let variables = 0;
    const inexact: string[] = [];
    for (const file of catalogMainFiles()) {
      const doc = new TektonDocument(file, 1, readFileSync(file, 'utf8'));
      for (const { resource } of doc.resources()) {
        visit(resource.doc, {
          Scalar(_, n) {
            if (typeof n.value !== 'string') return;
            scalars++;
            if (!scalarMap(n, resource.text).exact) inexact.push(`${file}: ${resource.text.slice(n.range![0], n.range![0] + 40)}`);
          },
        });
        for (const o of analyzeVariables(resource)?.occurrences ?? []) {
          variables++;
          assert.equal(resource.text.slice(o.start, o.end), String(o.node.value).slice(o.ref.start, o.ref.end));
          o.ref.parts.forEach((p, i) => assert.equal(resource.text.slice(o.parts[i].start, o.parts[i].end), p.text));
        }
      }
    }
    assert.deepEqual(inexact, []);
    assert.ok(scalars > 10000 && variables > 2000, `${scalars} scalars, ${variables} variables`);
  });
});
