/**
 * 3-D convolutions as depth slices of 2-D ones, so that volumes run on the same kernels as images
 * (TypeScript and WebAssembly, with their tuning) instead of on a third copy of them.
 *
 * A kernel's depth taps become channels of a 2-D layer:
 *
 * - transposed: input slice `id` through the weight with `(kd, oc)` as output channels
 *   (`[C_in, kD·C_out/groups, kH, kW]`) gives, at once, what that slice adds to each output slice
 *   `od = id·stride + kd·dilation − padding`; each block of channels is added into its slice.
 * - plain: output slice `od` is one 2-D convolution of the input slices its depth taps read,
 *   stacked as `(kd, ic)` input channels (`[C_out, kD·C_in/groups, kH, kW]`); a tap that lands in the
 *   depth padding reads a slice of zeros, which PyTorch multiplies by the weight too (so an infinite
 *   weight makes NaN there, as in PyTorch).
 *
 * Groups stay groups: each group's channels are folded within the group. Shapes and validation are
 * the 3-D layer's, from {@link computeConvInfo}; each slice runs a 2-D {@link ConvInfo} derived here.
 */
import type { ConvInfo } from './convInfo';

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
 * A 3-D weight `[a, b, kD, kH, kW]` as the 2-D weight `[a, kD·b, kH, kW]` whose second axis is
 * `(kd, b)`: `w[i, j, kd, :, :]` → `wf[i, kd·b + j, :, :]` (both layouts put `C_in` or `C_out` per
 * group second, so this folds within each group).
 */
function foldDepthTaps(w: Float64Array, a: number, b: number, kernelDepth: number, kernelPlane: number): Float64Array {
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
 * `F.conv_transpose3d` into `out` (every value written), by input depth slice: see the module comment.
 * `kernel` is the 2-D transposed convolution's, which overwrites its output.
 */
export function convTransposeByDepth(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, out: Float64Array, kernel: TransposedKernel): void {
  const { batch, inChannels, inDepth, outChannels, outDepth, groups, kernelDepth, outChannelsPerGroup } = info;
  const kernelPlane = info.kernelHeight * info.kernelWidth;
  const inPlane = info.inHeight * info.inWidth;
  const outPlane = info.outHeight * info.outWidth;
  const folded = kernelDepth * outChannelsPerGroup;
  const slice = sliceInfo(info, inChannels, groups * folded, [inChannels, folded, info.kernelHeight, info.kernelWidth]);

  const wf = foldDepthTaps(w, inChannels, outChannelsPerGroup, kernelDepth, kernelPlane);

  if (bias === undefined) out.fill(0);
  else for (let n = 0, at = 0; n < batch; n++) for (let oc = 0; oc < outChannels; oc++, at += outDepth * outPlane) out.fill(bias[oc] as number, at, at + outDepth * outPlane);

  const xs = new Float64Array(batch * inChannels * inPlane);
  const ys = new Float64Array(batch * groups * folded * outPlane);
  for (let id = 0; id < inDepth; id++) {
    for (let n = 0; n < batch; n++) {
      for (let ic = 0; ic < inChannels; ic++) {
        const from = ((n * inChannels + ic) * inDepth + id) * inPlane;
        xs.set(x.subarray(from, from + inPlane), (n * inChannels + ic) * inPlane);
      }
    }
    kernel(slice, xs, wf, undefined, ys);
    for (let kd = 0; kd < kernelDepth; kd++) {
      const od = id * info.strideDepth + kd * info.dilationDepth - info.padFront;
      if (od < 0 || od >= outDepth) continue;
      for (let n = 0; n < batch; n++) {
        for (let oc = 0; oc < outChannels; oc++) {
          const group = Math.floor(oc / outChannelsPerGroup);
          const ocg = oc - group * outChannelsPerGroup;
          const from = ((n * groups + group) * folded + kd * outChannelsPerGroup + ocg) * outPlane;
          const to = ((n * outChannels + oc) * outDepth + od) * outPlane;
          addPlane(out, to, ys, from, outPlane);
        }
      }
    }
  }
}

/** `out[to + i] += ys[from + i]` for `i < count`: a small function of its own, which V8 optimises whole. */
function addPlane(out: Float64Array, to: number, ys: Float64Array, from: number, count: number): void {
  for (let i = 0; i < count; i++) out[to + i] = (out[to + i] as number) + (ys[from + i] as number);
}

/** `F.conv3d`, by output depth slice: see the module comment. `kernel` is the 2-D convolution's. */
export function convByDepth(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, kernel: PlainKernel): Float64Array {
  const { batch, inChannels, inDepth, outChannels, outDepth, groups, kernelDepth, inChannelsPerGroup } = info;
  const kernelPlane = info.kernelHeight * info.kernelWidth;
  const inPlane = info.inHeight * info.inWidth;
  const outPlane = info.outHeight * info.outWidth;
  const folded = kernelDepth * inChannelsPerGroup;
  const slice = sliceInfo(info, groups * folded, outChannels, [outChannels, folded, info.kernelHeight, info.kernelWidth]);

  const wf = foldDepthTaps(w, outChannels, inChannelsPerGroup, kernelDepth, kernelPlane);

  const out = new Float64Array(batch * outChannels * outDepth * outPlane);
  const xs = new Float64Array(batch * groups * folded * inPlane);
  for (let od = 0; od < outDepth; od++) {
    for (let kd = 0; kd < kernelDepth; kd++) {
      const id = od * info.strideDepth + kd * info.dilationDepth - info.padFront;
      const inside = id >= 0 && id < inDepth;
      for (let n = 0; n < batch; n++) {
        for (let ic = 0; ic < inChannels; ic++) {
          const group = Math.floor(ic / inChannelsPerGroup);
          const icg = ic - group * inChannelsPerGroup;
          const to = ((n * groups + group) * folded + kd * inChannelsPerGroup + icg) * inPlane;
          if (!inside) {
            xs.fill(0, to, to + inPlane);
            continue;
          }
          const from = ((n * inChannels + ic) * inDepth + id) * inPlane;
          xs.set(x.subarray(from, from + inPlane), to);
        }
      }
    }
    const ys = kernel(slice, xs, wf, bias);
    for (let n = 0; n < batch; n++) {
      for (let oc = 0; oc < outChannels; oc++) {
        const from = (n * outChannels + oc) * outPlane;
        out.set(ys.subarray(from, from + outPlane), ((n * outChannels + oc) * outDepth + od) * outPlane);
      }
    }
  }
  return out;
}
