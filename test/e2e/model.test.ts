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
    // nets/: the same U-Net with n_channels and n_classes required, as milesial/Pytorch-UNet writes it, and a script building it.
    const required = golden('unet_model.py').replace('n_channels=3, n_classes=2, bilinear=False):', 'n_channels, n_classes, bilinear=False):');
    const train = 'from nets.unet_model import UNet\n\n\ndef build(args):\n    return UNet(n_channels=3, n_classes=args.classes, bilinear=args.bilinear)\n';
    ({ page } = await openSamples({
      extraFiles: {
        'models/unet_model.py': golden('unet_model.py'),
        'models/unet_parts.py': golden('unet_parts.py'),
        'models/__init__.py': '',
        'nets/unet_model.py': required,
        'nets/unet_parts.py': golden('unet_parts.py'),
        'nets/train.py': train,
      },
    }));
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
    assert.deepEqual(await cells(0), ['1', 'Conv2d', 'inc.double_conv.0', '[N, 3, H, W]\n[1, 3, 64, 64]', '[N, 64, H, W]\n[1, 64, 64, 64]', '1,728', '7,077,888', '', '3×3 s1 −1']);
    assert.match((await view.locator('.model-row[data-row="0"] td.model-field').getAttribute('title')) ?? '', /^Each value of this output sees 3 input rows and 3 columns\./);
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

    // A size that fails: the error on the failing layer's row, in its group (Down ×4, opened again to
    // show it); the steps after it not run.
    await view.locator('.model-input-box').fill('8');
    await view.locator('.model-input .model-button').click();
    const failed = view.locator('.model-row.failed');
    await failed.waitFor();
    assert.match(await failed.innerText(), /MaxPool2d[\s\S]*✕ PyTorch raises: /);
    const failedAt = Number(await failed.getAttribute('data-row'));
    assert.match(await view.locator('.model-summary').innerText(), new RegExp(`^${failedAt} of 71 steps run \\(stops at #${failedAt + 1}\\)`));
    assert.equal(await view.locator('.model-row.not-run').first().getAttribute('data-row'), String(failedAt + 1));
    assert.equal(await view.locator('.model-row.not-run').last().innerText().then((t) => /outc\.conv/.test(t)), true);
    assert.equal(await view.locator('tbody:not(.model-group) .model-row.broken').count(), 0, 'no error row at the end of the table');
    assert.equal(await failed.locator('xpath=ancestor::tbody').locator('.model-group-label').innerText().then((l) => l.trim()), 'Down ×4 (down1 … down4)');
    await page.screenshot({ path: join(e2eResults, 'model-unet-failing.png') });
    await view.locator('.model-input-box').fill('66');
    await view.locator('.model-input .model-button').click();
    await view.locator('.model-summary', { hasText: 'input [1, 3, 66, 66]' }).waitFor();

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

  it('builds a class whose __init__ requires arguments: those a script gives filled in, the missing one typed in the view', async () => {
    // Back in the editor (Quick Open is not heard from the view's frame); the row of nets/, not models/.
    await page.locator('.tabs-container .tab', { hasText: 'unet_model.py' }).first().click();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+P');
    await page.locator(`${quickInput} input`).fill('nets/unet_model.py');
    await page.locator(`${quickInput} .monaco-list-row`, { hasText: 'nets' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'def __init__(self, n_channels, n_classes, bilinear=False)' }).first().waitFor();
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Inspect Model · needs n_classes' });
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
    // The view of nets/'s UNet: the one that misses an argument (the models/ one is hidden behind it).
    const view = await frameWith(page, '.model-args-missing', 'model view of nets/unet_model.py', 30_000);
    const field = (name: string) => view.locator('.model-arg', { has: view.locator('.model-arg-name', { hasText: new RegExp(`^${name}$`) }) });
    await field('n_classes').locator('.model-arg-origin', { hasText: 'required' }).waitFor();
    assert.equal(await field('n_channels').locator('.model-arg-box').inputValue(), '3');
    assert.equal(await field('n_channels').locator('.model-arg-origin').innerText(), 'from nets/train.py:5');
    assert.equal(await field('bilinear').locator('.model-arg-origin').innerText(), 'default');
    assert.match(await view.locator('.model-args-missing').innerText(), /Give n_classes to build UNet/);
    // Not a Python literal: refused in words, nothing built.
    await field('n_classes').locator('.model-arg-box').fill('two');
    await view.locator('.model-args button[type="submit"]').click();
    await view.locator('.model-notice', { hasText: 'n_classes: two is not a Python literal' }).waitFor();
    await field('n_classes').locator('.model-arg-box').fill('2');
    await view.locator('.model-args button[type="submit"]').click();
    await view.locator('.model-summary', { hasText: 'output [1, 2, 64, 64]' }).waitFor();
    assert.equal(await field('n_classes').locator('.model-arg-origin').innerText(), 'given here');
    assert.equal(await view.locator('.model-notice').innerText(), '', 'the refusal went with the build');
    // The class's CodeLens builds it with the given argument too.
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Inspect Model · 31.0 M params · 1×3×64×64 → 1×2×64×64' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(e2eResults, 'model-arguments.png') });
    // Reset forgets it: n_classes is missing again.
    await view.locator('.model-args button', { hasText: 'Reset' }).click();
    await field('n_classes').locator('.model-arg-origin', { hasText: 'required' }).waitFor();
  });
});
