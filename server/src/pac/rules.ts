/**
 * The annotation rules of a Pipelines-as-Code PipelineRun. Each follows what upstream does with the value
 * (tektoncd/pipelines-as-code `pkg/matcher/annotation_matcher.go`, `pkg/resolve/resolve.go`, `pkg/pipelineascode/
 * match.go`): errors where PaC certainly fails (the document cannot be decoded and is dropped, the matcher returns an
 * error and no PipelineRun of the folder runs, a glob panics), warnings where the run probably never fires as meant.
 */
import { didYouMean, editDistance, type Fix, type Problem } from '../document/problem';
import { scalarMap } from '../document/scalarMap';
import type { TektonDocument, YamlResource } from '../document/tektonDocument';
import { isMap, isScalar, isSeq, type Node } from '../document/yamlAst';
import { re2SyntaxError } from '../cel/re2';
import {
  annotationInfo,
  compileGlob,
  KNOWN_EVENTS,
  PAC_PREFIX,
  parseAnnotationValues,
  USER_ANNOTATION_KEYS,
  type ListItem,
} from './annotations';
import { annotationsMap, isPacPipelineRun, pacAnnotations, pacRunName, type PacAnnotation } from './model';
import { checkTemplateVariables } from './variables';

type Severity = Problem['severity'];

function problem(
  start: number,
  end: number,
  severity: Severity,
  code: string,
  message: string,
  fixes?: Fix[],
): Problem {
  return { start, end: Math.max(end, start + 1), severity, code, message, source: 'tekton', ...(fixes && { fixes }) };
}

/** The source range of the decoded value slice `[start, end)` of an annotation value. */
function valueRange(
  resource: YamlResource,
  a: PacAnnotation,
  start: number,
  end: number,
): { start: number; end: number } {
  const node = a.valueNode;
  if (!isScalar(node) || !node.range) return { start: node?.range?.[0] ?? 0, end: node?.range?.[1] ?? 0 };
  return scalarMap(node, resource.text).toSource(start, end);
}

/** Keys of the `on-*` annotations that `on-cel-expression` makes PaC ignore (the `else` branch of the matcher). */
const IGNORED_BY_CEL = ['on-event', 'on-target-branch', 'on-path-change', 'on-path-change-ignore', 'on-label'];

/** The rules of one PaC PipelineRun (offsets relative to its chunk). */
export function checkPacPipelineRun(resource: YamlResource): Problem[] {
  const out: Problem[] = [];
  const annotations = pacAnnotations(resource);
  const has = (k: string) => annotations.some((a) => a.key === k);
  for (const a of annotations) checkAnnotation(resource, a, out);
  misspeltPrefixes(resource, out);
  const cel = annotations.find((a) => a.key === 'on-cel-expression');
  if (cel) {
    // annotation_matcher.go: with on-cel-expression the on-event/on-target-branch/path/label branch is never read
    // (checkPipelineRunAnnotation emits RepositoryTakesOnCelExpressionPrecedence for on-event and on-target-branch).
    for (const a of annotations)
      if (IGNORED_BY_CEL.includes(a.key) && a.keyNode.range)
        out.push(
          problem(
            a.keyNode.range[0],
            a.keyNode.range[1],
            'warning',
            'pac-ignored-by-cel',
            `${a.key} is ignored: on-cel-expression takes precedence over the other on-* matching annotations (RepositoryTakesOnCelExpressionPrecedence)`,
          ),
        );
  } else if (!has('on-comment')) {
    // getTargetBranch: without both on-event and on-target-branch nothing matches (unless on-comment or CEL).
    const event = annotations.find((a) => a.key === 'on-event');
    const branch = annotations.find((a) => a.key === 'on-target-branch');
    const lone = event ?? branch;
    if (lone && !(event && branch) && lone.keyNode.range) {
      const missing = event ? 'on-target-branch' : 'on-event';
      out.push(
        problem(
          lone.keyNode.range[0],
          lone.keyNode.range[1],
          'warning',
          'pac-incomplete-match',
          `${lone.key} without ${missing}: Pipelines-as-Code matches a PipelineRun on both (or on on-cel-expression / on-comment), so this one never runs`,
        ),
      );
    }
  }
  out.push(...checkTemplateVariables(resource));
  return out;
}

/** Annotations whose group is a near miss of `pipelinesascode.tekton.dev/` (`pipelineascode.tekton.dev/on-event`). */
function misspeltPrefixes(resource: YamlResource, out: Problem[]): void {
  const map = annotationsMap(resource);
  if (!isMap(map)) return;
  const group = PAC_PREFIX.slice(0, -1);
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || typeof key.value !== 'string' || !key.range) continue;
    const slash = key.value.indexOf('/');
    const prefix = slash > 0 ? key.value.slice(0, slash) : '';
    if (!prefix || prefix === group || editDistance(prefix, group) > 3) continue;
    const map2 = scalarMap(key, resource.text);
    const r = map2.exact ? map2.toSource(0, prefix.length) : { start: key.range[0], end: key.range[1] };
    const fix = map2.exact
      ? [{ title: `Change to "${group}"`, edits: [{ start: r.start, end: r.end, newText: group }] }]
      : undefined;
    out.push(
      problem(
        r.start,
        r.end,
        'warning',
        'pac-unknown-annotation',
        `"${prefix}" is not Pipelines-as-Code's annotation group: Pipelines-as-Code ignores ${key.value}; did you mean "${group}"?`,
        fix,
      ),
    );
  }
}

function checkAnnotation(resource: YamlResource, a: PacAnnotation, out: Problem[]): void {
  const keyRange = a.keyNode.range;
  const info = annotationInfo(a.key);
  if (!info && keyRange) {
    const map = scalarMap(a.keyNode, resource.text);
    const r = map.exact
      ? map.toSource(PAC_PREFIX.length, PAC_PREFIX.length + a.key.length)
      : { start: keyRange[0], end: keyRange[1] };
    const { hint, fixes } = didYouMean(a.key, USER_ANNOTATION_KEYS, r.start, r.end);
    out.push(
      problem(
        r.start,
        r.end,
        'warning',
        'pac-unknown-annotation',
        `Unknown Pipelines-as-Code annotation "${a.key}": Pipelines-as-Code ignores it${hint}`,
        map.exact ? fixes : undefined,
      ),
    );
  }
  const node = a.valueNode;
  const nodeRange = node?.range;
  if (node && nodeRange && (isSeq(node) || isMap(node) || (isScalar(node) && node.value !== null && !a.isString))) {
    // Kubernetes decodes annotations as map[string]string: a YAML list, map, number or bool fails to decode, and PaC
    // drops the whole document without a word (resolve.go ReadTektonTypes logs the decode error).
    const what = isSeq(node)
      ? 'a YAML list'
      : isMap(node)
        ? 'a YAML map'
        : `a YAML ${typeof (node as { value: unknown }).value}`;
    const source = resource.text.slice(nodeRange[0], nodeRange[1]);
    const fix =
      isSeq(node) || isScalar(node)
        ? [
            {
              title: `Quote the value: "${source}"`,
              edits: [{ start: nodeRange[0], end: nodeRange[1], newText: JSON.stringify(source) }],
            },
          ]
        : undefined;
    out.push(
      problem(
        nodeRange[0],
        nodeRange[1],
        'error',
        'pac-annotation-not-string',
        `The value of ${a.key} is ${what}, not a string: the PipelineRun cannot be decoded and Pipelines-as-Code drops it silently; quote it${isSeq(node) ? ` ("${source}")` : ''}`,
        fix,
      ),
    );
    return;
  }
  if (!info || a.value === undefined || !a.isString) return;
  const whole = () => valueRange(resource, a, 0, a.value!.length);
  switch (info.kind) {
    case 'events':
    case 'branches':
    case 'paths':
    case 'labels':
    case 'remote': {
      const parsed = parseAnnotationValues(a.value);
      if ('error' in parsed) {
        const r = whole();
        // getTargetBranch ("annotation %s is empty") and getAnnotationValues return errors that end the matching of
        // the whole folder: no PipelineRun runs for the event.
        const message = parsed.empty
          ? `${a.key} is an empty list: Pipelines-as-Code fails the match for the whole .tekton/ folder (no PipelineRun runs)`
          : `${a.key} is not in Pipelines-as-Code's list form ("[a, b]" or one value without spaces or brackets): the match fails for the whole .tekton/ folder`;
        out.push(problem(r.start, r.end, 'error', parsed.empty ? 'pac-empty-list' : 'pac-bad-list', message));
        return;
      }
      const written = a.value.trim();
      if (!written.startsWith('[') && written.includes(',')) {
        // getAnnotationValues: without brackets the whole value is one item, commas included ("main,release" is a
        // branch named so); `&#44;` is how a literal comma is written, so a bare one is most likely meant as a list.
        const r = whole();
        const list = `[${written
          .split(',')
          .map((x) => x.trim())
          .join(', ')}]`;
        const fix = [{ title: `Write the list "${list}"`, edits: [{ start: r.start, end: r.end, newText: list }] }];
        out.push(
          problem(
            r.start,
            r.end,
            'warning',
            'pac-comma-not-list',
            `Without brackets "${written}" is one value, commas included; a list is written "${list}" (a literal comma: &#44;)`,
            scalarMap(a.valueNode as never, resource.text).isVerbatim(0, a.value.length) ? fix : undefined,
          ),
        );
        return;
      }
      for (const item of parsed.items) checkItem(resource, a, info.kind, item, out);
      return;
    }
    case 'regexp': {
      const err = re2SyntaxError(a.value);
      if (err) {
        const r = whole();
        // annotation_matcher.go: "could not compile regexp … from on-comment annotation": the run is skipped.
        out.push(
          problem(
            r.start,
            r.end,
            'error',
            'pac-bad-regexp',
            `on-comment is not a valid regular expression (${err}): Pipelines-as-Code skips this PipelineRun`,
          ),
        );
      }
      return;
    }
    case 'integer':
      if (!/^[+-]?\d+$/.test(a.value)) {
        const r = whole();
        out.push(
          problem(
            r.start,
            r.end,
            'warning',
            'pac-not-integer',
            `${a.key} must be an integer ("5"); Pipelines-as-Code ignores "${a.value}"`,
          ),
        );
      } else if (Number(a.value) < 1) {
        const r = whole();
        out.push(
          problem(
            r.start,
            r.end,
            'warning',
            'pac-not-integer',
            `${a.key} should be a positive integer; "${a.value}" keeps no runs`,
          ),
        );
      }
      return;
    case 'boolean':
      if (a.value !== 'true' && a.value !== 'false') {
        const r = whole();
        const { fixes } = didYouMean(a.value, ['true', 'false'], r.start, r.end);
        out.push(
          problem(
            r.start,
            r.end,
            'warning',
            'pac-not-boolean',
            `${a.key} is "true" or "false"; Pipelines-as-Code reads "${a.value}" as false`,
            fixes,
          ),
        );
      }
      return;
    default:
      return;
  }
}

function checkItem(resource: YamlResource, a: PacAnnotation, kind: string, item: ListItem, out: Problem[]): void {
  const r = valueRange(resource, a, item.start, item.end);
  if (kind === 'events' && !KNOWN_EVENTS.includes(item.value)) {
    const { hint, fixes } = didYouMean(item.value, KNOWN_EVENTS, r.start, r.end);
    out.push(
      problem(
        r.start,
        r.end,
        'warning',
        'pac-unknown-event',
        `Pipelines-as-Code matches on-event against pull_request, push or incoming; "${item.value}" never matches${hint}`,
        fixes,
      ),
    );
  }
  if (kind === 'remote') {
    // annotation_tasks_install.go getRemote: http(s) URL, `catalog://name` (a custom hub catalog), a path of the
    // repository (contains "/", checked against the workspace by crossFile), else a name of the default hub catalog.
    const where = /^https?:\/\//i.test(item.value)
      ? 'fetched from the URL'
      : item.value.includes('://')
        ? `fetched from the custom hub catalog "${item.value.split('://')[0]}"`
        : item.value.includes('/')
          ? undefined
          : 'fetched from Artifact Hub (the default catalog)';
    if (where)
      out.push(
        problem(
          r.start,
          r.end,
          'information',
          'pac-remote-resolved-at-run-time',
          `${a.key === 'pipeline' ? 'Pipeline' : 'Task'} "${item.value}" is ${where} when Pipelines-as-Code resolves the run; not checked here`,
        ),
      );
  }
  if ((kind === 'branches' || kind === 'paths') && !compileGlob(item.value)) {
    // gobwas glob.MustCompile panics on a pattern it cannot compile.
    out.push(
      problem(
        r.start,
        r.end,
        'error',
        'pac-bad-glob',
        `"${item.value}" is not a valid glob (glob.MustCompile fails on it)`,
      ),
    );
  }
}

/**
 * resolve.go pipelineRunsWithSameName: two PipelineRuns of the folder with the same name (or generateName) fail the
 * whole event. Within one file here; across the files of a folder through the workspace index (crossFile).
 */
export function duplicateNameProblems(doc: TektonDocument): Problem[] {
  const byName = new Map<string, { start: number; end: number }[]>();
  for (const { resource, base } of doc.resources()) {
    if (!isPacPipelineRun(resource)) continue;
    const name = pacRunName(resource);
    const at = nameRange(resource);
    if (!name || !at) continue;
    byName.set(name, [...(byName.get(name) ?? []), { start: base + at.start, end: base + at.end }]);
  }
  const out: Problem[] = [];
  for (const [name, places] of byName)
    if (places.length > 1)
      for (const p of places)
        out.push(
          problem(
            p.start,
            p.end,
            'error',
            'pac-duplicate-name',
            `Another PipelineRun of this .tekton/ folder is named "${name}": Pipelines-as-Code fails the event ("found multiple pipelinerun in .tekton with the same name") and runs none`,
          ),
        );
  return out;
}

/** The range of metadata.generateName or metadata.name (the name PaC uses). */
export function nameRange(resource: YamlResource): { start: number; end: number } | undefined {
  const metadata = isMap(resource.root) ? (resource.root.get('metadata', true) as Node | undefined) : undefined;
  if (!isMap(metadata)) return undefined;
  for (const k of ['generateName', 'name']) {
    const v = metadata.get(k, true) as Node | undefined;
    if (isScalar(v) && v.range && v.value !== null && v.value !== '') return { start: v.range[0], end: v.range[1] };
  }
  return undefined;
}
