import { TektonDocument, YamlResource } from '../document/tektonDocument';
import { getString, getValue, isMap, isSeq, Node, nodeAtPath, YamlPath } from '../document/yamlAst';
import type { DocumentSymbol } from '../engine';
import { ownerOf } from './engines';

/** A document symbol in service terms (file offsets). */
export type SymbolInfo = DocumentSymbol;

/** Named lists shown as children of a resource, per kind: [path, symbol kind, nested lists of each item]. */
type ChildSpec = { path: YamlPath; kind: SymbolInfo['kind']; label?: string; nested?: ChildSpec[] };

const STEPS: ChildSpec[] = [
  { path: ['steps'], kind: 'step' },
  { path: ['sidecars'], kind: 'step', label: 'sidecar' },
];
const PIPELINE_TASK_NESTED: ChildSpec[] = [{ path: ['taskSpec', 'steps'], kind: 'step' }];
const CHILDREN: Record<string, ChildSpec[]> = {
  Pipeline: [
    { path: ['spec', 'tasks'], kind: 'task', nested: PIPELINE_TASK_NESTED },
    { path: ['spec', 'finally'], kind: 'task', label: 'finally', nested: PIPELINE_TASK_NESTED },
  ],
  Task: STEPS.map((s) => ({ ...s, path: ['spec', ...s.path] })),
  StepAction: [],
  PipelineRun: [
    { path: ['spec', 'pipelineSpec', 'tasks'], kind: 'task', nested: PIPELINE_TASK_NESTED },
    { path: ['spec', 'pipelineSpec', 'finally'], kind: 'task', label: 'finally', nested: PIPELINE_TASK_NESTED },
  ],
  TaskRun: [{ path: ['spec', 'taskSpec', 'steps'], kind: 'step' }],
  EventListener: [
    { path: ['spec', 'triggers'], kind: 'trigger' },
    { path: ['spec', 'triggerGroups'], kind: 'group', label: 'group' },
  ],
  TriggerTemplate: [{ path: ['spec', 'resourcetemplates'], kind: 'template' }],
  TriggerBinding: [{ path: ['spec', 'params'], kind: 'param' }],
  ClusterTriggerBinding: [{ path: ['spec', 'params'], kind: 'param' }],
};

/**
 * One symbol per Tekton resource, nested by tasks, steps and triggers; the outline of a document whose engine has
 * one (Kubeflow Pipelines) instead.
 */
export function findDocumentSymbols(doc: TektonDocument, maxItems = 5000): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  let count = 0;
  for (const { resource, base } of doc.resources()) {
    if (count >= maxItems) continue;
    const engine = ownerOf(resource);
    if (engine?.symbols) {
      for (const s of engine.symbols(resource)) {
        count += 1 + s.children.length;
        out.push(shift(s, base));
      }
      continue;
    }
    if (!resource.isTekton) continue;
    const symbols = resource.memo('symbols', () => resourceSymbol(resource));
    if (!symbols) continue;
    count += 1 + symbols.children.length;
    out.push(shift(symbols, base));
  }
  return out;
}

function resourceSymbol(resource: YamlResource): SymbolInfo | undefined {
  const root = resource.root;
  if (!isMap(root) || !root.range) return undefined;
  const nameNode = nodeAtPath(root, ['metadata', 'name']) ?? nodeAtPath(root, ['metadata', 'generateName']) ?? getValue(root, 'kind');
  const sel = nameNode?.range ?? root.range;
  return {
    name: `${resource.kind ?? 'resource'} ${resource.name ?? ''}`.trim(),
    detail: resource.apiVersion,
    kind: 'resource',
    start: root.range[0],
    end: root.range[1],
    selectionStart: sel[0],
    selectionEnd: sel[1],
    children: childSymbols(root, CHILDREN[resource.kind ?? ''] ?? []),
  };
}

function childSymbols(node: Node, specs: ChildSpec[]): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  for (const spec of specs) {
    const list = nodeAtPath(node, spec.path);
    if (!isSeq(list)) continue;
    list.items.forEach((item, i) => {
      const it = item as Node | null;
      if (!it?.range) return;
      const nameNode = isMap(it) ? (getValue(it, 'name') ?? getValue(it, 'ref')) : undefined;
      const name =
        (isMap(it) ? (getString(it, 'name') ?? getString(it, 'ref') ?? describeTemplate(it)) : undefined) ?? `#${i + 1}`;
      const sel = nameNode?.range ?? it.range;
      out.push({
        name: spec.label ? `${spec.label} ${name}` : name,
        kind: spec.kind,
        start: it.range[0],
        end: it.range[1],
        selectionStart: sel[0],
        selectionEnd: sel[1],
        children: spec.nested ? childSymbols(it, spec.nested) : [],
      });
    });
  }
  return out;
}

function describeTemplate(item: Node): string | undefined {
  const kind = getString(item, 'kind');
  if (!kind) return undefined;
  const meta = getValue(item, 'metadata');
  return `${kind} ${getString(meta, 'name') ?? getString(meta, 'generateName') ?? ''}`.trim();
}

function shift(s: SymbolInfo, d: number): SymbolInfo {
  return {
    ...s,
    start: s.start + d,
    end: s.end + d,
    selectionStart: s.selectionStart + d,
    selectionEnd: s.selectionEnd + d,
    children: s.children.map((c) => shift(c, d)),
  };
}
