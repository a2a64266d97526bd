import * as assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { convTranspose2d, type Tensor } from '../../src/core/engine/index';
import { formatCellValue } from '../../webview/shared/format';
import { expectGrid, gridTexts, transposedPanelFrame, runCommand, setTheme, transposedConvolutionAt } from './driver';
import { e2eResults, openSamples } from './setup';

/** samples/channels.py: `x` is [2, 3, 3] (two input channels), `w` is [2, 2, 2, 2] (two in, two out). */
const x: Tensor = { shape: [2, 3, 3], data: Float64Array.from([1, 2, 0, 0, 1, 3, 2, 0, 1, 0, 1, 1, 2, 0, 0, 1, 1, 2]) };
const w: Tensor = { shape: [2, 2, 2, 2], data: Float64Array.from([1, 0, 0, 1, 1, 1, 1, 1, 2, -1, 0, 1, 0, 1, -1, 0]) };

/** Plane `index` of a `[…, rows, cols]` tensor as the panel writes it: rows of formatted cells. */
function planeTexts(tensor: Tensor, index: number): string[][] {
  const [rows, cols] = tensor.shape.slice(-2) as [number, number];
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => formatCellValue(tensor.data[(index * rows + r) * cols + c] as number)));
}

const slice = (tensor: Tensor, index: number): Tensor => {
  const [rows, cols] = tensor.shape.slice(-2) as [number, number];
  return { shape: [rows, cols], data: tensor.data.subarray(index * rows * cols, (index + 1) * rows * cols) };
};

async function choose(panel: Frame, channel: 'out' | 'in' | 'batch', value: number): Promise<void> {
  await panel.locator(`[data-channel="${channel}"] select`).selectOption(String(value));
}

describe('Channels, batch and groups in the transposed-convolution panel', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('walks one output channel at a time, sums the input channels, maps the groups and saves a PNG', async () => {
    const panel = await transposedConvolutionAt(page, 'channels.py', 8, 20, '1'); // w, the nearest literal, as the kernel

    // The engine's output: [2, 4, 4], one plane per output channel.
    const y = convTranspose2d(x, w, { stride: 1 });
    assert.deepEqual(y.shape, [2, 4, 4]);
    assert.notDeepEqual(planeTexts(y, 0), planeTexts(y, 1));
    assert.equal(await panel.locator('.channel-shapes').innerText(), 'input [2, 3, 3] · weight [2, 2, 2, 2] · output [2, 4, 4]');
    await expectGrid(panel, 'output', planeTexts(y, 0));
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 18 of 18', '2 input channels × 9 values');

    await choose(panel, 'out', 1);
    await expectGrid(panel, 'output', planeTexts(y, 1));
    assert.match(await panel.locator('[data-grid="output"] .matrix-title').innerText(), /^Output \[1\]/);
    // At the end the player is on input channel 1, with w[1, 1] as the kernel.
    await expectGrid(panel, 'input', planeTexts(x, 1));
    await expectGrid(panel, 'kernel', planeTexts({ shape: [2, 2], data: slice(w, 3).data.map((v) => v * 2) }, 0)); // × input[1, 2, 2] = 2
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step 18 of 18: input\[1, 2, 2\] = 2 scales the kernel slice \[1, 1\]/);

    // The input channel selector moves the player to the end of that channel's contribution.
    await choose(panel, 'in', 0);
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 9 of 18');
    await expectGrid(panel, 'input', planeTexts(x, 0));

    // The sum over input channels: each channel alone is its own transposed convolution, and they add up to the output channel.
    for (const c of [0, 1]) {
      const alone = convTranspose2d(slice(x, c), slice(w, c * 2 + 1));
      await expectGrid(panel, `channel-alone-${c}`, planeTexts(alone, 0));
    }
    await expectGrid(panel, 'channel-sum-1', planeTexts(y, 1));
    await expectGrid(panel, 'channel-output', planeTexts(y, 1));
    assert.match(await panel.locator('.channel-sums .section-title').innerText(), /output channel 1 adds up its 2 input channels/);

    // Groups 1: every input channel feeds every output channel; the two lines into output 1 are highlighted.
    assert.equal(await panel.locator('.groups').getAttribute('data-groups'), '1');
    assert.equal(await panel.locator('.groups-edge').count(), 4);
    assert.equal(await panel.locator('.groups-edge.active').count(), 2);
    assert.match(await panel.locator('.groups-sentence').innerText(), /^Standard \(groups 1\)/);
    await panel.locator('.channel-sums').screenshot({ path: join(e2eResults, 'panel-channel-sums.png') });

    // Save image: the PNG goes through the save dialog, next to the source.
    await panel.locator('button[data-action="save-png"]').click();
    const pathInput = page.locator('.quick-input-widget input');
    await pathInput.waitFor({ state: 'visible' });
    // The dialog reads the folder first, then fills in the suggested path.
    let target = '';
    for (const deadline = Date.now() + 15_000; !target.endsWith('.png') && Date.now() < deadline; ) {
      target = await pathInput.inputValue();
      if (!target.endsWith('.png')) await page.waitForTimeout(100);
    }
    assert.match(target, /\/channels-transposed-convolution\.png$/);
    await page.keyboard.press('Enter');
    await panel.locator('.export-status', { hasText: /saved channels-transposed-convolution\.png/ }).waitFor({ timeout: 15_000 });
    const png = await readFile(target);
    assert.ok((await stat(target)).size > 1000);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');

    // Groups 2: each input channel feeds only its own two output channels (four output channels now).
    const groups = panel.locator('[data-param="groups"] input');
    await groups.fill('2');
    await groups.press('Enter');
    await panel.locator('.groups[data-groups="2"]').waitFor();
    const grouped = convTranspose2d(x, w, { stride: 1, groups: 2 });
    assert.deepEqual(grouped.shape, [4, 4, 4]);
    assert.equal(await panel.locator('[data-channel="out"] option').count(), 4);
    assert.match(await panel.locator('.groups-sentence').innerText(), /^Depthwise \(groups 2 = input channels\): 2 input channels → 4 output channels/);
    const edges = await panel.locator('.groups-edge').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-edge')));
    assert.deepEqual(edges, ['0-0', '0-1', '1-2', '1-3']);
    await choose(panel, 'out', 3);
    await expectGrid(panel, 'output', planeTexts(grouped, 3));
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 9 of 9', 'one input channel feeds output channel 3');
    await expectGrid(panel, 'input', planeTexts(x, 1));
    assert.deepEqual(await panel.locator('[data-channel="in"] option').allInnerTexts(), ['1 (group 1)']);
    await panel.locator('.groups').screenshot({ path: join(e2eResults, 'panel-groups-2.png') });

    // An invalid groups value: the engine's own words.
    await groups.fill('3');
    await groups.press('Enter');
    const error = panel.locator('.form-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), /groups \(3\) must divide the weight's 2 input channels/);
    await groups.fill('2');
    await groups.press('Enter');
    await error.waitFor({ state: 'hidden' });
    // Fixed, the panel comes back on the same output channel, at its result.
    await expectGrid(panel, 'output', planeTexts(grouped, 3));
    await panel.locator('button[data-action="back"]').click();
    await panel.locator('[data-grid="output"] .cell[data-row="1"][data-col="1"]').click();
    await panel.locator('.cell-title', { hasText: /^output\[1, 1\]/ }).waitFor();

    // In the dark high-contrast theme, for a person to look at.
    await setTheme(page, 'Dark High Contrast');
    await panel.locator('.channel-selectors').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(e2eResults, 'panel-channels-dark-hc.png') });
    await panel.locator('.groups').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(e2eResults, 'panel-groups-dark-hc.png') });
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 8 of 9');
    await panel.locator('.channel-sums').screenshot({ path: join(e2eResults, 'panel-channel-sums-dark-hc.png') });

    // The image, channel and groups survive a reload of the window, with the step.
    const before = await gridTexts(panel, 'output');
    await page.waitForTimeout(600); // the panel keeps its state after a short debounce
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    const restored = await transposedPanelFrame(page, 60_000);
    await expectGrid(restored, 'output', before);
    assert.equal(await restored.locator('[data-channel="out"] select').inputValue(), '3');
    assert.equal(await restored.locator('[data-param="groups"] input').inputValue(), '2');
    assert.equal(await restored.locator('.step-label').innerText(), 'Step 8 of 9');
  });
});
