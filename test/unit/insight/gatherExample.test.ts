import * as assert from 'node:assert/strict';
import { gatherLayerShape, runGatherLayer, type GatherLayerCall } from '../../../src/core/engine/index';
import { gatherExample, volumeGatherExample, type VolumeGatherExample } from '../../../src/core/insight/gatherExample';
import { liftedCall, runVolumeLayer } from '../../../src/core/engine/volumeLayer';
import { tensor } from '../../../src/core/engine/tensor';
import { findLayerCalls } from '../../../src/core/parse/index';

function example(code: string, language = 'python', size: readonly number[] = [8, 8]): GatherLayerCall | string {
  const [call] = findLayerCalls(code, language);
  assert.ok(call, `a layer call in ${code}`);
  return gatherExample(call, size);
}

describe('gatherExample (Inspect Layer on convolution, pooling, upsampling, pixel shuffle)', () => {
  it('runs nn.Conv2d with its stride, padding and dilation, a kernel of ones of its size', () => {
    const call = example('nn.Conv2d(16, 8, 3, stride=2, padding=1)');
    assert.ok(typeof call !== 'string');
    assert.equal(call.op, 'conv2d');
    assert.deepEqual(call.op === 'conv2d' && [...call.weight.shape], [3, 3]);
    assert.deepEqual(call.options, { stride: [2, 2], padding: [1, 1], dilation: 1 });
    assert.deepEqual(gatherLayerShape(call).shape, [4, 4]);
    assert.deepEqual(example("nn.Conv2d(1, 1, (3, 5), padding='same')") !== 'string' && (example("nn.Conv2d(1, 1, (3, 5), padding='same')") as GatherLayerCall).options, { stride: 1, padding: 'same', dilation: 1 });
  });

  it('runs pooling with PyTorch’s stride default (the window) and its flags', () => {
    const max = example('nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)');
    assert.ok(typeof max !== 'string');
    assert.deepEqual(max.options, { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true, dilation: 1 });
    const avg = example('nn.AvgPool2d(2, count_include_pad=False)');
    assert.ok(typeof avg !== 'string');
    assert.deepEqual(avg.options, { kernelSize: [2, 2], padding: 0, ceilMode: false, countIncludePad: false });
    assert.deepEqual(runGatherLayer(avg).shape, [4, 4]);
    // The example's values vary, so a window's maximum is not every cell.
    assert.ok(new Set(max.input.data).size > 5);
  });

  it('runs nn.Upsample and nn.PixelShuffle (with r² input channels)', () => {
    const up = example("nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)", 'python', [3, 5]);
    assert.ok(typeof up !== 'string');
    assert.deepEqual(up.options, { scaleFactor: [2, 2], mode: 'bilinear', alignCorners: true });
    assert.deepEqual(gatherLayerShape(up).shape, [6, 10]);
    const shuffle = example('nn.PixelShuffle(3)');
    assert.ok(typeof shuffle !== 'string');
    assert.deepEqual([...shuffle.input.shape], [9, 8, 8]);
    assert.deepEqual(gatherLayerShape(shuffle).shape, [1, 24, 24]);
  });

  it('says why a call cannot be run rather than approximating it', () => {
    assert.match(example("nn.Upsample(scale_factor=2, mode='bicubic')") as string, /mode 'bicubic' is not one Layer Lens computes/);
    assert.match(example('nn.Conv2d(c, c, k)') as string, /kernel_size=k is an expression/);
    assert.match(example('nn.AvgPool2d(2, divisor_override=3)') as string, /divisor_override/);
    // Keras' 'same' pool at stride 1 with an odd total pads one more after than before, which PyTorch cannot (kerasGatherExample.test.ts has the rest).
    assert.match(example("layers.MaxPooling2D(2, strides=1, padding='same')") as string, /one more after than before/);
  });

  it('keeps the example small: sides above 32 are cut to 32', () => {
    const call = example('nn.MaxPool2d(2)', 'python', [256, 128]);
    assert.ok(typeof call !== 'string');
    assert.deepEqual([...call.input.shape], [32, 32]);
  });
});

describe('volumeGatherExample (Inspect Layer on 1-D and 3-D convolution, pooling, upsampling)', () => {
  const volume = (code: string, size: readonly number[] = []): VolumeGatherExample | string => {
    const [call] = findLayerCalls(code, 'python');
    assert.ok(call, `a layer call in ${code}`);
    return volumeGatherExample(call, size);
  };
  // The output shape the engine computes for the example, batch and channel axes included.
  const run = (e: VolumeGatherExample): readonly number[] =>
    runVolumeLayer(liftedCall({ op: e.op, input: tensor(e.input.shape, e.input.data), ...(e.weight ? { weight: tensor(e.weight.shape, e.weight.data) } : {}), options: e.options })).shape;

  it('runs nn.Conv1d and nn.Conv3d on one channel with a kernel of ones of the layer’s size', () => {
    const conv1 = volume('nn.Conv1d(80, 256, kernel_size=7, padding=3, stride=2)', [20]);
    assert.ok(typeof conv1 !== 'string');
    assert.deepEqual([conv1.op, conv1.input.shape, conv1.weight?.shape, conv1.options], ['conv1d', [20], [7], { stride: 2, padding: 3, dilation: 1 }]);
    assert.deepEqual(run(conv1), [1, 1, 10]);
    const conv3 = volume('nn.Conv3d(8, 16, (1, 3, 3), stride=(1, 2, 2), padding=1)');
    assert.ok(typeof conv3 !== 'string');
    assert.deepEqual([conv3.input.shape, conv3.weight?.shape], [[4, 4, 4], [1, 3, 3]]);
    // D: 4 + 2 − 1 + 1 = 6; H, W: ⌊(4 + 2 − 3) / 2⌋ + 1 = 2.
    assert.deepEqual(run(conv3), [1, 1, 6, 2, 2]);
  });

  it("runs Keras' 1-D and 3-D layers in PyTorch's terms when they are exact: 'valid', an even 'same', nearest upsampling", () => {
    // Conv1D 'same', kernel 3, stride 2 on 7: ⌈7 / 2⌉ = 4 outputs, (4 − 1)·2 + 3 − 7 = 2 padded, 1 each side.
    const same = volume('layers.Conv1D(8, 3, strides=2, padding="same")', [7]);
    assert.ok(typeof same !== 'string');
    assert.deepEqual([same.options.padding, same.options.stride], [1, 2]);
    assert.deepEqual(run(same), [1, 1, 4]);
    // On 8 Keras pads 1 in all, after: PyTorch cannot, and says why.
    assert.match(volume('layers.Conv1D(8, 3, strides=2, padding="same")', [8]) as string, /pads 1 along axis 1 for an input of 8, one more after than before/);
    const valid = volume('layers.Conv3D(4, (1, 3, 3))', [4, 6, 6]);
    assert.ok(typeof valid !== 'string');
    assert.deepEqual(run(valid), [1, 1, 4, 4, 4]);
    // Keras' average pooling leaves the padding out of the mean; its pool stride is the pool size.
    const avg = volume('layers.AveragePooling1D(3, strides=1, padding="same")', [8]);
    assert.ok(typeof avg !== 'string');
    assert.deepEqual([avg.options.padding, avg.options.countIncludePad], [1, false]);
    const pooled = runVolumeLayer(liftedCall({ op: avg.op, input: tensor(avg.input.shape, avg.input.data), options: avg.options }));
    assert.equal(pooled.data[0], ((avg.input.data[0] as number) + (avg.input.data[1] as number)) / 2);
    const max = volume('layers.MaxPooling3D(pool_size=2, padding="same")', [4, 4, 4]);
    assert.ok(typeof max !== 'string');
    assert.deepEqual(run(max), [1, 1, 2, 2, 2]);
    const up = volume('layers.UpSampling1D(size=3)', [5]);
    assert.ok(typeof up !== 'string');
    assert.deepEqual([up.options.mode, run(up)], ['nearest', [1, 1, 15]]);
  });

  it('runs a grouped nn.Conv1d / nn.Conv3d with one channel per group (up to 4), as the transposed example does', () => {
    const grouped = volume('nn.Conv1d(4, 2, 3, groups=2, padding=1)', [6]);
    assert.ok(typeof grouped !== 'string');
    // weight [C_out, C_in / groups, k] = [2, 1, 3]; each channel its own pattern.
    assert.deepEqual([grouped.input.shape, grouped.weight?.shape, grouped.options.groups], [[1, 2, 6], [2, 1, 3], 2]);
    assert.notDeepEqual(grouped.input.data.slice(0, 6), grouped.input.data.slice(6));
    assert.deepEqual(run(grouped), [1, 2, 6]);
    const conv3 = volume('nn.Conv3d(3, 3, 3, groups=3)');
    assert.ok(typeof conv3 !== 'string');
    assert.deepEqual([conv3.input.shape, conv3.weight?.shape], [[1, 3, 4, 4, 4], [3, 1, 3, 3, 3]]);
    assert.deepEqual(run(conv3), [1, 3, 2, 2, 2]);
    // Depthwise over 8 channels: each group draws the same picture, so the example runs one.
    const depthwise = volume('nn.Conv1d(8, 8, 3, groups=8)');
    assert.ok(typeof depthwise !== 'string');
    assert.equal(depthwise.options.groups, undefined);
    assert.match(volume('nn.Conv1d(8, 8, 3, groups=g)') as string, /groups=g is an expression/);
  });

  it('runs the 1-D and 3-D pools and upsampling with their options, and cuts a volume to 16 a side', () => {
    const pool = volume('nn.MaxPool3d(2)', [40, 40, 6]);
    assert.ok(typeof pool !== 'string');
    assert.deepEqual(pool.input.shape, [16, 16, 6]);
    assert.deepEqual(run(pool), [1, 1, 8, 8, 3]);
    const avg = volume('nn.AvgPool1d(4, stride=2, padding=1, count_include_pad=False)');
    assert.ok(typeof avg !== 'string');
    assert.deepEqual(run(avg), [1, 1, 4]);
    const up = volume("nn.Upsample(scale_factor=2, mode='linear')");
    assert.ok(typeof up !== 'string');
    assert.deepEqual([up.op, run(up)], ['upsample1d', [1, 1, 16]]);
    assert.match(volume('nn.MaxPool1d(k)') as string, /k.*expression/);
  });
});
