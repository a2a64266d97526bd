/** A half-open range of character offsets `[start, end)` into the parsed text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * What kind of problem a {@link ParseError} reports. Finding matrices in a document uses it to tell
 * "this is not a matrix at all" (`syntax`, `not-a-number`, `empty`: a list of names, a call, half-typed
 * code: the finder stays quiet) from "this is a matrix written wrong" (`shape`, `size`: a ragged or
 * too-deep literal, too much text: the user is told).
 */
export type ParseProblem = 'syntax' | 'not-a-number' | 'empty' | 'shape' | 'size';

/** Text that is not a matrix literal, with the place to point at and a message in a user's words. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly range: TextRange,
    readonly problem: ParseProblem = 'syntax',
  ) {
    super(message);
  }
}

/** True for the problems that mean the text is not meant as a matrix (as opposed to a wrong one). */
export function isNotAMatrix(error: ParseError): boolean {
  return error.problem === 'syntax' || error.problem === 'not-a-number' || error.problem === 'empty';
}

/** Quotes source text for a message, shortened so a huge token cannot flood the UI. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return '`' + (flat.length > 40 ? `${flat.slice(0, 39)}…` : flat) + '`';
}
