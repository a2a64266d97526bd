/**
 * What the Keras size diagnostic and its quick fixes (insight/kerasShape.ts) need to know about a
 * merge layer (`Concatenate`, `Add`…) whose inputs do not line up: the call as written, each
 * input's shape (channels-last) and where its expression starts, and the transposed convolution
 * that made it, if one did (its `output_padding` could be set). Plain data, so that it crosses the
 * worker boundary with the analysis.
 */
import type { ProducingLayer } from './shapeMismatch';

/**
 * A `Conv2DTranspose` (or 1-D, 3-D) that made a merge input, possibly through layers that keep the
 * shape (an activation, a normalization): Keras's name (`conv2d_transpose_1`) as its path, its
 * constructor's line, and its shapes `[N, …spatial, C]`.
 */
export interface KerasTransposedLayer extends Omit<ProducingLayer, 'args'> {
  /** Per spatial axis, as the layer was constructed. */
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: string;
  /** null: not given (Keras then infers the size: `n·s` for "same"). */
  readonly outputPadding: readonly number[] | null;
}

export interface KerasMergeOperand {
  /** `[N, …spatial, C]`. */
  readonly shape: readonly number[];
  /** The offset of its expression in the main source, when it is a name, an attribute, a call or a subscript written in the merge's list there. */
  readonly start?: number;
  readonly transposed?: KerasTransposedLayer;
}

export interface KerasMergeMismatch {
  /** Keras's name of the merge layer (`concatenate_1`) and its class (`Concatenate`, `Add`…). */
  readonly layer: string;
  readonly type: string;
  /** The offset of the call that ran it (`layers.concatenate([…])`, `Concatenate()([…])`) in `file`, and its 1-based line. */
  readonly start: number;
  readonly line: number;
  readonly file: string;
  /** A `Concatenate`'s axis as given (`-1`, `3`), the axis whose sizes may differ. */
  readonly axis?: number;
  /** Every input of the merge, in order. */
  readonly operands: readonly KerasMergeOperand[];
  /** The input that does not line up with input 0. */
  readonly other: number;
  /** The shape analysed (`[N, H, W, C]`). */
  readonly inputShape: readonly number[];
  /** Layer calls done before this one: how far the model got (a fix must get further). */
  readonly steps: number;
}
