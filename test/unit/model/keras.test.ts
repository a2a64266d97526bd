/**
 * Keras functional and Sequential models read by Keras's own rules (src/core/model/kerasModel.ts,
 * kerasLayers.ts), on fixtures written by us in the manner of public Keras code. TensorFlow cannot be
 * installed here: the expected values are computed by hand from keras-team/keras's source (cited at
 * each case) and, where the model follows a published example, compared with that example's printed
 * `model.summary()` totals.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel, traceModel, validInputSizes } from '../../../src/core/model/analyzeModel';
import { isKerasEntry, kerasDeclaredInput } from '../../../src/core/model/kerasModel';
import { kerasShapeText, toSnakeCase, uniqueName } from '../../../src/core/model/kerasLayers';
import { modelTable } from '../../../src/core/insight/modelReport';
import { parseInputShape } from '../../../src/core/insight/modelInput';
import { findModelClasses, importedModules } from '../../../src/core/model/modelClasses';
import { inspectModel } from '../../../src/core/tools/inspectModel';

const fixtures = join(__dirname, '../../../../test/fixtures/keras');
const read = (file: string): string => readFileSync(join(fixtures, file), 'utf8');
const lineOf = (source: string, text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;

const HEADER = 'import keras\nfrom keras import layers\n\n';
function inline(body: string, inputShape: number[]) {
  return analyzeModel(HEADER + body, { className: 'build', inputShape });
}

describe('Keras models (Keras rules)', () => {
  describe('naming and printing', () => {
    it('names layers as keras/src/utils/naming.py does: snake case, then _1, _2… per class', () => {
      assert.equal(toSnakeCase('Conv2D'), 'conv2d');
      assert.equal(toSnakeCase('Conv2DTranspose'), 'conv2d_transpose');
      assert.equal(toSnakeCase('MaxPooling2D'), 'max_pooling2d');
      assert.equal(toSnakeCase('BatchNormalization'), 'batch_normalization');
      assert.equal(toSnakeCase('UpSampling2D'), 'up_sampling2d');
      const counts = new Map<string, number>();
      assert.deepEqual([uniqueName('conv2d', counts), uniqueName('conv2d', counts), uniqueName('dense', counts), uniqueName('conv2d', counts)], ['conv2d', 'conv2d_1', 'dense', 'conv2d_2']);
    });

    it('prints a shape as Keras does, the batch as None', () => {
      assert.equal(kerasShapeText([1, 64, 64, 32]), '(None, 64, 64, 32)');
      assert.equal(kerasShapeText([8]), '(None,)');
    });

    it('chooses Keras for a def or a variable in a file that imports Keras, PyTorch for an nn.Module class', () => {
      const unet = read('unet.py');
      assert.equal(isKerasEntry(unet, 'build_unet'), true);
      assert.equal(isKerasEntry(read('denoising_autoencoder.py'), 'autoencoder'), true);
      assert.equal(isKerasEntry('import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    pass\n', 'Net'), false);
      assert.equal(isKerasEntry('import torch\ndef build():\n    pass\n', 'build'), false);
    });
  });

  describe('a U-Net built by a function with helper blocks in loops (unet.py)', () => {
    const source = read('unet.py');
    const options = { className: 'build_unet', inputShape: [1, 128, 128, 3] };

    it('follows the encoder, the bridge and the decoder with its concatenated skips', () => {
      const a = analyzeModel(source, options);
      assert.equal(a.error, null);
      assert.equal(a.unknown, null);
      assert.deepEqual(a.output?.shape, [1, 128, 128, 1]);
      const byPath = new Map(a.layers.map((l) => [l.path, l]));
      // conv_block's two convolutions per level: conv2d … conv2d_9 down to the bridge.
      assert.deepEqual(byPath.get('conv2d_9')?.outputShape, [1, 8, 8, 1024]);
      assert.deepEqual(byPath.get('max_pooling2d_3')?.outputShape, [1, 8, 8, 512]);
      // Conv2DTranspose(512, 2, strides=2, padding="same") on 8×8: backend_utils.py `input_size * strides` = 16.
      assert.deepEqual(byPath.get('conv2d_transpose')?.outputShape, [1, 16, 16, 512]);
      // After concatenate([x, skip]): 512 + 512 channels in.
      assert.deepEqual(byPath.get('conv2d_10')?.inputShape, [1, 16, 16, 1024]);
      assert.equal(byPath.get('conv2d_18')?.line, lineOf(source, 'outputs = layers.Conv2D(num_classes'));
    });

    it('counts the parameters as model.summary() does (k·k·Cin·Cout + Cout; BatchNormalization 4·C)', () => {
      const a = analyzeModel(source, options);
      const layer = (path: string) => a.layers.find((l) => l.path === path);
      assert.equal(layer('conv2d')?.params, 3 * 3 * 3 * 64 + 64);
      assert.equal(layer('batch_normalization')?.params, 4 * 64);
      // base_conv_transpose.py build: kernel (2, 2, filters, input_channel) + bias.
      assert.equal(layer('conv2d_transpose')?.params, 2 * 2 * 512 * 1024 + 512);
      // Summed by hand over the 19 convolutions, 4 transposed convolutions and 18 batch norms (23 552).
      assert.equal(a.params, 31_055_297);
    });

    it('counts multiply-adds with the PyTorch reader\'s conventions, transposed convolutions on the input', () => {
      const a = analyzeModel(source, options);
      const layer = (path: string) => a.layers.find((l) => l.path === path);
      assert.equal(layer('conv2d')?.macs, 128 * 128 * 64 * 3 * 3 * 3);
      assert.equal(layer('conv2d_transpose')?.macs, 8 * 8 * 1024 * 512 * 2 * 2);
    });

    it('finds the sizes that work: four valid 2×2 poolings need a multiple of 16', () => {
      const sizes = validInputSizes(source, { className: 'build_unet', channels: 3, maxSide: 100 });
      assert.deepEqual(sizes.sides, [16, 32, 48, 64, 80, 96]);
      assert.equal(sizes.rule, 'H must be a multiple of 16 and at least 16');
    });

    it('raises at the concatenate of the level that does not line up (120: 15 pooled to 7, back to 14)', () => {
      const a = analyzeModel(source, { ...options, inputShape: [1, 120, 120, 3] });
      assert.equal(a.output, null);
      assert.equal(a.error?.line, lineOf(source, 'x = layers.concatenate([x, skip], axis=-1)'));
      assert.match(a.error?.message ?? '', /^concatenate \(Concatenate\) at line \d+: input 0 is 14×14 but input 1 is 15×15/);
      assert.match(a.error?.message ?? '', /Received: input_shape=\[\(None, 14, 14, 512\), \(None, 15, 15, 512\)\]/);
    });

    it('builder arguments are the defaults, or those given', () => {
      const a = analyzeModel(source, { ...options, args: { num_classes: 4 } });
      assert.deepEqual(a.output?.shape, [1, 128, 128, 4]);
    });

    it('proposes the declared input shape', () => {
      assert.deepEqual(kerasDeclaredInput(source, { className: 'build_unet' }), [128, 128, 3]);
    });
  });

  describe('keras #10185: a 39×39 U-Net (unet_39.py, module-level code)', () => {
    const source = read('unet_39.py');

    it('errors at the concatenate: the skip is 39×39, the upsampled branch 40×40', () => {
      const a = analyzeModel(source, { className: 'model', inputShape: [1, 39, 39, 1] });
      assert.equal(a.output, null);
      assert.equal(a.error?.line, lineOf(source, 'up3 = concatenate('));
      assert.equal(
        a.error?.message,
        'concatenate (Concatenate) at line 14: input 0 is 40×40 but input 1 is 39×39, and Concatenate needs every axis except the concatenation axis (3) to match for an input of 39×39. Keras: A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 40, 40, 32), (None, 39, 39, 32)]',
      );
      // operation_utils.py compute_pooling_output_shape, padding "same": floor((39 − 1)/2) + 1 = 20.
      assert.deepEqual(a.layers.find((l) => l.path === 'max_pooling2d')?.outputShape, [1, 20, 20, 32]);
    });

    it('runs for even sides', () => {
      assert.deepEqual(analyzeModel(source, { className: 'model', inputShape: [1, 40, 40, 1] }).output?.shape, [1, 40, 40, 1]);
      assert.deepEqual(validInputSizes(source, { className: 'model', channels: 1, maxSide: 12 }).sides, [2, 4, 6, 8, 10, 12]);
    });
  });

  describe('a U-Net-like model with residual additions (xception_unet.py, keras.io style)', () => {
    it('matches the published summary total (2,058,979 for 160×160×3, 3 classes)', () => {
      const a = analyzeModel(read('xception_unet.py'), { className: 'get_model', inputShape: [1, 160, 160, 3] });
      assert.equal(a.error, null);
      assert.deepEqual(a.output?.shape, [1, 160, 160, 3]);
      // SeparableConv2D(64, 3) on 32 channels: depthwise 3·3·32 + pointwise 32·64 + bias 64.
      assert.equal(a.layers.find((l) => l.path === 'separable_conv2d')?.params, 288 + 2048 + 64);
      assert.equal(a.params, 2_058_979);
    });
  });

  describe('a DCGAN generator and discriminator (Sequential with .add and input_shape=; the stack view\'s fixture)', () => {
    const source = readFileSync(join(__dirname, '../../../../test/unit/parse/fixtures/keras_generator.py'), 'utf8');

    it('follows Dense → Reshape → transposed convolutions to 28×28×1, with the tutorial\'s 2,330,944 parameters', () => {
      const a = analyzeModel(source, { className: 'make_generator_model', inputShape: [1, 100] });
      assert.equal(a.error, null);
      assert.deepEqual(a.output?.shape, [1, 28, 28, 1]);
      assert.equal(a.params, 100 * 12544 + 4 * 12544 + 25 * 256 * 128 + 4 * 128 + 25 * 128 * 64 + 4 * 64 + 25 * 64);
      assert.equal(a.params, 2_330_944);
      const first = a.layers.find((l) => l.op === 'Conv2DTranspose');
      assert.deepEqual([first?.path, first?.inputShape, first?.outputShape], ['conv2d_transpose', [1, 7, 7, 256], [1, 7, 7, 128]]);
      assert.equal(first?.macs, 7 * 7 * 256 * 128 * 5 * 5);
    });

    it('follows the discriminator down to one logit: 28 → 14 → 7, pooled to 3 (valid floor), 3·3·128 into Dense', () => {
      const a = analyzeModel(source, { className: 'make_discriminator_model', inputShape: [1, 28, 28, 1] });
      assert.deepEqual(a.output?.shape, [1, 1]);
      assert.deepEqual(a.layers.find((l) => l.op === 'Dense')?.inputShape, [1, 1152]);
      assert.equal(a.params, 5 * 5 * 64 + 64 + 5 * 5 * 64 * 128 + 128 + 1152 + 1);
    });

    it('proposes input_shape=(NOISE_DIM,) as the input', () => {
      assert.deepEqual(kerasDeclaredInput(source, { className: 'make_generator_model' }), [100]);
    });
  });

  describe('a denoising autoencoder written at module level (Conv2DTranspose, "same" pooling)', () => {
    const source = read('denoising_autoencoder.py');

    it('has the published 28,353 parameters and gives 28×28×1 back', () => {
      const a = analyzeModel(source, { className: 'autoencoder', inputShape: [1, 28, 28, 1] });
      assert.equal(a.error, null);
      assert.deepEqual(a.output?.shape, [1, 28, 28, 1]);
      assert.equal(a.params, 28_353);
    });

    it('rounds "same" pooling up: 27 → 14 → 7 → 14 → 28', () => {
      const a = analyzeModel(source, { className: 'autoencoder', inputShape: [1, 27, 27, 1] });
      assert.deepEqual(a.layers.filter((l) => l.op === 'MaxPooling2D').map((l) => l.outputShape[1]), [14, 7]);
      assert.deepEqual(a.output?.shape, [1, 28, 28, 1]);
    });
  });

  describe('residual blocks with Add (resnet_blocks.py)', () => {
    const source = read('resnet_blocks.py');

    it('projects the shortcut where the stride or the width changes (shortcut.shape[-1] is read)', () => {
      const a = analyzeModel(source, { className: 'small_resnet', inputShape: [1, 32, 32, 3] });
      assert.equal(a.error, null);
      assert.deepEqual(a.output?.shape, [1, 10]);
      assert.equal(a.params, 78_714);
      assert.deepEqual(a.layers.find((l) => l.op === 'GlobalAveragePooling2D')?.outputShape, [1, 64]);
    });

    it('refuses an Add of 16×16 and 32×32 as base_merge.py does, at the Add line', () => {
      const a = analyzeModel(source, { className: 'broken_block', inputShape: [1, 32, 32, 16] });
      assert.equal(a.output, null);
      assert.equal(a.error?.line, lineOf(source, 'x = layers.Add()([x, inputs])'));
      assert.match(a.error?.message ?? '', /^add \(Add\) at line \d+: input 0 is 16×16×16 but input 1 is 32×32×16/);
      assert.match(a.error?.message ?? '', /Keras: Inputs have incompatible shapes\. Received shapes \(16, 16, 16\) and \(32, 32, 16\)$/);
    });

    it('follows Keras\'s broadcasting in merges: a 1×1 input stretches', () => {
      // A 2×2 input: the strided convolution gives 1×1, which broadcasts against 2×2.
      assert.deepEqual(analyzeModel(source, { className: 'broken_block', inputShape: [1, 2, 2, 16] }).output?.shape, [1, 2, 2, 16]);
    });

    it('counts a shared layer once, and lists each of its calls under its one name', () => {
      const a = analyzeModel(source, { className: 'shared_conv', inputShape: [1, 64, 64, 8] });
      assert.deepEqual(a.output?.shape, [1, 64, 64, 16]);
      assert.equal(a.params, 3 * 3 * 8 * 8 + 8);
      assert.deepEqual(a.layers.filter((l) => l.path === 'conv2d').map((l) => l.inputShape), [[1, 64, 64, 8], [1, 32, 32, 8]]);
    });
  });

  describe('models made of models (encoder_decoder.py)', () => {
    const source = read('encoder_decoder.py');

    it('runs the encoder and the decoder again on the autoencoder\'s input, each layer listed once', () => {
      const a = analyzeModel(source, { className: 'build_autoencoder', inputShape: [1, 28, 28, 1] });
      assert.equal(a.error, null);
      assert.deepEqual(a.output?.shape, [1, 28, 28, 1]);
      assert.deepEqual(a.layers.map((l) => l.path), ['conv2d', 'conv2d_1', 'z', 'dense', 'conv2d_transpose', 'conv2d_transpose_1', 'conv2d_transpose_2']);
      // Encoder 320 + 18 496 + 3136·16 + 16; decoder 16·3136 + 3136, 36 928, 18 464, 289.
      assert.equal(a.params, 69_008 + 108_993);
    });

    it('gives the shape analysed to every Input declared like the model\'s, and checks a model\'s input as Keras does', () => {
      // A 32×32 image: the encoder's Dense is built on 8·8·64 values; the decoder still makes 28×28.
      const a = analyzeModel(source, { className: 'build_autoencoder', inputShape: [1, 32, 32, 1] });
      assert.deepEqual(a.layers.find((l) => l.path === 'z')?.inputShape, [1, 4096]);
      assert.deepEqual(a.output?.shape, [1, 28, 28, 1]);
      const wrong = `${HEADER}${source.replace(/^import.*$/gm, '')}\ndef composed():\n    inputs = keras.Input(shape=(LATENT_DIM + 1,))\n    return keras.Model(inputs, build_decoder()(inputs))\n`;
      const b = analyzeModel(wrong, { className: 'composed', inputShape: [1, 17] });
      assert.match(b.error?.message ?? '', /Input 0 of layer "decoder" is incompatible with the layer: expected shape=\(None, 16\), found shape=\(None, 17\)/);
    });
  });

  describe('Keras shape rules on small models', () => {
    it('Conv2DTranspose: output_padding None vs given (backend_utils.py _get_output_shape_given_tf_padding)', () => {
      const model = (args: string) => `def build():\n    inputs = keras.Input((None, None, 4))\n    x = layers.Conv2DTranspose(2, 3, strides=2, ${args})(inputs)\n    return keras.Model(inputs, x)\n`;
      // valid, None: (n − 1)·s + k + max(k, s) − k = 4·2 + 3 = 11.
      assert.deepEqual(inline(model('padding="valid"'), [1, 5, 5, 4]).output?.shape, [1, 11, 11, 2]);
      // valid, output_padding=1: (n − 1)·s + k + 1 = 12.
      assert.deepEqual(inline(model('padding="valid", output_padding=1'), [1, 5, 5, 4]).output?.shape, [1, 12, 12, 2]);
      // same, None: n·s = 10; same, output_padding=0: (n − 1)·s + k % 2 + 0 = 9.
      assert.deepEqual(inline(model('padding="same"'), [1, 5, 5, 4]).output?.shape, [1, 10, 10, 2]);
      assert.deepEqual(inline(model('padding="same", output_padding=0'), [1, 5, 5, 4]).output?.shape, [1, 9, 9, 2]);
      assert.match(inline(model('padding="same", output_padding=2'), [1, 5, 5, 4]).error?.message ?? '', /`output_padding` must be strictly less than `strides`/);
    });

    it('valid pooling floors and refuses an empty output; same pooling rounds up', () => {
      const model = (padding: string) => `def build():\n    inputs = keras.Input((None, None, 1))\n    x = layers.MaxPooling2D(3, strides=2, padding="${padding}")(inputs)\n    return keras.Model(inputs, x)\n`;
      assert.deepEqual(inline(model('valid'), [1, 8, 8, 1]).output?.shape, [1, 3, 3, 1]);
      assert.deepEqual(inline(model('same'), [1, 8, 8, 1]).output?.shape, [1, 4, 4, 1]);
      const a = inline(model('valid'), [1, 2, 2, 1]);
      assert.equal(a.error?.line, 6);
      assert.match(a.error?.message ?? '', /^max_pooling2d \(MaxPooling2D\) at line 6: Computed output size would be zero or negative/);
    });

    it('Cropping2D, ZeroPadding2D, UpSampling2D, Flatten, Dense and Reshape (target_shape by keyword)', () => {
      const body = `def build():
    inputs = keras.Input(shape=(28, 28, 3))
    x = layers.ZeroPadding2D(padding=((1, 2), (3, 4)))(inputs)
    x = layers.Cropping2D(cropping=((2, 1), 3))(x)
    x = layers.UpSampling2D(size=(2, 3))(x)
    x = layers.Flatten()(x)
    x = layers.Dense(7 * 7 * 32)(x)
    x = layers.Reshape(target_shape=(7, 7, 32))(x)
    return keras.Model(inputs, x)
`;
      const a = inline(body, [1, 28, 28, 3]);
      assert.deepEqual(a.layers.map((l) => l.op), ['Dense']);
      assert.deepEqual(a.layers[0]?.inputShape, [1, 56 * 87 * 3]);
      assert.deepEqual(a.output?.shape, [1, 7, 7, 32]);
      assert.equal(a.params, 56 * 87 * 3 * 1568 + 1568);
    });

    it('1-D and 3-D layers: Conv1D, Cropping1D and UpSampling1D on sequences, Conv3D and pooling on volumes', () => {
      const seq = `def build():
    inputs = keras.Input(shape=(None, 2))
    x = layers.ZeroPadding1D()(inputs)
    x = layers.Conv1D(8, 5, strides=2)(x)
    x = layers.Cropping1D()(x)
    x = layers.UpSampling1D()(x)
    return keras.Model(inputs, x)
`;
      // 100 + 2 = 102 → floor((102 − 5)/2) + 1 = 49 → 49 − 2 = 47 → 94; Conv1D 5·2·8 + 8.
      const a = inline(seq, [1, 100, 2]);
      assert.deepEqual(a.output?.shape, [1, 94, 8]);
      assert.equal(a.params, 88);
      const vol = `def build():
    inputs = keras.Input(shape=(16, 16, 16, 1))
    x = layers.Conv3D(4, 3, padding="same")(inputs)
    x = layers.MaxPooling3D()(x)
    x = layers.UpSampling3D(size=(1, 2, 2))(x)
    return keras.Model(inputs, x)
`;
      const v = inline(vol, [2, 16, 16, 16, 1]);
      assert.deepEqual(v.output?.shape, [2, 8, 16, 16, 4]);
      assert.equal(v.params, 27 * 4 + 4);
    });

    it('preprocessing layers keep the shape or resize; GroupNormalization counts 2·C and checks the groups', () => {
      const body = (groups: number) => `def build():
    inputs = keras.Input(shape=(None, None, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.RandomFlip("horizontal")(x)
    x = layers.Resizing(64, 48)(x)
    x = layers.Conv2D(16, 3, padding="same")(x)
    x = layers.GroupNormalization(groups=${groups})(x)
    return keras.Model(inputs, x)
`;
      const a = inline(body(4), [1, 200, 100, 3]);
      assert.deepEqual(a.output?.shape, [1, 64, 48, 16]);
      assert.equal(a.params, 27 * 16 + 16 + 32);
      assert.match(inline(body(32), [1, 200, 100, 3]).error?.message ?? '', /Number of groups \(32\) cannot be more than the number of channels \(16\)/);
    });

    it('a shared layer called on other channels raises as input_spec.py does', () => {
      const body = `def build():
    inputs = keras.Input((16, 16, 3))
    conv = layers.Conv2D(8, 3, padding="same")
    x = conv(inputs)
    y = conv(x)
    return keras.Model(inputs, y)
`;
      const a = inline(body, [1, 16, 16, 3]);
      assert.equal(a.error?.line, 8);
      assert.match(a.error?.message ?? '', /Input 0 of layer "conv2d" is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape \(None, 16, 16, 8\)/);
    });

    it('reads a module-level Sequential filled by model.add after it is assigned, and nothing after that', () => {
      const body = `model = keras.Sequential()
model.add(keras.Input(shape=(28, 28, 1)))
model.add(layers.Conv2D(8, 3))
model.add(layers.Flatten())
model.add(layers.Dense(10))
other = keras.Sequential([keras.Input((4,)), layers.Reshape((3,))])
`;
      const a = analyzeModel(HEADER + body, { className: 'model', inputShape: [1, 28, 28, 1] });
      assert.equal(a.error, null);
      assert.deepEqual(a.output?.shape, [1, 10]);
      assert.equal(a.params, 9 * 8 + 8 + 26 * 26 * 8 * 10 + 10);
    });

    it('follows keras.activations functions in the graph, and a slice without losing the layers before it', () => {
      const body = `def build():
    inputs = keras.Input((8, 8, 3))
    x = layers.Conv2D(4, 3, padding="same")(inputs)
    x = keras.activations.relu(x)
    y = x[:, 1:, 1:, :]
    y = layers.Conv2D(2, 1)(y)
    return keras.Model(inputs, keras.activations.softmax(y))
`;
      const a = inline(body, [1, 8, 8, 3]);
      assert.deepEqual(a.output?.shape, [1, 7, 7, 2]);
      assert.equal(a.params, 27 * 4 + 4 + 4 * 2 + 2);
      assert.deepEqual(a.layers.map((l) => l.path), ['conv2d', 'conv2d_1']);
    });

    it('skips what a builder does with the built model (compile with an optimizer it does not know, summary, print)', () => {
      const body = `from keras.optimizers import *

def build():
    inputs = keras.Input((8, 8, 3))
    model = keras.Model(inputs, layers.Conv2D(4, 3)(inputs))
    model.compile(optimizer=Adam(lr=1e-4), loss="binary_crossentropy")
    model.summary()
    print(model.count_params())
    return model
`;
      const a = inline(body, [1, 8, 8, 3]);
      assert.equal(a.unknown, null);
      assert.deepEqual(a.output?.shape, [1, 6, 6, 4]);
    });

    it('what it cannot read stops the reading there, with the reason (a Lambda, channels_first)', () => {
      const lambda = inline('def build():\n    inputs = keras.Input((8, 8, 3))\n    x = layers.Lambda(lambda t: t * 2)(inputs)\n    return keras.Model(inputs, x)\n', [1, 8, 8, 3]);
      assert.equal(lambda.error, null);
      assert.equal(lambda.unknown?.line, 6);
      assert.match(lambda.unknown?.message ?? '', /Lambda layer runs Python code/);
      const first = inline('def build():\n    inputs = keras.Input((3, 8, 8))\n    x = layers.Conv2D(4, 3, data_format="channels_first")(inputs)\n    return keras.Model(inputs, x)\n', [1, 3, 8, 8]);
      assert.match(first.unknown?.message ?? '', /channels_first/);
    });
  });

  describe('the model view', () => {
    it('writes shapes channels-last as Keras prints them, and draws the skips of concatenate', () => {
      const source = read('unet_39.py');
      const traced = traceModel(source, { className: 'model', inputShape: [1, 40, 40, 1] });
      assert.equal(traced.trace.framework, 'keras');
      const table = modelTable(traced, traced.trace, undefined, 512, { className: 'model', source: 'unet_39.py:19', inputShape: [1, 40, 40, 1], inputSource: 'test' });
      const conv = table.rows.find((r) => r.path === 'conv2d');
      assert.equal(conv?.output, '(None, 40, 40, 32)');
      assert.equal(conv?.input, '(None, 40, 40, 1)');
      const cat = table.rows.findIndex((r) => r.label === 'Concatenate');
      assert.ok(table.skips.some((s) => s.to === cat && table.rows[s.from]?.path === 'conv2d_1'), JSON.stringify(table.skips));
    });
  });

  describe('the editor side: entries and input shapes', () => {
    it('lists Keras builders and model variables (for the CodeLens and the picker), not helpers nor indented code', () => {
      const entries = (file: string) => findModelClasses(read(file)).map((c) => [c.name, c.line, c.framework]);
      // conv_block, down_block and up_block make no Model; `model = build_unet()` under __main__ is indented.
      assert.deepEqual(entries('unet.py'), [['build_unet', 32, 'keras']]);
      assert.deepEqual(entries('unet_39.py'), [['model', 17, 'keras']]);
      assert.deepEqual(entries('resnet_blocks.py').map((e) => e[0]), ['small_resnet', 'broken_block', 'shared_conv']);
      const [entry] = findModelClasses(read('denoising_autoencoder.py'));
      assert.deepEqual([entry?.name, entry?.nameStart, entry?.nameEnd], ['autoencoder', 0, 11]);
      // Without a Keras import, a def that calls some Model( is not a Keras model.
      assert.deepEqual(findModelClasses('def build():\n    return Model(a, b)\n'), []);
    });

    it('does not look for tensorflow or keras among the workspace files', () => {
      assert.deepEqual(importedModules(read('unet.py')), []);
    });

    it('reads a typed Keras input shape channels-last', () => {
      assert.deepEqual(parseInputShape('96', [1, 128, 128, 3], true), { ok: true, shape: [1, 96, 96, 3] });
      assert.deepEqual(parseInputShape('96x64', [1, 128, 128, 3], true), { ok: true, shape: [1, 96, 64, 3] });
      assert.deepEqual(parseInputShape('32, 32, 1', [1, 128, 128, 3], true), { ok: true, shape: [1, 32, 32, 1] });
      assert.deepEqual(parseInputShape('96', [1, 3, 128, 128]), { ok: true, shape: [1, 3, 96, 96] });
    });
  });

  describe('the model tool and layer-lens shapes', () => {
    it('take a Keras builder, its declared Input channels-last by default, and search the sizes with the last axis as channels', () => {
      const data = inspectModel({ path: 'unet_39.py', className: 'model' }, { source: read('unet_39.py'), files: {} });
      assert.deepEqual(data.inputShape, [1, 39, 39, 1]);
      assert.equal(data.inputShapeFrom, 'model');
      assert.match(data.error?.message ?? '', /^concatenate \(Concatenate\) at line 14/);
      assert.deepEqual(data.validInputSizes?.nearest, [38, 40]);
      const unet = inspectModel({ path: 'unet.py', className: 'build_unet', inputShape: [1, 64, 64, 3] }, { source: read('unet.py'), files: {} });
      assert.deepEqual(unet.outputShape, [1, 64, 64, 1]);
      assert.equal(unet.validInputSizes?.works, true);
    });
  });
});
