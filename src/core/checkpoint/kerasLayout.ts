/**
 * Keras kernels in PyTorch's axis order. Keras puts the kernel's spatial axes first and the two
 * channel axes last: `Conv1DTranspose` / `Conv2DTranspose` / `Conv3DTranspose` keep
 * `[…kernel, C_out, C_in]` and `Conv2D` keeps `[kH, kW, C_in, C_out]`; PyTorch keeps
 * `[C_in, C_out, …kernel]` (transposed) and `[C_out, C_in, kH, kW]` (convolution). Both moves are
 * the same: the last axis first, the one before it second, then the kernel's axes in their order.
 */
import type { CheckpointTensor } from './types';

/** `[…kernel, a, b]` → `[b, a, …kernel]`. */
export function kerasToTorchShape(shape: readonly number[]): number[] {
  const kernel = shape.slice(0, -2);
  return [shape[shape.length - 1] as number, shape[shape.length - 2] as number, ...kernel];
}

/** The kernel's values moved to PyTorch's order: `out[y][x][…k] = in[…k][x][y]`. */
export function kerasToTorch(weight: CheckpointTensor): CheckpointTensor {
  const shape = weight.shape;
  const a = shape[shape.length - 2] as number;
  const b = shape[shape.length - 1] as number;
  const taps = weight.data.length / (a * b);
  const data = new Float64Array(weight.data.length);
  for (let k = 0; k < taps; k++) for (let x = 0; x < a; x++) for (let y = 0; y < b; y++) data[(y * a + x) * taps + k] = weight.data[(k * a + x) * b + y] as number;
  return { shape: kerasToTorchShape(shape), data };
}
