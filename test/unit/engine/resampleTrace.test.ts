import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { pixelShuffle, tracePixelShuffle, traceUpsample, upsample, type UpsampleOptions } from '../../../src/core/engine/index';
import { assertLayerError, t } from './helpers';

interface GoldenCase {
  readonly op: string;
  readonly input: { readonly shape: number[]; readonly data: number[] };
  readonly params: UpsampleOptions;
  readonly expected: { readonly shape: number[]; readonly data: number[] };
}

const golden: GoldenCase[] = readFileSync(join(__dirname, '../../../../test/golden/torch-upsample.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as GoldenCase);

describe('traceUpsample and tracePixelShuffle', () => {
  it('nearest 2×2 → 4×4: output (3, 2) copies input (1, 1)', () => {
    const trace = traceUpsample(t([2, 2], [1, 2, 3, 4]), { scaleFactor: 2 });
    assert.equal(trace.stepCount, 16);
    const step = trace.step(3 * 4 + 2);
    assert.equal(step.kind, 'nearest');
    if (step.kind !== 'nearest') return;
    assert.deepEqual(step.output, { n: 0, channel: 0, row: 3, col: 2 });
    assert.deepEqual(step.source, { n: 0, channel: 0, row: 1, col: 1, value: 4 });
    assert.equal(step.value, 4);
  });

  it('bilinear [[0, 4]] to width 4: output column 1 blends columns 0 and 1 with weights ¾ and ¼', () => {
    const trace = traceUpsample(t([1, 2], [0, 4]), { mode: 'bilinear', size: [1, 4] });
    const step = trace.step(1);
    assert.equal(step.kind, 'bilinear');
    if (step.kind !== 'bilinear') return;
    assert.deepEqual(step.cols, { i0: 0, i1: 1, w0: 0.75, w1: 0.25 });
    // The height is not resized: PyTorch copies that axis (weight 1 on one row).
    assert.deepEqual(step.rows, { i0: 0, i1: 0, w0: 1, w1: 0 });
    assert.deepEqual(step.corners.map((c) => [c.row, c.col, c.value]), [[0, 0, 0], [0, 1, 4], [0, 0, 0], [0, 1, 4]]);
    assert.equal(step.value, 1);
  });

  it('pixel shuffle r=2 on [4, 1, 1]: output (i, j) takes channel i·2 + j', () => {
    const trace = tracePixelShuffle(t([4, 1, 1], [10, 20, 30, 40]), { upscaleFactor: 2 });
    assert.deepEqual([...trace.output.shape], [1, 2, 2]);
    const steps = [0, 1, 2, 3].map((i) => trace.step(i));
    assert.deepEqual(steps.map((s) => s.source.channel), [0, 1, 2, 3]);
    assert.deepEqual(steps.map((s) => [s.offset.row, s.offset.col]), [[0, 0], [0, 1], [1, 0], [1, 1]]);
    assert.deepEqual(steps.map((s) => s.value), [10, 20, 30, 40]);
  });

  it('validates as the layers do and refuses steps outside the trace', () => {
    assertLayerError(() => tracePixelShuffle(t([2, 2], [1, 2, 3, 4]), { upscaleFactor: 2 }), 'channel-mismatch', /divisible by upscale_factor²/);
    assertLayerError(() => traceUpsample(t([2, 2], [1, 2, 3, 4]), { mode: 'nearest', scaleFactor: 2, alignCorners: true }), 'invalid-parameter', /align_corners/);
    const trace = traceUpsample(t([2, 2], [1, 2, 3, 4]), { scaleFactor: 2 });
    assert.throws(() => trace.step(16), /step/);
  });

  it(`every step of the ${golden.length} PyTorch upsampling cases equals the engine's output to the bit and PyTorch's within the engine's 1e-9 contract`, () => {
    assert.ok(golden.length > 20);
    for (const [i, c] of golden.entries()) {
      const input = { shape: c.input.shape, data: Float64Array.from(c.input.data) };
      const trace = traceUpsample(input, c.params);
      const output = upsample(input, c.params);
      assert.equal(trace.stepCount, c.expected.data.length, `case ${i}`);
      for (let s = 0; s < trace.stepCount; s++) {
        const value = trace.step(s).value;
        const expected = c.expected.data[s] as number;
        assert.ok(Object.is(value, output.data[s]), `case ${i} step ${s}: engine`);
        assert.ok(Math.abs(value - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `case ${i} (${JSON.stringify(c.params)}) step ${s}: ${value} vs PyTorch ${expected}`);
      }
    }
  });

  it('property: every step recomputes the layer’s output cell to the bit, and names input cells that hold its inputs', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 1, max: 5 }),
      w: fc.integer({ min: 1, max: 5 }),
      scale: fc.constantFrom(1, 1.5, 2, 2.5, 3),
      mode: fc.constantFrom('nearest' as const, 'bilinear' as const),
      alignCorners: fc.boolean(),
      r: fc.integer({ min: 1, max: 3 }),
      seed: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 40, maxLength: 40 }),
    });
    fc.assert(
      fc.property(arb, ({ n, c, h, w, scale, mode, alignCorners, r, seed }) => {
        const shape = [n, c, h, w];
        const input = { shape, data: Float64Array.from({ length: n * c * h * w }, (_, i) => seed[i % 40] as number) };
        const read = (cell: { n: number; channel: number; row: number; col: number }, channels: number) => input.data[((cell.n * channels + cell.channel) * h + cell.row) * w + cell.col];
        const options: UpsampleOptions = mode === 'bilinear' ? { mode, scaleFactor: scale, alignCorners } : { mode, scaleFactor: scale };
        const up = traceUpsample(input, options);
        const upOut = upsample(input, options);
        for (let i = 0; i < up.stepCount; i++) {
          const step = up.step(i);
          assert.ok(Object.is(step.value, upOut.data[i]), `upsample step ${i}`);
          const cells = step.kind === 'nearest' ? [step.source] : step.corners;
          for (const cell of cells) assert.ok(Object.is(cell.value, read(cell, c)));
        }
        const shuffled = { shape: [n, c * r * r, h, w], data: Float64Array.from({ length: n * c * r * r * h * w }, (_, i) => seed[i % 40] as number) };
        const ps = tracePixelShuffle(shuffled, { upscaleFactor: r });
        const psOut = pixelShuffle(shuffled, { upscaleFactor: r });
        for (let i = 0; i < ps.stepCount; i++) {
          const step = ps.step(i);
          assert.ok(Object.is(step.value, psOut.data[i]), `pixel shuffle step ${i}`);
          assert.ok(Object.is(step.source.value, shuffled.data[((step.source.n * c * r * r + step.source.channel) * h + step.source.row) * w + step.source.col]));
        }
      }),
      { numRuns: 150 },
    );
  });
});
