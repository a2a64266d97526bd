/**
 * A literal read as the input of a 1-D or 3-D layer the way PyTorch (or Keras) reads a tensor of
 * that rank for that layer, the reading said in words; what PyTorch refuses refused in its words
 * (messages checked against PyTorch 1.13: `Expected 2D (unbatched) or 3D (batched) input to conv1d,
 * but got input of size: [2, 3, 4, 5]`, `Got 4D input, but trilinear mode needs 5D input`).
 */
import * as assert from 'node:assert/strict';
import { tensor } from '../../../src/core/engine/tensor';
import { runVolumeLayer } from '../../../src/core/engine/volumeLayer';
import { layerOnLiteral, onesWeightFor, readVolumeInput } from '../../../src/core/insight/volumeInput';

const literal = (shape: number[]) => tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1));

function reads(shape: number[], op: Parameters<typeof readVolumeInput>[1], axes: string[], runShape: number[], words: RegExp, layout?: 'channels-last'): void {
  const result = readVolumeInput(literal(shape), op, op, layout);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  assert.deepEqual(result.value.axes, axes);
  assert.deepEqual(result.value.input.shape, runShape);
  assert.match(result.value.description, words);
}

function refuses(shape: number[], op: Parameters<typeof readVolumeInput>[1], words: RegExp, layout?: 'channels-last'): void {
  const result = readVolumeInput(literal(shape), op, op, layout);
  assert.ok(!result.ok, `expected ${shape.join('×')} to be refused for ${op}`);
  assert.match(result.problem, words);
}

describe('a tensor literal as the input of a 1-D or 3-D layer', () => {
  describe('1-D layers: as PyTorch reads a tensor of each rank', () => {
    it('a vector [L] is one sequence of one channel (Layer Lens; PyTorch needs x[None, None])', () => {
      reads([6], 'convTranspose1d', ['L'], [1, 1, 6], /one sequence of 6 samples, one channel.*x\[None, None\]/);
    });
    it('[C, L] is unbatched, channels first', () => {
      reads([2, 6], 'conv1d', ['C', 'L'], [1, 2, 6], /2 channels of 6 samples, unbatched, as PyTorch's conv1d reads a 2-D input/);
      reads([3, 5], 'maxPool1d', ['C', 'L'], [1, 3, 5], /3 channels/);
    });
    it('[N, C, L] is a batch', () => {
      reads([2, 3, 4], 'convTranspose1d', ['N', 'C', 'L'], [2, 3, 4], /a batch of 2 with 3 channels of 4 samples each, as PyTorch's conv_transpose1d reads a 3-D input/);
    });
    it('rank 4 is refused with the ranks a sequence layer takes', () => {
      refuses([2, 3, 4, 5], 'conv1d', /it is a 4-D tensor, and a 1-D layer takes a sequence \[L\] \(one channel\), \[C, L\] or \[N, C, L\]/);
    });
    it("linear upsampling takes no unbatched [C, L] (F.interpolate reads a 2-D tensor as [N, C])", () => {
      refuses([2, 6], 'upsample1d', /F\.interpolate takes a batch.*'linear' needs 3-D input/);
      reads([2, 2, 6], 'upsample1d', ['N', 'C', 'L'], [2, 2, 6], /batch of 2/);
    });
  });

  describe('3-D layers', () => {
    it('[D, H, W] is one volume of one channel, depth first (the slider)', () => {
      reads([2, 3, 4], 'conv3d', ['D', 'H', 'W'], [1, 1, 2, 3, 4], /one volume of one channel, depth 2 \(the first axis, walked by the depth slider\), height 3, width 4/);
    });
    it('[C, D, H, W] is unbatched, as PyTorch reads a 4-D input', () => {
      reads([2, 3, 4, 5], 'convTranspose3d', ['C', 'D', 'H', 'W'], [1, 2, 3, 4, 5], /2 channels, each a volume of depth 3.*unbatched, as PyTorch's conv_transpose3d reads a 4-D input/);
      reads([1, 2, 2, 2], 'maxPool3d', ['C', 'D', 'H', 'W'], [1, 1, 2, 2, 2], /1 channel,/);
    });
    it('a vector or a matrix is not a volume', () => {
      refuses([4], 'conv3d', /it is a vector, and a 3-D layer takes a volume \[D, H, W\]/);
      refuses([3, 4], 'convTranspose3d', /it is a matrix.*nested lists three deep/);
    });
    it("trilinear upsampling takes no unbatched [C, D, H, W]", () => {
      refuses([2, 3, 4, 5], 'upsample3d', /'trilinear' needs 5-D input/);
    });
  });

  describe('Keras: a batch, channels last', () => {
    it('[N, L, C] is moved to [N, C, L] value by value', () => {
      const result = readVolumeInput(tensor([1, 3, 2], [1, 10, 2, 20, 3, 30]), 'convTranspose1d', 'layers.Conv1DTranspose', 'channels-last');
      assert.ok(result.ok);
      assert.deepEqual(result.value.axes, ['N', 'L', 'C']);
      assert.deepEqual(result.value.input.shape, [1, 2, 3]);
      assert.deepEqual(Array.from(result.value.input.data), [1, 2, 3, 10, 20, 30]);
      assert.match(result.value.description, /channels last as Keras reads it: a batch of 1 with 2 channels of 3 samples each/);
    });
    it('[N, D, H, W, C] cannot come from a literal (rank 5); [D, H, W] is one channel; [L, C] is refused as Keras does', () => {
      reads([2, 3, 4], 'conv3d', ['D', 'H', 'W'], [1, 1, 2, 3, 4], /one volume/, 'channels-last');
      refuses([3, 2], 'conv1d', /Keras: expected min_ndim=3, found ndim=2/, 'channels-last');
    });
  });

  describe('the layer of the code run on the literal', () => {
    it('a transposed convolution gets a weight of ones for the literal’s channels, one output per group', () => {
      const example = { op: 'convTranspose1d' as const, weight: { shape: [2, 1, 3] }, options: { stride: 2, groups: 2 } };
      const run = layerOnLiteral(example, literal([1, 4, 5]), 'nn.ConvTranspose1d', 'channels-first', 2);
      assert.ok(run.ok);
      assert.deepEqual(run.value.call.weight?.shape, [4, 1, 3]);
      assert.deepEqual(run.value.call.options, { stride: 2, groups: 2 });
      // The engine runs it: 4 channels in 2 groups → 2 output channels, L_out = (5 − 1)·2 + 3 = 11.
      assert.deepEqual(runVolumeLayer(run.value.call).shape, [1, 2, 11]);
    });
    it('a convolution’s weight is [groups, C/groups, …kernel]; channels that do not split into the groups are refused', () => {
      const weight = onesWeightFor('conv3d', 4, 2, [3, 3, 3]);
      assert.ok(weight.ok);
      assert.deepEqual(weight.value.shape, [2, 2, 3, 3, 3]);
      const refused = layerOnLiteral({ op: 'conv1d', weight: { shape: [3] }, options: {} }, literal([3, 6]), 'nn.Conv1d', 'channels-first', 2);
      assert.ok(!refused.ok);
      assert.match(refused.problem, /3 channels do not split into groups=2/);
    });
    it('a pool takes the literal as is, and a literal the layer cannot read is refused', () => {
      const pool = layerOnLiteral({ op: 'maxPool3d', options: { kernelSize: 2 } }, literal([2, 2, 2]), 'nn.MaxPool3d', 'channels-first', 1);
      assert.ok(pool.ok);
      assert.deepEqual(Array.from(runVolumeLayer(pool.value.call).data), [8]);
      const matrix = layerOnLiteral({ op: 'maxPool3d', options: { kernelSize: 2 } }, literal([2, 2]), 'nn.MaxPool3d', 'channels-first', 1);
      assert.ok(!matrix.ok);
      assert.match(matrix.problem, /nn\.MaxPool3d cannot read the 2×2 literal/);
    });
  });
});
