/**
 * Finding literals in program text (Python, JavaScript, JSON, MATLAB, Julia, R, Mathematica, and
 * plain text of unknown language). The finder reads tokens from a line shortly before the cursor,
 * keeps the stack of open brackets, and tries the enclosing brackets from the innermost outwards:
 * the outermost one that is still a matrix wins. It never parses the whole file, and a stray
 * unclosed bracket earlier on only fails its own try.
 */
import { classifyParen, closingIndex, parseNestedList } from './bracketed';
import type { StringSpans } from './codeLexer';
import { constructorAt, parseCallWithArithmetic, type ConstructorCall } from './constructors';
import { looksLikeMatlab } from './detect';
import { ANY_BRACKETED, JULIA, MATHEMATICA, MATLAB, R, streamFor, type Dialect } from './dialects';
import { isNotAMatrix, ParseError } from './errors';
import { FIND_LOOKBEHIND, FIND_MAX_DOCUMENT_VALUES, FIND_MAX_LITERAL_LENGTH } from './limits';
import { parseMatlabMatrix } from './matlab';
import { looksPrinted, readNumpyPrintAt } from './printed';
import type { Notation } from './notation';
import { scanPlainMatlab, scanPlainNested } from './plainGrid';
import { parseRMatrix, R_MATRIX_FUNCTIONS } from './rLanguage';
import { Bracket, Tok, type TokenStream } from './tokens';
import { tripleQuoteSpans } from './tripleQuotes';

/** A matrix literal found in a document: its range (offsets into the document) and its values. */
export interface FoundMatrix {
  readonly start: number;
  readonly end: number;
  readonly shape: readonly number[];
  readonly data: Float64Array;
  readonly notation: Notation;
}

/** Where and how to look: the dialect, and the part of the document that is code in it. */
export interface CodeRegion {
  readonly text: string;
  readonly dialect: Dialect;
  /** What a plain bracketed list is reported as (`python`, `json`, …). */
  readonly notation: Notation;
  readonly from: number;
  readonly to: number;
}

/** A place where a literal may start. */
type Candidate =
  | { readonly kind: 'list'; readonly open: number }
  | { readonly kind: 'call'; readonly call: ConstructorCall }
  | { readonly kind: 'r'; readonly name: number }
  | { readonly kind: 'typed'; readonly name: number };

/** The outcome of trying a candidate. */
type Attempt =
  | { readonly kind: 'found'; readonly found: FoundMatrix; readonly end: number }
  | { readonly kind: 'skip' }
  | { readonly kind: 'fail'; readonly error: ParseError };

const PYTHON_KEYWORDS = new Set(['return', 'in', 'yield', 'else', 'and', 'or', 'not', 'is', 'if', 'elif', 'while', 'for', 'assert', 'del', 'print', 'lambda', 'await', 'with', 'as', 'case', 'match', 'from']);
const JS_KEYWORDS = new Set(['return', 'typeof', 'in', 'of', 'case', 'yield', 'await', 'delete', 'void', 'throw', 'else', 'do', 'instanceof', 'export', 'default']);

/** True when the bracket at `open` follows a value, so it indexes or calls rather than opens a literal. */
function followsValue(s: TokenStream, open: number, dialect: Dialect): boolean {
  if (open === 0) return false;
  // A bracket at the start of a line opens a literal whatever ended the line before.
  if (s.text.slice(s.end(open - 1), s.start(open)).includes('\n')) return false;
  const kind = s.kind(open - 1);
  if (kind === Tok.Close || kind === Tok.String || kind === Tok.Number) return true;
  if (kind !== Tok.Name) return false;
  const name = s.source(open - 1);
  if (dialect.name === 'python' || dialect.name === 'any') return !PYTHON_KEYWORDS.has(name);
  if (dialect.name === 'javascript') return !JS_KEYWORDS.has(name);
  return true;
}

/** The constructor call whose `(` is token `paren`, if any. */
function callOwning(s: TokenStream, paren: number, dialect: Dialect): ConstructorCall | undefined {
  for (const first of [paren - 1, paren - 2]) {
    if (first < 0) continue;
    const call = constructorAt(s, first, dialect);
    if (call && call.paren === paren) return call;
  }
  return undefined;
}

/** The candidate a bracket at token `open` stands for, if it can start a literal. */
function candidateForBracket(s: TokenStream, open: number, dialect: Dialect): Candidate | undefined {
  const code = s.code(open);
  if (code === Bracket.Paren) {
    const call = callOwning(s, open, dialect);
    if (call) return { kind: 'call', call };
    if (dialect === R && open > 0 && s.kind(open - 1) === Tok.Name && R_MATRIX_FUNCTIONS.has(s.source(open - 1))) return { kind: 'r', name: open - 1 };
    if (dialect.tuples && !followsValue(s, open, dialect)) return { kind: 'list', open };
    return undefined;
  }
  if (dialect === MATHEMATICA) return code === Bracket.Curly ? { kind: 'list', open } : undefined;
  if (dialect === ANY_BRACKETED && code === Bracket.Curly) return followsValue(s, open, dialect) ? undefined : { kind: 'list', open };
  if (code !== Bracket.Square || dialect === R) return undefined;
  if (dialect.name === 'json' || dialect === MATLAB) return { kind: 'list', open };
  if (followsValue(s, open, dialect)) {
    // Julia's typed literal `Float64[1 2; 3 4]`.
    if (dialect === JULIA && s.kind(open - 1) === Tok.Name && !s.spaceBefore(open) && /^(?:Float|Int|UInt)\d*$|^Real$|^Number$/.test(s.source(open - 1))) {
      return { kind: 'typed', name: open - 1 };
    }
    return undefined;
  }
  return { kind: 'list', open };
}

/** The candidate starting at token `i` when scanning a document in order. */
function candidateStartingAt(s: TokenStream, i: number, dialect: Dialect): Candidate | undefined {
  const kind = s.kind(i);
  if (kind === Tok.Name) {
    const call = constructorAt(s, i, dialect);
    if (call) return { kind: 'call', call };
    if (dialect === R && R_MATRIX_FUNCTIONS.has(s.source(i)) && s.isOpen(i + 1, Bracket.Paren)) return { kind: 'r', name: i };
    if (dialect === JULIA && s.isOpen(i + 1, Bracket.Square)) {
      const candidate = candidateForBracket(s, i + 1, dialect);
      if (candidate?.kind === 'typed') return candidate;
    }
    return undefined;
  }
  if (kind !== Tok.Open) return undefined;
  const candidate = candidateForBracket(s, i, dialect);
  return candidate?.kind === 'list' ? candidate : undefined;
}

function found(start: number, end: number, tensor: { shape: readonly number[]; data: Float64Array }, notation: Notation): FoundMatrix {
  return { start, end, shape: tensor.shape, data: tensor.data, notation };
}

/** Parses the literal a candidate starts, in a fresh stream when its notation differs from the scan's. */
function attempt(region: CodeRegion, s: TokenStream, candidate: Candidate): Attempt {
  const { dialect } = region;
  try {
    switch (candidate.kind) {
      case 'call': {
        // In a stream of its own from just before the call (the arithmetic rule looks two tokens
        // back), which the parse may skip through without disturbing the scan's stream.
        const from = Math.max(0, candidate.call.first - 2);
        const own = streamFor(region.text, dialect, s.start(from), s.limit);
        const call = constructorAt(own, candidate.call.first - from, dialect);
        const parsed = call ? parseCallWithArithmetic(own, call, dialect) : parseCallWithArithmetic(s, candidate.call, dialect);
        return { kind: 'found', found: found(parsed.start, parsed.end, parsed.tensor, parsed.notation), end: parsed.end };
      }
      case 'r': {
        const parsed = parseRMatrix(s, candidate.name, R);
        return { kind: 'found', found: found(parsed.start, parsed.end, parsed.tensor, 'r'), end: parsed.end };
      }
      case 'typed': {
        const parsed = parseMatlabMatrix(s, candidate.name + 1, dialect);
        const start = s.start(candidate.name);
        return { kind: 'found', found: found(start, parsed.end, parsed.tensor, 'julia'), end: parsed.end };
      }
      case 'list': {
        const open = candidate.open;
        if (dialect === MATLAB || dialect === JULIA) {
          const plain = scanPlainMatlab(region.text, s.start(open), s.limit, dialect.rules.numbers, dialect === JULIA);
          const parsed = plain ?? parseMatlabMatrix(s, open, dialect);
          return { kind: 'found', found: found(parsed.start, parsed.end, parsed.tensor, region.notation), end: parsed.end };
        }
        const start = s.start(open);
        // Read straight from the text when plain; the scan's stream is left as it is, for the outer candidates.
        const plain = dialect.listOpen === '[' && s.isOpen(open, Bracket.Square) ? scanPlainNested(region.text, start, s.limit, dialect.rules.numbers) : undefined;
        // A plain list has a comma between every two elements, so it is never MATLAB's: asked first,
        // it spares the notation test (a stream of its own) for nearly every literal of a document.
        if (plain) return { kind: 'found', found: found(plain.start, plain.end, plain.tensor, region.notation), end: plain.end };
        // NumPy's print form pasted in a plain-text document (`[[[1. 2.]\n  [3. 4.]]]`): rank 3 or 4, not MATLAB's concatenation.
        if (dialect === ANY_BRACKETED && s.isOpen(open, Bracket.Square) && looksPrinted(region.text, start, region.to, undefined)) {
          const printed = readNumpyPrintAt(region.text, start, region.to);
          return { kind: 'found', found: found(printed.start, printed.end, printed.tensor, 'numpy'), end: printed.end };
        }
        if (dialect === ANY_BRACKETED && s.isOpen(open, Bracket.Square) && looksLikeMatlab(region.text, start, region.to)) {
          const parsed = parseMatlabMatrix(streamFor(region.text, MATLAB, start, region.to), 0, MATLAB);
          return { kind: 'found', found: found(parsed.start, parsed.end, parsed.tensor, 'matlab'), end: parsed.end };
        }
        if (dialect === ANY_BRACKETED && s.isOpen(open, Bracket.Curly)) {
          const parsed = parseNestedList(streamFor(region.text, MATHEMATICA, start, region.to), 0, MATHEMATICA);
          return { kind: 'found', found: found(parsed.start, parsed.end, parsed.tensor, 'mathematica'), end: parsed.end };
        }
        if (dialect.tuples && s.isOpen(open, Bracket.Paren) && classifyParen(s, open) !== 'tuple') return { kind: 'skip' };
        const parsed = parseNestedList(s, open, dialect);
        // A flat tuple is an argument list or a shape (`kernel_size=(3, 3)`), not a matrix.
        if (s.isOpen(open, Bracket.Paren) && parsed.tensor.shape.length === 1) return { kind: 'skip' };
        return { kind: 'found', found: found(parsed.start, parsed.end, parsed.tensor, region.notation), end: parsed.end };
      }
    }
  } catch (error) {
    if (error instanceof ParseError) return { kind: 'fail', error };
    throw error;
  }
}

/** The start of the line containing `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Characters a numeric literal is made of: when the text before a found literal is all of these, it may be part of a larger one. */
const LITERAL_CHARS = /[\s\d.,;eE+\-[\](){}]/;

function mayContinueBefore(text: string, start: number, windowStart: number): boolean {
  if (windowStart <= 0) return false;
  for (let k = start - 1; k >= windowStart; k--) {
    const c = text.charCodeAt(k);
    // Digits and spaces first: they are nearly all of a large literal, and the pattern is slower.
    if ((c >= 48 && c <= 57) || c === 32 || c === 44 || c === 46) continue;
    if (!LITERAL_CHARS.test(text[k] as string)) return false;
  }
  return true;
}

/**
 * The outermost literal around `offset` in a code region, `undefined` when there is none. Throws
 * the literal's ParseError when the literal at the cursor is numeric but malformed (ragged, too
 * deep, too large), so the user learns why it is not a matrix.
 */
export function findInCode(region: CodeRegion, offset: number): FoundMatrix | undefined {
  // Deep inside a large plain literal, start from its outermost bracket: what encloses that bracket
  // encloses the cursor, and the numbers in between need not be lexed.
  const anchor = outermostPlainOpener(region, offset);
  if (anchor === 'too-long') {
    throw new ParseError(
      `the literal around the cursor is longer than ${FIND_MAX_LITERAL_LENGTH / (1024 * 1024)} MB of text, more than Layer Lens reads around a cursor; select it and run the command on the selection`,
      { start: offset, end: offset },
      'size',
    );
  }
  if (anchor !== undefined) {
    const found = findAround(region, anchor);
    if (found && found.start <= offset && offset <= found.end) return found;
  }
  return findAround(region, offset);
}

/** Digits, signs, `.`, exponents, separators and white space: what plain numeric lists are made of, besides brackets. */
function isPlainListChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 32 || c === 44 || c === 46 || c === 10 || c === 13 || c === 9 || c === 45 || c === 43 || c === 101 || c === 69 || c === 59 || c === 91 || c === 93;
}

/**
 * The outermost `[` before `offset` that is still open at `offset`, when only the characters of
 * plain numeric lists lie between them (so no string, comment or name can change what encloses
 * what); `undefined` when there is none or it is near the cursor anyway; `too-long` when the cursor
 * is in more plain list text than the limit allows.
 */
function outermostPlainOpener(region: CodeRegion, offset: number): number | 'too-long' | undefined {
  const text = region.text;
  const floor = Math.max(region.from, offset - FIND_MAX_LITERAL_LENGTH);
  // The limit's worth of numbers before the cursor, or a list that opens in the plain run and runs past the limit.
  const plainStart = plainFrom(text, offset, floor);
  if (plainStart === floor && floor > region.from) return 'too-long';
  const ceiling = plainStart + FIND_MAX_LITERAL_LENGTH;
  if (ceiling <= region.to && plainEnd(text, offset, ceiling) === ceiling && enclosedByBracket(text, offset, plainStart)) return 'too-long';
  let depth = 0;
  let outermost: number | undefined;
  for (let k = offset - 1; k >= floor; k--) {
    const c = text.charCodeAt(k);
    if (c === 93) depth++;
    else if (c === 91) {
      if (depth === 0) outermost = k;
      else depth--;
    } else if (!isPlainListChar(c)) break;
  }
  return outermost !== undefined && offset - outermost > FIND_LOOKBEHIND ? outermost : undefined;
}

/** Where the run of plain list characters ending at `offset` starts, looking back no further than `floor`. */
function plainFrom(text: string, offset: number, floor: number): number {
  let k = offset - 1;
  while (k >= floor && isPlainListChar(text.charCodeAt(k))) k--;
  return k + 1;
}

/** Where the run of plain list characters starting at `offset` ends, looking no further than `ceiling`. */
function plainEnd(text: string, offset: number, ceiling: number): number {
  let k = offset;
  while (k < ceiling && isPlainListChar(text.charCodeAt(k))) k++;
  return k;
}

/** True when an unmatched `[` lies in `text[floor, offset)`. */
function enclosedByBracket(text: string, offset: number, floor: number): boolean {
  let depth = 0;
  for (let k = offset - 1; k >= floor; k--) {
    const c = text.charCodeAt(k);
    if (c === 93) depth++;
    else if (c === 91 && --depth < 0) return true;
  }
  return false;
}

function findAround(region: CodeRegion, offset: number): FoundMatrix | undefined {
  let lookbehind = FIND_LOOKBEHIND;
  let retriedFromStart = false;
  // In broken text (a `"""` just typed above, a snippet that begins inside a docstring) the
  // region's strings, paired again, as the document scans pair them: one pass over the region's
  // characters, kept for the next question about the same text.
  const strings = tripleQuoteSpans(region.text, region.from, region.to, region.dialect.rules);
  for (;;) {
    const windowStart = Math.max(region.from, lineStart(region.text, Math.max(region.from, offset - lookbehind)));
    const result = findInWindow(region, offset, windowStart, strings);
    if (result === 'in-string') {
      // Paired again, the strings are known wherever the window starts.
      if (strings) return undefined;
      // The window may have started inside a multi-line string, which flips strings and code: read from the top once.
      if (windowStart > region.from && !retriedFromStart && offset - region.from <= FIND_MAX_LITERAL_LENGTH) {
        retriedFromStart = true;
        lookbehind = offset - region.from;
        continue;
      }
      return undefined;
    }
    // A window that starts inside a large literal sees only its rows (or, between rows, nothing): look further back.
    if (mayContinueBefore(region.text, result ? result.start : offset, windowStart) && lookbehind < FIND_MAX_LITERAL_LENGTH) {
      lookbehind *= 8;
      continue;
    }
    return result;
  }
}

function findInWindow(region: CodeRegion, offset: number, windowStart: number, strings: StringSpans | undefined): FoundMatrix | undefined | 'in-string' {
  const { text, dialect } = region;
  // Everything up to the cursor is lexed (to know the open brackets), so make room for it at once.
  const s = streamFor(text, dialect, windowStart, Math.min(region.to, offset + FIND_MAX_LITERAL_LENGTH), true, Math.ceil((offset - windowStart) / 3), strings);
  const stack: number[] = [];
  let lastClosed = -1;
  let j = 0;
  for (; s.kind(j) !== Tok.End && s.start(j) < offset; j++) {
    const kind = s.kind(j);
    lastClosed = -1;
    if (kind === Tok.Open) stack.push(j);
    else if (kind === Tok.Close) {
      // Pop to the matching opener; a stray closer (half-typed code) is ignored.
      for (let k = stack.length - 1; k >= Math.max(0, stack.length - 4); k--) {
        if (s.code(stack[k] as number) === s.code(j)) {
          lastClosed = stack[k] as number;
          stack.length = k;
          break;
        }
      }
    }
  }
  const before = j - 1;
  if (before >= 0 && s.kind(before) === Tok.String && s.start(before) < offset && offset < s.end(before)) return 'in-string';
  if (s.inComment(offset)) return undefined;
  // Brackets the cursor touches count as enclosing it: on `[`, or just after `]`.
  const innermost: number[] = [];
  if (s.kind(j) === Tok.Open && s.start(j) === offset) innermost.push(j);
  else if (lastClosed >= 0 && s.end(before) === offset) innermost.push(lastClosed);
  // On a constructor's name (`np.array`, `new`, `Float32Array`, R's `matrix`): its parenthesis.
  for (const k of [before, j]) {
    if (k < 0 || s.kind(k) !== Tok.Name || offset < s.start(k) || offset > s.end(k)) continue;
    const call = constructorAt(s, k, dialect) ?? (k > 0 ? constructorAt(s, k - 1, dialect) : undefined);
    if (call && call.paren > k - 1) innermost.push(call.paren);
    else if (dialect === R && R_MATRIX_FUNCTIONS.has(s.source(k)) && s.isOpen(k + 1, Bracket.Paren)) innermost.push(k + 1);
    else if (dialect === JULIA && s.isOpen(k + 1, Bracket.Square)) innermost.push(k + 1);
  }
  const openers = [...stack, ...innermost.filter((k) => !stack.includes(k))];
  let best: FoundMatrix | undefined;
  for (let k = openers.length - 1; k >= 0; k--) {
    const open = openers[k] as number;
    const candidate = candidateForBracket(s, open, dialect);
    if (!candidate) continue;
    const result = attempt(region, s, candidate);
    if (result.kind === 'skip') continue;
    if (result.kind === 'found') {
      if (result.found.start <= offset && offset <= result.found.end) best = result.found;
      continue;
    }
    if (!isNotAMatrix(result.error)) throw result.error;
    break;
  }
  return best;
}

/** Every outermost literal in a code region, in document order. */
export function findAllInCode(region: CodeRegion): FoundMatrix[] {
  const { text, dialect } = region;
  // Every literal opens a bracket (a list, a constructor's parenthesis): a region without one (an
  // inline code span `1`, of thousands in a document) needs no stream.
  if (!hasOpeningBracket(text, region.from, region.to)) return [];
  const s = streamFor(text, dialect, region.from, region.to, false, false, tripleQuoteSpans(text, region.from, region.to, dialect.rules));
  const out: FoundMatrix[] = [];
  let values = 0;
  for (let j = 0; s.kind(j) !== Tok.End; ) {
    const candidate = candidateStartingAt(s, j, dialect);
    const result = candidate ? attempt(region, s, candidate) : undefined;
    if (result?.kind === 'found') {
      // The document's budget of values, checked as literals are read: the rest is not read at all.
      values += result.found.data.length;
      if (values > FIND_MAX_DOCUMENT_VALUES) break;
      out.push(result.found);
      while (s.kind(j) !== Tok.End && s.start(j) < result.end) j++;
      continue;
    }
    // A ragged or too-deep list is skipped whole: its rows are not matrices of their own.
    if (result?.kind === 'fail' && !isNotAMatrix(result.error) && candidate?.kind === 'list') j = closingIndex(s, candidate.open);
    j++;
  }
  return out;
}

function hasOpeningBracket(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 91 || c === 40 || c === 123) return true;
  }
  return false;
}
