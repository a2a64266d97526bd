/**
 * The layer panel's step player: the input's planes, the kernel (convolution), the output plane
 * being filled, the player's controls, and what the current step does in words. Step `k` shows the
 * output after its first `k` cells, marks the cell step `k` computed and the input cells it read.
 * A click on an output cell goes to the step that computes it.
 */
import type { GatherLayerCall, GatherLayerTrace } from '../../src/core/engine/index';
import { divergingScale, type DivergingScale } from '../shared/colorScale';
import { formatCellValue } from '../shared/format';
import { element, HeatmapGrid, MAX_DOM_CELLS, withOperator } from '../shared/grid';
import type { PlayerAction, PlayerState } from '../shared/player';
import { PlayerControls } from '../shared/playerControls';
import { describeStep, STEP_HEADINGS, type GatherStep } from './stepText';

/** At most this many planes of an operand are drawn side by side; beyond it, the planes the step reads. */
const MAX_PLANES = 8;

/** `[N, C, H, W]` of a tensor of rank 2 to 4. */
function asImages(shape: readonly number[]): readonly [number, number, number, number] {
  const [h = 1, w = 1] = shape.slice(-2);
  const c = shape.length >= 3 ? (shape[shape.length - 3] as number) : 1;
  const n = shape.length >= 4 ? (shape[0] as number) : 1;
  return [n, c, h, w];
}

/** One operand's planes, drawn as up to {@link MAX_PLANES} grids that follow the step. */
class PlaneGrids {
  readonly element = element('div', 'plane-grids');
  private grids: HeatmapGrid[] = [];
  private shown = '';

  constructor(
    private readonly role: string,
    private readonly data: Float64Array,
    /** `[planes, rows, cols]`: the operand as a stack of matrices. */
    private readonly planes: readonly [number, number, number],
    private readonly scale: DivergingScale,
    private readonly titleOf: (plane: number) => string,
  ) {}

  /** Shows `planes` (indices into the stack) and marks `window` and `current` cells per plane. */
  show(planes: readonly number[], window: ReadonlyMap<number, number[]>, current: ReadonlyMap<number, number[]>): void {
    const key = planes.join(',');
    if (key !== this.shown) {
      this.shown = key;
      const [, rows, cols] = this.planes;
      this.grids = planes.map((plane) => {
        const grid = new HeatmapGrid({ role: this.role, title: this.titleOf(plane), rows, cols });
        grid.element.dataset.plane = String(plane);
        grid.setValues(this.data.subarray(plane * rows * cols, (plane + 1) * rows * cols), this.scale);
        return grid;
      });
      this.element.replaceChildren(...this.grids.map((g) => g.element));
    }
    planes.forEach((plane, i) => {
      const grid = this.grids[i] as HeatmapGrid;
      grid.mark('window', window.get(plane) ?? []);
      grid.mark('current', current.get(plane) ?? []);
    });
  }

  setCaption(text: string): void {
    const first = this.grids[0];
    first?.setCaption(text);
  }
}

export class LayerSteps {
  readonly element: HTMLElement;
  private readonly input: PlaneGrids;
  private readonly kernel: PlaneGrids | undefined;
  private readonly output: HeatmapGrid;
  private readonly controls: PlayerControls;
  private readonly sentence: HTMLElement;
  private readonly lines: HTMLOListElement;
  private readonly inShape: readonly [number, number, number, number];
  private readonly outShape: readonly [number, number, number, number];
  /** The shown output plane at the current step (reused for every frame). */
  private readonly planeBuffer: Float64Array;
  private readonly outputScale: DivergingScale;
  private readonly planeNote: HTMLElement;

  constructor(
    private readonly call: GatherLayerCall,
    private readonly trace: GatherLayerTrace,
    dispatch: (action: PlayerAction) => void,
  ) {
    const section = element('section', 'steps');
    section.setAttribute('aria-label', 'Step by step');
    const heading = element('h2', 'section-title');
    heading.textContent = STEP_HEADINGS[call.op];
    this.inShape = asImages(call.input.shape);
    this.outShape = asImages(trace.output.shape);
    const [, inC, inH, inW] = this.inShape;
    const inRank = call.input.shape.length;
    this.input = new PlaneGrids('input', call.input.data, [this.inShape[0] * inC, inH, inW], divergingScale(call.input.data), (plane) =>
      inRank === 2 ? 'Input' : `Input ${planeName('x', Math.floor(plane / inC), plane % inC, inRank)}`,
    );
    if (call.op === 'conv2d') {
      const w = call.weight;
      const [kh = 1, kw = 1] = w.shape.slice(-2);
      const perOut = w.shape.length === 4 ? (w.shape[1] as number) : 1;
      const planes = w.data.length / (kh * kw);
      this.kernel = new PlaneGrids('kernel', w.data, [planes, kh, kw], divergingScale(w.data), (plane) =>
        w.shape.length === 4 ? `Kernel w[${Math.floor(plane / perOut)}, ${plane % perOut}]` : 'Kernel',
      );
    }
    const [, , outH, outW] = this.outShape;
    this.output = new HeatmapGrid({
      role: 'output',
      title: 'Output',
      rows: outH,
      cols: outW,
      onPick: (row, col) => dispatch({ type: 'seek', step: this.planeBase + row * outW + col + 1 }),
      describe: (r, c, v) =>
        this.planeBase + r * outW + c < this.computed
          ? `output row ${r}, column ${c}: ${formatCellValue(v)}; press Enter to go to the step that computed it`
          : `output row ${r}, column ${c}: not computed yet; press Enter to go to the step that computes it`,
    });
    this.outputScale = divergingScale(trace.output.data);
    this.planeBuffer = new Float64Array(outH * outW);

    const grids = element('div', 'grids');
    const operator = call.op === 'conv2d' ? withOperator('⊛', 'convolved with', (this.kernel as PlaneGrids).element) : undefined;
    grids.append(this.input.element, ...(operator ? [operator] : []), withOperator('→', 'gives', this.output.element));
    this.planeNote = element('p', 'hint plane-note');
    this.controls = new PlayerControls(trace.stepCount, dispatch);
    const description = element('div', 'step-description');
    this.sentence = element('p', 'step-sentence');
    this.lines = element('ol', 'step-products');
    this.lines.setAttribute('aria-label', 'What this step reads');
    description.append(this.sentence, this.lines);
    section.append(heading, grids, this.planeNote, this.controls.element, description);
    this.element = section;
  }

  /** The flat index of the shown output plane's first cell. */
  private planeBase = 0;
  /** How many output cells the player has computed (the rest are drawn as pending). */
  private computed = 0;

  show(player: PlayerState): void {
    this.controls.show(player);
    const step: GatherStep | undefined = player.step > 0 ? this.trace.step(player.step - 1) : undefined;
    const [, outC, outH, outW] = this.outShape;
    const n = step?.output.n ?? 0;
    const outChannel = step?.output.channel ?? 0;
    this.planeBase = (n * outC + outChannel) * outH * outW;
    // A gather trace computes the output in flat order, so after `step` steps exactly the cells
    // below `step` are done: only the shown plane is copied, not the whole output each frame.
    const planeCells = outH * outW;
    const firstPending = Math.max(0, Math.min(planeCells, player.step - this.planeBase));
    this.planeBuffer.set(this.trace.output.data.subarray(this.planeBase, this.planeBase + firstPending));
    this.planeBuffer.fill(0, firstPending);
    this.computed = player.step;
    this.output.setValues(this.planeBuffer, this.outputScale);
    const outRank = this.trace.output.shape.length;
    this.output.setTitle(outRank === 2 ? 'Output' : `Output ${planeName('out', n, outChannel, outRank)}`);
    this.output.mark('current', step ? [step.output.row * outW + step.output.col] : []);
    // Only DOM grids write numbers in cells; on a canvas an uncomputed cell is already blank.
    this.output.mark('pending', planeCells <= MAX_DOM_CELLS ? Array.from({ length: planeCells - firstPending }, (_, i) => firstPending + i) : []);
    this.output.setCaption(player.step === player.stepCount ? 'the layer’s output' : `${player.step} of ${player.stepCount} cells computed`);

    const [, inC, , inW] = this.inShape;
    const text = step && describeStep(this.call, step);
    const window = new Map<number, number[]>();
    const current = new Map<number, number[]>();
    for (const cell of text?.reads ?? []) push(window, cell.n * inC + cell.channel, cell.row * inW + cell.col);
    if (text?.decisive) push(current, text.decisive.n * inC + text.decisive.channel, text.decisive.row * inW + text.decisive.col);
    const read = [...window.keys()].sort((a, b) => a - b);
    const all = this.inShape[0] * inC;
    const imagePlanes = Array.from({ length: inC }, (_, c) => n * inC + c);
    const inputPlanes = inC <= MAX_PLANES ? imagePlanes : (read.length > 0 ? read : [n * inC]).slice(0, MAX_PLANES);
    this.input.show(inputPlanes, window, current);
    this.planeNote.textContent = inC > MAX_PLANES ? `Showing ${inputPlanes.length} of the input's ${inC} channels: the ones this step reads.` : all > inC ? `Image ${n} of ${this.inShape[0]}.` : '';

    if (this.kernel && this.call.op === 'conv2d') {
      const w = this.call.weight;
      const perOut = w.shape.length === 4 ? (w.shape[1] as number) : 1;
      const planes = Array.from({ length: perOut }, (_, i) => outChannel * perOut + i);
      this.kernel.show(planes.slice(0, MAX_PLANES), new Map(), new Map());
    }

    if (!step || !text) {
      this.sentence.textContent = `Nothing computed yet: press Play, or step forward (→), to compute the ${player.stepCount} output cells one at a time.`;
      this.lines.replaceChildren();
      return;
    }
    this.sentence.textContent = `Step ${player.step}: ${text.sentence}`;
    this.lines.replaceChildren(
      ...text.lines.map((line) => {
        const item = element('li', `product${line.emphasis ? ' emphasis' : ''}${line.muted ? ' cropped' : ''}`);
        item.textContent = line.text;
        return item;
      }),
    );
  }
}

/** `x[c]` for an image, `x[n, c]` for a batch. */
function planeName(name: string, n: number, channel: number, rank: number): string {
  return rank >= 4 ? `${name}[${n}, ${channel}]` : `${name}[${channel}]`;
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
