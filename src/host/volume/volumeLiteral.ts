/**
 * A tensor literal of a document as a 1-D or 3-D layer's input: the one given by its text or place,
 * or the active editor's selection (a long one read in the engine worker) or the literal around its
 * cursor; then read for the layer as PyTorch (or Keras) reads a tensor of its rank, the reading
 * stated in words, a literal the layer cannot take refused at its place.
 */
import * as vscode from 'vscode';
import { readVolumeInput, type VolumeInputReading } from '../../core/insight/volumeInput';
import type { VolumeLayerOp } from '../../core/protocol/volume';
import { UserFacingError, type SourcePlace } from '../common/arguments';
import { describeOrigin, isLongSelection, matrixFromArgument, matrixFromEditor, place, readSelectionInWorker, type SourcedMatrix } from '../common/matrixSources';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';

/** The literal the arguments name, or the one the active editor's selection or cursor is on. */
export async function literalMatrix(argument: string | SourcePlace | undefined, engine: EngineWorkerClient): Promise<SourcedMatrix> {
  if (argument !== undefined) return matrixFromArgument(argument, 'input');
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserFacingError('No input is given and no editor is active: select a tensor literal (or put the cursor in one), or pass "input".');
  if (isLongSelection(editor)) {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Layer Lens: reading the selected tensor', cancellable: true }, (_progress, token) =>
      readSelectionInWorker(editor, engine, token),
    );
  }
  const matrix = matrixFromEditor(editor);
  if (!matrix) {
    const at = editor.selection.active;
    throw new UserFacingError(`There is no tensor literal at ${place(editor.document, new vscode.Range(at, at))}: select one, or put the cursor in one such as np.array([[[1, 2], [3, 4]]]).`);
  }
  return matrix;
}

/** {@link readVolumeInput} for a literal of a document: a refusal points at the literal. */
export function readLiteralFor(matrix: SourcedMatrix, op: VolumeLayerOp, layer: string, layout: 'channels-first' | 'channels-last' = 'channels-first'): VolumeInputReading {
  const reading = readVolumeInput(matrix.tensor, op, layer, layout);
  if (reading.ok) return reading.value;
  throw literalProblem(matrix, reading.problem);
}

/** A problem with the literal, said with its place and pointing at it. */
export function literalProblem(matrix: SourcedMatrix, problem: string): UserFacingError {
  const origin = matrix.origin;
  if (!origin) return new UserFacingError(`${problem}.`);
  const { document, range } = origin;
  return new UserFacingError(`${problem} (${place(document, range)}).`, { uri: document.uri.toString(), start: document.offsetAt(range.start), end: document.offsetAt(range.end) });
}

/** `x at volume.py:3, read as [D, H, W] = 2×3×4: …`: what the panel says it shows. */
export function literalSource(matrix: SourcedMatrix, reading: VolumeInputReading, layer?: string): string {
  const where = describeOrigin(matrix);
  const name = where ? `the literal at ${where}` : 'the literal';
  return `${layer ? `${layer} on ` : ''}${name}, ${reading.description}`;
}
