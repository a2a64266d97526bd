// The transposed-convolution kernels in WebAssembly (AssemblyScript, compiled by scripts/build.mjs
// with SIMD enabled): float64 throughout, the same three formulations as the TypeScript kernels in
// src/core/engine/convTransposeKernels.ts, which are their reference. Every product whose output
// position exists is added (none is skipped for being zero), so NaN and infinities spread as in
// PyTorch.
//
// Nothing here allocates: the TypeScript side (src/core/engine/wasm/convTransposeWasm.ts) lays out the
// memory, and every pointer argument is a byte offset it chose. Sizes are element counts.
//
// `taps` points at six i32 tables: for each kernel row kh, the input rows [rowLo, rowHi) whose
// output row ih·strideH + rowOffset exists; then the same per kernel column kw for input columns.

const F64: i32 = 8;
/** Rows of `col` the matrix product computes per block: 6 rows × 4 columns is 12 f64x2 accumulators. */
const BLOCK_ROWS: i32 = 6;

@inline function tapTable(taps: usize, table: i32, kernelHeight: i32, kernelWidth: i32, index: i32): i32 {
  // Tables 0–2 have kernelHeight entries (rows), tables 3–5 kernelWidth entries (columns).
  const start = table < 3 ? table * kernelHeight : 3 * kernelHeight + (table - 3) * kernelWidth;
  return load<i32>(taps + (<usize>(start + index) << 2));
}

/**
 * `out[o + k·step] += src[i] · scale` for `count` values: stride 1 in f64x2 lanes, strides 2 and
 * more one value at a time (the stores are not adjacent).
 */
@inline function addScaledRow(out: usize, step: i32, src: usize, count: i32, scale: f64): void {
  if (step == 1) {
    const s = f64x2.splat(scale);
    let i = 0;
    for (; i + 2 <= count; i += 2) {
      const at = out + (<usize>i << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.mul(v128.load(src + (<usize>i << 3)), s)));
    }
    if (i < count) {
      const at = out + (<usize>i << 3);
      store<f64>(at, load<f64>(at) + load<f64>(src + (<usize>i << 3)) * scale);
    }
  } else {
    const stride = <usize>step << 3;
    let o = out;
    for (let i = 0; i < count; i++, o += stride) store<f64>(o, load<f64>(o) + load<f64>(src + (<usize>i << 3)) * scale);
  }
}

/**
 * Stride 2, dilation 1: taps kw and kw + 1 land on adjacent output columns, so one f64x2
 * `out[2i + c .. 2i + c + 1] += x[i] · (w[kw], w[kw + 1])` adds both, for the input columns where
 * both land inside the output.
 */
@inline function addTapPair(out: usize, src: usize, count: i32, pair: v128): void {
  for (let i = 0; i < count; i++) {
    const at = out + (<usize>i << 4);
    v128.store(at, f64x2.add(v128.load(at), f64x2.mul(v128.load64_splat(src + (<usize>i << 3)), pair)));
  }
}

/**
 * Stride 2, dilation 1, for two rows of `col` that are taps kw and kw + 1: interleaved, they are
 * adjacent output columns, `out[2i + c] += a[i]` and `out[2i + c + 1] += b[i]`, two columns per f64x2.
 */
@inline function addRowPair(out: usize, a: usize, b: usize, count: i32): void {
  let i = 0;
  for (; i + 2 <= count; i += 2) {
    const from = <usize>i << 3;
    const at = out + (<usize>i << 4);
    const left = v128.load(a + from);
    const right = v128.load(b + from);
    v128.store(at, f64x2.add(v128.load(at), v128.shuffle<f64>(left, right, 0, 2)));
    v128.store(at, f64x2.add(v128.load(at, 16), v128.shuffle<f64>(left, right, 1, 3)), 16);
  }
  if (i < count) {
    const at = out + (<usize>i << 4);
    v128.store(at, f64x2.add(v128.load(at), f64x2(load<f64>(a + (<usize>i << 3)), load<f64>(b + (<usize>i << 3)))));
  }
}

/** The address of output column `offset + 2·iw` in a stride-2 row. */
@inline function columnAt(outRow: usize, offset: i32, iw: i32): usize {
  return outRow + (<usize>(offset + iw * 2) << 3);
}

/**
 * One input row times one kernel row, scattered into one output row: for each tap kw, the input
 * columns [colLo, colHi) land at outRow + colOffset + iw·strideW.
 */
function scatterRow(outRow: usize, xRow: usize, wRow: usize, taps: usize, kernelHeight: i32, kernelWidth: i32, strideW: i32, dilationW: i32): void {
  let kw = 0;
  while (kw < kernelWidth) {
    const lo = tapTable(taps, 3, kernelHeight, kernelWidth, kw);
    const hi = tapTable(taps, 4, kernelHeight, kernelWidth, kw);
    const offset = tapTable(taps, 5, kernelHeight, kernelWidth, kw);
    if (strideW == 2 && dilationW == 1 && kw + 1 < kernelWidth) {
      const lo2 = tapTable(taps, 3, kernelHeight, kernelWidth, kw + 1);
      const hi2 = tapTable(taps, 4, kernelHeight, kernelWidth, kw + 1);
      const bothLo = max(lo, lo2);
      const bothHi = min(hi, hi2);
      if (bothLo < bothHi) {
        const tap = load<f64>(wRow + (<usize>kw << 3));
        const tap2 = load<f64>(wRow + (<usize>(kw + 1) << 3));
        addTapPair(columnAt(outRow, offset, bothLo), xRow + (<usize>bothLo << 3), bothHi - bothLo, f64x2(tap, tap2));
        // The columns where only one of the two lands (at the row's ends).
        if (lo < bothLo) addScaledRow(columnAt(outRow, offset, lo), 2, xRow + (<usize>lo << 3), bothLo - lo, tap);
        if (bothHi < hi) addScaledRow(columnAt(outRow, offset, bothHi), 2, xRow + (<usize>bothHi << 3), hi - bothHi, tap);
        if (lo2 < bothLo) addScaledRow(columnAt(outRow, offset + 1, lo2), 2, xRow + (<usize>lo2 << 3), bothLo - lo2, tap2);
        if (bothHi < hi2) addScaledRow(columnAt(outRow, offset + 1, bothHi), 2, xRow + (<usize>bothHi << 3), hi2 - bothHi, tap2);
        kw += 2;
        continue;
      }
    }
    if (lo < hi) {
      const tap = load<f64>(wRow + (<usize>kw << 3));
      addScaledRow(outRow + (<usize>(offset + lo * strideW) << 3), strideW, xRow + (<usize>lo << 3), hi - lo, tap);
    }
    kw += 1;
  }
}

/** The scatter kernel: every input row, times each kernel row, scattered into the output rows it reaches. */
export function scatter(
  x: usize, w: usize, out: usize, taps: usize,
  batch: i32, inChannels: i32, inHeight: i32, inWidth: i32, outChannels: i32, outHeight: i32, outWidth: i32,
  inPerGroup: i32, outPerGroup: i32, kernelHeight: i32, kernelWidth: i32, strideH: i32, strideW: i32, dilationW: i32,
): void {
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const kernelPlane = kernelHeight * kernelWidth;
  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < outChannels; oc++) {
      const group = oc / outPerGroup;
      const ocInGroup = oc - group * outPerGroup;
      const outBase = (n * outChannels + oc) * outPlane;
      for (let icInGroup = 0; icInGroup < inPerGroup; icInGroup++) {
        const ic = group * inPerGroup + icInGroup;
        const inBase = (n * inChannels + ic) * inPlane;
        const weightBase = (ic * outPerGroup + ocInGroup) * kernelPlane;
        for (let ih = 0; ih < inHeight; ih++) {
          const xRow = x + (<usize>(inBase + ih * inWidth) << 3);
          for (let kh = 0; kh < kernelHeight; kh++) {
            if (ih < tapTable(taps, 0, kernelHeight, kernelWidth, kh) || ih >= tapTable(taps, 1, kernelHeight, kernelWidth, kh)) continue;
            const outRow = out + (<usize>(outBase + (ih * strideH + tapTable(taps, 2, kernelHeight, kernelWidth, kh)) * outWidth) << 3);
            scatterRow(outRow, xRow, w + (<usize>(weightBase + kh * kernelWidth) << 3), taps, kernelHeight, kernelWidth, strideW, dilationW);
          }
        }
      }
    }
  }
}

/**
 * One group's weights `w[ic, oc, kh, kw]` as the left matrix of the product (row `(oc, kh, kw)`,
 * column `ic`), packed so that a block's {@link BLOCK_ROWS} values for one `ic` are adjacent:
 * `packed[(block·depth + ic)·BLOCK_ROWS + r]`. Rows past the last are zero.
 */
function packWeights(w: usize, packed: usize, group: i32, depth: i32, colRows: i32, blocks: i32): void {
  memory.fill(packed, 0, <usize>(blocks * depth * BLOCK_ROWS) << 3);
  for (let ic = 0; ic < depth; ic++) {
    const from = w + (<usize>((group * depth + ic) * colRows) << 3);
    for (let row = 0; row < colRows; row++) {
      const block = row / BLOCK_ROWS;
      const at = (block * depth + ic) * BLOCK_ROWS + (row - block * BLOCK_ROWS);
      store<f64>(packed + (<usize>at << 3), load<f64>(from + (<usize>row << 3)));
    }
  }
}

/** Copies `width` columns from `depth` input rows, `inPlane` apart, into `b[k·tileWidth + j]`; columns past `width` are zero. */
function packInputs(xRow: usize, inPlane: i32, depth: i32, width: i32, tileWidth: i32, b: usize): void {
  for (let k = 0; k < depth; k++) {
    const to = b + (<usize>(k * tileWidth) << 3);
    memory.copy(to, xRow + (<usize>(k * inPlane) << 3), <usize>width << 3);
    if (width < tileWidth) memory.fill(to + (<usize>width << 3), 0, <usize>(tileWidth - width) << 3);
  }
}

/**
 * `col[r, j] = Σ_k a[k, r] · b[k, j]` for the {@link BLOCK_ROWS} rows of one packed block `a` and
 * the `tileWidth` (a multiple of 4) columns of `b`: 6 × 4 at a time in twelve f64x2 accumulators,
 * so each loaded weight serves four products and each pair of input values six.
 */
function multiplyBlock(col: usize, a: usize, b: usize, depth: i32, tileWidth: i32): void {
  const rowBytes = <usize>tileWidth << 3;
  for (let j = 0; j < tileWidth; j += 4) {
    let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
    let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
    let c40 = f64x2.splat(0), c41 = f64x2.splat(0), c50 = f64x2.splat(0), c51 = f64x2.splat(0);
    let ak = a;
    let bk = b + (<usize>j << 3);
    for (let k = 0; k < depth; k++, ak += BLOCK_ROWS * F64, bk += rowBytes) {
      const b0 = v128.load(bk);
      const b1 = v128.load(bk, 16);
      let s = v128.load64_splat(ak);
      c00 = f64x2.add(c00, f64x2.mul(s, b0)); c01 = f64x2.add(c01, f64x2.mul(s, b1));
      s = v128.load64_splat(ak, 8);
      c10 = f64x2.add(c10, f64x2.mul(s, b0)); c11 = f64x2.add(c11, f64x2.mul(s, b1));
      s = v128.load64_splat(ak, 16);
      c20 = f64x2.add(c20, f64x2.mul(s, b0)); c21 = f64x2.add(c21, f64x2.mul(s, b1));
      s = v128.load64_splat(ak, 24);
      c30 = f64x2.add(c30, f64x2.mul(s, b0)); c31 = f64x2.add(c31, f64x2.mul(s, b1));
      s = v128.load64_splat(ak, 32);
      c40 = f64x2.add(c40, f64x2.mul(s, b0)); c41 = f64x2.add(c41, f64x2.mul(s, b1));
      s = v128.load64_splat(ak, 40);
      c50 = f64x2.add(c50, f64x2.mul(s, b0)); c51 = f64x2.add(c51, f64x2.mul(s, b1));
    }
    const at = col + (<usize>j << 3);
    v128.store(at, c00); v128.store(at, c01, 16);
    v128.store(at + rowBytes, c10); v128.store(at + rowBytes, c11, 16);
    v128.store(at + 2 * rowBytes, c20); v128.store(at + 2 * rowBytes, c21, 16);
    v128.store(at + 3 * rowBytes, c30); v128.store(at + 3 * rowBytes, c31, 16);
    v128.store(at + 4 * rowBytes, c40); v128.store(at + 4 * rowBytes, c41, 16);
    v128.store(at + 5 * rowBytes, c50); v128.store(at + 5 * rowBytes, c51, 16);
  }
}

/**
 * The matrix-product kernel. Per group, image, input row and tile of `tileWidth` input columns:
 * the tile of every input channel is packed into `b`, multiplied block by block with the packed
 * weights into `col`, and each block's rows (taps (kh, kw) of output channels) are added into the
 * output rows they land on (col2im) while still in the first-level cache.
 * `scratch` holds the packed weights, then `b`, then `col`; the TypeScript side sized it.
 */
export function gemm(
  x: usize, w: usize, out: usize, taps: usize, scratch: usize,
  batch: i32, inChannels: i32, inHeight: i32, inWidth: i32, outChannels: i32, outHeight: i32, outWidth: i32,
  groups: i32, inPerGroup: i32, outPerGroup: i32, kernelHeight: i32, kernelWidth: i32, strideH: i32, strideW: i32, dilationW: i32, tileWidth: i32,
): void {
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const kernelPlane = kernelHeight * kernelWidth;
  const colRows = outPerGroup * kernelPlane;
  const blocks = (colRows + BLOCK_ROWS - 1) / BLOCK_ROWS;
  const packed = scratch;
  const b = packed + (<usize>(blocks * inPerGroup * BLOCK_ROWS) << 3);
  const col = b + (<usize>(inPerGroup * tileWidth) << 3);
  const colRowBytes = <usize>tileWidth << 3;

  for (let group = 0; group < groups; group++) {
    packWeights(w, packed, group, inPerGroup, colRows, blocks);
    for (let n = 0; n < batch; n++) {
      const inBase = (n * inChannels + group * inPerGroup) * inPlane;
      const outBase = (n * outChannels + group * outPerGroup) * outPlane;
      for (let ih = 0; ih < inHeight; ih++) {
        for (let tile = 0; tile < inWidth; tile += tileWidth) {
          const width = min(tileWidth, inWidth - tile);
          packInputs(x + (<usize>(inBase + ih * inWidth + tile) << 3), inPlane, inPerGroup, width, tileWidth, b);
          for (let block = 0; block < blocks; block++) {
            multiplyBlock(col, packed + (<usize>(block * inPerGroup * BLOCK_ROWS) << 3), b, inPerGroup, tileWidth);
            const firstRow = block * BLOCK_ROWS;
            const lastRow = min(firstRow + BLOCK_ROWS, colRows);
            let row = firstRow;
            while (row < lastRow) {
              const ocInGroup = row / kernelPlane;
              const tap = row - ocInGroup * kernelPlane;
              const kh = tap / kernelWidth;
              const kw = tap - kh * kernelWidth;
              if (ih < tapTable(taps, 0, kernelHeight, kernelWidth, kh) || ih >= tapTable(taps, 1, kernelHeight, kernelWidth, kh)) {
                row++;
                continue;
              }
              const outRow = out + (<usize>(outBase + ocInGroup * outPlane + (ih * strideH + tapTable(taps, 2, kernelHeight, kernelWidth, kh)) * outWidth) << 3);
              // Column iw of the tile is at colRow + (iw − tile)·8; pointers below start there, minus the tile.
              const colRow = col + <usize>(row - firstRow) * colRowBytes - (<usize>tile << 3);
              // The tile's columns [tile, tile + width) that tap kw lands inside the output.
              const lo = max(tapTable(taps, 3, kernelHeight, kernelWidth, kw), tile);
              const hi = min(tapTable(taps, 4, kernelHeight, kernelWidth, kw), tile + width);
              const offset = tapTable(taps, 5, kernelHeight, kernelWidth, kw);
              if (strideW == 2 && dilationW == 1 && kw + 1 < kernelWidth && row + 1 < lastRow) {
                const lo2 = max(tapTable(taps, 3, kernelHeight, kernelWidth, kw + 1), tile);
                const hi2 = min(tapTable(taps, 4, kernelHeight, kernelWidth, kw + 1), tile + width);
                const colRow2 = colRow + colRowBytes;
                const bothLo = max(lo, lo2);
                const bothHi = min(hi, hi2);
                if (bothLo < bothHi) {
                  addRowPair(columnAt(outRow, offset, bothLo), colRow + (<usize>bothLo << 3), colRow2 + (<usize>bothLo << 3), bothHi - bothLo);
                  // The columns where only one of the two lands (at the row's ends).
                  if (lo < bothLo) addScaledRow(columnAt(outRow, offset, lo), 2, colRow + (<usize>lo << 3), bothLo - lo, 1.0);
                  if (bothHi < hi) addScaledRow(columnAt(outRow, offset, bothHi), 2, colRow + (<usize>bothHi << 3), hi - bothHi, 1.0);
                  if (lo2 < bothLo) addScaledRow(columnAt(outRow, offset + 1, lo2), 2, colRow2 + (<usize>lo2 << 3), bothLo - lo2, 1.0);
                  if (bothHi < hi2) addScaledRow(columnAt(outRow, offset + 1, bothHi), 2, colRow2 + (<usize>bothHi << 3), hi2 - bothHi, 1.0);
                  row += 2;
                  continue;
                }
              }
              if (lo < hi) addScaledRow(outRow + (<usize>(offset + lo * strideW) << 3), strideW, colRow + (<usize>lo << 3), hi - lo, 1.0);
              row++;
            }
          }
        }
      }
    }
  }
}

/** `count` values at `at` set to `value`, two per f64x2 store. */
@inline function fillRow(at: usize, count: i32, value: f64): void {
  const v = f64x2.splat(value);
  let i = 0;
  for (; i + 2 <= count; i += 2) v128.store(at + (<usize>i << 3), v);
  if (i < count) store<f64>(at + (<usize>i << 3), value);
}

/**
 * The gather kernel: output rows `[rowFrom, rowTo)` of the flattened `[N, C_out, H_out]` rows,
 * written to `band` one after another. Each row starts as its channel's bias (`bias` is 0 when
 * there is none) and every (input channel, kernel row) whose taps land on it is added while the
 * row is in the first-level cache, so the result is written once, by the copy out of `band`,
 * instead of being zeroed, added into in memory and copied. Kernel rows run from the last to the
 * first, so the input rows, and each output value's sum, come in the scatter kernel's order.
 */
export function gatherRows(
  x: usize, w: usize, bias: usize, band: usize, taps: usize, rowFrom: i32, rowTo: i32,
  inChannels: i32, inHeight: i32, inWidth: i32, outChannels: i32, outHeight: i32, outWidth: i32,
  inPerGroup: i32, outPerGroup: i32, kernelHeight: i32, kernelWidth: i32, strideH: i32, strideW: i32, dilationW: i32,
): void {
  const inPlane = inHeight * inWidth;
  const kernelPlane = kernelHeight * kernelWidth;
  const rowBytes = <usize>outWidth << 3;
  let outRow = band;
  for (let r = rowFrom; r < rowTo; r++, outRow += rowBytes) {
    const plane = r / outHeight;
    const oh = r - plane * outHeight;
    const n = plane / outChannels;
    const oc = plane - n * outChannels;
    const group = oc / outPerGroup;
    const ocInGroup = oc - group * outPerGroup;
    fillRow(outRow, outWidth, bias == 0 ? 0.0 : load<f64>(bias + (<usize>oc << 3)));
    for (let icInGroup = 0; icInGroup < inPerGroup; icInGroup++) {
      const ic = group * inPerGroup + icInGroup;
      const inBase = (n * inChannels + ic) * inPlane;
      const weightBase = (ic * outPerGroup + ocInGroup) * kernelPlane;
      for (let kh = kernelHeight - 1; kh >= 0; kh--) {
        // Input row ih reaches output row oh through kernel row kh when ih·strideH + rowOffset = oh.
        const reach = oh - tapTable(taps, 2, kernelHeight, kernelWidth, kh);
        if (reach < 0 || reach % strideH != 0) continue;
        const ih = reach / strideH;
        if (ih < tapTable(taps, 0, kernelHeight, kernelWidth, kh) || ih >= tapTable(taps, 1, kernelHeight, kernelWidth, kh)) continue;
        const xRow = x + (<usize>(inBase + ih * inWidth) << 3);
        scatterRow(outRow, xRow, w + (<usize>(weightBase + kh * kernelWidth) << 3), taps, kernelHeight, kernelWidth, strideW, dilationW);
      }
    }
  }
}
