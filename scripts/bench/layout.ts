/**
 * Layout changes between PyTorch's tensors and tfjs's, done outside the timed region: tfjs wants
 * channels last and its transposed-convolution filter as [kH, kW, C_out, C_in].
 */

type Shape4 = readonly [number, number, number, number];
type Axis = 0 | 1 | 2 | 3;

/** Copies a row-major 4-d array, as float32, so that axis i of the copy is axis `order[i]` of the source. */
function permute4(source: ArrayLike<number>, shape: Shape4, order: readonly [Axis, Axis, Axis, Axis]): { shape: Shape4; data: Float32Array } {
  const strides: Shape4 = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const [a0, a1, a2, a3] = order;
  const target: Shape4 = [shape[a0], shape[a1], shape[a2], shape[a3]];
  const [s0, s1, s2, s3] = [strides[a0], strides[a1], strides[a2], strides[a3]];
  const data = new Float32Array(source.length);
  let at = 0;
  for (let i0 = 0; i0 < target[0]; i0++) {
    for (let i1 = 0; i1 < target[1]; i1++) {
      for (let i2 = 0; i2 < target[2]; i2++) {
        const base = i0 * s0 + i1 * s1 + i2 * s2;
        for (let i3 = 0; i3 < target[3]; i3++) data[at++] = source[base + i3 * s3] as number;
      }
    }
  }
  return { shape: target, data };
}

/** NCHW → NHWC. */
export function channelsLast(data: ArrayLike<number>, nchw: Shape4): { shape: Shape4; data: Float32Array } {
  return permute4(data, nchw, [0, 2, 3, 1]);
}

/** NHWC → NCHW. */
export function channelsFirst(data: ArrayLike<number>, nhwc: Shape4): { shape: Shape4; data: Float32Array } {
  return permute4(data, nhwc, [0, 3, 1, 2]);
}

/** PyTorch's transposed-convolution weight [C_in, C_out, kH, kW] → tfjs's filter [kH, kW, C_out, C_in]. */
export function tfjsFilter(data: ArrayLike<number>, weight: Shape4): { shape: Shape4; data: Float32Array } {
  return permute4(data, weight, [2, 3, 1, 0]);
}
