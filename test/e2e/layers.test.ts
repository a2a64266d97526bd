/**
 * The layer panel (Convolution, Pool, Upsample, Pixel Shuffle) in the real workbench: run from the
 * palette on a literal, the input boxes checked by the engine as a person types, the step player
 * and its words, a click on an output cell, a parameter edited in the page, Copy, and the panel
 * coming back after a reload.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { expectGrid, expectQuickInput, frameWith, goTo, openFile, quickInput, quickPickRows, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';

/**
 * The layer panel's document showing `title` (a frame whose page draws `.steps-host`): another
 * layer panel's frame may still be there, about to be hidden.
 */
function layerFrame(page: Page, title: string, timeoutMs = 20_000): Promise<Frame> {
  return frameWith(page, `#app:has(h1.panel-title:text-is("${title}")) .steps-host [data-grid="output"]`, `${title} layer panel`, timeoutMs);
}

/** The input box's validation message as it stands. */
async function validation(page: Page, expected: RegExp): Promise<string> {
  const message = page.locator(`${quickInput} .quick-input-message`);
  const deadline = Date.now() + 5_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await message.innerText().catch(() => '');
    if (expected.test(text)) return text;
    await page.waitForTimeout(50);
  }
  assert.match(text, expected);
  return text;
}

describe('The layer panel in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('pools the literal at the cursor: the window box checked as typed, the player, a picked cell, an edited stride, Copy', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 18, 10); // flat = [[1, 1, 1, 1], …] (4×4)
    await runCommand(page, 'Layer Lens: Pool');
    await expectQuickInput(page, 'Layer Lens: Pool');
    const rows = await quickPickRows(page);
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? '', /Max pooling.*F\.max_pool2d/s);
    assert.match(rows[1] ?? '', /Average pooling.*F\.avg_pool2d/s);
    await page.keyboard.press('Enter');
    await expectQuickInput(page, 'Max pooling window');
    await validation(page, /Output 2 × 2: H_out = .* = 2, W_out = .* = 2/);
    const input = page.locator(`${quickInput} input`);
    await input.fill('5');
    await validation(page, /PyTorch would refuse this: .*(output would be empty|too small|kernel)/i);
    await input.fill('2');
    await validation(page, /Output 2 × 2/);
    await page.keyboard.press('Enter');

    const panel = await layerFrame(page, 'Max pooling');
    assert.equal(await panel.locator('.panel-title').innerText(), 'Max pooling');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '4×4 → 2×2');
    assert.match(await panel.locator('.source').innerText(), /textbook\.py:18/);
    // The player starts at the end: the layer's output.
    await expectGrid(panel, 'output', [['1', '1'], ['1', '1']]);
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 4 of 4');

    // Home: nothing computed; → computes out[0, 0] from the top-left window.
    await panel.locator('button[data-action="start"]').click();
    assert.match(await panel.locator('.step-sentence').innerText(), /Nothing computed yet/);
    await page.keyboard.press('ArrowRight');
    await expectGrid(panel, 'output', [['1', '0'], ['0', '0']]);
    // The three cells still to compute are drawn empty (dashed), not as zeros.
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-pending').count(), 3);
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-pending').first().evaluate((cell) => getComputedStyle(cell).color), 'rgba(0, 0, 0, 0)');
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step 1: out\[0, 0\] = the largest of its window's 4 cells = 1, at x\[0, 0\]\.$/);
    assert.equal(await panel.locator('[data-grid="input"] .cell.mark-window').count(), 4);

    // A click on output (1, 0) goes to the step that computes it: the window of rows 2–3, columns 0–1.
    await panel.locator('[data-grid="output"] .cell[data-row="1"][data-col="0"]').click();
    await panel.locator('.step-label', { hasText: 'Step 3 of 4' }).waitFor();
    const marked = await panel.locator('[data-grid="input"] .cell.mark-window').evaluateAll((cells) => cells.map((c) => `${(c as HTMLElement).dataset.row},${(c as HTMLElement).dataset.col}`));
    assert.deepEqual(marked, ['2,0', '2,1', '3,0', '3,1']);
    await page.screenshot({ path: join(e2eResults, 'layer-maxpool.png') });

    // Stride 1 in the page: the engine recomputes there, 3×3 windows of 2×2.
    const stride = panel.locator('input[name="stride"]');
    await stride.fill('1');
    await stride.press('Enter');
    await panel.locator('.layer-shapes', { hasText: '4×4 → 3×3' }).waitFor();
    assert.match(await panel.locator('.formulas').innerText(), /H_out = .* = 3/);
    await expectGrid(panel, 'output', [['1', '1', '1'], ['1', '1', '1'], ['1', '1', '1']]);
    // A stride PyTorch refuses is explained in the page, and the last good drawing stays.
    await stride.fill('0');
    await stride.press('Enter');
    const error = panel.locator('.form-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), /stride/i);
    assert.equal(await panel.locator('.layer-shapes').innerText(), '4×4 → 3×3');

    // Copy output…: the host asks the notation, then says what it copied.
    await panel.locator('button[data-copy="output"]').click();
    await expectQuickInput(page, 'Copy the output as');
    await page.keyboard.type('NumPy');
    await page.keyboard.press('Enter');
    await panel.locator('.notice', { hasText: 'Copied the output (3×3) as NumPy.' }).waitFor();
  });

  it('convolves with a kernel from the document and lists each step’s products, then comes back after a reload', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 18, 10);
    await runCommand(page, 'Layer Lens: Convolve (Conv2d)');
    await expectQuickInput(page, 'Layer Lens: Kernel');
    // The kernels offered are the document's other literals, by name: take k3 (3×3 ones).
    await page.keyboard.type('k3');
    await page.keyboard.press('Enter');
    await expectQuickInput(page, 'Convolution stride');
    await validation(page, /Output 2 × 2/);
    await page.keyboard.press('Enter');
    let panel = await layerFrame(page, 'Convolution');
    await expectGrid(panel, 'output', [['9', '9'], ['9', '9']]);
    await panel.locator('[data-grid="output"] .cell[data-row="0"][data-col="1"]').click();
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step 2: out\[0, 1\] = the sum of 9 products of its window with the kernel = 9\.$/);
    assert.equal(await panel.locator('.step-products li').count(), 9);
    assert.equal(await panel.locator('.step-products li').first().innerText(), 'x[0, 1] × w[0, 0] = 1 × 1 = 1 (sum 1)');
    await page.screenshot({ path: join(e2eResults, 'layer-conv.png') });

    await page.waitForTimeout(600); // the page keeps its state after a short debounce
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    panel = await layerFrame(page, 'Convolution', 60_000);
    await panel.locator('.step-label', { hasText: 'Step 2 of 4' }).waitFor();
    assert.equal(await panel.locator('.panel-title').innerText(), 'Convolution');
    assert.match(await panel.locator('.source').innerText(), /textbook\.py:18/);
  });

  it('upsamples a [C, H, W] tensor bilinearly: both channels drawn, each step’s blend in words, PyTorch’s values', async () => {
    await openFile(page, 'channels.py');
    await goTo(page, 8, 20); // x = torch.tensor([[[1., 2., 0.], …]]): [2, 3, 3]
    await runCommand(page, 'Layer Lens: Upsample');
    await expectQuickInput(page, 'Layer Lens: Upsample');
    await page.keyboard.type('Bilinear');
    await page.locator(`${quickInput} .monaco-list-row`, { hasText: 'Bilinear' }).first().waitFor();
    await page.keyboard.press('Enter');
    await expectQuickInput(page, 'Upsampling scale factor');
    await validation(page, /Output 2 × 6 × 6/);
    await page.keyboard.press('Enter');
    const panel = await layerFrame(page, 'Upsampling');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '2×3×3 → 2×6×6');
    assert.equal(await panel.locator('[data-grid="input"]').count(), 2, 'both input channels');
    // The last step is channel 1's last cell; its plane is shown, with PyTorch's values (F.interpolate, float64).
    assert.match(await panel.locator('[data-grid="output"] .matrix-title').innerText(), /^Output out\[1\]/);
    const output = await panel.locator('[data-grid="output"] [role="row"]').evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('[role="gridcell"]'), (c) => (c.textContent ?? '').trim())).filter((r) => r.length > 0),
    );
    assert.deepEqual(output[3], ['1.75', '1.375', '0.625', '0.3125', '0.4375', '0.5']);
    await panel.locator('[data-grid="output"] .cell[data-row="3"][data-col="1"]').click();
    await panel.locator('.step-label', { hasText: 'Step 56 of 72' }).waitFor();
    assert.match(await panel.locator('.step-sentence').innerText(), /out\[1, 3, 1\] blends the input rows 1 and 2 and columns 0 and 1 .* = 1\.375\.$/);
    assert.equal(await panel.locator('.step-products li').count(), 3);
    assert.equal(await panel.locator('[data-grid="input"][data-plane="1"] .cell.mark-window').count(), 4);
    assert.equal(await panel.locator('[data-grid="input"][data-plane="0"] .cell.mark-window').count(), 0);
    await page.screenshot({ path: join(e2eResults, 'layer-bilinear.png') });
  });
});
