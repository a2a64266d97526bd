import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel, validInputSizes } from '../../../src/core/model/analyzeModel';
import { describeSides } from '../../../src/core/model/sizeRule';
import { residualModel } from '../../../scripts/bench/model';

const models = join(__dirname, '../../../../test/golden/models');
const read = (file: string): string => readFileSync(join(models, file), 'utf8');

describe('analyzeModel: what it says, where', () => {
  it('names the operation, the line, both sizes and the input when torch.cat does not line up', () => {
    const result = analyzeModel(read('unet_nopad.py'), { className: 'UNET', inputShape: [1, 3, 78, 78] });
    assert.equal(result.output, null);
    assert.equal(result.error?.line, 62);
    assert.match(result.error?.message ?? '', /^torch\.cat at line 62: skip_connection is 9×9 but x is 8×8 for an input of 78×78/);
  });

  it('reports an error inside an imported part on its own line and file', () => {
    const source = read('unet_model.py');
    const parts = read('unet_parts.py').replace(/x1 = F\.pad\(x1, \[diffX \/\/ 2, diffX - diffX \/\/ 2,\n\s+diffY \/\/ 2, diffY - diffY \/\/ 2\]\)/, 'pass');
    const result = analyzeModel(source, { className: 'UNet', inputShape: [1, 3, 78, 78], files: { 'models/unet_parts.py': parts } });
    assert.equal(result.error?.file, 'models/unet_parts.py');
    assert.equal(result.error?.line, 66);
    assert.match(result.error?.message ?? '', /torch\.cat at line 66: x2 is 9×9 but x1 is 8×8 for an input of 78×78/);
  });

  it('says which layer refuses and why (Linear after flatten for the wrong size)', () => {
    const result = analyzeModel(read('vae.py'), { className: 'VAE', inputShape: [1, 3, 32, 32] });
    assert.equal(result.error?.line, 70);
    assert.match(result.error?.message ?? '', /^fc_mu \(Linear\): mat1 and mat2 shapes cannot be multiplied \(1x1024 and 4096x32\)/);
  });

  it('shows what it cannot read as unknown with the reason, never as an error or a guess', () => {
    const source = `import torch.nn as nn
import mystery

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = mystery.make_body(64)
        self.head = nn.Conv2d(64, 3, 1)

    def forward(self, x):
        return self.head(self.body(x))
`;
    const result = analyzeModel(source, { className: 'Net', inputShape: [1, 3, 32, 32] });
    assert.equal(result.output, null);
    assert.equal(result.error, null);
    assert.equal(result.unknown?.line, 11);
    assert.match(result.unknown?.message ?? '', /mystery\.make_body\(\) is not something Layer Lens reads/);
    assert.equal(result.params, null);
  });

  it('reads Sequential from an OrderedDict, branches on constructor arguments and constructor keywords', () => {
    const source = `from collections import OrderedDict
import torch.nn as nn

class Net(nn.Module):
    def __init__(self, norm='batch', width=16):
        super().__init__()
        if norm == 'group':
            norm_layer = nn.GroupNorm(4, width)
        elif norm == 'batch':
            norm_layer = nn.BatchNorm2d(width, affine=False)
        else:
            norm_layer = nn.Identity()
        self.features = nn.Sequential(OrderedDict([
            ('conv', nn.Conv2d(3, width, 3, padding=1)),
            ('norm', norm_layer),
            ('pool', nn.AdaptiveAvgPool2d((None, 1))),
        ]))

    def forward(self, x):
        return self.features(x).flatten(1)
`;
    const batch = analyzeModel(source, { className: 'Net', inputShape: [2, 3, 8, 10] });
    assert.deepEqual(batch.layers.map((l) => [l.path, l.op, l.params]), [['features.conv', 'Conv2d', 448], ['features.norm', 'BatchNorm2d', 0], ['features.pool', 'AdaptiveAvgPool2d', 0]]);
    assert.deepEqual(batch.output?.shape, [2, 128]);
    const group = analyzeModel(source, { className: 'Net', inputShape: [2, 3, 8, 10], args: { norm: 'group', width: 32 } });
    assert.deepEqual(group.layers.map((l) => [l.path, l.op, l.params]), [['features.conv', 'Conv2d', 896], ['features.norm', 'GroupNorm', 64], ['features.pool', 'AdaptiveAvgPool2d', 0]]);
  });

  it('reads a 200-layer model built by a loop', () => {
    const result = analyzeModel(residualModel(50), { className: 'Deep', inputShape: [1, 64, 32, 32] });
    assert.equal(result.layers.length, 200);
    assert.equal(result.layers[199]?.path, 'blocks.49.bn2');
    assert.deepEqual(result.output?.shape, [1, 64, 32, 32]);
  });

  it('stops a loop without a known end instead of hanging', () => {
    const source = `import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        while True:
            x = x + 1
        return x
`;
    const result = analyzeModel(source, { className: 'Net', inputShape: [1, 3, 8, 8] });
    assert.match(result.unknown?.message ?? '', /too many steps/);
  });

  it('answers deep nesting, recursion and huge loops with a reason instead of crashing or hanging', () => {
    const head = 'import torch.nn as nn\nclass Net(nn.Module):\n';
    const deep = `${head}    def forward(self, x):\n        return ${'('.repeat(20000)}x${')'.repeat(20000)}\n`;
    assert.match(analyzeModel(deep, { className: 'Net', inputShape: [1, 3, 8, 8] }).unknown?.message ?? '', /nests too deeply/);
    const recursion = `${head}    def forward(self, x):\n        return self.forward(x)\n`;
    assert.match(analyzeModel(recursion, { className: 'Net', inputShape: [1, 3, 8, 8] }).unknown?.message ?? '', /nest too deeply/);
    const huge = `${head}    def __init__(self):\n        super().__init__()\n        for i in range(10**9):\n            pass\n    def forward(self, x):\n        return x\n`;
    assert.deepEqual(analyzeModel(huge, { className: 'Net', inputShape: [1, 3, 8, 8] }).unknown, { line: 5, message: 'range of 1000000000 steps is longer than Layer Lens unrolls', file: '' });
  });

  it('does not crash on broken Python', () => {
    const result = analyzeModel('class Net(nn.Module:\n    def forward(self, x)\n        return x +\n', { className: 'Net', inputShape: [1, 3, 8, 8] });
    assert.equal(result.output, null);
    assert.ok(result.unknown);
  });
});

describe('validInputSizes: the rule in words and as a formula', () => {
  it('says "a multiple of 16 and at least 16" for a U-Net without padding', () => {
    const result = validInputSizes(read('unet_nopad.py'), { className: 'UNET', channels: 3, maxSide: 200 });
    assert.equal(result.rule, 'H must be a multiple of 16 and at least 16');
    assert.equal(result.formula, 'H = 16·k, k ≥ 1');
  });

  it('says the sizes are not known, not that none runs, when the model cannot be read', () => {
    const source = 'import torch.nn as nn\nimport mystery\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return mystery.block(x)\n';
    const result = validInputSizes(source, { className: 'Net', channels: 3, maxSide: 64 });
    assert.deepEqual(result.sides, []);
    assert.equal(result.rule, 'not known: mystery.block() is not something Layer Lens reads (line 6)');
  });

  it('describes the other shapes of rule', () => {
    assert.equal(describeSides([], 64).rule, 'no square input from 1 to 64 runs through the model');
    assert.equal(describeSides([64], 128).rule, 'H must be exactly 64 (within 1 to 128)');
    assert.equal(describeSides([5, 6, 7, 8], 8).rule, 'H must be at least 5');
    assert.equal(describeSides([1, 2, 3], 3).rule, 'every size from 1 to 3 runs');
    assert.equal(describeSides([49, 50, 51], 100).rule, 'H must be from 49 to 51');
    assert.equal(describeSides([3, 7, 11], 12).formula, 'H = 4·k + 3, k ≥ 0');
  });
});
