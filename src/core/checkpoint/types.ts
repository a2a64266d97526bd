/**
 * What every checkpoint reader returns, whatever the file's format: the list of tensors (read from
 * headers and directories only) and a way to read one tensor's values when they are needed. The
 * readers never execute anything a file contains; a bad or unsafe file is refused with a
 * {@link CheckpointError} that says what is wrong and where.
 */

/** The container formats Layer Lens reads; `live`: a module's weights read from a paused debug session (src/core/live/liveModel.ts). */
export type CheckpointFormat = 'safetensors' | 'pytorch' | 'onnx' | 'numpy' | 'keras' | 'live';

/** One tensor as listed by the file, before its values are read. */
export interface CheckpointTensorInfo {
  /** The key as the file names it (`main.3.weight`, `conv2d_transpose/kernel:0`). */
  readonly name: string;
  /** Row-major shape; `[]` for a scalar. */
  readonly shape: number[];
  /** The file's own element type, in the file's own words where it has them (`F32`, `float32`, `BF16`). */
  readonly dtype: string;
}

/** A tensor's values, row-major whatever the file's order, widened exactly to float64. */
export interface CheckpointTensor {
  readonly shape: number[];
  readonly data: Float64Array;
}

/**
 * A layer whose hyperparameters the file itself carries (ONNX graph nodes, a Keras model config).
 * PyTorch and safetensors state dicts carry none; their layers come from pairing with source.
 */
export interface CheckpointLayer {
  /** The layer's name as the audit reports it: the weight's key without `.weight` where it has one. */
  readonly name: string;
  /** A transposed convolution of 1, 2 or 3 spatial axes, or a 2-D convolution (audited when a pixel shuffle follows it). */
  readonly op: 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d' | 'conv2d';
  /** The tensor holding the weight. */
  readonly weight: string;
  readonly bias?: string;
  /**
   * The weight's axis order in the file. `torch`: `[C_in, C_out/groups, …kernel]` for a transposed
   * convolution and `[C_out, C_in/groups, kH, kW]` for a convolution (also ONNX's order). `keras`:
   * the kernel's axes first, `[…kernel, C_out, C_in]` for `Conv1DTranspose` / `Conv2DTranspose` /
   * `Conv3DTranspose` and `[kH, kW, C_in, C_out]` for `Conv2D`.
   */
  readonly weightLayout: 'torch' | 'keras';
  /** One per spatial axis (`[s]`, `[s_h, s_w]`, `[s_d, s_h, s_w]`). */
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  /** Set on a convolution whose output feeds a pixel shuffle (ONNX `DepthToSpace` in CRD mode): its factor `r`. */
  readonly pixelShuffle?: number;
  /** Something about the layer the audit should tell the user, in words (an ONNX `DepthToSpace` in DCR mode is not a pixel shuffle). */
  readonly note?: string;
}

/** A checkpoint file, read. */
export interface Checkpoint {
  readonly format: CheckpointFormat;
  readonly tensors: readonly CheckpointTensorInfo[];
  /** Reads one tensor's values; throws a {@link CheckpointError} for an unknown name or bad bytes. */
  tensor(name: string): CheckpointTensor;
  /** The layers the file describes itself (ONNX, Keras); absent for a bare state dict. */
  readonly layers?: readonly CheckpointLayer[];
}

/** A file Layer Lens refuses to read, and why, in words a user can act on. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/**
 * Random access to a file's bytes, so a reader can list a 1 GB checkpoint from its header and
 * central directory alone and read one tensor's bytes only when it is asked for. The extension host
 * backs it with a file handle; a `Uint8Array` already in memory is wrapped by {@link bytesSource}.
 */
export interface ByteSource {
  readonly byteLength: number;
  /** The bytes `[offset, offset + length)`; throws a {@link CheckpointError} past the end. */
  read(offset: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    byteLength: bytes.byteLength,
    read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.byteLength) {
        throw new CheckpointError(`the file ends at byte ${bytes.byteLength}, before bytes ${offset}–${offset + length} that it refers to`);
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}
