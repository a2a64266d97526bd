/**
 * Every way a call can be refused: a LayerError with a stable code and a message that names the
 * parameter, its value and what would be valid.
 */
import * as assert from 'node:assert/strict';
import {
  asSentence,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  LayerError,
  maxPool2d,
  outputShape,
  pixelShuffle,
  upsample,
  type Tensor,
} from '../../../src/core/engine/index';
import { assertLayerError, t } from './helpers';

const matrix = t([2, 2], [1, 2, 3, 4]);
const kernel = t([2, 2], [1, 1, 1, 1]);
const image = (c: number, h: number, w: number): Tensor => t([1, c, h, w], new Array(c * h * w).fill(1));

describe('layer errors', () => {
  describe('option values', () => {
    it('negative padding and output_padding', () => {
      assertLayerError(() => convTranspose2d(matrix, kernel, { padding: -1 }), 'invalid-parameter', /^padding \(-1\) must be 0 or more$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { outputPadding: [0, -1] }), 'invalid-parameter', /^output_padding \[0, -1\]: the width value -1 must be 0 or more$/);
      assertLayerError(() => conv2d(matrix, kernel, { padding: [-2, 0] }), 'invalid-parameter', /padding \[-2, 0\]: the height value -2 must be 0 or more/);
    });

    it('zero or negative stride and dilation, and groups', () => {
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: 0 }), 'invalid-parameter', /^stride \(0\) must be 1 or more$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: [2, 0] }), 'invalid-parameter', /^stride \[2, 0\]: the width value 0 must be 1 or more$/);
      assertLayerError(() => conv2d(matrix, kernel, { dilation: 0 }), 'invalid-parameter', /^dilation \(0\) must be 1 or more$/);
      assertLayerError(() => conv2d(matrix, kernel, { groups: 0 }), 'invalid-parameter', /^groups \(0\) must be 1 or more$/);
    });

    it('non-integer and non-finite values, and wrong forms', () => {
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: 1.5 }), 'invalid-parameter', /^stride \(1\.5\) must be a whole number$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { padding: NaN }), 'invalid-parameter', /^padding \(NaN\) must be a whole number$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { dilation: Infinity }), 'invalid-parameter', /^dilation \(Infinity\) must be a whole number$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { groups: 1.5 }), 'invalid-parameter', /^groups \(1\.5\) must be a whole number$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: [1, 2, 3] as never }), 'invalid-parameter', /^stride must be an int or a pair \[h, w\], not \[1, 2, 3\]$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: '2' as never }), 'invalid-parameter', /^stride must be an int or a pair \[h, w\], not "2"$/);
      assertLayerError(() => convTranspose1d(t([1, 2], [1, 2]), t([1, 1, 1], [1]), { stride: [1, 2] as never }), 'invalid-parameter', /stride must be an int or a one-element list \[l\]/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { padding: 'same' as never }), 'invalid-parameter', /padding "same" is not supported: use an int or a pair/);
      assertLayerError(() => conv2d(matrix, kernel, { padding: 'full' as never }), 'invalid-parameter', /padding "full" is not supported: use 'same', 'valid'/);
    });

    it("padding='same' with a stride", () => {
      assertLayerError(() => conv2d(matrix, kernel, { padding: 'same', stride: 2 }), 'invalid-parameter', /padding='same' needs stride 1, but stride is 2/);
      assertLayerError(() => conv1d(t([1, 4], [1, 2, 3, 4]), t([1, 1, 2], [1, 1]), { padding: 'same', stride: 3 }), 'invalid-parameter', /padding='same' needs stride 1/);
    });
  });

  describe('shapes and channels', () => {
    it('input rank, empty axes and data that does not fill the shape', () => {
      assertLayerError(() => convTranspose2d(t([3], [1, 2, 3]), kernel), 'invalid-shape', /convTranspose2d takes .* but the input has shape \[3\] \(1-D\)/);
      assertLayerError(() => conv1d(t([1, 1, 1, 2], [1, 2]), t([1, 1, 1], [1])), 'invalid-shape', /conv1d takes a batch \[N, C, L\] or a sequence \[C, L\], but the input has shape \[1, 1, 1, 2\]/);
      assertLayerError(() => convTranspose2d({ shape: [2, 0], data: new Float64Array(0) }, kernel), 'invalid-shape', /width axis is empty/);
      assertLayerError(() => convTranspose2d({ shape: [2, 2], data: new Float64Array(3) }, kernel), 'invalid-shape', /^input holds 3 values but its shape \[2, 2\] needs 4$/);
      assertLayerError(() => convTranspose2d(matrix, { shape: [2, 2], data: [1, 1, 1, 1] as never }), 'invalid-shape', /weight data must be a Float64Array/);
      assertLayerError(() => convTranspose2d({ shape: [2, -2], data: new Float64Array(0) }, kernel), 'invalid-shape', /input shape \[2, -2\] must list whole sizes/);
    });

    it('weight rank', () => {
      assertLayerError(() => convTranspose2d(image(1, 2, 2), kernel), 'invalid-shape', /^weight must be a 4-D \[C_in, C_out\/groups, kH, kW\] tensor for a 4-D input, but has shape \[2, 2\] \(2-D\)$/);
      assertLayerError(() => conv2d(matrix, t([1, 2, 2], [1, 1, 1, 1])), 'invalid-shape', /weight must be a \[kH, kW\] kernel or a 4-D \[C_out, C_in\/groups, kH, kW\] tensor/);
      assertLayerError(() => conv1d(t([1, 3], [1, 2, 3]), t([1, 2], [1, 1])), 'invalid-shape', /weight must be a 3-D \[C_out, C_in\/groups, k\] tensor/);
      assertLayerError(() => convTranspose2d(matrix, t([1, 1, 0, 2], [])), 'invalid-shape', /weight shape \[1, 1, 0, 2\] has an empty axis/);
    });

    it('input channels that do not match the kernel', () => {
      assertLayerError(() => convTranspose2d(image(2, 2, 2), t([3, 1, 1, 1], [1, 1, 1])), 'channel-mismatch', /^kernel has 3 input channels but the input has 2 /);
      assertLayerError(() => conv2d(image(3, 2, 2), t([4, 1, 1, 1], [1, 1, 1, 1]), { groups: 2 }), 'channel-mismatch', /^kernel has 2 input channels \(1 per group × groups 2\) but the input has 3/);
      assertLayerError(() => conv2d(image(2, 2, 2), t([1, 1, 1, 1], [1])), 'channel-mismatch', /kernel has 1 input channels but the input has 2/);
    });

    it('groups that do not divide the channels', () => {
      assertLayerError(() => convTranspose2d(image(4, 2, 2), t([4, 1, 1, 1], [1, 1, 1, 1]), { groups: 3 }), 'groups-mismatch', /^groups \(3\) must divide the weight's 4 input channels .*valid groups: 1, 2, 4$/);
      assertLayerError(() => conv2d(image(2, 2, 2), t([3, 1, 1, 1], [1, 1, 1]), { groups: 2 }), 'groups-mismatch', /groups \(2\) must divide the weight's 3 output channels/);
    });

    it('a bias of the wrong size or rank', () => {
      assertLayerError(() => convTranspose2d(matrix, kernel, { bias: t([2], [1, 2]) }), 'bias-mismatch', /^bias must be 1-D with one value per output channel \(\[1\]\), but has shape \[2\]$/);
      assertLayerError(() => conv2d(image(1, 2, 2), t([2, 1, 1, 1], [1, 1]), { bias: t([1, 2], [1, 2]) }), 'bias-mismatch', /bias must be 1-D .*\(\[2\]\), but has shape \[1, 2\]/);
    });

    it('a matrix input with a weight of several output channels', () => {
      assertLayerError(() => convTranspose2d(matrix, t([1, 2, 1, 1], [1, 1])), 'channel-mismatch', /a matrix input gives a matrix output, but the weight \[1, 2, 1, 1\] has 2 output channels/);
    });
  });

  describe('sizes', () => {
    it('output_padding not smaller than stride or dilation', () => {
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: 2, outputPadding: 2 }), 'output-padding-too-large', /^output_padding \(2\) must be smaller than stride \(2\) or dilation \(1\) on the height axis: use 0 to 1$/);
      assertLayerError(() => convTranspose2d(matrix, kernel, { outputPadding: [0, 1] }), 'output-padding-too-large', /output_padding \(1\) must be smaller than stride \(1\) or dilation \(1\) on the width axis: use 0 to 0/);
      assertLayerError(() => convTranspose1d(t([1, 2], [1, 2]), t([1, 1, 2], [1, 1]), { stride: 2, outputPadding: 3, dilation: 3 }), 'output-padding-too-large', /^output_padding \(3\) must be smaller than stride \(2\) or dilation \(3\): use 0 to 2$/);
    });

    it('an empty transposed-convolution output, with the formula and its values', () => {
      assertLayerError(
        () => convTranspose2d(matrix, kernel, { padding: 2 }),
        'empty-output',
        /^output would be empty: H_out = \(H_in − 1\)·stride − 2·padding \+ dilation·\(kernel_size − 1\) \+ output_padding \+ 1 = \(2 − 1\)·1 − 2·2 \+ 1·\(2 − 1\) \+ 0 \+ 1 = −1; padding \(2\) can be at most 1 on the height axis$/,
      );
      assertLayerError(() => convTranspose1d(t([1, 1], [1]), t([1, 1, 1], [1]), { padding: 1 }), 'empty-output', /L_out = .* = \(1 − 1\)·1 − 2·1 \+ 1·\(1 − 1\) \+ 0 \+ 1 = −1; padding \(1\) can be at most 0 on the length axis/);
    });

    it('a convolution kernel larger than the padded input', () => {
      assertLayerError(
        () => conv2d(matrix, t([3, 1], [1, 1, 1])),
        'kernel-too-large',
        /^kernel is larger than the padded input on the height axis: dilation·\(kernel_size − 1\) \+ 1 = 1·\(3 − 1\) \+ 1 = 3 > H_in \+ 2·padding = 2 \+ 2·0 = 2; use a smaller kernel or more padding$/,
      );
      assertLayerError(() => conv2d(matrix, kernel, { dilation: [1, 2] }), 'kernel-too-large', /on the width axis: .* = 2·\(2 − 1\) \+ 1 = 3 > W_in \+ 2·padding = 2 \+ 2·0 = 2; use a smaller kernel or dilation, or more padding/);
    });

    it('pooling padding more than half the kernel, and an empty pooling output', () => {
      assertLayerError(() => maxPool2d(matrix, { kernelSize: 2, padding: 2 }), 'pool-padding-too-large', /^padding \(2\) must be at most half of kernel_size \(2\) on the height axis: use 0 to 1$/);
      assertLayerError(() => avgPool2d(matrix, { kernelSize: [2, 3], padding: [0, 2] }), 'pool-padding-too-large', /padding \(2\) must be at most half of kernel_size \(3\) on the width axis/);
      assertLayerError(() => maxPool2d(matrix, { kernelSize: 3 }), 'empty-output', /^output would be empty: H_out = ⌊\(H_in \+ 2·padding − dilation·\(kernel_size − 1\) − 1\) \/ stride⌋ \+ 1 = ⌊\(2 \+ 2·0 − 1·\(3 − 1\) − 1\) \/ 3⌋ \+ 1 = 0/);
      assertLayerError(() => avgPool2d(matrix, { kernelSize: 3 }), 'empty-output', /H_out = ⌊\(H_in \+ 2·padding − kernel_size\) \/ stride⌋ \+ 1 = ⌊\(2 \+ 2·0 − 3\) \/ 3⌋ \+ 1 = 0/);
    });

    it('pooling options', () => {
      assertLayerError(() => maxPool2d(matrix, {} as never), 'invalid-parameter', /maxPool2d needs kernel_size/);
      assertLayerError(() => maxPool2d(matrix, { kernelSize: 0 }), 'invalid-parameter', /^kernel_size \(0\) must be 1 or more$/);
      assertLayerError(() => maxPool2d(matrix, { kernelSize: 2, ceilMode: 'yes' as never }), 'invalid-parameter', /^ceil_mode must be true or false, not "yes"$/);
      assertLayerError(() => avgPool2d(matrix, { kernelSize: 2, dilation: 2 } as never), 'invalid-parameter', /avgPool2d has no dilation/);
      assertLayerError(() => maxPool2d(matrix, { kernelSize: 2, countIncludePad: false } as never), 'invalid-parameter', /maxPool2d has no count_include_pad/);
    });

    it('upsampling options', () => {
      assertLayerError(() => upsample(matrix, { scaleFactor: 2, size: 4 }), 'invalid-parameter', /^give either size or scale_factor, not both$/);
      assertLayerError(() => upsample(matrix, {}), 'invalid-parameter', /give size or scale_factor/);
      assertLayerError(() => upsample(matrix, { mode: 'bicubic' as never, scaleFactor: 2 }), 'invalid-parameter', /^mode "bicubic" is not supported: use 'nearest' or 'bilinear'$/);
      assertLayerError(() => upsample(matrix, { mode: 'nearest', scaleFactor: 2, alignCorners: false }), 'invalid-parameter', /^align_corners \(false\) only applies to mode 'bilinear'/);
      assertLayerError(() => upsample(matrix, { scaleFactor: 0 }), 'invalid-parameter', /^scale_factor \(0\) must be a positive, finite number$/);
      assertLayerError(() => upsample(matrix, { scaleFactor: [2, Infinity] }), 'invalid-parameter', /scale_factor \[2, Infinity\]: the width value Infinity must be a positive, finite number/);
      assertLayerError(() => upsample(matrix, { size: [2, 0] }), 'invalid-parameter', /size \[2, 0\]: the width value 0 must be 1 or more/);
      assertLayerError(() => upsample(matrix, { scaleFactor: 0.4 }), 'empty-output', /^output would be empty: H_out = ⌊H_in·scale_factor⌋ = ⌊2·0\.4⌋ = 0/);
    });

    it('pixel shuffle options', () => {
      assertLayerError(() => pixelShuffle(image(3, 1, 1), { upscaleFactor: 2 }), 'channel-mismatch', /^the input's 3 channels must be divisible by upscale_factor² = 2² = 4/);
      assertLayerError(() => pixelShuffle(matrix, { upscaleFactor: 2 }), 'channel-mismatch', /a matrix has one channel, so only upscale_factor 1 fits/);
      assertLayerError(() => pixelShuffle(matrix, { upscaleFactor: 0 }), 'invalid-parameter', /^upscale_factor \(0\) must be 1 or more$/);
      assertLayerError(() => pixelShuffle(matrix, {} as never), 'invalid-parameter', /pixelShuffle needs upscale_factor/);
    });

    it('an output too large to allocate', () => {
      assertLayerError(() => convTranspose2d(matrix, kernel, { stride: 100_000 }), 'too-large', /^the output \[100002, 100002\] would hold 10,000,400,004 values, more than the 134,217,728 values \(1 GiB of float64\) Layer Lens computes at once$/);
    });
  });

  it('outputShape refuses exactly what the layer refuses, with the same error', () => {
    const calls: [() => unknown, () => unknown][] = [
      [() => convTranspose2d(matrix, kernel, { padding: 2 }), () => outputShape('convTranspose2d', [2, 2], { kernelSize: 2, padding: 2 })],
      [() => convTranspose2d(image(2, 2, 2), t([3, 1, 1, 1], [1, 1, 1])), () => outputShape('convTranspose2d', [1, 2, 2, 2], { weightShape: [3, 1, 1, 1] })],
      [() => conv2d(matrix, t([3, 1], [1, 1, 1])), () => outputShape('conv2d', [2, 2], { weightShape: [3, 1] })],
      [() => maxPool2d(matrix, { kernelSize: 2, padding: 2 }), () => outputShape('maxPool2d', [2, 2], { kernelSize: 2, padding: 2 })],
      [() => upsample(matrix, { scaleFactor: 0.4 }), () => outputShape('upsample', [2, 2], { scaleFactor: 0.4 })],
      [() => pixelShuffle(image(3, 1, 1), { upscaleFactor: 2 }), () => outputShape('pixelShuffle', [1, 3, 1, 1], { upscaleFactor: 2 })],
    ];
    for (const [layer, shape] of calls) {
      const fromLayer = catchError(layer);
      const fromShape = catchError(shape);
      assert.equal(fromShape.code, fromLayer.code);
      assert.equal(fromShape.message, fromLayer.message);
    }
    assertLayerError(() => outputShape('conv4d' as never, [2, 2], {} as never), 'invalid-parameter', /unknown layer "conv4d"/);
    assertLayerError(() => outputShape('conv2d', [2, 2], {} as never), 'invalid-shape', /conv2d needs the weight's shape \(weightShape\) or its kernel size \(kernelSize\)/);
  });
});

function catchError(run: () => unknown): LayerError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof LayerError);
    return error;
  }
  assert.fail('expected a LayerError');
}

describe('asSentence', () => {
  it('capitalises an engine message and ends it once', () => {
    assert.equal(asSentence('stride must be at least 1, not 0'), 'Stride must be at least 1, not 0.');
    assert.equal(asSentence('output would be empty.'), 'Output would be empty.');
  });
});
