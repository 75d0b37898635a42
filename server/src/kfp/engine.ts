/**
 * Kubeflow Pipelines: compiled pipeline specs (the IR that `kfp.compiler` writes, REFERENCE.md §7) and their optional
 * platform document (`platforms: kubernetes: ...`). The engine recognises both, checks them against the schemas
 * generated from the protos and the IR model's rules (rules/), and type-checks `triggerPolicy.condition` in the KFP
 * CEL environment. The platform document's executor labels are checked against the IR of the same file as a file rule.
 * Editing features (features.ts): completion, hover, navigation and rename of the IR's names, and the DAG as symbols.
 */
import { kfpGraph } from './graph';
import { kfpSubmitLenses } from './lenses';
import { shiftProblem, type Problem } from '../document/problem';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getValue, isMap, isScalar, walkPairs } from '../document/yamlAst';
import { celRegion, type CelRegion, type Engine, type Span } from '../engine';
import {
  executorLabelAt,
  executorPlaces,
  kfpComplete,
  kfpDefinition,
  kfpHover,
  kfpPrepareRename,
  kfpReferences,
  kfpRename,
  kfpSymbols,
  nameSpan,
  platformExecutors,
} from './features';
import type { KfpSchemaName } from './schemas';
import { checkPipelineSpec, checkPlatformSpec } from './rules';
import { platformExecutorProblems } from './rules/platform';

/** True for a compiled Kubeflow Pipelines spec: no apiVersion, `pipelineInfo` with `root` or `deploymentSpec`. */
export function isKfpSpec(resource: YamlResource): boolean {
  const root = resource.root;
  return !resource.apiVersion && isMap(root) && root.has('pipelineInfo') && (root.has('root') || root.has('deploymentSpec'));
}

/**
 * True for the platform document that follows the IR in a file (kfp-kubernetes, `PlatformSpec`): no apiVersion, a
 * `platforms` map as the only top-level key, and a platform with `deploymentSpec` or `pipelineConfig` (so another
 * tool's `platforms:` file is not taken for one).
 */
export function isKfpPlatformSpec(resource: YamlResource): boolean {
  const root = resource.root;
  if (resource.apiVersion || !isMap(root) || root.items.length !== 1) return false;
  const platforms = root.get('platforms', true);
  return isMap(platforms) && platforms.items.some((p) => isMap(p.value) && (p.value.has('deploymentSpec') || p.value.has('pipelineConfig')));
}

/** `dag.tasks.<t>.triggerPolicy.condition`, compiled from dsl.If/Elif/Else (REFERENCE.md §7.1). */
function conditionRegions(resource: YamlResource): CelRegion[] {
  const out: CelRegion[] = [];
  walkPairs(resource.root, (key, value) => {
    const condition = key === 'triggerPolicy' ? getValue(value, 'condition') : undefined;
    if (isScalar(condition) && typeof condition.value === 'string')
      out.push(celRegion('condition', 'kfp-condition', condition, resource.text));
  });
  return out;
}

/**
 * Runs a feature on the KFP document at a file offset: `fn` gets the document, the chunk-relative offset, the schema of
 * its kind and `toFile`, which adds the chunk's offset back to spans. Undefined when the document is not KFP.
 */
function atKfp<R>(
  doc: TektonDocument,
  offset: number,
  fn: (resource: YamlResource, rel: number, schema: KfpSchemaName, toFile: <S extends Span>(s: S) => S) => R | undefined,
): R | undefined {
  const chunk = doc.chunkAt(offset);
  if (!chunk || doc.skippedReason) return undefined;
  const rel = offset - chunk.start;
  let resource = chunk.resources[0];
  for (const r of chunk.resources) if (r.doc.range[0] <= rel) resource = r;
  if (!resource) return undefined;
  const schema: KfpSchemaName | undefined = isKfpSpec(resource) ? 'PipelineSpec' : isKfpPlatformSpec(resource) ? 'PlatformSpec' : undefined;
  return schema && fn(resource, rel, schema, (s) => ({ ...s, start: chunk.start + s.start, end: chunk.start + s.end }));
}

/** Runs a navigation feature on the IR document at a file offset (the platform document declares no names). */
function onIr<R>(
  doc: TektonDocument,
  offset: number,
  fn: (resource: YamlResource, rel: number, toFile: <S extends Span>(s: S) => S) => R | undefined,
): R | undefined {
  return atKfp(doc, offset, (resource, rel, schema, toFile) => (schema === 'PipelineSpec' ? fn(resource, rel, toFile) : undefined));
}

/** The IR document of a file (the SDK writes one, before its platform document). */
function irOf(doc: TektonDocument): YamlResource | undefined {
  for (const { resource } of doc.resources()) if (isKfpSpec(resource)) return resource;
  return undefined;
}

type Place = Span & { decl: boolean };

/**
 * An executor label at a file offset, on the IR (an executor's key, an `executorLabel`) or on a platform document's
 * executor key, with every place the file writes it (file offsets): platform documents configure the IR's executors
 * by label, so navigation and rename cross the `---`. Undefined when the file has no platform document.
 */
function executorAcross(doc: TektonDocument, offset: number): { label: string; places: Place[]; onPlatform: boolean } | undefined {
  const docs = [...doc.resources()];
  const ir = docs.find((d) => isKfpSpec(d.resource));
  const platforms = docs.filter((d) => isKfpPlatformSpec(d.resource));
  if (!ir || !platforms.length) return undefined;
  const here = atKfp(doc, offset, (resource, rel) => ({ resource, rel }));
  if (!here) return undefined;
  const onPlatform = here.resource !== ir.resource;
  const label = onPlatform
    ? platformExecutors(here.resource).find((e) => e.key.range && e.key.range[0] <= here.rel && here.rel <= e.key.range[1])?.name
    : executorLabelAt(ir.resource, here.rel);
  if (label === undefined) return undefined;
  const shift = (base: number, s: Place): Place => ({ start: base + s.start, end: base + s.end, decl: s.decl });
  const places = executorPlaces(ir.resource, label).map((s) => shift(ir.base, s));
  for (const p of platforms)
    for (const e of platformExecutors(p.resource)) if (e.name === label) places.push(shift(p.base, { ...nameSpan(p.resource, e.key), decl: false }));
  return { label, places, onPlatform };
}

const span = (p: Place): Span => ({ start: p.start, end: p.end });

export const kfpEngine: Engine = {
  id: 'kfp',
  owns: (resource) => isKfpSpec(resource) || isKfpPlatformSpec(resource),
  schemaChecked: false,
  rules: (resource) => (isKfpSpec(resource) ? checkPipelineSpec(resource) : checkPlatformSpec(resource)),
  celRegions: conditionRegions,
  fileRules: platformRules,
  // In its documents the engine always answers (maybe with nothing): Tekton's keys and skeletons do not apply there.
  complete: (doc, offset) =>
    atKfp(doc, offset, (resource, rel, schema, toFile) =>
      kfpComplete(resource, rel, schema, schema === 'PlatformSpec' ? irOf(doc) : undefined).map((p) => {
        const r = toFile({ start: p.replaceStart, end: p.replaceEnd });
        return { ...p, replaceStart: r.start, replaceEnd: r.end };
      }),
    ),
  hover: (doc, offset) =>
    atKfp(doc, offset, (resource, rel, schema, toFile) => {
      const h = kfpHover(resource, rel, schema);
      return h && toFile(h);
    }),
  definition: (doc, offset) => {
    const across = executorAcross(doc, offset);
    const decl = across?.onPlatform && across.places.find((p) => p.decl);
    if (decl) return span(decl);
    return onIr(doc, offset, (resource, rel, toFile) => {
      const d = kfpDefinition(resource, rel);
      return d && toFile(d);
    });
  },
  references: (doc, offset, includeDeclaration) => {
    const across = executorAcross(doc, offset);
    if (across) return across.places.filter((p) => includeDeclaration || !p.decl).map(span);
    return onIr(doc, offset, (resource, rel, toFile) => kfpReferences(resource, rel, includeDeclaration)?.map(toFile));
  },
  prepareRename: (doc, offset) => {
    const across = executorAcross(doc, offset);
    if (across?.onPlatform) {
      const at = across.places.find((p) => p.start <= offset && offset <= p.end);
      return across.places.some((p) => p.decl) ? at && span(at) : undefined;
    }
    return onIr(doc, offset, (resource, rel, toFile) => {
      const r = kfpPrepareRename(resource, rel);
      return r && toFile(r);
    });
  },
  rename: (doc, offset, newName) => {
    const across = executorAcross(doc, offset);
    const decl = across?.places.find((p) => p.decl);
    // The IR's rename checks the new name (valid, not taken); the platform documents' keys follow it.
    const edits = onIr(doc, decl ? decl.start : offset, (resource, rel, toFile) => kfpRename(resource, rel, newName)?.map(toFile));
    if (!across || !edits) return across ? undefined : edits;
    const done = new Set(edits.map((e) => e.start));
    return [...edits, ...across.places.filter((p) => !done.has(p.start)).map((p) => ({ ...span(p), newText: newName }))];
  },
  symbols: (resource) => (isKfpSpec(resource) ? kfpSymbols(resource) : []),
  codeLenses: kfpSubmitLenses,
  graph: (doc, resource, base) => (isKfpSpec(resource) ? kfpGraph(doc.uri, resource, base) : undefined),
};

/** Each platform document against the IR document before it in the file (the SDK writes the IR first). */
function platformRules(doc: TektonDocument): Problem[] {
  const out: Problem[] = [];
  let ir: YamlResource | undefined;
  for (const { resource, base } of doc.resources()) {
    if (isKfpSpec(resource)) ir = resource;
    else if (ir && isKfpPlatformSpec(resource)) for (const p of platformExecutorProblems(ir, resource)) out.push(shiftProblem(p, base));
  }
  return out;
}
