/**
 * What a trained upsampling layer paints on a constant input, from its weights alone.
 *
 * Transposed convolution, weight `W[C_in, C_out/groups, kH, kW]`, stride `s`, dilation `d`: an
 * interior output value of channel `o` at phase `(a, b)` (its position modulo the stride) is the
 * input constant times the sum of the taps that land on that phase,
 *
 *     P[o][a][b] = Σ_c Σ_{i : (i·d_h) mod s_h = a} Σ_{j : (j·d_w) mod s_w = b} W[c, o, i, j]
 *
 * (`c` over the input channels of `o`'s group). The bias adds the same to every phase and is left out.
 *
 * Sub-pixel convolution (a convolution with `C·r²` outputs followed by `PixelShuffle(r)`): channel
 * `c·r² + a·r + b` becomes phase `(a, b)` of output channel `c`, so
 * `P[c][a][b] = Σ W[c·r² + a·r + b, …] + bias[c·r² + a·r + b]`; here the bias differs per phase and paints.
 *
 * Periodic energy `Σ (P − mean_{a,b} P)² / Σ P²` over all channels and phases is the share of the
 * constant response's energy at the stride's frequencies: 0 when even. A channel is even when
 * `max |P − mean| ≤ 1e-6 · max |P|`.
 */
import { CheckpointError, type CheckpointTensor } from './types';

/** The relative tolerance of the even verdict. */
export const EVEN_TOLERANCE = 1e-6;

export interface PhaseMeasure {
  /** `[channel][a][b]`. */
  readonly phaseSums: number[][][];
  readonly periodicEnergy: number;
  readonly verdict: 'even' | 'uneven';
  /** The channel with the largest share of its own energy at the stride frequencies (0 when all are even). */
  readonly worstChannel: number;
  /** That channel's share. */
  readonly worstChannelEnergy: number;
}

/** Phase sums of a transposed convolution (see the module comment); the weight in PyTorch's layout. */
export function transposedPhaseSums(weight: CheckpointTensor, stride: readonly [number, number], dilation: readonly [number, number], groups: number): number[][][] {
  const [cin, perGroup, kh, kw] = weight.shape as [number, number, number, number];
  const [sh, sw] = stride;
  const [dh, dw] = dilation;
  if (cin % groups !== 0) throw new CheckpointError(`the weight's ${cin} input channels do not split into ${groups} groups`);
  const inPerGroup = cin / groups;
  const cout = perGroup * groups;
  const sums = new Float64Array(cout * sh * sw);
  const data = weight.data;
  let at = 0;
  for (let c = 0; c < cin; c++) {
    const group = Math.floor(c / inPerGroup);
    for (let oo = 0; oo < perGroup; oo++) {
      const base = (group * perGroup + oo) * sh * sw;
      for (let i = 0; i < kh; i++) {
        const row = base + ((i * dh) % sh) * sw;
        for (let j = 0; j < kw; j++) {
          const phase = row + ((j * dw) % sw);
          sums[phase] = (sums[phase] as number) + (data[at++] as number);
        }
      }
    }
  }
  return nested(sums, cout, sh, sw);
}

/** Phase sums of a sub-pixel convolution: weight `[C·r², C_in/groups, kH, kW]`, bias `[C·r²]` if any. */
export function subPixelPhaseSums(weight: CheckpointTensor, bias: CheckpointTensor | undefined, factor: number): number[][][] {
  const rr = factor * factor;
  const outputs = weight.shape[0] as number;
  const block = weight.data.length / outputs;
  const sums = new Float64Array(outputs);
  for (let q = 0; q < outputs; q++) {
    let sum = 0;
    for (let k = q * block; k < (q + 1) * block; k++) sum += weight.data[k] as number;
    sums[q] = sum + (bias ? (bias.data[q] as number) : 0);
  }
  return nested(sums, outputs / rr, factor, factor);
}

/**
 * How far a sub-pixel convolution's weight is from ICNR structure (all `r²` sub-kernels of each
 * output channel equal): `‖W − W̄‖ / ‖W‖`, `W̄` repeating each channel's mean sub-kernel; 0 at ICNR.
 */
export function icnrDistance(weight: CheckpointTensor, factor: number): { readonly structured: boolean; readonly distance: number } {
  const rr = factor * factor;
  const outputs = weight.shape[0] as number;
  const block = weight.data.length / outputs;
  const data = weight.data;
  let squares = 0;
  let deviations = 0;
  let largest = 0;
  let largestDeviation = 0;
  for (let c = 0; c < outputs / rr; c++) {
    for (let k = 0; k < block; k++) {
      let mean = 0;
      for (let q = 0; q < rr; q++) mean += data[(c * rr + q) * block + k] as number;
      mean /= rr;
      for (let q = 0; q < rr; q++) {
        const v = data[(c * rr + q) * block + k] as number;
        squares += v * v;
        deviations += (v - mean) * (v - mean);
        largest = Math.max(largest, Math.abs(v));
        largestDeviation = Math.max(largestDeviation, Math.abs(v - mean));
      }
    }
  }
  return { structured: largestDeviation <= EVEN_TOLERANCE * largest, distance: squares === 0 ? 0 : Math.sqrt(deviations / squares) };
}

/** Periodic energy, verdict and worst channel of phase sums `[channel][a][b]`. */
export function measurePhases(phaseSums: number[][][]): PhaseMeasure {
  let deviations = 0;
  let squares = 0;
  let uneven = false;
  let worstChannel = 0;
  let worstChannelEnergy = 0;
  phaseSums.forEach((channel, index) => {
    const values = channel.flat();
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    let channelDeviations = 0;
    let channelSquares = 0;
    let largest = 0;
    let largestDeviation = 0;
    for (const v of values) {
      channelDeviations += (v - mean) * (v - mean);
      channelSquares += v * v;
      largest = Math.max(largest, Math.abs(v));
      largestDeviation = Math.max(largestDeviation, Math.abs(v - mean));
    }
    deviations += channelDeviations;
    squares += channelSquares;
    const channelUneven = largestDeviation > EVEN_TOLERANCE * largest;
    uneven ||= channelUneven;
    const share = channelUneven && channelSquares > 0 ? channelDeviations / channelSquares : 0;
    if (share > worstChannelEnergy) {
      worstChannel = index;
      worstChannelEnergy = share;
    }
  });
  return { phaseSums, periodicEnergy: squares === 0 ? 0 : deviations / squares, verdict: uneven ? 'uneven' : 'even', worstChannel, worstChannelEnergy };
}

function nested(flat: Float64Array, channels: number, rows: number, cols: number): number[][][] {
  const out: number[][][] = [];
  for (let c = 0; c < channels; c++) {
    const channel: number[][] = [];
    for (let a = 0; a < rows; a++) channel.push(Array.from(flat.subarray((c * rows + a) * cols, (c * rows + a + 1) * cols)));
    out.push(channel);
  }
  return out;
}
