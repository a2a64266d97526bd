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
