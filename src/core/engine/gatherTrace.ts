/**
 * Step traces of the gathering layers, for comparison with the transposed convolution's scatter:
 * in convolution and pooling a step is one output cell, computed from its input window. Steps run
 * over the output in row-major order (image n → channel → output row → output column), so after
 * `count` steps exactly the output cells with flat index below `count` are computed.
 *
 * Each step recomputes its cell in the order the engine's kernel sums (convolution: input channel,
 * kernel row, kernel column; average pooling: window row, window column), so a step's value equals
 * the layer's output to the bit. The output itself comes from the engine's kernels.
 */
import { computeConvInfo, type ConvInfo } from './convInfo';
import { conv1d, conv2d, conv3d } from './conv';
import type { AvgPool1dOptions, AvgPool2dOptions, AvgPool3dOptions, Conv1dOptions, Conv2dOptions, Conv3dOptions, MaxPool1dOptions, MaxPool2dOptions, MaxPool3dOptions } from './options';
import { avgWindows, maxWindows, poolLayer } from './pool';
import { computePoolInfo, type PoolInfo, type PoolOp } from './poolInfo';
import { checkIndex, depthOf, outputBuffer } from './scatterTrace';
import type { Tensor } from './tensor';
import type { AvgPoolStep, CellPosition, ConvStep, ConvTerm, InputValue, LayerTrace, MaxPoolStep, StridedRange } from './traceTypes';

/** The layer traced; a 1-D layer's cells are those of an image of height 1 (row 0), a 3-D layer's carry their `depth`. */
export interface ConvTrace extends LayerTrace<ConvStep> {
  readonly kind: 'conv2d' | 'conv1d' | 'conv3d';
}
export interface MaxPoolTrace extends LayerTrace<MaxPoolStep> {
  readonly kind: 'maxPool2d' | 'maxPool1d' | 'maxPool3d';
}
export interface AvgPoolTrace extends LayerTrace<AvgPoolStep> {
  readonly kind: 'avgPool2d' | 'avgPool1d' | 'avgPool3d';
}

export const gatherOrder: readonly string[] = ['image n', 'channel', 'output row', 'output column'];

/** Traces `F.conv2d(input, weight, **options)`; validates exactly as {@link conv2d}. */
export function traceConv2d(input: Tensor, weight: Tensor, options: Conv2dOptions = {}): ConvTrace {
  return traceConv('conv2d', input, weight, options);
}

/** Traces `F.conv3d(input, weight, **options)`; validates exactly as {@link conv3d}. Positions carry their `depth`. */
export function traceConv3d(input: Tensor, weight: Tensor, options: Conv3dOptions = {}): ConvTrace {
  return traceConv('conv3d', input, weight, options);
}

/** Traces `F.conv1d(input, weight, **options)`, as an image of height 1; validates exactly as {@link conv1d}. */
export function traceConv1d(input: Tensor, weight: Tensor, options: Conv1dOptions = {}): ConvTrace {
  return traceConv('conv1d', input, weight, options);
}

function traceConv(op: ConvTrace['kind'], input: Tensor, weight: Tensor, options: Conv2dOptions | Conv1dOptions | Conv3dOptions): ConvTrace {
  const layers = { conv1d, conv2d, conv3d } as const;
  const output = layers[op](input, weight, options as never);
  const { bias, ...parameters } = options ?? {};
  const info = computeConvInfo(op, input.shape, { ...parameters, weightShape: weight.shape, biasShape: bias?.shape } as never);
  const x = Float64Array.from(input.data);
  const w = Float64Array.from(weight.data);
  const b = bias === undefined ? undefined : Float64Array.from(bias.data);
  const memoryBytes = 8 * (x.length + w.length + (b?.length ?? 0) + output.data.length);
  return {
    kind: op,
    ...gatherTrace(output, memoryBytes),
    step: (index) => convStep(info, x, w, b, index, checkedCell(index, output.data.length, info.outChannels, info.outHeight, info.outWidth, info.outDepth, op === 'conv3d')),
  };
}

/** Traces `F.max_pool2d(input, **options)`. */
export function traceMaxPool2d(input: Tensor, options: MaxPool2dOptions): MaxPoolTrace {
  return tracePool('maxPool2d', input, options, maxPoolStep);
}

/** Traces `F.max_pool1d(input, **options)`, as an image of height 1. */
export function traceMaxPool1d(input: Tensor, options: MaxPool1dOptions): MaxPoolTrace {
  return tracePool('maxPool1d', input, options, maxPoolStep);
}

/** Traces `F.max_pool3d(input, **options)`; positions carry their `depth`. */
export function traceMaxPool3d(input: Tensor, options: MaxPool3dOptions): MaxPoolTrace {
  return tracePool('maxPool3d', input, options, maxPoolStep);
}

/** Traces `F.avg_pool3d(input, **options)`; positions carry their `depth`. */
export function traceAvgPool3d(input: Tensor, options: AvgPool3dOptions): AvgPoolTrace {
  return tracePool('avgPool3d', input, options, avgPoolStep);
}

/** Traces `F.avg_pool2d(input, **options)`. */
export function traceAvgPool2d(input: Tensor, options: AvgPool2dOptions): AvgPoolTrace {
  return tracePool('avgPool2d', input, options, avgPoolStep);
}

/** Traces `F.avg_pool1d(input, **options)`, as an image of height 1. */
export function traceAvgPool1d(input: Tensor, options: AvgPool1dOptions): AvgPoolTrace {
  return tracePool('avgPool1d', input, options, avgPoolStep);
}

function tracePool<Kind extends PoolOp, Step>(
  op: Kind,
  input: Tensor,
  options: Parameters<typeof computePoolInfo>[2],
  stepOf: (info: PoolInfo, x: Float64Array, index: number, output: CellPosition) => Step,
): LayerTrace<Step> & { readonly kind: Kind } {
  const output = poolLayer(op, input, options);
  const info = computePoolInfo(op, input.shape, options);
  const x = Float64Array.from(input.data);
  const channels = info.layout.channels;
  return {
    kind: op,
    ...gatherTrace(output, 8 * (x.length + output.data.length)),
    step: (index) => stepOf(info, x, index, checkedCell(index, output.data.length, channels, info.outHeight, info.outWidth, info.outDepth, info.layout.spatialRank === 3)),
  };
}

/** The parts every gather trace shares: the output after `count` steps is its first `count` cells, the rest 0. */
export function gatherTrace(output: Tensor, memoryBytes: number) {
  return {
    order: gatherOrder,
    stepCount: output.data.length,
    output,
    memoryBytes,
    outputAfterSteps(count: number, into?: Float64Array): Tensor {
      checkIndex('step count', count, output.data.length);
      const data = outputBuffer(output.data.length, into);
      data.set(output.data.subarray(0, count));
      data.fill(0, count);
      return { shape: [...output.shape], data };
    },
  };
}

/** The output cell of gather step `index` (row-major over `[N, C, H, W]`, or `[N, C, D, H, W]` for a `volume`), checked to be a step. */
export function checkedCell(index: number, stepCount: number, channels: number, height: number, width: number, depth = 1, volume = false): CellPosition {
  checkIndex('step', index, stepCount - 1);
  const col = index % width;
  const row = Math.floor(index / width) % height;
  const slice = Math.floor(index / (width * height)) % depth;
  const channel = Math.floor(index / (width * height * depth)) % channels;
  return { n: Math.floor(index / (width * height * depth * channels)), channel, ...depthOf(volume, slice), row, col };
}

function convStep(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, index: number, output: CellPosition): ConvStep {
  const { inChannels, inDepth, inHeight, inWidth, inChannelsPerGroup, outChannelsPerGroup, kernelDepth, kernelHeight, kernelWidth } = info;
  const volume = output.depth !== undefined;
  const group = Math.floor(output.channel / outChannelsPerGroup);
  const start = bias === undefined ? 0 : (bias[output.channel] as number);
  const terms: ConvTerm[] = [];
  let sum = start;
  for (let icInGroup = 0; icInGroup < inChannelsPerGroup; icInGroup++) {
    const channel = group * inChannelsPerGroup + icInGroup;
    const kernelBase = (output.channel * inChannelsPerGroup + icInGroup) * kernelDepth * kernelHeight * kernelWidth;
    for (let kd = 0; kd < kernelDepth; kd++) {
      const depth = (output.depth ?? 0) * info.strideDepth + kd * info.dilationDepth - info.padFront;
      for (let kh = 0; kh < kernelHeight; kh++) {
        const row = output.row * info.strideHeight + kh * info.dilationHeight - info.padTop;
        for (let kw = 0; kw < kernelWidth; kw++) {
          const col = output.col * info.strideWidth + kw * info.dilationWidth - info.padLeft;
          const tap = { ...depthOf(volume, kd), row: kh, col: kw, value: w[kernelBase + (kd * kernelHeight + kh) * kernelWidth + kw] as number };
          if (depth < 0 || depth >= inDepth || row < 0 || row >= inHeight || col < 0 || col >= inWidth) {
            const product = 0 * tap.value;
            // The kernel skips padding, except that 0·∞ = NaN poisons the cell as PyTorch's im2col does.
            if (product !== 0) sum += product;
            terms.push({ kind: 'padding', channel, ...depthOf(volume, depth), row, col, tap, product, runningSum: sum });
            continue;
          }
          const value = x[(((output.n * inChannels + channel) * inDepth + depth) * inHeight + row) * inWidth + col] as number;
          const product = value * tap.value;
          sum += product;
          terms.push({ kind: 'input', input: { n: output.n, channel, ...depthOf(volume, depth), row, col, value }, tap, product, runningSum: sum });
        }
      }
    }
  }
  return { kind: 'conv', index, output, start, terms, value: sum };
}

function maxPoolStep(info: PoolInfo, x: Float64Array, index: number, output: CellPosition): MaxPoolStep {
  const od = output.depth ?? 0;
  const slices = maxWindows(info.outDepth, info.inDepth, info.kernelDepth, info.strideDepth, info.padDepth, info.dilationDepth);
  const rows = maxWindows(info.outHeight, info.inHeight, info.kernelHeight, info.strideHeight, info.padHeight, info.dilationHeight);
  const cols = maxWindows(info.outWidth, info.inWidth, info.kernelWidth, info.strideWidth, info.padWidth, info.dilationWidth);
  const window: Window3 = {
    depths: { start: slices.start[od] as number, end: slices.end[od] as number, step: info.dilationDepth },
    rows: { start: rows.start[output.row] as number, end: rows.end[output.row] as number, step: info.dilationHeight },
    cols: { start: cols.start[output.col] as number, end: cols.end[output.col] as number, step: info.dilationWidth },
  };
  const cells = windowCells(info, x, output, window);
  let winner: number | undefined;
  let max = -Infinity;
  cells.forEach((cell, i) => {
    // The kernel's rule: a larger value or NaN takes over, and a NaN keeps the lead (nothing compares above it).
    if (cell.value > max || (cell.value !== cell.value && max === max)) {
      max = cell.value;
      winner = i;
    }
  });
  return { kind: 'max', index, output, cells, winner, value: max };
}

function avgPoolStep(info: PoolInfo, x: Float64Array, index: number, output: CellPosition): AvgPoolStep {
  const od = output.depth ?? 0;
  const slices = avgWindows(info.outDepth, info.inDepth, info.kernelDepth, info.strideDepth, info.padDepth);
  const rows = avgWindows(info.outHeight, info.inHeight, info.kernelHeight, info.strideHeight, info.padHeight);
  const cols = avgWindows(info.outWidth, info.inWidth, info.kernelWidth, info.strideWidth, info.padWidth);
  const window: Window3 = {
    depths: { start: slices.start[od] as number, end: slices.end[od] as number, step: 1 },
    rows: { start: rows.start[output.row] as number, end: rows.end[output.row] as number, step: 1 },
    cols: { start: cols.start[output.col] as number, end: cols.end[output.col] as number, step: 1 },
  };
  const cells = windowCells(info, x, output, window);
  let sum = 0;
  for (const cell of cells) sum += cell.value;
  const extent = (range: StridedRange) => range.end - range.start;
  const divisor =
    info.divisorOverride ??
    (info.countIncludePad
      ? (slices.padded[od] as number) * (rows.padded[output.row] as number) * (cols.padded[output.col] as number)
      : extent(window.depths) * extent(window.rows) * extent(window.cols));
  return { kind: 'average', index, output, cells, sum, divisor, value: cells.length === 0 ? 0 : sum / divisor };
}

/** A pooling window's clipped input ranges along each axis (depth `[0, 1)` for an image). */
interface Window3 {
  readonly depths: StridedRange;
  readonly rows: StridedRange;
  readonly cols: StridedRange;
}

/** The window's cells inside the input, slice by slice, row-major; a volume's carry their depth. */
function windowCells(info: PoolInfo, x: Float64Array, output: CellPosition, window: Window3): InputValue[] {
  const cells: InputValue[] = [];
  const volume = output.depth !== undefined;
  const base = (output.n * info.layout.channels + output.channel) * info.inDepth;
  for (let depth = window.depths.start; depth < window.depths.end; depth += window.depths.step) {
    for (let row = window.rows.start; row < window.rows.end; row += window.rows.step) {
      for (let col = window.cols.start; col < window.cols.end; col += window.cols.step) {
        cells.push({ n: output.n, channel: output.channel, ...depthOf(volume, depth), row, col, value: x[((base + depth) * info.inHeight + row) * info.inWidth + col] as number });
      }
    }
  }
  return cells;
}
