/**
 * The other view of the same layer, in lockstep with the step player: the input with `stride − 1`
 * zeros between its values and padded (or cropped), and the flipped kernel sliding over it as an
 * ordinary stride-1 convolution. At each scatter step it marks where that step's input value sits in
 * the stretched input and which output cells it reaches; for a picked output cell it marks the
 * window the flipped kernel reads. A check says whether both views give the same output.
 */
import type { AxisRewrite, EdgeAdjustment, ScatterStep, Tensor } from '../../src/core/engine/index';
import { formatExactValue } from '../shared/format';
import { element, HeatmapGrid, span, withOperator } from '../shared/grid';
import { addedCells, type TransposedModel } from './transposedModel';

type ReadyModel = Extract<TransposedModel, { kind: 'ready' }>;
type Gather = NonNullable<ReadyModel['gather']>;

/** Offset of the first zero-inserted position in the padded grid: padding shifts it right, cropping left. */
const shift = (edge: EdgeAdjustment): number => (edge.kind === 'pad' ? edge.amount : -edge.amount);

/** How both outputs compare: identical bits, or equal up to the summation order's rounding. */
export function compareOutputs(scatter: Float64Array, gather: Float64Array): { readonly identical: boolean; readonly maxDifference: number } {
  let identical = scatter.length === gather.length;
  let maxDifference = 0;
  for (let i = 0; i < Math.min(scatter.length, gather.length); i++) {
    const a = scatter[i] as number;
    const b = gather[i] as number;
    if (Object.is(a, b)) continue;
    identical = false;
    const difference = Number.isNaN(a) || Number.isNaN(b) ? Number.POSITIVE_INFINITY : Math.abs(a - b);
    if (difference > maxDifference) maxDifference = difference;
  }
  return { identical, maxDifference };
}

/** Matrix `index` (counted over the leading axes) of a tensor's last two axes, as a view. */
function matrixAt(tensor: Tensor, index: number): Float64Array {
  const [rows, cols] = tensor.shape.slice(-2) as [number, number];
  return tensor.data.subarray(index * rows * cols, (index + 1) * rows * cols);
}

export class GatherDrawing {
  readonly element: HTMLElement;
  private readonly padded: HeatmapGrid;
  private readonly kernel: HeatmapGrid;
  private inChannel = -1;
  private readonly output: HeatmapGrid;
  private readonly sentence: HTMLElement;
  private readonly gather: Gather;
  private readonly paddedCols: number;
  private readonly dilation: readonly [number, number];
  private readonly kernelSize: readonly [number, number];

  constructor(private readonly model: ReadyModel) {
    this.gather = model.gather as Gather;
    const { padded, flippedKernel, output, rows, cols } = this.gather;
    const [pr, pc] = padded.shape.slice(-2) as [number, number];
    const [kr, kc] = flippedKernel.shape.slice(-2) as [number, number];
    this.paddedCols = pc;
    this.dilation = model.layer.params.dilation;
    this.kernelSize = [kr, kc];
    const section = element('section', 'gather');
    section.setAttribute('aria-label', 'The same layer as an ordinary convolution');
    const heading = element('h2', 'section-title');
    heading.textContent = 'The same layer, gathered: zeros between the inputs, padding, and the flipped kernel sliding over them';
    const explanation = element('ul', 'rewrite');
    for (const axis of [rows, cols]) explanation.append(rewriteLine(axis));
    this.padded = new HeatmapGrid({ role: 'padded', title: 'Stretched and padded input', rows: pr, cols: pc });
    this.kernel = new HeatmapGrid({ role: 'flipped', title: 'Kernel turned half a turn', rows: kr, cols: kc });
    this.showChannel(model.inChannelAt(0));
    this.output = new HeatmapGrid({ role: 'gathered', title: 'Convolution output', rows: model.outRows, cols: model.outCols });
    const { batch, outChannel } = model.selection;
    this.output.setValues(matrixAt(output, batch * model.channels.outChannels + outChannel));
    const grids = element('div', 'grids');
    grids.append(this.padded.element, withOperator('⊛', 'convolution with', this.kernel.element), withOperator('=', 'equals', this.output.element));
    this.sentence = element('p', 'gather-sentence');
    // Every image and channel is compared, not only the one shown.
    section.append(heading, explanation, grids, this.sentence, agreement(model.fullTrace.output.data, output.data));
    this.element = section;
  }

  /**
   * The stretched plane of input channel `inChannel` (of the shown image) and the flipped slice from
   * it to the shown output channel. The convolution sums these over the group's input channels.
   */
  private showChannel(inChannel: number): void {
    if (inChannel === this.inChannel) return;
    this.inChannel = inChannel;
    const { channels, selection } = this.model;
    this.padded.setValues(matrixAt(this.gather.padded, selection.batch * channels.inChannels + inChannel));
    const inGroup = inChannel - this.model.planeSteps.firstInChannel;
    this.kernel.setValues(matrixAt(this.gather.flippedKernel, selection.outChannel * channels.inPerGroup + inGroup));
    if (channels.multiChannel) {
      this.padded.setTitle(`Stretched and padded input, channel ${inChannel}`);
      this.kernel.setTitle(`Kernel ${selection.outChannel} ← ${inChannel} turned half a turn`);
    }
  }

  /** Follows the player: `step` is the step last applied (none at the start), `selected` the picked output cell, `inChannel` the input channel shown. */
  show(step: ScatterStep | undefined, selected: readonly [number, number] | undefined, inChannel: number): void {
    const { outCols } = this.model;
    this.showChannel(inChannel);
    if (step) {
      const at = this.position(step.input.row, step.input.col);
      this.padded.mark('current', at === undefined ? [] : [at]);
      this.output.mark('changed', addedCells(step, outCols));
      this.sentence.textContent =
        at === undefined
          ? `input${formatIndex(step.input.row, step.input.col)} is cropped away here, as padding crops all it paints in the scatter view.`
          : `input${formatIndex(step.input.row, step.input.col)} = ${formatExactValue(step.input.value)} sits at row ${Math.floor(at / this.paddedCols)}, column ${at % this.paddedCols} of the stretched input; every output cell whose window covers it (marked) receives it, as in the scatter view.`;
    } else {
      this.padded.mark('current', []);
      this.output.mark('changed', []);
      this.sentence.textContent = 'Each output cell is the flipped kernel’s dot product with the window of the stretched input below it.';
    }
    this.output.mark('selected', selected ? [selected[0] * outCols + selected[1]] : []);
    this.padded.mark('window', selected ? this.window(selected[0], selected[1]) : []);
  }

  /** Flat index in the padded grid of input cell (row, col), or `undefined` when cropped away. */
  private position(row: number, col: number): number | undefined {
    const { rows, cols, padded } = this.gather;
    const [pr, pc] = padded.shape.slice(-2) as [number, number];
    const r = row * (rows.zerosBetween + 1) + shift(rows.before);
    const c = col * (cols.zerosBetween + 1) + shift(cols.before);
    return r >= 0 && r < pr && c >= 0 && c < pc ? r * pc + c : undefined;
  }

  /** The padded-grid cells the flipped (dilated) kernel reads for output cell (row, col). */
  private window(row: number, col: number): number[] {
    const cells: number[] = [];
    const [kr, kc] = this.kernelSize;
    const [dr, dc] = this.dilation;
    for (let i = 0; i < kr; i++) for (let j = 0; j < kc; j++) cells.push((row + i * dr) * this.paddedCols + col + j * dc);
    return cells;
  }
}

const formatIndex = (row: number, col: number): string => `[${row}, ${col}]`;

function rewriteLine(axis: AxisRewrite): HTMLElement {
  const item = element('li', '');
  item.textContent = axis.explanation;
  return item;
}

/** The check mark: do the scatter and gather views compute the same output? */
function agreement(scatter: Float64Array, gather: Float64Array): HTMLElement {
  const { identical, maxDifference } = compareOutputs(scatter, gather);
  const line = element('p', `agreement ${identical || maxDifference < 1e-9 ? 'agree' : 'disagree'}`);
  line.dataset.identical = String(identical);
  const icon = identical || maxDifference < 1e-9 ? 'pass' : 'error';
  const text = identical
    ? 'Both views give the same output, to the last digit.'
    : maxDifference < 1e-9
      ? `Both views give the same output up to the order of summation (largest difference ${maxDifference.toExponential(1)}).`
      : `The views disagree by up to ${formatExactValue(maxDifference)}: please report this.`;
  line.append(span(`codicon codicon-${icon}`, ''), ' ', span('agreement-text', text));
  return line;
}
