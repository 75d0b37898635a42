import { isMap, isSeq, Pair } from 'yaml';
import { keyName } from '../../document/yamlAst';
import { closest, didYouMean } from '../../document/problem';
import { VariableAnalysis } from '../variables/analysis';
import { partOf } from '../variables/expression';
import { addListItems, paramItems, withValueStops } from '../variables/fixes';
import { NameRef, RunModel, SpecModel } from '../specModel';
import { isSubstitution, keyNode, Reporter, stringValue, Where } from './common';
import type { ParamDeclaration, TaskDeclarations } from './declarations';
import { paramDeclarations, workspaceDeclarations } from './declarations';
import { checkPipelineSpec } from './pipeline';
import { checkTaskSpec } from './task';

/** What the run-binding checks need to know about the target. */
export interface RunBindingContext {
  /** Where "missing" problems go (the reference's name, or the inline spec's key). */
  at: Where;
  /** "Pipeline "build"", "the inline taskSpec"... */
  what: string;
  /** Param names the inline spec uses without declaring them (propagated from the run): not unknown. */
  used: Set<string>;
  usedWorkspaces: Set<string>;
  /** The resource text, for the quick fixes that add what is missing. */
  text?: string;
}

/**
 * The params and workspaces of a run against the Pipeline or Task it runs (reconciler checks
 * ValidateRequiredParametersProvided, ValidateParamTypesMatching, ValidateObjectParamRequiredKeys, ValidateEnumParam,
 * ValidateWorkspaceBindings): they fail the run, so they are warnings.
 */
export function checkRunBindings(r: Reporter, run: RunModel, d: TaskDeclarations, c: RunBindingContext): void {
  const declared = new Map(d.params.map((p) => [p.name, p]));
  for (const b of run.params) {
    if (!b.ref) continue;
    const p = declared.get(b.name);
    if (!p) {
      // Tekton Chains reads `CHAINS-GIT_COMMIT`, `CHAINS-GIT_URL`... from a run's params (type hinting for provenance):
      // they are meant for Chains, not for the Pipeline or Task, which ignore extra params.
      if (c.used.has(b.name) || isChainsParam(b.name)) continue;
      const notPassed = d.params.map((x) => x.name).filter((n) => !run.paramMap.has(n));
      warnUndeclared(r, b.ref, 'unknown-param', `${c.what} declares no param "${b.name}"`, notPassed);
      continue;
    }
    if (isSubstitution(b.valueNode)) continue;
    const literal = stringValue(b.valueNode); // substituted before the check (e.g. by a TriggerTemplate)
    if (b.valueType && b.valueType !== p.type) {
      r.warning(
        b.valueNode ?? b.ref,
        'param-type-mismatch',
        `param "${b.name}" is declared as ${p.type} by ${c.what}, but ${passedShape(b)} is passed`,
      );
      continue;
    }
    if (p.type === 'object' && p.properties && isMap(b.valueNode)) {
      const given = new Set(b.valueNode.items.map((x) => keyName(x as Pair)));
      const fromDefault = objectDefault(p) ?? {};
      const missing = p.properties.filter((k) => !given.has(k) && !(k in fromDefault));
      if (missing.length)
        r.warning(
          b.valueNode,
          'object-param-missing-keys',
          `object param "${b.name}" misses key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        );
    }
    if (p.enum?.length && typeof literal === 'string' && !p.enum.includes(literal)) {
      const range = b.valueNode?.range;
      const { fixes } = range ? didYouMean(literal, p.enum, range[0], range[1]) : {};
      r.warning(b.valueNode, 'param-enum', `"${literal}" is not an allowed value of param "${b.name}" (${p.enum.join(', ')})`, fixes);
    }
  }
  // An object param left to a default that lacks keys fails the run (validate_taskrun.go MissingKeysObjectParamNames).
  for (const p of d.params) {
    const fromDefault = objectDefault(p);
    if (p.type !== 'object' || !p.properties || !fromDefault || run.paramMap.has(p.name)) continue;
    const lacking = p.properties.filter((k) => !(k in fromDefault));
    if (lacking.length)
      r.warning(
        c.at,
        'object-param-missing-keys',
        `object param "${p.name}" is left to its default, which lacks key${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}: pass it`,
      );
  }
  const missingParams = d.params.filter((p) => !p.hasDefault && !run.paramMap.has(p.name));
  const missing = missingParams.map((p) => p.name);
  if (missing.length) {
    // as for a pipeline task: pass each, with a value of its type to fill in
    const edit =
      c.text === undefined
        ? undefined
        : withValueStops(addListItems(c.text, run.node, 'params', paramItems(missingParams)));
    r.warning(
      c.at,
      'missing-param',
      `${c.what} requires param${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}: the run does not pass ${missing.length > 1 ? 'them' : 'it'}`,
      edit ? [{ title: `Pass the param${missing.length > 1 ? 's' : ''} ${c.what} requires`, edits: [edit] }] : undefined,
    );
  }
  const wsDeclared = new Set(d.workspaces.map((w) => w.name));
  for (const w of run.workspaces) {
    if (!w.ref || wsDeclared.has(w.name) || c.usedWorkspaces.has(w.name)) continue;
    const notBound = d.workspaces.map((x) => x.name).filter((n) => !run.workspaceMap.has(n));
    warnUndeclared(r, w.ref, 'unknown-workspace', `${c.what} declares no workspace "${w.name}"`, notBound);
  }
  const unbound = d.workspaces.filter((w) => !w.optional && !run.workspaceMap.has(w.name)).map((w) => w.name);
  if (unbound.length) {
    // an emptyDir is the binding that always runs (data lives as long as the run's pods); the user may change it
    const edit = c.text === undefined ? undefined : addListItems(c.text, run.node, 'workspaces', unbound.map((name) => [`name: ${name}`, 'emptyDir: {}']));
    r.warning(
      c.at,
      'missing-workspace',
      `${c.what} needs workspace${unbound.length > 1 ? 's' : ''} ${unbound.map((m) => `"${m}"`).join(', ')}: the run does not bind ${unbound.length > 1 ? 'them' : 'it'}`,
      edit ? [{ title: `Bind the workspace${unbound.length > 1 ? 's' : ''} ${c.what} needs (emptyDir)`, edits: [edit] }] : undefined,
    );
  }
}

/** What a run passes, as Tekton decodes it (valueShape): a list or map of non-strings is read as a string. */
export function passedShape(b: { valueType?: string; valueNode?: unknown }): string {
  if (b.valueType === 'array') return 'an array';
  if (b.valueType === 'object') return 'an object';
  if (isSeq(b.valueNode) || isMap(b.valueNode))
    return `a string (a ${isSeq(b.valueNode) ? 'list' : 'map'} that is not all strings is read as its JSON text, ParamValue.UnmarshalJSON)`;
  return 'a string';
}

/** A run param meant for Tekton Chains (tektoncd/chains docs/config.md, "type hinting": `CHAINS-GIT_*` and the like). */
export function isChainsParam(name: string): boolean {
  return name.startsWith('CHAINS-');
}

/** Warns that a name bound to a target is not one it declares, suggesting the closest of `candidates` with a fix to it. */
function objectDefault(p: ParamDeclaration): Record<string, string> | undefined {
  return p.default && typeof p.default === 'object' && !Array.isArray(p.default) ? p.default : undefined;
}

export function warnUndeclared(r: Reporter, at: NameRef, code: string, message: string, candidates: string[]): void {
  const suggestion = closest(at.name, candidates);
  // Tekton ignores a param nothing declares (upstream's examples/v1/pipelineruns/pipelinerun-with-extra-params.yaml
  // runs so): only near a param that is not passed is it probably a typo that leaves that one unset.
  if (!suggestion) return r.add(at, 'information', code, `${message}: Tekton ignores it`);
  r.warning(at, code, `${message}; did you mean "${suggestion}"?`, [
    { title: `Change to "${suggestion}"`, edits: [{ start: at.start, end: at.end, newText: suggestion }] },
  ]);
}

/** PipelineRun/TaskRun with an inline spec: the spec's own rules, then the run's params and workspaces against it. */
export function checkRun(r: Reporter, text: string, a: VariableAnalysis, m: SpecModel): void {
  const run = m.run;
  if (!run) return;
  // Names used by the inline spec: propagated from the run even when the spec does not declare them.
  const used = new Set<string>();
  const usedWorkspaces = new Set<string>();
  for (const o of a.occurrences) {
    const p = partOf(o.ref, 'param');
    if (p && (o.ref.kind === 'param' || o.ref.kind === 'legacyParam')) used.add(p.text);
    const w = partOf(o.ref, 'workspace');
    if (w && o.ref.kind === 'workspace') usedWorkspaces.add(w.text);
  }
  for (const p of a.model.pipelines)
    for (const t of [...p.tasks, ...p.finally]) for (const w of t.workspaces) if (w.workspace) usedWorkspaces.add(w.workspace.name);
  for (const t of a.model.tasks) for (const w of t.workspaces) usedWorkspaces.add(w.name);
  if (run.pipelineSpec)
    checkPipelineSpec(r, text, a, run.pipelineSpec, { standalone: false, runWorkspaces: new Set(run.workspaces.map((w) => w.name)) });
  else if (run.taskSpec) checkTaskSpec(r, run.taskSpec);
  const spec = run.pipelineSpec ?? run.taskSpec;
  if (!spec) return;
  const key = run.pipelineSpec ? 'pipelineSpec' : 'taskSpec';
  const d: TaskDeclarations = {
    kind: run.pipelineSpec ? 'Pipeline' : 'Task',
    params: paramDeclarations(spec.params),
    results: [],
    workspaces: workspaceDeclarations(spec.workspaces),
  };
  checkRunBindings(r, run, d, { at: keyNode(run.node, key), what: `the inline ${key}`, used, usedWorkspaces, text });
}
