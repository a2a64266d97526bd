/**
 * The status bar's matrix shape where the language is not one Layer Lens names: an untitled plain
 * text document (VS Code's default for a new file), and a MATLAB `.m` file that VS Code opened as
 * Objective-C because no MATLAB extension is installed.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { goTo, openFile, quickInput, statusItem } from './driver';
import { e2eResults, openSamples } from './setup';


describe('status bar item in plain text and .m files in the real workbench', function () {
  this.timeout(120_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('shows the shape of a matrix typed into an untitled plain-text document', async () => {
    // Not runCommand: "File: Compare New Untitled Text Files" may be listed first.
    await page.keyboard.press('F1');
    await page.locator(`${quickInput} input`).fill('>File: New Untitled Text File');
    await page.locator(`${quickInput} .monaco-list-row .label-name`, { hasText: /^File: New Untitled Text File$/ }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.type('kernel:\n[[1, 2, 3], [4, 5, 6]]\n');
    await page.locator('.statusbar-item', { hasText: 'Plain Text' }).first().waitFor();
    await goTo(page, 2, 5);
    await statusItem(page, '2×3').waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(e2eResults, 'status-bar-plaintext.png') });
  });

  it('shows the shape of a MATLAB literal in a .m file opened as Objective-C', async () => {
    await openFile(page, 'matrices.m');
    await page.locator('.statusbar-item', { hasText: 'Objective-C' }).first().waitFor();
    await goTo(page, 6, 16); // laplacian, 3×3
    await statusItem(page, '3×3').waitFor({ state: 'visible', timeout: 15_000 });
  });
});
