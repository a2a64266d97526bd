/**
 * The checkerboard lab in 1-D: a transposed convolution run on a signal (a sine sweep, a constant,
 * or the user's sequence) and the power spectrum of what it outputs. Uneven overlap shows in audio
 * as tones at the multiples of `1/stride` cycles per output sample (a buzz at the sample rate over
 * the stride): the all-ones response's ripple, heard. The share of the output's energy at those
 * frequencies is the 1-D form of the lab's periodic energy.
 */
import { convTranspose1d } from './convTranspose';
import { LayerError } from './errors';
import { checkAllocation } from './layout';
import { readIntSingle, type IntSingle } from './pairs';
import { powerSpectrum2d } from './spectrum';
import { tensor } from './tensor';

/** The longest signal the lab takes (a second of 16 kHz audio). */
export const MAX_SIGNAL_LENGTH = 16_384;

export interface SignalLabOptions {
  readonly stride?: IntSingle;
  readonly padding?: IntSingle;
  readonly outputPadding?: IntSingle;
  readonly dilation?: IntSingle;
}

export interface SignalLab {
  readonly output: Float64Array;
  /** One-sided power |DFT|²/N of the output, bins 0 … ⌊N/2⌋ (bin b is b/N cycles per output sample). */
  readonly spectrum: Float64Array;
  /** The one-sided bins of the stride's tones, `k/stride` cycles per sample for k = 1 … ⌊stride/2⌋, rounded. */
  readonly toneBins: readonly number[];
  /** The share of the output's energy (DC left out) within one bin of a stride tone; 0 for a silent output. */
  readonly toneShare: number;
}

/** A linear chirp of amplitude 1 from `from` to `to` cycles per sample (below 0.5, the Nyquist frequency). */
export function sineSweep(length: number, from = 0.005, to = 0.2): Float64Array {
  if (!Number.isSafeInteger(length) || length < 1 || length > MAX_SIGNAL_LENGTH) throw new LayerError('invalid-parameter', `a sweep's length must be a whole number from 1 to ${MAX_SIGNAL_LENGTH}, not ${length}`);
  if (!(from >= 0 && to >= 0 && from < 0.5 && to < 0.5)) throw new LayerError('invalid-parameter', `a sweep's frequencies must be from 0 to below 0.5 cycles per sample, not ${from} to ${to}`);
  const signal = new Float64Array(length);
  const rate = length > 1 ? (to - from) / (length - 1) : 0;
  for (let n = 0; n < length; n++) signal[n] = Math.sin(2 * Math.PI * (from * n + (rate * n * n) / 2));
  return signal;
}

/** `signal` through a one-channel `F.conv_transpose1d` with `kernel`, and the output's spectrum. */
export function signalLab(signal: Float64Array, kernel: Float64Array, options: SignalLabOptions = {}): SignalLab {
  if (signal.length < 1 || signal.length > MAX_SIGNAL_LENGTH) throw new LayerError('invalid-shape', `the signal must have 1 to ${MAX_SIGNAL_LENGTH} values, not ${signal.length}`);
  const stride = readIntSingle('stride', options.stride, 1, 'positive');
  const out = convTranspose1d(tensor([1, 1, signal.length], signal), tensor([1, 1, kernel.length], kernel), options);
  const output = out.data;
  checkAllocation('the spectrum', [output.length]);
  const power = powerSpectrum2d(tensor([1, output.length], output)).data;
  const n = output.length;
  const spectrum = power.slice(0, Math.floor(n / 2) + 1);
  const toneBins: number[] = [];
  for (let k = 1; k <= Math.floor(stride / 2); k++) {
    // Half the rate falls between two bins of an odd-length output: the one-sided one of them.
    const bin = Math.round((k * n) / stride);
    toneBins.push(bin > Math.floor(n / 2) ? n - bin : bin);
  }
  // Two-sided energy without DC, and the part of it within one bin of a tone (either side).
  let total = 0;
  for (let b = 1; b < n; b++) total += power[b] as number;
  const near = new Set<number>();
  for (const bin of toneBins) for (const b of [bin - 1, bin, bin + 1, n - bin - 1, n - bin, n - bin + 1]) if (b >= 1 && b < n) near.add(b);
  let tones = 0;
  for (const b of near) tones += power[b] as number;
  return { output, spectrum, toneBins, toneShare: total > 0 ? tones / total : 0 };
}
