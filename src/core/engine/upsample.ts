/**
 * Upsampling (`F.interpolate`) in PyTorch's `nearest` mode and its linear modes (`linear` on
 * sequences, `bilinear` on images, `trilinear` on volumes), reproducing
 * PyTorch's source-index arithmetic exactly, since that decides which pixel a value comes from.
 * This follows the CPU kernels PyTorch 1.13 runs for a float64 tensor (`UpSampleKernel.cpp`):
 *
 * - nearest (legacy `nearest`, not `nearest-exact`): `src = min(⌊scale·dst⌋, in − 1)` with
 *   `scale = 1/scale_factor` when a scale factor was given and `in/out` otherwise. With several
 *   channels `scale·dst` is computed in double with no shortcut (a scale factor of 1.25 on 3 rows
 *   keeps 3 rows but reads rows 0, 0, 1) and rounded to float32 before the floor; with one channel
 *   PyTorch takes its channels-last kernel, which computes in float32 throughout and copies when
 *   out = in (see {@link nearestSourceIndices}).
 * - bilinear (`compute_source_index_and_lambda`): an axis whose size does not change is copied
 *   as it is; otherwise `src = scale·(dst + ½) − ½` clamped at 0, or `src = dst·(in − 1)/(out − 1)`
 *   with `alignCorners`. PyTorch's kernels are compiled with fused multiply-adds, so the source index
 *   and the blends are rounded as FMA rounds them (see {@link bilinearValue}); near a value like 1e300
 *   a weight of 1.1e-16 instead of 0 is the whole answer.
 *
 * Sequences and volumes follow the same rules per axis; a 1-D input always takes PyTorch's
 * channels-first kernel (there is no channels-last one for 1-D), and a 3-D input with one channel its
 * channels-last one, as images do. One kernel per mode serves every rank: an image is a volume of
 * depth 1, a sequence an image of height 1.
 *
 * test/golden/torch-upsample.jsonl and torch-volumes.jsonl hold the PyTorch cases these rules are checked against.
 * Shapes and validation come from {@link computeUpsampleInfo}.
 */
import { exactFusedMultiplyAdd, fusedMultiplyAdd } from './fusedMultiplyAdd';
import { checkTensor } from './layout';
import type { Upsample1dOptions, Upsample3dOptions, UpsampleOptions } from './options';
import { computeUpsampleInfo, type UpsampleInfo, type UpsampleOp } from './resampleInfo';
import type { Tensor } from './tensor';

/**
 * `F.interpolate(input, size | scale_factor, mode, align_corners)` on `[N, C, H, W]`, `[C, H, W]` or
 * a matrix `[H, W]`; with mode `linear` on `[N, C, L]`, and with `trilinear` (or `nearest` on a 5-D
 * input) on `[N, C, D, H, W]`, as `F.interpolate` picks by mode and rank.
 */
export function upsample(input: Tensor, options: UpsampleOptions): Tensor {
  return runUpsample('upsample', input, options);
}

/** `F.interpolate` on a batch of sequences `[N, C, L]`, mode `nearest` (default) or `linear`. */
export function upsample1d(input: Tensor, options: Upsample1dOptions): Tensor {
  return runUpsample('upsample1d', input, options);
}

/** `F.interpolate` on a batch of volumes `[N, C, D, H, W]`, mode `nearest` (default) or `trilinear`. */
export function upsample3d(input: Tensor, options: Upsample3dOptions): Tensor {
  return runUpsample('upsample3d', input, options);
}

function runUpsample(op: UpsampleOp, input: Tensor, options: UpsampleOptions | Upsample1dOptions | Upsample3dOptions): Tensor {
  checkTensor('input', input);
  const info = computeUpsampleInfo(input.shape, options, op);
  const data = info.mode === 'nearest' ? nearestKernel(info, input.data) : linearKernel(info, input.data);
  return { shape: info.outShape, data };
}

/**
 * PyTorch's nearest source index for every output index of one axis. Which kernel PyTorch 1.13
 * runs decides the arithmetic: a one-channel tensor is also channels-last contiguous, and that
 * kernel uses the legacy `nearest_idx` (float32, with shortcuts for out = in and out = 2·in); with
 * more channels the channels-first kernel computes in the tensor's double precision, without them,
 * and floors in float32. So 1.25 × 3 rows reads rows 0, 1, 2 with one channel and 0, 0, 1 with two.
 */
export function nearestSourceIndices(inSize: number, outSize: number, scaleFactor: number | undefined, legacy: boolean): Float64Array {
  const source = new Float64Array(outSize);
  if (legacy) {
    // nearest_idx: compute_scales_value<float> and floorf(dst · scale), all in float32.
    const f = Math.fround;
    const scale = scaleFactor !== undefined ? f(1 / scaleFactor) : f(f(inSize) / f(outSize));
    for (let dst = 0; dst < outSize; dst++) {
      if (outSize === inSize) source[dst] = dst;
      else if (outSize === 2 * inSize) source[dst] = dst >> 1;
      else source[dst] = Math.min(Math.floor(f(f(dst) * scale)), inSize - 1);
    }
    return source;
  }
  // HelperInterpNearest::compute_indices_weights: area_pixel_compute_scale and scale·dst in double,
  // but then `floorf(real_input_index)`, which rounds the double to float32 before flooring: 39/1.3
  // is 29.999999999999996 in double, 30 in float32, so dst 39 reads row 30 (the exact quotient).
  const scale = scaleFactor !== undefined ? 1 / scaleFactor : inSize / outSize;
  for (let dst = 0; dst < outSize; dst++) source[dst] = Math.min(Math.floor(Math.fround(scale * dst)), inSize - 1);
  return source;
}

/**
 * The nearest source slice, row and column of every output slice, row and column, as the kernel
 * PyTorch picks for this input computes them (images and volumes with one channel take the
 * channels-last kernel; sequences never do).
 */
export function nearestSources(info: UpsampleInfo): { readonly slices: Float64Array; readonly rows: Float64Array; readonly cols: Float64Array } {
  const legacy = info.layout.channels === 1 && info.layout.spatialRank !== 1;
  return {
    slices: nearestSourceIndices(info.inDepth, info.outDepth, info.scaleFactorDepth, legacy),
    rows: nearestSourceIndices(info.inHeight, info.outHeight, info.scaleFactor?.[0], legacy),
    cols: nearestSourceIndices(info.inWidth, info.outWidth, info.scaleFactor?.[1], legacy),
  };
}

function nearestKernel(info: UpsampleInfo, x: Float64Array): Float64Array {
  const { planes, inDepth, inHeight, inWidth, outDepth, outHeight, outWidth } = info;
  const { slices, rows, cols } = nearestSources(info);
  const out = new Float64Array(planes * outDepth * outHeight * outWidth);
  const inPlane = inHeight * inWidth;
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * inDepth * inPlane;
    for (let od = 0; od < outDepth; od++) {
      const slice = inBase + (slices[od] as number) * inPlane;
      for (let oh = 0; oh < outHeight; oh++) {
        const row = slice + (rows[oh] as number) * inWidth;
        for (let ow = 0; ow < outWidth; ow++) out[at++] = x[row + (cols[ow] as number)] as number;
      }
    }
  }
  return out;
}

/** PyTorch's `compute_indices_weights_linear` for one axis: the two neighbours and their weights per output index. */
export function linearTaps(inSize: number, outSize: number, alignCorners: boolean, scaleFactor: number | undefined): { i0: Float64Array; i1: Float64Array; w0: Float64Array; w1: Float64Array } {
  const i0 = new Float64Array(outSize);
  const i1 = new Float64Array(outSize);
  const w0 = new Float64Array(outSize);
  const w1 = new Float64Array(outSize);
  // area_pixel_compute_scale: with align_corners the corners map exactly; otherwise 1/scale_factor or in/out.
  const scale = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : scaleFactor !== undefined ? 1 / scaleFactor : inSize / outSize;
  for (let dst = 0; dst < outSize; dst++) {
    if (outSize === inSize) {
      // PyTorch copies an axis whose size does not change, whatever the scale factor says.
      i0[dst] = dst;
      i1[dst] = dst;
      w0[dst] = 1;
      w1[dst] = 0;
      continue;
    }
    // area_pixel_compute_source_index, where the compiler fuses scale·(dst + ½) − ½ into one FMA.
    let source = alignCorners ? scale * dst : exactFusedMultiplyAdd(scale, dst + 0.5, -0.5);
    if (source < 0) source = 0;
    const lower = Math.min(Math.floor(source), inSize - 1);
    const lambda = Math.min(Math.max(source - lower, 0), 1);
    i0[dst] = lower;
    i1[dst] = lower < inSize - 1 ? lower + 1 : lower;
    w1[dst] = lambda;
    w0[dst] = 1 - lambda;
  }
  return { i0, i1, w0, w1 };
}

/** The neighbours and weights of one output value, along the height (`h`) and the width (`w`). */
export interface BilinearTaps {
  readonly h0: number;
  readonly h1: number;
  readonly w0: number;
  readonly w1: number;
}

/**
 * One output value from its four neighbours (`x00` top left, `x01` top right, `x10`, `x11`), in the
 * order and with the fused multiply-adds of the kernel PyTorch 1.13 runs for this input (measured
 * against it: 288 of 288 random cases agree exactly, values of ±1e300 among them):
 *
 * - channels-last (`cpu_upsample_linear_channels_last`, taken when the input is also contiguous as
 *   channels-last: one channel, or a 1 × 1 plane): `h0·w0·x00 + h0·w1·x01 + h1·w0·x10 + h1·w1·x11`,
 *   each `+` fused with the product on its left;
 * - otherwise (`upsample_generic_Nd_kernel_impl`): along the width `x00·w0 + x01·w1` for each of
 *   the two rows, then `top·h0 + bottom·h1`, each fused the same way.
 */
export function bilinearValue(x00: number, x01: number, x10: number, x11: number, taps: BilinearTaps, channelsLast: boolean): number {
  const { h0, h1, w0, w1 } = taps;
  if (channelsLast) {
    const first = fusedMultiplyAdd(h0 * w0, x00, h0 * w1 * x01);
    return fusedMultiplyAdd(h1 * w1, x11, fusedMultiplyAdd(h1 * w0, x10, first));
  }
  const top = fusedMultiplyAdd(x00, w0, x01 * w1);
  const bottom = fusedMultiplyAdd(x10, w0, x11 * w1);
  return fusedMultiplyAdd(top, h0, bottom * h1);
}

/**
 * One `linear` value of a sequence, `x0·w0 + x1·w1` with the first product fused with the sum, as
 * PyTorch's 1-D kernel computes it: two values only, no height weights (whose 0 would turn ∞ into NaN).
 */
export function linearValue(x0: number, x1: number, w0: number, w1: number): number {
  return fusedMultiplyAdd(x0, w0, x1 * w1);
}

/** True when PyTorch runs its channels-last linear kernel for this input (see {@link bilinearValue}): never for sequences. */
export function bilinearChannelsLast(info: UpsampleInfo): boolean {
  if (info.layout.spatialRank === 1) return false;
  return info.layout.channels === 1 || info.inDepth * info.inHeight * info.inWidth === 1;
}

/**
 * One trilinear value from its eight neighbours (`corners`: the front slice's four in
 * {@link bilinearValue}'s order, then the back slice's), as the kernel PyTorch picks nests them:
 *
 * - channels-first: the bilinear values of the two slices, then `front·d0 + back·d1`, the first
 *   product fused with the sum;
 * - channels-last (one channel, or one cell): the eight corners weighted by `d·h·w` and summed in
 *   order, each `+` fused with the product on its left, as {@link bilinearValue}'s channels-last form.
 */
export function trilinearValue(corners: ArrayLike<number>, taps: BilinearTaps, d0: number, d1: number, channelsLast: boolean): number {
  const c = (i: number) => corners[i] as number;
  if (!channelsLast) return fusedMultiplyAdd(bilinearValue(c(0), c(1), c(2), c(3), taps, false), d0, bilinearValue(c(4), c(5), c(6), c(7), taps, false) * d1);
  const { h0, h1, w0, w1 } = taps;
  let sum = fusedMultiplyAdd(d0 * h0 * w0, c(0), d0 * h0 * w1 * c(1));
  sum = fusedMultiplyAdd(d0 * h1 * w0, c(2), sum);
  sum = fusedMultiplyAdd(d0 * h1 * w1, c(3), sum);
  sum = fusedMultiplyAdd(d1 * h0 * w0, c(4), sum);
  sum = fusedMultiplyAdd(d1 * h0 * w1, c(5), sum);
  sum = fusedMultiplyAdd(d1 * h1 * w0, c(6), sum);
  return fusedMultiplyAdd(d1 * h1 * w1, c(7), sum);
}

/** The linear modes, every rank: a sequence is an image of height 1 (its rows' weights 1 and 0), an image a volume of depth 1. */
function linearKernel(info: UpsampleInfo, x: Float64Array): Float64Array {
  const { planes, inDepth, inHeight, inWidth, outDepth, outHeight, outWidth, alignCorners } = info;
  const slices = linearTaps(inDepth, outDepth, alignCorners, info.scaleFactorDepth);
  const rows = linearTaps(inHeight, outHeight, alignCorners, info.scaleFactor?.[0]);
  const cols = linearTaps(inWidth, outWidth, alignCorners, info.scaleFactor?.[1]);
  const channelsLast = bilinearChannelsLast(info);
  const volume = info.layout.spatialRank === 3;
  const sequence = info.layout.spatialRank === 1;
  const inPlane = inHeight * inWidth;
  const out = new Float64Array(planes * outDepth * outHeight * outWidth);
  const taps = { h0: 0, h1: 0, w0: 0, w1: 0 };
  const corners = new Float64Array(8);
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * inDepth * inPlane;
    for (let od = 0; od < outDepth; od++) {
      const front = inBase + (slices.i0[od] as number) * inPlane;
      const back = inBase + (slices.i1[od] as number) * inPlane;
      const d0 = slices.w0[od] as number;
      const d1 = slices.w1[od] as number;
      for (let oh = 0; oh < outHeight; oh++) {
        const top = (rows.i0[oh] as number) * inWidth;
        const bottom = (rows.i1[oh] as number) * inWidth;
        taps.h0 = rows.w0[oh] as number;
        taps.h1 = rows.w1[oh] as number;
        for (let ow = 0; ow < outWidth; ow++) {
          const left = cols.i0[ow] as number;
          const right = cols.i1[ow] as number;
          taps.w0 = cols.w0[ow] as number;
          taps.w1 = cols.w1[ow] as number;
          if (sequence) {
            out[at++] = linearValue(x[front + left] as number, x[front + right] as number, taps.w0, taps.w1);
          } else if (!volume) {
            out[at++] = bilinearValue(x[front + top + left] as number, x[front + top + right] as number, x[front + bottom + left] as number, x[front + bottom + right] as number, taps, channelsLast);
          } else {
            corners[0] = x[front + top + left] as number;
            corners[1] = x[front + top + right] as number;
            corners[2] = x[front + bottom + left] as number;
            corners[3] = x[front + bottom + right] as number;
            corners[4] = x[back + top + left] as number;
            corners[5] = x[back + top + right] as number;
            corners[6] = x[back + bottom + left] as number;
            corners[7] = x[back + bottom + right] as number;
            out[at++] = trilinearValue(corners, taps, d0, d1, channelsLast);
          }
        }
      }
    }
  }
  return out;
}
