/**
 * Transposed convolution (PyTorch's `F.conv_transpose1d/2d/3d`), in scatter form:
 * every input value, times the kernel, is added into its window of the output, windows `stride`
 * apart, overlapping where `dilation·(kernel_size − 1) + 1 > stride` (the checkerboard's cause).
 * `padding` then trims the full output's borders and `output_padding` extends its bottom/right:
 *
 *     H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
 *
 * Shapes and validation come from {@link convCallInfo}; the numbers are moved by the kernels
 * {@link chooseKernel} picks: WebAssembly where it runs, TypeScript everywhere (./convTransposeKernels.ts).
 * A 1-D layer runs as an image of height 1, a 3-D one as 2-D layers over its depth slices (./depthSlices.ts).
 */
import { convCallInfo, type ConvInfo } from './convInfo';
import { LayerError } from './errors';
import { convTransposeByDepth } from './depthSlices';
import type { ConvTranspose1dOptions, ConvTranspose2dOptions, ConvTranspose3dOptions, OutputBufferOption } from './options';
import { gatherKernel, gemmKernel, scatterKernel, type OutputBuffer } from './convTransposeKernels';
import { chooseKernel } from './kernelPolicy';
import { convTransposeWasm, webAssemblyAvailable } from './wasm/convTransposeWasm';
import { formatShape } from './layout';
import type { Tensor } from './tensor';

/**
 * `F.conv_transpose2d`. Input `[N, C_in, H, W]`, `[C_in, H, W]` or a matrix `[H, W]`; weight
 * `[C_in, C_out/groups, kH, kW]` (or `[kH, kW]` for a matrix). The output has the input's rank.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions & OutputBufferOption = {}): Tensor {
  return runConvTranspose('convTranspose2d', input, weight, options);
}

/** `F.conv_transpose1d`. Input `[N, C_in, L]` or `[C_in, L]`; weight `[C_in, C_out/groups, k]`. */
export function convTranspose1d(input: Tensor, weight: Tensor, options: ConvTranspose1dOptions & OutputBufferOption = {}): Tensor {
  return runConvTranspose('convTranspose1d', input, weight, options);
}

/** `F.conv_transpose3d`. Input `[N, C_in, D, H, W]` or `[C_in, D, H, W]`; weight `[C_in, C_out/groups, kD, kH, kW]`. */
export function convTranspose3d(input: Tensor, weight: Tensor, options: ConvTranspose3dOptions & OutputBufferOption = {}): Tensor {
  return runConvTranspose('convTranspose3d', input, weight, options);
}

function runConvTranspose(
  op: 'convTranspose2d' | 'convTranspose1d' | 'convTranspose3d',
  input: Tensor,
  weight: Tensor,
  options: (ConvTranspose2dOptions | ConvTranspose1dOptions | ConvTranspose3dOptions) & OutputBufferOption,
): Tensor {
  const info = convCallInfo(op, input, weight, options);
  const bias = options?.bias?.data;
  const given = options?.out;
  // A new array is allocated before the work: it then reuses freed memory far more often (see ./wasm/convTransposeWasm.ts).
  const out: OutputBuffer = given === undefined ? { data: new Float64Array(outputLength(info)), zeroed: true } : { data: checkedOut(op, info, given, [input.data, weight.data, bias]), zeroed: false };
  if (info.layout.spatialRank === 3) convTransposeByDepth(info, input.data, weight.data, bias, out.data, runSliceKernel);
  else runKernel(info, input.data, weight.data, bias, out);
  return { shape: info.outShape, data: out.data };
}

function outputLength(info: ConvInfo): number {
  return info.batch * info.outChannels * info.outDepth * info.outHeight * info.outWidth;
}

/** One depth slice's 2-D layer, into an array it overwrites. */
function runSliceKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, out: Float64Array): void {
  runKernel(info, x, w, bias, { data: out, zeroed: false });
}

/** The caller's output array, once it is known to fit the result and to overlap none of the operands. */
function checkedOut(op: string, info: ConvInfo, out: unknown, operands: readonly (Float64Array | undefined)[]): Float64Array {
  const length = outputLength(info);
  if (!(out instanceof Float64Array)) {
    throw new LayerError('invalid-parameter', `${op}: out must be a Float64Array of ${length} values (the output's shape ${formatShape(info.outShape)}), not ${describe(out)}`);
  }
  if (out.length !== length) {
    throw new LayerError('invalid-parameter', `${op}: out has ${out.length} values, but the output's shape ${formatShape(info.outShape)} holds ${length}`);
  }
  const names = ['input', 'weight', 'bias'];
  operands.forEach((operand, i) => {
    if (operand !== undefined && overlaps(out, operand)) {
      throw new LayerError('invalid-parameter', `${op}: out shares memory with the ${names[i]}; the result would overwrite values still to be read. Pass a separate array.`);
    }
  });
  return out;
}

/** Whether two typed arrays' bytes overlap (only possible over the same buffer). */
function overlaps(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer || a.length === 0 || b.length === 0) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Runs the kernel {@link chooseKernel} picks into `out`; a call WebAssembly cannot take runs in TypeScript. */
function runKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined, out: OutputBuffer): void {
  const { backend, formulation } = chooseKernel(info, webAssemblyAvailable());
  if (backend === 'webassembly' && convTransposeWasm(info, formulation, x, w, bias, out.data)) return;
  if (formulation === 'gemm') gemmKernel(info, x, w, bias, out);
  else if (formulation === 'gather') gatherKernel(info, x, w, bias, out);
  else scatterKernel(info, x, w, bias, out);
}

