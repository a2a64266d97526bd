/**
 * The two ways the panel changes a document, each one explicit user action and one undoable
 * `WorkspaceEdit`: a cell edited in the panel is written into its literal, and the output is
 * inserted as a new literal after the input's statement. Both re-read the literal first and write
 * nothing when it is not what the panel showed.
 */
import * as vscode from 'vscode';
import type { Tensor } from '../../core/engine/tensor';
import { ParseError } from '../../core/parse/index';
import { parseRange } from '../../core/parse/parseMatrix';
import { assignedName, insertUnavailableReason, resultStatement, rewriteLiteral, statementEndLine } from '../../core/text/literalText';
import type { LiteralLink } from './literalLink';
import { cellOffset, hasCell } from './operandShapes';

/** Success carries what the document holds now; failure a sentence for the user. */
export type WriteOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const failed = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

/**
 * A shape without its leading axes of size 1: the panel reads a flat list as one row and a matrix
 * beside channels as one channel (`[1, H, W]`, `[1, 1, kH, kW]`), which index the values alike.
 */
function withoutLeadingOnes(shape: readonly number[]): readonly number[] {
  let first = 0;
  while (first < shape.length - 1 && shape[first] === 1) first++;
  return shape.slice(first);
}

/** The document's line break, for text Layer Lens writes into it. */
const eolOf = (document: vscode.TextDocument): string => (document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');

/**
 * Sets `[...plane, row, col]` of the literal `link` points at to `value`, written in the literal's
 * own notation. The values are the document's (which may have changed since the panel drew them),
 * with that one cell changed; `expected` is the shape the panel shows (`[...lead, rows, cols]`), and
 * a literal of another shape is refused. `plane` indexes the axes before the last two (none for a
 * matrix). Returns the new values in the shape the panel shows.
 */
export async function writeCell(
  link: LiteralLink,
  role: 'input' | 'kernel',
  expected: readonly number[],
  row: number,
  col: number,
  value: number,
  plane: readonly number[] = [],
): Promise<WriteOutcome<Tensor>> {
  const current = await link.read(role);
  if (typeof current === 'string') return failed(current);
  const { document, range, text, tensor } = current;
  if (withoutLeadingOnes(tensor.shape).join() !== withoutLeadingOnes(expected).join()) {
    return failed(
      `The ${role} literal at ${link.place()} is now [${tensor.shape.join(', ')}], not the ${expected.join(' × ')} the panel shows. ` +
        'Nothing was changed; run “Layer Lens: Transposed Convolution (ConvTranspose2d)” on it again.',
    );
  }
  if (!hasCell(expected, plane, row, col)) return failed(`There is no ${role} cell [${[...plane, row, col].join(', ')}] in a ${expected.join(' × ')} tensor.`);
  const data = Float64Array.from(tensor.data);
  data[cellOffset(expected, plane, row, col)] = value;
  const edited: Tensor = { shape: tensor.shape, data };
  const linePrefix = document.lineAt(range.start.line).text.slice(0, range.start.character);
  const replacement = rewriteLiteral(text, edited, link.notation, linePrefix).replace(/\n/g, eolOf(document));
  if (!readsBackAs(replacement, link.notation, edited)) {
    return failed(`Layer Lens could not write the ${role} back in ${link.notation} notation without changing other values, so nothing was changed.`);
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, replacement);
  if (!(await vscode.workspace.applyEdit(edit))) return failed(`VS Code refused the edit of ${link.place()} (is the file read-only?).`);
  return { ok: true, value: { shape: [...expected], data } };
}

/** True when `text` parses in `notation` to exactly `tensor`'s shape and float64 values (NaN equals NaN, -0 is not 0). */
function readsBackAs(text: string, notation: LiteralLink['notation'], tensor: Tensor): boolean {
  try {
    const parsed = parseRange(text, 0, text.length, notation).tensor;
    if (parsed.shape.length !== tensor.shape.length || parsed.shape.some((n, i) => n !== tensor.shape[i])) return false;
    return parsed.data.every((v, i) => Object.is(v, tensor.data[i]));
  } catch (error) {
    if (error instanceof ParseError) return false;
    throw error;
  }
}

/**
 * Inserts `output` as a new statement (`x_out = …` in the input literal's notation) on the line
 * after the statement holding the input literal, with that line's indentation. Returns the range
 * of the inserted text.
 */
export async function insertResult(link: LiteralLink, output: Tensor): Promise<WriteOutcome<vscode.Range>> {
  const refusal = insertUnavailableReason(link.notation);
  if (refusal) return failed(refusal);
  const current = await link.read('input');
  if (typeof current === 'string') return failed(current);
  const { document, range } = current;
  const startLine = document.lineAt(range.start.line);
  const indent = startLine.text.slice(0, startLine.firstNonWhitespaceCharacterIndex);
  const name = assignedName(startLine.text.slice(0, range.start.character));
  const statement = resultStatement(link.notation, name, output, indent);
  if (statement === undefined) return failed(`The output cannot be inserted as ${link.notation}.`);
  const eol = eolOf(document);
  const lastLine = statementEndLine((line) => document.lineAt(line).text, range.start.line, document.lineCount, range.end.line, link.notation);
  const text = statement.replace(/\n/g, eol);
  const atEnd = lastLine + 1 >= document.lineCount;
  const position = atEnd ? document.lineAt(lastLine).range.end : new vscode.Position(lastLine + 1, 0);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, position, atEnd ? `${eol}${text}` : `${text}${eol}`);
  if (!(await vscode.workspace.applyEdit(edit))) return failed(`VS Code refused the edit of ${link.place()} (is the file read-only?).`);
  const first = lastLine + 1;
  const lines = text.split(eol);
  return { ok: true, value: new vscode.Range(first, 0, first + lines.length - 1, (lines.at(-1) ?? '').length) };
}
