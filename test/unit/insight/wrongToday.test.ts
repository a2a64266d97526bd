/**
 * The stack view's "wrong today" cases of issue 19, each found on public model code: every test
 * here failed before its fix.
 */
import * as assert from 'node:assert/strict';
import { readConstants } from '../../../src/core/parse/constantNames';
import { findLayerStacks, stackInRange } from '../../../src/core/parse/layerStacks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeStack } from '../../../src/core/insight/stackShapes';
import { parameterCount } from '../../../src/core/insight/parameterCount';
import { findLayerCalls } from '../../../src/core/parse/layerCalls';
import { inferInputSizes } from '../../../src/core/insight/inputSize';
import { stackTable } from '../../../src/core/insight/stackReport';
import { layerInsights } from '../../../src/core/insight/layerInsight';
import { layerHoverMarkdown } from '../../../src/core/insight/hoverMarkdown';

function rowsOf(source: string, input?: readonly number[]) {
  const [stack] = findLayerStacks(source, 'python');
  assert.ok(stack, 'a stack is found');
  return analyzeStack(stack, readConstants(source), input).rows;
}

describe('stack view: issue 19 corrections', () => {
  it("counts every norm layer's affine parameters as PyTorch does", () => {
    const source = `import torch.nn as nn
ch = 64
net = nn.Sequential(
    nn.Conv2d(3, ch, 3, padding=1),
    nn.GroupNorm(32, 64),
    nn.BatchNorm2d(ch, affine=False),
    nn.InstanceNorm2d(ch),
    nn.InstanceNorm2d(ch, affine=True),
    nn.LayerNorm((ch, 8, 8)),
    nn.LayerNorm([ch, 8, 8], elementwise_affine=False),
    nn.GroupNorm(num_groups=8, num_channels=ch * 2, affine=False),
    nn.PReLU(ch),
    nn.BatchNorm2d(ch),
)
`;
    // PyTorch: sum(p.numel() for p in m.parameters()) for each module.
    assert.deepEqual(
      rowsOf(source, [1, 3, 8, 8]).map((r) => r.parameterCount),
      [1792, 128, 0, 0, 128, 8192, 0, 0, 64, 128],
    );
  });

  it('shows an affine flag that is an expression as conditional, not as a number', () => {
    const source = `import torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(3, 64, 3, padding=1),
    nn.InstanceNorm2d(64, affine=learn_affine),
)
`;
    const row = rowsOf(source, [1, 3, 8, 8])[1];
    assert.equal(row?.parameterCount, undefined);
    assert.equal(row?.parameters, '2·(64 if learn_affine else 0)');
  });

  it('shows the bias term of `bias=use_bias` as conditional instead of always counting it', () => {
    const source = 'a = nn.Conv2d(64, 128, kernel_size=3, stride=2, padding=1, bias=use_bias)\nb = nn.Conv2d(ngf, ngf, 3, bias=use_bias)\nc = nn.Conv2d(64, 128, 3, bias=False)\n';
    const counts = findLayerCalls(source, 'python').map((call) => parameterCount(call));
    assert.deepEqual(counts[0], { kind: 'symbolic', text: '73,728 + 128 if use_bias else 73,728' });
    assert.deepEqual(counts[1], { kind: 'symbolic', text: 'ngf·ngf·3·3 + ngf if use_bias else ngf·ngf·3·3' });
    assert.deepEqual(counts[2], { kind: 'known', value: 73728, text: '73,728' });
  });

  const generator = readFileSync(join(__dirname, '../../../../test/golden/models/resnet_generator.py'), 'utf8');

  it("follows the padding layers of pytorch-CycleGAN-and-pix2pix's ResnetGenerator tail: H in, H out", () => {
    const from = generator.indexOf('        model += [nn.ReflectionPad2d(3)]\n        model += [nn.Conv2d(ngf, output_nc');
    const to = generator.indexOf('        self.model = nn.Sequential(*model)');
    const stack = stackInRange(generator, from, to, 'python');
    assert.deepEqual(stack?.items.map((item) => item.kind), ['padding', 'layer', 'preserving']);
    const rows = analyzeStack(stack!, readConstants(generator), [1, 64, 64, 64]).rows;
    // PyTorch: ReflectionPad2d(3) → 70×70, Conv2d(k=7, padding=0) → 64×64.
    assert.deepEqual(rows.map((r) => r.output.spatial), [[70, 70], [64, 64], [64, 64]]);
    const symbolic = analyzeStack(stack!, readConstants(generator)).rows;
    assert.deepEqual(symbolic[1]?.output.spatial, ['H', 'W']);
  });

  it('never lists range(…) as a layer', () => {
    const from = generator.indexOf('        model = [nn.ReflectionPad2d(3),');
    const to = generator.indexOf('        mult = 2 ** n_downsampling');
    const stack = stackInRange(generator, from, to, 'python');
    assert.ok(stack);
    assert.deepEqual(stack.items.filter((item) => /range/.test(item.label)), []);
  });

  it('reads every form of padding argument (PyTorch tuples, Keras ZeroPadding2D)', () => {
    const source = `import torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(3, 8, 3),
    nn.ZeroPad2d((1, 2, 0, 0)),
    nn.ReplicationPad2d(padding=2),
    nn.ConstantPad2d((0, 0, 3, 1), 0.5),
    nn.Conv2d(8, 8, 1),
)
`;
    assert.deepEqual(rowsOf(source, [1, 3, 10, 10]).map((r) => r.output.spatial), [[8, 8], [8, 11], [12, 15], [16, 15], [16, 15]]);
  });

  it("reads Keras' Reshape(target_shape=…) keyword for the next layer's input size, as the positional form", () => {
    for (const reshape of ['layers.Reshape(target_shape=(7, 7, 32))', 'layers.Reshape((7, 7, 32))']) {
      const source = `model = keras.Sequential([\n    layers.Dense(7 * 7 * 32),\n    ${reshape},\n    layers.Conv2DTranspose(64, 3, strides=2, padding="same"),\n])\n`;
      const calls = findLayerCalls(source, 'python');
      const [size] = inferInputSizes(source, calls, 16);
      assert.deepEqual(size?.size, [7, 7], reshape);
      assert.equal(size?.source.kind, 'reshape', reshape);
      assert.equal(size?.channels, 32, reshape);
    }
  });

  it('shows Keras stacks channels-last, as Keras prints them', () => {
    const source = readFileSync(join(__dirname, '../../../../samples/keras_generator.py'), 'utf8');
    const stacks = findLayerStacks(source, 'python');
    const chain = stacks.find((stack) => stack.name === 'outputs');
    assert.ok(chain);
    const table = stackTable(analyzeStack(chain, readConstants(source)), () => 0, 'keras_generator.py');
    assert.equal(table.input, '[N, 7, 7, 256]');
    assert.equal(table.output, '[N, 28, 28, 1]');
    const torchSource = 'net = nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.ReLU(),\n)\n';
    const torch = stackTable(analyzeStack(findLayerStacks(torchSource, 'python')[0]!, new Map(), [1, 3, 16, 16]), () => 0, 'net.py');
    assert.equal(torch.output, '[1, 8, 14, 14]');
  });

  const decoder = `import torch.nn as nn


class Decoder(nn.Module):
    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        block_out_channels=(64,),
        norm_num_groups: int = 32,
        norm_type: str = "group",  # group, spatial
    ):
        super().__init__()
        self.conv_in = nn.Conv2d(in_channels, block_out_channels[-1], kernel_size=3, stride=1, padding=1)
        self.up_blocks = nn.ModuleList([])
        for i, channels in enumerate(reversed(block_out_channels)):
            self.up_blocks.append(UpDecoderBlock2D(channels))
        # out
        if norm_type == "spatial":
            self.conv_norm_out = SpatialNorm(block_out_channels[0], 512)
        else:
            self.conv_norm_out = nn.GroupNorm(num_channels=block_out_channels[0], num_groups=norm_num_groups, eps=1e-6)
        self.conv_act = nn.SiLU()
        self.conv_out = nn.Conv2d(block_out_channels[0], out_channels, 3, padding=1)
`;

  it("says the ModuleList a loop fills is not followed, and keeps only the branch the defaults take (diffusers' Decoder)", () => {
    const stack = findLayerStacks(decoder, 'python').find((st) => st.kind === 'init');
    assert.ok(stack);
    assert.deepEqual(
      stack.items.map((item) => `${item.kind}:${item.label}`),
      ['layer:nn.Conv2d', 'unknown:self.up_blocks (a ModuleList: its layers are not followed here)', 'preserving:nn.GroupNorm', 'preserving:nn.SiLU', 'layer:nn.Conv2d'],
    );
    const rows = analyzeStack(stack, readConstants(decoder), [1, 3, 16, 16]).rows;
    assert.equal(rows[2]?.parameters, '2·(block_out_channels[0])');
  });

  it('shows branches the defaults do not decide as alternatives', () => {
    const source = decoder.replace('norm_type: str = "group"', 'norm_type: str');
    const stack = findLayerStacks(source, 'python').find((st) => st.kind === 'init');
    assert.deepEqual(
      stack?.items.slice(2, 4).map((item) => `${item.kind}:${item.label}`),
      ['unknown:SpatialNorm (if norm_type == "spatial": one of alternatives the defaults do not decide)', 'unknown:nn.GroupNorm (else: one of alternatives the defaults do not decide)'],
    );
  });

  it("gives a Keras layer's input channels from what the code before it states, not '?'", () => {
    const source = 'model = keras.Sequential([\n    layers.Reshape(target_shape=(7, 7, 32)),\n    layers.Conv2DTranspose(64, 3, strides=2, padding="same"),\n    layers.Conv2DTranspose(16, 3, strides=2, padding="same"),\n])\n';
    const [first, second] = layerInsights(source, 'python', 16);
    assert.match(layerHoverMarkdown(first!, { fixes: [] }), /Channels: 32 → 64/);
    assert.match(layerHoverMarkdown(second!, { fixes: [] }), /Channels: 64 → 16/);
  });
});
