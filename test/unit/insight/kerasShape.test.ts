/**
 * The Keras size diagnostic (kerasShape.ts) and its quick fixes (kerasShapeFixes.ts): keras #10185's
 * 39×39 U-Net, a U-Net written out level by level that breaks at 120×120, one whose up blocks share
 * their code, and a residual Add of another resolution. Every fix offered is applied and the model
 * read again; the ones that make it run are checked to.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../src/core/model/analyzeModel';
import { kerasInputFor, kerasShapeProblems, type KerasShapeProblem } from '../../../src/core/insight/kerasShape';
import { kerasShapeFixes, layerReference } from '../../../src/core/insight/kerasShapeFixes';
import { documentShapeFixes, documentShapeProblems } from '../../../src/core/insight/documentShape';
import { applyEdits } from '../../../src/core/insight/modelShapeFixes';
import { summarizeDocument } from '../../../src/core/insight/documentSummary';
import { documentDiagnostics } from '../../../src/core/insight/documentDiagnostics';

const fixtures = join(__dirname, '../../../../test/fixtures/keras');
const read = (file: string): string => readFileSync(join(fixtures, file), 'utf8');
const lineOf = (source: string, text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;

function only(text: string, setting: number[]): KerasShapeProblem {
  const problems = kerasShapeProblems(text, setting);
  assert.equal(problems.length, 1, JSON.stringify(problems.map((p) => p.message)));
  return problems[0] as KerasShapeProblem;
}

describe('Keras size diagnostics', () => {
  it('reads the [N, C, H, W] setting channels-last, with the channels the model\'s Input declares', () => {
    assert.deepEqual(kerasInputFor([2, 3, 39, 40], [39, 39, 1]), [2, 39, 40, 1]);
    assert.deepEqual(kerasInputFor([1, 3, 64, 64], [null, null, null]), [1, 64, 64, 3]);
    assert.deepEqual(kerasInputFor([1, 3, 64, 64], null), [1, 64, 64, 3]);
    // A sequence model (Input((100, 8))) does not take an image setting.
    assert.equal(kerasInputFor([1, 3, 64, 64], [100, 8]), null);
  });

  describe('keras #10185 (unet_39.py): 39 → pool → 20 → Conv2DTranspose → 40, not 39', () => {
    const source = read('unet_39.py');
    const line = lineOf(source, 'up3 = concatenate(');

    it('is reported on the concatenate call, in words, with Keras\'s own message', () => {
      const p = only(source, [1, 3, 39, 39]);
      assert.equal(source.slice(p.start, p.end), 'concatenate([Conv2DTranspose(32, (2, 2), strides=(2, 2), padding="same")(conv2), conv1], axis=3)');
      assert.equal(
        p.message,
        `concatenate (Concatenate) at line ${line}: input 0 is 40×40 but input 1 is 39×39, and Concatenate needs every axis except the concatenation axis (3) to match for an input of 39×39. Keras: A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 40, 40, 32), (None, 39, 39, 32)]`,
      );
      // The model's own channel (Input((39, 39, 1))), not the setting's 3.
      assert.deepEqual(p.inputShape, [1, 39, 39, 1]);
      assert.deepEqual(p.keras.operands.map((o) => o.transposed?.path), ['conv2d_transpose', undefined]);
    });

    it('is not reported for an even side, nor without a setting', () => {
      assert.deepEqual(kerasShapeProblems(source, [1, 3, 40, 40]), []);
      assert.deepEqual(kerasShapeProblems(source, []), []);
    });

    it('offers a crop, a pad and output_padding (Keras\'s rule: (20 − 1)·2 + 2 mod 2 + 1 = 39), each making the model run', () => {
      const p = only(source, [1, 3, 39, 39]);
      const fixes = kerasShapeFixes(source, p);
      assert.deepEqual(
        fixes.map((f) => [f.title, f.disabled]),
        [
          ['Crop input 0 from 40×40 to 39×39 with Cropping2D(((0, 1), (0, 1)))', undefined],
          ['Pad conv1 from 39×39 to 40×40 with ZeroPadding2D(((0, 1), (0, 1)))', undefined],
          ['Set output_padding=1 on conv2d_transpose (Conv2DTranspose, line 14)', undefined],
        ],
      );
      const edited = fixes.map((f) => applyEdits(source, f.edits));
      // The layer is added to the file's `from keras.layers import …` line.
      assert.match(edited[0] as string, /^from keras\.layers import Input, Conv2D, MaxPooling2D, Conv2DTranspose, concatenate, Cropping2D$/m);
      assert.match(edited[0] as string, /up3 = concatenate\(\[Cropping2D\(\(\(0, 1\), \(0, 1\)\)\)\(Conv2DTranspose\(32, \(2, 2\), strides=\(2, 2\), padding="same"\)\(conv2\)\), conv1\], axis=3\)/);
      assert.match(edited[1] as string, /concatenate\(\[Conv2DTranspose\(.*\)\(conv2\), ZeroPadding2D\(\(\(0, 1\), \(0, 1\)\)\)\(conv1\)\], axis=3\)/);
      assert.match(edited[2] as string, /Conv2DTranspose\(32, \(2, 2\), strides=\(2, 2\), padding="same", output_padding=1\)\(conv2\)/);
      const outputs = edited.map((text) => analyzeModel(text, { className: 'model', inputShape: [1, 39, 39, 1] }));
      assert.deepEqual(outputs.map((a) => [a.error?.message, a.output?.shape]), [
        [undefined, [1, 39, 39, 1]],
        [undefined, [1, 40, 40, 1]],
        [undefined, [1, 39, 39, 1]],
      ]);
      for (const text of edited) assert.deepEqual(kerasShapeProblems(text, [1, 3, 39, 39]), []);
    });
  });

  describe('a U-Net written level by level (unet_functional.py) at 120×120: 15 → 7 → 14 against the 15×15 skip', () => {
    const source = read('unet_functional.py');

    it('is reported on the first merge that breaks; 128×128 runs', () => {
      const p = only(source, [1, 3, 120, 120]);
      assert.equal(source.slice(p.start, p.end), 'concatenate([drop4, up6], axis=3)');
      assert.equal(p.keras.line, lineOf(source, 'merge6 = concatenate('));
      assert.match(p.message, /^concatenate \(Concatenate\) at line 29: input 0 is 15×15 but input 1 is 14×14, .* for an input of 120×120\. Keras: /);
      assert.deepEqual(kerasShapeProblems(source, [1, 3, 128, 128]), []);
    });

    it('padding up6 to the skip makes the model run; cropping the skip gets past this merge, to the next level\'s', () => {
      const p = only(source, [1, 3, 120, 120]);
      const [crop, pad, ...rest] = kerasShapeFixes(source, p);
      assert.deepEqual(rest, []);
      assert.equal(crop?.title, 'Crop drop4 from 15×15 to 14×14 with Cropping2D(((0, 1), (0, 1)))');
      assert.equal(pad?.title, 'Pad up6 from 14×14 to 15×15 with ZeroPadding2D(((0, 1), (0, 1)))');
      const padded = applyEdits(source, pad?.edits ?? []);
      const run = analyzeModel(padded, { className: 'unet', inputShape: [1, 120, 120, 1] });
      assert.equal(run.error, null);
      assert.deepEqual(run.output?.shape, [1, 120, 120, 1]);
      const cropped = applyEdits(source, crop?.edits ?? []);
      const next = only(cropped, [1, 3, 120, 120]);
      assert.equal(next.keras.line, lineOf(cropped, 'merge7 = concatenate('));
      assert.match(next.message, /input 0 is 30×30 but input 1 is 28×28/);
    });
  });

  it('a merge in code several up blocks share (unet.py): every fix disabled with the reason', () => {
    const source = read('unet.py');
    const p = only(source, [1, 3, 120, 120]);
    assert.equal(source.slice(p.start, p.end), 'layers.concatenate([x, skip], axis=-1)');
    const fixes = documentShapeFixes(source, p);
    assert.deepEqual(fixes.map((f) => f.title), [
      'Crop skip from 15×15 to 14×14 with layers.Cropping2D(((0, 1), (0, 1)))',
      'Pad x from 14×14 to 15×15 with layers.ZeroPadding2D(((0, 1), (0, 1)))',
      'Set output_padding on conv2d_transpose (Conv2DTranspose, line 27) to reach 15×15',
    ]);
    assert.equal(fixes[0]?.disabled, 'concatenate at line 28 would still break (for another call of the code it is in: a fixed size cannot suit every call): 28×28 and 29×29 for an input of 120×120');
    assert.match(fixes[1]?.disabled ?? '', /^concatenate at line 28 would still break \(for another call/);
    // Keras's rule: "same" with output_padding p gives (7 − 1)·2 + 2 mod 2 + p = 12 + p, and p < 2.
    assert.equal(fixes[2]?.disabled, 'output_padding adds 0 to 1 (it must be below the strides, 2) to the 12 that conv2d_transpose makes from 7 with padding "same": 15 cannot be reached');
  });

  it('a residual Add of another resolution (resnet_blocks.py) is reported, with no crop or pad: 30×30 is not 15×15 rounded', () => {
    const source = read('resnet_blocks.py');
    const p = kerasShapeProblems(source, [1, 3, 30, 30]).find((x) => x.keras.type === 'Add');
    assert.ok(p);
    assert.equal(source.slice(p.start, p.end), 'layers.Add()([x, inputs])');
    assert.match(p.message, /^add \(Add\) at line \d+: input 0 is 15×15×16 but input 1 is 30×30×16, .*Keras: Inputs have incompatible shapes/);
    assert.deepEqual(kerasShapeFixes(source, p), []);
  });

  it('finds the Conv2DTranspose behind a BatchNormalization and an activation, and sets its output_padding (valid: (n − 1)·s + k + p)', () => {
    const source = [
      'import tensorflow as tf',
      '',
      '',
      'def build(input_shape=(23, 23, 3)):',
      '    inputs = tf.keras.Input(shape=input_shape)',
      '    skip = tf.keras.layers.Conv2D(16, 3, padding="same")(inputs)',
      '    x = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same")(skip)',
      '    x = tf.keras.layers.Conv2DTranspose(16, 2, strides=2, padding="valid")(x)',
      '    x = tf.keras.layers.BatchNormalization()(x)',
      '    x = tf.keras.layers.Activation("relu")(x)',
      '    x = tf.keras.layers.Add()([skip, x])',
      '    return tf.keras.Model(inputs, x)',
      '',
    ].join('\n');
    const p = only(source, [1, 3, 23, 23]);
    assert.match(p.message, /^add \(Add\) at line 11: input 0 is 23×23×16 but input 1 is 24×24×16/);
    const fixes = kerasShapeFixes(source, p);
    assert.deepEqual(fixes.map((f) => [f.title, f.disabled]), [
      ['Crop x from 24×24 to 23×23 with tf.keras.layers.Cropping2D(((0, 1), (0, 1)))', undefined],
      ['Pad skip from 23×23 to 24×24 with tf.keras.layers.ZeroPadding2D(((0, 1), (0, 1)))', undefined],
      // 12 → (12 − 1)·2 + 2 + p = 24 + p: 23 is below what any output_padding gives.
      ['Set output_padding on conv2d_transpose (Conv2DTranspose, line 8) to reach 23×23', 'output_padding adds 0 to 1 (it must be below the strides, 2) to the 24 that conv2d_transpose makes from 12 with padding "valid": 23 cannot be reached'],
    ]);
    for (const fix of fixes.slice(0, 2)) assert.equal(analyzeModel(applyEdits(source, fix.edits), { className: 'build', inputShape: [1, 23, 23, 3] }).error, null, fix.title);
    // "same" with kernel 3 infers 12·2 = 24 without output_padding; with it, (12 − 1)·2 + 3 mod 2 + p = 23 + p: 0 reaches the skip.
    const same = source.replace('Conv2DTranspose(16, 2, strides=2, padding="valid")', 'Conv2DTranspose(16, 3, strides=2, padding="same")');
    const q = only(same, [1, 3, 23, 23]);
    const set = kerasShapeFixes(same, q).find((f) => f.title.startsWith('Set output_padding'));
    assert.equal(set?.title, 'Set output_padding=0 on conv2d_transpose (Conv2DTranspose, line 8)');
    assert.equal(set?.disabled, undefined);
    const fixed = applyEdits(same, set?.edits ?? []);
    assert.match(fixed, /Conv2DTranspose\(16, 3, strides=2, padding="same", output_padding=0\)\(x\)/);
    assert.deepEqual(analyzeModel(fixed, { className: 'build', inputShape: [1, 23, 23, 3] }).output?.shape, [1, 23, 23, 16]);
  });

  it('builds a builder whose parameters have no default with the literal arguments of its call in the file', () => {
    const source = read('unet.py').replace('def build_unet(input_shape=(128, 128, 3), num_classes=1):', 'def build_unet(input_shape, num_classes):').replace('    model = build_unet()', '    model = build_unet((120, 120, 1), 2)');
    const p = only(source, [1, 3, 120, 120]);
    assert.deepEqual(p.args, { input_shape: [120, 120, 1], num_classes: 2 });
    // The channels of the Input the call declares.
    assert.deepEqual(p.inputShape, [1, 120, 120, 1]);
    assert.deepEqual(kerasShapeProblems(source.replace('build_unet((120, 120, 1), 2)', 'build_unet(shape, 2)'), [1, 3, 120, 120]), []);
  });

  it('a Concatenate along a side (axis=1) is reported when another side differs, with no crop or pad of every side', () => {
    const source = [
      'from keras import layers, Input, Model',
      '',
      'inputs = Input((32, 32, 4))',
      'a = layers.Conv2D(4, 3, strides=2, padding="same")(inputs)',
      'b = layers.Conv2D(4, 3, strides=(1, 2), padding="same")(inputs)',
      'c = layers.Conv2D(4, 3, strides=(1, 3), padding="same")(inputs)',
      'model = Model(inputs, layers.concatenate([layers.concatenate([a, b], axis=1), c], axis=1))',
      '',
    ].join('\n');
    const p = only(source, [1, 3, 32, 32]);
    assert.equal(p.keras.axis, 1);
    assert.match(p.message, /^concatenate_1 \(Concatenate\) at line 7: input 0 has shape \(None, 48, 16, 4\) but input 1 has \(None, 32, 11, 4\)/);
    assert.deepEqual(kerasShapeFixes(source, p), []);
  });

  it('names the new layer as the file imports Keras', () => {
    assert.deepEqual(layerReference('import tensorflow as tf\n', 'Cropping2D'), { name: 'tf.keras.layers.Cropping2D', edits: [] });
    assert.deepEqual(layerReference('from tensorflow.keras import layers as L, Model\n', 'Cropping2D'), { name: 'L.Cropping2D', edits: [] });
    assert.deepEqual(layerReference('from keras.layers import *\n', 'Cropping2D'), { name: 'Cropping2D', edits: [] });
    assert.deepEqual(layerReference('from keras import layers\r\n', 'Cropping2D'), { name: 'layers.Cropping2D', edits: [] });
    const text = 'from keras.layers import (\n    Input,\n    Conv2D,\n)\n';
    const ref = layerReference(text, 'ZeroPadding2D');
    assert.equal(applyEdits(text, ref?.edits ?? []), 'from keras.layers import (\n    Input,\n    Conv2D, ZeroPadding2D,\n)\n');
    assert.equal(layerReference('import numpy as np\n', 'Cropping2D'), undefined);
  });

  it('travels with the document summary and becomes a model-shape diagnostic (the worker path, the CLI\'s too)', () => {
    const source = read('unet_39.py');
    const summary = summarizeDocument({ text: source, languageId: 'python', inputSize: 32, layers: true, modelInput: [1, 3, 39, 39] });
    const problem = summary.modelProblems?.[0];
    assert.equal(summary.modelProblems?.length, 1);
    assert.equal(problem?.layerLine, 14);
    const diagnostics = documentDiagnostics(summary, { overlap: false, overlapSeverity: 'warning', stacks: false }).filter((d) => d.rule === 'model-shape');
    assert.deepEqual(diagnostics.map((d) => [d.start, d.severity]), [[problem?.start, 'error']]);
    assert.equal(documentShapeProblems(source, [1, 3, 39, 39]).length, 1);
  });
});
