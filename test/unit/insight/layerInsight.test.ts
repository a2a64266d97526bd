import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentInsights, insightAt, layerInsights } from '../../../src/core/insight/layerInsight';
import { ASSUMED_EXAMPLE_SIDE, describeInputSource, exampleSize } from '../../../src/core/insight/inputSize';
import { layerSize } from '../../../src/core/insight/layerSize';
import { layerHoverMarkdown, matrixHoverMarkdown } from '../../../src/core/insight/hoverMarkdown';
import { layerExample, nestedRows, commandUri, MAX_LINKED_VALUES, volumeExample } from '../../../src/core/insight/commandArguments';
import { runVolumeLayer } from '../../../src/core/engine/volumeLayer';
import { tensor } from '../../../src/core/engine/tensor';
import { findLayerCalls } from '../../../src/core/parse/index';

const samples = join(__dirname, '../../../../samples');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');
const only = (code: string) => {
  const [call] = findLayerCalls(code, 'python');
  assert.ok(call, `no layer call in ${code}`);
  return call;
};

describe('layer insight', () => {
  describe('sizes', () => {
    it('sizes a PyTorch transposed convolution with the engine formula (kernel=3,stride=2,padding=1,output_padding=1)', () => {
      const size = layerSize(only('nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1)'), [16, 16]);
      assert.equal(size.kind, 'sized');
      if (size.kind !== 'sized') return;
      assert.deepEqual(size.output, [32, 32]);
      assert.equal(size.formulas[0]?.substituted, '(16 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1');
    });

    it("sizes Keras transposed convolutions by their padding rule ('same' → in·s, 'valid' → in·s + max(k − s, 0))", () => {
      const same = layerSize(only('layers.Conv2DTranspose(64, 3, strides=2, padding="same")'), [7, 7]);
      const valid = layerSize(only('layers.Conv2DTranspose(64, 3, strides=2)'), [7, 7]);
      const validSmallKernel = layerSize(only('layers.Conv2DTranspose(64, 1, strides=2)'), [7, 7]);
      assert.deepEqual(same.kind === 'sized' && same.output, [14, 14]);
      assert.deepEqual(valid.kind === 'sized' && valid.output, [15, 15]);
      assert.deepEqual(validSmallKernel.kind === 'sized' && validSmallKernel.output, [14, 14]);
      assert.equal(same.kind === 'sized' && same.formulas[0]?.symbolic, 'H_in·strides');
    });

    it("sizes convolutions, Keras 'same' with strides as ⌈in / s⌉, pools, upsampling and pixel shuffle", () => {
      const cases: [string, number[], number[]][] = [
        ['nn.Conv2d(3, 8, 3, stride=2, padding=1)', [32, 32], [16, 16]],
        ['layers.Conv2D(8, 3, strides=2, padding="same")', [15, 15], [8, 8]],
        ['nn.MaxPool2d(2)', [15, 16], [7, 8]],
        ['layers.MaxPooling2D()', [10, 10], [5, 5]],
        ['nn.Upsample(scale_factor=2, mode="nearest")', [5, 6], [10, 12]],
        ['layers.UpSampling2D(size=3)', [5, 5], [15, 15]],
        ['nn.PixelShuffle(2)', [5, 5], [10, 10]],
        ['nn.ConvTranspose1d(4, 4, 3, stride=2)', [10], [21]],
      ];
      for (const [code, input, output] of cases) {
        const size = layerSize(only(code), input);
        assert.deepEqual(size.kind === 'sized' ? size.output : size, output, code);
      }
    });

    it('keeps the size unknown, naming the argument, when a size argument is an expression', () => {
      const size = layerSize(only('nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, stride=s, padding=1)'), [4, 4]);
      assert.equal(size.kind, 'symbolic');
      assert.match(size.kind === 'symbolic' ? size.reason : '', /stride=s/);
    });

    it('reports what the engine refuses instead of a size', () => {
      const size = layerSize(only('nn.Conv2d(3, 8, 5)'), [3, 3]);
      assert.equal(size.kind, 'invalid');
    });
  });

  describe('input sizes, on the samples', () => {
    it('reads the DCGAN generator: default first, then the size comments, then the chain through BatchNorm and ReLU', () => {
      const insights = layerInsights(sample('dcgan_generator.py'), 'python', 32);
      assert.deepEqual(insights.map((i) => i.input.size), [[32, 32], [4, 4], [8, 8], [16, 16], [32, 32]]);
      assert.deepEqual(insights.map((i) => i.input.source.kind), ['default', 'comment', 'comment', 'previous', 'previous']);
      assert.equal(describeInputSource(insights[3]!.input.source), 'the output of the layer on line 21');
      assert.deepEqual(insights.map((i) => i.overlap?.label), ['even', 'even', 'even', 'uneven 1:2', 'even']);
    });

    it('reads the Keras decoder: the Reshape gives 7×7, the chain 14×14 and 28×28', () => {
      const insights = layerInsights(sample('keras_decoder.py'), 'python', 32);
      assert.deepEqual(insights.slice(0, 3).map((i) => i.input.size), [[7, 7], [14, 14], [28, 28]]);
      assert.equal(insights[0]?.input.source.kind, 'reshape');
    });

    it('uses the configured default when nothing nearby states a size', () => {
      const insights = layerInsights('x = 1\nup = nn.ConvTranspose2d(16, 8, 3, stride=2)\n', 'python', 10);
      assert.deepEqual(insights[0]?.input, { size: [10, 10], source: { kind: 'default' } });
    });

    it('builds Inspect Layer’s example at a size the code states, and at most 8×8 on an assumed one (the default, or a chain from it)', () => {
      const insights = layerInsights(sample('dcgan_generator.py'), 'python', 32);
      // Default 32 (cut to 8), the comments' 4 and 8 as they are, then a chain from a comment, kept.
      assert.deepEqual(insights.map((i) => exampleSize(i.input)), [[8, 8], [4, 4], [8, 8], [16, 16], [32, 32]]);
      assert.equal(ASSUMED_EXAMPLE_SIDE, 8);
      const chained = layerInsights('nn.Sequential(\n  nn.ConvTranspose2d(4, 4, 4, 2, 1),\n  nn.ReLU(),\n  nn.ConvTranspose2d(4, 4, 4, 2, 1),\n)\n', 'python', 32);
      assert.deepEqual(chained.map((i) => i.input.size), [[32, 32], [64, 64]]);
      assert.deepEqual(chained.map((i) => exampleSize(i.input)), [[8, 8], [8, 8]]);
      assert.deepEqual(exampleSize({ size: [5, 3], source: { kind: 'default' } }), [5, 3]);
    });

    it('does not chain through a layer that changes the size in an unknown way', () => {
      const code = 'nn.Sequential(\n  nn.ConvTranspose2d(4, 4, 4, 2, 1),\n  nn.Flatten(),\n  nn.ConvTranspose2d(4, 4, 4, 2, 1),\n)\n';
      const insights = layerInsights(code, 'python', 5);
      assert.deepEqual(insights.map((i) => i.input.source.kind), ['default', 'default']);
    });
  });

  describe('analysed on demand', () => {
    it('gives at any offset the insight the whole-document analysis gives there, the chained input sizes included', () => {
      const text = sample('dcgan_generator.py');
      const whole = layerInsights(text, 'python', 32);
      for (let offset = 0; offset <= text.length; offset += 7) {
        // A fresh analysis per offset: the hovered call alone, with no earlier call analysed first.
        const alone = new DocumentInsights(text, 'python', 32).at(offset);
        assert.deepEqual(alone, insightAt(whole, offset), `offset ${offset}`);
      }
    });

    it('lists the calls overlapping a range, and nothing between calls', () => {
      const text = sample('dcgan_generator.py');
      const insights = new DocumentInsights(text, 'python', 32);
      const [first, second] = insights.calls;
      assert.ok(first && second);
      assert.deepEqual(insights.overlapping(first.start, second.start).map((i) => i.call), [first, second]);
      assert.deepEqual(insights.overlapping(first.end + 1, first.end + 1), []);
    });
  });

  describe('parameter counts', () => {
    it('counts weights and bias when every factor is known, symbolically otherwise', () => {
      const [known, noBias, symbolic, keras, pool] = layerInsights(
        ['nn.ConvTranspose2d(16, 8, 3, stride=2)', 'nn.Conv2d(16, 8, 3, groups=2, bias=False)', 'nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False)', 'layers.Conv2DTranspose(64, 3, strides=2)', 'nn.MaxPool2d(2)'].join('\n'),
        'python',
        8,
      ).map((i) => i.parameters);
      assert.deepEqual(known, { kind: 'known', value: 16 * 8 * 9 + 8, text: '1,160' });
      assert.deepEqual(noBias, { kind: 'known', value: (16 * 8 * 9) / 2, text: '576' });
      assert.deepEqual(symbolic, { kind: 'symbolic', text: '(ngf * 2)·ngf·4·4' });
      assert.deepEqual(keras, { kind: 'symbolic', text: 'C_in·64·3·3 + 64' });
      assert.deepEqual(pool, { kind: 'none' });
    });
  });

  describe('hover text', () => {
    it("explains the sample's uneven layer: formula with values, verdict, channels shown as written", () => {
      const insight = layerInsights(sample('dcgan_generator.py'), 'python', 32)[3]!;
      const text = layerHoverMarkdown(insight, { fixes: [], tileImage: 'data:image/svg+xml;base64,AA==' });
      assert.match(text, /Output \*\*32×32\*\* for an input 16×16 \(the output of the layer on line 21\)/);
      assert.match(text, /H_out = \(H_in − 1\)·stride − 2·padding \+ dilation·\(kernel_size − 1\) \+ output_padding \+ 1\n\s+= \(16 − 1\)·2 − 2·1 \+ 1·\(3 − 1\) \+ 1 \+ 1 = 32/);
      assert.match(text, /W_out = 32 \(the same\)/);
      assert.match(text, /\*\*Overlap: uneven 1:2\*\* — uneven: kernel 3, stride 2 gives counts 1 and 2 alternating → checkerboard/);
      assert.match(text, /Channels: `ngf \* 2` → `ngf`/);
      assert.match(text, /Parameters: `\(ngf \* 2\)·ngf·3·3` \(no bias\)/);
      assert.match(text, /!\[Overlap tile: products per output cell\]\(data:image\/svg\+xml;base64,AA==\)/);
    });

    it('describes a matrix with its statistics and links', () => {
      const text = matrixHoverMarkdown(
        { shape: [2, 2], data: Float64Array.from([1, 2, 3, 4]), notation: 'python' },
        { links: [{ title: 'Open in Layer Lens', uri: 'command:x', tooltip: 'a "quoted" tip' }] },
      );
      assert.match(text, /^\*\*Matrix 2×2\*\* \(python\) · min 1 · max 4 · mean 2\.5/);
      assert.match(text, /\[Open in Layer Lens\]\(command:x "a 'quoted' tip"\)/);
    });
  });

  describe('command arguments', () => {
    it('runs a layer on a 4×4 input of ones with a kernel of ones of its size', () => {
      const insight = layerInsights('nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)', 'python', 8)[0]!;
      assert.deepEqual(layerExample(insight.axes!, 2), {
        input: [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]],
        kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
        stride: 2,
        padding: 1,
        outputPadding: 1,
        dilation: 1,
      });
      const oneD = layerInsights('nn.ConvTranspose1d(1, 1, 3, stride=2)', 'python', 8)[0]!;
      assert.throws(() => layerExample(oneD.axes!, 1), /volume panel/);
    });

    it('runs a 1-D layer on a sequence of ones with its stride, padding, output_padding, dilation and groups', () => {
      const oneD = layerInsights('nn.ConvTranspose1d(512, 256, 16, stride=8, padding=4, groups=2)', 'python', 8)[0]!;
      const example = volumeExample(oneD.call, oneD.axes!, 1);
      assert.deepEqual(example.input.shape, [1, 2, 8]);
      assert.deepEqual(example.weight.shape, [2, 1, 16]);
      assert.ok(example.weight.data.every((v) => v === 1) && example.weight.data.length === 32);
      assert.deepEqual(example.options, { stride: 8, padding: 4, outputPadding: 0, dilation: 1, groups: 2 });
      const output = runVolumeLayer({ op: example.op, input: tensor(example.input.shape, example.input.data), weight: tensor(example.weight.shape, example.weight.data), options: example.options });
      // (8 − 1)·8 − 2·4 + 15 + 1 = 64, PyTorch's length.
      assert.deepEqual(output.shape, [1, 2, 64]);
      // The code's input size, when stated, is the example's length.
      assert.deepEqual(volumeExample(oneD.call, oneD.axes!, 1, [20]).input.shape, [1, 2, 20]);
    });

    it('runs a 3-D layer on a volume of ones with per-axis parameters, and cuts large sizes and groups down', () => {
      const threeD = layerInsights('nn.ConvTranspose3d(64, 32, kernel_size=(1, 4, 4), stride=(1, 2, 2), padding=(0, 1, 1), output_padding=(0, 1, 1), dilation=(1, 2, 2), groups=64)', 'python', 8)[0]!;
      const example = volumeExample(threeD.call, threeD.axes!, 3);
      assert.equal(example.op, 'convTranspose3d');
      assert.deepEqual(example.input.shape, [1, 1, 4, 4, 4]);
      assert.deepEqual(example.weight.shape, [1, 1, 1, 4, 4]);
      // 64 groups run as one; output_padding stays below max(stride, dilation).
      assert.deepEqual(example.options, { stride: [1, 2, 2], padding: [0, 1, 1], outputPadding: [0, 1, 1], dilation: [1, 2, 2] });
      const output = runVolumeLayer({ op: example.op, input: tensor(example.input.shape, example.input.data), weight: tensor(example.weight.shape, example.weight.data), options: example.options });
      // D: 3·1 + 0 + 1 = 4; H, W: 3·2 − 2 + 2·3 + 1 + 1 = 12.
      assert.deepEqual(output.shape, [1, 1, 4, 12, 12]);
      assert.deepEqual(volumeExample(threeD.call, threeD.axes!, 3, [40, 40, 3]).input.shape, [1, 1, 16, 16, 3]);
    });

    it('links matrices up to the limit as nested rows, and encodes them in the command URI', () => {
      assert.deepEqual(nestedRows({ shape: [2, 2], data: Float64Array.from([1, 2, 3, 4]) }), [[1, 2], [3, 4]]);
      assert.deepEqual(nestedRows({ shape: [3], data: Float64Array.from([1, 2, 3]) }), [[1, 2, 3]]);
      assert.equal(nestedRows({ shape: [MAX_LINKED_VALUES + 1], data: new Float64Array(MAX_LINKED_VALUES + 1) }), undefined);
      assert.equal(nestedRows({ shape: [1, 2, 2], data: new Float64Array(4) }), undefined);
      const uri = commandUri('layerLens.transposedConvolution', { input: [[1, 2]] });
      assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1))), [{ input: [[1, 2]] }]);
    });
  });
});
