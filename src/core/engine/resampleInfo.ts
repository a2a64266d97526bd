/**
 * Shape arithmetic and validation of the weightless resampling layers, shared by their kernels
 * and {@link outputShape}:
 *
 *     upsample:      H_out = ⌊H_in·scale_factor⌋, or H_out = size
 *     pixel shuffle: C_out = C_in / upscale_factor², H_out = H_in·upscale_factor, W_out = W_in·upscale_factor
 */
import { LayerError } from './errors';
import { axisFormula, term, type AxisFormula } from './formula';
import { checkOutputSize, formatShape, readImageLayout, shapeInCallerRank, type ImageLayout } from './layout';
import type { PixelShuffleOptions, UpsampleMode, UpsampleOptions } from './options';
import { describeValue, readInteger, readIntPair, readPositivePair, type Pair } from './pairs';

/** Everything the upsampling kernels need. Inputs are read as `[N, C, H, W]`. */
export interface UpsampleInfo {
  readonly layout: ImageLayout;
  readonly mode: UpsampleMode;
  readonly alignCorners: boolean;
  readonly planes: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  /**
   * The `scale_factor` per axis when given (PyTorch then maps output to input coordinates with
   * `1/scale_factor`, not `H_in/H_out`, which differ when `H_in·scale_factor` is not whole).
   */
  readonly scaleFactor?: Pair;
  readonly outShape: readonly number[];
  readonly axes: readonly AxisFormula[];
}

const modes: readonly UpsampleMode[] = ['nearest', 'bilinear'];

/** Validates an upsampling call as `F.interpolate` does and computes its shapes. */
export function computeUpsampleInfo(inputShape: readonly number[], options: UpsampleOptions): UpsampleInfo {
  const layout = readImageLayout('upsample', inputShape, 2);
  const raw = (options ?? {}) as Record<string, unknown>;
  const mode = raw.mode ?? 'nearest';
  if (!modes.includes(mode as UpsampleMode)) {
    throw new LayerError('invalid-parameter', `mode ${describeValue(mode)} is not supported: use 'nearest' or 'bilinear'`);
  }
  if (raw.alignCorners !== undefined && mode === 'nearest') {
    throw new LayerError('invalid-parameter', `align_corners (${describeValue(raw.alignCorners)}) only applies to mode 'bilinear': leave it out for 'nearest'`);
  }
  if (raw.alignCorners !== undefined && typeof raw.alignCorners !== 'boolean') {
    throw new LayerError('invalid-parameter', `align_corners must be true or false, not ${describeValue(raw.alignCorners)}`);
  }
  const hasSize = raw.size !== undefined;
  const hasScale = raw.scaleFactor !== undefined;
  if (hasSize === hasScale) {
    throw new LayerError('invalid-parameter', hasSize ? 'give either size or scale_factor, not both' : 'give size or scale_factor (one of them)');
  }
  let outSize: Pair;
  let scaleFactor: Pair | undefined;
  let axes: AxisFormula[];
  if (hasSize) {
    outSize = readIntPair('size', raw.size, 1, 'positive');
    axes = (['H', 'W'] as const).map((label, index) => axisFormula(`${label}_out`, [term('size', outSize[index] as number)], outSize[index] as number));
  } else {
    scaleFactor = readPositivePair('scale_factor', raw.scaleFactor);
    const sizes = [layout.height, layout.width];
    // PyTorch: output size = int(input size · scale factor), in double precision.
    outSize = [Math.floor(layout.height * scaleFactor[0]), Math.floor(layout.width * scaleFactor[1])];
    axes = (['H', 'W'] as const).map((label, index) =>
      axisFormula(`${label}_out`, ['⌊', term(`${label}_in`, sizes[index] as number), '·', term('scale_factor', (scaleFactor as Pair)[index] as number), '⌋'], outSize[index] as number),
    );
    if (outSize[0] < 1 || outSize[1] < 1) {
      throw new LayerError(
        'empty-output',
        `output would be empty: ${axes.map((axis) => `${axis.name} = ${axis.symbolic} = ${axis.substituted} = ${axis.value}`).join(', ')}; scale_factor ${describeValue(raw.scaleFactor)} is too small for input ${formatShape(inputShape)}`,
      );
    }
  }
  const outShape = shapeInCallerRank(layout, layout.channels, outSize[0], outSize[1]);
  checkOutputSize(outShape);
  const info = {
    layout,
    mode: mode as UpsampleMode,
    alignCorners: raw.alignCorners === true,
    planes: layout.batch * layout.channels,
    inHeight: layout.height,
    inWidth: layout.width,
    outHeight: outSize[0],
    outWidth: outSize[1],
    outShape,
    axes,
  };
  return scaleFactor === undefined ? info : { ...info, scaleFactor };
}

/** Everything the pixel-shuffle kernel needs. Inputs are read as `[N, C, H, W]`. */
export interface PixelShuffleInfo {
  readonly layout: ImageLayout;
  readonly upscaleFactor: number;
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outShape: readonly number[];
  /** `C_out`, `H_out`, `W_out`: pixel shuffle trades channels for resolution, so channels get a formula too. */
  readonly axes: readonly AxisFormula[];
}

/** Validates a pixel-shuffle call as `F.pixel_shuffle` does and computes its shapes. */
export function computePixelShuffleInfo(inputShape: readonly number[], options: PixelShuffleOptions): PixelShuffleInfo {
  const layout = readImageLayout('pixelShuffle', inputShape, 2);
  const raw = (options ?? {}) as unknown as Record<string, unknown>;
  if (raw.upscaleFactor === undefined) throw new LayerError('invalid-parameter', 'pixelShuffle needs upscale_factor (upscaleFactor): a whole number of 1 or more');
  const r = readInteger('upscale_factor', raw.upscaleFactor, 1, 'positive');
  const { channels, height, width } = layout;
  if (channels % (r * r) !== 0) {
    const valid = layout.rank === 2 ? 'a matrix has one channel, so only upscale_factor 1 fits; pass [C, H, W]' : `use a channel count that is a multiple of ${r * r}`;
    throw new LayerError(
      'channel-mismatch',
      `the input's ${channels} channel${channels === 1 ? '' : 's'} must be divisible by upscale_factor² = ${r}² = ${r * r} (input shape ${formatShape(inputShape)}); ${valid}`,
    );
  }
  const outChannels = channels / (r * r);
  const axes = [
    axisFormula('C_out', [term('C_in', channels), ' / ', term('upscale_factor', r), '²'], outChannels),
    axisFormula('H_out', [term('H_in', height), '·', term('upscale_factor', r)], height * r),
    axisFormula('W_out', [term('W_in', width), '·', term('upscale_factor', r)], width * r),
  ];
  const outShape = shapeInCallerRank(layout, outChannels, height * r, width * r);
  checkOutputSize(outShape);
  return {
    layout,
    upscaleFactor: r,
    batch: layout.batch,
    inChannels: channels,
    outChannels,
    inHeight: height,
    inWidth: width,
    outHeight: height * r,
    outWidth: width * r,
    outShape,
    axes,
  };
}
