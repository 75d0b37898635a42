/** The rules of one KFP document: the proto-generated schema, then the IR model's references and placeholders. */
import type { Problem } from '../../document/problem';
import type { YamlResource } from '../../document/tektonDocument';
import { kfpModel } from '../model';
import { conditionProblems } from './conditions';
import { placeholderProblems } from './placeholders';
import { referenceProblems } from './references';
import { schemaProblems } from './schema';

/** The first document of a compiled pipeline (PipelineSpec). */
export function checkPipelineSpec(resource: YamlResource): Problem[] {
  // On a tree the parser had to recover, most problems would echo the syntax error: fix that first.
  if (resource.syntaxProblems.some((p) => !p.warning)) return [];
  const model = kfpModel(resource);
  const rules = [...referenceProblems(model, resource.text), ...placeholderProblems(model, resource.text), ...conditionProblems(model, resource.text)];
  // A block collection's range runs to the start of the next line; the squiggle ends with its last character.
  for (const p of rules) while (p.end > p.start + 1 && /\s/.test(resource.text[p.end - 1])) p.end--;
  return [...schemaProblems(resource, 'PipelineSpec'), ...rules];
}

/** The optional second document (PlatformSpec, `platforms: kubernetes: ...`). */
export function checkPlatformSpec(resource: YamlResource): Problem[] {
  if (resource.syntaxProblems.some((p) => !p.warning)) return [];
  return schemaProblems(resource, 'PlatformSpec');
}
