/**
 * Searches bounded by the end of a region. `String.prototype.indexOf` reads on to the end of the
 * whole text when the region holds no match, so asking it once per region of a long line (50,000
 * inline code spans `` `1` `` on one line of Markdown) reads that line 50,000 times.
 */

/** The offset of the first line break in `text[from, limit)`, or `limit` when there is none. */
export function lineEndWithin(text: string, from: number, limit: number): number {
  for (let k = from; k < limit; k++) if (text.charCodeAt(k) === 10) return k;
  return limit;
}

/** The offset of the first `needle` lying wholly in `text[from, limit)`, or -1. */
export function indexWithin(text: string, needle: string, from: number, limit: number): number {
  const first = needle.charCodeAt(0);
  const last = limit - needle.length;
  for (let k = from; k <= last; k++) if (text.charCodeAt(k) === first && text.startsWith(needle, k)) return k;
  return -1;
}

/**
 * Searches for one `needle` in `text[…, limit)` from positions that never go back (a lexer's):
 * each character is read once over all of them. Asking each of 40,000 unclosed block comments for
 * its closer with a fresh search read the rest of the text 40,000 times.
 */
export class ForwardSearch {
  private from = -1;
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly needle: string,
    private readonly limit: number,
  ) {}

  /** The first `needle` at or after `from` lying wholly before the limit, or -1. */
  next(from: number): number {
    // The last answer holds when it was searched from no later than `from` and is not before it.
    if (this.from >= 0 && from >= this.from && (this.found < 0 || this.found >= from)) return this.found;
    this.from = from;
    this.found = indexWithin(this.text, this.needle, from, this.limit);
    return this.found;
  }
}
