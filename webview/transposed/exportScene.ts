/**
 * The step view as a picture: what the player shows at one step (input with the current value
 * marked, the kernel scaled by it, the output's partial sums with the cells just added marked),
 * laid out as rectangles and text. Pure (no DOM): the SVG writer and the canvas painter draw the
 * same scene, so a PNG, an SVG and every GIF frame agree, and the layout is unit-tested.
 */
import type { DivergingScale } from '../shared/colorScale';
import { colorFor, divergingScale } from '../shared/colorScale';
import { formatCellValue } from '../shared/format';
import type { MarkKind } from '../shared/grid';
import { indexText, inputPlaneIndex, kernelPlaneIndex } from './channels';
import { addedCells, cellNamer, describeStep, type TransposedModel } from './transposedModel';

export type ReadyModel = Extract<TransposedModel, { kind: 'ready' }>;

export interface SceneRect {
  readonly kind: 'rect';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** `rgb(…)` or a theme colour; `undefined` for an outline only. */
  readonly fill?: string;
  readonly opacity?: number;
  readonly stroke?: string;
  readonly strokeWidth?: number;
}

export interface SceneText {
  readonly kind: 'text';
  readonly x: number;
  /** The baseline. */
  readonly y: number;
  readonly text: string;
  readonly size: number;
  readonly color: string;
  readonly anchor: 'start' | 'middle';
  readonly bold?: boolean;
}

export type SceneItem = SceneRect | SceneText;

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly background: string;
  readonly font: string;
  readonly items: readonly SceneItem[];
}

/** The theme's colours and font at the time of export (read from the page's CSS variables). */
export interface ScenePalette {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly border: string;
  readonly font: string;
  readonly marks: Readonly<Record<MarkKind, string>>;
}

/** One grid of a frame. */
export interface FrameGrid {
  readonly title: string;
  readonly rows: number;
  readonly cols: number;
  readonly values: ArrayLike<number>;
  readonly scale: DivergingScale;
  readonly marks: Partial<Record<MarkKind, readonly number[]>>;
  readonly caption: string;
}

/** What the step view shows at one step. */
export interface StepFrame {
  readonly heading: string;
  readonly grids: readonly [FrameGrid, FrameGrid, FrameGrid];
  readonly sentence: string;
}

/** The frame at `step` (0 = nothing added yet), with the colour scales the player uses at every step. */
export function stepFrame(model: ReadyModel, step: number): StepFrame {
  const { layer, trace, outRows, outCols } = model;
  const output = new Float64Array(outRows * outCols);
  trace.outputAfterSteps(step, output);
  const outputScale = divergingScale(trace.output.data);
  const names = cellNamer(model);
  const inChannel = model.inChannelAt(step);
  const inputPlane = model.inputPlane(inChannel);
  const kernelPlane = model.kernelPlane(inChannel);
  const multi = model.channels.multiChannel;
  const inputTitle = multi ? `Input ${indexText(inputPlaneIndex(layer, model.selection.batch, inChannel))}` : 'Input';
  const kernelTitle = multi ? `Kernel ${indexText(kernelPlaneIndex(layer, model.channels, inChannel, model.selection.outChannel))}` : 'Kernel';
  const input: FrameGrid = { title: inputTitle, rows: layer.input.rows, cols: layer.input.cols, values: inputPlane, scale: divergingScale(layer.input.data), marks: {}, caption: '' };
  const plane = multi ? `, output channel ${model.selection.outChannel}${model.channels.batch > 1 ? ` of image ${model.selection.batch}` : ''}` : '';
  const heading = `Transposed convolution${layer.source ? ` of ${layer.source}` : ''}${plane}: step ${step} of ${trace.stepCount}`;
  if (step === 0) {
    return {
      heading,
      grids: [
        input,
        { title: kernelTitle, rows: layer.kernel.rows, cols: layer.kernel.cols, values: kernelPlane, scale: divergingScale(layer.kernel.data), marks: {}, caption: '' },
        { title: 'Output', rows: outRows, cols: outCols, values: output, scale: outputScale, marks: {}, caption: 'nothing added yet' },
      ],
      sentence: `Step 0 of ${trace.stepCount}: the output starts at zero.`,
    };
  }
  const current = trace.step(step - 1);
  const v = current.input.value;
  const scaled = kernelPlane.map((k) => k * v);
  const added = addedCells(current, outCols);
  return {
    heading,
    grids: [
      { ...input, marks: { current: [current.input.row * layer.input.cols + current.input.col] } },
      {
        title: kernelTitle,
        rows: layer.kernel.rows,
        cols: layer.kernel.cols,
        values: scaled,
        scale: { maxAbs: divergingScale(layer.kernel.data).maxAbs * divergingScale(layer.input.data).maxAbs },
        marks: {},
        caption: `× ${formatCellValue(v)}, ${names('input', current.input.channel, current.input.row, current.input.col)}`,
      },
      { title: 'Output', rows: outRows, cols: outCols, values: output, scale: outputScale, marks: { window: added }, caption: `partial sums after ${step} of ${trace.stepCount} steps` },
    ],
    sentence: describeStep(current, trace.stepCount, names).sentence,
  };
}

const MARGIN = 16;
const GAP = 40;
const TITLE_SIZE = 16;
const LABEL_SIZE = 12;
const MIN_CELL_FOR_TEXT = 28;

/** The cell size for a frame: every grid drawn at one scale, the largest axis within about 480 px. */
export function exportCellSize(frame: StepFrame): number {
  const largest = Math.max(...frame.grids.map((g) => Math.max(g.rows, g.cols)), 1);
  return Math.max(2, Math.min(40, Math.floor(480 / largest)));
}

/** Lays `frame` out: heading, the three grids side by side with ⊛ᵀ and = between them, the step's sentence. */
export function layoutScene(frame: StepFrame, palette: ScenePalette, cell = exportCellSize(frame)): Scene {
  const items: SceneItem[] = [];
  let x = MARGIN;
  const gridTop = MARGIN + TITLE_SIZE + 16 + LABEL_SIZE + 8;
  let bottom = gridTop;
  items.push({ kind: 'text', x: MARGIN, y: MARGIN + TITLE_SIZE, text: frame.heading, size: TITLE_SIZE, color: palette.foreground, anchor: 'start', bold: true });
  frame.grids.forEach((grid, k) => {
    if (k > 0) {
      items.push({ kind: 'text', x: x + GAP / 2, y: gridTop + (grid.rows * cell) / 2 + 6, text: k === 1 ? '⊛ᵀ' : '=', size: 18, color: palette.muted, anchor: 'middle' });
      x += GAP;
    }
    const width = grid.cols * cell;
    items.push({ kind: 'text', x, y: gridTop - 8, text: `${grid.title} ${grid.rows} × ${grid.cols}`, size: LABEL_SIZE, color: palette.foreground, anchor: 'start', bold: true });
    items.push(...gridItems(grid, x, gridTop, cell, palette));
    const captionY = gridTop + grid.rows * cell + LABEL_SIZE + 6;
    if (grid.caption) items.push({ kind: 'text', x, y: captionY, text: grid.caption, size: LABEL_SIZE, color: palette.muted, anchor: 'start' });
    // A caption may be wider than a small grid.
    x += Math.max(width, grid.caption.length * LABEL_SIZE * 0.6);
    bottom = Math.max(bottom, captionY);
  });
  // The heading may be wider than the grids (a long source name, a channel).
  const width = Math.ceil(Math.max(x + MARGIN, 2 * MARGIN + frame.heading.length * TITLE_SIZE * 0.6));
  const lines = wrap(frame.sentence, Math.max(40, Math.floor((width - 2 * MARGIN) / (LABEL_SIZE * 0.6))));
  lines.forEach((line, i) => items.push({ kind: 'text', x: MARGIN, y: bottom + 24 + i * (LABEL_SIZE + 4), text: line, size: LABEL_SIZE, color: palette.foreground, anchor: 'start' }));
  const height = Math.ceil(bottom + 24 + (lines.length - 1) * (LABEL_SIZE + 4) + MARGIN);
  return { width, height, background: palette.background, font: palette.font, items };
}

/** Mark outlines drawn over the cells, in this order (the current value and the selection on top). */
const MARK_ORDER: readonly MarkKind[] = ['window', 'tile', 'changed', 'cropped', 'added-edge', 'current', 'selected'];

function gridItems(grid: FrameGrid, left: number, top: number, cell: number, palette: ScenePalette): SceneItem[] {
  const items: SceneItem[] = [{ kind: 'rect', x: left, y: top, width: grid.cols * cell, height: grid.rows * cell, stroke: palette.border, strokeWidth: 1 }];
  const showText = cell >= MIN_CELL_FOR_TEXT;
  for (let i = 0; i < grid.rows * grid.cols; i++) {
    const value = grid.values[i] as number;
    const x = left + (i % grid.cols) * cell;
    const y = top + Math.floor(i / grid.cols) * cell;
    const color = colorFor(value, grid.scale);
    const [r, g, b, a] = color ?? [128, 128, 128, 0.5];
    if (a > 0) items.push({ kind: 'rect', x, y, width: cell, height: cell, fill: `rgb(${r}, ${g}, ${b})`, opacity: a });
    if (showText) items.push({ kind: 'text', x: x + cell / 2, y: y + cell / 2 + 4, text: formatCellValue(value), size: Math.min(12, Math.floor(cell / 3)), color: palette.foreground, anchor: 'middle' });
  }
  for (const kind of MARK_ORDER) {
    const width = kind === 'current' || kind === 'selected' ? 2 : 1.5;
    for (const i of grid.marks[kind] ?? []) {
      items.push({ kind: 'rect', x: left + (i % grid.cols) * cell + width / 2, y: top + Math.floor(i / grid.cols) * cell + width / 2, width: cell - width, height: cell - width, stroke: palette.marks[kind], strokeWidth: width });
    }
  }
  return items;
}

/** Splits `text` into lines of at most `columns` characters, at spaces. */
function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
