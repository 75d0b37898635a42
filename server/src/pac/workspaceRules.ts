/**
 * The rules of a PaC PipelineRun that need the workspace: same names across the files of one `.tekton/` folder,
 * repository paths of remote tasks, `{{ }}` names and on-cel-expression references against the Repository's
 * custom params.
 */
import { checkExpression } from '../cel/celService';
import type { Problem } from '../document/problem';
import { scalarMap } from '../document/scalarMap';
import type { YamlResource } from '../document/tektonDocument';
import { pacFolder } from '../document/uri';
import { isScalar } from '../document/yamlAst';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { parseAnnotationValues } from './annotations';
import { pacCelRegions } from './celRegions';
import { isPacPipelineRun, pacAnnotations, pacRunName } from './model';
import { customParamsOf, hasRepository, pacCelEnvironment } from './repository';
import { nameRange } from './rules';
import { checkTemplateVariables } from './variables';

/**
 * `task`/`pipeline` values that are paths of the repository (annotation_tasks_install.go: a value with "/" and no
 * "://"): resolved from the repository root (the folder holding `.tekton/`) against the workspace index. A path whose
 * file holds no Task (Pipeline) in the workspace is a warning: PaC fails the run when it cannot fetch it.
 */
function repositoryPathProblems(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[] {
  const folder = pacFolder(uri);
  if (!folder) return [];
  const root = folder.slice(0, folder.length - '.tekton/'.length);
  const out: Problem[] = [];
  for (const a of pacAnnotations(resource)) {
    const kind = a.key === 'pipeline' ? 'Pipeline' : /^task(-\d+)?$/.test(a.key) ? 'Task' : undefined;
    if (!kind || !a.isString || a.value === undefined || !isScalar(a.valueNode)) continue;
    const parsed = parseAnnotationValues(a.value);
    if ('error' in parsed) continue;
    for (const item of parsed.items) {
      if (!item.value.includes('/') || item.value.includes('://')) continue;
      const target = root + item.value.replace(/^\.?\//, '');
      if (index.all(kind).some((r) => r.uri === target)) continue;
      const r = scalarMap(a.valueNode, resource.text).toSource(item.start, item.end);
      out.push({
        ...r,
        severity: 'warning',
        code: 'pac-remote-not-found',
        source: 'tekton',
        message: `No ${kind} in the workspace at ${item.value} (from the repository root): Pipelines-as-Code fails the run when it cannot fetch it`,
      });
    }
  }
  return out;
}

/** resolve.go pipelineRunsWithSameName across the files of one `.tekton/` folder (within a file: rules.ts). */
function sameNameInFolder(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[] {
  const folder = pacFolder(uri);
  const name = pacRunName(resource);
  const range = nameRange(resource);
  if (!folder || !name || !range) return [];
  const others = index.all('PipelineRun').filter((r) => r.name === name && r.uri !== uri && r.uri.startsWith(folder));
  if (!others.length) return [];
  const where = others.map((r) => r.uri.slice(folder.length)).join(', ');
  return [
    {
      ...range,
      severity: 'error',
      code: 'pac-duplicate-name',
      source: 'tekton',
      message: `${where} holds another PipelineRun named "${name}": Pipelines-as-Code fails the event ("found multiple pipelinerun in .tekton with the same name") and runs none`,
    },
  ];
}

/** The rules of a PaC PipelineRun that need the workspace (see the top of this file). */
export function pacCrossFile(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[] {
  if (!isPacPipelineRun(resource)) return [];
  const params = customParamsOf(index);
  // Without a Repository in the workspace its custom params are unknown: a name may well be one of them (probably,
  // not certainly, wrong).
  const known = hasRepository(index);
  const unless = 'unless a custom param of the Repository declares it (no Repository resource in the workspace)';
  const out = [...repositoryPathProblems(resource, index, uri), ...sameNameInFolder(resource, index, uri)];
  for (const region of pacCelRegions(resource))
    for (const d of checkExpression(region.text, pacCelEnvironment(params)).diagnostics) {
      if (d.code !== 'cel-undeclared-reference') continue;
      const r = region.map.toSource(d.start, Math.max(d.end, d.start));
      // The Repository that applies is the cluster's, matched by the event's URL: one in the workspace may not be it,
      // so a name none of them declares probably (not certainly) fails the expression
      const message = d.message.replace(/ \(in container ''\)/, '');
      out.push({
        start: r.start,
        end: Math.max(r.end, r.start + 1),
        message: known ? `${message}: no Repository of the workspace declares it as a custom param` : `${message}; ${unless}`,
        code: d.code,
        severity: 'warning',
        source: 'cel',
      });
    }
  for (const p of checkTemplateVariables(resource, new Set(params)))
    if (p.code === 'pac-unknown-variable')
      out.push(known ? p : { ...p, severity: 'information', message: `${p.message} (${unless})` });
  return out;
}
