/**
 * 3-D convolutions as depth slices of 2-D ones, so that volumes run on the same kernels as images
 * (TypeScript and WebAssembly, with their tuning) instead of on a third copy of them.
 *
 * Each output depth slice `od` is one 2-D layer whose input channels are the input slices that
 * reach it, stacked as `(tap j, channel)` within each group, and whose weight holds the matching
 * depth taps (the kernel's depth folded into its channels):
 *
 * - plain: every depth tap `kd` reads input slice `id = od·stride + kd·dilation − padding`; a tap in
 *   the depth padding reads a slice of zeros, which PyTorch multiplies by the weight too (so an
 *   infinite weight makes NaN there, as in PyTorch). The folded weight is the same for every slice.
 * - transposed: the taps `kd` with an input slice `id` where `id·stride + kd·dilation − padding = od`
 *   (those of `od`'s stride phase; fewer at the borders). The folded weight depends on which taps,
 *   so it is built once per set of taps.
 *
 * The depth sums thus happen inside the 2-D layer's matrix product (over `taps × C_in` instead of
 * `C_in`), and every output slice is written once. Shapes and validation are the 3-D layer's, from
 * {@link computeConvInfo}; each slice runs a 2-D {@link ConvInfo} derived here.
 */
import type { ConvInfo } from './convInfo';
import { checkAllocation } from './layout';

/** A 2-D kernel writing one layer's output into `out` (transposed) or returning it (plain). */
export type TransposedKernel = (info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, out: Float64Array) => void;
export type PlainKernel = (info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined) => Float64Array;

/** The 2-D layer one depth slice runs: the 3-D layer's plane axes, with `inChannels`/`outChannels` folded as given. */
function sliceInfo(info: ConvInfo, inChannels: number, outChannels: number, weightShape4d: readonly [number, number, number, number]): ConvInfo {
  const { batch, groups, outHeight, outWidth } = info;
  return {
    ...info,
    op: info.transposed ? 'convTranspose2d' : 'conv2d',
    layout: { spatialRank: 2, rank: 4, batch, channels: inChannels, depth: 1, height: info.inHeight, width: info.inWidth },
    inChannels,
    outChannels,
    inChannelsPerGroup: inChannels / groups,
    outChannelsPerGroup: outChannels / groups,
    inDepth: 1,
    outDepth: 1,
    kernelDepth: 1,
    effectiveKernelDepth: 1,
    strideDepth: 1,
    dilationDepth: 1,
    padFront: 0,
    padBack: 0,
    outputPaddingDepth: 0,
    weightShape4d,
    outShape: [batch, outChannels, outHeight, outWidth],
  };
}

/**
 * A plain 3-D weight `[C_out, C_in/groups, kD, kH, kW]` as the 2-D weight `[C_out, kD·C_in/groups, kH, kW]`
 * whose input channels are `(kd, icg)`: `w[oc, icg, kd, :, :]` → `wf[oc, kd·C_in/groups + icg, :, :]`.
 */
function foldPlainTaps(w: Float64Array, info: ConvInfo, kernelPlane: number): Float64Array {
  const { outChannels: a, inChannelsPerGroup: b, kernelDepth } = info;
  const wf = new Float64Array(w.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      for (let kd = 0; kd < kernelDepth; kd++) {
        const from = ((i * b + j) * kernelDepth + kd) * kernelPlane;
        wf.set(w.subarray(from, from + kernelPlane), ((i * kernelDepth + kd) * b + j) * kernelPlane);
      }
    }
  }
  return wf;
}

/**
 * The transposed 3-D weight `[C_in, C_out/groups, kD, kH, kW]` at the depth taps `taps` as the 2-D
 * weight `[groups·taps·C_in/groups, C_out/groups, kH, kW]`, input channel `(group, j, icg)` holding
 * `w[group·C_in/groups + icg, :, taps[j], :, :]`.
 */
function foldTransposedTaps(w: Float64Array, info: ConvInfo, taps: readonly number[], kernelPlane: number): Float64Array {
  const { groups, inChannelsPerGroup, outChannelsPerGroup, kernelDepth } = info;
  const wf = new Float64Array(groups * taps.length * inChannelsPerGroup * outChannelsPerGroup * kernelPlane);
  for (let group = 0, to = 0; group < groups; group++) {
    for (const kd of taps) {
      for (let icg = 0; icg < inChannelsPerGroup; icg++) {
        for (let ocg = 0; ocg < outChannelsPerGroup; ocg++, to += kernelPlane) {
          const from = (((group * inChannelsPerGroup + icg) * outChannelsPerGroup + ocg) * kernelDepth + kd) * kernelPlane;
          wf.set(w.subarray(from, from + kernelPlane), to);
        }
      }
    }
  }
  return wf;
}

/**
 * Stacks input slices as the channels of one 2-D input `[N, groups·slices·C_in/groups, H, W]`:
 * channel `(group, j, icg)` is `x[n, group·C_in/groups + icg, slices[j]]`, or zeros where
 * `slices[j]` is outside the input (the depth padding).
 */
function stackSlices(info: ConvInfo, x: Float64Array, slices: readonly number[], xs: Float64Array): void {
  const { batch, inChannels, inDepth, groups, inChannelsPerGroup } = info;
  const inPlane = info.inHeight * info.inWidth;
  for (let n = 0, to = 0; n < batch; n++) {
    for (let group = 0; group < groups; group++) {
      for (const id of slices) {
        for (let icg = 0; icg < inChannelsPerGroup; icg++, to += inPlane) {
          if (id < 0 || id >= inDepth) {
            xs.fill(0, to, to + inPlane);
            continue;
          }
          const from = ((n * inChannels + group * inChannelsPerGroup + icg) * inDepth + id) * inPlane;
          xs.set(x.subarray(from, from + inPlane), to);
        }
      }
    }
  }
}

/**
 * The values of one stacked input, `[N, channels, H, W]`, refused beyond the engine's limit: a deep
 * kernel stacks up to `kD` copies of each input slice, which a layer small enough to accept may
 * still multiply past what memory holds.
 */
function stackedSize(info: ConvInfo, channels: number): number {
  const shape = [info.batch, channels, info.inHeight, info.inWidth];
  checkAllocation('the input slices one output depth slice stacks', shape);
  return shape.reduce((a, b) => a * b, 1);
}

/** Copies one output slice `ys` (`[N, C_out, H_out, W_out]`) into depth `od` of the 3-D output. */
function placeSlice(info: ConvInfo, ys: Float64Array, od: number, out: Float64Array): void {
  const outPlane = info.outHeight * info.outWidth;
  for (let plane = 0; plane < info.batch * info.outChannels; plane++) {
    out.set(ys.subarray(plane * outPlane, (plane + 1) * outPlane), (plane * info.outDepth + od) * outPlane);
  }
}

/**
 * `F.conv_transpose3d` into `out` (every value written), by output depth slice: see the module
 * comment. `kernel` is the 2-D transposed convolution's, which overwrites its output.
 */
export function convTransposeByDepth(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, out: Float64Array, kernel: TransposedKernel): void {
  const { batch, inDepth, outChannels, outDepth, groups, kernelDepth, inChannelsPerGroup, strideDepth, dilationDepth, padFront } = info;
  const kernelPlane = info.kernelHeight * info.kernelWidth;
  const outPlane = info.outHeight * info.outWidth;
  const folded = new Map<string, Float64Array>();
  const ys = new Float64Array(batch * outChannels * outPlane);
  let xs = new Float64Array(0);
  for (let od = 0; od < outDepth; od++) {
    // The taps and input slices with id·stride + kd·dilation − padding = od.
    const taps: number[] = [];
    const slices: number[] = [];
    for (let kd = 0; kd < kernelDepth; kd++) {
      const reach = od + padFront - kd * dilationDepth;
      if (reach < 0 || reach % strideDepth !== 0 || reach / strideDepth >= inDepth) continue;
      taps.push(kd);
      slices.push(reach / strideDepth);
    }
    if (taps.length === 0) {
      // No input reaches this slice (a stride longer than the kernel, or output_padding): the bias alone.
      for (let plane = 0; plane < batch * outChannels; plane++) {
        const at = (plane * outDepth + od) * outPlane;
        out.fill(bias === undefined ? 0 : (bias[plane % outChannels] as number), at, at + outPlane);
      }
      continue;
    }
    const key = taps.join(',');
    let wf = folded.get(key);
    if (wf === undefined) {
      wf = foldTransposedTaps(w, info, taps, kernelPlane);
      folded.set(key, wf);
    }
    const stacked = groups * taps.length * inChannelsPerGroup;
    if (xs.length !== batch * stacked * info.inHeight * info.inWidth) xs = new Float64Array(stackedSize(info, stacked));
    stackSlices(info, x, slices, xs);
    kernel(sliceInfo(info, stacked, outChannels, [stacked, info.outChannelsPerGroup, info.kernelHeight, info.kernelWidth]), xs, wf, bias, ys);
    placeSlice(info, ys, od, out);
  }
}

/** `F.conv3d`, by output depth slice: see the module comment. `kernel` is the 2-D convolution's. */
export function convByDepth(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, kernel: PlainKernel): Float64Array {
  const { batch, outChannels, outDepth, groups, kernelDepth, inChannelsPerGroup } = info;
  const folded = kernelDepth * inChannelsPerGroup;
  const slice = sliceInfo(info, groups * folded, outChannels, [outChannels, folded, info.kernelHeight, info.kernelWidth]);
  const wf = foldPlainTaps(w, info, info.kernelHeight * info.kernelWidth);
  const out = new Float64Array(batch * outChannels * outDepth * info.outHeight * info.outWidth);
  const xs = new Float64Array(stackedSize(info, groups * folded));
  for (let od = 0; od < outDepth; od++) {
    const slices = Array.from({ length: kernelDepth }, (_, kd) => od * info.strideDepth + kd * info.dilationDepth - info.padFront);
    stackSlices(info, x, slices, xs);
    placeSlice(info, kernel(slice, xs, wf, bias), od, out);
  }
  return out;
}
