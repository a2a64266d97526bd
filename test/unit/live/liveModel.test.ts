/**
 * Audit Live Model's pure part: the model snippet evaluated in a real Python (inside a function's
 * frame, as a debugger evaluates it), its answer read and planned into the layers and reads of the
 * audit, and the live checkpoint audited as a file's graph layers would be.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { asciiText, decodeBase64 } from '../../../src/core/live/base64';
import { parseLiveExpression, renderExpression, type LiveExpression } from '../../../src/core/live/expression';
import { liveCheckpoint, pathExpression, planLiveAudit, readModelListing, type LiveAuditPlan, type ModelListing } from '../../../src/core/live/liveModel';
import { modelSnippet } from '../../../src/core/live/snippets';
import { unquote } from '../../../src/core/live/wire';

const PYTHON = '/usr/bin/python3';
const MISSING = `${PYTHON} with torch is needed: these tests run the model snippet in it (Debian: apt-get install python3-torch; .ci/run installs it).`;

const FRAME = `
import sys, json, torch
from torch import nn
class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.ConvTranspose2d(8, 4, 4, 1, 0, bias=False), nn.ReLU(), nn.ConvTranspose2d(4, 4, 4, 2, 1, groups=2), nn.Conv2d(4, 12, 3, padding=1), nn.PixelShuffle(2), nn.Conv2d(3, 3, 3))
        self.head = nn.Conv2d(3, 3, 1)
        self.extra = nn.ModuleDict({'up-1': nn.ConvTranspose2d(3, 3, 2, 2)})
    def forward(self, x):
        critic = nn.Sequential(nn.Conv2d(3, 4, 4, 2, 1), nn.LeakyReLU(0.2))
        L = locals()
        return [eval(s, globals(), L) for s in json.load(sys.stdin)]
`;

const checked = (text: string): LiveExpression => {
  const reading = parseLiveExpression(text);
  assert.ok(reading.ok);
  return reading.expression;
};

const decode = (answer: string): unknown => JSON.parse(asciiText(decodeBase64(unquote(answer))));

function plan(listing: ModelListing, label: string, limit = 1e6): LiveAuditPlan {
  const reading = planLiveAudit(listing, checked(label), label, limit);
  assert.ok(reading.ok, reading.ok ? '' : reading.problem);
  return reading.plan;
}

describe('Audit Live Model: the model snippet and its plan', function () {
  this.timeout(60_000);
  let answers: unknown[] = [];
  before(function () {
    if (!existsSync(PYTHON)) throw new Error(MISSING);
    const script = `${FRAME}\nprint(json.dumps(G()(torch.zeros(1))))`;
    const snippets = ['self', 'critic', 'x', 'self.main[2]'].map((text) => modelSnippet(checked(text)));
    const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(snippets), encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0 && /No module named 'torch'/.test(run.stderr)) throw new Error(MISSING);
    assert.equal(run.status, 0, run.stderr);
    answers = (JSON.parse(run.stdout) as string[]).map(decode);
  });

  it('lists the transposed convolutions, and the convolution a PixelShuffle follows in a Sequential, with their hyperparameters', () => {
    const listing = readModelListing(answers[0]);
    assert.equal(listing.kind, 'module');
    assert.equal(listing.type, '__main__.G');
    const p = plan(listing, 'self');
    assert.deepEqual(p.layers.map((l) => [l.name, l.op, l.stride, l.groups, l.pixelShuffle, l.bias]), [
      ['main.0', 'convTranspose2d', [1, 1], 1, undefined, undefined],
      ['main.2', 'convTranspose2d', [2, 2], 2, undefined, 'main.2.bias'],
      ['main.3', 'conv2d', [1, 1], 1, 2, 'main.3.bias'],
    ]);
    // Plain convolutions (main.5, head) are not read; a ModuleDict key that is no Python name cannot be reached by a checked expression.
    assert.deepEqual(p.reads.map((r) => [r.name, renderExpression(r.expression), r.shape, r.dtype]), [
      ['main.0.weight', 'self.main[0].weight', [8, 4, 4, 4], 'float32'],
      ['main.2.weight', 'self.main[2].weight', [4, 2, 4, 4], 'float32'],
      ['main.2.bias', 'self.main[2].bias', [4], 'float32'],
      ['main.3.weight', 'self.main[3].weight', [12, 4, 3, 3], 'float32'],
      ['main.3.bias', 'self.main[3].bias', [12], 'float32'],
    ]);
    assert.equal(p.values, 512 + 128 + 4 + 432 + 12);
    assert.deepEqual(p.skipped, ['self.extra.up-1: its path has a part that is not a Python name or an index']);
  });

  it('audits the module itself when it is a transposed convolution', () => {
    const p = plan(readModelListing(answers[3]), 'self.main[2]');
    assert.deepEqual(p.layers.map((l) => [l.name, l.weight]), [['self.main[2]', 'weight']]);
    assert.deepEqual(p.reads.map((r) => renderExpression(r.expression)), ['self.main[2].weight', 'self.main[2].bias']);
  });

  it('refuses an object that is not a module, a model without upsampling layers, and weights over the limit', () => {
    const notModule = planLiveAudit(readModelListing(answers[2]), checked('x'), 'x', 1e6);
    assert.deepEqual(notModule, { ok: false, problem: 'x is a torch.Tensor, not a PyTorch module (torch.nn.Module); Audit Live Model reads a model such as netG or self' });
    const critic = planLiveAudit(readModelListing(answers[1]), checked('critic'), 'critic', 1e6);
    assert.ok(!critic.ok && /^critic \(torch\.nn\.modules\.container\.Sequential\) has no upsampling layer to audit/.test(critic.problem), JSON.stringify(critic));
    const big = planLiveAudit(readModelListing(answers[0]), checked('self'), 'self', 1000);
    assert.ok(!big.ok && big.problem.includes('hold 1,088 values, more than layerLens.maxOutputElements (1,000)'), JSON.stringify(big));
  });

  it('audits the live checkpoint with the module\'s strides (from the graph), as a file with the same layers', () => {
    const p = plan(readModelListing(answers[0]), 'self');
    const tensors = new Map(p.reads.map((r, i) => {
      const size = r.shape.reduce((a, b) => a * b, 1);
      return [r.name, { shape: [...r.shape], data: Float64Array.from({ length: size }, (_, k) => Math.sin(k * (i + 1)) + (k % 2)) }];
    }));
    const checkpoint = liveCheckpoint(p, tensors);
    assert.equal(checkpoint.format, 'live');
    const audit = auditCheckpoint(checkpoint);
    assert.deepEqual(audit.layers.map((l) => [l.name, l.op, l.strideFrom]).sort(), [['main.0', 'convTranspose2d', 'graph'], ['main.2', 'convTranspose2d', 'graph'], ['main.3', 'subPixelConvolution', 'graph']]);
    assert.equal(audit.layers.find((l) => l.name === 'main.0')?.verdict, 'even');
    assert.throws(() => checkpoint.tensor('head.weight'), /the live model has no tensor "head\.weight"/);
  });

  it('reads only what the snippet answers, and reaches submodules by checked names and indices', () => {
    assert.throws(() => readModelListing({ kind: 'module', type: 'G', count: 1, modules: [['main.0', 'linear', {}, null, null, null]] }), /no path or kind/);
    assert.throws(() => readModelListing('text'), /not an object/);
    assert.equal(renderExpression(pathExpression(checked('netG'), 'module.main.10')!), 'netG.module.main[10]');
    assert.equal(pathExpression(checked('netG'), 'blocks.__class__'), undefined);
    assert.equal(pathExpression(checked('netG'), 'blocks.import'), undefined);
    assert.equal(pathExpression(checked('netG'), "x'); import os; ('"), undefined);
    // A stride that is not a plain pair (a module that overrides it) is refused, not guessed.
    const odd = planLiveAudit({ kind: 'module', type: 'G', count: 1, modules: [{ path: 'up', kind: 'convTranspose2d', weightShape: [2, 2, 4, 4], dilation: [1, 1], groups: 1 }] }, checked('g'), 'g', 1e6);
    assert.ok(!odd.ok && odd.problem.includes('g.up: its stride, dilation or groups is not a plain whole number or pair'));
  });

  it('lists 1-D and 3-D transposed convolutions with a stride per axis, and audits them as a file\'s graph would', () => {
    const frame = [
      'import sys, json, torch',
      'from torch import nn',
      'class Decoders(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.wave = nn.Sequential(nn.ConvTranspose1d(4, 2, 25, stride=4, padding=11, output_padding=1), nn.ReLU(), nn.Conv1d(2, 1, 3))',
      '        self.vol = nn.ConvTranspose3d(2, 2, (1, 3, 3), stride=(1, 2, 3), groups=2, bias=False)',
      '    def forward(self, x):',
      '        L = locals()',
      '        return [eval(s, globals(), L) for s in json.load(sys.stdin)]',
      'print(json.dumps(Decoders()(torch.zeros(1))))',
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', frame], { input: JSON.stringify([modelSnippet(checked('self'))]), encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const p = plan(readModelListing(decode((JSON.parse(run.stdout) as string[])[0] as string)), 'self');
    assert.deepEqual(p.layers.map((l) => [l.name, l.op, l.stride, l.dilation, l.groups]), [
      ['wave.0', 'convTranspose1d', [4], [1], 1],
      ['vol', 'convTranspose3d', [1, 2, 3], [1, 1, 1], 2],
    ]);
    assert.deepEqual(p.reads.map((r) => [renderExpression(r.expression), r.shape]), [['self.wave[0].weight', [4, 2, 25]], ['self.wave[0].bias', [2]], ['self.vol.weight', [2, 1, 1, 3, 3]]]);
    const tensors = new Map(p.reads.map((r) => [r.name, { shape: [...r.shape], data: new Float64Array(r.shape.reduce((a, b) => a * b, 1)).fill(1) }]));
    const audit = auditCheckpoint(liveCheckpoint(p, tensors));
    // Kernel 25, stride 4 of ones: 7, 6, 6, 6 taps a phase from each of 4 input channels.
    assert.deepEqual(audit.layers.find((l) => l.name === 'wave.0')?.phaseSums[0], [[28, 24, 24, 24]]);
    // Kernel (1, 3, 3), stride (1, 2, 3), one input channel a group: rows 0, 2 of the kernel on phase 0, row 1 on phase 1.
    assert.deepEqual(audit.layers.find((l) => l.name === 'vol')?.phaseSums[0], [[2, 2, 2], [1, 1, 1]]);
  });
});
