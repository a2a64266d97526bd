/**
 * The transposed-convolution panel's messages (Layer Lens: Transposed Convolution, view type
 * `layerLens.panel`): the layer to draw, what the user does with it in the page, and what the page
 * keeps across restarts. Declared once with the combinators of schema.ts; the types are derived
 * from the guards.
 */
import { isCopyFormat, isLead, isMatrixView, isPersistedMatrix, isProblems, MAX_IMAGE_BYTES, noticeShape, readyShape, restoreMatrix } from './common';
import { bytes, count, finite, number, object, oneOf, optional, pair, refine, string, tagged, type Infer } from './schema';

/** The parameters of a 2-D transposed convolution, per axis `[h, w]`, in PyTorch's meaning. */
export const isTransposedConvolutionParams = object({
  stride: pair,
  padding: pair,
  outputPadding: pair,
  dilation: pair,
  /** Input and output channels split into this many groups, each group's outputs fed only by its inputs (PyTorch's default 1 when absent). */
  groups: optional(refine(count, (groups) => groups > 0)),
});
export type TransposedConvolutionParams = Infer<typeof isTransposedConvolutionParams>;

/**
 * What the panel needs to know of the host's links to the literals in the document: only whether
 * (and where, for messages) an operand can be written back, and whether the result can be inserted
 * as a new literal. The document's text and ranges stay on the host.
 */
export const isLayerLinks = object({
  /** Where the input literal is (`model.py:5`), when a cell edit can be written back into it. */
  input: optional(string),
  /** Where the kernel literal is, when a cell edit can be written back into it. */
  kernel: optional(string),
  /** Why "Insert result as literal" is not offered, in a sentence; absent when it is. */
  insertUnavailable: optional(string),
});
export type LayerLinks = Infer<typeof isLayerLinks>;

/**
 * A transposed convolution to show: its operands and parameters. The panel computes the rest
 * (output, step trace, overlap) with the same engine the extension uses, so that editing a
 * parameter in the panel answers at once.
 */
export const isTransposedConvolutionLayer = object({
  input: isMatrixView,
  kernel: isMatrixView,
  params: isTransposedConvolutionParams,
  /** Where the input came from, for the panel's caption (`model.py:12`), if from a document. */
  source: optional(string),
  /** The document the input came from: a panel is kept per document, also across restarts. */
  sourceUri: optional(string),
  /**
   * What the host can write back to. Absent when nothing came from a document, and after a restart
   * (the host keeps the link to the literal, which does not survive one).
   */
  links: optional(isLayerLinks),
});
export type TransposedConvolutionLayer = Infer<typeof isTransposedConvolutionLayer>;

/** The operands a cell edit can change, and every matrix the panel can copy. */
export const OPERAND_ROLES = ['input', 'kernel'] as const;
export type OperandRole = (typeof OPERAND_ROLES)[number];
export const MATRIX_ROLES = ['input', 'kernel', 'output'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

/** What "copy" puts on the clipboard: a matrix in a notation, or a runnable PyTorch script. */
export const isCopyTarget = tagged('kind', {
  matrix: { matrix: oneOf(MATRIX_ROLES), format: isCopyFormat },
  snippet: {},
});
export type CopyTarget = Infer<typeof isCopyTarget>;

/** The files the panel renders for saving: the step view as an image, the step animation as a GIF. */
export const IMAGE_FORMATS = ['png', 'svg', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The parts of the panel a command can bring into view. */
export const TRANSPOSED_SECTIONS = ['overlap'] as const;
export type TransposedSection = (typeof TRANSPOSED_SECTIONS)[number];

/**
 * What the panel shows. A tagged union so the panel can never draw data and an error at once.
 * - `empty`: nothing computed yet.
 * - `pending`: the command that opened the panel is still asking a question (`waitingFor` says
 *   which); the panel opens early so that its page has loaded by the time the answer comes.
 * - `invalid`: the last request could not be computed; `problems` say why, in the engine's words.
 * - `ready`: a layer to draw; `sourceProblem`: the source was edited and no longer reads as a
 *   matrix, and `layer` is the last good one.
 */
export const isTransposedSnapshot = tagged('kind', {
  empty: {},
  pending: { waitingFor: string },
  invalid: { problems: isProblems },
  ready: { layer: isTransposedConvolutionLayer, sourceProblem: optional(string) },
});
export type TransposedSnapshot = Infer<typeof isTransposedSnapshot>;

/** Host → transposed-convolution panel. */
export const isToTransposedMessage = tagged('type', {
  /** The full state to draw, sent in answer to `ready` and whenever the computation changes. */
  show: { snapshot: isTransposedSnapshot },
  /** A short outcome of something the user asked for (an edit written back, a copy, a save), shown in the toolbar. */
  notice: noticeShape,
  /** Scroll to and focus a section of what is shown (Show Overlap Map); sent after the `show` it belongs to. */
  reveal: { section: oneOf(TRANSPOSED_SECTIONS) },
  /** Pick an output cell of what is shown and list the products that made it (the lab's "why" for a clicked cell); sent after its `show`. */
  selectCell: { row: count, col: count },
});
export type ToTransposedMessage = Infer<typeof isToTransposedMessage>;

/** Transposed-convolution panel → host. */
export const isFromTransposedMessage = tagged('type', {
  ready: readyShape,
  /** The user changed a parameter in the panel (already checked by the engine there); the host keeps it for restores. */
  paramsChanged: { params: isTransposedConvolutionParams },
  /** The user changed one cell of the input or kernel in the panel; the host writes it back to the literal if it can. */
  editCell: {
    operand: oneOf(OPERAND_ROLES),
    /** For a stack of matrices, which one, by its index on the leading axes (`[n, c]`, `[c]`, `[c_in, c_out]`); absent for a plain matrix. */
    plane: isLead,
    row: count,
    col: count,
    /** NaN and the infinities are values a cell can hold; structured cloning keeps them. */
    value: number,
  },
  /** Copy a matrix or the PyTorch snippet; without a target the host asks which with a quick pick. */
  copy: { target: optional(isCopyTarget) },
  /** Insert the output as a literal on the line after the input's statement. */
  insertResult: {},
  /** A rendered file for the host to save (binary, not text: a GIF can be megabytes). */
  saveImage: { format: oneOf(IMAGE_FORMATS), bytes: bytes(MAX_IMAGE_BYTES) },
  /** Open the checkerboard lab on this layer's stride, kernel and input. */
  compareUpsampling: {},
});
export type FromTransposedMessage = Infer<typeof isFromTransposedMessage>;

/** Which plane of a multi-channel layer the panel shows: image `batch` of the batch, output channel `outChannel`. */
export const isTransposedChannelSelection = object({ batch: count, outChannel: count });
export type TransposedChannelSelection = Infer<typeof isTransposedChannelSelection>;

/**
 * What the panel's page stores with `setState`: VS Code keeps it (as JSON) while hidden and across
 * restarts. Its shape must not change (a panel saved by an earlier version comes back).
 */
export const isPersistedTransposedState = object({
  /** The layer shown, when small enough to keep (MAX_PERSISTED_VALUES). */
  layer: optional(
    object({
      input: isPersistedMatrix,
      kernel: isPersistedMatrix,
      params: isTransposedConvolutionParams,
      source: optional(string),
      sourceUri: optional(string),
    }),
  ),
  /** Steps played so far, of the step player. */
  step: count,
  /** Playback speed, steps per second. */
  speed: refine(finite, (speed) => speed > 0),
  /** The output cell whose products are listed, if any. */
  selectedCell: optional(pair),
  /** For a multi-channel layer: the image of the batch and the output channel the panel shows. */
  channels: optional(isTransposedChannelSelection),
});
export type PersistedTransposedState = Infer<typeof isPersistedTransposedState>;

/** The layer as the page keeps it: its matrices with NaN and the infinities written as strings. */
export type PersistedTransposedLayer = NonNullable<PersistedTransposedState['layer']>;

/**
 * The layer a kept state describes, as the host shows it again after a restart: only what the page
 * may tell the host (the links to the literals, which do not survive a restart, are not among it).
 */
export function restoreTransposedLayer(kept: PersistedTransposedLayer): TransposedConvolutionLayer {
  return { input: restoreMatrix(kept.input), kernel: restoreMatrix(kept.kernel), params: kept.params, source: kept.source, sourceUri: kept.sourceUri };
}

/** A cell edit, as the host's write-back reads it. */
export type EditCellMessage = Extract<FromTransposedMessage, { readonly type: 'editCell' }>;
