/**
 * What a size diagnostic and its quick fixes need to know about an operation that joins two tensors
 * whose shapes do not line up (`torch.cat`, `torch.stack`, `+`…): the operands as they are written
 * (a plain variable's name and offsets), their shapes, and the torch.nn layer that made each tensor
 * (the transposed convolution whose `output_padding` could be set). Plain data, so that it crosses
 * the worker boundary with the analysis.
 */
/** The torch.nn layer that made a tensor: its last module as it ran. */
export interface ProducingLayer {
  /** `named_modules()`'s name (`ups.0`). */
  readonly path: string;
  /** `ConvTranspose2d`, `Upsample`… */
  readonly type: string;
  /** The 1-based line of its constructor call, in `file` (`''`: the main source). */
  readonly line: number;
  readonly file: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Its numeric arguments by PyTorch's names, defaults filled in (`stride: [2, 2]`). */
  readonly args: Readonly<Record<string, number | readonly number[]>>;
}

export interface MismatchOperand {
  readonly shape: readonly number[];
  /** The variable, when the operand is written as a plain name (`x1`), and its offsets in `file`. */
  readonly name?: string;
  readonly start?: number;
  readonly end?: number;
  readonly layer?: ProducingLayer;
}

export interface ShapeMismatch {
  /** `torch.cat`, `torch.stack`, or a binary operator (`+`, `-`, `*`, `/`). */
  readonly op: string;
  /** The operation's offset in `file` (the `torch` of `torch.cat`, the left operand of `+`) and its 1-based line. */
  readonly start: number;
  readonly line: number;
  readonly file: string;
  /** The first axis whose sizes differ. */
  readonly axis: number;
  /** The two operands that differ: the first tensor and the one that does not match it. */
  readonly operands: readonly [MismatchOperand, MismatchOperand];
  /** The model's input shape the analysis followed. */
  readonly inputShape: readonly number[];
}
