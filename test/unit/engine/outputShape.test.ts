import * as assert from 'node:assert/strict';
import { conv1d, convTranspose2d, formatAxisFormula, outputShape, type AxisFormula } from '../../../src/core/engine/index';
import { axisFormula, term } from '../../../src/core/engine/formula';
import { t } from './helpers';

function texts(axes: readonly AxisFormula[], style?: 'values' | 'symbols' | 'both'): string[] {
  return axes.map((axis) => formatAxisFormula(axis, style));
}

describe('outputShape', () => {
  it('gives the transposed-convolution formula with each term and its value', () => {
    const result = outputShape('convTranspose2d', [2, 2], { kernelSize: 2 });
    assert.deepEqual(result.shape, [3, 3]);
    const [height] = result.axes;
    assert.ok(height);
    assert.equal(height.name, 'H_out');
    assert.equal(height.value, 3);
    assert.equal(height.symbolic, '(H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1');
    assert.equal(height.substituted, '(2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1');
    assert.deepEqual(
      height.parts.filter((part) => typeof part !== 'string'),
      [
        { symbol: 'H_in', value: 2 },
        { symbol: 'stride', value: 1 },
        { symbol: 'padding', value: 0 },
        { symbol: 'dilation', value: 1 },
        { symbol: 'kernel_size', value: 2 },
        { symbol: 'output_padding', value: 0 },
      ],
    );
    assert.deepEqual(texts(result.axes), ['H_out = (2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 3', 'W_out = (2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 3']);
    assert.equal(formatAxisFormula(height, 'symbols'), 'H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = 3');
    assert.equal(formatAxisFormula(height, 'both'), 'H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = (2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 3');
  });

  it('uses each axis its own values', () => {
    const result = outputShape('convTranspose2d', [1, 3, 4, 5], { weightShape: [3, 2, 3, 2], stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], dilation: [1, 2] });
    assert.deepEqual(result.shape, [1, 2, 8, 17]);
    assert.deepEqual(texts(result.axes), ['H_out = (4 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 8', 'W_out = (5 − 1)·3 − 2·0 + 2·(2 − 1) + 2 + 1 = 17']);
  });

  it('agrees with the shape the layer computes', () => {
    const input = t([1, 2, 3], [1, 2, 3, 4, 5, 6]);
    const weight = t([1, 4, 2, 2], new Array(16).fill(1));
    const options = { stride: 2, padding: [1, 0] as const, outputPadding: 1 };
    assert.deepEqual([...convTranspose2d(input, weight, options).shape], outputShape('convTranspose2d', [1, 2, 3], { ...options, weightShape: [1, 4, 2, 2] }).shape);
    assert.deepEqual([...conv1d(t([2, 5], new Array(10).fill(1)), t([3, 2, 2], new Array(12).fill(1)), { stride: 2 }).shape], outputShape('conv1d', [2, 5], { weightShape: [3, 2, 2], stride: 2 }).shape);
  });

  it('kernelSize alone keeps the channel count of images', () => {
    assert.deepEqual(outputShape('convTranspose2d', [2, 6, 3, 3], { kernelSize: [2, 1], stride: 2, groups: 3 }).shape, [2, 6, 6, 5]);
    assert.deepEqual(outputShape('conv2d', [6, 5, 5], { kernelSize: 3 }).shape, [6, 3, 3]);
    assert.deepEqual(outputShape('convTranspose1d', [4, 3], { kernelSize: 3, stride: 2 }).shape, [4, 7]);
  });

  it('plain convolution, including the asymmetric padding of padding="same"', () => {
    assert.deepEqual(texts(outputShape('conv2d', [5, 5], { kernelSize: 3, stride: 2, padding: 1 }).axes, 'both'), [
      'H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 = ⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3',
      'W_out = ⌊(W_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 = ⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3',
    ]);
    const same = outputShape('conv2d', [5, 5], { kernelSize: 4, padding: 'same' });
    assert.deepEqual(same.shape, [5, 5]);
    assert.equal(formatAxisFormula(same.axes[1] as AxisFormula, 'symbols'), 'W_out = ⌊(W_in + padding_left + padding_right − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 = 5');
    assert.equal(formatAxisFormula(same.axes[0] as AxisFormula), 'H_out = ⌊(5 + 1 + 2 − 1·(4 − 1) − 1) / 1⌋ + 1 = 5');
  });

  it('1-D layers have one L axis', () => {
    const result = outputShape('convTranspose1d', [1, 2, 3], { weightShape: [2, 1, 3], stride: 2, padding: 1, outputPadding: 1 });
    assert.deepEqual(result.shape, [1, 1, 6]);
    assert.deepEqual(texts(result.axes), ['L_out = (3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6']);
    assert.deepEqual(outputShape('conv1d', [2, 7], { kernelSize: [3], padding: 'valid' }).shape, [2, 5]);
  });

  it('pooling, with the ceil-mode correction spelled out', () => {
    const floor = outputShape('avgPool2d', [1, 1, 5, 5], { kernelSize: 2 });
    assert.deepEqual(texts(floor.axes), ['H_out = ⌊(5 + 2·0 − 2) / 2⌋ + 1 = 2', 'W_out = ⌊(5 + 2·0 − 2) / 2⌋ + 1 = 2']);
    const ceil = outputShape('maxPool2d', [1, 1, 6, 6], { kernelSize: 2, stride: [3, 1], padding: [0, 1], ceilMode: true });
    assert.deepEqual(ceil.shape, [1, 1, 2, 7]);
    assert.equal(
      formatAxisFormula(ceil.axes[0] as AxisFormula),
      'H_out = ⌈(6 + 2·0 − 1·(2 − 1) − 1) / 3⌉ + 1 − 1 = 2 (ceil_mode drops the last window: it would start past the input and its left padding)',
    );
    assert.equal(formatAxisFormula(ceil.axes[1] as AxisFormula), 'W_out = ⌈(6 + 2·1 − 1·(2 − 1) − 1) / 1⌉ + 1 = 7');
  });

  it('upsampling and pixel shuffle', () => {
    const scaled = outputShape('upsample', [3, 5, 4], { mode: 'bilinear', scaleFactor: [1.5, 2] });
    assert.deepEqual(scaled.shape, [3, 7, 8]);
    assert.deepEqual(texts(scaled.axes, 'both'), ['H_out = ⌊H_in·scale_factor⌋ = ⌊5·1.5⌋ = 7', 'W_out = ⌊W_in·scale_factor⌋ = ⌊4·2⌋ = 8']);
    const sized = outputShape('upsample', [5, 4], { size: [3, 9] });
    assert.deepEqual(sized.shape, [3, 9]);
    assert.deepEqual(texts(sized.axes, 'both'), ['H_out = size = 3', 'W_out = size = 9']);
    const shuffled = outputShape('pixelShuffle', [2, 8, 3, 4], { upscaleFactor: 2 });
    assert.deepEqual(shuffled.shape, [2, 2, 6, 8]);
    assert.deepEqual(texts(shuffled.axes), ['C_out = 8 / 2² = 2', 'H_out = 3·2 = 6', 'W_out = 4·2 = 8']);
  });

  it('prints negative values with a true minus sign, bracketed inside formulas', () => {
    const axis = axisFormula('H_out', ['2 + ', term('x', -3), ' + ', term('y', 0.1 + 0.2)], -0.7);
    assert.equal(axis.symbolic, '2 + x + y');
    assert.equal(axis.substituted, '2 + (−3) + 0.3');
    assert.equal(formatAxisFormula(axis), 'H_out = 2 + (−3) + 0.3 = −0.7');
  });
});
