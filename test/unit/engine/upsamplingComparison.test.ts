/**
 * The checkerboard lab's comparison of transposed convolution, resize-convolution and sub-pixel
 * convolution on equal terms, including the lab's statements: for a constant input,
 * resize-convolution and ICNR sub-pixel convolution give zero stride-periodic energy in the
 * interior; transposed convolution with kernel 3, stride 2 does not; kernel 4, stride 2 gives even
 * counts, with zero energy for a uniform kernel and some for a non-uniform one.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeOverlap,
  compareUpsampling,
  composedCounts,
  conv2d,
  convTranspose2d,
  LayerError,
  seededConvWeight,
  tensor,
  upsample,
  type Tensor,
  type UpsamplingComparison,
} from '../../../src/core/engine/index';
import { assertLayerError, grid } from './helpers';

const constant = (rows: number, cols: number, value = 2.5) => tensor([rows, cols], new Float64Array(rows * cols).fill(value));
const kernelOf = (k: number, seed: number): Tensor => tensor([k, k], seededConvWeight({ outChannels: 1, inChannels: 1, kernelSize: k, seed }).data);
const methods = (c: UpsamplingComparison) => [c.transposed, c.resize, c.subPixel];

describe('upsampling comparison: the lab’s statements (constant input)', () => {
  for (const mode of ['nearest', 'bilinear'] as const) {
    it(`resize-convolution (${mode}) and ICNR sub-pixel, k=3 r=2: zero periodic energy, flat`, () => {
      for (const kernel of [3, kernelOf(3, 11)]) {
        const c = compareUpsampling(constant(8, 8), { factor: 2, kernel, mode });
        for (const method of [c.resize, c.subPixel]) {
          const m = method.measures;
          assert.ok(m !== undefined);
          assert.ok(m.periodicEnergyFraction <= 1e-12, `${method.method}: ${m.periodicEnergyFraction}`);
          assert.ok(m.outputPeriodicEnergyFraction <= 1e-12);
          assert.equal(m.responseAmplitude, 0);
          assert.equal(method.verdict.kind, 'flat');
        }
        assert.equal(c.subPixel.init, 'icnr');
      }
    });
  }

  it('transposed convolution k=3 s=2: counts 4, 2, 2, 1 → periodic energy 0.19 > 0, checkerboard', () => {
    const c = compareUpsampling(constant(8, 8), { factor: 2, kernel: 3 });
    const m = c.transposed.measures;
    assert.ok(m !== undefined);
    assert.deepEqual(grid(m.countTile), [[1, 2], [2, 4]]);
    assert.equal(m.countRatio, 4);
    assert.ok(Math.abs(m.periodicEnergyFraction - 4.75 / 25) < 1e-15);
    assert.ok(m.outputPeriodicEnergyFraction > 0.18);
    assert.equal(c.transposed.verdict.kind, 'checkerboard');
    assert.equal(
      c.transposed.verdict.reason,
      'checkerboard: interior counts 4, 2 and 1 repeat with period 2 (ratio 4.00), so a constant input paints a pattern with 19.0% of its energy at period 2',
    );
    // The same numbers as the overlap analysis of that layer.
    const overlap = analyzeOverlap({ inputSize: [8, 8], kernel: 3, stride: 2, padding: 1, outputPadding: 1 });
    assert.equal(m.periodicEnergyFraction, overlap.periodicEnergyFraction);
    assert.equal(m.responseAmplitude, overlap.responseAmplitude);
  });

  it('transposed convolution k=4 s=2, uniform kernel: even counts (4 products) and zero periodic energy', () => {
    const c = compareUpsampling(constant(8, 8), { factor: 2, kernel: 4 });
    const m = c.transposed.measures;
    assert.ok(m !== undefined);
    assert.equal(m.countRatio, 1);
    assert.deepEqual(grid(m.countTile), [[4, 4], [4, 4]]);
    assert.equal(m.periodicEnergyFraction, 0);
    assert.equal(c.transposed.verdict.reason, 'flat: every interior cell receives 4 products, so a constant input gives a constant interior');
  });

  it('transposed convolution k=4 s=2, non-uniform kernel: even counts, but periodic energy > 0', () => {
    const kernel = tensor([4, 4], [1, 2, 3, 4, 2, 4, 6, 8, 3, 6, 9, 12, 4, 8, 12, 16]);
    const c = compareUpsampling(constant(8, 8), { factor: 2, kernel });
    const m = c.transposed.measures;
    assert.ok(m !== undefined);
    assert.equal(m.countRatio, 1);
    assert.ok(m.periodicEnergyFraction > 0.01, String(m.periodicEnergyFraction));
    assert.ok(m.outputPeriodicEnergyFraction > 0.01);
    assert.match(c.transposed.verdict.reason, /^checkerboard: every interior cell receives 4 products, but the weights sum to different totals at the 2×2 phases/);
    // Resize-convolution and ICNR sub-pixel with the same kernel stay flat.
    assert.equal(c.resize.measures?.periodicEnergyFraction, 0);
    assert.equal(c.subPixel.measures?.periodicEnergyFraction, 0);
  });

  it('sub-pixel with a random (non-ICNR) initialisation: even counts, periodic energy > 0', () => {
    const subPixelWeight = seededConvWeight({ outChannels: 4, inChannels: 1, kernelSize: 3, seed: 7 });
    const c = compareUpsampling(constant(8, 8), { factor: 2, kernel: 3, subPixelWeight });
    const m = c.subPixel.measures;
    assert.ok(m !== undefined);
    assert.equal(c.subPixel.init, 'given');
    assert.equal(m.countRatio, 1);
    assert.ok(m.periodicEnergyFraction > 0.01, String(m.periodicEnergyFraction));
    assert.ok(m.outputPeriodicEnergyFraction > 0.01);
    assert.equal(c.subPixel.verdict.kind, 'checkerboard');
  });

  it('property: any kernel, factor 2–3, k 1–5: resize (nearest, bilinear) and ICNR sub-pixel have zero periodic energy for a constant input', () => {
    const arbitrary = fc.record({
      k: fc.integer({ min: 1, max: 5 }),
      r: fc.integer({ min: 2, max: 3 }),
      size: fc.integer({ min: 5, max: 9 }),
      seed: fc.nat(),
      value: fc.double({ min: -5, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(arbitrary, ({ k, r, size, seed, value }) => {
        const kernel = kernelOf(k, seed);
        for (const mode of ['nearest', 'bilinear'] as const) {
          const c = compareUpsampling(constant(size, size, value), { factor: r, kernel, mode });
          for (const method of [c.resize, c.subPixel]) {
            if (method.measures === undefined) continue;
            assert.ok(method.measures.periodicEnergyFraction <= 1e-12);
            assert.ok(method.measures.outputPeriodicEnergyFraction <= 1e-12);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('upsampling comparison: equal terms', () => {
  it('property: all three give r·H × r·W, and ICNR sub-pixel is the nearest upsampling of the convolution', () => {
    const arbitrary = fc.record({ k: fc.integer({ min: 1, max: 6 }), r: fc.integer({ min: 2, max: 4 }), h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), seed: fc.nat() });
    fc.assert(
      fc.property(arbitrary, ({ k, r, h, w, seed }) => {
        const input = tensor([h, w], seededConvWeight({ outChannels: 1, inChannels: 1, kernelSize: [h, w], seed }).data);
        const kernel = kernelOf(k, seed + 1);
        const c = compareUpsampling(input, { factor: r, kernel });
        assert.deepEqual(c.outputSize, [r * h, r * w]);
        for (const method of methods(c)) {
          for (const map of [method.output, method.counts, method.kernelResponse]) assert.deepEqual(map.shape, [r * h, r * w]);
        }
        assert.deepEqual(Array.from(c.subPixel.output.data), Array.from(upsample(conv2d(input, kernel, { padding: 'same' }), { scaleFactor: r }).data));
        assert.ok(c.transposed.outputPadding.every((op) => op >= 0 && op < r));
      }),
      { numRuns: 150 },
    );
  });

  it('property: inside the measured window, counts and the all-ones response repeat with period r', () => {
    const arbitrary = fc.record({ k: fc.integer({ min: 1, max: 5 }), r: fc.integer({ min: 2, max: 3 }), h: fc.integer({ min: 4, max: 8 }), w: fc.integer({ min: 4, max: 8 }), seed: fc.nat(), bilinearMode: fc.boolean() });
    fc.assert(
      fc.property(arbitrary, ({ k, r, h, w, seed, bilinearMode }) => {
        const c = compareUpsampling(constant(h, w), { factor: r, kernel: kernelOf(k, seed), mode: bilinearMode ? 'bilinear' : 'nearest' });
        for (const method of methods(c)) {
          const window = method.measures?.window;
          if (!window) continue;
          const width = r * w;
          for (let y: number = window.rows.start; y < window.rows.end; y++) {
            for (let x: number = window.cols.start; x < window.cols.end; x++) {
              const tile: number = (y % r) * r + (x % r);
              assert.equal(method.counts.data[y * width + x], method.measures?.countTile.data[tile], `${method.method} count at ${y},${x}`);
              const response = method.kernelResponse.data[y * width + x] as number;
              const phase = method.measures?.responseTile.data[tile] as number;
              assert.ok(Math.abs(response - phase) <= 1e-12 * Math.max(1, Math.abs(phase)), `${method.method} response at ${y},${x}`);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: the composed-map count of a transposed convolution is the overlap analysis’s count', () => {
    const arbitrary = fc.record({ h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 1, max: 5 }), s: fc.integer({ min: 1, max: 4 }), p: fc.integer({ min: 0, max: 3 }), d: fc.integer({ min: 1, max: 2 }) });
    fc.assert(
      fc.property(arbitrary, ({ h, w, k, s, p, d }) => {
        const options = { stride: s, padding: p, dilation: d };
        let expected;
        try {
          expected = analyzeOverlap({ inputSize: [h, w], kernel: k, ...options }).counts;
        } catch (error) {
          if (error instanceof LayerError) return; // an empty output
          throw error;
        }
        const counts = composedCounts((x, weight) => convTranspose2d(x, weight, options), [h, w], [k, k]);
        assert.deepEqual(grid(counts), grid(expected));
      }),
      { numRuns: 200 },
    );
  });
});

describe('upsampling comparison: counts, verdicts and edges', () => {
  it('k=3 r=2 on 6x6: resize and sub-pixel counts come from the composed map, fewer at the borders', () => {
    const c = compareUpsampling(constant(6, 6), { factor: 2, kernel: 3 });
    // Nearest then a 3-tap kernel reads 2 distinct inputs per axis (the transposed kernel 4 it amounts to, over stride 2).
    assert.deepEqual(grid(c.resize.counts)[0], [1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
    assert.deepEqual(c.resize.interior, { rows: { start: 1, end: 11 }, cols: { start: 1, end: 11 } });
    assert.equal(c.resize.verdict.reason, 'flat: every interior cell receives 4 products, so a constant input gives a constant interior');
    // Sub-pixel reads 3 per axis; its first interior block starts at output 2.
    assert.deepEqual(grid(c.subPixel.counts)[5], [6, 6, 9, 9, 9, 9, 9, 9, 9, 9, 6, 6]);
    assert.deepEqual(c.subPixel.interior, { rows: { start: 2, end: 10 }, cols: { start: 2, end: 10 } });
    // Bilinear then 3 taps: 3 per axis.
    assert.equal(compareUpsampling(constant(6, 6), { factor: 2, kernel: 3, mode: 'bilinear' }).resize.measures?.countTile.data[0], 9);
    assert.deepEqual([...c.transposed.padding, ...c.transposed.outputPadding], [1, 1, 1, 1]);
  });

  it('bilinear resize, k=4 r=2: counts 16, 12 and 9 differ, yet the interior is flat', () => {
    const c = compareUpsampling(constant(6, 6), { factor: 2, kernel: kernelOf(4, 3), mode: 'bilinear' });
    assert.equal(c.resize.measures?.countRatio, 16 / 9);
    assert.equal(c.resize.measures?.periodicEnergyFraction, 0);
    assert.equal(c.resize.verdict.reason, "flat: interior counts 16, 12 and 9 differ, but every phase's weights sum to the same total, so a constant input gives a constant interior");
  });

  it('transposed k=1 r=2: gaps', () => {
    const c = compareUpsampling(constant(6, 6), { factor: 2, kernel: 1 });
    assert.equal(c.transposed.verdict.kind, 'gaps');
    assert.match(c.transposed.verdict.reason, /^gaps: interior counts 1 and 0 repeat with period 2/);
  });

  it('an input too small for a whole period clear of the borders: no measures, verdict no-interior', () => {
    const c = compareUpsampling(constant(2, 2), { factor: 2, kernel: 5 });
    for (const method of [c.resize, c.subPixel]) {
      assert.equal(method.measures, undefined);
      assert.equal(method.verdict.kind, 'no-interior');
    }
  });

  it('errors: factor 1 or 0, a non-matrix input, a 3-D kernel, a sub-pixel weight of the wrong shape', () => {
    const x = constant(4, 4);
    assertLayerError(() => compareUpsampling(x, { factor: 1, kernel: 3 }), 'invalid-parameter', /^factor 1 does not upsample: compareUpsampling needs 2 or more$/);
    assertLayerError(() => compareUpsampling(x, { factor: 0, kernel: 3 }), 'invalid-parameter', /^factor \(0\) must be 1 or more$/);
    assertLayerError(() => compareUpsampling(tensor([1, 4, 4], x.data), { factor: 2, kernel: 3 }), 'invalid-shape', /takes a matrix \[H, W\] \(one channel\), but the input has shape \[1, 4, 4\]/);
    assertLayerError(() => compareUpsampling(x, { factor: 2, kernel: tensor([1, 3, 3], new Float64Array(9)) }), 'invalid-shape', /takes a 2-D kernel \[kH, kW\]/);
    assertLayerError(() => compareUpsampling(x, { factor: 2, kernel: 3, mode: 'bicubic' as never }), 'invalid-parameter', /mode "bicubic" is not supported/);
    const wrong = seededConvWeight({ outChannels: 4, inChannels: 1, kernelSize: 5, seed: 1 });
    assertLayerError(() => compareUpsampling(x, { factor: 2, kernel: 3, subPixelWeight: wrong }), 'invalid-shape', /must be \[r², 1, kH, kW\] = \[4, 1, 3, 3\] \(factor 2, kernel 3×3\), but has shape \[4, 1, 5, 5\]/);
  });
});
