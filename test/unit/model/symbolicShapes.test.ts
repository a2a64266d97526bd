import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceModel, type TracedModel } from '../../../src/core/model/analyzeModel';
import { dimValue } from '../../../src/core/model/symbolicDim';
import { symShapeText, type SymShape } from '../../../src/core/model/symbolicShape';
import { modelTable } from '../../../src/core/insight/modelReport';
import { isModelTable } from '../../../src/core/protocol/model';

/** The parts of test/golden/models/torch-models.json (PyTorch 1.13, test/golden/torch-models.py) these tests read. */
type GoldenLayers = { path: string; inputShape: number[]; outputShape: number[] }[];
type GoldenCase = { name: string; files: string[]; className: string; args: Record<string, boolean | number>; runs: { input: number[]; outputs?: number[][]; layers?: GoldenLayers }[] };

const models = join(__dirname, '../../../../test/golden/models');
const golden = JSON.parse(readFileSync(join(models, 'torch-models.json'), 'utf8')) as { cases: GoldenCase[] };
const read = (file: string): string => readFileSync(join(models, file), 'utf8');

function trace(c: GoldenCase, input: readonly number[]): TracedModel {
  const [main, ...rest] = c.files as [string, ...string[]];
  return traceModel(read(main), { className: c.className, inputShape: input, files: Object.fromEntries(rest.map((f) => [f, read(f)])), args: c.args });
}

const caseNamed = (name: string): GoldenCase => golden.cases.find((c) => c.name === name) as GoldenCase;
const envOf = (input: readonly number[]): Record<string, number> => ({ N: input[0] as number, H: input[2] as number, W: input[3] as number });
const valueOf = (sym: SymShape, env: Record<string, number>): (number | undefined)[] => sym.map((d) => (d ? dimValue(d, env) : undefined));
/** The axes a formula gives, compared with the numbers (axes without a formula left out). */
const agrees = (sym: SymShape, shape: readonly number[], env: Record<string, number>): boolean => sym.length === shape.length && valueOf(sym, env).every((v, i) => v === undefined || v === shape[i]);
const outputs = (t: TracedModel): string[] => t.trace.steps.map((s) => symShapeText(s.symbolic?.output) ?? '');

describe('symbolic shapes through forward() (the model view)', () => {
  for (const c of golden.cases) {
    // Traced at one input (64×64, or the first side the model runs on), the formulas must give every
    // other input's numbers: the reader's own trace for all sides 1–128 and non-square inputs that run,
    // and PyTorch's shapes of the listed layers.
    it(`${c.name}: every formula gives the numbers of every input that runs (reader and PyTorch)`, () => {
      const baseRun = c.runs.find((r) => r.outputs && r.input[2] === 64 && r.input[3] === 64) ?? c.runs.find((r) => r.outputs);
      assert.ok(baseRun, 'the model runs on some input');
      const base = trace(c, baseRun.input);
      assert.equal(base.trace.sizes?.dropped, 0, 'no formula disagreed with its number');
      const wrong: string[] = [];
      let compared = 0;
      for (const run of c.runs) {
        if (!run.outputs) continue;
        // The constructor's names (ngf) keep their values: only the input changes.
        const env = { ...base.trace.sizes?.names, ...envOf(run.input) };
        const other = trace(c, run.input);
        base.trace.steps.forEach((step, i) => {
          const sym = step.symbolic;
          if (!sym) return;
          const there = other.trace.steps[i];
          if (!there || there.op !== step.op || there.path !== step.path) {
            wrong.push(`${run.input}: step ${i} (${step.op} ${step.path}) has a formula but runs as ${there?.op} ${there?.path}`);
            return;
          }
          if (sym.output && !agrees(sym.output, there.output, env)) wrong.push(`${run.input}: step ${i} ${step.op} ${step.path} output ${symShapeText(sym.output) ?? JSON.stringify(valueOf(sym.output, env))} gives ${JSON.stringify(valueOf(sym.output, env))}, not ${JSON.stringify(there.output)}`);
          sym.inputs.forEach((s, k) => {
            if (s && !agrees(s, there.inputs[k] as number[], env)) wrong.push(`${run.input}: step ${i} ${step.op} input ${k}`);
          });
          compared++;
        });
        // PyTorch's own shapes of the listed layers (convolutions, pooling, norms, linear), in order.
        if (run.layers) {
          const listed = base.trace.steps.filter((s) => s.kind === 'layer' && run.layers?.some((l) => l.path === s.path));
          const byPath = new Map<string, SymShape[]>();
          for (const s of listed) if (s.symbolic?.output) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s.symbolic.output]);
          const seen = new Map<string, number>();
          for (const layer of run.layers) {
            const n = seen.get(layer.path) ?? 0;
            seen.set(layer.path, n + 1);
            const sym = byPath.get(layer.path)?.[n];
            if (sym && !agrees(sym, layer.outputShape, env)) wrong.push(`${run.input}: PyTorch ${layer.path} gives ${JSON.stringify(layer.outputShape)}, the formula ${symShapeText(sym)}`);
          }
        }
      }
      assert.deepEqual(wrong.slice(0, 10), []);
      assert.ok(compared > 0 || !base.trace.steps.some((s) => s.symbolic), 'formulas were compared');
    });
  }

  it('writes a U-Net (padding in Up) in H and W: halved by each Down, doubled back, channels added by torch.cat', () => {
    const t = trace(caseNamed('unet'), [1, 3, 64, 64]);
    const out = outputs(t);
    const at = (op: string, path: string, nth = 0): string => out[t.trace.steps.map((s, i) => [s, i] as const).filter(([s]) => s.op === op && (path === '' || s.path === path))[nth]?.[1] ?? -1] ?? '';
    assert.equal(at('Conv2d', 'inc.double_conv.0'), '[N, 64, H, W]');
    assert.equal(at('MaxPool2d', 'down1.maxpool_conv.0'), '[N, 64, ⌊H/2⌋, ⌊W/2⌋]');
    assert.equal(at('MaxPool2d', 'down4.maxpool_conv.0'), '[N, 512, ⌊H/16⌋, ⌊W/16⌋]');
    assert.equal(at('ConvTranspose2d', 'up1.up'), '[N, 512, 2·⌊H/16⌋, 2·⌊W/16⌋]');
    // F.pad by sizes read from the tensors: no formula for the padded axes; torch.cat takes the skip's.
    assert.equal(at('pad', ''), '');
    assert.equal(at('cat', ''), '[N, 1024, ⌊H/8⌋, ⌊W/8⌋]');
    assert.equal(out[out.length - 1], '[N, 2, H, W]');
  });

  it('writes the U-Net without padding, the ResNet generator, DCGAN, SRGAN and the VAE', () => {
    const nopad = outputs(trace(caseNamed('unet_nopad'), [1, 3, 64, 64]));
    // The transposed convolution doubles the pooled size: 2·⌊H/16⌋, which torch.cat needs equal to the skip's ⌊H/8⌋.
    assert.ok(nopad.includes('[N, 512, 2·⌊H/16⌋, 2·⌊W/16⌋]'), nopad.join(' '));
    assert.ok(nopad.includes('[N, 1024, ⌊H/8⌋, ⌊W/8⌋]'));
    assert.equal(nopad[nopad.length - 1], '[N, out_channels, H, W]');
    const resnet = outputs(trace(caseNamed('resnet_generator'), [1, 3, 64, 64]));
    // Two stride-2 convolutions down and two transposed ones up: back to H only when 4 divides it.
    assert.match(resnet[resnet.length - 1] ?? '', /^\[N, (3|output_nc), 4·⌊\(H \+ 3\)\/4⌋, 4·⌊\(W \+ 3\)\/4⌋\]$/);
    // Channels by the constructor's names: ngf, then ngf·2 and ngf·4 down the encoder (mult = 2 ** i in a loop).
    assert.deepEqual(resnet.slice(1, 8).filter((_, i) => i % 3 === 0), ['[N, ngf, H, W]', '[N, ngf·2, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]', '[N, ngf·4, ⌊(H + 3)/4⌋, ⌊(W + 3)/4⌋]']);
    const dcgan = trace(caseNamed('dcgan'), [1, 100, 1, 1]);
    // DCGAN's module-level constants ngf = 64 and nc = 3.
    assert.deepEqual(outputs(dcgan).slice(0, 4), ['[N, ngf·8, H + 3, W + 3]', '[N, ngf·8, H + 3, W + 3]', '[N, ngf·8, H + 3, W + 3]', '[N, ngf·4, 2·H + 6, 2·W + 6]']);
    assert.deepEqual(dcgan.trace.sizes?.names, { N: 1, H: 1, W: 1, ngf: 64, nc: 3 });
    const srgan = outputs(trace(caseNamed('srgan'), [1, 3, 24, 24]));
    assert.ok(srgan.includes('[N, 64, 4·H, 4·W]'), srgan.slice(-6).join(' '));
    assert.equal(srgan[srgan.length - 1], '[N, 3, 4·H, 4·W]');
    const vae = outputs(trace(caseNamed('vae'), [1, 3, 64, 64]));
    assert.deepEqual(vae.slice(0, 4), ['[N, 32, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]', '[N, 32, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]', '[N, 32, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]', '[N, 64, ⌊(H + 3)/4⌋, ⌊(W + 3)/4⌋]']);
    // flatten of C·h·w with two sizes in it is a product this algebra does not write: numbers only there.
    const flat = trace(caseNamed('vae'), [1, 3, 64, 64]).trace.steps.findIndex((s) => s.op === 'flatten');
    assert.equal(vae[flat], '');
  });

  it('gives no formula where a number decided on a size chooses what runs', () => {
    const source = [
      'import torch.nn as nn',
      'class Branchy(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.a = nn.Conv2d(3, 8, 3)',
      '        self.b = nn.Conv2d(3, 8, 5)',
      '        self.c = nn.Conv2d(8, 8, 1)',
      '    def forward(self, x):',
      '        if x.size(2) > 32:',
      '            x = self.a(x)',
      '        else:',
      '            x = self.b(x)',
      '        return self.c(x)',
    ].join('\n');
    const t = traceModel(source, { className: 'Branchy', inputShape: [1, 3, 64, 64] });
    assert.deepEqual(t.trace.steps.map((s) => symShapeText(s.symbolic?.output) ?? ''), ['', '']);
    // Iterating a tensor: the number of items is N, so what follows depends on it (stack's count would be N, not 1).
    const iterating = source.replace(/        if x\.size\(2\) > 32:\n            x = self\.a\(x\)\n        else:\n            x = self\.b\(x\)\n/, '        x = self.a(x)\n        x = torch.stack([t for t in x])\n').replace('import torch.nn as nn', 'import torch\nimport torch.nn as nn');
    // A layer built in forward() from a size read (global pooling by the map's own size) has no formula.
    const built = source.replace(/        if x\.size\(2\) > 32:\n            x = self\.a\(x\)\n        else:\n            x = self\.b\(x\)\n/, '        x = nn.AvgPool2d(x.size(2) // 2)(self.a(x))\n');
    const v = traceModel(built, { className: 'Branchy', inputShape: [1, 3, 64, 64] });
    assert.deepEqual(v.trace.steps.map((s) => `${s.op} ${symShapeText(s.symbolic?.output) ?? ''}`), ['Conv2d [N, 8, H − 2, W − 2]', 'AvgPool2d ', 'Conv2d ']);
    const u = traceModel(iterating, { className: 'Branchy', inputShape: [1, 3, 64, 64] });
    assert.deepEqual(u.trace.steps.map((s) => `${s.op} ${symShapeText(s.symbolic?.output) ?? ''}`), ['Conv2d [N, 8, H − 2, W − 2]', 'stack ', 'Conv2d ']);
  });

  it('keeps the formulas of a shape that does not depend on a size read, and drops those that may', () => {
    const source = [
      'import torch',
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      'class Ops(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)',
      '    def forward(self, x):',
      '        y = F.interpolate(self.conv(x), scale_factor=2)',
      '        z = F.pad(x, [1, 1, 2, 2])',
      '        w = torch.cat([x, x], dim=1).permute(0, 2, 3, 1)',
      '        h = x.shape[2]',
      '        v = F.pad(x, [h // 2, 0, 0, 0])',
      '        u = F.pad(x, [1, 1, 0, 0]).view(2, 3, 33, 22)',
      '        return y, z, w, v, u',
    ].join('\n');
    const t = traceModel(source, { className: 'Ops', inputShape: [2, 3, 33, 20] });
    const out = t.trace.steps.map((s) => `${s.op} ${symShapeText(s.symbolic?.output) ?? JSON.stringify(s.symbolic?.output?.map((d) => (d ? 'f' : null)))}`);
    assert.deepEqual(out, [
      'Conv2d [N, 4, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]',
      'interpolate [N, 4, 2·⌊(H + 1)/2⌋, 2·⌊(W + 1)/2⌋]',
      'pad [N, 3, H + 4, W + 2]',
      'cat [N, 6, H, W]',
      'permute [N, H, W, 6]',
      'pad ["f","f",null,null]',
      // Numbers written as literals stay constants after a size was read.
      'pad [N, 3, H, W + 2]',
      'view [2, 3, 33, 22]',
    ]);
    assert.equal(t.trace.sizes?.dropped, 0);
    assert.deepEqual(t.trace.sizes?.names, { N: 2, H: 33, W: 20 });
  });
});

describe('symbolic shapes in the model view’s table', () => {
  it('gives each row its shapes in named sizes beside the numbers, and the table what the names stand for', () => {
    const c = caseNamed('unet');
    const t = trace(c, [1, 3, 64, 48]);
    const table = modelTable(t, t.trace, undefined, 128, { className: 'UNet', source: 'unet_model.py:8', inputShape: [1, 3, 64, 48], inputSource: 'given' });
    assert.ok(isModelTable(table));
    const first = table.rows[0];
    assert.equal(first?.input, '[1, 3, 64, 48]');
    assert.equal(first?.inputSymbolic, '[N, 3, H, W]');
    assert.equal(first?.outputSymbolic, '[N, 64, H, W]');
    const cat = table.rows.find((r) => r.label === 'torch.cat');
    // The padded input has no formula: written in numbers among the formulas.
    assert.equal(cat?.inputSymbolic, '[N, 512, ⌊H/8⌋, ⌊W/8⌋] , [1, 512, 8, 6]');
    assert.equal(cat?.outputSymbolic, '[N, 1024, ⌊H/8⌋, ⌊W/8⌋]');
    assert.equal(table.rows.find((r) => r.label === 'F.pad')?.outputSymbolic, undefined);
    assert.equal(table.outputSymbolic, '[N, 2, H, W]');
    assert.equal(table.sizeNames, 'N = 1, H = 64, W = 48');
    // The page's guard checks the new fields as it checks the others.
    assert.equal(isModelTable({ ...table, rows: [{ ...first, outputSymbolic: 3 }] }), false);
    assert.equal(isModelTable({ ...table, sizeNames: ['N'] }), false);
  });

  it('says nothing of named sizes when no shape depends on one', () => {
    const source = ['import torch.nn as nn', 'class Head(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(8, 2)', '    def forward(self, x):', '        return self.fc(x)'].join('\n');
    const t = traceModel(source, { className: 'Head', inputShape: [4, 8] });
    const table = modelTable(t, t.trace, undefined, 128, { className: 'Head', source: 'head.py:2', inputShape: [4, 8], inputSource: 'given' });
    assert.equal(table.rows[0]?.outputSymbolic, '[N, 2]');
    assert.equal(table.sizeNames, 'N = 4');
    assert.ok(isModelTable(table));
  });
});

describe('symbolic shapes of sequences and volumes', () => {
  /** Traced at `base`, each formula must give the reader's numbers at every other size in `sizes`. */
  function checkAcross(source: string, className: string, base: number[], inputAt: (n: number) => number[], sizes: readonly number[], names: (input: number[]) => Record<string, number>): string[] {
    const t = traceModel(source, { className, inputShape: base });
    const wrong: string[] = [];
    for (const n of sizes) {
      const input = inputAt(n);
      const other = traceModel(source, { className, inputShape: input });
      if (!other.output) continue;
      t.trace.steps.forEach((step, i) => {
        const sym = step.symbolic?.output;
        const there = other.trace.steps[i];
        if (sym && there && !agrees(sym, there.output, names(input))) wrong.push(`${input}: ${step.op} ${symShapeText(sym)} ≠ ${JSON.stringify(there.output)}`);
      });
    }
    return [outputs(t).join(' → '), ...wrong];
  }

  it('writes a 1-D model in L', () => {
    const source = [
      'import torch.nn as nn',
      'class Seq(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv1d(4, 8, 5, stride=2)',
      '        self.pool = nn.MaxPool1d(2)',
      '        self.up = nn.ConvTranspose1d(8, 4, 4, stride=2, padding=1)',
      '    def forward(self, x):',
      '        return self.up(self.pool(self.conv(x)))',
    ].join('\n');
    const [text, ...wrong] = checkAcross(source, 'Seq', [2, 4, 50], (n) => [3, 4, n], Array.from({ length: 60 }, (_, i) => i + 1), (input) => ({ N: input[0] as number, L: input[2] as number }));
    assert.equal(text, '[N, 8, ⌊(L + 1)/2⌋ − 2] → [N, 8, ⌊(L + 1)/4⌋ − 1] → [N, 4, 2·⌊(L + 1)/4⌋ − 2]');
    assert.deepEqual(wrong, []);
  });

  it('writes a 3-D model in D, H and W', () => {
    const source = [
      'import torch.nn as nn',
      'class Vol(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv3d(2, 4, 3, padding=1)',
      '        self.pool = nn.MaxPool3d(2)',
      '        self.up = nn.ConvTranspose3d(4, 2, 2, stride=2)',
      '    def forward(self, x):',
      '        return self.up(self.pool(self.conv(x)))',
    ].join('\n');
    const [text, ...wrong] = checkAcross(source, 'Vol', [1, 2, 8, 12, 16], (n) => [1, 2, n, n + 3, 2 * n], Array.from({ length: 20 }, (_, i) => i + 1), (input) => ({ N: input[0] as number, D: input[2] as number, H: input[3] as number, W: input[4] as number }));
    assert.equal(text, '[N, 4, D, H, W] → [N, 4, ⌊D/2⌋, ⌊H/2⌋, ⌊W/2⌋] → [N, 2, 2·⌊D/2⌋, 2·⌊H/2⌋, 2·⌊W/2⌋]');
    assert.deepEqual(wrong, []);
  });
});

describe('channel counts by the constructor’s names', () => {
  it('names a channel count written with a constructor parameter or a module constant, never one whose value changed', () => {
    const source = [
      'import torch.nn as nn',
      'base = 16',
      'class Block(nn.Module):',
      '    def __init__(self, width):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(width, width, 3, padding=1)',
      '    def forward(self, x):',
      '        return self.conv(x)',
      'class Net(nn.Module):',
      '    def __init__(self, width=8):',
      '        super().__init__()',
      '        self.a = nn.Conv2d(3, width * 2, 3, padding=1)',
      '        self.b = nn.Conv2d(width * 2, base + width, 1)',
      '        self.block = Block(base + width)',
      '        width = width * 4',
      '        self.c = nn.Conv2d(base + 8, width, 1)',
      '        self.d = nn.Conv2d(width, min(width, 64), 1)',
      '        self.fc = nn.Linear(width, base // 2)',
      '    def forward(self, x):',
      '        return self.fc(self.d(self.c(self.block(self.b(self.a(x))))).mean(dim=(2, 3)))',
    ].join('\n');
    const t = traceModel(source, { className: 'Net', inputShape: [1, 3, 20, 20], args: { width: 8 } });
    assert.deepEqual(outputs(t), [
      '[N, width·2, H, W]',
      '[N, base + width, H, W]',
      // Block's own parameter is not the model's: a number.
      '[N, 24, H, W]',
      // width changed in __init__: from there on a number.
      '[N, 32, H, W]',
      '[N, 32, H, W]',
      '[N, 32]',
      '[N, ⌊base/2⌋]',
    ]);
    assert.deepEqual(t.trace.sizes?.names, { N: 1, H: 20, W: 20, width: 8, base: 16 });
    assert.equal(t.trace.sizes?.dropped, 0);
  });
});
