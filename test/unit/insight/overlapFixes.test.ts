import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, overlapFixes } from '../../../src/core/insight/overlapFixes';
import { convAxes, layerSize } from '../../../src/core/insight/layerSize';
import { layerOverlap } from '../../../src/core/insight/layerOverlap';
import { findLayerCalls } from '../../../src/core/parse/index';

const formatting = { indentUnit: '    ' };

/** Every fix of the first call of `code`, as [title, fixed text]. */
function fixed(code: string): [string, string][] {
  const call = findLayerCalls(code, 'python')[0];
  assert.ok(call);
  return overlapFixes(code, call, formatting).map((fix) => [fix.title, applyEdits(code, fix.edits)]);
}

describe('overlap fixes', () => {
  it('offers none for even overlap', () => {
    assert.deepEqual(fixed('up = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\n'), []);
  });

  it('fixes kernel 3, stride 2, padding 0 (2H + 1): kernel 4 or 2 keeping 2H + 1, and says the kernel-3 rewrite gives 2H', () => {
    assert.deepEqual(fixed('up = nn.ConvTranspose2d(16, 8, 3, stride=2)\n'), [
      ['Use kernel_size=4, padding=1, output_padding=1: even overlap, same output size', 'up = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, output_padding=1)\n'],
      ['Use kernel_size=2, output_padding=1: even overlap, same output size', 'up = nn.ConvTranspose2d(16, 8, 2, stride=2, output_padding=1)\n'],
      [
        'Rewrite as nn.Upsample + nn.Conv2d (output 2H instead of 2H + 1: no padding keeps it with kernel 3)',
        "up = nn.Sequential(nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(16, 8, 3, padding=1))\n",
      ],
      [
        'Rewrite as nn.Upsample + nn.Conv2d with kernel_size=4 (keeps 2H + 1)',
        "up = nn.Sequential(nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(16, 8, 4, padding=2))\n",
      ],
    ]);
  });

  it('rewrites a layer inside a Sequential over several lines, keeping the indentation and the other arguments', () => {
    const code = [
      'class G(nn.Module):',
      '    def __init__(self):',
      '        self.main = nn.Sequential(',
      '            nn.ConvTranspose2d(ngf * 2, ngf, 3, stride=2, padding=1, output_padding=1, bias=False),',
      '            nn.ReLU(True),',
      '        )',
      '',
    ].join('\n');
    const fixes = fixed(code);
    assert.equal(fixes[0]?.[0], 'Use kernel_size=4, output_padding=0: even overlap, same output size');
    const rewrite = fixes.find(([title]) => title === 'Rewrite as nn.Upsample + nn.Conv2d');
    assert.ok(rewrite, `no exact rewrite among ${JSON.stringify(fixes.map(([t]) => t))}`);
    assert.equal(
      rewrite[1],
      [
        'class G(nn.Module):',
        '    def __init__(self):',
        '        self.main = nn.Sequential(',
        '            nn.Sequential(',
        "                nn.Upsample(scale_factor=2, mode='nearest'),",
        '                nn.Conv2d(ngf * 2, ngf, 3, padding=1, bias=False),',
        '            ),',
        '            nn.ReLU(True),',
        '        )',
        '',
      ].join('\n'),
    );
  });

  it('rewrites a Keras layer as UpSampling2D + Conv2D in a keras.Sequential, in the call\'s quote style', () => {
    const code = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nx = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")\n';
    const fixes = fixed(code);
    assert.deepEqual(fixes.map(([title]) => title), [
      'Use kernel_size=4: even overlap, same output size',
      'Use kernel_size=2: even overlap, same output size',
      'Rewrite as layers.UpSampling2D + layers.Conv2D',
    ]);
    // Too long for one line at 100 columns: one layer per line, indented one level.
    assert.ok(
      fixes[2]![1].endsWith('x = keras.Sequential([\n    layers.UpSampling2D(size=2, interpolation="nearest"),\n    layers.Conv2D(64, 3, padding="same", activation="relu"),\n])\n'),
      fixes[2]![1],
    );
  });

  it("says a Keras 'valid' rewrite changes the size", () => {
    const code = 'import keras\nx = keras.layers.Conv2DTranspose(8, 3, strides=2)\n';
    const titles = fixed(code).map(([title]) => title);
    assert.deepEqual(titles, ['Rewrite as keras.layers.UpSampling2D + keras.layers.Conv2D (output 2H instead of 2H + 1)']);
  });

  it('leaves out rewrites it cannot name safely (a bare imported class) and calls with *args', () => {
    assert.ok(fixed('from torch.nn import ConvTranspose2d\nup = ConvTranspose2d(16, 8, 3, stride=2)\n').every(([title]) => !title.startsWith('Rewrite')));
    assert.deepEqual(fixed('up = nn.ConvTranspose2d(*args, 3, stride=2)\n'), []);
  });

  it('every PyTorch fix keeps even overlap and the output size on random layers (checked again here, independently of the module)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (k, s, p, op) => {
        fc.pre(op < s);
        const code = `up = nn.ConvTranspose2d(4, 4, ${k}, stride=${s}, padding=${p}, output_padding=${op})\n`;
        const original = findLayerCalls(code, 'python')[0]!;
        for (const [title, text] of fixed(code)) {
          const calls = findLayerCalls(text, 'python');
          for (const h of [3, 8, 13]) {
            const before = layerSize(original, [h, h]);
            if (before.kind !== 'sized') continue;
            let size = [h, h] as readonly number[];
            for (const call of calls) {
              const step = layerSize(call, size);
              assert.equal(step.kind, 'sized', `${title} on ${h}`);
              if (step.kind === 'sized') size = step.output;
            }
            if (!/instead of/.test(title)) assert.deepEqual(size, before.output, `${title} changes ${code.trim()} on ${h}`);
          }
          if (calls.length === 1) {
            const axes = convAxes(calls[0]!);
            assert.ok(axes.ok && layerOverlap(axes.axes, 2).verdict.even, `${title} is not even`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
