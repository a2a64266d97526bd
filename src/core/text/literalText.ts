/**
 * The text Layer Lens writes into a document: a changed literal in place of the old one, and the
 * result as a new statement after the input's. Pure (no `vscode`): the values are written by the
 * parser's `formatMatrix`, which round-trips exactly; this module only fits that text to the code
 * around it, so a one-cell edit does not rewrap, retype or reindent the user's literal.
 */
import type { Tensor } from '../engine/tensor';
import { formatMatrix, type Notation } from '../parse/index';

/** The notations whose literals sit inside a Python constructor call (`np.array([...], dtype=…)`). */
const PYTHON_CONSTRUCTORS: ReadonlySet<Notation> = new Set(['numpy', 'torch', 'tensorflow']);
/** Languages where `1` and `1.0` are different types, so a float literal must stay one. */
const TYPED_NUMBERS: ReadonlySet<Notation> = new Set(['python', 'numpy', 'torch', 'tensorflow', 'julia', 'mathematica']);
/** Notations whose line breaks are part of the syntax. */
const LINE_STRUCTURED: ReadonlySet<Notation> = new Set(['csv', 'tsv', 'markdown']);

/**
 * `tensor` written in `notation` to replace `original`, a literal of that notation that starts
 * after `linePrefix` (the text on its first line before it). The result keeps what the values do
 * not decide: a constructor call's name and `dtype`, float spelling (`1.0`, not `1`, where that
 * changes the type), a LaTeX environment, a Markdown table's header, one line or several, and the
 * indentation of continuation lines.
 */
export function rewriteLiteral(original: string, tensor: Tensor, notation: Notation, linePrefix: string): string {
  let text = bodyFor(original, tensor, notation);
  // A float literal must stay one: all floats written as floats (`1.` style), and a mixed one
  // with at least one float left.
  if (TYPED_NUMBERS.has(notation) && hasFloatNumber(original) && (!hasIntegerNumber(original) || !hasFloatNumber(text))) text = spellIntegersAsFloats(text);
  if (LINE_STRUCTURED.has(notation)) return indentContinuation(text, leadingWhitespace(linePrefix));
  if (!original.includes('\n')) return text.replace(/\s*\n\s*/g, ' ');
  return indentContinuation(text, alignment(linePrefix));
}

function bodyFor(original: string, tensor: Tensor, notation: Notation): string {
  if (PYTHON_CONSTRUCTORS.has(notation)) {
    // Keep the call and its keywords; replace only the nested list inside it.
    const open = original.indexOf('[');
    const close = open < 0 ? -1 : matchingBracket(original, open);
    if (close > open) {
      const column = alignment(original.slice(0, open));
      return `${original.slice(0, open)}${indentContinuation(formatMatrix(tensor, 'python'), column)}${original.slice(close + 1)}`;
    }
    return formatMatrix(tensor, notation);
  }
  const formatted = formatMatrix(tensor, notation);
  switch (notation) {
    case 'latex': {
      // pmatrix stays pmatrix; an array keeps its column specification.
      const begin = /^\\begin\{([A-Za-z]+\*?)\}(\{[^}]*\})?/.exec(original);
      const end = /\\end\{[A-Za-z]+\*?\}$/.exec(original);
      if (!begin || !end) return formatted;
      const lines = formatted.split('\n');
      return [begin[0], ...lines.slice(1, -1), end[0]].join('\n');
    }
    case 'markdown': {
      // The header names the columns; only the body holds values.
      const header = original.split('\n').slice(0, 2);
      if (header.length < 2) return formatted;
      return [...header.map((line) => line.trim()), ...formatted.split('\n').slice(2)].join('\n');
    }
    case 'csv':
    case 'tsv':
      return formatted.replace(/\n$/, '');
    default:
      return formatted;
  }
}

/** The index of the bracket closing the one at `open`, skipping strings; -1 when it is not closed. */
function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** A number token with a decimal point or an exponent (`1.`, `2.5`, `1e3`), outside names. */
function hasFloatNumber(text: string): boolean {
  return /(^|[^\w.])(\d+\.\d*|\.\d+|\d+[eE][-+]?\d+)/.test(text);
}

/** A bare integer token (`3`, not `3.`, `3e2`, or the `32` of `float32`). */
function hasIntegerNumber(text: string): boolean {
  return /(^|[^\w.])\d+(?=$|[^\w.])/.test(text);
}

/** `1` becomes `1.0`; numbers with a point or an exponent, and names like `x1`, are left alone. */
function spellIntegersAsFloats(text: string): string {
  return text.replace(/(^|[^\w.])(-?\d+)(?=$|[^\w.*])/g, '$1$2.0');
}

/** Lines after the first get `prefix` in front, so a multi-line literal lines up where it starts. */
export function indentContinuation(text: string, prefix: string): string {
  return prefix ? text.replace(/\n/g, `\n${prefix}`) : text;
}

const leadingWhitespace = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** Whitespace as wide as `linePrefix`: its own indentation (tabs kept) plus a space per other character. */
function alignment(linePrefix: string): string {
  const indent = leadingWhitespace(linePrefix);
  return indent + ' '.repeat(linePrefix.length - indent.length);
}

/** Why the result cannot be inserted as a new statement in `notation`, or `undefined` when it can. */
export function insertUnavailableReason(notation: Notation): string | undefined {
  switch (notation) {
    case 'json':
      return 'A JSON document holds one value, so a second literal beside the input would make it invalid: copy the output as JSON instead.';
    case 'csv':
    case 'tsv':
      return `A ${notation.toUpperCase()} file is one table, so the output has no place of its own in it: copy it instead.`;
    case 'latex':
      return 'In LaTeX the matrix sits inside mathematics, where a new line is not a statement: copy the output as LaTeX and paste it where it belongs.';
    case 'markdown':
      return 'A Markdown table has no statements to add after: copy the output as Markdown and paste it where it belongs.';
    default:
      return undefined;
  }
}

/** The variable a literal is assigned to, from the text before it on its line (`x = `, `x <- `, `const x = `). */
export function assignedName(linePrefix: string): string | undefined {
  return /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]*)?(?:=|<-)\s*$/.exec(linePrefix)?.[1];
}

/**
 * The statement assigning `tensor` to a new variable named after the input (`x_out = …`), in the
 * natural form of `notation`, its first line indented by `indent` and the rest aligned under the
 * literal. `undefined` where a new statement makes no sense ({@link insertUnavailableReason}).
 */
export function resultStatement(notation: Notation, inputName: string | undefined, tensor: Tensor, indent: string): string | undefined {
  if (insertUnavailableReason(notation) !== undefined) return undefined;
  const base = inputName ?? 'layer';
  // Mathematica reads `x_out` as a pattern; its names have no underscores.
  const name = notation === 'mathematica' ? `${base.replace(/_+(.)/g, (_m, c: string) => c.toUpperCase())}Out` : `${base}_out`;
  const [head, tail] = ((): [string, string] => {
    switch (notation) {
      case 'javascript':
        return [`const ${name} = `, ';'];
      case 'matlab':
      case 'mathematica':
        return [`${name} = `, ';'];
      case 'r':
        return [`${name} <- `, ''];
      default:
        return [`${name} = `, ''];
    }
  })();
  const literal = formatMatrix(tensor, notation);
  return `${indent}${head}${indentContinuation(literal, alignment(indent + head))}${tail}`;
}

/**
 * The last line (0-based) of the statement that starts on `startLine`: brackets opened on it must
 * close, and a line ending in a continuation (`\` in Python, `...` in MATLAB) goes on. Strings and
 * comments are skipped roughly (quotes and `#` / `%` / `//`), which is enough to find where to put
 * a new statement; at most `maxLines` are read, after which the literal's own last line is used.
 */
export function statementEndLine(lineAt: (line: number) => string, startLine: number, lineCount: number, literalEndLine: number, notation: Notation, maxLines = 2000): number {
  const comment = notation === 'matlab' ? '%' : notation === 'javascript' ? '//' : notation === 'r' || PYTHON_CONSTRUCTORS.has(notation) || notation === 'python' || notation === 'julia' ? '#' : undefined;
  let depth = 0;
  for (let line = startLine; line < Math.min(lineCount, startLine + maxLines); line++) {
    const text = lineAt(line);
    let quote = '';
    let end = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (comment && text.startsWith(comment, i)) {
        end = i;
        break;
      }
      if (c === '"' || (c === "'" && notation !== 'matlab')) quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
    const code = text.slice(0, end).trimEnd();
    const continues = code.endsWith('\\') || (notation === 'matlab' && code.endsWith('...'));
    if (line >= literalEndLine && depth <= 0 && !continues) return line;
  }
  return literalEndLine;
}
