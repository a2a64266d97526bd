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

/** Per spatial axis, the output-size formula with its terms' values (`H_out = … = 3`). */
export interface AxisFormula {
  readonly axis: string;
  readonly text: string;
}

export interface TransposedConvolutionView {
  readonly input: MatrixView;
  readonly kernel: MatrixView;
  readonly output: MatrixView;
  readonly params: {
    readonly stride: readonly [number, number];
    readonly padding: readonly [number, number];
    readonly outputPadding: readonly [number, number];
    readonly dilation: readonly [number, number];
  };
  readonly formulas: readonly AxisFormula[];
  /** Where the input came from, for the panel's caption (`model.py:12`), if from a document. */
  readonly source?: string;
}

/**
 * What the panel shows. A tagged union so the panel can never draw data and an error at once.
 * - `empty`: nothing computed yet.
 * - `invalid`: the last request could not be computed; `problems` say why, in the engine's words.
 * - `ready`: a computation to draw.
 */
export type PanelSnapshot =
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] }
  | { readonly kind: 'ready'; readonly view: TransposedConvolutionView };

// #endregion

// #region To the webview

/** The full state to draw, sent in answer to `ready` and whenever the computation changes. */
export interface ShowMessage {
  readonly type: 'show';
  readonly snapshot: PanelSnapshot;
}

export type ToWebviewMessage = ShowMessage;

// #endregion

// #region From the webview

/** The panel's script has loaded and listens: the host answers with a `show`. */
export interface ReadyMessage {
  readonly type: 'ready';
}

export type FromWebviewMessage = ReadyMessage;

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

function isTransposedConvolutionView(value: unknown): value is TransposedConvolutionView {
  if (!isRecord(value)) return false;
  const view = value as Unknown<TransposedConvolutionView>;
  const params = view.params as Unknown<TransposedConvolutionView['params']> | undefined;
  return (
    isMatrixView(view.input) &&
    isMatrixView(view.kernel) &&
    isMatrixView(view.output) &&
    isRecord(params) &&
    isPair(params.stride) &&
    isPair(params.padding) &&
    isPair(params.outputPadding) &&
    isPair(params.dilation) &&
    Array.isArray(view.formulas) &&
    view.formulas.every((f: unknown) => isRecord(f) && typeof f.axis === 'string' && typeof f.text === 'string') &&
    (view.source === undefined || typeof view.source === 'string')
  );
}

export function isPanelSnapshot(value: unknown): value is PanelSnapshot {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'empty':
      return true;
    case 'invalid':
      return Array.isArray(value.problems) && value.problems.every((p: unknown) => typeof p === 'string');
    case 'ready':
      return isTransposedConvolutionView(value.view);
    default:
      return false;
  }
}

export function isToWebviewMessage(value: unknown): value is ToWebviewMessage {
  return isRecord(value) && value.type === 'show' && isPanelSnapshot(value.snapshot);
}

export function isFromWebviewMessage(value: unknown): value is FromWebviewMessage {
  return isRecord(value) && value.type === 'ready';
}

// #endregion

/** Ends a `switch` over a union so that adding a member without handling it is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
