import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { getLanguageService } from '../../../server/src/service/languageService';

const service = getLanguageService();

/** The diagnostics of a file as the editor and `check` see them, as `CODE SEVERITY L:C-L:C` (1-based, end exclusive). */
export function diagnostics(text: string, uri = 'file:///pipeline.yaml'): string[] {
  const doc = new TektonDocument(uri, 1, text);
  return service.doValidation(doc).map((p) => {
    const s = doc.positionAt(p.start);
    const e = doc.positionAt(p.end);
    return `${p.code} ${p.severity} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
  });
}

/** The same with the problems themselves (for messages and fixes). */
export function problems(text: string, uri = 'file:///pipeline.yaml') {
  const doc = new TektonDocument(uri, 1, text);
  return { doc, problems: service.doValidation(doc) };
}

/** `# expect: CODE SEVERITY L:C-L:C` header lines. */
export function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+) (\d+):(\d+)-(\d+):(\d+)\s*$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}:${m[4]}-${m[5]}:${m[6]}`);
}
