/**
 * The one line-break rule of the parsers: `\n`, `\r\n` and a lone `\r` each end a line, as VS Code
 * counts lines (a file saved with classic Mac line endings is one line per `\r` in the editor).
 * The readers split lines at `\n` only, so text enters them with each lone `\r` made a `\n`: the
 * same length, so every offset into it is an offset into the document as well.
 */

const LONE_CARRIAGE_RETURN = /\r(?!\n)/g;

/** `text` with each lone `\r` replaced by `\n` (the same string when there is none). */
export function withLineFeeds(text: string): string {
  // indexOf first: most documents have no `\r` at all, and a CRLF document has no lone one.
  if (text.indexOf('\r') < 0) return text;
  LONE_CARRIAGE_RETURN.lastIndex = 0;
  if (!LONE_CARRIAGE_RETURN.test(text)) return text;
  return text.replace(LONE_CARRIAGE_RETURN, '\n');
}
