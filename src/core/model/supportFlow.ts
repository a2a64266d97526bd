/**
 * How each layer and tensor function carries the receptive-field support of `support.ts`: the
 * rules by module type and function name, read from the same arguments the shapes are. Anything
 * not listed ends the support (`undefined`): the receptive field is then not reported, and the
 * model view says at which step it stopped.
 */
import { int, ints, isObj, truthy, type ModuleNode, type Tensor, type Value } from './values';
import {
  adaptiveSupport,
  globalSupport,
  padSupport,
  resampleSupport,
  shuffleSupport,
  transposedSupport,
  unionSupport,
  windowSupport,
  type Support,
  type Window,
} from './support';
import type { Keywords } from './tensorOps';
import { arg } from './tensorOps';

const KEEPING = new Set(
  'ReLU ReLU6 LeakyReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Softplus Softsign Hardswish Hardsigmoid Hardtanh Tanhshrink LogSigmoid Dropout Dropout1d Dropout2d Dropout3d AlphaDropout Identity PReLU BatchNorm2d Softmax2d'.split(' '),
);
const GLOBAL = new Set(['InstanceNorm2d', 'GroupNorm', 'LayerNorm']);

function windows(kernel: readonly number[], stride: readonly number[], padding: readonly number[], dilation: readonly number[]): [Window, Window] {
  const w = (i: number): Window => ({ kernel: kernel[i] as number, stride: stride[i] as number, padding: padding[i] as number, dilation: dilation[i] as number });
  return [w(0), w(1)];
}

const spatial = (shape: readonly number[]): [number, number] => [shape[2] as number, shape[3] as number];

/** The support after module `node` (a torch.nn layer) maps `input` to `output`. */
export function layerSupport(node: ModuleNode, from: Support, output: readonly number[]): Support | undefined {
  if (output.length !== 4) return undefined;
  const a = (name: string): Value => node.args?.get(name) ?? null;
  const type = node.type;
  if (KEEPING.has(type)) return from;
  if (GLOBAL.has(type)) return globalSupport(from, type);
  switch (type) {
    case 'Conv2d':
    case 'ConvTranspose2d': {
      const kernel = ints(a('kernel_size'), 2, 'kernel_size');
      const dilation = ints(a('dilation'), 2, 'dilation');
      const padding = a('padding');
      // padding='same' pads d·(k − 1) in all, the smaller half before (PyTorch's _conv_forward).
      const pads = padding === 'same' ? kernel.map((k, i) => Math.floor(((dilation[i] as number) * (k - 1)) / 2)) : padding === 'valid' ? [0, 0] : ints(padding, 2, 'padding');
      const w = windows(kernel, ints(a('stride'), 2, 'stride'), pads, dilation);
      return type === 'Conv2d' ? windowSupport(from, spatial(output), w) : transposedSupport(from, spatial(output), w);
    }
    case 'AvgPool2d':
    case 'MaxPool2d': {
      // Max pooling: the whole window, the rows its maximum may come from.
      const kernel = ints(a('kernel_size'), 2, 'kernel_size');
      const dilation = type === 'MaxPool2d' && a('dilation') !== null ? ints(a('dilation'), 2, 'dilation') : [1, 1];
      return windowSupport(from, spatial(output), windows(kernel, a('stride') === null ? kernel : ints(a('stride'), 2, 'stride'), a('padding') === null ? [0, 0] : ints(a('padding'), 2, 'padding'), dilation));
    }
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d':
      return adaptiveSupport(from, spatial(output));
    case 'ReflectionPad2d':
    case 'ReplicationPad2d':
    case 'ZeroPad2d':
    case 'ConstantPad2d':
      return padSupport(from, ints(a('padding'), 4, 'padding'));
    case 'Upsample':
    case 'UpsamplingNearest2d':
    case 'UpsamplingBilinear2d': {
      const mode = type === 'Upsample' ? String(a('mode')) : type === 'UpsamplingNearest2d' ? 'nearest' : 'bilinear';
      return resampleSupport(from, spatial(output), mode, type === 'UpsamplingBilinear2d' || truthy(a('align_corners')), scaleOf(a('scale_factor')));
    }
    case 'PixelShuffle':
      return shuffleSupport(from, int(a('upscale_factor'), 'upscale_factor'));
    default:
      return undefined;
  }
}

function scaleOf(v: Value): [number, number] | undefined {
  if (v === null) return undefined;
  if (typeof v === 'number') return [v, v];
  if (isObj(v, 'tuple') || isObj(v, 'list')) return [Number(v.items[0]), Number(v.items[1])];
  return undefined;
}

const SAME_SUPPORT = new Set(
  'relu relu_ relu6 leaky_relu leaky_relu_ elu selu celu gelu silu mish sigmoid tanh hardswish hardsigmoid hardtanh softplus softsign tanhshrink logsigmoid dropout dropout2d exp log abs sqrt neg clamp clip contiguous clone detach float double half to cuda cpu sign'.split(' '),
);

/** The support of a tensor function's result, from its tensor arguments' (`self` for a method). */
export function functionSupport(name: string, self: Value | undefined, givenArgs: readonly Value[], kw: Keywords, result: Value): Value {
  const args = self === undefined ? givenArgs : [self, ...givenArgs];
  const input = args[0];
  if (!isObj(result, 'tensor') || input === undefined || !isObj(input, 'tensor') || !input.support || result.shape.length !== 4) {
    if (isObj(result, 'tuple') && input !== undefined && isObj(input, 'tensor') && input.support && (name === 'chunk' || name === 'split') && Number(arg(args, kw, 2, 'dim', 0)) === 1) {
      return { k: 'tuple', items: result.items.map((t) => (isObj(t, 'tensor') ? withSupport(t, input.support) : t)) };
    }
    return result;
  }
  const from = input.support;
  let support: Support | undefined;
  if (SAME_SUPPORT.has(name)) support = from;
  else if (['add', 'sub', 'mul', 'div'].includes(name)) {
    const other = arg(args, kw, 1, 'other');
    support = isObj(other, 'tensor') ? (other.support ? unionSupport(from, other.support) : undefined) : from;
  } else if (name === 'pad') {
    const pad = arg(args, kw, 1, 'pad');
    const numbers = isObj(pad, 'tuple') || isObj(pad, 'list') ? pad.items.map(Number) : [];
    support = numbers.length === 4 ? padSupport(from, numbers) : undefined;
  } else if (name === 'interpolate' || name === 'upsample') {
    support = resampleSupport(from, spatial(result.shape), String(arg(args, kw, 3, 'mode', 'nearest')), arg(args, kw, 4, 'align_corners', null) === true, scaleOf(arg(args, kw, 2, 'scale_factor', null)));
  } else if (name === 'adaptive_avg_pool2d' || name === 'adaptive_max_pool2d') support = adaptiveSupport(from, spatial(result.shape));
  else if (name === 'max_pool2d' || name === 'avg_pool2d') {
    // F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, …); avg_pool2d has no dilation.
    const kernel = ints(arg(args, kw, 1, 'kernel_size'), 2, 'kernel_size');
    const stride = arg(args, kw, 2, 'stride', null);
    const dilation = name === 'max_pool2d' ? ints(arg(args, kw, 4, 'dilation', 1), 2, 'dilation') : [1, 1];
    support = windowSupport(from, spatial(result.shape), windows(kernel, stride === null ? kernel : ints(stride, 2, 'stride'), ints(arg(args, kw, 3, 'padding', 0), 2, 'padding'), dilation));
  }
  else if (name === 'pixel_shuffle') support = shuffleSupport(from, int(arg(args, kw, 1, 'upscale_factor'), 'upscale_factor'));
  return support ? withSupport(result, support) : result;
}

export function withSupport(t: Tensor, support: Support | undefined): Tensor {
  return support ? { ...t, support } : t;
}
