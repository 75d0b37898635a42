/**
 * Offline simulation of an HTTP event arriving at a Tekton Triggers EventListener, reproducing
 * pkg/sink/sink.go HandleEvent and processTrigger:
 *
 * 1. payload validation (the body must be a JSON object unless the EventListener has the annotation
 *    `tekton.dev/payload-validation: "false"`), answered with 400 as upstream;
 * 2. the triggers: those selected by `namespaceSelector`/`labelSelector`, then `spec.triggers` (inline or
 *    `triggerRef`); then each `triggerGroups` entry runs its interceptors and selects triggers by `triggerSelector`;
 * 3. each trigger independently: interceptor chain → bindings and template → params → rendered resources.
 *
 * Nothing is created and nothing is called over the network. The result is plain data for the LSP request and the
 * CLI; problems in user files never throw.
 */
import { randomUUID } from 'node:crypto';
import { collectBindingParams, resolveParams } from './bindings';
import { inProcessCelEvaluator } from './celAdapter';
import { canonicalHeaders, goJsonParseObject } from './goEncoding';
import { normalizeInterceptor, runInterceptorChain, type ChainEnv, type ChainOutcome } from './interceptors';
import { renderResources, resolveTemplate, templateParams } from './template';
import type {
  CelEvaluator,
  LocalSecrets,
  SimulationOptions,
  SimulationProblem,
  SimulationRequest,
  SimulationResult,
  SourceRange,
  SourceResource,
  TriggerGroupResult,
  TriggerResult,
} from './types';
import { child, rangeAt, WorkspaceResources, type Entry, type LabelSelector, type Loc } from './workspaceResources';

/** What to simulate. Give `eventListener` (a name or its resource) or `trigger` (a Trigger resource, like triggerrun). */
export interface SimulationInput {
  request: SimulationRequest;
  eventListener?: string | SourceResource;
  /** Trigger resources simulated on their own, without an EventListener (as `triggerrun -t`). */
  triggers?: SourceResource[];
  /** The workspace: Triggers resources and v1 Secrets (other documents are ignored). */
  resources: readonly SourceResource[];
  secrets?: LocalSecrets;
  options?: SimulationOptions;
  /** CEL evaluation; default: the project's CEL module in-process. */
  cel?: CelEvaluator;
}

/** The EventListener annotation that turns payload validation off. */
export const PAYLOAD_VALIDATION_ANNOTATION = 'tekton.dev/payload-validation';

/** A trigger to process, from wherever the EventListener found it. */
interface TriggerUnit {
  name: string;
  namespace: string;
  /** The trigger spec: `spec` of a Trigger, or an EventListener's inline trigger. */
  spec: Record<string, unknown>;
  loc?: Loc;
  origin: TriggerResult['origin'];
  group?: string;
  source?: SourceRange;
}

interface RunContext {
  ws: WorkspaceResources;
  env: ChainEnv;
  request: SimulationRequest;
  header: Record<string, string[]>;
  eventListener: string;
  options: SimulationOptions;
}

const now = (): number => performance.now();
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Simulates one request. Never throws on user input: problems are reported in the result. */
export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  try {
    return await simulateUnchecked(input);
  } catch (e) {
    // A bug of the simulator must not take the editor or the CLI down: report it as a result.
    return {
      eventID: input.options?.eventID ?? '',
      response: { status: 500, body: {} },
      request: {
        method: input.request.method,
        url: input.request.url,
        headers: {},
        bodyBytes: input.request.body?.length ?? 0,
      },
      problems: [
        {
          message: `the simulation failed: ${(e as Error)?.message ?? String(e)}`,
          code: 'internal-error',
          severity: 'error',
        },
      ],
      groups: [],
      triggers: [],
      fired: 0,
      durationMs: 0,
    };
  }
}

async function simulateUnchecked(input: SimulationInput): Promise<SimulationResult> {
  const started = now();
  const options = input.options ?? {};
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const ws = new WorkspaceResources(input.resources, defaultNamespace);
  const eventID = options.eventID ?? randomUUID();
  const header = canonicalHeaders(input.request.headers);
  // Go's server moves Host out of the header map.
  delete header.Host;
  const result: SimulationResult = {
    eventID,
    response: { status: 202, body: {} },
    request: {
      method: input.request.method,
      url: input.request.url,
      headers: redactHeaders(header),
      bodyBytes: input.request.body.length,
    },
    problems: [],
    groups: [],
    triggers: [],
    fired: 0,
    durationMs: 0,
  };
  const finish = (): SimulationResult => {
    // Documents whose YAML could not be read stayed out of the simulation: each says why.
    for (const { src, reason } of ws.refused) {
      const at = src.base + (src.resource.root?.range?.[0] ?? 0);
      const what = `${src.resource.kind ?? 'document'} ${src.resource.name ?? ''}`.trim();
      result.problems.push({ message: `${what} is left out: ${reason}`, code: 'document-refused', severity: 'error', source: { uri: src.uri, start: at, end: at } });
    }
    result.fired = result.triggers.filter((t) => t.status === 'fired').length;
    result.durationMs = round(now() - started);
    return result;
  };

  let el: Entry | undefined;
  if (input.eventListener !== undefined) {
    if (typeof input.eventListener === 'string') {
      const name = input.eventListener;
      const matches = ws.list('EventListener').filter((e) => e.name === name);
      el = matches[0];
      if (matches.length > 1) {
        result.problems.push({
          message: `${matches.length} EventListeners are named '${name}'; using the one in namespace ${el.namespace}`,
          code: 'ambiguous-eventlistener',
          severity: 'warning',
          source: rangeAt(el.loc),
        });
      }
    } else {
      el = ws.add(input.eventListener);
      if (el && el.kind !== 'EventListener') el = undefined;
    }
    if (!el) {
      const name =
        typeof input.eventListener === 'string' ? input.eventListener : (input.eventListener.resource.name ?? '');
      result.problems.push({
        message: `EventListener '${name}' was not found in the workspace`,
        code: 'eventlistener-not-found',
        severity: 'error',
      });
      result.response = { status: 500, body: { eventListener: name, errorMessage: 'EventListener not found' } };
      return finish();
    }
  }

  const env: ChainEnv = {
    ws,
    secrets: input.secrets,
    cel: input.cel ?? inProcessCelEvaluator,
    options,
    eventID,
    elNamespace: el?.namespace ?? defaultNamespace,
  };
  const ctx: RunContext = { ws, env, request: input.request, header, eventListener: el?.name ?? '', options };

  if (!el) {
    // Triggers on their own, as `triggerrun` processes a Trigger file (no payload validation, no EventListener).
    const units: TriggerUnit[] = [];
    for (const src of input.triggers ?? []) {
      const entry = ws.add(src);
      if (!entry || entry.kind !== 'Trigger') continue;
      units.push(triggerUnit(entry, 'trigger'));
    }
    // a Trigger left out (an alias bomb, say) says why itself, below
    if (units.length === 0 && !ws.refused.some(({ src }) => src.resource.kind === 'Trigger'))
      result.problems.push({ message: 'no Trigger to simulate', code: 'no-trigger', severity: 'error' });
    result.triggers = await Promise.all(units.map((u) => processTrigger(u, ctx, {})));
    result.response = { status: 202, body: { eventID } };
    return finish();
  }

  const elSpec = (el.obj.spec ?? {}) as Record<string, unknown>;
  const elUID = String(((el.obj.metadata ?? {}) as Record<string, unknown>).uid ?? '');
  result.eventListener = {
    name: el.name,
    namespace: el.namespace,
    source: rangeAt(el.loc, 'metadata', 'name') ?? rangeAt(el.loc),
  };

  const validation = el.annotations[PAYLOAD_VALIDATION_ANNOTATION];
  if (validation !== 'false') {
    const parsed = goJsonParseObject(Buffer.from(input.request.body).toString('utf8'));
    if ('error' in parsed) {
      const errorMessage = `Invalid event body format : ${parsed.error}`;
      result.problems.push({
        message: `${errorMessage} (the EventListener answers 400 and runs no trigger; set the annotation ${PAYLOAD_VALIDATION_ANNOTATION}: "false" to accept non-JSON bodies)`,
        code: 'payload-validation',
        severity: 'error',
        source: rangeAt(el.loc, 'metadata'),
      });
      result.response = { status: 400, body: { eventListener: el.name, namespace: el.namespace, errorMessage } };
      return finish();
    }
  }

  const selected = ws.selectTriggers(
    elSpec.namespaceSelector as { matchNames?: unknown } | undefined,
    elSpec.labelSelector as LabelSelector | undefined,
    el.namespace,
  );
  if ('error' in selected) {
    result.problems.push({
      message: `unable to select configured mergedTriggers: ${selected.error}`,
      code: 'trigger-selection',
      severity: 'error',
      source: rangeAt(el.loc, 'spec', 'labelSelector'),
    });
    result.response = { status: 500, body: {} };
    return finish();
  }
  const units: TriggerUnit[] = selected.triggers.map((e) => triggerUnit(e, 'selector'));
  const skipped: TriggerResult[] = [];
  const elTriggers = Array.isArray(elSpec.triggers) ? elSpec.triggers : [];
  for (let i = 0; i < elTriggers.length; i++) {
    const t = (elTriggers[i] ?? {}) as Record<string, unknown>;
    const loc = child(el.loc, 'spec', 'triggers', i);
    const hasTemplate = t.template !== undefined && t.template !== null;
    const ref = typeof t.triggerRef === 'string' ? t.triggerRef : '';
    if (!hasTemplate && ref !== '') {
      const entry = ws.find('Trigger', ref, el.namespace);
      if (entry) units.push({ ...triggerUnit(entry, 'triggerRef'), source: rangeAt(loc, 'triggerRef') });
      else {
        skipped.push(
          emptyResult(
            { name: ref, namespace: el.namespace, spec: {}, origin: 'triggerRef', source: rangeAt(loc, 'triggerRef') },
            'skipped',
            `Error getting Trigger ${ref} in Namespace ${el.namespace}: trigger.triggers.tekton.dev "${ref}" not found (the EventListener skips it)`,
          ),
        );
      }
    } else if (hasTemplate) {
      units.push({
        name: String(t.name ?? ''),
        namespace: el.namespace,
        spec: t,
        loc,
        origin: 'inline',
        source: rangeAt(loc, 'name') ?? rangeAt(loc),
      });
    } else {
      result.problems.push({
        message:
          'error merging triggers: EventListenerTrigger not defined (a trigger needs a template or a triggerRef)',
        code: 'trigger-not-defined',
        severity: 'error',
        source: rangeAt(loc),
      });
      result.response = { status: 500, body: {} };
      return finish();
    }
  }

  const groupRuns = (Array.isArray(elSpec.triggerGroups) ? elSpec.triggerGroups : []).map((g: unknown, i: number) =>
    processGroup((g ?? {}) as Record<string, unknown>, child(el!.loc, 'spec', 'triggerGroups', i), ctx, el!),
  );
  const [direct, grouped] = await Promise.all([
    Promise.all(units.map((u) => processTrigger(u, ctx, {}))),
    Promise.all(groupRuns),
  ]);
  result.triggers = [...direct, ...skipped];
  for (const g of grouped) {
    result.groups.push(g.group);
    result.triggers.push(...g.triggers);
  }
  result.response = {
    status: 202,
    body: { eventListener: el.name, namespace: el.namespace, eventListenerUID: elUID, eventID },
  };
  return finish();
}

/** Headers whose values are credentials (a GitLab token is the webhook secret itself): not echoed in results. */
const SENSITIVE_HEADERS = new Set(['X-Gitlab-Token', 'Authorization', 'Proxy-Authorization', 'Cookie']);

function redactHeaders(header: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(header)) out[k] = SENSITIVE_HEADERS.has(k) ? v.map(() => '<redacted>') : [...v];
  return out;
}

function triggerUnit(e: Entry, origin: TriggerResult['origin'], group?: string): TriggerUnit {
  return {
    name: e.name,
    namespace: e.namespace,
    spec: (e.obj.spec ?? {}) as Record<string, unknown>,
    loc: child(e.loc, 'spec'),
    origin,
    group,
    source: rangeAt(e.loc, 'metadata', 'name') ?? rangeAt(e.loc),
  };
}

function emptyResult(u: TriggerUnit, status: TriggerResult['status'], reason?: string): TriggerResult {
  return {
    name: u.name,
    namespace: u.namespace,
    origin: u.origin,
    group: u.group,
    status,
    reason,
    interceptors: [],
    extensions: {},
    params: [],
    resources: [],
    problems: [],
    source: u.source,
    durationMs: 0,
  };
}

function chainInterceptors(list: unknown, loc: Loc | undefined) {
  return (Array.isArray(list) ? list : []).map((raw, k) =>
    normalizeInterceptor(raw, k, loc ? child(loc, k) : undefined),
  );
}

/** Maps a stopped chain to the status and reason of its trigger or group. */
function chainStop(chain: ChainOutcome): { status: 'stopped' | 'unavailable' | 'failed'; reason: string } {
  const last = chain.steps[chain.steps.length - 1];
  const where = last
    ? `interceptor ${last.index + 1}${last.name ? ` "${last.name}"` : ''} (${last.ref?.name ?? last.type})` // counted from 1
    : 'an interceptor';
  if (chain.status === 'stop')
    return {
      status: 'stopped',
      reason: `${where} stopped the trigger: ${last?.statusCode ? `${last.statusCode}: ` : ''}${chain.reason}`,
    };
  if (chain.status === 'unavailable')
    return { status: 'unavailable', reason: `${where} cannot run offline: ${chain.reason}` };
  return { status: 'failed', reason: `${where} failed: ${chain.reason}` };
}

/** Runs one trigger end to end (upstream processTrigger); an unexpected failure fails only this trigger. */
async function processTrigger(
  u: TriggerUnit,
  ctx: RunContext,
  groupExtensions: Record<string, unknown>,
  groupHeader?: Record<string, string[]>,
): Promise<TriggerResult> {
  try {
    return await processTriggerUnchecked(u, ctx, groupExtensions, groupHeader);
  } catch (e) {
    return emptyResult(u, 'failed', `the simulation of this trigger failed: ${(e as Error)?.message ?? String(e)}`);
  }
}

async function processTriggerUnchecked(
  u: TriggerUnit,
  ctx: RunContext,
  groupExtensions: Record<string, unknown>,
  groupHeader?: Record<string, string[]>,
): Promise<TriggerResult> {
  const started = now();
  const result = emptyResult(u, 'failed');
  const done = (): TriggerResult => {
    result.durationMs = round(now() - started);
    return result;
  };
  const chain = await runInterceptorChain(
    {
      interceptors: chainInterceptors(u.spec.interceptors, u.loc ? child(u.loc, 'interceptors') : undefined),
      body: Buffer.from(ctx.request.body),
      header: groupHeader ?? ctx.header,
      url: ctx.request.url,
      extensions: { ...groupExtensions },
      triggerID: `namespaces/${u.namespace}/triggers/${u.name}`,
      namespace: u.namespace,
    },
    ctx.env,
  );
  result.interceptors = chain.steps;
  result.problems.push(...chain.notes);
  result.extensions = chain.extensions;
  if (chain.status !== 'continue') {
    const s = chainStop(chain);
    result.status = s.status;
    result.reason = s.reason;
    return done();
  }

  const bindings = collectBindingParams(
    u.spec.bindings,
    ctx.ws,
    u.namespace,
    u.loc ? child(u.loc, 'bindings') : undefined,
  );
  if ('error' in bindings) {
    result.reason = bindings.error;
    result.problems.push({
      message: bindings.error,
      code: 'binding-error',
      severity: 'error',
      source: bindings.source,
    });
    return done();
  }
  const template = resolveTemplate(u.spec.template, ctx.ws, u.namespace, u.loc ? child(u.loc, 'template') : undefined);
  if ('error' in template) {
    result.reason = template.error;
    result.problems.push({
      message: template.error,
      code: 'template-not-found',
      severity: 'error',
      source: template.source,
    });
    return done();
  }
  result.template = { name: template.template.name, source: rangeAt(template.template.loc) };

  const params = resolveParams(
    bindings.params,
    { body: chain.body, header: chain.header, extensions: chain.extensions, eventID: ctx.env.eventID },
    templateParams(template.template),
  );
  if ('error' in params) {
    result.reason = params.error;
    result.problems.push({ message: params.error, code: 'param-resolution', severity: 'error', source: params.source });
    return done();
  }
  result.params = params.params;
  for (const p of params.params) {
    if (p.origin === 'binding-default') {
      result.problems.push({
        message: `param '${p.name}': ${p.expressions?.find((e) => e.usedDefault)?.error ?? 'the expression failed'}; the template default is used`,
        code: 'param-default-fallback',
        severity: 'information',
        source: p.binding?.source,
      });
    }
  }

  const uid = ctx.options.uid ?? randomUUID();
  result.uid = uid;
  const rendered = renderResources(template.template, params.params, {
    uid,
    eventID: ctx.env.eventID,
    triggerName: u.name,
    eventListener: ctx.eventListener,
    namespace: u.namespace,
    escapeDollar: ctx.options.escapeParamDollar ?? true,
  });
  result.resources = rendered.resources;
  result.problems.push(...rendered.problems);
  const broken = rendered.resources.find((r) => r.error);
  if (broken) {
    result.status = 'failed';
    result.reason = `resource template ${broken.index}: ${broken.error}`;
    result.problems.push({
      message: broken.error!,
      code: 'invalid-rendered-resource',
      severity: 'error',
      source: broken.source,
    });
    return done();
  }
  result.status = 'fired';
  return done();
}

/** Runs a trigger group's interceptors, then the triggers its `triggerSelector` picks (upstream processTriggerGroups). */
async function processGroup(
  g: Record<string, unknown>,
  loc: Loc,
  ctx: RunContext,
  el: Entry,
): Promise<{ group: TriggerGroupResult; triggers: TriggerResult[] }> {
  const name = String(g.name ?? '');
  const chain = await runInterceptorChain(
    {
      interceptors: chainInterceptors(g.interceptors, child(loc, 'interceptors')),
      body: Buffer.from(ctx.request.body),
      header: ctx.header,
      url: ctx.request.url,
      extensions: {},
      triggerID: `namespaces/${el.namespace}/triggerGroups/${name}`,
      namespace: el.namespace,
    },
    ctx.env,
  );
  const group: TriggerGroupResult = {
    name,
    status: 'continue',
    interceptors: chain.steps,
    extensions: chain.extensions,
    triggers: [],
    source: rangeAt(loc, 'name') ?? rangeAt(loc),
  };
  if (chain.status !== 'continue') {
    const s = chainStop(chain);
    group.status = s.status;
    group.reason = s.reason;
    return { group, triggers: [] };
  }
  const selector = (g.triggerSelector ?? {}) as Record<string, unknown>;
  const selected = ctx.ws.selectTriggers(
    selector.namespaceSelector as { matchNames?: unknown } | undefined,
    selector.labelSelector as LabelSelector | undefined,
    el.namespace,
  );
  if ('error' in selected) {
    group.status = 'failed';
    group.reason = selected.error;
    return { group, triggers: [] };
  }
  group.triggers = selected.triggers.map((t) => t.name);
  // Triggers of a group see the group's headers and extensions; the body is the original event (as upstream).
  const triggers = await Promise.all(
    selected.triggers.map((t) =>
      processTrigger(triggerUnit(t, 'triggerGroup', name), ctx, chain.extensions, chain.header),
    ),
  );
  return { group, triggers };
}

/** The problems of a result, flattened (request-level first). */
export function allProblems(result: SimulationResult): SimulationProblem[] {
  return [...result.problems, ...result.triggers.flatMap((t) => t.problems)];
}
