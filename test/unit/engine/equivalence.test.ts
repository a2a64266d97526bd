import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  conv2d,
  convTranspose2d,
  convTransposeAsConv,
  convTransposeAsMatrix,
  MAX_CONV_MATRIX_ENTRIES,
  type ConvTranspose2dOptions,
  type Tensor,
} from '../../../src/core/engine/index';
import { assertLayerError, assertTensor, ones2x2, t, textbookInput } from './helpers';

const abs = (x: Tensor): Tensor => ({ shape: x.shape, data: x.data.map(Math.abs) });

/** Same shape; values within 1e-12 of the products' magnitudes (|x| ⋆ |w|), which bounds any reordering of the sum. */
function assertClose(got: Tensor, want: Tensor, scale: Tensor): void {
  assert.deepEqual([...got.shape], [...want.shape]);
  want.data.forEach((value, i) => {
    const bound = 1e-12 * Math.max(scale.data[i] as number, 1e-300);
    assert.ok(Math.abs((got.data[i] as number) - value) <= bound, `value ${i}: ${got.data[i]} vs ${value}`);
  });
}

describe('convTransposeAsConv (zero insertion + padding + stride-1 convolution)', () => {
  it('input=[[1,2],[3,4]] k=2 s=1: pad 1 all round, the flipped kernel of ones, the textbook output', () => {
    const r = convTransposeAsConv(textbookInput, ones2x2);
    assertTensor(r.zeroInserted, [2, 2], [[1, 2], [3, 4]]);
    assertTensor(r.padded, [4, 4], [[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]]);
    assertTensor(r.flippedKernel, [2, 2], [[1, 1], [1, 1]]);
    assertTensor(r.output, [3, 3], [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
    assert.deepEqual(r.rows.before, { kind: 'pad', amount: 1 });
    assert.equal(r.rows.explanation, 'rows: no zeros between inputs (stride 1); pad 1 row at the top (dilation·(k − 1) − padding = 1·(2 − 1) − 0 = 1); pad 1 row at the bottom (the same, 1)');
  });

  it('input=2x2 k=3 s=2: one zero between inputs, pad 2, the kernel turned half a turn', () => {
    const kernel = t([3, 3], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const r = convTransposeAsConv(textbookInput, kernel, { stride: 2 });
    assertTensor(r.zeroInserted, [3, 3], [[1, 0, 2], [0, 0, 0], [3, 0, 4]]);
    assert.deepEqual(r.padded.shape, [7, 7]);
    assertTensor(r.flippedKernel, [3, 3], [[9, 8, 7], [6, 5, 4], [3, 2, 1]]);
    assertTensor(r.output, [5, 5], [...convTranspose2d(textbookInput, kernel, { stride: 2 }).data]);
    assert.match(r.cols.explanation, /^columns: 1 zero between neighbouring inputs \(stride 2\); pad 2 columns at the left/);
  });

  it('input=4x4 k=2 s=1 p=2: padding beyond the kernel’s reach crops the input instead', () => {
    const input = t([4, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const r = convTransposeAsConv(input, ones2x2, { padding: 2 });
    assert.deepEqual(r.rows.before, { kind: 'crop', amount: 1 });
    assert.deepEqual(r.rows.after, { kind: 'crop', amount: 1 });
    assertTensor(r.padded, [2, 2], [[6, 7], [10, 11]]);
    assertTensor(r.output, [1, 1], [34]);
    assertTensor(r.output, [1, 1], [...convTranspose2d(input, ones2x2, { padding: 2 }).data]);
    assert.match(r.rows.explanation, /crop 1 row from the top instead: dilation·\(k − 1\) − padding = 1·\(2 − 1\) − 2 = -1 is negative, because padding 2 reaches past dilation·\(k − 1\) = 1/);
  });

  it('input=3x3 k=1 s=2 p=1 op=1: crop 1 at the top, output_padding brings the bottom back to 0', () => {
    const input = t([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = convTransposeAsConv(input, t([1, 1], [2]), { stride: 2, padding: 1, outputPadding: 1 });
    assert.deepEqual([r.rows.before, r.rows.after], [{ kind: 'crop', amount: 1 }, { kind: 'pad', amount: 0 }]);
    assert.deepEqual(r.output.shape, [4, 4]);
    assertTensor(r.output, [4, 4], [...convTranspose2d(input, t([1, 1], [2]), { stride: 2, padding: 1, outputPadding: 1 }).data]);
  });

  it('[C_in=2] groups=2 with dilation and bias: the channel axes swap within each group', () => {
    const weight = t([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const r = convTransposeAsConv(t([2, 1, 2], [1, 2, 3, 4]), weight, { groups: 2, dilation: 2, bias: t([4], [1, 2, 3, 4]) });
    // w'[g·2 + o, i, 0, k] = w[g·1 + i, o, 0, 1 − k]
    assertTensor(r.flippedKernel, [4, 1, 1, 2], [2, 1, 4, 3, 6, 5, 8, 7]);
    assert.deepEqual(r.convOptions, { dilation: [2, 2], groups: 2 });
  });
});

describe('convTransposeAsMatrix (Cᵀ·vec(x))', () => {
  it('input=[[1,2],[3,4]] k=2 s=1: C is 4 × 9, each row the window one input cell paints', () => {
    const r = convTransposeAsMatrix(textbookInput, ones2x2);
    assertTensor(r.matrix, [4, 9], [
      [1, 1, 0, 1, 1, 0, 0, 0, 0],
      [0, 1, 1, 0, 1, 1, 0, 0, 0],
      [0, 0, 0, 1, 1, 0, 1, 1, 0],
      [0, 0, 0, 0, 1, 1, 0, 1, 1],
    ]);
    assertTensor(r.output, [3, 3], [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
  });

  it(`refuses a matrix of more than ${MAX_CONV_MATRIX_ENTRIES} entries with 'too-large'`, () => {
    const input = { shape: [40, 40], data: new Float64Array(1600) };
    assertLayerError(() => convTransposeAsMatrix(input, ones2x2), 'too-large', /1600 × 1681 = 2689600 entries, more than the 1048576/);
  });
});

describe('equivalence properties', () => {
  const values = (count: number) => fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: count, maxLength: count }).map((v) => Float64Array.from(v));
  const layer = fc
    .record({
      batch: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 2 }),
      inPerGroup: fc.integer({ min: 1, max: 2 }),
      outPerGroup: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 1, max: 5 }),
      w: fc.integer({ min: 1, max: 5 }),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }),
      sw: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 3 }),
      p: fc.integer({ min: 0, max: 3 }),
      op: fc.integer({ min: 0, max: 2 }),
      withBias: fc.boolean(),
    })
    .filter((c) => c.op < Math.max(Math.min(c.sh, c.sw), c.d) && (c.h - 1) * c.sh - 2 * c.p + c.d * (c.kh - 1) + c.op >= 0 && (c.w - 1) * c.sw - 2 * c.p + c.d * (c.kw - 1) + c.op >= 0)
    .chain((c) => {
      const cin = c.groups * c.inPerGroup;
      const cout = c.groups * c.outPerGroup;
      return fc.tuple(values(c.batch * cin * c.h * c.w), values(cin * c.outPerGroup * c.kh * c.kw), values(cout)).map(([x, w, b]) => ({
        input: { shape: [c.batch, cin, c.h, c.w], data: x } as Tensor,
        weight: { shape: [cin, c.outPerGroup, c.kh, c.kw], data: w } as Tensor,
        options: { stride: [c.sh, c.sw], dilation: c.d, padding: c.p, outputPadding: c.op, groups: c.groups, ...(c.withBias ? { bias: { shape: [cout], data: b } } : {}) } as ConvTranspose2dOptions,
      }));
    });
  const scaleOf = (input: Tensor, weight: Tensor, options: ConvTranspose2dOptions) =>
    convTranspose2d(abs(input), abs(weight), { ...options, ...(options.bias ? { bias: abs(options.bias) } : {}) });

  it('zero insertion + padding + flipped stride-1 convolution equals convTranspose2d: shape exactly, values to 1e-12', () => {
    fc.assert(
      fc.property(layer, ({ input, weight, options }) => {
        const r = convTransposeAsConv(input, weight, options);
        assertClose(r.output, convTranspose2d(input, weight, options), scaleOf(input, weight, options));
        const [, , zh, zw] = r.zeroInserted.shape as [number, number, number, number];
        assert.deepEqual([zh, zw], [((input.shape[2] as number) - 1) * ((options.stride as [number, number])[0]) + 1, ((input.shape[3] as number) - 1) * ((options.stride as [number, number])[1]) + 1]);
      }),
      { numRuns: 300 },
    );
  });

  it('Cᵀ·vec(x) equals convTranspose2d, and C·vec(y) is the convolution with the same parameters', () => {
    fc.assert(
      fc.property(layer, fc.integer(), ({ input, weight, options }, seed) => {
        const r = convTransposeAsMatrix(input, weight, options);
        assertClose(r.output, convTranspose2d(input, weight, options), scaleOf(input, weight, options));
        // C·vec(y) for one image y of the output's shape: the convolution, on the rows x has.
        const [, cout, hOut, wOut] = r.output.shape as [number, number, number, number];
        const [, cin, hIn, wIn] = input.shape as [number, number, number, number];
        const y = { shape: [1, cout, hOut, wOut], data: Float64Array.from({ length: cout * hOut * wOut }, (_, i) => ((seed + i * 7919) % 17) - 8) };
        const conv = conv2d(y, weight, { stride: options.stride, padding: options.padding, dilation: options.dilation, groups: options.groups });
        const [, , hConv, wConv] = conv.shape as [number, number, number, number];
        const [rows, cols] = r.matrix.shape as [number, number];
        for (let row = 0; row < rows; row++) {
          let sum = 0;
          for (let col = 0; col < cols; col++) sum += (r.matrix.data[row * cols + col] as number) * (y.data[col] as number);
          const c = Math.floor(row / (hIn * wIn));
          const h = Math.floor(row / wIn) % hIn;
          const w = row % wIn;
          const want = conv.data[(c * hConv + h) * wConv + w] as number;
          assert.ok(Math.abs(sum - want) <= 1e-9 * Math.max(1, Math.abs(want)), `row ${row} of ${cin} channels`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
