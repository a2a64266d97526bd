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

export type ToWebviewMessage = ShowMessage | NoticeMessage;

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

/** What `layerLens.inspectStack` returns, and the table the stack view draws. */
export interface StackTable {
  readonly name: string;
  readonly kind: 'sequential' | 'kerasSequential' | 'init' | 'functional' | 'selection';
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

/** Host → stack view: what to draw. */
export interface StackShowMessage {
  readonly type: 'stackShow';
  readonly snapshot: StackSnapshot;
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
    isOneOf(['sequential', 'kerasSequential', 'init', 'functional', 'selection'], t.kind) &&
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

export function isToStackViewMessage(value: unknown): value is ToStackViewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'stackShow':
      return isStackSnapshot(value.snapshot);
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

/** Ends a `switch` over a union so that adding a member without handling it is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
