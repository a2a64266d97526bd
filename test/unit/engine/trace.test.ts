import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeOverlap,
  avgPool2d,
  conv2d,
  convTranspose2d,
  maxPool2d,
  planConvTransposeTrace,
  traceAvgPool2d,
  traceConv2d,
  traceConvTranspose2d,
  traceMaxPool2d,
  type ConvTranspose2dOptions,
  type Tensor,
} from '../../../src/core/engine/index';
import { referenceConvTranspose2d } from '../../../src/core/engine/reference';
import { assertLayerError, assertTensor, ones2x2, t, textbookInput } from './helpers';


/** Bit-for-bit equality, NaN included. */
function assertSameBits(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual([...got.shape], [...want.shape], `${what}: shape`);
  want.data.forEach((value, i) => assert.ok(Object.is(got.data[i], value), `${what}: value ${i} is ${got.data[i]}, expected ${value}`));
}

describe('traceConvTranspose2d', () => {
  it('input=[[1,2],[3,4]] k=2 (ones) s=1: four steps, row-major over the input, to the textbook output', () => {
    const trace = traceConvTranspose2d(textbookInput, ones2x2);
    assert.equal(trace.stepCount, 4);
    assert.deepEqual(trace.order, ['image n', 'output channel', 'input channel (of the output channel’s group)', 'input row', 'input column']);
    assertTensor(trace.outputAfterSteps(0), [3, 3], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    assertTensor(trace.outputAfterSteps(1), [3, 3], [[1, 1, 0], [1, 1, 0], [0, 0, 0]]);
    assertTensor(trace.outputAfterSteps(2), [3, 3], [[1, 3, 2], [1, 3, 2], [0, 0, 0]]);
    assertTensor(trace.outputAfterSteps(3), [3, 3], [[1, 3, 2], [4, 6, 2], [3, 3, 0]]);
    assertTensor(trace.outputAfterSteps(4), [3, 3], [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => trace.step(i).input),
      [
        { n: 0, channel: 0, row: 0, col: 0, value: 1 },
        { n: 0, channel: 0, row: 0, col: 1, value: 2 },
        { n: 0, channel: 0, row: 1, col: 0, value: 3 },
        { n: 0, channel: 0, row: 1, col: 1, value: 4 },
      ],
    );
  });

  it('input=[[1,2],[3,4]] k=2 s=1: step 1 paints the window rows 0–1, columns 1–2 with 2·1 each', () => {
    const step = traceConvTranspose2d(textbookInput, ones2x2).step(1);
    assert.equal(step.kind, 'scatter');
    assert.equal(step.outChannel, 0);
    assert.deepEqual(step.window, { rows: { start: 0, end: 2, step: 1 }, cols: { start: 1, end: 3, step: 1 } });
    assert.deepEqual(step.visibleWindow, step.window);
    assert.deepEqual(
      step.landings.map((l) => [l.kind, l.row, l.col, l.tap.row, l.tap.col, l.product]),
      [['added', 0, 1, 0, 0, 2], ['added', 0, 2, 0, 1, 2], ['added', 1, 1, 1, 0, 2], ['added', 1, 2, 1, 1, 2]],
    );
  });

  it('input=[[1,2],[3,4]] k=2 s=1: the centre cell lists 1·1, 2·1, 3·1, 4·1 and sums to 10', () => {
    const centre = traceConvTranspose2d(textbookInput, ones2x2).contributionsTo({ n: 0, channel: 0, row: 1, col: 1 });
    assert.deepEqual(
      centre.contributions.map((c) => [c.step, c.input.value, c.tap.row, c.tap.col, c.tap.value, c.product, c.runningSum]),
      [[0, 1, 1, 1, 1, 1, 1], [1, 2, 1, 0, 1, 2, 3], [2, 3, 0, 1, 1, 3, 6], [3, 4, 0, 0, 1, 4, 10]],
    );
    assert.equal(centre.start, 0);
    assert.equal(centre.value, 10);
  });

  it('input=2x2 k=3 s=2 p=1: padding crops the first row and column of step 0, and says which edge', () => {
    const kernel = t([3, 3], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const trace = traceConvTranspose2d(textbookInput, kernel, { stride: 2, padding: 1 });
    assert.deepEqual(trace.output.shape, [3, 3]);
    const step = trace.step(0);
    assert.deepEqual(step.window, { rows: { start: -1, end: 2, step: 1 }, cols: { start: -1, end: 2, step: 1 } });
    assert.deepEqual(step.visibleWindow, { rows: { start: 0, end: 2, step: 1 }, cols: { start: 0, end: 2, step: 1 } });
    const cropped = step.landings.filter((l) => l.kind === 'cropped');
    assert.deepEqual(
      cropped.map((l) => [l.tap.row, l.tap.col, l.kind === 'cropped' ? l.edges : []]),
      [[0, 0, ['top', 'left']], [0, 1, ['top']], [0, 2, ['top']], [1, 0, ['left']], [2, 0, ['left']]],
    );
    // The last input cell's window runs past the bottom-right border, which padding also trims.
    const last = trace.step(3).landings.filter((l) => l.kind === 'cropped');
    assert.deepEqual(last.map((l) => (l.kind === 'cropped' ? l.edges.join('+') : '')), ['right', 'right', 'bottom', 'bottom', 'bottom+right']);
  });

  it('input=1x2 k=1x2 d=2: a dilated window skips columns', () => {
    const step = traceConvTranspose2d(t([1, 2], [[1, 2]]), t([1, 2], [[1, 10]]), { dilation: [1, 2] }).step(1);
    assert.deepEqual(step.window.cols, { start: 1, end: 4, step: 2 });
    assert.deepEqual(step.landings.map((l) => l.col), [1, 3]);
  });

  it('input=2x2 k=2 s=2 op=1: output_padding adds a row and column no step reaches', () => {
    const trace = traceConvTranspose2d(textbookInput, ones2x2, { stride: 2, outputPadding: 1 });
    assert.deepEqual(trace.output.shape, [5, 5]);
    assert.ok(trace.step(3).landings.every((l) => l.kind === 'added'));
    assert.deepEqual(trace.contributionsTo({ n: 0, channel: 0, row: 4, col: 4 }).contributions, []);
  });

  it('[N=2, C_in=2] groups=2, bias: steps run image, output channel, input channel of its group, row, column', () => {
    const input = t([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const weight = t([2, 2, 1, 1], [1, 10, 100, 1000]);
    const bias = t([4], [0.5, -1, 2, 3]);
    const trace = traceConvTranspose2d(input, weight, { groups: 2, bias });
    // 2 images × 4 output channels × 1 input channel per group × 2 cells.
    assert.equal(trace.stepCount, 16);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 8].map((i) => {
        const s = trace.step(i);
        return [s.input.n, s.outChannel, s.input.channel, s.input.col, s.outChannelInGroup];
      }),
      [[0, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 1, 0, 0, 1], [0, 1, 0, 1, 1], [0, 2, 1, 0, 0], [0, 2, 1, 1, 0], [1, 0, 0, 0, 0]],
    );
    // Before any step every cell holds its bias; the trace's output is the layer's.
    assertTensor(trace.outputAfterSteps(0), [2, 4, 1, 2], [0.5, 0.5, -1, -1, 2, 2, 3, 3, 0.5, 0.5, -1, -1, 2, 2, 3, 3]);
    assertTensor(trace.output, [2, 4, 1, 2], [...convTranspose2d(input, weight, { groups: 2, bias }).data]);
    assert.equal(trace.contributionsTo({ n: 1, channel: 3, row: 0, col: 1 }).start, 3);
  });

  it('refuses steps and cells outside the trace, and validates as the layer does', () => {
    const trace = traceConvTranspose2d(textbookInput, ones2x2);
    assertLayerError(() => trace.step(4), 'invalid-parameter', /step 4 is outside the trace: use 0 to 3/);
    assertLayerError(() => trace.outputAfterSteps(-1), 'invalid-parameter', /step count -1/);
    assertLayerError(() => trace.contributionsTo({ n: 0, channel: 0, row: 3, col: 0 }), 'invalid-parameter', /output row 3/);
    assertLayerError(() => traceConvTranspose2d(textbookInput, ones2x2, { outputPadding: 1 }), 'output-padding-too-large', /output_padding/);
    assertLayerError(() => traceConvTranspose2d(textbookInput, ones2x2, {}, { memoryBudgetBytes: 0 }), 'invalid-parameter', /memory budget/);
  });

  it('memory: the textbook trace keeps 8·(4 + 4 + 9 + 9·(1 + checkpoints)) bytes; a 1024×1024 output stays within 64 MiB', () => {
    const trace = traceConvTranspose2d(textbookInput, ones2x2);
    assert.equal(trace.memory.checkpointInterval, 3); // ⌈9 cells / 4 taps⌉: finer would not be faster
    assert.equal(trace.memory.checkpointCount, 1);
    assert.equal(trace.memoryBytes, 8 * (4 + 4 + 9 + 9 * 2));
    for (const [inSize, options] of [[512, { kernelSize: 4, stride: 2, padding: 1 }], [1024, { kernelSize: 1 }], [1016, { kernelSize: 9 }]] as const) {
      const { kernelSize, ...rest } = options;
      const plan = planConvTransposeTrace([inSize, inSize], [kernelSize, kernelSize], rest);
      assert.ok(plan.bytes <= 64 * 2 ** 20, plan.formula);
      assert.ok(plan.checkpointInterval >= 1);
    }
    // A budget too small for any checkpoint still traces: each step then replays from its plane's start.
    const tight = planConvTransposeTrace([512, 512], [4, 4], { stride: 2, padding: 1 }, { memoryBudgetBytes: 1 });
    assert.equal(tight.checkpointCount, 0);
    assert.equal(tight.checkpointInterval, 512 * 512);
  });
});

describe('traceConvTranspose2d properties', () => {
  interface Case {
    readonly input: Tensor;
    readonly weight: Tensor;
    readonly options: ConvTranspose2dOptions;
    readonly budget: number;
  }

  const values = (count: number) => fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: count, maxLength: count }).map((v) => Float64Array.from(v));
  const caseArb: fc.Arbitrary<Case> = fc
    .record({
      batch: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 2 }),
      inPerGroup: fc.integer({ min: 1, max: 2 }),
      outPerGroup: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 1, max: 4 }),
      w: fc.integer({ min: 1, max: 4 }),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      s: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 2 }),
      p: fc.integer({ min: 0, max: 2 }),
      op: fc.integer({ min: 0, max: 2 }),
      withBias: fc.boolean(),
      budget: fc.constantFrom(1, 2000, 64 * 2 ** 20),
    })
    .filter(({ h, w, kh, kw, s, d, p, op }) => op < Math.max(s, d) && (h - 1) * s - 2 * p + d * (kh - 1) + op + 1 >= 1 && (w - 1) * s - 2 * p + d * (kw - 1) + op + 1 >= 1)
    .chain((c) => {
      const cin = c.groups * c.inPerGroup;
      const cout = c.groups * c.outPerGroup;
      return fc.tuple(values(c.batch * cin * c.h * c.w), values(cin * c.outPerGroup * c.kh * c.kw), values(cout)).map(([x, w, b]) => ({
        input: { shape: [c.batch, cin, c.h, c.w], data: x },
        weight: { shape: [cin, c.outPerGroup, c.kh, c.kw], data: w },
        options: { stride: c.s, dilation: c.d, padding: c.p, outputPadding: c.op, groups: c.groups, ...(c.withBias ? { bias: { shape: [cout], data: b } } : {}) },
        budget: c.budget,
      }));
    });

  const runs = { numRuns: 150 };

  it('the final partial output equals the reference to the bit and convTranspose2d within 1e-12 of Σ|products|', () => {
    fc.assert(
      fc.property(caseArb, ({ input, weight, options, budget }) => {
        const trace = traceConvTranspose2d(input, weight, options, { memoryBudgetBytes: budget });
        assertSameBits(trace.outputAfterSteps(trace.stepCount), trace.output, 'final partial');
        assertSameBits(trace.output, referenceConvTranspose2d(input, weight, options), 'reference');
        const fast = convTranspose2d(input, weight, options);
        const [n, c, h, w] = fast.shape as [number, number, number, number];
        for (let i = 0; i < fast.data.length; i++) {
          const cell = { n: Math.floor(i / (c * h * w)), channel: Math.floor(i / (h * w)) % c, row: Math.floor(i / w) % h, col: i % w };
          const made = trace.contributionsTo(cell);
          assert.ok(Object.is(made.value, trace.output.data[i]), 'running sum is the trace output to the bit');
          const scale = made.contributions.reduce((sum, k) => sum + Math.abs(k.product), Math.abs(made.start));
          assert.ok(Math.abs((fast.data[i] as number) - made.value) <= 1e-12 * Math.max(scale, Number.MIN_VALUE), `cell ${i} of ${n} images`);
        }
      }),
      runs,
    );
  });

  it('the per-cell groupings partition the products the steps add', () => {
    fc.assert(
      fc.property(caseArb, ({ input, weight, options }) => {
        const trace = traceConvTranspose2d(input, weight, options);
        const [, c, h, w] = trace.output.shape as [number, number, number, number];
        const added = new Map<string, number>();
        for (let i = 0; i < trace.stepCount; i++) {
          const step = trace.step(i);
          for (const l of step.landings) {
            if (l.kind !== 'added') continue;
            added.set(`${i}|${step.input.n}|${step.outChannel}|${l.row}|${l.col}|${l.tap.row}|${l.tap.col}`, l.product);
          }
        }
        let grouped = 0;
        for (let i = 0; i < trace.output.data.length; i++) {
          const cell = { n: Math.floor(i / (c * h * w)), channel: Math.floor(i / (h * w)) % c, row: Math.floor(i / w) % h, col: i % w };
          const made = trace.contributionsTo(cell);
          let previous = -1;
          for (const k of made.contributions) {
            assert.ok(k.step > previous, 'ascending step order');
            previous = k.step;
            const key = `${k.step}|${cell.n}|${cell.channel}|${cell.row}|${cell.col}|${k.tap.row}|${k.tap.col}`;
            assert.ok(Object.is(added.get(key), k.product), `product ${key} is one a step added`);
            grouped++;
          }
        }
        assert.equal(grouped, added.size, 'every added product is in exactly one cell');
      }),
      runs,
    );
  });

  it('random access to any step count equals sequential replay of the steps, to the bit', () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), ({ input, weight, options, budget }, picks) => {
        const trace = traceConvTranspose2d(input, weight, options, { memoryBudgetBytes: budget });
        // Sequential replay from the steps' own description: bias, then each added product in order.
        const replayed: Float64Array[] = [];
        const current = trace.outputAfterSteps(0).data.slice();
        const [, c, h, w] = trace.output.shape as [number, number, number, number];
        replayed.push(current.slice());
        for (let i = 0; i < trace.stepCount; i++) {
          const step = trace.step(i);
          for (const l of step.landings) {
            if (l.kind !== 'added') continue;
            const at = ((step.input.n * c + step.outChannel) * h + l.row) * w + l.col;
            current[at] = (current[at] as number) + l.product;
          }
          replayed.push(current.slice());
        }
        // Random order, so restores, forward reuse and plane changes all happen.
        for (const pick of picks) {
          const count = pick % (trace.stepCount + 1);
          assertSameBits(trace.outputAfterSteps(count), { shape: trace.output.shape, data: replayed[count] as Float64Array }, `after ${count} steps`);
        }
      }),
      runs,
    );
  });

  it('a one-channel trace adds as many products as the overlap count map holds', () => {
    fc.assert(
      fc.property(caseArb, ({ input, options }) => {
        const [, , h, w] = input.shape as [number, number, number, number];
        const { stride, dilation, padding, outputPadding } = options;
        const kernel = [2, 3] as const;
        let overlap;
        try {
          overlap = analyzeOverlap({ inputSize: [h, w], kernel: [...kernel], stride, dilation, padding, outputPadding });
        } catch {
          return; // this kernel's output is empty
        }
        const single = traceConvTranspose2d(t([h, w], [...input.data.subarray(0, h * w)]), t([...kernel], new Array(6).fill(1)), { stride, dilation, padding, outputPadding });
        let added = 0;
        for (let i = 0; i < single.stepCount; i++) added += single.step(i).landings.filter((l) => l.kind === 'added').length;
        let counted = 0;
        for (const v of overlap.counts.data) counted += v;
        assert.equal(counted, added);
        assert.ok(counted <= h * w * kernel[0] * kernel[1]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('gather traces (convolution and pooling)', () => {
  it('conv2d input=3x3 k=2 p=1: a step is one output cell, its window and products, padding shown', () => {
    const input = t([3, 3], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const trace = traceConv2d(input, ones2x2, { padding: 1 });
    assert.equal(trace.stepCount, 16);
    assert.deepEqual(trace.order, ['image n', 'channel', 'output row', 'output column']);
    const first = trace.step(0);
    assert.deepEqual(first.terms.map((term) => term.kind), ['padding', 'padding', 'padding', 'input']);
    assert.equal(first.value, 1);
    const centre = trace.step(5);
    assert.deepEqual(centre.terms.map((term) => (term.kind === 'input' ? term.product : 'pad')), [1, 2, 4, 5]);
    assert.equal(centre.value, 12);
    assertTensor(trace.outputAfterSteps(2), [4, 4], [1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('conv2d: a padding tap with an infinite weight makes NaN, as the layer does', () => {
    const trace = traceConv2d(t([1, 1], [[2]]), t([1, 2], [[1, Infinity]]), { padding: [0, 1] });
    // Output column 1 reads input column 0 (weight 1) and the right padding (weight ∞).
    const step = trace.step(1);
    assert.deepEqual(step.terms.map((term) => term.kind), ['input', 'padding']);
    assert.ok(Number.isNaN(step.value));
    assert.ok(Number.isNaN(trace.output.data[1] as number));
  });

  it('maxPool2d and avgPool2d: a step is one window, with its winner or its sum and divisor', () => {
    const input = t([4, 4], [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
    const max = traceMaxPool2d(input, { kernelSize: 3, stride: 2, padding: 1 });
    const m = max.step(0);
    assert.deepEqual(m.cells.map((c) => c.value), [1, 2, 5, 6]);
    assert.equal(m.winner, 3);
    assert.equal(m.value, 6);
    const avg = traceAvgPool2d(input, { kernelSize: 3, stride: 2, padding: 1 });
    const a = avg.step(0);
    assert.deepEqual([a.sum, a.divisor, a.value], [14, 9, 14 / 9]);
    const exclusive = traceAvgPool2d(input, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }).step(0);
    assert.equal(exclusive.divisor, 4);
  });

  it('property: every gather step recomputes the layer’s output cell to the bit', () => {
    const arb = fc.record({
      c: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 2, max: 5 }),
      w: fc.integer({ min: 2, max: 5 }),
      k: fc.integer({ min: 1, max: 2 }),
      s: fc.integer({ min: 1, max: 2 }),
      p: fc.integer({ min: 0, max: 1 }),
      seed: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 60, maxLength: 60 }),
    });
    fc.assert(
      fc.property(arb, ({ c, h, w, k, s, p, seed }) => {
        const input = { shape: [c, h, w], data: Float64Array.from({ length: c * h * w }, (_, i) => seed[i % 60] as number) };
        const weight = { shape: [c, c, k, k], data: Float64Array.from({ length: c * c * k * k }, (_, i) => seed[(i * 7) % 60] as number) };
        const pool = { kernelSize: 2, stride: s, padding: p };
        const traces = [
          [traceConv2d(input, weight, { stride: s, padding: p }), conv2d(input, weight, { stride: s, padding: p })],
          [traceMaxPool2d(input, pool), maxPool2d(input, pool)],
          [traceAvgPool2d(input, pool), avgPool2d(input, pool)],
        ] as const;
        for (const [trace, output] of traces) {
          for (let i = 0; i < trace.stepCount; i++) assert.ok(Object.is(trace.step(i).value, output.data[i]), `${trace.kind} step ${i}`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
