/**
 * Transposed convolution (PyTorch's `F.conv_transpose2d` / `F.conv_transpose1d`), in scatter form:
 * every input value, times the kernel, is added into its window of the output, windows `stride`
 * apart, overlapping where `dilation·(kernel_size − 1) + 1 > stride` (the checkerboard's cause).
 * `padding` then trims the full output's borders and `output_padding` extends its bottom/right:
 *
 *     H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
 *
 * Shapes and validation come from {@link convCallInfo}; the numbers are moved by the kernels
 * {@link chooseKernel} picks: WebAssembly where it runs, TypeScript everywhere (./convTransposeKernels.ts).
 */
import { convCallInfo, type ConvInfo } from './convInfo';
import type { ConvTranspose1dOptions, ConvTranspose2dOptions } from './options';
import { gatherKernel, gemmKernel, scatterKernel } from './convTransposeKernels';
import { chooseKernel } from './kernelPolicy';
import { convTransposeWasm, webAssemblyAvailable } from './wasm/convTransposeWasm';
import type { Tensor } from './tensor';

/**
 * `F.conv_transpose2d`. Input `[N, C_in, H, W]`, `[C_in, H, W]` or a matrix `[H, W]`; weight
 * `[C_in, C_out/groups, kH, kW]` (or `[kH, kW]` for a matrix). The output has the input's rank.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}): Tensor {
  return runConvTranspose('convTranspose2d', input, weight, options);
}

/** `F.conv_transpose1d`. Input `[N, C_in, L]` or `[C_in, L]`; weight `[C_in, C_out/groups, k]`. */
export function convTranspose1d(input: Tensor, weight: Tensor, options: ConvTranspose1dOptions = {}): Tensor {
  return runConvTranspose('convTranspose1d', input, weight, options);
}

function runConvTranspose(
  op: 'convTranspose2d' | 'convTranspose1d',
  input: Tensor,
  weight: Tensor,
  options: ConvTranspose2dOptions | ConvTranspose1dOptions,
): Tensor {
  const info = convCallInfo(op, input, weight, options);
  return { shape: info.outShape, data: runKernel(info, input.data, weight.data, options?.bias?.data) };
}

/** Runs the kernel {@link chooseKernel} picks; a call WebAssembly cannot take runs in TypeScript. */
function runKernel(info: ConvInfo, x: Float64Array, w: Float64Array, bias: Float64Array | undefined): Float64Array {
  const { backend, formulation } = chooseKernel(info, webAssemblyAvailable());
  if (backend === 'webassembly') {
    const out = convTransposeWasm(info, formulation, x, w, bias);
    if (out !== undefined) return out;
  }
  if (formulation === 'gemm') return gemmKernel(info, x, w, bias);
  return formulation === 'gather' ? gatherKernel(info, x, w, bias) : scatterKernel(info, x, w, bias);
}

