/**
 * The only language the extension host and the Layer Lens panel speak. Every message is declared
 * here once; both sides validate what they receive with the guards below before acting on it,
 * because a webview is a separate, less trusted context.
 */

// #region Data the panel draws

/** A matrix to draw as a labelled grid. `data` is row-major, `rows × cols` long. */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** The parameters of a 2-D transposed convolution, per axis `[h, w]`, in PyTorch's meaning. */
export interface TransposedConvolutionParams {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly outputPadding: readonly [number, number];
  readonly dilation: readonly [number, number];
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
 * - `invalid`: the last request could not be computed; `problems` say why, in the engine's words.
 * - `ready`: a layer to draw.
 */
export type PanelSnapshot =
  | { readonly kind: 'empty' }
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

export type ToWebviewMessage = ShowMessage | NoticeMessage | RevealMessage;

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

export type FromWebviewMessage = ReadyMessage | ParamsChangedMessage | EditCellMessage | CopyMessage | InsertResultMessage | SaveImageMessage;

// #endregion

// #region Kept across restarts

/** A number in JSON, which has no NaN or infinities. */
export type PersistedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface PersistedMatrix {
  readonly rows: number;
  readonly cols: number;
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
}

/** Operands larger than this are not kept across restarts: the panel then asks to run the command again. */
export const MAX_PERSISTED_VALUES = 65_536;

export function persistMatrix(matrix: MatrixView): PersistedMatrix {
  const values: PersistedNumber[] = new Array<PersistedNumber>(matrix.data.length);
  for (let i = 0; i < matrix.data.length; i++) {
    const v = matrix.data[i] as number;
    values[i] = Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  }
  return { rows: matrix.rows, cols: matrix.cols, values };
}

export function restoreMatrix(matrix: PersistedMatrix): MatrixView {
  const data = new Float64Array(matrix.values.length);
  for (let i = 0; i < data.length; i++) {
    const v = matrix.values[i] as PersistedNumber;
    data[i] = typeof v === 'number' ? v : v === 'NaN' ? Number.NaN : v === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  return { rows: matrix.rows, cols: matrix.cols, data };
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

export function isMatrixView(value: unknown): value is MatrixView {
  if (!isRecord(value)) return false;
  const { rows, cols, data } = value as Unknown<MatrixView>;
  return isCount(rows) && isCount(cols) && data instanceof Float64Array && data.length === rows * cols;
}

export function isTransposedConvolutionParams(value: unknown): value is TransposedConvolutionParams {
  if (!isRecord(value)) return false;
  const { stride, padding, outputPadding, dilation } = value as Unknown<TransposedConvolutionParams>;
  return isPair(stride) && isPair(padding) && isPair(outputPadding) && isPair(dilation);
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
    case 'invalid':
      return Array.isArray(value.problems) && value.problems.every((p: unknown) => typeof p === 'string');
    case 'ready':
      return isTransposedConvolutionLayer(value.layer) && (value.sourceProblem === undefined || typeof value.sourceProblem === 'string');
    default:
      return false;
  }
}

export function isToWebviewMessage(value: unknown): value is ToWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'show':
      return isPanelSnapshot(value.snapshot);
    case 'notice':
      return (value.tone === 'info' || value.tone === 'error') && typeof value.text === 'string';
    case 'reveal':
      return value.section === 'overlap';
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
      return isOneOf<OperandRole>(['input', 'kernel'], value.operand) && isCount(value.row) && isCount(value.col) && typeof value.value === 'number';
    case 'copy':
      return value.target === undefined || isCopyTarget(value.target);
    case 'insertResult':
      return true;
    case 'saveImage':
      return isOneOf(IMAGE_FORMATS, value.format) && value.bytes instanceof Uint8Array && value.bytes.length > 0 && value.bytes.length <= MAX_IMAGE_BYTES;
    default:
      return false;
  }
}

function isPersistedMatrix(value: unknown): value is PersistedMatrix {
  if (!isRecord(value)) return false;
  const { rows, cols, values } = value as Unknown<PersistedMatrix>;
  return (
    isCount(rows) &&
    isCount(cols) &&
    Array.isArray(values) &&
    values.length === rows * cols &&
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
  return layerOk && cellOk && isCount(state.step) && typeof state.speed === 'number' && Number.isFinite(state.speed) && state.speed > 0;
}

// #endregion

/** Ends a `switch` over a union so that adding a member without handling it is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
