/**
 * LaTeX matrix environments: `bmatrix`, `pmatrix`, `vmatrix`, `Bmatrix`, `Vmatrix`, `matrix`,
 * `smallmatrix` (and their starred forms) and `array`. Cells are separated by `&`, rows by `\\`.
 * Cells hold numbers and literal arithmetic in LaTeX spelling: `-\frac{1}{16}`, `2^{-3}`,
 * `1.5 \times 10^{-7}`, `\infty`, `\mathrm{NaN}`. Always 2-D: a column is `[n, 1]`.
 */
import type { Tensor } from '../engine/tensor';
import type { Dialect } from './dialects';
import { JSON_DIALECT } from './dialects';
import { ParseError, quote } from './errors';
import { evaluateScalar } from './expression';
import { readPlainLatexCells } from './plainGrid';
import { GridBuilder } from './shape';
import { lineEndWithin } from './textSearch';
import { Bracket, Op, Tok, TokenStream, type Lexer } from './tokens';

/** The environments read as matrices. */
export const LATEX_ENVIRONMENTS = ['bmatrix', 'pmatrix', 'vmatrix', 'Bmatrix', 'Vmatrix', 'matrix', 'smallmatrix', 'array'];
const ENVIRONMENT = /\\begin\s*\{\s*((?:[bpvBV]?matrix|smallmatrix|array)\*?)\s*\}/g;

const LATEX: Dialect = {
  ...JSON_DIALECT,
  // Math, not JSON: `01` is 1.
  rules: { ...JSON_DIALECT.rules, numbers: { ...JSON_DIALECT.rules.numbers, leadingZeros: 'read' } },
  constants: new Map<string, number>([
    ['\\infty', Number.POSITIVE_INFINITY],
    ['\\infin', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
    ['nan', Number.NaN],
  ]),
};

/** Commands that only space or decorate, skipped with no argument. */
const IGNORED = new Set(['\\,', '\\;', '\\:', '\\!', '\\ ', '\\quad', '\\qquad', '\\hline', '\\midrule', '\\toprule', '\\bottomrule', '\\displaystyle', '\\textstyle', '\\left', '\\right', '\\big', '\\Big', '\\phantom', '\\hphantom', '\\vphantom', '\\cline', '\\hdashline', '\\mathbf', '\\mathrm', '\\boldsymbol', '\\bm', '\\text', '\\textbf', '\\textrm', '\\mathit', '\\operatorname']);
/** Commands whose braced argument is dropped entirely. */
const DROPS_ARGUMENT = new Set(['\\phantom', '\\hphantom', '\\vphantom', '\\cline']);
const FRACTIONS = new Set(['\\frac', '\\dfrac', '\\tfrac', '\\cfrac']);
const SCIENTIFIC = /\s*\\(?:times|cdot)\s*10\s*\^\s*(?:\{\s*([+-]?\d+)\s*\}|([+-]?\d))/y;
const NAN_WORD = /\\(?:mathrm|text|textrm|operatorname)\s*\{\s*(NaN|nan|NA)\s*\}/y;

/** What {@link LatexLexer}'s step returns when it consumed text without emitting a token. */
const SKIPPED = 'skipped';

/** Lexes cell content: numbers, operators, groups; `&` as a comma and `\\` as a semicolon. */
class LatexLexer implements Lexer {
  private pos: number;
  /** For each open `{`: what its `}` emits (`)` for groups, `)` then `/` for a fraction's numerator). */
  private readonly braces: ('group' | 'numerator' | 'denominator' | 'drop')[] = [];
  private fractionPending = 0;
  /** The next `{` opens an argument to drop (`\phantom{-}`). */
  private dropArgument = false;

  constructor(
    from: number,
    readonly limit: number,
  ) {
    this.pos = from;
  }

  resumeAfterValueAt(offset: number): void {
    this.pos = offset;
  }

  lexNext(s: TokenStream): void {
    // A loop, not recursion, over what emits nothing (`\,`, `\phantom{…}`): a cell may hold thousands.
    while (this.lexOne(s) === SKIPPED);
  }

  /** Lexes one token (or a few), or skips one ignored command and says so. */
  private lexOne(s: TokenStream): typeof SKIPPED | undefined {
    const text = s.text;
    let p = this.pos;
    let flags = 0;
    for (;;) {
      if (p >= this.limit) {
        s.push(Tok.End, this.limit, this.limit, 0, 0, flags);
        return;
      }
      const c = text[p] as string;
      if (c === '%') {
        p = lineEndWithin(text, p, this.limit);
        flags = 1;
        continue;
      }
      if (/\s|~/.test(c)) {
        p++;
        flags = 1;
        continue;
      }
      break;
    }
    const c = text[p] as string;
    const emit = (kind: (typeof Tok)[keyof typeof Tok], end: number, code = 0, value = 0): undefined => {
      s.push(kind, p, end, code, value, flags);
      this.pos = end;
      return undefined;
    };
    if (this.fractionPending > 0 && c !== '{' && c >= '0' && c <= '9') {
      // TeX takes an unbraced argument as one character: `\frac12` is ½, `\frac1{16}` is 1/16.
      const numerator = this.fractionPending === 2;
      this.fractionPending--;
      s.push(Tok.Number, p, p + 1, 0, Number(c), flags);
      if (numerator) s.push(Tok.Operator, p + 1, p + 1, Op.Divide);
      else s.push(Tok.Close, p + 1, p + 1, Bracket.Paren);
      this.pos = p + 1;
      return;
    }
    if (/[0-9.]/.test(c)) {
      const match = /\d*\.?\d*(?:[eE][+-]?\d+)?/y;
      match.lastIndex = p;
      const m = match.exec(text) as RegExpExecArray;
      let end = p + m[0].length;
      let source = m[0];
      SCIENTIFIC.lastIndex = end;
      const sci = SCIENTIFIC.exec(text);
      if (sci && SCIENTIFIC.lastIndex <= this.limit) {
        source += `e${sci[1] ?? sci[2]}`;
        end = SCIENTIFIC.lastIndex;
      }
      const value = Number(source);
      emit(Number.isNaN(value) || m[0] === '.' ? Tok.Invalid : Tok.Number, end, 0, value);
      return;
    }
    if (c === '\\') {
      NAN_WORD.lastIndex = p;
      const nan = NAN_WORD.exec(text);
      if (nan && NAN_WORD.lastIndex <= this.limit) {
        s.push(Tok.Number, p, NAN_WORD.lastIndex, 0, Number.NaN, flags);
        this.pos = NAN_WORD.lastIndex;
        return;
      }
      if (text[p + 1] === '\\') {
        // A row break, with an optional spacing argument `\\[2pt]`.
        let end = p + 2;
        const spacing = /\s*\[[^\]]*\]/y;
        spacing.lastIndex = end;
        if (spacing.exec(text) && spacing.lastIndex <= this.limit) end = spacing.lastIndex;
        emit(Tok.Semicolon, end);
        return;
      }
      const command = /\\(?:[a-zA-Z]+|[\s\S])?/y;
      command.lastIndex = p;
      const name = (command.exec(text) as RegExpExecArray)[0];
      const end = p + name.length;
      if (name === '\\cr') return emit(Tok.Semicolon, end);
      if (name === '\\times' || name === '\\cdot') return emit(Tok.Operator, end, Op.Times);
      if (name === '\\div') return emit(Tok.Operator, end, Op.Divide);
      if (name === '\\pm' || name === '\\mp') return emit(Tok.Operator, end, Op.Unsupported);
      if (FRACTIONS.has(name)) {
        this.fractionPending = 2;
        return emit(Tok.Open, end, Bracket.Paren);
      }
      if (IGNORED.has(name)) {
        this.pos = end;
        if (DROPS_ARGUMENT.has(name)) this.dropArgument = true;
        return SKIPPED;
      }
      return emit(Tok.Name, end);
    }
    if (c === '{') {
      if (this.dropArgument) {
        this.dropArgument = false;
        const close = this.matchingBrace(text, p);
        this.pos = close;
        return SKIPPED;
      }
      if (this.fractionPending > 0) {
        this.braces.push(this.fractionPending === 2 ? 'numerator' : 'denominator');
        this.fractionPending--;
      } else this.braces.push('group');
      return emit(Tok.Open, p + 1, Bracket.Paren);
    }
    if (c === '}') {
      const role = this.braces.pop();
      if (role === 'numerator') {
        s.push(Tok.Close, p, p + 1, Bracket.Paren, 0, flags);
        s.push(Tok.Operator, p + 1, p + 1, Op.Divide);
        this.pos = p + 1;
        return;
      }
      if (role === 'denominator') {
        s.push(Tok.Close, p, p + 1, Bracket.Paren, 0, flags);
        s.push(Tok.Close, p + 1, p + 1, Bracket.Paren);
        this.pos = p + 1;
        return;
      }
      return emit(Tok.Close, p + 1, Bracket.Paren);
    }
    if (c === '&') return emit(Tok.Comma, p + 1);
    if (c === '(' || c === '[') return emit(Tok.Open, p + 1, Bracket.Paren);
    if (c === ')' || c === ']') return emit(Tok.Close, p + 1, Bracket.Paren);
    if (c === '+') return emit(Tok.Operator, p + 1, Op.Plus);
    if (c === '-' || c === '\u2212') return emit(Tok.Operator, p + 1, Op.Minus);
    if (c === '*') return emit(Tok.Operator, p + 1, Op.Times);
    if (c === '/') return emit(Tok.Operator, p + 1, Op.Divide);
    if (c === '^') return emit(Tok.Operator, p + 1, Op.Power);
    if (/[A-Za-z]/.test(c)) {
      const word = /[A-Za-z]+/y;
      word.lastIndex = p;
      return emit(Tok.Name, p + (word.exec(text) as RegExpExecArray)[0].length);
    }
    return emit(Tok.Invalid, p + 1);
  }

  private matchingBrace(text: string, p: number): number {
    let depth = 0;
    for (let q = p; q < this.limit; q++) {
      if (text[q] === '{') depth++;
      else if (text[q] === '}' && --depth === 0) return q + 1;
    }
    return this.limit;
  }
}

/** The matrix environment at `offset` in `text`, as character ranges. */
export interface LatexEnvironment {
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
}

/**
 * Finds the first environment starting at or after `from` (and ending by `to`). The search reads
 * no further than `to`: callers that walk a document region by region (Markdown prose between
 * fences, inline code spans) would otherwise rescan the rest of the document at every step.
 */
export function nextEnvironment(text: string, from: number, to = text.length): LatexEnvironment | undefined {
  // A prefix of the text (V8 slices share the parent's characters), so the patterns stop at `to`; offsets are unchanged.
  if (to < text.length) return nextEnvironment(text.slice(0, to), from, to);
  ENVIRONMENT.lastIndex = from;
  for (;;) {
    const begin = ENVIRONMENT.exec(text);
    if (!begin || begin.index >= to) return undefined;
    const name = begin[1] as string;
    let contentStart = begin.index + begin[0].length;
    // `array` takes a column specification `{cc|c}`; `bmatrix*` an alignment `[r]`.
    const spec = /\s*(?:\[[^\]]*\])?\s*(?:\{[^}]*\})?/y;
    if (name.startsWith('array') || name.endsWith('*')) {
      spec.lastIndex = contentStart;
      if (spec.exec(text)) contentStart = spec.lastIndex;
    }
    const endPattern = new RegExp(`\\\\end\\s*\\{\\s*${name.replace('*', '\\*')}\\s*\\}`, 'g');
    endPattern.lastIndex = contentStart;
    const end = endPattern.exec(text);
    if (!end || end.index + end[0].length > to) return undefined;
    return { start: begin.index, end: end.index + end[0].length, contentStart, contentEnd: end.index };
  }
}

/** Reads `1 & 2 \\ 3 & 4` between `from` and `to`. */
export function parseLatexCells(text: string, from: number, to: number): Tensor {
  return readPlainLatexCells(text, from, to) ?? parseLatexCellTokens(text, from, to);
}

/** {@link parseLatexCells} for any content: commands, fractions, arithmetic, comments. */
export function parseLatexCellTokens(text: string, from: number, to: number): Tensor {
  const s = new TokenStream(text, new LatexLexer(from, to));
  const grid = new GridBuilder();
  let j = 0;
  let rowStart = s.start(0);
  let expectCell = true;
  for (;;) {
    const kind = s.kind(j);
    if (kind === Tok.Comma || kind === Tok.Semicolon || kind === Tok.End) {
      if (expectCell && (kind === Tok.Comma || grid.valuesInRow > 0)) throw new ParseError('an empty cell', { start: s.start(j), end: s.end(j) }, 'syntax');
      if (kind !== Tok.Comma && grid.valuesInRow > 0) grid.endRow({ start: rowStart, end: s.end(j - 1) });
      if (kind === Tok.End) return grid.finish({ start: from, end: to });
      expectCell = true;
      j++;
      if (kind === Tok.Semicolon) rowStart = s.start(j);
      continue;
    }
    if (!expectCell) throw new ParseError(`unexpected ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, kind === Tok.Name ? 'not-a-number' : 'syntax');
    if (grid.valuesInRow === 0) rowStart = s.start(j);
    const cellStart = s.start(j);
    const { value, next } = evaluateScalar(s, j, LATEX);
    grid.value(value, { start: cellStart, end: s.end(next - 1) });
    j = next;
    expectCell = false;
  }
}

/** Parses text that is one LaTeX matrix environment, or the inside of one. */
export function parseLatex(text: string, from = 0, to = text.length): { tensor: Tensor; start: number; end: number } {
  const environment = nextEnvironment(text, from, to);
  if (environment) {
    const before = text.slice(from, environment.start).trim();
    const after = text.slice(environment.end, to).trim();
    const outside = /^(?:\\\[|\$\$?|\\\()?\s*(?:[A-Za-z][\w{}^]*\s*=)?$/;
    if (!outside.test(before) || !/^(?:\\\]|\$\$?|\\\)|[.,;])?$/.test(after)) {
      const at = !outside.test(before) ? { start: from, end: environment.start } : { start: environment.end, end: to };
      throw new ParseError('text around the matrix environment', at, 'syntax');
    }
    return { tensor: parseLatexCells(text, environment.contentStart, environment.contentEnd), start: environment.start, end: environment.end };
  }
  if (/\\begin\s*\{/.test(text.slice(from, to))) {
    const index = text.indexOf('\\begin', from);
    throw new ParseError('this environment is not a matrix, or is never ended', { start: index, end: index + 6 }, 'syntax');
  }
  return { tensor: parseLatexCells(text, from, to), start: from, end: to };
}
