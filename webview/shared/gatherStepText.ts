/**
 * What a step of a gathering layer says in words, for a layer of any rank: one sentence, one line
 * per term (product, window cell, blend), and the input cells to mark. Pure, so the wording is
 * tested without a browser. How a cell and a weight are written is the panel's to say
 * ({@link StepNames}): the layer panel names cells in the caller's rank (`[r, c]`, `[ch, r, c]`),
 * the volume panel a sequence's `[l]` and a volume's `[d, h, w]`.
 */
import type { AvgPoolStep, BilinearStep, CellPosition, ConvStep, InputValue, KernelTap, MaxPoolStep, NearestStep, ShuffleStep, TrilinearStep } from '../../src/core/engine/index';
import { formatCellValue } from './format';

/** One step of any gathering layer's trace. */
export type GatherStep = ConvStep | MaxPoolStep | AvgPoolStep | NearestStep | BilinearStep | TrilinearStep | ShuffleStep;

export interface StepText {
  readonly sentence: string;
  readonly lines: readonly { readonly text: string; readonly emphasis?: boolean; readonly muted?: boolean }[];
  /** The input cells the step reads (inside the input). */
  readonly reads: readonly InputValue[];
  /** The cell that decides the value, when one does: the maximum, the copied cell. */
  readonly decisive?: InputValue;
}

/** How a panel writes positions: `[1, 2]` for a cell (input and output alike), `w[…]` for a weight. */
export interface StepNames {
  /** A cell's index list, brackets included. */
  cell(cell: CellPosition): string;
  /** A place in the padding, by its spatial indices only (`[-1, 0]`). */
  spatial(place: { readonly depth?: number; readonly row: number; readonly col: number }): string;
  /** The weight output channel `outChannel` applies to input channel `channel` at `tap`. */
  weight(outChannel: number, channel: number, tap: KernelTap): string;
  /** A sequence's linear upsampling blends along its one axis only (its steps are bilinear ones of height 1). */
  readonly sequence?: boolean;
  /** Pixel shuffle's factor `r`. */
  readonly upscaleFactor?: number;
}

const v = formatCellValue;

export function describeGatherStep(step: GatherStep, names: StepNames): StepText {
  const out = `out${names.cell(step.output)}`;
  const x = (cell: CellPosition) => `x${names.cell(cell)}`;
  switch (step.kind) {
    case 'conv': {
      const reads = step.terms.flatMap((t) => (t.kind === 'input' ? [t.input] : []));
      const padded = step.terms.length - reads.length;
      const lines = step.terms.map((t) =>
        t.kind === 'input'
          ? { text: `${x(t.input)} × ${names.weight(step.output.channel, t.input.channel, t.tap)} = ${v(t.input.value)} × ${v(t.tap.value)} = ${v(t.product)} (sum ${v(t.runningSum)})` }
          : { text: `padding ${names.spatial(t)} × ${names.weight(step.output.channel, t.channel, t.tap)} = 0 × ${v(t.tap.value)} = ${v(t.product)}`, muted: true },
      );
      const bias = step.start !== 0 ? `, plus the bias ${v(step.start)}` : '';
      const pad = padded > 0 ? ` (${padded} of them over the zero padding)` : '';
      return { sentence: `${out} = the sum of ${step.terms.length} products of its window with the kernel${pad}${bias} = ${v(step.value)}.`, lines, reads };
    }
    case 'max': {
      const winner = step.winner === undefined ? undefined : step.cells[step.winner];
      const lines = step.cells.map((c, i) => ({ text: `${x(c)} = ${v(c.value)}${i === step.winner ? '   ← the largest' : ''}`, emphasis: i === step.winner }));
      const sentence =
        winner === undefined
          ? `${out}: the window lies wholly in the padding, so the value is −∞.`
          : `${out} = the largest of its window's ${step.cells.length} cells = ${v(step.value)}, at ${x(winner)}.`;
      return { sentence, lines, reads: step.cells, ...(winner ? { decisive: winner } : {}) };
    }
    case 'average': {
      const lines = step.cells.map((c) => ({ text: `${x(c)} = ${v(c.value)}` }));
      const padding = step.divisor !== step.cells.length ? ` (the divisor counts ${step.divisor - step.cells.length} padding cell${step.divisor - step.cells.length === 1 ? '' : 's'})` : '';
      const sentence =
        step.cells.length === 0
          ? `${out}: the window lies wholly in the padding, so the value is 0.`
          : `${out} = (sum of ${step.cells.length} cells = ${v(step.sum)}) / ${step.divisor}${padding} = ${v(step.value)}.`;
      return { sentence, lines, reads: step.cells };
    }
    case 'nearest':
      return {
        sentence: `${out} copies the input cell it falls in: ${x(step.source)} = ${v(step.value)}.`,
        lines: [{ text: `${x(step.source)} = ${v(step.source.value)}`, emphasis: true }],
        reads: [step.source],
        decisive: step.source,
      };
    case 'bilinear': {
      const [tl, tr, bl, br] = step.corners;
      const { rows, cols } = step;
      if (names.sequence) {
        return {
          sentence: `${out} blends the input values ${cols.i0}${cols.i1 !== cols.i0 ? ` and ${cols.i1}` : ''} by how near it falls to each = ${v(step.value)}.`,
          lines: [{ text: `${out} = ${x(tl)} ${v(tl.value)} × ${v(cols.w0)} + ${x(tr)} ${v(tr.value)} × ${v(cols.w1)} = ${v(step.value)}`, emphasis: true }],
          reads: distinct([tl, tr]),
        };
      }
      const lines = [
        { text: `upper = ${x(tl)} ${v(tl.value)} × ${v(cols.w0)} + ${x(tr)} ${v(tr.value)} × ${v(cols.w1)} = ${v(step.upper)}` },
        { text: `lower = ${x(bl)} ${v(bl.value)} × ${v(cols.w0)} + ${x(br)} ${v(br.value)} × ${v(cols.w1)} = ${v(step.lower)}` },
        { text: `${out} = upper × ${v(rows.w0)} + lower × ${v(rows.w1)} = ${v(step.value)}`, emphasis: true },
      ];
      return {
        sentence: `${out} blends the input rows ${pair(rows)} and columns ${pair(cols)} by how near it falls to each: along the width first, then the height = ${v(step.value)}.`,
        lines,
        reads: distinct(step.corners),
      };
    }
    case 'trilinear': {
      const { depths, rows, cols, corners } = step;
      // Each slice's four corners blended along the width, then the height, as PyTorch's kernel does.
      const slice = (name: string, at: number) => {
        const [a, b, c, d] = corners.slice(at, at + 4) as [InputValue, InputValue, InputValue, InputValue];
        const value = at === 0 ? step.front : step.back;
        return { text: `${name} = (${x(a)} ${v(a.value)} × ${v(cols.w0)} + ${x(b)} ${v(b.value)} × ${v(cols.w1)}) × ${v(rows.w0)} + (${x(c)} ${v(c.value)} × ${v(cols.w0)} + ${x(d)} ${v(d.value)} × ${v(cols.w1)}) × ${v(rows.w1)} = ${v(value)}` };
      };
      return {
        sentence: `${out} blends the input slices ${pair(depths)}, rows ${pair(rows)} and columns ${pair(cols)} by how near it falls to each: each slice's four cells, then the two slices = ${v(step.value)}.`,
        lines: [slice('front', 0), slice('back', 4), { text: `${out} = front × ${v(depths.w0)} + back × ${v(depths.w1)} = ${v(step.value)}`, emphasis: true }],
        reads: distinct(corners),
      };
    }
    case 'shuffle': {
      const r = names.upscaleFactor ?? 1;
      return {
        sentence: `${out} sits at (${step.offset.row}, ${step.offset.col}) of its ${r} × ${r} block, so it takes input channel ${step.output.channel}·${r}² + ${step.offset.row}·${r} + ${step.offset.col} = ${step.source.channel} at [${step.source.row}, ${step.source.col}]: ${v(step.value)}.`,
        lines: [{ text: `${x(step.source)} = ${v(step.source.value)}`, emphasis: true }],
        reads: [step.source],
        decisive: step.source,
      };
    }
  }
}

/** `2` or `2 and 3`: an axis's one or two neighbours. */
function pair(axis: { readonly i0: number; readonly i1: number }): string {
  return `${axis.i0}${axis.i1 !== axis.i0 ? ` and ${axis.i1}` : ''}`;
}

/** The cells once each (at a border, or where an axis is copied, a corner repeats). */
function distinct(cells: readonly InputValue[]): InputValue[] {
  return [...new Map(cells.map((c) => [`${c.n},${c.channel},${c.depth ?? 0},${c.row},${c.col}`, c])).values()];
}
