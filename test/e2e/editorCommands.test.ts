/**
 * The editor commands as a person uses them in the real workbench: the status bar item with the
 * matrix shape, Set Kernel's preset inputs validating as they type, Show Overlap Map bringing the
 * map into view, and Solve for Output Size writing its answer into the code.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { answerInputBox, expectQuickInput, goTo, gridTexts, openFile, transposedPanelFrame, quickPickRows, quickInput, runCommand, statusItem } from './driver';
import { e2eResults, openSamples } from './setup';

describe('editor commands in the real workbench', function () {
  this.timeout(120_000);
  let page: Page;

  beforeEach(async () => {
    ({ page } = await openSamples());
  });

  it('shows the shape of the matrix at the cursor in the status bar, and opens it in the panel on a click', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 5, 9); // inside x = [[1, 2], [3, 4]]
    await statusItem(page, '2×2').waitFor({ state: 'visible', timeout: 10_000 });
    await goTo(page, 18, 12); // inside flat, 4×4
    await statusItem(page, '4×4').waitFor({ state: 'visible', timeout: 10_000 });
    await goTo(page, 1, 1); // a comment: the document's matrices are counted instead
    await statusItem(page, 'matrices').waitFor({ state: 'visible', timeout: 10_000 });
    await goTo(page, 5, 9);
    await statusItem(page, '2×2').click();
    const panel = await transposedPanelFrame(page);
    assert.deepEqual(await gridTexts(panel, 'input'), [['1', '2'], ['3', '4']]);
    await page.screenshot({ path: join(e2eResults, 'status-bar-matrix-shape.png') });
  });

  it('sets a Gaussian kernel from the preset inputs, which explain a bad sigma as it is typed', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 5, 9);
    await statusItem(page, '2×2').click();
    await transposedPanelFrame(page);
    await runCommand(page, 'Layer Lens: Set Kernel…');
    await expectQuickInput(page, 'Layer Lens: Set Kernel');
    const rows = await quickPickRows(page);
    assert.ok(rows.some((row) => /2×2[\s\S]*textbook\.py:6/.test(row)), `the open document's k should be listed; got ${JSON.stringify(rows)}`);
    await page.locator(`${quickInput} input`).fill('Gaussian');
    await page.locator(`${quickInput} .monaco-list-row`, { hasText: 'Gaussian' }).first().waitFor();
    await page.keyboard.press('Enter');
    await expectQuickInput(page, 'Layer Lens: Gaussian kernel');
    await answerInputBox(page, '3');
    await page.locator(`${quickInput} .quick-input-message`, { hasText: 'Standard deviation' }).waitFor();
    await page.locator(`${quickInput} input`).fill('0');
    const message = page.locator(`${quickInput} .quick-input-message`);
    await message.filter({ hasText: 'sigma must be a positive' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(e2eResults, 'set-kernel-sigma-validation.png') });
    await page.locator(`${quickInput} input`).fill('1');
    await page.keyboard.press('Enter');
    const panel = await transposedPanelFrame(page);
    // The panel redraws with the new kernel: wait until its grid has three rows of three.
    const deadline = Date.now() + 15_000;
    let kernel: string[][] = [];
    while (Date.now() < deadline) {
      kernel = await gridTexts(panel, 'kernel').catch(() => []);
      if (kernel.length === 3 && kernel.every((row) => row.length === 3)) break;
      await page.waitForTimeout(200);
    }
    assert.deepEqual(kernel.map((row) => row.length), [3, 3, 3], `the kernel grid should be 3×3: ${JSON.stringify(kernel)}`);
    assert.match(await panel.locator('[data-grid="kernel"]').innerText(), /Kernel\s*3 × 3/);
    await page.screenshot({ path: join(e2eResults, 'set-kernel-gaussian.png') });
  });

  it('Show Overlap Map opens the layer at the cursor with its overlap map in view and focused', async () => {
    await openFile(page, 'upsampling_layers.py');
    await goTo(page, 5, 10); // up = nn.ConvTranspose2d(16, 8, 3, stride=2)
    await runCommand(page, 'Layer Lens: Show Overlap Map');
    const panel = await transposedPanelFrame(page);
    await panel.locator('section.overlap').waitFor();
    const deadline = Date.now() + 10_000;
    let state = { focused: false, top: Number.NaN, height: 0 };
    while (Date.now() < deadline) {
      state = await panel.evaluate(() => {
        const section = document.querySelector('section.overlap');
        return { focused: document.activeElement === section, top: section?.getBoundingClientRect().top ?? Number.NaN, height: window.innerHeight };
      });
      if (state.focused && state.top >= 0 && state.top < state.height / 2) break;
      await page.waitForTimeout(200);
    }
    assert.ok(state.focused, 'the overlap section has the focus');
    assert.ok(state.top >= 0 && state.top < state.height / 2, `the overlap section is scrolled to the top half of the panel: ${JSON.stringify(state)}`);
    assert.match(await panel.locator('section.overlap .verdict').innerText(), /uneven/);
    await page.screenshot({ path: join(e2eResults, 'show-overlap-map.png') });
  });

  it('Solve for Output Size counts the answers as the size is typed and writes the chosen one into the call', async () => {
    await openFile(page, 'upsampling_layers.py');
    await goTo(page, 5, 10);
    await runCommand(page, 'Layer Lens: Solve for Output Size…');
    await expectQuickInput(page, 'Layer Lens: Output size wanted from nn.ConvTranspose2d');
    await page.locator(`${quickInput} input`).fill('64');
    await page.locator(`${quickInput} .quick-input-message`, { hasText: '4 ways to get 64×64' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await expectQuickInput(page, 'Layer Lens: Solve for Output Size');
    const rows = await quickPickRows(page);
    assert.match(rows[0] ?? '', /^padding=1, output_padding=1/);
    assert.match(rows[0] ?? '', /H_out = \(32 − 1\)·2 − 2·1 \+ 1·\(3 − 1\) \+ 1 \+ 1 = 64/);
    await page.screenshot({ path: join(e2eResults, 'solve-for-size-answers.png') });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'up = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)' }).waitFor({ timeout: 10_000 });
  });
});
