import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findLayerCalls, type LayerCall } from '../../../src/parse/index';

/** Known values as plain data, unknown ones as `?text`, for compact assertions. */
function values(call: LayerCall | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(call?.params ?? {})) out[name] = param.kind === 'known' ? param.value : `?${param.text}`;
  return out;
}

function repoFile(path: string): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = join(dir, '..');
  return readFileSync(join(dir, path), 'utf8');
}

describe('findLayerCalls', () => {
  it('reads PyTorch positional arguments in the documented order (groups before dilation)', () => {
    const [call] = findLayerCalls('up = nn.ConvTranspose2d(16, 8, 4, 2, 1, 1, 2, False, 3)');
    assert.equal(call?.op, 'convTranspose2d');
    assert.equal(call?.framework, 'pytorch');
    assert.deepEqual(values(call), {
      inChannels: 16, outChannels: 8, kernelSize: [4, 4], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], groups: 2, bias: false, dilation: [3, 3],
    });
  });

  it('reads keyword arguments, tuples and literal arithmetic', () => {
    const [call] = findLayerCalls('nn.Conv2d(in_channels=3, out_channels=2 * 32, kernel_size=(3, 5), padding="same", dilation=(1, 2))');
    assert.deepEqual(values(call), { inChannels: 3, outChannels: 64, kernelSize: [3, 5], padding: 'same', dilation: [1, 2] });
  });

  it('keeps arguments that are not literals as unknown, with their text and range', () => {
    const text = 'nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False)';
    const [call] = findLayerCalls(text);
    const param = call?.params.outChannels;
    assert.equal(param?.kind, 'unknown');
    assert.equal(param?.kind === 'unknown' && param.text, 'ngf * 8');
    assert.equal(text.slice(param?.start, param?.end), 'ngf * 8');
    const stride = call?.params.stride;
    assert.equal(text.slice(stride?.start, stride?.end), '1');
  });

  it('finds every layer of the DCGAN generator sample, across lines with comments inside calls', () => {
    const calls = findLayerCalls(repoFile('samples/dcgan_generator.py'), 'python');
    assert.equal(calls.length, 5);
    assert.ok(calls.every((c) => c.op === 'convTranspose2d' && c.complete));
    assert.deepEqual(values(calls[3]), { inChannels: '?ngf * 2', outChannels: '?ngf', kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], bias: false });
    const multiLine = findLayerCalls('m = nn.ConvTranspose2d(\n    16,  # in\n    8,   # out\n    kernel_size=4,\n    stride=2,\n)');
    assert.deepEqual(values(multiLine[0]), { inChannels: 16, outChannels: 8, kernelSize: [4, 4], stride: [2, 2] });
  });

  it('reads Keras layers, with padding="same" as a mode and UpSampling2D size as a scale factor', () => {
    const calls = findLayerCalls(repoFile('samples/keras_decoder.py'), 'python');
    assert.deepEqual(calls.map((c) => c.name), ['layers.Conv2DTranspose', 'layers.Conv2DTranspose', 'layers.Conv2D', 'layers.UpSampling2D', 'layers.Conv2D']);
    assert.deepEqual(values(calls[0]), { outChannels: 64, kernelSize: [3, 3], stride: [2, 2], paddingMode: 'same' });
    assert.deepEqual(values(calls[3]), { scaleFactor: [2, 2], mode: 'nearest' });
    assert.equal(calls[0]?.framework, 'keras');
    const [pool] = findLayerCalls('tf.keras.layers.MaxPooling2D(pool_size=(2, 2), strides=2, padding="VALID")');
    assert.deepEqual(values(pool), { kernelSize: [2, 2], stride: [2, 2], paddingMode: 'valid' });
  });

  it('reads functional calls and Flax, and tells Flax nn.ConvTranspose from PyTorch nn.ConvTranspose2d', () => {
    const [functional] = findLayerCalls('y = F.conv_transpose2d(x, w, None, 2, 1, 1)');
    assert.deepEqual(values(functional), { bias: null, stride: [2, 2], padding: [1, 1], outputPadding: [1, 1] });
    const [interpolate] = findLayerCalls("y = torch.nn.functional.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False)");
    assert.equal(interpolate?.op, 'upsample');
    assert.deepEqual(values(interpolate), { scaleFactor: [2, 2], mode: 'bilinear', alignCorners: false });
    const [flax] = findLayerCalls("x = nn.ConvTranspose(features=32, kernel_size=(3, 3), strides=(2, 2), padding='SAME')(x)");
    assert.equal(flax?.framework, 'flax');
    assert.deepEqual(values(flax), { outChannels: 32, kernelSize: [3, 3], stride: [2, 2], paddingMode: 'same' });
  });

  it('keeps 1-D layers scalar and recognises the other PyTorch layers', () => {
    const calls = findLayerCalls('a = nn.ConvTranspose1d(4, 2, 5, stride=3)\nb = nn.MaxPool2d(2)\nc = nn.AvgPool2d(3, 2, 1, True, False)\nd = nn.Upsample(scale_factor=2, mode="nearest")\ne = nn.PixelShuffle(3)');
    assert.deepEqual(calls.map((c) => c.op), ['convTranspose1d', 'maxPool2d', 'avgPool2d', 'upsample', 'pixelShuffle']);
    assert.deepEqual(values(calls[0]), { inChannels: 4, outChannels: 2, kernelSize: 5, stride: 3 });
    assert.deepEqual(values(calls[2]), { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true, countIncludePad: false });
    assert.deepEqual(values(calls[4]), { upscaleFactor: 3 });
  });

  it('accepts the qualifiers people write and bare class names, but not bare functional names', () => {
    const names = findLayerCalls('torch.nn.ConvTranspose2d(1, 1, 2)\nConvTranspose2d(1, 1, 2)\nnn.modules.conv.ConvTranspose2d(1, 1, 2)\nconv2d(x, w)\nmy.ConvTranspose2d(1, 1, 2)').map((c) => c.name);
    assert.deepEqual(names, ['torch.nn.ConvTranspose2d', 'ConvTranspose2d', 'nn.modules.conv.ConvTranspose2d']);
  });

  it('ignores calls in comments and strings, and definitions', () => {
    const text = '# nn.ConvTranspose2d(1, 2, 3)\ns = "nn.Conv2d(1, 2, 3)"\n"""\nnn.Conv2d(1, 2, 3)\n"""\ndef conv2d(x): pass\nclass ConvTranspose2d(nn.Module): pass';
    assert.deepEqual(findLayerCalls(text), []);
  });

  it('reports a half-typed call at the end of the file as incomplete, with what it could read', () => {
    const [call] = findLayerCalls('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, ');
    assert.equal(call?.complete, false);
    assert.deepEqual(values(call), { inChannels: 16, outChannels: 8 });
  });

  it('reads the Python code blocks of Markdown only', () => {
    const calls = findLayerCalls(repoFile('samples/notes.md'), 'markdown');
    assert.deepEqual(calls.map((c) => values(c).kernelSize), [[3, 3], [4, 4]]);
    assert.deepEqual(findLayerCalls('Text about nn.ConvTranspose2d(1, 2, 3) outside code.', 'markdown'), []);
    assert.deepEqual(findLayerCalls('nn.ConvTranspose2d(1, 2, 3)', 'javascript'), []);
  });

  it('fuzz: random and mutated text never throws and always gives calls inside the text', () => {
    const seed = 'up = nn.ConvTranspose2d(ngf * 2, ngf, 3, stride=2, padding=(1, 1), output_padding=1)  # x\n';
    const mutated = fc.tuple(fc.integer({ min: 0, max: seed.length }), fc.integer({ min: 0, max: 20 }), fc.string({ maxLength: 8 })).map(([at, cut, insert]) => seed.slice(0, at) + insert + seed.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated), (text) => {
        for (const call of findLayerCalls(text)) assert.ok(call.start >= 0 && call.end <= text.length && call.start < call.end);
      }),
      { numRuns: 3000 },
    );
  });

  it('speed: a 10,000-line file (logged, not asserted tightly)', () => {
    const block = repoFile('samples/dcgan_generator.py');
    const lines = block.split('\n').length;
    const text = Array.from({ length: Math.ceil(10_000 / lines) }, () => block).join('\n');
    findLayerCalls(text);
    const started = performance.now();
    const calls = findLayerCalls(text);
    const ms = performance.now() - started;
    console.log(`      findLayerCalls: ${text.split('\n').length} lines, ${calls.length} calls in ${ms.toFixed(1)} ms`);
    assert.ok(ms < 2000);
  });
});
