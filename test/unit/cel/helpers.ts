import assert from 'node:assert/strict';
import { evaluate, type EvaluateOptions } from '../../../server/src/cel/celService';
import type { CelEnvId } from '../../../server/src/cel/environments';

/** Evaluates and returns the value, failing the test with the error message when evaluation fails. */
export function value(text: string, activation: Record<string, unknown> = {}, env: CelEnvId = 'triggers', options?: EvaluateOptions): unknown {
  const r = evaluate(text, env, activation, options);
  if ('error' in r) assert.fail(`${text} failed: ${r.error}`);
  return r.value;
}

/** Evaluates and returns the error message, failing the test when evaluation succeeds. */
export function error(text: string, activation: Record<string, unknown> = {}, env: CelEnvId = 'triggers', options?: EvaluateOptions): string {
  const r = evaluate(text, env, activation, options);
  if (!('error' in r)) assert.fail(`${text} evaluated to ${String(r.value)}, expected an error`);
  return r.error;
}
