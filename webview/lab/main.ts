/**
 * The checkerboard lab's page: the controls (input, size, factor, kernel, resize mode, stages), and
 * for each of the three methods its output, verdict, stride-frequency energy, count map, all-ones
 * response and spectrum, drawn at one scale per kind of picture. Every message is checked against
 * the shared protocol; the engine runs on the host's worker, not here. An image file the user picks
 * is decoded here by the browser and turned to grey. The settings are kept with `keep`
 * (webview/shared/connectPage.ts).
 */
import { assertNever, type MatrixView } from '../../src/core/protocol/common';
import {
  isToLabMessage,
  LAB_LIMITS,
  LAB_METHOD_TITLES,
  labSettingsProblem,
  fitLabSettings,
  persistLabState,
  restoreLabSettings,
  type FromLabMessage,
  type LabComputed,
  type LabInputChoice,
  type LabMethodView,
  type LabSettings,
  type LabSnapshot,
  type PersistedLabState,
  type ToLabMessage,
} from '../../src/core/protocol/lab';
import { checkImage } from '../../src/core/protocol/imageHeader';
import { connectPage } from '../shared/connectPage';
import { element, span } from '../shared/grid';
import { centredLogPower, channelFromRgba, fitSize, heatColor, IMAGE_CHANNELS, normalise, sharedRange, spectrumRange, strideFrequencyPixels, type ImageChannel, type Range } from './labImages';

/** The side, in CSS pixels, every picture is drawn at. */
const PICTURE = 240;
/** Images are scaled to at most this many pixels a side, so that stacks of stages stay within the lab's limits. */
const IMAGE_SIDE = 128;

const vscode = connectPage<ToLabMessage, FromLabMessage, PersistedLabState>('checkerboard lab', isToLabMessage, {
  show: (message) => show(message.snapshot),
  image: (message) => void useImage(message.name, message.bytes),
  notice: (message) => notice(message.tone, message.text),
});
const app = document.getElementById('app') as HTMLElement;
/** The settings the page kept (without a matrix or image, which are not kept), or the defaults. */
let settings: LabSettings = restoreLabSettings(vscode.kept());
let snapshot: LabSnapshot = { kind: 'empty' };
let statusLine: HTMLElement | undefined;
/** The decoded image, kept while the page lives so that another channel can be chosen without decoding again. */
let image: { readonly name: string; readonly note: string; readonly width: number; readonly height: number; readonly rgba: Uint8ClampedArray; channel: ImageChannel } | undefined;

function keep(current: LabSettings): void {
  vscode.keep(persistLabState(current));
}

/** Why the last run has fewer stages or a smaller factor than asked (a new input made it too large), shown under the controls. */
let fitNote: string | undefined;

function run(asked: LabSettings): void {
  const next = fitLabSettings(asked);
  const lowered = [next.stages < asked.stages ? `stages to ${next.stages}` : '', next.factor < asked.factor ? `the factor to ${next.factor}` : ''].filter(Boolean).join(' and ');
  fitNote = lowered ? `Lowered ${lowered}: ${labSettingsProblem(asked) ?? ''}.` : undefined;
  settings = next;
  keep(next);
  vscode.post({ type: 'run', settings: next });
}

function show(next: LabSnapshot): void {
  snapshot = next;
  // A restored panel starts empty: ask again with the kept settings.
  if (next.kind === 'empty') {
    run(settings);
    return;
  }
  settings = next.settings;
  keep(settings);
  app.replaceChildren();
  app.dataset.state = next.kind;
  app.append(header(), controls(), toolbar());
  switch (next.kind) {
    case 'computing':
      notice('info', `Comparing on ${describeInput(next.settings)}…`);
      app.setAttribute('aria-busy', 'true');
      return;
    case 'invalid': {
      app.removeAttribute('aria-busy');
      const box = element('div', 'problems');
      box.setAttribute('role', 'alert');
      for (const problem of next.problems) box.append(span('problem', problem));
      app.append(box);
      return;
    }
    case 'ready':
      app.removeAttribute('aria-busy');
      app.append(comparison(next.result));
      notice('info', `Computed in ${next.result.milliseconds.toFixed(0)} ms in the engine worker.`);
      return;
    default:
      assertNever(next);
  }
}

function describeInput(s: LabSettings): string {
  switch (s.input) {
    case 'constant':
      return `a constant ${s.size}×${s.size} input`;
    case 'gradient':
      return `a ${s.size}×${s.size} gradient`;
    case 'pattern':
      return `a ${s.size}×${s.size} test pattern (seed ${s.seed})`;
    case 'matrix':
    case 'image':
      return s.matrixLabel ?? `your ${s.input}`;
    default:
      assertNever(s.input);
  }
}

function header(): HTMLElement {
  const node = element('header', 'lab-header');
  const title = element('h1', 'lab-title');
  title.textContent = 'Checkerboard lab';
  const kernel = settings.kernel ? `your ${settings.kernel.rows}×${settings.kernel.cols} kernel` : `a ${settings.kernelSize}×${settings.kernelSize} kernel of ones`;
  const stack = settings.stages > 1 ? `, ${settings.stages} stages` : '';
  node.append(title, span('lab-caption', `Upsampling ${describeInput(settings)} by ${settings.factor} with ${kernel}${stack}.`));
  return node;
}

/**
 * A labelled select; changing it runs the comparison again. With `problem`, a value the lab would
 * refuse with the other settings as they are is offered disabled, its reason as the option's title,
 * so that nothing offered fails.
 */
function select<T extends string | number>(
  id: string,
  label: string,
  options: readonly (readonly [T, string])[],
  value: T,
  change: (value: T) => void,
  problem?: (value: T) => string | undefined,
): HTMLElement {
  const field = element('label', 'lab-field');
  field.htmlFor = id;
  const node = element('select', 'lab-select');
  node.id = id;
  for (const [optionValue, text] of options) {
    const option = element('option', '');
    option.value = String(optionValue);
    option.textContent = text;
    option.selected = optionValue === value;
    const refused = optionValue === value ? undefined : problem?.(optionValue);
    if (refused) {
      option.disabled = true;
      option.textContent = `${text} (too large)`;
      option.title = `${refused.charAt(0).toUpperCase()}${refused.slice(1)}.`;
    }
    node.append(option);
  }
  node.addEventListener('change', () => {
    const picked = options.find(([v]) => String(v) === node.value);
    if (picked) change(picked[0]);
  });
  field.append(span('lab-field-label', label), node);
  return field;
}

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

function controls(): HTMLElement {
  const form = element('div', 'lab-controls');
  form.setAttribute('role', 'group');
  form.setAttribute('aria-label', 'What to compare');
  type InputOption = LabInputChoice | 'pick-image';
  const inputs: [InputOption, string][] = [
    ['constant', 'Constant'],
    ['gradient', 'Smooth gradient'],
    ['pattern', 'Test pattern'],
  ];
  if (settings.input === 'matrix' && settings.matrix) inputs.push(['matrix', settings.matrixLabel ?? 'Your matrix']);
  if (settings.input === 'image' && settings.matrix) inputs.push(['image', settings.matrixLabel ?? 'Your image']);
  inputs.push(['pick-image', 'Image file…']);
  form.append(
    select<InputOption>('lab-input', 'Input', inputs, settings.input, (value) => {
      if (value === 'pick-image') vscode.post({ type: 'pickImage' });
      else run(value === 'matrix' || value === 'image' ? settings : withoutMatrix({ ...settings, input: value }));
    }),
  );
  if (settings.input !== 'matrix' && settings.input !== 'image') {
    const sizes = [8, 16, 32, 64, 128, 256].filter((s) => s >= LAB_LIMITS.size.min && s <= LAB_LIMITS.size.max);
    if (!sizes.includes(settings.size)) sizes.push(settings.size);
    form.append(
      select('lab-size', 'Size', sizes.sort((a, b) => a - b).map((s) => [s, `${s}×${s}`] as const), settings.size, (size) => run({ ...settings, size }), (size) => labSettingsProblem({ ...settings, size })),
    );
  }
  if (settings.input === 'image' && image) {
    const current = image;
    form.append(
      select('lab-channel', 'Channel', IMAGE_CHANNELS.map((c) => [c, c] as const), current.channel, (channel) => {
        current.channel = channel;
        runOnImage(current);
      }),
    );
  }
  form.append(
    select('lab-factor', 'Factor', range(LAB_LIMITS.factor.min, LAB_LIMITS.factor.max).map((r) => [r, `×${r}`] as const), settings.factor, (factor) => run({ ...settings, factor }), (factor) => labSettingsProblem({ ...settings, factor })),
  );
  const kernels: [number, string][] = range(LAB_LIMITS.kernelSize.min, LAB_LIMITS.kernelSize.max).map((k) => [k, `${k}×${k} ones`]);
  const yourKernel = -1;
  const { kernel: _userKernel, ...withoutKernel } = settings;
  if (settings.kernel) kernels.unshift([yourKernel, `your ${settings.kernel.rows}×${settings.kernel.cols}`]);
  form.append(
    select(
      'lab-kernel',
      'Kernel',
      kernels,
      settings.kernel ? yourKernel : settings.kernelSize,
      (k) => {
        if (k !== yourKernel) run({ ...withoutKernel, kernelSize: k });
      },
      (k) => (k === yourKernel ? undefined : labSettingsProblem({ ...withoutKernel, kernelSize: k })),
    ),
    select('lab-mode', 'Resize', [['nearest', 'nearest'], ['bilinear', 'bilinear']] as const, settings.mode, (mode) => run({ ...settings, mode })),
    select('lab-stages', 'Stages', range(LAB_LIMITS.stages.min, LAB_LIMITS.stages.max).map((s) => [s, String(s)] as const), settings.stages, (stages) => run({ ...settings, stages }), (stages) => labSettingsProblem({ ...settings, stages })),
  );
  if (fitNote) form.append(span('lab-limit-note', fitNote));
  return form;
}

function withoutMatrix(s: LabSettings): LabSettings {
  const { matrix: _matrix, matrixLabel: _label, ...rest } = s;
  return rest;
}

function iconButton(action: string, icon: string, label: string, click: () => void): HTMLButtonElement {
  const node = element('button', 'icon-button');
  node.type = 'button';
  node.dataset.action = action;
  node.title = label;
  node.setAttribute('aria-label', label);
  node.append(span(`codicon codicon-${icon}`, ''));
  node.addEventListener('click', click);
  return node;
}

function toolbar(): HTMLElement {
  const bar = element('div', 'export-toolbar');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Save and export');
  bar.append(
    iconButton('save-png', 'device-camera', 'Save the comparison as PNG', () => void savePng()),
    iconButton('export-csv', 'table', 'Export the numbers as CSV', () => vscode.post({ type: 'export', format: 'csv' })),
    iconButton('export-json', 'json', 'Export the numbers as JSON', () => vscode.post({ type: 'export', format: 'json' })),
  );
  statusLine = span('export-status', '');
  statusLine.setAttribute('role', 'status');
  bar.append(statusLine);
  return bar;
}

function notice(tone: 'info' | 'error', text: string): void {
  if (!statusLine) return;
  statusLine.textContent = text;
  statusLine.dataset.tone = tone;
}

/** The scales the three methods share, one per kind of picture. */
interface Scales {
  readonly output: Range;
  readonly response: Range;
  readonly counts: Range;
  readonly spectrum: Range;
  readonly logSpectra: readonly (MatrixView | undefined)[];
}

function comparison(result: LabComputed): HTMLElement {
  const logSpectra = result.methods.map((m) => m.spectrum && centredLogPower(m.spectrum));
  const scales: Scales = {
    output: sharedRange(result.methods.map((m) => ({ matrix: m.output, window: m.window }))),
    response: sharedRange(result.methods.map((m) => ({ matrix: m.response, window: m.window }))),
    counts: sharedRange(result.methods.map((m) => ({ matrix: m.counts }))),
    spectrum: spectrumRange(logSpectra.filter((s): s is MatrixView => s !== undefined)),
    logSpectra,
  };
  const grid = element('div', 'lab-grid');
  result.methods.forEach((m, i) => grid.append(methodCard(result, m, scales, i)));
  const legend = element('p', 'lab-legend');
  legend.textContent =
    `Outputs and all-ones responses in grey, black ${fmt(scales.output.lo)} to white ${fmt(scales.output.hi)} (responses ${fmt(scales.response.lo)} to ${fmt(scales.response.hi)}), the same for all three; ` +
    `counts and spectra dark to bright (counts ${fmt(scales.counts.lo)} to ${fmt(scales.counts.hi)}; spectra log power over ${8} decades, zero frequency in the middle). ` +
    `Rings mark the stride-periodic frequencies k·N/${result.period}; the dashed frame on an output is the interior the numbers are measured on.`;
  const wrap = element('div', 'lab-comparison');
  wrap.append(grid, legend);
  return wrap;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** Shares under this are float residue (the same sums taken in another order), shown as 0; the export keeps them exact. */
const RESIDUE = 1e-12;

function percent(share: number | undefined): string {
  if (share === undefined) return 'n/a';
  const p = 100 * share;
  return share < RESIDUE ? '0%' : p < 0.01 ? `${p.toExponential(1)}%` : `${p.toPrecision(3)}%`;
}

function methodCard(result: LabComputed, m: LabMethodView, scales: Scales, index: number): HTMLElement {
  const card = element('section', 'lab-method');
  card.dataset.method = m.method;
  card.dataset.verdict = m.verdict.kind;
  const titleId = `lab-title-${m.method}`;
  card.setAttribute('aria-labelledby', titleId);
  const title = element('h2', 'lab-method-title');
  title.id = titleId;
  title.textContent = m.method === 'resize' ? `${LAB_METHOD_TITLES.resize} (${result.mode})` : LAB_METHOD_TITLES[m.method];

  const output = picture(m.output, (v) => grey(normalise(v, scales.output)), `${title.textContent}: the ${m.output.rows}×${m.output.cols} output, ${m.verdict.kind}`, (ctx, scale) => frame(ctx, m, scale));
  output.classList.add('lab-output');
  if (!m.whyUnavailable && result.stages === 1) {
    // A click on a cell opens the step player with that cell's products listed: which overlaps made it.
    output.classList.add('lab-clickable');
    output.title = 'Click a cell to see, in the step player, which input values and kernel taps made it';
    output.addEventListener('click', (event) => {
      const bounds = output.getBoundingClientRect();
      const row = Math.min(m.output.rows - 1, Math.max(0, Math.floor(((event.clientY - bounds.top) / bounds.height) * m.output.rows)));
      const col = Math.min(m.output.cols - 1, Math.max(0, Math.floor(((event.clientX - bounds.left) / bounds.width) * m.output.cols)));
      vscode.post({ type: 'why', method: m.method, cell: [row, col] });
    });
  }

  const verdict = element('p', 'lab-verdict');
  verdict.dataset.kind = m.verdict.kind;
  verdict.append(span(`codicon codicon-${m.verdict.kind === 'flat' ? 'pass' : 'warning'}`, ''), ' ', span('lab-verdict-text', m.verdict.reason));

  const share = element('p', 'lab-share');
  share.append(span('lab-share-value', percent(m.constantShare)), span('lab-share-label', ` of a constant input’s energy at the stride frequencies · ${percent(m.outputShare)} on this input`));

  const why = element('button', 'lab-why');
  why.type = 'button';
  why.dataset.action = 'why';
  why.append(span('codicon codicon-debug-step-into', ''), ' Why? Step through it');
  why.setAttribute('aria-label', `Why: open the step player on the ${title.textContent} as one transposed convolution`);
  if (m.whyUnavailable) {
    why.setAttribute('aria-disabled', 'true');
    why.title = m.whyUnavailable;
  } else {
    why.title = result.stages > 1 ? 'Open the step player on stage 1, written as one transposed convolution' : 'Open the step player on this layer, written as one transposed convolution';
  }
  why.addEventListener('click', () => (m.whyUnavailable ? notice('info', m.whyUnavailable) : vscode.post({ type: 'why', method: m.method })));

  const details = element('div', 'lab-details');
  const tile = m.countTile ? ` (interior tile ${tileText(m.countTile)})` : '';
  details.append(
    figure('Products per cell' + tile, picture(m.counts, (v) => heatColor(normalise(v, scales.counts)), `${title.textContent}: overlap count map${tile}`)),
    figure('All-ones response', picture(m.response, (v) => grey(normalise(v, scales.response)), `${title.textContent}: response to an all-ones input`, (ctx, scale) => frame(ctx, m, scale))),
  );
  const log = scales.logSpectra[index];
  if (log) {
    const marks = strideFrequencyPixels(log.rows, log.cols, result.period);
    details.append(figure('Spectrum of the output', picture(log, (v) => heatColor(normalise(v, scales.spectrum)), `${title.textContent}: power spectrum of the output, ${percent(m.outputShare)} at the stride frequencies`, (ctx, scale) => rings(ctx, marks, scale))));
  }
  card.append(title, output, verdict, share, why, details);
  return card;
}

function tileText(tile: MatrixView): string {
  const rows: string[] = [];
  for (let r = 0; r < tile.rows; r++) rows.push(Array.from(tile.data.subarray(r * tile.cols, (r + 1) * tile.cols), (v) => fmt(v)).join(' '));
  return rows.join(' / ');
}

function figure(caption: string, canvas: HTMLCanvasElement): HTMLElement {
  const node = element('figure', 'lab-figure');
  const text = element('figcaption', '');
  text.textContent = caption;
  node.append(canvas, text);
  return node;
}

function grey(t: number): [number, number, number] {
  const v = Math.round(255 * t);
  return [v, v, v];
}

/**
 * A matrix as a canvas: each value one block of `scale × scale` pixels (a whole number, so that a
 * checkerboard stays one; large maps are drawn one pixel per value), and marks drawn over it.
 */
function picture(matrix: MatrixView, color: (value: number) => [number, number, number], label: string, overlay?: (ctx: CanvasRenderingContext2D, scale: number) => void): HTMLCanvasElement {
  const scale = Math.max(1, Math.floor(PICTURE / Math.max(matrix.rows, matrix.cols)));
  const canvas = element('canvas', 'lab-picture');
  canvas.width = matrix.cols * scale;
  canvas.height = matrix.rows * scale;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const image = ctx.createImageData(canvas.width, canvas.height);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      const [red, green, blue] = color(matrix.data[r * matrix.cols + c] as number);
      for (let dy = 0; dy < scale; dy++) {
        let at = 4 * ((r * scale + dy) * canvas.width + c * scale);
        for (let dx = 0; dx < scale; dx++, at += 4) {
          image.data[at] = red;
          image.data[at + 1] = green;
          image.data[at + 2] = blue;
          image.data[at + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  overlay?.(ctx, scale);
  return canvas;
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** The measured interior, dashed. */
function frame(ctx: CanvasRenderingContext2D, m: LabMethodView, scale: number): void {
  if (!m.window) return;
  ctx.save();
  ctx.strokeStyle = themeColor('--vscode-charts-blue', '#3794ff');
  ctx.lineWidth = Math.max(1, Math.min(2, scale / 2));
  ctx.setLineDash([4, 3]);
  const [r0, r1] = m.window.rows;
  const [c0, c1] = m.window.cols;
  ctx.strokeRect(c0 * scale + 0.5, r0 * scale + 0.5, (c1 - c0) * scale - 1, (r1 - r0) * scale - 1);
  ctx.restore();
}

/** Rings around the stride-periodic frequencies. */
function rings(ctx: CanvasRenderingContext2D, marks: readonly [number, number][], scale: number): void {
  ctx.save();
  ctx.strokeStyle = themeColor('--vscode-charts-red', '#f14c4c');
  ctx.lineWidth = 2;
  // Large enough to see on a picture drawn at 160 pixels, even when the frequency is at a corner.
  const radius = Math.max(8, scale * 2);
  for (const [y, x] of marks) {
    ctx.beginPath();
    ctx.arc((x + 0.5) * scale, (y + 0.5) * scale, radius, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

/** Decodes an image with the browser, scales it to at most {@link IMAGE_SIDE} a side, and compares on its grey values (the Channel field picks a colour channel instead). */
async function useImage(name: string, bytes: Uint8Array): Promise<void> {
  // The header first (the host checked it too): an image claiming 30000×30000 pixels is never decoded.
  const header = checkImage(name, bytes);
  if (typeof header === 'string') {
    notice('error', `${header}.`);
    return;
  }
  try {
    const [width, height] = fitSize(header.width, header.height, IMAGE_SIDE);
    // Decoded at the size it is used at, where the browser can (a JPEG decoder scales as it decodes).
    const scaling = width !== header.width || height !== header.height;
    const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), scaling ? { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' } : {});
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas');
    ctx.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const scaled = scaling ? `, scaled to ${width}×${height}` : '';
    image = { name, note: scaled, width, height, rgba: ctx.getImageData(0, 0, width, height).data, channel: 'grey' };
    runOnImage(image);
  } catch (error) {
    notice('error', `Could not decode ${name} as an image: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function runOnImage(source: NonNullable<typeof image>): void {
  const matrix = channelFromRgba(source.rgba, source.width, source.height, source.channel);
  run({ ...settings, input: 'image', matrix, matrixLabel: `${source.name} (${source.channel}${source.note})` });
}

/** The comparison as one PNG: the header line, then per method its title, pictures and numbers, in the theme's colours. */
async function savePng(): Promise<void> {
  if (snapshot.kind !== 'ready') {
    notice('error', 'There is nothing to save yet: the comparison has not finished.');
    return;
  }
  const cards = [...app.querySelectorAll<HTMLElement>('.lab-method')];
  const pad = 16;
  const column = PICTURE + 2 * pad;
  const lineHeight = 16;
  const background = themeColor('--vscode-editor-background', '#ffffff');
  const foreground = themeColor('--vscode-foreground', '#333333');
  const font = themeColor('--vscode-font-family', 'sans-serif');
  // Text lines and pictures per card, laid out top to bottom.
  const blocks = cards.map((card) => {
    const items: ({ kind: 'text'; text: string; bold?: boolean } | { kind: 'image'; canvas: HTMLCanvasElement })[] = [];
    items.push({ kind: 'text', text: card.querySelector('.lab-method-title')?.textContent ?? '', bold: true });
    const canvases = [...card.querySelectorAll<HTMLCanvasElement>('canvas')];
    const captions = [...card.querySelectorAll('figcaption')].map((c) => c.textContent ?? '');
    if (canvases[0]) items.push({ kind: 'image', canvas: canvases[0] });
    items.push({ kind: 'text', text: card.querySelector('.lab-verdict-text')?.textContent ?? '' });
    items.push({ kind: 'text', text: card.querySelector('.lab-share')?.textContent ?? '' });
    canvases.slice(1).forEach((canvas, i) => {
      items.push({ kind: 'text', text: captions[i] ?? '' });
      items.push({ kind: 'image', canvas });
    });
    return items;
  });
  const measure = document.createElement('canvas').getContext('2d');
  if (!measure) return;
  measure.font = `12px ${font}`;
  const wrapText = (text: string): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (measure.measureText(next).width > PICTURE && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines;
  };
  const heightOf = (items: (typeof blocks)[number]) =>
    items.reduce((h, item) => h + (item.kind === 'text' ? wrapText(item.text).length * lineHeight + 4 : Math.min(PICTURE, item.canvas.height) + 8), 0);
  const headerLines = wrapText(app.querySelector('.lab-caption')?.textContent ?? '').length;
  const width = column * blocks.length;
  const height = pad * 2 + (headerLines + 1) * lineHeight + Math.max(...blocks.map(heightOf));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = foreground;
  ctx.textBaseline = 'top';
  ctx.imageSmoothingEnabled = false;
  ctx.font = `bold 14px ${font}`;
  ctx.fillText(`Checkerboard lab — ${app.querySelector('.lab-caption')?.textContent ?? ''}`, pad, pad);
  const top = pad + 2 * lineHeight;
  blocks.forEach((items, i) => {
    let y = top;
    const x = i * column + pad;
    for (const item of items) {
      if (item.kind === 'text') {
        ctx.font = `${item.bold ? 'bold ' : ''}12px ${font}`;
        for (const line of wrapText(item.text)) {
          ctx.fillText(line, x, y);
          y += lineHeight;
        }
        y += 4;
      } else {
        const scale = Math.min(1, PICTURE / Math.max(item.canvas.width, item.canvas.height));
        ctx.drawImage(item.canvas, x, y, item.canvas.width * scale, item.canvas.height * scale);
        y += Math.min(PICTURE, item.canvas.height * scale) + 8;
      }
    }
  });
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) {
    notice('error', 'Could not render the PNG.');
    return;
  }
  vscode.post({ type: 'saveImage', bytes: new Uint8Array(await blob.arrayBuffer()) });
}
