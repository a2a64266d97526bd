/**
 * The layer panel's messages (Convolution, Pool, Upsample, Pixel Shuffle; view type
 * `layerLens.gather`): one gathering layer, stepped through one output cell at a time, and what its
 * page keeps across restarts. Declared once with the combinators of schema.ts; the types are derived
 * from the guards, except the layer call itself, whose type is the engine's.
 */
import type { GatherLayerCall } from '../engine/gatherLayer';
import { GATHER_LAYER_OPS } from '../engine/gatherLayerOps';
import type { Tensor } from '../engine/tensor';
import { isCopyFormat, isPersistedNumber, isProblems, noticeShape, persistNumber, readyShape, restoreNumber } from './common';
import { array, count, float64Array, isRecord, object, oneOf, optional, refine, string, tagged, type Guard, type Infer } from './schema';

/** A tensor whose data holds exactly as many values as its shape says. */
export const isTensorValue: Guard<Tensor> = refine(object({ shape: array(count), data: float64Array }), (t) => t.data.length === t.shape.reduce((a, b) => a * b, 1));

/** Numbers, strings, booleans, and arrays or records of them, a few levels deep. */
function isPlainData(value: unknown, depth: number): boolean {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === undefined) return true;
  if (depth > 3) return false;
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every((v) => isPlainData(v, depth + 1));
  return false;
}

/** A record of plain data: a layer's options, whose values are the engine's to judge. */
const isOptionsRecord = refine(object({}), (value) => isPlainData(value, 0)) as Guard<Readonly<Record<string, unknown>>>;

/**
 * A layer call of the right form: a known layer, tensors, and an options record. The options'
 * values are the engine's to judge (it refuses what PyTorch refuses, in words), so they are only
 * required to be plain data here.
 */
export const isGatherLayerCall: Guard<GatherLayerCall> = (value): value is GatherLayerCall =>
  isRecord(value) &&
  oneOf(GATHER_LAYER_OPS)(value.op) &&
  isTensorValue(value.input) &&
  isOptionsRecord(value.options) &&
  (value.op === 'conv2d' ? isTensorValue(value.weight) : value.weight === undefined);

/**
 * What the layer panel shows. It draws one gathering layer (a step is one output cell, read from
 * its input window) and recomputes it with the engine in the page when a parameter is edited.
 * - `empty`: nothing yet; `invalid`: the layer could not be computed, `problems` say why;
 * - `working`: a layer too large to compute at once is being computed in the engine worker; `text`
 *   says which (the page shows it, busy, until the layer comes);
 * - `ready`: `call` to draw, `source` where its input came from (`model.py:12`).
 */
export const isLayerSnapshot = tagged('kind', {
  empty: {},
  invalid: { problems: isProblems },
  working: { text: string },
  ready: { call: isGatherLayerCall, source: optional(string) },
});
export type LayerSnapshot = Infer<typeof isLayerSnapshot>;

/** The matrices the layer panel can copy. */
export const LAYER_MATRIX_ROLES = ['input', 'weight', 'output'] as const;
export type LayerMatrixRole = (typeof LAYER_MATRIX_ROLES)[number];

/** Host → layer panel. */
export const isToLayerMessage = tagged('type', {
  show: { snapshot: isLayerSnapshot },
  notice: noticeShape,
});
export type ToLayerMessage = Infer<typeof isToLayerMessage>;

/** Layer panel → host. */
export const isFromLayerMessage = tagged('type', {
  ready: readyShape,
  /** The user edited a parameter; the page has already computed the new layer (the host keeps it for Copy and restores). */
  paramsChanged: { call: isGatherLayerCall },
  /** Copy the input, weight or output; the host asks for the notation with a quick pick unless `format` is given. */
  copy: { matrix: oneOf(LAYER_MATRIX_ROLES), format: optional(isCopyFormat) },
});
export type FromLayerMessage = Infer<typeof isFromLayerMessage>;

/** A tensor as JSON keeps it (no NaN or infinities in JSON). */
export const isPersistedTensor = refine(object({ shape: array(count), values: array(isPersistedNumber) }), (t) => t.values.length === t.shape.reduce((a, b) => a * b, 1));
export type PersistedTensor = Infer<typeof isPersistedTensor>;

/**
 * What the layer panel's page stores with `setState`, for VS Code to hand back after a reload. Its
 * shape must not change (a panel saved by an earlier version comes back).
 */
export const isPersistedLayerState = refine(
  object({
    op: oneOf(GATHER_LAYER_OPS),
    input: isPersistedTensor,
    weight: optional(isPersistedTensor),
    options: isOptionsRecord,
    source: optional(string),
    step: count,
  }),
  (state) => (state.op === 'conv2d') === (state.weight !== undefined),
);
export type PersistedLayerState = Infer<typeof isPersistedLayerState>;

export function persistTensor(tensor: Tensor): PersistedTensor {
  return { shape: [...tensor.shape], values: Array.from(tensor.data, persistNumber) };
}

export function restoreTensor(tensor: PersistedTensor): Tensor {
  return { shape: [...tensor.shape], data: Float64Array.from(tensor.values, restoreNumber) };
}

export function persistLayerState(call: GatherLayerCall, source: string | undefined, step: number): PersistedLayerState {
  return {
    op: call.op,
    input: persistTensor(call.input),
    ...(call.op === 'conv2d' ? { weight: persistTensor(call.weight) } : {}),
    options: call.options as Readonly<Record<string, unknown>>,
    ...(source !== undefined ? { source } : {}),
    step,
  };
}

/** The call a persisted state describes; `undefined` when it does not form one. */
export function restoreLayerCall(state: PersistedLayerState): GatherLayerCall | undefined {
  const call = { op: state.op, input: restoreTensor(state.input), ...(state.weight ? { weight: restoreTensor(state.weight) } : {}), options: { ...state.options } };
  return isGatherLayerCall(call) ? call : undefined;
}


/**
 * What a layer panel restored after a reload shows: the layer and source its page kept, or
 * `undefined` when `state` (unchecked, as VS Code hands it back) does not hold one.
 */
export function restoredLayerSnapshot(state: unknown): Extract<LayerSnapshot, { readonly kind: 'ready' }> | undefined {
  if (!isPersistedLayerState(state)) return undefined;
  const call = restoreLayerCall(state);
  return call ? { kind: 'ready', call, ...(state.source !== undefined ? { source: state.source } : {}) } : undefined;
}
