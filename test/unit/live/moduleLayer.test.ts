import * as assert from 'node:assert/strict';
import { planLiveLayer, readModuleDescription } from '../../../src/core/live/moduleLayer';

const module = (type: string, attributes: Record<string, unknown>, extra: { weight?: boolean; bias?: boolean; module?: string } = {}) =>
  readModuleDescription({ type, module: extra.module ?? 'torch.nn.modules.conv', attributes, weight: extra.weight ?? true, bias: extra.bias ?? true });

describe('live modules as the engine\'s layers', () => {
  it('reads ConvTranspose2d and Conv2d hyperparameters with PyTorch\'s names', () => {
    const conv = { kernel_size: [4, 4], stride: [2, 2], padding: [1, 1], output_padding: [1, 0], dilation: [1, 1], groups: 2, padding_mode: 'zeros' };
    assert.deepEqual(planLiveLayer(module('ConvTranspose2d', conv), 'self.up'), {
      ok: true,
      plan: { op: 'convTranspose2d', bias: true, options: { stride: [2, 2], dilation: [1, 1], groups: 2, padding: [1, 1], outputPadding: [1, 0] } },
    });
    assert.deepEqual(planLiveLayer(module('Conv2d', { ...conv, padding: 'same' }, { bias: false }), 'c'), {
      ok: true,
      plan: { op: 'conv2d', bias: false, options: { stride: [2, 2], dilation: [1, 1], groups: 2, padding: 'same' } },
    });
  });

  it('reads the 1-D convolutions, whose sizes PyTorch keeps as one-element tuples', () => {
    const conv = { kernel_size: [3], stride: [2], padding: [1], output_padding: [1], dilation: [1], groups: 1, padding_mode: 'zeros' };
    assert.deepEqual(planLiveLayer(module('ConvTranspose1d', conv), 'up'), { ok: true, plan: { op: 'convTranspose1d', bias: true, options: { stride: 2, dilation: 1, groups: 1, padding: 1, outputPadding: 1 } } });
    assert.deepEqual(planLiveLayer(module('Conv1d', { ...conv, padding: 'valid' }), 'c'), { ok: true, plan: { op: 'conv1d', bias: true, options: { stride: 2, dilation: 1, groups: 1, padding: 'valid' } } });
  });

  it('reads pools, upsampling and pixel shuffle', () => {
    assert.deepEqual(planLiveLayer(module('MaxPool2d', { kernel_size: 2, stride: 2, padding: 0, dilation: 1, ceil_mode: false, return_indices: false }, { module: 'torch.nn.modules.pooling' }), 'p'), {
      ok: true,
      plan: { op: 'maxPool2d', options: { kernelSize: 2, stride: 2, padding: 0, dilation: 1, ceilMode: false } },
    });
    assert.deepEqual(planLiveLayer(module('AvgPool2d', { kernel_size: 3, stride: null, padding: 1, ceil_mode: true, count_include_pad: false, divisor_override: null }), 'p'), {
      ok: true,
      plan: { op: 'avgPool2d', options: { kernelSize: 3, stride: 3, padding: 1, ceilMode: true, countIncludePad: false } },
    });
    assert.deepEqual(planLiveLayer(module('Upsample', { size: null, scale_factor: 2, mode: 'bilinear', align_corners: null, recompute_scale_factor: null }), 'u'), {
      ok: true,
      plan: { op: 'upsample', options: { mode: 'bilinear', scaleFactor: 2, alignCorners: false } },
    });
    assert.deepEqual(planLiveLayer(module('Upsample', { size: [5, 7], scale_factor: null, mode: 'nearest', align_corners: null }), 'u'), { ok: true, plan: { op: 'upsample', options: { mode: 'nearest', size: [5, 7] } } });
    assert.deepEqual(planLiveLayer(module('PixelShuffle', { upscale_factor: 3 }), 's'), { ok: true, plan: { op: 'pixelShuffle', options: { upscaleFactor: 3 } } });
  });

  it('refuses in words what the engine does not compute', () => {
    const refusal = (reading: ReturnType<typeof planLiveLayer>) => (reading.ok ? 'accepted' : reading.problem);
    assert.match(refusal(planLiveLayer(module('Conv2d', { stride: 1, dilation: 1, groups: 1, padding: 0, padding_mode: 'reflect' }), 'c')), /c is a Conv2d: its padding_mode is 'reflect'/);
    assert.match(refusal(planLiveLayer(module('AvgPool2d', { kernel_size: 2, divisor_override: 3 }), 'p')), /divisor_override is 3/);
    assert.match(refusal(planLiveLayer(module('Upsample', { scale_factor: 2, mode: 'bicubic' }), 'u')), /mode is 'bicubic'/);
    assert.match(refusal(planLiveLayer(module('MaxPool2d', { kernel_size: 2, return_indices: true }), 'p')), /return_indices/);
    assert.match(refusal(planLiveLayer(module('Linear', {}), 'fc')), /fc is a Linear; Run Live Layer runs ConvTranspose2d/);
    assert.match(refusal(planLiveLayer(module('Generator', {}, { module: '__main__' }), 'self')), /self is a __main__\.Generator, not one of PyTorch's layers/);
    assert.match(refusal(planLiveLayer(module('Conv2d', { stride: 'x', dilation: 1, groups: 1, padding: 0, padding_mode: 'zeros' }), 'c')), /its stride is "x"/);
    assert.throws(() => readModuleDescription({ attributes: {} }), /lacks its type/);
  });
});
