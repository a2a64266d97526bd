/**
 * The shapes of a step trace: a layer's computation cut into the steps a person follows on paper,
 * reachable in any order. Transposed convolution *scatters* (a step takes one input value, scales
 * the kernel by it and adds it into one output window); convolution and pooling *gather* (a step
 * computes one output cell from its input window). Every position is given as `[n, channel, row,
 * col]` whatever rank the caller used: a matrix is image 0, channel 0, a sequence row 0. A volume's
 * positions (3-D layers) add the slice, `depth`; an image's have no `depth` key at all.
 */
import type { Tensor } from './tensor';

/** A cell of an `[N, C, H, W]` tensor (a matrix's cells have `n = 0`, `channel = 0`). */
export interface CellPosition {
  readonly n: number;
  readonly channel: number;
  /** The slice, for a volume (3-D layers) only. */
  readonly depth?: number;
  readonly row: number;
  readonly col: number;
}

/** A cell of the input and the value it holds. */
export interface InputValue extends CellPosition {
  readonly value: number;
}

/** One weight of the kernel slice a step uses: `w[…, row, col]`. */
export interface KernelTap {
  /** The kernel's slice, for a 3-D kernel only. */
  readonly depth?: number;
  readonly row: number;
  readonly col: number;
  readonly value: number;
}

/** Output positions `start, start + step, …` below `end`: a dilated kernel's rows or columns. */
export interface StridedRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** The output cells a scatter step writes, as row and column ranges (a dilated kernel leaves gaps). */
export interface OutputWindow {
  /** A 3-D layer's output slices. */
  readonly depths?: StridedRange;
  readonly rows: StridedRange;
  readonly cols: StridedRange;
}

/** Which border of the output a cropped tap falls past: `padding` trims every side, `output_padding` never removes anything. */
export type CropEdge = 'top' | 'bottom' | 'left' | 'right' | 'front' | 'back';

/**
 * Where one kernel tap of a scatter step lands: inside the output (its product is added), or past a
 * border that `padding` cropped away (the product is computed by the full layer but discarded).
 */
export type TapLanding =
  | { readonly kind: 'added'; readonly tap: KernelTap; readonly depth?: number; readonly row: number; readonly col: number; readonly product: number }
  | { readonly kind: 'cropped'; readonly tap: KernelTap; readonly depth?: number; readonly row: number; readonly col: number; readonly product: number; readonly edges: readonly CropEdge[] };

/** One step of a transposed convolution: `input.value × w[input.channel, outChannelInGroup]` added into output channel `outChannel`. */
export interface ScatterStep {
  readonly kind: 'scatter';
  readonly index: number;
  readonly input: InputValue;
  readonly outChannel: number;
  /** The weight slice `w[input.channel, outChannelInGroup, :, :]` (weights are `[C_in, C_out/groups, kH, kW]`). */
  readonly outChannelInGroup: number;
  /** The whole window in output coordinates, before cropping: it may start above or left of the output. */
  readonly window: OutputWindow;
  /** The part of the window inside the output; `undefined` when padding crops every tap. */
  readonly visibleWindow: OutputWindow | undefined;
  /** One landing per kernel tap, row-major over the kernel. */
  readonly landings: readonly TapLanding[];
}

/** One product added into an output cell, in the order the trace adds them. */
export interface Contribution {
  readonly step: number;
  readonly input: InputValue;
  readonly tap: KernelTap;
  readonly product: number;
  /** The cell's value after this product is added (starting from the bias, or 0). */
  readonly runningSum: number;
}

/** Everything that made one output cell of a transposed convolution. */
export interface CellContributions {
  readonly cell: CellPosition;
  /** The value the cell starts from: its channel's bias, or 0. */
  readonly start: number;
  readonly contributions: readonly Contribution[];
  /** The last running sum (or `start` when nothing lands here): the trace's output at this cell, to the bit. */
  readonly value: number;
}

/** One term of a convolution step: a product with an input value, or a tap over the zero padding. */
export type ConvTerm =
  | { readonly kind: 'input'; readonly input: InputValue; readonly tap: KernelTap; readonly product: number; readonly runningSum: number }
  /** The tap reads the zero padding at input (`channel`, `row`, `col`): it adds nothing unless the weight is not finite (0·∞ is NaN, as in PyTorch). */
  | { readonly kind: 'padding'; readonly channel: number; readonly depth?: number; readonly row: number; readonly col: number; readonly tap: KernelTap; readonly product: number; readonly runningSum: number };

/** One step of a convolution: one output cell, the dot product of the kernel with its input window. */
export interface ConvStep {
  readonly kind: 'conv';
  readonly index: number;
  readonly output: CellPosition;
  /** The bias the sum starts from (0 without one). */
  readonly start: number;
  /** Ordered as the sum runs: input channel of the group, then kernel row, then kernel column. */
  readonly terms: readonly ConvTerm[];
  readonly value: number;
}

/** One step of max pooling: the largest value of the window (NaN wins, as in PyTorch). */
export interface MaxPoolStep {
  readonly kind: 'max';
  readonly index: number;
  readonly output: CellPosition;
  /** The window's cells inside the input (padding is −∞ and never wins), row-major, dilated. */
  readonly cells: readonly InputValue[];
  /** Index into `cells` of the winner; `undefined` when the window holds no input cell (the value is then −∞). */
  readonly winner: number | undefined;
  readonly value: number;
}

/** One step of average pooling: the window's sum over PyTorch's divisor. */
export interface AvgPoolStep {
  readonly kind: 'average';
  readonly index: number;
  readonly output: CellPosition;
  /** The window's cells inside the input, row-major. Empty when the window lies wholly in the padding (the value is then 0). */
  readonly cells: readonly InputValue[];
  readonly sum: number;
  /** The window's size counting padding (`countIncludePad`), or only its input cells. */
  readonly divisor: number;
  readonly value: number;
}

/** One step of nearest upsampling: the output cell copies one input cell. */
export interface NearestStep {
  readonly kind: 'nearest';
  readonly index: number;
  readonly output: CellPosition;
  readonly source: InputValue;
  readonly value: number;
}

/** How one axis of a bilinear step blends its two neighbours: `lower·w0 + upper·w1` (one index twice at the border, or when the axis is copied). */
export interface LinearAxis {
  readonly i0: number;
  readonly i1: number;
  readonly w0: number;
  readonly w1: number;
}

/**
 * One step of bilinear upsampling, summed as PyTorch's kernel sums it: the top pair and the bottom
 * pair are blended along the width (`upper`, `lower`), then those two along the height.
 */
export interface BilinearStep {
  readonly kind: 'bilinear';
  readonly index: number;
  readonly output: CellPosition;
  readonly rows: LinearAxis;
  readonly cols: LinearAxis;
  /** `[top-left, top-right, bottom-left, bottom-right]`: rows `i0, i0, i1, i1`, columns `i0, i1, i0, i1`. */
  readonly corners: readonly [InputValue, InputValue, InputValue, InputValue];
  readonly upper: number;
  readonly lower: number;
  readonly value: number;
}

/**
 * One step of trilinear upsampling (volumes): the eight neighbours, the bilinear value of the front
 * slice's four and of the back slice's, and their blend along the depth; the value is the layer's.
 */
export interface TrilinearStep {
  readonly kind: 'trilinear';
  readonly index: number;
  readonly output: CellPosition;
  readonly depths: LinearAxis;
  readonly rows: LinearAxis;
  readonly cols: LinearAxis;
  /** The front slice's four corners in {@link BilinearStep}'s order, then the back slice's. */
  readonly corners: readonly InputValue[];
  readonly front: number;
  readonly back: number;
  readonly value: number;
}

/** One step of pixel shuffle: output `(h·r + i, w·r + j)` of channel `c` takes input channel `c·r² + i·r + j` at `(h, w)`. */
export interface ShuffleStep {
  readonly kind: 'shuffle';
  readonly index: number;
  readonly output: CellPosition;
  readonly source: InputValue;
  /** `i` and `j`: where in its `r × r` block the output cell sits. */
  readonly offset: { readonly row: number; readonly col: number };
  readonly value: number;
}

/** What every trace offers: the steps in order, random access to each, and the output after any number of them. */
export interface LayerTrace<Step> {
  readonly stepCount: number;
  /** The loops, outermost first: the step order is these loops run in this order. */
  readonly order: readonly string[];
  /** The layer's output, as the trace computes it. */
  readonly output: Tensor;
  /** Bytes the trace keeps (copies of its inputs, its output, checkpoints); each returned tensor is a fresh copy on top. */
  readonly memoryBytes: number;
  /** Step `index`, in `[0, stepCount)`. */
  step(index: number): Step;
  /**
   * The output after the first `count` steps, `count` in `[0, stepCount]`, in a fresh tensor, or
   * written into `into` (the output's length) and returned as that tensor's data: a view stepping
   * through the trace reuses one buffer instead of allocating an output per frame.
   */
  outputAfterSteps(count: number, into?: Float64Array): Tensor;
}
