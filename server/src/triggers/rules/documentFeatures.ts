/**
 * File-level entry points of the Triggers `$(...)` features, in the service layer's terms (file offsets,
 * CompletionProposal, HoverResult), so that the server only has to chain them with the other providers.
 */
import { TektonDocument, YamlResource } from '../../document/tektonDocument';
import type { CompletionProposal, HoverResult } from '../../document/proposals';
import { completionsAt, triggersVariableHover, TriggersFeatureContext } from './variables';

function resourceAt(doc: TektonDocument, offset: number): { resource: YamlResource; base: number } | undefined {
  if (doc.skippedReason) return undefined;
  const chunk = doc.chunkAt(offset);
  if (!chunk) return undefined;
  const rel = offset - chunk.start;
  const resource = chunk.resources.find((r) => r.doc.range[0] <= rel && rel <= r.doc.range[2]) ?? chunk.resources[0];
  return resource?.isTriggers ? { resource, base: chunk.start } : undefined;
}

/**
 * Completion inside a `$(...)` of a Triggers binding value or resource template, at a file offset; undefined when the
 * cursor is elsewhere (so other providers run), possibly [] inside an expression with nothing to offer.
 */
export function doTriggersComplete(
  doc: TektonDocument,
  offset: number,
  ctx: TriggersFeatureContext = {},
): CompletionProposal[] | undefined {
  const at = resourceAt(doc, offset);
  if (!at) return undefined;
  return completionsAt(at.resource, offset - at.base, ctx)?.map((i) => ({
    ...i,
    snippet: false,
    replaceStart: i.replaceStart + at.base,
    replaceEnd: i.replaceEnd + at.base,
  }));
}

/** Hover on a `$(...)` of a Triggers binding value or resource template, at a file offset. */
export function doTriggersHover(
  doc: TektonDocument,
  offset: number,
  ctx: TriggersFeatureContext = {},
): HoverResult | undefined {
  const at = resourceAt(doc, offset);
  const hover = at && triggersVariableHover(at.resource, offset - at.base, ctx);
  return hover && { markdown: hover.markdown, start: hover.start + at!.base, end: hover.end + at!.base };
}
