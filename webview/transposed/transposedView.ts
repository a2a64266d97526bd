/**
 * The drawing of one transposed convolution: the parameters form, the step player over input,
 * kernel and output, the products behind a picked output cell, the overlap map and the output-size
 * formulas. It owns its DOM and its timer; `dispose` stops both.
 */
import type { OperandRole, TransposedChannelSelection, TransposedConvolutionLayer, TransposedConvolutionParams } from '../../src/core/protocol/transposed';
import { indexText, inputPlaneIndex, kernelPlaneIndex, stepAfterInChannel } from './channels';
import { ChannelContributionsDrawing, ChannelSelectors, GroupsDrawing } from './channelView';
import { divergingScale, type DivergingScale } from '../shared/colorScale';
import { formatCellValue } from '../shared/format';
import { GatherDrawing } from './gatherForm';
import { element, HeatmapGrid, span, withOperator } from '../shared/grid';
import { addedCells, buildTransposedModel, cellNamer, describeContributions, describeOverlap, describeStep, type CellNamer, type TransposedModel } from './transposedModel';
import { formatPair, parseGroupsText, parsePairText } from '../shared/params';
import { initialPlayer, playerReducer, type PlayerAction, type PlayerState } from '../shared/player';
import { PlayerControls, playerActionForKey, PlayTimer } from '../shared/playerControls';

type ReadyModel = Extract<TransposedModel, { kind: 'ready' }>;

/** The UI state the panel keeps across restarts. */
export interface TransposedViewState {
  readonly step: number;
  readonly speed: number;
  readonly selectedCell?: readonly [number, number];
  /** The image and output channel shown, for a layer with channel axes. */
  readonly channels?: TransposedChannelSelection;
}

export interface TransposedViewEvents {
  /** The user changed the parameters to ones the engine accepts. */
  paramsChanged(params: TransposedConvolutionParams): void;
  /** Something worth keeping changed (debounced). */
  stateChanged(layer: TransposedConvolutionLayer, state: TransposedViewState): void;
  /** The user asked to edit an input or kernel cell (double-click, Enter or F2); `plane` is its matrix's index on the leading axes. */
  editCell(operand: OperandRole, plane: readonly number[], row: number, col: number, cell: HTMLElement): void;
}

/** The parameters given per axis; `groups` is one number and has its own field. */
type PairParam = Exclude<keyof TransposedConvolutionParams, 'groups'>;

const PARAM_FIELDS: readonly { readonly key: PairParam; readonly label: string; readonly help: string }[] = [
  { key: 'stride', label: 'stride', help: 'How far each pasted kernel moves in the output' },
  { key: 'padding', label: 'padding', help: 'Rows and columns cropped from every side of the full result' },
  { key: 'outputPadding', label: 'output padding', help: 'Rows added at the bottom and columns at the right' },
  { key: 'dilation', label: 'dilation', help: 'Spacing between the kernel taps' },
];

const SAVE_DELAY_MS = 300;

export class TransposedView {
  private model: TransposedModel;
  private player: PlayerState;
  private selected: readonly [number, number] | undefined;
  /** The image and output channel last shown: kept while the parameters are invalid, for when they are fixed. */
  private planeSelection: TransposedChannelSelection | undefined;
  private readonly timer = new PlayTimer(() => this.dispatch({ type: 'tick' }));
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly formError: HTMLElement;
  private readonly body: HTMLElement;
  private readonly fields = new Map<PairParam, HTMLInputElement>();
  private groupsField: HTMLInputElement | undefined;
  private drawing: StepDrawing | undefined;
  private gather: GatherDrawing | undefined;
  private selectors: ChannelSelectors | undefined;
  private sums: ChannelContributionsDrawing | undefined;
  private deferred: number | undefined;
  private readonly onKey = (event: KeyboardEvent): void => this.keyDown(event);

  constructor(
    private readonly root: HTMLElement,
    model: TransposedModel,
    state: TransposedViewState,
    private readonly events: TransposedViewEvents,
  ) {
    this.model = model.kind === 'ready' && state.channels ? model.select(state.channels) : model;
    this.planeSelection = this.model.kind === 'ready' ? this.model.selection : state.channels;
    this.player = initialPlayer(model.kind === 'ready' ? model.trace.stepCount : 0, state.step, state.speed);
    this.selected = state.selectedCell;
    const header = element('header', 'panel-header');
    const title = element('h1', 'panel-title');
    title.textContent = 'Transposed convolution';
    header.append(title);
    if (model.layer.source) header.append(span('source', model.layer.source));
    header.append(this.paramsForm(model.layer.params));
    this.formError = element('div', 'form-error');
    this.formError.setAttribute('role', 'alert');
    this.body = element('div', 'layer-body');
    root.append(header, this.formError, this.body);
    document.addEventListener('keydown', this.onKey);
    this.render();
    this.scheduleSave();
  }

  /** The model and the player's position, for exporting what the view shows. */
  current(): { readonly model: TransposedModel; readonly step: number; readonly speed: number } {
    return { model: this.model, step: this.player.step, speed: this.player.speed };
  }

  dispose(): void {
    this.timer.stop();
    if (this.deferred !== undefined) cancelAnimationFrame(this.deferred);
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    document.removeEventListener('keydown', this.onKey);
  }

  private paramsForm(params: TransposedConvolutionParams): HTMLElement {
    const form = element('form', 'params');
    form.setAttribute('aria-label', 'Parameters');
    form.addEventListener('submit', (event) => event.preventDefault());
    for (const field of PARAM_FIELDS) {
      const label = element('label', 'param');
      label.dataset.param = String(field.key);
      label.title = `${field.help}: one number, or height and width (“2, 1”)`;
      const input = element('input', 'param-input');
      input.type = 'text';
      input.inputMode = 'numeric';
      input.spellcheck = false;
      input.value = formatPair(params[field.key]);
      input.size = 4;
      input.addEventListener('change', () => this.paramsEdited());
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') this.paramsEdited();
      });
      label.append(span('param-name', field.label), input);
      this.fields.set(field.key, input);
      form.append(label);
    }
    // Groups only mean something with channels: a plain matrix is one channel in, one out.
    if (hasChannels(this.model.layer)) {
      const label = element('label', 'param');
      label.dataset.param = 'groups';
      label.title = 'Groups: input and output channels split into this many groups, each output fed only by its own group’s inputs (1 standard, = input channels depthwise)';
      const input = element('input', 'param-input');
      input.type = 'text';
      input.inputMode = 'numeric';
      input.spellcheck = false;
      input.value = String(params.groups ?? 1);
      input.size = 4;
      input.addEventListener('change', () => this.paramsEdited());
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') this.paramsEdited();
      });
      label.append(span('param-name', 'groups'), input);
      this.groupsField = input;
      form.append(label);
    }
    return form;
  }

  private paramsEdited(): void {
    const params: Partial<Record<PairParam, readonly [number, number]>> = {};
    for (const field of PARAM_FIELDS) {
      const input = this.fields.get(field.key) as HTMLInputElement;
      const read = parsePairText(field.label.replace(' ', '_'), input.value);
      input.toggleAttribute('aria-invalid', !read.ok);
      if (!read.ok) {
        this.showFormError(read.message);
        return;
      }
      params[field.key] = read.pair;
    }
    let groups: number | undefined;
    if (this.groupsField) {
      const read = parseGroupsText(this.groupsField.value);
      this.groupsField.toggleAttribute('aria-invalid', !read.ok);
      if (!read.ok) {
        this.showFormError(read.message);
        return;
      }
      groups = read.groups;
    }
    const next = { ...this.model.layer, params: { ...(params as TransposedConvolutionParams), ...(groups !== undefined ? { groups } : {}) } };
    const wasInvalid = this.model.kind === 'invalid';
    this.model = buildTransposedModel(next, this.planeSelection);
    if (this.model.kind === 'ready') this.planeSelection = this.model.selection;
    this.player = playerReducer(this.player, { type: 'reset', stepCount: this.model.kind === 'ready' ? this.model.trace.stepCount : 0 });
    // Parameters fixed after an error open on the result, as a new layer does.
    if (wasInvalid) this.player = playerReducer(this.player, { type: 'end' });
    this.selected = undefined;
    this.render();
    if (this.model.kind === 'ready') this.events.paramsChanged(next.params);
    this.scheduleSave();
  }

  private showFormError(message: string | undefined): void {
    this.formError.textContent = message ?? '';
    this.formError.hidden = message === undefined;
  }

  /** Rebuilds the body for the current model. */
  private render(): void {
    this.timer.stop();
    if (this.deferred !== undefined) cancelAnimationFrame(this.deferred);
    this.deferred = undefined;
    this.body.replaceChildren();
    this.drawing = undefined;
    this.gather = undefined;
    this.selectors = undefined;
    this.sums = undefined;
    const model = this.model;
    if (model.kind === 'invalid') {
      this.showFormError(model.message);
      this.body.append(operands(model.layer, this.events.editCell));
      return;
    }
    this.showFormError(undefined);
    if (model.channels.multiChannel) {
      this.selectors = new ChannelSelectors(model, {
        select: (selection) => this.selectPlane(selection),
        inChannel: (inChannel) => this.dispatch({ type: 'seek', step: stepAfterInChannel(model.planeSteps, inChannel) }),
      });
      this.body.append(this.selectors.element);
    }
    this.drawing = new StepDrawing(model, (row, col) => this.pick(row, col), (action) => this.dispatch(action), this.events.editCell);
    this.body.append(this.drawing.element);
    this.update();
    // The player and its answer paint first; the sections below it are built once that frame is
    // on screen (two frames later: the first frame's callbacks run before its paint).
    const drawing = this.drawing;
    this.deferred = requestAnimationFrame(() => {
      this.deferred = requestAnimationFrame(() => {
        this.deferred = undefined;
        if (this.drawing !== drawing) return;
        this.gather = model.gather ? new GatherDrawing(model) : undefined;
        const channelSections: HTMLElement[] = [];
        if (model.channels.multiChannel) {
          this.sums = new ChannelContributionsDrawing(model);
          channelSections.push(this.sums.element, new GroupsDrawing(model, (outChannel) => this.selectPlane({ ...model.selection, outChannel })).element);
        }
        this.body.append(...channelSections, ...(this.gather ? [this.gather.element] : []), overlapSection(model), formulaSection(model));
        this.update();
      });
    });
  }

  /** Shows another image or output channel: the player keeps its place within the plane. */
  private selectPlane(selection: TransposedChannelSelection): void {
    if (this.model.kind !== 'ready') return;
    // The selectors are rebuilt: the one in use keeps the keyboard focus.
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-channel]')?.dataset.channel;
    this.model = this.model.select(selection);
    if (this.model.kind === 'ready') this.planeSelection = this.model.selection;
    this.render();
    if (focused) this.root.querySelector<HTMLSelectElement>(`[data-channel="${focused}"] select`)?.focus();
    this.scheduleSave();
  }

  /**
   * Picks output cell (row, col) of the plane shown, lists the products that made it and brings
   * that list into view; a cell outside the output is ignored.
   */
  selectCell(row: number, col: number): void {
    if (this.model.kind !== 'ready') return;
    if (row >= this.model.outRows || col >= this.model.outCols) return;
    this.selected = [row, col];
    this.update();
    this.scheduleSave();
    this.root.querySelector<HTMLElement>('.cell-view')?.scrollIntoView({ block: 'nearest' });
  }

  private pick(row: number, col: number): void {
    const same = this.selected && this.selected[0] === row && this.selected[1] === col;
    this.selected = same ? undefined : [row, col];
    this.update();
    this.scheduleSave();
  }

  private dispatch(action: PlayerAction): void {
    const before = this.player;
    this.player = playerReducer(before, action);
    this.timer.sync(before, this.player);
    if (this.player !== before) this.update();
    if (!this.player.playing) this.scheduleSave();
  }

  private update(): void {
    this.drawing?.show(this.player, this.selected);
    if (this.model.kind !== 'ready') return;
    const inChannel = this.model.inChannelAt(this.player.step);
    this.selectors?.show(inChannel);
    this.sums?.show(inChannel, this.player.step);
    this.gather?.show(this.player.step > 0 ? this.model.trace.step(this.player.step - 1) : undefined, this.selected, inChannel);
  }

  private keyDown(event: KeyboardEvent): void {
    const action = playerActionForKey(event);
    if (!action || !this.drawing) return;
    event.preventDefault();
    this.dispatch(action);
  }

  private scheduleSave(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const channels = this.model.kind === 'ready' && this.model.channels.multiChannel ? { channels: this.model.selection } : {};
      this.events.stateChanged(this.model.layer, { step: this.player.step, speed: this.player.speed, ...(this.selected ? { selectedCell: this.selected } : {}), ...channels });
    }, SAVE_DELAY_MS);
  }
}

/** The step player and the three grids it drives, with the per-cell view beside the output. */
class StepDrawing {
  readonly element: HTMLElement;
  private readonly input: HeatmapGrid;
  private readonly kernel: HeatmapGrid;
  private readonly output: HeatmapGrid;
  private readonly outputBuffer: Float64Array;
  private readonly outputScale: DivergingScale;
  private readonly kernelScale: DivergingScale;
  private readonly scaledKernel: Float64Array;
  private readonly sentence: HTMLElement;
  private readonly products: HTMLOListElement;
  private readonly cellView: HTMLElement;
  private readonly controls: PlayerControls;
  private readonly edgeCells: number[];
  private readonly inputScale: DivergingScale;
  private readonly names: CellNamer;
  /** The input channel whose plane and kernel slice the grids show. */
  private inChannel: number;

  constructor(
    private readonly model: ReadyModel,
    onPick: (row: number, col: number) => void,
    dispatch: (action: PlayerAction) => void,
    onEdit: TransposedViewEvents['editCell'],
  ) {
    const { layer, trace, outRows, outCols } = model;
    const section = element('section', 'steps');
    section.setAttribute('aria-label', 'Step by step');
    const heading = element('h2', 'section-title');
    heading.textContent = 'Step by step: each input value pastes a scaled kernel';
    this.inChannel = model.inChannelAt(0);
    this.names = cellNamer(model);
    [this.input, this.kernel] = operandGrids(layer, (operand, row, col, cell) => onEdit(operand, this.planeIndex(operand), row, col, cell));
    this.output = new HeatmapGrid({
      role: 'output',
      title: model.channels.multiChannel ? `Output ${outputName(model)}` : 'Output',
      rows: outRows,
      cols: outCols,
      onPick,
      describe: (r, c, v) => `output row ${r}, column ${c}: ${formatCellValue(v)}; press Enter to list its products`,
    });
    // One colour scale for every channel of an operand, so a colour means the same value in each.
    this.inputScale = divergingScale(layer.input.data);
    this.showChannel(this.inChannel, true);
    this.outputScale = divergingScale(trace.output.data);
    this.kernelScale = { maxAbs: divergingScale(layer.kernel.data).maxAbs * divergingScale(layer.input.data).maxAbs };
    this.scaledKernel = new Float64Array(layer.kernel.data.length);
    this.outputBuffer = new Float64Array(outRows * outCols);
    this.edgeCells = outputPaddingCells(model);

    const grids = element('div', 'grids');
    grids.append(this.input.element, withOperator('⊛ᵀ', 'transposed convolution with', this.kernel.element), withOperator('=', 'equals', this.output.element));
    this.cellView = element('aside', 'cell-view');
    this.cellView.setAttribute('aria-live', 'polite');
    grids.append(this.cellView);

    this.controls = new PlayerControls(trace.stepCount, dispatch);
    const description = element('div', 'step-description');
    this.sentence = element('p', 'step-sentence');
    this.products = element('ol', 'step-products');
    this.products.setAttribute('aria-label', 'Products added at this step');
    description.append(this.sentence, this.products);
    section.append(heading, grids, this.controls.element, description, edgeNote(model));
    this.element = section;
  }

  /** Which input and kernel slice an edit of a shown cell changes. */
  private planeIndex(operand: OperandRole): readonly number[] {
    const { layer, channels, selection } = this.model;
    return operand === 'input' ? inputPlaneIndex(layer, selection.batch, this.inChannel) : kernelPlaneIndex(layer, channels, this.inChannel, selection.outChannel);
  }

  /** Shows input channel `inChannel`'s plane and its kernel slice to the selected output channel. */
  private showChannel(inChannel: number, force = false): void {
    if (inChannel === this.inChannel && !force) return;
    this.inChannel = inChannel;
    this.input.setValues(this.model.inputPlane(inChannel), this.inputScale);
    this.kernel.setValues(this.model.kernelPlane(inChannel));
    if (this.model.channels.multiChannel) {
      this.input.setTitle(`Input ${indexText(this.planeIndex('input'))}`);
      this.kernel.setTitle(`Kernel ${indexText(this.planeIndex('kernel'))}`);
    }
  }

  show(player: PlayerState, selected: readonly [number, number] | undefined): void {
    const { trace, outCols, layer } = this.model;
    this.showChannel(this.model.inChannelAt(player.step));
    const kernelPlane = this.model.kernelPlane(this.inChannel);
    trace.outputAfterSteps(player.step, this.outputBuffer);
    this.output.setValues(this.outputBuffer, this.outputScale);
    this.output.mark('added-edge', this.edgeCells);
    this.controls.show(player);
    if (player.step === 0) {
      this.input.mark('current', []);
      this.output.mark('window', []);
      this.output.mark('changed', []);
      this.kernel.setValues(kernelPlane);
      this.kernel.setCaption('');
      this.output.setCaption('nothing added yet');
      this.sentence.textContent = `Step 0 of ${trace.stepCount}: the output starts at zero. Step forward (→) to add the first input value’s scaled kernel.`;
      this.products.replaceChildren();
    } else {
      const step = trace.step(player.step - 1);
      const v = step.input.value;
      for (let i = 0; i < this.scaledKernel.length; i++) this.scaledKernel[i] = (kernelPlane[i] as number) * v;
      this.kernel.setValues(this.scaledKernel, this.kernelScale);
      this.kernel.setCaption(`× ${formatCellValue(v)}, the value of ${this.names('input', step.input.channel, step.input.row, step.input.col)}`);
      this.input.mark('current', [step.input.row * layer.input.cols + step.input.col]);
      const added = addedCells(step, outCols);
      this.output.mark('window', added);
      this.output.mark('changed', added);
      this.output.setCaption(`partial sums after ${player.step} of ${trace.stepCount} steps`);
      const { sentence, products } = describeStep(step, trace.stepCount, this.names);
      this.sentence.textContent = sentence;
      this.products.replaceChildren(...products.map((text) => {
        const item = element('li', text.startsWith('+') ? 'product' : 'product cropped');
        item.textContent = text;
        return item;
      }));
    }
    this.showCell(player, selected);
  }

  private showCell(player: PlayerState, selected: readonly [number, number] | undefined): void {
    const { trace, layer, outCols } = this.model;
    if (!selected) {
      this.output.mark('selected', []);
      this.input.mark('selected', []);
      this.cellView.replaceChildren(span('cell-hint', 'Click an output cell to list the products that made it.'));
      return;
    }
    const [row, col] = selected;
    const cell = trace.contributionsTo({ n: 0, channel: 0, row, col });
    this.output.mark('selected', [row * outCols + col]);
    // The input cells of the channel shown; products from other channels are listed, not marked.
    this.input.mark('selected', cell.contributions.filter((c) => c.input.channel === this.inChannel).map((c) => c.input.row * layer.input.cols + c.input.col));
    const { heading, lines } = describeContributions(cell, this.names);
    const title = element('h3', 'cell-title');
    title.textContent = heading;
    const list = element('ol', 'cell-products');
    cell.contributions.forEach((contribution, k) => {
      const item = element('li', 'cell-product');
      item.textContent = lines[k] as string;
      // Products not added yet at this step are shown faded.
      item.classList.toggle('pending', contribution.step >= player.step);
      list.append(item);
    });
    this.cellView.replaceChildren(title, list);
  }
}

/** Play, pause, step, jump, scrub and speed, with codicons and ARIA labels. */
/** The overlap map: counts per output cell with the stride tile outlined, the measures and the verdict, and the all-ones response. */
function overlapSection(model: ReadyModel): HTMLElement {
  const { overlap, outRows, outCols } = model;
  const section = element('section', 'overlap');
  section.setAttribute('aria-label', 'Overlap');
  const heading = element('h2', 'section-title');
  heading.textContent = 'Overlap: how many products land in each output cell';
  const verdict = element('p', `verdict ${overlap.verdict.even ? 'even' : 'uneven'}`);
  verdict.dataset.verdict = overlap.verdict.kind;
  verdict.append(span(`codicon codicon-${overlap.verdict.even ? 'pass' : 'warning'}`, ''), ' ', span('verdict-text', overlap.verdict.reason));
  const measures = element('ul', 'measures');
  for (const line of describeOverlap(overlap)) {
    const item = element('li', 'measure');
    item.textContent = line;
    measures.append(item);
  }
  const counts = new HeatmapGrid({ role: 'counts', title: 'Products per cell', rows: outRows, cols: outCols, describe: (r, c, v) => `row ${r}, column ${c}: ${v} ${v === 1 ? 'product' : 'products'}` });
  counts.setValues(overlap.counts.data);
  const tile = tileCells(model);
  counts.mark('tile', tile);
  if (tile.length > 0) counts.setCaption(`the outlined ${overlap.countTile.shape.join(' × ')} tile repeats across the interior`);
  const response = new HeatmapGrid({ role: 'response', title: 'Response to an all-ones input', rows: outRows, cols: outCols });
  response.setValues(overlap.kernelResponse.data);
  response.setCaption('what this kernel paints on a constant image');
  const grids = element('div', 'grids');
  grids.append(counts.element, response.element);
  section.append(heading, verdict, measures, grids);
  return section;
}

/** One period of the interior: the stride tile whose counts repeat. */
function tileCells(model: ReadyModel): number[] {
  const { overlap, outCols } = model;
  if (!overlap.interior) return [];
  const [th, tw] = overlap.countTile.shape as [number, number];
  const cells: number[] = [];
  const { rows, cols } = overlap.interior;
  for (let r = rows.start; r < Math.min(rows.end, rows.start + th); r++) for (let c = cols.start; c < Math.min(cols.end, cols.start + tw); c++) cells.push(r * outCols + c);
  return cells;
}

/** The output rows and columns `output_padding` adds (at the bottom and right). */
function outputPaddingCells(model: ReadyModel): number[] {
  const [oh, ow] = model.layer.params.outputPadding;
  const cells: number[] = [];
  for (let r = 0; r < model.outRows; r++) {
    for (let c = 0; c < model.outCols; c++) if (r >= model.outRows - oh || c >= model.outCols - ow) cells.push(r * model.outCols + c);
  }
  return cells;
}

/** Says where `padding` crops and where `output_padding` adds, on which sides. */
function edgeNote(model: ReadyModel): HTMLElement {
  const { layer, outRows, outCols } = model;
  const [ph, pw] = layer.params.padding;
  const [oh, ow] = layer.params.outputPadding;
  const note = element('ul', 'edge-note');
  const add = (text: string): void => {
    const item = element('li', '');
    item.textContent = text;
    note.append(item);
  };
  if (ph > 0 || pw > 0) {
    const fullRows = outRows + 2 * ph - oh;
    const fullCols = outCols + 2 * pw - ow;
    add(`padding ${formatPair(layer.params.padding)} crops ${plural(ph, 'row')} at the top and bottom and ${plural(pw, 'column')} at the left and right of the full ${fullRows} × ${fullCols} result; products landing there are listed as cropped.`);
  }
  if (oh > 0 || ow > 0) add(`output_padding ${formatPair(layer.params.outputPadding)} adds ${plural(oh, 'row')} at the bottom and ${plural(ow, 'column')} at the right (outlined), which only later input rows or columns can reach.`);
  note.hidden = note.childElementCount === 0;
  return note;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

function formulaSection(model: ReadyModel): HTMLElement {
  const section = element('section', 'formulas');
  const heading = element('h2', 'section-title');
  heading.textContent = 'Output size';
  section.append(heading);
  for (const text of model.formulas) {
    const line = element('code', 'formula');
    line.textContent = text;
    section.append(line);
  }
  return section;
}

/** Whether the operands were written with channel axes. */
const hasChannels = (layer: TransposedConvolutionLayer): boolean => layer.input.lead !== undefined || layer.kernel.lead !== undefined;

/** `[0, 1]` (image, output channel) or `[1]` (output channel): the plane the output grid shows. */
function outputName(model: ReadyModel): string {
  const { selection, layer } = model;
  return indexText((layer.input.lead?.length ?? 0) === 2 ? [selection.batch, selection.outChannel] : [selection.outChannel]);
}

/** The input and kernel grids, whose cells open the cell editor. */
function operandGrids(layer: TransposedConvolutionLayer, onEdit: (operand: OperandRole, row: number, col: number, cell: HTMLElement) => void): [HeatmapGrid, HeatmapGrid] {
  const grid = (operand: OperandRole, title: string): HeatmapGrid =>
    new HeatmapGrid({ role: operand, title, rows: layer[operand].rows, cols: layer[operand].cols, onEdit: (row, col, cell) => onEdit(operand, row, col, cell) });
  return [grid('input', 'Input'), grid('kernel', 'Kernel')];
}

/** Input and kernel alone, for a layer whose parameters the engine rejects. */
function operands(layer: TransposedConvolutionLayer, onEdit: TransposedViewEvents['editCell']): HTMLElement {
  // The first plane of each operand: enough to see what was rejected, and editable.
  const first = (lead: readonly number[] | undefined) => (lead ?? []).map(() => 0);
  const [input, kernel] = operandGrids(layer, (operand, row, col, cell) => onEdit(operand, first(layer[operand].lead), row, col, cell));
  input.setValues(layer.input.data.subarray(0, layer.input.rows * layer.input.cols));
  kernel.setValues(layer.kernel.data.subarray(0, layer.kernel.rows * layer.kernel.cols));
  const grids = element('div', 'grids');
  grids.append(input.element, withOperator('⊛ᵀ', 'transposed convolution with', kernel.element));
  return grids;
}
