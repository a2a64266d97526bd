/**
 * The step trace of a transposed convolution. Step i takes one input value, scales the kernel slice
 * of one (input channel, output channel) pair by it, and adds the products into the output window
 * that value paints. Steps run in the loop order of {@link convTranspose2d}'s kernel:
 *
 *     image n → output channel → input channel of that channel's group → input row → input column
 *
 * (a volume's input slice comes before its row; a sequence is an image of height 1)
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
import type { ConvTranspose1dOptions, ConvTranspose2dOptions, ConvTranspose3dOptions } from './options';
import type { Tensor } from './tensor';
import { planTraceMemory, type TraceMemoryPlan } from './traceMemory';
import type { CellContributions, CellPosition, Contribution, CropEdge, LayerTrace, OutputWindow, ScatterStep, TapLanding } from './traceTypes';

export interface TraceOptions {
  /** Bytes the trace may keep (default {@link DEFAULT_TRACE_MEMORY_BUDGET}, 64 MiB); see {@link planTraceMemory}. */
  readonly memoryBudgetBytes?: number;
}

export interface ConvTransposeTrace extends LayerTrace<ScatterStep> {
  /** The layer traced; a 1-D layer's cells are those of an image of height 1 (row 0), a 3-D layer's carry their `depth`. */
  readonly kind: 'convTranspose2d' | 'convTranspose1d' | 'convTranspose3d';
  readonly memory: TraceMemoryPlan;
  /** The products that made one output cell, in the order they were added, with the running sum. */
  contributionsTo(cell: CellPosition): CellContributions;
}

export const scatterOrder: readonly string[] = ['image n', 'output channel', 'input channel (of the output channel’s group)', 'input row', 'input column'];

/**
 * The checkpoint plan a trace of this call would use, without computing anything (throws the layer's
 * {@link LayerError}s). `op` is the layer, 2-D unless given (the options take its per-axis forms).
 */
export function planConvTransposeTrace(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: Omit<ConvTranspose2dOptions | ConvTranspose1dOptions | ConvTranspose3dOptions, 'bias'> & { readonly biasShape?: readonly number[] } = {},
  traceOptions: TraceOptions = {},
  op: ConvTransposeTrace['kind'] = 'convTranspose2d',
): TraceMemoryPlan {
  const { biasShape, ...parameters } = options;
  const info = computeConvInfo(op, inputShape, { ...parameters, weightShape, biasShape } as never);
  return planTraceMemory(traceSizes(info, biasShape !== undefined), traceOptions.memoryBudgetBytes);
}

/** Traces `F.conv_transpose2d(input, weight, **options)`; validates exactly as {@link convTranspose2d}. */
export function traceConvTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}, traceOptions: TraceOptions = {}): ConvTransposeTrace {
  return traceConvTranspose('convTranspose2d', input, weight, options, traceOptions);
}

/** Traces `F.conv_transpose3d(input, weight, **options)`; validates exactly as {@link convTranspose3d}. Positions carry their `depth`. */
export function traceConvTranspose3d(input: Tensor, weight: Tensor, options: ConvTranspose3dOptions = {}, traceOptions: TraceOptions = {}): ConvTransposeTrace {
  return traceConvTranspose('convTranspose3d', input, weight, options, traceOptions);
}

/** Traces `F.conv_transpose1d(input, weight, **options)` as an image of height 1 (every cell in row 0); validates exactly as {@link convTranspose1d}. */
export function traceConvTranspose1d(input: Tensor, weight: Tensor, options: ConvTranspose1dOptions = {}, traceOptions: TraceOptions = {}): ConvTransposeTrace {
  return traceConvTranspose('convTranspose1d', input, weight, options, traceOptions);
}

function traceConvTranspose(op: ConvTransposeTrace['kind'], input: Tensor, weight: Tensor, options: ConvTranspose2dOptions | ConvTranspose1dOptions | ConvTranspose3dOptions, traceOptions: TraceOptions): ConvTransposeTrace {
  const info = convCallInfo(op, input, weight, options);
  const bias = options?.bias;
  const plan = planTraceMemory(traceSizes(info, bias !== undefined), traceOptions.memoryBudgetBytes);
  // Copies: the trace replays from these long after the call, so later edits must not reach it.
  return new ScatterTrace(info, plan, Float64Array.from(input.data), Float64Array.from(weight.data), bias === undefined ? undefined : Float64Array.from(bias.data));
}

function traceSizes(info: ConvInfo, hasBias: boolean) {
  return {
    planes: info.batch * info.outChannels,
    planeValues: info.outDepth * info.outHeight * info.outWidth,
    stepsPerPlane: info.inChannelsPerGroup * info.inDepth * info.inHeight * info.inWidth,
    tapsPerStep: info.kernelDepth * info.kernelHeight * info.kernelWidth,
    inputValues: info.batch * info.inChannels * info.inDepth * info.inHeight * info.inWidth,
    weightValues: info.kernelDepth * info.weightShape4d.reduce((a, b) => a * b, 1),
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
  readonly depth: number;
  readonly row: number;
  readonly col: number;
}

/** `{ depth }` for a volume's positions, nothing for an image's (whose positions have no depth key). */
export function depthOf(volume: boolean, depth: number): { readonly depth?: number } {
  return volume ? { depth } : {};
}

class ScatterTrace implements ConvTransposeTrace {
  readonly kind: ConvTransposeTrace['kind'];
  readonly order = scatterOrder;
  readonly stepCount: number;
  readonly output: Tensor;
  readonly memoryBytes: number;
  private readonly stepsPerPlane: number;
  private readonly planeValues: number;
  /** A 3-D layer: positions carry their depth. */
  private readonly volume: boolean;
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
    this.kind = info.op === 'convTranspose1d' || info.op === 'convTranspose3d' ? info.op : 'convTranspose2d';
    this.volume = info.op === 'convTranspose3d';
    this.planeValues = info.outDepth * info.outHeight * info.outWidth;
    this.stepsPerPlane = info.inChannelsPerGroup * info.inDepth * info.inHeight * info.inWidth;
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
    const volume = this.volume;
    let depthLo = Infinity, depthHi = -Infinity, rowLo = Infinity, rowHi = -Infinity, colLo = Infinity, colHi = -Infinity;
    for (let kd = 0; kd < info.kernelDepth; kd++) {
      const depth = at.depth * info.strideDepth + kd * info.dilationDepth - info.padFront;
      for (let kh = 0; kh < info.kernelHeight; kh++) {
        const row = at.row * info.strideHeight + kh * info.dilationHeight - info.padTop;
        for (let kw = 0; kw < info.kernelWidth; kw++) {
          const col = at.col * info.strideWidth + kw * info.dilationWidth - info.padLeft;
          const tap = { ...depthOf(volume, kd), row: kh, col: kw, value: this.w[kernelBase + (kd * info.kernelHeight + kh) * info.kernelWidth + kw] as number };
          const product = value * tap.value;
          const edges = cropEdges(row, col, info.outHeight, info.outWidth);
          if (volume) edges.push(...depthEdges(depth, info.outDepth));
          if (edges.length > 0) {
            landings.push({ kind: 'cropped', tap, ...depthOf(volume, depth), row, col, product, edges });
            continue;
          }
          landings.push({ kind: 'added', tap, ...depthOf(volume, depth), row, col, product });
          depthLo = Math.min(depthLo, depth);
          depthHi = Math.max(depthHi, depth);
          rowLo = Math.min(rowLo, row);
          rowHi = Math.max(rowHi, row);
          colLo = Math.min(colLo, col);
          colHi = Math.max(colHi, col);
        }
      }
    }
    const front = at.depth * info.strideDepth - info.padFront;
    const top = at.row * info.strideHeight - info.padTop;
    const left = at.col * info.strideWidth - info.padLeft;
    const window: OutputWindow = {
      ...(volume ? { depths: { start: front, end: front + info.effectiveKernelDepth, step: info.dilationDepth } } : {}),
      rows: { start: top, end: top + info.effectiveKernelHeight, step: info.dilationHeight },
      cols: { start: left, end: left + info.effectiveKernelWidth, step: info.dilationWidth },
    };
    const visibleWindow: OutputWindow | undefined =
      rowLo > rowHi
        ? undefined
        : {
            ...(volume ? { depths: { start: depthLo, end: depthHi + 1, step: info.dilationDepth } } : {}),
            rows: { start: rowLo, end: rowHi + 1, step: info.dilationHeight },
            cols: { start: colLo, end: colHi + 1, step: info.dilationWidth },
          };
    return {
      kind: 'scatter',
      index,
      input: { n: at.n, channel: at.inChannel, ...depthOf(volume, at.depth), row: at.row, col: at.col, value },
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
    const depth = this.volume ? cell.depth : 0;
    if (this.volume) checkIndex('output slice (depth)', depth as number, info.outDepth - 1);
    checkIndex('output row', cell.row, info.outHeight - 1);
    checkIndex('output column', cell.col, info.outWidth - 1);
    const depths = sources(depth as number, info.strideDepth, info.dilationDepth, info.padFront, info.kernelDepth, info.inDepth);
    const rows = sources(cell.row, info.strideHeight, info.dilationHeight, info.padTop, info.kernelHeight, info.inHeight);
    const cols = sources(cell.col, info.strideWidth, info.dilationWidth, info.padLeft, info.kernelWidth, info.inWidth);
    const plane = cell.n * info.outChannels + cell.channel;
    const start = this.biasOf(plane);
    const contributions: Contribution[] = [];
    let sum = start;
    // Ascending input channel, slice, row, column: ascending step index, the order the trace adds in.
    const volume = this.volume;
    for (let icInGroup = 0; icInGroup < info.inChannelsPerGroup; icInGroup++) {
      for (const [id, kd] of depths) {
        for (const [ih, kh] of rows) {
          for (const [iw, kw] of cols) {
            const stepIndex = plane * this.stepsPerPlane + ((icInGroup * info.inDepth + id) * info.inHeight + ih) * info.inWidth + iw;
            const at = this.address(stepIndex);
            const value = this.x[this.inputIndex(at)] as number;
            const tap = { ...depthOf(volume, kd), row: kh, col: kw, value: this.w[this.kernelBase(at) + (kd * info.kernelHeight + kh) * info.kernelWidth + kw] as number };
            const product = value * tap.value;
            sum += product;
            contributions.push({ step: stepIndex, input: { n: at.n, channel: at.inChannel, ...depthOf(volume, id), row: ih, col: iw, value }, tap, product, runningSum: sum });
          }
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
    const inVolume = info.inDepth * inPlane;
    const icInGroup = Math.floor(stepInPlane / inVolume);
    const inSlice = stepInPlane - icInGroup * inVolume;
    const depth = Math.floor(inSlice / inPlane);
    const cellIndex = inSlice - depth * inPlane;
    const row = Math.floor(cellIndex / info.inWidth);
    return {
      plane,
      stepInPlane,
      n,
      outChannel,
      outChannelInGroup: outChannel - group * info.outChannelsPerGroup,
      inChannel: group * info.inChannelsPerGroup + icInGroup,
      depth,
      row,
      col: cellIndex - row * info.inWidth,
    };
  }

  private inputIndex(at: StepAddress): number {
    const { info } = this;
    return (((at.n * info.inChannels + at.inChannel) * info.inDepth + at.depth) * info.inHeight + at.row) * info.inWidth + at.col;
  }

  private kernelBase(at: StepAddress): number {
    const { info } = this;
    return (at.inChannel * info.outChannelsPerGroup + at.outChannelInGroup) * info.kernelDepth * info.kernelHeight * info.kernelWidth;
  }

  /**
   * Steps `[from, to)` of `plane` into the replay buffer, each `buffer[cell] + x·tap` per tap inside
   * the output (the reference kernel's expression, so the bits agree). Allocation-free: replay
   * runs while a view scrubs through steps, and garbage there means collector pauses.
   */
  private replay(plane: number, from: number, to: number): void {
    if (from >= to) return;
    const { info, x, w, scratch } = this;
    const { outDepth, outHeight, outWidth, kernelDepth, kernelHeight, kernelWidth, inDepth, inHeight, inWidth, strideDepth, dilationDepth, padFront } = info;
    const n = Math.floor(plane / info.outChannels);
    const outChannel = plane - n * info.outChannels;
    const group = Math.floor(outChannel / info.outChannelsPerGroup);
    const outChannelInGroup = outChannel - group * info.outChannelsPerGroup;
    const inPlane = inHeight * inWidth;
    const inVolume = inDepth * inPlane;
    const kernelPlane = kernelHeight * kernelWidth;
    const outPlane = outHeight * outWidth;
    const geometry: PlaneGeometry = { outHeight, outWidth, kernelHeight, kernelWidth, dilationHeight: info.dilationHeight, dilationWidth: info.dilationWidth };
    for (let s = from; s < to; s++) {
      const icInGroup = Math.floor(s / inVolume);
      const inSlice = s - icInGroup * inVolume;
      const id = Math.floor(inSlice / inPlane);
      const cell = inSlice - id * inPlane;
      const ih = Math.floor(cell / inWidth);
      const iw = cell - ih * inWidth;
      const inChannel = group * info.inChannelsPerGroup + icInGroup;
      const value = x[(((n * info.inChannels + inChannel) * inDepth + id) * inHeight + ih) * inWidth + iw] as number;
      const kernelBase = (inChannel * info.outChannelsPerGroup + outChannelInGroup) * kernelDepth * kernelPlane;
      const top = ih * info.strideHeight - info.padTop;
      const left = iw * info.strideWidth - info.padLeft;
      if (kernelDepth === 1 && outDepth === 1) {
        // An image (or a sequence): one slice, no depth arithmetic in the loop that scrubbing runs.
        scatterSlice(scratch, 0, w, kernelBase, value, top, left, geometry);
        continue;
      }
      for (let kd = 0; kd < kernelDepth; kd++) {
        const depth = id * strideDepth + kd * dilationDepth - padFront;
        if (depth >= 0 && depth < outDepth) scatterSlice(scratch, depth * outPlane, w, kernelBase + kd * kernelPlane, value, top, left, geometry);
      }
    }
  }
}

/** The plane sizes {@link scatterSlice} reads, one small object of numbers (the layer's {@link ConvInfo} has forty fields). */
interface PlaneGeometry {
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
}

/**
 * One step's products with one kernel slice (`w` from `tapSlice`), added into one output slice of
 * the replay buffer (from `sliceBase`): `buffer[cell] + x·tap` per tap inside the output, the
 * reference kernel's expression, so the bits agree.
 */
function scatterSlice(scratch: Float64Array, sliceBase: number, w: Float64Array, tapSlice: number, value: number, top: number, left: number, plane: PlaneGeometry): void {
  const { outHeight, outWidth, kernelHeight, kernelWidth, dilationHeight, dilationWidth } = plane;
  for (let kh = 0; kh < kernelHeight; kh++) {
    const row = top + kh * dilationHeight;
    if (row < 0 || row >= outHeight) continue;
    const tapRow = tapSlice + kh * kernelWidth;
    for (let kw = 0; kw < kernelWidth; kw++) {
      const col = left + kw * dilationWidth;
      if (col < 0 || col >= outWidth) continue;
      const o = sliceBase + row * outWidth + col;
      scratch[o] = (scratch[o] as number) + value * (w[tapRow + kw] as number);
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

/** The depth borders a volume's tap falls past. */
function depthEdges(depth: number, outDepth: number): CropEdge[] {
  if (depth < 0) return ['front'];
  return depth >= outDepth ? ['back'] : [];
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
