/**
 * The stack view's "wrong today" cases of issue 19, each found on public model code: every test
 * here failed before its fix.
 */
import * as assert from 'node:assert/strict';
import { readConstants } from '../../../src/core/parse/constantNames';
import { findLayerStacks } from '../../../src/core/parse/layerStacks';
import { analyzeStack } from '../../../src/core/insight/stackShapes';
import { parameterCount } from '../../../src/core/insight/parameterCount';
import { findLayerCalls } from '../../../src/core/parse/layerCalls';

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
});
