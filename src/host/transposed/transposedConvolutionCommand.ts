/**
 * "Layer Lens: Transposed Convolution": the matrix under the selection or cursor (or given as an
 * argument) is the input, a kernel is picked or typed, a stride asked for; the result is shown in
 * the panel and returned, so keybindings, tests and other extensions can drive it without UI.
 */
import * as vscode from 'vscode';
import { readSettings, type LayerLensSettings } from '../common/settings';
import { outputShape } from '../../core/engine/index';
import { TransposedConvolutionPanel } from './transposedConvolutionPanel';
import type { OperandSource } from './operandTracker';
import { LiteralLink } from './literalLink';
import { computeConvTranspose } from '../worker/computeLayer';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { viewShape, type MatrixView } from '../../core/protocol/common';
import { type TransposedConvolutionLayer } from '../../core/protocol/transposed';
import { operandView, pairOperands, tensorOfView } from './operandShapes';
import { parseStrideText, readTransposedConvolutionArguments, UserFacingError, type PairArgument, type TransposedConvolutionArguments } from '../common/arguments';
import { takePendingKernel } from './pendingKernel';
import { reportingProblems } from '../common/problems';
import { toNumberArray } from '../common/result';
import { describeOrigin, matrixFromArgument, matrixFromEditor, pickKernel, promptForMatrix, type SourcedMatrix } from '../common/matrixSources';

export const TRANSPOSED_CONVOLUTION_COMMAND = 'layerLens.transposedConvolution';

/** What the command returns: the output matrix, row-major. */
export interface TransposedConvolutionResult {
  readonly shape: number[];
  readonly data: number[];
}

type Pair = readonly [number, number];

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

  const input =
    args.input !== undefined
      ? matrixFromArgument(args.input, 'input')
      : ((editor && matrixFromEditor(editor)) ?? (await promptForMatrix('Layer Lens: Input matrix', '[[1, 2], [3, 4]]')));
  if (!input) return undefined;
  const inputView = asView(input, 'input');

  // A kernel chosen with Set Kernel while no panel was open is used once, here, instead of asking.
  const kernel =
    args.kernel !== undefined
      ? matrixFromArgument(args.kernel, 'kernel')
      : (takePendingKernel() ?? (await pickKernel(input.origin?.document ?? editor?.document, input.origin?.range)));
  if (!kernel) return undefined;
  const kernelView = asView(kernel, 'kernel');
  const paired = pairOperands(inputView, kernelView, { input: describeOrigin(input), kernel: describeOrigin(kernel) });
  if (!paired.ok) throw new UserFacingError(paired.problem);
  const operands = paired.value;

  if (args.stride !== undefined) return computeAndShow(context, settings, args, input, kernel, operands, toPair(args.stride));
  const discardEarlyPanel = TransposedConvolutionPanel.openEarly(
    context,
    input.origin?.document.uri.toString(),
    `Choose the stride: the ${viewShape(operands.input).join('×')} input, the ${viewShape(operands.kernel).join('×')} kernel and their output are drawn here once it is computed.`,
  );
  try {
    const stride = await promptForStride(settings.defaultStride);
    return stride && (await computeAndShow(context, settings, args, input, kernel, operands, stride));
  } finally {
    discardEarlyPanel();
  }
}

/** The rest of the command once every answer is in: checks the size, computes, shows the panel, returns the output. */
async function computeAndShow(
  context: TransposedConvolutionContext,
  settings: LayerLensSettings,
  args: TransposedConvolutionArguments,
  input: SourcedMatrix,
  kernel: SourcedMatrix,
  operands: { readonly input: MatrixView; readonly kernel: MatrixView },
  stride: Pair,
): Promise<TransposedConvolutionResult> {
  const options = {
    stride,
    padding: toPair(args.padding ?? 0),
    outputPadding: toPair(args.outputPadding ?? 0),
    dilation: toPair(args.dilation ?? 1),
    ...(args.groups !== undefined ? { groups: args.groups } : {}),
  };

  // Shape first: it validates every parameter (channels and groups too) in the engine's words and bounds the work.
  const shape = outputShape('convTranspose2d', viewShape(operands.input), { ...options, weightShape: viewShape(operands.kernel) });
  const outputSize = shape.shape.reduce((a, b) => a * b, 1);
  if (outputSize > settings.maxOutputElements) {
    throw new UserFacingError(
      `The output would be ${shape.shape.join(' × ')} = ${outputSize.toLocaleString('en-US')} values, more than the ` +
        `layerLens.maxOutputElements setting allows (${settings.maxOutputElements.toLocaleString('en-US')}). Raise the setting to compute it.`,
    );
  }
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

async function promptForStride(defaultStride: number): Promise<Pair | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Layer Lens: Stride',
    prompt: 'How far each pasted kernel moves in the output: one number, or height and width ("2, 1").',
    value: String(defaultStride),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseStrideText(value);
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseStrideText(text);
  return typeof parsed === 'string' ? undefined : parsed;
}
