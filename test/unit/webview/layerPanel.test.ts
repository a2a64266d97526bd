import * as assert from 'node:assert/strict';
import { traceGatherLayer, type GatherLayerCall } from '../../../src/core/engine/index';
import { fieldsOf } from '../../../webview/layer/fields';
import { cellName, describeStep } from '../../../webview/layer/stepText';

const matrix = (rows: number[][]) => ({ shape: [rows.length, (rows[0] as number[]).length], data: Float64Array.from(rows.flat()) });
const grid4 = matrix([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);

function field(call: GatherLayerCall, key: string) {
  const found = fieldsOf(call).find((f) => f.key === key);
  assert.ok(found, `field ${key}`);
  return found;
}

describe('layer panel fields', () => {
  it('shows each layer’s parameters in PyTorch’s order', () => {
    const conv: GatherLayerCall = { op: 'conv2d', input: grid4, weight: matrix([[1, 0], [0, 1]]), options: { stride: [2, 2], padding: 0, dilation: 1, groups: 1 } };
    assert.deepEqual(fieldsOf(conv).map((f) => f.label), ['stride', 'padding', 'dilation', 'groups']);
    assert.deepEqual(fieldsOf({ op: 'maxPool2d', input: grid4, options: { kernelSize: 2 } }).map((f) => f.label), ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode']);
    assert.deepEqual(fieldsOf({ op: 'avgPool2d', input: grid4, options: { kernelSize: 2 } }).map((f) => f.label), ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad']);
    assert.deepEqual(fieldsOf({ op: 'upsample', input: grid4, options: { mode: 'nearest', scaleFactor: 2 } }).map((f) => f.label), ['scale_factor', 'mode']);
    assert.deepEqual(fieldsOf({ op: 'upsample', input: grid4, options: { mode: 'bilinear', size: [8, 8], alignCorners: true } }).map((f) => f.label), ['size', 'mode', 'align_corners']);
    const stride = field(conv, 'stride');
    assert.equal(stride.kind === 'text' && stride.value, '2');
  });

  it('an edit gives a new call, or says what is wrong with the text', () => {
    const pool: GatherLayerCall = { op: 'maxPool2d', input: grid4, options: { kernelSize: 2, padding: 0 } };
    const stride = field(pool, 'stride');
    assert.ok(stride.kind === 'text');
    assert.equal(stride.value, '', 'no stride given: PyTorch uses the window size');
    const edited = stride.edit('1, 2');
    assert.ok(edited.ok);
    assert.deepEqual(edited.call.options, { kernelSize: 2, padding: 0, stride: [1, 2] });
    const cleared = fieldsOf(edited.call).find((f) => f.key === 'stride');
    assert.ok(cleared?.kind === 'text');
    const back = cleared.edit('  ');
    assert.ok(back.ok);
    assert.deepEqual(back.call.options, { kernelSize: 2, padding: 0 });
    const bad = stride.edit('two');
    assert.ok(!bad.ok);
    assert.match(bad.message, /stride must be a whole number, not “two”/);
    const conv: GatherLayerCall = { op: 'conv2d', input: grid4, weight: matrix([[1]]), options: { padding: 0 } };
    const padding = field(conv, 'padding');
    assert.ok(padding.kind === 'text');
    const same = padding.edit('same');
    assert.ok(same.ok);
    assert.equal((same.call.options as { padding: unknown }).padding, 'same');
    // Keras' 'same' for any stride (a Keras Conv2D opened by Inspect Layer shows it), and it can be typed back.
    const keras = field({ ...conv, options: { stride: 2, padding: 'keras-same' } }, 'padding');
    assert.ok(keras.kind === 'text');
    assert.equal(keras.value, 'keras-same');
    const typed = padding.edit('keras-same');
    assert.ok(typed.ok);
    assert.equal((typed.call.options as { padding: unknown }).padding, 'keras-same');
  });

  it('switching upsampling to nearest drops align_corners, which PyTorch refuses there', () => {
    const call: GatherLayerCall = { op: 'upsample', input: grid4, options: { mode: 'bilinear', scaleFactor: 2, alignCorners: true } };
    const mode = field(call, 'mode');
    assert.ok(mode.kind === 'choice');
    const nearest = mode.edit('nearest');
    assert.ok(nearest.ok);
    assert.deepEqual(nearest.call.options, { mode: 'nearest', scaleFactor: 2 });
    const scale = field(call, 'scaleFactor');
    assert.ok(scale.kind === 'text');
    const half = scale.edit('1.5, 2');
    assert.ok(half.ok);
    assert.deepEqual((half.call.options as { scaleFactor: unknown }).scaleFactor, [1.5, 2]);
    const zero = scale.edit('0');
    assert.ok(!zero.ok);
  });
});

describe('layer panel step text', () => {
  it('names cells in the caller’s rank', () => {
    const cell = { n: 1, channel: 2, row: 3, col: 4 };
    assert.equal(cellName(cell, 2), '[3, 4]');
    assert.equal(cellName(cell, 3), '[2, 3, 4]');
    assert.equal(cellName(cell, 4), '[1, 2, 3, 4]');
  });

  it('convolution: lists the window’s products with running sums, padding taps greyed', () => {
    const call: GatherLayerCall = { op: 'conv2d', input: matrix([[1, 2], [3, 4]]), weight: matrix([[1, 10], [100, 1000]]), options: { padding: 1 } };
    const text = describeStep(call, traceGatherLayer(call).step(0));
    assert.equal(text.sentence, 'out[0, 0] = the sum of 4 products of its window with the kernel (3 of them over the zero padding) = 1000.');
    assert.equal(text.lines.filter((l) => l.muted).length, 3);
    assert.equal(text.lines[3]?.text, 'x[0, 0] × w[1, 1] = 1 × 1000 = 1000 (sum 1000)');
    assert.deepEqual(text.reads.map((c) => [c.row, c.col]), [[0, 0]]);
  });

  it('max pooling marks the winner; average pooling says the divisor and why', () => {
    const max: GatherLayerCall = { op: 'maxPool2d', input: grid4, options: { kernelSize: 2 } };
    const m = describeStep(max, traceGatherLayer(max).step(3));
    assert.equal(m.sentence, "out[1, 1] = the largest of its window's 4 cells = 16, at x[3, 3].");
    assert.deepEqual(m.decisive && [m.decisive.row, m.decisive.col], [3, 3]);
    const avg: GatherLayerCall = { op: 'avgPool2d', input: grid4, options: { kernelSize: 3, stride: 2, padding: 1 } };
    const a = describeStep(avg, traceGatherLayer(avg).step(0));
    assert.equal(a.sentence, 'out[0, 0] = (sum of 4 cells = 14) / 9 (the divisor counts 5 padding cells) = 1.556.');
  });

  it('upsampling and pixel shuffle name the cells they read', () => {
    const nearest: GatherLayerCall = { op: 'upsample', input: matrix([[1, 2], [3, 4]]), options: { scaleFactor: 2 } };
    assert.equal(describeStep(nearest, traceGatherLayer(nearest).step(7)).sentence, 'out[1, 3] copies the input cell it falls in: x[0, 1] = 2.');
    const bilinear: GatherLayerCall = { op: 'upsample', input: matrix([[0, 4]]), options: { mode: 'bilinear', size: [1, 4] } };
    const b = describeStep(bilinear, traceGatherLayer(bilinear).step(1));
    assert.equal(b.lines[0]?.text, 'upper = x[0, 0] 0 × 0.75 + x[0, 1] 4 × 0.25 = 1');
    assert.equal(b.reads.length, 2, 'the copied row is read once');
    const shuffle: GatherLayerCall = { op: 'pixelShuffle', input: { shape: [4, 1, 1], data: Float64Array.from([10, 20, 30, 40]) }, options: { upscaleFactor: 2 } };
    assert.equal(
      describeStep(shuffle, traceGatherLayer(shuffle).step(2)).sentence,
      'out[0, 1, 0] sits at (1, 0) of its 2 × 2 block, so it takes input channel 0·2² + 1·2 + 0 = 2 at [0, 0]: 30.',
    );
  });
});
