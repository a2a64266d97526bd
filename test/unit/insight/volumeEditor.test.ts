/**
 * 1-D and 3-D layers in the editor beside the 2-D ones (issue 22): size comments of a sequence's
 * length and a volume's D x H x W (src/core/parse/sizeComment.ts), the gathering layers the CodeLens
 * and the hover's link open in the volume panel (src/core/insight/volumeGatherTarget.ts, the
 * summary's `gatherLayers`), and Keras 1-D / 3-D stacks started by `Input(shape=…)`.
 */
import * as assert from 'node:assert/strict';
import { sizeCommentAbove, statedSize } from '../../../src/core/parse/sizeComment';
import { describeInputSource } from '../../../src/core/insight/inputSize';
import { layerInsights } from '../../../src/core/insight/layerInsight';
import { summarizeDocument } from '../../../src/core/insight/documentSummary';
import { exampleText, runnableGatherSides, volumeGatherCall } from '../../../src/core/insight/volumeGatherTarget';
import { findLayerStacks } from '../../../src/core/parse/layerStacks';
import { analyzeStack, formatShape } from '../../../src/core/insight/stackShapes';
import { describeStackInput, stackSummary } from '../../../src/core/insight/stackReport';

const module = (...lines: string[]) => ['import torch.nn as nn', 'class Net(nn.Module):', '    def __init__(self):', ...lines.map((l) => `        ${l}`), ''].join('\n');

function insightsOf(text: string) {
  return layerInsights(text, 'python', 32).map((i) => ({ name: i.call.name, size: [...i.input.size], source: describeInputSource(i.input.source), output: i.size.kind === 'sized' ? [...i.size.output] : i.size.kind }));
}

describe('size comments for 1-D and 3-D layers', () => {
  it('reads a sequence length, a D x H x W and an H x W at the end of a comment, each for its rank', () => {
    assert.deepEqual(statedSize('# input: 16000 samples', 1), [16000]);
    assert.deepEqual(statedSize('# L = 100', 1), [100]);
    assert.deepEqual(statedSize('# length: 250.', 1), [250]);
    assert.deepEqual(statedSize('# (N, C, 100)', 1), [100]);
    assert.deepEqual(statedSize('# [batch, 64, 4096]', 1), [4096]);
    assert.deepEqual(statedSize('# 512 time steps', 1), [512]);
    assert.deepEqual(statedSize('# 16 x 32 x 32', 3), [16, 32, 32]);
    assert.deepEqual(statedSize('# state size. (ngf*8) x 4 x 8 x 8', 3), [4, 8, 8]);
    assert.deepEqual(statedSize('# (N, C, 8, 16, 16)', 3), [8, 16, 16]);
    assert.deepEqual(statedSize('# state size. (ngf*8) x 4 x 4', 2), [4, 4]);
  });

  it('does not read what is not a size of that rank', () => {
    assert.equal(statedSize('# 64 x 64', 1), undefined, 'an image size is no sequence length');
    assert.equal(statedSize('# 32 x 32', 3), undefined, 'two sides are no volume');
    assert.equal(statedSize('# (N, C, 100)', 3), undefined);
    assert.equal(statedSize('# 100 samples at 16 kHz', 1), undefined, 'the size must end the comment');
    assert.equal(statedSize('# L = 0', 1), undefined, 'a side of 0');
    assert.equal(statedSize('# input: 96000 samples', 1), undefined, 'over 65536: a rate, not a side');
    assert.equal(statedSize('# the real layer', 1), undefined);
  });

  it('takes the comment lines right above an element that starts its line or follows the name it is assigned to', () => {
    const text = '    # L = 100\n    self.conv = nn.Conv1d(1, 8, 3)\n    # L = 50\n    y = f(nn.Conv1d(1, 8, 3))\n';
    const first = text.indexOf('nn.Conv1d');
    assert.deepEqual(sizeCommentAbove(text, first, 1), { size: [100], offset: 4 });
    assert.equal(sizeCommentAbove(text, text.indexOf('nn.Conv1d', first + 1), 1), undefined, 'inside another call: not this layer’s size');
  });

  it('gives 1-D and 3-D layers their input from the comment, with the hover’s wording, and the 2-D comment above an assignment too', () => {
    const text = module(
      '# input: 16000 samples',
      'self.a = nn.Conv1d(1, 8, 25, stride=4, padding=11)',
      '# L = 100',
      'self.b = nn.ConvTranspose1d(8, 8, 25, stride=4, padding=11, output_padding=1)',
      '# 16 x 32 x 32',
      'self.c = nn.Conv3d(1, 8, 3, padding=1)',
      '# state size. (ngf*8) x 4 x 4',
      'self.d = nn.Conv2d(1, 8, 3, padding=1)',
      'self.e = nn.MaxPool1d(4)',
    );
    assert.deepEqual(insightsOf(text), [
      { name: 'nn.Conv1d', size: [16000], source: 'from the comment on line 4', output: [4000] },
      { name: 'nn.ConvTranspose1d', size: [100], source: 'from the comment on line 6', output: [400] },
      { name: 'nn.Conv3d', size: [16, 32, 32], source: 'from the comment on line 8', output: [16, 32, 32] },
      { name: 'nn.Conv2d', size: [4, 4], source: 'from the comment on line 10', output: [4, 4] },
      { name: 'nn.MaxPool1d', size: [32], source: 'assumed: no size found nearby; set layerLens.layers.inputSize', output: [8] },
    ]);
  });

  it('gives the overlap verdict of the CodeLens for the commented size', () => {
    const text = module('# L = 100', 'self.up = nn.ConvTranspose1d(8, 8, 3, stride=2)');
    const summary = summarizeDocument({ text, languageId: 'python', inputSize: 32, layers: true });
    assert.deepEqual(summary.layers.map((l) => [l.size, l.overlap.label]), [[[100], 'uneven 1:2']]);
  });
});

describe('1-D and 3-D gathering layers in the volume panel from the editor', () => {
  const summaryOf = (text: string) => summarizeDocument({ text, languageId: 'python', inputSize: 32, layers: true });

  it('lists each Conv1d/3d, pool and upsampling whose example runs, with the example’s sides (as the layers before give them, cut to 8 when assumed); not transposed or 2-D layers', () => {
    const text = [
      'net = nn.Sequential(',
      '    nn.Conv1d(1, 8, 25, stride=4, padding=11),',
      '    nn.MaxPool1d(4),',
      '    nn.Upsample(scale_factor=2, mode="linear"),',
      '    nn.ConvTranspose1d(8, 8, 3, stride=2),',
      ')',
      'vol = nn.Sequential(',
      '    # 16 x 32 x 32',
      '    nn.Conv3d(1, 8, 3, padding=1),',
      '    nn.Upsample(scale_factor=2),',
      '    nn.AvgPool3d(2),',
      '    nn.Conv2d(8, 8, 3),',
      ')',
      'bad = nn.Conv1d(1, 8, k)',
      'big = nn.Conv1d(1, 8, 99)',
      '',
    ].join('\n');
    const summary = summaryOf(text);
    const listed = (summary.gatherLayers ?? []).map((l) => [text.slice(l.start, l.open), l.size]);
    assert.deepEqual(listed, [
      ['nn.Conv1d', [8]],
      ['nn.MaxPool1d', [8]],
      ['nn.Upsample', [2]],
      ['nn.Conv3d', [16, 16, 16]],
      ['nn.Upsample', [16, 16, 16]],
      ['nn.AvgPool3d', [16, 16, 16]],
    ]);
    assert.deepEqual(summary.layers.map((l) => text.slice(l.start, l.open)), ['nn.ConvTranspose1d'], 'the transposed convolution keeps its own Inspect and Overlap');
  });

  it('reads nearest upsampling after a volume as upsample3d, and a 2-D one not at all', () => {
    const [, up3] = layerInsights('v = nn.Sequential(\n    nn.Conv3d(1, 8, 3),\n    nn.Upsample(scale_factor=2),\n)\n', 'python', 32);
    assert.equal(volumeGatherCall(up3!)?.op, 'upsample3d');
    const [, up2] = layerInsights('v = nn.Sequential(\n    nn.Conv2d(1, 8, 3),\n    nn.Upsample(scale_factor=2),\n)\n', 'python', 32);
    assert.equal(volumeGatherCall(up2!), undefined);
  });

  it('runs Keras’ Conv1D after Input(shape=…) where PyTorch’s terms are exact, and says nothing where they are not', () => {
    const [conv, same, strided] = layerInsights('model = keras.Sequential([\n    keras.Input(shape=(100, 16)),\n    layers.Conv1D(8, 3),\n    layers.Conv1D(8, 4, padding="same"),\n    layers.Conv1D(8, 3, strides=2, padding="same"),\n])\n', 'python', 32);
    assert.deepEqual(runnableGatherSides(conv!), [32], 'cut to the 1-D example’s 32');
    // At stride 1 an odd 'same' total is PyTorch's own padding='same' (the extra after, as TensorFlow pads).
    assert.deepEqual(runnableGatherSides(same!), [32]);
    assert.equal(runnableGatherSides(strided!), undefined, "'same' at stride 2 split unevenly: no PyTorch equivalent in the volume panel");
  });

  it('says what the example is in the tooltip', () => {
    assert.equal(exampleText([16]), 'an example sequence 16 long');
    assert.equal(exampleText([8, 8, 8]), 'an example 8×8×8 volume');
  });
});

describe('Keras 1-D and 3-D stacks started by Input(shape=…)', () => {
  const analysisOf = (text: string) => {
    const stack = findLayerStacks(text, 'python')[0];
    assert.ok(stack);
    return analyzeStack(stack, new Map());
  };

  it('a Sequential with keras.Input(shape=(L, C)) has numeric lengths and channels, channels last', () => {
    const analysis = analysisOf('model = keras.Sequential([\n    keras.Input(shape=(100, 16)),\n    layers.Conv1D(8, 3),\n    layers.MaxPooling1D(2),\n    layers.UpSampling1D(2),\n])\n');
    assert.equal(stackSummary(analysis), 'Stack: 4 layers, 100 → 98');
    assert.deepEqual(analysis.rows.map((r) => formatShape(r.output, analysis.channelsLast)), ['[N, 100, 16]', '[N, 98, 8]', '[N, 49, 8]', '[N, 98, 8]']);
    assert.match(describeStackInput(analysis, () => 1), /keras\.Input/);
  });

  it('a functional chain from keras.Input and a 3-D Sequential read the same way', () => {
    const chain = analysisOf('x = keras.Input(shape=(100, 16))\nx = layers.Conv1D(8, 3)(x)\nx = layers.Conv1D(8, 3, strides=2)(x)\nx = layers.UpSampling1D(2)(x)\n');
    assert.equal(stackSummary(chain), 'Stack: 4 layers, 100 → 96');
    const volume = analysisOf('model = keras.Sequential([\n    keras.Input(shape=(16, 32, 32, 1)),\n    layers.Conv3D(8, 3),\n    layers.MaxPooling3D(2),\n])\n');
    assert.equal(stackSummary(volume), 'Stack: 3 layers, 16×32×32 → 7×15×15');
  });

  it('a stated shape with a different number of sides than the layers leaves the sizes unknown, as before', () => {
    const analysis = analysisOf('model = keras.Sequential([\n    layers.Reshape((49, 64)),\n    layers.Conv2DTranspose(8, 3),\n    layers.Conv2DTranspose(8, 3),\n])\n');
    assert.deepEqual(analysis.rows.map((r) => formatShape(r.output, analysis.channelsLast)), ['[N, ?, ?, 64]', '[N, ?, ?, 8]', '[N, ?, ?, 8]']);
    assert.deepEqual(analysis.problems, []);
  });
});
