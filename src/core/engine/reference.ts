/**
 * Plain, obviously-correct convolutions, written straight from the definitions with one
 * multiply-add per (output, input, tap) and explicit bounds checks. They are slow on purpose and
 * exist so that tests can compare the fast kernels against them; nothing else should call them.
 * Shapes come from the same {@link convCallInfo} record as the fast kernels.
 */
import { convCallInfo, type ConvInfo } from './convInfo';
import type { Conv2dOptions, ConvTranspose2dOptions } from './options';
import type { Tensor } from './tensor';

/**
 * Transposed convolution by its definition: input value `x[n, ic, ih, iw]` is multiplied by every
 * weight `w[ic, oc − g·C_out/groups, kh, kw]` of its group and added to output position
 * `(ih·stride − padding + kh·dilation, iw·stride − padding + kw·dilation)` when that position exists.
 */
export function referenceConvTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}): Tensor {
  const info = referenceInfo('convTranspose2d', input, weight, options);
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth, groups, kernelHeight, kernelWidth } = info;
  const out = new Float64Array(batch * outChannels * outHeight * outWidth);
  const outIndex = (n: number, c: number, h: number, w: number): number => ((n * outChannels + c) * outHeight + h) * outWidth + w;
  const cinPerGroup = inChannels / groups;
  const coutPerGroup = outChannels / groups;
  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) out[outIndex(n, oc, oh, ow)] = options.bias ? (options.bias.data[oc] as number) : 0;
      }
    }
    for (let ic = 0; ic < inChannels; ic++) {
      const group = Math.floor(ic / cinPerGroup);
      for (let ih = 0; ih < inHeight; ih++) {
        for (let iw = 0; iw < inWidth; iw++) {
          const value = input.data[((n * inChannels + ic) * inHeight + ih) * inWidth + iw] as number;
          for (let ocInGroup = 0; ocInGroup < coutPerGroup; ocInGroup++) {
            const oc = group * coutPerGroup + ocInGroup;
            for (let kh = 0; kh < kernelHeight; kh++) {
              for (let kw = 0; kw < kernelWidth; kw++) {
                const oh = ih * info.strideHeight - info.padTop + kh * info.dilationHeight;
                const ow = iw * info.strideWidth - info.padLeft + kw * info.dilationWidth;
                if (oh < 0 || oh >= outHeight || ow < 0 || ow >= outWidth) continue;
                const tap = weight.data[((ic * coutPerGroup + ocInGroup) * kernelHeight + kh) * kernelWidth + kw] as number;
                const at = outIndex(n, oc, oh, ow);
                out[at] = (out[at] as number) + value * tap;
              }
            }
          }
        }
      }
    }
  }
  return { shape: info.outShape, data: out };
}

/**
 * Convolution (cross-correlation) by its definition: output `y[n, oc, oh, ow]` is the sum over the
 * input channels of its group and the kernel taps of `w[oc, ic, kh, kw]` times the zero-padded
 * input at `(oh·stride − padding + kh·dilation, ow·stride − padding + kw·dilation)`.
 */
export function referenceConv2d(input: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  const info = referenceInfo('conv2d', input, weight, options);
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth, groups, kernelHeight, kernelWidth } = info;
  const out = new Float64Array(batch * outChannels * outHeight * outWidth);
  const cinPerGroup = inChannels / groups;
  const coutPerGroup = outChannels / groups;
  const padded = (n: number, c: number, h: number, w: number): number =>
    h < 0 || h >= inHeight || w < 0 || w >= inWidth ? 0 : (input.data[((n * inChannels + c) * inHeight + h) * inWidth + w] as number);
  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      const group = Math.floor(oc / coutPerGroup);
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          let sum = options.bias ? (options.bias.data[oc] as number) : 0;
          for (let icInGroup = 0; icInGroup < cinPerGroup; icInGroup++) {
            for (let kh = 0; kh < kernelHeight; kh++) {
              for (let kw = 0; kw < kernelWidth; kw++) {
                const ih = oh * info.strideHeight - info.padTop + kh * info.dilationHeight;
                const iw = ow * info.strideWidth - info.padLeft + kw * info.dilationWidth;
                const tap = weight.data[((oc * cinPerGroup + icInGroup) * kernelHeight + kh) * kernelWidth + kw] as number;
                sum += padded(n, group * cinPerGroup + icInGroup, ih, iw) * tap;
              }
            }
          }
          out[((n * outChannels + oc) * outHeight + oh) * outWidth + ow] = sum;
        }
      }
    }
  }
  return { shape: info.outShape, data: out };
}

function referenceInfo(op: 'convTranspose2d' | 'conv2d', input: Tensor, weight: Tensor, options: ConvTranspose2dOptions | Conv2dOptions): ConvInfo {
  return convCallInfo(op, input, weight, options);
}
