/**
 * The only language the extension host and the Layer Lens panel speak. Every message is declared
 * here once; both sides validate what they receive with the guards below before acting on it,
 * because a webview is a separate, less trusted context.
 */

import type { GatherLayerCall } from '../engine/gatherLayer';
import { GATHER_LAYER_OPS } from '../engine/gatherLayerOps';
import type { StackKind } from '../parse/layerStacks';
import type { Tensor } from '../engine/tensor';

// #region Data the panel draws

/**
 * A matrix, or a stack of matrices, to draw as labelled grids. `data` is row-major over
 * `[...lead, rows, cols]`. `lead` holds the axes before the last two: absent for a plain matrix,
 * `[C]` for an image `[C, H, W]`, `[N, C]` for a batch `[N, C, H, W]`, and `[C_in, C_out/groups]`
 * for a weight as PyTorch lays it out for `ConvTranspose2d`.
 */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  readonly lead?: readonly number[];
}

/** The most leading axes a matrix view may have: `[N, C]` or `[C_in, C_out/groups]`. */
export const MAX_LEAD_AXES = 2;

/** The full shape of a matrix view, `[...lead, rows, cols]`. */
export function viewShape(matrix: MatrixView): number[] {
  return [...(matrix.lead ?? []), matrix.rows, matrix.cols];
}

/** The parameters of a 2-D transposed convolution, per axis `[h, w]`, in PyTorch's meaning. */
export interface TransposedConvolutionParams {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly outputPadding: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Input and output channels split into this many groups, each group's outputs fed only by its inputs (PyTorch's default 1 when absent). */
  readonly groups?: number;
}

/**
 * A transposed convolution to show: its operands and parameters. The panel computes the rest
 * (output, step trace, overlap) with the same engine the extension uses, so that editing a
 * parameter in the panel answers at once.
 */
export interface TransposedConvolutionLayer {
  readonly input: MatrixView;
  readonly kernel: MatrixView;
  readonly params: TransposedConvolutionParams;
  /** Where the input came from, for the panel's caption (`model.py:12`), if from a document. */
  readonly source?: string;
  /** The document the input came from: a panel is kept per document, also across restarts. */
  readonly sourceUri?: string;
  /**
   * What the host can write back to. Absent when nothing came from a document, and after a restart
   * (the host keeps the link to the literal, which does not survive one).
   */
  readonly links?: LayerLinks;
}

/** The operands a cell edit can change, and every matrix the panel can copy. */
export type OperandRole = 'input' | 'kernel';
export type MatrixRole = OperandRole | 'output';
export const MATRIX_ROLES: readonly MatrixRole[] = ['input', 'kernel', 'output'];

/**
 * What the panel needs to know of the host's links to the literals in the document: only whether
 * (and where, for messages) an operand can be written back, and whether the result can be inserted
 * as a new literal. The document's text and ranges stay on the host.
 */
export interface LayerLinks {
  /** Where the input literal is (`model.py:5`), when a cell edit can be written back into it. */
  readonly input?: string;
  /** Where the kernel literal is, when a cell edit can be written back into it. */
  readonly kernel?: string;
  /** Why "Insert result as literal" is not offered, in a sentence; absent when it is. */
  readonly insertUnavailable?: string;
}

/** The notations a matrix can be copied as. */
export const COPY_FORMATS = ['numpy', 'torch', 'json', 'matlab', 'latex', 'markdown'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

/** What "copy" puts on the clipboard: a matrix in a notation, or a runnable PyTorch script. */
export type CopyTarget = { readonly kind: 'matrix'; readonly matrix: MatrixRole; readonly format: CopyFormat } | { readonly kind: 'snippet' };

/** The files the panel renders for saving: the step view as an image, the step animation as a GIF. */
export const IMAGE_FORMATS = ['png', 'svg', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The largest file the panel may hand the host to save. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/**
 * What the panel shows. A tagged union so the panel can never draw data and an error at once.
 * - `empty`: nothing computed yet.
 * - `pending`: the command that opened the panel is still asking a question (`waitingFor` says
 *   which); the panel opens early so that its page has loaded by the time the answer comes.
 * - `invalid`: the last request could not be computed; `problems` say why, in the engine's words.
 * - `ready`: a layer to draw.
 */
export type PanelSnapshot =
  | { readonly kind: 'empty' }
  | { readonly kind: 'pending'; readonly waitingFor: string }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] }
  /** `sourceProblem`: the source was edited and no longer reads as a matrix; `layer` is the last good one. */
  | { readonly kind: 'ready'; readonly layer: TransposedConvolutionLayer; readonly sourceProblem?: string };

// #endregion

// #region To the webview

/** The full state to draw, sent in answer to `ready` and whenever the computation changes. */
export interface ShowMessage {
  readonly type: 'show';
  readonly snapshot: PanelSnapshot;
}

/** A short outcome of something the user asked for (an edit written back, a copy, a save), shown in the toolbar. */
export interface NoticeMessage {
  readonly type: 'notice';
  readonly tone: 'info' | 'error';
  readonly text: string;
}

/** The parts of the panel a command can bring into view. */
export type PanelSection = 'overlap';

/** Scroll to and focus a section of what is shown (Show Overlap Map); sent after the `show` it belongs to. */
export interface RevealMessage {
  readonly type: 'reveal';
  readonly section: PanelSection;
}

/** Pick an output cell of what is shown and list the products that made it (the lab's "why" for a clicked cell); sent after its `show`. */
export interface SelectCellMessage {
  readonly type: 'selectCell';
  readonly row: number;
  readonly col: number;
}

export type ToWebviewMessage = ShowMessage | NoticeMessage | RevealMessage | SelectCellMessage;

// #endregion

// #region From the webview

/** The panel's script has loaded and listens: the host answers with a `show`. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** The user changed a parameter in the panel (already checked by the engine there); the host keeps it for restores. */
export interface ParamsChangedMessage {
  readonly type: 'paramsChanged';
  readonly params: TransposedConvolutionParams;
}

/** The user changed one cell of the input or kernel in the panel; the host writes it back to the literal if it can. */
export interface EditCellMessage {
  readonly type: 'editCell';
  readonly operand: OperandRole;
  /** For a stack of matrices, which one, by its index on the leading axes (`[n, c]`, `[c]`, `[c_in, c_out]`); absent for a plain matrix. */
  readonly plane?: readonly number[];
  readonly row: number;
  readonly col: number;
  readonly value: number;
}

/** Copy a matrix or the PyTorch snippet; without a target the host asks which with a quick pick. */
export interface CopyMessage {
  readonly type: 'copy';
  readonly target?: CopyTarget;
}

/** Insert the output as a literal on the line after the input's statement. */
export interface InsertResultMessage {
  readonly type: 'insertResult';
}

/** A rendered file for the host to save (binary, not text: a GIF can be megabytes). */
export interface SaveImageMessage {
  readonly type: 'saveImage';
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
}

/** Open the checkerboard lab on this layer's stride, kernel and input. */
export interface CompareUpsamplingMessage {
  readonly type: 'compareUpsampling';
}

export type FromWebviewMessage = ReadyMessage | ParamsChangedMessage | EditCellMessage | CopyMessage | InsertResultMessage | SaveImageMessage | CompareUpsamplingMessage;

// #endregion

// #region The checkerboard lab (its own panel, layerLens.lab)

/** What the lab compares on: generated inputs, the user's matrix, or an image file decoded to grey. */
export const LAB_INPUT_CHOICES = ['constant', 'gradient', 'pattern', 'matrix', 'image'] as const;
export type LabInputChoice = (typeof LAB_INPUT_CHOICES)[number];
export const LAB_MODES = ['nearest', 'bilinear'] as const;
export type LabMode = (typeof LAB_MODES)[number];
export const LAB_METHOD_IDS = ['transposed', 'resize', 'subPixel'] as const;
export type LabMethodId = (typeof LAB_METHOD_IDS)[number];
export const LAB_VERDICTS = ['flat', 'checkerboard', 'gaps', 'no-interior'] as const;
export type LabVerdictKind = (typeof LAB_VERDICTS)[number];
export const LAB_EXPORT_FORMATS = ['csv', 'json'] as const;
export type LabExportFormat = (typeof LAB_EXPORT_FORMATS)[number];

/** The limits the panel's fields and the command's arguments share. */
export const LAB_LIMITS = {
  factor: { min: 2, max: 4 },
  kernelSize: { min: 1, max: 9 },
  size: { min: 4, max: 256 },
  stages: { min: 1, max: 3 },
  /** The largest input side an image or matrix is used at (an image is scaled down to it). */
  inputSide: 256,
  /** The largest output side of a stack: r^stages · input side. */
  outputSide: 2048,
} as const;

/** What the lab compares when nothing else is said: factor 2, kernel 3 (the classic uneven case), a 32×32 constant input, nearest, one stage. */
export const LAB_DEFAULT_SETTINGS = { factor: 2, kernelSize: 3, input: 'constant', size: 32, mode: 'nearest', stages: 1, seed: 1 } as const;

/** What to compare. The generated inputs are `size × size`; `matrix` is the user's matrix or the decoded image. */
export interface LabSettings {
  /** `r`: stride, scale factor and pixel-shuffle factor. */
  readonly factor: number;
  /** The kernel size when `kernel` is absent (a kernel of ones). */
  readonly kernelSize: number;
  /** The user's `[kH, kW]` kernel, if any. */
  readonly kernel?: MatrixView;
  readonly input: LabInputChoice;
  readonly size: number;
  readonly mode: LabMode;
  readonly stages: number;
  /** The seed of the `pattern` input. */
  readonly seed: number;
  /** The input matrix for `matrix` and `image`. */
  readonly matrix?: MatrixView;
  /** Where `matrix` came from (`model.py:12`, `photo.png`), for captions. */
  readonly matrixLabel?: string;
}

/** A window of output cells, `[start, end)` per axis. */
export interface LabWindow {
  readonly rows: readonly [number, number];
  readonly cols: readonly [number, number];
}

/** One method written as one transposed convolution (dilation 1), for the step player. */
export interface LabTransposedForm extends Omit<TransposedConvolutionParams, 'dilation'> {
  readonly kernel: MatrixView;
}

/** What the lab shows of one method. */
export interface LabMethodView {
  readonly method: LabMethodId;
  /** The output on the input, `[r^s·H, r^s·W]`. */
  readonly output: MatrixView;
  /** Products landing in each output cell. */
  readonly counts: MatrixView;
  /** The output for an all-ones input. */
  readonly response: MatrixView;
  /** The interior cropped to whole periods: where the measures and the spectrum are taken. */
  readonly window?: LabWindow;
  /** The output's power spectrum over the window, DC at `[0, 0]`. */
  readonly spectrum?: MatrixView;
  /** `[P, P]`: the counts per phase over the window. */
  readonly countTile?: MatrixView;
  readonly countRatio?: number;
  /** The output's share of energy at the stride-periodic frequencies. */
  readonly outputShare?: number;
  /** The same for a constant input: the number to compare. */
  readonly constantShare?: number;
  readonly verdict: { readonly kind: LabVerdictKind; readonly reason: string };
  /** The method as one transposed convolution, when it has that form (not bilinear resizing, not a stack). */
  readonly transposedForm?: LabTransposedForm;
  /** Why the step player cannot show it, when `transposedForm` is absent. */
  readonly whyUnavailable?: string;
}

/** The engine's answer: the three methods on one input. */
export interface LabComputed {
  readonly input: MatrixView;
  readonly kernel: MatrixView;
  readonly factor: number;
  readonly stages: number;
  /** `factor^stages`: the period of the stride frequencies. */
  readonly period: number;
  readonly mode: LabMode;
  readonly methods: readonly [LabMethodView, LabMethodView, LabMethodView];
  /** Time the engine took, in milliseconds. */
  readonly milliseconds: number;
}

/**
 * What the lab panel shows.
 * - `empty`: nothing asked yet; `computing`: the engine is working on `settings`;
 * - `invalid`: `settings` could not be computed, `problems` say why; `ready`: the comparison.
 */
export type LabSnapshot =
  | { readonly kind: 'empty' }
  | { readonly kind: 'computing'; readonly settings: LabSettings }
  | { readonly kind: 'invalid'; readonly settings: LabSettings; readonly problems: readonly string[] }
  | { readonly kind: 'ready'; readonly settings: LabSettings; readonly result: LabComputed };

/** The lab's full state, sent on `ready` and whenever it changes. */
export interface LabShowMessage {
  readonly type: 'labShow';
  readonly snapshot: LabSnapshot;
}

/** An image file the user picked, for the page to decode (the browser's decoders) and turn to grey. */
export interface LabImageMessage {
  readonly type: 'labImage';
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type ToLabMessage = LabShowMessage | LabImageMessage | NoticeMessage;

/** Compare with these settings (the page's fields changed, or a decoded image is the input). */
export interface LabRunMessage {
  readonly type: 'labRun';
  readonly settings: LabSettings;
}

/** Ask the host for an image file from the workspace (it opens a file dialog and answers with `labImage`). */
export interface LabPickImageMessage {
  readonly type: 'labPickImage';
}

/** Open the step player on one method's layer, with the products behind `cell` of its output listed when one was clicked. */
export interface LabWhyMessage {
  readonly type: 'labWhy';
  readonly method: LabMethodId;
  readonly cell?: readonly [number, number];
}

/** The comparison rendered as a PNG, for the host to save. */
export interface LabSaveImageMessage {
  readonly type: 'labSaveImage';
  readonly bytes: Uint8Array;
}

/** Save the numbers as CSV or JSON (the host writes them). */
export interface LabExportMessage {
  readonly type: 'labExport';
  readonly format: LabExportFormat;
}

export type FromLabMessage = ReadyMessage | LabRunMessage | LabPickImageMessage | LabWhyMessage | LabSaveImageMessage | LabExportMessage;

// #endregion

// #region The layer panel (Convolution, Pool, Upsample, Pixel Shuffle: layerLens.gather)

/**
 * What the layer panel shows. It draws one gathering layer (a step is one output cell, read from
 * its input window) and recomputes it with the engine in the page when a parameter is edited.
 * - `empty`: nothing yet; `invalid`: the layer could not be computed, `problems` say why;
 * - `ready`: `call` to draw, `source` where its input came from (`model.py:12`).
 */
export type GatherSnapshot =
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] }
  | { readonly kind: 'ready'; readonly call: GatherLayerCall; readonly source?: string };

export interface GatherShowMessage {
  readonly type: 'gatherShow';
  readonly snapshot: GatherSnapshot;
}

export type ToGatherMessage = GatherShowMessage | NoticeMessage;

/** The page's script listens: the host answers with `gatherShow`. */
export interface GatherReadyMessage {
  readonly type: 'gatherReady';
}

/** The user edited a parameter; the page has already computed the new layer (the host keeps it for Copy and restores). */
export interface GatherParamsMessage {
  readonly type: 'gatherParams';
  readonly call: GatherLayerCall;
}

/** Copy the input, weight or output; the host asks for the notation with a quick pick unless `format` is given. */
export interface GatherCopyMessage {
  readonly type: 'gatherCopy';
  readonly matrix: GatherMatrixRole;
  readonly format?: CopyFormat;
}

export type GatherMatrixRole = 'input' | 'weight' | 'output';
export const GATHER_MATRIX_ROLES: readonly GatherMatrixRole[] = ['input', 'weight', 'output'];

export type FromGatherMessage = GatherReadyMessage | GatherParamsMessage | GatherCopyMessage;

/** A tensor as JSON keeps it (no NaN or infinities in JSON). */
export interface PersistedTensor {
  readonly shape: readonly number[];
  readonly values: readonly PersistedNumber[];
}

/** What the layer panel's page stores with `setState`, for VS Code to hand back after a reload. */
export interface PersistedGatherState {
  readonly op: GatherLayerCall['op'];
  readonly input: PersistedTensor;
  readonly weight?: PersistedTensor;
  readonly options: Readonly<Record<string, unknown>>;
  readonly source?: string;
  readonly step: number;
}

// #endregion

// #region Kept across restarts

/** A number in JSON, which has no NaN or infinities. */
export type PersistedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface PersistedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly lead?: readonly number[];
  readonly values: readonly PersistedNumber[];
}

/** What the panel stores with `setState`: VS Code keeps it (as JSON) while hidden and across restarts. */
export interface PersistedPanelState {
  /** The layer shown, when small enough to keep ({@link MAX_PERSISTED_VALUES}). */
  readonly layer?: {
    readonly input: PersistedMatrix;
    readonly kernel: PersistedMatrix;
    readonly params: TransposedConvolutionParams;
    readonly source?: string;
    readonly sourceUri?: string;
  };
  /** Steps played so far, of the step player. */
  readonly step: number;
  /** Playback speed, steps per second. */
  readonly speed: number;
  /** The output cell whose products are listed, if any. */
  readonly selectedCell?: readonly [number, number];
  /** For a multi-channel layer: the image of the batch and the output channel the panel shows. */
  readonly channels?: PanelChannelSelection;
}

/** Which plane of a multi-channel layer the panel shows: image `batch` of the batch, output channel `outChannel`. */
export interface PanelChannelSelection {
  readonly batch: number;
  readonly outChannel: number;
}

/** Operands larger than this are not kept across restarts: the panel then asks to run the command again. */
export const MAX_PERSISTED_VALUES = 65_536;

export function persistMatrix(matrix: MatrixView): PersistedMatrix {
  const values: PersistedNumber[] = new Array<PersistedNumber>(matrix.data.length);
  for (let i = 0; i < matrix.data.length; i++) {
    const v = matrix.data[i] as number;
    values[i] = Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  }
  return { rows: matrix.rows, cols: matrix.cols, ...(matrix.lead ? { lead: [...matrix.lead] } : {}), values };
}

export function restoreMatrix(matrix: PersistedMatrix): MatrixView {
  const data = new Float64Array(matrix.values.length);
  for (let i = 0; i < data.length; i++) {
    const v = matrix.values[i] as PersistedNumber;
    data[i] = typeof v === 'number' ? v : v === 'NaN' ? Number.NaN : v === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  return { rows: matrix.rows, cols: matrix.cols, data, ...(matrix.lead ? { lead: [...matrix.lead] } : {}) };
}

// #endregion

// #region Guards

type Unknown<T> = { readonly [K in keyof T]?: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPair(value: unknown): value is readonly [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every(isCount);
}

/** `undefined` (a plain matrix) or up to {@link MAX_LEAD_AXES} sizes. */
function isLead(value: unknown): value is readonly number[] | undefined {
  return value === undefined || (Array.isArray(value) && value.length <= MAX_LEAD_AXES && value.every(isCount));
}

/** How many values `[...lead, rows, cols]` holds. */
const valueCount = (lead: readonly number[] | undefined, rows: number, cols: number): number => (lead ?? []).reduce((a, b) => a * b, rows * cols);

export function isMatrixView(value: unknown): value is MatrixView {
  if (!isRecord(value)) return false;
  const { rows, cols, data, lead } = value as Unknown<MatrixView>;
  return isCount(rows) && isCount(cols) && isLead(lead) && data instanceof Float64Array && data.length === valueCount(lead, rows, cols);
}

export function isTransposedConvolutionParams(value: unknown): value is TransposedConvolutionParams {
  if (!isRecord(value)) return false;
  const { stride, padding, outputPadding, dilation, groups } = value as Unknown<TransposedConvolutionParams>;
  return isPair(stride) && isPair(padding) && isPair(outputPadding) && isPair(dilation) && (groups === undefined || (isCount(groups) && groups > 0));
}

export function isPanelChannelSelection(value: unknown): value is PanelChannelSelection {
  return isRecord(value) && isCount(value.batch) && isCount(value.outChannel);
}

const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

export function isLayerLinks(value: unknown): value is LayerLinks {
  if (!isRecord(value)) return false;
  const { input, kernel, insertUnavailable } = value as Unknown<LayerLinks>;
  return isOptionalString(input) && isOptionalString(kernel) && isOptionalString(insertUnavailable);
}

export function isTransposedConvolutionLayer(value: unknown): value is TransposedConvolutionLayer {
  if (!isRecord(value)) return false;
  const layer = value as Unknown<TransposedConvolutionLayer>;
  return (
    isMatrixView(layer.input) &&
    isMatrixView(layer.kernel) &&
    isTransposedConvolutionParams(layer.params) &&
    isOptionalString(layer.source) &&
    isOptionalString(layer.sourceUri) &&
    (layer.links === undefined || isLayerLinks(layer.links))
  );
}

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);

export function isCopyTarget(value: unknown): value is CopyTarget {
  if (!isRecord(value)) return false;
  if (value.kind === 'snippet') return true;
  return value.kind === 'matrix' && isOneOf(MATRIX_ROLES, value.matrix) && isOneOf(COPY_FORMATS, value.format);
}

export function isPanelSnapshot(value: unknown): value is PanelSnapshot {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'empty':
      return true;
    case 'pending':
      return typeof value.waitingFor === 'string';
    case 'invalid':
      return Array.isArray(value.problems) && value.problems.every((p: unknown) => typeof p === 'string');
    case 'ready':
      return isTransposedConvolutionLayer(value.layer) && (value.sourceProblem === undefined || typeof value.sourceProblem === 'string');
    default:
      return false;
  }
}

/** A row or column index: a whole number from 0. */
const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function isToWebviewMessage(value: unknown): value is ToWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'show':
      return isPanelSnapshot(value.snapshot);
    case 'notice':
      return (value.tone === 'info' || value.tone === 'error') && typeof value.text === 'string';
    case 'reveal':
      return value.section === 'overlap';
    case 'selectCell':
      return isIndex(value.row) && isIndex(value.col);
    default:
      return false;
  }
}

export function isFromWebviewMessage(value: unknown): value is FromWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'paramsChanged':
      return isTransposedConvolutionParams(value.params);
    case 'editCell':
      // NaN and the infinities are values a cell can hold; structured cloning keeps them.
      return isOneOf<OperandRole>(['input', 'kernel'], value.operand) && isLead(value.plane) && isCount(value.row) && isCount(value.col) && typeof value.value === 'number';
    case 'copy':
      return value.target === undefined || isCopyTarget(value.target);
    case 'insertResult':
    case 'compareUpsampling':
      return true;
    case 'saveImage':
      return isOneOf(IMAGE_FORMATS, value.format) && value.bytes instanceof Uint8Array && value.bytes.length > 0 && value.bytes.length <= MAX_IMAGE_BYTES;
    default:
      return false;
  }
}

function isPersistedMatrix(value: unknown): value is PersistedMatrix {
  if (!isRecord(value)) return false;
  const { rows, cols, values, lead } = value as Unknown<PersistedMatrix>;
  return (
    isCount(rows) &&
    isCount(cols) &&
    isLead(lead) &&
    Array.isArray(values) &&
    values.length === valueCount(lead, rows, cols) &&
    values.length <= MAX_PERSISTED_VALUES &&
    values.every((v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || v === 'NaN' || v === 'Infinity' || v === '-Infinity')
  );
}

export function isPersistedPanelState(value: unknown): value is PersistedPanelState {
  if (!isRecord(value)) return false;
  const state = value as Unknown<PersistedPanelState>;
  const layer = state.layer as Unknown<NonNullable<PersistedPanelState['layer']>> | undefined;
  const layerOk =
    layer === undefined ||
    (isRecord(layer) &&
      isPersistedMatrix(layer.input) &&
      isPersistedMatrix(layer.kernel) &&
      isTransposedConvolutionParams(layer.params) &&
      (layer.source === undefined || typeof layer.source === 'string') &&
      (layer.sourceUri === undefined || typeof layer.sourceUri === 'string'));
  const cellOk = state.selectedCell === undefined || isPair(state.selectedCell);
  const channelsOk = state.channels === undefined || isPanelChannelSelection(state.channels);
  return layerOk && cellOk && channelsOk && isCount(state.step) && typeof state.speed === 'number' && Number.isFinite(state.speed) && state.speed > 0;
}

// #endregion

// #region Lab guards

const isWhole = (value: unknown, min: number, max: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isOptional = <T>(guard: (v: unknown) => v is T, value: unknown): boolean => value === undefined || guard(value);

export function isLabSettings(value: unknown): value is LabSettings {
  if (!isRecord(value)) return false;
  const s = value as Unknown<LabSettings>;
  const { factor, kernelSize, size, stages } = LAB_LIMITS;
  return (
    isWhole(s.factor, factor.min, factor.max) &&
    isWhole(s.kernelSize, kernelSize.min, kernelSize.max) &&
    isOptional(isMatrixView, s.kernel) &&
    isOneOf(LAB_INPUT_CHOICES, s.input) &&
    isWhole(s.size, size.min, size.max) &&
    isOneOf(LAB_MODES, s.mode) &&
    isWhole(s.stages, stages.min, stages.max) &&
    isWhole(s.seed, 0, 0xffffffff) &&
    isOptional(isMatrixView, s.matrix) &&
    isOptionalString(s.matrixLabel) &&
    ((s.input !== 'matrix' && s.input !== 'image') || s.matrix !== undefined)
  );
}

function isSpan(value: unknown): value is readonly [number, number] {
  return isPair(value) && value[0] <= value[1];
}

function isLabWindow(value: unknown): value is LabWindow {
  return isRecord(value) && isSpan(value.rows) && isSpan(value.cols);
}

function isLabTransposedForm(value: unknown): value is LabTransposedForm {
  if (!isRecord(value)) return false;
  const f = value as Unknown<LabTransposedForm>;
  return isMatrixView(f.kernel) && isPair(f.stride) && isPair(f.padding) && isPair(f.outputPadding);
}

const isShare = (value: unknown): value is number => isFiniteNumber(value) && value >= 0 && value <= 1;

export function isLabMethodView(value: unknown): value is LabMethodView {
  if (!isRecord(value)) return false;
  const m = value as Unknown<LabMethodView>;
  const verdict = m.verdict as Unknown<LabMethodView['verdict']> | undefined;
  return (
    isOneOf(LAB_METHOD_IDS, m.method) &&
    isMatrixView(m.output) &&
    isMatrixView(m.counts) &&
    isMatrixView(m.response) &&
    isOptional(isLabWindow, m.window) &&
    isOptional(isMatrixView, m.spectrum) &&
    isOptional(isMatrixView, m.countTile) &&
    (m.countRatio === undefined || (typeof m.countRatio === 'number' && !Number.isNaN(m.countRatio))) &&
    isOptional(isShare, m.outputShare) &&
    isOptional(isShare, m.constantShare) &&
    isRecord(verdict) &&
    isOneOf(LAB_VERDICTS, verdict.kind) &&
    typeof verdict.reason === 'string' &&
    isOptional(isLabTransposedForm, m.transposedForm) &&
    isOptionalString(m.whyUnavailable)
  );
}

export function isLabComputed(value: unknown): value is LabComputed {
  if (!isRecord(value)) return false;
  const c = value as Unknown<LabComputed>;
  return (
    isMatrixView(c.input) &&
    isMatrixView(c.kernel) &&
    isWhole(c.factor, LAB_LIMITS.factor.min, LAB_LIMITS.factor.max) &&
    isWhole(c.stages, LAB_LIMITS.stages.min, LAB_LIMITS.stages.max) &&
    isCount(c.period) &&
    isOneOf(LAB_MODES, c.mode) &&
    Array.isArray(c.methods) &&
    c.methods.length === 3 &&
    c.methods.every((m: unknown, i: number) => isLabMethodView(m) && m.method === LAB_METHOD_IDS[i]) &&
    isFiniteNumber(c.milliseconds)
  );
}

export function isLabSnapshot(value: unknown): value is LabSnapshot {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'empty':
      return true;
    case 'computing':
      return isLabSettings(value.settings);
    case 'invalid':
      return isLabSettings(value.settings) && Array.isArray(value.problems) && value.problems.every((p: unknown) => typeof p === 'string');
    case 'ready':
      return isLabSettings(value.settings) && isLabComputed(value.result);
    default:
      return false;
  }
}

export function isToLabMessage(value: unknown): value is ToLabMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'labShow':
      return isLabSnapshot(value.snapshot);
    case 'labImage':
      return typeof value.name === 'string' && value.bytes instanceof Uint8Array && value.bytes.length > 0 && value.bytes.length <= MAX_IMAGE_BYTES;
    case 'notice':
      return (value.tone === 'info' || value.tone === 'error') && typeof value.text === 'string';
    default:
      return false;
  }
}

export function isFromLabMessage(value: unknown): value is FromLabMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'labPickImage':
      return true;
    case 'labRun':
      return isLabSettings(value.settings);
    case 'labWhy':
      return isOneOf(LAB_METHOD_IDS, value.method) && (value.cell === undefined || (Array.isArray(value.cell) && value.cell.length === 2 && value.cell.every(isIndex)));
    case 'labSaveImage':
      return value.bytes instanceof Uint8Array && value.bytes.length > 0 && value.bytes.length <= MAX_IMAGE_BYTES;
    case 'labExport':
      return isOneOf(LAB_EXPORT_FORMATS, value.format);
    default:
      return false;
  }
}

// #endregion

// #region The stack view (Layer Lens: Inspect Stack)

/** One element of a stack as the table shows it: shapes already written out (`[N, 512, 4, 4]`). */
export interface StackTableRow {
  readonly index: number;
  /** `layer`, `preserving` (activation, norm, dropout), `reshape`, or `unknown`. */
  readonly kind: 'layer' | 'preserving' | 'reshape' | 'unknown';
  /** The called name as written: `nn.ConvTranspose2d`. */
  readonly label: string;
  /** 0-based line of the element in its document. */
  readonly line: number;
  readonly input: string;
  readonly output: string;
  readonly parameters: string;
  /** Transposed convolutions: `even`, `uneven 1:2`, `gaps`, and why. */
  readonly overlap?: { readonly label: string; readonly even: boolean; readonly reason: string };
  /** The output-size formula of each axis. */
  readonly formulas: readonly string[];
  /** Where the stack breaks here, in the engine's words. */
  readonly problem?: { readonly code: string; readonly message: string };
  readonly note?: string;
}

/** How a stack is written: the parser's kinds (src/parse/layerStacks.ts), listed for the guards. */
const STACK_KINDS: readonly StackKind[] = ['sequential', 'kerasSequential', 'init', 'functional', 'selection'];

/** What `layerLens.inspectStack` returns, and the table the stack view draws. */
export interface StackTable {
  readonly name: string;
  readonly kind: StackKind;
  /** Where it is: `dcgan_generator.py:11`. */
  readonly source: string;
  readonly input: string;
  /** Where the input size came from, in words. */
  readonly inputSource: string;
  readonly output: string;
  readonly rows: readonly StackTableRow[];
  readonly transposedCount: number;
  readonly unevenCount: number;
  /** The compound overlap's measures after the last step of the spatial path, when it could be followed. */
  readonly compound?: { readonly periodicEnergy: number; readonly spread: number; readonly period: readonly [number, number] };
}

/** A map of the compound overlap: the all-ones response after one layer, scaled to mean 1. */
export interface StackMapView {
  /** The row the map comes after. */
  readonly row: number;
  readonly label: string;
  readonly map: MatrixView;
  readonly period: readonly [number, number];
  readonly periodicEnergy: number;
  readonly spread: number;
}

/** The compound overlap: the map after each spatial layer (the last is the stack's), and where the path stopped. */
export interface StackCompoundView {
  readonly maps: readonly StackMapView[];
  readonly stopped?: string;
  /** The input size the maps start from, and whether it was the stack's own or a stand-in. */
  readonly inputSize: readonly [number, number];
  readonly standIn: boolean;
}

/** One fix of one uneven layer (the same as the single-layer quick fixes). */
export interface StackFixView {
  readonly row: number;
  /** Index among that layer's fixes. */
  readonly choice: number;
  readonly title: string;
  readonly keepsSize: boolean;
}

/** "Fix the stack": every uneven layer's fixes, the chosen ones, and the compound map after them. */
export interface StackFixPlan {
  readonly fixes: readonly StackFixView[];
  /** The chosen fix per row, as `[row, choice]`. */
  readonly chosen: readonly (readonly [number, number])[];
  /**
   * The compound maps to compare: where the stack's map is most uneven (`before`), and the fixed
   * stack's map of the same size (`after`); the last maps when they differ from those.
   */
  readonly before?: StackMapView;
  readonly after?: StackMapView;
  readonly beforeLast?: StackMapView;
  readonly afterLast?: StackMapView;
  readonly afterUneven?: number;
  readonly afterProblem?: string;
}

export type StackSnapshot =
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] }
  | { readonly kind: 'ready'; readonly table: StackTable; readonly compound?: StackCompoundView; readonly compoundProblem?: string; readonly plan?: StackFixPlan };

/** Host → stack view: what to draw, and what the page keeps (`setState`) for the view to come back after a reload. */
export interface StackShowMessage {
  readonly type: 'stackShow';
  readonly snapshot: StackSnapshot;
  readonly keep?: PersistedStackState;
}

/** Which stack a view shows, enough to find it again in its document after a reload. */
export interface PersistedStackState {
  readonly uri: string;
  readonly kind: StackKind;
  readonly name: string;
  readonly start: number;
  /** The input size given to Inspect Stack, if any. */
  readonly inputSize?: number | readonly number[];
}

/** Host → stack view: a line under the toolbar (an applied fix, a failure). */
export interface StackNoticeMessage {
  readonly type: 'stackNotice';
  readonly tone: 'info' | 'error';
  readonly text: string;
}

export type ToStackViewMessage = StackShowMessage | StackNoticeMessage;

/** Stack view → host: the page is ready for the snapshot. */
export interface StackReadyMessage {
  readonly type: 'stackReady';
}

/** Stack view → host: another choice of fixes; the host answers with the plan's new "after" map. */
export interface StackChooseFixesMessage {
  readonly type: 'stackChooseFixes';
  readonly chosen: readonly (readonly [number, number])[];
}

/** Stack view → host: apply the chosen fixes to the document, as one undoable edit. */
export interface StackApplyFixesMessage {
  readonly type: 'stackApplyFixes';
  readonly chosen: readonly (readonly [number, number])[];
}

/** Stack view → host: show this row's element in the editor. */
export interface StackRevealMessage {
  readonly type: 'stackReveal';
  readonly row: number;
}

export type FromStackViewMessage = StackReadyMessage | StackChooseFixesMessage | StackApplyFixesMessage | StackRevealMessage;

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function isStackRow(value: unknown): value is StackTableRow {
  if (!isRecord(value)) return false;
  const row = value as Unknown<StackTableRow>;
  const overlap = row.overlap as Unknown<NonNullable<StackTableRow['overlap']>> | undefined;
  const problem = row.problem as Unknown<NonNullable<StackTableRow['problem']>> | undefined;
  return (
    isCount(row.index) &&
    isOneOf(['layer', 'preserving', 'reshape', 'unknown'], row.kind) &&
    isText(row.label) &&
    isCount(row.line) &&
    isText(row.input) &&
    isText(row.output) &&
    isText(row.parameters) &&
    Array.isArray(row.formulas) &&
    row.formulas.every(isText) &&
    (overlap === undefined || (isRecord(overlap) && isText(overlap.label) && typeof overlap.even === 'boolean' && isText(overlap.reason))) &&
    (problem === undefined || (isRecord(problem) && isText(problem.code) && isText(problem.message))) &&
    (row.note === undefined || isText(row.note))
  );
}

function isStackTable(value: unknown): value is StackTable {
  if (!isRecord(value)) return false;
  const t = value as Unknown<StackTable>;
  return (
    isText(t.name) &&
    isOneOf(STACK_KINDS, t.kind) &&
    isText(t.source) &&
    isText(t.input) &&
    isText(t.inputSource) &&
    isText(t.output) &&
    Array.isArray(t.rows) &&
    t.rows.every(isStackRow) &&
    isCount(t.transposedCount) &&
    isCount(t.unevenCount)
  );
}

function isMeasure(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isStackMap(value: unknown): value is StackMapView {
  if (!isRecord(value)) return false;
  const m = value as Unknown<StackMapView>;
  return isCount(m.row) && isText(m.label) && isMatrixView(m.map) && isPair(m.period) && isMeasure(m.periodicEnergy) && isMeasure(m.spread);
}

function isChosen(value: unknown): value is readonly (readonly [number, number])[] {
  return Array.isArray(value) && value.every((pair: unknown) => Array.isArray(pair) && pair.length === 2 && pair.every(isCount));
}

function isFixPlan(value: unknown): value is StackFixPlan {
  if (!isRecord(value)) return false;
  const p = value as Unknown<StackFixPlan>;
  const fixes = p.fixes;
  return (
    Array.isArray(fixes) &&
    fixes.every((f: unknown) => isRecord(f) && isCount(f.row) && isCount(f.choice) && isText(f.title) && typeof f.keepsSize === 'boolean') &&
    isChosen(p.chosen) &&
    [p.before, p.after, p.beforeLast, p.afterLast].every((m) => m === undefined || isStackMap(m)) &&
    (p.afterUneven === undefined || isCount(p.afterUneven)) &&
    (p.afterProblem === undefined || isText(p.afterProblem))
  );
}

function isStackCompound(value: unknown): value is StackCompoundView {
  if (!isRecord(value)) return false;
  const c = value as Unknown<StackCompoundView>;
  return Array.isArray(c.maps) && c.maps.every(isStackMap) && (c.stopped === undefined || isText(c.stopped)) && isPair(c.inputSize) && typeof c.standIn === 'boolean';
}

export function isStackSnapshot(value: unknown): value is StackSnapshot {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'empty':
      return true;
    case 'invalid':
      return Array.isArray(value.problems) && value.problems.every(isText);
    case 'ready':
      return (
        isStackTable(value.table) &&
        (value.compound === undefined || isStackCompound(value.compound)) &&
        (value.compoundProblem === undefined || isText(value.compoundProblem)) &&
        (value.plan === undefined || isFixPlan(value.plan))
      );
    default:
      return false;
  }
}

export function isPersistedStackState(value: unknown): value is PersistedStackState {
  if (!isRecord(value)) return false;
  const size = value.inputSize;
  return (
    isText(value.uri) &&
    isOneOf(STACK_KINDS, value.kind) &&
    isText(value.name) &&
    isCount(value.start) &&
    (size === undefined || isCount(size) || (Array.isArray(size) && size.length <= 4 && size.every(isCount)))
  );
}

export function isToStackViewMessage(value: unknown): value is ToStackViewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'stackShow':
      return isStackSnapshot(value.snapshot) && (value.keep === undefined || isPersistedStackState(value.keep));
    case 'stackNotice':
      return (value.tone === 'info' || value.tone === 'error') && isText(value.text);
    default:
      return false;
  }
}

export function isFromStackViewMessage(value: unknown): value is FromStackViewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'stackReady':
      return true;
    case 'stackChooseFixes':
    case 'stackApplyFixes':
      return isChosen(value.chosen);
    case 'stackReveal':
      return isCount(value.row);
    default:
      return false;
  }
}

// #endregion

// #region Layer panel guards

/** A tensor whose data holds exactly as many values as its shape says. */
export function isTensorValue(value: unknown): value is Tensor {
  if (!isRecord(value)) return false;
  const { shape, data } = value;
  return Array.isArray(shape) && shape.every(isCount) && data instanceof Float64Array && data.length === shape.reduce((a: number, b: number) => a * b, 1);
}

/**
 * A layer call of the right form: a known layer, tensors, and an options record. The options'
 * values are the engine's to judge (it refuses what PyTorch refuses, in words), so they are only
 * required to be plain data here.
 */
export function isGatherLayerCall(value: unknown): value is GatherLayerCall {
  if (!isRecord(value) || !isOneOf(GATHER_LAYER_OPS, value.op) || !isTensorValue(value.input)) return false;
  if (!isRecord(value.options) || Array.isArray(value.options) || !isPlainData(value.options, 0)) return false;
  return value.op === 'conv2d' ? isTensorValue(value.weight) : value.weight === undefined;
}

/** Numbers, strings, booleans, and arrays or records of them, a few levels deep. */
function isPlainData(value: unknown, depth: number): boolean {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === undefined) return true;
  if (depth > 3) return false;
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every((v) => isPlainData(v, depth + 1));
  return false;
}

export function isGatherSnapshot(value: unknown): value is GatherSnapshot {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'empty':
      return true;
    case 'invalid':
      return Array.isArray(value.problems) && value.problems.every((p: unknown) => typeof p === 'string');
    case 'ready':
      return isGatherLayerCall(value.call) && (value.source === undefined || typeof value.source === 'string');
    default:
      return false;
  }
}

export function isToGatherMessage(value: unknown): value is ToGatherMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'gatherShow':
      return isGatherSnapshot(value.snapshot);
    case 'notice':
      return (value.tone === 'info' || value.tone === 'error') && typeof value.text === 'string';
    default:
      return false;
  }
}

export function isFromGatherMessage(value: unknown): value is FromGatherMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'gatherReady':
      return true;
    case 'gatherParams':
      return isGatherLayerCall(value.call);
    case 'gatherCopy':
      return isOneOf(GATHER_MATRIX_ROLES, value.matrix) && (value.format === undefined || isOneOf(COPY_FORMATS, value.format));
    default:
      return false;
  }
}

function isPersistedTensor(value: unknown): value is PersistedTensor {
  if (!isRecord(value) || !Array.isArray(value.shape) || !value.shape.every(isCount) || !Array.isArray(value.values)) return false;
  const size = (value.shape as number[]).reduce((a, b) => a * b, 1);
  return value.values.length === size && value.values.every((v: unknown) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity');
}

export function isPersistedGatherState(value: unknown): value is PersistedGatherState {
  if (!isRecord(value)) return false;
  return (
    isOneOf(GATHER_LAYER_OPS, value.op) &&
    isPersistedTensor(value.input) &&
    (value.op === 'conv2d' ? isPersistedTensor(value.weight) : value.weight === undefined) &&
    isRecord(value.options) &&
    isPlainData(value.options, 0) &&
    (value.source === undefined || typeof value.source === 'string') &&
    isCount(value.step)
  );
}

function persistTensor(tensor: Tensor): PersistedTensor {
  const { values } = persistMatrix({ rows: 1, cols: tensor.data.length, data: tensor.data });
  return { shape: [...tensor.shape], values };
}

function restoreTensor(tensor: PersistedTensor): Tensor {
  return { shape: [...tensor.shape], data: restoreMatrix({ rows: 1, cols: tensor.values.length, values: tensor.values }).data };
}

export function persistGatherState(call: GatherLayerCall, source: string | undefined, step: number): PersistedGatherState {
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
export function restoreGatherCall(state: PersistedGatherState): GatherLayerCall | undefined {
  const call = { op: state.op, input: restoreTensor(state.input), ...(state.weight ? { weight: restoreTensor(state.weight) } : {}), options: { ...state.options } };
  return isGatherLayerCall(call) ? call : undefined;
}

// #endregion

/** Ends a `switch` over a union so that adding a member without handling it is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
