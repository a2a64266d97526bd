/**
 * A lazily filled list of tokens, kept as parallel typed arrays so that a 1000×1000 literal (two
 * million tokens) costs no object per token. Parsers index into it and may look ahead freely; the
 * lexer behind it runs only as far as a parser actually looks, so finding a literal in a large file
 * reads just the literal.
 */

/** The kinds of token every lexer produces. */
export const Tok = {
  End: 0,
  Number: 1,
  Name: 2,
  String: 3,
  Open: 4,
  Close: 5,
  Comma: 6,
  Semicolon: 7,
  Newline: 8,
  Operator: 9,
  Equals: 10,
  Colon: 11,
  Transpose: 12,
  Invalid: 13,
} as const;
export type TokenKind = (typeof Tok)[keyof typeof Tok];

/** Operator codes (the `code` of an `Operator` token). */
export const Op = { Plus: 1, Minus: 2, Times: 3, Divide: 4, Power: 5, Unsupported: 6, Remainder: 7 } as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/** Bracket codes (the `code` of an `Open` or `Close` token). */
export const Bracket = { Paren: 1, Square: 2, Curly: 3 } as const;
export type BracketCode = (typeof Bracket)[keyof typeof Bracket];

/** Token flag: whitespace, a comment or a line continuation comes right before the token. */
export const SPACE_BEFORE = 1;
/** Token flag: a number literal of an integer type (Python's and Julia's `0`, R's `0L`), which has no negative zero. */
export const INTEGER_LITERAL = 2;

/** Produces tokens into a stream, one or more per call; pushes `End` once the text is exhausted. */
export interface Lexer {
  /** Where the lexer's text ends (exclusive). */
  readonly limit: number;
  lexNext(stream: TokenStream): void;
  /** Continues lexing at `offset`, right after a value (a closing bracket). */
  resumeAfterValueAt(offset: number): void;
}

export class TokenStream {
  private kinds: Uint8Array;
  private codes: Uint8Array;
  private flagBits: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private values: Float64Array;
  private length = 0;
  private finished = false;
  /** Comment spans `[start, end)` seen so far, when the stream was asked to record them. */
  readonly comments: number[] = [];
  /**
   * The bracket matcher's state: one forward pass over the tokens with a stack of open brackets
   * (kinds of bracket are not told apart, as the readers' depth counts do not), filled as far as a
   * question needs. Each token is passed once whatever is asked, so asking for the closer of every
   * bracket of `((((…` is linear, not quadratic.
   */
  private matched = new Int32Array(0);
  private commaInside = new Uint8Array(0);
  private matchScan = 0;
  private readonly matchStack: number[] = [];

  /** `capacityHint`: how many tokens to make room for at first (the arrays grow as needed). */
  constructor(
    readonly text: string,
    private readonly lexer: Lexer,
    readonly recordComments = false,
    capacityHint = 16,
  ) {
    const n = Math.max(16, Math.min(capacityHint, 1 << 22));
    this.kinds = new Uint8Array(n);
    this.codes = new Uint8Array(n);
    this.flagBits = new Uint8Array(n);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.values = new Float64Array(n);
  }

  /** Appends a token (lexers call this). */
  push(kind: TokenKind, start: number, end: number, code = 0, value = 0, flags = 0): void {
    if (this.length === this.kinds.length) this.grow();
    const i = this.length++;
    this.kinds[i] = kind;
    this.codes[i] = code;
    this.flagBits[i] = flags;
    this.starts[i] = start;
    this.ends[i] = end;
    this.values[i] = value;
    if (kind === Tok.End) this.finished = true;
  }

  /** Where the text the stream lexes ends (exclusive). */
  get limit(): number {
    return this.lexer.limit;
  }

  /**
   * Jumps over a list that a reader has read straight from the text: token `open` is its `[`, and
   * `end` is just past its `]`. Tokens lexed after `open` are dropped; one `]` token stands for the
   * list's inside and its close, and lexing resumes at `end`. Returns the index after that `]`.
   * Parsers see the same tokens around the list as before, without two million in between.
   */
  skipList(open: number, end: number): number {
    if (this.matchScan > open) this.resetMatcher();
    this.length = open + 1;
    this.finished = false;
    const comments = this.comments;
    while (comments.length > 0 && (comments[comments.length - 2] as number) >= end) comments.length -= 2;
    this.push(Tok.Close, end - 1, end, Bracket.Square);
    this.lexer.resumeAfterValueAt(end);
    return open + 2;
  }

  /** Number of tokens lexed so far. */
  get count(): number {
    return this.length;
  }

  /** The kind of token `i`, lexing up to it if needed (`End` at and past the end). */
  kind(i: number): TokenKind {
    if (i < this.length) return this.kinds[i] as TokenKind;
    while (i >= this.length && !this.finished) this.lexer.lexNext(this);
    if (i < this.length) return this.kinds[i] as TokenKind;
    return Tok.End;
  }

  /** Index of token `i`, or of the `End` token when asked past it. */
  private clamp(i: number): number {
    if (i < this.length) return i;
    this.kind(i);
    return Math.min(i, this.length - 1);
  }

  code(i: number): number {
    return this.codes[this.clamp(i)] as number;
  }
  flags(i: number): number {
    return this.flagBits[this.clamp(i)] as number;
  }
  start(i: number): number {
    return this.starts[this.clamp(i)] as number;
  }
  end(i: number): number {
    return this.ends[this.clamp(i)] as number;
  }
  value(i: number): number {
    return this.values[this.clamp(i)] as number;
  }
  spaceBefore(i: number): boolean {
    return (this.flags(i) & SPACE_BEFORE) !== 0;
  }
  /** True when token `i` is an integer literal of a language with integer types (see {@link INTEGER_LITERAL}). */
  isIntegerLiteral(i: number): boolean {
    return (this.flags(i) & INTEGER_LITERAL) !== 0;
  }
  source(i: number): string {
    return this.text.slice(this.start(i), this.end(i));
  }
  /** True when token `i` is the given operator. */
  isOp(i: number, op: OpCode): boolean {
    return this.kind(i) === Tok.Operator && this.code(i) === op;
  }
  isOpen(i: number, bracket: BracketCode): boolean {
    return this.kind(i) === Tok.Open && this.code(i) === bracket;
  }
  isClose(i: number, bracket: BracketCode): boolean {
    return this.kind(i) === Tok.Close && this.code(i) === bracket;
  }

  /**
   * Index of the token closing the bracket at `open` (the first `Close` at which the depth counted
   * from `open` returns to zero), or -1 when it is never closed or `open` opens nothing.
   */
  closeOf(open: number): number {
    if (this.kind(open) !== Tok.Open) return -1;
    this.matchUntil(open);
    return this.matched[open] as number;
  }

  /** True when a comma stands directly inside the bracket at `open` (not inside a nested one). */
  hasCommaInside(open: number): boolean {
    return this.closeOf(open) >= 0 && this.commaInside[open] === 1;
  }

  /** Runs the matcher until the bracket at `open` is closed or the stream ends. */
  private matchUntil(open: number): void {
    if (open < this.matchScan && (this.matched[open] as number) !== -2) return;
    const stack = this.matchStack;
    for (let j = this.matchScan; ; j++) {
      const kind = this.kind(j);
      if (j >= this.matched.length) this.growMatcher(j + 1);
      this.matched[j] = -1;
      this.matchScan = j + 1;
      if (kind === Tok.End) {
        // Whatever is still open is never closed.
        for (const k of stack) this.matched[k] = -1;
        stack.length = 0;
        return;
      }
      if (kind === Tok.Open) {
        this.matched[j] = -2; // open, not closed yet
        this.commaInside[j] = 0;
        stack.push(j);
      } else if (kind === Tok.Close) {
        const top = stack.pop();
        if (top !== undefined) this.matched[top] = j;
        if (top === open) return;
      } else if (kind === Tok.Comma && stack.length > 0) this.commaInside[stack[stack.length - 1] as number] = 1;
    }
  }

  private growMatcher(atLeast: number): void {
    const n = Math.max(atLeast, this.matched.length * 2, 64);
    const matched = new Int32Array(n);
    matched.set(this.matched);
    this.matched = matched;
    const commas = new Uint8Array(n);
    commas.set(this.commaInside);
    this.commaInside = commas;
  }

  private resetMatcher(): void {
    this.matchScan = 0;
    this.matchStack.length = 0;
  }

  /** True when `offset` lies strictly inside a comment recorded so far. */
  inComment(offset: number): boolean {
    const spans = this.comments;
    for (let k = spans.length - 2; k >= 0; k -= 2) {
      const start = spans[k] as number;
      const end = spans[k + 1] as number;
      if (offset > start && offset <= end) return true;
      if (end < offset) return false;
    }
    return false;
  }

  private grow(): void {
    const n = this.kinds.length * 2;
    const kinds = new Uint8Array(n);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const codes = new Uint8Array(n);
    codes.set(this.codes);
    this.codes = codes;
    const flagBits = new Uint8Array(n);
    flagBits.set(this.flagBits);
    this.flagBits = flagBits;
    const starts = new Int32Array(n);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(n);
    ends.set(this.ends);
    this.ends = ends;
    const values = new Float64Array(n);
    values.set(this.values);
    this.values = values;
  }
}

/** The bracket a character opens or closes, or 0. */
export function bracketOf(char: number): BracketCode | 0 {
  switch (char) {
    case 40:
    case 41:
      return Bracket.Paren;
    case 91:
    case 93:
      return Bracket.Square;
    case 123:
    case 125:
      return Bracket.Curly;
    default:
      return 0;
  }
}

export function closerText(bracket: number): string {
  return bracket === Bracket.Paren ? ')' : bracket === Bracket.Square ? ']' : '}';
}
