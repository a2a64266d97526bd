/**
 * Index ranges for the convolution kernels. A kernel tap at `offset` connects position `i` of one
 * side to `i·stride + offset` of the other; the kernels loop only over the `i` whose partner is in
 * range, so their inner loops need no bounds checks.
 */
import type { ConvInfo } from './convInfo';

/** Index ranges, per tap, of one axis: `[lo[t], hi[t])` and the tap's offset. */
export interface TapRanges {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly offset: Float64Array;
}

/**
 * A transposed convolution's taps: output row = ih·stride + kh·dilation − padding, so per kernel
 * row the input rows whose output row exists; the same per kernel column.
 */
export function transposedTaps(info: ConvInfo): { readonly rows: TapRanges; readonly cols: TapRanges } {
  return {
    rows: tapRanges(info.kernelHeight, info.dilationHeight, info.padTop, info.strideHeight, info.inHeight, info.outHeight),
    cols: tapRanges(info.kernelWidth, info.dilationWidth, info.padLeft, info.strideWidth, info.inWidth, info.outWidth),
  };
}

/** The half-open range `[lo, hi)` of `0 ≤ i < count` with `0 ≤ i·stride + offset < limit` (empty: `lo === hi`). */
export function tapRange(offset: number, stride: number, count: number, limit: number): readonly [number, number] {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(count, Math.floor((limit - 1 - offset) / stride) + 1);
  return hi > lo ? [lo, hi] : [lo, lo];
}

/** {@link tapRange} for every tap `t` of a dilated kernel (`offset = t·dilation − padBefore`), as flat arrays (float64: paddings and dilations may exceed int32). */
export function tapRanges(kernel: number, dilation: number, padBefore: number, stride: number, count: number, limit: number): TapRanges {
  const lo = new Float64Array(kernel);
  const hi = new Float64Array(kernel);
  const offset = new Float64Array(kernel);
  for (let t = 0; t < kernel; t++) {
    offset[t] = t * dilation - padBefore;
    const [a, b] = tapRange(t * dilation - padBefore, stride, count, limit);
    lo[t] = a;
    hi[t] = b;
  }
  return { lo, hi, offset };
}
