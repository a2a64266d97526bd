/**
 * The layer constructors and functional calls Layer Lens recognises, with their argument order as
 * each framework documents it, and how each argument maps onto the engine's option names. The
 * order matters: `nn.ConvTranspose2d(16, 8, 4, 2, 1)` means stride 2, padding 1 only because of it.
 */
import type { LayerOp } from '../engine/options';

export type Framework = 'pytorch' | 'keras' | 'flax';

/** One argument: its name in the framework, and the engine option it fills (`undefined`: not a layer option, e.g. `input`). */
export interface ArgumentSpec {
  readonly name: string;
  readonly param?: string;
}

export interface LayerSignature {
  readonly op: LayerOp;
  readonly framework: Framework;
  /** Positional order, as documented; keyword-only arguments follow with `positional: false`. */
  readonly args: readonly ArgumentSpec[];
  /** How many of `args` may be given positionally. */
  readonly positional: number;
  /** `true` for 2-D layers, whose int sizes mean `[n, n]`. */
  readonly twoD: boolean;
}

const a = (name: string, param?: string): ArgumentSpec => (param === undefined ? { name } : { name, param });

// torch.nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
//   output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None)
const torchConvTranspose = [
  a('in_channels', 'inChannels'), a('out_channels', 'outChannels'), a('kernel_size', 'kernelSize'), a('stride', 'stride'),
  a('padding', 'padding'), a('output_padding', 'outputPadding'), a('groups', 'groups'), a('bias', 'bias'),
  a('dilation', 'dilation'), a('padding_mode', 'paddingMode'), a('device'), a('dtype'),
];
// torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
//   bias=True, padding_mode='zeros', device=None, dtype=None)
const torchConv = [
  a('in_channels', 'inChannels'), a('out_channels', 'outChannels'), a('kernel_size', 'kernelSize'), a('stride', 'stride'),
  a('padding', 'padding'), a('dilation', 'dilation'), a('groups', 'groups'), a('bias', 'bias'), a('padding_mode', 'paddingMode'),
  a('device'), a('dtype'),
];
// torch.nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)
const torchMaxPool = [a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('dilation', 'dilation'), a('return_indices'), a('ceil_mode', 'ceilMode')];
// torch.nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)
const torchAvgPool = [a('kernel_size', 'kernelSize'), a('stride', 'stride'), a('padding', 'padding'), a('ceil_mode', 'ceilMode'), a('count_include_pad', 'countIncludePad'), a('divisor_override', 'divisorOverride')];
// torch.nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None)
const torchUpsample = [a('size', 'size'), a('scale_factor', 'scaleFactor'), a('mode', 'mode'), a('align_corners', 'alignCorners'), a('recompute_scale_factor')];
// torch.nn.functional.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)
const functionalConvTranspose = [a('input'), a('weight'), a('bias', 'bias'), a('stride', 'stride'), a('padding', 'padding'), a('output_padding', 'outputPadding'), a('groups', 'groups'), a('dilation', 'dilation')];
// torch.nn.functional.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)
const functionalConv = [a('input'), a('weight'), a('bias', 'bias'), a('stride', 'stride'), a('padding', 'padding'), a('dilation', 'dilation'), a('groups', 'groups')];
// torch.nn.functional.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False)
const functionalInterpolate = [a('input'), a('size', 'size'), a('scale_factor', 'scaleFactor'), a('mode', 'mode'), a('align_corners', 'alignCorners'), a('recompute_scale_factor'), a('antialias')];

// keras.layers.Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding='valid', output_padding=None,
//   data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True, ...)
const kerasConvTranspose = [
  a('filters', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'),
  a('output_padding', 'outputPadding'), a('data_format'), a('dilation_rate', 'dilation'), a('activation'), a('use_bias', 'bias'),
];
// keras.layers.Conv2D(filters, kernel_size, strides=(1, 1), padding='valid', data_format=None,
//   dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, ...)
const kerasConv = [
  a('filters', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'), a('data_format'),
  a('dilation_rate', 'dilation'), a('groups', 'groups'), a('activation'), a('use_bias', 'bias'),
];
// keras.layers.UpSampling2D(size=(2, 2), data_format=None, interpolation='nearest'): `size` is a scale factor.
const kerasUpSampling = [a('size', 'scaleFactor'), a('data_format'), a('interpolation', 'mode')];
// keras.layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid', data_format=None)
const kerasMaxPooling = [a('pool_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'), a('data_format')];
// flax.linen.ConvTranspose(features, kernel_size, strides=None, padding='SAME', kernel_dilation=None, use_bias=True, ...)
const flaxConvTranspose = [a('features', 'outChannels'), a('kernel_size', 'kernelSize'), a('strides', 'stride'), a('padding', 'paddingMode'), a('kernel_dilation', 'dilation'), a('use_bias', 'bias')];

const sig = (op: LayerOp, framework: Framework, args: readonly ArgumentSpec[], positional: number, twoD = true): LayerSignature => ({ op, framework, args, positional, twoD });

/** By the call's last name segment (`ConvTranspose2d` of `nn.ConvTranspose2d`). */
export const LAYER_SIGNATURES: ReadonlyMap<string, LayerSignature> = new Map([
  ['ConvTranspose2d', sig('convTranspose2d', 'pytorch', torchConvTranspose, 10)],
  ['ConvTranspose1d', sig('convTranspose1d', 'pytorch', torchConvTranspose, 10, false)],
  ['Conv2d', sig('conv2d', 'pytorch', torchConv, 9)],
  ['Conv1d', sig('conv1d', 'pytorch', torchConv, 9, false)],
  ['MaxPool2d', sig('maxPool2d', 'pytorch', torchMaxPool, 6)],
  ['AvgPool2d', sig('avgPool2d', 'pytorch', torchAvgPool, 6)],
  ['Upsample', sig('upsample', 'pytorch', torchUpsample, 5)],
  ['PixelShuffle', sig('pixelShuffle', 'pytorch', [a('upscale_factor', 'upscaleFactor')], 1)],
  ['conv_transpose2d', sig('convTranspose2d', 'pytorch', functionalConvTranspose, 8)],
  ['conv_transpose1d', sig('convTranspose1d', 'pytorch', functionalConvTranspose, 8, false)],
  ['conv2d', sig('conv2d', 'pytorch', functionalConv, 7)],
  ['conv1d', sig('conv1d', 'pytorch', functionalConv, 7, false)],
  ['interpolate', sig('upsample', 'pytorch', functionalInterpolate, 7)],
  ['Conv2DTranspose', sig('convTranspose2d', 'keras', kerasConvTranspose, 9)],
  ['Conv2D', sig('conv2d', 'keras', kerasConv, 9)],
  ['UpSampling2D', sig('upsample', 'keras', kerasUpSampling, 3)],
  ['MaxPooling2D', sig('maxPool2d', 'keras', kerasMaxPooling, 4)],
  ['MaxPool2D', sig('maxPool2d', 'keras', kerasMaxPooling, 4)],
  ['ConvTranspose', sig('convTranspose2d', 'flax', flaxConvTranspose, 6)],
]);

/**
 * The qualifiers a call may carry (`nn.`, `torch.nn.`, `layers.`…). A bare name counts too when it
 * is a class name (`ConvTranspose2d(` after `from torch.nn import ConvTranspose2d`), but bare
 * functional names (`conv2d(`, `interpolate(`) are too common to be sure of and must be qualified.
 */
const QUALIFIERS: Readonly<Record<Framework, readonly string[]>> = {
  pytorch: ['nn', 'torch.nn', 'nn.modules', 'torch.nn.modules', 'nn.modules.conv', 'torch.nn.modules.conv', 'F', 'functional', 'nn.functional', 'torch.nn.functional'],
  keras: ['layers', 'keras.layers', 'tf.keras.layers', 'tensorflow.keras.layers', 'tf.layers'],
  flax: ['nn', 'linen', 'flax.linen'],
};

/** The signature a dotted call name refers to, if any. */
export function signatureOf(dottedName: string): LayerSignature | undefined {
  const dot = dottedName.lastIndexOf('.');
  const last = dottedName.slice(dot + 1);
  const qualifier = dot < 0 ? '' : dottedName.slice(0, dot);
  const signature = LAYER_SIGNATURES.get(last);
  if (!signature) return undefined;
  const functional = last[0] === last[0]?.toLowerCase();
  if (qualifier === '') return functional ? undefined : signature;
  // Flax's `nn.ConvTranspose` and PyTorch's `nn.ConvTranspose2d` share the `nn` qualifier; the name tells them apart.
  return QUALIFIERS[signature.framework].includes(qualifier) ? signature : undefined;
}
