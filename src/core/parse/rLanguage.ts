/**
 * R matrices: `matrix(c(...), nrow =, ncol =, byrow =)` (filled column by column unless
 * `byrow = TRUE`, with R's recycling when the data is shorter), `rbind(...)`, `cbind(...)`, and a
 * bare vector `c(...)` (a column, as `as.matrix` makes it). Ranges `1:9` are expanded. Always 2-D.
 */
import type { Tensor } from '../engine/tensor';
import type { Dialect } from './dialects';
import { ParseError, quote, type TextRange } from './errors';
import { evaluateScalar } from './expression';
import { PARSE_MAX_ELEMENTS, PARSE_MAX_NESTING } from './limits';
import { tooManyValues } from './shape';
import { Bracket, Op, Tok, type TokenStream } from './tokens';

/** The R functions that build a matrix literal. */
export const R_MATRIX_FUNCTIONS: ReadonlySet<string> = new Set(['matrix', 'c', 'rbind', 'cbind']);

export interface ParsedR {
  readonly tensor: Tensor;
  readonly next: number;
  readonly start: number;
  readonly end: number;
}

/** C's FLT_EPSILON, which R adds when it counts the values of `from:to`. */
const FLT_EPSILON = 2 ** -23;

const at = (s: TokenStream, i: number): TextRange => ({ start: s.start(i), end: s.end(i) });

/** One argument: its name (for `name = value`) and the token where its value starts. */
interface Argument {
  readonly name: string | undefined;
  readonly value: number;
}

/** Lists the arguments of the call whose `(` is at `paren`, skipping over each value. */
function argumentsOf(s: TokenStream, paren: number): { args: Argument[]; next: number } {
  const args: Argument[] = [];
  let j = paren + 1;
  if (s.isClose(j, Bracket.Paren)) return { args, next: j + 1 };
  for (;;) {
    let name: string | undefined;
    if (s.kind(j) === Tok.Name && s.kind(j + 1) === Tok.Equals) {
      name = s.source(j);
      j += 2;
    }
    args.push({ name, value: j });
    let depth = 0;
    for (;;) {
      const kind = s.kind(j);
      if (kind === Tok.End) throw new ParseError(`this ${quote('(')} is never closed`, at(s, paren), 'syntax');
      if (kind === Tok.Open) depth++;
      else if (kind === Tok.Close) {
        if (depth === 0) break;
        depth--;
      } else if (kind === Tok.Comma && depth === 0) break;
      j++;
    }
    if (s.kind(j) === Tok.Close) {
      if (s.code(j) !== Bracket.Paren) throw new ParseError(`${quote(s.source(j))} does not match ${quote('(')}`, at(s, j), 'syntax');
      return { args, next: j + 1 };
    }
    j++;
  }
}

/** The values of a vector argument: a number, a range `a:b`, or `c(...)` (nested `c` flattens). */
function readVector(s: TokenStream, first: number, dialect: Dialect): { values: number[]; next: number } {
  const values: number[] = [];
  // Open `c(` calls, as a stack, so that `c(c(c(...)))` costs no recursion.
  const open: number[] = [];
  let j = first;
  let expectElement = true;
  for (;;) {
    if (open.length > 0 && !expectElement) {
      if (s.kind(j) === Tok.Comma) {
        j++;
        expectElement = true;
        continue;
      }
      if (s.isClose(j, Bracket.Paren)) {
        open.pop();
        j++;
        if (open.length === 0) return { values, next: j };
        continue;
      }
      throw new ParseError(`expected ${quote(',')} or ${quote(')')} before ${quote(s.source(j))}`, at(s, j), s.kind(j) === Tok.Name ? 'not-a-number' : 'syntax');
    }
    if (s.kind(j) === Tok.Name && s.source(j) === 'c' && s.isOpen(j + 1, Bracket.Paren)) {
      if (open.length >= PARSE_MAX_NESTING) throw new ParseError(`${quote('c(')} nested more than ${PARSE_MAX_NESTING} deep`, at(s, j), 'size');
      open.push(j);
      j += 2;
      if (s.isClose(j, Bracket.Paren)) throw new ParseError('an empty vector', { start: s.start(j - 2), end: s.end(j) }, 'empty');
      expectElement = true;
      continue;
    }
    if (s.kind(j) === Tok.Name && s.kind(j + 1) === Tok.Equals) {
      throw new ParseError('named vector elements are not supported', at(s, j), 'syntax');
    }
    const read = evaluateScalar(s, j, dialect);
    const elementStart = j;
    j = read.next;
    if (s.kind(j) === Tok.Colon) {
      const to = evaluateScalar(s, j + 1, dialect);
      refuseRangeArithmetic(s, elementStart, to.next);
      const from = read.value;
      // R's own rule (seq_colon): |to − from| + 1 + FLT_EPSILON, truncated: c(1:3.9999999) has 4 values.
      const count = Number.isFinite(from) && Number.isFinite(to.value) ? Math.floor(Math.abs(to.value - from) + 1 + FLT_EPSILON) : -1;
      if (count < 0) throw new ParseError('this range has no values Layer Lens can list', { start: s.start(j), end: s.end(to.next - 1) }, 'syntax');
      if (values.length + count > PARSE_MAX_ELEMENTS) throw tooManyValues(at(s, j));
      const step = to.value >= from ? 1 : -1;
      for (let k = 0; k < count; k++) values.push(from + k * step);
      j = to.next;
    } else {
      values.push(read.value);
      if (values.length > PARSE_MAX_ELEMENTS) throw tooManyValues(at(s, j - 1));
    }
    if (open.length === 0) return { values, next: j };
    expectElement = false;
  }
}

/**
 * R's `:` binds tighter than `*`, `/`, `+` and `-` (`1:3*2` is `(1:3)*2`, `2*1:3` is `2*(1:3)`):
 * arithmetic on a whole range, which Layer Lens does not compute. An operand of `:` may still use
 * what binds tighter (`-1:2`, `2^2:5`, `(1+1):3`). Throws at the first such operator in `[from, to)`.
 */
function refuseRangeArithmetic(s: TokenStream, from: number, to: number): void {
  const range = s.text.slice(s.start(from), s.end(to - 1));
  let depth = 0;
  let afterOperand = false;
  for (let k = from; k < to; k++) {
    const kind = s.kind(k);
    if (kind === Tok.Open) depth++;
    else if (kind === Tok.Close) depth--;
    else if (kind === Tok.Operator && depth === 0 && afterOperand && s.code(k) !== Op.Power) {
      throw new ParseError(`R computes ${quote(range)} on the whole range (${quote(':')} comes before ${quote(s.source(k))}), which Layer Lens does not do: write the values out`, at(s, k), 'syntax');
    }
    afterOperand = kind === Tok.Number || kind === Tok.Name || kind === Tok.Close;
  }
}

/** Reads an integer argument such as `nrow = 2`. */
function readCount(s: TokenStream, first: number, dialect: Dialect, name: string): number {
  const { value, next } = evaluateScalar(s, first, dialect);
  if (!Number.isInteger(value) || value <= 0) throw new ParseError(`${name} must be a positive whole number`, { start: s.start(first), end: s.end(next - 1) }, 'shape');
  return value;
}

function readLogical(s: TokenStream, first: number): boolean {
  const source = s.source(first);
  if (source === 'TRUE' || source === 'T') return true;
  if (source === 'FALSE' || source === 'F') return false;
  throw new ParseError(`${quote(source)} is not TRUE or FALSE`, at(s, first), 'syntax');
}

/** Parses the R call (`matrix`, `c`, `rbind`, `cbind`) whose name is token `first`. */
export function parseRMatrix(s: TokenStream, first: number, dialect: Dialect): ParsedR {
  const name = s.source(first);
  if (s.kind(first) !== Tok.Name || !R_MATRIX_FUNCTIONS.has(name) || !s.isOpen(first + 1, Bracket.Paren)) {
    throw new ParseError(`expected ${quote('matrix(')}, ${quote('c(')}, ${quote('rbind(')} or ${quote('cbind(')}`, at(s, first), 'syntax');
  }
  const start = s.start(first);
  if (name === 'c') {
    const { values, next } = readVector(s, first, dialect);
    return { tensor: { shape: [values.length, 1], data: Float64Array.from(values) }, next, start, end: s.end(next - 1) };
  }
  const { args, next } = argumentsOf(s, first + 1);
  const range = { start, end: s.end(next - 1) };
  if (name === 'rbind' || name === 'cbind') {
    const vectors: number[][] = [];
    for (const arg of args) {
      if (arg.name !== undefined) continue; // deparse.level =, make.row.names = …
      const read = readVector(s, arg.value, dialect);
      vectors.push(read.values);
      const width = (vectors[0] as number[]).length;
      if (read.values.length !== width) {
        const what = name === 'rbind' ? 'row' : 'column';
        const n = vectors.length;
        throw new ParseError(`${what} ${n} has ${read.values.length} values, ${n === 2 ? `${what} 1 has` : `${what}s 1–${n - 1} have`} ${width}`, { start: s.start(arg.value), end: s.end(read.next - 1) }, 'shape');
      }
    }
    if (vectors.length === 0) throw new ParseError('the matrix is empty', range, 'empty');
    const width = (vectors[0] as number[]).length;
    const data = new Float64Array(vectors.length * width);
    if (name === 'rbind') vectors.forEach((v, r) => data.set(v, r * width));
    else vectors.forEach((v, c) => v.forEach((x, r) => (data[r * vectors.length + c] = x)));
    return { tensor: { shape: name === 'rbind' ? [vectors.length, width] : [width, vectors.length], data }, next, start, end: range.end };
  }
  // matrix(data, nrow, ncol, byrow, dimnames)
  const positional = ['data', 'nrow', 'ncol', 'byrow', 'dimnames'];
  let position = 0;
  let values: number[] | undefined;
  let rows: number | undefined;
  let columns: number | undefined;
  let byRow = false;
  for (const arg of args) {
    const key = arg.name ?? positional[position++];
    if (key === 'data') values = readVector(s, arg.value, dialect).values;
    else if (key === 'nrow') rows = readCount(s, arg.value, dialect, 'nrow');
    else if (key === 'ncol') columns = readCount(s, arg.value, dialect, 'ncol');
    else if (key === 'byrow') byRow = readLogical(s, arg.value);
    else if (key !== 'dimnames') throw new ParseError(`${quote(key ?? s.source(arg.value))} is not an argument of matrix()`, at(s, arg.value), 'syntax');
  }
  if (!values || values.length === 0) throw new ParseError('matrix() needs data', range, 'empty');
  const n = values.length;
  if (rows === undefined && columns === undefined) rows = n;
  if (rows === undefined) rows = Math.ceil(n / (columns as number));
  if (columns === undefined) columns = Math.ceil(n / rows);
  const size = rows * columns;
  if (size > PARSE_MAX_ELEMENTS) throw tooManyValues(range);
  if (size % n !== 0 && n % size !== 0) {
    throw new ParseError(`${n} values do not fill a ${rows}×${columns} matrix`, range, 'shape');
  }
  if (n > size) throw new ParseError(`${n} values are more than a ${rows}×${columns} matrix holds`, range, 'shape');
  const data = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const value = values[k % n] as number;
    if (byRow) data[k] = value;
    else data[(k % rows) * columns + Math.floor(k / rows)] = value;
  }
  return { tensor: { shape: [rows, columns], data }, next, start, end: range.end };
}
