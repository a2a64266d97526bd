/**
 * "Layer Lens: Transposed Convolution": the matrix under the selection or cursor (or given as an
 * argument) is the input, a kernel is picked or typed, a stride asked for; the result is shown in
 * the panel and returned, so keybindings, tests and other extensions can drive it without UI.
 */
import * as vscode from 'vscode';
import { readSettings, type LayerLensSettings } from '../common/settings';
import { outputShape } from '../../core/engine/index';
import type { OutputShape } from '../../core/engine/outputShape';
import { askWithPreview, checkOutputSize } from '../common/previewedInput';
import { TransposedConvolutionPanel } from './transposedConvolutionPanel';
import type { OperandSource } from './operandTracker';
import { LiteralLink } from './literalLink';
import { computeConvTranspose } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { viewShape, type MatrixView } from '../../core/protocol/common';
import { type TransposedConvolutionLayer } from '../../core/protocol/transposed';
import { operandView, pairOperands, tensorOfView } from './operandShapes';
import { parseStrideText, readTransposedConvolutionArguments, UserFacingError, type PairArgument } from '../common/arguments';
import { reportingProblems } from '../common/problems';
import { toNumberArray } from '../common/result';
import { describeOrigin, type SourcedMatrix } from '../common/matrixSources';
import { gatherOperands } from '../common/operands';

export const TRANSPOSED_CONVOLUTION_COMMAND = 'layerLens.transposedConvolution';

/** What the command returns: the output matrix, row-major. */
export interface TransposedConvolutionResult {
  readonly shape: number[];
  readonly data: number[];
}

type Pair = readonly [number, number];
/** The layer's parameters, every one given (PyTorch's defaults filled in). */
type LayerParams = TransposedConvolutionLayer['params'];

/** What the command needs from the extension. */
export interface TransposedConvolutionContext {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

export async function transposedConvolutionCommand(context: TransposedConvolutionContext, rawArguments: unknown): Promise<TransposedConvolutionResult | undefined> {
  return reportingProblems(() => run(context, rawArguments));
}

async function run(context: TransposedConvolutionContext, rawArguments: unknown): Promise<TransposedConvolutionResult | undefined> {
  const args = readTransposedConvolutionArguments(rawArguments);
  const editor = vscode.window.activeTextEditor;
  const settings = readSettings(editor?.document);

  const answered = await gatherOperands({ ...args, inputPlaceholder: '[[1, 2], [3, 4]]' }, context.engine);
  if (!answered) return undefined;
  const { input, kernel } = answered;
  const inputView = asView(input, 'input');
  const kernelView = asView(kernel, 'kernel');
  const paired = pairOperands(inputView, kernelView, { input: describeOrigin(input), kernel: describeOrigin(kernel) });
  if (!paired.ok) throw new UserFacingError(paired.problem);
  const operands = paired.value;

  const options = (stride: Pair): LayerParams => ({
    stride,
    padding: toPair(args.padding ?? 0),
    outputPadding: toPair(args.outputPadding ?? 0),
    dilation: toPair(args.dilation ?? 1),
    ...(args.groups !== undefined ? { groups: args.groups } : {}),
  });
  if (args.stride !== undefined) return computeAndShow(context, settings, input, kernel, operands, options(toPair(args.stride)));
  const discardEarlyPanel = TransposedConvolutionPanel.openEarly(
    context,
    input.origin?.document.uri.toString(),
    `Choose the stride: the ${viewShape(operands.input).join('×')} input, the ${viewShape(operands.kernel).join('×')} kernel and their output are drawn here once it is computed.`,
  );
  try {
    const stride = await askWithPreview({
      title: 'Layer Lens: Stride',
      prompt: 'How far each pasted kernel moves in the output: one number, or height and width ("2, 1").',
      value: String(settings.defaultStride),
      read: parseStrideText,
      shape: (answer) => convTransposeShape(operands, options(answer)),
      maxOutputElements: settings.maxOutputElements,
    });
    return stride && (await computeAndShow(context, settings, input, kernel, operands, options(stride)));
  } finally {
    discardEarlyPanel();
  }
}

/** The output shape, in the engine's words: it validates every parameter (channels and groups too). */
function convTransposeShape(operands: { readonly input: MatrixView; readonly kernel: MatrixView }, options: LayerParams): OutputShape {
  return outputShape('convTranspose2d', viewShape(operands.input), { ...options, weightShape: viewShape(operands.kernel) });
}

/** The rest of the command once every answer is in: checks the size, computes, shows the panel, returns the output. */
async function computeAndShow(
  context: TransposedConvolutionContext,
  settings: LayerLensSettings,
  input: SourcedMatrix,
  kernel: SourcedMatrix,
  operands: { readonly input: MatrixView; readonly kernel: MatrixView },
  options: LayerParams,
): Promise<TransposedConvolutionResult> {
  // Shape first: it bounds the work.
  checkOutputSize(convTransposeShape(operands, options).shape, settings.maxOutputElements);
  const output = await computeConvTranspose(context.engine, tensorOfView(operands.input), tensorOfView(operands.kernel), options);

  const layer: TransposedConvolutionLayer = {
    input: operands.input,
    kernel: operands.kernel,
    params: options,
    source: describeOrigin(input),
    sourceUri: input.origin?.document.uri.toString(),
  };
  TransposedConvolutionPanel.show(context, layer, { input: linkTo(input), kernel: linkTo(kernel) }, { input: operandSource(input), kernel: operandSource(kernel) });
  return { shape: [...output.shape], data: toNumberArray(output.data) };
}

/** An operand as the panel holds it (a matrix, or matrices with channel axes), or a message naming it and where it is. */
function asView(matrix: SourcedMatrix, role: 'input' | 'kernel'): MatrixView {
  const reading = operandView(role, matrix.tensor, describeOrigin(matrix));
  if (!reading.ok) throw new UserFacingError(reading.problem);
  return reading.value;
}

/** Where the panel can follow an operand: a literal found around the cursor, or a selection. */
function operandSource(matrix: SourcedMatrix): OperandSource | undefined {
  return matrix.origin && { ...matrix.origin, kind: matrix.origin.fromSelection ? 'selection' : 'literal' };
}

/** A link the panel can write cell edits back through, for a matrix read from a document. */
function linkTo(matrix: SourcedMatrix): LiteralLink | undefined {
  const origin = matrix.origin;
  return origin && new LiteralLink(origin.document, origin.range, origin.notation);
}

function toPair(value: PairArgument): Pair {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
