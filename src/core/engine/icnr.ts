/**
 * ICNR initialisation of a sub-pixel convolution (Aitken et al. 2017, "Checkerboard artifact free
 * sub-pixel convolution", the paper's "convolution NN resize"): start from one sub-kernel `W₀` of
 * shape `[C_out, C_in, kH, kW]` and give each of the `r²` convolution channels that pixel shuffle
 * gathers into output channel `c` the same kernel `W₀[c]`.
 *
 * `F.pixel_shuffle` sends channel `c·r² + i·r + j` to sub-position `(i, j)` of output channel `c`,
 * so the weight is `W₀` with each output channel repeated `r²` times in a row
 * (`W₀.repeat_interleave(r², dim=0)` in PyTorch): channel `c·r² + q` is `W₀[c]` for every `q`.
 * Then all `r²` sub-positions of an output block hold the same value, the low-resolution
 * convolution's, so at initialisation
 *
 *     pixel_shuffle(conv2d(x, icnr(W₀)), r) = nearest_upsample(conv2d(x, W₀), r)
 *
 * (convolution, then nearest-neighbour resize), which equals `conv2d(nearest_upsample(x, r), W₀)`
 * with `W₀` dilated by `r` (dilation `r`, padding `r·p`): a constant input gives a constant output
 * away from the borders, whatever `W₀` is.
 */
import { LayerError } from './errors';
import { readWholeFactor } from './factor';
import { checkTensor, formatShape } from './layout';
import type { IntPair } from './pairs';
import { seededConvWeight } from './seededWeight';
import { tensor, type Tensor } from './tensor';

/** ICNR from a given sub-kernel, or from a seeded pseudo-random one (see {@link seededConvWeight}). */
export type IcnrOptions =
  | {
      readonly factor: number;
      /** `W₀`: `[C_out, C_in, kH, kW]`, or `[kH, kW]` for one channel in and out. */
      readonly init: Tensor;
    }
  | {
      readonly factor: number;
      readonly inChannels: number;
      readonly outChannels: number;
      readonly kernelSize: IntPair;
      /** `W₀` is drawn uniformly from `±1/√(C_in·kH·kW)` (PyTorch's default `Conv2d` bound), deterministically. */
      readonly seed: number;
    };

/** The sub-pixel convolution weight `[C_out·r², C_in, kH, kW]` (see the module comment). */
export function icnrWeight(options: IcnrOptions): Tensor {
  const factor = readWholeFactor('icnrWeight', options.factor);
  const subKernel = 'init' in options && options.init !== undefined ? liftSubKernel(options.init) : seededConvWeight(options as Extract<IcnrOptions, { seed: number }>);
  const [outChannels, inChannels, kh, kw] = subKernel.shape as [number, number, number, number];
  const block = inChannels * kh * kw;
  const copies = factor * factor;
  const data = new Float64Array(outChannels * copies * block);
  for (let c = 0; c < outChannels; c++) {
    const kernel = subKernel.data.subarray(c * block, (c + 1) * block);
    for (let q = 0; q < copies; q++) data.set(kernel, (c * copies + q) * block);
  }
  return tensor([outChannels * copies, inChannels, kh, kw], data);
}

function liftSubKernel(init: Tensor): Tensor {
  checkTensor('init', init);
  if (init.shape.length === 2) return tensor([1, 1, ...init.shape], init.data);
  if (init.shape.length !== 4 || init.data.length === 0) {
    throw new LayerError('invalid-shape', `the ICNR sub-kernel (init) must be [C_out, C_in, kH, kW] or a [kH, kW] kernel, but has shape ${formatShape(init.shape)}`);
  }
  return init;
}
