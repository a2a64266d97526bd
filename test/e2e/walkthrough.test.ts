/**
 * The walkthrough as a person meets it: opened from the Command Palette, its first step's button
 * opens the textbook example, its page shows the step's Markdown, and the step is ticked off.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { transposedPanelFrame, gridTexts, quickInput, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';

describe('the walkthrough in the real workbench', function () {
  this.timeout(120_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('opens the textbook example from its first step, then runs the textbook case from the second', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough');
    await page.locator(`${quickInput} .monaco-list-row`, { hasText: 'Transposed Convolution, Step by Step' }).first().click();
    const steps = page.locator('.getting-started-step');
    await steps.first().waitFor({ timeout: 20_000 });
    assert.match((await steps.allInnerTexts()).join('\n'), /Open the textbook example[\s\S]*Scatter the input, step by step[\s\S]*See where checkerboards come from/);
    await page.locator('.getting-started-step .button-link, .getting-started-step a.monaco-button', { hasText: 'Open the Textbook Example' }).first().click();
    await page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-line', { hasText: 'x = [[1, 2], [3, 4]]' }).first().waitFor();
    await page.screenshot({ path: join(e2eResults, 'walkthrough-open-example.png') });

    // Back on the walkthrough: the first step is done; the second's button runs the textbook case.
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
    await page.locator('.getting-started-step', { hasText: 'Scatter the input' }).first().click();
    await page.locator('.getting-started-step .button-link, .getting-started-step a.monaco-button', { hasText: 'Run the Textbook Case' }).first().click();
    const panel = await transposedPanelFrame(page);
    assert.deepEqual(await gridTexts(panel, 'output'), [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']]);
    await page.screenshot({ path: join(e2eResults, 'walkthrough-scatter.png') });
  });
});
