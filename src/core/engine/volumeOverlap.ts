/**
 * The overlap analysis of ./overlap.ts for sequences and volumes: a 1-D transposed convolution's
 * counts along its one axis (the periodic "ticks" it paints in audio), and a 3-D one's over the
 * lattice of stride phases `(o_d mod s_d, o_h mod s_h, o_w mod s_w)`. The layer is separable as in
 * 2-D: a cell's count is the product of its axes' counts, and a phase's count the product of its
 * axes' tile entries. The per-phase table lists, for each phase, the kernel taps that land there,
 * how many, and their sum (the all-ones response); the measures (count ratio, relative amplitude,
 * periodic energy) are those of the 2-D analysis, over the whole lattice tile.
 */
import { convTranspose1d, convTranspose3d } from './convTranspose';
import { LayerError } from './errors';
import { checkAllocation, checkTensor, formatShape } from './layout';
import { outputShape } from './outputShape';
import { axisOverlap, overlapVerdict, tapsAtPhase, type AxisOverlap, type OverlapVerdict } from './overlap';
import { readIntSingle, readIntTriple, type IntSingle, type IntTriple } from './pairs';
import { countRatio as tileCountRatio, relativeAmplitude, tileEnergyFraction } from './periodicity';
import { tensor, type Tensor } from './tensor';

export interface VolumeOverlapOptions {
  /** The input's spatial size: `[L]` for a sequence, `[D, H, W]` for a volume. */
  readonly inputSize: readonly number[];
  /** The kernel `[k]` or `[kD, kH, kW]`, or only its size (then every tap counts as 1). */
  readonly kernel: Tensor | IntSingle | IntTriple;
  readonly stride?: IntSingle | IntTriple;
  readonly padding?: IntSingle | IntTriple;
  readonly outputPadding?: IntSingle | IntTriple;
  readonly dilation?: IntSingle | IntTriple;
}

/** One phase of the stride lattice: which taps land there in the steady state, and what they add up to. */
export interface PhaseSum {
  /** `o mod stride` per axis (`[r]` or `[r_d, r_h, r_w]`). */
  readonly phase: readonly number[];
  /** The kernel taps landing there, as indices per axis. */
  readonly taps: readonly (readonly number[])[];
  /** Products landing on each cell of this phase (`taps.length`). */
  readonly count: number;
  /** The sum of those taps' weights: the all-ones input's output there. */
  readonly response: number;
}

export interface VolumeOverlapAnalysis {
  /** `[L]`, or `[D, H, W]`. */
  readonly axes: readonly AxisOverlap[];
  /** Products landing in each output cell, in the output's spatial shape. */
  readonly counts: Tensor;
  /** The steady-state counts over the stride lattice (`[s]` or `[s_d, s_h, s_w]`). */
  readonly countTile: Tensor;
  /** The steady-state all-ones response over the stride lattice. */
  readonly responseTile: Tensor;
  /** The whole output for an all-ones input with this kernel. */
  readonly kernelResponse: Tensor;
  /** Every phase of the lattice, in row-major order of `phase`. */
  readonly phases: readonly PhaseSum[];
  readonly countRatio: number;
  readonly responseAmplitude: number;
  readonly periodicEnergyFraction: number;
  readonly verdict: OverlapVerdict;
}

/** The most lattice phases the per-phase table lists (a stride of 64 on three axes would be 262,144). */
const MAX_PHASES = 4096;

export function analyzeVolumeOverlap(options: VolumeOverlapOptions): VolumeOverlapAnalysis {
  const inputSize = options.inputSize;
  if (!Array.isArray(inputSize) || (inputSize.length !== 1 && inputSize.length !== 3)) {
    throw new LayerError('invalid-shape', `inputSize must be [L] (a sequence) or [D, H, W] (a volume), not ${Array.isArray(inputSize) ? formatShape(inputSize) : String(inputSize)}`);
  }
  const rank = inputSize.length as 1 | 3;
  const read = (name: string, value: unknown, fallback: number, rule: 'positive' | 'non-negative'): number[] =>
    rank === 1 ? [readIntSingle(name, value, fallback, rule)] : [...readIntTriple(name, value, fallback, rule)];
  const kernel = kernelOf(options.kernel, rank, read);
  const stride = read('stride', options.stride, 1, 'positive');
  const padding = read('padding', options.padding, 0, 'non-negative');
  const dilation = read('dilation', options.dilation, 1, 'positive');
  const outputPadding = read('output_padding', options.outputPadding, 0, 'non-negative');
  const layer = { stride, padding, dilation, outputPadding } as never;
  // Validates every parameter exactly as the layer does, and sizes the output (one channel).
  const op = rank === 1 ? 'convTranspose1d' : 'convTranspose3d';
  const { shape } = outputShape(op, [1, ...inputSize], { ...(layer as object), kernelSize: kernel.size } as never);
  const outSize = shape.slice(1);
  checkAllocation('the stride lattice', stride);
  const labels: AxisOverlap['axis'][] = rank === 1 ? ['L'] : ['D', 'H', 'W'];
  const axes = labels.map((label, a) => axisOverlap(label, inputSize[a] as number, outSize[a] as number, kernel.size[a] as number, stride[a] as number, dilation[a] as number, padding[a] as number));

  const counts = outerProduct(axes.map((axis) => axis.counts));
  const countTile = outerProduct(axes.map((axis) => axis.tile));
  const phases = phaseSums(axes, kernel);
  const responseTile = Float64Array.from(phases, (phase) => phase.response);
  const countRatio = tileCountRatio(countTile);
  const responseAmplitude = relativeAmplitude(responseTile);
  const ones = tensor([1, 1, ...inputSize], new Float64Array(inputSize.reduce((a, b) => a * b, 1)).fill(1));
  const weight = tensor([1, 1, ...kernel.size], kernel.taps);
  const response = rank === 1 ? convTranspose1d(tensor([1, inputSize[0] as number], ones.data), weight, layer) : convTranspose3d(ones, weight, layer);
  return {
    axes,
    counts: tensor(outSize, counts),
    countTile: tensor(stride, countTile),
    responseTile: tensor(stride, responseTile),
    kernelResponse: tensor(outSize, response.data),
    phases,
    countRatio,
    responseAmplitude,
    periodicEnergyFraction: tileEnergyFraction(responseTile),
    verdict: overlapVerdict(axes, countRatio, responseAmplitude, kernel.uniform),
  };
}

interface Kernel {
  readonly size: readonly number[];
  readonly taps: Float64Array;
  readonly uniform: boolean;
}

function kernelOf(kernel: VolumeOverlapOptions['kernel'], rank: 1 | 3, read: (name: string, value: unknown, fallback: number, rule: 'positive') => number[]): Kernel {
  if (typeof kernel === 'number' || Array.isArray(kernel)) {
    const size = read('kernel_size', kernel, 1, 'positive');
    checkAllocation('the kernel of ones', size);
    return { size, taps: new Float64Array(size.reduce((a, b) => a * b, 1)).fill(1), uniform: true };
  }
  const weight = kernel as Tensor;
  checkTensor('kernel', weight);
  if (weight.shape.length !== rank) {
    throw new LayerError('invalid-shape', `the overlap analysis of a ${rank}-D layer takes a kernel ${rank === 1 ? '[k]' : '[kD, kH, kW]'}; this one has shape ${formatShape(weight.shape)}`);
  }
  const first = weight.data[0];
  return { size: weight.shape, taps: weight.data, uniform: weight.data.every((v) => v === first) };
}

/** `a[i]·b[j]·c[k]` for every `(i, j, k)`, row-major (one factor for a sequence). */
function outerProduct(factors: readonly (readonly number[])[]): Float64Array {
  let product = Float64Array.of(1);
  for (const factor of factors) {
    const next = new Float64Array(product.length * factor.length);
    for (let i = 0; i < product.length; i++) for (let j = 0; j < factor.length; j++) next[i * factor.length + j] = (product[i] as number) * (factor[j] as number);
    product = next;
  }
  return product;
}

/** Every phase of the lattice with its taps (the product of each axis's taps at that phase) and their sum. */
function phaseSums(axes: readonly AxisOverlap[], kernel: Kernel): PhaseSum[] {
  const total = axes.reduce((product, axis) => product * axis.stride, 1);
  if (total > MAX_PHASES) throw new LayerError('too-large', `the stride lattice has ${total.toLocaleString('en-US')} phases; the per-phase table lists at most ${MAX_PHASES.toLocaleString('en-US')}`);
  const phases: PhaseSum[] = [];
  for (let index = 0; index < total; index++) {
    const phase: number[] = [];
    let rest = index;
    for (let a = axes.length - 1; a >= 0; a--) {
      const stride = (axes[a] as AxisOverlap).stride;
      phase.unshift(rest % stride);
      rest = Math.floor(rest / stride);
    }
    let taps: number[][] = [[]];
    axes.forEach((axis, a) => {
      const along = tapsAtPhase(phase[a] as number, axis.kernelSize, axis.stride, axis.dilation, axis.padding);
      taps = taps.flatMap((prefix) => along.map((t) => [...prefix, t]));
    });
    let response = 0;
    for (const tap of taps) {
      let at = 0;
      tap.forEach((t, a) => (at = at * (kernel.size[a] as number) + t));
      response += kernel.taps[at] as number;
    }
    phases.push({ phase, taps, count: taps.length, response });
  }
  return phases;
}
