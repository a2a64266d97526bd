/**
 * Transposed convolution (PyTorch's `F.conv_transpose2d` / `F.conv_transpose1d`), in scatter form:
 * every input value, times the kernel, is added into its window of the output, windows `stride`
 * apart, overlapping where `dilation·(kernel_size − 1) + 1 > stride` (the checkerboard's cause).
 * `padding` then trims the full output's borders and `output_padding` extends its bottom/right:
 *
 *     H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
 *
 * Shapes and validation come from {@link convCallInfo}; this module only moves numbers.
 */
import { convCallInfo, type ConvInfo } from './convInfo';
import type { ConvTranspose1dOptions, ConvTranspose2dOptions } from './options';
import { tapRanges } from './taps';
import type { Tensor } from './tensor';

/**
 * `F.conv_transpose2d`. Input `[N, C_in, H, W]`, `[C_in, H, W]` or a matrix `[H, W]`; weight
 * `[C_in, C_out/groups, kH, kW]` (or `[kH, kW]` for a matrix). The output has the input's rank.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}): Tensor {
  return runConvTranspose('convTranspose2d', input, weight, options);
}

/** `F.conv_transpose1d`. Input `[N, C_in, L]` or `[C_in, L]`; weight `[C_in, C_out/groups, k]`. */
export function convTranspose1d(input: Tensor, weight: Tensor, options: ConvTranspose1dOptions = {}): Tensor {
  return runConvTranspose('convTranspose1d', input, weight, options);
}

function runConvTranspose(
  op: 'convTranspose2d' | 'convTranspose1d',
  input: Tensor,
  weight: Tensor,
  options: ConvTranspose2dOptions | ConvTranspose1dOptions,
): Tensor {
  const info = convCallInfo(op, input, weight, options);
  return { shape: info.outShape, data: convTransposeKernel(info, input.data, weight.data, options?.bias?.data) };
}

/**
 * The scatter kernel. For each (output channel, input channel, input row, kernel tap) it adds one
 * input row, scaled by the tap's weight, into one output row at a fixed offset: the inner loop reads
 * the input row contiguously and writes every `stride`-th output value, with no bounds checks (the
 * valid input range per tap is precomputed).
 */
function convTransposeKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias?: Float64Array): Float64Array {
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = info;
  const { inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, strideHeight, strideWidth } = info;
  const out = new Float64Array(batch * outChannels * outHeight * outWidth);
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const kernelPlane = kernelHeight * kernelWidth;
  const step = strideWidth | 0;
  // Output row = ih·stride + kh·dilation − padding: the input rows whose output row exists, per tap.
  const rows = tapRanges(kernelHeight, info.dilationHeight, info.padTop, strideHeight, inHeight, outHeight);
  const cols = tapRanges(kernelWidth, info.dilationWidth, info.padLeft, strideWidth, inWidth, outWidth);

  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      const group = Math.floor(oc / outChannelsPerGroup);
      const ocInGroup = oc - group * outChannelsPerGroup;
      const outBase = (n * outChannels + oc) * outPlane;
      if (bias !== undefined) out.fill(bias[oc] as number, outBase, outBase + outPlane);
      for (let icInGroup = 0; icInGroup < inChannelsPerGroup; icInGroup++) {
        const ic = group * inChannelsPerGroup + icInGroup;
        const inBase = (n * inChannels + ic) * inPlane;
        const weightBase = (ic * outChannelsPerGroup + ocInGroup) * kernelPlane;
        // Input row outermost: the kernelHeight output rows one input row feeds stay in cache while
        // every tap adds into them, instead of every tap streaming the whole output plane again.
        // `| 0` keeps positions small integers for the JIT (the ranges are stored as float64, since a
        // raw tap offset may be large): every position here is below the engine's 2³⁰-value limit,
        // so the coercion is exact, and integer indexing is about three times faster.
        for (let ih = 0; ih < inHeight; ih++) {
          const inRow = (inBase + ih * inWidth) | 0;
          for (let kh = 0; kh < kernelHeight; kh++) {
            if (ih < (rows.lo[kh] as number) || ih >= (rows.hi[kh] as number)) continue;
            const outRow = (outBase + (ih * strideHeight + (rows.offset[kh] as number)) * outWidth) | 0;
            const tapRow = (weightBase + kh * kernelWidth) | 0;
            for (let kw = 0; kw < kernelWidth; kw++) {
              const iwLo = (cols.lo[kw] as number) | 0;
              const iwHi = (cols.hi[kw] as number) | 0;
              if (iwLo >= iwHi) continue;
              const tap = w[tapRow + kw] as number;
              const o = (outRow + (cols.offset[kw] as number) + iwLo * strideWidth) | 0;
              addScaledRow(out, o, step, x, inRow + iwLo, inRow + iwHi, tap);
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * `out[o + k·step] += x[i] · tap` for `i` in `[from, to)`. Strides 1 and 2 (most layers) get loops
 * whose step is a literal: V8 compiles those about three times faster than a step read at run time.
 */
function addScaledRow(out: Float64Array, o: number, step: number, x: Float64Array, from: number, to: number, tap: number): void {
  if (step === 1) {
    for (let i = from; i < to; i++, o++) out[o] = (out[o] as number) + (x[i] as number) * tap;
  } else if (step === 2) {
    for (let i = from; i < to; i++, o += 2) out[o] = (out[o] as number) + (x[i] as number) * tap;
  } else {
    for (let i = from; i < to; i++, o += step) out[o] = (out[o] as number) + (x[i] as number) * tap;
  }
}
