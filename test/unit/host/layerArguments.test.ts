import * as assert from 'node:assert/strict';
import { parseScaleText, parseWholeText, readConvolutionArguments, readPixelShuffleArguments, readPoolArguments, readUpsampleArguments } from '../../../src/host/layer/layerArguments';

describe('Convolution, Pool, Upsample and Pixel Shuffle arguments', () => {
  it('reads each layer’s fields and leaves out what was not given', () => {
    assert.deepEqual(readConvolutionArguments({ input: [[1, 2], [3, 4]], kernel: '[1 0; 0 1]', stride: [2, 1], padding: 'same' }), {
      input: [[1, 2], [3, 4]],
      kernel: '[1 0; 0 1]',
      stride: [2, 1],
      padding: 'same',
    });
    assert.deepEqual(readPoolArguments({ kind: 'average', kernelSize: 2, countIncludePad: false }), { kind: 'average', kernelSize: 2, countIncludePad: false });
    assert.deepEqual(readUpsampleArguments({ mode: 'bilinear', scaleFactor: [2, 1.5], alignCorners: true }), { mode: 'bilinear', scaleFactor: [2, 1.5], alignCorners: true });
    assert.deepEqual(readPixelShuffleArguments({ upscaleFactor: 2 }), { upscaleFactor: 2 });
    // A menu passes the document's URI: that is no arguments object.
    assert.deepEqual(readPoolArguments({ scheme: 'file', path: '/a.py' }), {});
  });

  it('names the argument that is wrong, and refuses what belongs to the other pooling', () => {
    assert.throws(() => readConvolutionArguments({ strides: 2 }), /Unknown argument "strides": Convolution takes input, kernel, stride, padding, dilation, groups/);
    assert.throws(() => readConvolutionArguments({ padding: 'full' }), /Argument "padding" must be a number or a pair/);
    assert.throws(() => readPoolArguments({ kind: 'min' }), /Argument "kind" must be "max" or "average", not "min"/);
    assert.throws(() => readPoolArguments({ kind: 'average', dilation: 2 }), /dilation" applies to max pooling only/);
    assert.throws(() => readPoolArguments({ kind: 'max', countIncludePad: true }), /applies to average pooling only/);
    assert.throws(() => readPoolArguments({ ceilMode: 'yes' }), /"ceilMode" must be true or false/);
    assert.throws(() => readUpsampleArguments({ scaleFactor: 2, size: [4, 4] }), /either "scaleFactor" or "size", not both/);
    assert.throws(() => readUpsampleArguments({ mode: 'bicubic' }), /"mode" must be "nearest" or "bilinear", not "bicubic"/);
    assert.throws(() => readPixelShuffleArguments({ upscaleFactor: 'two' }), /"upscaleFactor" must be a number/);
  });

  it('reads scale factors and whole numbers as typed, explaining what is wrong', () => {
    assert.deepEqual(parseScaleText('2'), [2, 2]);
    assert.deepEqual(parseScaleText('2, 1.5'), [2, 1.5]);
    assert.match(parseScaleText('0') as string, /"0" is not a valid scale factor/);
    assert.match(parseScaleText('1 2 3') as string, /one number \(2\) or height and width/);
    assert.equal(parseWholeText(' 3 ', 'an upscale factor'), 3);
    assert.match(parseWholeText('1.5', 'an upscale factor') as string, /Type an upscale factor: a whole number of at least 1/);
  });
});
