/**
 * What the panel draws for one transposed convolution, computed in the panel with the extension's
 * own engine: the step trace, the overlap analysis, both views of the computation and the
 * output-size formulas, or the engine's message when the parameters are not a valid layer. Pure
 * (no DOM), so the words and numbers the panel shows are unit-tested.
 */
import {
  analyzeOverlap,
  convTransposeAsConv,
  formatAxisFormula,
  LayerError,
  outputShape,
  traceConvTranspose2d,
  type CellContributions,
  type ConvTransposeAsConv,
  type ConvTransposeTrace,
  type OverlapAnalysis,
  type ScatterStep,
  type Tensor,
} from '../../src/core/engine/index';
import { viewShape, type MatrixView } from '../../src/core/protocol/common';
import { type TransposedChannelSelection, type TransposedConvolutionLayer } from '../../src/core/protocol/transposed';
import {
  channelContributions,
  channelLayout,
  clampSelection,
  effectiveKernel,
  indexText,
  inChannelAtStep,
  inputPlaneIndex,
  kernelPlaneIndex,
  planeOf,
  planeSteps,
  planeTrace,
  type ChannelContribution,
  type ChannelLayout,
  type PlaneSteps,
} from './channels';
import { formatCellValue } from '../shared/format';

export type TransposedModel =
  | { readonly kind: 'invalid'; readonly layer: TransposedConvolutionLayer; readonly message: string }
  | {
      readonly kind: 'ready';
      readonly layer: TransposedConvolutionLayer;
      /** Batch, channels and groups; one image and one channel for a plain matrix. */
      readonly channels: ChannelLayout;
      /** The plane the player walks: image and output channel. */
      readonly selection: TransposedChannelSelection;
      /** Where the plane's steps sit in the whole layer's trace, and how they split into input channels. */
      readonly planeSteps: PlaneSteps;
      /** The selected plane's trace: steps from 0, partial sums and products of that output channel of that image. */
      readonly trace: ConvTransposeTrace;
      /** The whole layer's trace (every image and output channel); the same as `trace` for a plain matrix. */
      readonly fullTrace: ConvTransposeTrace;
      /** The overlap of the selected output channel (its kernel slices summed, for the all-ones response). */
      readonly overlap: OverlapAnalysis;
      /** The same layer as zero insertion, padding and an ordinary convolution; `undefined` when too large to draw. */
      readonly gather: ConvTransposeAsConv | undefined;
      /** Each input channel's part of the selected output channel, in the order the layer adds them. */
      readonly contributions: readonly ChannelContribution[];
      readonly formulas: readonly string[];
      readonly outRows: number;
      readonly outCols: number;
      /** The input plane `x[n, inChannel]` of the selected image (the input itself for a matrix). */
      inputPlane(inChannel: number): Float64Array;
      /** The kernel slice from `inChannel` to the selected output channel (the kernel itself for a matrix). */
      kernelPlane(inChannel: number): Float64Array;
      /** The input channel the player is on after `step` steps. */
      inChannelAt(step: number): number;
      /** The same layer with another plane selected (sharing the computed trace). */
      select(selection: TransposedChannelSelection): TransposedModel;
    };

/** Above this many values in the zero-inserted input, the gather view is not drawn. */
const MAX_GATHER_VALUES = 1 << 20;

const tensorOf = (matrix: MatrixView): Tensor => ({ shape: viewShape(matrix), data: matrix.data });

export function buildTransposedModel(layer: TransposedConvolutionLayer, selection?: TransposedChannelSelection): TransposedModel {
  const input = tensorOf(layer.input);
  const kernel = tensorOf(layer.kernel);
  const { stride, padding, outputPadding, dilation, groups } = layer.params;
  const options = {
    stride: [...stride] as [number, number],
    padding: [...padding] as [number, number],
    outputPadding: [...outputPadding] as [number, number],
    dilation: [...dilation] as [number, number],
    ...(groups !== undefined && groups !== 1 ? { groups } : {}),
  };
  try {
    // The trace validates everything (channels and groups too) in the engine's words.
    const fullTrace = traceConvTranspose2d(input, kernel, options);
    const shape = outputShape('convTranspose2d', [layer.input.rows, layer.input.cols], { ...options, groups: 1, kernelSize: [layer.kernel.rows, layer.kernel.cols] });
    const [outRows, outCols] = shape.shape as [number, number];
    const zeroInserted = (input.data.length / (layer.input.rows * layer.input.cols || 1)) * ((layer.input.rows - 1) * stride[0] + 1) * ((layer.input.cols - 1) * stride[1] + 1);
    const formulas = shape.axes.map((axis) => formatAxisFormula(axis));
    const channels = channelLayout(layer);
    // The gather view is drawn below the player, after its first frame: computed when first asked
    // for (the trace has already checked every parameter), and shared by every plane.
    let gather: ConvTransposeAsConv | undefined | null;
    const shared: SharedModel = {
      layer,
      channels,
      fullTrace,
      formulas,
      outRows,
      outCols,
      options,
      gather: () => {
        if (gather === undefined) gather = zeroInserted <= MAX_GATHER_VALUES ? convTransposeAsConv(input, kernel, options) : null;
        return gather ?? undefined;
      },
    };
    return planeModel(shared, clampSelection(selection, channels));
  } catch (error) {
    if (error instanceof LayerError) return { kind: 'invalid', layer, message: error.message };
    throw error;
  }
}

/** What every plane of one layer shares. */
interface SharedModel {
  readonly layer: TransposedConvolutionLayer;
  readonly channels: ChannelLayout;
  readonly fullTrace: ConvTransposeTrace;
  readonly formulas: readonly string[];
  readonly outRows: number;
  readonly outCols: number;
  readonly options: { readonly stride: [number, number]; readonly padding: [number, number]; readonly outputPadding: [number, number]; readonly dilation: [number, number] };
  gather(): ConvTransposeAsConv | undefined;
}

function planeModel(shared: SharedModel, selection: TransposedChannelSelection): TransposedModel {
  const { layer, channels, fullTrace, outRows, outCols, options } = shared;
  const steps = planeSteps(channels, selection, layer.input.rows, layer.input.cols);
  const trace = planeTrace(fullTrace, steps, selection, outRows, outCols);
  let overlap: OverlapAnalysis | undefined;
  let contributions: ChannelContribution[] | undefined;
  return {
    kind: 'ready',
    layer,
    channels,
    selection,
    planeSteps: steps,
    trace,
    fullTrace,
    formulas: shared.formulas,
    outRows,
    outCols,
    get overlap() {
      if (!overlap) {
        const kernel: Tensor = { shape: [layer.kernel.rows, layer.kernel.cols], data: channels.multiChannel ? effectiveKernel(layer, channels, selection.outChannel) : layer.kernel.data };
        overlap = analyzeOverlap({ inputSize: [layer.input.rows, layer.input.cols], kernel, ...options });
      }
      return overlap;
    },
    get gather() {
      return shared.gather();
    },
    get contributions() {
      return (contributions ??= channelContributions(layer, channels, trace, steps, selection));
    },
    inputPlane: (inChannel) => planeOf(layer.input, inputPlaneIndex(layer, selection.batch, inChannel)),
    kernelPlane: (inChannel) => planeOf(layer.kernel, kernelPlaneIndex(layer, channels, inChannel, selection.outChannel)),
    inChannelAt: (step) => inChannelAtStep(steps, step),
    select: (next) => planeModel(shared, clampSelection(next, channels)),
  };
}

/** How a step or a product names an input cell and a kernel tap: `input[1, 0, 2]`, `kernel[1, 0, 0, 1]` with channels. */
export type CellNamer = (operand: 'input' | 'kernel', channel: number, row: number, col: number) => string;

/** Names cells as `input[r, c]` and `kernel[r, c]`: a plain matrix. */
export const plainNames: CellNamer = (operand, _channel, row, col) => `${operand}${position(row, col)}`;

/** Names for the selected plane of a model: with its channel (and image) when the operands have channel axes. */
export function cellNamer(model: Extract<TransposedModel, { kind: 'ready' }>): CellNamer {
  const { layer, channels, selection } = model;
  if (!channels.multiChannel) return plainNames;
  const inputLead = layer.input.lead?.length ?? 0;
  const j = selection.outChannel % channels.outPerGroup;
  return (operand, channel, row, col) => {
    const lead = operand === 'kernel' ? (layer.kernel.lead ? [channel, j] : []) : inputLead === 2 ? [selection.batch, channel] : inputLead === 1 ? [channel] : [];
    return `${operand}[${[...lead.map(String), signed(row), signed(col)].join(', ')}]`;
  };
}

/** `[r, c]` with a true minus sign for rows or columns above or left of the output. */
export const position = (row: number, col: number): string => `[${signed(row)}, ${signed(col)}]`;
const signed = (n: number): string => (n < 0 ? `−${-n}` : String(n));
const value = (v: number): string => formatCellValue(v);
/** A factor inside a product: negative values in brackets, `2 × (−1)`. */
const factor = (v: number): string => (v < 0 || Object.is(v, -0) ? `(${value(v)})` : value(v));

/** What step `index` (0-based) does, in a sentence, and the products it adds. */
export function describeStep(step: ScatterStep, stepCount: number, names: CellNamer = plainNames): { readonly sentence: string; readonly products: readonly string[] } {
  const { input } = step;
  const visible = step.visibleWindow;
  const where = visible
    ? `output ${range('row', visible.rows.start, visible.rows.end - 1)}, ${range('column', visible.cols.start, visible.cols.end - 1)}`
    : 'nothing inside the output: padding crops every product';
  const kernel = names === plainNames ? 'the kernel' : `the kernel slice ${indexText([input.channel, step.outChannelInGroup])}`;
  const sentence = `Step ${step.index + 1} of ${stepCount}: ${names('input', input.channel, input.row, input.col)} = ${value(input.value)} scales ${kernel}, added into ${where}.`;
  const products = step.landings.map((landing) => {
    const product = `${factor(input.value)} × ${factor(landing.tap.value)} = ${value(landing.product)}`;
    if (landing.kind === 'added') return `+ ${product} → output${position(landing.row, landing.col)}`;
    return `${product} → ${position(landing.row, landing.col)}, cropped by padding (${landing.edges.join(', ')})`;
  });
  return { sentence, products };
}

function range(unit: string, first: number, last: number): string {
  return first === last ? `${unit} ${signed(first)}` : `${unit}s ${signed(first)}–${signed(last)}`;
}

/** The lines of the per-cell view: every product that made the cell, in order, with the running sum. */
export function describeContributions(cell: CellContributions, names: CellNamer = plainNames): { readonly heading: string; readonly lines: readonly string[] } {
  const { row, col } = cell.cell;
  const n = cell.contributions.length;
  const heading = `output${position(row, col)} = ${value(cell.value)}: ${n === 0 ? 'no products land here' : n === 1 ? '1 product' : `${n} products`}`;
  const lines = cell.contributions.map(
    (c) =>
      `step ${c.step + 1}: ${names('input', c.input.channel, c.input.row, c.input.col)} × ${names('kernel', c.input.channel, c.tap.row, c.tap.col)} = ${factor(c.input.value)} × ${factor(c.tap.value)} = ${value(c.product)}, sum ${value(c.runningSum)}`,
  );
  return { heading, lines };
}

/** Flat indices of the output cells a step writes (inside the output). */
export function addedCells(step: ScatterStep, outCols: number): number[] {
  const cells: number[] = [];
  for (const landing of step.landings) if (landing.kind === 'added') cells.push(landing.row * outCols + landing.col);
  return cells;
}

/** Plain words for the overlap measures. */
export function describeOverlap(overlap: OverlapAnalysis): readonly string[] {
  const ratio = overlap.countRatio;
  return [
    `Products per output cell in the interior: ${[...new Set(overlap.countTile.data)].sort((a, b) => a - b).join(', ')} (max/min ${Number.isFinite(ratio) ? value(ratio) : '∞'})`,
    `Relative amplitude of the stride-periodic pattern, for an all-ones input: ${value(overlap.responseAmplitude)}`,
    `Share of that response's energy at the stride frequencies: ${(overlap.periodicEnergyFraction * 100).toFixed(1)}%`,
  ];
}
