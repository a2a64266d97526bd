import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel, validInputSizes, type ModelAnalysis } from '../../../src/core/model/analyzeModel';

/** test/golden/models/torch-models.json, written by test/golden/torch-models.py (PyTorch 1.13). */
interface GoldenLayer {
  readonly path: string;
  readonly op: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly macs: number;
  readonly params: number;
}
interface GoldenRun {
  readonly input: number[];
  readonly outputs?: number[][];
  readonly error?: string;
  readonly layers?: GoldenLayer[];
}
interface GoldenCase {
  readonly name: string;
  readonly files: string[];
  readonly className: string;
  readonly args: Record<string, boolean | number>;
  readonly channels: number;
  readonly params: number;
  readonly runs: GoldenRun[];
  /** Gradient support of the centre output value with constant positive weights (models without max pooling). */
  readonly receptiveField?: { readonly input: number; readonly output: number[]; readonly rows: number[]; readonly cols: number[] };
}

const models = join(__dirname, '../../../../test/golden/models');
const golden = JSON.parse(readFileSync(join(models, 'torch-models.json'), 'utf8')) as { cases: GoldenCase[] };
const read = (file: string): string => readFileSync(join(models, file), 'utf8');

function sourcesOf(c: GoldenCase): { source: string; files: Record<string, string> } {
  const [main, ...rest] = c.files as [string, ...string[]];
  return { source: read(main), files: Object.fromEntries(rest.map((f) => [f, read(f)])) };
}

function analyse(c: GoldenCase, input: readonly number[]): ModelAnalysis {
  const { source, files } = sourcesOf(c);
  return analyzeModel(source, { className: c.className, inputShape: input, files, args: c.args });
}

describe('analyzeModel against PyTorch (test/golden/models/torch-models.json)', () => {
  it('has the golden data of every model the script runs', () => {
    assert.deepEqual(
      golden.cases.map((c) => c.name),
      ['unet', 'unet_bilinear', 'unet_nopad', 'resnet_generator', 'dcgan', 'srgan', 'vae', 'fpn', 'resnet18', 'vgg', 'lenet', 'dense', 'styles'],
    );
  });

  for (const c of golden.cases) {
    describe(c.name, () => {
      it('counts the parameters as PyTorch does', () => {
        assert.equal(analyse(c, [1, c.channels, 64, 64]).params, c.params);
      });

      it('gives the output shapes, or raises, exactly where PyTorch does (every side 1..128 and non-square inputs)', () => {
        const wrong: string[] = [];
        for (const run of c.runs) {
          const result = analyse(c, run.input);
          if (result.unknown) wrong.push(`${run.input}: unknown ${result.unknown.message}`);
          else if (run.error !== undefined && !result.error) wrong.push(`${run.input}: PyTorch raised "${run.error}" but got ${JSON.stringify(result.output)}`);
          else if (run.outputs && JSON.stringify(result.output?.shapes) !== JSON.stringify(run.outputs)) {
            wrong.push(`${run.input}: expected ${JSON.stringify(run.outputs)}, got ${JSON.stringify(result.output?.shapes)} ${result.error?.message ?? ''}`);
          }
        }
        assert.deepEqual(wrong, []);
      });

      it('lists the layers as they run with named_modules() paths, shapes, parameters and multiply-adds', () => {
        let compared = 0;
        for (const run of c.runs) {
          if (!run.layers) continue;
          const layers = analyse(c, run.input).layers.map(({ path, op, inputShape, outputShape, macs, params }) => ({ path, op, inputShape, outputShape, macs, params }));
          assert.deepEqual(layers, run.layers, `input ${run.input}`);
          compared++;
        }
        assert.ok(compared > 0);
      });

      if (c.receptiveField) {
        it('gives the receptive field of the centre output value that gradient support shows', () => {
          const field = c.receptiveField!;
          const result = analyse(c, [1, c.channels, field.input, field.input]);
          assert.deepEqual(result.receptiveField, { output: field.output, rows: field.rows, cols: field.cols });
        });
      }

      it('finds the square sides that run', () => {
        const { source, files } = sourcesOf(c);
        const expected = c.runs.filter((r) => r.input[2] === r.input[3] && r.input[0] === 1 && !r.error).map((r) => r.input[2]);
        const result = validInputSizes(source, { className: c.className, channels: c.channels, maxSide: 128, files, args: c.args });
        assert.deepEqual(result.sides, expected);
        assert.ok(result.rule.length > 0);
      });
    });
  }
});

/** test/golden/models/torch-models-dims.json, written by `test/golden/torch-models.py --dims`: 1-D and 3-D models. */
interface GoldenDimsCase extends Omit<GoldenCase, 'receptiveField'> {
  readonly rank: 1 | 3;
  readonly maxSide: number;
}
const dims = JSON.parse(readFileSync(join(models, 'torch-models-dims.json'), 'utf8')) as { cases: GoldenDimsCase[] };

describe('analyzeModel on 1-D and 3-D models against PyTorch (test/golden/models/torch-models-dims.json)', () => {
  it('has a 1-D and a 3-D model', () => {
    assert.deepEqual(dims.cases.map((c) => [c.name, c.rank]), [['wave_unet', 1], ['unet3d', 3]]);
  });

  for (const c of dims.cases) {
    describe(c.name, () => {
      it('counts the parameters, and gives the output shapes or raises exactly where PyTorch does (every length or cube side, and non-cube volumes)', () => {
        assert.equal(analyse(c, [1, c.channels, ...new Array<number>(c.rank).fill(16)]).params, c.params);
        const wrong: string[] = [];
        for (const run of c.runs) {
          const result = analyse(c, run.input);
          if (result.unknown) wrong.push(`${run.input}: unknown ${result.unknown.message}`);
          else if (run.error !== undefined && !result.error) wrong.push(`${run.input}: PyTorch raised "${run.error}" but got ${JSON.stringify(result.output)}`);
          else if (run.outputs && JSON.stringify(result.output?.shapes) !== JSON.stringify(run.outputs)) wrong.push(`${run.input}: expected ${JSON.stringify(run.outputs)}, got ${JSON.stringify(result.output?.shapes)} ${result.error?.message ?? ''}`);
        }
        assert.deepEqual(wrong, []);
      });

      it('lists Conv, ConvTranspose, pooling and normalization layers with paths, shapes, parameters and multiply-adds (kD·kH·kW)', () => {
        let compared = 0;
        for (const run of c.runs) {
          if (!run.layers) continue;
          const layers = analyse(c, run.input).layers.map(({ path, op, inputShape, outputShape, macs, params }) => ({ path, op, inputShape, outputShape, macs, params }));
          assert.deepEqual(layers, run.layers, `input ${run.input}`);
          compared++;
        }
        assert.ok(compared >= 3);
      });

      it(`finds the ${c.rank === 1 ? 'lengths' : 'cube sides'} that run, and says the rule with ${c.rank === 1 ? 'L' : 'D = H = W'}`, () => {
        const { source, files } = sourcesOf(c);
        const cube = (input: readonly number[]) => input.slice(2).every((side) => side === input[2]);
        const expected = c.runs.filter((r) => cube(r.input) && !r.error).map((r) => r.input[2]);
        const result = validInputSizes(source, { className: c.className, channels: c.channels, maxSide: c.maxSide, files, args: c.args, rank: c.rank });
        assert.deepEqual(result.sides, expected);
        assert.match(result.rule, c.rank === 1 ? /^L must be a multiple of 8 and at least 8$/ : /^D = H = W must be a multiple of 4 and at least 12$/);
        assert.match(result.formula, c.rank === 1 ? /^L = 8·k, k ≥ 1$/ : /^D = H = W = 4·k, k ≥ 3$/);
      });
    });
  }
});
