/**
 * Completion and hover inside the `$(...)` of Triggers documents:
 *
 * - binding values (TriggerBinding params, inline trigger bindings): `body.` fields from the GitHub webhook schemas
 *   of the events the trigger accepts (its github interceptor's eventTypes, or a cel filter testing X-GitHub-Event;
 *   for a TriggerBinding, the triggers using it), canonical `header.` names, the `extensions.` keys the trigger's
 *   interceptors write, and `context.eventID`;
 * - resource templates: `tt.params.<name>` with the param's description and default, and `uid`.
 *
 * Offsets are relative to the resource text, like every node offset; the server adds the chunk's offset.
 */
import { Node, Scalar } from 'yaml';
import { ELEMENT, githubBodyShape } from '../../cel/bodySchemas';
import { canonicalMimeHeaderKey } from '../../cel/goCompat';
import { findWebhookHeader, WEBHOOK_HEADERS } from '../../cel/webhooks';
import { YamlResource } from '../../document/tektonDocument';
import { isScalar, isSeq, locate, YamlPath } from '../../document/yamlAst';
import { ScalarMap, scalarMap } from '../../document/scalarMap';
import { findExpressions, parseBindingPath, PathStep } from './expressions';
import { TemplateModel, TriggerModel, triggerGithubEvents, triggersModel, value } from './model';
import { allTriggerUses, ExtensionWriter, TriggersResolver } from './summary';

/** What completion and hover may know beyond the document: the other documents of the workspace. */
export interface TriggersFeatureContext {
  resolver?: TriggersResolver;
}

/** A completion item; `kind` matches CompletionProposal's, offsets are relative to the resource text. */
export interface TriggersCompletionItem {
  label: string;
  kind: 'property' | 'value';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  replaceStart: number;
  replaceEnd: number;
  sortText?: string;
}

/** Hover contents: markdown and the range it is about (relative to the resource text). */
export interface TriggersHover {
  markdown: string;
  start: number;
  end: number;
}

/** Where the cursor is: a binding value or a resource-template scalar, with what it is evaluated against. */
interface Site {
  scalar: Scalar;
  map: ScalarMap;
  role: 'binding' | 'template';
  events?: string[];
  writers: ExtensionWriter[];
  template?: TemplateModel;
}

const eq = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

function siteAt(resource: YamlResource, offset: number, ctx: TriggersFeatureContext): Site | undefined {
  const model = triggersModel(resource);
  if (!model) return undefined;
  const loc = locate(resource.root, offset);
  const node = loc.node;
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const path = loc.path;
  const make = (role: Site['role'], extra: Partial<Site>): Site => ({
    scalar: node,
    map: scalarMap(node, resource.text),
    role,
    writers: [],
    ...extra,
  });
  const bindingOf = (t: TriggerModel | undefined) =>
    t && make('binding', { events: triggerGithubEvents(t), writers: t.interceptors.flatMap((i) => i.writers) });
  const isTemplate = (p: YamlPath) => p.length > 1 && eq(p[0], 'spec') && eq(p[1], 'resourcetemplates');
  const isBindingValue = (p: YamlPath) => p.length === 3 && eq(p[0], 'bindings') && eq(p[2], 'value') && !loc.onKey;
  switch (model.kind) {
    case 'TriggerTemplate':
      return isTemplate(path) ? make('template', { template: model.template }) : undefined;
    case 'TriggerBinding':
    case 'ClusterTriggerBinding': {
      if (!(path.length === 4 && eq(path[0], 'spec') && eq(path[1], 'params') && eq(path[3], 'value')) || loc.onKey)
        return undefined;
      const users = ctx.resolver
        ? allTriggerUses(ctx.resolver).filter((u) =>
            u.bindings.some((b) => 'ref' in b && b.ref === resource.name && b.kind === model.kind),
          )
        : [];
      const events = [...new Set(users.flatMap((u) => u.githubEvents ?? []))].sort();
      return make('binding', { events: events.length ? events : undefined, writers: users.flatMap((u) => u.writers) });
    }
    case 'Trigger': {
      const t = model.triggers[0];
      if (!eq(path[0], 'spec')) return undefined;
      if (isBindingValue(path.slice(1))) return bindingOf(t);
      if (eq(path[1], 'template') && isTemplate(path.slice(2))) return make('template', { template: t?.template });
      return undefined;
    }
    case 'EventListener': {
      if (!eq(path[0], 'spec') || !eq(path[1], 'triggers') || typeof path[2] !== 'number') return undefined;
      const triggers = value(value(resource.root, 'spec'), 'triggers');
      const item = isSeq(triggers) ? (triggers.items[path[2]] as Node | null) : undefined;
      const t = model.triggers.find((x) => x.node === item);
      if (isBindingValue(path.slice(3))) return bindingOf(t);
      if (eq(path[3], 'template') && isTemplate(path.slice(4))) return make('template', { template: t?.template });
      return undefined;
    }
  }
  return undefined;
}

/** The site at `offset` with the scalar's value and the cursor's position in it; undefined elsewhere. */
function cursorAt(resource: YamlResource, offset: number, ctx: TriggersFeatureContext): { site: Site; value: string; pos: number } | undefined {
  const site = siteAt(resource, offset, ctx);
  const pos = site?.map.toValue(offset);
  if (!site || pos === undefined) return undefined;
  return { site, value: String(site.scalar.value), pos };
}

/** The start of the `$(` the cursor is in (value positions), or undefined outside one. */
function openExpression(value: string, pos: number): number | undefined {
  const s = value.lastIndexOf('$(', pos - 2);
  if (s < 0) return undefined;
  let depth = 0;
  for (let i = s + 2; i < pos; i++) {
    if (value[i] === '(') depth++;
    else if (value[i] === ')' && --depth < 0) return undefined;
  }
  return s;
}

/**
 * Completion items at `offset` (relative to the resource text) inside a `$(...)` of a binding value or a resource
 * template; [] elsewhere. Never throws.
 */
export function triggersVariableCompletions(
  resource: YamlResource,
  offset: number,
  ctx: TriggersFeatureContext = {},
): TriggersCompletionItem[] {
  return completionsAt(resource, offset, ctx) ?? [];
}

/** Completion items, or undefined when the cursor is not inside a `$(...)` of a binding value or template. */
export function completionsAt(
  resource: YamlResource,
  offset: number,
  ctx: TriggersFeatureContext = {},
): TriggersCompletionItem[] | undefined {
  try {
    const at = cursorAt(resource, offset, ctx);
    if (!at) return undefined;
    const { site, value, pos } = at;
    const open = openExpression(value, pos);
    if (open === undefined) return undefined;
    const prefix = value.slice(open + 2, pos);
    const range = (from: number) => {
      const r = site.map.toSource(from, pos);
      return { replaceStart: r.start, replaceEnd: r.end };
    };
    return site.role === 'template'
      ? templateItems(site, prefix, open + 2, range)
      : bindingItems(site, prefix, open + 2, range);
  } catch {
    return undefined;
  }
}

type RangeFn = (from: number) => { replaceStart: number; replaceEnd: number };

const TT_PARAMS = 'tt.params.';

function templateItems(site: Site, prefix: string, start: number, range: RangeFn): TriggersCompletionItem[] {
  const params = site.template?.params ?? [];
  const out: TriggersCompletionItem[] = [];
  const param = (p: TemplateModel['params'][number], label: string, from: number) =>
    out.push({
      label,
      kind: 'value',
      detail: p.hasDefault ? `param, default ${JSON.stringify(p.default ?? '')}` : 'param (no default)',
      documentation: paramDoc(p),
      insertText: label,
      ...range(from),
    });
  if (prefix.startsWith(TT_PARAMS)) {
    for (const p of params) param(p, p.name, start + TT_PARAMS.length);
  } else {
    if (TT_PARAMS.startsWith(prefix)) for (const p of params) param(p, TT_PARAMS + p.name, start);
    if ('uid'.startsWith(prefix))
      out.push({
        label: 'uid',
        kind: 'value',
        detail: 'random id of the event',
        documentation: UID_DOC,
        insertText: 'uid',
        ...range(start),
      });
  }
  return out;
}

const UID_DOC =
  'A random UUID, generated once per trigger invocation: every resource the template creates for one event gets the same value. Use it for unique names or a label that links those resources.';

function paramDoc(p: { name: string; description?: string; default?: string; hasDefault: boolean }): string {
  const lines = [`**$(tt.params.${p.name})**`];
  if (p.description) lines.push('', p.description);
  lines.push(
    '',
    p.hasDefault
      ? `Default: \`${p.default ?? ''}\``
      : 'No default: without a binding providing it, the text stays `$(tt.params.' + p.name + ')`.',
  );
  return lines.join('\n');
}

/** The part of a prefix before its last unescaped `.` (the complete steps) and after it (the word being typed). */
function splitPrefix(prefix: string): { head: string; word: number } | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] === '.' && prefix[i - 1] !== '\\') return { head: prefix.slice(0, i), word: i + 1 };
    if (prefix[i] === '[' || prefix[i] === ']') return undefined;
  }
  return undefined;
}

/** Body steps as bodySchemas paths (`[]` for list elements); undefined when the path is not plain fields and indexes. */
function bodyPath(steps: readonly PathStep[]): string[] | undefined {
  const out: string[] = [];
  for (const s of steps) {
    if (s.kind === 'any') return undefined;
    out.push(s.kind === 'element' ? ELEMENT : s.name);
  }
  return out;
}

const ROOTS: { label: string; detail: string; doc: string }[] = [
  {
    label: 'body',
    detail: 'request body (JSON)',
    doc: 'The JSON body of the request, as received (or as an earlier legacy webhook interceptor replaced it).',
  },
  {
    label: 'header',
    detail: 'request headers',
    doc: 'The request headers. Names are case-insensitive (canonicalised); several values are joined with `,`.',
  },
  {
    label: 'extensions',
    detail: 'written by interceptors',
    doc: 'Values written by the interceptors of the trigger: cel overlays, github `changed_files`, slack `requestedFields`.',
  },
  {
    label: 'context.eventID',
    detail: 'id of the event',
    doc: 'The UUID the EventListener gave this event (also in its response and in the `triggers.tekton.dev/triggers-eventid` label).',
  },
];

function bindingItems(site: Site, prefix: string, start: number, range: RangeFn): TriggersCompletionItem[] {
  const split = splitPrefix(prefix);
  if (!split) {
    if (/[.[\]]/.test(prefix)) return [];
    return ROOTS.map((r) => ({
      label: r.label,
      kind: 'property' as const,
      detail: r.detail,
      documentation: r.doc,
      insertText: r.label,
      ...range(start),
    }));
  }
  const path = parseBindingPath(split.head);
  if (!path || !path.complete) return [];
  const from = start + split.word;
  const out: TriggersCompletionItem[] = [];
  switch (path.root) {
    case 'body': {
      const steps = bodyPath(path.steps);
      const shape = site.events?.length && steps ? githubBodyShape(site.events) : undefined;
      for (const f of shape?.fieldsAt(steps!) ?? [])
        out.push({
          label: f.name,
          kind: 'property',
          detail: `${f.jsonTypes.join(' | ') || 'JSON'} (${f.sources.join(', ')})`,
          documentation: f.description,
          insertText: f.name.replace(/[./\\]/g, '\\$&'),
          ...range(from),
        });
      break;
    }
    case 'header':
      if (path.steps.length) break;
      for (const h of WEBHOOK_HEADERS) {
        const key = canonicalMimeHeaderKey(h.name);
        out.push({
          label: key,
          kind: 'property',
          detail: `${h.provider} header`,
          documentation: h.doc,
          insertText: key,
          ...range(from),
        });
      }
      break;
    case 'extensions': {
      if (path.steps.some((s) => s.kind !== 'field')) break;
      const at = path.steps.map((s) => s.name);
      const seen = new Set<string>();
      for (const w of site.writers) {
        if (w.path.length <= at.length || !at.every((s, i) => w.path[i] === s)) continue;
        const name = w.path[at.length];
        if (seen.has(name)) continue;
        seen.add(name);
        const leaf = w.path.length === at.length + 1;
        out.push({
          label: name,
          kind: 'property',
          detail: leaf ? w.source : 'object',
          documentation: leaf && w.expression ? '```cel\n' + w.expression + '\n```' : undefined,
          insertText: name,
          ...range(from),
        });
      }
      break;
    }
    case 'context':
      if (!path.steps.length)
        out.push({
          label: 'eventID',
          kind: 'property',
          detail: 'id of the event',
          documentation: ROOTS[3].doc,
          insertText: 'eventID',
          ...range(from),
        });
      break;
  }
  return out;
}

/** Hover on a `$(...)` of a binding value or a resource template: what it reads and what is known about it. */
export function triggersVariableHover(
  resource: YamlResource,
  offset: number,
  ctx: TriggersFeatureContext = {},
): TriggersHover | undefined {
  try {
    const at = cursorAt(resource, offset, ctx);
    if (!at) return undefined;
    const { site, value, pos } = at;
    const e = findExpressions(value).find((x) => x.start <= pos && pos < x.end);
    if (!e) return undefined;
    const markdown =
      site.role === 'template' ? templateHover(site, e.inner) : bindingHover(site, e.inner, pos - e.innerStart);
    if (!markdown) return undefined;
    return { markdown, ...site.map.toSource(e.start, e.end) };
  } catch {
    return undefined;
  }
}

function templateHover(site: Site, inner: string): string | undefined {
  if (inner === 'uid') return ['**$(uid)**', '', UID_DOC].join('\n');
  if (!inner.startsWith(TT_PARAMS)) return undefined;
  const name = inner.slice(TT_PARAMS.length);
  const p = site.template?.params.find((x) => x.name === name);
  if (p) return paramDoc(p);
  return `**$(tt.params.${name})**\n\nNot declared in spec.params: admission rejects the template ("undeclared param").`;
}

function bindingHover(site: Site, inner: string, at: number): string | undefined {
  const path = parseBindingPath(inner);
  if (!path) return undefined;
  // The steps up to the one under the cursor (all of them when it is on the root).
  let upTo = path.steps.findIndex((s) => at >= s.start && at <= s.end);
  if (upTo < 0) upTo = at <= path.rootEnd ? -1 : path.steps.length - 1;
  const steps = path.steps.slice(0, upTo + 1);
  const shown = `$(${path.root}${steps.map((s) => (s.kind === 'field' ? `.${s.name}` : `[${s.name}]`)).join('')})`;
  const lines = [`**${shown}**`, ''];
  switch (path.root) {
    case 'body': {
      if (!steps.length) {
        lines.push(ROOTS[0].doc);
        break;
      }
      const bp = bodyPath(steps);
      const field = site.events?.length && bp ? githubBodyShape(site.events)?.fieldAt(bp) : undefined;
      if (field) {
        lines.push(`JSON ${field.jsonTypes.join(' | ') || 'value'} in GitHub ${field.sources.join(', ')} payloads`);
        if (field.description) lines.push('', field.description);
      } else if (site.events?.length)
        lines.push(`Not a field of GitHub ${site.events.join(', ')} payloads (@octokit/webhooks-schemas).`);
      else
        lines.push(
          "A field of the request body. Declare the GitHub events (github interceptor `eventTypes`, or a cel filter testing `X-GitHub-Event`) to see the payload's fields.",
        );
      break;
    }
    case 'header': {
      const name = path.steps[0]?.name;
      if (!name) {
        lines.push(ROOTS[1].doc);
        break;
      }
      const h = findWebhookHeader(name);
      lines.push(
        `Request header \`${canonicalMimeHeaderKey(name)}\` (names are case-insensitive; several values are joined with \`,\`).`,
      );
      if (h) lines.push('', `${h.provider}: ${h.doc}`);
      break;
    }
    case 'extensions': {
      const fields = steps.filter((s) => s.kind === 'field').map((s) => s.name);
      const writers = site.writers.filter(
        (w) => fields.length && (w.path.every((s, i) => fields[i] === s) || fields.every((s, i) => w.path[i] === s)),
      );
      if (!fields.length) lines.push(ROOTS[2].doc);
      else if (!writers.length) lines.push('No interceptor of this trigger is known to write this extension.');
      for (const w of writers) {
        lines.push(`Written by the ${w.source} as \`${w.path.join('.')}\``);
        if (w.expression) lines.push('```cel', w.expression, '```');
      }
      break;
    }
    case 'context':
      lines.push(steps[0]?.name === 'eventID' || !steps.length ? ROOTS[3].doc : 'context has only eventID.');
      break;
    default:
      return undefined;
  }
  return lines.join('\n');
}
