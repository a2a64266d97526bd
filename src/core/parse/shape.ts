/**
 * Turns a stream of "list opens / value / list closes" events into a shape and row-major data,
 * checking as it goes that every list at one depth has the same length, and wording the problem
 * the way a user counts ("row 3 has 2 values, rows 1–2 have 3").
 */
import type { Tensor } from '../engine/tensor';
import { ParseError, type TextRange } from './errors';
import { PARSE_MAX_ELEMENTS, PARSE_MAX_RANK } from './limits';

/** A growable float64 buffer (a 1000×1000 literal is a million values: no boxed numbers). */
export class ValueBuffer {
  // Most literals in a document hold a few values and a buffer is made for each one tried: the
  // first values go to a plain array, cheaper to make than a typed one.
  private small: number[] | undefined = [];
  private data = EMPTY;
  length = 0;

  /** Appends a value; `start` and `end` locate it in the text, for the too-many-values message. */
  push(value: number, start: number, end: number): void {
    const small = this.small;
    if (small !== undefined) {
      if (this.length < SMALL) {
        small.push(value);
        this.length++;
        return;
      }
      this.data = new Float64Array(4 * SMALL);
      this.data.set(small);
      this.small = undefined;
    }
    if (this.length === this.data.length) {
      if (this.length >= PARSE_MAX_ELEMENTS) throw tooManyValues({ start, end });
      const next = new Float64Array(Math.min(this.data.length * 2, PARSE_MAX_ELEMENTS));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(k: number): number {
    return (this.small !== undefined ? this.small[k] : this.data[k]) as number;
  }

  toArray(): Float64Array {
    return this.small !== undefined ? new Float64Array(this.small) : this.data.slice(0, this.length);
  }
}

/** How many values a {@link ValueBuffer} keeps in its plain array before it moves them to a typed one. */
const SMALL = 64;
const EMPTY = new Float64Array(0);

export function tooManyValues(at: TextRange): ParseError {
  return new ParseError(`more than ${PARSE_MAX_ELEMENTS.toLocaleString('en-US')} values: too large for Layer Lens`, at, 'size');
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "rows 1–2 have 3" / "row 1 has 3" (the unit was named just before). */
function earlier(count: number, one: string, many: string, expected: number): string {
  return count === 1 ? `${one} 1 has ${expected}` : `${many} 1–${count} have ${expected}`;
}

/** Names of the lists at each depth, from the innermost: a row holds values, a matrix holds rows, … */
const LIST_NAMES: readonly (readonly [string, string])[] = [
  ['row', 'rows'],
  ['matrix', 'matrices'],
  ['block', 'blocks'],
];

export class NestedShapeBuilder {
  readonly values = new ValueBuffer();
  private rank = -1;
  private depth = 0;
  /** Length every list at depth d must have, once the first one closed (-1 before). */
  private readonly dims: number[] = [];
  /** Children counted so far in the open list at depth d. */
  private readonly counts: number[] = [];
  /** Serial number of the list at depth d that fixed dims[d+1], to word messages. */
  private readonly fixedBy: number[] = [];
  private readonly serials: number[] = [];

  /** A list opens at `at`; `extent` gives the whole list's range, for messages about it. */
  open(at: TextRange, extent: () => TextRange = () => at): void {
    if (this.depth >= PARSE_MAX_RANK) {
      throw new ParseError(`nested ${this.depth + 1} levels deep: Layer Lens reads tensors of 1 to ${PARSE_MAX_RANK} dimensions`, at, 'shape');
    }
    if (this.rank >= 0 && this.depth >= this.rank) {
      throw new ParseError(`a list where a number was expected (the ${this.depth === 1 ? 'literal holds' : 'other lists hold'} numbers at this level)`, extent(), 'shape');
    }
    if (this.depth > 0) this.counts[this.depth - 1] = (this.counts[this.depth - 1] as number) + 1;
    this.serials[this.depth] = (this.serials[this.depth] ?? 0) + 1;
    this.counts[this.depth] = 0;
    if (this.dims[this.depth] === undefined) this.dims[this.depth] = -1;
    this.depth++;
  }

  /** A value inside the innermost open list, found at `[start, end)`. */
  value(value: number, start: number, end: number): void {
    if (this.rank < 0) this.rank = this.depth;
    else if (this.depth !== this.rank) {
      throw new ParseError(`a number where a list was expected (the other elements at this level are lists)`, { start, end }, 'shape');
    }
    this.counts[this.depth - 1] = (this.counts[this.depth - 1] as number) + 1;
    this.values.push(value, start, end);
  }

  /** The innermost open list closes; `at` spans the whole list. */
  close(at: TextRange): void {
    const d = this.depth - 1;
    const n = this.counts[d] as number;
    if (n === 0) throw new ParseError(d === 0 ? 'the literal is empty' : 'an empty list', at, 'empty');
    const expected = this.dims[d] as number;
    const parentSerial = d > 0 ? (this.serials[d - 1] as number) : 0;
    if (expected < 0) {
      this.dims[d] = n;
      this.fixedBy[d] = parentSerial;
    } else if (n !== expected) {
      throw new ParseError(this.raggedMessage(d, n, expected, parentSerial), at, 'shape');
    }
    this.depth--;
  }

  private raggedMessage(d: number, n: number, expected: number, parentSerial: number): string {
    const fromInnermost = this.rank - 1 - d;
    const [one, many] = LIST_NAMES[Math.min(fromInnermost, LIST_NAMES.length - 1)] as readonly [string, string];
    const [unitOne, unitMany] = fromInnermost === 0 ? ['value', 'values'] : (LIST_NAMES[fromInnermost - 1] as readonly [string, string]);
    const index = this.counts[d - 1] as number;
    const has = `has ${plural(n, unitOne, unitMany)}`;
    if (this.fixedBy[d] === parentSerial && index > 1) {
      return `${one} ${index} ${has}, ${earlier(index - 1, one, many, expected)}`;
    }
    return `${one} ${index} of this ${(LIST_NAMES[fromInnermost + 1] ?? ['list'])[0]} ${has}, the ${many} before it have ${expected}`;
  }

  /** The finished tensor (call after the outermost list closed). */
  finish(): Tensor {
    return { shape: this.dims.slice(0, this.rank), data: this.values.toArray() };
  }
}

/**
 * Rows of values for the notations that are always 2-D (MATLAB rows, LaTeX, tables, R's rbind).
 * Empty rows are the caller's business; every row given here must have as many values as the first.
 */
export class GridBuilder {
  readonly values = new ValueBuffer();
  private columns = -1;
  private rowValues = 0;
  rows = 0;

  constructor(private readonly unit: readonly [string, string] = ['value', 'values']) {}

  value(value: number, at: TextRange): void {
    this.values.push(value, at.start, at.end);
    this.rowValues++;
  }

  get valuesInRow(): number {
    return this.rowValues;
  }

  /** Ends the current row; `at` spans it. */
  endRow(at: TextRange): void {
    const n = this.rowValues;
    this.rowValues = 0;
    this.rows++;
    if (this.columns < 0) this.columns = n;
    else if (n !== this.columns) {
      const [one, many] = this.unit;
      throw new ParseError(`row ${this.rows} has ${plural(n, one, many)}, ${earlier(this.rows - 1, 'row', 'rows', this.columns)}`, at, 'shape');
    }
  }

  finish(emptyAt: TextRange): Tensor {
    if (this.rows === 0 || this.columns <= 0) throw new ParseError('the matrix is empty', emptyAt, 'empty');
    return { shape: [this.rows, this.columns], data: this.values.toArray() };
  }
}
