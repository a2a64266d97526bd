/**
 * Where a command's matrices come from: an argument, the editor's selection, the literal around
 * the cursor, another literal in the document, or one the user types. The parsing itself is the
 * pure parser's; this module only gathers text from VS Code and words the problems.
 */
import * as vscode from 'vscode';
import { uriBaseName } from './uriName';
import type { Tensor } from '../../core/engine/tensor';
import { ParseError } from '../../core/parse/errors';
import { assignedName, findMatrices, findMatrixAt, notationForLanguage, parseMatrix, type FoundMatrix, type Notation } from '../../core/parse/index';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { checkTextLength, parseRange } from '../../core/parse/parseMatrix';
import { isSourcePlace, tensorFromNested, UserFacingError, type MatrixArgument, type SourcePlace } from './arguments';
import { OBJECTIVE_C, readingLanguage } from './documentLanguage';
import { preview } from '../../core/worker/matrixListing';

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
  if (isSourcePlace(value)) return matrixAtPlace(value, name);
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
 * The literal at a place of an open document (the CodeLens's argument): read when the command
 * runs, so it carries its origin (for write-back and links) and the lens carries no values.
 */
function matrixAtPlace(at: SourcePlace, name: string): SourcedMatrix {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === at.uri);
  if (!document) throw new UserFacingError(`Argument "${name}": ${at.uri} is not open, and Layer Lens reads matrices only from open documents.`);
  const offset = document.offsetAt(new vscode.Position(at.position.line, at.position.character));
  const language = document.languageId === OBJECTIVE_C ? readingLanguage(document) : document.languageId;
  try {
    const found = findMatrixAt(document.getText(), offset, language);
    if (!found) throw new UserFacingError(`There is no matrix at ${uriBaseName(document.uri)}, line ${at.position.line + 1} any more.`);
    const range = new vscode.Range(document.positionAt(found.start), document.positionAt(found.end));
    return { tensor: { shape: found.shape, data: found.data }, origin: { document, range, notation: found.notation } };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const range = new vscode.Range(document.positionAt(error.range.start), document.positionAt(error.range.end));
    throw new UserFacingError(`The matrix cannot be read: ${error.message} (${place(document, range)}).`, { uri: document.uri.toString(), start: error.range.start, end: error.range.end });
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
  const language = readingLanguage(document);
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
    throw explained(error, document, base, selected);
  }
}

/** A ParseError of the selection or the literal at the cursor in words, pointing at the place (`base`: where the parsed text starts). */
function explained(error: unknown, document: vscode.TextDocument, base: number, selected: boolean): unknown {
  if (!(error instanceof ParseError)) return error;
  const start = base + error.range.start;
  const end = base + error.range.end;
  const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
  const what = selected ? 'The selection is not a matrix' : 'The matrix at the cursor cannot be read';
  return new UserFacingError(`${what}: ${error.message} (${place(document, range)}).`, { uri: document.uri.toString(), start, end });
}

/** A selection too long to read on the extension host without stalling it ({@link INLINE_TEXT_LENGTH}). */
export function isLongSelection(editor: vscode.TextEditor): boolean {
  const { document, selection } = editor;
  return !selection.isEmpty && document.offsetAt(selection.end) - document.offsetAt(selection.start) > INLINE_TEXT_LENGTH;
}

/**
 * The selected matrix, read in the engine worker (see {@link isLongSelection}): what
 * {@link matrixFromEditor} gives for a selection, without stalling the extension host.
 */
export async function readSelectionInWorker(editor: vscode.TextEditor, engine: EngineWorkerClient, token: vscode.CancellationToken): Promise<SourcedMatrix> {
  const { document, selection } = editor;
  const base = document.offsetAt(selection.start);
  const text = document.getText(selection);
  try {
    checkTextLength(text);
    const { tensor, start, end, notation } = await engine.parseMatrix(text, notationForLanguage(readingLanguage(document)), token);
    const range = new vscode.Range(document.positionAt(base + start), document.positionAt(base + end));
    return { tensor, origin: { document, range, notation, fromSelection: true } };
  } catch (error) {
    throw explained(error, document, base, true);
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
 * Documents longer than this are searched for kernels in the engine worker, behind a picker that
 * is already showing: reading half a megabyte of literals takes about 0.1 s on the extension host.
 */
export const INLINE_TEXT_LENGTH = 512 * 1024;

const KERNEL_TITLE = 'Layer Lens: Kernel';
const KERNEL_PLACEHOLDER = 'Choose the kernel to paste for each input value';
const TYPE_ONE: KernelPick = { label: '$(edit) Type a kernel…', alwaysShow: true };

/**
 * Asks for the kernel: the other matrices of the document first (nearest to the input first),
 * then "type one". With no other matrix in the document it goes straight to typing. A long
 * document is searched in the engine worker while the picker shows (busy, "Type a kernel…"
 * already offered), so the question appears at once; `token` stops that search.
 */
export async function pickKernel(
  document: vscode.TextDocument | undefined,
  exclude: vscode.Range | undefined,
  engine: EngineWorkerClient,
  token?: vscode.CancellationToken,
): Promise<SourcedMatrix | undefined> {
  const end = document?.offsetAt(document.lineAt(document.lineCount - 1).range.end) ?? 0;
  if (document && end > INLINE_TEXT_LENGTH) return pickKernelWhileSearching(document, exclude, engine, token);
  const candidates = document ? kernelCandidates(document, findMatrices(document.getText(), document.languageId), exclude) : [];
  if (candidates.length === 0) return promptForMatrix(KERNEL_TITLE, '[[1, 1], [1, 1]]');
  const choice = await vscode.window.showQuickPick<KernelPick>(kernelItems(candidates), {
    title: KERNEL_TITLE,
    placeHolder: KERNEL_PLACEHOLDER,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!choice) return undefined;
  return choice.matrix ?? promptForMatrix(KERNEL_TITLE, '[[1, 1], [1, 1]]');
}

async function pickKernelWhileSearching(
  document: vscode.TextDocument,
  exclude: vscode.Range | undefined,
  engine: EngineWorkerClient,
  token: vscode.CancellationToken | undefined,
): Promise<SourcedMatrix | undefined> {
  // The text around the input only: the input, which may be most of the document, is neither copied nor searched.
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const parts = exclude ? [new vscode.Range(whole.start, exclude.start), new vscode.Range(exclude.end, whole.end)] : [whole];
  const pieces = parts.map((range) => ({ text: document.getText(range), offset: document.offsetAt(range.start) }));
  // Posted before anything else is asked of the worker, so the search comes first in its queue.
  // Dismissing the question stops the search (and the worker with it: the command ends).
  const stop = new vscode.CancellationTokenSource();
  const outer = token?.onCancellationRequested(() => stop.cancel());
  const search = engine.findMatrices(pieces, document.languageId, stop.token);
  const picker = vscode.window.createQuickPick<KernelPick>();
  picker.title = KERNEL_TITLE;
  picker.placeholder = `Reading the matrices of ${uriBaseName(document.uri)}…`;
  picker.items = [TYPE_ONE];
  picker.busy = true;
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.ignoreFocusOut = true;
  search.then(
    (found) => {
      const candidates = kernelCandidates(document, found, exclude);
      picker.items = candidates.length > 0 ? kernelItems(candidates) : [TYPE_ONE];
      picker.placeholder = candidates.length > 0 ? KERNEL_PLACEHOLDER : `${uriBaseName(document.uri)} has no other matrix: type the kernel`;
      picker.busy = false;
    },
    (error: unknown) => {
      picker.busy = false;
      picker.placeholder = `The matrices of ${uriBaseName(document.uri)} could not be read (${error instanceof Error ? error.message : String(error)}): type the kernel`;
    },
  );
  const choice = await new Promise<KernelPick | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]));
    picker.onDidHide(() => resolve(undefined));
    picker.show();
  });
  picker.dispose();
  outer?.dispose();
  if (!choice) stop.cancel();
  stop.dispose();
  if (!choice) return undefined;
  return choice.matrix ?? promptForMatrix(KERNEL_TITLE, '[[1, 1], [1, 1]]');
}

/** The literals a kernel may be taken from, nearest to the input first. */
function kernelCandidates(document: vscode.TextDocument, found: readonly FoundMatrix[], exclude: vscode.Range | undefined): KernelPick[] {
  const anchor = exclude?.start.line ?? 0;
  return found
    .map((m) => ({ m, range: new vscode.Range(document.positionAt(m.start), document.positionAt(m.end)) }))
    .filter(({ range }) => !exclude || !range.intersection(exclude))
    .sort((a, b) => Math.abs(a.range.start.line - anchor) - Math.abs(b.range.start.line - anchor))
    .map(({ m, range }) => ({
      // The name is on the literal's line, before it (assignedName reads no further back).
      ...literalRow(assignedName(document.lineAt(range.start.line).text, range.start.character), m.shape, `line ${range.start.line + 1}`),
      // Enough of the literal for the 80 characters of its preview, however long it is.
      detail: preview(document.getText(new vscode.Range(range.start, document.positionAt(Math.min(m.end, m.start + PREVIEW_TEXT_LENGTH))))),
      matrix: { tensor: { shape: m.shape, data: m.data }, origin: { document, range, notation: m.notation } },
    }));
}

function kernelItems(candidates: readonly KernelPick[]): KernelPick[] {
  return [{ label: 'In this document', kind: vscode.QuickPickItemKind.Separator }, ...candidates, { label: '', kind: vscode.QuickPickItemKind.Separator }, TYPE_ONE];
}

/**
 * A literal as a quick pick row: the name it is assigned to first (`k3`), as the code and its
 * readers call it, then its shape and where it is; its shape first when it has no name.
 */
export function literalRow(name: string | undefined, shape: readonly number[], where: string): { readonly label: string; readonly description: string } {
  const size = shape.join('×');
  return name === undefined ? { label: `$(symbol-array) ${size}`, description: where } : { label: `$(symbol-array) ${name}`, description: `${size} · ${where}` };
}

/** How much of a literal's text its preview reads: spaces collapse, so more than the 80 characters shown. */
const PREVIEW_TEXT_LENGTH = 4096;
