/**
 * Stacks of 1-D and 3-D layers (issue 22): shapes against PyTorch running the modules
 * (test/golden/torch-stacks-dims.json, from test/golden/torch-stacks-dims.py), symbolic sizes in
 * L or D, H, W, and Keras channels-last shapes.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLayerStacks } from '../../../src/core/parse/layerStacks';
import { analyzeStack, formatShape } from '../../../src/core/insight/stackShapes';

interface GoldenLayer {
  readonly module: string;
  readonly output: number[];
  readonly parameters: number;
}
interface GoldenCase {
  readonly file: string;
  readonly stack: string;
  readonly input: number[];
  readonly layers: GoldenLayer[];
}

const root = join(__dirname, '../../../..');
const golden = JSON.parse(readFileSync(join(root, 'test/golden/torch-stacks-dims.json'), 'utf8')) as { cases: GoldenCase[] };

function stackNamed(text: string, name: string) {
  const stack = findLayerStacks(text, 'python').find((s) => s.name === name);
  assert.ok(stack, `no stack ${name}`);
  return stack;
}

describe('1-D and 3-D stacks', () => {
  describe('shapes against PyTorch (test/golden/torch-stacks-dims.json)', () => {
    for (const gold of golden.cases) {
      it(`${gold.file} ${gold.stack} input=${gold.input.join('x')}`, () => {
        const text = readFileSync(join(root, 'test/fixtures/dims', gold.file), 'utf8');
        const analysis = analyzeStack(stackNamed(text, gold.stack), new Map(), gold.input);
        assert.equal(analysis.rank, gold.input.length - 2);
        assert.equal(analysis.rows.length, gold.layers.length);
        analysis.rows.forEach((row, i) => {
          const expected = gold.layers[i] as GoldenLayer;
          assert.deepEqual([row.output.n, row.output.c, ...row.output.spatial], expected.output, `layer ${i} (${expected.module}) output ${formatShape(row.output)}`);
          if (row.item.kind === 'layer' || /Norm/.test(row.item.label)) assert.equal(row.parameterCount, expected.parameters, `layer ${i} (${expected.module}) parameters`);
        });
        assert.deepEqual(analysis.problems, []);
      });
    }
  });

  it('writes the sizes of a Conv1d stack with no stated input as functions of L', () => {
    const text = readFileSync(join(root, 'test/fixtures/dims/hifigan_generator.py'), 'utf8');
    const analysis = analyzeStack(stackNamed(text, 'self.tail'), new Map());
    assert.equal(analysis.rank, 1);
    assert.deepEqual(analysis.rows.map((r) => formatShape(r.output)), ['[N, 64, 2L]', '[N, 64, 2L]', '[N, 1, 2L]', '[N, 1, 2L]']);
    assert.equal(analysis.unevenCount, 1);
  });

  it('writes the sizes of a 3-D stack as functions of D, H and W, and counts its uneven layers', () => {
    const text = 'net = nn.Sequential(\n    nn.ConvTranspose3d(64, 32, 3, stride=2, padding=1, output_padding=1),\n    nn.BatchNorm3d(32),\n    nn.ReLU(),\n    nn.ConvTranspose3d(32, 16, kernel_size=(1, 4, 4), stride=(1, 2, 2), padding=(0, 1, 1)),\n    nn.Conv3d(16, 1, 1),\n)\n';
    const analysis = analyzeStack(stackNamed(text, 'net'), new Map());
    assert.equal(analysis.rank, 3);
    assert.equal(formatShape(analysis.input), '[N, 64, D, H, W]');
    assert.equal(formatShape(analysis.output), '[N, 1, 2D, 4H, 4W]');
    assert.equal(analysis.transposedCount, 2);
    assert.equal(analysis.unevenCount, 1);
    assert.equal(analysis.rows[0]?.overlap?.label, 'uneven 1:2');
  });

  it('reports a channel mismatch in a 3-D stack at BatchNorm3d', () => {
    const text = 'net = nn.Sequential(\n    nn.Conv3d(1, 16, 3, padding=1),\n    nn.BatchNorm3d(32),\n    nn.ReLU(),\n)\n';
    const analysis = analyzeStack(stackNamed(text, 'net'), new Map(), [1, 1, 8, 8, 8]);
    assert.deepEqual(analysis.problems.map((p) => [p.index, p.problem.code]), [[1, 'channel-mismatch']]);
  });

  it('shows a Keras 3-D stack channels last, [N, D, H, W, C] (Keras formulas)', () => {
    const text = [
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      'model = keras.Sequential([',
      '    layers.Conv3D(8, 3, padding="same"),',
      '    layers.Conv3DTranspose(4, 3, strides=2, padding="same"),',
      '    layers.UpSampling3D(size=(1, 2, 2)),',
      '    layers.MaxPooling3D(pool_size=2),',
      '])',
      '',
    ].join('\n');
    const analysis = analyzeStack(stackNamed(text, 'model'), new Map(), [1, 1, 8, 10, 12]);
    assert.equal(analysis.channelsLast, true);
    assert.deepEqual(analysis.rows.map((r) => formatShape(r.output, true)), ['[1, 8, 10, 12, 8]', '[1, 16, 20, 24, 4]', '[1, 16, 40, 48, 4]', '[1, 8, 20, 24, 4]']);
  });

  it('shows a Keras 1-D stack channels last, [N, L, C]', () => {
    const text = 'model = keras.Sequential([\n    layers.Conv1D(16, 5, padding="same"),\n    layers.Conv1DTranspose(8, 4, strides=4),\n    layers.UpSampling1D(2),\n    layers.AveragePooling1D(3),\n])\n';
    const analysis = analyzeStack(stackNamed(text, 'model'), new Map(), [1, 1, 100]);
    assert.equal(analysis.rank, 1);
    assert.deepEqual(analysis.rows.map((r) => formatShape(r.output, true)), ['[1, 100, 16]', '[1, 400, 8]', '[1, 800, 8]', '[1, 266, 8]']);
  });
});
