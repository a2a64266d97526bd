/**
 * One configurable lexer for the programming languages whose matrices are bracketed code (Python,
 * JavaScript, JSON, MATLAB, Julia, R, Mathematica). Languages differ in comments, strings and number
 * spelling; those differences are data ({@link LexRules}), not separate lexers.
 */
import { lineEndWithin, nextOccurrence } from './textSearch';
import { bracketOf, INTEGER_LITERAL, Op, SPACE_BEFORE, Tok, type Lexer, type TokenKind, type TokenStream } from './tokens';

/**
 * Strings decided before lexing: sorted, disjoint `[start, end)` spans read as strings whole (the
 * triple-quoted strings of broken text, paired again by `tripleQuotes.ts`).
 */
export interface StringSpans {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export interface NumberRules {
  /** `1_000` (Python, JavaScript, Julia). */
  readonly underscores: boolean;
  /** `0x1F`, `0b101`, `0o17` (Python, JavaScript, Julia). */
  readonly radixPrefixes: boolean;
  /** Mathematica's `1.5*^-3`. */
  readonly starCaretExponent: boolean;
  /** Julia's Float32 literals `1.5f0`. */
  readonly fExponent: boolean;
  /** R's integer suffix `5L`. */
  readonly integerSuffixL: boolean;
  /**
   * Literals without a point or exponent are integers (Python, Julia; R's with `L`): `-0` is 0,
   * since an integer has no negative zero, and only `-0.0` is the float negative zero.
   */
  readonly integerTypes: boolean;
  /**
   * A leading zero before other digits: read (MATLAB, Julia, R: `010` is 10), refused in integers
   * (Python: `010` is a syntax error, `010.5` and `00` are not), or refused (JSON; JavaScript, where
   * `010` is a legacy octal literal: 8 in sloppy code, a syntax error in strict code).
   */
  readonly leadingZeros: 'read' | 'refusedInIntegers' | 'refused';
}

export interface LexRules {
  readonly lineComments: readonly string[];
  readonly blockComments: readonly (readonly [string, string])[];
  readonly quotes: string;
  /** `"""…"""` strings (Python, Julia). */
  readonly tripleQuotes: boolean;
  /** Strings escape with a backslash (all but MATLAB, which doubles the quote). */
  readonly backslashEscapes: boolean;
  /** `'` right after a value is the transpose operator (MATLAB, Julia). */
  readonly apostropheTranspose: boolean;
  /** Line breaks are tokens (MATLAB and Julia matrices use them as row separators). */
  readonly newlineTokens: boolean;
  /** `...` continues the line (MATLAB). */
  readonly ellipsisContinuation: boolean;
  /** `**` is the power operator (Python, JavaScript); otherwise `^` is. */
  readonly doubleStarPower: boolean;
  /** `.*`, `./`, `.^` are operators (MATLAB, Julia). */
  readonly dotOperators: boolean;
  /** `%` is the remainder operator (Python, JavaScript, Julia); in MATLAB it starts a comment, in R it opens `%%`, `%in%`…. */
  readonly remainderOperator: boolean;
  /** Indentation is syntax: the first line of a file cannot be indented (Python). */
  readonly significantIndentation: boolean;
  /** Any name glued to a string makes a string macro (`raw"""…"""`, `md"…"`: Julia). */
  readonly stringMacros: boolean;
  readonly numbers: NumberRules;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;

/** `x`, `b` or `o` in either case, after a leading `0` (a character test: this runs for every `0.5`). */
const isRadixLetter = (c: number): boolean => {
  const lower = c | 0x20;
  return lower === 120 || lower === 98 || lower === 111;
};

/** The result of {@link scanNumber}: where the literal ends and its value (`NaN` when malformed). */
export interface ScannedNumber {
  end: number;
  value: number;
  /** An integer literal, in a language with integer types ({@link NumberRules.integerTypes}). */
  integer: boolean;
}

/** Powers of ten that float64 holds exactly (10^0 … 10^22). */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Largest mantissa the fast path accepts: below 2^53 every integer is exact. */
const MAX_EXACT_MANTISSA = 2 ** 53;

/**
 * Scans a number literal starting at `start` into `out` (reused, so a million numbers allocate
 * nothing). Decimal literals with at most 15 digits and a small exponent are converted on the fly:
 * an exact integer mantissa times or divided by an exact power of ten is one correctly rounded
 * operation, the same double `Number()` gives (Clinger's fast path). Others go through `Number()`.
 */
export function scanNumber(text: string, start: number, limit: number, rules: NumberRules, dotOperators: boolean, out: ScannedNumber): void {
  let p = start;
  let c = text.charCodeAt(p);
  let valid = true;
  let fast = true; // plain decimal digits, mantissa and exponent accumulated below
  let mantissa = 0;
  let scale = 0; // power of ten applied to the mantissa
  let underscore = false;
  let fraction = false; // a point or an exponent: a float in every language
  if (rules.radixPrefixes && c === 48 && p + 1 < limit && isRadixLetter(text.charCodeAt(p + 1))) {
    p += 2;
    const digitStart = p;
    while (p < limit && (/[0-9a-fA-F]/.test(text[p] as string) || (rules.underscores && text.charCodeAt(p) === 95))) p++;
    if (p === digitStart) valid = false;
    fast = false;
    underscore = text.slice(start, p).includes('_');
  } else {
    while (p < limit) {
      c = text.charCodeAt(p);
      if (c >= 48 && c <= 57) mantissa = mantissa * 10 + (c - 48);
      else if (c === 95 && rules.underscores) underscore = true;
      else break;
      p++;
    }
    if (c === 46 && p < limit) {
      const next = text.charCodeAt(p + 1);
      const operatorDot = dotOperators && (next === 42 || next === 47 || next === 94 || next === 39);
      if (!operatorDot && next !== 46) {
        fraction = true;
        p++;
        while (p < limit) {
          c = text.charCodeAt(p);
          if (c >= 48 && c <= 57) {
            mantissa = mantissa * 10 + (c - 48);
            scale--;
          } else if (c === 95 && rules.underscores) underscore = true;
          else break;
          p++;
        }
      }
    }
    c = text.charCodeAt(p);
    if (c === 101 || c === 69 || (rules.fExponent && c === 102)) {
      let q = p + 1;
      const sign = text.charCodeAt(q);
      if (sign === 43 || sign === 45) q++;
      if (q < limit && isDigit(text.charCodeAt(q))) {
        let exponent = 0;
        while (q < limit) {
          const d = text.charCodeAt(q);
          if (d >= 48 && d <= 57) exponent = exponent * 10 + (d - 48);
          else if (d === 95 && rules.underscores) underscore = true;
          else break;
          q++;
        }
        scale += sign === 45 ? -exponent : exponent;
        p = q;
        fraction = true;
        if (c === 102) fast = false;
      }
    } else if (rules.starCaretExponent && c === 42 && text.charCodeAt(p + 1) === 94) {
      let q = p + 2;
      if (text.charCodeAt(q) === 45 || text.charCodeAt(q) === 43) q++;
      if (q < limit && isDigit(text.charCodeAt(q))) {
        while (q < limit && isDigit(text.charCodeAt(q))) q++;
        p = q;
        fast = false;
        fraction = true;
      }
    }
  }
  let suffixL = false;
  if (rules.integerSuffixL && text.charCodeAt(p) === 76) {
    p++;
    fast = false;
    suffixL = true;
  }
  out.integer = rules.integerTypes && !fraction && (suffixL || !rules.integerSuffixL);
  if (rules.leadingZeros !== 'read' && text.charCodeAt(start) === 48 && p > start + 1 && !isRadixLetter(text.charCodeAt(start + 1))) {
    // `010`: see NumberRules.leadingZeros. Python allows `00`, `0_0` and a leading zero in a float.
    const digits = text.slice(start, p);
    if (rules.leadingZeros === 'refused' ? isDigit(text.charCodeAt(start + 1)) || text.charCodeAt(start + 1) === 95 : !fraction && /[1-9]/.test(digits)) valid = false;
  }
  // A letter glued to the number (`1j`, `2x`, `1n`) makes the whole thing something else.
  if (p < limit && isIdentPart(text.charCodeAt(p))) {
    valid = false;
    while (p < limit && isIdentPart(text.charCodeAt(p))) p++;
  }
  const end = Math.min(p, limit);
  out.end = end;
  if (!valid) {
    out.value = Number.NaN;
    return;
  }
  if (fast && !underscore && mantissa < MAX_EXACT_MANTISSA && scale >= -22 && scale <= 22) {
    out.value = scale < 0 ? mantissa / (EXACT_POWERS_OF_TEN[-scale] as number) : mantissa * (EXACT_POWERS_OF_TEN[scale] as number);
    return;
  }
  let raw = text.slice(start, end);
  if (underscore) {
    if (/(^_|_$|__|_\.|\._|_[eEfxXbBoO]|[eEf][+-]?_|[+-]_)/.test(raw)) {
      out.value = Number.NaN;
      return;
    }
    raw = raw.replace(/_/g, '');
  }
  if (rules.starCaretExponent) raw = raw.replace('*^', 'e');
  if (rules.fExponent) raw = raw.replace('f', 'e');
  if (rules.integerSuffixL && raw.endsWith('L')) raw = raw.slice(0, -1);
  out.value = Number(raw);
}

/** Tables of the ASCII characters that can start a comment or a string, for a fast first check. */
export interface StartTables {
  readonly comment: Uint8Array;
  readonly quote: Uint8Array;
}

const startTables = new WeakMap<LexRules, StartTables>();

/**
 * The dialect's {@link StartTables}, made once per dialect: a lexer is made for every literal a
 * document scan tries, and building them each time was a fixed cost per literal.
 */
export function startTablesOf(rules: LexRules): StartTables {
  let tables = startTables.get(rules);
  if (!tables) {
    const comment = new Uint8Array(128);
    for (const c of rules.lineComments) comment[c.charCodeAt(0)] = 1;
    for (const [open] of rules.blockComments) comment[open.charCodeAt(0)] = 1;
    const quote = new Uint8Array(128);
    for (const c of rules.quotes) quote[c.charCodeAt(0)] = 1;
    tables = { comment, quote };
    startTables.set(rules, tables);
  }
  return tables;
}

export class CodeLexer implements Lexer {
  private pos: number;
  private previousEndsValue = false;
  private readonly commentStart: Uint8Array;
  private readonly number: ScannedNumber = { end: 0, value: 0, integer: false };
  private readonly quoteTable: Uint8Array;

  /** The next of {@link strings}' spans that does not end before the lexer's position, and its start. */
  private span = 0;
  private spanStart: number;

  /**
   * `strings`: spans decided beforehand to be strings whole (triple-quoted strings paired again in
   * broken text, see `tripleQuotes.ts`); a triple quote outside them is a stray, a string to the
   * end of its line. Without them, a triple-quoted string runs to the next one of its kind.
   */
  constructor(
    private readonly rules: LexRules,
    from: number,
    readonly limit: number,
    private readonly strings?: StringSpans,
  ) {
    this.pos = from;
    this.spanStart = strings && strings.starts.length > 0 ? (strings.starts[0] as number) : Number.POSITIVE_INFINITY;
    const tables = startTablesOf(rules);
    this.commentStart = tables.comment;
    this.quoteTable = tables.quote;
  }

  resumeAfterValueAt(offset: number): void {
    this.pos = offset;
    this.previousEndsValue = true;
  }

  lexNext(stream: TokenStream): void {
    const text = stream.text;
    const rules = this.rules;
    const limit = this.limit;
    let p = this.pos;
    let flags = 0;
    for (;;) {
      if (p >= limit) {
        stream.push(Tok.End, limit, limit, 0, 0, flags);
        this.pos = limit;
        return;
      }
      if (p >= this.spanStart) {
        const end = this.spanEndAt(p);
        if (end > p) {
          stream.push(Tok.String, p, Math.min(end, limit), 0, 0, flags);
          this.pos = Math.min(end, limit);
          this.previousEndsValue = false;
          return;
        }
      }
      const c = text.charCodeAt(p);
      if (isSpace(c)) {
        p++;
        flags = SPACE_BEFORE;
        continue;
      }
      if (c === 10) {
        if (rules.newlineTokens) {
          stream.push(Tok.Newline, p, p + 1, 0, 0, flags);
          this.pos = p + 1;
          this.previousEndsValue = false;
          return;
        }
        p++;
        flags = SPACE_BEFORE;
        continue;
      }
      if (rules.ellipsisContinuation && c === 46 && text.startsWith('...', p)) {
        const eol = lineEndWithin(text, p, limit);
        const end = eol >= limit ? limit : eol + 1;
        if (stream.recordComments) stream.comments.push(p, end);
        p = end;
        flags = SPACE_BEFORE;
        continue;
      }
      if (c < 128 && this.commentStart[c] === 1) {
        const skipped = this.skipComment(text, p);
        if (skipped > p) {
          if (stream.recordComments) stream.comments.push(p, skipped);
          p = skipped;
          flags = SPACE_BEFORE;
          continue;
        }
      }
      break;
    }
    const c = text.charCodeAt(p);
    let kind: TokenKind;
    let end = p + 1;
    let code = 0;
    let value = 0;
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(p + 1)))) {
      scanNumber(text, p, limit, rules.numbers, rules.dotOperators, this.number);
      end = this.number.end;
      value = this.number.value;
      kind = Number.isNaN(value) ? Tok.Invalid : Tok.Number;
      if (this.number.integer && kind === Tok.Number) flags |= INTEGER_LITERAL;
    } else if (isIdentStart(c)) {
      end = this.scanName(text, p);
      kind = Tok.Name;
    } else if (c === 39 && rules.apostropheTranspose && this.previousEndsValue && flags === 0) {
      kind = Tok.Transpose;
    } else if (c < 128 && this.quoteTable[c] === 1) {
      end = this.scanString(text, p);
      kind = Tok.String;
    } else {
      const bracket = bracketOf(c);
      if (bracket !== 0) {
        kind = c === 40 || c === 91 || c === 123 ? Tok.Open : Tok.Close;
        code = bracket;
      } else {
        kind = Tok.Operator;
        const next = text.charCodeAt(p + 1);
        switch (c) {
          case 44:
            kind = Tok.Comma;
            break;
          case 59:
            kind = Tok.Semicolon;
            break;
          case 58:
            kind = Tok.Colon;
            break;
          case 61:
            if (next === 61) {
              end = p + 2;
              code = Op.Unsupported;
            } else kind = Tok.Equals;
            break;
          case 43:
            code = Op.Plus;
            break;
          case 45:
          case 0x2212:
            code = Op.Minus;
            break;
          case 42:
            if (next === 42 && rules.doubleStarPower) {
              end = p + 2;
              code = Op.Power;
            } else code = Op.Times;
            break;
          case 47:
            if (next === 47) {
              end = p + 2;
              code = Op.Unsupported;
            } else code = Op.Divide;
            break;
          case 94:
            code = rules.doubleStarPower ? Op.Unsupported : Op.Power;
            break;
          case 37:
            if (rules.remainderOperator) code = Op.Remainder;
            else kind = Tok.Invalid;
            break;
          case 46:
            if (rules.dotOperators && (next === 42 || next === 47 || next === 94)) {
              end = p + 2;
              code = next === 42 ? Op.Times : next === 47 ? Op.Divide : Op.Power;
            } else if (rules.dotOperators && next === 39) {
              end = p + 2;
              kind = Tok.Transpose;
            } else code = Op.Unsupported;
            break;
          default:
            kind = Tok.Invalid;
        }
      }
    }
    if (end > limit) end = limit;
    stream.push(kind, p, end, code, value, flags);
    this.pos = end;
    this.previousEndsValue =
      kind === Tok.Number || kind === Tok.Name || kind === Tok.Transpose || kind === Tok.Close;
  }

  /** Returns the end of the comment starting at `p`, or `p` when none starts there. */
  private skipComment(text: string, p: number): number {
    for (const [open, close] of this.rules.blockComments) {
      if (text.startsWith(open, p)) {
        const end = nextOccurrence(text, close, p + open.length);
        // A block comment never closed (`/*` just typed) is a comment to the end of its line only,
        // so it does not hide the rest of the file.
        return end < 0 || end + close.length > this.limit ? lineEndWithin(text, p, this.limit) : end + close.length;
      }
    }
    for (const line of this.rules.lineComments) {
      if (text.startsWith(line, p)) return lineEndWithin(text, p, this.limit);
    }
    return p;
  }

  /** A name, with dotted parts (`np.nan`, `torch.float64`, `NA_real_`). */
  private scanName(text: string, p: number): number {
    let q = p + 1;
    const limit = this.limit;
    for (;;) {
      while (q < limit && isIdentPart(text.charCodeAt(q))) q++;
      if (q + 1 < limit && text.charCodeAt(q) === 46 && isIdentStart(text.charCodeAt(q + 1))) {
        q += 2;
        continue;
      }
      return q;
    }
  }

  /**
   * The end of the span of {@link strings} holding `p`, or `p` when none does (moving on past the
   * spans that end before: the lexer only goes forward).
   */
  private spanEndAt(p: number): number {
    const { starts, ends } = this.strings as StringSpans;
    while (this.span < ends.length && (ends[this.span] as number) <= p) this.span++;
    this.spanStart = this.span < starts.length ? (starts[this.span] as number) : Number.POSITIVE_INFINITY;
    return this.spanStart <= p ? (ends[this.span] as number) : p;
  }

  /**
   * A string literal; an unterminated one ends at the line break. A triple-quoted one runs to the
   * next triple quote of its kind, or to the end when there is none (unless the text's strings
   * were decided beforehand: then a triple quote met here is a stray, ended at its line).
   */
  private scanString(text: string, p: number): number {
    const quote = text[p] as string;
    const limit = this.limit;
    if (this.rules.tripleQuotes && text.startsWith(quote + quote + quote, p)) {
      if (this.strings) return lineEndWithin(text, p + 3, limit);
      const close = text.indexOf(quote + quote + quote, p + 3);
      return close < 0 || close + 3 > limit ? limit : close + 3;
    }
    let q = p + 1;
    while (q < limit) {
      const c = text[q];
      if (c === '\n') return q;
      if (c === '\\' && this.rules.backslashEscapes) {
        q += 2;
        continue;
      }
      if (c === quote) {
        if (!this.rules.backslashEscapes && text[q + 1] === quote) {
          q += 2;
          continue;
        }
        return q + 1;
      }
      q++;
    }
    return limit;
  }
}
