/** `on-cel-expression` as a CEL region in PaC's environment. */
import { celRegion, type CelRegion } from '../engine';
import type { YamlResource } from '../document/tektonDocument';
import { isScalar } from '../document/yamlAst';
import { annotation } from './model';

/**
 * The GitHub events an on-cel-expression runs on, for `body.` completion and hover: those it tests (`event == "push"`,
 * `headers['x-github-event'] == "…"`), else the two PaC matches GitHub webhooks to.
 */
function githubEventsOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(
    /\b(?:event|event_type|headers\s*\[\s*['"]x-github-event['"]\s*\])\s*==\s*['"]([a-z_]+)['"]/g,
  ))
    if (m[1] === 'pull_request' || m[1] === 'push' || m[1] === 'issue_comment') out.add(m[1]);
  return out.size ? [...out] : ['pull_request', 'push'];
}

export function pacCelRegions(resource: YamlResource): CelRegion[] {
  const cel = annotation(resource, 'on-cel-expression');
  if (!cel || !isScalar(cel.valueNode) || !cel.isString) return [];
  const region = celRegion('pac-match', 'pac', cel.valueNode, resource.text);
  return [{ ...region, deferUndeclared: true, githubEvents: githubEventsOf(region.text) }];
}
