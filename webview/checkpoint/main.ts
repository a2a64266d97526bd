/**
 * The checkpoint editor's page: the checkerboard audit (every transposed and sub-pixel convolution,
 * worst first: verdict, periodic energy, the reason in words, the worst channels' phase sums as small
 * heatmaps, a stride picker for weights nothing describes) and the tensor list with search. The
 * page only draws: it asks the host for the statistics of the rows it shows, and the host computes
 * them a chunk at a time, dropping a request when a newer one comes.
 */
import { assertNever } from '../../src/core/protocol/common';
import {
  isToCheckpointMessage,
  MAX_STATS_REQUEST,
  type AuditLayerView,
  type AuditView,
  type CheckpointSnapshot,
  type CheckpointTensorRow,
  type FromCheckpointMessage,
  type TensorStats,
  type ToCheckpointMessage,
} from '../../src/core/protocol/checkpoint';
import { colorFor, cssColor, divergingScale } from '../shared/colorScale';
import { connectPage } from '../shared/connectPage';
import { element, span } from '../shared/grid';

const app = document.getElementById('app') as HTMLElement;
const stats = new Map<string, TensorStats>();
let snapshot: CheckpointSnapshot | undefined;
let query = '';
let notice: HTMLElement | undefined;
let tableBody: HTMLElement | undefined;
let requestTimer: ReturnType<typeof setTimeout> | undefined;
/** The layer the host asked to show, until the audit that lists it is drawn. */
let revealing: string | undefined;

const vscode = connectPage<ToCheckpointMessage, FromCheckpointMessage>('checkpoint editor', isToCheckpointMessage, {
  show: (message) => {
    snapshot = message.snapshot;
    show(message.snapshot);
  },
  stats: (message) => {
    for (const s of message.stats) stats.set(s.name, s);
    updateStatsCells(message.stats);
  },
  reveal: (message) => {
    revealing = message.name;
    revealLayer();
  },
  notice: (message) => {
    if (!notice) return;
    notice.textContent = message.text;
    notice.className = `ckpt-notice ${message.tone}`;
  },
});

function show(current: CheckpointSnapshot): void {
  app.replaceChildren();
  switch (current.kind) {
    case 'loading':
      app.append(span('ckpt-empty', `Reading ${current.fileName}…`));
      return;
    case 'invalid': {
      app.append(heading(current.fileName));
      const list = element('ul', 'ckpt-problems');
      for (const problem of current.problems) list.append(Object.assign(element('li', ''), { textContent: problem }));
      app.append(list);
      return;
    }
    case 'ready': {
      const head = heading(current.fileName);
      const values = current.tensors.reduce((a, t) => a + t.size, 0);
      // A live model's weights were read from a debug session, whole: "read", not "listed".
      const live = current.format === 'live';
      head.append(element('br', ''), span('ckpt-summary', `${live ? 'live model (debug session)' : current.format} · ${current.tensors.length} tensors · ${values.toLocaleString('en-US')} values · ${live ? 'read' : 'listed'} in ${current.listedInMs.toFixed(0)} ms`));
      notice = span('ckpt-notice', '');
      notice.setAttribute('role', 'status');
      app.append(head, notice, auditSection(current.audit, current.auditProblem, current.format === 'onnx' || current.format === 'keras' || live), tensorSection(current.tensors));
      requestStats();
      revealLayer();
      return;
    }
    default:
      assertNever(current);
  }
}

function heading(fileName: string): HTMLElement {
  const head = element('header', 'ckpt-header');
  const title = element('h1', 'ckpt-title');
  title.textContent = fileName;
  head.append(title);
  return head;
}

// #region The audit

/** Scrolls to the layer asked for and marks it, once its card is drawn. */
function revealLayer(): void {
  if (revealing === undefined) return;
  const card = [...app.querySelectorAll<HTMLElement>('.ckpt-layer')].find((node) => node.dataset['layer'] === revealing);
  if (!card) return;
  revealing = undefined;
  for (const other of app.querySelectorAll('.ckpt-layer.revealed')) other.classList.remove('revealed');
  card.classList.add('revealed');
  card.tabIndex = -1;
  card.scrollIntoView({ block: 'center' });
  card.focus({ preventScroll: true });
}

function auditSection(audit: AuditView | undefined, problem: string | undefined, hasGraph: boolean): HTMLElement {
  const section = element('section', 'ckpt-audit');
  const title = element('h2', '');
  title.textContent = 'Checkerboard audit';
  section.append(title);
  if (!audit) {
    section.append(problem === undefined ? span('ckpt-pending', 'Reading the upsampling layers’ weights…') : span('ckpt-problem', problem));
    return section;
  }
  const uneven = audit.layers.filter((l) => l.verdict === 'uneven').length;
  const unknown = audit.layers.filter((l) => l.verdict === 'unknown').length;
  const summary = element('p', 'ckpt-audit-summary');
  summary.textContent = audit.layers.length === 0
    ? 'No transposed or sub-pixel convolution found.'
    : `${audit.layers.length} upsampling layer${audit.layers.length === 1 ? '' : 's'}: ${uneven} uneven, ${audit.layers.length - uneven - unknown} even${unknown ? `, ${unknown} without a known stride` : ''}. Worst first.`;
  section.append(summary);
  if (!hasGraph) {
    const pair = element('button', 'ckpt-button');
    pair.textContent = audit.pairing ? `Paired with ${audit.pairing.source} (${audit.pairing.model}) · Pair with another…` : 'Pair with model source…';
    pair.title = 'A state dict has no strides: read them from the Python file that defines the model (read, never run).';
    pair.addEventListener('click', () => vscode.post({ type: 'pairSource' }));
    section.append(pair);
    if (audit.pairing) {
      const detail = element('details', 'ckpt-pairing');
      const caption = element('summary', '');
      caption.textContent = `${audit.pairing.paired.length} weights paired, ${audit.pairing.unpaired.length} not`;
      detail.append(caption, list(audit.pairing.paired), ...(audit.pairing.unpaired.length ? [span('ckpt-label', 'Not paired:'), list(audit.pairing.unpaired)] : []));
      section.append(detail);
    }
  }
  if (audit.notes.length) section.append(list(audit.notes, 'ckpt-notes'));
  const layers = element('ol', 'ckpt-layers');
  for (const layer of audit.layers) layers.append(layerCard(layer));
  section.append(layers);
  return section;
}

function list(items: readonly string[], className = ''): HTMLElement {
  const node = element('ul', className);
  for (const item of items) node.append(Object.assign(element('li', ''), { textContent: item }));
  return node;
}

const percent = (share: number): string => `${(share * 100).toPrecision(3)} %`;

function layerCard(layer: AuditLayerView): HTMLElement {
  const card = element('li', `ckpt-layer ${layer.verdict}`);
  card.dataset['layer'] = layer.name;
  const head = element('div', 'ckpt-layer-head');
  const verdict = span(`ckpt-verdict ${layer.verdict}`, layer.verdict);
  const name = span('ckpt-layer-name', layer.name);
  const op = layer.op === 'subPixelConvolution' ? 'sub-pixel conv + PixelShuffle' : `ConvTranspose${layer.op.slice(-2)}`;
  const stride = layer.stride ? `stride ${layer.stride.join('×')} (${strideSource(layer.strideFrom)})` : 'stride unknown';
  head.append(verdict, name, span('ckpt-layer-meta', `${op} · weight [${layer.weightShape.join(', ')}] · ${stride}${layer.verdict === 'unknown' ? '' : ` · ${percent(layer.periodicEnergy)} periodic energy`}`));
  if (layer.source) head.append(span('ckpt-layer-meta', ` · ${layer.source}`));
  card.append(head, Object.assign(element('p', 'ckpt-reason'), { textContent: layer.reason }));
  if (layer.note !== undefined) card.append(Object.assign(element('p', 'ckpt-note'), { textContent: layer.note }));
  if (layer.channels.length) {
    card.append(span('ckpt-label', `${layer.unevenChannels} of ${layer.channelCount} output channels uneven; the worst${layer.channels.length < layer.channelCount ? ` ${layer.channels.length}` : ''}, phase sums (colour: difference from the channel's mean):`));
    card.append(channelMaps(layer));
  }
  const actions = element('div', 'ckpt-actions');
  if (layer.strideChoices.length) actions.append(stridePicker(layer));
  if (layer.openable) {
    const open = element('button', 'ckpt-button');
    const volume = layer.op === 'convTranspose1d' || layer.op === 'convTranspose3d';
    open.textContent = volume ? 'Open in the volume panel' : layer.op === 'convTranspose2d' ? 'Open in the Transposed Convolution panel' : 'Open as its equivalent transposed convolution';
    open.title = layer.op !== 'subPixelConvolution'
      ? 'Step through how the trained kernel paints a constant input.'
      : 'A sub-pixel convolution equals a transposed convolution of stride r whose kernel interleaves its r² trained sub-kernels: step through how they paint a constant input.';
    open.addEventListener('click', () => vscode.post({ type: 'openLayer', name: layer.name }));
    actions.append(open);
  }
  if (actions.childElementCount) card.append(actions);
  return card;
}

function strideSource(from: AuditLayerView['strideFrom']): string {
  switch (from) {
    case 'graph': return snapshot?.kind === 'ready' && snapshot.format === 'live' ? 'from the module' : 'from the file';
    case 'source': return 'from the model source';
    case 'given': return 'chosen';
    case 'none': return 'unknown';
    default: return assertNever(from);
  }
}

function stridePicker(layer: AuditLayerView): HTMLElement {
  const label = element('label', 'ckpt-stride');
  label.append('Audit with stride ');
  const select = element('select', '');
  const none = Object.assign(element('option', ''), { value: '', textContent: '—' });
  select.append(none, ...layer.strideChoices.map((s) => Object.assign(element('option', ''), { value: String(s), textContent: String(s), selected: layer.strideFrom === 'given' && layer.stride?.[0] === s })));
  select.addEventListener('change', () => {
    const stride = Number(select.value);
    if (stride >= 1) vscode.post({ type: 'setStride', name: layer.name, stride });
  });
  label.append(select);
  return label;
}

function channelMaps(layer: AuditLayerView): HTMLElement {
  const row = element('div', 'ckpt-channels');
  const deviations = layer.channels.flatMap((c) => {
    const mean = c.phases.data.reduce((a, b) => a + b, 0) / Math.max(1, c.phases.data.length);
    return [...c.phases.data].map((v) => v - mean);
  });
  const scale = divergingScale(deviations);
  let at = 0;
  for (const channel of layer.channels) {
    const box = element('figure', 'ckpt-channel');
    const { phases } = channel;
    const colours = deviations.slice(at, at + phases.data.length).map((d) => colorFor(d, scale));
    at += phases.data.length;
    const depth = phases.lead?.[0];
    if (layer.stride?.length === 1) box.append(phaseBars(phases.data, colours));
    else if (depth !== undefined) {
      // A 3-D layer: one heatmap per depth phase, side by side.
      const slices = element('div', 'ckpt-depth-phases');
      const plane = phases.rows * phases.cols;
      for (let d = 0; d < depth; d++) {
        const slice = element('div', 'ckpt-depth-phase');
        slice.append(phaseGrid(phases.data.subarray(d * plane, (d + 1) * plane), colours.slice(d * plane, (d + 1) * plane), phases.rows, phases.cols, [d]), span('ckpt-label', `depth phase ${d}`));
        slices.append(slice);
      }
      box.append(slices);
    } else box.append(phaseGrid(phases.data, colours, phases.rows, phases.cols, []));
    const caption = element('figcaption', '');
    caption.textContent = `ch ${channel.channel} · ${percent(channel.periodicEnergy)}`;
    box.append(caption);
    row.append(box);
  }
  return row;
}

/** A heatmap of phase sums `rows × cols`, each cell titled with its phase (`lead` the phases of the axes before, for a 3-D layer). */
function phaseGrid(values: Float64Array, colours: readonly ReturnType<typeof colorFor>[], rows: number, cols: number, lead: readonly number[]): HTMLElement {
  const grid = element('table', 'ckpt-phases');
  for (let a = 0; a < rows; a++) {
    const tr = element('tr', '');
    for (let b = 0; b < cols; b++) {
      const value = values[a * cols + b] as number;
      const td = element('td', '');
      td.textContent = value.toPrecision(3);
      td.title = `phase (${[...lead, a, b].join(', ')}): ${value}`;
      const colour = colours[a * cols + b];
      if (colour) td.style.background = cssColor(colour);
      tr.append(td);
    }
    grid.append(tr);
  }
  return grid;
}

/** A 1-D layer's phase sums as bars from a zero line (the audio form: a period-s ripple), coloured as the heatmaps are. */
function phaseBars(values: Float64Array, colours: readonly ReturnType<typeof colorFor>[]): HTMLElement {
  const chart = element('div', 'ckpt-phase-bars');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', `phase sums: ${Array.from(values, (v) => v.toPrecision(3)).join(', ')}`);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const range = max - min || 1;
  values.forEach((value, phase) => {
    const column = element('div', 'ckpt-phase-bar');
    column.title = `phase ${phase}: ${value}`;
    const bar = element('div', 'ckpt-bar-fill');
    // Percentages of the column from its top: the zero line sits at max / range.
    const top = ((max - Math.max(value, 0)) / range) * 100;
    bar.style.top = `${top}%`;
    bar.style.height = `${(Math.abs(value) / range) * 100}%`;
    const colour = colours[phase];
    if (colour) bar.style.background = cssColor(colour);
    column.append(bar, span('ckpt-bar-value', value.toPrecision(3)));
    chart.append(column);
  });
  return chart;
}

// #endregion

// #region The tensors

function tensorSection(tensors: readonly CheckpointTensorRow[]): HTMLElement {
  const section = element('section', 'ckpt-tensors');
  const title = element('h2', '');
  title.textContent = 'Tensors';
  const search = element('input', 'ckpt-search');
  search.type = 'search';
  search.placeholder = 'Search by name';
  search.value = query;
  search.setAttribute('aria-label', 'Search tensors by name');
  const table = element('table', 'ckpt-table');
  const head = element('thead', '');
  const tr = element('tr', '');
  for (const label of ['Name', 'Shape', 'Type', 'Size', 'Min', 'Max', 'Mean', 'Std', 'Histogram']) tr.append(Object.assign(element('th', ''), { textContent: label }));
  head.append(tr);
  tableBody = element('tbody', '');
  table.append(head, tableBody);
  const count = span('ckpt-count', '');
  const fill = () => {
    const shown = tensors.filter((t) => t.name.toLowerCase().includes(query.toLowerCase()));
    count.textContent = shown.length > MAX_STATS_REQUEST ? `${shown.length} match; the first ${MAX_STATS_REQUEST} shown` : `${shown.length} of ${tensors.length}`;
    tableBody?.replaceChildren(...shown.slice(0, MAX_STATS_REQUEST).map(tensorRow));
  };
  search.addEventListener('input', () => {
    query = search.value;
    fill();
    requestStats();
  });
  fill();
  section.append(title, search, count, table);
  return section;
}

function tensorRow(tensor: CheckpointTensorRow): HTMLElement {
  const row = element('tr', '');
  row.dataset['tensor'] = tensor.name;
  const cells = [tensor.name, `[${tensor.shape.join(', ')}]`, tensor.dtype, tensor.size.toLocaleString('en-US')];
  cells.forEach((text, i) => row.append(Object.assign(element('td', i === 3 ? 'numeric' : ''), { textContent: text })));
  for (let i = 0; i < 5; i++) row.append(element('td', i < 4 ? 'numeric stat' : 'stat'));
  const known = stats.get(tensor.name);
  if (known) fillStats(row, known);
  return row;
}

function fillStats(row: HTMLElement, s: TensorStats): void {
  const cells = [...row.querySelectorAll<HTMLElement>('td.stat')];
  if (s.problem !== undefined) {
    const [first] = cells;
    if (first) {
      first.textContent = 'unreadable';
      first.title = s.problem;
    }
    return;
  }
  const numbers = [s.min, s.max, s.mean, s.std];
  numbers.forEach((v, i) => {
    const cell = cells[i];
    if (cell) {
      cell.textContent = Number.isFinite(v) ? v.toPrecision(4) : String(v);
      cell.title = String(v);
    }
  });
  const bars = cells[4];
  if (bars) {
    bars.replaceChildren(histogram(s));
    if (s.nonFinite > 0) bars.append(span('ckpt-problem', ` ${s.nonFinite} NaN/inf`));
  }
}

function histogram(s: TensorStats): HTMLElement {
  const box = element('span', 'ckpt-histogram');
  const top = Math.max(1, ...s.histogram);
  box.title = `${s.histogram.length} bins from ${s.min} to ${s.max}`;
  for (const count of s.histogram) {
    const bar = element('span', 'ckpt-bar');
    bar.style.height = `${Math.max(count > 0 ? 1 : 0, Math.round((count / top) * 16))}px`;
    box.append(bar);
  }
  return box;
}

function updateStatsCells(updated: readonly TensorStats[]): void {
  if (!tableBody) return;
  const rows = new Map([...tableBody.querySelectorAll<HTMLElement>('tr')].map((row) => [row.dataset['tensor'] ?? '', row]));
  for (const s of updated) {
    const row = rows.get(s.name);
    if (row) fillStats(row, s);
  }
}

/** Asks for the statistics of the rows shown and not known yet, a moment after the user stops typing. */
function requestStats(): void {
  clearTimeout(requestTimer);
  requestTimer = setTimeout(() => {
    if (snapshot?.kind !== 'ready' || !tableBody) return;
    const names = [...tableBody.querySelectorAll<HTMLElement>('tr')].map((row) => row.dataset['tensor'] ?? '').filter((name) => name && !stats.has(name));
    vscode.post({ type: 'stats', names: names.slice(0, MAX_STATS_REQUEST) });
  }, 150);
}

// #endregion
