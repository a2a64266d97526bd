/** The arguments of a 1-D or 3-D layer given to the commands (src/host/volume/volumeArguments.ts). */
import * as assert from 'node:assert/strict';
import { asksForVolumeLayer, readTensor, readVolumeArguments } from '../../../src/host/volume/volumeArguments';

describe('volume layer arguments', () => {
  it('routes only 1-D and 3-D ops to the volume panel', () => {
    assert.ok(asksForVolumeLayer({ op: 'convTranspose1d', input: [1] }));
    assert.ok(!asksForVolumeLayer({ op: 'conv1d' }, ['convTranspose1d', 'convTranspose3d']));
    assert.ok(!asksForVolumeLayer({ input: [[1]] }));
    assert.ok(!asksForVolumeLayer(undefined));
  });

  it('reads nested arrays up to 5 levels and { shape, data }', () => {
    assert.deepEqual(readTensor([[[1, 2, 3]]], 'input').shape, [1, 1, 3]);
    const five = readTensor([[[[[1, 2]], [[3, 4]]]], [[[[5, 6]], [[7, 8]]]]], 'input');
    assert.deepEqual([five.shape, Array.from(five.data)], [[2, 1, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]]);
    assert.deepEqual(Array.from(readTensor({ shape: [1, 1, 2], data: [4, 5] }, 'input').data), [4, 5]);
    assert.throws(() => readTensor({ shape: [1, 1, 3], data: [4, 5] }, 'input'), /"data" must be 3 numbers/);
    assert.throws(() => readTensor([[[[[1]]], [[[1, 2]]]]], 'input'), /ragged/);
    assert.throws(() => readTensor({ shape: [100000, 100000], data: [] }, 'input'), /more than/);
  });

  it('checks the fields and says what is missing', () => {
    const read = readVolumeArguments({ op: 'convTranspose3d', input: [[[1]]], weight: [[[1]]], options: { stride: [1, 2, 2] }, show: false }, 'Transposed Convolution');
    assert.equal(read.show, false);
    assert.deepEqual(read.call.options, { stride: [1, 2, 2] });
    assert.throws(() => readVolumeArguments({ op: 'convTranspose1d', input: [1] }, 'X'), /"weight" is missing/);
    assert.throws(() => readVolumeArguments({ op: 'maxPool1d', input: [1], weight: [1] }, 'X'), /no weight/);
    assert.throws(() => readVolumeArguments({ op: 'conv1d', input: [1], weight: [1], kernel: [1] }, 'X'), /Unknown argument "kernel"/);
    assert.throws(() => readVolumeArguments({ op: 'conv1d', input: [1], weight: [1], options: { stride: { a: 1 } } }, 'X'), /Option "stride"/);
    assert.throws(() => readVolumeArguments({ op: 'conv1d', input: [1], weight: [1], show: 'yes' }, 'X'), /"show" must be true or false/);
  });
});
