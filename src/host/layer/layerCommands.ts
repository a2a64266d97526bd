/**
 * "Layer Lens: Convolution", "Pool", "Upsample" and "Pixel Shuffle": the matrix under the selection
 * or cursor (or given as an argument) goes through the layer; the result opens in the layer panel,
 * which steps through it one output cell at a time, and is returned, so keybindings, tests and other
 * extensions can drive the commands without UI.
 *
 * What the layer needs and was not given is asked: the kernel (Convolution), the pooling kind and
 * window, the scale factor, the upscale factor. The other parameters take PyTorch's defaults and are
 * edited in the panel; with no arguments object at all (the palette), the stride and the upsampling
 * mode are asked too. Every input box checks its answer with the engine as it is typed and shows the
 * output shape it gives, or why PyTorch would refuse it.
 */
import * as vscode from 'vscode';
import { readSettings, type LayerLensSettings } from '../common/settings';
import { askWithPreview, checkOutputSize, type PreviewedQuestion } from '../common/previewedInput';
import { GATHER_LAYER_NAMES, gatherLayerShape, type GatherLayerCall } from '../../core/engine/index';
import { LayerError } from '../../core/engine/errors';
import type { Tensor } from '../../core/engine/tensor';
import { LayerPanel } from './layerPanel';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { computeGatherLayer, gatherLayerRunsInWorker } from '../worker/computeLayer';
import { isArgumentsObject, parseStrideText, readSizeText, type MatrixArgument, type PairArgument } from '../common/arguments';
import {
  parsePaddingText,
  parseScaleText,
  parseWholeText,
  readConvolutionArguments,
  readPixelShuffleArguments,
  readPoolArguments,
  readUpsampleArguments,
  type PoolKind,
  type UpsampleModeArgument,
} from './layerArguments';
import { describeOrigin, type SourcedMatrix } from '../common/matrixSources';
import { gatherOperands, layerInput, type LayerInput } from '../common/operands';
import { reportingProblems } from '../common/problems';
import { toNumberArray } from '../common/result';

export const CONVOLUTION_COMMAND = 'layerLens.convolution';
export const POOL_COMMAND = 'layerLens.pool';
export const UPSAMPLE_COMMAND = 'layerLens.upsample';
export const PIXEL_SHUFFLE_COMMAND = 'layerLens.pixelShuffle';

/** What the commands return: the output, row-major. */
export interface LayerResult {
  readonly shape: number[];
  readonly data: number[];
}

export interface LayerCommandContext {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
}

type Pair = readonly [number, number];

export function convolutionCommand(context: LayerCommandContext, raw: unknown): Promise<LayerResult | undefined> {
  return reportingProblems(async () => {
    const args = readConvolutionArguments(raw);
    const interactive = !isArgumentsObject(raw);
    const answered = await gatherOperands({ ...args, inputPlaceholder: INPUT_PLACEHOLDER }, context.engine);
    if (!answered) return undefined;
    const { input, kernel } = answered;
    const layer = (padding: PairArgument | 'same' | 'valid', stride: Pair): GatherLayerCall => ({
      op: 'conv2d',
      input: input.tensor,
      weight: kernel.tensor,
      options: { padding, dilation: args.dilation ?? 1, groups: args.groups ?? 1, stride },
    });
    // A kernel larger than the input fits no stride without padding: then the padding is asked first.
    const fitting = interactive && args.padding === undefined ? smallestFittingPadding((padding) => layer(padding, [1, 1])) : 0;
    const padding =
      fitting === 0
        ? (args.padding ?? 0)
        : await ask(input, {
            title: 'Layer Lens: Convolution padding',
            prompt: `The ${shapeText(kernel.tensor)} kernel is larger than the ${shapeText(input.tensor)} input: zeros added on each side, one number or height and width ("1, 0").`,
            value: String(fitting),
            read: parsePaddingText,
            call: (answer) => layer(answer, [1, 1]),
          });
    if (padding === undefined) return undefined;
    const call = (stride: Pair): GatherLayerCall => layer(padding, stride);
    const stride =
      args.stride !== undefined
        ? pair(args.stride)
        : interactive
          ? await ask(input, { title: 'Layer Lens: Convolution stride', prompt: 'How far the kernel moves between output cells: one number, or height and width ("2, 1").', value: '1', read: parseStrideText, call })
          : ([1, 1] as const);
    return stride && finish(context, call(stride), input);
  });
}

export function poolCommand(context: LayerCommandContext, raw: unknown): Promise<LayerResult | undefined> {
  return reportingProblems(async () => {
    const args = readPoolArguments(raw);
    return withLayerInput(context, args.input, async (input) => {
      const kind = args.kind ?? (await pickPoolKind(input.failed));
      if (!kind) return undefined;
      const call = (kernelSize: PairArgument, tensor: Tensor): GatherLayerCall => {
        const shared = { kernelSize, ...(args.stride !== undefined ? { stride: args.stride } : {}), padding: args.padding ?? 0, ceilMode: args.ceilMode ?? false };
        return kind === 'max'
          ? { op: 'maxPool2d', input: tensor, options: { ...shared, dilation: args.dilation ?? 1 } }
          : { op: 'avgPool2d', input: tensor, options: { ...shared, countIncludePad: args.countIncludePad ?? true } };
      };
      const kernelSize =
        args.kernelSize ??
        (await ask(input, {
          title: `Layer Lens: ${kind === 'max' ? 'Max' : 'Average'} pooling window`,
          prompt: 'The window size: one number, or height and width ("2, 3"). The stride is the window size, as in PyTorch; change it in the panel.',
          value: '2',
          read: readSizeText,
          call,
        }));
      return kernelSize === undefined ? undefined : finish(context, (tensor) => call(kernelSize, tensor), input);
    });
  });
}

export function upsampleCommand(context: LayerCommandContext, raw: unknown): Promise<LayerResult | undefined> {
  return reportingProblems(async () => {
    const args = readUpsampleArguments(raw);
    return withLayerInput(context, args.input, async (input) => {
      const chosen =
        args.mode !== undefined
          ? { mode: args.mode, alignCorners: args.alignCorners }
          : !isArgumentsObject(raw)
            ? await pickUpsampleMode(input.failed)
            : { mode: 'nearest' as const, alignCorners: undefined };
      if (!chosen) return undefined;
      const { mode, alignCorners } = chosen;
      const call = (size: { scaleFactor: PairArgument } | { size: PairArgument }, tensor: Tensor): GatherLayerCall => ({
        op: 'upsample',
        input: tensor,
        options: { mode, ...size, ...(alignCorners !== undefined ? { alignCorners } : {}) },
      });
      const size = args.size;
      if (size !== undefined) return finish(context, (tensor) => call({ size }, tensor), input);
      const scaleFactor =
        args.scaleFactor ??
        (await ask(input, {
          title: 'Layer Lens: Upsampling scale factor',
          prompt: 'How many times larger: one number, or height and width ("2, 1.5").',
          value: '2',
          read: parseScaleText,
          call: (scale, tensor) => call({ scaleFactor: scale }, tensor),
        }));
      return scaleFactor === undefined ? undefined : finish(context, (tensor) => call({ scaleFactor }, tensor), input);
    });
  });
}

export function pixelShuffleCommand(context: LayerCommandContext, raw: unknown): Promise<LayerResult | undefined> {
  return reportingProblems(async () => {
    const args = readPixelShuffleArguments(raw);
    return withLayerInput(context, args.input, async (input) => {
      const call = (upscaleFactor: number, tensor: Tensor): GatherLayerCall => ({ op: 'pixelShuffle', input: tensor, options: { upscaleFactor } });
      const factor =
        args.upscaleFactor ??
        (await ask(input, {
          title: 'Layer Lens: Pixel shuffle upscale factor',
          ...shuffleQuestion(input.matrix?.tensor),
          // A selection still being read: the box names the factors its channels allow once it is.
          revised: input.read.then(() => input.matrix && shuffleQuestion(input.matrix.tensor)),
          read: (text) => parseWholeText(text, 'an upscale factor'),
          call,
        }));
      return factor === undefined ? undefined : finish(context, (tensor) => call(factor, tensor), input);
    });
  });
}

/** The upscale-factor box's prompt and offered value: the factors the input's channels allow, once it is read. */
function shuffleQuestion(input: Tensor | undefined): { prompt: string; value: string } {
  const what = 'r: each group of r² channels becomes one channel r times taller and wider.';
  if (!input) return { prompt: what, value: '1' };
  const factors = shuffleFactors(input);
  return {
    prompt: `${what} ${factors.length > 1 ? `This input's ${channelCount(input)} channels allow r = ${factors.join(', ')}.` : 'This input has one channel (or no r² divides its channels): only r = 1 fits; give a [C, H, W] input for more.'}`,
    value: String(factors.find((r) => r > 1) ?? 1),
  };
}

/**
 * Runs a layer's questions on its input, which a long selection still being read leaves unknown
 * (see {@link layerInput}); stops the reading once they are over, and reports its error if it failed
 * while they were showing.
 */
async function withLayerInput(
  context: LayerCommandContext,
  argument: MatrixArgument | undefined,
  questions: (input: LayerInput) => Promise<LayerResult | undefined>,
): Promise<LayerResult | undefined> {
  const input = await layerInput(argument, INPUT_PLACEHOLDER, context.engine);
  if (!input) return undefined;
  try {
    return (await questions(input)) ?? input.afterDismissal();
  } finally {
    input.dispose();
  }
}

const INPUT_PLACEHOLDER = '[[1, 2, 3], [4, 5, 6], [7, 8, 9]]';


/** The checks every layer shares before computing: the engine accepts the call, and the output is within the size setting. */
async function finish(context: LayerCommandContext, call: GatherLayerCall | ((input: Tensor) => GatherLayerCall), source: SourcedMatrix | LayerInput): Promise<LayerResult> {
  // A layer whose input was still being read when its questions were answered waits for it here.
  const input = 'matrixRead' in source ? await source.matrixRead() : source;
  if (typeof call === 'function') call = call(input.tensor);
  checkOutputSize(gatherLayerShape(call).shape, settingsFor(input).maxOutputElements);
  const sourceUri = input.origin?.document.uri.toString();
  // A layer computed in the worker may take seconds: the panel says so meanwhile rather than stay blank.
  const restorePanel = gatherLayerRunsInWorker(call)
    ? LayerPanel.showWorking(context, call, sourceUri, `Computing the ${GATHER_LAYER_NAMES[call.op].toLowerCase()} of the ${call.input.shape.join('×')} input${describeOrigin(input) ? ` (${describeOrigin(input)})` : ''}…`)
    : undefined;
  let output: Tensor;
  try {
    output = await computeGatherLayer(context.engine, call);
  } catch (error) {
    restorePanel?.();
    throw error;
  }
  LayerPanel.show(context, call, describeOrigin(input), sourceUri);
  return { shape: [...output.shape], data: toNumberArray(output.data) };
}

/**
 * An input box for one of the layer's parameters, checked as it is typed by the engine on the layer
 * the answer makes (src/host/common/previewedInput.ts).
 */
function ask<T>(input: SourcedMatrix | LayerInput, question: Omit<PreviewedQuestion<T>, 'shape' | 'maxOutputElements'> & { readonly call: (answer: T, input: Tensor) => GatherLayerCall }): Promise<T | undefined> {
  const matrix = (): SourcedMatrix | undefined => ('matrixRead' in input ? input.matrix : input);
  return askWithPreview({
    ...question,
    shape: (answer) => {
      const known = matrix();
      return known && gatherLayerShape(question.call(answer, known.tensor));
    },
    maxOutputElements: settingsFor(input).maxOutputElements,
    ...('matrixRead' in input ? { revised: question.revised ?? input.read.then(() => undefined), token: input.failed } : {}),
  });
}

function settingsFor(input: SourcedMatrix | LayerInput): LayerLensSettings {
  return readSettings(('matrixRead' in input ? input.document : input.origin?.document) ?? vscode.window.activeTextEditor?.document);
}

async function pickPoolKind(token: vscode.CancellationToken): Promise<PoolKind | undefined> {
  const items: (vscode.QuickPickItem & { kind_: PoolKind })[] = [
    { label: '$(arrow-up) Max pooling', description: 'F.max_pool2d', detail: 'Each output cell is the largest value of its window.', kind_: 'max' },
    { label: '$(symbol-operator) Average pooling', description: 'F.avg_pool2d', detail: 'Each output cell is the mean of its window.', kind_: 'average' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Layer Lens: Pool', placeHolder: 'Which pooling', ignoreFocusOut: true }, token);
  return choice?.kind_;
}

async function pickUpsampleMode(token: vscode.CancellationToken): Promise<{ mode: UpsampleModeArgument; alignCorners: boolean | undefined } | undefined> {
  const items: (vscode.QuickPickItem & { mode: UpsampleModeArgument; alignCorners: boolean | undefined })[] = [
    { label: 'Nearest', description: "mode='nearest'", detail: 'Each output cell copies the input cell it falls in.', mode: 'nearest', alignCorners: undefined },
    { label: 'Bilinear', description: "mode='bilinear'", detail: 'Each output cell blends the four input cells around it.', mode: 'bilinear', alignCorners: false },
    { label: 'Bilinear, corners aligned', description: "mode='bilinear', align_corners=True", detail: 'The corner cells of input and output line up exactly.', mode: 'bilinear', alignCorners: true },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Layer Lens: Upsample', placeHolder: 'How to fill in the new cells', ignoreFocusOut: true }, token);
  return choice && { mode: choice.mode, alignCorners: choice.alignCorners };
}

/**
 * The smallest padding (the same on every side) that lets the kernel fit the input at stride 1: 0
 * when it fits as it is, or when no padding makes the layer valid (its problem is another one, which
 * the stride box then explains).
 */
function smallestFittingPadding(layer: (padding: number) => GatherLayerCall): number {
  const fits = (padding: number): boolean => {
    try {
      gatherLayerShape(layer(padding));
      return true;
    } catch (error) {
      if (error instanceof LayerError) return false;
      throw error;
    }
  };
  if (fits(0)) return 0;
  // More padding only ever helps the kernel fit: double until it fits, then halve the interval.
  let high = 1;
  while (!fits(high)) {
    if (high > MAX_OFFERED_PADDING) return 0;
    high *= 2;
  }
  let low = high / 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) high = middle;
    else low = middle;
  }
  return high;
}

/** Beyond this, padding is not what the layer lacks. */
const MAX_OFFERED_PADDING = 1 << 16;

/** `3×3`: the spatial size of a tensor (its last two axes). */
function shapeText(tensor: Tensor): string {
  return tensor.shape.slice(-2).join('×');
}

function channelCount(input: Tensor): number {
  return input.shape.length >= 3 ? (input.shape[input.shape.length - 3] as number) : 1;
}

/** The upscale factors an input allows: every r with r² dividing its channel count. */
export function shuffleFactors(input: Tensor): number[] {
  const channels = channelCount(input);
  const factors: number[] = [];
  for (let r = 1; r * r <= channels; r++) if (channels % (r * r) === 0) factors.push(r);
  return factors;
}

function pair(value: PairArgument): Pair {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
