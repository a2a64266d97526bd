/**
 * The spatial path of a stack, as the compound overlap ({@link compoundOverlap}) follows it: one
 * step per layer that changes the map, from the stack's rows, with one value per spatial axis of
 * the stack's rank (a WaveGAN's ConvTranspose1d stack gives a 1-D path, a 3-D U-Net decoder's
 * ConvTranspose3d stack a 3-D one). Layers that keep the shape are no step; a `Reshape` or an
 * element Layer Lens does not know before the first spatial layer only moves the start; one after
 * it ends the path there, and says so, as does a layer of another rank.
 */
import type { AxisSizes, CompoundOverlapOptions, SpatialStep } from '../engine/compoundOverlap';
import type { LayerCall, LayerParam } from '../parse/index';
import type { StackAnalysis, StackRow } from './stackShapes';
import { rankFollowsInput, rankOf, type SpatialRank } from './layerSize';

export interface StackPath extends CompoundOverlapOptions {
  /** The row each step comes from. */
  readonly rows: readonly number[];
  /** Where the path ends before the stack does, and why. */
  readonly stopped?: { readonly index: number; readonly reason: string };
}

/** The input size the compound map uses when the stack's is symbolic: big enough for an interior, small enough to draw. */
export const SYMBOLIC_PATH_INPUT = 8;

/** Compound maps larger than this (cells of the last map) are not drawn: the table still is. */
export const MAX_COMPOUND_CELLS = 1_048_576;

/** Cells of the maps, from the table's numeric sizes where known (a symbolic stack runs on a small stand-in). */
export function compoundCells(path: StackPath, analysis: StackAnalysis): { total: number; last: number } {
  let total = 0;
  let last = 0;
  for (const index of path.rows) {
    const spatial = analysis.rows[index]?.output.spatial ?? [];
    last = spatial.length > 0 && spatial.every((d) => typeof d === 'number') ? (spatial as number[]).reduce((a, b) => a * b, 1) : 0;
    total += last;
  }
  return { total, last };
}

export function stackPath(analysis: StackAnalysis): StackPath {
  const steps: SpatialStep[] = [];
  const rows: number[] = [];
  const rank = analysis.rank;
  let inputSize: AxisSizes | undefined;
  let stopped: StackPath['stopped'];
  for (const row of analysis.rows) {
    const { item } = row;
    // An element the model's forward() does not run is not on the path.
    if (item.kind === 'preserving' || row.model === 'not-run' || row.model === 'not-reached') continue;
    if (item.kind === 'reshape' || item.kind === 'unknown' || item.kind === 'padding') {
      if (steps.length === 0) {
        inputSize = undefined; // starts again after it
        continue;
      }
      stopped = { index: row.index, reason: item.kind === 'reshape' ? `${item.label} reshapes the map` : item.kind === 'padding' ? `${item.label} pads the map (the overlap maps do not draw padding)` : `Layer Lens does not know what ${item.label} does to the image` };
      break;
    }
    const step = stepOf(row, rank);
    if (typeof step === 'string') {
      stopped = { index: row.index, reason: step };
      break;
    }
    if (steps.length === 0) inputSize = sizeOf(row);
    if (step) {
      steps.push(step);
      rows.push(row.index);
    }
  }
  return { inputSize: inputSize ?? new Array<number>(rank).fill(SYMBOLIC_PATH_INPUT), steps, rows, ...(stopped ? { stopped } : {}) };
}

function sizeOf(row: StackRow): AxisSizes | undefined {
  const spatial = row.input.spatial;
  return spatial.length > 0 && spatial.every((d) => typeof d === 'number') ? (spatial as number[]) : undefined;
}

/** The step of a layer row in a path of `rank`; `undefined` for a layer that does not change the map; a string saying why it cannot be followed. */
function stepOf(row: StackRow, rank: SpatialRank): SpatialStep | string | undefined {
  const call = row.call as LayerCall;
  const name = call.name;
  const own = rankOf(call.op);
  if (own !== rank && !rankFollowsInput(call.op)) return `${name} is ${own}-D in a ${rank}-D stack`;
  const every = (n: number): number[] => new Array<number>(rank).fill(n);
  if (call.op === 'convTranspose1d' || call.op === 'convTranspose2d' || call.op === 'convTranspose3d') {
    const axes = row.axes;
    if (!axes || axes.length !== rank) return `${name}'s kernel, stride or padding is not known`;
    return { kind: 'convTranspose', kernel: axes.map((a) => a.kernel), stride: axes.map((a) => a.stride), padding: axes.map((a) => a.padding), outputPadding: axes.map((a) => a.outputPadding), dilation: axes.map((a) => a.dilation) };
  }
  const kernel = perAxis(call.params.kernelSize, rank);
  const stride = perAxis(call.params.stride, rank);
  const dilation = perAxis(call.params.dilation, rank) ?? every(1);
  switch (call.op) {
    case 'conv1d':
    case 'conv2d':
    case 'conv3d': {
      if (!kernel) return `${name}'s kernel size is not known`;
      const padding = convPadding(call, kernel, dilation);
      if (!padding) return `${name}'s padding is not known`;
      return { kind: 'conv', kernel, stride: stride ?? every(1), padding, dilation };
    }
    case 'maxPool1d':
    case 'maxPool2d':
    case 'maxPool3d':
    case 'avgPool1d':
    case 'avgPool2d':
    case 'avgPool3d': {
      const k = kernel ?? (call.framework === 'pytorch' ? undefined : every(2));
      if (!k) return `${name}'s kernel size is not known`;
      const padding = call.framework === 'pytorch' ? (perAxis(call.params.padding, rank) ?? every(0)) : every(0);
      return { kind: call.op.startsWith('maxPool') ? 'maxPool' : 'avgPool', kernel: k, stride: stride ?? k, padding };
    }
    case 'upsample':
    case 'upsample1d':
    case 'upsample3d': {
      const scale = perAxis(call.params.scaleFactor, rank, true) ?? (call.framework === 'keras' && call.params.scaleFactor === undefined ? every(2) : undefined);
      if (!scale || !scale.every((s) => Number.isInteger(s) && s >= 1)) return `${name} does not upsample by a whole factor Layer Lens can read`;
      const linear = call.params.mode?.kind === 'known' && typeof call.params.mode.value === 'string' && /linear/.test(call.params.mode.value);
      return { kind: 'upsample', scale, mode: linear ? LINEAR_MODE[rank] : 'nearest' };
    }
    case 'pixelShuffle': {
      const r = call.params.upscaleFactor;
      if (r?.kind !== 'known' || typeof r.value !== 'number') return `${name}'s upscale factor is not known`;
      return { kind: 'upsample', scale: [r.value, r.value], mode: 'nearest' };
    }
  }
  return undefined;
}

/** PyTorch's name of the linear interpolation mode on each rank. */
const LINEAR_MODE = { 1: 'linear', 2: 'bilinear', 3: 'trilinear' } as const;

/**
 * A known size as one value per axis of `rank` (an int stands for every axis); undefined when it
 * has another count. `spread`: a list of equal values stands for every axis too, as the parser
 * writes `nn.Upsample(scale_factor=2)` (a layer of any rank) as `[2, 2]`; layerSize.ts reads it so.
 */
function perAxis(param: LayerParam<unknown> | undefined, rank: SpatialRank, spread = false): number[] | undefined {
  if (param?.kind !== 'known' || param.value === null) return undefined;
  const v = param.value;
  if (typeof v === 'number') return new Array<number>(rank).fill(v);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) return undefined;
  if (v.length === rank) return [...(v as number[])];
  return spread && v.length > 0 && v.every((x) => x === v[0]) ? new Array<number>(rank).fill(v[0] as number) : undefined;
}

/** PyTorch's padding, or the symmetric padding that stands for `'same'` (Keras, Flax, PyTorch's string). */
function convPadding(call: LayerCall, kernel: AxisSizes, dilation: AxisSizes): AxisSizes | undefined {
  const same = kernel.map((k, a) => Math.floor(((dilation[a] as number) * (k - 1)) / 2));
  const none = kernel.map(() => 0);
  if (call.framework === 'pytorch') {
    const p = call.params.padding;
    if (p === undefined) return none;
    if (p.kind === 'known' && p.value === 'same') return same;
    if (p.kind === 'known' && p.value === 'valid') return none;
    return perAxis(p, kernel.length as SpatialRank);
  }
  const mode = call.params.paddingMode?.kind === 'known' ? call.params.paddingMode.value : call.framework === 'flax' ? 'same' : 'valid';
  return mode === 'same' ? same : none;
}
