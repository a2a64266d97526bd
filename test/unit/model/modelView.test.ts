import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceModel } from '../../../src/core/model/analyzeModel';
import { findModelClasses, importedModules, moduleFileCandidates } from '../../../src/core/model/modelClasses';
import { answerModel, isModelAnswer, isModelRequest } from '../../../src/core/model/modelMessages';
import { MODEL_INPUT } from '../../../src/core/model/modelTrace';
import { modelSummary, modelTable, nearestSides } from '../../../src/core/insight/modelReport';
import { parseInputShape } from '../../../src/core/insight/modelInput';
import { rankedDefaultInput } from '../../../src/core/model/rankedInput';
import { isModelTable } from '../../../src/core/protocol/model';

const models = join(__dirname, '../../../../test/golden/models');
const read = (file: string): string => readFileSync(join(models, file), 'utf8');
const unet = (side: number) => traceModel(read('unet_model.py'), { className: 'UNet', inputShape: [1, 3, side, side], files: { 'models/unet_parts.py': read('unet_parts.py') } });
const context = (inputShape: number[]) => ({ className: 'UNet', source: 'unet_model.py:8', inputShape, inputSource: 'given' });

describe('model view: the trace of forward()', () => {
  it('lists every module call and operation of a U-Net in order, with where each input came from', () => {
    const { trace, output } = unet(64);
    assert.deepEqual(output?.shape, [1, 2, 64, 64]);
    const steps = trace.steps;
    assert.equal(steps.length, 71);
    assert.deepEqual(steps[0], { ...steps[0], kind: 'layer', op: 'Conv2d', path: 'inc.double_conv.0', scope: 'inc', inputs: [[1, 3, 64, 64]], output: [1, 64, 64, 64], sources: [MODEL_INPUT] });
    const cats = steps.map((s, i) => [s, i] as const).filter(([s]) => s.op === 'cat');
    assert.equal(cats.length, 4);
    const [first] = cats[0] ?? [];
    // up1: torch.cat([x2, x1]) where x2 is down3's output (its last ReLU) and x1 the padded upsampled map.
    assert.equal(steps[first?.sources[0] ?? 0]?.path, 'down3.maxpool_conv.1.double_conv.5');
    assert.equal(steps[first?.sources[1] ?? 0]?.op, 'pad');
    assert.equal(first?.line, 67);
    assert.equal(first?.file, 'models/unet_parts.py');
    assert.equal(trace.modules['down1'], 'Down');
    assert.equal(trace.modules['up4.conv'], 'DoubleConv');
  });

  it('marks an addition of a block’s input back to its output as a join (ResNet generator)', () => {
    const { trace } = traceModel(read('resnet_generator.py'), { className: 'ResnetGenerator', inputShape: [1, 3, 64, 64] });
    const adds = trace.steps.filter((s) => s.op === '+');
    assert.ok(adds.length >= 1, 'the residual + is traced');
    for (const add of adds) assert.equal(add.sources.length, 2);
  });

  it('stops the trace where PyTorch raises and keeps what ran before', () => {
    const result = traceModel(read('unet_nopad.py'), { className: 'UNET', inputShape: [1, 3, 78, 78] });
    assert.equal(result.output, null);
    assert.equal(result.error?.line, 62);
    assert.ok(result.trace.steps.length > 0);
  });
});

describe('model view: the table', () => {
  it('groups runs of one class, finds the four skip connections and sums the totals', () => {
    const traced = unet(64);
    const table = modelTable(traced, traced.trace, { sides: [16, 32, 48, 64, 80], rule: 'H must be a multiple of 16 and at least 16', formula: 'H = 16·k, k ≥ 1', unknown: null }, 512, context([1, 3, 64, 64]));
    assert.ok(isModelTable(table), 'the table passes its own guard');
    assert.deepEqual(table.groups.map((g) => g.label), ['inc (DoubleConv)', 'Down ×4 (down1 … down4)', 'Up ×4 (up1 … up4)', 'outc (OutConv)']);
    assert.deepEqual(table.skips.map((s) => [table.rows[s.from]?.block, table.rows[s.to]?.block]), [['down3', 'up1'], ['down2', 'up2'], ['down1', 'up3'], ['inc', 'up4']]);
    assert.equal(table.params, 31_037_698);
    assert.equal(table.macs, traced.layers.reduce((sum, l) => sum + l.macs, 0));
    assert.deepEqual(table.sizes?.nearest, [16, 32, 48, 64, 80]);
    assert.equal(table.sizes?.runs, true);
    const up = table.rows.find((r) => r.label === 'ConvTranspose2d');
    assert.equal(up?.overlap?.label, 'even');
    assert.equal(table.rows.find((r) => r.label === 'torch.cat')?.line, 66, '0-based');
  });

  it('says where the run raises, as a problem row, on the line of the cat', () => {
    const traced = traceModel(read('unet_nopad.py'), { className: 'UNET', inputShape: [1, 3, 78, 78] });
    const table = modelTable(traced, traced.trace, undefined, 512, context([1, 3, 78, 78]));
    assert.equal(table.problem?.kind, 'error');
    assert.equal(table.problem?.line, 61);
    assert.equal(table.output, 'none');
  });

  it('puts the error on the failing cat, in forward order, and the steps after it as not run', () => {
    const request = { source: read('unet_nopad.py'), className: 'UNET', inputShape: [1, 3, 78, 78], trace: true, validSides: { channels: 3, maxSide: 128 } };
    const answer = answerModel(request);
    assert.ok(isModelAnswer(structuredClone(answer)));
    const trace = answer.trace!;
    assert.deepEqual(trace.failure, { kind: 'op', op: 'cat', path: '', scope: '', line: 62, file: '' });
    assert.ok((trace.after?.length ?? 0) > 0, 'the steps of a working size after the cat');
    const table = modelTable(answer.analysis, trace, answer.sizes, 128, context([1, 3, 78, 78]));
    assert.ok(isModelTable(table));
    const failed = table.rows.filter((r) => r.status === 'failed');
    assert.equal(failed.length, 1);
    const row = failed[0]!;
    assert.equal(row.index, trace.steps.length, 'right after the last step that ran');
    assert.equal(row.label, 'torch.cat');
    assert.equal(row.line, 61);
    assert.match(row.message ?? '', /^PyTorch raises: torch\.cat at line 62: skip_connection is 9×9 but x is 8×8/);
    // In forward order: every step before it ran, every one after it did not.
    assert.ok(table.rows.slice(0, row.index).every((r) => r.status === undefined));
    const after = table.rows.slice(row.index + 1);
    assert.equal(after.length, trace.after?.length);
    assert.ok(after.every((r) => r.status === 'notRun' && r.output === '' && r.macs === 0));
    assert.equal(after.at(-1)?.path, 'final_conv');
    // The cat is in the model's own forward(): the group of its block.
    const group = table.groups.find((g) => g.first <= row.index && row.index <= g.last);
    assert.equal(group?.label, 'forward()');
  });

  it('puts a failing layer on its own row in its submodule group', () => {
    const source = [
      'import torch.nn as nn',
      'class Block(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.a = nn.Conv2d(3, 8, 3)',
      '        self.b = nn.Conv2d(8, 8, 5)',
      '        self.c = nn.Conv2d(8, 8, 3)',
      '    def forward(self, x):',
      '        return self.c(self.b(self.a(x)))',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.stem = nn.Conv2d(3, 3, 1)',
      '        self.block = Block()',
      '        self.head = nn.Conv2d(8, 1, 1)',
      '    def forward(self, x):',
      '        return self.head(self.block(self.stem(x)))',
      '',
    ].join('\n');
    const answer = answerModel({ source, className: 'Net', inputShape: [1, 3, 6, 6], trace: true, validSides: { channels: 3, maxSide: 32 } });
    const table = modelTable(answer.analysis, answer.trace!, answer.sizes, 32, context([1, 3, 6, 6]));
    assert.deepEqual(table.rows.map((r) => [r.path, r.status ?? 'ran']), [['stem', 'ran'], ['block.a', 'ran'], ['block.b', 'failed'], ['block.c', 'notRun'], ['head', 'notRun']]);
    assert.equal(table.rows[2]?.line, 5, 'the layer’s constructor line, 0-based');
    assert.match(table.rows[2]?.message ?? '', /block\.b \(Conv2d\)/);
    assert.equal(table.rows[3]?.params, 8 * 8 * 9 + 8, 'a layer not run still has its parameters');
    assert.deepEqual(table.groups.map((g) => [g.label, g.first, g.last]), [['stem (Conv2d)', 0, 0], ['block (Block)', 1, 3], ['head (Conv2d)', 4, 4]]);
    // The U-Net failing in down3's pooling: the Down blocks that did not run still join the Down ×4 group.
    const unetAnswer = answerModel({ source: read('unet_model.py'), className: 'UNet', inputShape: [1, 3, 4, 4], files: { 'models/unet_parts.py': read('unet_parts.py') }, trace: true, validSides: { channels: 3, maxSide: 32 } });
    const unetTable = modelTable(unetAnswer.analysis, unetAnswer.trace!, unetAnswer.sizes, 32, context([1, 3, 4, 4]));
    const failedAt = unetTable.rows.findIndex((r) => r.status === 'failed');
    assert.equal(unetTable.rows[failedAt]?.label, 'MaxPool2d');
    assert.deepEqual(unetTable.groups.map((g) => g.label), ['inc (DoubleConv)', 'Down ×4 (down1 … down4)', 'Up ×4 (up1 … up4)', 'outc (OutConv)']);
  });

  it('gives every row its receptive field on the input, and says where it stops being followed', () => {
    const traced = unet(64);
    const table = modelTable(traced, traced.trace, undefined, 512, context([1, 3, 64, 64]));
    assert.equal(table.rows[0]?.field?.text, '3×3 s1 −1');
    assert.match(table.rows[0]?.field?.words ?? '', /sees 3 input rows and 3 columns.*starts at input row −1 \(1 rows into the padding\)/);
    const pool = table.rows.find((r) => r.label === 'MaxPool2d');
    assert.equal(pool?.field?.text, '6×6 s2 −2', 'two 3×3 convolutions and a 2×2 window');
    const up = table.rows.find((r) => r.label === 'ConvTranspose2d');
    assert.deepEqual(up?.field?.rows.jump, [8, 1], 'down to 1/16, up by 2: 8');
    assert.ok(table.outputField, 'the output has a field');
    assert.deepEqual(table.outputField?.rows.jump, [1, 1]);
    const vae = traceModel(read('vae.py'), { className: 'VAE', inputShape: [1, 3, 64, 64] });
    const vaeTable = modelTable(vae, vae.trace, undefined, 512, { ...context([1, 3, 64, 64]), className: 'VAE' });
    const lost = vaeTable.rows.findIndex((r) => r.field === undefined);
    assert.match(vaeTable.rows[lost]?.fieldWhy ?? '', /rearranges rows and columns|linear layer/);
    assert.match(vaeTable.rows[lost + 1]?.fieldWhy ?? '', new RegExp(`^not followed after #${lost + 1} `));
  });

  it('summarises a model in one line for the CodeLens', () => {
    assert.equal(modelSummary(unet(64), [1, 3, 64, 64]), '31.0 M params · 1×3×64×64 → 1×2×64×64');
    assert.match(modelSummary(traceModel(read('unet_nopad.py'), { className: 'UNET', inputShape: [1, 3, 78, 78] }), [1, 3, 78, 78]), /raises at line 62$/);
    const noForward = 'import torch.nn as nn\nclass D(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.up = nn.ConvTranspose2d(4, 2, 3)\n';
    assert.equal(modelSummary(traceModel(noForward, { className: 'D', inputShape: [1, 4, 8, 8] }), [1, 4, 8, 8]), '74 params · 1×4×8×8 raises (Module [D] is missing the required "forward" function)');
  });

  it('picks the valid sides nearest to the given one', () => {
    assert.deepEqual(nearestSides([16, 32, 48, 64, 80, 96, 112, 128], 78, 4), [48, 64, 80, 96]);
    assert.deepEqual(nearestSides([], 78), []);
  });
});

describe('model view: the worker message with a trace', () => {
  it('answers a traced request with a trace the guard accepts, and refuses a malformed one', () => {
    const request = { source: read('unet_nopad.py'), className: 'UNET', inputShape: [1, 3, 64, 64], trace: true };
    assert.ok(isModelRequest(request));
    assert.ok(!isModelRequest({ ...request, trace: 'yes' }));
    const answer = answerModel(request);
    assert.ok(answer.trace && answer.trace.steps.length > 0);
    // It crosses the worker boundary: plain data only (a class with a WeakMap inside would not).
    assert.ok(isModelAnswer(structuredClone(answer)));
    assert.ok(!isModelAnswer({ ...answer, trace: { steps: [{ kind: 'layer' }], modules: {} } }));
  });
});

describe('model view: classes, imports and input shapes', () => {
  it('finds the nn.Module classes and where their names are', () => {
    const classes = findModelClasses('import torch.nn as nn\nclass A(nn.Module):\n  pass\nclass B(A):\n  pass\nclass  C(torch.nn.Module):\n  pass\n');
    assert.deepEqual(classes.map((c) => [c.name, c.line, c.nameStart, c.nameEnd]), [['A', 1, 6, 7], ['C', 5, 7, 8]]);
  });

  it('lists the workspace modules a file imports and where they may be', () => {
    assert.deepEqual(importedModules('import torch\nimport torch.nn.functional as F\nfrom .unet_parts import *\nfrom models.blocks import Up, Down\nimport numpy as np\n'), ['.unet_parts', 'models.blocks']);
    assert.deepEqual(moduleFileCandidates('.unet_parts'), { fromFile: ['unet_parts.py', 'unet_parts/__init__.py'], fromRoot: [] });
    assert.deepEqual(moduleFileCandidates('..common.layers').fromFile[0], '../common/layers.py');
    assert.deepEqual(moduleFileCandidates('models.blocks').fromRoot[0], 'models/blocks.py');
  });

  it('reads an input shape as typed, filling in what is left out', () => {
    assert.deepEqual(parseInputShape('78', [2, 3, 64, 64]), { ok: true, shape: [2, 3, 78, 78] });
    assert.deepEqual(parseInputShape('64x48', [1, 1, 8, 8]), { ok: true, shape: [1, 1, 64, 48] });
    assert.deepEqual(parseInputShape('[1, 3, 32, 32]', [1, 1, 8, 8]), { ok: true, shape: [1, 3, 32, 32] });
    assert.match((parseInputShape('64, a', [1, 3, 64, 64]) as { reason: string }).reason, /not a whole number/);
    assert.match((parseInputShape('0', [1, 3, 64, 64]) as { reason: string }).reason, /out of range/);
    assert.match((parseInputShape('', [1, 3, 64, 64]) as { reason: string }).reason, /Type a size/);
  });

  it('reads a sequence\'s and a volume\'s shape by the current shape\'s rank: a length, a cube side', () => {
    assert.deepEqual(parseInputShape('2048', [1, 1, 256]), { ok: true, shape: [1, 1, 2048] });
    assert.deepEqual(parseInputShape('2x512', [1, 1, 256]), { ok: true, shape: [1, 2, 512] });
    assert.deepEqual(parseInputShape('4, 1, 256', [1, 1, 256]), { ok: true, shape: [4, 1, 256] });
    assert.deepEqual(parseInputShape('16', [1, 2, 32, 32, 32]), { ok: true, shape: [1, 2, 16, 16, 16] });
    assert.deepEqual(parseInputShape('8x16x24', [1, 2, 32, 32, 32]), { ok: true, shape: [1, 2, 8, 16, 24] });
    assert.deepEqual(parseInputShape('3x8x16x24', [1, 2, 32, 32, 32]), { ok: true, shape: [1, 3, 8, 16, 24] });
  });

  it('gives a class whose first convolution is 1-D or 3-D a sequence or a volume as its default input', () => {
    const models = join(__dirname, '../../../../test/golden/models');
    assert.deepEqual(rankedDefaultInput(readFileSync(join(models, 'wavegan1d.py'), 'utf8'), 'WaveUNet'), [1, 1, 256]);
    assert.deepEqual(rankedDefaultInput(readFileSync(join(models, 'unet3d.py'), 'utf8'), 'UNet3D'), [1, 2, 32, 32, 32]);
    assert.equal(rankedDefaultInput(readFileSync(join(models, 'dcgan.py'), 'utf8'), 'Generator'), undefined, 'an image model keeps the image default');
  });
});
