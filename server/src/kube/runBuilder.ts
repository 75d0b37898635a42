/**
 * Builds a PipelineRun or TaskRun from a Pipeline or Task and the user's answers: one per declared param (checked
 * against its type, enum and object properties) and one per declared workspace (emptyDir, an existing PVC, a
 * volumeClaimTemplate of a given size, a ConfigMap or a Secret). The run uses `generateName`, so every submission
 * gets a new name, as `tkn pipeline start` does.
 */
import type { KubeObject } from './tektonApi';

/** The kinds "Submit Run" works on: runs are submitted as they are, Pipelines and Tasks get a run built first. */
const RUNNABLE_KINDS: ReadonlySet<string> = new Set(['Pipeline', 'Task', 'PipelineRun', 'TaskRun']);

/** True for the documents "Submit Run" works on: a Pipeline, Task, PipelineRun or TaskRun of `tekton.dev/*`. */
export function isRunnable(r: { apiVersion?: string; kind?: string }): boolean {
  return !!r.apiVersion?.startsWith('tekton.dev/') && !!r.kind && RUNNABLE_KINDS.has(r.kind);
}

export type ParamType = 'string' | 'array' | 'object';
export type ParamValue = string | string[] | Record<string, string>;

/** A question to ask for one declared param. */
export interface ParamQuestion {
  name: string;
  type: ParamType;
  description?: string;
  default?: ParamValue;
  /** Allowed values (Tekton `enum`, string params). */
  enum?: string[];
  /** Declared keys of an object param. */
  properties?: string[];
  /** True when there is no default: the run fails without a value. */
  required: boolean;
}

/** A question to ask for one declared workspace. */
export interface WorkspaceQuestion {
  name: string;
  description?: string;
  optional: boolean;
  readOnly?: boolean;
}

/** What a Pipeline or Task asks for. */
export interface RunInputs {
  kind: 'Pipeline' | 'Task';
  apiVersion: string;
  name: string;
  namespace?: string;
  params: ParamQuestion[];
  workspaces: WorkspaceQuestion[];
}

/** How to provide one workspace. */
export type WorkspaceAnswer =
  | { type: 'emptyDir' }
  | { type: 'pvc'; claimName: string; subPath?: string }
  | {
      type: 'volumeClaimTemplate';
      size: string;
      storageClassName?: string;
      accessMode?: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany';
    }
  | { type: 'configMap'; name: string }
  | { type: 'secret'; secretName: string }
  /** Leave an optional workspace unbound. */
  | { type: 'none' };

/** Everything the user answered. */
export interface RunAnswers {
  params: Record<string, ParamValue>;
  workspaces: Record<string, WorkspaceAnswer>;
  /**
   * `embed` (default) puts the document's spec in the run (`pipelineSpec`/`taskSpec`), so what runs is what the editor
   * shows; `cluster` references the Pipeline/Task of that name in the cluster (`pipelineRef`/`taskRef`).
   */
  reference?: 'embed' | 'cluster';
  /** Defaults to `<name>-run-`. */
  generateName?: string;
  namespace?: string;
  serviceAccountName?: string;
  labels?: Record<string, string>;
}

/** A problem with an answer. */
export interface AnswerProblem {
  target: 'param' | 'workspace' | 'run';
  name: string;
  message: string;
}

/** The run built from a Pipeline/Task, or the problems that stop it. */
export interface BuiltRun {
  run?: KubeObject;
  problems: AnswerProblem[];
  /**
   * Maps a field of the run to the field of the source document (for placing API errors): with an embedded spec,
   * `spec.pipelineSpec.X` is the Pipeline's `spec.X`; other fields have no place in the source.
   */
  fieldToSource: (field: string) => string | undefined;
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** DNS-1123 label (names of ConfigMaps, Secrets, PVCs are subdomains, which this is a strict subset of). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The params and workspaces a Pipeline or Task declares; undefined for other kinds. */
export function describeRunInputs(resource: KubeObject): RunInputs | undefined {
  if (resource.kind !== 'Pipeline' && resource.kind !== 'Task') return undefined;
  const spec = (resource.spec ?? {}) as Record<string, unknown>;
  const params = arrayOf(spec.params).map((p): ParamQuestion => {
    const def = p.default as ParamValue | undefined;
    const type: ParamType =
      p.type === 'array' || p.type === 'object' || p.type === 'string'
        ? p.type
        : Array.isArray(def)
          ? 'array'
          : def && typeof def === 'object'
            ? 'object'
            : 'string';
    const properties =
      p.properties && typeof p.properties === 'object' ? Object.keys(p.properties as object) : undefined;
    return {
      name: String(p.name ?? ''),
      type,
      description: typeof p.description === 'string' ? p.description : undefined,
      default: def,
      enum: Array.isArray(p.enum) ? p.enum.map(String) : undefined,
      properties,
      required: def === undefined,
    };
  });
  const workspaces = arrayOf(spec.workspaces).map((w) => ({
    name: String(w.name ?? ''),
    description: typeof w.description === 'string' ? w.description : undefined,
    optional: w.optional === true,
    readOnly: w.readOnly === true ? true : undefined,
  }));
  return {
    kind: resource.kind,
    apiVersion: resource.apiVersion ?? 'tekton.dev/v1',
    name: resource.metadata?.name ?? '',
    namespace: resource.metadata?.namespace,
    params: params.filter((p) => p.name),
    workspaces: workspaces.filter((w) => w.name),
  };
}

/**
 * Reads what the user typed for a param. Arrays: a JSON array, or comma-separated values; objects: a JSON object, or
 * `key=value` pairs separated by commas. An empty answer to a param with a default means "use the default".
 */
export function parseParamInput(question: ParamQuestion, text: string): { value?: ParamValue; error?: string } {
  const t = text.trim();
  if (t === '' && question.default !== undefined) return { value: undefined };
  if (question.type === 'string') return checkParam(question, text);
  if (question.type === 'array') {
    if (t.startsWith('[')) {
      try {
        return checkParam(question, JSON.parse(t) as ParamValue);
      } catch {
        return { error: `"${question.name}" expects an array: write a JSON array like ["a", "b"] or a,b` };
      }
    }
    return checkParam(question, t === '' ? [] : t.split(',').map((s) => s.trim()));
  }
  if (t.startsWith('{')) {
    try {
      return checkParam(question, JSON.parse(t) as ParamValue);
    } catch {
      return { error: `"${question.name}" expects an object: write JSON like {"url": "…"} or url=…,revision=…` };
    }
  }
  const obj: Record<string, string> = {};
  for (const part of t.split(',').filter((s) => s.trim())) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `"${question.name}" expects key=value pairs separated by commas` };
    obj[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return checkParam(question, obj);
}

/** Checks a value against a param's type, enum and properties. */
export function checkParam(question: ParamQuestion, value: unknown): { value?: ParamValue; error?: string } {
  const n = `"${question.name}"`;
  switch (question.type) {
    case 'string':
      if (typeof value !== 'string') return { error: `${n} is a string param` };
      if (question.enum?.length && !question.enum.includes(value))
        return { error: `${n} must be one of ${question.enum.map((e) => `"${e}"`).join(', ')}` };
      return { value };
    case 'array':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        return { error: `${n} is an array of strings` };
      return { value: value as string[] };
    case 'object': {
      if (
        !value ||
        typeof value !== 'object' ||
        Array.isArray(value) ||
        Object.values(value).some((v) => typeof v !== 'string')
      )
        return { error: `${n} is an object whose values are strings` };
      const keys = Object.keys(value);
      if (question.properties) {
        const unknown = keys.filter((k) => !question.properties!.includes(k));
        if (unknown.length)
          return {
            error: `${n} has no properties ${unknown.join(', ')} (declared: ${question.properties.join(', ')})`,
          };
        // Tekton requires every declared key when the param has no default
        const missing = question.default === undefined ? question.properties.filter((k) => !keys.includes(k)) : [];
        if (missing.length) return { error: `${n} needs the keys ${missing.join(', ')}` };
      }
      return { value: value as Record<string, string> };
    }
  }
}

/** Checks a workspace answer. */
export function checkWorkspace(question: WorkspaceQuestion, answer: WorkspaceAnswer | undefined): string | undefined {
  const n = `"${question.name}"`;
  if (!answer || answer.type === 'none') return question.optional ? undefined : `workspace ${n} is required`;
  /** The one field each kind of answer has, the form it must take, and what it is called when it does not. */
  const check = (value: string, form: RegExp, what: string) =>
    form.test(value) ? undefined : `workspace ${n}: "${value}" is not ${what}`;
  switch (answer.type) {
    case 'emptyDir':
      return undefined;
    case 'pvc':
      return check(answer.claimName, DNS_SUBDOMAIN, 'a valid PersistentVolumeClaim name');
    case 'volumeClaimTemplate':
      return check(answer.size, QUANTITY, 'a storage size (e.g. 1Gi, 500Mi)');
    case 'configMap':
      return check(answer.name, DNS_SUBDOMAIN, 'a valid ConfigMap name');
    case 'secret':
      return check(answer.secretName, DNS_SUBDOMAIN, 'a valid Secret name');
  }
}

/** Checks all answers against the inputs. */
export function validateAnswers(inputs: RunInputs, answers: RunAnswers): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  for (const q of inputs.params) {
    const v = answers.params[q.name];
    if (v === undefined) {
      if (q.required)
        problems.push({ target: 'param', name: q.name, message: `param "${q.name}" has no default and needs a value` });
      continue;
    }
    const r = checkParam(q, v);
    if (r.error) problems.push({ target: 'param', name: q.name, message: r.error });
  }
  for (const name of Object.keys(answers.params))
    if (!inputs.params.some((p) => p.name === name))
      problems.push({ target: 'param', name, message: `${inputs.kind} "${inputs.name}" declares no param "${name}"` });
  for (const q of inputs.workspaces) {
    const error = checkWorkspace(q, answers.workspaces[q.name]);
    if (error) problems.push({ target: 'workspace', name: q.name, message: error });
  }
  for (const name of Object.keys(answers.workspaces))
    if (!inputs.workspaces.some((w) => w.name === name))
      problems.push({
        target: 'workspace',
        name,
        message: `${inputs.kind} "${inputs.name}" declares no workspace "${name}"`,
      });
  if (answers.generateName !== undefined && !/^[a-z0-9]([-a-z0-9.]*)?$/.test(answers.generateName))
    problems.push({
      target: 'run',
      name: 'generateName',
      message: `"${answers.generateName}" is not a valid name prefix`,
    });
  return problems;
}

/** Builds the run. Returns problems (and no run) when an answer is invalid. */
export function buildRun(resource: KubeObject, answers: RunAnswers): BuiltRun {
  const inputs = describeRunInputs(resource);
  const none = () => undefined;
  if (!inputs)
    return {
      problems: [
        { target: 'run', name: 'kind', message: `Runs are built from a Pipeline or Task, not ${resource.kind}` },
      ],
      fieldToSource: none,
    };
  const problems = validateAnswers(inputs, answers);
  if (problems.length) return { problems, fieldToSource: none };
  const isPipeline = inputs.kind === 'Pipeline';
  const embed = (answers.reference ?? 'embed') === 'embed';
  const specKey = isPipeline ? 'pipelineSpec' : 'taskSpec';
  const spec: Record<string, unknown> = embed
    ? { [specKey]: resource.spec ?? {} }
    : { [isPipeline ? 'pipelineRef' : 'taskRef']: { name: inputs.name } };
  const params = inputs.params
    .filter((q) => answers.params[q.name] !== undefined)
    .map((q) => ({ name: q.name, value: answers.params[q.name] }));
  if (params.length) spec.params = params;
  const workspaces = inputs.workspaces
    .map((q) => workspaceBinding(q.name, answers.workspaces[q.name]))
    .filter((w): w is Record<string, unknown> => !!w);
  if (workspaces.length) spec.workspaces = workspaces;
  if (answers.serviceAccountName) {
    // v1 moved serviceAccountName under taskRunTemplate for PipelineRuns
    if (isPipeline && inputs.apiVersion === 'tekton.dev/v1')
      spec.taskRunTemplate = { serviceAccountName: answers.serviceAccountName };
    else spec.serviceAccountName = answers.serviceAccountName;
  }
  const metadata: Record<string, unknown> = {
    generateName: answers.generateName ?? `${inputs.name || (isPipeline ? 'pipeline' : 'task')}-run-`,
  };
  const namespace = answers.namespace ?? inputs.namespace;
  if (namespace) metadata.namespace = namespace;
  if (answers.labels && Object.keys(answers.labels).length) metadata.labels = { ...answers.labels };
  const run: KubeObject = {
    apiVersion: inputs.apiVersion,
    kind: isPipeline ? 'PipelineRun' : 'TaskRun',
    metadata,
    spec,
  };
  const embedded = `spec.${specKey}`;
  return {
    run,
    problems: [],
    fieldToSource: (field) => {
      const f = field.replace(/^\./, '');
      if (embed && (f === embedded || f.startsWith(`${embedded}.`) || f.startsWith(`${embedded}[`)))
        return `spec${f.slice(embedded.length)}`;
      // a param value of the run answers a param the source declares
      const m = /^spec\.params\[(\d+)\]/.exec(f);
      if (m) {
        const name = params[Number(m[1])]?.name;
        const i = inputs.params.findIndex((p) => p.name === name);
        return i >= 0 ? `spec.params[${i}]` : undefined;
      }
      return undefined;
    },
  };
}

/** A copy of a run to submit again: same spec, fresh metadata (generateName), no status or cancel request. */
export function rerunOf(run: KubeObject): KubeObject {
  const meta = run.metadata ?? {};
  const base = meta.generateName || (meta.name ? `${meta.name}-` : 'run-');
  const labels = Object.fromEntries(Object.entries(meta.labels ?? {}).filter(([k]) => !k.startsWith('tekton.dev/')));
  const spec = { ...(run.spec ?? {}) };
  delete spec.status;
  delete spec.statusMessage;
  return {
    apiVersion: run.apiVersion,
    kind: run.kind,
    metadata: {
      generateName: base,
      namespace: meta.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(meta.annotations ? { annotations: withoutLastApplied(meta.annotations) } : {}),
    },
    spec,
  };
}

function withoutLastApplied(a: Record<string, string>): Record<string, string> {
  const out = { ...a };
  delete out['kubectl.kubernetes.io/last-applied-configuration'];
  return out;
}

function workspaceBinding(name: string, answer: WorkspaceAnswer | undefined): Record<string, unknown> | undefined {
  if (!answer || answer.type === 'none') return undefined;
  switch (answer.type) {
    case 'emptyDir':
      return { name, emptyDir: {} };
    case 'pvc':
      return {
        name,
        persistentVolumeClaim: { claimName: answer.claimName },
        ...(answer.subPath ? { subPath: answer.subPath } : {}),
      };
    case 'volumeClaimTemplate':
      return {
        name,
        volumeClaimTemplate: {
          spec: {
            accessModes: [answer.accessMode ?? 'ReadWriteOnce'],
            resources: { requests: { storage: answer.size } },
            ...(answer.storageClassName ? { storageClassName: answer.storageClassName } : {}),
          },
        },
      };
    case 'configMap':
      return { name, configMap: { name: answer.name } };
    case 'secret':
      return { name, secret: { secretName: answer.secretName } };
  }
}

function arrayOf(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v)
    ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x))
    : [];
}
