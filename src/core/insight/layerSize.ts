/**
 * What a layer call found in code does to the height and width of its input: the call's
 * arguments turned into the engine's options, the output size for a given input size, and the
 * per-axis formula with each term's value. PyTorch's arguments go to the engine as they are;
 * Keras' and Flax's string paddings (`'same'`, `'valid'`) are rules on the output size that no
 * single PyTorch padding expresses, so their formulas are written here, in those frameworks' terms.
 *
 * Arguments that do not change H and W (channels, bias, activation) may be expressions of
 * variables; any other unknown argument makes the size unknown, and says which.
 */
import { LayerError } from '../engine/errors';
import { axisFormula, term, type AxisFormula } from '../engine/formula';
import type { LayerOp } from '../engine/options';
import { outputShape } from '../engine/outputShape';
import type { LayerCall, LayerParam, LayerParamName, SpatialSize } from '../parse/index';

/** The spatial rank of a layer: 2 for images (`[H, W]`), 1 for sequences (`[L]`), 3 for volumes (`[D, H, W]`). */
export type SpatialRank = 1 | 2 | 3;

/** One spatial axis of a (transposed) convolution, in PyTorch's terms. */
export interface ConvAxis {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;
  readonly dilation: number;
}

/** An argument the output size depends on that is not a literal (`stride=s`). */
export interface SymbolicArgument {
  readonly parameter: string;
  readonly text: string;
}

export type LayerSizeResult =
  | { readonly kind: 'sized'; readonly output: readonly number[]; readonly formulas: readonly AxisFormula[] }
  /** The size depends on arguments that are expressions, or on a weight tensor (functional calls). */
  | { readonly kind: 'symbolic'; readonly reason: string; readonly dependsOn: readonly SymbolicArgument[] }
  /** The engine refuses the layer (an empty output, output_padding too large…), in its words. */
  | { readonly kind: 'invalid'; readonly message: string };

const RANKS: Readonly<Record<LayerOp, SpatialRank>> = {
  convTranspose1d: 1, conv1d: 1, maxPool1d: 1, avgPool1d: 1, upsample1d: 1,
  convTranspose2d: 2, conv2d: 2, maxPool2d: 2, avgPool2d: 2, upsample: 2, pixelShuffle: 2,
  convTranspose3d: 3, conv3d: 3, maxPool3d: 3, avgPool3d: 3, upsample3d: 3,
};

/**
 * The spatial rank of a call's layer. `upsample` (`nn.Upsample` in `'nearest'` mode) takes the
 * rank of its input; alone it is read as 2-D, the images Layer Lens started with.
 */
export function rankOf(op: LayerOp): SpatialRank {
  return RANKS[op];
}

/**
 * The rank a call shows when nothing before it gives an input: its op's, except a nearest
 * upsampling whose size or scale is written for three axes (`scale_factor=(1, 2, 2)`).
 */
export function callRank(call: LayerCall): SpatialRank {
  if (!rankFollowsInput(call.op)) return rankOf(call.op);
  const written = [call.params.scaleFactor, call.params.size].find((p) => p?.kind === 'known' && Array.isArray(p.value));
  return written?.kind === 'known' && Array.isArray(written.value) && written.value.length === 3 ? 3 : 2;
}

/** The ops whose rank comes from the input rather than the call (nearest upsampling). */
export function rankFollowsInput(op: LayerOp): boolean {
  return op === 'upsample';
}

export function isTransposed(call: LayerCall): boolean {
  return call.op === 'convTranspose2d' || call.op === 'convTranspose1d' || call.op === 'convTranspose3d';
}

/** The names of a rank's spatial axes: `L`; `H, W`; `D, H, W`. */
export const AXIS_NAMES: Readonly<Record<SpatialRank, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/** The framework's own name for a parameter, as the call's signature spells it. */
export function parameterName(call: LayerCall, param: LayerParamName): string {
  const written = call.args.find((arg) => arg.param === param)?.parameter;
  if (written) return written;
  const keras = call.framework !== 'pytorch';
  const names: Partial<Record<LayerParamName, string>> = {
    kernelSize: keras && call.op.startsWith('maxPool') ? 'pool_size' : 'kernel_size',
    stride: keras ? 'strides' : 'stride',
    dilation: keras ? 'dilation_rate' : 'dilation',
    outputPadding: 'output_padding',
    padding: 'padding',
    paddingMode: 'padding',
    scaleFactor: call.framework === 'keras' ? 'size' : 'scale_factor',
  };
  return names[param] ?? param;
}

/** Reads a size-relevant option: its value (absent → `fallback`), or the argument that is not a literal. */
export type Read<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly unknown: SymbolicArgument };

export function read<V>(call: LayerCall, name: LayerParamName, fallback: V): Read<V> {
  const param = call.params[name] as LayerParam<V> | undefined;
  if (param === undefined || (param.kind === 'known' && param.value === null)) return { ok: true, value: fallback };
  if (param.kind === 'known') return { ok: true, value: param.value as V };
  return { ok: false, unknown: { parameter: parameterName(call, name), text: param.text } };
}

/** Per-axis values of a spatial size: `[h, w]` for a 2-D layer, `[l]` for a 1-D one, `[d, h, w]` for a 3-D one. */
export function perAxis(size: SpatialSize | number, rank: SpatialRank): readonly number[] {
  if (typeof size === 'number') return new Array<number>(rank).fill(size);
  return size.slice(0, rank);
}

/** The engine's form of per-axis values: a number for a 1-D layer, a pair or triple otherwise. */
function engineSize(values: readonly number[], rank: SpatialRank): number | readonly number[] {
  return rank === 1 ? (values[0] as number) : values;
}

/**
 * The convolution axes of a (transposed) convolution call in PyTorch's terms, or the arguments that
 * keep them unknown. Keras' and Flax's string paddings become the PyTorch padding and
 * output_padding that give the same output size (see {@link transposedFromMode}), which is what
 * the overlap analysis needs: it depends on the kernel, stride and the phase padding sets.
 */
export function convAxes(call: LayerCall): { readonly ok: true; readonly axes: readonly ConvAxis[] } | { readonly ok: false; readonly unknown: readonly SymbolicArgument[]; readonly reason?: string } {
  const rank = rankOf(call.op);
  const kernel = read<SpatialSize | undefined>(call, 'kernelSize', undefined);
  const stride = read<SpatialSize>(call, 'stride', 1);
  const dilation = read<SpatialSize>(call, 'dilation', 1);
  const outputPadding = read<SpatialSize | undefined>(call, 'outputPadding', undefined);
  const pytorch = call.framework === 'pytorch';
  const padding = pytorch ? read<SpatialSize | string>(call, 'padding', 0) : read<string>(call, 'paddingMode', call.framework === 'flax' ? 'same' : 'valid');
  const unknown = [kernel, stride, dilation, outputPadding, padding].flatMap((r) => (r.ok ? [] : [r.unknown]));
  if (unknown.length > 0) return { ok: false, unknown };
  if (!kernel.ok || !stride.ok || !dilation.ok || !outputPadding.ok || !padding.ok) return { ok: false, unknown };
  if (kernel.value === undefined) {
    return { ok: false, unknown: [], reason: 'the kernel size comes from the weight tensor passed to the call' };
  }
  const k = perAxis(kernel.value, rank);
  const s = perAxis(stride.value, rank);
  const d = perAxis(dilation.value, rank);
  const op = outputPadding.value === undefined ? undefined : perAxis(outputPadding.value, rank);
  const axes = k.map((kernelSize, i): ConvAxis => {
    const axis = { kernel: kernelSize, stride: s[i] as number, dilation: d[i] as number };
    if (pytorch) {
      const pad = typeof padding.value === 'string' ? 0 : (perAxis(padding.value as SpatialSize, rank)[i] as number);
      return { ...axis, padding: pad, outputPadding: op?.[i] ?? 0 };
    }
    return { ...axis, ...transposedFromMode(axis, padding.value === 'same' ? 'same' : 'valid', op?.[i]) };
  });
  return { ok: true, axes };
}

/**
 * The PyTorch padding and output_padding that give a Keras/Flax transposed convolution's output
 * size (Keras' `deconv_output_length`): without output_padding, `'same'` gives `in·stride` and
 * `'valid'` gives `in·stride + max(k_eff − stride, 0)`; with it, the padding is `⌊k_eff / 2⌋` for
 * `'same'` and 0 for `'valid'`. Keras pads `'same'` unevenly when the total is odd; an
 * output_padding of 1 stands for that extra row.
 */
export function transposedFromMode(axis: { kernel: number; stride: number; dilation: number }, mode: 'same' | 'valid', outputPadding: number | undefined): { padding: number; outputPadding: number } {
  const effective = axis.dilation * (axis.kernel - 1) + 1;
  if (outputPadding !== undefined) return { padding: mode === 'same' ? Math.floor(effective / 2) : 0, outputPadding };
  const excess = effective - axis.stride; // what the output has beyond in·stride with no padding
  if (mode === 'valid') return { padding: 0, outputPadding: Math.max(0, -excess) };
  if (excess < 0) return { padding: 0, outputPadding: -excess };
  const padding = Math.ceil(excess / 2);
  return { padding, outputPadding: 2 * padding - excess };
}

/** The output's spatial size (and per-axis formulas) for an input of spatial size `input`. */
export function layerSize(call: LayerCall, input: readonly number[]): LayerSizeResult {
  try {
    return sizeOf(call, input);
  } catch (error) {
    if (error instanceof LayerError) return { kind: 'invalid', message: error.message };
    throw error;
  }
}

function symbolic(unknown: readonly SymbolicArgument[], reason?: string): LayerSizeResult {
  const named = unknown.map((u) => `${u.parameter}=${u.text}`).join(', ');
  return { kind: 'symbolic', reason: reason ?? `the output size depends on ${named}, which ${unknown.length === 1 ? 'is an expression' : 'are expressions'}`, dependsOn: unknown };
}

function sizeOf(call: LayerCall, input: readonly number[]): LayerSizeResult {
  const rank = rankOf(call.op);
  switch (call.op) {
    case 'convTranspose2d':
    case 'convTranspose1d':
    case 'convTranspose3d':
      return transposedSize(call, input, rank);
    case 'conv2d':
    case 'conv1d':
    case 'conv3d':
      return convSize(call, input, rank);
    case 'maxPool2d':
    case 'avgPool2d':
    case 'maxPool1d':
    case 'avgPool1d':
    case 'maxPool3d':
    case 'avgPool3d':
      return poolSize(call, input, rank);
    case 'upsample':
    case 'upsample1d':
    case 'upsample3d':
      return upsampleSize(call, input);
    case 'pixelShuffle':
      return pixelShuffleSize(call, input);
  }
}

/** Input shape as the engine reads it: `[H, W]` for a 2-D layer, `[C = 1, L]` for a 1-D one, `[C = 1, D, H, W]` for a 3-D one. */
function engineInput(input: readonly number[], rank: SpatialRank): number[] {
  if (rank === 2) return [input[0] as number, input[1] as number];
  return [1, ...input.slice(0, rank)];
}

function sized(shape: readonly number[], formulas: readonly AxisFormula[], rank: SpatialRank): LayerSizeResult {
  return { kind: 'sized', output: shape.slice(shape.length - rank), formulas: formulas.slice(formulas.length - rank) };
}

function transposedSize(call: LayerCall, input: readonly number[], rank: SpatialRank): LayerSizeResult {
  const axesRead = convAxes(call);
  if (!axesRead.ok) return symbolic(axesRead.unknown, axesRead.reason);
  const { axes } = axesRead;
  if (call.framework === 'pytorch') {
    const pick = (f: (a: ConvAxis) => number) => engineSize(axes.map(f), rank);
    const options = { kernelSize: pick((a) => a.kernel), stride: pick((a) => a.stride), padding: pick((a) => a.padding), outputPadding: pick((a) => a.outputPadding), dilation: pick((a) => a.dilation) };
    const shape = outputShape(call.op, engineInput(input, rank), options as never);
    return sized(shape.shape, shape.axes, rank);
  }
  // Keras / Flax: written in their own terms, as their documentation gives the size.
  const mode = (read_(call, 'paddingMode') ?? (call.framework === 'flax' ? 'same' : 'valid')) as 'same' | 'valid';
  const outputPadding = call.params.outputPadding?.kind === 'known' && call.params.outputPadding.value !== null;
  const formulas = axes.map((axis, i) => modeTransposedFormula(AXIS_NAMES[rank][i] as string, input[i] as number, axis, mode, outputPadding));
  const empty = formulas.find((f) => f.value < 1);
  if (empty) return { kind: 'invalid', message: `the output would be empty (${empty.name} = ${empty.value})` };
  return { kind: 'sized', output: formulas.map((f) => f.value), formulas };
}

function read_(call: LayerCall, name: 'paddingMode'): string | undefined {
  const param = call.params[name];
  return param?.kind === 'known' && param.value !== null ? param.value : undefined;
}

function kernelTerms(axis: Pick<ConvAxis, 'kernel' | 'dilation'>): { parts: (string | ReturnType<typeof term>)[]; value: number } {
  if (axis.dilation === 1) return { parts: [term('kernel_size', axis.kernel)], value: axis.kernel };
  return { parts: [term('dilation_rate', axis.dilation), '·(', term('kernel_size', axis.kernel), ' − 1) + 1'], value: axis.dilation * (axis.kernel - 1) + 1 };
}

function modeTransposedFormula(axisName: string, size: number, axis: ConvAxis, mode: 'same' | 'valid', hasOutputPadding: boolean): AxisFormula {
  const name = `${axisName}_out`;
  const inTerm = term(`${axisName}_in`, size);
  const strides = term('strides', axis.stride);
  const kernel = kernelTerms(axis);
  if (hasOutputPadding) {
    const pad = mode === 'same' ? Math.floor(kernel.value / 2) : 0;
    const value = (size - 1) * axis.stride + kernel.value - 2 * pad + axis.outputPadding;
    const padParts = mode === 'same' ? [' − 2·⌊', ...kernel.parts, ' / 2⌋'] : [];
    return axisFormula(name, ['(', inTerm, ' − 1)·', strides, ' + ', ...kernel.parts, ...padParts, ' + ', term('output_padding', axis.outputPadding)], value, `padding='${mode}'`);
  }
  if (mode === 'same') return axisFormula(name, [inTerm, '·', strides], size * axis.stride, "padding='same'");
  const value = size * axis.stride + Math.max(kernel.value - axis.stride, 0);
  return axisFormula(name, [inTerm, '·', strides, ' + max(', ...kernel.parts, ' − ', strides, ', 0)'], value, "padding='valid'");
}

function convSize(call: LayerCall, input: readonly number[], rank: SpatialRank): LayerSizeResult {
  if (call.framework === 'pytorch') {
    const kernel = read<SpatialSize | undefined>(call, 'kernelSize', undefined);
    const reads = [read<SpatialSize>(call, 'stride', 1), read<SpatialSize | string>(call, 'padding', 0), read<SpatialSize>(call, 'dilation', 1)];
    const unknown = [kernel, ...reads].flatMap((r) => (r.ok ? [] : [r.unknown]));
    if (unknown.length > 0) return symbolic(unknown);
    if (!kernel.ok || kernel.value === undefined) return symbolic([], 'the kernel size comes from the weight tensor passed to the call');
    const [stride, padding, dilation] = reads.map((r) => (r.ok ? r.value : undefined));
    const shape = outputShape(call.op, engineInput(input, rank), { kernelSize: kernel.value, stride, padding, dilation } as never);
    return sized(shape.shape, shape.axes, rank);
  }
  const axesRead = convAxes(call);
  if (!axesRead.ok) return symbolic(axesRead.unknown, axesRead.reason);
  const mode = read_(call, 'paddingMode') ?? (call.framework === 'flax' ? 'same' : 'valid');
  if (mode === 'same') return sameFormulas(input, axesRead.axes.map((a) => a.stride), rank);
  if (call.framework === 'keras') return validFormulas(input, axesRead.axes, rank, 'kernel_size');
  const pick = (f: (a: ConvAxis) => number) => engineSize(axesRead.axes.map(f), rank);
  const shape = outputShape(call.op, engineInput(input, rank), { kernelSize: pick((a) => a.kernel), stride: pick((a) => a.stride), dilation: pick((a) => a.dilation) } as never);
  return sized(shape.shape, shape.axes, rank);
}

/** Keras' `'same'` for convolution and pooling: `⌈in / strides⌉`. */
function sameFormulas(input: readonly number[], strides: readonly number[], rank: SpatialRank): LayerSizeResult {
  const formulas = strides.map((stride, i) => {
    const axisName = AXIS_NAMES[rank][i] as string;
    const size = input[i] as number;
    return stride === 1
      ? axisFormula(`${axisName}_out`, [term(`${axisName}_in`, size)], size, "padding='same'")
      : axisFormula(`${axisName}_out`, ['⌈', term(`${axisName}_in`, size), ' / ', term('strides', stride), '⌉'], Math.ceil(size / stride), "padding='same'");
  });
  return { kind: 'sized', output: formulas.map((f) => f.value), formulas };
}

/**
 * Keras' `'valid'` for convolution and pooling, in its own names (conv_utils.conv_output_length):
 * `⌊(in − k_eff) / strides⌋ + 1`, `k_eff = dilation_rate·(kernel_size − 1) + 1`; a window larger
 * than the input is Keras' negative dimension.
 */
function validFormulas(input: readonly number[], axes: readonly Pick<ConvAxis, 'kernel' | 'stride' | 'dilation'>[], rank: SpatialRank, kernelName: 'kernel_size' | 'pool_size'): LayerSizeResult {
  const formulas: AxisFormula[] = [];
  for (const [i, axis] of axes.entries()) {
    const axisName = AXIS_NAMES[rank][i] as string;
    const size = input[i] as number;
    const kernel = kernelName === 'pool_size' ? { parts: [term('pool_size', axis.kernel)], value: axis.kernel } : kernelTerms(axis);
    if (kernel.value > size) return { kind: 'invalid', message: `the ${kernelName} window of ${kernel.value} is larger than ${axisName}_in = ${size}: Keras refuses it (negative dimension size)` };
    const value = Math.floor((size - kernel.value) / axis.stride) + 1;
    const windows = ['(', term(`${axisName}_in`, size), ' − ', ...(kernel.parts.length > 1 ? ['(', ...kernel.parts, ')'] : kernel.parts), ')'];
    formulas.push(axisFormula(`${axisName}_out`, axis.stride === 1 ? [...windows.slice(1, -1), ' + 1'] : ['⌊', ...windows, ' / ', term('strides', axis.stride), '⌋ + 1'], value, "padding='valid'"));
  }
  return { kind: 'sized', output: formulas.map((f) => f.value), formulas };
}

function poolSize(call: LayerCall, input: readonly number[], rank: SpatialRank): LayerSizeResult {
  const op = call.op as 'maxPool2d' | 'avgPool2d' | 'maxPool1d' | 'avgPool1d' | 'maxPool3d' | 'avgPool3d';
  const keras = call.framework !== 'pytorch';
  // Keras' pool_size defaults to (2, 2); PyTorch requires a kernel size.
  const kernel = read<SpatialSize | undefined>(call, 'kernelSize', keras ? 2 : undefined);
  const stride = read<SpatialSize | undefined>(call, 'stride', undefined);
  const padding = keras ? read<string>(call, 'paddingMode', 'valid') : read<SpatialSize>(call, 'padding', 0);
  const dilation = read<SpatialSize>(call, 'dilation', 1);
  const ceilMode = read<boolean>(call, 'ceilMode', false);
  const unknown = [kernel, stride, padding, dilation, ceilMode].flatMap((r) => (r.ok ? [] : [r.unknown]));
  if (unknown.length > 0) return symbolic(unknown);
  if (!kernel.ok || !stride.ok || !padding.ok || !dilation.ok || !ceilMode.ok) return symbolic(unknown);
  if (kernel.value === undefined) return { kind: 'invalid', message: 'kernel_size is required' };
  if (keras && padding.value === 'same') return sameFormulas(input, perAxis(stride.value ?? kernel.value, rank), rank);
  if (call.framework === 'keras') {
    const strides = perAxis(stride.value ?? kernel.value, rank);
    return validFormulas(input, perAxis(kernel.value, rank).map((k, i) => ({ kernel: k, stride: strides[i] as number, dilation: 1 })), rank, 'pool_size');
  }
  const options = {
    kernelSize: kernel.value,
    stride: stride.value ?? undefined,
    padding: keras ? 0 : padding.value,
    ...(op.startsWith('maxPool') ? { dilation: dilation.value } : {}),
    ceilMode: ceilMode.value,
  };
  const shape = outputShape(op, engineInput(input, rank), options as never);
  return sized(shape.shape, shape.axes, rank);
}

function upsampleSize(call: LayerCall, input: readonly number[]): LayerSizeResult {
  const keras = call.framework !== 'pytorch';
  const scale = read<SpatialSize | undefined>(call, 'scaleFactor', keras ? 2 : undefined);
  const size = read<SpatialSize | undefined>(call, 'size', undefined);
  const unknown = [scale, size].flatMap((r) => (r.ok ? [] : [r.unknown]));
  if (unknown.length > 0 || !scale.ok || !size.ok) return symbolic(unknown);
  if (scale.value === undefined && size.value === undefined) return { kind: 'invalid', message: 'either size or scale_factor is required' };
  // PyTorch's 1-D and 3-D forms come from the linear modes; Keras' UpSampling1D/3D repeat (nearest).
  const mode = call.framework !== 'pytorch' ? undefined : call.op === 'upsample1d' ? 'linear' : call.op === 'upsample3d' ? 'trilinear' : undefined;
  // nn.Upsample's rank is its input's (nearest on a volume after a Conv3d); the 1-D and 3-D forms take a batch `[N, C, …]`.
  const rank: SpatialRank = rankFollowsInput(call.op) ? (input.length as SpatialRank) : rankOf(call.op);
  const options = { ...(size.value !== undefined ? { size: forRank(size.value, rank) } : { scaleFactor: forRank(scale.value, rank) }), ...(mode ? { mode } : {}) };
  if (rank === 2) {
    const shape = outputShape('upsample', engineInput(input, 2), options as never);
    return sized(shape.shape, shape.axes, 2);
  }
  const shape = outputShape(rank === 1 ? 'upsample1d' : 'upsample3d', [1, 1, ...input.slice(0, rank)], options as never);
  return sized(shape.shape, shape.axes, rank);
}

/**
 * A nearest upsampling's size or scale, read as 2-D (an int became `[n, n]`), for the rank of its
 * input: one value on every axis again. (A tuple of two written for a volume reads the same way;
 * PyTorch would refuse it.)
 */
export function forRank(value: SpatialSize | undefined, rank: SpatialRank): SpatialSize | readonly number[] | undefined {
  if (value === undefined || typeof value === 'number' || value.length === rank) return value;
  return value.every((v) => v === value[0]) ? (rank === 1 ? value[0] : new Array<number>(rank).fill(value[0])) : value;
}

function pixelShuffleSize(call: LayerCall, input: readonly number[]): LayerSizeResult {
  const factor = read<number | undefined>(call, 'upscaleFactor', undefined);
  if (!factor.ok) return symbolic([factor.unknown]);
  if (factor.value === undefined) return { kind: 'invalid', message: 'upscale_factor is required' };
  // One group of r² channels: the channels do not change H and W.
  const shape = outputShape('pixelShuffle', [factor.value * factor.value, input[0] as number, input[1] as number], { upscaleFactor: factor.value });
  return sized(shape.shape, shape.axes, 2);
}
