/**
 * The stack view's front end: the table of a stack's layers (shapes, parameters, overlap verdicts,
 * each layer's output-size formula on hover), the compound overlap map with the map after each
 * layer beside it, and "Fix the stack" (the fixes of each uneven layer, the compound map before
 * and after the chosen ones, and a button that applies them). Every message is checked against the
 * shared protocol; the host does the analysis, the page only draws.
 */
import {
  isToStackMessage,
  type FromStackMessage,
  type PersistedStackState,
  type StackCompoundView,
  type StackFixPlan,
  type StackMapView,
  type StackSnapshot,
  type StackTable,
  type ToStackMessage,
} from '../../src/core/protocol/stack';
import { assertNever } from '../../src/core/protocol/common';
import { POSITIVE_RGB } from '../shared/colorScale';
import { connectPage } from '../shared/connectPage';
import { NoticeLine } from '../shared/noticeLine';
import { element, span } from '../shared/grid';

const app = document.getElementById('app') as HTMLElement;
const notice = new NoticeLine('stack-notice');

const vscode = connectPage<ToStackMessage, FromStackMessage, PersistedStackState>('stack view', isToStackMessage, {
  show: (message) => {
    // Which stack this is, for VS Code to hand back to the host's serializer after a reload.
    vscode.keep(message.keep);
    show(message.snapshot);
  },
  notice: (message) => notice.set(message.tone, message.text),
});

function show(snapshot: StackSnapshot): void {
  app.replaceChildren();
  switch (snapshot.kind) {
    case 'empty':
      app.append(span('stack-empty', 'Run “Layer Lens: Inspect Stack” on a stack of layers.'));
      return;
    case 'invalid': {
      const list = element('ul', 'stack-problems');
      for (const problem of snapshot.problems) list.append(Object.assign(element('li', ''), { textContent: problem }));
      app.append(list);
      return;
    }
    case 'ready':
      app.append(header(snapshot.table));
      app.append(notice.create(), table(snapshot.table));
      app.append(compoundSection(snapshot.compound, snapshot.compoundProblem));
      if (snapshot.plan) app.append(fixSection(snapshot.plan, snapshot.table));
      return;
    default:
      assertNever(snapshot);
  }
}

function header(t: StackTable): HTMLElement {
  const head = element('header', 'stack-header');
  const title = element('h1', 'stack-title');
  title.textContent = `Stack ${t.name}`;
  const source = span('stack-source', t.source);
  const summary = element('p', 'stack-summary');
  const overlap = t.transposedCount === 0 ? '' : t.unevenCount === 0 ? ` · overlap even in all ${t.transposedCount} transposed convolutions` : ` · uneven overlap in ${t.unevenCount} of ${t.transposedCount} transposed convolutions`;
  summary.textContent = `${t.rows.length} layers · input ${t.input} (${t.inputSource}) → output ${t.output}${overlap}`;
  head.append(title, source, summary);
  if (t.model && t.model.uses.length > 1) head.append(usePicker(t.model));
  return head;
}

/** Which use of a part the model's shapes are shown for (`DoubleConv` in `inc`, `down1`…, `up4`): the host reads the stack again. */
function usePicker(model: NonNullable<StackTable['model']>): HTMLElement {
  const label = element('label', 'stack-use');
  const select = element('select', 'stack-use-select');
  for (const use of model.uses) select.append(Object.assign(element('option', ''), { value: use, textContent: use === '' ? model.className : use, selected: use === model.use }));
  select.addEventListener('change', () => vscode.post({ type: 'chooseUse', use: select.value }));
  label.append(span('', `Shapes of ${model.className}.forward() in `), select);
  return label;
}

function table(t: StackTable): HTMLElement {
  const tableElement = element('table', 'stack-table');
  const caption = element('caption', 'visually-hidden');
  caption.textContent = `Layers of ${t.name} with their shapes, parameter counts and overlap`;
  const head = element('thead', '');
  const headRow = element('tr', '');
  for (const name of ['#', 'layer', 'input', 'output', 'parameters', 'overlap']) {
    const th = element('th', '');
    th.scope = 'col';
    th.textContent = name;
    headRow.append(th);
  }
  head.append(headRow);
  const body = element('tbody', '');
  for (const row of t.rows) {
    const tr = element('tr', `stack-row kind-${row.kind}${row.problem ? ' broken' : ''}${row.overlap && !row.overlap.even ? ' uneven' : ''}${row.run === false ? ' not-run' : ''}`);
    tr.dataset.row = String(row.index);
    const reveal = element('button', 'stack-reveal');
    reveal.type = 'button';
    reveal.textContent = row.label;
    reveal.title = `Line ${row.line + 1}${row.module ? ` (${row.module} in the model)` : ''}: show it in the editor`;
    reveal.addEventListener('click', () => vscode.post({ type: 'reveal', row: row.index }));
    const output = cellOf(row.output, 'shape');
    if (row.formulas.length > 0) output.title = row.formulas.join('\n');
    const overlap = cellOf(row.overlap?.label ?? '');
    if (row.overlap) overlap.title = row.overlap.reason;
    const layerCell = element('td', 'stack-layer');
    layerCell.append(reveal);
    // Muted in the table (see the stylesheet); said in words to the tooltip and screen readers.
    const kindText = row.kind === 'preserving' ? 'keeps the shape' : row.kind === 'unknown' ? 'unknown to Layer Lens' : row.kind === 'reshape' ? 'states the shape' : row.kind === 'padding' ? 'pads the map' : '';
    if (kindText) {
      reveal.title = `${reveal.title} (${kindText})`;
      reveal.setAttribute('aria-label', `${row.label}, ${kindText}`);
    }
    tr.append(cellOf(String(row.index + 1)), layerCell, cellOf(row.input, 'shape'), output, cellOf(row.parameters, 'numeric'), overlap);
    body.append(tr);
    const message = row.problem?.message ?? row.note;
    if (message) {
      const detail = element('tr', row.problem ? 'stack-detail problem' : 'stack-detail note');
      const td = element('td', '');
      td.colSpan = 6;
      // The sentence wraps at the panel's width and stays in view when the table scrolls sideways.
      const text = element('div', 'stack-detail-text');
      text.append(span(row.problem ? 'codicon codicon-error' : 'codicon codicon-info', ''), span('', ` ${message}`));
      td.append(text);
      detail.append(td);
      body.append(detail);
    }
  }
  tableElement.append(caption, head, body);
  return sideways(tableElement, `Layers of ${t.name}`);
}

/**
 * Wider than the panel, the table scrolls sideways in a box of its own, its scroll bar right under
 * it (not under the whole page), and a shadow on the side where more of it is hidden: overlay scroll
 * bars show only while scrolling. The box takes focus, so the arrow keys scroll it too.
 */
function sideways(content: HTMLElement, label: string): HTMLElement {
  const frame = element('div', 'stack-table-frame');
  const scroller = element('div', 'stack-table-scroll');
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', label);
  scroller.append(content);
  frame.append(scroller);
  const update = (): void => {
    frame.classList.toggle('more-left', scroller.scrollLeft > 0);
    frame.classList.toggle('more-right', scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1);
  };
  scroller.addEventListener('scroll', update, { passive: true });
  new ResizeObserver(update).observe(scroller);
  return frame;
}

function cellOf(text: string, className = ''): HTMLTableCellElement {
  const td = element('td', className);
  td.textContent = text;
  return td;
}

function compoundSection(compound: StackCompoundView | undefined, problem: string | undefined): HTMLElement {
  const section = element('section', 'stack-compound');
  const title = element('h2', '');
  title.textContent = 'Compound overlap';
  section.append(title);
  const explain = element('p', 'stack-explain');
  explain.textContent =
    'What the layers’ sizes, strides and paddings alone do to an image (a sequence for 1-D layers, a volume for 3-D ones): ones sent through every layer that changes the size, each kernel all ones. ' +
    'An even stack gives a flat map; a checkerboard shows where some output pixels receive more than their neighbours. Darker is more (each map is scaled to mean 1). ' +
    'Spread: (max − min) / mean away from the borders, 0 when flat. Periodic energy: the share of the map’s energy that repeats with the upsampling period, 0 when none does.';
  section.append(explain);
  if (!compound) {
    section.append(span('stack-problem', problem ? `No map: ${problem.replace(/\.$/, '')}.` : 'No map.'));
    return section;
  }
  if (compound.standIn) section.append(Object.assign(element('p', 'stack-kind'), { textContent: `${compound.standInReason ?? 'The code states no input size'}: the maps start from an example ${compound.inputSize.join('×')} input.` }));
  const last = compound.maps[compound.maps.length - 1];
  const row = element('div', 'stack-maps');
  if (last) row.append(mapFigure(last, 'The whole stack', 256));
  const strip = element('div', 'stack-strip');
  for (const map of compound.maps) strip.append(mapFigure(map, afterLayer(map), 96, 'layer'));
  row.append(strip);
  section.append(row);
  if (compound.stopped) section.append(Object.assign(element('p', 'stack-kind'), { textContent: compound.stopped }));
  return section;
}

/** `After layer 10, nn.ConvTranspose2d`: where a map is taken. */
function afterLayer(view: StackMapView): string {
  return `After layer ${view.row + 1}, ${view.label}`;
}

/** One plane of a map: `rows × cols` values, row-major. */
interface Plane {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** The most depth slices a 3-D map draws (evenly spaced; the large figure only, a layer's shows its middle one). */
const MAX_SLICES = 8;

/**
 * A map as a picture, titled `title`, with its size and measures: a 2-D map one canvas pixel per
 * cell, scaled up without smoothing; a 1-D stack's map (one row) as a strip with its values as bars
 * under it; a 3-D stack's map as depth slices side by side. The whole stack's figure adds the
 * per-phase summary (the interior's mean at each phase of the period).
 */
function mapFigure(view: StackMapView, title: string, size: number, kind: 'stack' | 'layer' | 'before' | 'after' = 'stack'): HTMLElement {
  const figure = element('figure', `stack-map ${kind}`);
  const { map } = view;
  const depth = map.lead?.[0];
  const sequence = view.period.length === 1;
  const dims = depth !== undefined ? `${depth}×${map.rows}×${map.cols}` : sequence ? `${map.cols}` : `${map.rows}×${map.cols}`;
  const label = `${title}: ${dims} map, spread ${fmt(view.spread)}, periodic energy ${fmt(view.periodicEnergy)}`;
  if (sequence) figure.append(strip(map, size * 2, label));
  else if (depth !== undefined) figure.append(slices(map, depth, size, kind === 'stack' ? MAX_SLICES : 1, label));
  else figure.append(picture(map, size, label));
  const caption = element('figcaption', '');
  caption.append(span('stack-map-title', `${title} (${dims})`), span('stack-map-measure', `spread ${fmt(view.spread)} · periodic energy ${fmt(view.periodicEnergy)} (period ${view.period.join('×')})`));
  figure.append(caption);
  if (kind === 'stack' && view.phases && view.period.length !== 2) figure.append(phaseSummary(view.phases, view.period));
  return figure;
}

/** A plane as a canvas of one pixel per cell, at most `size` pixels on its longer side once scaled. */
function picture(plane: Plane, size: number, label: string): HTMLCanvasElement {
  const canvas = element('canvas', '');
  canvas.width = plane.cols;
  canvas.height = plane.rows;
  const scale = Math.max(1, Math.floor(size / Math.max(plane.rows, plane.cols)));
  canvas.style.width = `${plane.cols * scale}px`;
  canvas.style.height = `${plane.rows * scale}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  paint(canvas, plane);
  return canvas;
}

/** A sequence's map: a strip of its cells, and under it each cell's value as a bar from 0 (the ripple a period leaves). */
function strip(plane: Plane, width: number, label: string): HTMLElement {
  const box = element('div', 'stack-sequence');
  const cells = picture(plane, width, label);
  // Whole pixels per cell when the cells fit; a long sequence is drawn at `width`, several cells a pixel.
  const shown = plane.cols >= width ? width : plane.cols * Math.floor(width / plane.cols);
  cells.style.width = `${shown}px`;
  cells.style.height = '14px';
  const bars = element('canvas', 'stack-bars');
  const height = 48;
  bars.width = plane.cols;
  bars.height = height;
  bars.style.width = `${shown}px`;
  bars.style.height = `${height}px`;
  bars.setAttribute('aria-hidden', 'true');
  const context = bars.getContext('2d');
  if (context) {
    const max = Math.max(...plane.data, 0) || 1;
    const [r, g, b] = POSITIVE_RGB;
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    plane.data.forEach((v, i) => {
      const h = Math.max(0, (v / max) * height);
      context.fillRect(i, height - h, 1, h);
    });
  }
  box.append(cells, bars);
  return box;
}

/** A volume's map as its depth slices side by side (at most `most`, evenly spaced), each labelled with its depth. */
function slices(map: Plane & { readonly lead?: readonly number[] }, depth: number, size: number, most: number, label: string): HTMLElement {
  const box = element('div', 'stack-slices');
  const plane = map.rows * map.cols;
  const picked = most === 1 ? [Math.floor(depth / 2)] : [...new Set(Array.from({ length: Math.min(most, depth) }, (_, i) => Math.round((i * (depth - 1)) / Math.max(1, Math.min(most, depth) - 1))))];
  const each = most === 1 ? size : Math.max(32, Math.floor(size / Math.min(4, picked.length)));
  for (const d of picked) {
    const slice = element('div', 'stack-slice');
    slice.append(picture({ rows: map.rows, cols: map.cols, data: map.data.subarray(d * plane, (d + 1) * plane) }, each, `${label}, depth ${d}`), span('stack-map-measure', `d = ${d}${most === 1 ? ` of ${depth}` : ''}`));
    box.append(slice);
  }
  return box;
}

/**
 * The per-phase summary: the interior's mean at each phase of the period, scaled to the map's mean
 * of 1 — a sequence's as bars, a volume's as one small heatmap per depth phase — and its range.
 */
function phaseSummary(phases: StackMapView['map'], period: readonly number[]): HTMLElement {
  const box = element('div', 'stack-phases');
  let low = Infinity;
  let high = -Infinity;
  for (const v of phases.data) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const count = phases.data.length;
  box.append(span('stack-map-measure', `Per phase (${count} phases of the ${period.join('×')} period): mean ${fmt(low)} to ${fmt(high)}${high - low <= 1e-12 * Math.abs(high) ? ', every phase alike' : ''}`));
  const depth = phases.lead?.[0];
  if (depth === undefined) box.append(strip(phases, Math.min(256, Math.max(64, count * 8)), `phase means over the ${period.join('×')} period`));
  else box.append(slices(phases, depth, 48 * Math.min(depth, 4), Math.min(depth, MAX_SLICES), 'phase means'));
  return box;
}

function paint(canvas: HTMLCanvasElement, plane: Plane): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { rows, cols, data } = plane;
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const image = context.createImageData(cols, rows);
  const [r, g, b] = POSITIVE_RGB;
  // A flat map is drawn at middle strength: it is even, not empty.
  for (let i = 0; i < data.length; i++) {
    const t = max > min ? ((data[i] as number) - min) / (max - min) : 0.5;
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = Math.round(40 + t * 215);
  }
  context.putImageData(image, 0, 0);
}

function fmt(value: number): string {
  return value === 0 ? '0' : value.toPrecision(3);
}

/** One place in the network: its map now and with the chosen fixes, side by side under one heading. */
function comparison(place: string, now: StackMapView, fixed: StackMapView, size: number): HTMLElement {
  const group = element('section', 'stack-compare');
  const heading = element('h3', 'stack-compare-title');
  heading.textContent = place;
  const maps = element('div', 'stack-maps');
  maps.append(mapFigure(now, 'Now', size, 'before'), mapFigure(fixed, 'With the chosen fixes', size, 'after'));
  group.append(heading, maps);
  return group;
}

function fixSection(plan: StackFixPlan, t: StackTable): HTMLElement {
  const section = element('section', 'stack-fix');
  const title = element('h2', '');
  title.textContent = 'Fix the stack';
  section.append(title);
  const chosen = new Map(plan.chosen.map(([row, choice]) => [row, choice]));
  const rows = [...new Set(plan.fixes.map((f) => f.row))];
  const form = element('div', 'stack-fix-choices');
  for (const row of rows) {
    const fieldset = element('fieldset', '');
    const legend = element('legend', '');
    const tableRow = t.rows[row];
    legend.textContent = `Layer ${row + 1}, ${tableRow?.label ?? ''} (line ${(tableRow?.line ?? 0) + 1}): overlap ${tableRow?.overlap?.label ?? ''}`;
    fieldset.append(legend);
    const options: { choice: number | undefined; title: string }[] = [...plan.fixes.filter((f) => f.row === row).map((f) => ({ choice: f.choice as number | undefined, title: f.title })), { choice: undefined, title: 'Keep as it is' }];
    for (const option of options) {
      const label = element('label', 'stack-fix-option');
      const input = element('input', '');
      input.type = 'radio';
      input.name = `fix-${row}`;
      input.checked = chosen.get(row) === option.choice;
      input.addEventListener('change', () => {
        if (option.choice === undefined) chosen.delete(row);
        else chosen.set(row, option.choice);
        vscode.post({ type: 'chooseFixes', chosen: [...chosen.entries()] });
      });
      label.append(input, span('', ` ${option.title}`));
      fieldset.append(label);
    }
    form.append(fieldset);
  }
  section.append(form);
  // Each pair is one place in the network, now and with the chosen fixes, in the same words.
  if (plan.before && plan.after) section.append(comparison(`${afterLayer(plan.before)}${plan.beforeLast ? ', where the map is most uneven' : ''}`, plan.before, plan.after, 192));
  if (plan.beforeLast && plan.afterLast) section.append(comparison(`${afterLayer(plan.beforeLast)}, the last map`, plan.beforeLast, plan.afterLast, 128));
  if (!plan.after && plan.afterProblem) section.append(span('stack-problem', `No map with the fixes: ${plan.afterProblem.replace(/\.$/, '')}.`));
  if (plan.afterUneven !== undefined) {
    const left = plan.afterUneven === 0 ? 'every transposed convolution overlaps evenly' : `${plan.afterUneven} transposed ${plan.afterUneven === 1 ? 'convolution still overlaps' : 'convolutions still overlap'} unevenly`;
    section.append(Object.assign(element('p', 'stack-kind'), { textContent: `With the chosen fixes, ${left}.` }));
  }
  const apply = element('button', 'stack-apply');
  apply.type = 'button';
  apply.append(span('codicon codicon-wrench', ''), span('', ' Apply the chosen fixes'));
  apply.title = 'Change the code: one edit, undone by one Undo';
  apply.disabled = chosen.size === 0;
  apply.addEventListener('click', () => vscode.post({ type: 'applyFixes', chosen: [...chosen.entries()] }));
  section.append(apply);
  return section;
}
