/**
 * Python literals in a range of tokens: numbers and literal arithmetic (`2 * 2`, `-1`, `1 / 2`),
 * strings, `True` / `False` / `None`, and tuples and lists of them. A layer argument is shown only
 * when it is one of these; a name or any expression involving one (`ngf * 8`) is not a literal.
 */
import { PYTHON } from './dialects';
import { evaluateScalar } from './expression';
import { PARSE_MAX_NESTING } from './limits';
import { Bracket, Tok, type TokenStream } from './tokens';

/** A literal's value; `None` is `null`, tuples and lists are arrays. */
export type PythonLiteral = number | string | boolean | null | readonly PythonLiteral[];

/** The literal the tokens `[first, last)` spell exactly, or `undefined` when they spell something else. */
export function readLiteral(s: TokenStream, first: number, last: number): PythonLiteral | undefined {
  return literal(s, first, last, 0);
}

function literal(s: TokenStream, first: number, last: number, depth: number): PythonLiteral | undefined {
  if (first >= last) return undefined;
  if (last - first === 1) {
    const kind = s.kind(first);
    if (kind === Tok.String) return stringValue(s.source(first));
    if (kind === Tok.Name) return namedConstant(s.source(first));
  }
  const paren = s.isOpen(first, Bracket.Paren);
  if ((paren || s.isOpen(first, Bracket.Square)) && closerOf(s, first, last) === last - 1) {
    if (depth >= PARSE_MAX_NESTING) return undefined;
    const { elements, trailingComma } = splitElements(s, first + 1, last - 1);
    // `(2 * 2)` is a parenthesised number; `(2,)` and `[2]` are sequences.
    if (paren && elements.length === 1 && !trailingComma) return literal(s, elements[0]?.[0] as number, elements[0]?.[1] as number, depth + 1);
    const values: PythonLiteral[] = [];
    for (const [from, to] of elements) {
      const value = literal(s, from, to, depth + 1);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }
  return arithmetic(s, first, last);
}

function namedConstant(name: string): boolean | null | undefined {
  if (name === 'True') return true;
  if (name === 'False') return false;
  if (name === 'None') return null;
  return undefined;
}

/**
 * The content of a string literal. Prefixes `r`, `b`, `u` are allowed; an f-string is an expression.
 * Escapes are kept as written: the strings layers take (`'same'`, `'bilinear'`) have none.
 */
function stringValue(source: string): string | undefined {
  const prefix = /^[a-zA-Z]*/.exec(source)?.[0] ?? '';
  if (/[fF]/.test(prefix)) return undefined;
  const body = source.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? 3 : 1;
  // An unterminated string (the lexer ends it at the line break) is not a value yet.
  if (body.length < 2 * quote || body.slice(-quote) !== body.slice(0, quote)) return undefined;
  return body.slice(quote, body.length - quote);
}

/** Index of the token closing the bracket opened at `open`, looking no further than `last`; -1 if none. */
function closerOf(s: TokenStream, open: number, last: number): number {
  let depth = 0;
  for (let k = open; k < last; k++) {
    const kind = s.kind(k);
    if (kind === Tok.Open) depth++;
    else if (kind === Tok.Close && --depth === 0) return k;
  }
  return -1;
}

/** The comma-separated elements of `[first, last)` (the inside of a bracket), as token ranges. */
function splitElements(s: TokenStream, first: number, last: number): { elements: [number, number][]; trailingComma: boolean } {
  const elements: [number, number][] = [];
  let depth = 0;
  let start = first;
  for (let k = first; k < last; k++) {
    const kind = s.kind(k);
    if (kind === Tok.Open) depth++;
    else if (kind === Tok.Close) depth--;
    else if (kind === Tok.Comma && depth === 0) {
      elements.push([start, k]);
      start = k + 1;
    }
  }
  const trailingComma = start === last && elements.length > 0;
  if (start < last) elements.push([start, last]);
  return { elements, trailingComma };
}

/** A number, or arithmetic on numbers only, filling exactly `[first, last)`. */
function arithmetic(s: TokenStream, first: number, last: number): number | undefined {
  if (last - first === 1 && s.kind(first) === Tok.Number) return Number.isFinite(s.value(first)) ? s.value(first) : undefined; // the usual case, without compiling
  for (let k = first; k < last; k++) {
    const kind = s.kind(k);
    if (kind === Tok.Name || kind === Tok.String || kind === Tok.Invalid) return undefined;
  }
  try {
    const { value, next } = evaluateScalar(s, first, PYTHON);
    return next === last && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined; // not arithmetic after all (`1 +`, `(2`): not a literal
  }
}
