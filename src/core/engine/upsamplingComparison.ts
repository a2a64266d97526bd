/**
 * The checkerboard lab's comparison: the three ways to upsample by a whole factor `r`, run on the
 * same matrix input with the same `[kH, kW]` kernel at the same output size `r·H × r·W`, each with
 * the same measures (./periodicity) over its interior:
 *
 * - transposed convolution: stride `r`, and per axis padding `p = max(0, ⌈(k − r)/2⌉)` with
 *   `output_padding = 2p + r − k`, which solves `(H − 1)·r − 2p + k + output_padding = r·H`
 *   (`output_padding` is then `(k − r) mod 2` or `r − k`, always below the stride);
 * - resize-convolution: `upsample(x, r, mode)`, then the kernel with padding `'same'` (bilinear
 *   without align_corners, which would make the map drift against the period `r`: no tile repeats);
 * - sub-pixel convolution: `[r², 1, kH, kW]` kernels with padding `'same'`, then pixel shuffle;
 *   ICNR from the kernel unless a weight is given, so that at initialisation it is "convolution,
 *   then nearest-neighbour resize" with the same kernel.
 *
 * Per method: the output; the count map (products per output cell, from the composed linear map,
 * see ./composedCounts; for the transposed convolution, the overlap analysis's); the response of an
 * all-ones input (the pattern a constant input paints); the interior, where no output cell reads
 * padding or a clamped interpolation sample; and over the interior cropped to whole periods, the
 * count and response tiles (means per phase), the count ratio, the response's relative amplitude,
 * the share of the response's energy at the period-`r` frequencies, that share for the output on
 * the given input, and a one-line verdict.
 */
import { composedCounts, type MatrixMethod } from './composedCounts';
import { convTranspose2d } from './convTranspose';
import { LayerError } from './errors';
import { readWholeFactor } from './factor';
import { icnrWeight } from './icnr';
import { checkAllocation, checkTensor, formatShape } from './layout';
import { upsamplingWorkProblem } from './upsamplingWork';
import type { UpsampleMode } from './options';
import { analyzeOverlap } from './overlap';
import { describeValue, readIntPair, type IntPair, type Pair } from './pairs';
import { countRatio, periodicEnergyFraction, phaseMeans, relativeAmplitude, wholePeriods, type Span, type Window } from './periodicity';
import { resizeConvolution } from './resizeConvolution';
import { subPixelConvolution } from './subPixelConvolution';
import { tensor, type Tensor } from './tensor';

export interface UpsamplingComparisonOptions {
  /** `r`: stride, scale factor and pixel-shuffle factor; a whole number of 2 or more. */
  readonly factor: number;
  /** The `[kH, kW]` kernel all three use, or only its size (a kernel of ones). */
  readonly kernel: Tensor | IntPair;
  /** The resize-convolution's interpolation; default nearest. */
  readonly mode?: UpsampleMode;
  /** The sub-pixel convolution's `[r², 1, kH, kW]` weight; default {@link icnrWeight} of the kernel. */
  readonly subPixelWeight?: Tensor;
}

/** The measures over the interior cropped to whole periods. */
export interface PeriodicMeasures {
  /** The interior cropped at its bottom/right to whole periods: the cells measured. */
  readonly window: Window;
  /** `[r, r]`: products per cell at each phase (output position mod r). */
  readonly countTile: Tensor;
  /** `[r, r]`: the all-ones response at each phase (its mean over the window). */
  readonly responseTile: Tensor;
  /** Largest over smallest count (`Infinity` when some phase receives nothing). */
  readonly countRatio: number;
  /** (max − min) / |mean| of the response tile: 0 when a constant input gives a constant interior. */
  readonly responseAmplitude: number;
  /** The all-ones response's share of energy at the period-r frequencies (see ./periodicity): 0 flat, 1 for a zero-mean period-r pattern. */
  readonly periodicEnergyFraction: number;
  /** The same share for the output on the given input. */
  readonly outputPeriodicEnergyFraction: number;
}

export interface UpsamplingVerdict {
  /** `flat`: a constant input gives a constant interior; `checkerboard`: it does not; `gaps`: some cells receive nothing; `no-interior`: nothing to judge. */
  readonly kind: 'flat' | 'checkerboard' | 'gaps' | 'no-interior';
  readonly reason: string;
}

/** What every method's result holds, whatever the method. */
export interface MethodResultBase {
  /** `[r·H, r·W]` on the given input. */
  readonly output: Tensor;
  /** `[r·H, r·W]`: products landing in each output cell. */
  readonly counts: Tensor;
  /** `[r·H, r·W]`: the output for an all-ones input (no bias). */
  readonly kernelResponse: Tensor;
  /** Output cells clear of padding and clamped interpolation samples; `undefined` when an axis has none. */
  readonly interior: Window | undefined;
  /** `undefined` when the interior holds no whole period on some axis. */
  readonly measures: PeriodicMeasures | undefined;
  readonly verdict: UpsamplingVerdict;
}

export interface TransposedResult extends MethodResultBase {
  readonly method: 'transposed';
  /** Chosen so that the output is `r·H × r·W` (see the module comment). */
  readonly padding: Pair;
  readonly outputPadding: Pair;
}

export interface ResizeResult extends MethodResultBase {
  readonly method: 'resize';
  readonly mode: UpsampleMode;
  /** The interpolated input, before the convolution. */
  readonly upsampled: Tensor;
}

export interface SubPixelResult extends MethodResultBase {
  readonly method: 'subPixel';
  /** `icnr`: built from the kernel; `given`: the caller's weight. */
  readonly init: 'icnr' | 'given';
  /** `[r², 1, kH, kW]`. */
  readonly weight: Tensor;
  /** `[r², H, W]`: the convolution before the shuffle. */
  readonly convolved: Tensor;
}

export interface UpsamplingComparison {
  readonly factor: number;
  /** The `[kH, kW]` kernel all three use (ones when only its size was given). */
  readonly kernel: Tensor;
  /** `[r·H, r·W]`, the same for all three. */
  readonly outputSize: Pair;
  readonly transposed: TransposedResult;
  readonly resize: ResizeResult;
  readonly subPixel: SubPixelResult;
}

/** Refuses a comparison whose estimated work exceeds {@link MAX_UPSAMPLING_WORK} (see ./upsamplingWork). */
export function checkUpsamplingWork(op: string, inputSize: Pair, factor: number, kernelSize: Pair, stages: number): void {
  const problem = upsamplingWorkProblem(op, inputSize, factor, kernelSize, stages);
  if (problem) throw new LayerError('too-large', problem);
}

/** Runs and measures the three methods on a matrix input (see the module comment). */
export function compareUpsampling(input: Tensor, options: UpsamplingComparisonOptions): UpsamplingComparison {
  const factor = readWholeFactor('compareUpsampling', options.factor, 2);
  checkTensor('input', input);
  if (input.shape.length !== 2) {
    throw new LayerError('invalid-shape', `compareUpsampling takes a matrix [H, W] (one channel), but the input has shape ${formatShape(input.shape)}`);
  }
  const inputSize = input.shape as unknown as Pair;
  const kernel = kernelOf(options.kernel);
  const kernelSize = kernel.shape as unknown as Pair;
  checkUpsamplingWork('compareUpsampling', inputSize, factor, kernelSize, 1);
  const period: Pair = [factor, factor];
  const allOnes = tensor(inputSize, new Float64Array(inputSize[0] * inputSize[1]).fill(1));

  // Transposed convolution: the overlap analysis gives its counts and interior.
  const padding = kernelSize.map((k) => Math.max(0, Math.ceil((k - factor) / 2))) as unknown as Pair;
  const outputPadding = kernelSize.map((k, axis) => 2 * (padding[axis] as number) + factor - k) as unknown as Pair;
  const convT = { stride: factor, padding, outputPadding };
  const overlap = analyzeOverlap({ inputSize, kernel, ...convT });
  const transposed: TransposedResult = {
    method: 'transposed',
    padding,
    outputPadding,
    ...measureUpsampling(convTranspose2d(input, kernel, convT), overlap.counts, overlap.kernelResponse, overlap.interior, period),
  };

  // Resize-convolution.
  const mode = options.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') {
    throw new LayerError('invalid-parameter', `mode ${describeValue(mode)} is not supported: use 'nearest' or 'bilinear'`);
  }
  const runResize: MatrixMethod = (x, weight) => resizeConvolution(x, { mode, factor, weight }).output;
  const resized = resizeConvolution(input, { mode, factor, weight: kernel });
  const resizeInterior = windowOf(inputSize, (n, axis) => resizeInteriorSpan(n, kernelSize[axis], factor, mode));
  const resize: ResizeResult = {
    method: 'resize',
    mode,
    upsampled: resized.upsampled,
    ...measureUpsampling(resized.output, composedCounts(runResize, inputSize, kernel.shape), runResize(allOnes, kernel), resizeInterior, period),
  };

  // Sub-pixel convolution.
  const subPixelWeight = options.subPixelWeight ?? icnrWeight({ factor, init: kernel });
  checkSubPixelWeight(subPixelWeight, factor, kernelSize);
  const runSubPixel: MatrixMethod = (x, weight) => subPixelConvolution(x, { factor, weight }).output;
  const subPixelRun = subPixelConvolution(input, { factor, weight: subPixelWeight });
  const subPixelInterior = windowOf(inputSize, (n, axis) => subPixelInteriorSpan(n, kernelSize[axis], factor));
  const subPixel: SubPixelResult = {
    method: 'subPixel',
    init: options.subPixelWeight === undefined ? 'icnr' : 'given',
    weight: subPixelWeight,
    convolved: subPixelRun.convolved,
    ...measureUpsampling(subPixelRun.output, composedCounts(runSubPixel, inputSize, subPixelWeight.shape), runSubPixel(allOnes, subPixelWeight), subPixelInterior, period),
  };

  return { factor, kernel, outputSize: [factor * inputSize[0], factor * inputSize[1]], transposed, resize, subPixel };
}

function kernelOf(kernel: Tensor | IntPair): Tensor {
  if (typeof kernel === 'number' || Array.isArray(kernel)) {
    const [kh, kw] = readIntPair('kernel_size', kernel, 1, 'positive');
    checkAllocation('the kernel of ones', [kh, kw]);
    return tensor([kh, kw], new Float64Array(kh * kw).fill(1));
  }
  const weight = kernel as Tensor;
  checkTensor('kernel', weight);
  if (weight.shape.length !== 2 || weight.data.length === 0) {
    throw new LayerError('invalid-shape', `compareUpsampling takes a 2-D kernel [kH, kW], but this one has shape ${formatShape(weight.shape)}`);
  }
  return weight;
}

function checkSubPixelWeight(weight: Tensor, factor: number, [kh, kw]: Pair): void {
  checkTensor('subPixelWeight', weight);
  const expected = [factor * factor, 1, kh, kw];
  if (weight.shape.length !== 4 || expected.some((size, i) => weight.shape[i] !== size)) {
    throw new LayerError(
      'invalid-shape',
      `to compare on equal terms, the sub-pixel weight must be [r², 1, kH, kW] = ${formatShape(expected)} (factor ${factor}, kernel ${kh}×${kw}), but has shape ${formatShape(weight.shape)}`,
    );
  }
}

/** The window of both axes' interior spans, or `undefined` when either is empty. */
function windowOf(inputSize: Pair, span: (n: number, axis: 0 | 1) => Span): Window | undefined {
  const rows = span(inputSize[0], 0);
  const cols = span(inputSize[1], 1);
  return rows.end > rows.start && cols.end > cols.start ? { rows, cols } : undefined;
}

/**
 * Resize-convolution, one axis: output `o` reads upsampled positions `o − pb … o − pb + k − 1`
 * (`pb = ⌊(k − 1)/2⌋`, PyTorch's 'same'), each of which must be a steady interpolation sample:
 * every position for nearest; for bilinear, source `(p + ½)/r − ½` neither clamped at 0 nor with
 * its upper neighbour clamped at `n − 1`, i.e. `r − 1 ≤ 2p` and `2p + 1 < r·(2n − 1)`.
 */
function resizeInteriorSpan(n: number, k: number, r: number, mode: UpsampleMode): Span {
  const size = r * n;
  let first = 0;
  let last = size - 1;
  if (mode === 'bilinear') {
    first = Math.ceil((r - 1) / 2);
    last = Math.ceil((r * (2 * n - 1) - 1) / 2) - 1;
  }
  const before = Math.floor((k - 1) / 2);
  return { start: Math.max(0, first + before), end: Math.min(size, last - (k - 1) + before + 1) };
}

/** Sub-pixel convolution, one axis: output `o` comes from the convolution at `⌊o/r⌋`, which reads inputs `⌊o/r⌋ − pb … ⌊o/r⌋ − pb + k − 1`. */
function subPixelInteriorSpan(n: number, k: number, r: number): Span {
  const before = Math.floor((k - 1) / 2);
  return { start: r * before, end: Math.max(r * before, r * (n - (k - 1) + before)) };
}

/**
 * The measures and verdict of one method's maps over its interior, cropped to whole `period`s. The
 * lab also applies it to stacks of stages, with the stack's period.
 */
export function measureUpsampling(output: Tensor, counts: Tensor, kernelResponse: Tensor, interior: Window | undefined, period: Pair): MethodResultBase {
  const window = interior && wholePeriods(interior, period);
  if (!window) {
    return { output, counts, kernelResponse, interior, measures: undefined, verdict: noInterior(period) };
  }
  const countTile = phaseMeans(counts, window, period);
  const responseTile = phaseMeans(kernelResponse, window, period);
  const measures: PeriodicMeasures = {
    window,
    countTile,
    responseTile,
    countRatio: countRatio(countTile.data),
    responseAmplitude: relativeAmplitude(responseTile.data),
    periodicEnergyFraction: periodicEnergyFraction(kernelResponse, window, period),
    outputPeriodicEnergyFraction: periodicEnergyFraction(output, window, period),
  };
  return { output, counts, kernelResponse, interior, measures, verdict: verdictOf(measures, period) };
}

function noInterior([r]: Pair): UpsamplingVerdict {
  return { kind: 'no-interior', reason: `no interior: the input is too small for a whole ${r}×${r} period of output cells clear of the borders; use a larger input` };
}

/** `4, 2 and 1`: the distinct counts, largest first. */
function listCounts(tile: Float64Array): string {
  const distinct = [...new Set(tile)].sort((a, b) => b - a).map(String);
  return distinct.length === 1 ? (distinct[0] as string) : `${distinct.slice(0, -1).join(', ')} and ${distinct[distinct.length - 1] as string}`;
}

function verdictOf(m: PeriodicMeasures, [r]: Pair): UpsamplingVerdict {
  const counts = listCounts(m.countTile.data);
  const evenCounts = m.countRatio === 1;
  if (m.countRatio === Infinity) {
    return { kind: 'gaps', reason: `gaps: interior counts ${counts} repeat with period ${r}: some cells receive no product, so a constant input leaves holes` };
  }
  if (m.responseAmplitude > 0) {
    const share = `${(100 * m.periodicEnergyFraction).toPrecision(3)}% of its energy at period ${r}`;
    const cause = evenCounts
      ? `every interior cell receives ${counts} products, but the weights sum to different totals at the ${r}×${r} phases`
      : `interior counts ${counts} repeat with period ${r} (ratio ${m.countRatio.toPrecision(3)})`;
    return { kind: 'checkerboard', reason: `checkerboard: ${cause}, so a constant input paints a pattern with ${share}` };
  }
  const cause = evenCounts
    ? `every interior cell receives ${counts} products`
    : `interior counts ${counts} differ, but every phase's weights sum to the same total`;
  return { kind: 'flat', reason: `flat: ${cause}, so a constant input gives a constant interior` };
}
