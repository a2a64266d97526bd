import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeOverlap, convTranspose2d, LayerError, tensor } from '../../../src/core/engine/index';
import { smallLayerFields } from './helpers';

const ones = (rows: number, cols: number) => tensor([rows, cols], new Float64Array(rows * cols).fill(1));
const grid = (t: { shape: readonly number[]; data: Float64Array }) => {
  const [rows = 0, cols = 0] = t.shape;
  return Array.from({ length: rows }, (_, r) => Array.from(t.data.subarray(r * cols, (r + 1) * cols)));
};

describe('overlap analysis', () => {
  it('input=2x2 k=2 s=1: the textbook count map, even', () => {
    const a = analyzeOverlap({ inputSize: [2, 2], kernel: 2, stride: 1 });
    assert.deepEqual(grid(a.counts), [[1, 2, 1], [2, 4, 2], [1, 2, 1]]);
    assert.equal(a.verdict.kind, 'even');
    assert.equal(a.verdict.reason, 'even overlap: every interior output cell receives 4 products');
    assert.deepEqual(a.rows.interior, { start: 1, end: 2 });
  });

  it('input=5x5 k=3 s=2: counts 2 and 1 alternate, uneven → checkerboard', () => {
    const a = analyzeOverlap({ inputSize: [5, 5], kernel: 3, stride: 2 });
    assert.deepEqual(a.rows.tile, [2, 1]);
    assert.deepEqual(grid(a.countTile), [[4, 2], [2, 1]]);
    assert.equal(a.countRatio, 4);
    assert.equal(a.verdict.kind, 'uneven-counts');
    assert.equal(a.verdict.reason, 'uneven: kernel 3, stride 2 gives counts 2 and 1 alternating → checkerboard');
  });

  it('input=5x5 k=4 s=2 p=1: even, because kernel 4 is divisible by stride 2', () => {
    const a = analyzeOverlap({ inputSize: [5, 5], kernel: 4, stride: 2, padding: 1 });
    assert.deepEqual(grid(a.countTile), [[4, 4], [4, 4]]);
    assert.equal(a.verdict.reason, 'even overlap: every interior output cell receives 4 products: kernel 4 is divisible by stride 2');
  });

  it('input=5x5 k=2 s=2: no overlap at all, still even', () => {
    const a = analyzeOverlap({ inputSize: [5, 5], kernel: 2, stride: 2 });
    assert.equal(a.verdict.kind, 'even');
    assert.match(a.verdict.reason, /receives 1 product: kernel 2 is divisible by stride 2/);
  });

  it('input=5x5 k=1 s=2 and k=3 d=2 s=2: gaps that no input reaches', () => {
    const pointwise = analyzeOverlap({ inputSize: [5, 5], kernel: 1, stride: 2 });
    assert.equal(pointwise.verdict.kind, 'gaps');
    assert.equal(pointwise.countRatio, Infinity);
    assert.match(pointwise.verdict.reason, /^gaps: stride 2 is longer than the kernel 1 covers.*counts 1, 0 repeating/);
    // Dilation 2 puts every tap of a 3-tap kernel on even positions: odd positions get nothing.
    const dilated = analyzeOverlap({ inputSize: [5, 5], kernel: 3, stride: 2, dilation: 2 });
    assert.equal(dilated.verdict.kind, 'gaps');
    assert.deepEqual(dilated.rows.tile, [3, 0]);
  });

  it('input=5x5 k=4 s=2 p=1 with a non-uniform kernel: even counts, uneven response', () => {
    const kernel = tensor([4, 4], [1, 2, 3, 4, 2, 4, 6, 8, 3, 6, 9, 12, 4, 8, 12, 16]);
    const a = analyzeOverlap({ inputSize: [5, 5], kernel, stride: 2, padding: 1 });
    assert.equal(a.countRatio, 1);
    assert.equal(a.verdict.kind, 'uneven-kernel');
    assert.ok(a.responseAmplitude > 0.5);
    // The bilinear kernel's taps sum to 1 at every phase: even in both senses.
    const bilinear = [0.25, 0.75, 0.75, 0.25];
    const b = analyzeOverlap({ inputSize: [5, 5], kernel: tensor([4, 4], bilinear.flatMap((u) => bilinear.map((v) => u * v))), stride: 2, padding: 1 });
    assert.equal(b.verdict.kind, 'even');
    assert.equal(b.responseAmplitude, 0);
  });

  it('input=5x5 k=3x4 s=2: names the uneven axis', () => {
    const a = analyzeOverlap({ inputSize: [5, 5], kernel: [3, 4], stride: 2 });
    assert.equal(a.verdict.reason, 'uneven: rows: kernel 3, stride 2 gives counts 2 and 1 alternating → checkerboard');
  });

  it('rejects what the layer rejects, in the layer’s words', () => {
    assert.throws(() => analyzeOverlap({ inputSize: [2, 2], kernel: 2, stride: 1, outputPadding: 2 }), (e: unknown) => e instanceof LayerError && e.code === 'output-padding-too-large');
    assert.throws(() => analyzeOverlap({ inputSize: [2, 2], kernel: tensor([1, 2, 2], [1, 1, 1, 1]) }), /takes a 2-D kernel/);
  });

  const layer = fc.record(smallLayerFields);

  it('property: the count map is the transposed convolution of ones with ones', () => {
    fc.assert(
      fc.property(layer, ({ h, w, kh, kw, s, d, p }) => {
        const options = { stride: s, dilation: d, padding: p };
        let a;
        try {
          a = analyzeOverlap({ inputSize: [h, w], kernel: [kh, kw], ...options });
        } catch (error) {
          if (error instanceof LayerError) return; // an empty output: nothing to compare
          throw error;
        }
        assert.deepEqual(grid(a.counts), grid(convTranspose2d(ones(h, w), ones(kh, kw), options)));
      }),
      { numRuns: 200 },
    );
  });

  it('property: in the interior, a constant input gives the response tile, repeating with the stride', () => {
    fc.assert(
      fc.property(layer, fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 25, maxLength: 25 }), ({ kh, kw, s, d, p }, values) => {
        const size = 12; // large enough for an interior in every generated case
        const kernel = tensor([kh, kw], values.slice(0, kh * kw));
        const a = analyzeOverlap({ inputSize: [size, size], kernel, stride: s, dilation: d, padding: p });
        const output = convTranspose2d(ones(size, size), kernel, { stride: s, dilation: d, padding: p });
        const width = output.shape[1] ?? 0;
        const rowsInside = a.rows.interior;
        const colsInside = a.cols.interior;
        if (!rowsInside || !colsInside) return;
        for (let r: number = rowsInside.start; r < rowsInside.end; r++) {
          for (let c: number = colsInside.start; c < colsInside.end; c++) {
            assert.equal(output.data[r * width + c], a.responseTile.data[(r % s) * s + (c % s)]);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
