/**
 * `parseMatrix`: one literal, in any notation Layer Lens reads, to a row-major float64 tensor.
 */
import type { Tensor } from '../engine/tensor';
import { classifyParen, opensList, parseNestedList } from './bracketed';
import { constructorAt, parseArrayExpression } from './constructors';
import { detectNotation } from './detect';
import { ANY_BRACKETED, JAVASCRIPT, JSON_DIALECT, JULIA, MATHEMATICA, MATLAB, PYTHON, R, streamFor, type Dialect } from './dialects';
import { ParseError, quote } from './errors';
import { parseLatex } from './latex';
import { withLineFeeds } from './lineBreaks';
import { PARSE_MAX_TEXT_LENGTH } from './limits';
import { parseMatlabMatrix } from './matlab';
import type { Notation } from './notation';
import { readPlainDelimited, readPlainMatlab, readPlainNested } from './plainGrid';
import { looksPrinted, readPrinted } from './printed';
import { parseRMatrix } from './rLanguage';
import { detectDelimiter, isTableLine, parseDelimited, parseMarkdownTable } from './table';
import { Bracket, Tok, type TokenStream } from './tokens';

/** A parsed literal and where it is. */
export interface LocatedTensor {
  readonly tensor: Tensor;
  readonly start: number;
  readonly end: number;
  readonly notation: Notation;
}

/** Refuses text longer than {@link PARSE_MAX_TEXT_LENGTH}. */
export function checkTextLength(text: string, limit = PARSE_MAX_TEXT_LENGTH): void {
  if (text.length > limit) {
    throw new ParseError(
      `the text is ${text.length.toLocaleString('en-US')} characters long; Layer Lens reads literals of at most ${limit.toLocaleString('en-US')}`,
      { start: 0, end: text.length },
      'size',
    );
  }
}

/**
 * Parses `text` as one matrix literal. `notation` forces how it is read; without it the notation
 * is told from the text (see `detectNotation`). Throws a {@link ParseError} (with the offending
 * range) for anything that is not a complete numeric literal.
 */
export function parseMatrix(text: string, notation?: Notation): Tensor {
  checkTextLength(text);
  return parseRange(text, 0, text.length, notation).tensor;
}

/** Parses `text[from, to)`; ranges in results and errors are offsets into `text`. */
export function parseRange(text: string, from: number, to: number, notation?: Notation): LocatedTensor {
  return parseRangeOf(withLineFeeds(text), from, to, notation);
}

function parseRangeOf(text: string, from: number, to: number, notation?: Notation): LocatedTensor {
  if (text.slice(from, to).trim() === '') throw new ParseError('there is no matrix here: the text is empty', { start: from, end: to }, 'empty');
  // A tensor pasted as NumPy or PyTorch printed it.
  if (looksPrinted(text, from, to, notation)) return readPrinted(text, from, to);
  refuseMatlabPages(text, from, to, notation);
  const chosen = notation ?? detectNotation(text.slice(from, to));
  const located = (tensor: Tensor, start = from, end = to, as: Notation = chosen): LocatedTensor => ({ tensor, start, end, notation: as });
  switch (chosen) {
    case 'python':
    case 'numpy':
    case 'torch':
    case 'tensorflow':
      return parseBracketedRange(text, from, to, notation ? PYTHON : ANY_BRACKETED, chosen);
    case 'json':
      return parseBracketedRange(text, from, to, JSON_DIALECT, chosen);
    case 'javascript':
      return parseBracketedRange(text, from, to, JAVASCRIPT, chosen);
    case 'mathematica':
      return parseBracketedRange(text, from, to, MATHEMATICA, chosen);
    case 'matlab':
    case 'julia':
      return parseMatlabRange(text, from, to, chosen === 'julia' ? JULIA : MATLAB, chosen);
    case 'r':
      return parseRRange(text, from, to);
    case 'latex': {
      const { tensor, start, end } = parseLatex(text, from, to);
      return located(tensor, start, end);
    }
    case 'csv':
    case 'tsv': {
      const delimiter = detectDelimiter(text.slice(from, to), chosen === 'csv' ? ',' : '\t');
      return located(readPlainDelimited(text, from, to, delimiter) ?? parseDelimited(text, delimiter, from, to));
    }
    case 'markdown':
      return parseMarkdownRange(text, from, to);
  }
}

/**
 * MATLAB's `cat(3, A, B)` stacks pages into a volume; Layer Lens reads MATLAB literals as 2-D
 * matrices, so it says that, instead of "`cat` is not a number".
 */
function refuseMatlabPages(text: string, from: number, to: number, notation: Notation | undefined): void {
  if (notation !== undefined && notation !== 'matlab' && notation !== 'julia') return;
  const cat = /^\s*cat\s*\(\s*(\d+)\s*,/.exec(text.slice(from, Math.min(to, from + 64)));
  if (!cat) return;
  const start = from + (cat[0].length - cat[0].trimStart().length);
  throw new ParseError(
    `MATLAB's cat(${cat[1]}, …) stacks matrices into pages, and Layer Lens reads MATLAB literals as 2-D matrices: select one page, or write the volume as nested lists (Python, JSON)`,
    { start, end: start + 3 },
    'shape',
  );
}

function expectEnd(s: TokenStream, j: number, what: string): void {
  const kind = s.kind(j);
  if (kind === Tok.End) return;
  throw new ParseError(`unexpected ${quote(s.source(j))} after the ${what}`, { start: s.start(j), end: s.end(j) }, kind === Tok.Name ? 'not-a-number' : 'syntax');
}

/** True when a comma appears outside any bracket before the end (`1, 2, 3` or `[1, 2], [3, 4]`). */
function hasTopLevelComma(s: TokenStream): boolean {
  let depth = 0;
  for (let j = 0; ; j++) {
    const kind = s.kind(j);
    if (kind === Tok.End) return false;
    if (kind === Tok.Open) depth++;
    else if (kind === Tok.Close) depth--;
    else if (kind === Tok.Comma && depth === 0) return true;
  }
}

function parseBracketedRange(text: string, from: number, to: number, dialect: Dialect, notation: Notation): LocatedTensor {
  const plain = dialect.listOpen === '[' ? readPlainNested(text, from, to, dialect.rules.numbers) : undefined;
  return plain ? { ...plain, notation } : parseBracketedTokens(text, from, to, dialect, notation);
}

/** {@link parseBracketedRange} for any literal: constructors, tuples, constants, arithmetic, comments. */
export function parseBracketedTokens(text: string, from: number, to: number, dialect: Dialect, notation: Notation): LocatedTensor {
  const s = streamFor(text, dialect, from, to, false, true);
  const first = s.kind(0);
  if (first === Tok.End) throw new ParseError('there is no matrix here', { start: from, end: to }, 'empty');
  const isList = opensList(s, 0, dialect) && !(s.isOpen(0, Bracket.Paren) && classifyParen(s, 0) === 'arithmetic');
  if (isList || (first !== Tok.Open && !constructorAt(s, 0, dialect) && hasTopLevelComma(s))) {
    const single = isList ? parseNestedList(s, 0, dialect) : undefined;
    if (single && s.kind(single.next) !== Tok.Comma) {
      expectEnd(s, single.next, 'list');
      return { tensor: single.tensor, start: single.start, end: single.end, notation };
    }
    const implicit = parseNestedList(s, 0, dialect, true);
    return { tensor: implicit.tensor, start: implicit.start, end: implicit.end, notation };
  }
  if (dialect.listOpen === '{' && first === Tok.Open) {
    throw new ParseError(`expected ${quote('{')}`, { start: s.start(0), end: s.end(0) }, 'syntax');
  }
  const call = parseArrayExpression(s, dialect);
  return { tensor: call.tensor, start: call.start, end: call.end, notation: call.notation };
}

function parseMatlabRange(text: string, from: number, to: number, dialect: Dialect, notation: Notation): LocatedTensor {
  const plain = readPlainMatlab(text, from, to, dialect.rules.numbers, dialect === JULIA);
  return plain ? { ...plain, notation } : parseMatlabTokens(text, from, to, dialect, notation);
}

/** {@link parseMatlabRange} for any literal: nested blocks, ranges, arithmetic, comments, transposes. */
export function parseMatlabTokens(text: string, from: number, to: number, dialect: Dialect, notation: Notation): LocatedTensor {
  const s = streamFor(text, dialect, from, to, false, true);
  let j = 0;
  while (s.kind(j) === Tok.Newline) j++;
  // Julia's typed literal `Float64[1 2; 3 4]`.
  if (dialect === JULIA && s.kind(j) === Tok.Name && s.isOpen(j + 1, Bracket.Square) && !s.spaceBefore(j + 1)) j++;
  if (s.isOpen(j, Bracket.Square)) {
    const parsed = parseMatlabMatrix(s, j, dialect);
    let k = parsed.next;
    while (s.kind(k) === Tok.Newline || s.kind(k) === Tok.Semicolon) k++;
    if (s.kind(k) === Tok.End) return { tensor: parsed.tensor, start: parsed.start, end: parsed.end, notation };
  }
  // No brackets of their own (a selection inside a literal): the whole text is the inside.
  const inside = parseMatlabMatrix(streamFor(text, dialect, from, to, false, true), 0, dialect, true);
  return { tensor: inside.tensor, start: inside.start, end: inside.end, notation };
}

function parseRRange(text: string, from: number, to: number): LocatedTensor {
  const s = streamFor(text, R, from, to);
  const parsed = parseRMatrix(s, 0, R);
  let k = parsed.next;
  while (s.kind(k) === Tok.Semicolon) k++;
  expectEnd(s, k, 'matrix');
  return { tensor: parsed.tensor, start: parsed.start, end: parsed.end, notation: 'r' };
}

/**
 * Markdown is a container: a table is read as a table; otherwise the text is code or math inside
 * the document (a fenced block, an inline code span, a LaTeX environment) and is read as such.
 */
function parseMarkdownRange(text: string, from: number, to: number): LocatedTensor {
  const body = text.slice(from, to);
  if (body.split('\n').some((line) => isTableLine(line))) return { tensor: parseMarkdownTable(text, from, to), start: from, end: to, notation: 'markdown' };
  // Scanned by hand, not with back-referencing patterns: those backtrack quadratically (or worse)
  // on runs of backticks or newlines, and 20,000 backticks took 111 s.
  const fence = fencedInner(body);
  if (fence) return parseRangeOf(text, from + fence.start, from + fence.end);
  const code = delimitedInner(body, '`', Number.MAX_SAFE_INTEGER);
  if (code) return parseRangeOf(text, from + code.start, from + code.end);
  const math = delimitedInner(body, '$', 2);
  if (math) return parseRangeOf(text, from + math.start, from + math.end, 'latex');
  return parseRangeOf(text, from, to);
}

/** The length of the run of `char` starting at `at` (forwards) or ending before `at` (backwards). */
function runLength(text: string, at: number, char: string, forwards: boolean): number {
  let n = 0;
  if (forwards) while (text[at + n] === char) n++;
  else while (at - n - 1 >= 0 && text[at - n - 1] === char) n++;
  return n;
}

/** Index of the first and one past the last non-space character of `text` (`[0, 0]` for blank text). */
function trimmedBounds(text: string): [number, number] {
  let start = 0;
  while (start < text.length && /\s/.test(text[start] as string)) start++;
  let end = text.length;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return [start, end];
}

/**
 * A fenced block (``` or ~~~, three or more): the text between its opening line and the line of
 * its closing fence, which repeats the opening marker exactly. One linear pass.
 */
function fencedInner(body: string): { start: number; end: number } | undefined {
  const [first, last] = trimmedBounds(body);
  const char = body[first];
  if (char !== '`' && char !== '~') return undefined;
  const opening = runLength(body, first, char, true);
  const closing = runLength(body, last, char, false);
  const closeStart = last - closing;
  if (opening < 3 || closing < 3 || closing > opening || closeStart <= first + opening) return undefined;
  const contentStart = body.indexOf('\n', first) + 1;
  if (contentStart <= 0 || contentStart > closeStart) return undefined;
  // Only white space, including at least one line break, may stand between the content and the closing fence.
  let k = closeStart;
  while (k > contentStart && /\s/.test(body[k - 1] as string) && body[k - 1] !== '\n') k--;
  if (body[k - 1] !== '\n' || k - 1 < contentStart - 1) return undefined;
  // The content ends at the first line break of that white space.
  let end = k - 1;
  while (end > contentStart && /\s/.test(body[end - 1] as string)) end--;
  while (end < k - 1 && body[end] !== '\n') end++;
  return { start: contentStart, end: Math.max(contentStart, end) };
}

/** Text between matching runs of `char` (an inline code span, `$…$` or `$$…$$` math), at most `maxRun` long. */
function delimitedInner(body: string, char: string, maxRun: number): { start: number; end: number } | undefined {
  const [first, last] = trimmedBounds(body);
  if (body[first] !== char || body[last - 1] !== char) return undefined;
  const opening = Math.min(runLength(body, first, char, true), maxRun);
  const closing = runLength(body, last, char, false);
  const run = Math.min(opening, closing, Math.floor((last - first) / 2));
  if (run < 1) return undefined;
  return { start: first + run, end: last - run };
}
