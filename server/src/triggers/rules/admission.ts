/**
 * What the Tekton Triggers admission webhook rejects, checked statically: tektoncd/triggers
 * pkg/apis/triggers/v1beta1/{trigger_template,trigger_binding,trigger,event_listener}_validation.go and
 * v1alpha1/{cluster_interceptor,namespaced_interceptor}_validation.go (@088902973).
 *
 * The JSON schemas (scripts/triggersSchemas.mjs) already cover what a schema can say: required fields, enums (binding
 * `kind`, webhook `objectRef.kind`/`apiVersion`, `template.apiversion`, the payload-validation annotation), the
 * EventListener name length, `replicas >= 0`, `minItems` of resourcetemplates and trigger-group interceptors. The
 * server's schema validator treats `oneOf` like `anyOf`, so "exactly one of" rules pass the schema when both sides
 * are set; those, and everything about values (empty strings, `$(` syntax, declared params), are checked here. Rules
 * the schema reports are not repeated, so each mistake is reported once.
 *
 * Errors are what admission rejects; warnings are accepted by admission but go wrong when an event arrives.
 */
import { Node, Scalar, YAMLMap } from 'yaml';
import { YamlResource } from '../../document/tektonDocument';
import { isMap, isScalar, isSeq } from '../../document/yamlAst';
import { canonicalMimeHeaderKey } from '../../cel/goCompat';
import { didYouMean, Fix, Problem, Severity } from '../../document/problem';
import { scalarMap } from '../../document/scalarMap';
import { findExpressions, parseBindingPath, unterminatedExpressions } from './expressions';
import { field, present, str, TemplateModel, triggersModel, TriggerModel, value } from './model';
import { templateSubstitutions } from './templates';
import { checkCelHeaderNames } from './celHeaders';

/** Collects problems with node or offset ranges. */
class Problems {
  readonly out: Problem[] = [];
  constructor(
    private readonly fallback: Node | undefined,
    private readonly text: string,
  ) {}

  add(
    at: Node | { start: number; end: number } | null | undefined,
    severity: Severity,
    code: string,
    message: string,
    fixes?: Fix[],
  ): void {
    let r: { start: number; end: number } | undefined;
    if (at && 'range' in at && at.range) r = { start: at.range[0], end: at.range[1] };
    else if (at && 'start' in at && typeof at.start === 'number') r = at as { start: number; end: number };
    r ??= { start: this.fallback?.range?.[0] ?? 0, end: this.fallback?.range?.[1] ?? 0 };
    if (r.start === r.end) {
      // An empty list entry (`-` alone) is a null node of no width: mark its dash.
      let i = r.start - 1;
      while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
      if (this.text[i] === '-') r = { start: i, end: i + 1 };
    }
    this.out.push({ start: r.start, end: Math.max(r.start, r.end), message, code, severity, source: 'tekton', ...(fixes && { fixes }) });
  }
}

/** The key node of a field (for problems about a field being there). */
function keyOf(map: unknown, key: string): Node | undefined {
  return (field(map, key)?.key ?? undefined) as Node | undefined;
}

/** True when a node is null, an empty map or an empty list (what Go's `equality.Semantic.DeepEqual` calls empty). */
function isEmpty(node: Node | null | undefined): boolean {
  if (!node || (isScalar(node) && node.value === null)) return true;
  if (isMap(node)) return node.items.every((p) => isEmpty(p.value as Node | null));
  if (isSeq(node)) return node.items.length === 0;
  return false;
}

/** Kubernetes `validation.IsValidLabelValue` (the length is the schema's maxLength 63). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * The admission-time problems of one Triggers document (all seven kinds), with offsets relative to its chunk.
 * Never throws on user input; other documents yield [].
 */
export function checkTriggersResource(resource: YamlResource): Problem[] {
  if (!resource.isTriggers || !isMap(resource.root)) return [];
  try {
    return resource.memo('triggersAdmission', () => [...check(resource), ...checkCelHeaderNames(resource)]);
  } catch {
    return [];
  }
}

function check(resource: YamlResource): Problem[] {
  const root = resource.root as YAMLMap;
  const kindNode = value(root, 'kind');
  const p = new Problems(kindNode ?? root, resource.text);
  const model = triggersModel(resource);
  if (!model) return [];
  const spec = value(root, 'spec');
  const alpha = resource.kindInfo?.version === 'v1alpha1';
  switch (model.kind) {
    case 'TriggerTemplate':
      // An absent spec passes the schema (only the spec's own fields are required there).
      if (!spec)
        p.add(
          keyOf(root, 'spec') ?? kindNode,
          'error',
          'missing-spec',
          'A TriggerTemplate needs a spec with resourcetemplates',
        );
      if (model.template) checkTemplate(p, model.template, resource.text);
      break;
    case 'TriggerBinding':
    case 'ClusterTriggerBinding':
      if (isEmpty(spec))
        p.add(
          keyOf(root, 'spec') ?? kindNode,
          'error',
          'missing-spec',
          `A ${model.kind} needs a spec with params; an empty spec is rejected`,
        );
      checkBindingParams(p, model.bindingParams ?? [], resource.text);
      break;
    case 'Trigger':
      if (!spec)
        p.add(keyOf(root, 'spec') ?? kindNode, 'error', 'missing-spec', 'A Trigger needs a spec with a template');
      for (const t of model.triggers) checkTrigger(p, t, resource.text, alpha);
      break;
    case 'EventListener':
      checkEventListener(p, resource, model.triggers, alpha);
      break;
    case 'ClusterInterceptor':
    case 'Interceptor':
      checkInterceptorResource(p, spec);
      break;
  }
  return p.out.sort((a, b) => a.start - b.start || a.end - b.end);
}

// ---------------------------------------------------------------------------------------------------------
// TriggerTemplate (trigger_template_validation.go)

function checkTemplate(p: Problems, t: TemplateModel, text: string): void {
  const declared = new Set(t.params.map((d) => d.name));
  for (const s of templateSubstitutions(t, text)) {
    if (declared.has(s.name)) continue;
    // the name ends before the closing parenthesis of `$(tt.params.NAME)`
    const { hint, fixes } = didYouMean(s.name, declared, s.end - 1 - s.name.length, s.end - 1);
    p.add(
      s,
      'error',
      'undeclared-template-param',
      `$(tt.params.${s.name}) is not declared in spec.params: admission rejects the template ("undeclared param")${hint}`,
      fixes,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// TriggerBinding / ClusterTriggerBinding (trigger_binding_validation.go)

function checkBindingParams(
  p: Problems,
  params: { name?: string; nameNode?: Scalar; valueNode?: Scalar }[],
  text: string,
): void {
  const seen = new Set<string>();
  for (const param of params) {
    if (param.name !== undefined) {
      if (seen.has(param.name))
        p.add(
          param.nameNode,
          'error',
          'duplicate-binding-param',
          `Param "${param.name}" is declared more than once; param names must be unique`,
        );
      seen.add(param.name);
    }
    if (param.valueNode) checkBindingValue(p, param.valueNode, text, true);
  }
}

/** The roots a binding expression may read (pkg/template/event.go: the event is {body, header, extensions, context}). */
const BINDING_ROOTS = new Set(['body', 'header', 'extensions', 'context']);

/**
 * The `$(` syntax of a binding value. `admission`: the value is a TriggerBinding's, which the webhook checks (inline
 * trigger bindings are not checked there, but evaluate the same way).
 */
function checkBindingValue(p: Problems, node: Scalar, text: string, admission: boolean): void {
  if (typeof node.value !== 'string' || !node.value.includes('$(')) return;
  const map = scalarMap(node, text);
  for (const u of unterminatedExpressions(node.value)) {
    if (u.rejected && admission)
      p.add(
        map.toSource(u.start, u.end),
        'error',
        'unterminated-expression',
        'This $( is not closed before the next $(: the binding is rejected',
      );
    else
      p.add(
        map.toSource(u.start, u.end),
        'warning',
        'unclosed-expression',
        'This $( has no closing ")": it is not evaluated and stays in the value as literal text',
      );
  }
  for (const e of findExpressions(node.value)) {
    const path = parseBindingPath(e.inner);
    if (!path) continue;
    const range = map.toSource(e.innerStart + path.rootStart, e.innerStart + path.rootEnd);
    if (!BINDING_ROOTS.has(path.root)) {
      const { hint, fixes } = didYouMean(path.root, BINDING_ROOTS, range.start, range.end);
      p.add(
        range,
        'warning',
        'unknown-binding-variable',
        `"${path.root}" is not part of the event (body, header, extensions, context.eventID): the expression fails when the trigger fires, or takes the template param's default${hint}`,
        fixes,
      );
    } else if (path.root === 'context' && path.steps.length && path.steps[0].name !== 'eventID') {
      const step = path.steps[0];
      p.add(
        map.toSource(e.innerStart + step.start, e.innerStart + step.end),
        'warning',
        'unknown-binding-variable',
        `context has only eventID: $(context.${step.name}) fails when the trigger fires, or takes the template param's default`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Trigger (trigger_validation.go), also for inline EventListener triggers

/** True when a key is written with a null or empty-string scalar (what passes the schema's `required` but not admission). */
function blank(map: unknown, key: string): boolean {
  const v = field(map, key)?.value as Node | null | undefined;
  return !!field(map, key) && (!v || (isScalar(v) && (v.value === null || v.value === '')));
}

function checkTrigger(p: Problems, t: TriggerModel, text: string, alpha: boolean, withTemplate = true): void {
  // Bindings: exactly one of a non-empty `ref` or `name` (+ `value`).
  for (const b of t.bindings) {
    if (!isMap(b.node)) {
      p.add(b.node, 'error', 'invalid-binding', 'A binding must be a ref to a TriggerBinding or a name and value');
      continue;
    }
    if (b.ref && b.name)
      p.add(
        keyOf(b.node, 'name'),
        'error',
        'binding-ref-and-name',
        'A binding has either ref (a TriggerBinding) or name and value (an inline param), not both',
      );
    else if (!b.name && blank(b.node, 'ref'))
      // An empty `ref` passes the schema's `required`; admission reports "expected exactly one, got neither".
      p.add(
        keyOf(b.node, 'ref'),
        'error',
        'invalid-binding',
        'The binding ref is empty: name a TriggerBinding, or give name and value',
      );
    else if (!b.ref && b.name && b.nullValue)
      p.add(keyOf(b.node, 'value'), 'error', 'invalid-binding', `The inline binding "${b.name}" needs a value`);
    if (b.name && b.valueNode) checkBindingValue(p, b.valueNode, text, false);
  }
  if (withTemplate) checkTriggerTemplate(p, t, text);
  checkInterceptors(p, t, alpha);
}

function checkTriggerTemplate(p: Problems, t: TriggerModel, text: string): void {
  const templatePair = field(t.node, 'template');
  if (!templatePair) return; // the schema reports the missing template
  const template = value(t.node, 'template');
  if (present(template, 'spec') && present(template, 'ref'))
    p.add(
      keyOf(template, 'spec'),
      'error',
      'template-ref-and-spec',
      'A trigger template has either ref or spec, not both',
    );
  else if (!present(template, 'spec') && (!template || blank(template, 'ref')))
    // A null template, `ref: ""` or `ref: null` pass the schema's `required`.
    p.add(
      keyOf(template, 'ref') ?? (templatePair.key as Node),
      'error',
      'invalid-template-ref',
      'The template is empty: set template.ref (a TriggerTemplate name) or template.spec',
    );
  if (t.template) checkTemplate(p, t.template, text);
}

function checkInterceptors(p: Problems, t: TriggerModel, alpha: boolean): void {
  for (const i of t.interceptors) {
    const node = i.node;
    if (!isMap(node)) {
      p.add(node, 'error', 'invalid-interceptor', 'An interceptor entry must not be empty');
      continue;
    }
    if (alpha) {
      // Enforce oneof (the legacy `cel:` form is not counted upstream).
      const set = ['webhook', 'github', 'gitlab', 'bitbucket'].filter((k) => present(node, k));
      if (set.length > 1)
        p.add(
          keyOf(node, set[1]),
          'error',
          'multiple-interceptor-types',
          `An interceptor is one of webhook, github, gitlab or bitbucket; found ${set.join(' and ')}`,
        );
      const cel = value(node, 'cel');
      if (isMap(cel) && !str(cel, 'filter') && !present(cel, 'overlays'))
        p.add(keyOf(node, 'cel'), 'error', 'empty-cel-interceptor', 'A cel interceptor needs a filter or overlays');
    }
    const legacy = ['webhook', ...(alpha ? ['github', 'gitlab', 'bitbucket', 'cel'] : [])].some((k) =>
      present(node, k),
    );
    const ref = value(node, 'ref');
    // A missing ref or name is the schema's; an empty name passes it.
    if (!legacy && isMap(ref) && field(ref, 'name') && !str(ref, 'name'))
      p.add(
        keyOf(ref, 'name'),
        'error',
        'invalid-interceptor',
        'The interceptor ref has no name: name a ClusterInterceptor (cel, github, gitlab, bitbucket, slack) or an Interceptor',
      );
    const webhook = value(node, 'webhook');
    if (isMap(webhook)) checkWebhookHeaders(p, webhook);
  }
}

function checkWebhookHeaders(p: Problems, webhook: YAMLMap): void {
  const headers = value(webhook, 'header');
  if (!isSeq(headers)) return;
  for (const h of headers.items) {
    const name = value(h, 'name');
    if (
      isScalar(name) &&
      typeof name.value === 'string' &&
      name.value &&
      canonicalMimeHeaderKey(name.value) !== name.value
    )
      p.add(
        name,
        'error',
        'invalid-webhook-header',
        `Header names must be canonical: write "${canonicalMimeHeaderKey(name.value)}"`,
      );
    const v = field(h, 'value')?.value as Node | null | undefined;
    if ((isScalar(v) && v.value === '') || (isSeq(v) && v.items.length === 0))
      p.add(v, 'error', 'invalid-webhook-header', 'A webhook header value must not be empty');
  }
}

// ---------------------------------------------------------------------------------------------------------
// EventListener (event_listener_validation.go)

function checkEventListener(p: Problems, resource: YamlResource, triggers: TriggerModel[], alpha: boolean): void {
  const root = resource.root as YAMLMap;
  const spec = value(root, 'spec');
  const specKey = keyOf(root, 'spec');
  if (!spec) {
    p.add(
      specKey ?? value(root, 'kind'),
      'error',
      'missing-triggers',
      'An EventListener needs triggers, triggerGroups, a labelSelector or a namespaceSelector',
    );
    return;
  }
  const keys = ['triggers', 'triggerGroups', 'labelSelector', 'namespaceSelector'];
  const nsNames = value(value(spec, 'namespaceSelector'), 'matchNames');
  const effective =
    !isEmptyList(value(spec, 'triggers')) ||
    !isEmptyList(value(spec, 'triggerGroups')) ||
    present(spec, 'labelSelector') ||
    !isEmptyList(nsNames);
  // With none of the keys, the schema's anyOf reports it; with only empty ones, admission still rejects it.
  if (!effective && keys.some((k) => field(spec, k))) {
    p.add(
      specKey,
      'error',
      'missing-triggers',
      'An EventListener needs at least one trigger, trigger group, labelSelector or namespaceSelector.matchNames',
    );
    return;
  }

  for (const t of triggers) {
    const node = t.node;
    if (t.name !== undefined && !LABEL_VALUE.test(t.name) && t.name.length <= 63)
      p.add(
        t.nameNode,
        'error',
        'invalid-trigger-name',
        `The trigger name "${t.name}" must be a valid label value (letters, digits, "-", "_", "." and starting and ending with a letter or digit): it is set as the triggers.tekton.dev/trigger label`,
      );
    const refKey = keyOf(node, 'triggerRef');
    // Upstream tests pointers and slices for nil: `bindings: []` is set, `bindings:` (null) is not.
    const inline = ['template', 'bindings', 'interceptors'].filter((k) => present(node, k));
    if (t.triggerRef && inline.length) {
      p.add(
        refKey,
        'error',
        'trigger-ref-and-inline',
        `A trigger has either triggerRef or inline ${inline.join(', ')}, not both`,
      );
      continue;
    }
    const hasTemplate = present(node, 'template');
    // Neither key is the schema's; an empty triggerRef or a null template pass the schema.
    if (!t.triggerRef && !hasTemplate && (refKey || field(node, 'template')))
      p.add(
        refKey ?? keyOf(node, 'template'),
        'error',
        'missing-trigger-template',
        'A trigger needs a template or a triggerRef',
      );
    checkTrigger(p, t, resource.text, alpha, hasTemplate);
  }

  const resources = value(spec, 'resources');
  if (present(resources, 'kubernetesResource') && present(resources, 'customResource'))
    p.add(
      keyOf(resources, 'customResource'),
      'error',
      'sink-resources-conflict',
      'Set only one of kubernetesResource and customResource',
    );

  const groups = value(spec, 'triggerGroups');
  if (isSeq(groups))
    for (const g of groups.items) {
      if (!isMap(g)) continue;
      const selector = value(g, 'triggerSelector');
      const selects =
        present(selector, 'labelSelector') || !isEmptyList(value(value(selector, 'namespaceSelector'), 'matchNames'));
      // A missing selector, or one with neither key, is the schema's.
      if (!selects && (field(selector, 'labelSelector') || field(selector, 'namespaceSelector')))
        p.add(
          keyOf(g, 'triggerSelector'),
          'error',
          'invalid-trigger-group',
          'A trigger group needs a triggerSelector with a labelSelector or namespaceSelector.matchNames',
        );
      if (field(g, 'interceptors') && !present(g, 'interceptors'))
        p.add(
          keyOf(g, 'interceptors'),
          'error',
          'invalid-trigger-group',
          'A trigger group needs at least one interceptor',
        );
    }
}

function isEmptyList(node: Node | undefined): boolean {
  return !node || (isSeq(node) && node.items.length === 0);
}

// ---------------------------------------------------------------------------------------------------------
// ClusterInterceptor / Interceptor (v1alpha1 {cluster,namespaced}_interceptor_validation.go)

function checkInterceptorResource(p: Problems, spec: Node | undefined): void {
  const config = value(spec, 'clientConfig');
  if (!isMap(config)) return;
  if (present(config, 'url') && present(config, 'service'))
    p.add(
      keyOf(config, 'service'),
      'error',
      'interceptor-url-and-service',
      'clientConfig has either url or service, not both',
    );
  const service = value(config, 'service');
  if (!isMap(service)) return;
  for (const k of ['namespace', 'name'])
    if (field(service, k) && !str(service, k))
      p.add(keyOf(service, k), 'error', 'invalid-interceptor-service', `clientConfig.service.${k} must not be empty`);
}
