/** Severity names as the `check` CLI prints them; handlers map them to LSP numbers. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A diagnostic in service terms: offsets, not LSP ranges. `code` is a stable kebab-case rule id (see
 * docs in README.md "Diagnostic codes"); `source` says which checker produced it.
 */
export interface Problem {
  start: number;
  end: number;
  message: string;
  code: string;
  severity: Severity;
  source: 'tekton' | 'yaml' | 'cel' | 'kfp';
  /** Obvious fixes, offered as quick fixes (code actions). */
  fixes?: Fix[];
}

/** A text replacement. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
  /**
   * The same text as an LSP snippet, with tab stops where the user types next (an empty value the fix inserted):
   * sent instead of `newText` to editors that take snippet edits.
   */
  snippet?: string;
}

/** A quick fix: a title and the edits that make it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** Returns a copy of the problem (and its fixes) moved by `delta` characters. */
export function shiftProblem(p: Problem, delta: number): Problem {
  if (delta === 0) return p;
  const moved: Problem = { ...p, start: p.start + delta, end: p.end + delta };
  if (p.fixes)
    moved.fixes = p.fixes.map((f) => ({
      title: f.title,
      edits: f.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })),
    }));
  return moved;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * The closest candidate within a distance proportional to the word's length, if any. Runs for every unresolved name of
 * a document on every validation, against every name of the workspace: candidates whose length alone puts them out of
 * reach are skipped, and a distance stops being computed once it cannot beat the best so far.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  const w = word.toLowerCase();
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) >= bestDistance) continue;
    const d = boundedDistance(w, c.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** The edit distance of a and b when it is below `bound`; otherwise some value ≥ bound. */
function boundedDistance(a: string, b: string, bound: number): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    let rowMin = prev[0];
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
      if (prev[j] < rowMin) rowMin = prev[j];
    }
    // every later row's values are at least this row's minimum
    if (rowMin >= bound) return bound;
  }
  return prev[b.length];
}

/**
 * The one "did you mean" of every engine: the closest candidate to `word`, the hint to append to a message, and the
 * quick fix that writes the candidate over `[start, end)`. No candidate close enough: an empty hint and no fix.
 */
export function didYouMean(word: string, candidates: Iterable<string>, start: number, end: number): { hint: string; fixes?: Fix[] } {
  const suggestion = closest(word, candidates);
  if (suggestion === undefined) return { hint: '' };
  return { hint: `; did you mean "${suggestion}"?`, fixes: [{ title: `Change to "${suggestion}"`, edits: [{ start, end, newText: suggestion }] }] };
}
