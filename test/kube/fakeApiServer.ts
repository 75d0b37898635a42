/**
 * TEST DOUBLE — NOT A KUBERNETES API SERVER. No real API server can be installed on the machines this project is
 * tested on, so the client's kube module is driven against this local HTTPS server, which answers the REST calls the
 * client makes the way kube-apiserver does (paths, verbs, status codes, `Status` bodies, watch framing).
 *
 * What it follows:
 * - HTTPS with a CA the tests generate; authentication by client certificate (CN = user name, verified against the
 *   CA) or bearer token; anything else is 401 Unauthorized.
 * - RBAC denials configured per user/verb/resource → 403 Forbidden with the API server's message and details.
 * - Discovery: /api, /api/v1, /apis, /apis/tekton.dev, /apis/tekton.dev/<version>; with Tekton "not installed" the
 *   tekton.dev paths are 404 NotFound with empty details, as for any unserved group.
 * - tekton.dev pipelineruns, taskruns, pipelines, tasks and core pods (namespaced): create (with generateName, and
 *   dryRun=All, which validates and names but stores nothing), get, list (labelSelector, list resourceVersion),
 *   merge patch (application/merge-patch+json, with metadata.resourceVersion preconditions → 409 Conflict), delete.
 *   409 AlreadyExists; 422 Invalid with details.causes from validators the tests register; 400 admission webhook
 *   denials worded like Tekton's.
 * - Watch (watch=true): resourceVersion resume (events after it are replayed), ADDED/MODIFIED/DELETED, BOOKMARK with
 *   allowWatchBookmarks, an ERROR event with a 410 Expired Status for a compacted resourceVersion, timeoutSeconds, and
 *   connections the tests can drop mid-stream.
 * - The service proxy `/api/v1/namespaces/{ns}/services/{name[:port]}/proxy/…` for Services a test registers
 *   (`proxyService`), forwarded over HTTP to another double (e.g. fakeKfpServer.ts); RBAC on `services/proxy`, 503
 *   "no endpoints available" for an unknown Service.
 * - pods/log: container, timestamps (RFC 3339 nano, trailing zeros trimmed as Go does), sinceTime (second
 *   precision), follow=true streaming until the container terminates; 400 "waiting to start" and 404 as kubelet and
 *   the API server answer.
 *
 * What it does not cover: admission beyond the registered validators (no OpenAPI schema validation, no defaulting, no
 * Tekton controller: tests set statuses themselves), strategic-merge and JSON patch (415), apply (server-side apply),
 * PUT/update, status and other subresources except pods/log, deletecollection, field selectors, set-based label
 * selectors (`in`, `notin`), pagination (`limit` is ignored and `continue` never returned), protobuf, HTTP/2,
 * impersonation, aggregated discovery, exec/attach/port-forward, watch-cache semantics such as
 * DELETED events for objects leaving a label selector, namespaces as objects, finalizers and garbage collection.
 */
import { closeServer, listenOnLoopback, withBody } from './loopback';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';

type Obj = Record<string, any>;

/** A resource the double serves. */
interface ResourceDef {
  group: string;
  plural: string;
  kind: string;
  singular: string;
  /** Tekton CRDs have a status subresource: status in create/patch bodies is ignored. */
  statusSubresource: boolean;
}

const TEKTON: ResourceDef[] = [
  {
    group: 'tekton.dev',
    plural: 'pipelineruns',
    kind: 'PipelineRun',
    singular: 'pipelinerun',
    statusSubresource: true,
  },
  { group: 'tekton.dev', plural: 'taskruns', kind: 'TaskRun', singular: 'taskrun', statusSubresource: true },
  { group: 'tekton.dev', plural: 'pipelines', kind: 'Pipeline', singular: 'pipeline', statusSubresource: false },
  { group: 'tekton.dev', plural: 'tasks', kind: 'Task', singular: 'task', statusSubresource: false },
];
const CORE: ResourceDef[] = [{ group: '', plural: 'pods', kind: 'Pod', singular: 'pod', statusSubresource: true }];

/** A request as the double saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Authenticated user, if any. */
  user?: string;
  /** How the user authenticated. */
  auth?: 'token' | 'certificate';
  verb?: string;
  resource?: string;
  dryRun: boolean;
  body?: unknown;
  status: number;
}

/** A field problem a validator reports (becomes a 422 cause). */
export interface TestCause {
  field: string;
  message: string;
  reason?: string;
}

/** Options of the double. */
export interface FakeApiServerOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA that client certificates must chain to. */
  ca: string | Buffer;
  /** Bearer token → user name. */
  tokens?: Record<string, string>;
  /** Served tekton.dev versions; [] means Tekton is not installed. Default ['v1', 'v1beta1']. */
  tektonVersions?: string[];
}

interface Watcher {
  def: ResourceDef;
  namespace: string;
  selector?: string;
  bookmarks: boolean;
  res: ServerResponse;
}

interface LogLine {
  ts: string;
  text: string;
}

/** An in-process HTTPS server that speaks enough of the Kubernetes REST API for the client's kube module. */
export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: https.Server;
  private readonly store = new Map<string, Obj>();
  private readonly history: { rv: number; key: string; type: string; object: Obj }[] = [];
  private rv = 100;
  /** Watches from a resourceVersion below this get 410 Gone. */
  private compactedRv = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly logs = new Map<string, LogLine[]>();
  private readonly logFollowers = new Map<string, Set<{ res: ServerResponse; timestamps: boolean }>>();
  private readonly denials: { user?: string; verb: string; resource: string }[] = [];
  private readonly validators = new Map<string, (obj: Obj) => TestCause[]>();
  private readonly webhooks = new Map<string, (obj: Obj) => string | undefined>();
  private logClock = Date.parse('2025-01-01T10:00:00Z');
  private readonly proxies = new Map<string, string>();
  tektonVersions: string[];
  url = '';

  constructor(private readonly options: FakeApiServerOptions) {
    this.tektonVersions = options.tektonVersions ?? ['v1', 'v1beta1'];
    this.server = https.createServer(
      { key: options.key, cert: options.cert, ca: options.ca, requestCert: true, rejectUnauthorized: false },
      withBody((req, res, body) => this.handle(req, res, body)),
    );
  }

  /** Listens on 127.0.0.1 (a free port); resolves with the server URL. */
  async start(): Promise<string> {
    this.url = await listenOnLoopback(this.server, 'https');
    return this.url;
  }

  async close(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    await closeServer(this.server);
  }

  // ---- test controls -------------------------------------------------------------------------------------------

  /** Denies `verb` on `resource` (plural, or `pods/log`) to `user` (or everyone); returns the undo. */
  deny(verb: string, resource: string, user?: string): () => void {
    const rule = { verb, resource, user };
    this.denials.push(rule);
    return () => void this.denials.splice(this.denials.indexOf(rule), 1);
  }

  /**
   * Makes `/api/v1/namespaces/{namespace}/services/{service}/proxy/…` forward to `targetUrl` (plain HTTP), as the API
   * server proxies to a Service's endpoints; without one the proxy answers 503 "no endpoints available".
   */
  proxyService(namespace: string, service: string, targetUrl: string): void {
    this.proxies.set(`${namespace}/${service}`, targetUrl);
  }

  /** Registers field validation for a kind: returned causes make create answer 422 Invalid. */
  validate(kind: string, fn: (obj: Obj) => TestCause[]): void {
    this.validators.set(kind, fn);
  }

  /** Registers an admission webhook for a kind: a returned message makes create answer 400 as Tekton's webhook does. */
  webhook(kind: string, fn: (obj: Obj) => string | undefined): void {
    this.webhooks.set(kind, fn);
  }

  /** Stores (creates or replaces) an object as a controller would, emitting ADDED or MODIFIED. */
  put(obj: Obj): Obj {
    const def = this.defOf(obj.kind);
    const ns = obj.metadata?.namespace ?? 'default';
    const key = keyOf(def, ns, obj.metadata.name);
    const old = this.store.get(key);
    const stored = clone(obj);
    stored.metadata = {
      ...stored.metadata,
      namespace: ns,
      uid: old?.metadata?.uid ?? stored.metadata.uid ?? randomUUID(),
    };
    stored.metadata.creationTimestamp ??= old?.metadata?.creationTimestamp ?? nowSeconds();
    stored.apiVersion ??= def.group ? `${def.group}/v1` : 'v1';
    this.commit(key, old ? 'MODIFIED' : 'ADDED', stored);
    return clone(stored);
  }

  /** Reads a stored object. */
  get(kind: string, name: string, namespace = 'default'): Obj | undefined {
    const o = this.store.get(keyOf(this.defOf(kind), namespace, name));
    return o && clone(o);
  }

  /** All stored objects of a kind. */
  all(kind: string, namespace = 'default'): Obj[] {
    const def = this.defOf(kind);
    return [...this.store.entries()]
      .filter(([k]) => k.startsWith(`${def.plural}/${namespace}/`))
      .map(([, o]) => clone(o));
  }

  /** Changes a stored object (status updates of the pretend controller), emitting MODIFIED. */
  update(kind: string, name: string, mutate: (obj: Obj) => void, namespace = 'default'): Obj {
    const def = this.defOf(kind);
    const key = keyOf(def, namespace, name);
    const old = this.store.get(key);
    if (!old) throw new Error(`no ${kind} ${namespace}/${name}`);
    const next = clone(old);
    mutate(next);
    this.commit(key, 'MODIFIED', next);
    if (kind === 'Pod') this.endFinishedLogFollowers(namespace, name, next);
    return clone(next);
  }

  /** Deletes a stored object, emitting DELETED. */
  remove(kind: string, name: string, namespace = 'default'): void {
    const def = this.defOf(kind);
    const key = keyOf(def, namespace, name);
    const old = this.store.get(key);
    if (!old) return;
    this.store.delete(key);
    this.rv++;
    const object = { ...clone(old), metadata: { ...old.metadata, resourceVersion: String(this.rv) } };
    this.history.push({ rv: this.rv, key, type: 'DELETED', object });
    this.broadcast(def, namespace, 'DELETED', object);
  }

  /** The current resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Forgets the event history up to now: watches resuming from an older resourceVersion get 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Cuts every open watch connection mid-stream (no clean end), as a dropped network or a restarted server would. */
  dropWatches(): number {
    const n = this.watchers.size;
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.res.socket?.destroy();
    }
    return n;
  }

  /** Number of open watch connections. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** Sends a BOOKMARK with the current resourceVersion to watches that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const { kind, group } = w.def;
      w.res.write(
        JSON.stringify({
          type: 'BOOKMARK',
          object: { kind, apiVersion: group ? `${group}/v1` : 'v1', metadata: { resourceVersion: String(this.rv) } },
        }) + '\n',
      );
    }
  }

  /** Appends a line to a container's log (followers get it at once). Timestamps advance 250 ms per line. */
  appendLog(pod: string, container: string, text: string, namespace = 'default'): void {
    this.logClock += 250;
    const line = { ts: goRfc3339Nano(this.logClock), text };
    const key = `${namespace}/${pod}/${container}`;
    (this.logs.get(key) ?? this.logs.set(key, []).get(key)!).push(line);
    for (const f of this.logFollowers.get(key) ?? []) f.res.write(formatLog(line, f.timestamps));
  }

  /** Cuts every open log stream mid-way. */
  dropLogStreams(): void {
    for (const set of this.logFollowers.values()) for (const f of set) f.res.socket?.destroy();
    this.logFollowers.clear();
  }

  /** Creates/dry-run-creates were made: only the ones that stored something. */
  get creates(): RecordedRequest[] {
    return this.requests.filter((r) => r.verb === 'create' && !r.dryRun && r.status < 300);
  }

  // ---- protocol --------------------------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'https://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      dryRun: query.dryRun === 'All',
      status: 0,
    };
    this.requests.push(rec);
    const send = (status: number, obj: unknown) => {
      rec.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    const fail = (code: number, reason: string, message: string, details: Obj = {}) =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });

    // authentication
    const socket = req.socket as TLSSocket;
    const cert = socket.getPeerCertificate?.();
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (socket.authorized && cert?.subject?.CN) {
      rec.user = String(cert.subject.CN);
      rec.auth = 'certificate';
    } else if (bearer && this.options.tokens?.[bearer]) {
      rec.user = this.options.tokens[bearer];
      rec.auth = 'token';
    } else return fail(401, 'Unauthorized', 'Unauthorized');

    if (req.method !== 'GET' && body) {
      try {
        rec.body = JSON.parse(body);
      } catch {
        return fail(400, 'BadRequest', 'the body of the request was in an unknown format');
      }
    }

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // service proxy: /api/v1/namespaces/{ns}/services/{name[:port]}/proxy/{path}
    if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'namespaces' && parts[4] === 'services' && parts[6] === 'proxy')
      return this.proxy(req, res, rec, parts[3], parts[5], url, body, fail);
    // discovery (allowed to every authenticated user, as the system:discovery role does)
    if (req.method === 'GET') {
      const d = this.discovery(parts);
      if (d === 'not-found') return fail(404, 'NotFound', 'the server could not find the requested resource');
      if (d) return send(200, d);
    }

    // /api/v1/namespaces/{ns}/{plural}[/{name}[/{sub}]] and /apis/{group}/{version}/namespaces/…
    let group = '';
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') {
      version = 'v1';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else return fail(404, 'NotFound', 'the server could not find the requested resource');
    const served = group === 'tekton.dev' ? this.tektonVersions.includes(version) : group === '' && version === 'v1';
    const def = served ? [...TEKTON, ...CORE].find((d) => d.group === group && d.plural === rest[2]) : undefined;
    if (rest[0] !== 'namespaces' || !rest[1] || !def || rest.length > 5)
      return fail(404, 'NotFound', 'the server could not find the requested resource');
    const namespace = rest[1];
    const name = rest[3];
    const sub = rest[4];
    if (sub && !(def.plural === 'pods' && sub === 'log'))
      return fail(404, 'NotFound', 'the server could not find the requested resource');
    const verb = verbOf(req.method ?? 'GET', name, query);
    const resource = sub ? `${def.plural}/${sub}` : def.plural;
    rec.verb = verb;
    rec.resource = resource;

    // authorization
    if (this.denials.some((d) => d.verb === verb && d.resource === resource && (!d.user || d.user === rec.user))) {
      const res2 = def.group ? `${resource}.${def.group}` : resource;
      const what = name ? `${res2} "${name}"` : res2;
      return fail(
        403,
        'Forbidden',
        `${what} is forbidden: User "${rec.user}" cannot ${verb} resource "${def.plural}"${sub ? ` subresource "${sub}"` : ''} in API group "${def.group}" in the namespace "${namespace}"`,
        { ...(name ? { name } : {}), group: def.group, kind: def.plural },
      );
    }
    if (query.dryRun !== undefined && query.dryRun !== 'All')
      return fail(400, 'BadRequest', `Invalid dry run value: "${query.dryRun}"`);

    const notFound = () =>
      fail(404, 'NotFound', `${qualified(def)} "${name}" not found`, { name, group: def.group, kind: def.plural });
    const key = name ? keyOf(def, namespace, name) : '';
    switch (verb) {
      case 'get': {
        if (sub === 'log') return this.podLog(namespace, name, query, res, rec, fail);
        const o = this.store.get(key);
        return o ? send(200, o) : notFound();
      }
      case 'list': {
        const items = [...this.store.entries()]
          .filter(([k, o]) => k.startsWith(`${def.plural}/${namespace}/`) && matches(o, query.labelSelector))
          .map(([, o]) => o);
        return send(200, {
          kind: `${def.kind}List`,
          apiVersion: def.group ? `${def.group}/${version}` : 'v1',
          metadata: { resourceVersion: String(this.rv) },
          items,
        });
      }
      case 'watch':
        return this.watch(def, namespace, query, res, rec);
      case 'create':
        return this.create(def, version, namespace, rec, send, fail);
      case 'patch': {
        const o = this.store.get(key);
        if (!o) return notFound();
        const type = String(req.headers['content-type'] ?? '').split(';')[0];
        if (type !== 'application/merge-patch+json')
          return fail(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
          );
        const patch = (rec.body ?? {}) as Obj;
        const precondition = patch.metadata?.resourceVersion;
        if (precondition !== undefined && precondition !== o.metadata.resourceVersion)
          return fail(
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
            {
              name,
              group: def.group,
              kind: def.plural,
            },
          );
        const next = mergePatch(clone(o), patch) as Obj;
        if (def.statusSubresource) next.status = o.status;
        next.metadata = {
          ...next.metadata,
          name,
          namespace,
          uid: o.metadata.uid,
          creationTimestamp: o.metadata.creationTimestamp,
        };
        if (rec.dryRun) return send(200, next);
        this.commit(key, 'MODIFIED', next);
        return send(200, next);
      }
      case 'delete': {
        const o = this.store.get(key);
        if (!o) return notFound();
        if (!rec.dryRun) this.remove(def.kind, name, namespace);
        return send(200, o);
      }
      default:
        return fail(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
  }

  /**
   * The service proxy (RBAC: the request's verb on `services/proxy`). The caller's Authorization header is not passed
   * on (the API server authenticates the caller itself; whether a real one forwards it is not modelled); the answer's
   * status and body are passed back as they are.
   */
  private proxy(
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
    namespace: string,
    service: string,
    url: URL,
    body: string,
    fail: (code: number, reason: string, message: string, details?: Obj) => void,
  ): void {
    const verb = ({ GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Obj)[req.method ?? 'GET'] ?? 'get';
    rec.verb = verb;
    rec.resource = 'services/proxy';
    if (this.denials.some((d) => d.verb === verb && d.resource === 'services/proxy' && (!d.user || d.user === rec.user)))
      return fail(
        403,
        'Forbidden',
        `services "${service}" is forbidden: User "${rec.user}" cannot ${verb} resource "services/proxy" in API group "" in the namespace "${namespace}"`,
        { name: service, kind: 'services' },
      );
    const target = this.proxies.get(`${namespace}/${service}`);
    if (!target) return fail(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);
    const rest = url.pathname.split('/').slice(8).join('/');
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
    const forward = http.request(`${target}/${rest}${url.search}`, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        rec.status = answer.statusCode ?? 502;
        res.writeHead(rec.status, { 'Content-Type': answer.headers['content-type'] ?? 'application/json' });
        res.end(Buffer.concat(chunks));
      });
    });
    forward.on('error', (e) => fail(503, 'ServiceUnavailable', `error trying to reach service: ${e.message}`));
    forward.end(req.method === 'GET' ? undefined : body);
  }

  private discovery(parts: string[]): Obj | 'not-found' | undefined {
    const p = parts.join('/');
    const resourceList = (gv: string, defs: ResourceDef[]) => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: defs.flatMap((d) => [
        {
          name: d.plural,
          singularName: d.singular,
          namespaced: true,
          kind: d.kind,
          verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        },
        ...(d.statusSubresource
          ? [
              {
                name: `${d.plural}/status`,
                singularName: '',
                namespaced: true,
                kind: d.kind,
                verbs: ['get', 'patch', 'update'],
              },
            ]
          : []),
        ...(d.plural === 'pods'
          ? [{ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }]
          : []),
      ]),
    });
    const tektonGroup = () => ({
      name: 'tekton.dev',
      versions: this.tektonVersions.map((v) => ({ groupVersion: `tekton.dev/${v}`, version: v })),
      preferredVersion: { groupVersion: `tekton.dev/${this.tektonVersions[0]}`, version: this.tektonVersions[0] },
    });
    if (p === 'api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (p === 'api/v1') return resourceList('v1', CORE);
    if (p === 'apis')
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.tektonVersions.length ? [tektonGroup()] : [] };
    if (parts[0] === 'apis' && parts.length === 2)
      return parts[1] === 'tekton.dev' && this.tektonVersions.length
        ? { kind: 'APIGroup', apiVersion: 'v1', ...tektonGroup() }
        : 'not-found';
    if (parts[0] === 'apis' && parts.length === 3)
      return parts[1] === 'tekton.dev' && this.tektonVersions.includes(parts[2])
        ? resourceList(`tekton.dev/${parts[2]}`, TEKTON)
        : 'not-found';
    return undefined;
  }

  private create(
    def: ResourceDef,
    version: string,
    namespace: string,
    rec: RecordedRequest,
    send: (status: number, obj: unknown) => void,
    fail: (code: number, reason: string, message: string, details?: Obj) => void,
  ): void {
    const obj = clone((rec.body ?? {}) as Obj);
    if (obj.kind !== def.kind)
      return fail(
        400,
        'BadRequest',
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${def.group ? `${def.group}/${version}` : 'v1'})`,
      );
    obj.metadata ??= {};
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace)
      return fail(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomSuffix();
    const causes: TestCause[] = [];
    if (!obj.metadata.name)
      causes.push({
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
        reason: 'FieldValueRequired',
      });
    causes.push(...(this.validators.get(def.kind)?.(obj) ?? []));
    if (causes.length) {
      const list = causes.map((c) => `${c.field}: ${c.message}`);
      return fail(
        422,
        'Invalid',
        `${def.kind}.${def.group || 'core'} "${obj.metadata.name ?? ''}" is invalid: ${list.length > 1 ? `[${list.join(', ')}]` : list[0]}`,
        {
          name: obj.metadata.name ?? '',
          group: def.group,
          kind: def.kind,
          causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
        },
      );
    }
    const denial = this.webhooks.get(def.kind)?.(obj);
    if (denial)
      return fail(
        400,
        'BadRequest',
        `admission webhook "validation.webhook.pipeline.tekton.dev" denied the request: validation failed: ${denial}`,
      );
    const key = keyOf(def, namespace, obj.metadata.name);
    if (this.store.has(key))
      return fail(409, 'AlreadyExists', `${qualified(def)} "${obj.metadata.name}" already exists`, {
        name: obj.metadata.name,
        group: def.group,
        kind: def.plural,
      });
    obj.metadata.namespace = namespace;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = nowSeconds();
    obj.metadata.generation = 1;
    if (def.statusSubresource) delete obj.status;
    if (rec.dryRun) return send(201, obj);
    this.commit(key, 'ADDED', obj);
    send(201, obj);
  }

  private watch(
    def: ResourceDef,
    namespace: string,
    query: Record<string, string>,
    res: ServerResponse,
    rec: RecordedRequest,
  ): void {
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders(); // the API server answers a watch at once, before any event
    const write = (type: string, object: Obj) => res.write(JSON.stringify({ type, object }) + '\n');
    const from = query.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      // no resourceVersion: synthetic ADDED for what exists, then changes
      for (const [k, o] of this.store)
        if (k.startsWith(`${def.plural}/${namespace}/`) && matches(o, query.labelSelector)) write('ADDED', o);
    } else if (Number(from) < this.compactedRv) {
      write('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${from} (${this.compactedRv})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return;
    } else {
      for (const e of this.history)
        if (
          e.rv > Number(from) &&
          e.key.startsWith(`${def.plural}/${namespace}/`) &&
          matches(e.object, query.labelSelector)
        )
          write(e.type, e.object);
    }
    const watcher: Watcher = {
      def,
      namespace,
      selector: query.labelSelector,
      bookmarks: query.allowWatchBookmarks === 'true',
      res,
    };
    this.watchers.add(watcher);
    const timeout = Number(query.timeoutSeconds);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      this.watchers.delete(watcher);
    });
  }

  private podLog(
    namespace: string,
    pod: string,
    query: Record<string, string>,
    res: ServerResponse,
    rec: RecordedRequest,
    fail: (code: number, reason: string, message: string, details?: Obj) => void,
  ): void {
    const p = this.store.get(keyOf(CORE[0], namespace, pod));
    if (!p) return fail(404, 'NotFound', `pods "${pod}" not found`, { name: pod, kind: 'pods' });
    const containers: string[] = (p.spec?.containers ?? []).map((c: Obj) => c.name);
    const container = query.container ?? containers[0];
    if (!containers.includes(container))
      return fail(400, 'BadRequest', `container ${container} is not valid for pod ${pod}`);
    const state = containerState(p, container);
    if (!state.running && !state.terminated)
      return fail(
        400,
        'BadRequest',
        `container "${container}" in pod "${pod}" is waiting to start: ${state.waiting?.reason ?? 'PodInitializing'}`,
      );
    const timestamps = query.timestamps === 'true';
    const since = query.sinceTime ? Date.parse(query.sinceTime) : undefined;
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const key = `${namespace}/${pod}/${container}`;
    for (const line of this.logs.get(key) ?? [])
      if (since === undefined || Date.parse(line.ts) >= since) res.write(formatLog(line, timestamps));
    if (query.follow === 'true' && !state.terminated) {
      const follower = { res, timestamps };
      (this.logFollowers.get(key) ?? this.logFollowers.set(key, new Set()).get(key)!).add(follower);
      res.on('close', () => this.logFollowers.get(key)?.delete(follower));
    } else res.end();
  }

  private endFinishedLogFollowers(namespace: string, pod: string, obj: Obj): void {
    for (const c of obj.spec?.containers ?? []) {
      if (!containerState(obj, c.name).terminated) continue;
      const key = `${namespace}/${pod}/${c.name}`;
      for (const f of this.logFollowers.get(key) ?? []) f.res.end();
      this.logFollowers.delete(key);
    }
  }

  private commit(key: string, type: string, obj: Obj): void {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    this.store.set(key, obj);
    this.history.push({ rv: this.rv, key, type, object: clone(obj) });
    const [plural, namespace] = key.split('/');
    this.broadcast(
      [...TEKTON, ...CORE].find((d) => d.plural === plural)!,
      namespace,
      type,
      obj,
    );
  }

  private broadcast(def: ResourceDef, namespace: string, type: string, obj: Obj): void {
    for (const w of this.watchers)
      if (w.def === def && w.namespace === namespace && matches(obj, w.selector))
        w.res.write(JSON.stringify({ type, object: obj }) + '\n');
  }

  private defOf(kind: string): ResourceDef {
    const def = [...TEKTON, ...CORE].find((d) => d.kind === kind);
    if (!def) throw new Error(`the fake API server does not serve ${kind}`);
    return def;
  }
}

function verbOf(method: string, name: string | undefined, query: Record<string, string>): string {
  switch (method) {
    case 'GET':
      return name ? 'get' : query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    case 'POST':
      return name ? 'unsupported' : 'create';
    case 'PATCH':
      return name ? 'patch' : 'unsupported';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return 'unsupported';
  }
}

function keyOf(def: ResourceDef, namespace: string, name: string): string {
  return `${def.plural}/${namespace}/${name}`;
}

function qualified(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

/** Equality (`a=b`, `a==b`, `a!=b`) and existence (`a`, `!a`) label selectors. */
function matches(obj: Obj, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels: Record<string, string> = obj.metadata?.labels ?? {};
  return selector.split(',').every((term) => {
    const t = term.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^!=]+)!=(.*)$/.exec(t))) return labels[m[1]] !== m[2];
    if ((m = /^([^!=]+)==?(.*)$/.exec(t))) return labels[m[1]] === m[2];
    if (t.startsWith('!')) return !(t.slice(1) in labels);
    return t in labels;
  });
}

function containerState(pod: Obj, container: string): Obj {
  return (pod.status?.containerStatuses ?? []).find((c: Obj) => c.name === container)?.state ?? {};
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Obj = target && typeof target === 'object' && !Array.isArray(target) ? (target as Obj) : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function clone<T>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

function nowSeconds(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The API server's generateName suffix: 5 characters from its alphabet without vowels and look-alikes. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

/** Go's time.RFC3339Nano: nanoseconds with trailing zeros trimmed (and no fraction at all for whole seconds). */
function goRfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2025-01-01T10:00:00.250Z
  const frac = iso.slice(20, 23).padEnd(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

function formatLog(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${line.ts} ${line.text}\n` : `${line.text}\n`;
}
