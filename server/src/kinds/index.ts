import { YamlResource } from '../document/tektonDocument';
import { Problem } from '../services/problem';

/**
 * Per-kind knowledge beyond the schema: webhook-equivalent checks of one document (offsets relative to its chunk,
 * cached per chunk text by the caller). Features are the axis, kinds are plug-ins: a kind adds an entry here.
 */
export type KindChecker = (resource: YamlResource) => Problem[];

const CHECKERS: Record<string, KindChecker> = {};

/** Registers the checks of a kind (called by the kind modules). */
export function registerKindChecker(kind: string, checker: KindChecker): void {
  CHECKERS[kind] = checker;
}

/** The kind-specific problems of one Tekton document. */
export function checkKindRules(resource: YamlResource): Problem[] {
  const checker = resource.kind ? CHECKERS[resource.kind] : undefined;
  return checker ? checker(resource) : [];
}
