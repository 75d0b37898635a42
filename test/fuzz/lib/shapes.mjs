// Gross LSP shape checks of answers: the point is to catch garbage (wrong types, negative or fractional positions,
// inverted ranges, diagnostics far outside the document), not to re-verify every optional field.

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isUint = (v) => Number.isInteger(v) && v >= 0;

function position(p, where) {
  if (!isObj(p) || !isUint(p.line) || !isUint(p.character)) return `${where}: bad position ${JSON.stringify(p)}`;
  return null;
}

function range(r, where, lineCount) {
  if (!isObj(r)) return `${where}: range is ${JSON.stringify(r)}`;
  const e = position(r.start, `${where}.start`) ?? position(r.end, `${where}.end`);
  if (e) return e;
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `${where}: inverted range ${JSON.stringify(r)}`;
  if (lineCount !== undefined && r.end.line > lineCount) return `${where}: range ${JSON.stringify(r)} beyond the document's ${lineCount} lines`;
  return null;
}

function location(l, where) {
  if (!isObj(l)) return `${where}: not an object`;
  if ('targetUri' in l) {
    if (typeof l.targetUri !== 'string') return `${where}: targetUri not a string`;
    return range(l.targetRange, `${where}.targetRange`) ?? range(l.targetSelectionRange, `${where}.targetSelectionRange`);
  }
  if (typeof l.uri !== 'string') return `${where}: uri not a string`;
  return range(l.range, `${where}.range`);
}

function each(arr, where, fn) {
  if (!Array.isArray(arr)) return `${where}: not an array`;
  for (let i = 0; i < arr.length; i++) {
    const e = fn(arr[i], `${where}[${i}]`);
    if (e) return e;
  }
  return null;
}

function diagnostic(d, where, lineCount) {
  if (!isObj(d)) return `${where}: not an object`;
  if (typeof d.message !== 'string') return `${where}: message not a string`;
  if (d.severity !== undefined && ![1, 2, 3, 4].includes(d.severity)) return `${where}: severity ${d.severity}`;
  return range(d.range, `${where}.range`, lineCount);
}

function textEdit(e, where) {
  if (!isObj(e) || typeof e.newText !== 'string') return `${where}: bad TextEdit`;
  return range(e.range ?? e.insert, `${where}.range`);
}

function workspaceEdit(w, where) {
  if (!isObj(w)) return `${where}: not an object`;
  if (w.changes !== undefined) {
    if (!isObj(w.changes)) return `${where}.changes: not an object`;
    for (const [uri, edits] of Object.entries(w.changes)) {
      const e = each(edits, `${where}.changes[${uri}]`, textEdit);
      if (e) return e;
    }
  }
  if (w.documentChanges !== undefined) {
    return each(w.documentChanges, `${where}.documentChanges`, (c, wh) =>
      isObj(c) && 'kind' in c ? null : isObj(c) && isObj(c.textDocument) ? each(c.edits, `${wh}.edits`, textEdit) : `${wh}: bad change`,
    );
  }
  return null;
}

function symbol(s, where) {
  if (!isObj(s) || typeof s.name !== 'string' || !Number.isInteger(s.kind)) return `${where}: bad symbol`;
  if (s.location) return location(s.location, `${where}.location`);
  const e = range(s.range, `${where}.range`) ?? range(s.selectionRange, `${where}.selectionRange`);
  if (e) return e;
  const r = s.range, sr = s.selectionRange;
  const before = (a, b) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  if (!before(r.start, sr.start) || !before(sr.end, r.end)) return `${where}: selectionRange ${JSON.stringify(sr)} not inside range ${JSON.stringify(r)}`;
  return s.children === undefined ? null : each(s.children, `${where}.children`, symbol);
}

const nullable = (fn) => (v, ctx) => (v === null || v === undefined ? null : fn(v, ctx));

/** Validators by method; each returns an error string or null. `ctx.lineCount` is the document's line count. */
export const VALIDATORS = {
  'textDocument/completion': nullable((v) => {
    const items = Array.isArray(v) ? v : isObj(v) && typeof v.isIncomplete === 'boolean' ? v.items : undefined;
    if (!Array.isArray(items)) return 'completion: neither CompletionItem[] nor CompletionList';
    return each(items, 'completion.items', (it, wh) => {
      if (!isObj(it) || typeof it.label !== 'string') return `${wh}: label not a string`;
      if (it.textEdit) return textEdit(it.textEdit, `${wh}.textEdit`);
      return null;
    });
  }),
  'completionItem/resolve': (v) => (isObj(v) && typeof v.label === 'string' ? null : 'completionItem/resolve: not a CompletionItem'),
  'textDocument/hover': nullable((v) => {
    if (!isObj(v) || v.contents === undefined) return 'hover: no contents';
    return v.range ? range(v.range, 'hover.range') : null;
  }),
  'textDocument/definition': nullable((v) => (Array.isArray(v) ? each(v, 'definition', location) : location(v, 'definition'))),
  'textDocument/references': nullable((v) => each(v, 'references', location)),
  'textDocument/prepareRename': nullable((v) => {
    if (!isObj(v)) return 'prepareRename: not an object';
    if ('defaultBehavior' in v) return null;
    if ('placeholder' in v) return typeof v.placeholder === 'string' ? range(v.range, 'prepareRename.range') : 'prepareRename: placeholder not a string';
    return range(v, 'prepareRename');
  }),
  'textDocument/rename': nullable((v) => workspaceEdit(v, 'rename')),
  'textDocument/documentSymbol': nullable((v) => each(v, 'documentSymbol', symbol)),
  'textDocument/foldingRange': nullable((v) =>
    each(v, 'foldingRange', (f, wh) => (isObj(f) && isUint(f.startLine) && isUint(f.endLine) && f.startLine <= f.endLine ? null : `${wh}: bad folding range ${JSON.stringify(f)}`)),
  ),
  'textDocument/codeAction': nullable((v) =>
    each(v, 'codeAction', (a, wh) => {
      if (!isObj(a) || typeof a.title !== 'string') return `${wh}: no title`;
      if (a.edit) return workspaceEdit(a.edit, `${wh}.edit`);
      return null;
    }),
  ),
  'textDocument/codeLens': nullable((v) => each(v, 'codeLens', (l, wh) => (isObj(l) ? range(l.range, `${wh}.range`) : `${wh}: not an object`))),
  'textDocument/diagnostic': (v, ctx) => {
    if (!isObj(v)) return 'diagnostic: report not an object';
    if (v.kind === 'unchanged') return typeof v.resultId === 'string' ? null : 'diagnostic: unchanged without resultId';
    if (v.kind !== 'full') return `diagnostic: kind ${JSON.stringify(v.kind)}`;
    return each(v.items, 'diagnostic.items', (d, wh) => diagnostic(d, wh, ctx?.lineCount));
  },
  'textDocument/publishDiagnostics': (v, ctx) => {
    if (!isObj(v) || typeof v.uri !== 'string') return 'publishDiagnostics: no uri';
    return each(v.diagnostics, 'publishDiagnostics.diagnostics', (d, wh) => diagnostic(d, wh, ctx?.lineCount));
  },
  'tekton/simulate': (v) => {
    if (!isObj(v)) return 'simulate: result not an object';
    if (v.error !== undefined && typeof v.error !== 'string') return 'simulate: error not a string';
    if (v.yaml !== undefined && typeof v.yaml !== 'string') return 'simulate: yaml not a string';
    if (v.result !== undefined && (!isObj(v.result) || !Array.isArray(v.result.triggers) || !Array.isArray(v.result.problems))) return 'simulate: result without triggers/problems';
    return null;
  },
  'tekton/evaluateCel': (v) => {
    if (!isObj(v) || typeof v.ok !== 'boolean') return 'evaluateCel: no ok flag';
    if (v.ok) return typeof v.display === 'string' && typeof v.type === 'string' ? null : 'evaluateCel: ok without display/type';
    if (typeof v.error !== 'string') return 'evaluateCel: failure without error';
    return v.range ? range(v.range, 'evaluateCel.range') : null;
  },
};
