import { TektonDocument, YamlResource } from '../document/tektonDocument';
import { cursorContext } from '../document/cursorContext';
import { CORE_INTERCEPTORS, isCoreInterceptor, OPENSHIFT_CLUSTER_TRIGGER_BINDINGS } from '../document/resourceKind';
import { isScalar, nodeAtPath } from '../document/yamlAst';
import { extractReferences, ReferencedKind, ResourceReference } from '../workspace/references';
import { IndexedResource, Location, WorkspaceIndex } from '../workspace/workspaceIndex';
import type { CompletionProposal } from '../document/proposals';
import { didYouMean, Problem } from '../document/problem';
import { relativeUri } from '../document/uri';


/** The resource named at an offset: a reference to it, or its own `metadata.name`. */
interface NamedTarget {
  kind: ReferencedKind | string;
  name: string;
  /** File offsets of the name under the cursor. */
  start: number;
  end: number;
}

function referencesOf(resource: YamlResource): ResourceReference[] {
  return resource.memo('references', () => extractReferences(resource));
}

function targetAt(doc: TektonDocument, offset: number): NamedTarget | undefined {
  const loc = doc.locate(offset);
  if (!loc || !loc.resource.isTekton) return undefined;
  const { resource, base } = loc;
  for (const ref of referencesOf(resource))
    if (!ref.remote && ref.start <= loc.offset && loc.offset <= ref.end)
      return { kind: ref.kind, name: ref.name, start: base + ref.start, end: base + ref.end };
  const nameNode = nodeAtPath(resource.root, ['metadata', 'name']);
  if (resource.kind && isScalar(nameNode) && nameNode.range && nameNode.range[0] <= loc.offset && loc.offset <= nameNode.range[1])
    return { kind: resource.kind, name: String(nameNode.value), start: base + nameNode.range[0], end: base + nameNode.range[1] };
  return undefined;
}

/** Bindings may name either binding kind; the reference's `kind` decides, so both are searched for a declaration. */
function declarationKinds(kind: string): string[] {
  return kind === 'Interceptor' ? ['Interceptor', 'ClusterInterceptor'] : [kind];
}

/** Go to definition of a referenced Task, Pipeline, StepAction, binding, template, trigger or interceptor. */
export function findResourceDefinition(doc: TektonDocument, offset: number, index: WorkspaceIndex): Location[] {
  const target = targetAt(doc, offset);
  if (!target) return [];
  return declarationKinds(target.kind).flatMap((k) => index.find(k, target.name)).map((r) => r.nameLocation);
}

/** Every reference to the resource at the offset across the workspace, with its declaration if asked. */
export function findResourceReferences(
  doc: TektonDocument,
  offset: number,
  index: WorkspaceIndex,
  includeDeclaration: boolean,
): Location[] {
  const target = targetAt(doc, offset);
  if (!target) return [];
  const refs = index.references(target.kind as ReferencedKind, target.name).map((r) => r.location);
  const decls = includeDeclaration ? index.find(target.kind, target.name).map((r) => r.nameLocation) : [];
  return [...decls, ...refs];
}

/** A rename: the name's range at the cursor (prepareRename) and the edits per file. */
export interface RenameEdits {
  edits: { location: Location; newText: string }[];
}

/** The range that a rename at the offset would change, or undefined when nothing renameable is there. */
export function prepareResourceRename(doc: TektonDocument, offset: number): { start: number; end: number; name: string } | undefined {
  const t = targetAt(doc, offset);
  return t ? { start: t.start, end: t.end, name: t.name } : undefined;
}

/** Renames a resource: its `metadata.name` and every by-name reference to it in the workspace. */
export function renameResource(doc: TektonDocument, offset: number, newName: string, index: WorkspaceIndex): RenameEdits | undefined {
  const target = targetAt(doc, offset);
  if (!target || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(newName)) return undefined;
  const locations = [
    ...index.find(target.kind, target.name).map((r) => r.nameLocation),
    ...index.references(target.kind as ReferencedKind, target.name).map((r) => r.location),
  ];
  const seen = new Set<string>();
  const edits = locations
    .filter((l) => {
      const k = `${l.uri}#${l.start}`;
      return !seen.has(k) && !!seen.add(k);
    })
    .map((location) => ({ location, newText: newName }));
  return { edits };
}

/** The kinds whose names complete the value being typed at the cursor, if it is a reference field. */
function referenceFieldKinds(path: (string | number)[], valueKey: string): string[] | undefined {
  const last = path[path.length - 1];
  const beforeLast = path[path.length - 2];
  if (valueKey === 'name' && last === 'taskRef') return ['Task'];
  if (valueKey === 'name' && last === 'pipelineRef') return ['Pipeline'];
  if (valueKey === 'name' && last === 'ref' && path[path.length - 3] === 'steps') return ['StepAction'];
  if (valueKey === 'name' && last === 'ref' && path[path.length - 3] === 'interceptors') return ['ClusterInterceptor', 'Interceptor'];
  if (valueKey === 'ref' && last === '*' && beforeLast === 'bindings') return ['TriggerBinding', 'ClusterTriggerBinding'];
  if (valueKey === 'ref' && last === 'template') return ['TriggerTemplate'];
  if (valueKey === 'triggerRef') return ['Trigger'];
  return undefined;
}

/** Completes names of workspace resources in reference fields (`taskRef.name`, `bindings[].ref`, ...). */
export function resourceNameCompletions(doc: TektonDocument, offset: number, index: WorkspaceIndex): CompletionProposal[] {
  const chunk = doc.chunkAt(offset);
  if (!chunk) return [];
  const rel = offset - chunk.start;
  const resource = chunk.resources.find((r) => r.doc.range[0] <= rel && rel <= r.doc.range[2]) ?? chunk.resources[0];
  if (!resource?.isTekton) return [];
  const ctx = cursorContext(resource.text, rel);
  if (!ctx.inValue || !ctx.valueKey) return [];
  const kinds = referenceFieldKinds(ctx.path, ctx.valueKey);
  if (!kinds) return [];
  const out: CompletionProposal[] = [];
  const add = (name: string, detail: string, documentation?: string) =>
    out.push({
      label: name,
      kind: 'value',
      detail,
      documentation,
      insertText: name,
      snippet: false,
      replaceStart: chunk.start + ctx.wordStart,
      replaceEnd: offset,
    });
  if (kinds.includes('ClusterInterceptor'))
    for (const core of CORE_INTERCEPTORS) add(core, 'core ClusterInterceptor', 'Served by tekton-triggers-core-interceptors');
  for (const [name, r] of index.names(kinds))
    if (!out.some((o) => o.label === name)) add(name, `${r.kind} (${r.apiVersion})`, describeLocation(r, doc.uri));
  return out;
}

function describeLocation(r: IndexedResource, from: string): string {
  return `Defined in ${relativeUri(from, r.nameLocation.uri)} line ${r.nameLocation.startPosition.line + 1}`;
}


const PIPELINES_KINDS = new Set(['Task', 'Pipeline', 'StepAction']);

/**
 * Cross-file checks of by-name references. A Triggers reference to a name not in the workspace is a warning (it may
 * live only in the cluster); a Pipelines reference through a resolver or to a name not in the workspace is not an
 * error: one information diagnostic per document says what was not checked.
 */
export function checkReferences(doc: TektonDocument, index: WorkspaceIndex): Problem[] {
  const out: Problem[] = [];
  for (const { resource, base } of doc.resources()) {
    if (!resource.isTekton) continue;
    const unchecked: { ref: ResourceReference; why: string }[] = [];
    for (const ref of referencesOf(resource)) {
      if (ref.remote) {
        unchecked.push({ ref, why: `${ref.name || ref.kind} (resolved by ${ref.remote})` });
        continue;
      }
      if (ref.kind === 'ClusterInterceptor' && isCoreInterceptor(ref.name)) continue;
      if (declarationKinds(ref.kind).some((k) => index.find(k, ref.name).length > 0)) continue;
      if (PIPELINES_KINDS.has(ref.kind)) {
        unchecked.push({ ref, why: `${ref.kind} "${ref.name}" (not in the workspace)` });
        continue;
      }
      if (ref.kind === 'ClusterTriggerBinding' && OPENSHIFT_CLUSTER_TRIGGER_BINDINGS.includes(ref.name)) {
        out.push({
          start: base + ref.start,
          end: base + ref.end,
          message: `ClusterTriggerBinding "${ref.name}" is installed by OpenShift Pipelines (its triggers addon); its params are not checked here, and on another cluster it must exist`,
          code: 'openshift-binding',
          severity: 'information',
          source: 'tekton',
        });
        continue;
      }
      const known = [...index.names(declarationKinds(ref.kind)).keys()];
      if (ref.kind === 'ClusterInterceptor') known.push(...CORE_INTERCEPTORS);
      if (ref.kind === 'ClusterTriggerBinding') known.push(...OPENSHIFT_CLUSTER_TRIGGER_BINDINGS);
      const { hint, fixes } = didYouMean(ref.name, known, base + ref.start, base + ref.end);
      out.push({
        start: base + ref.start,
        end: base + ref.end,
        message: `${ref.kind} "${ref.name}" is not in the workspace; it must exist in the cluster${hint}`,
        code: 'unknown-reference',
        severity: 'warning',
        source: 'tekton',
        ...(fixes && { fixes }),
      });
    }
    if (unchecked.length) {
      const first = unchecked[0].ref;
      out.push({
        start: base + first.start,
        end: base + first.end,
        // a Task run by several pipeline tasks is named once
        message: `Not checked against their definitions: ${[...new Set(unchecked.map((u) => u.why))].join(', ')}`,
        code: 'reference-not-checked',
        severity: 'information',
        source: 'tekton',
      });
    }
  }
  return out;
}
