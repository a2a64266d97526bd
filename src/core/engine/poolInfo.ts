/**
 * Shape arithmetic and validation of the pooling layers, shared by the kernels and
 * {@link outputShape}. PyTorch's rules (`pooling_output_shape`, `pool2d_shape_check`):
 *
 *     max: H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1
 *     avg: H_out = ⌊(H_in + 2·padding − kernel_size) / stride⌋ + 1
 *
 * with ⌈…⌉ in ceil mode, where a last window that would start beyond the input and its left
 * padding is dropped. Padding may be at most half the kernel size (`kernel_size / 2`, rounded
 * down: PyTorch compares it with the undilated kernel).
 */
import { LayerError } from './errors';
import { axisFormula, formatAxisFormula, term, type AxisFormula, type FormulaPart } from './formula';
import { checkOutputSize, readImageLayout, shapeInCallerRank, type ImageLayout } from './layout';
import type { AvgPool2dOptions, MaxPool2dOptions } from './options';
import { describeValue, readIntPair, type Pair } from './pairs';

export type PoolOp = 'maxPool2d' | 'avgPool2d';

/** Everything a pooling kernel needs, flat. Inputs are read as `[N, C, H, W]`. */
export interface PoolInfo {
  readonly op: PoolOp;
  readonly layout: ImageLayout;
  /** `N·C`: pooling treats every channel of every image alike. */
  readonly planes: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padHeight: number;
  readonly padWidth: number;
  /** Always 1 for average pooling. */
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly ceilMode: boolean;
  /** Average pooling only (true for max pooling, where it has no meaning). */
  readonly countIncludePad: boolean;
  readonly outShape: readonly number[];
  readonly axes: readonly AxisFormula[];
}

interface PoolAxis {
  readonly label: 'H' | 'W';
  readonly axisName: string;
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/** Validates a pooling call in PyTorch's order and computes its shapes. */
export function computePoolInfo(op: PoolOp, inputShape: readonly number[], options: MaxPool2dOptions | AvgPool2dOptions): PoolInfo {
  const layout = readImageLayout(op, inputShape, 2);
  const raw = (options ?? {}) as unknown as Record<string, unknown>;
  if (raw.kernelSize === undefined) throw new LayerError('invalid-parameter', `${op} needs kernel_size (kernelSize): an int or a pair [h, w]`);
  const kernel = readIntPair('kernel_size', raw.kernelSize, 1, 'positive');
  // PyTorch: a missing (or empty) stride means stride = kernel_size.
  const strideGiven = raw.stride !== undefined && !(Array.isArray(raw.stride) && raw.stride.length === 0);
  const stride = strideGiven ? readIntPair('stride', raw.stride, 1, 'positive') : kernel;
  const padding = readIntPair('padding', raw.padding, 0, 'non-negative');
  const dilation: Pair = op === 'maxPool2d' ? readIntPair('dilation', raw.dilation, 1, 'positive') : [1, 1];
  if (op === 'avgPool2d' && raw.dilation !== undefined) {
    throw new LayerError('invalid-parameter', `avgPool2d has no dilation (got ${describeValue(raw.dilation)}): PyTorch's avg_pool2d does not take one`);
  }
  const ceilMode = readFlag('ceil_mode', raw.ceilMode, false);
  const countIncludePad = readFlag('count_include_pad', raw.countIncludePad, true);
  if (op === 'maxPool2d' && raw.countIncludePad !== undefined) {
    throw new LayerError('invalid-parameter', 'maxPool2d has no count_include_pad: it only applies to avgPool2d');
  }

  const axes: PoolAxis[] = [
    { label: 'H', axisName: 'height', size: layout.height, kernel: kernel[0], stride: stride[0], padding: padding[0], dilation: dilation[0] },
    { label: 'W', axisName: 'width', size: layout.width, kernel: kernel[1], stride: stride[1], padding: padding[1], dilation: dilation[1] },
  ];
  for (const axis of axes) {
    const limit = Math.floor(axis.kernel / 2);
    if (axis.padding > limit) {
      throw new LayerError(
        'pool-padding-too-large',
        `padding (${axis.padding}) must be at most half of kernel_size (${axis.kernel}) on the ${axis.axisName} axis: use 0 to ${limit}`,
      );
    }
  }
  const formulas = axes.map((axis) => poolFormula(op, axis, ceilMode));
  for (const formula of formulas) {
    if (formula.value < 1) throw new LayerError('empty-output', `output would be empty: ${formatAxisFormula(formula, 'both')}; the pooling window is larger than the padded input`);
  }
  const [heightFormula, widthFormula] = formulas as [AxisFormula, AxisFormula];
  const outShape = shapeInCallerRank(layout, layout.channels, heightFormula.value, widthFormula.value);
  checkOutputSize(outShape);
  return {
    op,
    layout,
    planes: layout.batch * layout.channels,
    inHeight: layout.height,
    inWidth: layout.width,
    outHeight: heightFormula.value,
    outWidth: widthFormula.value,
    kernelHeight: kernel[0],
    kernelWidth: kernel[1],
    strideHeight: stride[0],
    strideWidth: stride[1],
    padHeight: padding[0],
    padWidth: padding[1],
    dilationHeight: dilation[0],
    dilationWidth: dilation[1],
    ceilMode,
    countIncludePad: op === 'avgPool2d' ? countIncludePad : true,
    outShape,
    axes: formulas,
  };
}

function readFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new LayerError('invalid-parameter', `${name} must be true or false, not ${describeValue(value)}`);
}

/** PyTorch's `pooling_output_shape`, as a formula with the ceil-mode correction spelled out. */
function poolFormula(op: PoolOp, axis: PoolAxis, ceilMode: boolean): AxisFormula {
  const { size, kernel, stride, padding, dilation } = axis;
  const numerator = size + 2 * padding - dilation * (kernel - 1) - 1;
  let value = Math.floor((numerator + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  // Ceil mode: the last window must start inside the input or its left padding.
  const dropLast = ceilMode && (value - 1) * stride >= size + padding;
  if (dropLast) value -= 1;
  const [open, close] = ceilMode ? ['⌈(', '⌉'] : ['⌊(', '⌋'];
  const windowParts: FormulaPart[] =
    op === 'maxPool2d'
      ? [' − ', term('dilation', dilation), '·(', term('kernel_size', kernel), ' − 1) − 1']
      : [' − ', term('kernel_size', kernel)];
  const parts: FormulaPart[] = [
    open, term(`${axis.label}_in`, size), ' + 2·', term('padding', padding), ...windowParts, ') / ', term('stride', stride), close, ' + 1',
    ...(dropLast ? [' − 1'] : []),
  ];
  const note = dropLast ? 'ceil_mode drops the last window: it would start past the input and its left padding' : undefined;
  return axisFormula(`${axis.label}_out`, parts, value, note);
}
