/**
 * The checkpoint editor's messages (the read-only custom editor `layerLens.checkpoint` on
 * `.safetensors`, `.onnx`, `.keras`, `.pt`, …): the tensor list with each tensor's statistics, asked
 * for lazily, and the checkerboard audit of every transposed and sub-pixel convolution. Declared once
 * with the combinators of schema.ts; the types are derived from the guards.
 */
import { isMatrixView, isProblems, noticeShape, readyShape } from './common';
import { array, boolean, count, finite, measure, number, object, oneOf, optional, string, tagged, whole, type Infer } from './schema';

/** One tensor as the list shows it, before its values are read. */
export const isCheckpointTensorRow = object({
  name: string,
  shape: array(count),
  /** The file's own element type (`F32`, `float32`, `FLOAT`). */
  dtype: string,
  /** How many values it holds. */
  size: count,
});
export type CheckpointTensorRow = Infer<typeof isCheckpointTensorRow>;

/** Bars of a tensor's histogram. */
export const HISTOGRAM_BINS = 24;

/** One tensor's values summarised (over its finite values; NaN and infinities are counted apart). */
export const isTensorStats = object({
  name: string,
  min: number,
  max: number,
  mean: number,
  std: number,
  /** How many values are NaN or infinite. */
  nonFinite: count,
  /** Counts of the finite values in equal bins from `min` to `max`. */
  histogram: array(count, HISTOGRAM_BINS),
  /** Set instead of the numbers when the tensor cannot be read (its reason in words). */
  problem: optional(string),
});
export type TensorStats = Infer<typeof isTensorStats>;

/**
 * The phase sums of one output channel and its share of periodic energy: a small heatmap `[s_h, s_w]`
 * for a 2-D layer, one row `[1, s]` for a 1-D layer (drawn as bars), `s_d` heatmaps (`lead: [s_d]`) for a 3-D one.
 */
export const isChannelPhases = object({ channel: count, periodicEnergy: measure, phases: isMatrixView });
export type ChannelPhases = Infer<typeof isChannelPhases>;

/** The most channels an audited layer shows as heatmaps (worst first); the rest are summarised. */
export const MAX_SHOWN_CHANNELS = 8;

/** One audited layer, as the audit section draws it. */
export const isAuditLayerView = object({
  name: string,
  op: oneOf(['convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'subPixelConvolution']),
  weightShape: array(count),
  /** One per spatial axis. */
  stride: optional(array(count, 3)),
  strideFrom: oneOf(['graph', 'source', 'given', 'none']),
  periodicEnergy: measure,
  verdict: oneOf(['even', 'uneven', 'unknown']),
  reason: string,
  worstChannel: optional(count),
  /** The worst channels' phase sums, worst first (at most {@link MAX_SHOWN_CHANNELS}). */
  channels: array(isChannelPhases, MAX_SHOWN_CHANNELS),
  /** How many output channels the layer has, and how many of them are uneven. */
  channelCount: count,
  unevenChannels: count,
  /** Strides the user may pick for a weight nothing describes: the kernel size's divisors, and 2. */
  strideChoices: array(count),
  /** Whether a click opens it in the transposed-convolution panel (2-D) or the volume panel (1-D, 3-D). */
  openable: boolean,
  /** Where the source pairing found it (`model.py:14, nn.ConvTranspose2d`). */
  source: optional(string),
  /** What the file says about the layer (an ONNX DepthToSpace in DCR mode). */
  note: optional(string),
});
export type AuditLayerView = Infer<typeof isAuditLayerView>;

/** The checkerboard audit of the whole file. */
export const isAuditView = object({
  layers: array(isAuditLayerView),
  /** The model source the state dict is paired with, and what paired. */
  pairing: optional(object({ source: string, model: string, paired: array(string), unpaired: array(string) })),
  /** What else the user should know (a DepthToSpace in DCR mode, a weight stored elsewhere). */
  notes: array(string),
});
export type AuditView = Infer<typeof isAuditView>;

/** What the editor shows: the file being read, why it cannot be, or its tensors and audit. */
export const isCheckpointSnapshot = tagged('kind', {
  loading: { fileName: string },
  invalid: { fileName: string, problems: isProblems },
  ready: {
    fileName: string,
    format: oneOf(['safetensors', 'pytorch', 'onnx', 'numpy', 'keras', 'live']),
    tensors: array(isCheckpointTensorRow),
    /** How long listing the file took, in milliseconds. */
    listedInMs: finite,
    audit: optional(isAuditView),
    auditProblem: optional(string),
  },
});
export type CheckpointSnapshot = Infer<typeof isCheckpointSnapshot>;

/** Host → checkpoint editor. */
export const isToCheckpointMessage = tagged('type', {
  show: { snapshot: isCheckpointSnapshot },
  /** Statistics the page asked for, as they are computed (a few at a time). */
  stats: { stats: array(isTensorStats) },
  /** Scroll the audit to this layer and mark it (the trained verdict's link in a paired source). */
  reveal: { name: string },
  notice: noticeShape,
});
export type ToCheckpointMessage = Infer<typeof isToCheckpointMessage>;

/** The most tensors the page asks statistics for at once (the rows it shows). */
export const MAX_STATS_REQUEST = 500;

/** Checkpoint editor → host. */
export const isFromCheckpointMessage = tagged('type', {
  ready: readyShape,
  /** Compute these tensors' statistics; a new request replaces (cancels) the one before. */
  stats: { names: array(string, MAX_STATS_REQUEST) },
  /** Open an audited layer with its trained kernel: a 2-D one in the transposed-convolution panel, a 1-D or 3-D one in the volume panel. */
  openLayer: { name: string },
  /** Ask for the model source to pair a state dict with ("Pair with model source…"). */
  pairSource: {},
  /** Audit an unpaired weight with this stride. */
  setStride: { name: string, stride: whole(1, 64) },
});
export type FromCheckpointMessage = Infer<typeof isFromCheckpointMessage>;
