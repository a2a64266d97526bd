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
 * A 1-D layer (`W[C_in, C_out/groups, k]`) has `s` phases and a 3-D one (`W[…, kD, kH, kW]`)
 * `s_d·s_h·s_w`, by the same rule on each axis. Phase sums are kept as `[channel][row][column]`
 * whatever the rank ({@link PhaseSums}): the last axis's phase is the column, the other axes' phases,
 * row-major, are the row, so a 1-D layer's channel is one row `[0][a]` and a 3-D layer's is
 * `[a·s_h + b][e]` (depth phase `a`'s `s_h × s_w` block at rows `a·s_h …`).
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

/** `[channel][row][column]`: see the module comment for how 1-D and 3-D phases are laid out. */
export type PhaseSums = number[][][];

export interface PhaseMeasure {
  readonly phaseSums: PhaseSums;
  readonly periodicEnergy: number;
  readonly verdict: 'even' | 'uneven';
  /** The channel with the largest share of its own energy at the stride frequencies (0 when all are even). */
  readonly worstChannel: number;
  /** That channel's share. */
  readonly worstChannelEnergy: number;
}

/**
 * Phase sums of a transposed convolution of any rank (see the module comment): the weight in
 * PyTorch's layout `[C_in, C_out/groups, …kernel]`, one stride and dilation per kernel axis.
 */
export function transposedPhaseSums(weight: CheckpointTensor, stride: readonly number[], dilation: readonly number[], groups: number): PhaseSums {
  const [cin, perGroup, ...kernel] = weight.shape as [number, number, ...number[]];
  if (kernel.length !== stride.length || kernel.length !== dilation.length) throw new CheckpointError(`the weight [${weight.shape.join(', ')}] has ${kernel.length} kernel axes, but ${stride.length} strides and ${dilation.length} dilations are given`);
  if (cin % groups !== 0) throw new CheckpointError(`the weight's ${cin} input channels do not split into ${groups} groups`);
  const inPerGroup = cin / groups;
  const cout = perGroup * groups;
  const phases = stride.reduce((a, b) => a * b, 1);
  const taps = kernel.reduce((a, b) => a * b, 1);
  // The phase each kernel tap lands on, flat and row-major over the stride lattice.
  const phaseOfTap = new Int32Array(taps);
  for (let t = 0; t < taps; t++) {
    let rest = t;
    let phase = 0;
    let place = 1;
    for (let a = kernel.length - 1; a >= 0; a--) {
      const size = kernel[a] as number;
      const s = stride[a] as number;
      phase += (((rest % size) * (dilation[a] as number)) % s) * place;
      place *= s;
      rest = Math.floor(rest / size);
    }
    phaseOfTap[t] = phase;
  }
  const sums = new Float64Array(cout * phases);
  const data = weight.data;
  let at = 0;
  for (let c = 0; c < cin; c++) {
    const group = Math.floor(c / inPerGroup);
    for (let oo = 0; oo < perGroup; oo++) {
      const base = (group * perGroup + oo) * phases;
      for (let t = 0; t < taps; t++) {
        const phase = base + (phaseOfTap[t] as number);
        sums[phase] = (sums[phase] as number) + (data[at++] as number);
      }
    }
  }
  const cols = stride[stride.length - 1] ?? 1;
  return nested(sums, cout, phases / cols, cols);
}

/** Phase sums of a sub-pixel convolution: weight `[C·r², C_in/groups, kH, kW]`, bias `[C·r²]` if any. */
export function subPixelPhaseSums(weight: CheckpointTensor, bias: CheckpointTensor | undefined, factor: number): PhaseSums {
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

/** Periodic energy, verdict and worst channel of phase sums (of any rank: every phase of a channel counts alike). */
export function measurePhases(phaseSums: PhaseSums): PhaseMeasure {
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

function nested(flat: Float64Array, channels: number, rows: number, cols: number): PhaseSums {
  const out: number[][][] = [];
  for (let c = 0; c < channels; c++) {
    const channel: number[][] = [];
    for (let a = 0; a < rows; a++) channel.push(Array.from(flat.subarray((c * rows + a) * cols, (c * rows + a + 1) * cols)));
    out.push(channel);
  }
  return out;
}
