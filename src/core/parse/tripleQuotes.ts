/**
 * Where the triple-quoted strings of a Python or Julia region are when the text is broken. Read in
 * order, `"""` opens and closes by turns, so one quote too many (a `"""` just typed, a snippet
 * that begins inside a docstring) turns code into strings and strings into code for the rest of
 * the region, and every literal and layer call below goes unseen.
 *
 * A well-formed region is left to the lexer's reading. A broken one (a string never closed, or a
 * pairing that puts a quote where Python cannot have one, as `"""Docstring.` read as a closing
 * quote followed by a word) is paired again: each quote opens, closes, or is taken as a stray
 * (a string to the end of its line, as Python's tokenizer stops at an unterminated string), and
 * the region may begin or end inside a string. Of the readings, the one that contradicts the text
 * least wins: a quote where Python forbids it costs most; a stray, a region that begins or ends in
 * a string, or Python that begins indented cost a little; each line that reads as code inside a
 * string, or as prose outside one, costs one. One pass over the text and one over the quotes:
 * linear. A Python region that begins indented is paired again too (a snippet cut out of a class).
 */
import { startTablesOf, type LexRules, type StringSpans } from './codeLexer';
import { indexWithin, lineEndWithin, nextOccurrence } from './textSearch';

/** A quote where Python cannot have one in this reading. */
const FORBIDDEN = 8;
/** A quote taken as an unterminated string. */
const STRAY = 3;
/** The region begins inside a string (a snippet cut out of a docstring). */
const BEGINS_INSIDE = 3;
/** The region ends inside a string (a snippet cut inside a docstring, or one being typed at the end). */
const ENDS_INSIDE = 3;
/** Python code that begins indented (an IndentationError): more likely the inside of a docstring. */
const BEGINS_INDENTED = 4;

/** The triple quotes the lexer would meet, with the kind (`"` or `'`) of each. */
interface Quotes {
  readonly at: number[];
  readonly kind: number[];
  /** True when reading them in turn leaves a string open or a quote where Python forbids one. */
  readonly broken: boolean;
}

let cached: { text: string; from: number; to: number; rules: LexRules; spans: StringSpans | undefined } | undefined;

/**
 * The string spans of `text[from, to)` in a dialect with triple-quoted strings when its quotes do
 * not pair up as written; `undefined` when they do (the lexer's own reading is right) or the
 * dialect has none. The last answer is kept: hovers, CodeLens and stacks ask about the same text.
 */
export function tripleQuoteSpans(text: string, from: number, to: number, rules: LexRules): StringSpans | undefined {
  if (!rules.tripleQuotes) return undefined;
  if (cached && cached.text === text && cached.from === from && cached.to === to && cached.rules === rules) return cached.spans;
  const quotes = findQuotes(text, from, to, rules);
  // Python cannot begin indented: a region that does and has triple quotes is most likely a
  // snippet cut out of a docstring, even when its quotes pair up.
  const snippet = rules.significantIndentation && quotes.at.length > 0 && beginsIndented(text, from, quotes.at[0] as number);
  const spans = quotes.broken || snippet ? pairAgain(text, from, to, quotes, rules) : undefined;
  cached = { text, from, to, rules, spans };
  return spans;
}

/** The triple quotes of the region, read as the lexer reads them: comments and one-line strings skipped. */
function findQuotes(text: string, from: number, to: number, rules: LexRules): Quotes {
  const at: number[] = [];
  const kind: number[] = [];
  let broken = false;
  const starts = startTablesOf(rules);
  // After a stray quote, the rest of its line is read for triple quotes only: another stray on the
  // same line would read the line again, and again for the next (`'\\'\\'…`), quadratically.
  let triplesOnlyUntil = -1;
  let p = from;
  while (p < to) {
    const c = text.charCodeAt(p);
    if (c < 128 && starts.quote[c] === 1) {
      if (text.charCodeAt(p + 1) === c && text.charCodeAt(p + 2) === c && p + 3 <= to) {
        at.push(p);
        kind.push(c);
        if (forbiddenBeforeOpening(text, p, rules)) broken = true;
        const close = indexWithin(text, text.slice(p, p + 3), p + 3, to);
        if (close < 0) {
          // Never closed: read on after its line, where quotes of the other kind may still pair.
          broken = true;
          p = lineEndWithin(text, p + 3, to);
          continue;
        }
        at.push(close);
        kind.push(c);
        if (forbiddenAfterClosing(text, close + 3, to, rules)) broken = true;
        p = close + 3;
        continue;
      }
      const end = p < triplesOnlyUntil ? -1 : oneLineStringEnd(text, p, to, rules);
      if (end < 0 && p >= triplesOnlyUntil) triplesOnlyUntil = lineEndWithin(text, p, to);
      p = end < 0 ? p + 1 : end;
      continue;
    }
    const comment = c < 128 && starts.comment[c] === 1 ? commentEnd(text, p, to, rules) : p;
    p = comment > p ? comment : p + 1;
  }
  return { at, kind, broken };
}

/**
 * After a one-line string at `p`; -1 when it is not closed on its line: a stray quote, after which
 * reading goes on (prose such as `the model's output."""` still ends a docstring).
 */
function oneLineStringEnd(text: string, p: number, to: number, rules: LexRules): number {
  const quote = text.charCodeAt(p);
  for (let q = p + 1; q < to; q++) {
    const c = text.charCodeAt(q);
    if (c === 10) break;
    if (c === 92 && rules.backslashEscapes) q++;
    else if (c === quote) return q + 1;
  }
  return -1;
}

/** The end of the comment starting at `p`, or `p` when none does. */
function commentEnd(text: string, p: number, to: number, rules: LexRules): number {
  for (const [open, close] of rules.blockComments) {
    if (text.startsWith(open, p)) {
      const end = nextOccurrence(text, close, p + open.length);
      // An unclosed block comment ends at its line, as the lexer reads it.
      return end < 0 || end + close.length > to ? lineEndWithin(text, p, to) : end + close.length;
    }
  }
  for (const line of rules.lineComments) if (text.startsWith(line, p)) return lineEndWithin(text, p, to);
  return p;
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Words after which a string may start or before which one may end (`return """…"""`, `"""a""" if x else …`). */
const KEYWORDS = new Set(['return', 'yield', 'in', 'and', 'or', 'not', 'is', 'if', 'else', 'elif', 'for', 'lambda', 'assert', 'await', 'while', 'with', 'as', 'case', 'print', 'raise', 'from', 'del']);

/** Python's string prefixes (`r"""`, `rb"""`, `f"""`, …); Julia's string macros (`raw"""`, `md"""`) are any name. */
const PYTHON_PREFIX = /^(?:[rR][bBfFtT]?|[bBfFtT][rR]?|[uU])$/;

/** True when what precedes the opening quote at `p` on its line cannot precede a string. */
function forbiddenBeforeOpening(text: string, p: number, rules: LexRules): boolean {
  let q = p;
  while (q > 0 && isWordChar(text.charCodeAt(q - 1))) q--;
  if (q < p) {
    const glued = text.slice(q, p);
    // Julia reads any name glued to a string as a string macro.
    if (!(rules.stringMacros || PYTHON_PREFIX.test(glued))) return true;
  }
  while (q > 0 && (text.charCodeAt(q - 1) === 32 || text.charCodeAt(q - 1) === 9)) q--;
  if (q === 0) return false;
  const c = text.charCodeAt(q - 1);
  if (c === 10 || c === 13) return false;
  if (isWordChar(c)) {
    let w = q - 1;
    while (w > 0 && isWordChar(text.charCodeAt(w - 1))) w--;
    // A macro's argument (Julia's `@doc """…"""`) or a keyword's (`return """…"""`).
    return !(KEYWORDS.has(text.slice(w, q)) || (rules.stringMacros && text.charCodeAt(w - 1) === 64));
  }
  // After a value (`)`, `]`, `}`, a `.`) no string can start; after an operator, an opening bracket
  // or another string (`'a' """b"""` concatenates) one can.
  return c === 41 || c === 93 || c === 125 || c === 46;
}

/**
 * True when what follows a closing quote ending at `end` on its line cannot follow a string. In
 * Julia a name may (a macro's next argument, `@doc """…""" f`, or a string macro's flags).
 */
function forbiddenAfterClosing(text: string, end: number, to: number, rules: LexRules): boolean {
  if (rules.stringMacros) return false;
  let q = end;
  while (q < to && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
  if (q >= to) return false;
  const c = text.charCodeAt(q);
  if (!isWordChar(c)) return false;
  if (c >= 48 && c <= 57) return true;
  let w = q;
  while (w < to && isWordChar(text.charCodeAt(w))) w++;
  return !KEYWORDS.has(text.slice(q, w));
}

/** The words a line of code may start with but a sentence of prose may not (in lower case). */
const CODE_WORDS = new Set([...KEYWORDS, 'def', 'class', 'import', 'try', 'except', 'finally', 'pass', 'global', 'nonlocal', 'async', 'function', 'using', 'end', 'module', 'struct', 'let', 'begin']);

/**
 * Lines only code starts or is: definitions, imports, decorators, assignments, a call alone on its
 * line or opening a block (not one ending in `,`: doctest output such as `array([[0, 0, 0],`).
 */
const CODE_LINE = /^(?:(?:async\s+)?def\s+\w+\s*\(|class\s+\w+\s*[(:]|import\s+\w|from\s+[\w.]+\s+import\b|@[\w.]+\s*(?:\(|$)|function\s+\w|using\s+\w|[A-Za-z_][\w.]*\s*(?:\[[^\]\n]*\]\s*)?(?::\s*[\w.[\], ]+)?[-+*/%@&|^]?=(?!=)\s*\S|[A-Za-z_][\w.]*\(.*[)(:]$)/;

/** A word of prose: letters, perhaps an apostrophe or hyphen, perhaps one punctuation mark after. */
const PROSE_WORD = /^[A-Za-z][A-Za-z'’-]*[,.;:!?]?$/;

/** Each line's reading: 1 when it reads as code, 2 when it reads as prose, 0 when it could be either. */
function lineReading(line: string): number {
  const trimmed = line.trim().slice(0, 240);
  if (trimmed === '' || trimmed.startsWith('>>>') || trimmed.startsWith('...')) return 0;
  if (CODE_LINE.test(trimmed)) return 1;
  const words = trimmed.split(/\s+/, 4);
  if (words.length >= 3 && words.slice(0, 3).every((word) => PROSE_WORD.test(word)) && !CODE_WORDS.has(words[0] as string)) return 2;
  return 0;
}

/** Lines of code and of prose in `text[from, to)` (a partial line at either end counts too). */
function readingsOf(text: string, from: number, to: number): { code: number; prose: number } {
  let code = 0;
  let prose = 0;
  for (let p = from; p < to; ) {
    const eol = lineEndWithin(text, p, to);
    const reading = lineReading(text.slice(p, eol));
    if (reading === 1) code++;
    else if (reading === 2) prose++;
    p = eol + 1;
  }
  return { code, prose };
}

/** True when the first line of `text[from, to)` that is neither blank nor a comment (those may be indented) starts with indentation. */
function beginsIndented(text: string, from: number, to: number): boolean {
  for (let p = from; p < to; ) {
    const eol = lineEndWithin(text, p, to);
    const line = text.slice(p, eol);
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return /^[ \t]/.test(line);
    p = eol + 1;
  }
  return false;
}

/**
 * Pairs the quotes again, as the reading of least cost (see the module comment). States: 0 outside
 * a string, 1 inside a `"""` one, 2 inside a `'''` one. A quote of the other kind inside a string
 * is text. A region may end inside a string, at a cost; otherwise an opening quote never closed
 * is a stray.
 */
function pairAgain(text: string, from: number, to: number, quotes: Quotes, rules: LexRules): StringSpans {
  const n = quotes.at.length;
  const stateOfKind = (k: number): number => (quotes.kind[k] === 34 ? 1 : 2);
  // Segment k lies before quote k (segment n after the last); what it costs as code and as string.
  const asCode: number[] = [];
  const asString: number[] = [];
  for (let k = 0; k <= n; k++) {
    const start = k === 0 ? from : (quotes.at[k - 1] as number) + 3;
    const end = k === n ? to : (quotes.at[k] as number);
    const { code, prose } = readingsOf(text, start, end);
    asCode.push(prose);
    asString.push(code);
  }
  if (rules.significantIndentation && beginsIndented(text, from, quotes.at[0] ?? to)) asCode[0] = (asCode[0] as number) + BEGINS_INDENTED;
  // cost[3k + s]: least cost of reading up to segment k, being in state s along it; step[3k + s]:
  // how the quote before segment k was taken to get there (0 left as text, 1 opened, 2 closed,
  // 3 a stray) times 4, plus the state before it.
  const cost = new Float64Array(3 * (n + 1)).fill(Number.POSITIVE_INFINITY);
  const step = new Int32Array(3 * (n + 1));
  cost[0] = asCode[0] as number;
  cost[1] = BEGINS_INSIDE + (asString[0] as number);
  cost[2] = BEGINS_INSIDE + (asString[0] as number);
  for (let k = 0; k < n; k++) {
    const before = 3 * k;
    const after = before + 3;
    const quoteState = stateOfKind(k);
    const at = quotes.at[k] as number;
    const openCost = forbiddenBeforeOpening(text, at, rules) ? FORBIDDEN : 0;
    const closeCost = forbiddenAfterClosing(text, at + 3, to, rules) ? FORBIDDEN : 0;
    const consider = (source: number, target: number, extra: number, how: number): void => {
      const total = (cost[before + source] as number) + extra;
      if (total < (cost[after + target] as number)) {
        cost[after + target] = total;
        step[after + target] = how * 4 + source;
      }
    };
    consider(0, quoteState, openCost, 1);
    consider(0, 0, openCost + STRAY, 3);
    consider(quoteState, 0, closeCost, 2);
    const other = 3 - quoteState;
    consider(other, other, 0, 0);
    cost[after] = (cost[after] as number) + (asCode[k + 1] as number);
    cost[after + 1] = (cost[after + 1] as number) + (asString[k + 1] as number);
    cost[after + 2] = (cost[after + 2] as number) + (asString[k + 1] as number);
  }
  // Back from the end (outside a string unless ending inside one is cheaper) to the roles of the quotes.
  const roles = new Int8Array(n);
  let state = 0;
  let least = cost[3 * n] as number;
  for (const inside of [1, 2]) {
    const total = (cost[3 * n + inside] as number) + ENDS_INSIDE;
    if (total < least) {
      least = total;
      state = inside;
    }
  }
  const endState = state;
  for (let k = n; k > 0; k--) {
    const packed = step[3 * k + state] as number;
    roles[k - 1] = packed >> 2;
    state = packed & 3;
  }
  const starts: number[] = [];
  const ends: number[] = [];
  let open = state !== 0 ? from : -1;
  for (let k = 0; k < n; k++) {
    const at = quotes.at[k] as number;
    if (roles[k] === 1) open = at;
    else if (roles[k] === 2) {
      starts.push(open);
      ends.push(at + 3);
      open = -1;
    } else if (roles[k] === 3) {
      starts.push(at);
      ends.push(lineEndWithin(text, at + 3, to));
    }
  }
  if (endState !== 0) {
    starts.push(open);
    ends.push(to);
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}
