/**
 * 1-D and 3-D layers in the editor (issue 22): parsing, sizes (PyTorch 1.13's own, noted beside
 * each case), the hover's text, the 3-D overlap lattice, quick fixes, parameter counts, the size
 * solver and the diagnostics.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLayerCalls, type LayerCall } from '../../../src/core/parse/index';
import { layerSize, convAxes } from '../../../src/core/insight/layerSize';
import { composedVolume, layerOverlap, unevenAxes } from '../../../src/core/insight/layerOverlap';
import { DocumentInsights } from '../../../src/core/insight/layerInsight';
import { layerHoverMarkdown } from '../../../src/core/insight/hoverMarkdown';
import { applyEdits, overlapFixes } from '../../../src/core/insight/overlapFixes';
import { parameterCount } from '../../../src/core/insight/parameterCount';
import { solvableLayer, solveForSize } from '../../../src/core/insight/sizeSolver';
import { argumentTypeWarnings } from '../../../src/core/insight/argumentTypes';
import { summarizeDocument } from '../../../src/core/insight/documentSummary';
import { documentDiagnostics } from '../../../src/core/insight/documentDiagnostics';
import { layerOutputShape } from '../../../src/core/tools/layerOutputShape';

const fixtures = join(__dirname, '../../../../test/fixtures/dims');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

function only(code: string): LayerCall {
  const [call] = findLayerCalls(code, 'python');
  assert.ok(call, `no layer call in ${code}`);
  return call;
}

function sized(code: string, input: number[]): readonly number[] {
  const size = layerSize(only(code), input);
  assert.equal(size.kind, 'sized', `${code}: ${JSON.stringify(size)}`);
  return size.kind === 'sized' ? size.output : [];
}

describe('1-D and 3-D layers in the editor', () => {
  describe('parsing', () => {
    it('recognises the 3-D modules, the 1-D and 3-D pools and their functional forms, with the op and rank', () => {
      const code = [
        'nn.Conv3d(1, 8, 3)', 'nn.ConvTranspose3d(8, 4, (1, 3, 3), (1, 2, 2))', 'nn.LazyConvTranspose3d(4, 2)', 'nn.LazyConv3d(4, 3)',
        'nn.MaxPool1d(3)', 'nn.AvgPool1d(4, 2, 1)', 'nn.MaxPool3d(2)', 'nn.AvgPool3d((1, 2, 2))',
        'F.conv3d(x, w, stride=2)', 'F.conv_transpose3d(x, w, stride=2)', 'F.max_pool1d(x, 2)', 'F.avg_pool3d(x, 2)',
      ].join('\n');
      const calls = findLayerCalls(code, 'python');
      assert.deepEqual(calls.map((c) => c.op), ['conv3d', 'convTranspose3d', 'convTranspose3d', 'conv3d', 'maxPool1d', 'avgPool1d', 'maxPool3d', 'avgPool3d', 'conv3d', 'convTranspose3d', 'maxPool1d', 'avgPool3d']);
      const transposed = calls[1] as LayerCall;
      assert.deepEqual(transposed.params.kernelSize?.kind === 'known' && transposed.params.kernelSize.value, [1, 3, 3]);
      assert.deepEqual(transposed.params.stride?.kind === 'known' && transposed.params.stride.value, [1, 2, 2]);
      const conv = calls[0] as LayerCall;
      assert.deepEqual(conv.params.kernelSize?.kind === 'known' && conv.params.kernelSize.value, [3, 3, 3]);
      // AvgPool1d has no divisor_override: a sixth positional argument fills nothing.
      assert.equal(findLayerCalls('nn.AvgPool1d(4, 2, 1, False, True, 3)', 'python')[0]?.params.divisorOverride, undefined);
    });

    it('reads a size of the wrong rank as unsupported, not bent into shape', () => {
      const call = only('nn.Conv3d(1, 8, kernel_size=(3, 3))');
      assert.equal(call.params.kernelSize?.kind, 'unknown');
    });

    it("takes nn.Upsample's rank from its mode: 'linear' is 1-D, 'trilinear' 3-D, 'nearest' follows the input", () => {
      assert.equal(only("nn.Upsample(scale_factor=2, mode='linear')").op, 'upsample1d');
      assert.equal(only("nn.Upsample(scale_factor=(1, 2, 2), mode='trilinear')").op, 'upsample3d');
      assert.equal(only("F.interpolate(x, size=(8, 16, 16), mode='trilinear', align_corners=True)").op, 'upsample3d');
      assert.equal(only('nn.Upsample(scale_factor=2)').op, 'upsample');
      const scale = only("nn.Upsample(scale_factor=(1, 2, 2), mode='trilinear')").params.scaleFactor;
      assert.deepEqual(scale?.kind === 'known' && scale.value, [1, 2, 2]);
    });

    it('recognises the Keras 1-D and 3-D layers', () => {
      const code = [
        'layers.Conv1DTranspose(32, 5, strides=4)', 'layers.Conv3DTranspose(16, 3, strides=2, padding="same")', 'layers.Conv1D(8, 3)', 'layers.Conv3D(8, 3)',
        'layers.MaxPooling1D(3)', 'layers.AveragePooling3D((1, 2, 2))', 'layers.MaxPool3D()', 'layers.UpSampling1D(3)', 'layers.UpSampling3D((1, 2, 2))',
      ].join('\n');
      assert.deepEqual(findLayerCalls(code, 'python').map((c) => c.op), ['convTranspose1d', 'convTranspose3d', 'conv1d', 'conv3d', 'maxPool1d', 'avgPool3d', 'maxPool3d', 'upsample1d', 'upsample3d']);
    });
  });

  describe('sizes (PyTorch 1.13 and Keras formulas)', () => {
    it('sizes PyTorch 3-D layers as PyTorch does', () => {
      // torch: ConvTranspose3d(k3, s2, p1, op1) on 16³ → 32³; the anisotropic one on [8, 16, 16] → [8, 32, 32].
      assert.deepEqual(sized('nn.ConvTranspose3d(128, 64, 3, stride=2, padding=1, output_padding=1)', [16, 16, 16]), [32, 32, 32]);
      assert.deepEqual(sized('nn.ConvTranspose3d(64, 32, kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), output_padding=(0, 1, 1))', [8, 16, 16]), [8, 32, 32]);
      assert.deepEqual(sized('nn.Conv3d(1, 8, 3, stride=2, padding=1)', [9, 10, 11]), [5, 5, 6]);
      assert.deepEqual(sized('nn.MaxPool3d(2)', [9, 10, 11]), [4, 5, 5]);
      assert.deepEqual(sized('nn.AvgPool3d((1, 2, 2), ceil_mode=True)', [9, 10, 11]), [9, 5, 6]);
      assert.deepEqual(sized("nn.Upsample(scale_factor=2, mode='trilinear')", [4, 5, 6]), [8, 10, 12]);
      assert.deepEqual(sized('nn.Upsample(scale_factor=2)', [4, 5, 6]), [8, 10, 12]);
      assert.deepEqual(sized('nn.Upsample(scale_factor=(1, 2, 2))', [4, 5, 6]), [4, 10, 12]);
      assert.deepEqual(sized("nn.Upsample(size=(8, 16, 16), mode='nearest')", [4, 5, 6]), [8, 16, 16]);
      // Alone, a nearest upsampling written for three axes is shown on a volume.
      const [insight] = new DocumentInsights('up = nn.Upsample(scale_factor=(1, 2, 2))\n', 'python', 8).all();
      assert.deepEqual(insight?.size.kind === 'sized' && insight.size.output, [8, 16, 16]);
    });

    it('sizes PyTorch 1-D layers as PyTorch does', () => {
      assert.deepEqual(sized('nn.ConvTranspose1d(512, 256, 16, 8, padding=4)', [32]), [256]);
      assert.deepEqual(sized('nn.MaxPool1d(3, 2, 1)', [50]), [25]);
      assert.deepEqual(sized('nn.AvgPool1d(4, 2, 1)', [50]), [25]);
      assert.deepEqual(sized("nn.Upsample(size=100, mode='linear')", [7]), [100]);
    });

    it("sizes Keras 1-D and 3-D layers by their padding rules", () => {
      assert.deepEqual(sized('layers.Conv3DTranspose(16, 3, strides=2, padding="same")', [4, 5, 6]), [8, 10, 12]);
      assert.deepEqual(sized('layers.Conv1DTranspose(8, 5, strides=4)', [10]), [41]); // in·s + max(k − s, 0)
      assert.deepEqual(sized('layers.Conv3D(8, 3, strides=2, padding="same")', [9, 10, 11]), [5, 5, 6]);
      assert.deepEqual(sized('layers.MaxPooling1D(pool_size=3)', [10]), [3]);
      assert.deepEqual(sized('layers.MaxPooling3D(pool_size=2, padding="same")', [9, 10, 11]), [5, 5, 6]);
      assert.deepEqual(sized('layers.UpSampling3D(size=(1, 2, 2))', [4, 5, 6]), [4, 10, 12]);
      assert.deepEqual(sized('layers.UpSampling1D(3)', [10]), [30]);
    });

    it('names the axes D, H, W and L in the formulas, and refuses what PyTorch refuses', () => {
      const size = layerSize(only('nn.ConvTranspose3d(8, 4, 4, 2, 1)'), [4, 5, 6]);
      assert.deepEqual(size.kind === 'sized' && size.formulas.map((f) => f.name), ['D_out', 'H_out', 'W_out']);
      const line = layerSize(only('nn.Conv1d(8, 4, 5)'), [9]);
      assert.deepEqual(line.kind === 'sized' && line.formulas.map((f) => f.name), ['L_out']);
      const tooSmall = layerSize(only('nn.Conv3d(8, 4, 5)'), [3, 9, 9]);
      assert.equal(tooSmall.kind, 'invalid');
      assert.match(tooSmall.kind === 'invalid' ? tooSmall.message : '', /kernel|size/i);
    });

    it("answers the output-shape tool for volumes, channels first and last", () => {
      assert.deepEqual(layerOutputShape(only('nn.ConvTranspose3d(8, 4, 4, 2, 1)'), [2, 8, 4, 5, 6]).outputShape, [2, 4, 8, 10, 12]);
      assert.deepEqual(layerOutputShape(only('layers.Conv3DTranspose(16, 3, strides=2, padding="same")'), [2, 4, 5, 6, 3]).outputShape, [2, 8, 10, 12, 16]);
      assert.deepEqual(layerOutputShape(only('nn.Upsample(scale_factor=2)'), [1, 3, 4, 5, 6]).outputShape, [1, 3, 8, 10, 12]);
      assert.throws(() => layerOutputShape(only('nn.Conv3d(8, 4, 3)'), [8, 9, 9]), /expected 4D \(unbatched\) or 5D \(batched\) input to conv3d/);
    });
  });

  describe('overlap of 3-D transposed convolutions (the stride lattice)', () => {
    it('finds every axis uneven for kernel 3, stride 2, and only H and W for an anisotropic (1, 3, 3) kernel', () => {
      const all = convAxes(only('nn.ConvTranspose3d(128, 64, 3, stride=2, padding=1, output_padding=1)'));
      assert.ok(all.ok);
      const overlap = layerOverlap(all.axes, 3);
      assert.equal(overlap.verdict.even, false);
      assert.deepEqual(overlap.countTile.shape, [2, 2, 2]);
      assert.deepEqual(unevenAxes(overlap), ['D', 'H', 'W']);
      assert.equal(overlap.label, 'uneven 1:2');
      assert.ok(overlap.periodicEnergy > 0);
      const flat = convAxes(only('nn.ConvTranspose3d(64, 32, (1, 3, 3), (1, 2, 2), (0, 1, 1), (0, 1, 1))'));
      assert.ok(flat.ok);
      const anisotropic = layerOverlap(flat.axes, 3);
      assert.deepEqual(unevenAxes(anisotropic), ['H', 'W']);
      assert.deepEqual(anisotropic.countTile.shape, [1, 2, 2]);
      // Products per lattice cell: the product of each axis's count (1 · {1, 2} · {1, 2}).
      assert.deepEqual([...anisotropic.countTile.data].sort(), [1, 2, 2, 4]);
      assert.equal(anisotropic.label, 'uneven 1:4');
    });

    it('composes the lattice from the axes for large kernels, as the full 3-D analysis gives it', () => {
      for (const code of ['nn.ConvTranspose3d(8, 4, 3, stride=2, padding=1)', 'nn.ConvTranspose3d(8, 4, (1, 5, 3), (1, 2, 3), (0, 1, 1))', 'nn.ConvTranspose3d(8, 4, 4, 2, 1)', 'nn.ConvTranspose3d(8, 4, 2, stride=3)']) {
        const read = convAxes(only(code));
        assert.ok(read.ok);
        const full = layerOverlap(read.axes, 3);
        const composed = composedVolume(read.axes);
        assert.deepEqual([composed.verdict, composed.label, composed.axisTiles, [...composed.countTile.data], composed.countTile.shape], [full.verdict, full.label, full.axisTiles, [...full.countTile.data], full.countTile.shape], code);
        assert.ok(Math.abs(composed.periodicEnergy - full.periodicEnergy) < 1e-12, code);
      }
      // 34³ cells × 31³ taps would be 1.2·10⁹ multiply-adds: composed instead.
      const large = convAxes(only('nn.ConvTranspose3d(8, 4, 31, stride=2)'));
      assert.ok(large.ok);
      const overlap = layerOverlap(large.axes, 3);
      assert.equal(overlap.label, 'uneven 15:16');
      assert.deepEqual(unevenAxes(overlap), ['D', 'H', 'W']);
    });

    it('finds kernel 2 stride 2 and kernel 4 stride 2 even, with no periodic energy', () => {
      for (const code of ['nn.ConvTranspose3d(256, 128, kernel_size=2, stride=2)', 'nn.ConvTranspose3d(256, 128, 4, 2, 1)']) {
        const read = convAxes(only(code));
        assert.ok(read.ok);
        const overlap = layerOverlap(read.axes, 3);
        assert.equal(overlap.verdict.even, true, code);
        assert.equal(overlap.periodicEnergy, 0);
        assert.deepEqual(unevenAxes(overlap), []);
      }
    });
  });

  describe('hovers', () => {
    it('shows a 3-D transposed convolution: D, H, W formulas with values, the lattice verdict, channels and parameters', () => {
      const text = fixture('unet3d_decoder.py');
      const insights = new DocumentInsights(text, 'python', 16);
      const offset = text.indexOf('nn.ConvTranspose3d(128, 64');
      const insight = insights.at(offset + 3);
      assert.ok(insight);
      assert.deepEqual(insight.input.size, [16, 16, 16]);
      const markdown = layerHoverMarkdown(insight, { fixes: [] });
      assert.match(markdown, /nn\.ConvTranspose3d.* · 3-D transposed convolution \(PyTorch\)/);
      assert.match(markdown, /Output \*\*32×32×32\*\* for an input 16×16×16/);
      assert.match(markdown, /D_out = \(D_in − 1\)·stride/);
      assert.match(markdown, /= \(16 − 1\)·2 − 2·1 \+ 1·\(3 − 1\) \+ 1 \+ 1 = 32/);
      assert.match(markdown, /H_out = 32 \(the same\)/);
      assert.match(markdown, /W_out = 32 \(the same\)/);
      assert.match(markdown, /\*\*Overlap: uneven 1:2\*\*/);
      assert.match(markdown, /Stride lattice 2×2×2: uneven along D, H, W \(counts by phase: D 1:2, H 1:2, W 1:2\); periodic energy [\d.]+ %/);
      assert.match(markdown, /Channels: 128 → 64/);
      assert.match(markdown, /Parameters: \*\*221,248\*\*/);
    });

    it('shows the anisotropic layer with each axis written out, uneven along H and W only', () => {
      const text = fixture('unet3d_decoder.py');
      const insights = new DocumentInsights(text, 'python', 16);
      const insight = insights.at(text.indexOf('nn.ConvTranspose3d(64, 32') + 3);
      assert.ok(insight);
      const markdown = layerHoverMarkdown(insight, { fixes: [] });
      assert.match(markdown, /Output \*\*16×32×32\*\*/);
      assert.match(markdown, /uneven along H, W \(counts by phase: D 1, H 1:2, W 1:2\)/);
    });

    it('shows a 1-D transposed convolution of the vocoder with L and an even verdict', () => {
      const text = fixture('hifigan_generator.py');
      const insights = new DocumentInsights(text, 'python', 32);
      const insight = insights.at(text.indexOf('nn.ConvTranspose1d(512, 256, 16, 8') + 3);
      assert.ok(insight);
      const markdown = layerHoverMarkdown(insight, { fixes: [] });
      assert.match(markdown, /1-D transposed convolution \(PyTorch\)/);
      assert.match(markdown, /Output \*\*256\*\* for an input 32/);
      assert.match(markdown, /L_out = \(L_in − 1\)·stride/);
      assert.match(markdown, /\*\*Overlap: even\*\*/);
      assert.doesNotMatch(markdown, /Stride lattice/);
    });

    it('chains a 3-D size through BatchNorm3d and a nearest Upsample from the layer before', () => {
      const text = 'net = nn.Sequential(\n    nn.ConvTranspose3d(8, 4, 4, 2, 1),\n    nn.BatchNorm3d(4),\n    nn.Upsample(scale_factor=2),\n    nn.Conv3d(4, 2, 3),\n)\n';
      const insights = new DocumentInsights(text, 'python', 8).all();
      assert.deepEqual(insights.map((i) => i.input.size), [[8, 8, 8], [16, 16, 16], [32, 32, 32]]);
      assert.deepEqual(insights.map((i) => i.size.kind === 'sized' && i.size.output), [[16, 16, 16], [32, 32, 32], [30, 30, 30]]);
    });
  });

  describe('quick fixes', () => {
    it('offers kernel 4 with the padding that keeps 2·D for a kernel-3 stride-2 ConvTranspose3d, checked by parsing it again', () => {
      const text = 'import torch.nn as nn\nup = nn.ConvTranspose3d(128, 64, kernel_size=3, stride=2, padding=1, output_padding=1)\n';
      const call = findLayerCalls(text, 'python')[0] as LayerCall;
      const fixes = overlapFixes(text, call, { indentUnit: '    ' });
      const kernel = fixes.find((f) => f.kind === 'kernel');
      assert.ok(kernel, JSON.stringify(fixes.map((f) => f.title)));
      assert.equal(kernel.title, 'Use kernel_size=4, output_padding=0: even overlap, same output size');
      assert.equal(applyEdits(text, kernel.edits).split('\n')[1], 'up = nn.ConvTranspose3d(128, 64, kernel_size=4, stride=2, padding=1, output_padding=0)');
      const rewrite = fixes.find((f) => f.kind === 'rewrite' && f.keepsSize);
      assert.ok(rewrite, JSON.stringify(fixes.map((f) => f.title)));
      assert.match(applyEdits(text, rewrite.edits), /nn\.Sequential\(nn\.Upsample\(scale_factor=2, mode='nearest'\), nn\.Conv3d\(128, 64, \d, padding=\d\)\)/);
    });

    it('fixes only the uneven axes of an anisotropic kernel, per axis', () => {
      const text = 'import torch.nn as nn\nup = nn.ConvTranspose3d(64, 32, kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), output_padding=(0, 1, 1))\n';
      const call = findLayerCalls(text, 'python')[0] as LayerCall;
      const kernel = overlapFixes(text, call, { indentUnit: '    ' }).find((f) => f.kind === 'kernel');
      assert.ok(kernel);
      assert.equal(kernel.title, 'Use kernel_size=(1, 4, 4), output_padding=0: even overlap, same output size');
    });

    it('rewrites a Keras Conv3DTranspose as UpSampling3D + Conv3D', () => {
      const text = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nx = layers.Conv3DTranspose(16, 3, strides=2, padding="same")(x)\n';
      const call = findLayerCalls(text, 'python')[0] as LayerCall;
      const fixes = overlapFixes(text, call, { indentUnit: '    ' });
      const rewrite = fixes.find((f) => f.kind === 'rewrite');
      assert.ok(rewrite, JSON.stringify(fixes.map((f) => f.title)));
      assert.match(applyEdits(text, rewrite.edits), /keras\.Sequential\(\[layers\.UpSampling3D\(size=2\), layers\.Conv3D\(16, 3, padding="same"\)\]\)/);
    });
  });

  describe('diagnostics, parameters, solver, argument types', () => {
    it('puts the uneven-overlap diagnostic on the uneven 3-D layers of the U-Net and not on the even one', () => {
      const text = fixture('unet3d_decoder.py');
      const summary = summarizeDocument({ text, languageId: 'python', inputSize: 16, layers: true });
      const diagnostics = documentDiagnostics(summary).filter((d) => d.rule === 'uneven-overlap');
      const named = diagnostics.map((d) => text.slice(d.start, d.end));
      assert.deepEqual(named, ['nn.ConvTranspose3d', 'nn.ConvTranspose3d']);
      assert.ok(diagnostics.every((d) => d.start !== text.indexOf('nn.ConvTranspose3d(256, 128, kernel_size=2')));
      assert.match(diagnostics[0]?.message ?? '', /uneven/);
    });

    it('counts 3-D and 1-D parameters as PyTorch does', () => {
      const count = (code: string) => {
        const c = parameterCount(only(code));
        return c.kind === 'known' ? c.value : c.kind;
      };
      assert.equal(count('nn.ConvTranspose3d(128, 64, 3)'), 221248);
      assert.equal(count('nn.Conv3d(256, 256, 3)'), 1769728);
      assert.equal(count('nn.Conv1d(80, 512, 7)'), 287232);
      assert.equal(count('nn.ConvTranspose3d(64, 32, (1, 3, 3), bias=False)'), 18432);
      assert.equal(count('F.conv3d(x, w)'), 'notApplicable');
    });

    it('solves the padding of a 3-D layer for a wanted size, keeping the axes alike', () => {
      const read = solvableLayer(only('nn.ConvTranspose3d(8, 4, 4, stride=2)'));
      assert.ok(read.ok);
      const solutions = solveForSize(read.op, read.axes, [16, 16, 16], [32, 32, 32]);
      assert.equal(solutions[0]?.label, 'padding=1, output_padding=0');
      assert.ok(solutions.every((s) => s.axes.length === 3));
      const mixed = solveForSize(read.op, read.axes, [8, 16, 16], [16, 32, 32]);
      assert.equal(mixed[0]?.label, 'padding=1, output_padding=0');
    });

    it('warns about a float stride on a 3-D layer as on a 2-D one', () => {
      const warnings = argumentTypeWarnings(only('nn.ConvTranspose3d(8, 4, 4, stride=2.0)'));
      assert.deepEqual(warnings.map((w) => w.parameter), ['stride']);
    });
  });
});
