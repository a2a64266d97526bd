/**
 * Where a command's matrices come from: an argument, the editor's selection, the literal around
 * the cursor, another literal in the document, or one the user types. The parsing itself is the
 * pure parser's; this module only gathers text from VS Code and words the problems.
 */
import * as vscode from 'vscode';
import { uriBaseName } from './uriName';
import type { Tensor } from '../../core/engine/tensor';
import { ParseError } from '../../core/parse/errors';
import { assignedName, findMatrices, findMatrixAt, notationForLanguage, parseMatrix, type Notation } from '../../core/parse/index';
import { checkTextLength, parseRange } from '../../core/parse/parseMatrix';
import { tensorFromNested, UserFacingError, type MatrixArgument } from './arguments';
import { OBJECTIVE_C, readingLanguage } from './documentLanguage';

/** A matrix and, when it came from a document, where, and in which notation (to write it back in). */
export interface SourcedMatrix {
  readonly tensor: Tensor;
  /** `fromSelection`: the range is what the user selected, read as a whole, rather than a literal found in the text. */
  readonly origin?: { readonly document: vscode.TextDocument; readonly range: vscode.Range; readonly notation: Notation; readonly fromSelection?: boolean };
}

/** `model.py:12`, for captions and messages. */
export function describeOrigin(matrix: SourcedMatrix): string | undefined {
  if (!matrix.origin) return undefined;
  const { document, range } = matrix.origin;
  return `${uriBaseName(document.uri)}:${range.start.line + 1}`;
}

export function matrixFromArgument(value: MatrixArgument, name: string): SourcedMatrix {
  if (typeof value !== 'string') return { tensor: tensorFromNested(value, name) };
  try {
    const { shape, data } = parseMatrix(value);
    return { tensor: { shape, data } };
  } catch (error) {
    if (error instanceof ParseError) throw new UserFacingError(`Argument "${name}": ${error.message}`);
    throw error;
  }
}

/**
 * The matrix the user means in the editor: the selected text when there is a selection, otherwise
 * the literal enclosing the cursor. `undefined` when the cursor is on no matrix; a literal that is
 * numbers but malformed (ragged, too large) is explained, pointing at the offending place.
 */
export function matrixFromEditor(editor: vscode.TextEditor): SourcedMatrix | undefined {
  const { document, selection } = editor;
  const selected = !selection.isEmpty;
  // Parser ranges are relative to the text it was given: the selection, or the whole document.
  const base = selected ? document.offsetAt(selection.start) : 0;
  // A MATLAB `.m` file opened as Objective-C is read as MATLAB; real Objective-C as text of unknown notation.
  const language = document.languageId === OBJECTIVE_C ? readingLanguage(document) : document.languageId;
  try {
    if (selected) {
      const text = document.getText(selection);
      checkTextLength(text);
      const { tensor, start, end, notation } = parseRange(text, 0, text.length, notationForLanguage(language));
      // The literal itself, without whitespace selected around it: that is what a write-back replaces.
      const range = new vscode.Range(document.positionAt(base + start), document.positionAt(base + end));
      return { tensor, origin: { document, range, notation, fromSelection: true } };
    }
    const found = findMatrixAt(document.getText(), document.offsetAt(selection.active), language);
    if (!found) return undefined;
    const range = new vscode.Range(document.positionAt(found.start), document.positionAt(found.end));
    return { tensor: { shape: found.shape, data: found.data }, origin: { document, range, notation: found.notation } };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const start = base + error.range.start;
    const end = base + error.range.end;
    const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
    const what = selected ? 'The selection is not a matrix' : 'The matrix at the cursor cannot be read';
    throw new UserFacingError(`${what}: ${error.message} (${place(document, range)}).`, { uri: document.uri.toString(), start, end });
  }
}

/** `model.py, line 12, column 8` */
export function place(document: vscode.TextDocument, range: vscode.Range): string {
  return `${uriBaseName(document.uri)}, line ${range.start.line + 1}, column ${range.start.character + 1}`;
}

/** Asks for a matrix as text, validating as the user types. `undefined` when they cancel. */
export async function promptForMatrix(title: string, placeholder: string): Promise<SourcedMatrix | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    placeHolder: placeholder,
    prompt: 'Any notation Layer Lens reads: [[1, 2], [3, 4]], np.array(…), [1 2; 3 4], …',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (!value.trim()) return 'Type a matrix, e.g. [[1, 1], [1, 1]]';
      try {
        parseMatrix(value);
        return undefined;
      } catch (error) {
        return error instanceof ParseError ? error.message : String(error);
      }
    },
  });
  if (text === undefined) return undefined;
  const { shape, data } = parseMatrix(text);
  return { tensor: { shape, data } };
}

interface KernelPick extends vscode.QuickPickItem {
  readonly matrix?: SourcedMatrix;
}

/**
 * Asks for the kernel: the other matrices of the document first (nearest to the input first),
 * then "type one". With no other matrix in the document it goes straight to typing.
 */
export async function pickKernel(document: vscode.TextDocument | undefined, exclude: vscode.Range | undefined): Promise<SourcedMatrix | undefined> {
  const candidates: KernelPick[] = [];
  if (document) {
    const anchor = exclude?.start.line ?? 0;
    const text = document.getText();
    const found = findMatrices(text, document.languageId)
      .map((m) => ({ m, range: new vscode.Range(document.positionAt(m.start), document.positionAt(m.end)) }))
      .filter(({ range }) => !exclude || !range.intersection(exclude))
      .sort((a, b) => Math.abs(a.range.start.line - anchor) - Math.abs(b.range.start.line - anchor));
    for (const { m, range } of found) {
      candidates.push({
        ...literalRow(assignedName(text, m.start), m.shape, `line ${range.start.line + 1}`),
        detail: preview(text.slice(m.start, m.end)),
        matrix: { tensor: { shape: m.shape, data: m.data }, origin: { document, range, notation: m.notation } },
      });
    }
  }
  if (candidates.length === 0) return promptForMatrix('Layer Lens: Kernel', '[[1, 1], [1, 1]]');
  const typeOne: KernelPick = { label: '$(edit) Type a kernel…', alwaysShow: true };
  const choice = await vscode.window.showQuickPick<KernelPick>(
    [{ label: 'In this document', kind: vscode.QuickPickItemKind.Separator }, ...candidates, { label: '', kind: vscode.QuickPickItemKind.Separator }, typeOne],
    { title: 'Layer Lens: Kernel', placeHolder: 'Choose the kernel to paste for each input value', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  return choice.matrix ?? promptForMatrix('Layer Lens: Kernel', '[[1, 1], [1, 1]]');
}

/**
 * A literal as a quick pick row: the name it is assigned to first (`k3`), as the code and its
 * readers call it, then its shape and where it is; its shape first when it has no name.
 */
export function literalRow(name: string | undefined, shape: readonly number[], where: string): { readonly label: string; readonly description: string } {
  const size = shape.join('×');
  return name === undefined ? { label: `$(symbol-array) ${size}`, description: where } : { label: `$(symbol-array) ${name}`, description: `${size} · ${where}` };
}

/** A literal on one line, cut at 80 characters, for a quick pick's detail. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
