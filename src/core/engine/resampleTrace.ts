/**
 * Step traces of the weightless upsamplers, in the same shape as the gathering layers' traces: a
 * step is one output cell and names the input cells it reads. Nearest upsampling and pixel shuffle
 * copy one cell; bilinear blends four with the weights PyTorch computes, in the kernel's order, so a
 * step's value equals the layer's output to the bit.
 */
import { LayerError } from './errors';
import { gatherTrace, checkedCell } from './gatherTrace';
import type { PixelShuffleOptions, Upsample1dOptions, Upsample3dOptions, UpsampleOptions } from './options';
import { pixelShuffle } from './pixelShuffle';
import { computePixelShuffleInfo, computeUpsampleInfo, type UpsampleInfo, type UpsampleOp } from './resampleInfo';
import type { Tensor } from './tensor';
import { depthOf } from './scatterTrace';
import type { BilinearStep, CellPosition, InputValue, LayerTrace, LinearAxis, NearestStep, ShuffleStep, TrilinearStep } from './traceTypes';
import { bilinearChannelsLast, bilinearValue, linearTaps, linearValue, nearestSources, trilinearValue, upsample, upsample1d, upsample3d } from './upsample';

export interface UpsampleTrace extends LayerTrace<NearestStep | BilinearStep> {
  readonly kind: 'upsample';
}
/** A volume's upsampling: nearest steps whose cells carry their depth, or trilinear steps. */
export interface VolumeUpsampleTrace extends LayerTrace<NearestStep | TrilinearStep> {
  readonly kind: 'upsample3d';
}
export interface PixelShuffleTrace extends LayerTrace<ShuffleStep> {
  readonly kind: 'pixelShuffle';
}

/**
 * Traces `F.interpolate(input, **options)`; validates exactly as {@link upsample}. A sequence (mode
 * `linear`, or {@link traceUpsample1d}) is traced as an image of height 1: its steps' rows are all 0.
 */
export function traceUpsample(input: Tensor, options: UpsampleOptions): UpsampleTrace {
  const trace = traceUpsampleOf('upsample', input, options);
  if (trace.kind === 'upsample3d') throw new LayerError('invalid-parameter', `traceUpsample traces images and sequences; trace a volume (mode '${String(options?.mode ?? 'nearest')}' on a 5-D input) with traceUpsample3d`);
  return trace;
}

/** Traces `F.interpolate` on a batch of volumes `[N, C, D, H, W]` (modes `nearest`, `trilinear`); positions carry their `depth`. */
export function traceUpsample3d(input: Tensor, options: Upsample3dOptions): VolumeUpsampleTrace {
  return traceUpsampleOf('upsample3d', input, options) as VolumeUpsampleTrace;
}

/** Traces `F.interpolate` on a batch of sequences `[N, C, L]` (modes `nearest`, `linear`); validates exactly as {@link upsample1d}. */
export function traceUpsample1d(input: Tensor, options: Upsample1dOptions): UpsampleTrace {
  return traceUpsampleOf('upsample1d', input, options) as UpsampleTrace;
}

function traceUpsampleOf(op: UpsampleOp, input: Tensor, options: UpsampleOptions | Upsample1dOptions | Upsample3dOptions): UpsampleTrace | VolumeUpsampleTrace {
  const layers = { upsample, upsample1d, upsample3d } as const;
  const output = layers[op](input, options as never);
  const info = computeUpsampleInfo(input.shape, options, op);
  const x = Float64Array.from(input.data);
  const volume = info.layout.spatialRank === 3;
  const cellOf = (index: number) => checkedCell(index, output.data.length, info.layout.channels, info.outHeight, info.outWidth, info.outDepth, volume);
  const shared = gatherTrace(output, 8 * (x.length + output.data.length));
  if (volume) {
    const stepAt = info.mode === 'nearest' ? nearestStepper(info, x) : trilinearStepper(info, x);
    return { kind: 'upsample3d', ...shared, step: (index) => stepAt(index, cellOf(index)) };
  }
  const stepAt = info.mode === 'nearest' ? nearestStepper(info, x) : bilinearStepper(info, x);
  return { kind: 'upsample', ...shared, step: (index) => stepAt(index, cellOf(index)) };
}

/** Traces `F.pixel_shuffle(input, upscale_factor)`; validates exactly as {@link pixelShuffle}. */
export function tracePixelShuffle(input: Tensor, options: PixelShuffleOptions): PixelShuffleTrace {
  const output = pixelShuffle(input, options);
  const info = computePixelShuffleInfo(input.shape, options);
  const x = Float64Array.from(input.data);
  const r = info.upscaleFactor;
  return {
    kind: 'pixelShuffle',
    ...gatherTrace(output, 8 * (x.length + output.data.length)),
    step: (index) => {
      const out = checkedCell(index, output.data.length, info.outChannels, info.outHeight, info.outWidth);
      const offset = { row: out.row % r, col: out.col % r };
      const source = inputValue(x, info.inChannels, info.inHeight, info.inWidth, out.n, out.channel * r * r + offset.row * r + offset.col, Math.floor(out.row / r), Math.floor(out.col / r));
      return { kind: 'shuffle', index, output: out, source, offset, value: source.value };
    },
  };
}

function inputValue(x: Float64Array, channels: number, height: number, width: number, n: number, channel: number, row: number, col: number): InputValue {
  return { n, channel, row, col, value: x[(n * channels + channel) * height * width + row * width + col] as number };
}

function nearestStepper(info: UpsampleInfo, x: Float64Array): (index: number, out: CellPosition) => NearestStep {
  const { slices, rows, cols } = nearestSources(info);
  const { channels } = info.layout;
  return (index, out) => {
    const source =
      out.depth === undefined
        ? inputValue(x, channels, info.inHeight, info.inWidth, out.n, out.channel, rows[out.row] as number, cols[out.col] as number)
        : volumeValue(x, info, out, slices[out.depth] as number, rows[out.row] as number, cols[out.col] as number);
    return { kind: 'nearest', index, output: out, source, value: source.value };
  };
}

/** A volume's input cell `(depth, row, col)` in the output cell's image and channel. */
function volumeValue(x: Float64Array, info: UpsampleInfo, out: CellPosition, depth: number, row: number, col: number): InputValue {
  const value = x[(((out.n * info.layout.channels + out.channel) * info.inDepth + depth) * info.inHeight + row) * info.inWidth + col] as number;
  return { n: out.n, channel: out.channel, ...depthOf(true, depth), row, col, value };
}

function trilinearStepper(info: UpsampleInfo, x: Float64Array): (index: number, out: CellPosition) => TrilinearStep {
  const depthTaps = linearTaps(info.inDepth, info.outDepth, info.alignCorners, info.scaleFactorDepth);
  const rowTaps = linearTaps(info.inHeight, info.outHeight, info.alignCorners, info.scaleFactor?.[0]);
  const colTaps = linearTaps(info.inWidth, info.outWidth, info.alignCorners, info.scaleFactor?.[1]);
  const channelsLast = bilinearChannelsLast(info);
  const axis = (taps: typeof rowTaps, at: number): LinearAxis => ({ i0: taps.i0[at] as number, i1: taps.i1[at] as number, w0: taps.w0[at] as number, w1: taps.w1[at] as number });
  return (index, out) => {
    const depths = axis(depthTaps, out.depth ?? 0);
    const rows = axis(rowTaps, out.row);
    const cols = axis(colTaps, out.col);
    const corners: InputValue[] = [];
    for (const d of [depths.i0, depths.i1]) for (const r of [rows.i0, rows.i1]) for (const c of [cols.i0, cols.i1]) corners.push(volumeValue(x, info, out, d, r, c));
    const v = corners.map((corner) => corner.value);
    const taps = { h0: rows.w0, h1: rows.w1, w0: cols.w0, w1: cols.w1 };
    // The two slices' bilinear values, as the step shows them; the value is the engine's own.
    const front = bilinearValue(v[0] as number, v[1] as number, v[2] as number, v[3] as number, taps, false);
    const back = bilinearValue(v[4] as number, v[5] as number, v[6] as number, v[7] as number, taps, false);
    return { kind: 'trilinear', index, output: out, depths, rows, cols, corners, front, back, value: trilinearValue(v, taps, depths.w0, depths.w1, channelsLast) };
  };
}

function bilinearStepper(info: UpsampleInfo, x: Float64Array): (index: number, out: CellPosition) => BilinearStep {
  const rowTaps = linearTaps(info.inHeight, info.outHeight, info.alignCorners, info.scaleFactor?.[0]);
  const colTaps = linearTaps(info.inWidth, info.outWidth, info.alignCorners, info.scaleFactor?.[1]);
  const { channels } = info.layout;
  const channelsLast = bilinearChannelsLast(info);
  const axis = (taps: typeof rowTaps, at: number): LinearAxis => ({ i0: taps.i0[at] as number, i1: taps.i1[at] as number, w0: taps.w0[at] as number, w1: taps.w1[at] as number });
  return (index, out) => {
    const rows = axis(rowTaps, out.row);
    const cols = axis(colTaps, out.col);
    const at = (row: number, col: number) => inputValue(x, channels, info.inHeight, info.inWidth, out.n, out.channel, row, col);
    const corners = [at(rows.i0, cols.i0), at(rows.i0, cols.i1), at(rows.i1, cols.i0), at(rows.i1, cols.i1)] as const;
    // Along the width first, then the height, as the step shows it; the value is the engine's own.
    const upper = corners[0].value * cols.w0 + corners[1].value * cols.w1;
    const lower = corners[2].value * cols.w0 + corners[3].value * cols.w1;
    const value =
      info.layout.spatialRank === 1
        ? linearValue(corners[0].value, corners[1].value, cols.w0, cols.w1)
        : bilinearValue(corners[0].value, corners[1].value, corners[2].value, corners[3].value, { h0: rows.w0, h1: rows.w1, w0: cols.w0, w1: cols.w1 }, channelsLast);
    return { kind: 'bilinear', index, output: out, rows, cols, corners, upper, lower, value };
  };
}
