/**
 * What a step of a gathering layer says in words: one sentence, one line per term (product, window
 * cell, blend), and the input cells to mark. Pure, so the wording is tested without a browser.
 * Cells are named in the caller's rank: `[r, c]` for a matrix, `[ch, r, c]` for an image,
 * `[n, ch, r, c]` for a batch, so they match the literal in the user's code.
 */
import type { CellPosition, GatherLayerCall, GatherLayerTrace, InputValue } from '../../src/core/engine/index';
import { formatCellValue } from '../shared/format';

export type GatherStep = ReturnType<GatherLayerTrace['step']>;

export interface StepText {
  readonly sentence: string;
  readonly lines: readonly { readonly text: string; readonly emphasis?: boolean; readonly muted?: boolean }[];
  /** The input cells the step reads (inside the input). */
  readonly reads: readonly InputValue[];
  /** The cell that decides the value, when one does: the maximum, the copied cell. */
  readonly decisive?: InputValue;
}

/** `[1, 2]`, `[0, 1, 2]` or `[0, 0, 1, 2]` for a tensor of rank `rank`. */
export function cellName(cell: CellPosition, rank: number): string {
  const all = [cell.n, cell.channel, cell.row, cell.col];
  return `[${all.slice(Math.max(0, 4 - rank)).join(', ')}]`;
}

const v = formatCellValue;

export function describeStep(call: GatherLayerCall, step: GatherStep): StepText {
  const inRank = call.input.shape.length;
  // Every layer here keeps the caller's rank; pixel shuffle needs channels, so its output has them too.
  const out = `out${cellName(step.output, inRank)}`;
  const x = (cell: CellPosition) => `x${cellName(cell, inRank)}`;
  switch (step.kind) {
    case 'conv': {
      const weightShape = call.op === 'conv2d' ? call.weight.shape : [];
      // w[o, i, kh, kw] with i the input channel within its group; a [kH, kW] kernel has no channel axes.
      const inPerGroup = weightShape.length === 4 ? (weightShape[1] as number) : 1;
      const w = (channel: number, row: number, col: number) => (weightShape.length === 4 ? `w[${step.output.channel}, ${channel % inPerGroup}, ${row}, ${col}]` : `w[${row}, ${col}]`);
      const reads = step.terms.flatMap((t) => (t.kind === 'input' ? [t.input] : []));
      const padded = step.terms.length - reads.length;
      const lines = step.terms.map((t) =>
        t.kind === 'input'
          ? { text: `${x(t.input)} × ${w(t.input.channel, t.tap.row, t.tap.col)} = ${v(t.input.value)} × ${v(t.tap.value)} = ${v(t.product)} (sum ${v(t.runningSum)})` }
          : { text: `padding [${t.row}, ${t.col}] × ${w(t.channel, t.tap.row, t.tap.col)} = 0 × ${v(t.tap.value)} = ${v(t.product)}`, muted: true },
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
      const lines = [
        { text: `upper = ${x(tl)} ${v(tl.value)} × ${v(cols.w0)} + ${x(tr)} ${v(tr.value)} × ${v(cols.w1)} = ${v(step.upper)}` },
        { text: `lower = ${x(bl)} ${v(bl.value)} × ${v(cols.w0)} + ${x(br)} ${v(br.value)} × ${v(cols.w1)} = ${v(step.lower)}` },
        { text: `${out} = upper × ${v(rows.w0)} + lower × ${v(rows.w1)} = ${v(step.value)}`, emphasis: true },
      ];
      const distinct = new Map(step.corners.map((c) => [`${c.channel},${c.row},${c.col}`, c]));
      return {
        sentence: `${out} blends the input rows ${rows.i0}${rows.i1 !== rows.i0 ? ` and ${rows.i1}` : ''} and columns ${cols.i0}${cols.i1 !== cols.i0 ? ` and ${cols.i1}` : ''} by how near it falls to each: along the width first, then the height = ${v(step.value)}.`,
        lines,
        reads: [...distinct.values()],
      };
    }
    case 'shuffle': {
      const r = call.op === 'pixelShuffle' ? call.options.upscaleFactor : 1;
      return {
        sentence: `${out} sits at (${step.offset.row}, ${step.offset.col}) of its ${r} × ${r} block, so it takes input channel ${step.output.channel}·${r}² + ${step.offset.row}·${r} + ${step.offset.col} = ${step.source.channel} at [${step.source.row}, ${step.source.col}]: ${v(step.value)}.`,
        lines: [{ text: `${x(step.source)} = ${v(step.source.value)}`, emphasis: true }],
        reads: [step.source],
        decisive: step.source,
      };
    }
  }
}

/** What the step section's heading says each layer does. */
export const STEP_HEADINGS: Readonly<Record<GatherLayerCall['op'], string>> = {
  conv2d: 'Step by step: each output cell is its window of the input times the kernel, summed',
  maxPool2d: 'Step by step: each output cell is the largest value of its window',
  avgPool2d: 'Step by step: each output cell is the mean of its window',
  upsample: 'Step by step: each output cell reads the input near where it falls',
  pixelShuffle: 'Step by step: each output cell takes one value from one input channel',
};
