/**
 * The CEL environments this project checks and evaluates, each reproducing one upstream program:
 *
 * - `triggers`: the Tekton Triggers CEL interceptor (`tektoncd/triggers` pkg/interceptors/cel/cel.go
 *   makeCelEnv): variables `body`, `header`, `extensions` (map(string, dyn)) and `requestURL` (string); the
 *   Tekton functions of triggers.go; cel-go ext.Strings, ext.Encoders, ext.Sets, ext.Lists, ext.Math.
 *   Not loaded: ext.Regex, ext.TwoVarComprehensions, ext.Bindings (cel.bind), optional types.
 * - `pipelines-when`: Tekton Pipelines `when[].cel` — `cel.NewEnv()` with nothing added; `$(params.x)`
 *   references are substituted as text before compilation.
 * - `pac`: Pipelines-as-Code `on-cel-expression` (`tektoncd/pipelines-as-code` pkg/matcher/cel.go celEvaluate):
 *   `cel.NewEnv(cel.Lib(celPac), decls)` — the event variables and `"glob".pathChanged()`, and no cel-go extension
 *   library (`split`, `lowerAscii` do not type-check there). Repository custom params are added as string variables
 *   by the caller (createEnvironment with extra variables).
 * - `kfp-condition`: Kubeflow Pipelines `triggerPolicy.condition` — `cel.DeclareContextProto(ExecutorInput)`
 *   (top-level fields `inputs` and `outputs`) plus `parseJson(string) -> dyn`.
 *
 * Each environment is built once and reused (building one registers a few hundred overloads).
 */
import { Environment } from '@marcbachmann/cel-js';
import { registerLibraries, NAMESPACES, type CelFunctionDoc, type CelLibraryId } from './library';

/** Identifier of a built-in environment. */
export type CelEnvId = 'triggers' | 'pipelines-when' | 'kfp-condition' | 'pac';

/** All built-in environment ids. */
export const CEL_ENV_IDS: readonly CelEnvId[] = ['triggers', 'pipelines-when', 'kfp-condition', 'pac'];

/** A declared variable, for completion and hover. */
export interface CelVariableDoc {
  name: string;
  /** CEL type as cel-go writes it, e.g. `map(string, dyn)`. */
  type: string;
  doc: string;
  /** Known fields for variables backed by a protobuf message (KFP's ExecutorInput). */
  fields?: Record<string, string>;
}

/** A compiled-once environment with its documentation. */
export interface CelEnvironment {
  readonly id: string;
  readonly title: string;
  /** The underlying @marcbachmann/cel-js environment. */
  readonly cel: Environment;
  readonly variables: ReadonlyMap<string, CelVariableDoc>;
  /** Functions and macros available, by CEL name (`size`, `base64.decode`). */
  readonly functions: ReadonlyMap<string, CelFunctionDoc>;
  readonly libraries: ReadonlySet<CelLibraryId>;
  /** Namespace identifiers (`base64`, `math`, …) usable only as `ns.fn(...)`. */
  readonly namespaces: ReadonlySet<string>;
}

/** How to build an environment. */
export interface CelEnvironmentSpec {
  id: string;
  title: string;
  libraries: CelLibraryId[];
  variables: CelVariableDoc[];
}

/** Converts cel-go type notation (`map(string, dyn)`) to cel-js notation (`map<string, dyn>`). */
function toCelJsType(t: string): string {
  return t.replace(/\(/g, '<').replace(/\)/g, '>');
}

const MAP_STRING_DYN = 'map(string, dyn)';

const SPECS: Record<CelEnvId, CelEnvironmentSpec> = {
  triggers: {
    id: 'triggers',
    title: 'Tekton Triggers CEL interceptor',
    libraries: ['strings', 'encoders', 'sets', 'lists', 'math', 'tekton'],
    variables: [
      {
        name: 'body', type: MAP_STRING_DYN,
        doc: 'The request body parsed as JSON (numbers are doubles: compare with 1.0 or convert with int()).',
      },
      {
        name: 'header', type: MAP_STRING_DYN,
        doc: "The request headers: canonical name → list of values, e.g. header['X-GitHub-Event'][0]. Prefer header.match() / header.canonical().",
      },
      {
        name: 'extensions', type: MAP_STRING_DYN,
        doc: 'Values added by earlier interceptors in the chain (overlays of earlier CEL interceptors, changed_files, …).',
      },
      { name: 'requestURL', type: 'string', doc: 'The URL of the incoming request (path and query), e.g. requestURL.parseURL().path.' },
    ],
  },
  'pipelines-when': {
    id: 'pipelines-when',
    title: 'Tekton Pipelines when.cel',
    libraries: [],
    variables: [],
  },
  pac: {
    id: 'pac',
    title: 'Pipelines-as-Code on-cel-expression',
    libraries: ['pac'],
    variables: [
      { name: 'event', type: 'string', doc: 'The event as PaC matches it: `pull_request`, `push`, `incoming` (event.TriggerTarget).' },
      { name: 'event_type', type: 'string', doc: 'The provider event type: `pull_request`, `push`, `pull_request_labeled`, `on-comment`, `retest-comment`, …' },
      { name: 'event_title', type: 'string', doc: 'The pull request title; on a push, the head commit message.' },
      { name: 'target_branch', type: 'string', doc: 'The branch a pull request targets, or the ref of a push (`refs/heads/` is stripped unless the expression writes it).' },
      { name: 'source_branch', type: 'string', doc: 'The pull request head branch, or the ref of a push (as target_branch).' },
      { name: 'target_url', type: 'string', doc: 'The URL of the repository the pull request targets.' },
      { name: 'source_url', type: 'string', doc: 'The URL of the repository the change comes from (a fork for fork pull requests).' },
      { name: 'body', type: MAP_STRING_DYN, doc: 'The webhook payload as JSON (numbers are doubles).' },
      { name: 'headers', type: MAP_STRING_DYN, doc: "The request headers, keys lower-cased, first value only: headers['x-github-event']." },
      {
        name: 'files', type: MAP_STRING_DYN,
        doc: 'The changed files (fetched from the provider only when the expression uses `files`): `all`, `added`, `deleted`, `modified`, `renamed`.',
        fields: { all: 'list(string)', added: 'list(string)', deleted: 'list(string)', modified: 'list(string)', renamed: 'list(string)' },
      },
    ],
  },
  'kfp-condition': {
    id: 'kfp-condition',
    title: 'Kubeflow Pipelines triggerPolicy.condition',
    libraries: ['kfp'],
    variables: [
      {
        name: 'inputs', type: MAP_STRING_DYN,
        doc: "The task's ExecutorInput.inputs: parameter_values['name'] holds each input parameter (a google.protobuf.Value).",
        fields: {
          parameter_values: 'map(string, dyn)',
          parameters: 'map(string, dyn)',
          artifacts: 'map(string, dyn)',
        },
      },
      {
        name: 'outputs', type: MAP_STRING_DYN,
        doc: "The task's ExecutorInput.outputs (parameters, artifacts, output_file).",
        fields: {
          parameters: 'map(string, dyn)',
          artifacts: 'map(string, dyn)',
          output_file: 'string',
        },
      },
    ],
  },
};

/** Builds a new environment from a spec (use getEnvironment for the shared built-in ones). */
export function createEnvironment(spec: CelEnvironmentSpec): CelEnvironment {
  const cel = new Environment({
    unlistedVariablesAreDyn: false,
    // cel-go infers list(dyn) / map(K, dyn) for mixed literals instead of rejecting them.
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: false,
    limits: { maxAstNodes: 100000, maxDepth: 250, maxListElements: 10000, maxMapEntries: 10000, maxCallArguments: 64 },
  });
  const libraries = new Set(spec.libraries);
  const functions = registerLibraries(cel, libraries);
  const variables = new Map<string, CelVariableDoc>();
  for (const v of spec.variables) {
    cel.registerVariable(v.name, toCelJsType(v.type));
    variables.set(v.name, v);
  }
  const namespaces = new Set(Object.entries(NAMESPACES).filter(([, lib]) => libraries.has(lib)).map(([ns]) => ns));
  return { id: spec.id, title: spec.title, cel, variables, functions, libraries, namespaces };
}

const cache = new Map<CelEnvId, CelEnvironment>();

/** The shared environment for `id` (created on first use). */
export function getEnvironment(id: CelEnvId): CelEnvironment {
  let env = cache.get(id);
  if (!env) {
    const spec = SPECS[id];
    if (!spec) throw new Error(`unknown CEL environment '${id}'`);
    env = createEnvironment(spec);
    cache.set(id, env);
  }
  return env;
}

/** The spec of a built-in environment (to derive variants, e.g. with extra variables for tests). */
export function getEnvironmentSpec(id: CelEnvId): CelEnvironmentSpec {
  const spec = SPECS[id];
  return { ...spec, libraries: [...spec.libraries], variables: [...spec.variables] };
}
