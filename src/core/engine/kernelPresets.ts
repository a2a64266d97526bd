/**
 * Kernels people reach for when they try a layer by hand: a box, the bilinear upsampling kernel,
 * a Gaussian, Sobel, a Laplacian, the identity, and a seeded random one. Each is a `[kH, kW]`
 * matrix, built the way the library that made it known builds it, so a value here is the value
 * there:
 *
 * - **bilinear**: the kernel FCN (`get_upsampling_weight`) and ICNR-style decoders initialise a
 *   transposed convolution with: per axis `1 − |i − c| / f`, `f = ⌈k / 2⌉`, `c = f − 1` for an odd
 *   `k`, `f − ½` for an even one, and the outer product of the two axes. With `k = 2s`, stride `s`
 *   and padding `s / 2` (k 4, stride 2, padding 1) the transposed convolution is bilinear
 *   upsampling (`F.interpolate(mode='bilinear', align_corners=False)`) away from the border.
 * - **gaussian**: torchvision's `gaussian_blur` kernel: `exp(−x² / 2σ²)` on `x = −(k−1)/2 … (k−1)/2`,
 *   each axis normalised to sum 1, and their outer product (so the whole kernel sums to 1).
 * - **identity**: `nn.init.dirac_`: a single 1 at `(⌊kH/2⌋, ⌊kW/2⌋)`, 0 elsewhere.
 * - **random**: PyTorch's default `Conv2d` weight distribution for one channel, uniform on
 *   `±1/√(kH·kW)`, from a seeded generator (see {@link seededConvWeight}): the same seed gives the
 *   same kernel on every machine.
 * - **box**: every tap 1. With a kernel as large as the stride, a transposed convolution with it is
 *   nearest-neighbour upsampling.
 * - **sobelX** / **sobelY**: the 3×3 Sobel derivative kernels (x: columns, y: rows, positive
 *   towards larger indices, as OpenCV and scikit-image write them); **laplacian**: the 3×3
 *   4-neighbour Laplacian `[[0, 1, 0], [1, −4, 1], [0, 1, 0]]`.
 */
import { LayerError } from './errors';
import { readIntPair, type IntPair } from './pairs';
import { seededConvWeight } from './seededWeight';
import { tensor, type Tensor } from './tensor';

export type KernelPreset =
  | { readonly kind: 'box'; readonly size: IntPair }
  | { readonly kind: 'bilinear'; readonly size: IntPair }
  | { readonly kind: 'gaussian'; readonly size: IntPair; readonly sigma: number }
  | { readonly kind: 'identity'; readonly size: IntPair }
  | { readonly kind: 'random'; readonly size: IntPair; readonly seed: number }
  | { readonly kind: 'sobelX' }
  | { readonly kind: 'sobelY' }
  | { readonly kind: 'laplacian' };

export type KernelPresetKind = KernelPreset['kind'];

/** What a preset needs besides its kind, so a front end knows what to ask for. */
export type PresetParameter = 'size' | 'sigma' | 'seed';

export interface KernelPresetInfo {
  readonly kind: KernelPresetKind;
  readonly label: string;
  readonly description: string;
  readonly parameters: readonly PresetParameter[];
}

/** The presets in the order a picker lists them. */
export const KERNEL_PRESETS: readonly KernelPresetInfo[] = [
  { kind: 'box', label: 'Box', description: 'every tap 1; kernel = stride gives nearest-neighbour upsampling', parameters: ['size'] },
  { kind: 'bilinear', label: 'Bilinear', description: 'the bilinear upsampling kernel (FCN / ICNR initialisation); kernel 2s with stride s', parameters: ['size'] },
  { kind: 'gaussian', label: 'Gaussian', description: 'torchvision’s Gaussian blur kernel, summing to 1', parameters: ['size', 'sigma'] },
  { kind: 'sobelX', label: 'Sobel x', description: '3×3 horizontal derivative', parameters: [] },
  { kind: 'sobelY', label: 'Sobel y', description: '3×3 vertical derivative', parameters: [] },
  { kind: 'laplacian', label: 'Laplacian', description: '3×3, 4-neighbour', parameters: [] },
  { kind: 'identity', label: 'Identity', description: 'a single 1 at the centre (nn.init.dirac_)', parameters: ['size'] },
  { kind: 'random', label: 'Random (seeded)', description: 'uniform on ±1/√(kH·kW), PyTorch’s default init; same seed, same kernel', parameters: ['size', 'seed'] },
];

/** The largest preset kernel side: larger kernels are typed or read from code. */
export const MAX_PRESET_SIZE = 64;

const kinds = new Set<string>(KERNEL_PRESETS.map((p) => p.kind));

export function isKernelPresetKind(value: unknown): value is KernelPresetKind {
  return typeof value === 'string' && kinds.has(value);
}

/** The preset's `[kH, kW]` kernel; an unusable size, sigma or seed is a {@link LayerError} naming it. */
export function kernelPreset(preset: KernelPreset): Tensor {
  switch (preset.kind) {
    case 'box': {
      const [h, w] = presetSize(preset.size);
      return tensor([h, w], new Float64Array(h * w).fill(1));
    }
    case 'bilinear': {
      const [h, w] = presetSize(preset.size);
      return outer(bilinearAxis(h), bilinearAxis(w));
    }
    case 'gaussian': {
      const [h, w] = presetSize(preset.size);
      const sigma = preset.sigma;
      if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma <= 0) {
        throw new LayerError('invalid-parameter', `sigma must be a positive, finite number, not ${String(sigma)}`);
      }
      return outer(gaussianAxis(h, sigma), gaussianAxis(w, sigma));
    }
    case 'identity': {
      const [h, w] = presetSize(preset.size);
      const data = new Float64Array(h * w);
      data[Math.floor(h / 2) * w + Math.floor(w / 2)] = 1;
      return tensor([h, w], data);
    }
    case 'random': {
      const [h, w] = presetSize(preset.size);
      const weight = seededConvWeight({ outChannels: 1, inChannels: 1, kernelSize: [h, w], seed: preset.seed });
      return tensor([h, w], weight.data);
    }
    case 'sobelX':
      return tensor([3, 3], [-1, 0, 1, -2, 0, 2, -1, 0, 1]);
    case 'sobelY':
      return tensor([3, 3], [-1, -2, -1, 0, 0, 0, 1, 2, 1]);
    case 'laplacian':
      return tensor([3, 3], [0, 1, 0, 1, -4, 1, 0, 1, 0]);
    default:
      throw new LayerError('invalid-parameter', `unknown kernel preset ${JSON.stringify((preset as { kind?: unknown }).kind)}`);
  }
}

/** A kernel size of 1 to {@link MAX_PRESET_SIZE} per axis. */
function presetSize(size: IntPair): readonly [number, number] {
  const [h, w] = readIntPair('kernel size', size, 1, 'positive');
  if (h > MAX_PRESET_SIZE || w > MAX_PRESET_SIZE) {
    throw new LayerError('invalid-parameter', `a preset kernel is at most ${MAX_PRESET_SIZE}×${MAX_PRESET_SIZE}, not ${h}×${w}; type a larger one or read it from code`);
  }
  return [h, w];
}

/** `1 − |i − c| / f` (FCN's `upsample_filt`). */
function bilinearAxis(size: number): Float64Array {
  const factor = Math.floor((size + 1) / 2);
  const centre = size % 2 === 1 ? factor - 1 : factor - 0.5;
  return Float64Array.from({ length: size }, (_, i) => 1 - Math.abs(i - centre) / factor);
}

/** torchvision's `_get_gaussian_kernel1d`: the normalised density on `linspace(−(k−1)/2, (k−1)/2, k)`. */
function gaussianAxis(size: number, sigma: number): Float64Array {
  const half = (size - 1) / 2;
  const values = Float64Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - half) / sigma) ** 2));
  const sum = values.reduce((a, b) => a + b, 0);
  return values.map((v) => v / sum);
}

function outer(rows: Float64Array, cols: Float64Array): Tensor {
  const data = new Float64Array(rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols.length; c++) data[r * cols.length + c] = (rows[r] as number) * (cols[c] as number);
  return tensor([rows.length, cols.length], data);
}
