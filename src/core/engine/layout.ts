/**
 * Reading an input's rank the way PyTorch does, so every kernel sees one `[N, C, H, W]` layout:
 * a batch `[N, C, H, W]`, an unbatched image `[C, H, W]`, or (Layer Lens's editor case) a plain
 * matrix `[H, W]`, read as one image with one channel. 1-D layers take `[N, C, L]` or `[C, L]` and
 * see them as images of height 1; 3-D layers take `[N, C, D, H, W]` or `[C, D, H, W]` and see them
 * as stacks of `D` images (every 2-D layout has depth 1). The output is given back in the caller's rank.
 */
import { LayerError } from './errors';
import { sizeOf, type Tensor } from './tensor';

/** Which family of layer reads the input: 2-D (images, matrices), 1-D (sequences) or 3-D (volumes). */
export type SpatialRank = 1 | 2 | 3;

/** An input shape seen as `[batch, channels, height, width]`, remembering the caller's rank. */
export interface ImageLayout {
  readonly spatialRank: SpatialRank;
  /** The rank the caller used: 2, 3 or 4 for 2-D layers; 2 or 3 for 1-D layers; 4 or 5 for 3-D layers. */
  readonly rank: number;
  readonly batch: number;
  readonly channels: number;
  /** 1 except for 3-D layers. */
  readonly depth: number;
  readonly height: number;
  readonly width: number;
}

/**
 * The most values one tensor the library builds may hold: 2^27 float64 values, 1 GiB. A layer
 * often holds two or three tensors of that order at once (input, output, index tables), and the
 * editor and its extension host run beside it, so a 24 GiB machine stays usable at the limit
 * (2^30, the old limit, took 8.6 GB and 18 s for one upsampling). The host's own
 * `layerLens.maxOutputElements` setting is capped below it.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 27;

/** {@link MAX_TENSOR_ELEMENTS} as a message says it. */
export const MAX_TENSOR_TEXT = `${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')} values (1 GiB of float64)`;

const acceptedForms: Record<SpatialRank, string> = {
  2: 'a batch [N, C, H, W], an image [C, H, W] or a matrix [H, W]',
  1: 'a batch [N, C, L] or a sequence [C, L]',
  3: 'a batch [N, C, D, H, W] or a volume [C, D, H, W]',
};

/** The ranks each family accepts: PyTorch's batched and unbatched forms, and a plain matrix for 2-D layers. */
const acceptedRanks: Record<SpatialRank, readonly number[]> = { 1: [2, 3], 2: [2, 3, 4], 3: [4, 5] };

/** Checks a shape's entries and reads it as a batch of images. */
export function readImageLayout(op: string, shape: readonly number[], spatialRank: SpatialRank): ImageLayout {
  checkShape('input', shape);
  const rank = shape.length;
  if (!acceptedRanks[spatialRank].includes(rank)) {
    throw new LayerError(
      'invalid-shape',
      `${op} takes ${acceptedForms[spatialRank]}, but the input has shape ${formatShape(shape)} (${rank}-D)`,
    );
  }
  // Read by index, without copies: this runs on every layer call, including tiny ones.
  const last = shape[rank - 1] as number;
  const beforeLast = shape[rank - 2] as number;
  let layout: ImageLayout;
  if (spatialRank === 2) {
    const channels = rank >= 3 ? (shape[rank - 3] as number) : 1;
    const batch = rank === 4 ? (shape[0] as number) : 1;
    layout = { spatialRank, rank, batch, channels, depth: 1, height: beforeLast, width: last };
  } else if (spatialRank === 1) {
    const batch = rank === 3 ? (shape[0] as number) : 1;
    layout = { spatialRank, rank, batch, channels: beforeLast, depth: 1, height: 1, width: last };
  } else {
    const batch = rank === 5 ? (shape[0] as number) : 1;
    layout = { spatialRank, rank, batch, channels: shape[rank - 4] as number, depth: shape[rank - 3] as number, height: beforeLast, width: last };
  }
  if (layout.channels === 0) throw emptyAxis(shape, 'channel');
  if (layout.depth === 0) throw emptyAxis(shape, 'depth');
  if (layout.height === 0) throw emptyAxis(shape, 'height');
  if (layout.width === 0) throw emptyAxis(shape, spatialRank === 1 ? 'length' : 'width');
  return layout;
}

function emptyAxis(shape: readonly number[], axis: string): LayerError {
  return new LayerError('invalid-shape', `the input has shape ${formatShape(shape)}: its ${axis} axis is empty (0); only the batch may be 0`);
}

/** The output shape in the caller's rank: `[N, C, H, W]`, `[C, H, W]`, `[H, W]`; `[N, C, L]`, `[C, L]`; `[N, C, D, H, W]`, `[C, D, H, W]`. */
export function shapeInCallerRank(layout: ImageLayout, channels: number, height: number, width: number, depth = 1): number[] {
  if (layout.spatialRank === 3) return layout.rank === 5 ? [layout.batch, channels, depth, height, width] : [channels, depth, height, width];
  if (layout.spatialRank === 1) return layout.rank === 3 ? [layout.batch, channels, width] : [channels, width];
  if (layout.rank === 4) return [layout.batch, channels, height, width];
  if (layout.rank === 3) return [channels, height, width];
  return [height, width];
}

/** Checks that every entry of a shape is a whole number ≥ 0. */
export function checkShape(name: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new LayerError('invalid-shape', `${name} has no shape`);
  if (shape.length > 8) throw new LayerError('invalid-shape', `${name} has ${shape.length} axes; layers take at most 5`);
  for (const size of shape) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new LayerError('invalid-shape', `${name} shape ${formatShape(shape)} must list whole sizes of 0 or more`);
    }
  }
}

/** Checks a tensor's shape and that its data fills it exactly. */
export function checkTensor(name: string, value: Tensor): void {
  if (typeof value !== 'object' || value === null) {
    throw new LayerError('invalid-shape', `${name} must be a tensor { shape, data }, not ${value === null ? 'null' : typeof value}`);
  }
  checkShape(name, value.shape);
  if (!(value.data instanceof Float64Array)) {
    throw new LayerError('invalid-shape', `${name} data must be a Float64Array`);
  }
  const expected = sizeOf(value.shape);
  if (value.data.length !== expected) {
    throw new LayerError(
      'invalid-shape',
      `${name} holds ${value.data.length} values but its shape ${formatShape(value.shape)} needs ${expected}`,
    );
  }
}

/**
 * Refuses an output too large to allocate, before any work is done. Checked on totals: the values
 * the output holds, and also what it would hold with its empty axes counted as 1, because the
 * per-row and per-column tables a layer builds are sized by the other axes even when the batch is
 * empty (an empty batch upsampled by 10^8 still asked for 10^8-entry tables).
 */
export function checkOutputSize(shape: readonly number[]): void {
  let size = 1;
  let extent = 1;
  for (const d of shape) {
    size *= d;
    extent *= Math.max(d, 1);
  }
  if (!(extent <= MAX_TENSOR_ELEMENTS)) {
    const what = size === extent ? `would hold ${size.toLocaleString('en-US')} values` : `has axes of ${extent.toLocaleString('en-US')} values in all (though no values)`;
    throw new LayerError('too-large', `the output ${formatShape(shape)} ${what}, more than the ${MAX_TENSOR_TEXT} Layer Lens computes at once`);
  }
}

/** Refuses a tensor the library would build of `shape` (a kernel, a map) beyond {@link MAX_TENSOR_ELEMENTS}; `what` names it. */
export function checkAllocation(what: string, shape: readonly number[]): void {
  let extent = 1;
  for (const d of shape) extent *= Math.max(d, 1);
  if (!(extent <= MAX_TENSOR_ELEMENTS)) {
    throw new LayerError('too-large', `${what} ${formatShape(shape)} would hold ${extent.toLocaleString('en-US')} values, more than the ${MAX_TENSOR_TEXT} Layer Lens computes at once`);
  }
}

/** `[1, 2, 3]`, as shapes are printed in messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
