/** Overlap analysis: the count maps, responses, interiors and verdicts of the cases a lesson uses. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeOverlap, convTranspose2d, LayerError, tensor, type Tensor } from '../../../src/core/engine/index';
import { smallLayerFields } from './helpers';

const grid = (x: Tensor) => {
  const [rows = 0, cols = 0] = x.shape;
  return Array.from({ length: rows }, (_, r) => Array.from(x.data.subarray(r * cols, (r + 1) * cols)));
};

describe('overlap analysis: named cases', () => {
  it('input=2x2 k=2 s=1 (textbook): counts [[1,2,1],[2,4,2],[1,2,1]], the centre is the interior, even', () => {
    const a = analyzeOverlap({ inputSize: [2, 2], kernel: 2 });
    assert.deepEqual(grid(a.counts), [[1, 2, 1], [2, 4, 2], [1, 2, 1]]);
    assert.deepEqual(a.interior, { rows: { start: 1, end: 2 }, cols: { start: 1, end: 2 } });
    assert.deepEqual(grid(a.countTile), [[4]]);
    assert.deepEqual(grid(a.kernelResponse), grid(a.counts));
    assert.equal(a.periodicEnergyFraction, 0);
    assert.equal(a.verdict.even, true);
  });

  it('input=4x4 k=3 s=2: counts 2 and 1 alternate; the measures of the checkerboard', () => {
    const a = analyzeOverlap({ inputSize: [4, 4], kernel: 3, stride: 2 });
    assert.deepEqual(a.rows.counts, [1, 1, 2, 1, 2, 1, 2, 1, 1]);
    assert.deepEqual(a.rows.interior, { start: 2, end: 7 });
    assert.equal(a.countRatio, 4);
    assert.equal(a.responseAmplitude, (4 - 1) / 2.25);
    // Tile [[4,2],[2,1]]: Σ(T − 2.25)² = 4.75 of ΣT² = 25.
    assert.ok(Math.abs(a.periodicEnergyFraction - 4.75 / 25) < 1e-15);
    assert.equal(a.verdict.even, false);
    assert.equal(a.verdict.reason, 'uneven: kernel 3, stride 2 gives counts 2 and 1 alternating → checkerboard');
  });

  it('input=4x4 k=4 s=2 p=1: even, every interior cell receives 4 products', () => {
    const a = analyzeOverlap({ inputSize: [4, 4], kernel: 4, stride: 2, padding: 1 });
    assert.deepEqual(a.rows.counts, [1, 2, 2, 2, 2, 2, 2, 1]);
    assert.deepEqual(a.rows.interior, { start: 2, end: 6 });
    assert.deepEqual(grid(a.countTile), [[4, 4], [4, 4]]);
    assert.equal(a.verdict.even, true);
    assert.match(a.verdict.reason, /kernel 4 is divisible by stride 2/);
  });

  it('input=3x3 k=2 s=2: even with no overlap at all, every cell exactly one product', () => {
    const a = analyzeOverlap({ inputSize: [3, 3], kernel: 2, stride: 2 });
    assert.ok(a.counts.data.every((count) => count === 1));
    assert.equal(a.countRatio, 1);
    assert.equal(a.verdict.even, true);
  });

  it('input=3x3 k=1 s=2: gaps, cells no input reaches (count 0)', () => {
    const a = analyzeOverlap({ inputSize: [3, 3], kernel: 1, stride: 2 });
    assert.deepEqual(a.rows.counts, [1, 0, 1, 0, 1]);
    assert.equal(a.countRatio, Infinity);
    assert.equal(a.verdict.even, false);
    assert.equal(a.verdict.kind, 'gaps');
    assert.match(a.verdict.reason, /^gaps: stride 2 is longer than the kernel 1 covers/);
  });

  it('input=4x4 k=3 d=2 s=2: the dilated kernel spans 5 but all its taps share a phase: gaps of another kind', () => {
    const a = analyzeOverlap({ inputSize: [4, 4], kernel: 3, stride: 2, dilation: 2 });
    assert.deepEqual(a.rows.tile, [3, 0]);
    assert.equal(a.verdict.reason, 'gaps: kernel 3 with dilation 2 spans 5 ≥ stride 2, but its taps lie 2 apart, so they reach only 1 of every 2 output positions (counts 3, 0 repeating)');
  });

  it('input=4x4 k=2 d=3 s=2: dilation moves the second tap to the other phase: even', () => {
    const a = analyzeOverlap({ inputSize: [4, 4], kernel: 2, stride: 2, dilation: 3 });
    assert.deepEqual(a.rows.tile, [1, 1]);
    assert.equal(a.verdict.even, true);
    assert.equal(a.verdict.reason, 'even overlap: every interior output cell receives 1 product');
  });

  it('input=3x3 k=3 s=2 op=1: output_padding adds a last row and column no input reaches, outside the interior', () => {
    const a = analyzeOverlap({ inputSize: [3, 3], kernel: 3, stride: 2, outputPadding: 1 });
    assert.deepEqual(a.rows.counts, [1, 1, 2, 1, 2, 1, 1, 0]);
    assert.deepEqual(a.rows.interior, { start: 2, end: 5 });
    assert.equal(a.verdict.kind, 'uneven-counts');
  });

  it('input=3x3 k=4 s=2 p=1 op=1: with padding, the added row still receives one product', () => {
    const a = analyzeOverlap({ inputSize: [3, 3], kernel: 4, stride: 2, padding: 1, outputPadding: 1 });
    assert.deepEqual(a.rows.counts, [1, 2, 2, 2, 2, 1, 1]);
    assert.deepEqual(a.rows.interior, { start: 2, end: 4 });
  });

  it('input=6x6 k=4 s=2 p=1, kernel [1,2,3,4]ᵀ[1,2,3,4]: even counts, but the kernel response paints a checkerboard', () => {
    const taps = [1, 2, 3, 4];
    const kernel = tensor([4, 4], taps.flatMap((u) => taps.map((v) => u * v)));
    const a = analyzeOverlap({ inputSize: [6, 6], kernel, stride: 2, padding: 1 });
    assert.equal(a.countRatio, 1);
    assert.equal(a.verdict.kind, 'uneven-kernel');
    // Phase 0 gets taps 1 and 3 (2 + 4 = 6), phase 1 taps 0 and 2 (1 + 3 = 4), per axis.
    assert.deepEqual(grid(a.responseTile), [[36, 24], [24, 16]]);
    assert.deepEqual(grid(a.kernelResponse), grid(convTranspose2d(tensor([6, 6], new Array(36).fill(1)), kernel, { stride: 2, padding: 1 })));
    assert.ok(a.periodicEnergyFraction > 0 && a.periodicEnergyFraction < 1);
  });
});

describe('overlap analysis: properties', () => {
  const layer = fc.record({ ...smallLayerFields, op: fc.integer({ min: 0, max: 3 }) });
  const analyze = ({ h, w, kh, kw, s, d, p, op }: { h: number; w: number; kh: number; kw: number; s: number; d: number; p: number; op: number }) => {
    try {
      return analyzeOverlap({ inputSize: [h, w], kernel: [kh, kw], stride: s, dilation: d, padding: p, outputPadding: op });
    } catch (error) {
      if (error instanceof LayerError) return undefined; // empty output or output_padding too large
      throw error;
    }
  };

  it('the count map sums to the input cells × kernel taps that land inside the output', () => {
    fc.assert(
      fc.property(layer, (c) => {
        const a = analyze(c);
        if (a === undefined) return;
        const [outH, outW] = a.counts.shape as [number, number];
        let landing = 0;
        for (let ih = 0; ih < c.h; ih++) for (let iw = 0; iw < c.w; iw++) {
          for (let th = 0; th < c.kh; th++) for (let tw = 0; tw < c.kw; tw++) {
            const oh = ih * c.s + th * c.d - c.p;
            const ow = iw * c.s + tw * c.d - c.p;
            if (oh >= 0 && oh < outH && ow >= 0 && ow < outW) landing++;
          }
        }
        assert.equal(a.counts.data.reduce((x, y) => x + y, 0), landing);
      }),
      { numRuns: 300 },
    );
  });

  it('2-D counts are the product of the per-axis counts, and the interior follows the tile', () => {
    fc.assert(
      fc.property(layer, (c) => {
        const a = analyze(c);
        if (a === undefined) return;
        const width = a.cols.counts.length;
        a.counts.data.forEach((count, i) => assert.equal(count, (a.rows.counts[Math.floor(i / width)] as number) * (a.cols.counts[i % width] as number)));
        for (const axis of [a.rows, a.cols]) {
          if (axis.interior === undefined) continue;
          for (let o = axis.interior.start; o < axis.interior.end; o++) assert.equal(axis.counts[o], axis.tile[o % axis.stride]);
        }
        assert.ok(a.periodicEnergyFraction >= 0 && a.periodicEnergyFraction <= 1);
        assert.equal(a.verdict.even, a.countRatio === 1 && a.responseAmplitude === 0);
      }),
      { numRuns: 300 },
    );
  });
});
