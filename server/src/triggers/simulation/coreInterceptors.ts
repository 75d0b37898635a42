/**
 * The core interceptors reproduced offline (tektoncd/triggers pkg/interceptors/{cel,github,gitlab,bitbucket,slack},
 * served in a cluster by tekton-triggers-core-interceptors). Each takes the InterceptorRequest of one chain step and
 * decides continue/stop with upstream's status code and message. Params are decoded as Go's encoding/json would
 * decode them into the interceptor's param struct (case-insensitive names, type errors as InvalidArgument).
 *
 * Secrets are read through the workspace (local values first) and compared in constant time; their values never
 * appear in a result. GitHub API lookups (PR changed files, OWNERS checks) are not made: they are reported as
 * unavailable unless the caller supplies the data or assumes them to pass.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { goJsonMarshal, goJsonParse, goJsonParseObject, headerGet } from './goEncoding';
import { canonicalHeaderKey } from './httpRequest';
import type { ChainEnv, InterceptorSpec } from './interceptors';
import type { CelActivation, CelExpressionTrace, InterceptorCheck, SourceRange, StepResult } from './types';
import { rangeAt, type Loc } from './workspaceResources';

/** What one interceptor decided. */
export interface StepOutcome {
  result: StepResult;
  reason: string;
  statusCode?: string;
  extensions?: Record<string, unknown>;
  expressions?: CelExpressionTrace[];
  checks?: InterceptorCheck[];
}

/** The request an interceptor receives (triggersv1.InterceptorRequest). */
export interface InterceptorRequest {
  body: Buffer;
  header: Record<string, string[]>;
  extensions: Record<string, unknown>;
  url: string;
  /** The trigger's namespace, where its secrets are read. */
  namespace: string;
}

/** Interceptor params that Go could not decode into the param struct. */
export class ParamError extends Error {}

/** Milliseconds rounded to microseconds, for traces. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The outcome of a step that cannot run offline: unavailable, or assumed to pass when the caller asks. */
export function unavailable(env: ChainEnv, what: string): StepOutcome {
  if (env.options.assumeUnavailableInterceptorsPass) {
    return { result: 'assumed', reason: `${what}; assumed to pass (no extensions added)` };
  }
  return {
    result: 'unavailable',
    reason: `${what}; the trigger stops here (enable "assume unavailable interceptors pass" to go on)`,
  };
}

/** Runs the core interceptor `name`. */
export async function runCore(
  name: string,
  spec: InterceptorSpec,
  req: InterceptorRequest,
  env: ChainEnv,
): Promise<StepOutcome> {
  switch (name) {
    case 'cel':
      return celInterceptor(spec, req, env);
    case 'github':
      return githubInterceptor(spec, req, env);
    case 'gitlab':
      return gitlabInterceptor(spec, req, env);
    case 'bitbucket':
      return bitbucketInterceptor(spec, req, env);
    default:
      return slackInterceptor(spec, req);
  }
}

const fail = (statusCode: string, reason: string, checks?: StepOutcome['checks']): StepOutcome => ({
  result: 'stop',
  statusCode,
  reason,
  checks,
});

// ---------------------------------------------------------------------------------------------------------
// Params, decoded like Go's json.Unmarshal into the interceptor's param struct

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** A param by name; like encoding/json, an exact key wins, else a case-insensitive one. */
function param(obj: Record<string, unknown> | undefined, key: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : obj[k];
}

function stringParam(obj: Record<string, unknown> | undefined, key: string, struct: string): string | undefined {
  const v = param(obj, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new ParamError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${key} of type string`);
  return v;
}

function stringListParam(obj: Record<string, unknown> | undefined, key: string, struct: string): string[] | undefined {
  const v = param(obj, key);
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v))
    throw new ParamError(
      `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${key} of type []string`,
    );
  return v.map((x) => {
    if (typeof x !== 'string')
      throw new ParamError(
        `json: cannot unmarshal ${jsonKind(x)} into Go struct field ${struct}.${key} of type string`,
      );
    return x;
  });
}

function objectParam(
  obj: Record<string, unknown> | undefined,
  key: string,
  struct: string,
  type: string,
): Record<string, unknown> | undefined {
  const v = param(obj, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw new ParamError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${key} of type ${type}`);
  return v as Record<string, unknown>;
}

function boolParam(obj: Record<string, unknown> | undefined, key: string, struct: string): boolean {
  const v = param(obj, key);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean')
    throw new ParamError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${key} of type bool`);
  return v;
}

interface SecretRef {
  secretName: string;
  secretKey: string;
}

function secretRefParam(obj: Record<string, unknown> | undefined, key: string, struct: string): SecretRef | undefined {
  const v = objectParam(obj, key, struct, 'v1beta1.SecretRef');
  if (!v) return undefined;
  return {
    secretName: stringParam(v, 'secretName', 'SecretRef') ?? '',
    secretKey: stringParam(v, 'secretKey', 'SecretRef') ?? '',
  };
}

function readSecret(ref: SecretRef, req: InterceptorRequest, env: ChainEnv): { value: Buffer } | { error: string } {
  return env.ws.secret(req.namespace, ref.secretName, ref.secretKey, env.secrets);
}

/**
 * Puts the header a provider would send on the sample, made from the secret the interceptor names (the signSample
 * option); later interceptors and CEL see it as the provider's. The check names the secret, never its value.
 */
function signSample(
  req: InterceptorRequest,
  env: ChainEnv,
  ref: SecretRef,
  header: string,
  make: (secret: Buffer) => string,
  source: SourceRange | undefined,
): { value: string; check: InterceptorCheck } | { error: string } {
  const secret = readSecret(ref, req, env);
  if ('error' in secret) return { error: secret.error };
  const value = make(secret.value);
  req.header[canonicalHeaderKey(header)] = [value];
  return {
    value,
    check: {
      name: 'signed',
      ok: true,
      detail: `the sample was signed for this check: ${header} made with secret ${ref.secretName}/${ref.secretKey}`,
      source,
    },
  };
}

/** Constant-time equality of two byte strings (false for different lengths, like hmac.Equal). */
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * go-github `ValidateSignature`: `sha1=`/`sha256=`/`sha512=` + hex HMAC of the body with the secret, compared in
 * constant time. Errors use go-github's wording.
 */
function validateSignature(
  signature: string,
  body: Buffer,
  secret: Buffer,
): { ok: true; algorithm: string } | { ok: false; error: string } {
  if (signature === '') return { ok: false, error: 'missing signature' };
  const eq = signature.indexOf('=');
  if (eq < 0) return { ok: false, error: `error parsing signature ${JSON.stringify(signature)}` };
  const prefix = signature.slice(0, eq);
  const algorithm =
    prefix === 'sha1' ? 'sha1' : prefix === 'sha256' ? 'sha256' : prefix === 'sha512' ? 'sha512' : undefined;
  if (!algorithm) return { ok: false, error: `unknown hash type prefix: ${JSON.stringify(prefix)}` };
  const hex = signature.slice(eq + 1);
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    return {
      ok: false,
      error: `error decoding signature ${JSON.stringify(signature)}: encoding/hex: invalid byte or odd length`,
    };
  }
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac(algorithm, secret).update(body).digest();
  return constantTimeEqual(given, expected)
    ? { ok: true, algorithm }
    : { ok: false, error: 'payload signature check failed' };
}

function eventTypeCheck(
  types: string[] | undefined,
  actual: string,
  header: string,
  source: SourceRange | undefined,
): { ok: boolean; check?: InterceptorCheck } {
  if (types === undefined) return { ok: true };
  const ok = types.includes(actual);
  return {
    ok,
    check: {
      name: 'eventTypes',
      ok,
      detail: ok
        ? `${header} '${actual}' is in [${types.join(', ')}]`
        : `${header} '${actual}' is not in [${types.join(', ')}]`,
      source,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// github (pkg/interceptors/github/github.go)

async function githubInterceptor(spec: InterceptorSpec, req: InterceptorRequest, env: ChainEnv): Promise<StepOutcome> {
  const checks: NonNullable<StepOutcome['checks']> = [];
  // The check compares the whole header value, as upstream does.
  if (headerGet(req.header, 'Content-Type') === 'application/x-www-form-urlencoded') {
    return fail(
      'InvalidArgument',
      'form parameter encoding not supported, please change the hook to send JSON payloads',
    );
  }
  const p = spec.params;
  const S = 'GitHubInterceptor';
  const eventTypes = stringListParam(p, 'eventTypes', S);
  const secretRef = secretRefParam(p, 'secretRef', S);
  const addChangedFiles = objectParam(p, 'addChangedFiles', S, 'v1beta1.GithubAddChangedFiles');
  const owners = objectParam(p, 'githubOwners', S, 'v1beta1.GithubOwners');
  const secretAt = checkSource(spec, 'secretRef');
  const changedFilesAt = checkSource(spec, 'addChangedFiles');

  const actualEvent = headerGet(req.header, 'X-GitHub-Event');
  const et = eventTypeCheck(eventTypes, actualEvent, 'X-GitHub-Event', checkSource(spec, 'eventTypes'));
  if (et.check) checks.push(et.check);
  if (!et.ok) return fail('FailedPrecondition', `event type ${actualEvent} is not allowed`, checks);

  if (secretRef) {
    if (secretRef.secretKey === '')
      return fail('FailedPrecondition', 'github interceptor secretRef.secretKey is empty', checks);
    let headerName = 'X-Hub-Signature-256';
    let signature = headerGet(req.header, headerName);
    if (signature === '') {
      headerName = 'X-Hub-Signature';
      signature = headerGet(req.header, headerName);
    }
    if (signature === '' && env.options.signSample) {
      const signed = signSample(
        req,
        env,
        secretRef,
        'X-Hub-Signature-256',
        (key) => `sha256=${createHmac('sha256', key).update(req.body).digest('hex')}`,
        secretAt,
      );
      if ('error' in signed) return fail('FailedPrecondition', `could not sign the sample: ${signed.error}`, checks);
      checks.push(signed.check);
      headerName = 'X-Hub-Signature-256';
      signature = signed.value;
    }
    if (signature === '') {
      checks.push({
        name: 'signature',
        ok: false,
        detail: 'no X-Hub-Signature-256 or X-Hub-Signature header',
        source: secretAt,
      });
      return fail('FailedPrecondition', 'Must set X-Hub-Signature-256 or X-Hub-Signature header', checks);
    }
    const secret = readSecret(secretRef, req, env);
    if ('error' in secret) return fail('FailedPrecondition', `error getting secret: ${secret.error}`, checks);
    const v = validateSignature(signature, req.body, secret.value);
    checks.push({
      name: 'signature',
      ok: v.ok,
      detail: v.ok
        ? `${headerName} matches the HMAC-${v.algorithm.toUpperCase()} of the body with secret ${secretRef.secretName}/${secretRef.secretKey}`
        : `${headerName}: ${v.error} (secret ${secretRef.secretName}/${secretRef.secretKey})`,
      source: secretAt,
    });
    if (!v.ok) return fail('FailedPrecondition', v.error, checks);
  }

  if (boolParam(addChangedFiles, 'enabled', 'GithubAddChangedFiles')) {
    if (actualEvent !== 'pull_request' && actualEvent !== 'push') {
      return {
        result: 'continue',
        reason: `addChangedFiles applies to push and pull_request events only; ${actualEvent} passes unchanged`,
        checks,
      };
    }
    const pat = secretRefParam(addChangedFiles, 'personalAccessToken', 'GithubAddChangedFiles');
    if (pat) {
      if (pat.secretKey === '')
        return fail(
          'FailedPrecondition',
          'error getting secret: github interceptor githubToken.secretKey is empty',
          checks,
        );
      const s = readSecret(pat, req, env);
      if ('error' in s) return fail('FailedPrecondition', `error getting secret: ${s.error}`, checks);
    }
    const payload = parseBodyForChangedFiles(req.body, actualEvent);
    if ('error' in payload) return fail('FailedPrecondition', `error parsing body: ${payload.error}`, checks);
    let changed: string;
    if (actualEvent === 'pull_request') {
      if (!env.options.changedFiles) {
        return {
          ...unavailable(
            env,
            `addChangedFiles lists the files of pull request ${payload.owner}/${payload.repository}#${payload.prNumber} with the GitHub API, which is not called offline (supply the changed files to simulate it)`,
          ),
          checks,
        };
      }
      changed = env.options.changedFiles.join(',');
      checks.push({
        name: 'addChangedFiles',
        ok: true,
        detail: `changed files supplied by the caller (${env.options.changedFiles.length})`,
        source: changedFilesAt,
      });
    } else {
      changed = payload.changedFiles;
      checks.push({
        name: 'addChangedFiles',
        ok: true,
        detail: 'changed files collected from the push payload (commits[].added/modified/removed)',
        source: changedFilesAt,
      });
    }
    // Upstream returns here: the owners check is skipped when addChangedFiles is enabled.
    return {
      result: 'continue',
      reason: 'changed files added as extensions.changed_files',
      extensions: { changed_files: changed },
      checks,
    };
  }

  if (boolParam(owners, 'enabled', 'GithubOwners')) {
    if (actualEvent !== 'pull_request' && actualEvent !== 'issue_comment') {
      return {
        result: 'continue',
        reason: `githubOwners applies to pull_request and issue_comment events only; ${actualEvent} passes`,
        checks,
      };
    }
    const checkType = stringParam(owners, 'checkType', 'GithubOwners') ?? '';
    const pat = secretRefParam(owners, 'personalAccessToken', 'GithubOwners');
    let token = '';
    if (pat) {
      if (pat.secretKey === '')
        return fail(
          'FailedPrecondition',
          'error getting github token: github interceptor personalAccessToken.secretKey is empty',
          checks,
        );
      const s = readSecret(pat, req, env);
      if ('error' in s) return fail('FailedPrecondition', `error getting github token: ${s.error}`, checks);
      token = s.value.toString('utf8');
    }
    if (token === '' && checkType !== 'none') {
      return fail(
        'FailedPrecondition',
        'checkType is set to check org or repo members but no personalAccessToken was supplied',
        checks,
      );
    }
    return {
      ...unavailable(
        env,
        `githubOwners (checkType ${checkType || '""'}) reads the OWNERS file and memberships with the GitHub API, which is not called offline`,
      ),
      checks,
    };
  }

  return {
    result: 'continue',
    reason: checks.length ? checks.map((c) => c.detail).join('; ') : 'no checks configured',
    checks,
  };
}

/** Upstream parseBodyForChangedFiles: PR number, owner/repo, and for pushes the files of every commit. */
function parseBodyForChangedFiles(
  body: Buffer,
  eventType: string,
): { prNumber: number; owner: string; repository: string; changedFiles: string } | { error: string } {
  if (body.length === 0) return { error: 'body is empty' };
  const parsed = goJsonParseObject(body.toString('utf8'));
  if ('error' in parsed) return { error: parsed.error };
  const m = parsed.value ?? {};
  let prNumber = -1;
  if ('number' in m) {
    if (typeof m.number !== 'number')
      return { error: `interface conversion: interface {} is ${goKind(m.number)}, not float64` };
    prNumber = Math.trunc(m.number);
  } else if (eventType === 'pull_request') return { error: "pull_request body missing 'number' field" };
  const repo = m.repository;
  if (!repo || typeof repo !== 'object' || Array.isArray(repo))
    return { error: "payload body missing 'repository' field" };
  const fullName = (repo as Record<string, unknown>).full_name;
  if (typeof fullName !== 'string') return { error: "payload body missing 'repository.full_name' field" };
  const files: string[] = [];
  if (Array.isArray(m.commits)) {
    for (const commit of m.commits) {
      const c = (commit ?? {}) as Record<string, unknown>;
      for (const field of ['added', 'modified', 'removed']) {
        if (!Array.isArray(c[field])) return { error: `payload body missing 'commits.*.${field}' field` };
      }
      for (const field of ['added', 'modified', 'removed'])
        for (const f of c[field] as unknown[]) files.push(goPrint(f));
    }
  }
  const parts = fullName.split('/');
  if (parts.length < 2) return { error: 'runtime error: index out of range [1] with length 1' };
  return { prNumber, owner: parts[0], repository: parts[1], changedFiles: files.join(',') };
}

function goKind(v: unknown): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** `fmt.Sprintf("%v", v)` of JSON data. */
function goPrint(v: unknown): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------------------
// gitlab and bitbucket

/**
 * What gitlab and bitbucket share (pkg/interceptors/{gitlab,bitbucket}): the event type from a header must be listed,
 * then, with a secretRef, a header carrying the token or signature must be there and the secret readable. Returns the
 * stop outcome, or what the caller needs to check the header against the secret.
 */
function eventTypeAndSecret(
  spec: InterceptorSpec,
  req: InterceptorRequest,
  env: ChainEnv,
  o: {
    interceptor: string;
    eventHeader: string;
    eventHeaderShown: string;
    header: string;
    headerShown: string;
    check: string;
    /** The header value a provider sends, made from the secret (for signSample). */
    sign: (secret: Buffer) => string;
  },
):
  | { stop: StepOutcome }
  | {
      checks: NonNullable<StepOutcome['checks']>;
      secret?: { ref: { secretName: string; secretKey: string }; value: Buffer; header: string; source?: SourceRange };
    } {
  const S = 'InterceptorParams';
  const secretRef = secretRefParam(spec.params, 'secretRef', S);
  const eventTypes = stringListParam(spec.params, 'eventTypes', S);
  const secretAt = checkSource(spec, 'secretRef');
  const checks: NonNullable<StepOutcome['checks']> = [];
  const actual = headerGet(req.header, o.eventHeader);
  const et = eventTypeCheck(eventTypes, actual, o.eventHeaderShown, checkSource(spec, 'eventTypes'));
  if (et.check) checks.push(et.check);
  if (!et.ok) return { stop: fail('FailedPrecondition', `event type ${actual} is not allowed`, checks) };
  if (!secretRef) return { checks };
  if (secretRef.secretKey === '')
    return { stop: fail('FailedPrecondition', `${o.interceptor} interceptor secretRef.secretKey is empty`, checks) };
  let header = headerGet(req.header, o.header);
  if (header === '' && env.options.signSample) {
    const signed = signSample(req, env, secretRef, o.header, o.sign, secretAt);
    if ('error' in signed) return { stop: fail('FailedPrecondition', `could not sign the sample: ${signed.error}`, checks) };
    checks.push(signed.check);
    header = signed.value;
  }
  if (header === '') {
    checks.push({ name: o.check, ok: false, detail: `no ${o.headerShown} header`, source: secretAt });
    return { stop: fail('InvalidArgument', `no ${o.header} header set`, checks) };
  }
  const secret = readSecret(secretRef, req, env);
  if ('error' in secret) return { stop: fail('FailedPrecondition', `error getting secret: ${secret.error}`, checks) };
  return { checks, secret: { ref: secretRef, value: secret.value, header, source: secretAt } };
}

function passed(checks: NonNullable<StepOutcome['checks']>): StepOutcome {
  return { result: 'continue', reason: checks.length ? checks.map((c) => c.detail).join('; ') : 'no checks configured', checks };
}

async function gitlabInterceptor(spec: InterceptorSpec, req: InterceptorRequest, env: ChainEnv): Promise<StepOutcome> {
  const pre = eventTypeAndSecret(spec, req, env, {
    interceptor: 'gitlab',
    eventHeader: 'X-GitLab-Event',
    eventHeaderShown: 'X-Gitlab-Event',
    header: 'X-GitLab-Token',
    headerShown: 'X-Gitlab-Token',
    check: 'token',
    sign: (secret) => secret.toString('utf8'),
  });
  if ('stop' in pre) return pre.stop;
  const { checks, secret } = pre;
  if (secret) {
    const ok = constantTimeEqual(Buffer.from(secret.header, 'utf8'), secret.value);
    checks.push({
      name: 'token',
      ok,
      detail: `X-Gitlab-Token ${ok ? 'equals' : 'differs from'} secret ${secret.ref.secretName}/${secret.ref.secretKey}`,
      source: secret.source,
    });
    if (!ok) return fail('InvalidArgument', 'Invalid X-GitLab-Token', checks);
  }
  return passed(checks);
}

async function bitbucketInterceptor(spec: InterceptorSpec, req: InterceptorRequest, env: ChainEnv): Promise<StepOutcome> {
  const pre = eventTypeAndSecret(spec, req, env, {
    interceptor: 'bitbucket',
    eventHeader: 'X-Event-Key',
    eventHeaderShown: 'X-Event-Key',
    header: 'X-Hub-Signature',
    headerShown: 'X-Hub-Signature',
    check: 'signature',
    sign: (secret) => `sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`,
  });
  if ('stop' in pre) return pre.stop;
  const { checks, secret } = pre;
  if (secret) {
    const v = validateSignature(secret.header, req.body, secret.value);
    checks.push({
      name: 'signature',
      ok: v.ok,
      detail: v.ok
        ? `X-Hub-Signature matches the HMAC-${v.algorithm.toUpperCase()} of the body with secret ${secret.ref.secretName}/${secret.ref.secretKey}`
        : `X-Hub-Signature: ${v.error} (secret ${secret.ref.secretName}/${secret.ref.secretKey})`,
      source: secret.source,
    });
    if (!v.ok) return fail('FailedPrecondition', v.error, checks);
  }
  return passed(checks);
}

// ---------------------------------------------------------------------------------------------------------
// slack (pkg/interceptors/slack/slack.go, after the EventListener converted the form to JSON)

async function slackInterceptor(spec: InterceptorSpec, req: InterceptorRequest): Promise<StepOutcome> {
  if (headerGet(req.header, 'Content-Type') !== 'application/x-www-form-urlencoded') {
    return fail('InvalidArgument', 'missing header in payload: ContentType application/x-www-form-urlencoded');
  }
  if (headerGet(req.header, 'X-Slack-Signature') === '') {
    // Upstream reuses the Content-Type message here.
    return fail('InvalidArgument', 'missing header in payload: ContentType application/x-www-form-urlencoded');
  }
  const parsed = goJsonParse(req.body.toString('utf8'));
  if ('error' in parsed) return fail('InvalidArgument', `failed to unmarshl slack payload: ${parsed.error}`);
  const payload = parsed.value;
  if (payload !== null && (typeof payload !== 'object' || Array.isArray(payload))) {
    return fail(
      'InvalidArgument',
      `failed to unmarshl slack payload: json: cannot unmarshal ${jsonKind(payload)} into Go value of type map[string][]string`,
    );
  }
  const form = (payload ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(form)) {
    if (v !== null && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
      const kind = Array.isArray(v) ? jsonKind(v.find((x) => typeof x !== 'string')) : jsonKind(v);
      return fail(
        'InvalidArgument',
        `failed to unmarshl slack payload: json: cannot unmarshal ${kind} into Go value of type ${Array.isArray(v) ? 'string' : '[]string'} (field ${k})`,
      );
    }
  }
  const fields = stringListParam(spec.params, 'requestedFields', 'InterceptorParams');
  if (fields === undefined) return fail('NotFound', 'missing requested field definition');
  const extensions: Record<string, unknown> = {};
  for (const f of fields) {
    if (!Object.prototype.hasOwnProperty.call(form, f)) {
      return fail('NotFound', `requested field does not exists in payload ${goFormMap(form)}`);
    }
    extensions[f] = form[f] ?? null;
  }
  return { result: 'continue', reason: `copied form field(s) ${fields.join(', ')} into extensions`, extensions };
}

/** `fmt.Sprintf("%v", map[string][]string)`: `map[a:[x y] b:[z]]` with sorted keys. */
function goFormMap(form: Record<string, unknown>): string {
  const keys = Object.keys(form).sort();
  return `map[${keys.map((k) => `${k}:[${((form[k] as string[] | null) ?? []).join(' ')}]`).join(' ')}]`;
}

// ---------------------------------------------------------------------------------------------------------
// cel (pkg/interceptors/cel/cel.go)

async function celInterceptor(spec: InterceptorSpec, req: InterceptorRequest, env: ChainEnv): Promise<StepOutcome> {
  const S = 'InterceptorParams';
  const filter = stringParam(spec.params, 'filter', S) ?? '';
  const overlaysRaw = param(spec.params, 'overlays');
  if (overlaysRaw !== undefined && overlaysRaw !== null && !Array.isArray(overlaysRaw)) {
    throw new ParamError(
      `json: cannot unmarshal ${jsonKind(overlaysRaw)} into Go struct field ${S}.overlays of type []cel.Overlay`,
    );
  }
  const overlays = ((overlaysRaw as unknown[] | undefined) ?? []).map((o, j) => {
    const ov = (o ?? {}) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      throw new ParamError(
        `json: cannot unmarshal ${jsonKind(o)} into Go struct field ${S}.overlays of type cel.Overlay`,
      );
    }
    return {
      key: stringParam(ov, 'key', 'Overlay') ?? '',
      expression: stringParam(ov, 'expression', 'Overlay') ?? '',
      index: j,
    };
  });

  const text = req.body.length === 0 ? '{}' : req.body.toString('utf8');
  const body = goJsonParseObject(text);
  if ('error' in body) {
    return fail(
      'InvalidArgument',
      `error making the evaluation context: failed to parse the body as JSON: ${body.error}`,
    );
  }
  const activation: CelActivation = {
    body: body.value,
    header: req.header,
    extensions: req.extensions,
    requestURL: req.url,
  };
  const secretLookup = (name: string, key: string): string | undefined => {
    const s = env.ws.secret(req.namespace, name, key, env.secrets);
    return 'value' in s ? s.value.toString('utf8') : undefined;
  };
  const expressions: CelExpressionTrace[] = [];
  const evaluate = async (expression: string): Promise<{ value: unknown } | { error: string }> => {
    let r: { value: unknown } | { error: string; code?: string };
    try {
      r = await env.cel(expression, activation, { secretLookup });
    } catch (e) {
      r = { error: (e as Error).message ?? String(e), code: 'cel-eval' };
    }
    if ('error' in r) {
      const q = JSON.stringify(expression);
      const wrapped =
        r.code === 'cel-syntax'
          ? `failed to parse expression ${q}: ${r.error}`
          : r.code === 'cel-eval'
            ? `expression ${q} failed to evaluate: ${r.error}`
            : `expression ${q} check failed: ${r.error}`;
      return { error: `error evaluating cel expression: ${wrapped}` };
    }
    return r;
  };

  if (filter !== '') {
    const started = performance.now();
    const r = await evaluate(filter);
    const trace: CelExpressionTrace = {
      role: 'filter',
      expression: filter,
      durationMs: round(performance.now() - started),
      source: rangeAt(paramLoc(spec, 'filter')),
    };
    expressions.push(trace);
    if ('error' in r) {
      trace.error = r.error;
      return { result: 'stop', statusCode: 'InvalidArgument', reason: r.error, expressions };
    }
    trace.result = displayCel(r.value);
    if (r.value !== true) {
      return {
        result: 'stop',
        statusCode: 'FailedPrecondition',
        reason: `expression ${filter} did not return true`,
        expressions,
      };
    }
  }

  let extensions: unknown;
  for (const o of overlays) {
    const started = performance.now();
    const r = await evaluate(o.expression);
    const overlaysLoc = paramLoc(spec, 'overlays');
    const trace: CelExpressionTrace = {
      role: 'overlay',
      key: o.key,
      expression: o.expression,
      durationMs: round(performance.now() - started),
      source: rangeAt(overlaysLoc, o.index, 'expression') ?? rangeAt(overlaysLoc, o.index),
    };
    expressions.push(trace);
    if ('error' in r) {
      trace.error = r.error;
      return { result: 'stop', statusCode: 'InvalidArgument', reason: r.error, expressions };
    }
    const json = overlayJson(r.value, true);
    if ('error' in json) {
      trace.error = json.error;
      return {
        result: 'stop',
        statusCode: 'Internal',
        reason: `failed to convert overlay result to type: ${json.error}`,
        expressions,
      };
    }
    trace.result = goJsonMarshal(json.value);
    const set = sjsonSet(extensions ?? {}, o.key, json.value);
    if ('error' in set) {
      trace.error = set.error;
      return {
        result: 'stop',
        statusCode: 'Internal',
        reason: `failed to sjson for key '${o.key}' to '${trace.result}': ${set.error}`,
        expressions,
      };
    }
    extensions = set.value;
  }
  const added = extensions as Record<string, unknown> | undefined;
  const summary = [
    filter !== '' ? 'filter returned true' : undefined,
    overlays.length ? `${overlays.length} overlay(s) written` : undefined,
  ].filter(Boolean);
  return { result: 'continue', reason: summary.join('; ') || 'no filter or overlays', extensions: added, expressions };
}

/**
 * Where param `key` of an interceptor is written: the exact name first, else one differing in case, the same one
 * `param` reads (encoding/json's matching), so a trace item leads to the value that was used.
 */
function paramLoc(spec: InterceptorSpec, key: string): Loc | undefined {
  if (Object.prototype.hasOwnProperty.call(spec.paramLocs, key)) return spec.paramLocs[key];
  const k = Object.keys(spec.paramLocs).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : spec.paramLocs[k];
}

/**
 * The source of a check that reads param `key`: that param's value, else the interceptor's entry. Never the trigger:
 * the line to fix is in the interceptor.
 */
function checkSource(spec: InterceptorSpec, key: string): SourceRange | undefined {
  return rangeAt(paramLoc(spec, key)) ?? rangeAt(spec.loc);
}

/** A CEL value as JSON text for traces. */
function displayCel(v: unknown): string {
  const j = overlayJson(v, false);
  if ('value' in j) {
    try {
      return goJsonMarshal(j.value);
    } catch {
      // fall through
    }
  }
  return String(v);
}

function isCelUint(v: unknown): boolean {
  return typeof v === 'object' && v !== null && v.constructor?.name === 'UnsignedInt';
}

/**
 * Converts a CEL result the way the cel interceptor encodes overlay values: strings and bytes through structpb
 * (bytes become base64), ints and doubles as JSON numbers, lists and maps through protojson, bools as JSON. At the top
 * level uint, null, timestamps and durations are not convertible upstream.
 */
function overlayJson(v: unknown, topLevel: boolean): { value: unknown } | { error: string } {
  if (typeof v === 'string' || typeof v === 'boolean') return { value: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { error: `invalid google.protobuf.Value: ${v} is not a finite number` };
    return { value: v };
  }
  if (typeof v === 'bigint') return { value: Number(v) };
  if (v instanceof Uint8Array) return { value: Buffer.from(v).toString('base64') };
  if (v === null || v === undefined) {
    return topLevel ? { error: "type conversion error from 'null_type' to '[]uint8'" } : { value: null };
  }
  if (isCelUint(v)) {
    return topLevel
      ? { error: "type conversion error from 'uint' to '[]uint8'" }
      : { value: Number((v as { valueOf(): unknown }).valueOf()) };
  }
  if (v instanceof Date) {
    return topLevel
      ? { error: "type conversion error from 'google.protobuf.Timestamp' to '[]uint8'" }
      : { value: v.toISOString().replace('.000Z', 'Z') };
  }
  if (Array.isArray(v) || v instanceof Set) {
    const out: unknown[] = [];
    for (const x of v) {
      const c = overlayJson(x, false);
      if ('error' in c) return c;
      out.push(c.value);
    }
    return { value: out };
  }
  if (
    v instanceof Map ||
    (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null))
  ) {
    const out: Record<string, unknown> = {};
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
    for (const [k, x] of entries) {
      if (typeof k !== 'string') return { error: `unsupported map key type: ${typeof k}` };
      const c = overlayJson(x, false);
      if ('error' in c) return c;
      out[k] = c.value;
    }
    return { value: out };
  }
  return topLevel
    ? { error: `type conversion error from '${(v as object).constructor?.name ?? typeof v}' to '[]uint8'` }
    : { value: String(v) };
}

/**
 * tidwall/sjson `SetRawBytes` on a JSON document: `a.b` nests, `\.` escapes a dot, a numeric component indexes (or
 * creates) an array, `-1` appends, `:5` forces an object key. Wildcards are refused as sjson refuses them.
 */
export function sjsonSet(doc: unknown, path: string, value: unknown): { value: unknown } | { error: string } {
  if (path === '') return { error: 'path cannot be empty' };
  const parts: { key: string; forceKey: boolean }[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && i + 1 < path.length) {
      cur += path[++i];
      continue;
    }
    if (c === '*' || c === '?') return { error: 'wildcard characters not allowed in path' };
    if (c === '.') {
      parts.push({ key: cur, forceKey: false });
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push({ key: cur, forceKey: false });
  for (const p of parts) {
    if (p.key.startsWith(':')) {
      p.key = p.key.slice(1);
      p.forceKey = true;
    }
  }
  const isIndex = (p: { key: string; forceKey: boolean }): boolean => !p.forceKey && /^(-1|\d+)$/.test(p.key);
  const setIn = (container: unknown, k: number): unknown => {
    const part = parts[k];
    const last = k === parts.length - 1;
    const nextValue = (existing: unknown): unknown => (last ? value : setIn(existing, k + 1));
    if (Array.isArray(container) && isIndex(part)) {
      const arr = [...container];
      const idx = part.key === '-1' ? arr.length : Number(part.key);
      while (arr.length < idx) arr.push(null);
      arr[idx] = nextValue(arr[idx]);
      return arr;
    }
    if (container !== null && typeof container === 'object' && !Array.isArray(container)) {
      const obj = { ...(container as Record<string, unknown>) };
      obj[part.key] = nextValue(obj[part.key]);
      return obj;
    }
    // Missing (or scalar) containers are created: an array when the component is an index, else an object.
    return setIn(isIndex(part) ? [] : {}, k);
  };
  return { value: setIn(doc, 0) };
}
