import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { answerInputBox, goTo, gridTexts, notificationMatching, openFile, transposedPanelFrame, expectQuickInput, quickPickRows, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';

describe('Transposed Convolution in the real workbench', function () {
  this.timeout(120_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('draws the textbook case: input, kernel and the 3×3 output', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 5, 9); // inside x = [[1, 2], [3, 4]]
    await runCommand(page, 'Layer Lens: Transposed Convolution (ConvTranspose2d)');

    await expectQuickInput(page, 'Layer Lens: Kernel');
    const rows = await quickPickRows(page);
    // Named as the code names it: `k` first, then its shape and line.
    assert.match(rows[0] ?? '', /^\s*k\s*2×2 · line 6\n/, `the nearest matrix, k on line 6, should come first, by its name; got ${JSON.stringify(rows)}`);
    await page.keyboard.press('Enter');

    await expectQuickInput(page, 'Layer Lens: Stride');
    await answerInputBox(page, '1');

    const panel = await transposedPanelFrame(page);
    assert.deepEqual(await gridTexts(panel, 'input'), [['1', '2'], ['3', '4']]);
    // The panel opens on the result, the last step: the kernel is shown scaled by input[1, 1] = 4.
    assert.deepEqual(await gridTexts(panel, 'kernel'), [['4', '4'], ['4', '4']]);
    assert.match(await panel.locator('[data-grid="kernel"] .matrix-caption').innerText(), /^× 4, the value of input\[1, 1\]$/);
    assert.deepEqual(await gridTexts(panel, 'output'), [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']]);
    const formulas = await panel.locator('.formula').allInnerTexts();
    assert.equal(formulas.length, 2);
    assert.match(formulas[0] ?? '', /= 3$/);
    assert.match(await panel.locator('.source').innerText(), /textbook\.py:5/);
    await page.screenshot({ path: join(e2eResults, 'transposed-convolution-textbook.png') });
  });

  it('explains a ragged selection instead of computing', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 14, 10); // the start of [[1, 2], [3]]
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'Layer Lens: Transposed Convolution (ConvTranspose2d)');
    const message = await notificationMatching(page, /^Layer Lens: The selection is not a matrix/);
    assert.match(message, /row 2 has 1 value, row 1 has 2 \(textbook\.py, line 14, column 19\)/);
    await page.screenshot({ path: join(e2eResults, 'transposed-convolution-ragged.png') });
  });
});
