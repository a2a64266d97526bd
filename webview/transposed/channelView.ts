/**
 * What the panel adds for tensors with channels: the selectors (image of the batch, output channel,
 * input channel), the sum over input channels behind the shown output channel, and the groups map,
 * a bipartite diagram of which input channels feed which output channels.
 */
import type { TransposedChannelSelection } from '../../src/core/protocol/transposed';
import { describeGroups, groupEdges, groupOfInChannel, inChannelsFeeding, indexText } from './channels';
import { divergingScale } from '../shared/colorScale';
import { element, HeatmapGrid, span, withOperator } from '../shared/grid';
import type { TransposedModel } from './transposedModel';

type ReadyModel = Extract<TransposedModel, { kind: 'ready' }>;
/** What the groups map draws: the layout and the shown output channel (the volume panel draws it too). */
export type GroupsModel = Pick<ReadyModel, 'channels' | 'selection'>;

export interface ChannelSelectorEvents {
  /** Another image or output channel was chosen. */
  select(selection: TransposedChannelSelection): void;
  /** An input channel was chosen: the player moves to the end of its contribution. */
  inChannel(inChannel: number): void;
}

/** Drop-downs for the image, the output channel and the input channel, with the tensors' shapes. */
export class ChannelSelectors {
  readonly element: HTMLElement;
  private readonly inSelect: HTMLSelectElement;

  constructor(model: ReadyModel, events: ChannelSelectorEvents) {
    const { channels, selection, layer } = model;
    const bar = element('div', 'channel-selectors');
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Channels and batch');
    const choice = (name: string, key: string, values: readonly number[], current: number, label: (v: number) => string, onChange: (v: number) => void): HTMLSelectElement => {
      const wrapper = element('label', 'channel-choice');
      wrapper.dataset.channel = key;
      const select = element('select', 'channel-select');
      select.setAttribute('aria-label', name);
      for (const v of values) {
        const option = element('option', '');
        option.value = String(v);
        option.textContent = label(v);
        select.append(option);
      }
      select.value = String(current);
      select.disabled = values.length < 2;
      select.addEventListener('change', () => onChange(Number(select.value)));
      wrapper.append(span('param-name', name), select);
      bar.append(wrapper);
      return select;
    };
    const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
    if (channels.batch > 1) choice('image', 'batch', range(channels.batch), selection.batch, String, (batch) => events.select({ ...selection, batch }));
    choice('output channel', 'out', range(channels.outChannels), selection.outChannel, String, (outChannel) => events.select({ ...selection, outChannel }));
    const feeding = inChannelsFeeding(channels, selection.outChannel);
    this.inSelect = choice('input channel', 'in', feeding, feeding[0] ?? 0, (c) => (channels.groups > 1 ? `${c} (group ${groupOfInChannel(channels, c)})` : String(c)), (c) => events.inChannel(c));
    const shapes = span('channel-shapes', `input ${indexText(shapeOf(layer.input))} · weight ${indexText(shapeOf(layer.kernel))} · output ${indexText(outputShape(model))}`);
    shapes.title = 'Shapes as PyTorch reads them: input [N, C_in, H, W] or [C_in, H, W]; weight [C_in, C_out/groups, kH, kW]';
    bar.append(shapes);
    this.element = bar;
  }

  /** Follows the player: the input channel whose products it is adding. */
  show(inChannel: number): void {
    this.inSelect.value = String(inChannel);
  }
}

const shapeOf = (m: { readonly lead?: readonly number[]; readonly rows: number; readonly cols: number }): number[] => [...(m.lead ?? []), m.rows, m.cols];

/** The output's shape in the input's rank: `[N, C_out, H, W]` or `[C_out, H, W]`. */
function outputShape(model: ReadyModel): number[] {
  const { layer, channels, outRows, outCols } = model;
  return (layer.input.lead?.length ?? 0) === 2 ? [channels.batch, channels.outChannels, outRows, outCols] : [channels.outChannels, outRows, outCols];
}

/** More input channels than this are summed but not drawn one by one. */
const MAX_DRAWN_CHANNELS = 8;

/**
 * The output channel as the sum of its input channels' contributions: each channel alone (its plane
 * transposed-convolved with its kernel slice), `+` between them, `=` the output; below, the running
 * total after each channel as the layer adds them. The channel the player is on is marked.
 */
export class ChannelContributionsDrawing {
  readonly element: HTMLElement;
  private readonly columns: { readonly inChannel: number; readonly alone: HTMLElement; readonly sum: HTMLElement }[] = [];

  constructor(model: ReadyModel) {
    const { contributions, outRows, outCols, trace, selection, channels } = model;
    const section = element('section', 'channel-sums');
    section.setAttribute('aria-label', 'Sum over input channels');
    const heading = element('h2', 'section-title');
    const n = contributions.length;
    heading.textContent = `Sum over input channels: output channel ${selection.outChannel} adds up ${n === 1 ? 'its one input channel' : `its ${n} input channels`}`;
    const drawn = contributions.slice(0, MAX_DRAWN_CHANNELS);
    const values: number[] = [...trace.output.data];
    for (const c of drawn) values.push(...c.alone, ...c.sumSoFar);
    const scale = divergingScale(values);
    const grid = (role: string, title: string, data: Float64Array, caption: string): HeatmapGrid => {
      const g = new HeatmapGrid({ role, title, rows: outRows, cols: outCols });
      g.setValues(data, scale);
      g.setCaption(caption);
      return g;
    };
    const aloneRow = element('div', 'grids');
    const sumRow = element('div', 'grids');
    drawn.forEach((c, k) => {
      const slice = channels.groups > 1 || channels.outPerGroup > 1 ? `, kernel slice ${indexText([c.inChannel, selection.outChannel % channels.outPerGroup])}` : '';
      const alone = grid(`channel-alone-${c.inChannel}`, `Input channel ${c.inChannel} alone`, c.alone, `its plane${slice}`).element;
      const sum = grid(`channel-sum-${c.inChannel}`, k === 0 ? `After channel ${c.inChannel}` : `After channels ${drawn[0]?.inChannel}–${c.inChannel}`, c.sumSoFar, k === n - 1 ? 'the output channel' : 'running total').element;
      aloneRow.append(k === 0 ? alone : withOperator('+', 'plus', alone));
      sumRow.append(k === 0 ? sum : withOperator('→', 'then', sum));
      this.columns.push({ inChannel: c.inChannel, alone, sum });
    });
    const output = grid('channel-output', `Output channel ${selection.outChannel}`, trace.output.data, 'the layer’s output');
    aloneRow.append(withOperator('=', 'equals', output.element));
    // One input channel is its own running total: the second row would repeat the first.
    section.append(heading, aloneRow, ...(n > 1 ? [sumRow] : []));
    if (n > drawn.length) section.append(span('hint', `The first ${drawn.length} of ${n} input channels are drawn; the output adds all ${n}.`));
    this.element = section;
  }

  /** Marks the channel the player is adding, and the ones it has finished. */
  show(inChannel: number, step: number): void {
    for (const column of this.columns) {
      const current = step > 0 && column.inChannel === inChannel;
      column.alone.classList.toggle('channel-current', current);
      column.sum.classList.toggle('channel-current', current);
    }
  }
}

const SVG = 'http://www.w3.org/2000/svg';
/** Beyond this many channels on a side, the groups map is described but not drawn. */
const MAX_DIAGRAM_CHANNELS = 64;
const ROW = 26;
const WIDTH = 300;

/**
 * The groups map: input channels on the left, output channels on the right, a line for every kernel
 * slice joining them. Standard is a full bipartite graph, grouped is one block per group, depthwise
 * is one input per group. The lines into the shown output channel are highlighted; clicking an output
 * channel shows it.
 */
export class GroupsDrawing {
  readonly element: HTMLElement;

  constructor(model: GroupsModel, onSelect?: (outChannel: number) => void) {
    const { channels, selection } = model;
    const section = element('section', 'groups');
    section.setAttribute('aria-label', 'Groups');
    section.dataset.groups = String(channels.groups);
    const heading = element('h2', 'section-title');
    heading.textContent = 'Groups: which input channels feed which output channels';
    const sentence = element('p', 'groups-sentence');
    sentence.textContent = describeGroups(channels);
    section.append(heading, sentence);
    if (Math.max(channels.inChannels, channels.outChannels) <= MAX_DIAGRAM_CHANNELS) section.append(this.diagram(model, onSelect));
    const feeding = inChannelsFeeding(channels, selection.outChannel);
    const note = element('p', 'groups-selected');
    note.textContent = `Output channel ${selection.outChannel} is fed by input channel${feeding.length === 1 ? '' : 's'} ${feeding.join(', ')} (highlighted).`;
    section.append(note);
    this.element = section;
  }

  private diagram(model: GroupsModel, onSelect?: (outChannel: number) => void): SVGSVGElement {
    const { channels, selection } = model;
    const rows = Math.max(channels.inChannels, channels.outChannels);
    const height = rows * ROW + 30;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'groups-diagram');
    svg.setAttribute('width', String(WIDTH));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', describeGroups(channels));
    const y = (index: number, count: number): number => 30 + (rows - count) * (ROW / 2) + index * ROW + ROW / 2;
    const left = 70;
    const right = WIDTH - 70;
    const add = <K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] => {
      const node = document.createElementNS(SVG, tag);
      for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
      if (text !== undefined) node.textContent = text;
      svg.append(node);
      return node;
    };
    add('text', { x: left, y: 14, 'text-anchor': 'middle', class: 'groups-axis' }, 'input');
    add('text', { x: right, y: 14, 'text-anchor': 'middle', class: 'groups-axis' }, 'output');
    for (const [ci, co] of groupEdges(channels)) {
      const active = co === selection.outChannel;
      add('line', { x1: left + 8, y1: y(ci, channels.inChannels), x2: right - 8, y2: y(co, channels.outChannels), class: `groups-edge${active ? ' active' : ''}`, 'data-edge': `${ci}-${co}` });
    }
    const node = (x: number, yy: number, label: string, className: string, anchor: 'end' | 'start'): void => {
      add('circle', { cx: x, cy: yy, r: 6, class: className });
      add('text', { x: anchor === 'end' ? x - 12 : x + 12, y: yy + 4, 'text-anchor': anchor, class: 'groups-label' }, label);
    };
    for (let ci = 0; ci < channels.inChannels; ci++) node(left, y(ci, channels.inChannels), `in ${ci}`, `groups-node group-${groupOfInChannel(channels, ci) % 6}`, 'end');
    for (let co = 0; co < channels.outChannels; co++) {
      node(right, y(co, channels.outChannels), `out ${co}`, `groups-node out group-${Math.floor(co / channels.outPerGroup) % 6}${co === selection.outChannel ? ' active' : ''}`, 'start');
    }
    if (onSelect) {
      svg.addEventListener('click', (event) => {
        const target = event.target as Element;
        const label = target.textContent?.match(/^out (\d+)$/);
        if (label) onSelect(Number(label[1]));
      });
    }
    return svg;
  }
}
