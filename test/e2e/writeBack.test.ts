import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { transposedConvolutionAt } from './driver';
import { repoRoot } from '../harness/prerequisites';
import { e2eResults, openSamples } from './setup';

const sample = join(repoRoot, 'samples', 'textbook.py');

/** The text of the editor's line that starts with `prefix`, as Monaco draws it. */
async function editorLine(page: Page, prefix: string): Promise<string> {
  const line = page.locator('.monaco-editor .view-line', { hasText: prefix }).first();
  return (await line.innerText()).replace(/\u00a0/g, ' ');
}

async function waitForEditorLine(page: Page, prefix: string, expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let actual = '';
  while (Date.now() < deadline) {
    actual = await editorLine(page, prefix).catch(() => '');
    if (actual === expected) return;
    await page.waitForTimeout(100);
  }
  assert.equal(actual, expected);
}

/** Opens the cell editor on a kernel cell by double-clicking it. */
async function editKernelCell(panel: Frame, row: number, col: number): Promise<void> {
  await panel.locator(`[data-grid="kernel"] .cell[data-row="${row}"][data-col="${col}"]`).dblclick();
  await panel.locator('.cell-editor-input').waitFor({ state: 'visible' });
}

describe('Writing back from the transposed-convolution panel in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;
  let original: string;

  before(async () => {
    original = await readFile(sample, 'utf8');
    ({ page } = await openSamples());
  });

  // VS Code for the web saves files automatically: the sample must end as it began, whatever failed.
  after(async () => {
    if ((await readFile(sample, 'utf8')) !== original) await writeFile(sample, original);
  });

  it('writes an edited kernel cell into the literal, refuses text that is not a number, and Undo restores it', async () => {
    const panel = await transposedConvolutionAt(page, 'textbook.py', 5, 9, '1'); // k, the nearest literal, as the kernel

    const toolbar = panel.locator('.export-toolbar');
    await toolbar.waitFor();
    const labels = await toolbar.locator('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    assert.deepEqual(labels, [
      'Copy input, kernel or output as NumPy, PyTorch, JSON, MATLAB, LaTeX or Markdown…',
      'Copy a runnable PyTorch snippet that reproduces this computation',
      'Insert the result as a literal below the input',
      'Save the step view as PNG',
      'Save the step view as SVG',
      'Save the step animation as an animated GIF',
      'Compare upsampling methods: this kernel and stride against resize-convolution and sub-pixel convolution in the checkerboard lab',
    ]);
    await toolbar.screenshot({ path: join(e2eResults, 'panel-toolbar.png') });

    await editKernelCell(panel, 0, 1);
    await panel.locator('.cell-editor-input').fill('two');
    await panel.locator('.cell-editor-input').press('Enter');
    const message = panel.locator('.cell-editor-message');
    await message.waitFor({ state: 'visible' });
    assert.match(await message.innerText(), /“two” is not a number/);
    await panel.locator('.cell-editor-input').press('Escape');
    await panel.locator('.cell-editor').waitFor({ state: 'detached' });
    assert.equal(await editorLine(page, 'k = '), 'k = [[1, 1], [1, 1]]');

    await editKernelCell(panel, 0, 1);
    await panel.locator('.cell-editor-input').fill('3');
    await panel.locator('.cell-editor-input').press('Enter');
    await waitForEditorLine(page, 'k = ', 'k = [[1, 3], [1, 1]]');
    // The panel redraws with the new kernel: output[0, 1] = 1·3 + 2·1.
    await panel.locator('[data-grid="output"] .cell[data-row="0"][data-col="1"]', { hasText: '5' }).waitFor();
    assert.match(await panel.locator('.export-status').innerText(), /wrote kernel\[0, 1\] = 3 into textbook\.py:6/);
    await page.screenshot({ path: join(e2eResults, 'panel-write-back.png') });

    // One Undo in the editor restores the literal.
    await page.locator('.monaco-editor .view-line', { hasText: 'k = ' }).first().click();
    await page.keyboard.press('Control+Z');
    await waitForEditorLine(page, 'k = ', 'k = [[1, 1], [1, 1]]');
    // Saved automatically too, back to the file as it was.
    const deadline = Date.now() + 15_000;
    while ((await readFile(sample, 'utf8')) !== original && Date.now() < deadline) await page.waitForTimeout(200);
    assert.equal(await readFile(sample, 'utf8'), original);
  });
});
