/**
 * Keras' 1-D and 3-D layers in the editor: the input size from `Input(shape=…)` or a `Reshape` with
 * as many sides as the layer has axes (channels last), channels carried through pools, the sizes by
 * Keras' own rules (keras/utils/conv_utils.py: `conv_output_length`, `deconv_output_length`, with and
 * without output_padding), and the hover's shapes as `model.summary()` prints them.
 */
import * as assert from 'node:assert/strict';
import { layerInsights } from '../../../src/core/insight/layerInsight';
import { layerHoverMarkdown } from '../../../src/core/insight/hoverMarkdown';

const sequential = (...layers: string[]) => `model = keras.Sequential([\n${layers.map((l) => `    ${l},`).join('\n')}\n])\n`;

describe("Keras' 1-D and 3-D layers", () => {
  it('Input(shape=(L, C)) and Input(shape=(D, H, W, C)) give the first layer its size and channels; pools keep the channels', () => {
    const insights = layerInsights(sequential('layers.Input(shape=(100, 16))', 'layers.Conv1D(8, 3)', 'layers.MaxPooling1D(2)', 'layers.Conv1D(4, 3)'), 'python', 32);
    assert.deepEqual(insights.map((i) => [i.input.size, i.input.channels]), [[[100], 16], [[98], 8], [[49], 8]]);
    assert.match(layerHoverMarkdown(insights[0] as never, { fixes: [] }), /input 100 \(from the Input on line 2\)/);
    const volume = layerInsights(sequential('keras.Input((16, 32, 32, 4))', 'layers.Conv3DTranspose(8, 3, strides=2, padding="same")'), 'python', 32);
    assert.deepEqual([volume[0]?.input.size, volume[0]?.input.channels], [[16, 32, 32], 4]);
    // A shape of another rank does not size the layer: a 2-D Input before a Conv1D is left to the default.
    const other = layerInsights(sequential('layers.Input(shape=(28, 28, 1))', 'layers.Conv1D(8, 3)'), 'python', 32);
    assert.deepEqual([other[0]?.input.size, other[0]?.input.source.kind], [[32], 'default']);
  });

  it("sizes Conv1DTranspose / Conv3DTranspose by Keras' deconv_output_length, output_padding given or not", () => {
    const sizes = (layer: string, input: string) => layerInsights(sequential(input, layer), 'python', 32)[0]?.size;
    const out = (layer: string, input = 'layers.Input(shape=(10, 1))') => {
      const size = sizes(layer, input);
      assert.equal(size?.kind, 'sized', layer);
      return size?.kind === 'sized' ? size.output : [];
    };
    // Without output_padding: 'valid' is L·s + max(k − s, 0), so a kernel smaller than the stride pads the output.
    assert.deepEqual(out('layers.Conv1DTranspose(8, 1, strides=2, padding="valid")'), [20]);
    assert.deepEqual(out('layers.Conv1DTranspose(8, 3, strides=2, padding="valid")'), [21]);
    // With it: (L − 1)·s + k − 2·pad + output_padding, pad = k // 2 for 'same'.
    assert.deepEqual(out('layers.Conv1DTranspose(8, 3, strides=2, padding="same", output_padding=1)'), [20]);
    assert.deepEqual(out('layers.Conv1DTranspose(8, 4, strides=2, padding="same", output_padding=1)'), [19]);
    assert.deepEqual(out('layers.Conv1DTranspose(8, 1, strides=3, padding="valid", output_padding=0)'), [28]);
    assert.deepEqual(out('layers.Conv3DTranspose(8, (1, 1, 3), strides=2, padding="valid")', 'layers.Input(shape=(10, 10, 10, 1))'), [20, 20, 21]);
  });

  it("writes 'valid' convolution and pooling in Keras' names (conv_output_length), and refuses a window larger than the input as Keras does", () => {
    const [conv, pool, dilated] = layerInsights(sequential('layers.Input(shape=(20, 1))', 'layers.Conv1D(8, 3, strides=2)', 'layers.MaxPooling1D(3, strides=2)', 'layers.Conv1D(8, 3, dilation_rate=2)'), 'python', 32);
    const text = (i: unknown) => layerHoverMarkdown(i as never, { fixes: [] });
    assert.match(text(conv), /L_out = ⌊\(L_in − kernel_size\) \/ strides⌋ \+ 1  \(padding='valid'\)\n {6}= ⌊\(20 − 3\) \/ 2⌋ \+ 1 = 9/);
    assert.match(text(pool), /L_out = ⌊\(L_in − pool_size\) \/ strides⌋ \+ 1  \(padding='valid'\)\n {6}= ⌊\(9 − 3\) \/ 2⌋ \+ 1 = 4/);
    // Dilation 2 widens kernel 3 to 5: 4 − 5 + 1 < 1.
    assert.equal(dilated?.size.kind, 'invalid');
    assert.match(text(dilated), /kernel\\_size window of 5 is larger than L\\_in = 4: Keras refuses it \(negative dimension size\)/);
  });

  it('prints the shapes as Keras does: batch None, channels last, ? for a channel count the code does not state', () => {
    const [up, pool] = layerInsights(sequential('layers.Input(shape=(100, 16))', 'layers.Conv1DTranspose(8, 3, strides=2, padding="same", output_padding=1)', 'layers.UpSampling1D(2)'), 'python', 32);
    assert.match(layerHoverMarkdown(up as never, { fixes: [] }), /As Keras prints it \(channels last\): `\(None, 100, 16\)` → `\(None, 200, 8\)`/);
    assert.match(layerHoverMarkdown(pool as never, { fixes: [] }), /`\(None, 200, 8\)` → `\(None, 400, 8\)`/);
    const [alone] = layerInsights('layers.Conv3D(8, 3)\n', 'python', 16);
    assert.match(layerHoverMarkdown(alone as never, { fixes: [] }), /`\(None, 16, 16, 16, \?\)` → `\(None, 14, 14, 14, 8\)`/);
    // PyTorch's layers keep their hover as it was; Keras' 2-D ones print (None, H, W, C) too.
    const [torch] = layerInsights('nn.Conv1d(4, 8, 3)\n', 'python', 16);
    assert.doesNotMatch(layerHoverMarkdown(torch as never, { fixes: [] }), /Keras prints/);
    const [keras2d] = layerInsights('layers.Conv2D(8, 3)\n', 'python', 16);
    assert.match(layerHoverMarkdown(keras2d as never, { fixes: [] }), /`\(None, 16, 16, \?\)` → `\(None, 14, 14, 8\)`/);
    // data_format written (channels_first, nearly always): not printed channels last.
    const [first] = layerInsights('layers.Conv2D(8, 3, data_format="channels_first")\n', 'python', 16);
    assert.doesNotMatch(layerHoverMarkdown(first as never, { fixes: [] }), /Keras prints/);
  });
});
