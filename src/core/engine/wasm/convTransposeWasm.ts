/**
 * Runs a transposed convolution on the WebAssembly kernels: lays the call out in the instance's
 * memory (growing it as needed and reusing it across calls), copies the input and weight in, and
 * copies the output out into the caller's array (the gather kernel band by band, as it computes
 * them). Returns false when the call cannot run there (no WebAssembly, memory that cannot grow that
 * far, an index that would not fit 32 bits), having written nothing; the caller then runs the
 * TypeScript kernel, so every size limit and message stays the engine's own.
 */
import type { ConvInfo } from '../convInfo';
import { fillWithBias } from '../convTransposeKernels';
import type { KernelFormulation } from '../kernelPolicy';
import { transposedTaps } from '../taps';
import { ensureMemory, kernelInstance, releaseKernelInstance, type KernelExports } from './kernelModule';

/** The most memory a call may lay out: every byte offset then fits the kernels' 32-bit pointers with room to spare. */
const MAX_LAYOUT_BYTES = 2 ** 31;
/** Memory kept after a call is released beyond this, rather than held for the extension's lifetime. */
const RETAINED_BYTES = 256 * 2 ** 20;
/** Rows of `col` per block of the WebAssembly matrix product (BLOCK_ROWS in ./assembly/convTranspose.ts). */
const BLOCK_ROWS = 6;
/** Doubles of packed input one tile may hold: 16 KiB, with the weights' block, in the first-level cache. */
const TILE_VALUES = 2048;
/** Doubles per band of the gather kernel's output rows: 256 KiB, within the second-level cache. */
const BAND_VALUES = 32768;
/** Largest stride, dilation or tap offset the kernels' i32 arithmetic takes. */
const MAX_INT = 2 ** 30;

/** Byte offsets of one call's arrays in the instance's memory, each 16-byte aligned. */
interface Layout {
  readonly x: number;
  readonly w: number;
  /** The whole output (scatter, matrix product), or a band of its rows (gather). */
  readonly out: number;
  readonly taps: number;
  /** The matrix product's packed weights, inputs and `col`; the gather's bias. */
  readonly scratch: number;
  readonly end: number;
}

/** Whether WebAssembly kernels can be instantiated here. */
export function webAssemblyAvailable(): boolean {
  return kernelInstance() !== undefined;
}

/**
 * The call on the WebAssembly kernels, its result written over every value of `output` (the
 * output's length); false when it cannot run there.
 */
export function convTransposeWasm(
  info: ConvInfo,
  formulation: KernelFormulation,
  x: Float64Array,
  w: Float64Array,
  bias: Float64Array | undefined,
  output: Float64Array,
): boolean {
  const kernels = kernelInstance();
  if (kernels === undefined) return false;
  const taps = tapTables(info);
  if (taps === undefined) return false;
  const tileWidth = gemmTileWidth(info);
  const outLength = info.batch * info.outChannels * info.outHeight * info.outWidth;
  const bandRows = gatherBandRows(info);
  const [outValues, scratchValues] = formulation === 'gather' ? [bandRows * info.outWidth, info.outChannels] : [outLength, formulation === 'gemm' ? gemmScratch(info, tileWidth) : 0];
  const layout = planLayout(x.length, w.length, outValues, taps.length, scratchValues);
  if (layout.end > MAX_LAYOUT_BYTES || !ensureMemory(kernels, layout.end)) return false;

  // `output` is allocated by the caller before this work: a fresh output then reuses freed memory
  // far more often (measured: copying out into an array allocated afterwards page-faulted on ~400 of
  // its 512 pages per call for a 2 MiB output, most runs; allocated first, few runs did). Above
  // 32 MiB nothing helps in Node: glibc's calloc raises its mmap threshold to 32 MiB at most, so a
  // larger result is a fresh mapping every call and each page faults on its first write (measured
  // on the CI VM: 2049² float64 = 32.03 MiB, ~110 ms of faults against ~6 ms of computing); only a
  // caller's reused array (the `out` option) avoids that.
  const buffer = kernels.memory.buffer;
  new Float64Array(buffer, layout.x, x.length).set(x);
  new Float64Array(buffer, layout.w, w.length).set(w);
  new Int32Array(buffer, layout.taps, taps.length).set(taps);
  if (formulation === 'gather') {
    if (bias !== undefined) new Float64Array(buffer, layout.scratch, bias.length).set(bias);
    gatherInBands(kernels, info, layout, bias !== undefined, bandRows, output);
  } else {
    const out = new Float64Array(buffer, layout.out, outLength);
    if (bias === undefined) out.fill(0);
    else fillWithBias(out, info, bias);
    run(kernels, info, formulation, layout, tileWidth);
    output.set(out);
  }
  if (kernels.memory.buffer.byteLength > RETAINED_BYTES) releaseKernelInstance();
  return true;
}

/**
 * The gather kernel, one band of output rows at a time: each band is computed in the instance's
 * memory, small enough to stay in the second-level cache, and copied into `output` from there,
 * so that copy is the only time the result's memory is written.
 */
function gatherInBands(kernels: KernelExports, info: ConvInfo, layout: Layout, hasBias: boolean, bandRows: number, output: Float64Array): void {
  const rows = info.batch * info.outChannels * info.outHeight;
  const band = new Float64Array(kernels.memory.buffer, layout.out, bandRows * info.outWidth);
  for (let from = 0; from < rows; from += bandRows) {
    const to = Math.min(from + bandRows, rows);
    kernels.gatherRows(
      layout.x, layout.w, hasBias ? layout.scratch : 0, layout.out, layout.taps, from, to,
      info.inChannels, info.inHeight, info.inWidth, info.outChannels, info.outHeight, info.outWidth,
      info.inChannelsPerGroup, info.outChannelsPerGroup, info.kernelHeight, info.kernelWidth, info.strideHeight, info.strideWidth, info.dilationWidth,
    );
    output.set(to - from === bandRows ? band : band.subarray(0, (to - from) * info.outWidth), from * info.outWidth);
  }
}

/** Output rows per band of the gather kernel: as many as fit {@link BAND_VALUES}, at least one. */
function gatherBandRows(info: ConvInfo): number {
  const rows = info.batch * info.outChannels * info.outHeight;
  return Math.max(1, Math.min(rows, Math.floor(BAND_VALUES / Math.max(1, info.outWidth))));
}

function run(kernels: KernelExports, info: ConvInfo, formulation: Exclude<KernelFormulation, 'gather'>, layout: Layout, tileWidth: number): void {
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth, inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth } = info;
  if (formulation === 'gemm') {
    kernels.gemm(
      layout.x, layout.w, layout.out, layout.taps, layout.scratch,
      batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth,
      info.groups, inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, info.strideHeight, info.strideWidth, info.dilationWidth, tileWidth,
    );
  } else {
    kernels.scatter(
      layout.x, layout.w, layout.out, layout.taps,
      batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth,
      inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth, info.strideHeight, info.strideWidth, info.dilationWidth,
    );
  }
}

/**
 * The kernels' tap tables as i32: per kernel row the input rows `[lo, hi)` whose output row exists
 * and its offset, then the same per kernel column. Undefined when a stride, dilation or used offset
 * is too large for i32 arithmetic (only absurd layers; the TypeScript kernel takes them).
 */
function tapTables(info: ConvInfo): Int32Array | undefined {
  if (info.strideHeight > MAX_INT || info.strideWidth > MAX_INT || info.dilationWidth > MAX_INT) return undefined;
  const { rows, cols } = transposedTaps(info);
  const tables = new Int32Array(3 * (info.kernelHeight + info.kernelWidth));
  let at = 0;
  for (const ranges of [rows, cols]) {
    const taps = ranges.lo.length;
    for (let t = 0; t < taps; t++) {
      const used = (ranges.lo[t] as number) < (ranges.hi[t] as number);
      const offset = used ? (ranges.offset[t] as number) : 0;
      if (Math.abs(offset) > MAX_INT) return undefined;
      tables[at + t] = ranges.lo[t] as number;
      tables[at + taps + t] = ranges.hi[t] as number;
      tables[at + 2 * taps + t] = offset;
    }
    at += 3 * taps;
  }
  return tables;
}

/** Input columns per tile of the matrix product: a multiple of 4 whose packed inputs fit {@link TILE_VALUES}. */
function gemmTileWidth(info: ConvInfo): number {
  const fitting = Math.max(4, Math.floor(TILE_VALUES / info.inChannelsPerGroup / 4) * 4);
  return Math.min(fitting, Math.ceil(info.inWidth / 4) * 4);
}

/** Doubles of scratch the matrix product needs: the packed weights of one group, one tile of inputs, one block of `col`. */
function gemmScratch(info: ConvInfo, tileWidth: number): number {
  const blocks = Math.ceil((info.outChannelsPerGroup * info.kernelHeight * info.kernelWidth) / BLOCK_ROWS);
  return blocks * info.inChannelsPerGroup * BLOCK_ROWS + info.inChannelsPerGroup * tileWidth + BLOCK_ROWS * tileWidth;
}

function planLayout(xValues: number, wValues: number, outValues: number, tapValues: number, scratchValues: number): Layout {
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const x = 0;
  const w = align(x + 8 * xValues);
  const out = align(w + 8 * wValues);
  const taps = align(out + 8 * outValues);
  const scratch = align(taps + 4 * tapValues);
  return { x, w, out, taps, scratch, end: align(scratch + 8 * scratchValues) };
}
