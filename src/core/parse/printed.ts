/**
 * Tensors as NumPy and PyTorch print them, pasted from a console or a notebook's output:
 *
 * - the repr, `array([[1., 2.], [3., 4.]], dtype=float32)` or `tensor([[1., 2.]], dtype=torch.float64)`:
 *   a bare `array(` / `tensor(` around a Python list, keyword arguments after it;
 * - NumPy's `print` form of a tensor of rank 3 or 4, `[[[1. 2.]\n  [3. 4.]]\n\n [[5. 6.]\n  [7. 8.]]]`:
 *   nested brackets, values apart by spaces, no commas. (A matrix printed so, `[[1. 2.]\n [3. 4.]]`, is
 *   read as MATLAB already, with the same result; three brackets deep, MATLAB would stack the blocks
 *   into one matrix, which is not what NumPy printed.)
 *
 * Both are read where the notation is told from the text (a selection in a plain-text file, an input
 * box) or is Python's (a selection in a Python file, where Python itself would refuse them); never
 * by the finder of literals around the cursor, which keeps reading `array(…)` in code as it did.
 */
import { parseNestedList } from './bracketed';
import { PYTHON, streamFor } from './dialects';
import { ParseError, quote } from './errors';
import { PARSE_MAX_NESTING } from './limits';
import { NestedShapeBuilder } from './shape';
import { Bracket, Tok } from './tokens';
import type { Tensor } from '../engine/tensor';
import type { Notation } from './notation';

export interface PrintedTensor {
  readonly tensor: Tensor;
  /** The list's range: a write-back replaces the list and keeps the `array(` around it. */
  readonly start: number;
  readonly end: number;
  readonly notation: 'numpy' | 'torch';
}

const REPR = /^\s*(array|tensor)\s*\(/;

/**
 * True when `text[from, to)` starts like a printed tensor ({@link readPrinted} then reads it or says
 * why not), read in `notation` (undefined: told from the text). Where the notation is Python's, a
 * list without commas is a print whatever its rank (Python would refuse it); told from the text,
 * only from rank 3 (a matrix so written stays MATLAB's, which reads it alike).
 */
export function looksPrinted(text: string, from: number, to: number, notation: Notation | undefined): boolean {
  if (notation !== undefined && notation !== 'python' && notation !== 'numpy' && notation !== 'torch') return false;
  const head = text.slice(from, Math.min(to, from + 64));
  if (REPR.test(head)) return true;
  const brackets = notation === undefined ? /^\s*\[\s*\[\s*\[/ : /^\s*\[\s*\[/;
  return brackets.test(head) && !/,/.test(text.slice(from, Math.min(to, from + 4096)));
}

/** Reads a printed tensor at `text[from, to)`; call when {@link looksPrinted} said so. */
export function readPrinted(text: string, from: number, to: number): PrintedTensor {
  const repr = REPR.exec(text.slice(from, Math.min(to, from + 64)));
  if (repr) return readRepr(text, from, to, repr[1] === 'array' ? 'numpy' : 'torch');
  const printed = readNumpyPrint(text, from, to);
  const rest = text.slice(printed.end, to).search(/\S/);
  if (rest >= 0) {
    const at = printed.end + rest;
    throw new ParseError(`unexpected ${quote(text.slice(at, at + 10))} after the tensor`, { start: at, end: Math.min(to, at + 10) }, 'syntax');
  }
  return printed;
}

/** NumPy's print form starting at `from` (a `[`), up to its closing bracket: the finder's reading of a candidate in a plain-text document. */
export function readNumpyPrintAt(text: string, from: number, to: number): PrintedTensor {
  return readNumpyPrint(text, from, to);
}

/** `array([...], dtype=float32)`: the list, then only keyword arguments up to the closing parenthesis. */
function readRepr(text: string, from: number, to: number, notation: 'numpy' | 'torch'): PrintedTensor {
  const s = streamFor(text, PYTHON, from, to, false, true);
  const close = s.closeOf(1);
  if (close < 0) throw new ParseError(`this ${quote('(')} is never closed`, { start: s.start(1), end: s.end(1) }, 'syntax');
  if (!s.isOpen(2, Bracket.Square)) throw new ParseError(`expected a list after ${quote(s.source(0) + '(')}`, { start: s.start(2), end: s.end(2) }, 'syntax');
  const list = parseNestedList(s, 2, PYTHON);
  let j = list.next;
  if (s.kind(j) === Tok.Comma) {
    // dtype=…, requires_grad=True, device='cuda:0': what it says of the values does not change them.
    for (j++; j < close; j++) {
      if (s.kind(j) === Tok.Open) j = s.closeOf(j);
    }
  }
  if (j !== close) throw new ParseError(`unexpected ${quote(s.source(j))} after the list`, { start: s.start(j), end: s.end(j) }, 'syntax');
  const after = close + 1;
  if (s.kind(after) !== Tok.End) throw new ParseError(`unexpected ${quote(s.source(after))} after the ${quote(')')}`, { start: s.start(after), end: s.end(after) }, 'syntax');
  return { tensor: list.tensor, start: list.start, end: list.end, notation };
}

/** A number as NumPy prints it: `1.`, `-0.5`, `1.e-05`, `nan`, `inf`, `-inf`. */
const NUMBER = /[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)(?![\w.])/y;

/** NumPy's `print` form: brackets and space-separated values, checked as regular as any literal. */
function readNumpyPrint(text: string, from: number, to: number): PrintedTensor {
  const builder = new NestedShapeBuilder();
  const opens: number[] = [];
  let start = -1;
  let i = from;
  while (i < to) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x0a || ch === 0x09 || ch === 0x0d) {
      i++;
      continue;
    }
    if (ch === 0x5b /* [ */) {
      if (opens.length >= PARSE_MAX_NESTING) throw new ParseError(`brackets nested more than ${PARSE_MAX_NESTING} deep`, { start: i, end: i + 1 }, 'size');
      if (start < 0) start = i;
      builder.open({ start: i, end: i + 1 });
      opens.push(i);
      i++;
      continue;
    }
    if (ch === 0x5d /* ] */) {
      const open = opens.pop();
      if (open === undefined) throw new ParseError(`${quote(']')} closes nothing`, { start: i, end: i + 1 }, 'syntax');
      builder.close({ start: open, end: i + 1 });
      i++;
      // The outermost bracket closed: the tensor ends here (what follows is the caller's).
      if (opens.length === 0) return { tensor: builder.finish(), start, end: i, notation: 'numpy' };
      continue;
    }
    if (opens.length === 0) throw new ParseError(`expected ${quote('[')}, found ${quote(text.slice(i, i + 10))}`, { start: i, end: Math.min(to, i + 10) }, 'syntax');
    if (text.startsWith('...', i)) {
      throw new ParseError('NumPy left values out of this print (`...`): print it whole with np.set_printoptions(threshold=sys.maxsize), or copy its repr', { start: i, end: i + 3 }, 'size');
    }
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match || match.index + match[0].length > to) {
      const word = /^[^\s[\]]{1,40}/.exec(text.slice(i, to))?.[0] ?? text.charAt(i);
      throw new ParseError(`${quote(word)} is not a number`, { start: i, end: i + word.length }, 'not-a-number');
    }
    const written = match[0];
    const bare = written.replace(/^[-+]/, '');
    const sign = written.startsWith('-') ? -1 : 1;
    builder.value(bare === 'nan' ? NaN : bare === 'inf' ? sign * Infinity : Number(written), i, i + written.length);
    i += written.length;
  }
  const unclosed = opens[0];
  if (unclosed !== undefined) throw new ParseError(`this ${quote('[')} is never closed`, { start: unclosed, end: unclosed + 1 }, 'syntax');
  throw new ParseError('there is no tensor here', { start: from, end: to }, 'empty');
}
