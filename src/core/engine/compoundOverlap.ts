/**
 * The compound overlap of a stack of layers: an all-ones map sent through every layer's spatial
 * path (each convolution with a kernel of ones, each pooling and upsampling as it is), so that
 * what remains is the pattern the layers' geometry alone paints. One transposed convolution with
 * uneven overlap paints a checkerboard of period `stride`; the layers after it upsample and
 * re-blend that pattern, and may amplify or smooth it. The map after each layer is kept, so a
 * picture can show which layer starts the pattern and which ones carry it on.
 *
 * The map has the stack's spatial rank: a sequence `[L]` (WaveGAN's ConvTranspose1d stack, whose
 * pattern is the periodic "ticks" of its audio), an image `[H, W]`, or a volume `[D, H, W]` (a 3-D
 * U-Net's ConvTranspose3d stack, whose pattern is a 3-D lattice). Every size and option holds one
 * value per axis, and each step runs through the engine's layer of that rank.
 *
 * Each map is scaled to mean 1 (the pattern, not the growth of the sums, is what matters; the sums
 * of many layers of ones would otherwise grow without bound), and measured by the lab's
 * stride-periodic energy share (./periodicity.ts's `periodicEnergyFraction`, on any rank) over its interior, with
 * the period the stack has upsampled by so far: 0 for a flat map, larger the more of its energy
 * repeats with that period. The interior's mean over each phase of that period (the per-phase
 * summary) is kept when the period has at most {@link MAX_SUMMARY_PHASES} phases.
 */
import { conv1d, conv2d, conv3d } from './conv';
import { convTranspose1d, convTranspose2d, convTranspose3d } from './convTranspose';
import { LayerError } from './errors';
import { checkAllocation, formatShape } from './layout';
import { relativeAmplitude } from './periodicity';
import { avgPool1d, avgPool2d, avgPool3d, maxPool1d, maxPool2d, maxPool3d } from './pool';
import { readInteger } from './pairs';
import { tensor, type Tensor } from './tensor';
import { upsample, upsample1d, upsample3d } from './upsample';

/** One value per spatial axis: `[l]`, `[h, w]` or `[d, h, w]`. */
export type AxisSizes = readonly number[];

/** One layer's effect on the map, in PyTorch's terms, one value per spatial axis. */
export type SpatialStep =
  | { readonly kind: 'convTranspose'; readonly kernel: AxisSizes; readonly stride: AxisSizes; readonly padding: AxisSizes; readonly outputPadding: AxisSizes; readonly dilation: AxisSizes }
  | { readonly kind: 'conv'; readonly kernel: AxisSizes; readonly stride: AxisSizes; readonly padding: AxisSizes; readonly dilation: AxisSizes }
  | { readonly kind: 'maxPool' | 'avgPool'; readonly kernel: AxisSizes; readonly stride: AxisSizes; readonly padding: AxisSizes }
  /**
   * Upsampling by a whole factor; pixel shuffle of a constant image is nearest upsampling by its
   * factor. `linear`, `bilinear` and `trilinear` are PyTorch's names of the one linear mode on a
   * sequence, an image and a volume: each runs as the map's rank's.
   */
  | { readonly kind: 'upsample'; readonly scale: AxisSizes; readonly mode: 'nearest' | 'linear' | 'bilinear' | 'trilinear' };

export interface CompoundOverlapOptions {
  /** `[L]`, `[H, W]` or `[D, H, W]`: the stack's rank is its length. */
  readonly inputSize: AxisSizes;
  readonly steps: readonly SpatialStep[];
}

export interface CompoundStepResult {
  /** The all-ones response after this step, scaled to mean 1, in the map's spatial shape. */
  readonly map: Tensor;
  /** How much the stack has upsampled so far, per axis (the period an uneven overlap repeats with). */
  readonly period: AxisSizes;
  /** The stride-periodic energy share of the map's interior (0 when it has no interior of whole periods). */
  readonly periodicEnergy: number;
  /** (max − min) / mean over the interior: 0 for an even map. */
  readonly spread: number;
  /** The interior's mean at each phase of the period (shape `period`); absent without an interior or with more than {@link MAX_SUMMARY_PHASES} phases. */
  readonly phaseMeans?: Tensor;
}

export interface CompoundOverlap {
  readonly steps: readonly CompoundStepResult[];
}

/** The most phases a step's per-phase summary lists (three ×4 layers in 3-D would make 262,144). */
export const MAX_SUMMARY_PHASES = 4096;

/** The all-ones response through `steps`, with each step's map and measures. Throws a LayerError where a step cannot run. */
export function compoundOverlap(options: CompoundOverlapOptions): CompoundOverlap {
  const inputSize = options.inputSize;
  if (!Array.isArray(inputSize) || inputSize.length < 1 || inputSize.length > 3) {
    throw new LayerError('invalid-shape', `inputSize must be [L], [H, W] or [D, H, W], not ${Array.isArray(inputSize) ? formatShape(inputSize) : String(inputSize)}`);
  }
  const size = inputSize.map((n) => readInteger('inputSize', n, 1, 'positive'));
  checkAllocation('the input', size);
  if (!Array.isArray(options.steps)) throw new LayerError('invalid-parameter', 'compoundOverlap needs a list of steps');
  let map = tensor(size, new Float64Array(size.reduce((a, b) => a * b, 1)).fill(1));
  let period: number[] = size.map(() => 1);
  const results: CompoundStepResult[] = [];
  for (const step of options.steps) {
    checkRank(step, size.length);
    map = normalised(apply(map, step));
    period = nextPeriod(period, step);
    results.push({ map, period, ...measure(map, period) });
  }
  return { steps: results };
}

/** Every per-axis value of a step has the map's rank: a 2-D step in a 1-D path is refused, naming both. */
function checkRank(step: SpatialStep, rank: number): void {
  const sizes = step.kind === 'upsample' ? [step.scale] : step.kind === 'convTranspose' ? [step.kernel, step.stride, step.padding, step.outputPadding, step.dilation] : step.kind === 'conv' ? [step.kernel, step.stride, step.padding, step.dilation] : [step.kernel, step.stride, step.padding];
  if (sizes.some((s) => !Array.isArray(s) || s.length !== rank)) throw new LayerError('invalid-parameter', `a ${step.kind} step with ${sizes.map((s) => (Array.isArray(s) ? s.length : '?')).join('/')} values per option in a ${rank}-D map: give one value per spatial axis`);
}

/** The map as the engine's layer of its rank takes it, with one channel (a 2-D map stays a matrix, as the 2-D layers accept). */
function lifted(map: Tensor): Tensor {
  return map.shape.length === 2 ? map : tensor([1, 1, ...map.shape], map.data);
}

function ones(kernel: AxisSizes): Tensor {
  const shape = kernel.length === 2 ? [...kernel] : [1, 1, ...kernel];
  return tensor(shape, new Float64Array(kernel.reduce((a, b) => a * b, 1)).fill(1));
}

/** One step on the map, through the layer of the map's rank; the result in the map's spatial shape. */
function apply(map: Tensor, step: SpatialStep): Tensor {
  const rank = map.shape.length as 1 | 2 | 3;
  const input = lifted(map);
  const out = run(input, step, rank);
  return rank === 2 ? out : tensor(out.shape.slice(2), out.data);
}

function run(input: Tensor, step: SpatialStep, rank: 1 | 2 | 3): Tensor {
  // The per-axis arrays have the map's rank (checkRank): each layer reads them as its own sizes.
  switch (step.kind) {
    case 'convTranspose': {
      const options = { stride: step.stride, padding: step.padding, outputPadding: step.outputPadding, dilation: step.dilation } as never;
      return rank === 1 ? convTranspose1d(input, ones(step.kernel), options) : rank === 2 ? convTranspose2d(input, ones(step.kernel), options) : convTranspose3d(input, ones(step.kernel), options);
    }
    case 'conv': {
      const options = { stride: step.stride, padding: step.padding, dilation: step.dilation } as never;
      return rank === 1 ? conv1d(input, ones(step.kernel), options) : rank === 2 ? conv2d(input, ones(step.kernel), options) : conv3d(input, ones(step.kernel), options);
    }
    case 'maxPool': {
      const options = { kernelSize: step.kernel, stride: step.stride, padding: step.padding } as never;
      return rank === 1 ? maxPool1d(input, options) : rank === 2 ? maxPool2d(input, options) : maxPool3d(input, options);
    }
    case 'avgPool': {
      const options = { kernelSize: step.kernel, stride: step.stride, padding: step.padding } as never;
      return rank === 1 ? avgPool1d(input, options) : rank === 2 ? avgPool2d(input, options) : avgPool3d(input, options);
    }
    case 'upsample': {
      const linear = step.mode !== 'nearest';
      if (rank === 1) return upsample1d(input, { scaleFactor: step.scale, mode: linear ? 'linear' : 'nearest' } as never);
      if (rank === 3) return upsample3d(input, { scaleFactor: step.scale, mode: linear ? 'trilinear' : 'nearest' } as never);
      return upsample(input, { scaleFactor: step.scale, mode: linear ? 'bilinear' : 'nearest' } as never);
    }
  }
}

function normalised(map: Tensor): Tensor {
  let sum = 0;
  for (const v of map.data) sum += v;
  const mean = sum / map.data.length;
  if (!(mean > 0) || !Number.isFinite(mean)) throw new LayerError('empty-output', 'the all-ones response vanished (every value is 0): the stack never reaches some output cells');
  const data = new Float64Array(map.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (map.data[i] as number) / mean;
  return tensor(map.shape, data);
}

/** The period after a step: upsampling multiplies it, a stride that divides it divides it. */
function nextPeriod(period: readonly number[], step: SpatialStep): number[] {
  return period.map((p, i) => {
    switch (step.kind) {
      case 'convTranspose':
        return p * (step.stride[i] as number);
      case 'upsample':
        return p * (step.scale[i] as number);
      default:
        return p % (step.stride[i] as number) === 0 ? p / (step.stride[i] as number) : p;
    }
  });
}

/**
 * The measures over the interior (a border of one period, or an eighth of the side if more, left
 * out on each side, then cut to whole periods): the spread, the periodic energy share
 * `Σ_cells (P[phase] − m)² / Σ_cells v²` with `P` the phase means and `m` the mean (see
 * ./periodicity.ts, here on any rank), and the phase means themselves.
 */
function measure(map: Tensor, period: readonly number[]): { periodicEnergy: number; spread: number; phaseMeans?: Tensor } {
  const shape = map.shape;
  const window: { start: number; end: number }[] = [];
  for (let a = 0; a < shape.length; a++) {
    const n = shape[a] as number;
    const p = period[a] as number;
    const margin = Math.max(0, Math.min(Math.max(p, Math.floor(n / 8)), Math.floor((n - p) / 2)));
    const length = Math.floor((n - 2 * margin) / p) * p;
    if (length <= 0) return { periodicEnergy: 0, spread: 0 };
    window.push({ start: margin, end: margin + length });
  }
  const phases = period.reduce((a, b) => a * b, 1);
  checkAllocation('the phase table', [...period]);
  const sums = new Float64Array(phases);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  let cells = 0;
  // Row-major over the window, as the 2-D measures go: the same sums in the same order.
  const index = window.map((w) => w.start);
  for (;;) {
    let at = 0;
    let phase = 0;
    for (let a = 0; a < shape.length; a++) {
      at = at * (shape[a] as number) + (index[a] as number);
      phase = phase * (period[a] as number) + ((index[a] as number) % (period[a] as number));
    }
    const v = map.data[at] as number;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    squares += v * v;
    cells++;
    sums[phase] = (sums[phase] as number) + v;
    let a = shape.length - 1;
    for (; a >= 0; a--) {
      index[a] = (index[a] as number) + 1;
      if ((index[a] as number) < (window[a] as { end: number }).end) break;
      index[a] = (window[a] as { start: number }).start;
    }
    if (a < 0) break;
  }
  const mean = sum / cells;
  const spread = max - min <= 1e-12 * Math.abs(max) ? 0 : (max - min) / mean;
  // Every phase holds cells / phases cells of the window (its sides are whole periods).
  const perPhase = cells / phases;
  for (let i = 0; i < phases; i++) sums[i] = (sums[i] as number) / perPhase;
  let periodic = 0;
  for (const p of sums) periodic += perPhase * (p - mean) * (p - mean);
  const periodicEnergy = relativeAmplitude(sums) === 0 || squares === 0 ? 0 : Math.min(1, periodic / squares);
  return { periodicEnergy, spread, ...(phases <= MAX_SUMMARY_PHASES ? { phaseMeans: tensor([...period], sums) } : {}) };
}
