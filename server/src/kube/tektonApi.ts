/**
 * The Kubernetes REST calls the extension makes, for Tekton runs and the pods behind them: discovery, create (with
 * server-side dry run), get, list, merge patch (cancel), delete, watch streams and pod logs. Paths and verbs follow the
 * Kubernetes API conventions; every failure is a KubeError with a message the user can act on.
 */
import type { IncomingMessage } from 'node:http';
import { stringify } from 'yaml';
import { KubeError, type RequestTarget } from './errors';
import type { KubeContextInfo, ResolvedContext } from './kubeconfig';
import { KubeTransport, type TransportOptions } from './transport';

export const TEKTON_GROUP = 'tekton.dev';

/** Object metadata, as far as the extension reads it. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [key: string]: unknown;
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A list answer. */
export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

/** A resource type found by discovery. */
export interface ApiResource {
  group: string;
  version: string;
  /** Plural name used in paths (`pipelineruns`). */
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** What discovery says about Tekton Pipelines in the cluster. */
export interface TektonDiscovery {
  /** Served versions of tekton.dev, e.g. `['v1', 'v1beta1']`. */
  versions: string[];
  preferredVersion: string;
}

/** A reference to one namespaced object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Options of a watch request. */
export interface WatchOptions {
  namespace?: string;
  /** Start after this version (from a list or the last event). */
  resourceVersion?: string;
  labelSelector?: string;
  /** Ask the server to close the stream after this long (it does, with a clean end). */
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  signal?: AbortSignal;
}

/** Options of a pod log request. */
export interface PodLogOptions {
  follow?: boolean;
  /** Prefix each line with an RFC 3339 nano timestamp (used to resume without repeating lines). */
  timestamps?: boolean;
  /** Only lines at or after this RFC 3339 time. */
  sinceTime?: string;
  signal?: AbortSignal;
}

/** Splits `group/version` (or `v1`) into its parts. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The Kubernetes API of one context, for Tekton runs. */
export class TektonApi {
  readonly transport: KubeTransport;
  private tekton: Promise<TektonDiscovery> | undefined;
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();

  constructor(
    readonly context: ResolvedContext,
    options: TransportOptions = {},
  ) {
    this.transport = new KubeTransport(context, options);
  }

  /** The context (name, cluster, server, user, namespace) this API talks to. */
  get info(): KubeContextInfo {
    return this.context.info;
  }

  /** The namespace requests go to when none is given. */
  get namespace(): string {
    return this.context.info.namespace;
  }

  /**
   * Checks that Tekton Pipelines is installed (the tekton.dev group is served). Throws KubeError `not-installed` when it
   * is not, and `unreachable`/`unauthorized`/… when the cluster cannot be asked. Cached after the first success.
   */
  checkTekton(signal?: AbortSignal): Promise<TektonDiscovery> {
    if (!this.tekton) {
      this.tekton = this.transport
        .json<{ versions?: { version: string }[]; preferredVersion?: { version: string } }>({
          method: 'GET',
          path: `/apis/${TEKTON_GROUP}`,
          target: { verb: 'get', group: TEKTON_GROUP },
          signal,
        })
        .then((g) => {
          const versions = (g.versions ?? []).map((v) => v.version);
          if (versions.length === 0) throw notInstalled();
          return { versions, preferredVersion: g.preferredVersion?.version ?? versions[0] };
        });
      this.tekton.catch(() => (this.tekton = undefined));
    }
    return this.tekton;
  }

  /** Finds the plural name and scope of a kind through discovery (cached per group/version). */
  async resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ApiResource> {
    const { group, version } = splitApiVersion(apiVersion);
    if (group === TEKTON_GROUP) {
      const tekton = await this.checkTekton(signal);
      if (!tekton.versions.includes(version))
        throw new KubeError(
          'not-installed',
          `Tekton Pipelines in this cluster serves ${tekton.versions.map((v) => `${TEKTON_GROUP}/${v}`).join(', ')}, not ${apiVersion}. Change the document's apiVersion or upgrade Tekton Pipelines.`,
          { server: this.info.server },
        );
    }
    let resources = this.discovery.get(apiVersion);
    if (!resources) {
      resources = this.transport
        .json<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>({
          method: 'GET',
          path: group ? `/apis/${group}/${version}` : `/api/${version}`,
          target: { verb: 'get', group },
          signal,
        })
        .then((list) =>
          (list.resources ?? [])
            .filter((r) => !r.name.includes('/'))
            .map((r) => ({ group, version, plural: r.name, kind: r.kind, namespaced: r.namespaced })),
        );
      this.discovery.set(apiVersion, resources);
      resources.catch(() => this.discovery.delete(apiVersion));
    }
    let found: ApiResource | undefined;
    try {
      found = (await resources).find((r) => r.kind === kind);
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'not-found')
        throw new KubeError(
          'not-found',
          `The API ${apiVersion} is not served by this cluster (is its operator installed?).`,
          {
            server: this.info.server,
            status: 404,
          },
        );
      throw e;
    }
    if (!found)
      throw group === TEKTON_GROUP
        ? new KubeError('not-installed', `This cluster's Tekton does not serve ${kind} in ${apiVersion}.`, {
            server: this.info.server,
          })
        : new KubeError('not-found', `The cluster does not serve the kind ${kind} in ${apiVersion}.`, {
            server: this.info.server,
          });
    return found;
  }

  /** Creates an object; with `dryRun` the server validates, defaults and names it without storing it. */
  async create<T extends KubeObject>(
    obj: T,
    options: { dryRun?: boolean; namespace?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const { apiVersion, kind } = requireType(obj);
    const res = await this.resource(apiVersion, kind, options.signal);
    const namespace = obj.metadata?.namespace || options.namespace || this.namespace;
    const body = res.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj;
    return this.transport.json<T>({
      method: 'POST',
      path: collectionPath(res, namespace),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: 'tekton-authoring' },
      body,
      target: target(res, 'create', namespace, obj.metadata?.name),
      signal: options.signal,
    });
  }

  /** Reads one object. */
  async get<T extends KubeObject = KubeObject>(ref: ObjectRef, signal?: AbortSignal): Promise<T> {
    const res = await this.resource(ref.apiVersion, ref.kind, signal);
    const namespace = ref.namespace || this.namespace;
    return this.transport.json<T>({
      method: 'GET',
      path: objectPath(res, namespace, ref.name),
      target: target(res, 'get', namespace, ref.name),
      signal,
    });
  }

  /** Lists objects of a kind in a namespace. */
  async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: {
      namespace?: string;
      labelSelector?: string;
      limit?: number;
      continueToken?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<KubeList<T>> {
    const res = await this.resource(apiVersion, kind, options.signal);
    const namespace = options.namespace || this.namespace;
    const list = await this.transport.json<KubeList<T>>({
      method: 'GET',
      path: collectionPath(res, namespace),
      query: { labelSelector: options.labelSelector, limit: options.limit, continue: options.continueToken },
      target: target(res, 'list', namespace),
      signal: options.signal,
    });
    // list items carry no apiVersion/kind on the wire
    for (const item of list.items ?? []) {
      item.apiVersion ??= apiVersion;
      item.kind ??= kind;
    }
    return { items: list.items ?? [], metadata: list.metadata ?? {} };
  }

  /** Applies a JSON merge patch (RFC 7386), the patch type every custom resource accepts. */
  async patch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    options: { dryRun?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const res = await this.resource(ref.apiVersion, ref.kind, options.signal);
    const namespace = ref.namespace || this.namespace;
    return this.transport.json<T>({
      method: 'PATCH',
      path: objectPath(res, namespace, ref.name),
      query: { dryRun: options.dryRun ? 'All' : undefined, fieldManager: 'tekton-authoring' },
      body: patch,
      contentType: 'application/merge-patch+json',
      target: target(res, 'patch', namespace, ref.name),
      signal: options.signal,
    });
  }

  /** Deletes an object (its dependents go with it: propagationPolicy Background). */
  async delete(ref: ObjectRef, signal?: AbortSignal): Promise<void> {
    const res = await this.resource(ref.apiVersion, ref.kind, signal);
    const namespace = ref.namespace || this.namespace;
    await this.transport.json({
      method: 'DELETE',
      path: objectPath(res, namespace, ref.name),
      query: { propagationPolicy: 'Background' },
      target: target(res, 'delete', namespace, ref.name),
      signal,
    });
  }

  /**
   * Cancels a run the way Tekton defines it: `spec.status: Cancelled` on a PipelineRun, `spec.status: TaskRunCancelled`
   * on a TaskRun. The controller then stops the pods and sets the Succeeded condition to False.
   */
  cancel(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject> {
    const status = ref.kind === 'TaskRun' ? 'TaskRunCancelled' : ref.kind === 'PipelineRun' ? 'Cancelled' : undefined;
    if (!status) throw new KubeError('invalid', `Only PipelineRuns and TaskRuns can be cancelled, not ${ref.kind}.`);
    return this.patch(ref, { spec: { status } }, { signal });
  }

  /**
   * The live object as YAML, for a read-only editor: what the cluster holds now, with status, minus
   * `metadata.managedFields` (server-side bookkeeping nobody reads).
   */
  async liveYaml(ref: ObjectRef, signal?: AbortSignal): Promise<string> {
    const obj = await this.get(ref, signal);
    const metadata = { ...(obj.metadata ?? {}) };
    delete metadata.managedFields;
    return stringify(
      { ...obj, apiVersion: obj.apiVersion ?? ref.apiVersion, kind: obj.kind ?? ref.kind, metadata },
      { lineWidth: 0 },
    );
  }

  /** Opens a watch stream (newline-delimited JSON events). Close it by aborting `options.signal`. */
  async watch(apiVersion: string, kind: string, options: WatchOptions = {}): Promise<IncomingMessage> {
    const res = await this.resource(apiVersion, kind, options.signal);
    const namespace = options.namespace || this.namespace;
    return this.transport.stream({
      method: 'GET',
      path: collectionPath(res, namespace),
      query: {
        watch: 'true',
        resourceVersion: options.resourceVersion,
        labelSelector: options.labelSelector,
        allowWatchBookmarks: options.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: options.timeoutSeconds,
      },
      target: target(res, 'watch', namespace),
      signal: options.signal,
    });
  }

  /** Opens a pod container's log. With `follow` the stream stays open while the container runs. */
  podLog(namespace: string, pod: string, container: string, options: PodLogOptions = {}): Promise<IncomingMessage> {
    return this.transport.stream({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: {
        container,
        follow: options.follow ? 'true' : undefined,
        timestamps: options.timestamps ? 'true' : undefined,
        sinceTime: options.sinceTime,
      },
      target: { verb: 'get', resource: 'pods/log', group: '', namespace, name: pod, kind: 'Pod' },
      signal: options.signal,
    });
  }
}

function notInstalled(): KubeError {
  return new KubeError(
    'not-installed',
    'Tekton Pipelines is not installed in this cluster (the API group tekton.dev is not served).',
  );
}

function requireType(obj: KubeObject): { apiVersion: string; kind: string } {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !obj.apiVersion || !obj.kind)
    throw new KubeError('invalid', 'The resource has no apiVersion or kind.', {
      causes: [{ field: 'kind', message: 'apiVersion and kind are required' }],
    });
  return { apiVersion: obj.apiVersion, kind: obj.kind };
}

function prefix(res: ApiResource): string {
  return res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
}

function collectionPath(res: ApiResource, namespace: string): string {
  return res.namespaced
    ? `${prefix(res)}/namespaces/${encodeURIComponent(namespace)}/${res.plural}`
    : `${prefix(res)}/${res.plural}`;
}

function objectPath(res: ApiResource, namespace: string, name: string): string {
  return `${collectionPath(res, namespace)}/${encodeURIComponent(name)}`;
}

function target(res: ApiResource, verb: RequestTarget['verb'], namespace: string, name?: string): RequestTarget {
  return {
    verb,
    resource: res.plural,
    group: res.group,
    namespace: res.namespaced ? namespace : undefined,
    name,
    kind: res.kind,
  };
}
