/**
 * What every Layer Lens page shares with the extension host: the verbs every page speaks (`ready`,
 * `show`, `notice`), the matrices they draw, the notations they copy in, and how numbers are kept in
 * a page's saved state. Each page's own messages are declared in its module beside this one
 * (transposed.ts, layer.ts, lab.ts, stack.ts), with the combinators of schema.ts, so that a message's
 * type and the guard both sides run on it come from one declaration.
 */
import { array, count, float64Array, object, oneOf, optional, refine, string, type Guard, type Infer } from './schema';

// #region Matrices

/** The most leading axes a matrix view may have: `[N, C]` or `[C_in, C_out/groups]`. */
export const MAX_LEAD_AXES = 2;

/** How many values `[...lead, rows, cols]` holds. */
export const valueCount = (lead: readonly number[] | undefined, rows: number, cols: number): number => (lead ?? []).reduce((a, b) => a * b, rows * cols);

/** `undefined` (a plain matrix) or up to {@link MAX_LEAD_AXES} sizes. */
export const isLead = optional(array(count, MAX_LEAD_AXES));

/**
 * A matrix, or a stack of matrices, to draw as labelled grids. `data` is row-major over
 * `[...lead, rows, cols]`. `lead` holds the axes before the last two: absent for a plain matrix,
 * `[C]` for an image `[C, H, W]`, `[N, C]` for a batch `[N, C, H, W]`, and `[C_in, C_out/groups]`
 * for a weight as PyTorch lays it out for `ConvTranspose2d`.
 */
export const isMatrixView = refine(object({ rows: count, cols: count, data: float64Array, lead: isLead }), (m) => m.data.length === valueCount(m.lead, m.rows, m.cols));
export type MatrixView = Infer<typeof isMatrixView>;

/** The full shape of a matrix view, `[...lead, rows, cols]`. */
export function viewShape(matrix: MatrixView): number[] {
  return [...(matrix.lead ?? []), matrix.rows, matrix.cols];
}

// #endregion

// #region Notations and files

/** The notations a matrix can be copied as. */
export const COPY_FORMATS = ['numpy', 'torch', 'json', 'matlab', 'latex', 'markdown'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];
export const isCopyFormat = oneOf(COPY_FORMATS);

/** The largest file a page may hand the host to save, or the host a page to decode. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** Sentences to show instead of a result (the engine's or the parser's words). */
export const isProblems = array(string);

// #endregion

// #region The verbs every page speaks

/** Page → host, on every page: the page's script has loaded and listens; the host answers with `show`. */
export const readyShape = {} as const;

/** Host → page, on every page: a short outcome of something the user asked for (an edit written back, a copy, a save), shown under the toolbar. */
export const noticeShape = { tone: oneOf(['info', 'error']), text: string } as const;
export type NoticeTone = 'info' | 'error';

/** Every message a page sends or receives: a record tagged by its `type` (what the webview host kit and `connectPage` dispatch on). */
export type Message = { readonly type: string };

// #endregion

// #region Kept across restarts

/** A number in JSON, which has no NaN or infinities. */
export const isPersistedNumber: Guard<PersistedNumber> = (value): value is PersistedNumber =>
  (typeof value === 'number' && Number.isFinite(value)) || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
export type PersistedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** Operands larger than this are not kept across restarts: the page then asks to run the command again. */
export const MAX_PERSISTED_VALUES = 65_536;

export const isPersistedMatrix = refine(
  object({ rows: count, cols: count, lead: isLead, values: array(isPersistedNumber, MAX_PERSISTED_VALUES) }),
  (m) => m.values.length === valueCount(m.lead, m.rows, m.cols),
);
export type PersistedMatrix = Infer<typeof isPersistedMatrix>;

export function persistNumber(v: number): PersistedNumber {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function restoreNumber(v: PersistedNumber): number {
  return typeof v === 'number' ? v : v === 'NaN' ? Number.NaN : v === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

export function persistMatrix(matrix: MatrixView): PersistedMatrix {
  const values: PersistedNumber[] = new Array<PersistedNumber>(matrix.data.length);
  for (let i = 0; i < matrix.data.length; i++) values[i] = persistNumber(matrix.data[i] as number);
  return { rows: matrix.rows, cols: matrix.cols, ...(matrix.lead ? { lead: [...matrix.lead] } : {}), values };
}

export function restoreMatrix(matrix: PersistedMatrix): MatrixView {
  const data = new Float64Array(matrix.values.length);
  for (let i = 0; i < data.length; i++) data[i] = restoreNumber(matrix.values[i] as PersistedNumber);
  return { rows: matrix.rows, cols: matrix.cols, data, ...(matrix.lead ? { lead: [...matrix.lead] } : {}) };
}

// #endregion

/** Ends a `switch` over a union so that adding a member without handling it is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
