/**
 * Tables of numbers: CSV, TSV, whitespace-separated rows, and Markdown tables. A first row that is
 * not all numbers is a header (column labels), not data. Always 2-D.
 */
import type { Tensor } from '../engine/tensor';
import { ParseError, quote, type TextRange } from './errors';
import { GridBuilder } from './shape';

/** How cells are separated. */
export type Delimiter = ',' | '\t' | ';' | 'whitespace';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity|na)$/i;

/** The value of one cell, or `undefined` when it is not a number. */
export function cellNumber(cell: string): number | undefined {
  let text = cell.trim();
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) text = text.slice(1, -1).trim();
  text = text.replace(/\u2212/g, '-');
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
  for (let k = 0; k <= line.length; k++) {
    const c = line[k];
    if (c === '"') quoted = !quoted;
    if (k === line.length || (c === delimiter && !quoted)) {
      const raw = line.slice(start, k);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      cells.push({ text, start: offset + start + lead, end: offset + start + lead + text.length });
      start = k + 1;
    }
  }
  return cells;
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
    let eol = text.indexOf('\n', offset);
    if (eol < 0 || eol > to) eol = to;
    const line = text.slice(offset, eol).replace(/\r$/, '');
    if (line.trim() !== '') yield { line, offset };
    if (eol >= to) return;
    offset = eol + 1;
  }
}

function readRows(rows: Cell[][], emptyAt: TextRange): Tensor {
  const grid = new GridBuilder();
  let first = 0;
  const header = rows[0];
  if (header && rows.length > 1 && header.some((cell) => cellNumber(cell.text) === undefined)) first = 1;
  for (let r = first; r < rows.length; r++) {
    const row = rows[r] as Cell[];
    for (const cell of row) {
      const value = cellNumber(cell.text);
      if (value === undefined) {
        const range = cell.text === '' ? { start: cell.start, end: cell.end } : cell;
        throw new ParseError(cell.text === '' ? 'an empty cell' : `${quote(cell.text)} is not a number`, { start: range.start, end: range.end }, cell.text === '' ? 'syntax' : 'not-a-number');
      }
      grid.value(value, cell);
    }
    const last = row[row.length - 1] as Cell;
    grid.endRow({ start: (row[0] as Cell).start, end: last.end });
  }
  return grid.finish(emptyAt);
}

/** Reads CSV, TSV or whitespace-separated rows between `from` and `to`. */
export function parseDelimited(text: string, delimiter: Delimiter, from = 0, to = text.length): Tensor {
  const rows: Cell[][] = [];
  for (const { line, offset } of lines(text, from, to)) {
    let cells = splitRow(line, offset, delimiter);
    // A trailing delimiter (`1,2,3,`) is common in exported files: drop the empty last cell.
    if (cells.length > 1 && (cells[cells.length - 1] as Cell).text === '' && delimiter !== 'whitespace') cells = cells.slice(0, -1);
    rows.push(cells);
  }
  return readRows(rows, { start: from, end: to });
}

const SEPARATOR_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** True when a line looks like a Markdown table row. */
export function isTableLine(line: string): boolean {
  return /^\s*\|/.test(line) || (line.includes('|') && SEPARATOR_ROW.test(line));
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
