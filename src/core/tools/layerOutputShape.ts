/**
 * `layer_output_shape`: a layer call as written (PyTorch, Keras or Flax) and an input shape in the
 * framework's own layout → the output shape and the size formula with every term's value, or
 * PyTorch's refusal in words. The spatial size comes from the editor's own reading of the call
 * (insight/layerSize.ts, the hover's formulas); a PyTorch convolution with numeric channels is run
 * through the engine's `outputShape` with its weight's shape, so channel and groups mismatches are
 * refused exactly as the layer would refuse them.
 */
import { LayerError } from '../engine/errors';
import { formatAxisFormula, type AxisFormula } from '../engine/formula';
import { outputShape } from '../engine/outputShape';
import type { LayerCall, SpatialSize } from '../parse/index';
import { layerSize, perAxis, rankFollowsInput, rankOf, type SpatialRank } from '../insight/layerSize';
import { callText, defineTool, ok, readLayerCall, ToolInputError, MAX_CODE_LENGTH } from './tool';

export interface LayerOutputShapeInput {
  readonly layer: string;
  readonly inputShape: readonly number[];
}

export interface LayerOutputShapeData {
  readonly outputShape: number[];
  readonly formula: string;
}

/** The largest size of one axis the tool takes (the editor's `layerLens.layers.inputSize` maximum). */
export const MAX_AXIS_SIZE = 65_536;

export const layerOutputShapeTool = defineTool<LayerOutputShapeInput, LayerOutputShapeData>({
  name: 'layer_output_shape',
  title: 'Layer Output Shape',
  description:
    'Exact output shape of one neural-network layer call for a given input shape, with the output-size formula and every term filled in ' +
    '(PyTorch semantics, bit-for-bit). Use it instead of working out sizes, padding or output_padding by hand. ' +
    '`layer` is the call as written in code: PyTorch (nn.ConvTranspose2d, nn.Conv2d, nn.Conv1d, nn.ConvTranspose1d, nn.MaxPool2d, nn.AvgPool2d, ' +
    'nn.Upsample, nn.PixelShuffle, F.interpolate) or Keras/Flax (layers.Conv2DTranspose, layers.Conv2D, layers.MaxPooling2D, layers.UpSampling2D, …). ' +
    '`inputShape` is in the framework\'s own layout: PyTorch [N, C, H, W] or [C, H, W] (1-D layers [N, C, L] or [C, L]); Keras and Flax channels-last [N, H, W, C] or [H, W, C]. ' +
    'The output is in the same layout. If PyTorch would refuse the layer on that input (wrong channel count, empty output, output_padding too large), the result is an error saying why.',
  inputSchema: {
    type: 'object',
    properties: {
      layer: { type: 'string', description: 'One layer call as written in code, e.g. "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)" or "layers.Conv2DTranspose(64, 3, strides=2, padding=\'same\')".', maxLength: MAX_CODE_LENGTH },
      inputShape: {
        type: 'array',
        description: "The input's shape in the framework's layout: PyTorch [N, C, H, W] or [C, H, W]; Keras channels-last [N, H, W, C] or [H, W, C].",
        items: { type: 'integer', minimum: 1, maximum: MAX_AXIS_SIZE },
        minItems: 2,
        maxItems: 4,
      },
    },
    required: ['layer', 'inputShape'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      outputShape: { type: 'array', description: 'The output shape, in the same layout as the input.', items: { type: 'integer' } },
      formula: { type: 'string', description: "Each axis's output-size formula with its values, separated by '; '." },
    },
    required: ['outputShape', 'formula'],
    additionalProperties: false,
  },
  invocationMessage: (input) => `Layer Lens: output shape of ${input.layer.trim().slice(0, 80)} on [${input.inputShape.join(', ')}] (reads only the text given)`,
  execute(input) {
    const call = readLayerCall(input.layer);
    const { outputShape: shape, formulas } = layerOutputShape(call, input.inputShape);
    const formula = formulas.map((f) => formatAxisFormula(f)).join('; ');
    const text = `${callText(input.layer, call)} on an input of shape [${input.inputShape.join(', ')}] gives [${shape.join(', ')}].\n${formulas.map((f) => formatAxisFormula(f, 'both')).join('\n')}`;
    return ok(text, { outputShape: shape, formula });
  },
});

/** PyTorch puts channels first; Keras and Flax last. */
const channelsLast = (call: LayerCall) => call.framework !== 'pytorch';

/** PyTorch's module name in its messages: `conv_transpose2d`, `max_pool2d`… */
const TORCH_NAMES: Readonly<Record<LayerCall['op'], string>> = {
  convTranspose2d: 'conv_transpose2d',
  convTranspose1d: 'conv_transpose1d',
  conv2d: 'conv2d',
  conv1d: 'conv1d',
  convTranspose3d: 'conv_transpose3d',
  conv3d: 'conv3d',
  maxPool2d: 'max_pool2d',
  avgPool2d: 'avg_pool2d',
  maxPool1d: 'max_pool1d',
  avgPool1d: 'avg_pool1d',
  maxPool3d: 'max_pool3d',
  avgPool3d: 'avg_pool3d',
  upsample: 'interpolate',
  upsample1d: 'interpolate',
  upsample3d: 'interpolate',
  pixelShuffle: 'pixel_shuffle',
};

export function layerOutputShape(call: LayerCall, inputShape: readonly number[]): { outputShape: number[]; formulas: readonly AxisFormula[] } {
  // nn.Upsample in 'nearest' mode is 3-D on a batch of volumes [N, C, D, H, W].
  const rank = rankFollowsInput(call.op) && call.framework === 'pytorch' && inputShape.length === 5 ? 3 : rankOf(call.op);
  checkRank(call, inputShape, rank);
  const last = channelsLast(call);
  const channels = (last ? inputShape[inputShape.length - 1] : inputShape[inputShape.length - rank - 1]) as number;
  const spatial = last ? inputShape.slice(inputShape.length - rank - 1, inputShape.length - 1) : inputShape.slice(inputShape.length - rank);
  const batch = inputShape.slice(0, inputShape.length - rank - 1);
  if (call.framework === 'pytorch' && call.op === 'pixelShuffle' && known(call, 'upscaleFactor') !== undefined) {
    // The engine sizes PyTorch's layout itself, channels (C / r²) included, and refuses as PyTorch does.
    const shuffled = outputShape('pixelShuffle', inputShape, { upscaleFactor: known(call, 'upscaleFactor') as number });
    return { outputShape: [...shuffled.shape], formulas: shuffled.axes };
  }
  if (call.framework === 'pytorch' && call.op !== 'upsample' && call.op !== 'pixelShuffle' && !call.op.startsWith('maxPool') && !call.op.startsWith('avgPool')) {
    const exact = torchConvShape(call, inputShape);
    if (exact) return exact;
  }
  const size = layerSize(call, spatial);
  if (size.kind === 'invalid') throw new LayerError('invalid-parameter', size.message);
  if (size.kind === 'symbolic') throw new ToolInputError(`Cannot size ${call.name}: ${size.reason}. Write the layer with numbers.`);
  const outChannels = channelsOut(call, channels);
  const shape = last ? [...batch, ...size.output, outChannels] : [...batch, outChannels, ...size.output];
  return { outputShape: shape, formulas: size.formulas };
}

function checkRank(call: LayerCall, inputShape: readonly number[], rank: SpatialRank): void {
  if (inputShape.length === rank + 1 || inputShape.length === rank + 2) return;
  const layout = channelsLast(call)
    ? { 1: '[N, L, C] or [L, C] (channels last)', 2: '[N, H, W, C] or [H, W, C] (channels last)', 3: '[N, D, H, W, C] or [D, H, W, C] (channels last)' }[rank]
    : { 1: '[N, C, L] or [C, L]', 2: '[N, C, H, W] or [C, H, W]', 3: '[N, C, D, H, W] or [C, D, H, W]' }[rank];
  if (call.framework === 'pytorch') {
    throw new LayerError(
      'invalid-shape',
      `expected ${rank + 1}D (unbatched) or ${rank + 2}D (batched) input to ${TORCH_NAMES[call.op]}, but got input of size: [${inputShape.join(', ')}]; ${call.name} takes ${layout}`,
    );
  }
  throw new LayerError('invalid-shape', `${call.name} takes an input of shape ${layout}, but got [${inputShape.join(', ')}]`);
}

function known(call: LayerCall, name: 'inChannels' | 'outChannels' | 'groups' | 'upscaleFactor'): number | undefined {
  const param = call.params[name];
  return param?.kind === 'known' && typeof param.value === 'number' ? param.value : undefined;
}

/** The output channel count of a layer whose spatial size is known. */
function channelsOut(call: LayerCall, channels: number): number {
  switch (call.op) {
    case 'conv2d':
    case 'conv1d':
    case 'conv3d':
    case 'convTranspose2d':
    case 'convTranspose1d':
    case 'convTranspose3d': {
      const out = known(call, 'outChannels');
      if (out === undefined) throw new ToolInputError(`Cannot size ${call.name}: its output channel count is not a number.`);
      return out;
    }
    case 'pixelShuffle':
      // Only Flax/Keras-style channels-last reach here (PyTorch's is sized by the engine above): C / r².
      return outputShape('pixelShuffle', [channels, 1, 1], { upscaleFactor: known(call, 'upscaleFactor') as number }).shape[0] as number;
    case 'maxPool2d':
    case 'avgPool2d':
    case 'maxPool1d':
    case 'avgPool1d':
    case 'maxPool3d':
    case 'avgPool3d':
    case 'upsample':
    case 'upsample1d':
    case 'upsample3d':
      return channels;
  }
}

/**
 * A PyTorch convolution sized by the engine itself, with its weight's shape (so the channels are
 * checked as the layer checks them); undefined when an argument is not a number (the size then
 * comes from layerSize, which says which).
 */
function torchConvShape(call: LayerCall, inputShape: readonly number[]): { outputShape: number[]; formulas: readonly AxisFormula[] } | undefined {
  const inChannels = known(call, 'inChannels');
  const outChannels = known(call, 'outChannels');
  const groups = known(call, 'groups') ?? (call.params.groups === undefined ? 1 : undefined);
  const values: Record<string, unknown> = {};
  for (const name of ['kernelSize', 'stride', 'padding', 'outputPadding', 'dilation'] as const) {
    const param = call.params[name];
    if (param === undefined || (param.kind === 'known' && param.value === null)) continue;
    if (param.kind !== 'known') return undefined;
    values[name] = param.value;
  }
  const kernelSize = values.kernelSize as SpatialSize | number | undefined;
  if (inChannels === undefined || outChannels === undefined || groups === undefined || kernelSize === undefined) return undefined;
  const kernel = perAxis(kernelSize, rankOf(call.op));
  // PyTorch's own checks when the module is built (torch/nn/modules/conv.py).
  if (groups < 1) throw new LayerError('groups-mismatch', `The groups of ${call.name} must be a positive integer, not ${groups}`);
  if (inChannels % groups !== 0) throw new LayerError('groups-mismatch', `The in_channels (${inChannels}) of ${call.name} must be divisible by groups (${groups})`);
  if (outChannels % groups !== 0) throw new LayerError('groups-mismatch', `The out_channels (${outChannels}) of ${call.name} must be divisible by groups (${groups})`);
  const transposed = call.op.startsWith('convTranspose');
  const weightShape = transposed ? [inChannels, outChannels / groups, ...kernel] : [outChannels, inChannels / groups, ...kernel];
  const { kernelSize: _kernel, ...options } = values;
  const shape = outputShape(call.op as 'conv2d', inputShape, { ...options, groups, weightShape } as never);
  return { outputShape: [...shape.shape], formulas: shape.axes };
}
