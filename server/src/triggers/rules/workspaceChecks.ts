/**
 * Warnings that follow from simulating a trigger statically (REFERENCE.md §3.4-3.5; tektoncd/triggers
 * pkg/template/event.go ResolveParams, resource.go ApplyParamsToResourceTemplate): admission accepts all of these,
 * and each one changes what the trigger does when an event arrives. They need the documents a trigger names, which may
 * live in other files, so they read the other documents' summaries through a TriggersResolver.
 *
 * - a template param with no default that no binding of any trigger using the template provides stays literal
 *   `$(tt.params.x)` text in the created resources (`unbound-template-param`);
 * - a binding param the template does not declare is dropped (`undeclared-binding-param`);
 * - two bindings of a trigger providing the same param make the trigger fail (`duplicate-bound-param`);
 * - `$(body.x)` where no payload of the declared GitHub events has `x` fails, or falls back to the template default
 *   (`unknown-body-field`); the events come from a github interceptor's eventTypes or a cel filter's X-GitHub-Event test;
 * - `$(extensions.x)` that no interceptor of the trigger writes fails the same way (`unknown-extension`); custom
 *   interceptors and trigger groups may write anything, so then nothing is said.
 *
 * When a needed document is not in the workspace (or is ambiguous), nothing is said about what depends on it.
 */
import { Node, Scalar } from 'yaml';
import { YamlResource } from '../../document/tektonDocument';
import { Problem } from '../../document/problem';
import { scalarMap } from '../../document/scalarMap';
import { findExpressions, parseBindingPath, PathStep } from './expressions';
import { ANY_STEP, ELEMENT_STEP, githubPathVerdict, JsonStep } from './githubPaths';
import {
  TemplateModel,
  TriggerModel,
  triggerExtensions,
  triggerGithubEvents,
  triggerReplacesBody,
  triggersModel,
} from './model';
import { templateSubstitutions } from './templates';
import {
  allTriggerUses,
  TemplateParamSummary,
  triggerGroupsExist,
  TriggersResolver,
  TriggerUseSummary,
  useSummary,
} from './summary';

/** What a binding's expressions are evaluated against, as far as it is known. */
export interface BindingContext {
  /** The GitHub events the body may be; undefined when not known. */
  githubEvents?: readonly string[];
  /** Extension paths written before the bindings run; undefined when anything may be there. */
  extensions?: readonly (readonly string[])[];
  /** Who is described in messages ("this trigger", "the triggers using this binding (a, b)"). */
  who: string;
}

function warn(start: number, end: number, code: string, message: string): Problem {
  return { start, end, code, message, severity: 'warning', source: 'tekton' };
}

function rangeOf(node: Node | undefined | null, fallback: Node | undefined): { start: number; end: number } {
  const r = node?.range ?? fallback?.range ?? [0, 0];
  return { start: r[0], end: r[1] };
}

/**
 * The cross-document warnings of one Triggers document, offsets relative to its chunk. `resolver` finds the other
 * documents (see indexResolver, resolverFromResources). Never throws on user input.
 */
export function checkTriggersWorkspace(resource: YamlResource, resolver: TriggersResolver): Problem[] {
  const model = triggersModel(resource);
  if (!model) return [];
  try {
    const out: Problem[] = [];
    switch (model.kind) {
      case 'TriggerTemplate':
        if (model.template && resource.name) checkTemplateUsers(out, resource, model.template, resolver);
        break;
      case 'TriggerBinding':
      case 'ClusterTriggerBinding':
        if (resource.name) checkBindingUsers(out, resource, model.kind, resolver);
        break;
      case 'Trigger':
      case 'EventListener': {
        const groups = triggerGroupsExist(resolver);
        for (const t of model.triggers) if (!t.triggerRef) checkTrigger(out, resource, t, resolver, groups);
        break;
      }
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Params: provided, declared, duplicated

/** The param names a binding reference provides, or undefined when the binding is not known (or ambiguous). */
function refParams(resolver: TriggersResolver, kind: string, ref: string): string[] | undefined {
  const found = resolver.find(kind, ref).filter((s) => s.bindingParams);
  if (!found.length) return undefined;
  // The same name in several files (namespaces): any of them may be the one; a param any provides counts.
  return [...new Set(found.flatMap((s) => s.bindingParams!))];
}

/** Whether a trigger's bindings provide a param: true, false, or undefined when a binding is not known. */
function provides(resolver: TriggersResolver, use: TriggerUseSummary, param: string): boolean | undefined {
  let unknown = !!use.invalidBindings;
  for (const b of use.bindings) {
    if ('name' in b) {
      if (b.name === param) return true;
      continue;
    }
    const params = refParams(resolver, b.kind, b.ref);
    if (!params) unknown = true;
    else if (params.includes(param)) return true;
  }
  return unknown ? undefined : false;
}

function unboundMessage(param: string, triggers: string): string {
  return (
    `Param "${param}" has no default and no binding of ${triggers} provides it: ` +
    `it stays literal $(tt.params.${param}) text when the trigger fires`
  );
}

function triggerLabel(u: { name?: string; owner: string }): string {
  return u.name ? `"${u.name}"` : `an unnamed ${u.owner === 'Trigger' ? 'Trigger' : 'trigger'}`;
}

/** TriggerTemplate: params no trigger using the template provides. */
function checkTemplateUsers(
  out: Problem[],
  resource: YamlResource,
  template: TemplateModel,
  resolver: TriggersResolver,
): void {
  const users = allTriggerUses(resolver).filter((u) => u.templateRef === resource.name);
  if (!users.length) return;
  const used = new Set(templateSubstitutions(template, resource.text).map((s) => s.name));
  for (const p of template.params) {
    // A param nothing uses changes nothing, whether it is bound or not.
    if (p.hasDefault || !used.has(p.name)) continue;
    if (users.some((u) => provides(resolver, u, p.name) !== false)) continue;
    const r = rangeOf(p.nameNode, p.node);
    out.push(
      warn(
        r.start,
        r.end,
        'unbound-template-param',
        unboundMessage(p.name, `the triggers using this template (${users.map(triggerLabel).join(', ')})`),
      ),
    );
  }
}

/** The params of the template a trigger uses, or undefined when it is not known. */
function templateParamsOf(t: TriggerModel, resolver: TriggersResolver): TemplateParamSummary[] | undefined {
  if (t.template) return t.template.params;
  if (!t.templateRef) return undefined;
  const found = resolver.find('TriggerTemplate', t.templateRef).filter((s) => s.templateParams);
  // Ambiguous names are left alone: the templates may declare different params.
  return found.length === 1 ? found[0].templateParams : undefined;
}

function checkTrigger(
  out: Problem[],
  resource: YamlResource,
  t: TriggerModel,
  resolver: TriggersResolver,
  groups: boolean,
): void {
  const declared = templateParamsOf(t, resolver);
  const templateName = t.template ? 'the inline template' : `TriggerTemplate "${t.templateRef}"`;
  const seen = new Map<string, string>();
  for (const b of t.bindings) {
    let names: string[] | undefined;
    let at: Scalar | undefined;
    let label: string;
    if (b.name && !b.ref) {
      names = [b.name];
      at = b.nameNode;
      label = 'an inline binding';
    } else if (b.ref && !b.name) {
      names = refParams(resolver, b.kind, b.ref);
      at = b.refNode;
      label = `${b.kind} "${b.ref}"`;
    } else continue;
    if (!names) continue;
    const r = rangeOf(at, b.node ?? undefined);
    for (const n of names) {
      const first = seen.get(n);
      if (first !== undefined)
        out.push(
          warn(
            r.start,
            r.end,
            'duplicate-bound-param',
            `Param "${n}" is also provided by ${first}: the trigger fails when an event arrives ("duplicate param name")`,
          ),
        );
      else seen.set(n, label);
    }
    if (declared) {
      const extra = names.filter((n) => !declared.some((d) => d.name === n));
      if (extra.length && b.name)
        out.push(
          warn(
            r.start,
            r.end,
            'undeclared-binding-param',
            `${templateName} does not declare param "${b.name}": its value is dropped`,
          ),
        );
      else if (extra.length)
        out.push(
          warn(
            r.start,
            r.end,
            'undeclared-binding-param',
            `${label} provides ${extra.map((n) => `"${n}"`).join(', ')}, which ${templateName} does not declare: ${extra.length > 1 ? 'those values are' : 'the value is'} dropped`,
          ),
        );
    }
  }

  // An inline template's params are checked against this trigger alone.
  if (t.template) {
    const used = new Set(templateSubstitutions(t.template, resource.text).map((s) => s.name));
    const use = useSummary(t);
    for (const p of t.template.params) {
      if (p.hasDefault || !used.has(p.name) || provides(resolver, use, p.name) !== false) continue;
      const r = rangeOf(p.nameNode, p.node);
      out.push(warn(r.start, r.end, 'unbound-template-param', unboundMessage(p.name, 'this trigger')));
    }
  }

  // Inline binding values are evaluated against this trigger's event.
  const extensions = triggerExtensions(t);
  const ctx: BindingContext = {
    githubEvents: triggerReplacesBody(t) ? undefined : triggerGithubEvents(t),
    // A Trigger resource may be selected by a trigger group, whose interceptors add extensions.
    extensions: extensions === 'any' || (t.owner === 'Trigger' && groups) ? undefined : extensions,
    who: 'this trigger',
  };
  for (const b of t.bindings)
    if (b.name && !b.ref && b.valueNode) out.push(...bindingExpressionProblems(b.valueNode, resource.text, ctx));
}

// ---------------------------------------------------------------------------------------------------------
// Binding expressions

/** TriggerBinding / ClusterTriggerBinding: expressions checked against every trigger that uses the binding. */
function checkBindingUsers(out: Problem[], resource: YamlResource, kind: string, resolver: TriggersResolver): void {
  const users = allTriggerUses(resolver).filter((u) =>
    u.bindings.some((b) => 'ref' in b && b.ref === resource.name && b.kind === kind),
  );
  if (!users.length) return;
  const ctx = usersContext(users, triggerGroupsExist(resolver));
  const params = triggersModel(resource)?.bindingParams ?? [];
  for (const p of params) if (p.valueNode) out.push(...bindingExpressionProblems(p.valueNode, resource.text, ctx));
}

/** The event a shared binding sees: the union over the triggers using it (unknown as soon as one is unknown). */
export function usersContext(users: readonly TriggerUseSummary[], groups: boolean): BindingContext {
  let events: string[] | undefined = [];
  let extensions: string[][] | undefined = [];
  for (const u of users) {
    if (!u.githubEvents || u.replacesBody) events = undefined;
    else if (events) events.push(...u.githubEvents);
    if (u.extensions === 'any' || (u.owner === 'Trigger' && groups)) extensions = undefined;
    else if (extensions) extensions.push(...u.extensions);
  }
  return {
    githubEvents: events && [...new Set(events)].sort(),
    extensions,
    who: `the triggers using this binding (${users.map(triggerLabel).join(', ')})`,
  };
}

/** The body steps of a binding path: field names and list elements; the unmodelled rest ends in ANY. */
function jsonSteps(steps: readonly PathStep[]): JsonStep[] {
  return steps.map((s) => (s.kind === 'field' ? s.name : s.kind === 'element' ? ELEMENT_STEP : ANY_STEP));
}

function startsWith(a: readonly string[], b: readonly string[]): boolean {
  return b.length <= a.length && b.every((s, i) => a[i] === s);
}

/** The warnings about the `$(body…)` and `$(extensions…)` expressions of one binding value. */
export function bindingExpressionProblems(node: Scalar, text: string, ctx: BindingContext): Problem[] {
  if (typeof node.value !== 'string' || !node.value.includes('$(')) return [];
  const out: Problem[] = [];
  let map: ReturnType<typeof scalarMap> | undefined;
  const source = (e: { innerStart: number }, s: PathStep) =>
    (map ??= scalarMap(node, text)).toSource(e.innerStart + s.start, e.innerStart + s.end);
  for (const e of findExpressions(node.value)) {
    const path = parseBindingPath(e.inner);
    if (!path || !path.steps.length) continue;
    if (path.root === 'body' && ctx.githubEvents?.length) {
      const r = githubPathVerdict(ctx.githubEvents, jsonSteps(path.steps));
      if (r.verdict !== 'impossible') continue;
      const step = path.steps[r.failedAt!];
      const parent = [
        'body',
        ...path.steps.slice(0, r.failedAt).map((s) => (s.kind === 'field' ? s.name : `[${s.name}]`)),
      ]
        .join('.')
        .replace(/\.\[/g, '[');
      const what = step.kind === 'field' ? `"${step.name}" is not a field of ${parent}` : `${parent} is not a list`;
      const { start, end } = source(e, step);
      out.push(
        warn(
          start,
          end,
          'unknown-body-field',
          `${what} in GitHub ${ctx.githubEvents.join(', ')} payloads (@octokit/webhooks-schemas; the events accepted by ${ctx.who}): ` +
            `$(${e.inner}) fails when the trigger fires, or takes the template param's default`,
        ),
      );
    } else if (path.root === 'extensions' && ctx.extensions) {
      const fields: string[] = [];
      for (const s of path.steps) {
        if (s.kind !== 'field') break;
        fields.push(s.name);
      }
      if (!fields.length) continue;
      if (ctx.extensions.some((k) => startsWith(fields, k) || startsWith(k, fields))) continue;
      const written = [...new Set(ctx.extensions.map((k) => k.join('.')))];
      const { start, end } = source(e, path.steps[0]);
      out.push(
        warn(
          start,
          end,
          'unknown-extension',
          `No interceptor of ${ctx.who} writes extensions.${fields.join('.')}` +
            (written.length ? ` (written: ${written.join(', ')})` : ' (its interceptors write no extensions)') +
            `: $(${e.inner}) fails when the trigger fires, or takes the template param's default`,
        ),
      );
    }
  }
  return out;
}
