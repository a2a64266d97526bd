import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceModel } from '../../../src/core/model/analyzeModel';
import { answerModel, isModelAnswer } from '../../../src/core/model/modelMessages';
import { findLayerStacks, stackContext, stackInRange, type LayerStack } from '../../../src/core/parse/layerStacks';
import { analyzeStack } from '../../../src/core/insight/stackShapes';
import { stackTable } from '../../../src/core/insight/stackReport';
import { stackPath } from '../../../src/core/insight/stackPath';
import { informStack, overlapOnInput, patternForms, runsByOffset, runLines, type ModelOrigin } from '../../../src/core/insight/stackModel';
import { summarizeDocument } from '../../../src/core/insight/documentSummary';
import { documentDiagnostics } from '../../../src/core/insight/documentDiagnostics';
import { layerRunsMarkdown } from '../../../src/core/insight/layerRunsMarkdown';

const root = join(__dirname, '..', '..', '..', '..');
const UNET = readFileSync(join(root, 'test/fixtures/stackmodel/unet_small.py'), 'utf8');

const lineOf = (text: string) => (offset: number) => text.slice(0, offset).split('\n').length - 1;

function traced(text: string, className: string, inputShape: number[], args?: Record<string, number>) {
  const run = traceModel(text, { className, inputShape, ...(args ? { args } : {}) });
  const origin: ModelOrigin = { className, inputShape, inputSource: 'as given', error: run.error, unknown: run.unknown };
  return { run, origin, runs: runsByOffset(run.trace) };
}

function stackNamed(text: string, name: string): LayerStack {
  const context = stackContext(text, 'python');
  const stack = findLayerStacks(text, 'python', context).find((s) => s.name === name);
  assert.ok(stack, `a stack ${name}`);
  return stack;
}

function informed(text: string, stack: LayerStack, className: string, inputShape: number[], use?: string) {
  const { origin, runs } = traced(text, className, inputShape);
  const analysis = analyzeStack(stack, stackContext(text, 'python').constants);
  const result = informStack(analysis, runs, origin, use);
  assert.ok(result, 'the model runs the stack');
  return { result, table: stackTable(result.analysis, lineOf(text), 'unet_small.py') };
}

describe('the stack view read with the model (stackModel.ts)', () => {
  it('records where each layer and block is constructed, to the character', () => {
    const { run } = traced(UNET, 'UNet', [1, 3, 64, 64]);
    const outc = run.trace.steps.find((s) => s.path === 'outc');
    assert.equal(outc?.offset, UNET.indexOf('nn.Conv2d(16, n_classes'));
    const up1 = run.trace.blocks?.find((b) => b.path === 'up1');
    assert.deepEqual(up1 && { type: up1.type, offset: up1.offset, inputs: up1.inputs, output: up1.output }, { type: 'Up', offset: UNET.indexOf('Up(64, 32)'), inputs: [[1, 64, 16, 16], [1, 32, 32, 32]], output: [1, 32, 32, 32] });
    // The model itself is no block of the source.
    assert.equal(run.trace.blocks?.some((b) => b.path === ''), false);
  });

  it('gives Up.__init__ the real inputs: the DoubleConv after the cat takes the skip’s channels (32 + 32)', () => {
    const { table } = informed(UNET, stackNamed(UNET, 'Up.__init__'), 'UNet', [1, 3, 64, 64]);
    assert.equal(table.inputSource, 'from UNet.forward() for [1, 3, 64, 64] (as given), as up1 (one of 2 uses: up1, up2)');
    assert.deepEqual(table.rows.map((r) => [r.label, r.module, r.input, r.output]), [
      ['nn.ConvTranspose2d', 'up1.up', '[1, 64, 16, 16]', '[1, 32, 32, 32]'],
      ['DoubleConv', 'up1.conv', '[1, 64, 32, 32]', '[1, 32, 32, 32]'],
    ]);
    assert.equal(table.input, '[1, 64, 16, 16]');
    assert.equal(table.output, '[1, 32, 32, 32]');
  });

  it('shows the use asked for: the decoder’s first convolution has C_in from the cat, the encoder’s from the input', () => {
    const stack = stackNamed(UNET, 'self.double_conv');
    const first = informed(UNET, stack, 'UNet', [1, 3, 64, 64]);
    assert.equal(first.result.use, 'inc.double_conv');
    assert.deepEqual(first.result.uses, ['inc.double_conv', 'down1.maxpool_conv.1.double_conv', 'down2.maxpool_conv.1.double_conv', 'up1.conv.double_conv', 'up2.conv.double_conv']);
    assert.equal(first.table.rows[0]?.input, '[1, 3, 64, 64]');
    const decoder = informed(UNET, stack, 'UNet', [1, 3, 64, 64], 'up1.conv.double_conv');
    assert.deepEqual(decoder.table.rows.map((r) => r.input), ['[1, 64, 32, 32]', '[1, 32, 32, 32]', '[1, 32, 32, 32]', '[1, 32, 32, 32]', '[1, 32, 32, 32]', '[1, 32, 32, 32]']);
    assert.equal(decoder.table.rows[0]?.module, 'up1.conv.double_conv.0');
    // The parameters of the module as built (64·32·3·3, no bias), where the code alone writes a product of names.
    assert.equal(decoder.table.rows[0]?.parameters, '18,432');
    assert.equal(first.table.rows[0]?.parameters, '432');
    assert.match(decoder.table.inputSource, /as up1\.conv\.double_conv \(one of 5 uses/);
    // Read alone, the stack only had names for the sizes.
    assert.equal(stackTable(analyzeStack(stack, stackContext(UNET, 'python').constants), lineOf(UNET), 'f').rows[0]?.input, '[N, in_channels, H, W]');
  });

  it('marks a layer forward() never calls as not run, and keeps it off the counts and the overlap path', () => {
    const { result, table } = informed(UNET, stackNamed(UNET, 'UNet.__init__'), 'UNet', [1, 3, 64, 64]);
    const dropout = table.rows.find((r) => r.label === 'nn.Dropout2d');
    assert.deepEqual(dropout && [dropout.input, dropout.output, dropout.run], ['not run', 'not run', false]);
    assert.match(dropout?.note ?? '', /^not run: UNet\.forward\(\) never calls it/);
    assert.deepEqual(table.rows.filter((r) => r.run).map((r) => r.module), ['inc', 'down1', 'down2', 'up1', 'up2', 'outc']);
    assert.match(table.rows.find((r) => r.module === 'up1')?.note ?? '', /takes \[1, 64, 16, 16\] and \[1, 32, 32, 32\]/);
    assert.equal(table.output, '[1, 2, 64, 64]');
    assert.ok(!stackPath(result.analysis).rows.includes(dropout?.index ?? -1));
  });

  it('keeps two layer calls on one line apart (pix2pix writes `[nn.ReflectionPad2d(3), nn.Conv2d(…)]`)', () => {
    const text = `import torch.nn as nn


class Head(nn.Module):
    def __init__(self, ngf=8):
        super().__init__()
        model = [nn.ReflectionPad2d(3), nn.Conv2d(3, ngf, kernel_size=7, padding=0), nn.ReLU(True)]
        for i in range(2):
            model += [nn.Conv2d(ngf * 2 ** i, ngf * 2 ** (i + 1), kernel_size=3, stride=2, padding=1)]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x)
`;
    const from = text.indexOf('model = [');
    const stack = stackInRange(text, from, text.indexOf('self.model ='), 'python');
    assert.ok(stack);
    const { table } = informed(text, stack, 'Head', [1, 3, 64, 64]);
    assert.deepEqual(table.rows.map((r) => [r.label, r.input, r.output]), [
      ['nn.ReflectionPad2d', '[1, 3, 64, 64]', '[1, 3, 70, 70]'],
      ['nn.Conv2d', '[1, 3, 70, 70]', '[1, 8, 64, 64]'],
      ['nn.ReLU', '[1, 8, 64, 64]', '[1, 8, 64, 64]'],
      ['nn.Conv2d', '[1, 8, 64, 64]', '[1, 16, 32, 32]'],
    ]);
    // The loop makes a module per turn: the row says so, with the other's shapes.
    assert.equal(table.rows[3]?.note, 'this call makes 2 modules: the row shows model.3; also model.4 ([1, 16, 32, 32] → [1, 32, 16, 16])');
  });

  it('puts PyTorch’s error on the layer where forward() raises, and marks what follows as not reached', () => {
    const text = UNET.replace('nn.Conv2d(16, n_classes, kernel_size=1)', 'nn.Conv2d(32, n_classes, kernel_size=1)');
    const { table } = informed(text, stackNamed(text, 'UNet.__init__'), 'UNet', [1, 3, 64, 64]);
    const outc = table.rows.find((r) => r.label === 'nn.Conv2d');
    assert.equal(outc?.problem?.code, 'invalid-layer');
    assert.match(outc?.problem?.message ?? '', /^UNet\.forward\(\) raises here for \[1, 3, 64, 64\]: .*channels/);
    assert.equal(outc?.input, 'not reached');
  });

  it('follows a Sequential built from a list, and does not call an element built by a helper not run', () => {
    const text = `import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.body = self._make_layer(8, 2)
        tail = [nn.Upsample(scale_factor=2), nn.Conv2d(8, 3, 3, padding=1)]
        self.tail = nn.Sequential(*tail)

    def _make_layer(self, width, n):
        return nn.Sequential(*[nn.Conv2d(width, width, 3, padding=1) for _ in range(n)])

    def forward(self, x):
        return self.tail(self.body(self.stem(x)))
`;
    const { origin, runs } = traced(text, 'Net', [1, 3, 16, 16]);
    const analysis = analyzeStack(stackNamed(text, 'Net.__init__'), stackContext(text, 'python').constants);
    const result = informStack(analysis, runs, origin, undefined, new Set(['Net']));
    assert.ok(result);
    const table = stackTable(result.analysis, lineOf(text), 'net.py');
    assert.equal(result.use, '');
    const byLabel = (label: string) => table.rows.find((r) => r.label === label);
    assert.deepEqual([byLabel('nn.Sequential')?.module, byLabel('nn.Sequential')?.output], ['tail', '[1, 3, 32, 32]']);
    const helper = byLabel('self._make_layer');
    assert.equal(helper?.run, undefined, 'neither run nor not run: not matched');
    assert.match(helper?.note ?? '', /matches an element to the run by its constructor call, and self\._make_layer is not one/);
  });

  it('is undefined when the model runs none of the stack’s elements', () => {
    const { origin, runs } = traced(UNET, 'UNet', [1, 3, 64, 64]);
    const other = 'import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.ReLU(),\n)\n';
    const stack = findLayerStacks(other, 'python')[0] as LayerStack;
    assert.equal(informStack(analyzeStack(stack, new Map()), runs, origin), undefined);
  });

  it('judges a transposed convolution’s overlap on the input it really gets', () => {
    const axis = { kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 };
    assert.equal(patternForms(axis, 1), false);
    assert.equal(patternForms(axis, 8), true);
    assert.equal(patternForms({ kernel: 4, stride: 2, padding: 1, outputPadding: 0, dilation: 1 }, 64), false, 'an even layer has no pattern at any size');
    const small = overlapOnInput([axis, axis], 2, [1, 1]);
    assert.equal(small?.even, true);
    assert.equal(small?.label, 'even here');
    assert.match(small?.reason ?? '', /its input in the model is only 1×1/);
    const large = overlapOnInput([axis, axis], 2, [16, 16]);
    assert.deepEqual([large?.even, large?.label], [false, 'uneven 1:2']);
    assert.match(large?.reason ?? '', /on its input 16×16 in the model/);
  });

  it('writes a layer’s runs for the hover, at most a few', () => {
    const runs = Array.from({ length: 8 }, (_, i) => ({ kind: 'layer' as const, path: `m.${i}`, op: 'Conv2d', inputs: [[1, 3, 8, 8]], output: [1, 4, 8, 8] }));
    const lines = runLines(runs, 2);
    assert.deepEqual(lines, ['m.0: [1, 3, 8, 8] → [1, 4, 8, 8]', 'm.1: [1, 3, 8, 8] → [1, 4, 8, 8]', '…and 6 more runs']);
  });

  it('builds a class with the literal arguments of its call in the file it is written in, when they are among the callers', () => {
    const text = `${UNET.replace('def __init__(self, n_channels=3, n_classes=2)', 'def __init__(self, n_channels, n_classes)')}\n\nnet = UNet(3, n_classes=5)\n`;
    const answer = answerModel({ source: text, className: 'UNet', inputShape: [1, 3, 32, 32], trace: true, callers: { 'unet.py': text } });
    assert.ok(isModelAnswer(answer));
    assert.deepEqual(answer.builtWith?.values, { n_channels: 3, n_classes: 5 });
    assert.deepEqual(answer.analysis.output?.shape, [1, 5, 32, 32]);
    const without = answerModel({ source: text, className: 'UNet', inputShape: [1, 3, 32, 32], trace: true });
    assert.deepEqual(without.builtWith?.missing, ['n_channels', 'n_classes']);
    assert.equal(without.analysis.output, null);
  });

  describe('in the document summary (CodeLens, diagnostics, hover)', () => {
    /** A Sequential whose size comment is stale: read alone it breaks at 8×8; the model runs it for 64×64. */
    const STALE = `import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            # input is 8 x 8
            nn.Conv2d(3, 16, 3, stride=2),
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3),
        )

    def forward(self, x):
        return self.features(x)
`;
    const summary = (text: string, modelInput?: number[]) => summarizeDocument({ text, languageId: 'python', inputSize: 64, layers: true, ...(modelInput ? { modelInput } : {}) });

    it('drops a stack diagnostic the model’s run contradicts, and reads the stack’s CodeLens from the run', () => {
      const alone = summary(STALE);
      assert.deepEqual(alone.stackProblems.map((p) => p.code), ['stack-invalid-layer']);
      assert.equal(alone.stacks[0]?.summary, 'Stack: 5 layers, 8×8 → ?×?, breaks at 1 layer');
      const run = summary(STALE, [1, 3, 64, 64]);
      assert.deepEqual(run.stackProblems, []);
      assert.deepEqual(documentDiagnostics(run).filter((d) => d.rule.startsWith('stack-')), []);
      assert.equal(run.stacks[0]?.summary, 'Stack: 5 layers, 64×64 → 13×13');
    });

    it('keeps a stack diagnostic where the model does not run the stack (its input does not fit)', () => {
      const run = summary(STALE, [1, 1, 64, 64]);
      assert.deepEqual(run.stackProblems.map((p) => p.code), ['stack-invalid-layer']);
    });

    it('lists each layer’s runs for the hover, by the offset of its call', () => {
      const run = summary(UNET, [1, 3, 64, 64]);
      const up = run.modelLayers?.find((l) => l.start === UNET.indexOf('nn.ConvTranspose2d('));
      assert.deepEqual(up, { start: UNET.indexOf('nn.ConvTranspose2d('), className: 'UNet', runs: [{ path: 'up1.up', input: [1, 64, 16, 16], output: [1, 32, 32, 32] }, { path: 'up2.up', input: [1, 32, 32, 32], output: [1, 16, 64, 64] }], more: 0 });
      const decoderConv = run.modelLayers?.find((l) => l.start === UNET.indexOf('nn.Conv2d(in_channels, out_channels'));
      assert.deepEqual(decoderConv?.runs.map((r) => `${r.path} ${r.input[1]}`), ['inc.double_conv.0 3', 'down1.maxpool_conv.1.double_conv.0 16', 'down2.maxpool_conv.1.double_conv.0 32', 'up1.conv.double_conv.0 64', 'up2.conv.double_conv.0 32']);
      assert.equal(summary(UNET).modelLayers, undefined, 'nothing without an input shape for the models');
    });

    it('writes the runs in the hover, with the overlap verdict on an input too small for the pattern', () => {
      const axis = { kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 };
      const entry = { start: 0, className: 'Decoder', runs: [{ path: 'up.0', input: [1, 8, 1, 1], output: [1, 4, 2, 2] }, { path: 'up.1', input: [1, 4, 16, 16], output: [1, 2, 32, 32] }], more: 0 };
      const lines = layerRunsMarkdown([entry], [1, 8, 1, 1], { axes: [axis, axis], rank: 2, even: false });
      assert.equal(lines[0], '**In the model** — `Decoder.forward()` for 1×8×1×1 (`layerLens.models.inputShape`), 2 runs:');
      assert.ok(lines.includes('- `up.0`: [1, 8, 1, 1] → [1, 4, 2, 2]'));
      assert.ok(lines.some((l) => /^- overlap on its input 1×1 in the model: \*\*even here\*\*/.test(l)), lines.join('\n'));
      assert.ok(!lines.some((l) => l.includes('input 16×16')), 'the verdict on 16×16 is the layer’s own: not repeated');
    });
  });
});
