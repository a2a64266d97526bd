/**
 * The checkerboard audit of 1-D and 3-D transposed convolutions (issue 22) on checkpoints built in
 * memory: phase sums by hand (a sequence's `s` phases as one row, a volume's `s_d·s_h·s_w` as
 * `s_d·s_h` rows of `s_w`), the tensors a bare state dict offers, Keras's `[…kernel, C_out, C_in]`
 * layout, pairing with `nn.ConvTranspose1d/3d` calls, the editor's view of the phases, and opening a
 * trained 1-D or 3-D kernel in the volume panel. The same audit against NumPy on files written by
 * PyTorch, ONNX and h5py is in readers.test.ts and onnxKeras.test.ts.
 */
import * as assert from 'node:assert/strict';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { auditView } from '../../../src/core/checkpoint/auditView';
import { kerasToTorch } from '../../../src/core/checkpoint/kerasLayout';
import { transposedPhaseSums } from '../../../src/core/checkpoint/phaseSums';
import { sourceModels } from '../../../src/core/checkpoint/sourceModules';
import { MAX_KERNEL_VALUES, trainedKernelArguments, trainedLayerArguments, trainedVolumeArguments } from '../../../src/core/checkpoint/trainedKernel';
import type { CheckpointLayer } from '../../../src/core/checkpoint/types';
import { memoryCheckpoint } from './memoryCheckpoint';
import { convTranspose1d, convTranspose3d } from '../../../src/core/engine/convTranspose';
import { tensor } from '../../../src/core/engine/tensor';
import { mulberry32 } from '../../../src/core/engine/seededWeight';

const ones = (n: number) => new Array<number>(n).fill(1);
const random = (n: number, seed: number): number[] => {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => next() - 0.5);
};

describe('audit of 1-D transposed convolutions', () => {
  it('kernel 25 stride 4 of ones (WaveGAN): 7, 6, 6, 6 taps a phase, one row, uneven; kernel 24 is even', () => {
    const layer = auditCheckpoint(memoryCheckpoint({ 'deconv.weight': { shape: [1, 1, 25], data: ones(25) } }), { stride: 4 }).layers[0];
    assert.equal(layer?.op, 'convTranspose1d');
    assert.deepEqual(layer?.stride, [4]);
    assert.deepEqual(layer?.phaseSums, [[[7, 6, 6, 6]]]);
    assert.equal(layer?.verdict, 'uneven');
    const mean = 25 / 4;
    assert.ok(Math.abs((layer?.periodicEnergy ?? NaN) - ((7 - mean) ** 2 + 3 * (6 - mean) ** 2) / (49 + 3 * 36)) < 1e-15);
    assert.match(layer?.reason ?? '', /paints a period-4 pattern/);
    const even = auditCheckpoint(memoryCheckpoint({ 'deconv.weight': { shape: [1, 1, 24], data: ones(24) } }), { stride: 4 }).layers[0];
    assert.deepEqual([even?.verdict, even?.phaseSums], ['even', [[[6, 6, 6, 6]]]]);
  });

  it('groups and dilation per axis, as in 2-D: dilation 3 stride 2 sends taps 0, 1, 2 to phases 0, 1, 0', () => {
    const layers: CheckpointLayer[] = [{ name: 'g', op: 'convTranspose1d', weight: 'g.weight', weightLayout: 'torch', stride: [2], dilation: [3], groups: 2 }];
    // Two groups of one input and one output channel, kernel 3.
    const audit = auditCheckpoint(memoryCheckpoint({ 'g.weight': { shape: [2, 1, 3], data: [1, 2, 4, 10, 20, 40] } }, layers));
    assert.deepEqual(audit.layers[0]?.phaseSums, [[[5, 2]], [[50, 20]]]);
    assert.equal(audit.layers[0]?.strideFrom, 'graph');
  });

  it('a bare state dict: 3-D tensors named weight are audited, a position embedding is not', () => {
    const checkpoint = memoryCheckpoint({ 'up.weight': { shape: [2, 1, 4], data: ones(8) }, pos_embed: { shape: [1, 5, 4], data: ones(20) }, 'norm.weight': { shape: [4], data: ones(4) } });
    assert.deepEqual(auditCheckpoint(checkpoint, { stride: 2 }).layers.map((l) => [l.name, l.op, l.stride, l.verdict]), [['up', 'convTranspose1d', [2], 'even']]);
    assert.deepEqual(auditCheckpoint(checkpoint).layers.map((l) => [l.name, l.verdict, l.stride]), [['up', 'unknown', null]]);
  });

  it('Keras Conv1DTranspose [k, C_out, C_in] is turned to [C_in, C_out, k]', () => {
    // kernel [3, 1, 2]: value = 10·tap + input channel.
    const keras = [0, 1, 10, 11, 20, 21];
    const layers: CheckpointLayer[] = [{ name: 'c1t', op: 'convTranspose1d', weight: 'k', weightLayout: 'keras', stride: [2], dilation: [1], groups: 1 }];
    const layer = auditCheckpoint(memoryCheckpoint({ k: { shape: [3, 1, 2], data: keras } }, layers)).layers[0];
    assert.deepEqual(layer?.weightShape, [2, 1, 3]);
    // Phase 0 gets taps 0 and 2 of both input channels, phase 1 tap 1.
    assert.deepEqual(layer?.phaseSums, [[[0 + 1 + 20 + 21, 10 + 11]]]);
  });
});

describe('audit of 3-D transposed convolutions', () => {
  it('kernel 3 stride 2 of ones: the 2×2×2 lattice holds 8, 4, 4, 2, 4, 2, 2, 1 taps as rows (d, h) of w', () => {
    const layer = auditCheckpoint(memoryCheckpoint({ 'up.weight': { shape: [1, 1, 3, 3, 3], data: ones(27) } }), { stride: 2 }).layers[0];
    assert.equal(layer?.op, 'convTranspose3d');
    assert.deepEqual(layer?.stride, [2, 2, 2]);
    assert.deepEqual(layer?.phaseSums, [[[8, 4], [4, 2], [4, 2], [2, 1]]]);
    assert.match(layer?.reason ?? '', /paints a 2×2×2 pattern/);
  });

  it('anisotropic stride (1, 2, 3) and dilation: each axis by its own rule', () => {
    const data = random(2 * 3 * 2 * 4 * 3, 7);
    const weight = { shape: [2, 3, 2, 4, 3], data: Float64Array.from(data) };
    const sums = transposedPhaseSums(weight, [1, 2, 3], [1, 1, 2], 1);
    // By hand: P[o][0·2 + (i mod 2)][(2j) mod 3].
    const want = Array.from({ length: 3 }, () => [new Array<number>(3).fill(0), new Array<number>(3).fill(0)]);
    for (let c = 0; c < 2; c++) for (let o = 0; o < 3; o++) for (let d = 0; d < 2; d++) for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) {
      const row = (want[o] as number[][])[i % 2] as number[];
      row[(2 * j) % 3] = (row[(2 * j) % 3] as number) + (data[(((c * 3 + o) * 2 + d) * 4 + i) * 3 + j] as number);
    }
    sums.forEach((channel, o) => channel.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v - (want[o]?.[a]?.[b] ?? NaN)) < 1e-12))));
  });

  it('the phase sums are the interior of the engine\'s convTranspose3d on an input of ones', () => {
    const data = random(2 * 2 * 3 * 3 * 3, 11);
    const sums = transposedPhaseSums({ shape: [2, 2, 3, 3, 3], data: Float64Array.from(data) }, [2, 2, 2], [1, 1, 1], 1);
    const out = convTranspose3d(tensor([1, 2, 6, 6, 6], ones(2 * 216)), tensor([2, 2, 3, 3, 3], data), { stride: 2 });
    const side = out.shape[2] as number;
    // The interior cell (6 + a, 6 + b, 6 + e) of each channel: phase (a, b, e).
    for (let o = 0; o < 2; o++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let e = 0; e < 2; e++) {
      const value = out.data[(((o * side + 6 + a) * side + 6 + b) * side) + 6 + e] as number;
      assert.ok(Math.abs(value - (sums[o]?.[a * 2 + b]?.[e] ?? NaN)) < 1e-12, `o ${o} phase (${a}, ${b}, ${e})`);
    }
  });

  it('so are a 1-D layer\'s, through the engine\'s convTranspose1d', () => {
    const data = random(3 * 2 * 7, 5);
    const sums = transposedPhaseSums({ shape: [3, 2, 7], data: Float64Array.from(data) }, [3], [1], 1);
    const out = convTranspose1d(tensor([1, 3, 12], ones(36)), tensor([3, 2, 7], data), { stride: 3 });
    for (let o = 0; o < 2; o++) for (let a = 0; a < 3; a++) assert.ok(Math.abs((out.data[o * (out.shape[2] as number) + 12 + a] as number) - (sums[o]?.[0]?.[a] ?? NaN)) < 1e-12);
  });

  it('Keras Conv3DTranspose [kD, kH, kW, C_out, C_in] moves to [C_in, C_out, kD, kH, kW]', () => {
    const shape = [2, 1, 3, 2, 4];
    const data = Float64Array.from({ length: 48 }, (_, k) => k);
    const torch = kerasToTorch({ shape, data });
    assert.deepEqual(torch.shape, [4, 2, 2, 1, 3]);
    // torch[c][o][d][h][w] = keras[d][h][w][o][c]
    for (let c = 0; c < 4; c++) for (let o = 0; o < 2; o++) for (let d = 0; d < 2; d++) for (let w = 0; w < 3; w++) {
      assert.equal(torch.data[((c * 2 + o) * 2 + d) * 3 + w], data[((d * 3 + w) * 2 + o) * 4 + c]);
    }
  });

  it('a weight whose rank does not fit the layer the graph names is unknown, with the reason', () => {
    const layers: CheckpointLayer[] = [{ name: 'v', op: 'convTranspose3d', weight: 'v.weight', weightLayout: 'torch', stride: [2, 2, 2], dilation: [1, 1, 1], groups: 1 }];
    const layer = auditCheckpoint(memoryCheckpoint({ 'v.weight': { shape: [1, 1, 2, 2], data: ones(4) } }, layers)).layers[0];
    assert.equal(layer?.verdict, 'unknown');
    assert.match(layer?.reason ?? '', /not the five axes of a 3-D convolution's/);
  });
});

const DECODERS = `
import torch.nn as nn

class WaveGAN(nn.Module):
    def __init__(self, d=2):
        super().__init__()
        self.deconv_1 = nn.ConvTranspose1d(16 * d, 8 * d, 25, stride=4, padding=11, output_padding=1)
        self.post = nn.Conv1d(8, 1, 3, padding=1)

class Decoder3D(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose3d(8, 4, kernel_size=(1, 4, 4), stride=(1, 2, 2), padding=(0, 1, 1))
        self.conv = nn.Conv3d(8, 4, 3, padding=1)
`;

describe('pairing 1-D and 3-D weights with their source', () => {
  it('reads nn.ConvTranspose1d/3d and nn.Conv1d/3d with a value per axis', () => {
    const models = sourceModels(DECODERS);
    const layers = Object.fromEntries(models.flatMap((m) => m.layers.map((l) => [`${m.name}.${l.path}`, [l.op, l.stride, l.kernelSize, l.inChannels]])));
    assert.deepEqual(layers, {
      'WaveGAN.deconv_1': ['convTranspose1d', [4], [25], undefined],
      'WaveGAN.post': ['conv1d', [1], [3], 8],
      'Decoder3D.up': ['convTranspose3d', [1, 2, 2], [1, 4, 4], 8],
      'Decoder3D.conv': ['conv3d', [1, 1, 1], [3, 3, 3], 8],
    });
  });

  it('audits the transposed ones with the source\'s stride and leaves the convolutions out', () => {
    // One model per checkpoint, as training scripts save them.
    const wave = auditCheckpoint(memoryCheckpoint({
      'deconv_1.weight': { shape: [32, 16, 25], data: random(32 * 16 * 25, 3) },
      'post.weight': { shape: [1, 8, 3], data: random(24, 4) },
    }), { source: DECODERS });
    assert.deepEqual(wave.layers.map((l) => [l.name, l.op, l.stride, l.strideFrom]), [['deconv_1', 'convTranspose1d', [4], 'source']]);
    assert.deepEqual([wave.pairing?.model, wave.pairing?.unpaired], ['WaveGAN', []]);
    const volume = auditCheckpoint(memoryCheckpoint({
      'up.weight': { shape: [8, 4, 1, 4, 4], data: random(8 * 4 * 16, 5) },
      'conv.weight': { shape: [4, 8, 3, 3, 3], data: random(4 * 8 * 27, 6) },
    }), { source: DECODERS });
    assert.deepEqual(volume.layers.map((l) => [l.name, l.op, l.stride, l.strideFrom, l.source?.callee]), [['up', 'convTranspose3d', [1, 2, 2], 'source', 'nn.ConvTranspose3d']]);
    // A kernel size that does not fit the weight does not pair: the 3-D layer's (1, 4, 4) against a [8, 4, 2, 4, 4] weight.
    const wrong = auditCheckpoint(memoryCheckpoint({ 'up.weight': { shape: [8, 4, 2, 4, 4], data: ones(8 * 4 * 32) } }), { source: DECODERS });
    assert.deepEqual(wrong.pairing?.unpaired, ['up.weight']);
  });
});

describe('the checkpoint editor\'s view and the opened kernel of 1-D and 3-D layers', () => {
  const checkpoint = memoryCheckpoint({
    'seq.weight': { shape: [2, 3, 8], data: random(48, 8) },
    'vol.weight': { shape: [2, 2, 3, 3, 3], data: random(108, 9) },
  });
  const audit = auditCheckpoint(checkpoint, { stride: 2 });

  it('phases as one row for a sequence, as depth slices (lead [s_d]) for a volume; strides offered for both', () => {
    const view = auditView(audit, undefined);
    const seq = view.layers.find((l) => l.name === 'seq');
    const vol = view.layers.find((l) => l.name === 'vol');
    assert.deepEqual([seq?.op, seq?.stride, seq?.channels[0]?.phases.rows, seq?.channels[0]?.phases.cols, seq?.channels[0]?.phases.lead], ['convTranspose1d', [2], 1, 2, undefined]);
    assert.deepEqual([vol?.op, vol?.stride, vol?.channels[0]?.phases.lead, vol?.channels[0]?.phases.rows, vol?.channels[0]?.phases.cols], ['convTranspose3d', [2, 2, 2], [2], 2, 2]);
    assert.deepEqual(seq?.strideChoices, [2, 4, 8]);
    assert.deepEqual(vol?.strideChoices, [2, 3]);
    assert.equal(seq?.openable && vol?.openable, true);
  });

  it('opens in the volume panel as the command\'s arguments: the trained weight and a constant input', () => {
    const vol = audit.layers.find((l) => l.name === 'vol');
    assert.ok(vol);
    const opened = trainedLayerArguments(vol, checkpoint.tensor('vol.weight'), 'torch');
    assert.ok(opened.ok && 'op' in opened.args);
    assert.deepEqual([opened.args.op, opened.args.weight.shape, opened.args.input.shape, opened.args.options], ['convTranspose3d', [2, 2, 3, 3, 3], [1, 2, 4, 4, 4], { stride: [2, 2, 2], dilation: [1, 1, 1], groups: 1 }]);
    assert.equal(trainedKernelArguments(vol, checkpoint.tensor('vol.weight'), 'torch').ok, false, 'a 3-D layer is not the 2-D panel\'s');
    const seq = audit.layers.find((l) => l.name === 'seq');
    assert.ok(seq);
    const sequence = trainedVolumeArguments(seq, checkpoint.tensor('seq.weight'), 'torch');
    assert.ok(sequence.ok);
    assert.deepEqual([sequence.args.op, sequence.args.input.shape], ['convTranspose1d', [1, 2, 16]]);
  });

  it('a large weight opens at its worst output channel, whose constant response shows its phase sums', () => {
    const shape = [64, 8, 4, 4, 4];
    const data = random(shape.reduce((a, b) => a * b, 1), 12);
    assert.ok(data.length > MAX_KERNEL_VALUES);
    const big = memoryCheckpoint({ 'up.weight': { shape, data } });
    const [layer] = auditCheckpoint(big, { stride: 2 }).layers;
    assert.ok(layer);
    const opened = trainedVolumeArguments(layer, big.tensor('up.weight'), 'torch');
    assert.ok(opened.ok);
    assert.deepEqual(opened.args.weight.shape, [64, 1, 4, 4, 4]);
    assert.match(opened.note ?? '', new RegExp(`worst output channel ${layer.worstChannel}`));
    const out = convTranspose3d(tensor([1, 64, 6, 6, 6], new Array<number>(64 * 216).fill(1)), tensor(opened.args.weight.shape, opened.args.weight.data), { stride: 2 });
    const side = out.shape[2] as number;
    const worst = layer.phaseSums[layer.worstChannel ?? 0];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let e = 0; e < 2; e++) {
      assert.ok(Math.abs((out.data[((6 + a) * side + 6 + b) * side + 6 + e] as number) - (worst?.[a * 2 + b]?.[e] ?? NaN)) < 1e-9);
    }
  });
});
