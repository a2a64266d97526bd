/**
 * The step player of a gathering layer (convolution, pooling, upsampling, pixel shuffle), of any
 * rank: the input's planes, the kernel (convolution), the output plane being filled, the player's
 * controls, and what the current step does in words. Step `k` shows the output after its first `k`
 * cells and marks the cell step `k` computed and the input cells it read. A click on an output cell
 * goes to the step that computes it.
 *
 * Every tensor is read as `[N, C, D, H, W]` and drawn as planes of `H × W`: an image has one slice
 * (D = 1), a sequence is a strip (H = 1), and a volume's slices are planes side by side, so a 3-D
 * window shows across the slices it reads. The layer panel and the volume panel both use it; what
 * differs between them (names, titles, headings) comes in a {@link GatherSubject}.
 */
import type { LayerTrace, Tensor } from '../../src/core/engine/index';
import { divergingScale, type DivergingScale } from './colorScale';
import { formatCellValue } from './format';
import { element, HeatmapGrid, MAX_DOM_CELLS, span, withOperator } from './grid';
import type { PlayerAction, PlayerState } from './player';
import { PlayerControls } from './playerControls';
import type { GatherStep, StepText } from './gatherStepText';

/** At most this many planes of an operand are drawn side by side; beyond it, the planes the step reads. */
export const MAX_PLANES = 8;

/** A tensor's axes as `[N, C, D, H, W]`. */
export type Dims5 = readonly [number, number, number, number, number];

/** A layer as the step player draws it. */
export interface GatherSubject {
  /** What the step section's heading says the layer does. */
  readonly heading: string;
  readonly trace: LayerTrace<GatherStep>;
  readonly input: Tensor;
  readonly inputDims: Dims5;
  readonly outputDims: Dims5;
  /** The title of input plane `plane` (`Input x[1]`, `Input slice 2`). */
  inputTitle(n: number, channel: number, depth: number): string;
  outputTitle(n: number, channel: number, depth: number): string;
  /** An output cell in words, for screen readers: `output row 1, column 2`. */
  outputCell(depth: number, row: number, col: number): string;
  /** What one input plane is called in the note over many: `channels`, `slices`. */
  readonly planeWord: string;
  /**
   * Draw only the input planes the step reads (a volume's slices under its window), instead of
   * every plane of the image when they are few (an image's channels).
   */
  readonly planesOfStepOnly?: boolean;
  /** The convolution's weight as planes of `kH × kW`, and which of them output channel `c` uses. */
  readonly kernel?: {
    readonly data: Float64Array;
    readonly planes: readonly [number, number, number];
    planesOf(outChannel: number): number[];
    title(plane: number): string;
  };
  describe(step: GatherStep): StepText;
}

/** One operand's planes, drawn as up to {@link MAX_PLANES} grids that follow the step. */
export class PlaneGrids {
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
}

export class GatherSteps {
  readonly element: HTMLElement;
  private readonly input: PlaneGrids;
  private readonly kernel: PlaneGrids | undefined;
  /** The output plane being filled (recreated when the step moves to another image, channel or slice). */
  private output: HeatmapGrid | undefined;
  private readonly outputHost = element('div', 'plane-grids');
  /** A volume's output slice slider: it follows the step, and looks at another slice until the step moves. */
  private readonly depthSlider: { readonly line: HTMLElement; readonly input: HTMLInputElement; readonly label: HTMLElement } | undefined;
  /** The output slice chosen with the slider, until the player moves. */
  private chosenDepth: number | undefined;
  private player: PlayerState | undefined;
  private readonly controls: PlayerControls;
  private readonly sentence: HTMLElement;
  private readonly lines: HTMLOListElement;
  /** The shown output plane at the current step (reused for every frame). */
  private readonly planeBuffer: Float64Array;
  private readonly outputScale: DivergingScale;
  private readonly planeNote: HTMLElement;
  /** The flat index of the shown output plane's first cell. */
  private planeBase = -1;

  constructor(
    private readonly subject: GatherSubject,
    private readonly dispatch: (action: PlayerAction) => void,
  ) {
    const section = element('section', 'steps');
    section.setAttribute('aria-label', 'Step by step');
    const heading = element('h2', 'section-title');
    heading.textContent = subject.heading;
    const [inN, inC, inD, inH, inW] = subject.inputDims;
    this.input = new PlaneGrids('input', subject.input.data, [inN * inC * inD, inH, inW], divergingScale(subject.input.data), (plane) =>
      subject.inputTitle(Math.floor(plane / (inC * inD)), Math.floor(plane / inD) % inC, plane % inD),
    );
    const k = subject.kernel;
    if (k) this.kernel = new PlaneGrids('kernel', k.data, k.planes, divergingScale(k.data), (plane) => k.title(plane));
    const [, , outD, outH, outW] = subject.outputDims;
    this.outputScale = divergingScale(subject.trace.output.data);
    this.planeBuffer = new Float64Array(outH * outW);

    const grids = element('div', 'grids');
    const operator = this.kernel ? withOperator('⊛', 'convolved with', this.kernel.element) : undefined;
    grids.append(this.input.element, ...(operator ? [operator] : []), withOperator('→', 'gives', this.outputHost));
    this.depthSlider = outD > 1 ? this.sliceSlider(outD) : undefined;
    this.planeNote = element('p', 'hint plane-note');
    this.controls = new PlayerControls(subject.trace.stepCount, dispatch);
    const description = element('div', 'step-description');
    this.sentence = element('p', 'step-sentence');
    this.lines = element('ol', 'step-products');
    this.lines.setAttribute('aria-label', 'What this step reads');
    description.append(this.sentence, this.lines);
    section.append(heading, grids, this.planeNote, this.controls.element, description);
    this.element = section;
  }

  /** How many output cells the player has computed (the rest are drawn as pending). */
  private computed = 0;

  show(player: PlayerState): void {
    if (player.step !== this.player?.step) this.chosenDepth = undefined;
    this.player = player;
    this.controls.show(player);
    const { subject } = this;
    const step: GatherStep | undefined = player.step > 0 ? subject.trace.step(player.step - 1) : undefined;
    const n = step?.output.n ?? 0;
    const outChannel = step?.output.channel ?? 0;
    const depth = this.chosenDepth ?? step?.output.depth ?? 0;
    this.computed = player.step;
    this.showOutput(n, outChannel, depth, player);

    const [inN, inC, inD, , inW] = subject.inputDims;
    const text = step && subject.describe(step);
    const planeOf = (cell: { n: number; channel: number; depth?: number }) => (cell.n * inC + cell.channel) * inD + (cell.depth ?? 0);
    const window = new Map<number, number[]>();
    const current = new Map<number, number[]>();
    for (const cell of text?.reads ?? []) push(window, planeOf(cell), cell.row * inW + cell.col);
    if (text?.decisive) push(current, planeOf(text.decisive), text.decisive.row * inW + text.decisive.col);
    const perImage = inC * inD;
    const inputPlanes = this.inputPlanes(n, step, [...window.keys()].sort((a, b) => a - b));
    this.input.show(inputPlanes, window, current);
    const image = inN > 1 ? `Image ${n} of ${inN}. ` : '';
    this.planeNote.textContent =
      inputPlanes.length < perImage ? `${image}Showing ${inputPlanes.length} of the input's ${perImage} ${subject.planeWord}: the ones ${step ? 'this step reads' : 'the first step reads'}.` : image.trim();

    if (this.kernel && subject.kernel) this.kernel.show(subject.kernel.planesOf(outChannel).slice(0, MAX_PLANES), new Map(), new Map());

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

  /** The input planes to draw: the image's when they are few, else those the step reads (before the first step, the first step's). */
  private inputPlanes(n: number, step: GatherStep | undefined, read: readonly number[]): number[] {
    const [, inC, inD] = this.subject.inputDims;
    const perImage = inC * inD;
    if (perImage <= MAX_PLANES && !this.subject.planesOfStepOnly) return Array.from({ length: perImage }, (_, p) => n * perImage + p);
    if (!step && this.subject.trace.stepCount > 0) return this.inputPlanes(n, this.subject.trace.step(0), planesRead(this.subject, this.subject.trace.step(0)));
    return (read.length > 0 ? read : [n * perImage]).slice(0, MAX_PLANES);
  }

  /**
   * The output plane of image `n`, channel `channel`, slice `depth`: the cells computed so far hold
   * their values, the rest are pending. A gather trace computes the output in flat order, so after
   * `step` steps exactly the cells below `step` are done: only the shown plane is copied.
   */
  private showOutput(n: number, channel: number, depth: number, player: PlayerState): void {
    const { subject } = this;
    const [, outC, outD, outH, outW] = subject.outputDims;
    const planeCells = outH * outW;
    const base = ((n * outC + channel) * outD + depth) * planeCells;
    if (!this.output || base !== this.planeBase) {
      this.planeBase = base;
      this.output = new HeatmapGrid({
        role: 'output',
        title: subject.outputTitle(n, channel, depth),
        rows: outH,
        cols: outW,
        onPick: (row, col) => this.dispatch({ type: 'seek', step: base + row * outW + col + 1 }),
        describe: (r, c, v) =>
          base + r * outW + c < this.computed
            ? `${subject.outputCell(depth, r, c)}: ${formatCellValue(v)}; press Enter to go to the step that computed it`
            : `${subject.outputCell(depth, r, c)}: not computed yet; press Enter to go to the step that computes it`,
      });
      if (outD > 1) this.output.element.dataset.plane = String(depth);
      const plane = element('div', 'output-plane');
      plane.append(...(this.depthSlider ? [this.depthSlider.line] : []), this.output.element);
      this.outputHost.replaceChildren(plane);
    }
    const firstPending = Math.max(0, Math.min(planeCells, player.step - base));
    this.planeBuffer.set(subject.trace.output.data.subarray(base, base + firstPending));
    this.planeBuffer.fill(0, firstPending);
    this.output.setValues(this.planeBuffer, this.outputScale);
    // Only DOM grids write numbers in cells; on a canvas an uncomputed cell is already blank.
    this.output.mark('pending', planeCells <= MAX_DOM_CELLS ? Array.from({ length: planeCells - firstPending }, (_, i) => firstPending + i) : []);
    this.output.mark('current', player.step > 0 && player.step - 1 >= base && player.step - 1 < base + planeCells ? [player.step - 1 - base] : []);
    this.output.setCaption(player.step === player.stepCount ? 'the layer’s output' : `${player.step} of ${player.stepCount} cells computed`);
    if (this.depthSlider) {
      this.depthSlider.input.value = String(depth);
      this.depthSlider.input.setAttribute('aria-valuetext', `slice ${depth} of ${outD}`);
      this.depthSlider.label.textContent = `slice ${depth} of ${outD}`;
    }
  }

  /** The output's depth slider (arrow keys move it when focused; the player's keys skip inputs). */
  private sliceSlider(depth: number): NonNullable<GatherSteps['depthSlider']> {
    const input = element('input', 'depth-slider');
    input.type = 'range';
    input.min = '0';
    input.max = String(depth - 1);
    input.dataset.role = 'output';
    input.setAttribute('aria-label', 'Output slice (depth)');
    const label = span('depth-label', '');
    const line = element('div', 'depth-line');
    line.append(input, label);
    input.addEventListener('input', () => {
      if (!this.player) return;
      this.chosenDepth = Number(input.value);
      this.show(this.player);
      input.focus();
    });
    return { line, input, label };
  }
}

/** The input planes a step reads, in order. */
function planesRead(subject: GatherSubject, step: GatherStep): number[] {
  const [, inC, inD] = subject.inputDims;
  return [...new Set(subject.describe(step).reads.map((cell) => (cell.n * inC + cell.channel) * inD + (cell.depth ?? 0)))].sort((a, b) => a - b);
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
