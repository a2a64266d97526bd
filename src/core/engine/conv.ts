/**
 * Plain convolution (PyTorch's `F.conv1d` / `F.conv2d` / `F.conv3d`, which are cross-correlations): each output
 * value is the kernel's dot product with its window of the zero-padded input.
 *
 *     H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1
 *
 * Shapes and validation come from {@link convCallInfo}; this module only moves numbers. A 1-D layer
 * runs as an image of height 1, a 3-D one as 2-D layers over its depth slices (./depthSlices.ts).
 */
import { convCallInfo, type ConvInfo } from './convInfo';
import { convByDepth } from './depthSlices';
import type { Conv1dOptions, Conv2dOptions, Conv3dOptions } from './options';
import { tapRanges } from './taps';
import type { Tensor } from './tensor';

/**
 * `F.conv2d`. Input `[N, C_in, H, W]`, `[C_in, H, W]` or a matrix `[H, W]`; weight
 * `[C_out, C_in/groups, kH, kW]` (or `[kH, kW]` for a matrix). The output has the input's rank.
 */
export function conv2d(input: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  return runConv('conv2d', input, weight, options);
}

/** `F.conv1d`. Input `[N, C_in, L]` or `[C_in, L]`; weight `[C_out, C_in/groups, k]`. */
export function conv1d(input: Tensor, weight: Tensor, options: Conv1dOptions = {}): Tensor {
  return runConv('conv1d', input, weight, options);
}

/** `F.conv3d`. Input `[N, C_in, D, H, W]` or `[C_in, D, H, W]`; weight `[C_out, C_in/groups, kD, kH, kW]`. */
export function conv3d(input: Tensor, weight: Tensor, options: Conv3dOptions = {}): Tensor {
  return runConv('conv3d', input, weight, options);
}

function runConv(op: 'conv2d' | 'conv1d' | 'conv3d', input: Tensor, weight: Tensor, options: Conv2dOptions | Conv1dOptions | Conv3dOptions): Tensor {
  const info = convCallInfo(op, input, weight, options);
  const bias = options?.bias?.data;
  const data = info.layout.spatialRank === 3 ? convByDepth(info, input.data, weight.data, bias, convKernel) : convKernel(info, input.data, weight.data, bias);
  return { shape: info.outShape, data };
}

/**
 * The kernel. For each (output channel, input channel, kernel tap) it adds the tap's weight times a
 * strided view of the input plane into the output plane: the inner loop writes the output row
 * contiguously, over the output columns whose input column exists (precomputed per tap).
 *
 * PyTorch multiplies the zero padding by the weights too (im2col), so a non-finite weight makes
 * NaN wherever its tap lands in the padding (`0·∞`); {@link poisonPaddedTaps} reproduces that.
 */
function convKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias?: Float64Array): Float64Array {
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = info;
  const { inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, strideHeight, strideWidth } = info;
  const out = new Float64Array(batch * outChannels * outHeight * outWidth);
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const kernelPlane = kernelHeight * kernelWidth;
  // Input row = oh·stride + kh·dilation − padding: the output rows whose input row exists, per tap.
  const rows = tapRanges(kernelHeight, info.dilationHeight, info.padTop, strideHeight, outHeight, inHeight);
  const cols = tapRanges(kernelWidth, info.dilationWidth, info.padLeft, strideWidth, outWidth, inWidth);

  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      const group = Math.floor(oc / outChannelsPerGroup);
      const outBase = (n * outChannels + oc) * outPlane;
      if (bias !== undefined) out.fill(bias[oc] as number, outBase, outBase + outPlane);
      for (let icInGroup = 0; icInGroup < inChannelsPerGroup; icInGroup++) {
        const inBase = (n * inChannels + group * inChannelsPerGroup + icInGroup) * inPlane;
        const weightBase = (oc * inChannelsPerGroup + icInGroup) * kernelPlane;
        for (let kh = 0; kh < kernelHeight; kh++) {
          const ohLo = rows.lo[kh] as number;
          const ohHi = rows.hi[kh] as number;
          const rowOffset = rows.offset[kh] as number;
          for (let kw = 0; kw < kernelWidth; kw++) {
            const owLo = cols.lo[kw] as number;
            const owHi = cols.hi[kw] as number;
            const colOffset = cols.offset[kw] as number;
            const tap = w[weightBase + kh * kernelWidth + kw] as number;
            const count = owHi - owLo;
            for (let oh = ohLo; oh < ohHi; oh++) {
              let o = outBase + oh * outWidth + owLo;
              let i = inBase + (oh * strideHeight + rowOffset) * inWidth + colOffset + owLo * strideWidth;
              for (let step = 0; step < count; step++, o++, i += strideWidth) {
                out[o] = (out[o] as number) + (x[i] as number) * tap;
              }
            }
            if (!Number.isFinite(tap)) poisonPaddedTaps(out, outBase, outHeight, outWidth, ohLo, ohHi, owLo, owHi);
          }
        }
      }
    }
  }
  return out;
}

/** Sets NaN at every output position outside `[ohLo, ohHi) × [owLo, owHi)`: where the tap reads padding. */
function poisonPaddedTaps(out: Float64Array, outBase: number, outHeight: number, outWidth: number, ohLo: number, ohHi: number, owLo: number, owHi: number): void {
  for (let oh = 0; oh < outHeight; oh++) {
    const rowInside = oh >= ohLo && oh < ohHi;
    for (let ow = 0; ow < outWidth; ow++) {
      if (!rowInside || ow < owLo || ow >= owHi) out[outBase + oh * outWidth + ow] = NaN;
    }
  }
}
