/**
 * Fast paths for the commonest large literal: a plain grid of numbers, written as a MATLAB/Julia
 * `[1 2; 3 4]` or as LaTeX cells `1 & 2 \\ 3 & 4`. They read characters directly, with no token
 * stream (two million tokens and their arrays were most of the time for a 1000×1000 literal), and
 * give up — return `undefined` — at the first thing that is not a plain number or separator, or at a
 * ragged row or an empty cell. The full parsers then read the text and give their own result or
 * message, so a fast path never decides an error; it only returns what the full parser would.
 */
import type { Tensor } from '../engine/tensor';
import { scanNumber, type NumberRules, type ScannedNumber } from './codeLexer';
import { PARSE_MAX_ELEMENTS, PARSE_MAX_RANK } from './limits';
import { ValueBuffer } from './shape';

const enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Ampersand = 38,
  Apostrophe = 39,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Semicolon = 59,
  OpenSquare = 91,
  Backslash = 92,
  CloseSquare = 93,
  Tilde = 126,
  UnicodeMinus = 0x2212,
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Rows of values with a constant width; `false` from a method means "give up". */
class PlainRows {
  readonly values = new ValueBuffer();
  private columns = -1;
  private inRow = 0;
  private rows = 0;

  get valuesInRow(): number {
    return this.inRow;
  }

  add(value: number): boolean {
    if (this.values.length >= PARSE_MAX_ELEMENTS) return false;
    this.values.push(value, 0, 0);
    this.inRow++;
    return true;
  }

  /** Ends a row; an empty row is skipped, as both notations do. */
  endRow(): boolean {
    if (this.inRow === 0) return true;
    if (this.columns < 0) this.columns = this.inRow;
    else if (this.inRow !== this.columns) return false;
    this.rows++;
    this.inRow = 0;
    return true;
  }

  finish(): Tensor | undefined {
    if (this.rows === 0) return undefined;
    return { shape: [this.rows, this.columns], data: this.values.toArray() };
  }
}

/**
 * Reads an optionally signed number at `p` into `out` (value with its sign applied); false when
 * there is none or it is malformed. `spaceAfterSign`: LaTeX's `- 1` is one cell; in MATLAB
 * `[1 - 2]` is arithmetic, which only the full parser reads.
 */
function scanSigned(text: string, p: number, limit: number, rules: NumberRules, spaceAfterSign: boolean, out: ScannedNumber): boolean {
  let c = text.charCodeAt(p);
  let negative = false;
  if (c === Char.Minus || c === Char.Plus || (spaceAfterSign && c === Char.UnicodeMinus)) {
    negative = c !== Char.Plus;
    p++;
    if (spaceAfterSign) while (p < limit && (text.charCodeAt(p) === Char.Space || text.charCodeAt(p) === Char.Tab)) p++;
    c = text.charCodeAt(p);
  }
  if (p >= limit || !(isDigit(c) || (c === Char.Dot && isDigit(text.charCodeAt(p + 1))))) return false;
  scanNumber(text, p, limit, rules, false, out);
  if (Number.isNaN(out.value)) return false;
  // An integer zero has no sign: Python's and Julia's `-0` is 0.
  if (negative && !(out.integer && out.value === 0)) out.value = -out.value;
  return true;
}

/** A MATLAB/Julia grid read by {@link readPlainMatlab}, with the range of its brackets. */
export interface PlainMatrix {
  readonly tensor: Tensor;
  readonly start: number;
  readonly end: number;
}

/**
 * `[1 2; 3 4]` spanning `text[from, to)` (blank lines and `;` may follow it): numbers separated by
 * spaces or commas, rows by `;` or line breaks. Julia gives commas and `;;` their own meanings
 * (`[1, 2]` is a vector), so for `julia` they send the text to the full parser.
 */
export function readPlainMatlab(text: string, from: number, to: number, rules: NumberRules, julia: boolean): PlainMatrix | undefined {
  let p = from;
  while (p < to && isBlank(text.charCodeAt(p))) p++;
  const read = scanPlainMatlab(text, p, to, rules, julia);
  return read && onlyBlankAfter(text, read.end, to, true) ? read : undefined;
}

/** True when `text[from, to)` is blank (or, with `semicolons`, also `;`, which ends a MATLAB statement). */
function onlyBlankAfter(text: string, from: number, to: number, semicolons: boolean): boolean {
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (!isBlank(c) && !(semicolons && c === Char.Semicolon)) return false;
  }
  return true;
}

/** The plain MATLAB/Julia literal whose `[` is at `start`, whatever follows it. */
export function scanPlainMatlab(text: string, start: number, to: number, rules: NumberRules, julia: boolean): PlainMatrix | undefined {
  if (text.charCodeAt(start) !== Char.OpenSquare) return undefined;
  let p = start + 1;
  const grid = new PlainRows();
  const number: ScannedNumber = { end: 0, value: 0, integer: false };
  let afterValue = false; // a value ended here or before, with only spaces since
  let comma = false; // a comma follows the last value
  let glued = false; // the last value ends right here: another one may not start without a space
  for (;;) {
    if (p >= to) return undefined;
    const c = text.charCodeAt(p);
    if (c === Char.Space || c === Char.Tab) {
      glued = false;
      p++;
    } else if (c === Char.Comma) {
      if (julia || !afterValue || comma) return undefined;
      comma = true;
      glued = false;
      p++;
    } else if (c === Char.Semicolon || c === Char.LineFeed || c === Char.CarriageReturn || c === Char.CloseSquare) {
      // Julia's `;;` concatenates along higher dimensions: the full parser explains.
      if (comma || !grid.endRow() || (julia && c === Char.Semicolon && text.charCodeAt(p + 1) === Char.Semicolon)) return undefined;
      afterValue = glued = false;
      p++;
      if (c === Char.CloseSquare) break;
    } else {
      if (glued || !scanSigned(text, p, to, rules, false, number) || !grid.add(number.value)) return undefined;
      p = number.end;
      afterValue = glued = true;
      comma = false;
    }
  }
  // A transpose (`'`, `.'`) right after the bracket is the full parser's to apply.
  if (text.charCodeAt(p) === Char.Apostrophe || (text.charCodeAt(p) === Char.Dot && text.charCodeAt(p + 1) === Char.Apostrophe)) return undefined;
  const tensor = grid.finish();
  return tensor && { tensor, start, end: p };
}

function isBlank(c: number): boolean {
  return c === Char.Space || c === Char.Tab || c === Char.LineFeed || c === Char.CarriageReturn;
}

/** Decimals and exponents only, as LaTeX cells and CSV tables write numbers. */
const PLAIN_NUMBERS: NumberRules = { underscores: false, radixPrefixes: false, starCaretExponent: false, fExponent: false, integerSuffixL: false, integerTypes: false, leadingZeros: 'read' };

/**
 * The cells of a LaTeX matrix environment, `text[from, to)`: `1 & -2 \\ 3 & 4`, one signed number
 * per cell, `~` and line breaks as space.
 */
export function readPlainLatexCells(text: string, from: number, to: number): Tensor | undefined {
  const grid = new PlainRows();
  const number: ScannedNumber = { end: 0, value: 0, integer: false };
  let expectCell = true;
  let p = from;
  for (;;) {
    while (p < to && (isBlank(text.charCodeAt(p)) || text.charCodeAt(p) === Char.Tilde)) p++;
    if (p >= to) return (expectCell && grid.valuesInRow > 0) || !grid.endRow() ? undefined : grid.finish();
    const c = text.charCodeAt(p);
    if (c === Char.Ampersand) {
      if (expectCell) return undefined;
      expectCell = true;
      p++;
    } else if (c === Char.Backslash && text.charCodeAt(p + 1) === Char.Backslash) {
      if ((expectCell && grid.valuesInRow > 0) || !grid.endRow()) return undefined;
      expectCell = true;
      p += 2;
      // `\\[2pt]`, row spacing, is read by the full parser.
      let q = p;
      while (q < to && isBlank(text.charCodeAt(q))) q++;
      if (text.charCodeAt(q) === Char.OpenSquare) return undefined;
    } else {
      if (!expectCell || !scanSigned(text, p, to, PLAIN_NUMBERS, true, number) || !grid.add(number.value)) return undefined;
      p = number.end;
      expectCell = false;
    }
  }
}

/** A nested list read by {@link readPlainNested}, with the range of its outer brackets. */
export type PlainNested = PlainMatrix;

/**
 * `[[1, 2], [3, 4]]` spanning `text[from, to)` (blank space may surround it): lists of lists of
 * numbers, 1-D to {@link PARSE_MAX_RANK}-D, as Python, JSON and JavaScript write them. A number is
 * optionally signed, with the sign right before it; trailing commas, comments, names and arithmetic
 * go to the full parser.
 */
export function readPlainNested(text: string, from: number, to: number, rules: NumberRules): PlainNested | undefined {
  let p = from;
  while (p < to && isBlank(text.charCodeAt(p))) p++;
  const read = scanPlainNested(text, p, to, rules);
  return read && onlyBlankAfter(text, read.end, to, false) ? read : undefined;
}

/** The plain nested list whose `[` is at `start`, whatever follows it. */
export function scanPlainNested(text: string, start: number, to: number, rules: NumberRules): PlainNested | undefined {
  if (text.charCodeAt(start) !== Char.OpenSquare) return undefined;
  let p = start;
  const values = new ValueBuffer();
  const number: ScannedNumber = { end: 0, value: 0, integer: false };
  // `shape[d]`: the length of every list at depth d, fixed by the first one to close (-1 before);
  // `counts[d]`: elements so far in the open list at depth d. Numbers live at depth `rank - 1` only.
  const shape = [-1, -1, -1, -1];
  const counts = [0, 0, 0, 0];
  let rank = -1;
  let depth = -1;
  let expectElement = true; // after `[` or `,`
  for (;;) {
    if (p >= to) return undefined;
    const c = text.charCodeAt(p);
    if (isBlank(c)) {
      p++;
    } else if (c === Char.OpenSquare) {
      if (!expectElement || depth + 1 >= PARSE_MAX_RANK || (rank >= 0 && depth + 1 >= rank)) return undefined;
      depth++;
      counts[depth] = 0;
      p++;
    } else if (c === Char.CloseSquare) {
      const n = counts[depth] as number;
      // `[]`, or `[1, 2,]`: an empty list or a trailing comma.
      if (expectElement) return undefined;
      if (shape[depth] === -1) shape[depth] = n;
      else if (shape[depth] !== n) return undefined;
      p++;
      if (depth === 0) break;
      depth--;
      counts[depth] = (counts[depth] as number) + 1;
      expectElement = false;
    } else if (c === Char.Comma) {
      if (expectElement || depth < 0) return undefined;
      expectElement = true;
      p++;
    } else {
      if (!expectElement) return undefined;
      if (rank < 0) rank = depth + 1;
      else if (depth !== rank - 1) return undefined;
      if (!scanSigned(text, p, to, rules, false, number) || values.length >= PARSE_MAX_ELEMENTS) return undefined;
      values.push(number.value, 0, 0);
      counts[depth] = (counts[depth] as number) + 1;
      p = number.end;
      expectElement = false;
    }
  }
  if (rank < 0) return undefined;
  return { tensor: { shape: shape.slice(0, rank), data: values.toArray() }, start, end: p };
}

/**
 * A table of plain numbers in `text[from, to)`: rows on lines (blank lines skipped), cells
 * separated by `delimiter`, a trailing delimiter dropped as exported files often have one. Headers,
 * quotes, `nan`, empty cells and ragged rows are for the full table reader.
 */
export function readPlainDelimited(text: string, from: number, to: number, delimiter: ',' | '\t' | ';' | 'whitespace'): Tensor | undefined {
  const separator = delimiter === 'whitespace' ? -1 : delimiter.charCodeAt(0);
  // Space around cells is ignored; a tab is space too unless it separates the cells.
  const isPadding = (c: number): boolean => c === Char.Space || c === Char.CarriageReturn || (c === Char.Tab && separator !== Char.Tab);
  const grid = new PlainRows();
  const number: ScannedNumber = { end: 0, value: 0, integer: false };
  let p = from;
  while (p < to) {
    // One line: cells until the line feed.
    let expectCell = true;
    let glued = false; // a cell ends right here: the next may not start without a space between
    for (;;) {
      const before = p;
      while (p < to && isPadding(text.charCodeAt(p))) p++;
      if (p > before) glued = false;
      const c = p < to ? text.charCodeAt(p) : Char.LineFeed;
      if (c === Char.LineFeed) {
        // `1,2,` ends with an empty cell after a delimiter: dropped. An empty line is skipped.
        if (!grid.endRow()) return undefined;
        p++;
        break;
      }
      if (c === separator) {
        if (expectCell) return undefined; // `,1` or `1,,2`: an empty cell
        expectCell = true;
        glued = false;
        p++;
        continue;
      }
      // `1 2` in a comma table, or `1-2` in a space-separated one, is one cell that is not a number.
      if ((!expectCell && separator !== -1) || glued) return undefined;
      if (!scanSigned(text, p, to, PLAIN_NUMBERS, false, number) || !grid.add(number.value)) return undefined;
      p = number.end;
      expectCell = false;
      glued = true;
    }
  }
  return grid.finish();
}
