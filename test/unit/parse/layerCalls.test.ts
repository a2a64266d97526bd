import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findLayerCalls, type LayerCall } from '../../../src/core/parse/index';

/** Known values as plain data, unknown ones as `?text` (`?!text` when unsupported), for compact assertions. */
function values(call: LayerCall | undefined): Record<string, unknown> {
  assert.ok(call, 'expected a call');
  const out: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(call.params)) {
    if (param) out[name] = param.kind === 'known' ? param.value : `${param.reason === 'unsupported' ? '?!' : '?'}${param.text}`;
  }
  return out;
}

/** The only call in `text`. */
function only(text: string, languageId?: string): LayerCall {
  const calls = findLayerCalls(text, languageId);
  assert.equal(calls.length, 1, `expected one call in ${JSON.stringify(text)}, found ${calls.map((c) => c.name).join(', ')}`);
  return calls[0] as LayerCall;
}

function repoFile(path: string): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = join(dir, '..');
  return readFileSync(join(dir, path), 'utf8');
}

const fixture = (name: string): string => repoFile(`test/unit/parse/fixtures/${name}`);

describe('findLayerCalls', () => {
  describe('PyTorch signatures', () => {
    it('reads ConvTranspose2d positionally in its declared order: groups and bias before dilation', () => {
      const call = only('up = nn.ConvTranspose2d(16, 8, 4, 2, 1, 1, 2, False, 3, "zeros")');
      assert.equal(call.op, 'convTranspose2d');
      assert.equal(call.framework, 'pytorch');
      assert.deepEqual(values(call), {
        inChannels: 16, outChannels: 8, kernelSize: [4, 4], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], groups: 2, bias: false, dilation: [3, 3], paddingFill: 'zeros',
      });
    });

    it('reads Conv2d positionally in its own order: dilation before groups', () => {
      assert.deepEqual(values(only('nn.Conv2d(3, 64, 3, 1, 1, 2, 4, True, "reflect")')), {
        inChannels: 3, outChannels: 64, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [2, 2], groups: 4, bias: true, paddingFill: 'reflect',
      });
    });

    it('reads keyword arguments, tuples and literal arithmetic, in any order', () => {
      const call = only('nn.ConvTranspose2d(kernel_size=(3, 5), out_channels=2 * 32, in_channels=3, dilation=(1, 2), stride=(2), padding=-(-1))');
      assert.deepEqual(values(call), { kernelSize: [3, 5], outChannels: 64, inChannels: 3, dilation: [1, 2], stride: [2, 2], padding: [1, 1] });
    });

    it('keeps 1-D layers scalar, accepting one-element tuples', () => {
      assert.deepEqual(values(only('nn.ConvTranspose1d(4, 2, (5,), stride=3, output_padding=[1])')), { inChannels: 4, outChannels: 2, kernelSize: 5, stride: 3, outputPadding: 1 });
      assert.equal(only('nn.Conv1d(1, 1, 3)').op, 'conv1d');
    });

    it('reads the pooling, upsampling and pixel-shuffle modules', () => {
      const calls = findLayerCalls('a = nn.MaxPool2d(2)\nb = nn.MaxPool2d(3, 2, 1, 1, False, True)\nc = nn.AvgPool2d(3, 2, 1, True, False, None)\nd = nn.Upsample(None, 2, "nearest")\ne = nn.PixelShuffle(3)');
      assert.deepEqual(calls.map((c) => c.op), ['maxPool2d', 'maxPool2d', 'avgPool2d', 'upsample', 'pixelShuffle']);
      assert.deepEqual(values(calls[0]), { kernelSize: [2, 2] });
      assert.deepEqual(values(calls[1]), { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], ceilMode: true });
      assert.deepEqual(values(calls[2]), { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true, countIncludePad: false, divisorOverride: null });
      assert.deepEqual(values(calls[3]), { size: null, scaleFactor: [2, 2], mode: 'nearest' });
      assert.deepEqual(values(calls[4]), { upscaleFactor: 3 });
    });

    it('reads functional calls, whose first arguments are tensors', () => {
      assert.deepEqual(values(only('y = F.conv_transpose2d(x, w, None, 2, 1, 1, 4, 2)')), {
        bias: null, stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], groups: 4, dilation: [2, 2],
      });
      assert.deepEqual(values(only('y = F.conv2d(x, w, b, 1, "same", 2, 1)')), { bias: '?b', stride: [1, 1], padding: 'same', dilation: [2, 2], groups: 1 });
      const interpolate = only("y = torch.nn.functional.interpolate(x, scale_factor=(2, 1.5), mode='bilinear', align_corners=False)");
      assert.equal(interpolate.op, 'upsample');
      assert.deepEqual(values(interpolate), { scaleFactor: [2, 1.5], mode: 'bilinear', alignCorners: false });
      // F.max_pool2d puts ceil_mode before return_indices, unlike nn.MaxPool2d.
      assert.deepEqual(values(only('F.max_pool2d(x, 2, 2, 0, 1, True)')), { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: true });
      assert.deepEqual(values(only('F.pixel_shuffle(x, 2)')), { upscaleFactor: 2 });
    });

    it("takes PyTorch's string padding on convolutions only, and padding_mode as what fills the padding", () => {
      assert.deepEqual(values(only("nn.Conv2d(3, 8, 3, padding='valid', padding_mode='circular')")), { inChannels: 3, outChannels: 8, kernelSize: [3, 3], padding: 'valid', paddingFill: 'circular' });
      assert.deepEqual(values(only("nn.ConvTranspose2d(3, 8, 3, padding='same')")), { inChannels: 3, outChannels: 8, kernelSize: [3, 3], padding: "?!'same'" });
      assert.deepEqual(values(only("nn.Conv2d(3, 8, 3, padding='SAME')")).padding, "?!'SAME'");
    });

    it('reads LazyConv layers, which infer in_channels', () => {
      assert.deepEqual(values(only('nn.LazyConvTranspose2d(32, 4, 2, 1)')), { outChannels: 32, kernelSize: [4, 4], stride: [2, 2], padding: [1, 1] });
    });
  });

  describe('arguments that are not literals', () => {
    it('are unknown, with their source text and range, never guessed', () => {
      const text = 'nn.ConvTranspose2d(nz, ngf * 8, cfg.k, 1, 0, bias=use_bias)';
      const call = only(text);
      assert.deepEqual(values(call), { inChannels: '?nz', outChannels: '?ngf * 8', kernelSize: '?cfg.k', stride: [1, 1], padding: [0, 0], bias: '?use_bias' });
      for (const param of Object.values(call.params)) {
        assert.ok(param);
        if (param.kind === 'unknown') {
          assert.equal(param.reason, 'expression');
          assert.equal(text.slice(param.start, param.end), param.text);
        }
      }
      const stride = call.params.stride;
      assert.equal(stride && text.slice(stride.start, stride.end), '1');
    });

    it('include f-strings, calls, comparisons and arithmetic on names', () => {
      assert.deepEqual(values(only('nn.Upsample(scale_factor=int(s), mode=f"{m}")')), { scaleFactor: '?int(s)', mode: '?f"{m}"' });
      assert.deepEqual(values(only('nn.Conv2d(2 * c, c // 2, k if big else 3)')), { inChannels: '?2 * c', outChannels: '?c // 2', kernelSize: '?k if big else 3' });
    });

    it('are unsupported, not unknown, when a literal does not fit the option', () => {
      assert.deepEqual(values(only('nn.Conv2d(1, 1, (3, 3, 3), stride="2", bias=1)')), { inChannels: 1, outChannels: 1, kernelSize: '?!(3, 3, 3)', stride: '?!"2"', bias: '?!1' });
    });
  });

  describe('argument ranges', () => {
    it('locate every argument, its keyword and its value, and name the parameter it fills', () => {
      const text = 'nn.ConvTranspose2d(16, 8, kernel_size = 4, activation=None, *rest, **extra)';
      const call = only(text);
      assert.equal(text[call.open], '(');
      assert.equal(text.slice(call.start, call.end), text);
      const shown = call.args.map((arg) => ({
        whole: text.slice(arg.start, arg.end),
        keyword: arg.keyword && text.slice(arg.keyword.start, arg.keyword.end),
        value: text.slice(arg.valueStart, arg.valueEnd),
        parameter: arg.parameter,
        param: arg.param,
      }));
      assert.deepEqual(shown, [
        { whole: '16', keyword: undefined, value: '16', parameter: 'in_channels', param: 'inChannels' },
        { whole: '8', keyword: undefined, value: '8', parameter: 'out_channels', param: 'outChannels' },
        { whole: 'kernel_size = 4', keyword: 'kernel_size', value: '4', parameter: 'kernel_size', param: 'kernelSize' },
        { whole: 'activation=None', keyword: 'activation', value: 'None', parameter: undefined, param: undefined },
        { whole: '*rest', keyword: undefined, value: 'rest', parameter: undefined, param: undefined },
        { whole: '**extra', keyword: undefined, value: 'extra', parameter: undefined, param: undefined },
      ]);
    });

    it('let one argument be rewritten in place', () => {
      const text = 'self.up = nn.ConvTranspose2d(ngf * 2, ngf, 3, stride=2, padding=1)  # checkerboard';
      const kernel = only(text).params.kernelSize;
      assert.ok(kernel);
      const fixed = text.slice(0, kernel.start) + '4' + text.slice(kernel.end);
      assert.deepEqual(values(only(fixed)), { inChannels: '?ngf * 2', outChannels: '?ngf', kernelSize: [4, 4], stride: [2, 2], padding: [1, 1] });
    });

    it('stop matching by position after *args, since positions are then unknown', () => {
      assert.deepEqual(values(only('nn.Conv2d(*channels, 3, stride=2)')), { stride: [2, 2] });
    });

    it('keep the first of a parameter given twice', () => {
      assert.deepEqual(values(only('nn.MaxPool2d(2, kernel_size=3)')), { kernelSize: [2, 2] });
    });
  });

  describe('realistic models', () => {
    it('finds every layer of the DCGAN generator sample', () => {
      const calls = findLayerCalls(repoFile('samples/dcgan_generator.py'), 'python');
      assert.equal(calls.length, 5);
      assert.ok(calls.every((c) => c.op === 'convTranspose2d' && c.complete && c.name === 'nn.ConvTranspose2d'));
      assert.deepEqual(values(calls[0]), { inChannels: '?nz', outChannels: '?ngf * 8', kernelSize: [4, 4], stride: [1, 1], padding: [0, 0], bias: false });
      assert.deepEqual(values(calls[1]), { inChannels: '?ngf * 8', outChannels: '?ngf * 4', kernelSize: [4, 4], stride: [2, 2], padding: [1, 1], bias: false });
      assert.deepEqual(values(calls[2]), { inChannels: '?ngf * 4', outChannels: '?ngf * 2', kernelSize: [4, 4], stride: [2, 2], padding: [1, 1], bias: false });
      assert.deepEqual(values(calls[3]), { inChannels: '?ngf * 2', outChannels: '?ngf', kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], bias: false });
      assert.deepEqual(values(calls[4]), { inChannels: '?ngf', outChannels: '?nc', kernelSize: [4, 4], stride: [2, 2], padding: [1, 1], bias: false });
    });

    it('finds the U-Net decoder layers inside Sequential bodies and if/else branches, not helper classes', () => {
      const calls = findLayerCalls(fixture('unet_decoder.py'), 'python');
      assert.deepEqual(calls.map((c) => `${c.name}:${c.op}`), [
        'nn.Conv2d:conv2d', 'nn.Conv2d:conv2d', 'nn.MaxPool2d:maxPool2d', 'nn.Upsample:upsample', 'nn.ConvTranspose2d:convTranspose2d', 'nn.Conv2d:conv2d', 'F.interpolate:upsample',
      ]);
      assert.deepEqual(values(calls[3]), { scaleFactor: [2, 2], mode: 'bilinear', alignCorners: true });
      assert.deepEqual(values(calls[4]), { inChannels: '?in_channels', outChannels: '?in_channels // 2', kernelSize: [2, 2], stride: [2, 2] });
      // The F.interpolate in the comment is not a call; the one in the return statement is.
      assert.deepEqual(values(calls[6]), { size: '?ref.shape[-2:]', mode: 'nearest' });
    });

    it('reads the VAE decoder, with one argument per line, a comment inside, and names imported bare or renamed', () => {
      const calls = findLayerCalls(fixture('vae_decoder.py'), 'python');
      assert.deepEqual(calls.map((c) => c.name), ['nn.ConvTranspose2d', 'ConvTranspose2d', 'nn.Conv2d', 'Shuffle']);
      const expected = { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1] };
      assert.deepEqual(values(calls[0]), { inChannels: '?hidden_dims[i]', outChannels: '?hidden_dims[i + 1]', ...expected });
      assert.deepEqual(values(calls[1]), { inChannels: '?hidden_dims[-1]', outChannels: '?hidden_dims[-1]', ...expected });
      assert.deepEqual(values(calls[2]), { inChannels: '?hidden_dims[-1]', outChannels: 12, kernelSize: [3, 3], padding: [1, 1] });
      assert.equal(calls[3]?.op, 'pixelShuffle');
      assert.deepEqual(values(calls[3]), { upscaleFactor: 2 });
    });

    it('reads the Keras generator: padding="same" is a mode, not an amount', () => {
      const calls = findLayerCalls(fixture('keras_generator.py'), 'python');
      assert.deepEqual(calls.map((c) => c.name), ['layers.Conv2DTranspose', 'Deconv', 'tf.keras.layers.Conv2DTranspose', 'layers.Conv2D', 'layers.Conv2D', 'tf.keras.layers.MaxPooling2D']);
      assert.ok(calls.every((c) => c.framework === 'keras' && c.complete));
      assert.deepEqual(values(calls[0]), { outChannels: 128, kernelSize: [5, 5], stride: [1, 1], paddingMode: 'same', bias: false });
      assert.deepEqual(values(calls[2]), { outChannels: 1, kernelSize: [5, 5], stride: [2, 2], paddingMode: 'same', bias: false });
      assert.equal(calls[2]?.args.find((a) => a.keyword?.name === 'activation')?.param, undefined);
      assert.equal(calls[5]?.op, 'maxPool2d');
      assert.deepEqual(values(calls[5]), { kernelSize: [2, 2] });
    });

    it('reads the Keras decoder sample, with UpSampling2D size as a scale factor', () => {
      const calls = findLayerCalls(repoFile('samples/keras_decoder.py'), 'python');
      assert.deepEqual(calls.map((c) => c.name), ['layers.Conv2DTranspose', 'layers.Conv2DTranspose', 'layers.Conv2D', 'layers.UpSampling2D', 'layers.Conv2D']);
      assert.deepEqual(values(calls[0]), { outChannels: 64, kernelSize: [3, 3], stride: [2, 2], paddingMode: 'same' });
      assert.deepEqual(values(calls[3]), { scaleFactor: [2, 2], mode: 'nearest' });
      assert.equal(calls[3]?.op, 'upsample');
    });

    it("reads Keras positionally only as far as Keras 2 and 3 agree (Keras 3 dropped Conv2DTranspose's output_padding)", () => {
      const call = only('layers.Conv2DTranspose(32, 3, 2, "valid", None, "channels_last")');
      assert.deepEqual(values(call), { outChannels: 32, kernelSize: [3, 3], stride: [2, 2], paddingMode: 'valid' });
      assert.deepEqual(call.args.slice(4).map((a) => a.parameter), [undefined, undefined]);
      assert.deepEqual(values(only('keras.layers.Conv2DTranspose(32, 3, strides=2, output_padding=1, dilation_rate=1)')), { outChannels: 32, kernelSize: [3, 3], stride: [2, 2], outputPadding: [1, 1], dilation: [1, 1] });
      assert.deepEqual(values(only('tf.keras.layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding="VALID")')), { kernelSize: [2, 2], stride: null, paddingMode: 'valid' });
    });

    it('reads the Flax module, taking the rank from the kernel size (1-D, 2-D and 3-D)', () => {
      const calls = findLayerCalls(fixture('flax_decoder.py'), 'python');
      assert.deepEqual(calls.map((c) => `${c.name}:${c.op}`), ['nn.ConvTranspose:convTranspose2d', 'nn.Conv:conv2d', 'nn.ConvTranspose:convTranspose1d', 'nn.ConvTranspose:convTranspose2d', 'nn.ConvTranspose:convTranspose3d']);
      assert.ok(calls.every((c) => c.framework === 'flax'));
      assert.deepEqual(values(calls[0]), { outChannels: '?feat', kernelSize: [4, 4], stride: [2, 2], paddingMode: 'same' });
      assert.deepEqual(values(calls[1]), { outChannels: '?self.out_channels', kernelSize: [3, 3], paddingMode: 'valid' });
      assert.deepEqual(values(calls[2]), { outChannels: 8, kernelSize: 3, stride: 2, paddingMode: 'valid', bias: false });
      assert.deepEqual(values(calls[3]), { outChannels: 8, kernelSize: [3, 3], paddingMode: '?!((1, 2), (1, 2))' });
      assert.deepEqual(values(calls[4]), { outChannels: 4, kernelSize: [3, 3, 3], stride: [2, 2, 2] });
    });
  });

  describe('names', () => {
    it('accepts the qualifiers people write, and bare class names', () => {
      const text = [
        'torch.nn.ConvTranspose2d(1, 1, 2)',
        'nn.modules.conv.ConvTranspose2d(1, 1, 2)',
        'torch.nn.modules.conv.ConvTranspose2d(1, 1, 2)',
        'layers.Conv2DTranspose(1, 2)',
        'keras.layers.Conv2DTranspose(1, 2)',
        'tf.keras.layers.Conv2DTranspose(1, 2)',
        'tensorflow.keras.layers.Conv2DTranspose(1, 2)',
        'ConvTranspose2d(1, 1, 2)',
        'Conv2DTranspose(1, 2)',
        'flax.linen.ConvTranspose(1, (2, 2))',
      ].join('\n');
      const calls = findLayerCalls(text);
      assert.equal(calls.length, 10);
      assert.deepEqual(calls.map((c) => c.op), Array(10).fill('convTranspose2d'));
      assert.deepEqual(calls.map((c) => c.framework), ['pytorch', 'pytorch', 'pytorch', 'keras', 'keras', 'keras', 'keras', 'pytorch', 'keras', 'flax']);
    });

    it("rejects other objects' methods and bare functional names, which are too common to be sure of", () => {
      assert.deepEqual(findLayerCalls('my.ConvTranspose2d(1, 1, 2)\nself.conv2d(x, w)\nconv2d(x, w)\ninterpolate(x, 2)\nnp.Conv2d(1, 1, 1)'), []);
    });

    it('follows imports: module aliases, renamed classes, imported functions, star imports', () => {
      const text = [
        'import torch.nn as tnn',
        'from torch.nn import ConvTranspose2d as Deconv, Upsample',
        'from torch.nn.functional import (interpolate,',
        '                                 conv_transpose2d as deconv)',
        'from tensorflow.keras import layers as L',
        'from keras.layers import *',
        'a = tnn.Conv2d(1, 2, 3)',
        'b = Deconv(1, 2, 3)',
        'c = Upsample(scale_factor=2)',
        'd = interpolate(x, scale_factor=2)',
        'e = deconv(x, w, stride=2)',
        'f = L.UpSampling2D()',
        'g = MaxPooling2D()',
      ].join('\n');
      assert.deepEqual(findLayerCalls(text).map((c) => `${c.name}:${c.op}`), [
        'tnn.Conv2d:conv2d', 'Deconv:convTranspose2d', 'Upsample:upsample', 'interpolate:upsample', 'deconv:convTranspose2d', 'L.UpSampling2D:upsample', 'MaxPooling2D:maxPool2d',
      ]);
    });

    it("does not take the user's own classes and functions for the framework's", () => {
      const text = 'from mylib import Conv2D\nclass ConvTranspose2d(nn.Module):\n    pass\nConv2D(1, 3)\nConvTranspose2d(1, 2, 3)\ndef Upsample(x): return x\nUpsample(2)';
      assert.deepEqual(findLayerCalls(text), []);
      // An import that rebinds `nn` to Flax makes `nn.Conv2d` nobody's.
      assert.deepEqual(findLayerCalls('import flax.linen as nn\nnn.Conv2d(1, 2, 3)\nnn.ConvTranspose(2, (3, 3))').map((c) => c.framework), ['flax']);
    });
  });

  describe('where calls are', () => {
    it('finds calls inside Sequential bodies, list literals, dicts and other calls', () => {
      const text = 'blocks = [nn.Conv2d(1, 2, 3), nn.ReLU()]\nm = nn.ModuleDict({"up": nn.Upsample(scale_factor=2)})\nseq = nn.Sequential(*[nn.ConvTranspose2d(4, 4, 2, 2) for _ in range(3)])';
      assert.deepEqual(findLayerCalls(text).map((c) => c.op), ['conv2d', 'upsample', 'convTranspose2d']);
    });

    it('ignores calls in comments, strings, docstrings and definitions', () => {
      const text = [
        '# nn.ConvTranspose2d(1, 2, 3)',
        's = "nn.Conv2d(1, 2, 3)"',
        "t = f'{nn.Conv2d(1, 2, 3)}'",
        '"""',
        '>>> nn.Conv2d(1, 2, 3)',
        '"""',
        "r = r'layers.Conv2D(1, 3)'",
        'def conv2d(x): pass',
        'class ConvTranspose2d(nn.Module): pass',
        'x = 1  # then F.interpolate(x, 2)',
      ].join('\n');
      assert.deepEqual(findLayerCalls(text), []);
    });

    it('reads calls spanning lines with comments between the arguments', () => {
      const call = only('m = nn.ConvTranspose2d(\n    16,  # in\n    8,   # out, (not 9)\n    kernel_size=4,\n    # stride=3,\n    stride=2,\n)\nnext_line = 1');
      assert.ok(call.complete);
      assert.deepEqual(values(call), { inChannels: 16, outChannels: 8, kernelSize: [4, 4], stride: [2, 2] });
    });

    it('reads the Python fences of Markdown, and nothing else of it', () => {
      const calls = findLayerCalls(repoFile('samples/notes.md'), 'markdown');
      assert.deepEqual(calls.map((c) => values(c)), [
        { inChannels: 16, outChannels: 8, kernelSize: [3, 3], stride: [2, 2] },
        { inChannels: 16, outChannels: 8, kernelSize: [4, 4], stride: [2, 2], padding: [1, 1] },
      ]);
      const notes = [
        'Prose about nn.ConvTranspose2d(1, 2, 3) and `nn.Conv2d(1, 2, 3)` outside code.',
        '```js',
        'nn.Conv2d(1, 2, 3)',
        '```',
        '~~~py',
        'a = nn.Conv2d(1, 2, 5)',
        '~~~',
        '1. A step in a list:',
        '',
        '   ````{python}',
        '   b = nn.Conv2d(1, 2, 7)',
        '   ```',
        '   c = nn.Conv2d(1, 2, 9)  # still inside: a shorter fence does not close it',
        '   ````',
        '```python3',
        'd = nn.Conv2d(1, 2, 11',
      ].join('\n');
      const found = findLayerCalls(notes, 'markdown');
      assert.deepEqual(found.map((c) => values(c).kernelSize), [[5, 5], [7, 7], [9, 9], [11, 11]]);
      assert.deepEqual(found.map((c) => c.complete), [true, true, true, false]);
    });

    it('reads nothing in languages that are not Python', () => {
      assert.deepEqual(findLayerCalls('nn.ConvTranspose2d(1, 2, 3)', 'javascript'), []);
      assert.deepEqual(findLayerCalls('nn.ConvTranspose2d(1, 2, 3)', 'plaintext'), []);
      assert.equal(findLayerCalls('nn.ConvTranspose2d(1, 2, 3)', 'python').length, 1);
      assert.equal(findLayerCalls('nn.ConvTranspose2d(1, 2, 3)').length, 1);
    });
  });

  describe('half-typed code', () => {
    it('returns a call the text ends inside as incomplete, with the arguments so far', () => {
      const text = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, ';
      const call = only(text);
      assert.equal(call.complete, false);
      assert.deepEqual(values(call), { inChannels: 16, outChannels: 8 });
      assert.equal(text.slice(call.start, call.end), 'nn.ConvTranspose2d(16, 8,');
    });

    it('ends an unclosed call where a line that cannot continue it starts, and reads on from there', () => {
      const text = [
        'class G(nn.Module):',
        '    def __init__(self):',
        '        self.up = nn.ConvTranspose2d(16, 8, 4',
        '        self.conv = nn.Conv2d(8, 3, 3, padding=1)',
        '',
        '    def forward(self, x):',
        '        return F.interpolate(x, scale_factor=',
        '    def other(self):',
        '        y = nn.MaxPool2d(2, stride=(2,',
        '        return y',
      ].join('\n');
      const calls = findLayerCalls(text);
      assert.deepEqual(calls.map((c) => `${c.name}:${c.complete}`), ['nn.ConvTranspose2d:false', 'nn.Conv2d:true', 'F.interpolate:false', 'nn.MaxPool2d:false']);
      assert.equal(text.slice(calls[0]?.start, calls[0]?.end), 'nn.ConvTranspose2d(16, 8, 4');
      assert.deepEqual(values(calls[0]), { inChannels: 16, outChannels: 8, kernelSize: [4, 4] });
      assert.deepEqual(values(calls[1]), { inChannels: 8, outChannels: 3, kernelSize: [3, 3], padding: [1, 1] });
      // `scale_factor=` has no value yet: the argument is there, the option is not.
      assert.deepEqual(values(calls[2]), {});
      assert.equal(calls[2]?.args[1]?.parameter, 'scale_factor');
      assert.deepEqual(values(calls[3]), { kernelSize: [2, 2], stride: '?(2,' });
    });

    it('ends an unclosed call at a statement keyword even when it is indented deeper', () => {
      const calls = findLayerCalls('x = nn.Conv2d(1, 2,\n        return x\n');
      assert.equal(calls[0]?.complete, false);
      assert.deepEqual(values(calls[0]), { inChannels: 1, outChannels: 2 });
    });
  });

  it('fuzz: random and mutated text never throws, and every range lies inside its call', function () {
    this.timeout(60_000);
    const seeds = [
      repoFile('samples/dcgan_generator.py'),
      fixture('keras_generator.py'),
      fixture('flax_decoder.py'),
      'up = nn.ConvTranspose2d(ngf * 2, ngf, (3, 3), stride=2, padding=(1, 1), output_padding=1)  # x\n',
      '```python\nfrom torch.nn import Upsample as U\nU(scale_factor=2 ** 1, mode="bilinear")\n```\n',
    ];
    const alphabet = fc.constantFrom(...'()[]{},=*#\'"\n ._-+0123456789nFlayersConvTranspose2d\\`~'.split(''), 'nn.Conv2d(', 'layers.Conv2D(', '"""', 'import ', 'from ', ' as ', '```python\n');
    const noise = fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join(''));
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 12 }), fc.oneof(fc.string({ maxLength: 6 }), noise)), { minLength: 1, maxLength: 4 }))
      .map(([seed, edits]) => edits.reduce((text, [at, cut, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + cut), seed));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), noise, mutated), fc.constantFrom('python', 'markdown', undefined), (text, languageId) => {
        for (const call of findLayerCalls(text, languageId)) {
          assert.ok(call.start >= 0 && call.start < call.end && call.end <= text.length);
          assert.ok(call.open > call.start && call.open < call.end);
          for (const arg of call.args) assert.ok(call.open < arg.start && arg.start < arg.end && arg.end <= call.end && arg.valueStart <= arg.valueEnd);
          for (const param of Object.values(call.params)) assert.ok(param && param.start >= call.open && param.end <= call.end);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('never hangs on pathological input: thousands of unclosed calls, deep brackets, one huge line', function () {
    this.timeout(30_000);
    const inputs = ['nn.Conv2d('.repeat(5000), `nn.Conv2d(1, ${'('.repeat(5000)}`, `nn.Conv2d(1, ${'['.repeat(3000)}1${']'.repeat(3000)})`, `x = [${'nn.Upsample(2), '.repeat(20_000)}]`];
    for (const text of inputs) {
      const started = performance.now();
      findLayerCalls(text);
      const ms = performance.now() - started;
      console.log(`      ${text.length} characters of ${JSON.stringify(text.slice(0, 12))}…: ${ms.toFixed(0)} ms`);
      assert.ok(ms < 5000);
    }
  });

  it('speed: a 10,000-line model file (logged; asserted only generously)', () => {
    const parts = [repoFile('samples/dcgan_generator.py'), fixture('unet_decoder.py'), fixture('vae_decoder.py'), fixture('keras_generator.py'), fixture('flax_decoder.py')];
    let text = '';
    while (text.split('\n').length < 10_000) text += parts.join('\n');
    const lines = text.split('\n').length;
    findLayerCalls(text, 'python'); // warm up
    const times: number[] = [];
    let count = 0;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      count = findLayerCalls(text, 'python').length;
      times.push(performance.now() - started);
    }
    times.sort((x, y) => x - y);
    console.log(`      findLayerCalls: ${lines} lines (${(text.length / 1024).toFixed(0)} kB), ${count} calls: best ${times[0]?.toFixed(1)} ms, median ${times[2]?.toFixed(1)} ms`);
    assert.ok((times[2] as number) < 500);
  });
});
