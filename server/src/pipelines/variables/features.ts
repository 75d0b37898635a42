import { TektonDocument } from '../../document/tektonDocument';
import { TaskDeclarations } from '../rules/declarations';
import {
  findVariableDefinition,
  findVariableReferences,
  prepareRenameVariable,
  renameVariable,
  variableCompletions,
  variableHover,
} from './';
import type { CompletionProposal, HoverResult } from '../../document/proposals';
import { TextEdit } from '../../document/problem';

type Resolver = (name: string, kind?: string) => TaskDeclarations | undefined;

/**
 * The `$(...)` variable features of Tekton Pipelines documents with file offsets: the variables layer works on one
 * document with offsets relative to its chunk; this adds the chunk's offset on the way in and out. Each returns
 * undefined when the cursor is not on a variable, so the caller can fall through to the next provider.
 */
export function variableFeatures(resolver: () => Resolver) {
  const at = (doc: TektonDocument, offset: number) => {
    const loc = doc.locate(offset);
    return loc && loc.resource.isPipelines ? loc : undefined;
  };
  return {
    complete(doc: TektonDocument, offset: number): CompletionProposal[] | undefined {
      const loc = at(doc, offset);
      if (!loc) return undefined;
      const items = variableCompletions(loc.resource, loc.offset, resolver());
      if (!items.length) return undefined;
      return items.map((c, i) => ({
        label: c.label,
        kind: 'value' as const,
        detail: c.detail,
        documentation: c.documentation,
        insertText: c.insertText,
        snippet: false,
        replaceStart: loc.base + c.replaceStart,
        replaceEnd: loc.base + c.replaceEnd,
        sortText: String(i).padStart(4, '0'),
      }));
    },
    hover(doc: TektonDocument, offset: number): HoverResult | undefined {
      const loc = at(doc, offset);
      const h = loc && variableHover(loc.resource, loc.offset, resolver());
      return h && loc ? { markdown: h.contents, start: loc.base + h.start, end: loc.base + h.end } : undefined;
    },
    definition(doc: TektonDocument, offset: number): { start: number; end: number } | undefined {
      const loc = at(doc, offset);
      const d = loc && findVariableDefinition(loc.resource, loc.offset);
      return d && loc ? { start: loc.base + d.start, end: loc.base + d.end } : undefined;
    },
    references(doc: TektonDocument, offset: number, includeDeclaration: boolean): { start: number; end: number }[] | undefined {
      const loc = at(doc, offset);
      const refs = loc ? findVariableReferences(loc.resource, loc.offset, includeDeclaration) : [];
      return refs.length && loc ? refs.map((r) => ({ start: loc.base + r.start, end: loc.base + r.end })) : undefined;
    },
    prepareRename(doc: TektonDocument, offset: number): { start: number; end: number } | undefined {
      const loc = at(doc, offset);
      const r = loc && prepareRenameVariable(loc.resource, loc.offset);
      return r && loc ? { start: loc.base + r.start, end: loc.base + r.end } : undefined;
    },
    rename(doc: TektonDocument, offset: number, newName: string): TextEdit[] | undefined {
      const loc = at(doc, offset);
      const edits = loc && renameVariable(loc.resource, loc.offset, newName);
      return edits && loc ? edits.map((e) => ({ start: loc.base + e.start, end: loc.base + e.end, newText: e.newText })) : undefined;
    },
  };
}
