/**
 * The volume panel's layout as pure data, tested without a browser: where a sequence or a volume
 * sits in its tensor (`[N, C, L]`, `[C, L]`, `[N, C, D, H, W]`, `[C, D, H, W]`), the one strip or
 * slice of it that is drawn, the bars of the all-ones response, and which slices a step touches.
 */
import type { ScatterStep } from '../../src/core/engine/traceTypes';
import type { Tensor } from '../../src/core/engine/tensor';

/** A tensor's axes read as batch, channels and a volume (a sequence is a volume of depth and height 1). */
export interface VolumeAxes {
  readonly batch: number;
  readonly channels: number;
  readonly depth: number;
  readonly height: number;
  readonly width: number;
}

/** `shape` read for a layer with `rank` spatial axes; leading axes missing are 1 (an unbatched input, a kernel `[kD, kH, kW]`). */
export function volumeAxes(shape: readonly number[], rank: 1 | 3): VolumeAxes {
  const spatial = shape.slice(-rank);
  const lead = shape.slice(0, -rank);
  const batch = lead.length >= 2 ? (lead[lead.length - 2] as number) : 1;
  const channels = lead.length >= 1 ? (lead[lead.length - 1] as number) : 1;
  if (rank === 1) return { batch, channels, depth: 1, height: 1, width: spatial[0] ?? 1 };
  return { batch, channels, depth: spatial[0] ?? 1, height: spatial[1] ?? 1, width: spatial[2] ?? 1 };
}

/** One strip or slice of a tensor: `rows × cols` values, row-major. */
export interface Slice {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/** The slice `[n, channel, depth, :, :]` (a sequence's strip `[n, channel, :]` has one row); indices are clamped into range. */
export function sliceOf(t: Tensor, rank: 1 | 3, n: number, channel: number, depth: number): Slice {
  const a = volumeAxes(t.shape, rank);
  const clamp = (i: number, size: number) => Math.max(0, Math.min(size - 1, Math.floor(i)));
  const plane = a.height * a.width;
  const start = ((clamp(n, a.batch) * a.channels + clamp(channel, a.channels)) * a.depth + clamp(depth, a.depth)) * plane;
  return { rows: a.height, cols: a.width, values: t.data.slice(start, start + plane) };
}

/** One bar of a bar chart, in a box `width × height` whose zero line is at `baseline`. */
export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly value: number;
}

/**
 * Bars for `values` in a `width × height` box: one per value, evenly spaced, from a zero line
 * (at the bottom when every value is ≥ 0, else in proportion) up or down to the value, so a
 * periodic ripple in the all-ones response reads at a glance. Non-finite values get no height.
 */
export function barLayout(values: ArrayLike<number>, width: number, height: number): { readonly bars: Bar[]; readonly baseline: number } {
  let max = 0;
  let min = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const span = max - min || 1;
  const baseline = (max / span) * height;
  const step = values.length === 0 ? 0 : width / values.length;
  const bars: Bar[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const h = Number.isFinite(v) ? (Math.abs(v) / span) * height : 0;
    bars.push({ x: i * step + step * 0.1, width: step * 0.8, y: v >= 0 ? baseline - h : baseline, height: h, value: v });
  }
  return { bars, baseline };
}

/** The slices a scatter step touches: the input value's, the first kernel slice that lands, and the output slice it lands in. */
export interface StepSlices {
  readonly input: number;
  readonly kernel: number;
  readonly output: number;
}

export function stepSlices(step: ScatterStep): StepSlices {
  const landed = step.landings.find((l) => l.kind === 'added') ?? step.landings[0];
  return { input: step.input.depth ?? 0, kernel: landed?.tap.depth ?? 0, output: landed?.depth ?? step.window.depths?.start ?? 0 };
}
