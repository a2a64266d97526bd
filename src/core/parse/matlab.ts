/**
 * MATLAB / Octave and Julia matrix literals: `[1 2; 3 4]`, commas optional, line breaks as row
 * breaks, `...` continuations, nested blocks concatenated as MATLAB does (`[[1 2]; [3 4]]`,
 * `[A' B']`), `a:b` and `a:step:b` ranges, and a trailing `'` transpose. Always 2-D.
 */
import type { Tensor } from '../engine/tensor';
import type { Dialect } from './dialects';
import { ParseError, quote, type TextRange } from './errors';
import { evaluateScalar } from './expression';
import { PARSE_MAX_ELEMENTS, PARSE_MAX_NESTING } from './limits';
import { tooManyValues } from './shape';
import { Bracket, Tok, type TokenStream } from './tokens';

/** A rectangular piece of a matrix being concatenated. */
interface Block {
  readonly rows: number;
  readonly columns: number;
  readonly data: ArrayLike<number>;
}

/** An open `[`: the rows finished so far and the row being read. */
interface Frame {
  readonly opener: number;
  readonly blocks: Block[];
  row: (number | Block)[];
  rowStart: number;
  rowEnd: number;
  width: number;
  height: number;
  /** Rows seen, for messages ("row 3 has …"). */
  rowCount: number;
  allRowsFlat: boolean;
  commas: number;
  spaceSeparated: boolean;
  /** Julia: ranges read in this bracket, and rows ended by `;` or a line break (see {@link juliaRange}). */
  ranges: number;
  rowBreaks: number;
}

export interface ParsedMatlab {
  readonly tensor: Tensor;
  readonly next: number;
  readonly start: number;
  readonly end: number;
}

function transpose(block: Block): Block {
  const data = new Float64Array(block.rows * block.columns);
  for (let r = 0; r < block.rows; r++) for (let c = 0; c < block.columns; c++) data[c * block.rows + r] = block.data[r * block.columns + c] as number;
  return { rows: block.columns, columns: block.rows, data };
}

function newFrame(opener: number, rowStart: number): Frame {
  return { opener, blocks: [], row: [], rowStart, rowEnd: rowStart, width: -1, height: 0, rowCount: 0, allRowsFlat: true, commas: 0, spaceSeparated: false, ranges: 0, rowBreaks: 0 };
}

/** Joins the row being read into one block and appends it below the earlier rows. */
function endRow(frame: Frame): void {
  const row = frame.row;
  if (row.length === 0) return;
  frame.row = [];
  const at: TextRange = { start: frame.rowStart, end: frame.rowEnd };
  let height = -1;
  let width = 0;
  let flat = true;
  for (const item of row) {
    const rows = typeof item === 'number' ? 1 : item.rows;
    if (typeof item !== 'number') flat = false;
    if (rows === 0) continue;
    if (height < 0) height = rows;
    else if (rows !== height) throw new ParseError(`blocks side by side must have the same number of rows (${height} and ${rows})`, at, 'shape');
    width += typeof item === 'number' ? 1 : item.columns;
  }
  if (height < 0) return; // only empty blocks: MATLAB ignores `[]`
  let data: ArrayLike<number>;
  if (flat) data = row as number[];
  else {
    const out = new Float64Array(height * width);
    let k = 0;
    for (let r = 0; r < height; r++) {
      for (const item of row) {
        if (typeof item === 'number') out[k++] = item;
        else if (item.rows > 0) for (let c = 0; c < item.columns; c++) out[k++] = item.data[r * item.columns + c] as number;
      }
    }
    data = out;
  }
  frame.rowCount += height;
  if (frame.width < 0) frame.width = width;
  else if (width !== frame.width) {
    const above = frame.rowCount - height;
    const unit = flat && frame.allRowsFlat ? 'values' : 'columns';
    const name = height === 1 ? `row ${frame.rowCount}` : `rows ${above + 1}–${frame.rowCount}`;
    const earlier = above === 1 ? `row 1 has ${frame.width}` : `rows 1–${above} have ${frame.width}`;
    throw new ParseError(`${name} ${height === 1 ? 'has' : 'have'} ${width} ${width === 1 && unit === 'values' ? 'value' : unit}, ${earlier}`, at, 'shape');
  }
  if (!flat) frame.allRowsFlat = false;
  frame.height += height;
  if (frame.height * Math.max(frame.width, 1) > PARSE_MAX_ELEMENTS) throw tooManyValues(at);
  frame.blocks.push({ rows: height, columns: width, data });
}

function finishFrame(frame: Frame): Block {
  if (frame.blocks.length === 0) return { rows: 0, columns: 0, data: [] };
  if (frame.blocks.length === 1) return frame.blocks[0] as Block;
  const data = new Float64Array(frame.height * frame.width);
  let k = 0;
  for (const block of frame.blocks) {
    if (block.data instanceof Float64Array) data.set(block.data, k);
    else for (let m = 0; m < block.data.length; m++) data[k + m] = block.data[m] as number;
    k += block.data.length;
  }
  return { rows: frame.height, columns: frame.width, data };
}

/**
 * Parses the MATLAB or Julia matrix opening at token `first`. With `implicit`, the text has no
 * brackets of its own (`1 2; 3 4`, a selection inside a literal) and runs to the end of the stream.
 */
export function parseMatlabMatrix(s: TokenStream, first: number, dialect: Dialect, implicit = false): ParsedMatlab {
  const frames: Frame[] = [];
  let j = first;
  const start = s.start(first);
  if (implicit) frames.push(newFrame(-1, start));
  else {
    if (!s.isOpen(first, Bracket.Square)) throw new ParseError(`expected ${quote('[')}`, { start, end: s.end(first) }, 'syntax');
    frames.push(newFrame(first, s.end(first)));
    j++;
  }
  let expectElement = true;
  for (;;) {
    const frame = frames[frames.length - 1] as Frame;
    const kind = s.kind(j);
    if (kind === Tok.Newline || kind === Tok.Semicolon) {
      if (kind === Tok.Semicolon && dialect.name === 'julia' && s.kind(j + 1) === Tok.Semicolon && !s.spaceBefore(j + 1)) {
        throw new ParseError(
          `Julia's ${quote(';;')} concatenates along the second or a higher dimension, which Layer Lens does not read: write rows with ${quote(';')} or line breaks`,
          { start: s.start(j), end: s.end(j + 1) },
          'syntax',
        );
      }
      if (frame.row.length > 0) frame.rowBreaks++;
      endRow(frame);
      expectElement = true;
      j++;
      continue;
    }
    if (kind === Tok.Comma) {
      if (expectElement) throw new ParseError(`a value is missing before this ${quote(',')}`, { start: s.start(j), end: s.end(j) }, 'syntax');
      frame.commas++;
      expectElement = true;
      j++;
      continue;
    }
    if (kind === Tok.Close || kind === Tok.End) {
      if (kind === Tok.End && frame.opener >= 0) {
        throw new ParseError(`this ${quote('[')} is never closed`, { start: s.start(frame.opener), end: s.end(frame.opener) }, 'syntax');
      }
      if (kind === Tok.Close && (frame.opener < 0 || s.code(j) !== Bracket.Square)) {
        throw new ParseError(`${quote(s.source(j))} closes nothing here`, { start: s.start(j), end: s.end(j) }, 'syntax');
      }
      if (frame.ranges > 0 && frame.opener >= 0 && (frame.commas > 0 || (frame.rowBreaks === 0 && !frame.spaceSeparated))) {
        // `[1:3]` and `[1:3, 4:6]` do not concatenate in Julia: they are vectors whose elements are ranges.
        throw new ParseError(
          `in Julia this is a vector of ranges, not of numbers: write ${quote('[1:3;]')} (or ${quote('collect(1:3)')}) for a range's values, ${quote('[1:3 4:6]')} for ranges as columns`,
          { start: s.start(frame.opener), end: s.end(j) },
          'not-a-number',
        );
      }
      endRow(frame);
      let block = finishFrame(frame);
      const closeEnd = kind === Tok.End ? s.start(j) : s.end(j);
      if (kind === Tok.Close) j++;
      while (s.kind(j) === Tok.Transpose) {
        block = transpose(block);
        j++;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) {
        parent.row.push(block);
        parent.rowEnd = s.end(j - 1);
        expectElement = false;
        continue;
      }
      const range = { start, end: s.end(j - 1) > closeEnd ? s.end(j - 1) : closeEnd };
      if (block.rows === 0) throw new ParseError('the matrix is empty', range, 'empty');
      const juliaVector = dialect.name === 'julia' && frame.blocks.length === 1 && frame.commas > 0 && !frame.spaceSeparated && frame.height === 1 && frame.allRowsFlat;
      if (juliaVector) block = transpose(block);
      const data = block.data instanceof Float64Array ? block.data : Float64Array.from(block.data);
      return { tensor: { shape: [block.rows, block.columns], data }, next: j, start, end: range.end };
    }
    // An element.
    if (!expectElement) {
      if (!s.spaceBefore(j)) throw new ParseError(`unexpected ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, kind === Tok.Name || kind === Tok.String ? 'not-a-number' : 'syntax');
      frame.spaceSeparated = true;
    }
    if (frame.row.length === 0) frame.rowStart = s.start(j);
    if (kind === Tok.Open && s.code(j) === Bracket.Square) {
      if (frames.length >= PARSE_MAX_NESTING) throw new ParseError(`brackets nested more than ${PARSE_MAX_NESTING} deep`, { start: s.start(j), end: s.end(j) }, 'size');
      frames.push(newFrame(j, s.end(j)));
      j++;
      expectElement = true;
      continue;
    }
    if (kind === Tok.Open && s.code(j) === Bracket.Curly) {
      throw new ParseError('a cell array is not a matrix', { start: s.start(j), end: s.end(j) }, 'not-a-number');
    }
    let value: number;
    const next = s.kind(j + 1);
    if (kind === Tok.Number && (next === Tok.Comma || next === Tok.Semicolon || next === Tok.Newline || next === Tok.Close || (s.spaceBefore(j + 1) && next !== Tok.Operator && next !== Tok.Colon))) {
      value = s.value(j);
      j++;
    } else {
      const read = evaluateScalar(s, j, dialect, true);
      value = read.value;
      j = read.next;
    }
    if (s.kind(j) === Tok.Colon && dialect.name === 'julia') {
      const range = juliaRange(s, j, dialect, value);
      frame.row.push(range.block);
      frame.ranges++;
      j = range.next;
    } else if (s.kind(j) === Tok.Colon) {
      j = readRange(s, j, dialect, value, frame);
    } else {
      frame.row.push(value);
      if (frame.row.length > PARSE_MAX_ELEMENTS) throw tooManyValues({ start: frame.rowStart, end: s.end(j - 1) });
    }
    frame.rowEnd = s.end(j - 1);
    expectElement = false;
  }
}

/**
 * Julia's `a:b` or `a:step:b`: a range is a column vector, so in a matrix literal it is a block of
 * one column: `[1:3 4:6]` is 3×2 (ranges side by side), `[1:3; 4:6]` the 6 values one under the
 * other, `[1:3;]` the range's 3 values as a column.
 */
function juliaRange(s: TokenStream, colon: number, dialect: Dialect, from: number): { block: Block; next: number } {
  const values = newFrame(-1, s.start(colon));
  const next = readRange(s, colon, dialect, from, values);
  const data = values.row as number[];
  return { block: { rows: data.length, columns: 1, data }, next };
}

/** `a:b` or `a:step:b` after the first operand; pushes the values into the row. */
function readRange(s: TokenStream, colon: number, dialect: Dialect, from: number, frame: Frame): number {
  const second = evaluateScalar(s, colon + 1, dialect, true);
  let step = 1;
  let to = second.value;
  let j = second.next;
  if (s.kind(j) === Tok.Colon) {
    const third = evaluateScalar(s, j + 1, dialect, true);
    step = second.value;
    to = third.value;
    j = third.next;
  }
  const at = { start: s.start(colon), end: s.end(j - 1) };
  // MATLAB and Octave forgive a few units in the last place of (to − from)/step (0:0.1:0.3 has four
  // values), not an absolute 1e-10: 1:3.99999999999 is [1 2 3] there.
  const quotient = (to - from) / step;
  const count = step === 0 || !Number.isFinite(from + step + to) ? -1 : Math.floor(quotient + 3 * Number.EPSILON * Math.max(1, Math.abs(quotient))) + 1;
  if (count < 0 || Number.isNaN(count)) throw new ParseError('this range has no values Layer Lens can list', at, 'syntax');
  if (frame.row.length + count > PARSE_MAX_ELEMENTS) throw tooManyValues(at);
  for (let k = 0; k < count; k++) frame.row.push(from + k * step);
  // The last value never passes the limit (Octave clamps it; MATLAB computes it from the limit):
  // 0:0.1:0.3 ends at 0.3, not at 3·0.1 = 0.30000000000000004.
  if (count > 1) {
    const last = frame.row.length - 1;
    const value = frame.row[last] as number;
    if ((step > 0 && value > to) || (step < 0 && value < to)) frame.row[last] = to;
  }
  return j;
}

