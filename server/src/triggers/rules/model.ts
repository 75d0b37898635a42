/**
 * A typed view of one Triggers document over its YAML nodes: the templates, bindings, triggers and interceptor chains
 * every Triggers feature reads (admission checks, workspace checks, completion, hover, the index summary). Built once
 * per document text (memoised on the YamlResource) in one pass over the relevant parts.
 *
 * Keys are matched as Go's encoding/json matches them: exactly, else case-insensitively (Triggers decodes its
 * schema-less CRDs that way).
 */
import { Node, Scalar, YAMLMap } from 'yaml';
import { isCoreInterceptor } from '../../document/resourceKind';
import { YamlResource } from '../../document/tektonDocument';
import { isMap, isScalar, isSeq, keyName, Pair } from '../../document/yamlAst';
import { githubEventsOfFilter } from './celEvents';
import { sjsonPath } from './expressions';

export { TRIGGERS_KINDS } from '../../document/resourceKind';

/** A TriggerTemplate param declaration. */
export interface ParamDecl {
  name: string;
  node: Node;
  nameNode?: Scalar;
  description?: string;
  default?: string;
  /** Upstream `Default *string`: any non-null `default`, even "", counts. */
  hasDefault: boolean;
}

/** A TriggerTemplate spec (a TriggerTemplate's, or inline in a trigger's `template.spec`). */
export interface TemplateModel {
  spec: YAMLMap;
  params: ParamDecl[];
  /** The items of `resourcetemplates`. */
  resourceTemplates: Node[];
}

/** A param of a TriggerBinding / ClusterTriggerBinding. */
export interface BindingParamModel {
  node: Node;
  name?: string;
  nameNode?: Scalar;
  value?: string;
  valueNode?: Scalar;
}

/** One entry of a trigger's `bindings`: a reference (`ref`, `kind`) or an inline param (`name`, `value`). */
export interface TriggerBindingModel {
  node: Node | null;
  ref?: string;
  refNode?: Scalar;
  /** `TriggerBinding` unless set (the defaulting webhook fills it in). */
  kind: string;
  name?: string;
  nameNode?: Scalar;
  value?: string;
  valueNode?: Scalar;
  /** True when `value` is written but null (upstream `Value *string` stays nil). */
  nullValue: boolean;
}

/** What an interceptor is, as the EventListener dispatches it. */
export type InterceptorType = 'cel' | 'github' | 'gitlab' | 'bitbucket' | 'slack' | 'webhook' | 'custom' | 'none';

/** An interceptor of a chain. */
export interface InterceptorModel {
  node: Node | null;
  type: InterceptorType;
  /** GitHub event types it lets through (github `eventTypes`, a cel `filter` testing X-GitHub-Event). */
  githubEvents?: string[];
  /** Extension paths it writes; 'any' when it may write anything (custom and webhook interceptors, computed keys). */
  writes: string[][] | 'any';
  /** Who writes each path, for hover and completion. */
  writers: { path: string[]; source: string; expression?: string }[];
}

/** A trigger: a Trigger resource's spec or an inline trigger of an EventListener. */
export interface TriggerModel {
  node: YAMLMap;
  owner: 'Trigger' | 'EventListener';
  name?: string;
  nameNode?: Scalar;
  triggerRef?: string;
  templateRef?: string;
  templateRefNode?: Scalar;
  /** An inline `template.spec`. */
  template?: TemplateModel;
  bindings: TriggerBindingModel[];
  interceptors: InterceptorModel[];
}

/** The Triggers view of a document. */
export interface TriggersModel {
  kind: string;
  /** A TriggerTemplate's spec. */
  template?: TemplateModel;
  /** A TriggerBinding's or ClusterTriggerBinding's params. */
  bindingParams?: BindingParamModel[];
  /** The Trigger itself, or the EventListener's inline triggers (with `triggerRef` ones, which carry no chain). */
  triggers: TriggerModel[];
  hasTriggerGroups: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Node helpers

/** The pair of a key: exact match first, then case-insensitive (Go's encoding/json). */
export function field(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  let folded: Pair | undefined;
  const lower = key.toLowerCase();
  for (const pair of map.items) {
    const k = keyName(pair);
    if (k === key) return pair;
    if (!folded && k?.toLowerCase() === lower) folded = pair;
  }
  return folded;
}

/** The value node of a key (undefined when absent or null). */
export function value(map: unknown, key: string): Node | undefined {
  const v = field(map, key)?.value as Node | null | undefined;
  return v && !(isScalar(v) && v.value === null) ? v : undefined;
}

/** The string value of a key when it is a string scalar (Go does not decode a YAML number into a string field). */
export function str(map: unknown, key: string): string | undefined {
  const v = value(map, key);
  return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
}

/** The scalar node of a key, if it is one. */
export function scalar(map: unknown, key: string): Scalar | undefined {
  const v = field(map, key)?.value;
  return isScalar(v) ? v : undefined;
}

/** True when the key is written with a non-null value. */
export function present(map: unknown, key: string): boolean {
  return value(map, key) !== undefined;
}

function items(node: Node | undefined): (Node | null)[] {
  return isSeq(node) ? (node.items as (Node | null)[]) : [];
}

function nonNull(node: Node | null | undefined): node is Node {
  return !!node && !(isScalar(node) && node.value === null);
}

// ---------------------------------------------------------------------------------------------------------
// Model

/** The Triggers model of a document, or undefined for documents of other groups. Never throws. */
export function triggersModel(resource: YamlResource): TriggersModel | undefined {
  if (!resource.isTriggers || !resource.kind) return undefined;
  return resource.memo('triggersModel', () => {
    try {
      return buildModel(resource);
    } catch {
      return undefined;
    }
  });
}

function buildModel(resource: YamlResource): TriggersModel {
  const kind = resource.kind!;
  const root = resource.root;
  const spec = value(root, 'spec');
  const model: TriggersModel = { kind, triggers: [], hasTriggerGroups: false };
  switch (kind) {
    case 'TriggerTemplate':
      if (isMap(spec)) model.template = templateModel(spec);
      break;
    case 'TriggerBinding':
    case 'ClusterTriggerBinding':
      model.bindingParams = items(value(spec, 'params')).map((p) => ({
        node: p as Node,
        name: str(p, 'name'),
        nameNode: scalar(p, 'name'),
        value: str(p, 'value'),
        valueNode: scalar(p, 'value'),
      }));
      break;
    case 'Trigger':
      if (isMap(spec)) {
        const t = triggerModel(spec, 'Trigger');
        // A Trigger is known by its metadata.name (EventListeners reference it, labels carry it).
        t.name = resource.name ?? t.name;
        model.triggers.push(t);
      }
      break;
    case 'EventListener':
      for (const t of items(value(spec, 'triggers')))
        if (isMap(t)) model.triggers.push(triggerModel(t, 'EventListener'));
      model.hasTriggerGroups = items(value(spec, 'triggerGroups')).length > 0;
      break;
  }
  return model;
}

/** A TriggerTemplate spec. */
export function templateModel(spec: YAMLMap): TemplateModel {
  const params: ParamDecl[] = [];
  for (const p of items(value(spec, 'params'))) {
    if (!isMap(p)) continue;
    const name = str(p, 'name');
    if (name === undefined) continue;
    const def = value(p, 'default');
    params.push({
      name,
      node: p,
      nameNode: scalar(p, 'name'),
      description: str(p, 'description'),
      default: isScalar(def) && def.value !== null ? String(def.value) : undefined,
      hasDefault: def !== undefined,
    });
  }
  return { spec, params, resourceTemplates: items(value(spec, 'resourcetemplates')).filter(nonNull) };
}

function triggerModel(node: YAMLMap, owner: TriggerModel['owner']): TriggerModel {
  const template = value(node, 'template');
  const templateSpec = value(template, 'spec');
  return {
    node,
    owner,
    name: str(node, 'name'),
    nameNode: scalar(node, 'name'),
    triggerRef: str(node, 'triggerRef'),
    templateRef: str(template, 'ref'),
    templateRefNode: scalar(template, 'ref'),
    template: isMap(templateSpec) ? templateModel(templateSpec) : undefined,
    bindings: items(value(node, 'bindings')).map(bindingModel),
    interceptors: items(value(node, 'interceptors')).map(interceptorModel),
  };
}

function bindingModel(node: Node | null): TriggerBindingModel {
  const v = field(node, 'value')?.value as Node | null | undefined;
  return {
    node,
    ref: str(node, 'ref'),
    refNode: scalar(node, 'ref'),
    kind: str(node, 'kind') || 'TriggerBinding',
    name: str(node, 'name'),
    nameNode: scalar(node, 'name'),
    // Inline values are strings; a YAML number or boolean is decoded by sigs.k8s.io/yaml as JSON and rejected.
    value: isScalar(v) && v.value !== null ? String(v.value) : undefined,
    valueNode: isScalar(v) ? v : undefined,
    nullValue: field(node, 'value') !== undefined && !nonNull(v),
  };
}

/** The params of a `ref:` interceptor by name (a repeated name keeps the last, as upstream's map does). */
function refParams(node: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const p of items(value(node, 'params'))) {
    const name = str(p, 'name');
    const v = value(p, 'value');
    if (name !== undefined && v) out.set(name, v);
  }
  return out;
}

function legacyParams(body: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  if (isMap(body))
    for (const pair of body.items) {
      const k = keyName(pair);
      if (k !== undefined && nonNull(pair.value as Node | null)) out.set(k, pair.value as Node);
    }
  return out;
}

function interceptorModel(node: Node | null): InterceptorModel {
  const none: InterceptorModel = { node, type: 'none', writes: [], writers: [] };
  if (!isMap(node)) return none;
  if (present(node, 'webhook')) return { node, type: 'webhook', writes: 'any', writers: [] };
  for (const legacy of ['cel', 'github', 'gitlab', 'bitbucket'] as const) {
    const body = value(node, legacy);
    if (isMap(body)) return coreInterceptor(node, legacy, legacyParams(body));
  }
  const ref = value(node, 'ref');
  const name = str(ref, 'name');
  if (!name) return none;
  const kind = str(ref, 'kind') || 'ClusterInterceptor';
  if (kind === 'ClusterInterceptor' && isCoreInterceptor(name))
    return coreInterceptor(node, name as InterceptorType, refParams(node));
  return { node, type: 'custom', writes: 'any', writers: [] };
}

function stringList(node: Node | undefined): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

function coreInterceptor(node: YAMLMap, type: InterceptorType, params: Map<string, Node>): InterceptorModel {
  const m: InterceptorModel = { node, type, writes: [], writers: [] };
  const writes: string[][] = [];
  const write = (path: string[], source: string, expression?: string) => {
    writes.push(path);
    m.writers.push({ path, source, expression });
  };
  let open = false;
  switch (type) {
    case 'cel': {
      const filter = params.get('filter');
      if (isScalar(filter) && typeof filter.value === 'string') m.githubEvents = githubEventsOfFilter(filter.value);
      const overlays = params.get('overlays');
      if (overlays && !isSeq(overlays)) open = true;
      for (const o of items(overlays)) {
        const key = str(o, 'key');
        if (key === undefined) open = true;
        else write(sjsonPath(key), 'cel interceptor overlay', str(o, 'expression'));
      }
      break;
    }
    case 'github': {
      const types = params.get('eventTypes');
      if (types) m.githubEvents = stringList(types);
      const changed = params.get('addChangedFiles');
      // Only `enabled: false` is known to write nothing; anything else may enable the lookup.
      const enabled = isMap(changed) ? value(changed, 'enabled') : undefined;
      if (changed && !(isScalar(enabled) && enabled.value === false) && !(isMap(changed) && !enabled))
        write(['changed_files'], 'github interceptor (addChangedFiles)');
      break;
    }
    case 'slack': {
      const fields = params.get('requestedFields');
      if (fields) {
        const list = stringList(fields);
        if (!list) open = true;
        else for (const f of list) write([f], 'slack interceptor (requestedFields)');
      }
      break;
    }
  }
  m.writes = open ? 'any' : writes;
  return m;
}

/** The GitHub events a trigger's chain lets through (the intersection of what its interceptors declare). */
export function triggerGithubEvents(t: TriggerModel): string[] | undefined {
  let events: string[] | undefined;
  for (const i of t.interceptors) {
    if (!i.githubEvents) continue;
    events = events ? events.filter((e) => i.githubEvents!.includes(e)) : [...i.githubEvents];
  }
  return events;
}

/** The extension paths a trigger's chain writes, or 'any' when some interceptor may write anything. */
export function triggerExtensions(t: TriggerModel): string[][] | 'any' {
  const out: string[][] = [];
  for (const i of t.interceptors) {
    if (i.writes === 'any') return 'any';
    out.push(...i.writes);
  }
  return out;
}

/** True when an interceptor before the bindings may replace the body (legacy webhook interceptors do). */
export function triggerReplacesBody(t: TriggerModel): boolean {
  return t.interceptors.some((i) => i.type === 'webhook');
}
