/**
 * The registry of engines: the one place a new engine is added. Order matters where several could answer at a
 * cursor (completion, hover and navigation ask them in this order).
 */
import type { YamlResource } from '../document/tektonDocument';
import type { CelRegion, Engine } from '../engine';
import { kfpEngine } from '../kfp/engine';
import { pacEngine } from '../pac/engine';
import { pipelinesEngine } from '../pipelines/engine';
import { triggersEngine } from '../triggers/engine';

// PaC first: at a cursor in a `pipelinesascode.tekton.dev/` annotation or a `{{ }}` variable it answers before the
// Pipelines engine, which owns the same PipelineRun; elsewhere it returns undefined.
export const ENGINES: readonly Engine[] = [pacEngine, pipelinesEngine, triggersEngine, kfpEngine];

/** The engine that owns a document, if any (computed once per document text). */
export function ownerOf(resource: YamlResource): Engine | undefined {
  return resource.memo('engine', () => ENGINES.find((e) => e.owns(resource)));
}

/** The engines that add to a document another engine owns (engine.ts `augments`), computed once per document text. */
export function augmentersOf(resource: YamlResource): readonly Engine[] {
  return resource.memo('augmenters', () => ENGINES.filter((e) => e.augments?.(resource)));
}

/** True for documents this server checks: any Tekton API group, or a document an engine owns. */
export function isChecked(resource: YamlResource): boolean {
  return resource.isTekton || ownerOf(resource) !== undefined;
}

/** Every CEL-bearing field of a document, from its engine (computed once per document text). */
export function findCelRegions(resource: YamlResource): CelRegion[] {
  return resource.memo('celRegions', () => [
    ...(ownerOf(resource)?.celRegions?.(resource) ?? []),
    ...augmentersOf(resource).flatMap((e) => e.celRegions?.(resource) ?? []),
  ]);
}

/** What the workspace index keeps of a document: its engine's summary. */
export const summarizeResource = (resource: YamlResource): unknown => ownerOf(resource)?.summarize?.(resource);
