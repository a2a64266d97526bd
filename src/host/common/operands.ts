/**
 * The input and the kernel of a (transposed) convolution, gathered in the order a person answers:
 * the kernel question appears at once, even when the input is a selection of millions of values,
 * which is read in the engine worker behind it (a 2000×2000 literal takes seconds to read). If the
 * kernel is chosen before the input is read, a notification with Cancel shows the reading after
 * 0.4 s; dismissing the kernel question stops it. The layers with no kernel (Pool, Upsample, Pixel
 * Shuffle) ask their questions the same way while the selection is read ({@link layerInput}).
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
  const input = await inputInHand(sources.input, sources.inputPlaceholder, editor);
  if (!input) return undefined;
  const kernel = await kernelOf(sources, input.origin?.document ?? editor?.document, input.origin?.range, engine);
  return kernel && { input, kernel };
}

/**
 * The input of a layer with no kernel (Pool, Upsample, Pixel Shuffle) as its questions see it: a
 * long selection is read in the engine worker while they are asked, so the first one shows at once.
 */
export interface LayerInput {
  /** The matrix once read; `undefined` while a long selection is still being read. */
  readonly matrix: SourcedMatrix | undefined;
  /** The document the input comes from (the one whose settings apply), known before it is read. */
  readonly document: vscode.TextDocument | undefined;
  /** Settles when the reading is over, read or not (at once for an input in hand). */
  readonly read: Promise<void>;
  /** Cancelled if the reading fails: the question showing is then dismissed, and {@link afterDismissal} reports why. */
  readonly failed: vscode.CancellationToken;
  /** The matrix: waits for the reading, with a notification and Cancel after 0.4 s. */
  matrixRead(): Promise<SourcedMatrix>;
  /** What a dismissed question leaves: the reading's error if it failed (reported at its place), or nothing. */
  afterDismissal(): undefined;
  /** Stops the reading if it is still going. */
  dispose(): void;
}

/**
 * The input: the argument, the selection (a long one read in the engine worker behind the questions),
 * the literal at the cursor, or one typed; `undefined` when dismissed.
 */
export async function layerInput(argument: MatrixArgument | undefined, placeholder: string, engine: EngineWorkerClient): Promise<LayerInput | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (argument === undefined && editor && isLongSelection(editor)) return readingInput(editor, engine);
  const matrix = await inputInHand(argument, placeholder, editor);
  if (!matrix) return undefined;
  return {
    matrix,
    document: matrix.origin?.document ?? editor?.document,
    read: Promise.resolve(),
    failed: new vscode.CancellationTokenSource().token,
    matrixRead: () => Promise.resolve(matrix),
    afterDismissal: () => undefined,
    dispose: () => undefined,
  };
}

/** The input argument, the short selection or the literal at the cursor, or one typed; `undefined` when dismissed. */
async function inputInHand(argument: MatrixArgument | undefined, placeholder: string, editor: vscode.TextEditor | undefined): Promise<SourcedMatrix | undefined> {
  if (argument !== undefined) return matrixFromArgument(argument, 'input');
  return (editor && matrixFromEditor(editor)) ?? (await promptForMatrix('Layer Lens: Input matrix', placeholder));
}

function readingInput(editor: vscode.TextEditor, engine: EngineWorkerClient): LayerInput {
  const cancellation = new vscode.CancellationTokenSource();
  const failure = new vscode.CancellationTokenSource();
  let matrix: SourcedMatrix | undefined;
  let problem: unknown;
  const reading = readSelectionInWorker(editor, engine, cancellation.token).then(
    (read) => (matrix = read),
    (error: unknown) => {
      if (!(error instanceof vscode.CancellationError)) {
        problem = error;
        failure.cancel();
      }
      throw error;
    },
  );
  return {
    get matrix() {
      return matrix;
    },
    document: editor.document,
    read: reading.then(
      () => undefined,
      () => undefined,
    ),
    failed: failure.token,
    matrixRead: () =>
      inWorker((token) => {
        token.onCancellationRequested(() => cancellation.cancel());
        return reading;
      }, readingTitle(editor)),
    afterDismissal: () => {
      if (problem !== undefined) throw problem;
      return undefined;
    },
    dispose: () => {
      cancellation.cancel();
      cancellation.dispose();
      failure.dispose();
    },
  };
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
