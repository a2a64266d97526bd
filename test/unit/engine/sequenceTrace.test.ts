/**
 * Step traces of the 1-D layers, which trace a sequence as an image of height 1: every cell in row
 * 0, every step's value the layer's, and each output cell's contributions summing to it.
 */
import * as assert from 'node:assert/strict';
import {
  avgPool1d,
  conv1d,
  convTranspose1d,
  maxPool1d,
  traceAvgPool1d,
  traceConv1d,
  traceConvTranspose1d,
  traceMaxPool1d,
  traceConvTranspose2d,
  traceUpsample,
  traceUpsample1d,
  tensor,
  upsample1d,
} from '../../../src/core/engine/index';
import { assertLayerError } from './helpers';

const input = tensor([2, 2, 5], [0.5, -1, 2, 3, -0.25, 1, 1.5, -2, 0, 4, 2, -3, 0.75, 1, -1, 0.5, 2, -0.5, 3, 1]);

describe('step traces of 1-D layers', () => {
  it('a transposed convolution: the output, every cell in row 0, contributions that add up', () => {
    const weight = tensor([2, 3, 3], Array.from({ length: 18 }, (_, i) => (i % 5) - 2));
    const options = { stride: 2, padding: 1, outputPadding: 1, bias: tensor([3], [0.5, -1, 2]) };
    const trace = traceConvTranspose1d(input, weight, options);
    const direct = convTranspose1d(input, weight, options);
    assert.equal(trace.kind, 'convTranspose1d');
    assert.deepEqual([...trace.output.shape], direct.shape);
    assert.deepEqual([...trace.output.data], [...direct.data]);
    assert.deepEqual([...trace.outputAfterSteps(trace.stepCount).data], [...direct.data]);
    assert.equal(trace.stepCount, 2 * 3 * 2 * 5);
    const step = trace.step(7);
    assert.equal(step.input.row, 0);
    assert.equal(step.window.rows.start, 0);
    const length = direct.shape[2] as number;
    for (let col = 0; col < length; col++) {
      const cell = trace.contributionsTo({ n: 1, channel: 2, row: 0, col });
      assert.ok(Math.abs(cell.value - (direct.data[(3 + 2) * length + col] as number)) < 1e-12);
    }
  });

  it('refuses 1-D options a 2-D trace would take, in the 1-D layer\'s words', () => {
    const weight = tensor([2, 1, 2], [1, 1, 1, 1]);
    assertLayerError(() => traceConvTranspose1d(input, weight, { stride: [2, 2] as never }), 'invalid-parameter', /stride must be an int or a one-element list \[l\]/);
    assertLayerError(() => traceConvTranspose2d(input, weight), 'invalid-shape', /weight must be/);
  });

  it('a convolution and the pools: each step is the layer\'s value at its cell', () => {
    const weight = tensor([4, 1, 2], [1, -1, 0.5, 2, -3, 1, 0, 1]);
    const conv = traceConv1d(input, weight, { groups: 2, padding: 'same', dilation: 2 });
    const convOut = conv1d(input, weight, { groups: 2, padding: 'same', dilation: 2 });
    assert.equal(conv.kind, 'conv1d');
    assert.equal(conv.stepCount, convOut.data.length);
    for (let i = 0; i < conv.stepCount; i++) {
      const step = conv.step(i);
      assert.equal(step.output.row, 0);
      assert.ok(Math.abs(step.value - (convOut.data[i] as number)) < 1e-12, `step ${i}`);
    }
    const pools = [
      [traceMaxPool1d(input, { kernelSize: 3, stride: 2, padding: 1, dilation: 1, ceilMode: true }), maxPool1d(input, { kernelSize: 3, stride: 2, padding: 1, dilation: 1, ceilMode: true })],
      [traceAvgPool1d(input, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }), avgPool1d(input, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false })],
    ] as const;
    for (const [trace, direct] of pools) {
      assert.deepEqual([...trace.output.shape], direct.shape);
      for (let i = 0; i < trace.stepCount; i++) assert.ok(Math.abs(trace.step(i).value - (direct.data[i] as number)) < 1e-12, `${trace.kind} step ${i}`);
    }
  });

  it('upsampling a sequence: nearest and linear steps give the layer\'s values, infinities included', () => {
    const signal = tensor([1, 2, 4], [1, Infinity, -2, 0.5, 3, 0, -1, 2]);
    for (const options of [{ mode: 'nearest', scaleFactor: 2.5 }, { mode: 'linear', scaleFactor: 1.5 }, { mode: 'linear', size: 7, alignCorners: true }] as const) {
      const direct = upsample1d(signal, options);
      for (const trace of [traceUpsample1d(signal, options), ...(options.mode === 'linear' ? [traceUpsample(signal, options)] : [])]) {
        assert.deepEqual([...trace.output.shape], direct.shape);
        for (let i = 0; i < trace.stepCount; i++) {
          const step = trace.step(i);
          assert.equal(step.output.row, 0);
          assert.ok(Object.is(step.value, direct.data[i]) || Math.abs(step.value - (direct.data[i] as number)) < 1e-12, `${JSON.stringify(options)} step ${i}: ${step.value} vs ${direct.data[i]}`);
        }
      }
    }
    assertLayerError(() => traceUpsample(tensor([1, 1, 2, 2, 2], new Float64Array(8)), { mode: 'trilinear', scaleFactor: 2 }), 'invalid-parameter', /trace a volume \(mode 'trilinear' on a 5-D input\) with traceUpsample3d/);
  });
});
