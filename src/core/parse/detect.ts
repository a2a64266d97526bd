/**
 * Tells the notation of text whose language is unknown (an input box, a plaintext file, a
 * selection): `[1 2; 3 4]` is MATLAB, `[[1, 2], [3, 4]]` Python, `{{1, 2}}` Mathematica, …
 */
import { ANY_BRACKETED, streamFor } from './dialects';
import { PARSE_MAX_NESTING } from './limits';
import type { Notation } from './notation';
import { isSeparatorRow, isTableLine } from './table';
import { Op, Tok } from './tokens';

/** How far into the text detection looks: the start of a literal tells its notation. */
const DETECTION_WINDOW = 64 * 1024;

/**
 * True when the bracketed literal at `from` is written MATLAB's way: a `;` inside it, or two values
 * side by side with only a space or a line break between them (Python would need a comma).
 */
export function looksLikeMatlab(text: string, from: number, to = text.length): boolean {
  const s = streamFor(text, ANY_BRACKETED, from, Math.min(to, from + DETECTION_WINDOW));
  let depth = 0;
  let previousEndsValue = false;
  for (let j = 0; j < 8192; j++) {
    const kind = s.kind(j);
    if (kind === Tok.End) return false;
    if (depth > 0) {
      if (kind === Tok.Semicolon) return true;
      if (previousEndsValue && (kind === Tok.Number || kind === Tok.Name || (kind === Tok.Open && s.spaceBefore(j)))) return true;
      const sign = s.isOp(j, Op.Minus) || s.isOp(j, Op.Plus);
      if (previousEndsValue && sign && s.spaceBefore(j) && !s.spaceBefore(j + 1)) return true;
    }
    if (kind === Tok.Open) {
      // Deeper than any literal is read (the parse refuses it): no need to read on. Reading on to
      // the window's end cost each of 40,000 unclosed `np.array([` lines 8,192 tokens.
      if (++depth > PARSE_MAX_NESTING) return false;
    } else if (kind === Tok.Close && --depth <= 0) return false;
    previousEndsValue = kind === Tok.Number || kind === Tok.Name || kind === Tok.Close;
  }
  return false;
}

/** The notation `text` is most likely written in. */
export function detectNotation(text: string): Notation {
  const from = text.search(/\S/);
  if (from < 0) return 'python';
  const head = text.slice(from, from + DETECTION_WINDOW);
  if (/\\begin\s*\{/.test(head) || /&[^&\n]*\\\\/.test(head)) return 'latex';
  const firstLines = head.split('\n', 3);
  // A table is a row and its alignment rule under it, whatever the header holds (labels, LaTeX such as
  // `$C_{in}$`) and however short the rule's dashes are (`| :-: |`).
  if (firstLines.some((line) => isTableLine(line)) && firstLines.slice(1).some((line) => isSeparatorRow(line))) return 'markdown';
  if (/^(?:matrix|rbind|cbind|c)\s*\(/.test(head)) return 'r';
  if (/^new\s+[A-Z]\w*Array\s*\(|^[A-Z]\w*Array\.(?:from|of)\s*\(|^tf\.tensor[1-4]?d?\s*\(/.test(head)) return 'javascript';
  if (/\btorch\.\w+\s*\(/.test(head)) return 'torch';
  if (/\btf\.\w+\s*\(/.test(head)) return 'tensorflow';
  if (/\b(?:np|numpy|jnp)\.\w+\s*\(/.test(head)) return 'numpy';
  if (head.startsWith('{')) return 'mathematica';
  if (head.startsWith('[')) return looksLikeMatlab(text, from) ? 'matlab' : 'python';
  if (head.startsWith('(')) return 'python';
  const firstLine = head.split('\n', 1)[0] as string;
  if (firstLine.includes('\t')) return 'tsv';
  if (/;/.test(head) && !firstLine.includes(',')) return 'matlab';
  return 'csv';
}
