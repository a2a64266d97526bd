/**
 * The checkerboard lab in 1-D, in the volume panel of a 1-D transposed convolution: the layer's
 * kernel run on a signal (the layer's own input, a sine sweep or a constant), the output as a
 * waveform and its power spectrum in decibels, the stride's tones marked: the audio form of the
 * checkerboard artifact (src/core/engine/signalLab.ts computes it).
 */
import { asSentence, LayerError } from '../../src/core/engine/index';
import { signalLab, sineSweep, type SignalLabOptions } from '../../src/core/engine/signalLab';
import { element, span } from '../shared/grid';

const SVG = 'http://www.w3.org/2000/svg';
const SWEEP_LENGTH = 512;
const WIDTH = 640;
const HEIGHT = 110;
/** Decibels below the strongest bin that the spectrum still draws. */
const FLOOR_DB = 80;

export const SIGNAL_KINDS = ['sweep', 'constant', 'input'] as const;
type SignalKind = (typeof SIGNAL_KINDS)[number];
const SIGNAL_LABELS: Readonly<Record<SignalKind, string>> = {
  sweep: `A sine sweep (${SWEEP_LENGTH} samples, 0.005 to 0.2 cycles per sample)`,
  constant: `A constant (${SWEEP_LENGTH} ones): only the artifact sounds`,
  input: 'The layer’s input (image 0, channel 0)',
};

/** The section; `input` is the layer's first sequence, `kernel` its first kernel. */
export function signalSection(input: Float64Array, kernel: Float64Array, options: SignalLabOptions): HTMLElement {
  const section = element('section', 'signal-lab');
  section.setAttribute('aria-label', 'As a signal');
  const heading = element('h2', 'view-title');
  heading.textContent = 'As a signal: the artifact heard';
  const choose = element('select', 'signal-kind');
  choose.setAttribute('aria-label', 'Signal');
  for (const kind of SIGNAL_KINDS) choose.append(Object.assign(element('option', ''), { value: kind, textContent: SIGNAL_LABELS[kind] }));
  const body = element('div', 'signal-body');
  const draw = () => body.replaceChildren(...signalCharts(signalOf(choose.value as SignalKind, input), kernel, options));
  choose.addEventListener('change', draw);
  section.append(heading, choose, body);
  draw();
  return section;
}

function signalOf(kind: SignalKind, input: Float64Array): Float64Array {
  if (kind === 'sweep') return sineSweep(SWEEP_LENGTH);
  if (kind === 'constant') return new Float64Array(SWEEP_LENGTH).fill(1);
  return input;
}

function signalCharts(signal: Float64Array, kernel: Float64Array, options: SignalLabOptions): HTMLElement[] {
  let lab;
  try {
    lab = signalLab(signal, kernel, options);
  } catch (error) {
    return [span('hint', error instanceof LayerError ? asSentence(error.message) : String(error))];
  }
  const n = lab.output.length;
  const tones = lab.toneBins.map((b) => `${(b / n).toFixed(3)}`).join(', ');
  const summary = element('p', 'signal-summary');
  summary.textContent =
    lab.toneBins.length === 0
      ? 'Stride 1 has no tone of its own: the layer is a plain filter.'
      : `${(lab.toneShare * 100).toFixed(1)}% of the output's energy (DC left out) is at the stride's tones, ${tones} cycles per output sample (marked).`;
  return [chart('Output waveform', waveform(lab.output)), chart('Output power spectrum, dB', spectrum(lab.spectrum, lab.toneBins)), summary];
}

function chart(label: string, svg: SVGSVGElement): HTMLElement {
  const figure = element('figure', 'signal-chart');
  const caption = element('figcaption', '');
  caption.textContent = label;
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  figure.append(caption, svg);
  return figure;
}

function svgBox(className: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  // As wide as the panel allows (up to WIDTH): the tones at the right edge must stay in view.
  svg.setAttribute('preserveAspectRatio', 'none');
  return svg;
}

function waveform(values: Float64Array): SVGSVGElement {
  const svg = svgBox('waveform');
  // From the lowest value to the highest (a constant's output, 1 and 2, fills the box as a sine's does).
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max > min ? max - min : 1;
  const y = (v: number) => (Number.isFinite(v) && max >= min ? HEIGHT - 2 - ((v - min) / span) * (HEIGHT - 4) : HEIGHT / 2);
  const points = Array.from(values, (v, i) => `${((i / Math.max(1, values.length - 1)) * WIDTH).toFixed(1)},${y(v).toFixed(1)}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('class', 'wave');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  return svg;
}

function spectrum(power: Float64Array, toneBins: readonly number[]): SVGSVGElement {
  const svg = svgBox('spectrum');
  let peak = 0;
  for (const p of power) if (p > peak) peak = p;
  const bins = power.length;
  const x = (b: number) => (b / Math.max(1, bins - 1)) * WIDTH;
  const y = (p: number) => {
    const db = peak > 0 && p > 0 ? Math.max(-FLOOR_DB, 10 * Math.log10(p / peak)) : -FLOOR_DB;
    return (-db / FLOOR_DB) * HEIGHT;
  };
  for (const bin of toneBins) {
    const marker = document.createElementNS(SVG, 'line');
    marker.setAttribute('class', 'tone');
    marker.setAttribute('x1', String(x(bin)));
    marker.setAttribute('x2', String(x(bin)));
    marker.setAttribute('y1', '0');
    marker.setAttribute('y2', String(HEIGHT));
    svg.append(marker);
  }
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('class', 'power');
  line.setAttribute('points', Array.from(power, (p, b) => `${x(b).toFixed(1)},${y(p).toFixed(1)}`).join(' '));
  svg.append(line);
  return svg;
}
