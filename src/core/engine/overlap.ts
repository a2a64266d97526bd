/**
 * Overlap analysis of a transposed convolution: how many products land in each output cell, and
 * whether that count, or the kernel's response to a constant input, repeats unevenly with the
 * stride, which is what paints checkerboard artifacts (Odena, Dumoulin & Olah, "Deconvolution and
 * Checkerboard Artifacts", Distill 2016).
 *
 * Along one axis, input position `i` and kernel tap `t` land on output position
 * `o = i·stride + t·dilation − padding`. Away from the borders every tap has an input, so the count
 * at `o` depends only on `(o + padding) mod stride`: the stride tile
 *
 *     tile[r] = #{ t : (r + padding − t·dilation) ≡ 0 (mod stride) },  r = o mod stride.
 *
 * A 2-D layer is separable: a cell's count is the product of its row's and its column's counts.
 * Everything is computed from the parameters, not looked up, so dilation, padding and
 * output_padding are accounted for.
 *
 * The interior of an axis is where every tap of the output position has an input,
 * `(k − 1)·dilation ≤ o + padding ≤ (in − 1)·stride`: there the counts and the constant-input
 * response follow the tile exactly. Borders (and the rows output_padding adds) fall outside it. A
 * small layer's interior may be a single cell: the textbook 2×2 input with a 2×2 kernel, stride 1,
 * has the 3×3 output's centre (count 4) as its interior, and is judged on it; an input too small
 * to reach a steady state has no interior, and the verdict then still describes the tile.
 *
 * Measures of unevenness, all over one stride tile (the interior repeats it), computed by the
 * shared functions of ./periodicity, which the checkerboard lab's comparison uses too:
 * - `countRatio`: max / min of the count tile (∞ when some phase receives nothing);
 * - `responseAmplitude`: (max − min) / |mean| of the response tile, the output of an all-ones input
 *   with the user's kernel (0 when a constant input gives a constant output);
 * - `periodicEnergyFraction`: Σ(T − mean)² / ΣT² for the response tile T, which by Parseval is the
 *   share of its energy at the nonzero frequencies of period `stride` (the checkerboard's
 *   frequencies), and so the share of the interior response's energy there when the interior spans
 *   whole periods. 0 for a flat tile, 1 when the tile averages to 0.
 */
import { convTranspose2d } from './convTranspose';
import { LayerError } from './errors';
import { checkAllocation, checkTensor } from './layout';
import { outputShape } from './outputShape';
import { readIntPair, type IntPair, type Pair } from './pairs';
import { countRatio as tileCountRatio, periodicEnergyFraction, relativeAmplitude } from './periodicity';
import { tensor, type Tensor } from './tensor';

export interface OverlapOptions {
  /** The input's spatial size `[H, W]`. */
  readonly inputSize: Pair;
  /** The 2-D kernel `[kH, kW]`, or only its size (then every tap counts as 1). */
  readonly kernel: Tensor | IntPair;
  readonly stride?: IntPair;
  readonly padding?: IntPair;
  readonly outputPadding?: IntPair;
  readonly dilation?: IntPair;
}

/** One spatial axis: `H` and `W` of an image, `D` of a volume, `L` of a sequence. */
export interface AxisOverlap {
  readonly axis: 'D' | 'H' | 'W' | 'L';
  readonly kernelSize: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: number;
  /** Products landing on each output position of this axis. */
  readonly counts: readonly number[];
  /** Steady-state count of output positions `o` with `o mod stride = r`, for `r` in `[0, stride)`. */
  readonly tile: readonly number[];
  /** Output positions `[start, end)` where the counts follow the tile (no input border reached); `undefined` when the input is too small to have any. */
  readonly interior: { readonly start: number; readonly end: number } | undefined;
}

export type OverlapVerdict =
  | { readonly kind: 'even'; readonly even: true; readonly reason: string }
  | { readonly kind: 'gaps' | 'uneven-counts' | 'uneven-kernel'; readonly even: false; readonly reason: string };

export interface OverlapAnalysis {
  readonly rows: AxisOverlap;
  readonly cols: AxisOverlap;
  /** `[H_out, W_out]`: products landing in each output cell. */
  readonly counts: Tensor;
  /** `[stride_h, stride_w]`: the steady-state counts, indexed by output position mod stride. */
  readonly countTile: Tensor;
  /** `[stride_h, stride_w]`: the steady-state output for an all-ones input with this kernel (equal to `countTile` for a kernel of ones). */
  readonly responseTile: Tensor;
  /** `[H_out, W_out]`: the whole output for an all-ones input with this kernel (`counts` is the same for a kernel of ones): the checkerboard a constant input paints. */
  readonly kernelResponse: Tensor;
  /** Output rows × columns where both axes are interior; `undefined` when either axis has none. */
  readonly interior: { readonly rows: { readonly start: number; readonly end: number }; readonly cols: { readonly start: number; readonly end: number } } | undefined;
  /** Largest over smallest count in the tile (`Infinity` when some cells receive nothing). */
  readonly countRatio: number;
  /** (max − min) / |mean| of the response tile: 0 when a constant input gives a constant output. */
  readonly responseAmplitude: number;
  /** Share of the response tile's energy at the stride's nonzero frequencies (see the module comment). */
  readonly periodicEnergyFraction: number;
  readonly verdict: OverlapVerdict;
}

export function analyzeOverlap(options: OverlapOptions): OverlapAnalysis {
  const kernel = kernelOf(options.kernel);
  const stride = readIntPair('stride', options.stride, 1, 'positive');
  const padding = readIntPair('padding', options.padding, 0, 'non-negative');
  const dilation = readIntPair('dilation', options.dilation, 1, 'positive');
  // Validates every parameter exactly as the layer does, and sizes the output.
  const { shape } = outputShape('convTranspose2d', options.inputSize, {
    kernelSize: [kernel.rows, kernel.cols],
    stride,
    padding,
    dilation,
    outputPadding: options.outputPadding ?? 0,
  });
  const [outHeight, outWidth] = shape as [number, number];
  checkAllocation('the stride tile', stride);
  const rows = axisOverlap('H', options.inputSize[0], outHeight, kernel.rows, stride[0], dilation[0], padding[0]);
  const cols = axisOverlap('W', options.inputSize[1], outWidth, kernel.cols, stride[1], dilation[1], padding[1]);

  const counts = new Float64Array(outHeight * outWidth);
  for (let r = 0; r < outHeight; r++) for (let c = 0; c < outWidth; c++) counts[r * outWidth + c] = (rows.counts[r] as number) * (cols.counts[c] as number);
  const countTile = new Float64Array(rows.stride * cols.stride);
  for (let r = 0; r < rows.stride; r++) for (let c = 0; c < cols.stride; c++) countTile[r * cols.stride + c] = (rows.tile[r] as number) * (cols.tile[c] as number);
  const responseTile = responseTileOf(kernel, rows, cols);
  const responseTileTensor = tensor([rows.stride, cols.stride], responseTile);

  const countRatio = tileCountRatio(countTile);
  const responseAmplitude = relativeAmplitude(responseTile);
  const allOnes = tensor([options.inputSize[0], options.inputSize[1]], new Float64Array(options.inputSize[0] * options.inputSize[1]).fill(1));
  const kernelResponse = convTranspose2d(allOnes, tensor([kernel.rows, kernel.cols], kernel.taps), { stride, padding, dilation, outputPadding: options.outputPadding ?? 0 });
  return {
    rows,
    cols,
    counts: tensor([outHeight, outWidth], counts),
    countTile: tensor([rows.stride, cols.stride], countTile),
    responseTile: responseTileTensor,
    kernelResponse,
    interior: rows.interior && cols.interior ? { rows: rows.interior, cols: cols.interior } : undefined,
    countRatio,
    responseAmplitude,
    periodicEnergyFraction: periodicEnergyFraction(responseTileTensor, { rows: { start: 0, end: rows.stride }, cols: { start: 0, end: cols.stride } }, [rows.stride, cols.stride]),
    verdict: overlapVerdict([rows, cols], countRatio, responseAmplitude, kernel.uniform),
  };
}

interface Kernel {
  readonly rows: number;
  readonly cols: number;
  readonly taps: Float64Array;
  /** Every tap equal: the response tile is then the count tile scaled. */
  readonly uniform: boolean;
}

function kernelOf(kernel: OverlapOptions['kernel']): Kernel {
  if (typeof kernel === 'number' || Array.isArray(kernel)) {
    const [rows, cols] = readIntPair('kernel_size', kernel, 1, 'positive');
    checkAllocation('the kernel of ones', [rows, cols]);
    return { rows, cols, taps: new Float64Array(rows * cols).fill(1), uniform: true };
  }
  const weight = kernel as Tensor;
  checkTensor('kernel', weight);
  if (weight.shape.length !== 2) {
    throw new LayerError('invalid-shape', `the overlap analysis takes a 2-D kernel [kH, kW]; this one has shape [${weight.shape.join(', ')}]`);
  }
  const [rows, cols] = weight.shape as [number, number];
  const first = weight.data[0];
  return { rows, cols, taps: weight.data, uniform: weight.data.every((v) => v === first) };
}

/** One axis's counts, stride tile and interior (see the module comment). */
export function axisOverlap(axis: AxisOverlap['axis'], inSize: number, outSize: number, kernelSize: number, stride: number, dilation: number, padding: number): AxisOverlap {
  const counts = new Array<number>(outSize).fill(0);
  for (let i = 0; i < inSize; i++) {
    for (let t = 0; t < kernelSize; t++) {
      const o = i * stride + t * dilation - padding;
      if (o >= 0 && o < outSize) counts[o] = (counts[o] as number) + 1;
    }
  }
  const tile = Array.from({ length: stride }, (_, r) => tapsAtPhase(r, kernelSize, stride, dilation, padding).length);
  // Every tap has an input where (k − 1)·dilation ≤ o + padding ≤ (in − 1)·stride.
  const start = Math.max(0, (kernelSize - 1) * dilation - padding);
  const end = Math.min(outSize, (inSize - 1) * stride - padding + 1);
  return { axis, kernelSize, stride, dilation, padding, counts, tile, interior: end > start ? { start, end } : undefined };
}

/** The taps that land on output positions `o ≡ r (mod stride)` in the steady state. */
export function tapsAtPhase(r: number, kernelSize: number, stride: number, dilation: number, padding: number): number[] {
  const taps: number[] = [];
  for (let t = 0; t < kernelSize; t++) {
    if ((((r + padding - t * dilation) % stride) + stride) % stride === 0) taps.push(t);
  }
  return taps;
}

function responseTileOf(kernel: Kernel, rows: AxisOverlap, cols: AxisOverlap): Float64Array {
  const tile = new Float64Array(rows.stride * cols.stride);
  for (let r = 0; r < rows.stride; r++) {
    const tapRows = tapsAtPhase(r, rows.kernelSize, rows.stride, rows.dilation, rows.padding);
    for (let c = 0; c < cols.stride; c++) {
      const tapCols = tapsAtPhase(c, cols.kernelSize, cols.stride, cols.dilation, cols.padding);
      let sum = 0;
      for (const th of tapRows) for (const tw of tapCols) sum += kernel.taps[th * kernel.cols + tw] as number;
      tile[r * cols.stride + c] = sum;
    }
  }
  return tile;
}

function products(count: number): string {
  return count === 1 ? '1 product' : `${count} products`;
}

/** `kernel 3, stride 2` (with dilation when it is not 1). */
function describeAxis(axis: AxisOverlap): string {
  return `kernel ${axis.kernelSize}${axis.dilation !== 1 ? ` (dilation ${axis.dilation})` : ''}, stride ${axis.stride}`;
}

/** Why an axis has phases no tap reaches: windows further apart than the kernel spans, or a dilation that puts every tap on the same few phases. */
function gapReason(axis: AxisOverlap): string {
  const span = axis.dilation * (axis.kernelSize - 1) + 1;
  const counts = `counts ${axis.tile.join(', ')} repeating`;
  if (axis.stride > span) {
    return `stride ${axis.stride} is longer than the ${describeAxis(axis).replace(/, stride \d+$/, '')} covers, so some output cells receive no input (${counts})`;
  }
  const reached = axis.tile.filter((count) => count > 0).length;
  return `kernel ${axis.kernelSize} with dilation ${axis.dilation} spans ${span} ≥ stride ${axis.stride}, but its taps lie ${axis.dilation} apart, so they reach only ${reached} of every ${axis.stride} output positions (${counts})`;
}

/** How the verdict names an axis when the axes differ. */
const axisLabels: Record<AxisOverlap['axis'], string> = { D: 'depth', H: 'rows', W: 'columns', L: 'length' };

/** The verdict over every axis of a layer (one image's two, a volume's three, a sequence's one); axes with the same parameters are described once. */
export function overlapVerdict(all: readonly AxisOverlap[], countRatio: number, responseAmplitude: number, uniformKernel: boolean): OverlapVerdict {
  const first = all[0] as AxisOverlap;
  const same = (axis: AxisOverlap) => axis.kernelSize === first.kernelSize && axis.stride === first.stride && axis.dilation === first.dilation && axis.padding === first.padding;
  const axes = all.every(same) ? [first] : all;
  const label = (axis: AxisOverlap) => (axes.length > 1 ? `${axisLabels[axis.axis]}: ` : '');
  if (countRatio === Infinity) {
    const gappy = axes.filter((axis) => axis.tile.includes(0));
    const reason = gappy.map((axis) => `${label(axis)}${gapReason(axis)}`).join('; ');
    return { kind: 'gaps', even: false, reason: `gaps: ${reason}` };
  }
  if (countRatio > 1) {
    const uneven = axes.filter((axis) => new Set(axis.tile).size > 1);
    const reason = uneven.map((axis) => `${label(axis)}${describeAxis(axis)} gives counts ${axis.tile.join(' and ')} alternating`).join('; ');
    return { kind: 'uneven-counts', even: false, reason: `uneven: ${reason} → checkerboard` };
  }
  const count = all.reduce((product, axis) => product * (axis.tile[0] as number), 1);
  if (!uniformKernel && responseAmplitude > 0) {
    return {
      kind: 'uneven-kernel',
      even: false,
      reason: `even overlap (every interior cell receives ${products(count)}), but this kernel's taps sum to different totals at the stride's phases (relative amplitude ${responseAmplitude.toPrecision(3)}) → a constant input still gives a checkerboard`,
    };
  }
  const divisible = axes.filter((axis) => axis.dilation === 1 && axis.kernelSize % axis.stride === 0);
  const why = divisible.length === axes.length && axes.every((axis) => axis.stride > 1)
    ? `: ${axes.map((axis) => `${label(axis)}kernel ${axis.kernelSize} is divisible by stride ${axis.stride}`).join('; ')}`
    : '';
  return { kind: 'even', even: true, reason: `even overlap: every interior output cell receives ${products(count)}${why}` };
}
