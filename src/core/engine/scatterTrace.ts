/**
 * The step trace of a transposed convolution. Step i takes one input value, scales the kernel slice
 * of one (input channel, output channel) pair by it, and adds the products into the output window
 * that value paints. Steps run in the loop order of {@link convTranspose2d}'s kernel:
 *
 *     image n → output channel → input channel of that channel's group → input row → input column
 *
 * so for one image, one channel in and one out, step i is input cell i in row-major order (the
 * textbook reading: [[1,2],[3,4]] with a 2×2 kernel is four steps, 1, 2, 3, then 4).
 *
 * Summation order. Every output cell receives its products in step order (at most one per step),
 * which is also the order of {@link referenceConvTranspose2d}, so the trace's output equals the
 * reference to the bit. The fast kernel adds in another order (for one input row, the kernel
 * column outermost, so a cell gets its products right to left), so its output may differ from the
 * trace's in the last bits: by at most about `n·ε·Σ|products|` for n products per cell.
 *
 * Random access: see {@link planTraceMemory} for the checkpoints and the memory they take.
 */
import { computeConvInfo, convCallInfo, type ConvInfo } from './convInfo';
import { LayerError } from './errors';
import type { ConvTranspose1dOptions, ConvTranspose2dOptions } from './options';
import type { Tensor } from './tensor';
import { planTraceMemory, type TraceMemoryPlan } from './traceMemory';
import type { CellContributions, CellPosition, Contribution, CropEdge, LayerTrace, OutputWindow, ScatterStep, TapLanding } from './traceTypes';

export interface TraceOptions {
  /** Bytes the trace may keep (default {@link DEFAULT_TRACE_MEMORY_BUDGET}, 64 MiB); see {@link planTraceMemory}. */
  readonly memoryBudgetBytes?: number;
}

export interface ConvTransposeTrace extends LayerTrace<ScatterStep> {
  /** The layer traced; a 1-D layer's cells are those of an image of height 1 (row 0). */
  readonly kind: 'convTranspose2d' | 'convTranspose1d';
  readonly memory: TraceMemoryPlan;
  /** The products that made one output cell, in the order they were added, with the running sum. */
  contributionsTo(cell: CellPosition): CellContributions;
}

export const scatterOrder: readonly string[] = ['image n', 'output channel', 'input channel (of the output channel’s group)', 'input row', 'input column'];

/** The checkpoint plan a trace of this call would use, without computing anything (throws the layer's {@link LayerError}s). */
export function planConvTransposeTrace(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: Omit<ConvTranspose2dOptions, 'bias'> & { readonly biasShape?: readonly number[] } = {},
  traceOptions: TraceOptions = {},
): TraceMemoryPlan {
  const { biasShape, ...parameters } = options;
  const info = computeConvInfo('convTranspose2d', inputShape, { ...parameters, weightShape, biasShape });
  return planTraceMemory(traceSizes(info, biasShape !== undefined), traceOptions.memoryBudgetBytes);
}

/** Traces `F.conv_transpose2d(input, weight, **options)`; validates exactly as {@link convTranspose2d}. */
export function traceConvTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}, traceOptions: TraceOptions = {}): ConvTransposeTrace {
  return traceConvTranspose('convTranspose2d', input, weight, options, traceOptions);
}

/** Traces `F.conv_transpose1d(input, weight, **options)` as an image of height 1 (every cell in row 0); validates exactly as {@link convTranspose1d}. */
export function traceConvTranspose1d(input: Tensor, weight: Tensor, options: ConvTranspose1dOptions = {}, traceOptions: TraceOptions = {}): ConvTransposeTrace {
  return traceConvTranspose('convTranspose1d', input, weight, options, traceOptions);
}

function traceConvTranspose(op: ConvTransposeTrace['kind'], input: Tensor, weight: Tensor, options: ConvTranspose2dOptions | ConvTranspose1dOptions, traceOptions: TraceOptions): ConvTransposeTrace {
  const info = convCallInfo(op, input, weight, options);
  const bias = options?.bias;
  const plan = planTraceMemory(traceSizes(info, bias !== undefined), traceOptions.memoryBudgetBytes);
  // Copies: the trace replays from these long after the call, so later edits must not reach it.
  return new ScatterTrace(info, plan, Float64Array.from(input.data), Float64Array.from(weight.data), bias === undefined ? undefined : Float64Array.from(bias.data));
}

function traceSizes(info: ConvInfo, hasBias: boolean) {
  return {
    planes: info.batch * info.outChannels,
    planeValues: info.outHeight * info.outWidth,
    stepsPerPlane: info.inChannelsPerGroup * info.inHeight * info.inWidth,
    tapsPerStep: info.kernelHeight * info.kernelWidth,
    inputValues: info.batch * info.inChannels * info.inHeight * info.inWidth,
    weightValues: info.weightShape4d.reduce((a, b) => a * b, 1),
    biasValues: hasBias ? info.outChannels : 0,
  };
}

/** Which plane, input cell and kernel slice a step uses. */
interface StepAddress {
  readonly plane: number;
  readonly stepInPlane: number;
  readonly n: number;
  readonly outChannel: number;
  readonly outChannelInGroup: number;
  readonly inChannel: number;
  readonly row: number;
  readonly col: number;
}

class ScatterTrace implements ConvTransposeTrace {
  readonly kind: ConvTransposeTrace['kind'];
  readonly order = scatterOrder;
  readonly stepCount: number;
  readonly output: Tensor;
  readonly memoryBytes: number;
  private readonly stepsPerPlane: number;
  private readonly planeValues: number;
  /** Checkpoint j of plane p (after (j + 1)·K steps of it) at `((p·perPlane) + j)·planeValues`. */
  private readonly checkpoints: Float64Array;
  /** The replay buffer and which step count of which plane it holds, so stepping forward replays one step. */
  private readonly scratch: Float64Array;
  private scratchPlane = -1;
  private scratchSteps = -1;

  constructor(
    private readonly info: ConvInfo,
    readonly memory: TraceMemoryPlan,
    private readonly x: Float64Array,
    private readonly w: Float64Array,
    private readonly bias: Float64Array | undefined,
  ) {
    this.kind = info.op === 'convTranspose1d' ? 'convTranspose1d' : 'convTranspose2d';
    this.planeValues = info.outHeight * info.outWidth;
    this.stepsPerPlane = info.inChannelsPerGroup * info.inHeight * info.inWidth;
    const planes = info.batch * info.outChannels;
    this.stepCount = planes * this.stepsPerPlane;
    this.memoryBytes = memory.bytes;
    this.checkpoints = new Float64Array(memory.checkpointCount * this.planeValues);
    this.scratch = new Float64Array(this.planeValues);
    const out = new Float64Array(planes * this.planeValues);
    const interval = memory.checkpointInterval;
    for (let plane = 0; plane < planes; plane++) {
      this.startPlane(plane);
      for (let s = 0; s < this.stepsPerPlane; s += interval) {
        if (s > 0) this.checkpoints.set(this.scratch, this.checkpointOffset(plane, s / interval - 1));
        this.replay(plane, s, Math.min(s + interval, this.stepsPerPlane));
      }
      out.set(this.scratch, plane * this.planeValues);
    }
    this.output = { shape: [...info.outShape], data: out };
    this.scratchPlane = -1;
  }

  step(index: number): ScatterStep {
    checkIndex('step', index, this.stepCount - 1);
    const at = this.address(index);
    const { info } = this;
    const value = this.x[this.inputIndex(at)] as number;
    const kernelBase = this.kernelBase(at);
    const landings: TapLanding[] = [];
    let rowLo = Infinity, rowHi = -Infinity, colLo = Infinity, colHi = -Infinity;
    for (let kh = 0; kh < info.kernelHeight; kh++) {
      const row = at.row * info.strideHeight + kh * info.dilationHeight - info.padTop;
      for (let kw = 0; kw < info.kernelWidth; kw++) {
        const col = at.col * info.strideWidth + kw * info.dilationWidth - info.padLeft;
        const tap = { row: kh, col: kw, value: this.w[kernelBase + kh * info.kernelWidth + kw] as number };
        const product = value * tap.value;
        const edges = cropEdges(row, col, info.outHeight, info.outWidth);
        if (edges.length > 0) {
          landings.push({ kind: 'cropped', tap, row, col, product, edges });
          continue;
        }
        landings.push({ kind: 'added', tap, row, col, product });
        rowLo = Math.min(rowLo, row);
        rowHi = Math.max(rowHi, row);
        colLo = Math.min(colLo, col);
        colHi = Math.max(colHi, col);
      }
    }
    const top = at.row * info.strideHeight - info.padTop;
    const left = at.col * info.strideWidth - info.padLeft;
    const window: OutputWindow = {
      rows: { start: top, end: top + info.effectiveKernelHeight, step: info.dilationHeight },
      cols: { start: left, end: left + info.effectiveKernelWidth, step: info.dilationWidth },
    };
    const visibleWindow: OutputWindow | undefined =
      rowLo > rowHi
        ? undefined
        : { rows: { start: rowLo, end: rowHi + 1, step: info.dilationHeight }, cols: { start: colLo, end: colHi + 1, step: info.dilationWidth } };
    return {
      kind: 'scatter',
      index,
      input: { n: at.n, channel: at.inChannel, row: at.row, col: at.col, value },
      outChannel: at.outChannel,
      outChannelInGroup: at.outChannelInGroup,
      window,
      visibleWindow,
      landings,
    };
  }

  outputAfterSteps(count: number, into?: Float64Array): Tensor {
    checkIndex('step count', count, this.stepCount);
    const data = outputBuffer(this.output.data.length, into);
    if (this.stepCount === 0) return { shape: [...this.output.shape], data };
    // The plane in progress; a count at a plane's end is that plane finished.
    const plane = count === this.stepCount ? this.stepCount / this.stepsPerPlane - 1 : Math.floor(count / this.stepsPerPlane);
    const done = count - plane * this.stepsPerPlane;
    data.set(this.output.data.subarray(0, plane * this.planeValues));
    data.set(this.planeAfter(plane, done), plane * this.planeValues);
    const planes = this.stepCount / this.stepsPerPlane;
    for (let later = plane + 1; later < planes; later++) data.fill(this.biasOf(later), later * this.planeValues, (later + 1) * this.planeValues);
    return { shape: [...this.output.shape], data };
  }

  contributionsTo(cell: CellPosition): CellContributions {
    const { info } = this;
    checkIndex('image n', cell.n, info.batch - 1);
    checkIndex('output channel', cell.channel, info.outChannels - 1);
    checkIndex('output row', cell.row, info.outHeight - 1);
    checkIndex('output column', cell.col, info.outWidth - 1);
    const rows = sources(cell.row, info.strideHeight, info.dilationHeight, info.padTop, info.kernelHeight, info.inHeight);
    const cols = sources(cell.col, info.strideWidth, info.dilationWidth, info.padLeft, info.kernelWidth, info.inWidth);
    const plane = cell.n * info.outChannels + cell.channel;
    const start = this.biasOf(plane);
    const contributions: Contribution[] = [];
    let sum = start;
    // Ascending input channel, row, column: ascending step index, the order the trace adds in.
    for (let icInGroup = 0; icInGroup < info.inChannelsPerGroup; icInGroup++) {
      for (const [ih, kh] of rows) {
        for (const [iw, kw] of cols) {
          const stepIndex = plane * this.stepsPerPlane + (icInGroup * info.inHeight + ih) * info.inWidth + iw;
          const at = this.address(stepIndex);
          const value = this.x[this.inputIndex(at)] as number;
          const tap = { row: kh, col: kw, value: this.w[this.kernelBase(at) + kh * info.kernelWidth + kw] as number };
          const product = value * tap.value;
          sum += product;
          contributions.push({ step: stepIndex, input: { n: at.n, channel: at.inChannel, row: ih, col: iw, value }, tap, product, runningSum: sum });
        }
      }
    }
    return { cell: { ...cell }, start, contributions, value: sum };
  }

  /** The plane after its first `done` steps: from the nearest checkpoint, or the buffer if it is already on the way. */
  private planeAfter(plane: number, done: number): Float64Array {
    if (done === this.stepsPerPlane) return this.output.data.subarray(plane * this.planeValues, (plane + 1) * this.planeValues);
    const interval = this.memory.checkpointInterval;
    const checkpoint = Math.min(Math.floor(done / interval), this.memory.checkpointsPerPlane);
    const restoreAt = checkpoint * interval;
    const reusable = this.scratchPlane === plane && this.scratchSteps <= done && this.scratchSteps >= restoreAt;
    if (!reusable) {
      if (checkpoint === 0) this.startPlane(plane);
      else {
        const from = this.checkpointOffset(plane, checkpoint - 1);
        this.scratch.set(this.checkpoints.subarray(from, from + this.planeValues));
      }
      this.scratchPlane = plane;
      this.scratchSteps = restoreAt;
    }
    this.replay(plane, this.scratchSteps, done);
    this.scratchSteps = done;
    return this.scratch;
  }

  private startPlane(plane: number): void {
    this.scratch.fill(this.biasOf(plane));
    this.scratchPlane = plane;
    this.scratchSteps = 0;
  }

  private biasOf(plane: number): number {
    return this.bias === undefined ? 0 : (this.bias[plane % this.info.outChannels] as number);
  }

  private checkpointOffset(plane: number, checkpoint: number): number {
    return (plane * this.memory.checkpointsPerPlane + checkpoint) * this.planeValues;
  }

  private address(index: number): StepAddress {
    const { info } = this;
    const plane = Math.floor(index / this.stepsPerPlane);
    const stepInPlane = index - plane * this.stepsPerPlane;
    const n = Math.floor(plane / info.outChannels);
    const outChannel = plane - n * info.outChannels;
    const group = Math.floor(outChannel / info.outChannelsPerGroup);
    const inPlane = info.inHeight * info.inWidth;
    const icInGroup = Math.floor(stepInPlane / inPlane);
    const cellIndex = stepInPlane - icInGroup * inPlane;
    const row = Math.floor(cellIndex / info.inWidth);
    return {
      plane,
      stepInPlane,
      n,
      outChannel,
      outChannelInGroup: outChannel - group * info.outChannelsPerGroup,
      inChannel: group * info.inChannelsPerGroup + icInGroup,
      row,
      col: cellIndex - row * info.inWidth,
    };
  }

  private inputIndex(at: StepAddress): number {
    const { info } = this;
    return ((at.n * info.inChannels + at.inChannel) * info.inHeight + at.row) * info.inWidth + at.col;
  }

  private kernelBase(at: StepAddress): number {
    const { info } = this;
    return (at.inChannel * info.outChannelsPerGroup + at.outChannelInGroup) * info.kernelHeight * info.kernelWidth;
  }

  /**
   * Steps `[from, to)` of `plane` into the replay buffer, each `buffer[cell] + x·tap` per tap inside
   * the output (the reference kernel's expression, so the bits agree). Allocation-free: replay
   * runs while a view scrubs through steps, and garbage there means collector pauses.
   */
  private replay(plane: number, from: number, to: number): void {
    if (from >= to) return;
    const { info, x, w, scratch } = this;
    const { outHeight, outWidth, kernelHeight, kernelWidth, inHeight, inWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = info;
    const n = Math.floor(plane / info.outChannels);
    const outChannel = plane - n * info.outChannels;
    const group = Math.floor(outChannel / info.outChannelsPerGroup);
    const outChannelInGroup = outChannel - group * info.outChannelsPerGroup;
    const inPlane = inHeight * inWidth;
    const kernelPlane = kernelHeight * kernelWidth;
    for (let s = from; s < to; s++) {
      const icInGroup = Math.floor(s / inPlane);
      const cell = s - icInGroup * inPlane;
      const ih = Math.floor(cell / inWidth);
      const iw = cell - ih * inWidth;
      const inChannel = group * info.inChannelsPerGroup + icInGroup;
      const value = x[((n * info.inChannels + inChannel) * inHeight + ih) * inWidth + iw] as number;
      const kernelBase = (inChannel * info.outChannelsPerGroup + outChannelInGroup) * kernelPlane;
      for (let kh = 0; kh < kernelHeight; kh++) {
        const row = ih * strideHeight + kh * dilationHeight - padTop;
        if (row < 0 || row >= outHeight) continue;
        const tapRow = kernelBase + kh * kernelWidth;
        for (let kw = 0; kw < kernelWidth; kw++) {
          const col = iw * strideWidth + kw * dilationWidth - padLeft;
          if (col < 0 || col >= outWidth) continue;
          const o = row * outWidth + col;
          scratch[o] = (scratch[o] as number) + value * (w[tapRow + kw] as number);
        }
      }
    }
  }
}

/** The `(input index, tap)` pairs that land on output position `o` along one axis, ascending input index. */
function sources(o: number, stride: number, dilation: number, padBefore: number, kernel: number, inSize: number): [number, number][] {
  const pairs: [number, number][] = [];
  // o = i·stride + t·dilation − padBefore; larger taps come from smaller inputs, so walk the taps downwards.
  for (let t = kernel - 1; t >= 0; t--) {
    const offset = o + padBefore - t * dilation;
    if (offset < 0 || offset % stride !== 0) continue;
    const i = offset / stride;
    if (i < inSize) pairs.push([i, t]);
  }
  return pairs;
}

function cropEdges(row: number, col: number, height: number, width: number): CropEdge[] {
  const edges: CropEdge[] = [];
  if (row < 0) edges.push('top');
  if (row >= height) edges.push('bottom');
  if (col < 0) edges.push('left');
  if (col >= width) edges.push('right');
  return edges;
}

/** `into` when it fits the output, else a fresh buffer when none is given. */
export function outputBuffer(length: number, into: Float64Array | undefined): Float64Array {
  if (into === undefined) return new Float64Array(length);
  if (!(into instanceof Float64Array) || into.length !== length) {
    throw new LayerError('invalid-shape', `the buffer for a partial output must be a Float64Array of the output's ${length} values`);
  }
  return into;
}

/** Refuses an index outside `[0, max]`, naming what it indexes. */
export function checkIndex(what: string, index: number, max: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > max) {
    const range = max < 0 ? 'there are none' : `use 0 to ${max}`;
    throw new LayerError('invalid-parameter', `${what} ${String(index)} is outside the trace: ${range}`);
  }
}
