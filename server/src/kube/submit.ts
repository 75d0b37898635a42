/**
 * The submission flow, the same for a run document, a run built from a Pipeline/Task and a simulation's rendered
 * resources: trust check → server-side dry run of every resource (errors placed in the source document) → one
 * confirmation naming context, cluster, namespace and resources → create. Nothing is created unless `confirm`
 * resolves true; the UI (or a test) provides `confirm`.
 */
import { KubeError } from './errors';
import { mapCauses, type MappedCause } from './fieldMapping';
import type { KubeObject, TektonApi } from './tektonApi';

/** One resource to submit. */
export interface SubmitItem {
  object: KubeObject;
  /** The file it came from, so that API errors can be placed in it. */
  source?: {
    text: string;
    /** Index of the YAML document in the file (see fieldMapping.readResources). */
    documentIndex: number;
    /** Rewrites a field of `object` to the document's field (runs built from a Pipeline/Task). */
    fieldToSource?: (field: string) => string | undefined;
  };
}

/** What the confirmation shows. */
export interface SubmitSummary {
  context: string;
  cluster: string;
  server: string;
  user: string;
  /** The context's namespace (each resource names its own). */
  namespace: string;
  resources: {
    apiVersion: string;
    kind: string;
    namespace: string;
    /** metadata.name, when set. */
    name?: string;
    generateName?: string;
    /** The name the server gave in the dry run (with generateName the real create gets another). */
    dryRunName?: string;
  }[];
  /** Things worth knowing before creating (a referenced Pipeline missing from the namespace, …). */
  warnings: string[];
}

/** What the caller provides. */
export interface SubmitHooks {
  /** Workspace trust: submission is refused when false. */
  isTrusted(): boolean;
  /** Asks the user; nothing is created unless this resolves true. */
  confirm(summary: SubmitSummary): Promise<boolean>;
  /** Progress, for a status bar or notification. */
  onStage?(stage: 'dry-run' | 'confirm' | 'create'): void;
  signal?: AbortSignal;
}

export type SubmitResult =
  | { outcome: 'created'; created: KubeObject[]; summary: SubmitSummary }
  | { outcome: 'cancelled'; summary: SubmitSummary }
  | SubmitFailure;

/** Why and where a submission stopped. */
export interface SubmitFailure {
  outcome: 'failed';
  stage: 'check' | 'dry-run' | 'create';
  error: KubeError;
  /** Which item failed. */
  itemIndex?: number;
  /** The error's field causes, placed in the item's source document when it has one. */
  causes?: MappedCause[];
  /** Objects created before the failure (only at the create stage with several items). */
  created: KubeObject[];
  summary?: SubmitSummary;
}

/** Runs the flow. Never throws for API or user errors: they come back as `outcome: 'failed'`. */
export async function submit(api: TektonApi, items: SubmitItem[], hooks: SubmitHooks): Promise<SubmitResult> {
  if (!hooks.isTrusted())
    return failed(
      'check',
      new KubeError('untrusted', 'Submitting runs is disabled in an untrusted workspace: trust the workspace first.'),
    );
  if (items.length === 0) return failed('check', new KubeError('invalid', 'There is nothing to submit.'));
  for (const [i, item] of items.entries()) {
    if (!item.object?.apiVersion || !item.object?.kind)
      return failed('check', new KubeError('invalid', 'The resource has no apiVersion or kind.'), i);
    const meta = item.object.metadata;
    if (!meta?.name && !meta?.generateName)
      return failed(
        'check',
        new KubeError('invalid', `The ${item.object.kind} has neither metadata.name nor metadata.generateName.`, {
          causes: [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }],
        }),
        i,
        item,
      );
  }

  hooks.onStage?.('dry-run');
  const summary: SubmitSummary = {
    context: api.info.contextName,
    cluster: api.info.clusterName,
    server: api.info.server,
    user: api.info.userName,
    namespace: api.namespace,
    resources: [],
    warnings: [],
  };
  for (const [i, item] of items.entries()) {
    try {
      const dry = await api.create(item.object, { dryRun: true, signal: hooks.signal });
      summary.resources.push({
        apiVersion: item.object.apiVersion!,
        kind: item.object.kind!,
        namespace: dry.metadata?.namespace ?? item.object.metadata?.namespace ?? api.namespace,
        name: item.object.metadata?.name,
        generateName: item.object.metadata?.generateName,
        dryRunName: dry.metadata?.name,
      });
      summary.warnings.push(...(await referenceWarnings(api, item.object, hooks.signal)));
    } catch (e) {
      return failed('dry-run', asKubeError(e), i, item);
    }
  }

  hooks.onStage?.('confirm');
  if (!(await hooks.confirm(summary))) return { outcome: 'cancelled', summary };

  hooks.onStage?.('create');
  const created: KubeObject[] = [];
  for (const [i, item] of items.entries()) {
    try {
      created.push(await api.create(item.object, { signal: hooks.signal }));
    } catch (e) {
      return { ...failed('create', asKubeError(e), i, item), created, summary };
    }
  }
  return { outcome: 'created', created, summary };
}

/** One line per resource, for a modal confirmation. */
export function describeSummary(summary: SubmitSummary): string {
  const lines = [
    `Create in context "${summary.context}" (cluster "${summary.cluster}", ${summary.server}) as user "${summary.user}":`,
    ...summary.resources.map(
      (r) => `  ${r.kind} ${r.name ? `"${r.name}"` : `"${r.generateName}…"`} in namespace "${r.namespace}"`,
    ),
  ];
  if (summary.warnings.length) lines.push('', ...summary.warnings.map((w) => `Warning: ${w}`));
  return lines.join('\n');
}

/** The labels Tekton Triggers puts on what an EventListener creates (pkg/resources/create.go). */
export interface TriggerLabels {
  eventListener: string;
  trigger: string;
  eventId: string;
}

/** A resource rendered by the simulation (the shape of the server's RenderedResource). */
export interface SimulatedResource {
  object?: Record<string, unknown>;
  kind?: string;
  name?: string;
  error?: string;
}

/**
 * Submission items from a simulation's rendered resources, with Tekton's trigger labels (added when missing) and,
 * when `namespace` is given, that namespace in place of the rendered one. Resources that did not render are returned
 * as problems.
 */
export function itemsFromSimulation(
  resources: readonly SimulatedResource[],
  labels?: TriggerLabels,
  namespace?: string,
): { items: SubmitItem[]; problems: string[] } {
  const items: SubmitItem[] = [];
  const problems: string[] = [];
  for (const [i, r] of resources.entries()) {
    if (!r.object || r.error) {
      problems.push(`resource ${i + 1}${r.kind ? ` (${r.kind})` : ''} was not rendered: ${r.error ?? 'no object'}`);
      continue;
    }
    const object = structuredClone(r.object) as KubeObject;
    const meta = (object.metadata ??= {});
    meta.labels = { ...(meta.labels ?? {}) };
    if (labels) {
      meta.labels['triggers.tekton.dev/eventlistener'] ??= labels.eventListener;
      meta.labels['triggers.tekton.dev/trigger'] ??= labels.trigger;
      meta.labels['triggers.tekton.dev/triggers-eventid'] ??= labels.eventId;
    }
    if (namespace) meta.namespace = namespace;
    items.push({ object });
  }
  return { items, problems };
}

/** Warns when a run references a Pipeline/Task by name that the namespace does not have (the run would fail). */
async function referenceWarnings(api: TektonApi, obj: KubeObject, signal?: AbortSignal): Promise<string[]> {
  const spec = (obj.spec ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const ref = obj.kind === 'PipelineRun' ? spec.pipelineRef : obj.kind === 'TaskRun' ? spec.taskRef : undefined;
  if (!ref || typeof ref.name !== 'string' || ref.resolver || ref.bundle) return [];
  const kind = obj.kind === 'PipelineRun' ? 'Pipeline' : typeof ref.kind === 'string' ? ref.kind : 'Task';
  if (kind !== 'Pipeline' && kind !== 'Task') return [];
  const namespace = obj.metadata?.namespace || api.namespace;
  try {
    await api.get({ apiVersion: obj.apiVersion!, kind, name: ref.name, namespace }, signal);
    return [];
  } catch (e) {
    return e instanceof KubeError && e.kind === 'not-found'
      ? [
          `${kind} "${ref.name}" does not exist in namespace "${namespace}": the ${obj.kind} will fail until it is applied.`,
        ]
      : [];
  }
}

function asKubeError(e: unknown): KubeError {
  return e instanceof KubeError ? e : new KubeError('server', String((e as Error)?.message ?? e));
}

function failed(
  stage: 'check' | 'dry-run' | 'create',
  error: KubeError,
  itemIndex?: number,
  item?: SubmitItem,
): SubmitFailure {
  const causes = error.causes?.length
    ? item?.source
      ? mapCauses(item.source.text, item.source.documentIndex, error.causes, item.source.fieldToSource)
      : error.causes.map((c) => ({ ...c }))
    : undefined;
  return { outcome: 'failed', stage, error, itemIndex, causes, created: [] };
}
