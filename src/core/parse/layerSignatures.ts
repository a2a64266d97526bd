/**
 * The layer constructors and functional calls Layer Lens recognises, with their arguments in the
 * order each framework declares them, and the engine option each argument fills. The order
 * matters: `nn.ConvTranspose2d(16, 8, 4, 2, 1)` means stride 2, padding 1 only because of it.
 */
import type { ConvPaddingMode, LayerOp } from '../engine/options';

export type Framework = 'pytorch' | 'keras' | 'flax';

/**
 * A size per spatial axis: an int on 1-D layers, `[h, w]` on 2-D ones, `[d, h, w]` on 3-D ones (an
 * int given to a 2-D or 3-D layer becomes `[n, n]` or `[n, n, n]`).
 */
export type SpatialSize = number | readonly [number, number] | readonly [number, number, number];

/**
 * Keras' and Flax's string padding, which is not a fixed amount but a rule on the output size:
 * - `'same'`: a convolution or pooling gives `⌈in / stride⌉`; a transposed convolution gives
 *   `in · stride` (Keras, with `output_padding` unset; Flax always).
 * - `'valid'`: no padding. A convolution gives `⌊(in − dilation·(k − 1) − 1) / stride⌋ + 1`; a Keras
 *   transposed convolution gives `(in − 1)·stride + dilation·(k − 1) + 1`, like PyTorch's padding 0,
 *   and Flax's gives `in·stride + max(dilation·(k − 1) + 1 − stride, 0)` (lax.conv_transpose),
 *   which differs from PyTorch's when the kernel is smaller than the stride.
 * No single PyTorch padding expresses `'same'` for every input size, so it stays a mode.
 */
export type PaddingMode = 'same' | 'valid';

/** What PyTorch's `padding_mode` fills the padding with. */
export type PaddingFill = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Each engine option a call's arguments can fill, with the type of its value. */
export interface LayerParamTypes {
  inChannels: number;
  outChannels: number;
  kernelSize: SpatialSize;
  stride: SpatialSize;
  /** PyTorch's padding; `'same'` / `'valid'` only on convolutions (`nn.Conv2d(…, padding='same')`). */
  padding: SpatialSize | ConvPaddingMode;
  outputPadding: SpatialSize;
  dilation: SpatialSize;
  groups: number;
  /** Whether the layer adds a bias (`bias=False`, Keras `use_bias`). */
  bias: boolean;
  /** Keras' and Flax's `padding` (see {@link PaddingMode}). */
  paddingMode: PaddingMode;
  /** PyTorch's `padding_mode`. */
  paddingFill: PaddingFill;
  /** An int or float per axis: `[h, w]` on 2-D layers, `[d, h, w]` on 3-D ones. */
  scaleFactor: SpatialSize;
  size: SpatialSize;
  /** The interpolation mode as written (`'nearest'`, `'bilinear'`, `'bicubic'`…): the engine says which it implements. */
  mode: string;
  alignCorners: boolean;
  upscaleFactor: number;
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride: number;
}

export type LayerParamName = keyof LayerParamTypes;

/** One argument of a signature: its name in the framework, and the engine option it fills (none for `input`, `device`…). */
export interface ArgumentSpec {
  readonly name: string;
  readonly param?: LayerParamName;
}

/**
 * How many spatial axes a layer has: fixed, or (Flax, whose one `ConvTranspose` serves every rank)
 * the length of its `kernel_size`.
 */
export type Dimensions = 1 | 2 | 3 | 'fromKernelSize';

export interface LayerSignature {
  readonly op: LayerOp;
  readonly framework: Framework;
  /** Every argument, in declaration order. */
  readonly args: readonly ArgumentSpec[];
  /**
   * How many of `args` may be given by position. Fewer than Python would accept where framework
   * versions disagree past that point (Keras 3 dropped `output_padding` from Conv2DTranspose, so
   * its fifth positional argument depends on the installed version).
   */
  readonly positional: number;
  readonly dimensions: Dimensions;
  /** `padding` may be `'same'` / `'valid'` (PyTorch convolutions, not transposed ones or pools). */
  readonly stringPadding: boolean;
}

const a = (name: string, param?: LayerParamName): ArgumentSpec => (param === undefined ? { name } : { name, param });

// --- PyTorch modules (https://pytorch.org/docs/stable/nn.html) -----------------------------------

// torch.nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
//   output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None)
// (ConvTranspose1d is the same.) Note groups and bias come before dilation, unlike Conv2d.
const torchConvTransposeTail = [
  a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('output_padding', 'outputPadding'),
  a('groups', 'groups'), a('bias', 'bias'), a('dilation', 'dilation'), a('padding_mode', 'paddingFill'), a('device'), a('dtype'),
];
const torchConvTranspose = [a('in_channels', 'inChannels'), a('out_channels', 'outChannels'), ...torchConvTransposeTail];
// torch.nn.LazyConvTranspose2d(out_channels, kernel_size, stride=1, padding=0, output_padding=0,
//   groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None): in_channels is inferred.
const torchLazyConvTranspose = [a('out_channels', 'outChannels'), ...torchConvTransposeTail];

// torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
//   bias=True, padding_mode='zeros', device=None, dtype=None) (Conv1d is the same)
const torchConvTail = [
  a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('dilation', 'dilation'), a('groups', 'groups'),
  a('bias', 'bias'), a('padding_mode', 'paddingFill'), a('device'), a('dtype'),
];
const torchConv = [a('in_channels', 'inChannels'), a('out_channels', 'outChannels'), ...torchConvTail];
// torch.nn.LazyConv2d(out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', …)
const torchLazyConv = [a('out_channels', 'outChannels'), ...torchConvTail];

// torch.nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)
const torchMaxPool = [a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('dilation', 'dilation'), a('return_indices'), a('ceil_mode', 'ceilMode')];
// torch.nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)
const torchAvgPool = [
  a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('ceil_mode', 'ceilMode'),
  a('count_include_pad', 'countIncludePad'), a('divisor_override', 'divisorOverride'),
];
// torch.nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True): no divisor_override.
const torchAvgPool1d = torchAvgPool.slice(0, 5);
// torch.nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None)
const torchUpsample = [a('size', 'size'), a('scale_factor', 'scaleFactor'), a('mode', 'mode'), a('align_corners', 'alignCorners'), a('recompute_scale_factor')];
// torch.nn.PixelShuffle(upscale_factor)
const torchPixelShuffle = [a('upscale_factor', 'upscaleFactor')];

// --- PyTorch functions (https://pytorch.org/docs/stable/nn.functional.html) ----------------------

// torch.nn.functional.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)
// `bias` is a tensor here: None (no bias) reads as null, a tensor variable as unknown.
const functionalConvTranspose = [
  a('input'), a('weight'), a('bias', 'bias'), a('stride', 'stride'), a('padding', 'padding'), a('output_padding', 'outputPadding'),
  a('groups', 'groups'), a('dilation', 'dilation'),
];
// torch.nn.functional.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)
const functionalConv = [a('input'), a('weight'), a('bias', 'bias'), a('stride', 'stride'), a('padding', 'padding'), a('dilation', 'dilation'), a('groups', 'groups')];
// torch.nn.functional.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)
// (ceil_mode before return_indices: the reverse of the module's order)
const functionalMaxPool = [a('input'), a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('dilation', 'dilation'), a('ceil_mode', 'ceilMode'), a('return_indices')];
// torch.nn.functional.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)
const functionalAvgPool = [a('input'), ...torchAvgPool];
// torch.nn.functional.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None,
//   recompute_scale_factor=None, antialias=False); the deprecated F.upsample takes the first five.
const functionalInterpolate = [a('input'), ...torchUpsample, a('antialias')];
// torch.nn.functional.pixel_shuffle(input, upscale_factor)
const functionalPixelShuffle = [a('input'), a('upscale_factor', 'upscaleFactor')];

// --- Keras (https://keras.io/api/layers/; tf.keras for Keras 2) ---------------------------------

// Keras 2: Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding='valid', output_padding=None,
//   data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True, …)
// Keras 3: Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding='valid', data_format=None,
//   dilation_rate=(1, 1), activation=None, use_bias=True, …) — no output_padding.
// Only the first four, on which both agree, are read by position.
const kerasConvTranspose = [
  a('filters', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'),
  a('output_padding', 'outputPadding'), a('data_format'), a('dilation_rate', 'dilation'), a('activation'), a('use_bias', 'bias'),
];
// Conv2D(filters, kernel_size, strides=(1, 1), padding='valid', data_format=None, dilation_rate=(1, 1),
//   groups=1, activation=None, use_bias=True, …) (Keras 2 and 3; Conv1D the same)
const kerasConv = [
  a('filters', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'), a('data_format'),
  a('dilation_rate', 'dilation'), a('groups', 'groups'), a('activation'), a('use_bias', 'bias'),
];
// UpSampling2D(size=(2, 2), data_format=None, interpolation='nearest'): `size` is a scale factor.
const kerasUpSampling = [a('size', 'scaleFactor'), a('data_format'), a('interpolation', 'mode')];
// UpSampling1D(size=2): repeats each step; UpSampling3D(size=(2, 2, 2), data_format=None): nearest only.
const kerasUpSampling1d = [a('size', 'scaleFactor')];
const kerasUpSampling3d = [a('size', 'scaleFactor'), a('data_format')];
// MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid', data_format=None) (AveragePooling2D the same)
const kerasPooling = [a('pool_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'), a('data_format')];

// --- Flax linen (flax/linen/linear.py; module fields are dataclass fields, positional in order) --

// ConvTranspose(features, kernel_size, strides=None, padding='SAME', kernel_dilation=None, use_bias=True,
//   mask=None, dtype=None, param_dtype=float32, precision=None, kernel_init, bias_init, transpose_kernel=False)
const flaxConvTranspose = [
  a('features', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'),
  a('kernel_dilation', 'dilation'), a('use_bias', 'bias'), a('mask'), a('dtype'), a('param_dtype'), a('precision'),
  a('kernel_init'), a('bias_init'), a('transpose_kernel'),
];
// Conv(features, kernel_size, strides=1, padding='SAME', input_dilation=1, kernel_dilation=1,
//   feature_group_count=1, use_bias=True, mask=None, dtype=None, …)
const flaxConv = [
  a('features', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'), a('input_dilation'),
  a('kernel_dilation', 'dilation'), a('feature_group_count', 'groups'), a('use_bias', 'bias'), a('mask'), a('dtype'),
];

interface SignatureShape {
  readonly positional?: number;
  readonly dimensions?: Dimensions;
  readonly stringPadding?: boolean;
}

function sig(op: LayerOp, framework: Framework, args: readonly ArgumentSpec[], shape: SignatureShape = {}): LayerSignature {
  return { op, framework, args, positional: shape.positional ?? args.length, dimensions: shape.dimensions ?? 2, stringPadding: shape.stringPadding ?? false };
}

/** The namespaces layers live in, by canonical module path. */
export type Namespace = 'torch.nn' | 'torch.nn.functional' | 'keras.layers' | 'flax.linen';

export const NAMESPACES: Readonly<Record<Namespace, ReadonlyMap<string, LayerSignature>>> = {
  'torch.nn': new Map([
    ['ConvTranspose2d', sig('convTranspose2d', 'pytorch', torchConvTranspose)],
    ['ConvTranspose1d', sig('convTranspose1d', 'pytorch', torchConvTranspose, { dimensions: 1 })],
    ['LazyConvTranspose2d', sig('convTranspose2d', 'pytorch', torchLazyConvTranspose)],
    ['LazyConvTranspose1d', sig('convTranspose1d', 'pytorch', torchLazyConvTranspose, { dimensions: 1 })],
    ['Conv2d', sig('conv2d', 'pytorch', torchConv, { stringPadding: true })],
    ['Conv1d', sig('conv1d', 'pytorch', torchConv, { dimensions: 1, stringPadding: true })],
    ['LazyConv2d', sig('conv2d', 'pytorch', torchLazyConv, { stringPadding: true })],
    ['LazyConv1d', sig('conv1d', 'pytorch', torchLazyConv, { dimensions: 1, stringPadding: true })],
    ['ConvTranspose3d', sig('convTranspose3d', 'pytorch', torchConvTranspose, { dimensions: 3 })],
    ['LazyConvTranspose3d', sig('convTranspose3d', 'pytorch', torchLazyConvTranspose, { dimensions: 3 })],
    ['Conv3d', sig('conv3d', 'pytorch', torchConv, { dimensions: 3, stringPadding: true })],
    ['LazyConv3d', sig('conv3d', 'pytorch', torchLazyConv, { dimensions: 3, stringPadding: true })],
    ['MaxPool2d', sig('maxPool2d', 'pytorch', torchMaxPool)],
    ['AvgPool2d', sig('avgPool2d', 'pytorch', torchAvgPool)],
    ['MaxPool1d', sig('maxPool1d', 'pytorch', torchMaxPool, { dimensions: 1 })],
    ['AvgPool1d', sig('avgPool1d', 'pytorch', torchAvgPool1d, { dimensions: 1 })],
    ['MaxPool3d', sig('maxPool3d', 'pytorch', torchMaxPool, { dimensions: 3 })],
    ['AvgPool3d', sig('avgPool3d', 'pytorch', torchAvgPool, { dimensions: 3 })],
    ['Upsample', sig('upsample', 'pytorch', torchUpsample)],
    ['PixelShuffle', sig('pixelShuffle', 'pytorch', torchPixelShuffle)],
  ]),
  'torch.nn.functional': new Map([
    ['conv_transpose2d', sig('convTranspose2d', 'pytorch', functionalConvTranspose)],
    ['conv_transpose1d', sig('convTranspose1d', 'pytorch', functionalConvTranspose, { dimensions: 1 })],
    ['conv2d', sig('conv2d', 'pytorch', functionalConv, { stringPadding: true })],
    ['conv1d', sig('conv1d', 'pytorch', functionalConv, { dimensions: 1, stringPadding: true })],
    ['conv_transpose3d', sig('convTranspose3d', 'pytorch', functionalConvTranspose, { dimensions: 3 })],
    ['conv3d', sig('conv3d', 'pytorch', functionalConv, { dimensions: 3, stringPadding: true })],
    ['max_pool2d', sig('maxPool2d', 'pytorch', functionalMaxPool)],
    ['avg_pool2d', sig('avgPool2d', 'pytorch', functionalAvgPool)],
    ['max_pool1d', sig('maxPool1d', 'pytorch', functionalMaxPool, { dimensions: 1 })],
    ['avg_pool1d', sig('avgPool1d', 'pytorch', [a('input'), ...torchAvgPool1d], { dimensions: 1 })],
    ['max_pool3d', sig('maxPool3d', 'pytorch', functionalMaxPool, { dimensions: 3 })],
    ['avg_pool3d', sig('avgPool3d', 'pytorch', functionalAvgPool, { dimensions: 3 })],
    ['interpolate', sig('upsample', 'pytorch', functionalInterpolate)],
    ['upsample', sig('upsample', 'pytorch', functionalInterpolate, { positional: 5 })],
    ['pixel_shuffle', sig('pixelShuffle', 'pytorch', functionalPixelShuffle)],
  ]),
  'keras.layers': new Map([
    ['Conv2DTranspose', sig('convTranspose2d', 'keras', kerasConvTranspose, { positional: 4 })],
    ['Convolution2DTranspose', sig('convTranspose2d', 'keras', kerasConvTranspose, { positional: 4 })],
    ['Conv1DTranspose', sig('convTranspose1d', 'keras', kerasConvTranspose, { positional: 4, dimensions: 1 })],
    ['Conv2D', sig('conv2d', 'keras', kerasConv)],
    ['Convolution2D', sig('conv2d', 'keras', kerasConv)],
    ['Conv1D', sig('conv1d', 'keras', kerasConv, { dimensions: 1 })],
    ['Convolution1D', sig('conv1d', 'keras', kerasConv, { dimensions: 1 })],
    ['Conv3DTranspose', sig('convTranspose3d', 'keras', kerasConvTranspose, { positional: 4, dimensions: 3 })],
    ['Convolution3DTranspose', sig('convTranspose3d', 'keras', kerasConvTranspose, { positional: 4, dimensions: 3 })],
    ['Conv3D', sig('conv3d', 'keras', kerasConv, { dimensions: 3 })],
    ['Convolution3D', sig('conv3d', 'keras', kerasConv, { dimensions: 3 })],
    ['UpSampling2D', sig('upsample', 'keras', kerasUpSampling)],
    ['UpSampling1D', sig('upsample1d', 'keras', kerasUpSampling1d, { dimensions: 1 })],
    ['UpSampling3D', sig('upsample3d', 'keras', kerasUpSampling3d, { dimensions: 3 })],
    ['MaxPooling2D', sig('maxPool2d', 'keras', kerasPooling)],
    ['MaxPool2D', sig('maxPool2d', 'keras', kerasPooling)],
    ['AveragePooling2D', sig('avgPool2d', 'keras', kerasPooling)],
    ['AvgPool2D', sig('avgPool2d', 'keras', kerasPooling)],
    ['MaxPooling1D', sig('maxPool1d', 'keras', kerasPooling, { dimensions: 1 })],
    ['MaxPool1D', sig('maxPool1d', 'keras', kerasPooling, { dimensions: 1 })],
    ['AveragePooling1D', sig('avgPool1d', 'keras', kerasPooling, { dimensions: 1 })],
    ['AvgPool1D', sig('avgPool1d', 'keras', kerasPooling, { dimensions: 1 })],
    ['MaxPooling3D', sig('maxPool3d', 'keras', kerasPooling, { dimensions: 3 })],
    ['MaxPool3D', sig('maxPool3d', 'keras', kerasPooling, { dimensions: 3 })],
    ['AveragePooling3D', sig('avgPool3d', 'keras', kerasPooling, { dimensions: 3 })],
    ['AvgPool3D', sig('avgPool3d', 'keras', kerasPooling, { dimensions: 3 })],
  ]),
  'flax.linen': new Map([
    ['ConvTranspose', sig('convTranspose2d', 'flax', flaxConvTranspose, { dimensions: 'fromKernelSize' })],
    ['Conv', sig('conv2d', 'flax', flaxConv, { dimensions: 'fromKernelSize' })],
  ]),
};

/** The op of a Flax layer of the given rank; `undefined` for ranks the engine does not compute (4-D and up). */
export function opForRank(signature: LayerSignature, rank: number): LayerOp | undefined {
  const transposed = signature.op.startsWith('convTranspose');
  if (rank === 1) return transposed ? 'convTranspose1d' : 'conv1d';
  if (rank === 2) return transposed ? 'convTranspose2d' : 'conv2d';
  if (rank === 3) return transposed ? 'convTranspose3d' : 'conv3d';
  return undefined;
}

/**
 * The op of `nn.Upsample` / `F.interpolate` for its mode: `'linear'` is 1-D and `'trilinear'` 3-D,
 * as `F.interpolate` requires; `'nearest'` (the default) and the 2-D modes stay `upsample`, whose
 * rank the input decides (a stack after a `Conv3d` gives it a volume).
 */
export function upsampleOpForMode(mode: unknown): LayerOp {
  if (mode === 'linear') return 'upsample1d';
  if (mode === 'trilinear') return 'upsample3d';
  return 'upsample';
}
