/**
 * The model view's front end: a model's forward() step by step (grouped by submodule, runs of
 * one class collapsible as "Down ×4"), its skip connections drawn as arcs in a gutter beside the
 * table, the totals (parameters, multiply-adds, activation memory for a batch size), the receptive
 * field, the input sizes that work (click one to run it) and an input-shape box. Every message is
 * checked against the shared protocol; the host does the analysis, the page only draws.
 */
import { assertNever } from '../../src/core/protocol/common';
import { isToModelMessage, type FromModelMessage, type ModelArgument, type ModelGroup, type ModelRow, type ModelSnapshot, type ModelTable, type PersistedModelState, type ToModelMessage } from '../../src/core/protocol/model';
import { inputShapeText, parseInputShape } from '../../src/core/insight/modelInput';
import { connectPage } from '../shared/connectPage';
import { NoticeLine } from '../shared/noticeLine';
import { element, span } from '../shared/grid';

const SVG = 'http://www.w3.org/2000/svg';
const app = document.getElementById('app') as HTMLElement;
const notice = new NoticeLine('model-notice');
/** Groups the user collapsed, by label: kept while the view redraws after an edit. */
const collapsed = new Set<string>();
/** Whether the shape cells show the formulas in named sizes above the numbers (else the numbers only). */
let showFormulas = true;
/** The batch size the activation memory is shown for (the input's N until changed). */
let batch: number | undefined;

const vscode = connectPage<ToModelMessage, FromModelMessage, PersistedModelState>('model view', isToModelMessage, {
  show: (message) => {
    vscode.keep(message.keep);
    show(message.snapshot);
  },
  notice: (message) => notice.set(message.tone, message.text),
});

function show(snapshot: ModelSnapshot): void {
  app.replaceChildren();
  switch (snapshot.kind) {
    case 'empty':
      app.append(span('model-empty', 'Run “Layer Lens: Inspect Model” on a class …(nn.Module).'));
      return;
    case 'invalid': {
      const list = element('ul', 'model-problems');
      for (const problem of snapshot.problems) list.append(Object.assign(element('li', ''), { textContent: problem }));
      app.append(list);
      return;
    }
    case 'ready': {
      const t = snapshot.table;
      app.append(header(t), inputForm(t));
      if (t.builtWith) app.append(argumentsForm(t.builtWith));
      app.append(notice.create());
      if (t.problem) app.append(problemBanner(t));
      app.append(facts(t), ...shapeSwitch(t), stepsTable(t), skipList(t));
      return;
    }
    default:
      assertNever(snapshot);
  }
}

const grouped = (n: number): string => n.toLocaleString('en-US');

function short(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} G`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e4) return `${(n / 1e3).toPrecision(3)} k`;
  return String(n);
}

function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toPrecision(3)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toPrecision(3)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toPrecision(3)} KiB`;
  return `${n} B`;
}

/** The input as the model's framework writes shapes: `[1, 3, 64, 64]`, or Keras's `(None, 64, 64, 3)` with the batch size said. */
function inputText(t: ModelTable): string {
  if (t.framework !== 'keras') return `[${t.inputShape.join(', ')}]`;
  return `(None, ${t.inputShape.slice(1).join(', ')}), batch ${t.inputShape[0] ?? 1}`;
}

function header(t: ModelTable): HTMLElement {
  const head = element('header', 'model-header');
  const title = element('h1', 'model-title');
  title.textContent = `Model ${t.className}`;
  const summary = element('p', 'model-summary');
  const failed = t.rows.findIndex((row) => row.status === 'failed');
  const steps = failed >= 0 ? `${failed} of ${t.rows.length} steps run (stops at #${failed + 1})` : `${t.rows.length} steps`;
  summary.textContent = `${steps} · input ${inputText(t)} (${t.inputSource}) → output ${t.output}`;
  head.append(title, span('model-source', t.source), summary);
  return head;
}

function inputForm(t: ModelTable): HTMLElement {
  const form = element('form', 'model-input');
  const label = element('label', '');
  label.textContent = 'Input shape ';
  const box = element('input', 'model-input-box');
  box.type = 'text';
  box.value = inputShapeText(t.inputShape);
  const keras = t.framework === 'keras';
  box.setAttribute('aria-label', keras ? 'Input shape: N, H, W, C' : 'Input shape: N, C, H, W');
  box.title = `${keras ? 'N, H, W, C (channels last)' : 'N, C, H, W'} — or H×W, or one side for a square image`;
  const run = element('button', 'model-button');
  run.type = 'submit';
  run.append(span('codicon codicon-play', ''), span('', ' Run'));
  const problem = span('model-input-problem', '');
  label.append(box);
  form.append(label, run, problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const parsed = parseInputShape(box.value, t.inputShape, keras);
    problem.textContent = parsed.ok ? '' : parsed.reason;
    if (parsed.ok) vscode.post({ type: 'setInput', shape: parsed.shape });
  });
  return form;
}

/** Where an argument's value comes from, in words. */
function originText(a: ModelArgument): string {
  switch (a.origin) {
    case 'given':
      return 'given here';
    case 'call':
      return `from ${a.where ?? 'a call'}`;
    case 'default':
      return 'default';
    case 'missing':
      return 'required: no default and no call found';
    default:
      return assertNever(a.origin);
  }
}

/**
 * The constructor's arguments, each editable: what the class is built with and where each value
 * comes from. A value changed here is given (remembered for the class); the others keep following
 * the workspace's calls and the defaults. Reset forgets what was given.
 */
function argumentsForm(built: NonNullable<ModelTable['builtWith']>): HTMLElement {
  const form = element('form', 'model-args');
  form.setAttribute('aria-label', 'Constructor arguments');
  const title = span('model-args-title', 'Built with');
  title.title = built.call;
  const fields = element('div', 'model-args-fields');
  const boxes: { readonly argument: ModelArgument; readonly box: HTMLInputElement }[] = [];
  for (const argument of built.arguments) {
    const field = element('label', `model-arg ${argument.origin}`);
    const box = element('input', 'model-arg-box');
    box.type = 'text';
    box.value = argument.text ?? '';
    box.size = Math.max(4, Math.min(24, box.value.length + 1));
    box.placeholder = argument.origin === 'missing' ? 'required' : '';
    box.setAttribute('aria-label', `${argument.name}, ${originText(argument)}`);
    box.dataset.name = argument.name;
    field.append(span('model-arg-name', argument.name), box, span('model-arg-origin', originText(argument)));
    fields.append(field);
    boxes.push({ argument, box });
  }
  const build = element('button', 'model-button');
  build.type = 'submit';
  build.append(span('codicon codicon-play', ''), span('', ' Build'));
  build.title = 'Build the model with these arguments';
  form.append(title, fields, build);
  if (built.arguments.some((a) => a.origin === 'given')) {
    const reset = element('button', 'model-button secondary');
    reset.type = 'button';
    reset.append(span('codicon codicon-discard', ''), span('', ' Reset'));
    reset.title = 'Forget the arguments given here: back to the calls found and the defaults';
    reset.addEventListener('click', () => vscode.post({ type: 'setArguments', given: [] }));
    form.append(reset);
  }
  if (built.missing.length > 0) form.append(span('model-args-missing', `Give ${built.missing.join(', ')} to build ${built.call.slice(0, built.call.indexOf('('))}.`));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Given: what was given before and is still filled in, and every value changed here.
    const given = boxes
      .filter(({ argument, box }) => box.value.trim() !== '' && (argument.origin === 'given' || box.value.trim() !== (argument.text ?? '')))
      .map(({ argument, box }) => ({ name: argument.name, text: box.value.trim() }));
    vscode.post({ type: 'setArguments', given });
  });
  return form;
}

function problemBanner(t: ModelTable): HTMLElement {
  const p = t.problem as NonNullable<ModelTable['problem']>;
  const banner = element('button', `model-banner ${p.kind}`);
  banner.type = 'button';
  const where = `line ${p.line + 1}${p.file ? ` of ${p.file}` : ''}`;
  banner.append(span(p.kind === 'error' ? 'codicon codicon-error' : 'codicon codicon-question', ''), span('', ` ${p.kind === 'error' ? 'PyTorch raises' : 'Not known'} at ${where}: ${p.message}`));
  banner.title = 'Show the line in the editor';
  banner.addEventListener('click', () => vscode.post({ type: 'revealProblem' }));
  return banner;
}

/** Totals, activation memory, receptive field and the input sizes that work. */
function facts(t: ModelTable): HTMLElement {
  const list = element('dl', 'model-facts');
  const add = (term: string, ...content: (string | HTMLElement)[]): void => {
    const dt = element('dt', '');
    dt.textContent = term;
    const dd = element('dd', '');
    dd.append(...content);
    list.append(dt, dd);
  };
  add('Parameters', t.params !== undefined ? `${grouped(t.params)} (${short(t.params)})` : 'not known');
  add('Multiply-adds', `${grouped(t.macs)} (${short(t.macs)}) for a batch of ${t.inputShape[0] ?? 1}`);
  const n = batch ?? t.inputShape[0] ?? 1;
  const memory = span('model-memory', '');
  const batchBox = element('input', 'model-batch');
  batchBox.type = 'number';
  batchBox.min = '1';
  batchBox.max = '65536';
  batchBox.value = String(n);
  batchBox.setAttribute('aria-label', 'Batch size for the activation memory');
  const showMemory = (size: number): void => {
    memory.textContent = ` ${bytes(t.activationValues * size * 4)} of float32 outputs for a batch of `;
  };
  showMemory(n);
  batchBox.addEventListener('input', () => {
    const v = Number(batchBox.value);
    if (Number.isSafeInteger(v) && v >= 1 && v <= 65536) {
      batch = v;
      showMemory(v);
    }
  });
  add('Activation memory', memory, batchBox);
  const field = t.receptiveField;
  const whole = t.outputField ? `${t.outputField.text}. ${t.outputField.words}` : '';
  if (field) {
    const h = field.rows[1] - field.rows[0] + 1;
    const w = field.cols[1] - field.cols[0] + 1;
    add('Receptive field', `${whole}${whole ? ' On this input, the' : 'The'} output value at (${field.output.join(', ')}) depends on input rows ${field.rows[0]}–${field.rows[1]} and columns ${field.cols[0]}–${field.cols[1]} (${h}×${w}).`);
  } else add('Receptive field', whole || `not followed: ${t.outputFieldWhy ?? 'the run stops before the output'}`);
  const sizes = t.sizes;
  if (sizes) {
    const choices = element('span', 'model-sizes');
    // A sequence's sizes are lengths, an image's square sides, a volume's cube sides.
    const axes = Math.min(3, Math.max(1, t.inputShape.length - 2));
    const size = (side: number) => new Array<number>(axes).fill(side).join('×');
    for (const side of sizes.nearest) {
      const button = element('button', `model-size${side === sizes.given ? ' given' : ''}`);
      button.type = 'button';
      button.textContent = size(side);
      button.title = `Run the model on a ${size(side)} input`;
      button.addEventListener('click', () => {
        const shape = [...t.inputShape];
        if (t.framework === 'keras') {
          // H and W: the two axes before the channels.
          shape[shape.length - 3] = side;
          shape[shape.length - 2] = side;
        } else for (let a = 1; a <= axes; a++) shape[shape.length - a] = side;
        vscode.post({ type: 'setInput', shape });
      });
      choices.append(button);
    }
    const verdict = sizes.runs ? `${size(sizes.given)} runs.` : `${size(sizes.given)} does not run.`;
    add('Input sizes that work', `${sizes.rule} (${sizes.formula}, ${['lengths', 'square sides', 'cube sides'][axes - 1]} 1–${sizes.maxSide}). ${verdict} Nearest: `, choices);
    if (sizes.unknown) add('Sizes not decided', sizes.unknown);
  }
  return list;
}

/** The rows under each group, a group header above each (a button that collapses it). */
function stepsTable(t: ModelTable): HTMLElement {
  const frame = element('div', 'model-table-frame');
  const gutter = document.createElementNS(SVG, 'svg');
  gutter.classList.add('model-gutter');
  gutter.setAttribute('aria-hidden', 'true');
  const table = element('table', 'model-table');
  const caption = element('caption', 'visually-hidden');
  caption.textContent = `The steps of ${t.className}.forward() with their shapes, parameters and multiply-adds`;
  const head = element('thead', '');
  const headRow = element('tr', '');
  for (const name of COLUMNS) {
    const th = element('th', '');
    th.scope = 'col';
    th.textContent = name;
    if (name === 'receptive field') th.title = FIELD_HEADING;
    headRow.append(th);
  }
  head.append(headRow);
  table.append(caption, head);
  const skipsInto = new Map<number, number[]>();
  for (const s of t.skips) skipsInto.set(s.to, [...(skipsInto.get(s.to) ?? []), s.from]);
  for (const group of t.groups) table.append(groupBody(t, group, skipsInto));
  // Without a failing row (the reader could not tell which step failed), the problem closes the table.
  if (t.problem && !t.rows.some((row) => row.status === 'failed')) {
    const body = element('tbody', '');
    const tr = element('tr', `model-row ${t.problem.kind === 'error' ? 'broken' : 'unknown'}`);
    const td = element('td', '');
    td.colSpan = COLUMNS.length;
    const reveal = element('button', 'model-reveal');
    reveal.type = 'button';
    reveal.textContent = `${t.problem.kind === 'error' ? '✕ raises' : '? stops'} at line ${t.problem.line + 1}${t.problem.file ? ` of ${t.problem.file}` : ''}: ${t.problem.message}`;
    reveal.addEventListener('click', () => vscode.post({ type: 'revealProblem' }));
    td.append(reveal);
    tr.append(td);
    body.append(tr);
    table.append(body);
  }
  const totals = element('tfoot', '');
  const total = element('tr', 'model-total');
  total.append(cell(''), cell('total'), cell(''), cell(''), shapeCell(t.output, t.outputSymbolic, t.sizeNames), cell(t.params !== undefined ? grouped(t.params) : '?', 'numeric'), cell(grouped(t.macs), 'numeric'), cell(''), fieldCell(t.outputField, t.outputFieldWhy));
  totals.append(total);
  table.append(totals);
  const scroller = element('div', 'model-table-scroll');
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', `Steps of ${t.className}`);
  scroller.append(table);
  frame.append(gutter, scroller);
  const redraw = (): void => drawArcs(gutter, table, t);
  new ResizeObserver(redraw).observe(table);
  requestAnimationFrame(redraw);
  return frame;
}

function groupBody(t: ModelTable, group: ModelGroup, skipsInto: ReadonlyMap<number, readonly number[]>): HTMLElement {
  const rows = t.rows.slice(group.first, group.last + 1);
  // The group holding the failing step opens, so that the error shows (a click still closes it).
  const shut = collapsed.has(group.label) && !rows.some((r) => r.status === 'failed');
  const body = element('tbody', `model-group${shut ? ' collapsed' : ''}`);
  body.dataset.first = String(group.first);
  const headRow = element('tr', 'model-group-head');
  const td = element('td', '');
  td.colSpan = COLUMNS.length;
  const toggle = element('button', 'model-toggle');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', String(!shut));
  const params = rows.reduce((sum, r) => sum + (r.params ?? 0), 0);
  const macs = rows.reduce((sum, r) => sum + r.macs, 0);
  const chevron = span(`codicon ${shut ? 'codicon-chevron-right' : 'codicon-chevron-down'}`, '');
  toggle.append(chevron, span('model-group-label', ` ${group.label}`), span('model-group-sum', ` · ${rows.length} steps · ${short(params)} params · ${short(macs)} MACs`));
  toggle.addEventListener('click', () => {
    const isCollapsed = body.classList.toggle('collapsed');
    if (isCollapsed) collapsed.add(group.label);
    else collapsed.delete(group.label);
    toggle.setAttribute('aria-expanded', String(!isCollapsed));
    chevron.className = `codicon ${isCollapsed ? 'codicon-chevron-right' : 'codicon-chevron-down'}`;
  });
  td.append(toggle);
  headRow.append(td);
  body.append(headRow);
  for (const row of rows) body.append(stepRow(t, row, skipsInto.get(row.index)));
  return body;
}

function stepRow(t: ModelTable, row: ModelRow, skipFrom: readonly number[] | undefined): HTMLElement {
  const uneven = row.overlap && !row.overlap.even;
  const stops = t.problem?.kind === 'unknown' ? ' unknown failed' : ' broken failed';
  const status = row.status === 'failed' ? stops : row.status === 'notRun' ? ' not-run' : '';
  const tr = element('tr', `model-row kind-${row.kind}${uneven ? ' uneven' : ''}${skipFrom ? ' joins' : ''}${status}`);
  tr.dataset.row = String(row.index);
  const reveal = element('button', 'model-reveal');
  reveal.type = 'button';
  reveal.textContent = row.label;
  reveal.title = `Line ${row.line + 1}${row.file ? ` of ${row.file}` : ''}: show it in the editor`;
  reveal.addEventListener('click', () => vscode.post({ type: 'reveal', row: row.index }));
  const layer = element('td', 'model-layer');
  layer.append(reveal);
  if (skipFrom) {
    // Short in the row (the block); the full module name in the tooltip and the list below the table.
    const note = span('model-skip-note', ` ← skip from ${skipFrom.map((i) => `#${i + 1} (${t.rows[i]?.block || 'forward()'})`).join(', ')}`);
    note.title = skipFrom.map((i) => `#${i + 1} ${t.rows[i]?.path || t.rows[i]?.label || ''} ${t.rows[i]?.output ?? ''}`).join('\n');
    layer.append(note);
  }
  if (row.status) {
    tr.append(cell(String(row.index + 1)), layer, cell(row.path || (row.block ? `in ${row.block}` : ''), 'model-path'), ...stoppedCells(row, t.problem?.kind === 'unknown' ? '?' : '✕'));
    return tr;
  }
  const overlap = cell(row.overlap?.label ?? '');
  if (row.overlap) overlap.title = row.overlap.reason;
  tr.append(cell(String(row.index + 1)), layer, cell(row.path || (row.block ? `in ${row.block}` : ''), 'model-path'), shapeCell(row.input, row.inputSymbolic, t.sizeNames), shapeCell(row.output, row.outputSymbolic, t.sizeNames), cell(row.params !== undefined ? grouped(row.params) : row.kind === 'layer' ? '?' : '', 'numeric'), cell(row.macs ? grouped(row.macs) : '', 'numeric'), overlap, fieldCell(row.field, row.fieldWhy));
  return tr;
}

/** The columns of the table (the group headers and the problem row span them all). */
const COLUMNS = ['#', 'layer / operation', 'module', 'input', 'output', 'parameters', 'multiply-adds', 'overlap', 'receptive field'];
const FIELD_HEADING = 'The receptive field of the output on the model’s input: size (rows×columns; ≤ when it depends on the position), effective stride s (input rows per output row; 1/2 when upsampled) and offset (where output (0, 0)’s field starts; negative: in the padding). +all: a norm’s statistics also reach the whole input.';

/** The receptive-field cell: the short form, its meaning in words in the tooltip, or why it is not followed. */
function fieldCell(field: ModelRow['field'], why: string | undefined): HTMLTableCellElement {
  const td = cell(field ? field.text : why ? '—' : '', 'model-field');
  if (field) td.title = field.words;
  else if (why) td.title = `Receptive field not followed: ${why}`;
  return td;
}

/** A failing step: the message across the shape and count columns; a step after it: not run. */
function stoppedCells(row: ModelRow, mark: string): HTMLTableCellElement[] {
  if (row.status === 'notRun') return [cell('not run', 'model-not-run'), cell('not run', 'model-not-run'), cell(row.params !== undefined ? grouped(row.params) : '', 'numeric'), cell(''), cell(''), cell('')];
  const td = element('td', 'model-failure');
  td.colSpan = COLUMNS.length - 3;
  const reveal = element('button', 'model-reveal');
  reveal.type = 'button';
  reveal.textContent = `${mark} ${row.message ?? 'stops here'}`;
  reveal.title = 'Show the line where it stops in the editor';
  reveal.addEventListener('click', () => vscode.post({ type: 'revealProblem' }));
  td.append(reveal);
  return [td];
}

/**
 * A shape: its formula in the input's named sizes (`[N, 64, ⌊H/2⌋, ⌊W/2⌋]`) with the numbers for
 * this input beneath, or the numbers alone where no formula was formed.
 */
function shapeCell(numbers: string, symbolic: string | undefined, sizeNames: string | undefined): HTMLTableCellElement {
  if (symbolic === undefined || symbolic === numbers) return cell(numbers, 'shape');
  const td = element('td', 'shape symbolic');
  td.append(span('shape-formula', symbolic), span('shape-numbers', numbers));
  td.title = `${symbolic}\n${numbers} for ${sizeNames ?? 'this input'}`;
  return td;
}

/** The switch between shapes in named sizes and numbers, and what the names stand for; nothing when no shape has a formula. */
function shapeSwitch(t: ModelTable): HTMLElement[] {
  if (!t.sizeNames) return [];
  const line = element('p', 'model-shape-switch');
  const button = element('button', 'model-shape-toggle');
  button.type = 'button';
  // One label, its state in aria-pressed (a screen reader says "pressed"), as a toggle button should.
  button.append(span('codicon codicon-symbol-variable', ''), span('', ' Named sizes'));
  button.setAttribute('aria-pressed', String(showFormulas));
  button.title = 'Show the shapes as formulas of the input’s sizes above the numbers, or the numbers only';
  const note = span('model-shape-names', ` shapes in ${t.sizeNames.replace(/ = \d+/g, '')}, exact for every input size that runs, for this input ${t.sizeNames}; the numbers alone where no formula can be formed`);
  button.addEventListener('click', () => {
    showFormulas = !showFormulas;
    button.setAttribute('aria-pressed', String(showFormulas));
    document.body.classList.toggle('numbers-only', !showFormulas);
  });
  document.body.classList.toggle('numbers-only', !showFormulas);
  line.append(button, note);
  return [line];
}

function cell(text: string, className = ''): HTMLTableCellElement {
  const td = element('td', className);
  td.textContent = text;
  return td;
}

/** The row element a step is drawn at: its own, or its group's header when the group is collapsed. */
function anchorOf(table: HTMLElement, index: number): HTMLElement | undefined {
  const row = table.querySelector<HTMLElement>(`tr[data-row="${index}"]`);
  if (!row) return undefined;
  const body = row.parentElement;
  return body?.classList.contains('collapsed') ? (body.querySelector<HTMLElement>('.model-group-head') ?? row) : row;
}

/** One arc per skip connection, from the row whose output waits to the row that joins it; nested arcs further out. */
function drawArcs(gutter: SVGSVGElement, table: HTMLElement, t: ModelTable): void {
  const top = table.getBoundingClientRect().top;
  const height = table.getBoundingClientRect().height;
  const width = 16 + Math.min(8, t.skips.length) * 10;
  gutter.setAttribute('width', String(width));
  gutter.setAttribute('height', String(Math.ceil(height)));
  gutter.style.height = `${Math.ceil(height)}px`;
  gutter.replaceChildren();
  // Longer arcs go further out, so that an inner one never crosses an outer one.
  const ordered = [...t.skips].sort((a, b) => a.to - a.from - (b.to - b.from));
  ordered.forEach((skip, i) => {
    const from = skip.fromInput ? (table.querySelector('thead tr') as HTMLElement | null) : anchorOf(table, skip.from);
    const to = anchorOf(table, skip.to);
    if (!from || !to) return;
    const y1 = from.getBoundingClientRect().top - top + from.getBoundingClientRect().height / 2;
    const y2 = to.getBoundingClientRect().top - top + to.getBoundingClientRect().height / 2;
    const x = width - 2;
    const reach = x - 8 - (i % 8) * 10;
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', `M ${x} ${y1} C ${reach} ${y1}, ${reach} ${y2}, ${x} ${y2}`);
    path.setAttribute('class', 'model-arc');
    path.dataset.from = skip.fromInput ? 'input' : String(skip.from);
    path.dataset.to = String(skip.to);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `Skip connection: ${skip.fromInput ? 'the model input' : `#${skip.from + 1} ${t.rows[skip.from]?.path ?? ''}`} → #${skip.to + 1} ${t.rows[skip.to]?.label ?? ''}`;
    path.append(title);
    const head = document.createElementNS(SVG, 'circle');
    head.setAttribute('cx', String(x));
    head.setAttribute('cy', String(y2));
    head.setAttribute('r', '2.5');
    head.setAttribute('class', 'model-arc-end');
    gutter.append(path, head);
  });
}

/** The skip connections in words (what the arcs show, for screen readers and to copy). */
function skipList(t: ModelTable): HTMLElement {
  const section = element('section', 'model-skips');
  const title = element('h2', '');
  title.textContent = t.skips.length === 0 ? 'No skip connections' : `Skip connections (${t.skips.length})`;
  section.append(title);
  if (t.skips.length === 0) return section;
  const list = element('ul', '');
  for (const skip of t.skips) {
    const from = t.rows[skip.from];
    const to = t.rows[skip.to];
    const li = element('li', 'model-skip');
    li.dataset.from = skip.fromInput ? 'input' : String(skip.from);
    li.dataset.to = String(skip.to);
    const source = skip.fromInput ? `the model input [${t.inputShape.join(', ')}]` : `#${skip.from + 1} ${from?.path || from?.label || ''} ${from?.output ?? ''}`;
    li.textContent = `${source} → #${skip.to + 1} ${to?.label ?? ''} in ${to?.block || 'forward()'} (line ${(to?.line ?? 0) + 1}${to?.file ? ` of ${to.file}` : ''})`;
    list.append(li);
  }
  section.append(list);
  return section;
}
