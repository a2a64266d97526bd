/**
 * Resize-convolution (Odena, Dumoulin & Olah 2016): upsample, then convolve at the new resolution,
 *
 *     F.conv2d(F.interpolate(x, scale_factor=factor, mode=mode), weight, bias, padding=padding)
 *
 * with the engine's PyTorch-exact {@link upsample} and {@link conv2d}. Padding defaults to
 * `'same'`, so the output keeps the upsampled size `⌊H·factor⌋ × ⌊W·factor⌋` whatever the kernel:
 * an odd kernel is padded `(k − 1)/2` on each side; an even one, as PyTorch's `'same'` does it,
 * `⌊(k − 1)/2⌋` at the top/left and one more at the bottom/right, which shifts the output half a
 * pixel towards the top left. A nearest-upsampled constant is constant, and a bilinear one too, so
 * away from the borders a constant input gives a constant output for every kernel: no checkerboard.
 */
import { conv2d } from './conv';
import { readScaleFactor } from './factor';
import type { ConvPaddingMode } from './options';
import type { IntPair } from './pairs';
import type { Tensor } from './tensor';
import { upsample } from './upsample';

/** The interpolation, as `F.interpolate` takes it: `alignCorners` exists for bilinear only. */
export type ResizeMode = { readonly mode?: 'nearest' } | { readonly mode: 'bilinear'; readonly alignCorners?: boolean };

export type ResizeConvolutionOptions = ResizeMode & {
  /** `scale_factor`: a positive number for both axes, or `[h, w]`. */
  readonly factor: number | readonly [number, number];
  /** The convolution's weight: `[C_out, C_in, kH, kW]`, or `[kH, kW]` for a matrix input. */
  readonly weight: Tensor;
  /** `[C_out]`. */
  readonly bias?: Tensor;
  /** Default `'same'` (see the module comment). */
  readonly padding?: IntPair | ConvPaddingMode;
  readonly dilation?: IntPair;
};

export interface ResizeConvolution {
  /** The interpolated input, before the convolution (for drawing the two steps). */
  readonly upsampled: Tensor;
  readonly output: Tensor;
}

/** `F.conv2d(F.interpolate(input, …), weight, …)` on `[N, C, H, W]`, `[C, H, W]` or a matrix `[H, W]`. */
export function resizeConvolution(input: Tensor, options: ResizeConvolutionOptions): ResizeConvolution {
  const scaleFactor = readScaleFactor('resizeConvolution', options.factor);
  // alignCorners goes through whenever given, so that upsample refuses it with nearest, as PyTorch does.
  const { alignCorners } = options as { alignCorners?: boolean };
  const upsampled = upsample(input, { mode: options.mode ?? 'nearest', scaleFactor, ...(alignCorners !== undefined ? { alignCorners } : {}) });
  const output = conv2d(upsampled, options.weight, { bias: options.bias, padding: options.padding ?? 'same', dilation: options.dilation });
  return { upsampled, output };
}
