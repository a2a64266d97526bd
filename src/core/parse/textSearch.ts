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
 * What the last search for a needle in a text found: the first occurrence at or after any position
 * in `[from, found]` is `found` (after `from`, none at all when `found` is -1).
 */
interface Known {
  text: string;
  from: number;
  found: number;
}

const known = new Map<string, Known>();

/**
 * The first `needle` in `text` at or after `from`, or -1, remembering what each search found: the
 * lexers of one document scan (one per literal tried) ask again and again where the block comment
 * each of them meets closes. Searched afresh, 40,000 unclosed `/*` lines read the rest of the text
 * 40,000 times (185 s for 200 KB); remembered, a question inside what is known is answered at once
 * and one before it reads only the stretch up to it.
 */
export function nextOccurrence(text: string, needle: string, from: number): number {
  const last = known.get(needle);
  if (last !== undefined && last.text === text) {
    last.text = text; // the same object from now on, so the comparison above stays cheap
    if (from >= last.from && (last.found < 0 || from <= last.found)) return last.found;
    if (from < last.from) {
      const before = indexWithin(text, needle, from, Math.min(text.length, last.from + needle.length - 1));
      last.found = before >= 0 ? before : last.found;
      last.from = from;
      return last.found;
    }
  }
  const found = text.indexOf(needle, from);
  known.set(needle, { text, from, found });
  return found;
}
