/**
 * Shape questions without computing anything ("what will this layer make of a 2×2 input?"), for
 * hovers, the panel's captions and the host's size limit. Each layer answers through the same
 * shape module its kernel uses, so `outputShape` validates exactly as the layer does and throws
 * the same {@link LayerError}.
 */
import { computeConvInfo, convAxisFormulas, type ConvInfo } from './convInfo';
import { LayerError } from './errors';
import type { AxisFormula } from './formula';
import type { EngineOp, ShapeOptionsByOp } from './options';
import { computePoolInfo } from './poolInfo';
import { computePixelShuffleInfo, computeUpsampleInfo } from './resampleInfo';

/** A layer's output shape (in the input's rank) and how each axis's size comes about. */
export interface OutputShape {
  readonly shape: readonly number[];
  /** One formula per spatial axis (`D_out`, `H_out`, `W_out`, or `L_out`); pixel shuffle adds `C_out` first. */
  readonly axes: readonly AxisFormula[];
}

type ShapeFunctions = { readonly [Op in EngineOp]: (inputShape: readonly number[], options: ShapeOptionsByOp[Op]) => OutputShape };

const shapeFunctions: ShapeFunctions = {
  convTranspose2d: (shape, options) => convShapeOf(computeConvInfo('convTranspose2d', shape, options)),
  conv2d: (shape, options) => convShapeOf(computeConvInfo('conv2d', shape, options)),
  convTranspose1d: (shape, options) => convShapeOf(computeConvInfo('convTranspose1d', shape, options)),
  conv1d: (shape, options) => convShapeOf(computeConvInfo('conv1d', shape, options)),
  convTranspose3d: (shape, options) => convShapeOf(computeConvInfo('convTranspose3d', shape, options)),
  conv3d: (shape, options) => convShapeOf(computeConvInfo('conv3d', shape, options)),
  maxPool2d: (shape, options) => shapeOf(computePoolInfo('maxPool2d', shape, options)),
  avgPool2d: (shape, options) => shapeOf(computePoolInfo('avgPool2d', shape, options)),
  maxPool1d: (shape, options) => shapeOf(computePoolInfo('maxPool1d', shape, options)),
  avgPool1d: (shape, options) => shapeOf(computePoolInfo('avgPool1d', shape, options)),
  maxPool3d: (shape, options) => shapeOf(computePoolInfo('maxPool3d', shape, options)),
  avgPool3d: (shape, options) => shapeOf(computePoolInfo('avgPool3d', shape, options)),
  upsample: (shape, options) => shapeOf(computeUpsampleInfo(shape, options)),
  upsample1d: (shape, options) => shapeOf(computeUpsampleInfo(shape, options, 'upsample1d')),
  upsample3d: (shape, options) => shapeOf(computeUpsampleInfo(shape, options, 'upsample3d')),
  pixelShuffle: (shape, options) => shapeOf(computePixelShuffleInfo(shape, options)),
};

function convShapeOf(info: ConvInfo): OutputShape {
  return { shape: [...info.outShape], axes: convAxisFormulas(info) };
}

function shapeOf(info: { readonly outShape: readonly number[]; readonly axes: readonly AxisFormula[] }): OutputShape {
  return { shape: [...info.outShape], axes: info.axes };
}

/**
 * The output shape of `op` on an input of `inputShape`, with per-axis formulas. Convolutions take
 * the weight's shape (`weightShape`, optionally `biasShape`) or, for shape-only questions, just a
 * `kernelSize`. Throws the {@link LayerError} the layer itself would throw.
 *
 *     outputShape('convTranspose2d', [2, 2], { kernelSize: 2 })
 *     // → { shape: [3, 3], axes: [H_out = (2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 3, …] }
 */
export function outputShape<Op extends EngineOp>(op: Op, inputShape: readonly number[], options: ShapeOptionsByOp[Op]): OutputShape {
  const compute: ShapeFunctions[Op] | undefined = shapeFunctions[op];
  if (compute === undefined) throw new LayerError('invalid-parameter', `unknown layer ${JSON.stringify(op)}: use one of ${Object.keys(shapeFunctions).join(', ')}`);
  // Options may be left out entirely (every option has PyTorch's default), as the layers themselves allow.
  return compute(inputShape, options ?? ({} as ShapeOptionsByOp[Op]));
}
