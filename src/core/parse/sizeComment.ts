/**
 * A layer's input size stated by a comment right above it, as people write them in model code:
 * an image's `H x W` (`# state size. (ngf*8) x 4 x 4`), a volume's `D x H x W`
 * (`# 16 x 32 x 32`), a sequence's length (`# input: 16000 samples`, `# L = 100`, `# (N, C, 100)`).
 * The comment must end in the size (what comes before it, channels or words, is not read), so a
 * comment that only mentions a number on the way is not taken for one.
 */

/** The sides a comment may state: larger ones are not sizes (a sample rate, a year). */
const MAX_SIDE = 65536;

/** `4 x 4`, `28×28`, `8 * 8` at the end of a comment (after `(ngf*8) x`, which is not a size). */
const IMAGE_AT_END = /(\d+)\s*[x×*]\s*(\d+)\s*\)?\s*\.?\s*$/;

/** `16 x 32 x 32` (after channels or words), or the last three of a shape tuple `(N, C, 16, 32, 32)`. */
const VOLUME_AT_END = [/(\d+)\s*[x×*]\s*(\d+)\s*[x×*]\s*(\d+)\s*\)?\s*\.?\s*$/, /[([]\s*[\w*+-]+\s*,\s*[\w*+-]+\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,?\s*[)\]]\s*\.?\s*$/];

/** `16000 samples` (steps, frames, tokens), `L = 100` (`length: 100`), the last of a shape tuple `(N, C, 100)`. */
const SEQUENCE_AT_END = [
  /(\d+)\s*(?:samples?|time\s?steps?|steps?|frames?|tokens?)\s*\)?\s*\.?\s*$/i,
  /\b(?:L|L_in|length|seq_len|sequence length)\s*[=:]?\s*(\d+)\s*\.?\s*$/i,
  /[([]\s*[\w*+-]+\s*,\s*[\w*+-]+\s*,\s*(\d+)\s*,?\s*[)\]]\s*\.?\s*$/,
];

const PATTERNS: Readonly<Record<1 | 2 | 3, readonly RegExp[]>> = { 1: SEQUENCE_AT_END, 2: [IMAGE_AT_END], 3: VOLUME_AT_END };

/** The size a comment line states for an input of `rank` spatial axes: `[L]`, `[H, W]` or `[D, H, W]`. */
export function statedSize(line: string, rank: 1 | 2 | 3): number[] | undefined {
  for (const pattern of PATTERNS[rank]) {
    const match = pattern.exec(line);
    if (!match) continue;
    const size = match.slice(1, 1 + rank).map(Number);
    if (size.every((side) => side >= 1 && side <= MAX_SIDE)) return size;
  }
  return undefined;
}

/** What may come before the element on its line: nothing, or the name it is assigned to (`self.conv1 = `, `x = `). */
const LINE_LEAD = /^\s*(?:[A-Za-z_][\w.]*\s*=\s*)?$/;

/**
 * The size of `rank` stated by the comment lines right above the line of `offset` (up to three; the
 * element must start its line, or follow the name it is assigned to), and where that comment starts.
 */
export function sizeCommentAbove(text: string, offset: number, rank: 1 | 2 | 3): { readonly size: readonly number[]; readonly offset: number } | undefined {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (!LINE_LEAD.test(text.slice(lineStart, offset))) return undefined;
  for (let above = 0; above < 3 && lineStart > 0; above++) {
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    const raw = text.slice(previousStart, lineStart - 1);
    const line = raw.trim();
    if (!line.startsWith('#')) return undefined;
    const size = statedSize(line, rank);
    if (size) return { size, offset: previousStart + (raw.length - raw.trimStart().length) };
    lineStart = previousStart;
  }
  return undefined;
}
