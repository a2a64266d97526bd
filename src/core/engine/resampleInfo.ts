/**
 * Shape arithmetic and validation of the weightless resampling layers, shared by their kernels
 * and {@link outputShape}:
 *
 *     upsample:      H_out = ⌊H_in·scale_factor⌋, or H_out = size (per axis: L; H, W; or D, H, W)
 *     pixel shuffle: C_out = C_in / upscale_factor², H_out = H_in·upscale_factor, W_out = W_in·upscale_factor
 */
import { LayerError } from './errors';
import { axisFormula, term, type AxisFormula } from './formula';
import { checkOutputSize, formatShape, readImageLayout, shapeInCallerRank, type ImageLayout, type SpatialRank } from './layout';
import type { InterpolationMode, PixelShuffleOptions, Upsample1dOptions, Upsample3dOptions, UpsampleOptions } from './options';
import { describeValue, readInteger, readIntPair, readIntSingle, readIntTriple, readPositiveList, readPositivePair, type Pair } from './pairs';

/**
 * Everything the upsampling kernels need. Inputs are read as `[N, C, D, H, W]`: depth 1 for images,
 * and height 1 as well for sequences.
 */
export interface UpsampleInfo {
  readonly layout: ImageLayout;
  readonly mode: InterpolationMode;
  readonly alignCorners: boolean;
  readonly planes: number;
  readonly inDepth: number;
  readonly outDepth: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  /**
   * The `scale_factor` per axis when given (PyTorch then maps output to input coordinates with
   * `1/scale_factor`, not `H_in/H_out`, which differ when `H_in·scale_factor` is not whole).
   */
  readonly scaleFactor?: Pair;
  /** The depth's `scale_factor`, when given (3-D only). */
  readonly scaleFactorDepth?: number;
  readonly outShape: readonly number[];
  readonly axes: readonly AxisFormula[];
}

/** Which upsampling layer: `upsample` picks its rank from the mode and the input, as `F.interpolate` does. */
export type UpsampleOp = 'upsample' | 'upsample1d' | 'upsample3d';

/** The modes each rank takes (`F.interpolate` refuses the others with "Got 4D input, but linear mode needs 3D input"). */
const modesByRank: Record<SpatialRank, readonly InterpolationMode[]> = { 1: ['nearest', 'linear'], 2: ['nearest', 'bilinear'], 3: ['nearest', 'trilinear'] };
const linearModeRank: Partial<Record<InterpolationMode, SpatialRank>> = { linear: 1, bilinear: 2, trilinear: 3 };
/** The input rank `F.interpolate` needs per spatial rank (it has no unbatched form; Layer Lens's images also take `[C, H, W]` and `[H, W]`). */
const batchedRank: Record<SpatialRank, number> = { 1: 3, 2: 4, 3: 5 };

/**
 * The spatial rank of an upsampling call: fixed for `upsample1d`/`upsample3d`; for `upsample`, the
 * linear mode's own, or for `nearest` 3-D on a 5-D input and 2-D otherwise (Layer Lens's images).
 */
function upsampleRank(op: UpsampleOp, mode: unknown, inputShape: readonly number[]): SpatialRank {
  if (op === 'upsample1d') return 1;
  if (op === 'upsample3d') return 3;
  const linear = linearModeRank[mode as InterpolationMode];
  if (linear !== undefined) return linear;
  return Array.isArray(inputShape) && inputShape.length === 5 ? 3 : 2;
}

/** Validates an upsampling call as `F.interpolate` does and computes its shapes. */
export function computeUpsampleInfo(inputShape: readonly number[], options: UpsampleOptions | Upsample1dOptions | Upsample3dOptions, op: UpsampleOp = 'upsample'): UpsampleInfo {
  const raw = (options ?? {}) as Record<string, unknown>;
  const mode = raw.mode ?? 'nearest';
  const spatialRank = upsampleRank(op, mode, inputShape);
  const modes = modesByRank[spatialRank];
  if (!modes.includes(mode as InterpolationMode)) {
    const all = ['nearest', 'linear', 'bilinear', 'trilinear'];
    const why = all.includes(mode as string) ? ` on ${spatialRank}-D data` : '';
    throw new LayerError('invalid-parameter', `mode ${describeValue(mode)} is not supported${why}: use ${modes.map((m) => `'${m}'`).join(' or ')}`);
  }
  const layout = readImageLayout(op, inputShape, spatialRank);
  if (spatialRank !== 2 && layout.rank !== batchedRank[spatialRank]) {
    throw new LayerError(
      'invalid-shape',
      `${op}: F.interpolate takes a batch: mode '${String(mode)}' needs a ${batchedRank[spatialRank]}-D input ${spatialRank === 1 ? '[N, C, L]' : '[N, C, D, H, W]'}, but the input has shape ${formatShape(inputShape)} (${layout.rank}-D); add a batch axis of 1`,
    );
  }
  if (raw.alignCorners !== undefined && mode === 'nearest') {
    const linear = modes[1] as InterpolationMode;
    throw new LayerError('invalid-parameter', `align_corners (${describeValue(raw.alignCorners)}) only applies to mode '${linear}': leave it out for 'nearest'`);
  }
  if (raw.alignCorners !== undefined && typeof raw.alignCorners !== 'boolean') {
    throw new LayerError('invalid-parameter', `align_corners must be true or false, not ${describeValue(raw.alignCorners)}`);
  }
  const hasSize = raw.size !== undefined;
  const hasScale = raw.scaleFactor !== undefined;
  if (hasSize === hasScale) {
    throw new LayerError('invalid-parameter', hasSize ? 'give either size or scale_factor, not both' : 'give size or scale_factor (one of them)');
  }
  // Per axis of the caller, outermost first (L; H, W; or D, H, W).
  const labels = spatialRank === 1 ? ['L'] : spatialRank === 2 ? ['H', 'W'] : ['D', 'H', 'W'];
  const sizes = spatialRank === 1 ? [layout.width] : spatialRank === 2 ? [layout.height, layout.width] : [layout.depth, layout.height, layout.width];
  let outSize: number[];
  let scales: number[] | undefined;
  let axes: AxisFormula[];
  if (hasSize) {
    outSize = readSizes(raw.size, spatialRank);
    axes = labels.map((label, index) => axisFormula(`${label}_out`, [term('size', outSize[index] as number)], outSize[index] as number));
  } else {
    const given = spatialRank === 2 ? [...readPositivePair('scale_factor', raw.scaleFactor)] : readPositiveList('scale_factor', raw.scaleFactor, spatialRank);
    scales = given;
    // PyTorch: output size = int(input size · scale factor), in double precision.
    outSize = sizes.map((size, index) => Math.floor(size * (given[index] as number)));
    axes = labels.map((label, index) =>
      axisFormula(`${label}_out`, ['⌊', term(`${label}_in`, sizes[index] as number), '·', term('scale_factor', given[index] as number), '⌋'], outSize[index] as number),
    );
    if (outSize.some((size) => size < 1)) {
      throw new LayerError(
        'empty-output',
        `output would be empty: ${axes.map((axis) => `${axis.name} = ${axis.symbolic} = ${axis.substituted} = ${axis.value}`).join(', ')}; scale_factor ${describeValue(raw.scaleFactor)} is too small for input ${formatShape(inputShape)}`,
      );
    }
  }
  // As [D, H, W], the axes the caller lacks of size 1 (scale 1).
  const [outDepth, outHeight, outWidth] = [...new Array<number>(3 - spatialRank).fill(1), ...outSize] as [number, number, number];
  const outShape = shapeInCallerRank(layout, layout.channels, outHeight, outWidth, outDepth);
  checkOutputSize(outShape);
  const info = {
    layout,
    mode: mode as InterpolationMode,
    alignCorners: raw.alignCorners === true,
    planes: layout.batch * layout.channels,
    inDepth: layout.depth,
    outDepth,
    inHeight: layout.height,
    inWidth: layout.width,
    outHeight,
    outWidth,
    outShape,
    axes,
  };
  if (scales === undefined) return info;
  const [depthScale, heightScale, widthScale] = [...new Array<number>(3 - spatialRank).fill(1), ...scales] as [number, number, number];
  return spatialRank === 3 ? { ...info, scaleFactor: [heightScale, widthScale], scaleFactorDepth: depthScale } : { ...info, scaleFactor: [heightScale, widthScale] };
}

/** `size`: an int or one per axis (`[l]`, `[h, w]`, `[d, h, w]`). */
function readSizes(value: unknown, spatialRank: SpatialRank): number[] {
  if (spatialRank === 1) return [readIntSingle('size', value, 1, 'positive')];
  if (spatialRank === 2) return [...readIntPair('size', value, 1, 'positive')];
  return [...readIntTriple('size', value, 1, 'positive')];
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
