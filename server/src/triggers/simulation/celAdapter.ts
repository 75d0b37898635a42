/**
 * Connects the simulator's injected `CelEvaluator` to the project's CEL module (server/src/cel): the Tekton
 * Triggers environment with the Tekton functions and cel-go extension libraries.
 */
import { evaluate, type SecretStore } from '../../cel/celService';
import type { CelEvalOutcome, CelEvalRequest } from '../../cel/celEvaluator';
import type { CelEvaluator } from './types';

/**
 * Evaluates in-process with celService.evaluate (synchronous, no time limit). Suited to the CLI and tests; an editor
 * handling untrusted workspaces should prefer `workerCelEvaluator`.
 */
export const inProcessCelEvaluator: CelEvaluator = async (expression, activation, context) => {
  const lookup = context?.secretLookup;
  const r = evaluate(expression, 'triggers', activation as unknown as Record<string, unknown>, {
    secrets: lookup ? (name: string, key: string) => lookup(name, key) : undefined,
  });
  return 'error' in r ? { error: r.error, code: r.code } : { value: r.value };
};

/**
 * Adapts the worker-pool evaluator (time- and memory-limited). Its results are JSON-compatible data, so ints and
 * doubles both arrive as numbers. A lookup function cannot cross into the worker, so the secrets the expression's
 * compareSecret() calls name with literal arguments are looked up here and passed as data.
 */
export function workerCelEvaluator(pool: { evaluate(req: CelEvalRequest): Promise<CelEvalOutcome> }): CelEvaluator {
  return async (expression, activation, context) => {
    const out = await pool.evaluate({
      text: expression,
      envId: 'triggers',
      activation: activation as unknown as Record<string, unknown>,
      secrets: secretsFor(expression, context?.secretLookup),
    });
    if (out.ok) return { value: out.value };
    return { error: out.kind === 'error' ? out.error : `${out.error} (${out.kind})`, code: out.code ?? 'cel-eval' };
  };
}

/** `compareSecret('key', 'secret'[, 'ns'])` calls with literal arguments (either quote style). */
const COMPARE_SECRET = /compareSecret\(\s*(['"])((?:(?!\1).)*)\1\s*,\s*(['"])((?:(?!\3).)*)\3/g;

function secretsFor(expression: string, lookup: ((name: string, key: string) => string | undefined) | undefined): SecretStore | undefined {
  if (!lookup || !expression.includes('compareSecret')) return undefined;
  const store: SecretStore = {};
  for (const m of expression.matchAll(COMPARE_SECRET)) {
    const [key, name] = [m[2], m[4]];
    const value = lookup(name, key);
    if (value !== undefined) (store[name] ??= {})[key] = value;
  }
  return store;
}
