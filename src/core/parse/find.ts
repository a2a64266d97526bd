/**
 * `findMatrixAt` and `findMatrices`: matrix literals in a whole document, by VS Code language id.
 * Code languages go through the bracket finder; LaTeX through its environments; Markdown through
 * its tables, fenced code blocks, math and inline code; CSV and TSV files are one table.
 */
import { findAllInCode, findInCode, type CodeRegion, type FoundMatrix } from './codeFinder';
import { ANY_BRACKETED, JAVASCRIPT, JSON_DIALECT, JULIA, MATHEMATICA, MATLAB, PYTHON, R, type Dialect } from './dialects';
import { isNotAMatrix, ParseError } from './errors';
import { nextEnvironment, parseLatexCells, type LatexEnvironment } from './latex';
import { withLineFeeds } from './lineBreaks';
import { FIND_MAX_DOCUMENT_LENGTH, FIND_MAX_DOCUMENT_VALUES, FIND_MAX_LITERAL_LENGTH } from './limits';
import { notationForLanguage, type Notation } from './notation';
import { parseRange } from './parseMatrix';
import { cellNumber, detectDelimiter, isTableLine, parseDelimited, parseMarkdownTable } from './table';
import { lineEndWithin } from './textSearch';

export type { FoundMatrix } from './codeFinder';

/** How a language's documents are searched. */
type Family =
  | { readonly kind: 'code'; readonly dialect: Dialect; readonly notation: Notation }
  | { readonly kind: 'latex' }
  | { readonly kind: 'markdown' }
  | { readonly kind: 'table'; readonly notation: 'csv' | 'tsv' }
  | { readonly kind: 'plain' };

const CODE: Partial<Record<Notation, Dialect>> = { python: PYTHON, json: JSON_DIALECT, javascript: JAVASCRIPT, matlab: MATLAB, julia: JULIA, r: R, mathematica: MATHEMATICA };

function familyOf(languageId: string | undefined): Family {
  const notation = notationForLanguage(languageId);
  if (notation === undefined) return { kind: 'plain' };
  const dialect = CODE[notation];
  if (dialect) return { kind: 'code', dialect, notation };
  if (notation === 'latex') return { kind: 'latex' };
  if (notation === 'markdown') return { kind: 'markdown' };
  if (notation === 'csv' || notation === 'tsv') return { kind: 'table', notation };
  return { kind: 'plain' };
}

/** Runs a finder step, turning "not a matrix" errors into `undefined` and letting real problems through. */
function quietly<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ParseError && isNotAMatrix(error)) return undefined;
    throw error;
  }
}

/**
 * The outermost complete matrix literal enclosing `offset` (a cursor anywhere inside
 * `[[1, 2], [3, 4]]`, on its brackets, or on the `np.array` of a call gives the whole literal), or
 * `undefined` when there is none: in a comment or string, on a list of non-numbers, on half-typed
 * code. Throws a {@link ParseError} (with document offsets) when the literal at the cursor is numeric
 * but malformed — ragged, too deep, too large — so the user can be told why.
 *
 * Literal arithmetic right after a constructor call belongs to the literal:
 * `np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16` is found whole, divided, with its range
 * covering `/ 16` (when the surrounding code makes it a sub-expression; in `x * np.array(…) / 16`
 * only the call is taken). Arithmetic before a call (`0.5 * np.array(…)`) is not included.
 */
export function findMatrixAt(document: string, offset: number, languageId?: string): FoundMatrix | undefined {
  if (!Number.isFinite(offset) || offset < 0 || offset > document.length) return undefined;
  const text = withLineFeeds(document);
  const family = familyOf(languageId);
  switch (family.kind) {
    case 'code':
      return findInCode(codeRegion(text, family.dialect, family.notation), offset);
    case 'latex':
      return latexAt(text, offset, 0, text.length);
    case 'markdown':
      return markdownAt(text, offset);
    case 'table':
      return tableDocument(text, family.notation);
    case 'plain':
      return plainAt(text, offset, 0, text.length);
  }
}

/**
 * Every outermost matrix literal of a document, in document order (for CodeLens and the kernel
 * picker). Malformed literals are left out rather than reported. A CSV or TSV file is one matrix.
 * Only the first {@link FIND_MAX_DOCUMENT_LENGTH} characters are searched.
 */
export function findMatrices(text: string, languageId?: string): FoundMatrix[] {
  return withinValueBudget(findAll(withLineFeeds(text), languageId));
}

/** The literals, in order, up to the document's budget of values ({@link FIND_MAX_DOCUMENT_VALUES}). */
function withinValueBudget(found: FoundMatrix[]): FoundMatrix[] {
  let values = 0;
  for (let k = 0; k < found.length; k++) {
    values += (found[k] as FoundMatrix).data.length;
    if (values > FIND_MAX_DOCUMENT_VALUES) return found.slice(0, k);
  }
  return found;
}

function findAll(text: string, languageId?: string): FoundMatrix[] {
  const to = Math.min(text.length, FIND_MAX_DOCUMENT_LENGTH);
  const family = familyOf(languageId);
  switch (family.kind) {
    case 'code':
      return findAllInCode({ text, dialect: family.dialect, notation: family.notation, from: 0, to });
    case 'latex':
      return latexAll(text, 0, to);
    case 'markdown':
      return markdownAll(text, to);
    case 'table': {
      const table = quietlyOrUndefined(() => tableDocument(text.slice(0, to), family.notation));
      return table ? [table] : [];
    }
    case 'plain':
      return plainAll(text, 0, to);
  }
}

function quietlyOrUndefined<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

function codeRegion(text: string, dialect: Dialect, notation: Notation, from = 0, to = text.length): CodeRegion {
  return { text, dialect, notation, from, to };
}

function located(start: number, end: number, tensor: { shape: readonly number[]; data: Float64Array }, notation: Notation): FoundMatrix {
  return { start, end, shape: tensor.shape, data: tensor.data, notation };
}

// ---------------------------------------------------------------------------------------------
// LaTeX

/** True when `offset` is in a `%` comment of its line. */
function inLatexComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /(?:^|[^\\])%/.test(text.slice(lineStart, offset));
}

/**
 * {@link inLatexComment} for offsets asked in increasing order, in one pass over the region (which
 * starts a context of its own: a `%` before it does not count): asking for each of many
 * environments on one long line would otherwise reread the line every time.
 */
class LatexCommentScanner {
  private at: number;
  private commented = false;
  constructor(
    private readonly text: string,
    from: number,
  ) {
    this.at = from;
  }
  inComment(offset: number): boolean {
    for (; this.at < offset; this.at++) {
      const c = this.text.charCodeAt(this.at);
      if (c === 10) this.commented = false;
      else if (c === 37 && (this.at === 0 || this.text.charCodeAt(this.at - 1) !== 92)) this.commented = true;
    }
    return this.commented;
  }
}

function latexMatrix(text: string, environment: LatexEnvironment): FoundMatrix {
  return located(environment.start, environment.end, parseLatexCells(text, environment.contentStart, environment.contentEnd), 'latex');
}

/** The matrix environment around `offset`, looking back over at most a bounded stretch of text. */
function latexAt(text: string, offset: number, from: number, to: number): FoundMatrix | undefined {
  if (inLatexComment(text, offset)) return undefined;
  const floor = Math.max(from, offset - FIND_MAX_LITERAL_LENGTH);
  let begin = text.lastIndexOf('\\begin', offset);
  for (let tries = 0; begin >= floor && tries < 64; tries++, begin = text.lastIndexOf('\\begin', begin - 1)) {
    const environment = nextEnvironment(text, begin, to);
    if (!environment || environment.start !== begin) continue;
    if (environment.end < offset) return undefined; // the nearest environment ended before the cursor
    if (inLatexComment(text, begin)) continue;
    return quietly(() => latexMatrix(text, environment));
  }
  return undefined;
}

function latexAll(text: string, from: number, to: number): FoundMatrix[] {
  const out: FoundMatrix[] = [];
  const comments = new LatexCommentScanner(text, from);
  for (let at = from; ; ) {
    const environment = nextEnvironment(text, at, to);
    if (!environment) return out;
    if (!comments.inComment(environment.start)) {
      const matrix = quietlyOrUndefined(() => latexMatrix(text, environment));
      if (matrix) out.push(matrix);
    }
    at = environment.end;
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

function tableDocument(text: string, notation: 'csv' | 'tsv'): FoundMatrix | undefined {
  const tensor = quietly(() => parseDelimited(text, detectDelimiter(text, notation === 'csv' ? ',' : '\t')));
  if (!tensor) return undefined;
  const start = text.search(/\S/);
  return located(start, text.trimEnd().length, tensor, notation);
}

/** The lines around `offset` for which `keep` holds, as a character range. */
function blockOfLines(text: string, offset: number, from: number, to: number, keep: (line: string) => boolean): { start: number; end: number } | undefined {
  // Searches bounded by [from, to]: a region inside a long line (an inline code span) must not cost the whole line.
  const lineAt = (at: number): { start: number; end: number } => {
    let start = at;
    while (start > from && text.charCodeAt(start - 1) !== 10) start--;
    let end = at;
    while (end < to && text.charCodeAt(end) !== 10) end++;
    return { start, end };
  };
  const here = lineAt(offset);
  if (!keep(text.slice(here.start, here.end))) return undefined;
  let start = here.start;
  let end = here.end;
  while (start > from && start - 1 >= offset - FIND_MAX_LITERAL_LENGTH) {
    const previous = lineAt(start - 1);
    if (!keep(text.slice(previous.start, previous.end))) break;
    start = previous.start;
  }
  while (end < to && end + 1 <= offset + FIND_MAX_LITERAL_LENGTH) {
    const next = lineAt(end + 1);
    if (!keep(text.slice(next.start, next.end))) break;
    end = next.end;
  }
  return { start, end };
}

/** A line of numbers separated by commas, tabs or spaces (`0.1, 0.2, 0.3`). */
function isNumberRow(line: string): boolean {
  const cells = line.trim().split(/\s*[,\t;]\s*|\s+/);
  return cells.length > 0 && cells[0] !== '' && cells.every((cell) => cellNumber(cell) !== undefined);
}

function numberRowsAt(text: string, offset: number, from: number, to: number): FoundMatrix | undefined {
  const block = blockOfLines(text, offset, from, to, isNumberRow);
  if (!block) return undefined;
  const body = text.slice(block.start, block.end);
  const delimiter = detectDelimiter(body, ',');
  const tensor = quietly(() => parseDelimited(text, delimiter, block.start, block.end));
  return tensor && located(block.start, block.end, tensor, delimiter === '\t' ? 'tsv' : 'csv');
}

// ---------------------------------------------------------------------------------------------
// Markdown

const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$/gm;

/** A fenced code block: its language and the range of its content. */
interface Fence {
  readonly language: string;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly end: number;
}

/** The fenced blocks of a Markdown document up to `to`, in order. */
function fences(text: string, to: number): Fence[] {
  const out: Fence[] = [];
  FENCE.lastIndex = 0;
  for (let open = FENCE.exec(text); open && open.index < to; open = FENCE.exec(text)) {
    const marker = open[1] as string;
    const contentStart = Math.min(text.length, open.index + open[0].length + 1);
    let close: RegExpExecArray | null;
    do close = FENCE.exec(text);
    while (close && !((close[1] as string).startsWith(marker[0] as string) && (close[1] as string).length >= marker.length && close[2] === ''));
    const contentEnd = close ? close.index : text.length;
    out.push({ language: (open[2] as string).toLowerCase(), contentStart, contentEnd: Math.max(contentStart, contentEnd), end: close ? close.index + close[0].length : text.length });
    if (!close) break;
  }
  return out;
}

const FENCE_LANGUAGES: Record<string, string> = { py: 'python', python3: 'python', js: 'javascript', ts: 'typescript', m: 'matlab', jl: 'julia', tex: 'latex', math: 'latex', wl: 'wolfram', txt: 'plaintext', text: 'plaintext' };

function fenceFamily(language: string): Family {
  const family = familyOf(FENCE_LANGUAGES[language] ?? language);
  return family.kind === 'markdown' ? { kind: 'plain' } : family;
}

function inFence(text: string, fence: Fence, offset: number): FoundMatrix | undefined {
  const family = fenceFamily(fence.language);
  const { contentStart: from, contentEnd: to } = fence;
  switch (family.kind) {
    case 'code':
      return findInCode(codeRegion(text, family.dialect, family.notation, from, to), offset);
    case 'latex':
      return latexAt(text, offset, from, to);
    case 'table': {
      const tensor = quietly(() => parseDelimited(text, detectDelimiter(text.slice(from, to), family.notation === 'csv' ? ',' : '\t'), from, to));
      return tensor && located(from, to, tensor, family.notation);
    }
    default:
      return plainAt(text, offset, from, to);
  }
}

function markdownAt(text: string, offset: number): FoundMatrix | undefined {
  for (const fence of fences(text, offset + 1)) {
    if (fence.contentStart <= offset && offset <= fence.contentEnd) return inFence(text, fence, offset);
  }
  const table = blockOfLines(text, offset, 0, text.length, isTableLine);
  if (table) {
    const tensor = quietly(() => parseMarkdownTable(text, table.start, table.end));
    return tensor && located(table.start, table.end, tensor, 'markdown');
  }
  const math = latexAt(text, offset, 0, text.length);
  if (math) return math;
  // Inline code (`np.array([...])`) or a literal in prose: look within the line only.
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const eol = text.indexOf('\n', offset);
  const lineEnd = eol < 0 ? text.length : eol;
  const line = text.slice(lineStart, lineEnd);
  const code = /`([^`\n]+)`/g;
  for (let m = code.exec(line); m; m = code.exec(line)) {
    const start = lineStart + m.index + 1;
    const end = start + (m[1] as string).length;
    if (start <= offset && offset <= end) return plainAt(text, offset, start, end);
  }
  return plainAt(text, offset, lineStart, lineEnd);
}

function markdownAll(text: string, to: number): FoundMatrix[] {
  const out: FoundMatrix[] = [];
  const blocks = fences(text, to);
  let at = 0;
  const prose = (from: number, until: number): void => {
    // Tables, math environments and inline code between fences.
    let lineStart = from;
    while (lineStart < until) {
      const eol = text.indexOf('\n', lineStart);
      const lineEnd = eol < 0 || eol > until ? until : eol;
      const line = text.slice(lineStart, lineEnd);
      if (isTableLine(line)) {
        const table = blockOfLines(text, lineStart, from, until, isTableLine) as { start: number; end: number };
        const tensor = quietlyOrUndefined(() => parseMarkdownTable(text, table.start, table.end));
        if (tensor) out.push(located(table.start, table.end, tensor, 'markdown'));
        lineStart = table.end + 1;
        continue;
      }
      const code = /`([^`\n]+)`/g;
      for (let m = code.exec(line); m; m = code.exec(line)) {
        const start = lineStart + m.index + 1;
        const end = start + (m[1] as string).length;
        out.push(...quietlyOrUndefinedList(() => plainAll(text, start, end)));
      }
      lineStart = lineEnd + 1;
    }
    out.push(...latexAll(text, from, until));
  };
  for (const fence of blocks) {
    prose(at, Math.min(fence.contentStart, to));
    const family = fenceFamily(fence.language);
    const from = fence.contentStart;
    const until = Math.min(fence.contentEnd, to);
    if (family.kind === 'code') out.push(...findAllInCode(codeRegion(text, family.dialect, family.notation, from, until)));
    else if (family.kind === 'latex') out.push(...latexAll(text, from, until));
    else if (family.kind === 'plain') out.push(...plainAll(text, from, until));
    at = fence.end;
  }
  if (at < to) prose(at, to);
  return out.sort((a, b) => a.start - b.start);
}

function quietlyOrUndefinedList(read: () => FoundMatrix[]): FoundMatrix[] {
  return quietlyOrUndefined(read) ?? [];
}

// ---------------------------------------------------------------------------------------------
// Plain text (unknown language)

function plainAt(text: string, offset: number, from: number, to: number): FoundMatrix | undefined {
  const math = latexAt(text, offset, from, to);
  if (math) return math;
  const code = findInCode(codeRegion(text, ANY_BRACKETED, 'python', from, to), offset);
  if (code) return rereadable(text, code);
  return numberRowsAt(text, offset, from, to);
}

/** The notations a literal in text of unknown language may be reported in, in order of preference. */
const PLAIN_NOTATIONS: readonly Notation[] = ['python', 'javascript', 'json'];

/**
 * A literal found in text of unknown language, reported in a notation that reads it back to the
 * same values, or `undefined` when no one language does. The plain-text reader takes every
 * language's names for NaN and infinity at once (`[Infinity]`, `[np.nan]`), but what is reported
 * is a single notation, and writing a literal back parses it again in that notation: `[Infinity]`
 * is JavaScript, not Python; `[inf, Infinity]` is no language's.
 */
function rereadable(text: string, found: FoundMatrix): FoundMatrix | undefined {
  // Without a name or a block comment the Python reading is the plain one: most literals stop here.
  if (found.notation === 'python' && !/[A-Za-z_]|\/\*/.test(text.slice(found.start, found.end))) return found;
  for (const notation of found.notation === 'python' ? PLAIN_NOTATIONS : [found.notation, ...PLAIN_NOTATIONS]) {
    const again = quietlyOrUndefined(() => parseRange(text, found.start, found.end, notation).tensor);
    if (again && sameValues(again, found)) return notation === found.notation ? found : { ...found, notation };
  }
  return undefined;
}

function sameValues(a: { readonly shape: readonly number[]; readonly data: Float64Array }, b: { readonly shape: readonly number[]; readonly data: Float64Array }): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, k) => d !== b.shape[k]) || a.data.length !== b.data.length) return false;
  for (let k = 0; k < a.data.length; k++) if (!Object.is(a.data[k], b.data[k])) return false;
  return true;
}

function plainAll(text: string, from: number, to: number): FoundMatrix[] {
  const latex = latexAll(text, from, to);
  const inLatex = new SortedRanges(latex);
  const out = [...latex];
  for (const m of findAllInCode(codeRegion(text, ANY_BRACKETED, 'python', from, to))) {
    const found = inLatex.covers(m.start) ? undefined : rereadable(text, m);
    if (found) out.push(found);
  }
  out.sort((a, b) => a.start - b.start);
  const inside = new SortedRanges(out);
  const rows: FoundMatrix[] = [];
  // Runs of number rows outside any literal.
  for (let lineStart = from; lineStart < to; ) {
    const lineEnd = lineEndWithin(text, lineStart, to);
    if (!inside.covers(lineStart) && isNumberRow(text.slice(lineStart, lineEnd)) && !/[[\]{}()]/.test(text.slice(lineStart, lineEnd))) {
      const block = quietlyOrUndefined(() => numberRowsAt(text, lineStart, lineStart, to));
      if (block) {
        rows.push(block);
        lineStart = block.end + 1;
        continue;
      }
    }
    lineStart = lineEnd + 1;
  }
  return [...out, ...rows].sort((a, b) => a.start - b.start);
}

/**
 * Ranges sorted by start, asked "does one cover `at`?" for `at` that never decreases: a pointer
 * moves past the ranges that end before `at`, so a document's worth of questions is one pass (a
 * search of every range for every line was quadratic: 3.9 s for 200 KB of `[1]` lines).
 */
class SortedRanges {
  private next = 0;
  constructor(private readonly ranges: readonly { readonly start: number; readonly end: number }[]) {}
  covers(at: number): boolean {
    const ranges = this.ranges;
    while (this.next < ranges.length && (ranges[this.next] as { end: number }).end <= at) this.next++;
    const range = ranges[this.next];
    return range !== undefined && range.start <= at;
  }
}
