/**
 * `closest` skips candidates by length and stops distances early (it runs for every unresolved name against every
 * workspace name on each validation): it must pick exactly what the plain search over full edit distances picks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../../../server/src/document/problem';

function plainClosest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

describe('closest (did-you-mean search)', () => {
  it('picks what the full search picks, on 3,000 random words against random name lists', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = () => Array.from({ length: 1 + rand(14) }, () => 'abcdeAB-_'[rand(9)]).join('');
    let suggested = 0;
    for (let i = 0; i < 3000; i++) {
      const names = Array.from({ length: rand(40) }, word);
      const w = rand(3) === 0 && names.length ? names[rand(names.length)].slice(0, -1) + 'x' : word();
      const expected = plainClosest(w, names);
      assert.equal(closest(w, names), expected, `${w} among ${names.join(',')}`);
      if (expected) suggested++;
    }
    assert.ok(suggested > 300, `the cases exercise suggestions (${suggested})`);
  });

  it('keeps the first of equally close candidates, and ignores case', () => {
    assert.equal(closest('runAftr', ['runAfter', 'runafter']), 'runAfter');
    assert.equal(closest('PARAMS', ['params']), 'params');
    assert.equal(closest('x', ['verylongname']), undefined);
  });
});
