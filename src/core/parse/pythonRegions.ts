/**
 * Where a document's Python is, by VS Code language id: all of a Python file or notebook cell
 * (cells arrive as `python` documents), and the fenced Python blocks of Markdown and Quarto.
 */
import { FIND_MAX_DOCUMENT_LENGTH } from './limits';

/** A half-open range `[from, to)` of Python code in a document. */
export interface PythonRegion {
  readonly from: number;
  readonly to: number;
}

/** An opening or closing fence line: up to any indentation (fences sit inside list items), three or more ` or ~, an info string. */
const FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\n]*)$/gm;

/** Info strings of Python blocks: ```python, ```py, ```python3, ```ipython3, Quarto's ```{python} and ```{.python}. */
const PYTHON_INFO = /^\{?\.?(python[23]?|py[23]?|ipython[23]?)\b[^`]*$/i;

/** The Python regions of `text` for a document of `languageId` (`undefined` is read as Python), in order. */
export function pythonRegions(text: string, languageId: string | undefined): PythonRegion[] {
  const to = Math.min(text.length, FIND_MAX_DOCUMENT_LENGTH);
  if (languageId === undefined || languageId === 'python') return [{ from: 0, to }];
  if (languageId === 'markdown' || languageId === 'quarto') return fencedPython(text, to);
  return [];
}

/**
 * The content of every fenced block whose info string says Python. A closing fence uses the same
 * character, at least as many times, and nothing else (CommonMark); an unclosed block runs to the
 * end of the document.
 */
function fencedPython(text: string, to: number): PythonRegion[] {
  const regions: PythonRegion[] = [];
  FENCE.lastIndex = 0;
  for (let open = FENCE.exec(text); open && open.index < to; open = FENCE.exec(text)) {
    const marker = open[1] as string;
    const info = (open[2] as string).trim();
    // A backtick fence's info string may not contain a backtick (that is inline code, not a fence).
    if (marker[0] === '`' && info.includes('`')) continue;
    const contentStart = Math.min(text.length, open.index + open[0].length + 1);
    let close = FENCE.exec(text);
    while (close && !((close[1] as string)[0] === marker[0] && (close[1] as string).length >= marker.length && (close[2] as string).trim() === '')) close = FENCE.exec(text);
    const contentEnd = Math.min(close ? close.index : text.length, to);
    if (PYTHON_INFO.test(info) && contentStart < contentEnd) regions.push({ from: contentStart, to: contentEnd });
    if (!close) break;
  }
  return regions;
}
