/**
 * The lab's pictures as numbers: shared value ranges (so the three methods are drawn at the same
 * scale with the same colour map), the spectrum centred and on a log scale, where its
 * stride-periodic frequencies fall, and an image's pixels as grey or one colour channel. No DOM:
 * tested in Node.
 */
import type { LabWindow } from '../../src/core/protocol/lab';
import type { MatrixView } from '../../src/core/protocol/common';

export interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** The finite values' range over each matrix's window (its whole extent when it has none). */
export function sharedRange(maps: readonly { readonly matrix: MatrixView; readonly window?: LabWindow }[]): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { matrix, window } of maps) {
    const [r0, r1] = window?.rows ?? [0, matrix.rows];
    const [c0, c1] = window?.cols ?? [0, matrix.cols];
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const v = matrix.data[r * matrix.cols + c] as number;
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return lo <= hi ? { lo, hi } : { lo: 0, hi: 0 };
}

/** 0 … 1 within the range (values outside are clamped; a flat range maps to the middle). */
export function normalise(value: number, { lo, hi }: Range): number {
  if (!Number.isFinite(value)) return 0;
  if (hi <= lo) return 0.5;
  return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
}

/** Decades of power below the largest that the spectrum picture shows. */
export const SPECTRUM_DECADES = 8;

/**
 * The spectrum centred (zero frequency in the middle: row `y` is frequency `y − ⌊h/2⌋`) as
 * log10 of the power; an exact zero becomes −Infinity.
 */
export function centredLogPower(spectrum: MatrixView): MatrixView {
  const { rows: h, cols: w } = spectrum;
  const data = new Float64Array(h * w);
  const ch = Math.floor(h / 2);
  const cw = Math.floor(w / 2);
  for (let y = 0; y < h; y++) {
    const u = (((y - ch) % h) + h) % h;
    for (let x = 0; x < w; x++) {
      const v = (((x - cw) % w) + w) % w;
      data[y * w + x] = Math.log10(spectrum.data[u * w + v] as number);
    }
  }
  return { rows: h, cols: w, data };
}

/** The range a set of centred log spectra share: the largest value and {@link SPECTRUM_DECADES} below it. */
export function spectrumRange(logSpectra: readonly MatrixView[]): Range {
  let hi = -Infinity;
  for (const s of logSpectra) for (const v of s.data) if (Number.isFinite(v)) hi = Math.max(hi, v);
  return Number.isFinite(hi) ? { lo: hi - SPECTRUM_DECADES, hi } : { lo: 0, hi: 0 };
}

/** Where, in the centred picture, the period-`P` frequencies `(a·h/P, b·w/P)` other than DC sit: `[y, x]` pairs. */
export function strideFrequencyPixels(rows: number, cols: number, period: number): [number, number][] {
  if (rows % period !== 0 || cols % period !== 0) return [];
  const pixels: [number, number][] = [];
  const ch = Math.floor(rows / 2);
  const cw = Math.floor(cols / 2);
  for (let a = 0; a < period; a++) {
    for (let b = 0; b < period; b++) {
      if (a === 0 && b === 0) continue;
      pixels.push([(((a * rows) / period + ch) % rows), (((b * cols) / period + cw) % cols)]);
    }
  }
  return pixels;
}

/** How an image becomes the lab's one-channel input. */
export const IMAGE_CHANNELS = ['grey', 'red', 'green', 'blue'] as const;
export type ImageChannel = (typeof IMAGE_CHANNELS)[number];

/**
 * RGBA pixels as one channel in [0, 1]: grey by ITU-R BT.601 luma, or the red, green or blue
 * channel alone; transparent pixels count as white, as on a page.
 */
export function channelFromRgba(rgba: ArrayLike<number>, width: number, height: number, channel: ImageChannel = 'grey'): MatrixView {
  const weights: Readonly<Record<ImageChannel, readonly [number, number, number]>> = {
    grey: [0.299, 0.587, 0.114],
    red: [1, 0, 0],
    green: [0, 1, 0],
    blue: [0, 0, 1],
  };
  const [wr, wg, wb] = weights[channel];
  const data = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = (rgba[4 * i + 3] as number) / 255;
    const value = (wr * (rgba[4 * i] as number) + wg * (rgba[4 * i + 1] as number) + wb * (rgba[4 * i + 2] as number)) / 255;
    data[i] = alpha * value + (1 - alpha);
  }
  return { rows: height, cols: width, data };
}

/** The size an image is scaled to so that its longer side is at most `maxSide` (never enlarged). */
export function fitSize(width: number, height: number, maxSide: number): [number, number] {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

/** A dark-to-bright ramp with distinct hues (for counts and spectra), `t` in [0, 1]. */
export function heatColor(t: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [0, 0, 4],
    [87, 16, 110],
    [188, 55, 84],
    [249, 142, 9],
    [252, 255, 164],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i] as [number, number, number];
  const b = stops[i + 1] as [number, number, number];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}
