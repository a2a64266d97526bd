/**
 * A tensor's values summarised for the checkpoint editor: min, max, mean, standard deviation and a
 * small histogram, over its finite values (NaN and infinities are counted apart). Computed in
 * chunks so that the caller can yield between them and stop when the user moves on: a generator
 * yields after each chunk and returns the statistics at its end.
 */
import type { TensorStats } from '../protocol/checkpoint';

/** Values summed between two yields: about a millisecond of work. */
export const STATS_CHUNK = 1 << 18;

export function* tensorStats(name: string, data: Float64Array, bins: number, chunk = STATS_CHUNK): Generator<void, TensorStats> {
  // First pass: min, max, and mean and variance by Welford's update (stable for large tensors).
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let mean = 0;
  let m2 = 0;
  let finite = 0;
  for (let start = 0; start < data.length; start += chunk) {
    const end = Math.min(data.length, start + chunk);
    for (let i = start; i < end; i++) {
      const v = data[i] as number;
      if (!Number.isFinite(v)) continue;
      finite++;
      if (v < min) min = v;
      if (v > max) max = v;
      const delta = v - mean;
      mean += delta / finite;
      m2 += delta * (v - mean);
    }
    yield;
  }
  const histogram = new Array<number>(finite === 0 ? 0 : bins).fill(0);
  // Second pass: the histogram from min to max (one bin when every value is the same).
  const width = (max - min) / bins;
  for (let start = 0; finite > 0 && start < data.length; start += chunk) {
    const end = Math.min(data.length, start + chunk);
    for (let i = start; i < end; i++) {
      const v = data[i] as number;
      if (!Number.isFinite(v)) continue;
      const bin = width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0;
      histogram[bin]! += 1;
    }
    yield;
  }
  if (finite === 0) return { name, min: Number.NaN, max: Number.NaN, mean: Number.NaN, std: Number.NaN, nonFinite: data.length, histogram };
  return { name, min, max, mean, std: Math.sqrt(m2 / finite), nonFinite: data.length - finite, histogram };
}

/** Runs a chunked computation to its end at once (tests, and callers with nothing to yield to). */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
