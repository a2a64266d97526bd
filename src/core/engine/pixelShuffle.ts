/**
 * Pixel shuffle (`F.pixel_shuffle`, the "sub-pixel convolution" upsampler): each group of `r²`
 * channels becomes one channel `r` times taller and wider, the value of channel `c·r² + i·r + j`
 * at `(h, w)` landing at `(h·r + i, w·r + j)`. No arithmetic, only a permutation, so it is exact.
 * Shapes and validation come from {@link computePixelShuffleInfo}.
 */
import { checkTensor } from './layout';
import type { PixelShuffleOptions } from './options';
import { computePixelShuffleInfo } from './resampleInfo';
import type { Tensor } from './tensor';

/** `F.pixel_shuffle` on `[N, C·r², H, W]`, `[C·r², H, W]` (or a matrix `[H, W]`, where only r = 1 fits). */
export function pixelShuffle(input: Tensor, options: PixelShuffleOptions): Tensor {
  checkTensor('input', input);
  const info = computePixelShuffleInfo(input.shape, options);
  const { batch, outChannels, inHeight, inWidth, outWidth, upscaleFactor: r } = info;
  const x = input.data;
  const out = new Float64Array(x.length);
  const inPlane = inHeight * inWidth;
  // Walk the input contiguously; each input row scatters into every r-th value of one output row.
  let from = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < outChannels; c++) {
      const outBase = (n * outChannels + c) * inPlane * r * r;
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          for (let h = 0; h < inHeight; h++) {
            const outRow = outBase + (h * r + i) * outWidth + j;
            for (let w = 0; w < inWidth; w++) out[outRow + w * r] = x[from++] as number;
          }
        }
      }
    }
  }
  return { shape: info.outShape, data: out };
}
