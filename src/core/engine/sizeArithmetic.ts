/**
 * The output-size formulas of windowed layers written once, over any arithmetic of sizes: plain
 * numbers for the engine, and the symbolic sizes of the model reader (`⌊(H + 1)/2⌋`), so a layer's
 * size in a formula and its size in numbers can never disagree.
 *
 *     window (convolution, pooling): ⌊(size + pad_before + pad_after − dilation·(kernel − 1) − 1) / stride⌋ + 1
 *     transposed convolution:        (size − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1
 */

/** What the formulas need of a size: adding an integer, multiplying by one, floor division by a positive one. */
export interface SizeArithmetic<T> {
  plus(a: T, n: number): T;
  times(a: T, n: number): T;
  floorDiv(a: T, n: number): T;
}

export const NUMBER_SIZES: SizeArithmetic<number> = {
  plus: (a, n) => a + n,
  times: (a, n) => a * n,
  floorDiv: (a, n) => Math.floor(a / n),
};

export interface WindowAxis {
  readonly kernel: number;
  readonly stride: number;
  readonly padBefore: number;
  readonly padAfter: number;
  readonly dilation: number;
}

/** A convolution's or a pooling window's output size (PyTorch's `Conv2d` docs; pooling without ceil mode). */
export function windowOutputSize<T>(ar: SizeArithmetic<T>, size: T, axis: WindowAxis): T {
  const { kernel, stride, padBefore, padAfter, dilation } = axis;
  return ar.plus(ar.floorDiv(ar.plus(size, padBefore + padAfter - dilation * (kernel - 1) - 1), stride), 1);
}

/** A transposed convolution's output size (PyTorch's `ConvTranspose2d` docs). */
export function transposedOutputSize<T>(ar: SizeArithmetic<T>, size: T, axis: WindowAxis & { readonly outputPadding: number }): T {
  const { kernel, stride, padBefore, dilation, outputPadding } = axis;
  return ar.plus(ar.times(ar.plus(size, -1), stride), -2 * padBefore + dilation * (kernel - 1) + outputPadding + 1);
}
