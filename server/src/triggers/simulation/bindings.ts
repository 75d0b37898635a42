/**
 * TriggerBinding resolution as tektoncd/triggers does it (pkg/template/resource.go resolveBindingsToParams and
 * pkg/template/event.go applyEventValuesToParams):
 *
 * - bindings are inline `{name, value}` or `{ref, kind}` to a TriggerBinding (the default kind, looked up in the
 *   trigger's namespace) or a ClusterTriggerBinding; the params of all bindings are concatenated and a repeated name
 *   is an error ("duplicate param name: x");
 * - each `$(...)` of a value is evaluated against `{header, body, extensions, context}` (headers joined with ",");
 * - a failing expression falls back to the TriggerTemplate param's default when there is one, else the trigger fails
 *   with "failed to replace JSONPath value for param <name>: <value>: <error>";
 * - template defaults are pre-seeded, binding values override them.
 */
import { GoStruct, goJsonParse } from './goEncoding';
import { evaluateTektonExpression, findTektonExpressions, setGoTypeName } from './jsonpath';
import type { ExpressionTrace, ResolvedParam, SourceRange } from './types';
import { child, rangeAt, type Loc, type WorkspaceResources } from './workspaceResources';

/** A param contributed by a binding, before evaluation. */
export interface BindingParam {
  name: string;
  value: string;
  binding: { kind: 'inline' | 'TriggerBinding' | 'ClusterTriggerBinding'; name?: string; source?: SourceRange };
}

/** A TriggerTemplate param declaration. */
export interface TemplateParamSpec {
  name: string;
  default?: string;
  source?: SourceRange;
  defaultSource?: SourceRange;
}

/** The event a binding is evaluated against. */
export interface BindingEvent {
  body: Uint8Array;
  /** Canonical header keys. */
  header: Record<string, readonly string[]>;
  extensions: Record<string, unknown>;
  eventID: string;
}

function asString(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The params of a TriggerBinding/ClusterTriggerBinding resource. */
export function bindingResourceParams(
  obj: Record<string, unknown>,
  loc: Loc | undefined,
  kind: 'TriggerBinding' | 'ClusterTriggerBinding',
): BindingParam[] {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const params = Array.isArray(spec.params) ? spec.params : [];
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  return params.map((p: Record<string, unknown> | null, k: number) => ({
    name: asString(p?.name) ?? '',
    value: asString(p?.value) ?? '',
    binding: { kind, name, source: rangeAt(loc, 'spec', 'params', k, 'value') ?? rangeAt(loc, 'spec', 'params', k) },
  }));
}

/**
 * Collects the params of a trigger's `bindings` (upstream resolveBindingsToParams). `loc` points at the `bindings`
 * list. Returns upstream's error text for a missing binding, an invalid entry or a duplicate name.
 */
export function collectBindingParams(
  bindings: unknown,
  ws: WorkspaceResources,
  namespace: string,
  loc: Loc | undefined,
): { params: BindingParam[] } | { error: string; source?: SourceRange } {
  const out: BindingParam[] = [];
  const list = Array.isArray(bindings) ? bindings : [];
  for (let k = 0; k < list.length; k++) {
    const b = (list[k] ?? {}) as Record<string, unknown>;
    const at = loc ? child(loc, k) : undefined;
    const name = asString(b.name);
    const ref = asString(b.ref);
    if (name && b.value !== undefined && b.value !== null) {
      out.push({
        name,
        value: asString(b.value) ?? '',
        binding: { kind: 'inline', source: rangeAt(at, 'value') ?? rangeAt(at) },
      });
    } else if (ref && b.kind === 'ClusterTriggerBinding') {
      const ctb = ws.find('ClusterTriggerBinding', ref, '');
      if (!ctb) {
        return {
          error: `failed to resolve bindings: error getting ClusterTriggerBinding ${ref}: clustertriggerbinding.triggers.tekton.dev "${ref}" not found`,
          source: rangeAt(at, 'ref'),
        };
      }
      out.push(...bindingResourceParams(ctb.obj, ctb.loc, 'ClusterTriggerBinding'));
    } else if (ref) {
      const tb = ws.find('TriggerBinding', ref, namespace);
      if (!tb) {
        return {
          error: `failed to resolve bindings: error getting TriggerBinding ${ref}: triggerbinding.triggers.tekton.dev "${ref}" not found (namespace ${namespace})`,
          source: rangeAt(at, 'ref'),
        };
      }
      out.push(...bindingResourceParams(tb.obj, tb.loc, 'TriggerBinding'));
    } else {
      return { error: `failed to resolve bindings: invalid binding: ${JSON.stringify(b)}`, source: rangeAt(at) };
    }
  }
  const seen = new Set<string>();
  for (const p of out) {
    if (seen.has(p.name))
      return { error: `failed to resolve bindings: duplicate param name: ${p.name}`, source: p.binding.source };
    seen.add(p.name);
  }
  return { params: out };
}

/** The evaluation object of bindings: upstream's `event` struct with the body parsed as JSON. */
export function buildBindingEvent(event: BindingEvent): { value: GoStruct } | { error: string } {
  let body: unknown = null;
  if (event.body.length > 0) {
    const parsed = goJsonParse(Buffer.from(event.body).toString('utf8'));
    if ('error' in parsed)
      return { error: `failed to marshal event: failed to unmarshal request body: ${parsed.error}` };
    body = parsed.value;
  }
  const header: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.header)) header[k] = v.join(',');
  setGoTypeName(header, 'map[string]string');
  const context = new GoStruct('template.TriggerContext', [{ json: 'eventID', go: 'EventID', value: event.eventID }]);
  return {
    value: new GoStruct('template.event', [
      { json: 'header', go: 'Header', value: header },
      { json: 'body', go: 'Body', value: body },
      { json: 'extensions', go: 'Extensions', value: event.extensions },
      { json: 'context', go: 'Context', value: context },
    ]),
  };
}

/**
 * Resolves binding params against an event and merges template defaults (upstream ResolveParams). `templateParams`
 * undefined means "no template" (binding-eval); then failing expressions never fall back to defaults.
 * The result is sorted by name and says where each value came from.
 */
export function resolveParams(
  bindingParams: readonly BindingParam[],
  event: BindingEvent,
  templateParams: readonly TemplateParamSpec[] | undefined,
): { params: ResolvedParam[] } | { error: string; source?: SourceRange } {
  const built = buildBindingEvent(event);
  if ('error' in built) return { error: `failed to ApplyEventValuesToParams: ${built.error}` };
  const declared = new Map<string, TemplateParamSpec>();
  for (const p of templateParams ?? []) if (!declared.has(p.name)) declared.set(p.name, p);
  // Upstream falls back to defaults only when the template declares params (a nil slice otherwise).
  const defaultsGiven = templateParams !== undefined && templateParams.length > 0;

  const resolved = new Map<string, ResolvedParam>();
  for (const spec of declared.values()) {
    if (spec.default !== undefined) {
      resolved.set(spec.name, {
        name: spec.name,
        value: spec.default,
        origin: 'default',
        declared: true,
        defaultSource: spec.defaultSource,
      });
    }
  }
  for (const p of bindingParams) {
    let value = p.value;
    const traces: ExpressionTrace[] = [];
    let usedDefault = false;
    for (const found of findTektonExpressions(p.value)) {
      const r = evaluateTektonExpression(built.value, found.expression);
      const trace: ExpressionTrace = { expression: found.original, jsonPath: r.jsonPath };
      let replacement: string;
      if ('error' in r) {
        const spec = declared.get(p.name);
        if (defaultsGiven && spec?.default !== undefined) {
          replacement = spec.default;
          trace.error = r.error;
          trace.usedDefault = true;
          usedDefault = true;
        } else {
          return {
            error: `failed to ApplyEventValuesToParams: failed to replace JSONPath value for param ${p.name}: ${p.value}: ${r.error}`,
            source: p.binding.source,
          };
        }
      } else replacement = r.value;
      trace.value = replacement;
      traces.push(trace);
      value = value.split(found.original).join(replacement);
    }
    const spec = declared.get(p.name);
    resolved.set(p.name, {
      name: p.name,
      value,
      origin: usedDefault ? 'binding-default' : 'binding',
      declared: declared.has(p.name),
      binding: p.binding,
      expressions: traces.length ? traces : undefined,
      defaultSource: usedDefault ? spec?.defaultSource : undefined,
    });
  }
  for (const spec of declared.values()) {
    if (!resolved.has(spec.name))
      resolved.set(spec.name, { name: spec.name, origin: 'unbound', declared: true, declaredSource: spec.source });
  }
  const params = [...resolved.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { params };
}
