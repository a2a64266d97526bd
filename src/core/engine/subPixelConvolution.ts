/**
 * Sub-pixel convolution (Shi et al. 2016): convolve at the input's resolution into `C_out·r²`
 * channels, then let pixel shuffle interleave each group of `r²` channels into one channel `r`
 * times taller and wider,
 *
 *     F.pixel_shuffle(F.conv2d(x, weight, bias, padding=padding), r)
 *
 * with the engine's {@link conv2d} and {@link pixelShuffle}. Padding defaults to `'same'`, so the
 * output is `r·H × r·W`. Each of the `r²` sub-positions of an output block has its own kernel;
 * when they differ (a random initialisation) a constant input gives a period-`r` pattern, which
 * {@link icnrWeight} avoids by starting them equal.
 */
import { conv2d } from './conv';
import { LayerError } from './errors';
import { readWholeFactor } from './factor';
import { checkTensor, formatShape } from './layout';
import type { ConvPaddingMode } from './options';
import type { IntPair } from './pairs';
import { pixelShuffle } from './pixelShuffle';
import type { Tensor } from './tensor';

export interface SubPixelConvolutionOptions {
  /** `r`: the pixel-shuffle upscale factor, a whole number of 1 or more. */
  readonly factor: number;
  /** `[C_out·r², C_in, kH, kW]`: channel `c·r² + i·r + j` computes sub-position `(i, j)` of output channel `c`. */
  readonly weight: Tensor;
  /** `[C_out·r²]`, one value per convolution channel, as `nn.Conv2d` holds it. */
  readonly bias?: Tensor;
  /** Default `'same'`: the output is then `r·H × r·W`. */
  readonly padding?: IntPair | ConvPaddingMode;
  readonly dilation?: IntPair;
}

export interface SubPixelConvolution {
  /** `[C_out·r², H', W']`: the convolution before the shuffle (for drawing the two steps). */
  readonly convolved: Tensor;
  readonly output: Tensor;
}

/**
 * `F.pixel_shuffle(F.conv2d(input, weight, …), factor)` on `[N, C, H, W]` or `[C, H, W]`. A matrix
 * `[H, W]` is read as one channel `[1, H, W]`; its output is a matrix `[r·H, r·W]` when `C_out` is 1
 * (`convolved` is then `[r², H, W]`), and `[C_out, r·H, r·W]` otherwise.
 */
export function subPixelConvolution(input: Tensor, options: SubPixelConvolutionOptions): SubPixelConvolution {
  const factor = readWholeFactor('subPixelConvolution', options.factor);
  checkTensor('input', input);
  checkTensor('weight', options.weight);
  const { weight } = options;
  if (weight.shape.length !== 4) {
    throw new LayerError('invalid-shape', `the sub-pixel weight must be 4-D [C_out·r², C_in, kH, kW], but has shape ${formatShape(weight.shape)}`);
  }
  const channels = weight.shape[0] as number;
  if (channels % (factor * factor) !== 0) {
    throw new LayerError(
      'channel-mismatch',
      `the weight has ${channels} output channels, but sub-pixel convolution with factor ${factor} needs a multiple of factor² = ${factor * factor} (C_out·${factor * factor}); weight shape ${formatShape(weight.shape)}`,
    );
  }
  // conv2d gives a matrix input a matrix output only with one channel; the r² channels need [1, H, W].
  const matrix = input.shape.length === 2;
  const image = matrix ? { shape: [1, ...input.shape], data: input.data } : input;
  const convolved = conv2d(image, weight, { bias: options.bias, padding: options.padding ?? 'same', dilation: options.dilation });
  const shuffled = pixelShuffle(convolved, { upscaleFactor: factor });
  const output = matrix && shuffled.shape[0] === 1 ? { shape: shuffled.shape.slice(1), data: shuffled.data } : shuffled;
  return { convolved, output };
}
