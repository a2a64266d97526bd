/**
 * The checkerboard lab's messages (Layer Lens: Compare Upsampling Methods, view type
 * `layerLens.lab`), and the settings and results the lab's engine worker exchanges with the host.
 * Declared once with the combinators of schema.ts; the types are derived from the guards.
 */
import { LAB_METHODS, LAB_METHOD_TITLES, type LabMethodName } from '../engine/labMethods';
import { upsamplingWorkProblem } from '../engine/upsamplingWork';
import { isMatrixView, isProblems, MAX_IMAGE_BYTES, noticeShape, readyShape } from './common';
import { bytes, count, finite, number, object, oneOf, optional, pair, refine, share, string, tagged, tuple, whole, type Infer } from './schema';

export { LAB_METHODS, LAB_METHOD_TITLES, type LabMethodName };

/** What the lab compares on: generated inputs, the user's matrix, or an image file decoded to grey. */
export const LAB_INPUT_CHOICES = ['constant', 'gradient', 'pattern', 'matrix', 'image'] as const;
export type LabInputChoice = (typeof LAB_INPUT_CHOICES)[number];
export const LAB_MODES = ['nearest', 'bilinear'] as const;
export type LabMode = (typeof LAB_MODES)[number];
export const LAB_VERDICTS = ['flat', 'checkerboard', 'gaps', 'no-interior'] as const;
export type LabVerdictKind = (typeof LAB_VERDICTS)[number];
export const LAB_EXPORT_FORMATS = ['csv', 'json'] as const;
export type LabExportFormat = (typeof LAB_EXPORT_FORMATS)[number];

/** The limits the panel's fields and the command's arguments share. */
export const LAB_LIMITS = {
  factor: { min: 2, max: 4 },
  kernelSize: { min: 1, max: 9 },
  size: { min: 4, max: 256 },
  stages: { min: 1, max: 3 },
  /** The largest input side an image or matrix is used at (an image is scaled down to it). */
  inputSide: 256,
  /** The largest output side of a stack: r^stages · input side. */
  outputSide: 2048,
  /**
   * The most multiply-adds (estimated, src/core/engine/upsamplingWork.ts) one lab run may take: every
   * kernel at factor 2 on the largest input (0.51 billion). Below the engine's 2.5 billion because
   * the lab is interactive: its heaviest offered run (64×64, factor 3, 8×8, 2 stages) took 5.7 s on
   * a loaded 2-core machine, where a run at the engine's limit (2.26 billion) took 23 s.
   */
  work: 6e8,
} as const;

/** What the lab compares when nothing else is said: factor 2, kernel 3 (the classic uneven case), a 32×32 constant input, nearest, one stage. */
export const LAB_DEFAULT_SETTINGS = { factor: 2, kernelSize: 3, input: 'constant', size: 32, mode: 'nearest', stages: 1, seed: 1 } as const;

const { factor, kernelSize, size, stages } = LAB_LIMITS;
const isFactor = whole(factor.min, factor.max);
const isStages = whole(stages.min, stages.max);

/** What to compare. The generated inputs are `size × size`; `matrix` is the user's matrix or the decoded image. */
export const isLabSettings = refine(
  object({
    /** `r`: stride, scale factor and pixel-shuffle factor. */
    factor: isFactor,
    /** The kernel size when `kernel` is absent (a kernel of ones). */
    kernelSize: whole(kernelSize.min, kernelSize.max),
    /** The user's `[kH, kW]` kernel, if any. */
    kernel: optional(isMatrixView),
    input: oneOf(LAB_INPUT_CHOICES),
    size: whole(size.min, size.max),
    mode: oneOf(LAB_MODES),
    stages: isStages,
    /** The seed of the `pattern` input. */
    seed: whole(0, 0xffffffff),
    /** The input matrix for `matrix` and `image`. */
    matrix: optional(isMatrixView),
    /** Where `matrix` came from (`model.py:12`, `photo.png`), for captions. */
    matrixLabel: optional(string),
  }),
  (s) => (s.input !== 'matrix' && s.input !== 'image') || s.matrix !== undefined,
);
export type LabSettings = Infer<typeof isLabSettings>;

/**
 * Why the lab would refuse `settings` (a stack wider than {@link LAB_LIMITS}.outputSide, or more
 * work than {@link LAB_LIMITS}.work, which is under the engine's own limit), or undefined when it runs them. The page asks
 * before it offers a value, so that nothing it offers fails; the worker asks again before it runs.
 */
export function labSettingsProblem(settings: Pick<LabSettings, 'factor' | 'kernelSize' | 'kernel' | 'input' | 'size' | 'stages' | 'matrix'>): string | undefined {
  const { factor, stages } = settings;
  const [h, w] = settings.matrix && (settings.input === 'matrix' || settings.input === 'image') ? [settings.matrix.rows, settings.matrix.cols] : [settings.size, settings.size];
  const grown = factor ** stages;
  if (Math.max(h, w) * grown > LAB_LIMITS.outputSide) {
    return `${stages} stage${stages > 1 ? 's' : ''} of factor ${factor} would make a ${h}×${w} input ${h * grown}×${w * grown}, larger than the lab's ${LAB_LIMITS.outputSide} cells a side: use fewer stages or a smaller input`;
  }
  const kernel: [number, number] = settings.kernel ? [settings.kernel.rows, settings.kernel.cols] : [settings.kernelSize, settings.kernelSize];
  return upsamplingWorkProblem('the checkerboard lab', [h, w], factor, kernel, stages, LAB_LIMITS.work);
}

/**
 * `settings` made to fit the lab, for an input that changed under the other fields (an image or a
 * matrix larger than the one before): fewer stages first, then a smaller factor, never another
 * kernel. A factor of 2 in one stage fits every input and kernel the lab takes.
 */
export function fitLabSettings(settings: LabSettings): LabSettings {
  let fitted = settings;
  while (fitted.stages > LAB_LIMITS.stages.min && labSettingsProblem(fitted) !== undefined) fitted = { ...fitted, stages: fitted.stages - 1 };
  while (fitted.factor > LAB_LIMITS.factor.min && labSettingsProblem(fitted) !== undefined) fitted = { ...fitted, factor: fitted.factor - 1 };
  return fitted;
}

/** `[start, end)`: a span of cells along one axis. */
const isSpan = refine(pair, ([start, end]) => start <= end);

/** A window of output cells, `[start, end)` per axis. */
export const isLabWindow = object({ rows: isSpan, cols: isSpan });
export type LabWindow = Infer<typeof isLabWindow>;

/** One method written as one transposed convolution (dilation 1), for the step player. */
export const isLabTransposedForm = object({ kernel: isMatrixView, stride: pair, padding: pair, outputPadding: pair, groups: optional(refine(count, (g) => g > 0)) });
export type LabTransposedForm = Infer<typeof isLabTransposedForm>;

/** What the lab shows of one method. */
export const isLabMethodView = object({
  method: oneOf(LAB_METHODS),
  /** The output on the input, `[r^s·H, r^s·W]`. */
  output: isMatrixView,
  /** Products landing in each output cell. */
  counts: isMatrixView,
  /** The output for an all-ones input. */
  response: isMatrixView,
  /** The interior cropped to whole periods: where the measures and the spectrum are taken. */
  window: optional(isLabWindow),
  /** The output's power spectrum over the window, DC at `[0, 0]`. */
  spectrum: optional(isMatrixView),
  /** `[P, P]`: the counts per phase over the window. */
  countTile: optional(isMatrixView),
  /** Largest over smallest count per phase (Infinity where some phase gets none). */
  countRatio: optional(refine(number, (ratio) => !Number.isNaN(ratio))),
  /** The output's share of energy at the stride-periodic frequencies. */
  outputShare: optional(share),
  /** The same for a constant input: the number to compare. */
  constantShare: optional(share),
  verdict: object({ kind: oneOf(LAB_VERDICTS), reason: string }),
  /** The method as one transposed convolution, when it has that form (not bilinear resizing, not a stack). */
  transposedForm: optional(isLabTransposedForm),
  /** Why the step player cannot show it, when `transposedForm` is absent. */
  whyUnavailable: optional(string),
});
export type LabMethodView = Infer<typeof isLabMethodView>;

/** The engine's answer: the three methods on one input, in the order of LAB_METHODS. */
export const isLabComputed = refine(
  object({
    input: isMatrixView,
    kernel: isMatrixView,
    factor: isFactor,
    stages: isStages,
    /** `factor^stages`: the period of the stride frequencies. */
    period: count,
    mode: oneOf(LAB_MODES),
    methods: tuple(isLabMethodView, isLabMethodView, isLabMethodView),
    /** Time the engine took, in milliseconds. */
    milliseconds: finite,
  }),
  (c) => c.methods.every((m, i) => m.method === LAB_METHODS[i]),
);
export type LabComputed = Infer<typeof isLabComputed>;

/**
 * What the lab panel shows.
 * - `empty`: nothing asked yet; `computing`: the engine is working on `settings`;
 * - `invalid`: `settings` could not be computed, `problems` say why; `ready`: the comparison.
 */
export const isLabSnapshot = tagged('kind', {
  empty: {},
  computing: { settings: isLabSettings },
  invalid: { settings: isLabSettings, problems: isProblems },
  ready: { settings: isLabSettings, result: isLabComputed },
});
export type LabSnapshot = Infer<typeof isLabSnapshot>;

/** Host → lab. */
export const isToLabMessage = tagged('type', {
  /** The lab's full state, sent on `ready` and whenever it changes. */
  show: { snapshot: isLabSnapshot },
  /** An image file the user picked, for the page to decode (the browser's decoders) and turn to grey. */
  image: { name: string, bytes: bytes(MAX_IMAGE_BYTES) },
  notice: noticeShape,
});
export type ToLabMessage = Infer<typeof isToLabMessage>;

/** Lab → host. */
export const isFromLabMessage = tagged('type', {
  ready: readyShape,
  /** Compare with these settings (the page's fields changed, or a decoded image is the input). */
  run: { settings: isLabSettings },
  /** Ask the host for an image file from the workspace (it opens a file dialog and answers with `image`). */
  pickImage: {},
  /** Open the step player on one method's layer, with the products behind `cell` of its output listed when one was clicked. */
  why: { method: oneOf(LAB_METHODS), cell: optional(pair) },
  /** The comparison rendered as a PNG, for the host to save. */
  saveImage: { bytes: bytes(MAX_IMAGE_BYTES) },
  /** Save the numbers as CSV or JSON (the host writes them). */
  export: { format: oneOf(LAB_EXPORT_FORMATS) },
});
export type FromLabMessage = Infer<typeof isFromLabMessage>;

/**
 * What the lab's page stores with `setState`, for VS Code to hand back after a reload: the settings
 * of the last comparison, without the user's matrix, kernel or image (too large to keep; the input
 * falls back to `constant`). Its shape must not change (a lab saved by an earlier version comes back).
 */
export const isPersistedLabState = object({ settings: isLabSettings });
export type PersistedLabState = Infer<typeof isPersistedLabState>;

export function persistLabState(settings: LabSettings): PersistedLabState {
  const { matrix: _matrix, kernel: _kernel, matrixLabel: _label, ...rest } = settings;
  const input: LabInputChoice = rest.input === 'matrix' || rest.input === 'image' ? 'constant' : rest.input;
  return { settings: { ...rest, input } };
}

/** The settings a page kept (`state` unchecked, as VS Code hands it back), or the defaults. */
export function restoreLabSettings(state: unknown): LabSettings {
  return isPersistedLabState(state) ? state.settings : { ...LAB_DEFAULT_SETTINGS };
}
