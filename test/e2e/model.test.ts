/**
 * The model view in the real workbench, on a U-Net written as Pytorch-UNet writes it (the model
 * in `models/unet_model.py`, its parts imported from `models/unet_parts.py`): the CodeLens on the
 * class opens the view; the page draws every step grouped by submodule, the four skip connections
 * as arcs beside the rows they join, the sizes that work, and runs another size when one is
 * clicked. Screenshots go to test-results/e2e/ (model-unet.png is the README's).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { repoRoot } from '../harness/prerequisites';
import { answerInputBox, expectQuickInput, frameWith, goTo, openFile, quickInput, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';

const golden = (file: string) => readFileSync(join(repoRoot, 'test', 'golden', 'models', file), 'utf8');

function modelFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return frameWith(page, '.model-header', 'model view', timeoutMs);
}

describe('The model view in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples({ extraFiles: { 'models/unet_model.py': golden('unet_model.py'), 'models/unet_parts.py': golden('unet_parts.py'), 'models/__init__.py': '' } }));
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('opens from the CodeLens on the U-Net class and draws its steps, groups, skip connections and sizes', async () => {
    await openFile(page, 'models/unet_model.py');
    // The side bar closed, for the view to have room beside the code (the README's screenshot).
    await page.keyboard.press('Control+B');
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Inspect Model · 31.0 M params · 1×3×64×64 → 1×2×64×64' });
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
    const view = await modelFrame(page);
    await view.locator('.model-row').nth(70).waitFor();
    assert.equal(await view.locator('.model-title').innerText(), 'Model UNet');
    assert.match(await view.locator('.model-summary').innerText(), /71 steps · input \[1, 3, 64, 64\] .* → output \[1, 2, 64, 64\]/);
    assert.equal(await view.locator('.model-row').count(), 71);
    const groups = await view.locator('.model-group-label').allInnerTexts();
    assert.deepEqual(groups.map((g) => g.trim()), ['inc (DoubleConv)', 'Down ×4 (down1 … down4)', 'Up ×4 (up1 … up4)', 'outc (OutConv)']);
    const cells = async (row: number) => view.locator(`.model-row[data-row="${row}"] td`).allInnerTexts();
    // Each shape in the input's named sizes, the numbers for this input beneath.
    assert.deepEqual(await cells(0), ['1', 'Conv2d', 'inc.double_conv.0', '[N, 3, H, W]\n[1, 3, 64, 64]', '[N, 64, H, W]\n[1, 64, 64, 64]', '1,728', '7,077,888', '']);
    assert.equal(await view.locator('.model-row[data-row="36"] td.shape .shape-formula').nth(1).innerText(), '[N, 1024, ⌊H/8⌋, ⌊W/8⌋]');
    assert.match(await view.locator('.model-shape-switch').innerText(), /shapes in N, H, W, exact for every input size that runs, for this input N = 1, H = 64, W = 64/);
    // The switch, from the keyboard, leaves the numbers only; and back.
    const formulas = view.locator('.model-shape-toggle');
    await formulas.focus();
    await page.keyboard.press('Enter');
    assert.equal(await formulas.getAttribute('aria-pressed'), 'false');
    assert.equal(await view.locator('.model-row[data-row="0"] .shape-formula').first().isVisible(), false);
    assert.equal((await cells(0))[4], '[1, 64, 64, 64]');
    await page.keyboard.press('Enter');
    assert.equal(await view.locator('.model-row[data-row="0"] .shape-formula').first().isVisible(), true);
    // The skip connections: four arcs in the gutter, each from an encoder's last step to the cat of an Up.
    const arcs = view.locator('svg.model-gutter path.model-arc');
    await arcs.nth(3).waitFor();
    const ends = await arcs.evaluateAll((paths) => paths.map((p) => `${(p as SVGPathElement).dataset.from}→${(p as SVGPathElement).dataset.to}`));
    assert.deepEqual(ends.sort(), ['12→54', '19→45', '26→36', '5→63']);
    // Each arc spans the rows it joins: it starts at the encoder row's height and ends at the cat's.
    const spans = await view.evaluate(() => {
      const arc = document.querySelector('path.model-arc[data-from="26"]') as SVGPathElement;
      const box = arc.getBoundingClientRect();
      const from = (document.querySelector('tr[data-row="26"]') as HTMLElement).getBoundingClientRect();
      const to = (document.querySelector('tr[data-row="36"]') as HTMLElement).getBoundingClientRect();
      return { top: box.top - (from.top + from.height / 2), bottom: box.bottom - (to.top + to.height / 2) };
    });
    assert.ok(Math.abs(spans.top) < 3 && Math.abs(spans.bottom) < 3, `the arc spans rows 27 to 37: ${JSON.stringify(spans)}`);
    assert.deepEqual(await view.locator('.model-skip').allInnerTexts(), [
      '#27 down3.maxpool_conv.1.double_conv.5 [1, 512, 8, 8] → #37 torch.cat in up1 (line 67 of models/unet_parts.py)',
      '#20 down2.maxpool_conv.1.double_conv.5 [1, 256, 16, 16] → #46 torch.cat in up2 (line 67 of models/unet_parts.py)',
      '#13 down1.maxpool_conv.1.double_conv.5 [1, 128, 32, 32] → #55 torch.cat in up3 (line 67 of models/unet_parts.py)',
      '#6 inc.double_conv.5 [1, 64, 64, 64] → #64 torch.cat in up4 (line 67 of models/unet_parts.py)',
    ]);
    assert.match(await view.locator('.model-facts').innerText(), /H must be at least 16/);
    // More room for the table: the code's editor group made narrower.
    await page.locator('.monaco-editor .view-lines').first().click();
    for (let i = 0; i < 4; i++) await runCommand(page, 'Decrease Current View Size');
    await page.screenshot({ path: join(e2eResults, 'model-unet.png') });

    // Collapsing "Down ×4" hides its 28 rows; the arcs then start at the group's header.
    await view.locator('.model-toggle', { hasText: 'Down ×4' }).click();
    assert.equal(await view.locator('.model-row:visible').count(), 71 - 28);
    assert.match(await view.locator('.model-row[data-row="36"] .model-skip-note').innerText(), /← skip from #27 \(down3\)/);
    await page.screenshot({ path: join(e2eResults, 'model-unet-collapsed.png') });

    // A size from the list runs the model on it.
    await view.locator('.model-size', { hasText: '66×66' }).click();
    await view.locator('.model-summary', { hasText: 'input [1, 3, 66, 66]' }).waitFor();
    assert.match(await view.locator('.model-summary').innerText(), /→ output \[1, 2, 66, 66\]/);

    // A row's layer name jumps to its line in the imported file.
    await view.locator('.model-row[data-row="36"] .model-reveal').click();
    await page.locator('.tabs-container .tab.active', { hasText: 'unet_parts.py' }).waitFor();
  });

  it('asks the input shape from the Command Palette, with the sizes that work, and remembers it for the class', async () => {
    // Back to the model's editor (the previous test left the focus in the view's frame, where Quick Open is not heard).
    await page.locator('.tabs-container .tab', { hasText: 'unet_model.py' }).click();
    await page.locator('.monaco-editor .view-lines').first().click();
    await goTo(page, 30, 9);
    await runCommand(page, 'Layer Lens: Inspect Model');
    await expectQuickInput(page, 'Layer Lens: Inspect Model UNet');
    // The last shape of the class (66×66, clicked above) filled in; the rule in the prompt; a wrong answer refused as typed.
    assert.equal(await page.locator(`${quickInput} input`).inputValue(), '1, 3, 66, 66');
    assert.match(await page.locator(`${quickInput}`).innerText(), /Sizes that work: H must be at least 16/);
    await page.locator(`${quickInput} input`).fill('1, 3, 0, 64');
    await page.locator(quickInput, { hasText: 'out of range' }).waitFor();
    await answerInputBox(page, '80');
    const view = await modelFrame(page);
    await view.locator('.model-summary', { hasText: 'input [1, 3, 80, 80] (as typed)' }).waitFor();
    // The CodeLens now says the class's remembered shape.
    await page.locator('.tabs-container .tab', { hasText: 'unet_model.py' }).click();
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: '1×3×80×80 → 1×2×80×80' }).waitFor({ timeout: 30_000 });
  });
});
