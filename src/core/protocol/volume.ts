/**
 * The volume panel's messages (view type `layerLens.volume`): a 1-D layer drawn as strips or a 3-D
 * layer drawn as slices, and the call that the worker and the command run. Declared once with the
 * combinators of schema.ts; host and page both check what they receive with these guards. This
 * module names the ops itself (it imports no engine code), so pages that only draw stay small.
 */
import { isProblems, noticeShape, readyShape } from './common';
import { isPersistedTensor, isTensorValue, persistTensor, restoreTensor } from './layer';
import { count, isRecord, object, oneOf, optional, refine, string, tagged, type Guard, type Infer } from './schema';
import type { Tensor } from '../engine/tensor';

/** The 1-D and 3-D layers, PyTorch's functional names. */
export const VOLUME_LAYER_OPS = [
  'convTranspose1d',
  'convTranspose3d',
  'conv1d',
  'conv3d',
  'maxPool1d',
  'maxPool3d',
  'avgPool1d',
  'avgPool3d',
  'upsample1d',
  'upsample3d',
] as const;
export type VolumeLayerOp = (typeof VOLUME_LAYER_OPS)[number];

/** The layers that take a weight. */
export const WEIGHTED_VOLUME_OPS: readonly VolumeLayerOp[] = ['convTranspose1d', 'convTranspose3d', 'conv1d', 'conv3d'];

/** How many spatial axes an op's input has: 1 (a sequence `[N, C, L]`) or 3 (a volume `[N, C, D, H, W]`). */
export function spatialRank(op: VolumeLayerOp): 1 | 3 {
  return op.endsWith('1d') ? 1 : 3;
}

export function isVolumeLayerOp(value: unknown): value is VolumeLayerOp {
  return (VOLUME_LAYER_OPS as readonly unknown[]).includes(value);
}

/** A 1-D or 3-D layer call: the op, its tensors and its options (whose values are the engine's to judge). */
export interface VolumeLayerCall {
  readonly op: VolumeLayerOp;
  readonly input: Tensor;
  readonly weight?: Tensor;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Options as plain data: numbers, strings, booleans and short arrays of numbers. */
function isPlainOptions(value: unknown): value is Readonly<Record<string, unknown>> {
  if (!isRecord(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(
    (v) => v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || (Array.isArray(v) && v.length <= 3 && v.every((x) => typeof x === 'number')),
  );
}

/** A call of the right form: a weight exactly when the op takes one. */
export const isVolumeLayerCall: Guard<VolumeLayerCall> = (value): value is VolumeLayerCall =>
  isRecord(value) &&
  isVolumeLayerOp(value.op) &&
  isTensorValue(value.input) &&
  isPlainOptions(value.options) &&
  (WEIGHTED_VOLUME_OPS.includes(value.op) ? isTensorValue(value.weight) : value.weight === undefined);

/**
 * What the volume panel shows: `empty` (nothing yet), `invalid` (`problems` say why), or `ready`
 * with the `call` to draw and where it came from. The page computes the layer, its step trace and
 * its overlap analysis itself with the engine.
 */
export const isVolumeSnapshot = tagged('kind', {
  empty: {},
  invalid: { problems: isProblems },
  /** `step`: where the player opens (the step the page was on, when it comes back after being hidden); by default the end. */
  ready: { call: isVolumeLayerCall, source: optional(string), step: optional(count) },
});
export type VolumeSnapshot = Infer<typeof isVolumeSnapshot>;

/** The sections a command can bring into view (Show Overlap Map: `overlap`). */
export const VOLUME_SECTIONS = ['overlap', 'steps'] as const;
export type VolumeSection = (typeof VOLUME_SECTIONS)[number];

/** Which step player the page runs: a transposed convolution scatters one input value per step, the other layers gather one output cell. */
export const VOLUME_PLAYERS = ['scatter', 'gather'] as const;

/** Host → volume panel. */
export const isToVolumeMessage = tagged('type', {
  show: { snapshot: isVolumeSnapshot },
  notice: noticeShape,
  /** Scroll to and focus a section of what is shown; sent after the `show` it belongs to. */
  reveal: { section: oneOf(VOLUME_SECTIONS) },
});
export type ToVolumeMessage = Infer<typeof isToVolumeMessage>;

/** Volume panel → host. */
export const isFromVolumeMessage = tagged('type', {
  ready: readyShape,
  /** The player stopped on `step` of `stepCount` (sent when the layer is drawn and when the player comes to rest); the host opens there again when the page reloads. */
  stepShown: { player: oneOf(VOLUME_PLAYERS), step: count, stepCount: count },
});
export type FromVolumeMessage = Infer<typeof isFromVolumeMessage>;

/**
 * What the volume panel's page keeps with `setState`, for VS Code to hand back after a reload: the
 * call (tensors as JSON keeps them), where it came from and the step the player was on. Kept only
 * for a layer of at most MAX_PERSISTED_VALUES values (common.ts): every layer Inspect Layer opens
 * from code is far smaller. Its shape must not change (a panel saved by an earlier version comes back).
 */
export const isPersistedVolumeState = refine(
  object({
    op: oneOf(VOLUME_LAYER_OPS),
    input: isPersistedTensor,
    weight: optional(isPersistedTensor),
    options: isPlainOptions as Guard<Readonly<Record<string, unknown>>>,
    source: optional(string),
    step: count,
  }),
  (state) => WEIGHTED_VOLUME_OPS.includes(state.op) === (state.weight !== undefined),
);
export type PersistedVolumeState = Infer<typeof isPersistedVolumeState>;

export function persistVolumeState(call: VolumeLayerCall, source: string | undefined, step: number): PersistedVolumeState {
  return {
    op: call.op,
    input: persistTensor(call.input),
    ...(call.weight ? { weight: persistTensor(call.weight) } : {}),
    options: call.options,
    ...(source !== undefined ? { source } : {}),
    step,
  };
}

/**
 * What a volume panel restored after a reload shows: the layer, source and step its page kept, or
 * `undefined` when `state` (unchecked, as VS Code hands it back) does not hold one.
 */
export function restoredVolumeSnapshot(state: unknown): Extract<VolumeSnapshot, { readonly kind: 'ready' }> | undefined {
  if (!isPersistedVolumeState(state)) return undefined;
  const call = { op: state.op, input: restoreTensor(state.input), ...(state.weight ? { weight: restoreTensor(state.weight) } : {}), options: { ...state.options } };
  if (!isVolumeLayerCall(call)) return undefined;
  return { kind: 'ready', call, ...(state.source !== undefined ? { source: state.source } : {}), step: state.step };
}
