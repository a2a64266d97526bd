/**
 * Which transposed-convolution kernel runs a call. By default ({@link AUTO_POLICY}) the engine
 * picks: WebAssembly when it could be instantiated and the call is large enough to repay copying
 * into its memory, else TypeScript; the matrix-product formulation when enough input channels feed
 * each output to reuse loaded values; else, for an output larger than the second-level cache, the
 * gather formulation (the scatter's additions, output row by output row, so the output is written
 * once), and the scatter formulation for smaller ones, where its extra passes over the output stay
 * in cache and its simpler loop wins. Tests force each combination through {@link withKernelPolicy}
 * to check every kernel on the same cases; nothing else should.
 */
import type { ConvInfo } from './convInfo';

export type KernelBackend = 'typescript' | 'webassembly';
export type KernelFormulation = 'scatter' | 'gather' | 'gemm';

/** What to run: `auto` leaves the choice to the engine; a forced backend still falls back to TypeScript where WebAssembly cannot run. */
export interface KernelPolicy {
  readonly backend: KernelBackend | 'auto';
  readonly formulation: KernelFormulation | 'auto';
}

/** A kernel: the backend and formulation a call runs with. */
export interface KernelChoice {
  readonly backend: KernelBackend;
  readonly formulation: KernelFormulation;
}

export const AUTO_POLICY: KernelPolicy = { backend: 'auto', formulation: 'auto' };

let policy: KernelPolicy = AUTO_POLICY;

/**
 * Below this many multiply-adds a call is cheaper in TypeScript: WebAssembly's fixed cost (memory
 * views, copies in and out) is about a microsecond, what the TypeScript kernels need for ~500.
 */
export const WASM_MIN_PRODUCTS = 2048;

/** Input channels per group from which the matrix product beats the scatter and the gather (fewer give it nothing to reuse). */
export const GEMM_MIN_DEPTH = 4;

/**
 * Output values from which the gather beats the scatter: 256 KiB of float64, about the
 * second-level cache. Larger outputs make the scatter's zeroing and its repeated passes over each
 * output row go to memory; smaller ones keep them in cache, and the gather's per-row work is
 * then what shows (measured: ~5% slower at 129×129, faster from 512×512).
 */
export const GATHER_MIN_OUTPUT = 32768;

/** Runs `body` with `forced` as the policy, restoring the previous one afterwards (tests only). */
export function withKernelPolicy<T>(forced: KernelPolicy, body: () => T): T {
  const previous = policy;
  policy = forced;
  try {
    return body();
  } finally {
    policy = previous;
  }
}

/** The multiply-adds a transposed convolution does: every input value times every tap of its group. */
export function productCount(info: ConvInfo): number {
  return info.batch * info.inChannels * info.inHeight * info.inWidth * info.outChannelsPerGroup * info.kernelHeight * info.kernelWidth;
}

/** The kernel the current policy picks for a call, given whether WebAssembly is available. */
export function chooseKernel(info: ConvInfo, wasmAvailable: boolean): KernelChoice {
  const formulation = policy.formulation !== 'auto' ? policy.formulation : autoFormulation(info);
  const wanted = policy.backend !== 'auto' ? policy.backend : productCount(info) >= WASM_MIN_PRODUCTS ? 'webassembly' : 'typescript';
  return { backend: wanted === 'webassembly' && wasmAvailable ? 'webassembly' : 'typescript', formulation };
}

function autoFormulation(info: ConvInfo): KernelFormulation {
  if (info.inChannelsPerGroup >= GEMM_MIN_DEPTH) return 'gemm';
  return info.batch * info.outChannels * info.outHeight * info.outWidth >= GATHER_MIN_OUTPUT ? 'gather' : 'scatter';
}
