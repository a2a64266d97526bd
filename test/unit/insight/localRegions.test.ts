import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentInsights, type LayerInsight } from '../../../src/core/insight/layerInsight';
import { LOCAL_READ_FROM, localRegions } from '../../../src/core/insight/localRegions';
import { pythonFile } from '../../../scripts/bench/pythonFile';

const samples = join(__dirname, '../../../../samples');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');

/** What a hover shows of an insight, offsets included. */
function shown(insight: LayerInsight | undefined): unknown {
  if (!insight) return undefined;
  return JSON.parse(JSON.stringify({ call: insight.call, input: insight.input, size: insight.size, overlap: insight.overlap?.label, reason: insight.overlap?.verdict.reason, parameters: insight.parameters }));
}

/** Every call of `text` read around its definition must say what the whole text says. */
function assertSameEverywhere(text: string, every = 1): number {
  const whole = new DocumentInsights(text, 'python', 32);
  let localised = 0;
  for (const call of [...whole.calls, ...whole.partial].filter((_, index) => index % every === 0)) {
    for (const offset of [call.start, call.open + 1, call.end]) {
      const local = localRegions(text, offset, 'python');
      if (local) localised++;
      const read = local ? new DocumentInsights(text, 'python', 32, local.regions) : whole;
      assert.deepEqual(shown(read.at(offset)), shown(whole.at(offset)), `the call at offset ${offset} (line ${text.slice(0, offset).split('\n').length})`);
      assert.deepEqual(JSON.parse(JSON.stringify(read.partial.filter((p) => p.start <= offset && offset <= p.end))), JSON.parse(JSON.stringify(whole.partial.filter((p) => p.start <= offset && offset <= p.end))));
    }
  }
  return localised;
}

describe('localRegions: a long Python file read around the place a hover asks about', () => {
  it('gives the calls of the 10,000-line benchmark file (every 37th) the insight the whole file gives them, from a small part of it', function () {
    this.timeout(30_000);
    const text = pythonFile(10_000);
    assert.ok(assertSameEverywhere(text, 37) > 0);
    const at = text.lastIndexOf('ConvTranspose2d(');
    const local = localRegions(text, at, 'python');
    assert.ok(local);
    const read = new DocumentInsights(text, 'python', 32, local.regions);
    assert.ok(read.calls.length < 20, `${read.calls.length} calls read of ${new DocumentInsights(text, 'python', 32).calls.length}`);
  });

  it('gives the calls of the sample models (every 3rd), one after another in one long file, the same insight as the whole file', function () {
    this.timeout(60_000);
    const parts = ['dcgan_generator.py', 'unet_decoder.py', 'vae_decoder.py', 'upsampling_layers.py', 'keras_decoder.py', 'keras_generator.py', 'channels.py', 'textbook.py'].map(sample);
    let text = '';
    while (text.length < LOCAL_READ_FROM * 2) text += parts.join('\n\n');
    assert.ok(assertSameEverywhere(text, 3) > 0);
  });

  it('keeps imports that run over several lines, aliases, module-level layers under size comments and half-typed calls', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `x${i} = ${i}  # filler`).join('\n');
    const text = [
      'import torch',
      'from torch.nn import (',
      '    ConvTranspose2d as Up,',
      '    Conv2d,',
      ')',
      'import torch.nn as \\',
      '    tnn',
      'tail = tnn.ConvTranspose2d(4, 4, 4, 2, 1)',
      filler,
      'class Decoder(torch.nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.body = torch.nn.Sequential(',
      '            # state size. 64 x 8 x 8',
      '            Up(64, 32, 3, stride=2, padding=1),',
      '            torch.nn.ReLU(),',
      '            torch.nn.ConvTranspose2d(32, 16, 4, 2, 1),',
      '        )',
      '',
      '# state size. 16 x 5 x 5',
      'head = Conv2d(16, 3, 3)',
      'def build():',
      '    return Up(3, 3, 5, stride=',
      filler,
    ].join('\n');
    assert.ok(text.length > LOCAL_READ_FROM);
    assertSameEverywhere(text);
    const at = text.indexOf('torch.nn.ConvTranspose2d');
    const local = localRegions(text, at, 'python');
    assert.ok(local, 'read locally');
    const insight = new DocumentInsights(text, 'python', 32, local.regions).at(at);
    assert.deepEqual(insight?.input.size, [15, 15], 'the output of the layer before it, whose input the comment states');
  });

  it('ends on a file that starts with blank lines or comments and has no top-level definition above the place', () => {
    for (const head of ['\n', '\n\n', '# a\n', '\r\n']) {
      const text = head + 'x = nn.ConvTranspose2d(4, 4, 3, 2, 1)\n' + 'y = 1\n'.repeat(20_000) + 'def f():\n    pass\n';
      assert.equal(localRegions(text, head.length + 6, 'python')?.regions.at(-1)?.from, 0);
    }
  });

  it('reads short files, other languages and a file with no top-level definition whole', () => {
    assert.equal(localRegions('import torch\nclass A:\n    pass\n', 5, 'python'), undefined);
    const long = 'x = 1\n'.repeat(20_000);
    assert.equal(localRegions(long, 100, 'python'), undefined);
    assert.equal(localRegions(pythonFile(10_000), 100, 'markdown'), undefined);
  });
});
