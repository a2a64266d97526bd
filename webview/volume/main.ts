/**
 * The volume panel's page: a 1-D layer drawn as strips (input, kernel and output rows) and a 3-D
 * layer as slices, each with a depth slider. A transposed convolution is stepped through with the
 * shared step player (one input value scattered per step, the 3-D lattice walked slice by slice),
 * with the partial sums of an output cell, the overlap counts, and the all-ones response (a bar
 * chart for a sequence; a stack of count slices and the per-phase table for a volume). The other
 * layers (convolutions, pools, upsampling) gather: they are stepped one output cell at a time by the
 * layer panel's player (webview/shared/gatherSteps.ts; volumeGather.ts says how a volume is drawn
 * there). The page tells the host where its player comes to rest, and opens there when it is shown
 * again. It computes everything with the engine itself; every message is checked against the
 * shared protocol.
 */
import { analyzeVolumeOverlap, asSentence, LayerError, traceConvTranspose1d, traceConvTranspose3d, type ConvTransposeTrace, type ScatterStep, type Tensor, type VolumeOverlapAnalysis } from '../../src/core/engine/index';
import type { SignalLabOptions } from '../../src/core/engine/signalLab';
import { runVolumeLayer, traceVolumeGather, type VolumeGatherTrace } from '../../src/core/engine/volumeLayer';
import { assertNever, MAX_PERSISTED_VALUES } from '../../src/core/protocol/common';
import { isToVolumeMessage, persistVolumeState, spatialRank, type FromVolumeMessage, type PersistedVolumeState, type ToVolumeMessage, type VolumeLayerCall, type VolumeSnapshot } from '../../src/core/protocol/volume';
import { colorFor, cssColor, divergingScale } from '../shared/colorScale';
import { connectPage } from '../shared/connectPage';
import { problemList } from '../shared/problemList';
import { formatCellValue } from '../shared/format';
import { element, MAX_DOM_CELLS, span } from '../shared/grid';
import { initialPlayer, playerReducer, type PlayerAction, type PlayerState } from '../shared/player';
import { PlayerControls, playerActionForKey, PlayTimer } from '../shared/playerControls';
import { SectionRevealer } from '../shared/revealSection';
import { GatherSteps } from '../shared/gatherSteps';
import { signalSection } from './signalView';
import { isGatherCall, volumeGatherSubject } from './volumeGather';
import { barLayout, sliceOf, stepSlices, volumeAxes, type Slice } from './volumeLayout';
import { shownChannels, volumeChannelLayout } from './volumeChannels';
import { GroupsDrawing } from '../transposed/channelView';
import type { ChannelLayout } from '../transposed/channels';

const app = document.getElementById('app') as HTMLElement;
const page = connectPage<ToVolumeMessage, FromVolumeMessage, PersistedVolumeState>('volume panel', isToVolumeMessage, {
  show: (message) => show(message.snapshot),
  notice: (message) => showNotice(message.tone, message.text),
  reveal: (message) => revealer.reveal(`section.${message.section}`),
});
/** Brings a section asked for into view (Show Overlap Map), once it is drawn. */
const revealer = new SectionRevealer(app);
const SVG = 'http://www.w3.org/2000/svg';
/** The most count slices the overlap stack draws (a deep output lists the rest as a number). */
const MAX_STACKED_SLICES = 16;

type Role = 'input' | 'kernel' | 'output';

interface Shown {
  readonly call: VolumeLayerCall;
  /** Where the call came from, as the host said (kept with the layer for a reload). */
  readonly source: string | undefined;
  readonly rank: 1 | 3;
  readonly output: Tensor;
  readonly trace: ConvTransposeTrace | undefined;
  /** The step player of a gathering layer (convolution, pooling, upsampling), which draws itself. */
  readonly gather: { readonly trace: VolumeGatherTrace; readonly steps: GatherSteps } | undefined;
  readonly overlap: VolumeOverlapAnalysis | undefined;
  /** The slice each view shows (3-D), moved by its slider or by the step. */
  readonly depth: Record<Role, number>;
  /** The output cell whose partial sums are listed. */
  selected: { depth: number; col: number; row: number } | undefined;
  /** Channels and groups of a layer with more than one channel (drawn as the 2-D panel's groups map), and the output channel shown. */
  readonly channels: ChannelLayout | undefined;
  outChannel: number;
}

let shown: Shown | undefined;
let player: PlayerState = initialPlayer(0);
let controls: PlayerControls | undefined;
let views: HTMLElement | undefined;
let sums: HTMLElement | undefined;
let groups: HTMLElement | undefined;
let notice: HTMLElement | undefined;
const timer = new PlayTimer(() => dispatch({ type: 'tick' }));
let reportTimer: ReturnType<typeof setTimeout> | undefined;

document.addEventListener('keydown', (event) => {
  const action = playerActionForKey(event);
  if (!action || !(shown?.trace || shown?.gather)) return;
  event.preventDefault();
  dispatch(action);
});

function show(snapshot: VolumeSnapshot): void {
  timer.stop();
  // A reveal asked for before belongs to what was shown then.
  revealer.cancel();
  shown = undefined;
  // Nothing is kept until a layer is drawn (reportStep keeps it): a reload must not bring back what was shown before.
  page.keep(undefined);
  app.replaceChildren();
  switch (snapshot.kind) {
    case 'empty':
      app.append(Object.assign(element('p', 'hint'), { textContent: 'Run “Layer Lens: Transposed Convolution” or “Inspect Layer” with a 1-D or 3-D op to see it here.' }));
      return;
    case 'invalid':
      app.append(problemList(snapshot.problems));
      return;
    case 'ready':
      draw(snapshot.call, snapshot.source, snapshot.step);
      return;
    default:
      assertNever(snapshot);
  }
}

/**
 * The most work the page does itself (output values × weights): the page draws on the webview's one
 * thread, and a layer a person steps through is small; a larger one was computed by the command in
 * the engine worker, and the page says so rather than freezing.
 */
const MAX_PAGE_WORK = 4_000_000;

function draw(call: VolumeLayerCall, source: string | undefined, step: number | undefined): void {
  const rank = spatialRank(call.op);
  const work = Math.max(call.input.data.length, 1) * (call.weight?.data.length ?? 64);
  if (work > MAX_PAGE_WORK) {
    app.append(problemList([`This ${call.op} of a ${call.input.shape.join('×')} input (about ${work.toLocaleString('en-US')} multiply-adds) is too large to draw and step through here; the command returned its output. Run it on a smaller input to see it.`]));
    return;
  }
  let output: Tensor;
  let trace: ConvTransposeTrace | undefined;
  let gatherTrace: VolumeGatherTrace | undefined;
  try {
    output = runVolumeLayer(call);
    if (call.weight && call.op === 'convTranspose1d') trace = traceConvTranspose1d(call.input, call.weight, call.options as never);
    if (call.weight && call.op === 'convTranspose3d') trace = traceConvTranspose3d(call.input, call.weight, call.options as never);
    gatherTrace = traceVolumeGather(call);
  } catch (error) {
    app.append(problemList([error instanceof LayerError ? asSentence(error.message) : String(error)]));
    return;
  }
  const gather = gatherTrace && isGatherCall(call) ? { trace: gatherTrace, steps: new GatherSteps(volumeGatherSubject(call, gatherTrace), dispatch) } : undefined;
  shown = { call, source, rank, output, trace, gather, overlap: overlapOf(call, rank), depth: { input: 0, kernel: 0, output: 0 }, selected: undefined, channels: volumeChannelLayout(call, rank), outChannel: 0 };
  const header = element('header', 'panel-header');
  const title = element('h1', 'panel-title');
  title.textContent = `${call.op} — ${rank === 1 ? 'a sequence, drawn as strips' : 'a volume, drawn as slices'}`;
  const shapes = span('layer-shapes', `${call.input.shape.join('×')}${call.weight ? ` with ${call.weight.shape.join('×')}` : ''} → ${output.shape.join('×')}`);
  header.append(title, shapes);
  if (source !== undefined) header.append(span('source', source));
  notice = element('p', 'notice');
  notice.setAttribute('role', 'status');
  app.append(header, notice);

  controls = undefined;
  views = undefined;
  sums = undefined;
  if (gather) {
    player = initialPlayer(gather.trace.stepCount, step ?? gather.trace.stepCount, player.speed);
    groups = element('div', 'volume-groups');
    app.append(groups, gather.steps.element);
    gather.steps.show(player);
    drawGatherGroups();
    reportStep();
    return;
  }
  const steps = element('section', 'steps');
  steps.setAttribute('aria-label', 'Step by step');
  if (trace) {
    player = initialPlayer(trace.stepCount, step ?? trace.stepCount, player.speed);
    controls = new PlayerControls(trace.stepCount, dispatch);
    steps.append(controls.element);
  }
  views = element('div', 'volume-views');
  sums = element('section', 'partial-sums');
  sums.setAttribute('aria-label', 'Partial sums');
  sums.setAttribute('aria-live', 'polite');
  groups = element('div', 'volume-groups');
  steps.append(views, sums);
  app.append(groups, steps);
  if (shown.overlap) app.append(overlapSection(shown.overlap, rank));
  if (call.op === 'convTranspose1d' && call.weight) {
    const a = volumeAxes(call.input.shape, 1);
    const k = volumeAxes(call.weight.shape, 1);
    const o = call.options as SignalLabOptions;
    app.append(signalSection(call.input.data.slice(0, a.width), call.weight.data.slice(0, k.width), { stride: o.stride, padding: o.padding, outputPadding: o.outputPadding, dilation: o.dilation }));
  }
  // A page that comes back at a step (after being hidden) shows that step's slices.
  followStep();
  render();
  if (trace) reportStep();
}

/**
 * Tells the host where the player came to rest (it opens there again if the page is hidden and shown
 * again) and keeps the layer with that step for VS Code to hand back after a reload (small layers
 * only: the state is JSON); not on every frame of playback.
 */
function reportStep(): void {
  clearTimeout(reportTimer);
  if (player.playing || !shown) return;
  const { call, source } = shown;
  const kind = shown.gather ? 'gather' : shown.trace ? 'scatter' : undefined;
  if (!kind) return;
  const { step, stepCount } = player;
  reportTimer = setTimeout(() => {
    page.post({ type: 'stepShown', player: kind, step, stepCount });
    const values = call.input.data.length + (call.weight?.data.length ?? 0);
    page.keep(values <= MAX_PERSISTED_VALUES ? persistVolumeState(call, source, step) : undefined);
  }, 150);
}

/** The overlap of a one-channel transposed convolution with this kernel (the first channel pair's), or none for other layers. */
function overlapOf(call: VolumeLayerCall, rank: 1 | 3): VolumeOverlapAnalysis | undefined {
  if (!call.weight || (call.op !== 'convTranspose1d' && call.op !== 'convTranspose3d')) return undefined;
  const a = volumeAxes(call.input.shape, rank);
  const k = volumeAxes(call.weight.shape, rank);
  const kernelSize = rank === 1 ? [k.width] : [k.depth, k.height, k.width];
  const taps = call.weight.data.slice(0, kernelSize.reduce((x, y) => x * y, 1));
  const o = call.options as Record<string, unknown>;
  try {
    return analyzeVolumeOverlap({
      inputSize: rank === 1 ? [a.width] : [a.depth, a.height, a.width],
      kernel: { shape: kernelSize, data: taps },
      stride: o.stride as never,
      padding: o.padding as never,
      outputPadding: o.outputPadding as never,
      dilation: o.dilation as never,
    });
  } catch {
    return undefined;
  }
}

function dispatch(action: PlayerAction): void {
  if (!shown?.trace && !shown?.gather) return;
  const before = player;
  player = playerReducer(before, action);
  timer.sync(before, player);
  if (player === before) return;
  reportStep();
  if (shown.gather) {
    shown.gather.steps.show(player);
    drawGatherGroups();
    return;
  }
  followStep();
  shown.selected = undefined;
  render();
}

/**
 * The groups map of a grouped (or many-channel) gathering layer: it marks the output channel the
 * current step computes, and a click on another output channel takes the player to that
 * channel's first step.
 */
function drawGatherGroups(): void {
  const gather = shown?.gather;
  if (!groups || !shown?.channels || !gather) return;
  const step = player.step > 0 ? gather.trace.step(player.step - 1) : undefined;
  const onSelect = (channel: number): void => {
    const first = firstStepOfChannel(gather.trace, channel);
    if (first !== undefined) dispatch({ type: 'seek', step: first + 1 });
  };
  groups.replaceChildren(new GroupsDrawing({ channels: shown.channels, selection: { batch: step?.output.n ?? 0, outChannel: step?.output.channel ?? 0 } }, onSelect).element);
}

/** The index of the first step that computes a value of output channel `channel` (image 0). */
function firstStepOfChannel(trace: VolumeGatherTrace, channel: number): number | undefined {
  // Steps go image by image, channel by channel: a channel's first step is at a multiple of the channel's size.
  const perChannel = trace.stepCount / Math.max(1, (shown?.channels?.batch ?? 1) * (shown?.channels?.outChannels ?? 1));
  const guess = Math.round(channel * perChannel);
  if (Number.isSafeInteger(guess) && guess < trace.stepCount && trace.step(guess).output.channel === channel) return guess;
  for (let k = 0; k < trace.stepCount; k++) if (trace.step(k).output.channel === channel) return k;
  return undefined;
}

/** The slices follow the step (3-D): the input value's, the kernel slice that lands, the output slice it lands in. */
function followStep(): void {
  const step = currentStep();
  if (!step || shown?.rank !== 3) return;
  const slices = stepSlices(step);
  shown.depth.input = slices.input;
  shown.depth.kernel = slices.kernel;
  shown.depth.output = slices.output;
}

/** The step last applied (player step 3 shows the output after steps 0, 1 and 2). */
function currentStep(): ScatterStep | undefined {
  return shown?.trace && player.step > 0 ? shown.trace.step(player.step - 1) : undefined;
}

function render(): void {
  if (!shown || !views) return;
  const { call, rank, trace } = shown;
  const step = currentStep();
  controls?.show(player);
  const outputNow = trace ? trace.outputAfterSteps(player.step) : shown.output;
  const n = step?.input.n ?? 0;
  // Without a step, the output channel chosen on the groups map and the first input channel of its group.
  const chosen = shownChannels(call, shown.channels, shown.outChannel);
  const inChannel = step?.input.channel ?? chosen.input;
  const outChannel = step?.outChannel ?? chosen.output;
  const [kernelFirst, kernelSecond] = step ? [inChannel, step.outChannelInGroup] : chosen.kernel;
  const marks = (role: Role): Map<string, string> => stepMarks(step, role);
  const selected = shown.selected ?? firstLanding(step);
  views.replaceChildren(
    tensorView('input', 'Input', call.input, rank, n, inChannel, marks('input')),
    ...(call.weight ? [tensorView('kernel', 'Kernel', call.weight, rank, kernelFirst, kernelSecond, marks('kernel'))] : []),
    tensorView('output', 'Output', outputNow, rank, n, outChannel, marks('output'), selected),
  );
  if (groups && shown.channels) {
    const onSelect = (channel: number): void => {
      if (!shown) return;
      shown.outChannel = channel;
      render();
    };
    groups.replaceChildren(new GroupsDrawing({ channels: shown.channels, selection: { batch: n, outChannel } }, onSelect).element);
  }
  renderSums(selected && trace ? { n, channel: outChannel, ...(rank === 3 ? { depth: selected.depth } : {}), row: selected.row, col: selected.col } : undefined);
}

function firstLanding(step: ScatterStep | undefined): Shown['selected'] {
  const landed = step?.landings.find((l) => l.kind === 'added');
  return landed && { depth: landed.depth ?? 0, row: landed.row, col: landed.col };
}

/** `depth,row,col` → the mark class of the cells the step uses in this view. */
function stepMarks(step: ScatterStep | undefined, role: Role): Map<string, string> {
  const marks = new Map<string, string>();
  if (!step) return marks;
  if (role === 'input') marks.set(key(step.input.depth ?? 0, step.input.row, step.input.col), 'mark-current');
  for (const landing of step.landings) {
    if (landing.kind !== 'added') continue;
    if (role === 'kernel') marks.set(key(landing.tap.depth ?? 0, landing.tap.row, landing.tap.col), 'mark-window');
    if (role === 'output') marks.set(key(landing.depth ?? 0, landing.row, landing.col), 'mark-window');
  }
  return marks;
}

function key(depth: number, row: number, col: number): string {
  return `${depth},${row},${col}`;
}

/** One tensor: its title, a depth slider for a volume, and the strip or slice as a grid of cells. */
function tensorView(role: Role, label: string, t: Tensor, rank: 1 | 3, n: number, channel: number, marks: Map<string, string>, selected?: Shown['selected']): HTMLElement {
  const state = shown as Shown;
  const axes = volumeAxes(t.shape, rank);
  const depth = Math.min(state.depth[role], axes.depth - 1);
  const section = element('section', `volume-view view-${role}`);
  const heading = element('h2', 'view-title');
  // A transposed convolution's weight is [C_in, C_out/groups, …], a convolution's [C_out, C_in/groups, …].
  const kernelAxes = state.call.op.startsWith('convTranspose') ? `in ${n}, out ${channel}` : `out ${n}, in ${channel} of its group`;
  heading.textContent = `${label} ${t.shape.join('×')}${axes.batch > 1 || axes.channels > 1 ? ` (${role === 'kernel' ? kernelAxes : `image ${n}, channel ${channel}`})` : ''}`;
  section.append(heading);
  if (rank === 3) {
    const slider = element('input', 'depth-slider');
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(axes.depth - 1);
    slider.value = String(depth);
    slider.dataset.role = role;
    slider.setAttribute('aria-label', `${label} slice (depth)`);
    slider.setAttribute('aria-valuetext', `slice ${depth} of ${axes.depth}`);
    // Arrow keys move a focused range input natively; the page's player keys skip inputs.
    slider.addEventListener('input', () => {
      state.depth[role] = Number(slider.value);
      render();
      (document.querySelector(`.depth-slider[data-role="${role}"]`) as HTMLElement | null)?.focus();
    });
    const sliderLabel = span('depth-label', `slice ${depth} of ${axes.depth}`);
    const line = element('div', 'depth-line');
    line.append(slider, sliderLabel);
    section.append(line);
  }
  const slice = sliceOf(t, rank, n, channel, depth);
  section.append(sliceGrid(role, label, slice, rank, depth, marks, role === 'output' ? selected : undefined));
  return section;
}

/** A slice as cells (role `grid`, one label per cell), as the 2-D grids are read by screen readers. */
function sliceGrid(role: Role | 'counts', label: string, slice: Slice, rank: 1 | 3, depth: number, marks: Map<string, string>, selected?: Shown['selected'], scaleOf: ArrayLike<number> = slice.values): HTMLElement {
  const grid = element('div', `volume-grid grid-${role}${rank === 1 ? ' strip' : ''}`);
  grid.setAttribute('role', 'grid');
  grid.dataset.grid = role;
  grid.setAttribute('aria-label', `${label}${rank === 3 ? `, slice ${depth}` : ''}: ${rank === 1 ? `${slice.cols} values` : `${slice.rows}×${slice.cols}`}`);
  if (slice.rows * slice.cols > MAX_DOM_CELLS) {
    grid.append(span('hint', `${slice.rows}×${slice.cols} is too large to draw cell by cell here.`));
    return grid;
  }
  grid.style.gridTemplateColumns = `repeat(${slice.cols}, minmax(2.2em, max-content))`;
  const scale = divergingScale(scaleOf);
  for (let r = 0; r < slice.rows; r++) {
    const row = element('div', 'volume-row');
    row.setAttribute('role', 'row');
    for (let c = 0; c < slice.cols; c++) {
      const value = slice.values[r * slice.cols + c] as number;
      const cell = element('div', 'cell volume-cell');
      cell.setAttribute('role', 'gridcell');
      const where = rank === 1 ? `[${c}]` : `[${depth}, ${r}, ${c}]`;
      cell.setAttribute('aria-label', `${label} ${where} = ${formatCellValue(value)}`);
      cell.textContent = formatCellValue(value);
      const color = colorFor(value, scale);
      if (color) cell.style.background = cssColor(color);
      const mark = marks.get(key(depth, r, c));
      if (mark) cell.classList.add(mark);
      if (role === 'output' && shown?.trace) {
        if (selected && selected.depth === depth && selected.row === r && selected.col === c) cell.classList.add('mark-selected');
        cell.tabIndex = 0;
        const choose = () => {
          if (!shown) return;
          shown.selected = { depth, row: r, col: c };
          render();
        };
        cell.addEventListener('click', choose);
        cell.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') choose();
        });
      }
      row.append(cell);
    }
    grid.append(row);
  }
  return grid;
}

/** The products that made one output cell so far, with the running sum. */
function renderSums(cell: { n: number; channel: number; depth?: number; row: number; col: number } | undefined): void {
  if (!sums || !shown?.trace) return;
  sums.replaceChildren();
  if (!cell) {
    sums.append(Object.assign(element('p', 'hint'), { textContent: 'Step forward, or pick an output cell, to see its partial sums.' }));
    return;
  }
  const all = shown.trace.contributionsTo(cell);
  const done = all.contributions.filter((c) => c.step < player.step);
  const heading = element('h2', 'view-title');
  const where = shown.rank === 1 ? `[${cell.col}]` : `[${cell.depth ?? 0}, ${cell.row}, ${cell.col}]`;
  heading.textContent = `Output ${where}: ${done.length} of ${all.contributions.length} products added`;
  const list = element('ol', 'sum-list');
  for (const c of done) {
    const at = shown.rank === 1 ? `[${c.input.col}]` : `[${c.input.depth ?? 0}, ${c.input.row}, ${c.input.col}]`;
    const tap = shown.rank === 1 ? `[${c.tap.col}]` : `[${c.tap.depth ?? 0}, ${c.tap.row}, ${c.tap.col}]`;
    list.append(Object.assign(element('li', ''), { textContent: `step ${c.step + 1}: x${at} ${formatCellValue(c.input.value)} × w${tap} ${formatCellValue(c.tap.value)} = ${formatCellValue(c.product)} → ${formatCellValue(c.runningSum)}` }));
  }
  sums.append(heading, list);
}

/** Overlap counts and the all-ones response: a bar chart for a sequence, a stack of slices and the per-phase table for a volume. */
function overlapSection(overlap: VolumeOverlapAnalysis, rank: 1 | 3): HTMLElement {
  const section = element('section', 'overlap');
  section.setAttribute('aria-label', 'Overlap');
  const heading = element('h2', 'view-title');
  // The verdict's reason starts with its word (even, uneven): it is the heading.
  heading.textContent = `Overlap — ${overlap.verdict.reason}`;
  section.append(heading);
  const counts = overlap.counts;
  if (rank === 1) {
    section.append(sliceGrid('counts', 'Products per output value', { rows: 1, cols: counts.data.length, values: counts.data }, 1, 0, new Map()));
    section.append(barChart(overlap.kernelResponse.data, 'All-ones response: the output for an input of ones'));
  } else {
    const [depth = 1, height = 1, width = 1] = counts.shape;
    const stack = element('div', 'count-stack');
    stack.setAttribute('aria-label', `Products per output cell, ${depth} slices`);
    for (let d = 0; d < Math.min(depth, MAX_STACKED_SLICES); d++) {
      const values = counts.data.slice(d * height * width, (d + 1) * height * width);
      const figure = element('figure', 'count-slice');
      const caption = element('figcaption', '');
      caption.textContent = `slice ${d}`;
      figure.append(caption, sliceGrid('counts', 'Products', { rows: height, cols: width, values }, 3, d, new Map(), undefined, counts.data));
      stack.append(figure);
    }
    if (depth > MAX_STACKED_SLICES) stack.append(span('hint', `and ${depth - MAX_STACKED_SLICES} more slices`));
    section.append(stack, phaseTable(overlap));
  }
  section.append(Object.assign(element('p', 'overlap-measures'), {
    textContent: `Count ratio ${formatCellValue(overlap.countRatio)}, response amplitude ${formatCellValue(overlap.responseAmplitude)}, periodic energy ${(overlap.periodicEnergyFraction * 100).toFixed(1)}%`,
  }));
  return section;
}

function barChart(values: Float64Array, label: string): SVGElement {
  const width = Math.max(240, Math.min(720, values.length * 14));
  const height = 90;
  const { bars, baseline } = barLayout(values, width, height);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'bar-chart');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${label}: ${Array.from(values, formatCellValue).join(', ')}`);
  for (const bar of bars) {
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', 'bar');
    rect.setAttribute('x', String(bar.x));
    rect.setAttribute('y', String(bar.y));
    rect.setAttribute('width', String(bar.width));
    rect.setAttribute('height', String(bar.height));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = formatCellValue(bar.value);
    rect.append(title);
    svg.append(rect);
  }
  const axis = document.createElementNS(SVG, 'line');
  axis.setAttribute('class', 'bar-axis');
  axis.setAttribute('x1', '0');
  axis.setAttribute('x2', String(width));
  axis.setAttribute('y1', String(baseline));
  axis.setAttribute('y2', String(baseline));
  svg.append(axis);
  return svg;
}

function phaseTable(overlap: VolumeOverlapAnalysis): HTMLElement {
  const table = element('table', 'phase-table');
  const caption = element('caption', '');
  caption.textContent = 'The stride lattice: products and all-ones response per phase';
  const head = element('tr', '');
  for (const text of ['Phase (d, h, w)', 'Products', 'Response', 'Kernel taps']) head.append(Object.assign(element('th', ''), { textContent: text, scope: 'col' }));
  table.append(caption, head);
  for (const phase of overlap.phases) {
    const row = element('tr', '');
    for (const text of [`(${phase.phase.join(', ')})`, String(phase.count), formatCellValue(phase.response), phase.taps.map((t) => `(${t.join(', ')})`).join(' ')]) row.append(Object.assign(element('td', ''), { textContent: text }));
    table.append(row);
  }
  return table;
}

function showNotice(tone: 'info' | 'error', text: string): void {
  if (!notice) return;
  notice.textContent = text;
  notice.className = `notice ${tone}`;
}
