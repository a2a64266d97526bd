/**
 * The 2-D power spectrum of a map, exactly: the squared magnitudes of its discrete Fourier
 * transform at the window's own size, and the share of its energy at the frequencies a pattern of
 * a given period lives on. The checkerboard lab draws the spectrum with those frequencies marked.
 *
 * The transforms are fft.js's. It takes power-of-two lengths only, and zero-padding a side to one
 * would move the frequency bins and smear a period-`r` pattern's energy over its neighbours (a
 * 510-wide window padded to 512 no longer has a bin at 510/2 cycles). So a length that is not a
 * power of two is transformed exactly with Bluestein's chirp-z algorithm on top of fft.js:
 *
 *     X_k = Σ_n x_n e^(−2πi·nk/N),  nk = (n² + k² − (k − n)²)/2
 *         = w_k · Σ_n (x_n·w_n) · conj(w_(k−n)),  w_j = e^(−πi·j²/N),
 *
 * a circular convolution of length `M ≥ 2N − 1` (a power of two) done with three fft.js transforms.
 * The chirp's angle uses `j² mod 2N`, which keeps it exact for large `j`.
 *
 * The power is normalised by the number of cells, so that by Parseval it sums to the window's
 * energy Σ v². The map being real, half the transforms are saved by symmetry (see the code).
 */
import FFT from 'fft.js';
import { LayerError } from './errors';
import type { Pair } from './pairs';
import { checkTensor } from './layout';
import { checkWindow, type Window } from './periodicity';
import { tensor, type Tensor } from './tensor';

/** An exact, unnormalised forward DFT of one length, reusable for many lines. */
interface LineTransform {
  /** Transforms `re`/`im` (length N) in place. */
  run(re: Float64Array, im: Float64Array): void;
}

const isPowerOfTwo = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

/** fft.js on a power-of-two length. */
function radixTransform(n: number): LineTransform {
  const fft = new FFT(n);
  const input = fft.createComplexArray() as number[];
  const output = fft.createComplexArray() as number[];
  return {
    run(re, im) {
      for (let i = 0; i < n; i++) {
        input[2 * i] = re[i] as number;
        input[2 * i + 1] = im[i] as number;
      }
      fft.transform(output, input);
      for (let i = 0; i < n; i++) {
        re[i] = output[2 * i] as number;
        im[i] = output[2 * i + 1] as number;
      }
    },
  };
}

/** Bluestein's algorithm (see the module comment) for any length N ≥ 2. */
function bluesteinTransform(n: number): LineTransform {
  let m = 2;
  while (m < 2 * n - 1) m *= 2;
  const fft = new FFT(m);
  // w_j = e^(−πi·j²/N): cos and −sin of π·(j² mod 2N)/N.
  const chirpCos = new Float64Array(n);
  const chirpSin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const angle = (Math.PI * ((j * j) % (2 * n))) / n;
    chirpCos[j] = Math.cos(angle);
    chirpSin[j] = -Math.sin(angle);
  }
  // The filter conj(w_j) at j and at −j (index M − j), transformed once.
  const filter = fft.createComplexArray() as number[];
  filter.fill(0);
  for (let j = 0; j < n; j++) {
    const re = chirpCos[j] as number;
    const im = -(chirpSin[j] as number);
    filter[2 * j] = re;
    filter[2 * j + 1] = im;
    if (j > 0) {
      filter[2 * (m - j)] = re;
      filter[2 * (m - j) + 1] = im;
    }
  }
  const filterSpectrum = fft.createComplexArray() as number[];
  fft.transform(filterSpectrum, filter);
  const a = fft.createComplexArray() as number[];
  const spectrum = fft.createComplexArray() as number[];
  const convolved = fft.createComplexArray() as number[];
  return {
    run(re, im) {
      a.fill(0);
      for (let j = 0; j < n; j++) {
        const c = chirpCos[j] as number;
        const s = chirpSin[j] as number;
        const x = re[j] as number;
        const y = im[j] as number;
        a[2 * j] = x * c - y * s;
        a[2 * j + 1] = x * s + y * c;
      }
      fft.transform(spectrum, a);
      for (let i = 0; i < m; i++) {
        const x = spectrum[2 * i] as number;
        const y = spectrum[2 * i + 1] as number;
        const u = filterSpectrum[2 * i] as number;
        const v = filterSpectrum[2 * i + 1] as number;
        spectrum[2 * i] = x * u - y * v;
        spectrum[2 * i + 1] = x * v + y * u;
      }
      // fft.js's inverse divides by M, as the circular convolution needs.
      fft.inverseTransform(convolved, spectrum);
      for (let k = 0; k < n; k++) {
        const c = chirpCos[k] as number;
        const s = chirpSin[k] as number;
        const x = convolved[2 * k] as number;
        const y = convolved[2 * k + 1] as number;
        re[k] = x * c - y * s;
        im[k] = x * s + y * c;
      }
    },
  };
}

function lineTransform(n: number): LineTransform {
  if (n === 1) return { run: () => undefined };
  return isPowerOfTwo(n) ? radixTransform(n) : bluesteinTransform(n);
}

/**
 * `[h, w]`: |DFT|² / (h·w) of the window of `map` (its last two axes; the whole map by default),
 * frequency `(u, v)` at `[u, v]`, DC at `[0, 0]`. Sums to the window's energy Σ v².
 */
export function powerSpectrum2d(map: Tensor, window?: Window): Tensor {
  checkTensor('map', map);
  const [height, width] = map.shape.slice(-2) as [number, number];
  const rows = window?.rows ?? { start: 0, end: height };
  const cols = window?.cols ?? { start: 0, end: width };
  checkWindow('powerSpectrum2d', map, { rows, cols });
  const h = rows.end - rows.start;
  const w = cols.end - cols.start;
  // The map is real, so its spectrum is Hermitian, X(−u, −v) = conj X(u, v): two rows go through one
  // complex transform (x + i·y, separated after), and only the columns 0…⌊w/2⌋ are transformed, the
  // others' power being the mirror image. Half the work of transforming everything, same numbers.
  const half = Math.floor(w / 2);
  const kept = half + 1;
  const re = new Float64Array(h * kept);
  const im = new Float64Array(h * kept);
  const rowTransform = lineTransform(w);
  const zRe = new Float64Array(w);
  const zIm = new Float64Array(w);
  const value = (r: number, c: number) => map.data[(rows.start + r) * width + cols.start + c] as number;
  for (let r = 0; r < h; r += 2) {
    const pair = r + 1 < h;
    for (let c = 0; c < w; c++) {
      zRe[c] = value(r, c);
      zIm[c] = pair ? value(r + 1, c) : 0;
    }
    rowTransform.run(zRe, zIm);
    for (let k = 0; k < kept; k++) {
      const m = (w - k) % w;
      const ar = zRe[k] as number;
      const ai = zIm[k] as number;
      const br = zRe[m] as number;
      const bi = zIm[m] as number;
      // X_k = (Z_k + conj Z_(N−k))/2, Y_k = (Z_k − conj Z_(N−k))/(2i).
      re[r * kept + k] = (ar + br) / 2;
      im[r * kept + k] = (ai - bi) / 2;
      if (pair) {
        re[(r + 1) * kept + k] = (ai + bi) / 2;
        im[(r + 1) * kept + k] = (br - ar) / 2;
      }
    }
  }
  const columnTransform = lineTransform(h);
  const lineRe = new Float64Array(h);
  const lineIm = new Float64Array(h);
  const cells = h * w;
  const power = new Float64Array(cells);
  for (let v = 0; v < kept && v < w; v++) {
    for (let u = 0; u < h; u++) {
      lineRe[u] = re[u * kept + v] as number;
      lineIm[u] = im[u * kept + v] as number;
    }
    columnTransform.run(lineRe, lineIm);
    const mirror = (w - v) % w;
    for (let u = 0; u < h; u++) {
      const p = ((lineRe[u] as number) ** 2 + (lineIm[u] as number) ** 2) / cells;
      power[u * w + v] = p;
      power[((h - u) % h) * w + mirror] = p;
    }
  }
  return tensor([h, w], power);
}

/**
 * The share of a power spectrum's energy (DC included in the total) at the frequencies a
 * period-`[p_h, p_w]` pattern lives on: `(a·h/p_h, b·w/p_w)` for whole `a`, `b`, not both 0. The
 * spectrum's sides must be whole periods (see ./periodicity's `wholePeriods`). 0 for a spectrum of
 * zeros. Equals ./periodicity's `periodicEnergyFraction` of the same window, by Parseval.
 */
export function periodicFrequencyShare(power: Tensor, period: Pair): number {
  const [h, w] = power.shape as unknown as Pair;
  const [ph, pw] = period;
  if (power.shape.length !== 2 || h % ph !== 0 || w % pw !== 0) {
    throw new LayerError('invalid-shape', `periodicFrequencyShare needs a spectrum whose sides are whole periods, but the spectrum is ${power.shape.join('×')} and the period ${ph}×${pw}`);
  }
  const stepH = h / ph;
  const stepW = w / pw;
  let total = 0;
  for (const v of power.data) total += v;
  let periodic = 0;
  for (let u = 0; u < h; u += stepH) {
    for (let v = 0; v < w; v += stepW) {
      if (u !== 0 || v !== 0) periodic += power.data[u * w + v] as number;
    }
  }
  return total === 0 ? 0 : Math.min(1, periodic / total);
}
