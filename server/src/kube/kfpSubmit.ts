/**
 * Submitting a compiled Kubeflow pipeline (the IR YAML) as runs: reading the IR and its platform spec as the SDK does
 * (`sdk/python/kfp/client/client.py`), typing parameter values from `root.inputDefinitions.parameters` and checking
 * them as the backend does on create (`backend/src/apiserver/template/v2_template.go validatePipelineJobInputs`:
 * required, JSON type, no extra parameters, `literals`), sweeps (one run per combination), the request bodies, and
 * following runs until they end.
 */
import { toPlainData } from '../document/plain';
import { indentQuotedContinuations } from '../document/quotedContinuations';
import { parseAllDocuments } from 'yaml';
import { KubeError } from './errors';
import { isTerminalRunState, type KfpApi, type KfpRun, type KfpRunRequest, type KfpRunState } from './kfpApi';

/** A pipeline input parameter (`ComponentInputsSpec.ParameterSpec`). */
export interface KfpParameterSpec {
  parameterType?: string;
  defaultValue?: unknown;
  isOptional?: boolean;
  description?: string;
  /** Allowed values (`dsl.Literal`). */
  literals?: unknown[];
}

/** A compiled pipeline, ready to submit. */
export interface KfpPipelineIr {
  /** The first YAML document (the PipelineSpec). */
  pipelineSpec: Record<string, unknown>;
  /** Every later document merged, as the SDK does; absent when there is none. */
  platformSpec?: Record<string, unknown>;
  /** `pipelineInfo.name`. */
  name: string;
  /** `root.inputDefinitions.parameters`. */
  parameters: Record<string, KfpParameterSpec>;
}

/** A problem with the IR file or with parameter values; names the parameter when there is one. */
export class KfpInputError extends Error {
  override readonly name = 'KfpInputError';
  constructor(
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** Reads the IR YAML (multi-document: the PipelineSpec, then platform spec documents). Throws KfpInputError. */
export function loadPipelineIr(text: string): KfpPipelineIr {
  let docs = parseAllDocuments(text, { uniqueKeys: false });
  if (docs.some((d) => d.errors.length)) {
    // PyYAML (the SDK's compiler) continues quoted scalars of a block sequence at the dash's column, which the
    // `yaml` library rejects; indenting those continuation lines changes no value (their leading space is folded)
    const again = parseAllDocuments(indentQuotedContinuations(text).text, { uniqueKeys: false });
    if (!again.some((d) => d.errors.length)) docs = again;
  }
  const values: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new KfpInputError(`not valid YAML: ${d.errors[0].message.split('\n')[0]}`);
    const plain = toPlainData(d);
    if ('error' in plain) throw new KfpInputError(`not a pipeline spec: ${plain.error}`);
    const v = plain.value;
    if (v !== null && v !== undefined) values.push(v);
  }
  const spec = values[0];
  if (!isObject(spec) || !isObject(spec.root))
    throw new KfpInputError('not a compiled Kubeflow pipeline: the first YAML document has no `root` (a PipelineSpec)');
  let platformSpec: Record<string, unknown> | undefined;
  for (const more of values.slice(1)) {
    if (!isObject(more)) throw new KfpInputError('a YAML document after the PipelineSpec is not a mapping (a platform spec)');
    platformSpec = deepMerge(platformSpec ?? {}, more);
  }
  const info = isObject(spec.pipelineInfo) ? spec.pipelineInfo : {};
  const root = spec.root as Record<string, unknown>;
  const inputs = isObject(root.inputDefinitions) ? root.inputDefinitions : {};
  const parameters = (isObject(inputs.parameters) ? inputs.parameters : {}) as Record<string, KfpParameterSpec>;
  return { pipelineSpec: spec, platformSpec, name: typeof info.name === 'string' ? info.name : 'pipeline', parameters };
}

/** The `pipeline_spec` of a run body: the spec, or `{pipeline_spec, platform_spec}` when there is a platform spec. */
export function pipelineSpecBody(ir: KfpPipelineIr): Record<string, unknown> {
  return ir.platformSpec ? { pipeline_spec: ir.pipelineSpec, platform_spec: ir.platformSpec } : ir.pipelineSpec;
}

/**
 * Types a value given as text for a parameter: NUMBER_INTEGER → integer, NUMBER_DOUBLE → number, BOOLEAN → true or
 * false, STRING → the text, LIST/STRUCT → JSON array/object. Checks `literals`. Throws KfpInputError naming it.
 */
export function parseParameterValue(name: string, spec: KfpParameterSpec, raw: string): unknown {
  const type = spec.parameterType ?? 'STRING';
  const bad = (what: string) => new KfpInputError(`parameter "${name}" (${type}) needs ${what}, not ${JSON.stringify(raw)}`, name);
  let value: unknown;
  switch (type) {
    case 'NUMBER_INTEGER':
      if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) throw bad('an integer');
      value = Number(raw);
      break;
    case 'NUMBER_DOUBLE':
      if (!raw.trim() || !Number.isFinite(Number(raw))) throw bad('a number');
      value = Number(raw);
      break;
    case 'BOOLEAN':
      if (!/^(true|false)$/i.test(raw.trim())) throw bad('true or false');
      value = raw.trim().toLowerCase() === 'true';
      break;
    case 'LIST':
    case 'STRUCT': {
      try {
        value = JSON.parse(raw);
      } catch {
        throw bad(type === 'LIST' ? 'a JSON array' : 'a JSON object');
      }
      if (type === 'LIST' ? !Array.isArray(value) : !isObject(value))
        throw bad(type === 'LIST' ? 'a JSON array' : 'a JSON object');
      break;
    }
    case 'STRING':
      value = raw;
      break;
    default:
      throw new KfpInputError(`parameter "${name}" is of type ${type}, which cannot be given a value`, name);
  }
  checkLiterals(name, spec, value);
  return value;
}

function checkLiterals(name: string, spec: KfpParameterSpec, value: unknown): void {
  if (!Array.isArray(spec.literals) || spec.literals.length === 0) return;
  const key = JSON.stringify(value);
  if (!spec.literals.some((l) => JSON.stringify(l) === key))
    throw new KfpInputError(
      `parameter "${name}" must be one of ${spec.literals.map((l) => JSON.stringify(l)).join(', ')}, not ${key}`,
      name,
    );
}

/** One run to create: its parameters (typed) and what distinguishes it within a sweep. */
export interface KfpRunPlan {
  parameters: Record<string, unknown>;
  /** The swept parameters' values of this run (empty without sweeps). */
  sweep: Record<string, unknown>;
}

/**
 * The runs of a submission: fixed `params` (NAME → text) plus every combination of the `sweeps` (NAME → texts), in
 * order (the last sweep varies fastest). Checks unknown names, types, literals and required parameters (no default
 * and not optional). Throws KfpInputError naming the parameter.
 */
export function planRuns(
  ir: KfpPipelineIr,
  params: readonly (readonly [string, string])[],
  sweeps: readonly (readonly [string, readonly string[]])[] = [],
): KfpRunPlan[] {
  const seen = new Set<string>();
  const known = (name: string) => {
    if (!Object.hasOwn(ir.parameters, name)) {
      const names = Object.keys(ir.parameters);
      throw new KfpInputError(
        `the pipeline has no parameter "${name}" (${names.length ? `its parameters: ${names.join(', ')}` : 'it takes none'})`,
        name,
      );
    }
    if (seen.has(name)) throw new KfpInputError(`parameter "${name}" is given more than once`, name);
    seen.add(name);
    return ir.parameters[name];
  };
  const fixed: Record<string, unknown> = {};
  for (const [name, raw] of params) fixed[name] = parseParameterValue(name, known(name), raw);
  const swept: [string, unknown[]][] = [];
  for (const [name, raws] of sweeps) {
    const spec = known(name);
    if (raws.length === 0) throw new KfpInputError(`the sweep of parameter "${name}" has no values`, name);
    swept.push([name, raws.map((r) => parseParameterValue(name, spec, r))]);
  }
  for (const [name, spec] of Object.entries(ir.parameters))
    if (!seen.has(name) && spec.defaultValue === undefined && !spec.isOptional)
      throw new KfpInputError(`parameter "${name}" (${spec.parameterType ?? 'STRING'}) is required: it has no default`, name);
  let combos: Record<string, unknown>[] = [{}];
  for (const [name, values] of swept) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return combos.map((sweep) => ({ parameters: { ...fixed, ...sweep }, sweep }));
}

/**
 * Splits a sweep's value list at commas that are not inside JSON brackets or quotes (`[1,2],[3]` is two values).
 */
export function splitSweepValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** The display name the SDK gives a run: `<pipeline name> <YYYY-MM-DD HH-MM-SS>` (local time). */
export function defaultRunName(ir: KfpPipelineIr, now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${ir.name} ${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}-${p(now.getMinutes())}-${p(now.getSeconds())}`;
}

/** The body of one run: display name (with the swept values when there are several runs), spec, parameters. */
export function runRequest(
  ir: KfpPipelineIr,
  plan: KfpRunPlan,
  options: { displayName: string; experimentId?: string; several?: boolean },
): KfpRunRequest {
  const suffix = Object.entries(plan.sweep)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  return {
    display_name: options.several && suffix ? `${options.displayName} (${suffix})` : options.displayName,
    ...(options.experimentId ? { experiment_id: options.experimentId } : {}),
    pipeline_spec: pipelineSpecBody(ir),
    runtime_config: { parameters: plan.parameters },
  };
}

/** What following a run reports. */
export interface FollowEvents {
  /** The run's state changed (the first call has `previous` undefined). */
  onRunState?(run: KfpRun, state: KfpRunState | undefined, previous: KfpRunState | undefined): void;
  /** A task's state changed (from `run_details.task_details`, when the server has them). */
  onTaskState?(run: KfpRun, task: string, state: string | undefined, previous: string | undefined): void;
}

/** Options of {@link followRun}. */
export interface FollowOptions extends FollowEvents {
  /** First delay between polls (default 1 s), doubled up to `maxDelayMs` (default 10 s) while nothing changes. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** How to wait (tests pass their own). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Polls `GET /runs/{id}` until the run is SUCCEEDED, FAILED, SKIPPED or CANCELED, with backoff (reset when something
 * changes), reporting run and task state changes. Resolves with the last run read; API errors are thrown (KubeError).
 */
export async function followRun(api: KfpApi, runId: string, options: FollowOptions = {}): Promise<KfpRun> {
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 10000;
  const sleep = options.sleep ?? defaultSleep;
  let delay = initial;
  let state: KfpRunState | undefined;
  let first = true;
  const tasks = new Map<string, string | undefined>();
  for (;;) {
    if (options.signal?.aborted) throw new KubeError('aborted', 'Following the run was cancelled.');
    const run = await api.getRun(runId);
    let changed = false;
    if (first || run.state !== state) {
      options.onRunState?.(run, run.state, first ? undefined : state);
      state = run.state;
      first = false;
      changed = true;
    }
    for (const t of run.run_details?.task_details ?? []) {
      const name = t.display_name ?? t.task_id ?? '?';
      if (tasks.has(name) && tasks.get(name) === t.state) continue;
      options.onTaskState?.(run, name, t.state, tasks.get(name));
      tasks.set(name, t.state);
      changed = true;
    }
    if (isTerminalRunState(run.state)) return run;
    delay = changed ? initial : Math.min(max, delay * 2);
    await sleep(delay, options.signal);
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolvePromise();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}


function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Objects merged key by key (later wins for anything that is not an object on both sides). */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k], v) : v;
  return out;
}
