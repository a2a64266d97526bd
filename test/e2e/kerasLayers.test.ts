/**
 * Inspect Layer on Keras' 2-D layers in the real workbench: the layer panel draws one channel of
 * the example at the size `keras.Input(shape=(6, 6, 3))` gives, says Keras' shapes channels last in
 * its source line, and shows Keras' values (by hand from Keras' rules: a 3×3 'same' convolution
 * sums each window, zeros outside; bilinear UpSampling2D is tf.image.resize's half-pixel blend).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { frameWith, goTo, gridTexts, openFile, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';

const FILE = 'keras_small.py';
const TEXT = [
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  '',
  'model = keras.Sequential([',
  '    keras.Input(shape=(6, 6, 3)),',
  '    layers.Conv2D(8, 3, padding="same"),',
  '    layers.MaxPooling2D(2),',
  '    layers.UpSampling2D(size=2, interpolation="bilinear"),',
  '    layers.Conv2D(8, 3, strides=2, padding="same"),',
  '])',
  '',
].join('\n');

function layerFrame(page: Page, title: string): Promise<Frame> {
  return frameWith(page, `#app:has(h1.panel-title:text-is("${title}")) .steps-host [data-grid="output"]`, `${title} layer panel`);
}

describe("Keras' 2-D layers in the layer panel (real workbench)", function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples({ extraFiles: { [FILE]: TEXT } }));
  });

  it('Conv2D(8, 3, padding="same"): Keras’ shapes in the source line, each output the sum of its window', async () => {
    await openFile(page, FILE);
    await goTo(page, 6, 14);
    await runCommand(page, 'Layer Lens: Inspect Layer');
    const panel = await layerFrame(page, 'Convolution');
    assert.equal(
      await panel.locator('.source').innerText(),
      `layers.Conv2D at ${FILE}:6, on an example 6×6 input; as Keras prints it (channels last): (None, 6, 6, 3) → (None, 6, 6, 8), one channel drawn`,
    );
    // The example is (7·r + 3·c) mod 10; the top-left output sums [[0, 3], [7, 0]], the next [[0, 3, 6], [7, 0, 3]].
    const output = await gridTexts(panel, 'output');
    assert.equal(output.length, 6);
    assert.deepEqual(output[0]?.slice(0, 2), ['10', '19']);
    await page.screenshot({ path: join(e2eResults, 'keras-conv2d.png') });
  });

  it('UpSampling2D(interpolation="bilinear") after the pool: 3×3 → 6×6, the half-pixel blend clamped at the edges', async () => {
    await goTo(page, 8, 14);
    await runCommand(page, 'Layer Lens: Inspect Layer');
    const panel = await layerFrame(page, 'Upsampling');
    assert.match(await panel.locator('.source').innerText(), /as Keras prints it \(channels last\): \(None, 3, 3, 8\) → \(None, 6, 6, 8\), one channel drawn$/);
    // Row 0 of the input [0, 3, 6] doubled: samples at −¼, ¼, ¾, 1¼, 1¾, 2¼.
    const output = await gridTexts(panel, 'output');
    assert.deepEqual(output[0], ['0', '0.75', '2.25', '3.75', '5.25', '6']);
    await page.screenshot({ path: join(e2eResults, 'keras-upsampling-bilinear.png') });
  });

  it('Conv2D(8, 3, strides=2, padding="same") on 6×6: Keras pads 1, after; the padding field says keras-same', async () => {
    await goTo(page, 9, 14);
    await runCommand(page, 'Layer Lens: Inspect Layer');
    const panel = await frameWith(page, '#app:has(.source:text-matches("keras_small.py:9")) .steps-host [data-grid="output"]', 'the strided Conv2D in the layer panel');
    assert.equal(await panel.locator('input[name="padding"]').inputValue(), 'keras-same');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '6×6 → 3×3');
    // Windows start at rows and columns 0, 2, 4; the last reads the padded row and column 6.
    assert.deepEqual(await gridTexts(panel, 'output'), [
      ['30', '44', '33'],
      ['36', '30', '27'],
      ['27', '23', '10'],
    ]);
    await page.screenshot({ path: join(e2eResults, 'keras-conv2d-strided-same.png') });
  });
});
