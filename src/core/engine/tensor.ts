import { LayerError } from './errors';

/**
 * A dense float64 tensor in row-major order, with PyTorch's layouts: `[N, C, H, W]` for images,
 * `[C_in, C_out/groups, kH, kW]` for transposed-convolution weights, `[C_out, C_in/groups, kH, kW]`
 * for convolution weights. A plain matrix is `[H, W]`.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** Number of elements a shape holds (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Builds a tensor, checking that the data length matches the shape. */
export function tensor(shape: readonly number[], data: Float64Array | readonly number[]): Tensor {
  const values = data instanceof Float64Array ? data : Float64Array.from(data);
  if (values.length !== sizeOf(shape)) {
    throw new LayerError('invalid-shape', `shape [${shape.join(', ')}] holds ${sizeOf(shape)} values but ${values.length} were given`);
  }
  return { shape: [...shape], data: values };
}
