/**
 * The checkerboard audit on checkpoints built in memory: phase sums by hand, the even rule,
 * sub-pixel convolution with its bias and ICNR distance, groups and dilation, where the stride comes
 * from, and pairing a state dict's keys with a model's source.
 */
import * as assert from 'node:assert/strict';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { sourceModels } from '../../../src/core/checkpoint/sourceModules';
import type { CheckpointLayer } from '../../../src/core/checkpoint/types';
import { memoryCheckpoint } from './memoryCheckpoint';

const ones = (n: number) => Array.from({ length: n }, () => 1);

describe('auditCheckpoint', () => {
  it('kernel 3 stride 2 of ones: phase sums 4, 2, 2, 1 and uneven', () => {
    const audit = auditCheckpoint(memoryCheckpoint({ 'up.weight': { shape: [1, 1, 3, 3], data: ones(9) } }), { stride: 2 });
    const layer = audit.layers[0];
    assert.ok(layer);
    assert.equal(layer.name, 'up');
    assert.equal(layer.strideFrom, 'given');
    assert.deepEqual(layer.phaseSums, [[[4, 2], [2, 1]]]);
    const mean = 9 / 4;
    const expected = ((4 - mean) ** 2 + 2 * (2 - mean) ** 2 + (1 - mean) ** 2) / (16 + 4 + 4 + 1);
    assert.ok(Math.abs(layer.periodicEnergy - expected) < 1e-15);
    assert.equal(layer.verdict, 'uneven');
  });

  it('kernel 4 stride 2 of ones is even; no stride gives unknown with no phase sums', () => {
    const checkpoint = memoryCheckpoint({ 'up.weight': { shape: [2, 1, 4, 4], data: ones(32) } });
    const even = auditCheckpoint(checkpoint, { stride: 2 }).layers[0];
    assert.equal(even?.verdict, 'even');
    assert.deepEqual(even?.phaseSums, [[[8, 8], [8, 8]]]);
    assert.equal(even?.periodicEnergy, 0);
    const unknown = auditCheckpoint(checkpoint).layers[0];
    assert.equal(unknown?.verdict, 'unknown');
    assert.equal(unknown?.strideFrom, 'none');
    assert.equal(unknown?.stride, null);
    assert.deepEqual(unknown?.phaseSums, []);
  });

  it('groups split the input channels; dilation moves taps between phases', () => {
    // Two groups, one input and one output channel each: output 1 sees only input 1's kernel.
    const weight = { shape: [2, 1, 2, 1], data: [1, 0, 0, 5] };
    const grouped = auditCheckpoint(memoryCheckpoint({ 'g.weight': weight }, [{ name: 'g', op: 'convTranspose2d', weight: 'g.weight', weightLayout: 'torch', stride: [2, 1], dilation: [1, 1], groups: 2 }])).layers;
    const g = grouped[0];
    assert.equal(g?.strideFrom, 'graph');
    assert.deepEqual(g?.phaseSums, [[[1], [0]], [[0], [5]]]);
    // Dilation 2 with stride 2: both taps of a kernel of 2 land on phase 0.
    const dilated = auditCheckpoint(memoryCheckpoint({ 'd.weight': { shape: [1, 1, 2, 1], data: [1, 3] } }, [{ name: 'd', op: 'convTranspose2d', weight: 'd.weight', weightLayout: 'torch', stride: [2, 1], dilation: [2, 1], groups: 1 }])).layers[0];
    assert.deepEqual(dilated?.phaseSums, [[[4], [0]]]);
  });

  it('sub-pixel convolution: phases are sub-channels, the bias paints, ICNR distance', () => {
    const icnr = [1, 2, 1, 2, 1, 2, 1, 2]; // four equal sub-kernels [1, 2]
    const layers: CheckpointLayer[] = [{ name: 'ps', op: 'conv2d', weight: 'ps.weight', bias: 'ps.bias', weightLayout: 'torch', stride: [1, 1], dilation: [1, 1], groups: 1, pixelShuffle: 2 }];
    const even = auditCheckpoint(memoryCheckpoint({ 'ps.weight': { shape: [4, 1, 1, 2], data: icnr }, 'ps.bias': { shape: [4], data: [0, 0, 0, 0] } }, layers)).layers[0];
    assert.equal(even?.op, 'subPixelConvolution');
    assert.deepEqual(even?.stride, [2, 2]);
    assert.deepEqual(even?.phaseSums, [[[3, 3], [3, 3]]]);
    assert.equal(even?.verdict, 'even');
    assert.deepEqual(even?.icnr, { structured: true, distance: 0 });
    const biased = auditCheckpoint(memoryCheckpoint({ 'ps.weight': { shape: [4, 1, 1, 2], data: icnr }, 'ps.bias': { shape: [4], data: [0, 1, 0, 0] } }, layers)).layers[0];
    assert.deepEqual(biased?.phaseSums, [[[3, 4], [3, 3]]]);
    assert.equal(biased?.verdict, 'uneven');
    assert.equal(biased?.icnr?.structured, true);
  });

  it('Keras layout is turned to PyTorch order', () => {
    // Conv2DTranspose kernel [kH, kW, C_out, C_in] = [2, 1, 1, 1].
    const audit = auditCheckpoint(memoryCheckpoint({ k: { shape: [2, 1, 1, 1], data: [1, 3] } }, [{ name: 'k', op: 'convTranspose2d', weight: 'k', weightLayout: 'keras', stride: [2, 1], dilation: [1, 1], groups: 1 }]));
    assert.deepEqual(audit.layers[0]?.weightShape, [1, 1, 2, 1]);
    assert.deepEqual(audit.layers[0]?.phaseSums, [[[1], [3]]]);
  });

  it('sorts worst first, unknown last', () => {
    const checkpoint = memoryCheckpoint({
      'a.weight': { shape: [1, 1, 4, 4], data: ones(16) },
      'b.weight': { shape: [1, 1, 3, 3], data: ones(9) },
    });
    assert.deepEqual(auditCheckpoint(checkpoint, { stride: 2 }).layers.map((l) => l.name), ['b', 'a']);
  });
});

const DCGAN = `
import torch.nn as nn

class UpBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(c, c, 4, stride=2, padding=1)
        self.act = nn.ReLU(True)

class Generator(nn.Module):
    def __init__(self, nz=100, ngf=64):
        super(Generator, self).__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
            nn.Sequential(nn.ReLU(), nn.Conv2d(4, 16, 3, padding=1), nn.PixelShuffle(2)),
        )
        self.block = UpBlock(2)
        self.up1 = nn.ConvTranspose2d(ngf, 3, 4, stride=s)
`;

describe('pairing a state dict with its model source', () => {
  it('numbers Sequential children, names attributes, reads nested classes', () => {
    const model = sourceModels(DCGAN).find((m) => m.name === 'Generator');
    assert.ok(model);
    assert.deepEqual(model.layers.map((l) => l.path), ['main.0', 'main.3', 'main.4.1', 'block.deconv', 'up1']);
    assert.deepEqual(model.layers.map((l) => l.stride), [[1, 1], [2, 2], [1, 1], [2, 2], undefined]);
    assert.equal(model.layers[2]?.pixelShuffle, 2);
  });

  it('names the children of a Sequential built from an OrderedDict', () => {
    const source = `
import torch.nn as nn
from collections import OrderedDict

class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.Sequential(OrderedDict([
            ('deconv', nn.ConvTranspose2d(8, 4, 3, stride=2)),
            ("act", nn.ReLU()),
            ('conv', nn.Conv2d(4, 16, 3)),
            ('shuffle', nn.PixelShuffle(2)),
        ]))
`;
    const model = sourceModels(source).find((m) => m.name === 'Decoder');
    assert.deepEqual(model?.layers.map((l) => [l.path, l.stride, l.pixelShuffle]), [['up.deconv', [2, 2], undefined], ['up.conv', [1, 1], 2]]);
  });

  it('pairs keys under a prefix, reports the unpaired, and takes strides from the source', () => {
    const checkpoint = memoryCheckpoint({
      // Shapes as the source states them where it must (UpBlock(2)); __init__'s defaults (nz = 100, ngf = 64) may be overridden by whoever built it.
      'generator.main.0.weight': { shape: [128, 1, 4, 4], data: ones(2048) },
      'generator.main.3.weight': { shape: [1, 1, 4, 4], data: [1, ...new Array<number>(15).fill(0)] },
      'generator.main.4.1.weight': { shape: [16, 4, 3, 3], data: ones(576) },
      'generator.main.4.1.bias': { shape: [16], data: new Array<number>(16).fill(0) },
      'generator.block.deconv.weight': { shape: [2, 2, 4, 4], data: ones(64) },
      'generator.up1.weight': { shape: [32, 3, 4, 4], data: ones(1536) },
      'generator.extra.weight': { shape: [1, 1, 3, 3], data: ones(9) },
    });
    const audit = auditCheckpoint(checkpoint, { source: DCGAN, stride: 2 });
    assert.equal(audit.pairing?.model, 'Generator');
    assert.equal(audit.pairing?.prefix, 'generator.');
    assert.deepEqual(audit.pairing?.unpaired, ['generator.extra.weight']);
    const byName = new Map(audit.layers.map((l) => [l.name, l]));
    assert.equal(byName.get('generator.main.0')?.strideFrom, 'source');
    assert.deepEqual(byName.get('generator.main.0')?.stride, [1, 1]);
    assert.equal(byName.get('generator.main.3')?.verdict, 'uneven');
    assert.equal(byName.get('generator.main.4.1')?.op, 'subPixelConvolution');
    assert.equal(byName.get('generator.block.deconv')?.verdict, 'even');
    assert.equal(byName.get('generator.up1')?.strideFrom, 'given'); // stride=s is an expression
    assert.equal(byName.get('generator.extra')?.strideFrom, 'given');
  });

  it("pairs a GAN checkpoint's two networks under their prefixes, and leaves keys no model explains unpaired", () => {
    const gan = `
import torch.nn as nn

class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.ConvTranspose2d(4, 4, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(4, 1, 3, 2, 1))

class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(1, 4, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(4, 1, 4, 2, 1))
`;
    const tensors = {
      'netG.main.0.weight': { shape: [4, 4, 4, 4], data: ones(256) },
      'netG.main.2.weight': { shape: [4, 1, 3, 3], data: ones(36) },
      'netD.main.0.weight': { shape: [4, 1, 4, 4], data: ones(64) },
      'netD.main.2.weight': { shape: [1, 4, 4, 4], data: ones(64) },
    };
    const both = auditCheckpoint(memoryCheckpoint(tensors), { source: gan });
    assert.deepEqual(both.pairing?.groups, [{ model: 'Generator', prefix: 'netG.' }, { model: 'Discriminator', prefix: 'netD.' }]);
    assert.deepEqual(both.layers.map((l) => l.name), ['netG.main.2', 'netG.main.0']); // the discriminator's convolutions are not upsampling
    const onlyGenerator = gan.slice(0, gan.indexOf('class Discriminator'));
    const one = auditCheckpoint(memoryCheckpoint({ ...tensors, 'netD.main.5.weight': { shape: [4, 4, 4, 4], data: ones(256) } }), { source: onlyGenerator, stride: 2 });
    assert.deepEqual(one.pairing?.groups, [{ model: 'Generator', prefix: 'netG.' }]);
    assert.deepEqual(one.pairing?.unpaired, ['netD.main.0.weight', 'netD.main.2.weight', 'netD.main.5.weight']);
  });
});
