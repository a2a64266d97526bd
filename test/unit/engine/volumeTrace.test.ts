/**
 * The step trace of a 3-D transposed convolution: the 2-D trace's steps with a depth, walking the
 * input volume slice by slice. Its output must be the layer's, random access must equal replaying
 * the steps, each cell's contributions must add up to it, and an image's positions keep no depth key.
 */
import * as assert from 'node:assert/strict';
import {
  avgPool3d,
  conv3d,
  convTranspose3d,
  maxPool3d,
  planConvTransposeTrace,
  tensor,
  traceAvgPool3d,
  traceConv2d,
  traceConv3d,
  traceConvTranspose2d,
  traceConvTranspose3d,
  traceMaxPool3d,
  traceUpsample3d,
  upsample3d,
} from '../../../src/core/engine/index';
import { assertLayerError } from './helpers';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (((i * 7 + seed) % 11) - 5) / 4);

describe('step trace of a 3-D transposed convolution', () => {
  const input = tensor([2, 2, 2, 3, 2], values(48, 1));
  const weight = tensor([2, 2, 3, 2, 2], values(48, 3));
  const options = { stride: [2, 1, 2] as const, padding: [1, 0, 1] as const, outputPadding: [1, 0, 0] as const, dilation: [1, 2, 1] as const, bias: tensor([2], [0.5, -1]) };
  const trace = traceConvTranspose3d(input, weight, options);
  const direct = convTranspose3d(input, weight, options);

  it('plans its memory as the trace keeps it (before computing anything)', () => {
    const plan = planConvTransposeTrace(input.shape, weight.shape, { stride: [2, 1, 2], padding: [1, 0, 1], outputPadding: [1, 0, 0], dilation: [1, 2, 1], biasShape: [2] }, {}, 'convTranspose3d');
    assert.deepEqual(plan, trace.memory);
    assertLayerError(() => planConvTransposeTrace([1, 2, 2, 2, 2], [1, 1, 2, 2, 2], { stride: [2, 2] as never }, {}, 'convTranspose3d'), 'invalid-parameter', /stride must be an int or a triple/);
  });

  it('computes the layer\'s output, one step per input value and output channel', () => {
    assert.equal(trace.kind, 'convTranspose3d');
    assert.deepEqual([...trace.output.shape], direct.shape);
    direct.data.forEach((v, i) => assert.ok(Math.abs((trace.output.data[i] as number) - v) < 1e-12, `value ${i}`));
    assert.equal(trace.stepCount, 2 * 2 * (2 * 2 * 3 * 2));
  });

  it('a step carries depths: its input slice, each tap\'s slice and landing, the window\'s slices, front and back crops', () => {
    const step = trace.step(0);
    assert.equal(step.input.depth, 0);
    assert.deepEqual(step.window.depths, { start: -1, end: 2, step: 1 });
    assert.equal(step.landings.length, 3 * 2 * 2);
    const front = step.landings.filter((landing) => landing.kind === 'cropped' && landing.edges.includes('front'));
    assert.ok(front.length > 0 && front.every((landing) => landing.depth === -1 && landing.tap.depth === 0));
    assert.equal(step.visibleWindow?.depths?.start, 0);
  });

  it('random access to any step count equals replaying the steps in order', () => {
    const sequential = new Float64Array(trace.output.data.length);
    for (let count = 0; count <= trace.stepCount; count += 5) {
      const jumped = trace.outputAfterSteps(count);
      // Replay from scratch: bias, then every landing of every step so far.
      sequential.fill(0);
      const [n, channels, depth, height, width] = direct.shape as [number, number, number, number, number];
      for (let plane = 0; plane < n * channels; plane++) sequential.fill(plane % channels === 0 ? 0.5 : -1, plane * depth * height * width, (plane + 1) * depth * height * width);
      for (let s = 0; s < count; s++) {
        const step = trace.step(s);
        const plane = step.input.n * channels + step.outChannel;
        for (const landing of step.landings) {
          if (landing.kind !== 'added') continue;
          const at = ((plane * depth + (landing.depth as number)) * height + landing.row) * width + landing.col;
          sequential[at] = (sequential[at] as number) + landing.product;
        }
      }
      sequential.forEach((v, i) => assert.ok(Math.abs((jumped.data[i] as number) - v) < 1e-12, `count ${count}, value ${i}`));
    }
  });

  it('each cell\'s contributions, with their depths, add up to the cell', () => {
    const [, channels, depth, height, width] = direct.shape as [number, number, number, number, number];
    for (let d = 0; d < depth; d++) {
      for (let row = 0; row < height; row++) {
        const cell = trace.contributionsTo({ n: 1, channel: 1, depth: d, row, col: width - 1 });
        assert.equal(cell.value, trace.output.data[(((1 * channels + 1) * depth + d) * height + row) * width + width - 1]);
        for (const c of cell.contributions) assert.equal(typeof c.input.depth, 'number');
      }
    }
    assertLayerError(() => trace.contributionsTo({ n: 0, channel: 0, depth: depth, row: 0, col: 0 }), 'invalid-parameter', /output slice \(depth\) \d+ is outside the trace/);
  });

  it('an image\'s trace has no depth anywhere', () => {
    const image = traceConvTranspose2d(tensor([1, 2, 2], [1, 2, 3, 4]), tensor([1, 1, 2, 2], [1, 1, 1, 1]));
    const step = image.step(1);
    assert.ok(!('depth' in step.input) && !('depths' in step.window) && step.landings.every((landing) => !('depth' in landing) && !('depth' in landing.tap)));
  });
});

describe('step traces of 3-D convolution and pooling', () => {
  const input = tensor([2, 4, 3, 3], values(72, 2));

  it('each convolution step is the layer\'s output cell, its terms over the kernel\'s slices, padding marked with its depth', () => {
    const weight = tensor([2, 1, 2, 2, 3], values(24, 5));
    const options = { groups: 2, padding: [1, 0, 1] as const, stride: [2, 1, 1] as const, bias: tensor([2], [1, -1]) };
    const trace = traceConv3d(input, weight, options);
    const direct = conv3d(input, weight, options);
    assert.equal(trace.kind, 'conv3d');
    assert.equal(trace.stepCount, direct.data.length);
    for (let i = 0; i < trace.stepCount; i++) {
      const step = trace.step(i);
      assert.equal(typeof step.output.depth, 'number');
      assert.equal(step.terms.length, 2 * 2 * 3);
      assert.ok(Math.abs(step.value - (direct.data[i] as number)) < 1e-12, `step ${i}`);
    }
    const first = trace.step(0);
    assert.deepEqual(first.output, { n: 0, channel: 0, depth: 0, row: 0, col: 0 });
    const padding = first.terms.filter((term) => term.kind === 'padding');
    assert.ok(padding.some((term) => term.kind === 'padding' && term.depth === -1));
    const image = traceConv2d(tensor([1, 2, 2], [1, 2, 3, 4]), tensor([1, 1, 2, 2], [1, 1, 1, 1]), { padding: 1 });
    assert.ok(image.step(0).terms.every((term) => !('depth' in term) && !('depth' in term.tap)));
  });

  it('each pooling step is the layer\'s value over its window\'s slices, with divisor_override and ceil mode', () => {
    const max = { kernelSize: [2, 2, 3] as const, stride: [2, 1, 2] as const, padding: [1, 0, 1] as const, dilation: [1, 2, 1] as const, ceilMode: true };
    const avg = { kernelSize: [3, 2, 2] as const, stride: [2, 1, 2] as const, padding: [1, 1, 0] as const, ceilMode: true, countIncludePad: false };
    const pairs = [
      [traceMaxPool3d(input, max), maxPool3d(input, max)],
      [traceAvgPool3d(input, avg), avgPool3d(input, avg)],
      [traceAvgPool3d(input, { ...avg, divisorOverride: 5 }), avgPool3d(input, { ...avg, divisorOverride: 5 })],
    ] as const;
    for (const [trace, direct] of pairs) {
      assert.deepEqual([...trace.output.shape], direct.shape);
      for (let i = 0; i < trace.stepCount; i++) {
        const step = trace.step(i);
        assert.ok(step.cells.every((cell) => typeof cell.depth === 'number'));
        assert.ok(Object.is(step.value, direct.data[i]) || Math.abs(step.value - (direct.data[i] as number)) < 1e-12, `${trace.kind} step ${i}`);
      }
    }
    const step = pairs[2][0].step(0);
    assert.equal(step.kind === 'average' && step.divisor, 5);
  });

  it('upsampling a volume: nearest and trilinear steps are the layer\'s values, one channel (channels-last) and several', () => {
    for (const channels of [1, 2]) {
      const volume = tensor([1, channels, 2, 3, 2], values(12 * channels, channels));
      for (const options of [{ scaleFactor: [1.5, 1, 2.5] as const }, { mode: 'trilinear', size: [3, 4, 3] as const }, { mode: 'trilinear', scaleFactor: 2, alignCorners: true }] as const) {
        const trace = traceUpsample3d(volume, options);
        const direct = upsample3d(volume, options);
        assert.equal(trace.kind, 'upsample3d');
        assert.deepEqual([...trace.output.shape], direct.shape);
        for (let i = 0; i < trace.stepCount; i++) {
          const step = trace.step(i);
          assert.equal(typeof step.output.depth, 'number');
          assert.ok(Object.is(step.value, direct.data[i]), `${channels} channels, ${JSON.stringify(options)}, step ${i}: ${step.value} vs ${direct.data[i]}`);
          if (step.kind === 'trilinear') assert.equal(step.corners.length, 8);
        }
      }
    }
  });
});
