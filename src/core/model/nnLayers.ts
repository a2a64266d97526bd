/**
 * The torch.nn layers the model reader knows: how their constructor binds arguments (PyTorch's
 * parameter names and defaults), how many parameters they own, and what they make of an input
 * shape. Shapes of convolutions, pooling, upsampling and pixel shuffle come from the engine's own
 * shape functions (`outputShape`), so they validate exactly as the engine's layers do; the rest
 * (padding, normalization, linear, flatten) follow PyTorch 1.13's checks.
 */
import { LayerError } from '../engine/errors';
import { computeConvInfo, convAxisSizes } from '../engine/convInfo';
import type { ConvOp, ShapeOptionsByOp } from '../engine/options';
import { computePoolInfo, poolAxisSizes, type PoolOp } from '../engine/poolInfo';
import { outputShape } from '../engine/outputShape';
import { paddedShape, interpolateShape, adaptiveShape, flattenShape, pixelUnshuffleShape, unflattenShape } from './shapeOps';
import { DIM_SIZES, type SymShape } from './symbolicShape';
import { dimConst, dimFloorDiv, dimTimes, type Dim } from './symbolicDim';
import { flattenedSymbols, paddedSymbols, resampledSymbols } from './symbolRules';
import { int, ints, isObj, kindOf, NotKnown, num, TorchRaise, truthy, unknown, type ModuleNode, type Unknown, type Value, shapeText } from './values';

/** PyTorch's positional parameters and defaults, per layer. */
const SIGNATURES: Record<string, readonly (readonly [string, Value | undefined])[]> = {};
const conv: (readonly [string, Value | undefined])[] = [['in_channels', undefined], ['out_channels', undefined], ['kernel_size', undefined], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1], ['bias', true], ['padding_mode', 'zeros']];
const convT: (readonly [string, Value | undefined])[] = [['in_channels', undefined], ['out_channels', undefined], ['kernel_size', undefined], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['bias', true], ['dilation', 1], ['padding_mode', 'zeros']];
const norm = (affine: boolean): (readonly [string, Value | undefined])[] => [['num_features', undefined], ['eps', 1e-5], ['momentum', 0.1], ['affine', affine], ['track_running_stats', affine]];
for (const n of ['Conv1d', 'Conv2d', 'Conv3d']) SIGNATURES[n] = conv;
for (const n of ['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d']) SIGNATURES[n] = convT;
for (const n of ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d']) SIGNATURES[n] = norm(true);
for (const n of ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d']) SIGNATURES[n] = norm(false);
const maxPool: (readonly [string, Value | undefined])[] = [['kernel_size', undefined], ['stride', null], ['padding', 0], ['dilation', 1], ['return_indices', false], ['ceil_mode', false]];
const avgPool: (readonly [string, Value | undefined])[] = [['kernel_size', undefined], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]];
for (const n of ['MaxPool1d', 'MaxPool2d', 'MaxPool3d']) SIGNATURES[n] = maxPool;
for (const n of ['AvgPool2d', 'AvgPool3d']) SIGNATURES[n] = avgPool;
// AvgPool1d has no divisor_override.
SIGNATURES.AvgPool1d = avgPool.slice(0, 5);
Object.assign(SIGNATURES, {
  Linear: [['in_features', undefined], ['out_features', undefined], ['bias', true]],
  GroupNorm: [['num_groups', undefined], ['num_channels', undefined], ['eps', 1e-5], ['affine', true]],
  LayerNorm: [['normalized_shape', undefined], ['eps', 1e-5], ['elementwise_affine', true]],
  AdaptiveAvgPool2d: [['output_size', undefined]],
  AdaptiveMaxPool2d: [['output_size', undefined], ['return_indices', false]],
  ReflectionPad2d: [['padding', undefined]],
  ReplicationPad2d: [['padding', undefined]],
  ZeroPad2d: [['padding', undefined]],
  ConstantPad2d: [['padding', undefined], ['value', undefined]],
  Upsample: [['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null]],
  UpsamplingNearest2d: [['size', null], ['scale_factor', null]],
  UpsamplingBilinear2d: [['size', null], ['scale_factor', null]],
  PixelShuffle: [['upscale_factor', undefined]],
  PixelUnshuffle: [['downscale_factor', undefined]],
  Flatten: [['start_dim', 1], ['end_dim', -1]],
  Unflatten: [['dim', undefined], ['unflattened_size', undefined]],
  PReLU: [['num_parameters', 1], ['init', 0.25]],
});

/** Layers that keep the shape (activations, dropout, identity): any arguments, no parameters. */
const SHAPE_KEEPING = new Set(
  'ReLU ReLU6 LeakyReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Softplus Softsign Hardswish Hardsigmoid Hardtanh Tanhshrink LogSigmoid Softmax LogSoftmax Softmax2d Dropout Dropout1d Dropout2d Dropout3d AlphaDropout Identity'.split(' '),
);

/** The layers analyzeModel lists (convolution, transposed convolution, linear, pooling, normalization). */
export const LISTED = new Set(
  'Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d Linear MaxPool1d MaxPool2d MaxPool3d AvgPool1d AvgPool2d AvgPool3d AdaptiveAvgPool2d AdaptiveMaxPool2d BatchNorm1d BatchNorm2d BatchNorm3d InstanceNorm1d InstanceNorm2d InstanceNorm3d GroupNorm LayerNorm'.split(' '),
);

export function isKnownLayer(name: string): boolean {
  return name in SIGNATURES || SHAPE_KEEPING.has(name);
}

/** Binds a constructor call's arguments to the layer's parameter names, PyTorch's defaults filled in. */
export function bindLayerArgs(type: string, positional: readonly Value[], keywords: ReadonlyMap<string, Value>): Map<string, Value> {
  const signature = SIGNATURES[type] ?? [];
  const bound = new Map<string, Value>();
  signature.forEach(([name, fallback], i) => {
    const given = i < positional.length ? positional[i] : keywords.get(name);
    if (given !== undefined) bound.set(name, given);
    else if (fallback !== undefined) bound.set(name, fallback);
  });
  for (const [name, value] of keywords) if (!bound.has(name)) bound.set(name, value);
  for (const [name] of signature) if (!bound.has(name)) throw new TorchRaise(`${type}() is missing its argument ${name}`, -1, '');
  return bound;
}

const get = (node: ModuleNode, name: string): Value => node.args?.get(name) ?? null;
const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The layer's own parameter count (PyTorch's `parameters(recurse=False)`), or why it is unknown. */
export function layerParams(type: string, args: ReadonlyMap<string, Value>): number | Unknown {
  const a = (name: string): Value => args.get(name) ?? null;
  try {
    const flag = (name: string): number => (truthy(a(name)) ? 1 : 0);
    switch (type) {
      case 'Conv1d':
      case 'Conv2d':
      case 'Conv3d':
      case 'ConvTranspose1d':
      case 'ConvTranspose2d':
      case 'ConvTranspose3d': {
        // One weight of in·out/groups kernels either way ([C_out, C_in/g, k…] or [C_in, C_out/g, k…]).
        const cin = int(a('in_channels'), 'in_channels');
        const cout = int(a('out_channels'), 'out_channels');
        const groups = int(a('groups'), 'groups');
        if (cin % groups !== 0) throw new TorchRaise('in_channels must be divisible by groups', -1, '');
        if (cout % groups !== 0) throw new TorchRaise('out_channels must be divisible by groups', -1, '');
        return (cin * cout) / groups * product(ints(a('kernel_size'), rankOfType(type), 'kernel_size')) + flag('bias') * cout;
      }
      case 'Linear':
        return int(a('in_features'), 'in_features') * int(a('out_features'), 'out_features') + flag('bias') * int(a('out_features'), 'out_features');
      case 'BatchNorm1d':
      case 'BatchNorm2d':
      case 'BatchNorm3d':
      case 'InstanceNorm1d':
      case 'InstanceNorm2d':
      case 'InstanceNorm3d':
        return flag('affine') * 2 * int(a('num_features'), 'num_features');
      case 'GroupNorm': {
        const groups = int(a('num_groups'), 'num_groups');
        const channels = int(a('num_channels'), 'num_channels');
        if (channels % groups !== 0) throw new TorchRaise('num_channels must be divisible by num_groups', -1, '');
        return flag('affine') * 2 * channels;
      }
      case 'LayerNorm':
        return flag('elementwise_affine') * 2 * product(ints(a('normalized_shape'), 1, 'normalized_shape'));
      case 'PReLU':
        return int(a('num_parameters'), 'num_parameters');
      default:
        return 0;
    }
  } catch (e) {
    if (e instanceof NotKnown) return unknown(e.reason);
    throw e;
  }
}

export interface LayerRun {
  readonly output: readonly number[];
  readonly macs: number;
}

/** What the layer makes of an input shape; throws {@link TorchRaise} where PyTorch raises. */
export function runLayer(node: ModuleNode, input: readonly number[]): LayerRun {
  const type = node.type;
  if (SHAPE_KEEPING.has(type)) return { output: input, macs: 0 };
  try {
    return runShaped(node, input);
  } catch (e) {
    if (e instanceof LayerError) throw new TorchRaise(e.message, -1, '');
    throw e;
  }
}

function runShaped(node: ModuleNode, input: readonly number[]): LayerRun {
  const type = node.type;
  const a = (name: string): Value => get(node, name);
  switch (type) {
    case 'Conv1d':
    case 'Conv2d':
    case 'Conv3d':
    case 'ConvTranspose1d':
    case 'ConvTranspose2d':
    case 'ConvTranspose3d': {
      const conv = convOf(node);
      const expected = conv.rank + 2;
      if (input.length !== expected && input.length !== expected - 1) {
        throw new TorchRaise(`${type} expects a ${expected - 1}-D or ${expected}-D input, but the input has shape ${shapeText(input)}`, -1, '');
      }
      // The engine's shape module itself (the formulas of outputShape, without writing them out).
      const output = computeConvInfo(conv.op, input, conv.options).outShape;
      const macs = conv.transposed ? product(input) * conv.perInput : product(output) * conv.perOutput;
      return { output, macs };
    }
    case 'Linear': {
      const fin = int(a('in_features'), 'in_features');
      const fout = int(a('out_features'), 'out_features');
      const last = input[input.length - 1];
      if (input.length === 0 || last !== fin) {
        const rows = product(input.slice(0, -1));
        throw new TorchRaise(`mat1 and mat2 shapes cannot be multiplied (${rows}x${last ?? 1} and ${fin}x${fout}): the Linear layer takes ${fin} features but the input has ${last ?? 0} (shape ${shapeText(input)})`, -1, '');
      }
      const output = [...input.slice(0, -1), fout];
      return { output, macs: product(output) * fin };
    }
    case 'MaxPool1d':
    case 'MaxPool2d':
    case 'MaxPool3d':
    case 'AvgPool1d':
    case 'AvgPool2d':
    case 'AvgPool3d': {
      const rank = rankOfType(type);
      if (rank === 2) checkImage(type, input);
      else if (input.length !== rank + 1 && input.length !== rank + 2) throw new TorchRaise(`${type} expects a ${rank + 1}-D or ${rank + 2}-D input, but the input has shape ${shapeText(input)}`, -1, '');
      const { op, options } = poolOf(node);
      return { output: outputShape(op, input, options as never).shape, macs: 0 };
    }
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d':
      return { output: adaptiveShape(type, input, a('output_size')), macs: 0 };
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d':
    case 'InstanceNorm1d':
    case 'InstanceNorm2d':
    case 'InstanceNorm3d':
      return { output: normShape(node, input), macs: 0 };
    case 'GroupNorm': {
      const groups = int(a('num_groups'), 'num_groups');
      const channels = int(a('num_channels'), 'num_channels');
      if (input.length < 2 || input[1] !== channels) {
        throw new TorchRaise(`GroupNorm expects ${channels} channels, but the input has ${input[1] ?? 0} (shape ${shapeText(input)})`, -1, '');
      }
      if (((input[0] as number) * channels) / groups * product(input.slice(2)) === 1) {
        throw new TorchRaise(`Expected more than 1 value per channel when training, got input size ${shapeText(input)}`, -1, '');
      }
      return { output: input, macs: 0 };
    }
    case 'LayerNorm': {
      const shape = ints(a('normalized_shape'), 1, 'normalized_shape');
      const tail = input.slice(input.length - shape.length);
      if (tail.length !== shape.length || tail.some((d, i) => d !== shape[i])) {
        throw new TorchRaise(`LayerNorm normalizes the last dimensions ${shapeText(shape)}, but the input has shape ${shapeText(input)}`, -1, '');
      }
      return { output: input, macs: 0 };
    }
    case 'ReflectionPad2d':
    case 'ReplicationPad2d':
    case 'ZeroPad2d':
    case 'ConstantPad2d': {
      const pad = ints(a('padding'), 4, 'padding');
      const mode = type === 'ReflectionPad2d' ? 'reflect' : type === 'ReplicationPad2d' ? 'replicate' : 'constant';
      return { output: paddedShape(input, pad, mode, 2), macs: 0 };
    }
    case 'Upsample':
    case 'UpsamplingNearest2d':
    case 'UpsamplingBilinear2d': {
      const mode = type === 'Upsample' ? a('mode') : type === 'UpsamplingNearest2d' ? 'nearest' : 'bilinear';
      const align = type === 'UpsamplingBilinear2d' ? true : a('align_corners');
      return { output: interpolateShape(input, a('size'), a('scale_factor'), mode, align), macs: 0 };
    }
    case 'PixelShuffle':
      checkImage(type, input);
      return { output: outputShape('pixelShuffle', input, { upscaleFactor: int(a('upscale_factor'), 'upscale_factor') }).shape, macs: 0 };
    case 'PixelUnshuffle':
      return { output: pixelUnshuffleShape(input, int(a('downscale_factor'), 'downscale_factor')), macs: 0 };
    case 'Unflatten':
      return { output: unflattenShape(input, int(a('dim'), 'dim'), ints(a('unflattened_size'), 1, 'unflattened_size')), macs: 0 };
    case 'Flatten':
      return { output: flattenShape(input, int(a('start_dim'), 'start_dim'), int(a('end_dim'), 'end_dim')), macs: 0 };
    case 'PReLU': {
      const n = int(a('num_parameters'), 'num_parameters');
      if (n !== 1 && input[1] !== n) throw new TorchRaise(`PReLU has ${n} parameters but the input has ${input[1] ?? 0} channels`, -1, '');
      return { output: input, macs: 0 };
    }
    default:
      throw new NotKnown(`nn.${type} is not a layer Layer Lens reads`);
  }
}

/** A pooling layer's engine op and options (stride defaults to the kernel, as in PyTorch). */
function poolOf(node: ModuleNode): { op: PoolOp; options: Record<string, unknown> } {
  const a = (name: string): Value => get(node, name);
  const rank = rankOfType(node.type);
  const kernel = ints(a('kernel_size'), rank, 'kernel_size');
  const stride = a('stride') === null ? kernel : ints(a('stride'), rank, 'stride');
  const max = node.type.startsWith('Max');
  const options = max
    ? { kernelSize: kernel, stride, padding: ints(a('padding'), rank, 'padding'), dilation: ints(a('dilation'), rank, 'dilation'), ceilMode: truthy(a('ceil_mode')) }
    : { kernelSize: kernel, stride, padding: ints(a('padding'), rank, 'padding'), ceilMode: truthy(a('ceil_mode')) };
  const single = (values: number[]) => (rank === 1 ? values[0] : values);
  return { op: `${max ? 'maxPool' : 'avgPool'}${rank}d` as PoolOp, options: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, Array.isArray(v) ? single(v) : v])) };
}

/**
 * The formulas of a layer's output shape from those of its input (see symbolicShape.ts), for a run
 * whose numbers `input` → `output` runLayer computed: the window layers through the engine's own
 * size formulas (engine/sizeArithmetic.ts), the rest by the rules of symbolRules.ts. Undefined where
 * the layer's size does not follow a formula of the input's (ceil-mode pooling).
 */
export function layerSymbols(node: ModuleNode, input: readonly number[], output: readonly number[], sym: SymShape): SymShape | undefined {
  const type = node.type;
  const a = (name: string): Value => get(node, name);
  if (SHAPE_KEEPING.has(type)) return sym;
  // The channels: by their constructor names where written with them (`ngf·8`, namedSizes.ts), else the number.
  const channels = node.namedSizes?.out_channels ?? dimConst(output[output.length - (rankOfType(type) + 1)] as number);
  const keepLeading = (rank: number, spatial: readonly (Dim | null)[] | undefined): SymShape => [...sym.slice(0, -rank - 1), channels, ...(spatial ?? Array.from({ length: rank }, () => null))];
  const spatialOf = (rank: number): Dim[] | undefined => (sym.slice(-rank).every((d) => d !== null) ? (sym.slice(-rank) as Dim[]) : undefined);
  if (/^Conv(Transpose)?[123]d$/.test(type)) {
    const conv = convOf(node);
    const sizes = spatialOf(conv.rank);
    return keepLeading(conv.rank, sizes && convAxisSizes(DIM_SIZES, computeConvInfo(conv.op, input, conv.options), sizes));
  }
  if (/^(Max|Avg)Pool[123]d$/.test(type)) {
    const rank = rankOfType(type);
    const { op, options } = poolOf(node);
    const sizes = spatialOf(rank);
    const out = sizes && poolAxisSizes(DIM_SIZES, computePoolInfo(op, input, options as never), sizes);
    return [...sym.slice(0, -rank), ...(out ?? Array.from({ length: rank }, () => null))];
  }
  // Norms and PReLU keep the shape (runLayer checked their channels).
  if (/^(BatchNorm|InstanceNorm)[123]d$|^(GroupNorm|LayerNorm|PReLU)$/.test(type)) return sym;
  switch (type) {
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d': {
      const given = a('output_size');
      const items = isObj(given, 'tuple') || isObj(given, 'list') ? given.items : [given, given];
      return [...sym.slice(0, -2), ...items.map((x, i) => (x === null ? (sym[sym.length - 2 + i] ?? null) : dimConst(output[output.length - 2 + i] as number)))];
    }
    case 'Linear':
      return [...sym.slice(0, -1), node.namedSizes?.out_features ?? dimConst(output[output.length - 1] as number)];
    case 'ReflectionPad2d':
    case 'ReplicationPad2d':
    case 'ZeroPad2d':
    case 'ConstantPad2d':
      return paddedSymbols(sym, ints(a('padding'), 4, 'padding'));
    case 'Upsample':
    case 'UpsamplingNearest2d':
    case 'UpsamplingBilinear2d': {
      const scale = a('scale_factor');
      const scales = scale === null ? undefined : isObj(scale, 'tuple') || isObj(scale, 'list') ? scale.items.map((v) => num(v, 'scale_factor')) : [num(scale, 'scale_factor')];
      return resampledSymbols(sym, output, a('size') !== null, scales, dimConst);
    }
    case 'PixelShuffle':
    case 'PixelUnshuffle': {
      const r = int(a(type === 'PixelShuffle' ? 'upscale_factor' : 'downscale_factor'), 'factor');
      // Unshuffle divides exactly (PyTorch raises otherwise), so ⌊H/r⌋ is H/r wherever it runs.
      const resize = (d: Dim | null): Dim | null => (d ? (type === 'PixelShuffle' ? dimTimes(d, r) : dimFloorDiv(d, r)) : null);
      // Channels divide (or multiply) by r² exactly, or PyTorch raises.
      const c = sym[sym.length - 3] ?? null;
      const channel = c && (type === 'PixelShuffle' ? dimFloorDiv(c, r * r) : dimTimes(c, r * r));
      return [...sym.slice(0, -3), channel ?? dimConst(output[output.length - 3] as number), resize(sym[sym.length - 2] ?? null), resize(sym[sym.length - 1] ?? null)];
    }
    case 'Flatten': {
      const start = int(a('start_dim'), 'start_dim');
      const end = int(a('end_dim'), 'end_dim');
      const rank = input.length;
      return flattenedSymbols(sym, start < 0 ? start + rank : start, end < 0 ? end + rank : end);
    }
    default:
      return undefined;
  }
}

interface ConvSetting {
  readonly op: ConvOp;
  readonly rank: number;
  readonly transposed: boolean;
  readonly options: ShapeOptionsByOp['conv2d'];
  /** Multiply-adds per output value (plain) or per input value (transposed). */
  readonly perOutput: number;
  readonly perInput: number;
}

/** A convolution's arguments read once per module: validInputSizes runs the same layer for a thousand inputs. */
const convSettings = new WeakMap<ModuleNode, ConvSetting>();

function convOf(node: ModuleNode): ConvSetting {
  const cached = convSettings.get(node);
  if (cached) return cached;
  const a = (name: string): Value => get(node, name);
  const transposed = node.type.startsWith('ConvTranspose');
  const rank = rankOfType(node.type);
  const cin = int(a('in_channels'), 'in_channels');
  const cout = int(a('out_channels'), 'out_channels');
  const groups = int(a('groups'), 'groups');
  const kernel = ints(a('kernel_size'), rank, 'kernel_size');
  const padding = a('padding');
  const options = {
    weightShape: transposed ? [cin, cout / groups, ...kernel] : [cout, cin / groups, ...kernel],
    stride: ints(a('stride'), rank, 'stride'),
    padding: typeof padding === 'string' ? (padding as 'same' | 'valid') : ints(padding, rank, 'padding'),
    dilation: ints(a('dilation'), rank, 'dilation'),
    groups,
    ...(transposed ? { outputPadding: ints(a('output_padding'), rank, 'output_padding') } : {}),
  } as unknown as ShapeOptionsByOp['conv2d'];
  const k = product(kernel);
  const op = `${transposed ? 'convTranspose' : 'conv'}${rank}d` as ConvOp;
  const setting = { op, rank, transposed, options, perOutput: (cin / groups) * k, perInput: (cout / groups) * k };
  convSettings.set(node, setting);
  return setting;
}

/** The spatial rank a layer's name ends in: `Conv1d` 1, `MaxPool3d` 3, anything else 2. */
function rankOfType(type: string): 1 | 2 | 3 {
  return type.endsWith('1d') ? 1 : type.endsWith('3d') ? 3 : 2;
}

function checkImage(type: string, input: readonly number[]): void {
  if (input.length !== 3 && input.length !== 4) throw new TorchRaise(`${type} expects a 3-D or 4-D input, but the input has shape ${shapeText(input)}`, -1, '');
}

/** Batch and instance norm in eval() mode: channel count, and instance norm's spatial statistics. */
function normShape(node: ModuleNode, input: readonly number[]): readonly number[] {
  const features = int(get(node, 'num_features'), 'num_features');
  const instance = node.type.startsWith('Instance');
  const spatialRank = rankOfType(node.type);
  const ranks = instance ? [spatialRank + 1, spatialRank + 2] : spatialRank === 1 ? [2, 3] : [spatialRank + 2];
  if (!ranks.includes(input.length)) throw new TorchRaise(`${node.type} expects a ${ranks.join('-D or ')}-D input, but the input has shape ${shapeText(input)}`, -1, '');
  const channelAxis = instance && input.length === spatialRank + 1 ? 0 : 1;
  const channels = input[channelAxis] as number;
  const trackOrAffine = truthy(get(node, 'affine')) || truthy(get(node, 'track_running_stats'));
  if (channels !== features && (!instance || trackOrAffine)) {
    throw new TorchRaise(`${node.type}(${features}) expects ${features} channels, but the input has ${channels} (shape ${shapeText(input)})`, -1, '');
  }
  // Instance norm normalises with the input's own statistics unless it tracks running ones.
  if (instance && !truthy(get(node, 'track_running_stats'))) {
    const spatial = product(input.slice(channelAxis + 1));
    if (spatial <= 1) throw new TorchRaise(`Expected more than 1 spatial element when training, got input size ${shapeText(input)}`, -1, '');
  }
  return input;
}

export function describeArgs(args: ReadonlyMap<string, Value>): string {
  return [...args].map(([k, v]) => `${k}=${isObj(v, 'unknown') ? '?' : typeof v === 'object' && v !== null ? kindOf(v) : String(v)}`).join(', ');
}

export { num };

/** A transposed convolution's axes (kernel, stride, padding…), for its overlap verdict; undefined for other layers. */
export function transposedAxes(node: ModuleNode): { readonly rank: 1 | 2; readonly axes: { kernel: number; stride: number; padding: number; outputPadding: number; dilation: number }[] } | undefined {
  if (!node.type.startsWith('ConvTranspose')) return undefined;
  const conv = convOf(node);
  const o = conv.options as unknown as { weightShape: number[]; stride: number[]; padding: number[] | string; dilation: number[]; outputPadding?: number[] };
  if (typeof o.padding === 'string') return undefined;
  const padding = o.padding;
  const axes = o.stride.map((stride, i) => ({ kernel: o.weightShape[2 + i] as number, stride, padding: padding[i] as number, outputPadding: o.outputPadding?.[i] ?? 0, dilation: o.dilation[i] as number }));
  return { rank: conv.rank === 1 ? 1 : 2, axes };
}
