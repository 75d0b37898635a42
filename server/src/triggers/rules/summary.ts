/**
 * What other files need to know about a Triggers document, kept in the workspace index (`IndexedResource.summary`):
 * the params a binding provides, the params a template declares, and for each trigger its template, bindings, the
 * GitHub events its interceptors let through and the extensions they write. Summaries are small JSON values (the
 * index compares them as JSON to skip no-op refreshes) and are computed once per document text.
 */
import { YamlResource } from '../../document/tektonDocument';
import { IndexedResource, WorkspaceIndex } from '../../workspace/workspaceIndex';
import { TriggerModel, triggerExtensions, triggerGithubEvents, triggerReplacesBody, triggersModel } from './model';
import { templateSubstitutions } from './templates';

/** A TriggerTemplate param as other documents see it. */
export interface TemplateParamSummary {
  name: string;
  description?: string;
  default?: string;
  hasDefault: boolean;
}

/** Who writes an extension, for completion and hover in bindings. */
export interface ExtensionWriter {
  path: string[];
  source: string;
  expression?: string;
}

/** One trigger (a Trigger resource, or an inline trigger of an EventListener). */
export interface TriggerUseSummary {
  owner: 'Trigger' | 'EventListener';
  name?: string;
  /** `template.ref`. */
  templateRef?: string;
  /** The params of an inline `template.spec`. */
  inlineTemplateParams?: TemplateParamSummary[];
  /** Its bindings: references, and the names of inline params. */
  bindings: ({ ref: string; kind: string } | { name: string })[];
  /** True when some binding entry is neither (so what the bindings provide is not known). */
  invalidBindings?: boolean;
  /** The GitHub events its interceptors let through, when they say. */
  githubEvents?: string[];
  /** The extension paths its interceptors write; 'any' when some interceptor may write anything. */
  extensions: string[][] | 'any';
  writers: ExtensionWriter[];
  /** A legacy webhook interceptor may replace the body before the bindings read it. */
  replacesBody?: boolean;
}

/** The summary of a Triggers document. `type` tells it apart from other kinds' summaries. */
export interface TriggersSummary {
  type: 'triggers';
  /** TriggerBinding / ClusterTriggerBinding: the param names it provides. */
  bindingParams?: string[];
  /** TriggerTemplate: its params, and the ones its resource templates use. */
  templateParams?: TemplateParamSummary[];
  usedParams?: string[];
  /** Trigger: itself; EventListener: its inline triggers (not `triggerRef` ones). */
  triggers?: TriggerUseSummary[];
  /** EventListener: has triggerGroups, whose interceptors add extensions to the Triggers they select. */
  hasTriggerGroups?: boolean;
}

/**
 * The index summary of a Triggers document (the `Summarizer` of the WorkspaceIndex for the triggers.tekton.dev
 * kinds); undefined for other documents. Never throws.
 */
export function summarizeTriggersResource(resource: YamlResource): TriggersSummary | undefined {
  const model = triggersModel(resource);
  if (!model) return undefined;
  return resource.memo('triggersSummary', () => {
    try {
      const s: TriggersSummary = { type: 'triggers' };
      if (model.bindingParams)
        s.bindingParams = model.bindingParams.flatMap((p) => (p.name !== undefined ? [p.name] : []));
      if (model.template) {
        s.templateParams = model.template.params.map(paramSummary);
        s.usedParams = [...new Set(templateSubstitutions(model.template, resource.text).map((x) => x.name))];
      }
      if (model.kind === 'Trigger' || model.kind === 'EventListener')
        s.triggers = model.triggers.filter((t) => !t.triggerRef).map(useSummary);
      if (model.hasTriggerGroups) s.hasTriggerGroups = true;
      return s;
    } catch {
      return undefined;
    }
  });
}

function paramSummary(p: TemplateParamSummary): TemplateParamSummary {
  const out: TemplateParamSummary = { name: p.name, hasDefault: p.hasDefault };
  if (p.description !== undefined) out.description = p.description;
  if (p.default !== undefined) out.default = p.default;
  return out;
}

/** The summary of one trigger of a model. */
export function useSummary(t: TriggerModel): TriggerUseSummary {
  const bindings: TriggerUseSummary['bindings'] = [];
  let invalid = false;
  for (const b of t.bindings) {
    if (b.ref && !b.name) bindings.push({ ref: b.ref, kind: b.kind });
    else if (b.name && !b.ref) bindings.push({ name: b.name });
    else invalid = true;
  }
  const out: TriggerUseSummary = {
    owner: t.owner,
    bindings,
    extensions: triggerExtensions(t),
    writers: t.interceptors.flatMap((i) => i.writers),
  };
  if (t.name !== undefined) out.name = t.name;
  if (t.templateRef) out.templateRef = t.templateRef;
  if (t.template) out.inlineTemplateParams = t.template.params.map(paramSummary);
  if (invalid) out.invalidBindings = true;
  const events = triggerGithubEvents(t);
  if (events) out.githubEvents = events;
  if (triggerReplacesBody(t)) out.replacesBody = true;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Resolvers

/** Looks up the summaries of other documents. */
export interface TriggersResolver {
  /** The summaries of the resources of a kind with a name (several when the name is declared more than once). */
  find(kind: string, name: string): TriggersSummary[];
  /** The summaries of every resource of a kind. */
  all(kind: string): TriggersSummary[];
}

function asTriggersSummary(summary: unknown): TriggersSummary | undefined {
  const s = summary as { type?: string; triggers?: unknown } | undefined;
  if (s?.type === 'triggers') return s as TriggersSummary;
  // A combined summary (`{pipelines: …, triggers: …}`) works too.
  const nested = (s as { triggers?: { type?: string } } | undefined)?.triggers;
  return nested && !Array.isArray(nested) && nested.type === 'triggers' ? (nested as TriggersSummary) : undefined;
}

/**
 * A resolver over the workspace index. The index must be built with a summarizer that stores
 * `summarizeTriggersResource(resource)` (directly, or under a `triggers` key); `summaryOf` adapts other layouts.
 */
export function indexResolver(
  index: WorkspaceIndex,
  summaryOf: (r: IndexedResource) => TriggersSummary | undefined = (r) => asTriggersSummary(r.summary),
): TriggersResolver {
  const pick = (list: IndexedResource[]) => list.flatMap((r) => (summaryOf(r) ? [summaryOf(r)!] : []));
  return {
    find: (kind, name) => pick(index.find(kind, name)),
    all: (kind) => pick(index.all(kind)),
  };
}

/** A resolver over a fixed set of documents (a single file, the CLI, tests). */
export function resolverFromResources(resources: Iterable<YamlResource>): TriggersResolver {
  const entries: { kind: string; name: string; summary: TriggersSummary }[] = [];
  for (const r of resources) {
    const summary = summarizeTriggersResource(r);
    if (summary && r.kind && r.name) entries.push({ kind: r.kind, name: r.name, summary });
  }
  return {
    find: (kind, name) => entries.filter((e) => e.kind === kind && e.name === name).map((e) => e.summary),
    all: (kind) => entries.filter((e) => e.kind === kind).map((e) => e.summary),
  };
}

/** Every trigger of the workspace that carries its own chain and bindings (Trigger resources, inline triggers). */
export function allTriggerUses(resolver: TriggersResolver): TriggerUseSummary[] {
  return [...resolver.all('Trigger'), ...resolver.all('EventListener')].flatMap((s) => s.triggers ?? []);
}

/** True when some EventListener has trigger groups: their interceptors add extensions to the Triggers they select. */
export function triggerGroupsExist(resolver: TriggersResolver): boolean {
  return resolver.all('EventListener').some((s) => s.hasTriggerGroups);
}
