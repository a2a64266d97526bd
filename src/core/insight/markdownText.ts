/**
 * The one way document text enters Layer Lens's Markdown (hovers, which VS Code renders trusted
 * for Layer Lens's own commands, also in untrusted workspaces). Text that Layer Lens did not write
 * (names, expressions, labels, messages that quote them) goes through {@link plainText} or
 * {@link codeSpan}, never raw: a string in `nn.Sequential(…)` such as
 * `` "` ![p](https://…) [Run](command:…) `" `` must stay text, not become an image or a link.
 */

/** Longest document text a hover shows in one place; the rest is cut with `…`. */
export const MAX_HOVER_TEXT = 160;

/**
 * The characters that start Markdown or HTML structure inside a line (code spans, emphasis, links
 * and images, HTML and `<…>` autolinks, entities, table cells, strikethrough, math): each is written
 * with a backslash, which CommonMark allows before any ASCII punctuation. Text is always placed
 * mid-line, so the line-start markers (`#`, `+`, `1.`) need nothing.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]<>!|&~$]/g;

function folded(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * `text` as Markdown that renders as exactly that text: every Markdown or HTML character escaped
 * (so no emphasis, link, image, autolink, HTML or table cell can start), line breaks folded into
 * spaces, and long text cut to `max` characters.
 */
export function plainText(text: string, max = MAX_HOVER_TEXT): string {
  return escapeMarkdown(folded(text, max));
}

/** {@link plainText} without folding or cutting: for pieces of a sentence (line breaks still become spaces). */
export function escapeMarkdown(text: string): string {
  // Bare autolinks (`https://…`, `www.…`, `name@host`) need no punctuation that the escapes above catch.
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(MARKDOWN_PUNCTUATION, '\\$&')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}\\.`)
    .replace(/@/g, '\\@');
}

/**
 * `text` as an inline code span: fenced with one more backtick than the longest run of backticks
 * inside it (so nothing in it can close the span early), padded with a space when it starts or
 * ends with a backtick. In a table cell (`inTable`), `|` is escaped, which GitHub-flavoured tables
 * need even inside code.
 */
export function codeSpan(text: string, options: { readonly inTable?: boolean; readonly max?: number } = {}): string {
  let body = folded(text, options.max ?? MAX_HOVER_TEXT);
  if (body === '') return '` `';
  let longest = 0;
  for (let run = 0, k = 0; k < body.length; k++) {
    run = body[k] === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
