// Structural and lexical mutations of YAML documents (and of the CEL inside them). Each mutation takes the text and
// a Rng and returns the new text; `mutateDocument` chains a few and reports their names for the failure record.

export const YAML_PUNCT = [': ', ':', '- ', '-', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!!map ', '!tag ', '|', '|-', '>-', '>', '#', '# c', '---\n', '...\n', '? ', '%YAML 1.2\n', '<<: *a', '"', "'", '`', '@', '$(', '$(params.', '$(tasks.', '$(body.', '$(extensions.', ')', '\t', '\n', '\r\n', '\r', ' ', '  ', '\\', '%', '=', '~', 'null', '~: ~', '- - -', '[[', ']]', '{{', '}}', '"\\u', '\\x'];

export const CEL_TOKENS = ['.', '(', ')', '[', ']', '{', '}', ',', ':', '?', '==', '!=', '&&', '||', '!', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'in', 'has(', 'size(', '.size()', 'body', 'header', 'extensions', 'requestURL', '.map(x, x)', '.filter(x, true)', '.exists(x, x)', '.all(x, false)', '.exists_one(x, x)', 'x', 'y', "'str'", '"s"', "'''", 'r"\\d+"', 'b"\\xff"', '1', '1u', '-1', '1.5', '1e308', '-9223372036854775808', '18446744073709551615u', 'true', 'false', 'null', 'int(', 'uint(', 'double(', 'string(', 'bytes(', 'timestamp("x")', 'duration("1s")', '.matches("(")', '.split("/")', '.truncate(7)', '.parseJSON()', '.parseURL()', '.compareSecret("k","s")', 'header.match("X", "y")', 'header.canonical("X")', '.lowerAscii()', '.replace("a","b")', 'dyn(', 'type(', "'\\u0000'", '\\', '$', '#', '\n'];

const RANDOM_CHARS = ['\u0000', '\u0001', '\u001b', '\u007f', '\u00a0', '\u00e9', '\u0301', '\u200b', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ud83d\ude00', '\ud83d', '\ude00', '\u4e2d', '\u0645', 'Ω', '\t', '\r', '\n', ' '];

function randomString(rng, min = 1, max = 8) {
  let s = '';
  const n = rng.int(min, max);
  for (let i = 0; i < n; i++) {
    const r = rng.float();
    if (r < 0.5) s += String.fromCharCode(rng.int(0x20, 0x7e));
    else if (r < 0.75) s += rng.pick(RANDOM_CHARS);
    else s += rng.pick(YAML_PUNCT);
  }
  return s;
}

const lines = (t) => t.split('\n');

function randomLineRange(rng, ls, maxLen = 4) {
  const start = rng.int(0, Math.max(0, ls.length - 1));
  const len = rng.int(1, maxLen);
  return [start, Math.min(ls.length, start + len)];
}

/** Where CEL tends to live: filter/expression/overlay values, `$(...)` placeholders, `when` inputs. */
function celSpans(text) {
  const spans = [];
  const re = /(?:filter|expression|value|cel|input|key)\s*:\s*["']?([^\n"']{3,})/g;
  let m;
  while ((m = re.exec(text))) spans.push([m.index + m[0].length - m[1].length, m.index + m[0].length]);
  const re2 = /\$\(([^)\n]{1,200})\)/g;
  while ((m = re2.exec(text))) spans.push([m.index + 2, m.index + 2 + m[1].length]);
  return spans;
}

function celTokenize(s) {
  return s.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?u?|==|!=|&&|\|\||<=|>=|\s+|./g) ?? [];
}

export const MUTATIONS = {
  deleteLines(t, rng) {
    const ls = lines(t);
    const [a, b] = randomLineRange(rng, ls);
    ls.splice(a, b - a);
    return ls.join('\n');
  },
  duplicateLines(t, rng) {
    const ls = lines(t);
    const [a, b] = randomLineRange(rng, ls, 8);
    const copy = ls.slice(a, b);
    const times = rng.chance(0.1) ? rng.int(10, 200) : 1;
    const extra = [];
    for (let i = 0; i < times; i++) extra.push(...copy);
    ls.splice(b, 0, ...extra);
    return ls.join('\n');
  },
  indentShift(t, rng) {
    const ls = lines(t);
    const [a, b] = randomLineRange(rng, ls, 10);
    const delta = rng.pick([-4, -2, -1, 1, 2, 4]);
    const tab = rng.chance(0.1);
    for (let i = a; i < b; i++) {
      if (tab) ls[i] = '\t' + ls[i];
      else if (delta > 0) ls[i] = ' '.repeat(delta) + ls[i];
      else ls[i] = ls[i].replace(new RegExp(`^ {0,${-delta}}`), '');
    }
    return ls.join('\n');
  },
  truncate(t, rng) {
    return t.slice(0, rng.int(0, t.length));
  },
  randomChars(t, rng) {
    let out = t;
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) {
      const at = rng.int(0, out.length);
      const del = rng.chance(0.3) ? rng.int(1, 4) : 0;
      out = out.slice(0, at) + randomString(rng) + out.slice(at + del);
    }
    return out;
  },
  yamlPunctuation(t, rng) {
    let out = t;
    const n = rng.int(1, 5);
    for (let i = 0; i < n; i++) {
      const at = rng.int(0, out.length);
      out = out.slice(0, at) + rng.pick(YAML_PUNCT) + out.slice(at);
    }
    return out;
  },
  swapScalars(t, rng) {
    const re = /:[ \t]+([^\s#][^\n#]*)$/gm;
    const found = [];
    let m;
    while ((m = re.exec(t))) found.push({ start: m.index + m[0].length - m[1].length, end: m.index + m[0].length, v: m[1] });
    if (found.length === 0) return t;
    const a = rng.pick(found);
    let replacement;
    if (found.length > 1 && rng.chance(0.5)) {
      const b = rng.pick(found);
      if (b === a) return t;
      const [x, y] = a.start < b.start ? [a, b] : [b, a];
      return t.slice(0, x.start) + y.v + t.slice(x.end, y.start) + x.v + t.slice(y.end);
    }
    replacement = rng.pick(['0', '-1', '1e999', '0x1F', '.nan', 'true', 'no', 'null', '~', '[]', '{}', '""', "''", '[a, b]', '{a: 1}', '*a', '&a x', '!!binary AA==', '2001-12-14t21:59:43.10-05:00', 'x'.repeat(rng.int(100, 20000)), '|', '>']);
    return t.slice(0, a.start) + replacement + t.slice(a.end);
  },
  brokenQuotes(t, rng) {
    const quotes = [];
    for (let i = 0; i < t.length; i++) if (t[i] === '"' || t[i] === "'") quotes.push(i);
    if (quotes.length && rng.chance(0.6)) {
      const at = rng.pick(quotes);
      return t.slice(0, at) + (rng.chance(0.5) ? '' : t[at] === '"' ? "'" : '"') + t.slice(at + 1);
    }
    const re = /: (\S)/g;
    const spots = [];
    let m;
    while ((m = re.exec(t))) spots.push(m.index + 2);
    if (!spots.length) return t;
    const at = rng.pick(spots);
    return t.slice(0, at) + rng.pick(['"', "'", '"\\', "'''", '"\\u12']) + t.slice(at);
  },
  deepCollection(t, rng) {
    const depth = rng.pick([20, 100, 500, 2000]);
    let ins;
    const kind = rng.int(0, 4);
    if (kind === 0) ins = 'deep: ' + '['.repeat(depth) + ']'.repeat(rng.chance(0.8) ? depth : depth - 1);
    else if (kind === 1) ins = 'deep: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    else if (kind === 2) {
      const n = Math.min(depth, 300);
      const out = [];
      for (let i = 0; i < n; i++) out.push(' '.repeat(i * 2) + (rng.chance(0.5) ? `k${i}:` : '-'));
      ins = out.join('\n');
    } else if (kind === 3) {
      // a small alias expansion ("billion laughs" kept tiny)
      ins = 'a: &a [x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c]';
    } else {
      const n = rng.pick([100, 1000, 5000]);
      ins = 'items:\n' + Array.from({ length: n }, (_, i) => `  - name: p${i % 7}\n    value: $(params.p${i})`).join('\n');
    }
    const ls = lines(t);
    const at = rng.int(0, ls.length);
    const indent = ' '.repeat(rng.pick([0, 0, 2, 4, 6]));
    ls.splice(at, 0, ...ins.split('\n').map((l) => indent + l));
    return ls.join('\n');
  },
  celTokens(t, rng) {
    const spans = celSpans(t);
    if (!spans.length) return t;
    const [s, e] = rng.pick(spans);
    const toks = celTokenize(t.slice(s, e));
    const n = rng.int(1, 3);
    for (let i = 0; i < n && toks.length; i++) {
      const at = rng.int(0, toks.length - 1);
      const op = rng.int(0, 3);
      if (op === 0) toks.splice(at, 1);
      else if (op === 1) toks.splice(at, 0, toks[at]);
      else if (op === 2) toks[at] = rng.pick(CEL_TOKENS);
      else toks.splice(at, 0, rng.pick(CEL_TOKENS));
    }
    return t.slice(0, s) + toks.join('').replace(/\n/g, ' ') + t.slice(e);
  },
  lineEndings(t, rng) {
    const k = rng.int(0, 3);
    if (k === 0) return t.replace(/\n/g, '\r\n');
    if (k === 1) return '\ufeff' + t;
    if (k === 2) return t.replace(/\n/g, () => (rng.chance(0.1) ? '\r' : '\n'));
    return t + '\n---\n' + t.slice(0, rng.int(0, t.length));
  },
  longLine(t, rng) {
    const ls = lines(t);
    const at = rng.int(0, ls.length);
    ls.splice(at, 0, `  x${rng.int(0, 9)}: ` + rng.pick(['a', '$(params.x) ', '[1, ', "'"]).repeat(rng.pick([1000, 20000])));
    return ls.join('\n');
  },
};

const WEIGHTS = {
  deleteLines: 3,
  duplicateLines: 2,
  indentShift: 3,
  truncate: 1,
  randomChars: 3,
  yamlPunctuation: 3,
  swapScalars: 2,
  brokenQuotes: 2,
  deepCollection: 1,
  celTokens: 3,
  lineEndings: 1,
  longLine: 0.3,
};

/** Applies 0..4 mutations (0 rarely: the pristine document is a fine input too). */
export function mutateDocument(text, rng) {
  const names = [];
  const n = rng.chance(0.05) ? 0 : rng.int(1, 4);
  let out = text;
  for (let i = 0; i < n; i++) {
    const name = rng.weighted(WEIGHTS);
    out = MUTATIONS[name](out, rng);
    names.push(name);
  }
  return { text: out, mutations: names };
}

/** A small random edit for didChange bursts: a range of the current text replaced by a few characters. */
export function randomEditText(rng) {
  const r = rng.float();
  if (r < 0.3) return '';
  if (r < 0.5) return rng.pick(YAML_PUNCT);
  if (r < 0.7) return rng.pick(CEL_TOKENS);
  if (r < 0.8) return '\n' + ' '.repeat(rng.pick([0, 2, 4, 6, 8])) + rng.pick(['- ', 'name: ', 'value: ', 'filter: ', '$(params.', 'steps:\n  - ']);
  return randomString(rng, 1, 12);
}
