/**
 * The count map of an upsampling method that is a composition of linear steps (resize then
 * convolve, convolve then shuffle, or a transposed convolution): how many products land in each
 * output cell, read off the composed linear map `y = A·x` itself rather than worked out per method.
 *
 * With every weight set to 1, `A[o, i] > 0` exactly when some path (an interpolation term times a
 * kernel tap) carries input `i` to output `o`, since every weight on the way is then ≥ 0 and none
 * can cancel. The count of `o` is the number of inputs with such a coefficient, each being one
 * product `A[o, i]·x[i]`; a coefficient under 1e-12 of the row's largest is float residue of an
 * interpolation weight that is exactly 0 or 1 (a factor 1/3 is not exact in binary) and does not
 * count. For a transposed convolution this is the number of (input, tap) pairs that land on `o`,
 * the overlap analysis's count. The count does not depend on the kernel's values, only its size.
 *
 * With a kernel of ones every one of these methods is separable, `A = A_rows ⊗ A_cols`, so
 * `count[o_h, o_w] = rowCount[o_h]·colCount[o_w]`. Each axis's map is found by running the method
 * on lines of ones: input row `i` all ones (every other row 0) gives `A_rows[:, i] ⊗ (A_cols·1)`,
 * whose sums along the columns are `A_rows[:, i]` times a positive number: column `i` of `A_rows`
 * up to scale, which is all the count needs. `A_rows` does not depend on the width, so those runs
 * use an input only a few columns wide (and the column runs one a few rows high): `H + W` runs on
 * `[H, 3]` and `[3, W]` inputs, so a 256×256 input costs as much as a few runs at full size.
 */
import { LayerError } from './errors';
import type { Pair } from './pairs';
import { tensor, type Tensor } from './tensor';

/** Runs the method on a matrix input with a weight of the method's layout, giving a matrix. */
export type MatrixMethod = (input: Tensor, weight: Tensor) => Tensor;

/** Coefficients under this fraction of their row's largest are float residue, not products. */
const RESIDUE = 1e-12;

/** The size of the other axis in one axis's runs: any positive size gives the same map up to scale. */
const ACROSS = 3;

/** `[H_out, W_out]`: products landing in each output cell of `method` on an `[H, W]` input, with a weight of ones shaped `weightShape`. */
export function composedCounts(method: MatrixMethod, inputSize: Pair, weightShape: readonly number[]): Tensor {
  const ones = tensor(weightShape, new Float64Array(weightShape.reduce((a, b) => a * b, 1)).fill(1));
  const rows = axisCounts(method, inputSize, ones, 'rows');
  const cols = axisCounts(method, inputSize, ones, 'cols');
  const data = new Float64Array(rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols.length; c++) data[r * cols.length + c] = (rows[r] as number) * (cols[c] as number);
  return tensor([rows.length, cols.length], data);
}

/** One axis: column `i` of its composed map, up to scale, from input line `i` of ones (see the module comment). */
function axisCounts(method: MatrixMethod, inputSize: Pair, ones: Tensor, axis: 'rows' | 'cols'): number[] {
  const across = axis === 'rows' ? inputSize[1] : inputSize[0];
  if (across > ACROSS) {
    // A narrow input can lose every output to cropping (a large padding): then the full size decides.
    try {
      const narrow = axisCountsAt(method, axis === 'rows' ? [inputSize[0], ACROSS] : [ACROSS, inputSize[1]], ones, axis);
      if (narrow.some((count) => count > 0)) return narrow;
    } catch (error) {
      if (!(error instanceof LayerError)) throw error;
    }
  }
  return axisCountsAt(method, inputSize, ones, axis);
}

/** The counts at one input size. */
function axisCountsAt(method: MatrixMethod, [height, width]: Pair, ones: Tensor, axis: 'rows' | 'cols'): number[] {
  const n = axis === 'rows' ? height : width;
  const columns: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const line = new Float64Array(height * width);
    if (axis === 'rows') line.fill(1, i * width, (i + 1) * width);
    else for (let r = 0; r < height; r++) line[r * width + i] = 1;
    const output = method(tensor([height, width], line), ones);
    const [outHeight, outWidth] = output.shape.slice(-2) as [number, number];
    const profile = new Float64Array(axis === 'rows' ? outHeight : outWidth);
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++) {
        const at = axis === 'rows' ? r : c;
        profile[at] = (profile[at] as number) + (output.data[r * outWidth + c] as number);
      }
    }
    columns.push(profile);
  }
  const outSize = columns[0]?.length ?? 0;
  const counts = new Array<number>(outSize).fill(0);
  for (let o = 0; o < outSize; o++) {
    let largest = 0;
    for (const column of columns) largest = Math.max(largest, column[o] as number);
    for (const column of columns) if ((column[o] as number) > RESIDUE * largest) counts[o] = (counts[o] as number) + 1;
  }
  return counts;
}
