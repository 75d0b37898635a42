/**
 * The resources a TriggerTemplate creates, checked as the standalone documents they become. Triggers admission does
 * not look inside `resourcetemplates` beyond apiVersion/kind ("we allow structural errors because of param
 * substitution", trigger_template_validation.go); a broken PipelineRun template is accepted and every event then fails
 * to create it. So the problems are warnings, with the same codes and ranges the standalone document would get.
 *
 * Substitutions are rendered by byte replacement in the template's JSON (pkg/template/resource.go), so they are not
 * type-checked here: a scalar that is exactly `$(tt.params.x)` (or `$(uid)`) may stand for a value of any type, and a
 * string holding a substitution is not held to patterns, lengths or enums it can only meet once rendered.
 */
import { Document, Node } from 'yaml';
import { checkKindRules } from '../../pipelines/rules';
import { classifyKind, PIPELINES_GROUP, SERVED_VERSIONS, TRIGGERS_GROUP } from '../../document/resourceKind';
import { YamlResource } from '../../document/tektonDocument';
import { getString, isMap } from '../../document/yamlAst';
import { SchemaStore } from '../../schema/schemaStore';
import { validateAgainstSchema } from '../../schema/schemaValidator';
import { didYouMean, Problem } from '../../document/problem';
import { isWholeSubstitution } from './expressions';
import { triggersModel } from './model';
import { forEachScalar } from './templates';

/** A resource template of a document: its node and the apiVersion/kind it declares. */
export interface ResourceTemplateTarget {
  /** The template's root map; offsets relative to the resource text. */
  node: Node;
  apiVersion?: string;
  kind?: string;
}

/**
 * Every resource template of a Triggers document: a TriggerTemplate's `spec.resourcetemplates[]`, and those of
 * inline `template.spec`s of a Trigger or of an EventListener's triggers. Other documents yield [].
 */
export function resourceTemplateTargets(resource: YamlResource): ResourceTemplateTarget[] {
  const model = triggersModel(resource);
  if (!model) return [];
  const templates = [model.template, ...model.triggers.map((t) => t.template)];
  const out: ResourceTemplateTarget[] = [];
  for (const t of templates)
    for (const node of t?.resourceTemplates ?? [])
      if (isMap(node)) out.push({ node, apiVersion: getString(node, 'apiVersion'), kind: getString(node, 'kind') });
  return out;
}

/** Codes a string holding a substitution is excused from: its rendered value is not known. */
const VALUE_CODES = new Set(['schema-pattern', 'schema-length', 'schema-enum', 'schema-range']);

/**
 * Validates each resource template against the schema of its apiVersion/kind (Tekton kinds only: the store has no
 * other schemas), as warnings. Templates of a Tekton kind at a version that is not served, or of an unknown Tekton
 * kind, get one warning on their apiVersion/kind. Offsets are relative to the chunk. Never throws on user input.
 */
export function checkResourceTemplates(resource: YamlResource, store: SchemaStore): Problem[] {
  try {
    return resource.memo('triggersResourceTemplates', () =>
      resourceTemplateTargets(resource).flatMap((t) => checkTarget(resource, store, t)),
    );
  } catch {
    return [];
  }
}

function checkTarget(resource: YamlResource, store: SchemaStore, target: ResourceTemplateTarget): Problem[] {
  const { apiVersion, kind, node } = target;
  if (!apiVersion || !kind) return []; // the TriggerTemplate schema requires both
  const info = classifyKind(apiVersion, kind);
  if (!info?.isTekton) return [];
  const schema = store.get(apiVersion, kind);
  if (!schema) {
    const p = notServed(target, info.group, info.kindKnown, info.isOtherKnown);
    return p ? [p] : [];
  }
  const substituted = new Map<string, boolean>();
  forEachScalar(node, (s) => {
    if (typeof s.value === 'string' && s.value.includes('$(') && s.range)
      substituted.set(`${s.range[0]}:${s.range[1]}`, isWholeSubstitution(s.value));
  });
  const problems = validateAgainstSchema(
    node,
    schema,
    resource.doc,
    resource.text,
    schema.root,
    info.group === TRIGGERS_GROUP,
  );
  const out: Problem[] = [];
  for (const p of problems) {
    const whole = substituted.get(`${p.start}:${p.end}`);
    if (whole === true) continue;
    if (whole === false && VALUE_CODES.has(p.code)) continue;
    out.push({
      ...p,
      severity: p.severity === 'error' ? 'warning' : p.severity,
      message: `${kind} template: ${p.message}`,
    });
  }
  // The Pipelines rules too (variables, webhook checks) on the template as a standalone document; a finding on text
  // holding a Triggers substitution is left out, since its rendered value is unknown here.
  if (info.group === PIPELINES_GROUP && !problems.some((p) => p.code === 'schema-type' && p.start === node.range?.[0])) {
    const doc = new Document() as unknown as Document.Parsed;
    doc.contents = node as Document.Parsed['contents'];
    (doc as unknown as { range: number[] }).range = [...(node.range ?? [0, 0, 0])];
    const standalone = new YamlResource(resource.text, doc, []);
    for (const p of checkKindRules(standalone)) {
      if (/\$\((tt\.params|uid\))/.test(resource.text.slice(lineStart(resource.text, p.start), lineEnd(resource.text, p.end)))) continue;
      out.push({ ...p, severity: p.severity === 'error' ? 'warning' : p.severity, message: `${kind} template: ${p.message}` });
    }
  }
  return out;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

function notServed(
  target: ResourceTemplateTarget,
  group: string,
  kindKnown: boolean,
  otherKnown: boolean,
): Problem | undefined {
  const groupKinds = SERVED_VERSIONS[group];
  if (!groupKinds || otherKnown) return undefined;
  const at = (key: string, message: string, code: string): Problem => {
    const v = (isMap(target.node) ? target.node.get(key, true) : undefined) as Node | undefined;
    const r = v?.range ?? target.node.range ?? [0, 0];
    return { start: r[0], end: r[1], message, code, severity: 'warning', source: 'tekton' };
  };
  if (kindKnown) {
    const served = groupKinds[target.kind!].map((v) => `${group}/${v}`).join(', ');
    return at(
      'apiVersion',
      `${target.kind} is not served at ${target.apiVersion}: creating it fails when the trigger fires; use ${served}`,
      'resource-template-not-served',
    );
  }
  const problem = at('kind', '', 'resource-template-unknown-kind');
  const { hint, fixes } = didYouMean(target.kind!, Object.keys(groupKinds), problem.start, problem.end);
  return { ...problem, message: `Unknown kind "${target.kind}" in ${group}: creating it fails when the trigger fires${hint}`, ...(fixes && { fixes }) };
}
