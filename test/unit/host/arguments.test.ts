import * as assert from 'node:assert/strict';
import { parseStrideText, readSetKernelArguments, readSizeText, readTransposedConvolutionArguments, tensorFromNested, UserFacingError } from '../../../src/host/common/arguments';

describe('command arguments', () => {
  it('reads matrices, pairs and scalars, and ignores a URI passed by a menu', () => {
    const args = readTransposedConvolutionArguments({ input: [[1, 2]], kernel: '[1 1]', stride: [2, 1], padding: 0 });
    assert.deepEqual(args.input, [[1, 2]]);
    assert.equal(args.kernel, '[1 1]');
    assert.deepEqual(args.stride, [2, 1]);
    assert.equal(args.padding, 0);
    assert.deepEqual(readTransposedConvolutionArguments({ scheme: 'file', path: '/x.py' }), {});
    assert.deepEqual(readTransposedConvolutionArguments(undefined), {});
  });

  it('names the argument that is wrong', () => {
    assert.throws(() => readTransposedConvolutionArguments({ strid: 2 }), (e: unknown) => e instanceof UserFacingError && /Unknown argument "strid"/.test(e.message));
    assert.throws(() => readTransposedConvolutionArguments({ stride: 'two' }), /Argument "stride" must be a number or a pair \[h, w\], not "two"/);
    assert.throws(() => readTransposedConvolutionArguments({ stride: [1, 2, 3] }), /not an array of 3/);
    assert.throws(() => readTransposedConvolutionArguments({ input: 5 }), /Argument "input" must be a nested array/);
  });

  it('turns nested arrays into row-major tensors of rank 1 to 4', () => {
    assert.deepEqual(tensorFromNested([1, 2, 3], 'x').shape, [3]);
    const t = tensorFromNested([[1, 2], [3, 4], [5, 6]], 'x');
    assert.deepEqual(t.shape, [3, 2]);
    assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(tensorFromNested([[[[1]]]], 'x').shape, [1, 1, 1, 1]);
  });

  it('explains ragged, empty, too deep and non-numeric arrays', () => {
    assert.throws(() => tensorFromNested([[1, 2], [3]], 'input'), /Argument "input" is ragged: \[1\] has 1 values where 2 values are expected/);
    assert.throws(() => tensorFromNested([], 'input'), /empty list/);
    assert.throws(() => tensorFromNested([[[[[1]]]]], 'input'), /more than 4 levels/);
    assert.throws(() => tensorFromNested([[1, 'a']], 'kernel'), /Argument "kernel" at \[0\]\[1\] is "a", not a number/);
    assert.throws(() => tensorFromNested([[1, [2]]], 'kernel'), /not a number/);
  });

  it('reads a stride typed as one or two whole numbers', () => {
    assert.deepEqual(parseStrideText('2'), [2, 2]);
    assert.deepEqual(parseStrideText(' 2, 1 '), [2, 1]);
    assert.deepEqual(parseStrideText('3 1'), [3, 1]);
    assert.match(parseStrideText('0') as string, /"0" is not a valid stride/);
    assert.match(parseStrideText('1.5') as string, /"1.5" is not a valid stride/);
    assert.match(parseStrideText('') as string, /Type a stride/);
    assert.match(parseStrideText('1 2 3') as string, /Type a stride/);
  });
});

describe('Set Kernel arguments', () => {
  it('reads a matrix, or a preset with its size, sigma and seed', () => {
    assert.deepEqual(readSetKernelArguments({ kernel: [[1, 2], [3, 4]] }), { kernel: [[1, 2], [3, 4]], preset: undefined, size: undefined, sigma: undefined, seed: undefined });
    assert.deepEqual(readSetKernelArguments({ preset: 'gaussian', size: [3, 5], sigma: 0.8 }), { kernel: undefined, preset: 'gaussian', size: [3, 5], sigma: 0.8, seed: undefined });
    assert.deepEqual(readSetKernelArguments(undefined), {});
  });

  it('names what is wrong: an unknown preset, both a kernel and a preset, a sigma that is no number, an unknown key', () => {
    assert.throws(() => readSetKernelArguments({ preset: 'sharpen' }), /Argument "preset" must be one of box, bilinear, gaussian, sobelX, sobelY, laplacian, identity, random, not "sharpen"/);
    assert.throws(() => readSetKernelArguments({ preset: 'box', kernel: [[1]] }), /either "kernel" or "preset", not both/);
    assert.throws(() => readSetKernelArguments({ preset: 'gaussian', sigma: '1' }), /Argument "sigma" must be a number, not "1"/);
    assert.throws(() => readSetKernelArguments({ sizes: 3 }), /Unknown argument "sizes": Set Kernel takes kernel, preset, size, sigma, seed/);
  });
});

describe('sizes typed into an input box', () => {
  it('reads one number or height and width, and explains anything else', () => {
    assert.equal(readSizeText('4'), 4);
    assert.deepEqual(readSizeText('3, 5'), [3, 5]);
    assert.deepEqual(readSizeText('3×5'), [3, 5]);
    for (const bad of ['', '0', '2.5', '1, 2, 3', 'big']) assert.match(String(readSizeText(bad)), /^Type a size/, bad);
  });
});
