import { performance } from 'node:perf_hooks';
import { TektonDocument, YamlResource } from '../document/tektonDocument';
import { SERVED_VERSIONS } from '../document/resourceKind';
import { getPair, isMap, Node } from '../document/yamlAst';
import { SchemaStore } from '../schema/schemaStore';
import { validateAgainstSchema } from '../schema/schemaValidator';
import { validateCel } from './celValidation';
import type { Engine } from '../engine';
import { augmentersOf, isChecked, ownerOf } from './engines';
import { closest, didYouMean, editDistance, Problem, shiftProblem } from '../document/problem';
import { isReadByPac } from '../document/uri';

/** What the validation of a file may skip. */
export interface ValidationOptions {
  /** YAML syntax problems are left to the Red Hat YAML extension when it is installed, so they do not show twice. */
  syntax?: boolean;
  /** Stops the loop over documents early; checked between documents. */
  isCancelled?: () => boolean;
  /** At most this many problems are returned. */
  maxProblems?: number;
  /**
   * Time budget in ms: past it, the documents not reached yet are left unchecked and one information problem says
   * so, so that one pathological file answers with what it has instead of holding every later request (default: none).
   */
  budgetMs?: number;
}

/**
 * Validates a file: YAML syntax, apiVersion/kind, then the kind's schema, document by document. Results are cached on
 * each document's chunk, so an edit re-validates only the document it touched. Non-Tekton documents yield nothing.
 */
export function doValidation(doc: TektonDocument, store: SchemaStore, options: ValidationOptions = {}): Problem[] {
  if (doc.skippedReason) return [{ start: 0, end: 0, message: doc.skippedReason, code: 'file-skipped', severity: 'information', source: 'tekton' }];
  const out: Problem[] = [];
  const max = options.maxProblems ?? 1000;
  const ourFile = isOurs(doc);
  const readByPac = isReadByPac(doc.uri);
  const engines = new Set<Engine>();
  const deadline = options.budgetMs === undefined ? Infinity : performance.now() + options.budgetMs;
  let done = 0;
  for (const { resource, base } of doc.resources()) {
    if (options.isCancelled?.()) break;
    if (performance.now() > deadline) {
      const left = [...doc.resources()].length - done;
      out.unshift({
        start: base,
        end: base,
        message: `Checking stopped after ${options.budgetMs} ms: ${left} document(s) from here on are not checked this time`,
        code: 'validation-budget',
        severity: 'information',
        source: 'tekton',
      });
      break;
    }
    done++;
    for (const p of resource.syntaxProblems) {
      // an unparsed document (too large, too deep) says why whatever the rest of the file is (its own kind is unknown)
      if (UNPARSED.has(p.code)) out.push(shiftProblem({ ...p, severity: 'warning', source: 'tekton' }, base));
      else if (options.syntax !== false && ourFile)
        out.push(shiftProblem({ ...p, severity: p.warning ? 'warning' : 'error', source: 'yaml' }, base));
    }
    const engine = ownerOf(resource);
    if (engine) engines.add(engine);
    for (const e of augmentersOf(resource)) engines.add(e);
    if (engine && !engine.schemaChecked) {
      for (const p of resource.memo('validation', () => [...(engine.rules?.(resource, store) ?? []), ...validateCel(resource)]))
        out.push(shiftProblem(p, base));
      continue;
    }
    if (!resource.isTekton) continue;
    for (const p of resource.memo('validation', () => validateResource(resource, store)))
      out.push(shiftProblem(readByPac ? asReadByPac(p) : p, base));
    if (out.length >= max) break;
  }
  for (const engine of engines) out.push(...(engine.fileRules?.(doc) ?? []));
  return out.slice(0, max);
}

/**
 * A problem as it matters for a document Pipelines-as-Code reads from `.tekton/`: PaC decodes those leniently
 * (pkg/resolve/resolve.go, `UniversalDeserializer().Decode`) and creates the run from the Go struct, so an unknown
 * field is dropped, not rejected as admission would (its own .tekton/pr-ci.yaml runs with a `spec.description`).
 */
function asReadByPac(p: Problem): Problem {
  if (p.code !== 'schema-unknown-property' || p.severity !== 'error') return p;
  const message = `${p.message} (Pipelines-as-Code drops unknown fields of .tekton/ files; kubectl apply would reject it)`;
  return { ...p, severity: 'warning', message };
}

/** The checks of one Tekton document, with offsets relative to its chunk. */
export function validateResource(resource: YamlResource, store: SchemaStore): Problem[] {
  const info = resource.kindInfo;
  const root = resource.root;
  if (!info || !isMap(root)) return [];
  // On a tree the parser had to recover, schema errors mostly echo the syntax error: fix that first.
  if (resource.syntaxProblems.some((p) => !p.warning)) return [];
  const kindPair = getPair(root, 'kind');
  const apiPair = getPair(root, 'apiVersion');
  const rangeOf = (n: unknown) => (n as Node | undefined)?.range;
  const at = (n: unknown, message: string, code: string): Problem => {
    const r = rangeOf(n) ?? root.range ?? [0, 0];
    return { start: r[0], end: r[1], message, code, severity: 'error', source: 'tekton' };
  };
  if (!resource.kind) return [at(apiPair?.key ?? root, 'Missing required property "kind"', 'missing-kind')];

  const groupKinds = SERVED_VERSIONS[info.group];
  if (!info.isServed) {
    if (info.isOtherKnown) {
      return [{ ...at(kindPair?.value, `${info.kind} (${info.group}) is not supported by this extension and is not checked`, 'unsupported-kind'), severity: 'information' }];
    }
    if (!groupKinds) {
      // A near miss of a served group is a typo that no cluster serves; any other *.tekton.dev group may be a CRD of
      // its own (a warning: the cluster rejects it only where that CRD is not installed)
      const r = rangeOf(apiPair?.value) ?? [0, 0];
      const candidate = closest(info.group, Object.keys(SERVED_VERSIONS));
      // a letter or two off; `results.tekton.dev` is not a misspelt `tekton.dev`
      const near = candidate && editDistance(info.group, candidate) <= 2 ? candidate : undefined;
      const message = `Unknown Tekton API group "${info.group}"; expected one of ${Object.keys(SERVED_VERSIONS).join(', ')}`;
      if (!near) return [{ ...at(apiPair?.value, message, 'unknown-api-version'), severity: 'warning' }];
      const versions = Object.values(SERVED_VERSIONS[near]).flat();
      const version = versions.includes(info.version) ? info.version : versions[0];
      return [{ ...at(apiPair?.value, `${message}; did you mean "${near}"?`, 'unknown-api-version'), fixes: [{ title: `Change to ${near}/${version}`, edits: [{ start: r[0], end: r[1], newText: `${near}/${version}` }] }] }];
    }
    // A fix per apiVersion that serves the kind, the first (storage) version first.
    const apiVersionFixes = (group: string) => {
      const r = rangeOf(apiPair?.value) ?? [0, 0];
      return SERVED_VERSIONS[group][info.kind].map((v) => ({ title: `Change to ${group}/${v}`, edits: [{ start: r[0], end: r[1], newText: `${group}/${v}` }] }));
    };
    if (info.kindKnown) {
      const served = groupKinds[info.kind].map((v) => `${info.group}/${v}`).join(', ');
      return [{ ...at(apiPair?.value, `${info.kind} is not served at ${resource.apiVersion}; use ${served}`, 'unknown-api-version'), fixes: apiVersionFixes(info.group) }];
    }
    // The kind of the other Tekton group (tekton.dev/v1alpha1 Trigger, as a much-copied blog example writes it).
    const otherGroup = Object.keys(SERVED_VERSIONS).find((g) => g !== info.group && SERVED_VERSIONS[g][info.kind]);
    if (otherGroup) {
      const served = SERVED_VERSIONS[otherGroup][info.kind].map((v) => `${otherGroup}/${v}`).join(', ');
      const message = `${info.kind} belongs to the ${otherGroup} API group, not ${info.group}; use ${served}`;
      return [{ ...at(apiPair?.value, message, 'unknown-api-version'), fixes: apiVersionFixes(otherGroup) }];
    }
    const r = rangeOf(kindPair?.value) ?? [0, 0];
    const { hint, fixes } = didYouMean(info.kind, Object.keys(groupKinds), r[0], r[1]);
    const expected = hint || `; expected one of ${Object.keys(groupKinds).join(', ')}`;
    return [{ ...at(kindPair?.value, `Unknown kind "${info.kind}" in ${info.group}${expected}`, 'unknown-kind'), ...(fixes && { fixes }) }];
  }
  const schema = store.get(resource.apiVersion!, info.kind);
  // Go's JSON decoder matches Triggers' field names case-insensitively (no strict decoding there).
  const caseInsensitive = resource.isTriggers;
  const problems = schema ? validateAgainstSchema(root, schema, resource.doc, resource.text, schema.root, caseInsensitive) : [];
  const added = augmentersOf(resource).flatMap((e) => e.rules?.(resource, store) ?? []);
  // An augmenting engine's error at exactly the range of a schema error says the same more precisely (PaC: an
  // annotation written as a YAML list fails to decode, with a quick fix): the schema's generic one is dropped.
  const covered = new Set(added.filter((p) => p.severity === 'error').map((p) => `${p.start}:${p.end}`));
  const fromSchema = covered.size ? problems.filter((p) => !(p.code === 'schema-type' && covered.has(`${p.start}:${p.end}`))) : problems;
  return fromSchema.concat(ownerOf(resource)?.rules?.(resource, store) ?? [], added, validateCel(resource));
}

/** True when the file holds a document this server checks (Tekton, or one an engine owns). */
export function isOurs(doc: TektonDocument): boolean {
  for (const { resource } of doc.resources()) if (isChecked(resource)) return true;
  return false;
}

/** Problem codes of a document left unparsed (too large, flow nesting too deep): its kind is not known. */
const UNPARSED = new Set(['document-too-large', 'yaml-flow-too-deep']);

/**
 * isOurs, or a document left unparsed whose head names a Tekton API group or reads as a KFP pipeline spec: what a
 * command over a whole tree reports, so that a big CRD or OpenAPI file beside the pipelines adds nothing.
 */
export function mayBeOurs(doc: TektonDocument): boolean {
  if (isOurs(doc)) return true;
  for (const { resource } of doc.resources()) {
    if (!resource.syntaxProblems.some((p) => UNPARSED.has(p.code))) continue;
    const head = resource.text.slice(0, 4096);
    // the KFP SDK opens what it compiles with `# PIPELINE DEFINITION`; its keys come in alphabetical order
    if (/^apiVersion:\s*["']?[\w.-]*tekton\.dev\//m.test(head) || /^(# PIPELINE DEFINITION|(pipelineInfo|deploymentSpec|platforms):)/m.test(head))
      return true;
  }
  return false;
}
