import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConstants, evaluateInteger } from '../../../src/core/parse/constantNames';
import { findLayerStacks, stackInRange, type LayerStack } from '../../../src/core/parse/layerStacks';
import { analyzeStack, fitAxis, formatShape, type StackAnalysis } from '../../../src/core/insight/stackShapes';
import { stackPath } from '../../../src/core/insight/stackPath';
import { chosenEdits, defaultChoice, fixedStack, stackFixes } from '../../../src/core/insight/stackFixes';
import { compoundOverlap } from '../../../src/core/engine/compoundOverlap';
import { isCompoundOverlapOptions, isWorkerRequest, isWorkerResponse } from '../../../src/core/worker/protocol';
import { answer } from '../../../src/core/worker/engineService';
import { describeStackInput, mapViews, stackSummary, stackTable } from '../../../src/core/insight/stackReport';
import { fixComparison, rowAfterEdits } from '../../../src/core/insight/stackComparison';
import { isFromStackMessage, isToStackMessage } from '../../../src/core/protocol/stack';

const samples = join(__dirname, '../../../../samples');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');

interface GoldenLayer {
  readonly module: string;
  readonly input: number[];
  readonly output: number[];
  readonly parameters: number;
}
interface GoldenCase {
  readonly file: string;
  readonly stack: string;
  readonly input: number[];
  readonly layers: GoldenLayer[];
}
const golden = JSON.parse(readFileSync(join(__dirname, '../../../../test/golden/torch-stacks.json'), 'utf8')) as { cases: GoldenCase[] };

function stacksOf(file: string): { stacks: LayerStack[]; text: string } {
  const text = sample(file);
  return { stacks: findLayerStacks(text, 'python'), text };
}

function analysed(file: string, name: string, input?: readonly number[]): StackAnalysis {
  const { stacks, text } = stacksOf(file);
  const stack = stacks.find((s) => s.name === name);
  assert.ok(stack, `no stack ${name} in ${file}: ${stacks.map((s) => s.name).join(', ')}`);
  return analyzeStack(stack, readConstants(text), input);
}

describe('stacks', () => {
  describe('constants', () => {
    it('reads tuple assignments and def defaults, and evaluates channel arithmetic', () => {
      const constants = readConstants('nz, ngf, nc = 100, 64, 3\nclass A:\n    def __init__(self, base=32, *, depth: int = 4):\n        pass\nx = 1\nx = 2\n');
      assert.equal(constants.get('ngf'), 64);
      assert.equal(constants.get('base'), 32);
      assert.equal(constants.get('depth'), 4);
      assert.equal(constants.has('x'), false, 'a name bound twice is ambiguous');
      assert.equal(evaluateInteger('ngf * 8', constants), 512);
      assert.equal(evaluateInteger('(self.base // 2) + 1', constants), 17);
      assert.equal(evaluateInteger('ngf / 3', constants), undefined);
      assert.equal(evaluateInteger('width * 2', constants), undefined);
    });
  });

  describe('finder', () => {
    it('finds the DCGAN Sequential with every element, activations and norms included', () => {
      const { stacks } = stacksOf('dcgan_generator.py');
      assert.deepEqual(stacks.map((s) => [s.kind, s.name, s.items.length]), [['sequential', 'self.main', 14]]);
      const kinds = stacks[0]?.items.map((i) => i.kind);
      assert.deepEqual(kinds?.slice(0, 3), ['layer', 'preserving', 'preserving']);
    });

    it('finds Keras Sequential lists and functional chains started by keras.Input', () => {
      const { stacks } = stacksOf('keras_generator.py');
      assert.deepEqual(stacks.map((s) => [s.kind, s.name, s.items.length]), [['kerasSequential', 'model', 11], ['functional', 'outputs', 7]]);
      assert.equal(stacks[0]?.items[0]?.kind, 'unknown', 'Dense is kept as unknown, not dropped');
      assert.equal(stacks[0]?.items[3]?.kind, 'reshape');
    });

    it("finds the layers a module's __init__ assigns, in order", () => {
      const { stacks } = stacksOf('unet_decoder.py');
      assert.deepEqual(stacks.map((s) => [s.kind, s.name, s.items.length]), [['init', 'UNetDecoder.__init__', 9]]);
    });

    it('reads nested Sequentials through and keeps custom blocks as unknown', () => {
      const text = 'net = nn.Sequential(\n    nn.Sequential(nn.ConvTranspose2d(8, 4, 4, 2, 1), nn.ReLU()),\n    ResBlock(4),\n    nn.Conv2d(4, 3, 3, padding=1),\n)\n';
      const [stack] = findLayerStacks(text, 'python');
      assert.deepEqual(stack?.items.map((i) => [i.kind, i.label]), [['layer', 'nn.ConvTranspose2d'], ['preserving', 'nn.ReLU'], ['unknown', 'ResBlock'], ['layer', 'nn.Conv2d']]);
    });

    it('never throws on half-typed or mutated models, and analyses whatever it finds', () => {
      const texts = ['dcgan_generator.py', 'vae_decoder.py', 'unet_decoder.py', 'keras_generator.py'].map(sample);
      let seed = 12345;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let round = 0; round < 200; round++) {
        const text = texts[round % texts.length] as string;
        const at = Math.floor(random() * text.length);
        const cut = Math.floor(random() * 40);
        const mutated = round % 2 === 0 ? text.slice(0, at) : text.slice(0, at) + text.slice(at + cut);
        const constants = readConstants(mutated);
        for (const stack of findLayerStacks(mutated, 'python')) analyzeStack(stack, constants);
        stackInRange(mutated, Math.min(at, 10), at, 'python');
      }
    });

    it('makes a stack of a selected run of layer calls', () => {
      const text = 'a = nn.ConvTranspose2d(8, 4, 4, 2, 1)\nb = nn.ReLU()\nc = nn.ConvTranspose2d(4, 2, 3, 2, 1)\n';
      const stack = stackInRange(text, 0, text.length, 'python');
      assert.deepEqual(stack?.items.map((i) => i.kind), ['layer', 'preserving', 'layer']);
      assert.equal(stackInRange('x = 1\n', 0, 5, 'python'), undefined);
    });
  });

  describe('shapes against PyTorch (test/golden/torch-stacks.json)', () => {
    for (const gold of golden.cases) {
      it(`${gold.file} ${gold.stack} input=${gold.input.join('x')}`, () => {
        const given = gold.input.length === 4 ? gold.input : undefined;
        const analysis = analysed(gold.file, gold.stack, given);
        assert.equal(analysis.rows.length, gold.layers.length);
        analysis.rows.forEach((row, i) => {
          const expected = gold.layers[i] as GoldenLayer;
          const output = [row.output.n, row.output.c, ...row.output.spatial];
          const batch = gold.input[0];
          assert.deepEqual(output.slice(1), expected.output.slice(1), `layer ${i} (${expected.module}) output ${formatShape(row.output)}`);
          if (given) assert.equal(output[0], batch);
          if (row.item.kind === 'layer' || /BatchNorm/.test(row.item.label)) assert.equal(row.parameterCount, expected.parameters, `layer ${i} (${expected.module}) parameters`);
        });
      });
    }
  });

  describe('input sizes and symbolic shapes', () => {
    it('solves the DCGAN input size back from the "state size" comment (1×1 latent)', () => {
      const analysis = analysed('dcgan_generator.py', 'self.main');
      assert.equal(analysis.inputSource.kind, 'solved');
      assert.equal(formatShape(analysis.input), '[N, 100, 1, 1]');
      assert.equal(formatShape(analysis.output), '[N, 3, 64, 64]');
      assert.equal(analysis.unevenCount, 1);
      assert.equal(analysis.transposedCount, 5);
      assert.equal(analysis.rows[9]?.overlap?.label, 'uneven 1:2');
    });

    it('takes the Keras Reshape shape as the input (channels last turned around)', () => {
      const analysis = analysed('keras_generator.py', 'model');
      assert.equal(formatShape(analysis.output), '[N, 1, 28, 28]');
      assert.equal(formatShape(analysis.rows[4]!.output), '[N, 128, 7, 7]');
      const chain = analysed('keras_generator.py', 'outputs');
      assert.equal(chain.inputSource.kind, 'reshape');
      assert.equal(formatShape(chain.output), '[N, 1, 28, 28]');
    });

    it('writes sizes as functions of H and W when no size is known', () => {
      const text = 'net = nn.Sequential(nn.ConvTranspose2d(8, 4, 4, 2, 1), nn.ConvTranspose2d(4, 2, 3, stride=2), nn.Conv2d(2, 2, 3, stride=2))\n';
      const [stack] = findLayerStacks(text, 'python');
      const analysis = analyzeStack(stack!, new Map());
      assert.deepEqual(analysis.rows.map((r) => r.output.spatial[0]), ['2H', '4H + 1', '2H']);
      assert.equal(fitAxis([...Array(40)].map((_, i) => Math.floor((1024 + i + 1) / 2)), 'H'), '⌊(H + 1) / 2⌋');
    });

    it('reports a channel mismatch on the layer that breaks a Sequential, in words', () => {
      const text = 'net = nn.Sequential(\n    nn.ConvTranspose2d(64, 32, 4, 2, 1),\n    nn.BatchNorm2d(32),\n    nn.ConvTranspose2d(16, 8, 4, 2, 1),\n)\n';
      const [stack] = findLayerStacks(text, 'python');
      const analysis = analyzeStack(stack!, new Map(), [4, 4]);
      assert.deepEqual(analysis.problems.map((p) => [p.index, p.problem.code]), [[2, 'channel-mismatch']]);
      assert.match(analysis.problems[0]!.problem.message, /expects 16 input channels \(in_channels=16\) but the previous layer gives 32/);
    });

    it('reports an output that becomes empty', () => {
      const text = 'net = nn.Sequential(nn.Conv2d(3, 8, 5), nn.Conv2d(8, 8, 5))\n';
      const [stack] = findLayerStacks(text, 'python');
      const analysis = analyzeStack(stack!, new Map(), [6, 6]);
      assert.equal(analysis.problems[0]?.index, 1);
      assert.ok(['empty-output', 'invalid-layer'].includes(analysis.problems[0]!.problem.code));
    });

    it('only notes a channel difference in __init__, where forward may concatenate a skip (U-Net)', () => {
      const analysis = analysed('unet_decoder.py', 'UNetDecoder.__init__', [1, 1024, 4, 4]);
      assert.equal(analysis.problems.length, 0);
      assert.equal(analysis.rows[1]?.note, 'expects 1024 input channels and the layer assigned before it gives 512: only noted, since forward may concatenate a 512-channel skip connection here (as U-Net does)');
    });
  });

  describe('compound overlap', () => {
    it("follows the DCGAN generator: even until the kernel-3 layer starts a pattern, which the last layer's kernel-4 sum of neighbour pairs flattens", () => {
      const analysis = analysed('dcgan_generator.py', 'self.main');
      const path = stackPath(analysis);
      assert.deepEqual(path.rows, [0, 3, 6, 9, 12]);
      assert.deepEqual(path.inputSize, [1, 1]);
      const compound = compoundOverlap(path);
      assert.deepEqual(compound.steps.map((s) => s.map.shape.join('x')), ['4x4', '8x8', '16x16', '32x32', '64x64']);
      assert.deepEqual(compound.steps.map((s) => s.period[0]), [1, 2, 4, 8, 16]);
      assert.equal(compound.steps[2]?.spread, 0, 'kernel 4, stride 2 keeps the interior even');
      assert.ok((compound.steps[3]?.spread ?? 0) > 0.5, 'kernel 3, stride 2 makes it uneven');
      assert.ok((compound.steps[3]?.periodicEnergy ?? 0) > 0.1);
      assert.equal(compound.steps[4]?.spread, 0, 'a kernel of ones of size 4, stride 2 adds each output up from two neighbours, which cancels a period-2 pattern');
    });

    it('fixes the stack: the kernel-4 fix of the uneven layer makes the compound map even again, as one set of edits', () => {
      const text = sample('dcgan_generator.py');
      const constants = readConstants(text);
      const analysis = analysed('dcgan_generator.py', 'self.main');
      const fixes = stackFixes(text, analysis, { indentUnit: '    ' });
      assert.deepEqual(fixes.map((f) => f.index), [9]);
      const edits = chosenEdits(fixes, defaultChoice(fixes));
      assert.ok(edits.length >= 1);
      const after = fixedStack(text, analysis.stack, edits, constants);
      assert.ok(after, 'the fixed stack is found again');
      assert.equal(after.unevenCount, 0);
      assert.equal(formatShape(after.output), '[N, 3, 64, 64]', 'the fix keeps every size');
      const compound = compoundOverlap(stackPath(after));
      assert.equal(compound.steps[compound.steps.length - 1]?.spread, 0);
    });

    it('checks compound requests crossing to the engine worker', () => {
      const path = stackPath(analysed('dcgan_generator.py', 'self.main'));
      const options = { inputSize: path.inputSize, steps: path.steps };
      assert.equal(isCompoundOverlapOptions(options), true);
      assert.equal(isWorkerRequest({ id: 1, op: 'compoundOverlap', options }), true);
      assert.equal(isWorkerRequest({ id: 1, op: 'compoundOverlap', options: { inputSize: [4, 4], steps: [{ kind: 'conv', kernel: [3, 3] }] } }), false);
      assert.equal(isWorkerRequest({ id: 1, op: 'compoundOverlap', options: { inputSize: [4, 4], steps: [{ kind: 'toString', scale: [2, 2] }] } }), false);
      const { response, transfer } = answer({ id: 7, op: 'compoundOverlap', options });
      assert.equal(isWorkerResponse(response), true);
      assert.ok(response.ok && 'compound' in response && response.compound.steps.length === 5);
      assert.equal(transfer.length, 5, 'the maps are transferred, not copied');
      const refused = answer({ id: 8, op: 'compoundOverlap', options: { inputSize: [1, 1], steps: [{ kind: 'conv', kernel: [3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1] }] } });
      assert.ok(!refused.response.ok && refused.response.failure.kind === 'layer', 'a step the engine refuses comes back as its LayerError');
    });
  });

  describe('the fix comparison', () => {
    /** The comparison of `name` in `file` with, for each uneven layer, its first fix of `kind`. */
    function compared(file: string, name: string, kind: 'kernel' | 'rewrite') {
      const text = sample(file);
      const analysis = analysed(file, name);
      const fixes = stackFixes(text, analysis, { indentUnit: '    ' });
      const edits = chosenEdits(fixes, new Map(fixes.map((f) => [f.index, f.fixes.findIndex((fix) => fix.kind === kind)])));
      const given = analysis.inputSource.kind === 'symbolic' ? undefined : (analysis.input.spatial as number[]);
      const after = fixedStack(text, analysis.stack, edits, readConstants(text), given);
      assert.ok(after);
      const side = (a: StackAnalysis) => ({ analysis: a, path: stackPath(a), result: compoundOverlap(stackPath(a)) });
      return { analysis, after, edits, comparison: fixComparison(side(analysis), side(after), edits) };
    }

    it('compares the map after the same layer when a rewrite adds a row (DCGAN: layer 10 now, the Conv2d that replaces it with the fix)', () => {
      const { analysis, after, edits, comparison } = compared('dcgan_generator.py', 'self.main', 'rewrite');
      assert.equal(after.rows.length, analysis.rows.length + 1, 'Upsample + Conv2d: one row more');
      assert.equal(rowAfterEdits(analysis, after, edits, 9), 10);
      assert.equal(rowAfterEdits(analysis, after, edits, 8), 8, 'rows before the rewrite keep their number');
      assert.equal(rowAfterEdits(analysis, after, edits, 12), 13);
      assert.deepEqual([comparison.before?.row, comparison.before?.label, comparison.before?.map.rows], [9, 'nn.ConvTranspose2d', 32]);
      assert.deepEqual([comparison.after?.row, comparison.after?.label, comparison.after?.map.rows], [10, 'nn.Conv2d', 32]);
      assert.ok((comparison.before?.spread ?? 0) > 1);
      assert.equal(comparison.after?.spread, 0);
      assert.deepEqual([comparison.beforeLast?.row, comparison.afterLast?.row], [12, 13]);
    });

    it('compares the same layers when the fix only changes arguments, and the layer itself, not a later one of the same size (VAE: layer 11, then the last map after layer 14)', () => {
      const { comparison } = compared('vae_decoder.py', 'self.decoder', 'kernel');
      assert.deepEqual([comparison.before?.row, comparison.after?.row], [10, 10]);
      assert.deepEqual([comparison.beforeLast?.row, comparison.afterLast?.row], [13, 13]);
      assert.equal(comparison.afterProblem, undefined);
    });

    it('says why when the fixed stack’s maps do not reach the place (a functional chain rewritten with nested Sequentials)', () => {
      const { comparison } = compared('keras_generator.py', 'outputs', 'rewrite');
      assert.equal(comparison.before, undefined);
      assert.equal(comparison.afterProblem, 'they end before layer 5 (Layer Lens does not know what keras.Sequential does to the image)');
    });
  });

  describe('report and protocol', () => {
    it('says where the input size comes from, and what is not known', () => {
      const lineOf = (file: string) => {
        const text = sample(file);
        return (offset: number) => text.slice(0, offset).split('\n').length - 1;
      };
      const said = (file: string, name: string, input?: readonly number[]) => describeStackInput(analysed(file, name, input), lineOf(file));
      assert.equal(said('keras_generator.py', 'model'), 'not known: shapes start at layers.Reshape on line 15, which states [N, 7, 7, 256]');
      assert.equal(formatShape(analysed('keras_generator.py', 'model').input), '[N, ?, ?, ?]');
      assert.equal(said('keras_generator.py', 'outputs'), 'the shape keras.Input states on line 27');
      assert.equal(said('vae_decoder.py', 'self.decoder'), 'the shape nn.Unflatten states on line 15');
      assert.equal(said('dcgan_generator.py', 'self.main'), 'worked back from the 4×4 the comment on line 16 states for layer 4’s input');
      assert.equal(said('dcgan_generator.py', 'self.main', [64, 64]), 'as given to Inspect Stack');
      assert.equal(said('unet_decoder.py', 'UNetDecoder.__init__'), 'H and W stand for the input size, which the code does not state; a comment such as “# 64 x 64” above the first layer gives numbers');
    });


    it('writes the CodeLens summary and a table the stack view accepts, and refuses malformed messages', () => {
      const analysis = analysed('dcgan_generator.py', 'self.main');
      assert.equal(stackSummary(analysis), 'Stack: 14 layers, 1×1 → 64×64, uneven 1 of 5');
      const path = stackPath(analysis);
      const result = compoundOverlap(path);
      const table = stackTable(analysis, (offset) => offset, 'dcgan_generator.py', { result, path });
      assert.equal(table.rows[0]?.output, '[N, 512, 4, 4]');
      assert.equal(table.rows[0]?.parameters, '819,200');
      assert.match(table.rows[0]?.formulas[0] ?? '', /^H_out = \(H_in − 1\)·stride/);
      const snapshot = { kind: 'ready', table, compound: { maps: mapViews(analysis, path, result), inputSize: path.inputSize, standIn: false } };
      assert.equal(isToStackMessage({ type: 'show', snapshot }), true);
      assert.equal(isToStackMessage({ type: 'show', snapshot: { ...snapshot, table: { ...table, rows: [{ index: -1 }] } } }), false);
      assert.equal(isFromStackMessage({ type: 'applyFixes', chosen: [[9, 0]] }), true);
      assert.equal(isFromStackMessage({ type: 'applyFixes', chosen: [[9]] }), false);
      assert.equal(isFromStackMessage({ type: 'reveal', row: 'x' }), false);
    });
  });
});
