/**
 * TriggerTemplate rendering as tektoncd/triggers does it (pkg/template/event.go ResolveResources,
 * pkg/template/resource.go, pkg/resources/create.go):
 *
 * - each `resourcetemplates[i]` is JSON text (the API server stores it with sorted keys); every
 *   `$(tt.params.<name>)` is replaced byte for byte with the param value, without JSON escaping, except that the
 *   `triggers.tekton.dev/old-escape-quotes` annotation escapes `"` as `\"`; since tektoncd/triggers#1896 `$(` in a
 *   value is written as `$$(` so that payload text is not read as a Tekton variable;
 * - then `$(uid)` becomes one random value per trigger run, shared by all templates of the run;
 * - params that are neither bound nor defaulted stay as literal `$(tt.params.x)`;
 * - on creation the labels `triggers.tekton.dev/eventlistener`, `/trigger` and `/triggers-eventid` are added and a
 *   resource without a namespace goes to the trigger's namespace; `generateName` is left for the API server.
 */
import { stringify } from 'yaml';
import type { TemplateParamSpec } from './bindings';
import { compareGoStrings, goJsonMarshal, goJsonParse } from './goEncoding';
import type { RenderedResource, ResolvedParam, SimulationProblem, SourceRange } from './types';
import { child, rangeAt, type Loc, type WorkspaceResources } from './workspaceResources';

/** The annotation that restores pre-v0.10 quote escaping of param values. */
export const OLD_ESCAPE_ANNOTATION = 'triggers.tekton.dev/old-escape-quotes';

/** A TriggerTemplate spec to render, referenced or embedded in the trigger. */
export interface ResolvedTemplate {
  /** The TriggerTemplate's name (undefined for an embedded spec). */
  name?: string;
  spec: Record<string, unknown>;
  annotations: Record<string, string>;
  /** Where the spec is (`spec` of a TriggerTemplate, or `template.spec` of a trigger). */
  loc?: Loc;
}

/** What rendering adds to every resource. */
export interface RenderContext {
  uid: string;
  eventID: string;
  triggerName: string;
  /** The EventListener's name; '' when a trigger is simulated on its own (as triggerrun does). */
  eventListener: string;
  namespace: string;
  /** Rewrite `$(` to `$$(` in values (tektoncd/triggers#1896). */
  escapeDollar: boolean;
}

const TT_PARAM = /\$\(tt\.params\.([_a-zA-Z][_a-zA-Z0-9.-]*)\)/g;

/**
 * Finds the trigger's template: `template.ref` (or the deprecated v1alpha1 `template.name`) in the trigger's
 * namespace, or an embedded `template.spec`. `loc` points at the trigger's `template` field.
 */
export function resolveTemplate(
  template: unknown,
  ws: WorkspaceResources,
  namespace: string,
  loc: Loc | undefined,
): { template: ResolvedTemplate } | { error: string; source?: SourceRange } {
  const t = (template ?? {}) as Record<string, unknown>;
  if (t.spec && typeof t.spec === 'object') {
    return {
      template: { spec: t.spec as Record<string, unknown>, annotations: {}, loc: loc ? child(loc, 'spec') : undefined },
    };
  }
  const ref = typeof t.ref === 'string' ? t.ref : typeof t.name === 'string' ? t.name : '';
  const entry = ws.find('TriggerTemplate', ref, namespace);
  if (!entry) {
    return {
      error: `error getting TriggerTemplate ${ref}: triggertemplate.triggers.tekton.dev "${ref}" not found (namespace ${namespace})`,
      source: rangeAt(loc, typeof t.ref === 'string' ? 'ref' : 'name') ?? rangeAt(loc),
    };
  }
  return {
    template: {
      name: entry.name,
      spec: (entry.obj.spec ?? {}) as Record<string, unknown>,
      annotations: entry.annotations,
      loc: child(entry.loc, 'spec'),
    },
  };
}

/** The template's declared params, with the source of each default. */
export function templateParams(t: ResolvedTemplate): TemplateParamSpec[] | undefined {
  const params = t.spec.params;
  if (!Array.isArray(params)) return undefined;
  return params.map((p: Record<string, unknown> | null, k: number) => {
    const d = p?.default;
    return {
      name: String(p?.name ?? ''),
      default: d === undefined || d === null ? undefined : typeof d === 'string' ? d : JSON.stringify(d),
      source: rangeAt(t.loc, 'params', k),
      defaultSource: d === undefined ? undefined : rangeAt(t.loc, 'params', k, 'default'),
    };
  });
}

/** Go's `strings.ReplaceAll`. */
function replaceAll(s: string, find: string, by: string): string {
  return s.split(find).join(by);
}

/**
 * Renders every resource template. Params are applied in name order (upstream iterates a Go map, so the order of
 * overlapping substitutions is unspecified there). Marks params whose value had `$(` rewritten.
 */
export function renderResources(
  t: ResolvedTemplate,
  params: ResolvedParam[],
  ctx: RenderContext,
): { resources: RenderedResource[]; problems: SimulationProblem[] } {
  const problems: SimulationProblem[] = [];
  const templates = Array.isArray(t.spec.resourcetemplates) ? t.spec.resourcetemplates : [];
  const oldEscape = Object.prototype.hasOwnProperty.call(t.annotations, OLD_ESCAPE_ANNOTATION);
  const bound = params.filter((p) => p.value !== undefined).sort((a, b) => compareGoStrings(a.name, b.name));
  const values = bound.map((p) => {
    let v = p.value!;
    if (ctx.escapeDollar && v.includes('$(')) {
      v = replaceAll(v, '$(', '$$(');
      p.dollarEscaped = true;
    }
    if (oldEscape) v = replaceAll(v, '"', '\\"');
    return { name: p.name, value: v };
  });

  const resources: RenderedResource[] = [];
  const unbound = new Set<string>();
  templates.forEach((rt: unknown, i: number) => {
    const source = rangeAt(t.loc, 'resourcetemplates', i);
    let raw: string;
    try {
      raw = goJsonMarshal(rt);
    } catch (e) {
      resources.push({
        index: i,
        namespace: ctx.namespace,
        json: '',
        error: `the resource template cannot be encoded: ${(e as Error).message}`,
        source,
      });
      return;
    }
    for (const { name, value } of values) raw = replaceAll(raw, `$(tt.params.${name})`, value);
    raw = replaceAll(raw, '$(uid)', ctx.uid);
    for (const m of raw.matchAll(TT_PARAM)) unbound.add(m[1]);
    resources.push(finishResource(i, raw, ctx, source));
  });
  const paramsRange = rangeAt(t.loc, 'params') ?? rangeAt(t.loc);
  for (const name of unbound) {
    const declared = params.find((p) => p.name === name);
    problems.push({
      message: declared
        ? `param '${name}' has no binding and no default: $(tt.params.${name}) is left as literal text`
        : `$(tt.params.${name}) is not a declared param of the template: it is left as literal text`,
      code: 'unbound-template-param',
      severity: 'warning',
      source: paramsRange,
    });
  }
  return { resources, problems };
}

/** Parses a rendered template and applies what resource creation adds (labels, namespace). */
function finishResource(
  index: number,
  json: string,
  ctx: RenderContext,
  source: SourceRange | undefined,
): RenderedResource {
  const base: RenderedResource = { index, namespace: ctx.namespace, json, source };
  const parsed = goJsonParse(json);
  if ('error' in parsed) return { ...base, error: `couldn't unmarshal json from the TriggerTemplate: ${parsed.error}` };
  const obj = parsed.value;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    return {
      ...base,
      error: `couldn't unmarshal json from the TriggerTemplate: the resource template is not an object`,
    };
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.kind !== 'string' || o.kind === '') {
    return {
      ...base,
      error: `couldn't unmarshal json from the TriggerTemplate: Object 'Kind' is missing in '${json}'`,
    };
  }
  const meta = (
    o.metadata && typeof o.metadata === 'object' && !Array.isArray(o.metadata) ? o.metadata : (o.metadata = {})
  ) as Record<string, unknown>;
  const labels = (
    meta.labels && typeof meta.labels === 'object' && !Array.isArray(meta.labels) ? meta.labels : {}
  ) as Record<string, unknown>;
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string') {
      return {
        ...base,
        error: `.metadata.labels accessor error: contains non-string value in the map under key "${k}": ${JSON.stringify(v)}`,
      };
    }
  }
  labels['triggers.tekton.dev/eventlistener'] = ctx.eventListener;
  labels['triggers.tekton.dev/triggers-eventid'] = ctx.eventID;
  labels['triggers.tekton.dev/trigger'] = ctx.triggerName;
  meta.labels = sortKeys(labels);
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : ctx.namespace;
  meta.namespace = namespace;
  o.metadata = sortKeys(meta);
  const object = sortKeys(o);
  return {
    ...base,
    namespace,
    apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : undefined,
    kind: o.kind,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    generateName: typeof meta.generateName === 'string' ? meta.generateName : undefined,
    object,
    yaml: stringify(object, { lineWidth: 0 }),
  };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort(compareGoStrings)) out[k] = o[k];
  return out;
}
