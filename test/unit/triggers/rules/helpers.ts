/**
 * Helpers of the Triggers kind tests: what the editor shows for a file once the Triggers checks are wired next to the
 * schema validation (schema problems, admission checks, resource templates, and the workspace checks with the file
 * itself as the workspace), as `CODE SEVERITY L:C-L:C` (1-based, end exclusive).
 */
import { TektonDocument, YamlResource } from '../../../../server/src/document/tektonDocument';
import {
  checkResourceTemplates,
  checkTriggersResource,
  checkTriggersWorkspace,
  resolverFromResources,
  TriggersResolver,
} from '../../../../server/src/triggers/rules';
import { SchemaStore } from '../../../../server/src/schema/schemaStore';
import { validateAgainstSchema } from '../../../../server/src/schema/schemaValidator';
import { Problem } from '../../../../server/src/document/problem';

export const store = new SchemaStore();

/** The schema step of validateResource, on its own (so the test does not depend on how the checks are wired). */
export function schemaProblems(resource: YamlResource): Problem[] {
  const info = resource.kindInfo;
  if (!info?.isServed || resource.syntaxProblems.some((p) => !p.warning)) return [];
  const schema = store.get(resource.apiVersion!, info.kind);
  return schema
    ? validateAgainstSchema(
        resource.root,
        schema,
        resource.doc,
        resource.text,
        schema.root,
        info.group === 'triggers.tekton.dev',
      )
    : [];
}

/** Every Triggers problem of one document (offsets relative to its chunk). */
export function triggersProblems(resource: YamlResource, resolver: TriggersResolver): Problem[] {
  return [
    ...checkTriggersResource(resource),
    ...checkResourceTemplates(resource, store),
    ...checkTriggersWorkspace(resource, resolver),
  ];
}

/** Formats a problem of a document as `CODE SEVERITY L:C-L:C`. */
export function format(doc: TektonDocument, p: Problem, base: number): string {
  const s = doc.positionAt(p.start + base);
  const e = doc.positionAt(p.end + base);
  return `${p.code} ${p.severity} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
}

/** The schema and Triggers problems of every document of a file, the file being its own workspace. */
export function fileProblems(text: string, withSchema = true): string[] {
  const doc = new TektonDocument('file:///fixture.yaml', 1, text);
  const resources = [...doc.resources()];
  const resolver = resolverFromResources(resources.map((r) => r.resource));
  const out: string[] = [];
  for (const { resource, base } of resources) {
    const problems = [...(withSchema ? schemaProblems(resource) : []), ...triggersProblems(resource, resolver)];
    for (const p of problems) out.push(format(doc, p, base));
  }
  return out;
}

/** `# expect: CODE SEVERITY L:C-L:C` header lines. */
export function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+) (\d+):(\d+)-(\d+):(\d+)\s*$/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}:${m[4]}-${m[5]}:${m[6]}`,
  );
}
