/**
 * Errors a user can act on, translated from what the API server, the network or the credential plugin said.
 *
 * Every message is built here from known facts (host, user name, verb, resource, the API server's own Status text),
 * never from request headers or kubeconfig contents, and then passed through `redact` with the current user's secrets,
 * so tokens, passwords and key data cannot reach a log line or a notification.
 */

/** What went wrong, as far as the user can do something about it. */
export type KubeErrorKind =
  /** No kubeconfig file was found (KUBECONFIG unset and no ~/.kube/config). */
  | 'no-kubeconfig'
  /** The kubeconfig has no usable current context (or the chosen one does not exist). */
  | 'no-context'
  /** TCP/DNS failure or no answer in time. */
  | 'unreachable'
  /** The TLS handshake failed (unknown CA, wrong host name, bad client certificate). */
  | 'tls'
  /** 401: the credentials were rejected (usually expired). */
  | 'unauthorized'
  /** 403: RBAC denied a verb on a resource. */
  | 'forbidden'
  /** The tekton.dev API group (or the version the document uses) is not served. */
  | 'not-installed'
  /** 404 on an object. */
  | 'not-found'
  /** 409: the object exists already, or changed since it was read. */
  | 'conflict'
  /** 422 (field validation) or 400 from an admission webhook: see `causes`. */
  | 'invalid'
  /** 410: a watch or list resourceVersion is too old. */
  | 'gone'
  /** The kubeconfig's exec credential plugin is missing or failed. */
  | 'exec-plugin'
  /** Other credential problems (unreadable certificate file, OIDC refresh failure). */
  | 'auth'
  /** The request was cancelled by the caller. */
  | 'aborted'
  /** Submission is refused in an untrusted workspace. */
  | 'untrusted'
  /** Anything else the server answered (5xx, 429, unexpected bodies). */
  | 'server';

/** One field-level problem reported by the API server (Status.details.causes) or parsed from a webhook message. */
export interface FieldCause {
  /** Kubernetes field path, e.g. `spec.params[0].value`; absent when the problem is not tied to a field. */
  field?: string;
  message: string;
  /** Status cause reason, e.g. `FieldValueInvalid`. */
  reason?: string;
}

/** What a request was doing, used to word errors (RBAC denials name the verb and resource). */
export interface RequestTarget {
  verb: 'get' | 'list' | 'watch' | 'create' | 'patch' | 'delete' | 'update';
  /** Plural resource name, e.g. `pipelineruns`, `pods/log`. */
  resource?: string;
  /** API group, '' for core. */
  group?: string;
  namespace?: string;
  name?: string;
  /** Kind for messages (`PipelineRun`). */
  kind?: string;
}

/** An error with a kind the UI can switch on and a message that is safe to show and log. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly details: {
      causes?: FieldCause[];
      /** HTTP status, when the server answered. */
      status?: number;
      /** Status.reason (`AlreadyExists`, `Conflict`, `Expired`, …). */
      reason?: string;
      /** The API server URL involved. */
      server?: string;
    } = {},
  ) {
    super(message);
  }

  get causes(): FieldCause[] | undefined {
    return this.details.causes;
  }
  get status(): number | undefined {
    return this.details.status;
  }
}

/** Who and where, for wording errors; `secrets` are removed from every message. */
export interface ErrorContext {
  server: string;
  userName: string;
  contextName: string;
  /** The exec plugin command of the user, if any. */
  execCommand?: string;
  secrets: readonly string[];
}

/** A Kubernetes `Status` object (the body of every API error). */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

/** Removes every known secret (and anything that looks like a bearer token) from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]');
}

function describeTarget(t: RequestTarget | undefined): string {
  if (!t) return 'the request';
  const res = t.resource ? (t.group ? `${t.resource}.${t.group}` : t.resource) : 'the resource';
  const obj = t.name ? ` "${t.name}"` : '';
  return `${t.verb} ${res}${obj}${t.namespace ? ` in namespace "${t.namespace}"` : ''}`;
}

/** Translates an HTTP error answer into a KubeError. `body` is the raw response text (usually a Status). */
export function fromStatus(
  httpStatus: number,
  body: string,
  target: RequestTarget | undefined,
  ctx: ErrorContext,
): KubeError {
  let status: KubeStatus | undefined;
  try {
    const parsed = JSON.parse(body) as KubeStatus;
    if (parsed && typeof parsed === 'object') status = parsed;
  } catch {
    // not JSON: some proxies and old servers answer plain text ("404 page not found")
  }
  const serverMessage = redact((status?.message ?? body.trim().slice(0, 300)) || `HTTP ${httpStatus}`, ctx.secrets);
  const base = { status: httpStatus, reason: status?.reason, server: ctx.server };
  const what = target?.kind ? `${target.kind}${target.name ? ` "${target.name}"` : ''}` : 'The object';
  const err = (kind: KubeErrorKind, message: string, extra: { causes?: FieldCause[] } = {}) =>
    new KubeError(kind, redact(message, ctx.secrets), { ...base, ...extra });
  switch (httpStatus) {
    case 401:
      return err(
        'unauthorized',
        `The cluster at ${ctx.server} rejected the credentials of user "${ctx.userName}" (context "${ctx.contextName}"): they are missing, invalid or expired. Log in again or refresh the kubeconfig.`,
      );
    case 403:
      return err(
        'forbidden',
        `Access denied by RBAC: user "${ctx.userName}" may not ${describeTarget(target)}. The API server said: ${serverMessage}`,
      );
    case 404:
      if (target?.group === 'tekton.dev' && isGroupMissing(status))
        return err(
          'not-installed',
          'Tekton Pipelines is not installed in this cluster (the API group tekton.dev is not served).',
        );
      return err(
        'not-found',
        `${what} was not found${target?.namespace ? ` in namespace "${target.namespace}"` : ''}: ${serverMessage}`,
      );
    case 409:
      if (status?.reason === 'AlreadyExists')
        return err(
          'conflict',
          `${what} already exists${target?.namespace ? ` in namespace "${target.namespace}"` : ''}. Change metadata.name, or use metadata.generateName to get a new name on each run.`,
        );
      return err(
        'conflict',
        `${what} was changed by someone else since it was read; reload it and try again. (${serverMessage})`,
      );
    case 410:
      return err('gone', serverMessage);
    case 422:
      return err('invalid', serverMessage, { causes: causesOf(status) });
    case 400: {
      const causes = causesOf(status);
      if (causes.length || /denied the request|validation failed/i.test(serverMessage))
        return err('invalid', serverMessage, { causes: causes.length ? causes : webhookCauses(serverMessage) });
      return err('server', `The API server refused the request (400): ${serverMessage}`);
    }
    default:
      return err(
        'server',
        `The API server answered ${httpStatus}${status?.reason ? ` ${status.reason}` : ''}: ${serverMessage}`,
      );
  }
}

/**
 * A 404 means "group not installed" when it is not about a named thing: the API server answers a request for an
 * unserved group or resource with empty details ("the server could not find the requested resource"), whereas a
 * missing object or namespace names itself in `details.name`/`details.kind`.
 */
function isGroupMissing(status: KubeStatus | undefined): boolean {
  return !status?.details?.name && !status?.details?.kind;
}

function causesOf(status: KubeStatus | undefined): FieldCause[] {
  return (status?.details?.causes ?? []).map((c) => ({
    field: c.field || undefined,
    message: c.message ?? c.reason ?? 'invalid',
    reason: c.reason,
  }));
}

/**
 * Field paths from a Tekton admission webhook denial. Tekton (knative `apis.FieldError`) words each problem as
 * `<message>: <path>[, <path>…]`, one per line, e.g. `missing field(s): spec.pipelineRef, spec.pipelineSpec`.
 */
export function webhookCauses(message: string): FieldCause[] {
  const body = message.replace(/^.*?denied the request:\s*/s, '').replace(/^validation failed:\s*/, '');
  const out: FieldCause[] = [];
  for (const line of body.split('\n')) {
    const m =
      /^(.*?):\s*((?:[A-Za-z_][\w-]*(?:\[[^\]\s]*\])*)(?:\.[A-Za-z_][\w-]*(?:\[[^\]\s]*\])*)*(?:,\s*[A-Za-z_][\w.[\]-]*)*)\s*$/.exec(
        line.trim(),
      );
    if (!m) continue;
    for (const field of m[2].split(/,\s*/))
      if (field.includes('.') || field.includes('[')) out.push({ field, message: m[1] });
  }
  return out;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** Translates a socket/TLS error of a request to `server`. */
export function fromNetworkError(e: unknown, ctx: ErrorContext, timeoutMs?: number): KubeError {
  if (e instanceof KubeError) return e;
  const code = (e as { code?: string })?.code ?? '';
  const message = (e as Error)?.message ?? String(e);
  if (code === 'ABORT_ERR' || (e as Error)?.name === 'AbortError')
    return new KubeError('aborted', 'The request was cancelled.', { server: ctx.server });
  if (code === 'KUBE_TIMEOUT')
    return new KubeError(
      'unreachable',
      `Cannot reach the cluster at ${ctx.server}: no answer within ${formatMs(timeoutMs ?? 0)}.`,
      {
        server: ctx.server,
      },
    );
  if (NETWORK_CODES[code])
    return new KubeError(
      'unreachable',
      `Cannot reach the cluster at ${ctx.server}: ${NETWORK_CODES[code]} (${code}).`,
      { server: ctx.server },
    );
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) ||
    /certificate|handshake|tls|ssl/i.test(message)
  )
    return new KubeError(
      'tls',
      redact(
        `The TLS connection to ${ctx.server} failed (${code || 'handshake'}): ${message}. Check the cluster's certificate-authority and the user's client certificate in the kubeconfig.`,
        ctx.secrets,
      ),
      { server: ctx.server },
    );
  return new KubeError('unreachable', redact(`Cannot reach the cluster at ${ctx.server}: ${message}`, ctx.secrets), {
    server: ctx.server,
  });
}

/** Translates a failure to obtain credentials (exec plugin, OIDC, unreadable files) before any request was sent. */
export function fromAuthError(e: unknown, ctx: ErrorContext): KubeError {
  if (e instanceof KubeError) return e;
  const code = (e as { code?: string })?.code ?? '';
  const message = redact(String((e as Error)?.message ?? e).trim(), ctx.secrets);
  if (/HTTP protocol is not allowed/.test(message))
    return new KubeError(
      'tls',
      `The cluster ${ctx.server} is plain HTTP, which the kubeconfig allows only with insecure-skip-tls-verify: true.`,
      { server: ctx.server },
    );
  if (ctx.execCommand) {
    if (code === 'ENOENT' || code === 'EACCES')
      return new KubeError(
        'exec-plugin',
        `The credential plugin "${ctx.execCommand}" of user "${ctx.userName}" (context "${ctx.contextName}") ${code === 'ENOENT' ? 'was not found' : 'cannot be run'}. Install it or put it on the PATH that VS Code sees, or pick another context.`,
        { server: ctx.server },
      );
    return new KubeError(
      'exec-plugin',
      `The credential plugin "${ctx.execCommand}" of user "${ctx.userName}" failed: ${message.split('\n')[0].slice(0, 300) || 'no output'}`,
      { server: ctx.server },
    );
  }
  if (code === 'ENOENT')
    return new KubeError('auth', `A credential file of user "${ctx.userName}" could not be read: ${message}`, {
      server: ctx.server,
    });
  return new KubeError('auth', `Could not get credentials for user "${ctx.userName}": ${message.slice(0, 300)}`, {
    server: ctx.server,
  });
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
