/**
 * The stack view in the real workbench, on the DCGAN generator: the table a person reads, the
 * compound overlap maps, and "Fix the stack" applied from the view and undone with one Undo.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { frameWith, goTo, openFile, runCommand } from './driver';
import { repoRoot } from '../harness/prerequisites';
import { e2eResults, openSamples } from './setup';

/** The stack view's document (the webview frame whose page draws `.stack-header`). */
function stackFrame(page: Page, timeoutMs = 20_000): Promise<Frame> {
  return frameWith(page, '.stack-header', 'stack view', timeoutMs);
}

describe('The stack view in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('shows the DCGAN generator’s layers with shapes, parameters and the uneven layer, its compound maps, and fixes it as one undoable edit', async () => {
    await openFile(page, 'dcgan_generator.py');
    await goTo(page, 14, 13);
    await runCommand(page, 'Layer Lens: Inspect Stack');
    const view = await stackFrame(page);
    await view.locator('.stack-row').nth(13).waitFor();
    assert.equal(await view.locator('.stack-title').innerText(), 'Stack self.main');
    assert.match(await view.locator('.stack-summary').innerText(), /14 layers · input \[N, 100, 1, 1\] .* → output \[N, 3, 64, 64\] · uneven overlap in 1 of 5/);
    const cells = async (row: number) => view.locator('.stack-row').nth(row).locator('td').allInnerTexts();
    assert.deepEqual(await cells(0), ['1', 'nn.ConvTranspose2d', '[N, 100, 1, 1]', '[N, 512, 4, 4]', '819,200', 'even']);
    assert.deepEqual(await cells(9), ['10', 'nn.ConvTranspose2d', '[N, 128, 16, 16]', '[N, 64, 32, 32]', '73,728', 'uneven 1:2']);
    assert.match((await view.locator('.stack-row').nth(9).locator('td').nth(3).getAttribute('title')) ?? '', /H_out = \(H_in − 1\)·stride/);
    // The stack's map and one per layer that changes the image plane; the fix section's before and after.
    assert.equal(await view.locator('.stack-compound canvas').count(), 6);
    assert.match(await view.locator('.stack-map.layer').nth(3).innerText(), /After layer 10, nn\.ConvTranspose2d \(32×32\)\s+spread 1\.33/);
    // Fix the stack: after layer 10, where the map is most uneven, now and with the kernel-4 fix; then the last maps.
    await view.locator('.stack-map.after').first().waitFor();
    assert.deepEqual(await view.locator('.stack-compare-title').allInnerTexts(), ['After layer 10, nn.ConvTranspose2d, where the map is most uneven', 'After layer 13, nn.ConvTranspose2d, the last map']);
    assert.match(await view.locator('.stack-map.before').first().innerText(), /^Now \(32×32\)\s+spread 1\.33/);
    assert.match(await view.locator('.stack-map.after').first().innerText(), /^With the chosen fixes \(32×32\)\s+spread 0 /);
    assert.match(await view.locator('.stack-fix').innerText(), /With the chosen fixes, every transposed convolution overlaps evenly\./);
    assert.match(await view.locator('.stack-summary').innerText(), /input \[N, 100, 1, 1\] \(worked back from the 4×4 the comment on line 16 states for layer 4’s input\)/);
    await page.screenshot({ path: join(e2eResults, 'stack-dcgan.png') });
    await view.locator('.stack-compound').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(e2eResults, 'stack-dcgan-compound.png') });
    await view.locator('.stack-fix').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(e2eResults, 'stack-dcgan-fix.png') });

    await view.locator('.stack-apply').click();
    await view.locator('.stack-notice', { hasText: 'Applied one fix as one edit' }).waitFor();
    // The view follows the edited document: the layer is even now.
    await view.locator('.stack-row.uneven').waitFor({ state: 'detached' });
    assert.match(await view.locator('.stack-summary').innerText(), /overlap even in all 5/);
    await page.screenshot({ path: join(e2eResults, 'stack-dcgan-fixed.png') });

    await page.locator('.tabs-container .tab', { hasText: 'dcgan_generator.py' }).click();
    await page.keyboard.press('Control+Z');
    await view.locator('.stack-row.uneven').waitFor();
    assert.deepEqual(await cells(9), ['10', 'nn.ConvTranspose2d', '[N, 128, 16, 16]', '[N, 64, 32, 32]', '73,728', 'uneven 1:2']);
  });

  it('comes back after the window reloads, read again from the document', async () => {
    await page.waitForTimeout(300);
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    const view = await stackFrame(page, 60_000);
    await view.locator('.stack-row').nth(13).waitFor();
    assert.equal(await view.locator('.stack-title').innerText(), 'Stack self.main');
    assert.deepEqual(await view.locator('.stack-row').nth(9).locator('td').allInnerTexts(), ['10', 'nn.ConvTranspose2d', '[N, 128, 16, 16]', '[N, 64, 32, 32]', '73,728', 'uneven 1:2']);
  });

  it('draws a 1-D stack\'s compound overlap as strips over bars and a 3-D stack\'s as depth slices, each with its per-phase summary', async () => {
    await openFile(page, join(repoRoot, 'test', 'fixtures', 'dims', 'upsampling_stacks.py'));
    await goTo(page, 16, 13);
    await runCommand(page, 'Layer Lens: Inspect Stack');
    // The view of self.up (the stack view restored by the reload above may be replaced as it loads).
    let view = await frameWith(page, '.stack-title:has-text("Stack self.up")', 'stack view of self.up');
    // No stated length: the maps start from a stand-in of 8 samples; three layers of stride 4.
    await view.locator('.stack-map.stack .stack-phases').waitFor();
    assert.equal(await view.locator('.stack-map.layer .stack-sequence').count(), 3);
    assert.match(await view.locator('.stack-map.stack').innerText(), /The whole stack \(512\)[\s\S]*period 64[\s\S]*Per phase \(64 phases of the 64 period\)/);
    await view.locator('.stack-compound').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(e2eResults, 'stack-compound-1d.png') });

    await page.locator('.tabs-container .tab', { hasText: 'upsampling_stacks.py' }).click();
    await goTo(page, 32, 13);
    await runCommand(page, 'Layer Lens: Inspect Stack');
    view = await frameWith(page, '.stack-map.stack > .stack-slices', 'stack view of the 3-D stack');
    // 8³ → 16³ → 32³ (→ 32³ through the 1×1×1 convolution): eight depth slices of the last map, one per layer map.
    assert.equal(await view.locator('.stack-map.stack > .stack-slices .stack-slice').count(), 8);
    assert.equal(await view.locator('.stack-map.layer .stack-slice').count(), 3);
    assert.match(await view.locator('.stack-map.stack').innerText(), /The whole stack \(32×32×32\)[\s\S]*Per phase \(64 phases of the 4×4×4 period\)/);
    await view.locator('.stack-compound').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(e2eResults, 'stack-compound-3d.png') });
  });
});

describe('The stack view read with the model, in the real workbench', function () {
  this.timeout(180_000);

  it('shows a U-Net part with the shapes of UNet.forward(), and another use of it when picked', async () => {
    const unet = readFileSync(join(repoRoot, 'test/fixtures/stackmodel/unet_small.py'), 'utf8');
    const { page } = await openSamples({ extraFiles: { 'unet_small.py': unet } });
    await openFile(page, 'unet_small.py');
    await goTo(page, 11, 13);
    await runCommand(page, 'Layer Lens: Inspect Stack');
    const view = await stackFrame(page);
    await view.locator('.stack-row').nth(5).waitFor();
    assert.match(await view.locator('.stack-summary').innerText(), /input \[1, 3, 64, 64\] \(from UNet\.forward\(\) for \[1, 3, 64, 64\] .*, as inc\.double_conv \(one of 5 uses/);
    const firstRow = () => view.locator('.stack-row').nth(0).locator('td').allInnerTexts();
    assert.deepEqual(await firstRow(), ['1', 'nn.Conv2d', '[1, 3, 64, 64]', '[1, 16, 64, 64]', '432', '']);
    // The decoder's use: its first convolution takes the skip's channels too (32 + 32).
    await view.locator('.stack-use-select').selectOption('up1.conv.double_conv');
    await view.locator('.stack-row td', { hasText: '[1, 64, 32, 32]' }).first().waitFor();
    assert.deepEqual(await firstRow(), ['1', 'nn.Conv2d', '[1, 64, 32, 32]', '[1, 32, 32, 32]', '18,432', '']);
    assert.match(await view.locator('.stack-summary').innerText(), /as up1\.conv\.double_conv/);
    await page.screenshot({ path: join(e2eResults, 'stack-unet-model.png') });
  });
});
