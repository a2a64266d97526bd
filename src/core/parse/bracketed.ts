/**
 * Nested list literals: Python lists and tuples, JSON and JavaScript arrays, Mathematica braces.
 * An explicit stack of open brackets replaces recursion; the shape builder caps the depth at 4.
 */
import type { Tensor } from '../engine/tensor';
import type { Dialect } from './dialects';
import { ParseError, quote } from './errors';
import { evaluateScalar } from './expression';
import { PARSE_MAX_NESTING } from './limits';
import { scanPlainNested } from './plainGrid';
import { NestedShapeBuilder } from './shape';
import { Bracket, closerText, Op, Tok, type TokenStream } from './tokens';

/** What an open bracket on the stack is: a list level, or parentheses around a single list. */
const Frame = { List: 0, Group: 1, Implicit: 2 } as const;

export interface ParsedList {
  readonly tensor: Tensor;
  /** Token index after the closing bracket. */
  readonly next: number;
  /** Character offsets of the literal, brackets included. */
  readonly start: number;
  readonly end: number;
}

function listBracket(dialect: Dialect): number {
  return dialect.listOpen === '{' ? Bracket.Curly : Bracket.Square;
}

/** True when token `i` opens a list literal in this dialect (a tuple counts in Python). */
export function opensList(s: TokenStream, i: number, dialect: Dialect): boolean {
  return s.kind(i) === Tok.Open && (s.code(i) === listBracket(dialect) || (dialect.tuples && s.code(i) === Bracket.Paren));
}

/**
 * Looks inside the parenthesis at `i`: is it a tuple (a comma directly inside), a group around one
 * bracketed element (`([1, 2])`, `(((1, 2)))`), or arithmetic (`(1 + 2)`, `((1))`)? One linear scan,
 * whatever the nesting.
 */
export function classifyParen(s: TokenStream, i: number): 'tuple' | 'group' | 'arithmetic' {
  // Each parenthesis of the chain opened back to back at i, i+1, … may wrap exactly the next; the
  // stream's bracket matcher answers "where does it close" and "has it a comma" in constant time,
  // so a chain of any length (and every candidate in it) costs one pass over the tokens in all.
  for (let p = i; ; p++) {
    const close = s.closeOf(p);
    if (close < 0) return 'arithmetic'; // unclosed: the expression reader reports it
    if (s.hasCommaInside(p)) return p === i ? 'tuple' : 'group';
    const inner = p + 1;
    if (s.kind(inner) !== Tok.Open || s.closeOf(inner) !== close - 1) return 'arithmetic';
    if (s.code(inner) !== Bracket.Paren) return 'group';
  }
}

/**
 * Parses the list literal opening at token `first`. With `implicit`, the list has no brackets of its
 * own and runs to the end of the stream (`[1, 2], [3, 4]`, a Python tuple without parentheses).
 */
/**
 * {@link parseNestedList} for a list at token `first`, read straight from the text when it is a
 * plain list of numbers, so that parsing a call around a large literal does not lex every number.
 * The stream then skips over the list ({@link TokenStream.skipList}): use it only where the stream
 * is read forward, never where another reader comes back over the list's tokens.
 */
export function readNestedList(s: TokenStream, first: number, dialect: Dialect): ParsedList {
  if (dialect.listOpen === '[' && s.isOpen(first, Bracket.Square)) {
    const plain = scanPlainNested(s.text, s.start(first), s.limit, dialect.rules.numbers);
    if (plain) return { tensor: plain.tensor, start: plain.start, end: plain.end, next: s.skipList(first, plain.end) };
  }
  return parseNestedList(s, first, dialect);
}

export function parseNestedList(s: TokenStream, first: number, dialect: Dialect, implicit = false): ParsedList {
  const builder = new NestedShapeBuilder();
  const list = listBracket(dialect);
  // The stack of open brackets: frame kind, closing bracket, token index of the opener, children seen.
  const kinds: number[] = [];
  const closers: number[] = [];
  const openers: number[] = [];
  const children: number[] = [];
  let j = first;
  const start = s.start(first);
  if (implicit) {
    builder.open({ start, end: start });
    kinds.push(Frame.Implicit);
    closers.push(-1);
    openers.push(first);
    children.push(0);
  }
  let expectElement = true;
  for (;;) {
    const kind = s.kind(j);
    const top = kinds.length - 1;
    if (expectElement && kind !== Tok.Close && !(kind === Tok.End && top >= 0 && kinds[top] === Frame.Implicit)) {
      if (top >= 0) children[top] = (children[top] as number) + 1;
      if (kind === Tok.Open) {
        const code = s.code(j);
        const shape = code === list ? 'tuple' : code === Bracket.Paren && dialect.tuples ? classifyParen(s, j) : 'arithmetic';
        if (shape !== 'arithmetic') {
          if (kinds.length >= PARSE_MAX_NESTING) {
            throw new ParseError(`brackets nested more than ${PARSE_MAX_NESTING} deep`, { start: s.start(j), end: s.end(j) }, 'size');
          }
          const open = j;
          if (shape === 'tuple') builder.open({ start: s.start(j), end: s.end(j) }, () => ({ start: s.start(open), end: s.end(closingIndex(s, open)) }));
          kinds.push(shape === 'tuple' ? Frame.List : Frame.Group);
          closers.push(code);
          openers.push(j);
          children.push(0);
          j++;
          continue;
        }
        if (kinds.length === 0) throw new ParseError(`expected a list, found ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, 'syntax');
      } else if (kinds.length === 0) {
        throw new ParseError(`expected a list, found ${kind === Tok.End ? 'nothing' : quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, kind === Tok.End ? 'empty' : 'syntax');
      }
      // A scalar element; most are a lone number, read without the expression machinery.
      const elementStart = s.start(j);
      let value: number;
      const after = s.kind(j + 1);
      if (kind === Tok.Number && (after === Tok.Comma || after === Tok.Close)) {
        value = s.value(j);
        j++;
      } else if (kind === Tok.Operator && s.code(j) === Op.Minus && after === Tok.Number && (s.kind(j + 2) === Tok.Comma || s.kind(j + 2) === Tok.Close)) {
        // An integer zero has no sign: Python's `-0` is 0 (only `-0.0` is the float negative zero).
        value = s.isIntegerLiteral(j + 1) ? -s.value(j + 1) + 0 : -s.value(j + 1);
        j += 2;
      } else {
        const scalar = evaluateScalar(s, j, dialect);
        value = scalar.value;
        j = scalar.next;
      }
      builder.value(value, elementStart, s.end(j - 1));
      expectElement = false;
      continue;
    }
    if (kind === Tok.Comma && top >= 0) {
      if (expectElement) throw new ParseError('two commas in a row', { start: s.start(j), end: s.end(j) }, 'syntax');
      expectElement = true;
      j++;
      continue;
    }
    const frame = kinds[top];
    if (kind === Tok.Close && frame !== undefined && frame !== Frame.Implicit) {
      if (s.code(j) !== closers[top]) {
        throw new ParseError(`${quote(s.source(j))} does not match the ${quote(s.source(openers[top] as number))} it closes`, { start: s.start(j), end: s.end(j) }, 'syntax');
      }
      if (expectElement && (children[top] as number) > 0 && frame === Frame.Group) {
        throw new ParseError('a trailing comma makes this a tuple', { start: s.start(j), end: s.end(j) }, 'syntax');
      }
      const listRange = { start: s.start(openers[top] as number), end: s.end(j) };
      if (frame === Frame.List) builder.close(listRange);
      else if (children[top] !== 1) throw new ParseError('empty parentheses', listRange, 'empty');
      kinds.pop();
      closers.pop();
      openers.pop();
      children.pop();
      j++;
      expectElement = false;
      if (kinds.length === 0) return { tensor: builder.finish(), next: j, start, end: s.end(j - 1) };
      continue;
    }
    if (kind === Tok.End && frame === Frame.Implicit) {
      builder.close({ start, end: s.start(j) });
      return { tensor: builder.finish(), next: j, start, end: s.start(j) };
    }
    if (kind === Tok.End) {
      const opener = openers[top] as number;
      throw new ParseError(`this ${quote(s.source(opener))} is never closed`, { start: s.start(opener), end: s.end(opener) }, 'syntax');
    }
    if (kind === Tok.Close) {
      throw new ParseError(`${quote(s.source(j))} closes nothing`, { start: s.start(j), end: s.end(j) }, 'syntax');
    }
    const closer = frame === Frame.Implicit || closers[top] === undefined ? '' : ` or ${quote(closerText(closers[top] as number))}`;
    throw new ParseError(`expected ${quote(',')}${closer} before ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, kind === Tok.Name || kind === Tok.String ? 'not-a-number' : 'syntax');
  }
}

/** Token index of the bracket closing the one at `open` (the last token before the end when unclosed). */
export function closingIndex(s: TokenStream, open: number): number {
  const close = s.closeOf(open);
  if (close >= 0) return close;
  let end = open;
  while (s.kind(end) !== Tok.End) end++;
  return Math.max(open, end - 1);
}
