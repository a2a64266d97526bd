import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { expectGrid, goTo, gridTexts, transposedPanelFrame, runCommand, setTheme, transposedConvolutionAt } from './driver';
import { e2eResults, openSamples } from './setup';
import { until } from '../shared/until';

/** Runs the command on the literal at `line:column` of textbook.py with the first kernel offered and `stride`. */
const inspect = (page: Page, line: number, column: number, stride: string): Promise<Frame> => transposedConvolutionAt(page, 'textbook.py', line, column, stride);

describe('The transposed-convolution panel in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('plays the textbook case step by step, lists the centre cell’s four products and maps the overlap', async () => {
    const panel = await inspect(page, 5, 9, '1');
    // A new layer opens on its result.
    await expectGrid(panel, 'output', [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']]);
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 4 of 4');

    await panel.locator('button[data-action="start"]').click();
    await expectGrid(panel, 'output', [['0', '0', '0'], ['0', '0', '0'], ['0', '0', '0']]);
    const afterEachStep = [
      [['1', '1', '0'], ['1', '1', '0'], ['0', '0', '0']],
      [['1', '3', '2'], ['1', '3', '2'], ['0', '0', '0']],
      [['1', '3', '2'], ['4', '6', '2'], ['3', '3', '0']],
      [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']],
    ];
    for (const [k, expected] of afterEachStep.entries()) {
      await page.keyboard.press('ArrowRight');
      await expectGrid(panel, 'output', expected);
      assert.equal(await panel.locator('.step-label').innerText(), `Step ${k + 1} of 4`);
    }
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step 4 of 4: input\[1, 1\] = 4 scales the kernel/);
    assert.deepEqual(await panel.locator('.step-products li').allInnerTexts(), [
      '+ 4 × 1 = 4 → output[1, 1]',
      '+ 4 × 1 = 4 → output[1, 2]',
      '+ 4 × 1 = 4 → output[2, 1]',
      '+ 4 × 1 = 4 → output[2, 2]',
    ]);

    await panel.locator('[data-grid="output"] .cell[data-row="1"][data-col="1"]').click();
    assert.equal(await panel.locator('.cell-title').innerText(), 'output[1, 1] = 10: 4 products');
    const products = await panel.locator('.cell-products li').allInnerTexts();
    assert.equal(products.length, 4);
    assert.match(products[0] ?? '', /input\[0, 0\] × kernel\[1, 1\] = 1 × 1 = 1, sum 1$/);
    assert.match(products[3] ?? '', /input\[1, 1\] × kernel\[0, 0\] = 4 × 1 = 4, sum 10$/);

    // The gather view, in lockstep: input[1, 1] sits at [2, 2] of the padded input, and both views agree.
    assert.deepEqual(await gridTexts(panel, 'padded'), [['0', '0', '0', '0'], ['0', '1', '2', '0'], ['0', '3', '4', '0'], ['0', '0', '0', '0']]);
    const current = panel.locator('[data-grid="padded"] .cell.mark-current');
    assert.deepEqual([await current.getAttribute('data-row'), await current.getAttribute('data-col')], ['2', '2']);
    assert.equal(await panel.locator('[data-grid="padded"] .cell.mark-window').count(), 4, 'the centre cell’s window');
    assert.equal(await panel.locator('.agreement').getAttribute('data-identical'), 'true');

    assert.deepEqual(await gridTexts(panel, 'counts'), [['1', '2', '1'], ['2', '4', '2'], ['1', '2', '1']]);
    assert.equal(await panel.locator('.verdict').getAttribute('data-verdict'), 'even');

    await setTheme(page, 'Light Modern');
    await page.screenshot({ path: join(e2eResults, 'panel-textbook-light.png') });
    await setTheme(page, 'Dark Modern');
    await page.screenshot({ path: join(e2eResults, 'panel-textbook-dark.png') });
  });

  it('comes back where it was after the window reloads', async () => {
    let panel = await transposedPanelFrame(page);
    await panel.locator('button[data-action="start"]').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expectGrid(panel, 'output', [['1', '3', '2'], ['1', '3', '2'], ['0', '0', '0']]);
    await page.waitForTimeout(600); // the panel keeps its state after a short debounce
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    panel = await transposedPanelFrame(page, 60_000);
    await expectGrid(panel, 'output', [['1', '3', '2'], ['1', '3', '2'], ['0', '0', '0']]);
    assert.equal(await panel.locator('.step-label').innerText(), 'Step 2 of 4');
    assert.match(await panel.locator('.source').innerText(), /textbook\.py:5/);
  });

  it('calls kernel 3 with stride 2 uneven, and shows the engine’s message for an invalid parameter', async () => {
    const panel = await inspect(page, 18, 10, '2');
    assert.equal(await panel.locator('.verdict').getAttribute('data-verdict'), 'uneven-counts');
    assert.match(await panel.locator('.verdict').innerText(), /uneven/i);
    const counts = await gridTexts(panel, 'counts');
    assert.equal(counts.length, 9);
    assert.deepEqual(counts[2]?.slice(0, 5), ['2', '2', '4', '2', '4']);
    await page.screenshot({ path: join(e2eResults, 'panel-checkerboard.png') });

    const outputPadding = panel.locator('[data-param="outputPadding"] input');
    await outputPadding.fill('2');
    await outputPadding.press('Enter');
    const error = panel.locator('.form-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), /output_padding \(2\) must be smaller than (either )?stride \(2\) or dilation \(1\)/);
    assert.equal(await panel.locator('[data-grid="output"]').count(), 0);

    await outputPadding.fill('1');
    await outputPadding.press('Enter');
    await error.waitFor({ state: 'hidden' });
    assert.equal(await panel.locator('[data-grid="output"] .matrix-shape').innerText(), '10 × 10');
  });

  it('follows its source as the user types, and says when the source no longer reads as a matrix', async () => {
    const panel = await inspect(page, 5, 9, '1');
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
    await goTo(page, 5, 18); // the 4 of x = [[1, 2], [3, 4]]
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.type('5');
    await expectGrid(panel, 'input', [['1', '2'], ['3', '5']]);
    await expectGrid(panel, 'output', [['1', '3', '2'], ['4', '11', '7'], ['3', '8', '5']]);

    // The CodeLens above each 2×2 literal of the file (x and k), as the editor draws it.
    const inspectLenses = () => page.locator('.monaco-editor .codelens-decoration', { hasText: 'Inspect 2×2' }).count();
    await until('a CodeLens above x and k', inspectLenses, (n) => n === 2, 15_000);
    await page.keyboard.type('x'); // [3, 5x]: not a number any more
    // x is no longer a literal: its lens goes, k's stays (the lenses come from the editor's worker).
    await until('the CodeLens above x to go', inspectLenses, (n) => n === 1, 15_000);
    const banner = panel.locator('.source-problem');
    await banner.waitFor({ state: 'visible' });
    assert.match(await banner.innerText(), /The input at textbook\.py:5 cannot be read: .*`5x`.*Showing the last version that could be read\./s);
    await expectGrid(panel, 'output', [['1', '3', '2'], ['4', '11', '7'], ['3', '8', '5']]);
    await page.screenshot({ path: join(e2eResults, 'panel-source-problem.png') });

    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Z');
    await banner.waitFor({ state: 'detached' });
    await expectGrid(panel, 'output', [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']]);
    await until('the CodeLens above x again', inspectLenses, (n) => n === 2, 15_000);
  });
});
