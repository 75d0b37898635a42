/**
 * Editing features of a compiled Kubeflow Pipelines spec (REFERENCE.md §7.1): completion of the names the IR refers
 * to (components, executors, tasks, output keys, component inputs) and of schema keys, hover on tasks, components and
 * schema keys, navigation and rename of the names declared in the file, and the DAG as document symbols. Everything
 * works on one YAML document with offsets relative to its chunk; engine.ts adds the chunk's offset.
 */
import { cursorContext } from '../document/cursorContext';
import type { TextEdit } from '../document/problem';
import type { CompletionProposal, HoverResult } from '../document/proposals';
import type { YamlResource } from '../document/tektonDocument';
import { getValue, isScalar, locate, nodeAtPath, type Node, type Scalar, type YamlPath } from '../document/yamlAst';
import type { DocumentSymbol, Span } from '../engine';
import { schemaTypes, typeLabel, type JsonSchema } from '../schema/jsonSchema';
import { propertiesOf, schemasAtPath } from '../schema/schemaNavigator';
import { componentOf, entries, kfpModel, type Component, type Dag, type IoDefinitions, type KfpModel, type Named, type Task } from './model';
import { kfpSchema, type KfpSchemaName } from './schemas';

type Proposal = Omit<CompletionProposal, 'replaceStart' | 'replaceEnd'>;

// ---- completion

/**
 * Completion at a chunk-relative offset: names the IR refers to, else schema keys and values. Never undefined. In a
 * platform document, the executor keys are the labels of the file's IR (`ir`).
 */
export function kfpComplete(resource: YamlResource, rel: number, schema: KfpSchemaName, ir?: YamlResource): CompletionProposal[] {
  const ctx = cursorContext(resource.text, rel);
  const replace = { replaceStart: ctx.wordStart, replaceEnd: rel };
  const names = schema === 'PipelineSpec' ? nameProposals(resource, ctx.path, ctx.inValue ? ctx.valueKey : undefined) : platformKeyProposals(ctx.path, ctx.inValue, ctx.siblings, ir);
  if (names) return names.map((p, i) => ({ ...p, sortText: String(i).padStart(4, '0'), ...replace }));
  const schemaDoc = kfpSchema(schema);
  if (!schemaDoc) return [];
  const path = ctx.inValue ? [...ctx.path, ctx.valueKey!] : ctx.path;
  const schemas = schemasAtPath(schemaDoc, resource.root, path, resource.doc, resource.text, rel);
  if (ctx.inValue) return valueProposals(schemas).map((p) => ({ ...p, ...replace }));
  const out: CompletionProposal[] = [];
  for (const [name, raw] of propertiesOf(schemas)) {
    if (ctx.siblings.has(name)) continue;
    const prop = schemaDoc.resolve(raw) ?? raw;
    const types = schemaTypes(prop) ?? [];
    const body = types.length !== 1 ? ' $0' : types[0] === 'object' ? '\n  $0' : types[0] === 'array' ? '\n  - $0' : ' $0';
    out.push({ label: name, kind: 'property', detail: typeLabel(prop), documentation: raw.description ?? prop.description, insertText: `${name}:${body}`, snippet: true, ...replace });
  }
  return out;
}

function valueProposals(schemas: JsonSchema[]): Proposal[] {
  const values = new Set<string>();
  for (const s of schemas) {
    for (const e of s.enum ?? []) values.add(String(e));
    if (schemaTypes(s)?.includes('boolean')) ['true', 'false'].forEach((v) => values.add(v));
  }
  const documentation = schemas.find((s) => s.description)?.description;
  return [...values].map((v) => ({ label: v, kind: 'enum' as const, documentation, insertText: v, snippet: false }));
}

/** The component whose body a path is in (`root` or `components.<c>`). */
function componentAtPath(model: KfpModel, path: YamlPath): Component | undefined {
  if (path[0] === 'root') return model.root;
  return path[0] === 'components' && path.length > 1 ? model.components.get(String(path[1])) : undefined;
}

/** The DAG task a path is in (`....dag.tasks.<t>...`), with its DAG. */
function taskAtPath(model: KfpModel, path: YamlPath): { dag?: Dag; task?: Task } {
  const dag = componentAtPath(model, path)?.dag;
  const i = path.indexOf('tasks');
  return { dag, task: dag && i > 0 && path[i - 1] === 'dag' ? dag.tasks.get(String(path[i + 1])) : undefined };
}

function value(label: string, detail?: string, documentation?: string): Proposal {
  return { label, kind: 'value', detail, documentation, insertText: label, snippet: false };
}

function ioProposals(defs: IoDefinitions | undefined, artifacts: boolean, what: string): Proposal[] {
  if (!defs) return [];
  if (artifacts) return [...defs.artifacts.values()].map((a) => value(a.name, `${what} artifact ${a.schemaTitle?.value ?? ''}`.trim(), a.description));
  return [...defs.parameters.values()].map((p) => value(p.name, `${what} parameter ${p.type?.value ?? ''}`.trim(), p.description));
}

function taskProposals(dag: Dag | undefined, except?: Task): Proposal[] {
  return [...(dag?.tasks.values() ?? [])].filter((t) => t !== except).map((t) => value(t.name, t.componentRef ? `task → ${t.componentRef.value}` : 'task'));
}

/** Names for a value at `path.key` (or a sequence item at `path` when `key` is undefined); undefined when none apply. */
function nameProposals(resource: YamlResource, path: YamlPath, key: string | undefined): Proposal[] | undefined {
  const model = kfpModel(resource);
  const last = path[path.length - 1];
  if (key === undefined) {
    if (last !== '*' || path[path.length - 2] !== 'dependentTasks') return undefined;
    const { dag, task } = taskAtPath(model, path);
    return taskProposals(dag, task);
  }
  switch (key) {
    case 'name':
      if (last !== 'componentRef') return undefined;
      return [...model.components.values()].map((c) => value(c.name, c.dag ? 'DAG component' : `component → ${c.executorLabel?.value ?? '?'}`, componentMarkdown(model, c)));
    case 'executorLabel':
      return [...model.executors.values()].map((e) => value(e.name, e.image?.value ?? 'executor'));
    case 'producerTask':
    case 'producerSubtask': {
      const { dag, task } = taskAtPath(model, path);
      return taskProposals(dag, task);
    }
    case 'outputParameterKey':
    case 'outputArtifactKey': {
      const { dag } = taskAtPath(model, path);
      const here = nodeAtPath(resource.root, path);
      const producer = getValue(here, 'producerTask') ?? getValue(here, 'producerSubtask');
      const t = isScalar(producer) ? dag?.tasks.get(String(producer.value)) : undefined;
      const c = t && componentOf(model, t);
      return ioProposals(c?.outputs, key === 'outputArtifactKey', 'output');
    }
    case 'componentInputParameter':
    case 'componentInputArtifact':
    case 'inputParameter':
    case 'inputArtifact':
      if ((key === 'inputParameter' || key === 'inputArtifact') && last !== 'items') return undefined;
      return ioProposals(componentAtPath(model, path)?.inputs, key.endsWith('Artifact'), 'input');
  }
  return undefined;
}

/** The executor keys of a platform document: the IR's labels not configured yet. */
function platformKeyProposals(path: YamlPath, inValue: boolean, siblings: Set<string>, ir: YamlResource | undefined): Proposal[] | undefined {
  if (!ir || inValue || path.length !== 4 || path[0] !== 'platforms' || path[2] !== 'deploymentSpec' || path[3] !== 'executors') return undefined;
  return [...kfpModel(ir).executors.values()]
    .filter((e) => !siblings.has(e.name))
    .map((e) => ({ ...value(e.name, e.image?.value ?? 'executor'), kind: 'property' as const, insertText: `${e.name}:\n  $0`, snippet: true }));
}

// ---- hover

function ioLines(title: string, defs: IoDefinitions): string[] {
  const rows = [
    ...[...defs.parameters.values()].map((p) => `- \`${p.name}\`: ${p.type?.value ?? '?'}${p.isOptional || p.hasDefault ? ' (optional)' : ''}`),
    ...[...defs.artifacts.values()].map((a) => `- \`${a.name}\`: artifact ${a.schemaTitle?.value ?? '?'}${a.isArtifactList ? '[]' : ''}${a.isOptional ? ' (optional)' : ''}`),
  ];
  return rows.length ? [`${title}:`, ...rows] : [];
}

/** A component in markdown: its inputs and outputs, and its executor's image or its DAG's tasks. */
export function componentMarkdown(model: KfpModel, c: Component): string {
  const lines = [`**${c.isRoot ? 'pipeline root' : `component ${c.name}`}**`, ''];
  lines.push(...ioLines('Inputs', c.inputs), ...ioLines('Outputs', c.outputs));
  const executor = c.executorLabel && model.executors.get(c.executorLabel.value);
  if (c.executorLabel) lines.push('', `Executor \`${c.executorLabel.value}\`${executor?.image ? `: image \`${executor.image.value}\`` : executor?.importer ? ': importer' : ''}`);
  if (c.dag) lines.push('', `DAG of ${c.dag.tasks.size} task(s): ${[...c.dag.tasks.keys()].map((t) => `\`${t}\``).join(', ')}`);
  return lines.join('\n');
}

/** Hover at a chunk-relative offset: a task, component or executor name, else a schema key's description. */
export function kfpHover(resource: YamlResource, rel: number, schema: KfpSchemaName): HoverResult | undefined {
  const loc = locate(resource.root, rel);
  if (!loc.node || !isScalar(loc.node) || !loc.node.range || loc.path.length === 0) return undefined;
  const span = { start: loc.node.range[0], end: loc.node.range[1] };
  if (schema === 'PipelineSpec') {
    const model = kfpModel(resource);
    const occurrence = occurrenceAt(resource, rel);
    if (occurrence) {
      const markdown = occurrenceMarkdown(model, occurrence);
      if (markdown) return { markdown, ...span };
    }
  }
  const schemaDoc = kfpSchema(schema);
  if (!schemaDoc || !loc.onKey) return undefined;
  const schemas = schemasAtPath(schemaDoc, resource.root, loc.path, resource.doc, resource.text);
  const main = schemas.find((s) => s.description) ?? schemas[0];
  if (!main) return undefined;
  const field = String(loc.path[loc.path.length - 1]);
  // The field's own comment (on the property, beside its `$ref`) before its message type's.
  const parent = schemasAtPath(schemaDoc, resource.root, loc.path.slice(0, -1), resource.doc, resource.text);
  const description = propertiesOf(parent).get(field)?.description ?? main.description;
  const lines = [`**${field}**: \`${typeLabel(schemas.find((s) => s.type || s.enum) ?? main)}\``];
  const values = schemas.flatMap((s) => s.enum ?? []);
  if (values.length) lines.push(`Allowed: ${values.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (description) lines.push('', description);
  return { markdown: lines.join('\n'), ...span };
}

function occurrenceMarkdown(model: KfpModel, o: Occurrence): string | undefined {
  const [kind, scope, sub, name] = o.id.split(SEP);
  switch (kind) {
    case 'component': {
      const c = model.components.get(name);
      return c && componentMarkdown(model, c);
    }
    case 'task': {
      const dag = scope === 'root' ? model.root?.dag : model.components.get(scope)?.dag;
      const t = dag?.tasks.get(name);
      const c = t && componentOf(model, t);
      if (!t) return undefined;
      const head = `**task ${t.name}**${t.displayName && t.displayName !== t.name ? ` (${t.displayName})` : ''} → \`${t.componentRef?.value ?? '?'}\``;
      return c ? `${head}\n\n${componentMarkdown(model, c)}` : head;
    }
    case 'input':
    case 'output': {
      const c = scope === 'root' ? model.root : model.components.get(scope);
      const defs = kind === 'input' ? c?.inputs : c?.outputs;
      const p = sub === 'p' ? defs?.parameters.get(name) : undefined;
      const a = sub === 'a' ? defs?.artifacts.get(name) : undefined;
      if (!c || (!p && !a)) return undefined;
      const type = p ? (p.type?.value ?? '?') : `artifact ${a!.schemaTitle?.value ?? '?'}${a!.isArtifactList ? '[]' : ''}`;
      const description = p?.description ?? a?.description;
      return [`**${kind} ${name}**: ${type}`, `of ${c.isRoot ? 'the pipeline' : `component \`${c.name}\``}`, ...(description ? ['', description] : [])].join('\n');
    }
    case 'executor': {
      const e = model.executors.get(name);
      if (!e) return undefined;
      const users = [...model.components.values()].filter((c) => c.executorLabel?.value === name).map((c) => `\`${c.name}\``);
      return [`**executor ${name}**`, '', e.image ? `Image \`${e.image.value}\`` : e.importer ? 'Importer' : e.resolver ? 'Resolver' : '', users.length ? `Used by ${users.join(', ')}` : 'Used by no component'].join('\n');
    }
  }
  return undefined;
}

// ---- names declared in the file: definition, references, rename

/** One place a name is written: its id (kind, scope and name), whether it declares it, and the scalar. */
interface Occurrence {
  id: string;
  decl: boolean;
  node: Scalar;
}

const SEP = '\u0000';
const idOf = (kind: string, scope: string, sub: string, name: string) => [kind, scope, sub, name].join(SEP);

/** Every occurrence of a declared name in an IR document, computed once per text. */
function occurrences(resource: YamlResource): Occurrence[] {
  return resource.memo('kfpOccurrences', () => {
    const model = kfpModel(resource);
    const out: Occurrence[] = [];
    const seen = new Set<Scalar>();
    const add = (id: string, node: Scalar | undefined, decl = false) => {
      if (!node?.range || seen.has(node)) return;
      seen.add(node);
      out.push({ id, decl, node });
    };
    const io = (kind: 'input' | 'output', c: string, artifact: boolean, name: string) => idOf(kind, c, artifact ? 'a' : 'p', name);
    for (const c of [model.root, ...model.components.values()]) {
      if (!c) continue;
      if (!c.isRoot) add(idOf('component', '', '', c.name), c.key, true);
      for (const [kind, defs] of [['input', c.inputs], ['output', c.outputs]] as const) {
        for (const p of defs.parameters.values()) add(io(kind, c.name, false, p.name), p.key, true);
        for (const a of defs.artifacts.values()) add(io(kind, c.name, true, a.name), a.key, true);
      }
      if (c.executorLabel) add(idOf('executor', '', '', c.executorLabel.value), c.executorLabel.node);
    }
    for (const e of model.executors.values()) add(idOf('executor', '', '', e.name), e.key, true);
    for (const dag of model.dags) {
      const scope = dag.owner.name;
      const task = (name: string) => idOf('task', scope, '', name);
      const componentName = (t: string) => dag.tasks.get(t)?.componentRef?.value ?? '';
      for (const t of dag.tasks.values()) {
        add(task(t.name), t.key, true);
        if (t.componentRef) add(idOf('component', '', '', t.componentRef.value), t.componentRef.node);
        for (const d of t.dependentTasks) add(task(d.value), d.node);
        for (const input of [...t.parameters.values(), ...t.artifacts.values()]) {
          if (t.componentRef) add(io('input', t.componentRef.value, input.artifact, input.name), input.key);
          if (input.componentInput) add(io('input', scope, input.artifact, input.componentInput.value), input.componentInput.node);
          if (input.producerTask) add(task(input.producerTask.value), input.producerTask.node);
          if (input.outputKey && input.producerTask) add(io('output', componentName(input.producerTask.value), input.artifact, input.outputKey.value), input.outputKey.node);
        }
        if (t.iterator?.itemsInput) add(io('input', scope, t.iterator.kind === 'artifactIterator', t.iterator.itemsInput.value), t.iterator.itemsInput.node);
      }
      for (const s of dag.outputSelectors) {
        add(io('output', scope, s.artifact, s.output.name), s.output.key);
        if (s.producerSubtask) add(task(s.producerSubtask.value), s.producerSubtask.node);
        if (s.outputKey && s.producerSubtask) add(io('output', componentName(s.producerSubtask.value), s.artifact, s.outputKey.value), s.outputKey.node);
      }
    }
    return out;
  });
}

function occurrenceAt(resource: YamlResource, rel: number): Occurrence | undefined {
  return occurrences(resource).find((o) => o.node.range![0] <= rel && rel <= o.node.range![1]);
}

/** The span of a scalar's text, inside its quotes. */
export function nameSpan(resource: YamlResource, node: Scalar): Span {
  const [start, end] = node.range!;
  const q = resource.text[start];
  return q === '"' || q === "'" ? { start: start + 1, end: end - 1 } : { start, end };
}

/** The executor label at a chunk-relative offset of the IR (an executor's key or an `executorLabel`), if any. */
export function executorLabelAt(resource: YamlResource, rel: number): string | undefined {
  const id = occurrenceAt(resource, rel)?.id.split(SEP);
  return id?.[0] === 'executor' ? id[3] : undefined;
}

/** Every place the IR writes an executor label (chunk offsets), its declaration flagged. */
export function executorPlaces(resource: YamlResource, label: string): (Span & { decl: boolean })[] {
  const id = idOf('executor', '', '', label);
  return occurrences(resource)
    .filter((o) => o.id === id)
    .map((o) => ({ ...nameSpan(resource, o.node), decl: o.decl }));
}

/** The executor keys of a platform document (`platforms.<p>.deploymentSpec.executors.<label>`). */
export function platformExecutors(platform: YamlResource): Named[] {
  return entries(getValue(platform.root, 'platforms')).flatMap((p) => entries(getValue(getValue(p.node, 'deploymentSpec'), 'executors')));
}

export function kfpDefinition(resource: YamlResource, rel: number): Span | undefined {
  const at = occurrenceAt(resource, rel);
  const decl = at && occurrences(resource).find((o) => o.id === at.id && o.decl);
  return decl && nameSpan(resource, decl.node);
}

export function kfpReferences(resource: YamlResource, rel: number, includeDeclaration: boolean): Span[] | undefined {
  const at = occurrenceAt(resource, rel);
  if (!at) return undefined;
  return occurrences(resource)
    .filter((o) => o.id === at.id && (includeDeclaration || !o.decl))
    .map((o) => nameSpan(resource, o.node));
}

/**
 * Whether the name at the cursor can be renamed: it must be declared in the file, and an input or output name must
 * appear in no string the rename cannot edit (a placeholder or the code of an executor, a condition), since the
 * container reads its inputs and writes its outputs by those names.
 */
function renameTarget(resource: YamlResource, rel: number): Occurrence[] | undefined {
  const at = occurrenceAt(resource, rel);
  if (!at) return undefined;
  const all = occurrences(resource).filter((o) => o.id === at.id);
  if (!all.some((o) => o.decl)) return undefined;
  const [kind, scope, , name] = at.id.split(SEP);
  if (kind === 'input' || kind === 'output') {
    const model = kfpModel(resource);
    const c = scope === 'root' ? model.root : model.components.get(scope);
    if (!c || c.executorLabel) return undefined;
    if (stringsMention(resource.root, name, new Set(all.map((o) => o.node)), 0)) return undefined;
  }
  return all;
}

function stringsMention(node: Node | undefined | null, name: string, except: Set<Scalar>, depth: number): boolean {
  if (!node || depth > 64) return false;
  if (isScalar(node)) return typeof node.value === 'string' && !except.has(node) && node.value.includes(name);
  const items = (node as { items?: unknown[] }).items ?? [];
  return items.some((item) => {
    const pair = item as { key?: Node; value?: Node };
    if (pair && typeof pair === 'object' && 'key' in pair) return stringsMention(pair.key, name, except, depth + 1) || stringsMention(pair.value, name, except, depth + 1);
    return stringsMention(item as Node, name, except, depth + 1);
  });
}

export function kfpPrepareRename(resource: YamlResource, rel: number): Span | undefined {
  const at = renameTarget(resource, rel)?.find((o) => o.node.range![0] <= rel && rel <= o.node.range![1]);
  return at && nameSpan(resource, at.node);
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Edits renaming the name at the cursor everywhere in the document; undefined when it is not renameable or `newName` is not a valid name or already taken. */
export function kfpRename(resource: YamlResource, rel: number, newName: string): TextEdit[] | undefined {
  const target = renameTarget(resource, rel);
  if (!target || !NAME.test(newName)) return undefined;
  const [kind, scope, sub] = target[0].id.split(SEP);
  if (occurrences(resource).some((o) => o.decl && o.id === idOf(kind, scope, sub, newName))) return undefined;
  return target.map((o) => ({ ...nameSpan(resource, o.node), newText: newName }));
}

// ---- document symbols

function symbol(name: string, kind: DocumentSymbol['kind'], key: Scalar | undefined, node: Node | undefined, children: DocumentSymbol[] = [], detail?: string): DocumentSymbol | undefined {
  const sel = key?.range ?? node?.range;
  if (!sel) return undefined;
  const start = Math.min(sel[0], node?.range?.[0] ?? sel[0]);
  const end = Math.max(sel[1], node?.range?.[1] ?? sel[1]);
  return { name, detail, kind, start, end, selectionStart: sel[0], selectionEnd: sel[1], children };
}

const defined = <T>(items: (T | undefined)[]): T[] => items.filter((x): x is T => x !== undefined);

function taskSymbols(dag: Dag | undefined): DocumentSymbol[] {
  return defined([...(dag?.tasks.values() ?? [])].map((t) => symbol(t.name, 'task', t.key, t.node, [], t.componentRef?.value)));
}

/** The pipeline with its root tasks, the components (a DAG's with its tasks), the executors. */
export function kfpSymbols(resource: YamlResource): DocumentSymbol[] {
  return resource.memo('kfpSymbols', () => {
    const model = kfpModel(resource);
    const root = resource.root;
    if (!root?.range) return [];
    const pipeline = {
      name: `pipeline ${model.pipelineName?.value ?? ''}`.trim(),
      detail: model.schemaVersion && `schema ${model.schemaVersion.value}`,
      kind: 'resource' as const,
      start: root.range[0],
      end: root.range[1],
      selectionStart: model.pipelineName?.node.range?.[0] ?? root.range[0],
      selectionEnd: model.pipelineName?.node.range?.[1] ?? root.range[0],
      children: taskSymbols(model.root?.dag),
    };
    const components = defined([...model.components.values()].map((c) => symbol(c.name, 'template', c.key, c.node, taskSymbols(c.dag), c.dag ? 'DAG' : c.executorLabel?.value)));
    const executors = defined([...model.executors.values()].map((e) => symbol(e.name, 'step', e.key, e.node, [], e.image?.value)));
    return defined([
      pipeline,
      symbol('components', 'group', undefined, model.componentsNode, components, `${components.length}`),
      symbol('executors', 'group', undefined, model.executorsNode, executors, `${executors.length}`),
    ]);
  });
}
