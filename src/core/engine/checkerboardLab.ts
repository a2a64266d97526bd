/**
 * The checkerboard lab: the three upsampling methods of ./upsamplingComparison on the same input,
 * optionally stacked (2–3 stages of the same method, because artifacts compound), each with the
 * power spectrum of its output over the measured interior (./spectrum) and the share of energy at
 * the stride-periodic frequencies, for the given input and for a constant one.
 *
 * A stack of `s` stages of factor `r` is shift-equivariant with period `P = rˢ` (stage 1's pattern
 * of period `r`, upsampled by the next stage, repeats every `r²` cells), so a stack is measured
 * with period `P`, whose frequencies `k·N/P` include the single stage's `k·N/r`. Its interior is
 * stage 1's, carried through: a stage keeps the margins it has for a single layer (`L` cells at the
 * start and `R` at the end of its `r·n` outputs), so an interior `[a, b)` of its input becomes
 * `[r·a + L, r·b − R)` of its output.
 */
import { composedCounts, type MatrixMethod } from './composedCounts';
import { convTranspose2d } from './convTranspose';
import { LayerError } from './errors';
import type { UpsampleMode } from './options';
import { readWholeFactor } from './factor';
import { checkTensor } from './layout';
import { readIntPair, type Pair } from './pairs';
import type { Span, Window } from './periodicity';
import { wholePeriods } from './periodicity';
import { resizeConvolution } from './resizeConvolution';
import { mulberry32 } from './seededWeight';
import { periodicFrequencyShare, powerSpectrum2d } from './spectrum';
import { subPixelConvolution } from './subPixelConvolution';
import { LAB_METHODS, type LabMethodName } from './labMethods';
import { tensor, type Tensor } from './tensor';
import { checkUpsamplingWork, compareUpsampling, measureUpsampling, type MethodResultBase, type UpsamplingComparison, type UpsamplingComparisonOptions } from './upsamplingComparison';

/** The lab's generated inputs. */
export const LAB_INPUT_KINDS = ['constant', 'gradient', 'pattern'] as const;
export type LabInputKind = (typeof LAB_INPUT_KINDS)[number];

export { LAB_METHODS, type LabMethodName };

/** The most stages the lab stacks. */
export const MAX_LAB_STAGES = 3;

export interface LabOptions extends UpsamplingComparisonOptions {
  /** Stages of the same method, one after the other: 1 (default) to {@link MAX_LAB_STAGES}. */
  readonly stages?: number;
}

/** One method's stack: its maps and measures at the last stage, and the spectrum. */
export interface LabMethodResult extends MethodResultBase {
  readonly method: LabMethodName;
  /** `[h, w]`: the output's power spectrum over the measured window (DC at `[0, 0]`); absent without one. */
  readonly spectrum: Tensor | undefined;
  /** From the spectrum: the output's share of energy at the period's nonzero frequencies. */
  readonly outputShare: number | undefined;
  /** The same share for a constant input (the all-ones response): the number the lab compares. */
  readonly constantShare: number | undefined;
}

export interface LabComparison {
  readonly factor: number;
  readonly stages: number;
  /** `factor^stages`: the period the stack is measured with. */
  readonly period: number;
  readonly inputSize: Pair;
  readonly outputSize: Pair;
  readonly mode: UpsampleMode;
  /** Stage 1 of every method, as ./upsamplingComparison computes it (its weights and paddings). */
  readonly firstStage: UpsamplingComparison;
  readonly transposed: LabMethodResult;
  readonly resize: LabMethodResult;
  readonly subPixel: LabMethodResult;
}

/**
 * A generated input of `[h, w]`: `constant` (all ones: any pattern in the output is an artifact),
 * `gradient` (a smooth ramp from 0 at the top left to 1 at the bottom right), or `pattern` (a
 * natural-image-like test card: smooth Gaussian blobs, a soft vignette and two straight edges,
 * pseudo-random from `seed`, values in about [0, 1]).
 */
export function labInput(kind: LabInputKind, [h, w]: Pair, seed = 1): Tensor {
  if (!Number.isSafeInteger(h) || !Number.isSafeInteger(w) || h < 1 || w < 1) {
    throw new LayerError('invalid-shape', `a lab input needs a whole height and width of at least 1, but got ${h}×${w}`);
  }
  const data = new Float64Array(h * w);
  switch (kind) {
    case 'constant':
      data.fill(1);
      break;
    case 'gradient':
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) data[r * w + c] = (r / Math.max(1, h - 1) + c / Math.max(1, w - 1)) / 2;
      break;
    case 'pattern':
      fillPattern(data, h, w, seed);
      break;
    default: {
      const never: never = kind;
      throw new LayerError('invalid-parameter', `unknown lab input ${String(never)}: use ${LAB_INPUT_KINDS.join(', ')}`);
    }
  }
  return tensor([h, w], data);
}

function fillPattern(data: Float64Array, h: number, w: number, seed: number): void {
  const random = mulberry32(seed);
  const size = Math.max(h, w);
  const blobs = Array.from({ length: 7 }, () => ({
    y: random() * h,
    x: random() * w,
    sigma: (0.08 + 0.25 * random()) * size,
    amplitude: 0.25 + 0.5 * random() * (random() < 0.3 ? -1 : 1),
  }));
  // Two edges: half-planes through a random point at a random angle, one brighter, one darker.
  const edges = Array.from({ length: 2 }, (_, i) => {
    const angle = random() * Math.PI;
    return { y: random() * h, x: random() * w, ny: Math.sin(angle), nx: Math.cos(angle), step: i === 0 ? 0.3 : -0.2 };
  });
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let v = 0.35;
      for (const b of blobs) v += b.amplitude * Math.exp(-((r - b.y) ** 2 + (c - b.x) ** 2) / (2 * b.sigma * b.sigma));
      for (const e of edges) if ((r - e.y) * e.ny + (c - e.x) * e.nx > 0) v += e.step;
      const dy = (r + 0.5) / h - 0.5;
      const dx = (c + 0.5) / w - 0.5;
      v *= 1 - 0.6 * (dy * dy + dx * dx);
      data[r * w + c] = Math.min(1, Math.max(0, v));
    }
  }
}

/** Runs the three methods, stacked, and their spectra (see the module comment). */
export function runCheckerboardLab(input: Tensor, options: LabOptions): LabComparison {
  const stages = options.stages ?? 1;
  if (!Number.isSafeInteger(stages) || stages < 1 || stages > MAX_LAB_STAGES) {
    throw new LayerError('invalid-parameter', `stages must be a whole number from 1 to ${MAX_LAB_STAGES}, but is ${String(stages)}`);
  }
  checkTensor('input', input);
  if (input.shape.length === 2 && options !== null && typeof options === 'object') {
    const kernel = options.kernel;
    const kernelSize = typeof kernel === 'number' || Array.isArray(kernel) ? readIntPair('kernel_size', kernel, 1, 'positive') : ((kernel as Tensor | undefined)?.shape.slice(-2) as unknown as Pair | undefined);
    const factor = readWholeFactor('runCheckerboardLab', options.factor, 2);
    if (kernelSize) checkUpsamplingWork('the checkerboard lab', input.shape as unknown as Pair, factor, kernelSize, stages);
  }
  const firstStage = compareUpsampling(input, options);
  const { factor } = firstStage;
  const inputSize = input.shape as unknown as Pair;
  const mode = firstStage.resize.mode;
  const period = factor ** stages;
  const stage = stageFunctions(firstStage, firstStage.kernel, firstStage.subPixel.weight);
  // Counts come from the stack with every weight 1 (see ./composedCounts).
  const onesStage = stageFunctions(firstStage, onesLike(firstStage.kernel), onesLike(firstStage.subPixel.weight));
  const result = (method: LabMethodName): LabMethodResult => {
    const first = firstStage[method];
    const base = stages === 1 ? first : stackOf(input, stage[method], onesStage[method], first, inputSize, factor, stages, period);
    return { ...pickBase(base), method, ...spectraOf(base, period) };
  };
  const scale = factor ** stages;
  return {
    factor,
    stages,
    period,
    inputSize,
    outputSize: [inputSize[0] * scale, inputSize[1] * scale],
    mode,
    firstStage,
    transposed: result('transposed'),
    resize: result('resize'),
    subPixel: result('subPixel'),
  };
}

/** Each method as one stage with stage 1's parameters and the given weights, to stack. */
function stageFunctions(c: UpsamplingComparison, kernel: Tensor, subPixelWeight: Tensor): Record<LabMethodName, (x: Tensor) => Tensor> {
  return {
    transposed: (x) => convTranspose2d(x, kernel, { stride: c.factor, padding: c.transposed.padding, outputPadding: c.transposed.outputPadding }),
    resize: (x) => resizeConvolution(x, { mode: c.resize.mode, factor: c.factor, weight: kernel }).output,
    subPixel: (x) => subPixelConvolution(x, { factor: c.factor, weight: subPixelWeight }).output,
  };
}

const onesLike = (t: Tensor): Tensor => tensor(t.shape, new Float64Array(t.data.length).fill(1));

function pickBase(base: MethodResultBase): MethodResultBase {
  const { output, counts, kernelResponse, interior, measures, verdict } = base;
  return { output, counts, kernelResponse, interior, measures, verdict };
}

type Stage = (x: Tensor) => Tensor;

function stackOf(input: Tensor, stage: Stage, onesStage: Stage, first: MethodResultBase, inputSize: Pair, factor: number, stages: number, period: number): MethodResultBase {
  const stack = (one: Stage) => (x: Tensor) => {
    let y = x;
    for (let s = 0; s < stages; s++) y = one(y);
    return y;
  };
  const run = stack(stage);
  const output = run(input);
  const allOnes = tensor(inputSize, new Float64Array(inputSize[0] * inputSize[1]).fill(1));
  // composedCounts hands the method a weight of ones; the stack's own weights are ones already.
  const countsOf: MatrixMethod = stack(onesStage);
  const counts = composedCounts(countsOf, inputSize, [1]);
  const interior = stackInterior(first.interior, inputSize, factor, stages);
  return measureUpsampling(output, counts, run(allOnes), interior, [period, period]);
}

/** Stage 1's margins carried through the stack (see the module comment). */
function stackInterior(first: Window | undefined, [h, w]: Pair, r: number, stages: number): Window | undefined {
  if (!first) return undefined;
  const carry = (span: Span, n: number): Span => {
    const before = span.start;
    const after = r * n - span.end;
    let current = span;
    for (let s = 1; s < stages; s++) current = { start: r * current.start + before, end: r * current.end - after };
    return current;
  };
  const rows = carry(first.rows, h);
  const cols = carry(first.cols, w);
  return rows.end > rows.start && cols.end > cols.start ? { rows, cols } : undefined;
}

function spectraOf(base: MethodResultBase, period: number): Pick<LabMethodResult, 'spectrum' | 'outputShare' | 'constantShare'> {
  const window = base.measures?.window ?? (base.interior && wholePeriods(base.interior, [period, period]));
  if (!window) return { spectrum: undefined, outputShare: undefined, constantShare: undefined };
  const spectrum = powerSpectrum2d(base.output, window);
  return {
    spectrum,
    outputShare: periodicFrequencyShare(spectrum, [period, period]),
    // The all-ones response's spectrum is not drawn, so its share comes from ./periodicity's
    // closed form, which is the same sum by Parseval (the tests check both ways agree) at a
    // fraction of the cost of a second transform.
    constantShare: base.measures?.periodicEnergyFraction,
  };
}
