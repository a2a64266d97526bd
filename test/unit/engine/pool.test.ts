import * as assert from 'node:assert/strict';
import { avgPool2d, avgPool3d, maxPool2d, maxPool3d, outputShape, tensor } from '../../../src/core/engine/index';
import { assertTensor, t } from './helpers';

const sixteen = t([4, 4], [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);

describe('maxPool2d', () => {
  it('takes the max of each window; stride defaults to the kernel size', () => {
    assertTensor(maxPool2d(sixteen, { kernelSize: 2 }), [2, 2], [[6, 8], [14, 16]]);
    assertTensor(maxPool2d(sixteen, { kernelSize: 2, stride: 1 }), [3, 3], [[6, 7, 8], [10, 11, 12], [14, 15, 16]]);
  });

  it('pads with −∞ and dilates', () => {
    assertTensor(maxPool2d(sixteen, { kernelSize: 3, stride: 2, padding: 1 }), [2, 2], [[6, 8], [14, 16]]);
    assertTensor(maxPool2d(sixteen, { kernelSize: 2, dilation: 2, stride: 1 }), [2, 2], [[11, 12], [15, 16]]);
    const negative = t([2, 2], [-1, -2, -3, -4]);
    assertTensor(maxPool2d(negative, { kernelSize: 2, stride: 1, padding: 1 }), [3, 3], [[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]);
  });

  it('ceil mode keeps a partial last window, unless it would start in the right padding', () => {
    const five = t([1, 5], [1, 5, 2, 4, 3]);
    assertTensor(maxPool2d(five, { kernelSize: [1, 2], ceilMode: true }), [1, 3], [[5, 4, 3]]);
    assertTensor(maxPool2d(five, { kernelSize: [1, 2] }), [1, 2], [[5, 4]]);
    // W: ⌈(6 + 2·1 − 2) / 1⌉ + 1 = 7 windows start at −1…5, all inside the input or left padding.
    // H: ⌈(6 − 2) / 3⌉ + 1 = 3, but the third window would start at 6 = H_in + padding: dropped.
    const shape = outputShape('maxPool2d', [1, 1, 6, 6], { kernelSize: 2, stride: [3, 1], padding: [0, 1], ceilMode: true });
    assertTensor(maxPool2d(t([1, 1, 6, 6], new Array(36).fill(1)), { kernelSize: 2, stride: [3, 1], padding: [0, 1], ceilMode: true }), shape.shape, new Array(14).fill(1));
  });

  it('lets NaN win, as PyTorch does, and keeps infinities', () => {
    const input = t([2, 4], [[1, NaN, -Infinity, 3], [4, 5, -Infinity, -Infinity]]);
    assertTensor(maxPool2d(input, { kernelSize: 2 }), [1, 2], [[NaN, 3]]);
    assertTensor(maxPool2d(t([1, 2], [NaN, 7]), { kernelSize: [1, 2] }), [1, 1], [NaN]);
    assertTensor(maxPool2d(t([1, 2], [7, NaN]), { kernelSize: [1, 2] }), [1, 1], [NaN]);
    assertTensor(maxPool2d(t([1, 2], [-Infinity, -Infinity]), { kernelSize: [1, 2] }), [1, 1], [-Infinity]);
  });

  it('pools every channel of [C, H, W] and [N, C, H, W] inputs separately', () => {
    const input = t([2, 1, 2], [1, 2, 30, 40]);
    assertTensor(maxPool2d(input, { kernelSize: [1, 2] }), [2, 1, 1], [2, 40]);
    assertTensor(maxPool2d(t([2, 1, 1, 2], [1, 2, 30, 40]), { kernelSize: [1, 2] }), [2, 1, 1, 1], [2, 40]);
  });
});

describe('avgPool2d', () => {
  const nine = t([3, 3], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);

  it('averages each window', () => {
    assertTensor(avgPool2d(sixteen, { kernelSize: 2 }), [2, 2], [[3.5, 5.5], [11.5, 13.5]]);
  });

  it('counts the zero padding in the divisor by default, and not with countIncludePad false', () => {
    assertTensor(avgPool2d(nine, { kernelSize: 2, padding: 1 }), [2, 2], [[0.25, 1.25], [2.75, 7]]);
    assertTensor(avgPool2d(nine, { kernelSize: 2, padding: 1, countIncludePad: false }), [2, 2], [[1, 2.5], [5.5, 7]]);
  });

  it('in ceil mode, a last window is divided by the part inside input and padding, never the part past them', () => {
    const row = t([1, 4], [2, 4, 6, 8]);
    // Windows [0, 3) and [2, 5): the second hangs one past the end, so it divides by 2, not 3.
    assertTensor(avgPool2d(row, { kernelSize: [1, 3], stride: [1, 2], ceilMode: true }), [1, 2], [[4, 7]]);
    // With padding 1 the windows are [−1, 1), [1, 3), [3, 5): the last includes the right padding.
    assertTensor(avgPool2d(row, { kernelSize: [1, 2], stride: [1, 2], padding: [0, 1], ceilMode: true }), [1, 3], [[1, 5, 4]]);
    assertTensor(avgPool2d(row, { kernelSize: [1, 2], stride: [1, 2], padding: [0, 1], ceilMode: true, countIncludePad: false }), [1, 3], [[2, 5, 8]]);
  });

  it('in ceil mode, a window may be larger than the input (PyTorch allows it when it starts inside)', () => {
    assertTensor(avgPool2d(t([1, 2], [2, 4]), { kernelSize: [1, 3], ceilMode: true }), [1, 1], [[3]]);
  });

  it('propagates NaN', () => {
    assertTensor(avgPool2d(t([2, 2], [1, NaN, 3, 4]), { kernelSize: [1, 2] }), [2, 1], [NaN, 3.5]);
  });
});

describe('avg_pool3d refuses an input smaller than its kernel, padding or not (PyTorch 1.13, AveragePool3d.cpp)', () => {
  it('2×2×2 with kernel 3, padding 1: refused in PyTorch\'s words; max_pool3d and avg_pool2d run it', () => {
    const cube = tensor([1, 1, 2, 2, 2], new Float64Array(8).fill(1));
    assert.throws(() => avgPool3d(cube, { kernelSize: 3, stride: 1, padding: 1 }), /input image \(T: 2 H: 2 W: 2\) smaller than kernel size \(kT: 3 kH: 3 kW: 3\)/);
    assert.throws(() => avgPool3d(tensor([1, 1, 5, 5, 2], new Float64Array(50).fill(1)), { kernelSize: 3, stride: 1, padding: 1 }), /\(T: 5 H: 5 W: 2\) smaller than kernel size/);
    assert.deepEqual(maxPool3d(cube, { kernelSize: 3, stride: 1, padding: 1 }).shape, [1, 1, 2, 2, 2]);
    assert.deepEqual(avgPool2d(tensor([1, 1, 2, 2], new Float64Array(4).fill(1)), { kernelSize: 3, stride: 1, padding: 1 }).shape, [1, 1, 2, 2]);
    assert.deepEqual(avgPool3d(tensor([1, 1, 3, 3, 3], new Float64Array(27).fill(1)), { kernelSize: 3, stride: 1, padding: 1 }).shape, [1, 1, 3, 3, 3]);
  });
});
