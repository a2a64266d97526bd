/**
 * Shape arithmetic and validation of the pooling layers, shared by the kernels and
 * {@link outputShape}. PyTorch's rules (`pooling_output_shape`, `pool2d_shape_check`):
 *
 *     max: H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1
 *     avg: H_out = ⌊(H_in + 2·padding − kernel_size) / stride⌋ + 1
 *
 * with ⌈…⌉ in ceil mode, where a last window that would start beyond the input and its left
 * padding is dropped. Padding may be at most half the kernel size (`kernel_size / 2`, rounded
 * down: PyTorch compares it with the undilated kernel). The 1-D and 3-D layers follow the same
 * rules per axis (PyTorch's `pool3d_shape_check`, and `max_pool1d`/`avg_pool1d`, which run the
 * 2-D rules on a height-1 view).
 */
import { LayerError } from './errors';
import { axisFormula, formatAxisFormula, term, type AxisFormula, type FormulaPart } from './formula';
import { checkOutputSize, readImageLayout, shapeInCallerRank, type ImageLayout, type SpatialRank } from './layout';
import type { AvgPool1dOptions, AvgPool2dOptions, AvgPool3dOptions, MaxPool1dOptions, MaxPool2dOptions, MaxPool3dOptions } from './options';
import { describeValue, readSpatialTriple, type Triple } from './pairs';
import { NUMBER_SIZES, windowOutputSize, type SizeArithmetic, type WindowAxis } from './sizeArithmetic';

export type PoolOp = 'maxPool2d' | 'avgPool2d' | 'maxPool1d' | 'avgPool1d' | 'maxPool3d' | 'avgPool3d';

type PoolOptions = MaxPool2dOptions | AvgPool2dOptions | MaxPool1dOptions | AvgPool1dOptions | MaxPool3dOptions | AvgPool3dOptions;

/**
 * Everything a pooling kernel needs, flat. Inputs are read as `[N, C, D, H, W]`: depth 1 (kernel 1,
 * stride 1, no padding) for 2-D layers, and height 1 as well for 1-D ones.
 */
export interface PoolInfo {
  readonly op: PoolOp;
  /** Max or average pooling, whatever the rank. */
  readonly kind: 'max' | 'avg';
  readonly layout: ImageLayout;
  /** `N·C`: pooling treats every channel of every image alike. */
  readonly planes: number;
  readonly inDepth: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outDepth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelDepth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideDepth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padDepth: number;
  readonly padHeight: number;
  readonly padWidth: number;
  /** Always 1 for average pooling. */
  readonly dilationDepth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly ceilMode: boolean;
  /** Average pooling only (true for max pooling, where it has no meaning). */
  readonly countIncludePad: boolean;
  /** Average pooling's `divisor_override`, when given: every window's sum is divided by it. */
  readonly divisorOverride?: number;
  readonly outShape: readonly number[];
  readonly axes: readonly AxisFormula[];
}

const spatialRankOf: Record<PoolOp, SpatialRank> = { maxPool2d: 2, avgPool2d: 2, maxPool1d: 1, avgPool1d: 1, maxPool3d: 3, avgPool3d: 3 };
const forms: Record<SpatialRank, string> = { 1: 'an int or [l]', 2: 'an int or a pair [h, w]', 3: 'an int or a triple [d, h, w]' };

interface PoolAxis {
  readonly label: 'D' | 'H' | 'W' | 'L';
  readonly axisName: string;
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/** Validates a pooling call in PyTorch's order and computes its shapes. */
export function computePoolInfo(op: PoolOp, inputShape: readonly number[], options: PoolOptions): PoolInfo {
  const spatialRank = spatialRankOf[op];
  const kind = op.startsWith('max') ? 'max' : 'avg';
  const layout = readImageLayout(op, inputShape, spatialRank);
  const raw = (options ?? {}) as unknown as Record<string, unknown>;
  if (raw.kernelSize === undefined) throw new LayerError('invalid-parameter', `${op} needs kernel_size (kernelSize): ${forms[spatialRank]}`);
  const kernel = readSpatialTriple('kernel_size', raw.kernelSize, 1, 'positive', spatialRank);
  // PyTorch: a missing (or empty) stride means stride = kernel_size.
  const strideGiven = raw.stride !== undefined && !(Array.isArray(raw.stride) && raw.stride.length === 0);
  const stride = strideGiven ? readSpatialTriple('stride', raw.stride, 1, 'positive', spatialRank) : kernel;
  const padding = readSpatialTriple('padding', raw.padding, 0, 'non-negative', spatialRank);
  const dilation: Triple = kind === 'max' ? readSpatialTriple('dilation', raw.dilation, 1, 'positive', spatialRank) : [1, 1, 1];
  if (kind === 'avg' && raw.dilation !== undefined) {
    throw new LayerError('invalid-parameter', `${op} has no dilation (got ${describeValue(raw.dilation)}): PyTorch's ${pytorchName(op)} does not take one`);
  }
  const ceilMode = readFlag('ceil_mode', raw.ceilMode, false);
  const countIncludePad = readFlag('count_include_pad', raw.countIncludePad, true);
  if (kind === 'max' && raw.countIncludePad !== undefined) {
    throw new LayerError('invalid-parameter', `${op} has no count_include_pad: it only applies to average pooling`);
  }
  const divisorOverride = readDivisorOverride(op, raw.divisorOverride);

  const axisOf = (index: 0 | 1 | 2, label: PoolAxis['label'], axisName: string, size: number): PoolAxis => ({
    label, axisName, size, kernel: kernel[index], stride: stride[index], padding: padding[index], dilation: dilation[index],
  });
  const planeAxes = [axisOf(1, 'H', 'height', layout.height), axisOf(2, 'W', 'width', layout.width)];
  const axes: PoolAxis[] = spatialRank === 1 ? [axisOf(2, 'L', 'length', layout.width)] : spatialRank === 2 ? planeAxes : [axisOf(0, 'D', 'depth', layout.depth), ...planeAxes];
  for (const axis of axes) {
    const limit = Math.floor(axis.kernel / 2);
    if (axis.padding > limit) {
      throw new LayerError(
        'pool-padding-too-large',
        `padding (${axis.padding}) must be at most half of kernel_size (${axis.kernel})${spatialRank === 1 ? '' : ` on the ${axis.axisName} axis`}: use 0 to ${limit}`,
      );
    }
  }
  // PyTorch 1.13's avg_pool3d alone checks the unpadded input against the kernel (AveragePool3d.cpp),
  // so a 2×2×2 volume is refused by kernel 3, padding 1, which avg_pool2d and max_pool3d run.
  if (op === 'avgPool3d' && (layout.depth < kernel[0] || layout.height < kernel[1] || layout.width < kernel[2])) {
    // The code the golden cases give PyTorch's same message where the window also does not fit (torch-volumes.jsonl).
    throw new LayerError(
      'empty-output',
      `input image (T: ${layout.depth} H: ${layout.height} W: ${layout.width}) smaller than kernel size (kT: ${kernel[0]} kH: ${kernel[1]} kW: ${kernel[2]}): avg_pool3d needs each side of the unpadded input at least the kernel's, whatever the padding`,
    );
  }
  const formulas = axes.map((axis) => poolFormula(kind, axis, ceilMode));
  // PyTorch's max_pool1d (without autograd, as Layer Lens runs it) returns an empty output where the
  // window does not fit once, and refuses only a negative size ("Invalid computed output size: -2").
  const smallest = op === 'maxPool1d' ? 0 : 1;
  for (const formula of formulas) {
    if (formula.value < smallest) throw new LayerError('empty-output', `output would be empty: ${formatAxisFormula(formula, 'both')}; the pooling window is larger than the padded input`);
  }
  const sizes = formulas.map((formula) => formula.value);
  const [outDepth, outHeight, outWidth] = [...new Array<number>(3 - sizes.length).fill(1), ...sizes] as [number, number, number];
  const outShape = shapeInCallerRank(layout, layout.channels, outHeight, outWidth, outDepth);
  checkOutputSize(outShape);
  const info: PoolInfo = {
    op,
    kind,
    layout,
    planes: layout.batch * layout.channels,
    inDepth: layout.depth,
    inHeight: layout.height,
    inWidth: layout.width,
    outDepth,
    outHeight,
    outWidth,
    kernelDepth: kernel[0],
    kernelHeight: kernel[1],
    kernelWidth: kernel[2],
    strideDepth: stride[0],
    strideHeight: stride[1],
    strideWidth: stride[2],
    padDepth: padding[0],
    padHeight: padding[1],
    padWidth: padding[2],
    dilationDepth: dilation[0],
    dilationHeight: dilation[1],
    dilationWidth: dilation[2],
    ceilMode,
    countIncludePad: kind === 'avg' ? countIncludePad : true,
    outShape,
    axes: formulas,
  };
  return divisorOverride === undefined ? info : { ...info, divisorOverride };
}

/** PyTorch's functional name of a pooling layer, for messages: `avg_pool3d`. */
function pytorchName(op: PoolOp): string {
  return op.replace(/Pool/, '_pool');
}

/** `divisor_override`: average pooling of 2-D and 3-D only (PyTorch's avg_pool1d has none), a nonzero whole number. */
function readDivisorOverride(op: PoolOp, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (op !== 'avgPool2d' && op !== 'avgPool3d') {
    throw new LayerError('invalid-parameter', `${op} has no divisor_override (got ${describeValue(value)}): PyTorch's ${pytorchName(op)} does not take one`);
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new LayerError('invalid-parameter', `divisor_override (${describeValue(value)}) must be a whole number`);
  }
  if (value === 0) throw new LayerError('invalid-parameter', 'divisor_override must not be zero (PyTorch: "divisor must be not zero"): leave it out to divide by the window size');
  return value;
}

function readFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new LayerError('invalid-parameter', `${name} must be true or false, not ${describeValue(value)}`);
}

const poolWindow = (axis: Omit<PoolAxis, 'label' | 'axisName' | 'size'>): WindowAxis => ({ kernel: axis.kernel, stride: axis.stride, padBefore: axis.padding, padAfter: axis.padding, dilation: axis.dilation });

/**
 * The output sizes of the caller's spatial axes in another arithmetic of sizes (the model reader's
 * symbolic sizes), for input sizes `sizes` on those axes; undefined in ceil mode, whose dropped last
 * window depends on the size itself.
 */
export function poolAxisSizes<T>(ar: SizeArithmetic<T>, info: PoolInfo, sizes: readonly T[]): T[] | undefined {
  if (info.ceilMode) return undefined;
  const axes = [
    { kernel: info.kernelDepth, stride: info.strideDepth, padding: info.padDepth, dilation: info.dilationDepth },
    { kernel: info.kernelHeight, stride: info.strideHeight, padding: info.padHeight, dilation: info.dilationHeight },
    { kernel: info.kernelWidth, stride: info.strideWidth, padding: info.padWidth, dilation: info.dilationWidth },
  ].slice(3 - sizes.length);
  return axes.map((axis, i) => windowOutputSize(ar, sizes[i] as T, poolWindow(axis)));
}

/** PyTorch's `pooling_output_shape`, as a formula with the ceil-mode correction spelled out. */
function poolFormula(kind: PoolInfo['kind'], axis: PoolAxis, ceilMode: boolean): AxisFormula {
  const { size, kernel, stride, padding, dilation } = axis;
  const numerator = size + 2 * padding - dilation * (kernel - 1) - 1;
  let value = ceilMode ? Math.floor((numerator + stride - 1) / stride) + 1 : windowOutputSize(NUMBER_SIZES, size, poolWindow(axis));
  // Ceil mode: the last window must start inside the input or its left padding.
  const dropLast = ceilMode && (value - 1) * stride >= size + padding;
  if (dropLast) value -= 1;
  const [open, close] = ceilMode ? ['⌈(', '⌉'] : ['⌊(', '⌋'];
  const windowParts: FormulaPart[] =
    kind === 'max'
      ? [' − ', term('dilation', dilation), '·(', term('kernel_size', kernel), ' − 1) − 1']
      : [' − ', term('kernel_size', kernel)];
  const parts: FormulaPart[] = [
    open, term(`${axis.label}_in`, size), ' + 2·', term('padding', padding), ...windowParts, ') / ', term('stride', stride), close, ' + 1',
    ...(dropLast ? [' − 1'] : []),
  ];
  const note = dropLast ? 'ceil_mode drops the last window: it would start past the input and its left padding' : undefined;
  return axisFormula(`${axis.label}_out`, parts, value, note);
}
