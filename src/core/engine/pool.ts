/**
 * Max and average pooling (`F.max_pool1d/2d/3d`, `F.avg_pool1d/2d/3d`), with PyTorch's window rules: windows
 * are clipped to the input; max pooling lets NaN win (as PyTorch's kernel does); average pooling
 * divides by the window's size including the zero padding, or only its input part when
 * `countIncludePad` is false, and never counts the part of a ceil-mode window that hangs past the
 * padding (or by `divisorOverride`). One kernel per kind serves every rank: a 2-D input is a volume
 * of depth 1, a 1-D one of height 1 too. Shapes and validation come from {@link computePoolInfo}.
 */
import { checkTensor } from './layout';
import type { AvgPool1dOptions, AvgPool2dOptions, AvgPool3dOptions, MaxPool1dOptions, MaxPool2dOptions, MaxPool3dOptions } from './options';
import { computePoolInfo, type PoolInfo, type PoolOp } from './poolInfo';
import type { Tensor } from './tensor';

/** `F.max_pool2d` on `[N, C, H, W]`, `[C, H, W]` or a matrix `[H, W]`. */
export function maxPool2d(input: Tensor, options: MaxPool2dOptions): Tensor {
  return poolLayer('maxPool2d', input, options);
}

/** `F.avg_pool2d` on `[N, C, H, W]`, `[C, H, W]` or a matrix `[H, W]`. */
export function avgPool2d(input: Tensor, options: AvgPool2dOptions): Tensor {
  return poolLayer('avgPool2d', input, options);
}

/** `F.max_pool1d` on `[N, C, L]` or `[C, L]`. */
export function maxPool1d(input: Tensor, options: MaxPool1dOptions): Tensor {
  return poolLayer('maxPool1d', input, options);
}

/** `F.avg_pool1d` on `[N, C, L]` or `[C, L]`. */
export function avgPool1d(input: Tensor, options: AvgPool1dOptions): Tensor {
  return poolLayer('avgPool1d', input, options);
}

/** `F.max_pool3d` on `[N, C, D, H, W]` or `[C, D, H, W]`. */
export function maxPool3d(input: Tensor, options: MaxPool3dOptions): Tensor {
  return poolLayer('maxPool3d', input, options);
}

/** `F.avg_pool3d` on `[N, C, D, H, W]` or `[C, D, H, W]`. */
export function avgPool3d(input: Tensor, options: AvgPool3dOptions): Tensor {
  return poolLayer('avgPool3d', input, options);
}

/** Any pooling layer by its op name (what the traces call). */
export function poolLayer(op: PoolOp, input: Tensor, options: Parameters<typeof computePoolInfo>[2]): Tensor {
  checkTensor('input', input);
  const info = computePoolInfo(op, input.shape, options);
  return { shape: info.outShape, data: info.kind === 'max' ? maxPoolKernel(info, input.data) : avgPoolKernel(info, input.data) };
}

/** Per output position along one axis, the first and one-past-last input index its window reads (dilated, clipped). */
export function maxWindows(outSize: number, inSize: number, kernel: number, stride: number, padding: number, dilation: number): { start: Float64Array; end: Float64Array } {
  const start = new Float64Array(outSize);
  const end = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let first = o * stride - padding;
    const last = Math.min(first + (kernel - 1) * dilation + 1, inSize);
    // The first tap inside the input (PyTorch steps past the padding by whole dilations).
    if (first < 0) first += Math.ceil(-first / dilation) * dilation;
    start[o] = first;
    end[o] = last;
  }
  return { start, end };
}

/** Max over each clipped, dilated window; a window with no input tap gives −∞, as in PyTorch. */
function maxPoolKernel(info: PoolInfo, x: Float64Array): Float64Array {
  const { planes, inDepth, inHeight, inWidth, outDepth, outHeight, outWidth, dilationDepth, dilationHeight, dilationWidth } = info;
  const out = new Float64Array(planes * outDepth * outHeight * outWidth);
  const slices = maxWindows(outDepth, inDepth, info.kernelDepth, info.strideDepth, info.padDepth, dilationDepth);
  const rows = maxWindows(outHeight, inHeight, info.kernelHeight, info.strideHeight, info.padHeight, dilationHeight);
  const cols = maxWindows(outWidth, inWidth, info.kernelWidth, info.strideWidth, info.padWidth, dilationWidth);
  const inPlane = inHeight * inWidth;
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * inDepth * inPlane;
    for (let od = 0; od < outDepth; od++) {
      const dStart = slices.start[od] as number;
      const dEnd = slices.end[od] as number;
      for (let oh = 0; oh < outHeight; oh++) {
        const hStart = rows.start[oh] as number;
        const hEnd = rows.end[oh] as number;
        for (let ow = 0; ow < outWidth; ow++) {
          const wStart = cols.start[ow] as number;
          const wEnd = cols.end[ow] as number;
          let max = -Infinity;
          for (let id = dStart; id < dEnd; id += dilationDepth) {
            for (let ih = hStart; ih < hEnd; ih += dilationHeight) {
              const row = inBase + id * inPlane + ih * inWidth;
              for (let iw = wStart; iw < wEnd; iw += dilationWidth) {
                const value = x[row + iw] as number;
                // `value !== value`: NaN wins and stays, as in PyTorch (`val > maxval || isnan(val)`).
                if (value > max || value !== value) max = value;
              }
            }
          }
          out[at++] = max;
        }
      }
    }
  }
  return out;
}

/**
 * Per output position along one axis: the clipped window `[start, end)` and the window's extent
 * counting padding but not what hangs past it (PyTorch's `pool_size` factor).
 */
export function avgWindows(outSize: number, inSize: number, kernel: number, stride: number, padding: number): { start: Float64Array; end: Float64Array; padded: Float64Array } {
  const start = new Float64Array(outSize);
  const end = new Float64Array(outSize);
  const padded = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const first = o * stride - padding;
    const last = Math.min(first + kernel, inSize + padding);
    padded[o] = last - first;
    start[o] = Math.max(first, 0);
    end[o] = Math.min(last, inSize);
  }
  return { start, end, padded };
}

/** Mean over each clipped window, with PyTorch's divisor (or the caller's `divisorOverride`). */
function avgPoolKernel(info: PoolInfo, x: Float64Array): Float64Array {
  const { planes, inDepth, inHeight, inWidth, outDepth, outHeight, outWidth, countIncludePad, divisorOverride } = info;
  const out = new Float64Array(planes * outDepth * outHeight * outWidth);
  const slices = avgWindows(outDepth, inDepth, info.kernelDepth, info.strideDepth, info.padDepth);
  const rows = avgWindows(outHeight, inHeight, info.kernelHeight, info.strideHeight, info.padHeight);
  const cols = avgWindows(outWidth, inWidth, info.kernelWidth, info.strideWidth, info.padWidth);
  const inPlane = inHeight * inWidth;
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * inDepth * inPlane;
    for (let od = 0; od < outDepth; od++) {
      const dStart = slices.start[od] as number;
      const dEnd = slices.end[od] as number;
      for (let oh = 0; oh < outHeight; oh++) {
        const hStart = rows.start[oh] as number;
        const hEnd = rows.end[oh] as number;
        for (let ow = 0; ow < outWidth; ow++) {
          const wStart = cols.start[ow] as number;
          const wEnd = cols.end[ow] as number;
          if (dStart >= dEnd || hStart >= hEnd || wStart >= wEnd) {
            out[at++] = 0; // A window wholly in the padding: PyTorch writes 0.
            continue;
          }
          let sum = 0;
          for (let id = dStart; id < dEnd; id++) {
            for (let ih = hStart; ih < hEnd; ih++) {
              const row = inBase + id * inPlane + ih * inWidth;
              for (let iw = wStart; iw < wEnd; iw++) sum += x[row + iw] as number;
            }
          }
          const divisor =
            divisorOverride ??
            (countIncludePad
              ? (slices.padded[od] as number) * (rows.padded[oh] as number) * (cols.padded[ow] as number)
              : (dEnd - dStart) * (hEnd - hStart) * (wEnd - wStart));
          out[at++] = sum / divisor;
        }
      }
    }
  }
  return out;
}
