/**
 * The input and the kernel of a (transposed) convolution, gathered in the order a person answers:
 * the kernel question appears at once, even when the input is a selection of millions of values,
 * which is read in the engine worker behind it (a 2000×2000 literal takes seconds to read). If the
 * kernel is chosen before the input is read, a notification with Cancel shows the reading after
 * 0.4 s; dismissing the kernel question stops it.
 */
import * as vscode from 'vscode';
import type { MatrixArgument } from './arguments';
import { isLongSelection, matrixFromArgument, matrixFromEditor, pickKernel, promptForMatrix, readSelectionInWorker, type SourcedMatrix } from './matrixSources';
import { takePendingKernel } from '../transposed/pendingKernel';
import { inWorker } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';

export interface OperandSources {
  /** The input given as an argument; otherwise the editor's selection or the literal at the cursor, or one typed. */
  readonly input?: MatrixArgument;
  /** The kernel given as an argument; otherwise the one Set Kernel left pending, or one picked. */
  readonly kernel?: MatrixArgument;
  /** The example offered when the input has to be typed. */
  readonly inputPlaceholder: string;
}

export interface Operands {
  readonly input: SourcedMatrix;
  readonly kernel: SourcedMatrix;
}

/** Both operands, or `undefined` when a question was dismissed. */
export async function gatherOperands(sources: OperandSources, engine: EngineWorkerClient): Promise<Operands | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (sources.input === undefined && editor && isLongSelection(editor)) return withLongSelection(editor, sources, engine);
  const input = await inputMatrix(sources.input, sources.inputPlaceholder, engine);
  if (!input) return undefined;
  const kernel = await kernelOf(sources, input.origin?.document ?? editor?.document, input.origin?.range, engine);
  return kernel && { input, kernel };
}

/**
 * The input of a layer with no kernel (Pool, Upsample, Pixel Shuffle): the argument, the selection
 * (a long one read in the engine worker, with a notification and Cancel after 0.4 s), the literal
 * at the cursor, or one typed; `undefined` when dismissed.
 */
export async function inputMatrix(argument: MatrixArgument | undefined, placeholder: string, engine: EngineWorkerClient): Promise<SourcedMatrix | undefined> {
  if (argument !== undefined) return matrixFromArgument(argument, 'input');
  const editor = vscode.window.activeTextEditor;
  if (editor && isLongSelection(editor)) return inWorker((token) => readSelectionInWorker(editor, engine, token), readingTitle(editor));
  return (editor && matrixFromEditor(editor)) ?? (await promptForMatrix('Layer Lens: Input matrix', placeholder));
}

/** What the notification of a long reading says. */
function readingTitle(editor: vscode.TextEditor): string {
  const length = editor.document.offsetAt(editor.selection.end) - editor.document.offsetAt(editor.selection.start);
  return `Layer Lens: reading the selected matrix (${(length / 1024 / 1024).toFixed(1)} MB of text)…`;
}

function kernelOf(
  sources: OperandSources,
  document: vscode.TextDocument | undefined,
  exclude: vscode.Range | undefined,
  engine: EngineWorkerClient,
  token?: vscode.CancellationToken,
): SourcedMatrix | Promise<SourcedMatrix | undefined> {
  if (sources.kernel !== undefined) return matrixFromArgument(sources.kernel, 'kernel');
  // A kernel chosen with Set Kernel while no panel was open is used once, here, instead of asking.
  return takePendingKernel() ?? pickKernel(document, exclude, engine, token);
}

async function withLongSelection(editor: vscode.TextEditor, sources: OperandSources, engine: EngineWorkerClient): Promise<Operands | undefined> {
  const cancellation = new vscode.CancellationTokenSource();
  try {
    // The kernel question first: it posts its search of the document before the reading, so the
    // worker answers it first, and it shows before anything is read.
    const kernelAnswer = kernelOf(sources, editor.document, editor.selection, engine, cancellation.token);
    const reading = readSelectionInWorker(editor, engine, cancellation.token);
    // Awaited below, unless the kernel question is dismissed first: then its rejection is expected.
    reading.catch(() => undefined);
    const kernel = await kernelAnswer;
    if (!kernel) return undefined;
    const input = await inWorker((token) => {
      token.onCancellationRequested(() => cancellation.cancel());
      return reading;
    }, readingTitle(editor));
    return { input, kernel };
  } finally {
    // Stops whatever is still running for these questions (a dismissed question, a search no longer needed).
    cancellation.cancel();
    cancellation.dispose();
  }
}
