/**
 * Connects the simulator's injected `CelEvaluator` to the project's CEL module (server/src/cel): the Tekton
 * Triggers environment with the Tekton functions and cel-go extension libraries.
 */
import { evaluate } from '../cel/celService';
import type { CelEvalOutcome, CelEvalRequest } from '../cel/celEvaluator';
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
 * doubles both arrive as numbers; secrets are not passed to workers, so compareSecret() finds none.
 */
export function workerCelEvaluator(pool: { evaluate(req: CelEvalRequest): Promise<CelEvalOutcome> }): CelEvaluator {
  return async (expression, activation) => {
    const out = await pool.evaluate({
      text: expression,
      envId: 'triggers',
      activation: activation as unknown as Record<string, unknown>,
    });
    if (out.ok) return { value: out.value };
    return { error: out.kind === 'error' ? out.error : `${out.error} (${out.kind})`, code: out.code ?? 'cel-eval' };
  };
}
