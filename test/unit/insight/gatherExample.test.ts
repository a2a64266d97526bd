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
    assert.match(example("layers.Conv2D(8, 3, padding='same')") as string, /only in PyTorch's terms/);
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
    assert.match(volume('nn.Conv1d(8, 8, 3, groups=8)') as string, /groups/);
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
