import { YamlResource } from '../document/tektonDocument';
import { checkExpression, overlayKeyProblem } from '../cel/celService';
import { findCelRegions } from './engines';
import { Problem } from '../document/problem';

/**
 * Type-checks every CEL expression of a document in the environment Tekton gives it, with each problem mapped from
 * CEL offsets to the exact document characters (offsets relative to the chunk, like every per-document result).
 */
export function validateCel(resource: YamlResource): Problem[] {
  const out: Problem[] = [];
  for (const region of findCelRegions(resource)) {
    // A Triggers filter and PaC's on-cel-expression both run only on `true` (cel.go: `out != types.True` skips the run).
    const result = checkExpression(region.text, region.env, { filter: region.kind === 'filter' || region.kind === 'pac-match' });
    for (const d of result.diagnostics) {
      if (region.deferUndeclared && d.code === 'cel-undeclared-reference') continue;
      const r = region.map.toSource(d.start, Math.max(d.end, d.start));
      out.push({ start: r.start, end: Math.max(r.end, r.start + 1), message: d.message, code: d.code, severity: d.severity, source: 'cel' });
    }
    if (region.overlayKey?.range) {
      const p = overlayKeyProblem(String(region.overlayKey.value ?? ''));
      if (p)
        out.push({ start: region.overlayKey.range[0], end: region.overlayKey.range[1], message: p.message, code: p.code, severity: p.severity, source: 'cel' });
    }
  }
  return out;
}
