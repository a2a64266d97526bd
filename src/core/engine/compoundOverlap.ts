/**
 * The compound overlap of a stack of layers: an all-ones image sent through every layer's spatial
 * path (each convolution with a kernel of ones, each pooling and upsampling as it is), so that
 * what remains is the pattern the layers' geometry alone paints. One transposed convolution with
 * uneven overlap paints a checkerboard of period `stride`; the layers after it upsample and
 * re-blend that pattern, and may amplify or smooth it. The map after each layer is kept, so a
 * picture can show which layer starts the pattern and which ones carry it on.
 *
 * Each map is scaled to mean 1 (the pattern, not the growth of the sums, is what matters; the sums
 * of many layers of ones would otherwise grow without bound), and measured by the lab's
 * stride-periodic energy share ({@link periodicEnergyFraction}) over its interior, with the period
 * the stack has upsampled by so far: 0 for a flat map, larger the more of its energy repeats with
 * that period.
 */
import { conv2d } from './conv';
import { convTranspose2d } from './convTranspose';
import { LayerError } from './errors';
import { readIntPair, type Pair } from './pairs';
import { checkAllocation } from './layout';
import { periodicEnergyFraction, wholePeriods } from './periodicity';
import { avgPool2d, maxPool2d } from './pool';
import { tensor, type Tensor } from './tensor';
import { upsample } from './upsample';

/** One layer's effect on the image plane, in PyTorch's terms. */
export type SpatialStep =
  | { readonly kind: 'convTranspose'; readonly kernel: Pair; readonly stride: Pair; readonly padding: Pair; readonly outputPadding: Pair; readonly dilation: Pair }
  | { readonly kind: 'conv'; readonly kernel: Pair; readonly stride: Pair; readonly padding: Pair; readonly dilation: Pair }
  | { readonly kind: 'maxPool' | 'avgPool'; readonly kernel: Pair; readonly stride: Pair; readonly padding: Pair }
  /** Upsampling by a whole factor; pixel shuffle of a constant image is nearest upsampling by its factor. */
  | { readonly kind: 'upsample'; readonly scale: Pair; readonly mode: 'nearest' | 'bilinear' };

export interface CompoundOverlapOptions {
  readonly inputSize: Pair;
  readonly steps: readonly SpatialStep[];
}

export interface CompoundStepResult {
  /** The all-ones response after this step, scaled to mean 1. */
  readonly map: Tensor;
  /** How much the stack has upsampled so far, per axis (the period an uneven overlap repeats with). */
  readonly period: Pair;
  /** The stride-periodic energy share of the map's interior (0 when it has no interior of whole periods). */
  readonly periodicEnergy: number;
  /** (max − min) / mean over the interior: 0 for an even map. */
  readonly spread: number;
}

export interface CompoundOverlap {
  readonly steps: readonly CompoundStepResult[];
}

/** The all-ones response through `steps`, with each step's map and measures. Throws a LayerError where a step cannot run. */
export function compoundOverlap(options: CompoundOverlapOptions): CompoundOverlap {
  const [h, w] = readIntPair('inputSize', options.inputSize, 1, 'positive');
  checkAllocation('the input', [h, w]);
  if (!Array.isArray(options.steps)) throw new LayerError('invalid-parameter', 'compoundOverlap needs a list of steps');
  let map = tensor([h, w], new Float64Array(h * w).fill(1));
  let period: [number, number] = [1, 1];
  const results: CompoundStepResult[] = [];
  for (const step of options.steps) {
    map = normalised(apply(map, step));
    period = nextPeriod(period, step);
    results.push({ map, period, ...measure(map, period) });
  }
  return { steps: results };
}

function ones(kernel: Pair): Tensor {
  return tensor([kernel[0], kernel[1]], new Float64Array(kernel[0] * kernel[1]).fill(1));
}

function apply(map: Tensor, step: SpatialStep): Tensor {
  switch (step.kind) {
    case 'convTranspose':
      return convTranspose2d(map, ones(step.kernel), { stride: step.stride, padding: step.padding, outputPadding: step.outputPadding, dilation: step.dilation });
    case 'conv':
      return conv2d(map, ones(step.kernel), { stride: step.stride, padding: step.padding, dilation: step.dilation });
    case 'maxPool':
      return maxPool2d(map, { kernelSize: step.kernel, stride: step.stride, padding: step.padding });
    case 'avgPool':
      return avgPool2d(map, { kernelSize: step.kernel, stride: step.stride, padding: step.padding });
    case 'upsample':
      return upsample(map, { scaleFactor: step.scale, mode: step.mode });
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
function nextPeriod(period: [number, number], step: SpatialStep): [number, number] {
  const axis = (p: number, i: 0 | 1): number => {
    switch (step.kind) {
      case 'convTranspose':
        return p * step.stride[i];
      case 'upsample':
        return p * step.scale[i];
      default:
        return p % step.stride[i] === 0 ? p / step.stride[i] : p;
    }
  };
  return [axis(period[0], 0), axis(period[1], 1)];
}

/** The measures over the interior: a border of one period (or an eighth of the side, if more) left out on each side. */
function measure(map: Tensor, period: Pair): { periodicEnergy: number; spread: number } {
  const [rows, cols] = map.shape as [number, number];
  const margin = (n: number, p: number) => Math.min(Math.max(p, Math.floor(n / 8)), Math.floor((n - p) / 2));
  const mr = Math.max(0, margin(rows, period[0]));
  const mc = Math.max(0, margin(cols, period[1]));
  const window = wholePeriods({ rows: { start: mr, end: rows - mr }, cols: { start: mc, end: cols - mc } }, period);
  if (!window) return { periodicEnergy: 0, spread: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let r = window.rows.start; r < window.rows.end; r++) {
    for (let c = window.cols.start; c < window.cols.end; c++) {
      const v = map.data[r * cols + c] as number;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
  }
  const mean = sum / ((window.rows.end - window.rows.start) * (window.cols.end - window.cols.start));
  const spread = max - min <= 1e-12 * Math.abs(max) ? 0 : (max - min) / mean;
  return { periodicEnergy: periodicEnergyFraction(map, window, period), spread };
}
