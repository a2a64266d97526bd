/**
 * Notebook cells in the real workbench: the Command Palette evaluates `when` clauses in the notebook
 * editor's context, where `editorLangId` is not the cell's language (a cell is told apart by
 * `notebookCellType`), so every command that works in a cell must say so in its clause.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openFile, quickInput } from './driver';
import { e2eResults, openSamples } from './setup';

/** The Layer Lens commands the Command Palette lists while the focus is where it is now. */
async function paletteCommands(page: Page): Promise<string[]> {
  await page.keyboard.press('F1');
  const input = page.locator(`${quickInput} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill('>Layer Lens:');
  const rows = page.locator(`${quickInput} .monaco-list-row`);
  await rows.first().waitFor();
  await page.waitForTimeout(300);
  const labels = await rows.locator('.label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  await page.locator(quickInput).waitFor({ state: 'hidden' });
  return labels.map((label) => label.trim()).sort();
}

describe('Notebook cells in the real workbench', function () {
  this.timeout(120_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('lists the layer and matrix commands in the Command Palette from a code cell, editing or selected', async () => {
    await openFile(page, 'checkerboard.ipynb');
    const line = page.locator('.notebookOverlay .view-line', { hasText: 'up = nn.ConvTranspose2d' }).first();
    await line.waitFor({ timeout: 30_000 });
    await line.click();
    await page.locator('.notebookOverlay .monaco-editor.focused').waitFor();
    const editing = await paletteCommands(page);
    await page.screenshot({ path: join(e2eResults, 'notebook-palette.png') });
    await line.click();
    await page.keyboard.press('Escape'); // the cell stays selected, the focus leaves its editor
    const selected = await paletteCommands(page);
    for (const title of ['Inspect Stack', 'Inspect Layer', 'Solve for Output Size…', 'Show Overlap Map', 'Transposed Convolution (ConvTranspose2d)']) {
      assert.ok(editing.some((label) => label.endsWith(title)), `${title} is offered in a focused cell editor: ${editing.join(', ')}`);
      assert.ok(selected.some((label) => label.endsWith(title)), `${title} is offered on a selected code cell: ${selected.join(', ')}`);
    }
  });
});
