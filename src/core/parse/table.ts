/**
 * Tables of numbers: CSV, TSV, whitespace-separated rows, and Markdown tables. A first row with a
 * label in it (a cell that is neither a number nor empty) is a header, not data; a Markdown table's
 * first row is its header when it is not all numbers. Always 2-D.
 */
import type { Tensor } from '../engine/tensor';
import { ParseError, quote, type TextRange } from './errors';
import { GridBuilder } from './shape';
import { lineEndWithin } from './textSearch';

/** How cells are separated. */
export type Delimiter = ',' | '\t' | ';' | 'whitespace';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity|na)$/i;

/** The value of one cell, or `undefined` when it is not a number. */
export function cellNumber(cell: string): number | undefined {
  let text = cell.trim();
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) text = text.slice(1, -1).trim();
  if (text.includes('\u2212')) text = text.replace(/\u2212/g, '-');
  if (NUMBER.test(text)) return Number(text);
  const special = SPECIAL.exec(text);
  if (!special) return undefined;
  const word = (special[2] as string).toLowerCase();
  if (word === 'nan' || word === 'na') return Number.NaN;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** A row's cells with their ranges in the text. */
interface Cell {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function splitRow(line: string, offset: number, delimiter: Delimiter | '|'): Cell[] {
  const cells: Cell[] = [];
  if (delimiter === 'whitespace') {
    const pattern = /\S+/g;
    for (let m = pattern.exec(line); m; m = pattern.exec(line)) cells.push({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
    return cells;
  }
  let start = 0;
  let quoted = false;
  const separator = delimiter.charCodeAt(0);
  for (let k = 0; k <= line.length; k++) {
    const c = line.charCodeAt(k);
    if (c === 34 /* " */) quoted = !quoted;
    if (k === line.length || (c === separator && !quoted)) {
      // Trim by index, so each cell costs one slice.
      let a = start;
      let b = k;
      while (a < b && isBlank(line.charCodeAt(a))) a++;
      while (b > a && isBlank(line.charCodeAt(b - 1))) b--;
      cells.push({ text: line.slice(a, b), start: offset + a, end: offset + b });
      start = k + 1;
    }
  }
  return cells;
}

/** Space, tab, carriage return, no-break space: what `String.prototype.trim` removes in tables. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 160 || c === 0xfeff;
}

/** Picks the delimiter a CSV-like text uses. */
export function detectDelimiter(text: string, preferred: ',' | '\t'): Delimiter {
  if (text.includes(preferred)) return preferred;
  if (text.includes(preferred === ',' ? '\t' : ',')) return preferred === ',' ? '\t' : ',';
  if (/\d\s*;\s*[-+.\d]/.test(text) && !/\n\s*\S/.test(text.trim())) return ';';
  return 'whitespace';
}

/** Lines of `text[from, to)` with their offsets, skipping blank ones. */
function* lines(text: string, from: number, to: number): Generator<{ line: string; offset: number }> {
  let offset = from;
  while (offset <= to) {
    const eol = lineEndWithin(text, offset, to);
    const line = text.slice(offset, eol).replace(/\r$/, '');
    if (line.trim() !== '') yield { line, offset };
    if (eol >= to) return;
    offset = eol + 1;
  }
}

/**
 * A CSV or TSV header: a row of labels, so at least one cell that is neither a number nor empty.
 * `\t1\t2` (an empty first cell, numbers after) is data with a missing value, never a header: read
 * as one, the row vanished silently.
 */
function isLabelRow(row: readonly Cell[]): boolean {
  return row.some((cell) => cell.text !== '' && cellNumber(cell.text) === undefined);
}

/** A Markdown table's first row sits above the separator: a header unless it is all numbers. */
function isMarkdownHeader(row: readonly Cell[]): boolean {
  return row.some((cell) => cellNumber(cell.text) === undefined);
}

/**
 * Reads rows of cells into a matrix as they come, so a million-cell table never holds all its
 * cells at once. The first row is held back until the second arrives: it is a header when
 * `isHeader` says so and more rows follow.
 */
class RowReader {
  private readonly grid = new GridBuilder();
  private held: Cell[] | undefined;
  private rowsSeen = 0;

  constructor(private readonly isHeader: (row: readonly Cell[]) => boolean) {}

  add(row: Cell[]): void {
    this.rowsSeen++;
    if (this.rowsSeen === 1) {
      this.held = row;
      return;
    }
    if (this.held) {
      const header = this.held;
      this.held = undefined;
      if (!this.isHeader(header)) this.read(header);
    }
    this.read(row);
  }

  finish(emptyAt: TextRange): Tensor {
    // A single row is data, whatever it holds (and explained when it is not numbers).
    if (this.held) this.read(this.held);
    return this.grid.finish(emptyAt);
  }

  private read(row: Cell[]): void {
    for (const cell of row) {
      const value = cellNumber(cell.text);
      if (value === undefined) {
        throw new ParseError(cell.text === '' ? 'an empty cell' : `${quote(cell.text)} is not a number`, { start: cell.start, end: cell.end }, cell.text === '' ? 'syntax' : 'not-a-number');
      }
      this.grid.value(value, cell);
    }
    const last = row[row.length - 1] as Cell;
    this.grid.endRow({ start: (row[0] as Cell).start, end: last.end });
  }
}

function readRows(rows: Cell[][], emptyAt: TextRange): Tensor {
  const reader = new RowReader(isMarkdownHeader);
  for (const row of rows) reader.add(row);
  return reader.finish(emptyAt);
}

/** Reads CSV, TSV or whitespace-separated rows between `from` and `to`. */
export function parseDelimited(text: string, delimiter: Delimiter, from = 0, to = text.length): Tensor {
  const reader = new RowReader(isLabelRow);
  for (const { line, offset } of lines(text, from, to)) {
    let cells = splitRow(line, offset, delimiter);
    // A trailing delimiter (`1,2,3,`) is common in exported files: drop the empty last cell.
    if (cells.length > 1 && (cells[cells.length - 1] as Cell).text === '' && delimiter !== 'whitespace') cells = cells.slice(0, -1);
    reader.add(cells);
  }
  return reader.finish({ start: from, end: to });
}

const SEPARATOR_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** True when a line looks like a Markdown table row. */
export function isTableLine(line: string): boolean {
  return /^\s*\|/.test(line) || isSeparatorRow(line);
}

/**
 * True for a Markdown table's alignment rule (`|---|---|`, `| :-: | --: |`, `|:-|-:|:-:|`): one dash
 * per column is enough, so what tells a table is the rule's shape, never how long its dashes are.
 */
export function isSeparatorRow(line: string): boolean {
  return line.includes('|') && line.includes('-') && SEPARATOR_ROW.test(line);
}

/** Strips Markdown emphasis and code marks around a cell: `**1**`, `` `2` ``, `$3$`. */
function unwrapCell(cell: Cell): Cell {
  const m = /^(\*\*|__|\*|_|`|\$)(.*)\1$/.exec(cell.text);
  if (!m) return cell;
  const mark = (m[1] as string).length;
  return { text: (m[2] as string).trim(), start: cell.start + mark, end: cell.end - mark };
}

/** Reads a Markdown table between `from` and `to` (a separator row under the header). */
export function parseMarkdownTable(text: string, from = 0, to = text.length): Tensor {
  const rows: Cell[][] = [];
  let sawSeparator = false;
  for (const { line, offset } of lines(text, from, to)) {
    if (SEPARATOR_ROW.test(line) && line.includes('-')) {
      if (sawSeparator || rows.length !== 1) throw new ParseError('a separator row belongs under the header row', { start: offset, end: offset + line.length }, 'syntax');
      sawSeparator = true;
      continue;
    }
    let body = line;
    let bodyOffset = offset;
    const lead = /^\s*\|/.exec(body);
    if (lead) {
      body = body.slice(lead[0].length);
      bodyOffset += lead[0].length;
    }
    body = body.replace(/\|\s*$/, '');
    const cells = splitRow(body.replace(/\\\|/g, '  '), bodyOffset, '|').map(unwrapCell);
    rows.push(cells);
  }
  if (!sawSeparator && rows.length > 1) {
    throw new ParseError('a Markdown table needs a separator row (|---|---|) under its header', { start: from, end: to }, 'syntax');
  }
  return readRows(rows, { start: from, end: to });
}
