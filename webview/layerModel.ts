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
} from '../src/engine/index';
import type { MatrixView, TransposedConvolutionLayer } from '../src/protocol/messages';
import { formatCellValue } from './format';

export type LayerModel =
  | { readonly kind: 'invalid'; readonly layer: TransposedConvolutionLayer; readonly message: string }
  | {
      readonly kind: 'ready';
      readonly layer: TransposedConvolutionLayer;
      readonly trace: ConvTransposeTrace;
      readonly overlap: OverlapAnalysis;
      /** The same layer as zero insertion, padding and an ordinary convolution; `undefined` when too large to draw. */
      readonly gather: ConvTransposeAsConv | undefined;
      readonly formulas: readonly string[];
      readonly outRows: number;
      readonly outCols: number;
    };

/** Above this many values in the zero-inserted input, the gather view is not drawn. */
const MAX_GATHER_VALUES = 1 << 20;

const tensorOf = (matrix: MatrixView): Tensor => ({ shape: [matrix.rows, matrix.cols], data: matrix.data });

export function buildLayerModel(layer: TransposedConvolutionLayer): LayerModel {
  const input = tensorOf(layer.input);
  const kernel = tensorOf(layer.kernel);
  const { stride, padding, outputPadding, dilation } = layer.params;
  const options = { stride: [...stride] as [number, number], padding: [...padding] as [number, number], outputPadding: [...outputPadding] as [number, number], dilation: [...dilation] as [number, number] };
  try {
    const shape = outputShape('convTranspose2d', input.shape, { ...options, kernelSize: [layer.kernel.rows, layer.kernel.cols] });
    const [outRows, outCols] = shape.shape as [number, number];
    const trace = traceConvTranspose2d(input, kernel, options);
    const zeroInserted = ((layer.input.rows - 1) * stride[0] + 1) * ((layer.input.cols - 1) * stride[1] + 1);
    const formulas = shape.axes.map((axis) => formatAxisFormula(axis));
    // The overlap analysis and the gather view are drawn below the player, after its first frame:
    // computed when first asked for (the trace has already checked every parameter).
    let overlap: OverlapAnalysis | undefined;
    let gather: ConvTransposeAsConv | undefined | null;
    return {
      kind: 'ready',
      layer,
      trace,
      formulas,
      outRows,
      outCols,
      get overlap() {
        return (overlap ??= analyzeOverlap({ inputSize: [layer.input.rows, layer.input.cols], kernel, ...options }));
      },
      get gather() {
        if (gather === undefined) gather = zeroInserted <= MAX_GATHER_VALUES ? convTransposeAsConv(input, kernel, options) : null;
        return gather ?? undefined;
      },
    };
  } catch (error) {
    if (error instanceof LayerError) return { kind: 'invalid', layer, message: error.message };
    throw error;
  }
}

/** `[r, c]` with a true minus sign for rows or columns above or left of the output. */
export const position = (row: number, col: number): string => `[${signed(row)}, ${signed(col)}]`;
const signed = (n: number): string => (n < 0 ? `−${-n}` : String(n));
const value = (v: number): string => formatCellValue(v);
/** A factor inside a product: negative values in brackets, `2 × (−1)`. */
const factor = (v: number): string => (v < 0 || Object.is(v, -0) ? `(${value(v)})` : value(v));

/** What step `index` (0-based) does, in a sentence, and the products it adds. */
export function describeStep(step: ScatterStep, stepCount: number): { readonly sentence: string; readonly products: readonly string[] } {
  const { input } = step;
  const visible = step.visibleWindow;
  const where = visible
    ? `output ${range('row', visible.rows.start, visible.rows.end - 1)}, ${range('column', visible.cols.start, visible.cols.end - 1)}`
    : 'nothing inside the output: padding crops every product';
  const sentence = `Step ${step.index + 1} of ${stepCount}: input${position(input.row, input.col)} = ${value(input.value)} scales the kernel, added into ${where}.`;
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
export function describeContributions(cell: CellContributions): { readonly heading: string; readonly lines: readonly string[] } {
  const { row, col } = cell.cell;
  const n = cell.contributions.length;
  const heading = `output${position(row, col)} = ${value(cell.value)}: ${n === 0 ? 'no products land here' : n === 1 ? '1 product' : `${n} products`}`;
  const lines = cell.contributions.map(
    (c) =>
      `step ${c.step + 1}: input${position(c.input.row, c.input.col)} × kernel${position(c.tap.row, c.tap.col)} = ${factor(c.input.value)} × ${factor(c.tap.value)} = ${value(c.product)}, sum ${value(c.runningSum)}`,
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
