import { Node, YAMLMap } from 'yaml';
import { getValue } from '../../document/yamlAst';
import { mapItems, nameRef, scalarString, StepModel, TaskSpecModel } from '../specModel';
import { checkParamSpecs, checkResultSpecs, has, hasNearKey, hasVariable, isDns1123Label, keyNode, nonEmpty, Reporter } from './common';

/** pipeline.ReservedResultsSidecarName. */
const RESERVED_SIDECAR = 'tekton-log-results';

/** Fields a step referencing a StepAction may not set (container_validation.go Step.Validate). */
const NOT_WITH_REF = ['image', 'command', 'args', 'script', 'workingDir', 'env', 'volumeMounts', 'results'];

/**
 * The webhook rules of a Task spec (task_validation.go TaskSpec.Validate, container_validation.go Step.Validate):
 * steps, step names, StepAction references, workspaces and their mount paths, volumes, params and results.
 */
export function checkTaskSpec(r: Reporter, t: TaskSpecModel): void {
  const spec = t.node;
  // `steps: []` is rejected by the webhook ("missing field(s): steps") but is the usual stub of a Task being written
  // (and of other suites' fixtures); the schema reports a missing `steps` key.
  const templateImage = nonEmpty(getValue(getValue(spec, 'stepTemplate'), 'image'));
  const names = new Set<string>();
  for (const s of t.steps) {
    checkContainer(r, s, templateImage);
    if (s.ref && s.name && !hasVariable(s.name)) {
      if (names.has(s.name)) r.error(s.ref, 'duplicate-step-name', `step name "${s.name}" is used by another step`);
      names.add(s.name);
    }
    checkResultSpecs(r, s.results, 'step result');
  }
  for (const s of t.sidecars) {
    checkContainer(r, s, false);
    if (s.name === RESERVED_SIDECAR) r.error(s.ref, 'sidecar-name-reserved', `"${RESERVED_SIDECAR}" is reserved for Tekton's results sidecar`);
  }
  checkWorkspaces(r, t);
  const volumes = new Set<string>();
  for (const v of mapItems(getValue(spec, 'volumes'))) {
    const n = nameRef(getValue(v, 'name'));
    if (!n) continue;
    if (volumes.has(n.name)) r.error(n, 'duplicate-volume', `multiple volumes with the same name "${n.name}"`);
    volumes.add(n.name);
  }
  checkParamSpecs(r, t.params, 'task');
  checkResultSpecs(r, t.results, 'result');
}

function checkContainer(r: Reporter, s: StepModel, templateImage: boolean): void {
  const node = s.node;
  const what = s.container === 'step' ? 'step' : 'sidecar';
  // Step.Validate checks the name only when it is set: `name: ""` is accepted (the step runs as step-unnamed-<i>).
  if (s.ref && s.name && !hasVariable(s.name) && !isDns1123Label(s.name) && s.container === 'step')
    r.error(s.ref, 'step-name-invalid', `step name "${s.name}" must be a valid DNS label (lowercase letters, digits and "-", at most 63)`);
  if (s.hasRef) {
    for (const k of NOT_WITH_REF)
      if (has(node, k)) r.error(keyNode(node, k), 'step-ref-conflict', `${k} cannot be used with ref: the StepAction provides it`);
  } else {
    if (s.container === 'step' && has(node, 'params'))
      r.error(keyNode(node, 'params'), 'step-params-without-ref', 'params cannot be used without ref: they are the inputs of a StepAction');
    if (!nonEmpty(getValue(node, 'image')) && !(s.container === 'step' && templateImage) && !hasNearKey(node, 'image'))
      r.error(s.ref ?? ((node.items[0]?.key ?? node) as Node), 'step-image-missing', `${what} has no image`);
    if (nonEmpty(getValue(node, 'script')) && nonEmpty(getValue(node, 'command')))
      r.error(keyNode(node, 'script'), 'script-with-command', 'script cannot be used with command');
  }
  for (const vm of mapItems(getValue(node, 'volumeMounts'))) {
    const mountPath = getValue(vm, 'mountPath');
    const path = scalarString(mountPath);
    if (path && path.startsWith('/tekton/') && !path.startsWith('/tekton/home'))
      r.error(mountPath, 'volume-mount-reserved', `a volumeMount cannot be mounted under /tekton/ (only /tekton/home)`);
    const name = getValue(vm, 'name');
    if (scalarString(name)?.startsWith('tekton-internal-'))
      r.error(name, 'volume-mount-reserved', 'volumeMount names cannot start with "tekton-internal-"');
  }
}

/** filepath.Clean for the mount paths Tekton compares. */
export function cleanPath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(seg);
  }
  const s = (abs ? '/' : '') + out.join('/');
  return s || (abs ? '/' : '.');
}

function checkWorkspaces(r: Reporter, t: TaskSpecModel): void {
  // validateDeclaredWorkspaces: names unique; mount paths unique among workspaces and the steps' volumeMounts.
  const mountPaths = new Set<string>();
  const containers = [...t.steps.map((s) => s.node), getValue(t.node, 'stepTemplate') as YAMLMap | undefined];
  for (const c of containers)
    for (const vm of mapItems(getValue(c, 'volumeMounts'))) {
      const p = scalarString(getValue(vm, 'mountPath'));
      if (p !== undefined) mountPaths.add(cleanPath(p));
    }
  const names = new Set<string>();
  for (const w of t.workspaces) {
    if (!w.ref) continue;
    if (names.has(w.name)) r.error(w.ref, 'duplicate-workspace', `workspace name "${w.name}" must be unique`);
    names.add(w.name);
    const mp = cleanPath(w.mountPath ?? `/workspace/${w.name}`);
    if (!hasVariable(mp) && mountPaths.has(mp))
      r.error(
        w.mountPathNode ?? w.ref,
        'workspace-mount-path-conflict',
        `workspace mount path "${mp}" must be unique (another workspace or a volumeMount uses it)`,
      );
    mountPaths.add(mp);
  }
  // validateWorkspaceUsages: step and sidecar workspaces must be declared by the Task.
  for (const s of [...t.steps, ...t.sidecars])
    for (const w of mapItems(getValue(s.node, 'workspaces'))) {
      const n = nameRef(getValue(w, 'name'));
      if (n && !t.workspaceMap.has(n.name))
        r.error(n, 'unknown-workspace', `undefined workspace "${n.name}": it is not declared in the Task's workspaces`);
    }
}

/** The rules of a StepAction spec (stepaction_validation.go StepActionSpec.Validate). */
export function checkStepActionSpec(r: Reporter, t: TaskSpecModel): void {
  const spec = t.node;
  if (nonEmpty(getValue(spec, 'script')) && nonEmpty(getValue(spec, 'command')))
    r.error(keyNode(spec, 'script'), 'script-with-command', 'script cannot be used with command');
  checkParamSpecs(r, t.params, 'stepaction');
  checkResultSpecs(r, t.results, 'step result');
  // validateVolumeMounts: a StepAction's volumeMount name must be exactly one param reference.
  for (const vm of mapItems(getValue(spec, 'volumeMounts'))) {
    const n = getValue(vm, 'name');
    const s = scalarString(n);
    if (s !== undefined && !/^\$\(params(\.[^.()[\]]+|\['[^']+'\]|\["[^"]+"\])\)$/.test(s))
      r.error(
        n as Node,
        'stepaction-volume-mount-name',
        `a StepAction volumeMount name must be a single param reference, e.g. $(params.volume-name)`,
      );
  }
}
