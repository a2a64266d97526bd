/**
 * Upsampling (`F.interpolate` on images) in PyTorch's `nearest` and `bilinear` modes, reproducing
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
 *   with `alignCorners`; the two neighbours of each axis are blended along the width, then the height.
 *
 * test/golden/torch-upsample.jsonl holds the PyTorch cases these rules are checked against.
 * Shapes and validation come from {@link computeUpsampleInfo}.
 */
import { checkTensor } from './layout';
import type { UpsampleOptions } from './options';
import { computeUpsampleInfo, type UpsampleInfo } from './resampleInfo';
import type { Tensor } from './tensor';

/** `F.interpolate(input, size | scale_factor, mode, align_corners)` on `[N, C, H, W]`, `[C, H, W]` or a matrix `[H, W]`. */
export function upsample(input: Tensor, options: UpsampleOptions): Tensor {
  checkTensor('input', input);
  const info = computeUpsampleInfo(input.shape, options);
  const data = info.mode === 'nearest' ? nearestKernel(info, input.data) : bilinearKernel(info, input.data);
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

/** The nearest source row of every output row and source column of every output column, as the kernel PyTorch picks for this input computes them. */
export function nearestSources(info: UpsampleInfo): { readonly rows: Float64Array; readonly cols: Float64Array } {
  const legacy = info.layout.channels === 1;
  return {
    rows: nearestSourceIndices(info.inHeight, info.outHeight, info.scaleFactor?.[0], legacy),
    cols: nearestSourceIndices(info.inWidth, info.outWidth, info.scaleFactor?.[1], legacy),
  };
}

function nearestKernel(info: UpsampleInfo, x: Float64Array): Float64Array {
  const { planes, inHeight, inWidth, outHeight, outWidth } = info;
  const { rows, cols } = nearestSources(info);
  const out = new Float64Array(planes * outHeight * outWidth);
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * inHeight * inWidth;
    for (let oh = 0; oh < outHeight; oh++) {
      const row = inBase + (rows[oh] as number) * inWidth;
      for (let ow = 0; ow < outWidth; ow++) out[at++] = x[row + (cols[ow] as number)] as number;
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
    let source = alignCorners ? scale * dst : scale * (dst + 0.5) - 0.5;
    if (source < 0) source = 0;
    const lower = Math.floor(source);
    const lambda = source - lower;
    i0[dst] = lower;
    i1[dst] = lower < inSize - 1 ? lower + 1 : lower;
    w1[dst] = lambda;
    w0[dst] = 1 - lambda;
  }
  return { i0, i1, w0, w1 };
}

function bilinearKernel(info: UpsampleInfo, x: Float64Array): Float64Array {
  const { planes, inHeight, inWidth, outHeight, outWidth, alignCorners } = info;
  const rows = linearTaps(inHeight, outHeight, alignCorners, info.scaleFactor?.[0]);
  const cols = linearTaps(inWidth, outWidth, alignCorners, info.scaleFactor?.[1]);
  const out = new Float64Array(planes * outHeight * outWidth);
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * inHeight * inWidth;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = inBase + (rows.i0[oh] as number) * inWidth;
      const bottom = inBase + (rows.i1[oh] as number) * inWidth;
      const wTop = rows.w0[oh] as number;
      const wBottom = rows.w1[oh] as number;
      for (let ow = 0; ow < outWidth; ow++) {
        const left = cols.i0[ow] as number;
        const right = cols.i1[ow] as number;
        const wLeft = cols.w0[ow] as number;
        const wRight = cols.w1[ow] as number;
        const upper = (x[top + left] as number) * wLeft + (x[top + right] as number) * wRight;
        const lower = (x[bottom + left] as number) * wLeft + (x[bottom + right] as number) * wRight;
        out[at++] = upper * wTop + lower * wBottom;
      }
    }
  }
  return out;
}
