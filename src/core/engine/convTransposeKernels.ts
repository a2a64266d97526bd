/**
 * The TypeScript kernels of the transposed convolution: what runs where WebAssembly is unavailable
 * (the webview's content security policy forbids it), and the twins the WebAssembly kernels are
 * tested against. Each reads a validated {@link ConvInfo} and writes every value of an output
 * array (a new one or the caller's, see {@link OutputBuffer}); each adds
 * every product whose output position exists (none is skipped for being zero), so NaN and
 * infinities spread exactly as in PyTorch.
 *
 * - {@link scatterKernel}: every input row, times each kernel tap, added into the output row the
 *   tap lands on. Best for few channels, where there is nothing to reuse across channels, and an
 *   output that fits in cache.
 * - {@link gatherKernel}: the same additions in the same order, output row by output row, so each
 *   row is finished while in cache and the output written once; best for few channels and an
 *   output larger than the cache.
 * - {@link gemmKernel}: PyTorch's formulation, one input row at a time: the matrix product
 *   `col[(oc, kh, kw), iw] = Σ_ic w[ic, oc, kh, kw] · x[ic, ih, iw]`, then each row of `col` added
 *   into the output row its tap lands on (col2im). Blocked so that each weight and input value
 *   loaded serves several products; best when many input channels feed each output.
 */
import type { ConvInfo } from './convInfo';
import { transposedTaps, type TapRanges } from './taps';

/** Rows of `col` one block of the product computes at once (the register block is 4 rows × 4 columns). */
const BLOCK_ROWS = 4;

/**
 * The array a kernel writes the result into. `zeroed` says it holds only zeros (a new array), so a
 * kernel need not clear it; a caller's array may hold anything and is overwritten in full.
 */
export interface OutputBuffer {
  readonly data: Float64Array;
  readonly zeroed: boolean;
}

/** Sets each channel's plane of the output to its bias (or zero), where the sums start. */
function initialOutput(info: ConvInfo, bias: Float64Array | undefined, out: OutputBuffer): Float64Array {
  if (bias !== undefined) fillWithBias(out.data, info, bias);
  else if (!out.zeroed) out.data.fill(0);
  return out.data;
}

/** Fills each channel's plane of an output with its bias value. */
export function fillWithBias(out: Float64Array, info: ConvInfo, bias: Float64Array): void {
  const plane = info.outHeight * info.outWidth;
  for (let image = 0, at = 0; image < info.batch; image++) {
    for (let oc = 0; oc < info.outChannels; oc++, at += plane) out.fill(bias[oc] as number, at, at + plane);
  }
}

/**
 * The scatter kernel. For each (output channel, input channel, input row, kernel tap) it adds one
 * input row, scaled by the tap's weight, into one output row at a fixed offset: the inner loop reads
 * the input row contiguously and writes every `stride`-th output value, with no bounds checks (the
 * valid input range per tap is precomputed).
 */
export function scatterKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, output: OutputBuffer): void {
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = info;
  const { inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, strideHeight, strideWidth } = info;
  const out = initialOutput(info, bias, output);
  const { rows, cols } = transposedTaps(info);
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const kernelPlane = kernelHeight * kernelWidth;

  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      const group = Math.floor(oc / outChannelsPerGroup);
      const ocInGroup = oc - group * outChannelsPerGroup;
      const outBase = (n * outChannels + oc) * outPlane;
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
            addKernelRow(out, outRow, x, inRow, w, (weightBase + kh * kernelWidth) | 0, cols, strideWidth);
          }
        }
      }
    }
  }
}

/**
 * The gather kernel: the scatter kernel's additions, output row by output row. Each row is set to
 * its bias (or zero) and then receives, from every input channel and kernel row that reaches it,
 * one input row scaled by each tap, while it is in the first-level cache; the result's memory is
 * written row after row, never revisited. Kernel rows run from the last to the first, so input
 * rows, and each output value's sum, come in the scatter kernel's order.
 */
export function gatherKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, output: OutputBuffer): void {
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = info;
  const { inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, strideHeight, strideWidth } = info;
  const out = output.data;
  const clear = !output.zeroed;
  const { rows, cols } = transposedTaps(info);
  const inPlane = inHeight * inWidth;
  const kernelPlane = kernelHeight * kernelWidth;

  for (let n = 0, outRow = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      const group = Math.floor(oc / outChannelsPerGroup);
      const ocInGroup = oc - group * outChannelsPerGroup;
      for (let oh = 0; oh < outHeight; oh++, outRow += outWidth) {
        if (bias !== undefined) out.fill(bias[oc] as number, outRow, outRow + outWidth);
        else if (clear) out.fill(0, outRow, outRow + outWidth);
        for (let icInGroup = 0; icInGroup < inChannelsPerGroup; icInGroup++) {
          const ic = group * inChannelsPerGroup + icInGroup;
          const inBase = (n * inChannels + ic) * inPlane;
          const weightBase = (ic * outChannelsPerGroup + ocInGroup) * kernelPlane;
          for (let kh = kernelHeight - 1; kh >= 0; kh--) {
            // Input row ih reaches output row oh through kernel row kh when ih·stride + offset = oh.
            const reach = oh - (rows.offset[kh] as number);
            if (reach < 0 || reach % strideHeight !== 0) continue;
            const ih = reach / strideHeight;
            if (ih < (rows.lo[kh] as number) || ih >= (rows.hi[kh] as number)) continue;
            addKernelRow(out, outRow, x, (inBase + ih * inWidth) | 0, w, (weightBase + kh * kernelWidth) | 0, cols, strideWidth);
          }
        }
      }
    }
  }
}

/**
 * The matrix-product kernel (see the module comment). Per image, group and input row, the weights
 * of the group, packed as blocks of {@link BLOCK_ROWS} rows of `col` (`packed[block][ic][r]`), are
 * multiplied by the input row of every channel in 4 × 4 register blocks; each finished block of
 * rows is scattered into the output at once, while it is still in the first-level cache.
 */
export function gemmKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, output: OutputBuffer): void {
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth, groups } = info;
  const { inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, strideHeight, strideWidth } = info;
  const [inPlane, outPlane, kernelPlane] = [inHeight * inWidth, outHeight * outWidth, kernelHeight * kernelWidth];
  const step = strideWidth | 0;
  const { rows, cols } = transposedTaps(info);
  const out = initialOutput(info, bias, output);
  const colRows = outChannelsPerGroup * kernelPlane;
  const blocks = Math.ceil(colRows / BLOCK_ROWS);
  const col = new Float64Array(BLOCK_ROWS * inWidth);

  for (let group = 0; group < groups; group++) {
    const packed = packWeights(w, group, inChannelsPerGroup, colRows, blocks);
    for (let n = 0; n < batch; n++) {
      const inBase = (n * inChannels + group * inChannelsPerGroup) * inPlane;
      const outBase = (n * outChannels + group * outChannelsPerGroup) * outPlane;
      for (let ih = 0; ih < inHeight; ih++) {
        const inRow = (inBase + ih * inWidth) | 0;
        for (let block = 0; block < blocks; block++) {
          multiplyBlock(col, packed, block * inChannelsPerGroup * BLOCK_ROWS, x, inRow, inPlane, inChannelsPerGroup, inWidth);
          // col2im: row r of the block is tap (kh, kw) of output channel oc; add it where it lands.
          const firstRow = block * BLOCK_ROWS;
          const lastRow = Math.min(firstRow + BLOCK_ROWS, colRows);
          for (let row = firstRow; row < lastRow; row++) {
            const ocInGroup = Math.floor(row / kernelPlane);
            const tap = row - ocInGroup * kernelPlane;
            const kh = Math.floor(tap / kernelWidth);
            const kw = tap - kh * kernelWidth;
            if (ih < (rows.lo[kh] as number) || ih >= (rows.hi[kh] as number)) continue;
            const iwLo = (cols.lo[kw] as number) | 0;
            const iwHi = (cols.hi[kw] as number) | 0;
            if (iwLo >= iwHi) continue;
            const outRow = outBase + ocInGroup * outPlane + (ih * strideHeight + (rows.offset[kh] as number)) * outWidth;
            const o = (outRow + (cols.offset[kw] as number) + iwLo * strideWidth) | 0;
            const from = ((row - firstRow) * inWidth + iwLo) | 0;
            addScaledRow(out, o, step, col, from, from + iwHi - iwLo, 1);
          }
        }
      }
    }
  }
}

/**
 * One group's weights `w[ic, oc, kh, kw]` as the left matrix of the product, row `(oc, kh, kw)`,
 * column `ic`, packed so that a block's {@link BLOCK_ROWS} values for one `ic` are adjacent:
 * `packed[(block·C_in/groups + ic)·BLOCK_ROWS + r]`. Rows past the last are zero.
 */
function packWeights(w: Float64Array, group: number, inPerGroup: number, colRows: number, blocks: number): Float64Array {
  const packed = new Float64Array(blocks * inPerGroup * BLOCK_ROWS);
  for (let ic = 0; ic < inPerGroup; ic++) {
    const from = (group * inPerGroup + ic) * colRows;
    for (let row = 0; row < colRows; row++) {
      const block = Math.floor(row / BLOCK_ROWS);
      packed[(block * inPerGroup + ic) * BLOCK_ROWS + (row - block * BLOCK_ROWS)] = w[from + row] as number;
    }
  }
  return packed;
}

/**
 * `col[r, iw] = Σ_ic a[ic, r] · x[inRow + ic·inPlane + iw]` for the {@link BLOCK_ROWS} rows of one
 * packed block `a` (at `aBase`): four columns at a time in sixteen accumulators, so that each
 * loaded weight serves four products and each loaded input value four.
 */
function multiplyBlock(col: Float64Array, a: Float64Array, aBase: number, x: Float64Array, inRow: number, inPlane: number, depth: number, width: number): void {
  let iw = 0;
  for (; iw + 4 <= width; iw += 4) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (let k = 0, ak = aBase, xk = inRow + iw; k < depth; k++, ak += 4, xk += inPlane) {
      const x0 = x[xk] as number, x1 = x[xk + 1] as number, x2 = x[xk + 2] as number, x3 = x[xk + 3] as number;
      const a0 = a[ak] as number, a1 = a[ak + 1] as number, a2 = a[ak + 2] as number, a3 = a[ak + 3] as number;
      c00 += a0 * x0; c01 += a0 * x1; c02 += a0 * x2; c03 += a0 * x3;
      c10 += a1 * x0; c11 += a1 * x1; c12 += a1 * x2; c13 += a1 * x3;
      c20 += a2 * x0; c21 += a2 * x1; c22 += a2 * x2; c23 += a2 * x3;
      c30 += a3 * x0; c31 += a3 * x1; c32 += a3 * x2; c33 += a3 * x3;
    }
    col[iw] = c00; col[iw + 1] = c01; col[iw + 2] = c02; col[iw + 3] = c03;
    col[width + iw] = c10; col[width + iw + 1] = c11; col[width + iw + 2] = c12; col[width + iw + 3] = c13;
    col[2 * width + iw] = c20; col[2 * width + iw + 1] = c21; col[2 * width + iw + 2] = c22; col[2 * width + iw + 3] = c23;
    col[3 * width + iw] = c30; col[3 * width + iw + 1] = c31; col[3 * width + iw + 2] = c32; col[3 * width + iw + 3] = c33;
  }
  for (; iw < width; iw++) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let k = 0, ak = aBase, xk = inRow + iw; k < depth; k++, ak += 4, xk += inPlane) {
      const xv = x[xk] as number;
      c0 += (a[ak] as number) * xv; c1 += (a[ak + 1] as number) * xv; c2 += (a[ak + 2] as number) * xv; c3 += (a[ak + 3] as number) * xv;
    }
    col[iw] = c0; col[width + iw] = c1; col[2 * width + iw] = c2; col[3 * width + iw] = c3;
  }
}

/**
 * One input row times one kernel row, added into the output row starting at `outRow`: tap kw adds
 * the input columns `[cols.lo[kw], cols.hi[kw])`, scaled by its weight, at every `stride`-th output
 * value from `outRow + cols.offset[kw] + lo·stride`.
 */
function addKernelRow(out: Float64Array, outRow: number, x: Float64Array, inRow: number, w: Float64Array, tapRow: number, cols: TapRanges, stride: number): void {
  const taps = cols.lo.length;
  for (let kw = 0; kw < taps; kw++) {
    const iwLo = (cols.lo[kw] as number) | 0;
    const iwHi = (cols.hi[kw] as number) | 0;
    if (iwLo >= iwHi) continue;
    const o = (outRow + (cols.offset[kw] as number) + iwLo * stride) | 0;
    addScaledRow(out, o, stride | 0, x, inRow + iwLo, inRow + iwHi, w[tapRow + kw] as number);
  }
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
