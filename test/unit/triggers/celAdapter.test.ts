import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { CelEvaluator } from '../../../server/src/cel/celEvaluator';
import { workerCelEvaluator } from '../../../server/src/triggers/simulation/celAdapter';

describe('the worker CEL evaluator used by the editor reads secrets for compareSecret (cel_expressions.md)', () => {
  const pool = new CelEvaluator({ timeoutMs: 5000 });
  after(() => pool.dispose());
  const evaluate = workerCelEvaluator(pool);
  const activation = { body: {}, header: {}, extensions: {}, requestURL: '/' };

  it('passes the secret named by a literal compareSecret call into the worker', async () => {
    const lookup = (name: string, key: string) => (name === 'mysecret' && key === 'token' ? 'test-secret' : undefined);
    assert.deepEqual(await evaluate("'test-secret'.compareSecret('token', 'mysecret')", activation, { secretLookup: lookup }), { value: true });
    assert.deepEqual(await evaluate('"wrong".compareSecret("token", "mysecret")', activation, { secretLookup: lookup }), { value: false });
  });

  it('reports an error when no secret is available, as the CLI does without --secrets', async () => {
    const r = await evaluate("'x'.compareSecret('token', 'missing')", activation, { secretLookup: () => undefined });
    assert.ok('error' in r, JSON.stringify(r));
  });
});
