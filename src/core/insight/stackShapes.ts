/**
 * Shapes through a stack of layers: each element's input and output `[N, C, H, W]` (`[N, C, L]`
 * for 1-D stacks), its parameter count, the overlap verdict of each transposed convolution and the
 * output-size formula of each layer, from the source alone.
 *
 * The input size is the one given, else the one the code states (a `Reshape`/`Input`/`Unflatten`
 * shape, a size comment above the first layer, or one above a later layer, solved back to the
 * input), else symbolic: `H`, `W`, and every size after them is written as a function of them
 * (`2H + 2`, `⌊(H + 1) / 2⌋`), found exactly by following several large input sizes through the
 * stack. Channels are numbers where the file's constants give them, else the text as written.
 *
 * Where a stack cannot work it says so on the layer that breaks it, in the engine's words: a
 * channel count that differs from what the previous layer gives, an output that becomes empty.
 * In a module's `__init__` the order of assignment is not the data path (`forward` is), and U-Net
 * style blocks concatenate skip connections there, so a channel difference is only noted.
 */
import { formatAxisFormula } from '../engine/formula';
import type { ConstantBindings } from '../parse/constantNames';
import { evaluateInteger } from '../parse/constantNames';
import type { LayerCall } from '../parse/index';
import type { LayerStack, StackItem } from '../parse/layerStacks';
import { layerOverlap } from './layerOverlap';
import { AXIS_NAMES, convAxes, isTransposed, layerSize, rankFollowsInput, rankOf, type ConvAxis, type SpatialRank } from './layerSize';
import { parameterCount } from './parameterCount';
import { resolveCall } from './resolvedCall';

/** A size: a number, or text (`H`, `2H + 2`, `ngf * 8`, `?` when nothing can be said). */
export type Dim = number | string;
export const UNKNOWN: Dim = '?';

export interface StackShape {
  readonly n: Dim;
  readonly c: Dim;
  /** `[H, W]`, or `[L]`. */
  readonly spatial: readonly Dim[];
}

export type StackProblemCode = 'channel-mismatch' | 'empty-output' | 'invalid-layer';

export interface StackProblem {
  readonly code: StackProblemCode;
  readonly message: string;
}

export interface StackRow {
  readonly index: number;
  readonly item: StackItem;
  /** The call with the file's constants filled in (layers only). */
  readonly call?: LayerCall;
  readonly input: StackShape;
  readonly output: StackShape;
  /** `819,200`, `0`, a product as written (`(ngf * 8)·…`), or `?`. */
  readonly parameters: string;
  readonly parameterCount?: number;
  /** Transposed convolutions: `even`, `uneven 1:2`, `gaps`, with the reason. */
  readonly overlap?: { readonly label: string; readonly even: boolean; readonly reason: string };
  /** The output-size formula per axis, symbols then values. */
  readonly formulas: readonly string[];
  /** Where the stack breaks at this element. */
  readonly problem?: StackProblem;
  /** Something to know that does not break the stack (skip connections, an element read as unknown). */
  readonly note?: string;
  /** Convolution axes in PyTorch terms, for the compound overlap (transposed convolutions). */
  readonly axes?: readonly ConvAxis[];
  /**
   * Set when the shapes come from a model's forward() (stackModel.ts): `run` (the shapes are the
   * run's), `not-run` (forward() never calls it), `not-reached` (forward() stops before it).
   */
  readonly model?: 'run' | 'not-run' | 'not-reached';
  /** The module's `named_modules()` name in that run (`up1.conv.double_conv.0`). */
  readonly runPath?: string;
}

export type InputSource =
  | { readonly kind: 'given' }
  | { readonly kind: 'reshape'; readonly offset: number }
  | { readonly kind: 'comment'; readonly offset: number }
  /** Solved back from the size a comment states for a later layer's input. */
  | { readonly kind: 'solved'; readonly offset: number; readonly index: number }
  | { readonly kind: 'symbolic' }
  /** Followed through a model's forward() (stackModel.ts): the words say which model, input and use. */
  | { readonly kind: 'model'; readonly text: string };

export interface StackAnalysis {
  readonly stack: LayerStack;
  readonly rank: SpatialRank;
  readonly input: StackShape;
  readonly inputSource: InputSource;
  readonly output: StackShape;
  readonly rows: readonly StackRow[];
  readonly layerCount: number;
  readonly transposedCount: number;
  readonly unevenCount: number;
  readonly problems: readonly { readonly index: number; readonly problem: StackProblem }[];
  /** A Keras stack: its shapes are written `[N, H, W, C]`, as Keras prints them. */
  readonly channelsLast: boolean;
}

/** What the user gives: `64` (H = W), `[H, W]`, `[C, H, W]` or `[N, C, H, W]`. */
export type GivenInput = number | readonly number[];

export interface AnalyzeOptions {
  /**
   * Write symbolic sizes as functions of `H` and `W` (default). Off, they stay `?`: cheaper, and
   * enough where only the problems matter (diagnostics), since those need numeric sizes anyway.
   */
  readonly symbolicSizes?: boolean;
}

export function analyzeStack(stack: LayerStack, constants: ConstantBindings, given?: GivenInput, options: AnalyzeOptions = {}): StackAnalysis {
  const calls = stack.items.map((item) => (item.kind === 'layer' ? resolveCall(item.call, constants) : undefined));
  const rank = stackRank(calls);
  const { input, source } = inputOf(stack, calls, constants, rank, given);
  const rows = propagate(stack, calls, constants, rank, input, source.kind === 'symbolic' && options.symbolicSizes !== false);
  const transposed = rows.filter((row) => row.call && isTransposed(row.call));
  return {
    stack,
    rank,
    input,
    inputSource: source,
    output: rows.length > 0 ? (rows[rows.length - 1] as StackRow).output : input,
    rows,
    layerCount: rows.length,
    transposedCount: transposed.length,
    unevenCount: transposed.filter((row) => row.overlap && !row.overlap.even).length,
    problems: rows.flatMap((row) => (row.problem ? [{ index: row.index, problem: row.problem }] : [])),
    channelsLast: stack.kind === 'kerasSequential' || stack.items.some((item) => item.kind === 'layer' && item.call.framework === 'keras'),
  };
}

/**
 * A stack's spatial rank: its layers' (nearest upsampling takes any); 1-D or 3-D only when no layer
 * is 2-D, so a stack mixing ranks is read as images, as before 3-D layers were read.
 */
function stackRank(calls: readonly (LayerCall | undefined)[]): SpatialRank {
  const ranks = new Set(calls.flatMap((call) => (call && !rankFollowsInput(call.op) ? [rankOf(call.op)] : [])));
  if (ranks.has(2) || ranks.size === 0) return 2;
  return ranks.has(3) && !ranks.has(1) ? 3 : ranks.has(1) && !ranks.has(3) ? 1 : 2;
}

// --- Input ---------------------------------------------------------------------------------------

function inputOf(stack: LayerStack, calls: readonly (LayerCall | undefined)[], constants: ConstantBindings, rank: SpatialRank, given: GivenInput | undefined): { input: StackShape; source: InputSource } {
  const first = stack.items[0];
  const firstChannels = firstInChannels(stack, calls, constants);
  const symbolicSpatial: Dim[] = [...AXIS_NAMES[rank]];
  if (given !== undefined) {
    const values = typeof given === 'number' ? [given] : [...given];
    const spatial = values.length === 1 ? new Array<number>(rank).fill(values[0] as number) : values.slice(values.length - rank);
    const c = values.length >= rank + 1 ? (values[values.length - rank - 1] as number) : firstChannels;
    const n = values.length >= rank + 2 ? (values[0] as number) : 'N';
    return { input: { n, c, spatial: spatial as number[] }, source: { kind: 'given' } };
  }
  // Elements before a reshape that precedes every layer (a Dense before Reshape((7, 7, 256))): sizes before it are not known.
  const reshape = stack.items.findIndex((item) => item.kind === 'reshape');
  const firstLayer = stack.items.findIndex((item) => item.kind === 'layer');
  if (reshape > 0 && reshape < firstLayer) {
    return { input: { n: 'N', c: UNKNOWN, spatial: symbolicSpatial.map(() => UNKNOWN) }, source: { kind: 'reshape', offset: (stack.items[reshape] as StackItem).start } };
  }
  if (first?.kind === 'reshape') return { input: statedShape(first.shape, rank), source: { kind: 'reshape', offset: first.start } };
  if (first?.sizeComment && rank === 2) return { input: { n: 'N', c: firstChannels, spatial: [...first.sizeComment.size] }, source: { kind: 'comment', offset: first.sizeComment.offset } };
  // A size comment further down: the input size that makes the stack reach it, if one does.
  const later = stack.items.findIndex((item, index) => index > 0 && item.sizeComment !== undefined);
  if (later > 0 && rank === 2) {
    const stated = (stack.items[later] as StackItem).sizeComment as NonNullable<StackItem['sizeComment']>;
    const solved = stated.size.map((size, axis) => solveAxis(stack, calls, later, axis, size));
    if (solved.every((s) => s !== undefined)) {
      return { input: { n: 'N', c: firstChannels, spatial: solved as number[] }, source: { kind: 'solved', offset: stated.offset, index: later } };
    }
  }
  return { input: { n: 'N', c: firstChannels, spatial: symbolicSpatial }, source: { kind: 'symbolic' } };
}

/**
 * The shape a reshape or `Input(shape=…)` states (`[C, …spatial]`) for a stack of `rank`: its sides
 * when it has as many as the stack's layers (`Input(shape=(100, 16))` before `Conv1D`), unknown
 * otherwise (a `Reshape((49, 64))` before `Conv2D` is no image the stack can follow).
 */
export function statedShape(shape: readonly number[], rank: SpatialRank): StackShape {
  const c = shape[0] as number;
  return { n: 'N', c, spatial: shape.length === rank + 1 ? shape.slice(1) : new Array<Dim>(rank).fill(UNKNOWN) };
}

function firstInChannels(stack: LayerStack, calls: readonly (LayerCall | undefined)[], constants: ConstantBindings): Dim {
  for (let i = 0; i < stack.items.length; i++) {
    const item = stack.items[i] as StackItem;
    if (item.kind === 'unknown' || item.kind === 'reshape') return UNKNOWN;
    if (item.kind === 'preserving' && item.channels) return channelValue(item.channels, constants);
    const call = calls[i];
    if (!call) continue;
    const param = call.params.inChannels;
    if (param) return param.kind === 'known' && param.value !== null ? param.value : param.kind === 'unknown' ? param.text.trim() : UNKNOWN;
    if (!call.op.startsWith('upsample') && !call.op.startsWith('maxPool') && !call.op.startsWith('avgPool')) return UNKNOWN;
  }
  return UNKNOWN;
}

/** The input size along one axis for which the stack's size before element `target` is `size`, searched over 1…4096. */
function solveAxis(stack: LayerStack, calls: readonly (LayerCall | undefined)[], target: number, axis: number, size: number): number | undefined {
  for (let candidate = 1; candidate <= 4096; candidate++) {
    const reached = spatialBefore(stack, calls, target, [candidate, candidate])?.[axis];
    if (reached === size) return candidate;
    if (reached !== undefined && reached > size * 4 + 64) return undefined; // sizes only grow with the input
  }
  return undefined;
}

/** The numeric spatial size before element `target` for a numeric input, or undefined where it cannot be followed. */
function spatialBefore(stack: LayerStack, calls: readonly (LayerCall | undefined)[], target: number, input: readonly number[]): readonly number[] | undefined {
  let spatial: readonly number[] = input;
  for (let i = 0; i < target; i++) {
    const item = stack.items[i] as StackItem;
    if (item.kind === 'preserving') continue;
    if (item.kind === 'reshape') {
      if (item.shape.length !== spatial.length + 1) return undefined;
      spatial = item.shape.slice(1);
      continue;
    }
    if (item.kind === 'padding') {
      spatial = spatial.map((d, axis) => d + (item.added[axis] ?? 0));
      continue;
    }
    const call = calls[i];
    if (!call) return undefined;
    const size = layerSize(call, spatial);
    if (size.kind !== 'sized') return undefined;
    spatial = size.output;
  }
  return spatial;
}

// --- Propagation ---------------------------------------------------------------------------------

function propagate(stack: LayerStack, calls: readonly (LayerCall | undefined)[], constants: ConstantBindings, rank: SpatialRank, input: StackShape, symbolic: boolean): StackRow[] {
  const rows: StackRow[] = [];
  // Symbolic sizes are found by following large probe sizes through the stack and fitting each.
  // Most stacks are affine throughout (transposed convolutions, whole-factor upsampling, stride-1
  // convolutions): composed exactly and cheaply. Others are probed over many input sizes and fitted.
  const affine = symbolic ? affineSizes(stack, calls, rank) : undefined;
  const probes = symbolic && !affine ? probeSizes(stack, calls, rank) : undefined;
  let shape = input;
  stack.items.forEach((item, index) => {
    const call = calls[index];
    const row = rowOf(stack, item, index, call, shape, constants, rank);
    const unknownSize = row.output.spatial.every((d) => d === UNKNOWN);
    const fitted = affine && unknownSize ? withAffine(row, affine[index], rank) : probes && unknownSize ? withFit(row, probes[index], rank) : row;
    rows.push(fitted);
    shape = fitted.output;
  });
  return rows;
}

function rowOf(stack: LayerStack, item: StackItem, index: number, call: LayerCall | undefined, input: StackShape, constants: ConstantBindings, rank: SpatialRank): StackRow {
  const base = { index, item, input, formulas: [] as string[] };
  switch (item.kind) {
    case 'preserving': {
      const channels = item.channels ? channelValue(item.channels, constants) : undefined;
      const problem = channels !== undefined ? channelProblem(stack, channels, input.c, `num_features=${item.channels}`) : undefined;
      const c = channels ?? input.c;
      // Affine norms and PReLU learn parameters (`GroupNorm(32, 64)`: 128); `affine=False` ones do not.
      const learned = item.learned;
      const factor = learned ? channelValue(learned.of, constants) : 0;
      const per = learned?.per ?? 1;
      const parameterCount = typeof factor === 'number' ? per * factor : undefined;
      const written = /^[\w.]+$/.test(String(factor)) ? String(factor) : `(${factor})`;
      return {
        ...base,
        output: { ...input, c },
        parameters: parameterCount === undefined ? (per === 1 ? written : `${per}·${written}`) : parameterCount.toLocaleString('en-US'),
        ...(parameterCount === undefined ? {} : { parameterCount }),
        ...problem,
      };
    }
    case 'reshape':
      return { ...base, output: { ...statedShape(item.shape, rank), n: input.n }, parameters: '0', parameterCount: 0 };
    case 'padding':
      return { ...base, output: { ...input, spatial: padded(input.spatial, item.added) }, parameters: '0', parameterCount: 0 };
    case 'unknown':
      return {
        ...base,
        output: { n: input.n, c: UNKNOWN, spatial: input.spatial.map(() => UNKNOWN) },
        parameters: '?',
        note: `Layer Lens does not know what ${item.label} does to the shape: the sizes after it are unknown (?) until a Reshape or a size comment states them`,
      };
    case 'layer':
      return layerRow(stack, base, call as LayerCall, input);
  }
}

function layerRow(stack: LayerStack, base: { index: number; item: StackItem; input: StackShape; formulas: string[] }, call: LayerCall, input: StackShape): StackRow {
  const count = parameterCount(call);
  const parameters = count.kind === 'known' ? count.text : count.kind === 'symbolic' ? count.text : count.kind === 'none' ? '0' : '?';
  const parameterValue = count.kind === 'known' ? count.value : count.kind === 'none' ? 0 : undefined;
  // Channels.
  const inParam = call.params.inChannels;
  const expected: Dim | undefined = inParam === undefined ? undefined : inParam.kind === 'known' ? (inParam.value ?? undefined) : inParam.text.trim();
  const problem = expected !== undefined ? channelProblem(stack, expected, input.c, `in_channels=${inParam?.kind === 'unknown' ? inParam.text.trim() : expected}`) : undefined;
  const inputChannels = expected ?? input.c;
  const outChannels = outChannelsOf(call, inputChannels);
  // Overlap.
  let overlap: StackRow['overlap'];
  let axes: readonly ConvAxis[] | undefined;
  if (isTransposed(call)) {
    const read = convAxes(call);
    if (read.ok) {
      axes = read.axes;
      try {
        const o = layerOverlap(read.axes, rankOf(call.op));
        overlap = { label: o.label, even: o.verdict.even, reason: o.verdict.reason };
      } catch {
        // The engine refuses the parameters; the size below says why.
      }
    }
  }
  const common = { ...base, call, parameters, ...(parameterValue === undefined ? {} : { parameterCount: parameterValue }), ...(overlap ? { overlap } : {}), ...(axes ? { axes } : {}) };
  // Spatial size.
  const numeric = input.spatial.every((d) => typeof d === 'number');
  const symbolicOut = input.spatial.map(() => UNKNOWN);
  if (!numeric) {
    const symbolicFormulas = formulasFor(call, input.spatial.map(() => 64));
    return { ...common, formulas: symbolicFormulas, output: { n: input.n, c: outChannels, spatial: symbolicOut }, ...problem };
  }
  const size = layerSize(call, input.spatial as number[]);
  if (size.kind === 'invalid') {
    const code: StackProblemCode = /empty|too small|0 or less/i.test(size.message) ? 'empty-output' : 'invalid-layer';
    return { ...common, output: { n: input.n, c: outChannels, spatial: symbolicOut }, problem: (problem && 'problem' in problem ? problem.problem : undefined) ?? { code, message: `${size.message} (input ${formatShape(input)})` } };
  }
  if (size.kind === 'symbolic') return { ...common, output: { n: input.n, c: outChannels, spatial: symbolicOut }, note: size.reason, ...problem };
  const formulas = size.formulas.map((f) => formatAxisFormula(f, 'both'));
  const empty = size.output.find((v) => v < 1);
  const emptyProblem = empty !== undefined ? { problem: { code: 'empty-output' as const, message: `the output would be empty (${size.output.join('×')}) for input ${formatShape(input)}` } } : undefined;
  return { ...common, formulas, output: { n: input.n, c: outChannels, spatial: size.output }, ...(problem ?? emptyProblem) };
}

/** The symbolic formulas of a layer (their values for a stand-in size are not shown). */
function formulasFor(call: LayerCall, stand: readonly number[]): string[] {
  const size = layerSize(call, stand);
  return size.kind === 'sized' ? size.formulas.map((f) => `${f.name} = ${f.symbolic}`) : [];
}

function outChannelsOf(call: LayerCall, input: Dim): Dim {
  const out = call.params.outChannels;
  if (out) return out.kind === 'known' ? (out.value ?? UNKNOWN) : out.text.trim();
  if (call.op === 'pixelShuffle') {
    const r = call.params.upscaleFactor;
    return r?.kind === 'known' && r.value !== null && typeof input === 'number' ? input / (r.value * r.value) : UNKNOWN;
  }
  if (call.op.startsWith('conv')) return UNKNOWN; // functional: from the weight
  return input;
}

/** A padding layer's output: each axis grown by the rows or columns it adds (`H + 6` when `H` is symbolic). */
function padded(spatial: readonly Dim[], added: readonly number[]): Dim[] {
  return spatial.map((d, axis) => {
    const n = added[axis] ?? 0;
    if (typeof d === 'number') return d + n;
    return d === UNKNOWN || n === 0 ? d : `${d} + ${n}`;
  });
}

function channelValue(text: string, constants: ConstantBindings): Dim {
  return evaluateInteger(text, constants) ?? text.trim();
}

function sameDim(a: Dim, b: Dim): boolean | undefined {
  if (a === UNKNOWN || b === UNKNOWN) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'string' && typeof b === 'string') return a.replace(/\s+/g, '') === b.replace(/\s+/g, '') ? true : undefined;
  return undefined;
}

function channelProblem(stack: LayerStack, expected: Dim, given: Dim, written: string): { problem: StackProblem } | { note: string } | undefined {
  if (sameDim(expected, given) !== false) return undefined;
  const message = `channel mismatch: this layer expects ${expected} input channels (${written}) but the previous layer gives ${given}`;
  // In __init__ the data path is forward's: a skip connection may be concatenated there.
  if (stack.kind === 'init') {
    const skip = typeof expected === 'number' && typeof given === 'number' && expected > given ? `a ${expected - given}-channel skip connection` : 'a skip connection';
    return { note: `expects ${expected} input channels and the layer assigned before it gives ${given}: only noted, since forward may concatenate ${skip} here (as U-Net does)` };
  }
  return { problem: { code: 'channel-mismatch', message } };
}

export function formatDim(d: Dim): string {
  return typeof d === 'number' ? String(d) : d;
}

/** `[N, C, H, W]`, or Keras' `[N, H, W, C]` when `channelsLast`. */
export function formatShape(shape: StackShape, channelsLast = false): string {
  const dims = channelsLast ? [shape.n, ...shape.spatial, shape.c] : [shape.n, shape.c, ...shape.spatial];
  return `[${dims.map(formatDim).join(', ')}]`;
}

/** `4×4`, `H×W`, `2H + 2 × 2W + 2` → the spatial part for a CodeLens. */
export function formatSpatial(shape: StackShape): string {
  return shape.spatial.map((d) => (typeof d === 'string' && /\s/.test(d) ? `(${d})` : formatDim(d))).join('×');
}

// --- Symbolic sizes ------------------------------------------------------------------------------

const PROBE_BASE = 1024;
const PROBE_COUNT = 48;

/** For each element, its output spatial size for each probe input size (undefined once it cannot be followed). */
function probeSizes(stack: LayerStack, calls: readonly (LayerCall | undefined)[], rank: SpatialRank): (readonly (readonly number[] | undefined)[] | undefined)[] {
  const perProbe: ((readonly number[] | undefined)[])[] = [];
  for (let p = 0; p < PROBE_COUNT; p++) {
    const size = PROBE_BASE + p;
    let spatial: readonly number[] | undefined = new Array<number>(rank).fill(size);
    const outs: (readonly number[] | undefined)[] = [];
    stack.items.forEach((item, i) => {
      if (spatial === undefined) {
        outs.push(undefined);
        return;
      }
      if (item.kind === 'reshape' || item.kind === 'unknown') spatial = undefined; // a stated shape is numeric anyway
      else if (item.kind === 'padding') spatial = spatial.map((d, axis) => d + (item.added[axis] ?? 0));
      else if (item.kind === 'layer') {
        const result = layerSize(calls[i] as LayerCall, spatial);
        spatial = result.kind === 'sized' ? result.output : undefined;
      }
      outs.push(spatial);
    });
    perProbe.push(outs);
  }
  return stack.items.map((_, i) => perProbe.map((outs) => outs[i]));
}

/** `H ↦ a·H + b` per axis. */
type Affine = readonly { readonly a: number; readonly b: number }[];

const AFFINE_PROBE = 4096;
/**
 * A volume is probed one axis at a time, the others at {@link VOLUME_SIDE}: 4096³ values are far
 * more than the engine sizes at once (its shape questions check the output's allocation).
 */
const VOLUME_AFFINE_PROBE = 1024;
const VOLUME_SIDE = 32;

/** A layer's output size on an input of side `x` on every axis (a volume: each axis probed alone). */
function affineProbe(call: LayerCall, rank: SpatialRank, x: number): readonly number[] | undefined {
  if (rank !== 3) {
    const size = layerSize(call, Array.from({ length: rank }, () => x));
    return size.kind === 'sized' ? size.output : undefined;
  }
  const out: number[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const size = layerSize(call, [0, 1, 2].map((a) => (a === axis ? x : VOLUME_SIDE)));
    if (size.kind !== 'sized') return undefined;
    out.push(size.output[axis] as number);
  }
  return out;
}

/**
 * Each element's output size as `a·H + b` per axis, when every layer is affine in its input size
 * (checked on several large sizes); `undefined` as soon as one is not (a stride that divides, a
 * fractional scale), or where an element's size cannot be followed.
 */
function affineSizes(stack: LayerStack, calls: readonly (LayerCall | undefined)[], rank: SpatialRank): (Affine | undefined)[] | undefined {
  let current: Affine | undefined = Array.from({ length: rank }, () => ({ a: 1, b: 0 }));
  const out: (Affine | undefined)[] = [];
  for (let i = 0; i < stack.items.length; i++) {
    const item = stack.items[i] as StackItem;
    if (item.kind === 'reshape' || item.kind === 'unknown') current = undefined;
    else if (item.kind === 'padding' && current) current = current.map(({ a, b }, axis) => ({ a, b: b + (item.added[axis] ?? 0) }));
    else if (item.kind === 'layer' && current) {
      const call = calls[i] as LayerCall;
      const probe = rank === 3 ? VOLUME_AFFINE_PROBE : AFFINE_PROBE;
      const points = [probe, probe + 1, probe + 2, probe + 3, 2 * probe].map((x) => affineProbe(call, rank, x));
      if (points.some((p) => p === undefined)) return undefined;
      const next: { a: number; b: number }[] = [];
      for (let axis = 0; axis < rank; axis++) {
        const v = points.map((p) => (p as readonly number[])[axis] as number);
        const slope = (v[1] as number) - (v[0] as number);
        if ((v[2] as number) - (v[1] as number) !== slope || (v[3] as number) - (v[2] as number) !== slope || (v[4] as number) - (v[0] as number) !== slope * probe) return undefined;
        const offset = (v[0] as number) - slope * probe;
        const { a, b } = current[axis] as { a: number; b: number };
        next.push({ a: slope * a, b: slope * b + offset });
      }
      current = next;
    }
    out.push(current);
  }
  return out;
}

function withAffine(row: StackRow, affine: Affine | undefined, rank: SpatialRank): StackRow {
  if (!affine || row.item.kind === 'reshape' || row.item.kind === 'unknown') return row;
  const names = AXIS_NAMES[rank];
  return { ...row, output: { ...row.output, spatial: names.map((name, axis) => writeFloorAffine((affine[axis] as { a: number }).a, (affine[axis] as { b: number }).b, 1, name)) } };
}

function withFit(row: StackRow, probes: readonly (readonly number[] | undefined)[] | undefined, rank: SpatialRank): StackRow {
  if (!probes || probes.some((p) => p === undefined) || row.item.kind === 'reshape' || row.item.kind === 'unknown') return row;
  const names = AXIS_NAMES[rank];
  const spatial = names.map((name, axis) => fitAxis(probes.map((p) => (p as readonly number[])[axis] as number), name) ?? UNKNOWN);
  return { ...row, output: { ...row.output, spatial } };
}

/** `f(H)` over `H = PROBE_BASE…` as `⌊(p·H + r) / q⌋`, written plainly (`2H + 2`, `⌊(H + 1) / 2⌋`); undefined when no such form fits. */
export function fitAxis(values: readonly number[], name: string): string | undefined {
  for (let q = 1; q <= 16; q++) {
    if (values.length < 2 * q + 1) break;
    const p = (values[q] as number) - (values[0] as number);
    let periodic = true;
    for (let i = 0; i + q < values.length; i++) if ((values[i + q] as number) - (values[i] as number) !== p) periodic = false;
    if (!periodic) continue;
    let r = -Infinity;
    values.forEach((v, i) => (r = Math.max(r, q * v - p * (PROBE_BASE + i))));
    if (!values.every((v, i) => Math.floor((p * (PROBE_BASE + i) + r) / q) === v)) continue;
    return writeFloorAffine(p, r, q, name);
  }
  return undefined;
}

function writeFloorAffine(p: number, r: number, q: number, name: string): string {
  const g = gcd(gcd(Math.abs(p), Math.abs(r)), q);
  if (g > 1 && r % g === 0) return writeFloorAffine(p / g, r / g, q / g, name);
  const affine = (a: number, b: number) => {
    const head = a === 0 ? '' : a === 1 ? name : `${a}${name}`;
    if (b === 0) return head || '0';
    if (!head) return String(b);
    return `${head} ${b < 0 ? '−' : '+'} ${Math.abs(b)}`;
  };
  if (q === 1) return affine(p, r);
  // ⌊(pH + r) / q⌋ with r = q·k + m, 0 ≤ m < q: ⌊(pH + m) / q⌋ + k.
  const k = Math.floor(r / q);
  const m = r - q * k;
  const inner = m === 0 && p === 1 ? `${name} / ${q}` : `(${affine(p, m)}) / ${q}`;
  const floor = `⌊${inner}⌋`;
  return k === 0 ? floor : `${floor} ${k < 0 ? '−' : '+'} ${Math.abs(k)}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
