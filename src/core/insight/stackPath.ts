/**
 * The spatial path of a stack, as the compound overlap ({@link compoundOverlap}) follows it: one
 * step per layer that changes the image plane, from the stack's rows. Layers that keep the shape
 * are no step; a `Reshape` or an element Layer Lens does not know before the first spatial layer
 * only moves the start; one after it ends the path there, and says so.
 */
import type { CompoundOverlapOptions, SpatialStep } from '../engine/compoundOverlap';
import type { Pair } from '../engine/pairs';
import type { LayerCall, LayerParam } from '../parse/index';
import type { StackAnalysis, StackRow } from './stackShapes';
import { rankFollowsInput, rankOf } from './layerSize';

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
    const [h, w] = analysis.rows[index]?.output.spatial ?? [];
    last = typeof h === 'number' && typeof w === 'number' ? h * w : 0;
    total += last;
  }
  return { total, last };
}

export function stackPath(analysis: StackAnalysis): StackPath {
  const steps: SpatialStep[] = [];
  const rows: number[] = [];
  let inputSize: Pair | undefined;
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
    const step = stepOf(row);
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
  return { inputSize: inputSize ?? [SYMBOLIC_PATH_INPUT, SYMBOLIC_PATH_INPUT], steps, rows, ...(stopped ? { stopped } : {}) };
}

function sizeOf(row: StackRow): Pair | undefined {
  const [h, w] = row.input.spatial;
  return typeof h === 'number' && typeof w === 'number' ? [h, w] : undefined;
}

/** The step of a layer row; `undefined` for a layer that does not change the plane; a string saying why it cannot be followed. */
function stepOf(row: StackRow): SpatialStep | string | undefined {
  const call = row.call as LayerCall;
  const name = call.name;
  const rank = rankOf(call.op);
  if (rank !== 2 && !rankFollowsInput(call.op)) return `${name} is ${rank}-D`;
  if (call.op === 'convTranspose2d') {
    const axes = row.axes;
    if (!axes) return `${name}'s kernel, stride or padding is not known`;
    const [a, b] = axes as [(typeof axes)[0], (typeof axes)[0]];
    return { kind: 'convTranspose', kernel: [a.kernel, b.kernel], stride: [a.stride, b.stride], padding: [a.padding, b.padding], outputPadding: [a.outputPadding, b.outputPadding], dilation: [a.dilation, b.dilation] };
  }
  const kernel = pair(call.params.kernelSize);
  const stride = pair(call.params.stride);
  const dilation = pair(call.params.dilation) ?? [1, 1];
  switch (call.op) {
    case 'conv2d': {
      if (!kernel) return `${name}'s kernel size is not known`;
      const padding = convPadding(call, kernel, dilation);
      if (!padding) return `${name}'s padding is not known`;
      return { kind: 'conv', kernel, stride: stride ?? [1, 1], padding, dilation };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const k = kernel ?? (call.framework === 'pytorch' ? undefined : ([2, 2] as Pair));
      if (!k) return `${name}'s kernel size is not known`;
      const padding = call.framework === 'pytorch' ? (pair(call.params.padding) ?? [0, 0]) : ([0, 0] as Pair);
      return { kind: call.op === 'maxPool2d' ? 'maxPool' : 'avgPool', kernel: k, stride: stride ?? k, padding };
    }
    case 'upsample': {
      const scale = pair(call.params.scaleFactor) ?? (call.framework === 'keras' && call.params.scaleFactor === undefined ? ([2, 2] as Pair) : undefined);
      if (!scale || !scale.every((s) => Number.isInteger(s) && s >= 1)) return `${name} does not upsample by a whole factor Layer Lens can read`;
      const mode = call.params.mode?.kind === 'known' && typeof call.params.mode.value === 'string' && /linear/.test(call.params.mode.value) ? 'bilinear' : 'nearest';
      return { kind: 'upsample', scale, mode };
    }
    case 'pixelShuffle': {
      const r = call.params.upscaleFactor;
      if (r?.kind !== 'known' || typeof r.value !== 'number') return `${name}'s upscale factor is not known`;
      return { kind: 'upsample', scale: [r.value, r.value], mode: 'nearest' };
    }
  }
  return undefined;
}

function pair(param: LayerParam<unknown> | undefined): Pair | undefined {
  if (param?.kind !== 'known' || param.value === null) return undefined;
  const v = param.value;
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0] as number, v[1] as number];
  return undefined;
}

/** PyTorch's padding, or the symmetric padding that stands for `'same'` (Keras, Flax, PyTorch's string). */
function convPadding(call: LayerCall, kernel: Pair, dilation: Pair): Pair | undefined {
  const same: Pair = [Math.floor((dilation[0] * (kernel[0] - 1)) / 2), Math.floor((dilation[1] * (kernel[1] - 1)) / 2)];
  if (call.framework === 'pytorch') {
    const p = call.params.padding;
    if (p === undefined) return [0, 0];
    if (p.kind === 'known' && p.value === 'same') return same;
    if (p.kind === 'known' && p.value === 'valid') return [0, 0];
    return pair(p);
  }
  const mode = call.params.paddingMode?.kind === 'known' ? call.params.paddingMode.value : call.framework === 'flax' ? 'same' : 'valid';
  return mode === 'same' ? same : [0, 0];
}
